//! Seeded, reproducible traffic patterns for the simulator.
//!
//! Reproducibility across the server and WASM: the shapes use only `+ − × ÷`, `floor` and
//! comparisons (exactly rounded IEEE 754 operations, identical on every platform), never `sin`,
//! `exp` or `powf`, whose last bit depends on the platform's math library. The noise comes from
//! PCG (`rand_pcg::Pcg64Mcg`), whose output is defined bit for bit, turned into floats with the
//! same integer-to-float conversion everywhere.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use super::{AutoscaleError, MAX_STEPS, check_range};
use crate::range::RangeError;

/// Largest request rate a pattern may reach, requests per second (a typo guard).
pub const MAX_RPS: f64 = 1e9;

/// Seconds in a day.
const DAY_S: f64 = crate::SECONDS_PER_DAY;

/// When the chapter's day peaks: 20:00, seconds after the run's midnight start.
pub const DIURNAL_PEAK_S: f64 = 20.0 * 3_600.0;

/// A traffic pattern: requests per second as a function of time since the start of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Traffic {
    /// The chapter's day: a daily cycle averaging `mean_rps` and peaking at
    /// `peak_factor × mean_rps` at 20:00 (the run starts at midnight).
    Diurnal {
        /// Average over the day, requests/s.
        mean_rps: f64,
        /// Peak-to-average factor, 1 to 100 (the chapter uses 10).
        peak_factor: f64,
    },
    /// `base_rps`, then `step_rps` from `at_s` on.
    Step {
        /// Rate before the step.
        base_rps: f64,
        /// Rate after the step.
        step_rps: f64,
        /// When the step happens, seconds.
        at_s: u64,
    },
    /// A linear change from `from_rps` to `to_rps` over `duration_s`, starting at `start_s`.
    Ramp {
        /// Rate before the ramp.
        from_rps: f64,
        /// Rate after the ramp.
        to_rps: f64,
        /// When the ramp starts, seconds.
        start_s: u64,
        /// How long the ramp lasts, seconds.
        duration_s: u64,
    },
    /// A flash crowd: from `base_rps` up to `multiplier × base_rps` in `rise_s` (the chapter's
    /// viral moment: 10× in a minute), held for `hold_s`, then back down over `decay_s`.
    FlashCrowd {
        /// Rate outside the crowd.
        base_rps: f64,
        /// Peak over base (10 in [`Traffic::flash_crowd`]).
        multiplier: f64,
        /// When the crowd starts arriving, seconds.
        start_s: u64,
        /// Time to reach the peak, seconds (60 in [`Traffic::flash_crowd`]).
        rise_s: u64,
        /// Time at the peak, seconds.
        hold_s: u64,
        /// Time to return to base, seconds.
        decay_s: u64,
    },
    /// A known event (a sale, a launch): `multiplier × base_rps` from `start_s` for `duration_s`.
    Scheduled {
        /// Rate outside the event.
        base_rps: f64,
        /// When the event starts, seconds.
        start_s: u64,
        /// How long it lasts, seconds.
        duration_s: u64,
        /// Rate during the event over base.
        multiplier: f64,
    },
    /// An observed average day, repeated: `rates[i]` requests per second through slot `i` of
    /// `86,400 / rates.len()` seconds, from midnight (see [`crate::traffic`]); with `week`, each
    /// day of the run (the first a Monday) scaled by its weekday's factor.
    Observed {
        /// The slots' rates, 1 to 86,400 of them, a whole number of seconds each.
        rates: Vec<f64>,
        /// Each weekday's mean over the week's mean, Monday first (they average 1), or `None`
        /// for every day alike.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        week: Option<[f64; 7]>,
    },
}

impl Traffic {
    /// The chapter's flash crowd: 10× `base_rps` within a minute of `start_s`, held 10 minutes,
    /// gone over the following 30.
    pub fn flash_crowd(base_rps: f64, start_s: u64) -> Self {
        Self::FlashCrowd {
            base_rps,
            multiplier: 10.0,
            start_s,
            rise_s: 60,
            hold_s: 600,
            decay_s: 1_800,
        }
    }

    /// Checks rates and factors.
    ///
    /// # Errors
    /// [`AutoscaleError::OutOfRange`] for a rate outside [0, 1e9], a peak factor outside
    /// [1, 100] or a multiplier outside [0, 1,000].
    pub fn validate(&self) -> Result<(), AutoscaleError> {
        let rate = |field: &'static str, v: f64| -> Result<(), AutoscaleError> {
            check_range(field, v, 0.0, MAX_RPS, "in [0, 1e9] requests/s")?;
            Ok(())
        };
        let multiplier =
            |v: f64| check_range("multiplier", v, 0.0, 1_000.0, "in [0, 1000]").map(|_| ());
        match *self {
            Self::Observed {
                ref rates,
                ref week,
            } => {
                if rates.is_empty() || 86_400 % rates.len() != 0 {
                    return Err(RangeError::new(
                        "observed slots",
                        rates.len() as f64,
                        "a divisor of 86,400",
                    )
                    .into());
                }
                // Seven factors averaging 1 are each at most 7.
                for &f in week.iter().flatten() {
                    check_range("observed weekday factor", f, 0.0, 7.0, "in [0, 7]")?;
                }
                let most = week.map_or(1.0, |w| w.iter().copied().fold(0.0, f64::max));
                rates
                    .iter()
                    .try_for_each(|&r| rate("observed rate", r * most))
            }
            Self::Diurnal {
                mean_rps,
                peak_factor,
            } => {
                rate("mean_rps", mean_rps)?;
                check_range("peak_factor", peak_factor, 1.0, 100.0, "in [1, 100]")?;
                rate("peak rate", mean_rps * peak_factor)
            }
            Self::Step {
                base_rps, step_rps, ..
            } => rate("base_rps", base_rps).and(rate("step_rps", step_rps)),
            Self::Ramp {
                from_rps, to_rps, ..
            } => rate("from_rps", from_rps).and(rate("to_rps", to_rps)),
            Self::FlashCrowd {
                base_rps,
                multiplier: m,
                ..
            }
            | Self::Scheduled {
                base_rps,
                multiplier: m,
                ..
            } => {
                rate("base_rps", base_rps)?;
                multiplier(m)?;
                rate("peak rate", base_rps * m)
            }
        }
    }

    /// Requests per second at `t_s` seconds, without noise.
    ///
    /// # Formula
    /// ```text
    /// Diurnal:   r(t) = m × (c + k × D(t) + b × g(t))
    ///            D(t) = L + (H − L) × s(x),  s(x) = x²(3 − 2x)   the day's own swing, between
    ///              L = 0.4 at 04:00 and H = 1.6 at 20:00; x rises 0 → 1 from 04:00 to 20:00 and
    ///              falls 1 → 0 to the next 04:00; ∫₀¹ s = ½ on both legs, so D averages 1
    ///            g(t) = (1 − v²)^n,  v = 2 × |phase from 20:00| ∈ [0, 1]: an evening event
    ///            I_n = mean of g over a day = ∏_{k=1..n} 2k/(2k+1)   (Wallis integral ∫₀¹(1−v²)ⁿdv)
    ///            p ≤ H: c = 1 − k, k = (p − 1)/(H − 1), b = 0   (the swing scaled to the factor)
    ///            p > H: c = 0, k = (1 − p·I_n)/(1 − H·I_n), b = p − k·H, n = smallest with
    ///                   I_n ≤ 1/(2p) (so k ≥ ½: the rest of the day keeps at least half its swing)
    ///            Either way the day averages m (c + k + b·I_n = 1) and peaks at p × m at 20:00
    ///            (c + k·H + b = p); the trough, at 04:00, is at least 0.2 × m.
    ///   m = mean_rps, p = peak_factor (peak-to-average, the chapter's section 10 factor)
    /// Step:      base before at_s, step after
    /// Ramp:      from + (to − from) × (t − start)/duration, clamped to the ramp
    /// FlashCrowd, Scheduled: base × (1 + (k − 1) × f(t)), f a trapezoid (rise, hold, decay)
    /// Observed:  rates[⌊(t mod 86,400) / slot⌋] × w[⌊t / 86,400⌋ mod 7], slot = 86,400 /
    ///            rates.len() s; w the weekday factors (Monday first), or 1 without a week
    /// Source: shapes chosen for this simulator; the 10× flash crowd and the scheduled event are
    ///   the chapter's section 4 ("Why Auto-Scaling?", "Scaling Patterns")
    /// ```
    pub fn rate_at(&self, t_s: u64) -> f64 {
        let t = t_s as f64;
        match *self {
            Self::Observed {
                ref rates,
                ref week,
            } => {
                let slots = rates.len().max(1) as u64;
                let slot = (t_s % 86_400) / (86_400 / slots).max(1);
                let rate = rates.get(slot as usize).copied().unwrap_or(0.0);
                match week {
                    Some(w) => rate * w[((t_s / 86_400) % 7) as usize],
                    None => rate,
                }
            }
            Self::Diurnal {
                mean_rps,
                peak_factor,
            } => {
                let shape = DiurnalShape::new(peak_factor);
                mean_rps * shape.level(t)
            }
            Self::Step {
                base_rps,
                step_rps,
                at_s,
            } => {
                if t_s < at_s {
                    base_rps
                } else {
                    step_rps
                }
            }
            Self::Ramp {
                from_rps,
                to_rps,
                start_s,
                duration_s,
            } => from_rps + (to_rps - from_rps) * progress(t_s, start_s, duration_s),
            Self::FlashCrowd {
                base_rps,
                multiplier,
                start_s,
                rise_s,
                hold_s,
                decay_s,
            } => {
                base_rps
                    * (1.0 + (multiplier - 1.0) * trapezoid(t_s, start_s, rise_s, hold_s, decay_s))
            }
            Self::Scheduled {
                base_rps,
                start_s,
                duration_s,
                multiplier,
            } => base_rps * (1.0 + (multiplier - 1.0) * trapezoid(t_s, start_s, 0, duration_s, 0)),
        }
    }
}

/// Share of `[start, start + duration]` elapsed at `t`, in [0, 1] (a zero duration is a step).
fn progress(t: u64, start: u64, duration: u64) -> f64 {
    if t < start {
        0.0
    } else if duration == 0 || t - start >= duration {
        1.0
    } else {
        (t - start) as f64 / duration as f64
    }
}

/// 0 before `start`, rising to 1 over `rise`, 1 for `hold`, falling to 0 over `decay`.
fn trapezoid(t: u64, start: u64, rise: u64, hold: u64, decay: u64) -> f64 {
    let peak_end = start.saturating_add(rise).saturating_add(hold);
    if t < start {
        0.0
    } else if t < start.saturating_add(rise) {
        progress(t, start, rise)
    } else if t < peak_end {
        1.0
    } else {
        1.0 - progress(t, peak_end, decay)
    }
}

/// The day's own swing (without an evening event): lowest and highest level relative to the
/// mean. A 4:1 day with its trough at 04:00 and its peak at 20:00 is this tool's choice of a
/// typical consumer service's day; a peak factor above [`DAY_HIGH`] adds an evening event on top.
const DAY_LOW: f64 = 0.4;
/// See [`DAY_LOW`].
const DAY_HIGH: f64 = 1.6;
/// When the day's own swing is lowest: 04:00.
const DAY_TROUGH_S: f64 = 4.0 * 3_600.0;

/// The diurnal curve's constants, derived once per peak factor.
#[derive(Debug, Clone, Copy)]
struct DiurnalShape {
    /// Exponent of the evening event's bump `(1 − v²)^n`.
    exponent: u32,
    /// c, k and b of [`Traffic::rate_at`]'s formula.
    flat: f64,
    day: f64,
    event: f64,
}

impl DiurnalShape {
    fn new(peak_factor: f64) -> Self {
        if peak_factor <= DAY_HIGH {
            let day = (peak_factor - 1.0) / (DAY_HIGH - 1.0);
            return Self {
                exponent: 0,
                flat: 1.0 - day,
                day,
                event: 0.0,
            };
        }
        // Wallis: I_n = ∏ 2k/(2k+1) falls like √(π/4n), so n ≈ π p² ≤ 31,416 for p ≤ 100.
        let mut exponent = 0u32;
        let mut mean_of_bump = 1.0;
        while mean_of_bump * 2.0 * peak_factor > 1.0 && exponent < 40_000 {
            exponent += 1;
            let k = f64::from(exponent);
            mean_of_bump *= 2.0 * k / (2.0 * k + 1.0);
        }
        let day = (1.0 - peak_factor * mean_of_bump) / (1.0 - DAY_HIGH * mean_of_bump);
        Self {
            exponent,
            flat: 0.0,
            day,
            event: peak_factor - day * DAY_HIGH,
        }
    }

    /// Level relative to the mean at time `t` seconds.
    fn level(self, t: f64) -> f64 {
        let mut level = self.flat + self.day * day_swing(t);
        if self.event > 0.0 {
            let days_from_peak = (t - DIURNAL_PEAK_S) / DAY_S;
            let phase = days_from_peak - floor(days_from_peak);
            let v = 2.0 * phase.min(1.0 - phase);
            level += self.event * pow_u32(1.0 - v * v, self.exponent);
        }
        level.max(0.0)
    }
}

/// The day's own swing D(t) of [`Traffic::rate_at`]: from [`DAY_LOW`] at 04:00 up to
/// [`DAY_HIGH`] at 20:00 and back, along a smoothstep (flat at both ends); it averages 1.
fn day_swing(t: f64) -> f64 {
    let rise = DIURNAL_PEAK_S - DAY_TROUGH_S;
    let days = (t - DAY_TROUGH_S) / DAY_S;
    let since_trough = (days - floor(days)) * DAY_S;
    let x = if since_trough <= rise {
        since_trough / rise
    } else {
        1.0 - (since_trough - rise) / (DAY_S - rise)
    };
    DAY_LOW + (DAY_HIGH - DAY_LOW) * x * x * (3.0 - 2.0 * x)
}

/// `x.floor()`, bit for bit, without the call to a software `floor` that x86-64 without SSE4.1
/// makes (WASM has a `floor` instruction): below 2⁵² in magnitude the truncation toward zero is
/// exact, and one less is the floor of a negative number it rounded up.
fn floor(x: f64) -> f64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        let truncated = x as i64 as f64;
        if truncated == x {
            x // keeps −0.0 and whole numbers as they are
        } else if truncated > x {
            truncated - 1.0
        } else {
            truncated
        }
    } else {
        x.floor()
    }
}

/// `x^n` by repeated squaring: only multiplications, so every platform gets the same bits.
fn pow_u32(mut x: f64, mut n: u32) -> f64 {
    let mut result = 1.0;
    while n > 0 {
        if n & 1 == 1 {
            result *= x;
        }
        x *= x;
        n >>= 1;
    }
    result
}

/// The demand series of a run: the pattern sampled at the start of every step, times
/// multiplicative noise.
///
/// # Formula
/// ```text
/// d_i = max(0, r(i × Δ) × (1 + σ × z_i)),   i = 0 … ⌈T/Δ⌉ − 1
/// z_i = (u_1 + u_2 + u_3 + u_4 − 2) × √3     (Irwin–Hall: mean 0, variance 1, |z| ≤ 2√3)
///   r pattern, Δ step, T duration, σ noise (relative); u_k = (b_k + ½) / 2¹⁶ uniform in (0, 1),
///   b_1 … b_4 the four 16-bit quarters of one 64-bit draw of PCG-64 (MCG) seeded with `seed`
///   (variance (1 − 2⁻³²)/12 each, 1 within 10⁻⁹ in all); the sum of uniforms avoids `ln`/`exp`,
///   so runs are bit-identical natively and in WASM
/// ```
///
/// # Errors
/// [`AutoscaleError::OutOfRange`] for a step of 0, a noise outside [0, 1], or a bad pattern;
/// [`AutoscaleError::TooManySteps`] beyond [`MAX_STEPS`].
pub fn demand_series(
    traffic: &Traffic,
    duration_s: u64,
    step_s: u32,
    noise: f64,
    seed: u64,
) -> Result<Vec<f64>, AutoscaleError> {
    traffic.validate()?;
    check_range(
        "step_s",
        f64::from(step_s),
        1.0,
        86_400.0,
        "in [1, 86400] seconds",
    )?;
    check_range("noise", noise, 0.0, 1.0, "in [0, 1]")?;
    let steps = duration_s.div_ceil(u64::from(step_s));
    if steps > MAX_STEPS {
        return Err(AutoscaleError::TooManySteps {
            steps,
            max: MAX_STEPS,
        });
    }
    let diurnal = match *traffic {
        Traffic::Diurnal { peak_factor, .. } => Some(DiurnalShape::new(peak_factor)),
        _ => None,
    };
    let mut series: Vec<f64> = (0..steps)
        .map(|i| {
            let t = i * u64::from(step_s);
            let clean = match (diurnal, traffic) {
                (Some(shape), Traffic::Diurnal { mean_rps, .. }) => {
                    mean_rps * shape.level(t as f64)
                }
                _ => traffic.rate_at(t),
            };
            if noise > 0.0 { clean } else { clean.max(0.0) }
        })
        .collect();
    if noise > 0.0 {
        add_noise(&mut series, noise, Pcg64Mcg::seed_from_u64(seed));
    }
    Ok(series)
}

/// 64-bit draws per step of the noise.
const DRAWS_PER_STEP: u128 = 1;

/// Multiplies each clean rate by its noise and floors it at 0, step `i` using draw `i` of `rng`,
/// as one pass over the steps would.
///
/// The generator's state is one 128-bit multiplication after another, a chain no processor
/// overlaps; so the second half of the steps draws from a copy of `rng` jumped ahead to that
/// half's first draw (`advance`, PCG's documented jump-ahead), and the halves are interleaved:
/// the same draws for the same steps, two chains side by side.
fn add_noise(series: &mut [f64], noise: f64, mut rng: Pcg64Mcg) {
    let half = series.len().div_ceil(2);
    let (first, second) = series.split_at_mut(half);
    let mut second_rng = rng.clone();
    second_rng.advance(half as u128 * DRAWS_PER_STEP);
    for (j, rate) in first.iter_mut().enumerate() {
        *rate = noisy(*rate, noise, rng.next_u64());
        if let Some(rate) = second.get_mut(j) {
            *rate = noisy(*rate, noise, second_rng.next_u64());
        }
    }
}

/// One step's noisy rate from one 64-bit draw: four 16-bit uniforms, each at the middle of its
/// 1/2¹⁶ cell so that each has mean ½ exactly. Every operation is exact or correctly rounded, so
/// the result is the same on every platform.
#[inline(always)]
fn noisy(clean: f64, noise: f64, draw: u64) -> f64 {
    const SQRT_3: f64 = 1.732_050_807_568_877_2;
    const CELL: f64 = 1.0 / 65_536.0;
    // The four quarters sum to at most 4 × 65,535: exact in f64.
    let quarters =
        (draw & 0xFFFF) + ((draw >> 16) & 0xFFFF) + ((draw >> 32) & 0xFFFF) + (draw >> 48);
    let sum = (quarters as f64 + 2.0) * CELL;
    (clean * (1.0 + noise * (sum - 2.0) * SQRT_3)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_abs, assert_rel};

    #[test]
    fn the_chapters_day_averages_the_mean_and_peaks_at_the_factor() {
        // Peak factor 10 (the chapter's section 10): the day must average 1,000 req/s and peak
        // at 10,000 at 20:00. Sampled every 15 s, the mean is the integral to well within 0.1%.
        let day = Traffic::Diurnal {
            mean_rps: 1_000.0,
            peak_factor: 10.0,
        };
        let series = demand_series(&day, 86_400, 15, 0.0, 1).unwrap();
        assert_eq!(series.len(), 5_760);
        let mean = series.iter().sum::<f64>() / series.len() as f64;
        assert_rel(mean, 1_000.0, 1e-3);
        assert_rel(day.rate_at(72_000), 10_000.0, 1e-12);
        assert!(series.iter().all(|&r| (0.0..=10_000.0 + 1e-9).contains(&r)));
        // The day keeps its own swing under the evening event: the trough, at 04:00, is at
        // least a fifth of the mean, and noon sits at k × m. Exact fractions (Python's
        // `fractions`, independently of this code): n = 314, I_314 = 0.049953049144443776,
        // k = (1 − 10 I)/(1 − 1.6 I) = 0.5439441812218142, b = 10 − 1.6 k = 9.129689310045098;
        // at 04:00 and 12:00 the event's bump is (5/9)^314, below 1e-80.
        assert!(series.iter().all(|&r| r >= 200.0 - 1e-9));
        assert_rel(
            day.rate_at(4 * 3_600),
            1_000.0 * 0.217_577_672_488_725_7,
            1e-12,
        );
        assert_rel(
            day.rate_at(12 * 3_600),
            1_000.0 * 0.543_944_181_221_814_2,
            1e-12,
        );
        let shape = DiurnalShape::new(10.0);
        assert_eq!(shape.exponent, 314);
        assert_rel(shape.event, 9.129_689_310_045_098, 1e-13);
    }

    #[test]
    fn the_wallis_product_matches_its_closed_form() {
        // I_n = 2^n n! / (3·5·…·(2n+1)) (Wallis). For p = 2 the first n with I_n ≤ 1/(2p) = 1/4
        // is 12: I_11 = 0.2592 > 1/4, I_12 = 4,194,304/16,900,975 = 0.24817.
        // k = (1 − 2 I)/(1 − 1.6 I) = 42,561,835/50,950,443, b = 2 − 1.6 k.
        let shape = DiurnalShape::new(2.0);
        assert_eq!(shape.exponent, 12);
        let k = 42_561_835.0 / 50_950_443.0;
        assert_rel(shape.day, k, 1e-14);
        assert_rel(shape.event, 2.0 - 1.6 * k, 1e-13);
        // The trough (04:00): m × (0.4 k + b (5/9)^12) = 334.716489646867 req/s (exact fractions).
        let day = Traffic::Diurnal {
            mean_rps: 1_000.0,
            peak_factor: 2.0,
        };
        assert_rel(day.rate_at(4 * 3_600), 334.716_489_646_867, 1e-12);
        assert_rel(day.rate_at(20 * 3_600), 2_000.0, 1e-12);
        // At most H = 1.6 the day's swing alone is scaled: p = 1.3 gives k = c = ½, so 04:00 is
        // ½ + ½ × 0.4 = 0.7, noon ½ + ½ × 1 = 1, 20:00 ½ + ½ × 1.6 = 1.3 (no event).
        let mild = Traffic::Diurnal {
            mean_rps: 1_000.0,
            peak_factor: 1.3,
        };
        assert_rel(mild.rate_at(4 * 3_600), 700.0, 1e-12);
        assert_rel(mild.rate_at(12 * 3_600), 1_000.0, 1e-12);
        assert_rel(mild.rate_at(20 * 3_600), 1_300.0, 1e-12);
        let series = demand_series(&mild, 86_400, 15, 0.0, 1).unwrap();
        assert_rel(
            series.iter().sum::<f64>() / series.len() as f64,
            1_000.0,
            1e-3,
        );
        // The day is smooth where its legs meet: a minute either side of 20:00 and 04:00 moves
        // the level by less than 0.01% of the mean (smoothstep's slope is 0 at both ends).
        for at in [20 * 3_600, 4 * 3_600] {
            assert_abs(mild.rate_at(at + 60), mild.rate_at(at), 0.1);
            assert_abs(mild.rate_at(at - 60), mild.rate_at(at), 0.1);
        }
        let flat = DiurnalShape::new(1.0);
        assert_abs(flat.level(12_345.0), 1.0, 0.0);
    }

    #[test]
    fn every_peak_factor_keeps_its_mean_peak_and_trough() {
        // The mean (sampled every 15 s), the peak at 20:00 and the 0.2 × m floor, across the
        // factor's whole range, including either side of H = 1.6.
        for p in [1.0, 1.2, 1.6, 1.61, 3.0, 25.0, 100.0] {
            let day = Traffic::Diurnal {
                mean_rps: 1_000.0,
                peak_factor: p,
            };
            let series = demand_series(&day, 86_400, 15, 0.0, 1).unwrap();
            let mean = series.iter().sum::<f64>() / series.len() as f64;
            assert_rel(mean, 1_000.0, 2e-3);
            assert_rel(day.rate_at(20 * 3_600), 1_000.0 * p, 1e-12);
            assert!(series.iter().all(|&r| r >= 200.0 - 1e-9), "p = {p}");
            assert!(
                series.iter().all(|&r| r <= 1_000.0 * p * (1.0 + 1e-12)),
                "p = {p}"
            );
        }
    }

    #[test]
    fn step_ramp_flash_crowd_and_scheduled_event() {
        let step = Traffic::Step {
            base_rps: 100.0,
            step_rps: 500.0,
            at_s: 600,
        };
        assert_eq!((step.rate_at(599), step.rate_at(600)), (100.0, 500.0));
        let ramp = Traffic::Ramp {
            from_rps: 100.0,
            to_rps: 300.0,
            start_s: 100,
            duration_s: 200,
        };
        assert_eq!(
            (ramp.rate_at(0), ramp.rate_at(200), ramp.rate_at(1_000)),
            (100.0, 200.0, 300.0)
        );
        // 10× in a minute: half-way up at 30 s (1 + 9 × 0.5 = 5.5×), full at 60 s.
        let crowd = Traffic::flash_crowd(1_000.0, 3_600);
        assert_eq!(crowd.rate_at(3_599), 1_000.0);
        assert_rel(crowd.rate_at(3_630), 5_500.0, 1e-12);
        assert_rel(crowd.rate_at(3_660), 10_000.0, 1e-12);
        assert_rel(crowd.rate_at(3_660 + 600 + 900), 5_500.0, 1e-12);
        assert_eq!(crowd.rate_at(10_000), 1_000.0);
        let sale = Traffic::Scheduled {
            base_rps: 200.0,
            start_s: 1_000,
            duration_s: 500,
            multiplier: 3.0,
        };
        assert_eq!(
            (
                sale.rate_at(999),
                sale.rate_at(1_000),
                sale.rate_at(1_499),
                sale.rate_at(1_500)
            ),
            (200.0, 600.0, 600.0, 200.0)
        );
    }

    #[test]
    fn same_seed_same_series_and_noise_has_unit_scale() {
        let day = Traffic::Diurnal {
            mean_rps: 1_000.0,
            peak_factor: 3.0,
        };
        let a = demand_series(&day, 86_400, 15, 0.1, 7).unwrap();
        let b = demand_series(&day, 86_400, 15, 0.1, 7).unwrap();
        let c = demand_series(&day, 86_400, 15, 0.1, 8).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        // Flat traffic with σ = 0.1: relative deviations have mean ≈ 0 and sd ≈ 0.1
        // (5,760 samples: standard error of the sd is about 0.1/√(2 × 5,760) ≈ 0.001).
        let flat = Traffic::Step {
            base_rps: 1_000.0,
            step_rps: 1_000.0,
            at_s: 0,
        };
        let noisy = demand_series(&flat, 86_400, 15, 0.1, 3).unwrap();
        let devs: Vec<f64> = noisy.iter().map(|r| r / 1_000.0 - 1.0).collect();
        let mean = devs.iter().sum::<f64>() / devs.len() as f64;
        let sd =
            (devs.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / devs.len() as f64).sqrt();
        assert_abs(mean, 0.0, 0.005);
        assert_abs(sd, 0.1, 0.005);
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert!(
            demand_series(
                &Traffic::Diurnal {
                    mean_rps: -1.0,
                    peak_factor: 2.0
                },
                60,
                15,
                0.0,
                0
            )
            .is_err()
        );
        assert!(
            demand_series(
                &Traffic::Diurnal {
                    mean_rps: 1.0,
                    peak_factor: 0.5
                },
                60,
                15,
                0.0,
                0
            )
            .is_err()
        );
        assert!(demand_series(&Traffic::flash_crowd(f64::NAN, 0), 60, 15, 0.0, 0).is_err());
        assert!(demand_series(&Traffic::flash_crowd(1.0, 0), 60, 0, 0.0, 0).is_err());
        assert!(demand_series(&Traffic::flash_crowd(1.0, 0), 60, 15, 1.5, 0).is_err());
        assert!(matches!(
            demand_series(&Traffic::flash_crowd(1.0, 0), 10_000_000, 15, 0.0, 0),
            Err(AutoscaleError::TooManySteps { .. })
        ));
    }
}
