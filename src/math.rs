//! Transcendental functions that give the same bits on every platform.
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
    fn known_values() {
        // ln e = 1, log10 1000 = 3, 10^-2 = 0.01 (to the last bit of the nearest f64).
        assert_rel(ln(std::f64::consts::E), 1.0, TWO_ULP);
        assert_eq!(log10(1000.0), 3.0);
        assert_rel(pow(10.0, -2.0), 0.01, TWO_ULP);
        assert!(ln(0.0).is_infinite() && ln(-1.0).is_nan());
    }
}
