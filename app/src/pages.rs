//! One page per file, and the one table of pages: it drives the routes, the navigation and
//! which paths exist (every other path is the 404 page).

pub mod autoscaling;
pub mod availability;
pub mod capacity;
pub mod cost;
pub mod home;
pub mod load_balancing;
pub mod not_found;
pub mod queueing;
pub mod rate_limiting;

use std::{future::Future, pin::Pin};

use leptos::prelude::*;

/// A page of the site.
pub struct Page {
    /// The path, `/` or `/name`.
    pub path: &'static str,
    /// The link text in the navigation.
    pub label: &'static str,
    /// The name of the page's split point, by which the split manifest lists the chunks its code
    /// is in ([`crate::Bundle::with_manifest`]).
    pub chunk: &'static str,
    /// The page's view, built once the page's code has loaded; `None` when it could not be.
    view: fn() -> ViewOnTheWay,
    /// Fetches the page's code without building its view: whether it could.
    #[cfg(feature = "hydrate")]
    load: fn() -> Pin<Box<dyn Future<Output = bool>>>,
}

impl Page {
    /// The path as a route segment: the path without its leading `/`.
    pub fn segment(&self) -> &'static str {
        self.path.trim_start_matches('/')
    }

    /// Fetches the page's code (at most once; a failed fetch is tried again next time): whether
    /// it is in. Hydration waits for it, so that the router finds the page's view ready: Leptos's
    /// synchronous hydration. (Its asynchronous one, made for lazy routes, put the share bar's
    /// empty status text out of step with the server's HTML.)
    #[cfg(feature = "hydrate")]
    pub async fn load(&self) -> bool {
        (self.load)().await
    }

    /// Starts fetching the page's code when the reader points at or tabs to a link to it, so
    /// that following the link rarely waits for it. Nothing on the server.
    pub fn warm(&'static self) {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            self.load().await;
        });
    }

    /// The page the server rendered into this document: the one its `data-page` names.
    #[cfg(feature = "hydrate")]
    pub fn rendered() -> Option<&'static Page> {
        let marker = web_sys::window()?
            .document()?
            .query_selector("[data-page]")
            .ok()??
            .get_attribute("data-page")?;
        PAGES.iter().find(|page| page.path == marker)
    }
}

/// A page's view, on the way: in the browser each page's code is in chunks of its own, fetched
/// the first time the page is shown (`cargo leptos build --split`; which chunks a page needs is
/// in `target/site/pkg/__wasm_split_manifest.*.json`), so a reader of `/capacity` never
/// downloads the simulators. On the server the future is ready at once.
#[cfg(feature = "hydrate")]
type ViewOnTheWay = Pin<Box<dyn Future<Output = Option<AnyView>>>>;
/// See the browser's [`ViewOnTheWay`]; the server's is `Send`.
#[cfg(not(feature = "hydrate"))]
type ViewOnTheWay = Pin<Box<dyn Future<Output = Option<AnyView>> + Send>>;

/// How the router builds a page, one type for every route so that one table drives them all
/// (Leptos's own `Lazy<T>` is a type per route).
#[derive(Clone, Copy)]
pub struct PageRoute(pub &'static Page);

impl leptos_router::ChooseView for PageRoute {
    async fn choose(self) -> AnyView {
        let Some(view) = (self.0.view)().await else {
            // The page's code could not be fetched (offline, or a new release replaced the
            // files): the browser asks the server for the page instead, as without JavaScript.
            #[cfg(feature = "hydrate")]
            crate::browser::load_from_server(self.0.path);
            return ().into_any();
        };
        // Which page this is, for the browser to fetch its code before hydrating
        // ([`Page::rendered`]), and, from the server, the chunks that code is in, which the
        // bootstrap fetches beside the bundle (`bootstrap.js`).
        let chunks = use_context::<crate::Bundle>().and_then(|b| b.chunks_of(self.0.path));
        view! { <div class="page" data-page=self.0.path data-chunks=chunks>{view}</div> }.into_any()
    }

    async fn preload(&self) {
        #[cfg(feature = "hydrate")]
        self.0.load().await;
    }
}

/// One split point per page: in the browser, `wasm_split` (what Leptos's `#[lazy]` is made of,
/// here with `fallible`, so that a chunk that cannot be fetched is an `Err` and not a panic that
/// stops the whole bundle) puts the page's component and all that only it uses in its chunk, and
/// what several pages share in chunks they share. On the server the view is built at once.
// rustfmt re-indents the attribute below on every run (its formatting of macro bodies is not
// idempotent there), so the macro is left as written.
#[rustfmt::skip]
macro_rules! lazy_page {
    ($path:literal, $label:literal, $name:ident, $view:expr) => {{
        #[cfg(feature = "hydrate")]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, preload(load), fallible)]
        fn $name() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
            Ok($view.into_any())
        }
        Page {
            path: $path,
            label: $label,
            chunk: stringify!($name),
            #[cfg(feature = "hydrate")]
            view: || Box::pin(async { $name().await.ok() }),
            #[cfg(not(feature = "hydrate"))]
            view: || Box::pin(async { Some($view.into_any()) }),
            #[cfg(feature = "hydrate")]
            load: || Box::pin(async { load().await.is_ok() }),
        }
    }};
}

/// Every page, in navigation order.
pub static PAGES: &[Page] = &[
    lazy_page!("/", "Overview", home_page, home::Home()),
    lazy_page!("/capacity", "Capacity", capacity_page, capacity::Capacity()),
    lazy_page!(
        "/availability",
        "Availability",
        availability_page,
        availability::Availability()
    ),
    lazy_page!("/cost", "Cost", cost_page, cost::Cost()),
    lazy_page!("/queueing", "Queueing", queueing_page, queueing::Queueing()),
    lazy_page!(
        "/autoscaling",
        "Autoscaling",
        autoscaling_page,
        autoscaling::Autoscaling()
    ),
    lazy_page!(
        "/rate-limiting",
        "Rate limiting",
        rate_limiting_page,
        rate_limiting::RateLimiting()
    ),
    lazy_page!(
        "/load-balancing",
        "Load balancing",
        load_balancing_page,
        load_balancing::LoadBalancing()
    ),
];

/// Whether a page exists at `path` (every other path is the 404 page).
pub fn is_built(path: &str) -> bool {
    PAGES.iter().any(|page| page.path == path)
}
