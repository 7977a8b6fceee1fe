//! An HPA policy in words: what the cards on `/autoscaling` say about the policy in use, and the
//! traces of its limits.

use super::{
    HpaPolicy, MetricTarget, OutsideSeries, PolicyKind, ScalingRules, SelectPolicy, ValueTarget,
};
use crate::units::{format_count, format_duration};

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

/// The scale-up limit the controller applies: the `behavior` policies, or without `behavior`
/// the older path's `max(2 × current, 4)` per sync (horizontal.go, calculateScaleUpLimit).
pub fn scale_up_text(policy: &HpaPolicy) -> String {
    if policy.has_behavior {
        limit_text(&policy.scale_up, true)
    } else {
        "max(2 × current, 4) per sync".to_string()
    }
}

/// The scale-down limit: the `behavior` policies, or `none` on the older path.
pub fn scale_down_text(policy: &HpaPolicy) -> String {
    if policy.has_behavior {
        limit_text(&policy.scale_down, false)
    } else {
        "none".to_string()
    }
}

/// The scale-up window: the `behavior` one, or the older path's highest recommendation.
pub fn scale_up_window_text(policy: &HpaPolicy) -> String {
    if policy.has_behavior {
        window_text(&policy.scale_up)
    } else {
        format!(
            "the highest recommendation of the last {} holds, going up too",
            format_duration(f64::from(policy.scale_down.stabilization_window_s))
        )
    }
}

/// The trace of the scale-up limit: how a sync reaches its replica count going up.
///
/// # Examples
/// ```
/// use headroom::autoscale::{HpaPolicy, words::scale_up_trace};
/// assert!(scale_up_trace(&HpaPolicy::chapter_example()).starts_with("every 15 s: desired"));
/// ```
pub fn scale_up_trace(policy: &HpaPolicy) -> String {
    format!(
        "every {} s: desired = ⌈ready × metric / target⌉ for each metric (the largest wins; no \
         change within ±{}%), then at most {}{}",
        policy.sync_period_s,
        format_count(policy.scale_up.tolerance * 100.0),
        scale_up_text(policy),
        if policy.has_behavior {
            " of the replicas at the start of each period"
        } else {
            ""
        }
    )
}

/// The trace of the scale-down limit: how a sync reaches its replica count going down.
pub fn scale_down_trace(policy: &HpaPolicy) -> String {
    let window = policy.scale_down.stabilization_window_s;
    if policy.has_behavior {
        format!(
            "the highest recommendation of the last {window} s, then at most {} of the replicas \
             at the start of each period",
            scale_down_text(policy)
        )
    } else {
        format!(
            "the highest recommendation of the last {window} s (one exactly that old included), \
             then minReplicas"
        )
    }
}

/// Why the limits read as they do when the policy has no `behavior`; `None` when it has one.
pub fn legacy_note(policy: &HpaPolicy) -> Option<String> {
    (!policy.has_behavior).then(|| {
        format!(
            "No behavior in this HPA, so Kubernetes takes its older path (normalizeDesiredReplicas \
             in horizontal.go), and so does this run: at most max(2 × current, 4) replicas per sync \
             going up, no limit going down, and the highest recommendation of the last {} (the \
             controller's --horizontal-pod-autoscaler-downscale-stabilization) in both directions. \
             With behavior: {{}} the documented defaults apply instead: from 1 pod the first step \
             goes to 5, not 4.",
            format_duration(f64::from(policy.scale_down.stabilization_window_s))
        )
    })
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
            MetricTarget::Object {
                name,
                target_type,
                value,
            }
            | MetricTarget::External {
                name,
                target_type,
                value,
            } => format!(
                "{} {name} {}{}",
                m.outside_kind().unwrap_or("external"),
                format_count(*value),
                if *target_type == ValueTarget::AverageValue {
                    " per pod"
                } else {
                    ""
                }
            ),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Which of the policy's Object and External metrics have no value in `outside`, and what to
/// type; `None` when every one has a value.
pub fn outside_without_value(policy: &HpaPolicy, outside: &[OutsideSeries]) -> Option<String> {
    let missing: Vec<String> = policy
        .metrics
        .iter()
        .filter_map(|m| Some((m.outside_kind()?, m.name())))
        .filter(|(_, name)| !outside.iter().any(|s| s.name == *name))
        .map(|(kind, name)| format!("{kind} metric {name}"))
        .collect();
    let first = policy
        .metrics
        .iter()
        .find(|m| m.outside_kind().is_some() && !outside.iter().any(|s| s.name == m.name()))?
        .name();
    Some(format!(
        "No value for {}: {} nothing in this run. Give {} in \"Object and External metric values\", e.g. {first}=30 for a constant or {first}=0:10,30m:120 for a series.",
        missing.join(", "),
        if missing.len() == 1 {
            "it proposes"
        } else {
            "they propose"
        },
        if missing.len() == 1 {
            "it a value"
        } else {
            "each a value"
        },
    ))
}

/// The CPU target of the policy, percent, if it has one.
pub fn cpu_target(policy: &HpaPolicy) -> Option<f64> {
    policy.metrics.iter().find_map(|m| match m {
        MetricTarget::CpuUtilization {
            average_utilization,
        } => Some(f64::from(*average_utilization)),
        _ => None,
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
        assert_eq!(scale_up_text(&chapter), "+100% per 15 s");
        assert_eq!(legacy_note(&chapter), None);
        // Without behavior: horizontal.go's normalizeDesiredReplicas.
        let legacy = HpaPolicy {
            has_behavior: false,
            ..chapter.clone()
        };
        assert_eq!(scale_up_text(&legacy), "max(2 × current, 4) per sync");
        assert_eq!(scale_down_text(&legacy), "none");
        let note = legacy_note(&legacy).unwrap();
        assert!(note.starts_with("No behavior in this HPA"), "{note}");
        // One sentence, one space between words (the literal once carried its indentation).
        assert!(!note.contains("  "), "{note}");
        assert_eq!(outside_without_value(&chapter, &[]), None);
        let queue = HpaPolicy::from_compact(
            "min=1;max=20;metrics=cpu/70,external/queue_messages_ready/average/30,object/lb_rps/value/2000",
        )
        .unwrap();
        assert_eq!(
            metrics_text(&queue),
            "CPU 70% · external queue_messages_ready 30 per pod · object lb_rps 2,000"
        );
        assert_eq!(
            outside_without_value(&queue, &[OutsideSeries::constant("lb_rps", 1.0)]).unwrap(),
            "No value for external metric queue_messages_ready: it proposes nothing in this run. Give it a value in \"Object and External metric values\", e.g. queue_messages_ready=30 for a constant or queue_messages_ready=0:10,30m:120 for a series."
        );
        assert!(outside_without_value(&queue, &[]).unwrap().starts_with(
            "No value for external metric queue_messages_ready, object metric lb_rps: they propose"
        ));
        // The documented default scale-up: the larger of +100% and +4 pods every 15 s.
        assert_eq!(
            limit_text(&ScalingRules::default_scale_up(), true),
            "the larger of +100% per 15 s and +4 pods per 15 s"
        );
    }
}
