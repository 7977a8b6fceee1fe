//! `/queueing`: the M/M/c queue behind the chapter's "scale out above 70%": utilization, the
//! probability of waiting, waits and their percentiles, the fewest servers meeting a target, and
//! the hockey-stick curve whose knee the 70% rule stays away from.

use headroom::queueing::{MmcQueue, QueueTarget, fewest_servers, naive_servers};
use headroom::report::{QueueingSection, Report};
use headroom::scenario::Group;
use headroom::units::{format_count, format_duration, format_number};
use leptos::prelude::*;

use crate::components::chart::{Chart, ChartData, Format, Marker, Series, SeriesKind};
use crate::components::metric::{Metric, explain};
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::state::shown::Shown;
use crate::state::use_scenario;

const SECTIONS: &[Section] = &[Section {
    title: "M/M/c queue",
    group: Group::Queueing,
}];

/// Points of the hockey-stick curve: ρ = 0%, 1%, … 99% (100% itself is infinite).
const CURVE_PERCENTS: u32 = 100;

/// Rates on the servers-needed chart: λ/20, 2λ/20, … 2λ.
const RATE_STEPS: u32 = 40;

/// A share as a percentage with at most two decimals: `70%`, `22.17%`.
pub(crate) use headroom::units::format_share as percent;

fn wait_text(wait_s: Option<f64>) -> String {
    wait_s.map_or("—".into(), format_duration)
}

fn target_text(target: &QueueTarget) -> String {
    match *target {
        QueueTarget::WaitPercentile { q, max_wait_s } => format!(
            "p{} wait ≤ {}",
            format_number(q * 100.0, 2),
            format_duration(max_wait_s)
        ),
        QueueTarget::MaxMeanWait { max_wait_s: s } => format!("mean wait ≤ {}", format_duration(s)),
        QueueTarget::MaxProbabilityOfWaiting { max_p_wait: p } => {
            format!("P(wait) ≤ {}", percent(p))
        }
    }
}

/// Mean response time over service time at utilization `rho` with `servers` servers.
fn stretch(servers: u32, rho: f64) -> Option<f64> {
    let service_s = 1.0;
    let lambda = rho * f64::from(servers) / service_s;
    MmcQueue::new(lambda, service_s, servers)
        .ok()
        .map(|q| q.mean_response_s() / service_s)
}

/// Why 70%: the response time at a few utilizations, for these servers and for one.
fn knee_text(servers: u32) -> String {
    let at = |c: u32, rho: f64| {
        stretch(c, rho).map_or("—".into(), |x| format!("{}×", format_count(x)))
    };
    let mut text = format!(
        "Why does the chapter scale out at 70%? With {servers} server{} a request spends {} its \
         service time in the system at 50% busy, {} at 70%, {} at 85% and {} at 95%: waiting \
         grows slowly, then explodes as utilization nears 100%. That bend is the knee of the \
         curve below; 70% keeps a burst, a slow dependency or a lost server from pushing the \
         fleet over it.",
        if servers == 1 { "" } else { "s" },
        at(servers, 0.5),
        at(servers, 0.7),
        at(servers, 0.85),
        at(servers, 0.95)
    );
    if servers > 1 {
        text.push_str(&format!(
            " A single server reaches the knee sooner ({} at 70%, {} at 95%); a large pool \
             later, which is why big fleets can run hotter.",
            at(1, 0.7),
            at(1, 0.95)
        ));
    }
    text
}

fn hockey_stick(q: &QueueingSection) -> ChartData {
    // ρ = 0%, 1%, … 99% (the same points as `response_time_curve`, plus ρ = 0 and whole
    // percents), so the no-JS table shows 0%, 10%, … 70%, … 99%.
    let curve = |servers: u32, name: String| Series {
        name,
        kind: SeriesKind::Line,
        points: (0..CURVE_PERCENTS)
            .map_while(|percent| {
                let rho = f64::from(percent) / 100.0;
                let lambda = rho * f64::from(servers) / q.mean_service_seconds;
                let queue = MmcQueue::new(lambda, q.mean_service_seconds, servers).ok()?;
                Some((f64::from(percent), queue.mean_response_s()))
            })
            .collect(),
    };
    // One curve on its own scale: a single server's curve (100× the service time at 99%) would
    // flatten a pool's; the text beside the chart compares the two.
    let mut series = vec![curve(
        q.servers,
        format!(
            "{} server{}",
            q.servers,
            if q.servers == 1 { "" } else { "s" }
        ),
    )];
    series.push(Series {
        name: "service time alone".into(),
        kind: SeriesKind::Line,
        points: (0..CURVE_PERCENTS)
            .map(|p| (f64::from(p), q.mean_service_seconds))
            .collect(),
    });
    let now = (q.utilization * 1000.0).round() / 10.0;
    let shown_now = q.message.is_none() && now <= 99.0;
    let mut markers = Vec::new();
    if shown_now && (now - 70.0).abs() < 2.0 {
        markers.push(Marker {
            x: now,
            label: format!("70% rule · now {}", percent(q.utilization)),
        });
    } else {
        markers.push(Marker {
            x: 70.0,
            label: "70% rule".into(),
        });
        if shown_now {
            markers.push(Marker {
                x: now,
                label: format!("now: {}", percent(q.utilization)),
            });
        }
    }
    ChartData {
        x_name: "utilization ρ (%)".into(),
        y_name: "mean response time".into(),
        x_format: Format::Percent,
        y_format: Format::Seconds,
        series,
        markers,
        table_rows: Some(10),
        ..ChartData::default()
    }
}

fn servers_needed(q: &QueueingSection) -> ChartData {
    let lambda = q.arrival_rate_per_s;
    let service_s = q.mean_service_seconds;
    // Points past the model's limit (too many servers) end the curve rather than break it.
    let points: Vec<(f64, u64, u32)> = (1..=RATE_STEPS)
        .map(|k| lambda * 2.0 * f64::from(k) / f64::from(RATE_STEPS))
        .map_while(|rate| {
            let naive = naive_servers(rate, service_s).ok()?;
            let aware = fewest_servers(rate, service_s, q.target).ok()?;
            Some((rate, naive, aware))
        })
        .collect();
    ChartData {
        x_name: "arrivals per second".into(),
        y_name: "servers".into(),
        series: vec![
            Series {
                name: "naive ⌈λ/μ⌉".into(),
                kind: SeriesKind::Line,
                points: points.iter().map(|p| (p.0, p.1 as f64)).collect(),
            },
            Series {
                name: format!("queueing-aware ({})", target_text(&q.target)),
                kind: SeriesKind::Line,
                points: points.iter().map(|p| (p.0, f64::from(p.2))).collect(),
            },
        ],
        markers: vec![Marker {
            x: lambda,
            label: format!("now: {}/s", format_count(lambda)),
        }],
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
                    <Metric id="q-utilization" label="Utilization" primary=true
                        value=figure(|r| percent(r.queueing.utilization))
                        note=figure(|r| format!("{} Erlangs of load on {} servers",
                            format_count(r.queueing.arrival_rate_per_s * r.queueing.mean_service_seconds), r.queueing.servers))
                        trace=explain("queueing.utilization") />
                    <Metric id="q-p-wait" label="Probability of waiting"
                        value=figure(|r| r.queueing.p_wait.map_or("—".into(), percent))
                        note=figure(|r| if r.queueing.p_wait.is_some() { "Erlang C".to_string() } else { "the queue grows without bound".to_string() })
                        trace=explain("queueing.p_wait") />
                    <Metric id="q-mean-wait" label="Mean wait"
                        value=figure(|r| wait_text(r.queueing.mean_wait_seconds))
                        note=figure(|_| "in the queue, before service".to_string())
                        trace=explain("queueing.mean_wait_seconds") />
                    <Metric id="q-mean-response" label="Mean response time"
                        value=figure(|r| wait_text(r.queueing.mean_response_seconds))
                        note=figure(|r| format!("wait + {} of service", format_duration(r.queueing.mean_service_seconds))) />
                    <Metric id="q-p95-wait" label="95th percentile wait"
                        value=figure(|r| wait_text(r.queueing.p95_wait_seconds)) />
                    <Metric id="q-p99-wait" label="99th percentile wait"
                        value=figure(|r| wait_text(r.queueing.p99_wait_seconds)) />
                    <Metric id="q-servers" label="Fewest servers for the target" primary=true
                        value=figure(|r| r.queueing.servers_for_target.map_or("—".into(), |c| c.to_string()))
                        note=figure(|r| target_text(&r.queueing.target))
                        trace=explain("queueing.servers_for_target") />
                    <Metric id="q-naive" label="Naive count ⌈λ/μ⌉"
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
