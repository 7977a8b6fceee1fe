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

/// Issue 13's import: 100,000 rows of a 5-minute count (a year), read and analysed; the page does
/// both on every import (the browser's time is in `tools/bench-client.mjs`).
fn traffic(c: &mut Criterion) {
    let csv: String = (0..100_000u64)
        .map(|i| {
            format!(
                "{},{}\n",
                1_700_000_000 + i * 300,
                1_000 + (i * 7_919) % 5_000
            )
        })
        .collect();
    let options = headroom::traffic::ImportOptions::default();
    c.bench_function("traffic/import+analyze/100k-rows", |b| {
        b.iter(|| {
            let imported = headroom::traffic::import(std::hint::black_box(&csv), options).unwrap();
            headroom::traffic::analyze(&imported.series).unwrap()
        });
    });
}

/// Issue 15: 10,000 samples of a scenario with ranges, the figures only (budget: 100 ms in the
/// browser's WASM, which `tools/bench-client.mjs` times; natively it is several times faster).
fn ranges(c: &mut Criterion) {
    for (name, query) in [
        ("one-range", "v=2&dau=80M..120M"),
        (
            "five-ranges",
            "v=2&dau=80M..100M..150M&reads=5..20&peak=3..10&util=0.6..0.8&inst_hr=0.03..0.05",
        ),
    ] {
        let scenario = Scenario::from_query(query).scenario;
        c.bench_function(&format!("ranges/sample-10k/{name}"), |b| {
            b.iter(|| headroom::uncertainty::sample(black_box(&scenario)))
        });
    }
}

criterion_group!(benches, report, query, traffic, ranges);
criterion_main!(benches);
