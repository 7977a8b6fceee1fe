//! Growth and runway: the capacity plan month by month as load grows, and the first month each
//! tier needs more than what runs today.
//!
//! # Model
//! ```text
//! load(m)     = today's load × (1 + g)^m                       m = 0, 1, … horizon (months)
//! nodes(m)    = the capacity arithmetic rerun with daily users × (1 + g)^m (same per-node
//!               capacity, utilization and redundancy as today's plan)
//! written(k)  = bytes per year with replication / 12 × (1 + g)^k   (month k's writes)
//! stored(m)   = Σ written(k) × overlap of month k with the retention window, over k ≤ m; the
//!               window is the W = retention years × 12 months ending with month m, so a
//!               month's writes expire W months later
//! runs out    = the first m with need(m) > have; 0 means today's plan already needs more
//! ```
//! Storage counts what the plan writes from month 0 on, as the storage chart does: what is stored
//! before month 0 is not an input. Compound growth per month is what capacity plans quote
//! ("5% a month"); a yearly rate r is (1 + r)^(1/12) − 1 a month.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{CapacityInput, CapacityReport, GrowthPoint, NodeCount, growth_curve};
use crate::report::Entries;
use crate::trace::text;
use crate::units::{format_bytes, format_count};

/// The longest horizon, months (ten years).
pub const MAX_HORIZON_MONTHS: u32 = 120;

/// A calendar month, `YYYY-MM`: the first month of the horizon, so months read as dates. The
/// core has no clock, so there is no "this month" default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: u16,
    month: u8,
}

impl YearMonth {
    /// `year`-`month`, for a year from 1900 to 9999 and a month from 1 to 12.
    pub fn new(year: u16, month: u8) -> Option<Self> {
        ((1900..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// The month `months` later (the calendar rolls over into the next year), or `None` past
    /// 9999-12.
    pub fn plus(self, months: u32) -> Option<Self> {
        let index = u32::from(self.year) * 12 + u32::from(self.month) - 1 + months;
        let year = u16::try_from(index / 12).ok()?;
        Self::new(year, (index % 12) as u8 + 1)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "must be a month as YYYY-MM, e.g. 2027-01 (not “{}”)",
                crate::text::clip(text, 40)
            )
        };
        let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || !(1..=2).contains(&month.len()) {
            return Err(bad());
        }
        let year: u16 = year.parse().map_err(|_| bad())?;
        let month: u8 = month.parse().map_err(|_| bad())?;
        Self::new(year, month).ok_or_else(|| {
            "must be a month from 1900-01 to 9999-12, its month from 01 to 12".to_string()
        })
    }
}

impl TryFrom<String> for YearMonth {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

impl From<YearMonth> for String {
    fn from(m: YearMonth) -> String {
        m.to_string()
    }
}

/// What runs today; `None` where it is not known.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Have {
    /// Web servers running.
    pub web: Option<u64>,
    /// Cache nodes running.
    pub cache: Option<u64>,
    /// Database nodes running.
    pub db: Option<u64>,
    /// Storage provisioned, bytes.
    pub storage_bytes: Option<f64>,
}

/// The growth and the horizon to plan over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunwayInput {
    /// Compound growth of the load per month: 0.05 for 5% a month (at least −1).
    pub growth_per_month: f64,
    /// Months after today to plan, at most [`MAX_HORIZON_MONTHS`].
    pub horizon_months: u32,
    /// The calendar month of month 0, if given.
    pub start: Option<YearMonth>,
    /// What runs today.
    pub have: Have,
}

/// The plan of one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MonthNeed {
    /// Months after today (0 = today).
    pub month: u32,
    /// The calendar month (`YYYY-MM`) when a start month is given.
    pub date: Option<YearMonth>,
    /// Load over today's, (1 + growth)^month.
    pub load_factor: f64,
    /// Web servers needed.
    pub web_servers: NodeCount,
    /// Cache nodes needed.
    pub cache_nodes: NodeCount,
    /// Database nodes needed.
    pub db_nodes: NodeCount,
    /// Bytes stored at the end of the month, with replication.
    pub storage_bytes: f64,
}

/// The first month each tier needs more than what runs today: months after today (0 = today's
/// plan already needs more), or `None` when it does not within the horizon or what runs is not
/// known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RunsOut {
    /// The web tier.
    pub web: Option<u32>,
    /// The cache tier.
    pub cache: Option<u32>,
    /// The database tier.
    pub db: Option<u32>,
    /// Storage.
    pub storage: Option<u32>,
}

/// The plan over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GrowthReport {
    /// Compound growth per month (0.05 = 5%).
    pub growth_per_month: f64,
    /// Months planned after today.
    pub horizon_months: u32,
    /// The calendar month of month 0, if given.
    pub start: Option<YearMonth>,
    /// What runs today, as given.
    pub have: Have,
    /// Month 0 (today) to the horizon.
    pub months: Vec<MonthNeed>,
    /// When each tier runs out.
    pub runs_out: RunsOut,
}

impl GrowthReport {
    /// The calendar month `month` months after the start (`YYYY-MM`), or `month m` without one.
    pub fn month_name(&self, month: u32) -> String {
        match self.start.and_then(|s| s.plus(month)) {
            Some(date) => date.to_string(),
            None => format!("month {month}"),
        }
    }
}

/// The plan of `input` month by month over `runway`'s horizon, and when each tier runs out;
/// `today` is `input`'s own plan (the report has it already, so it is not computed again).
///
/// # Formula
/// See the module's documentation. Months are a twelfth of the plan's year (its `year_days`).
pub fn plan_runway(
    input: &CapacityInput,
    today: &CapacityReport,
    runway: &RunwayInput,
) -> GrowthReport {
    let horizon = runway.horizon_months.min(MAX_HORIZON_MONTHS);
    let g = runway.growth_per_month.max(-1.0);
    let nodes = if g == 0.0 {
        // Without growth every month is today's plan: no need to rerun it per month.
        let point = GrowthPoint {
            multiplier: 1.0,
            web_servers: today.web_servers,
            cache_nodes: today.cache_nodes,
            db_nodes: today.db_nodes,
        };
        vec![point; horizon as usize + 1]
    } else {
        let factors: Vec<f64> = (0..=horizon).map(|m| (1.0 + g).powi(m as i32)).collect();
        growth_curve(input, &factors)
    };
    let per_month = today.storage_bytes_per_year / 12.0;
    let window = (input.retention_years() * 12.0).max(0.0);
    let months: Vec<MonthNeed> = nodes
        .into_iter()
        .zip(0..)
        .map(|(point, m)| MonthNeed {
            month: m,
            date: runway.start.and_then(|s| s.plus(m)),
            load_factor: point.multiplier,
            web_servers: point.web_servers,
            cache_nodes: point.cache_nodes,
            db_nodes: point.db_nodes,
            storage_bytes: stored_at(per_month, g, window, m),
        })
        .collect();
    let first =
        |need: &dyn Fn(&MonthNeed) -> bool| months.iter().find(|n| need(n)).map(|n| n.month);
    // The first month whose need exceeds what runs; `None` when what runs is not known.
    let first_over = |have: Option<u64>, need: fn(&MonthNeed) -> NodeCount| {
        have.and_then(|h| first(&|n| need(n).get().is_none_or(|count| count > h)))
    };
    let have = runway.have;
    let runs_out = RunsOut {
        web: first_over(have.web, |n| n.web_servers),
        cache: first_over(have.cache, |n| n.cache_nodes),
        db: first_over(have.db, |n| n.db_nodes),
        storage: have
            .storage_bytes
            .and_then(|h| first(&|n| n.storage_bytes > h)),
    };
    GrowthReport {
        growth_per_month: runway.growth_per_month,
        horizon_months: horizon,
        start: runway.start,
        have,
        months,
        runs_out,
    }
}

/// The traces of when each tier runs out, under `growth.runs_out.<tier>`.
pub fn explain(r: &GrowthReport, out: &mut Entries<String>) {
    let when = |m: u32| {
        if m == 0 {
            "today".to_string()
        } else {
            r.month_name(m)
        }
    };
    let mut tier = |path: &'static str,
                    field: &str,
                    noun: &str,
                    have: Option<u64>,
                    at: Option<u32>,
                    need: fn(&MonthNeed) -> NodeCount| {
        let trace = match (have, at) {
            (None, _) => {
                text!("what runs today is not known ({field}): enter it to see when it runs out")
            }
            (Some(h), Some(m)) => {
                let n = &r.months[m as usize];
                text!(
                    "{}: today's load × {} needs {}, more than the {h} running",
                    when(m),
                    format_count(n.load_factor),
                    need(n).of(noun)
                )
            }
            (Some(h), None) => {
                let most = r
                    .months
                    .iter()
                    .map(need)
                    .max_by_key(|n| n.get().unwrap_or(u64::MAX));
                text!(
                    "at most {} within {} months, no more than the {h} running",
                    most.map_or_else(String::new, |n| n.of(noun)),
                    r.horizon_months
                )
            }
        };
        out.push(path, trace);
    };
    tier(
        "growth.runs_out.web",
        "have_web",
        "web server",
        r.have.web,
        r.runs_out.web,
        |n| n.web_servers,
    );
    tier(
        "growth.runs_out.cache",
        "have_cache",
        "cache node",
        r.have.cache,
        r.runs_out.cache,
        |n| n.cache_nodes,
    );
    tier(
        "growth.runs_out.db",
        "have_db",
        "database node",
        r.have.db,
        r.runs_out.db,
        |n| n.db_nodes,
    );
    let storage = match (r.have.storage_bytes, r.runs_out.storage) {
        (None, _) => {
            "what is provisioned is not known (have_storage): enter it to see when it fills"
                .to_string()
        }
        (Some(h), Some(m)) => text!(
            "{}: {} stored with replication, more than the {} provisioned",
            when(m),
            format_bytes(r.months[m as usize].storage_bytes),
            format_bytes(h)
        ),
        (Some(h), None) => text!(
            "at most {} stored within {} months, no more than the {} provisioned",
            format_bytes(r.months.iter().map(|n| n.storage_bytes).fold(0.0, f64::max)),
            r.horizon_months,
            format_bytes(h)
        ),
    };
    out.push("growth.runs_out.storage", storage);
}

/// Bytes stored at the end of month `m`: month k's writes, `per_month × (1 + g)^k`, for the part
/// of month k inside the retention window `[m + 1 − window, m + 1]` (months from 0 on).
fn stored_at(per_month: f64, g: f64, window: f64, m: u32) -> f64 {
    let end = f64::from(m) + 1.0;
    let from = (end - window).max(0.0);
    let first = from.floor() as u32;
    (first..=m)
        .map(|k| {
            let (lo, hi) = (f64::from(k).max(from), f64::from(k) + 1.0);
            per_month * (1.0 + g).powi(k as i32) * (hi - lo).max(0.0)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::{CapacityParams, Spare, calculate};
    use crate::testutil::assert_rel;
    use proptest::prelude::*;

    /// The chapter's example at full load with no spare: 13 web, 2 cache, 2 database nodes,
    /// 9.125 TB written a year (100M × 0.5 × 500 B × 365 d, one copy).
    fn chapter() -> CapacityInput {
        crate::scenario::Scenario::chapter()
            .capacity_input()
            .expect("valid")
    }

    fn run(input: &CapacityInput, growth: f64, horizon: u32, have: Have) -> GrowthReport {
        plan_runway(
            input,
            &calculate(input),
            &RunwayInput {
                growth_per_month: growth,
                horizon_months: horizon,
                start: None,
                have,
            },
        )
    }

    #[test]
    fn without_growth_every_month_is_today() {
        let input = chapter();
        let today = calculate(&input);
        let r = run(&input, 0.0, 24, Have::default());
        assert_eq!(r.months.len(), 25);
        assert!(r.months.iter().all(|m| m.web_servers == today.web_servers
            && m.cache_nodes == today.cache_nodes
            && m.db_nodes == today.db_nodes));
        // Nothing known of what runs: nothing runs out.
        assert_eq!(r.runs_out, RunsOut::default());
    }

    #[test]
    fn a_tier_that_never_runs_out_and_one_that_already_has() {
        let have = Have {
            web: Some(12),
            cache: Some(1_000),
            db: None,
            storage_bytes: None,
        };
        let r = run(&chapter(), 0.0, 24, have);
        // 13 web servers are needed today and 12 run: out at month 0 (now).
        assert_eq!(r.runs_out.web, Some(0));
        // 2 cache nodes against 1,000: never within the horizon.
        assert_eq!(r.runs_out.cache, None);
        // Not known: no answer.
        assert_eq!(r.runs_out.db, None);
    }

    #[test]
    fn compound_growth_checked_by_hand() {
        // 5% a month. Web servers = ⌈121,527.78 × 1.05^m / 10,000⌉ at full load, no spare:
        //   m = 0: 12.15 → 13;  m = 3: 1.157625 × 12.15 = 14.07 → 15;
        //   m = 4: 1.21550625 × 12.15 = 14.77 → 15;  m = 5: 1.2762815625 × 12.15 = 15.51 → 16.
        // With 15 web servers the tier runs out in month 5.
        let have = Have {
            web: Some(15),
            ..Have::default()
        };
        let r = run(&chapter(), 0.05, 24, have);
        assert_eq!(r.months[0].web_servers, 13);
        assert_eq!(r.months[3].web_servers, 15);
        assert_eq!(r.months[4].web_servers, 15);
        assert_eq!(r.months[5].web_servers, 16);
        assert_rel(r.months[5].load_factor, 1.276_281_562_5, 1e-12);
        assert_eq!(r.runs_out.web, Some(5));
        // 24 months: 1.05^24 = 3.2251; × 12.1528 = 39.19 → 40.
        assert_eq!(r.months[24].web_servers, 40);
    }

    #[test]
    fn storage_accumulates_with_replication_and_expires_after_the_retention() {
        // 3 copies, kept 1 year: 9.125 TB × 3 = 27.375 TB a year, 2.28125 TB a month.
        let input = CapacityInput::new(CapacityParams {
            replication_factor: 3.0,
            ..chapter_params()
        })
        .expect("valid");
        let per_month = 27.375e12 / 12.0;
        let r = run(&input, 0.0, 24, Have::default());
        // End of month 0: one month's writes; month 11: twelve; from then on the window is full.
        assert_rel(r.months[0].storage_bytes, per_month, 1e-12);
        assert_rel(r.months[11].storage_bytes, 12.0 * per_month, 1e-12);
        assert_rel(r.months[24].storage_bytes, 12.0 * per_month, 1e-12);
        // With 10% a month, month 2 holds 1 + 1.1 + 1.21 = 3.31 months of today's writes.
        let grown = run(&input, 0.10, 24, Have::default());
        assert_rel(grown.months[2].storage_bytes, 3.31 * per_month, 1e-12);
        // Kept half a year: month 7's window is months 2 to 7 (6 months), flat.
        let half = CapacityInput::new(CapacityParams {
            replication_factor: 3.0,
            retention_years: 0.5,
            ..chapter_params()
        })
        .expect("valid");
        let r = run(&half, 0.0, 24, Have::default());
        assert_rel(r.months[7].storage_bytes, 6.0 * per_month, 1e-12);
        // 40 TB provisioned: a year's retention holds at most 27.375 TB, so it never runs out;
        // 20 TB runs out when the ninth month's writes land (8 × 2.28125 = 18.25 TB at the end
        // of month 7, 9 × 2.28125 = 20.53 TB at the end of month 8).
        let big = run(
            &input,
            0.0,
            24,
            Have {
                storage_bytes: Some(40e12),
                ..Have::default()
            },
        );
        assert_eq!(big.runs_out.storage, None);
        let small = run(
            &input,
            0.0,
            24,
            Have {
                storage_bytes: Some(20e12),
                ..Have::default()
            },
        );
        assert_eq!(small.runs_out.storage, Some(8));
    }

    #[test]
    fn months_read_as_dates_from_the_start() {
        let start: YearMonth = "2026-11".parse().expect("valid");
        assert_eq!(
            start.plus(0).map(|m| m.to_string()).as_deref(),
            Some("2026-11")
        );
        assert_eq!(
            start.plus(2).map(|m| m.to_string()).as_deref(),
            Some("2027-01")
        );
        assert_eq!(
            start.plus(14).map(|m| m.to_string()).as_deref(),
            Some("2028-01")
        );
        assert_eq!(
            "2027-5"
                .parse::<YearMonth>()
                .map(|m| m.to_string())
                .as_deref(),
            Ok("2027-05")
        );
        for bad in [
            "2027",
            "2027-13",
            "2027-00",
            "27-05",
            "2027-05-01",
            "",
            "abcd-ef",
            "1899-12",
        ] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
        assert_eq!(YearMonth::new(9999, 12).and_then(|m| m.plus(1)), None);
        let r = plan_runway(
            &chapter(),
            &calculate(&chapter()),
            &RunwayInput {
                growth_per_month: 0.0,
                horizon_months: 3,
                start: Some(start),
                have: Have::default(),
            },
        );
        assert_eq!(r.month_name(3), "2027-02");
        assert_eq!(
            r.months[3].date.map(|d| d.to_string()).as_deref(),
            Some("2027-02")
        );
    }

    #[test]
    fn the_horizon_is_bounded() {
        let r = run(&chapter(), 0.01, 10_000, Have::default());
        assert_eq!(r.horizon_months, MAX_HORIZON_MONTHS);
        assert_eq!(r.months.len(), 121);
    }

    #[test]
    fn spares_and_utilization_follow_todays_plan() {
        // At 70% with N+1, month 0 is the page's plan: ⌈121,528 / 7,000⌉ + 1 = 19.
        let input = CapacityInput::new(CapacityParams {
            utilization: 0.7,
            spare: Spare::NPlusOne,
            ..chapter_params()
        })
        .expect("valid");
        let r = run(&input, 0.0, 1, Have::default());
        assert_eq!(r.months[0].web_servers, 19);
    }

    /// The chapter's example (section 10) as parameters, to vary one at a time.
    fn chapter_params() -> CapacityParams {
        CapacityParams::chapter()
    }

    proptest! {
        #[test]
        fn more_growth_never_runs_out_later(
            g in 0.0f64..0.3, extra in 0.0f64..0.3, web in 0u64..200, storage in 0.0f64..1e15,
        ) {
            let have = Have { web: Some(web), cache: Some(web / 4), db: Some(web / 3),
                storage_bytes: Some(storage) };
            let slow = run(&chapter(), g, 60, have);
            let fast = run(&chapter(), g + extra, 60, have);
            // Whether running out at `a` is later than at `b` (never is latest of all).
            let later = |a: Option<u32>, b: Option<u32>| match (a, b) {
                (Some(a), Some(b)) => a > b,
                (None, Some(_)) => true,
                _ => false,
            };
            for (s, f) in [
                (slow.runs_out.web, fast.runs_out.web),
                (slow.runs_out.cache, fast.runs_out.cache),
                (slow.runs_out.db, fast.runs_out.db),
                (slow.runs_out.storage, fast.runs_out.storage),
            ] {
                prop_assert!(!later(f, s), "faster growth ran out later: {f:?} vs {s:?}");
            }
        }

        #[test]
        fn stored_bytes_never_exceed_the_window_at_the_highest_rate(
            g in 0.0f64..0.2, years in 0.0f64..5.0, m in 0u32..120,
        ) {
            let stored = stored_at(1.0, g, years * 12.0, m);
            let bound = (years * 12.0).min(f64::from(m) + 1.0) * (1.0 + g).powi(m as i32);
            prop_assert!(stored <= bound * (1.0 + 1e-12) + 1e-12, "{stored} > {bound}");
        }
    }
}
