//! Leaky bucket as a queue with constant outflow.

use super::{Decision, Limiter, RateLimitError, RateLimitHeaders, check_count, check_positive};

/// Leaky bucket: a queue of capacity `B` drained at a constant `r` requests per second. A request
/// is admitted if there is room and then waits its turn; the backend sees a smooth stream.
///
/// # Formula
///
/// ```text
/// q ← max(0, q − (t − t_last) × r);  t_last ← t      q: queue level, in requests (the head
///                                                     request may be partly drained)
/// admit iff q + 1 ≤ B;  then delay = q / r and q += 1
/// otherwise Retry-After = (q + 1 − B) / r
/// B: queue capacity (= burst); r: drain rate (= limit / window)
/// ```
/// Its admission decisions equal a token bucket's with C = B (tokens = B − q) and GCRA's; what it
/// adds is the queueing delay, at most (B − 1)/r. Source: the chapter's section 5 ("Constant
/// output rate queue", "Smooths bursts"); A. S. Tanenbaum, D. Wetherall, *Computer Networks*
/// (5th ed.), section 5.4.2, the leaky bucket.
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{Decision, LeakyBucket, Limiter};
/// let mut bucket = LeakyBucket::new(3, 2.0)?; // 3 places, 2 leave per second
/// assert_eq!(bucket.allow(0.0), Decision::Allow { delay_s: 0.0 });
/// assert_eq!(bucket.allow(0.0), Decision::Allow { delay_s: 0.5 });
/// assert_eq!(bucket.allow(0.0), Decision::Allow { delay_s: 1.0 });
/// assert!(!bucket.allow(0.0).is_allowed());
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LeakyBucket {
    capacity: f64,
    drain_per_s: f64,
    level: f64,
    last_leak_s: f64,
}

impl LeakyBucket {
    /// An empty queue of `capacity` places drained at `drain_per_s` requests per second.
    ///
    /// # Errors
    ///
    /// As [`super::TokenBucket::new`].
    pub fn new(capacity: u64, drain_per_s: f64) -> Result<Self, RateLimitError> {
        check_count("capacity", capacity)?;
        check_positive("drain_per_s", drain_per_s, 1e9)?;
        Ok(Self {
            capacity: capacity as f64,
            drain_per_s,
            level: 0.0,
            last_leak_s: 0.0,
        })
    }

    fn level_at(&self, t: f64) -> f64 {
        (self.level - (t - self.last_leak_s).max(0.0) * self.drain_per_s).max(0.0)
    }
}

impl Limiter for LeakyBucket {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t = t_s.max(self.last_leak_s);
        self.level = self.level_at(t);
        self.last_leak_s = t;
        if self.level + 1.0 <= self.capacity {
            let delay_s = self.level / self.drain_per_s;
            self.level += 1.0;
            Decision::Allow { delay_s }
        } else {
            Decision::Reject {
                retry_after_s: (self.level + 1.0 - self.capacity) / self.drain_per_s,
            }
        }
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let level = self.level_at(t_s.max(self.last_leak_s));
        let remaining = (self.capacity - level).floor().max(0.0) as u64;
        RateLimitHeaders {
            limit: self.capacity as u64,
            remaining,
            reset_after_s: level / self.drain_per_s,
            retry_after_s: (remaining == 0)
                .then(|| (level + 1.0 - self.capacity).max(0.0) / self.drain_per_s),
        }
    }

    /// Queue level and the last leak time.
    fn state_words(&self) -> usize {
        2
    }
}
