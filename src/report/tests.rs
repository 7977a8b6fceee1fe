use super::*;
use crate::scenario::{FIELDS, Kind, PRESETS};
use crate::testutil::{assert_abs, assert_rel};
use proptest::prelude::*;

fn chapter() -> Report {
    Report::build(&Scenario::default()).expect("the default scenario builds")
}

#[test]
fn the_chapters_checks() {
    let r = chapter();
    // DESIGN.md "Checks the chapter's example must reproduce", each worked by hand:
    // 100M × 0.5 / 86,400 = 578.70; × 10 = 5,787.0; 100M × 10 / 86,400 = 11,574.07; × 10 = 115,740.7
    assert_abs(r.capacity.write_qps, 578.7, 0.01);
    assert_abs(r.capacity.peak_write_qps, 5_787.0, 0.1);
    assert_abs(r.capacity.read_qps, 11_574.0, 0.1);
    assert_abs(r.capacity.peak_read_qps, 115_741.0, 0.5);
    assert_eq!(r.capacity.cache_nodes, 2);
    assert_eq!(r.capacity.web_servers, 13);
    assert_eq!(r.capacity.web_servers_reads_only, 12);
    // 100M × 0.5 × 500 B × 365 = 9.125 TB
    assert_rel(r.capacity.storage_bytes_per_year, 9.125e12, 1e-12);
    // 3 × $0.0416 × 720 h = $89.856
    assert_rel(r.cost.instances_usd_per_month, 89.856, 1e-12);
    // 1M × 0.2 s × 0.25 GB = 50,000 GB-s
    assert_rel(r.cost.serverless.gb_seconds, 50_000.0, 1e-12);
    // (1 − 0.9999) × 365 d = 3,153.6 s (52.56 min); × 730 h = 262.8 s
    assert_rel(r.availability.downtime_seconds.year, 3_153.6, 1e-9);
    assert_rel(r.availability.downtime_seconds.month, 262.8, 1e-9);
    assert_eq!(r.schema, "headroom.report.v1");
    assert_eq!(r.query, "");
}

#[test]
fn the_chapters_nines_at_99_9() {
    let s = Scenario::from_query("slo=99.9").scenario;
    let r = Report::build(&s).expect("builds");
    // 0.001 × 8,760 h = 8.76 h = 31,536 s; 0.001 × 730 h = 43.8 min = 2,628 s.
    assert_rel(r.availability.downtime_seconds.year, 31_536.0, 1e-9);
    assert_rel(r.availability.downtime_seconds.month, 2_628.0, 1e-9);
}

#[test]
fn explain_traces_show_the_numbers() {
    let e = chapter().explain;
    assert_eq!(
        e["capacity.write_qps"],
        "100M × 0.5 / 86,400 s = 578.7 req/s"
    );
    assert_eq!(
        e["capacity.peak_write_qps"],
        "578.7 req/s × 10 = 5,787 req/s"
    );
    assert_eq!(
        e["capacity.peak_read_qps"],
        "11,574 req/s × 10 = 115,741 req/s"
    );
    assert!(
        e["capacity.web_servers"].contains("= 13"),
        "{}",
        e["capacity.web_servers"]
    );
    assert!(e["capacity.web_servers"].contains("chapter's 12 counts peak reads alone"));
    assert_eq!(
        e["cost.instances_usd_per_month"],
        "3 × $0.0416/h × 720 h = $89.86"
    );
    assert!(e["capacity.storage_bytes_per_year"].ends_with("= 9.13 TB"));
    for key in [
        "capacity.cache_nodes",
        "capacity.db_nodes",
        "availability.downtime_seconds.year",
        "availability.downtime_seconds.month",
        "cost.serverless_usd_per_month",
        "cost.crossover_requests_per_month",
        "queueing.utilization",
        "queueing.p_wait",
    ] {
        assert!(e.contains_key(key), "missing trace {key}");
    }
}

#[test]
fn the_json_document_has_the_designed_shape() {
    let json: serde_json::Value = serde_json::from_str(&chapter().to_json()).expect("valid JSON");
    for path in [
        "/schema",
        "/query",
        "/inputs/dau",
        "/capacity/write_qps",
        "/capacity/peak_read_qps",
        "/capacity/web_servers",
        "/capacity/cache_nodes",
        "/capacity/db_nodes",
        "/capacity/storage_bytes_per_year",
        "/availability/slo_percent",
        "/availability/downtime_seconds/year",
        "/availability/downtime_seconds/day",
        "/cost/serverless_usd_per_month",
        "/cost/instances_usd_per_month",
        "/cost/crossover_requests_per_month",
        "/queueing/utilization",
        "/queueing/p_wait",
        "/queueing/mean_wait_seconds",
        "/queueing/p95_wait_seconds",
        "/queueing/servers_for_target",
        "/prices",
        "/explain",
    ] {
        assert!(json.pointer(path).is_some(), "missing {path}");
    }
    assert_eq!(
        json.pointer("/inputs/dau"),
        Some(&serde_json::json!(100_000_000.0))
    );
    assert_eq!(
        json.pointer("/inputs/arch"),
        Some(&serde_json::json!("x86"))
    );
    assert_eq!(
        json.pointer("/inputs/free_tier"),
        Some(&serde_json::json!(false))
    );
    assert_eq!(
        json.pointer("/inputs/p_req"),
        Some(&serde_json::Value::Null)
    );
}

#[test]
fn the_queueing_default_sits_at_the_chapters_70_percent() {
    let q = chapter().queueing;
    // 700/s × 10 ms / 10 servers = 0.7
    assert_rel(q.utilization, 0.7, 1e-12);
    assert!(q.p_wait.is_some_and(|p| p > 0.0 && p < 1.0));
    assert_eq!(q.message, None);
}

#[test]
fn an_overloaded_queue_is_a_message_not_nan() {
    let s = Scenario::from_query("q_rate=1200").scenario;
    let q = Report::build(&s).expect("builds").queueing;
    assert_rel(q.utilization, 1.2, 1e-12);
    assert_eq!(q.p_wait, None);
    assert!(
        q.message.as_deref().is_some_and(|m| m.contains("unstable")),
        "{:?}",
        q.message
    );
    // The sizing still answers: 1,200/s × 10 ms = 12 Erlangs needs more than 12 servers.
    assert!(q.servers_for_target.is_some_and(|c| c > 12));
    assert!(!chapter().to_json().contains("NaN"));
}

#[test]
fn scenario_report_json_scenario_round_trips() {
    for preset in PRESETS {
        let s = Scenario::from_query(preset.query).scenario;
        let json = Report::build(&s).expect("builds").to_json();
        let back = import_report(&json).unwrap_or_else(|e| panic!("{}: {e}", preset.id));
        assert_eq!(back, s, "preset {}", preset.id);
    }
}

#[test]
fn import_refuses_what_is_not_a_report() {
    assert!(matches!(
        import_report("not json"),
        Err(ImportError::NotJson(_))
    ));
    assert!(matches!(
        import_report("[1, 2]"),
        Err(ImportError::NotAReport)
    ));
    assert!(matches!(
        import_report(r#"{"schema": "x"}"#),
        Err(ImportError::NotAReport)
    ));
    assert!(matches!(
        import_report(r#"{"schema": "headroom.report.v2", "inputs": {}}"#),
        Err(ImportError::UnsupportedSchema(_))
    ));
    let too_big = format!(
        r#"{{"schema": "{SCHEMA}", "pad": "{}"}}"#,
        "x".repeat(MAX_IMPORT_BYTES)
    );
    assert!(matches!(
        import_report(&too_big),
        Err(ImportError::TooLarge { .. })
    ));
    let bad = format!(r#"{{"schema": "{SCHEMA}", "inputs": {{"dau": -5}}}}"#);
    assert!(matches!(import_report(&bad), Err(ImportError::BadInputs(e)) if e[0].field == "dau"));
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(import_report(&nested).is_err());
}

#[test]
fn json_objects_accept_numbers_and_human_strings() {
    let object = serde_json::json!({"dau": "250M", "reads": 20, "free_tier": true, "other": [1]});
    let parsed = Scenario::from_json_object(object.as_object().expect("object"));
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(*parsed.scenario.dau(), 250e6);
    assert_eq!(*parsed.scenario.reads(), 20.0);
    assert!(*parsed.scenario.free_tier());
    let object = serde_json::json!({"dau": {"nested": 1}});
    let parsed = Scenario::from_json_object(object.as_object().expect("object"));
    assert_eq!(parsed.errors[0].field, "dau");
}

/// Every number field at its smallest and largest allowed value, one at a time, must build:
/// the scenario table may never allow what a calculator refuses.
#[test]
fn every_field_at_its_extremes_builds() {
    for spec in FIELDS
        .iter()
        .filter(|f| !matches!(f.kind, Kind::Choice | Kind::Flag | Kind::Text))
    {
        let low = if spec.min_exclusive {
            spec.min + spec.max * 1e-9
        } else {
            spec.min
        };
        for value in [low, spec.max] {
            let mut s = Scenario::default();
            let text = crate::units::format_query_number(value);
            if s.set(spec.key, &text).is_ok() {
                let report = Report::build(&s);
                assert!(report.is_ok(), "{}={text}: {report:?}", spec.key);
                assert!(
                    !report.expect("ok").to_json().contains("NaN"),
                    "{}={text}",
                    spec.key
                );
            }
        }
    }
}

proptest! {
    #[test]
    fn any_query_builds_a_report(q in "\\PC{0,120}") {
        let parsed = Scenario::from_query(&q);
        prop_assert!(Report::build(&parsed.scenario).is_ok());
    }
}

#[test]
fn the_web_tier_is_also_sized_with_queueing_in_mind() {
    let q = chapter().queueing;
    let fleet = q.web_tier.expect("sized");
    // 10,000 req/s × 10 ms = 100 workers per server; ⌈121,528 / 10,000⌉ = 13 naive.
    assert_eq!(fleet.workers_per_server, 100);
    assert_eq!(fleet.naive_servers, 13);
    assert!(fleet.servers_for_target >= 13);
    assert!(fleet.utilization < 1.0);
}
