//! Tolerance helpers shared by the unit tests. Every comparison of a computed figure states its
//! tolerance explicitly, so a reader can tell an exact identity from a rounded published value.

/// Asserts `|actual - expected| <= rel × |expected|` (or `<= rel` when `expected` is 0).
#[track_caller]
pub fn assert_rel(actual: f64, expected: f64, rel: f64) {
    let bound = if expected == 0.0 {
        rel
    } else {
        rel * expected.abs()
    };
    assert!(
        (actual - expected).abs() <= bound,
        "actual {actual} differs from expected {expected} by more than {rel} relative ({bound} absolute)"
    );
}

/// Asserts `|actual - expected| <= abs`.
#[track_caller]
pub fn assert_abs(actual: f64, expected: f64, abs: f64) {
    assert!(
        (actual - expected).abs() <= abs,
        "actual {actual} differs from expected {expected} by more than {abs}"
    );
}
