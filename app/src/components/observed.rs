//! Observed traffic on `/capacity` and `/autoscaling`: import a file (drop, choose or paste),
//! see what it says, and size or replay from it.
//!
//! With JavaScript the file is read in the browser by the same core as the server's
//! (`headroom::traffic`), and its figures go into the `obs` field, so the link carries them; the
//! series itself stays in the page (its chart is drawn only here). Without JavaScript the form
//! posts the pasted text to `POST /traffic/import`, which answers with a redirect to this page
//! with `obs` set, or with the text and what is wrong with it.

use headroom::report::{ObservedSection, Report, WEEKDAYS};
use headroom::traffic::{self, ImportOptions, Imported, ValueKind};
use headroom::units::{format_count, format_duration};
use leptos::prelude::*;

use crate::components::chart::{Chart, ChartData, Format, Marker, Series, SeriesKind};
use crate::components::metric::{Metric, explain};
use crate::state::{ScenarioState, use_fields_setter, use_scenario, with_query};

/// Where the form posts without JavaScript.
pub const IMPORT_PATH: &str = "/traffic/import";

/// Points drawn of the imported series: each drawn point is the highest of its bucket, so the
/// peaks stay visible (the figures use every point).
const DRAWN_POINTS: usize = 1_500;

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
    imported: Option<Imported>,
    error: Option<String>,
    /// Milliseconds the import and analysis took in this browser.
    took_ms: Option<f64>,
}

/// The page's clock, ms (`performance.now()`); `None` on the server.
fn now_ms() -> Option<f64> {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// The import form and, once there is observed traffic, its figures and charts. `replay`: on
/// `/autoscaling`, an import also switches the simulator's traffic to the observed day.
#[component]
pub fn ObservedTraffic(#[prop(optional)] replay: bool) -> impl IntoView {
    let state = use_scenario();
    let session = RwSignal::new(Session::default());
    let pasted = RwSignal::new(String::new());
    let values = RwSignal::new(String::new());
    let step = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let return_to = move || with_query(&state.path.get(), &encode_query(&state));

    let set_fields = use_fields_setter();
    let run_import = {
        let set_fields = set_fields.clone();
        move |text: String| {
            let start = now_ms();
            let options = ImportOptions {
                values: ValueKind::ALL
                    .into_iter()
                    .find(|v| v.key() == values.get_untracked()),
                step_seconds: parse_step(&step.get_untracked()),
            };
            match traffic::import(&text, options)
                .and_then(|imported| traffic::analyze(&imported.series).map(|o| (imported, o)))
            {
                Ok((imported, obs)) => {
                    let text = obs.to_text();
                    let mut pairs = vec![("obs", text.as_str())];
                    if replay && obs.day.is_some() {
                        pairs.push(("as_pattern", "observed"));
                    }
                    let took_ms = start.zip(now_ms()).map(|(a, b)| b - a);
                    set_fields(&pairs);
                    session.set(Session {
                        imported: Some(imported),
                        error: None,
                        took_ms,
                    });
                }
                Err(e) => session.set(Session {
                    imported: None,
                    error: Some(e.to_string()),
                    took_ms: None,
                }),
            }
        }
    };

    #[cfg(feature = "hydrate")]
    let import_file = {
        let run_import = run_import.clone();
        move |file: web_sys::File| {
            let run_import = run_import.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                match crate::browser::read_text(file).await {
                    Ok(text) => run_import(text),
                    Err(e) => session.set(Session {
                        imported: None,
                        error: Some(e),
                        took_ms: None,
                    }),
                }
                busy.set(false);
            });
        }
    };
    #[cfg(feature = "hydrate")]
    let on_file = {
        let import_file = import_file.clone();
        move |ev: leptos::ev::Event| {
            if let Some(file) = crate::browser::take_chosen_file(&ev) {
                import_file(file);
            }
        }
    };
    #[cfg(feature = "hydrate")]
    let on_drop = move |ev: leptos::ev::DragEvent| {
        if let Some(file) = crate::browser::dropped_file(&ev) {
            import_file(file);
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let (on_file, on_drop) = (|_: leptos::ev::Event| {}, |_: leptos::ev::DragEvent| {});

    #[cfg(not(feature = "hydrate"))]
    let _ = &run_import;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run_import(pasted.get_untracked());
    };
    let remove = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let mut pairs = vec![("obs", "")];
        if replay {
            pairs.push(("as_pattern", ""));
        }
        set_fields(&pairs);
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
    let figure = move |f| state.figure(f);

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
                {move || session.with(|s| s.imported.as_ref().map(|i| findings_view(i, s.took_ms)))}
            </form>
            {move || has_obs().then(|| view! {
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
                    view! { <p class="aside" id="obs-replay">"With the traffic set to “Observed traffic”, the
                        HPA runs on this average day (UTC, from midnight), slot by slot, repeated for
                        the run's length; choose another pattern above to compare."</p> }.into_any()
                } else {
                    view! { <p class="aside" id="obs-sizing">{figure(|r| observed(r).map_or_else(String::new, sizing_text))}</p> }.into_any()
                }}
                <div class="charts">
                    {move || session.with(|s| s.imported.is_some()).then(|| view! {
                        <Chart id="chart-obs-series" caption="The imported series, with its median, p95 and p99 (each drawn point is the highest of its stretch)"
                            data=series_chart(state, session) />
                    })}
                    <Chart id="chart-obs-day" caption="The average day (UTC), as the link carries it" data=day_chart(state) />
                    <Chart id="chart-obs-week" caption="The average week (UTC)" data=week_chart(state) />
                </div>
            })}
        </section>
    }
}

/// A step typed in seconds, or with a unit (`5 min`).
fn parse_step(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>()
        .ok()
        .or_else(|| headroom::units::parse_duration(t, 1.0).ok())
        .filter(|s| s.is_finite() && *s > 0.0)
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

fn findings_view(imported: &Imported, took_ms: Option<f64>) -> impl IntoView + use<> {
    let f = &imported.findings;
    let mut lines: Vec<String> = f.skipped.iter().map(ToString::to_string).collect();
    if f.skipped_count > f.skipped.len() {
        lines.push(format!("… and {} more", f.skipped_count - f.skipped.len()));
    }
    let summary = format!(
        "Read {} points ({}){}; {} rows skipped, {} out of order (sorted), {} steps missing in {} gaps{}.",
        format_count(imported.series.rates.len() as f64),
        match imported.values {
            ValueKind::Count => "counts per interval",
            ValueKind::Rate => "rates per second",
        },
        took_ms.map_or_else(String::new, |ms| format!(
            " in {} ms",
            format_count(ms.round())
        )),
        f.skipped_count,
        f.out_of_order,
        f.missing_steps,
        f.gaps.len(),
        if f.irregular > 0 {
            format!(", {} irregular spacings", f.irregular)
        } else {
            String::new()
        }
    );
    view! {
        <div class="observed-findings" id="obs-findings" role="status">
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

fn series_chart(state: ScenarioState, session: RwSignal<Session>) -> Signal<ChartData> {
    Signal::derive(move || {
        let figures = state.report.with(|r| {
            r.as_deref().and_then(observed).map(|o| {
                (
                    o.figures.p50_per_second,
                    o.figures.p95_per_second,
                    o.figures.p99_per_second,
                )
            })
        });
        session.with(|s| {
            let Some(imported) = &s.imported else {
                return ChartData::default();
            };
            let series = &imported.series;
            let start = series.times.first().copied().unwrap_or(0.0);
            let days = |t: f64| (t - start) / 86_400.0;
            let bucket = series.rates.len().div_ceil(DRAWN_POINTS).max(1);
            let points: Vec<(f64, f64)> =
                series
                    .times
                    .chunks(bucket)
                    .zip(series.rates.chunks(bucket))
                    .map(|(ts, rs)| {
                        let (i, r) = rs.iter().copied().enumerate().fold(
                            (0, f64::NEG_INFINITY),
                            |b, (i, r)| if r > b.1 { (i, r) } else { b },
                        );
                        (days(ts[i]), r)
                    })
                    .collect();
            let end = points.last().map_or(1.0, |p| p.0);
            let mut out = vec![Series {
                name: "requests/s".into(),
                kind: SeriesKind::Line,
                points,
            }];
            if let Some((p50, p95, p99)) = figures {
                for (name, y) in [("median", p50), ("p95", p95), ("p99", p99)] {
                    out.push(Series {
                        name: name.into(),
                        kind: SeriesKind::Line,
                        points: vec![(0.0, y), (end, y)],
                    });
                }
            }
            ChartData {
                x_name: "days from the first point".into(),
                y_name: "requests/s".into(),
                series: out,
                x_range: Some((0.0, end)),
                ..ChartData::default()
            }
        })
    })
}

fn day_chart(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(o) = r.as_deref().and_then(observed) else {
                return ChartData::default();
            };
            let (Some(day), Some(slot)) = (&o.figures.day_per_second, o.figures.day_slot_seconds)
            else {
                return ChartData::default();
            };
            let mut points: Vec<(f64, f64)> = day
                .iter()
                .enumerate()
                .map(|(i, &y)| (i as f64 * slot / 3_600.0, y))
                .collect();
            // The last slot holds until midnight.
            if let Some(&(_, y)) = points.last() {
                points.push((24.0, y));
            }
            let markers = o
                .figures
                .busiest_hour_utc
                .map(|h| {
                    vec![Marker {
                        x: f64::from(h),
                        label: format!("busiest hour {h:02}:00"),
                    }]
                })
                .unwrap_or_default();
            ChartData {
                x_name: "hour of the day (UTC)".into(),
                y_name: "requests/s".into(),
                series: vec![Series {
                    name: "average day".into(),
                    kind: SeriesKind::Step,
                    points,
                }],
                markers,
                x_range: Some((0.0, 24.0)),
                x_format: Format::Count,
                ..ChartData::default()
            }
        })
    })
}

fn week_chart(state: ScenarioState) -> Signal<ChartData> {
    Signal::derive(move || {
        state.report.with(|r| {
            let Some(week) = r
                .as_deref()
                .and_then(observed)
                .and_then(|o| o.figures.week_per_second.clone())
            else {
                return ChartData::default();
            };
            ChartData {
                x_name: "day of the week (UTC)".into(),
                y_name: "requests/s".into(),
                series: vec![Series {
                    name: "mean".into(),
                    kind: SeriesKind::Bar,
                    points: week
                        .iter()
                        .enumerate()
                        .map(|(i, &y)| (i as f64, y))
                        .collect(),
                }],
                x_labels: WEEKDAYS.iter().map(|d| d[..3].to_string()).collect(),
                ..ChartData::default()
            }
        })
    })
}
