//! The charts of `/capacity`: a day of traffic at the web tier, nodes per tier as daily users
//! grow, and storage over the retention period. The series come from `headroom::capacity`.

use headroom::capacity::{day_of_traffic, nodes_as_users_grow, stored_by_year};
use headroom::scenario::Scenario;
use leptos::prelude::*;

use crate::components::chart::{ChartData, Format, Series, SeriesKind};
use crate::state::ScenarioState;

/// A day of traffic against its average, its peak and the web tier's capacity.
pub fn day(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return ChartData::default();
            };
            let (peak, web_rps, util) = state.parsed.with(|p| {
                let s = &p.scenario;
                (s.peak(), s.web_rps(), s.util())
            });
            let mut series = Series::lines(day_of_traffic(&r.capacity, peak, web_rps, util));
            let traffic = series.first().cloned();
            // With ranges, the band of the day's traffic: its shape scaled to the P10 and the
            // P90 of the peak requests per second, as dashed edges.
            let band = state.sampled.with(|s| {
                let b = s.as_deref()?.bands.get("capacity.peak_web_rps")?;
                Some((b.p10?, b.p90?))
            });
            if let (Some(traffic), Some((p10, p90))) = (&traffic, band) {
                let point = r.capacity.peak_web_rps;
                for (name, at) in [("traffic, P10", p10), ("traffic, P90", p90)] {
                    let scale = if point > 0.0 { at / point } else { 0.0 };
                    series.push(Series {
                        name: name.into(),
                        kind: SeriesKind::Dashed,
                        points: traffic
                            .points
                            .iter()
                            .map(|&(x, y)| (x, y * scale))
                            .collect(),
                    });
                }
            }
            // With a baseline, its day of traffic, muted.
            state.base_report.with(|b| {
                let Some(b) = b.as_deref() else { return };
                let base = Scenario::from_query(&b.query).scenario;
                let day = day_of_traffic(&b.capacity, base.peak(), base.web_rps(), base.util());
                if let Some(curve) = day.into_iter().next() {
                    series.push(Series {
                        name: "baseline traffic".into(),
                        kind: SeriesKind::Dashed,
                        points: curve.points,
                    });
                }
            });
            ChartData {
                x_name: "hour of day".into(),
                x_range: Some((0.0, 24.0)),
                y_name: "requests/s".into(),
                series,
                // Every two hours, 20:00 (the peak) among them.
                table_rows: Some(13),
                ..ChartData::default()
            }
        })
    })
}

/// Nodes per tier as daily users grow.
pub fn growth(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.parsed.with(|p| {
            let Ok(input) = p.scenario.capacity_input() else {
                return ChartData::default();
            };
            ChartData {
                x_name: "× today's daily users".into(),
                y_name: "nodes".into(),
                log_x: true,
                series: Series::lines(nodes_as_users_grow(&input)),
                ..ChartData::default()
            }
        })
    })
}

/// Bytes stored at the end of each year of the retention period.
pub fn storage(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return ChartData::default();
            };
            let years = state.parsed.with(|p| p.scenario.years());
            let stored = stored_by_year(r.capacity.storage_bytes_per_year, years);
            ChartData {
                x_name: "end of year".into(),
                y_name: "stored".into(),
                y_format: Format::Bytes,
                x_labels: (1..=stored.len()).map(|y| format!("year {y}")).collect(),
                series: vec![Series {
                    name: "stored, with replication".into(),
                    kind: SeriesKind::Bar,
                    points: stored
                        .into_iter()
                        .enumerate()
                        .map(|(i, bytes)| (i as f64, bytes))
                        .collect(),
                }],
                ..ChartData::default()
            }
        })
    })
}
