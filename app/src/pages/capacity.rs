//! `/capacity`: daily users to QPS, servers per tier, storage and bandwidth.

use headroom::autoscale::Traffic;
use headroom::capacity::{GROWTH_MULTIPLIERS, growth_curve};
use headroom::scenario::Group;
use headroom::units::{format_bytes, format_bytes_per_second, format_count};
use leptos::prelude::*;

use crate::components::chart::{Chart, ChartData, Format, Series, SeriesKind};
use crate::components::metric::Metric;
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::state::use_scenario;

const SECTIONS: &[Section] = &[
    Section {
        title: "Traffic",
        group: Group::Traffic,
    },
    Section {
        title: "Storage and bandwidth",
        group: Group::Storage,
    },
    Section {
        title: "Per-node capacity",
        group: Group::Nodes,
    },
];

fn rate(x: f64) -> String {
    format!("{}/s", format_count(x))
}

/// The capacity calculator.
#[component]
pub fn Capacity() -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);

    let day = Signal::derive(move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return ChartData::default();
            };
            let c = &r.capacity;
            let scenario = state.parsed.with(|p| p.scenario.clone());
            let mean = c.read_qps + c.write_qps;
            let day = Traffic::Diurnal {
                mean_rps: mean,
                peak_factor: scenario.peak(),
            };
            let hours = |f: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
                (0..=96)
                    .map(|i| f64::from(i) / 4.0)
                    .map(|h| (h, f(h)))
                    .collect()
            };
            let web_capacity = c.web_servers.to_f64() * scenario.web_rps() * scenario.util();
            ChartData {
                x_name: "hour of day".into(),
                x_range: Some((0.0, 24.0)),
                y_name: "requests/s".into(),
                series: vec![
                    Series {
                        name: "traffic".into(),
                        kind: SeriesKind::Line,
                        points: hours(&|h| day.rate_at((h * 3600.0) as u64)),
                    },
                    Series {
                        name: "average".into(),
                        kind: SeriesKind::Line,
                        points: hours(&|_| mean),
                    },
                    Series {
                        name: "peak".into(),
                        kind: SeriesKind::Line,
                        points: hours(&|_| c.peak_web_rps),
                    },
                    Series {
                        name: "web tier capacity".into(),
                        kind: SeriesKind::Line,
                        points: hours(&|_| web_capacity),
                    },
                ],
                table_rows: Some(9),
                ..ChartData::default()
            }
        })
    });

    let growth = Signal::derive(move || {
        state.parsed.with(|p| {
            let Ok(input) = p.scenario.capacity_input() else {
                return ChartData::default();
            };
            let curve = growth_curve(&input, &GROWTH_MULTIPLIERS);
            let series = |name: &str,
                          f: fn(
                &headroom::capacity::GrowthPoint,
            ) -> headroom::capacity::NodeCount| Series {
                name: name.into(),
                kind: SeriesKind::Line,
                // A tier past the counter's limit has no point rather than a capped one.
                points: curve
                    .iter()
                    .map(|g| (g.multiplier, f(g).to_f64()))
                    .filter(|(_, y)| y.is_finite())
                    .collect(),
            };
            ChartData {
                x_name: "× today's daily users".into(),
                y_name: "nodes".into(),
                log_x: true,
                series: vec![
                    series("web servers", |g| g.web_servers),
                    series("cache nodes", |g| g.cache_nodes),
                    series("database nodes", |g| g.db_nodes),
                ],
                ..ChartData::default()
            }
        })
    });

    let storage = Signal::derive(move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return ChartData::default();
            };
            let per_year = r.capacity.storage_bytes_per_year;
            let years = state.parsed.with(|p| p.scenario.years());
            let whole = years.ceil().clamp(1.0, 100.0) as u32;
            ChartData {
                x_name: "end of year".into(),
                y_name: "stored".into(),
                y_format: Format::Bytes,
                x_labels: (1..=whole).map(|y| format!("year {y}")).collect(),
                series: vec![Series {
                    name: "stored, with replication".into(),
                    kind: SeriesKind::Bar,
                    points: (1..=whole)
                        .map(|y| {
                            (
                                f64::from(y - 1),
                                per_year * f64::from(y).min(years.max(0.0)),
                            )
                        })
                        .collect(),
                }],
                ..ChartData::default()
            }
        })
    });

    view! {
        <Page heading="Capacity" sections=SECTIONS
            lede="Daily users and what they do, to requests per second, servers per tier, storage and
            bandwidth: the arithmetic of the chapter's section 10, with its example filled in.">
                <div class="metrics">
                    <Metric id="peak-read-qps" label="Peak reads" primary=true
                        value=figure(|r| rate(r.capacity.peak_read_qps))
                        note=figure(|r| format!("average {}", rate(r.capacity.read_qps)))
                        explain="capacity.peak_read_qps" />
                    <Metric id="peak-write-qps" label="Peak writes" primary=true
                        value=figure(|r| rate(r.capacity.peak_write_qps))
                        note=figure(|r| format!("average {}", rate(r.capacity.write_qps)))
                        explain="capacity.peak_write_qps" />
                    <Metric id="read-qps" label="Average reads"
                        value=figure(|r| rate(r.capacity.read_qps)) explain="capacity.read_qps" />
                    <Metric id="write-qps" label="Average writes"
                        value=figure(|r| rate(r.capacity.write_qps)) explain="capacity.write_qps" />
                    <Metric id="web-servers" label="Web servers"
                        value=figure(|r| r.capacity.web_servers.to_string())
                        note=figure(|r| format!(
                            "reads + writes at peak; the chapter's {} counts reads alone",
                            r.capacity.web_servers_reads_only))
                        explain="capacity.web_servers" />
                    <Metric id="web-servers-queueing" label="Web servers for latency"
                        value=figure(|r| r.queueing.web_tier.as_ref().map_or("—".into(), |f| f.servers_to_run.to_string()))
                        note=figure(|r| match (&r.queueing.web_tier, &r.queueing.web_tier_message) {
                            (Some(f), _) => format!(
                                "{} at {}% each, {} workers per server{}; the target is set on Queueing",
                                r.queueing.target,
                                format_count(f.utilization * 100.0),
                                f.workers_per_server,
                                if f.workers_rounded_down_from.is_some() { " (rounded down)" } else { "" }),
                            (None, Some(m)) => m.clone(),
                            (None, None) => String::new(),
                        })
                        explain="queueing.web_tier" />
                    <Metric id="cache-nodes" label="Cache nodes"
                        value=figure(|r| r.capacity.cache_nodes.to_string())
                        note=figure(|r| format!("{} ops/s at peak", format_count(r.capacity.peak_cache_ops)))
                        explain="capacity.cache_nodes" />
                    <Metric id="db-nodes" label="Database nodes"
                        value=figure(|r| r.capacity.db_nodes.to_string())
                        note=figure(|r| format!("{} q/s at peak after the cache", format_count(r.capacity.peak_db_qps)))
                        explain="capacity.db_nodes" />
                    <Metric id="storage-year" label="Storage per year"
                        value=figure(|r| format_bytes(r.capacity.storage_bytes_per_year))
                        explain="capacity.storage_bytes_per_year" />
                    <Metric id="storage-total" label="Storage over retention"
                        value=figure(|r| format_bytes(r.capacity.storage_bytes_total))
                        explain="capacity.storage_bytes_total" />
                    <Metric id="ingress" label="Ingress"
                        value=figure(|r| format_bytes_per_second(r.capacity.ingress_bytes_per_second))
                        note=figure(|r| format!("peak {}", format_bytes_per_second(r.capacity.peak_ingress_bytes_per_second)))
                        explain="capacity.ingress_bytes_per_second" />
                    <Metric id="egress" label="Egress"
                        value=figure(|r| format_bytes_per_second(r.capacity.egress_bytes_per_second))
                        note=figure(|r| format!("peak {}", format_bytes_per_second(r.capacity.peak_egress_bytes_per_second)))
                        explain="capacity.egress_bytes_per_second" />
                </div>
                <p class="aside">{move || state.report.with(|r| r.as_deref().map(|r| {
                    let c = &r.capacity;
                    format!(
                        "Why not the chapter's count? The chapter sizes the web tier for peak reads \
                         alone ({} reads/s → {} servers). The web tier serves the {} peak writes/s \
                         too, so Headroom sizes it for both: {} servers.",
                        format_count(c.peak_read_qps), c.web_servers_reads_only,
                        format_count(c.peak_write_qps), c.web_servers)
                }))}</p>
                <div class="charts">
                    <Chart id="chart-day" caption="A day of traffic at the web tier: the chapter's peak factor shapes the day around its average" data=day />
                    <Chart id="chart-growth" caption="Nodes per tier as daily users grow from 1× to 100×" data=growth />
                    <Chart id="chart-storage" caption="Storage accumulated over the retention period" data=storage />
                </div>
        </Page>
    }
}
