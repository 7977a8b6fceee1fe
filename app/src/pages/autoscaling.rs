//! `/autoscaling`: a Kubernetes HorizontalPodAutoscaler (autoscaling/v2) against seeded traffic:
//! pods that take time to start, metrics that lag, what is dropped or queued, what it costs, and
//! the chapter's anti-patterns when they happen.

mod baseline;
mod charts;
mod hpa_yaml;
mod notes;

use headroom::autoscale::words::{
    cpu_target, legacy_note, metrics_text, outside_without_value, scale_down_text,
    scale_down_trace, scale_up_text, scale_up_trace, scale_up_window_text, window_text,
};
use headroom::autoscale::{Overflow, SimConfig, SimRun, SimSummary, best_cpu_target, simulate};
use headroom::scenario::Group;
use headroom::units::{format_count, format_duration, format_si, format_usd};
use leptos::prelude::*;

use crate::components::metric::Metric;
use crate::components::observed::ObservedTraffic;

use crate::components::chart::Chart;
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::pages::queueing::percent;
use crate::state::last_valid::{Outcome, last_valid_run};
use crate::state::shown::{Shown, failure};
use crate::state::use_scenario;
use hpa_yaml::{HpaYaml, Reading, Readings};

const SECTIONS: &[Section] = &[Section {
    title: "Traffic, pods and policy",
    group: Group::Autoscale,
}];

/// The auto-scaling simulator.
#[component]
pub fn Autoscaling() -> impl IntoView {
    let state = use_scenario();
    let readings = Readings::new(state);
    let pasted = Memo::new(move |_| readings.in_query(&state));
    // A valid manifest in the query (a form submitted without JavaScript) sets the policy.
    let policy = Memo::new(move |_| {
        pasted.with(|p| match p {
            Reading::Done(Ok((policy, _))) => policy.clone(),
            _ => state.parsed.with(|p| p.scenario.hpa().clone()),
        })
    });
    let run: Memo<Outcome<(SimRun, SimConfig)>> = last_valid_run(
        move || {
            let policy = policy.get();
            state.parsed.with(|p| p.scenario.autoscale_config(policy))
        },
        |config| {
            simulate(config)
                .map(|run| (run, config.clone()))
                .map_err(|e| e.to_string())
        },
    );
    let (figure, chart) = (move |f| run.figure(f), move |f| run.chart(f));
    let base = baseline::base_run(state);
    // On observed traffic, the cheapest CPU target that serves it as well (12 more runs, so only
    // there: "how would another target have done on this traffic?").
    let observed = move || state.parsed.with(|p| p.scenario.as_pattern().is_observed());
    let best = Memo::new(move |_| {
        if !observed() {
            return None;
        }
        run.with(|r| {
            r.as_ref()
                .ok()
                .and_then(|r| best_cpu_target(&r.1).ok().flatten())
        })
    });

    view! {
        <Page heading="Auto-scaling" sections=SECTIONS
            form_extra=Box::new(move || view! { <HpaYaml readings /> }.into_any())
            lede="A Kubernetes HorizontalPodAutoscaler (autoscaling/v2), run the way the controller
            runs it: every 15 s each metric proposes ⌈current × metric / target⌉ replicas, the
            stabilization windows and scaling policies limit the change, and new pods serve only
            after they start. Seeded traffic, so every run is reproducible from its URL.">
                {failure(run, "as-error")}
                <ObservedTraffic replay=true />
                <h2>"The policy"</h2>
                <div class="metrics">
                    <Metric id="hpa-replicas" label="Replicas allowed"
                        value=figure(|(_, c)| format!("{} – {}", c.policy.min_replicas, c.policy.max_replicas))
                        note=figure(|(_, c)| metrics_text(&c.policy)) />
                    <Metric id="hpa-up" label="Scale-up limit"
                        value=figure(|(_, c)| scale_up_text(&c.policy))
                        note=figure(|(_, c)| scale_up_window_text(&c.policy))
                        trace=figure(|(_, c)| scale_up_trace(&c.policy)) />
                    <Metric id="hpa-down" label="Scale-down limit"
                        value=figure(|(_, c)| scale_down_text(&c.policy))
                        note=figure(|(_, c)| window_text(&c.policy.scale_down))
                        trace=figure(|(_, c)| scale_down_trace(&c.policy)) />
                </div>
                {move || run.with(|r| r.as_ref().ok().and_then(|r| legacy_note(&r.1.policy)))
                    .map(|text| view! { <p class="note" id="hpa-legacy">{text}</p> })}
                {move || run.with(|r| r.as_ref().ok().and_then(|r| outside_without_value(&r.1.policy, &r.1.outside_metrics)))
                    .map(|text| view! { <p class="note" id="hpa-outside">{text}</p> })}
                <h2>"The run"</h2>
                <div class="metrics">
                    <Metric id="as-dropped" label="Demand above capacity" primary=true
                        value=figure(|(r, _)| percent(r.summary.over_capacity_share))
                        note=figure(|(r, c)| r.summary.over_capacity_note(c))
                        trace=figure(|(r, _)| r.summary.over_capacity_trace()) />
                    <Metric id="as-cost" label="Cost of the run" primary=true
                        value=figure(|(r, _)| format_usd(r.summary.cost_usd))
                        note=figure(|(r, _)| format!("{} pod-hours", format_count(r.summary.replica_hours)))
                        trace=figure(|(r, c)| r.summary.cost_trace(c)) />
                    <Metric id="as-replicas" label="Replicas during the run"
                        value=figure(|(r, _)| format!("{} – {}", r.summary.min_replicas, r.summary.max_replicas))
                        note=figure(|(r, _)| format!("{} scale events", r.summary.scale_events)) />
                    <Metric id="as-thrash" label="Changes of direction"
                        value=figure(|(r, _)| r.summary.direction_changes.to_string())
                        note=figure(|_| "up after down or down after up: the thrashing count".to_string())
                        trace=figure(|_| SimSummary::thrashing_trace()) />
                    <Metric id="as-utilization" label="Mean utilization"
                        value=figure(|(r, _)| percent(r.summary.mean_utilization))
                        note=figure(|(_, c)| cpu_target(&c.policy).map_or("of the ready pods".to_string(), |t| format!("target {t}%"))) />
                    <Metric id="as-backlog" label="Largest queue"
                        value=figure(|(r, _)| format_si(r.summary.peak_backlog_requests))
                        note=figure(|(r, c)| if c.overflow == Overflow::Queue {
                            format!("mean wait for capacity {}", format_duration(r.summary.mean_queueing_delay_s))
                        } else {
                            "none: excess requests are dropped".to_string()
                        })
                        trace=figure(|_| SimSummary::queueing_delay_trace()) />
                </div>
                <baseline::BaselineRun run base />
                {move || best.get().map(|b| view! {
                    <div class="metrics">
                        <Metric id="as-best-target" label="Best CPU target for this traffic"
                            value=format!("{}%", b.best_percent)
                            note=format!("{} against {} at your {}%; demand above capacity {} (yours {})",
                                format_usd(b.best_cost_usd), format_usd(b.current_cost_usd), b.current_percent,
                                percent(b.best_over_capacity_share), percent(b.current_over_capacity_share))
                            trace=b.trace() />
                    </div>
                })}
                <h2>"Anti-patterns seen"</h2>
                {run.part(notes::findings)}
                <div class="charts">
                    <Chart id="chart-as-capacity" caption="Demand against the capacity of the ready pods" data=baseline::capacity_chart(run, base) />
                    <Chart id="chart-as-replicas" caption="Replicas the HPA asked for, and the ones ready to serve" data=chart(|(r, _)| charts::replicas(r)) />
                    <Chart id="chart-as-utilization" caption="CPU utilization of the ready pods against the target" data=chart(|(r, c)| charts::utilization(r, cpu_target(&c.policy))) />
                </div>
                <notes::ModelChoices />
        </Page>
    }
}
