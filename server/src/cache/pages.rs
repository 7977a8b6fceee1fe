//! Serving the server-rendered pages: from the cache when it can, otherwise rendered on the
//! render runtime ([`crate::render`]) and kept.
//!
//! A page is a pure function of its path and raw query (the form shows the text as typed, valid
//! or not); the only other input is the CSP nonce, which [`crate::headers`] makes per request and
//! hands to Leptos through the request's extensions. On a miss this middleware swaps that nonce
//! for the cache's placeholder, renders, and fills the request's own nonce back in, so the header
//! and the page agree on every response, cached or not.
//!
//! `HEAD` is answered from the same entry as `GET` (and a `HEAD` miss renders the page as a
//! `GET` would, keeps it, and sends the head), so it costs no more than the `GET`. Targets are
//! origin-form by the time they get here ([`crate::serve`] drops the scheme and host of an
//! absolute-form target), so `GET http://host/capacity` and `GET /capacity` share an entry.

use std::sync::Arc;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;

use super::encoded::Coding;
use super::{CachedResponse, ResponseCache, Template};
use crate::metrics::Refused;
use crate::render::{Refusal, Renderer};

/// What the page middleware needs.
#[derive(Debug, Clone)]
pub struct PageState {
    /// Rendered pages (`None`: caching is off).
    pub cache: Option<Arc<ResponseCache>>,
    /// Where uncached pages render.
    pub renderer: Arc<Renderer>,
    /// The proxy's client address header, to key the per-client render limit.
    pub client_ip_header: Option<HeaderName>,
}

/// Middleware on the page routes: answers `GET` and `HEAD` from the cache, or renders the page on
/// the render runtime and keeps a `200`.
pub async fn serve(State(state): State<PageState>, mut request: Request, next: Next) -> Response {
    let Some(nonce) = request.extensions().get::<Nonce>().cloned() else {
        return next.run(request).await;
    };
    let head = match *request.method() {
        Method::GET => false,
        Method::HEAD => true,
        _ => return next.run(request).await,
    };
    let key = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_string(),
        |t| t.as_str().to_string(),
    );
    let coding = Coding::preferred(request.headers());
    if let Some(cache) = &state.cache
        && let Some(hit) = cache.get(&key)
    {
        return head_only(cache.answer(&key, &hit, &nonce, coding), head);
    }

    // A HEAD renders the very page a GET would (and keeps it), then sends only the head.
    *request.method_mut() = Method::GET;
    if let Some(cache) = &state.cache {
        request
            .extensions_mut()
            .insert(Nonce::from_value(cache.placeholder()));
    }
    let client = crate::client::client_key(&request, state.client_ip_header.as_ref());
    let rendered = state
        .renderer
        .render(client, async move {
            let (parts, body) = next.run(request).await.into_parts();
            (parts, to_bytes(body, usize::MAX).await)
        })
        .await;
    let (parts, body) = match rendered {
        Ok((parts, Ok(body))) => (parts, body),
        Ok((_, Err(err))) => {
            // The path alone, as the request log writes it: the query is the user's scenario.
            let path = key.split('?').next().unwrap_or_default();
            tracing::error!(%err, path, "a page failed while rendering");
            return crate::limits::internal_error(&key);
        }
        Err(refusal) => return refused(&key, refusal),
    };

    if let Some(cache) = &state.cache {
        // Rendered with the placeholder: cut at it, and keep a page worth keeping, answering
        // from the entry (so its compressed form is made once, now); otherwise fill this
        // response's nonce in.
        let template = Template::split(body, cache.placeholder());
        let keep = parts.status == StatusCode::OK
            && crate::headers::content_type_is(&parts.headers, "text/html")
            && !parts.headers.contains_key(header::SET_COOKIE);
        if keep {
            let entry = Arc::new(CachedResponse::new(parts.headers, template));
            let (response, entry) = entry.respond(&nonce, coding);
            cache.insert(key, entry);
            return head_only(response, head);
        }
        return head_only(filled(parts, template.fill(&nonce)), head);
    }
    head_only(filled(parts, body), head)
}

/// The rendered response with its whole body: the length of the filled body is the body's own,
/// and the rendered one may have been streamed.
fn filled(parts: axum::http::response::Parts, body: Bytes) -> Response {
    let mut response = Response::from_parts(parts, Body::from(body));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response.headers_mut().remove(header::TRANSFER_ENCODING);
    response
}

/// The response without its body, for a `HEAD`. A body the cache sends compressed keeps its
/// `Content-Length`, the GET's; an uncompressed one drops it, since `CompressionLayer` may
/// still compress the GET's.
fn head_only(response: Response, head: bool) -> Response {
    if !head {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    if !parts.headers.contains_key(header::CONTENT_ENCODING) {
        parts.headers.remove(header::CONTENT_LENGTH);
    }
    Response::from_parts(parts, Body::empty())
}

/// The answer when the render runtime would not render.
fn refused(path: &str, refusal: Refusal) -> Response {
    match refusal {
        Refusal::Busy { retry_after } => {
            Refused::Shed("render_queue").mark(crate::limits::refusal_retry_after(
                path,
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the server is rendering as many pages as it can; retry in {retry_after} s"
                ),
                retry_after,
            ))
        }
        Refusal::TooMany { retry_after } => {
            Refused::RateLimited("render_rate").mark(crate::limits::refusal_retry_after(
                path,
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "this address asked for too many new pages at once; retry in {retry_after} \
                     s (pages already seen are not limited)"
                ),
                retry_after,
            ))
        }
        Refusal::Panicked => crate::limits::internal_error(path),
    }
}
