//! The tables of `/load-balancing`: response times and imbalance per algorithm, load per server,
//! key movement, and the chapter's complexity table.

use headroom::loadbalance::{COMPLEXITY, KeyMovement, LbRun, ServerSpec};
use headroom::units::{format_count, format_duration, format_number};
use leptos::prelude::*;

use crate::components::complexity_table::ComplexityTable;
use crate::components::table_scroll::table_scroll;

use crate::pages::queueing::percent;

/// Most server columns in the per-server table (the rest are summarised by the imbalance).
const MAX_COLUMNS: usize = 12;

fn ratio(x: f64) -> String {
    format!("{}×", format_count(x))
}

/// Response-time percentiles and imbalance, one row per algorithm.
pub fn algorithms(runs: &[LbRun]) -> impl IntoView + use<> {
    let rows = runs
        .iter()
        .map(|r| {
            let key = r.algorithm.key();
            view! {
                <tr>
                    <th scope="row">{r.algorithm.name()}</th>
                    <td class="num" id=format!("lb-{key}-p50")>{format_duration(r.response.p50_s)}</td>
                    <td class="num" id=format!("lb-{key}-p95")>{format_duration(r.response.p95_s)}</td>
                    <td class="num" id=format!("lb-{key}-p99")>{format_duration(r.response.p99_s)}</td>
                    <td class="num">{format_duration(r.response.mean_s)}</td>
                    <td class="num" id=format!("lb-{key}-imbalance")>{ratio(r.imbalance_requests)}</td>
                    <td class="num">{ratio(r.imbalance_utilization)}</td>
                    <td class="num">{percent(r.busiest_utilization())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {table_scroll("Load-balancing algorithms compared", "", view! {
            <table class="data sim" id="lb-table">
                <thead><tr>
                    <th scope="col">"Algorithm"</th><th scope="col">"p50"</th><th scope="col">"p95"</th>
                    <th scope="col">"p99"</th><th scope="col">"Mean"</th>
                    <th scope="col">"Imbalance, requests"</th><th scope="col">"Imbalance, utilization"</th>
                    <th scope="col">"Busiest server"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
                <caption>"Response time = queueing + service. Imbalance = busiest server ÷ the mean (1× is even). \
                    Requests share out by weight only for the weighted algorithms; utilization is what hurts."</caption>
            </table>
        })}
    }
}

/// Requests and utilization of each server, one row per algorithm.
pub fn per_server(runs: &[LbRun], servers: &[ServerSpec]) -> impl IntoView + use<> {
    let shown = servers.len().min(MAX_COLUMNS);
    let header = servers
        .iter()
        .take(shown)
        .enumerate()
        .map(|(i, s)| {
            view! { <th scope="col">{format!("{} ({}:{}:{})", i + 1, s.weight, s.speed, s.workers)}</th> }
        })
        .collect_view();
    let rows = runs
        .iter()
        .map(|r| {
            let key = r.algorithm.key();
            let cells = r
                .servers
                .iter()
                .take(shown)
                .enumerate()
                .map(|(i, s)| {
                    view! {
                        <td class="num">
                            <span id=format!("lb-{key}-s{}", i + 1)>{format_count(s.requests as f64)}</span>
                            <span class="muted">" · "{format_number(s.utilization * 100.0, 1)}"%"</span>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{r.algorithm.name()}</th>{cells}</tr> }
        })
        .collect_view();
    let more = (servers.len() > shown)
        .then(|| format!(" The first {shown} of {} servers are shown.", servers.len()));
    view! {
        {table_scroll("Requests and utilization per server", "", view! {
            <table class="data sim" id="lb-servers">
                <thead><tr><th scope="col">"Server (weight:speed:workers)"</th>{header}</tr></thead>
                <tbody>{rows}</tbody>
                <caption>"Requests routed · utilization (busy worker time over the run)."{more}</caption>
            </table>
        })}
    }
}

/// Share of keys moving when the cluster grows or shrinks by one.
pub fn movement(moved: &[KeyMovement], servers: usize) -> impl IntoView + use<> {
    let cell = |x: Option<f64>| x.map_or("—".to_string(), percent);
    let rows = moved
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <th scope="row">{m.name}</th>
                    <td class="num" id=format!("lb-move-{}-add", m.key)>{cell(m.add)}</td>
                    <td class="num">{percent(m.expected_add)}</td>
                    <td class="num" id=format!("lb-move-{}-remove", m.key)>{cell(m.remove)}</td>
                    <td class="num">{percent(m.expected_remove)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {table_scroll("Keys that move when a server joins or leaves", "", view! {
            <table class="data sim" id="lb-movement">
                <thead><tr>
                    <th scope="col">"Placement"</th>
                    <th scope="col">{format!("Add server {} (measured)", servers + 1)}</th><th scope="col">"Expected"</th>
                    <th scope="col">{format!("Remove server {servers} (measured)")}</th><th scope="col">"Expected"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
                <caption>{format!(
                    "Share of {} keys whose server changes. Expected for uniform hashes: modulo moves n/(n+1) \
                     when adding and 1 − 1/n when removing; consistent hashing and Maglev move only the new or \
                     leaving server's share, 1/(n+1) and 1/n.",
                    format_count(f64::from(headroom::scenario::MOVEMENT_KEYS)))}
                </caption>
            </table>
        })}
    }
}

/// The chapter's complexity table, with the added rows marked.
pub fn complexity() -> impl IntoView {
    view! {
        <ComplexityTable id="lb-complexity" table=COMPLEXITY
            caption="The chapter's section 2 table (n servers, k virtual nodes), then rows for the algorithms it lacks (M Maglev entries)." />
    }
}
