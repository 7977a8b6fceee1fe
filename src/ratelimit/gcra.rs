//! GCRA, the generic cell rate algorithm: one theoretical arrival time per key.

use super::{Decision, Limiter, RateLimitError, RateLimitHeaders, check_count, check_positive};

/// GCRA (virtual scheduling form): the token bucket's decisions from a single timestamp.
///
/// # Formula
///
/// ```text
/// T = 1 / rate               emission interval
/// τ = (burst − 1) × T        burst tolerance
/// admit iff t ≥ TAT − τ;  then TAT ← max(TAT, t) + T       (TAT starts at 0)
/// otherwise Retry-After = TAT − τ − t
/// TAT: theoretical arrival time of the next conforming request
/// ```
/// With rate r and burst B it admits exactly what a token bucket of capacity B and refill r
/// admits (tokens = B − max(0, TAT − t)/T). Source: ITU-T Recommendation I.371 (traffic
/// control), annex A, the virtual scheduling algorithm; B. Leach, "Rate limiting, cells, and
/// GCRA" (2015), as used by redis-cell.
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{Gcra, Limiter};
/// let mut gcra = Gcra::new(1.0, 10)?; // 1 per second, bursts of 10
/// let burst = (0..20).filter(|_| gcra.allow(0.0).is_allowed()).count();
/// assert_eq!(burst, 10);
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Gcra {
    emission_interval_s: f64,
    burst_tolerance_s: f64,
    burst: u64,
    tat_s: f64,
    last_t_s: f64,
}

impl Gcra {
    /// A limiter for `rate_per_s` sustained, bursts of up to `burst`.
    ///
    /// # Errors
    ///
    /// As [`super::TokenBucket::new`].
    pub fn new(rate_per_s: f64, burst: u64) -> Result<Self, RateLimitError> {
        check_positive("rate_per_s", rate_per_s, 1e9)?;
        check_count("burst", burst)?;
        let emission_interval_s = 1.0 / rate_per_s;
        Ok(Self {
            emission_interval_s,
            burst_tolerance_s: (burst - 1) as f64 * emission_interval_s,
            burst,
            tat_s: 0.0,
            last_t_s: 0.0,
        })
    }
}

impl Limiter for Gcra {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t = t_s.max(self.last_t_s);
        self.last_t_s = t;
        let earliest = self.tat_s - self.burst_tolerance_s;
        if t >= earliest {
            self.tat_s = self.tat_s.max(t) + self.emission_interval_s;
            Decision::Allow { delay_s: 0.0 }
        } else {
            Decision::Reject {
                retry_after_s: earliest - t,
            }
        }
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let t = t_s.max(self.last_t_s);
        let backlog_s = (self.tat_s - t).max(0.0);
        // Requests admissible back to back = B − backlog / T, in whole requests.
        let remaining = (self.burst as f64 - backlog_s / self.emission_interval_s)
            .floor()
            .max(0.0) as u64;
        RateLimitHeaders {
            limit: self.burst,
            remaining,
            reset_after_s: backlog_s,
            retry_after_s: (remaining == 0).then(|| (backlog_s - self.burst_tolerance_s).max(0.0)),
        }
    }

    /// The theoretical arrival time (the last-seen time here is bookkeeping for out-of-order
    /// input, not needed by a real store).
    fn state_words(&self) -> usize {
        1
    }
}
