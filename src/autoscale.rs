//! How a Kubernetes HorizontalPodAutoscaler (autoscaling/v2) would actually behave.
//!
//! The chapter's section 4 shows an HPA with `behavior` policies and names the auto-scaling
//! anti-patterns; this module simulates that controller against seeded traffic so the effect of
//! every field can be seen: the replica count it asks for, the pods that are ready, the demand
//! that finds no capacity, the cost, and the anti-patterns as they happen.
//!
//! The controller follows the algorithm of the Kubernetes documentation ("Horizontal Pod
//! Autoscaling", section "Algorithm details" and "Configurable scaling behavior",
//! kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/) and the controller it
//! describes (`pkg/controller/podautoscaler/horizontal.go` and `replica_calculator.go`):
//! - every sync period (15 s), each metric proposes `ceil(current × metric / target)` replicas,
//!   unless the ratio is within the tolerance (0.1); the largest proposal wins;
//! - pods are grouped as the replica calculator does: a pod still starting is `Pending`
//!   (unready: 0 on a scale-up, left out of a scale-down), then `Running` but not ready (its
//!   CPU sample set aside within the CPU initialization period and while it has never been
//!   ready, its per-pod metric counted); a pod whose first sample has not reached the
//!   controller yet is "missing" (0 on a scale-up; on a scale-down 100% of its CPU request, or
//!   at least the target, for CPU, and exactly the target for a per-pod metric);
//! - the stabilization window keeps the lowest recommendation of the scale-up window and the
//!   highest of the scale-down window (defaults 0 s and 300 s);
//! - `Percent` and `Pods` policies limit the change relative to the replica count at the start
//!   of each policy's period, combined by `selectPolicy` (`Max`, `Min`, `Disabled`);
//! - the result is clamped to `[minReplicas, maxReplicas]`.
//!
//! Where the simulation simplifies, the item's documentation says so. The main ones: all pods
//! are identical and share the load evenly; a pod's CPU is proportional to the requests it
//! serves and saturates at 100% of its request; the metric seen by the controller is the
//! average of one simulation step, `metric_lag_s` old; pods start exactly `startup_delay_s` after
//! they are created and never fail.

/// The chapter's HorizontalPodAutoscaler (section 4, "Scaling Policies"), verbatim: the manifest
/// the YAML import must load as is, shared by the tests, the benchmarks and the browser tests.
pub const CHAPTER_EXAMPLE_YAML: &str = include_str!("autoscale/chapter_hpa.yaml");

mod best;
mod controller;
mod outside;
mod pasted;
mod policy;
mod sim;
mod traffic;
pub mod words;
#[cfg(feature = "yaml")]
mod yaml;

pub use best::{BestTarget, TARGETS as BEST_TARGETS, best_cpu_target};
pub use controller::desired_replicas;
pub use outside::{MAX_OUTSIDE_VALUE, MAX_POINTS, OutsideSeries, format_outside, parse_outside};
pub use pasted::{MAX_PASTE_BYTES, ManifestReading, Pasted, UnsupportedField};
pub use policy::{
    DEFAULT_TOLERANCE, HpaPolicy, MAX_LIST, MetricTarget, PolicyKind, ScalingPolicy, ScalingRules,
    SelectPolicy, ValueTarget,
};
pub use sim::{
    AGGRESSIVE_UNDO_S, AntiPattern, CONSERVATIVE_SHARE, Finding, Overflow, SimConfig, SimRun,
    SimStep, SimSummary, THRASH_REVERSALS, THRASH_WINDOW_S, simulate,
};
pub use traffic::{DIURNAL_PEAK_S, MAX_RPS, Traffic, demand_series};
#[cfg(feature = "yaml")]
pub use yaml::MAX_YAML_BYTES;

/// Most steps one simulation may take: bounds the time and memory any input can cost
/// (a day at 15 s is 5,760 steps; a week at 15 s is 40,320).
pub const MAX_STEPS: u64 = 100_000;

/// Most replicas a policy may allow (Kubernetes stores replica counts as int32; a million pods
/// is far beyond any single Deployment).
pub const MAX_REPLICAS: u32 = 1_000_000;

/// Errors from the auto-scaling simulator, its policy and its YAML reader.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AutoscaleError {
    /// A number was outside its allowed interval (or NaN); the field by its Kubernetes or query
    /// name (e.g. `spec.minReplicas`).
    #[error(transparent)]
    OutOfRange(#[from] RangeError),
    /// `minReplicas` was above `maxReplicas`.
    #[error("minReplicas ({min}) must not be above maxReplicas ({max})")]
    MinAboveMax {
        /// `minReplicas`.
        min: u32,
        /// `maxReplicas`.
        max: u32,
    },
    /// A policy had no metric to scale on.
    #[error("the policy needs at least one metric to scale on")]
    NoMetric,
    /// A scaling direction that is not `Disabled` had no policy.
    #[error(
        "{direction} needs at least one policy (Kubernetes rejects an empty list); use selectPolicy: Disabled to turn it off"
    )]
    NoPolicy {
        /// `scaleUp` or `scaleDown`.
        direction: &'static str,
    },
    /// The run would take more than [`MAX_STEPS`] steps.
    #[error(
        "the run would take {steps} steps, more than {max}; shorten the duration or lengthen the step"
    )]
    TooManySteps {
        /// Steps the run would take.
        steps: u64,
        /// The cap.
        max: u64,
    },
    /// The YAML text was longer than [`MAX_YAML_BYTES`].
    #[error(
        "the YAML is {bytes} bytes, more than the {max} this page reads; paste only the HorizontalPodAutoscaler"
    )]
    YamlTooLarge {
        /// Bytes given.
        bytes: usize,
        /// The cap.
        max: usize,
    },
    /// The YAML text could not be parsed.
    #[error("the YAML could not be read: {message}")]
    MalformedYaml {
        /// The parser's message, with line and column.
        message: String,
    },
    /// A required field was missing from the YAML.
    #[error("{path} is required")]
    MissingField {
        /// The field's path, e.g. `spec.maxReplicas`.
        path: String,
    },
    /// A YAML field had the wrong type or an unknown value.
    #[error("{path} must be {expected}")]
    InvalidField {
        /// The field's path, e.g. `spec.behavior.scaleUp.selectPolicy`.
        path: String,
        /// What was expected, e.g. `one of Max, Min, Disabled`.
        expected: String,
    },
    /// The manifest was not an `autoscaling/v2` HorizontalPodAutoscaler.
    #[error("expected apiVersion autoscaling/v2 and kind HorizontalPodAutoscaler, got {found}")]
    NotAnHpa {
        /// What the manifest said it was (`apiVersion` and `kind`).
        found: String,
    },
    /// Every metric in the manifest is of a kind the simulator does not model.
    #[error(
        "none of the metrics can be simulated; use a Resource cpu Utilization target, a Pods AverageValue target, or an Object or External metric"
    )]
    NoSupportedMetric,
    /// The compact text form of a policy could not be read.
    #[error("could not read `{text}`: expected {expected}")]
    InvalidCompact {
        /// The text that failed.
        text: String,
        /// What was expected there.
        expected: &'static str,
    },
}

use crate::range::RangeError;
pub(crate) use crate::range::check_range;
