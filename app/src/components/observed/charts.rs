//! The observed-traffic panel's charts: the imported series with its percentiles, and the
//! average day and week that the link carries.

use headroom::report::WEEKDAYS;
use leptos::prelude::*;

use super::{Session, observed};
use crate::components::chart::{ChartData, Format, Marker, Series, SeriesKind};
use crate::state::ScenarioState;

pub fn series_chart(state: ScenarioState, session: RwSignal<Session>) -> Signal<ChartData> {
    Signal::derive(move || {
        let figures = state.report.with(|r| {
            r.as_deref().and_then(observed).map(|o| {
                (
                    o.figures.p50_per_second,
                    o.figures.p95_per_second,
                    o.figures.p99_per_second,
                )
            })
        });
        session.with(|s| {
            let Some(read) = &s.read else {
                return ChartData::default();
            };
            let points = read.drawn.clone();
            let end = points.last().map_or(1.0, |p| p.0);
            let mut out = vec![Series {
                name: "requests/s".into(),
                kind: SeriesKind::Line,
                points,
            }];
            if let Some((p50, p95, p99)) = figures {
                for (name, y) in [("median", p50), ("p95", p95), ("p99", p99)] {
                    out.push(Series {
                        name: name.into(),
                        kind: SeriesKind::Line,
                        points: vec![(0.0, y), (end, y)],
                    });
                }
            }
            ChartData {
                x_name: "days from the first point".into(),
                y_name: "requests/s".into(),
                series: out,
                x_range: Some((0.0, end)),
                ..ChartData::default()
            }
        })
    })
}

pub fn day_chart(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(o) = r.as_deref().and_then(observed) else {
                return ChartData::default();
            };
            let (Some(day), Some(slot)) = (&o.figures.day_per_second, o.figures.day_slot_seconds)
            else {
                return ChartData::default();
            };
            let mut points: Vec<(f64, f64)> = day
                .iter()
                .enumerate()
                .map(|(i, &y)| (i as f64 * slot / 3_600.0, y))
                .collect();
            // The last slot holds until midnight.
            if let Some(&(_, y)) = points.last() {
                points.push((24.0, y));
            }
            let markers = o
                .figures
                .busiest_hour_utc
                .map(|h| {
                    vec![Marker {
                        x: f64::from(h),
                        label: format!("busiest hour {h:02}:00"),
                    }]
                })
                .unwrap_or_default();
            ChartData {
                x_name: "hour of the day (UTC)".into(),
                y_name: "requests/s".into(),
                series: vec![Series {
                    name: "average day".into(),
                    kind: SeriesKind::Step,
                    points,
                }],
                markers,
                x_range: Some((0.0, 24.0)),
                x_format: Format::Count,
                ..ChartData::default()
            }
        })
    })
}

pub fn week_chart(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(week) = r
                .as_deref()
                .and_then(observed)
                .and_then(|o| o.figures.week_per_second.clone())
            else {
                return ChartData::default();
            };
            ChartData {
                x_name: "day of the week (UTC)".into(),
                y_name: "requests/s".into(),
                series: vec![Series {
                    name: "mean".into(),
                    kind: SeriesKind::Bar,
                    points: week
                        .iter()
                        .enumerate()
                        .map(|(i, &y)| (i as f64, y))
                        .collect(),
                }],
                x_labels: WEEKDAYS.iter().map(|d| d[..3].to_string()).collect(),
                ..ChartData::default()
            }
        })
    })
}
