//! The frame around every page: the header with navigation that keeps the scenario's query, and
//! the results panel that marks stale results.

use leptos::prelude::*;

use crate::pages::{PAGES, Page};
use crate::state::use_scenario;

/// The site header.
#[component]
pub fn Header() -> impl IntoView {
    let state = use_scenario();
    let links = PAGES
        .iter()
        .map(|page: &'static Page| {
            let Page { path, label, .. } = *page;
            let current = move || state.path.with(|p| p == path).then_some("page");
            // The page's code starts downloading when the reader points at the link or tabs to
            // it (`Page::warm`).
            view! {
                <a href=move || state.href(path) aria-current=current
                    on:pointerenter=move |_| page.warm() on:focus=move |_| page.warm()>
                    {label}
                </a>
            }
        })
        .collect_view();
    view! {
        <header class="top">
            <a class="brand" href=move || state.href("/")>
                <img src="/favicon.svg" alt="" width="22" height="22" />
                "Headroom"
            </a>
            <nav aria-label="Calculators">{links}</nav>
        </header>
    }
}

/// The results of a page: marked stale, with a notice, while an input is invalid. The notice
/// says which value the results (and the link and export, which follow them) use for each
/// invalid field: the last valid value typed, or the default. Its heading puts the figures'
/// headings under an `<h2>`, and its id is where "Jump to results" lands.
#[component]
pub fn Results(children: Children) -> impl IntoView {
    let state = use_scenario();
    let stand_ins = move || {
        state
            .stand_ins()
            .into_iter()
            .map(|s| {
                let which = if s.is_default { " (its default)" } else { " (the last valid value)" };
                view! { <li>{s.label}": "<strong>{s.used}</strong>{which}", not “"{s.typed}"”"</li> }
            })
            .collect_view()
    };
    view! {
        <section id="results" tabindex="-1" class="results" class:stale=move || state.stale.get()
            aria-labelledby="results-title">
            <h2 id="results-title" class="results-title">"Results"</h2>
            <div class="stale-notice" role="status" hidden=move || !state.stale.get()>
                <p>"An input is invalid. These results, the link and the export use:"</p>
                <ul>{stand_ins}</ul>
            </div>
            {children()}
        </section>
    }
}
