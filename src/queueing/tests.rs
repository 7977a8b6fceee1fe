//! Reference values: unless a comment says otherwise, Erlang B and C below were computed
//! independently of this code, from the textbook sums (not the recursion) with 60-digit
//! arithmetic (Python mpmath 1.3):
//!   B(A, c) = (A^c / c!) / Σ_{k=0..c} A^k / k!
//!   C(A, c) = (A^c / c! · 1/(1−ρ)) / (Σ_{k=0..c−1} A^k / k! + A^c / c! · 1/(1−ρ)),  ρ = A/c

use super::*;
use crate::testutil::{assert_abs, assert_rel};
use proptest::prelude::*;

// Only the tests read the wait's distribution: they check `wait_percentile` against it.
impl MmcQueue {
    /// Probability that the wait in queue is at most `t_s` seconds (0 for negative or NaN `t_s`).
    ///
    /// # Formula
    /// ```text
    /// P(W_q ≤ t) = 1 − C·e^(−(cμ − λ)t),  t ≥ 0
    /// Source: Kleinrock, Queueing Systems Vol. 1, eq. 3.40
    /// ```
    pub(super) fn wait_cdf(&self, t_s: f64) -> f64 {
        if t_s.is_nan() || t_s < 0.0 {
            return 0.0;
        }
        (1.0 - self.p_wait() * crate::math::exp(-self.drain_rate() * t_s)).clamp(0.0, 1.0)
    }
}

/// Every queueing figure for one queue, collected to check them together (only the tests use it).
#[derive(Debug, Clone, PartialEq)]
struct QueueingReport {
    /// ρ = λ / (c μ).
    pub utilization: f64,
    /// Erlang C: probability that a request waits.
    pub p_wait: f64,
    /// Mean wait in the queue, seconds.
    pub mean_wait_seconds: f64,
    /// Mean response time (wait + service), seconds.
    pub mean_response_seconds: f64,
    /// 95th percentile of the wait in queue, seconds.
    pub p95_wait_seconds: f64,
    /// 99th percentile of the wait in queue, seconds.
    pub p99_wait_seconds: f64,
    /// The fewest servers meeting the target.
    pub servers_for_target: u32,
    /// ⌈λ/μ⌉, the count that ignores queueing.
    pub naive_servers: u64,
}

impl QueueingReport {
    /// Computes every figure for `servers` servers and sizes for `target`.
    ///
    /// # Formula
    /// ```text
    /// see MmcQueue::{utilization, p_wait, mean_wait_s, mean_response_s, wait_percentile},
    /// fewest_servers and naive_servers
    /// ```
    ///
    /// # Errors
    /// Any error of [`MmcQueue::new`] (including [`QueueingError::Unstable`]: call
    /// [`fewest_servers`] alone to size an overloaded system) or of [`fewest_servers`].
    ///
    fn compute(
        arrival_rate_per_s: f64,
        mean_service_s: f64,
        servers: u32,
        target: QueueTarget,
    ) -> Result<Self, QueueingError> {
        let queue = MmcQueue::new(arrival_rate_per_s, mean_service_s, servers)?;
        Ok(Self {
            utilization: queue.utilization(),
            p_wait: queue.p_wait(),
            mean_wait_seconds: queue.mean_wait_s(),
            mean_response_seconds: queue.mean_response_s(),
            p95_wait_seconds: queue.wait_percentile(0.95)?,
            p99_wait_seconds: queue.wait_percentile(0.99)?,
            servers_for_target: fewest_servers(arrival_rate_per_s, mean_service_s, target)?,
            naive_servers: naive_servers(arrival_rate_per_s, mean_service_s)?,
        })
    }
}

#[test]
fn erlang_b_matches_the_published_table() {
    // A = 10 Erlangs on 10 lines: B = 0.2146 in any Erlang B table; 60-digit sum:
    // 0.2145823431073473.
    let queue = MmcQueue::new(100.0, 0.1, 11).unwrap();
    assert_rel(erlang_b_recursion(10.0, 10), 0.214_582_343_107_347_3, 1e-12);
    // B(10, 11) follows from B(10, 10): 10·0.21458 / (11 + 10·0.21458) = 0.163245...
    assert_rel(
        queue.erlang_b(),
        10.0 * 0.214_582_343_107_347_3 / (11.0 + 10.0 * 0.214_582_343_107_347_3),
        1e-12,
    );
}

#[test]
fn erlang_c_matches_the_classic_example() {
    // A = 10 Erlangs, c = 11 agents: C = 0.6821 in any Erlang C table; 60-digit sum:
    // 0.6821182046893324.
    let queue = MmcQueue::new(100.0, 0.1, 11).unwrap();
    assert_rel(queue.p_wait(), 0.682_118_204_689_332_4, 1e-12);
}

#[test]
fn erlang_c_by_hand_for_three_servers() {
    // A = 2, c = 3 by hand: Σ_{k<3} A^k/k! = 1 + 2 + 2 = 5; A^3/3! · 1/(1 − 2/3) = 4/3 · 3 = 4;
    // C = 4 / (5 + 4) = 4/9.
    let queue = MmcQueue::new(2.0, 1.0, 3).unwrap();
    assert_rel(queue.p_wait(), 4.0 / 9.0, 1e-14);
    // W_q = C / (cμ − λ) = (4/9) / (3 − 2) s.
    assert_rel(queue.mean_wait_s(), 4.0 / 9.0, 1e-14);
}

#[test]
fn mm1_closed_forms() {
    // M/M/1, λ = 8/s, μ = 10/s (s = 100 ms), by hand: ρ = 0.8; C = ρ = 0.8;
    // W_q = ρ/(μ − λ) = 0.8/2 = 0.4 s; W = 1/(μ − λ) = 0.5 s;
    // p95 wait: 0.8·e^(−2t) = 0.05 ⇒ t = ln(16)/2 = 1.386294361 s.
    let queue = MmcQueue::new(8.0, 0.1, 1).unwrap();
    assert_rel(queue.utilization(), 0.8, 1e-15);
    assert_rel(queue.p_wait(), 0.8, 1e-15);
    assert_rel(queue.mean_wait_s(), 0.4, 1e-14);
    assert_rel(queue.mean_response_s(), 0.5, 1e-14);
    assert_rel(
        queue.wait_percentile(0.95).unwrap(),
        16f64.ln() / 2.0,
        1e-14,
    );
    // P(W_q ≤ 0) = 1 − ρ = 0.2: the share served at once.
    assert_rel(queue.wait_cdf(0.0), 0.2, 1e-14);
    // The 10% quantile is 0 because 20% of requests do not wait.
    assert_abs(queue.wait_percentile(0.1).unwrap(), 0.0, 0.0);
}

#[test]
fn percentiles_for_ten_erlangs_on_thirteen_servers() {
    // λ = 100/s, s = 100 ms, c = 13: C = 0.285270453036 (60-digit sum);
    // p95 = ln(C/0.05)/(130 − 100) = 0.0580471560962 s, p99 = 0.111695086511 s.
    let queue = MmcQueue::new(100.0, 0.1, 13).unwrap();
    assert_rel(queue.p_wait(), 0.285_270_453_036, 1e-11);
    assert_rel(
        queue.wait_percentile(0.95).unwrap(),
        0.058_047_156_096_2,
        1e-10,
    );
    assert_rel(
        queue.wait_percentile(0.99).unwrap(),
        0.111_695_086_511,
        1e-10,
    );
    assert_rel(queue.mean_wait_s(), 0.009_509_015_101_22, 1e-10);
}

#[test]
fn five_thousand_servers_stay_finite_and_accurate() {
    // 60-digit sums: C(4900, 5000) = 0.09993787723448766, C(4990, 5000) = 0.8343673126352963,
    // C(4500, 5000) = 1.2918318078526587e-13. The textbook sum overflows f64 here (4900^5000).
    for (offered, expected) in [
        (4_900.0, 0.099_937_877_234_487_66),
        (4_990.0, 0.834_367_312_635_296_3),
        (4_500.0, 1.291_831_807_852_658_7e-13),
    ] {
        let queue = MmcQueue::new(offered, 1.0, 5_000).unwrap();
        assert!(queue.p_wait().is_finite());
        assert_rel(queue.p_wait(), expected, 1e-9);
    }
}

#[test]
fn fewest_servers_for_each_kind_of_target() {
    // λ = 100/s, s = 100 ms (A = 10). From the 60-digit table: c = 13 gives p95 58.0 ms,
    // C 0.285, W_q 9.51 ms; c = 14 gives p95 31.2 ms, C 0.174, W_q 4.35 ms.
    let p95 = QueueTarget::WaitPercentile {
        q: 0.95,
        max_wait_s: 0.050,
    };
    assert_eq!(fewest_servers(100.0, 0.1, p95).unwrap(), 14);
    assert_eq!(
        fewest_servers(
            100.0,
            0.1,
            QueueTarget::MaxProbabilityOfWaiting { max_p_wait: 0.2 }
        )
        .unwrap(),
        14
    );
    assert_eq!(
        fewest_servers(100.0, 0.1, QueueTarget::MaxMeanWait { max_wait_s: 0.005 }).unwrap(),
        14
    );
    // c = 17 is the first with C ≤ 0.05 (0.0309; c = 16 has 0.0573), so p95 wait = 0.
    let p95_zero = QueueTarget::WaitPercentile {
        q: 0.95,
        max_wait_s: 0.0,
    };
    assert_eq!(fewest_servers(100.0, 0.1, p95_zero).unwrap(), 17);
    assert_eq!(naive_servers(100.0, 0.1).unwrap(), 10);
}

#[test]
fn no_traffic_needs_one_server() {
    // λ = 0: nobody waits, so one server meets any valid target.
    assert_eq!(
        fewest_servers(0.0, 0.1, QueueTarget::MaxMeanWait { max_wait_s: 1e-9 }).unwrap(),
        1
    );
    assert_eq!(naive_servers(0.0, 0.1).unwrap(), 0);
}

#[test]
fn unstable_input_is_a_clear_message() {
    // 1,200/s of 10 ms on 10 servers: capacity 10/0.01 = 1,000/s, utilization 120%.
    let err = MmcQueue::new(1_200.0, 0.01, 10).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unstable: arrivals 1,200/s exceed capacity 1,000/s (utilization 120%); add servers"
    );
    // Exactly 100% is unstable too.
    assert!(matches!(
        MmcQueue::new(1_000.0, 0.01, 10),
        Err(QueueingError::Unstable { .. })
    ));
}

#[test]
fn bad_inputs_are_typed_errors() {
    assert!(matches!(
        MmcQueue::new(f64::NAN, 0.1, 1),
        Err(QueueingError::NotFiniteOrNegative {
            field: "q_rate",
            ..
        })
    ));
    assert_eq!(
        MmcQueue::new(1.0, 0.0, 1),
        Err(QueueingError::ZeroServiceTime)
    );
    assert_eq!(MmcQueue::new(1.0, 0.1, 0), Err(QueueingError::NoServers));
    assert!(matches!(
        MmcQueue::new(1.0, 0.1, MAX_SERVERS + 1),
        Err(QueueingError::TooManyServers { .. })
    ));
    assert!(
        fewest_servers(
            1e12,
            1.0,
            QueueTarget::MaxProbabilityOfWaiting { max_p_wait: 0.5 }
        )
        .is_err()
    );
    assert!(
        fewest_servers(
            10.0,
            0.1,
            QueueTarget::MaxProbabilityOfWaiting { max_p_wait: 0.0 }
        )
        .is_err()
    );
    assert!(
        fewest_servers(
            10.0,
            0.1,
            QueueTarget::WaitPercentile {
                q: 1.0,
                max_wait_s: 0.1
            }
        )
        .is_err()
    );
    let queue = MmcQueue::new(8.0, 0.1, 1).unwrap();
    assert!(queue.wait_percentile(1.0).is_err());
    assert_abs(queue.wait_cdf(f64::NAN), 0.0, 0.0);
}

#[test]
fn report_collects_the_figures() {
    // λ = 100/s, s = 100 ms, c = 13: figures from the 60-digit table above.
    let target = QueueTarget::WaitPercentile {
        q: 0.95,
        max_wait_s: 0.050,
    };
    let report = QueueingReport::compute(100.0, 0.1, 13, target).unwrap();
    assert_rel(report.utilization, 10.0 / 13.0, 1e-14);
    assert_rel(report.p95_wait_seconds, 0.058_047_156_096_2, 1e-10);
    assert_rel(
        report.mean_response_seconds,
        0.1 + 0.009_509_015_101_22,
        1e-10,
    );
    assert_eq!((report.naive_servers, report.servers_for_target), (10, 14));
}

#[test]
fn fleet_sizing_for_the_chapters_web_tier() {
    // The chapter's web tier: 121,528 req/s at peak (reads + writes), 10,000 req/s per server.
    // With 10 ms requests each server is 100 workers. Independent check (60-digit sums): with
    // n servers each gets 121,528/n req/s; n = 13 puts each at ρ = 0.934831 with
    // C(93.4831, 100) = 0.39940932 and p99 = ln(C/0.01)/(10,000 − 9,348.31) = 5.658 ms (meets
    // 10 ms), while n = 12 is unstable (ρ = 1.013). For a 1 ms p99: n = 14 gives 1.838 ms,
    // n = 15 gives 0.513 ms.
    let target = QueueTarget::WaitPercentile {
        q: 0.99,
        max_wait_s: 0.010,
    };
    let fleet = fleet_for_target(121_528.0, 10_000.0, 0.010, target).unwrap();
    assert_eq!(fleet.workers_per_server, 100);
    assert_eq!(fleet.naive_servers, 13);
    assert_eq!(fleet.servers_for_target, 13);
    assert_rel(fleet.utilization, 121_528.0 / 13.0 / 10_000.0, 1e-12);
    assert_rel(fleet.p_wait, 0.399_409_32, 1e-7);
    let tight = QueueTarget::WaitPercentile {
        q: 0.99,
        max_wait_s: 0.001,
    };
    assert_eq!(
        fleet_for_target(121_528.0, 10_000.0, 0.010, tight)
            .unwrap()
            .servers_for_target,
        15
    );
    assert!(fleet_for_target(1.0, 10.0, 0.01, target).is_err()); // 0.1 workers per server
}

proptest! {
    #[test]
    fn p_wait_is_a_probability_and_falls_with_servers(offered in 0.0f64..500.0, extra in 1u32..50) {
        let servers = offered.floor() as u32 + extra;
        let fewer = MmcQueue::new(offered, 1.0, servers).unwrap();
        let more = MmcQueue::new(offered, 1.0, servers + 1).unwrap();
        prop_assert!((0.0..=1.0).contains(&fewer.p_wait()));
        prop_assert!(more.p_wait() <= fewer.p_wait() + 1e-15);
        prop_assert!(more.mean_wait_s() <= fewer.mean_wait_s() + 1e-15);
    }

    #[test]
    fn percentiles_rise_with_the_quantile(offered in 0.0f64..200.0, extra in 1u32..20, q in 0.01f64..0.98) {
        let queue = MmcQueue::new(offered, 0.05, offered.floor() as u32 + extra).unwrap();
        let lower = queue.wait_percentile(q).unwrap();
        let upper = queue.wait_percentile(q + 0.01).unwrap();
        prop_assert!(lower >= 0.0 && upper >= lower);
        // The CDF at the quantile gives the quantile back (when the wait is positive).
        if lower > 0.0 {
            prop_assert!((queue.wait_cdf(lower) - q).abs() < 1e-9);
        }
    }

    #[test]
    fn fewest_servers_is_the_first_count_meeting_the_target(rate in 0.0f64..5_000.0, service_ms in 1.0f64..500.0, max_wait_ms in 0.0f64..200.0) {
        let s = service_ms / 1_000.0;
        let target = QueueTarget::WaitPercentile { q: 0.95, max_wait_s: max_wait_ms / 1_000.0 };
        let c = fewest_servers(rate, s, target).unwrap();
        prop_assert!(MmcQueue::new(rate, s, c).unwrap().meets(&target));
        if let Ok(fewer) = MmcQueue::new(rate, s, c - 1) {
            prop_assert!(!fewer.meets(&target));
        }
        prop_assert!(u64::from(c) >= naive_servers(rate, s).unwrap());
    }

    #[test]
    fn no_input_panics(rate in proptest::num::f64::ANY, service in proptest::num::f64::ANY, servers in 0u32..200_000, q in proptest::num::f64::ANY) {
        let _ = MmcQueue::new(rate, service, servers).map(|queue| (queue.p_wait(), queue.wait_percentile(q), queue.wait_cdf(q)));
        let _ = fewest_servers(rate, service, QueueTarget::WaitPercentile { q, max_wait_s: service });
        let _ = fewest_servers(rate, service, QueueTarget::MaxMeanWait { max_wait_s: q });
        let _ = fleet_for_target(rate, service, q, QueueTarget::MaxProbabilityOfWaiting { max_p_wait: 0.5 });
        let _ = naive_servers(rate, service);
    }
}

#[test]
fn targets_read_as_a_person_says_them() {
    let p99 = QueueTarget::WaitPercentile {
        q: 0.99,
        max_wait_s: 0.020,
    };
    assert_eq!(p99.to_string(), "p99 wait ≤ 20 ms");
    assert_eq!(
        QueueTarget::MaxMeanWait { max_wait_s: 0.005 }.to_string(),
        "mean wait ≤ 5 ms"
    );
    assert_eq!(
        QueueTarget::MaxProbabilityOfWaiting { max_p_wait: 0.2 }.to_string(),
        "P(wait) ≤ 20%"
    );
}

/// Issue 18's messages: "exceed capacity" when arrivals only equal it, "utilization 100%" at
/// 100.1%, a 300-digit decimal and `0.011000000000000001` in the workers error.
#[test]
fn messages_say_what_the_numbers_are() {
    let target = QueueTarget::WaitPercentile {
        q: 0.99,
        max_wait_s: 0.02,
    };
    // 1,000/s × 10 ms = 10 Erlangs on 10 servers: equal (hand computation).
    let equal = MmcQueue::new(1_000.0, 0.01, 10)
        .expect_err("unstable")
        .to_string();
    assert!(equal.contains("equal capacity"), "{equal}");
    assert!(equal.contains("utilization 100%"), "{equal}");
    // 1,001/s: 10.01 / 10 = 100.1%.
    let over = MmcQueue::new(1_001.0, 0.01, 10)
        .expect_err("unstable")
        .to_string();
    assert!(over.contains("exceed capacity"), "{over}");
    assert!(over.contains("utilization 100.1%"), "{over}");
    // 1e300 req/s × 1 s is 1e300 workers; 1.1 req/s × 10 ms is 0.011 (hand computation).
    let huge = fleet_for_target(1.0, 1e300, 1.0, target)
        .expect_err("too many")
        .to_string();
    assert!(huge.ends_with("got 1e300"), "{huge}");
    let tiny = fleet_for_target(1.0, 1.1, 0.01, target)
        .expect_err("too few")
        .to_string();
    assert!(tiny.ends_with("got 0.011"), "{tiny}");
}
