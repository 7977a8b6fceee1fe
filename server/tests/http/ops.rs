//! Operations: liveness and readiness, draining, a graceful shutdown that finishes the request
//! in flight, and refused request targets. The log line per request is tested in
//! `server/tests/logging.rs`, a process of its own.

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
