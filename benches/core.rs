//! Criterion benchmarks of the estimation core.
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn peak(c: &mut Criterion) {
    c.bench_function("capacity/peak_qps", |b| {
        b.iter(|| headroom::capacity::peak_qps(black_box(100e6), black_box(10.5), black_box(10.0)))
    });
}

criterion_group!(benches, peak);
criterion_main!(benches);
