//! The skeleton every calculator and simulator page shares: its title and heading, a lede, the
//! scenario form of its sections, and its results (marked stale while an input is invalid).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::compare::{Baseline, Ranges};
use crate::components::layout::{Results, ResultsProps};
use crate::components::scenario_form::{ScenarioForm, ScenarioFormProps, Section};

/// A page: `heading` also titles the document (`heading · Headroom`).
#[component]
pub fn Page(
    /// The page's `<h1>`.
    heading: &'static str,
    /// The paragraph under the heading: what the page answers.
    lede: &'static str,
    /// The form's sections, in order.
    sections: &'static [Section],
    /// Extra content of the form, after its sections (an editor that writes a text field).
    #[prop(optional)]
    form_extra: Option<Children>,
    /// The results: figures, tables and charts.
    children: Children,
) -> impl IntoView {
    // Both children go on as they came: wrapping them again would erase their views twice.
    let form = ScenarioForm(ScenarioFormProps {
        sections,
        children: form_extra,
    });
    let results = Results(ResultsProps {
        children: Box::new(move || view! { <Baseline />{children()}<Ranges /> }.into_any()),
    });
    view! {
        <Title text=format!("{heading} · Headroom") />
        <h1>{heading}</h1>
        <p class="lede">{lede}</p>
        // On a narrow screen the form comes first and the results start a long way down; this
        // link (shown only there, see style/main.css) takes the reader to them. A plain anchor,
        // so it works without JavaScript; `rel` as on the skip link (`Frame`), so that with it
        // the focus moves to the results too.
        <a class="jump-to-results" href="#results" rel="external">"Jump to results"</a>
        <div class="calculator">
            {form}
            {results}
        </div>
    }
}
