//! `/`: the whole scenario at a glance, with the headline number of every calculator, presets,
//! and what the tool does.

use headroom::scenario::PRESETS;
use headroom::units::{format_bytes, format_count, format_duration, format_percent, format_usd};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::Results;
use crate::components::metric::{Metric, explain};
use crate::pages::cost::crossover_text;
use crate::state::{use_scenario, with_query};

/// The overview page.
#[component]
pub fn Home() -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);
    let current_query = move || state.canonical_query();
    let presets = PRESETS
        .iter()
        .map(|p| {
            let active = move || current_query() == p.query;
            view! {
                <li>
                    <a href=with_query("/capacity", p.query) class="preset" aria-current=move || active().then_some("true")>
                        <strong>{p.name}</strong>
                        <span>{p.description}</span>
                    </a>
                </li>
            }
        })
        .collect_view();

    view! {
        <Title text="Headroom: capacity, availability and cost" />
        <h1>"Size it before you build it"</h1>
        <p class="lede">
            "Headroom turns daily users into requests per second, servers, storage and bandwidth;
            an availability target into downtime and back; and a workload into its serverless
            and always-on bills. Every figure shows its formula, every scenario lives in its URL,
            and the numbers are the same in your browser, on the server and in the JSON export."
        </p>
        <Results>
            <section class="overview">
                <a class="card-link" href=move || state.href("/capacity")>
                    <h2>"Capacity →"</h2>
                </a>
                <div class="metrics">
                    <Metric id="peak-qps" label="Peak requests" primary=true
                        value=figure(|r| format!("{}/s", format_count(r.capacity.peak_web_rps)))
                        note=figure(|r| format!("{} reads + {} writes per second at peak",
                            format_count(r.capacity.peak_read_qps), format_count(r.capacity.peak_write_qps))) />
                    <Metric id="servers" label="Servers"
                        value=figure(|r| format!("{} web · {} cache · {} db",
                            r.capacity.web_servers, r.capacity.cache_nodes, r.capacity.db_nodes))
                        trace=explain("capacity.web_servers") />
                    <Metric id="storage" label="Storage per year"
                        value=figure(|r| format_bytes(r.capacity.storage_bytes_per_year))
                        trace=explain("capacity.storage_bytes_per_year") />
                </div>
                <a class="card-link" href=move || state.href("/availability")>
                    <h2>"Availability →"</h2>
                </a>
                <div class="metrics">
                    <Metric id="slo-downtime" label="Downtime allowed" primary=true
                        value=figure(|r| format!("{} a year", format_duration(r.availability.downtime_seconds.year)))
                        note=figure(|r| format!("{} a month at {}",
                            format_duration(r.availability.downtime_seconds.month),
                            format_percent(r.availability.slo_percent)))
                        trace=explain("availability.downtime_seconds.year") />
                    <Metric id="composite-overview" label="Your tiers in series"
                        value=figure(|r| headroom::units::format_availability(r.availability.composite.availability_percent))
                        trace=explain("availability.composite.availability_percent") />
                </div>
                <a class="card-link" href=move || state.href("/cost")>
                    <h2>"Cost →"</h2>
                </a>
                <div class="metrics">
                    <Metric id="cost-overview" label="Serverless vs instances" primary=true
                        value=figure(|r| format!("{} vs {}",
                            format_usd(r.cost.serverless_usd_per_month), format_usd(r.cost.instances_usd_per_month)))
                        note=figure(|_| "per month".to_string()) />
                    <Metric id="crossover-overview" label="Crossover"
                        value=figure(|r| crossover_text(r.cost.crossover_requests_per_month))
                        trace=explain("cost.crossover_requests_per_month") />
                </div>
            </section>
        </Results>
        <section class="presets" aria-labelledby="presets-title">
            <h2 id="presets-title">"Start from a preset"</h2>
            <ul>{presets}</ul>
        </section>
    }
}
