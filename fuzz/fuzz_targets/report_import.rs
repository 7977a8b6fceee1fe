//! Report import on arbitrary files: no panic; an imported scenario exports and imports back to
//! itself.
#![no_main]

use headroom::report::{Report, import_report};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(scenario) = import_report(text) {
        let report = Report::build(&scenario).expect("an imported scenario has a report");
        let json = report.to_json().expect("a report serializes");
        let again = import_report(&json).expect("an export imports");
        assert_eq!(again, scenario);
    }
});
