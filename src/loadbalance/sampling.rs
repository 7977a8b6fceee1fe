//! Portable random sampling shared by the simulators (load balancing and rate limiting).
//!
//! # Why not `rand_distr`
//!
//! The simulators must produce the same numbers natively (server-side rendering, the JSON API)
//! and in the browser (WASM), bit for bit, or the hydrated page would disagree with the page the
//! server sent. `rand_pcg`'s generators are fully specified integer arithmetic, so the raw `u64`
//! stream is identical everywhere. Turning it into exponential, Pareto or log-normal samples needs
//! `ln` and `exp`, and `f64::ln`/`f64::exp` come from the platform's math library: glibc natively,
//! a port of musl in WASM. Both are accurate to about 1 ulp but not always to the *same* ulp, and
//! one differing bit can flip an admission decision or reorder two events. So this module carries
//! its own `ln` and `exp` (ports of FreeBSD msun's `e_log.c` and `e_exp.c`, the Sun fdlibm
//! algorithms, via the Rust `libm` crate), written with IEEE 754 `+ − × ÷` only, which are
//! correctly rounded and therefore identical on every platform (Rust never fuses them into FMA).
//! `sqrt`, `floor` and `ceil` are exact IEEE operations and safe to use from `std`.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// The simulators' generator: PCG-64 MCG (O'Neill, "PCG: A Family of Simple Fast Space-Efficient
/// Statistically Good Algorithms for Random Number Generation", 2014), seeded explicitly.
pub(crate) fn seeded_rng(seed: u64) -> Pcg64Mcg {
    Pcg64Mcg::seed_from_u64(seed)
}

/// A uniform sample in the open interval (0, 1), from the top 53 bits of one `u64`.
///
/// # Formula
///
/// ```text
/// u = (⌊x / 2^11⌋ + 0.5) / 2^53      x: the generator's next u64
/// ```
/// The half-step offset keeps `u` away from 0 and 1, so `ln(u)` is always finite.
pub(crate) fn uniform_open01(rng: &mut Pcg64Mcg) -> f64 {
    const TWO_POW_MINUS_53: f64 = 1.0 / 9_007_199_254_740_992.0;
    ((rng.next_u64() >> 11) as f64 + 0.5) * TWO_POW_MINUS_53
}

/// A uniform index in `0..n` (0 when `n` is 0), by Lemire's multiply-shift.
///
/// # Formula
///
/// ```text
/// i = ⌊x × n / 2^64⌋      x: the generator's next u64
/// ```
/// The bias is at most n / 2^64, invisible for the sizes here (n ≤ 2^32). Source: D. Lemire,
/// "Fast Random Integer Generation in an Interval", ACM TOMACS 29(1), 2019.
pub(crate) fn uniform_index(rng: &mut Pcg64Mcg, n: usize) -> usize {
    let wide = u128::from(rng.next_u64()) * n as u128;
    (wide >> 64) as usize
}

/// An exponential sample with the given mean, by inversion.
///
/// # Formula
///
/// ```text
/// x = −mean × ln(u)      u: uniform on (0, 1)
/// ```
/// Source: L. Devroye, *Non-Uniform Random Variate Generation* (1986), section II.2.
pub(crate) fn exponential(rng: &mut Pcg64Mcg, mean: f64) -> f64 {
    -mean * ln(uniform_open01(rng))
}

/// A Pareto (type I) sample with the given mean and shape α > 1, by inversion.
///
/// # Formula
///
/// ```text
/// x_m = mean × (α − 1) / α          scale, so that E[x] = α x_m / (α − 1) = mean
/// x   = x_m × u^(−1/α) = x_m × exp(−ln(u) / α)      u: uniform on (0, 1)
/// ```
/// Source: Devroye (1986), section II.2, table of inversions; the mean is the standard Pareto
/// mean α x_m / (α − 1), finite only for α > 1.
pub(crate) fn pareto(rng: &mut Pcg64Mcg, mean: f64, shape: f64) -> f64 {
    let scale = mean * (shape - 1.0) / shape;
    scale * exp(-ln(uniform_open01(rng)) / shape)
}

/// A standard normal sample by Marsaglia's polar method (the second value is discarded to keep
/// one draw per call).
///
/// # Formula
///
/// ```text
/// v₁, v₂ uniform on (−1, 1), s = v₁² + v₂², retried until 0 < s < 1
/// z = v₁ × √(−2 ln(s) / s)
/// ```
/// Source: G. Marsaglia, T. Bray, "A convenient method for generating normal variables",
/// SIAM Review 6(3), 1964. Uses only `ln` and `sqrt`, both portable here.
pub(crate) fn standard_normal(rng: &mut Pcg64Mcg) -> f64 {
    loop {
        let v1 = 2.0 * uniform_open01(rng) - 1.0;
        let v2 = 2.0 * uniform_open01(rng) - 1.0;
        let s = v1 * v1 + v2 * v2;
        if s > 0.0 && s < 1.0 {
            return v1 * (-2.0 * ln(s) / s).sqrt();
        }
    }
}

/// A log-normal sample with the given mean and log-space standard deviation σ.
///
/// # Formula
///
/// ```text
/// μ = ln(mean) − σ² / 2        so that E[x] = exp(μ + σ²/2) = mean
/// x = exp(μ + σ z)             z: standard normal
/// ```
/// Source: N. L. Johnson, S. Kotz, N. Balakrishnan, *Continuous Univariate Distributions*,
/// vol. 1 (2nd ed., 1994), chapter 14, the log-normal mean.
pub(crate) fn log_normal(rng: &mut Pcg64Mcg, mean: f64, sigma: f64) -> f64 {
    let mu = ln(mean) - sigma * sigma / 2.0;
    exp(mu + sigma * standard_normal(rng))
}

/// Cumulative Zipf weights for ranks 1..=n, for sampling by binary search.
///
/// # Formula
///
/// ```text
/// P(rank k) = k^(−s) / Σ_{j=1..n} j^(−s)      s ≥ 0 (s = 0 is uniform)
/// ```
/// Source: G. K. Zipf (1949); the finite form as in L. Breslau et al., "Web Caching and
/// Zipf-like Distributions", INFOCOM 1999.
pub(crate) fn zipf_cumulative(n: usize, exponent: f64) -> Vec<f64> {
    let mut cumulative = Vec::with_capacity(n);
    let mut total = 0.0;
    for rank in 1..=n {
        total += exp(-exponent * ln(rank as f64));
        cumulative.push(total);
    }
    cumulative
}

/// Draws a 0-based rank from cumulative weights built by [`zipf_cumulative`].
pub(crate) fn sample_cumulative(rng: &mut Pcg64Mcg, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let target = uniform_open01(rng) * total;
    let rank = cumulative.partition_point(|&c| c <= target);
    rank.min(cumulative.len().saturating_sub(1))
}

// fdlibm's constants, given by their bit patterns (as in its sources) so that no decimal
// conversion can alter them.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const LG1: f64 = f64::from_bits(0x3fe5_5555_5555_5593);
const LG2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04);
const LG3: f64 = f64::from_bits(0x3fd2_4924_9422_9359);
const LG4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af);
const LG5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de);
const LG6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f);
const LG7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244);

/// Natural logarithm, identical on every IEEE 754 platform.
///
/// # Formula
///
/// ```text
/// x = 2^k (1 + f), √2/2 < 1 + f < √2
/// s = f / (2 + f);  ln(1 + f) = 2s + s R(s²), R a degree-14 Remez polynomial (Lg1..Lg7)
/// ln(x) = k ln2_hi + (f − (f²/2 − (s (f²/2 + R) + k ln2_lo)))
/// ```
/// Error below 1 ulp. Source: Sun fdlibm / FreeBSD msun `e_log.c` (1993), as ported by the Rust
/// `libm` crate 0.2 `src/math/log.rs`.
pub(crate) fn ln(x: f64) -> f64 {
    let mut x = x;
    let mut bits = x.to_bits();
    let mut hx = (bits >> 32) as u32;
    let mut k: i32 = 0;
    if hx < 0x0010_0000 || (hx >> 31) != 0 {
        if bits << 1 == 0 {
            return f64::NEG_INFINITY;
        }
        if hx >> 31 != 0 {
            return f64::NAN;
        }
        // Subnormal: scale into the normal range first.
        k -= 54;
        x *= f64::from_bits(0x4350_0000_0000_0000); // 2^54
        bits = x.to_bits();
        hx = (bits >> 32) as u32;
    } else if hx >= 0x7ff0_0000 {
        return x;
    } else if hx == 0x3ff0_0000 && bits << 32 == 0 {
        return 0.0;
    }
    hx += 0x3ff0_0000 - 0x3fe6_a09e;
    k += (hx >> 20) as i32 - 0x3ff;
    hx = (hx & 0x000f_ffff) + 0x3fe6_a09e;
    bits = (u64::from(hx) << 32) | (bits & 0xffff_ffff);
    x = f64::from_bits(bits);

    let f = x - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let dk = f64::from(k);
    s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI
}

const INV_LN2: f64 = f64::from_bits(0x3ff7_1547_652b_82fe);
const P1: f64 = f64::from_bits(0x3fc5_5555_5555_553e);
const P2: f64 = f64::from_bits(0xbf66_c16c_16be_bd93);
const P3: f64 = f64::from_bits(0x3f11_566a_af25_de2c);
const P4: f64 = f64::from_bits(0xbebb_bd41_c5d2_6bf1);
const P5: f64 = f64::from_bits(0x3e66_3769_72be_a4d0);

/// `e^x`, identical on every IEEE 754 platform.
///
/// # Formula
///
/// ```text
/// x = k ln2 + r, |r| ≤ ln2 / 2 (r = hi − lo for accuracy)
/// c = r − (P1 r² + P2 r⁴ + … + P5 r¹⁰)       degree-5 Remez polynomial
/// e^x = 2^k (1 + (r c / (2 − c) − lo + hi))
/// ```
/// Error below 1 ulp for normal results. Source: Sun fdlibm / FreeBSD msun `e_exp.c` (2004), as
/// ported by the Rust `libm` crate 0.2 `src/math/exp.rs`.
pub(crate) fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.782_712_893_384 {
        return f64::INFINITY;
    }
    if x < -745.133_219_101_941_1 {
        return 0.0;
    }
    let hx = ((x.to_bits() >> 32) as u32) & 0x7fff_ffff;
    let (hi, lo, k) = if hx > 0x3fd6_2e42 {
        let k = if hx >= 0x3ff0_a2b2 {
            let half = if x < 0.0 { -0.5 } else { 0.5 };
            (INV_LN2 * x + half) as i32
        } else if x < 0.0 {
            -1
        } else {
            1
        };
        let hi = x - f64::from(k) * LN2_HI;
        (hi, f64::from(k) * LN2_LO, k)
    } else if hx > 0x3e30_0000 {
        (x, 0.0, 0)
    } else {
        return 1.0 + x;
    };
    let r = hi - lo;
    let rr = r * r;
    let c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
    let y = 1.0 + (r * c / (2.0 - c) - lo + hi);
    scale_by_power_of_two(y, k)
}

/// `y × 2^k` for the exponents `exp` produces (|k| ≤ 1,075), in at most two exact steps.
fn scale_by_power_of_two(y: f64, k: i32) -> f64 {
    fn pow2(e: i32) -> f64 {
        // Normal powers of two only: biased exponent in 1..=2046.
        f64::from_bits(((e + 1023) as u64) << 52)
    }
    if (-1022..=1023).contains(&k) {
        y * pow2(k)
    } else if k > 1023 {
        y * pow2(1023) * pow2(k - 1023)
    } else {
        // Two steps so that the intermediate stays normal; the final product may be subnormal.
        y * pow2(k + 1000) * pow2(-1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_abs, assert_rel};

    // Both our port and the platform's libm are within 1 ulp of the true value, so they differ
    // by at most 2 ulp ≈ 4.4e-16 relative; the platform libm is the independent reference.
    const TWO_ULP: f64 = 4.5e-16;

    #[test]
    fn ln_matches_platform_libm() {
        let mut rng = seeded_rng(7);
        for _ in 0..20_000 {
            let x = exp(60.0 * (uniform_open01(&mut rng) - 0.5)) * 1.000_1;
            assert_rel(ln(x), x.ln(), TWO_ULP);
        }
        assert_abs(ln(1.0), 0.0, 0.0);
        assert_rel(ln(std::f64::consts::E), 1.0, TWO_ULP);
        assert!(ln(0.0).is_infinite() && ln(-1.0).is_nan());
        assert_rel(
            ln(f64::MIN_POSITIVE / 8.0),
            (f64::MIN_POSITIVE / 8.0).ln(),
            TWO_ULP,
        );
    }

    #[test]
    fn exp_matches_platform_libm() {
        let mut rng = seeded_rng(8);
        for _ in 0..20_000 {
            let x = 1_400.0 * (uniform_open01(&mut rng) - 0.5);
            let expected = x.exp();
            if expected > f64::MIN_POSITIVE {
                assert_rel(exp(x), expected, TWO_ULP);
            }
        }
        assert_abs(exp(0.0), 1.0, 0.0);
        assert_rel(exp(1.0), std::f64::consts::E, TWO_ULP);
        assert!(exp(1_000.0).is_infinite());
        assert_abs(exp(-1_000.0), 0.0, 0.0);
    }

    // Sample means against the distributions' textbook means. With n samples the standard error
    // is sd/√n; the tolerances below are about 4 standard errors.
    #[test]
    fn sample_means_match_the_textbook_means() {
        let n = 200_000;
        let mut rng = seeded_rng(1);
        let mean_of = |rng: &mut Pcg64Mcg, f: &dyn Fn(&mut Pcg64Mcg) -> f64| {
            (0..n).map(|_| f(rng)).sum::<f64>() / f64::from(n)
        };
        // Exponential, mean 2: sd 2, se = 2/√200000 ≈ 0.0045.
        assert_abs(mean_of(&mut rng, &|r| exponential(r, 2.0)), 2.0, 0.02);
        // Pareto α = 3, mean 1: x_m = 2/3, variance = x_m² α / ((α−1)²(α−2)) = (4/9)(3)/4 = 1/3,
        // sd ≈ 0.58, se ≈ 0.0013.
        assert_abs(mean_of(&mut rng, &|r| pareto(r, 1.0, 3.0)), 1.0, 0.01);
        // Log-normal mean 1, σ = 0.5: variance = (e^{σ²} − 1) mean² ≈ 0.284, sd ≈ 0.53.
        assert_abs(mean_of(&mut rng, &|r| log_normal(r, 1.0, 0.5)), 1.0, 0.01);
        // Standard normal: mean 0, sd 1.
        assert_abs(mean_of(&mut rng, &standard_normal), 0.0, 0.01);
    }

    #[test]
    fn zipf_rank_one_share_matches_the_harmonic_number() {
        // s = 1, n = 4: P(rank 1) = 1 / H_4 = 1 / (1 + 1/2 + 1/3 + 1/4) = 12/25 = 0.48.
        let cumulative = zipf_cumulative(4, 1.0);
        let mut rng = seeded_rng(3);
        let draws = 100_000;
        let ones = (0..draws)
            .filter(|_| sample_cumulative(&mut rng, &cumulative) == 0)
            .count();
        // se = √(0.48 × 0.52 / 1e5) ≈ 0.0016.
        assert_abs(ones as f64 / f64::from(draws), 0.48, 0.007);
    }

    #[test]
    fn uniform_index_stays_in_range() {
        let mut rng = seeded_rng(4);
        for n in [1_usize, 2, 3, 10, 1_000] {
            for _ in 0..1_000 {
                assert!(uniform_index(&mut rng, n) < n);
            }
        }
        assert_eq!(uniform_index(&mut rng, 0), 0);
    }

    #[test]
    fn same_seed_gives_the_same_stream() {
        let mut a = seeded_rng(99);
        let mut b = seeded_rng(99);
        for _ in 0..1_000 {
            assert_eq!(
                exponential(&mut a, 1.0).to_bits(),
                exponential(&mut b, 1.0).to_bits()
            );
        }
    }
}
