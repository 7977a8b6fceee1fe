//! Availability: downtime budgets, nines, composite availability of redundant tiers, and error
//! budgets (the chapter's section 9, "High Availability Patterns").
//!
//! Every figure depends on how long a year and a month are, so the time convention is an explicit,
//! serializable [`Convention`] rather than a constant hidden in a formula. The default is the one the
//! chapter's table uses: a 365-day year and a month of a twelfth of it (730 hours).
//!
//! The module is split in five files:
//! - here: the validated [`Availability`], downtime per period, nines and the [`nines_table`];
//! - `convention`: [`Convention`], [`YearLength`], [`MonthLength`] and [`Period`];
//! - `redundancy`: [`Tier`], [`Redundancy`] (k-of-n and active-passive) and tiers in series;
//! - `codec`: the compact text form of a chain of tiers ([`parse_tiers`], [`format_tiers`]);
//! - `budget`: error budgets and burn rates ([`error_budget`], [`burn_rate`]).

use serde::{Deserialize, Serialize};

use crate::units::format_message_number;

mod budget;
mod codec;
mod convention;
mod curves;
mod redundancy;

pub use budget::{
    ErrorBudget, budget_consumed_fraction, burn_rate, error_budget, time_to_exhaust_seconds,
};
pub use codec::{MAX_TIERS, MAX_TIERS_TEXT_LEN, format_tiers, parse_tiers};
pub use convention::{Convention, MonthLength, Period, YearLength};
pub use curves::{CHART_MAX_REPLICAS, nines_by_replicas};
pub use redundancy::{
    MAX_DURATION_SECONDS, MAX_REPLICAS, MAX_TIER_NAME_LEN, Redundancy, Tier, series_availability,
    series_unavailability, tier_availability, tier_unavailability,
};

/// Longest piece of user text an error message quotes, so that a hostile query value cannot make
/// an error message arbitrarily large.
const MAX_QUOTED_CHARS: usize = 40;

/// Quotes at most [`MAX_QUOTED_CHARS`] characters of `text` for an error message.
fn quote(text: &str) -> String {
    let mut quoted: String = text.chars().take(MAX_QUOTED_CHARS).collect();
    if text.chars().nth(MAX_QUOTED_CHARS).is_some() {
        quoted.push('…');
    }
    quoted
}

/// Everything that can go wrong in the availability calculator.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AvailabilityError {
    /// An availability given as a percent is not a number between 0 and 100.
    #[error("availability must be between 0% and 100%, got {}%", format_message_number(*.0))]
    PercentOutOfRange(f64),
    /// An availability given as a fraction is not a number between 0 and 1.
    #[error("availability must be a fraction between 0 and 1, got {}", format_message_number(*.0))]
    FractionOutOfRange(f64),
    /// A downtime is negative, not a number, or longer than the period it is spent in.
    #[error("downtime must be between 0 s and the period's {} s, got {} s", format_message_number(*.period_seconds), format_message_number(*.downtime_seconds))]
    DowntimeOutOfRange {
        /// The downtime given, in seconds.
        downtime_seconds: f64,
        /// The length of the period, in seconds.
        period_seconds: f64,
    },
    /// A replica count `n` is 0 or above [`MAX_REPLICAS`].
    #[error("replica count must be between 1 and {MAX_REPLICAS}, got {n}")]
    ReplicaCount {
        /// The replica count given.
        n: u32,
    },
    /// The number of replicas that must be up, `k`, is 0 or greater than the replica count `n`.
    #[error("replicas that must be up must be between 1 and the replica count {n}, got {k}")]
    RequiredReplicas {
        /// The required count given.
        k: u32,
        /// The replica count.
        n: u32,
    },
    /// A duration is negative, not a number, or above [`MAX_DURATION_SECONDS`].
    #[error("{quantity} must be between 0 s and {MAX_DURATION_SECONDS} s, got {} s", format_message_number(*.seconds))]
    Duration {
        /// What the duration is ("failover time", "repair time", "outage").
        quantity: &'static str,
        /// The value given, in seconds.
        seconds: f64,
    },
    /// A mean time to repair of zero: repairs take time, and the active-passive model divides by it.
    #[error("repair time must be greater than 0 s")]
    ZeroRepairTime,
    /// A tier name is empty, too long, or has characters outside `a-z`, `0-9`, `_` and `-`.
    #[error(
        "tier name must be 1 to {MAX_TIER_NAME_LEN} characters from a-z, 0-9, `_` and `-`, got `{name}`"
    )]
    TierName {
        /// The name given (shortened if long).
        name: String,
    },
    /// A chain has more than [`MAX_TIERS`] tiers.
    #[error("a chain may have at most {MAX_TIERS} tiers, got {count}")]
    TooManyTiers {
        /// The number of tiers given.
        count: usize,
    },
    /// The text form of a chain of tiers is longer than [`MAX_TIERS_TEXT_LEN`] bytes.
    #[error("the tiers text may be at most {MAX_TIERS_TEXT_LEN} bytes long, got {len}")]
    TiersTextTooLong {
        /// The length given, in bytes.
        len: usize,
    },
    /// One tier of the text form could not be read.
    #[error("tier {position} (`{text}`): {reason}")]
    TierSyntax {
        /// Position of the tier in the chain, counting from 1.
        position: usize,
        /// The tier's text (shortened if long).
        text: String,
        /// What is wrong, and the form expected.
        reason: &'static str,
    },
    /// An observed error ratio is not a number between 0 and 1.
    #[error("error ratio must be a fraction between 0 and 1, got {}", format_message_number(*.0))]
    ErrorRatioOutOfRange(f64),
    /// A target of 100% leaves no error budget, so shares of it and burn rates are undefined.
    #[error("a 100% target leaves no error budget; choose a target below 100%")]
    NoErrorBudget,
    /// A burn rate is not a positive, finite number.
    #[error("burn rate must be a finite number greater than 0, got {0}")]
    BurnRate(f64),
}

/// The share of time a system (or one replica) is up: a fraction in `[0, 1]`.
///
/// Serialized as the fraction (`0.999`), and checked again when deserialized.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Availability {
    fraction: f64,
}

impl Availability {
    /// An availability from a fraction, `0.999` for three nines.
    ///
    /// # Errors
    /// [`AvailabilityError::FractionOutOfRange`] unless `0 <= fraction <= 1`.
    pub fn from_fraction(fraction: f64) -> Result<Self, AvailabilityError> {
        if (0.0..=1.0).contains(&fraction) {
            Ok(Self { fraction })
        } else {
            Err(AvailabilityError::FractionOutOfRange(fraction))
        }
    }

    /// An availability from a percent, `99.9` for three nines.
    ///
    /// # Errors
    /// [`AvailabilityError::PercentOutOfRange`] unless `0 <= percent <= 100`.
    ///
    /// # Examples
    /// ```
    /// use headroom::availability::Availability;
    /// let three_nines = Availability::from_percent(99.9)?;
    /// assert!((three_nines.nines() - 3.0).abs() < 1e-9);
    /// # Ok::<(), headroom::availability::AvailabilityError>(())
    /// ```
    pub fn from_percent(percent: f64) -> Result<Self, AvailabilityError> {
        if (0.0..=100.0).contains(&percent) {
            Ok(Self {
                fraction: shift_decimal_point(percent, -2).clamp(0.0, 1.0),
            })
        } else {
            Err(AvailabilityError::PercentOutOfRange(percent))
        }
    }

    /// The availability as a fraction in `[0, 1]`.
    pub fn fraction(self) -> f64 {
        self.fraction
    }

    /// The availability as a percent in `[0, 100]`.
    pub fn percent(self) -> f64 {
        shift_decimal_point(self.fraction, 2).clamp(0.0, 100.0)
    }

    /// The unavailability `1 - A`, the share of time down.
    pub fn unavailability(self) -> f64 {
        decimal_complement(self.fraction)
    }

    /// The number of nines: 3 for 99.9%, about 3.3 for 99.95%, `+∞` for 100%.
    ///
    /// # Formula
    /// ```text
    /// nines = -log10(1 - A)      A = availability as a fraction
    /// ```
    /// (the usual "count of nines", e.g. Google SRE Book, ch. 3 "Embracing Risk").
    pub fn nines(self) -> f64 {
        -crate::math::log10(self.unavailability())
    }

    /// Downtime allowed in one `period`, in seconds.
    ///
    /// # Formula
    /// ```text
    /// downtime = (1 - A) × T     A = availability as a fraction
    ///                            T = length of the period in seconds (Convention::seconds)
    /// ```
    pub fn downtime_seconds(self, period: Period, convention: &Convention) -> f64 {
        self.unavailability() * convention.seconds(period)
    }
}

/// `value × 10^exponent`, rounded once from the shortest decimal that denotes `value`, so that
/// 99.99% becomes the fraction written `0.9999` (`99.99 / 100` is `0.9998999999999999`).
fn shift_decimal_point(value: f64, exponent: i32) -> f64 {
    format!("{value}e{exponent}")
        .parse::<f64>()
        .unwrap_or(value * 10f64.powi(exponent))
}

/// `1 − x` for x in [0, 1], computed exactly on the shortest decimal that denotes `x` and then
/// rounded once, so that 1 − 0.9999 is the double nearest 0.0001 (binary `1.0 - 0.9999` is
/// `9.999999999998899e-5`: 0.9999's own rounding error, 1e-17, is 1e-13 of the difference, and
/// it showed as `"nines": 3.999999999999778`).
fn decimal_complement(x: f64) -> f64 {
    // `{:e}` writes the shortest round-trip digits: d.ddd…e−N.
    let text = format!("{x:e}");
    let exact = text.split_once('e').and_then(|(mantissa, exponent)| {
        let exponent: i64 = exponent.parse().ok()?;
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        // x = digits × 10^−places.
        let places = i64::try_from(digits.len()).ok()? - 1 - exponent;
        if !(0..=38).contains(&places) {
            return None;
        }
        let one = 10u128.checked_pow(u32::try_from(places).ok()?)?;
        let complement = one.checked_sub(digits.parse::<u128>().ok()?)?;
        format!("{complement}e-{places}").parse::<f64>().ok()
    });
    // Outside 38 places (x below 1e-21 or so) 1 − x rounds to 1 either way.
    exact.unwrap_or(1.0 - x)
}

/// `(100 − P) / 100`, the unavailability of a target of `percent`, computed on the decimal that
/// denotes it (see [`decimal_complement`]): 99.99% gives exactly the double nearest 0.0001.
pub(crate) fn unavailability_of_percent(percent: f64) -> f64 {
    decimal_complement(shift_decimal_point(percent, -2))
}

impl TryFrom<f64> for Availability {
    type Error = AvailabilityError;

    fn try_from(fraction: f64) -> Result<Self, Self::Error> {
        Self::from_fraction(fraction)
    }
}

impl From<Availability> for f64 {
    fn from(availability: Availability) -> f64 {
        availability.fraction
    }
}

/// Downtime allowed in one `period` by an availability target, in seconds.
///
/// # Formula
/// ```text
/// downtime = (100 - P) / 100 × T     P = target in percent
///                                    T = length of the period in seconds (Convention::seconds)
/// ```
/// `100 - P` is worked out on the decimal digits of P, so a target like 99.999% leaves exactly
/// the double nearest 0.001% (binary subtraction would keep 99.999's rounding error).
///
/// # Errors
/// [`AvailabilityError::PercentOutOfRange`] unless `0 <= target_percent <= 100`.
///
/// # Examples
/// ```
/// use headroom::availability::{Convention, Period, downtime_seconds};
/// // The chapter, section 9: 99.9% allows 8.76 hours a year and 43.8 minutes a month.
/// let year = downtime_seconds(99.9, Period::Year, &Convention::default())?;
/// assert!((year / 3600.0 - 8.76).abs() < 1e-9);
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn downtime_seconds(
    target_percent: f64,
    period: Period,
    convention: &Convention,
) -> Result<f64, AvailabilityError> {
    if !(0.0..=100.0).contains(&target_percent) {
        return Err(AvailabilityError::PercentOutOfRange(target_percent));
    }
    Ok(unavailability_of_percent(target_percent) * convention.seconds(period))
}

/// The availability target, in percent, that allows exactly `downtime_seconds` of downtime per
/// `period`: the inverse of [`downtime_seconds`].
///
/// # Formula
/// ```text
/// P = 100 - 100 × d / T     d = downtime in seconds
///                           T = length of the period in seconds (Convention::seconds)
/// ```
///
/// # Errors
/// [`AvailabilityError::DowntimeOutOfRange`] unless `0 <= downtime_seconds <= T`.
///
/// # Examples
/// ```
/// use headroom::availability::{Convention, Period, target_from_downtime};
/// // 43.8 minutes down in a 730-hour month is 99.9%.
/// let target = target_from_downtime(43.8 * 60.0, Period::Month, &Convention::default())?;
/// assert!((target - 99.9).abs() < 1e-9);
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn target_from_downtime(
    downtime_seconds: f64,
    period: Period,
    convention: &Convention,
) -> Result<f64, AvailabilityError> {
    let period_seconds = convention.seconds(period);
    if !(0.0..=period_seconds).contains(&downtime_seconds) {
        return Err(AvailabilityError::DowntimeOutOfRange {
            downtime_seconds,
            period_seconds,
        });
    }
    Ok(100.0 - 100.0 * downtime_seconds / period_seconds)
}

/// The number of nines of an availability given in percent: 3 for 99.9%, `+∞` for 100%.
///
/// # Formula
/// ```text
/// nines = -log10((100 - P) / 100)     P = availability in percent
/// ```
///
/// # Errors
/// [`AvailabilityError::PercentOutOfRange`] unless `0 <= percent <= 100`.
///
/// # Examples
/// ```
/// use headroom::availability::nines;
/// assert!((nines(99.99)? - 4.0).abs() < 1e-9);
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn nines(percent: f64) -> Result<f64, AvailabilityError> {
    if !(0.0..=100.0).contains(&percent) {
        return Err(AvailabilityError::PercentOutOfRange(percent));
    }
    Ok(-crate::math::log10(unavailability_of_percent(percent)))
}

/// Downtime allowed by one target in every [`Period`], in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DowntimeBudget {
    /// Downtime per year, seconds.
    pub year: f64,
    /// Downtime per quarter (a quarter of the year), seconds.
    pub quarter: f64,
    /// Downtime per month, seconds.
    pub month: f64,
    /// Downtime per week, seconds.
    pub week: f64,
    /// Downtime per day, seconds.
    pub day: f64,
}

impl DowntimeBudget {
    /// The downtime per `period`, in seconds.
    pub fn get(&self, period: Period) -> f64 {
        match period {
            Period::Year => self.year,
            Period::Quarter => self.quarter,
            Period::Month => self.month,
            Period::Week => self.week,
            Period::Day => self.day,
        }
    }
}

/// Downtime allowed by `target_percent` in every period, each computed by [`downtime_seconds`].
///
/// # Errors
/// [`AvailabilityError::PercentOutOfRange`] unless `0 <= target_percent <= 100`.
///
/// # Examples
/// ```
/// use headroom::availability::{Convention, downtime_budget};
/// let budget = downtime_budget(99.99, &Convention::default())?;
/// assert!((budget.year / 60.0 - 52.56).abs() < 1e-9); // minutes a year
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn downtime_budget(
    target_percent: f64,
    convention: &Convention,
) -> Result<DowntimeBudget, AvailabilityError> {
    if !(0.0..=100.0).contains(&target_percent) {
        return Err(AvailabilityError::PercentOutOfRange(target_percent));
    }
    // The same U × T as downtime_seconds, with U worked out once.
    Ok(downtime_from_unavailability(
        unavailability_of_percent(target_percent),
        convention,
    ))
}

/// Downtime in every period of a system whose unavailability (1 − A, a fraction) is
/// `unavailability`: the budget of [`downtime_budget`] without going through a percentage, which
/// would round a tiny 1 − A away.
///
/// # Formula
/// ```text
/// downtime = U × T     U = unavailability, T = length of the period in seconds
/// ```
pub fn downtime_from_unavailability(
    unavailability: f64,
    convention: &Convention,
) -> DowntimeBudget {
    let per = |period| unavailability * convention.seconds(period);
    DowntimeBudget {
        year: per(Period::Year),
        quarter: per(Period::Quarter),
        month: per(Period::Month),
        week: per(Period::Week),
        day: per(Period::Day),
    }
}

/// One row of the [`nines_table`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NinesRow {
    /// The availability target, percent.
    pub percent: f64,
    /// Its number of nines (see [`nines`]).
    pub nines: f64,
    /// Downtime it allows in every period, seconds.
    pub downtime: DowntimeBudget,
}

/// The targets of the [`nines_table`]: the chapter's four, plus 99.5% and 99.95%, which are common
/// SLA levels between them.
pub const NINES_TABLE_PERCENTS: [f64; 6] = [99.0, 99.5, 99.9, 99.95, 99.99, 99.999];

/// The chapter's "Availability Targets" table (section 9), corrected, in the given convention.
///
/// What the chapter's table got wrong:
/// - Its "Uptime/Year" column holds *downtime* per year (3.65 days, 8.76 hours, 52.6 minutes,
///   5.26 minutes). Uptime per year would be 361.35 days at 99%.
/// - Its "Downtime/Year" column holds, for 99.9%, 99.99% and 99.999%, downtime per *month* of
///   730 hours (a twelfth of a 365-day year): 43.8 minutes, 4.38 minutes, 26.3 seconds.
/// - In the 99% row that column holds 87.6 hours, which is not a month's figure but the year's
///   again: 3.65 days × 24 h = 87.6 h. The month figure is 7.3 hours (730 h × 1%), or 7.2 hours in
///   a 30-day month. So the 99% row states the yearly downtime twice in two units, while the other
///   rows state yearly then monthly downtime.
/// - It rounds 52.56 minutes to 52.6, 5.256 minutes to 5.26 and 26.28 seconds to 26.3.
///
/// This table states downtime per year, quarter, month, week and day, each labelled, for the
/// targets in [`NINES_TABLE_PERCENTS`].
///
/// # Formula
/// Each cell is [`downtime_seconds`]`(P, period, convention)`; `nines` is [`nines`]`(P)`.
///
/// # Examples
/// ```
/// use headroom::availability::{Convention, nines_table};
/// let table = nines_table(&Convention::default());
/// let three_nines = table.iter().find(|row| row.percent == 99.9).unwrap();
/// assert!((three_nines.downtime.month / 60.0 - 43.8).abs() < 1e-9);
/// ```
pub fn nines_table(convention: &Convention) -> Vec<NinesRow> {
    NINES_TABLE_PERCENTS
        .iter()
        .filter_map(|&percent| {
            Some(NinesRow {
                percent,
                nines: nines(percent).ok()?,
                downtime: downtime_budget(percent, convention).ok()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
