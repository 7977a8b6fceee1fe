//! `/api/v1/simulate/<page>`: every simulator page's figures by the page's query keys, checked
//! against the core's own functions run here, every choice of every field of each page, bad
//! values, and the largest runs the scenario allows.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};

use headroom::autoscale::{CHAPTER_EXAMPLE_YAML, ManifestReading};
use headroom::loadbalance::{compare_all, key_movement_by_placement};
use headroom::ratelimit::{distributed_over_admission, simulate as rate_limit};
use headroom::report::Report;
use headroom::scenario::{FIELDS, Group, Kind, MAGLEV_TABLE, MOVEMENT_KEYS, Scenario};

use super::support::{app, get, post_request, send};

const PAGES: [(&str, Option<Group>); 4] = [
    ("queueing", Some(Group::Queueing)),
    ("autoscaling", Some(Group::Autoscale)),
    ("rate-limiting", Some(Group::RateLimit)),
    ("load-balancing", Some(Group::LoadBalance)),
];

fn schema_name(page: &str) -> &'static str {
    match page {
        "queueing" => "QueueingDocument",
        "autoscaling" => "AutoscalingDocument",
        "rate-limiting" => "RateLimitingDocument",
        _ => "LoadBalancingDocument",
    }
}

/// The OpenAPI component `name` as a root schema the `jsonschema` crate resolves: its `$ref`s
/// point into `#/components/schemas`, which sit beside it.
fn component(openapi: &Value, name: &str) -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": openapi["components"],
    })
}

async fn post_to(page: &str, body: Value) -> super::support::Answer {
    send(
        app(),
        post_request(
            &format!("/api/v1/simulate/{page}"),
            Some("application/json"),
            body.to_string(),
        ),
    )
    .await
}

fn scenario(query: &str) -> Scenario {
    let parsed = Scenario::from_query(query);
    assert!(parsed.errors.is_empty(), "{query}: {:?}", parsed.errors);
    parsed.scenario
}

/// The answer's figures against the core's functions, run here on the same scenario.
fn check_against_the_core(page: &str, query: &str, answer: &Value) {
    let s = scenario(query);
    let value = |v: &dyn erased::Serialize| v.to_value();
    match page {
        "queueing" => {
            let report = Report::build(&s).expect("report");
            assert_eq!(answer["queueing"], value(&report.queueing), "{query}");
            assert_eq!(
                answer["explain"]["queueing.utilization"],
                json!(report.explain["queueing.utilization"])
            );
        }
        "autoscaling" => {
            let run =
                headroom::autoscale::simulate(&s.autoscale_config(s.hpa().clone())).expect("run");
            assert_eq!(answer["summary"], value(&run.summary), "{query}");
            assert_eq!(answer["steps_total"], run.steps.len());
            let stride = answer["steps_stride"].as_u64().expect("stride") as usize;
            let sampled: Vec<_> = run.steps.iter().step_by(stride).collect();
            assert!(sampled.len() <= 480, "{}", sampled.len());
            assert_eq!(answer["steps"], value(&sampled), "{query}");
            assert_eq!(answer["policy"]["hpa"], s.hpa().to_compact());
        }
        "rate-limiting" => {
            let run = rate_limit(&s.rate_limits(), &s.rate_limit_traffic()).expect("run");
            let distributed =
                distributed_over_admission(&s.rate_limit_distributed()).expect("distributed");
            assert_eq!(answer["run"], value(&run), "{query}");
            assert_eq!(answer["distributed"], value(&distributed), "{query}");
            assert_eq!(answer["limits"], value(&s.rate_limits()));
        }
        _ => {
            let config = s.lb_config();
            let runs = compare_all(&config).expect("runs");
            assert_eq!(answer["runs"], value(&runs), "{query}");
            let moved = key_movement_by_placement(
                config.servers.len(),
                config.vnodes,
                MAGLEV_TABLE,
                MOVEMENT_KEYS,
            );
            for (m, a) in moved
                .iter()
                .zip(answer["key_movement"].as_array().expect("array"))
            {
                assert_eq!(a["placement"], m.key);
                assert_eq!(a["add"], json!(m.add));
                assert_eq!(a["remove"], json!(m.remove));
            }
            let shortest = runs
                .iter()
                .map(|r| r.response.p99_s)
                .fold(f64::INFINITY, f64::min);
            assert_eq!(answer["shortest_p99"]["p99_s"], json!(shortest));
        }
    }
}

/// `serde_json::to_value` through a trait object, so one closure serves every figure's type.
mod erased {
    pub trait Serialize {
        fn to_value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Serialize for T {
        fn to_value(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("serializes")
        }
    }
}

#[tokio::test]
async fn each_page_answers_the_cores_figures_by_get_and_post() {
    for (page, _) in PAGES {
        for query in ["", "v=2"] {
            let answer = get(app(), &format!("/api/v1/simulate/{page}?{query}")).await;
            assert_eq!(answer.status, StatusCode::OK, "{page}: {}", answer.text());
            assert_eq!(answer.header("content-type"), Some("application/json"));
            let json = answer.json();
            assert_eq!(json["schema"], "headroom.simulation.v1");
            check_against_the_core(page, query, &json);
        }
        let posted = post_to(page, json!({"v": 2})).await;
        assert_eq!(posted.status, StatusCode::OK, "{page}: {}", posted.text());
        check_against_the_core(page, "v=2", &posted.json());
    }
    // Fields away from the defaults, by GET and by POST.
    for (page, query, body) in [
        (
            "queueing",
            "q_rate=1500&q_servers=3&q_service_ms=1.5",
            json!({"q_rate": 1500, "q_servers": 3, "q_service_ms": "1.5"}),
        ),
        (
            "autoscaling",
            "as_pattern=flash&as_overflow=queue&as_hours=2",
            json!({"as_pattern": "flash", "as_overflow": "queue", "as_hours": 2}),
        ),
        (
            "rate-limiting",
            "rl_pattern=boundary&rl_limit=50&rl_servers=4",
            json!({"rl_pattern": "boundary", "rl_limit": 50, "rl_servers": 4}),
        ),
        (
            "load-balancing",
            "lb_servers=3*1%3A1%3A4%2C2%3A2%3A8&lb_requests=5k&lb_sticky=1",
            json!({"lb_servers": "3*1:1:4,2:2:8", "lb_requests": "5k", "lb_sticky": true}),
        ),
    ] {
        let by_get = get(app(), &format!("/api/v1/simulate/{page}?{query}")).await;
        assert_eq!(
            by_get.status,
            StatusCode::OK,
            "{page}?{query}: {}",
            by_get.text()
        );
        check_against_the_core(page, query, &by_get.json());
        let by_post = post_to(page, body).await;
        assert_eq!(by_post.status, StatusCode::OK, "{page}: {}", by_post.text());
        assert_eq!(by_post.json(), by_get.json(), "{page}: POST and GET differ");
    }
}

/// Every choice of every choice or flag field of each simulator page, through GET and POST,
/// answers a document that fits its schema in the OpenAPI document.
#[tokio::test]
async fn every_choice_of_every_page_field_fits_the_openapi_schema() {
    let openapi = get(app(), "/api/v1/openapi.json").await.json();
    let mut sent = 0;
    for (page, group) in PAGES {
        let schema = component(&openapi, schema_name(page));
        for spec in FIELDS.iter().filter(|f| Some(f.group) == group) {
            let choices: Vec<&str> = match spec.kind {
                Kind::Choice => spec.choices.iter().map(|(text, _)| *text).collect(),
                Kind::Flag => vec!["true", "false"],
                _ => continue,
            };
            for choice in choices {
                let query: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair(spec.key, choice)
                    .finish();
                let by_get = get(app(), &format!("/api/v1/simulate/{page}?{query}")).await;
                let by_post = post_to(page, json!({ spec.key: choice })).await;
                for (method, answer) in [("GET", by_get), ("POST", by_post)] {
                    let context = format!("{method} {page}?{query}");
                    // Observed traffic needs an imported series (the `obs` field) to replay: on
                    // its own it is refused on the field, as the page refuses it.
                    if choice == "observed" || choice == "observed_week" {
                        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{context}");
                        assert_eq!(answer.api_error().0.as_deref(), Some(spec.key));
                        continue;
                    }
                    assert_eq!(
                        answer.status,
                        StatusCode::OK,
                        "{context}: {}",
                        answer.text()
                    );
                    let document = answer.json();
                    super::schema_check::validate(&document, &schema)
                        .unwrap_or_else(|e| panic!("{context}: {e}"));
                    sent += 1;
                }
            }
        }
    }
    // q_target 4; as_pattern 5 (and `observed`, refused above), as_overflow 2; rl_pattern 3, rl_align 2, rl_count 2,
    // rl_routing 2; lb_dist 3 and the flag lb_sticky 2: 25 values, each by GET and by POST.
    assert_eq!(sent, 50);
    // The report fits its component too: the same schema as /api/v1/schema.
    let report = get(app(), "/api/v1/report").await.json();
    super::schema_check::validate(&report, &component(&openapi, "Report")).expect("report");
}

#[tokio::test]
async fn bad_values_are_400_naming_the_field() {
    for (page, query, field) in [
        ("queueing", "q_servers=0", "q_servers"),
        ("autoscaling", "as_mean=lots", "as_mean"),
        ("autoscaling", "hpa=min%3D0", "hpa"),
        ("rate-limiting", "rl_limit=0", "rl_limit"),
        ("rate-limiting", "rl_pattern=sometimes", "rl_pattern"),
        ("load-balancing", "lb_servers=1%3A1", "lb_servers"),
        ("load-balancing", "lb_requests=300k", "lb_requests"),
        // Past the simulators' bounds: a rate-limiting run of 10M requests, a ring too large.
        ("rate-limiting", "rl_rate=1e6&rl_duration=10", "rl_rate"),
        (
            "load-balancing",
            "lb_servers=1000*1000%3A1%3A1&lb_vnodes=10k",
            "lb_servers",
        ),
        // Any page refuses any bad field, as the report does.
        ("load-balancing", "dau=lots", "dau"),
    ] {
        let answer = get(app(), &format!("/api/v1/simulate/{page}?{query}")).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{page}?{query}: {}",
            answer.text()
        );
        assert_eq!(answer.header("content-type"), Some("application/json"));
        let (named, message) = answer.api_error();
        assert_eq!(named.as_deref(), Some(field), "{page}?{query}: {message}");
    }
    let posted = post_to("rate-limiting", json!({"rl_limit": "none"})).await;
    assert_eq!(posted.status, StatusCode::BAD_REQUEST);
    assert_eq!(posted.api_error().0.as_deref(), Some("rl_limit"));
    let wrong_type = send(
        app(),
        post_request("/api/v1/simulate/queueing", Some("text/plain"), "q_rate=1"),
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let unknown = get(app(), "/api/v1/simulate/chaos").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn a_manifest_in_hpa_yaml_sets_the_policy_as_on_the_page() {
    let reading = ManifestReading::read(CHAPTER_EXAMPLE_YAML).expect("reads");
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("hpa_yaml", CHAPTER_EXAMPLE_YAML)
        .append_pair("as_hours", "1")
        .finish();
    let by_get = get(app(), &format!("/api/v1/simulate/autoscaling?{query}")).await;
    assert_eq!(by_get.status, StatusCode::OK, "{}", by_get.text());
    let json = by_get.json();
    assert_eq!(json["policy"]["hpa"], reading.hpa);
    assert_eq!(
        json["unsupported"],
        serde_json::to_value(&reading.unsupported).unwrap()
    );
    let by_post = post_to(
        "autoscaling",
        json!({"hpa_yaml": CHAPTER_EXAMPLE_YAML, "as_hours": 1}),
    )
    .await;
    assert_eq!(by_post.json(), json);
    for body in [
        json!({"hpa_yaml": "kind: [unclosed"}),
        json!({"hpa_yaml": 3}),
    ] {
        let bad = post_to("autoscaling", body).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
        assert_eq!(bad.api_error().0.as_deref(), Some("hpa_yaml"));
    }
}

/// The largest run each page allows answers, in bounded time. Measured in this (debug) build;
/// a release build is about ten times faster (BENCHMARKS.md: 100,000 load-balanced requests per
/// algorithm in under 20 ms).
#[tokio::test]
async fn the_largest_runs_answer_in_bounded_time() {
    for (page, query) in [
        // A week at 15 s steps: 40,320 steps.
        ("autoscaling", "as_hours=168&as_pattern=day"),
        // About 990,000 requests through every algorithm: the scenario allows an expected count up
        // to 1,000,000, and a seeded draw past it is refused with the simulator's message (400).
        (
            "rate-limiting",
            "rl_rate=1000&rl_duration=990&rl_window=1000&rl_limit=1000000",
        ),
        // 200,000 requests (the field's maximum) through all ten algorithms on the default cluster.
        ("load-balancing", "lb_requests=200000"),
    ] {
        let started = Instant::now();
        let answer = get(app(), &format!("/api/v1/simulate/{page}?{query}")).await;
        let took = started.elapsed();
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{page}?{query}: {}",
            answer.text()
        );
        eprintln!("{page}?{query}: {took:?}, {} bytes", answer.body.len());
        assert!(took < Duration::from_secs(60), "{page}?{query}: {took:?}");
        // Bounded size too: the steps are sampled, the runs are per algorithm and server.
        assert!(
            answer.body.len() < 2 << 20,
            "{page}: {} bytes",
            answer.body.len()
        );
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_every_page_key() {
    let answer = get(app(), "/api/v1/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    let openapi = answer.json();
    assert_eq!(openapi["openapi"], "3.1.0");
    let paths: Vec<&str> = openapi["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    for path in [
        "/api/v1/report",
        "/api/v1/schema",
        "/api/v1/hpa",
        "/api/v1/traffic",
        "/api/v1/openapi.json",
        "/api/v1/reference",
        "/api/v1/simulate/queueing",
        "/api/v1/simulate/autoscaling",
        "/api/v1/simulate/rate-limiting",
        "/api/v1/simulate/load-balancing",
    ] {
        assert!(paths.contains(&path), "{path} missing from {paths:?}");
        // And every documented route is served.
        let served = get(app(), path).await;
        assert_ne!(served.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(paths.len(), 10, "{paths:?}");
    // Every operation documents its answer and the errors, not one instead of the other.
    for (path, item) in openapi["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            for status in ["200", "400", "429"] {
                assert!(
                    operation["responses"].get(status).is_some(),
                    "{method} {path}: no {status}"
                );
            }
        }
    }
    for (page, group) in PAGES {
        let parameters = openapi["paths"][format!("/api/v1/simulate/{page}")]["get"]["parameters"]
            .as_array()
            .expect("parameters");
        let names: Vec<&str> = parameters
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        for spec in FIELDS.iter().filter(|f| Some(f.group) == group) {
            assert!(
                names.contains(&spec.key),
                "{page}: {} undocumented",
                spec.key
            );
        }
    }
    // The report's component is the schema /api/v1/schema serves, definitions aside.
    let schema = get(app(), "/api/v1/schema").await.json();
    let component = &openapi["components"]["schemas"]["Report"];
    assert_eq!(
        component["properties"].as_object().map(|p| p.len()),
        schema["properties"].as_object().map(|p| p.len())
    );
    // The page lists every route, escaped, with no script.
    let page = get(app(), "/api/v1/reference").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = page.text();
    for path in paths {
        assert!(html.contains(path), "{path} not on the page");
    }
    assert!(!html.contains("<script"));
}
