//! The cache in front of the server-rendered pages.
//!
//! A page is a pure function of its path and raw query (the form shows the text as typed, valid
//! or not); the only other input is the CSP nonce, which [`crate::headers`] makes per request and
//! hands to Leptos through the request's extensions. On a miss this middleware swaps that nonce
//! for the cache's placeholder, renders, and fills the request's own nonce back in, so the header
//! and the page agree on every response, cached or not.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;

use super::{CachedResponse, ResponseCache, Template};

/// Middleware on the page routes: answers a `GET` from the cache, or renders it and keeps a `200`.
pub async fn serve(
    State(cache): State<Arc<ResponseCache>>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(nonce) = request.extensions().get::<Nonce>().cloned() else {
        return next.run(request).await;
    };
    // HEAD answers lose their body inside the router, so they are neither read nor stored; an
    // absolute-form target (`GET http://host/…`) is left alone rather than keyed on its host.
    let key = match request.uri().path_and_query() {
        Some(target) if request.method() == Method::GET && request.uri().authority().is_none() => {
            if let Some(hit) = cache.get(target.as_str()) {
                return hit.respond(&nonce);
            }
            target.as_str().to_string()
        }
        _ => return next.run(request).await,
    };

    request
        .extensions_mut()
        .insert(Nonce::from_value(cache.placeholder()));
    let (parts, body) = next.run(request).await.into_parts();
    // Whatever came back was rendered with the placeholder, so every answer is read whole and
    // filled, stored or not.
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(err) => {
            // The path alone, as the request log writes it: the query is the user's scenario.
            let path = key.split('?').next().unwrap_or_default();
            tracing::error!(%err, path, "a page failed while rendering");
            return crate::limits::refusal(
                &key,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error".to_string(),
            );
        }
    };
    let template = Template::split(body, cache.placeholder());
    let filled = template.fill(&nonce);
    let keep = parts.status == StatusCode::OK
        && crate::headers::content_type_is(&parts.headers, "text/html")
        && !parts.headers.contains_key(header::SET_COOKIE);
    if keep {
        cache.insert(
            key,
            Arc::new(CachedResponse::new(parts.headers.clone(), template)),
        );
    }
    let mut response = Response::from_parts(parts, Body::from(filled));
    // The length of the filled body is the body's own; the rendered one may have been streamed.
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response.headers_mut().remove(header::TRANSFER_ENCODING);
    response
}
