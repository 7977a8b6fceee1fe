//! A page's form: its groups of fields, plus hidden inputs carrying every other field of the
//! scenario, so that submitting it without JavaScript (a plain GET) keeps the whole scenario.

use headroom::scenario::{FIELDS, Group, VERSION, VERSION_KEY};
use headroom::uncertainty::RANGED;
use leptos::prelude::*;

use crate::components::field::Field;
use crate::state::use_scenario;

/// A titled set of fields.
#[derive(Clone, Copy)]
pub struct Section {
    /// The fieldset's legend.
    pub title: &'static str,
    /// The fields' group in the scenario table.
    pub group: Group,
}

/// The form of a page with the given sections.
#[component]
pub fn ScenarioForm(
    /// The sections shown, in order.
    sections: &'static [Section],
    /// Extra content after the sections (e.g. an editor that writes a text field).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let state = use_scenario();
    let shown = move |key: &str| {
        FIELDS.iter().any(|f| {
            f.key == key
                && (f.group == Group::Sampling || sections.iter().any(|s| s.group == f.group))
        })
    };
    let hidden = move || {
        state.query.with(|q| {
            // One hidden input per known key (its last value), so repeats are not resubmitted.
            FIELDS
                .iter()
                .filter(|f| !shown(f.key))
                .filter_map(|f| {
                    q.get(f.key)
                        .map(|v| view! { <input type="hidden" name=f.key value=v /> })
                })
                .collect_view()
        })
    };
    let takes_ranges = FIELDS
        .iter()
        .any(|f| RANGED.contains(&f.key) && sections.iter().any(|s| s.group == f.group));
    let fieldsets = sections
        .iter()
        .map(|section| {
            let fields = FIELDS
                .iter()
                .filter(|f| f.group == section.group)
                .map(|f| view! { <Field key=f.key /> })
                .collect_view();
            view! {
                <fieldset>
                    <legend>{section.title}</legend>
                    {fields}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        // Without JavaScript this is a plain GET form: the server computes the submitted
        // scenario. With it, every field already wrote the URL as it was typed, so submitting
        // (Enter in a field) has nothing left to do; the router's `<Form>` would navigate to a
        // query of every field, defaults and an empty `&=` included.
        <form method="GET" action="" class="scenario-form"
            on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            {takes_ranges.then(|| view! {
                <p class="form-hint">"Fields marked ↔ take a range: "<code>"80M..120M"</code>" (uniform) or "
                    <code>"80M..100M..150M"</code>" (low, most likely, high)."</p>
            })}
            {fieldsets}
            {children.map(|c| c())}
            // On every page: how ranges (`80M..120M` in a field) are sampled.
            <details class="sampling-settings">
                <summary>"Ranges: samples, seed and the percentile to plan for"</summary>
                <fieldset>
                    <legend>"Sampling"</legend>
                    {FIELDS.iter().filter(|f| f.group == Group::Sampling)
                        .map(|f| view! { <Field key=f.key /> }).collect_view()}
                </fieldset>
            </details>
            {hidden}
            // The submitted query is a current-version link (absent fields mean today's defaults).
            <input type="hidden" name=VERSION_KEY value=VERSION />
            <button type="submit" class="submit">"Compute"</button>
        </form>
    }
}
