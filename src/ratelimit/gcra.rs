//! GCRA, the generic cell rate algorithm: one theoretical arrival time per key.

use super::{
    Decision, Limiter, RateLimitError, RateLimitHeaders, check_count, check_positive, ns_to_s,
    to_ns,
};

/// GCRA (virtual scheduling form): the token bucket's decisions from a single timestamp.
///
/// # Formula
///
/// ```text
/// T = W / L                  emission interval
/// τ = (B − 1) × T            burst tolerance
/// admit iff t ≥ TAT − τ;  then TAT ← max(TAT, t) + T       (TAT starts at 0)
/// otherwise Retry-After = TAT − τ − t
/// TAT: theoretical arrival time of the next conforming request
/// L: limit per window; W: window; B: burst
/// ```
/// Times are whole nanoseconds counted in ticks of 1/L ns (t·L, T = W in ns, τ = (B − 1)·W), so
/// every quantity is an integer and the comparison is exact. With rate L/W and burst B it admits
/// exactly what a token bucket of capacity B and refill L/W admits (tokens = B − max(0, TAT − t)/T;
/// checked request by request by the property tests in `simulate/tests.rs`). Source: ITU-T
/// Recommendation I.371 (traffic control), annex A, the virtual scheduling algorithm; B. Leach,
/// "Rate limiting, cells, and GCRA" (2015), as used by redis-cell
/// (<https://github.com/brandur/redis-cell/blob/master/src/cell/mod.rs>) and governor
/// (<https://github.com/boinkor-net/governor/blob/master/governor/src/gcra.rs>).
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{Gcra, Limiter};
/// let mut gcra = Gcra::new(1, 1.0, 10)?; // 1 per second, bursts of 10
/// let burst = (0..20).filter(|_| gcra.allow(0.0).is_allowed()).count();
/// assert_eq!(burst, 10);
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Gcra {
    /// L: ticks per nanosecond.
    limit: u64,
    /// T in ticks (= W in ns).
    emission_interval: u128,
    /// τ in ticks.
    burst_tolerance: u128,
    burst: u64,
    /// TAT in ticks.
    tat: u128,
    last_ns: u64,
}

impl Gcra {
    /// A limiter for `limit` requests per `window_s` sustained, bursts of up to `burst`.
    ///
    /// # Errors
    ///
    /// [`RateLimitError::OutOfRange`] for a limit or burst outside 1..=1,000,000 or a window
    /// that is not a finite number in 10^-6..=10^7 s.
    pub fn new(limit: u64, window_s: f64, burst: u64) -> Result<Self, RateLimitError> {
        check_count("limit", limit)?;
        check_positive("window_s", window_s, 1e7)?;
        check_count("burst", burst)?;
        let emission_interval = u128::from(to_ns(window_s));
        Ok(Self {
            limit,
            emission_interval,
            burst_tolerance: u128::from(burst - 1) * emission_interval,
            burst,
            tat: 0,
            last_ns: 0,
        })
    }

    fn ticks(&self, t_ns: u64) -> u128 {
        u128::from(t_ns) * u128::from(self.limit)
    }
}

impl Limiter for Gcra {
    fn allow(&mut self, t_s: f64) -> Decision {
        let t_ns = to_ns(t_s).max(self.last_ns);
        self.last_ns = t_ns;
        let t = self.ticks(t_ns);
        let earliest = self.tat.saturating_sub(self.burst_tolerance);
        let admit = t >= earliest;
        if admit {
            self.tat = self.tat.max(t) + self.emission_interval;
        }
        Decision::admit_or(admit, || ns_to_s(earliest - t, self.limit))
    }

    fn headers(&self, t_s: f64) -> RateLimitHeaders {
        let t = self.ticks(to_ns(t_s).max(self.last_ns));
        let backlog = self.tat.saturating_sub(t);
        // Requests admissible back to back = ⌊B − backlog / T⌋ = B − ⌈backlog / T⌉.
        let used = backlog.div_ceil(self.emission_interval);
        let remaining = u128::from(self.burst).saturating_sub(used) as u64;
        RateLimitHeaders {
            limit: self.burst,
            remaining,
            reset_after_s: ns_to_s(backlog, self.limit),
            retry_after_s: (remaining == 0)
                .then(|| ns_to_s(backlog.saturating_sub(self.burst_tolerance), self.limit)),
        }
    }

    /// The theoretical arrival time (the last-seen time here is bookkeeping for out-of-order
    /// input, not needed by a real store).
    fn state_words(&self) -> usize {
        1
    }
}
