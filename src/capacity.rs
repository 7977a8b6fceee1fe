//! Traffic to capacity: the back-of-the-envelope arithmetic of the chapter's section 10
//! ("Capacity Planning"): daily users to average and peak QPS, servers per tier, storage and
//! bandwidth.
//!
//! The chapter's worked example (100M daily users, 0.5 writes and 10 reads per user per day, a peak
//! factor of 10, 500-byte writes) is the default scenario and a test case below. One deliberate
//! difference: the chapter sizes the web tier for peak *reads* alone (12 servers), but the web tier
//! serves writes too, so Headroom sizes it for reads plus writes (13 servers) and keeps the
//! reads-only figure beside it, so the difference is visible rather than silent.
//!
//! Beyond one request rate per tier, the rest of the chapter's framework is in [`bounds`]: the
//! database as shards and read replicas, the cache by memory as well as operations, the web tier
//! by its network cards, queue partitions, and what a CDN takes off the origin. Each tier runs
//! the larger of its bounds, and the report says which one binds. At their defaults (no shard
//! bound, no memory bound, no queue, no CDN) the chapter's figures are unchanged.

use serde::{Deserialize, Serialize};
use std::fmt;

pub mod bounds;
mod curves;
mod runway;

pub use bounds::{
    TierBounds, binding, database_nodes, shard_layout, tier_bounds, web_servers_for_network,
};
pub use curves::{day_of_traffic, nodes_as_users_grow, stored_by_year};
pub use runway::{
    GrowthReport, Have, MAX_HORIZON_MONTHS, MonthNeed, RunsOut, RunwayInput, YearMonth,
    explain as explain_runway, plan_runway,
};

use crate::SECONDS_PER_DAY;
use crate::choice::choice_enum;
use crate::range::RangeError;
use crate::report::Entries;
use crate::trace::{rate, text};
use crate::units::{
    format_bytes, format_bytes_per_second, format_count, format_message_number, format_si,
};

/// Days in the chapter's storage year (it multiplies by 365), the default of the scenario's year
/// length; a report uses the scenario's `year_days`, as its availability figures do.
pub const STORAGE_DAYS_PER_YEAR: f64 = 365.0;

/// Largest node count the calculator reports; beyond it the input is surely a typo, and counts
/// stay exactly representable in JSON numbers. A tier that needs more says "more than" this
/// (a [`NodeCount`] without a number), never a capped or overflowed figure.
pub const MAX_NODES: f64 = 1e12;

/// A whole number of nodes, or "more than [`MAX_NODES`]" when the load needs more (even more than
/// an f64 can hold: a tiny capacity at a tiny utilization). JSON: the integer, or `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct NodeCount(Option<u64>);

impl NodeCount {
    /// `count` nodes when it is at most [`MAX_NODES`], else "more than".
    pub fn from_f64(count: f64) -> Self {
        if count <= MAX_NODES {
            // Exact: a whole number in [0, 1e12] (NaN fails the test above).
            Self(Some(count as u64))
        } else {
            Self(None)
        }
    }

    /// The count, or `None` for more than [`MAX_NODES`].
    pub fn get(self) -> Option<u64> {
        self.0
    }

    /// The count as a float for charts: +∞ for more than [`MAX_NODES`].
    pub fn to_f64(self) -> f64 {
        self.0.map_or(f64::INFINITY, |n| n as f64)
    }

    /// The larger of two counts; "more than" is larger than any number.
    pub fn max(self, other: Self) -> Self {
        match (self.0, other.0) {
            (Some(a), Some(b)) => Self(Some(a.max(b))),
            _ => Self(None),
        }
    }

    /// With the spare-capacity rule applied; 2 × 1e12 is still exact.
    pub fn with_spare(self, spare: Spare) -> Self {
        Self(self.0.map(|n| spare.apply(n)))
    }
}

impl PartialEq<u64> for NodeCount {
    fn eq(&self, other: &u64) -> bool {
        self.0 == Some(*other)
    }
}

/// The number, or `more than 1,000,000,000,000`.
impl NodeCount {
    /// The count with its noun: `1 server`, `13 servers`, `more than 1,000,000,000,000 servers`.
    pub fn of(self, noun: &str) -> String {
        let s = if self.0 == Some(1) { "" } else { "s" };
        format!("{self} {noun}{s}")
    }
}

impl fmt::Display for NodeCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(n) => write!(f, "{n}"),
            None => write!(f, "more than {}", crate::units::format_count(MAX_NODES)),
        }
    }
}

/// Errors from building a [`CapacityInput`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CapacityError {
    /// A count, rate or size was negative, NaN or infinite.
    #[error("{field} must be a finite number of at least 0, got {}", format_message_number(*.value))]
    NotFiniteOrNegative {
        /// The input's name, as in the query string.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A per-node capacity was zero: the number of nodes would be infinite.
    #[error("{field} must be greater than 0: a node that serves nothing cannot be sized")]
    ZeroCapacity {
        /// The input's name, as in the query string.
        field: &'static str,
    },
    /// A ratio (utilization, cache hit ratio) was outside its allowed interval.
    #[error(transparent)]
    RatioOutOfRange(#[from] RangeError),
    /// The peak factor was below 1: a peak cannot be lower than the average.
    #[error("peak factor must be at least 1 (the peak cannot be below the average), got {}", format_message_number(*.value))]
    PeakBelowAverage {
        /// The offending peak factor.
        value: f64,
    },
}

choice_enum! {
    /// Spare capacity added on top of the nodes the load needs.
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum Spare {
        /// Exactly the nodes the load needs.
        #[default]
        None = "none", "None",
        /// One spare node per tier, so a single failure keeps full capacity.
        NPlusOne = "n+1", "N+1",
        /// Twice the nodes: a full duplicate, e.g. a second availability zone.
        TwoN = "2n", "2N",
    }
}

impl Spare {
    /// Nodes to run when `needed` carry the load.
    ///
    /// # Formula
    /// ```text
    /// none: N      N+1: N + 1      2N: 2 × N
    /// N = nodes needed for the load (chapter section 9, "Redundancy Patterns")
    /// ```
    pub fn apply(self, needed: u64) -> u64 {
        match self {
            Spare::None => needed,
            Spare::NPlusOne => needed.saturating_add(1),
            Spare::TwoN => needed.saturating_mul(2),
        }
    }

    /// How [`Spare::apply`] reads at the end of a node-count trace.
    pub(crate) fn trace_suffix(self) -> &'static str {
        match self {
            Spare::None => "",
            Spare::NPlusOne => " + 1 spare (N+1)",
            Spare::TwoN => ", × 2 (2N)",
        }
    }
}

/// Validated inputs of the capacity calculator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapacityInput {
    daily_active_users: f64,
    writes_per_user_per_day: f64,
    reads_per_user_per_day: f64,
    peak_factor: f64,
    bytes_per_write: f64,
    bytes_per_read: f64,
    replication_factor: f64,
    retention_years: f64,
    web_rps_per_node: f64,
    cache_ops_per_node: f64,
    db_qps_per_node: f64,
    utilization: f64,
    cache_hit_ratio: f64,
    spare: Spare,
    days_per_year: f64,
    db_write_qps_per_node: f64,
    db_read_qps_per_node: f64,
    shard_bytes: Option<f64>,
    cache_memory_per_node: Option<f64>,
    cache_working_set: Option<f64>,
    hot_share: f64,
    nic_bytes_per_second: f64,
    cdn_hit_ratio: f64,
    messages_per_write: f64,
    partition_msgs_per_second: f64,
}

/// Plain, unvalidated inputs for [`CapacityInput::new`]; field names follow the domain.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityParams {
    /// Daily active users.
    pub daily_active_users: f64,
    /// Writes per user per day.
    pub writes_per_user_per_day: f64,
    /// Reads per user per day.
    pub reads_per_user_per_day: f64,
    /// Peak-to-average traffic factor (at least 1).
    pub peak_factor: f64,
    /// Bytes stored per write (also the ingress per write).
    pub bytes_per_write: f64,
    /// Bytes sent back per read (egress).
    pub bytes_per_read: f64,
    /// Copies of every byte stored (1 = no replication).
    pub replication_factor: f64,
    /// Years of data kept.
    pub retention_years: f64,
    /// Requests per second one web server handles.
    pub web_rps_per_node: f64,
    /// Operations per second one cache node handles.
    pub cache_ops_per_node: f64,
    /// Queries per second one database node handles.
    pub db_qps_per_node: f64,
    /// Target utilization per node, in (0, 1].
    pub utilization: f64,
    /// Share of reads answered by the cache, in [0, 1].
    pub cache_hit_ratio: f64,
    /// Spare nodes on top of the load.
    pub spare: Spare,
    /// Days in a year, for storage per year (365 in the chapter; 365.25 or 365.2425 on request).
    pub days_per_year: f64,
    /// Writes per second one database primary (one shard's writer) takes.
    pub db_write_qps_per_node: f64,
    /// Reads per second one database replica serves.
    pub db_read_qps_per_node: f64,
    /// The most one shard should hold, bytes; `None`: no storage bound on the shard count.
    pub shard_bytes: Option<f64>,
    /// Usable memory of one cache node, bytes; `None`: the cache is sized by operations alone.
    pub cache_memory_per_node: Option<f64>,
    /// The bytes the cache must hold; `None`: `hot_share` × the bytes read in a day.
    pub cache_working_set: Option<f64>,
    /// Share of a day's read bytes taken as the working set when none is given, in [0, 1].
    pub hot_share: f64,
    /// Usable network bandwidth of one web server, each way, bytes per second.
    pub nic_bytes_per_second: f64,
    /// Share of read bytes the CDN's edges serve, in [0, 1].
    pub cdn_hit_ratio: f64,
    /// Messages each write publishes to a queue (0: no queue).
    pub messages_per_write: f64,
    /// Messages per second one queue partition takes.
    pub partition_msgs_per_second: f64,
}

impl CapacityParams {
    /// The chapter's example (section 10) with a 90% cache hit ratio and 10 kB per read, at full
    /// utilization without spares, and the other bounds at their neutral defaults: no shard
    /// bound, no memory bound, 100 MB/s network cards, no CDN, no queue.
    pub fn chapter() -> Self {
        Self {
            daily_active_users: 100e6,
            writes_per_user_per_day: 0.5,
            reads_per_user_per_day: 10.0,
            peak_factor: 10.0,
            bytes_per_write: 500.0,
            bytes_per_read: 10_000.0,
            replication_factor: 1.0,
            retention_years: 1.0,
            web_rps_per_node: 10_000.0,
            cache_ops_per_node: 100_000.0,
            db_qps_per_node: 10_000.0,
            utilization: 1.0,
            cache_hit_ratio: 0.9,
            spare: Spare::None,
            days_per_year: STORAGE_DAYS_PER_YEAR,
            db_write_qps_per_node: 10_000.0,
            db_read_qps_per_node: 10_000.0,
            shard_bytes: None,
            cache_memory_per_node: None,
            cache_working_set: None,
            hot_share: 0.2,
            nic_bytes_per_second: bounds::CHAPTER_NIC_BYTES_PER_SECOND,
            cdn_hit_ratio: 0.0,
            messages_per_write: 0.0,
            partition_msgs_per_second: bounds::CHAPTER_PARTITION_MSGS_PER_SECOND,
        }
    }
}

impl CapacityInput {
    /// Validates the inputs.
    ///
    /// # Errors
    /// A [`CapacityError`] naming the first input that is negative, not finite, out of range, or a
    /// zero per-node capacity.
    pub fn new(p: CapacityParams) -> Result<Self, CapacityError> {
        let non_negative = [
            ("dau", p.daily_active_users),
            ("writes", p.writes_per_user_per_day),
            ("reads", p.reads_per_user_per_day),
            ("size", p.bytes_per_write),
            ("read_size", p.bytes_per_read),
            ("repl", p.replication_factor),
            ("years", p.retention_years),
            ("web_rps", p.web_rps_per_node),
            ("cache_ops", p.cache_ops_per_node),
            ("db_qps", p.db_qps_per_node),
            ("year_days", p.days_per_year),
            ("db_write_qps", p.db_write_qps_per_node),
            ("db_read_qps", p.db_read_qps_per_node),
            ("shard_bytes", p.shard_bytes.unwrap_or(1.0)),
            ("cache_mem", p.cache_memory_per_node.unwrap_or(1.0)),
            ("cache_ws", p.cache_working_set.unwrap_or(0.0)),
            ("nic", p.nic_bytes_per_second),
            ("msgs_per_write", p.messages_per_write),
            ("partition_rate", p.partition_msgs_per_second),
        ];
        for (field, value) in non_negative {
            if !value.is_finite() || value < 0.0 {
                return Err(CapacityError::NotFiniteOrNegative { field, value });
            }
        }
        for (field, value) in [
            ("web_rps", p.web_rps_per_node),
            ("cache_ops", p.cache_ops_per_node),
            ("db_qps", p.db_qps_per_node),
            ("db_write_qps", p.db_write_qps_per_node),
            ("db_read_qps", p.db_read_qps_per_node),
            ("shard_bytes", p.shard_bytes.unwrap_or(1.0)),
            ("cache_mem", p.cache_memory_per_node.unwrap_or(1.0)),
            ("nic", p.nic_bytes_per_second),
            ("partition_rate", p.partition_msgs_per_second),
        ] {
            if value == 0.0 {
                return Err(CapacityError::ZeroCapacity { field });
            }
        }
        if !p.peak_factor.is_finite() || p.peak_factor < 1.0 {
            return Err(CapacityError::PeakBelowAverage {
                value: p.peak_factor,
            });
        }
        if !(p.utilization > 0.0 && p.utilization <= 1.0) {
            return Err(RangeError::new("util", p.utilization, "in (0, 1]").into());
        }
        for (field, value) in [
            ("hit", p.cache_hit_ratio),
            ("hot", p.hot_share),
            ("cdn_hit", p.cdn_hit_ratio),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(RangeError::new(field, value, "in [0, 1]").into());
            }
        }
        Ok(Self {
            daily_active_users: p.daily_active_users,
            writes_per_user_per_day: p.writes_per_user_per_day,
            reads_per_user_per_day: p.reads_per_user_per_day,
            peak_factor: p.peak_factor,
            bytes_per_write: p.bytes_per_write,
            bytes_per_read: p.bytes_per_read,
            replication_factor: p.replication_factor,
            retention_years: p.retention_years,
            web_rps_per_node: p.web_rps_per_node,
            cache_ops_per_node: p.cache_ops_per_node,
            db_qps_per_node: p.db_qps_per_node,
            utilization: p.utilization,
            cache_hit_ratio: p.cache_hit_ratio,
            spare: p.spare,
            days_per_year: p.days_per_year,
            db_write_qps_per_node: p.db_write_qps_per_node,
            db_read_qps_per_node: p.db_read_qps_per_node,
            shard_bytes: p.shard_bytes,
            cache_memory_per_node: p.cache_memory_per_node,
            cache_working_set: p.cache_working_set,
            hot_share: p.hot_share,
            nic_bytes_per_second: p.nic_bytes_per_second,
            cdn_hit_ratio: p.cdn_hit_ratio,
            messages_per_write: p.messages_per_write,
            partition_msgs_per_second: p.partition_msgs_per_second,
        })
    }

    /// The same inputs with the daily users multiplied by `factor` (for growth curves).
    pub fn scaled_users(&self, factor: f64) -> Self {
        let mut scaled = self.clone();
        if factor.is_finite() && factor >= 0.0 {
            scaled.daily_active_users *= factor;
        }
        scaled
    }

    /// The same inputs with every per-node throughput (web requests, cache operations, database
    /// queries, reads and writes) multiplied by `factor`: a node type `factor` times as large.
    /// Memory, disk and network per node are left as they are.
    pub fn scaled_node_throughput(&self, factor: f64) -> Self {
        let mut scaled = self.clone();
        if factor.is_finite() && factor > 0.0 {
            scaled.web_rps_per_node *= factor;
            scaled.cache_ops_per_node *= factor;
            scaled.db_qps_per_node *= factor;
            scaled.db_write_qps_per_node *= factor;
            scaled.db_read_qps_per_node *= factor;
        }
        scaled
    }

    /// Daily active users.
    pub fn daily_active_users(&self) -> f64 {
        self.daily_active_users
    }
    /// Peak-to-average factor.
    pub fn peak_factor(&self) -> f64 {
        self.peak_factor
    }
    /// Target utilization per node.
    pub fn utilization(&self) -> f64 {
        self.utilization
    }
    /// Copies of every stored byte.
    pub fn replication_factor(&self) -> f64 {
        self.replication_factor
    }
    /// Years data is kept.
    pub fn retention_years(&self) -> f64 {
        self.retention_years
    }
}

/// Average requests per second from a daily volume.
///
/// # Formula
/// ```text
/// qps = U × a / 86,400
///   U = daily active users, a = actions per user per day, 86,400 = seconds per day
/// Source: the chapter, section 10 "Example Calculation" (write QPS = 100M × 0.5 / 86,400)
/// ```
///
/// # Examples
/// ```
/// let qps = headroom::capacity::average_qps(100e6, 0.5);
/// assert!((qps - 578.7037).abs() < 1e-3);
/// ```
pub fn average_qps(daily_active_users: f64, actions_per_user_per_day: f64) -> f64 {
    daily_active_users * actions_per_user_per_day / SECONDS_PER_DAY
}

/// Nodes needed to carry `load` when each carries `per_node` at utilization `util`.
///
/// # Formula
/// ```text
/// N = ⌈ L / (C × u) ⌉
///   L = peak load (req/s), C = capacity of one node (req/s), u = target utilization in (0, 1]
/// Source: the chapter, section 10 "Estimation Framework" (web servers = QPS / requests per server)
/// ```
/// The ceiling is [`crate::math::ceil_count`]: a quotient within floating-point error of a whole
/// number (the bound is derived at [`crate::math::COUNT_RELATIVE_ERROR`]) counts as that number,
/// so 14,000 / (10,000 × 0.7) is 2 nodes; any nonzero load needs at least one node.
/// More than [`MAX_NODES`] (also when the quotient overflows to +∞) is said, not capped.
pub fn nodes_for(load: f64, per_node: f64, util: f64) -> NodeCount {
    NodeCount::from_f64(crate::math::ceil_count(load / (per_node * util)))
}

/// The trace of [`nodes_for`] with `spare` applied: `⌈L unit / (C unit × u)⌉ + spare = N`, where
/// `util` is `u` already formatted (every tier's trace shows the same one).
fn nodes_trace(
    load: f64,
    per_node: f64,
    util: &str,
    unit: &str,
    needed: NodeCount,
    spare: Spare,
) -> String {
    text!(
        "⌈{} {unit} / ({} {unit} × {util})⌉{} = {needed}",
        format_count(load),
        format_count(per_node),
        spare.trace_suffix()
    )
}

/// Everything the capacity calculator derives, in base units (req/s, bytes, bytes/s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CapacityReport {
    /// Average writes per second.
    pub write_qps: f64,
    /// Peak writes per second.
    pub peak_write_qps: f64,
    /// Average reads per second.
    pub read_qps: f64,
    /// Peak reads per second.
    pub peak_read_qps: f64,
    /// Peak requests per second at the web tier (reads + writes).
    pub peak_web_rps: f64,
    /// Web servers the peak requests need (reads + writes), before spares.
    pub web_servers_for_requests: NodeCount,
    /// Web servers the peak origin egress or ingress needs (the larger) over each server's
    /// network bandwidth, before spares.
    pub web_servers_for_network: NodeCount,
    /// Web servers to run: the larger of the request and network bounds, with spare capacity.
    pub web_servers: NodeCount,
    /// Web servers for peak reads alone, every server at full load and no spare: the chapter's
    /// way of counting ("12 servers for peak reads"), whatever the utilization and redundancy.
    pub web_servers_reads_only: NodeCount,
    /// Peak operations per second at the cache (every read looks in the cache).
    pub peak_cache_ops: f64,
    /// Cache nodes the peak operations need, before spares.
    pub cache_nodes_for_ops: NodeCount,
    /// Bytes the cache must hold: as given, or the hot share of a day's read bytes.
    pub cache_working_set_bytes: f64,
    /// Cache nodes the working set needs in memory, before spares; 0 when no memory per node is
    /// given.
    pub cache_nodes_for_memory: NodeCount,
    /// Cache nodes to run: the larger of the operations and memory bounds, with spares.
    pub cache_nodes: NodeCount,
    /// Peak queries per second reaching the database (writes + cache misses).
    pub peak_db_qps: f64,
    /// Shards the peak writes need, one primary each.
    pub db_shards_for_writes: NodeCount,
    /// Shards the stored data needs at the most per shard; 0 when there is no such limit.
    pub db_shards_for_storage: NodeCount,
    /// Database shards: the larger of the two, and at least one when the database has any load.
    pub db_shards: NodeCount,
    /// Read replicas in each shard, with spares (a spare replica is the primary's standby).
    pub db_replicas_per_shard: NodeCount,
    /// Database nodes to run: every shard's primary and replicas.
    pub db_nodes: NodeCount,
    /// Peak messages per second published to the queue.
    pub peak_queue_msgs_per_second: f64,
    /// Queue partitions the peak messages need; 0 when writes publish nothing.
    pub queue_partitions: NodeCount,
    /// Bytes stored per year, with replication.
    pub storage_bytes_per_year: f64,
    /// Bytes stored at the end of the retention period, with replication.
    pub storage_bytes_total: f64,
    /// Average ingress (bytes written per second).
    pub ingress_bytes_per_second: f64,
    /// Peak ingress.
    pub peak_ingress_bytes_per_second: f64,
    /// Average egress (bytes read per second).
    pub egress_bytes_per_second: f64,
    /// Peak egress.
    pub peak_egress_bytes_per_second: f64,
    /// Average egress the CDN's edges serve.
    pub edge_egress_bytes_per_second: f64,
    /// Average egress left to the origin.
    pub origin_egress_bytes_per_second: f64,
    /// Peak egress left to the origin: what the web tier's network cards carry.
    pub peak_origin_egress_bytes_per_second: f64,
    /// The spare-capacity rule applied to every tier.
    pub spare: Spare,
}

/// Runs the capacity calculator.
///
/// # Formula
/// ```text
/// w = U × a_w / 86,400           average writes/s      W = w × p   peak writes/s
/// r = U × a_r / 86,400           average reads/s       R = r × p   peak reads/s
/// web   = spare(max(⌈ (R + W) / (C_web × u) ⌉, network bound))   the web tier serves reads
///                                                   and writes; network: bounds::web_servers_for_network
/// cache = spare(max(⌈ R / (C_cache × u) ⌉, ⌈ WS / (M × u) ⌉))  every read looks in the cache;
///                                                   WS working set, M memory per node
/// db    = shards × spare(nodes per shard), see bounds::database_nodes; with one shard and one
///         capacity for writes and reads it is spare(⌈ (W + R × (1 − h)) / (C_db × u) ⌉):
///         writes always reach the database, reads only on a cache miss
/// queue partitions = ⌈ W × m / (C_part × u) ⌉     m messages per write
/// storage/year = U × a_w × s_w × D × k        total = storage/year × Y
/// ingress = w × s_w (peak W × s_w)             egress = r × s_r (peak R × s_r)
/// edge egress = egress × c                     origin egress = egress × (1 − c)
///   U daily users, a_w / a_r writes / reads per user per day, p peak factor,
///   C per-node capacity, u target utilization, h cache hit ratio, s_w bytes per write,
///   s_r bytes per read, k replication factor, D days per year (365 in the chapter),
///   Y retention years, c CDN hit ratio (share of read bytes)
/// Source: the chapter, section 10 "Estimation Framework", "Back-of-Envelope Numbers" and
/// "Example Calculation"; section 7 "CDN Benefits" for the edge
/// ```
///
/// # Examples
/// ```
/// use headroom::capacity::{calculate, CapacityInput, CapacityParams, Spare};
/// let input = CapacityInput::new(CapacityParams {
///     daily_active_users: 100e6, writes_per_user_per_day: 0.5, reads_per_user_per_day: 10.0,
///     peak_factor: 10.0, bytes_per_write: 500.0, bytes_per_read: 10_000.0,
///     utilization: 1.0, cache_hit_ratio: 0.9, spare: Spare::None,
///     ..CapacityParams::chapter()
/// }).unwrap();
/// let report = calculate(&input);
/// assert_eq!(report.web_servers, 13);
/// assert_eq!(report.cache_nodes, 2);
/// assert_eq!(report.db_shards, 1);
/// assert_eq!(report.db_replicas_per_shard, 1);
/// assert_eq!(report.db_nodes, 2);
/// ```
pub fn calculate(input: &CapacityInput) -> CapacityReport {
    let users = input.daily_active_users;
    let peak = input.peak_factor;
    let write_qps = average_qps(users, input.writes_per_user_per_day);
    let read_qps = average_qps(users, input.reads_per_user_per_day);
    let peak_write_qps = write_qps * peak;
    let peak_read_qps = read_qps * peak;
    let util = input.utilization;
    let spare = input.spare;

    let peak_web_rps = peak_read_qps + peak_write_qps;
    let peak_cache_ops = peak_read_qps;
    let peak_db_reads = peak_read_qps * (1.0 - input.cache_hit_ratio);
    let peak_db_qps = peak_write_qps + peak_db_reads;

    let storage_bytes_per_year = users
        * input.writes_per_user_per_day
        * input.bytes_per_write
        * input.days_per_year
        * input.replication_factor;
    let storage_bytes_total = storage_bytes_per_year * input.retention_years;

    let egress_bytes_per_second = read_qps * input.bytes_per_read;
    let peak_egress_bytes_per_second = peak_read_qps * input.bytes_per_read;
    let peak_ingress_bytes_per_second = peak_write_qps * input.bytes_per_write;
    let origin_share = 1.0 - input.cdn_hit_ratio;
    let peak_origin_egress_bytes_per_second = peak_egress_bytes_per_second * origin_share;

    let (web_servers_for_requests, web_servers_for_network, web_servers) = web_tier(
        input,
        peak_web_rps,
        peak_origin_egress_bytes_per_second,
        peak_ingress_bytes_per_second,
    );

    let cache_working_set_bytes = bounds::working_set(input);
    let cache_nodes_for_ops = nodes_for(peak_cache_ops, input.cache_ops_per_node, util);
    let cache_nodes_for_memory = input
        .cache_memory_per_node
        .map_or(NodeCount::from_f64(0.0), |memory| {
            nodes_for(cache_working_set_bytes, memory, util)
        });

    let db = database_nodes(
        peak_write_qps,
        peak_db_reads,
        bounds::database_bytes(input),
        input,
    );
    let peak_queue_msgs_per_second = peak_write_qps * input.messages_per_write;

    CapacityReport {
        write_qps,
        peak_write_qps,
        read_qps,
        peak_read_qps,
        peak_web_rps,
        web_servers_for_requests,
        web_servers_for_network,
        web_servers,
        web_servers_reads_only: nodes_for(peak_read_qps, input.web_rps_per_node, 1.0),
        peak_cache_ops,
        cache_nodes_for_ops,
        cache_working_set_bytes,
        cache_nodes_for_memory,
        cache_nodes: cache_nodes_for_ops
            .max(cache_nodes_for_memory)
            .with_spare(spare),
        peak_db_qps,
        db_shards_for_writes: db.shards_for_writes,
        db_shards_for_storage: db.shards_for_storage,
        db_shards: db.shards,
        db_replicas_per_shard: db.replicas_per_shard,
        db_nodes: db.nodes,
        peak_queue_msgs_per_second,
        queue_partitions: nodes_for(
            peak_queue_msgs_per_second,
            input.partition_msgs_per_second,
            util,
        ),
        storage_bytes_per_year,
        storage_bytes_total,
        ingress_bytes_per_second: write_qps * input.bytes_per_write,
        peak_ingress_bytes_per_second,
        egress_bytes_per_second,
        peak_egress_bytes_per_second,
        edge_egress_bytes_per_second: egress_bytes_per_second * input.cdn_hit_ratio,
        origin_egress_bytes_per_second: egress_bytes_per_second * origin_share,
        peak_origin_egress_bytes_per_second,
        spare,
    }
}

/// The traces of [`calculate`]'s figures, from the same inputs and constants, keyed by the
/// figure's path in the report.
pub(crate) fn explain(input: &CapacityInput, c: &CapacityReport, out: &mut Entries<String>) {
    let (writes, reads) = (input.writes_per_user_per_day, input.reads_per_user_per_day);
    // Figures that appear in several traces are formatted once.
    let users = format_si(input.daily_active_users);
    let day = format_count(SECONDS_PER_DAY);
    let peak = format_count(input.peak_factor);
    let util = format_count(input.utilization);
    let (write_rate, read_rate) = (rate(c.write_qps), rate(c.read_qps));

    out.push(
        "capacity.write_qps",
        text!(
            "{users} × {} / {day} s = {write_rate}",
            format_count(writes)
        ),
    );
    out.push(
        "capacity.peak_write_qps",
        text!("{write_rate} × {peak} = {}", rate(c.peak_write_qps)),
    );
    out.push(
        "capacity.read_qps",
        text!("{users} × {} / {day} s = {read_rate}", format_count(reads)),
    );
    out.push(
        "capacity.peak_read_qps",
        text!("{read_rate} × {peak} = {}", rate(c.peak_read_qps)),
    );
    bounds::explain_tiers(input, c, &util, out);
    let per_year = format_bytes(c.storage_bytes_per_year);
    out.push(
        "capacity.storage_bytes_per_year",
        text!(
            "{users} × {} × {} × {} d × {} copies = {per_year}",
            format_count(writes),
            format_bytes(input.bytes_per_write),
            format_count(input.days_per_year),
            format_count(input.replication_factor),
        ),
    );
    out.push(
        "capacity.storage_bytes_total",
        text!(
            "{per_year} per year × {} years = {}",
            format_count(input.retention_years),
            format_bytes(c.storage_bytes_total)
        ),
    );
    out.push(
        "capacity.ingress_bytes_per_second",
        text!(
            "{write_rate} × {} = {} (peak {})",
            format_bytes(input.bytes_per_write),
            format_bytes_per_second(c.ingress_bytes_per_second),
            format_bytes_per_second(c.peak_ingress_bytes_per_second)
        ),
    );
    out.push(
        "capacity.egress_bytes_per_second",
        text!(
            "{read_rate} × {} = {} (peak {})",
            format_bytes(input.bytes_per_read),
            format_bytes_per_second(c.egress_bytes_per_second),
            format_bytes_per_second(c.peak_egress_bytes_per_second)
        ),
    );
    bounds::explain_cdn(input, c, out);
}

/// One point of the "servers per tier as users grow" curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrowthPoint {
    /// Multiple of today's daily users.
    pub multiplier: f64,
    /// Web servers at that size.
    pub web_servers: NodeCount,
    /// Cache nodes at that size.
    pub cache_nodes: NodeCount,
    /// Database nodes at that size.
    pub db_nodes: NodeCount,
}

/// Servers per tier when daily users grow by each of `multipliers`.
pub fn growth_curve(input: &CapacityInput, multipliers: &[f64]) -> Vec<GrowthPoint> {
    multipliers
        .iter()
        .map(|&multiplier| {
            let report = calculate(&input.scaled_users(multiplier));
            GrowthPoint {
                multiplier,
                web_servers: report.web_servers,
                cache_nodes: report.cache_nodes,
                db_nodes: report.db_nodes,
            }
        })
        .collect()
}

/// The web tier for peak loads: servers for the requests, for the network, and the larger of
/// the two with the spares (see [`nodes_for`] and [`web_servers_for_network`]).
fn web_tier(
    input: &CapacityInput,
    peak_web_rps: f64,
    peak_origin_egress: f64,
    peak_ingress: f64,
) -> (NodeCount, NodeCount, NodeCount) {
    let util = input.utilization;
    let for_requests = nodes_for(peak_web_rps, input.web_rps_per_node, util);
    let for_network = web_servers_for_network(
        peak_origin_egress,
        peak_ingress,
        input.nic_bytes_per_second,
        util,
    );
    let total = for_requests.max(for_network).with_spare(input.spare);
    (for_requests, for_network, total)
}

/// The web servers `input` needs when its whole load is `factor` × `today`'s (`today` being
/// `calculate(input)`): every peak load is proportional to the daily users, so this is
/// `calculate(&input.scaled_users(factor)).web_servers` without the rest of the plan.
pub fn web_servers_scaled(input: &CapacityInput, today: &CapacityReport, factor: f64) -> NodeCount {
    web_tier(
        input,
        today.peak_web_rps * factor,
        today.peak_origin_egress_bytes_per_second * factor,
        today.peak_ingress_bytes_per_second * factor,
    )
    .2
}

/// Growth multipliers 1×..100× on a 1-2-5 scale, for the growth chart.
pub const GROWTH_MULTIPLIERS: [f64; 7] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_rel;
    use proptest::prelude::*;

    /// The chapter's example (section 10), with a 90% cache hit ratio and 10 kB per read.
    pub(crate) fn chapter_params() -> CapacityParams {
        CapacityParams::chapter()
    }

    fn report_for(p: CapacityParams) -> CapacityReport {
        calculate(&CapacityInput::new(p).expect("valid test input"))
    }

    #[test]
    fn chapter_example_qps() {
        let r = report_for(chapter_params());
        // Hand calculation: 100e6 × 0.5 / 86,400 = 578.7037…; × 10 = 5,787.037…
        assert_rel(r.write_qps, 578.703_703_7, 1e-9);
        assert_rel(r.peak_write_qps, 5_787.037_037, 1e-9);
        // 100e6 × 10 / 86,400 = 11,574.074…; × 10 = 115,740.74…
        assert_rel(r.read_qps, 11_574.074_074, 1e-9);
        assert_rel(r.peak_read_qps, 115_740.740_74, 1e-9);
    }

    #[test]
    fn chapter_example_servers() {
        let r = report_for(chapter_params());
        // The chapter: "12 servers for peak reads" = ⌈115,741 / 10,000⌉.
        assert_eq!(r.web_servers_reads_only, 12);
        // The chapter's count stays its own at any utilization and redundancy: at 50% with N+1
        // the plan is ⌈121,528 / 5,000⌉ + 1 = 25 + 1 = 26, the chapter's still 12.
        let planned = report_for(CapacityParams {
            utilization: 0.5,
            spare: Spare::NPlusOne,
            ..chapter_params()
        });
        assert_eq!(planned.web_servers_reads_only, 12);
        assert_eq!(planned.web_servers, 26);
        assert_eq!(planned.web_servers.of("server"), "26 servers");
        assert_eq!(NodeCount::from_f64(1.0).of("server"), "1 server");
        assert_eq!(
            NodeCount::from_f64(f64::INFINITY).of("node"),
            "more than 1,000,000,000,000 nodes"
        );
        // Reads + writes: ⌈(115,741 + 5,787) / 10,000⌉ = ⌈12.15⌉ = 13.
        assert_eq!(r.web_servers, 13);
        // The chapter: "2 Redis nodes for reads" = ⌈115,741 / 100,000⌉.
        assert_eq!(r.cache_nodes, 2);
        // DB: 5,787 + 115,741 × 0.1 = 17,361 q/s over 10,000 → 2 nodes.
        assert_rel(r.peak_db_qps, 17_361.111, 1e-6);
        assert_eq!(r.db_nodes, 2);
    }

    #[test]
    fn chapter_example_storage() {
        let r = report_for(chapter_params());
        // 100M × 0.5 × 500 B × 365 = 9.125e12 B (the chapter's "~9 TB/year").
        assert_rel(r.storage_bytes_per_year, 9.125e12, 1e-12);
        assert_rel(r.storage_bytes_total, 9.125e12, 1e-12);
    }

    #[test]
    fn storage_per_year_uses_the_year_length() {
        // Issue 18: year_days was ignored. 100M × 0.5 × 500 B = 2.5e10 B a day (hand
        // computation); × 365.25 = 9.13125e12; × 365.2425 = 9.1310625e12.
        for (days, bytes) in [(365.25, 9.131_25e12), (365.242_5, 9.131_062_5e12)] {
            let r = report_for(CapacityParams {
                days_per_year: days,
                ..chapter_params()
            });
            assert_rel(r.storage_bytes_per_year, bytes, 1e-12);
        }
    }

    #[test]
    fn replication_and_retention_multiply_storage() {
        // 3 copies for 5 years: 9.125e12 × 3 × 5 = 1.36875e14 B.
        let r = report_for(CapacityParams {
            replication_factor: 3.0,
            retention_years: 5.0,
            ..chapter_params()
        });
        assert_rel(r.storage_bytes_per_year, 2.7375e13, 1e-12);
        assert_rel(r.storage_bytes_total, 1.36875e14, 1e-12);
    }

    #[test]
    fn bandwidth() {
        let r = report_for(chapter_params());
        // Ingress: 578.70 writes/s × 500 B = 289,351.85 B/s; peak × 10.
        assert_rel(r.ingress_bytes_per_second, 289_351.851_85, 1e-9);
        assert_rel(r.peak_ingress_bytes_per_second, 2_893_518.518_5, 1e-9);
        // Egress: 11,574.07 reads/s × 10,000 B = 115.74 MB/s; peak 1.157 GB/s.
        assert_rel(r.egress_bytes_per_second, 115_740_740.74, 1e-9);
        assert_rel(r.peak_egress_bytes_per_second, 1_157_407_407.4, 1e-9);
    }

    #[test]
    fn utilization_and_spares() {
        // At 70% utilization each web node effectively serves 7,000 req/s:
        // ⌈121,527.8 / 7,000⌉ = ⌈17.36⌉ = 18; N+1 → 19; 2N → 36.
        let at70 = CapacityParams {
            utilization: 0.7,
            ..chapter_params()
        };
        assert_eq!(report_for(at70.clone()).web_servers, 18);
        let n1 = report_for(CapacityParams {
            spare: Spare::NPlusOne,
            ..at70.clone()
        });
        assert_eq!(n1.web_servers, 19);
        // Cache at 70%: ⌈115,741 / 70,000⌉ = 2, +1 = 3.
        assert_eq!(n1.cache_nodes, 3);
        let two_n = report_for(CapacityParams {
            spare: Spare::TwoN,
            ..at70
        });
        assert_eq!(two_n.web_servers, 36);
    }

    #[test]
    fn exact_multiples_do_not_round_up() {
        // 20,000 / 10,000 is exactly 2 nodes, even though 0.7-style factors can drift.
        assert_eq!(nodes_for(20_000.0, 10_000.0, 1.0), 2);
        assert_eq!(nodes_for(14_000.0, 10_000.0, 0.7), 2);
        assert_eq!(nodes_for(14_000.1, 10_000.0, 0.7), 3);
        assert_eq!(nodes_for(0.0, 10_000.0, 1.0), 0);
    }

    #[test]
    fn any_load_needs_a_node_and_a_load_above_n_nodes_needs_n_plus_1() {
        // Issue 18. 1e-6 req/s on 10,000 req/s nodes is 1e-10 of a node: ⌈1e-10⌉ = 1 (it was 0).
        assert_eq!(nodes_for(1e-6, 10_000.0, 1.0), 1);
        // 20,000.001 req/s is 2.0000001 nodes: ⌈⌉ = 3 (it was snapped to 2; 5e-8 relative is
        // far above the 32u ≈ 3.6e-15 bound of src/math.rs).
        assert_eq!(nodes_for(20_000.001, 10_000.0, 1.0), 3);
        // The same through the calculator: 1 user writing once a day is 1.16e-5 req/s.
        let r = report_for(CapacityParams {
            daily_active_users: 1.0,
            reads_per_user_per_day: 0.0,
            writes_per_user_per_day: 1.0,
            peak_factor: 1.0,
            ..chapter_params()
        });
        assert_eq!(
            (r.web_servers.get(), r.cache_nodes.get(), r.db_nodes.get()),
            (Some(1), Some(0), Some(1))
        );
    }

    #[test]
    fn cache_hit_ratio_moves_reads_off_the_database() {
        // No cache hits: every read reaches the DB: 5,787 + 115,741 = 121,528 → 13 nodes.
        let r = report_for(CapacityParams {
            cache_hit_ratio: 0.0,
            ..chapter_params()
        });
        assert_eq!(r.db_nodes, 13);
        // All hits: only writes: ⌈5,787 / 10,000⌉ = 1.
        let r = report_for(CapacityParams {
            cache_hit_ratio: 1.0,
            ..chapter_params()
        });
        assert_eq!(r.db_nodes, 1);
    }

    #[test]
    fn rejects_bad_inputs() {
        let bad = [
            CapacityParams {
                daily_active_users: -1.0,
                ..chapter_params()
            },
            CapacityParams {
                daily_active_users: f64::NAN,
                ..chapter_params()
            },
            CapacityParams {
                web_rps_per_node: 0.0,
                ..chapter_params()
            },
            CapacityParams {
                utilization: 0.0,
                ..chapter_params()
            },
            CapacityParams {
                utilization: 1.5,
                ..chapter_params()
            },
            CapacityParams {
                cache_hit_ratio: 1.1,
                ..chapter_params()
            },
            CapacityParams {
                peak_factor: 0.5,
                ..chapter_params()
            },
        ];
        for params in bad {
            let err = CapacityInput::new(params).expect_err("must be rejected");
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn growth_curve_scales_users() {
        let input = CapacityInput::new(chapter_params()).expect("valid");
        let curve = growth_curve(&input, &GROWTH_MULTIPLIERS);
        assert_eq!(curve.len(), 7);
        // 10× users: ⌈1,215,278 / 10,000⌉ = 122 web servers.
        assert_eq!(curve[3].web_servers, 122);
        assert_eq!(curve[0].web_servers, 13);
    }

    proptest! {
        #[test]
        fn more_users_never_need_fewer_servers_or_less_storage(
            users in 0.0f64..1e10, factor in 1.0f64..100.0, util in 0.01f64..=1.0,
            hit in 0.0f64..=1.0,
        ) {
            let base = CapacityParams {
                daily_active_users: users, utilization: util, cache_hit_ratio: hit,
                ..chapter_params()
            };
            let grown = CapacityParams { daily_active_users: users * factor, ..base.clone() };
            let (a, b) = (report_for(base), report_for(grown));
            prop_assert!(b.web_servers.to_f64() >= a.web_servers.to_f64());
            prop_assert!(b.cache_nodes.to_f64() >= a.cache_nodes.to_f64());
            // Database nodes are rounded per shard, so a shard added for writes can save a
            // replica (see bounds::database_nodes): the shards grow, and the nodes never fall
            // below the single pool ⌈(W + R') / (C × u)⌉.
            prop_assert!(b.db_shards.to_f64() >= a.db_shards.to_f64());
            prop_assert!(b.db_nodes.to_f64() >= nodes_for(b.peak_db_qps, 10_000.0, util).to_f64());
            prop_assert!(b.storage_bytes_per_year >= a.storage_bytes_per_year);
        }

        #[test]
        fn any_finite_input_is_validated_without_panic(
            values in proptest::collection::vec(proptest::num::f64::ANY, 25)
        ) {
            let p = CapacityParams {
                daily_active_users: values[0], writes_per_user_per_day: values[1],
                reads_per_user_per_day: values[2], peak_factor: values[3],
                bytes_per_write: values[4], bytes_per_read: values[5],
                replication_factor: values[6], retention_years: values[7],
                web_rps_per_node: values[8], cache_ops_per_node: values[9],
                db_qps_per_node: values[10], utilization: values[11],
                cache_hit_ratio: values[12], spare: Spare::TwoN, days_per_year: values[13],
                db_write_qps_per_node: values[14], db_read_qps_per_node: values[15],
                shard_bytes: Some(values[16]), cache_memory_per_node: Some(values[17]),
                cache_working_set: Some(values[18]), hot_share: values[19],
                nic_bytes_per_second: values[20], cdn_hit_ratio: values[21],
                messages_per_write: values[22], partition_msgs_per_second: values[23],
            };
            if let Ok(input) = CapacityInput::new(p) {
                let _ = calculate(&input);
            }
        }
    }
}
