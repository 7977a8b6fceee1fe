//! Sliding window log: the timestamp of every admitted request in the last window.

use super::{Decision, Limiter, RateLimitError, RateLimitHeaders, Window};
use std::collections::VecDeque;

/// Sliding window log: at most `limit` admits in every window `(t − W, t]`.
///
/// # Formula
///
/// ```text
/// drop logged times s with s ≤ t − W
/// admit iff |log| < L;  then log ← log ∪ {t}
/// L: limit; W: window_s; times in whole nanoseconds
/// ```
/// By default only admitted requests are logged: a client that keeps retrying is admitted
/// again as soon as its old admits leave the window. With [`SlidingWindowLog::counting_attempts`]
/// every attempt is logged, rejected ones included, as a Redis sorted set does when each request
/// is `ZADD`ed before `ZCARD` counts it; a client retrying faster than L per W then stays locked
/// out. Source: the chapter's section 5 ("Track each request timestamp", O(n) memory); the Redis
/// sorted-set form (`ZREMRANGEBYSCORE`, `ZCARD`, `ZADD`).
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
    window: Window,
    log_attempts: bool,
    log: VecDeque<u64>,
}

impl SlidingWindowLog {
    /// A limiter admitting `limit` requests in any window of `window_s` seconds, logging
    /// admitted requests only.
    ///
    /// # Errors
    ///
    /// As [`super::FixedWindow::new`].
    pub fn new(limit: u64, window_s: f64) -> Result<Self, RateLimitError> {
        Ok(Self {
            window: Window::new(limit, window_s)?,
            log_attempts: false,
            log: VecDeque::new(),
        })
    }

    /// With `true`, rejected attempts are logged too ([`super::Counting::Attempts`]).
    pub fn counting_attempts(mut self, yes: bool) -> Self {
        self.log_attempts = yes;
        self
    }

    /// Logged times still inside `(t − W, t]`, oldest first.
    fn in_window(&self, t_ns: u64) -> impl Iterator<Item = u64> + '_ {
        let window_ns = self.window.ns;
        self.log
            .iter()
            .copied()
            .filter(move |&s| s.saturating_add(window_ns) > t_ns)
    }
}

impl Limiter for SlidingWindowLog {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t_ns = self.window.arrive(t_s);
        while self
            .log
            .front()
            .is_some_and(|&s| s.saturating_add(self.window.ns) <= t_ns)
        {
            self.log.pop_front();
        }
        let admit = (self.log.len() as u64) < self.window.limit;
        if admit || self.log_attempts {
            self.log.push_back(t_ns);
        }
        Decision::admit_or(admit, || {
            // A slot frees when all but L − 1 of the logged times have left: the entry at index
            // len − L (the oldest, when only admits are logged, since then len = L).
            let freeing = self.log.len().saturating_sub(self.window.limit as usize);
            let leaves = self.log.get(freeing).copied().unwrap_or(t_ns) + self.window.ns;
            leaves.saturating_sub(t_ns) as f64 / 1e9
        })
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let t_ns = self.window.at(t_s);
        let count = self.in_window(t_ns).count() as u64;
        let remaining = self.window.limit.saturating_sub(count);
        let until_gone = |s: u64| (s + self.window.ns).saturating_sub(t_ns) as f64 / 1e9;
        RateLimitHeaders {
            limit: self.window.limit,
            remaining,
            // Full allowance again once the newest logged request leaves the window.
            reset_after_s: self
                .log
                .back()
                .copied()
                .filter(|_| count > 0)
                .map_or(0.0, until_gone),
            // As in `allow`: the entry whose departure leaves L − 1.
            retry_after_s: (remaining == 0).then(|| {
                self.in_window(t_ns)
                    .nth((count - self.window.limit) as usize)
                    .map_or(0.0, until_gone)
            }),
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

    #[test]
    fn counting_attempts_keeps_a_retrying_client_out() {
        // Limit 2 per 10 s, hand-worked: admits at 0 and 1, a rejected attempt at 5. At 10.5 the
        // window (0.5, 10.5] holds the admit at 1 and, counting attempts, the attempt at 5: full,
        // so reject; the entry at index len − L = 3 − 2 = 1 (the 5 s attempt) frees a slot at
        // 15 s: Retry-After 4.5 s. Counting admits only, it holds just the admit at 1: admit.
        let mut admits = SlidingWindowLog::new(2, 10.0).unwrap();
        let mut attempts = SlidingWindowLog::new(2, 10.0)
            .unwrap()
            .counting_attempts(true);
        for t in [0.0, 1.0, 5.0] {
            admits.allow(t);
            attempts.allow(t);
        }
        assert!(admits.allow(10.5).is_allowed());
        match attempts.allow(10.5) {
            Decision::Reject { retry_after_s } => assert_abs(retry_after_s, 4.5, 1e-9),
            other => panic!("expected a rejection, got {other:?}"),
        }
        assert_eq!(attempts.state_words(), 3);
    }
}
