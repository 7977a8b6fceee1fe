//! Criterion benchmarks of the estimation core: `Scenario -> Report` (budget: under 20 µs for the
//! default scenario) and the query codec.
use criterion::{Criterion, criterion_group, criterion_main};
use headroom::report::Report;
use headroom::scenario::{PRESETS, Scenario};
use std::hint::black_box;

fn report(c: &mut Criterion) {
    for preset in PRESETS {
        let scenario = Scenario::from_query(preset.query).scenario;
        c.bench_function(&format!("report/build/{}", preset.id), |b| {
            b.iter(|| Report::build(black_box(&scenario)))
        });
    }
    let scenario = Scenario::default();
    c.bench_function("report/build+json/chapter", |b| {
        b.iter(|| Report::build(black_box(&scenario)).map(|r| r.to_json()))
    });
}

fn query(c: &mut Criterion) {
    let query = PRESETS
        .iter()
        .map(|p| p.query)
        .max_by_key(|q| q.len())
        .unwrap_or_default();
    c.bench_function("query/parse/longest-preset", |b| {
        b.iter(|| Scenario::from_query(black_box(query)))
    });
    let scenario = Scenario::from_query(query).scenario;
    c.bench_function("query/serialize/longest-preset", |b| {
        b.iter(|| black_box(&scenario).to_query())
    });
}

criterion_group!(benches, report, query);
criterion_main!(benches);
