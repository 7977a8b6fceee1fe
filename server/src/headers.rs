//! The Content-Security-Policy of pages and of everything else, and the nonce shared by the header
//! and the page's inline hydration script. The layers that set them (with the other security
//! and cache headers) are listed, in order, in [`crate::build`].
//!
//! The nonce is made here, per request, and handed to Leptos through the request's extensions
//! ([`provide_request_nonce`]), so the page's bootstrap script (`app/src/bootstrap.js`, written
//! by the shell in `app/src/lib.rs`) carries in its `<script nonce=…>` the same value that this
//! middleware writes into the `Content-Security-Policy` header.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;
use leptos::prelude::*;

/// The policy of HTML pages.
///
/// - scripts: our own files, WASM compilation, and inline scripts carrying this response's nonce
///   (the page's bootstrap, which loads the bundle and hydrates); nothing else inline, no `eval`;
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

/// The policy of the observed-traffic worker's script (a worker runs under its own script's
/// policy, not the page's): it may import the app's bundle from us and compile its WASM, and
/// nothing else.
pub const WORKER_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Leptos `additional_context`: provides the nonce that [`page_policy_with_nonce`] put into the
/// request, so the page's inline scripts carry the header's nonce.
pub fn provide_request_nonce() {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}

/// Middleware: makes the nonce of a request that can render a page, hands it to Leptos through
/// the request's extensions, and writes the page's policy with that nonce on an HTML answer.
pub async fn page_policy_with_nonce(mut request: Request, next: Next) -> Response {
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
