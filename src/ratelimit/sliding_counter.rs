//! Sliding window counter: two aligned-window counters, the previous one weighted by how much of
//! it the sliding window still overlaps.

use super::{Decision, Limiter, RateLimitError, RateLimitHeaders, Window};

/// Sliding window counter (Cloudflare's approximation of a sliding window).
///
/// # Formula
///
/// ```text
/// k = ⌊t / W⌋,  f = t / W − k  (fraction of the current window elapsed, 0 ≤ f < 1)
/// estimate(t) = prev × (1 − f) + cur
/// admit iff estimate(t) + 1 ≤ L;  then cur += 1
/// prev, cur: admits in windows k − 1 and k; L: limit; W: window_s
/// ```
/// Times are whole nanoseconds and the test is made exact by multiplying through by W:
/// `prev × (W − e) + (cur + 1) × W ≤ L × W`, e = t − kW. By default `prev` and `cur` count
/// admitted requests; with [`SlidingWindowCounter::counting_attempts`] they count every attempt
/// (as a counter incremented before it is compared does): a client retrying faster than the
/// limit then stays locked out, and the bounds below still hold for admits, since attempts only
/// count more. The estimate assumes the previous window's requests were spread evenly over it.
/// Source: J. Desgats, "How we built rate limiting capable of scaling to millions of domains",
/// Cloudflare blog, 2017 (worked example: 42 × (1 − 15/60) + 18 = 49.5); the chapter's section 5 ("Weighted
/// window overlap", "Most production use").
///
/// # Bound
///
/// ```text
/// admits in any aligned window ≤ L               (cur ≤ estimate ≤ L)
/// admits in (t − W, t] ≤ L + prev × f ≤ 2L        at every admit time t
/// ```
/// Derivation: the sliding window (t − W, t] holds at most `prev` admits of window k − 1 and
/// `cur` of window k, and the admit condition gives cur ≤ L − prev (1 − f). The `2L` extreme
/// needs every previous admit packed at the very end of its window and the current ones just
/// before the next boundary; with evenly spread traffic the estimate is exact.
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{Limiter, SlidingWindowCounter};
/// let mut c = SlidingWindowCounter::new(100, 60.0)?;
/// for i in 0..42 { c.allow(f64::from(i)); }          // 42 admits in [0, 60)
/// for i in 0..18 { c.allow(60.0 + f64::from(i) * 0.5); } // 18 admits in [60, 75)
/// assert_eq!(c.estimate(75.0), 49.5);                 // Cloudflare's example
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SlidingWindowCounter {
    window: Window,
    count_attempts: bool,
    window_index: u64,
    previous: u64,
    current: u64,
}

impl SlidingWindowCounter {
    /// A limiter estimating `limit` requests per sliding window of `window_s` seconds, counting
    /// admitted requests.
    ///
    /// # Errors
    ///
    /// As [`super::FixedWindow::new`].
    pub fn new(limit: u64, window_s: f64) -> Result<Self, RateLimitError> {
        Ok(Self {
            window: Window::new(limit, window_s)?,
            count_attempts: false,
            window_index: 0,
            previous: 0,
            current: 0,
        })
    }

    /// With `true`, rejected attempts are counted too ([`super::Counting::Attempts`]).
    pub fn counting_attempts(mut self, yes: bool) -> Self {
        self.count_attempts = yes;
        self
    }

    /// (previous, current, window index, ns elapsed in the window) as they would be at `t_ns`,
    /// without changing state.
    fn counters_at(&self, t_ns: u64) -> (u64, u64, u64, u64) {
        let index = t_ns / self.window.ns;
        let elapsed = t_ns % self.window.ns;
        let (previous, current) = if index == self.window_index {
            (self.previous, self.current)
        } else if index == self.window_index + 1 {
            (self.current, 0)
        } else {
            (0, 0)
        };
        (previous, current, index, elapsed)
    }

    /// The estimate times W, in request-nanoseconds: prev × (W − e) + cur × W.
    fn scaled_estimate(&self, previous: u64, current: u64, elapsed: u64) -> u128 {
        let w = u128::from(self.window.ns);
        u128::from(previous) * (w - u128::from(elapsed)) + u128::from(current) * w
    }

    /// The weighted estimate of requests in the sliding window ending at `t_s` (see the type's
    /// formula).
    pub fn estimate(&self, t_s: f64) -> f64 {
        let (previous, current, _, elapsed) = self.counters_at(self.window.at(t_s));
        self.scaled_estimate(previous, current, elapsed) as f64 / self.window.ns as f64
    }

    /// Seconds from `t_ns` until the estimate drops to `L − 1` (one admit possible).
    fn retry_after(&self, t_ns: u64) -> f64 {
        let (previous, current, _, elapsed) = self.counters_at(t_ns);
        let window_s = self.window.ns as f64 / 1e9;
        let fraction = elapsed as f64 / self.window.ns as f64;
        let room = self.window.limit as f64 - 1.0;
        let into_window = fraction * window_s;
        if previous > 0 && current as f64 <= room {
            // Within this window: previous × (1 − f') + current ≤ L − 1.
            let needed_fraction = 1.0 - (room - current as f64) / previous as f64;
            (needed_fraction * window_s - into_window).max(0.0)
        } else {
            // Next window: current becomes previous, and decays from there.
            let needed_fraction = if current > 0 {
                (1.0 - room / current as f64).max(0.0)
            } else {
                0.0
            };
            window_s - into_window + needed_fraction * window_s
        }
    }
}

impl Limiter for SlidingWindowCounter {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t_ns = self.window.arrive(t_s);
        let (previous, current, index, elapsed) = self.counters_at(t_ns);
        self.window_index = index;
        self.previous = previous;
        self.current = current;
        let w = u128::from(self.window.ns);
        let admit = self.scaled_estimate(previous, current, elapsed) + w
            <= u128::from(self.window.limit) * w;
        if admit || self.count_attempts {
            self.current += 1;
        }
        Decision::admit_or(admit, || self.retry_after(t_ns))
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let t_ns = self.window.at(t_s);
        let (previous, current, _, elapsed) = self.counters_at(t_ns);
        let w = u128::from(self.window.ns);
        let estimate = self.scaled_estimate(previous, current, elapsed);
        // ⌊L − estimate⌋ = ⌊(L·W − estimate·W) / W⌋.
        let remaining = (u128::from(self.window.limit) * w).saturating_sub(estimate) / w;
        let until_next = (self.window.ns - elapsed) as f64 / 1e9;
        let window_s = self.window.ns as f64 / 1e9;
        // The estimate is 0 once both counters have aged out.
        let reset_after_s = if current > 0 {
            until_next + window_s
        } else if previous > 0 {
            until_next
        } else {
            0.0
        };
        RateLimitHeaders {
            limit: self.window.limit,
            remaining: remaining as u64,
            reset_after_s,
            retry_after_s: (remaining == 0).then(|| self.retry_after(t_ns)),
        }
    }

    /// The two counters and the current window.
    fn state_words(&self) -> usize {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratelimit::{max_in_window, to_ns};
    use crate::testutil::assert_abs;
    use proptest::prelude::*;

    #[test]
    fn reproduces_cloudflares_worked_example() {
        // Desgats (2017): 42 requests in the previous minute, 18 in the current one, 15 s into
        // it: 42 × (60 − 15)/60 + 18 = 49.5.
        let mut c = SlidingWindowCounter::new(100, 60.0).unwrap();
        for i in 0..42 {
            assert!(c.allow(f64::from(i)).is_allowed());
        }
        for i in 0..18 {
            assert!(c.allow(60.0 + f64::from(i) * 0.5).is_allowed());
        }
        assert_abs(c.estimate(75.0), 49.5, 1e-12);
        // Remaining = ⌊100 − 49.5⌋ = 50.
        assert_eq!(c.headers(75.0).remaining, 50);
    }

    #[test]
    fn retry_after_lands_on_the_first_admissible_moment() {
        // Limit 10 per 10 s: 10 admits at t = 5, then at t = 12: estimate = 10 × 0.8 = 8 → admit
        // 1 (8 + 1 ≤ 10) and again (9 + 1 ≤ 10), then 10 + 1 > 10. Retry: need
        // 10 × (1 − f) + 2 ≤ 9 → f ≥ 0.3 → t = 13, i.e. 1 s after 12.
        let mut c = SlidingWindowCounter::new(10, 10.0).unwrap();
        for _ in 0..10 {
            assert!(c.allow(5.0).is_allowed());
        }
        assert!(c.allow(12.0).is_allowed() && c.allow(12.0).is_allowed());
        match c.allow(12.0) {
            Decision::Reject { retry_after_s } => assert_abs(retry_after_s, 1.0, 1e-9),
            other => panic!("expected a rejection, got {other:?}"),
        }
        assert!(!c.allow(12.999).is_allowed());
        assert!(c.allow(13.0 + 1e-9).is_allowed());
    }

    #[test]
    fn counting_attempts_keeps_a_retrying_client_out() {
        // Limit 2 per 10 s, hand-worked: at 1 and 2 s admit, at 3 s reject. At 15 s (half of
        // the next window) the estimate is prev × 0.5 + 0: counting admits, 2 × 0.5 = 1 and
        // 1 + 1 ≤ 2 admits; counting attempts, 3 × 0.5 + 1 (the rejected try at 10 s) = 2.5
        // rejects, and counts itself: 3.5 after it.
        let mut admits = SlidingWindowCounter::new(2, 10.0).unwrap();
        let mut attempts = SlidingWindowCounter::new(2, 10.0)
            .unwrap()
            .counting_attempts(true);
        for t in [1.0, 2.0, 3.0, 10.0] {
            admits.allow(t);
            attempts.allow(t);
        }
        assert!(admits.allow(15.0).is_allowed());
        assert!(!attempts.allow(15.0).is_allowed());
        assert_abs(attempts.estimate(15.0), 3.0 * 0.5 + 2.0, 1e-12);
    }

    proptest! {
        #[test]
        fn never_exceeds_its_documented_bound(
            gaps in prop::collection::vec(0.0_f64..3.0, 1..400),
            limit in 1_u64..20,
            window in 0.5_f64..20.0,
        ) {
            let mut c = SlidingWindowCounter::new(limit, window).unwrap();
            let mut t = 0.0;
            let mut admitted = Vec::new();
            for gap in gaps {
                t += gap;
                let (previous, _, _, elapsed) = c.counters_at(to_ns(t));
                let fraction = elapsed as f64 / c.window.ns as f64;
                if c.allow(t).is_allowed() {
                    admitted.push(t);
                    // Count in (t − W, t] against L + prev × f.
                    let in_window = admitted.iter().filter(|&&s| to_ns(s) + c.window.ns > to_ns(t)).count() as f64;
                    prop_assert!(in_window <= limit as f64 + previous as f64 * fraction + 1e-9);
                }
            }
            prop_assert!(max_in_window(&admitted, window) <= 2 * limit);
        }
    }
}
