//! Load balancing, watched: a seeded discrete-event simulation of the chapter's section 2
//! algorithms on heterogeneous servers, and how many keys move when hashed placement changes.
//!
//! The chapter compares round robin, weighted round robin, least connections, weighted least
//! connections, IP hash, least response time and random in a table. This module runs them (plus
//! power of two random choices, consistent hashing with virtual nodes and Maglev, which the
//! chapter cites) on the *same* arrivals, clients and request durations, and reports per-server
//! load and utilization, response-time percentiles and imbalance.
//!
//! # Model
//!
//! - Requests arrive as a Poisson process at `arrival_rate_per_s` (exponential gaps).
//! - Each request has a client (0..clients, uniform or Zipf popularity), standing in for its IP
//!   address, and a base duration drawn from [`DurationDist`].
//! - Server i has `workers` parallel workers, each `speed` times as fast as the base: a request
//!   takes `duration / speed` seconds of one worker. Requests beyond `workers` wait in that
//!   server's FIFO queue (no queue limit, no timeouts). This is a G/G/c queue per server.
//! - The balancer picks a server on arrival; with `sticky`, a client's first pick is remembered
//!   and all its later requests go there (session affinity).
//! - Response time = completion − arrival (queueing plus service).
//!
//! Everything random comes from [`rand_pcg::Pcg64Mcg`] seeded from `seed`, sampled with the
//! portable `ln`/`exp` of the internal `sampling` module, so a run is identical natively and in WASM.
//!
//! # Examples
//!
//! ```
//! use headroom::loadbalance::{Algorithm, LbConfig, simulate};
//! let config = LbConfig { requests: 10_000, algorithm: Algorithm::LeastConnections, ..LbConfig::default() };
//! let run = simulate(&config)?;
//! assert_eq!(run.servers.iter().map(|s| s.requests).sum::<u64>(), 10_000);
//! assert!(run.response.p99_s >= run.response.p50_s);
//! # Ok::<(), headroom::loadbalance::LoadBalanceError>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::complexity::{ComplexityRow, ComplexityTable};
use crate::range::RangeError;
pub(crate) use crate::range::check_range;
use crate::units::format_message_number;

mod balancers;
mod hashing;
pub(crate) mod sampling;
mod sim;
mod views;

pub use balancers::{
    Balancer, ClusterView, ConsistentHash, IpHash, LeastConnections, LeastResponseTime, Maglev,
    PowerOfTwoChoices, RandomChoice, RoundRobin, WeightedRoundRobin, balancer,
};
pub use hashing::{
    ConsistentRing, FNV_OFFSET_BASIS, FNV_PRIME, HashMethod, MAX_KEYS, MAX_MAGLEV_TABLE,
    MAX_RING_POINTS, MaglevTable, fmix64, fnv1a64, fnv1a64_extend, hash_parts, key_hash,
    key_movement,
};
pub use sim::{LOAD_SAMPLES, LbRun, LoadSample, ResponseStats, ServerStats, compare_all, simulate};
pub use views::{KeyMovement, OfferedLoad, P99Extremes, key_movement_by_placement, p99_extremes};

/// Most requests one simulation accepts.
pub const MAX_REQUESTS: u32 = 2_000_000;
/// Most servers a cluster may have.
pub const MAX_SERVERS: usize = 1_000;
/// Most distinct clients.
pub const MAX_CLIENTS: u32 = 1_000_000;
/// Most work one comparison of all ten algorithms ([`compare_all`]) may take, in the units of [`LbConfig::work`]:
/// about 0.4 s of one core of this project's 2-core machine. Every setting can reach its own
/// maximum, but not all at once: 1,000 servers × 200,000 requests from a million clients on a
/// 2-million-point ring took 2.6 s before this bound, and one page request held a core that long.
pub const MAX_WORK: u64 = 40_000_000;

/// Errors from the load-balancing simulator.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadBalanceError {
    /// The cluster has no servers.
    #[error("there must be at least 1 server")]
    NoServers,
    /// More servers than [`MAX_SERVERS`].
    #[error("{servers} servers is more than the simulator runs ({max}); use fewer")]
    TooManyServers {
        /// Servers asked for.
        servers: usize,
        /// The largest cluster simulated.
        max: usize,
    },
    /// A setting is NaN, infinite or outside its allowed interval.
    #[error(transparent)]
    OutOfRange(#[from] RangeError),
    /// One server's setting is outside its allowed interval.
    #[error("server {}: {field} must be {allowed}, got {}", .index + 1, format_message_number(*.value))]
    InvalidServer {
        /// Position of the server in the list, from 0.
        index: usize,
        /// The setting's name (`weight`, `speed` or `workers`).
        field: &'static str,
        /// The offending value.
        value: f64,
        /// Human description of the allowed values.
        allowed: &'static str,
    },
    /// The Maglev table size is not a prime number (the permutations need a prime).
    #[error("the Maglev table size must be a prime number (e.g. 65537), got {value}")]
    NotPrime {
        /// The offending table size.
        value: u32,
    },
    /// A derived structure would be larger than the simulator builds.
    #[error("{what} would number {value}, more than {max}; lower the settings")]
    TooLarge {
        /// What would be too large.
        what: &'static str,
        /// Its size.
        value: u64,
        /// The largest size built.
        max: u64,
    },
}

/// A balancing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Algorithm {
    /// Sequential rotation.
    RoundRobin,
    /// Rotation proportional to weights (smooth, nginx's).
    WeightedRoundRobin,
    /// Fewest requests in flight.
    LeastConnections,
    /// Fewest requests in flight per unit of weight.
    WeightedLeastConnections,
    /// `hash(client) mod n`.
    IpHash,
    /// Lowest smoothed response time × (in flight + 1).
    LeastResponseTime,
    /// Uniformly random.
    Random,
    /// The less loaded of two random servers.
    PowerOfTwoChoices,
    /// Consistent hashing with virtual nodes (weight × vnodes per server).
    ConsistentHash,
    /// Maglev lookup table (unweighted).
    Maglev,
}

impl Algorithm {
    /// Every algorithm, in the chapter's table order, then the additions.
    pub const ALL: [Algorithm; 10] = [
        Self::RoundRobin,
        Self::WeightedRoundRobin,
        Self::LeastConnections,
        Self::WeightedLeastConnections,
        Self::IpHash,
        Self::LeastResponseTime,
        Self::Random,
        Self::PowerOfTwoChoices,
        Self::ConsistentHash,
        Self::Maglev,
    ];

    /// The name people read.
    pub fn name(self) -> &'static str {
        match self {
            Self::RoundRobin => "Round robin",
            Self::WeightedRoundRobin => "Weighted round robin",
            Self::LeastConnections => "Least connections",
            Self::WeightedLeastConnections => "Weighted least connections",
            Self::IpHash => "IP hash",
            Self::LeastResponseTime => "Least response time",
            Self::Random => "Random",
            Self::PowerOfTwoChoices => "Power of two choices",
            Self::ConsistentHash => "Consistent hashing",
            Self::Maglev => "Maglev",
        }
    }

    /// A short stable key for query strings.
    pub fn key(self) -> &'static str {
        match self {
            Self::RoundRobin => "rr",
            Self::WeightedRoundRobin => "wrr",
            Self::LeastConnections => "lc",
            Self::WeightedLeastConnections => "wlc",
            Self::IpHash => "iphash",
            Self::LeastResponseTime => "lrt",
            Self::Random => "random",
            Self::PowerOfTwoChoices => "p2c",
            Self::ConsistentHash => "ring",
            Self::Maglev => "maglev",
        }
    }

    /// The algorithm with this [`Algorithm::key`], if any.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// One backend server.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServerSpec {
    /// Weight for the weighted algorithms and the ring (1..=1,000).
    pub weight: u32,
    /// Service-rate multiplier: a request of base duration d takes d / speed (0.01..=100).
    pub speed: f64,
    /// Parallel workers (requests served at once); more wait in the server's queue (1..=10,000).
    pub workers: u32,
}

/// Distribution of a request's base duration (its service time on a speed-1 worker).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum DurationDist {
    /// Every request takes `mean_s`.
    Fixed {
        /// Duration, seconds.
        mean_s: f64,
    },
    /// Exponential with mean `mean_s` (coefficient of variation 1).
    Exponential {
        /// Mean, seconds.
        mean_s: f64,
    },
    /// Pareto type I with mean `mean_s` and tail index `shape` (1 < α ≤ 10; 1.5–2.5 is
    /// heavy-tailed: a few huge requests dominate; the variance is infinite for α ≤ 2).
    Pareto {
        /// Mean, seconds.
        mean_s: f64,
        /// Tail index α.
        shape: f64,
    },
    /// Log-normal with mean `mean_s` and log-space standard deviation `sigma` (0 < σ ≤ 4).
    LogNormal {
        /// Mean, seconds.
        mean_s: f64,
        /// σ of ln(duration).
        sigma: f64,
    },
}

impl DurationDist {
    /// The distribution's mean, seconds.
    pub fn mean_s(&self) -> f64 {
        match *self {
            Self::Fixed { mean_s }
            | Self::Exponential { mean_s }
            | Self::Pareto { mean_s, .. }
            | Self::LogNormal { mean_s, .. } => mean_s,
        }
    }
}

/// How often each client sends.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Popularity {
    /// Every client equally often.
    Uniform,
    /// Client of rank k sends in proportion to k^(−exponent) (0..=5; 1 is classic Zipf).
    Zipf {
        /// The Zipf exponent s.
        exponent: f64,
    },
}

/// Everything one simulation needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LbConfig {
    /// The backend servers (1..=[`MAX_SERVERS`]).
    pub servers: Vec<ServerSpec>,
    /// The algorithm [`simulate`] runs ([`compare_all`] runs every one).
    pub algorithm: Algorithm,
    /// Requests to simulate (1..=[`MAX_REQUESTS`]).
    pub requests: u32,
    /// Mean arrivals per second (Poisson), 0.001..=10^9.
    pub arrival_rate_per_s: f64,
    /// Base request durations.
    pub duration: DurationDist,
    /// Distinct clients (1..=[`MAX_CLIENTS`]).
    pub clients: u32,
    /// How traffic is spread over clients.
    pub popularity: Popularity,
    /// Session affinity: each client sticks to the server of its first request.
    pub sticky: bool,
    /// Virtual nodes per unit of weight on the consistent-hash ring (1..=10,000).
    pub vnodes: u32,
    /// Maglev table size, a prime above the server count (at most [`MAX_MAGLEV_TABLE`]).
    pub maglev_table_size: u32,
    /// Seed of the random streams.
    pub seed: u64,
}

impl Default for LbConfig {
    /// Five servers, two of them twice as fast (weight 2), each with 4 workers: 4 × (1+1+1+2+2)
    /// / 50 ms = 560 requests/s of capacity; 350 requests/s arrive (62.5% utilization overall,
    /// 87.5% on the slow servers under plain round robin). 100,000 requests with Pareto α = 2
    /// durations (mean 50 ms), 10,000 Zipf (s = 1) clients, 160 virtual nodes (ketama's
    /// default), Maglev M = 65,537 (the paper's smaller size), seed 42.
    fn default() -> Self {
        let slow = ServerSpec {
            weight: 1,
            speed: 1.0,
            workers: 4,
        };
        let fast = ServerSpec {
            weight: 2,
            speed: 2.0,
            workers: 4,
        };
        Self {
            servers: vec![slow, slow, slow, fast, fast],
            algorithm: Algorithm::RoundRobin,
            requests: 100_000,
            arrival_rate_per_s: 350.0,
            duration: DurationDist::Pareto {
                mean_s: 0.05,
                shape: 2.0,
            },
            clients: 10_000,
            popularity: Popularity::Zipf { exponent: 1.0 },
            sticky: false,
            vnodes: 160,
            maglev_table_size: 65_537,
            seed: 42,
        }
    }
}

/// The cost of measuring how many keys move when a server joins or leaves
/// ([`key_movement`] for n → n + 1 and n → n − 1 on the ring), in the units of [`LbConfig::work`].
///
/// # Formula
/// ```text
/// work = 16 × (n + 1) × V
/// four rings of at most n + 1 servers × V virtual nodes, about 40 ns (4 units) a point to
/// build; measured: n = 1,000, V = 2,000: 0.31 s
/// ```
pub fn movement_work(servers: usize, vnodes: u32) -> u64 {
    16u64
        .saturating_mul(servers as u64 + 1)
        .saturating_mul(u64::from(vnodes))
}

impl LbConfig {
    /// The run's cost in steps of about 11 ns (one server looked at by one pick), fitted to
    /// timings of [`compare_all`] on this project's machine (release build):
    ///
    /// # Formula
    /// ```text
    /// work = R × (160 + n) + 8 × (P + C)
    /// R: requests; n: servers (four of the ten algorithms look at every server on every pick);
    /// 160: the ten algorithms' other work per request (arrivals, the completion heap, the
    ///      statistics), measured as 1.7 µs per request with 5 servers;
    /// P: consistent-hash ring points (Σ weight × virtual nodes), about 90 ns each to build;
    /// C: clients (the popularity table), about 90 ns each
    /// ```
    /// Measured: R = 200,000, n = 5, C = 10⁶: 0.44 s; R = 10,000, n = 1,000: 0.12 s;
    /// R = 1,000, n = 1,000, P = 2 × 10⁶: 0.20 s (`cargo run --release --example`-style timings
    /// of `compare_all`, recorded in BENCHMARKS.md).
    pub fn work(&self) -> u64 {
        let requests = u64::from(self.requests);
        let servers = self.servers.len() as u64;
        let ring_points: u64 = self
            .servers
            .iter()
            .map(|s| u64::from(s.weight))
            .sum::<u64>()
            .saturating_mul(u64::from(self.vnodes));
        requests.saturating_mul(160 + servers).saturating_add(
            ring_points
                .saturating_add(u64::from(self.clients))
                .saturating_mul(8),
        )
    }

    /// Checks every setting (the simulator calls this first).
    ///
    /// # Errors
    ///
    /// The first setting outside its documented range, as a [`LoadBalanceError`].
    pub fn validate(&self) -> Result<(), LoadBalanceError> {
        if self.servers.is_empty() {
            return Err(LoadBalanceError::NoServers);
        }
        if self.servers.len() > MAX_SERVERS {
            return Err(LoadBalanceError::TooManyServers {
                servers: self.servers.len(),
                max: MAX_SERVERS,
            });
        }
        for (index, s) in self.servers.iter().enumerate() {
            let bad = |field, value, allowed| LoadBalanceError::InvalidServer {
                index,
                field,
                value,
                allowed,
            };
            if !(1..=1_000).contains(&s.weight) {
                return Err(bad("weight", f64::from(s.weight), "1 to 1,000"));
            }
            if !(s.speed.is_finite() && (0.01..=100.0).contains(&s.speed)) {
                return Err(bad("speed", s.speed, "0.01 to 100"));
            }
            if !(1..=10_000).contains(&s.workers) {
                return Err(bad("workers", f64::from(s.workers), "1 to 10,000"));
            }
        }
        check_range(
            "requests",
            f64::from(self.requests),
            1.0,
            f64::from(MAX_REQUESTS),
            "1 to 2,000,000",
        )?;
        check_range(
            "arrival_rate_per_s",
            self.arrival_rate_per_s,
            0.001,
            1e9,
            "0.001 to 10^9 per second",
        )?;
        check_range(
            "clients",
            f64::from(self.clients),
            1.0,
            f64::from(MAX_CLIENTS),
            "1 to 1,000,000",
        )?;
        check_range(
            "vnodes",
            f64::from(self.vnodes),
            1.0,
            10_000.0,
            "1 to 10,000",
        )?;
        check_range(
            "duration mean",
            self.duration.mean_s(),
            1e-6,
            1e6,
            "1 µs to 10^6 s",
        )?;
        match self.duration {
            DurationDist::Pareto { shape, .. } => {
                // Exclusive lower bound: α = 1 has an infinite mean.
                if !(shape.is_finite() && shape > 1.0 && shape <= 10.0) {
                    return Err(LoadBalanceError::OutOfRange(crate::range::RangeError::new(
                        "pareto shape",
                        shape,
                        "above 1 and at most 10",
                    )));
                }
            }
            DurationDist::LogNormal { sigma, .. } => {
                check_range("lognormal sigma", sigma, 1e-6, 4.0, "between 0 and 4")?;
            }
            DurationDist::Fixed { .. } | DurationDist::Exponential { .. } => {}
        }
        if let Popularity::Zipf { exponent } = self.popularity {
            check_range("zipf exponent", exponent, 0.0, 5.0, "0 to 5")?;
        }
        Ok(())
    }
}

/// The chapter's section 2 "Load Balancing Algorithm Complexity" table, verbatim, followed by
/// rows for the algorithms it lacks (n servers, k virtual nodes per server, M Maglev entries).
pub const COMPLEXITY: ComplexityTable = ComplexityTable {
    headers: &["Algorithm", "Time per request", "Space", "State"],
    rows: &[
        ComplexityRow::chapter("Round Robin", &["O(1)", "O(1)", "Counter"]),
        ComplexityRow::chapter(
            "Weighted Round Robin",
            &["O(1)", "O(n)", "Counter + weights"],
        ),
        ComplexityRow::chapter(
            "Least Connections",
            &["O(n) or O(log n) with heap", "O(n)", "Connection counts"],
        ),
        ComplexityRow::chapter("IP Hash", &["O(1)", "O(1)", "None"]),
        ComplexityRow::chapter("Least Response Time", &["O(n)", "O(n)", "Response times"]),
        ComplexityRow::chapter(
            "Consistent Hashing",
            &["O(k log n)", "O(n × k)", "Hash ring with k virtual nodes"],
        ),
        // Added: smooth WRR as implemented here scans all n servers per pick (nginx does too).
        ComplexityRow::added(
            "Weighted Round Robin (smooth, as simulated)",
            &["O(n)", "O(n)", "Current weight per server"],
        ),
        ComplexityRow::added(
            "Weighted Least Connections",
            &["O(n)", "O(n)", "Connection counts + weights"],
        ),
        ComplexityRow::added("Random", &["O(1)", "O(1)", "Random generator"]),
        ComplexityRow::added(
            "Power of Two Choices",
            &["O(1)", "O(n)", "Connection counts + random generator"],
        ),
        // Eisenbud et al. (2016), section 3.4: O(1) lookup; building is O(M log M) expected.
        ComplexityRow::added(
            "Maglev",
            &["O(1)", "O(M)", "Lookup table of M entries (M prime, M ≫ n)"],
        ),
    ],
};
