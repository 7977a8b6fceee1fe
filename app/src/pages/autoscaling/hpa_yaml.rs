//! The box for a pasted HorizontalPodAutoscaler. With JavaScript its text is read in the browser
//! as it is typed and, when valid, written into the `hpa` field (so the share URL carries the
//! compact policy, not the YAML). Without JavaScript it is a field of the GET form, `hpa_yaml`,
//! that the server reads; while it holds a valid manifest, that manifest sets the policy.
//! `hpa_yaml` is a page parameter, not a scenario field: it is input only, and the scenario
//! keeps one canonical form of the policy.

use headroom::autoscale::{HpaPolicy, UnsupportedField};
use headroom::units::format_count;
use leptos::prelude::*;

use crate::state::{ScenarioState, use_field_setter, use_scenario, with_query};

/// The query key of a pasted manifest.
pub const YAML_KEY: &str = "hpa_yaml";

/// Longest manifest read from a link, bytes: an HPA is well under 2 KiB, and a URL much longer
/// than this is refused by some proxies.
pub const MAX_PASTE_BYTES: usize = 8 * 1024;

/// A manifest read: the policy and the fields it does not simulate, or why it cannot be read.
pub type Pasted = Result<(HpaPolicy, Vec<UnsupportedField>), String>;

/// Reads a pasted manifest; never panics, whatever the text.
pub fn read_manifest(text: &str) -> Pasted {
    if text.len() > MAX_PASTE_BYTES {
        return Err(format!(
            "the YAML is {} bytes, more than the {} this page reads; paste only the HorizontalPodAutoscaler",
            format_count(text.len() as f64),
            format_count(MAX_PASTE_BYTES as f64)
        ));
    }
    HpaPolicy::from_yaml(text).map_err(|e| e.to_string())
}

/// The manifest in the query (a submitted form without JavaScript), if any. Tracked.
pub fn pasted_in_query(state: &ScenarioState) -> Option<Pasted> {
    state
        .query
        .with(|q| q.get(YAML_KEY))
        .filter(|t| !t.trim().is_empty())
        .map(|t| read_manifest(&t))
}

/// The paste box, its message, and the fields the simulator does not model.
#[component]
pub fn HpaYaml() -> impl IntoView {
    let state = use_scenario();
    let set = use_field_setter();
    let initial = state
        .query
        .with_untracked(|q| q.get(YAML_KEY))
        .unwrap_or_default();
    let text = RwSignal::new(initial.clone());
    let outcome =
        Memo::new(move |_| text.with(|t| (!t.trim().is_empty()).then(|| read_manifest(t))));
    // A valid manifest becomes the `hpa` field (effects run only in the browser). Comparing
    // with the field first keeps this from navigating when nothing changes.
    Effect::new(move |_| {
        outcome.with(|o| {
            if let Some(Ok((policy, _))) = o {
                let compact = policy.to_compact();
                if state.raw("hpa") != compact {
                    set("hpa", &compact);
                }
            }
        })
    });
    let invalid = move || outcome.with(|o| matches!(o, Some(Err(_))));
    let message = move || {
        outcome.with(|o| match o {
            None => "An autoscaling/v2 manifest (the chapter's example loads as is); it sets the HPA policy above".to_string(),
            Some(Ok((policy, _))) => format!(
                "Read: {} to {} replicas, {} metric{}",
                policy.min_replicas,
                policy.max_replicas,
                policy.metrics.len(),
                if policy.metrics.len() == 1 { "" } else { "s" }
            ),
            Some(Err(message)) => message.clone(),
        })
    };
    // Without JavaScript the page's own share link carries the `hpa` field, not the pasted
    // manifest; this link carries the manifest's policy as `hpa` (and drops the YAML).
    let share = move || {
        outcome.with(|o| match o {
            Some(Ok((policy, _))) => Some(with_query(
                &state.path.get_untracked(),
                &state.query_with("hpa", &policy.to_compact()),
            )),
            _ => None,
        })
    };
    let unsupported = move || {
        outcome.with(|o| match o {
            Some(Ok((_, fields))) if !fields.is_empty() => Some(
                fields
                    .iter()
                    .map(|f| view! { <li><code>{f.path.clone()}</code>": "{f.reason.clone()}</li> })
                    .collect_view(),
            ),
            _ => None,
        })
    };
    view! {
        <div class="field hpa-yaml" class:invalid=invalid>
            <label for="f-hpa_yaml">"Paste a HorizontalPodAutoscaler"</label>
            <textarea id="f-hpa_yaml" name=YAML_KEY rows="9" spellcheck="false" autocomplete="off"
                aria-invalid=move || invalid().to_string()
                aria-describedby="f-hpa_yaml-note"
                placeholder="apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 20"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))>{initial}</textarea>
            <p id="f-hpa_yaml-note" class="note" aria-live="polite">{message}</p>
            {move || share().map(|href| view! {
                <p class="note nojs-only">
                    "While this box holds a manifest, the manifest sets the policy; empty it to use the field above. "
                    <a href=href id="hpa-share">"Link with this policy"</a>
                </p>
            })}
            {move || unsupported().map(|items| view! {
                <div class="unsupported" id="hpa-unsupported">
                    <p class="note">"Not simulated (listed, not ignored):"</p>
                    <ul>{items}</ul>
                </div>
            })}
        </div>
    }
}
