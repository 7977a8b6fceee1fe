//! The field table: one line per input, from which the scenario struct, its defaults, the query
//! codec and the UI's forms are all generated, so a field cannot be added to one and forgotten in
//! another.

use super::choices::{
    AutoscalePattern, DurationShape, ObservedSizing, PlanAt, QueueGoal, RateLimitPattern,
};
use super::value::{FieldRead, FieldValue};
use super::{FieldError, FieldSpec};
use crate::autoscale::{HpaPolicy, OutsideSeries, Overflow};
use crate::availability::{MonthLength, Period, Tier, YearLength};
use crate::capacity::{Spare, YearMonth};
use crate::cost::Arch;
use crate::cost::catalog::{Purchase, Region};
use crate::cost::fleet::{ApiGateway, StorageClass};
use crate::cost::plan::{CacheType, DbType, WebType};
use crate::loadbalance::ServerSpec;
use crate::ratelimit::{Counting, Routing, WindowStart};
use crate::traffic::Observed as ObservedTraffic;
use crate::uncertainty::Baseline;
use crate::uncertainty::{Ranges, Spread};

/// How a field's text is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A non-negative count with optional suffix: `100M`, `1.5k`.
    Count,
    /// A whole number: `3`, `1k`.
    Integer,
    /// A plain signed number.
    Number,
    /// A size in bytes: `500 B`, `2 KiB`, `9.1 TB`.
    Bytes,
    /// A rate in bytes per second: `100 MB/s`, `1 GB/s`.
    ByteRate,
    /// A duration stored in milliseconds: `200`, `200ms`, `1.5 s`.
    Millis,
    /// A duration stored in seconds: `1200`, `20 min`, `1 h`.
    Seconds,
    /// A percentage: `99.99`, `99.99%`, `4 nines`.
    Percent,
    /// A ratio in [0, 1]: `0.7`, `70%`.
    Fraction,
    /// A price in US dollars: `$0.0416`.
    Usd,
    /// One of a fixed set of texts.
    Choice,
    /// Yes or no.
    Flag,
    /// Structured text with its own codec.
    Text,
}

/// The page and form section a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Users and their actions.
    Traffic,
    /// Bytes per action, replication and retention.
    Storage,
    /// What one node of each tier handles.
    Nodes,
    /// The chapter's other bounds: shards and replicas, cache memory, network, queues, CDN.
    Bounds,
    /// Growth over months and what runs today (the runway).
    Growth,
    /// Availability target and time convention.
    Availability,
    /// Downtime budget to availability target (the reverse direction).
    Reverse,
    /// The chain of tiers for composite availability.
    Composite,
    /// Serverless and instance pricing.
    Cost,
    /// Traffic imported from a file: what it says, and whether the plan sizes from it.
    Observed,
    /// How the capacity plan's fleet is bought: region, node types, purchase option.
    Fleet,
    /// The M/M/c queueing model.
    Queueing,
    /// The Kubernetes HPA simulator.
    Autoscale,
    /// The rate-limiting simulator.
    RateLimit,
    /// The load-balancing simulator.
    LoadBalance,
    /// How ranges are sampled and which percentile the plan is read at.
    Sampling,
    /// The scenario compared against.
    Compare,
}

const fn spec(
    group: Group,
    kind: Kind,
    min: f64,
    max: f64,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
) -> FieldSpec {
    FieldSpec {
        key: "",
        label,
        unit,
        help,
        kind,
        min,
        max,
        min_exclusive: false,
        group,
        choices: &[],
        number: false,
    }
}

const fn above(mut s: FieldSpec) -> FieldSpec {
    s.min_exclusive = true;
    s
}

/// A choice field; its options come from its enum (see [`crate::choice::Choice`]).
const fn choice(group: Group, label: &'static str, help: &'static str) -> FieldSpec {
    FieldSpec {
        key: "",
        label,
        unit: "",
        help,
        kind: Kind::Choice,
        min: 0.0,
        max: 0.0,
        min_exclusive: false,
        group,
        choices: &[],
        number: false,
    }
}

/// The default chain of tiers: the chapter's "After: Redundant" diagram (section 9): two load
/// balancers, two app servers, a primary database with a standby. Per-replica availabilities are
/// typical published SLAs of single instances; change them to yours.
pub const DEFAULT_TIERS: &str = "lb:99.99:2/1,app:99.9:2/1,db:99.95:ap:30s:1h";

macro_rules! fields {
    ($( $(#[doc = $doc:literal])* $key:ident : $ty:ty = $default:expr => $spec:expr ; )*) => {
        /// A complete, valid scenario: every input of every calculator. Build it with
        /// [`Scenario::default`] (the chapter's example) or from a query with
        /// [`Scenario::from_query`]; change it with [`Scenario::set`], which validates.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Scenario {
            $( $key: $ty, )*
            /// The fields given as ranges; each such field above holds its range's middle.
            ranges: Ranges,
        }

        impl Default for Scenario {
            fn default() -> Self {
                Self { $( $key: $default, )* ranges: Ranges::default() }
            }
        }

        /// Every field, in canonical order.
        pub static FIELDS: &[FieldSpec] = &[
            $( FieldSpec {
                key: stringify!($key),
                choices: <$ty as FieldValue>::CHOICES,
                number: <$ty as FieldValue>::NUMBER,
                ..$spec
            }, )*
        ];

        impl Scenario {
            $(
                $(#[doc = $doc])*
                pub fn $key(&self) -> <$ty as FieldRead>::Out<'_> {
                    self.$key.read()
                }
            )*

            /// Sets the field `key` from text.
            ///
            /// # Errors
            /// A [`FieldError`] naming the field when the key is unknown or the value is not
            /// allowed; the scenario is then unchanged.
            pub fn set(&mut self, key: &str, raw: &str) -> Result<(), FieldError> {
                // Text fields have their own codecs (a baseline's query may hold ranges itself).
                if let Some(spec) = FieldSpec::find(key)
                    && spec.kind != Kind::Text
                    && Spread::is_range(raw)
                {
                    let spread = Spread::parse(raw, spec)
                        .map_err(|message| FieldError::new(key, message))?;
                    self.set_number(key, spread.mid)?;
                    self.ranges.insert(spec.key, spread);
                    return Ok(());
                }
                self.set_one(key, raw)?;
                self.ranges.remove(key);
                Ok(())
            }

            /// Sets the field `key`, a plain number, to `value`, keeping its range if it has one
            /// (a sample drawn from the range). The value is not checked against the field's
            /// bounds: it comes from a range whose ends were.
            ///
            /// # Errors
            /// A [`FieldError`] when `key` is not a plain number field.
            pub fn set_number(&mut self, key: &str, value: f64) -> Result<(), FieldError> {
                let slot = match key {
                    $( stringify!($key) => self.$key.as_number_mut(), )*
                    _ => None,
                };
                *slot.ok_or_else(|| FieldError::new(key, "is not a plain number"))? = value;
                Ok(())
            }

            /// The value of the field `key` as a plain number, if it is one.
            #[cfg(test)]
            pub(crate) fn number(&self, key: &str) -> Option<f64> {
                match key {
                    $( stringify!($key) => self.$key.as_number(), )*
                    _ => None,
                }
            }

            /// The fields given as ranges, in field order.
            pub fn ranges(&self) -> &Ranges {
                &self.ranges
            }

            /// Sets one field from text, as a single value.
            fn set_one(&mut self, key: &str, raw: &str) -> Result<(), FieldError> {
                match key {
                    $(
                        stringify!($key) => {
                            let spec = &FIELDS_BY_NAME.$key;
                            self.$key = <$ty as FieldValue>::parse_field(raw, spec)
                                .map_err(|message| FieldError::new(key, message))?;
                            Ok(())
                        }
                    )*
                    _ => Err(FieldError::new(key, "is not a known field")),
                }
            }

            /// The fields that differ from `base`, in declaration order, as canonical text.
            pub(super) fn pairs_differing_from(&self, base: &Scenario) -> Vec<(&'static str, String)> {
                let mut out = Vec::new();
                $(
                    if self.$key != base.$key {
                        out.push((stringify!($key), self.$key.to_field_text(&FIELDS_BY_NAME.$key)));
                    }
                )*
                self.write_ranges(&mut out);
                out
            }

            /// Every field by key as a typed JSON value, in declaration order.
            pub fn typed_values(&self) -> Vec<(&'static str, serde_json::Value)> {
                vec![ $( (stringify!($key), self.$key.to_json(&FIELDS_BY_NAME.$key)), )* ]
            }

            /// The canonical text of the field `key`, or `None` for an unknown key.
            pub fn field_text(&self, key: &str) -> Option<String> {
                if let Some(range) = self.ranges.get(key) {
                    return FieldSpec::find(key).map(|spec| range.to_text(spec));
                }
                match key {
                    $( stringify!($key) => Some(self.$key.to_field_text(&FIELDS_BY_NAME.$key)), )*
                    _ => None,
                }
            }
        }

        #[allow(non_snake_case, dead_code)]
        struct FieldsByName { $( $key: FieldSpec, )* }

        static FIELDS_BY_NAME: FieldsByName = FieldsByName {
            $( $key: FieldSpec {
                key: stringify!($key),
                choices: <$ty as FieldValue>::CHOICES,
                number: <$ty as FieldValue>::NUMBER,
                ..$spec
            }, )*
        };
    };
}

use Group::*;
use Kind::*;

fields! {
    /// Daily active users.
    dau: f64 = 100e6 => spec(Traffic, Count, 0.0, 1e11, "Daily active users", "users",
        "People who use the product on a given day");
    /// Writes per user per day.
    writes: f64 = 0.5 => spec(Traffic, Count, 0.0, 1e6, "Writes per user", "per day",
        "Posts, uploads, updates: anything stored");
    /// Reads per user per day.
    reads: f64 = 10.0 => spec(Traffic, Count, 0.0, 1e6, "Reads per user", "per day",
        "Page or timeline views, API reads");
    /// Peak-to-average traffic factor.
    peak: f64 = 10.0 => spec(Traffic, Count, 1.0, 1_000.0, "Peak factor", "× average",
        "Busiest second over the average second; 2-3 for smooth days, 10 for spiky ones");
    /// Observed traffic: the figures of an imported series and its average day, as a link
    /// carries them (see `crate::traffic`); empty without an import.
    obs: Option<ObservedTraffic> = None => spec(Observed, Text, 0.0, 0.0, "Observed traffic", "",
        "Set by importing a CSV or Prometheus file: its figures and average day");
    /// Whether the capacity plan sizes from the observed traffic, and at which rate.
    obs_size: ObservedSizing = ObservedSizing::Max => choice(Traffic, "Size from observed traffic",
        "The observed mean replaces users × actions; its peak (highest rate or p99) replaces the peak factor");
    /// Bytes stored per write.
    size: f64 = 500.0 => spec(Storage, Bytes, 0.0, 1e12, "Bytes per write", "bytes",
        "Stored per write; also the ingress per write. 500 B is a short post");
    /// Bytes sent per read.
    read_size: f64 = 10_000.0 => spec(Storage, Bytes, 0.0, 1e12, "Bytes per read", "bytes",
        "Egress per read: a timeline page of 20 posts × 500 B is 10 kB");
    /// Storage replication factor.
    repl: f64 = 1.0 => spec(Storage, Count, 1.0, 100.0, "Replication factor", "copies",
        "Copies of every byte; 3 is common for durable stores");
    /// Retention in years.
    years: f64 = 1.0 => spec(Storage, Count, 0.0, 100.0, "Retention", "years",
        "How long data is kept");
    /// Requests per second one web server handles.
    web_rps: f64 = 10_000.0 => above(spec(Nodes, Count, 0.0, 1e9, "Web server capacity", "req/s",
        "The chapter: 1,000-10,000 req/s for one web server"));
    /// Mean time a web server spends on one request, ms (for the queueing-aware count).
    web_ms: f64 = 10.0 => above(spec(Nodes, Millis, 0.0, 60_000.0, "Web request time", "ms",
        "Mean service time; with the capacity it gives the workers per server"));
    /// Operations per second one cache node handles.
    cache_ops: f64 = 100_000.0 => above(spec(Nodes, Count, 0.0, 1e10, "Cache node capacity",
        "ops/s", "The chapter: Redis does 100,000+ ops/s on one node"));
    /// Queries per second one database node handles.
    db_qps: f64 = 10_000.0 => above(spec(Nodes, Count, 0.0, 1e9, "Database node capacity", "q/s",
        "The chapter: PostgreSQL does 10,000-50,000 simple queries/s"));
    /// Target utilization per node.
    util: f64 = 0.7 => above(spec(Nodes, Fraction, 0.0, 1.0, "Target utilization", "",
        "Share of a node's capacity to plan for; 0.7 leaves 30% for spikes (the chapter's example uses 1)"));
    /// Share of reads answered by the cache.
    hit: f64 = 0.9 => spec(Nodes, Fraction, 0.0, 1.0, "Cache hit ratio", "",
        "Reads the cache answers; misses and all writes reach the database");
    /// Spare nodes per tier.
    spare: Spare = Spare::NPlusOne => choice(Nodes, "Redundancy",
        "N+1 survives one node failure at full capacity; 2N survives losing half");
    /// Writes per second one database primary takes (empty: the database node capacity).
    db_write_qps: Option<f64> = None => above(spec(Bounds, Count, 0.0, 1e9,
        "Primary write capacity", "writes/s",
        "Writes one shard's primary takes; empty: the database node capacity"));
    /// Reads per second one database replica serves (empty: the database node capacity).
    db_read_qps: Option<f64> = None => above(spec(Bounds, Count, 0.0, 1e9,
        "Replica read capacity", "reads/s",
        "Reads one replica serves; empty: the database node capacity"));
    /// The most one shard should hold, bytes (empty: no storage bound).
    shard_bytes: Option<f64> = None => above(spec(Bounds, Bytes, 0.0, 1e18, "Most per shard",
        "bytes", "Data one shard should hold at most, e.g. 2 TB; empty: no storage bound"));
    /// Usable memory per cache node, bytes (empty: the cache is sized by operations alone).
    cache_mem: Option<f64> = None => above(spec(Bounds, Bytes, 0.0, 1e15, "Cache node memory",
        "bytes", "Usable memory of one cache node, e.g. 64 GiB; empty: no memory bound"));
    /// The cache's working set, bytes (empty: `hot` × the bytes read in a day).
    cache_ws: Option<f64> = None => spec(Bounds, Bytes, 0.0, 1e24, "Working set", "bytes",
        "Bytes the cache must hold; empty: the hot share of a day's read bytes");
    /// Share of a day's read bytes that is the working set, when it is not given.
    hot: f64 = 0.2 => spec(Bounds, Fraction, 0.0, 1.0, "Hot share", "",
        "Working set when none is given: this share of a day's read bytes (the 80/20 rule)");
    /// Usable network bandwidth of one web server each way, bytes per second.
    nic: f64 = 100e6 => above(spec(Bounds, ByteRate, 0.0, 1e12, "Network per server", "bytes/s",
        "The chapter: 1 Gbps is ~100 MB/s; each way, for egress and for ingress"));
    /// Share of read bytes the CDN's edges serve.
    cdn_hit: f64 = 0.0 => spec(Bounds, Fraction, 0.0, 1.0, "CDN hit ratio", "",
        "Share of read bytes served by the edge; the chapter: edges absorb 80-95%");
    /// Messages each write publishes to the queue.
    msgs_per_write: f64 = 0.0 => spec(Bounds, Count, 0.0, 1e6, "Messages per write", "messages",
        "Published to the queue by each write; 0: no queue");
    /// Messages per second one queue partition takes.
    partition_rate: f64 = 10_000.0 => above(spec(Bounds, Count, 0.0, 1e9, "Partition capacity",
        "msg/s", "The chapter: a Kafka partition takes 10,000+ msg/s"));
    // Growth and runway: the plan month by month, against what runs today.
    /// Compound growth of the load per month.
    growth: f64 = 0.0 => spec(Growth, Fraction, 0.0, 1.0, "Growth per month", "",
        "Compound: 5% a month is 1.05^12 = 1.8× a year; 0 keeps today's load");
    /// Months to plan after today.
    horizon: f64 = 24.0 => spec(Growth, Integer, 1.0, 120.0, "Horizon", "months",
        "How far ahead to plan, at most 120 months (ten years)");
    /// The calendar month of month 0 (empty: months are numbered from 0).
    start: Option<YearMonth> = None => spec(Growth, Text, 0.0, 0.0, "Starting month", "",
        "YYYY-MM, so months read as dates; empty numbers them from 0 (today)");
    /// Web servers running today (empty: not known).
    have_web: Option<f64> = None => spec(Growth, Integer, 0.0, 1e12, "Web servers running",
        "servers", "What runs today; empty: not known");
    /// Cache nodes running today (empty: not known).
    have_cache: Option<f64> = None => spec(Growth, Integer, 0.0, 1e12, "Cache nodes running",
        "nodes", "What runs today; empty: not known");
    /// Database nodes running today (empty: not known).
    have_db: Option<f64> = None => spec(Growth, Integer, 0.0, 1e12, "Database nodes running",
        "nodes", "What runs today; empty: not known");
    /// Storage provisioned today, bytes (empty: not known).
    have_storage: Option<f64> = None => spec(Growth, Bytes, 0.0, 1e24, "Storage provisioned",
        "bytes", "Usable bytes for the replicated data, e.g. 50 TB; empty: not known");
    /// Availability target, percent.
    slo: f64 = 99.99 => spec(Availability, Percent, 0.0, 100.0, "Availability target", "%",
        "Also accepts 4 nines");
    /// Length of a year.
    year_days: YearLength = YearLength::default() => choice(Availability, "Year",
        "The chapter and most SLA tables use 365 days");
    /// Length of a month.
    month: MonthLength = MonthLength::default() => choice(Availability, "Month",
        "A twelfth of a year gives the chapter's 43.8 min at 99.9%");
    /// Length of an outage, seconds, for the error budget.
    outage: f64 = 120.0 => spec(Availability, Seconds, 0.0, 1e9, "Outage", "s",
        "An incident's length, to see how much of the monthly budget it spends");
    /// Share of requests failing, for the burn rate.
    err_rate: f64 = 0.001 => spec(Availability, Fraction, 0.0, 1.0, "Failing requests", "",
        "Observed error rate; the burn rate is this over the budget (1 − target)");
    /// The chain of tiers for composite availability.
    tiers: Vec<Tier> = crate::availability::parse_tiers(DEFAULT_TIERS).unwrap_or_default() =>
        spec(Composite, Text, 0.0, 0.0, "Tiers", "",
        "name:availability%:n/k (k of n up), or name:availability%:ap:failover:repair");
    /// Downtime budget to turn into a target, seconds (empty: not asked).
    down: Option<f64> = None => spec(Reverse, Seconds, 0.0, 1e9, "Allowed downtime", "s",
        "e.g. 5 min, 1 h or 30 s; Headroom finds the target that allows it");
    /// The period of that downtime budget.
    down_per: Period = Period::Month => choice(Reverse, "Per",
        "The period the downtime budget is for");
    /// Serverless requests per month.
    req_month: f64 = 1e6 => spec(Cost, Count, 0.0, 1e15, "Requests per month", "requests",
        "Invocations of the function per month");
    /// Serverless duration per request, ms.
    dur_ms: f64 = 200.0 => above(spec(Cost, Millis, 0.0, 900_000.0, "Duration", "ms",
        "Billed time per invocation (at most 15 min)"));
    /// Serverless memory, MB.
    mem_mb: f64 = 256.0 => spec(Cost, Integer, 128.0, 10_240.0, "Memory", "MB",
        "Configured memory, 128 MB to 10,240 MB; CPU scales with it");
    /// Instance price per hour, USD.
    inst_hr: f64 = 0.0416 => spec(Cost, Usd, 0.0, 1_000.0, "Instance price", "USD/h",
        "t3.medium on demand is $0.0416/h");
    /// Always-on instances.
    inst_n: f64 = 3.0 => spec(Cost, Integer, 0.0, 100_000.0, "Instances", "instances",
        "Always-on instances behind a load balancer");
    /// Billed hours per month.
    hours: f64 = 720.0 => above(spec(Cost, Count, 0.0, 744.0, "Hours per month", "h",
        "720 h is 30 days; 730 h is a twelfth of a year"));
    /// Apply the serverless free tier.
    free_tier: bool = false => spec(Cost, Flag, 0.0, 0.0, "Free tier", "",
        "1M requests and 400,000 GB-s free each month");
    /// Serverless CPU architecture.
    arch: Arch = Arch::default() => choice(Cost, "Architecture", "Arm duration is 20% cheaper");
    /// Override: USD per million requests.
    p_req: Option<f64> = None => spec(Cost, Usd, 0.0, 1_000.0, "Price per 1M requests", "USD",
        "Leave empty for the price table ($0.20)");
    /// Override: USD per GB-second (first tier).
    p_gbs: Option<f64> = None => spec(Cost, Usd, 0.0, 1.0, "Price per GB-s", "USD",
        "Leave empty for the price table");
    /// The region the fleet is priced in.
    region: Region = Region::default() => choice(Fleet, "Region",
        "Prices differ by region; the catalog's gaps are named on the bill");
    /// How the fleet's nodes are bought.
    purchase: Purchase = Purchase::default() => choice(Fleet, "Purchase",
        "Commitment and spot discounts are stated assumptions, not quotes");
    /// The web tier's EC2 instance type.
    web_type: WebType = WebType::default() => choice(Fleet, "Web instance",
        "The type that serves the web server capacity you gave");
    /// The cache tier's ElastiCache node type.
    cache_type: CacheType = CacheType::default() => choice(Fleet, "Cache node",
        "The type that serves the cache node capacity you gave");
    /// The database tier's RDS instance type.
    db_type: DbType = DbType::default() => choice(Fleet, "Database instance",
        "The type that serves the database node capacity you gave");
    /// Where the stored bytes live.
    store: StorageClass = StorageClass::default() => choice(Fleet, "Storage",
        "Block volumes or object storage for the plan's stored bytes");
    /// The API Gateway in front of the web tier.
    api_gw: ApiGateway = ApiGateway::default() => choice(Fleet, "API Gateway",
        "In front of the web tier; serverless always has one (HTTP API if none)");
    /// Override: USD per web node-hour, on demand.
    web_usd_hr: Option<f64> = None => spec(Fleet, Usd, 0.0, 1_000.0, "Web price", "USD/h",
        "Leave empty for the catalog's on-demand price");
    /// Override: USD per cache node-hour, on demand.
    cache_usd_hr: Option<f64> = None => spec(Fleet, Usd, 0.0, 1_000.0, "Cache price", "USD/h",
        "Leave empty for the catalog's on-demand price");
    /// Override: USD per database node-hour, on demand.
    db_usd_hr: Option<f64> = None => spec(Fleet, Usd, 0.0, 1_000.0, "Database price", "USD/h",
        "Leave empty for the catalog's on-demand price");
    /// Queueing model: arrivals per second.
    q_rate: f64 = 700.0 => above(spec(Queueing, Count, 0.0, 1e9, "Arrival rate", "req/s",
        "Requests arriving per second (Poisson)"));
    /// Queueing model: mean service time, ms.
    q_service_ms: f64 = 10.0 => above(spec(Queueing, Millis, 0.0, 3.6e6, "Service time", "ms",
        "Mean time one worker spends on a request (exponential)"));
    /// Queueing model: servers (parallel workers).
    q_servers: f64 = 10.0 => spec(Queueing, Integer, 1.0, 100_000.0, "Servers", "workers",
        "Parallel workers; 700/s × 10 ms over 10 workers is the chapter's 70%");
    /// Queueing model: what the target bounds.
    q_target: QueueGoal = QueueGoal::P99 => choice(Queueing, "Target",
        "What the fewest-servers search must keep under the limit");
    /// Queueing model: the wait limit, ms.
    q_wait_ms: f64 = 20.0 => spec(Queueing, Millis, 0.0, 3.6e6, "Wait limit", "ms",
        "Largest acceptable queueing wait for the percentile or mean target");
    /// Queueing model: the largest acceptable probability of waiting.
    q_pwait: f64 = 0.2 => above(spec(Queueing, Fraction, 0.0, 1.0, "Probability of waiting", "",
        "For the probability target: share of requests that may wait at all"));

    // The simulators. Auto-scaling (prefix as_) runs the HPA v2 controller against seeded traffic.
    /// Auto-scaling: the traffic pattern.
    as_pattern: AutoscalePattern = AutoscalePattern::Day => choice(Autoscale, "Traffic",
        "Seeded and reproducible; the day runs from midnight, lowest at 04:00, peak at 20:00");
    /// Auto-scaling: the day's average, or the rate before a step, ramp, crowd or event, req/s.
    as_mean: f64 = 20_000.0 => spec(Autoscale, Count, 0.0, 1e6, "Base traffic", "req/s",
        "The day's average, or the rate before the step, ramp, crowd or event");
    /// Auto-scaling: peak over base (empty: the pattern's own).
    as_peak: Option<f64> = None => above(spec(Autoscale, Count, 0.0, 1_000.0, "Peak", "× base",
        "Empty: 3× for the day, a step or a ramp; 10× for a flash crowd; 5× for an event"));
    /// Auto-scaling: when the step, ramp, crowd or event starts, seconds into the run.
    as_at: f64 = 1_800.0 => spec(Autoscale, Seconds, 0.0, 604_800.0, "Starts at", "s",
        "When the step, ramp, crowd or event begins, e.g. 30 min (not used by the day)");
    /// Auto-scaling: run length, hours (empty: 168 for the observed week, 24 for a day, 2
    /// otherwise).
    as_hours: Option<f64> = None => spec(Autoscale, Count, 0.1, 168.0, "Run length", "h",
        "Empty: a week for the observed week, 24 h for a day, 2 h otherwise; at most a week");
    /// Auto-scaling: requests per second one pod serves at 100% CPU.
    as_pod_rps: f64 = 1_000.0 => spec(Autoscale, Count, 0.001, 1e9, "Pod capacity", "req/s",
        "Requests one pod serves at 100% CPU");
    /// Auto-scaling: seconds from a pod's creation until it takes traffic.
    as_startup: f64 = 60.0 => spec(Autoscale, Seconds, 0.0, 86_400.0, "Pod start-up", "s",
        "Scheduling, image pull, start-up and readiness probe, until a new pod serves");
    /// Auto-scaling: the last part of the start-up during which a pod is Running but not ready.
    as_unready: f64 = 0.0 => spec(Autoscale, Seconds, 0.0, 86_400.0, "Running, not ready", "s",
        "Last part of the start-up: containers up, readiness probe not passed; before it the pod is Pending");
    /// Auto-scaling: the controller's CPU initialization period, seconds.
    as_cpu_init: f64 = 300.0 => spec(Autoscale, Seconds, 0.0, 86_400.0, "CPU initialization period", "s",
        "--horizontal-pod-autoscaler-cpu-initialization-period (5 min): a new pod's CPU counts only once sampled ready");
    /// Auto-scaling: the controller's initial readiness delay, seconds.
    as_ready_delay: f64 = 30.0 => spec(Autoscale, Seconds, 0.0, 86_400.0, "Initial readiness delay", "s",
        "--horizontal-pod-autoscaler-initial-readiness-delay (30 s): later, a never-ready pod's CPU is set aside");
    /// Auto-scaling: age of the metrics the controller sees, seconds.
    as_lag: f64 = 30.0 => spec(Autoscale, Seconds, 0.0, 3_600.0, "Metric lag", "s",
        "How old the metrics are when the HPA reads them (scrape interval and window)");
    /// Auto-scaling: what happens to demand above the ready capacity.
    as_overflow: Overflow = Overflow::default() => choice(Autoscale, "Excess requests",
        "Demand above what the ready pods serve");
    /// Auto-scaling: price of one pod-hour, USD.
    as_usd: f64 = 0.0416 => spec(Autoscale, Usd, 0.0, 1e6, "Pod price", "USD/h",
        "One pod-hour; $0.0416 is a t3.medium on demand");
    /// Auto-scaling: random variation of the demand, as a share of the rate.
    as_noise: f64 = 0.05 => spec(Autoscale, Fraction, 0.0, 1.0, "Noise", "",
        "Standard deviation of the demand as a share of the rate; 0 for a clean curve");
    /// Auto-scaling: seed of the noise.
    as_seed: f64 = 42.0 => spec(Autoscale, Integer, 0.0, 9_007_199_254_740_991.0, "Seed", "",
        "The same seed gives the same run, on the server and in the browser");
    /// Auto-scaling: the HPA policy, compact (paste a manifest to set it).
    hpa: HpaPolicy = HpaPolicy::chapter_example() => spec(Autoscale, Text, 0.0, 0.0,
        "HPA policy", "",
        "min;max;metrics;up and down as window:select:Type/value/period;sync, or paste YAML below");
    /// Auto-scaling: the values of the policy's Object and External metrics over the run.
    as_ext: Vec<OutsideSeries> = Vec::new() => spec(Autoscale, Text, 0.0, 0.0,
        "Object and External metric values", "",
        "name=value is a constant; name=time:value,time:value holds each value until the next time, e.g. queue=0:10,30m:120; metrics apart with ;");

    // Rate limiting (prefix rl_): six algorithms on the same traffic of one client key.
    /// Rate limiting: requests allowed per window.
    rl_limit: f64 = 100.0 => spec(RateLimit, Integer, 1.0, 1e6, "Limit", "requests",
        "Allowed per window; 100 a minute is the chapter's per-user limit");
    /// Rate limiting: the window, seconds.
    rl_window: f64 = 60.0 => spec(RateLimit, Seconds, 0.001, 1e7, "Window", "s",
        "e.g. 1 min, 1 s, 1 h");
    /// Rate limiting: largest burst the buckets admit (empty: the limit).
    rl_burst: Option<f64> = None => spec(RateLimit, Integer, 1.0, 1e6, "Bucket size", "requests",
        "Token and leaky bucket capacity, GCRA burst; nginx burst=N is N + 1; empty: the limit");
    /// Rate limiting: where the fixed window's windows start.
    rl_align: WindowStart = WindowStart::default() => choice(RateLimit, "Fixed window starts",
        "Clock: a key per ⌊now / window⌋; first: INCR then EXPIRE on the first request");
    /// Rate limiting: which requests the sliding log and counter count.
    rl_count: Counting = Counting::default() => choice(RateLimit, "Sliding windows count",
        "Counting every attempt keeps a client that retries too fast locked out");
    /// Rate limiting: the traffic's shape.
    rl_pattern: RateLimitPattern = RateLimitPattern::Poisson => choice(RateLimit, "Traffic",
        "The boundary pattern sends a burst on each side of a window's edge");
    /// Rate limiting: the client's request rate (background rate between bursts), per second.
    rl_rate: f64 = 2.5 => spec(RateLimit, Count, 0.0, 1e6, "Request rate", "req/s",
        "Steady rate, or the background between bursts; 2.5/s is 150 a minute");
    /// Rate limiting: requests per burst, or on each side of the boundary (empty: the limit).
    rl_size: Option<f64> = None => spec(RateLimit, Integer, 1.0, 1e6, "Burst size", "requests",
        "Per burst, or on each side of the boundary; empty: the limit");
    /// Rate limiting: time between bursts, seconds.
    rl_every: f64 = 60.0 => spec(RateLimit, Seconds, 0.001, 1e7, "Bursts every", "s",
        "Bursts pattern: time between bursts (the first comes at half of it)");
    /// Rate limiting: how long each burst takes to arrive, seconds.
    rl_spread: f64 = 1.0 => spec(RateLimit, Seconds, 0.0, 1e7, "Burst spread", "s",
        "Bursts pattern: each burst arrives over this long; 0 = at once");
    /// Rate limiting: run length, seconds.
    rl_duration: f64 = 600.0 => spec(RateLimit, Seconds, 0.001, 1e7, "Run length", "s",
        "e.g. 10 min; at most a million requests are simulated");
    /// Rate limiting: the moment whose response headers are shown, seconds into the run.
    rl_at: f64 = 315.0 => spec(RateLimit, Seconds, 0.0, 1e7, "Headers at", "s",
        "The moment whose response headers are shown, e.g. 5 min 15 s");
    /// Rate limiting: servers behind the load balancer in the distributed case.
    rl_servers: f64 = 3.0 => spec(RateLimit, Integer, 1.0, 1_000.0, "Servers", "servers",
        "Distributed case: servers each counting locally, against one shared counter");
    /// Rate limiting: how the load balancer spreads the client's requests.
    rl_routing: Routing = Routing::RoundRobin => choice(RateLimit, "Routing",
        "Distributed case: how one client's requests reach the servers");
    /// Rate limiting: seed of the traffic.
    rl_seed: f64 = 42.0 => spec(RateLimit, Integer, 0.0, 9_007_199_254_740_991.0, "Seed", "",
        "The same seed gives the same requests");

    // Load balancing (prefix lb_): every algorithm on the same requests.
    /// Load balancing: the servers, `weight:speed:workers` each.
    lb_servers: Vec<ServerSpec> = super::simulators::default_lb_servers() =>
        spec(LoadBalance, Text, 0.0, 0.0, "Servers", "",
        "weight:speed:workers, comma-separated; 3*1:1:4 is three alike; 2:2:4 is twice as fast");
    /// Load balancing: arrivals per second.
    lb_rate: f64 = 350.0 => spec(LoadBalance, Count, 0.001, 1e9, "Arrival rate", "req/s",
        "Poisson arrivals; the default cluster serves 560/s at full load");
    /// Load balancing: distribution of request durations.
    lb_dist: DurationShape = DurationShape::Pareto => choice(LoadBalance, "Durations",
        "How long requests take on a speed-1 worker");
    /// Load balancing: mean request duration on a speed-1 worker, ms.
    lb_mean_ms: f64 = 50.0 => spec(LoadBalance, Millis, 0.001, 1e9, "Mean duration", "ms",
        "On a speed-1 worker; a speed-2 server takes half");
    /// Load balancing: the Pareto tail index.
    lb_alpha: f64 = 2.0 => above(spec(LoadBalance, Number, 1.0, 10.0, "Tail index α", "",
        "Heavy-tailed only: 1.5 to 2.5 is heavy (a few huge requests); lower is heavier"));
    /// Load balancing: requests simulated.
    lb_requests: f64 = 20_000.0 => spec(LoadBalance, Integer, 1.0, 200_000.0, "Requests", "requests",
        "20,000 keeps typing smooth; 100,000 tightens the p99 but is 5× the work");
    /// Load balancing: distinct clients.
    lb_clients: f64 = 10_000.0 => spec(LoadBalance, Integer, 1.0, 1e6, "Clients", "clients",
        "Distinct client addresses, for IP hash and sticky sessions");
    /// Load balancing: Zipf exponent of client popularity.
    lb_zipf: f64 = 1.0 => spec(LoadBalance, Number, 0.0, 5.0, "Client skew", "Zipf s",
        "0: every client alike; 1: a few clients send most requests");
    /// Load balancing: session affinity.
    lb_sticky: bool = false => spec(LoadBalance, Flag, 0.0, 0.0, "Sticky sessions", "",
        "Each client stays on the server of its first request");
    /// Load balancing: virtual nodes per unit of weight on the consistent-hash ring.
    lb_vnodes: f64 = 160.0 => spec(LoadBalance, Integer, 1.0, 10_000.0, "Virtual nodes", "per weight",
        "On the consistent-hash ring; 160 is ketama's default");
    /// Load balancing: seed of the requests.
    lb_seed: f64 = 42.0 => spec(LoadBalance, Integer, 0.0, 9_007_199_254_740_991.0, "Seed", "",
        "The same seed gives the same requests");

    // Ranges and the baseline (see `crate::uncertainty`): on every page.
    /// Samples drawn when some field is a range.
    mc_n: f64 = 10_000.0 => spec(Sampling, Integer, 1.0, 100_000.0, "Samples", "samples",
        "Drawn when a field holds a range such as 80M..120M; 10,000 keeps the percentiles within about 1%");
    /// Seed of the samples.
    mc_seed: f64 = 42.0 => spec(Sampling, Integer, 0.0, 9_007_199_254_740_991.0, "Sampling seed", "",
        "The same seed gives the same percentiles, on the server and in the browser");
    /// The percentile that servers per tier are planned at when some field is a range.
    plan_at: PlanAt = PlanAt::P90 => choice(Sampling, "Plan for",
        "Servers per tier are read at this percentile of the samples");
    /// The baseline: the canonical query of the scenario compared against (empty: none).
    base: Option<Baseline> = None => spec(Compare, Text, 0.0, 0.0, "Baseline", "",
        "Set by Pin as baseline: every figure then shows its change from this scenario");
}

impl Scenario {
    /// Writes each range over its field's pair, or adds the pair in field order (a range whose
    /// middle is the default is still written).
    fn write_ranges(&self, out: &mut Vec<(&'static str, String)>) {
        let order = |key: &str| FIELDS.iter().position(|f| f.key == key);
        for (key, range) in self.ranges.iter() {
            let Some(spec) = FieldSpec::find(key) else {
                continue;
            };
            let text = range.to_text(spec);
            match out.iter().position(|(k, _)| order(k) >= order(key)) {
                Some(i) if out[i].0 == key => out[i].1 = text,
                Some(i) => out.insert(i, (key, text)),
                None => out.push((key, text)),
            }
        }
    }

    /// Cross-field rules: (field to reset, message). None among the chapter's calculators; the
    /// simulators' are in `simulators.rs`.
    pub(super) fn cross_field_violations(&self) -> Vec<(&'static str, String)> {
        self.simulator_violations()
    }
}
