//! Headroom's user interface: Leptos components rendered on the server (SSR) and hydrated in
//! the browser, where the same estimation core runs as WASM.
#![forbid(unsafe_code)]
// The release hydrate build lays out each page's whole view type; the capacity page's is deeper
// than rustc's default limit of 128 queries once its results have a heading.
#![recursion_limit = "256"]

#[cfg(feature = "hydrate")]
pub mod browser;
pub mod components;
pub mod pages;
pub mod state;

#[cfg(all(test, feature = "ssr"))]
mod ssr_tests;

use leptos::prelude::*;
use leptos::tachys::view::iterators::StaticVec;
use leptos_meta::{HashedStylesheet, Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::{
    StaticSegment,
    components::{Route, RouteChildren, RouteProps, Router, Routes, RoutesProps},
};

/// Where the page loads the vendored echarts build from. The server provides its content-hashed
/// name (so browsers may cache it for good); without it, the plain name.
#[derive(Debug, Clone)]
pub struct EchartsSrc(pub std::sync::Arc<str>);

/// The name of the `<meta>` whose content is the path echarts loads from.
pub const ECHARTS_META: &str = "echarts-src";

/// The vendored echarts build under the site root, by its plain name.
pub const ECHARTS_PATH: &str = "/vendor/echarts.min.js";

/// The observed-traffic panel's worker script under the site root (`public/traffic-worker.js`).
pub const TRAFFIC_WORKER_PATH: &str = "/traffic-worker.js";

/// The HTML document around the app: head, hydration scripts, and the vendored echarts build.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The server's context holds the path once; each render shares it.
    let echarts: std::sync::Arc<str> =
        use_context::<EchartsSrc>().map_or_else(|| ECHARTS_PATH.into(), |src| src.0);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // Where echarts is: the first chart to draw loads it (`browser::with_echarts`),
                // so its 230 KB never delay hydration and a page without charts never loads it.
                <meta name=ECHARTS_META content=echarts />
                // The stylesheet's name carries cargo-leptos's content hash (`hash-files`), so
                // the server can let browsers cache it for good.
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app: routes and document metadata.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // One route per entry of the page table.
    let routes: StaticVec<_> = pages::PAGES
        .iter()
        .map(|page| {
            Route(
                RouteProps::builder()
                    .path(StaticSegment(page.segment()))
                    .view(page.view)
                    .build(),
            )
        })
        .collect::<Vec<_>>()
        .into();
    let routes = RoutesProps::builder()
        .fallback(pages::not_found::NotFound)
        .children(RouteChildren::to_children(move || routes))
        .build();
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content="Capacity planning, availability and cost calculator" />
        <Title text="Headroom" />
        <Router>
            <Frame>
                {Routes(routes)}
            </Frame>
        </Router>
    }
}

/// The frame inside the router: provides the scenario state and draws the header.
#[component]
fn Frame(children: Children) -> impl IntoView {
    provide_context(state::ScenarioState::new());
    view! {
        // The first stop of the keyboard: past the navigation, straight to the page. `rel` makes
        // the router leave the click to the browser (leptos_router's `handle_anchor_click`),
        // whose own jump to a fragment also moves the focus there.
        <a class="skip-link" href="#main" rel="external">"Skip to main content"</a>
        <components::layout::Header />
        <main id="main" tabindex="-1">
            <components::share_bar::ShareBar />
            {children()}
        </main>
        <footer class="bottom">
            <p>
                "Headroom: figures computed by one Rust core, on the server and in your browser. "
                "Formulas and sources: the chapter “Scaling and Infrastructure”, AWS Lambda's public "
                "price list, and the textbooks named in each trace."
            </p>
        </footer>
    }
}

/// The observed-traffic panel's worker (`public/traffic-worker.js`) calls this to read an
/// imported file off the page's thread: [`components::observed::read::read`], answered as the
/// JSON of `Result<Read, String>` (a few kilobytes whatever the file's size).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn read_traffic(text: &str, values: &str, step: &str) -> String {
    let answer =
        components::observed::read::read(text, values, step, components::observed::worker::clock);
    // An empty answer (never expected) makes the page read the file itself.
    serde_json::to_string(&answer).unwrap_or_default()
}

/// `make bench` (`tools/bench-client.mjs`) times sampling in the browser with this: the
/// milliseconds each of `runs` (at most 50) samplings of `query`'s ranges takes, the very code
/// the page runs after typing ([`headroom::uncertainty::sample`]), timed by the page's clock.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn time_sampling(query: &str, runs: u32) -> Vec<f64> {
    let Some(clock) = web_sys::window().and_then(|w| w.performance()) else {
        return Vec::new();
    };
    let scenario = headroom::scenario::Scenario::from_query(query).scenario;
    (0..runs.min(50))
        .map(|_| {
            let start = clock.now();
            std::hint::black_box(headroom::uncertainty::sample(&scenario));
            clock.now() - start
        })
        .collect()
}

/// Entry point of the WASM bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // What was typed while the WASM loaded survives hydration: read before, replayed after.
    let edited = browser::edited_controls();
    leptos::mount::hydrate_body(App);
    browser::replay(edited);
    // A marker for tests and for CSS: the page is now interactive.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "");
    }
}
