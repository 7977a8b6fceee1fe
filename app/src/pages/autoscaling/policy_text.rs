//! An HPA policy in words: what the cards on `/autoscaling` say about the policy in use.

use headroom::autoscale::{HpaPolicy, MetricTarget, PolicyKind, ScalingRules, SelectPolicy};
use headroom::units::{format_count, format_duration};

/// `+100% per 15 s`, or `the larger of +100% per 15 s and +4 pods per 15 s`, or `disabled`.
pub fn limit_text(rules: &ScalingRules, up: bool) -> String {
    if rules.select_policy == SelectPolicy::Disabled {
        return "disabled".to_string();
    }
    let sign = if up { "+" } else { "−" };
    let each: Vec<String> = rules
        .policies
        .iter()
        .map(|p| match p.kind {
            PolicyKind::Percent => format!("{sign}{}% per {} s", p.value, p.period_s),
            PolicyKind::Pods => format!(
                "{sign}{} pod{} per {} s",
                p.value,
                if p.value == 1 { "" } else { "s" },
                p.period_s
            ),
        })
        .collect();
    match each.as_slice() {
        [one] => one.clone(),
        _ => format!(
            "the {} of {}",
            if rules.select_policy == SelectPolicy::Min {
                "smaller"
            } else {
                "larger"
            },
            each.join(" and ")
        ),
    }
}

/// `no stabilization window` or `after a 5 min stabilization window`.
pub fn window_text(rules: &ScalingRules) -> String {
    if rules.stabilization_window_s == 0 {
        "no stabilization window".to_string()
    } else {
        format!(
            "after a {} stabilization window",
            format_duration(f64::from(rules.stabilization_window_s))
        )
    }
}

/// `CPU 70% · requests_per_second 1,000 per pod`.
pub fn metrics_text(policy: &HpaPolicy) -> String {
    policy
        .metrics
        .iter()
        .map(|m| match m {
            MetricTarget::CpuUtilization {
                average_utilization,
            } => format!("CPU {average_utilization}%"),
            MetricTarget::PodsAverageValue {
                name,
                average_value,
            } => format!("{name} {} per pod", format_count(*average_value)),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The CPU target of the policy, percent, if it has one.
pub fn cpu_target(policy: &HpaPolicy) -> Option<f64> {
    policy.metrics.iter().find_map(|m| match m {
        MetricTarget::CpuUtilization {
            average_utilization,
        } => Some(f64::from(*average_utilization)),
        MetricTarget::PodsAverageValue { .. } => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chapters_policy_in_words() {
        let chapter = HpaPolicy::chapter_example();
        assert_eq!(limit_text(&chapter.scale_up, true), "+100% per 15 s");
        assert_eq!(limit_text(&chapter.scale_down, false), "−10% per 60 s");
        assert_eq!(window_text(&chapter.scale_up), "no stabilization window");
        assert_eq!(
            window_text(&chapter.scale_down),
            "after a 5 min stabilization window"
        );
        assert_eq!(
            metrics_text(&chapter),
            "CPU 70% · requests_per_second 1,000 per pod"
        );
        // The documented default scale-up: the larger of +100% and +4 pods every 15 s.
        assert_eq!(
            limit_text(&ScalingRules::default_scale_up(), true),
            "the larger of +100% per 15 s and +4 pods per 15 s"
        );
    }
}
