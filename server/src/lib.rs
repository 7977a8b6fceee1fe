//! Headroom's server as a library: the whole HTTP service (pages, JSON API, static assets and
//! every limit around them) is built by [`build`], so tests drive it through
//! `tower::ServiceExt::oneshot` without a socket, and `main` only reads flags, binds and serves.
//!
//! Layers, outermost first: a last-resort panic guard, one log line per request, security and
//! cache headers, the bodies of the bare refusals of the tower-http layers inside, a panic guard,
//! compression, unroutable targets, requests in flight per client, load shedding, the request
//! timeout; then the routes. The API alone adds the rate limiter and its JSON error bodies. The
//! pages and the GET report are answered from a bounded cache of rendered responses when they can
//! be ([`cache`]); uncached pages render on a runtime of their own, off the threads that answer
//! everything else ([`render`]). With `--metrics-addr`, a layer just inside the outer panic guard
//! counts every answer for `/metrics`, which is served on that address alone ([`metrics`]).
#![forbid(unsafe_code)]

pub mod api;
pub mod assets;
pub mod cache;
pub mod cli;
pub mod client;
pub mod config;
pub mod headers;
pub mod limits;
pub mod logging;
pub mod metrics;
pub mod rate_limit;
pub mod render;
pub mod serve;
pub mod traffic;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Router, middleware};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use headroom_app::{App, shell};

pub use config::Config;

/// How long after shedding a request (a 503 for being at a limit) `/readyz` still says
/// `overloaded`, so that a load balancer polling every few seconds sees it.
pub const SHEDDING_SHOWS_FOR: Duration = Duration::from_secs(1);

/// Whether the process takes traffic: ready once listening, draining after SIGTERM, and
/// overloaded for a moment after it last shed a request.
#[derive(Debug)]
pub struct Lifecycle {
    ready: AtomicBool,
    draining: AtomicBool,
    started: Instant,
    /// Milliseconds after `started` of the last shed request, or `u64::MAX` for never.
    shed_at_ms: AtomicU64,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self {
            ready: AtomicBool::new(false),
            draining: AtomicBool::new(false),
            started: Instant::now(),
            shed_at_ms: AtomicU64::new(u64::MAX),
        }
    }
}

impl Lifecycle {
    /// Records that a request was just refused for being at a limit of the whole server.
    pub fn note_shedding(&self) {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
        self.shed_at_ms.store(now, Ordering::Relaxed);
    }

    /// Whether a request was shed within the last [`SHEDDING_SHOWS_FOR`].
    pub fn is_shedding(&self) -> bool {
        let at = self.shed_at_ms.load(Ordering::Relaxed);
        at != u64::MAX && Duration::from_millis(at) + SHEDDING_SHOWS_FOR > self.started.elapsed()
    }

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
    /// Where uncached pages render, for the periodic cleanup of its per-client limiter.
    pub renderer: Arc<render::Renderer>,
    /// What `/metrics` reports (`None` without `--metrics-addr`: nothing is counted).
    pub metrics: Option<Arc<metrics::Metrics>>,
}

/// Builds the service from the configuration and the Leptos options (site root, output name,
/// hashed file names).
///
/// # Panics
/// When the render runtime's threads cannot be started (at start-up, before serving).
pub fn build(config: &Config, leptos_options: LeptosOptions) -> Service {
    let lifecycle = Arc::new(Lifecycle::default());
    let renderer = Arc::new(
        render::Renderer::new(config.render_bounds(), lifecycle.clone())
            .expect("the render runtime starts"),
    );
    let rate_limiter = rate_limit::ApiRateLimiter::new(
        config.api_rate,
        config.api_burst,
        config.client_ip_header.clone(),
    )
    .map(Arc::new);
    let asset_policy = Arc::new(assets::AssetPolicy::from_options(&leptos_options));
    let cache = cache::ResponseCache::new(config.cache_bounds()).map(Arc::new);
    let metrics = config
        .metrics_addr
        .is_some()
        .then(|| Arc::new(metrics::Metrics::new(cache.clone())));

    let api_state = api::ApiState {
        max_body_bytes: config.max_body_bytes,
        body_timeout: config.body_timeout,
        cache: cache.clone(),
    };
    // The pages' traffic import without JavaScript: computed like an API call, so limited like one.
    let import_form = Router::new()
        .route(
            "/traffic/import",
            axum::routing::post(traffic::post_import_form),
        )
        .with_state(api_state.clone())
        .layer(middleware::from_fn_with_state(
            rate_limiter.clone(),
            rate_limit::limit_api,
        ));
    let api = api::router(api_state).layer(middleware::from_fn_with_state(
        rate_limiter.clone(),
        rate_limit::limit_api,
    ));

    let routes = generate_route_list(App);
    // Inside the header middleware, which makes the nonce; only on the page routes, so the 404
    // page (the fallback) is never stored.
    let pages = Router::new()
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            assets::page_context(&asset_policy),
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .with_state(leptos_options.clone())
        .route_layer(middleware::from_fn_with_state(
            cache::pages::PageState {
                cache: cache.clone(),
                renderer: renderer.clone(),
                client_ip_header: config.client_ip_header.clone(),
            },
            cache::pages::serve,
        ));

    let shedder = Arc::new(limits::LoadShedder::new(
        config.max_concurrent,
        lifecycle.clone(),
    ));
    let client_slots = Arc::new(limits::ClientSlots::new(
        config.max_per_client,
        config.client_ip_header.clone(),
    ));
    let timeout = config.request_timeout;

    // One `ServiceBuilder`, applied by one `Router::layer`: each `Router::layer` call boxes every
    // route again, and each `from_fn` middleware clones (and boxes) all it wraps per request, so
    // sixteen separate calls cost the trivial route a quarter of its throughput (BENCHMARKS.md).
    let layers = ServiceBuilder::new()
        // Outside every layer, should a layer itself panic: a 500 rather than a dropped connection.
        .layer(CatchPanicLayer::custom(limits::panic_response))
        // Outside everything that can refuse, so every answer is counted; only when asked for,
        // so that a server without `--metrics-addr` does not pay for it.
        .option_layer(
            metrics
                .clone()
                .map(|metrics| middleware::from_fn_with_state(metrics, metrics::track)),
        )
        .layer(middleware::from_fn_with_state(
            config.client_ip_header.clone(),
            logging::log_request,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // The scenario lives in the URL; it is nobody else's business where it came from.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        // While draining, hyper closes the connection after this response; the client's next
        // request opens a new connection, which the next process (sharing the listening socket)
        // accepts.
        .layer(SetResponseHeaderLayer::overriding(header::CONNECTION, {
            let lifecycle = lifecycle.clone();
            move |_: &axum::response::Response| {
                lifecycle
                    .is_draining()
                    .then_some(HeaderValue::from_static("close"))
            }
        }))
        // Pages, API answers and unhashed files revalidate every time; hashed files say
        // otherwise where they are served (`assets::static_files`).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        // Every answer but a page (which gets its own, with a nonce, just inside).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(headers::RESOURCE_POLICY),
        ))
        .layer(middleware::from_fn(headers::page_policy_with_nonce))
        .layer(middleware::from_fn_with_state(
            timeout,
            limits::refusal_bodies,
        ))
        .layer(CatchPanicLayer::custom(limits::panicked))
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .br(true)
                .quality(CompressionLevel::Precise(4)),
        )
        .layer(middleware::from_fn(limits::refuse_unroutable))
        .layer(middleware::from_fn_with_state(
            client_slots,
            limits::limit_per_client,
        ))
        .layer(middleware::from_fn_with_state(shedder, limits::shed_load))
        // Reading the body included; answers a bare 408, which `refusal_bodies` words.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ));
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz).with_state(lifecycle.clone()))
        .nest("/api", api)
        .route("/api/", axum::routing::any(api::not_found))
        .merge(pages)
        .merge(import_form)
        .fallback_service(assets::static_files(&leptos_options, asset_policy))
        .layer(layers);

    Service {
        router,
        lifecycle,
        rate_limiter,
        cache,
        renderer,
        metrics,
    }
}

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: 200 while taking traffic; 503 before listening, while draining, and for a moment
/// after shedding load (so a balancer sends the next requests elsewhere).
async fn readyz(State(lifecycle): State<Arc<Lifecycle>>) -> impl IntoResponse {
    if lifecycle.is_draining() {
        (StatusCode::SERVICE_UNAVAILABLE, "draining")
    } else if !lifecycle.is_ready() {
        (StatusCode::SERVICE_UNAVAILABLE, "starting")
    } else if lifecycle.is_shedding() {
        (StatusCode::SERVICE_UNAVAILABLE, "overloaded")
    } else {
        (StatusCode::OK, "ready")
    }
}
