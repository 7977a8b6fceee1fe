//! `POST /api/v1/hpa`: the YAML reader the `/autoscaling` page posts pasted manifests to. What a
//! person pastes (the chapter's manifest, a typo, a Deployment, a whole cluster dump) and what
//! an attacker sends (no or another Content-Type, bytes that are not UTF-8, a body past every
//! limit, a billion laughs) each get a JSON answer; nothing is a 500.

use axum::http::StatusCode;

use headroom::autoscale::{CHAPTER_EXAMPLE_YAML, HpaPolicy, MAX_PASTE_BYTES};

use super::support::{app, post_request, send, service};

const PATH: &str = "/api/v1/hpa";

async fn post_yaml(
    content_type: Option<&str>,
    body: impl Into<axum::body::Body>,
) -> super::support::Answer {
    send(app(), post_request(PATH, content_type, body)).await
}

#[tokio::test]
async fn the_chapters_manifest_reads_as_its_policy_and_lists_what_is_not_simulated() {
    let answer = post_yaml(Some("text/plain;charset=UTF-8"), CHAPTER_EXAMPLE_YAML).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let json = answer.json();
    // The chapter's section 4 manifest, field by field: 3-100 replicas, cpu at 70% and 1000
    // requests/s per pod, scale-up +100% per 15 s at once, scale-down -10% per 60 s after 300 s.
    assert_eq!(
        json["hpa"],
        "min=3;max=100;metrics=cpu/70,pods/requests_per_second/1000;\
         up=0:max:Percent/100/15;down=300:max:Percent/10/60;sync=15"
    );
    assert_eq!(json["unsupported"][0]["path"], "spec.scaleTargetRef");
    // The answer is exactly what the core reads, and its compact form parses back to it.
    let (policy, unsupported) = HpaPolicy::from_yaml(CHAPTER_EXAMPLE_YAML).expect("reads");
    assert_eq!(json["hpa"], policy.to_compact());
    assert_eq!(
        json["unsupported"].as_array().map(Vec::len),
        Some(unsupported.len())
    );
    assert_eq!(
        HpaPolicy::from_compact(json["hpa"].as_str().expect("text")).expect("parses"),
        policy
    );
}

#[tokio::test]
async fn every_yaml_media_type_is_read_and_others_are_415() {
    for content_type in [
        "text/plain",
        "application/yaml",
        "application/x-yaml",
        "text/yaml",
        "Text/X-YAML; charset=utf-8",
    ] {
        let answer = post_yaml(Some(content_type), CHAPTER_EXAMPLE_YAML).await;
        assert_eq!(answer.status, StatusCode::OK, "{content_type}");
    }
    for content_type in [
        None,
        Some("application/json"),
        Some("multipart/form-data; boundary=x"),
    ] {
        let answer = post_yaml(content_type, CHAPTER_EXAMPLE_YAML).await;
        assert_eq!(
            answer.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        let (field, message) = answer.api_error();
        assert_eq!(field.as_deref(), Some("content-type"));
        assert!(
            message.contains("text/plain or application/yaml"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn a_manifest_that_cannot_be_read_is_400_on_hpa_yaml_with_the_pages_message() {
    let cases = [
        ("spec: [", "the YAML could not be read"),
        ("kind: Deployment", "expected apiVersion autoscaling/v2"),
        ("spec:\n  maxReplicas: ten\n", "spec.maxReplicas"),
        ("", "the document must be a HorizontalPodAutoscaler"),
    ];
    for (yaml, expected) in cases {
        let answer = post_yaml(Some("text/plain"), yaml).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{yaml:?}");
        let (field, message) = answer.api_error();
        assert_eq!(field.as_deref(), Some("hpa_yaml"), "{yaml:?}");
        assert!(message.contains(expected), "{yaml:?}: {message}");
        // The page shows the core's message as it is.
        let core = headroom::autoscale::ManifestReading::read(yaml).expect_err("refused");
        assert_eq!(message, core);
    }
}

#[tokio::test]
async fn bytes_that_are_not_utf8_are_400() {
    let answer = post_yaml(Some("text/plain"), vec![b's', b':', 0xff, 0xfe]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.api_error(),
        (Some("hpa_yaml".into()), "the YAML is not UTF-8 text".into())
    );
}

#[tokio::test]
async fn a_paste_past_the_pages_limit_is_400_and_past_the_servers_limit_413() {
    let long = format!("{CHAPTER_EXAMPLE_YAML}{}", "#".repeat(MAX_PASTE_BYTES));
    let answer = post_yaml(Some("text/plain"), long.clone()).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let (field, message) = answer.api_error();
    assert_eq!(field.as_deref(), Some("hpa_yaml"));
    assert!(
        message.contains("more than the 8,192 this page reads"),
        "{message}"
    );

    let router = service(&["--max-body-bytes", "2 KiB"]).router;
    let answer = send(router, post_request(PATH, Some("text/plain"), long)).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.api_error().0.as_deref(), Some("body"));
    assert_eq!(answer.header("connection"), Some("close"));
}

#[tokio::test]
async fn a_billion_laughs_is_refused_within_the_readers_budget() {
    // Each level multiplies the one before by ten: unbounded, this expands to 10^9 nodes.
    let mut yaml = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        yaml.push_str(&format!(
            "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    let answer = post_yaml(Some("text/plain"), yaml).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text());
    assert_eq!(answer.api_error().0.as_deref(), Some("hpa_yaml"));
}

#[tokio::test]
async fn other_methods_are_405_in_json() {
    let answer = send(app(), super::support::get_request(PATH)).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    answer.api_error();
    assert_eq!(answer.header("allow"), Some("POST"));
}
