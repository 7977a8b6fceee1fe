//! The traffic importers (CSV, Prometheus JSON, a column) and the `obs` link text: any bytes give
//! an answer or an error, never a panic, and an analysis always survives its link text.
#![no_main]

use headroom::traffic::{ImportOptions, Observed, ValueKind, analyze, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for options in [
        ImportOptions::default(),
        ImportOptions {
            values: Some(ValueKind::Rate),
            step_seconds: Some(60.0),
        },
    ] {
        if let Ok(imported) = import(text, options) {
            if let Ok(observed) = analyze(&imported.series) {
                let link = observed.to_text();
                let back = Observed::from_text(&link).expect("an analysis reads back from its link");
                assert_eq!(back, observed);
            }
        }
    }
    let _ = Observed::from_text(text);
});
