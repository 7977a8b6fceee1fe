//! Security headers, the CSP nonce, cache policy and compression.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use scraper::{Html, Selector};

use super::support::{
    CAPACITY_CHUNKS, CSS_HASH, JS_HASH, WASM_HASH, app, get, nonce_of_policy, send,
};

#[tokio::test]
async fn pages_carry_a_strict_policy_whose_nonce_is_the_inline_scripts() {
    let answer = get(app(), "/capacity").await;
    assert_eq!(answer.status, StatusCode::OK);
    let policy = answer
        .header("content-security-policy")
        .expect("CSP")
        .to_string();
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("object-src 'none'"), "{policy}");
    assert!(!policy.contains("unsafe-eval'") || policy.contains("'wasm-unsafe-eval'"));
    assert!(
        !policy.contains("script-src 'self' 'unsafe-inline'"),
        "{policy}"
    );
    let nonce = nonce_of_policy(&policy);
    assert!(nonce.len() >= 22, "at least 128 bits: {nonce}");
    let html = answer.text();
    // Every inline script carries the header's nonce; scripts with src are ours ('self').
    let page = Html::parse_document(&html);
    let scripts = Selector::parse("script").expect("selector");
    let mut inline = 0;
    for script in page.select(&scripts) {
        if script.attr("src").is_none() {
            inline += 1;
            assert_eq!(
                script.attr("nonce"),
                Some(nonce.as_str()),
                "inline script without the nonce: {}",
                script.html()
            );
        }
    }
    assert!(inline >= 1, "the hydration bootstrap is inline");
    // The hashed bundle is what the bootstrap loads, named by the two <meta> tags it reads.
    let content = |name: &str| {
        let selector = Selector::parse(&format!("meta[name=\"{name}\"]")).expect("selector");
        page.select(&selector)
            .next()
            .and_then(|meta| meta.attr("content"))
            .map(str::to_string)
    };
    assert_eq!(
        content("bundle-js").as_deref(),
        Some(format!("/pkg/headroom.{JS_HASH}.js").as_str()),
        "{html}"
    );
    assert_eq!(
        content("bundle-wasm").as_deref(),
        Some(format!("/pkg/headroom.{WASM_HASH}.wasm").as_str())
    );
    // The page names itself and the chunks its code is in, from the split manifest, for the
    // bootstrap to fetch beside the bundle; a page the manifest does not list names none.
    let page_div = Selector::parse("[data-page]").expect("selector");
    let capacity = page.select(&page_div).next().expect("the page's element");
    assert_eq!(capacity.attr("data-page"), Some("/capacity"));
    let chunks = CAPACITY_CHUNKS
        .map(|chunk| format!("/pkg/{chunk}.wasm"))
        .join(" ");
    assert_eq!(
        capacity.attr("data-chunks"),
        Some(chunks.as_str()),
        "{html}"
    );
    let cost = Html::parse_document(&get(app(), "/cost").await.text());
    let cost = cost.select(&page_div).next().expect("the page's element");
    assert_eq!(cost.attr("data-page"), Some("/cost"));
    assert_eq!(cost.attr("data-chunks"), None);
    let missing = Html::parse_document(&get(app(), "/nowhere").await.text());
    assert_eq!(
        missing.select(&page_div).count(),
        0,
        "the 404 page is in the bundle"
    );
    // Nothing preloads the bundle ahead of the first paint (app/src/bootstrap.js says why).
    let preloads = Selector::parse("link[rel=preload], link[rel=modulepreload]").expect("selector");
    assert_eq!(page.select(&preloads).count(), 0, "{html}");
    // A second request gets a fresh nonce.
    let again = get(app(), "/capacity").await;
    let second = nonce_of_policy(again.header("content-security-policy").expect("CSP"));
    assert_ne!(nonce, second);
}

#[tokio::test]
async fn every_answer_has_the_hardening_headers() {
    for uri in [
        "/",
        "/api/v1/report",
        "/api/v1/report?dau=x",
        "/favicon.svg",
        "/nope",
        "/healthz",
    ] {
        let answer = get(app(), uri).await;
        assert_eq!(
            answer.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(
            answer.header("referrer-policy"),
            Some("no-referrer"),
            "{uri}"
        );
        assert_eq!(answer.header("x-frame-options"), Some("DENY"), "{uri}");
        let policy = answer.header("content-security-policy").expect("CSP");
        assert!(policy.contains("frame-ancestors 'none'"), "{uri}: {policy}");
    }
    let api = get(app(), "/api/v1/report").await;
    assert!(
        api.header("content-security-policy")
            .expect("CSP")
            .starts_with("default-src 'none'")
    );
}

/// The observed-traffic worker runs under its own script's policy: it may import the bundle from
/// us and compile its WASM (`wasm-unsafe-eval`), with no inline script and nothing from
/// elsewhere. Other static files keep the resource policy, and a page's own `script-src 'self'`
/// lets it start the worker (`worker-src` falls back to `script-src`).
#[tokio::test]
async fn the_traffic_worker_may_load_the_bundle_and_nothing_else() {
    let worker = get(app(), "/traffic-worker.js").await;
    assert_eq!(worker.status, StatusCode::OK);
    assert!(worker.text().contains("read_traffic"));
    assert_eq!(
        worker.header("content-security-policy"),
        Some(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; \
             base-uri 'none'; frame-ancestors 'none'"
        )
    );
    // The browser's revalidation: the 304 carries the same policy, which the browser takes into
    // its cached copy (without it the worker's second start ran under the default policy and
    // could not import the bundle).
    let modified = worker
        .header("last-modified")
        .expect("last-modified")
        .to_string();
    let revalidated = send(
        app(),
        Request::builder()
            .uri("/traffic-worker.js")
            .header("if-modified-since", &modified)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        revalidated.header("content-security-policy"),
        worker.header("content-security-policy")
    );
    let favicon = get(app(), "/favicon.svg").await;
    assert_eq!(
        favicon.header("content-security-policy"),
        Some(headroom_server::headers::RESOURCE_POLICY)
    );
    let page = get(app(), "/capacity").await;
    let policy = page.header("content-security-policy").expect("CSP");
    let scripts = policy
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .expect("script-src");
    assert!(scripts.contains("'self'"), "{policy}");
    assert!(!scripts.contains("unsafe-inline"), "{policy}");
    assert!(!policy.contains("worker-src"), "{policy}");
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_html_is_revalidated() {
    let page = get(app(), "/cost").await;
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let api = get(app(), "/api/v1/report").await;
    assert_eq!(api.header("cache-control"), Some("no-cache"));
    for file in [
        format!("/pkg/headroom.{JS_HASH}.js"),
        format!("/pkg/headroom.{WASM_HASH}.wasm"),
        format!("/pkg/headroom.{CSS_HASH}.css"),
    ] {
        let answer = get(app(), &file).await;
        assert_eq!(answer.status, StatusCode::OK, "{file}");
        assert_eq!(
            answer.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{file}"
        );
    }
    // The vendored echarts build: pages load it by a name that carries its content's hash,
    // cached for good; the plain name still answers, revalidated.
    let echarts = format!(
        "/vendor/echarts.{:016x}.min.js",
        headroom::loadbalance::fnv1a64("var echarts={};".repeat(20).as_bytes())
    );
    let page = get(app(), "/capacity").await;
    assert!(
        page.text()
            .contains(&format!(r#"<meta name="echarts-src" content="{echarts}">"#)),
        "the page loads echarts by its hashed name"
    );
    let hashed = get(app(), &echarts).await;
    assert_eq!(hashed.status, StatusCode::OK);
    assert_eq!(hashed.text(), "var echarts={};".repeat(20));
    assert_eq!(
        hashed.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // A split build's chunks carry their content hash in their names (not in the hash file).
    for chunk in CAPACITY_CHUNKS {
        let answer = get(app(), &format!("/pkg/{chunk}.wasm")).await;
        assert_eq!(answer.status, StatusCode::OK, "{chunk}");
        assert_eq!(
            answer.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{chunk}"
        );
    }
    let missing_page = get(app(), "/nowhere").await;
    assert!(missing_page.text().contains(&echarts), "the 404 page too");
    let vendor = get(app(), "/vendor/echarts.min.js").await;
    assert_eq!(vendor.status, StatusCode::OK);
    assert_eq!(vendor.header("cache-control"), Some("no-cache"));
    // Another hash is not a file.
    let stale = get(app(), "/vendor/echarts.0000000000000000.min.js").await;
    assert_eq!(stale.status, StatusCode::NOT_FOUND);
    // A missing hashed-looking file is not cached forever.
    let missing = get(app(), &format!("/pkg/gone.{JS_HASH}.js")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("cache-control"), Some("no-cache"));
}

async fn get_encoded(uri: &str, accept: &str) -> super::support::Answer {
    let request = Request::builder()
        .uri(uri)
        .header("accept-encoding", accept)
        .body(Body::empty())
        .expect("request");
    send(app(), request).await
}

#[tokio::test]
async fn html_json_js_and_wasm_are_compressed() {
    for (uri, accept, encoding) in [
        ("/capacity", "br", "br"),
        ("/capacity", "gzip", "gzip"),
        ("/api/v1/report", "gzip, br", "br"),
        ("/api/v1/schema", "gzip", "gzip"),
        ("/vendor/echarts.min.js", "br", "br"),
    ] {
        check_encoded(uri, accept, encoding).await;
    }
    let wasm = format!("/pkg/headroom.{WASM_HASH}.wasm");
    check_encoded(&wasm, "gzip", "gzip").await;
    // A precompressed sibling is served as is.
    let bundle = get_encoded(&format!("/pkg/headroom.{JS_HASH}.js"), "br").await;
    assert_eq!(bundle.header("content-encoding"), Some("br"));
    assert_eq!(&bundle.body[..], b"brotli bytes");
    // Without Accept-Encoding, plain.
    let plain = get(app(), "/api/v1/report").await;
    assert_eq!(plain.header("content-encoding"), None);
}

async fn check_encoded(uri: &str, accept: &str, encoding: &str) {
    let answer = get_encoded(uri, accept).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}");
    assert_eq!(
        answer.header("content-encoding"),
        Some(encoding),
        "{uri} {accept}"
    );
    let vary = answer
        .header("vary")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(vary.contains("accept-encoding"), "{uri}: {vary}");
}

/// A page's address with a trailing slash is redirected to the page's own (Leptos's router
/// rendered the page there, but the server answered 404); anything else with a slash stays 404.
#[tokio::test]
async fn a_page_with_a_trailing_slash_redirects_to_the_page() {
    let answer = get(app(), "/capacity/?v=2&dau=5M").await;
    assert_eq!(answer.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(answer.header("location"), Some("/capacity?v=2&dau=5M"));
    let answer = get(app(), "/load-balancing/").await;
    assert_eq!(answer.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(answer.header("location"), Some("/load-balancing"));
    // The page it points at answers 200.
    assert_eq!(get(app(), "/load-balancing").await.status, StatusCode::OK);
    for path in ["/nowhere/", "/capacity//", "/pkg/", "/%C3%A9t%C3%A9/"] {
        let answer = get(app(), path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answer.header("location"), None, "{path}");
    }
}
