//! Rate limiting (429), load shedding (503), the request timeout (408), and the connection-level
//! limits that only a socket shows (431 for an oversized head).

use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::support::{from_peer, get_request, post_request, send, service};

#[tokio::test]
async fn the_api_answers_429_with_retry_after_once_a_clients_bucket_is_empty() {
    // A bucket of 3 refilled at 1/s: three requests pass, the fourth waits about a second.
    let router = service(&["--api-rate", "1", "--api-burst", "3"]).router;
    for remaining in [2, 1, 0] {
        let answer = send(
            router.clone(),
            from_peer(get_request("/api/v1/report"), "192.0.2.1:1000"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(
            answer.header("x-ratelimit-remaining"),
            Some(remaining.to_string().as_str())
        );
        // (3 − remaining) tokens missing at 1/s.
        assert_eq!(
            answer.header("x-ratelimit-reset"),
            Some((3 - remaining).to_string().as_str())
        );
    }
    let refused = send(
        router.clone(),
        from_peer(get_request("/api/v1/report"), "192.0.2.1:1001"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(refused.header("x-ratelimit-remaining"), Some("0"));
    // Empty: one token back in 1 s, the other two in 2 s more.
    assert_eq!(refused.header("x-ratelimit-reset"), Some("3"));
    let (field, message) = refused.api_error();
    assert_eq!(field, None);
    assert!(message.contains("retry in 1 s"), "{message}");

    // Another client has its own bucket; pages are never limited.
    let other = send(
        router.clone(),
        from_peer(get_request("/api/v1/schema"), "192.0.2.2:1000"),
    )
    .await;
    assert_eq!(other.status, StatusCode::OK);
    for _ in 0..5 {
        let page = send(
            router.clone(),
            from_peer(get_request("/capacity"), "192.0.2.1:1002"),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.header("x-ratelimit-limit"), None);
    }
}

#[tokio::test]
async fn the_bucket_refills_at_the_configured_rate() {
    let router = service(&["--api-rate", "2", "--api-burst", "1"]).router;
    let peer = "198.51.100.7:4000";
    assert_eq!(
        send(
            router.clone(),
            from_peer(get_request("/api/v1/schema"), peer)
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        send(
            router.clone(),
            from_peer(get_request("/api/v1/schema"), peer)
        )
        .await
        .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // governor's clock is the real monotonic clock, not tokio's: wait for real, 2/s = 0.5 s.
    std::thread::sleep(Duration::from_millis(520));
    assert_eq!(
        send(router, from_peer(get_request("/api/v1/schema"), peer))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn rate_zero_turns_the_limiter_off() {
    let router = service(&["--api-rate", "0", "--api-burst", "1"]).router;
    for _ in 0..20 {
        let answer = send(
            router.clone(),
            from_peer(get_request("/api/v1/schema"), "192.0.2.9:1"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.header("x-ratelimit-limit"), None);
    }
}

/// A body that sends a few bytes and then nothing, holding its request in flight.
fn stalled_body() -> Body {
    let first = futures_util::stream::iter([Ok::<_, std::io::Error>("{\"dau\"".to_string())]);
    let never = futures_util::stream::pending::<Result<String, std::io::Error>>();
    Body::from_stream(futures_util::StreamExt::chain(first, never))
}

#[tokio::test]
async fn over_the_concurrency_limit_requests_are_shed_with_503_and_retry_after() {
    let router = service(&["--max-concurrent", "2", "--request-timeout", "30s"]).router;
    let mut held = Vec::new();
    for _ in 0..2 {
        let request = post_request("/api/v1/report", Some("application/json"), stalled_body());
        held.push(tokio::spawn(send(router.clone(), request)));
    }
    // Let both stalled requests take their permits.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let shed = send(router.clone(), get_request("/api/v1/report")).await;
    assert_eq!(shed.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(shed.header("retry-after"), Some("1"));
    assert!(shed.api_error().1.contains("limit of 2 requests"));
    let page = send(router.clone(), get_request("/capacity")).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().contains("retry in 1 s"));
    // Health checks are never shed.
    assert_eq!(
        send(router.clone(), get_request("/healthz")).await.status,
        StatusCode::OK
    );
    // Readiness says so while shedding, so a balancer sends the next requests elsewhere.
    let ready = send(router.clone(), get_request("/readyz")).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.text(), "overloaded");
    for task in held {
        task.abort();
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Once they are gone, requests are admitted again.
    assert_eq!(
        send(router, get_request("/api/v1/report")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_request_slower_than_the_timeout_is_408() {
    let router = service(&["--request-timeout", "200ms"]).router;
    let request = post_request("/api/v1/report", Some("application/json"), stalled_body());
    let started = std::time::Instant::now();
    let answer = send(router, request).await;
    assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(answer.api_error().1.contains("longer than 0.2 s"));
}

/// Starts the real accept loop on a loopback port; returns its address and a shutdown trigger.
pub async fn start_server(
    flags: &[&str],
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let built = service(flags);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = headroom_server::serve::ConnectionLimits {
        max_header_bytes: 16 * 1024,
        header_timeout: Duration::from_secs(2),
        max_connections: 64,
        shutdown_grace: Duration::from_secs(5),
        max_connections_per_client: 8,
        silent_timeout: Duration::from_millis(500),
    };
    let task = tokio::spawn(headroom_server::serve::serve(
        listener,
        built.router,
        limits,
        built.lifecycle,
        async move {
            let _ = stopped.await;
        },
    ));
    (addr, stop, task)
}

/// A plain `GET /healthz` on its own connection, answered within `limit`.
async fn healthz(addr: std::net::SocketAddr, limit: Duration) -> String {
    raw_exchange(
        addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        limit,
    )
    .await
}

/// Sends raw bytes and reads until the server closes or `limit` passes.
pub async fn raw_exchange(addr: std::net::SocketAddr, bytes: &[u8], limit: Duration) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(bytes).await.expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn an_oversized_request_head_is_431_on_a_real_socket() {
    let (addr, stop, task) = start_server(&[]).await;
    let huge = format!(
        "GET /api/v1/report?dau={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "9".repeat(20_000)
    );
    let answer = raw_exchange(addr, huge.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    let headers = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Junk: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(20_000)
    );
    let answer = raw_exchange(addr, headers.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    // A normal request on the same server is answered.
    let ok = healthz(addr, Duration::from_secs(5)).await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    let _ = stop.send(());
    task.await.expect("server task");
}

#[tokio::test]
async fn a_client_that_never_finishes_its_head_is_cut_off() {
    let (addr, stop, task) = start_server(&[]).await;
    let started = std::time::Instant::now();
    // Header timeout 2 s in start_server; the connection must be closed well before 10 s.
    let answer = raw_exchange(
        addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n",
        Duration::from_secs(10),
    )
    .await;
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(8), "{waited:?}");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    let _ = stop.send(());
    task.await.expect("server task");
}

#[tokio::test]
async fn one_client_cannot_hold_more_than_its_share_of_request_slots() {
    let router = service(&["--max-per-client", "2", "--request-timeout", "30s"]).router;
    let mut held = Vec::new();
    for port in [1000, 1001] {
        let request = from_peer(
            post_request("/api/v1/report", Some("application/json"), stalled_body()),
            &format!("192.0.2.50:{port}"),
        );
        held.push(tokio::spawn(send(router.clone(), request)));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let third = send(
        router.clone(),
        from_peer(get_request("/api/v1/report"), "192.0.2.50:1002"),
    )
    .await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.header("retry-after"), Some("1"));
    assert!(third.api_error().1.contains("2 requests in flight"));
    // Others are not affected, and this is no reason to say the server is not ready.
    let other = send(
        router.clone(),
        from_peer(get_request("/api/v1/report"), "192.0.2.51:1000"),
    )
    .await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(
        send(router.clone(), get_request("/readyz")).await.status,
        StatusCode::OK
    );
    for task in held {
        task.abort();
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let again = send(
        router,
        from_peer(get_request("/api/v1/report"), "192.0.2.50:1003"),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
}

#[tokio::test]
async fn a_body_slower_than_the_body_timeout_is_408_and_closes() {
    let router = service(&["--body-timeout", "200ms", "--request-timeout", "30s"]).router;
    let started = std::time::Instant::now();
    let answer = send(
        router,
        post_request("/api/v1/report", Some("application/json"), stalled_body()),
    )
    .await;
    assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(answer.header("connection"), Some("close"));
    let (field, message) = answer.api_error();
    assert_eq!(field.as_deref(), Some("body"));
    assert!(message.contains("0.2 s"), "{message}");
}

#[tokio::test]
async fn uncached_renders_are_limited_per_client_and_cached_pages_are_not() {
    let router = service(&["--render-rate", "1", "--render-burst", "2"]).router;
    let peer = "192.0.2.60:1";
    for dau in ["1M", "2M"] {
        let page = send(
            router.clone(),
            from_peer(get_request(&format!("/capacity?dau={dau}")), peer),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let third = send(
        router.clone(),
        from_peer(get_request("/capacity?dau=3M"), peer),
    )
    .await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.header("retry-after"), Some("1"));
    assert!(
        third.text().contains("too many new pages"),
        "{}",
        third.text()
    );
    // A page already rendered comes from the cache, whoever asks and however often.
    for _ in 0..5 {
        let cached = send(
            router.clone(),
            from_peer(get_request("/capacity?dau=1M"), peer),
        )
        .await;
        assert_eq!(cached.status, StatusCode::OK);
    }
    let other = send(
        router,
        from_peer(get_request("/capacity?dau=3M"), "192.0.2.61:1"),
    )
    .await;
    assert_eq!(other.status, StatusCode::OK);
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_silent_timeout() {
    let (addr, stop, task) = start_server(&[]).await;
    let started = std::time::Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut buf = [0u8; 1];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await;
    let waited = started.elapsed();
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "{read:?}");
    // silent_timeout is 500 ms in start_server (the header timeout is 2 s).
    assert!(waited >= Duration::from_millis(400), "{waited:?}");
    assert!(waited < Duration::from_millis(1_900), "{waited:?}");
    let _ = stop.send(());
    task.await.expect("server task");
}

#[tokio::test]
async fn connections_per_address_are_capped() {
    let (addr, stop, task) = start_server(&[]).await;
    // 8 per address in start_server: the ninth is closed at once, unanswered.
    let mut open = Vec::new();
    for _ in 0..8 {
        open.push(tokio::net::TcpStream::connect(addr).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let answer = healthz(addr, Duration::from_secs(2)).await;
    assert!(answer.is_empty(), "{answer}");
    drop(open);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let answer = healthz(addr, Duration::from_secs(2)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let _ = stop.send(());
    task.await.expect("server task");
}

#[tokio::test]
async fn a_body_over_the_limit_sent_before_reading_gets_a_readable_413() {
    let (addr, stop, task) = start_server(&["--max-body-bytes", "4 KiB"]).await;
    let body = "x".repeat(1 << 20);
    for framing in ["length", "chunked"] {
        let head = if framing == "length" {
            format!(
                "POST /api/v1/report HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{body}",
                body.len()
            )
        } else {
            format!(
                "POST /api/v1/report HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                 Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
                body.len()
            )
        };
        // Writes the whole megabyte before reading anything, as urllib does.
        let answer = raw_exchange(addr, head.as_bytes(), Duration::from_secs(5)).await;
        assert!(
            answer.starts_with("HTTP/1.1 413"),
            "{framing}: {answer:.200}"
        );
        assert!(
            answer.contains("\"field\": \"body\""),
            "{framing}: {answer:.400}"
        );
    }
    let _ = stop.send(());
    task.await.expect("server task");
}

#[tokio::test]
async fn head_and_absolute_form_targets_are_answered_from_the_cache() {
    let built = service(&[]);
    let cache = built.cache.clone().expect("cache on");
    let router = built.router;
    let first = send(router.clone(), get_request("/capacity?dau=77M")).await;
    assert_eq!(first.status, StatusCode::OK);
    let hits = cache.hits();
    let head = send(
        router.clone(),
        axum::http::Request::builder()
            .method(axum::http::Method::HEAD)
            .uri("/capacity?dau=77M")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(cache.hits(), hits + 1, "HEAD is a cache hit");
    let absolute = send(
        router.clone(),
        get_request("http://example.com/capacity?dau=77M"),
    )
    .await;
    assert_eq!(absolute.status, StatusCode::OK);
    assert_eq!(
        cache.hits(),
        hits + 2,
        "an absolute-form target is a cache hit"
    );
    // A HEAD miss renders and keeps the page, so the GET after it is a hit.
    let head_first = send(
        router.clone(),
        axum::http::Request::builder()
            .method(axum::http::Method::HEAD)
            .uri("/availability?slo=99.5")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(head_first.status, StatusCode::OK);
    assert!(head_first.body.is_empty());
    let get_after = send(router, get_request("/availability?slo=99.5")).await;
    assert_eq!(get_after.status, StatusCode::OK);
    assert!(get_after.text().contains("<html"));
    assert_eq!(cache.hits(), hits + 3);
}

#[tokio::test]
async fn api_paths_cut_inside_a_character_answer_json_404_with_every_header() {
    // The message quotes at most 120 bytes of the path; a character across that byte used to
    // panic (a plain-text 500 without the security headers).
    for pad in 110..126 {
        let path = format!("/api/{}{}", "a".repeat(pad - 5), "é".repeat(20));
        // hyper's parser takes such a target from the wire as it is, and so does `Uri`.
        let uri = axum::http::Uri::try_from(path.as_str()).expect("a raw UTF-8 path parses");
        assert!(uri.path().contains('é'));
        let answer = send(
            super::support::app(),
            axum::http::Request::builder()
                .uri(uri)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(answer.header("content-security-policy").is_some());
        assert!(answer.api_error().1.contains("no API at"));
    }
}
