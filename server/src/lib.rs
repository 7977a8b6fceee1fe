//! Headroom's server as a library: the whole HTTP service (pages, JSON API, static assets and
//! every limit around them) is built by [`build`], so tests drive it through
//! `tower::ServiceExt::oneshot` without a socket, and `main` only reads flags, binds and serves.
//!
//! Layers, outermost first: panic guard, one log line per request, security and cache headers,
//! compression, load shedding, the request timeout; then the routes. The API alone adds the
//! rate limiter and its JSON error bodies. The pages and the GET report are answered from a
//! bounded cache of rendered responses when they can be ([`cache`]).
#![forbid(unsafe_code)]

pub mod api;
pub mod assets;
pub mod cache;
pub mod config;
pub mod headers;
pub mod limits;
pub mod logging;
pub mod rate_limit;
pub mod serve;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Router, middleware};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};

use headroom_app::{App, shell};

pub use config::Config;

/// Whether the process takes traffic: ready once listening, draining after SIGTERM.
#[derive(Debug, Default)]
pub struct Lifecycle {
    ready: AtomicBool,
    draining: AtomicBool,
}

impl Lifecycle {
    /// Marks the server ready for traffic.
    pub fn set_ready(&self) {
        self.ready.store(true, Ordering::SeqCst);
    }

    /// Starts draining: `/readyz` answers 503 and every response asks its client to reconnect.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Whether the server is draining.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    /// Whether a load balancer should send traffic here.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::SeqCst) && !self.is_draining()
    }
}

/// The built service and the handles `main` needs to run it.
pub struct Service {
    /// Every route and layer.
    pub router: Router,
    /// Readiness and draining, shared with the accept loop.
    pub lifecycle: Arc<Lifecycle>,
    /// The API's limiter, for the periodic cleanup of idle client entries.
    pub rate_limiter: Option<Arc<rate_limit::ApiRateLimiter>>,
    /// Rendered pages and reports (`None` when `--cache-entries` or `--cache-bytes` is 0).
    pub cache: Option<Arc<cache::ResponseCache>>,
}

/// Builds the service from the configuration and the Leptos options (site root, output name,
/// hashed file names).
pub fn build(config: &Config, leptos_options: LeptosOptions) -> Service {
    let lifecycle = Arc::new(Lifecycle::default());
    let rate_limiter = rate_limit::ApiRateLimiter::new(
        config.api_rate,
        config.api_burst,
        config.client_ip_header.clone(),
    )
    .map(Arc::new);
    let asset_policy = Arc::new(assets::AssetPolicy::from_options(&leptos_options));
    let cache = cache::ResponseCache::new(config.cache_bounds()).map(Arc::new);

    let api = api::router(api::ApiState {
        max_body_bytes: config.max_body_bytes,
        cache: cache.clone(),
    })
    .layer(middleware::from_fn_with_state(
        rate_limiter.clone(),
        rate_limit::limit_api,
    ));

    let routes = generate_route_list(App);
    let mut pages = Router::new()
        .leptos_routes_with_context(&leptos_options, routes, headers::provide_request_nonce, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .with_state(leptos_options.clone());
    if let Some(cache) = &cache {
        // Inside the header middleware, which makes the nonce; only on the page routes, so the
        // 404 page (the fallback) is never stored.
        pages = pages.route_layer(middleware::from_fn_with_state(
            cache.clone(),
            cache::pages::serve,
        ));
    }

    let shedder = Arc::new(limits::LoadShedder::new(config.max_concurrent));
    let timeout = config.request_timeout;
    let header_state = headers::HeaderState {
        assets: asset_policy,
        lifecycle: lifecycle.clone(),
    };

    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz).with_state(lifecycle.clone()))
        .nest("/api", api)
        .merge(pages)
        .fallback_service(assets::static_files(&leptos_options))
        .layer(middleware::from_fn_with_state(timeout, limits::timeout))
        .layer(middleware::from_fn_with_state(shedder, limits::shed_load))
        .layer(middleware::from_fn(limits::refuse_unroutable))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .br(true)
                .quality(CompressionLevel::Precise(4)),
        )
        .layer(middleware::from_fn_with_state(
            header_state,
            headers::security_and_cache,
        ))
        .layer(middleware::from_fn(logging::log_request))
        .layer(CatchPanicLayer::custom(limits::panic_response));

    Service {
        router,
        lifecycle,
        rate_limiter,
        cache,
    }
}

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: 200 while taking traffic, 503 before listening and while draining.
async fn readyz(State(lifecycle): State<Arc<Lifecycle>>) -> impl IntoResponse {
    if lifecycle.is_ready() {
        (StatusCode::OK, "ready")
    } else if lifecycle.is_draining() {
        (StatusCode::SERVICE_UNAVAILABLE, "draining")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "starting")
    }
}
