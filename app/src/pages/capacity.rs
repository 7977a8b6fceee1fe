//! `/capacity`: daily users to QPS, servers per tier, storage and bandwidth.

mod bounds;
mod charts;
mod runway;

use headroom::capacity::{binding, shard_layout};
use headroom::scenario::Group;
use headroom::units::{format_bytes, format_bytes_per_second, format_count};
use leptos::prelude::*;

use crate::components::chart::Chart;
use crate::components::compare::rate;
use crate::components::metric::{Metric, explain};
use crate::components::observed::ObservedTraffic;
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
    Section {
        title: "Shards, memory, network, queues and CDN",
        group: Group::Bounds,
    },
    Section {
        title: "Growth and what runs today",
        group: Group::Growth,
    },
];

/// The capacity calculator.
#[component]
pub fn Capacity() -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);

    view! {
        <Page heading="Capacity" sections=SECTIONS
            lede="Daily users and what they do, to requests per second, servers per tier, storage and
            bandwidth: the arithmetic of the chapter's section 10, with its example filled in.">
                <div class="metrics">
                    <Metric id="peak-read-qps" of=("capacity.peak_read_qps", rate) label="Peak reads" primary=true
                        value=figure(|r| rate(r.capacity.peak_read_qps))
                        note=figure(|r| format!("average {}", rate(r.capacity.read_qps)))
                        trace=explain("capacity.peak_read_qps") />
                    <Metric id="peak-write-qps" of=("capacity.peak_write_qps", rate) label="Peak writes" primary=true
                        value=figure(|r| rate(r.capacity.peak_write_qps))
                        note=figure(|r| format!("average {}", rate(r.capacity.write_qps)))
                        trace=explain("capacity.peak_write_qps") />
                    <Metric id="read-qps" of=("capacity.read_qps", rate) label="Average reads"
                        value=figure(|r| rate(r.capacity.read_qps)) trace=explain("capacity.read_qps") />
                    <Metric id="write-qps" of=("capacity.write_qps", rate) label="Average writes"
                        value=figure(|r| rate(r.capacity.write_qps)) trace=explain("capacity.write_qps") />
                    <Metric id="web-servers" of=("capacity.web_servers", format_count) label="Web servers"
                        value=figure(|r| r.capacity.web_servers.to_string())
                        note=figure(|r| format!(
                            "{}; the chapter's {} counts reads alone at full load",
                            binding(("requests", r.capacity.web_servers_for_requests),
                                ("network", r.capacity.web_servers_for_network)),
                            r.capacity.web_servers_reads_only))
                        trace=explain("capacity.web_servers") />
                    <Metric id="web-servers-requests" of=("capacity.web_servers_for_requests", format_count) label="Web servers for requests"
                        value=figure(|r| r.capacity.web_servers_for_requests.to_string())
                        note=figure(|r| format!("{} at peak, reads + writes", rate(r.capacity.peak_web_rps)))
                        trace=explain("capacity.web_servers_for_requests") />
                    <Metric id="web-servers-network" of=("capacity.web_servers_for_network", format_count) label="Web servers for network"
                        value=figure(|r| r.capacity.web_servers_for_network.to_string())
                        note=figure(|r| format!("the larger of {} out of the origin and {} in, at peak",
                            format_bytes_per_second(r.capacity.peak_origin_egress_bytes_per_second),
                            format_bytes_per_second(r.capacity.peak_ingress_bytes_per_second)))
                        trace=explain("capacity.web_servers_for_network") />
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
                        trace=explain("queueing.web_tier") />
                    <Metric id="cache-nodes" of=("capacity.cache_nodes", format_count) label="Cache nodes"
                        value=figure(|r| r.capacity.cache_nodes.to_string())
                        note=figure(|r| format!("{} ops/s at peak; {}", format_count(r.capacity.peak_cache_ops),
                            binding(("operations", r.capacity.cache_nodes_for_ops),
                                ("memory", r.capacity.cache_nodes_for_memory))))
                        trace=explain("capacity.cache_nodes") />
                    <Metric id="cache-nodes-memory" of=("capacity.cache_nodes_for_memory", format_count) label="Cache nodes for memory"
                        value=figure(|r| r.capacity.cache_nodes_for_memory.to_string())
                        note=figure(|r| format!("working set {}", format_bytes(r.capacity.cache_working_set_bytes)))
                        trace=explain("capacity.cache_nodes_for_memory") />
                    <Metric id="db-nodes" of=("capacity.db_nodes", format_count) label="Database nodes"
                        value=figure(|r| r.capacity.db_nodes.to_string())
                        note=figure(|r| format!("{}; {} q/s at peak after the cache",
                            shard_layout(&r.capacity), format_count(r.capacity.peak_db_qps)))
                        trace=explain("capacity.db_nodes") />
                    <Metric id="db-shards" of=("capacity.db_shards", format_count) label="Database shards"
                        value=figure(|r| r.capacity.db_shards.to_string())
                        note=figure(|r| binding(("writes", r.capacity.db_shards_for_writes),
                            ("storage", r.capacity.db_shards_for_storage)))
                        trace=explain("capacity.db_shards") />
                    <Metric id="db-replicas" of=("capacity.db_replicas_per_shard", format_count) label="Replicas per shard"
                        value=figure(|r| r.capacity.db_replicas_per_shard.to_string())
                        note=figure(|r| format!("{} reads/s at peak miss the cache", format_count(r.capacity.peak_db_qps - r.capacity.peak_write_qps)))
                        trace=explain("capacity.db_replicas_per_shard") />
                    <Metric id="queue-partitions" of=("capacity.queue_partitions", format_count) label="Queue partitions"
                        value=figure(|r| r.capacity.queue_partitions.to_string())
                        note=figure(|r| format!("{} msg/s at peak", format_count(r.capacity.peak_queue_msgs_per_second)))
                        trace=explain("capacity.queue_partitions") />
                    <Metric id="storage-year" of=("capacity.storage_bytes_per_year", format_bytes) label="Storage per year"
                        value=figure(|r| format_bytes(r.capacity.storage_bytes_per_year))
                        trace=explain("capacity.storage_bytes_per_year") />
                    <Metric id="storage-total" of=("capacity.storage_bytes_total", format_bytes) label="Storage over retention"
                        value=figure(|r| format_bytes(r.capacity.storage_bytes_total))
                        trace=explain("capacity.storage_bytes_total") />
                    <Metric id="ingress" of=("capacity.ingress_bytes_per_second", format_bytes_per_second) label="Ingress"
                        value=figure(|r| format_bytes_per_second(r.capacity.ingress_bytes_per_second))
                        note=figure(|r| format!("peak {}", format_bytes_per_second(r.capacity.peak_ingress_bytes_per_second)))
                        trace=explain("capacity.ingress_bytes_per_second") />
                    <Metric id="egress" of=("capacity.egress_bytes_per_second", format_bytes_per_second) label="Egress"
                        value=figure(|r| format_bytes_per_second(r.capacity.egress_bytes_per_second))
                        note=figure(|r| format!("peak {}", format_bytes_per_second(r.capacity.peak_egress_bytes_per_second)))
                        trace=explain("capacity.egress_bytes_per_second") />
                    <Metric id="edge-egress" of=("capacity.edge_egress_bytes_per_second", format_bytes_per_second) label="Egress at the edge"
                        value=figure(|r| format_bytes_per_second(r.capacity.edge_egress_bytes_per_second))
                        note=figure(|r| format!("peak {}", format_bytes_per_second(r.capacity.peak_egress_bytes_per_second - r.capacity.peak_origin_egress_bytes_per_second)))
                        trace=explain("capacity.edge_egress_bytes_per_second") />
                    <Metric id="origin-egress" of=("capacity.origin_egress_bytes_per_second", format_bytes_per_second) label="Egress at the origin"
                        value=figure(|r| format_bytes_per_second(r.capacity.origin_egress_bytes_per_second))
                        note=figure(|r| format!("peak {}", format_bytes_per_second(r.capacity.peak_origin_egress_bytes_per_second)))
                        trace=explain("capacity.origin_egress_bytes_per_second") />
                </div>
                <ObservedTraffic />
                <h2>"Which bound binds"</h2>
                <bounds::BoundsTable />
                <p class="aside">{move || state.report.with(|r| r.as_deref().map(why_not_the_chapters))}</p>
                <div class="charts">
                    <Chart id="chart-day" caption="A day of traffic at the web tier: lowest at 04:00, at the peak factor times its average at 20:00" data=charts::day(state) />
                    <Chart id="chart-growth" caption="Nodes per tier as daily users grow from 1× to 100×" data=charts::growth(state) />
                    <Chart id="chart-storage" caption="Storage accumulated over the retention period" data=charts::storage(state) />
                </div>
                <runway::Runway />
        </Page>
    }
}

/// The aside under the bounds: why the web tier is not the chapter's count.
fn why_not_the_chapters(r: &headroom::report::Report) -> String {
    let c = &r.capacity;
    format!(
        "Why not the chapter's count? The chapter sizes the web tier for peak reads alone, every \
         server at full load ({} reads/s → {}). The web tier serves the {} peak writes/s too, so \
         Headroom sizes its requests for both{}: {} before spares.",
        format_count(c.peak_read_qps),
        c.web_servers_reads_only.of("server"),
        format_count(c.peak_write_qps),
        plan_of(r),
        c.web_servers_for_requests.of("server")
    )
}

/// How the report's scenario loads each server, as the aside says it: "" at full load (the
/// chapter's way), otherwise e.g. ", at 70% of each server".
fn plan_of(r: &headroom::report::Report) -> String {
    let util = r
        .inputs
        .get("util")
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(1.0);
    if util < 1.0 {
        format!(", at {}% of each server", format_count(util * 100.0))
    } else {
        String::new()
    }
}
