//! The simulation: seeded demand, pods that take time to start, the HPA controller every sync
//! period, and what it all costs.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::choice::choice_enum;

use super::controller::{Controller, PodGroups, Sample, metric_proposal, outside_proposal};
use super::outside::Cursor;
use super::{
    AutoscaleError, HpaPolicy, MAX_LIST, MAX_REPLICAS, MetricTarget, OutsideSeries, Traffic,
    ValueTarget, check_range, demand_series,
};

mod summary;
use summary::Tally;
pub use summary::{
    AGGRESSIVE_UNDO_S, AntiPattern, CONSERVATIVE_SHARE, Finding, THRASH_REVERSALS, THRASH_WINDOW_S,
};

choice_enum! {
    /// What happens to requests that arrive when every ready pod is busy.
    #[derive(Default)]
    pub enum Overflow {
        /// They are rejected (load shedding, timeouts): counted as dropped.
        #[default]
        Drop = "drop", "Dropped (load shedding)",
        /// They wait in an unbounded queue and are served first once capacity frees up.
        Queue = "queue", "Queued until capacity frees up",
    }
}

/// Everything a run needs. Plain data; [`simulate`] validates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    /// Length of the run, seconds (at most [`super::MAX_STEPS`] steps).
    pub duration_s: u64,
    /// Simulation step, seconds (15 = the HPA's default sync period). The controller runs at
    /// the first step at or after each sync time, so a sync period shorter than the step
    /// behaves as one sync per step.
    pub step_s: u32,
    /// Requests per second one pod serves at 100% CPU (100% of its CPU request).
    pub pod_capacity_rps: f64,
    /// A pod's CPU limit as a multiple of its request, 1 to 100: how far its CPU, and the
    /// requests it serves, may go above 100% of the request. 1 (the default) is a limit equal
    /// to the request, so the utilization the HPA sees saturates at 100%; Kubernetes itself
    /// does not cap it (`GetResourceUtilizationRatio` in replica_calculator.go), so pods with
    /// a higher limit, or none, show 140% when they use 1.4× their request.
    #[serde(default = "limit_equals_request")]
    pub cpu_limit_ratio: f64,
    /// Seconds from a pod's creation until it is ready and takes traffic (scheduling, image
    /// pull, start-up, readiness probe), 0 to 86,400.
    pub startup_delay_s: u32,
    /// The last part of `startup_delay_s` during which a new pod is `Running` but not ready
    /// (its containers started, its readiness probe not yet passed), seconds, at most
    /// `startup_delay_s`; before it the pod is `Pending` (scheduling, image pull). 0 (the
    /// default) keeps a starting pod `Pending` until it is ready.
    #[serde(default)]
    pub running_unready_s: u32,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`, seconds (Kubernetes' default
    /// 300): for this long after its start, a pod's CPU sample counts only if it is ready and
    /// the sample was taken after it turned ready.
    #[serde(default = "cpu_initialization_period")]
    pub cpu_initialization_period_s: u32,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`, seconds (Kubernetes' default
    /// 30): after the initialization period, a pod that is not ready and whose readiness last
    /// changed within this long of its start (it has never been ready) has its CPU sample set
    /// aside. The simulated pods' readiness first changes at their start, so any delay above
    /// 0 sets them aside and 0 counts their sample.
    #[serde(default = "initial_readiness_delay")]
    pub initial_readiness_delay_s: u32,
    /// Age of the metrics the controller sees, seconds (metrics-server scrape and window),
    /// 0 to 3,600. The controller also always sees the previous step, not the current one.
    pub metric_lag_s: u32,
    /// Price of one pod-hour, USD (e.g. its share of a node).
    pub usd_per_pod_hour: f64,
    /// Seed of the traffic noise: the same seed gives the same run, natively and in WASM.
    pub seed: u64,
    /// Relative noise on the demand, 0 to 1 (standard deviation as a share of the rate).
    pub noise: f64,
    /// The demand pattern.
    pub traffic: Traffic,
    /// The HPA policy.
    pub policy: HpaPolicy,
    /// Whether excess demand is dropped or queued.
    pub overflow: Overflow,
    /// Replicas at the start (all ready); `None` = what the metrics ask for at the first step's
    /// demand, clamped to `[minReplicas, maxReplicas]`, so the run starts in a steady state.
    pub initial_replicas: Option<u32>,
    /// The values of the policy's Object and External metrics over the run, by metric name (at
    /// most [`MAX_LIST`]). A metric without a series has no value and proposes nothing, as when
    /// the metrics API has none for it; a series whose name no metric has is not read.
    #[serde(default)]
    pub outside_metrics: Vec<OutsideSeries>,
}

fn limit_equals_request() -> f64 {
    1.0
}

fn cpu_initialization_period() -> u32 {
    300
}

fn initial_readiness_delay() -> u32 {
    30
}

impl SimConfig {
    /// The chapter's day under the chapter's HPA: 20,000 requests/s on average with a peak of
    /// 3× at 20:00, 1,000 requests/s per pod, 60 s to start a pod, 30 s of metric lag,
    /// $0.0416 per pod-hour (the `inst_hr` default), 5% noise, 15 s steps, seed 42.
    pub fn chapter_day() -> Self {
        Self {
            duration_s: 86_400,
            step_s: 15,
            pod_capacity_rps: 1_000.0,
            cpu_limit_ratio: 1.0,
            startup_delay_s: 60,
            running_unready_s: 0,
            cpu_initialization_period_s: cpu_initialization_period(),
            initial_readiness_delay_s: initial_readiness_delay(),
            metric_lag_s: 30,
            usd_per_pod_hour: 0.0416,
            seed: 42,
            noise: 0.05,
            traffic: Traffic::Diurnal {
                mean_rps: 20_000.0,
                peak_factor: 3.0,
            },
            policy: HpaPolicy::chapter_example(),
            overflow: Overflow::Drop,
            initial_replicas: None,
            outside_metrics: Vec::new(),
        }
    }

    /// Checks every field (the traffic and noise are checked by [`demand_series`]).
    ///
    /// # Errors
    /// [`AutoscaleError::OutOfRange`] for the first field outside its range, and the errors of
    /// [`HpaPolicy::validate`].
    pub fn validate(&self) -> Result<(), AutoscaleError> {
        self.policy.validate()?;
        check_range(
            "duration_s",
            self.duration_s as f64,
            1.0,
            1e12,
            "in [1, 1e12] seconds",
        )?;
        check_range(
            "step_s",
            f64::from(self.step_s),
            1.0,
            3_600.0,
            "in [1, 3600] seconds",
        )?;
        check_range(
            "pod_capacity_rps",
            self.pod_capacity_rps,
            1e-3,
            1e9,
            "in [0.001, 1e9] requests/s",
        )?;
        check_range(
            "cpu_limit_ratio",
            self.cpu_limit_ratio,
            1.0,
            100.0,
            "in [1, 100] × the CPU request",
        )?;
        check_range(
            "startup_delay_s",
            f64::from(self.startup_delay_s),
            0.0,
            86_400.0,
            "in [0, 86400] seconds",
        )?;
        check_range(
            "running_unready_s",
            f64::from(self.running_unready_s),
            0.0,
            f64::from(self.startup_delay_s),
            "in [0, startup_delay_s] seconds (part of the start-up)",
        )?;
        check_range(
            "cpu_initialization_period_s",
            f64::from(self.cpu_initialization_period_s),
            0.0,
            86_400.0,
            "in [0, 86400] seconds",
        )?;
        check_range(
            "initial_readiness_delay_s",
            f64::from(self.initial_readiness_delay_s),
            0.0,
            86_400.0,
            "in [0, 86400] seconds",
        )?;
        check_range(
            "metric_lag_s",
            f64::from(self.metric_lag_s),
            0.0,
            3_600.0,
            "in [0, 3600] seconds",
        )?;
        check_range(
            "usd_per_pod_hour",
            self.usd_per_pod_hour,
            0.0,
            1e6,
            "in [0, 1e6] USD",
        )?;
        check_range(
            "outside_metrics",
            self.outside_metrics.len() as f64,
            0.0,
            MAX_LIST as f64,
            "at most 10 series",
        )?;
        for series in &self.outside_metrics {
            series.validate()?;
        }
        if let Some(initial) = self.initial_replicas {
            check_range(
                "initial_replicas",
                f64::from(initial),
                1.0,
                f64::from(MAX_REPLICAS),
                "in [1, 1,000,000]",
            )?;
        }
        Ok(())
    }
}

/// One step of a run: the state during `[t_s, t_s + step_s)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SimStep {
    /// Start of the step, seconds since the start of the run.
    pub t_s: u64,
    /// Requests per second arriving.
    pub demand_rps: f64,
    /// Requests per second the ready pods can serve.
    pub ready_capacity_rps: f64,
    /// The metrics' latest proposal, before stabilization and policies.
    pub recommended_replicas: u32,
    /// The replica count the HPA set (the scale target's `spec.replicas`).
    pub desired_replicas: u32,
    /// Pods ready and serving.
    pub ready_replicas: u32,
    /// CPU of the ready pods as a share of their request, in [0, `cpu_limit_ratio`]: the
    /// utilization the HPA will see.
    pub utilization: f64,
    /// Requests per second that found no capacity (dropped, or queued in `Queue` mode).
    pub unserved_rps: f64,
    /// Requests waiting at the end of the step (`Queue` mode; 0 otherwise).
    pub backlog_requests: f64,
}

/// The totals of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SimSummary {
    /// Pod-hours paid for: every pod from creation (starting pods cost too).
    pub replica_hours: f64,
    /// `replica_hours × usd_per_pod_hour`.
    pub cost_usd: f64,
    /// Requests that arrived.
    pub total_requests: f64,
    /// Requests dropped (`Drop` mode).
    pub dropped_requests: f64,
    /// `dropped_requests / total_requests`.
    pub dropped_share: f64,
    /// Share of the demand that arrived above the ready capacity (dropped or queued).
    pub over_capacity_share: f64,
    /// Largest queue, requests (`Queue` mode).
    pub peak_backlog_requests: f64,
    /// Mean time a request spent queued for capacity, seconds (Little's law: queued
    /// request-seconds / requests; `Queue` mode).
    pub mean_queueing_delay_s: f64,
    /// Time-averaged utilization of the ready pods.
    pub mean_utilization: f64,
    /// Most replicas the HPA set.
    pub max_replicas: u32,
    /// Fewest replicas the HPA set.
    pub min_replicas: u32,
    /// Times the HPA changed the replica count.
    pub scale_events: u32,
    /// Times it changed direction (up after down or down after up): the thrashing count.
    pub direction_changes: u32,
    /// Anti-patterns seen, in the chapter's order.
    pub findings: Vec<Finding>,
}

/// A whole run: one [`SimStep`] per step and the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimRun {
    /// The steps, in time order.
    pub steps: Vec<SimStep>,
    /// Totals and findings.
    pub summary: SimSummary,
}

/// Pods of the scale target, in batches by creation time. Every pod of a batch goes through the
/// same phases: `Pending` for `startup_delay_s − running_unready_s`, then `Running` but not
/// ready until `startup_delay_s`, then ready.
struct Pods {
    /// Pods ready at every sample the controller can still read (the initial ones, and batches
    /// ready for longer than the sample's age): they are ready whatever the question.
    settled: u32,
    /// (created at, pods created up to and including this batch since the run began), oldest
    /// first: a batch's count is its total minus the one before (or `base`).
    batches: VecDeque<(u64, u64)>,
    /// The running total of the batches merged into `settled`.
    base: u64,
    /// Seconds from creation to `Running` (`startup_delay_s − running_unready_s`).
    pending_s: u64,
    /// Seconds from creation to ready (`startup_delay_s`).
    startup_s: u64,
    /// How old a sample can be, seconds: a batch ready for longer is settled.
    horizon_s: u64,
}

impl Pods {
    /// Pods created at or before `x` (settled ones count as created at −∞).
    fn created_by(&self, x: i64) -> u32 {
        let upto = self
            .batches
            .partition_point(|&(created, _)| i64::try_from(created).is_ok_and(|c| c <= x));
        let total = if upto == 0 {
            self.base
        } else {
            self.batches[upto - 1].1
        };
        self.settled + (total - self.base) as u32
    }

    fn total(&self) -> u32 {
        self.settled + (self.batches.back().map_or(self.base, |b| b.1) - self.base) as u32
    }

    /// Pods ready at `t`.
    fn ready_at(&self, t: u64) -> u32 {
        self.created_by(t as i64 - self.startup_s as i64)
    }

    /// Merges the batches no sample can see starting any more into `settled`.
    fn settle(&mut self, now: u64) {
        while let Some(&(created, cumulative)) = self.batches.front() {
            if created + self.startup_s + self.horizon_s > now {
                break;
            }
            self.settled += (cumulative - self.base) as u32;
            self.base = cumulative;
            self.batches.pop_front();
        }
    }

    /// Scale from `from` to `to` pods at `now`. Like a ReplicaSet, removes the least ready
    /// pods first: the newest batches, then settled pods.
    fn scale(&mut self, from: u32, to: u32, now: u64) {
        let last = self.batches.back().map_or(self.base, |b| b.1);
        if to > from {
            self.batches.push_back((now, last + u64::from(to - from)));
            return;
        }
        let mut remove = u64::from(from - to);
        while remove > 0 {
            let before = if self.batches.len() >= 2 {
                self.batches[self.batches.len() - 2].1
            } else {
                self.base
            };
            let Some(last) = self.batches.back_mut() else {
                break;
            };
            let taken = (last.1 - before).min(remove);
            last.1 -= taken;
            remove -= taken;
            if last.1 == before {
                self.batches.pop_back();
            }
        }
        self.settled = self.settled.saturating_sub(remove as u32);
    }

    /// The pods as `groupPods` sorts them for one metric at a sync at `now`, given a sample
    /// taken over the step that began at `sampled_at`.
    ///
    /// # Formula
    /// ```text
    /// a pod created at c is Pending before c + p, Running but not ready before c + D, ready
    /// after (p = D − running_unready_s, D = startup_delay_s); its start time is c and its
    /// Ready condition last changed at c (False) and c + D (True)
    /// ready now, ready at the sample                  → ready (the sample's average)
    /// ready now, Running but not ready at the sample  → CPU: unready inside the CPU
    ///     initialization period (c + init > now: the sample predates readiness + window),
    ///     else idle (counted at 0); Pods: idle
    /// Running but not ready now, Running at the sample → CPU: unready inside the
    ///     initialization period or when the readiness delay > 0 (never ready: its condition
    ///     changed within the delay of its start), else idle; Pods: idle
    /// Pending at the sample, not Pending now          → missing (no sample)
    /// Pending now                                     → unready
    /// Source: replica_calculator.go, groupPods (see controller::group_pods)
    /// ```
    fn groups(&self, now: u64, sampled_at: u64, cpu: bool, periods: &GroupPeriods) -> PodGroups {
        let (now, sampled_at) = (now as i64, sampled_at as i64);
        let (pending, startup) = (self.pending_s as i64, self.startup_s as i64);
        let count = |x: i64| self.created_by(x);
        // Pods created in (low, high].
        let between = |low: i64, high: i64| count(high).saturating_sub(count(low.min(high)));
        let ready_now = count(now - startup);
        let started_now = count(now - pending);
        let ready_then = count(sampled_at - startup);
        let past_init = now - periods.cpu_initialization_s;
        // Ready now, Running but not ready at the sample: created in (sampled − D, min(now − D,
        // sampled − p)].
        let b_high = (now - startup).min(sampled_at - pending);
        let ready_sampled_unready = between(sampled_at - startup, b_high);
        // Running but not ready now and at the sample: created in (now − D, sampled − p].
        let unready_sampled = between(now - startup, sampled_at - pending);
        let missing = (ready_now - ready_then - ready_sampled_unready)
            + (started_now - ready_now - unready_sampled);
        let mut groups = PodGroups {
            ready: ready_then,
            unready: self.total() - started_now,
            missing,
            idle: 0,
        };
        if cpu {
            // Of each, the pods past the initialization period (created at or before now − init).
            let b_past = between(sampled_at - startup, b_high.min(past_init));
            let d_past = if periods.initial_readiness_delay_s > 0 {
                0
            } else {
                between(now - startup, (sampled_at - pending).min(past_init))
            };
            groups.idle = b_past + d_past;
            groups.unready += ready_sampled_unready + unready_sampled - b_past - d_past;
        } else {
            groups.idle = ready_sampled_unready + unready_sampled;
        }
        groups
    }
}

/// The controller-wide periods `groupPods` applies to CPU samples, seconds.
struct GroupPeriods {
    cpu_initialization_s: i64,
    initial_readiness_delay_s: i64,
}

/// Runs the HPA against the configured traffic.
///
/// Each step of `step_s` seconds: pods whose start-up delay has passed become ready; at each
/// sync period the controller reads the metrics of the step that ended `metric_lag_s` earlier
/// and sets the replica count ([`super::desired_replicas`] per metric, then stabilization and
/// policies); new pods start, removed pods go at once (not-ready first); then the ready pods
/// serve the step's demand.
///
/// # Formula
/// ```text
/// capacity_i = ready_i × C × k                   C = pod_capacity_rps, k = cpu_limit_ratio
/// served_i   = min(d_i Δ + q_{i−1}, capacity_i Δ)   q backlog (0 in Drop mode), Δ step
/// util_i     = k × served_i / (capacity_i Δ)      the CPU the HPA sees: ⌊1000 × util⌋ of 1000m
/// rps/pod_i  = d_i / ready_i                       the Pods metric the HPA sees
/// replica-hours = Σ spec_replicas_i × Δ / 3600;   cost = replica-hours × price
/// over-capacity share = Σ max(0, d_i − capacity_i) Δ / Σ d_i Δ
/// mean queueing delay = Σ q_i Δ / Σ d_i Δ        (Little's law, L = λW)
/// Source: the controller: Kubernetes docs "Horizontal Pod Autoscaling" (see the module docs);
///   the accounting: definitions above
/// ```
///
/// Simplifications: identical pods sharing the load evenly; CPU proportional to served
/// requests and capped at the CPU limit (`cpu_limit_ratio` × the request); the lagged sample's
/// per-pod average stands for every pod that was ready when it was taken, and a pod sampled
/// while `Running` but not ready served nothing (its start-up CPU is not modelled); a pod's
/// start time is its creation (scheduling takes no time; the image pull is part of `Pending`),
/// and its readiness changes only at its start and when it turns ready; no crashes; removed
/// pods leave at once.
///
/// # Errors
/// The errors of [`SimConfig::validate`] and [`demand_series`] (including
/// [`AutoscaleError::TooManySteps`]).
///
/// # Examples
/// ```
/// use headroom::autoscale::{simulate, SimConfig};
/// let run = simulate(&SimConfig::chapter_day()).unwrap();
/// assert_eq!(run.steps.len(), 5_760);
/// assert!(run.steps.iter().all(|s| (3..=100).contains(&s.desired_replicas)));
/// ```
pub fn simulate(config: &SimConfig) -> Result<SimRun, AutoscaleError> {
    config.validate()?;
    let policy = &config.policy;
    let demand = demand_series(
        &config.traffic,
        config.duration_s,
        config.step_s,
        config.noise,
        config.seed,
    )?;
    let step = u64::from(config.step_s);
    let step_f = f64::from(config.step_s);
    let capacity_per_pod = config.pod_capacity_rps;
    // What a pod serves when it runs at its CPU limit.
    let serving_per_pod = capacity_per_pod * config.cpu_limit_ratio;

    let initial = config.initial_replicas.unwrap_or_else(|| {
        steady_replicas(
            policy,
            demand.first().copied().unwrap_or(0.0),
            capacity_per_pod,
        )
    });
    // The sample of the step that ended `metric_lag_s` before step i is step
    // ⌊(iΔ − lag) / Δ⌋ − 1 = i − ⌈lag / Δ⌉ − 1 (for iΔ ≥ lag, which that index being ≥ 0
    // implies): one division per run instead of one per sync.
    let lag_steps = u64::from(config.metric_lag_s).div_ceil(step);
    let mut pods = Pods {
        settled: initial,
        batches: VecDeque::new(),
        base: 0,
        pending_s: u64::from(config.startup_delay_s - config.running_unready_s),
        startup_s: u64::from(config.startup_delay_s),
        // The oldest sample a sync reads began (⌈lag / Δ⌉ + 1) steps earlier.
        horizon_s: (lag_steps + 1) * step,
    };
    let periods = GroupPeriods {
        cpu_initialization_s: i64::from(config.cpu_initialization_period_s),
        initial_readiness_delay_s: i64::from(config.initial_readiness_delay_s),
    };
    let targets: Vec<Target> = policy
        .metrics
        .iter()
        .map(|m| Target::of(m, &config.outside_metrics))
        .collect();
    // One cursor per series: the syncs read each series forward, so a run reads every point
    // at most once (steps + points, not steps × points).
    let mut cursors = vec![Cursor::default(); config.outside_metrics.len()];
    let lag = u64::from(config.metric_lag_s);
    let mut controller = Controller::steady(initial, 0);
    let mut spec = initial;
    let mut recommended = initial;
    let mut next_sync = 0u64;
    // (cpu usage milli, requests/s per pod in milli-units) per step; None with no ready pod.
    let mut samples: Vec<Option<(i64, i64)>> = Vec::with_capacity(demand.len());
    let mut steps = Vec::with_capacity(demand.len());
    let mut events: Vec<(u64, bool)> = Vec::new();
    let mut tally = Tally::default();
    let mut backlog = 0.0;

    for (i, &demand_rps) in demand.iter().enumerate() {
        let t = i as u64 * step;
        pods.settle(t);
        if next_sync <= t {
            next_sync = t + u64::from(policy.sync_period_s);
            let seen = (i as u64).checked_sub(lag_steps + 1).and_then(|index| {
                let sample = samples.get(index as usize).copied().flatten()?;
                Some((sample, index * step))
            });
            let outside = OutsideValues {
                series: &config.outside_metrics,
                cursors: &mut cursors,
                at: t.saturating_sub(lag),
            };
            let proposal = propose(
                policy,
                &targets,
                seen.map(|(sample, sampled_at)| Seen {
                    cpu_milli: sample.0,
                    rps_milli: sample.1,
                    pods: &pods,
                    now: t,
                    sampled_at,
                    periods: &periods,
                }),
                outside,
                spec,
                pods.ready_at(t),
            );
            if let Some(p) = proposal {
                recommended = p;
            }
            let next = controller.reconcile(policy, t, spec, proposal);
            if next != spec {
                events.push((t, next > spec));
                pods.scale(spec, next, t);
                spec = next;
            }
        }
        let ready = pods.ready_at(t);

        let ready_capacity_rps = f64::from(ready) * serving_per_pod;
        let offered = demand_rps * step_f + backlog;
        let capacity = ready_capacity_rps * step_f;
        let served = offered.min(capacity);
        let unserved = offered - served;
        let busy = if capacity > 0.0 {
            served / capacity
        } else {
            0.0
        };
        let utilization = busy * config.cpu_limit_ratio;
        let dropped = if config.overflow == Overflow::Queue {
            0.0
        } else {
            unserved
        };
        backlog = unserved - dropped;
        tally.add(
            demand_rps * step_f,
            dropped,
            backlog,
            (demand_rps - ready_capacity_rps).max(0.0) * step_f,
            utilization,
            spec,
            step_f,
        );
        if busy >= 1.0 && demand_rps > ready_capacity_rps {
            tally.saturated(demand_rps, ready_capacity_rps);
        }
        samples.push((ready > 0).then(|| {
            let per_pod = demand_rps / f64::from(ready);
            (
                floor_to_i64(utilization * 1_000.0),
                floor_to_i64(per_pod * 1_000.0),
            )
        }));
        steps.push(SimStep {
            t_s: t,
            demand_rps,
            ready_capacity_rps,
            recommended_replicas: recommended,
            desired_replicas: spec,
            ready_replicas: ready,
            utilization,
            unserved_rps: unserved / step_f,
            backlog_requests: backlog,
        });
    }
    let summary = tally.summary(config, &events);
    Ok(SimRun { steps, summary })
}

/// The replicas the metrics ask for at `demand_rps` (at least `min`, at most `max`).
///
/// # Formula
/// ```text
/// n = clamp(max over metrics ⌈d / L_m⌉, min, max),  L_m = load per pod at metric m's target
/// ```
/// Object and External metrics do not follow the demand and are left out: the run starts
/// where the pods' metrics are at their targets, and those metrics move it from the first sync.
fn steady_replicas(policy: &HpaPolicy, demand_rps: f64, capacity_per_pod: f64) -> u32 {
    let needed = policy
        .metrics
        .iter()
        .filter_map(|m| m.load_per_pod_at_target(capacity_per_pod))
        .map(|load| crate::queueing::ceil_near(demand_rps / load))
        .max()
        .unwrap_or(0);
    needed.clamp(
        u64::from(policy.min_replicas),
        u64::from(policy.max_replicas),
    ) as u32
}

/// `x.floor() as i64`, without the call to a software `floor` that x86-64 without SSE4.1 makes
/// for the samples (never negative), where truncation is the floor.
fn floor_to_i64(x: f64) -> i64 {
    if x >= 0.0 { x as i64 } else { x.floor() as i64 }
}

/// A metric's target in the controller's integer units, converted once per run.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// `averageUtilization`, percent.
    Cpu(i64),
    /// `averageValue` in milli-units (at least 1m).
    Pods(i64),
    /// An Object or External metric: its target type, its target in milli-units, and the
    /// index of its series in `outside_metrics` (`None`: no value given, no proposal).
    Outside(ValueTarget, i64, Option<usize>),
}

/// Milli-units of a value (the controller's `MilliValue`), rounded.
fn milli(value: f64) -> i64 {
    (value * 1_000.0).round() as i64
}

impl Target {
    fn of(metric: &MetricTarget, outside: &[OutsideSeries]) -> Self {
        match metric {
            MetricTarget::CpuUtilization {
                average_utilization,
            } => Self::Cpu(i64::from(*average_utilization)),
            MetricTarget::PodsAverageValue { average_value, .. } => {
                Self::Pods(milli(*average_value).max(1))
            }
            MetricTarget::Object {
                name,
                target_type,
                value,
            }
            | MetricTarget::External {
                name,
                target_type,
                value,
            } => Self::Outside(
                *target_type,
                milli(*value).max(1),
                outside.iter().position(|s| s.name == *name),
            ),
        }
    }
}

/// The pods' sample one sync reads, and what it needs to group the pods.
struct Seen<'a> {
    /// The ready pods' CPU usage, milli-units of a 1,000m request.
    cpu_milli: i64,
    /// Requests per second per ready pod, milli-units.
    rps_milli: i64,
    pods: &'a Pods,
    now: u64,
    /// When the sampled step began.
    sampled_at: u64,
    periods: &'a GroupPeriods,
}

/// The Object and External metrics' values as one sync reads them.
struct OutsideValues<'a> {
    series: &'a [OutsideSeries],
    cursors: &'a mut [Cursor],
    /// The time whose values the controller sees: now − `metric_lag_s`.
    at: u64,
}

/// The largest proposal over the policy's metrics, `None` if no metric has a sample.
///
/// A starting pod's phase follows from the start-up delay, the part of it spent `Running` but
/// not ready, and the metric lag: `Pending` (no sample, set aside as unready), then `Running`
/// but not ready, then ready; a pod the controller's sample missed is "missing". The
/// controller groups them as `groupPods` does (replica_calculator.go, see [`Pods::groups`]):
/// unready pods count as 0 only on a scale-up, missing ones as 0 on a scale-up and at
/// max(100%, target) of the CPU request (CPU) or at the target (Pods) on a scale-down, idle
/// ones (sampled while they served nothing) at 0. Object and External metrics read their series'
/// value `metric_lag_s` ago and propose with [`outside_proposal`], which counts only the
/// ready pods (`getReadyPodsCount`).
fn propose(
    policy: &HpaPolicy,
    targets: &[Target],
    seen: Option<Seen<'_>>,
    outside: OutsideValues<'_>,
    current: u32,
    ready_now: u32,
) -> Option<u32> {
    // A plain loop rather than `filter_map(..).max()`: the iterator's state went through memory
    // on every sync.
    let mut largest: Option<u32> = None;
    for target in targets {
        let replicas = match (*target, &seen) {
            (Target::Cpu(target_percent), Some(seen)) => {
                let sample = Sample::Cpu {
                    usage_milli: seen.cpu_milli,
                    target_percent,
                };
                let pods = seen
                    .pods
                    .groups(seen.now, seen.sampled_at, true, seen.periods);
                metric_proposal(sample, current, pods, &policy.scale_up, &policy.scale_down)
            }
            (Target::Pods(target_milli), Some(seen)) => {
                let sample = Sample::Pods {
                    value_milli: seen.rps_milli,
                    target_milli,
                };
                let pods = seen
                    .pods
                    .groups(seen.now, seen.sampled_at, false, seen.periods);
                metric_proposal(sample, current, pods, &policy.scale_up, &policy.scale_down)
            }
            (Target::Outside(kind, target_milli, Some(index)), _) => {
                match (outside.series.get(index), outside.cursors.get_mut(index)) {
                    (Some(series), Some(cursor)) => Some(outside_proposal(
                        kind,
                        milli(cursor.value_at(series, outside.at)),
                        target_milli,
                        current,
                        ready_now,
                        &policy.scale_up,
                        &policy.scale_down,
                    )),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(replicas) = replicas {
            largest = Some(largest.map_or(replicas, |l| l.max(replicas)));
        }
    }
    largest
}

#[cfg(test)]
mod tests;
