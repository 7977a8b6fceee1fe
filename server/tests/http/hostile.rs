//! The hostile-input catalog (server/tests/hostile_inputs.json) against every page and the API.
//!
//! Pages: each value goes into every field the page shows; the page must answer below 500, show
//! each bad field's message (the core's, for the same query) under that field, and never echo
//! markup unescaped. API: each value goes alone into each field, by GET and by POST; the answer
//! must be the report (200) or the JSON error naming the same first field as the core (400).
//! Raw queries, bodies and requests must answer below 500, the API in its JSON error shape.
//! No request may panic, even one a panic guard would turn into a 500.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use scraper::{Html, Selector};
use serde::Deserialize;
use serde_json::Value;

use headroom::report::SCHEMA;
use headroom::scenario::{FIELDS, FieldSpec, Parsed, Scenario, encode_pairs};
use headroom_app::pages::PAGES;

use super::support::{Answer, app, count_server_panics, get, send};

#[derive(Deserialize)]
struct Catalog {
    values: Vec<ValueCase>,
    queries: Vec<QueryCase>,
    bodies: Vec<BodyCase>,
    requests: Vec<RequestCase>,
}

#[derive(Deserialize)]
struct ValueCase {
    name: String,
    value: Option<String>,
    repeat: Option<String>,
    times: Option<usize>,
}

impl ValueCase {
    fn text(&self) -> String {
        match (&self.value, &self.repeat) {
            (Some(value), _) => value.clone(),
            (None, Some(unit)) => unit.repeat(self.times.unwrap_or(1)),
            (None, None) => panic!("value case {} has no value", self.name),
        }
    }
}

#[derive(Deserialize)]
struct QueryCase {
    name: String,
    query: Option<String>,
    query_repeat: Option<String>,
    times: Option<usize>,
    prefix: Option<String>,
}

impl QueryCase {
    fn text(&self) -> String {
        match (&self.query, &self.query_repeat) {
            (Some(query), _) => query.clone(),
            (None, Some(unit)) => format!(
                "{}{}",
                self.prefix.clone().unwrap_or_default(),
                unit.repeat(self.times.unwrap_or(1))
            ),
            (None, None) => panic!("query case {} has no query", self.name),
        }
    }
}

fn json_type() -> Option<String> {
    Some("application/json".to_string())
}

#[derive(Deserialize)]
struct BodyCase {
    name: String,
    body: Option<String>,
    body_bytes: Option<Vec<u8>>,
    body_prefix: Option<String>,
    body_suffix: Option<String>,
    nest: Option<String>,
    depth: Option<usize>,
    repeat: Option<String>,
    times: Option<usize>,
    #[serde(default = "json_type")]
    content_type: Option<String>,
    expect: Option<u16>,
}

impl BodyCase {
    fn bytes(&self) -> Vec<u8> {
        if let Some(bytes) = &self.body_bytes {
            return bytes.clone();
        }
        let mut text = self.body_prefix.clone().unwrap_or_default();
        if let Some(body) = &self.body {
            text.push_str(body);
        }
        if let Some(open) = &self.nest {
            text.push_str(&open.repeat(self.depth.unwrap_or(1)));
        }
        if let Some(unit) = &self.repeat {
            text.push_str(&unit.repeat(self.times.unwrap_or(1)));
        }
        text.push_str(self.body_suffix.as_deref().unwrap_or_default());
        text.into_bytes()
    }
}

#[derive(Deserialize)]
struct RequestCase {
    name: String,
    method: String,
    uri: String,
    #[serde(default)]
    headers: serde_json::Map<String, Value>,
    body: Option<String>,
}

/// Longest URI the `http` crate builds (65,534 bytes), with room for the path.
const MAX_URI: usize = 60_000;

fn catalog() -> Catalog {
    let text = include_str!("../hostile_inputs.json");
    serde_json::from_str(text).expect("the catalog is valid JSON")
}

#[test]
fn the_catalog_holds_at_least_fifty_hostile_inputs() {
    let c = catalog();
    let total = c.values.len() + c.queries.len() + c.bodies.len() + c.requests.len();
    assert!(total >= 50, "{total}");
    let names: BTreeSet<&str> = c.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names.len(), c.values.len(), "value names are unique");
}

/// The message under each field of a rendered page by query key, as a browser shows it (entities
/// decoded, tags and comments left out).
fn notes_on_page(html: &str) -> BTreeMap<String, String> {
    let notes = Selector::parse(r#"[id^="f-"][id$="-note"]"#).expect("selector");
    Html::parse_document(html)
        .select(&notes)
        .filter_map(|note| {
            let id = note.attr("id")?;
            let key = id.strip_prefix("f-")?.strip_suffix("-note")?;
            Some((key.to_string(), note.text().collect()))
        })
        .collect()
}

/// The keys whose input (and message) a rendered page shows.
fn keys_on_page(html: &str) -> Vec<&'static str> {
    let notes = notes_on_page(html);
    FIELDS
        .iter()
        .map(|f| f.key)
        .filter(|key| notes.contains_key(*key))
        .collect()
}

/// Every page path, built or not (an unbuilt one answers the 404 page).
fn pages() -> Vec<&'static str> {
    PAGES.iter().map(|page| page.path).collect()
}

/// The scenario a page reads from `query` today: leptos_router 0.8 percent-decodes each query
/// value a second time when it builds its `ParamsMap` (`ParamsMap::insert` calls
/// `Url::unescape`), so a typed `%41` reads as `A`. Reported to the app's owner; until it is
/// fixed the page may show either verdict, and the check accepts both.
fn as_leptos_reads_it(query: &str) -> Parsed {
    Scenario::from_pairs(form_urlencoded::parse(query.as_bytes()).map(|(k, v)| {
        let twice = percent_encoding::percent_decode_str(&v)
            .decode_utf8_lossy()
            .into_owned();
        (k.into_owned(), twice)
    }))
}

/// Text as an HTML parser (a browser, scraper) reads it back from a page: a NUL in text is
/// dropped, and CR LF or a lone CR becomes LF (WHATWG HTML, "Preprocessing the input stream" and
/// the "in body" insertion mode).
fn as_parsed(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "")
}

/// Checks a rendered page against the core's verdict on the same query.
fn check_page(path: &str, query: &str, answer: &Answer, keys: &[&str], case: &str) {
    assert!(
        answer.status.as_u16() < 500,
        "{path} with {case}: {}",
        answer.status
    );
    let html = answer.text();
    let notes = notes_on_page(&html);
    let once = Scenario::from_query(query);
    let twice = as_leptos_reads_it(query);
    for key in keys {
        let (a, b) = (once.error_for(key), twice.error_for(key));
        if a.is_none() && b.is_none() {
            continue;
        }
        let help = FieldSpec::find(key)
            .map(|f| f.help.to_string())
            .unwrap_or_default();
        let expected_once = as_parsed(&a.map_or(help.clone(), |e| e.message.clone()));
        let expected_twice = as_parsed(&b.map_or(help, |e| e.message.clone()));
        let note = notes
            .get(*key)
            .unwrap_or_else(|| panic!("{path} with {case}: no note for {key}"));
        let note = note.trim();
        assert!(
            note == expected_once || note == expected_twice,
            "{path} with {case}: the message under {key} is {note:?}, expected {expected_once:?}"
        );
    }
    for raw in [
        "<script>alert(1)",
        "<img src=x onerror",
        "Set-Cookie: x=1\r",
    ] {
        assert!(!html.contains(raw), "{path} with {case}: unescaped {raw:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_shows_each_bad_fields_message_and_never_fails() {
    let panics = count_server_panics();
    let before = panics.load(Ordering::SeqCst);
    let catalog = catalog();
    let router = app();
    let mut checked_messages = 0;
    let mut too_long_for_a_uri = 0;
    for path in pages() {
        let default_page = get(router.clone(), path).await;
        assert!(default_page.status.as_u16() < 500, "{path}");
        let keys = keys_on_page(&default_page.text());
        for case in &catalog.values {
            let value = case.text();
            // As many of the page's fields as a URI can carry (a real client's URI is cut at
            // --max-header-bytes, 16 KiB, and answered 431: limits.rs shows that on a socket).
            let mut query = String::new();
            for count in (1..=keys.len()).rev() {
                query = encode_pairs(keys[..count].iter().map(|k| (*k, value.as_str())));
                if query.len() <= MAX_URI {
                    break;
                }
            }
            if query.len() > MAX_URI {
                too_long_for_a_uri += 1;
                continue;
            }
            let answer = get(router.clone(), &format!("{path}?{query}")).await;
            check_page(path, &query, &answer, &keys, &case.name);
            checked_messages += Scenario::from_query(&query)
                .errors
                .iter()
                .filter(|e| keys.contains(&e.field.as_str()))
                .count();
        }
        for case in &catalog.queries {
            let query = case.text();
            let answer = get(router.clone(), &format!("{path}?{query}")).await;
            check_page(path, &query, &answer, &keys, &case.name);
        }
    }
    assert!(
        checked_messages > 500,
        "the catalog exercises the pages' messages: {checked_messages}"
    );
    // Only the 100 KB values cannot travel in a URI at all (they do travel in POST bodies).
    assert!(
        too_long_for_a_uri <= 2 * pages().len(),
        "{too_long_for_a_uri}"
    );
    assert_eq!(
        panics.load(Ordering::SeqCst),
        before,
        "a request panicked (see the output)"
    );
}

/// The API's answer must agree with the core's verdict on the same input.
fn check_api(answer: &Answer, expected: &Parsed, case: &str) {
    if expected.errors.is_empty() {
        assert_eq!(answer.status, StatusCode::OK, "{case}: {}", answer.text());
        assert_eq!(answer.json()["schema"], SCHEMA, "{case}");
    } else {
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{case}: {}",
            answer.text()
        );
        let (field, message) = answer.api_error();
        let mut errors = expected.errors.clone();
        errors.sort_by_key(|e| FIELDS.iter().position(|f| f.key == e.field));
        assert_eq!(field.as_deref(), Some(errors[0].field.as_str()), "{case}");
        assert_eq!(message, errors[0].message, "{case}");
        let listed = answer.json()["errors"].as_array().map_or(0, Vec::len);
        assert_eq!(listed, errors.len(), "{case}");
    }
}

async fn api_get(router: Router, query: &str) -> Answer {
    get(router, &format!("/api/v1/report?{query}")).await
}

async fn api_post(router: Router, body: Vec<u8>, content_type: Option<&str>) -> Answer {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/report");
    if let Some(content_type) = content_type {
        builder = builder.header("content-type", content_type);
    }
    send(router, builder.body(Body::from(body)).expect("request")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_every_value_in_every_field_with_the_cores_verdict() {
    let panics = count_server_panics();
    let before = panics.load(Ordering::SeqCst);
    let router = app();
    for case in catalog().values {
        let value = case.text();
        for field in FIELDS {
            let query = encode_pairs([(field.key, value.as_str())]);
            let label = format!("{} in {}", case.name, field.key);
            if query.len() <= MAX_URI {
                let answer = api_get(router.clone(), &query).await;
                check_api(&answer, &Scenario::from_query(&query), &label);
            }

            let mut object = serde_json::Map::new();
            object.insert(field.key.to_string(), Value::String(value.clone()));
            let body = serde_json::to_vec(&object).expect("json");
            let expected = Scenario::from_json_object(&object);
            let answer = api_post(router.clone(), body, Some("application/json")).await;
            check_api(&answer, &expected, &format!("POST {label}"));
        }
    }
    assert_eq!(
        panics.load(Ordering::SeqCst),
        before,
        "a request panicked (see the output)"
    );
}

/// Every hostile value pasted as a manifest, and put in place of each number of the chapter's
/// manifest, through `POST /api/v1/hpa`: 200 or a 400 naming `hpa_yaml`, never a 5xx or a panic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_yaml_reader_answers_every_value_as_a_manifest_and_in_each_of_its_numbers() {
    let panics = count_server_panics();
    let before = panics.load(Ordering::SeqCst);
    let router = app();
    let chapter = headroom::autoscale::CHAPTER_EXAMPLE_YAML;
    let numbers = ["3", "100", "70", "1000", "300", "10", "60", "0", "15"];
    for case in catalog().values {
        let value = case.text();
        let mut manifests = vec![value.clone()];
        manifests.extend(
            numbers
                .iter()
                .map(|n| chapter.replacen(&format!(": {n}\n"), &format!(": {value}\n"), 1)),
        );
        for manifest in manifests {
            let request = Request::builder()
                .method(Method::POST)
                .uri("/api/v1/hpa")
                .header("content-type", "text/plain")
                .body(Body::from(manifest))
                .expect("request");
            let answer = send(router.clone(), request).await;
            let status = answer.status.as_u16();
            // 413 only for the 100 KB values, past the server's body limit.
            let field = match status {
                200 => continue,
                400 => "hpa_yaml",
                413 => "body",
                _ => panic!("{}: {status} {}", case.name, answer.text()),
            };
            assert_eq!(
                answer.api_error().0.as_deref(),
                Some(field),
                "{}",
                case.name
            );
        }
    }
    assert_eq!(
        panics.load(Ordering::SeqCst),
        before,
        "a request panicked (see the output)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_queries_bodies_and_requests_get_clear_answers() {
    let panics = count_server_panics();
    let before = panics.load(Ordering::SeqCst);
    let catalog = catalog();
    let router = app();
    for case in &catalog.queries {
        let query = case.text();
        let answer = api_get(router.clone(), &query).await;
        check_api(&answer, &Scenario::from_query(&query), &case.name);
    }
    for case in &catalog.bodies {
        let answer = api_post(router.clone(), case.bytes(), case.content_type.as_deref()).await;
        let status = answer.status.as_u16();
        match case.expect {
            Some(expected) => assert_eq!(status, expected, "{}: {}", case.name, answer.text()),
            None => assert!(
                status == 200 || status == 400,
                "{}: {status} {}",
                case.name,
                answer.text()
            ),
        }
        if status != 200 {
            answer.api_error();
        }
    }
    for case in &catalog.requests {
        let mut builder = Request::builder()
            .method(case.method.as_str())
            .uri(case.uri.as_str());
        for (name, value) in &case.headers {
            builder = builder.header(name.as_str(), value.as_str().unwrap_or_default());
        }
        let body = case
            .body
            .clone()
            .map(Body::from)
            .unwrap_or_else(Body::empty);
        let request = builder
            .body(body)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let answer = send(router.clone(), request).await;
        let status = answer.status.as_u16();
        assert!(status < 500, "{}: {status} {}", case.name, answer.text());
        if case.uri.starts_with("/api") && status >= 400 {
            answer.api_error();
        }
    }
    assert_eq!(
        panics.load(Ordering::SeqCst),
        before,
        "a request panicked (see the output)"
    );
}
