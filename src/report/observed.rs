//! The report's `observed` section: what an imported series says (see [`crate::traffic`]) and
//! how the capacity plan sized from it, with the traces under `observed.*`.

use serde::{Deserialize, Serialize};

use super::Entries;
use crate::scenario::Scenario;
use crate::trace::{rate, text};
use crate::traffic::{MONTH_S, Observed, time::format_timestamp};
use crate::units::{format_count, format_percent};

/// Names of the days of the week, Monday first (as [`crate::traffic::time::weekday`] counts).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The figures of an observed series, rates in requests per second; times in UTC. Also the
/// answer of `POST /api/v1/traffic`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrafficFigures {
    /// Points in the series.
    pub points: u64,
    /// Seconds between points (the most common spacing).
    pub step_seconds: f64,
    /// The first point, `YYYY-MM-DDTHH:MM:SSZ`.
    pub start: String,
    /// The last point.
    pub end: String,
    /// The mean rate.
    pub mean_per_second: f64,
    /// The median rate (numpy's linear method).
    pub p50_per_second: f64,
    /// The 95th percentile rate.
    pub p95_per_second: f64,
    /// The 99th percentile rate.
    pub p99_per_second: f64,
    /// The highest rate.
    pub max_per_second: f64,
    /// `max / mean`.
    pub peak_factor: f64,
    /// `p99 / mean`.
    pub p99_peak_factor: f64,
    /// Growth per month from a log-linear fit, when the series spans two weeks (0.05 is 5%).
    pub trend_per_month: Option<f64>,
    /// The hour of the day (UTC, 0-23) with the highest mean.
    pub busiest_hour_utc: Option<u32>,
    /// The day of the week with the highest mean.
    pub busiest_day: Option<String>,
    /// Mean rate per day of the week, Monday first.
    pub week_per_second: Option<Vec<f64>>,
    /// Mean rate per hour of the day (UTC), from the average day.
    pub hourly_per_second: Option<Vec<f64>>,
    /// The average day, one rate per slot from midnight UTC, as the link carries it.
    pub day_per_second: Option<Vec<f64>>,
    /// Seconds per slot of the average day.
    pub day_slot_seconds: Option<f64>,
    /// The largest error of a slot of the average day from its 12-bit quantization.
    pub day_quantization_error_per_second: Option<f64>,
}

impl TrafficFigures {
    /// The figures of `o`.
    pub fn of(o: &Observed) -> Self {
        Self {
            points: o.points,
            step_seconds: o.step_seconds,
            start: format_timestamp(o.start),
            end: format_timestamp(o.end),
            mean_per_second: o.mean,
            p50_per_second: o.p50,
            p95_per_second: o.p95,
            p99_per_second: o.p99,
            max_per_second: o.max,
            peak_factor: o.peak_factor(),
            p99_peak_factor: o.p99_factor(),
            trend_per_month: o.trend_per_month,
            busiest_hour_utc: o.busiest_hour().map(|h| h as u32),
            busiest_day: o.busiest_day().map(|d| WEEKDAYS[d].to_string()),
            week_per_second: o.week.map(|w| w.to_vec()),
            hourly_per_second: o.day.as_ref().map(|d| d.hourly().to_vec()),
            day_per_second: o.day.as_ref().map(crate::traffic::DayProfile::rates),
            day_slot_seconds: o.day.as_ref().map(crate::traffic::DayProfile::slot_seconds),
            day_quantization_error_per_second: o
                .day
                .as_ref()
                .map(crate::traffic::DayProfile::quantization_error),
        }
    }
}

/// The `observed` section: the figures, and how the plan used them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ObservedSection {
    /// What the series says.
    #[serde(flatten)]
    pub figures: TrafficFigures,
    /// `max`, `p99` or `off` (the plan sizes from users and the peak factor).
    pub sized_from: String,
    /// The rate the plan sizes for, when it sizes from the series.
    pub sizing_rate_per_second: Option<f64>,
    /// Daily users that give the observed mean with the scenario's actions per user.
    pub implied_daily_users: Option<f64>,
    /// The peak factor the plan uses: `max(sizing rate / mean, 1)`.
    pub sizing_peak_factor: Option<f64>,
    /// The peak factor the scenario guessed (`peak`), for comparison.
    pub guessed_peak_factor: f64,
    /// The mean the guess gives: `dau × (writes + reads) / 86,400 s`.
    pub guessed_mean_per_second: f64,
}

/// The section for `scenario`'s observed traffic, or `None` without an import; its traces go to
/// `out`.
pub fn section(scenario: &Scenario, out: &mut Entries<String>) -> Option<ObservedSection> {
    let o = scenario.obs()?;
    let figures = TrafficFigures::of(o);
    let n = format_count(o.points as f64);
    out.push(
        "observed.mean_per_second",
        text!("Σ rᵢ / n over {n} points = {}", rate(o.mean)),
    );
    for (path, p, x) in [
        ("observed.p50_per_second", "50th", o.p50),
        ("observed.p95_per_second", "95th", o.p95),
        ("observed.p99_per_second", "99th", o.p99),
    ] {
        out.push(
            path,
            text!(
                "{p} percentile of the {n} rates, linear between the closest ranks (numpy's default) = {}",
                rate(x)
            ),
        );
    }
    out.push(
        "observed.peak_factor",
        text!(
            "max / mean = {} / {} = {}",
            format_count(o.max),
            format_count(o.mean),
            format_count(o.peak_factor())
        ),
    );
    out.push(
        "observed.p99_peak_factor",
        text!(
            "p99 / mean = {} / {} = {}",
            format_count(o.p99),
            format_count(o.mean),
            format_count(o.p99_factor())
        ),
    );
    if let Some(g) = o.trend_per_month {
        out.push(
            "observed.trend_per_month",
            text!(
                "e^(b × {} d) − 1 = {}, b the slope of the least-squares line of ln(rate) over time",
                format_count(MONTH_S / 86_400.0),
                format_percent(g * 100.0)
            ),
        );
    }
    let guessed_mean =
        scenario.dau() * (scenario.writes() + scenario.reads()) / crate::SECONDS_PER_DAY;
    let plan = scenario.observed_plan();
    if let Some(p) = plan {
        out.push(
            "observed.implied_daily_users",
            text!(
                "{} × 86,400 s / ({} + {} actions per user) = {} users",
                rate(p.mean_rps),
                format_count(scenario.writes()),
                format_count(scenario.reads()),
                format_count(p.daily_users)
            ),
        );
        out.push(
            "observed.sizing_peak_factor",
            text!(
                "max({} / {}, 1) = {}, against the {} guessed",
                format_count(p.peak_rps),
                format_count(p.mean_rps),
                format_count(p.peak_factor),
                format_count(scenario.peak())
            ),
        );
    }
    Some(ObservedSection {
        figures,
        sized_from: scenario.obs_size().key().to_string(),
        sizing_rate_per_second: plan.map(|p| p.peak_rps),
        implied_daily_users: plan.map(|p| p.daily_users),
        sizing_peak_factor: plan.map(|p| p.peak_factor),
        guessed_peak_factor: scenario.peak(),
        guessed_mean_per_second: guessed_mean,
    })
}
