//! Leaky bucket as a queue with constant outflow.

use super::{
    Decision, Limiter, RateLimitError, RateLimitHeaders, check_count, check_positive, ns_to_s,
    to_ns,
};

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
/// B: queue capacity (= burst); r = L / W: drain rate
/// ```
/// Kept exact in integers as [`super::TokenBucket`] is (one request = W_ns units, drained at L
/// units per ns). Its admission decisions equal a token bucket's with C = B (tokens = B − q) and
/// GCRA's; what it adds is the queueing delay, at most (B − 1)/r. This is nginx `limit_req`
/// without `nodelay`, whose `burst=N` is B = N + 1 (`excess` in
/// <https://github.com/nginx/nginx/blob/master/src/http/modules/ngx_http_limit_req_module.c>).
/// Source: the chapter's section 5 ("Constant output rate queue", "Smooths bursts");
/// A. S. Tanenbaum, D. Wetherall, *Computer Networks* (5th ed.), section 5.4.2, the leaky bucket.
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{Decision, LeakyBucket, Limiter};
/// let mut bucket = LeakyBucket::new(3, 2, 1.0)?; // 3 places, 2 leave per second
/// assert_eq!(bucket.allow(0.0), Decision::Allow { delay_s: 0.0 });
/// assert_eq!(bucket.allow(0.0), Decision::Allow { delay_s: 0.5 });
/// assert_eq!(bucket.allow(0.0), Decision::Allow { delay_s: 1.0 });
/// assert!(!bucket.allow(0.0).is_allowed());
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LeakyBucket {
    capacity: u64,
    /// L: units drained per nanosecond.
    limit: u64,
    /// One request, in units (= W in ns).
    request: u128,
    /// Queue level, in units.
    level: u128,
    last_leak_ns: u64,
}

impl LeakyBucket {
    /// An empty queue of `capacity` places drained at `limit` requests per `window_s` seconds.
    ///
    /// # Errors
    ///
    /// As [`super::TokenBucket::new`].
    pub fn new(capacity: u64, limit: u64, window_s: f64) -> Result<Self, RateLimitError> {
        check_count("capacity", capacity)?;
        check_count("limit", limit)?;
        check_positive("window_s", window_s, 1e7)?;
        Ok(Self {
            capacity,
            limit,
            request: u128::from(to_ns(window_s)),
            level: 0,
            last_leak_ns: 0,
        })
    }

    fn level_at(&self, t_ns: u64) -> u128 {
        let drained = u128::from(t_ns.saturating_sub(self.last_leak_ns)) * u128::from(self.limit);
        self.level.saturating_sub(drained)
    }
}

impl Limiter for LeakyBucket {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t_ns = to_ns(t_s).max(self.last_leak_ns);
        self.level = self.level_at(t_ns);
        self.last_leak_ns = t_ns;
        let full = u128::from(self.capacity) * self.request;
        if self.level + self.request <= full {
            let delay_s = ns_to_s(self.level, self.limit);
            self.level += self.request;
            Decision::Allow { delay_s }
        } else {
            Decision::Reject {
                retry_after_s: ns_to_s(self.level + self.request - full, self.limit),
            }
        }
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let level = self.level_at(to_ns(t_s).max(self.last_leak_ns));
        let full = u128::from(self.capacity) * self.request;
        let remaining = ((full - level.min(full)) / self.request) as u64;
        RateLimitHeaders {
            limit: self.capacity,
            remaining,
            reset_after_s: ns_to_s(level, self.limit),
            retry_after_s: (remaining == 0)
                .then(|| ns_to_s((level + self.request).saturating_sub(full), self.limit)),
        }
    }

    /// Queue level and the last leak time.
    fn state_words(&self) -> usize {
        2
    }
}
