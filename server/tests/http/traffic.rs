//! Observed traffic through the server: `POST /api/v1/traffic` (what a file says) and
//! `POST /traffic/import` (the pages' import form without JavaScript). What a person sends (an
//! ELB export, a Prometheus answer, a broken file, a file past the API's usual body limit) and
//! what an attacker sends (a body past 16 MiB, a redirect elsewhere, markup in the text) each
//! get an answer; nothing is a 500.

use axum::http::StatusCode;

use super::support::{app, post_request, send};

/// NAB's ELB series (MIT; see src/traffic/testdata/README.md): 4,032 five-minute counts.
const ELB: &str = include_str!("../../../src/traffic/testdata/elb_request_count_8c0756.csv");

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs()
}

#[tokio::test]
async fn an_elb_export_answers_numpys_figures() {
    let answer = send(
        app(),
        post_request("/api/v1/traffic", Some("text/csv"), ELB),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let json = answer.json();
    assert_eq!(json["format"], "csv");
    assert_eq!(json["values"], "count");
    assert_eq!(json["points"], 4_032);
    assert_eq!(json["step_seconds"], 300.0);
    assert_eq!(json["start"], "2014-04-10T00:04:00Z");
    assert_eq!(json["end"], "2014-04-24T00:39:00Z");
    // numpy 2.4.6's figures (src/traffic/testdata/README.md).
    for (key, numpy) in [
        ("mean_per_second", 0.206_123_511_904_761_89),
        ("p50_per_second", 0.16),
        ("p95_per_second", 0.566_666_666_666_666_7),
        ("p99_per_second", 0.837_933_333_333_333_6),
        ("max_per_second", 2.186_666_666_666_666_5),
        (
            "peak_factor",
            2.186_666_666_666_666_5 / 0.206_123_511_904_761_89,
        ),
    ] {
        let got = json[key].as_f64().unwrap_or(f64::NAN);
        assert!(close(got, numpy), "{key}: {got} vs {numpy}");
    }
    assert_eq!(json["findings"]["missing_steps"], 8);
    assert_eq!(json["busiest_day"], "Wednesday");
    // The obs text plans from it: the report of `obs=<it>` sizes for its highest rate.
    let obs = json["obs"].as_str().expect("obs");
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("v", "2")
        .append_pair("obs", obs)
        .finish();
    let report = send(
        app(),
        super::support::get_request(&format!("/api/v1/report?{query}")),
    )
    .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text());
    let peak = report.json()["capacity"]["peak_web_rps"]
        .as_f64()
        .unwrap_or(f64::NAN);
    assert!((peak - 2.186_666_666_666_666_5).abs() < 1e-9, "{peak}");
}

#[tokio::test]
async fn prometheus_json_and_the_query_options_are_read() {
    let json = r#"{"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"pod":"a"},"values":[[1700000000,"1"],[1700000060,"2"]]},
        {"metric":{"pod":"b"},"values":[[1700000000,"3"],[1700000060,"4"]]}]}}"#;
    let answer = send(
        app(),
        post_request("/api/v1/traffic", Some("application/json"), json),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let body = answer.json();
    assert_eq!(
        (body["format"].as_str(), body["values"].as_str()),
        (Some("prometheus"), Some("rate"))
    );
    // Summed per timestamp: 4 and 6 per second, mean 5, max 6.
    assert_eq!(
        (
            body["mean_per_second"].as_f64(),
            body["max_per_second"].as_f64()
        ),
        (Some(5.0), Some(6.0))
    );
    // The same as counts per minute: a sixtieth.
    let answer = send(
        app(),
        post_request(
            "/api/v1/traffic?values=count",
            Some("application/json"),
            json,
        ),
    )
    .await;
    assert_eq!(answer.json()["max_per_second"].as_f64(), Some(0.1));
    // A column with its step.
    let answer = send(
        app(),
        post_request("/api/v1/traffic?step=60", Some("text/plain"), "600\n1200\n"),
    )
    .await;
    assert_eq!(answer.json()["mean_per_second"].as_f64(), Some(15.0));
}

#[tokio::test]
async fn bad_files_and_options_answer_400_naming_the_field() {
    for (path, body, field, says) in [
        (
            "/api/v1/traffic",
            "time,value\nx,1\ny,2\n2024-01-01,3\n",
            "traffic",
            "line 2",
        ),
        ("/api/v1/traffic", "1\n2\n", "traffic", "step"),
        ("/api/v1/traffic", "", "traffic", "empty"),
        (
            "/api/v1/traffic?values=lots",
            "1\n",
            "values",
            "count or rate",
        ),
        ("/api/v1/traffic?step=-1", "1\n", "step", "seconds"),
        ("/api/v1/traffic", "{\"status\": ", "traffic", "line 1"),
    ] {
        let answer = send(app(), post_request(path, Some("text/csv"), body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path} {body:?}");
        let (got, message) = answer.api_error();
        assert_eq!(got.as_deref(), Some(field), "{message}");
        assert!(message.contains(says), "{message}");
    }
    let answer = send(
        app(),
        post_request("/api/v1/traffic", Some("text/csv"), vec![0xff_u8, 0xfe]),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let answer = send(
        app(),
        post_request("/api/v1/traffic", Some("image/png"), "1"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_body_past_the_usual_limit_is_read_and_past_16_mib_is_413() {
    // About 1.2 MB: over four times the API's default body limit (256 KiB), well within 16 MiB.
    let body: String = (0..80_000)
        .map(|i| format!("{},{}\n", 1_700_000_000 + i * 60, 120))
        .collect();
    assert!(body.len() > 4 * 262_144);
    let answer = send(
        app(),
        post_request("/api/v1/traffic", Some("text/csv"), body),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.json()["mean_per_second"].as_f64(), Some(2.0));

    let body = "1\n".repeat((16 << 20) / 2 + 40_000);
    let answer = send(
        app(),
        post_request("/api/v1/traffic?step=1", Some("text/plain"), body),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.api_error().0.as_deref(), Some("body"));
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

#[tokio::test]
async fn the_form_without_javascript_redirects_with_the_figures_or_answers_the_text_back() {
    let body = form(&[
        ("traffic", ELB),
        ("values", ""),
        ("step", ""),
        ("return", "/autoscaling?v=2&as_pod_rps=500&obs=stale"),
    ]);
    let answer = send(
        app(),
        post_request(
            "/traffic/import",
            Some("application/x-www-form-urlencoded"),
            body,
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let location = answer.header("location").expect("location").to_string();
    assert!(
        location.starts_with("/autoscaling?v=2&as_pod_rps=500&obs=o1*4032*300*"),
        "{location}"
    );
    // Two weeks of data: the replay is its average week.
    assert!(
        location.ends_with("&as_pattern=observed_week"),
        "{location}"
    );
    assert!(!location.contains("stale"));
    // The page it sends the browser to renders the replay.
    let page = send(app(), super::support::get_request(&location)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("id=\"obs-points\""),
        "the figures are shown"
    );

    // A broken file: 400, the message with its line, and the text back, escaped.
    let typed = "time,value\n<script>alert(1)</script>,1\nnope,2\n2024-01-01,3\n";
    let body = form(&[("traffic", typed), ("return", "//evil.example/capacity")]);
    let answer = send(
        app(),
        post_request(
            "/traffic/import",
            Some("application/x-www-form-urlencoded"),
            body,
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let html = answer.text();
    assert!(html.contains("line 2"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;,1\nnope,2"),
        "{html}"
    );
    assert!(!html.contains("<script>"));
    // Never back to another site: an unknown return is /capacity.
    assert!(html.contains("value=\"/capacity\""), "{html}");
}

#[tokio::test]
async fn the_report_sizes_from_traffic_posted_with_its_query_keys() {
    // The ELB export (102 kB) in the body with query keys: sized for its highest rate.
    let body =
        serde_json::json!({ "v": 2, "traffic": ELB, "obs_size": "p99", "writes": 0.5 }).to_string();
    let answer = send(
        app(),
        post_request("/api/v1/report", Some("application/json"), body),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let report = answer.json();
    let peak = report["capacity"]["peak_web_rps"]
        .as_f64()
        .unwrap_or(f64::NAN);
    // numpy's p99 of the series (src/traffic/testdata/README.md).
    assert!((peak - 0.837_933_333_333_333_6).abs() < 1e-9, "{peak}");
    assert_eq!(report["observed"]["points"], 4_032);
    assert!(
        report["inputs"]["obs"]
            .as_str()
            .is_some_and(|o| o.starts_with("o1*4032*300*"))
    );
    // A Prometheus answer as an object, counts per minute.
    let prom = serde_json::json!({"status": "success", "data": {"resultType": "matrix", "result": [
        {"metric": {}, "values": [[1_700_000_000, "60"], [1_700_000_060, "120"]]}]}});
    let body =
        serde_json::json!({ "v": 2, "traffic": prom, "traffic_values": "count" }).to_string();
    let answer = send(
        app(),
        post_request("/api/v1/report", Some("application/json"), body),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(
        answer.json()["observed"]["max_per_second"].as_f64(),
        Some(2.0)
    );
    // A broken file names its line, on `traffic`; a bad option names itself.
    for (body, field, says) in [
        (
            serde_json::json!({ "traffic": "t,v\nx,1\ny,2\n2024-01-01,3\n" }),
            "traffic",
            "line 2",
        ),
        (serde_json::json!({ "traffic": 42 }), "traffic", "CSV"),
        (
            serde_json::json!({ "traffic": ELB, "traffic_values": "bytes" }),
            "traffic_values",
            "count or rate",
        ),
    ] {
        let answer = send(
            app(),
            post_request("/api/v1/report", Some("application/json"), body.to_string()),
        )
        .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        let (got, message) = answer.api_error();
        assert_eq!(got.as_deref(), Some(field), "{message}");
        assert!(message.contains(says), "{message}");
    }
    // Past --max-body-bytes (256 KiB) the body must carry traffic: a 1.2 MB CSV is read, the
    // same size of anything else is 413.
    let csv: String = (0..80_000)
        .map(|i| format!("{},{}\n", 1_700_000_000 + i * 60, 120))
        .collect();
    let body = serde_json::json!({ "v": 2, "traffic": csv }).to_string();
    let answer = send(
        app(),
        post_request("/api/v1/report", Some("application/json"), body),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let padding = serde_json::json!({ "v": 2, "note": "x".repeat(1_200_000) }).to_string();
    let answer = send(
        app(),
        post_request("/api/v1/report", Some("application/json"), padding),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.api_error().0.as_deref(), Some("body"));
}
