//! One log line per request, with its status and latency.
//!
//! This test is a process of its own. `tracing` caches, per log call site and for the whole
//! process, whether any subscriber wants it. In a binary whose other tests send requests on other
//! threads with no subscriber, one of them can register the request line's call site while this
//! test's subscriber is being installed, and the site stays "never" for the rest of the run: the
//! test then sees no lines (it failed that way once in CI). Alone in its process, nothing races it.

use std::io::Write;
use std::sync::{Arc, Mutex};

#[allow(dead_code)]
#[path = "http/support.rs"]
mod support;

use support::{get, service};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn each_request_logs_one_line_with_status_and_latency() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_writer(move || writer.clone())
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let router = service(&[]).router;
            get(router.clone(), "/healthz").await;
            get(router.clone(), "/api/v1/report?dau=x").await;
            get(router, "/no-such-page").await;
        });
    });
    let text = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|l: &serde_json::Value| l["message"] == "request")
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    let expected = [
        ("/healthz", 200),
        ("/api/v1/report", 400),
        ("/no-such-page", 404),
    ];
    for (line, (path, status)) in lines.iter().zip(expected) {
        assert_eq!(line["path"], path, "{line}");
        assert_eq!(line["status"], status, "{line}");
        assert_eq!(line["method"], "GET", "{line}");
        assert!(
            line["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0),
            "{line}"
        );
    }
}
