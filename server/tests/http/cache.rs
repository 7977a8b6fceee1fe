//! The cache of rendered pages and reports is invisible: a hit is the document a fresh render
//! writes, with this response's own nonce or timestamp; errors are never kept; the bounds hold.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use super::api::{expected_json, generated_at};
use super::support::{Answer, get, nonce_of_policy, send, service};

const CHAPTER: &str = "dau=100M&writes=0.5&reads=10&peak=10&size=500";

/// The page with its nonce replaced by a marker, after checking that the nonce is the CSP
/// header's, that every inline script carries it, and that the placeholder never leaks.
fn page_without_nonce(answer: &Answer, placeholder: &str) -> String {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let nonce = nonce_of_policy(answer.header("content-security-policy").expect("CSP"));
    let html = answer.text();
    assert!(
        html.contains(&format!("<script type=\"module\" nonce=\"{nonce}\">")),
        "the hydration script carries the header's nonce {nonce}"
    );
    assert!(!html.contains(placeholder), "the placeholder leaked");
    html.replace(&nonce, "NONCE")
}

#[tokio::test]
async fn a_cached_page_is_a_fresh_render_with_its_own_nonce() {
    let cached = service(&[]);
    let cache = cached.cache.clone().expect("the cache is on by default");
    let uncached = service(&["--cache-entries", "0"]);
    assert!(uncached.cache.is_none());
    // Valid, and invalid (the page shows the text as typed, with a message under the field).
    for uri in [
        format!("/capacity?{CHAPTER}"),
        "/capacity?dau=lots&reads=%3Cb%3E".to_string(),
        "/availability".to_string(),
    ] {
        let fresh = get(uncached.router.clone(), &uri).await;
        let hits = cache.hits();
        let miss = get(cached.router.clone(), &uri).await;
        assert_eq!(cache.hits(), hits, "{uri}: the first request renders");
        let hit = get(cached.router.clone(), &uri).await;
        assert_eq!(cache.hits(), hits + 1, "{uri}: the second is a hit");
        let placeholder = cache.placeholder();
        let expected = page_without_nonce(&fresh, placeholder);
        assert_eq!(page_without_nonce(&miss, placeholder), expected, "{uri}");
        assert_eq!(page_without_nonce(&hit, placeholder), expected, "{uri}");
        for answer in [&miss, &hit] {
            assert_eq!(
                answer.header("content-type"),
                fresh.header("content-type"),
                "{uri}"
            );
            assert_eq!(answer.header("cache-control"), Some("no-cache"), "{uri}");
        }
        // Every response has a nonce of its own.
        let nonce = |a: &Answer| nonce_of_policy(a.header("content-security-policy").expect("CSP"));
        assert_ne!(nonce(&miss), nonce(&hit));
    }
}

#[tokio::test]
async fn a_cached_page_is_still_compressed_as_each_client_asks() {
    let built = service(&[]);
    let uri = format!("/capacity?{CHAPTER}&years=3");
    let plain = get(built.router.clone(), &uri).await;
    for encoding in ["br", "gzip"] {
        let request = Request::builder()
            .uri(&uri)
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .expect("request");
        let answer = send(built.router.clone(), request).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.header("content-encoding"), Some(encoding));
        assert!(answer.body.len() < plain.body.len() / 2);
    }
    let again = get(built.router.clone(), &uri).await;
    assert_eq!(again.header("content-encoding"), None);
    assert_eq!(again.body.len(), plain.body.len());
}

fn request(method: &str, uri: &str, accept_encoding: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(value) = accept_encoding {
        builder = builder.header("accept-encoding", value);
    }
    builder.body(Body::empty()).expect("request")
}

/// The body as sent, decoded per its `Content-Encoding`, checking the framing headers.
fn decoded(answer: &Answer) -> Vec<u8> {
    use std::io::Read as _;
    if answer.header("content-encoding").is_some() {
        // (An uncompressed body's length is written by hyper, from the body's exact size.)
        assert_eq!(
            answer.header("content-length"),
            Some(answer.body.len().to_string().as_str()),
            "the length of the body as sent"
        );
    }
    assert!(
        answer
            .headers
            .get_all("vary")
            .iter()
            .any(|v| v.as_bytes().eq_ignore_ascii_case(b"accept-encoding")),
        "{:?}",
        answer.headers
    );
    let mut out = Vec::new();
    match answer.header("content-encoding") {
        None => out.extend_from_slice(&answer.body),
        // One gzip member: the single-member decoder must read the whole body.
        Some("gzip") => {
            flate2::read::GzDecoder::new(&answer.body[..])
                .read_to_end(&mut out)
                .expect("gzip");
        }
        Some("br") => {
            brotli::Decompressor::new(&answer.body[..], 4096)
                .read_to_end(&mut out)
                .expect("brotli");
        }
        Some(other) => panic!("unexpected content-encoding {other}"),
    }
    out
}

#[tokio::test]
async fn a_compressed_hit_is_the_page_compressed_once_with_its_own_nonce() {
    let built = service(&[]);
    let cache = built.cache.clone().expect("cache");
    let placeholder = cache.placeholder().to_string();
    let uri = format!("/capacity?{CHAPTER}&years=4");
    let plain = get(built.router.clone(), &uri).await;
    let expected = page_without_nonce(&plain, &placeholder);
    let mut nonces = vec![nonce_of_policy(
        plain.header("content-security-policy").expect("CSP"),
    )];
    for (accept, encoding) in [
        ("gzip", Some("gzip")),
        ("br", Some("br")),
        ("gzip, deflate, br, zstd", Some("br")),
        ("br;q=0, gzip", Some("gzip")),
        ("gzip;q=0.5, br;q=0.4", Some("gzip")),
        ("gzip;q=0", None),
        ("gzip;q=0, br;q=0", None),
        ("identity", None),
    ] {
        // Twice: the first hit in an encoding makes its compressed form, the second reuses it.
        for round in 0..2 {
            let bytes = cache.bytes();
            let answer = send(built.router.clone(), request("GET", &uri, Some(accept))).await;
            assert_eq!(answer.status, StatusCode::OK);
            assert_eq!(answer.header("content-encoding"), encoding, "{accept}");
            let body = decoded(&answer);
            let text = String::from_utf8(body).expect("UTF-8");
            let page = Answer {
                status: answer.status,
                headers: answer.headers.clone(),
                body: text.into(),
            };
            // The CSP header's nonce is the one in the hydration script, the placeholder never
            // leaks, and the rest is the uncompressed page byte for byte.
            assert_eq!(
                page_without_nonce(&page, &placeholder),
                expected,
                "{accept}"
            );
            nonces.push(nonce_of_policy(
                answer.header("content-security-policy").expect("CSP"),
            ));
            if round == 1 {
                assert_eq!(cache.bytes(), bytes, "{accept}: made once, weighed once");
            }
            if encoding.is_some() {
                assert!(answer.body.len() < plain.body.len() / 3, "{accept}");
            }
        }
    }
    let distinct: std::collections::HashSet<_> = nonces.iter().collect();
    assert_eq!(distinct.len(), nonces.len(), "a nonce per response");
    // HEAD: the head of the GET in that encoding (its length too), without a body.
    for (accept, encoding) in [("gzip", Some("gzip")), ("br", Some("br")), ("x", None)] {
        let head = send(built.router.clone(), request("HEAD", &uri, Some(accept))).await;
        let get = send(built.router.clone(), request("GET", &uri, Some(accept))).await;
        assert_eq!(head.status, StatusCode::OK);
        assert!(head.body.is_empty());
        assert_eq!(head.header("content-encoding"), encoding, "{accept}");
        // (An uncompressed HEAD is answered as before this cache kept compressed forms: no
        // length, and `CompressionLayer` leaves its empty body, and its Vary, alone.)
        if encoding.is_some() {
            for name in ["content-length", "vary"] {
                assert_eq!(head.header(name), get.header(name), "{accept} {name}");
            }
        }
        assert!(head.header("content-security-policy").is_some());
    }
    // A page seen first in an encoding is answered in it from the start.
    let fresh = format!("/capacity?{CHAPTER}&years=5");
    let first = send(built.router.clone(), request("GET", &fresh, Some("br"))).await;
    assert_eq!(first.header("content-encoding"), Some("br"));
    let text = String::from_utf8(decoded(&first)).expect("UTF-8");
    let first = Answer {
        body: text.into(),
        ..first
    };
    let plain = get(built.router.clone(), &fresh).await;
    assert_eq!(
        page_without_nonce(&first, &placeholder),
        page_without_nonce(&plain, &placeholder)
    );
}

#[tokio::test]
async fn a_compressed_report_hit_is_the_report_with_its_own_time() {
    let built = service(&[]);
    let uri = format!("/api/v1/report?{CHAPTER}");
    for accept in ["gzip", "br", "gzip", "br"] {
        let answer = send(built.router.clone(), request("GET", &uri, Some(accept))).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.header("content-encoding"), Some(accept));
        let text = String::from_utf8(decoded(&answer)).expect("UTF-8");
        let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            text,
            expected_json(CHAPTER, &generated_at(&json)),
            "{accept}"
        );
    }
    // A simulator's document has no hole: the compressed form is the whole answer.
    let uri = "/api/v1/simulate/queueing?dau=5M";
    let plain = get(built.router.clone(), uri).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.text());
    for accept in ["gzip", "br", "br"] {
        let answer = send(built.router.clone(), request("GET", uri, Some(accept))).await;
        assert_eq!(answer.header("content-encoding"), Some(accept));
        assert_eq!(decoded(&answer), plain.body, "{accept}");
    }
}

#[tokio::test]
async fn two_reports_of_one_scenario_differ_only_in_generated_at() {
    let cached = service(&[]);
    let cache = cached.cache.clone().expect("cache");
    let uncached = service(&["--cache-bytes", "0"]);
    assert!(uncached.cache.is_none());
    let fresh = get(uncached.router, &format!("/api/v1/report?{CHAPTER}")).await;
    let stamp = generated_at(&fresh.json());
    assert_eq!(fresh.text(), expected_json(CHAPTER, &stamp));

    let hits = cache.hits();
    // One scenario, spelled three ways: the first renders, every later one is a hit (the third
    // spelling through the canonical query, and then by its own).
    let canonical = fresh.json()["query"].as_str().expect("query").to_string();
    let reordered = "size=500&peak=10&reads=10&writes=0.5&dau=100M";
    for (i, query) in [CHAPTER, CHAPTER, reordered, reordered, &canonical]
        .into_iter()
        .enumerate()
    {
        let answer = get(cached.router.clone(), &format!("/api/v1/report?{query}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        assert_eq!(answer.header("content-type"), Some("application/json"));
        let stamp = generated_at(&answer.json());
        assert_eq!(answer.text(), expected_json(CHAPTER, &stamp), "{query}");
        assert!(!answer.text().contains(cache.placeholder()));
        assert_eq!(cache.hits(), hits + i as u64, "{query}");
    }
}

#[tokio::test]
async fn errors_are_never_cached() {
    let built = service(&[]);
    let cache = built.cache.clone().expect("cache");
    for uri in ["/api/v1/report?dau=lots", "/nope", "/api/v1/nope"] {
        let held = cache.len();
        let hits = cache.hits();
        for _ in 0..2 {
            let answer = get(built.router.clone(), uri).await;
            assert!(answer.status.is_client_error(), "{uri}: {}", answer.status);
        }
        assert_eq!(cache.len(), held, "{uri}");
        assert_eq!(cache.hits(), hits, "{uri}");
    }
    // A HEAD renders the page as a GET would and keeps it (so a HEAD costs what a GET costs;
    // `limits.rs` checks that the next GET and HEAD are hits).
    let head = Request::builder()
        .method("HEAD")
        .uri("/cost?years=2")
        .body(Body::empty())
        .expect("request");
    let held = cache.len();
    assert_eq!(
        send(built.router.clone(), head).await.status,
        StatusCode::OK
    );
    assert_eq!(cache.len(), held + 1);
}

#[tokio::test]
async fn the_cache_keeps_to_its_entry_and_byte_bounds() {
    let few = service(&["--cache-entries", "3"]);
    let cache = few.cache.clone().expect("cache");
    for dau in 1..=12 {
        let answer = get(few.router.clone(), &format!("/api/v1/report?dau={dau}M")).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert!(cache.len() <= 3, "{} entries", cache.len());
    }
    assert!(!cache.is_empty());

    let small = service(&["--cache-bytes", "128 KiB"]);
    let cache = small.cache.clone().expect("cache");
    let mut page_bytes = 0;
    for dau in 1..=8 {
        let page = get(small.router.clone(), &format!("/capacity?dau={dau}M")).await;
        assert_eq!(page.status, StatusCode::OK);
        page_bytes = page.body.len();
        assert!(cache.bytes() <= 128 * 1024, "{} bytes", cache.bytes());
    }
    assert!(
        (cache.len() * page_bytes) as u64 <= 128 * 1024,
        "{} pages of {page_bytes} bytes",
        cache.len()
    );
}
