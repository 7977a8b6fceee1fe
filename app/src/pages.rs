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
    /// The name of the page's split point (its `#[lazy]` function), by which the split
    /// manifest lists the page's chunks ([`crate::Bundle::with_manifest`]).
    pub chunk: &'static str,
    /// The page's view, built once the page's code has loaded.
    view: fn() -> ViewOnTheWay,
    /// Fetches the page's code without building its view.
    #[cfg(feature = "hydrate")]
    load: fn() -> Pin<Box<dyn Future<Output = ()>>>,
}

impl Page {
    /// The path as a route segment: the path without its leading `/`.
    pub fn segment(&self) -> &'static str {
        self.path.trim_start_matches('/')
    }

    /// The page's code, fetched: hydration waits for it, so that the router finds the page's
    /// view ready (Leptos's synchronous hydration; its asynchronous one, made for lazy routes,
    /// put the app's empty text nodes out of step with the server's HTML).
    #[cfg(feature = "hydrate")]
    pub async fn load(&self) {
        (self.load)().await
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

/// A page's view, on the way: in the browser each page's code is a chunk of its own, fetched
/// the first time the page is shown (`cargo leptos build --split`; which chunks a page needs is
/// in `target/site/pkg/__wasm_split_manifest.*.json`), so a reader of `/capacity` never
/// downloads the simulators. On the server the future is ready at once.
#[cfg(feature = "hydrate")]
type ViewOnTheWay = Pin<Box<dyn Future<Output = AnyView>>>;
/// See the browser's [`ViewOnTheWay`]; the server's is `Send`.
#[cfg(not(feature = "hydrate"))]
type ViewOnTheWay = Pin<Box<dyn Future<Output = AnyView> + Send>>;

/// How the router builds a page, one type for every route so that one table drives them all
/// (Leptos's own `Lazy<T>` is a type per route).
#[derive(Clone, Copy)]
pub struct PageRoute(pub &'static Page);

impl leptos_router::ChooseView for PageRoute {
    async fn choose(self) -> AnyView {
        let view = (self.0.view)().await;
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

/// One split point per page (Leptos's `#[lazy]`): the page's component and all that only it
/// uses go in its chunk; what several pages share goes in chunks they share.
macro_rules! lazy_page {
    ($path:literal, $label:literal, $name:ident, $preload:ident, $view:expr) => {{
        #[lazy]
        fn $name() -> AnyView {
            $view.into_any()
        }
        Page {
            path: $path,
            label: $label,
            chunk: stringify!($name),
            view: || Box::pin($name()),
            #[cfg(feature = "hydrate")]
            // What `#[lazy]` names the function that fetches the chunk without calling it.
            load: || Box::pin($preload()),
        }
    }};
}

/// Every page, in navigation order.
pub static PAGES: &[Page] = &[
    lazy_page!(
        "/",
        "Overview",
        home_page,
        __preload_home_page,
        home::Home()
    ),
    lazy_page!(
        "/capacity",
        "Capacity",
        capacity_page,
        __preload_capacity_page,
        capacity::Capacity()
    ),
    lazy_page!(
        "/availability",
        "Availability",
        availability_page,
        __preload_availability_page,
        availability::Availability()
    ),
    lazy_page!(
        "/cost",
        "Cost",
        cost_page,
        __preload_cost_page,
        cost::Cost()
    ),
    lazy_page!(
        "/queueing",
        "Queueing",
        queueing_page,
        __preload_queueing_page,
        queueing::Queueing()
    ),
    lazy_page!(
        "/autoscaling",
        "Autoscaling",
        autoscaling_page,
        __preload_autoscaling_page,
        autoscaling::Autoscaling()
    ),
    lazy_page!(
        "/rate-limiting",
        "Rate limiting",
        rate_limiting_page,
        __preload_rate_limiting_page,
        rate_limiting::RateLimiting()
    ),
    lazy_page!(
        "/load-balancing",
        "Load balancing",
        load_balancing_page,
        __preload_load_balancing_page,
        load_balancing::LoadBalancing()
    ),
];

/// Whether a page exists at `path` (every other path is the 404 page).
pub fn is_built(path: &str) -> bool {
    PAGES.iter().any(|page| page.path == path)
}
