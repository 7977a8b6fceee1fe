//! `/capacity`'s growth and runway: when each tier needs more than what runs today, and the
//! plan month by month (the figures come from the report's `growth` section).

use headroom::capacity::{GrowthReport, MonthNeed, NodeCount};
use headroom::units::format_bytes;
use leptos::prelude::*;

use crate::components::chart::{Chart, ChartData, Format, Series, SeriesKind};
use crate::components::metric::{Metric, explain};
use crate::state::{ScenarioState, use_scenario};

/// When a tier runs out, as a card shows it: "now", "month 5" or "2027-06", "not within 24
/// months", or "—" while what runs is not known.
fn runs_out_text(g: &GrowthReport, at: Option<u32>, known: bool) -> String {
    match (known, at) {
        (false, _) => "—".to_string(),
        (true, Some(0)) => "now".to_string(),
        (true, Some(m)) => g.month_name(m),
        (true, None) => format!("not within {} months", g.horizon_months),
    }
}

fn have_note(have: Option<String>, what: &str) -> String {
    have.map_or_else(
        || format!("enter the {what} to see"),
        |h| format!("against {h}"),
    )
}

/// The runway's cards and charts.
#[component]
pub fn Runway() -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);
    view! {
        <h2>"Growth and runway"</h2>
        <div class="metrics">
            <Metric id="runs-out-web" label="Web tier runs out"
                value=figure(|r| runs_out_text(&r.growth, r.growth.runs_out.web, r.growth.have.web.is_some()))
                note=figure(|r| have_note(r.growth.have.web.map(|n| format!("{n} running")), "web servers running"))
                trace=explain("growth.runs_out.web") />
            <Metric id="runs-out-cache" label="Cache runs out"
                value=figure(|r| runs_out_text(&r.growth, r.growth.runs_out.cache, r.growth.have.cache.is_some()))
                note=figure(|r| have_note(r.growth.have.cache.map(|n| format!("{n} running")), "cache nodes running"))
                trace=explain("growth.runs_out.cache") />
            <Metric id="runs-out-db" label="Database runs out"
                value=figure(|r| runs_out_text(&r.growth, r.growth.runs_out.db, r.growth.have.db.is_some()))
                note=figure(|r| have_note(r.growth.have.db.map(|n| format!("{n} running")), "database nodes running"))
                trace=explain("growth.runs_out.db") />
            <Metric id="runs-out-storage" label="Storage fills"
                value=figure(|r| runs_out_text(&r.growth, r.growth.runs_out.storage, r.growth.have.storage_bytes.is_some()))
                note=figure(|r| have_note(r.growth.have.storage_bytes.map(|b| format!("{} provisioned", format_bytes(b))), "storage provisioned"))
                trace=explain("growth.runs_out.storage") />
        </div>
        <div class="charts">
            <Chart id="chart-runway" caption="Nodes each tier needs month by month as the load grows, against what runs today" data=nodes_by_month(state) />
            <Chart id="chart-runway-storage" caption="Storage month by month, with replication, against what is provisioned" data=storage_by_month(state) />
        </div>
    }
}

/// Points of one tier's need per month; a month past the node counter's limit has no point.
fn tier(g: &GrowthReport, need: fn(&MonthNeed) -> NodeCount) -> Vec<(f64, f64)> {
    g.months
        .iter()
        .map(|m| (f64::from(m.month), need(m).to_f64()))
        .filter(|(_, y)| y.is_finite())
        .collect()
}

/// A flat line at `have` across the horizon, named for the legend.
fn have_line(g: &GrowthReport, name: String, have: f64) -> Series {
    Series {
        name,
        kind: SeriesKind::Line,
        points: vec![(0.0, have), (f64::from(g.horizon_months), have)],
    }
}

/// The x axis: months after today, or after the starting month when one is given.
fn month_axis(g: &GrowthReport) -> String {
    match g.start {
        Some(start) => format!("months after {start}"),
        None => "months after today".to_string(),
    }
}

fn nodes_by_month(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return ChartData::default();
            };
            let g = &r.growth;
            let step = |name: &str, points| Series {
                name: name.to_string(),
                kind: SeriesKind::Step,
                points,
            };
            let mut series = vec![
                step("web servers", tier(g, |m| m.web_servers)),
                step("cache nodes", tier(g, |m| m.cache_nodes)),
                step("database nodes", tier(g, |m| m.db_nodes)),
            ];
            for (name, have) in [
                ("web servers running", g.have.web),
                ("cache nodes running", g.have.cache),
                ("database nodes running", g.have.db),
            ] {
                if let Some(h) = have {
                    series.push(have_line(g, name.to_string(), h as f64));
                }
            }
            let x_name = month_axis(g);
            ChartData {
                x_name,
                x_range: Some((0.0, f64::from(g.horizon_months))),
                y_name: "nodes".into(),
                series,
                table_rows: Some(13),
                ..ChartData::default()
            }
        })
    })
}

fn storage_by_month(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return ChartData::default();
            };
            let g = &r.growth;
            let mut series = vec![Series {
                name: "stored, with replication".into(),
                kind: SeriesKind::Line,
                points: g
                    .months
                    .iter()
                    .map(|m| (f64::from(m.month), m.storage_bytes))
                    .collect(),
            }];
            if let Some(h) = g.have.storage_bytes {
                series.push(have_line(g, "provisioned".to_string(), h));
            }
            let x_name = month_axis(g);
            ChartData {
                x_name,
                x_range: Some((0.0, f64::from(g.horizon_months))),
                y_name: "stored".into(),
                y_format: Format::Bytes,
                series,
                table_rows: Some(13),
                ..ChartData::default()
            }
        })
    })
}
