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
//! one differing bit can flip an admission decision or reorder two events. So this module takes
//! `ln` and `exp` from [`crate::math`], which computes them identically on every platform.
//! `sqrt`, `floor` and `ceil` are exact IEEE operations and safe to use from `std`.

use crate::math::{exp, ln};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_abs;

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
