//! What the load-balancing page shows beside the runs: the offered load of the cluster, the
//! runs with the shortest and longest p99, and how many keys move when a server is added or
//! removed under each hashed placement.

use super::{HashMethod, LbConfig, LbRun, MAX_SERVERS, key_movement};
use crate::units::{format_count, format_duration, format_share};

/// The load offered to a cluster: arrivals × mean duration against its workers.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OfferedLoad {
    /// λ × mean duration: the speed-1 workers the arrivals keep busy (Erlangs).
    pub erlangs: f64,
    /// Σ workers × speed over the servers: the cluster's capacity in speed-1 workers.
    pub workers: f64,
    /// erlangs / workers: the share of the cluster's capacity the arrivals use.
    pub utilization: f64,
}

impl LbConfig {
    /// The load the arrivals offer to the servers.
    ///
    /// # Formula
    /// ```text
    /// ρ = λ × E[d] / Σᵢ cᵢ × sᵢ
    ///     λ = arrival_rate_per_s, E[d] = the duration distribution's mean (speed-1 seconds),
    ///     cᵢ = workers of server i (its `workers`), sᵢ = its speed
    /// ```
    /// Above 1 the queues grow without bound under any algorithm. Source: ρ = λ / (c μ) of
    /// Gross & Harris, *Fundamentals of Queueing Theory*, §2.3 (as in `crate::queueing`), with
    /// each worker's service rate μ scaled by its server's speed.
    pub fn offered_load(&self) -> OfferedLoad {
        let erlangs = self.arrival_rate_per_s * self.duration.mean_s();
        let workers: f64 = self
            .servers
            .iter()
            .map(|s| f64::from(s.workers) * s.speed)
            .sum();
        OfferedLoad {
            erlangs,
            workers,
            utilization: erlangs / workers.max(f64::MIN_POSITIVE),
        }
    }
}

impl OfferedLoad {
    /// The trace of [`OfferedLoad::utilization`], with the operands of `config`, the
    /// configuration it was computed from.
    pub fn trace(&self, config: &LbConfig) -> String {
        let workers = format_count(self.workers);
        format!(
            "ρ = λ × mean / Σ workers × speed = {}/s × {} / {workers} = {} / {workers} = {}",
            format_count(config.arrival_rate_per_s),
            format_duration(config.duration.mean_s()),
            format_count(self.erlangs),
            format_share(self.utilization)
        )
    }
}

impl LbRun {
    /// The utilization of the busiest server (0 without servers).
    pub fn busiest_utilization(&self) -> f64 {
        self.servers
            .iter()
            .map(|s| s.utilization)
            .fold(0.0, f64::max)
    }
}

/// The runs with the shortest and the longest p99 response time (`None` without runs).
#[derive(Debug, Clone, Copy)]
pub struct P99Extremes<'a> {
    /// The run whose p99 is shortest (the first of equals).
    pub shortest: Option<&'a LbRun>,
    /// The run whose p99 is longest (the last of equals).
    pub longest: Option<&'a LbRun>,
}

/// The runs with the shortest and the longest p99.
pub fn p99_extremes(runs: &[LbRun]) -> P99Extremes<'_> {
    let p99 = |r: &&LbRun| r.response.p99_s;
    P99Extremes {
        shortest: runs.iter().min_by(|a, b| p99(a).total_cmp(&p99(b))),
        longest: runs.iter().max_by(|a, b| p99(a).total_cmp(&p99(b))),
    }
}

/// One placement's share of keys that move, measured and expected.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMovement {
    /// The placement's name.
    pub name: &'static str,
    /// A short key, for DOM ids.
    pub key: &'static str,
    /// Share of keys moving when server n + 1 is added; `None` at [`MAX_SERVERS`].
    pub add: Option<f64>,
    /// Share moving when server n is removed; `None` for a single server.
    pub remove: Option<f64>,
    /// The share expected for uniform hashes when adding a server.
    pub expected_add: f64,
    /// The share expected for uniform hashes when removing one.
    pub expected_remove: f64,
}

/// Keys that move with modulo hashing, consistent hashing (`vnodes` virtual nodes per unit of
/// weight) and Maglev (a table of `maglev_table` entries) when a cluster of `servers` grows or
/// shrinks by one, measured with [`key_movement`] on `keys` keys.
///
/// # Formula
/// ```text
/// modulo:              adding moves n/(n + 1), removing 1 − 1/n
/// consistent, Maglev:  adding moves 1/(n + 1), removing 1/n
/// ```
/// Expected values for uniform hashes (hand calculation, as in [`key_movement`]'s docs): modulo
/// keeps a key only when h mod n = h mod (n ± 1); consistent hashing and Maglev move only the
/// new or leaving server's share. Source: Karger et al. (1997); Eisenbud et al. (2016), "Maglev"
/// (cited at [`crate::loadbalance::MaglevTable`]).
pub fn key_movement_by_placement(
    servers: usize,
    vnodes: u32,
    maglev_table: u32,
    keys: u32,
) -> Vec<KeyMovement> {
    let n = servers as f64;
    let placements = [
        (
            "Modulo (hash mod n)",
            "modulo",
            HashMethod::Modulo,
            (n / (n + 1.0), 1.0 - 1.0 / n),
        ),
        (
            "Consistent hashing",
            "ring",
            HashMethod::Consistent { vnodes },
            (1.0 / (n + 1.0), 1.0 / n),
        ),
        (
            "Maglev",
            "maglev",
            HashMethod::Maglev {
                table_size: maglev_table,
            },
            (1.0 / (n + 1.0), 1.0 / n),
        ),
    ];
    placements
        .into_iter()
        .map(
            |(name, key, method, (expected_add, expected_remove))| KeyMovement {
                name,
                key,
                add: (servers < MAX_SERVERS)
                    .then(|| key_movement(servers, servers + 1, keys, method).ok())
                    .flatten(),
                remove: (servers > 1)
                    .then(|| key_movement(servers, servers - 1, keys, method).ok())
                    .flatten(),
                expected_add,
                expected_remove,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loadbalance::{DurationDist, ServerSpec};
    use crate::testutil::{assert_abs, assert_rel};

    #[test]
    fn the_default_cluster_is_offered_62_5_percent() {
        // 350 req/s × 50 ms = 17.5 Erlangs on 3 × 4 × 1 + 2 × 4 × 2 = 28 workers.
        let load = LbConfig::default().offered_load();
        assert_rel(load.erlangs, 17.5, 1e-12);
        assert_rel(load.workers, 28.0, 1e-12);
        assert_rel(load.utilization, 0.625, 1e-12);
    }

    #[test]
    fn offered_load_counts_workers_times_speed() {
        let config = LbConfig {
            servers: vec![ServerSpec {
                weight: 1,
                speed: 0.5,
                workers: 10,
            }],
            arrival_rate_per_s: 100.0,
            duration: DurationDist::Fixed { mean_s: 0.02 },
            ..LbConfig::default()
        };
        // 100 × 0.02 = 2 Erlangs on 10 × 0.5 = 5 workers.
        let load = config.offered_load();
        assert_rel(load.utilization, 0.4, 1e-12);
    }

    #[test]
    fn keys_move_about_as_the_hand_calculation_expects() {
        // 10 servers: modulo moves 10/11 = 90.9% adding and 90% removing; consistent hashing
        // and Maglev about 1/11 = 9.1% and 1/10 = 10%.
        let moved = key_movement_by_placement(10, 160, 65_537, 20_000);
        let keys: Vec<_> = moved.iter().map(|m| m.key).collect();
        assert_eq!(keys, ["modulo", "ring", "maglev"]);
        assert_rel(moved[0].expected_add, 10.0 / 11.0, 1e-12);
        assert_rel(moved[0].expected_remove, 0.9, 1e-12);
        assert_rel(moved[1].expected_add, 1.0 / 11.0, 1e-12);
        assert_rel(moved[2].expected_remove, 0.1, 1e-12);
        for m in &moved {
            assert_abs(m.add.unwrap(), m.expected_add, 0.03);
            assert_abs(m.remove.unwrap(), m.expected_remove, 0.03);
        }
    }

    #[test]
    fn a_single_server_cannot_lose_one_and_a_full_cluster_cannot_grow() {
        let one = key_movement_by_placement(1, 160, 65_537, 1_000);
        assert!(one.iter().all(|m| m.remove.is_none() && m.add.is_some()));
        let full = key_movement_by_placement(MAX_SERVERS, 1, 65_537, 1_000);
        assert!(full.iter().all(|m| m.add.is_none()));
    }
}
