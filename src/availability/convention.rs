//! The time convention: how long a year, a quarter, a month, a week and a day are.

use serde::{Deserialize, Serialize};

use crate::SECONDS_PER_DAY;
use crate::choice::choice_enum;

choice_enum! {
    /// A span of calendar time over which downtime is counted.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum Period {
        /// A year, of the length the [`Convention`] says.
        Year = "year", "per year",
        /// A quarter: a quarter of the convention's year.
        Quarter = "quarter", "per quarter",
        /// A month, of the length the [`Convention`] says.
        Month = "month", "per month",
        /// Seven days.
        Week = "week", "per week",
        /// 86,400 seconds.
        Day = "day", "per day",
    }
}

choice_enum! {
    /// How many days a year has.
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum YearLength {
        /// 365 days: the common year, and the chapter's convention (99.9% = 8.76 h a year).
        #[default]
        Days365 = "365", "365 days",
        /// 365.25 days: the Julian year, the average with a leap year every four years.
        Julian365_25 = "365.25", "365.25 days (Julian)",
        /// 365.2425 days: the Gregorian year, the calendar's long-run average (used by uptime.is).
        Gregorian365_2425 = "365.2425", "365.2425 days (Gregorian)",
    }
}

impl YearLength {
    /// Days in the year.
    pub fn days(self) -> f64 {
        match self {
            Self::Days365 => 365.0,
            Self::Julian365_25 => 365.25,
            Self::Gregorian365_2425 => 365.2425,
        }
    }
}

choice_enum! {
    /// How long a month is.
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum MonthLength {
        /// A twelfth of the convention's year: 730 hours with a 365-day year (the chapter's 43.8
        /// min at 99.9%).
        #[default]
        TwelfthOfYear = "year/12", "year / 12 (730 h)",
        /// 30 days, 720 hours: the usual SLO window (Google SRE Workbook), 43.2 min at 99.9%.
        Days30 = "30d", "30 days (720 h)",
    }
}

/// The time convention every downtime figure is computed in. The default is the chapter's: a
/// 365-day year and a month of a twelfth of it (730 hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Convention {
    /// How many days a year has.
    pub year: YearLength,
    /// How long a month is.
    pub month: MonthLength,
}

impl Convention {
    /// Which month the downtime figures use and why, for the page: the cost page bills a
    /// different month by default (720 h, [`crate::cost::month_note`]), and a reader comparing
    /// the two should not have to guess why.
    ///
    /// # Examples
    /// ```
    /// use headroom::availability::Convention;
    /// assert!(Convention::default().month_note().starts_with("month = 730 h"));
    /// ```
    pub fn month_note(&self) -> String {
        let hours =
            crate::units::format_count(self.seconds(Period::Month) / crate::SECONDS_PER_HOUR);
        match self.month {
            MonthLength::TwelfthOfYear => format!(
                "month = {hours} h, a twelfth of the year, as the chapter's table counts it \
                 (/cost bills 720 h, 30 days, as the chapter prices its fleet)"
            ),
            MonthLength::Days30 => {
                format!("month = {hours} h, 30 days, the usual SLO window")
            }
        }
    }

    /// The length of `period` in seconds.
    ///
    /// # Formula
    /// ```text
    /// year    = D × 86,400 s        D = 365, 365.25 or 365.2425 days (YearLength)
    /// quarter = year / 4
    /// month   = year / 12           (MonthLength::TwelfthOfYear)
    ///         = 30 × 86,400 s       (MonthLength::Days30)
    /// week    = 7 × 86,400 s
    /// day     = 86,400 s
    /// ```
    ///
    /// # Examples
    /// ```
    /// use headroom::availability::{Convention, Period};
    /// // The chapter's month: a twelfth of a 365-day year, 730 hours.
    /// assert_eq!(Convention::default().seconds(Period::Month), 730.0 * 3600.0);
    /// ```
    pub fn seconds(&self, period: Period) -> f64 {
        let year = self.year.days() * SECONDS_PER_DAY;
        match period {
            Period::Year => year,
            Period::Quarter => year / 4.0,
            Period::Month => match self.month {
                MonthLength::TwelfthOfYear => year / 12.0,
                MonthLength::Days30 => 30.0 * SECONDS_PER_DAY,
            },
            Period::Week => 7.0 * SECONDS_PER_DAY,
            Period::Day => SECONDS_PER_DAY,
        }
    }
}
