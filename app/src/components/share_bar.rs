//! Share, export and import: the scenario as a link, the report as JSON, and back.
//!
//! Without JavaScript the permalink and the JSON export still work (plain links; the export is
//! the API's document). With it, the link is copied to the clipboard and the JSON is generated
//! in the browser from the same core, so it matches the API byte for byte (apart from the
//! generation time).

use headroom::report::import_report;
use headroom::scenario::Scenario;
use leptos::prelude::*;
#[cfg(feature = "hydrate")]
use leptos_router::{NavigateOptions, hooks::use_navigate};

use crate::state::{use_scenario, with_query};

/// What an import of pasted text means: a Headroom link (its query) or an exported report.
pub fn scenario_from_pasted(text: &str) -> Result<Scenario, String> {
    let text = text.trim();
    if text.starts_with('{') {
        return import_report(text).map_err(|e| e.to_string());
    }
    let Some((_, query)) = text.split_once('?') else {
        return Err("paste a Headroom link (with its ?query) or a report's JSON".to_string());
    };
    let query = query.split('#').next().unwrap_or_default();
    let parsed = Scenario::from_query(query);
    match parsed.errors.first() {
        None => Ok(parsed.scenario),
        Some(err) => Err(format!("the link has a bad value: {err}")),
    }
}

/// The share, export and import controls.
#[component]
pub fn ShareBar() -> impl IntoView {
    let state = use_scenario();
    let status = RwSignal::new(String::new());
    // The scenario of the results on screen, which the notice above them names while a field
    // is invalid: a link or export never carries a scenario other than the one shown.
    let canonical = move || with_query(&state.path.get(), &state.shown_query());
    let api = move || with_query("/api/v1/report", &state.shown_query());
    let filename = move || {
        let shown = Scenario::from_query(&state.shown_query()).scenario;
        format!("headroom-{}.json", shown.short_hash())
    };

    #[cfg(feature = "hydrate")]
    let (copy, export, import_file, import_text) = {
        use crate::browser;
        let navigate = use_navigate();
        let restore = move |scenario: Scenario| {
            let url = with_query(&state.path.get_untracked(), &scenario.to_query());
            navigate(
                &url,
                NavigateOptions {
                    scroll: false,
                    ..Default::default()
                },
            );
        };
        let copy = move |_| {
            let url = format!("{}{}", browser::origin(), canonical());
            leptos::task::spawn_local(async move {
                status.set(match browser::copy_text(url).await {
                    Ok(()) => "Link copied.".to_string(),
                    Err(err) => format!("Could not copy ({err}): use the link instead."),
                });
            });
        };
        let export = move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let Some(report) = state.report.get_untracked() else {
                return;
            };
            // The page keeps the point report; the export is the API's whole document, so the
            // sampled sections and the diff are added by the same core call the API makes.
            let scenario = Scenario::from_query(&report.query).scenario;
            let mut report =
                headroom::report::Report::build(&scenario).unwrap_or_else(|_| (*report).clone());
            report.generated_at = Some(browser::now_rfc3339());
            let name = filename();
            let exported = report
                .to_json()
                .map_err(|err| err.to_string())
                .and_then(|json| browser::download_text(&name, "application/json", &json));
            status.set(match exported {
                Ok(()) => format!("Exported {name}."),
                Err(err) => format!("Could not export: {err}"),
            });
        };
        let import_file = {
            let restore = restore.clone();
            move |file: web_sys::File| {
                let restore = restore.clone();
                if file.size() > headroom::report::MAX_IMPORT_BYTES as f64 {
                    status.set(format!(
                        "{} is {} KB; a Headroom report is at most {} KB. Nothing changed.",
                        file.name(),
                        (file.size() / 1024.0).round(),
                        headroom::report::MAX_IMPORT_BYTES / 1024
                    ));
                    return;
                }
                leptos::task::spawn_local(async move {
                    let name = file.name();
                    match browser::read_text(file)
                        .await
                        .and_then(|t| import_report(&t).map_err(|e| e.to_string()))
                    {
                        Ok(scenario) => {
                            status.set(format!("Imported {name}."));
                            restore(scenario);
                        }
                        Err(err) => status.set(format!("{name}: {err}. Nothing changed.")),
                    }
                });
            }
        };
        let import_text = move |text: String| match scenario_from_pasted(&text) {
            Ok(scenario) => {
                status.set("Imported the pasted scenario.".to_string());
                restore(scenario);
            }
            Err(err) => status.set(format!("{err}. Nothing changed.")),
        };
        (copy, export, import_file, import_text)
    };
    #[cfg(not(feature = "hydrate"))]
    let (copy, export, import_file, import_text) = (
        |_| {},
        |_: leptos::ev::MouseEvent| {},
        |_: ()| {},
        |_: String| {},
    );

    let pasted = RwSignal::new(String::new());
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
    let (on_file, on_drop) = (
        {
            let _ = import_file;
            |_: leptos::ev::Event| {}
        },
        |_: leptos::ev::DragEvent| {},
    );

    view! {
        <div class="share-bar">
            <a class="permalink" href=canonical title="The canonical link: only the values that differ from the defaults">
                "Link to this scenario"
            </a>
            <button type="button" class="secondary js-only" id="copy-link" on:click=copy>"Copy link"</button>
            <a class="button secondary" id="export-json" href=api download=filename on:click=export>"Export JSON"</a>
            <details class="import js-only">
                <summary>"Import…"</summary>
                <div class="drop-zone" id="import-drop"
                    on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
                    on:drop=on_drop>
                    <label for="import-file">"Drop a report here or choose a file"</label>
                    <input type="file" id="import-file" accept="application/json,.json" on:change=on_file />
                </div>
                <form class="paste" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    import_text(pasted.get_untracked());
                }>
                    <label for="import-text">"…or paste a link or a report"</label>
                    <input type="text" id="import-text" autocomplete="off" spellcheck="false"
                        prop:value=move || pasted.get()
                        on:input=move |ev| pasted.set(event_target_value(&ev)) />
                    <button type="submit" class="secondary">"Import"</button>
                </form>
            </details>
            <p class="share-status" id="share-status" role="status" aria-live="polite">{move || status.get()}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_links_and_reports_restore_their_scenario() {
        let s =
            scenario_from_pasted("http://127.0.0.1:3000/cost?dau=5M&slo=99.9#top").expect("link");
        assert_eq!(s.dau(), 5e6);
        let json = headroom::report::Report::build(&s)
            .expect("builds")
            .to_json()
            .expect("serializes");
        assert_eq!(scenario_from_pasted(&json).expect("report"), s);
        assert!(scenario_from_pasted("hello").is_err());
        assert!(scenario_from_pasted("/capacity?dau=lots").is_err());
        assert!(scenario_from_pasted("{\"schema\": \"nope\"}").is_err());
    }
}
