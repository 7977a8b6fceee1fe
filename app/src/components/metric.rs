//! A result card: a figure, its unit, a short note, and its formula trace one click away.

use leptos::prelude::*;

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
    /// The report's `explain` key of the figure's formula trace.
    #[prop(optional)]
    explain: Option<&'static str>,
    /// A trace the page computes, for figures outside the report (the simulators'); empty for
    /// none. Used when `explain` is not given.
    #[prop(optional, into)]
    trace: Option<Signal<String>>,
    /// Emphasise the card (the headline figure of a page).
    #[prop(optional)]
    primary: bool,
) -> impl IntoView {
    let state = use_scenario();
    let trace = move || match explain {
        Some(key) => state
            .report
            .with(|r| r.as_ref().and_then(|r| r.explain.get(key).cloned())),
        None => trace.map(|t| t.get()).filter(|t| !t.is_empty()),
    };
    view! {
        <article class="metric" class:primary=primary>
            <h3>{label}</h3>
            <p class="value num" id=id>{move || value.get()}</p>
            {note.map(|n| view! { <p class="metric-note">{move || n.get()}</p> })}
            {move || trace().map(|t| view! {
                <details class="explain">
                    <summary title=t.clone()>"How?"</summary>
                    <p>{t}</p>
                </details>
            })}
        </article>
    }
}
