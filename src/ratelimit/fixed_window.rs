//! Fixed window: one counter per aligned window.

use super::{Decision, Limiter, RateLimitError, RateLimitHeaders, check_count, check_positive};

/// Fixed-window counter: at most `limit` admits per aligned window `[kW, (k+1)W)`.
///
/// # Formula
///
/// ```text
/// k = ⌊t / W⌋                 the window holding t (a new window resets the count)
/// admit iff count_k < L;  then count_k += 1
/// L: limit; W: window_s; t: arrival time, seconds from the start
/// ```
/// Source: the chapter's section 5 ("Count in time windows", "Poor (2x at boundary)") and its
/// Redis `INCR` + `EXPIRE` script. The boundary flaw: L admits just before kW and L just after
/// fall in one window length, 2L in total.
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{FixedWindow, Limiter};
/// let mut fw = FixedWindow::new(2, 1.0)?;
/// assert!(fw.allow(0.1).is_allowed() && fw.allow(0.2).is_allowed());
/// assert!(!fw.allow(0.3).is_allowed());
/// assert!(fw.allow(1.0).is_allowed()); // a new window
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FixedWindow {
    limit: u64,
    window_s: f64,
    window_index: f64,
    count: u64,
    last_t_s: f64,
}

impl FixedWindow {
    /// A limiter admitting `limit` requests per window of `window_s` seconds.
    ///
    /// # Errors
    ///
    /// [`RateLimitError::OutOfRange`] for a limit outside 1..=1,000,000 or a window that is not
    /// a finite number in 10^-6..=10^7 s.
    pub fn new(limit: u64, window_s: f64) -> Result<Self, RateLimitError> {
        check_count("limit", limit)?;
        check_positive("window_s", window_s, 1e7)?;
        Ok(Self {
            limit,
            window_s,
            window_index: 0.0,
            count: 0,
            last_t_s: 0.0,
        })
    }

    /// The count in the window holding `t_s` (0 if that window has not started counting).
    fn count_at(&self, t_s: f64) -> u64 {
        if (t_s / self.window_s).floor() == self.window_index {
            self.count
        } else {
            0
        }
    }
}

impl Limiter for FixedWindow {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t = t_s.max(self.last_t_s);
        self.last_t_s = t;
        let index = (t / self.window_s).floor();
        if index != self.window_index {
            self.window_index = index;
            self.count = 0;
        }
        if self.count < self.limit {
            self.count += 1;
            Decision::Allow { delay_s: 0.0 }
        } else {
            Decision::Reject {
                retry_after_s: (index + 1.0) * self.window_s - t,
            }
        }
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let t = t_s.max(self.last_t_s);
        let remaining = self.limit.saturating_sub(self.count_at(t));
        let until_next_window = ((t / self.window_s).floor() + 1.0) * self.window_s - t;
        RateLimitHeaders {
            limit: self.limit,
            remaining,
            reset_after_s: if remaining == self.limit {
                0.0
            } else {
                until_next_window
            },
            retry_after_s: (remaining == 0).then_some(until_next_window),
        }
    }

    /// The count and the window it belongs to.
    fn state_words(&self) -> usize {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_abs;

    #[test]
    fn admits_the_limit_per_window_and_resets_on_the_boundary() {
        // Limit 3 per 10 s: 5 requests at t = 1..5 → 3 admitted; a request at 10 s (the next
        // window) is admitted again.
        let mut fw = FixedWindow::new(3, 10.0).unwrap();
        let admitted = (1..=5)
            .filter(|&t| fw.allow(f64::from(t)).is_allowed())
            .count();
        assert_eq!(admitted, 3);
        let h = fw.headers(6.0);
        assert_eq!((h.limit, h.remaining, h.status()), (3, 0, 429));
        // Retry-After = next boundary (10 s) − 6 s = 4 s.
        assert_abs(h.retry_after_s.unwrap(), 4.0, 1e-12);
        assert!(fw.allow(10.0).is_allowed());
        assert_eq!(fw.headers(10.5).remaining, 2);
    }
}
