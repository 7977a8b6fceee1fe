//! A result card whose formula trace the page computes. The simulators' figures are not in the
//! report, so [`crate::components::metric::Metric`]'s `explain` key cannot name them; this card
//! has the same markup (and so the same CSS and tests) with the trace passed in.

use leptos::prelude::*;

/// One figure of a simulation, with its trace one click away.
#[component]
pub fn TracedMetric(
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
    /// The formula with this run's numbers; empty for none.
    #[prop(optional, into)]
    trace: Option<Signal<String>>,
    /// Emphasise the card (the headline figure of a page).
    #[prop(optional)]
    primary: bool,
) -> impl IntoView {
    let trace = move || {
        trace.map(|t| t.get()).filter(|t| !t.is_empty()).map(|t| {
            view! {
                <details class="explain">
                    <summary title=t.clone()>"How?"</summary>
                    <p>{t}</p>
                </details>
            }
        })
    };
    view! {
        <article class="metric" class:primary=primary>
            <h3>{label}</h3>
            <p class="value num" id=id>{move || value.get()}</p>
            {note.map(|n| view! { <p class="metric-note">{move || n.get()}</p> })}
            {trace}
        </article>
    }
}
