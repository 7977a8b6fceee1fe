//! Every status the API answers: 200, 400, 404, 405, 413, 415 (429 and 503 are in limits.rs).

use axum::body::Body;
use axum::http::StatusCode;
use serde_json::json;

use headroom::report::{Report, SCHEMA};
use headroom::scenario::{FIELDS, Kind, Scenario};

use super::support::{app, get, post_json, post_request, send, service};

/// The core's own report for `query`, stamped like the API's answer: the API must add nothing
/// else, so its JSON is byte-identical to the browser's export apart from the time.
pub fn expected_json(query: &str, generated_at: &str) -> String {
    let parsed = Scenario::from_query(query);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut report = Report::build(&parsed.scenario).expect("report");
    report.generated_at = Some(generated_at.to_string());
    report.to_json().expect("serializes")
}

pub fn generated_at(json: &serde_json::Value) -> String {
    let stamp = json["generated_at"]
        .as_str()
        .expect("generated_at")
        .to_string();
    // RFC 3339, UTC, whole seconds: 2026-11-27T19:00:00Z.
    let b = stamp.as_bytes();
    assert_eq!(b.len(), 20, "{stamp}");
    assert!(
        b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':',
        "{stamp}"
    );
    assert_eq!(b[19], b'Z', "{stamp}");
    stamp
}

#[tokio::test]
async fn get_without_a_query_answers_the_default_scenario() {
    let answer = get(app(), "/api/v1/report").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let json = answer.json();
    assert_eq!(json["schema"], SCHEMA);
    assert_eq!(json["query"], "");
    // The chapter's load (100M users × 0.5 writes / 86,400 s = 578.7/s, peak 121,528 req/s)
    // planned at 70% with N+1: ⌈121,528 / 7,000⌉ + 1 = 19 web servers, ⌈115,741 / 70,000⌉ + 1
    // = 3 cache nodes.
    let write_qps = json["capacity"]["write_qps"].as_f64().expect("number");
    assert!((write_qps - 578.703_7).abs() < 1e-3, "{write_qps}");
    assert_eq!(json["capacity"]["web_servers"], 19);
    assert_eq!(json["capacity"]["cache_nodes"], 3);
    let stamp = generated_at(&json);
    assert_eq!(answer.text(), expected_json("", &stamp));
}

#[tokio::test]
async fn the_chapters_example_and_version_1_queries_keep_their_numbers() {
    // The chapter's worked example: 13 web servers and 2 cache nodes, every node at full load.
    for query in ["v=2&util=1&spare=none", "v=1", "dau=100M"] {
        let answer = get(app(), &format!("/api/v1/report?{query}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{query}");
        let json = answer.json();
        assert_eq!(json["capacity"]["web_servers"], 13, "{query}");
        assert_eq!(json["capacity"]["cache_nodes"], 2, "{query}");
        assert_eq!(json["query"], "v=2&util=1&spare=none", "{query}");
    }
    // A posted scenario without `v` that sets a field is a version-1 one too.
    let answer = post_json(app(), r#"{"dau": "100M"}"#).await;
    assert_eq!(answer.json()["capacity"]["web_servers"], 13);
    let answer = post_json(app(), r#"{"v": 2, "dau": "100M"}"#).await;
    assert_eq!(answer.json()["capacity"]["web_servers"], 19);
}

#[tokio::test]
async fn get_with_a_query_is_byte_identical_to_the_core_report() {
    let query = "dau=5M&slo=99.9&arch=arm";
    let answer = get(app(), &format!("/api/v1/report?{query}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let json = answer.json();
    let stamp = generated_at(&json);
    assert_eq!(answer.text(), expected_json(query, &stamp));
    // 5M × 10 / 86,400 × 10 = 5,787/s peak reads.
    let peak = json["capacity"]["peak_read_qps"].as_f64().expect("number");
    assert!((peak - 5_787.037).abs() < 1e-2, "{peak}");
}

#[tokio::test]
async fn a_bad_field_is_400_naming_it() {
    let answer = get(app(), "/api/v1/report?dau=lots").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let (field, message) = answer.api_error();
    assert_eq!(field.as_deref(), Some("dau"));
    let expected = Scenario::from_query("dau=lots");
    assert_eq!(message, expected.errors[0].message);
}

/// Issue 21: the bounds' keys are refused like any other, by name: bits for a bandwidth, a CDN
/// share above 1, a zero partition rate.
#[tokio::test]
async fn a_bad_bound_is_400_naming_it() {
    for (query, key) in [
        ("nic=1+Gb%2Fs", "nic"),
        ("cdn_hit=1.5", "cdn_hit"),
        ("partition_rate=0", "partition_rate"),
        ("cache_mem=-1", "cache_mem"),
    ] {
        let answer = get(app(), &format!("/api/v1/report?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        let (field, message) = answer.api_error();
        assert_eq!(field.as_deref(), Some(key), "{query}");
        assert_eq!(message, Scenario::from_query(query).errors[0].message);
    }
}

/// Issue 20: Object and External metric values are refused by name, with the reason.
#[tokio::test]
async fn bad_outside_metric_values_are_400_on_as_ext() {
    for (query, says) in [
        ("as_ext=queue", "write name=value"),
        ("as_ext=queue%3D10m%3A5%2C5m%3A6", "increasing time"),
        ("as_ext=queue%3D-1", "is not a value"),
    ] {
        let answer = get(app(), &format!("/api/v1/report?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        let (field, message) = answer.api_error();
        assert_eq!(field.as_deref(), Some("as_ext"), "{query}");
        assert!(message.contains(says), "{query}: {message}");
    }
}

/// Issue 20: the Running-but-not-ready part of the start-up cannot be longer than it.
#[tokio::test]
async fn a_not_ready_stage_longer_than_the_start_up_is_400_on_as_unready() {
    let answer = get(app(), "/api/v1/report?as_startup=60&as_unready=90").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let (field, message) = answer.api_error();
    assert_eq!(field.as_deref(), Some("as_unready"));
    assert!(
        message.contains("must not be longer than the pod start-up"),
        "{message}"
    );
}

#[tokio::test]
async fn several_bad_fields_answer_the_first_in_field_order_and_list_all() {
    // In URL order slo comes first; in field order dau does (the form's order).
    let answer = get(app(), "/api/v1/report?slo=200&reads=-1&dau=x").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let (field, _) = answer.api_error();
    assert_eq!(field.as_deref(), Some("dau"));
    let errors = answer.json()["errors"].as_array().expect("errors").clone();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    let position = |key: &str| FIELDS.iter().position(|f| f.key == key).expect("known");
    assert_eq!(fields.len(), 3, "{errors:?}");
    assert!(
        fields.windows(2).all(|w| position(w[0]) < position(w[1])),
        "{fields:?}"
    );
    assert!(
        errors
            .iter()
            .all(|e| e["message"].as_str().is_some_and(|m| !m.is_empty()))
    );
}

#[tokio::test]
async fn post_a_scenario_object() {
    let answer = post_json(app(), r#"{"dau": "5M", "slo": 99.9, "free_tier": true}"#).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let json = answer.json();
    let stamp = generated_at(&json);
    assert_eq!(
        answer.text(),
        expected_json("dau=5M&slo=99.9&free_tier=1", &stamp)
    );
}

#[tokio::test]
async fn post_an_exported_report_recomputes_it() {
    let exported = get(app(), "/api/v1/report?dau=2M&years=5").await;
    assert_eq!(exported.status, StatusCode::OK);
    let answer = post_json(app(), exported.body.clone()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.json()["query"], exported.json()["query"]);
    let wrong_schema = post_json(app(), r#"{"schema": "headroom.report.v9", "inputs": {}}"#).await;
    assert_eq!(wrong_schema.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong_schema.api_error().0.as_deref(), Some("schema"));
}

#[tokio::test]
async fn post_with_bad_fields_is_400_like_get() {
    let answer = post_json(app(), r#"{"util": 1.5, "dau": [1, 2]}"#).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let (field, _) = answer.api_error();
    assert_eq!(field.as_deref(), Some("dau"), "{}", answer.text());
    assert_eq!(answer.json()["errors"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn malformed_json_is_400_on_the_body() {
    for body in [
        "{",
        "",
        "{\"dau\": }",
        "nul",
        "\u{feff}{}",
        "{\"a\":1}{\"b\":2}",
    ] {
        let answer = post_json(app(), body).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body:?}");
        let (field, message) = answer.api_error();
        assert_eq!(field.as_deref(), Some("body"), "{body:?}");
        assert!(message.contains("not valid JSON"), "{message}");
    }
}

#[tokio::test]
async fn json_that_is_not_an_object_is_400() {
    for (body, kind) in [
        ("[1,2]", "an array"),
        ("\"100M\"", "a string"),
        ("42", "a number"),
        ("null", "null"),
    ] {
        let answer = post_json(app(), body).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        let (field, message) = answer.api_error();
        assert_eq!(field.as_deref(), Some("body"));
        assert!(message.ends_with(kind), "{message}");
    }
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonp"),
    ] {
        let request = post_request("/api/v1/report", content_type, r#"{"dau": "1M"}"#);
        let answer = send(app(), request).await;
        assert_eq!(
            answer.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        assert_eq!(answer.api_error().0.as_deref(), Some("content-type"));
    }
    let with_charset = post_request(
        "/api/v1/report",
        Some("Application/JSON; charset=utf-8"),
        r#"{"dau": "1M"}"#,
    );
    assert_eq!(send(app(), with_charset).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_oversized_body_is_413_whether_declared_or_streamed() {
    let router = service(&["--max-body-bytes", "2 KiB"]).router;
    let big = format!(r#"{{"dau": "{}"}}"#, "9".repeat(4096));
    let declared = send(
        router.clone(),
        post_request("/api/v1/report", Some("application/json"), big.clone()),
    )
    .await;
    assert_eq!(declared.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(declared.api_error().0.as_deref(), Some("body"));
    // Chunked, no Content-Length: the limit applies while reading.
    let chunks: Vec<Result<String, std::io::Error>> = big
        .as_bytes()
        .chunks(512)
        .map(|c| Ok(String::from_utf8_lossy(c).into_owned()))
        .collect();
    let streamed = Body::from_stream(futures_util::stream::iter(chunks));
    let answer = send(
        router,
        post_request("/api/v1/report", Some("application/json"), streamed),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.api_error().0.as_deref(), Some("body"));
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let missing = get(app(), "/api/v2/report").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.api_error().0, None);
    // `/api/` too (a nested router does not serve it; the router fuzz target found the HTML 404
    // page there), and with a fragment, which the URI parser drops.
    for bare in ["/api", "/api/", "/api/#v1/report?slo=99.9"] {
        let answer = get(app(), bare).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{bare}");
        answer.api_error();
    }
    for method in ["PUT", "DELETE", "PATCH"] {
        let request = axum::http::Request::builder()
            .method(method)
            .uri("/api/v1/report")
            .body(Body::empty())
            .expect("request");
        let answer = send(app(), request).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        answer.api_error();
        let allow = answer.header("allow").expect("Allow header");
        assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    }
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let request = axum::http::Request::builder()
        .method("HEAD")
        .uri("/api/v1/report")
        .body(Body::empty())
        .expect("request");
    let answer = send(app(), request).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.is_empty());
}

#[tokio::test]
async fn the_schema_describes_the_reports_the_api_answers() {
    let answer = get(app(), "/api/v1/schema").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("content-type"),
        Some("application/schema+json")
    );
    let schema = answer.json();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    for query in [
        "",
        "dau=5M&arch=arm&free_tier=1",
        "slo=100&down=1h",
        "q_rate=1000&q_servers=1",
        // Issue 21: every bound set, and a bound past the count limit ("more than": null).
        "size=2MB&read_size=100kB&cdn_hit=0.9&cache_mem=64GiB&shard_bytes=2TB&msgs_per_write=3\
         &db_write_qps=2k&db_read_qps=5k&util=0.7&spare=n%2B1",
        "cache_ws=1e24&cache_mem=1e6&nic=1e-3",
        // Issue 15: ranges (the sampled sections) and a baseline (the diff), together and at the
        // most samples; and a range that reaches past the node limit (bands of null).
        "dau=80M..120M&reads=5..10..20&mc_n=100000&plan_at=p99&base=v%3D2%26dau%3D50M",
        "web_rps=1e-300..1&mc_n=10",
    ] {
        let report = get(app(), &format!("/api/v1/report?{query}")).await;
        assert_eq!(report.status, StatusCode::OK, "{query}: {}", report.text());
        super::schema_check::validate(&report.json(), &schema)
            .unwrap_or_else(|e| panic!("{query}: {e}"));
    }
    // And it is not vacuous: a report missing a section fails.
    let mut broken = get(app(), "/api/v1/report").await.json();
    broken.as_object_mut().expect("object").remove("capacity");
    assert!(super::schema_check::validate(&broken, &schema).is_err());
    let mut wrong_type = get(app(), "/api/v1/report").await.json();
    wrong_type["capacity"]["web_servers"] = json!("13");
    assert!(super::schema_check::validate(&wrong_type, &schema).is_err());
}

/// Issue 15: a bad range, sampling setting or baseline is a 400 naming its field, by GET and by
/// POST, and nothing is sampled.
#[tokio::test]
async fn bad_ranges_and_baselines_are_400_naming_the_field() {
    for (query, field) in [
        ("dau=120M..80M", "dau"),
        ("dau=1..2..3..4", "dau"),
        ("util=0.5..2", "util"),
        ("as_mean=1..2", "as_mean"),
        ("mc_n=100001", "mc_n"),
        ("mc_n=0", "mc_n"),
        ("mc_seed=-1", "mc_seed"),
        ("plan_at=p42", "plan_at"),
        ("base=v%3D2%26dau%3Dlots", "base"),
        ("base=v%3D2%26base%3Dv%253D2", "base"),
    ] {
        let answer = get(app(), &format!("/api/v1/report?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(answer.json()["error"]["field"], field, "{query}");
    }
    let answer = post_json(app(), json!({ "dau": "9..1" }).to_string()).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["error"]["field"], "dau");
}

/// Issue 15: the API answers the sampled sections and the diff the core computes, and the same
/// query twice is the same document.
#[tokio::test]
async fn ranges_and_a_baseline_answer_the_cores_sections() {
    let query = "v=2&dau=80M..120M&base=v%3D2%26dau%3D50M";
    let answer = get(app(), &format!("/api/v1/report?{query}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let report = answer.json();
    let core =
        headroom::report::Report::build(&headroom::scenario::Scenario::from_query(query).scenario)
            .unwrap();
    let core: serde_json::Value = serde_json::from_str(&core.to_json().unwrap()).unwrap();
    for section in [
        "uncertainty",
        "uncertainty_plan",
        "uncertainty_drivers",
        "diff",
    ] {
        assert_eq!(report[section], core[section], "{section}");
    }
    assert_eq!(report["query"], query);
    let web = &report["uncertainty"]["capacity.web_servers"];
    assert!(web["p10"].as_f64().unwrap() <= web["p90"].as_f64().unwrap());
    assert_eq!(report["uncertainty_plan"]["plan_at"], "p90");
    let again = get(app(), &format!("/api/v1/report?{query}")).await.json();
    assert_eq!(again["uncertainty"], report["uncertainty"]);
}

/// Issue 18: `q_target=mean` and `q_target=pwait` answered 200 with an empty body (serde could
/// not write the target) and the schema described them as `"type": "object", "format": "double"`.
/// Every choice of every choice or flag field, through GET and POST, must answer a report that
/// parses and fits the published schema.
#[tokio::test]
async fn every_choice_of_every_field_answers_a_report_that_fits_the_schema() {
    let schema = get(app(), "/api/v1/schema").await.json();
    assert_eq!(super::schema_check::lint(&schema), Vec::<String>::new());
    // With observed traffic imported (issue 13), so `as_pattern=observed` has a day to replay and
    // the `observed` section is checked against the schema too.
    let elb = include_str!("../../../src/traffic/testdata/elb_request_count_8c0756.csv");
    let imported = headroom::traffic::import(elb, Default::default()).expect("imports");
    let obs = headroom::traffic::analyze(&imported.series)
        .expect("analyses")
        .to_text();
    let mut sent = 0;
    for spec in FIELDS {
        let choices: Vec<&str> = match spec.kind {
            Kind::Choice => spec.choices.iter().map(|(text, _)| *text).collect(),
            Kind::Flag => vec!["true", "false"],
            _ => continue,
        };
        for choice in choices {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("obs", &obs)
                .append_pair(spec.key, choice)
                .finish();
            let by_get = get(app(), &format!("/api/v1/report?{query}")).await;
            let by_post =
                post_json(app(), json!({ "obs": obs, spec.key: choice }).to_string()).await;
            for (method, answer) in [("GET", by_get), ("POST", by_post)] {
                let context = format!("{method} {query}");
                assert_eq!(
                    answer.status,
                    StatusCode::OK,
                    "{context}: {}",
                    answer.text()
                );
                assert!(!answer.body.is_empty(), "{context}: empty body");
                let report: serde_json::Value = serde_json::from_slice(&answer.body)
                    .unwrap_or_else(|e| panic!("{context}: not JSON: {e}"));
                super::schema_check::validate(&report, &schema)
                    .unwrap_or_else(|e| panic!("{context}: {e}"));
                sent += 1;
            }
        }
    }
    // src/scenario/fields.rs declares 22 choice fields with 87 choices in all (obs_size 3,
    // spare 3, year_days 3, month 2, down_per 5, arch 2, region 4, purchase 4, web_type 15,
    // cache_type 6, db_type 6, store 2, api_gw 3, q_target 4, as_pattern 7, as_overflow 2,
    // rl_pattern 3, rl_align 2, rl_count 2, rl_routing 2, lb_dist 3, plan_at 4) and 2 flags
    // (free_tier, lb_sticky): 87 + 2 × 2 = 91 values, each by GET and by POST.
    assert_eq!(sent, 182);
}
