//! Curves for the `/queueing` page's charts, and the report's `queueing.*` figures.

use serde::{Deserialize, Serialize};

use super::{
    MAX_CURVE_POINTS, MmcQueue, QueueTarget, QueueingError, check_service, fewest_servers,
    naive_servers,
};

/// One point of the response-time curve (the "hockey stick").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ResponsePoint {
    /// Utilization ρ, in (0, 0.99].
    pub utilization: f64,
    /// Mean response time (wait + service) at that utilization, seconds.
    pub mean_response_s: f64,
}

/// Mean response time against utilization for a fixed `servers` and service time.
///
/// Points are evenly spaced: ρ_i = 0.99 × i / n for i = 1 … n (ρ = 1 itself is infinite).
///
/// # Formula
/// ```text
/// λ_i = ρ_i × c / s,   W(ρ_i) = C(c, λ_i s) / (c/s − λ_i) + s
/// Source: Kleinrock, Queueing Systems Vol. 1, §3.5 (see MmcQueue::mean_response_s)
/// ```
///
/// # Errors
/// Input errors as in [`MmcQueue::new`]; [`QueueingError::OutOfRange`] unless
/// `1 ≤ points ≤` [`MAX_CURVE_POINTS`].
pub fn response_time_curve(
    mean_service_s: f64,
    servers: u32,
    points: usize,
) -> Result<Vec<ResponsePoint>, QueueingError> {
    if points == 0 || points > MAX_CURVE_POINTS {
        return Err(QueueingError::OutOfRange(crate::range::RangeError::new(
            "points",
            points as f64,
            "in [1, 10,000]",
        )));
    }
    let s = check_service(mean_service_s)?;
    let mut curve = Vec::with_capacity(points);
    for i in 1..=points {
        let utilization = 0.99 * i as f64 / points as f64;
        let lambda = utilization * f64::from(servers) / s;
        let queue = MmcQueue::new(lambda, s, servers)?;
        curve.push(ResponsePoint {
            utilization,
            mean_response_s: queue.mean_response_s(),
        });
    }
    Ok(curve)
}

/// One point of the servers-needed curve: naive against queueing-aware.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServersPoint {
    /// Arrivals per second.
    pub arrival_rate_per_s: f64,
    /// ⌈λ/μ⌉: enough servers at 100% utilization.
    pub naive_servers: u64,
    /// The fewest servers meeting the target (see [`fewest_servers`]).
    pub servers_for_target: u32,
}

/// Servers needed against arrival rate, naive (⌈λ/μ⌉) and queueing-aware, for each rate given.
///
/// # Formula
/// ```text
/// naive(λ) = ⌈λ s⌉,   aware(λ) = fewest_servers(λ, s, target)
/// Source: see naive_servers and fewest_servers
/// ```
///
/// # Errors
/// The first error from [`fewest_servers`] for any rate, or [`QueueingError::OutOfRange`] when
/// more than [`MAX_CURVE_POINTS`] rates are given.
pub fn servers_curve(
    mean_service_s: f64,
    target: QueueTarget,
    rates: &[f64],
) -> Result<Vec<ServersPoint>, QueueingError> {
    if rates.len() > MAX_CURVE_POINTS {
        return Err(QueueingError::OutOfRange(crate::range::RangeError::new(
            "rates",
            rates.len() as f64,
            "at most 10,000 rates",
        )));
    }
    rates
        .iter()
        .map(|&rate| {
            Ok(ServersPoint {
                arrival_rate_per_s: rate,
                naive_servers: naive_servers(rate, mean_service_s)?,
                servers_for_target: fewest_servers(rate, mean_service_s, target)?,
            })
        })
        .collect()
}
