//! Observed traffic on `/capacity` and `/autoscaling`: import a file (drop, choose or paste),
//! see what it says, and size or replay from it.
//!
//! With JavaScript the file is read in the browser by the same core as the server's
//! (`headroom::traffic`), and its figures go into the `obs` field, so the link carries them; the
//! series itself stays in the page (its chart is drawn only here). Without JavaScript the form
//! posts the pasted text to `POST /traffic/import`, which answers with a redirect to this page
//! with `obs` set, or with the text and what is wrong with it.

mod charts;
pub mod read;
#[cfg(feature = "hydrate")]
pub mod worker;

use headroom::report::{ObservedSection, Report};
use headroom::traffic::ValueKind;
use headroom::units::{format_count, format_duration};
use leptos::prelude::*;

use crate::components::chart::Chart;
use crate::components::metric::{Metric, explain};
use crate::state::{ScenarioState, use_fields_setter, use_scenario, with_query};
use charts::{day_chart, series_chart, week_chart};
use read::Read;

/// Where the form posts without JavaScript.
pub const IMPORT_PATH: &str = "/traffic/import";

fn rate(x: f64) -> String {
    format!("{}/s", format_count(x))
}

fn observed(r: &Report) -> Option<&ObservedSection> {
    r.observed.as_ref()
}

/// What an import in this page found, beside the figures: the series for its chart and the
/// rows skipped, or why the file was refused.
#[derive(Clone, Default)]
struct Session {
    read: Option<Read>,
    error: Option<String>,
    /// The read was done by the worker, off the page's thread (shown to tests as
    /// `data-thread`).
    in_worker: bool,
}

/// The import form and, once there is observed traffic, its figures and charts. `replay`: on
/// `/autoscaling`, an import also switches the simulator's traffic to the observed week (or
/// day).
#[component]
pub fn ObservedTraffic(#[prop(optional)] replay: bool) -> impl IntoView {
    let state = use_scenario();
    let session = RwSignal::new(Session::default());
    let pasted = RwSignal::new(String::new());
    let values = RwSignal::new(String::new());
    let step = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // Each import's number: an answer that arrives after a newer import started is dropped.
    let imports = StoredValue::new(0u64);
    let return_to = move || with_query(&state.path.get(), &encode_query(&state));

    let set_fields = use_fields_setter();
    let show = {
        let set_fields = set_fields.clone();
        move |(answer, in_worker): (Result<Read, String>, bool)| match answer {
            Ok(read) => {
                let mut pairs = vec![("obs", read.obs.as_str())];
                if replay && let Some(pattern) = &read.replay {
                    pairs.push(("as_pattern", pattern.as_str()));
                }
                set_fields(&pairs);
                session.set(Session {
                    read: Some(read),
                    error: None,
                    in_worker,
                });
            }
            Err(error) => session.set(Session {
                read: None,
                error: Some(error),
                in_worker,
            }),
        }
    };
    // The file or the pasted text is read off the page's thread ([`worker`]); a file is handed
    // over unread.
    #[cfg(feature = "hydrate")]
    let import = move |file: Option<web_sys::File>| {
        let show = show.clone();
        let number = imports.get_value() + 1;
        imports.set_value(number);
        busy.set(true);
        let source = match file {
            Some(file) => worker::Source::File(file),
            None => worker::Source::Text(pasted.get_untracked()),
        };
        leptos::task::spawn_local(async move {
            let answer =
                worker::read_off_thread(source, &values.get_untracked(), &step.get_untracked())
                    .await;
            if imports.get_value() == number {
                show(answer);
                busy.set(false);
            }
        });
    };
    #[cfg(feature = "hydrate")]
    let on_file = {
        let import = import.clone();
        move |ev: leptos::ev::Event| {
            if let Some(file) = crate::browser::take_chosen_file(&ev) {
                import(Some(file));
            }
        }
    };
    #[cfg(feature = "hydrate")]
    let on_drop = {
        let import = import.clone();
        move |ev: leptos::ev::DragEvent| {
            if let Some(file) = crate::browser::dropped_file(&ev) {
                import(Some(file));
            }
        }
    };
    #[cfg(feature = "hydrate")]
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        import(None);
    };
    // The server renders the panel and never runs its handlers.
    #[cfg(not(feature = "hydrate"))]
    let (on_file, on_drop, on_submit) = {
        let _ = show;
        (
            |_: leptos::ev::Event| {},
            |_: leptos::ev::DragEvent| {},
            |_: leptos::ev::SubmitEvent| {},
        )
    };
    let remove = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let mut pairs = vec![("obs", "")];
        if replay {
            pairs.push(("as_pattern", ""));
        }
        set_fields(&pairs);
        imports.update_value(|n| *n += 1);
        busy.set(false);
        session.set(Session::default());
    };
    let has_obs = move || state.parsed.with(|p| p.scenario.obs().is_some());
    let remove_href = move || {
        let set: &[(&str, &str)] = if replay {
            &[("obs", ""), ("as_pattern", "")]
        } else {
            &[("obs", "")]
        };
        with_query(&state.path.get(), &state.query_with_all(set))
    };

    view! {
        <section class="observed" aria-labelledby="observed-heading">
            <h2 id="observed-heading">"Observed traffic"</h2>
            <p class="aside">"Plan from what your service really served: a load balancer's request
                count per interval (CSV of time and value), a Prometheus range query's JSON, or a
                column of numbers. The figures and the average day go into the link; the series
                stays in this page."</p>
            <form class="observed-import" id="obs-form" method="post" action=IMPORT_PATH
                on:submit=on_submit>
                <input type="hidden" name="return" value=return_to />
                <div class="drop-zone js-only" id="obs-drop"
                    on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
                    on:drop=on_drop>
                    <label for="obs-file">"Drop a file here or choose one"</label>
                    <input type="file" id="obs-file" accept=".csv,.tsv,.txt,.json,text/csv,application/json,text/plain"
                        on:change=on_file />
                </div>
                <label for="obs-text">"…or paste it"</label>
                <textarea id="obs-text" name="traffic" rows="5" spellcheck="false" autocomplete="off"
                    placeholder="timestamp,requests\n2026-11-02 00:00:00,1520\n2026-11-02 00:05:00,1610"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                <div class="observed-options">
                    <label for="obs-values">"Values are"</label>
                    <select id="obs-values" name="values" on:change=move |ev| values.set(event_target_value(&ev))>
                        <option value="" selected=true>"Counts for CSV, rates for Prometheus"</option>
                        {ValueKind::ALL.into_iter().map(|v| view! { <option value=v.key()>{v.label()}</option> }).collect_view()}
                    </select>
                    <label for="obs-step">"Step of a plain column, s"</label>
                    <input type="text" id="obs-step" name="step" inputmode="decimal" placeholder="e.g. 300"
                        prop:value=move || step.get() on:input=move |ev| step.set(event_target_value(&ev)) />
                    <button type="submit" id="obs-import">{move || if busy.get() { "Reading…" } else { "Import" }}</button>
                    {move || {
                        let remove = remove.clone();
                        has_obs().then(move || view! {
                            <a class="button secondary" id="obs-remove" href=remove_href on:click=remove>"Remove the import"</a>
                        })
                    }}
                </div>
                <p class="field-error" id="obs-error" role="alert">{move || session.with(|s| s.error.clone())}</p>
                {move || session.with(|s| s.read.as_ref().map(|r| findings_view(r, s.in_worker)))}
            </form>
            {move || has_obs().then(|| view! { <ObservedFigures replay session /> })}
        </section>
    }
}

/// What the imported traffic says: its figures, how the plan uses it, and its charts (the
/// series' chart while this page holds the series).
#[component]
fn ObservedFigures(replay: bool, session: RwSignal<Session>) -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);
    view! {
        <div class="metrics">
            <Metric id="obs-points" label="Points"
                value=figure(|r| observed(r).map_or_else(String::new, |o| format_count(o.figures.points as f64)))
                note=figure(|r| observed(r).map_or_else(String::new, |o| format!("every {}, {} to {} UTC",
                    format_duration(o.figures.step_seconds), minute(&o.figures.start), minute(&o.figures.end))))/>
            <Metric id="obs-mean" label="Mean" primary=true
                value=figure(|r| observed(r).map_or_else(String::new, |o| rate(o.figures.mean_per_second)))
                note=figure(|r| observed(r).map_or_else(String::new, |o| format!("median {}", rate(o.figures.p50_per_second))))
                trace=explain("observed.mean_per_second") />
            <Metric id="obs-max" label="Highest" primary=true
                value=figure(|r| observed(r).map_or_else(String::new, |o| rate(o.figures.max_per_second)))
                note=figure(|r| observed(r).map_or_else(String::new, |o| format!("p95 {}, p99 {}",
                    rate(o.figures.p95_per_second), rate(o.figures.p99_per_second))))
                trace=explain("observed.p99_per_second") />
            <Metric id="obs-peak-factor" label="Observed peak factor"
                value=figure(|r| observed(r).map_or_else(String::new, |o| format!("{}×", format_count(o.figures.peak_factor))))
                note=figure(|r| observed(r).map_or_else(String::new, |o| format!("p99 / mean {}×; you guessed {}×",
                    format_count(o.figures.p99_peak_factor), format_count(o.guessed_peak_factor))))
                trace=explain("observed.peak_factor") />
            <Metric id="obs-trend" label="Trend"
                value=figure(|r| observed(r).map_or_else(String::new, |o| o.figures.trend_per_month
                    .map_or("—".into(), |g| format!("{} a month", signed_percent(g)))))
                note=figure(|r| observed(r).map_or_else(String::new, |o| if o.figures.trend_per_month.is_some() {
                    "least squares on log rate".into()
                } else {
                    "needs two weeks of data".into()
                }))
                trace=explain("observed.trend_per_month") />
            <Metric id="obs-busiest" label="Busiest"
                value=figure(|r| observed(r).map_or_else(String::new, busiest_text))
                note=figure(|_| "hour of the day and day of the week, UTC".into()) />
        </div>
        {if replay {
            view! { <p class="aside" id="obs-replay">"With the traffic set to “Observed traffic (its
                average week)”, the HPA runs on this average day (UTC, from midnight) slot by
                slot, each day scaled by its weekday's mean over the week's, Monday first; “its
                average day” repeats the day alike. Choose another pattern above to compare."</p> }.into_any()
        } else {
            view! { <p class="aside" id="obs-sizing">{figure(|r| observed(r).map_or_else(String::new, sizing_text))}</p> }.into_any()
        }}
        <div class="charts">
            {move || session.with(|s| s.read.is_some()).then(|| view! {
                <Chart id="chart-obs-series" caption="The imported series, with its median, p95 and p99 (each drawn point is the highest of its stretch)"
                    data=series_chart(state, session) />
            })}
            <Chart id="chart-obs-day" caption="The average day (UTC), as the link carries it" data=day_chart(state) />
            <Chart id="chart-obs-week" caption="The average week (UTC)" data=week_chart(state) />
        </div>
    }
}

/// A growth as `+5.2%` or `-20.5%`: a fit's slope is good to a tenth of a percent at best.
fn signed_percent(g: f64) -> String {
    let p = format!("{}%", headroom::units::format_number(g * 100.0, 1));
    if g > 0.0 { format!("+{p}") } else { p }
}

/// `2014-04-10T00:04:00Z` as `2014-04-10 00:04`.
fn minute(timestamp: &str) -> String {
    timestamp.get(..16).unwrap_or(timestamp).replace('T', " ")
}

fn busiest_text(o: &ObservedSection) -> String {
    match (o.figures.busiest_hour_utc, o.figures.busiest_day.as_deref()) {
        (Some(h), Some(d)) => format!("{h:02}:00, {d}"),
        (Some(h), None) => format!("{h:02}:00"),
        (None, Some(d)) => d.to_string(),
        (None, None) => "—".into(),
    }
}

fn sizing_text(o: &ObservedSection) -> String {
    match (
        o.sizing_rate_per_second,
        o.implied_daily_users,
        o.sizing_peak_factor,
    ) {
        (Some(peak), Some(users), Some(factor)) => format!(
            "The plan sizes from this traffic: the web tier's requests peak at {} ({}), and \
             {} daily users × your actions per user give its mean of {}, a peak factor of {}× \
             where you guessed {}× (your {} daily users would average {}).",
            rate(peak),
            if o.sized_from == "p99" {
                "its 99th percentile"
            } else {
                "its highest rate"
            },
            format_count(users),
            rate(o.figures.mean_per_second),
            format_count(factor),
            format_count(o.guessed_peak_factor),
            "guessed",
            rate(o.guessed_mean_per_second),
        ),
        _ => format!(
            "The plan sizes from your users and peak factor ({}× guessed, {}× observed); set \
             “Size from observed traffic” to use this traffic.",
            format_count(o.guessed_peak_factor),
            format_count(o.figures.peak_factor)
        ),
    }
}

fn findings_view(read: &Read, in_worker: bool) -> impl IntoView + use<> {
    let (summary, lines) = (read.summary.clone(), read.skipped.clone());
    let thread = if in_worker { "worker" } else { "page" };
    view! {
        <div class="observed-findings" id="obs-findings" role="status" data-thread=thread>
            <p>{summary}</p>
            {(!lines.is_empty()).then(|| view! {
                <ul id="obs-skipped">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            })}
        </div>
    }
}

fn encode_query(state: &ScenarioState) -> String {
    state
        .query
        .with(|q| headroom::scenario::encode_pairs(q.pairs()))
}
