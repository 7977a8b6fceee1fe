//! Runs every algorithm on the same arrivals and measures what it let through.

use super::{
    Decision, RateAlgorithm, RateLimitConfig, RateLimitError, RateLimitHeaders, TrafficConfig,
    to_ns,
};
use crate::units::{format_count, format_duration};
use serde::{Deserialize, Serialize};

/// Factor applied to the window when counting forwarded requests. The leaky bucket releases
/// requests exactly `1/r` apart, so `limit + 1` of them span exactly one window; whether the
/// first one counts as "inside" `(t − W, t]` then depends on the last bit of a rounded sum. A
/// window shorter by 10^-9 of its length gives the exact-arithmetic answer (`limit`) without
/// changing any count that is not a rounding tie.
pub const OUTFLOW_SHRINK: f64 = 1.0 - 1e-9;

/// `window` shortened by [`OUTFLOW_SHRINK`], and by at least 2 ns: forward times are exact
/// nanosecond counts rounded to the nearest ns, so two of them can be off by up to 1 ns between
/// them, which a shorter window would not absorb once [`max_in_window`] rounds it to whole ns.
fn outflow_window(window: f64) -> f64 {
    (window * OUTFLOW_SHRINK).min(window - 2e-9)
}

/// The result of one [`simulate`] call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateLimitRun {
    /// Requests sent (every algorithm saw all of them).
    pub requests: u64,
    /// Length of the run, seconds.
    pub duration_s: f64,
    /// Width of each chart bucket, seconds.
    pub bucket_s: f64,
    /// Length of the interval "largest burst" is measured over: window_s / 10.
    pub burst_interval_s: f64,
    /// The moment the headers describe, seconds from the start.
    pub headers_at_s: f64,
    /// One entry per algorithm, in [`RateAlgorithm::ALL`] order.
    pub algorithms: Vec<AlgorithmRun>,
}

/// What one algorithm did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AlgorithmRun {
    /// The algorithm.
    pub algorithm: RateAlgorithm,
    /// Requests admitted.
    pub admitted: u64,
    /// Requests rejected (429).
    pub rejected: u64,
    /// Admitted, rejected and forwarded per time bucket, for the chart.
    pub buckets: Vec<TimeBucket>,
    /// Most requests admitted in any interval of `burst_interval_s` (window / 10): how big a
    /// burst got through.
    pub largest_burst: u64,
    /// Most requests admitted in any interval of one window length `(t − W, t]`; above the limit
    /// means the algorithm let more through than "limit per window" promises (2× for the fixed
    /// window on the boundary pattern).
    pub max_admitted_in_window: u64,
    /// As `largest_burst`, for the times requests reach the backend (differs only for the leaky
    /// bucket, which delays them).
    pub largest_forwarded_burst: u64,
    /// As `max_admitted_in_window`, for the times requests reach the backend (measured over a
    /// window shorter by one part in 10^9, see [`OUTFLOW_SHRINK`]).
    pub max_forwarded_in_window: u64,
    /// 64-bit words of state kept for the key at the end of the run.
    pub state_words_final: u64,
    /// Most words of state kept at any moment (grows with traffic only for the sliding log).
    pub state_words_peak: u64,
    /// Mean queueing delay of admitted requests, seconds (0 except for the leaky bucket).
    pub mean_delay_s: f64,
    /// Longest queueing delay, seconds.
    pub max_delay_s: f64,
    /// The response headers a client would see at `headers_at_s`.
    pub headers: RateLimitHeaders,
}

/// Counts in one chart bucket `[start_s, start_s + bucket_s)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimeBucket {
    /// Requests admitted that arrived in the bucket.
    pub admitted: u64,
    /// Requests rejected that arrived in the bucket.
    pub rejected: u64,
    /// Requests forwarded to the backend in the bucket (the leaky bucket's smoothed output;
    /// equal to `admitted` elsewhere). Forwarding after the end of the run is not charted.
    pub forwarded: u64,
}

/// Runs every algorithm of [`RateAlgorithm::ALL`] for one client key on the same arrivals.
///
/// # Errors
///
/// [`RateLimitConfig::validate`]'s and [`TrafficConfig::arrivals`]'s errors, including
/// [`RateLimitError::TooManyRequests`] above [`super::MAX_REQUESTS`].
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{RateLimitConfig, TrafficConfig, simulate};
/// let run = simulate(&RateLimitConfig::default(), &TrafficConfig::default())?;
/// // The sliding log keeps its promise: never more than 100 in any minute.
/// assert!(run.algorithms[1].max_admitted_in_window <= 100);
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
pub fn simulate(
    limits: &RateLimitConfig,
    traffic: &TrafficConfig,
) -> Result<RateLimitRun, RateLimitError> {
    limits.validate()?;
    let arrivals = traffic.arrivals(limits.window_s)?;
    let buckets = traffic.chart_buckets.max(1) as usize;
    let bucket_s = traffic.duration_s / buckets as f64;
    let burst_interval_s = limits.window_s / 10.0;
    let algorithms = RateAlgorithm::ALL
        .into_iter()
        .map(|algorithm| run_one(algorithm, limits, traffic, &arrivals, bucket_s, buckets))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RateLimitRun {
        requests: arrivals.len() as u64,
        duration_s: traffic.duration_s,
        bucket_s,
        burst_interval_s,
        headers_at_s: traffic.headers_at_s,
        algorithms,
    })
}

/// The traces of a run's figures, for the `/rate-limiting` cards, from the same limits and
/// measurements.
impl RateLimitRun {
    /// The trace of the fixed window's [`AlgorithmRun::max_admitted_in_window`].
    pub fn fixed_window_trace(limits: &RateLimitConfig) -> String {
        format!(
            "most admitted in any interval (t − W, t] with W = {}; a burst just before a \
             boundary and one just after both fit, up to 2 × {}",
            format_duration(limits.window_s),
            format_count(limits.limit as f64)
        )
    }

    /// The trace of the sliding log's [`AlgorithmRun::max_admitted_in_window`].
    pub fn sliding_log_trace() -> String {
        "the log keeps every admitted time of the last window, so no window ever holds more \
         than the limit"
            .to_string()
    }

    /// The trace of the token bucket's [`AlgorithmRun::largest_burst`].
    pub fn token_burst_trace(&self, limits: &RateLimitConfig) -> String {
        format!(
            "at most capacity + rate × τ = {} + {}/s × {}",
            format_count(limits.burst as f64),
            format_count(limits.rate_per_s()),
            format_duration(self.burst_interval_s)
        )
    }
}

fn run_one(
    algorithm: RateAlgorithm,
    limits: &RateLimitConfig,
    traffic: &TrafficConfig,
    arrivals: &[f64],
    bucket_s: f64,
    bucket_count: usize,
) -> Result<AlgorithmRun, RateLimitError> {
    let mut limiter = algorithm.limiter(limits)?;
    let mut buckets = vec![
        TimeBucket {
            admitted: 0,
            rejected: 0,
            forwarded: 0
        };
        bucket_count
    ];
    let bucket_of = |t: f64| ((t / bucket_s).floor().max(0.0) as usize).min(bucket_count - 1);
    let mut admitted_at = Vec::new();
    let mut forwarded_at = Vec::new();
    let (mut delay_sum, mut max_delay_s) = (0.0, 0.0_f64);
    let mut headers = None;
    let mut state_words_peak = limiter.state_words();
    for &t in arrivals {
        if headers.is_none() && t > traffic.headers_at_s {
            headers = Some(limiter.headers(traffic.headers_at_s));
        }
        let index = bucket_of(t);
        match limiter.allow(t) {
            Decision::Allow { delay_s } => {
                if let Some(b) = buckets.get_mut(index) {
                    b.admitted += 1;
                }
                admitted_at.push(t);
                let forwarded = t + delay_s;
                forwarded_at.push(forwarded);
                if forwarded < traffic.duration_s
                    && let Some(b) = buckets.get_mut(bucket_of(forwarded))
                {
                    b.forwarded += 1;
                }
                delay_sum += delay_s;
                max_delay_s = max_delay_s.max(delay_s);
            }
            Decision::Reject { .. } => {
                if let Some(b) = buckets.get_mut(index) {
                    b.rejected += 1;
                }
            }
        }
        state_words_peak = state_words_peak.max(limiter.state_words());
    }
    let headers = headers.unwrap_or_else(|| limiter.headers(traffic.headers_at_s));
    // Forward times are non-decreasing in exact arithmetic; sort in case rounding says otherwise.
    if !forwarded_at.is_sorted() {
        forwarded_at.sort_unstable_by(f64::total_cmp);
    }
    let admitted = admitted_at.len() as u64;
    let burst_interval_s = limits.window_s / 10.0;
    Ok(AlgorithmRun {
        algorithm,
        admitted,
        rejected: arrivals.len() as u64 - admitted,
        buckets,
        largest_burst: max_in_window(&admitted_at, burst_interval_s),
        max_admitted_in_window: max_in_window(&admitted_at, limits.window_s),
        largest_forwarded_burst: max_in_window(&forwarded_at, outflow_window(burst_interval_s)),
        max_forwarded_in_window: max_in_window(&forwarded_at, outflow_window(limits.window_s)),
        state_words_final: limiter.state_words() as u64,
        state_words_peak: state_words_peak as u64,
        mean_delay_s: if admitted > 0 {
            delay_sum / admitted as f64
        } else {
            0.0
        },
        max_delay_s,
        headers,
    })
}

/// The most sorted times falling in any half-open window `(t − w, t]`, by two pointers.
///
/// # Formula
///
/// ```text
/// max over i of |{j : tᵢ − w < tⱼ ≤ tᵢ}|      t sorted ascending, w: window length
/// ```
/// The maximum over all windows is reached by a window ending at one of the times, so checking
/// those n windows is exact; each pointer moves n times, O(n). Times and w are compared as whole
/// nanoseconds, as the limiters see them, and the boundary convention matches
/// [`super::SlidingWindowLog`]'s (a time exactly w old has left).
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::max_in_window;
/// assert_eq!(max_in_window(&[0.0, 0.5, 0.9, 1.0, 1.4], 1.0), 4); // (0.4, 1.4]
/// assert_eq!(max_in_window(&[], 1.0), 0);
/// ```
pub fn max_in_window(sorted_times: &[f64], window: f64) -> u64 {
    let window_ns = to_ns(window);
    let mut left = 0;
    let mut best = 0;
    for (right, &t) in sorted_times.iter().enumerate() {
        let t_ns = to_ns(t);
        while sorted_times
            .get(left)
            .is_some_and(|&s| to_ns(s).saturating_add(window_ns) <= t_ns)
        {
            left += 1;
        }
        best = best.max(right + 1 - left.min(right + 1));
    }
    best as u64
}

#[cfg(test)]
mod tests;
