//! `/metrics` in the Prometheus text format, on a listener of its own (`--metrics-addr`), never on
//! the public one: what the server is doing is for its operators, not its visitors.
//!
//! With `metrics` and `metrics-exporter-prometheus`, but without installing a global recorder:
//! each [`Metrics`] owns its recorder and registers its handles on it, so several services in one
//! process (the tests build dozens) count apart, and a service without `--metrics-addr` pays
//! nothing (its router has no metrics layer at all).
//!
//! Label values are bounded: `route` is the route template axum matched (`/api/v1/report`,
//! `/capacity`), never the path as sent, and everything no route matched (static files and 404s)
//! is one value, [`FALLBACK_ROUTE`]; `method` is one of a fixed few; `status` is a three-digit
//! code. A client cannot make a new time series by making up a URL.
//!
//! Refusals are counted where the request comes back out: each layer that refuses marks its
//! response with a [`Refused`] extension, which [`track`] reads, so the limits need no handle on
//! the metrics.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics::{Counter, Gauge, Histogram, Key, Label, Metadata, Recorder};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

use crate::cache::ResponseCache;

/// The `route` label of requests no route matched: static files, and 404s.
pub const FALLBACK_ROUTE: &str = "fallback";

/// Request latency buckets, seconds: a cached page answers in tens of microseconds, an uncached
/// simulator page in up to a few hundred milliseconds, and the request timeout is 10 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

const REQUESTS: &str = "headroom_http_requests_total";
const DURATION: &str = "headroom_http_request_duration_seconds";
const IN_FLIGHT: &str = "headroom_http_requests_in_flight";
const RATE_LIMITED: &str = "headroom_rate_limited_total";
const SHED: &str = "headroom_load_shed_total";
const CACHE_HITS: &str = "headroom_cache_hits_total";
const CACHE_MISSES: &str = "headroom_cache_misses_total";
const CACHE_BYTES: &str = "headroom_cache_bytes";
const CACHE_CAPACITY_BYTES: &str = "headroom_cache_capacity_bytes";
const CACHE_ENTRIES: &str = "headroom_cache_entries";
const BUILD_INFO: &str = "headroom_build_info";

/// The limit that refused a request, as the response carries it for [`track`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A 429 of a per-client limit: `api_rate` (the API's token bucket), `client_in_flight`
    /// (`--max-per-client`) or `render_rate` (uncached renders per client).
    RateLimited(&'static str),
    /// A 503 of a limit of the whole server: `max_concurrent` or `render_queue`.
    Shed(&'static str),
}

impl Refused {
    /// Every label value, so that each series exists (at 0) before the first refusal.
    const ALL: [Refused; 5] = [
        Refused::RateLimited("api_rate"),
        Refused::RateLimited("client_in_flight"),
        Refused::RateLimited("render_rate"),
        Refused::Shed("max_concurrent"),
        Refused::Shed("render_queue"),
    ];

    /// Marks `response` as refused by this limit.
    pub fn mark(self, mut response: Response) -> Response {
        response.extensions_mut().insert(self);
        response
    }

    fn key(self) -> Key {
        match self {
            Refused::RateLimited(limit) => {
                Key::from_parts(RATE_LIMITED, vec![Label::new("limit", limit)])
            }
            Refused::Shed(limit) => Key::from_parts(SHED, vec![Label::new("limit", limit)]),
        }
    }
}

/// One service's metrics: its recorder, and the handles updated on every request.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    in_flight: Gauge,
    cache: Option<CacheMetrics>,
    /// The handles of each route template, so that a request costs two lookups by `&str` and no
    /// allocation; asking the recorder each time (a `Key` of owned labels, hashed) cost the
    /// cached report 15% of its throughput (BENCHMARKS.md). As bounded as the routes.
    routes: RwLock<HashMap<Box<str>, Arc<RouteMetrics>>>,
}

/// One route template's handles.
struct RouteMetrics {
    duration: Histogram,
    /// By method and status: a handful per route.
    requests: RwLock<Vec<(&'static str, u16, Counter)>>,
}

struct CacheMetrics {
    cache: Arc<ResponseCache>,
    hits: Counter,
    misses: Counter,
    bytes: Gauge,
    entries: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// Handles are registered with no target or level: the exporter ignores them.
static METADATA: Metadata<'static> =
    Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

impl Metrics {
    /// A fresh set of metrics, reading the response cache's counters (if any) at each scrape.
    pub fn new(cache: Option<Arc<ResponseCache>>) -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.to_string()), LATENCY_BUCKETS)
            // Only fails on an empty bucket list.
            .unwrap_or_else(|_| PrometheusBuilder::new())
            .build_recorder();
        let handle = recorder.handle();
        // The exporter keeps one description per name whatever its kind.
        let describe = |name: &'static str, help: &'static str| {
            recorder.describe_counter(name.into(), None, help.into());
        };
        describe(
            REQUESTS,
            "Requests answered, by method, route template and status",
        );
        describe(
            DURATION,
            "Time from the request to its response head, by route template",
        );
        describe(IN_FLIGHT, "Requests being handled now");
        describe(
            RATE_LIMITED,
            "Requests refused with 429 by a per-client limit, by limit",
        );
        describe(
            SHED,
            "Requests refused with 503 by a limit of the whole server (load shedding), by limit",
        );
        describe(BUILD_INFO, "The running build: always 1, with its version");
        let in_flight = recorder.register_gauge(&Key::from_static_name(IN_FLIGHT), &METADATA);
        for refused in Refused::ALL {
            recorder
                .register_counter(&refused.key(), &METADATA)
                .absolute(0);
        }
        recorder
            .register_gauge(
                &Key::from_parts(
                    BUILD_INFO,
                    vec![Label::new("version", env!("CARGO_PKG_VERSION"))],
                ),
                &METADATA,
            )
            .set(1.0);
        let cache = cache.map(|cache| {
            describe(
                CACHE_HITS,
                "Lookups of a rendered page or report answered from the cache",
            );
            describe(
                CACHE_MISSES,
                "Lookups of a rendered page or report not in the cache",
            );
            describe(
                CACHE_BYTES,
                "Bytes the cache holds (bodies, headers and keys)",
            );
            describe(
                CACHE_CAPACITY_BYTES,
                "Bytes the cache may hold (--cache-bytes)",
            );
            describe(CACHE_ENTRIES, "Responses the cache holds");
            let gauge = |name: &'static str| {
                recorder.register_gauge(&Key::from_static_name(name), &METADATA)
            };
            gauge(CACHE_CAPACITY_BYTES).set(cache.bounds().bytes as f64);
            CacheMetrics {
                hits: recorder.register_counter(&Key::from_static_name(CACHE_HITS), &METADATA),
                misses: recorder.register_counter(&Key::from_static_name(CACHE_MISSES), &METADATA),
                bytes: gauge(CACHE_BYTES),
                entries: gauge(CACHE_ENTRIES),
                cache,
            }
        });
        Self {
            recorder,
            handle,
            in_flight,
            cache,
            routes: RwLock::default(),
        }
    }

    /// The text a scrape reads, with the cache's figures as of now.
    pub fn render(&self) -> String {
        if let Some(metrics) = &self.cache {
            metrics.hits.absolute(metrics.cache.hits());
            metrics.misses.absolute(metrics.cache.misses());
            metrics.bytes.set(metrics.cache.bytes() as f64);
            metrics.entries.set(metrics.cache.len() as f64);
        }
        self.handle.render()
    }

    /// Folds the latencies recorded since the last scrape into the histograms. Without it, a
    /// server nobody scrapes would keep every sample; `main` calls it every few seconds.
    pub fn run_upkeep(&self) {
        self.handle.run_upkeep();
    }

    fn count(&self, method: &'static str, route: &str, status: StatusCode, seconds: f64) {
        let handles = self.route(route);
        handles.duration.record(seconds);
        let status = status.as_u16();
        let found = read(&handles.requests)
            .iter()
            .find(|(m, s, _)| *m == method && *s == status)
            .map(|(_, _, counter)| counter.clone());
        let counter = found.unwrap_or_else(|| {
            let labels = vec![
                Label::new("method", method),
                Label::new("route", route.to_string()),
                Label::new("status", status.to_string()),
            ];
            let counter = self
                .recorder
                .register_counter(&Key::from_parts(REQUESTS, labels), &METADATA);
            let mut requests = write(&handles.requests);
            if !requests
                .iter()
                .any(|(m, s, _)| *m == method && *s == status)
            {
                requests.push((method, status, counter.clone()));
            }
            counter
        });
        counter.increment(1);
    }

    /// The handles of `route`, made on its first request.
    fn route(&self, route: &str) -> Arc<RouteMetrics> {
        if let Some(found) = read(&self.routes).get(route) {
            return found.clone();
        }
        let made = Arc::new(RouteMetrics {
            duration: self.recorder.register_histogram(
                &Key::from_parts(DURATION, vec![Label::new("route", route.to_string())]),
                &METADATA,
            ),
            requests: RwLock::default(),
        });
        write(&self.routes)
            .entry(route.into())
            .or_insert(made)
            .clone()
    }
}

/// A read lock, whether or not a thread panicked holding it (the data is handles, always whole).
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

/// A write lock, likewise.
fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// Decrements the in-flight gauge however the request ends (answered, timed out, or dropped
/// because the client went away).
struct InFlight(Gauge);

impl InFlight {
    fn start(gauge: &Gauge) -> Self {
        gauge.increment(1.0);
        Self(gauge.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

/// The `method` label: the methods the app serves, and `other` for the rest (hyper accepts any
/// token as a method, so the raw value would be unbounded).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// Middleware, outside every other layer of the app: counts each request by route template and
/// status, times it to its response head, keeps the in-flight gauge, and counts refusals.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let method = method_label(request.method());
    let started = Instant::now();
    let in_flight = InFlight::start(&metrics.in_flight);
    let response = next.run(request).await;
    drop(in_flight);
    metrics.count(
        method,
        route_of(&matched),
        response.status(),
        started.elapsed().as_secs_f64(),
    );
    if let Some(refused) = response.extensions().get::<Refused>() {
        metrics
            .recorder
            .register_counter(&refused.key(), &METADATA)
            .increment(1);
    }
    response
}

fn route_of(matched: &Option<MatchedPath>) -> &str {
    matched.as_ref().map_or(FALLBACK_ROUTE, MatchedPath::as_str)
}

/// The metrics listener's routes: `GET /metrics`, and nothing else. No rate limit, no cache, no
/// compression: it answers one scraper on a private address.
pub fn router(metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(metrics)
}

async fn scrape(State(metrics): State<Arc<Metrics>>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        metrics.render(),
    )
        .into_response()
}
