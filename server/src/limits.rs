//! Limits on the work one request, and one client, can cause: requests in flight (load
//! shedding), requests in flight per client, time per request, request targets the app cannot
//! route, and the answer should anything panic (the tests assert that nothing does).
//!
//! The other limits live where they act: connections (in all, per address, silent ones), header
//! size and header read time in [`crate::serve`] (hyper), body size and body time in
//! [`crate::api`], requests per client in [`crate::rate_limit`], uncached page renders in
//! [`crate::render`], and the size of a scenario in the core (every field is range-checked,
//! every value at most `MAX_VALUE_LEN` bytes, and each simulator's total work is capped).

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::Lifecycle;
use crate::client::PerClient;
use crate::metrics::Refused;

/// Seconds a shed client is asked to wait before retrying.
pub const RETRY_AFTER_SECONDS: u32 = 1;

/// Admits at most a fixed number of requests at once and refuses the rest at once, so that an
/// overload costs each extra request a few microseconds instead of queueing it into a timeout.
#[derive(Debug)]
pub struct LoadShedder {
    permits: Arc<Semaphore>,
    capacity: u32,
    lifecycle: Arc<Lifecycle>,
}

impl LoadShedder {
    /// A shedder admitting `capacity` requests at once, telling `lifecycle` when it sheds.
    pub fn new(capacity: u32, lifecycle: Arc<Lifecycle>) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(capacity as usize)),
            capacity,
            lifecycle,
        }
    }
}

/// Middleware: 503 with `Retry-After` when `max_concurrent` requests are already in flight.
/// Health checks are never shed: an overloaded server is still alive.
///
/// tower-http has no such layer, and tower's `LoadShed` over `ConcurrencyLimit` answers with an
/// error to map, would shed health checks too, and cannot tell `/readyz` that it shed.
pub async fn shed_load(
    State(shedder): State<Arc<LoadShedder>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(request.uri().path(), "/healthz" | "/readyz") {
        return next.run(request).await;
    }
    let Ok(_permit) = shedder.permits.clone().try_acquire_owned() else {
        shedder.lifecycle.note_shedding();
        return Refused::Shed("max_concurrent").mark(refusal_retry_after(
            request.uri().path(),
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the server is at its limit of {} requests at once; retry in {} s",
                shedder.capacity, RETRY_AFTER_SECONDS
            ),
            RETRY_AFTER_SECONDS.into(),
        ));
    };
    next.run(request).await
}

/// Middleware: refuses what no route serves before routing sees it: `CONNECT` (whose
/// authority-form target has no path), `TRACE`, and any target without a path.
pub async fn refuse_unroutable(request: Request, next: Next) -> Response {
    let method = request.method();
    if *method == Method::CONNECT
        || *method == Method::TRACE
        || request.uri().path_and_query().is_none()
    {
        let mut response = refusal(
            request.uri().path(),
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{method} is not served here; use GET (or POST for /api/v1/report)"),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, POST"));
        return response;
    }
    next.run(request).await
}

/// Marks the answer [`panicked`] gives `CatchPanicLayer`, for [`refusal_bodies`].
#[derive(Debug, Clone, Copy)]
struct Panicked;

/// `CatchPanicLayer`'s handler: logs the panic and leaves a bare 500 for [`refusal_bodies`], which
/// knows the path and so the form of the answer (the handler sees only the panic). The hostile
/// input tests assert that no request gets here.
pub fn panicked(panic: Box<dyn Any + Send + 'static>) -> Response {
    log_panic(panic.as_ref());
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(Panicked);
    response
}

/// Middleware: gives the bare answers of the tower-http layers inside it the body of every other
/// refusal (JSON on `/api`, text elsewhere): `TimeoutLayer`'s empty 408 (after `limit`), and the
/// 500 of `CatchPanicLayer` with [`panicked`]. It sits inside the header and log layers, so those
/// answers carry the security headers and are logged.
pub async fn refusal_bodies(
    State(limit): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    if response.extensions().get::<Panicked>().is_some() {
        return internal_error(&path);
    }
    // Every 408 of ours but `TimeoutLayer`'s says what it is (the API's body timeout is JSON).
    if response.status() != StatusCode::REQUEST_TIMEOUT
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let mut response = refusal(
        &path,
        StatusCode::REQUEST_TIMEOUT,
        format!(
            "the request took longer than {} s",
            crate::logging::seconds_text(limit)
        ),
    );
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A 500 in the form the client reads.
pub fn internal_error(path: &str) -> Response {
    refusal(
        path,
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error; this is a bug in Headroom".to_string(),
    )
}

/// The last resort, outside every layer, should a layer itself panic: a 500 rather than a
/// dropped connection.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    log_panic(panic.as_ref());
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "internal error\n",
    )
        .into_response()
}

fn log_panic(panic: &(dyn Any + Send)) {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %headroom::text::clip(&detail, 512), "a request panicked");
}

/// Requests in flight per client: one client cannot hold more than its share of the server's
/// request slots (`--max-concurrent`), whatever it does with them (slow bodies, heavy pages).
#[derive(Debug)]
pub struct ClientSlots {
    per_client: u32,
    client_ip_header: Option<HeaderName>,
    in_flight: Arc<PerClient>,
}

impl ClientSlots {
    /// At most `per_client` requests in flight per client (0: no limit).
    pub fn new(per_client: u32, client_ip_header: Option<HeaderName>) -> Self {
        Self {
            per_client,
            client_ip_header,
            in_flight: Arc::default(),
        }
    }
}

/// Middleware: 429 with `Retry-After` when this client already has its share of requests in
/// flight. Health checks are never limited. (No tower or tower-http layer keys a limit by client.)
pub async fn limit_per_client(
    State(slots): State<Arc<ClientSlots>>,
    request: Request,
    next: Next,
) -> Response {
    if slots.per_client == 0 || matches!(request.uri().path(), "/healthz" | "/readyz") {
        return next.run(request).await;
    }
    let client = crate::client::client_key(&request, slots.client_ip_header.as_ref());
    let Some(_slot) = slots.in_flight.take(client, slots.per_client) else {
        return Refused::RateLimited("client_in_flight").mark(refusal_retry_after(
            request.uri().path(),
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "this address already has {} requests in flight; retry in {} s",
                slots.per_client, RETRY_AFTER_SECONDS
            ),
            RETRY_AFTER_SECONDS.into(),
        ));
    };
    next.run(request).await
}

/// A [`refusal`] that asks the client to come back in `retry_after` seconds.
pub fn refusal_retry_after(
    path: &str,
    status: StatusCode,
    message: String,
    retry_after: u64,
) -> Response {
    let mut response = refusal(path, status, message);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// Whole seconds, rounded up, and at least one: what a `Retry-After` can say.
pub fn whole_seconds_at_least_one(wait: Duration) -> u64 {
    let whole = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    whole.max(1)
}

/// A refusal in the form the client reads: the API's JSON error for `/api` paths, plain text
/// otherwise.
pub fn refusal(path: &str, status: StatusCode, message: String) -> Response {
    if crate::api::is_api_path(path) {
        crate::api::ApiError::general(status, message).into_response()
    } else {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{message}\n"),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    use tower_http::catch_panic::CatchPanicLayer;

    async fn panicking() -> &'static str {
        if std::hint::black_box(true) {
            panic!("a bug");
        }
        "unreachable"
    }

    async fn slow() -> &'static str {
        tokio::time::sleep(Duration::from_secs(60)).await;
        "too late"
    }

    /// The app's routes behind the tower-http layers and the adapter, as `crate::build` has them.
    fn guarded(limit: Duration) -> Router {
        Router::new()
            .route("/api/v1/boom", get(panicking))
            .route("/boom", get(panicking))
            .route("/api/v1/slow", get(slow))
            .route("/slow", get(slow))
            .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                limit,
            ))
            .layer(CatchPanicLayer::custom(panicked))
            .layer(axum::middleware::from_fn_with_state(limit, refusal_bodies))
    }

    /// Asks `path` and checks the answer is `status` in the form of the path's refusals; returns
    /// the message.
    async fn refused(router: &Router, path: &str, status: StatusCode) -> (Response, String) {
        let request = Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("request");
        let response = router.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), status, "{path}");
        let is_api = path.starts_with("/api/");
        let media_type = if is_api {
            "application/json"
        } else {
            "text/plain; charset=utf-8"
        };
        assert_eq!(
            response
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.as_bytes()),
            Some(media_type.as_bytes()),
            "{path}"
        );
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("body").to_bytes();
        let text = String::from_utf8(body.to_vec()).expect("UTF-8");
        let message = if is_api {
            let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            json["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        } else {
            text
        };
        (Response::from_parts(parts, Body::empty()), message)
    }

    #[tokio::test]
    async fn a_panic_is_answered_like_any_other_error() {
        let router = guarded(Duration::from_secs(1));
        for path in ["/api/v1/boom", "/boom"] {
            let (_, message) = refused(&router, path, StatusCode::INTERNAL_SERVER_ERROR).await;
            assert!(message.contains("bug"), "{path}: {message}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_timeout_is_answered_like_any_other_refusal_and_closes() {
        let router = guarded(Duration::from_millis(1500));
        for path in ["/api/v1/slow", "/slow"] {
            let (response, message) = refused(&router, path, StatusCode::REQUEST_TIMEOUT).await;
            assert!(message.contains("longer than 1.5 s"), "{path}: {message}");
            assert_eq!(
                response
                    .headers()
                    .get(header::CONNECTION)
                    .map(|v| v.as_bytes()),
                Some(&b"close"[..]),
                "{path}"
            );
        }
    }
}
