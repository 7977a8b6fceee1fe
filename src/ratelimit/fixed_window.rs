//! Fixed window: one counter per aligned window.

use super::{Decision, Limiter, RateLimitError, RateLimitHeaders, Window};

/// Fixed-window counter: at most `limit` admits per window of length W.
///
/// # Formula
///
/// ```text
/// aligned to the clock:    window k = [kW, (k+1)W),  k = ⌊t / W⌋
/// from the first request:  window = [s, s + W), s = the first request at or after the
///                          previous window's end
/// admit iff count < L;  then count += 1            (a new window resets the count)
/// L: limit; W: window_s; t: arrival time, whole nanoseconds from the start
/// ```
/// Source: the chapter's section 5 ("Count in time windows", "Poor (2x at boundary)") and its
/// Redis `INCR` + `EXPIRE` script. The boundary flaw: L admits just before a window's end and L
/// just after fall in one window length, 2L in total, whichever way the windows start.
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
    window: Window,
    from_first_request: bool,
    /// Start of the window being counted, ns (None before the first request).
    window_start_ns: Option<u64>,
    count: u64,
}

impl FixedWindow {
    /// A limiter admitting `limit` requests per window of `window_s` seconds, windows aligned
    /// to the clock.
    ///
    /// # Errors
    ///
    /// [`RateLimitError::OutOfRange`] for a limit outside 1..=1,000,000 or a window that is not
    /// a finite number in 10^-6..=10^7 s.
    pub fn new(limit: u64, window_s: f64) -> Result<Self, RateLimitError> {
        Ok(Self {
            window: Window::new(limit, window_s)?,
            from_first_request: false,
            window_start_ns: None,
            count: 0,
        })
    }

    /// With `true`, each window opens at the first request after the previous one ended
    /// ([`super::WindowStart::FirstRequest`]) instead of at a multiple of W.
    pub fn starting_at_first_request(mut self, yes: bool) -> Self {
        self.from_first_request = yes;
        self
    }

    /// The start of the window a request at `t_ns` would be counted in.
    fn window_for(&self, t_ns: u64) -> u64 {
        match self.window_start_ns {
            Some(start) if t_ns < start.saturating_add(self.window.ns) => start,
            _ if self.from_first_request => t_ns,
            _ => t_ns - t_ns % self.window.ns,
        }
    }

    /// The count in the window holding `t_ns` (0 if that window has not started counting).
    fn count_at(&self, t_ns: u64) -> u64 {
        if self.window_start_ns == Some(self.window_for(t_ns)) {
            self.count
        } else {
            0
        }
    }
}

impl Limiter for FixedWindow {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t_ns = self.window.arrive(t_s);
        let start = self.window_for(t_ns);
        if self.window_start_ns != Some(start) {
            self.window_start_ns = Some(start);
            self.count = 0;
        }
        let admit = self.count < self.window.limit;
        if admit {
            self.count += 1;
        }
        Decision::admit_or(admit, || (start + self.window.ns - t_ns) as f64 / 1e9)
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let t_ns = self.window.at(t_s);
        let count = self.count_at(t_ns);
        let remaining = self.window.limit.saturating_sub(count);
        // A window that has not opened yet (count 0) leaves the full allowance now.
        let until_window_end =
            (self.window_for(t_ns).saturating_add(self.window.ns) - t_ns) as f64 / 1e9;
        RateLimitHeaders {
            limit: self.window.limit,
            remaining,
            reset_after_s: if count == 0 { 0.0 } else { until_window_end },
            retry_after_s: (remaining == 0).then_some(until_window_end),
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

    #[test]
    fn a_window_from_the_first_request_ends_w_after_it() {
        // Limit 2 per 10 s, hand-worked: requests at 3, 4, 5 s. From the first request the window
        // is [3, 13): admit, admit, reject with Retry-After 13 − 5 = 8 s; 12 s is still in it;
        // 13 s opens [13, 23). Aligned to the clock, 10 s already opens [10, 20).
        let times = [3.0, 4.0, 5.0, 10.0, 12.0, 13.0];
        let mut first = FixedWindow::new(2, 10.0)
            .unwrap()
            .starting_at_first_request(true);
        let got: Vec<bool> = times.iter().map(|&t| first.allow(t).is_allowed()).collect();
        assert_eq!(got, [true, true, false, false, false, true]);
        let mut first = FixedWindow::new(2, 10.0)
            .unwrap()
            .starting_at_first_request(true);
        first.allow(3.0);
        first.allow(4.0);
        match first.allow(5.0) {
            Decision::Reject { retry_after_s } => assert_abs(retry_after_s, 8.0, 1e-9),
            other => panic!("expected a rejection, got {other:?}"),
        }
        let mut clock = FixedWindow::new(2, 10.0).unwrap();
        let got: Vec<bool> = times.iter().map(|&t| clock.allow(t).is_allowed()).collect();
        assert_eq!(got, [true, true, false, true, true, false]);
    }

    #[test]
    fn window_edges_are_exact() {
        // 0.3 / 0.1 is 2.9999999999999996 in binary floating point, so a float floor put a
        // request at t = 0.3 in window 2 of 0.1 s; in whole nanoseconds it is window 3.
        let mut fw = FixedWindow::new(1, 0.1).unwrap();
        assert!(fw.allow(0.25).is_allowed());
        assert!(fw.allow(0.3).is_allowed());
    }
}
