//! Criterion benchmarks of the load-balancing and rate-limiting simulators.
//!
//! Budget (the issue): the default load-balancing run, 100,000 requests, under 50 ms natively,
//! per algorithm. Run with
//! `cargo bench -p headroom --bench simulators_lb -- --warm-up-time 1 --measurement-time 3`.
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use headroom::loadbalance::{self, Algorithm, HashMethod, LbConfig};
use headroom::ratelimit::{self, Pattern, RateLimitConfig, TrafficConfig};
use std::hint::black_box;

/// Each algorithm on the default 100,000-request workload (workload generation included, as the
/// page pays for it too).
fn load_balancing(c: &mut Criterion) {
    let mut group = c.benchmark_group("loadbalance/simulate_100k");
    group.sample_size(10);
    for algorithm in Algorithm::ALL {
        let config = LbConfig {
            algorithm,
            ..LbConfig::default()
        };
        group.bench_with_input(
            BenchmarkId::from_parameter(algorithm.key()),
            &config,
            |b, config| b.iter(|| loadbalance::simulate(black_box(config))),
        );
    }
    group.finish();
    let mut all = c.benchmark_group("loadbalance/compare_all_100k");
    all.sample_size(10);
    all.bench_function("all_10_algorithms", |b| {
        b.iter(|| loadbalance::compare_all(black_box(&LbConfig::default())))
    });
    all.finish();
}

/// Key movement for 10 → 9 servers over 100,000 keys, each placement.
fn key_movement(c: &mut Criterion) {
    let mut group = c.benchmark_group("loadbalance/key_movement_100k");
    group.sample_size(10);
    for (name, method) in [
        ("modulo", HashMethod::Modulo),
        ("ring_160", HashMethod::Consistent { vnodes: 160 }),
        ("maglev_65537", HashMethod::Maglev { table_size: 65_537 }),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| loadbalance::key_movement(10, 9, black_box(100_000), method))
        });
    }
    group.finish();
}

/// All six rate limiters on 100,000 Poisson requests (1,000/s for 100 s against 100/min), and
/// on the default page settings (about 1,500 requests).
fn rate_limiting(c: &mut Criterion) {
    let mut group = c.benchmark_group("ratelimit/simulate");
    group.sample_size(10);
    let heavy = TrafficConfig {
        pattern: Pattern::Poisson {
            rate_per_s: 1_000.0,
        },
        duration_s: 100.0,
        ..TrafficConfig::default()
    };
    group.bench_function("poisson_100k_all_6", |b| {
        b.iter(|| ratelimit::simulate(black_box(&RateLimitConfig::default()), black_box(&heavy)))
    });
    group.bench_function("default_page", |b| {
        b.iter(|| {
            ratelimit::simulate(
                black_box(&RateLimitConfig::default()),
                black_box(&TrafficConfig::default()),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, load_balancing, key_movement, rate_limiting);
criterion_main!(benches);
