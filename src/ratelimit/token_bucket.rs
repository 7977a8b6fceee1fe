//! Token bucket, with the chapter's section 5 Python as the reference semantics.

use super::{
    Decision, Limiter, RateLimitError, RateLimitHeaders, check_count, check_positive, ns_to_s,
    to_ns,
};

/// Token bucket: holds up to `capacity` tokens, refilled continuously at `limit` per `window_s`;
/// each request takes one token or is rejected. Starts full at t = 0.
///
/// # Formula
///
/// ```text
/// tokens ← min(C, tokens + (t − t_last) × r);  t_last ← t
/// admit iff tokens ≥ 1;  then tokens −= 1
/// C: capacity (the largest burst); r = L / W: refill rate, tokens per second
/// ```
/// Kept exact in integers: times in whole nanoseconds, tokens in units of 1/W_ns of a token
/// (one token = W_ns units, refilled at L units per ns). Admits at most `C + r × τ` in any span
/// of τ seconds. Source: the chapter's section 5 "Token Bucket Deep Dive" Python
/// `TokenBucket.allow` (line for line, in those units), after J. Turner (1986).
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{Limiter, TokenBucket};
/// let mut bucket = TokenBucket::new(10, 1, 1.0)?; // the chapter's capacity=10, refill=1/sec
/// let burst = (0..20).filter(|_| bucket.allow(0.0).is_allowed()).count();
/// assert_eq!(burst, 10);
/// assert!(bucket.allow(1.0).is_allowed()); // one token back after 1 s
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TokenBucket {
    capacity: u64,
    /// L: units refilled per nanosecond.
    limit: u64,
    /// One token, in units (= W in ns).
    token: u128,
    /// Tokens, in units.
    tokens: u128,
    last_refill_ns: u64,
}

impl TokenBucket {
    /// A full bucket of `capacity` tokens refilled at `limit` tokens per `window_s` seconds.
    ///
    /// # Errors
    ///
    /// [`RateLimitError::OutOfRange`] for a capacity or limit outside 1..=1,000,000 or a window
    /// that is not a finite number in 10^-6..=10^7 s.
    pub fn new(capacity: u64, limit: u64, window_s: f64) -> Result<Self, RateLimitError> {
        check_count("capacity", capacity)?;
        check_count("limit", limit)?;
        check_positive("window_s", window_s, 1e7)?;
        let token = u128::from(to_ns(window_s));
        Ok(Self {
            capacity,
            limit,
            token,
            tokens: u128::from(capacity) * token,
            last_refill_ns: 0,
        })
    }

    /// Tokens in the bucket at `t_ns`, in units (refilled, not stored).
    fn tokens_at(&self, t_ns: u64) -> u128 {
        let elapsed = u128::from(t_ns.saturating_sub(self.last_refill_ns));
        let full = u128::from(self.capacity) * self.token;
        full.min(self.tokens + elapsed * u128::from(self.limit))
    }
}

impl Limiter for TokenBucket {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t_ns = to_ns(t_s).max(self.last_refill_ns);
        self.tokens = self.tokens_at(t_ns);
        self.last_refill_ns = t_ns;
        let admit = self.tokens >= self.token;
        if admit {
            self.tokens -= self.token;
        }
        Decision::admit_or(admit, || ns_to_s(self.token - self.tokens, self.limit))
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let tokens = self.tokens_at(to_ns(t_s).max(self.last_refill_ns));
        let remaining = (tokens / self.token) as u64;
        let full = u128::from(self.capacity) * self.token;
        RateLimitHeaders {
            limit: self.capacity,
            remaining,
            reset_after_s: ns_to_s(full - tokens, self.limit),
            retry_after_s: (remaining == 0)
                .then(|| ns_to_s(self.token.saturating_sub(tokens), self.limit)),
        }
    }

    /// Tokens and the last refill time.
    fn state_words(&self) -> usize {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_its_capacity_in_a_burst_then_its_refill_rate() {
        // The chapter's bucket: capacity 10, refill 1/s. 100 requests at t = 0 → exactly 10.
        let mut bucket = TokenBucket::new(10, 1, 1.0).unwrap();
        let burst = (0..100).filter(|_| bucket.allow(0.0).is_allowed()).count();
        assert_eq!(burst, 10);
        // Then one request every 1/64 s (exact in binary, so no rounding) for 10 s: the refill
        // gives exactly 1 token per second, so exactly 10 more are admitted, one per second.
        let mut admitted_at = Vec::new();
        for i in 1..=640 {
            let t = f64::from(i) / 64.0;
            if bucket.allow(t).is_allowed() {
                admitted_at.push(t);
            }
        }
        assert_eq!(admitted_at, (1..=10).map(f64::from).collect::<Vec<_>>());
    }

    #[test]
    fn headers_count_whole_tokens() {
        // After the burst, 2.5 s later: 2.5 tokens → Remaining 2, full again in 7.5 s.
        let mut bucket = TokenBucket::new(10, 1, 1.0).unwrap();
        for _ in 0..10 {
            bucket.allow(0.0);
        }
        let h = bucket.headers(2.5);
        assert_eq!((h.remaining, h.retry_after_s), (2, None));
        assert_eq!(h.reset_after_s, 7.5);
        // At 0.25 s: 0.25 tokens, Retry-After 0.75 s.
        assert_eq!(bucket.headers(0.25).retry_after_s, Some(0.75));
    }
}
