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

use leptos::prelude::*;

/// A page of the site.
#[derive(Clone, Copy)]
pub struct Page {
    /// The path, `/` or `/name`.
    pub path: &'static str,
    /// The link text in the navigation.
    pub label: &'static str,
    /// The page's view (the component called as the router calls it: no wrapper around it).
    pub view: fn() -> AnyView,
}

impl Page {
    /// The path as a route segment: the path without its leading `/`.
    pub fn segment(&self) -> &'static str {
        self.path.trim_start_matches('/')
    }
}

/// Every page, in navigation order.
pub const PAGES: &[Page] = &[
    Page {
        path: "/",
        label: "Overview",
        view: || home::Home().into_any(),
    },
    Page {
        path: "/capacity",
        label: "Capacity",
        view: || capacity::Capacity().into_any(),
    },
    Page {
        path: "/availability",
        label: "Availability",
        view: || availability::Availability().into_any(),
    },
    Page {
        path: "/cost",
        label: "Cost",
        view: || cost::Cost().into_any(),
    },
    Page {
        path: "/queueing",
        label: "Queueing",
        view: || queueing::Queueing().into_any(),
    },
    Page {
        path: "/autoscaling",
        label: "Autoscaling",
        view: || autoscaling::Autoscaling().into_any(),
    },
    Page {
        path: "/rate-limiting",
        label: "Rate limiting",
        view: || rate_limiting::RateLimiting().into_any(),
    },
    Page {
        path: "/load-balancing",
        label: "Load balancing",
        view: || load_balancing::LoadBalancing().into_any(),
    },
];

/// Whether a page exists at `path` (every other path is the 404 page).
pub fn is_built(path: &str) -> bool {
    PAGES.iter().any(|page| page.path == path)
}
