//! Formatting quantities for people (`115,741`, `9.13 TB`, `8 h 45 min 36 s`, `$89.86`) and for
//! URLs (`100M`). Every formatter prints NaN as `—` and infinities as `∞` / `-∞`; a negative value
//! that rounds to zero prints without its sign.

use super::decimal::Digits;

/// Printed for NaN: a dash reads as "no figure" without alarming anyone.
const NOT_A_NUMBER: &str = "—";

/// The most decimals [`format_number`] prints: beyond 20, a decimal shows binary noise, not data.
const MAX_DECIMALS: usize = 20;

/// Applies `magnitude` to `|x|` and puts the sign in front; handles NaN and infinities.
fn with_sign(x: f64, magnitude: impl FnOnce(f64) -> String) -> String {
    if x.is_nan() {
        return NOT_A_NUMBER.to_owned();
    }
    let text = if x.is_infinite() {
        "∞".to_owned()
    } else {
        magnitude(x.abs())
    };
    // "-0" or "-$0.00" would claim a sign the rounded figure does not have.
    let shows_nonzero = x.is_infinite() || text.bytes().any(|b| (b'1'..=b'9').contains(&b));
    if x < 0.0 && shows_nonzero {
        format!("-{text}")
    } else {
        text
    }
}

/// Formats `x` with at most `max_decimals` decimals (20 at most), rounded half away from zero,
/// with thousands separators and without trailing zeros.
///
/// # Examples
/// ```
/// use headroom::units::format_number;
/// assert_eq!(format_number(115_740.74, 0), "115,741");
/// assert_eq!(format_number(578.7037, 1), "578.7");
/// assert_eq!(format_number(-1_234.5, 2), "-1,234.5");
/// ```
pub fn format_number(x: f64, max_decimals: usize) -> String {
    let decimals = i64::try_from(max_decimals.min(MAX_DECIMALS)).unwrap_or(0);
    with_sign(x, |m| {
        Digits::shortest(m).round_to_decimals(decimals).plain(true)
    })
}

/// Formats a count with a precision picked from its size: 0 decimals from 1,000, 1 from 100,
/// 2 from 1, and 3 significant digits below 1; scientific notation below 10⁻⁶ and from 10¹⁵.
///
/// # Examples
/// ```
/// use headroom::units::format_count;
/// assert_eq!(format_count(115_740.74), "115,741");
/// assert_eq!(format_count(578.7037), "578.7");
/// assert_eq!(format_count(1.2345), "1.23");
/// assert_eq!(format_count(0.5), "0.5");
/// ```
pub fn format_count(x: f64) -> String {
    with_sign(x, count_magnitude)
}

fn count_magnitude(m: f64) -> String {
    // Whole numbers from 1,000: rounding the value itself (half away from zero) gives what
    // rounding its shortest decimal digits gives, because below 2⁵² every half (`….5`) is exactly
    // representable, so the digits end in `.5` exactly when the value does. A tenth of the cost.
    if (1000.0..1e15).contains(&m) {
        return grouped_integer(m.round() as u64);
    }
    let digits = Digits::shortest(m);
    if m >= 1e15 || (m > 0.0 && m < 1e-6) {
        return digits.round_to_significant(3).scientific();
    }
    let decimals = match m {
        m if m >= 1000.0 => 0,
        m if m >= 100.0 => 1,
        m if m >= 1.0 => 2,
        _ => return digits.round_to_significant(3).plain(true),
    };
    digits.round_to_decimals(decimals).plain(true)
}

/// `n` with `,` between groups of three digits: `1,234,567`.
fn grouped_integer(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    super::decimal::push_integer_digits(&mut out, digits.chars(), digits.len(), true);
    out
}

/// Formats a count of things compactly with 3 significant digits and the short-scale suffixes a
/// reader expects of counts: k (thousand), M (million), B (billion), T (trillion); from 10¹⁵ a
/// grouped number of trillions (`1,310T`), never scientific notation; scientific only below
/// 10⁻⁴. Counts of units (`GB-s`, requests) use it too: "1.56B GB-s", "31.2B requests". SI's
/// G would read as giga of a unit, which a count has not. [`super::parse_count`] reads every
/// result back (to within the rounding, at most 0.5%); it is display text, never written into a
/// field or a URL ([`format_query_number`] does that, with its own SI suffixes).
///
/// # Examples
/// ```
/// use headroom::units::format_si;
/// assert_eq!(format_si(100e6), "100M");
/// assert_eq!(format_si(1.5e3), "1.5k");
/// assert_eq!(format_si(31.2e9), "31.2B");
/// assert_eq!(format_si(9.125e12), "9.13T");
/// assert_eq!(format_si(578.7), "579");
/// ```
pub fn format_si(x: f64) -> String {
    with_sign(x, |m| compact(m, &["", "k", "M", "B", "T"], ""))
}

/// Formats a number of bytes with 3 significant digits and an SI prefix (kB = 1,000 B, up to
/// YB = 10²⁴ B, the largest prefix of SI's 1991 set), as storage is sold and as the chapter
/// counts it; beyond YB, a grouped number of YB (`3,650,000 YB`), never scientific notation.
/// [`super::parse_bytes`] reads it back.
///
/// # Examples
/// ```
/// use headroom::units::format_bytes;
/// assert_eq!(format_bytes(9.125e12), "9.13 TB");
/// assert_eq!(format_bytes(500.0), "500 B");
/// assert_eq!(format_bytes(1e15), "1 PB");
/// assert_eq!(format_bytes(1.31e21), "1.31 ZB");
/// ```
pub fn format_bytes(x: f64) -> String {
    with_sign(x, |m| {
        compact(
            m,
            &["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"],
            " ",
        )
    })
}

/// Formats a rate in bytes per second like [`format_bytes`]: `3.2 MB/s`.
pub fn format_bytes_per_second(x: f64) -> String {
    if x.is_nan() {
        return NOT_A_NUMBER.to_owned();
    }
    format!("{}/s", format_bytes(x))
}

/// 3 significant digits followed by the unit whose power of 1,000 leaves 1 to 999 in front;
/// past the last unit, the grouped number of the last unit (`1,310T`).
fn compact(m: f64, units: &[&str], space: &str) -> String {
    let rounded = Digits::shortest(m).round_to_significant(3);
    let exponent = rounded.point() - 1;
    let largest = i64::try_from(units.len()).unwrap_or(1) - 1;
    let group = exponent.div_euclid(3).min(largest);
    let unit_of = |group: i64| {
        usize::try_from(group)
            .ok()
            .and_then(|g| units.get(g))
            .copied()
    };
    let base_unit = unit_of(0).unwrap_or_default();
    if rounded.is_zero() {
        return format!("0{space}{base_unit}");
    }
    let (number, unit) = match unit_of(group) {
        Some(unit) if exponent >= 0 => (rounded.shifted(-3 * group).plain(true), unit),
        _ if exponent >= -4 => (rounded.plain(false), base_unit),
        _ => (rounded.scientific(), base_unit),
    };
    let space = if unit.is_empty() { "" } else { space };
    format!("{number}{space}{unit}")
}

/// The clock units of [`format_duration`], largest first: (seconds, symbol).
const CLOCK_UNITS: [(f64, &str); 4] = [
    (crate::SECONDS_PER_DAY, "d"),
    (crate::SECONDS_PER_HOUR, "h"),
    (60.0, "min"),
    (1.0, "s"),
];

/// Formats a duration in seconds the way a person says it.
///
/// From a minute up, it names the largest clock unit and the two below it (d, h, min, s),
/// rounded to the smallest of those three, and drops zero parts: at most 3 parts. Below a
/// minute, it prints 3 significant digits in s, ms, µs or ns. From 10,000 days, days alone.
///
/// # Formula
/// ```text
/// parts = ⌊r / 86,400⌋ d, ⌊(r mod 86,400) / 3,600⌋ h, ⌊(r mod 3,600) / 60⌋ min, r mod 60 s
/// r     = t rounded to a multiple of the smallest unit shown (60 s from a day, else 1 s)
/// t     = the duration, seconds; 1 d = 86,400 s, 1 h = 3,600 s, 1 min = 60 s (ISO 80000-3)
/// ```
///
/// # Examples
/// ```
/// use headroom::units::format_duration;
/// assert_eq!(format_duration(31_536.0), "8 h 45 min 36 s"); // 99.9% of a 365-day year, down
/// assert_eq!(format_duration(315.36), "5 min 15 s");
/// assert_eq!(format_duration(0.5), "500 ms");
/// ```
pub fn format_duration(seconds: f64) -> String {
    with_sign(seconds, duration_magnitude)
}

fn duration_magnitude(seconds: f64) -> String {
    // 59.95 s is the smallest value whose 3 significant digits read "60.0 s": say "1 min".
    if seconds >= 59.95 {
        return clock_parts(seconds);
    }
    let rounded = Digits::shortest(seconds).round_to_significant(3);
    if rounded.is_zero() {
        return "0 s".to_owned();
    }
    let (shift, unit) = match rounded.point() {
        p if p >= 1 => (0, "s"),
        p if p >= -2 => (3, "ms"),
        p if p >= -5 => (6, "µs"),
        _ => (9, "ns"),
    };
    let value = rounded.shifted(shift);
    let number = if value.point() <= -4 {
        value.scientific()
    } else {
        value.plain(false)
    };
    format!("{number} {unit}")
}

fn clock_parts(seconds: f64) -> String {
    let days = seconds / crate::SECONDS_PER_DAY;
    if days >= 10_000.0 {
        return format!("{} d", count_magnitude(days));
    }
    let largest = CLOCK_UNITS
        .iter()
        .position(|(size, _)| seconds >= *size)
        .unwrap_or(3);
    let smallest = (largest + 2).min(CLOCK_UNITS.len() - 1);
    let step = CLOCK_UNITS.get(smallest).map_or(1.0, |(size, _)| *size);
    // Rounding may carry into a larger unit (3,599.6 s is 1 h); that only zeroes the smaller
    // parts, so there are still at most three.
    let mut remaining = (seconds / step).round() * step;
    let parts: Vec<String> = CLOCK_UNITS
        .iter()
        .take(smallest + 1)
        .filter_map(|(size, symbol)| {
            let count = (remaining / size).floor();
            remaining -= count * size;
            // A whole count below 10,000 days' worth of its unit: exact as an integer, which
            // formats in a fraction of the time of an f64.
            (count > 0.0).then(|| format!("{} {symbol}", count as u64))
        })
        .take(3)
        .collect();
    parts.join(" ")
}

/// Formats US dollars: cents from $1 (`$1,234.50`); below $1, 6 significant digits and at most
/// 10 decimals, so per-unit prices survive (`$0.0000166667` per GB-second); `$0.00` for 0.
///
/// # Examples
/// ```
/// use headroom::units::format_usd;
/// assert_eq!(format_usd(89.856), "$89.86");
/// assert_eq!(format_usd(0.0416), "$0.0416");
/// assert_eq!(format_usd(0.0), "$0.00");
/// ```
pub fn format_usd(x: f64) -> String {
    with_sign(x, |m| {
        let digits = Digits::shortest(m);
        let rounded = if m >= 1.0 {
            digits.round_to_decimals(2)
        } else {
            digits.round_to_significant(6).round_to_decimals(10)
        };
        let text = rounded.plain(true);
        let decimals = text
            .split_once('.')
            .map_or(0, |(_, fraction)| fraction.len());
        let padding = match decimals {
            0 => ".00",
            1 => "0",
            _ => "",
        };
        format!("${text}{padding}")
    })
}

/// Formats a percent (99.99 in, `99.99%` out) with the shortest digits that read back as `p`,
/// at most 15 significant, which hides binary noise such as `99.99000000000001`.
///
/// # Examples
/// ```
/// use headroom::units::format_percent;
/// assert_eq!(format_percent(99.99), "99.99%");
/// assert_eq!(format_percent(99.0), "99%");
/// ```
pub fn format_percent(p: f64) -> String {
    with_sign(p, |m| {
        format!(
            "{}%",
            Digits::shortest(m).round_to_significant(15).plain(true)
        )
    })
}

/// Formats a share (0.7 in, `70%` out) as a percentage with at most two decimals: `22.17%`.
///
/// # Examples
/// ```
/// use headroom::units::format_share;
/// assert_eq!(format_share(0.7), "70%");
/// assert_eq!(format_share(0.221_74), "22.17%");
/// ```
pub fn format_share(share: f64) -> String {
    format!("{}%", format_number(share * 100.0, 2))
}

/// Formats a computed availability (a percent near 100) to the precision that matters: enough
/// decimals to show the two leading significant digits of the unavailability `100 − p`, so that
/// 99.9994592725 reads `99.99946%` and 99.95602720996 reads `99.956%`. Values below 90% get
/// at most 2 decimals; exactly 100 is `100%`.
///
/// # Examples
/// ```
/// use headroom::units::format_availability;
/// assert_eq!(format_availability(99.9994592725448), "99.99946%");
/// assert_eq!(format_availability(99.9), "99.9%");
/// assert_eq!(format_availability(100.0), "100%");
/// ```
pub fn format_availability(p: f64) -> String {
    if !p.is_finite() {
        return format_percent(p);
    }
    let unavailable = 100.0 - p;
    let decimals = if unavailable <= 0.0 {
        0
    } else {
        // The position of the unavailability's first significant digit, plus one more digit.
        let first = (-crate::math::log10(unavailable)).floor() as i64 + 1;
        first.clamp(0, 13) as usize + 1
    };
    format!("{}%", format_number(p, decimals.clamp(2, 14)))
}

/// Canonical lossless text for URLs: the shortest text that [`super::parse_count`] (or
/// [`super::parse_number`] for negatives) reads back as exactly `x`, preferring an SI suffix
/// (`100M`, `1.5k`). [`super::parse_bytes`] (`k` alone means 1,000 bytes) and
/// [`super::parse_usd`] read it exactly too; below 1,000 it has no suffix, so every parser does
/// ([`super::parse_percent`], [`super::parse_fraction`], [`super::parse_duration`] as a bare
/// number). NaN and infinities give `NaN`, `inf`, `-inf`, which every parser rejects.
///
/// # Examples
/// ```
/// use headroom::units::{format_query_number, parse_count};
/// assert_eq!(format_query_number(100e6), "100M");
/// assert_eq!(format_query_number(1500.0), "1.5k");
/// assert_eq!(format_query_number(123_456_789.0), "123456789");
/// assert_eq!(format_query_number(1e-7), "1e-7");
/// assert_eq!(parse_count("1.5k"), Ok(1500.0));
/// ```
pub fn format_query_number(x: f64) -> String {
    query_text(x, true)
}

/// A number for an error message: [`format_query_plain`] of the value to 15 significant digits
/// ([`crate::math::publishable`]), so `1e300` is `1e300` rather than 301 digits and `1.1 × 0.01`
/// is `0.011` rather than `0.011000000000000001`; the text still reads back as the figure shown.
///
/// # Examples
/// ```
/// use headroom::units::format_message_number;
/// assert_eq!(format_message_number(1e300), "1e300");
/// assert_eq!(format_message_number(1.1 * 0.01), "0.011");
/// ```
pub fn format_message_number(x: f64) -> String {
    format_query_plain(crate::math::publishable(x))
}

/// Canonical lossless text without SI suffixes, for fields that a suffix would confuse
/// (durations, where `m` is minutes; percents; prices): the shortest text that
/// [`super::parse_number`] and every other parser, as a bare number, read back as exactly `x`.
///
/// # Examples
/// ```
/// use headroom::units::format_query_plain;
/// assert_eq!(format_query_plain(1500.0), "1500");
/// assert_eq!(format_query_plain(0.0416), "0.0416");
/// assert_eq!(format_query_plain(1e-7), "1e-7");
/// ```
pub fn format_query_plain(x: f64) -> String {
    query_text(x, false)
}

fn query_text(x: f64, allow_suffix: bool) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    // parse_number reads no suffixes, so negatives are written plain.
    let allow_suffix = allow_suffix && x >= 0.0;
    let sign = if x < 0.0 { "-" } else { "" };
    let digits = Digits::shortest(x);
    let mut best = digits.plain(false);
    if allow_suffix {
        for (exp10, suffix) in [(3, "k"), (6, "M"), (9, "G"), (12, "T"), (15, "P")] {
            let mantissa = digits.clone().shifted(-exp10);
            if (1..=3).contains(&mantissa.point()) {
                let candidate = format!("{}{suffix}", mantissa.plain(false));
                if candidate.len() <= best.len() {
                    best = candidate;
                }
            }
        }
    }
    // Scientific only where it beats a long form: "100M" reads better than "1e8".
    let scientific = digits.scientific();
    if best.len() > 6 && scientific.len() < best.len() {
        best = scientific;
    }
    format!("{sign}{best}")
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The whole-number shortcut agrees with rounding the shortest digits.
        #[test]
        fn whole_counts_match_rounding_the_digits(m in 1000.0..1e15f64, half in proptest::bool::ANY) {
            let m = if half { m.floor() + 0.5 } else { m };
            let by_digits = Digits::shortest(m).round_to_decimals(0).plain(true);
            proptest::prop_assert_eq!(count_magnitude(m), by_digits);
        }
    }

    #[test]
    fn whole_counts_round_halves_up_and_group_by_three() {
        assert_eq!(format_count(1234.5), "1,235");
        assert_eq!(format_count(1_234.499_999_999_999_8), "1,234");
        assert_eq!(format_count(999_999_999_999_999.5), "1,000,000,000,000,000");
        assert_eq!(format_count(999_999_999_999_999.0), "999,999,999,999,999");
        assert_eq!(format_count(-1000.0), "-1,000");
    }

    #[test]
    fn numbers_and_counts_match_the_chapters_rates() {
        // The chapter's example (section 10): 100M DAU × 0.5 writes / 86,400 s = 578.7037 write/s,
        // ×10 peak = 5,787.04; 100M × 10 reads / 86,400 = 11,574.07; ×10 peak = 115,740.74.
        assert_eq!(format_count(100e6 * 0.5 / 86_400.0), "578.7");
        assert_eq!(format_count(100e6 * 0.5 / 86_400.0 * 10.0), "5,787");
        assert_eq!(format_count(100e6 * 10.0 / 86_400.0), "11,574");
        assert_eq!(format_count(100e6 * 10.0 / 86_400.0 * 10.0), "115,741");
        assert_eq!(format_number(115_740.74, 0), "115,741");
        assert_eq!(format_number(578.7037, 1), "578.7");
        // The brief's rule: 1.2345 keeps 2 decimals, 0.5 keeps 3 significant digits.
        assert_eq!(format_count(1.2345), "1.23");
        assert_eq!(format_count(0.5), "0.5");
        assert_eq!(format_count(0.012345), "0.0123");
        assert_eq!(format_count(999.96), "1,000");
        assert_eq!(format_number(-0.0001, 2), "0");
        assert_eq!(format_number(f64::NAN, 2), "—");
        assert_eq!(format_number(f64::NEG_INFINITY, 2), "-∞");
        assert_eq!(format_number(0.1, usize::MAX), "0.1");
    }

    #[test]
    fn si_and_bytes_use_three_significant_digits() {
        // Chapter, section 10: 100M × 0.5 × 500 B × 365 = 9.125 × 10^12 B, "~9 TB/year";
        // to 3 significant digits, rounding the tie up as by hand: 9.13 TB.
        assert_eq!(format_bytes(100e6 * 0.5 * 500.0 * 365.0), "9.13 TB");
        assert_eq!(format_bytes(500.0), "500 B");
        assert_eq!(format_bytes(1e15), "1 PB");
        assert_eq!(format_bytes(0.0), "0 B");
        assert_eq!(format_bytes(999_999.0), "1 MB"); // 999,999 to 3 digits is 1.00 × 10^6
        // Beyond EB, SI's zetta (10^21) and yotta (10^24), then a grouped number of YB:
        // 3.65e36 B / 1e24 = 3.65e12 YB.
        assert_eq!(format_bytes(2.5e21), "2.5 ZB");
        assert_eq!(format_bytes(1.31e21), "1.31 ZB");
        assert_eq!(format_bytes(7.2e24), "7.2 YB");
        assert_eq!(format_bytes(3.65e36), "3,650,000,000,000 YB");
        assert_eq!(format_bytes_per_second(3.2e6), "3.2 MB/s");
        assert_eq!(format_si(100e6), "100M");
        assert_eq!(format_si(1.5e3), "1.5k");
        assert_eq!(format_si(578.7), "579");
        assert_eq!(format_si(0.5), "0.5");
        assert_eq!(format_si(1.2e-6), "1.2e-6");
        assert_eq!(format_si(-2e9), "-2B");
        // Counts use the short scale: 10^9 is a billion (B), not giga (G); past T, trillions
        // grouped: 1.31e18 / 1e12 = 1,310,000 T; 1e15 = 1,000 T.
        assert_eq!(format_si(31.2e9), "31.2B");
        assert_eq!(format_si(1.56e9), "1.56B");
        assert_eq!(format_si(2.5e12), "2.5T");
        assert_eq!(format_si(1e15), "1,000T");
        assert_eq!(format_si(1.31e18), "1,310,000T");
    }

    #[test]
    fn durations_read_like_the_chapters_availability_table() {
        // Chapter, section 9 (availability targets), with a 365-day year (31,536,000 s) and a
        // 730-hour month (2,628,000 s); downtime = (1 - availability) × period:
        // 99.9%/year: 31,536 s = 8 h (28,800) + 45 min (2,700) + 36 s ("8.76 hours").
        assert_eq!(format_duration(0.001 * 31_536_000.0), "8 h 45 min 36 s");
        // 99.9%/month: 2,628 s = 43 min 48 s ("43.8 minutes").
        assert_eq!(format_duration(0.001 * 2_628_000.0), "43 min 48 s");
        // 99%/year: 315,360 s = 3 d 15 h 36 min ("3.65 days").
        assert_eq!(format_duration(0.01 * 31_536_000.0), "3 d 15 h 36 min");
        // 99.999%/year: 315.36 s = 5 min 15 s ("5.26 minutes"); per month 26.28 s ("26.3 seconds").
        assert_eq!(format_duration(0.000_01 * 31_536_000.0), "5 min 15 s");
        assert_eq!(format_duration(0.000_01 * 2_628_000.0), "26.3 s");
        // 99.99%/month: 262.8 s = 4 min 23 s ("4.38 minutes").
        assert_eq!(format_duration(0.0001 * 2_628_000.0), "4 min 23 s");
        assert_eq!(format_duration(0.5), "500 ms");
        assert_eq!(format_duration(0.000_263), "263 µs");
        assert_eq!(format_duration(3_599.6), "1 h");
        assert_eq!(format_duration(59.96), "1 min");
        assert_eq!(format_duration(0.0), "0 s");
        assert_eq!(format_duration(1e9), "11,574 d"); // 10^9 / 86,400 = 11,574.07
    }

    #[test]
    fn usd_keeps_cents_or_significant_digits() {
        // The chapter's fleet: 3 instances × $0.0416/h × 720 h = $89.856 -> $89.86.
        assert_eq!(format_usd(3.0 * 0.0416 * 720.0), "$89.86");
        assert_eq!(format_usd(1_234.5), "$1,234.50");
        // AWS Lambda's x86 price per GB-second (aws.amazon.com/lambda/pricing): $0.0000166667.
        assert_eq!(format_usd(0.000_016_666_7), "$0.0000166667");
        assert_eq!(format_usd(0.0416), "$0.0416");
        assert_eq!(format_usd(0.5), "$0.50");
        assert_eq!(format_usd(0.0), "$0.00");
        assert_eq!(format_usd(-5.0), "-$5.00");
        assert_eq!(format_usd(1e-12), "$0.00");
    }

    #[test]
    fn percents_are_short() {
        assert_eq!(format_percent(99.99), "99.99%");
        assert_eq!(format_percent(99.0), "99%");
        assert_eq!(format_percent(99.95), "99.95%");
        // 100 - 0.01 carries no binary noise into the text.
        assert_eq!(format_percent(100.0 - 10f64.powi(-2)), "99.99%");
    }

    #[test]
    fn query_numbers_prefer_si_suffixes_when_not_longer() {
        // The brief's table of canonical forms.
        assert_eq!(format_query_number(100e6), "100M");
        assert_eq!(format_query_number(1500.0), "1.5k");
        assert_eq!(format_query_number(0.5), "0.5");
        assert_eq!(format_query_number(123_456_789.0), "123456789");
        assert_eq!(format_query_number(1e-7), "1e-7");
        assert_eq!(format_query_number(0.0), "0");
        assert_eq!(format_query_number(-1500.0), "-1500");
        assert_eq!(format_query_number(1e20), "1e20");
        assert_eq!(format_query_number(f64::NAN), "NaN");
        assert_eq!(format_query_plain(100e6), "1e8");
        assert_eq!(format_query_plain(1500.0), "1500");
    }
}
