//! The charts of `/load-balancing`: response-time percentiles per algorithm, utilization per
//! server for a few algorithms, and the share of keys that move.

use headroom::loadbalance::{Algorithm, KeyMovement, LbRun, ServerSpec};

use crate::components::chart::{ChartData, Format, Series, SeriesKind};

/// Short names for category axes (the tables carry the full names).
fn short_name(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::RoundRobin => "RR",
        Algorithm::WeightedRoundRobin => "WRR",
        Algorithm::LeastConnections => "LC",
        Algorithm::WeightedLeastConnections => "WLC",
        Algorithm::IpHash => "IP hash",
        Algorithm::LeastResponseTime => "LRT",
        Algorithm::Random => "Random",
        Algorithm::PowerOfTwoChoices => "P2C",
        Algorithm::ConsistentHash => "Ring",
        Algorithm::Maglev => "Maglev",
    }
}

fn bars(name: &str, values: impl Iterator<Item = f64>) -> Series {
    Series {
        name: name.to_string(),
        kind: SeriesKind::Bar,
        points: values.enumerate().map(|(i, y)| (i as f64, y)).collect(),
    }
}

/// p50, p95 and p99 response time of every algorithm.
pub fn latency(runs: &[LbRun]) -> ChartData {
    ChartData {
        x_name: "algorithm".into(),
        y_name: "response time".into(),
        y_format: Format::Seconds,
        // Hashing under skewed clients can be a hundred times slower: a log scale keeps the
        // fast algorithms readable.
        log_y: true,
        x_labels: runs
            .iter()
            .map(|r| short_name(r.algorithm).to_string())
            .collect(),
        series: vec![
            bars("p50", runs.iter().map(|r| r.response.p50_s)),
            bars("p95", runs.iter().map(|r| r.response.p95_s)),
            bars("p99", runs.iter().map(|r| r.response.p99_s)),
        ],
        ..ChartData::default()
    }
}

/// Utilization of each server under a few contrasting algorithms.
pub fn utilization(runs: &[LbRun], servers: &[ServerSpec]) -> ChartData {
    let picked = [
        Algorithm::RoundRobin,
        Algorithm::WeightedRoundRobin,
        Algorithm::LeastConnections,
        Algorithm::PowerOfTwoChoices,
    ];
    ChartData {
        x_name: "server (weight:speed:workers)".into(),
        y_name: "utilization".into(),
        y_format: Format::Percent,
        x_labels: servers
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{} ({}:{}:{})", i + 1, s.weight, s.speed, s.workers))
            .collect(),
        series: runs
            .iter()
            .filter(|r| picked.contains(&r.algorithm))
            .map(|r| {
                bars(
                    r.algorithm.name(),
                    r.servers
                        .iter()
                        .map(|s| (s.utilization * 1000.0).round() / 10.0),
                )
            })
            .collect(),
        ..ChartData::default()
    }
}

/// Share of keys moving when a server is added or removed, per placement.
pub fn movement(moved: &[KeyMovement]) -> ChartData {
    let share = |x: Option<f64>| x.map_or(0.0, |x| (x * 1000.0).round() / 10.0);
    ChartData {
        x_name: "placement".into(),
        y_name: "keys moved".into(),
        y_format: Format::Percent,
        x_labels: moved.iter().map(|m| m.name.to_string()).collect(),
        series: vec![
            bars("add a server", moved.iter().map(|m| share(m.add))),
            bars("remove a server", moved.iter().map(|m| share(m.remove))),
        ],
        ..ChartData::default()
    }
}
