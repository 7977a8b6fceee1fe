//! `groupPods` of Kubernetes' replica_calculator.go, pod by pod: which pods' samples count,
//! which are set aside as unready, and which are missing a sample, with the CPU
//! initialization period and the initial readiness delay. The simulator's own pods are
//! identical and counted in batches (`Pods::groups` in sim.rs, into [`super::PodGroups`]);
//! this is the rule those counts follow, kept pod by pod with its ported tests (compiled for
//! the tests only).

use super::PodGroups;

/// `--horizontal-pod-autoscaler-cpu-initialization-period`, Kubernetes' default (5 min).
pub(crate) const CPU_INITIALIZATION_PERIOD_S: i64 = 300;
/// `--horizontal-pod-autoscaler-initial-readiness-delay`, Kubernetes' default (30 s).
pub(crate) const INITIAL_READINESS_DELAY_S: i64 = 30;

/// What `groupPods` reads of one pod, times in seconds on one clock. Failed and deleted pods,
/// which it ignores before anything else, are not represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PodStatus {
    /// `status.phase == Pending`: scheduling or pulling images, no container running.
    pub(crate) pending: bool,
    /// `status.startTime`, when the kubelet acknowledged the pod.
    pub(crate) start_s: Option<i64>,
    /// The `Ready` condition: (status is True, `lastTransitionTime`).
    pub(crate) ready: Option<(bool, i64)>,
    /// The pod's sample: (timestamp, window); `None` when the metrics API has none for it.
    pub(crate) metric: Option<(i64, i64)>,
}

/// Which group a pod falls in for one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    /// Its sample counts.
    Ready,
    /// Set aside: 0 on a scale-up, left out of a scale-down.
    Unready,
    /// No sample: filled in by the replica calculator.
    Missing,
}

/// The controller-wide periods `groupPods` applies to CPU samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Periods {
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`, seconds.
    pub(crate) cpu_initialization_s: i64,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`, seconds.
    pub(crate) initial_readiness_delay_s: i64,
}

impl Default for Periods {
    fn default() -> Self {
        Self {
            cpu_initialization_s: CPU_INITIALIZATION_PERIOD_S,
            initial_readiness_delay_s: INITIAL_READINESS_DELAY_S,
        }
    }
}

/// One pod's group.
///
/// # Formula
/// ```text
/// Pending                         → unready
/// no sample                       → missing
/// not CPU                         → ready (readiness does not matter)
/// CPU, no Ready condition or no start time → unready
/// CPU, now < start + init period  → unready if not Ready, or if the sample's
///                                   timestamp < the condition's last transition + its window
/// CPU, later                      → unready if not Ready and start + readiness delay >
///                                   last transition (it has never been ready)
/// otherwise ready
/// Source: replica_calculator.go, groupPods
/// ```
pub(crate) fn group_pod(pod: &PodStatus, cpu: bool, now_s: i64, periods: Periods) -> Group {
    if pod.pending {
        return Group::Unready;
    }
    let Some((timestamp, window)) = pod.metric else {
        return Group::Missing;
    };
    if !cpu {
        return Group::Ready;
    }
    let (Some((is_ready, transition)), Some(start)) = (pod.ready, pod.start_s) else {
        return Group::Unready;
    };
    let unready = if start.saturating_add(periods.cpu_initialization_s) > now_s {
        !is_ready || timestamp < transition.saturating_add(window)
    } else {
        !is_ready && start.saturating_add(periods.initial_readiness_delay_s) > transition
    };
    if unready {
        Group::Unready
    } else {
        Group::Ready
    }
}

/// The counts of [`group_pod`] over `pods`.
pub(crate) fn group_pods(pods: &[PodStatus], cpu: bool, now_s: i64, periods: Periods) -> PodGroups {
    let mut groups = PodGroups::default();
    for pod in pods {
        match group_pod(pod, cpu, now_s, periods) {
            Group::Ready => groups.ready += 1,
            Group::Unready => groups.unready += 1,
            Group::Missing => groups.missing += 1,
        }
    }
    groups
}
