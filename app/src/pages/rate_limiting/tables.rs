//! The tables of `/rate-limiting`: the six algorithms side by side, the headers a client sees,
//! the distributed case, and the chapter's complexity table.

use headroom::ratelimit::{
    COMPLEXITY, DistributedRun, RateLimitConfig, RateLimitRun, counterparts,
};
use headroom::units::{format_count, format_duration};
use leptos::prelude::*;

use crate::components::complexity_table::ComplexityTable;
use crate::components::table_scroll::table_scroll;

/// Admitted, rejected, bursts, worst window, state and delay of every algorithm.
pub fn algorithms(run: &RateLimitRun, limits: &RateLimitConfig) -> impl IntoView + use<> {
    let window = format_duration(limits.window_s);
    let burst_span = format_duration(run.burst_interval_s);
    let rows = run
        .algorithms
        .iter()
        .map(|a| {
            let key = a.algorithm.key();
            let over = a.max_admitted_in_window > limits.limit;
            view! {
                <tr>
                    <th scope="row">{a.algorithm.name()}</th>
                    <td class="num" id=format!("rl-{key}-admitted")>{format_count(a.admitted as f64)}</td>
                    <td class="num" id=format!("rl-{key}-rejected")>{format_count(a.rejected as f64)}</td>
                    <td class="num" id=format!("rl-{key}-burst")>{format_count(a.largest_burst as f64)}</td>
                    <td class="num" class:over=over id=format!("rl-{key}-window")>
                        {format_count(a.max_admitted_in_window as f64)}
                    </td>
                    <td class="num" id=format!("rl-{key}-state")>{format_count(a.state_words_peak as f64)}</td>
                    <td class="num">{format_duration(a.mean_delay_s)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {table_scroll("Limiters compared", "", view! {
            <table class="data sim" id="rl-table">
                <thead><tr>
                    <th scope="col">"Algorithm"</th><th scope="col">"Admitted"</th><th scope="col">"Rejected"</th>
                    <th scope="col">"Largest burst in "{burst_span}</th>
                    <th scope="col">"Most in any "{window}</th>
                    <th scope="col">"State (64-bit words, peak)"</th>
                    <th scope="col">"Mean delay"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
                <caption>{format!(
                    "Most in any window: admitted in the worst stretch of one window's length, against the limit of {}; \
                     above it (marked) the algorithm let through more than “{} per {}” promises.",
                    format_count(limits.limit as f64), format_count(limits.limit as f64), format_duration(limits.window_s))}
                </caption>
            </table>
        })}
    }
}

/// The response headers each algorithm would send at `run.headers_at_s`.
pub fn headers(run: &RateLimitRun) -> impl IntoView + use<> {
    let at = run.headers_at_s;
    let rows = run
        .algorithms
        .iter()
        .map(|a| {
            let lines = a.headers.header_lines();
            let value = |name: &str| {
                lines
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("—".to_string(), |(_, v)| v.clone())
            };
            let key = a.algorithm.key();
            view! {
                <tr>
                    <th scope="row">{a.algorithm.name()}</th>
                    <td class="num" id=format!("rl-{key}-status")>{a.headers.status()}</td>
                    <td class="num">{value("X-RateLimit-Limit")}</td>
                    <td class="num" id=format!("rl-{key}-remaining")>{value("X-RateLimit-Remaining")}</td>
                    <td class="num" id=format!("rl-{key}-reset")>{value("X-RateLimit-Reset")}</td>
                    <td class="num">{value("Retry-After")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {table_scroll("Rate-limit headers each limiter sends", "", view! {
            <table class="data sim" id="rl-headers">
                <thead><tr>
                    <th scope="col">"Algorithm"</th><th scope="col">"Status"</th><th scope="col">"X-RateLimit-Limit"</th>
                    <th scope="col">"-Remaining"</th><th scope="col">"-Reset"</th><th scope="col">"Retry-After"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
                <caption>{format!(
                    "At {} into the run. Reset is in seconds until the full allowance is back, as Headroom's own API, \
                     redis-cell and the IETF RateLimit header draft send it (GitHub sends a Unix time instead); \
                     Retry-After is in seconds and is sent only with a 429. The bucket algorithms report their capacity as the limit.",
                    format_duration(at))}
                </caption>
            </table>
        })}
    }
}

/// Shared counter against local counters, per server.
pub fn distributed(run: &DistributedRun, limit: u64) -> impl IntoView + use<> {
    let per_server = |v: &[u64]| {
        let shown: Vec<String> = v.iter().take(8).map(|x| format_count(*x as f64)).collect();
        let more = if v.len() > 8 { " …" } else { "" };
        format!("{}{more}", shown.join(" + "))
    };
    let row = |name: String, id: &'static str, m: &headroom::ratelimit::ModeResult| {
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td class="num" id=id>{format_count(m.admitted as f64)}</td>
                <td class="num">{per_server(&m.admitted_per_server)}</td>
                <td class="num" class:over={m.max_admitted_in_window > limit}>{format_count(m.max_admitted_in_window as f64)}</td>
            </tr>
        }
    };
    view! {
        {table_scroll("One shared counter against local counters", "", view! {
            <table class="data sim" id="rl-distributed">
                <thead><tr>
                    <th scope="col">"Counting"</th><th scope="col">"Admitted"</th>
                    <th scope="col">"Per server"</th><th scope="col">"Most in any window"</th>
                </tr></thead>
                <tbody>
                    {row("One shared counter (Redis INCR)".to_string(), "rl-dist-shared", &run.shared)}
                    {row(format!("Local, each allowing {}", format_count(limit as f64)), "rl-dist-local", &run.local_full)}
                    {row(format!("Local, each allowing {} (limit ÷ servers)", format_count(run.split_limit as f64)), "rl-dist-split", &run.local_split)}
                </tbody>
            </table>
        })}
    }
}

/// The real systems each algorithm stands for, configured as the user's setting.
pub fn real_systems(limits: &RateLimitConfig) -> impl IntoView + use<> {
    let rows = counterparts(limits)
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            view! {
                <tr>
                    <th scope="row">{c.algorithm.name()}</th>
                    <td>{c.system}</td>
                    <td><code id=format!("rl-real-{}-{i}", c.algorithm.key())>{c.config}</code></td>
                    <td>{c.note}{(!c.exact).then_some(" (nearest, not exact)")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {table_scroll("Limiters of real systems", "", view! {
            <table class="data sim" id="rl-real">
                <thead><tr>
                    <th scope="col">"Algorithm"</th><th scope="col">"Real system"</th>
                    <th scope="col">"Your setting there"</th><th scope="col">"Mapping and differences"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
                <caption>
                    "Type your nginx or Redis settings above to get your system's behaviour: nginx burst=N and redis-cell \
                     max_burst N are a bucket size of N + 1; nginx with nodelay decides as the token bucket and GCRA, \
                     without nodelay it queues as the leaky bucket. Where real systems differ, the choices above pick one."
                </caption>
            </table>
        })}
    }
}

/// The chapter's complexity table, with the GCRA row marked as added.
pub fn complexity() -> impl IntoView {
    view! {
        <ComplexityTable id="rl-complexity" table=COMPLEXITY
            caption="The chapter's section 5 table (n = requests in the window), and GCRA." />
    }
}
