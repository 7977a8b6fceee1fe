//! The balancing algorithms of the chapter's section 2 table, plus power of two choices,
//! consistent hashing and Maglev, behind one [`Balancer`] trait.
//!
//! Ties between equally good servers are broken by a cursor that advances on every pick, so
//! least connections on an idle cluster behaves like round robin instead of piling onto server 0
//! (what nginx and HAProxy do in effect).

use super::hashing::{ConsistentRing, MaglevTable};
use super::sampling::{seeded_rng, uniform_index};
use super::{Algorithm, LbConfig, LoadBalanceError};
use rand_pcg::Pcg64Mcg;

/// What a balancer may look at when it picks a server.
#[derive(Debug, Clone, Copy)]
pub struct ClusterView<'a> {
    /// Requests in flight per server (in service plus queued), the "connections" of least
    /// connections.
    pub active: &'a [u32],
    /// Configured weight per server.
    pub weights: &'a [u32],
}

/// A load-balancing policy: picks a server for each request.
pub trait Balancer {
    /// Picks the server (an index below `cluster.active.len()`) for a request whose key (client
    /// address) hashes to `key_hash`.
    fn pick(&mut self, key_hash: u64, cluster: &ClusterView<'_>) -> usize;

    /// Tells the policy a request finished on `server` after `response_time_s` seconds (used by
    /// least response time; the others ignore it).
    fn observe(&mut self, _server: usize, _response_time_s: f64) {}
}

/// Builds the balancer for `algorithm` with the settings (weights, virtual nodes, table size,
/// seed) of `config`.
///
/// # Errors
///
/// The errors of [`ConsistentRing::new`] and [`MaglevTable::new`].
pub fn balancer(
    algorithm: Algorithm,
    config: &LbConfig,
) -> Result<Box<dyn Balancer>, LoadBalanceError> {
    let weights: Vec<u32> = config.servers.iter().map(|s| s.weight).collect();
    // The balancer's own stream, distinct from the workload's, so that every algorithm sees the
    // same arrivals and durations for the same seed.
    let rng = seeded_rng(config.seed ^ 0x9e37_79b9_7f4a_7c15);
    Ok(match algorithm {
        Algorithm::RoundRobin => Box::new(RoundRobin { next: 0 }),
        Algorithm::WeightedRoundRobin => Box::new(WeightedRoundRobin::new(&weights)),
        Algorithm::LeastConnections => Box::new(LeastConnections {
            cursor: 0,
            weighted: false,
        }),
        Algorithm::WeightedLeastConnections => Box::new(LeastConnections {
            cursor: 0,
            weighted: true,
        }),
        Algorithm::IpHash => Box::new(IpHash),
        Algorithm::LeastResponseTime => Box::new(LeastResponseTime::new(weights.len())),
        Algorithm::Random => Box::new(RandomChoice { rng }),
        Algorithm::PowerOfTwoChoices => Box::new(PowerOfTwoChoices { rng }),
        Algorithm::ConsistentHash => Box::new(ConsistentHash {
            ring: ConsistentRing::new(&weights, config.vnodes)?,
        }),
        Algorithm::Maglev => Box::new(Maglev {
            table: MaglevTable::new(weights.len(), config.maglev_table_size)?,
        }),
    })
}

/// Scans all servers starting at `start`, keeping the first strictly better one.
fn rotating_best(n: usize, start: usize, better: impl Fn(usize, usize) -> bool) -> usize {
    if n == 0 {
        return 0;
    }
    let mut best = start % n;
    for step in 1..n {
        let i = (start + step) % n;
        if better(i, best) {
            best = i;
        }
    }
    best
}

/// Round robin: 0, 1, …, n − 1, 0, …
///
/// # Formula
///
/// ```text
/// server(i) = i mod n      i: the request's sequence number
/// ```
/// Source: the chapter's section 2 table ("Sequential rotation (1→2→3→1)").
#[derive(Debug, Clone)]
pub struct RoundRobin {
    next: usize,
}

impl Balancer for RoundRobin {
    fn pick(&mut self, _key_hash: u64, cluster: &ClusterView<'_>) -> usize {
        let n = cluster.active.len().max(1);
        let server = self.next % n;
        self.next = (server + 1) % n;
        server
    }
}

/// Smooth weighted round robin (nginx's): every server gains its weight each pick, the richest
/// is chosen and pays the total; over every cycle of Σw picks, server i gets exactly wᵢ, and the
/// picks are interleaved rather than in runs.
///
/// # Formula
///
/// ```text
/// cᵢ += wᵢ for all i;  pick j = argmax cᵢ (lowest index on ties);  c_j −= Σ wᵢ
/// ```
/// Source: nginx `ngx_http_upstream_get_peer` in `src/http/ngx_http_upstream_round_robin.c`
/// (smooth weighted round-robin, M. Dounin, 2012).
#[derive(Debug, Clone)]
pub struct WeightedRoundRobin {
    weights: Vec<i64>,
    current: Vec<i64>,
    total: i64,
}

impl WeightedRoundRobin {
    /// A smooth weighted round robin over these weights.
    pub fn new(weights: &[u32]) -> Self {
        let weights: Vec<i64> = weights.iter().map(|&w| i64::from(w)).collect();
        let total = weights.iter().sum();
        Self {
            current: vec![0; weights.len()],
            weights,
            total,
        }
    }
}

impl Balancer for WeightedRoundRobin {
    fn pick(&mut self, _key_hash: u64, _cluster: &ClusterView<'_>) -> usize {
        let mut best = 0;
        let mut best_value = i64::MIN;
        for (i, (c, w)) in self.current.iter_mut().zip(&self.weights).enumerate() {
            *c += w;
            if *c > best_value {
                best_value = *c;
                best = i;
            }
        }
        if let Some(c) = self.current.get_mut(best) {
            *c -= self.total;
        }
        best
    }
}

/// Least connections (`weighted: false`) or weighted least connections (`weighted: true`).
///
/// # Formula
///
/// ```text
/// least connections:          pick argmin aᵢ
/// weighted least connections: pick argmin aᵢ / wᵢ   (compared as aᵢ w_j < a_j wᵢ, exact)
/// aᵢ: requests in flight on server i; wᵢ: its weight; ties go to the next server after the
/// previous pick's position
/// ```
/// Source: the chapter's section 2 table (`connections / weight`); O(n) per pick as in its
/// complexity table.
#[derive(Debug, Clone)]
pub struct LeastConnections {
    cursor: usize,
    weighted: bool,
}

impl Balancer for LeastConnections {
    fn pick(&mut self, _key_hash: u64, cluster: &ClusterView<'_>) -> usize {
        let n = cluster.active.len();
        let active = |i: usize| u64::from(cluster.active.get(i).copied().unwrap_or(u32::MAX));
        let weight = |i: usize| u64::from(cluster.weights.get(i).copied().unwrap_or(1));
        let best = if self.weighted {
            rotating_best(n, self.cursor, |i, b| {
                active(i) * weight(b) < active(b) * weight(i)
            })
        } else {
            rotating_best(n, self.cursor, |i, b| active(i) < active(b))
        };
        self.cursor = (self.cursor + 1) % n.max(1);
        best
    }
}

/// IP hash: `hash(client) mod n`.
///
/// # Formula
///
/// ```text
/// server = hash(client) mod n      hash: [`super::key_hash`] (FNV-1a + fmix64)
/// ```
/// Source: the chapter's section 2 table.
#[derive(Debug, Clone)]
pub struct IpHash;

impl Balancer for IpHash {
    fn pick(&mut self, key_hash: u64, cluster: &ClusterView<'_>) -> usize {
        key_hash
            .checked_rem(cluster.active.len() as u64)
            .unwrap_or(0) as usize
    }
}

/// Least response time: the lowest smoothed response time, scaled by the work already queued.
///
/// # Formula
///
/// ```text
/// rᵢ ← rᵢ + α (observed − rᵢ)          α = 0.1, on each completion at server i
/// score_i = rᵢ × (aᵢ + 1)               pick argmin score_i; never-observed servers score 0
/// ```
/// The chapter's table says only "route to fastest responding server"; pure fastest-first herds
/// every request onto one server until its average catches up, so, like NGINX Plus's
/// `least_time` ("lowest average response time and least number of active connections"), the
/// average is weighted by the connections in flight.
#[derive(Debug, Clone)]
pub struct LeastResponseTime {
    smoothed_s: Vec<f64>,
    cursor: usize,
}

impl LeastResponseTime {
    /// Weight of the newest observation in the moving average.
    pub const SMOOTHING: f64 = 0.1;

    /// A policy for `servers` servers, none observed yet.
    pub fn new(servers: usize) -> Self {
        Self {
            smoothed_s: vec![0.0; servers],
            cursor: 0,
        }
    }
}

impl Balancer for LeastResponseTime {
    fn pick(&mut self, _key_hash: u64, cluster: &ClusterView<'_>) -> usize {
        let score = |i: usize| {
            let active = f64::from(cluster.active.get(i).copied().unwrap_or(u32::MAX));
            self.smoothed_s.get(i).copied().unwrap_or(f64::INFINITY) * (active + 1.0)
        };
        let n = cluster.active.len();
        let best = rotating_best(n, self.cursor, |i, b| score(i) < score(b));
        self.cursor = (self.cursor + 1) % n.max(1);
        best
    }

    fn observe(&mut self, server: usize, response_time_s: f64) {
        if let Some(r) = self.smoothed_s.get_mut(server) {
            *r = if *r == 0.0 {
                response_time_s
            } else {
                *r + Self::SMOOTHING * (response_time_s - *r)
            };
        }
    }
}

/// Uniformly random choice.
#[derive(Debug, Clone)]
pub struct RandomChoice {
    rng: Pcg64Mcg,
}

impl Balancer for RandomChoice {
    fn pick(&mut self, _key_hash: u64, cluster: &ClusterView<'_>) -> usize {
        uniform_index(&mut self.rng, cluster.active.len())
    }
}

/// Power of two random choices: sample two distinct servers, take the one with fewer requests
/// in flight (the first on a tie).
///
/// # Formula
///
/// ```text
/// a, b uniform distinct in 0..n;  pick a if a_a ≤ a_b else b
/// ```
/// Source: M. Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing", IEEE TPDS
/// 12(10), 2001: the maximum load drops from Θ(log n / log log n) to Θ(log log n).
#[derive(Debug, Clone)]
pub struct PowerOfTwoChoices {
    rng: Pcg64Mcg,
}

impl Balancer for PowerOfTwoChoices {
    fn pick(&mut self, _key_hash: u64, cluster: &ClusterView<'_>) -> usize {
        let n = cluster.active.len();
        if n < 2 {
            return 0;
        }
        let a = uniform_index(&mut self.rng, n);
        let mut b = uniform_index(&mut self.rng, n - 1);
        if b >= a {
            b += 1;
        }
        let load = |i: usize| cluster.active.get(i).copied().unwrap_or(u32::MAX);
        if load(a) <= load(b) { a } else { b }
    }
}

/// Consistent hashing on a ring with `weight × vnodes` points per server.
#[derive(Debug, Clone)]
pub struct ConsistentHash {
    ring: ConsistentRing,
}

impl Balancer for ConsistentHash {
    fn pick(&mut self, key_hash: u64, _cluster: &ClusterView<'_>) -> usize {
        self.ring.owner(key_hash)
    }
}

/// Maglev lookup-table hashing (unweighted).
#[derive(Debug, Clone)]
pub struct Maglev {
    table: MaglevTable,
}

impl Balancer for Maglev {
    fn pick(&mut self, key_hash: u64, _cluster: &ClusterView<'_>) -> usize {
        self.table.owner(key_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picks(balancer: &mut dyn Balancer, n: usize, requests: usize) -> Vec<usize> {
        let active = vec![0; n];
        let weights = vec![1; n];
        let view = ClusterView {
            active: &active,
            weights: &weights,
        };
        let mut counts = vec![0; n];
        for i in 0..requests {
            counts[balancer.pick(i as u64, &view)] += 1;
        }
        counts
    }

    #[test]
    fn round_robin_is_exactly_even() {
        // 3,000 requests over 3 servers: 1,000 each, by definition of the rotation.
        assert_eq!(picks(&mut RoundRobin { next: 0 }, 3, 3_000), vec![1_000; 3]);
    }

    #[test]
    fn smooth_weighted_round_robin_follows_weights_and_interleaves() {
        // Weights 1:2:3 over 6,000 requests = 1,000 cycles of 6: exactly 1,000, 2,000, 3,000.
        let mut wrr = WeightedRoundRobin::new(&[1, 2, 3]);
        assert_eq!(picks(&mut wrr, 3, 6_000), vec![1_000, 2_000, 3_000]);
        // nginx's documented sequence for weights {a:5, b:1, c:1} is a a b a c a a (hand-run of
        // the formula: c = (5,1,1) → a; (3,2,2) → a; (1,3,3) → b; …).
        let mut wrr = WeightedRoundRobin::new(&[5, 1, 1]);
        let view = ClusterView {
            active: &[0; 3],
            weights: &[5, 1, 1],
        };
        let sequence: Vec<usize> = (0..7).map(|_| wrr.pick(0, &view)).collect();
        assert_eq!(sequence, vec![0, 0, 1, 0, 2, 0, 0]);
    }

    #[test]
    fn least_connections_picks_the_emptiest_and_weighted_divides_by_weight() {
        let mut lc = LeastConnections {
            cursor: 0,
            weighted: false,
        };
        let view = ClusterView {
            active: &[3, 1, 2],
            weights: &[1, 1, 4],
        };
        assert_eq!(lc.pick(0, &view), 1);
        // 3/1, 1/1, 2/4 = 0.5: server 2 wins once weights count.
        let mut wlc = LeastConnections {
            cursor: 0,
            weighted: true,
        };
        assert_eq!(wlc.pick(0, &view), 2);
    }

    #[test]
    fn ip_hash_is_sticky() {
        let view = ClusterView {
            active: &[0; 5],
            weights: &[1; 5],
        };
        for key in 0..100 {
            let first = IpHash.pick(key, &view);
            assert_eq!(IpHash.pick(key, &view), first);
        }
    }

    #[test]
    fn two_choices_takes_the_less_loaded_of_two_distinct() {
        let mut p2c = PowerOfTwoChoices { rng: seeded_rng(1) };
        // With two servers the two choices are both servers, so the emptier always wins.
        let view = ClusterView {
            active: &[5, 0],
            weights: &[1, 1],
        };
        assert!((0..100).all(|_| p2c.pick(0, &view) == 1));
    }
}
