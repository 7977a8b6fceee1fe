//! The charts of `/availability`: allowed downtime per period, and each tier's nines as replicas
//! are added (its series from `headroom::availability::nines_by_replicas`).

use headroom::availability::{Period, nines_by_replicas};
use headroom::units::format_percent;
use leptos::prelude::*;

use crate::components::chart::{ChartData, Format, Series, SeriesKind};
use crate::state::ScenarioState;

/// Allowed downtime per period at the target (log scale).
pub fn downtime(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return ChartData::default();
            };
            let budget = &r.availability.downtime_seconds;
            ChartData {
                x_name: "period".into(),
                y_name: "allowed downtime".into(),
                log_y: true,
                y_format: Format::Seconds,
                x_labels: Period::ALL.iter().map(|p| p.key().to_string()).collect(),
                series: vec![Series {
                    name: format!("downtime at {}", format_percent(r.availability.slo_percent)),
                    kind: SeriesKind::Line,
                    points: Period::ALL
                        .iter()
                        .enumerate()
                        .map(|(i, &p)| (i as f64, budget.get(p)))
                        .collect(),
                }],
                ..ChartData::default()
            }
        })
    })
}

/// Each tier's nines with one to six replicas.
pub fn replicas(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.parsed.with(|p| ChartData {
            x_name: "replicas".into(),
            y_name: "nines (−log₁₀ unavailability)".into(),
            series: Series::lines(nines_by_replicas(p.scenario.tiers())),
            ..ChartData::default()
        })
    })
}
