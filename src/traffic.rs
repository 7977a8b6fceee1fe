//! Observed traffic: a request series read from a file (see [`import`]), what it says about the
//! load ([`Observed`], from [`analyze`]), and the compact text a shared link carries of it.
//!
//! The figures, all in requests per second:
//! - mean `μ = Σ rᵢ / n` over the points (not time-weighted: a gap counts as absent, not zero);
//! - percentiles p50, p95, p99 by linear interpolation between the closest ranks, numpy's
//!   default (`numpy.percentile(…, method="linear")`): the p-quantile of the sorted rates
//!   `x₀ ≤ … ≤ xₙ₋₁` is `x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋₊₁ − x_⌊h⌋)` with `h = (n − 1)p`;
//! - peak factors `max / μ` and `p99 / μ`;
//! - the average day: the mean rate in each slot of the day (UTC), a slot being the smallest
//!   divisor of 86,400 s at least as long as the step and 5 minutes, when the series spans a day
//!   and its step is at most an hour; the hour-of-day profile is the mean of the slots in each hour;
//! - the average week: the mean rate on each day of the week (UTC, Monday first), when the series
//!   spans a week and its step is at most a day;
//! - the trend: growth per month `e^(b · M) − 1` from the least-squares line `ln r = a + b t`
//!   through the points with `r > 0`, when the series spans at least two weeks; `M` is the mean
//!   Gregorian month, 365.2425 / 12 days.
//!
//! A link carries every figure exactly and the average day quantized to 12 bits of its peak (an
//! error of at most `peak / 8,190` per slot, which the page states); the series itself stays in
//! the browser.

pub mod import;
pub mod time;

use crate::choice::choice_enum;
use crate::math;
use crate::units::format_query_plain;

pub use import::{ImportOptions, Imported, import};

/// The longest step accepted: 31 days (a monthly count).
pub const MAX_STEP_S: f64 = 31.0 * 86_400.0;

/// The largest rate accepted, requests per second (a typo guard: 10^12 is a thousand times all
/// the web's requests).
pub const MAX_RATE: f64 = 1e12;

/// Seconds in a day.
pub const DAY_S: f64 = crate::SECONDS_PER_DAY;

/// The mean Gregorian month, seconds: 365.2425 / 12 days.
pub const MONTH_S: f64 = 365.2425 / 12.0 * DAY_S;

/// The shortest slot of the average day, seconds.
pub const MIN_SLOT_S: u32 = 300;

/// Levels of the quantized average day: 12 bits.
pub const LEVELS: u16 = 4_095;

choice_enum! {
    /// What a value of the file is.
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum ValueKind {
        /// Requests in the interval ending (or starting) at the timestamp: an ELB's `RequestCount`.
        #[default]
        Count = "count", "Requests per interval (a count)",
        /// Requests per second: Prometheus's `rate()`.
        Rate = "rate", "Requests per second (a rate)",
    }
}

impl ValueKind {
    /// A value of this kind as requests per second, for points `step` seconds apart.
    pub fn to_rate(self, value: f64, step: f64) -> f64 {
        match self {
            Self::Count => value / step,
            Self::Rate => value,
        }
    }
}

/// Why a file could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrafficError {
    /// Nothing but blank lines.
    #[error("the file is empty")]
    Empty,
    /// Past [`import::MAX_BYTES`].
    #[error("the file is {bytes} bytes; at most 16 MiB (16,777,216 bytes) are read")]
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Past [`import::MAX_POINTS`].
    #[error("the file has more than 1,000,000 points; import a shorter span or a longer step")]
    TooManyPoints,
    /// No row had a usable value.
    #[error("no row has a usable time and value{}", .first.as_ref().map(|f| format!("; {f}")).unwrap_or_default())]
    NothingUsable {
        /// The first skipped row, if any.
        first: Option<String>,
    },
    /// More rows skipped than kept.
    #[error("{skipped} of {rows} rows cannot be used (is this the right file or column?); {first}")]
    MostlyUnusable {
        /// Rows skipped.
        skipped: usize,
        /// Rows read.
        rows: usize,
        /// The first skipped row.
        first: String,
    },
    /// One point, or none after duplicates: no step can be seen.
    #[error("at least two points with different times are needed to see the step")]
    TooFewPoints,
    /// A plain column without a step, or a step out of range.
    #[error(
        "a column of numbers needs the step between them: give it in seconds (at most 31 days)"
    )]
    NoStep,
    /// JSON that does not parse.
    #[error("line {line}: not Prometheus query_range JSON: {message}")]
    Json {
        /// Line of the error.
        line: usize,
        /// serde_json's message.
        message: String,
    },
    /// JSON of another shape.
    #[error("not a Prometheus range query answer: {0}")]
    Prometheus(String),
    /// A rate past [`MAX_RATE`].
    #[error("a rate of {rate:e} requests/s is past 10^12: is the value column a count of bytes?")]
    TooHigh {
        /// The highest rate.
        rate: f64,
    },
    /// Every rate is zero: nothing to size from.
    #[error("every rate is zero: there is no traffic to size from")]
    AllZero,
}

/// A series of request rates: `rates[i]` requests per second at Unix time `times[i]`, sorted,
/// each time once, `step_seconds` the most common spacing.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Series {
    /// The most common difference between consecutive times, seconds.
    pub step_seconds: f64,
    /// Unix seconds, increasing.
    pub times: Vec<f64>,
    /// Requests per second, ≥ 0.
    pub rates: Vec<f64>,
}

impl Series {
    /// At most `max_points` points for drawing the series: consecutive points in buckets of
    /// `⌈n / max_points⌉`, each drawn as its highest rate at that point's time, in days from the
    /// first point, so every peak stays visible (the figures use every point, never these).
    pub fn drawn(&self, max_points: usize) -> Vec<(f64, f64)> {
        let start = self.times.first().copied().unwrap_or(0.0);
        let bucket = self.rates.len().div_ceil(max_points.max(1)).max(1);
        self.times
            .chunks(bucket)
            .zip(self.rates.chunks(bucket))
            .map(|(ts, rs)| {
                let (i, r) =
                    rs.iter()
                        .copied()
                        .enumerate()
                        .fold((0, f64::NEG_INFINITY), |best, (i, r)| {
                            if r > best.1 { (i, r) } else { best }
                        });
                ((ts[i] - start) / DAY_S, r)
            })
            .collect()
    }
}

/// The average day, quantized: `levels[i] / 4,095 × peak` requests per second in slot `i` of
/// `86,400 / levels.len()` seconds.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DayProfile {
    /// The highest slot mean, requests per second.
    pub peak: f64,
    /// Each slot as a share of `peak`, 0 to [`LEVELS`].
    pub levels: Vec<u16>,
}

impl DayProfile {
    /// Seconds per slot.
    pub fn slot_seconds(&self) -> f64 {
        DAY_S / self.levels.len() as f64
    }

    /// Requests per second in each slot.
    pub fn rates(&self) -> Vec<f64> {
        self.levels
            .iter()
            .map(|&q| f64::from(q) / f64::from(LEVELS) * self.peak)
            .collect()
    }

    /// The largest difference between a slot's rate here and its exact mean: half a level.
    pub fn quantization_error(&self) -> f64 {
        self.peak / (2.0 * f64::from(LEVELS))
    }

    /// The mean of the slots starting in each hour of the day.
    pub fn hourly(&self) -> [f64; 24] {
        let slot = self.slot_seconds();
        let (mut sum, mut count) = ([0.0; 24], [0u32; 24]);
        for (i, r) in self.rates().into_iter().enumerate() {
            let hour = ((i as f64 * slot) / 3_600.0).floor() as usize;
            sum[hour.min(23)] += r;
            count[hour.min(23)] += 1;
        }
        std::array::from_fn(|h| {
            if count[h] > 0 {
                sum[h] / f64::from(count[h])
            } else {
                0.0
            }
        })
    }
}

/// What a series says: the figures of the module's documentation. This is also what a link
/// carries, so a page opened from a link shows the same figures as the page that imported the file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Observed {
    /// Points in the series.
    pub points: u64,
    /// Seconds between points (the most common spacing).
    pub step_seconds: f64,
    /// Unix seconds of the first point.
    pub start: f64,
    /// Unix seconds of the last point.
    pub end: f64,
    /// Mean rate, requests per second.
    pub mean: f64,
    /// Median rate.
    pub p50: f64,
    /// 95th percentile rate.
    pub p95: f64,
    /// 99th percentile rate.
    pub p99: f64,
    /// Highest rate.
    pub max: f64,
    /// Growth per month from the log-linear fit (0.05 is 5%), when the span is two weeks or more.
    pub trend_per_month: Option<f64>,
    /// Mean rate per day of the week, Monday first, when the span is a week or more.
    pub week: Option<[f64; 7]>,
    /// The average day, when the span is a day or more and the step an hour or less.
    pub day: Option<DayProfile>,
}

/// The p-quantile (0 ≤ p ≤ 1) of `x` by numpy's linear method (see the module's documentation),
/// by selection rather than a full sort; `x` is reordered.
pub fn percentile(x: &mut [f64], p: f64) -> f64 {
    let n = x.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let (_, &mut below, above) = x.select_nth_unstable_by(lo, f64::total_cmp);
    let next = above
        .iter()
        .copied()
        .min_by(f64::total_cmp)
        .unwrap_or(below);
    // The rounded `next − below` may be a hair above the difference; never past `next`.
    (below + (h - lo as f64) * (next - below)).min(next)
}

/// The slot of the average day for a series `step` seconds apart: the smallest divisor of a
/// day at least `max(step, 300)` seconds, or `None` for a step over an hour.
pub fn day_slot(step: f64) -> Option<u32> {
    if step > 3_600.0 {
        return None;
    }
    let from = step.max(f64::from(MIN_SLOT_S)).ceil() as u32;
    (from..=3_600).find(|s| 86_400 % s == 0)
}

/// The figures of `series` (see the module's documentation).
///
/// # Errors
/// [`TrafficError::AllZero`] when every rate is zero, [`TrafficError::TooFewPoints`] for an
/// empty series.
pub fn analyze(series: &Series) -> Result<Observed, TrafficError> {
    let rates = &series.rates;
    let n = rates.len();
    if n == 0 {
        return Err(TrafficError::TooFewPoints);
    }
    let step = series.step_seconds;
    let start = series.times[0];
    let end = series.times[n - 1];
    let mut sorted = rates.clone();
    let p50 = percentile(&mut sorted, 0.50);
    let p95 = percentile(&mut sorted, 0.95);
    let p99 = percentile(&mut sorted, 0.99);
    let max = sorted.iter().copied().fold(0.0, f64::max);
    if max > MAX_RATE {
        return Err(TrafficError::TooHigh { rate: max });
    }
    // A sum of n equal rates can round a hair above n times the rate: the mean never exceeds
    // the max.
    let mean = (rates.iter().sum::<f64>() / n as f64).min(max);
    if mean <= 0.0 {
        return Err(TrafficError::AllZero);
    }
    let span = end - start + step;

    let day = (span >= DAY_S)
        .then(|| day_slot(step))
        .flatten()
        .map(|slot| average_day(series, slot));
    let week = (span >= 7.0 * DAY_S && step <= DAY_S)
        .then(|| average_week(series))
        .flatten();
    // A fit that claims more than a millionfold a month is noise on a flat series; no trend.
    let trend_per_month = (span >= 14.0 * DAY_S)
        .then(|| trend(series))
        .flatten()
        .filter(|g| g.is_finite() && *g > -1.0 && *g <= 1e6);
    Ok(Observed {
        points: n as u64,
        step_seconds: step,
        start,
        end,
        mean,
        p50,
        p95,
        p99,
        max,
        trend_per_month,
        week,
        day,
    })
}

/// Mean rate per slot of the day; a slot no point falls in takes the previous slot's mean.
fn average_day(series: &Series, slot: u32) -> DayProfile {
    let slots = (86_400 / slot) as usize;
    let (mut sum, mut count) = (vec![0.0; slots], vec![0u32; slots]);
    for (&t, &r) in series.times.iter().zip(&series.rates) {
        let i = (time::second_of_day(t) / f64::from(slot)).floor() as usize;
        sum[i.min(slots - 1)] += r;
        count[i.min(slots - 1)] += 1;
    }
    let mut means: Vec<Option<f64>> = sum
        .iter()
        .zip(&count)
        .map(|(&s, &c)| (c > 0).then(|| s / f64::from(c)))
        .collect();
    // Fill empty slots from the previous one, around the clock.
    if let Some(first) = means.iter().position(Option::is_some) {
        for k in 1..=slots {
            let i = (first + k) % slots;
            if means[i].is_none() {
                means[i] = means[(i + slots - 1) % slots];
            }
        }
    }
    let exact: Vec<f64> = means.into_iter().map(|m| m.unwrap_or(0.0)).collect();
    let peak = exact.iter().copied().fold(0.0, f64::max);
    let levels = exact
        .iter()
        .map(|&r| {
            if peak > 0.0 {
                (r / peak * f64::from(LEVELS)).round() as u16
            } else {
                0
            }
        })
        .collect();
    DayProfile { peak, levels }
}

fn average_week(series: &Series) -> Option<[f64; 7]> {
    let (mut sum, mut count) = ([0.0; 7], [0u64; 7]);
    for (&t, &r) in series.times.iter().zip(&series.rates) {
        let d = time::weekday(t);
        sum[d] += r;
        count[d] += 1;
    }
    count
        .iter()
        .all(|&c| c > 0)
        .then(|| std::array::from_fn(|d| sum[d] / count[d] as f64))
}

/// Growth per month from the least-squares line through `(t, ln r)` for `r > 0`, times centred
/// on their mean for precision.
fn trend(series: &Series) -> Option<f64> {
    let pts: Vec<(f64, f64)> = series
        .times
        .iter()
        .zip(&series.rates)
        .filter(|&(_, &r)| r > 0.0)
        .map(|(&t, &r)| (t, math::ln(r)))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let t_mean = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let y_mean = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(t, y) in &pts {
        sxy += (t - t_mean) * (y - y_mean);
        sxx += (t - t_mean) * (t - t_mean);
    }
    (sxx > 0.0).then(|| math::exp_m1(sxy / sxx * MONTH_S))
}

impl Observed {
    /// `max / mean`.
    pub fn peak_factor(&self) -> f64 {
        self.max / self.mean
    }

    /// `p99 / mean`.
    pub fn p99_factor(&self) -> f64 {
        self.p99 / self.mean
    }

    /// The hour of the day (UTC) with the highest mean, from the average day.
    pub fn busiest_hour(&self) -> Option<usize> {
        self.day.as_ref().map(|d| argmax(&d.hourly()))
    }

    /// Each weekday's mean over the mean of the seven, Monday first: `f_d = w_d / (Σ w / 7)`,
    /// the factors by which a week's replay scales the average day (they average 1). `None`
    /// without an average week, or when it is all zero.
    pub fn week_factors(&self) -> Option<[f64; 7]> {
        let w = self.week.as_ref()?;
        let mean = w.iter().sum::<f64>() / 7.0;
        (mean > 0.0).then(|| w.map(|x| x / mean))
    }

    /// The day of the week (0 = Monday, UTC) with the highest mean.
    pub fn busiest_day(&self) -> Option<usize> {
        self.week.as_ref().map(|w| argmax(w))
    }

    /// The compact text a link carries: see [`Observed::from_text`].
    pub fn to_text(&self) -> String {
        let num = |x: f64| format_query_plain(x);
        let mut parts = vec![
            "o1".to_string(),
            self.points.to_string(),
            num(self.step_seconds),
            num(self.start),
            num(self.end),
            num(self.mean),
            num(self.p50),
            num(self.p95),
            num(self.p99),
            num(self.max),
            self.trend_per_month.map(num).unwrap_or_default(),
        ];
        match &self.week {
            Some(w) => parts.extend(w.iter().map(|&x| num(x))),
            None => parts.push("-".into()),
        }
        match &self.day {
            Some(d) => {
                parts.push(num(d.peak));
                parts.push(encode_levels(&d.levels));
            }
            None => parts.push("-".into()),
        }
        parts.join("*")
    }

    /// Reads [`Observed::to_text`]: `o1*points*step*start*end*mean*p50*p95*p99*max*trend*week*day`,
    /// `*`-separated; the week is seven numbers or `-`, the day its peak and its levels (two
    /// base64url characters of 12 bits each) or `-`. Every figure is checked as
    /// [`analyze`] would produce it.
    ///
    /// # Errors
    /// A message naming the part that is wrong.
    pub fn from_text(text: &str) -> Result<Self, String> {
        let mut it = text.split('*');
        if it.next() != Some("o1") {
            return Err("is not observed traffic (it starts with o1*)".into());
        }
        let mut next = |what: &str| it.next().ok_or_else(|| format!("ends before its {what}"));
        let rate = |what: &str, s: &str| -> Result<f64, String> {
            s.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && (0.0..=MAX_RATE).contains(x))
                .ok_or_else(|| format!("has a {what} that is not a rate in [0, 1e12]: {s:?}"))
        };
        let points: u64 = next("points")?
            .parse()
            .ok()
            .filter(|&p| (1..=import::MAX_POINTS as u64).contains(&p))
            .ok_or("has a point count outside 1 to 1,000,000")?;
        let step: f64 = next("step")?
            .parse()
            .ok()
            .filter(|&s: &f64| s > 0.0 && s <= MAX_STEP_S)
            .ok_or("has a step outside (0, 31 days]")?;
        let time = |s: &str| -> Result<f64, String> {
            s.parse::<f64>()
                .ok()
                .filter(|t| t.is_finite() && t.abs() < time::MAX_UNIX_S)
                .ok_or_else(|| format!("has a time that is not Unix seconds: {s:?}"))
        };
        let start = time(next("start")?)?;
        let end = time(next("end")?)?;
        let mean = rate("mean", next("mean")?)?;
        let p50 = rate("p50", next("p50")?)?;
        let p95 = rate("p95", next("p95")?)?;
        let p99 = rate("p99", next("p99")?)?;
        let max = rate("max", next("max")?)?;
        if !(start <= end && p50 <= p95 && p95 <= p99 && p99 <= max && mean <= max && mean > 0.0) {
            return Err(
                "has figures out of order (start ≤ end, 0 < mean ≤ max, p50 ≤ p95 ≤ p99 ≤ max)"
                    .into(),
            );
        }
        let trend_text = next("trend")?;
        let trend_per_month = if trend_text.is_empty() {
            None
        } else {
            Some(
                trend_text
                    .parse::<f64>()
                    .ok()
                    .filter(|g| g.is_finite() && *g > -1.0 && *g <= 1e6)
                    .ok_or("has a trend that is not a growth above -100%")?,
            )
        };
        let first = next("week")?;
        let week = if first == "-" {
            None
        } else {
            let mut w = [rate("weekday", first)?; 7];
            for slot in w.iter_mut().skip(1) {
                *slot = rate("weekday", next("week")?)?;
            }
            Some(w)
        };
        let peak_text = next("day")?;
        let day = if peak_text == "-" {
            None
        } else {
            let peak = rate("day peak", peak_text)?;
            let levels = decode_levels(next("day")?)?;
            if levels.is_empty()
                || 86_400 % levels.len() != 0
                || levels.len() > 288
                || levels.len() < 24
            {
                return Err(
                    "has an average day whose slots do not divide the day into 24 to 288".into(),
                );
            }
            Some(DayProfile { peak, levels })
        };
        if it.next().is_some() {
            return Err("has more parts than observed traffic carries".into());
        }
        Ok(Self {
            points,
            step_seconds: step,
            start,
            end,
            mean,
            p50,
            p95,
            p99,
            max,
            trend_per_month,
            week,
            day,
        })
    }
}

fn argmax(x: &[f64]) -> usize {
    x.iter()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |best, (i, &v)| {
            if v > best.1 { (i, v) } else { best }
        })
        .0
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_levels(levels: &[u16]) -> String {
    let mut out = String::with_capacity(levels.len() * 2);
    for &q in levels {
        out.push(B64[usize::from(q >> 6) & 63] as char);
        out.push(B64[usize::from(q) & 63] as char);
    }
    out
}

fn decode_levels(text: &str) -> Result<Vec<u16>, String> {
    let digit = |b: u8| B64.iter().position(|&c| c == b).map(|d| d as u16);
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err("has an average day of an odd length".into());
    }
    bytes
        .chunks(2)
        .map(|pair| {
            let (Some(hi), Some(lo)) = (digit(pair[0]), digit(pair[1])) else {
                return Err("has an average day with a character outside base64url".to_string());
            };
            // Two 6-bit digits: at most 4,095, the top level.
            Ok(hi << 6 | lo)
        })
        .collect()
}

#[cfg(test)]
mod tests;
