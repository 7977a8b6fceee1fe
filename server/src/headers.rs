//! Security and cache headers on every response, and the CSP nonce shared by the header and the
//! page's inline hydration script.
//!
//! The nonce is made here, per request, and handed to Leptos through the request's extensions
//! ([`provide_request_nonce`]), so `<HydrationScripts>` writes the same value into its
//! `<script nonce=…>` that this middleware writes into the `Content-Security-Policy` header.

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use leptos::nonce::Nonce;
use leptos::prelude::*;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::Lifecycle;

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

/// Leptos `additional_context`: provides the nonce that [`page_policy_with_nonce`] put into the
/// request, so the page's inline scripts carry the header's nonce.
pub fn provide_request_nonce() {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// Adds the security headers and a cache policy to every response of `router`.
///
/// The headers that are the same for every response are tower-http layers; the page's policy
/// stays a middleware of ours ([`page_policy_with_nonce`]) because its nonce is made per request
/// and must reach the page's inline scripts as well as the header.
pub fn security_and_cache(router: Router, lifecycle: Arc<Lifecycle>) -> Router {
    let mut router = router
        .layer(middleware::from_fn(page_policy_with_nonce))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(RESOURCE_POLICY),
        ))
        // Pages, API answers and unhashed files revalidate every time; hashed files say
        // otherwise where they are served (`assets::static_files`).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        // While draining, hyper closes the connection after this response; the client's next
        // request opens a new connection, which the next process (sharing the listening socket)
        // accepts.
        .layer(SetResponseHeaderLayer::overriding(
            header::CONNECTION,
            move |_: &Response| {
                lifecycle
                    .is_draining()
                    .then_some(HeaderValue::from_static("close"))
            },
        ));
    // (tower-http's `SetMultipleResponseHeadersLayer` would take these at once, but it is `Clone`
    // only for a `Clone` response type, which axum's is not.)
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // The scenario lives in the URL; it is nobody else's business where it came from.
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ] {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// Middleware: makes the nonce of a request that can render a page, hands it to Leptos through
/// the request's extensions, and writes the page's policy with that nonce on an HTML answer.
async fn page_policy_with_nonce(mut request: Request, next: Next) -> Response {
    let nonce = wants_nonce(&request).then(|| {
        let nonce = Nonce::new();
        request.extensions_mut().insert(nonce.clone());
        nonce
    });
    let mut response = next.run(request).await;
    if let Some(nonce) = nonce
        && content_type_is(response.headers(), "text/html")
        && let Ok(policy) = HeaderValue::from_str(&page_policy(&nonce))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
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
