//! The chapter's sizing framework beyond one request rate per tier: the database as shards and
//! read replicas, the cache by memory as well as operations, the web tier by its network cards,
//! queue partitions, and what a CDN takes off the origin.
//!
//! Sources: the chapter, section 10, "Estimation Framework" ("Cache: Working set size / (memory
//! per node)"), "Back-of-Envelope Numbers" ("Kafka partition: 10,000+ msg/s", "Network (1 Gbps):
//! ~100 MB/s") and the example's "Database: Sharded for writes, read replicas for reads"; section
//! 7, "CDN Benefits" ("Edges absorb 80-95% of traffic").
//!
//! Every per-node throughput (writes, reads, operations, bytes per second, messages) and the
//! cache's memory is planned at the target utilization, as the request bounds are; the most a
//! shard should hold is already a planning limit and is used as given.

use super::{CapacityInput, CapacityReport, NodeCount, Spare, nodes_for, nodes_trace};
use crate::math::ceil_count;
use crate::report::Entries;
use crate::trace::text;
use crate::units::{format_bytes, format_bytes_per_second, format_count, format_si};

/// The chapter's "Network (1 Gbps): ~100 MB/s": usable bandwidth of one server, each way.
pub const CHAPTER_NIC_BYTES_PER_SECOND: f64 = 100e6;

/// The chapter's "Kafka partition: 10,000+ msg/s".
pub const CHAPTER_PARTITION_MSGS_PER_SECOND: f64 = 10_000.0;

/// Web servers that the peak bytes need over each server's network bandwidth, before spares.
///
/// # Formula
/// ```text
/// N_net = ⌈ max(E_o, I) / (B × u) ⌉
///   E_o = peak egress the origin sends (what the CDN does not absorb), bytes/s
///   I   = peak ingress (bytes written), bytes/s
///   B   = usable bandwidth of one server each way, bytes/s; u = target utilization
/// A network card is full duplex: egress and ingress each have the whole bandwidth, so the
/// larger of the two binds, not their sum.
/// Source: the chapter, section 10 "Back-of-Envelope Numbers" (Network (1 Gbps): ~100 MB/s)
/// ```
///
/// # Examples
/// ```
/// // 11.57 GB/s of ingress over 100 MB/s cards: ⌈115.74⌉ = 116 servers.
/// let n = headroom::capacity::web_servers_for_network(1.157e9, 11.574e9, 100e6, 1.0);
/// assert_eq!(n, 116);
/// ```
pub fn web_servers_for_network(
    peak_origin_egress: f64,
    peak_ingress: f64,
    bandwidth_per_server: f64,
    util: f64,
) -> NodeCount {
    nodes_for(
        peak_origin_egress.max(peak_ingress),
        bandwidth_per_server,
        util,
    )
}

/// The bytes the cache must hold: the working set as given, or else the hot share of the bytes
/// read in a day.
///
/// # Formula
/// ```text
/// WS = given, or h_ws × U × a_r × s_r
///   h_ws = hot share (default 0.2: the 80/20 rule, a fifth of the day's reads is what is
///   asked for again), U daily users, a_r reads per user per day, s_r bytes per read
/// The rule counts a byte read twice twice, so it overstates a working set of few, popular
/// items; give the working set when it is known.
/// ```
pub(super) fn working_set(input: &CapacityInput) -> f64 {
    let hot_reads = input.hot_share
        * input.daily_active_users
        * input.reads_per_user_per_day
        * input.bytes_per_read;
    input.cache_working_set.unwrap_or(hot_reads)
}

/// The bytes the database holds at the end of the retention period, one copy (replicas hold
/// copies of their shard): U × a_w × s_w × D × Y.
pub(super) fn database_bytes(input: &CapacityInput) -> f64 {
    input.daily_active_users
        * input.writes_per_user_per_day
        * input.bytes_per_write
        * input.days_per_year
        * input.retention_years
}

/// The database as shards, each a primary with read replicas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatabaseNodes {
    /// Shards the peak writes need, one primary each.
    pub shards_for_writes: NodeCount,
    /// Shards the stored bytes need; 0 without a most-per-shard limit.
    pub shards_for_storage: NodeCount,
    /// The shards: the larger of the two, at least one when the database has any load.
    pub shards: NodeCount,
    /// Replicas per shard, with spares.
    pub replicas_per_shard: NodeCount,
    /// Every shard's primary and replicas.
    pub nodes: NodeCount,
}

/// Shards and read replicas for the peak writes and the reads that miss the cache.
///
/// # Formula
/// ```text
/// S_w = ⌈ W / (C_w × u) ⌉          S_b = ⌈ B / B_s ⌉ (0 without a limit)
/// S   = max(S_w, S_b, 1 if the database has any load)
/// n   = max(1, ⌈ (W / (C_w × u) + R' / (C_r × u)) / S ⌉)    nodes one shard needs
/// replicas per shard = spare(n) − 1            nodes = S × spare(n)
///   W peak writes/s, R' peak reads/s that miss the cache, C_w writes/s one primary takes,
///   C_r reads/s one replica serves, u target utilization, B bytes stored (one copy, at the
///   end of retention), B_s the most one shard should hold; spare per shard: N+1 adds a
///   replica that can take over from the primary, 2N doubles the shard
/// The primary takes its shard's writes and serves reads with what they leave; replicas serve
/// the rest. With one shard and C_w = C_r this is the single pool ⌈(W + R') / (C × u)⌉ of the
/// chapter's "Database: QPS / (queries per second capacity)", so its figures are unchanged.
/// Source: the chapter, section 10 (example: "Sharded for writes, read replicas for reads")
/// ```
/// Per-shard rounding means a shard added for writes can save a replica elsewhere: the total
/// is never below the single-pool count, but is not monotonic in the load.
pub fn database_nodes(
    peak_writes: f64,
    peak_reads_missing_cache: f64,
    stored_bytes: f64,
    input: &CapacityInput,
) -> DatabaseNodes {
    let util = input.utilization;
    let (write_capacity, read_capacity) = (input.db_write_qps_per_node, input.db_read_qps_per_node);
    let write_units = peak_writes / (write_capacity * util);
    // With one capacity for both, the load is one quotient, bit for bit the chapter's pool.
    let load_units = if write_capacity == read_capacity {
        (peak_writes + peak_reads_missing_cache) / (write_capacity * util)
    } else {
        write_units + peak_reads_missing_cache / (read_capacity * util)
    };
    let for_writes = ceil_count(write_units);
    let for_storage = input
        .shard_bytes
        .map_or(0.0, |most| ceil_count(stored_bytes / most));
    let any_load = if load_units > 0.0 { 1.0 } else { 0.0 };
    let shards = for_writes.max(for_storage).max(any_load);
    let (replicas, nodes) = if shards > 0.0 {
        let per_shard = spare_f64(input.spare, ceil_count(load_units / shards).max(1.0));
        (
            NodeCount::from_f64(per_shard - 1.0),
            NodeCount::from_f64(shards * per_shard),
        )
    } else {
        // No load and nothing stored: no shard, but the spare rule still runs its node, as on
        // every other tier.
        (
            NodeCount::from_f64(0.0),
            NodeCount::from_f64(0.0).with_spare(input.spare),
        )
    };
    DatabaseNodes {
        shards_for_writes: NodeCount::from_f64(for_writes),
        shards_for_storage: NodeCount::from_f64(for_storage),
        shards: NodeCount::from_f64(shards),
        replicas_per_shard: replicas,
        nodes,
    }
}

/// [`Spare::apply`] on a whole number held in an f64 (+∞ stays +∞).
fn spare_f64(spare: Spare, needed: f64) -> f64 {
    match spare {
        Spare::None => needed,
        Spare::NPlusOne => needed + 1.0,
        Spare::TwoN => needed * 2.0,
    }
}

/// Which of two bounds sets a tier, as a sentence: `network binds: 116 against 13 for
/// requests`, or `requests and network agree: 13` when both need the same.
pub fn binding(first: (&str, NodeCount), second: (&str, NodeCount)) -> String {
    let ((a, n_a), (b, n_b)) = (first, second);
    let verb = |name: &str| if name.ends_with('s') { "bind" } else { "binds" };
    if n_a == n_b {
        text!("{a} and {b} agree: {n_a}")
    } else if n_b.to_f64() > n_a.to_f64() {
        text!("{b} {}: {n_b} against {n_a} for {a}", verb(b))
    } else {
        text!("{a} {}: {n_a} against {n_b} for {b}", verb(a))
    }
}

/// One tier in the page's "which bound binds" table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierBounds {
    /// Stable identifier (`web`, `cache`, `db`), for DOM ids and tests.
    pub id: &'static str,
    /// What is counted.
    pub tier: &'static str,
    /// Which bound binds, from [`binding`].
    pub binds: String,
    /// What the tier runs: the larger bound, with spares on web and cache.
    pub runs: NodeCount,
}

/// The two bounds of each tier and which one binds: the web tier (requests, network), the cache
/// (operations, memory) and the database's shards (writes, storage).
pub fn tier_bounds(c: &CapacityReport) -> [TierBounds; 3] {
    [
        TierBounds {
            id: "web",
            tier: "Web servers",
            binds: binding(
                ("requests", c.web_servers_for_requests),
                ("network", c.web_servers_for_network),
            ),
            runs: c.web_servers,
        },
        TierBounds {
            id: "cache",
            tier: "Cache nodes",
            binds: binding(
                ("operations", c.cache_nodes_for_ops),
                ("memory", c.cache_nodes_for_memory),
            ),
            runs: c.cache_nodes,
        },
        TierBounds {
            id: "db",
            tier: "Database shards",
            binds: binding(
                ("writes", c.db_shards_for_writes),
                ("storage", c.db_shards_for_storage),
            ),
            runs: c.db_shards,
        },
    ]
}

/// `1 shard`, `3 shards`: a count with its noun.
fn counted(n: NodeCount, one: &str, many: &str) -> String {
    if n == 1 {
        text!("1 {one}")
    } else {
        text!("{n} {many}")
    }
}

/// The database's layout in words: `3 shards × (1 primary + 1 replica)`.
pub fn shard_layout(c: &CapacityReport) -> String {
    text!(
        "{} × (1 primary + {})",
        counted(c.db_shards, "shard", "shards"),
        counted(c.db_replicas_per_shard, "replica", "replicas")
    )
}

/// The traces of the tiers' bounds, keyed by the figures' paths.
pub(super) fn explain_tiers(
    input: &CapacityInput,
    c: &CapacityReport,
    util: &str,
    out: &mut Entries<String>,
) {
    let spare = input.spare;
    out.push(
        "capacity.web_servers_for_requests",
        text!(
            "the web tier serves reads and writes: {}; the chapter's {} counts peak reads alone \
             at full load (⌈{} / {}⌉)",
            nodes_trace(
                c.peak_web_rps,
                input.web_rps_per_node,
                util,
                "req/s",
                c.web_servers_for_requests,
                Spare::None
            ),
            c.web_servers_reads_only,
            format_count(c.peak_read_qps),
            format_count(input.web_rps_per_node),
        ),
    );
    let bytes_rate = format_bytes_per_second;
    out.push(
        "capacity.web_servers_for_network",
        text!(
            "the larger of peak origin egress {} and peak ingress {}: ⌈{} / ({} × {util})⌉ = {}",
            bytes_rate(c.peak_origin_egress_bytes_per_second),
            bytes_rate(c.peak_ingress_bytes_per_second),
            bytes_rate(
                c.peak_origin_egress_bytes_per_second
                    .max(c.peak_ingress_bytes_per_second)
            ),
            bytes_rate(input.nic_bytes_per_second),
            c.web_servers_for_network,
        ),
    );
    out.push(
        "capacity.web_servers",
        text!(
            "the larger of {} for requests and {} for network{} = {}; {}",
            c.web_servers_for_requests,
            c.web_servers_for_network,
            spare.trace_suffix(),
            c.web_servers,
            binding(
                ("requests", c.web_servers_for_requests),
                ("network", c.web_servers_for_network)
            ),
        ),
    );
    out.push(
        "capacity.cache_nodes_for_ops",
        text!(
            "every read looks in the cache: {}",
            nodes_trace(
                c.peak_cache_ops,
                input.cache_ops_per_node,
                util,
                "ops/s",
                c.cache_nodes_for_ops,
                Spare::None
            )
        ),
    );
    let working_set = match input.cache_working_set {
        Some(bytes) => text!("the working set {}", format_bytes(bytes)),
        None => text!(
            "the working set {} × {} users × {} reads × {} = {}",
            format_count(input.hot_share),
            format_si(input.daily_active_users),
            format_count(input.reads_per_user_per_day),
            format_bytes(input.bytes_per_read),
            format_bytes(c.cache_working_set_bytes),
        ),
    };
    out.push(
        "capacity.cache_nodes_for_memory",
        match input.cache_memory_per_node {
            Some(memory) => text!(
                "{working_set} in memory: ⌈{} / ({} × {util})⌉ = {}",
                format_bytes(c.cache_working_set_bytes),
                format_bytes(memory),
                c.cache_nodes_for_memory
            ),
            None => text!("no memory per node given: no memory bound ({working_set})"),
        },
    );
    out.push(
        "capacity.cache_nodes",
        text!(
            "the larger of {} for operations and {} for memory{} = {}; {}",
            c.cache_nodes_for_ops,
            c.cache_nodes_for_memory,
            spare.trace_suffix(),
            c.cache_nodes,
            binding(
                ("operations", c.cache_nodes_for_ops),
                ("memory", c.cache_nodes_for_memory)
            ),
        ),
    );
    let storage_bound = match input.shard_bytes {
        Some(most) => text!(
            "⌈{} / {}⌉ = {} for storage",
            format_bytes(database_bytes(input)),
            format_bytes(most),
            c.db_shards_for_storage
        ),
        None => "no storage bound".to_string(),
    };
    out.push(
        "capacity.db_shards",
        text!(
            "the larger of {} for writes and {storage_bound} = {}",
            nodes_trace(
                c.peak_write_qps,
                input.db_write_qps_per_node,
                util,
                "writes/s",
                c.db_shards_for_writes,
                Spare::None
            ),
            c.db_shards
        ),
    );
    // No load and nothing stored: no shard to divide among (the spare rule still runs its node).
    let no_shard = c.db_shards == 0;
    out.push(
        "capacity.db_replicas_per_shard",
        if no_shard {
            text!("no load and nothing stored: no shard, so no replicas")
        } else {
            // The redundancy applies to a shard's nodes, then the primary is taken out.
            text!(
                "each shard's primary takes its writes and serves reads with what is left: \
                 ⌈({} writes/s / ({} × {util}) + {} reads/s / ({} × {util})) / {}⌉ nodes per \
                 shard{}, less the primary = {}",
                format_count(c.peak_write_qps),
                format_count(input.db_write_qps_per_node),
                format_count(c.peak_db_qps - c.peak_write_qps),
                format_count(input.db_read_qps_per_node),
                counted(c.db_shards, "shard", "shards"),
                spare.trace_suffix(),
                c.db_replicas_per_shard
            )
        },
    );
    out.push(
        "capacity.db_nodes",
        text!(
            "writes plus cache misses: ({} + {} × (1 − {})) = {} q/s; {} = {}",
            format_count(c.peak_write_qps),
            format_count(c.peak_read_qps),
            format_count(input.cache_hit_ratio),
            format_count(c.peak_db_qps),
            if no_shard {
                text!("no shard{}", spare.trace_suffix())
            } else {
                shard_layout(c)
            },
            c.db_nodes
        ),
    );
    out.push(
        "capacity.queue_partitions",
        text!(
            "{} writes/s × {} messages each = {} msg/s; ⌈{} msg/s / ({} msg/s × {util})⌉ = {}",
            format_count(c.peak_write_qps),
            format_count(input.messages_per_write),
            format_count(c.peak_queue_msgs_per_second),
            format_count(c.peak_queue_msgs_per_second),
            format_count(input.partition_msgs_per_second),
            c.queue_partitions
        ),
    );
}

/// The traces of the CDN's split of the egress.
pub(super) fn explain_cdn(input: &CapacityInput, c: &CapacityReport, out: &mut Entries<String>) {
    let hit = format_count(input.cdn_hit_ratio);
    out.push(
        "capacity.edge_egress_bytes_per_second",
        text!(
            "{} × {hit} served by the edge = {}",
            format_bytes_per_second(c.egress_bytes_per_second),
            format_bytes_per_second(c.edge_egress_bytes_per_second)
        ),
    );
    out.push(
        "capacity.origin_egress_bytes_per_second",
        text!(
            "{} × (1 − {hit}) left to the origin = {} (peak {})",
            format_bytes_per_second(c.egress_bytes_per_second),
            format_bytes_per_second(c.origin_egress_bytes_per_second),
            format_bytes_per_second(c.peak_origin_egress_bytes_per_second)
        ),
    );
}

#[cfg(test)]
mod tests;
