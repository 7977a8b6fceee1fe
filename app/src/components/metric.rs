//! A result card: a figure, its unit, a short note, and its formula trace one click away.

use leptos::prelude::*;

use crate::components::compare::{FigureNotes, FigureOf};
use crate::state::use_scenario;

/// One figure of the report.
#[component]
pub fn Metric(
    /// DOM id of the value, for tests and links.
    id: &'static str,
    /// What the figure is.
    label: &'static str,
    /// The figure, formatted.
    #[prop(into)]
    value: Signal<String>,
    /// A short line under the value.
    #[prop(optional, into)]
    note: Option<Signal<String>>,
    /// The figure's formula trace, from the core: [`explain`] for a report figure, a
    /// simulator's `*_trace` for its figures; empty for none.
    #[prop(optional, into)]
    trace: Option<Signal<String>>,
    /// Emphasise the card (the headline figure of a page).
    #[prop(optional)]
    primary: bool,
    /// The figure's path in the report and how its numbers are written: the card then shows
    /// its change from a pinned baseline and its percentiles when some input is a range.
    #[prop(optional)]
    of: Option<FigureOf>,
) -> impl IntoView {
    let trace = move || trace.map(|t| t.get()).filter(|t| !t.is_empty());
    view! {
        <article class="metric" class:primary=primary>
            <h3>{label}</h3>
            <p class="value num" id=id>{move || value.get()}</p>
            {note.map(|n| view! { <p class="metric-note">{move || n.get()}</p> })}
            {of.map(|(path, format)| view! { <FigureNotes path format /> })}
            {move || trace().map(|t| view! {
                <details class="explain">
                    // Named after its figure ("How is Peak reads computed?"): a list of a
                    // page's controls would otherwise read "How?" a dozen times.
                    <summary title=t.clone() aria-label=format!("How is {label} computed?")>"How?"</summary>
                    <p>{t}</p>
                </details>
            })}
        </article>
    }
}

/// The formula trace of a report figure: the report's `explain` entry under `key`, the figure's
/// path in the report document; empty while there is no report.
pub fn explain(key: &'static str) -> Signal<String> {
    let state = use_scenario();
    Signal::derive(move || {
        state.report.with(|r| {
            r.as_ref()
                .and_then(|r| r.explain.get(key).cloned())
                .unwrap_or_default()
        })
    })
}
