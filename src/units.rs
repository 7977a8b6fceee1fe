//! Parsing and formatting the quantities a person types: `100M`, `1.5k`, `500 B`, `2 KiB`,
//! `9.1 TB`, `200ms`, `1 h 30 min`, `99.99%`, `4 nines`, `70%`, `$0.0416`.
//!
//! Every parser trims whitespace, accepts thousands separators (`1,000,000`, `1_000_000`) and
//! scientific notation (`2.5e6`), returns a typed [`UnitError`] and never panics. Suffixes are
//! case-insensitive where that is unambiguous; bytes need a capital `B`, because `Gb` is gigabits.
//!
//! A suffix is applied in decimal, not by multiplying floats: `"1.005k"` is read as the decimal
//! `1005` and rounded once, so it is exactly `1005.0` (`1.005 * 1000.0` is `1004.9999999999999`).
//! That is what lets [`format_query_number`] round-trip exactly through [`parse_count`].

mod decimal;
mod format;

use decimal::{Literal, Scale};
pub use format::{
    format_availability, format_bytes, format_bytes_per_second, format_count, format_duration,
    format_message_number, format_number, format_percent, format_query_number, format_query_plain,
    format_share, format_si, format_usd,
};

/// Why a typed quantity could not be read.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UnitError {
    /// Nothing was typed (or only whitespace).
    #[error("no value given: enter a number")]
    Empty,
    /// The text does not start with a number (`"12x"` has a number but is not one, for
    /// [`parse_number`]).
    #[error("{input:?} is not a number")]
    NotANumber {
        /// The text as typed, cut to 40 characters.
        input: String,
    },
    /// `NaN`, `inf`, `infinity` or `∞` was typed.
    #[error("must be a finite number, not NaN or infinity")]
    NotFinite,
    /// A finite-looking number that is too large for `f64` (`1e400`), alone or with its unit.
    #[error("is too large: numbers must stay below about 1.8e308")]
    Overflow,
    /// A negative value where only non-negative ones make sense.
    #[error("must not be negative, got {}", format_query_plain(*.value))]
    Negative {
        /// The value read, in the parser's unit.
        value: f64,
    },
    /// The unit after the number is not one this field accepts (empty when a unit is missing).
    #[error("{}", unknown_unit_message(.unit, .expected))]
    UnknownUnit {
        /// The unit as typed, cut to 40 characters.
        unit: String,
        /// The units this field accepts, for the message.
        expected: &'static str,
    },
    /// A value outside the range the field accepts (percents, fractions, nines).
    #[error("{}", out_of_range_message(*.value, *.min, *.max))]
    OutOfRange {
        /// The value read, in the unit the person typed (percent for `150%`).
        value: f64,
        /// The smallest accepted value.
        min: f64,
        /// The largest accepted value.
        max: f64,
    },
}

/// [`UnitError::UnknownUnit`]'s message.
fn unknown_unit_message(unit: &str, expected: &str) -> String {
    if unit.is_empty() {
        format!("missing unit: use {expected}")
    } else {
        format!("unknown unit {unit:?}: use {expected}")
    }
}

/// [`UnitError::OutOfRange`]'s message.
fn out_of_range_message(value: f64, min: f64, max: f64) -> String {
    let [value_text, min_text, max_text] = [value, min, max].map(format_query_plain);
    let mut message = format!("must be between {min_text} and {max_text}, got {value_text}");
    // A bare 70 in a 0-1 field is almost always a percent typed without its sign.
    if min == 0.0 && max == 1.0 && value > 1.0 && value <= 100.0 {
        // The decimal point moved in the text: 1.1 / 100 in binary is 0.011000000000000001.
        let fraction = format!("{value_text}e-2")
            .parse::<f64>()
            .map_or_else(|_| format_message_number(value / 100.0), format_query_plain);
        message.push_str(&format!(
            " (for {value_text}% write {fraction} or {value_text}%)"
        ));
    }
    message
}

/// How much of a hostile value an error echoes back.
const ECHO_CHARS: usize = 40;

/// `text` cut to [`ECHO_CHARS`] characters, the last one `…` when cut.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(ECHO_CHARS - 1) {
        Some((cut, _)) if text.chars().nth(ECHO_CHARS).is_some() => {
            format!("{}…", text.get(..cut).unwrap_or_default())
        }
        _ => text.to_owned(),
    }
}

/// The units [`parse_count`] accepts, for its error message.
const COUNT_UNITS: &str = "k, M, G (or B, bn), T, P, or thousand, million, billion, trillion";
/// The units [`parse_bytes`] accepts, for its error message.
const BYTE_UNITS: &str =
    "B, kB, MB, GB, TB, PB, EB, ZB, YB, KiB, MiB, GiB, TiB, PiB, EiB (a capital B: b is bits)";
/// The units [`parse_duration`] accepts, for its error message.
const DURATION_UNITS: &str = "ns, µs (or us), ms, s, min (or m), h, d, w";
/// The units [`parse_percent`] accepts, for its error message.
const PERCENT_UNITS: &str = "% (\"99.9%\") or nines (\"3 nines\")";
/// The units [`parse_fraction`] accepts, for its error message.
const FRACTION_UNITS: &str = "a fraction (\"0.7\") or a percent (\"70%\")";
/// The units [`parse_usd`] accepts, for its error message.
const USD_UNITS: &str = "$ or USD, and k, M, B (\"$0.0416\", \"5 USD\", \"$1.5k\")";

/// Reads `number [unit]` with `scale_of` mapping the unit to its size.
fn parse_scaled(
    s: &str,
    expected: &'static str,
    scale_of: fn(&str) -> Option<Scale>,
) -> Result<f64, UnitError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(UnitError::Empty);
    }
    let (literal, unit) = Literal::split(text, text)?;
    let scale = scale_of(unit).ok_or_else(|| UnitError::UnknownUnit {
        unit: shortened(unit),
        expected,
    })?;
    literal.scaled(scale)
}

/// `value`, unless it is negative; `-0` becomes `0`.
fn non_negative(value: f64) -> Result<f64, UnitError> {
    if value < 0.0 {
        Err(UnitError::Negative { value })
    } else {
        Ok(value.abs())
    }
}

/// `value`, unless it is outside `[min, max]`; `-0` becomes `0`.
fn in_range(value: f64, min: f64, max: f64) -> Result<f64, UnitError> {
    if (min..=max).contains(&value) {
        Ok(value + 0.0)
    } else {
        Err(UnitError::OutOfRange { value, min, max })
    }
}

/// Reads a plain signed number without a unit: `-3.5`, `1,000`, `2.5e6`.
///
/// # Errors
/// [`UnitError::Empty`], [`UnitError::NotANumber`] (also for a trailing unit),
/// [`UnitError::NotFinite`], [`UnitError::Overflow`].
///
/// # Examples
/// ```
/// use headroom::units::parse_number;
/// assert_eq!(parse_number(" -1,234.5 "), Ok(-1234.5));
/// assert_eq!(parse_number("2.5e6"), Ok(2_500_000.0));
/// assert!(parse_number("12x").is_err());
/// ```
pub fn parse_number(s: &str) -> Result<f64, UnitError> {
    parse_scaled(s, "", |unit| unit.is_empty().then_some(Scale::ONE)).map_err(|error| match error {
        UnitError::UnknownUnit { .. } => UnitError::NotANumber {
            input: shortened(s.trim()),
        },
        other => other,
    })
}

/// Reads a non-negative count: `100M`, `1.5k`, `2.5e6`, `1,000,000`, `3 billion`.
///
/// # Formula
/// ```text
/// count = n × 10^k,  k = 3 (k, thousand), 6 (M, million), 9 (G, B, bn, billion),
///                        12 (T, trillion), 15 (P)
/// n     = the number typed. B is the English "billion" here; in parse_bytes it is bytes.
/// ```
///
/// # Errors
/// As [`parse_number`], plus [`UnitError::UnknownUnit`] and [`UnitError::Negative`].
///
/// # Examples
/// ```
/// use headroom::units::parse_count;
/// assert_eq!(parse_count("100M"), Ok(100e6));
/// assert_eq!(parse_count("1.5k"), Ok(1500.0));
/// assert_eq!(parse_count("2 billion"), Ok(2e9));
/// ```
pub fn parse_count(s: &str) -> Result<f64, UnitError> {
    non_negative(parse_scaled(s, COUNT_UNITS, count_scale)?)
}

fn count_scale(unit: &str) -> Option<Scale> {
    let exp10 = match unit.to_lowercase().as_str() {
        "" => 0,
        "k" | "thousand" => 3,
        "m" | "mn" | "million" => 6,
        "g" | "b" | "bn" | "billion" => 9,
        "t" | "tn" | "trillion" => 12,
        "p" => 15,
        _ => return None,
    };
    Some(Scale::pow10(exp10))
}

/// Reads a non-negative size in bytes: `500 B`, `2 KiB`, `1 kB`, `9.1 TB`, `1.5GB`; a bare
/// number is bytes, and a bare prefix (`1.5k`, `2G`) is SI.
///
/// # Formula
/// ```text
/// bytes = n × 1000^k  for kB, MB, GB, TB, PB, EB, ZB, YB   (k = 1 … 8; SI prefixes)
/// bytes = n × 1024^k  for KiB, MiB, GiB, TiB, PiB, EiB (binary prefixes)
/// Source: IEC 80000-13:2008 (1 kB = 1,000 B, 1 KiB = 1,024 B). KB is read as kB.
/// ```
///
/// # Errors
/// As [`parse_count`]; a lowercase `b` (`Gb`, bits) is an [`UnitError::UnknownUnit`].
///
/// # Examples
/// ```
/// use headroom::units::parse_bytes;
/// assert_eq!(parse_bytes("2 KiB"), Ok(2048.0));
/// assert_eq!(parse_bytes("9.1 TB"), Ok(9.1e12));
/// assert!(parse_bytes("1 Gb").is_err());
/// ```
pub fn parse_bytes(s: &str) -> Result<f64, UnitError> {
    non_negative(parse_scaled(s, BYTE_UNITS, byte_scale)?)
}

/// Reads a non-negative rate in bytes per second: `100 MB/s`, `1.25 GB/s`, `100M`; what
/// [`parse_bytes`] reads, with an optional `/s` (a bare number is bytes per second).
///
/// # Errors
/// As [`parse_bytes`]: bits (`1 Gb/s`) are refused rather than silently read as bytes.
///
/// # Examples
/// ```
/// use headroom::units::parse_byte_rate;
/// assert_eq!(parse_byte_rate("100 MB/s"), Ok(100e6));
/// assert_eq!(parse_byte_rate("2 KiB"), Ok(2048.0));
/// assert!(parse_byte_rate("1 Gb/s").is_err());
/// ```
pub fn parse_byte_rate(s: &str) -> Result<f64, UnitError> {
    let trimmed = s.trim_end();
    parse_bytes(trimmed.strip_suffix("/s").unwrap_or(trimmed))
}

fn byte_scale(unit: &str) -> Option<Scale> {
    if unit.eq_ignore_ascii_case("byte") || unit.eq_ignore_ascii_case("bytes") {
        return Some(Scale::ONE);
    }
    let (prefix, has_b) = match unit.strip_suffix('B') {
        Some(prefix) => (prefix, true),
        None if unit.ends_with('b') => return None, // bits
        None => (unit, false),
    };
    Some(match prefix.to_ascii_lowercase().as_str() {
        "" => Scale::ONE,
        "k" => Scale::pow10(3),
        "m" => Scale::pow10(6),
        "g" => Scale::pow10(9),
        "t" => Scale::pow10(12),
        "p" => Scale::pow10(15),
        // A bare "E" reads like a broken exponent ("1E"), so only "EB" is exabytes.
        "e" if has_b => Scale::pow10(18),
        // What format_bytes writes past EB (SI's zetta and yotta); like "EB", only with the B.
        "z" if has_b => Scale::pow10(21),
        "y" if has_b => Scale::pow10(24),
        "ki" => Scale::times(1 << 10),
        "mi" => Scale::times(1 << 20),
        "gi" => Scale::times(1 << 30),
        "ti" => Scale::times(1 << 40),
        "pi" => Scale::times(1 << 50),
        "ei" => Scale::times(1 << 60),
        _ => return None,
    })
}

/// Reads a non-negative duration in seconds: `200ms`, `1.5 s`, `2 min`, `1 h 30 min`, `1h30m`.
/// Several parts are added up. A bare number (one part, no unit) is multiplied by
/// `bare_unit_seconds`: pass `0.001` for a field in milliseconds.
///
/// # Formula
/// ```text
/// seconds = Σ nᵢ × uᵢ,  u = 10⁻⁹ (ns), 10⁻⁶ (µs, us), 10⁻³ (ms), 1 (s), 60 (min, m),
///                         3,600 (h), 86,400 (d), 604,800 (w)   (ISO 80000-3)
/// ```
///
/// # Errors
/// As [`parse_count`]; [`UnitError::UnknownUnit`] with an empty unit when a later part has
/// none (`1h30`).
///
/// # Examples
/// ```
/// use headroom::units::parse_duration;
/// assert_eq!(parse_duration("200ms", 1.0), Ok(0.2));
/// assert_eq!(parse_duration("200", 0.001), Ok(0.2));
/// assert_eq!(parse_duration("1 h 30 min", 1.0), Ok(5400.0));
/// ```
pub fn parse_duration(s: &str, bare_unit_seconds: f64) -> Result<f64, UnitError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(UnitError::Empty);
    }
    let mut rest = text;
    let mut total = 0.0;
    let mut first = true;
    while !rest.is_empty() {
        let (literal, after) = Literal::split(rest, text)?;
        let unit_len = after
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(after.len());
        let (unit, after_unit) = after.split_at_checked(unit_len).unwrap_or((after, ""));
        let part = if unit.is_empty() && first && after_unit.trim().is_empty() {
            bare_duration(&literal, bare_unit_seconds)?
        } else {
            // "5%" names a wrong unit; "1h30" and "5 5" miss one before the next number.
            let starts_number = |c: char| c.is_ascii_digit() || matches!(c, '.' | '+' | '-' | '−');
            let typed = if unit.is_empty() && !after_unit.starts_with(starts_number) {
                after_unit
            } else {
                unit
            };
            let scale = duration_scale(unit).ok_or_else(|| UnitError::UnknownUnit {
                unit: shortened(typed),
                expected: DURATION_UNITS,
            })?;
            literal.scaled(scale)?
        };
        total += non_negative(part)?;
        if total.is_infinite() {
            return Err(UnitError::Overflow);
        }
        first = false;
        rest = after_unit.trim_start();
    }
    Ok(total)
}

fn duration_scale(unit: &str) -> Option<Scale> {
    Some(match unit.to_lowercase().as_str() {
        "ns" | "nsec" | "nanosecond" | "nanoseconds" => Scale::pow10(-9),
        "us" | "µs" | "μs" | "usec" | "microsecond" | "microseconds" => Scale::pow10(-6),
        "ms" | "msec" | "millisecond" | "milliseconds" => Scale::pow10(-3),
        "s" | "sec" | "secs" | "second" | "seconds" => Scale::ONE,
        "m" | "min" | "mins" | "minute" | "minutes" => Scale::times(60),
        "h" | "hr" | "hrs" | "hour" | "hours" => Scale::times(3_600),
        "d" | "day" | "days" => Scale::times(86_400),
        "w" | "wk" | "week" | "weeks" => Scale::times(604_800),
        _ => return None,
    })
}

/// A unitless duration: exact when `bare_unit_seconds` is one of the units (0.001 is `ms`).
fn bare_duration(literal: &Literal, bare_unit_seconds: f64) -> Result<f64, UnitError> {
    let exact = [
        (1e-9, Scale::pow10(-9)),
        (1e-6, Scale::pow10(-6)),
        (1e-3, Scale::pow10(-3)),
        (1.0, Scale::ONE),
        (60.0, Scale::times(60)),
        (3_600.0, Scale::times(3_600)),
        (86_400.0, Scale::times(86_400)),
        (604_800.0, Scale::times(604_800)),
    ];
    if let Some((_, scale)) = exact
        .iter()
        .find(|(seconds, _)| *seconds == bare_unit_seconds)
    {
        return literal.scaled(*scale);
    }
    let seconds = literal.scaled(Scale::ONE)? * bare_unit_seconds;
    if seconds.is_nan() {
        Err(UnitError::NotFinite)
    } else if seconds.is_infinite() {
        Err(UnitError::Overflow)
    } else {
        Ok(seconds)
    }
}

/// Reads an availability-style percent in [0, 100]: `99.99%`, `99.99`, `4 nines`,
/// `four nines`, `three 9s`, `4.5 nines`.
///
/// # Formula
/// ```text
/// percent = 100 − 10^(2 − n)
/// n       = the number of nines (3 nines = 99.9%, 4 nines = 99.99%); the chapter's section 9
///           names its availability levels this way ("99.9% (three 9s)"). For a whole n this
///           is computed as the decimal 99.9…9, so "4 nines" is exactly the f64 of "99.99".
/// ```
///
/// # Errors
/// As [`parse_number`], plus [`UnitError::UnknownUnit`], [`UnitError::OutOfRange`] outside
/// [0, 100], and [`UnitError::Negative`] for a negative number of nines.
///
/// # Examples
/// ```
/// use headroom::units::parse_percent;
/// assert_eq!(parse_percent("99.99%"), Ok(99.99));
/// assert_eq!(parse_percent("4 nines"), Ok(99.99));
/// assert_eq!(parse_percent("three 9s"), Ok(99.9));
/// ```
pub fn parse_percent(s: &str) -> Result<f64, UnitError> {
    let text = s.trim();
    let lower = text.to_lowercase();
    let nines_count = [" 9s", "nines", "nine"]
        .iter()
        .find_map(|word| lower.strip_suffix(word))
        .filter(|count| !count.trim().is_empty());
    if let Some(count) = nines_count {
        return percent_from_nines(count, text);
    }
    let percent = parse_scaled(s, PERCENT_UNITS, |unit| {
        matches!(unit.to_lowercase().as_str(), "" | "%" | "percent" | "pct").then_some(Scale::ONE)
    })?;
    in_range(percent, 0.0, 100.0)
}

/// Number words a person may type before "nines".
const NUMBER_WORDS: [&str; 11] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

fn percent_from_nines(count: &str, whole: &str) -> Result<f64, UnitError> {
    let count = count.trim();
    let nines = match NUMBER_WORDS.iter().position(|word| *word == count) {
        Some(n) => n as f64,
        None => parse_number(count).map_err(|error| match error {
            UnitError::NotANumber { .. } => UnitError::NotANumber {
                input: shortened(whole),
            },
            other => other,
        })?,
    };
    if nines < 0.0 {
        return Err(UnitError::Negative { value: nines });
    }
    // Whole numbers of nines as the decimal 99.9…9; past 20 nines the f64 is 100 anyway.
    let decimal = if nines.fract() != 0.0 || nines > 20.0 {
        None
    } else if nines < 2.0 {
        Some(if nines == 0.0 { "0" } else { "90" }.to_owned())
    } else {
        Some(format!("99.{}", "9".repeat(nines as usize - 2)))
    };
    let percent = decimal
        .and_then(|text| text.parse::<f64>().ok())
        .unwrap_or_else(|| 100.0 - crate::math::pow(10.0, 2.0 - nines));
    in_range(percent, 0.0, 100.0)
}

/// Reads a ratio in [0, 1]: `0.7`, or a percent `70%` (read as 0.7, exactly the f64 of `0.7`).
/// A bare number above 1 is out of range, with a hint to write `0.7` or `70%`.
///
/// # Formula
/// ```text
/// fraction = p / 100   for "p%"
/// ```
///
/// # Errors
/// As [`parse_number`], plus [`UnitError::UnknownUnit`] and [`UnitError::OutOfRange`] (in the
/// unit typed: 0–1 for a bare number, 0–100 for a percent).
///
/// # Examples
/// ```
/// use headroom::units::parse_fraction;
/// assert_eq!(parse_fraction("0.7"), Ok(0.7));
/// assert_eq!(parse_fraction("70%"), Ok(0.7));
/// assert!(parse_fraction("70").is_err());
/// ```
pub fn parse_fraction(s: &str) -> Result<f64, UnitError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(UnitError::Empty);
    }
    let (literal, unit) = Literal::split(text, text)?;
    match unit.to_lowercase().as_str() {
        "" => in_range(literal.scaled(Scale::ONE)?, 0.0, 1.0),
        "%" | "percent" | "pct" => {
            in_range(literal.scaled(Scale::ONE)?, 0.0, 100.0)?;
            Ok(literal.scaled(Scale::pow10(-2))? + 0.0)
        }
        _ => Err(UnitError::UnknownUnit {
            unit: shortened(unit),
            expected: FRACTION_UNITS,
        }),
    }
}

/// Reads a non-negative amount of US dollars: `$0.0416`, `0.0416`, `$1,000`, `USD 5`, `5 USD`,
/// and with a count suffix `$1.5k`, `2M USD` (as [`parse_count`]: k, M, B or bn, T).
///
/// # Errors
/// As [`parse_count`], with `$` and `USD` (in front or behind, not both) as the units.
///
/// # Examples
/// ```
/// use headroom::units::parse_usd;
/// assert_eq!(parse_usd("$0.0416"), Ok(0.0416));
/// assert_eq!(parse_usd("5 USD"), Ok(5.0));
/// assert_eq!(parse_usd("$1,000"), Ok(1000.0));
/// ```
pub fn parse_usd(s: &str) -> Result<f64, UnitError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(UnitError::Empty);
    }
    // The sign may come before the currency ("-$5"); parse_number-style signs are read later.
    let (outer_negative, unsigned) = match text.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let currency_prefix = ["US$", "$", "USD"].iter().find_map(|prefix| {
        let head = unsigned.get(..prefix.len())?;
        head.eq_ignore_ascii_case(prefix)
            .then(|| unsigned.get(prefix.len()..))
            .flatten()
    });
    let (outer_negative, body) = match currency_prefix {
        Some(body) => (outer_negative, body.trim_start()),
        None => (false, text),
    };
    let (literal, unit) = Literal::split(body, text)?;
    if outer_negative && literal.is_negative() {
        return Err(UnitError::NotANumber {
            input: shortened(text),
        });
    }
    // A code behind the number ("5 USD") only when none came before it; a count suffix may
    // come first ("$1.5k", "2.5M USD"): format_query_number writes "1.5k" from 1,000 up.
    let multiplier = match currency_prefix {
        Some(_) => unit,
        None => strip_currency_suffix(unit),
    };
    let scale = count_scale(multiplier).ok_or_else(|| UnitError::UnknownUnit {
        unit: shortened(unit),
        expected: USD_UNITS,
    })?;
    let amount = literal.scaled(scale)?;
    non_negative(if outer_negative { -amount } else { amount })
}

/// `unit` without a trailing `$` or `USD`, trimmed.
fn strip_currency_suffix(unit: &str) -> &str {
    let code_start = unit.len().saturating_sub(3);
    let without = match unit.strip_suffix('$') {
        Some(rest) => rest,
        None => match unit.get(code_start..) {
            Some(code) if code.eq_ignore_ascii_case("usd") => {
                unit.get(..code_start).unwrap_or(unit)
            }
            _ => unit,
        },
    };
    without.trim_end()
}

#[cfg(test)]
mod tests;
