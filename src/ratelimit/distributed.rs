//! The chapter's distributed case: N servers each counting locally vs one shared counter.

use super::{
    Pattern, RateAlgorithm, RateLimitConfig, RateLimitError, TrafficConfig, check_range,
    max_in_window,
};
use crate::choice::choice_enum;
use crate::loadbalance::sampling::{seeded_rng, uniform_index};
use crate::units::format_count;
use serde::{Deserialize, Serialize};

choice_enum! {
    /// How the load balancer in front of the servers spreads one client's requests.
    pub enum Routing {
        /// Request i to server i mod N: perfectly even.
        RoundRobin = "rr", "Round robin",
        /// Each request to a uniformly random server: uneven in every window.
        Random = "random", "Random",
    }
}

/// The distributed scenario.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DistributedConfig {
    /// Servers behind the load balancer (1..=1,000).
    pub servers: u32,
    /// The limit for the key and the algorithm enforcing it.
    pub limits: RateLimitConfig,
    /// The algorithm every mode uses (the chapter's Redis script is a fixed window).
    pub algorithm: RateAlgorithm,
    /// The client's request rate, per second (Poisson).
    pub rate_per_s: f64,
    /// Length of the run, seconds.
    pub duration_s: f64,
    /// How requests are spread over servers.
    pub routing: Routing,
    /// Seed of the arrivals and of random routing.
    pub seed: u64,
}

impl Default for DistributedConfig {
    /// The chapter's picture: 3 servers, 100 requests per minute, a client sending 5 a second
    /// (3 × the limit) for 10 minutes, round robin, fixed windows.
    fn default() -> Self {
        Self {
            servers: 3,
            limits: RateLimitConfig::default(),
            algorithm: RateAlgorithm::FixedWindow,
            rate_per_s: 5.0,
            duration_s: 600.0,
            routing: Routing::RoundRobin,
            seed: 42,
        }
    }
}

/// What one way of counting admitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModeResult {
    /// Requests admitted in total.
    pub admitted: u64,
    /// Requests admitted by each server.
    pub admitted_per_server: Vec<u64>,
    /// Most admitted in any window `(t − W, t]` across all servers.
    pub max_admitted_in_window: u64,
}

/// The three ways of counting, on the same requests and routing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DistributedRun {
    /// Requests sent.
    pub requests: u64,
    /// One shared counter (Redis): the limit as intended.
    pub shared: ModeResult,
    /// Each server enforces the full limit locally: "each thinks under limit!".
    pub local_full: ModeResult,
    /// Each server enforces `split_limit` = ⌊limit / N⌋ (at least 1) locally.
    pub local_split: ModeResult,
    /// The per-server limit (and burst) of `local_split`.
    pub split_limit: u64,
    /// local_full.admitted / shared.admitted: how far local counting over-admits (up to N).
    pub over_admission_factor: f64,
    /// local_full.max_admitted_in_window / limit: the worst window against the promise.
    pub worst_window_factor: f64,
    /// local_split.admitted / shared.admitted: below 1 when uneven routing leaves some servers'
    /// shares unused while others reject.
    pub split_admission_factor: f64,
}

/// Runs one client's traffic through N servers three ways: a shared counter, full local limits,
/// and split local limits.
///
/// # Formula
///
/// ```text
/// over-admission = admitted(local, limit L each) / admitted(shared, limit L)     ≤ N
/// split limit    = max(1, ⌊L / N⌋) per server (and burst max(1, ⌊B / N⌋))
/// ```
/// With N servers each allowing L, a client spread over all of them gets up to N × L per window.
/// Source: the chapter's section 5 "Distributed Rate Limiting" ("each tracking its own counts
/// will undercount": 30 + 40 + 35 = 105 over a limit of 100).
///
/// # Errors
///
/// [`RateLimitError::OutOfRange`] for servers outside 1..=1,000 or a bad rate or duration,
/// and the errors of [`TrafficConfig::arrivals`] and [`RateAlgorithm::limiter`].
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{DistributedConfig, distributed_over_admission};
/// let run = distributed_over_admission(&DistributedConfig::default())?;
/// assert!(run.over_admission_factor > 2.5); // 3 servers, each allowing the full limit
/// # Ok::<(), headroom::ratelimit::RateLimitError>(())
/// ```
pub fn distributed_over_admission(
    config: &DistributedConfig,
) -> Result<DistributedRun, RateLimitError> {
    check_range(
        "servers",
        f64::from(config.servers),
        1.0,
        1_000.0,
        "1 to 1,000",
    )?;
    config.limits.validate()?;
    let n = config.servers as usize;
    let traffic = TrafficConfig {
        pattern: Pattern::Poisson {
            rate_per_s: config.rate_per_s,
        },
        duration_s: config.duration_s,
        seed: config.seed,
        ..TrafficConfig::default()
    };
    let arrivals = traffic.arrivals(config.limits.window_s)?;
    let mut rng = seeded_rng(config.seed ^ 0x5851_f42d_4c95_7f2d);
    let route: Vec<usize> = (0..arrivals.len())
        .map(|i| match config.routing {
            Routing::RoundRobin => i % n,
            Routing::Random => uniform_index(&mut rng, n),
        })
        .collect();
    let split_limit = (config.limits.limit / n as u64).max(1);
    let split = RateLimitConfig {
        limit: split_limit,
        burst: (config.limits.burst / n as u64).max(1),
        ..config.limits
    };
    let shared = run_mode(config, &arrivals, &route, &config.limits, 1)?;
    let local_full = run_mode(config, &arrivals, &route, &config.limits, n)?;
    let local_split = run_mode(config, &arrivals, &route, &split, n)?;
    let ratio = |a: u64, b: u64| if b > 0 { a as f64 / b as f64 } else { 1.0 };
    Ok(DistributedRun {
        requests: arrivals.len() as u64,
        over_admission_factor: ratio(local_full.admitted, shared.admitted),
        worst_window_factor: local_full.max_admitted_in_window as f64 / config.limits.limit as f64,
        split_admission_factor: ratio(local_split.admitted, shared.admitted),
        split_limit,
        shared,
        local_full,
        local_split,
    })
}

impl DistributedRun {
    /// The trace of [`DistributedRun::over_admission_factor`].
    pub fn over_admission_trace(&self) -> String {
        format!(
            "local / shared = {} / {} = {}× (at most the number of servers)",
            format_count(self.local_full.admitted as f64),
            format_count(self.shared.admitted as f64),
            format_count(self.over_admission_factor)
        )
    }
}

/// Runs `counters` limiters (1 = shared); request i is counted by limiter route[i] mod counters
/// and credited to server route[i].
fn run_mode(
    config: &DistributedConfig,
    arrivals: &[f64],
    route: &[usize],
    limits: &RateLimitConfig,
    counters: usize,
) -> Result<ModeResult, RateLimitError> {
    let mut limiters = (0..counters)
        .map(|_| config.algorithm.limiter(limits))
        .collect::<Result<Vec<_>, _>>()?;
    let mut admitted_per_server = vec![0_u64; config.servers as usize];
    let mut admitted_at = Vec::new();
    for (&t, &server) in arrivals.iter().zip(route) {
        let allowed = limiters
            .get_mut(server % counters)
            .is_some_and(|l| l.allow(t).is_allowed());
        if allowed {
            admitted_at.push(t);
            if let Some(count) = admitted_per_server.get_mut(server) {
                *count += 1;
            }
        }
    }
    Ok(ModeResult {
        admitted: admitted_at.len() as u64,
        admitted_per_server,
        max_admitted_in_window: max_in_window(&admitted_at, config.limits.window_s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_abs;

    #[test]
    fn local_limits_admit_n_times_the_limit_under_heavy_even_traffic() {
        // 4 servers, 100 per 1 s window, 2,000 requests/s for 10 s, round robin: every server
        // sees ~500 requests per window (Poisson, never below 100 in practice), so each admits
        // 100 per window: 4 × 100 × 10 = 4,000 against the shared counter's 100 × 10 = 1,000.
        let config = DistributedConfig {
            servers: 4,
            limits: RateLimitConfig {
                limit: 100,
                window_s: 1.0,
                burst: 100,
                ..RateLimitConfig::default()
            },
            rate_per_s: 2_000.0,
            duration_s: 10.0,
            ..DistributedConfig::default()
        };
        let run = distributed_over_admission(&config).unwrap();
        assert_eq!(run.shared.admitted, 1_000);
        assert_eq!(run.local_full.admitted, 4_000);
        assert_abs(run.over_admission_factor, 4.0, 0.0);
        // Two fixed windows' worth can land in one window length, as for a single fixed window.
        assert!(run.worst_window_factor >= 4.0 && run.worst_window_factor <= 8.0);
        // Split limits of 25 each under even routing add back up to the limit.
        assert_eq!(run.split_limit, 25);
        assert_eq!(run.local_split.admitted, 1_000);
    }

    #[test]
    fn split_limits_under_admit_when_routing_is_uneven() {
        // 4 servers, 100 per 10 s, the client at 90% of the limit (9/s), random routing: a
        // server's share of a window is Poisson(22.5) against a local limit of 25, the shared
        // counter's Poisson(90) against 100. Each window loses E[(X − c)⁺] requests; summing the
        // Poisson pmf (by hand, in a short script): 0.923 per server (4 × 0.923 = 3.69 of 90,
        // 4.1%) vs 0.750 shared (0.83%), so the ratio is 0.9590 / 0.9917 = 0.967. 200 windows:
        // tolerance 0.015.
        let config = DistributedConfig {
            servers: 4,
            limits: RateLimitConfig {
                limit: 100,
                window_s: 10.0,
                burst: 100,
                ..RateLimitConfig::default()
            },
            rate_per_s: 9.0,
            duration_s: 2_000.0,
            routing: Routing::Random,
            ..DistributedConfig::default()
        };
        let run = distributed_over_admission(&config).unwrap();
        assert_abs(run.split_admission_factor, 0.967, 0.015);
        assert!(run.local_split.admitted < run.shared.admitted);
    }

    #[test]
    fn bad_settings_are_errors() {
        let zero = DistributedConfig {
            servers: 0,
            ..DistributedConfig::default()
        };
        assert!(distributed_over_admission(&zero).is_err());
        let nan = DistributedConfig {
            rate_per_s: f64::NAN,
            ..DistributedConfig::default()
        };
        assert!(distributed_over_admission(&nan).is_err());
    }
}
