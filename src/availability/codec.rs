//! The compact text form of a chain of tiers, short enough for one URL query value:
//!
//! ```text
//! lb:99.99:2/1,app:99.9:3/2,db:99.95:ap:30s:1h
//! ```
//!
//! Tiers are separated by `,` and read in request order. Each tier is `name:percent:redundancy`:
//! - `name`: 1 to 32 characters from `a-z`, `0-9`, `_`, `-`;
//! - `percent`: the availability of one replica, in percent (`99.95`);
//! - `redundancy`: `n/k` for n replicas of which at least k must be up (`3/2`; a single server is
//!   `1/1`, and may be left out: `db:99.9`), or `ap:failover:repair` for an active-passive pair
//!   with its failover time and mean time to repair. Percents and durations are read as in every
//!   other field: `99.9`, `99.9%` or `3 nines`; a bare number of seconds or one with a unit
//!   (`90`, `30s`, `30 s`, `5min`, `1h`, `1d`).
//!
//! [`format_tiers`] writes the canonical form: every tier with its redundancy (`1/1` included),
//! the shortest percent that reads back to the same value, and durations in the largest of
//! `h`, `min`, `s` that holds them as a whole number. `parse_tiers(format_tiers(t)) == t` for tiers
//! that were read from text.

use super::{Availability, AvailabilityError, Redundancy, Tier, quote};

/// Most tiers one chain may have.
pub const MAX_TIERS: usize = 16;

/// Longest text form accepted, in bytes: room for [`MAX_TIERS`] tiers with long names and numbers.
pub const MAX_TIERS_TEXT_LEN: usize = 2048;

/// A number written longer than this in plain decimals is written in exponent form (`1e-30`).
const MAX_PLAIN_NUMBER_LEN: usize = 24;

/// Reads a chain of tiers from its text form (see the module documentation). An empty text is an
/// empty chain.
///
/// # Errors
/// - [`AvailabilityError::TiersTextTooLong`] above [`MAX_TIERS_TEXT_LEN`] bytes;
/// - [`AvailabilityError::TooManyTiers`] above [`MAX_TIERS`] tiers;
/// - [`AvailabilityError::TierSyntax`] for a tier that does not have the form above, naming it;
/// - the errors of [`Tier::new`] for values out of range.
///
/// # Examples
/// ```
/// use headroom::availability::{parse_tiers, series_availability};
/// let chain = parse_tiers("lb:99.99:2/1,app:99.9:3/2,db:99.95:ap:30s:1h")?;
/// assert_eq!(chain.len(), 3);
/// assert!(series_availability(&chain) > 0.9999);
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn parse_tiers(text: &str) -> Result<Vec<Tier>, AvailabilityError> {
    if text.len() > MAX_TIERS_TEXT_LEN {
        return Err(AvailabilityError::TiersTextTooLong { len: text.len() });
    }
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let count = text.split(',').count();
    if count > MAX_TIERS {
        return Err(AvailabilityError::TooManyTiers { count });
    }
    text.split(',')
        .enumerate()
        .map(|(index, tier_text)| parse_tier(index + 1, tier_text))
        .collect()
}

/// Writes a chain of tiers in the canonical text form (see the module documentation).
///
/// # Examples
/// ```
/// use headroom::availability::{format_tiers, parse_tiers};
/// let chain = parse_tiers("web:99.9,db:99.95:ap:1800:3600")?;
/// assert_eq!(format_tiers(&chain), "web:99.9:1/1,db:99.95:ap:30min:1h");
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn format_tiers(tiers: &[Tier]) -> String {
    let formatted: Vec<String> = tiers.iter().map(format_tier).collect();
    formatted.join(",")
}

fn format_tier(tier: &Tier) -> String {
    let percent = format_percent(tier.replica_availability());
    match tier.redundancy() {
        Redundancy::KOfN { n, k } => format!("{}:{percent}:{n}/{k}", tier.name()),
        Redundancy::ActivePassive {
            failover_seconds,
            mttr_seconds,
        } => format!(
            "{}:{percent}:ap:{}:{}",
            tier.name(),
            format_duration(failover_seconds),
            format_duration(mttr_seconds)
        ),
    }
}

fn parse_tier(position: usize, text: &str) -> Result<Tier, AvailabilityError> {
    let syntax = |reason| AvailabilityError::TierSyntax {
        position,
        text: quote(text),
        reason,
    };
    let fields: Vec<&str> = text.split(':').collect();
    let (name, percent_text, redundancy) = match fields.as_slice() {
        [name, percent] => (*name, *percent, Redundancy::single()),
        [name, percent, counts] => {
            let (n, k) = counts
                .split_once('/')
                .ok_or_else(|| syntax("expected `n/k` after the percent, e.g. `3/2`"))?;
            let n = parse_count(n)
                .ok_or_else(|| syntax("replica count `n` in `n/k` must be a whole number"))?;
            let k = parse_count(k)
                .ok_or_else(|| syntax("required count `k` in `n/k` must be a whole number"))?;
            (*name, *percent, Redundancy::KOfN { n, k })
        }
        [name, percent, "ap", failover, mttr] => {
            let failover_seconds = parse_duration(failover).ok_or_else(|| {
                syntax("failover time must be a duration, e.g. `30s`, `30 s` or `2 min`")
            })?;
            let mttr_seconds = parse_duration(mttr).ok_or_else(|| {
                syntax("repair time must be a duration, e.g. `1h`, `90 min` or `1d`")
            })?;
            (
                *name,
                *percent,
                Redundancy::ActivePassive {
                    failover_seconds,
                    mttr_seconds,
                },
            )
        }
        _ => {
            return Err(syntax(
                "expected `name:percent:n/k` or `name:percent:ap:failover:repair`",
            ));
        }
    };
    // The same reader as every other percent field (`99.9`, `99.9%`, `3 nines`), but unsigned:
    // a sign is a typo inside a tier.
    let not_a_percent =
        || syntax("replica availability must be a percent, e.g. `99.9`, `99.9%` or `3 nines`");
    if percent_text.trim_start().starts_with(['+', '-']) {
        return Err(not_a_percent());
    }
    let percent = crate::units::parse_percent(percent_text).map_err(|err| match err {
        crate::units::UnitError::OutOfRange { value, .. } => {
            AvailabilityError::PercentOutOfRange(value)
        }
        _ => not_a_percent(),
    })?;
    let replica = Availability::from_percent(percent)?;
    Tier::new(name, replica.fraction(), redundancy)
}

/// A whole number of replicas: ASCII digits only.
fn parse_count(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A duration in seconds, read as every other duration field reads one (`90` is seconds; `30s`,
/// `30 s`, `5min`, `1h`, `1d`, `1 h 30 min`), non-negative and finite.
fn parse_duration(text: &str) -> Option<f64> {
    crate::units::parse_duration(text, 1.0)
        .ok()
        .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
}

/// Plain decimals when short, exponent form otherwise; both read back to exactly `value`
/// (Rust prints the shortest digits that round-trip).
fn format_number(value: f64) -> String {
    let plain = format!("{value}");
    if plain.len() <= MAX_PLAIN_NUMBER_LEN {
        plain
    } else {
        format!("{value:e}")
    }
}

/// The shortest percent that reads back (through `Availability::from_percent`) to exactly this
/// availability. Percents near 100 are spaced more widely than fractions near 1, so
/// `availability.percent()` itself may read back one fraction off; one of its nearest
/// neighbours then does. When none does (a fraction no percent maps to), the nearest percent,
/// which reads back within one unit in the last place.
fn format_percent(availability: Availability) -> String {
    let nearest = availability.percent();
    // Almost always the nearest percent itself reads back (99.99 → 0.9999 → 99.99): then its
    // shortest digits are the answer, without the search below (which is on the report's path).
    if Availability::from_percent(nearest) == Ok(availability) {
        return format_number(nearest);
    }
    let mut below = nearest;
    let mut above = nearest;
    let mut candidates = vec![nearest];
    for _ in 0..PERCENT_NEIGHBOURS_SEARCHED {
        below = below.next_down();
        above = above.next_up();
        candidates.extend([below, above]);
    }
    candidates
        .into_iter()
        .filter(|&percent| Availability::from_percent(percent) == Ok(availability))
        .map(format_number)
        .min_by_key(String::len)
        .unwrap_or_else(|| format_number(nearest))
}

/// How many neighbours on each side of the nearest percent [`format_percent`] tries; two units
/// in the last place cover the rounding of the two conversions, with margin.
const PERCENT_NEIGHBOURS_SEARCHED: usize = 4;

/// Seconds in the largest unit of `h`, `min`, `s` that holds them as a whole number.
fn format_duration(seconds: f64) -> String {
    for (unit, seconds_per_unit) in [("h", 3600.0), ("min", 60.0)] {
        let in_unit = seconds / seconds_per_unit;
        if seconds > 0.0 && in_unit.fract() == 0.0 && in_unit * seconds_per_unit == seconds {
            return format!("{}{unit}", format_number(in_unit));
        }
    }
    format!("{}s", format_number(seconds))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testutil::assert_abs;

    #[test]
    fn reads_the_example_chain() -> Result<(), AvailabilityError> {
        let chain = parse_tiers("lb:99.99:2/1,app:99.9:3/2,db:99.95:ap:30s:1h")?;
        let expected = vec![
            Tier::new("lb", 0.9999, Redundancy::KOfN { n: 2, k: 1 })?,
            Tier::new("app", 0.999, Redundancy::KOfN { n: 3, k: 2 })?,
            Tier::new(
                "db",
                0.9995,
                Redundancy::ActivePassive {
                    failover_seconds: 30.0,
                    mttr_seconds: 3600.0,
                },
            )?,
        ];
        assert_eq!(chain, expected);
        assert_eq!(
            format_tiers(&chain),
            "lb:99.99:2/1,app:99.9:3/2,db:99.95:ap:30s:1h"
        );
        Ok(())
    }

    /// Issue 18: the `tiers` key refused the human forms every other field accepts. Each pair
    /// below denotes the same chain (by hand: 4 nines = 99.99%, 1d = 86,400 s, 30 s = 30s).
    #[test]
    fn reads_the_human_forms_of_percents_and_durations() -> Result<(), AvailabilityError> {
        for (human, canonical) in [
            ("lb:4 nines:2/1", "lb:99.99:2/1"),
            ("app:99.9%:3/2", "app:99.9:3/2"),
            ("db:99.95:ap:30 s:1d", "db:99.95:ap:30s:24h"),
            ("db:three 9s:ap:2 min:1 h 30 min", "db:99.9:ap:2min:90min"),
        ] {
            assert_eq!(parse_tiers(human)?, parse_tiers(canonical)?, "{human}");
            assert_eq!(format_tiers(&parse_tiers(human)?), canonical, "{human}");
        }
        assert!(parse_tiers("db:99.95:ap:-30s:1h").is_err());
        assert!(parse_tiers("db:lots:2/1").is_err());
        Ok(())
    }

    #[test]
    fn writes_the_canonical_form() -> Result<(), AvailabilityError> {
        let cases = [
            ("web:99.9", "web:99.9:1/1"),
            ("a:99.90:03/2", "a:99.9:3/2"),
            ("a:1e2:1/1", "a:100:1/1"),
            ("a:.5:1/1", "a:0.5:1/1"),
            ("db:99:ap:90:5400s", "db:99:ap:90s:90min"),
            ("db:99:ap:0.5min:1.5h", "db:99:ap:30s:90min"),
            ("db:99:ap:0:0.25s", "db:99:ap:0s:0.25s"),
            ("", ""),
        ];
        for (text, canonical) in cases {
            assert_eq!(
                format_tiers(&parse_tiers(text)?),
                canonical,
                "from `{text}`"
            );
        }
        Ok(())
    }

    #[test]
    fn percents_finer_than_the_fraction_grid_round_trip() -> Result<(), AvailabilityError> {
        // Found by proptest: 97.14598596679373% is the fraction 0.9714598596679374, whose nearest
        // percent, 97.14598596679374, reads back as 0.9714598596679375.
        let chain = parse_tiers("a:97.14598596679373:1/1")?;
        assert_eq!(parse_tiers(&format_tiers(&chain))?, chain);
        Ok(())
    }

    #[test]
    fn refuses_malformed_text() {
        let syntax_errors = [
            "lb",
            "lb:",
            "lb:99.9:2",
            "lb:99.9:2/",
            "lb:99.9:/1",
            "lb:99.9:-2/1",
            "lb:99.9:2/1:x",
            "lb:99.9:ap:30s",
            "lb:99.9:ap:30x:1h",
            "lb:99.9:ap:-30s:1h",
            "lb:inf:1/1",
            "lb:NaN:1/1",
            "lb:-5:1/1",
            "lb:+5:1/1",
            "lb:99.9:1/1,",
            "lb:99.9:99999999999/1",
        ];
        for text in syntax_errors {
            assert!(
                matches!(parse_tiers(text), Err(AvailabilityError::TierSyntax { .. })),
                "`{text}` gave {:?}",
                parse_tiers(text)
            );
        }
        assert!(matches!(
            parse_tiers("lb:100.5:1/1"),
            Err(AvailabilityError::PercentOutOfRange(_))
        ));
        assert!(matches!(
            parse_tiers("LB:99:1/1"),
            Err(AvailabilityError::TierName { .. })
        ));
        assert!(matches!(
            parse_tiers("lb:99:3/4"),
            Err(AvailabilityError::RequiredReplicas { .. })
        ));
        assert!(matches!(
            parse_tiers("lb:99:ap:1e400:1h"),
            Err(AvailabilityError::TierSyntax { .. })
        ));
        assert!(matches!(
            parse_tiers("lb:99:ap:1e10:1h"),
            Err(AvailabilityError::Duration { .. })
        ));
        let seventeen = vec!["a:99:1/1"; 17].join(",");
        assert_eq!(
            parse_tiers(&seventeen),
            Err(AvailabilityError::TooManyTiers { count: 17 })
        );
        let long = "a".repeat(MAX_TIERS_TEXT_LEN + 1);
        assert!(matches!(
            parse_tiers(&long),
            Err(AvailabilityError::TiersTextTooLong { .. })
        ));
    }

    #[test]
    fn error_names_the_tier() {
        let message = parse_tiers("lb:99.99:2/1,app:99.9:3").map_err(|error| error.to_string());
        assert_eq!(
            message,
            Err("tier 2 (`app:99.9:3`): expected `n/k` after the percent, e.g. `3/2`".to_string())
        );
    }

    fn tier_text() -> impl Strategy<Value = String> {
        let name = "[a-z0-9_-]{1,12}";
        let percent = prop_oneof![
            (0u32..=100).prop_map(|whole| whole.to_string()),
            (90u32..100, 0u32..100_000).prop_map(|(whole, decimals)| format!("{whole}.{decimals}")),
            (0.0..=100.0f64).prop_map(|p| p.to_string()),
        ];
        let duration = (
            0u32..100_000,
            prop_oneof![Just(""), Just("s"), Just("min"), Just("h")],
        )
            .prop_map(|(amount, unit)| format!("{amount}{unit}"));
        let counts = (1u32..=50)
            .prop_flat_map(|n| (Just(n), 1..=n))
            .prop_map(|(n, k)| format!("{n}/{k}"));
        let redundancy = prop_oneof![
            counts,
            (
                duration.clone(),
                duration.prop_filter("repair time > 0", |d| !d.starts_with('0'))
            )
                .prop_map(|(failover, mttr)| format!("ap:{failover}:{mttr}")),
        ];
        (name, percent, redundancy)
            .prop_map(|(name, percent, redundancy)| format!("{name}:{percent}:{redundancy}"))
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,300}") {
            let _ = parse_tiers(&text);
        }

        #[test]
        fn never_panics_on_near_miss_text(text in "[a-z0-9:,/.%eE+-]{0,200}") {
            if let Ok(chain) = parse_tiers(&text) {
                prop_assert_eq!(parse_tiers(&format_tiers(&chain)), Ok(chain));
            }
        }

        #[test]
        fn text_round_trips_exactly(tiers in prop::collection::vec(tier_text(), 0..=MAX_TIERS)) {
            let text = tiers.join(",");
            let chain = parse_tiers(&text);
            prop_assert!(chain.is_ok(), "{} gave {:?}", text, chain);
            let chain = chain.unwrap_or_default();
            let canonical = format_tiers(&chain);
            prop_assert_eq!(parse_tiers(&canonical), Ok(chain));
            prop_assert_eq!(format_tiers(&parse_tiers(&canonical).unwrap_or_default()), canonical);
        }

        #[test]
        fn any_tier_round_trips_within_one_ulp(
            fraction in 0.0..=1.0f64,
            failover_seconds in 0.0..=1e9f64,
            mttr_seconds in 1e-300..=1e9f64,
        ) {
            let redundancy = Redundancy::ActivePassive { failover_seconds, mttr_seconds };
            let tier = Tier::new("x", fraction, redundancy);
            prop_assert!(tier.is_ok());
            let chain = tier.into_iter().collect::<Vec<_>>();
            let read_back = parse_tiers(&format_tiers(&chain));
            prop_assert!(read_back.is_ok(), "{:?}", read_back);
            let read_back = read_back.unwrap_or_default();
            prop_assert_eq!(read_back.len(), 1);
            for tier in &read_back {
                assert_abs(tier.replica_availability().fraction(), fraction, 2.0 * f64::EPSILON);
                prop_assert_eq!(tier.redundancy(), redundancy);
            }
        }
    }
}
