//! Sliding window log: the timestamp of every admitted request in the last window.

use super::{Decision, Limiter, RateLimitError, RateLimitHeaders, check_count, check_positive};
use std::collections::VecDeque;

/// Sliding window log: at most `limit` admits in every window `(t − W, t]`.
///
/// # Formula
///
/// ```text
/// drop logged times s with s ≤ t − W
/// admit iff |log| < L;  then log ← log ∪ {t}
/// L: limit; W: window_s
/// ```
/// Only admitted requests are logged (logging rejected ones too would lock a client out for as
/// long as it keeps retrying). Source: the chapter's section 5 ("Track each request timestamp",
/// O(n) memory); the Redis sorted-set form (`ZREMRANGEBYSCORE`, `ZCARD`, `ZADD`).
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{Limiter, SlidingWindowLog};
/// let mut log = SlidingWindowLog::new(2, 1.0)?;
/// assert!(log.allow(0.5).is_allowed() && log.allow(0.9).is_allowed());
/// assert!(!log.allow(1.2).is_allowed()); // 0.5 and 0.9 are both within (0.2, 1.2]
/// assert!(log.allow(1.5).is_allowed()); // 0.5 has left (0.5, 1.5]
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SlidingWindowLog {
    limit: u64,
    window_s: f64,
    log: VecDeque<f64>,
    last_t_s: f64,
}

impl SlidingWindowLog {
    /// A limiter admitting `limit` requests in any window of `window_s` seconds.
    ///
    /// # Errors
    ///
    /// As [`super::FixedWindow::new`].
    pub fn new(limit: u64, window_s: f64) -> Result<Self, RateLimitError> {
        check_count("limit", limit)?;
        check_positive("window_s", window_s, 1e7)?;
        Ok(Self {
            limit,
            window_s,
            log: VecDeque::new(),
            last_t_s: 0.0,
        })
    }

    /// Logged times still inside `(t − W, t]`, oldest first.
    fn in_window(&self, t: f64) -> impl Iterator<Item = f64> + '_ {
        let cutoff = t - self.window_s;
        self.log.iter().copied().filter(move |&s| s > cutoff)
    }
}

impl Limiter for SlidingWindowLog {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t = t_s.max(self.last_t_s);
        self.last_t_s = t;
        let cutoff = t - self.window_s;
        while self.log.front().is_some_and(|&s| s <= cutoff) {
            self.log.pop_front();
        }
        if (self.log.len() as u64) < self.limit {
            self.log.push_back(t);
            Decision::Allow { delay_s: 0.0 }
        } else {
            let oldest = self.log.front().copied().unwrap_or(t);
            Decision::Reject {
                retry_after_s: (oldest + self.window_s - t).max(0.0),
            }
        }
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let t = t_s.max(self.last_t_s);
        let mut live = self.in_window(t);
        let oldest = live.next();
        let count = oldest.map_or(0, |_| 1 + live.count() as u64);
        let newest = self.log.back().copied();
        let remaining = self.limit.saturating_sub(count);
        RateLimitHeaders {
            limit: self.limit,
            remaining,
            // Full allowance again once the newest logged request leaves the window.
            reset_after_s: newest
                .filter(|_| count > 0)
                .map_or(0.0, |s| s + self.window_s - t),
            retry_after_s: (remaining == 0).then(|| oldest.map_or(0.0, |s| s + self.window_s - t)),
        }
    }

    /// One timestamp per logged request.
    fn state_words(&self) -> usize {
        self.log.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_abs;

    #[test]
    fn a_request_frees_its_slot_exactly_one_window_later() {
        // Limit 2 per 10 s; admits at 1 and 2; at 10.5 both are within (0.5, 10.5]: reject,
        // Retry-After = 1 + 10 − 10.5 = 0.5 s; at 11 the first has left (1 ≤ 11 − 10).
        let mut log = SlidingWindowLog::new(2, 10.0).unwrap();
        assert!(log.allow(1.0).is_allowed() && log.allow(2.0).is_allowed());
        match log.allow(10.5) {
            Decision::Reject { retry_after_s } => assert_abs(retry_after_s, 0.5, 1e-12),
            other => panic!("expected a rejection, got {other:?}"),
        }
        assert!(log.allow(11.0).is_allowed());
        assert_eq!(log.state_words(), 2);
        let h = log.headers(11.0);
        // Newest logged at 11 → full allowance at 21, 10 s away.
        assert_eq!(h.remaining, 0);
        assert_abs(h.reset_after_s, 10.0, 1e-12);
    }
}
