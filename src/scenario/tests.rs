use super::*;
use crate::capacity::Spare;
use crate::testutil::assert_rel;
use proptest::prelude::*;

#[test]
fn default_is_the_chapters_load_planned_with_headroom_and_encodes_to_nothing() {
    let s = Scenario::default();
    assert_eq!(s.dau(), 100e6);
    assert_eq!(s.writes(), 0.5);
    assert_eq!(s.reads(), 10.0);
    assert_eq!(s.peak(), 10.0);
    assert_eq!(s.size(), 500.0);
    assert_eq!(s.util(), 0.7);
    assert_eq!(s.spare(), Spare::NPlusOne);
    assert_eq!(s.to_query(), "");
    assert_eq!(Scenario::from_query("").scenario, s);
    // Unknown keys alone are not a version-1 link: still the defaults.
    assert_eq!(Scenario::from_query("utm_source=x").scenario, s);
}

#[test]
fn the_chapters_example_plans_every_node_at_full_load_with_no_spare() {
    let c = Scenario::chapter();
    assert_eq!(c.util(), 1.0);
    assert_eq!(c.spare(), Spare::None);
    assert_eq!(c.to_query(), "v=2&util=1&spare=none");
    // It differs from the defaults in those two fields only.
    let mut d = c.clone();
    d.set("util", "0.7").expect("valid");
    d.set("spare", "n+1").expect("valid");
    assert_eq!(d, Scenario::default());
}

#[test]
fn version_1_links_keep_their_meaning() {
    // Before `v`, an absent `util` meant 1 and an absent `spare` none.
    let old = Scenario::from_query("dau=200M&reads=20");
    assert_eq!(old.errors, vec![]);
    assert_eq!(old.scenario.util(), 1.0);
    assert_eq!(old.scenario.spare(), Spare::None);
    assert_eq!(old.scenario.dau(), 200e6);
    // What it set itself stays; only the absent changed defaults are written out.
    let set = Scenario::from_query("util=0.5&dau=1M").scenario;
    assert_eq!(set.util(), 0.5);
    assert_eq!(set.spare(), Spare::None);
    // `v=1` says so explicitly, even for a query that sets nothing.
    assert_eq!(Scenario::from_query("v=1").scenario, Scenario::chapter());
    // The canonical form of an old link is a version-2 link that reads the same.
    assert_eq!(
        old.scenario.to_query(),
        "v=2&dau=200M&reads=20&util=1&spare=none"
    );
    assert_eq!(
        Scenario::from_query(&old.scenario.to_query()).scenario,
        old.scenario
    );
    // A version-2 link reads absent fields as today's defaults.
    let new = Scenario::from_query("v=2&dau=200M").scenario;
    assert_eq!(new.util(), 0.7);
    assert_eq!(new.spare(), Spare::NPlusOne);
    // An unknown version is read as the current one.
    assert_eq!(Scenario::from_query("v=9&dau=200M").scenario, new);
}

#[test]
fn upgrading_writes_out_the_old_defaults_after_the_pairs_and_the_version_first() {
    let up = upgrade_pairs([("dau", "1M"), ("utm", "x"), ("spare", "2n")]);
    let text: Vec<(&str, &str)> = up.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        text,
        [
            ("v", "2"),
            ("dau", "1M"),
            ("utm", "x"),
            ("spare", "2n"),
            ("util", "1")
        ]
    );
    // Already version 2: only the version moves to the front, once.
    let up = upgrade_pairs([("dau", "1M"), ("v", "2"), ("v", "2")]);
    assert_eq!(
        up,
        [
            ("v".to_owned(), "2".to_owned()),
            ("dau".to_owned(), "1M".to_owned())
        ]
    );
    // Nothing set: nothing written.
    assert!(upgrade_pairs([("v", "2")]).is_empty());
    assert!(upgrade_pairs(Vec::<(&str, &str)>::new()).is_empty());
}

#[test]
fn every_default_is_valid_and_round_trips() {
    // Each default, written as text, must parse back to itself: the cross-field reset relies on it.
    let defaults = Scenario::default();
    for spec in FIELDS {
        let text = defaults.field_text(spec.key).expect("known key");
        let mut s = Scenario::default();
        s.set(spec.key, &text)
            .unwrap_or_else(|e| panic!("default of {} is invalid: {e}", spec.key));
        assert_eq!(s, defaults, "{}", spec.key);
    }
    assert!(!defaults.tiers().is_empty(), "the default tiers must parse");
}

#[test]
fn human_forms_parse() {
    let parsed = Scenario::from_query(
        "dau=250M&size=2+KiB&slo=4+nines&util=70%25&dur_ms=1.5+s&inst_hr=%240.10&outage=1+h",
    );
    assert_eq!(parsed.errors, vec![]);
    let s = parsed.scenario;
    assert_eq!(s.dau(), 250e6);
    assert_eq!(s.size(), 2048.0);
    assert_rel(s.slo(), 99.99, 1e-12);
    assert_rel(s.util(), 0.7, 1e-12);
    assert_rel(s.dur_ms(), 1500.0, 1e-12);
    assert_rel(s.inst_hr(), 0.10, 1e-12);
    assert_rel(s.outage(), 3600.0, 1e-12);
}

#[test]
fn bad_values_name_the_field_and_fall_back_to_the_default() {
    let parsed = Scenario::from_query("dau=lots&util=1.5&arch=sparc&writes=2");
    let fields: Vec<&str> = parsed.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["dau", "util", "arch"]);
    assert_eq!(parsed.scenario.dau(), 100e6);
    // A bad value falls back to today's default, whatever the link's version.
    assert_eq!(parsed.scenario.util(), 0.7);
    // The good value next to the bad ones still applies.
    assert_eq!(parsed.scenario.writes(), 2.0);
    assert!(
        parsed
            .error_for("arch")
            .is_some_and(|e| e.message.contains("x86"))
    );
    assert!(
        parsed
            .error_for("util")
            .is_some_and(|e| e.message.contains("1"))
    );
}

#[test]
fn the_sizing_bounds_read_their_human_forms_and_name_their_field_when_bad() {
    let parsed = Scenario::from_query(
        "nic=1.25+GB%2Fs&cache_mem=64+GiB&cache_ws=2+TB&shard_bytes=2TB&cdn_hit=90%25\
         &db_write_qps=2k&partition_rate=10k&msgs_per_write=3",
    );
    assert_eq!(parsed.errors, vec![]);
    let s = parsed.scenario;
    assert_eq!(s.nic(), 1.25e9);
    assert_eq!(s.cache_mem(), Some(64.0 * 1_073_741_824.0));
    assert_eq!((s.cache_ws(), s.shard_bytes()), (Some(2e12), Some(2e12)));
    assert_rel(s.cdn_hit(), 0.9, 1e-12);
    assert_eq!((s.db_write_qps(), s.db_read_qps()), (Some(2_000.0), None));
    assert_eq!((s.partition_rate(), s.msgs_per_write()), (10_000.0, 3.0));
    // The defaults leave the chapter alone: 100 MB/s cards, no CDN, no queue, no other bound.
    let d = Scenario::default();
    assert_eq!(
        (d.nic(), d.cdn_hit(), d.msgs_per_write()),
        (100e6, 0.0, 0.0)
    );
    assert_eq!(
        (d.shard_bytes(), d.cache_mem(), d.cache_ws()),
        (None, None, None)
    );
    // Bits are not bytes; a zero capacity or a ratio above 1 is refused, each by its key.
    let parsed = Scenario::from_query("nic=1+Gb%2Fs&cache_mem=0&cdn_hit=1.5&partition_rate=0");
    let fields: Vec<&str> = parsed.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["cache_mem", "nic", "cdn_hit", "partition_rate"]
    );
    assert_eq!(parsed.scenario.nic(), 100e6);
}

#[test]
fn unknown_keys_are_ignored_and_the_last_repeat_wins() {
    let parsed = Scenario::from_query("utm_source=x&dau=1M&dau=2M&");
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(parsed.scenario.dau(), 2e6);
}

#[test]
fn canonical_query_is_ordered_and_minimal() {
    let a = Scenario::from_query("reads=20&dau=1M&peak=10").scenario;
    let b = Scenario::from_query("?dau=1000000&reads=20.0").scenario;
    assert_eq!(a, b);
    assert_eq!(a.to_query(), "v=2&dau=1M&reads=20&util=1&spare=none");
    assert_eq!(a.to_query(), b.to_query());
}

#[test]
fn hostile_values_are_refused_cheaply() {
    let long = "9".repeat(100_000);
    let parsed = Scenario::from_query(&format!("dau={long}&size=%00&reads=NaN&writes=1e400"));
    let fields: Vec<&str> = parsed.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["dau", "writes", "reads", "size"]);
    assert!(parsed.errors.iter().all(|e| e.message.len() < 200));
}

#[test]
fn every_preset_parses_cleanly_and_is_canonical() {
    for preset in PRESETS {
        let parsed = Scenario::from_query(preset.query);
        assert_eq!(parsed.errors, vec![], "preset {}", preset.id);
        // Re-encoding a preset gives an equivalent (canonical) query.
        let again = Scenario::from_query(&parsed.scenario.to_query()).scenario;
        assert_eq!(again, parsed.scenario, "preset {}", preset.id);
    }
    for preset in PRESETS {
        let parsed = Scenario::from_query(preset.query).scenario;
        assert_eq!(
            parsed.to_query(),
            preset.query,
            "preset {} is canonical",
            preset.id
        );
    }
    assert_eq!(PRESETS[0].id, "chapter");
}

#[test]
fn every_choice_in_the_table_parses() {
    for spec in FIELDS.iter().filter(|s| s.kind == Kind::Choice) {
        for (text, _) in spec.choices {
            let mut s = Scenario::default();
            s.set(spec.key, text)
                .unwrap_or_else(|e| panic!("{}={text}: {e}", spec.key));
            assert_eq!(s.field_text(spec.key).as_deref(), Some(*text));
        }
    }
}

#[test]
fn checkbox_forms_send_on() {
    let parsed = Scenario::from_query("v=2&free_tier=on");
    assert!(parsed.scenario.free_tier());
    assert_eq!(parsed.scenario.to_query(), "v=2&free_tier=1");
}

#[test]
fn empty_price_override_means_the_table() {
    let parsed = Scenario::from_query("p_req=&p_gbs=0.00001");
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(parsed.scenario.p_req(), None);
    assert_eq!(parsed.scenario.p_gbs(), Some(0.00001));
}

fn arbitrary_scenario() -> impl Strategy<Value = Scenario> {
    (
        0.0f64..1e11,
        0.0f64..1e6,
        1.0f64..1000.0,
        0.0f64..1e12,
        0.001f64..=1.0,
        0.0f64..100.0,
        prop::sample::select(vec!["none", "n+1", "2n"]),
        prop::bool::ANY,
        128u32..=10_240,
        prop::sample::select(vec!["x86", "arm"]),
    )
        .prop_map(
            |(dau, reads, peak, size, util, slo, spare, free, mem, arch)| {
                let mut s = Scenario::default();
                let pairs = [
                    ("dau", units::format_query_number(dau)),
                    ("reads", units::format_query_number(reads)),
                    ("peak", units::format_query_number(peak)),
                    ("size", units::format_query_number(size)),
                    ("util", units::format_query_number(util)),
                    ("slo", units::format_query_number(slo)),
                    ("spare", spare.to_string()),
                    ("free_tier", if free { "1" } else { "0" }.to_string()),
                    ("mem_mb", mem.to_string()),
                    ("arch", arch.to_string()),
                ];
                for (key, value) in pairs {
                    s.set(key, &value)
                        .unwrap_or_else(|e| panic!("{key}={value}: {e}"));
                }
                s
            },
        )
}

use crate::units;

proptest! {
    #[test]
    fn scenario_query_scenario_is_the_identity(s in arbitrary_scenario()) {
        let parsed = Scenario::from_query(&s.to_query());
        prop_assert_eq!(parsed.errors, vec![]);
        prop_assert_eq!(parsed.scenario, s);
    }

    #[test]
    fn any_query_parses_without_panic(q in "\\PC{0,200}") {
        let parsed = Scenario::from_query(&q);
        // Whatever was typed, the result is a valid scenario that round-trips.
        let again = Scenario::from_query(&parsed.scenario.to_query());
        prop_assert_eq!(again.scenario, parsed.scenario);
    }

    #[test]
    fn any_value_for_any_field_never_panics(i in 0..FIELDS.len(), v in "\\PC{0,40}") {
        let mut s = Scenario::default();
        let before = s.clone();
        if s.set(FIELDS[i].key, &v).is_err() {
            prop_assert_eq!(s, before);
        }
    }
}

#[test]
fn short_hash_names_equal_scenarios_alike() {
    let a = Scenario::from_query("dau=1M&reads=20").scenario;
    let b = Scenario::from_query("reads=20.0&dau=1000000").scenario;
    assert_eq!(a.short_hash(), b.short_hash());
    assert_eq!(a.short_hash().len(), 8);
    assert_ne!(a.short_hash(), Scenario::default().short_hash());
    // FNV-1a 64 of the empty string is the offset basis 0xcbf29ce484222325 (the FNV reference).
    assert_eq!(Scenario::default().short_hash(), "cbf29ce4");
}

#[test]
fn the_readme_documents_every_query_key() {
    // Regenerate with `cargo run --example query_keys -- --readme README.md`.
    let readme = include_str!("../../README.md");
    for spec in FIELDS {
        assert!(
            readme.contains(&format!("| `{}` |", spec.key)),
            "README.md does not document the query key `{}`",
            spec.key
        );
    }
}
