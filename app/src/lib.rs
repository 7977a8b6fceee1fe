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

/// Where the page loads its WASM bundle from: the script and the `.wasm` under the site root,
/// with cargo-leptos's content hashes when it wrote them. The server works them out once at
/// start and provides them to every render; without it, [`Bundle::plain`].
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The bundle's JavaScript glue, e.g. `/pkg/headroom.<hash>.js`.
    pub js: std::sync::Arc<str>,
    /// The bundle's WASM, e.g. `/pkg/headroom.<hash>.wasm`.
    pub wasm: std::sync::Arc<str>,
    /// Each page's WASM chunks (`cargo leptos build --split`), by the page's path: the paths,
    /// space-separated, that the page's `data-chunks` gives the bootstrap to fetch beside the
    /// bundle. Empty for a build that was not split.
    pub chunks: std::sync::Arc<[(&'static str, std::sync::Arc<str>)]>,
}

impl Bundle {
    /// The unhashed names cargo-leptos writes for these options (a build without cargo-leptos,
    /// which sets no `LEPTOS_OUTPUT_NAME`, has wasm-bindgen's `<name>_bg.wasm`, as Leptos's own
    /// bootstrap assumes).
    pub fn plain(options: &LeptosOptions) -> Self {
        Self::hashed(options, None, None)
    }

    /// The names with cargo-leptos's content hashes for the script and the WASM, where known.
    pub fn hashed(options: &LeptosOptions, js: Option<&str>, wasm: Option<&str>) -> Self {
        let dir = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        let with = |hash: Option<&str>| hash.map(|h| format!(".{h}")).unwrap_or_default();
        let bg = if wasm.is_none() && option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            "_bg"
        } else {
            ""
        };
        Self {
            js: format!("{dir}{}.js", with(js)).into(),
            wasm: format!("{dir}{bg}{}.wasm", with(wasm)).into(),
            chunks: std::sync::Arc::new([]),
        }
    }

    /// With each page's chunks from the split manifest cargo-leptos writes
    /// (`__wasm_split_manifest.<hash>.json`): its keys are the split points' names
    /// ([`pages::Page::chunk`]), its values the chunks' file names without `.wasm`.
    pub fn with_manifest(
        mut self,
        options: &LeptosOptions,
        manifest: &std::collections::HashMap<String, Vec<String>>,
    ) -> Self {
        let chunks = pages::PAGES.iter().filter_map(|page| {
            let files = manifest.get(page.chunk)?;
            let paths = files
                .iter()
                .map(|file| format!("/{}/{file}.wasm", options.site_pkg_dir))
                .collect::<Vec<_>>()
                .join(" ");
            Some((page.path, paths.into()))
        });
        self.chunks = chunks.collect();
        self
    }

    /// The chunks of the page at `path`, space-separated (see [`Bundle::chunks`]).
    pub fn chunks_of(&self, path: &str) -> Option<std::sync::Arc<str>> {
        self.chunks
            .iter()
            .find(|(page, _)| *page == path)
            .map(|(_, chunks)| chunks.clone())
    }
}

/// The names of the `<meta>` tags whose contents are the bundle's script and WASM (read by the
/// bootstrap script, by the observed-traffic worker and by `tools/bench-client.mjs`).
pub const BUNDLE_JS_META: &str = "bundle-js";
/// See [`BUNDLE_JS_META`].
pub const BUNDLE_WASM_META: &str = "bundle-wasm";

/// The inline module that loads the bundle and hydrates the page, once the page has painted
/// (`bootstrap.js`, sent as written: every page carries it).
///
/// It reads the bundle's names from the two `<meta>` tags beside it, so its text is the same on
/// every page and in every build; the page's CSP nonce allows it (`server/src/headers.rs`).
/// Leptos's own bootstrap (`<HydrationScripts>`) also preloads the script and the WASM from the
/// head. On a slow link the 700 KB WASM then shares the connection with the stylesheet the first
/// paint waits for, and Lighthouse's simulated phone counted the whole WASM download into the
/// largest paint (4.5 s instead of 1.0 s on half the runs; BENCHMARKS.md "Lighthouse"). Here the
/// download starts once the browser reports the first paint (a `PerformanceObserver` of
/// `paint` entries; two frames where paint timing is not reported), which costs a fast link a
/// frame or two. A tab opened in the background does not paint, so it starts at once. (The
/// first try waited for one animation frame, and the WASM's fetch still began before the
/// paint's time in 1 run of 6: `end2end/tests/loading.spec.ts` caught it.)
const BOOTSTRAP: &str = include_str!("bootstrap.js");

/// The observed-traffic panel's worker script under the site root (`public/traffic-worker.js`).
pub const TRAFFIC_WORKER_PATH: &str = "/traffic-worker.js";

/// The HTML document around the app: head, hydration scripts, and the vendored echarts build.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The server's context holds the path once; each render shares it.
    let echarts: std::sync::Arc<str> =
        use_context::<EchartsSrc>().map_or_else(|| ECHARTS_PATH.into(), |src| src.0);
    let bundle = use_context::<Bundle>().unwrap_or_else(|| Bundle::plain(&options));
    let nonce = leptos::nonce::use_nonce();
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
                // Not Leptos's `<HydrationScripts>`: its preloads put the WASM on the link
                // before the first paint (`bootstrap.js` says why).
                <meta name=BUNDLE_JS_META content=bundle.js />
                <meta name=BUNDLE_WASM_META content=bundle.wasm />
                <script type="module" nonce=nonce>
                    {BOOTSTRAP}
                </script>
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
                    .view(pages::PageRoute(page))
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
    // While the page's code downloads, the report is built in a task of its own
    // (`state::prebuilt`): a timer's task, which comes before the page's chunks have arrived.
    wasm_bindgen_futures::spawn_local(async {
        browser::next_task().await;
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        state::prebuilt::build(&search);
    });
    // The page's code is a chunk of its own (`pages::PageRoute`): fetched first, so that the
    // router finds it ready when the page hydrates.
    wasm_bindgen_futures::spawn_local(async {
        if let Some(page) = pages::Page::rendered()
            && !page.load().await
        {
            // The page stays as the server rendered it, which works without JavaScript.
            leptos::logging::warn!("the page's code could not be fetched; it is not interactive");
            return;
        }
        // Hydration is a task of its own too, whichever finished last.
        browser::next_task().await;
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
    });
}
