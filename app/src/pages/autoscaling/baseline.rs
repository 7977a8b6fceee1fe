//! The pinned baseline's run beside this one: the same simulator on the baseline's scenario, so
//! two HPA policies (or two start-up times, or two traffic patterns) compare on one page.

use std::sync::Arc;

use headroom::autoscale::{SimConfig, SimRun, SimSummary, simulate};
use headroom::scenario::Scenario;
use headroom::uncertainty::Change;
use headroom::units::{format_count, format_usd};
use leptos::prelude::*;

use super::charts;
use crate::components::chart::{ChartData, SeriesKind};
use crate::components::compare::change_text;
use crate::components::table_scroll::table_scroll;
use crate::pages::queueing::percent;
use crate::state::ScenarioState;
use crate::state::last_valid::Outcome;

/// The baseline's run, recomputed only when the baseline changes.
pub fn base_run(state: ScenarioState) -> Memo<Option<Arc<SimRun>>> {
    let query = Memo::new(move |_| {
        state
            .base_report
            .with(|b| b.as_ref().map(|b| b.query.clone()))
    });
    Memo::new(move |_| {
        query.with(|q| {
            let base = Scenario::from_query(q.as_deref()?).scenario;
            simulate(&base.autoscale_config(base.hpa().clone()))
                .ok()
                .map(Arc::new)
        })
    })
}

/// The demand and capacity chart with the baseline's ready capacity as a muted dashed line.
pub fn capacity_chart(
    run: Memo<Outcome<(SimRun, SimConfig)>>,
    base: Memo<Option<Arc<SimRun>>>,
) -> Signal<ChartData> {
    Signal::derive(move || {
        let mut data = run.with(|r| {
            r.as_ref()
                .map(|r| charts::capacity(&r.0))
                .unwrap_or_default()
        });
        base.with(|b| {
            if let Some(b) = b.as_deref() {
                let mut line =
                    charts::series(b, "baseline: ready capacity", |s| s.ready_capacity_rps);
                line.kind = SeriesKind::Dashed;
                data.series.push(line);
            }
        });
        data
    })
}

/// The change of one figure of the run from the baseline's.
fn row(label: &'static str, base: f64, value: f64, format: fn(f64) -> String) -> impl IntoView {
    let change = Change::between(String::new(), Some(base), Some(value));
    view! { <tr><th scope="row">{label}</th><td class="num">{change_text(&change, format)}</td></tr> }
}

/// The run's figures against the baseline's run, when a baseline is pinned.
#[component]
pub fn BaselineRun(
    /// This page's run.
    run: Memo<Outcome<(SimRun, SimConfig)>>,
    /// The baseline's run.
    base: Memo<Option<Arc<SimRun>>>,
) -> impl IntoView {
    let table = move || {
        base.with(|b| {
            let b: &SimSummary = &b.as_deref()?.summary;
            run.with(|r| {
                let r = &r.as_ref().ok()?.0.summary;
                let count = |n: u32| f64::from(n);
                Some(view! {
                    {table_scroll("This run against the baseline's run", "", view! {
                        <table id="as-baseline">
                            <caption>"This run against the baseline's run"</caption>
                            <tbody>
                                {row("Demand above capacity", b.over_capacity_share, r.over_capacity_share, percent)}
                                {row("Cost of the run", b.cost_usd, r.cost_usd, format_usd)}
                                {row("Pod-hours", b.replica_hours, r.replica_hours, format_count)}
                                {row("Most replicas", count(b.max_replicas), count(r.max_replicas), format_count)}
                                {row("Scale events", count(b.scale_events), count(r.scale_events), format_count)}
                                {row("Changes of direction", count(b.direction_changes), count(r.direction_changes), format_count)}
                                {row("Mean utilization", b.mean_utilization, r.mean_utilization, percent)}
                            </tbody>
                        </table>
                    })}
                })
            })
        })
    };
    view! { {table} }
}
