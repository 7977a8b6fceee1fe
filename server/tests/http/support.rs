//! Building the service for a test, sending requests, and reading answers.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use clap::Parser;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;

use headroom_server::{Config, Service, build};

/// The hashes written into the test site's hash file.
pub const JS_HASH: &str = "TeStHaSh0js";
pub const WASM_HASH: &str = "TeStHaSh0wasm";
pub const CSS_HASH: &str = "TeStHaSh0css";
/// The split manifest's hash, and the chunks it lists for `/capacity` (as `cargo leptos build
/// --split` names them: `<chunk>.<content hash>`, without `.wasm`); `/cost` has none.
pub const MANIFEST_HASH: &str = "TeStHaSh0manifest";
pub const CAPACITY_CHUNKS: [&str; 2] = [
    "chunk_3.TeStHaSh0chunk3",
    "split_capacity_page.TeStHaSh0capacity",
];

/// A small built site in a temporary folder: hashed bundle files (with a precompressed
/// sibling), an unhashed vendor file, and the hash file where Leptos reads it (beside the
/// running binary).
pub fn test_site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("headroom-test-site-{}", std::process::id()));
        let pkg = root.join("pkg");
        let vendor = root.join("vendor");
        std::fs::create_dir_all(&pkg).expect("pkg dir");
        std::fs::create_dir_all(&vendor).expect("vendor dir");
        let js = "export default function init() {}\n".repeat(40);
        std::fs::write(pkg.join(format!("headroom.{JS_HASH}.js")), &js).expect("js");
        std::fs::write(
            pkg.join(format!("headroom.{JS_HASH}.js.br")),
            b"brotli bytes",
        )
        .expect("js.br");
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.resize(4096, 0);
        std::fs::write(pkg.join(format!("headroom.{WASM_HASH}.wasm")), wasm).expect("wasm");
        std::fs::write(pkg.join(format!("headroom.{CSS_HASH}.css")), "body{}").expect("css");
        let manifest = serde_json::json!({
            "capacity_page": CAPACITY_CHUNKS,
            "home_page": ["chunk_3.TeStHaSh0chunk3"],
        });
        std::fs::write(
            pkg.join(format!("__wasm_split_manifest.{MANIFEST_HASH}.json")),
            manifest.to_string(),
        )
        .expect("manifest");
        for chunk in CAPACITY_CHUNKS {
            std::fs::write(pkg.join(format!("{chunk}.wasm")), b"\0asm\x01\0\0\0").expect("chunk");
        }
        std::fs::write(vendor.join("echarts.min.js"), "var echarts={};".repeat(20))
            .expect("vendor");
        std::fs::write(
            root.join("favicon.svg"),
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
        )
        .expect("favicon");
        std::fs::write(
            root.join("traffic-worker.js"),
            include_str!("../../../public/traffic-worker.js"),
        )
        .expect("worker");
        let exe_dir = std::env::current_exe()
            .expect("exe")
            .parent()
            .expect("exe dir")
            .to_path_buf();
        std::fs::write(
            exe_dir.join("hash.txt"),
            format!(
                "js: {JS_HASH}\nwasm: {WASM_HASH}\ncss: {CSS_HASH}\nmanifest: {MANIFEST_HASH}\n"
            ),
        )
        .expect("hash file");
        root
    })
}

/// Leptos options for the test site, with hashed file names on.
pub fn options() -> LeptosOptions {
    let mut options = LeptosOptions::builder()
        .output_name("headroom")
        .site_root(test_site().to_string_lossy().to_string())
        .build();
    options.hash_files = true;
    options
}

/// The service configured by `flags` (as on the command line). The API's limiter and the
/// per-client render limit are off unless the flags turn them on, so tests do not throttle each
/// other.
pub fn service(flags: &[&str]) -> Service {
    let mut args = vec!["headroom"];
    if !flags.contains(&"--api-rate") {
        args.extend(["--api-rate", "0"]);
    }
    // In-process requests have no address, so every test shares one per-client render bucket.
    if !flags.contains(&"--render-rate") {
        args.extend(["--render-rate", "0"]);
    }
    args.extend_from_slice(flags);
    let config = Config::try_parse_from(args).expect("test flags parse");
    let service = build(&config, options());
    service.lifecycle.set_ready();
    service
}

/// The default test router.
pub fn app() -> Router {
    static APP: OnceLock<Router> = OnceLock::new();
    APP.get_or_init(|| service(&[]).router).clone()
}

/// An answer, with its body read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the API's error shape and returns `(field, message)`.
    pub fn api_error(&self) -> (Option<String>, String) {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "status {}: {}",
            self.status,
            self.text()
        );
        let json = self.json();
        let error = json
            .get("error")
            .and_then(|e| e.as_object())
            .unwrap_or_else(|| panic!("no error object: {json}"));
        let message = error
            .get("message")
            .and_then(|m| m.as_str())
            .unwrap_or_else(|| panic!("no message: {json}"));
        assert!(!message.is_empty(), "empty message: {json}");
        let field = match error.get("field") {
            Some(serde_json::Value::String(f)) => Some(f.clone()),
            Some(serde_json::Value::Null) => None,
            other => panic!("field must be a string or null, got {other:?}"),
        };
        (field, message.to_string())
    }
}

/// Sends `request` to `router` and reads the whole answer.
pub async fn send(router: Router, request: Request<Body>) -> Answer {
    let response = router.oneshot(request).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("body").to_bytes();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// A request from a given client address, as the accept loop marks it.
pub fn from_peer(mut request: Request<Body>, peer: &str) -> Request<Body> {
    let peer: std::net::SocketAddr = peer.parse().expect("peer address");
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

pub fn get_request(uri: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .body(Body::empty())
        .expect("request")
}

pub async fn get(router: Router, uri: &str) -> Answer {
    send(router, get_request(uri)).await
}

pub fn post_request(uri: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::builder().method(Method::POST).uri(uri);
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    builder.body(body.into()).expect("request")
}

pub async fn post_json(router: Router, body: impl Into<Body>) -> Answer {
    send(
        router,
        post_request("/api/v1/report", Some("application/json"), body),
    )
    .await
}

/// Counts panics raised outside the test files themselves (assertion failures there are the
/// tests speaking, not the server panicking).
pub fn count_server_panics() -> &'static AtomicUsize {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_tests = info
                .location()
                .is_some_and(|l| l.file().contains("tests/http"));
            if !in_tests {
                COUNT.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
    &COUNT
}

/// The nonce of a Content-Security-Policy's `script-src`.
pub fn nonce_of_policy(policy: &str) -> String {
    let start = policy.find("'nonce-").expect("a nonce in script-src") + "'nonce-".len();
    let end = policy[start..].find('\'').expect("closing quote") + start;
    policy[start..end].to_string()
}
