//! Error budgets and burn rates (Google SRE Workbook, chapter 5, "Alerting on SLOs").

use serde::{Deserialize, Serialize};

use super::{AvailabilityError, Convention, Period, downtime_seconds};

/// How much of an SLO window's error budget an outage used, and how much is left.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBudget {
    /// The availability target, percent.
    pub target_percent: f64,
    /// Length of the SLO window, seconds.
    pub window_seconds: f64,
    /// Downtime the target allows in the window, seconds.
    pub budget_seconds: f64,
    /// Downtime spent, seconds.
    pub consumed_seconds: f64,
    /// Share of the budget spent; above 1 when the outage overran it.
    pub consumed_fraction: f64,
    /// Downtime still allowed in the window, seconds; 0 once overrun.
    pub remaining_seconds: f64,
    /// Share of the budget left, in `[0, 1]`.
    pub remaining_fraction: f64,
}

impl ErrorBudget {
    /// How long the remaining budget lasts at a constant burn rate, in seconds.
    ///
    /// # Formula
    /// ```text
    /// t = r × W / b      r = remaining share of the budget, W = window in seconds,
    ///                    b = burn rate (1 spends the whole budget in exactly one window)
    /// ```
    /// (SRE Workbook, "Alerting on SLOs", table 5-4, scaled to the remaining share).
    ///
    /// # Errors
    /// [`AvailabilityError::BurnRate`] unless `burn_rate` is finite and greater than 0.
    pub fn time_to_exhaust_seconds(&self, burn_rate: f64) -> Result<f64, AvailabilityError> {
        check_burn_rate(burn_rate)?;
        Ok(self.remaining_fraction * self.window_seconds / burn_rate)
    }
}

/// The error budget of `target_percent` over one `window` (the SLO window, usually
/// [`Period::Month`]) after `outage_seconds` of downtime.
///
/// # Formula
/// ```text
/// B = (100 - P) / 100 × W     P = target in percent, W = window in seconds
/// consumed  = d / B           d = downtime in the window, seconds
/// remaining = max(0, B - d)
/// ```
/// (SRE Book, chapter 3 "Embracing Risk": the error budget is `1 - SLO` of the window.)
///
/// # Errors
/// - [`AvailabilityError::PercentOutOfRange`] unless `0 <= target_percent <= 100`;
/// - [`AvailabilityError::NoErrorBudget`] for a target of 100%, which leaves no budget to share;
/// - [`AvailabilityError::DowntimeOutOfRange`] unless `0 <= outage_seconds <= W`.
///
/// # Examples
/// ```
/// use headroom::availability::{Convention, MonthLength, Period, error_budget};
/// let thirty_days = Convention { month: MonthLength::Days30, ..Convention::default() };
/// // 99.9% over 30 days allows 43.2 minutes; a 21.6-minute outage spends half of it.
/// let budget = error_budget(99.9, Period::Month, &thirty_days, 21.6 * 60.0)?;
/// assert!((budget.consumed_fraction - 0.5).abs() < 1e-9);
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn error_budget(
    target_percent: f64,
    window: Period,
    convention: &Convention,
    outage_seconds: f64,
) -> Result<ErrorBudget, AvailabilityError> {
    let budget_seconds = downtime_seconds(target_percent, window, convention)?;
    if budget_seconds <= 0.0 {
        return Err(AvailabilityError::NoErrorBudget);
    }
    let window_seconds = convention.seconds(window);
    if !(0.0..=window_seconds).contains(&outage_seconds) {
        return Err(AvailabilityError::DowntimeOutOfRange {
            downtime_seconds: outage_seconds,
            period_seconds: window_seconds,
        });
    }
    let consumed_fraction = outage_seconds / budget_seconds;
    Ok(ErrorBudget {
        target_percent,
        window_seconds,
        budget_seconds,
        consumed_seconds: outage_seconds,
        consumed_fraction,
        remaining_seconds: (budget_seconds - outage_seconds).max(0.0),
        remaining_fraction: (1.0 - consumed_fraction).max(0.0),
    })
}

/// How fast an observed error ratio spends the error budget, relative to spending it exactly
/// over the SLO window.
///
/// # Formula
/// ```text
/// b = e / (1 - S)     e = observed share of failed requests (or of time down), in [0, 1]
///                     S = SLO target as a fraction (P / 100)
/// ```
/// (SRE Workbook, "Alerting on SLOs", section 4 "Alert on burn rate".)
///
/// # Errors
/// - [`AvailabilityError::ErrorRatioOutOfRange`] unless `0 <= observed_error_ratio <= 1`;
/// - [`AvailabilityError::PercentOutOfRange`] unless `0 <= target_percent <= 100`;
/// - [`AvailabilityError::NoErrorBudget`] for a target of 100%.
///
/// # Examples
/// ```
/// use headroom::availability::burn_rate;
/// // 2% of requests failing against a 99.9% SLO: 0.02 / 0.001 = 20 times the sustainable rate.
/// assert!((burn_rate(0.02, 99.9)? - 20.0).abs() < 1e-9);
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn burn_rate(observed_error_ratio: f64, target_percent: f64) -> Result<f64, AvailabilityError> {
    if !(0.0..=1.0).contains(&observed_error_ratio) {
        return Err(AvailabilityError::ErrorRatioOutOfRange(
            observed_error_ratio,
        ));
    }
    if !(0.0..=100.0).contains(&target_percent) {
        return Err(AvailabilityError::PercentOutOfRange(target_percent));
    }
    let allowed_error_ratio = super::unavailability_of_percent(target_percent);
    if allowed_error_ratio <= 0.0 {
        return Err(AvailabilityError::NoErrorBudget);
    }
    Ok(observed_error_ratio / allowed_error_ratio)
}

/// How long a whole error budget lasts at a constant burn rate, in seconds.
///
/// # Formula
/// ```text
/// t = W / b     W = SLO window in seconds, b = burn rate
/// ```
/// (SRE Workbook, "Alerting on SLOs", table 5-4: 99.9% over 30 days at burn rate 1000 lasts
/// 43 minutes.)
///
/// # Errors
/// [`AvailabilityError::BurnRate`] unless `burn_rate` is finite and greater than 0.
///
/// # Examples
/// ```
/// use headroom::availability::{Convention, MonthLength, Period, time_to_exhaust_seconds};
/// let thirty_days = Convention { month: MonthLength::Days30, ..Convention::default() };
/// let seconds = time_to_exhaust_seconds(10.0, Period::Month, &thirty_days)?;
/// assert!((seconds / 86_400.0 - 3.0).abs() < 1e-9); // 3 days
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn time_to_exhaust_seconds(
    burn_rate: f64,
    window: Period,
    convention: &Convention,
) -> Result<f64, AvailabilityError> {
    check_burn_rate(burn_rate)?;
    Ok(convention.seconds(window) / burn_rate)
}

/// Share of the window's error budget a constant burn rate spends in `duration_seconds`.
///
/// # Formula
/// ```text
/// consumed = b × t / W     b = burn rate, t = duration in seconds, W = SLO window in seconds
/// ```
/// (SRE Workbook, "Alerting on SLOs": "(burn rate × alerting window size) / period"; burn rate
/// 14.4 for one hour spends 2% of a 30-day budget.)
///
/// # Errors
/// - [`AvailabilityError::BurnRate`] unless `burn_rate` is finite and greater than 0;
/// - [`AvailabilityError::DowntimeOutOfRange`] unless `0 <= duration_seconds <= W`.
pub fn budget_consumed_fraction(
    burn_rate: f64,
    duration_seconds: f64,
    window: Period,
    convention: &Convention,
) -> Result<f64, AvailabilityError> {
    check_burn_rate(burn_rate)?;
    let window_seconds = convention.seconds(window);
    if !(0.0..=window_seconds).contains(&duration_seconds) {
        return Err(AvailabilityError::DowntimeOutOfRange {
            downtime_seconds: duration_seconds,
            period_seconds: window_seconds,
        });
    }
    Ok(burn_rate * duration_seconds / window_seconds)
}

fn check_burn_rate(burn_rate: f64) -> Result<f64, AvailabilityError> {
    if burn_rate.is_finite() && burn_rate > 0.0 {
        Ok(burn_rate)
    } else {
        Err(AvailabilityError::BurnRate(burn_rate))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::availability::MonthLength;
    use crate::testutil::assert_rel;

    const THIRTY_DAYS: Convention = Convention {
        year: crate::availability::YearLength::Days365,
        month: MonthLength::Days30,
    };

    #[test]
    fn sre_workbook_table_5_4() -> Result<(), AvailabilityError> {
        // SRE Workbook, "Alerting on SLOs", table 5-4, 99.9% SLO over 30 days:
        // burn rate | error rate | time to exhaustion
        //     1     |    0.1%    | 30 days
        //     2     |    0.2%    | 15 days
        //    10     |    1%      | 3 days
        //  1000     |   100%     | 43 minutes (30 × 1440 / 1000 = 43.2)
        let day = 86_400.0;
        for (rate, error_ratio, exhaustion_seconds) in [
            (1.0, 0.001, 30.0 * day),
            (2.0, 0.002, 15.0 * day),
            (10.0, 0.01, 3.0 * day),
            (1000.0, 1.0, 43.2 * 60.0),
        ] {
            assert_rel(burn_rate(error_ratio, 99.9)?, rate, 1e-9);
            assert_rel(
                time_to_exhaust_seconds(rate, Period::Month, &THIRTY_DAYS)?,
                exhaustion_seconds,
                1e-12,
            );
        }
        // The brief's example: 2% of requests failing is 0.02 / 0.001 = 20 times the budget rate.
        assert_rel(burn_rate(0.02, 99.9)?, 20.0, 1e-9);
        Ok(())
    }

    #[test]
    fn sre_workbook_budget_consumed_by_alert_windows() -> Result<(), AvailabilityError> {
        // SRE Workbook, "Alerting on SLOs", table 5-8 (30-day window): 2% of the budget in 1 h is
        // burn rate 14.4; 5% in 6 h is 6; 10% in 3 days is 1. Check: 14.4 × 1 / 720 = 0.02.
        let hour = 3600.0;
        for (rate, duration_seconds, share) in [
            (14.4, hour, 0.02),
            (6.0, 6.0 * hour, 0.05),
            (1.0, 72.0 * hour, 0.10),
        ] {
            assert_rel(
                budget_consumed_fraction(rate, duration_seconds, Period::Month, &THIRTY_DAYS)?,
                share,
                1e-12,
            );
        }
        Ok(())
    }

    #[test]
    fn outage_against_a_monthly_budget() -> Result<(), AvailabilityError> {
        // By hand: 99.9% of 30 days allows 43.2 min; 28.7 min spent leaves 14.5 min,
        // 14.5 / 43.2 = 0.335648 of the budget; at burn rate 2 that lasts 0.335648 × 15 days.
        let budget = error_budget(99.9, Period::Month, &THIRTY_DAYS, 28.7 * 60.0)?;
        assert_rel(budget.budget_seconds, 43.2 * 60.0, 1e-12);
        assert_rel(budget.remaining_seconds, 14.5 * 60.0, 1e-9);
        assert_rel(budget.remaining_fraction, 14.5 / 43.2, 1e-9);
        assert_rel(budget.consumed_fraction, 28.7 / 43.2, 1e-9);
        assert_rel(
            budget.time_to_exhaust_seconds(2.0)?,
            14.5 / 43.2 * 15.0 * 86_400.0,
            1e-9,
        );
        // The chapter's month (730 h): 99.9% allows 43.8 min, so a one-hour outage overruns it:
        // 60 / 43.8 = 1.369863.
        let overrun = error_budget(99.9, Period::Month, &Convention::default(), 3600.0)?;
        assert_rel(overrun.consumed_fraction, 60.0 / 43.8, 1e-9);
        assert_eq!(overrun.remaining_seconds, 0.0);
        assert_eq!(overrun.remaining_fraction, 0.0);
        Ok(())
    }

    #[test]
    fn refuses_undefined_budgets() {
        let month = Period::Month;
        let convention = Convention::default();
        assert_eq!(
            error_budget(100.0, month, &convention, 0.0),
            Err(AvailabilityError::NoErrorBudget)
        );
        assert_eq!(burn_rate(0.5, 100.0), Err(AvailabilityError::NoErrorBudget));
        assert!(matches!(
            burn_rate(1.5, 99.9),
            Err(AvailabilityError::ErrorRatioOutOfRange(_))
        ));
        assert!(matches!(
            burn_rate(0.1, 101.0),
            Err(AvailabilityError::PercentOutOfRange(_))
        ));
        assert!(matches!(
            error_budget(99.9, month, &convention, -1.0),
            Err(AvailabilityError::DowntimeOutOfRange { .. })
        ));
        assert!(matches!(
            error_budget(99.9, month, &convention, 1e9),
            Err(AvailabilityError::DowntimeOutOfRange { .. })
        ));
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                time_to_exhaust_seconds(rate, month, &convention),
                Err(AvailabilityError::BurnRate(_))
            ));
        }
    }

    proptest! {
        #[test]
        fn shares_add_up(
            target_percent in 0.0..100.0f64,
            outage_share_of_window in 0.0..=1.0f64,
        ) {
            let convention = Convention::default();
            let outage_seconds = outage_share_of_window * convention.seconds(Period::Month);
            if let Ok(budget) = error_budget(target_percent, Period::Month, &convention, outage_seconds) {
                prop_assert!(budget.remaining_fraction >= 0.0 && budget.remaining_fraction <= 1.0);
                prop_assert!(budget.consumed_fraction >= 0.0);
                if budget.consumed_fraction <= 1.0 {
                    prop_assert!((budget.consumed_fraction + budget.remaining_fraction - 1.0).abs() < 1e-9);
                }
            }
        }

        #[test]
        fn burning_at_the_observed_rate_for_a_window_spends_the_ratio(
            target_percent in 0.0..99.999f64,
            error_ratio in 0.0..=1.0f64,
        ) {
            // Identity: b × W / W = e / (1 - S), i.e. a full window at ratio e spends e / (1 - S).
            let rate = burn_rate(error_ratio, target_percent);
            prop_assert!(rate.is_ok());
            let rate = rate.unwrap_or_default();
            if rate > 0.0 {
                let convention = Convention::default();
                let window = convention.seconds(Period::Month);
                let spent = budget_consumed_fraction(rate, window, Period::Month, &convention);
                prop_assert!(spent.is_ok());
                let downtime = error_ratio * window;
                let budget = error_budget(target_percent, Period::Month, &convention, downtime);
                prop_assert!(budget.is_ok());
                if let (Ok(spent), Ok(budget)) = (spent, budget) {
                    prop_assert!((spent - budget.consumed_fraction).abs() <= 1e-9 * spent.max(1.0));
                }
            }
        }
    }
}
