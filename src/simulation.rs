//! The four simulator pages as documents: every figure `/queueing`, `/autoscaling`,
//! `/rate-limiting` and `/load-balancing` show, with the traces their "How?" shows, computed
//! from a [`Scenario`] by the same core functions the pages call. The JSON API answers them at
//! `/api/v1/simulate/<page>`.
//!
//! They are documents of their own, not sections of the [`crate::report::Report`]: the report is
//! a function of the calculators' fields that costs about a tenth of a millisecond whatever the
//! query, and is pinned byte for byte (the browser's export, `headroom report`); a simulator run
//! costs up to its own bound (below) and depends only on its page's fields, so a client pays for
//! the one run it asks for, and a report stays as cheap and as stable as it was.
//!
//! Work is bounded by the scenario's own rules ([`Scenario::from_query`] refuses what a page
//! would refuse): an auto-scaling run of at most a week at 15 s steps (40,320 steps, under
//! [`crate::autoscale::MAX_STEPS`]), a rate-limiting run of at most
//! [`crate::ratelimit::MAX_REQUESTS`] requests per algorithm, and a load-balancing comparison of
//! at most [`crate::loadbalance::MAX_WORK`] units of work, key movement included.

use serde::{Deserialize, Serialize};

use crate::autoscale::words::{
    legacy_note, metrics_text, outside_without_value, scale_down_text, scale_down_trace,
    scale_up_text, scale_up_trace, scale_up_window_text, window_text,
};
use crate::autoscale::{self, HpaPolicy, SimStep, SimSummary, UnsupportedField};
use crate::loadbalance::{
    Algorithm, LbRun, OfferedLoad, ServerSpec, ServerStats, compare_all, key_movement_by_placement,
    p99_extremes,
};
use crate::ratelimit::{
    self, Counterpart, DistributedRun, RateAlgorithm, RateLimitConfig, RateLimitRun, counterparts,
    distributed_over_admission,
};
use crate::report::{APP_VERSION, Entries, QueueingSection, Report};
use crate::scenario::{MAGLEV_TABLE, MOVEMENT_KEYS, Scenario};

/// The schema name and version of the simulator documents.
pub const SIMULATION_SCHEMA: &str = "headroom.simulation.v1";

/// Most steps of an auto-scaling run a document carries: the page charts at most this many
/// points per series (`app/src/pages/autoscaling/charts.rs`), and a week's run at 15 s has
/// 40,320 steps, about 8 MB of JSON.
pub const MAX_DOCUMENT_STEPS: usize = 480;

/// Why a simulator could not run a scenario that parsed: the message its page shows.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SimulationError {
    /// The simulator refused its configuration.
    #[error("{0}")]
    Refused(String),
    /// The report the queueing figures come from could not be built (a bug).
    #[error("{0}")]
    Internal(String),
}

/// `/queueing`'s figures: the report's M/M/c section and its traces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QueueingDocument {
    /// Always [`SIMULATION_SCHEMA`].
    pub schema: String,
    /// The Headroom version that produced it.
    pub app_version: String,
    /// The scenario's canonical query string (without `?`).
    pub query: String,
    /// The M/M/c figures, as in the report.
    pub queueing: QueueingSection,
    /// Formula traces by figure path (`queueing.utilization`, ...).
    pub explain: Entries<String>,
}

/// The HPA policy as `/autoscaling` states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PolicyFigures {
    /// The policy in the `hpa` field's compact form (a manifest in `hpa_yaml` replaces the field).
    pub hpa: String,
    /// `minReplicas`.
    pub min_replicas: u32,
    /// `maxReplicas`.
    pub max_replicas: u32,
    /// The metrics and their targets, in words.
    pub metrics: String,
    /// The scale-up limit, in words.
    pub scale_up: String,
    /// The scale-up stabilization window, in words.
    pub scale_up_window: String,
    /// The scale-down limit, in words.
    pub scale_down: String,
    /// The scale-down stabilization window, in words.
    pub scale_down_window: String,
    /// A note when the policy is the legacy CPU-only form.
    pub legacy_note: Option<String>,
    /// A note when an Object or External metric has no values to read.
    pub outside_note: Option<String>,
}

/// `/autoscaling`'s figures: the policy, the run's totals and findings, and its steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AutoscalingDocument {
    /// Always [`SIMULATION_SCHEMA`].
    pub schema: String,
    /// The Headroom version that produced it.
    pub app_version: String,
    /// The scenario's canonical query string (without `?`).
    pub query: String,
    /// The policy.
    pub policy: PolicyFigures,
    /// The fields of a manifest sent in `hpa_yaml` that are not simulated (empty without one).
    pub unsupported: Vec<UnsupportedField>,
    /// The run's totals and the chapter's anti-patterns it showed.
    pub summary: SimSummary,
    /// Steps in the run.
    pub steps_total: u64,
    /// `steps` holds every `steps_stride`-th step from the first, at most
    /// [`MAX_DOCUMENT_STEPS`]: the points the page charts.
    pub steps_stride: u64,
    /// The sampled steps, in time order.
    pub steps: Vec<SimStep>,
    /// Formula traces by figure path (`summary.cost_usd`, ...).
    pub explain: Entries<String>,
}

/// `/rate-limiting`'s figures: six algorithms on the same requests, the real systems'
/// settings, and the same client behind a load balancer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateLimitingDocument {
    /// Always [`SIMULATION_SCHEMA`].
    pub schema: String,
    /// The Headroom version that produced it.
    pub app_version: String,
    /// The scenario's canonical query string (without `?`).
    pub query: String,
    /// The limit every algorithm enforces.
    pub limits: RateLimitConfig,
    /// Every algorithm on the same requests, in the page's order.
    pub run: RateLimitRun,
    /// The same setting in nginx, Redis, governor and Go.
    pub real_systems: Vec<Counterpart>,
    /// Local counters against one shared counter across the servers.
    pub distributed: DistributedRun,
    /// Formula traces by figure path (`run.algorithms.0.max_admitted_in_window`, ...).
    pub explain: Entries<String>,
}

/// The shortest or the longest p99 of the algorithms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct P99Figure {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Its 99th percentile response time, seconds.
    pub p99_s: f64,
}

/// One placement's share of keys that move when a server is added or removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MovementFigures {
    /// The placement: `modulo`, `ring` (consistent hashing) or `maglev`.
    pub placement: String,
    /// Its name on the page.
    pub name: String,
    /// Share of keys moving when a server is added; `null` at the most servers.
    pub add: Option<f64>,
    /// Share moving when the last server is removed; `null` for a single server.
    pub remove: Option<f64>,
    /// The share expected for uniform hashes when adding a server.
    pub expected_add: f64,
    /// The share expected for uniform hashes when removing one.
    pub expected_remove: f64,
}

/// `/load-balancing`'s figures: every algorithm on the same requests and key movement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoadBalancingDocument {
    /// Always [`SIMULATION_SCHEMA`].
    pub schema: String,
    /// The Headroom version that produced it.
    pub app_version: String,
    /// The scenario's canonical query string (without `?`).
    pub query: String,
    /// The servers, in order (`runs[].servers` follow it).
    pub servers: Vec<ServerSpec>,
    /// Requests simulated per algorithm.
    pub requests: u32,
    /// The load the arrivals offer to the servers.
    pub offered_load: OfferedLoad,
    /// The algorithm with the shortest p99.
    pub shortest_p99: Option<P99Figure>,
    /// The algorithm with the longest p99.
    pub longest_p99: Option<P99Figure>,
    /// Every algorithm's run, in the page's order.
    pub runs: Vec<LbRun>,
    /// Keys that move under each hashed placement.
    pub key_movement: Vec<MovementFigures>,
    /// Formula traces by figure path (`offered_load.utilization`, ...).
    pub explain: Entries<String>,
}

fn refused(err: impl std::fmt::Display) -> SimulationError {
    SimulationError::Refused(err.to_string())
}

impl QueueingDocument {
    /// The queueing figures of `scenario`: the report's section, which is computed with the
    /// rest of the report (a tenth of a millisecond).
    ///
    /// # Errors
    /// [`SimulationError::Internal`] when the report cannot be built (a bug).
    pub fn build(scenario: &Scenario) -> Result<Self, SimulationError> {
        let report =
            Report::build(scenario).map_err(|e| SimulationError::Internal(e.to_string()))?;
        let mut explain = Entries::with_capacity(8);
        for (path, trace) in report.explain.iter() {
            if path.starts_with("queueing.") {
                explain.insert(path.to_string(), trace.clone());
            }
        }
        Ok(Self {
            schema: SIMULATION_SCHEMA.to_string(),
            app_version: APP_VERSION.to_string(),
            query: report.query,
            queueing: report.queueing,
            explain,
        })
    }
}

impl AutoscalingDocument {
    /// The auto-scaling run of `scenario`, with the policy of a pasted manifest in place of the
    /// `hpa` field when there is one (as the page does).
    ///
    /// # Errors
    /// [`SimulationError::Refused`] with the simulator's message.
    pub fn build(
        scenario: &Scenario,
        pasted: Option<(HpaPolicy, Vec<UnsupportedField>)>,
    ) -> Result<Self, SimulationError> {
        let (policy, unsupported) = pasted.unwrap_or_else(|| (scenario.hpa().clone(), Vec::new()));
        let config = scenario.autoscale_config(policy);
        let run = autoscale::simulate(&config).map_err(refused)?;
        let p = &config.policy;
        let figures = PolicyFigures {
            hpa: p.to_compact(),
            min_replicas: p.min_replicas,
            max_replicas: p.max_replicas,
            metrics: metrics_text(p),
            scale_up: scale_up_text(p),
            scale_up_window: scale_up_window_text(p),
            scale_down: scale_down_text(p),
            scale_down_window: window_text(&p.scale_down),
            legacy_note: legacy_note(p),
            outside_note: outside_without_value(p, &config.outside_metrics),
        };
        let mut explain = Entries::with_capacity(6);
        explain.insert("policy.scale_up", scale_up_trace(p));
        explain.insert("policy.scale_down", scale_down_trace(p));
        explain.insert(
            "summary.over_capacity_share",
            run.summary.over_capacity_trace(),
        );
        explain.insert("summary.cost_usd", run.summary.cost_trace(&config));
        explain.insert("summary.direction_changes", SimSummary::thrashing_trace());
        explain.insert(
            "summary.mean_queueing_delay_s",
            SimSummary::queueing_delay_trace(),
        );
        let stride = run.steps.len().div_ceil(MAX_DOCUMENT_STEPS).max(1);
        Ok(Self {
            schema: SIMULATION_SCHEMA.to_string(),
            app_version: APP_VERSION.to_string(),
            query: scenario.to_query(),
            policy: figures,
            unsupported,
            steps_total: run.steps.len() as u64,
            steps_stride: stride as u64,
            steps: run.steps.iter().step_by(stride).cloned().collect(),
            summary: run.summary,
            explain,
        })
    }
}

impl RateLimitingDocument {
    /// The rate-limiting runs of `scenario`.
    ///
    /// # Errors
    /// [`SimulationError::Refused`] with the simulator's message.
    pub fn build(scenario: &Scenario) -> Result<Self, SimulationError> {
        let limits = scenario.rate_limits();
        let run = ratelimit::simulate(&limits, &scenario.rate_limit_traffic()).map_err(refused)?;
        let distributed =
            distributed_over_admission(&scenario.rate_limit_distributed()).map_err(refused)?;
        let mut explain = Entries::with_capacity(4);
        let index = |which: RateAlgorithm| run.algorithms.iter().position(|a| a.algorithm == which);
        if let Some(i) = index(RateAlgorithm::FixedWindow) {
            explain.insert(
                format!("run.algorithms.{i}.max_admitted_in_window"),
                RateLimitRun::fixed_window_trace(&limits),
            );
        }
        if let Some(i) = index(RateAlgorithm::SlidingWindowLog) {
            explain.insert(
                format!("run.algorithms.{i}.max_admitted_in_window"),
                RateLimitRun::sliding_log_trace(),
            );
        }
        if let Some(i) = index(RateAlgorithm::TokenBucket) {
            explain.insert(
                format!("run.algorithms.{i}.largest_burst"),
                run.token_burst_trace(&limits),
            );
        }
        explain.insert(
            "distributed.over_admission_factor",
            distributed.over_admission_trace(),
        );
        Ok(Self {
            schema: SIMULATION_SCHEMA.to_string(),
            app_version: APP_VERSION.to_string(),
            query: scenario.to_query(),
            real_systems: counterparts(&limits),
            limits,
            run,
            distributed,
            explain,
        })
    }
}

impl LoadBalancingDocument {
    /// Every load-balancing algorithm on the requests of `scenario`, and key movement.
    ///
    /// # Errors
    /// [`SimulationError::Refused`] with the simulator's message.
    pub fn build(scenario: &Scenario) -> Result<Self, SimulationError> {
        let config = scenario.lb_config();
        let runs = compare_all(&config).map_err(refused)?;
        let moved = key_movement_by_placement(
            config.servers.len(),
            config.vnodes,
            MAGLEV_TABLE,
            MOVEMENT_KEYS,
        );
        let offered_load = config.offered_load();
        let extremes = p99_extremes(&runs);
        let p99 = |run: Option<&LbRun>| {
            run.map(|r| P99Figure {
                algorithm: r.algorithm,
                p99_s: r.response.p99_s,
            })
        };
        let (shortest_p99, longest_p99) = (p99(extremes.shortest), p99(extremes.longest));
        let mut explain = Entries::with_capacity(2);
        explain.insert("offered_load.utilization", offered_load.trace(&config));
        explain.insert("runs.servers.utilization", ServerStats::utilization_trace());
        Ok(Self {
            schema: SIMULATION_SCHEMA.to_string(),
            app_version: APP_VERSION.to_string(),
            query: scenario.to_query(),
            requests: config.requests,
            offered_load,
            shortest_p99,
            longest_p99,
            key_movement: moved
                .into_iter()
                .map(|m| MovementFigures {
                    placement: m.key.to_string(),
                    name: m.name.to_string(),
                    add: m.add,
                    remove: m.remove,
                    expected_add: m.expected_add,
                    expected_remove: m.expected_remove,
                })
                .collect(),
            runs,
            servers: config.servers,
            explain,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_builds_for_the_defaults() {
        let s = Scenario::default();
        let q = QueueingDocument::build(&s).unwrap();
        assert!(q.explain.contains_key("queueing.utilization"));
        let a = AutoscalingDocument::build(&s, None).unwrap();
        assert!(a.steps.len() <= MAX_DOCUMENT_STEPS);
        assert_eq!(
            a.steps.len() as u64,
            a.steps_total.div_ceil(a.steps_stride),
            "every stride-th step from the first"
        );
        let r = RateLimitingDocument::build(&s).unwrap();
        assert_eq!(r.run.algorithms.len(), RateAlgorithm::ALL.len());
        assert_eq!(r.explain.len(), 4);
        let l = LoadBalancingDocument::build(&s).unwrap();
        assert_eq!(l.runs.len(), Algorithm::ALL.len());
        assert_eq!(l.key_movement.len(), 3);
    }
}
