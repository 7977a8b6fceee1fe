//! The charts of `/cost`: monthly cost against volume with the crossover marked, and the
//! serverless cost at each memory size.

use headroom::cost;
use headroom::units::{format_count, format_si};
use leptos::prelude::*;

use crate::components::chart::{ChartData, Format, Marker, Series, SeriesKind};
use crate::state::ScenarioState;

/// The range of the cost chart: two decades around both the volume and the crossover.
fn chart_range(requests: f64, crossover: Option<f64>) -> (f64, f64) {
    let low = crossover.map_or(requests, |c| c.min(requests)).max(1.0);
    let high = crossover.map_or(requests, |c| c.max(requests)).max(1.0);
    let from = 10f64.powf((low / 100.0).max(1e3).log10().floor());
    let to = 10f64
        .powf((high * 100.0).min(1e15).log10().ceil())
        .max(from * 1e3)
        .min(1e15);
    (from, to)
}

/// Monthly cost of both against requests per month (log scales).
pub fn cost(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        let (scenario, prices) = state
            .parsed
            .with(|p| (p.scenario.clone(), p.scenario.price_table()));
        let (Ok(workload), Ok(fleet), Ok(prices)) = (
            scenario.serverless_workload(),
            scenario.instance_fleet(),
            prices,
        ) else {
            return ChartData::default();
        };
        let crossover = cost::crossover_requests_per_month(&workload, &fleet, &prices);
        let (from, to) = chart_range(scenario.req_month(), crossover.requests_per_month);
        let points = cost::cost_curve(&workload, &fleet, &prices, from, to, 60).unwrap_or_default();
        let mut markers = vec![Marker {
            x: scenario.req_month().max(from),
            label: format!("this volume: {}", format_si(scenario.req_month())),
        }];
        if let Some(c) = crossover.requests_per_month {
            markers.push(Marker {
                x: c,
                label: format!("crossover: {}/month", format_si(c)),
            });
        }
        ChartData {
            x_name: "requests per month".into(),
            y_name: "USD per month".into(),
            log_x: true,
            log_y: true,
            y_format: Format::Usd,
            series: vec![
                Series {
                    name: "serverless".into(),
                    kind: SeriesKind::Line,
                    points: points
                        .iter()
                        .map(|p| (p.requests_per_month, p.serverless_usd.max(0.01)))
                        .collect(),
                },
                Series {
                    name: "instances".into(),
                    kind: SeriesKind::Line,
                    points: points
                        .iter()
                        .map(|p| (p.requests_per_month, p.instances_usd.max(0.01)))
                        .collect(),
                },
            ],
            markers,
            ..ChartData::default()
        }
    })
}

/// Serverless cost at each memory size, duration held fixed.
pub fn memory(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        let (scenario, prices) = state
            .parsed
            .with(|p| (p.scenario.clone(), p.scenario.price_table()));
        let (Ok(workload), Ok(prices)) = (scenario.serverless_workload(), prices) else {
            return ChartData::default();
        };
        let points = cost::memory_curve(&workload, &prices);
        ChartData {
            x_name: "memory (MB)".into(),
            y_name: "serverless USD per month".into(),
            y_format: Format::Usd,
            x_labels: points.iter().map(|p| format_count(p.memory_mb)).collect(),
            series: vec![Series {
                name: "serverless at this volume and duration".into(),
                kind: SeriesKind::Bar,
                points: points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (i as f64, p.serverless_usd))
                    .collect(),
            }],
            ..ChartData::default()
        }
    })
}
