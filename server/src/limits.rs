//! Limits on the work one request can cause: requests in flight (load shedding), time per
//! request, request targets the app cannot route, and a last-resort answer should anything
//! panic (the tests assert that nothing does).
//!
//! The other limits live where they act: header size and header read time in [`crate::serve`]
//! (hyper), body size in [`crate::api`], requests per client in [`crate::rate_limit`], and the
//! size of a scenario in the core (every field is range-checked, every value at most
//! `MAX_VALUE_LEN` bytes; the report runs no simulator, so it costs the same for every query).

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

/// Seconds a shed client is asked to wait before retrying.
pub const RETRY_AFTER_SECONDS: u32 = 1;

/// Admits at most a fixed number of requests at once and refuses the rest at once, so that an
/// overload costs each extra request a few microseconds instead of queueing it into a timeout.
#[derive(Debug)]
pub struct LoadShedder {
    permits: Arc<Semaphore>,
    capacity: u32,
}

impl LoadShedder {
    /// A shedder admitting `capacity` requests at once.
    pub fn new(capacity: u32) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(capacity as usize)),
            capacity,
        }
    }
}

/// Middleware: 503 with `Retry-After` when `max_concurrent` requests are already in flight.
/// Health checks are never shed: an overloaded server is still alive.
pub async fn shed_load(
    State(shedder): State<Arc<LoadShedder>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(request.uri().path(), "/healthz" | "/readyz") {
        return next.run(request).await;
    }
    let Ok(_permit) = shedder.permits.clone().try_acquire_owned() else {
        let mut response = refusal(
            request.uri().path(),
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the server is at its limit of {} requests at once; retry in {} s",
                shedder.capacity, RETRY_AFTER_SECONDS
            ),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        return response;
    };
    next.run(request).await
}

/// Middleware: 408 when a request (reading its body included) takes longer than the limit.
pub async fn timeout(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
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
    }
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

/// The answer should a handler ever panic: a 500 rather than a dropped connection. The hostile
/// input tests assert that no request gets here.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %detail, "a request panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "internal error\n",
    )
        .into_response()
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
