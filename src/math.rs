//! Transcendental functions that give the same bits on every platform; below them, the two
//! roundings every figure goes through: to whole counts, and to the digits that are published.
//!
//! `f64::ln`, `exp`, `log10`, `powf` call the platform's math library: glibc on the server, a
//! different implementation in the browser's WASM, and their last bits can differ. Headroom
//! promises the same numbers on both sides (the JSON export and the API must match byte for
//! byte), so the core computes these through the `libm` crate, a pure-Rust port of musl/fdlibm
//! that uses only exactly rounded IEEE 754 operations (and no architecture-specific code: its
//! `arch` feature is off). `sqrt`, `+ − × ÷`, `floor` and `ceil` are exact everywhere and need no
//! wrapper.

/// Natural logarithm (fdlibm `e_log.c`, error below 1 ulp).
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// `e^x` (fdlibm `e_exp.c`, error below 1 ulp).
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// `ln(1 + x)`, accurate for tiny `x` (fdlibm `s_log1p.c`).
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// `e^x − 1`, accurate for tiny `x` (fdlibm `s_expm1.c`).
pub fn exp_m1(x: f64) -> f64 {
    libm::expm1(x)
}

/// Base-10 logarithm (fdlibm `e_log10.c`).
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// `x^y` (fdlibm `e_pow.c`).
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// The relative error, at most, of the quotients Headroom rounds to whole counts (nodes, servers,
/// workers, replicas), measured against the exact result of the decimal inputs as typed.
///
/// # Formula
/// ```text
/// Each + − × ÷ returns the exact result × (1 + δ), |δ| ≤ u = 2⁻⁵³, and parsing a decimal input
/// adds one more such factor (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.,
/// §2.2, model (2.4)). Products and quotients add the bounds of their operands plus u; a sum of
/// positive terms has at most the larger bound plus u (no cancellation). To first order:
///   R = U·a_r/86,400·p     3 inputs + 3 operations      6u   (W likewise)
///   web   (R + W)/(C·f)    6u + u, then C, f, ×, ÷     11u
///   cache R/(C·f)                                      10u
///   db    (W + R(1−h))/(C·f): 1−h carries u·h/(1−h) + u from h; at h ≤ 0.9 that is ≤ 11u,
///         so R(1−h) ≤ 18u, the sum ≤ 19u and the quotient ≤ 23u
///   fleet workers C·s, s = ms/1,000: 5u;  naive λ/C or λ·s: 3u
/// 32u bounds them all with room for second-order terms. Above h = 0.9 the db count may be one
/// more than the exact decimal answer: wrong only towards the safe side.
/// ```
pub const COUNT_RELATIVE_ERROR: f64 = 32.0 * (f64::EPSILON / 2.0);

/// ⌈x⌉ for a count `x` computed in floating point: within [`COUNT_RELATIVE_ERROR`] × x of a
/// whole number n it is n (so 14,000 / (10,000 × 0.7) is 2, not 3), and any x > 0 is at least 1
/// (a tiny but nonzero load still needs a node). NaN and x ≤ 0 give 0; +∞ stays +∞.
///
/// # Examples
/// ```
/// use headroom::math::ceil_count;
/// assert_eq!(ceil_count(1e-30), 1.0);
/// assert_eq!(ceil_count(2.0 * (1.0 + 1e-12)), 3.0);
/// assert_eq!(ceil_count(14_000.0 / (10_000.0 * 0.7)), 2.0);
/// ```
pub fn ceil_count(x: f64) -> f64 {
    whole_count(x, f64::ceil)
}

/// ⌊x⌋ for a count `x` computed in floating point, snapping as [`ceil_count`] does, so that
/// 10,000 × 0.01 is 100 even if the product lands a hair below. NaN and x ≤ 0 give 0.
pub fn floor_count(x: f64) -> f64 {
    whole_count(x, f64::floor)
}

/// `x` snapped to the nearest whole number when within [`COUNT_RELATIVE_ERROR`] × x of it,
/// else rounded by `round`; NaN and x ≤ 0 give 0.
fn whole_count(x: f64, round: fn(f64) -> f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 0.0;
    }
    let nearest = x.round();
    if nearest >= 1.0 && (x - nearest).abs() <= COUNT_RELATIVE_ERROR * x {
        nearest
    } else {
        round(x)
    }
}

/// Significant digits a published figure keeps (see [`publishable`]).
pub const FIGURE_DIGITS: usize = 15;

/// `x` rounded to [`FIGURE_DIGITS`] significant digits, `-0.0` as `0.0`; non-finite values
/// unchanged (serde_json writes them as `null`).
pub fn publishable(x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    if !x.is_finite() {
        return x;
    }
    let mut buffer = zmij::Buffer::new();
    let shortest = buffer.format_finite(x);
    // zmij writes `d[.ddd][e±xx]` or a plain decimal such as `0.001` or `1500.0`: the
    // significant digits run from the first nonzero digit to the last.
    let mantissa = shortest
        .split(['e', 'E'])
        .next()
        .unwrap_or(shortest)
        .as_bytes();
    let first = mantissa.iter().position(|b| (b'1'..=b'9').contains(b));
    let last = mantissa.iter().rposition(|b| (b'1'..=b'9').contains(b));
    let significant = match (first, last) {
        (Some(first), Some(last)) => mantissa[first..=last]
            .iter()
            .filter(|b| b.is_ascii_digit())
            .count(),
        _ => 0,
    };
    if significant <= FIGURE_DIGITS {
        return x;
    }
    // Near f64::MAX the rounded decimal can lie past it: keep the value rather than ∞.
    format!("{:.*e}", FIGURE_DIGITS - 1, x)
        .parse::<f64>()
        .ok()
        .filter(|rounded| rounded.is_finite())
        .unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_rel;

    // Both libm and the platform's library are within 1 ulp of the true value, so they differ
    // by at most 2 ulp ≈ 4.5e-16 relative: the platform is the independent reference.
    const TWO_ULP: f64 = 4.5e-16;

    #[test]
    fn agrees_with_the_platform_to_two_ulp() {
        for i in 1..2_000 {
            let x = f64::from(i) * 0.37;
            assert_rel(ln(x), x.ln(), TWO_ULP);
            assert_rel(log10(x), x.log10(), TWO_ULP);
            assert_rel(exp(x / 50.0), (x / 50.0).exp(), TWO_ULP);
            assert_rel(pow(x, 1.7), x.powf(1.7), TWO_ULP);
            let tiny = x * 1e-12;
            assert_rel(ln_1p(tiny), tiny.ln_1p(), TWO_ULP);
            assert_rel(exp_m1(-tiny), (-tiny).exp_m1(), TWO_ULP);
        }
    }

    #[test]
    fn counts_round_up_any_nonzero_load_and_keep_what_is_above_a_whole_number() {
        // Issue 18: with an absolute 1e-9 snap, 1e-12 nodes of load rounded to 0 nodes and
        // 2 + 1e-10 to 2. By hand: ⌈1e-12⌉ = 1, ⌈2 + 1e-10⌉ = 3 (1e-10/2 = 5e-11 is far above
        // the 32u ≈ 3.6e-15 bound), and ⌈2.000…0004⌉ (one ulp above 2, 4.4e-16) = 2 (noise).
        assert_eq!(ceil_count(1e-12), 1.0);
        assert_eq!(ceil_count(f64::MIN_POSITIVE), 1.0);
        assert_eq!(ceil_count(2.0 + 1e-10), 3.0);
        assert_eq!(ceil_count(1e9 + 1e-5), 1e9 + 1.0);
        assert_eq!(ceil_count(2.0_f64.next_up()), 2.0);
        assert_eq!(ceil_count(2.0_f64.next_down()), 2.0);
        assert_eq!(ceil_count(0.0), 0.0);
        assert_eq!(ceil_count(f64::NAN), 0.0);
        assert_eq!(ceil_count(f64::INFINITY), f64::INFINITY);
        // 10,000 × 0.01: 0.01 is not a double, the product still counts as 100 workers; just
        // below 1 worker is 0 (floor), and a hair below 1 (noise) is 1.
        assert_eq!(floor_count(10_000.0 * 0.01), 100.0);
        assert_eq!(floor_count(0.999), 0.0);
        assert_eq!(floor_count(1.0_f64.next_down()), 1.0);
        assert_eq!(floor_count(100.5), 100.0);
    }

    #[test]
    fn known_values() {
        // ln e = 1, log10 1000 = 3, 10^-2 = 0.01 (to the last bit of the nearest f64).
        assert_rel(ln(std::f64::consts::E), 1.0, TWO_ULP);
        assert_eq!(log10(1000.0), 3.0);
        assert_rel(pow(10.0, -2.0), 0.01, TWO_ULP);
        assert!(ln(0.0).is_infinite() && ln(-1.0).is_nan());
    }
}
