//! `/load-balancing`: the chapter's algorithms (and three it cites) side by side on the same
//! seeded requests to heterogeneous servers: load and utilization per server, response-time
//! percentiles, imbalance, and how many keys move when the cluster changes.
//!
//! All ten algorithms rerun on every change, so the page simulates 20,000 requests by default
//! (about a fifth of the core's 100,000-request budget) to keep typing smooth in the browser;
//! the `lb_requests` field raises it, up to 200,000. Key movement depends only on the number of
//! servers and virtual nodes, so it is recomputed only when those change.

mod charts;
mod tables;

use headroom::loadbalance::{
    Algorithm, LbConfig, LbRun, ServerStats, compare_all, key_movement_by_placement, p99_extremes,
};
use headroom::scenario::{Group, MAGLEV_TABLE, MOVEMENT_KEYS};
use headroom::units::{format_count, format_duration};
use leptos::prelude::*;

use crate::components::metric::Metric;

use crate::components::chart::Chart;
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::pages::queueing::percent;
use crate::state::last_valid::last_valid_run;
use crate::state::shown::{Shown, failure};
use crate::state::use_scenario;

const SECTIONS: &[Section] = &[Section {
    title: "Servers and requests",
    group: Group::LoadBalance,
}];

/// Every algorithm's run and the workload they shared.
struct Runs {
    runs: Vec<LbRun>,
    config: LbConfig,
}

impl Runs {
    fn of(&self, algorithm: Algorithm) -> Option<&LbRun> {
        self.runs.iter().find(|r| r.algorithm == algorithm)
    }
}

/// The load-balancing simulator.
#[component]
pub fn LoadBalancing() -> impl IntoView {
    let state = use_scenario();
    // The first run comes with the page: the server runs the ten algorithms for the page's
    // scenario and hands the runs to the browser with the hydration data, so a phone does not
    // repeat them before the page answers (about three quarters of hydrating this page on a
    // mid-range phone; BENCHMARKS.md "Lighthouse"). Every later change runs in the browser.
    // The runs are paired with the configuration the browser reads from the same URL the server
    // rendered (as the whole hydration is); sending the server's configuration along to compare
    // cost 7 KB of gzip WASM for its deserializer. Typing before hydration changes the
    // configuration, and the browser then runs its own.
    let first_config = state.parsed.with_untracked(|p| p.scenario.lb_config());
    let first = {
        let config = first_config.clone();
        SharedValue::new(move || compare_all(&config).map_err(|e| e.to_string())).into_inner()
    };
    let seed = StoredValue::new(Some((first_config, first)));
    let runs = last_valid_run(
        move || state.parsed.with(|p| p.scenario.lb_config()),
        move |config| {
            let seeded = seed
                .try_update_value(|s| s.take_if(|(c, _)| c == config))
                .flatten();
            let runs = match seeded {
                Some((_, runs)) => runs,
                None => compare_all(config).map_err(|e| e.to_string()),
            };
            Ok(Runs {
                runs: runs?,
                config: config.clone(),
            })
        },
    );
    let moved = last_valid_run(
        move || {
            state.parsed.with(|p| {
                let s = &p.scenario;
                (s.lb_servers().len(), s.lb_config().vnodes)
            })
        },
        |&(servers, vnodes)| {
            Ok::<_, String>(key_movement_by_placement(
                servers,
                vnodes,
                MAGLEV_TABLE,
                MOVEMENT_KEYS,
            ))
        },
    );
    let figure = move |f| runs.figure(f);
    let chart = move |f| runs.chart(f);
    let moved_text = move |key: &'static str| {
        Signal::derive(move || {
            moved.with(|m| {
                m.as_ref()
                    .ok()
                    .and_then(|m| m.iter().find(|x| x.key == key))
                    .and_then(|x| x.add)
                    .map_or("—".to_string(), percent)
            })
        })
    };
    let tables = move |f| runs.part(f);

    view! {
        <Page heading="Load balancing" sections=SECTIONS
            lede="The chapter's balancing algorithms, plus power of two choices, consistent hashing and
            Maglev, each routing the same seeded requests to the same servers: servers with their
            own weight, speed and workers, requests whose durations can be heavy-tailed, clients
            that can stick. Which one keeps the tail short, and which one spreads the load?">
                {failure(runs, "lb-error")}
                <div class="metrics">
                    <Metric id="lb-offered" label="Offered load"
                        value=figure(|r| percent(r.config.offered_load().utilization))
                        note=figure(|r| format!("of {} servers' capacity", r.config.servers.len()))
                        trace=figure(|r| r.config.offered_load().trace(&r.config)) />
                    <Metric id="lb-best-p99" label="Shortest p99" primary=true
                        value=figure(|r| p99_extremes(&r.runs).shortest.map_or("—".into(), |b| format_duration(b.response.p99_s)))
                        note=figure(|r| p99_extremes(&r.runs).shortest.map_or(String::new(), |b| b.algorithm.name().to_string())) />
                    <Metric id="lb-worst-p99" label="Longest p99"
                        value=figure(|r| p99_extremes(&r.runs).longest.map_or("—".into(), |w| format_duration(w.response.p99_s)))
                        note=figure(|r| p99_extremes(&r.runs).longest.map_or(String::new(), |w| w.algorithm.name().to_string())) />
                    <Metric id="lb-rr-busiest" label="Round robin, busiest server"
                        value=figure(|r| percent(r.of(Algorithm::RoundRobin).map_or(0.0, LbRun::busiest_utilization)))
                        note=figure(|r| format!("{} with weighted least connections", percent(r.of(Algorithm::WeightedLeastConnections).map_or(0.0, LbRun::busiest_utilization))))
                        trace=figure(|_| ServerStats::utilization_trace()) />
                    <Metric id="lb-move-add" label="Adding a server moves" primary=true
                        value=moved_text("modulo")
                        note=Signal::derive(move || format!("of keys with modulo; {} with consistent hashing, {} with Maglev",
                            moved_text("ring").get(), moved_text("maglev").get())) />
                </div>
                <p class="aside" id="lb-requests-note">{move || state.parsed.with(|p| format!(
                    "{} requests ({} of traffic). The page simulates 20,000 by default so that all ten \
                     algorithms rerun as you type (about 30 ms a change in the browser); 100,000 tightens the \
                     p99 and takes about four times as long.",
                    format_count(p.scenario.lb_requests()),
                    format_duration(p.scenario.lb_requests() / p.scenario.lb_rate())))}</p>
                <h2>"Response time and balance"</h2>
                {tables(|r| tables::algorithms(&r.runs).into_any())}
                // One chart per row: four algorithm names in a legend need the width.
                <div class="charts wide">
                    <Chart id="chart-lb-latency" caption="Response-time percentiles of every algorithm on the same requests" data=chart(|r| charts::latency(&r.runs)) />
                    <Chart id="chart-lb-utilization" caption="Utilization per server under four contrasting algorithms" data=chart(|r| charts::utilization(&r.runs, &r.config.servers)) />
                </div>
                <h2>"Load per server"</h2>
                {tables(|r| tables::per_server(&r.runs, &r.config.servers).into_any())}
                <h2>"Keys that move"</h2>
                {move || moved.with(|m| m.as_ref().ok().map(|m| {
                    let servers = state.parsed.with(|p| p.scenario.lb_servers().len());
                    tables::movement(m, servers).into_any()
                }))}
                <div class="charts">
                    <Chart id="chart-lb-movement" caption="Share of keys that change server when one is added or removed"
                        data=Signal::derive(move || moved.with(|m| m.as_ref().map(|m| charts::movement(m)).unwrap_or_default())) />
                </div>
                <h2>"Complexity"</h2>
                {tables::complexity()}
        </Page>
    }
}
