//! `/cost`: serverless against always-on instances, and the volume where they cross.

use headroom::cost::{self, Arch};
use headroom::report::Cheaper;
use headroom::scenario::Group;
use headroom::units::{format_count, format_si, format_usd};
use leptos::prelude::*;

use crate::components::chart::{Chart, ChartData, Format, Marker, Series, SeriesKind};
use crate::components::metric::Metric;
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::state::use_scenario;

const SECTIONS: &[Section] = &[Section {
    title: "Serverless and instances",
    group: Group::Cost,
}];

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

/// The cost calculator.
#[component]
pub fn Cost() -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);

    let curve = Signal::derive(move || {
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
    });

    let memory = Signal::derive(move || {
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
    });

    let price_table = move || {
        state.report.with(|r| {
            let r = r.as_deref()?;
            let p = &r.prices;
            let tiers = |arch: Arch| {
                p.tiers(arch)
                    .iter()
                    .scan(0.0, |from, t| {
                        let range = match t.up_to_gb_seconds {
                            Some(to) => format!("{} to {} GB-s", format_si(*from), format_si(to)),
                            None => format!("over {} GB-s", format_si(*from)),
                        };
                        *from = t.up_to_gb_seconds.unwrap_or(*from);
                        Some(view! { <tr><th scope="row">{arch.label()}</th><td>{range}</td><td class="num">{format_usd(t.usd_per_gb_second)}</td></tr> })
                    })
                    .collect_view()
            };
            Some(view! {
                <table class="data prices">
                    <caption>"Prices as of " {p.as_of().to_string()} ": " {p.source().to_string()}</caption>
                    <thead><tr><th scope="col">"Item"</th><th scope="col">"Range"</th><th scope="col">"USD"</th></tr></thead>
                    <tbody>
                        <tr><th scope="row">"Requests"</th><td>"per million"</td><td class="num">{format_usd(p.usd_per_million_requests())}</td></tr>
                        {tiers(Arch::X86)}
                        {tiers(Arch::Arm)}
                        <tr><th scope="row">"Free tier"</th><td colspan="2">{format!("{} requests and {} GB-s a month", format_si(p.free_requests_per_month()), format_count(p.free_gb_seconds_per_month()))}</td></tr>
                    </tbody>
                </table>
            })
        })
    };

    view! {
        <Page heading="Cost" sections=SECTIONS
            lede="Serverless bills per request and per GB-second; always-on instances bill per hour
            whatever the traffic. Below the crossover serverless is cheaper, above it instances
            are: the chapter's section 8, solved exactly.">
                <div class="metrics">
                    <Metric id="serverless-cost" label="Serverless per month" primary=true
                        value=figure(|r| format_usd(r.cost.serverless_usd_per_month))
                        note=figure(|r| format!("{} GB-s", format_count(r.cost.serverless.gb_seconds)))
                        explain="cost.serverless_usd_per_month" />
                    <Metric id="instances-cost" label="Instances per month" primary=true
                        value=figure(|r| format_usd(r.cost.instances_usd_per_month))
                        explain="cost.instances_usd_per_month" />
                    <Metric id="crossover" label="Crossover"
                        value=figure(|r| r.cost.crossover_requests_per_month.map_or("none".into(), |c| format!("{} req/month", format_si(c))))
                        note=figure(|r| r.cost.crossover_requests_per_second.map_or(String::new(), |s| format!("{} req/s sustained", format_count(s))))
                        explain="cost.crossover_requests_per_month" />
                    <Metric id="cheaper" label="Cheaper here"
                        value=figure(|r| match r.cost.cheaper {
                            Cheaper::Serverless => "Serverless".to_string(),
                            Cheaper::Instances => "Instances".to_string(),
                            Cheaper::Equal => "Equal".to_string(),
                        })
                        note=figure(|r| {
                            let (a, b) = (r.cost.serverless_usd_per_month, r.cost.instances_usd_per_month);
                            format!("saves {} a month", format_usd((a - b).abs()))
                        }) />
                    <Metric id="gb-seconds" label="Compute"
                        value=figure(|r| format!("{} GB-s", format_count(r.cost.serverless.gb_seconds)))
                        note=figure(|r| format!("{} billable after the free tier", format_count(r.cost.serverless.billable_gb_seconds)))
                        explain="cost.serverless.gb_seconds" />
                </div>
                <div class="charts">
                    <Chart id="chart-cost" caption="Monthly cost against requests per month (log scales), with the crossover marked" data=curve />
                    <Chart id="chart-memory" caption="Serverless cost at each memory size, duration held fixed" data=memory />
                </div>
                {price_table}
        </Page>
    }
}
