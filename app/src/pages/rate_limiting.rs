//! `/rate-limiting`: the chapter's five algorithms and GCRA on the same seeded traffic of one
//! client key: what each admits and rejects, the fixed window's 2× at a boundary, the state each
//! keeps, the headers a client sees, and how far local counters over-admit behind a load balancer.

mod charts;
mod tables;

use headroom::ratelimit::{
    AlgorithmRun, DistributedRun, RateAlgorithm, RateLimitConfig, RateLimitRun,
    distributed_over_admission, simulate,
};
use headroom::scenario::Group;
use headroom::units::{format_count, format_duration};
use leptos::prelude::*;

use crate::components::metric::Metric;

use crate::components::chart::Chart;
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::state::last_valid::last_valid_run;
use crate::state::shown::{Shown, failure};
use crate::state::use_scenario;

const SECTIONS: &[Section] = &[Section {
    title: "Limit, traffic and servers",
    group: Group::RateLimit,
}];

/// One page's runs: every algorithm on the traffic, the distributed case, and the limit.
struct Runs {
    run: RateLimitRun,
    distributed: DistributedRun,
    limits: RateLimitConfig,
}

fn algorithm(runs: &Runs, which: RateAlgorithm) -> Option<&AlgorithmRun> {
    runs.run.algorithms.iter().find(|a| a.algorithm == which)
}

fn worst_window(runs: &Runs, which: RateAlgorithm) -> String {
    algorithm(runs, which).map_or("—".into(), |a| {
        format_count(a.max_admitted_in_window as f64)
    })
}

fn times_limit(count: u64, limit: u64) -> String {
    format!(
        "{}× the limit",
        format_count(count as f64 / limit.max(1) as f64)
    )
}

/// The rate-limiting simulator.
#[component]
pub fn RateLimiting() -> impl IntoView {
    let state = use_scenario();
    let runs = last_valid_run(
        move || {
            state.parsed.with(|p| {
                let s = &p.scenario;
                (
                    s.rate_limits(),
                    s.rate_limit_traffic(),
                    s.rate_limit_distributed(),
                )
            })
        },
        |(limits, traffic, distributed)| {
            Ok(Runs {
                run: simulate(limits, traffic).map_err(|e| e.to_string())?,
                distributed: distributed_over_admission(distributed).map_err(|e| e.to_string())?,
                limits: *limits,
            })
        },
    );
    let figure = move |f| runs.figure(f);
    let chart = move |f| runs.chart(f);
    let section = move |f| runs.part(f);

    view! {
        <Page heading="Rate limiting" sections=SECTIONS
            lede="One limit, “so many requests per window, bursts of so many”, enforced six ways on the
            same seeded requests of one client: the chapter's five algorithms and GCRA. Try the
            window-boundary traffic to see the fixed window let twice the limit through.">
                {failure(runs, "rl-error")}
                <div class="metrics">
                    <Metric id="rl-requests" label="Requests sent"
                        value=figure(|r| format_count(r.run.requests as f64))
                        note=figure(|r| format!("over {}; limit {} per {}", format_duration(r.run.duration_s),
                            format_count(r.limits.limit as f64), format_duration(r.limits.window_s))) />
                    <Metric id="rl-fixed-worst" label="Fixed window, worst window" primary=true
                        value=figure(|r| worst_window(r, RateAlgorithm::FixedWindow))
                        note=figure(|r| algorithm(r, RateAlgorithm::FixedWindow)
                            .map_or(String::new(), |a| times_limit(a.max_admitted_in_window, r.limits.limit)))
                        trace=figure(|r| RateLimitRun::fixed_window_trace(&r.limits)) />
                    <Metric id="rl-log-worst" label="Sliding log, worst window"
                        value=figure(|r| worst_window(r, RateAlgorithm::SlidingWindowLog))
                        note=figure(|r| algorithm(r, RateAlgorithm::SlidingWindowLog)
                            .map_or(String::new(), |a| times_limit(a.max_admitted_in_window, r.limits.limit)))
                        trace=figure(|_| RateLimitRun::sliding_log_trace()) />
                    <Metric id="rl-token-burst" label="Token bucket, largest burst"
                        value=figure(|r| algorithm(r, RateAlgorithm::TokenBucket).map_or("—".into(), |a| format_count(a.largest_burst as f64)))
                        note=figure(|r| format!("admitted within {}", format_duration(r.run.burst_interval_s)))
                        trace=figure(|r| r.run.token_burst_trace(&r.limits)) />
                    <Metric id="rl-over-admission" label="Local counters over-admit" primary=true
                        value=figure(|r| format!("{}×", format_count(r.distributed.over_admission_factor)))
                        note=figure(|r| format!("{} servers: {} admitted locally, {} with one shared counter",
                            r.distributed.local_full.admitted_per_server.len(),
                            format_count(r.distributed.local_full.admitted as f64),
                            format_count(r.distributed.shared.admitted as f64)))
                        trace=figure(|r| r.distributed.over_admission_trace()) />
                </div>
                <h2>"Six algorithms, the same requests"</h2>
                {section(|r| tables::algorithms(&r.run, &r.limits).into_any())}
                // One chart per row: their legends (up to five algorithms) need the width.
                <div class="charts wide">
                    <Chart id="chart-rl-admitted" caption="Requests sent and admitted so far, every algorithm (the gap to “sent” is what was rejected)" data=chart(|r| charts::admitted(&r.run)) />
                    <Chart id="chart-rl-rejected" caption="Requests rejected (429) so far, every algorithm" data=chart(|r| charts::rejected(&r.run)) />
                </div>
                <h2>"The same setting in nginx, Redis, governor and Go"</h2>
                {section(|r| tables::real_systems(&r.limits).into_any())}
                <h2>"What a client sees"</h2>
                {section(|r| tables::headers(&r.run).into_any())}
                <h2>"Behind a load balancer"</h2>
                <p class="aside">
                    "The same client, Poisson at the request rate, spread over the servers. With local
                    counters each server allows the whole limit, so the client gets up to servers × limit;
                    one shared counter (the chapter's Redis script, a fixed window) keeps the promise.
                    Splitting the limit between servers under-admits when routing is uneven."
                </p>
                {section(|r| tables::distributed(&r.distributed, r.limits.limit).into_any())}
                <div class="charts">
                    <Chart id="chart-rl-distributed" caption="Admitted per server: one shared counter against local counters" data=chart(|r| charts::distributed(&r.distributed)) />
                </div>
                <h2>"Complexity"</h2>
                {tables::complexity()}
        </Page>
    }
}
