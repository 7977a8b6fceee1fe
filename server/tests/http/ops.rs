//! Operations: liveness and readiness, draining, a graceful shutdown that finishes the request
//! in flight, refused request targets, and one log line per request.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::limits::start_server;
use super::support::{get, get_request, send, service};

#[tokio::test]
async fn healthz_is_liveness_and_readyz_follows_the_lifecycle() {
    let built = service(&[]);
    assert_eq!(get(built.router.clone(), "/healthz").await.text(), "ok");
    assert_eq!(
        get(built.router.clone(), "/readyz").await.status,
        StatusCode::OK
    );
    built.lifecycle.start_draining();
    let draining = get(built.router.clone(), "/readyz").await;
    assert_eq!(draining.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(draining.text(), "draining");
    // While draining every answer asks its client to reconnect (to the next process).
    let page = get(built.router.clone(), "/capacity").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("connection"), Some("close"));
    // Liveness is unaffected.
    assert_eq!(get(built.router, "/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn readyz_is_503_until_the_server_listens() {
    let config = headroom_server::Config::defaults().expect("defaults");
    let built = headroom_server::build(&config, super::support::options());
    let answer = get(built.router, "/readyz").await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.text(), "starting");
}

#[tokio::test]
async fn connect_and_trace_are_refused_without_reaching_the_app() {
    for (method, target) in [
        ("CONNECT", "example.com:443"),
        ("TRACE", "/"),
        ("CONNECT", "/api/v1/report"),
    ] {
        let request = Request::builder()
            .method(method)
            .uri(target)
            .body(Body::empty())
            .expect("request");
        let answer = send(super::support::app(), request).await;
        assert_eq!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {target}"
        );
        assert_eq!(answer.header("allow"), Some("GET, HEAD, POST"));
    }
    // An absolute-form target (as sent to proxies) is routed by its path.
    let absolute = send(
        super::support::app(),
        get_request("http://example.com/healthz"),
    )
    .await;
    assert_eq!(absolute.status, StatusCode::OK);
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight_and_then_stops() {
    let (addr, stop, task) = start_server(&[]).await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    // Start a POST and send only half of its body.
    let body = br#"{"dau": "5M"}"#;
    let head = format!(
        "POST /api/v1/report HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    stream.write_all(&body[..6]).await.expect("half");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _ = stop.send(());
    tokio::time::sleep(Duration::from_millis(200)).await;
    // New connections are refused or closed unanswered from now on...
    let late = tokio::time::timeout(Duration::from_secs(2), async {
        match tokio::net::TcpStream::connect(addr).await {
            Ok(mut s) => {
                let _ = s
                    .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                    .await;
                let mut buf = Vec::new();
                let _ = s.read_to_end(&mut buf).await;
                buf
            }
            Err(_) => Vec::new(),
        }
    })
    .await
    .unwrap_or_default();
    assert!(late.is_empty(), "{}", String::from_utf8_lossy(&late));
    // ...but the request in flight completes, and its answer closes the connection.
    stream.write_all(&body[6..]).await.expect("rest");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("serve returns after draining")
        .expect("server task");
}

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
