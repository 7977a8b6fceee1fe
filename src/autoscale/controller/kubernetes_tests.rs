//! Cases of the Kubernetes controller's own unit tests, ported: the inputs and expected
//! replica counts of the named Go test, run through this module's functions. Each test names
//! its Go test (and the table entry's `name` where the Go test is a table) and the file it is in:
//! - `H`: <https://github.com/kubernetes/kubernetes/blob/003e86297d18a8538c9da3619871393f9703bf70/pkg/controller/podautoscaler/horizontal_test.go>
//! - `R`: <https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/replica_calculator_test.go>
//!
//! The Go tests give each pod its own metric; the simulator's pods are identical, so a case
//! is ported as the average of its ready pods, which gives the same ratio whenever the sum
//! divides (the controller computes Σ usage × 100 / Σ request and Σ value / n). Times are
//! seconds before `NOW`.

use super::*;
use crate::autoscale::policy::{DEFAULT_TOLERANCE, ScalingPolicy};

const NOW: u64 = 10_000;

/// `generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow)` of
/// file H: a Pods policy if `pods` > 0, then a Percent policy if `percent` > 0, `Max`.
fn generate_scaling_rules(
    pods: u32,
    pods_period: u32,
    percent: u32,
    percent_period: u32,
    window: u32,
) -> ScalingRules {
    let mut policies = Vec::new();
    if pods != 0 {
        policies.push(ScalingPolicy {
            kind: PolicyKind::Pods,
            value: pods,
            period_s: pods_period,
        });
    }
    if percent != 0 {
        policies.push(ScalingPolicy {
            kind: PolicyKind::Percent,
            value: percent,
            period_s: percent_period,
        });
    }
    ScalingRules {
        stabilization_window_s: window,
        select_policy: SelectPolicy::Max,
        policies,
        tolerance: DEFAULT_TOLERANCE,
    }
}

/// `generateEventsUniformDistribution(raw, period)` of file H: event i of n at
/// `period − (i + 1) × period/n + period/(2n)` seconds ago, oldest first.
fn uniform_events(raw: &[u32], period: u64) -> VecDeque<(u64, u32)> {
    let n = raw.len() as u64;
    raw.iter()
        .enumerate()
        .map(|(i, &change)| {
            let ago = period - (i as u64 + 1) * period / n + period / (2 * n);
            (NOW - ago, change)
        })
        .collect()
}

/// One case of file H's `TestScalingWithRules`: `convertDesiredReplicasWithBehaviorRate`
/// (our `limit_rate`) with the given events; absent rules take the defaults
/// (`GenerateHPAScaleUpRules(nil)`, `GenerateHPAScaleDownRules(nil)`).
#[allow(clippy::too_many_arguments)]
fn scaling_with_rules(
    up_events: VecDeque<(u64, u32)>,
    down_events: VecDeque<(u64, u32)>,
    min: u32,
    max: u32,
    up: Option<ScalingRules>,
    down: Option<ScalingRules>,
    current: u32,
    desired: u32,
) -> u32 {
    let policy = HpaPolicy {
        min_replicas: min,
        max_replicas: max,
        scale_up: up.unwrap_or_else(ScalingRules::default_scale_up),
        scale_down: down.unwrap_or_else(ScalingRules::default_scale_down),
        ..HpaPolicy::default()
    };
    let controller = Controller {
        up_events,
        down_events,
        ..Controller::default()
    };
    controller.limit_rate(&policy, NOW, current, desired)
}

fn none() -> VecDeque<(u64, u32)> {
    VecDeque::new()
}

#[test]
fn test_scaling_with_rules_named_cases() {
    // H, TestScalingWithRules "scaleUp with pod policy and previous scale up events":
    // 100 − 15 + 150 = 235.
    assert_eq!(
        scaling_with_rules(
            uniform_events(&[1, 5, 9], 120),
            none(),
            1,
            1000,
            Some(generate_scaling_rules(150, 120, 0, 0, 0)),
            None,
            100,
            500
        ),
        235
    );
    // H, TestScalingWithRules "scaleDown with percent policy limitation and previous events":
    // (100 + 12) − 50% = 56.
    assert_eq!(
        scaling_with_rules(
            none(),
            uniform_events(&[2, 4, 6], 120),
            1,
            1000,
            None,
            Some(generate_scaling_rules(0, 0, 50, 120, 300)),
            100,
            0
        ),
        56
    );
}

/// (name in H's TestScalingWithRules, min, max, up, down, current, desired, expected).
type ScalingCase = (
    &'static str,
    u32,
    u32,
    Option<ScalingRules>,
    Option<ScalingRules>,
    u32,
    u32,
    u32,
);

#[test]
fn test_scaling_with_rules_more_cases() {
    let cases: [ScalingCase; 8] = [
        // (name in H's TestScalingWithRules, min, max, up, down, current, desired, expected)
        (
            "scaleUp with default behavior",
            1,
            1000,
            None,
            None,
            10,
            50,
            20,
        ),
        (
            "scaleUp with pods policy larger than percent policy",
            1,
            1000,
            Some(generate_scaling_rules(100, 60, 100, 60, 0)),
            None,
            10,
            500,
            110,
        ),
        (
            "scaleUp with percent policy larger than pods policy",
            1,
            1000,
            Some(generate_scaling_rules(2, 60, 100, 60, 0)),
            None,
            10,
            500,
            20,
        ),
        (
            "scaleUp with percent policy limitation",
            1,
            1000,
            Some(generate_scaling_rules(0, 0, 200, 60, 0)),
            None,
            10,
            50,
            30,
        ),
        (
            "scaleDown with percent policy larger than pod policy",
            1,
            1000,
            None,
            Some(generate_scaling_rules(20, 60, 1, 60, 300)),
            100,
            2,
            80,
        ),
        (
            "scaleDown with pod policy larger than percent policy",
            1,
            1000,
            None,
            Some(generate_scaling_rules(2, 60, 1, 60, 300)),
            100,
            2,
            98,
        ),
        (
            "scaleDown with spec MinReplicas limitation with large percent policy",
            5,
            1000,
            None,
            Some(generate_scaling_rules(0, 0, 100, 60, 300)),
            10,
            2,
            5,
        ),
        (
            "desired replica count is more than the maximum replica count",
            100,
            150,
            None,
            None,
            100,
            1000,
            150,
        ),
    ];
    for (name, min, max, up, down, current, desired, expected) in cases {
        assert_eq!(
            scaling_with_rules(none(), none(), min, max, up, down, current, desired),
            expected,
            "{name}"
        );
    }
}

#[test]
fn test_scaling_with_rules_with_previous_events() {
    let events = || uniform_events(&[1, 5, 9], 120);
    // H, TestScalingWithRules "scaleUp with currentReplicas limitation with rate.PeriodSeconds
    // with a lot of recent scale up events": 100 − 15 + 5 = 90 < 100, so no scale-up: 100.
    assert_eq!(
        scaling_with_rules(
            events(),
            none(),
            1,
            1000,
            Some(generate_scaling_rules(5, 120, 0, 0, 0)),
            None,
            100,
            500
        ),
        100
    );
    // "scaleUp with percent policy and previous scale up events": (100 − 15) + 200% = 255.
    assert_eq!(
        scaling_with_rules(
            events(),
            none(),
            1,
            1000,
            Some(generate_scaling_rules(0, 0, 200, 120, 0)),
            None,
            100,
            500
        ),
        255
    );
    // "scaleUp with percent policy and previous scale up and down events":
    // start 6 − 4 + 2 = 4, ⌈4 × (1 + 300%)⌉ = 16.
    assert_eq!(
        scaling_with_rules(
            uniform_events(&[4], 120),
            uniform_events(&[2], 120),
            1,
            1000,
            Some(generate_scaling_rules(0, 0, 300, 300, 0)),
            None,
            6,
            24
        ),
        16
    );
    // "scaleDown with pod policy limitation and previous events": 100 + 15 − 5 > 100: 100.
    assert_eq!(
        scaling_with_rules(
            none(),
            events(),
            1,
            1000,
            None,
            Some(generate_scaling_rules(5, 120, 0, 0, 300)),
            100,
            2
        ),
        100
    );
    // "scaleDown with percent policy and previous scale up and down events":
    // start 10 − 2 + 4 = 12, trunc(12 × 50%) = 6.
    assert_eq!(
        scaling_with_rules(
            uniform_events(&[2], 120),
            uniform_events(&[4], 120),
            1,
            1000,
            None,
            Some(generate_scaling_rules(0, 0, 50, 180, 0)),
            10,
            1
        ),
        6
    );
    // "scaleDown with previous events preventing further scale down": (100 + 30) − 10% = 117
    // is above 100: keep 100.
    assert_eq!(
        scaling_with_rules(
            none(),
            uniform_events(&[10, 10, 10], 120),
            1,
            1000,
            None,
            Some(generate_scaling_rules(0, 0, 10, 120, 300)),
            100,
            0
        ),
        100
    );
    // "scaleUp with spec MaxReplicas limitation with large pod policy and events":
    // 200 < 100 − 15 + 300.
    assert_eq!(
        scaling_with_rules(
            events(),
            none(),
            1,
            200,
            Some(generate_scaling_rules(300, 60, 0, 0, 0)),
            None,
            100,
            500
        ),
        200
    );
}

#[test]
fn test_calculate_scale_limits_with_select_policy_min() {
    let min_rules = ScalingRules {
        stabilization_window_s: 300,
        select_policy: SelectPolicy::Min,
        policies: vec![
            ScalingPolicy {
                kind: PolicyKind::Pods,
                value: 2,
                period_s: 60,
            },
            ScalingPolicy {
                kind: PolicyKind::Percent,
                value: 50,
                period_s: 60,
            },
        ],
        tolerance: DEFAULT_TOLERANCE,
    };
    let controller = Controller::default();
    // H, TestCalculateScaleUpLimitWithScalingRules: from 1, min(1 + 2, ⌈1 × 1.5⌉) = 2.
    assert_eq!(controller.limit(&min_rules, NOW, 1, true), 2);
    // H, TestCalculateScaleDownLimitWithBehaviors: from 5, the smaller change of 5 − 2 = 3
    // and trunc(5 × 0.5) = 2 is 3.
    assert_eq!(controller.limit(&min_rules, NOW, 5, false), 3);
}

/// File H's `TestNormalizeDesiredReplicas` runs `stabilizeRecommendation` with a 5 min
/// window over recommendations `(replicas, seconds ago)`.
fn legacy_stabilized(recommendations: &[(u32, u64)], proposal: u32) -> u32 {
    let policy = HpaPolicy {
        has_behavior: false,
        ..HpaPolicy::default()
    };
    assert_eq!(policy.scale_down.stabilization_window_s, 300);
    let mut sorted = recommendations.to_vec();
    sorted.sort_by_key(|&(_, ago)| std::cmp::Reverse(ago));
    let mut controller = Controller::default();
    for (rec, ago) in sorted {
        controller.highest.record(NOW - ago, rec, 301, higher);
    }
    controller.stabilize_legacy(&policy, NOW, proposal)
}

#[test]
fn test_normalize_desired_replicas() {
    // H, TestNormalizeDesiredReplicas, each case by name: (recommendations, proposal, expected).
    assert_eq!(legacy_stabilized(&[], 5), 5, "empty log");
    assert_eq!(legacy_stabilized(&[(4, 120), (5, 60)], 3), 5, "stabilize");
    assert_eq!(
        legacy_stabilized(&[(1, 120), (2, 60)], 3),
        3,
        "no stabilize"
    );
    assert_eq!(
        legacy_stabilized(&[(10, 600), (9, 540)], 3),
        3,
        "no stabilize - old recommendations"
    );
    assert_eq!(
        legacy_stabilized(&[(10, 600), (4, 60), (5, 120), (9, 540)], 3),
        5,
        "stabilize - old recommendations"
    );
}

#[test]
fn test_convert_desired_replicas_with_rules() {
    // H, TestConvertDesiredReplicasWithRules: (current, desired, min, max, expected, annotation).
    // The case with hpaMinReplicas 0 is left out: minReplicas 0 needs the HPAScaleToZero gate,
    // which the simulator does not model.
    let cases = [
        (5, 7, 3, 8, 7, "prenormalized desired replicas within range"),
        (
            3,
            1,
            2,
            8,
            2,
            "prenormalized desired replicas < minReplicas",
        ),
        (
            20,
            1000,
            1,
            10,
            10,
            "maxReplicas is the limit because maxReplicas < scaleUpLimit",
        ),
        // Expected `calculateScaleUpLimit(3)`: max(2 × 3, 4) = 6 with horizontal.go's
        // constants (the test file's init() raises the factor to 8, giving 24 there; the case
        // states its expectation as the function's value, not as a number).
        (
            3,
            1000,
            1,
            2000,
            6,
            "scaleUpLimit is the limit because scaleUpLimit < maxReplicas",
        ),
    ];
    for (current, desired, min, max, expected, annotation) in cases {
        assert_eq!(
            legacy_bounds(current, desired, min, max),
            expected,
            "{annotation}"
        );
    }
}

fn default_rules() -> (ScalingRules, ScalingRules) {
    (
        ScalingRules::default_scale_up(),
        ScalingRules::default_scale_down(),
    )
}

/// CPU proposal: `usage_milli` is the ready pods' average usage of a 1,000m request.
fn cpu(usage_milli: i64, target_percent: i64, current: u32, pods: PodGroups) -> Option<u32> {
    let (up, down) = default_rules();
    let sample = Sample::Cpu {
        usage_milli,
        target_percent,
    };
    metric_proposal(sample, current, pods, &up, &down)
}

fn groups(ready: u32, unready: u32, missing: u32) -> PodGroups {
    PodGroups {
        ready,
        unready,
        missing,
        idle: 0,
    }
}

#[test]
fn test_replica_calc_resource_scale() {
    // R, TestReplicaCalcResourceScale, by case name. Levels are per pod, requests 1.0 each.
    // "scale up": 300, 500, 700 → 50% vs 30% → ⌈1.67 × 3⌉ = 5.
    assert_eq!(cpu(500, 30, 3, groups(3, 0, 0)), Some(5));
    // "scale up: unready pod scales less": pod 0 unready; ready 500, 700 → 60%, ratio 2;
    // the unready pod at 0: 1,200 / 3,000 = 40% → ⌈1.33 × 3⌉ = 4.
    assert_eq!(cpu(600, 30, 3, groups(2, 1, 0)), Some(4));
    // "scale up: hot-CPU pod scales less": the pod inside the CPU initialization period with
    // a sample from before it was ready is set aside as unready, with the same result.
    assert_eq!(cpu(600, 30, 3, groups(2, 1, 0)), Some(4));
    // "no scale: unready pods ignored": ready 400 → 40%, ratio 1.33; two unready at 0:
    // 400 / 3,000 = 13% → the direction flips → keep 3.
    assert_eq!(cpu(400, 30, 3, groups(1, 2, 0)), Some(3));
    // "scale down": 100, 300, 500, 250, 250 → 28% vs 50% → ⌈0.56 × 5⌉ = 3.
    assert_eq!(cpu(280, 50, 5, groups(5, 0, 0)), Some(3));
    // "scale down: exclude unready pods": ready 100, 300, 500 → 30% → ⌈0.6 × 3⌉ = 2.
    assert_eq!(cpu(300, 50, 5, groups(3, 2, 0)), Some(2));
    // "scale down: exclude unscheduled pods": one Running pod at 10%, four Pending (unready)
    // → ⌈0.2 × 1⌉ = 1.
    assert_eq!(cpu(100, 50, 5, groups(1, 4, 0)), Some(1));
}

#[test]
fn test_replica_calc_cpu_is_not_capped_at_the_request() {
    // R, TestReplicaCalcSuperfluousMetrics: four pods at 4,000, 9,500, 3,000 and 7,000 of a
    // 1,000m request (the two extra samples have no pod): 23,500 / 4,000 → 587% against
    // 100% → ⌈5.875 × 4⌉ = 24. Utilization above 100% of the request counts as is.
    assert_eq!(cpu(5_875, 100, 4, groups(4, 0, 0)), Some(24));
    // The case, by hand from the same formula: 10 pods at 140% against 70% →
    // ratio 2.0 → 20 (a cap at 100% would give ⌈10 × 100/70⌉ = 15).
    assert_eq!(cpu(1_400, 70, 10, groups(10, 0, 0)), Some(20));
}

#[test]
fn test_replica_calc_missing_metrics() {
    // R, TestReplicaCalcMissingMetrics: 4 pods, samples 400 and 95 → 24% vs 100%; the two
    // missing pods count at max(100%, target) of their request on a scale-down:
    // (495 + 2,000) / 4,000 = 62% → ⌈0.62 × 4⌉ = 3. (The average 247.5 is kept as 247:
    // 494 + 2,000 also gives 62%.)
    assert_eq!(cpu(247, 100, 4, groups(2, 0, 2)), Some(3));
}

/// Pods-metric proposal: `value_milli` is the ready pods' average, in milli-units.
fn pods_metric(
    value_milli: i64,
    target_milli: i64,
    current: u32,
    pods: PodGroups,
    up: &ScalingRules,
    down: &ScalingRules,
) -> Option<u32> {
    let sample = Sample::Pods {
        value_milli,
        target_milli,
    };
    metric_proposal(sample, current, pods, up, down)
}

#[test]
fn test_replica_calc_pods_metrics() {
    let (up, down) = default_rules();
    // R, TestReplicaCalcScaleUpCM: qps 20, 10, 30 against 15 → ⌈1.33 × 3⌉ = 4.
    assert_eq!(
        pods_metric(20_000, 15_000, 3, groups(3, 0, 0), &up, &down),
        Some(4)
    );
    // R, TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale: readiness only sets CPU samples
    // aside, so all three count: 50, 10, 30 → 30 against 15 → 6.
    assert_eq!(
        pods_metric(30_000, 15_000, 3, groups(3, 0, 0), &up, &down),
        Some(6)
    );
    // R, TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown: 50, 15, 30 → 31.666
    // against 15 → ⌈2.11 × 3⌉ = 7.
    assert_eq!(
        pods_metric(31_666, 15_000, 3, groups(3, 0, 0), &up, &down),
        Some(7)
    );
    // R, TestReplicaCalcScaleDownCM: five at 12 against 20 → 3.
    assert_eq!(
        pods_metric(12_000, 20_000, 5, groups(5, 0, 0), &up, &down),
        Some(3)
    );
}

#[test]
fn test_replica_calc_tolerance_cm() {
    let (up, down) = default_rules();
    // R, TestReplicaCalcToleranceCM: qps 20, 21, 21 against 20 → 20.666 → ratio 1.033,
    // within the default 0.1 → 3.
    assert_eq!(
        pods_metric(20_666, 20_000, 3, groups(3, 0, 0), &up, &down),
        Some(3)
    );
    // R, TestReplicaCalcConfigurableToleranceCM: Tolerances{scaleDown 0.1, scaleUp 0.01}
    // → 1.033 is outside → ⌈3.1⌉ = 4.
    let tight_up = ScalingRules {
        tolerance: 0.01,
        ..up.clone()
    };
    assert_eq!(
        pods_metric(20_666, 20_000, 3, groups(3, 0, 0), &tight_up, &down),
        Some(4)
    );
}

#[test]
fn test_replica_calc_configurable_tolerance() {
    // R, TestReplicaCalcConfigurableTolerance, by case name: requests 0.9, 1.0 and 1.1, so
    // the pods' usage sums over 3,000m; (scale-down tolerance, scale-up tolerance, usage sum,
    // expected). The replica calculator takes any tolerance; a policy is validated to at most
    // 0.99 per direction, so the 2.0 ones below exist only at this level.
    let cases = [
        ("Outside of a 0% tolerance", 0.0, 0.0, 3_030, 4),
        ("Within a 200% scale-up tolerance", 0.1, 2.0, 5_700, 3),
        (
            "Outside 8% scale-up tolerance (and superfuous scale-down tolerance)",
            2.0,
            0.08,
            3_270,
            4,
        ),
        ("Within a 36% scale-down tolerance", 0.36, 0.1, 1_950, 3),
        ("Outside a 34% scale-down tolerance", 0.34, 0.1, 1_950, 2),
    ];
    for (name, down_tolerance, up_tolerance, usage_sum, expected) in cases {
        let up = ScalingRules {
            tolerance: up_tolerance,
            ..ScalingRules::default_scale_up()
        };
        let down = ScalingRules {
            tolerance: down_tolerance,
            ..ScalingRules::default_scale_down()
        };
        let sample = Sample::Cpu {
            usage_milli: usage_sum / 3,
            target_percent: 100,
        };
        assert_eq!(
            metric_proposal(sample, 3, groups(3, 0, 0), &up, &down),
            Some(expected),
            "{name}"
        );
    }
    // R, TestReplicaCalcTolerance: 1,010, 1,030, 1,020 over 3,000m → 102%, within 0.1 → 3.
    assert_eq!(cpu(1_020, 100, 3, groups(3, 0, 0)), Some(3));
}

/// Object or External proposal with the default tolerance.
fn outside(
    kind: ValueTarget,
    usage_milli: i64,
    target_milli: i64,
    current: u32,
    ready: u32,
) -> u32 {
    let (up, down) = default_rules();
    outside_proposal(kind, usage_milli, target_milli, current, ready, &up, &down)
}

#[test]
fn test_replica_calc_object_metrics() {
    use ValueTarget::{AverageValue, Value};
    // R, TestReplicaCalcScaleUpCMObject: qps 20,000m of one object against 15,000m, 3 ready
    // → ⌈1.333 × 3⌉ = 4.
    assert_eq!(outside(Value, 20_000, 15_000, 3, 3), 4);
    // R, TestReplicaCalcScaleUpCMPerPodObject: 20,000m against 5,000m per pod, 3 pods →
    // 20,000 / 15,000 = 1.33 is outside the tolerance → ⌈20,000 / 5,000⌉ = 4.
    assert_eq!(outside(AverageValue, 20_000, 5_000, 3, 3), 4);
    // R, TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods: pods 0 and 2 unready, so 1 ready:
    // 50,000 / 10,000 = 5 → ⌈5 × 1⌉ = 5 ("if we did not ignore unready pods, we'd expect 15").
    assert_eq!(outside(Value, 50_000, 10_000, 3, 1), 5);
    // R, TestReplicaCalcScaleDownCMObject: 12,000 against 20,000, 5 ready → ⌈0.6 × 5⌉ = 3.
    assert_eq!(outside(Value, 12_000, 20_000, 5, 5), 3);
    // R, TestReplicaCalcScaleDownPerPodCMObject: 6,000 against 2,000 per pod, 5 pods →
    // 6,000 / 10,000 = 0.6 → ⌈6,000 / 2,000⌉ = 3.
    assert_eq!(outside(AverageValue, 6_000, 2_000, 5, 5), 3);
    // R, TestReplicaCalcToleranceCMObject: 20,666 against 20,000 → 1.033, within 0.1 → 3.
    assert_eq!(outside(Value, 20_666, 20_000, 3, 3), 3);
    // R, TestReplicaCalcTolerancePerPodCMObject: 20,166 against 5,000 × 4 → 1.008 → 4.
    assert_eq!(outside(AverageValue, 20_166, 5_000, 4, 4), 4);
}

#[test]
fn test_replica_calc_external_metrics() {
    use ValueTarget::{AverageValue, Value};
    // R, TestReplicaCalcScaleUpCMExternal: 8,600m against 4,400m, 1 replica → ⌈1.95⌉ = 2.
    assert_eq!(outside(Value, 8_600, 4_400, 1, 1), 2);
    // R, TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods: 3 replicas, 1 ready →
    // ⌈1.95 × 1⌉ = 2 ("would expect 6 if we didn't ignore unready pods").
    assert_eq!(outside(Value, 8_600, 4_400, 3, 1), 2);
    // R, TestReplicaCalcScaleUpPerPodCMExternal: 8,600 against 2,150 per pod, 3 pods →
    // 8,600 / 6,450 = 1.33 → ⌈8,600 / 2,150⌉ = 4.
    assert_eq!(outside(AverageValue, 8_600, 2_150, 3, 3), 4);
    // R, TestReplicaCalcScaleDownCMExternal: 8,600 against 14,334, 5 ready →
    // ⌈0.59997 × 5⌉ = ⌈2.9998⌉ = 3.
    assert_eq!(outside(Value, 8_600, 14_334, 5, 5), 3);
    // R, TestReplicaCalcScaleDownPerPodCMExternal: 8,600 against 2,867 per pod, 5 pods →
    // 0.5999 → ⌈2.9996⌉ = 3.
    assert_eq!(outside(AverageValue, 8_600, 2_867, 5, 5), 3);
    // R, TestReplicaCalcToleranceCMExternal: 8,600 against 8,888 → 0.968, within → 3.
    assert_eq!(outside(Value, 8_600, 8_888, 3, 3), 3);
    // R, TestReplicaCalcTolerancePerPodCMExternal: 8,600 against 2,900 × 3 → 0.989 → 3.
    assert_eq!(outside(AverageValue, 8_600, 2_900, 3, 3), 3);
    // By hand: no ready pod gives ⌈r × 0⌉ = 0 on the Value form (getReadyPodsCount is 0).
    assert_eq!(outside(Value, 8_600, 4_400, 3, 0), 0);
}

use super::group_pods::{Group, Periods, PodStatus, group_pod, group_pods};

/// File R's `defaultTestingCPUInitializationPeriod` (2 min) and
/// `defaultTestingDelayOfInitialReadinessStatus` (10 s).
const TESTING: Periods = Periods {
    cpu_initialization_s: 120,
    initial_readiness_delay_s: 10,
};

/// Go's zero `time.Time`, which file R's pods and samples carry when a case sets no time: far
/// before `NOW` (year 1).
const ZERO_TIME: i64 = -62_135_596_800;

fn running(
    start_s: Option<i64>,
    ready: Option<(bool, i64)>,
    metric: Option<(i64, i64)>,
) -> PodStatus {
    PodStatus {
        pending: false,
        start_s,
        ready,
        metric,
    }
}

#[test]
fn test_group_pods() {
    // R, TestGroupPods, by case name: (pod, cpu?, expected group). Times in seconds from NOW.
    let now = NOW as i64;
    let cases = [
        (
            "count in a ready pod - memory",
            running(None, None, Some((now, 60))),
            false,
            Group::Ready,
        ),
        (
            "ignore a pod without ready condition - CPU",
            running(Some(now), None, Some((ZERO_TIME, 0))),
            true,
            Group::Unready,
        ),
        (
            "count in a ready pod with fresh metrics during initialization period - CPU",
            running(Some(now - 60), Some((true, now - 30)), Some((now, 30))),
            true,
            Group::Ready,
        ),
        (
            "ignore a ready pod without fresh metrics during initialization period - CPU",
            running(Some(now - 60), Some((true, now - 30)), Some((now, 60))),
            true,
            Group::Unready,
        ),
        (
            "ignore an unready pod during initialization period - CPU",
            running(
                Some(now - 600),
                Some((false, now - 594)),
                Some((ZERO_TIME, 0)),
            ),
            true,
            Group::Unready,
        ),
        (
            "count in a ready pod without fresh metrics after initialization period - CPU",
            running(
                Some(now - 180),
                Some((true, now - 180)),
                Some((now - 120, 60)),
            ),
            true,
            Group::Ready,
        ),
        (
            "count in an unready pod that was ready after initialization period - CPU",
            running(
                Some(now - 600),
                Some((false, now - 540)),
                Some((ZERO_TIME, 0)),
            ),
            true,
            Group::Ready,
        ),
        (
            // start + 10 s is exactly the last transition: not After, so counted in.
            "ignore pod that has never been ready after initialization period - CPU",
            running(
                Some(now - 600),
                Some((false, now - 590)),
                Some((ZERO_TIME, 0)),
            ),
            true,
            Group::Ready,
        ),
        (
            "a missing pod",
            running(Some(now - 180), None, None),
            true,
            Group::Missing,
        ),
        (
            "pending pods are ignored",
            PodStatus {
                pending: true,
                start_s: None,
                ready: None,
                metric: None,
            },
            true,
            Group::Unready,
        ),
    ];
    for (name, pod, cpu, expected) in cases {
        assert_eq!(group_pod(&pod, cpu, now, TESTING), expected, "{name}");
    }
    // "several pods": one started now without a Ready condition (unready), one ready for
    // 3 min (ready), one without a sample (missing).
    let several = [
        running(Some(now), None, Some((ZERO_TIME, 0))),
        running(
            Some(now - 180),
            Some((true, now - 180)),
            Some((ZERO_TIME, 0)),
        ),
        running(Some(now - 180), None, None),
    ];
    assert_eq!(group_pods(&several, true, now, TESTING), groups(1, 1, 1));
    assert_eq!(group_pods(&[], true, now, TESTING), groups(0, 0, 0));
    // By hand, with Kubernetes' defaults (5 min, 30 s) instead of the tests' (2 min, 10 s):
    // the pod that last turned unready 10 s after its start has never been ready (within
    // 30 s), so it is set aside; a pod ready 4 min after its start, sampled before its
    // readiness + window, is still inside the 5 min initialization period.
    let defaults = Periods::default();
    assert_eq!(defaults.cpu_initialization_s, 300);
    assert_eq!(defaults.initial_readiness_delay_s, 30);
    let never_ready = running(Some(now - 600), Some((false, now - 590)), Some((now, 60)));
    assert_eq!(group_pod(&never_ready, true, now, defaults), Group::Unready);
    let stale = running(
        Some(now - 240),
        Some((true, now - 30)),
        Some((now - 20, 15)),
    );
    assert_eq!(group_pod(&stale, true, now, defaults), Group::Unready);
    assert_eq!(group_pod(&stale, true, now, TESTING), Group::Ready);
}

/// A pod of file R's replica-calculator cases: Running, its Ready condition's status with a
/// zero `lastTransitionTime`, its start time (zero unless hot or cool), and a sample at the
/// zero time with a 1 min window if it has a level.
fn calc_pod(ready: bool, start_s: i64, has_level: bool) -> PodStatus {
    running(
        Some(start_s),
        Some((ready, ZERO_TIME)),
        has_level.then_some((ZERO_TIME, 60)),
    )
}

/// `hotCPUCreationTime` (now) and `coolCPUCreationTime` (3 min ago) of file H.
const HOT: i64 = NOW as i64;
const COOL: i64 = NOW as i64 - 180;

/// Groups file R's pods for CPU, then proposes with the ready pods' average usage.
fn cpu_case(pods: &[PodStatus], levels: &[i64], target_percent: i64, current: u32) -> Option<u32> {
    let grouped = group_pods(pods, true, NOW as i64, TESTING);
    let ready_levels: Vec<i64> = pods
        .iter()
        .zip(levels)
        .filter(|(pod, _)| group_pod(pod, true, NOW as i64, TESTING) == Group::Ready)
        .map(|(_, level)| *level)
        .collect();
    let average = ready_levels.iter().sum::<i64>() / ready_levels.len().max(1) as i64;
    cpu(average, target_percent, current, grouped)
}

#[test]
fn test_replica_calc_unready_and_hot_cpu_pods_through_group_pods() {
    // R, each case by its Go test's name: readiness, start times and levels as the file gives
    // them (a pod after the levels has no sample); expected replicas from the file.
    let z = ZERO_TIME;
    // TestReplicaCalcScaleUpUnreadyLessScale: pod 0 not ready → ready 500, 700 → 60% vs 30%,
    // with the unready pod at 0: 40% → 4.
    let pods = [
        calc_pod(false, z, true),
        calc_pod(true, z, true),
        calc_pod(true, z, true),
    ];
    assert_eq!(cpu_case(&pods, &[300, 500, 700], 30, 3), Some(4));
    // TestReplicaCalcScaleUpHotCpuLessScale: pod 0 started now, its sample older than its
    // readiness + window, inside the 2 min initialization period → set aside → 4.
    let pods = [
        calc_pod(true, HOT, true),
        calc_pod(true, COOL, true),
        calc_pod(true, COOL, true),
    ];
    assert_eq!(cpu_case(&pods, &[300, 500, 700], 30, 3), Some(4));
    // TestReplicaCalcScaleUpUnreadyNoScale: pods 1, 2 not ready → 400 alone is 40% vs 30%;
    // with two at 0: 13% → the direction flips → 3.
    let pods = [
        calc_pod(true, z, true),
        calc_pod(false, z, true),
        calc_pod(false, z, true),
    ];
    assert_eq!(cpu_case(&pods, &[400, 500, 700], 30, 3), Some(3));
    // TestReplicaCalcScaleHotCpuNoScale: the same with pods 1, 2 started now → 3.
    let pods = [
        calc_pod(true, COOL, true),
        calc_pod(false, HOT, true),
        calc_pod(false, HOT, true),
    ];
    assert_eq!(cpu_case(&pods, &[400, 500, 700], 30, 3), Some(3));
    // TestReplicaCalcScaleDownIncludeUnreadyPods (TestReplicaCalcScaleDownIgnoresUnreadyPods in
    // later versions): pods 3, 4 not ready are left out of the scale-down → 100, 300, 500 →
    // 30% vs 50% → ⌈0.6 × 3⌉ = 2.
    let mut pods = [calc_pod(true, z, true); 5];
    pods[3] = calc_pod(false, z, true);
    pods[4] = calc_pod(false, z, true);
    assert_eq!(cpu_case(&pods, &[100, 300, 500, 250, 250], 50, 5), Some(2));
    // TestReplicaCalcScaleDownIgnoreHotCpuPods: pods 3, 4 started now → 2.
    let pods = [
        calc_pod(true, COOL, true),
        calc_pod(true, COOL, true),
        calc_pod(true, COOL, true),
        calc_pod(true, HOT, true),
        calc_pod(true, HOT, true),
    ];
    assert_eq!(cpu_case(&pods, &[100, 300, 500, 250, 250], 50, 5), Some(2));
    // TestReplicaCalcMissingMetricsUnreadyChange: pod 0 unready, pod 2 without a sample:
    // 45% vs 50%; the missing pod at 100%: 72% → the direction flips → 3.
    let pods = [
        calc_pod(false, z, true),
        calc_pod(true, z, true),
        calc_pod(true, z, false),
    ];
    assert_eq!(cpu_case(&pods, &[100, 450], 50, 3), Some(3));
    // TestReplicaCalcMissingMetricsHotCpuNoChange: pod 0 hot instead of unready → 3.
    let pods = [
        calc_pod(true, HOT, true),
        calc_pod(true, COOL, true),
        calc_pod(true, COOL, false),
    ];
    assert_eq!(cpu_case(&pods, &[100, 450], 50, 3), Some(3));
    // TestReplicaCalcMissingMetricsUnreadyScaleUp: 200% vs 50%; the unready and the missing
    // pod at 0: 2,000 × 100 / 3,000 = 66% → ⌈1.32 × 3⌉ = 4.
    let pods = [
        calc_pod(false, z, true),
        calc_pod(true, z, true),
        calc_pod(true, z, false),
    ];
    assert_eq!(cpu_case(&pods, &[100, 2_000], 50, 3), Some(4));
    // TestReplicaCalcMissingMetricsHotCpuScaleUp: pod 0 not ready and hot → 4.
    let pods = [
        calc_pod(false, HOT, true),
        calc_pod(true, COOL, true),
        calc_pod(true, COOL, false),
    ];
    assert_eq!(cpu_case(&pods, &[100, 2_000], 50, 3), Some(4));
    // TestReplicaCalcMissingMetricsUnreadyScaleDown: pod 0 unready, pod 3 missing: 10% vs
    // 50%; the missing pod at 100%: 1,200 × 100 / 3,000 = 40% → ⌈0.8 × 3⌉ = 3.
    let pods = [
        calc_pod(false, z, true),
        calc_pod(true, z, true),
        calc_pod(true, z, true),
        calc_pod(true, z, false),
    ];
    assert_eq!(cpu_case(&pods, &[100, 100, 100], 50, 4), Some(3));
    // TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale: for a Pods metric readiness does not
    // matter: pod 2 not ready and hot still counts → 50, 10, 30 → 30 vs 15 → 6.
    let pods = [
        calc_pod(true, COOL, true),
        calc_pod(true, COOL, true),
        calc_pod(false, HOT, true),
    ];
    let (up, down) = default_rules();
    let grouped = group_pods(&pods, false, NOW as i64, TESTING);
    assert_eq!(grouped, groups(3, 0, 0));
    assert_eq!(pods_metric(30_000, 15_000, 3, grouped, &up, &down), Some(6));
}
