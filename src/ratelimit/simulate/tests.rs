use super::*;
use crate::ratelimit::Pattern;
use crate::ratelimit::{Counting, WindowStart};
use crate::testutil::assert_abs;
use proptest::prelude::*;

fn by(run: &RateLimitRun, algorithm: RateAlgorithm) -> &AlgorithmRun {
    run.algorithms
        .iter()
        .find(|a| a.algorithm == algorithm)
        .unwrap()
}

fn poisson(rate_per_s: f64, duration_s: f64, seed: u64) -> TrafficConfig {
    TrafficConfig {
        pattern: Pattern::Poisson { rate_per_s },
        duration_s,
        seed,
        ..TrafficConfig::default()
    }
}

#[test]
fn fixed_window_admits_twice_its_limit_across_a_boundary() {
    // The chapter's section 5 table: fixed window, "Poor (2x at boundary)". 100 requests in the
    // last 0.6 s of a 60 s window and 100 in the first 0.6 s of the next all pass: 200 within
    // 1.2 s, exactly 2 × limit in one window length.
    let limits = RateLimitConfig {
        limit: 100,
        window_s: 60.0,
        burst: 100,
        ..RateLimitConfig::default()
    };
    let traffic = TrafficConfig {
        pattern: Pattern::WindowBoundary { per_side: 100 },
        duration_s: 600.0,
        ..TrafficConfig::default()
    };
    let run = simulate(&limits, &traffic).unwrap();
    assert_eq!(
        by(&run, RateAlgorithm::FixedWindow).max_admitted_in_window,
        200
    );
    // The sliding log admits at most the limit in any window.
    assert_eq!(
        by(&run, RateAlgorithm::SlidingWindowLog).max_admitted_in_window,
        100
    );
    // The counter: after 100 admits just before the boundary, its estimate 1 s ≪ W later is
    // 100 × (1 − f) + cur with f ≤ 0.01, so cur + 1 ≤ 100 f ≤ 1 admits nothing (f < 0.01 here).
    assert_eq!(
        by(&run, RateAlgorithm::SlidingWindowCounter).max_admitted_in_window,
        100
    );
    // The token bucket starts the episode full (100) and refills r × 1.194 s = (100/60) × 1.194
    // = 1.99 tokens between the first request (59.4 s) and the last (60.594 s): 101 admitted.
    assert_eq!(
        by(&run, RateAlgorithm::TokenBucket).max_admitted_in_window,
        101
    );
}

#[test]
fn token_bucket_cuts_bursts_to_its_capacity_and_the_leaky_bucket_smooths_them() {
    // Bursts of 50 at once every 60 s; limit 100/min with bursts of 20.
    let limits = RateLimitConfig {
        limit: 100,
        window_s: 60.0,
        burst: 20,
        ..RateLimitConfig::default()
    };
    let pattern = Pattern::Bursts {
        background_per_s: 0.0,
        burst_size: 50,
        every_s: 60.0,
        spread_s: 0.0,
    };
    let run = simulate(
        &limits,
        &TrafficConfig {
            pattern,
            ..TrafficConfig::default()
        },
    )
    .unwrap();
    // The windows admit the whole burst of 50 (under their limit of 100)...
    assert_eq!(by(&run, RateAlgorithm::FixedWindow).largest_burst, 50);
    // ...the token bucket exactly its capacity, 20 (it refills r × 60 s = 100 ≥ 20 in between).
    assert_eq!(by(&run, RateAlgorithm::TokenBucket).largest_burst, 20);
    // The leaky bucket admits the same 20 but forwards one every T = 0.6 s: a burst interval
    // of W/10 = 6 s holds 10 of them (an 11th would be exactly 6 s after the first).
    let leaky = by(&run, RateAlgorithm::LeakyBucket);
    assert_eq!(leaky.largest_burst, 20);
    assert_eq!(leaky.largest_forwarded_burst, 10);
    // Its longest wait is the 20th request's: 19 × 0.6 s = 11.4 s.
    assert_abs(leaky.max_delay_s, 11.4, 1e-9);
}

#[test]
fn headers_at_the_chosen_moment() {
    // Poisson 100/s against 100 per minute: by t = 30 s the first window's 100 are long used,
    // so at 30 s: Remaining 0, Retry-After = 60 − 30 = 30 s, X-RateLimit-Reset 30 s ahead.
    let limits = RateLimitConfig::default();
    let traffic = TrafficConfig {
        headers_at_s: 30.0,
        ..poisson(100.0, 120.0, 7)
    };
    let run = simulate(&limits, &traffic).unwrap();
    let h = by(&run, RateAlgorithm::FixedWindow).headers;
    assert_eq!((h.limit, h.remaining, h.status()), (100, 0, 429));
    assert_abs(h.retry_after_s.unwrap(), 30.0, 1e-9);
    assert_abs(h.reset_after_s, 30.0, 1e-9);
}

#[test]
fn bucket_headers_count_whole_tokens_exactly() {
    // Boundary traffic (100 per minute, bucket 100), headers at 315 s: the buckets are full
    // again 45 s later, so they hold 100 − 45 × 100/60 = 25 tokens exactly: Remaining 25. Before
    // integer time the float refill came to 24.999… and Remaining said 24.
    let traffic = TrafficConfig {
        pattern: Pattern::WindowBoundary { per_side: 100 },
        ..TrafficConfig::default()
    };
    let run = simulate(&RateLimitConfig::default(), &traffic).unwrap();
    for algorithm in [
        RateAlgorithm::TokenBucket,
        RateAlgorithm::LeakyBucket,
        RateAlgorithm::Gcra,
    ] {
        let h = by(&run, algorithm).headers;
        assert_eq!(h.remaining, 25, "{algorithm:?}");
        assert_abs(h.reset_after_s, 45.0, 1e-9);
    }
}

#[test]
fn state_grows_only_for_the_sliding_log() {
    let run = simulate(&RateLimitConfig::default(), &TrafficConfig::default()).unwrap();
    for a in &run.algorithms {
        let expected_peak = match a.algorithm {
            // Up to one timestamp per admitted request in the window: at most the limit.
            RateAlgorithm::SlidingWindowLog => 100,
            RateAlgorithm::SlidingWindowCounter => 3,
            RateAlgorithm::Gcra => 1,
            _ => 2,
        };
        assert_eq!(a.state_words_peak, expected_peak, "{:?}", a.algorithm);
    }
}

#[test]
fn max_in_window_counts_half_open_windows() {
    // Hand counts: (0.4, 1.4] holds 0.5, 0.9, 1.0, 1.4; a time exactly w old has left.
    assert_eq!(max_in_window(&[0.0, 0.5, 0.9, 1.0, 1.4], 1.0), 4);
    assert_eq!(max_in_window(&[0.0, 1.0, 2.0], 1.0), 1);
    assert_eq!(max_in_window(&[3.0, 3.0, 3.0], 0.5), 3);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn gcra_token_and_leaky_buckets_agree_decision_by_decision(
        seed in any::<u64>(),
        rate in 0.1_f64..50.0,
        limit in 1_u64..200,
        window in 0.5_f64..100.0,
        burst in 1_u64..50,
    ) {
        // ITU-T I.371: GCRA is the leaky bucket in virtual-scheduling form; tokens = B − level.
        let limits = RateLimitConfig { limit, window_s: window, burst, ..RateLimitConfig::default() };
        let arrivals = poisson(rate, 200.0, seed).arrivals(window).unwrap();
        let mut token = RateAlgorithm::TokenBucket.limiter(&limits).unwrap();
        let mut gcra = RateAlgorithm::Gcra.limiter(&limits).unwrap();
        let mut leaky = RateAlgorithm::LeakyBucket.limiter(&limits).unwrap();
        for &t in &arrivals {
            let expected = token.allow(t).is_allowed();
            prop_assert_eq!(gcra.allow(t).is_allowed(), expected, "GCRA at t = {}", t);
            prop_assert_eq!(leaky.allow(t).is_allowed(), expected, "leaky at t = {}", t);
        }
    }

    #[test]
    fn the_boundary_pattern_doubles_any_fixed_window(limit in 1_u64..300, window in 0.01_f64..1_000.0) {
        // Whatever the limit and window, L just before and L just after a boundary all pass the
        // fixed window (2L within 2% of W) while the sliding log holds the line at L.
        let limits = RateLimitConfig { limit, window_s: window, burst: limit, ..RateLimitConfig::default() };
        let traffic = TrafficConfig {
            pattern: Pattern::WindowBoundary { per_side: limit },
            duration_s: 10.0 * window,
            headers_at_s: 0.0,
            ..TrafficConfig::default()
        };
        let run = simulate(&limits, &traffic).unwrap();
        prop_assert_eq!(by(&run, RateAlgorithm::FixedWindow).max_admitted_in_window, 2 * limit);
        prop_assert_eq!(by(&run, RateAlgorithm::SlidingWindowLog).max_admitted_in_window, limit);
    }

    #[test]
    fn sliding_log_never_exceeds_the_limit_in_any_window(
        seed in any::<u64>(),
        rate in 0.1_f64..100.0,
        limit in 1_u64..100,
        window in 0.1_f64..30.0,
    ) {
        let limits = RateLimitConfig { limit, window_s: window, burst: limit, ..RateLimitConfig::default() };
        let run = simulate(&limits, &poisson(rate, 100.0, seed)).unwrap();
        prop_assert!(by(&run, RateAlgorithm::SlidingWindowLog).max_admitted_in_window <= limit);
        // The leaky bucket's outflow is spaced at least W / L apart: at most L per window.
        prop_assert!(by(&run, RateAlgorithm::LeakyBucket).max_forwarded_in_window <= limit);
        // And no window algorithm admits more than 2 × limit in a window length.
        prop_assert!(by(&run, RateAlgorithm::FixedWindow).max_admitted_in_window <= 2 * limit);
        prop_assert!(by(&run, RateAlgorithm::SlidingWindowCounter).max_admitted_in_window <= 2 * limit);
    }

    #[test]
    fn any_setting_runs_or_errs_without_panicking(
        limit in 0_u64..2_000_000,
        window in -1.0_f64..1e8,
        burst in 0_u64..2_000_000,
        rate in -1.0_f64..2e4,
        duration in 0.0_f64..200.0,
        headers_at in -1.0_f64..300.0,
        buckets in 0_u32..20_000,
        which in 0_usize..3,
    ) {
        let pattern = match which {
            0 => Pattern::Poisson { rate_per_s: rate },
            1 => Pattern::Bursts { background_per_s: rate, burst_size: limit % 1_000, every_s: window, spread_s: 1.0 },
            _ => Pattern::WindowBoundary { per_side: burst % 1_000 },
        };
        let traffic = TrafficConfig { pattern, duration_s: duration, seed: 1, headers_at_s: headers_at, chart_buckets: buckets };
        if let Ok(run) = simulate(&RateLimitConfig { limit, window_s: window, burst, ..RateLimitConfig::default() }, &traffic) {
            for a in &run.algorithms {
                prop_assert_eq!(a.admitted + a.rejected, run.requests);
                prop_assert_eq!(a.buckets.iter().map(|b| b.admitted + b.rejected).sum::<u64>(), run.requests);
            }
        }
    }
}

/// Arrival times on a grid of `window / steps`: `ticks` grid points (each `repeat` times, at
/// the identical instant), so that every multiple of `steps` is exactly on a window edge
/// `j × window` and many requests tie.
fn grid_arrivals(window: f64, steps: u32, ticks: &[(u32, u8)]) -> Vec<f64> {
    let mut points: Vec<(u32, u8)> = ticks.to_vec();
    points.sort_unstable();
    points
        .into_iter()
        .flat_map(|(k, repeat)| {
            let t = if k % steps == 0 {
                f64::from(k / steps) * window
            } else {
                f64::from(k) * window / f64::from(steps)
            };
            std::iter::repeat_n(t, usize::from(repeat))
        })
        .collect()
}

/// Admitted times of `algorithm` on `arrivals`.
fn admitted_times(
    algorithm: RateAlgorithm,
    limits: &RateLimitConfig,
    arrivals: &[f64],
) -> Vec<f64> {
    let mut limiter = algorithm.limiter(limits).unwrap();
    arrivals
        .iter()
        .copied()
        .filter(|&t| limiter.allow(t).is_allowed())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Issue 20: bursts at identical instants and at exact window edges, where floating-point
    /// accumulation used to break ties differently in GCRA and the token bucket.
    #[test]
    fn ties_at_identical_instants_and_window_edges(
        limit in 1_u64..12,
        burst in 1_u64..12,
        window in prop::sample::select(vec![0.001, 0.1, 0.3, 0.7, 1.0, 3.0, 60.0, 86_400.0]),
        steps in 1_u32..6,
        ticks in prop::collection::vec((0_u32..60, 1_u8..8), 1..40),
        first in any::<bool>(),
        attempts in any::<bool>(),
    ) {
        let limits = RateLimitConfig {
            limit,
            window_s: window,
            burst,
            window_start: if first { WindowStart::FirstRequest } else { WindowStart::Clock },
            counting: if attempts { Counting::Attempts } else { Counting::Admitted },
        };
        let arrivals = grid_arrivals(window, steps, &ticks);
        // The three meters agree decision by decision (ITU-T I.371; the module docs).
        let mut token = RateAlgorithm::TokenBucket.limiter(&limits).unwrap();
        let mut gcra = RateAlgorithm::Gcra.limiter(&limits).unwrap();
        let mut leaky = RateAlgorithm::LeakyBucket.limiter(&limits).unwrap();
        for &t in &arrivals {
            let expected = token.allow(t).is_allowed();
            prop_assert_eq!(gcra.allow(t).is_allowed(), expected, "GCRA at t = {}", t);
            prop_assert_eq!(leaky.allow(t).is_allowed(), expected, "leaky at t = {}", t);
        }
        // A burst at one instant after a long pause gets exactly min(size, bucket) through.
        let pause = window * 100.0;
        let mut fresh = RateAlgorithm::Gcra.limiter(&limits).unwrap();
        let size = ticks.len() as u64;
        let through = (0..size).filter(|_| fresh.allow(pause).is_allowed()).count() as u64;
        prop_assert_eq!(through, size.min(burst));
        // The sliding log never admits more than the limit in any window (t − W, t], counting
        // admits only or every attempt.
        let log = admitted_times(RateAlgorithm::SlidingWindowLog, &limits, &arrivals);
        prop_assert!(max_in_window(&log, window) <= limit);
        // The fixed window aligned to the clock: at most L in each [kW, (k+1)W); either way it
        // starts, at most 2L in any window length.
        let fixed = admitted_times(RateAlgorithm::FixedWindow, &limits, &arrivals);
        if !first {
            let window_ns = crate::ratelimit::to_ns(window);
            let mut per_window = std::collections::BTreeMap::new();
            for &t in &fixed {
                *per_window.entry(crate::ratelimit::to_ns(t) / window_ns).or_insert(0_u64) += 1;
            }
            prop_assert!(per_window.values().all(|&n| n <= limit), "{:?}", per_window);
        }
        prop_assert!(max_in_window(&fixed, window) <= 2 * limit);
        let counter = admitted_times(RateAlgorithm::SlidingWindowCounter, &limits, &arrivals);
        prop_assert!(max_in_window(&counter, window) <= 2 * limit);
    }
}
