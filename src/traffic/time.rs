//! Timestamps of an imported series, read to Unix seconds (UTC).
//!
//! Accepted: Unix seconds or milliseconds (a plain number, fractions allowed; a number of 10^11
//! or more is milliseconds, since 10^11 seconds is the year 5138 and 10^11 ms is 1973), and ISO
//! 8601 dates with a time: `2024-03-01T12:00:00Z`, `2024-03-01 12:00:00`, `2024-03-01T12:00`,
//! fractions of a second, an offset `+01:00`, `+0100` or `+01`, or none (then UTC), and a date
//! alone (midnight UTC).
//!
//! Hand-written rather than a date crate's because the accepted set is a lenient union of what
//! load balancers, Prometheus and spreadsheets write (a space or `T`, with or without seconds or a
//! zone), which the crates' ISO 8601 parsers refuse in part, and it keeps the browser's bundle
//! free of a calendar library for one conversion.

/// Milliseconds from here on: see the module's documentation.
const MILLIS_FROM: f64 = 1e11;

/// The largest Unix time read, seconds (about the year 318,000): a link carries times below it.
pub const MAX_UNIX_S: f64 = 1e13;

/// Days from 1970-01-01 to the proleptic Gregorian date `y-m-d`.
///
/// Howard Hinnant's `days_from_civil` ("chrono-Compatible Low-Level Date Algorithms", 2013):
/// counting years from March makes February the last month, so the leap day falls at the end of
/// an era-relative year; `era` is a 400-year cycle (146,097 days).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Day of the week of a Unix time, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
pub fn weekday(unix_s: f64) -> usize {
    let days = (unix_s / 86_400.0).floor() as i64;
    (days + 3).rem_euclid(7) as usize
}

/// Seconds since midnight UTC of a Unix time, in [0, 86,400).
pub fn second_of_day(unix_s: f64) -> f64 {
    unix_s.rem_euclid(86_400.0)
}

/// Reads a timestamp to Unix seconds, or `None` when it is not one of the accepted forms.
pub fn parse_timestamp(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let x: f64 = t.parse().ok()?;
        let seconds = if x >= MILLIS_FROM { x / 1_000.0 } else { x };
        // Past about the year 318,000 is not a time of traffic (and a link could not carry it).
        return (seconds < MAX_UNIX_S).then_some(seconds);
    }
    parse_iso(t)
}

fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    part.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn parse_iso(t: &str) -> Option<f64> {
    let s = t.as_bytes();
    let year = digits(s, 0, 4)?;
    if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
        return None;
    }
    let (month, day) = (digits(s, 5, 2)?, digits(s, 8, 2)?);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(i64::from(year), month, day) as f64 * 86_400.0;
    let mut at = 10;
    if at == s.len() {
        return Some(seconds);
    }
    if !matches!(s[at], b'T' | b't' | b' ') {
        return None;
    }
    at += 1;
    let hour = digits(s, at, 2)?;
    if s.get(at + 2) != Some(&b':') {
        return None;
    }
    let minute = digits(s, at + 3, 2)?;
    at += 5;
    let mut second = 0.0;
    if s.get(at) == Some(&b':') {
        second = f64::from(digits(s, at + 1, 2)?);
        at += 3;
        if matches!(s.get(at), Some(b'.' | b',')) {
            let start = at + 1;
            let end = start + s[start..].iter().take_while(|b| b.is_ascii_digit()).count();
            if end == start {
                return None;
            }
            let fraction: f64 = format!("0.{}", &t[start..end]).parse().ok()?;
            second += fraction;
            at = end;
        }
    }
    if hour > 23 || minute > 59 || second >= 61.0 {
        return None;
    }
    seconds += f64::from(hour * 3_600 + minute * 60) + second;
    let zone = &s[at..];
    let offset = match zone {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest.len() {
                2 => (digits(rest, 0, 2)?, 0),
                4 => (digits(rest, 0, 2)?, digits(rest, 2, 2)?),
                5 if rest[2] == b':' => (digits(rest, 0, 2)?, digits(rest, 3, 2)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = i64::from(h * 60 + m);
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    // Local time minus its offset is UTC.
    Some(seconds - offset as f64 * 60.0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `unix_s` as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, rounded down), the inverse of
/// [`days_from_civil`] by Hinnant's `civil_from_days`.
pub fn format_timestamp(unix_s: f64) -> String {
    let total = unix_s.floor() as i64;
    let days = total.div_euclid(86_400);
    let secs = total.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}
