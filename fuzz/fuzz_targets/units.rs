//! Every quantity parser on arbitrary text: no panic, only finite values, and the canonical
//! form of a count reads back to the same number.
#![no_main]

use headroom::units::{
    format_query_number, parse_bytes, parse_count, parse_duration, parse_fraction, parse_number,
    parse_percent, parse_usd,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let results = [
        parse_number(text),
        parse_count(text),
        parse_bytes(text),
        parse_duration(text, 1.0),
        parse_duration(text, 0.001),
        parse_percent(text),
        parse_fraction(text),
        parse_usd(text),
    ];
    for value in results.iter().flatten() {
        assert!(value.is_finite(), "{text:?} parsed to {value}");
    }
    if let Ok(count) = parse_count(text) {
        let canonical = format_query_number(count);
        assert_eq!(
            parse_count(&canonical),
            Ok(count),
            "{text:?} -> {canonical:?}"
        );
    }
});
