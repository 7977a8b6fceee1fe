//! The box for a pasted HorizontalPodAutoscaler. With JavaScript its text is read as it is
//! typed and, when valid, written into the `hpa` field (so the share URL carries the compact
//! policy, not the YAML). Without JavaScript it is a field of the GET form, `hpa_yaml`, that the
//! server reads; while it holds a valid manifest, that manifest sets the policy.
//! `hpa_yaml` is a page parameter, not a scenario field: it is input only, and the scenario
//! keeps one canonical form of the policy.
//!
//! The YAML is read only where the server runs, so the WASM bundle carries no YAML parser: the
//! server reads the manifest in the query while it renders the page and hands the reading to
//! the browser with the page (a `SharedValue`), so hydration starts from the same reading;
//! what is typed afterwards is posted to `POST /api/v1/hpa` once the typing pauses.

use headroom::autoscale::{ManifestReading, Pasted};
use leptos::prelude::*;

use crate::state::{ScenarioState, use_field_setter, use_scenario, with_query};

/// The query key of a pasted manifest.
pub const YAML_KEY: &str = "hpa_yaml";

/// Where the browser sends a manifest to be read.
#[cfg(feature = "hydrate")]
const READ_PATH: &str = "/api/v1/hpa";

/// How long typing must pause before the text is sent, ms: one request per pause, not per key.
#[cfg(feature = "hydrate")]
const PAUSE_MS: u64 = 250;

/// How many readings are kept: the box's and the query's, and one earlier of each.
#[cfg(feature = "hydrate")]
const KEPT: usize = 4;

/// A manifest's reading as the page knows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// Nothing pasted.
    Empty,
    /// Sent to the server, no answer yet.
    Pending,
    /// Read: the policy and the fields not simulated, or why it cannot be read.
    Done(Pasted),
}

/// What the server hands the browser with the page: the query's manifest and its reading.
type Shared = Option<(String, Result<ManifestReading, String>)>;

/// The manifests read so far, by their text.
#[derive(Clone, Copy)]
pub struct Readings {
    kept: RwSignal<Vec<(String, Pasted)>>,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    sent: StoredValue<Vec<String>>,
}

impl Readings {
    /// The readings of a page, starting with the manifest in its query, read by the server.
    /// In the browser, a manifest that arrives in the query later is sent to be read.
    pub fn new(state: ScenarioState) -> Self {
        let text = state
            .query
            .with_untracked(|q| q.get(YAML_KEY))
            .unwrap_or_default();
        let first: Shared = SharedValue::new(move || read_here(text)).into_inner();
        let kept = first
            .map(|(text, reading)| (text, reading.and_then(ManifestReading::into_pasted)))
            .into_iter()
            .collect();
        let readings = Self {
            kept: RwSignal::new(kept),
            sent: StoredValue::new(Vec::new()),
        };
        Effect::new(move |_| {
            let text = state.query.with(|q| q.get(YAML_KEY)).unwrap_or_default();
            readings.request(text);
        });
        readings
    }

    /// `text`'s reading. Tracked.
    pub fn get(self, text: &str) -> Reading {
        if text.trim().is_empty() {
            return Reading::Empty;
        }
        self.kept
            .with(|kept| {
                kept.iter()
                    .find(|(t, _)| t == text)
                    .map(|(_, pasted)| Reading::Done(pasted.clone()))
            })
            .unwrap_or(Reading::Pending)
    }

    /// The reading of the manifest in the query, if one is there. Tracked.
    pub fn in_query(self, state: &ScenarioState) -> Reading {
        state
            .query
            .with(|q| q.get(YAML_KEY))
            .map_or(Reading::Empty, |text| self.get(&text))
    }

    #[cfg(feature = "hydrate")]
    fn keep(self, text: String, pasted: Pasted) {
        self.kept.update(|kept| {
            kept.retain(|(t, _)| *t != text);
            kept.push((text, pasted));
            let over = kept.len().saturating_sub(KEPT);
            kept.drain(..over);
        });
    }

    /// Sends `text` to be read unless it is empty, read or on its way. Only the browser sends;
    /// the server has read the one manifest it renders with.
    fn request(self, text: String) {
        #[cfg(feature = "hydrate")]
        if untrack(|| self.get(&text)) == Reading::Pending
            && !self.sent.with_value(|sent| sent.contains(&text))
        {
            self.sent.update_value(|sent| sent.push(text.clone()));
            leptos::task::spawn_local(async move {
                let pasted = read_by_server(&text).await;
                self.sent.update_value(|sent| sent.retain(|t| *t != text));
                self.keep(text, pasted);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = text;
    }
}

/// Reads `text` where the YAML reader is (the server); elsewhere nothing.
fn read_here(text: String) -> Shared {
    #[cfg(feature = "ssr")]
    if !text.trim().is_empty() {
        let reading = ManifestReading::read(&text);
        return Some((text, reading));
    }
    let _ = text;
    None
}

/// Posts `text` to the server's reader; its reading, or why there is none.
#[cfg(feature = "hydrate")]
async fn read_by_server(text: &str) -> Pasted {
    match crate::browser::post_text(READ_PATH, text).await {
        Ok((200, body)) => serde_json::from_str::<ManifestReading>(&body)
            .map_err(|e| e.to_string())
            .and_then(ManifestReading::into_pasted),
        Ok((status, body)) => Err(serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| format!("the server could not read the YAML (HTTP {status})"))),
        Err(err) => Err(format!(
            "the YAML could not be sent to be read ({err}); the policy is unchanged"
        )),
    }
}

/// The paste box, its message, and the fields the simulator does not model.
#[component]
pub fn HpaYaml(readings: Readings) -> impl IntoView {
    let state = use_scenario();
    let set = use_field_setter();
    let initial = state
        .query
        .with_untracked(|q| q.get(YAML_KEY))
        .unwrap_or_default();
    let text = RwSignal::new(initial.clone());
    let outcome = Memo::new(move |_| text.with(|t| readings.get(t)));
    // Effects run only in the browser. A text not read yet is sent once the typing pauses.
    Effect::new(move |_| {
        let typed = text.get();
        #[cfg(feature = "hydrate")]
        set_timeout(
            move || {
                // The page may be gone by now (a link followed within the pause): then `text` is
                // disposed and there is nothing to send.
                if text.try_get_untracked().as_ref() == Some(&typed) {
                    readings.request(typed);
                }
            },
            std::time::Duration::from_millis(PAUSE_MS),
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = typed;
    });
    // A valid manifest becomes the `hpa` field. Comparing with the field first keeps this from
    // navigating when nothing changes.
    Effect::new(move |_| {
        outcome.with(|o| {
            if let Reading::Done(Ok((policy, _))) = o {
                let compact = policy.to_compact();
                if state.raw("hpa") != compact {
                    set("hpa", &compact);
                }
            }
        })
    });
    let invalid = move || outcome.with(|o| matches!(o, Reading::Done(Err(_))));
    let message = move || {
        outcome.with(|o| match o {
            Reading::Empty => "An autoscaling/v2 manifest (the chapter's example loads as is); it sets the HPA policy above".to_string(),
            Reading::Pending => "Reading the manifest…".to_string(),
            Reading::Done(Ok((policy, _))) => format!(
                "Read: {} to {} replicas, {} metric{}",
                policy.min_replicas,
                policy.max_replicas,
                policy.metrics.len(),
                if policy.metrics.len() == 1 { "" } else { "s" }
            ),
            Reading::Done(Err(message)) => message.clone(),
        })
    };
    // Without JavaScript the page's own share link carries the `hpa` field, not the pasted
    // manifest; this link carries the manifest's policy as `hpa` (and drops the YAML).
    let share = move || {
        outcome.with(|o| match o {
            Reading::Done(Ok((policy, _))) => Some(with_query(
                &state.path.get_untracked(),
                &state.query_with("hpa", &policy.to_compact()),
            )),
            _ => None,
        })
    };
    let unsupported = move || {
        outcome.with(|o| match o {
            Reading::Done(Ok((_, fields))) if !fields.is_empty() => Some(
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
                    <p class="note">"Simulated differently, or not at all (listed, not ignored):"</p>
                    <ul>{items}</ul>
                </div>
            })}
        </div>
    }
}
