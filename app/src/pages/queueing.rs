//! `/queueing`: the M/M/c queue behind the chapter's "scale out above 70%": utilization, the
//! probability of waiting, waits and their percentiles, the fewest servers meeting a target, and
//! the hockey-stick curve whose knee the 70% rule stays away from.

use headroom::queueing::{
    fewest_servers, knee_text, load_note, response_time_plot, servers_needed_plot, target_text,
};
use headroom::report::{QueueingSection, Report};
use headroom::scenario::Group;
use headroom::units::{format_count, format_duration, format_share};
use leptos::prelude::*;

use crate::components::chart::{Chart, ChartData, Format, Series};
use crate::components::metric::{Metric, explain};
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::state::shown::Shown;
use crate::state::use_scenario;

const SECTIONS: &[Section] = &[Section {
    title: "M/M/c queue",
    group: Group::Queueing,
}];

/// A share as a percentage with at most two decimals: `70%`, `22.17%`.
pub(crate) use headroom::units::format_share as percent;

fn wait_text(wait_s: Option<f64>) -> String {
    wait_s.map_or("—".into(), format_duration)
}

fn hockey_stick(q: &QueueingSection) -> ChartData {
    let plot = response_time_plot(
        q.mean_service_seconds,
        q.servers,
        q.utilization,
        q.message.is_none(),
    );
    ChartData {
        x_name: "utilization ρ (%)".into(),
        y_name: "mean response time".into(),
        x_format: Format::Percent,
        y_format: Format::Seconds,
        series: Series::lines(plot.curves),
        markers: plot.markers,
        table_rows: Some(10),
        ..ChartData::default()
    }
}

fn servers_needed(q: &QueueingSection) -> ChartData {
    let plot = servers_needed_plot(q.arrival_rate_per_s, q.mean_service_seconds, q.target);
    ChartData {
        x_name: "arrivals per second".into(),
        y_name: "servers".into(),
        series: Series::lines(plot.curves),
        markers: plot.markers,
        table_rows: Some(10),
        ..ChartData::default()
    }
}

/// The queueing page.
#[component]
pub fn Queueing() -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);
    let section = move || -> Option<QueueingSection> {
        state
            .report
            .with(|r| r.as_deref().map(|r: &Report| r.queueing.clone()))
    };
    let hockey = state.report.chart(|r| hockey_stick(&r.queueing));
    let needed = state.report.chart(|r| servers_needed(&r.queueing));
    let unstable = move || {
        section().and_then(|q| q.message).map(|m| {
            view! { <p class="sim-error" role="alert" id="queue-message">{m}</p> }
        })
    };
    let unreachable = move || {
        section()
            .filter(|q| q.servers_for_target.is_none())
            .map(|q| {
                fewest_servers(q.arrival_rate_per_s, q.mean_service_seconds, q.target)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            })
    };

    view! {
        <Page heading="Queueing" sections=SECTIONS
            lede="Requests arriving at random to a pool of identical workers (the M/M/c queue): how
            busy they are, how often a request waits, how long, and how many workers a latency
            target needs. The chapter's 70% rule of thumb, from the shape of the curve.">
                {unstable}
                <div class="metrics">
                    <Metric id="q-utilization" of=("queueing.utilization", format_share) label="Utilization" primary=true
                        value=figure(|r| percent(r.queueing.utilization))
                        note=figure(|r| load_note(r.queueing.arrival_rate_per_s, r.queueing.mean_service_seconds, r.queueing.servers))
                        trace=explain("queueing.utilization") />
                    <Metric id="q-p-wait" of=("queueing.p_wait", format_share) label="Probability of waiting"
                        value=figure(|r| r.queueing.p_wait.map_or("—".into(), percent))
                        note=figure(|r| if r.queueing.p_wait.is_some() { "Erlang C".to_string() } else { "the queue grows without bound".to_string() })
                        trace=explain("queueing.p_wait") />
                    <Metric id="q-mean-wait" of=("queueing.mean_wait_seconds", format_duration) label="Mean wait"
                        value=figure(|r| wait_text(r.queueing.mean_wait_seconds))
                        note=figure(|_| "in the queue, before service".to_string())
                        trace=explain("queueing.mean_wait_seconds") />
                    <Metric id="q-mean-response" of=("queueing.mean_response_seconds", format_duration) label="Mean response time"
                        value=figure(|r| wait_text(r.queueing.mean_response_seconds))
                        note=figure(|r| format!("wait + {} of service", format_duration(r.queueing.mean_service_seconds))) />
                    <Metric id="q-p95-wait" of=("queueing.p95_wait_seconds", format_duration) label="95th percentile wait"
                        value=figure(|r| wait_text(r.queueing.p95_wait_seconds)) />
                    <Metric id="q-p99-wait" of=("queueing.p99_wait_seconds", format_duration) label="99th percentile wait"
                        value=figure(|r| wait_text(r.queueing.p99_wait_seconds)) />
                    <Metric id="q-servers" of=("queueing.servers_for_target", format_count) label="Fewest servers for the target" primary=true
                        value=figure(|r| r.queueing.servers_for_target.map_or("—".into(), |c| c.to_string()))
                        note=figure(|r| target_text(&r.queueing.target))
                        trace=explain("queueing.servers_for_target") />
                    <Metric id="q-naive" of=("queueing.naive_servers", format_count) label="Naive count ⌈λ/μ⌉"
                        value=figure(|r| r.queueing.naive_servers.map_or("—".into(), |c| c.to_string()))
                        note=figure(|_| "enough only at 100% busy, with no queue".to_string()) />
                </div>
                {move || unreachable().map(|m| view! { <p class="sim-error" id="q-unreachable">{m}</p> })}
                <p class="aside" id="q-why-70">{move || section().map(|q| knee_text(q.servers))}</p>
                <div class="charts">
                    <Chart id="chart-hockey" caption="Mean response time against utilization for these servers: the hockey stick, with the 70% rule and the current load marked" data=hockey />
                    <Chart id="chart-servers" caption="Servers needed as arrivals grow: naive ⌈λ/μ⌉ against the fewest meeting the target" data=needed />
                </div>
        </Page>
    }
}
