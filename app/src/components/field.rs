//! One input of the scenario, with its label, unit, hint and error. Reads its text from the URL
//! and writes every keystroke back to it. Without JavaScript it is a plain form control.

use headroom::scenario::{FieldSpec, Kind};
use headroom::uncertainty::RANGED;
use leptos::prelude::*;

use crate::state::{use_field_setter, use_scenario};

/// The input of the scenario field `key`.
#[component]
pub fn Field(
    /// The field's query key.
    key: &'static str,
) -> impl IntoView {
    let Some(spec) = FieldSpec::find(key) else {
        leptos::logging::error!("unknown field {key}");
        return ().into_any();
    };
    let state = use_scenario();
    let set = use_field_setter();
    let raw = Memo::new(move |_| state.raw(key));
    let error = Memo::new(move |_| state.error(key));
    let id = format!("f-{key}");
    let note_id = format!("{id}-note");
    let invalid = move || error.with(Option::is_some);
    let has_unit = !spec.unit.is_empty() && spec.kind != Kind::Flag;
    // A field that takes a range says so in its accessible description and with a mark.
    let ranged = RANGED.contains(&key);

    let control = match spec.kind {
        Kind::Choice => {
            let options = spec
                .choices
                .iter()
                .map(|(value, label)| {
                    view! { <option value=*value selected=move || raw.with(|r| r.eq_ignore_ascii_case(value))>{*label}</option> }
                })
                .collect_view();
            view! {
                <select id=id.clone() name=key aria-describedby=note_id.clone()
                    prop:value=move || raw.get()
                    on:change=move |ev| set(key, &event_target_value(&ev))>
                    {options}
                </select>
            }
            .into_any()
        }
        Kind::Flag => {
            let checked = move || raw.with(|r| matches!(r.as_str(), "1" | "true" | "yes" | "on"));
            view! {
                <input type="checkbox" id=id.clone() name=key value="1" aria-describedby=note_id.clone()
                    checked=checked prop:checked=checked
                    on:change=move |ev| set(key, if event_target_checked(&ev) { "1" } else { "0" }) />
            }
            .into_any()
        }
        _ => {
            let wide = spec.kind == Kind::Text;
            view! {
                <input type="text" id=id.clone() name=key
                    class:wide=wide
                    inputmode=if wide { "text" } else { "decimal" }
                    autocomplete="off" spellcheck="false"
                    aria-invalid=move || invalid().to_string()
                    aria-describedby=note_id.clone()
                    value=raw.get_untracked()
                    prop:value=move || raw.get()
                    on:input=move |ev| set(key, &event_target_value(&ev)) />
            }
            .into_any()
        }
    };

    view! {
        <div class="field" class:invalid=invalid class:flag=spec.kind == Kind::Flag>
            // The unit shown beside the control is also in its accessible name ("Web request
            // time (ms)"), and read once: the visible one is hidden from assistive technology.
            <label for=id>
                {spec.label}
                {ranged.then(|| view! { <span class="takes-range" aria-hidden="true" title="Takes a range: low..high or low..likely..high">" ↔"</span> })}
                {has_unit.then(|| view! { <span class="visually-hidden">{format!(" ({})", spec.unit)}</span> })}
            </label>
            <div class="control">
                {control}
                {has_unit.then(|| view! { <span class="unit" aria-hidden="true">{spec.unit}</span> })}
            </div>
            <p id=note_id class="note" aria-live="polite">
                {move || error.get().unwrap_or_else(|| spec.help.to_string())}
                // Beside the hint, not the error: an error is read as it is.
                {move || (ranged && error.with(Option::is_none))
                    .then(|| view! { <span class="visually-hidden">" Takes a range: low..high."</span> })}
            </p>
        </div>
    }
    .into_any()
}
