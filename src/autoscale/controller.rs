//! The HPA controller's arithmetic: the replica calculator, the stabilization window and the
//! scaling policies, as in Kubernetes' `pkg/controller/podautoscaler` (`replica_calculator.go`,
//! `horizontal.go`), which the documentation's "Algorithm details" and "Configurable scaling
//! behavior" sections describe. Times are whole seconds since the start of the run.

use std::collections::VecDeque;

use super::policy::{PolicyKind, ScalingRules, SelectPolicy, ValueTarget};
use super::{AutoscaleError, HpaPolicy, MAX_REPLICAS, check_range};

/// The documentation's replica formula for one metric.
///
/// # Formula
/// ```text
/// ratio   = m / t
/// desired = current                       if 1 − tol ≤ ratio ≤ 1 + tol
///         = ⌈ current × ratio ⌉           otherwise
///   m = current metric value (per-pod average), t = target value, tol = tolerance (0.1)
/// Source: Kubernetes docs, "Horizontal Pod Autoscaling", Algorithm details:
///   desiredReplicas = ceil[currentReplicas * ( currentMetricValue / desiredMetricValue )]
/// ```
/// The result saturates at `u32::MAX`; the controller clamps it to `maxReplicas` later.
///
/// # Errors
/// [`AutoscaleError::OutOfRange`] for a negative or non-finite metric, a target that is not
/// positive, a tolerance outside [0, 0.99], or more than [`MAX_REPLICAS`] current replicas.
///
/// # Examples
/// ```
/// use headroom::autoscale::desired_replicas;
/// // The documentation's example: 200m against a 100m target doubles the replicas...
/// assert_eq!(desired_replicas(1, 0.200, 0.100, 0.1).unwrap(), 2);
/// // ...and 50m against 100m halves them.
/// assert_eq!(desired_replicas(4, 0.050, 0.100, 0.1).unwrap(), 2);
/// ```
pub fn desired_replicas(
    current_replicas: u32,
    current_metric: f64,
    target_metric: f64,
    tolerance: f64,
) -> Result<u32, AutoscaleError> {
    check_range(
        "currentReplicas",
        f64::from(current_replicas),
        0.0,
        f64::from(MAX_REPLICAS),
        "in [0, 1,000,000]",
    )?;
    check_range(
        "currentMetricValue",
        current_metric,
        0.0,
        f64::MAX,
        "in [0, ∞)",
    )?;
    check_range(
        "desiredMetricValue",
        target_metric,
        f64::MIN_POSITIVE,
        f64::MAX,
        "in (0, ∞)",
    )?;
    check_range("tolerance", tolerance, 0.0, 0.99, "in [0, 0.99]")?;
    let ratio = current_metric / target_metric;
    if within(ratio, tolerance, tolerance) {
        return Ok(current_replicas);
    }
    Ok(ceil_count(ratio * f64::from(current_replicas)))
}

/// `(1 − down) ≤ ratio ≤ (1 + up)`: the controller's tolerance test (`Tolerances.isWithin`).
fn within(ratio: f64, up: f64, down: f64) -> bool {
    (1.0 - down) <= ratio && ratio <= (1.0 + up)
}

/// `⌈x⌉` as a replica count, saturating (Go's `int32(math.Ceil(x))` for the values that occur).
fn ceil_count(x: f64) -> u32 {
    // The same value as `x.ceil() as u32`, without the call to a software `ceil` that x86-64
    // without SSE4.1 makes: below 2³² the truncation is exact, and one more is the ceiling of
    // anything it cut off.
    if (0.0..4_294_967_296.0).contains(&x) {
        let whole = x as u32;
        if f64::from(whole) < x {
            whole.saturating_add(1)
        } else {
            whole
        }
    } else {
        x.ceil() as u32
    }
}

/// One metric's sample as the replica calculator sees it, in the controller's integer units.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sample {
    /// CPU: each ready pod uses `usage_milli` of a 1,000m request; target in percent.
    Cpu {
        usage_milli: i64,
        target_percent: i64,
    },
    /// A per-pod metric: each ready pod reports `value_milli`; target in milli-units.
    Pods { value_milli: i64, target_milli: i64 },
}

/// The older path's scale-up limit per sync: at most `max(2 × current, 4)` replicas
/// (`scaleUpLimitFactor` and `scaleUpLimitMinimum` in Kubernetes'
/// pkg/controller/podautoscaler/horizontal.go, used by `calculateScaleUpLimit`).
pub(crate) const SCALE_UP_LIMIT_FACTOR: f64 = 2.0;
/// See [`SCALE_UP_LIMIT_FACTOR`].
pub(crate) const SCALE_UP_LIMIT_MINIMUM: f64 = 4.0;

/// `calculateScaleUpLimit`: the most replicas the older path (no `behavior`) allows in one sync.
///
/// # Formula
/// ```text
/// limit = trunc(max(2 × current, 4))
/// Source: horizontal.go, calculateScaleUpLimit, scaleUpLimitFactor = 2.0,
///   scaleUpLimitMinimum = 4.0
/// ```
pub(crate) fn legacy_scale_up_limit(current: u32) -> u32 {
    let limit = (SCALE_UP_LIMIT_FACTOR * f64::from(current)).max(SCALE_UP_LIMIT_MINIMUM);
    limit.min(f64::from(MAX_REPLICAS)) as u32
}

/// `convertDesiredReplicasWithRules`: the older path's bounds, `minReplicas` below and the
/// smaller of `maxReplicas` and [`legacy_scale_up_limit`] above. There is no scale-down limit.
pub(crate) fn legacy_bounds(current: u32, desired: u32, min: u32, max: u32) -> u32 {
    let highest = max.min(legacy_scale_up_limit(current));
    if desired < min {
        min
    } else if desired > highest {
        highest
    } else {
        desired
    }
}

/// CPU request per pod in millicores. Any value works: utilization is usage / request; 1,000m
/// keeps the controller's integer truncation at whole percents, as in the real one.
const REQUEST_MILLI: i64 = 1_000;

/// The scale target's pods as the replica calculator groups them for one metric
/// (`groupPods` in replica_calculator.go; failed and deleted pods, which it ignores, are not
/// simulated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct PodGroups {
    /// Pods whose sample counts.
    pub(crate) ready: u32,
    /// Pods set aside: `Pending` ones, and for CPU also `Running` ones that are not ready or
    /// whose sample predates their readiness (within the CPU initialization period).
    pub(crate) unready: u32,
    /// `Running` pods with no sample yet.
    pub(crate) missing: u32,
    /// Pods whose sample counts but was taken while they served nothing: `Running` and not yet
    /// ready when sampled (a per-pod metric counts it whatever the readiness; CPU only after
    /// the initialization period). They count at 0 beside the `ready` pods' average.
    pub(crate) idle: u32,
}

impl PodGroups {
    /// Every pod ready.
    #[cfg(test)]
    pub(crate) fn ready(ready: u32) -> Self {
        Self {
            ready,
            ..Self::default()
        }
    }
}

/// A metric's replica proposal, following `GetResourceReplicas` (CPU) and
/// `calcPlainMetricReplicas` (Pods) in replica_calculator.go.
///
/// # Formula
/// ```text
/// r = metric average over the ready pods / target
///     (CPU: u = ⌊100 × Σ usage / Σ request⌋ %, r = u / target %; no cap at 100%)
///     (idle pods, sampled while they served nothing, count at 0 in that average)
/// no missing pod, and no unready pod unless r > 1:
///     within tolerance → current, else ⌈r × (ready + idle)⌉
/// otherwise fill in, then recompute r' over every pod that has a value:
///     missing pods, r < 1: CPU at max(100%, target) of their request; Pods at the target
///     missing pods, r > 1: 0
///     (r = 1 exactly: nothing is filled in, r' = r, and the count stays)
///     unready pods, r > 1: 0 (on a scale-down they stay set aside)
///   within tolerance, or r' on the other side of 1 than r → current
///   else n = ⌈r' × pods with a value⌉, kept only if it moves in r's direction
/// Source: Kubernetes docs, Algorithm details (not-yet-ready and missing pods);
///   replica_calculator.go (groupPods, GetResourceReplicas, calcPlainMetricReplicas)
/// ```
/// `None` when no pod is ready (the controller has no sample and does not scale).
#[inline]
pub(crate) fn metric_proposal(
    sample: Sample,
    current: u32,
    pods: PodGroups,
    rules_up: &ScalingRules,
    rules_down: &ScalingRules,
) -> Option<u32> {
    let PodGroups {
        ready,
        unready,
        missing,
        idle,
    } = pods;
    // Pods with a sample: the ready ones at the sample's average, the idle ones at 0.
    let sampled = i64::from(ready) + i64::from(idle);
    if sampled == 0 {
        return None;
    }
    let is_within = |r: f64| within(r, rules_up.tolerance, rules_down.tolerance);
    // (ratio over the ready pods, value one ready pod contributes, the fill for a missing pod
    // on a scale-down, the target) in the metric's integer units.
    let (ratio, per_ready, missing_low, target) = match sample {
        Sample::Cpu {
            usage_milli,
            target_percent,
        } => {
            // The controller's Σ usage × 100 / Σ requests over identical pods: with no idle pod
            // the pod count cancels exactly (the two quotients are the same rational number),
            // which saves a division by a variable on every sync.
            let utilization = if idle == 0 {
                usage_milli * 100 / REQUEST_MILLI
            } else {
                usage_milli * i64::from(ready) * 100 / (REQUEST_MILLI * sampled)
            };
            let fallback_percent = target_percent.max(100);
            (
                utilization as f64 / target_percent as f64,
                usage_milli,
                REQUEST_MILLI * fallback_percent / 100,
                target_percent,
            )
        }
        Sample::Pods {
            value_milli,
            target_milli,
        } => (
            // Go's Σ value / n in integers (GetMetricUsageRatio).
            (value_milli * i64::from(ready) / sampled) as f64 / target_milli as f64,
            value_milli,
            target_milli,
            target_milli,
        ),
    };
    let scale_up_with_unready = unready > 0 && ratio > 1.0;
    if !scale_up_with_unready && missing == 0 {
        return Some(if is_within(ratio) {
            current
        } else {
            ceil_count(ratio * sampled as f64)
        });
    }
    let mut counted = sampled;
    let mut total = per_ready * i64::from(ready);
    if ratio < 1.0 {
        counted += i64::from(missing);
        total += missing_low * i64::from(missing);
    } else if ratio > 1.0 {
        counted += i64::from(missing);
    }
    if scale_up_with_unready {
        counted += i64::from(unready);
    }
    let new_ratio = match sample {
        Sample::Cpu { .. } => (total * 100 / (REQUEST_MILLI * counted)) as f64 / target as f64,
        Sample::Pods { .. } => (total / counted) as f64 / target as f64,
    };
    if is_within(new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0)
    {
        return Some(current);
    }
    let proposal = ceil_count(new_ratio * counted as f64);
    if (new_ratio < 1.0 && proposal > current) || (new_ratio > 1.0 && proposal < current) {
        return Some(current);
    }
    Some(proposal)
}

/// An Object or External metric's replica proposal: the metric comes from outside the pods, so
/// no pod is filled in, and the `Value` form scales the ready pods.
///
/// # Formula
/// ```text
/// Value:         r = u / t;              within tolerance → current, else ⌈r × ready⌉
/// AverageValue:  r = u / (t × current);  within tolerance → current, else ⌈u / t⌉
///   u = the metric's value, t = the target, both in milli-units; ready = pods Running and
///   Ready (0 ready gives 0: the other metrics and minReplicas decide)
/// Source: replica_calculator.go, GetObjectMetricReplicas and GetExternalMetricReplicas
///   (getUsageRatioReplicaCount, which counts the ready pods with getReadyPodsCount),
///   GetObjectPerPodMetricReplicas and GetExternalPerPodMetricReplicas; the External form
///   sums the values of every series the selector matches, which here is the one value given
/// ```
/// `current` is at least 1 here (minReplicas ≥ 1); Kubernetes' scale-from-zero branch
/// (`⌈r⌉` with 0 current replicas) needs the HPAScaleToZero alpha gate and is not simulated.
pub(crate) fn outside_proposal(
    kind: ValueTarget,
    usage_milli: i64,
    target_milli: i64,
    current: u32,
    ready: u32,
    rules_up: &ScalingRules,
    rules_down: &ScalingRules,
) -> u32 {
    let is_within = |r: f64| within(r, rules_up.tolerance, rules_down.tolerance);
    let target = target_milli.max(1) as f64;
    let usage = usage_milli as f64;
    match kind {
        ValueTarget::Value => {
            let ratio = usage / target;
            if is_within(ratio) {
                current
            } else {
                ceil_count(ratio * f64::from(ready))
            }
        }
        ValueTarget::AverageValue => {
            let ratio = usage / (target * f64::from(current.max(1)));
            if is_within(ratio) {
                current
            } else {
                ceil_count(usage / target)
            }
        }
    }
}

/// The controller's memory between syncs: past recommendations and scale events.
///
/// Calls must come with the same policy and times that never decrease, as the controller's
/// syncs do: the stabilization windows keep only the recommendations that can still decide.
#[derive(Debug, Clone, Default)]
pub(crate) struct Controller {
    /// Recommendations that can still be the lowest of the scale-up window.
    lowest: WindowExtreme,
    /// Recommendations that can still be the highest of the scale-down window.
    highest: WindowExtreme,
    /// (time, pods added).
    up_events: VecDeque<(u64, u32)>,
    /// (time, pods removed).
    down_events: VecDeque<(u64, u32)>,
}

/// The extreme (lowest or highest) unstabilized recommendation of a sliding window, as a
/// monotonic queue: a recommendation that a newer one equals or beats can never be the extreme
/// again (the newer one stays in every window at least as long), so it is dropped, and what
/// stays is ordered by time and by value. The window's extreme is then the oldest entry still
/// inside it: O(1) per sync, amortized, instead of a scan of the whole window (20 entries for
/// the default 300 s window at a 15 s sync).
#[derive(Debug, Clone, Default)]
struct WindowExtreme {
    /// (time, recommendation), oldest first; each entry from `first` on strictly beats every
    /// newer one. Entries before `first` have left the window (a `Vec` and an index cost less
    /// per sync than a `VecDeque`; the dead prefix is dropped once it is half the buffer).
    candidates: Vec<(u64, u32)>,
    first: usize,
}

impl WindowExtreme {
    /// The extreme of the recommendations in the `window` seconds before `now`, if any, after
    /// setting aside those that have left it for good. A 0 s window holds nothing.
    fn extreme(&mut self, now: u64, window: u32) -> Option<u32> {
        if window == 0 {
            return None;
        }
        while let Some(&(at, _)) = self.candidates.get(self.first) {
            if recent(at, now, window) {
                break;
            }
            self.first += 1;
        }
        self.candidates.get(self.first).map(|&(_, rec)| rec)
    }

    /// Records `rec` at `at` for a `window`-second window (nothing for 0 s: no later sync can
    /// see it); `beats(a, b)` says whether `a` is strictly more extreme than `b`.
    fn record(&mut self, at: u64, rec: u32, window: u32, beats: fn(u32, u32) -> bool) {
        if window > 0 {
            self.seed(at, rec, beats);
        }
    }

    /// Records `rec` at `at` whatever the window.
    fn seed(&mut self, at: u64, rec: u32, beats: fn(u32, u32) -> bool) {
        while self.candidates.len() > self.first
            && self
                .candidates
                .last()
                .is_some_and(|&(_, older)| !beats(older, rec))
        {
            self.candidates.pop();
        }
        if self.first > 0 && self.first * 2 >= self.candidates.len() {
            self.candidates.drain(..self.first);
            self.first = 0;
        }
        self.candidates.push((at, rec));
    }
}

fn lower(a: u32, b: u32) -> bool {
    a < b
}

fn higher(a: u32, b: u32) -> bool {
    a > b
}

/// Whether `at` lies in the `window` seconds before `now` (the controller's `After(cutoff)`).
fn recent(at: u64, now: u64, window: u32) -> bool {
    at + u64::from(window) > now
}

fn sum_recent(events: &VecDeque<(u64, u32)>, now: u64, period: u32) -> i64 {
    // Events are in time order: sum from the newest back while inside the period.
    events
        .iter()
        .rev()
        .take_while(|(at, _)| recent(*at, now, period))
        .map(|(_, n)| i64::from(*n))
        .sum()
}

/// Drops entries older than `keep` seconds (they are in time order).
fn prune(events: &mut VecDeque<(u64, u32)>, now: u64, keep: u32) {
    while events
        .front()
        .is_some_and(|&(at, _)| !recent(at, now, keep))
    {
        events.pop_front();
    }
}

impl Controller {
    /// A controller that has been recommending `replicas` up to time `now`, so the run starts in
    /// a steady state rather than with an empty (restarted) controller.
    pub(crate) fn steady(replicas: u32, now: u64) -> Self {
        let mut controller = Self::default();
        controller.lowest.seed(now, replicas, lower);
        controller.highest.seed(now, replicas, higher);
        controller
    }

    /// One sync: returns the new replica count for the scale target.
    ///
    /// # Formula
    /// ```text
    /// current > max → max;  current < min → min;  no metric sample → current
    /// otherwise: p = largest metric proposal
    ///   up_rec   = min(p, recommendations in the last scaleUp window)
    ///   down_rec = max(p, recommendations in the last scaleDown window)
    ///   s = clamp(current, up_rec, down_rec)                       (stabilization)
    ///   s > current: s ≤ min(max, limit_up),   s < current: s ≥ max(min, limit_down)
    ///   limit per policy, from the replicas at the start of its period:
    ///     start = current − added in period + removed in period
    ///     up:   Pods start + v;   Percent ⌈start × (1 + v/100)⌉
    ///     down: Pods start − v;   Percent trunc(start × (1 − v/100))
    ///   selectPolicy Max takes the largest change, Min the smallest, Disabled none
    /// without behavior (has_behavior false), instead:
    ///   s = max(p, recommendations of the last w s, one exactly w old included)
    ///   result = clamp(s, min, min(max, trunc(max(2 × current, 4))))
    ///   w = scale_down.stabilization_window_s; no scale events are stored
    /// Source: Kubernetes docs, "Stabilization window", "Scaling policies"; horizontal.go
    ///   (stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate,
    ///   calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors; without
    ///   behavior: normalizeDesiredReplicas, stabilizeRecommendation,
    ///   convertDesiredReplicasWithRules, calculateScaleUpLimit)
    /// ```
    pub(crate) fn reconcile(
        &mut self,
        policy: &HpaPolicy,
        now: u64,
        current: u32,
        proposal: Option<u32>,
    ) -> u32 {
        let next = if current > policy.max_replicas {
            policy.max_replicas
        } else if current < policy.min_replicas {
            policy.min_replicas
        } else if let Some(proposal) = proposal {
            if policy.has_behavior {
                let stabilized = self.stabilize(policy, now, current, proposal);
                self.limit_rate(policy, now, current, stabilized)
            } else {
                let stabilized = self.stabilize_legacy(policy, now, proposal);
                legacy_bounds(
                    current,
                    stabilized,
                    policy.min_replicas,
                    policy.max_replicas,
                )
            }
        } else {
            current
        };
        // Without `behavior` the controller stores no scale events (`storeScaleEvent` returns
        // early): nothing on that path reads them.
        if policy.has_behavior {
            self.store_event(policy, now, current, next);
        }
        next
    }

    /// The older path's `stabilizeRecommendation`: the highest of `proposal` and the
    /// recommendations of the last `w` seconds, whichever way it points.
    ///
    /// # Formula
    /// ```text
    /// s = max(p, recommendations r_t with t ≥ now − w)
    ///   w = the controller's downscale stabilization (scale_down.stabilization_window_s)
    /// Source: horizontal.go, stabilizeRecommendation (a recommendation counts unless its
    ///   timestamp is Before(now − w): one exactly w old still counts, unlike on the behavior
    ///   path's After(cutoff))
    /// ```
    fn stabilize_legacy(&mut self, policy: &HpaPolicy, now: u64, proposal: u32) -> u32 {
        // Whole seconds: `t ≥ now − w` is `t + (w + 1) > now`, the window test of
        // `WindowExtreme` with one second more.
        let window = policy.scale_down.stabilization_window_s + 1;
        let stabilized = self
            .highest
            .extreme(now, window)
            .map_or(proposal, |rec| rec.max(proposal));
        self.highest.record(now, proposal, window, higher);
        stabilized
    }

    fn stabilize(&mut self, policy: &HpaPolicy, now: u64, current: u32, proposal: u32) -> u32 {
        let up_window = policy.scale_up.stabilization_window_s;
        let down_window = policy.scale_down.stabilization_window_s;
        let up_rec = self
            .lowest
            .extreme(now, up_window)
            .map_or(proposal, |rec| rec.min(proposal));
        let down_rec = self
            .highest
            .extreme(now, down_window)
            .map_or(proposal, |rec| rec.max(proposal));
        let stabilized = current.max(up_rec).min(down_rec);
        self.lowest.record(now, proposal, up_window, lower);
        self.highest.record(now, proposal, down_window, higher);
        stabilized
    }

    fn limit_rate(&self, policy: &HpaPolicy, now: u64, current: u32, desired: u32) -> u32 {
        if desired > current {
            let limit = self
                .limit(&policy.scale_up, now, current, true)
                .max(current);
            desired.min(policy.max_replicas.min(limit))
        } else if desired < current {
            let limit = self
                .limit(&policy.scale_down, now, current, false)
                .min(current);
            desired.max(policy.min_replicas.max(limit))
        } else {
            desired
        }
    }

    /// The furthest the replica count may move in one direction now.
    fn limit(&self, rules: &ScalingRules, now: u64, current: u32, up: bool) -> u32 {
        if rules.select_policy == SelectPolicy::Disabled {
            return current;
        }
        // Max picks the largest change: the highest count going up, the lowest going down.
        let largest_change = rules.select_policy == SelectPolicy::Max;
        let pick_highest = largest_change == up;
        let mut result: Option<i64> = None;
        for policy in &rules.policies {
            let start = i64::from(current) - sum_recent(&self.up_events, now, policy.period_s)
                + sum_recent(&self.down_events, now, policy.period_s);
            let value = i64::from(policy.value);
            let proposed = match (policy.kind, up) {
                (PolicyKind::Pods, true) => start + value,
                (PolicyKind::Pods, false) => start - value,
                // Go: int32(math.Ceil(float64(start) * (1 + float64(value)/100)))
                (PolicyKind::Percent, true) => {
                    (start as f64 * (1.0 + value as f64 / 100.0)).ceil() as i64
                }
                // Go: int32(float64(start) * (1 - float64(value)/100)), truncation toward zero
                (PolicyKind::Percent, false) => {
                    (start as f64 * (1.0 - value as f64 / 100.0)) as i64
                }
            };
            result = Some(match result {
                None => proposed,
                Some(r) if pick_highest => r.max(proposed),
                Some(r) => r.min(proposed),
            });
        }
        let limit = result.unwrap_or(i64::from(current));
        limit.clamp(0, i64::from(MAX_REPLICAS)) as u32
    }

    fn store_event(&mut self, policy: &HpaPolicy, now: u64, before: u32, after: u32) {
        if after > before {
            let keep = policy.scale_up.longest_period_s();
            prune(&mut self.up_events, now, keep);
            self.up_events.push_back((now, after - before));
        } else if after < before {
            let keep = policy.scale_down.longest_period_s();
            prune(&mut self.down_events, now, keep);
            self.down_events.push_back((now, before - after));
        }
    }
}

#[cfg(test)]
mod group_pods;
#[cfg(test)]
mod kubernetes_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autoscale::policy::ScalingRules;

    #[test]
    fn documentation_examples() {
        // Kubernetes docs, Algorithm details: 200m / 100m = 2.0 doubles; 50m / 100m halves.
        assert_eq!(desired_replicas(1, 0.2, 0.1, 0.1).unwrap(), 2);
        assert_eq!(desired_replicas(3, 0.2, 0.1, 0.1).unwrap(), 6);
        assert_eq!(desired_replicas(4, 0.05, 0.1, 0.1).unwrap(), 2);
        // By hand: 4 replicas at 50% average against a 100% target: ⌈4 × 0.5⌉ = 2.
        assert_eq!(desired_replicas(4, 50.0, 100.0, 0.1).unwrap(), 2);
        // Within the 0.1 tolerance nothing happens: 105m / 100m = 1.05, 92m / 100m = 0.92.
        assert_eq!(desired_replicas(10, 0.105, 0.1, 0.1).unwrap(), 10);
        assert_eq!(desired_replicas(10, 0.092, 0.1, 0.1).unwrap(), 10);
        // Just outside: 12 replicas at 1.2 → ⌈14.4⌉ = 15.
        assert_eq!(desired_replicas(12, 1.2, 1.0, 0.1).unwrap(), 15);
        assert!(desired_replicas(1, 1.0, 0.0, 0.1).is_err());
        assert!(desired_replicas(1, f64::NAN, 1.0, 0.1).is_err());
    }

    fn unready(ready: u32, unready: u32) -> PodGroups {
        PodGroups {
            ready,
            unready,
            ..PodGroups::default()
        }
    }

    fn missing(ready: u32, missing: u32) -> PodGroups {
        PodGroups {
            ready,
            missing,
            ..PodGroups::default()
        }
    }

    #[test]
    fn cpu_proposal_uses_whole_percents() {
        let up = ScalingRules::default_scale_up();
        let down = ScalingRules::default_scale_down();
        // 10 ready pods each at 0.7499 of their request: ⌊74.99⌋ = 74% vs a 50% target,
        // ratio 1.48, ⌈14.8⌉ = 15 (with 75% it would be exactly 15 as well; with 76%, 16).
        let sample = Sample::Cpu {
            usage_milli: 749,
            target_percent: 50,
        };
        assert_eq!(
            metric_proposal(sample, 10, PodGroups::ready(10), &up, &down),
            Some(15)
        );
        let sample = Sample::Cpu {
            usage_milli: 760,
            target_percent: 50,
        };
        assert_eq!(
            metric_proposal(sample, 10, PodGroups::ready(10), &up, &down),
            Some(16)
        );
    }

    #[test]
    fn starting_pods_count_as_zero_on_a_scale_up() {
        let up = ScalingRules::default_scale_up();
        let down = ScalingRules::default_scale_down();
        // 4 ready pods at 100% CPU, 4 starting, target 50%. Ready only: ratio 2.0.
        // With the starting pods at 0%: ⌊100 × 4,000 / 8,000⌋ = 50% → ratio 1.0, within the
        // tolerance → keep 8 (the docs: "conservatively assume not-yet-ready pods use 0%").
        let sample = Sample::Cpu {
            usage_milli: 1000,
            target_percent: 50,
        };
        assert_eq!(
            metric_proposal(sample, 8, unready(4, 4), &up, &down),
            Some(8)
        );
        // 2 starting instead: 4,000·100 / 6,000 = 66% → ratio 1.32 → ⌈1.32 × 6⌉ = 8.
        assert_eq!(
            metric_proposal(sample, 6, unready(4, 2), &up, &down),
            Some(8)
        );
        // Pods metric, 4 ready at 2,000 req/s vs 1,000 target, 4 missing (counted as 0):
        // average 8,000/8 = 1,000 → ratio 1.0 → keep 8.
        let sample = Sample::Pods {
            value_milli: 2_000_000,
            target_milli: 1_000_000,
        };
        assert_eq!(
            metric_proposal(sample, 8, missing(4, 4), &up, &down),
            Some(8)
        );
        // On a scale-down missing pods count as the target: 4 at 500 + 4 at 1,000 → 750 → ⌈6⌉.
        let sample = Sample::Pods {
            value_milli: 500_000,
            target_milli: 1_000_000,
        };
        assert_eq!(
            metric_proposal(sample, 8, missing(4, 4), &up, &down),
            Some(6)
        );
        assert_eq!(metric_proposal(sample, 8, missing(0, 8), &up, &down), None);
    }

    #[test]
    fn a_pods_phase_decides_how_it_counts() {
        // The issue's cases, by hand from replica_calculator.go (groupPods, GetResourceReplicas,
        // calcPlainMetricReplicas). 8 pods, 4 with a sample at 25% CPU against 50%:
        let up = ScalingRules::default_scale_up();
        let down = ScalingRules::default_scale_down();
        let sample = Sample::Cpu {
            usage_milli: 250,
            target_percent: 50,
        };
        // the other 4 Pending (unready): left out of a scale-down → ⌈0.5 × 4⌉ = 2;
        assert_eq!(
            metric_proposal(sample, 8, unready(4, 4), &up, &down),
            Some(2)
        );
        // the other 4 Running without a sample (missing): at 100% of their request,
        // (4 × 250 + 4 × 1,000) / 8,000 = 62% → above the target while 25% was below: keep 8.
        assert_eq!(
            metric_proposal(sample, 8, missing(4, 4), &up, &down),
            Some(8)
        );
        // With a target above 100% the missing pods count at the target instead
        // (max(100%, target)): 75% against 150% is a ratio of 0.5; filled,
        // (4 × 750 + 4 × 1,500) / 8,000 = 112% → 0.747 → ⌈5.97⌉ = 6.
        let sample = Sample::Cpu {
            usage_milli: 750,
            target_percent: 150,
        };
        assert_eq!(
            metric_proposal(sample, 8, missing(4, 4), &up, &down),
            Some(6)
        );
        // A Pods metric exactly at its target with 4 missing pods: nothing is filled in
        // (ratio 1 is neither a scale-up nor a scale-down) → keep 8, not ⌈0.5 × 8⌉ = 4.
        let sample = Sample::Pods {
            value_milli: 1_000_000,
            target_milli: 1_000_000,
        };
        assert_eq!(
            metric_proposal(sample, 8, missing(4, 4), &up, &down),
            Some(8)
        );
    }

    fn policy_with(up: ScalingRules, down: ScalingRules, min: u32, max: u32) -> HpaPolicy {
        HpaPolicy {
            min_replicas: min,
            max_replicas: max,
            scale_up: up,
            scale_down: down,
            ..HpaPolicy::default()
        }
    }

    #[test]
    fn scale_up_of_100_percent_per_15_s_at_most_doubles() {
        // The chapter's scaleUp: Percent 100 / 15 s. From 3 replicas asking for 50:
        // 3 → ⌈3 × 2⌉ = 6 → 12 → 24 → 48 → 50, one sync (15 s) apart.
        let policy = policy_with(
            ScalingRules::of(0, SelectPolicy::Max, &[(PolicyKind::Percent, 100, 15)]),
            ScalingRules::default_scale_down(),
            3,
            100,
        );
        let mut controller = Controller::steady(3, 0);
        let mut replicas = 3;
        let mut seen = vec![];
        for sync in 1..=6u64 {
            replicas = controller.reconcile(&policy, sync * 15, replicas, Some(50));
            seen.push(replicas);
        }
        assert_eq!(seen, vec![6, 12, 24, 48, 50, 50]);
    }

    #[test]
    fn default_scale_up_takes_the_larger_of_100_percent_and_4_pods() {
        // Docs' default: max(+100%, +4 pods) per 15 s. From 1: max(2, 5) = 5; from 5: max(10, 9) = 10.
        let policy = HpaPolicy {
            max_replicas: 100,
            ..HpaPolicy::default()
        };
        let mut controller = Controller::steady(1, 0);
        assert_eq!(controller.reconcile(&policy, 15, 1, Some(40)), 5);
        assert_eq!(controller.reconcile(&policy, 30, 5, Some(40)), 10);
        // selectPolicy Min takes the smaller: from 10, min(20, 14) = 14.
        let min = policy_with(
            ScalingRules::of(
                0,
                SelectPolicy::Min,
                &[(PolicyKind::Percent, 100, 15), (PolicyKind::Pods, 4, 15)],
            ),
            ScalingRules::default_scale_down(),
            1,
            100,
        );
        assert_eq!(
            Controller::steady(10, 0).reconcile(&min, 15, 10, Some(40)),
            14
        );
        // Disabled: no scale-up at all.
        let off = policy_with(
            ScalingRules::of(0, SelectPolicy::Disabled, &[]),
            ScalingRules::default_scale_down(),
            1,
            100,
        );
        assert_eq!(
            Controller::steady(10, 0).reconcile(&off, 15, 10, Some(40)),
            10
        );
    }

    #[test]
    fn scale_down_of_10_percent_per_60_s() {
        // The chapter's scaleDown: Percent 10 / 60 s, no window for this test. From 100 asking
        // for 10: trunc(100 × 0.9) = 90 at once; within the same 60 s the period started at 100,
        // so the limit stays 90; at 75 s the first event has left the period:
        // trunc(90 × 0.9) = 81.
        let down = ScalingRules::of(0, SelectPolicy::Max, &[(PolicyKind::Percent, 10, 60)]);
        let policy = policy_with(ScalingRules::default_scale_up(), down, 3, 100);
        let mut controller = Controller::steady(100, 0);
        let mut replicas = 100;
        let mut seen = vec![];
        for sync in 1..=5u64 {
            replicas = controller.reconcile(&policy, sync * 15, replicas, Some(10));
            seen.push(replicas);
        }
        assert_eq!(seen, vec![90, 90, 90, 90, 81]);
    }

    #[test]
    fn stabilization_holds_the_highest_recommendation_for_the_window() {
        // Default scaleDown: 300 s window, −100% / 15 s. Recommendation 10 until t = 0, then 2.
        // Recommendations strictly newer than now − 300 count, so at t = 300 the t = 0 record
        // has left the window and the count drops to 2.
        let policy = HpaPolicy {
            max_replicas: 100,
            ..HpaPolicy::default()
        };
        let mut controller = Controller::steady(10, 0);
        let mut replicas = 10;
        for sync in 1..20u64 {
            replicas = controller.reconcile(&policy, sync * 15, replicas, Some(2));
            assert_eq!(
                replicas,
                10,
                "scaled down at {} s, inside the 300 s window",
                sync * 15
            );
        }
        assert_eq!(controller.reconcile(&policy, 300, replicas, Some(2)), 2);
    }

    fn without_behavior(max: u32) -> HpaPolicy {
        HpaPolicy {
            max_replicas: max,
            has_behavior: false,
            ..HpaPolicy::default()
        }
    }

    #[test]
    fn without_behavior_scale_up_is_at_most_max_of_double_and_4() {
        // horizontal.go, calculateScaleUpLimit: max(2 × current, 4). From 1 asking for 40:
        // 4 (the default behavior gives max(2, 1 + 4) = 5); from 2: 4 (behavior: 6); from 5:
        // 10 (behavior: max(10, 9) = 10).
        let policy = without_behavior(100);
        assert_eq!(
            Controller::steady(1, 0).reconcile(&policy, 15, 1, Some(40)),
            4
        );
        assert_eq!(
            Controller::steady(2, 0).reconcile(&policy, 15, 2, Some(40)),
            4
        );
        assert_eq!(
            Controller::steady(5, 0).reconcile(&policy, 15, 5, Some(40)),
            10
        );
        let mut controller = Controller::steady(1, 0);
        let mut replicas = 1;
        let mut seen = vec![];
        for sync in 1..=5u64 {
            replicas = controller.reconcile(&policy, sync * 15, replicas, Some(40));
            seen.push(replicas);
        }
        // 1 → 4 → 8 → 16 → 32 → 40, by hand from the same limit.
        assert_eq!(seen, vec![4, 8, 16, 32, 40]);
        assert_eq!(legacy_scale_up_limit(0), 4);
        assert_eq!(legacy_scale_up_limit(MAX_REPLICAS), MAX_REPLICAS);
    }

    #[test]
    fn without_behavior_the_highest_recent_recommendation_wins_both_ways() {
        // horizontal.go, stabilizeRecommendation: the maximum of the last 300 s, whichever way.
        // At 10 replicas the proposal jumps to 30 (limit 20), dips to 12 and comes back to 30:
        // the dip changes nothing, and at 30 s the count goes on to 30. With behavior (no
        // scale-up window) the dip is followed: the count stays at 20 at 30 s, above 12 but
        // not towards the earlier 30.
        let legacy = without_behavior(100);
        let mut controller = Controller::steady(10, 0);
        assert_eq!(controller.reconcile(&legacy, 15, 10, Some(30)), 20);
        assert_eq!(controller.reconcile(&legacy, 30, 20, Some(12)), 30);
        let with = HpaPolicy {
            max_replicas: 100,
            ..HpaPolicy::default()
        };
        let mut controller = Controller::steady(10, 0);
        assert_eq!(controller.reconcile(&with, 15, 10, Some(30)), 20);
        assert_eq!(controller.reconcile(&with, 30, 20, Some(12)), 20);
        // A recommendation exactly 300 s old still counts on this path (not Before(cutoff)):
        // 10 at t = 0, 2 afterwards; at 300 s the count is still 10, at 315 s it is 2.
        let mut controller = Controller::steady(10, 0);
        let mut replicas = 10;
        for sync in 1..=20u64 {
            replicas = controller.reconcile(&legacy, sync * 15, replicas, Some(2));
            assert_eq!(replicas, 10, "at {} s", sync * 15);
        }
        assert_eq!(controller.reconcile(&legacy, 315, replicas, Some(2)), 2);
    }

    #[test]
    fn bounds_are_enforced_first() {
        let policy = HpaPolicy {
            min_replicas: 3,
            max_replicas: 10,
            ..HpaPolicy::default()
        };
        assert_eq!(
            Controller::default().reconcile(&policy, 0, 12, Some(12)),
            10
        );
        assert_eq!(Controller::default().reconcile(&policy, 0, 1, None), 3);
        assert_eq!(Controller::default().reconcile(&policy, 0, 5, Some(1)), 3);
    }
}
