//! The query codec on arbitrary query strings: no panic; the canonical query of what was read
//! reads back to the same scenario without errors; and every scenario it yields has a report.
#![no_main]

use headroom::report::Report;
use headroom::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Scenario::from_query(query);
    let canonical = parsed.scenario.to_query();
    let again = Scenario::from_query(&canonical);
    assert!(again.errors.is_empty(), "{canonical:?}: {:?}", again.errors);
    assert_eq!(
        again.scenario, parsed.scenario,
        "{query:?} -> {canonical:?}"
    );
    assert!(Report::build(&parsed.scenario).is_ok(), "{canonical:?}");
});
