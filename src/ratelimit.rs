//! Rate limiting, watched: the chapter's five algorithms (section 5, "Rate Limiting Algorithms")
//! plus GCRA, run side by side on the same seeded traffic for one client key.
//!
//! # One setting, six algorithms
//!
//! A person sets "`limit` requests per `window_s` seconds, bursts of up to `burst`"
//! ([`RateLimitConfig`]). Each algorithm reads it as follows:
//!
//! ```text
//! algorithm               parameters                                   admits …
//! fixed window            L = limit per aligned window [kW, (k+1)W)    ≤ L per aligned window
//! sliding window log      L = limit in any window (t − W, t]           ≤ L in every window of length W
//! sliding window counter  L, W; estimate prev·(1 − e/W) + cur          ≤ L per aligned window
//! token bucket            capacity C = burst, refill r = limit / W     ≤ C + r·τ in any span τ
//! leaky bucket (queue)    queue capacity B = burst, drain r = limit/W  like the token bucket, delayed
//! GCRA                    T = W / limit, τ = (burst − 1)·T             like the token bucket
//! W: window_s; L: limit; e: time elapsed in the current aligned window
//! ```
//!
//! Token bucket, leaky bucket (as a meter) and GCRA make the same admission decisions for the
//! same rate and burst: GCRA is the ITU-T I.371 "virtual scheduling" form of the leaky bucket,
//! and a token bucket holding `C − level` tokens is the same meter seen from the other side. They
//! differ in what they keep and what they report: the leaky bucket as a queue also delays each
//! admitted request until the constant outflow reaches it (see [`LeakyBucket`]).
//!
//! # Real counterparts
//!
//! nginx `limit_req` with `nodelay` decides as the token bucket and GCRA, without `nodelay` it
//! queues as the leaky bucket, and its `burst=N` is a bucket of N + 1; redis-cell's `max_burst`
//! M is a bucket of M + 1; governor's `max_burst` and golang's `b` are the bucket itself.
//! [`counterparts`] writes a setting in each system's terms. Where real systems differ, the
//! setting chooses: [`WindowStart`] (fixed windows aligned to the clock or opened by the first
//! request) and [`Counting`] (sliding windows counting admitted requests or every attempt).
//!
//! # Time
//!
//! Times are seconds from the start of the run (t = 0), and limiters must be fed non-decreasing
//! times (an earlier time is treated as the latest one seen). Fixed windows are aligned at
//! multiples of `window_s` from t = 0 unless [`WindowStart::FirstRequest`] is chosen.
//!
//! Every limiter converts each arrival once to whole nanoseconds (rounded to the nearest) and
//! decides in integer arithmetic, as governor does (`governor/src/nanos.rs`,
//! <https://github.com/boinkor-net/governor>). The bucket algorithms count time in ticks of
//! 1/`limit` ns, so that the emission interval `window / limit` is an exact whole number of ticks
//! and requests at identical instants, or exactly one interval apart, tie exactly. Floating-point
//! accumulation made GCRA reject the last request of a full burst (issue 20: limit 5 per second,
//! burst 5, six requests at t = 0 and six at t = 2 gave `AAAAAR AAAARR`).
//!
//! # Response headers
//!
//! `X-RateLimit-Reset` is sent as **seconds until the full allowance is back** (a delta), as
//! Headroom's own API (`server/src/rate_limit.rs`), redis-cell (`CL.THROTTLE`'s fifth reply,
//! <https://github.com/brandur/redis-cell#response>) and the IETF draft "RateLimit header fields
//! for HTTP" (<https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/>, its
//! `reset` in delta seconds) do. GitHub's REST API sends `x-ratelimit-reset` as a Unix time in
//! seconds instead (<https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api>):
//! add the response's `Date` to compare.
//!
//! # Examples
//!
//! ```
//! use headroom::ratelimit::{RateLimitConfig, TrafficConfig, Pattern, simulate};
//! let limits = RateLimitConfig { limit: 100, window_s: 60.0, burst: 100, ..RateLimitConfig::default() };
//! let traffic = TrafficConfig { pattern: Pattern::WindowBoundary { per_side: 100 }, ..TrafficConfig::default() };
//! let run = simulate(&limits, &traffic)?;
//! let fixed = &run.algorithms[0];
//! // The fixed window admits 2 × 100 within one window length around a boundary.
//! assert_eq!(fixed.max_admitted_in_window, 200);
//! # Ok::<(), headroom::ratelimit::RateLimitError>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::choice::choice_enum;
use crate::complexity::{ComplexityRow, ComplexityTable};

mod counterparts;
mod distributed;
mod fixed_window;
mod gcra;
mod leaky_bucket;
#[cfg(test)]
mod ported_tests;
mod simulate;
mod sliding_counter;
mod sliding_log;
mod token_bucket;
mod traffic;

pub use counterparts::{Counterpart, counterparts};
pub use distributed::{
    DistributedConfig, DistributedRun, ModeResult, Routing, distributed_over_admission,
};
pub use fixed_window::FixedWindow;
pub use gcra::Gcra;
pub use leaky_bucket::LeakyBucket;
pub use simulate::{
    AlgorithmRun, OUTFLOW_SHRINK, RateLimitRun, TimeBucket, max_in_window, simulate,
};
pub use sliding_counter::SlidingWindowCounter;
pub use sliding_log::SlidingWindowLog;
pub use token_bucket::TokenBucket;
pub use traffic::{Pattern, TrafficConfig};

/// Most requests one simulation accepts (all algorithms see each of them).
pub const MAX_REQUESTS: u64 = 1_000_000;
/// Largest `limit` and `burst`.
pub const MAX_LIMIT: u64 = 1_000_000;

/// Errors from the rate-limiting simulator.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RateLimitError {
    /// A setting is NaN, infinite or outside its allowed interval.
    #[error(transparent)]
    OutOfRange(#[from] RangeError),
    /// The traffic would hold more requests than [`MAX_REQUESTS`].
    #[error(
        "the traffic would contain about {requests} requests, more than the {max} simulated; \
         shorten the duration or lower the rate"
    )]
    TooManyRequests {
        /// Requests the traffic would contain (expected or counted).
        requests: u64,
        /// The largest number simulated.
        max: u64,
    },
}

use crate::range::RangeError;
pub(crate) use crate::range::check_range;

/// Checks a positive duration or rate in `[1e-6, max]`.
pub(crate) fn check_positive(field: &'static str, value: f64, max: f64) -> Result<f64, RangeError> {
    check_range(
        field,
        value,
        1e-6,
        max,
        "a finite number above 0 (at least 10^-6)",
    )
}

/// Checks a count in `1..=MAX_LIMIT`.
pub(crate) fn check_count(field: &'static str, value: u64) -> Result<f64, RangeError> {
    check_range(
        field,
        value as f64,
        1.0,
        MAX_LIMIT as f64,
        "a whole number from 1 to 1,000,000",
    )
}

/// `t_s` seconds as whole nanoseconds, rounded to the nearest; NaN and negative times are 0 and
/// times past `u64::MAX` ns (585 years) saturate. Each limiter converts an arrival once, here.
pub(crate) fn to_ns(t_s: f64) -> u64 {
    if t_s > 0.0 {
        // `as` saturates at u64::MAX for +∞ and huge values.
        (t_s * 1e9).round() as u64
    } else {
        0
    }
}

/// What each window algorithm (fixed, sliding log, sliding counter) is set with, L requests per
/// W, validated once, and the latest arrival it has seen: an earlier time counts as that one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Window {
    /// L: admits per window.
    limit: u64,
    /// W in whole nanoseconds.
    ns: u64,
    /// The latest arrival seen, ns.
    last_ns: u64,
}

impl Window {
    /// `limit` requests per `window_s` seconds.
    ///
    /// # Errors
    ///
    /// [`RateLimitError::OutOfRange`] for a limit outside 1..=1,000,000 or a window that is not
    /// a finite number in 10^-6..=10^7 s.
    fn new(limit: u64, window_s: f64) -> Result<Self, RateLimitError> {
        check_count("limit", limit)?;
        check_positive("window_s", window_s, 1e7)?;
        Ok(Self {
            limit,
            ns: to_ns(window_s),
            last_ns: 0,
        })
    }

    /// `t_s` in whole nanoseconds, never before the latest arrival (for headers: nothing changes).
    fn at(&self, t_s: f64) -> u64 {
        to_ns(t_s).max(self.last_ns)
    }

    /// An arrival at `t_s`: its time in nanoseconds as [`Window::at`] reads it, now the latest.
    fn arrive(&mut self, t_s: f64) -> u64 {
        self.last_ns = self.at(t_s);
        self.last_ns
    }
}

impl Decision {
    /// Admitted at once when `admit`, else rejected with the `Retry-After` that `retry_after_s`
    /// computes.
    pub(crate) fn admit_or(admit: bool, retry_after_s: impl FnOnce() -> f64) -> Self {
        if admit {
            Self::Allow { delay_s: 0.0 }
        } else {
            Self::Reject {
                retry_after_s: retry_after_s(),
            }
        }
    }
}

/// `ticks` ticks of 1/`per` ns each, as seconds.
pub(crate) fn ns_to_s(ticks: u128, per: u64) -> f64 {
    ticks as f64 / per.max(1) as f64 / 1e9
}

/// What the limiter did with one request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Decision {
    /// Admitted.
    Allow {
        /// Seconds the request waits before it is forwarded (non-zero only for the leaky bucket,
        /// whose queue releases requests at a constant rate).
        delay_s: f64,
    },
    /// Rejected with `429 Too Many Requests`.
    Reject {
        /// Seconds until this client would be admitted if it sent nothing meanwhile (the
        /// `Retry-After` value before rounding up).
        retry_after_s: f64,
    },
}

impl Decision {
    /// Whether the request was admitted.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Self::Allow { .. })
    }
}

/// The rate-limit response headers a client would see at one moment (the chapter's section 5
/// "Rate Limiting Response Headers").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateLimitHeaders {
    /// `X-RateLimit-Limit`: the limit per window for the window algorithms; for the bucket
    /// algorithms (token, leaky, GCRA) the bucket capacity, i.e. the burst, so that `remaining`
    /// never exceeds it.
    pub limit: u64,
    /// `X-RateLimit-Remaining`: requests that would be admitted if sent right now, back to back.
    pub remaining: u64,
    /// Seconds until the client again has its full allowance (`X-RateLimit-Reset` is this,
    /// rounded up: a delta, not a Unix time; see the module docs).
    pub reset_after_s: f64,
    /// `Retry-After` in seconds (before rounding up), present only when `remaining` is 0.
    pub retry_after_s: Option<f64>,
}

impl RateLimitHeaders {
    /// The HTTP status a request at this moment would get: 200 if `remaining > 0`, else 429.
    pub fn status(&self) -> u16 {
        if self.remaining > 0 { 200 } else { 429 }
    }

    /// The header lines: `X-RateLimit-Reset` and `Retry-After` in whole seconds from now,
    /// rounded up (see the module docs for who sends a delta and who a Unix time).
    ///
    /// # Examples
    ///
    /// ```
    /// use headroom::ratelimit::RateLimitHeaders;
    /// let h = RateLimitHeaders { limit: 100, remaining: 0, reset_after_s: 29.2, retry_after_s: Some(29.2) };
    /// let lines = h.header_lines();
    /// assert_eq!(lines[2], ("X-RateLimit-Reset".to_string(), "30".to_string()));
    /// assert_eq!(lines[3], ("Retry-After".to_string(), "30".to_string()));
    /// ```
    pub fn header_lines(&self) -> Vec<(String, String)> {
        let up = |s: f64| {
            if s.is_finite() && s > 0.0 {
                s.ceil() as u64
            } else {
                0
            }
        };
        let mut lines = vec![
            ("X-RateLimit-Limit".to_string(), self.limit.to_string()),
            (
                "X-RateLimit-Remaining".to_string(),
                self.remaining.to_string(),
            ),
            (
                "X-RateLimit-Reset".to_string(),
                up(self.reset_after_s).to_string(),
            ),
        ];
        if let Some(retry) = self.retry_after_s {
            lines.push(("Retry-After".to_string(), up(retry).to_string()));
        }
        lines
    }
}

/// A rate limiter for one client key.
pub trait Limiter {
    /// Decides on a request arriving at `t_s` (seconds from the start; non-decreasing) and
    /// updates the state.
    fn allow(&mut self, t_s: f64) -> Decision;

    /// The headers a client would see at `t_s`, without sending a request.
    fn headers(&self, t_s: f64) -> RateLimitHeaders;

    /// 64-bit words of state kept for this key (timestamps, counters), to compare memory.
    fn state_words(&self) -> usize;
}

/// "`limit` requests per `window_s` seconds, bursts of up to `burst`", the one setting every
/// algorithm is derived from (see the module docs for the mapping).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateLimitConfig {
    /// Requests allowed per window (1..=[`MAX_LIMIT`]).
    pub limit: u64,
    /// Window length, seconds (10^-6..=10^7).
    pub window_s: f64,
    /// Largest burst the bucket algorithms admit at once (1..=[`MAX_LIMIT`]).
    pub burst: u64,
    /// Where the fixed window's windows start.
    #[serde(default)]
    pub window_start: WindowStart,
    /// Which requests the sliding log and the sliding counter count.
    #[serde(default)]
    pub counting: Counting,
}

choice_enum! {
    /// Where a fixed window starts: the real systems differ.
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum WindowStart {
        /// Windows `[kW, (k+1)W)` aligned to the clock (here, to t = 0): a counter keyed by
        /// `⌊now / W⌋`, as in "Pattern: Rate limiter 1" of <https://redis.io/commands/incr> (a key
        /// per Unix second).
        #[default]
        Clock = "clock", "Aligned to the clock",
        /// A window opens at the first request after the previous one ended and lasts W: one
        /// counter per key, `INCR` then `EXPIRE` when the count is 1, as in "Pattern: Rate limiter
        /// 2" of <https://redis.io/commands/incr> and @fastify/rate-limit's Redis store
        /// (`store/RedisStore.js`, <https://github.com/fastify/fastify-rate-limit>).
        FirstRequest = "first", "From the first request",
    }
}

choice_enum! {
    /// Which requests the sliding log and the sliding counter count: the real systems differ.
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum Counting {
        /// Only admitted requests: a client that keeps retrying is admitted again once its old
        /// admits leave the window.
        #[default]
        Admitted = "admitted", "Admitted requests",
        /// Every attempt, rejected ones included (a sorted-set log that adds each request before
        /// counting): a client that retries faster than the limit stays locked out.
        Attempts = "all", "Every attempt",
    }
}

impl Default for RateLimitConfig {
    /// 100 requests per minute, bursts of 100: the chapter's header example (`X-RateLimit-Limit:
    /// 100`) over the common per-user minute (its section 5 dimensions: "100 req/min").
    fn default() -> Self {
        Self {
            limit: 100,
            window_s: 60.0,
            burst: 100,
            window_start: WindowStart::default(),
            counting: Counting::default(),
        }
    }
}

impl RateLimitConfig {
    /// Checks every setting.
    ///
    /// # Errors
    ///
    /// [`RateLimitError::OutOfRange`] naming the first bad setting.
    pub fn validate(&self) -> Result<(), RateLimitError> {
        check_count("limit", self.limit)?;
        check_positive("window_s", self.window_s, 1e7)?;
        check_count("burst", self.burst)?;
        Ok(())
    }

    /// The sustained rate, requests per second.
    ///
    /// # Formula
    ///
    /// ```text
    /// r = limit / window_s
    /// ```
    pub fn rate_per_s(&self) -> f64 {
        self.limit as f64 / self.window_s
    }
}

/// The algorithms compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RateAlgorithm {
    /// Counter per aligned window.
    FixedWindow,
    /// Timestamps of admitted requests in the last window.
    SlidingWindowLog,
    /// Two window counters, the previous one weighted by its overlap.
    SlidingWindowCounter,
    /// Tokens refilled at a constant rate.
    TokenBucket,
    /// A queue drained at a constant rate.
    LeakyBucket,
    /// Generic cell rate algorithm: one theoretical arrival time.
    Gcra,
}

impl RateAlgorithm {
    /// Every algorithm, in the chapter's table order, then GCRA.
    pub const ALL: [RateAlgorithm; 6] = [
        Self::FixedWindow,
        Self::SlidingWindowLog,
        Self::SlidingWindowCounter,
        Self::TokenBucket,
        Self::LeakyBucket,
        Self::Gcra,
    ];

    /// The name people read.
    pub fn name(self) -> &'static str {
        match self {
            Self::FixedWindow => "Fixed window",
            Self::SlidingWindowLog => "Sliding window log",
            Self::SlidingWindowCounter => "Sliding window counter",
            Self::TokenBucket => "Token bucket",
            Self::LeakyBucket => "Leaky bucket",
            Self::Gcra => "GCRA",
        }
    }

    /// A short stable key for query strings.
    pub fn key(self) -> &'static str {
        match self {
            Self::FixedWindow => "fixed",
            Self::SlidingWindowLog => "log",
            Self::SlidingWindowCounter => "counter",
            Self::TokenBucket => "token",
            Self::LeakyBucket => "leaky",
            Self::Gcra => "gcra",
        }
    }

    /// The algorithm with this [`RateAlgorithm::key`], if any.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }

    /// A fresh limiter for `config`, mapped as in the module docs.
    ///
    /// # Errors
    ///
    /// [`RateLimitConfig::validate`]'s errors.
    pub fn limiter(self, config: &RateLimitConfig) -> Result<Box<dyn Limiter>, RateLimitError> {
        config.validate()?;
        let (limit, window_s, burst) = (config.limit, config.window_s, config.burst);
        let all = config.counting == Counting::Attempts;
        Ok(match self {
            Self::FixedWindow => Box::new(
                FixedWindow::new(limit, window_s)?
                    .starting_at_first_request(config.window_start == WindowStart::FirstRequest),
            ),
            Self::SlidingWindowLog => {
                Box::new(SlidingWindowLog::new(limit, window_s)?.counting_attempts(all))
            }
            Self::SlidingWindowCounter => {
                Box::new(SlidingWindowCounter::new(limit, window_s)?.counting_attempts(all))
            }
            Self::TokenBucket => Box::new(TokenBucket::new(burst, limit, window_s)?),
            Self::LeakyBucket => Box::new(LeakyBucket::new(burst, limit, window_s)?),
            Self::Gcra => Box::new(Gcra::new(limit, window_s, burst)?),
        })
    }
}

/// The chapter's section 5 "Rate Limiting Algorithm Complexity" table, verbatim (n = requests in
/// the window), plus a GCRA row: one stored timestamp, updated with a single compare-and-set
/// (as in redis-cell and Brandur Leach's "Rate limiting, cells, and GCRA", 2015).
pub const COMPLEXITY: ComplexityTable = ComplexityTable {
    headers: &[
        "Algorithm",
        "Time per request",
        "Space per key",
        "Accuracy",
        "Distributed",
    ],
    rows: &[
        ComplexityRow::chapter(
            "Fixed Window",
            &[
                "O(1)",
                "O(1)",
                "Low (boundary issues)",
                "Easy (atomic INCR)",
            ],
        ),
        ComplexityRow::chapter(
            "Sliding Window Log",
            &[
                "O(n) for cleanup",
                "O(n) requests",
                "High",
                "Medium (set operations)",
            ],
        ),
        ComplexityRow::chapter(
            "Sliding Window Counter",
            &["O(1)", "O(2) counters", "Good", "Easy (two counters)"],
        ),
        ComplexityRow::chapter(
            "Token Bucket",
            &["O(1)", "O(2) values", "Good", "Medium (CAS operation)"],
        ),
        ComplexityRow::chapter(
            "Leaky Bucket",
            &["O(1)", "O(2) values", "Good", "Medium (CAS operation)"],
        ),
        ComplexityRow::added(
            "GCRA",
            &[
                "O(1)",
                "O(1): one timestamp",
                "Good (same decisions as token bucket)",
                "Medium (CAS operation)",
            ],
        ),
    ],
};
