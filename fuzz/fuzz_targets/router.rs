//! The whole service (routing, limits, headers, cache, pages, API) on arbitrary requests: a
//! method, a request target and headers, as an HTTP/1.1 head carries them, and a body. Nothing
//! panics and nothing answers 500; API answers are JSON; every answer has the security headers.
//!
//! Input: the first line is `METHOD TARGET`, then `Name: value` lines up to an empty line, then
//! the body (so the corpus reads like requests).
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

use headroom_server::{Config, Service, build};

struct Harness {
    runtime: tokio::runtime::Runtime,
    service: Service,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        // Limits as in production, apart from the per-client rates: every input comes from the
        // same (absent) address, and a limit would answer 429 before the code under test runs.
        let config = Config::try_parse_from([
            "headroom-server",
            "--api-rate",
            "0",
            "--render-rate",
            "0",
        ])
        .expect("flags");
        let options = leptos::prelude::LeptosOptions::builder()
            .output_name("headroom")
            .site_root("target/fuzz/no-site")
            .build();
        let service = runtime.block_on(async { build(&config, options) });
        service.lifecycle.set_ready();
        Harness { runtime, service }
    })
}

fn request(data: &[u8]) -> Option<Request<Body>> {
    let text = std::str::from_utf8(data).ok()?;
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let (method, target) = lines.next()?.split_once(' ')?;
    let mut builder = Request::builder().method(method).uri(target);
    for line in lines {
        let (name, value) = line.split_once(':')?;
        builder = builder.header(name.trim(), value.trim());
    }
    builder.body(Body::from(body.to_string())).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some(request) = request(data) else {
        return;
    };
    let is_api = headroom_server::api::is_api_path(request.uri().path());
    let harness = harness();
    let router = harness.service.router.clone();
    let (status, headers, body) = harness.runtime.block_on(async move {
        let response = router.oneshot(request).await.expect("infallible");
        let (parts, body) = response.into_parts();
        let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
        (parts.status, parts.headers, body)
    });
    assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "500: {body:?}");
    assert!(
        headers.contains_key("content-security-policy") && headers.contains_key("x-content-type-options"),
        "{status}: missing security headers"
    );
    if is_api && !body.is_empty() {
        assert!(
            serde_json::from_slice::<serde_json::Value>(&body).is_ok(),
            "{status}: API answer is not JSON: {body:?}"
        );
    }
});
