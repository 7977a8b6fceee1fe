//! The `headroom` binary end to end: `report` prints the API's document (byte for byte apart from
//! `generated_at`), from a query or a file; `check` gates figures with exit codes and one-line
//! reasons; bad input exits 2 naming what is wrong; help and completions work.

use std::process::{Command, Output};

use axum::http::StatusCode;

use super::support::{get, post_json, service};

const QUERY: &str = "dau=20M&writes=2&reads=30&peak=4&size=800";

fn headroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_headroom"))
        .args(args)
        // The server's settings must not change what the offline commands print.
        .env_remove("HEADROOM_ADDR")
        .output()
        .expect("the headroom binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 errors")
}

/// The document with its `generated_at` value replaced by a marker (checking there is one).
fn without_generated_at(document: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(document).expect("JSON");
    let stamp = json["generated_at"]
        .as_str()
        .expect("a generated_at string");
    assert_eq!(document.matches(stamp).count(), 1, "{stamp} appears once");
    document.replace(stamp, "GENERATED_AT")
}

/// The API's answer to `GET /api/v1/report?query`.
async fn api_report(query: &str) -> String {
    let answer = get(service(&[]).router, &format!("/api/v1/report?{query}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    answer.text()
}

/// The CLI's document: stdout, as it is (a newline is added only on a terminal).
fn printed_document(output: &Output) -> String {
    assert!(output.status.success(), "{}", stderr(output));
    stdout(output)
}

#[tokio::test]
async fn report_prints_the_apis_document_byte_for_byte_apart_from_generated_at() {
    for query in [QUERY, "", "slo=99.95&down=1h&arch=arm"] {
        let cli = printed_document(&headroom(&["report", query]));
        let api = api_report(query).await;
        assert_eq!(
            without_generated_at(&cli),
            without_generated_at(&api),
            "query {query:?}"
        );
    }
    // No query at all is the default scenario, as `GET /api/v1/report` is.
    let bare = printed_document(&headroom(&["report"]));
    assert_eq!(
        without_generated_at(&bare),
        without_generated_at(&api_report("").await)
    );
}

#[tokio::test]
async fn report_reads_an_exported_report_or_a_scenario_object_as_the_import_does() {
    let exported = api_report(QUERY).await;
    let dir = std::env::temp_dir().join(format!("headroom-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("exported.json");
    std::fs::write(&file, &exported).expect("write export");
    let from_file = printed_document(&headroom(&[
        "report",
        "--json",
        file.to_str().expect("path"),
    ]));
    let posted = post_json(service(&[]).router, exported.clone()).await;
    assert_eq!(posted.status, StatusCode::OK);
    assert_eq!(
        without_generated_at(&from_file),
        without_generated_at(&posted.text())
    );
    assert_eq!(
        without_generated_at(&from_file),
        without_generated_at(&exported)
    );

    let object = dir.join("scenario.json");
    std::fs::write(&object, r#"{"dau": "20M", "peak": "4"}"#).expect("write scenario");
    let from_object = printed_document(&headroom(&[
        "report",
        "--json",
        object.to_str().expect("path"),
    ]));
    assert_eq!(
        without_generated_at(&from_object),
        without_generated_at(&api_report("dau=20M&peak=4").await)
    );

    // Not a scenario: exit 2 naming the part at fault, as the import's 400 does.
    let wrong = dir.join("wrong.json");
    std::fs::write(&wrong, "[1, 2]").expect("write");
    let output = headroom(&["report", "--json", wrong.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("body"), "{}", stderr(&output));
    let missing = headroom(&["report", "--json", "/no/such/file.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("/no/such/file.json"));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_bad_query_exits_2_naming_the_field_as_the_apis_400_does() {
    let query = "dau=lots&peak=4";
    let answer = get(service(&[]).router, &format!("/api/v1/report?{query}")).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let (field, message) = answer.api_error();
    assert_eq!(field.as_deref(), Some("dau"));
    for args in [
        vec!["report", query],
        vec!["check", query, "--max", "capacity.peak_web_rps=1"],
    ] {
        let output = headroom(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let err = stderr(&output);
        assert!(
            err.contains("dau") && err.contains(&message),
            "{args:?}: {err}"
        );
    }
}

#[tokio::test]
async fn check_exits_1_with_one_line_per_figure_past_its_limit() {
    let report: serde_json::Value = serde_json::from_str(&api_report(QUERY).await).expect("JSON");
    let rps = report["capacity"]["peak_web_rps"]
        .as_f64()
        .expect("capacity.peak_web_rps is a number");
    let cost = report["cost"]["instances_usd_per_month"]
        .as_f64()
        .expect("cost.instances_usd_per_month is a number");
    assert!(rps > 10.0 && cost > 10.0, "{rps} {cost}");
    let rps_shown = report["capacity"]["peak_web_rps"].to_string();

    // Within every limit: exit 0, one "ok" line per figure.
    let ok = headroom(&[
        "check",
        QUERY,
        "--max",
        &format!("capacity.peak_web_rps={}", rps * 2.0),
        "--min",
        &format!("cost.instances_usd_per_month={}", cost / 2.0),
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(stdout(&ok).lines().count(), 2, "{}", stdout(&ok));
    assert!(stdout(&ok).contains(&format!("capacity.peak_web_rps = {rps_shown}")));

    // One past its maximum and one within: exit 1, one line naming the figure, value and limit.
    let limit = (rps / 2.0).floor();
    let over = headroom(&[
        "check",
        QUERY,
        "--max",
        &format!("capacity.peak_web_rps={limit}"),
        "--max",
        &format!("cost.instances_usd_per_month={}", cost * 2.0),
    ]);
    assert_eq!(over.status.code(), Some(1));
    let err = stderr(&over);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("capacity.peak_web_rps")
            && err.contains(&rps_shown)
            && err.contains(&limit.to_string())
            && err.contains("above"),
        "{err}"
    );

    // Below a minimum, and two figures failing: two lines.
    let under = headroom(&[
        "check",
        QUERY,
        "--min",
        &format!("cost.instances_usd_per_month={}", cost * 2.0),
        "--max",
        &format!("capacity.peak_web_rps={limit}"),
    ]);
    assert_eq!(under.status.code(), Some(1));
    assert_eq!(stderr(&under).lines().count(), 2, "{}", stderr(&under));
    assert!(stderr(&under).contains("below"));
}

#[test]
fn check_exits_2_on_a_path_that_is_not_a_figure() {
    for (path, expected) in [
        (
            "capacity.no_such_figure",
            "capacity has no \"no_such_figure\"",
        ),
        ("capacity", "group"),
        ("nothing.here", "the report has no \"nothing\""),
        ("schema", "not a number"),
    ] {
        let output = headroom(&["check", QUERY, "--max", &format!("{path}=1")]);
        assert_eq!(output.status.code(), Some(2), "{path}");
        let err = stderr(&output);
        assert!(
            err.contains(path) && err.contains(expected),
            "{path}: {err}"
        );
    }
    for args in [
        vec!["check", QUERY],
        vec!["check", QUERY, "--max", "capacity.web_servers"],
        vec!["check", QUERY, "--max", "capacity.web_servers=many"],
        vec!["--port", "3000", "report"],
    ] {
        assert_eq!(headroom(&args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn help_lists_the_commands_and_completions_are_scripts() {
    let help = headroom(&["--help"]);
    assert!(help.status.success());
    for command in ["serve", "report", "check", "completions"] {
        assert!(stdout(&help).contains(command), "{}", stdout(&help));
    }
    let serve_help = stdout(&headroom(&["serve", "--help"]));
    assert!(serve_help.contains("--metrics-addr") && serve_help.contains("--api-rate"));
    for (shell, marker) in [
        ("bash", "complete -F _headroom"),
        ("zsh", "#compdef headroom"),
        ("fish", "complete -c headroom"),
    ] {
        let output = headroom(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("check"), "{shell}");
    }
    assert_eq!(headroom(&["completions", "tcsh"]).status.code(), Some(2));
}
