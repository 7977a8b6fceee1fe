//! The best CPU target for a run's traffic: the policy as given, with every CPU utilization
//! target set in turn to 40%, 45%, … 95%, each run on the same traffic; the cheapest run that
//! serves at least as well as the policy as given (no more demand above the ready capacity,
//! within 0.01 percentage points) is the best. `/autoscaling` shows it beside the run, most
//! usefully on observed traffic (issue 13): "how would a different target have done on last
//! week's traffic?".
//!
//! Work: one run per target, [`TARGETS`] runs of the configured length (a day at 15 s steps is
//! 5,760 steps, about 0.3 ms a run natively; the criterion bench `simulators`).

use serde::{Deserialize, Serialize};

use super::{AutoscaleError, MetricTarget, SimConfig, simulate};

/// The CPU targets tried, percent.
pub const TARGETS: [u32; 12] = [40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95];

/// Slack on "serves at least as well": shares of demand above capacity within this of the
/// policy's own count as equal (the runs are seeded, so a tie is a tie; this absorbs rounding).
pub const SERVE_SLACK: f64 = 1e-4;

/// What the search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BestTarget {
    /// The policy's own CPU target (the first CPU metric's), percent.
    pub current_percent: u32,
    /// Cost of the run as configured, USD.
    pub current_cost_usd: f64,
    /// Share of demand above capacity as configured.
    pub current_over_capacity_share: f64,
    /// The cheapest target that serves at least as well, percent (the current one when none
    /// is cheaper).
    pub best_percent: u32,
    /// Cost of the run at the best target, USD.
    pub best_cost_usd: f64,
    /// Share of demand above capacity at the best target.
    pub best_over_capacity_share: f64,
    /// Every target tried: `(percent, cost USD, share above capacity)`.
    pub tried: Vec<(u32, f64, f64)>,
}

impl BestTarget {
    /// The search, as a trace: what was varied, the rule, and the answer.
    pub fn trace(&self) -> String {
        format!(
            "the same traffic, policy and seed with the CPU target at each of 40%, 45%, …, 95%: the \
             cheapest run with no more demand above capacity than yours ({:.2}%, within {:.2} \
             points) is {}% at ${:.2}, against ${:.2} at your {}%",
            self.current_over_capacity_share * 100.0,
            SERVE_SLACK * 100.0,
            self.best_percent,
            self.best_cost_usd,
            self.current_cost_usd,
            self.current_percent
        )
    }
}

/// The best CPU target for `config`'s traffic, or `None` when the policy has no CPU metric.
///
/// # Errors
/// Whatever [`simulate`] refuses in `config` (the targets themselves are always valid).
pub fn best_cpu_target(config: &SimConfig) -> Result<Option<BestTarget>, AutoscaleError> {
    let Some(current_percent) = config.policy.metrics.iter().find_map(|m| match m {
        MetricTarget::CpuUtilization {
            average_utilization,
        } => Some(*average_utilization),
        _ => None,
    }) else {
        return Ok(None);
    };
    let run = |percent: u32| -> Result<(f64, f64), AutoscaleError> {
        let mut c = config.clone();
        for m in &mut c.policy.metrics {
            if let MetricTarget::CpuUtilization {
                average_utilization,
            } = m
            {
                *average_utilization = percent;
            }
        }
        let s = simulate(&c)?.summary;
        Ok((s.cost_usd, s.over_capacity_share))
    };
    let (current_cost_usd, current_over) = run(current_percent)?;
    let mut tried = Vec::with_capacity(TARGETS.len());
    let (mut best_percent, mut best_cost_usd, mut best_over) =
        (current_percent, current_cost_usd, current_over);
    for percent in TARGETS {
        let (cost, over) = run(percent)?;
        tried.push((percent, cost, over));
        if over <= current_over + SERVE_SLACK && cost < best_cost_usd {
            (best_percent, best_cost_usd, best_over) = (percent, cost, over);
        }
    }
    Ok(Some(BestTarget {
        current_percent,
        current_cost_usd,
        current_over_capacity_share: current_over,
        best_percent,
        best_cost_usd,
        best_over_capacity_share: best_over,
        tried,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn the_search_never_answers_a_policy_that_serves_worse_or_costs_more() {
        let s = Scenario::from_query("v=2&as_noise=0").scenario;
        let config = s.autoscale_config(s.hpa().clone());
        let best = best_cpu_target(&config)
            .unwrap()
            .expect("the chapter's policy scales on cpu");
        // The chapter's policy targets 70% CPU.
        assert_eq!(best.current_percent, 70);
        assert_eq!(best.tried.len(), TARGETS.len());
        // Its own run is among those tried (70% is in the grid), with the same figures.
        let own = best.tried.iter().find(|t| t.0 == 70).unwrap();
        assert_eq!(
            (own.1, own.2),
            (best.current_cost_usd, best.current_over_capacity_share)
        );
        assert!(best.best_cost_usd <= best.current_cost_usd);
        assert!(best.best_over_capacity_share <= best.current_over_capacity_share + SERVE_SLACK);
        // And it is the cheapest of those that qualify, found independently here.
        let cheapest = best
            .tried
            .iter()
            .filter(|t| t.2 <= best.current_over_capacity_share + SERVE_SLACK)
            .map(|t| t.1)
            .fold(f64::INFINITY, f64::min);
        assert_eq!(best.best_cost_usd, cheapest.min(best.current_cost_usd));
    }

    #[test]
    fn a_policy_without_a_cpu_metric_has_no_best_cpu_target() {
        let s = Scenario::from_query("v=2&hpa=min%3D2%3Bmax%3D20%3Bmetrics%3Dpods%2Frps%2F800")
            .scenario;
        let config = s.autoscale_config(s.hpa().clone());
        assert_eq!(best_cpu_target(&config).unwrap(), None);
    }
}
