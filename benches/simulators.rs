//! Criterion benchmarks of the queueing model and the HPA simulator. Budgets: a day at 15 s steps
//! (5,760 steps) under the chapter's HPA well under 1 ms natively, so the page stays responsive
//! in WASM; `fewest_servers` in microseconds even for thousands of servers.
use criterion::{Criterion, criterion_group, criterion_main};
use headroom::autoscale::{HpaPolicy, SimConfig, simulate};
use headroom::queueing::{QueueTarget, fewest_servers, fleet_for_target};
use std::hint::black_box;

fn autoscale(c: &mut Criterion) {
    let day = SimConfig::chapter_day();
    c.bench_function("autoscale/simulate/chapter-day-5760-steps", |b| {
        b.iter(|| simulate(black_box(&day)))
    });
    let quiet = SimConfig {
        noise: 0.0,
        ..SimConfig::chapter_day()
    };
    c.bench_function("autoscale/simulate/chapter-day-no-noise", |b| {
        b.iter(|| simulate(black_box(&quiet)))
    });
    c.bench_function("autoscale/from_yaml/chapter-example", |b| {
        b.iter(|| HpaPolicy::from_yaml(black_box(headroom::autoscale::CHAPTER_EXAMPLE_YAML)))
    });
}

fn queueing(c: &mut Criterion) {
    let p95 = QueueTarget::WaitPercentile {
        q: 0.95,
        max_wait_s: 0.050,
    };
    c.bench_function("queueing/fewest_servers/10-erlangs", |b| {
        b.iter(|| fewest_servers(black_box(100.0), 0.1, p95))
    });
    c.bench_function("queueing/fewest_servers/5000-erlangs", |b| {
        b.iter(|| fewest_servers(black_box(50_000.0), 0.1, p95))
    });
    let p99 = QueueTarget::WaitPercentile {
        q: 0.99,
        max_wait_s: 0.010,
    };
    c.bench_function("queueing/fleet_for_target/chapter-web-tier", |b| {
        b.iter(|| fleet_for_target(black_box(121_528.0), 10_000.0, 0.010, p99))
    });
}

criterion_group!(benches, autoscale, queueing);
criterion_main!(benches);
