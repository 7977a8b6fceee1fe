//! The baseline and the ranges on every page: pin, swap and clear a baseline, the figures that
//! changed from it, and, when some input is a range, each headline figure's percentiles, the plan
//! at the chosen percentile and the tornado of what drives the spread. Everything here is plain
//! links and server-rendered tables, so it works without JavaScript.

use headroom::scenario::{FieldSpec, Scenario, VERSION, VERSION_KEY};
use headroom::uncertainty::{Band, Change, FIGURES, Uncertainty};
use headroom::units::{
    format_bytes, format_bytes_per_second, format_count, format_share, format_usd,
};
use leptos::prelude::*;

use crate::components::table_scroll::table_scroll;
use crate::state::{ScenarioState, use_scenario, with_query};

/// A figure's path in the report and how its numbers are written (`("capacity.web_servers",
/// format_count)`).
pub type FigureOf = (&'static str, Format);

/// `s` without its baseline.
fn without_base(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    // An empty baseline is always allowed.
    let _ = s.set("base", "");
    s
}

/// The text of a baseline: the scenario's canonical query (`v=2` for the defaults).
fn base_text(s: &Scenario) -> String {
    let query = without_base(s).to_query();
    if query.is_empty() {
        format!("{VERSION_KEY}={VERSION}")
    } else {
        query
    }
}

/// The link that pins the scenario shown as the baseline of itself.
fn pin_href(state: ScenarioState) -> String {
    let shown = Scenario::from_query(&state.shown_query()).scenario;
    let mut pinned = shown.clone();
    let _ = pinned.set("base", &base_text(&shown));
    with_query(&state.path.get(), &pinned.to_query())
}

/// The link to the baseline, with the scenario shown as its baseline.
fn swap_href(state: ScenarioState) -> Option<String> {
    let shown = Scenario::from_query(&state.shown_query()).scenario;
    let mut swapped = shown.base()?.clone();
    let _ = swapped.set("base", &base_text(&shown));
    Some(with_query(&state.path.get(), &swapped.to_query()))
}

/// The link to the scenario shown, without its baseline.
fn clear_href(state: ScenarioState) -> String {
    let shown = Scenario::from_query(&state.shown_query()).scenario;
    with_query(&state.path.get(), &without_base(&shown).to_query())
}

/// A signed change in the figure's own format: `+5`, `−1.2 kB`.
fn signed(delta: f64, format: fn(f64) -> String) -> String {
    if delta < 0.0 {
        format!("−{}", format(-delta))
    } else {
        format!("+{}", format(delta))
    }
}

/// `13 → 18, +5, ×1.38`: a figure against the baseline's.
pub fn change_text(c: &Change, format: fn(f64) -> String) -> String {
    let side = |v: Option<f64>| v.map_or_else(|| "—".to_string(), format);
    let mut text = format!("{} → {}", side(c.base), side(c.value));
    if let Some(delta) = c.delta {
        text.push_str(&format!(", {}", signed(delta, format)));
    }
    if let Some(ratio) = c.ratio {
        text.push_str(&format!(", ×{}", format_count(ratio)));
    }
    text
}

/// `P10 12 · P50 15 · P90 19 · mean 15.3`.
pub fn band_text(b: &Band, format: fn(f64) -> String) -> String {
    let v = |x: Option<f64>| x.map_or_else(|| "—".to_string(), format);
    format!(
        "P10 {} · P50 {} · P90 {} · mean {}",
        v(b.p10),
        v(b.p50),
        v(b.p90),
        v(b.mean)
    )
}

/// Under a figure: its change from the baseline and its percentiles over the ranges, when there
/// are any.
#[component]
pub fn FigureNotes(
    /// The figure's path in the report.
    path: &'static str,
    /// How the figure is written.
    format: fn(f64) -> String,
) -> impl IntoView {
    let state = use_scenario();
    let change = move || {
        state.diff.with(|d| {
            let d = d.as_deref()?;
            Some(d.iter().find(|c| c.path == path).map_or_else(
                || "same as the baseline".to_string(),
                |c| change_text(c, format),
            ))
        })
    };
    let band = move || {
        state.sampled.with(|s| {
            s.as_deref()
                .and_then(|s| s.bands.get(path))
                .map(|b| band_text(b, format))
        })
    };
    view! {
        {move || change().map(|t| view! { <p class="figure-delta" data-path=path>{t}</p> })}
        {move || band().map(|t| view! {
            <p class="figure-band" data-path=path class:sampling=move || state.sampling.get()>{t}</p>
        })}
    }
}

/// How a figure's numbers are written.
type Format = fn(f64) -> String;

/// The sampled figures' labels and formats, by path (the order of [`FIGURES`]).
const LABELS: [(&str, &str, Format); FIGURES.len()] = [
    ("capacity.write_qps", "Average writes", rate),
    ("capacity.read_qps", "Average reads", rate),
    (
        "capacity.peak_web_rps",
        "Peak requests at the web tier",
        rate,
    ),
    ("capacity.peak_db_qps", "Peak queries at the database", rate),
    ("capacity.web_servers", "Web servers", format_count),
    ("capacity.cache_nodes", "Cache nodes", format_count),
    ("capacity.db_nodes", "Database nodes", format_count),
    (
        "capacity.queue_partitions",
        "Queue partitions",
        format_count,
    ),
    (
        "capacity.storage_bytes_total",
        "Storage over retention",
        format_bytes,
    ),
    (
        "capacity.peak_egress_bytes_per_second",
        "Peak egress",
        format_bytes_per_second,
    ),
    ("fleet_cost.usd_per_month", "Fleet per month", format_usd),
    (
        "cost.serverless_usd_per_month",
        "Serverless per month",
        format_usd,
    ),
    (
        "cost.instances_usd_per_month",
        "Instances per month",
        format_usd,
    ),
    (
        "availability.error_budget.consumed_fraction",
        "Outage spends of the month's budget",
        format_share,
    ),
    ("availability.burn_rate", "Burn rate", times),
];

/// A rate per second as the pages write it: `11,574/s`.
pub fn rate(x: f64) -> String {
    format!("{}/s", format_count(x))
}

fn times(x: f64) -> String {
    format!("{}×", format_count(x))
}

/// The label and format of a sampled figure.
fn figure_label(path: &str) -> (&'static str, Format) {
    LABELS.iter().find(|(p, _, _)| *p == path).map_or(
        ("", format_count as fn(f64) -> String),
        |&(_, label, format)| (label, format),
    )
}

/// The report shown as JSON, to read figures by their path ([`at`]).
fn shown_json(state: ScenarioState) -> serde_json::Value {
    state.report.with(|r| {
        r.as_deref()
            .and_then(headroom::uncertainty::published)
            .unwrap_or_default()
    })
}

/// The number at `path` (`capacity.web_servers`) of a report's JSON.
fn at(json: &serde_json::Value, path: &str) -> Option<f64> {
    path.split('.').fold(json, |v, key| &v[key]).as_f64()
}

/// Pin, swap and clear the baseline, and the table of what changed from it.
#[component]
pub fn Baseline() -> impl IntoView {
    let state = use_scenario();
    let has_base = move || state.base_report.with(Option::is_some);
    let rows = move || {
        state.diff.with(|d| {
            d.as_deref()
                .map(|d| {
                    d.iter()
                        .map(|c| {
                            let v = |x: Option<f64>| x.map_or_else(|| "—".to_string(), format_count);
                            view! {
                                <tr>
                                    <th scope="row"><code>{c.path.clone()}</code></th>
                                    <td class="num">{v(c.base)}</td>
                                    <td class="num">{v(c.value)}</td>
                                    <td class="num">{c.delta.map(|d| signed(d, format_count)).unwrap_or_default()}</td>
                                    <td class="num">{c.ratio.map(|r| format!("×{}", format_count(r))).unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                })
        })
    };
    let count = move || state.diff.with(|d| d.as_ref().map_or(0, |d| d.len()));
    view! {
        <section class="baseline" id="baseline" aria-label="Baseline">
            <p class="baseline-bar">
                <a class="button secondary" id="pin-baseline" href=move || pin_href(state) rel="nofollow">
                    {move || if has_base() { "Pin this instead" } else { "Pin as baseline" }}
                </a>
                {move || has_base().then(|| view! {
                    <a class="button secondary" id="swap-baseline" href=move || swap_href(state).unwrap_or_default() rel="nofollow">"Swap"</a>
                    <a class="button secondary" id="clear-baseline" href=move || clear_href(state) rel="nofollow">"Clear baseline"</a>
                    <span id="baseline-summary">{move || match count() {
                        0 => "No calculator figure differs from the baseline.".to_string(),
                        1 => "1 calculator figure differs from the baseline.".to_string(),
                        n => format!("{n} calculator figures differ from the baseline."),
                    }}</span>
                })}
            </p>
            {move || (count() > 0).then(|| view! {
                <details class="diff">
                    <summary>"What changed from the baseline"</summary>
                    {table_scroll("What changed from the baseline", "", view! {
                        <table id="diff-table">
                            <thead><tr><th scope="col">"Figure"</th><th scope="col">"Baseline"</th>
                                <th scope="col">"This plan"</th><th scope="col">"Change"</th><th scope="col">"Ratio"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    })}
                </details>
            })}
        </section>
    }
}

/// The ranges: each headline figure's percentiles, the plan at the chosen percentile, and the
/// tornado.
#[component]
pub fn Ranges() -> impl IntoView {
    let state = use_scenario();
    let body = move || {
        state.sampled.with(|sampled| {
            let sampled = sampled.as_deref()?;
            let plan = &sampled.plan;
            let json = shown_json(state);
            let ranges = plan
                .ranges
                .iter()
                .map(|(key, spread)| {
                    let label = FieldSpec::find(key).map_or_else(|| key.to_string(), |f| f.label.to_string());
                    let text = FieldSpec::find(key).map(|f| spread.to_text(f)).unwrap_or_default();
                    view! { <li>{label}": "<code>{text}</code></li> }
                })
                .collect_view();
            let rows = FIGURES
                .iter()
                .filter_map(|path| {
                    let band = sampled.bands.get(path)?;
                    let (label, format) = figure_label(path);
                    let v = |x: Option<f64>| x.map_or_else(|| "—".to_string(), format);
                    Some(view! {
                        <tr>
                            <th scope="row">{label}</th>
                            <td class="num">{v(at(&json, path))}</td>
                            <td class="num">{v(band.p10)}</td>
                            <td class="num">{v(band.p50)}</td>
                            <td class="num">{v(band.p90)}</td>
                            <td class="num">{v(band.mean)}</td>
                        </tr>
                    })
                })
                .collect_view();
            let count = |x: Option<f64>| x.map_or_else(|| "—".to_string(), format_count);
            let at = plan.plan_at.label().split(' ').next().unwrap_or_default();
            Some(view! {
                <section class="ranges" id="ranges" aria-labelledby="ranges-title"
                    class:sampling=move || state.sampling.get()>
                    <h2 id="ranges-title">"Ranges"</h2>
                    <ul class="range-list">{ranges}</ul>
                    <p id="sampled-plan">
                        {format!("Sampled {} times (seed {}). Planned at {at}: ", format_count(f64::from(plan.samples)), plan.seed)}
                        <strong id="plan-web">{count(plan.web_servers)}</strong>" web servers, "
                        <strong id="plan-cache">{count(plan.cache_nodes)}</strong>" cache nodes, "
                        <strong id="plan-db">{count(plan.db_nodes)}</strong>" database nodes."
                    </p>
                    {table_scroll("Each figure over the ranges", "", view! {
                        <table id="uncertainty-table">
                            <caption>"Each figure at the ranges' middles and over the samples"</caption>
                            <thead><tr><th scope="col">"Figure"</th><th scope="col">"At the middles"</th>
                                <th scope="col">"P10"</th><th scope="col">"P50"</th><th scope="col">"P90"</th><th scope="col">"Mean"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    })}
                    {tornado(sampled, &json)}
                </section>
            })
        })
    };
    view! { {body} }
}

/// What drives the spread: for web servers and the monthly fleet bill, each range alone at its
/// P10 and P90, as bars around the figure at the middles.
fn tornado(sampled: &Uncertainty, json: &serde_json::Value) -> impl IntoView + use<> {
    let views = ["capacity.web_servers", "fleet_cost.usd_per_month"]
                .into_iter()
                .map(|figure| {
                    let rows: Vec<_> = sampled
                        .drivers
                        .iter()
                        .filter(|d| d.figure == figure)
                        .collect();
                    let point = at(json, figure).unwrap_or(0.0);
                    let (label, format) = figure_label(figure);
                    let lo = rows
                        .iter()
                        .flat_map(|d| [d.at_p10, d.at_p90])
                        .flatten()
                        .fold(point, f64::min);
                    let hi = rows
                        .iter()
                        .flat_map(|d| [d.at_p10, d.at_p90])
                        .flatten()
                        .fold(point, f64::max);
                    let span = (hi - lo).max(f64::MIN_POSITIVE);
                    let pct = |x: f64| (x - lo) / span * 100.0;
                    let bars = rows
                        .iter()
                        .map(|d| {
                            let label = FieldSpec::find(&d.field).map_or(d.field.as_str(), |f| f.label).to_string();
                            let (a, b) = (d.at_p10.unwrap_or(point), d.at_p90.unwrap_or(point));
                            let (left, right) = (a.min(b), a.max(b));
                            let style = format!(
                                "left:{:.2}%;width:{:.2}%",
                                pct(left),
                                (pct(right) - pct(left)).max(0.5)
                            );
                            let text = format!("{} at P10, {} at P90", format(a), format(b));
                            view! {
                                <li>
                                    <span class="tornado-label">{label}</span>
                                    <span class="tornado-track"><span class="tornado-bar" style=style></span></span>
                                    <span class="tornado-values num">{text}</span>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <figure class="tornado" data-figure=figure>
                            <figcaption>{format!("What moves {label} most (at the middles: {})", format(point))}</figcaption>
                            <ol>{bars}</ol>
                        </figure>
                    }
                })
                .collect_view();
    view! { <h3>"What drives the spread"</h3>{views} }
}
