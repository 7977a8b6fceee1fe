//! Why "scale out above 70% utilization": the M/M/c queue.
//!
//! The chapter's section 4 tells people to scale out when CPU passes 70%. Queueing theory says why:
//! with `c` servers fed by random (Poisson) arrivals and exponential service times, waiting grows
//! slowly at low utilization and explodes as utilization nears 100% (the "hockey stick"). This
//! module computes the standard M/M/c results (Erlang B and C, mean and percentile waits), the
//! fewest servers meeting a latency target, and the curves the `/queueing` page draws.
//!
//! Every result assumes the textbook M/M/c model: Poisson arrivals at rate λ, exponentially
//! distributed service times with mean `s = 1/μ`, `c` identical servers sharing one FIFO queue,
//! no abandonment and an unbounded queue. Real services have less variable service times, so the
//! model is usually a little pessimistic; it is still the standard way to see the shape.
//!
//! Sources for every formula: L. Kleinrock, *Queueing Systems, Vol. 1* (1975), section 3.5, and
//! D. Gross, C. M. Harris, *Fundamentals of Queueing Theory* (4th ed.), section 2.3. The Erlang B
//! recursion is the numerically stable form used by every call-centre sizing tool (e.g. G. Koole,
//! *Call Center Optimization*, 2013, section 4.2).

use crate::range::RangeError;
use crate::units::format_message_number;
use serde::{Deserialize, Serialize};

mod curves;
mod fleet;
pub use curves::{
    CURVE_PERCENTS, RATE_STEPS, SCALE_OUT_PERCENT, knee_text, load_note, response_time_plot,
    servers_needed_plot, target_text,
};
pub use fleet::{FleetSizing, MAX_FLEET_SERVERS, fleet_for_target, fleet_for_target_at};

/// Largest number of servers (parallel workers) the model computes. The Erlang B recursion is
/// O(c), so this bounds the cost of any single evaluation; beyond it the input is surely a typo.
pub const MAX_SERVERS: u32 = 100_000;

/// Errors from the queueing model.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueueingError {
    /// A rate or time was negative, NaN or infinite.
    #[error("{field} must be a finite number of at least 0, got {}", format_message_number(*.value))]
    NotFiniteOrNegative {
        /// The input's name, as in the query string where it has one.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// The mean service time was zero: a server that takes no time has no queue to model.
    #[error("the mean service time must be greater than 0 ms")]
    ZeroServiceTime,
    /// The number of servers was zero.
    #[error("there must be at least 1 server")]
    NoServers,
    /// More servers than [`MAX_SERVERS`] were asked for (or would be needed).
    #[error("{} servers is more than this model computes ({}); check the arrival rate and service time", human(*.servers), human(f64::from(*.max)))]
    TooManyServers {
        /// Servers asked for or needed.
        servers: f64,
        /// The largest count the model computes.
        max: u32,
    },
    /// Arrivals meet or exceed the total service capacity: the queue grows without bound.
    #[error("{}", unstable_message(*.arrival_rate_per_s, *.capacity_per_s, *.utilization))]
    Unstable {
        /// Arrivals per second (λ).
        arrival_rate_per_s: f64,
        /// Requests per second all servers together complete when always busy (c × μ).
        capacity_per_s: f64,
        /// λ / (c × μ), at least 1.
        utilization: f64,
    },
    /// A target or curve parameter was outside its allowed interval.
    #[error(transparent)]
    OutOfRange(#[from] RangeError),
    /// No number of servers up to the cap meets the target.
    #[error("no count up to {} servers meets the target; relax the target or shorten the service time", human(*.max_servers))]
    TargetUnreachable {
        /// The cap that was searched up to.
        max_servers: f64,
    },
}

/// [`QueueingError::Unstable`]'s message.
fn unstable_message(arrival_rate_per_s: f64, capacity_per_s: f64, utilization: f64) -> String {
    // Equal within rounding (700/s at 7 workers × 100/s) is "equal", not "exceed"; the
    // utilization keeps its digits, so 100.1% is not shown as 100%.
    let equal = (arrival_rate_per_s - capacity_per_s).abs()
        <= crate::math::COUNT_RELATIVE_ERROR * capacity_per_s;
    let (verb, percent) = if equal {
        ("equal", 100.0)
    } else {
        ("exceed", utilization * 100.0)
    };
    format!(
        "unstable: arrivals {}/s {verb} capacity {}/s (utilization {}); add servers",
        human(arrival_rate_per_s),
        human(capacity_per_s),
        crate::units::format_percent(crate::math::publishable(percent))
    )
}

/// Formats a figure for an error message: thousands separators from 1,000, and no more digits
/// than [`crate::units::format_count`] shows (scientific past 1e15, where a cast to an integer
/// would saturate and print a wrong number).
fn human(x: f64) -> String {
    crate::units::format_count(x)
}

fn check_rate(field: &'static str, value: f64) -> Result<f64, QueueingError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(QueueingError::NotFiniteOrNegative { field, value })
    }
}

fn check_service(mean_service_s: f64) -> Result<f64, QueueingError> {
    let s = check_rate("q_service_ms", mean_service_s)?;
    if s == 0.0 {
        Err(QueueingError::ZeroServiceTime)
    } else {
        Ok(s)
    }
}

/// The latency goal that [`fewest_servers`] sizes for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QueueTarget {
    /// The `q` quantile of the wait in the queue (before service starts) is at most `max_wait_s`.
    WaitPercentile {
        /// The quantile, in (0, 1): 0.95 for p95, 0.99 for p99.
        q: f64,
        /// The longest acceptable wait at that quantile, seconds (at least 0).
        max_wait_s: f64,
    },
    // Struct variants, not newtypes: serde cannot write a newtype variant holding a number under
    // an internal tag (`"kind"`), and that error once made the API answer an empty 200.
    /// The probability that a request waits at all (Erlang C) is at most `max_p_wait`.
    MaxProbabilityOfWaiting {
        /// The largest acceptable probability of waiting, in (0, 1].
        max_p_wait: f64,
    },
    /// The mean wait in the queue is at most `max_wait_s`.
    MaxMeanWait {
        /// The longest acceptable mean wait, seconds (greater than 0).
        max_wait_s: f64,
    },
}

/// Reads as a person would say it: `p99 wait ≤ 20 ms`, `mean wait ≤ 5 ms`, `P(wait) ≤ 20%`,
/// the probability to as many digits as it has (the trace's form; see [`QueueTarget::text`]).
impl std::fmt::Display for QueueTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(|p| crate::units::format_percent(p * 100.0)))
    }
}

impl QueueTarget {
    /// The target as a person would say it, with a probability of waiting written by `share`
    /// (a share in, text out): the trace gives every digit, the page two decimals.
    pub fn text(&self, share: fn(f64) -> String) -> String {
        use crate::units::{format_count, format_duration};
        match *self {
            Self::WaitPercentile { q, max_wait_s } => format!(
                "p{} wait ≤ {}",
                format_count(q * 100.0),
                format_duration(max_wait_s)
            ),
            Self::MaxMeanWait { max_wait_s: s } => format!("mean wait ≤ {}", format_duration(s)),
            Self::MaxProbabilityOfWaiting { max_p_wait: p } => format!("P(wait) ≤ {}", share(p)),
        }
    }

    /// Checks that the target's numbers are in range.
    ///
    /// # Errors
    /// [`QueueingError::OutOfRange`] naming the parameter that is outside its interval.
    pub fn validate(&self) -> Result<(), QueueingError> {
        match *self {
            Self::WaitPercentile { q, max_wait_s } => {
                if !(q > 0.0 && q < 1.0) {
                    return Err(QueueingError::OutOfRange(crate::range::RangeError::new(
                        "quantile",
                        q,
                        "in (0, 1)",
                    )));
                }
                check_rate("max_wait_s", max_wait_s).map(|_| ())
            }
            Self::MaxProbabilityOfWaiting { max_p_wait: p } => {
                if p > 0.0 && p <= 1.0 {
                    Ok(())
                } else {
                    Err(QueueingError::OutOfRange(crate::range::RangeError::new(
                        "max_p_wait",
                        p,
                        "in (0, 1]",
                    )))
                }
            }
            Self::MaxMeanWait { max_wait_s: s } => {
                if s.is_finite() && s > 0.0 {
                    Ok(())
                } else {
                    Err(QueueingError::OutOfRange(crate::range::RangeError::new(
                        "max_mean_wait_s",
                        s,
                        "in (0, ∞) seconds",
                    )))
                }
            }
        }
    }
}

/// Erlang B (blocking probability of M/M/c/c) by the stable recursion.
///
/// # Formula
/// ```text
/// B(0) = 1,   B(k) = A·B(k−1) / (k + A·B(k−1)),   k = 1 … c
///   A = λ/μ offered load in Erlangs, c = servers
/// Source: Koole, Call Center Optimization (2013), §4.2; every term stays in [0, 1], so it
/// neither overflows nor cancels, unlike the textbook sum of A^k / k!
/// ```
fn erlang_b_recursion(offered_load: f64, servers: u32) -> f64 {
    let mut blocking = 1.0;
    for k in 1..=servers {
        let a_b = offered_load * blocking;
        blocking = a_b / (f64::from(k) + a_b);
    }
    blocking
}

/// Erlang C from Erlang B for the same load and servers.
///
/// # Formula
/// ```text
/// C = B / (1 − ρ(1 − B)),   ρ = A / c < 1
/// Source: Gross & Harris, Fundamentals of Queueing Theory, §2.3 (C(c, A) in terms of B(c, A))
/// ```
fn erlang_c_from_b(blocking: f64, utilization: f64) -> f64 {
    (blocking / (1.0 - utilization * (1.0 - blocking))).clamp(0.0, 1.0)
}

/// The `q` quantile of the wait in queue, given Erlang C and the drain rate `cμ − λ`.
///
/// # Formula
/// ```text
/// P(W ≤ t) = 1 − C·e^(−(cμ−λ)t)   ⇒   t_q = ln(C / (1 − q)) / (cμ − λ)  when C > 1 − q, else 0
/// Source: Kleinrock, Queueing Systems Vol. 1, eq. 3.40 (waiting-time distribution of M/M/m)
/// ```
fn wait_quantile(p_wait: f64, drain_rate: f64, q: f64) -> f64 {
    if p_wait <= 1.0 - q {
        0.0
    } else {
        (crate::math::ln(p_wait / (1.0 - q)) / drain_rate).max(0.0)
    }
}

/// A validated, stable M/M/c queue.
///
/// # Examples
/// ```
/// use headroom::queueing::MmcQueue;
/// // 100 requests/s, 100 ms each, 12 workers: 10 Erlangs of load, 83% busy.
/// let queue = MmcQueue::new(100.0, 0.1, 12).unwrap();
/// assert!((queue.utilization() - 10.0 / 12.0).abs() < 1e-12);
/// assert!((queue.p_wait() - 0.4494).abs() < 1e-4);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MmcQueue {
    arrival_rate_per_s: f64,
    mean_service_s: f64,
    servers: u32,
    erlang_b: f64,
}

impl MmcQueue {
    /// Validates the inputs and precomputes Erlang B (O(c)).
    ///
    /// # Errors
    /// [`QueueingError::NotFiniteOrNegative`] for a bad rate or time,
    /// [`QueueingError::ZeroServiceTime`], [`QueueingError::NoServers`],
    /// [`QueueingError::TooManyServers`] above [`MAX_SERVERS`], and [`QueueingError::Unstable`]
    /// when λ ≥ c·μ (utilization of 100% or more: the queue grows forever).
    pub fn new(
        arrival_rate_per_s: f64,
        mean_service_s: f64,
        servers: u32,
    ) -> Result<Self, QueueingError> {
        let lambda = check_rate("q_rate", arrival_rate_per_s)?;
        let s = check_service(mean_service_s)?;
        if servers == 0 {
            return Err(QueueingError::NoServers);
        }
        if servers > MAX_SERVERS {
            return Err(QueueingError::TooManyServers {
                servers: f64::from(servers),
                max: MAX_SERVERS,
            });
        }
        let offered = lambda * s;
        let utilization = offered / f64::from(servers);
        if !utilization.is_finite() || utilization >= 1.0 {
            return Err(QueueingError::Unstable {
                arrival_rate_per_s: lambda,
                capacity_per_s: f64::from(servers) / s,
                utilization,
            });
        }
        Ok(Self {
            arrival_rate_per_s: lambda,
            mean_service_s: s,
            servers,
            erlang_b: erlang_b_recursion(offered, servers),
        })
    }

    /// Arrivals per second (λ).
    pub fn arrival_rate_per_s(&self) -> f64 {
        self.arrival_rate_per_s
    }
    /// Mean service time per request, seconds (1/μ).
    pub fn mean_service_s(&self) -> f64 {
        self.mean_service_s
    }
    /// Servers, or parallel workers (c).
    pub fn servers(&self) -> u32 {
        self.servers
    }

    /// Offered load in Erlangs.
    ///
    /// # Formula
    /// ```text
    /// A = λ / μ = λ × s     (λ arrivals/s, μ = 1/s completions/s per server, s mean service time)
    /// Source: Gross & Harris, §2.3
    /// ```
    pub fn offered_load_erlangs(&self) -> f64 {
        self.arrival_rate_per_s * self.mean_service_s
    }

    /// Share of time each server is busy.
    ///
    /// # Formula
    /// ```text
    /// ρ = λ / (c μ) = A / c      (c servers; always < 1 for a validated queue)
    /// Source: Gross & Harris, §2.3
    /// ```
    pub fn utilization(&self) -> f64 {
        self.offered_load_erlangs() / f64::from(self.servers)
    }

    /// Erlang B: the share of arrivals that would be turned away if there were no queue (M/M/c/c),
    /// computed by the stable recursion.
    ///
    /// # Formula
    /// ```text
    /// B(0) = 1,  B(k) = A·B(k−1) / (k + A·B(k−1))    A offered load (Erlangs), k = 1 … c
    /// Source: Koole, Call Center Optimization (2013), §4.2
    /// ```
    pub fn erlang_b(&self) -> f64 {
        self.erlang_b
    }

    /// Probability that an arriving request waits at all (Erlang C).
    ///
    /// # Formula
    /// ```text
    /// C = B / (1 − ρ(1 − B))      B Erlang B, ρ utilization
    /// Source: Gross & Harris, §2.3
    /// ```
    pub fn p_wait(&self) -> f64 {
        erlang_c_from_b(self.erlang_b, self.utilization())
    }

    /// Rate at which a queue drains when all servers are busy, per second (cμ − λ).
    fn drain_rate(&self) -> f64 {
        f64::from(self.servers) / self.mean_service_s - self.arrival_rate_per_s
    }

    /// Mean time a request waits in the queue before service starts, seconds.
    ///
    /// # Formula
    /// ```text
    /// W_q = C / (c μ − λ)        C Erlang C, c servers, μ = 1/s, λ arrivals/s
    /// Source: Kleinrock, Queueing Systems Vol. 1, eq. 3.43; for c = 1 it is ρ / (μ − λ)
    /// ```
    pub fn mean_wait_s(&self) -> f64 {
        self.p_wait() / self.drain_rate()
    }

    /// Mean response time: queue wait plus service, seconds.
    ///
    /// # Formula
    /// ```text
    /// W = W_q + 1/μ = W_q + s
    /// Source: Kleinrock, Queueing Systems Vol. 1, §3.5
    /// ```
    pub fn mean_response_s(&self) -> f64 {
        self.mean_wait_s() + self.mean_service_s
    }

    /// The `q` quantile of the wait in queue, seconds: 0 when at least a share `q` of requests
    /// does not wait at all.
    ///
    /// # Formula
    /// ```text
    /// t_q = ln(C / (1 − q)) / (c μ − λ)   if C > 1 − q,   else 0
    /// Source: solving Kleinrock eq. 3.40 for t
    /// ```
    ///
    /// # Errors
    /// [`QueueingError::OutOfRange`] unless `q` is in (0, 1).
    pub fn wait_percentile(&self, q: f64) -> Result<f64, QueueingError> {
        if !(q > 0.0 && q < 1.0) {
            return Err(QueueingError::OutOfRange(crate::range::RangeError::new(
                "quantile",
                q,
                "in (0, 1)",
            )));
        }
        Ok(wait_quantile(self.p_wait(), self.drain_rate(), q))
    }

    /// Whether this queue meets `target` (an invalid target is never met).
    pub fn meets(&self, target: &QueueTarget) -> bool {
        target.validate().is_ok() && meets(self.p_wait(), self.drain_rate(), target)
    }
}

fn meets(p_wait: f64, drain_rate: f64, target: &QueueTarget) -> bool {
    match *target {
        QueueTarget::WaitPercentile { q, max_wait_s } => {
            wait_quantile(p_wait, drain_rate, q) <= max_wait_s
        }
        QueueTarget::MaxProbabilityOfWaiting { max_p_wait: p } => p_wait <= p,
        QueueTarget::MaxMeanWait { max_wait_s: s } => p_wait / drain_rate <= s,
    }
}

/// The naive server count: enough to carry the load at 100% utilization, with no queueing.
///
/// # Formula
/// ```text
/// c_naive = ⌈ λ / μ ⌉ = ⌈ λ × s ⌉
/// Source: the chapter, section 10 "Estimation Framework" (servers = QPS / requests per server)
/// ```
/// A product within [`crate::math::COUNT_RELATIVE_ERROR`] of a whole number counts as that number.
///
/// # Errors
/// [`QueueingError::NotFiniteOrNegative`] or [`QueueingError::ZeroServiceTime`] for bad inputs.
pub fn naive_servers(arrival_rate_per_s: f64, mean_service_s: f64) -> Result<u64, QueueingError> {
    let lambda = check_rate("q_rate", arrival_rate_per_s)?;
    let s = check_service(mean_service_s)?;
    Ok(ceil_near(lambda * s))
}

/// ⌈x⌉ as a count, snapped as [`crate::math::ceil_count`] does (any x > 0 is at least 1);
/// saturates at `u64::MAX`.
pub(crate) fn ceil_near(x: f64) -> u64 {
    let whole = crate::math::ceil_count(x);
    if whole >= u64::MAX as f64 {
        u64::MAX
    } else {
        whole as u64
    }
}

/// The fewest servers (parallel workers) at which an M/M/c queue meets `target`.
///
/// The search starts at the smallest stable count, ⌊λ/μ⌋ + 1 (at least 1), and walks upward,
/// extending the Erlang B recursion one server at a time, so the whole search costs O(c). Every
/// target is monotone in c (more servers never wait longer), so the first count that meets it is
/// the fewest.
///
/// # Formula
/// ```text
/// c* = min { c > λ/μ : target holds for M/M/c },  with C(c) from B(c) = A·B(c−1)/(c + A·B(c−1))
/// Source: Gross & Harris §2.3; the stepwise search is Koole, Call Center Optimization, §4.2
/// ```
///
/// # Errors
/// Input errors as in [`MmcQueue::new`], [`QueueingError::OutOfRange`] for a bad target, and
/// [`QueueingError::TooManyServers`] / [`QueueingError::TargetUnreachable`] when no count up
/// to [`MAX_SERVERS`] meets the target.
///
/// # Examples
/// ```
/// use headroom::queueing::{fewest_servers, QueueTarget};
/// // 100 requests/s of 100 ms each: 10 servers would be 100% busy; p95 wait ≤ 50 ms needs 14.
/// let target = QueueTarget::WaitPercentile { q: 0.95, max_wait_s: 0.050 };
/// assert_eq!(fewest_servers(100.0, 0.1, target).unwrap(), 14);
/// ```
pub fn fewest_servers(
    arrival_rate_per_s: f64,
    mean_service_s: f64,
    target: QueueTarget,
) -> Result<u32, QueueingError> {
    let lambda = check_rate("q_rate", arrival_rate_per_s)?;
    let s = check_service(mean_service_s)?;
    target.validate()?;
    let offered = lambda * s;
    let first_stable = offered.floor() + 1.0;
    if first_stable > f64::from(MAX_SERVERS) {
        return Err(QueueingError::TooManyServers {
            servers: first_stable,
            max: MAX_SERVERS,
        });
    }
    // Exact: first_stable is a whole number in [1, MAX_SERVERS].
    let start = first_stable as u32;
    let mut blocking = 1.0;
    for c in 1..=MAX_SERVERS {
        let a_b = offered * blocking;
        blocking = a_b / (f64::from(c) + a_b);
        if c < start {
            continue;
        }
        let utilization = offered / f64::from(c);
        let p_wait = erlang_c_from_b(blocking, utilization);
        let drain_rate = f64::from(c) / s - lambda;
        if meets(p_wait, drain_rate, &target) {
            return Ok(c);
        }
    }
    Err(QueueingError::TargetUnreachable {
        max_servers: f64::from(MAX_SERVERS),
    })
}

#[cfg(test)]
mod tests;
