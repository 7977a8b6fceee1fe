//! `/metrics`: after traffic, a scrape counts it by route template (never the path as sent) and
//! status, with latencies, refusals and the cache; promtool accepts the scrape; and the public
//! router does not serve it.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;

use super::support::{Answer, from_peer, get, get_request, post_request, send, service};

/// One sample line: its name, its labels, and its value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// The samples of a Prometheus text scrape (label values here hold no quotes or commas).
fn samples(text: &str) -> Vec<Sample> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("a value");
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            let labels = labels
                .split("\",")
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once("=\"").expect("key=\"value\"");
                    (key.to_string(), value.trim_end_matches('"').to_string())
                })
                .collect();
            Sample {
                name: name.to_string(),
                labels,
                value: value.parse().expect("a number"),
            }
        })
        .collect()
}

/// The value of the series `name` with exactly `labels`, or `None`.
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let wanted: BTreeMap<String, String> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    samples
        .iter()
        .find(|s| s.name == name && s.labels == wanted)
        .map(|s| s.value)
}

fn requests(samples: &[Sample], route: &str, status: &str) -> f64 {
    value(
        samples,
        "headroom_http_requests_total",
        &[("method", "GET"), ("route", route), ("status", status)],
    )
    .unwrap_or(0.0)
}

async fn scrape(metrics: &Router) -> Answer {
    let answer = get(metrics.clone(), "/metrics").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    answer
}

/// `promtool check metrics` on the scrape, when promtool is installed (`make setup` installs it;
/// `make ops-check` runs the same check on the release binary after a load run).
fn promtool_accepts(scrape: &str) {
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("promtool is not installed: skipping its check (make setup installs it)");
        return;
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(scrape.as_bytes())
        .expect("write to promtool");
    let output = child.wait_with_output().expect("promtool runs");
    assert!(
        output.status.success(),
        "promtool: {}{}\n{scrape}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn a_scrape_counts_requests_by_route_template_status_and_refusal() {
    let service = service(&[
        "--metrics-addr",
        "127.0.0.1:0",
        "--api-rate",
        "1",
        "--api-burst",
        "3",
    ]);
    let router = service.router.clone();
    let metrics = headroom_server::metrics::router(service.metrics.clone().expect("metrics on"));

    for _ in 0..3 {
        assert_eq!(get(router.clone(), "/healthz").await.status, StatusCode::OK);
    }
    // One client: three reports within its burst (the first a cache miss, then hits), then two
    // refused by the API's rate limit.
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let request = from_peer(get_request("/api/v1/report?dau=1M"), "192.0.2.1:4000");
        statuses.push(send(router.clone(), request).await.status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    for _ in 0..2 {
        assert_eq!(
            get(router.clone(), "/capacity").await.status,
            StatusCode::OK
        );
    }
    // Made-up paths, as a scanner sends them: one series, whatever the paths.
    for i in 0..20 {
        let answer = get(router.clone(), &format!("/no-such-page-{i}?x={i}")).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
    }
    // The public listener has no /metrics.
    assert_eq!(
        get(router.clone(), "/metrics").await.status,
        StatusCode::NOT_FOUND
    );

    let scrape = scrape(&metrics).await.text();
    let all = samples(&scrape);
    assert_eq!(requests(&all, "/healthz", "200"), 3.0, "{scrape}");
    assert_eq!(requests(&all, "/api/v1/report", "200"), 3.0, "{scrape}");
    assert_eq!(requests(&all, "/api/v1/report", "429"), 2.0, "{scrape}");
    assert_eq!(requests(&all, "/capacity", "200"), 2.0, "{scrape}");
    assert_eq!(requests(&all, "fallback", "404"), 21.0, "{scrape}");
    assert!(
        !scrape.contains("no-such-page"),
        "a path as sent became a label value:\n{scrape}"
    );
    let rate_limited = |limit| value(&all, "headroom_rate_limited_total", &[("limit", limit)]);
    assert_eq!(rate_limited("api_rate"), Some(2.0), "{scrape}");
    assert_eq!(rate_limited("client_in_flight"), Some(0.0), "{scrape}");
    assert_eq!(
        value(
            &all,
            "headroom_load_shed_total",
            &[("limit", "max_concurrent")]
        ),
        Some(0.0),
        "{scrape}"
    );

    // Latency: one observation per request, in buckets.
    let healthz = [("route", "/healthz")];
    let duration = "headroom_http_request_duration_seconds";
    assert_eq!(
        value(&all, &format!("{duration}_count"), &healthz),
        Some(3.0),
        "{scrape}"
    );
    assert_eq!(
        value(
            &all,
            &format!("{duration}_bucket"),
            &[("route", "/healthz"), ("le", "+Inf")]
        ),
        Some(3.0),
        "{scrape}"
    );
    assert_eq!(
        value(&all, "headroom_http_requests_in_flight", &[]),
        Some(0.0)
    );

    // The cache: a report is looked up by the query as sent, then by its canonical query; a
    // page by its path. First report: two misses; the next two: hits. First page: a miss; the
    // second: a hit.
    assert_eq!(
        value(&all, "headroom_cache_hits_total", &[]),
        Some(3.0),
        "{scrape}"
    );
    assert_eq!(
        value(&all, "headroom_cache_misses_total", &[]),
        Some(3.0),
        "{scrape}"
    );
    let cache = service.cache.clone().expect("cache on");
    assert_eq!(
        value(&all, "headroom_cache_entries", &[]),
        Some(cache.len() as f64)
    );
    let bytes = value(&all, "headroom_cache_bytes", &[]).expect("cache bytes");
    assert!(bytes > 0.0 && bytes == cache.bytes() as f64, "{scrape}");
    assert_eq!(
        value(&all, "headroom_cache_capacity_bytes", &[]),
        Some(32.0 * 1024.0 * 1024.0)
    );
    assert_eq!(
        value(
            &all,
            "headroom_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        Some(1.0)
    );
    promtool_accepts(&scrape);
}

/// A body that sends a few bytes and then nothing, holding its request in flight.
fn stalled_body() -> axum::body::Body {
    let first = futures_util::stream::iter([Ok::<_, std::io::Error>("{\"dau\"".to_string())]);
    let never = futures_util::stream::pending::<Result<String, std::io::Error>>();
    axum::body::Body::from_stream(futures_util::StreamExt::chain(first, never))
}

#[tokio::test]
async fn load_shedding_and_requests_in_flight_show_in_a_scrape() {
    let service = service(&[
        "--metrics-addr",
        "127.0.0.1:0",
        "--max-concurrent",
        "1",
        "--request-timeout",
        "30s",
    ]);
    let router = service.router.clone();
    let metrics = headroom_server::metrics::router(service.metrics.clone().expect("metrics on"));
    let request = post_request("/api/v1/report", Some("application/json"), stalled_body());
    let held = tokio::spawn(send(router.clone(), request));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let shed = get(router.clone(), "/api/v1/report").await;
    assert_eq!(shed.status, StatusCode::SERVICE_UNAVAILABLE);

    let all = samples(&scrape(&metrics).await.text());
    assert_eq!(
        value(&all, "headroom_http_requests_in_flight", &[]),
        Some(1.0)
    );
    assert_eq!(
        value(
            &all,
            "headroom_load_shed_total",
            &[("limit", "max_concurrent")]
        ),
        Some(1.0)
    );
    assert_eq!(requests(&all, "/api/v1/report", "503"), 1.0);

    held.abort();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let all = samples(&scrape(&metrics).await.text());
    assert_eq!(
        value(&all, "headroom_http_requests_in_flight", &[]),
        Some(0.0),
        "a request dropped mid-way leaves the gauge"
    );
}

#[test]
fn without_metrics_addr_nothing_is_counted() {
    assert!(service(&[]).metrics.is_none());
}
