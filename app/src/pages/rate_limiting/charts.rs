//! The charts of `/rate-limiting`: admitted and rejected over time for every algorithm, and the
//! distributed case per server.

use headroom::ratelimit::{AlgorithmRun, DistributedRun, RateLimitRun};

use crate::components::chart::{ChartData, Series, SeriesKind};

/// Seconds per unit of the time axis, and its name.
fn time_axis(duration_s: f64) -> (f64, &'static str) {
    if duration_s >= 3.0 * 3_600.0 {
        (3_600.0, "hours into the run")
    } else if duration_s > 900.0 {
        (60.0, "minutes into the run")
    } else {
        (1.0, "seconds into the run")
    }
}

fn over_time(
    run: &RateLimitRun,
    y_name: String,
    series: impl Fn(&RateLimitRun) -> Vec<(String, Vec<f64>)>,
) -> ChartData {
    let (unit, x_name) = time_axis(run.duration_s);
    // Totals to the end of each bucket.
    let x = |i: usize| ((i + 1) as f64 * run.bucket_s / unit * 1000.0).round() / 1000.0;
    ChartData {
        x_name: x_name.into(),
        y_name,
        series: series(run)
            .into_iter()
            .map(|(name, ys)| Series {
                name,
                kind: SeriesKind::Line,
                points: ys.into_iter().enumerate().map(|(i, y)| (x(i), y)).collect(),
            })
            .collect(),
        table_rows: Some(12),
        ..ChartData::default()
    }
}

/// Running totals of `f` over the buckets: cumulative lines stay apart where per-bucket counts
/// would be a tangle of six noisy lines.
fn cumulative(a: &AlgorithmRun, f: fn(&headroom::ratelimit::TimeBucket) -> u64) -> Vec<f64> {
    a.buckets
        .iter()
        .scan(0u64, |total, b| {
            *total += f(b);
            Some(*total as f64)
        })
        .collect()
}

/// One series per distinct line: algorithms that made the same decisions (token bucket, leaky
/// bucket as a meter and GCRA usually do) share a line and a legend entry.
fn merged(
    run: &RateLimitRun,
    f: fn(&headroom::ratelimit::TimeBucket) -> u64,
) -> Vec<(String, Vec<f64>)> {
    let mut lines: Vec<(String, Vec<f64>)> = Vec::new();
    for a in &run.algorithms {
        let ys = cumulative(a, f);
        match lines.iter_mut().find(|(_, existing)| *existing == ys) {
            Some((name, _)) => {
                name.push_str(" = ");
                name.push_str(a.algorithm.name());
            }
            None => lines.push((a.algorithm.name().to_string(), ys)),
        }
    }
    lines
}

/// Requests sent and admitted so far, every algorithm.
pub fn admitted(run: &RateLimitRun) -> ChartData {
    over_time(run, "requests so far".to_string(), |run| {
        let sent = run
            .algorithms
            .first()
            .map(|a| cumulative(a, |b| b.admitted + b.rejected))
            .unwrap_or_default();
        std::iter::once(("sent".to_string(), sent))
            .chain(merged(run, |b| b.admitted))
            .collect()
    })
}

/// Requests rejected (429) so far, every algorithm.
pub fn rejected(run: &RateLimitRun) -> ChartData {
    over_time(run, "rejected so far".to_string(), |run| {
        merged(run, |b| b.rejected)
    })
}

/// Admitted per server: one shared counter against local counters.
pub fn distributed(run: &DistributedRun) -> ChartData {
    let bars = |name: &str, v: &[u64]| Series {
        name: name.to_string(),
        kind: SeriesKind::Bar,
        points: v
            .iter()
            .enumerate()
            .map(|(i, x)| (i as f64, *x as f64))
            .collect(),
    };
    ChartData {
        x_name: "server".into(),
        y_name: "admitted".into(),
        x_labels: (1..=run.shared.admitted_per_server.len())
            .map(|i| format!("server {i}"))
            .collect(),
        series: vec![
            bars("one shared counter", &run.shared.admitted_per_server),
            bars("local counters", &run.local_full.admitted_per_server),
            bars(
                "local, limit ÷ servers",
                &run.local_split.admitted_per_server,
            ),
        ],
        ..ChartData::default()
    }
}
