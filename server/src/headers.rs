//! Security and cache headers on every response, and the CSP nonce shared by the header and the
//! page's inline hydration script.
//!
//! The nonce is made here, per request, and handed to Leptos through the request's extensions
//! ([`provide_request_nonce`]), so `<HydrationScripts>` writes the same value into its
//! `<script nonce=…>` that this middleware writes into the `Content-Security-Policy` header.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;
use leptos::prelude::*;

use crate::Lifecycle;
use crate::assets::AssetPolicy;

/// What the header middleware needs: which assets are hashed, and whether we are draining.
#[derive(Clone)]
pub struct HeaderState {
    /// Cache policy of static files.
    pub assets: Arc<AssetPolicy>,
    /// Draining makes every response ask its client to reconnect elsewhere.
    pub lifecycle: Arc<Lifecycle>,
}

/// The policy of HTML pages.
///
/// - scripts: our own files, WASM compilation, and inline scripts carrying this response's nonce
///   (Leptos's hydration bootstrap); nothing else inline, no `eval`;
/// - styles: our own files plus inline `style` attributes, which echarts writes into its tooltip
///   markup (a style attribute cannot run code);
/// - no plugins, no `<base>` rewriting, forms post only to us, and no framing by anyone.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The policy of everything that is not a page (JSON, scripts, images): nothing may load from it
/// as a document, and nobody may frame it.
pub const RESOURCE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Leptos `additional_context`: provides the nonce that [`security_and_cache`] put into the
/// request, so the page's inline scripts carry the header's nonce.
pub fn provide_request_nonce() {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// Adds the security headers and a cache policy to every response.
pub async fn security_and_cache(
    State(state): State<HeaderState>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = wants_nonce(&request).then(|| {
        let nonce = Nonce::new();
        request.extensions_mut().insert(nonce.clone());
        nonce
    });
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let is_html = content_type_is(response.headers(), "text/html");
    let status_ok = response.status().is_success();
    let headers = response.headers_mut();

    let policy = match (&nonce, is_html) {
        (Some(nonce), true) => HeaderValue::from_str(&page_policy(nonce)).ok(),
        _ => Some(HeaderValue::from_static(RESOURCE_POLICY)),
    };
    if let Some(policy) = policy {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The scenario lives in the URL; it is nobody else's business where it came from.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        let cache = if status_ok && state.assets.is_immutable(&path) {
            // A hashed name changes with its content: the browser may keep it for a year.
            "public, max-age=31536000, immutable"
        } else {
            // Pages, API answers and unhashed files: revalidate every time.
            "no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    if state.lifecycle.is_draining() {
        // hyper closes the connection after this response; the client's next request opens a
        // new connection, which the next process (sharing the listening socket) accepts.
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Only requests that can render a page (including the 404 page) need a nonce.
fn wants_nonce(request: &Request) -> bool {
    matches!(*request.method(), Method::GET | Method::HEAD)
        && !request.uri().path().starts_with("/api/")
}

/// Whether the response's media type is `media_type` (parameters such as charset ignored).
pub fn content_type_is(headers: &HeaderMap, media_type: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(media_type))
}
