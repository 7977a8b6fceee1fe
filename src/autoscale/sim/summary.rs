//! The run's totals and the chapter's anti-patterns (section 4, "Auto-Scaling Anti-Patterns").

use serde::{Deserialize, Serialize};

use super::{MetricTarget, Overflow, SimConfig, SimSummary};
use crate::SECONDS_PER_HOUR;
use crate::units::{format_count, format_duration, format_share, format_si, format_usd};

/// An auto-scaling anti-pattern, as named in the chapter's section 4 table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum AntiPattern {
    /// At least [`THRASH_REVERSALS`] direction changes within [`THRASH_WINDOW_S`].
    Thrashing,
    /// A scale-up undone by a scale-down within [`AGGRESSIVE_UNDO_S`].
    TooAggressive,
    /// More than [`CONSERVATIVE_SHARE`] of the demand arrived above the ready capacity.
    TooConservative,
    /// A lone CPU metric saturated at 100% while demand exceeded capacity, so it could not show
    /// how far demand was above capacity.
    SingleMetric,
    /// `minReplicas` of 1 and the run went down to a single pod.
    NoMinimum,
}

/// Direction changes that count as thrashing when they fall within [`THRASH_WINDOW_S`]: two
/// full up-and-down cycles.
pub const THRASH_REVERSALS: usize = 4;
/// Window for [`THRASH_REVERSALS`], seconds (30 minutes).
pub const THRASH_WINDOW_S: u64 = 1_800;
/// A scale-down this soon after a scale-up is "too aggressive", seconds (the chapter's 5 min).
pub const AGGRESSIVE_UNDO_S: u64 = 300;
/// Share of demand above ready capacity that is "too conservative" (1%).
pub const CONSERVATIVE_SHARE: f64 = 0.01;

impl AntiPattern {
    /// The chapter's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Thrashing => "Thrashing",
            Self::TooAggressive => "Too aggressive",
            Self::TooConservative => "Too conservative",
            Self::SingleMetric => "Single metric",
            Self::NoMinimum => "No minimum",
        }
    }
    /// The chapter's "Problem" column.
    pub fn problem(self) -> &'static str {
        match self {
            Self::Thrashing => "Rapid scale up/down cycles",
            Self::TooAggressive => "Scaling on transient spikes",
            Self::TooConservative => "Can't keep up with load",
            Self::SingleMetric => "Doesn't capture full picture",
            Self::NoMinimum => "Scale to zero during quiet",
        }
    }
    /// The chapter's "Solution" column.
    pub fn solution(self) -> &'static str {
        match self {
            Self::Thrashing => "Longer cooldown periods",
            Self::TooAggressive => "Longer evaluation windows",
            Self::TooConservative => "Faster scale-up, predictive scaling",
            Self::SingleMetric => "Multiple metrics, composite policies",
            Self::NoMinimum => "Maintain minimum instances",
        }
    }
}

/// An anti-pattern seen in a run, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    /// Which anti-pattern.
    pub pattern: AntiPattern,
    /// What happened, in a sentence with times and figures.
    pub evidence: String,
}

/// Running totals for the summary.
#[derive(Default)]
pub(super) struct Tally {
    requests: f64,
    dropped: f64,
    over_capacity: f64,
    queued_request_seconds: f64,
    peak_backlog: f64,
    utilization_sum: f64,
    steps: u64,
    replica_seconds: f64,
    max_replicas: u32,
    min_replicas: Option<u32>,
    first_single_pod: Option<u64>,
    saturated_steps: u64,
    worst_excess: f64,
}

impl Tally {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add(
        &mut self,
        arrived: f64,
        dropped: f64,
        backlog: f64,
        over_capacity: f64,
        utilization: f64,
        spec: u32,
        step_s: f64,
    ) {
        self.requests += arrived;
        self.dropped += dropped;
        self.over_capacity += over_capacity;
        self.queued_request_seconds += backlog * step_s;
        self.peak_backlog = self.peak_backlog.max(backlog);
        self.utilization_sum += utilization;
        if spec <= 1 && self.first_single_pod.is_none() {
            self.first_single_pod = Some(self.steps * step_s as u64);
        }
        self.steps += 1;
        self.replica_seconds += f64::from(spec) * step_s;
        self.max_replicas = self.max_replicas.max(spec);
        self.min_replicas = Some(self.min_replicas.map_or(spec, |m| m.min(spec)));
    }

    /// A step where the ready pods were saturated (CPU at 100%) with demand above capacity.
    pub(super) fn saturated(&mut self, demand_rps: f64, ready_capacity_rps: f64) {
        self.saturated_steps += 1;
        let excess = demand_rps / ready_capacity_rps.max(f64::MIN_POSITIVE) - 1.0;
        self.worst_excess = self.worst_excess.max(excess);
    }

    pub(super) fn summary(self, config: &SimConfig, events: &[(u64, bool)]) -> SimSummary {
        let share = |x: f64| {
            if self.requests > 0.0 {
                x / self.requests
            } else {
                0.0
            }
        };
        let replica_hours = self.replica_seconds / SECONDS_PER_HOUR;
        let reversals: Vec<u64> = events
            .windows(2)
            .filter(|w| w[0].1 != w[1].1)
            .map(|w| w[1].0)
            .collect();
        let mut findings = Vec::new();

        if let Some(w) = reversals
            .windows(THRASH_REVERSALS)
            .find(|w| w[THRASH_REVERSALS - 1] - w[0] < THRASH_WINDOW_S)
        {
            findings.push(Finding {
                pattern: AntiPattern::Thrashing,
                evidence: format!(
                    "{} direction changes between {} and {} ({} in the whole run)",
                    THRASH_REVERSALS,
                    clock(w[0]),
                    clock(w[THRASH_REVERSALS - 1]),
                    reversals.len()
                ),
            });
        }
        let undone: Vec<&[(u64, bool)]> = events
            .windows(2)
            .filter(|w| w[0].1 && !w[1].1 && w[1].0 - w[0].0 < AGGRESSIVE_UNDO_S)
            .collect();
        if let Some(first) = undone.first() {
            findings.push(Finding {
                pattern: AntiPattern::TooAggressive,
                evidence: format!(
                    "a scale-up at {} was undone {} s later ({} times in the run)",
                    clock(first[0].0),
                    first[1].0 - first[0].0,
                    undone.len()
                ),
            });
        }
        let over_capacity_share = share(self.over_capacity);
        if over_capacity_share > CONSERVATIVE_SHARE {
            findings.push(Finding {
                pattern: AntiPattern::TooConservative,
                evidence: format!(
                    "{:.1}% of the demand arrived above the ready capacity",
                    over_capacity_share * 100.0
                ),
            });
        }
        if self.saturated_steps > 0
            && matches!(
                config.policy.metrics.as_slice(),
                [MetricTarget::CpuUtilization { .. }]
            )
        {
            findings.push(Finding {
                pattern: AntiPattern::SingleMetric,
                evidence: format!(
                    "CPU sat at 100% for {} steps while demand was up to {:.0}% above capacity; a saturated CPU cannot show how far, so each sync could only scale by 100 / target",
                    self.saturated_steps,
                    self.worst_excess * 100.0
                ),
            });
        }
        if let (Some(at), true) = (self.first_single_pod, config.policy.min_replicas <= 1) {
            findings.push(Finding {
                pattern: AntiPattern::NoMinimum,
                evidence: format!("minReplicas is 1 and the run went down to a single pod at {}: one crash or deploy leaves no capacity", clock(at)),
            });
        }

        SimSummary {
            replica_hours,
            cost_usd: replica_hours * config.usd_per_pod_hour,
            total_requests: self.requests,
            dropped_requests: self.dropped,
            dropped_share: share(self.dropped),
            over_capacity_share,
            peak_backlog_requests: self.peak_backlog,
            mean_queueing_delay_s: share(self.queued_request_seconds),
            mean_utilization: if self.steps > 0 {
                self.utilization_sum / self.steps as f64
            } else {
                0.0
            },
            max_replicas: self.max_replicas,
            min_replicas: self.min_replicas.unwrap_or(0),
            scale_events: events.len() as u32,
            direction_changes: reversals.len() as u32,
            findings,
        }
    }
}

/// `t` seconds as a clock time from the run's midnight start: `20:05`, or `d2 03:15` after day 1.
fn clock(t: u64) -> String {
    let (day, in_day) = (t / 86_400, t % 86_400);
    let hm = format!("{:02}:{:02}", in_day / 3_600, in_day % 3_600 / 60);
    if day == 0 {
        hm
    } else {
        format!("d{} {hm}", day + 1)
    }
}

/// The summary's figures as the `/autoscaling` cards say them, each with its trace, from the
/// same totals and constants the summary used.
impl SimSummary {
    /// Requests that arrived above the ready capacity.
    fn over_capacity_requests(&self) -> f64 {
        self.total_requests * self.over_capacity_share
    }

    /// `9.5k of 1.7G requests dropped` (or `queued for capacity`).
    pub fn over_capacity_note(&self, config: &SimConfig) -> String {
        format!(
            "{} of {} requests {}",
            format_si(self.over_capacity_requests()),
            format_si(self.total_requests),
            if config.overflow == Overflow::Queue {
                "queued for capacity"
            } else {
                "dropped"
            }
        )
    }

    /// The trace of [`SimSummary::over_capacity_share`].
    pub fn over_capacity_trace(&self) -> String {
        format!(
            "above capacity / arrived = {} / {} = {}",
            format_count(self.over_capacity_requests()),
            format_count(self.total_requests),
            format_share(self.over_capacity_share)
        )
    }

    /// The trace of [`SimSummary::replica_hours`] and [`SimSummary::cost_usd`].
    pub fn cost_trace(&self, config: &SimConfig) -> String {
        format!(
            "Σ desired pods × {} s / {} s = {} pod-h; × {}/h = {}",
            config.step_s,
            format_count(SECONDS_PER_HOUR),
            format_count(self.replica_hours),
            format_usd(config.usd_per_pod_hour),
            format_usd(self.cost_usd)
        )
    }

    /// The trace of [`SimSummary::direction_changes`]: when they count as thrashing.
    pub fn thrashing_trace() -> String {
        format!(
            "thrashing when {THRASH_REVERSALS} changes fall within {}",
            format_duration(THRASH_WINDOW_S as f64)
        )
    }

    /// The trace of [`SimSummary::mean_queueing_delay_s`].
    pub fn queueing_delay_trace() -> String {
        "Little's law: queued request-seconds / requests".to_string()
    }
}
