//! `/cost`'s fleet: the capacity plan priced from the catalog (the report's `fleet_cost`): the
//! monthly bill line by line, the bill over the growth horizon as a stacked chart, the catalog's
//! node types ranked for this load, and serverless in place of the web tier.

use headroom::cost::plan::{FleetCost, TypeOption};
use headroom::units::{format_count, format_si, format_usd};
use leptos::prelude::*;

use crate::components::chart::{Chart, ChartData, Format, Series, SeriesKind};
use crate::components::metric::{Metric, explain};
use crate::components::table_scroll::table_scroll;
use crate::state::{ScenarioState, use_scenario};

/// What serverless costs next to the web tier, as a card says it.
fn versus(f: &FleetCost) -> String {
    match (f.serverless.serverless_usd, f.serverless.fleet_usd) {
        (Some(s), Some(w)) => format!("{} vs {}", format_usd(s), format_usd(w)),
        _ => "—".to_string(),
    }
}

/// The crossover, or why there is none.
fn crossover(f: &FleetCost) -> String {
    f.serverless.crossover_requests_per_month.map_or_else(
        || "none".to_string(),
        |c| format!("{} req/month", format_si(c)),
    )
}

/// The fleet's cards, bill, chart and rankings.
#[component]
pub fn Fleet() -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);
    let missing = move || {
        state.report.with(|r| {
            let r = r.as_deref()?;
            (!r.fleet_cost.missing.is_empty()).then(|| {
                let items = r
                    .fleet_cost
                    .missing
                    .iter()
                    .map(|m| view! { <li>{m.clone()}</li> })
                    .collect::<Vec<_>>();
                view! {
                    <div class="fleet-missing" id="fleet-missing" role="status">
                        <p>"Not in the bill (the catalog leaves out what it could not source):"</p>
                        <ul>{items}</ul>
                    </div>
                }
            })
        })
    };
    view! {
        <h2 id="fleet">"The fleet the capacity plan sizes"</h2>
        <p class="lede">
            "The web, cache and database nodes, stored bytes and egress of "
            <a href=move || state.href("/capacity")>"the capacity plan"</a>
            ", priced from a dated catalog of AWS list prices. Each line names its source."
        </p>
        <div class="metrics">
            <Metric id="fleet-cost" of=("fleet_cost.usd_per_month", format_usd) label="Fleet per month" primary=true
                value=figure(|r| format_usd(r.fleet_cost.usd_per_month))
                note=figure(|r| format!("{}, {}, {} h", r.fleet_cost.region, r.fleet_cost.purchase.label(), format_count(r.fleet_cost.hours_per_month)))
                trace=explain("fleet_cost.usd_per_month") />
            <Metric id="fleet-per-million" of=("fleet_cost.usd_per_million_requests", format_usd) label="Per million requests"
                value=figure(|r| r.fleet_cost.usd_per_million_requests.map_or("—".to_string(), format_usd))
                note=figure(|r| format!("{} requests a month", format_si(r.fleet_cost.requests_per_month)))
                trace=explain("fleet_cost.usd_per_million_requests") />
            <Metric id="serverless-vs-web" label="Serverless vs web tier"
                value=figure(|r| versus(&r.fleet_cost))
                note=figure(|r| format!("Lambda + {} for the same requests", r.fleet_cost.serverless.gateway.label()))
                trace=explain("fleet_cost.serverless.serverless_usd") />
            <Metric id="fleet-crossover" label="Serverless costs more above"
                value=figure(|r| crossover(&r.fleet_cost))
                note=figure(|r| r.fleet_cost.serverless.message.clone().unwrap_or_else(|| "web tier from 1 server + spares".to_string())) />
        </div>
        {missing}
        <BillTable />
        <div class="charts">
            <Chart id="chart-fleet-bill" caption="The monthly bill over the growth horizon, by part (stacked)" data=bill_by_month(state) />
        </div>
        <CheapestTables />
    }
}

/// The bill, line by line.
#[component]
fn BillTable() -> impl IntoView {
    let state = use_scenario();
    let rows = move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return Vec::new();
            };
            r.fleet_cost
                .lines
                .iter()
                .map(|l| {
                    view! {
                        <tr>
                            <th scope="row">{l.item.clone()}</th>
                            <td class="num">{format_count(l.quantity)}</td>
                            <td>{l.unit.clone()}</td>
                            <td class="num">{format_usd(l.unit_price_usd)}</td>
                            <td class="num">{format_usd(l.usd_per_month)}</td>
                            <td class="source"><details><summary>"Source"</summary><p>{l.source.clone()}</p></details></td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let total = move || {
        state
            .report
            .with(|r| r.as_deref().map(|r| format_usd(r.fleet_cost.usd_per_month)))
    };
    view! {
        {table_scroll("The monthly bill, line by line", "fleet-table", view! {
            <table class="data" id="fleet-bill">
                <caption>"The monthly bill"</caption>
                <thead><tr>
                    <th scope="col">"Item"</th><th scope="col">"Quantity"</th><th scope="col">"Unit"</th>
                    <th scope="col">"USD per unit"</th><th scope="col">"USD per month"</th><th scope="col">"Source"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
                <tfoot><tr><th scope="row" colspan="4">"Total"</th><td class="num" id="fleet-bill-total">{total}</td><td></td></tr></tfoot>
            </table>
        })}
    }
}

/// One tier's ranking.
fn ranking(
    caption: &'static str,
    id: &'static str,
    chosen: &str,
    options: &[TypeOption],
) -> impl IntoView + use<> {
    let rows = options
        .iter()
        .map(|o| {
            let is_chosen = o.node_type == chosen;
            let vcpus = if o.sustained_share < 1.0 {
                format!(
                    "{} ({}% sustained)",
                    o.vcpus,
                    format_count(o.sustained_share * 100.0)
                )
            } else {
                o.vcpus.to_string()
            };
            view! {
                <tr class:chosen=is_chosen>
                    <th scope="row">{o.node_type.clone()}{is_chosen.then_some(" (chosen)")}</th>
                    <td class="num">{vcpus}</td>
                    <td class="num">{o.nodes.map_or("—".to_string(), |n| n.to_string())}</td>
                    <td class="num">{format_usd(o.usd_per_hour)}</td>
                    <td class="num">{o.usd_per_month.map_or("—".to_string(), format_usd)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let empty = options.is_empty().then(|| {
        view! { <tr><td colspan="5">"The catalog has no prices for this tier in this region."</td></tr> }
    });
    table_scroll(
        caption,
        "",
        view! {
            <table class="data" id=id>
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">"Type"</th><th scope="col">"vCPUs"</th><th scope="col">"Nodes"</th>
                    <th scope="col">"USD per hour"</th><th scope="col">"USD per month"</th>
                </tr></thead>
                <tbody>{rows}{empty}</tbody>
            </table>
        },
    )
}

/// The catalog's types per tier, cheapest first.
#[component]
fn CheapestTables() -> impl IntoView {
    let state = use_scenario();
    move || {
        state.report.with(|r| {
            let r = r.as_deref()?;
            let f = &r.fleet_cost;
            let chosen = |key: &str| {
                r.inputs
                    .get(key)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            Some(view! {
                <h3>"Cheapest type per tier"</h3>
                <p class="assumption">
                    "Assumption: a type with k times the vCPUs of the chosen one serves k times the
                    capacity per node you gave; memory, disk and network per node stay as given. A
                    burstable t3 type counts only the share of its vCPUs it sustains without CPU
                    credits."
                </p>
                {ranking("Web tier (EC2)", "cheapest-web", &chosen("web_type"), &f.cheapest.web)}
                {ranking("Cache tier (ElastiCache)", "cheapest-cache", &chosen("cache_type"), &f.cheapest.cache)}
                {ranking("Database tier (RDS)", "cheapest-db", &chosen("db_type"), &f.cheapest.db)}
            })
        })
    }
}

/// The bill month by month, stacked by part.
fn bill_by_month(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return ChartData::default();
            };
            let months = &r.fleet_cost.months;
            let part = |name: &str, get: fn(&headroom::cost::plan::BillParts) -> f64| Series {
                name: name.to_string(),
                kind: SeriesKind::Bar,
                points: months
                    .iter()
                    .filter(|m| m.usd_per_month.is_some())
                    .map(|m| (f64::from(m.month), get(&m.parts)))
                    .collect(),
            };
            let series = vec![
                part("web", |p| p.web),
                part("cache", |p| p.cache),
                part("database", |p| p.db),
                part("storage", |p| p.storage),
                part("egress", |p| p.egress),
                part("API Gateway", |p| p.api_gateway),
            ]
            .into_iter()
            .filter(|s| s.points.iter().any(|&(_, y)| y > 0.0))
            .collect();
            ChartData {
                x_name: match r.growth.start {
                    Some(start) => format!("months after {start}"),
                    None => "months after today".to_string(),
                },
                y_name: "USD per month".into(),
                y_format: Format::Usd,
                series,
                stacked: true,
                table_rows: Some(13),
                ..ChartData::default()
            }
        })
    })
}
