//! Sizing a fleet of servers for a latency target: the queueing-aware companion of the chapter's
//! "servers = peak / capacity" (section 10), for the `/capacity` page.
//!
//! Assumption, stated wherever the figure is shown: each server is `k` parallel workers with the
//! given mean service time `s`, where `k = ⌊capacity × s⌋` (a server rated at 10,000 req/s with
//! 10 ms requests is 100 workers), and the load balancer splits Poisson traffic at random, so
//! each of `n` servers is its own M/M/k queue fed at λ/n. Round robin and least-connections
//! balancing queue less than random splitting, so the count is on the safe side.

use serde::{Deserialize, Serialize};

use crate::capacity::Spare;
use crate::trace::{rate, text};
use crate::units::format_count;

use super::{
    MAX_SERVERS, QueueTarget, QueueingError, check_rate, check_service, erlang_b_recursion,
    erlang_c_from_b, meets,
};

/// Largest fleet [`fleet_for_target`] searches; beyond it the input is surely a typo.
pub const MAX_FLEET_SERVERS: u64 = 1_000_000;

/// A fleet sized for a latency target, next to the naive count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FleetSizing {
    /// Parallel workers per server, ⌊capacity × service time⌋.
    pub workers_per_server: u32,
    /// capacity × service time when it is not a whole number, so `workers_per_server` rounded it
    /// down (a server cannot run part of a worker); `None` when it was whole.
    pub workers_rounded_down_from: Option<f64>,
    /// The highest utilization allowed on each server (the capacity page's target utilization).
    pub max_utilization: f64,
    /// ⌈peak / (capacity × max utilization)⌉ with the spares: the capacity page's count, which
    /// ignores queueing.
    pub naive_servers: u64,
    /// The fewest servers at which each server's queue meets the target and runs at most
    /// `max_utilization`, before spares.
    pub servers_for_target: u64,
    /// `servers_for_target` with the spares (N+1, 2N): the servers to run, comparable with
    /// `naive_servers`.
    pub servers_to_run: u64,
    /// Utilization of each server at `servers_for_target`.
    pub utilization: f64,
    /// Probability that a request waits (Erlang C) at `servers_for_target`.
    pub p_wait: f64,
    /// Mean wait in queue at `servers_for_target`, seconds.
    pub mean_wait_seconds: f64,
}

/// Per-server queue figures when `servers` share `peak_rps`: `None` when unstable.
fn per_server(
    peak_rps: f64,
    mean_service_s: f64,
    workers: u32,
    servers: u64,
) -> Option<(f64, f64, f64)> {
    let lambda = peak_rps / servers as f64;
    let offered = lambda * mean_service_s;
    let utilization = offered / f64::from(workers);
    if utilization.is_nan() || utilization >= 1.0 {
        return None;
    }
    let p_wait = erlang_c_from_b(erlang_b_recursion(offered, workers), utilization);
    let drain_rate = f64::from(workers) / mean_service_s - lambda;
    Some((utilization, p_wait, drain_rate))
}

/// The fewest servers, each `⌊per_server_rps × s⌋` parallel workers, whose queues meet `target`
/// when `peak_rps` is split evenly (at random) across them.
///
/// # Formula
/// ```text
/// k  = ⌊C × s⌋                    workers per server (C = per-server capacity, req/s)
/// n* = min { n > λ s / k : M/M/k with arrivals λ/n meets the target }
/// naive = ⌈λ / C⌉
///   λ = peak arrivals/s, s = mean service time; each server's wait from Erlang C
///   (Gross & Harris §2.3); random splitting of a Poisson stream gives Poisson streams
///   (Kleinrock, Queueing Systems Vol. 1, §2.1). The target is monotone in n, so the search
///   doubles n until it holds, then bisects: O(k log n).
/// ```
///
/// # Errors
/// [`QueueingError::NotFiniteOrNegative`] / [`QueueingError::ZeroServiceTime`] for bad inputs,
/// [`QueueingError::OutOfRange`] when a server has fewer than 1 or more than [`MAX_SERVERS`]
/// workers or the target is invalid, and [`QueueingError::TargetUnreachable`] beyond
/// [`MAX_FLEET_SERVERS`] servers.
///
/// # Examples
/// ```
/// use headroom::queueing::{fleet_for_target, QueueTarget};
/// // 121,528 req/s at peak, servers rated 10,000 req/s, 10 ms per request: 100 workers each.
/// let target = QueueTarget::WaitPercentile { q: 0.99, max_wait_s: 0.010 };
/// let fleet = fleet_for_target(121_528.0, 10_000.0, 0.010, target).unwrap();
/// assert_eq!(fleet.naive_servers, 13);
/// assert!(fleet.servers_for_target >= 13);
/// ```
pub fn fleet_for_target(
    peak_rps: f64,
    per_server_rps: f64,
    mean_service_s: f64,
    target: QueueTarget,
) -> Result<FleetSizing, QueueingError> {
    fleet_for_target_at(
        peak_rps,
        per_server_rps,
        mean_service_s,
        target,
        1.0,
        Spare::None,
    )
}

/// [`fleet_for_target`] honouring the capacity page's other two choices: no server above
/// `max_utilization` (in (0, 1]), and `spare` applied to both counts.
///
/// # Formula
/// ```text
/// n* = min { n > λ s / k : λ / (n C') ≤ f and M/M/k with arrivals λ/n meets the target }
/// run = spare(n*)        naive = spare(⌈λ / (C × f)⌉)
///   f = max utilization, C' = k / s the rate k workers serve; other symbols as above
/// ```
///
/// # Errors
/// As [`fleet_for_target`], and [`QueueingError::OutOfRange`] for `max_utilization` outside
/// (0, 1].
pub fn fleet_for_target_at(
    peak_rps: f64,
    per_server_rps: f64,
    mean_service_s: f64,
    target: QueueTarget,
    max_utilization: f64,
    spare: Spare,
) -> Result<FleetSizing, QueueingError> {
    if !(max_utilization > 0.0 && max_utilization <= 1.0) {
        return Err(QueueingError::OutOfRange(crate::range::RangeError::new(
            "util",
            max_utilization,
            "in (0, 1]",
        )));
    }
    let lambda = check_rate("peak_rps", peak_rps)?;
    let capacity = check_rate("web_rps", per_server_rps)?;
    let s = check_service(mean_service_s)?;
    target.validate()?;
    let workers_exact = capacity * s;
    // 10,000 × 0.01 is 100 workers even when floating point lands a hair below.
    let workers = crate::math::floor_count(workers_exact);
    if !(workers >= 1.0 && workers <= f64::from(MAX_SERVERS)) {
        return Err(QueueingError::OutOfRange(crate::range::RangeError::new(
            "workers per server (capacity × service time)",
            workers_exact,
            "in [1, 100,000]",
        )));
    }
    // Exact: 1 ≤ workers ≤ MAX_SERVERS.
    let workers = workers as u32;
    let naive = spare.apply(super::ceil_near(lambda / (capacity * max_utilization)));
    let first_stable = (lambda * s / f64::from(workers)).floor() + 1.0;
    if first_stable > MAX_FLEET_SERVERS as f64 {
        return Err(QueueingError::TargetUnreachable {
            max_servers: MAX_FLEET_SERVERS as f64,
        });
    }
    let ok = |n: u64| {
        per_server(lambda, s, workers, n)
            .is_some_and(|(u, p, d)| u <= max_utilization && meets(p, d, &target))
    };

    // Doubling: `failing` never meets, `passing` does (or the cap is hit).
    let mut failing = first_stable as u64 - 1;
    let mut passing = first_stable as u64;
    while !ok(passing) {
        if passing >= MAX_FLEET_SERVERS {
            return Err(QueueingError::TargetUnreachable {
                max_servers: MAX_FLEET_SERVERS as f64,
            });
        }
        failing = passing;
        passing = passing.saturating_mul(2).min(MAX_FLEET_SERVERS);
    }
    while passing - failing > 1 {
        let mid = failing + (passing - failing) / 2;
        if ok(mid) {
            passing = mid
        } else {
            failing = mid
        }
    }
    let (utilization, p_wait, drain_rate) =
        per_server(lambda, s, workers, passing).ok_or(QueueingError::TargetUnreachable {
            max_servers: MAX_FLEET_SERVERS as f64,
        })?;
    Ok(FleetSizing {
        workers_per_server: workers,
        // Snapped up from a hair below (floor_count) is whole, not rounded down.
        workers_rounded_down_from: (workers_exact - f64::from(workers)
            > crate::math::COUNT_RELATIVE_ERROR * workers_exact)
            .then_some(workers_exact),
        max_utilization,
        naive_servers: naive,
        servers_for_target: passing,
        servers_to_run: spare.apply(passing),
        utilization,
        p_wait,
        mean_wait_seconds: p_wait / drain_rate,
    })
}

impl FleetSizing {
    /// The trace of this sizing, given the arguments [`fleet_for_target_at`] was called with.
    pub(crate) fn trace(
        &self,
        peak_rps: f64,
        per_server_rps: f64,
        mean_service_s: f64,
        target: QueueTarget,
        spare: Spare,
    ) -> String {
        let (capacity, service) = (format_count(per_server_rps), format_count(mean_service_s));
        let workers = match self.workers_rounded_down_from {
            Some(exact) => text!(
                "⌊{capacity} req/s × {service} s⌋ = ⌊{}⌋ = {} workers (rounded down: a server \
                 runs whole workers)",
                format_count(exact),
                self.workers_per_server
            ),
            None => text!(
                "{capacity} req/s × {service} s = {} workers",
                self.workers_per_server
            ),
        };
        text!(
            "each web server as k = {workers}, {} at peak split evenly: the fewest servers with \
             {target} and at most {}% utilization per server is {} ({}% each){} = {}; the \
             capacity count ⌈{} / ({capacity} × {})⌉{} = {} ignores queueing",
            rate(peak_rps),
            format_count(self.max_utilization * 100.0),
            self.servers_for_target,
            format_count(self.utilization * 100.0),
            spare.trace_suffix(),
            self.servers_to_run,
            format_count(peak_rps),
            format_count(self.max_utilization),
            spare.trace_suffix(),
            self.naive_servers
        )
    }
}
