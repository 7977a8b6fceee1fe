//! The capacity plan priced: the fleet the capacity figures size (web, cache and database nodes,
//! the stored bytes, the origin's egress, the requests), billed from the price catalog line by
//! line; the same bill month by month over the growth horizon; the catalog's node types ranked
//! for this load; and the serverless alternative to the web tier, priced honestly (Lambda and
//! its API Gateway against the web servers the plan needs, with the volume where they cross).
//!
//! # What a month is
//! The cost page's `hours` (720 h by default, 30 days): nodes are billed that many hours, and the
//! requests and egress of a month are the plan's average rates × `hours` × 3,600 s.
//!
//! # Assumptions, stated
//! - The plan's node counts are what runs all month (sized for the peak, as the capacity page
//!   sizes them); autoscaling would bill less.
//! - Stored bytes are the plan's whole retention (`capacity.storage_bytes_total`, replicas
//!   included) on the chosen storage class. The bill over the horizon stores what the runway has
//!   accumulated by each month instead.
//! - Egress is what the origin sends to the internet (`capacity.origin_egress_bytes_per_second`,
//!   after the CDN), with the account's free 100 GB a month; the CDN's own egress is not priced.
//! - The load balancer in front of the web tier is not priced (the catalog has no price for it).
//! - Ranking node types: a type with k times the vCPUs of the type you chose serves k times the
//!   requests (or cache operations, or queries) you gave per node; memory, disk and network per
//!   node stay as you gave them. A burstable t3 type counts only the vCPU share it sustains
//!   without CPU credits (its baseline, 20-40%), since the plan sizes for sustained peaks.

use serde::{Deserialize, Serialize};

use crate::capacity::{
    CapacityInput, CapacityReport, GrowthReport, NodeCount, calculate, web_servers_scaled,
};
use crate::choice::choice_enum;
use crate::trace::text;
use crate::units::{format_count, format_si, format_usd};

use super::catalog::{self, Purchase, Region};
use super::fleet::{
    ApiGateway, BYTES_PER_GB, BillLine, FleetSpec, FleetTier, StorageClass, api_gateway_price,
    egress_tiers, fleet_bill_priced, node_rate, node_rate_from, service_of, storage_price,
};
use super::tiered::tiered_usd;
use super::{
    CostError, MAX_INSTANCES, PRICED_REQUESTS, PriceTable, ServerlessWorkload, serverless_cost_at,
};
use crate::report::Entries;

choice_enum! {
    /// The EC2 instance type of the web tier.
    #[derive(Default)]
    pub enum WebType {
        /// t3.medium.
        T3Medium = "t3.medium", "t3.medium (2 vCPU, x86, burstable)",
        /// t3.large.
        T3Large = "t3.large", "t3.large (2 vCPU, x86, burstable)",
        /// t3.xlarge.
        T3Xlarge = "t3.xlarge", "t3.xlarge (4 vCPU, x86, burstable)",
        /// m7i.large.
        #[default]
        M7iLarge = "m7i.large", "m7i.large (2 vCPU, Intel)",
        /// m7i.xlarge.
        M7iXlarge = "m7i.xlarge", "m7i.xlarge (4 vCPU, Intel)",
        /// m7i.2xlarge.
        M7i2xlarge = "m7i.2xlarge", "m7i.2xlarge (8 vCPU, Intel)",
        /// c7i.large.
        C7iLarge = "c7i.large", "c7i.large (2 vCPU, Intel, compute)",
        /// c7i.xlarge.
        C7iXlarge = "c7i.xlarge", "c7i.xlarge (4 vCPU, Intel, compute)",
        /// c7i.2xlarge.
        C7i2xlarge = "c7i.2xlarge", "c7i.2xlarge (8 vCPU, Intel, compute)",
        /// r7i.large.
        R7iLarge = "r7i.large", "r7i.large (2 vCPU, Intel, memory)",
        /// r7i.xlarge.
        R7iXlarge = "r7i.xlarge", "r7i.xlarge (4 vCPU, Intel, memory)",
        /// r7i.2xlarge.
        R7i2xlarge = "r7i.2xlarge", "r7i.2xlarge (8 vCPU, Intel, memory)",
        /// m7g.large.
        M7gLarge = "m7g.large", "m7g.large (2 vCPU, Arm)",
        /// m7g.xlarge.
        M7gXlarge = "m7g.xlarge", "m7g.xlarge (4 vCPU, Arm)",
        /// m7g.2xlarge.
        M7g2xlarge = "m7g.2xlarge", "m7g.2xlarge (8 vCPU, Arm)",
    }
}

choice_enum! {
    /// The ElastiCache (Redis OSS) node type of the cache tier.
    #[derive(Default)]
    pub enum CacheType {
        /// cache.m7g.large.
        M7gLarge = "cache.m7g.large", "cache.m7g.large (2 vCPU)",
        /// cache.m7g.xlarge.
        M7gXlarge = "cache.m7g.xlarge", "cache.m7g.xlarge (4 vCPU)",
        /// cache.m7g.2xlarge.
        M7g2xlarge = "cache.m7g.2xlarge", "cache.m7g.2xlarge (8 vCPU)",
        /// cache.r7g.large.
        #[default]
        R7gLarge = "cache.r7g.large", "cache.r7g.large (2 vCPU, memory)",
        /// cache.r7g.xlarge.
        R7gXlarge = "cache.r7g.xlarge", "cache.r7g.xlarge (4 vCPU, memory)",
        /// cache.r7g.2xlarge.
        R7g2xlarge = "cache.r7g.2xlarge", "cache.r7g.2xlarge (8 vCPU, memory)",
    }
}

choice_enum! {
    /// The RDS for PostgreSQL instance type of the database tier.
    #[derive(Default)]
    pub enum DbType {
        /// db.m7g.large.
        M7gLarge = "db.m7g.large", "db.m7g.large (2 vCPU)",
        /// db.m7g.xlarge.
        M7gXlarge = "db.m7g.xlarge", "db.m7g.xlarge (4 vCPU)",
        /// db.m7g.2xlarge.
        M7g2xlarge = "db.m7g.2xlarge", "db.m7g.2xlarge (8 vCPU)",
        /// db.r7g.large.
        #[default]
        R7gLarge = "db.r7g.large", "db.r7g.large (2 vCPU, memory)",
        /// db.r7g.xlarge.
        R7gXlarge = "db.r7g.xlarge", "db.r7g.xlarge (4 vCPU, memory)",
        /// db.r7g.2xlarge.
        R7g2xlarge = "db.r7g.2xlarge", "db.r7g.2xlarge (8 vCPU, memory)",
    }
}

/// How the plan is bought: the scenario's fleet choices.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetChoice {
    /// The region priced.
    pub region: Region,
    /// On-demand, committed or spot.
    pub purchase: Purchase,
    /// Node type per tier, in [`FleetTier::ALL`] order (web, cache, db).
    pub node_types: [&'static str; 3],
    /// Your own on-demand price per node-hour per tier, in place of the catalog's.
    pub node_prices: [Option<f64>; 3],
    /// Where the stored bytes live.
    pub storage: StorageClass,
    /// The API Gateway in front of the web tier, if any.
    pub api_gateway: ApiGateway,
    /// Hours billed per month.
    pub hours_per_month: f64,
}

/// A bill split by what it pays for (USD per month), for a stacked chart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BillParts {
    /// Web nodes.
    pub web: f64,
    /// Cache nodes.
    pub cache: f64,
    /// Database nodes.
    pub db: f64,
    /// Stored bytes.
    pub storage: f64,
    /// Internet egress.
    pub egress: f64,
    /// API Gateway requests.
    pub api_gateway: f64,
}

impl BillParts {
    /// The sum of the parts, USD per month.
    pub fn total(&self) -> f64 {
        self.web + self.cache + self.db + self.storage + self.egress + self.api_gateway
    }
}

/// One month of the growth horizon, priced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MonthCost {
    /// Months from now (0 = this month).
    pub month: u32,
    /// The month's bill, USD; `None` when a tier needs more nodes than can be priced.
    pub usd_per_month: Option<f64>,
    /// The same split by part.
    pub parts: BillParts,
}

/// One node type of the catalog, priced for a tier's load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TypeOption {
    /// The node type, e.g. `c7i.xlarge`.
    pub node_type: String,
    /// Its virtual CPUs.
    pub vcpus: u32,
    /// The share of them it sustains without CPU credits (below 1 for burstable types).
    pub sustained_share: f64,
    /// USD per node-hour as bought (after the purchase option's discount).
    pub usd_per_hour: f64,
    /// Nodes of this type the tier needs (`None`: more than can be priced).
    pub nodes: Option<u64>,
    /// Those nodes' monthly bill, USD.
    pub usd_per_month: Option<f64>,
}

/// The catalog's node types per tier, cheapest first, for this load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CheapestTypes {
    /// EC2 types for the web tier.
    pub web: Vec<TypeOption>,
    /// ElastiCache types for the cache tier.
    pub cache: Vec<TypeOption>,
    /// RDS types for the database tier.
    pub db: Vec<TypeOption>,
}

/// The web tier against serverless for the same requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServerlessVsFleet {
    /// Requests per month, from the capacity plan.
    pub requests_per_month: f64,
    /// Lambda's requests and duration for them (the cost page's duration, memory, architecture
    /// and free tier), USD per month.
    pub lambda_usd: f64,
    /// The API Gateway in front of the function: the one chosen, or the HTTP API when none is.
    pub gateway: ApiGateway,
    /// That gateway's requests, USD per month; `None` when the catalog has no price in the region.
    pub gateway_usd: Option<f64>,
    /// Lambda and its gateway, USD per month.
    pub serverless_usd: Option<f64>,
    /// The web servers the plan needs, and the chosen gateway in front of them, USD per month.
    pub fleet_usd: Option<f64>,
    /// The monthly requests above which serverless costs more than the web tier: the lowest
    /// volume on the scan where it does, `None` when it never does on the scan (or always does).
    pub crossover_requests_per_month: Option<f64>,
    /// Why there is no crossover, when there is none.
    pub message: Option<String>,
}

/// The capacity plan priced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FleetCost {
    /// The region priced.
    pub region: Region,
    /// The purchase option priced.
    pub purchase: Purchase,
    /// Hours each node is billed per month.
    pub hours_per_month: f64,
    /// Requests per month: the plan's average request rate × the month.
    pub requests_per_month: f64,
    /// Bytes the origin sends to the internet per month.
    pub egress_bytes_per_month: f64,
    /// The bill's total, USD per month (of the lines priced; see `missing`).
    pub usd_per_month: f64,
    /// The total per million requests, USD.
    pub usd_per_million_requests: Option<f64>,
    /// The bill line by line.
    pub lines: Vec<BillLine>,
    /// What the bill could not price, and how to price it; an empty list means the bill is whole.
    pub missing: Vec<String>,
    /// The bill split by part.
    pub parts: BillParts,
    /// The bill month by month over the growth horizon.
    pub months: Vec<MonthCost>,
    /// The catalog's node types per tier, cheapest first.
    pub cheapest: CheapestTypes,
    /// Serverless instead of the web tier.
    pub serverless: ServerlessVsFleet,
}

/// Seconds in the priced month.
fn month_seconds(hours_per_month: f64) -> f64 {
    hours_per_month * 3_600.0
}

/// The query key that sets a tier's own price.
fn price_key(tier: FleetTier) -> &'static str {
    match tier {
        FleetTier::Web => "web_usd_hr",
        FleetTier::Cache => "cache_usd_hr",
        FleetTier::Db => "db_usd_hr",
    }
}

/// The fleet `choice` buys, empty: no nodes, nothing stored, no traffic.
fn empty_spec(choice: &FleetChoice) -> Result<FleetSpec, CostError> {
    let mut spec = FleetSpec::new(choice.region, choice.purchase, choice.hours_per_month)?;
    for tier in FleetTier::ALL {
        let i = tier as usize;
        spec = spec.with_nodes(tier, 0, choice.node_types[i])?;
        if let Some(price) = choice.node_prices[i] {
            spec = spec.with_node_price(tier, price)?;
        }
    }
    Ok(spec)
}

/// What a month of each part costs per unit, worked out once for every month of the horizon.
struct Rates {
    /// USD per node-month per tier; `None` when not priced.
    node_month: [Option<f64>; 3],
    /// USD per stored byte-month (replicas counted as bytes).
    per_byte: Option<f64>,
    /// Egress tiers, GB per month.
    egress: Option<Vec<catalog::Tier>>,
    /// API Gateway tiers, million requests per month.
    gateway: Option<&'static [catalog::Tier]>,
}

impl Rates {
    fn of(spec: &FleetSpec) -> Self {
        let hours = spec.hours_per_month();
        Self {
            node_month: FleetTier::ALL
                .map(|tier| node_rate(spec, tier).ok().map(|r| r.usd_per_hour * hours)),
            per_byte: storage_price(spec)
                .ok()
                .map(|(price, _)| price.usd_per_unit / BYTES_PER_GB),
            egress: egress_tiers(spec).ok().map(|(_, tiers)| tiers),
            gateway: api_gateway_price(spec.api_gateway(), spec.region())
                .ok()
                .flatten()
                .map(|(price, _)| price.tiers),
        }
    }

    /// A month's parts for `nodes` per tier, `stored` bytes (replicas included), `egress` bytes
    /// and `requests`; `None` when a tier needs more nodes than can be priced. Parts without a
    /// price count 0, as they are left out of the bill.
    fn month(
        &self,
        nodes: [NodeCount; 3],
        stored: f64,
        egress: f64,
        requests: f64,
    ) -> Option<BillParts> {
        let mut node_usd = [0.0; 3];
        for ((usd, count), rate) in node_usd.iter_mut().zip(nodes).zip(self.node_month) {
            let n = count.get().filter(|&n| n as f64 <= MAX_INSTANCES)?;
            *usd = rate.map_or(0.0, |r| n as f64 * r);
        }
        Some(BillParts {
            web: node_usd[0],
            cache: node_usd[1],
            db: node_usd[2],
            storage: self.per_byte.map_or(0.0, |p| stored * p),
            egress: self
                .egress
                .as_deref()
                .map_or(0.0, |tiers| tiered_usd(tiers, egress / BYTES_PER_GB)),
            api_gateway: self
                .gateway
                .map_or(0.0, |tiers| tiered_usd(tiers, requests / PRICED_REQUESTS)),
        })
    }
}

/// Prices `today`'s plan (`calculate(input)`) as `choice` buys it, month by month over `growth`,
/// ranks the node types, and compares the web tier with `lambda`'s shape of function (its
/// request count is replaced by the plan's) at `prices`.
///
/// # Formula
/// ```text
/// R = (write_qps + read_qps) × h × 3,600          requests per month
/// E = origin_egress_bytes_per_second × h × 3,600   egress bytes per month
/// bill = fleet_monthly_bill(nodes per tier, S = storage_bytes_total, E, R)   (see fleet.rs)
/// month m: the runway's nodes and stored bytes of month m, E and R × (1 + g)^m
/// type t for a tier chosen as c: throughput per node × vCPU_t / vCPU_c, nodes recounted,
///   cost = nodes × p_t × (1 − f) × h
/// h = billed hours per month, g = growth per month, p_t = on-demand price, f = discount
/// ```
pub fn price_plan(
    input: &CapacityInput,
    today: &CapacityReport,
    growth: &GrowthReport,
    choice: &FleetChoice,
    lambda: &ServerlessWorkload,
    prices: &PriceTable,
) -> Result<FleetCost, CostError> {
    let TodaysFleet {
        spec,
        counts,
        stored,
        egress,
        requests,
        mut missing,
    } = todays_fleet(input, today, choice)?;
    let (bill, unpriced) = fleet_bill_priced(&spec);
    for err in unpriced {
        let hint = match &err {
            CostError::PriceUnknown { item, .. } => FleetTier::ALL
                .into_iter()
                .find(|&t| item.starts_with(choice.node_types[t as usize]))
                .map(|t| format!(": give your own price per node-hour in {}", price_key(t))),
            _ => None,
        };
        missing.push(format!("{err}{}", hint.unwrap_or_default()));
    }
    let rates = Rates::of(&spec);
    let parts = rates
        .month(counts, stored, egress, requests)
        .unwrap_or_default();
    let months = growth
        .months
        .iter()
        .map(|m| {
            let nodes = [m.web_servers, m.cache_nodes, m.db_nodes];
            let f = m.load_factor;
            let parts = rates.month(nodes, m.storage_bytes, egress * f, requests * f);
            MonthCost {
                month: m.month,
                usd_per_month: parts.map(|p| p.total()),
                parts: parts.unwrap_or_default(),
            }
        })
        .collect();
    Ok(FleetCost {
        region: choice.region,
        purchase: choice.purchase,
        hours_per_month: choice.hours_per_month,
        requests_per_month: requests,
        egress_bytes_per_month: egress,
        usd_per_month: bill.usd_per_month,
        usd_per_million_requests: bill.usd_per_million_requests,
        lines: bill.lines,
        missing,
        parts,
        months,
        cheapest: cheapest(input, choice),
        serverless: serverless_vs_fleet(input, today, &spec, &rates, lambda, prices, requests),
    })
}

/// Today's plan as a fleet to price: the fleet, its node counts, the stored bytes (replicas
/// included), egress bytes and requests per month, and the tiers too large to price.
struct TodaysFleet {
    spec: FleetSpec,
    counts: [NodeCount; 3],
    stored: f64,
    egress: f64,
    requests: f64,
    missing: Vec<String>,
}

/// The fleet `choice` buys for `today`'s plan (the first lines of [`price_plan`]'s formula).
fn todays_fleet(
    input: &CapacityInput,
    today: &CapacityReport,
    choice: &FleetChoice,
) -> Result<TodaysFleet, CostError> {
    let seconds = month_seconds(choice.hours_per_month);
    let requests =
        ((today.write_qps + today.read_qps) * seconds).min(super::MAX_REQUESTS_PER_MONTH);
    let egress = (today.origin_egress_bytes_per_second * seconds).min(super::fleet::MAX_BYTES);
    let mut missing = Vec::new();
    let mut spec = empty_spec(choice)?;
    let counts = [today.web_servers, today.cache_nodes, today.db_nodes];
    for (tier, count) in FleetTier::ALL.into_iter().zip(counts) {
        match count.get().filter(|&n| n as f64 <= MAX_INSTANCES) {
            Some(n) => spec = spec.with_nodes(tier, n as u32, choice.node_types[tier as usize])?,
            None => missing.push(format!(
                "{}: more than {} nodes, not priced",
                tier.key(),
                format_count(MAX_INSTANCES)
            )),
        }
    }
    let repl = input.replication_factor().max(1.0);
    let stored = today.storage_bytes_total.min(super::fleet::MAX_BYTES);
    spec = spec
        .with_storage(stored / repl, repl, choice.storage)?
        .with_egress(egress, true)?
        .with_requests(requests, choice.api_gateway)?;
    Ok(TodaysFleet {
        spec,
        counts,
        stored,
        egress,
        requests,
        missing,
    })
}

/// What today's plan costs a month as `choice` buys it, the sum of [`price_plan`]'s `parts`,
/// without the bill's lines, the months, the ranking or serverless: the figure a range samples
/// thousands of times. `None` when a tier needs more nodes than can be priced.
///
/// # Errors
/// As [`price_plan`].
pub fn monthly_usd(
    input: &CapacityInput,
    today: &CapacityReport,
    choice: &FleetChoice,
) -> Result<Option<f64>, CostError> {
    let fleet = todays_fleet(input, today, choice)?;
    Ok(Rates::of(&fleet.spec)
        .month(fleet.counts, fleet.stored, fleet.egress, fleet.requests)
        .map(|parts| parts.total()))
}

/// The vCPUs a catalog node type sustains (the same in every region): all of them, or the
/// baseline share of a burstable type ([`catalog::sustained_share`]).
fn sustained_vcpus(node_type: &str) -> Option<f64> {
    catalog::NODE_PRICES
        .iter()
        .find(|price| price.node_type == node_type)
        .map(|price| f64::from(price.vcpus) * catalog::sustained_share(node_type))
}

/// Every catalog type of each tier's service in the region, priced for the tier's load scaled by
/// vCPUs, cheapest first (unpriceable last, then by name).
fn cheapest(input: &CapacityInput, choice: &FleetChoice) -> CheapestTypes {
    // One plan per distinct vCPU ratio (at most five: the sizes are 2, 4 and 8 vCPUs), shared
    // by the three tiers: a tier's count depends only on its own throughput per node.
    let mut plans: Vec<(f64, CapacityReport)> = Vec::new();
    let mut tier_options = |tier: FleetTier| -> Vec<TypeOption> {
        let chosen = choice.node_types[tier as usize];
        let service = service_of(chosen);
        let Some(base) = sustained_vcpus(chosen) else {
            return Vec::new();
        };
        let mut options: Vec<TypeOption> = catalog::node_types(service, choice.region)
            .map(|price| {
                let ratio =
                    f64::from(price.vcpus) * catalog::sustained_share(price.node_type) / base;
                let plan = match plans.iter().position(|(r, _)| *r == ratio) {
                    Some(i) => &plans[i].1,
                    None => {
                        plans.push((ratio, calculate(&input.scaled_node_throughput(ratio))));
                        &plans[plans.len() - 1].1
                    }
                };
                let count = match tier {
                    FleetTier::Web => plan.web_servers,
                    FleetTier::Cache => plan.cache_nodes,
                    FleetTier::Db => plan.db_nodes,
                };
                let nodes = count.get().filter(|&n| n as f64 <= MAX_INSTANCES);
                let usd_per_hour =
                    node_rate_from(price.usd_per_hour, String::new(), service, choice.purchase)
                        .usd_per_hour;
                TypeOption {
                    node_type: price.node_type.to_owned(),
                    vcpus: price.vcpus,
                    sustained_share: catalog::sustained_share(price.node_type),
                    usd_per_hour,
                    nodes,
                    usd_per_month: nodes.map(|n| n as f64 * usd_per_hour * choice.hours_per_month),
                }
            })
            .collect();
        // At most 15 types: an insertion sort, which adds far less code to the browser's
        // bundle than the standard library's sort instantiated for this type.
        let before = |a: &TypeOption, b: &TypeOption| {
            let key = |o: &TypeOption| o.usd_per_month.unwrap_or(f64::INFINITY);
            key(a)
                .total_cmp(&key(b))
                .then_with(|| a.node_type.cmp(&b.node_type))
                .is_lt()
        };
        for i in 1..options.len() {
            let mut j = i;
            while j > 0 && before(&options[j], &options[j - 1]) {
                options.swap(j, j - 1);
                j -= 1;
            }
        }
        options
    };
    CheapestTypes {
        web: tier_options(FleetTier::Web),
        cache: tier_options(FleetTier::Cache),
        db: tier_options(FleetTier::Db),
    }
}

/// Scan of traffic multipliers for the crossover: 10^-4 to 10^4 × today, this many per decade.
const SCAN_PER_DECADE: i32 = 12;
const SCAN_DECADES: i32 = 4;
/// Bisection steps inside the scan's step where serverless first costs more.
const BISECTIONS: u32 = 40;

fn serverless_vs_fleet(
    input: &CapacityInput,
    today: &CapacityReport,
    spec: &FleetSpec,
    rates: &Rates,
    lambda: &ServerlessWorkload,
    prices: &PriceTable,
    requests: f64,
) -> ServerlessVsFleet {
    let gateway = match spec.api_gateway() {
        ApiGateway::None => ApiGateway::Http,
        chosen => chosen,
    };
    let gateway_tiers = api_gateway_price(gateway, spec.region())
        .ok()
        .flatten()
        .map(|(price, _)| price.tiers);
    let serverless_at = |r: f64| -> Option<f64> {
        let tiers = gateway_tiers?;
        Some(
            serverless_cost_at(lambda, prices, r).total_usd
                + tiered_usd(tiers, r / PRICED_REQUESTS),
        )
    };
    let fleet_gateway = |r: f64| {
        rates
            .gateway
            .map_or(0.0, |t| tiered_usd(t, r / PRICED_REQUESTS))
    };
    let fleet_at = |k: f64| -> Option<f64> {
        let n = web_servers_scaled(input, today, k).get()?;
        Some(n as f64 * rates.node_month[0]? + fleet_gateway(k * requests))
    };
    let lambda_usd = serverless_cost_at(lambda, prices, requests).total_usd;
    let gateway_usd = gateway_tiers.map(|t| tiered_usd(t, requests / PRICED_REQUESTS));
    // serverless_at(requests), from the two parts just computed rather than again.
    let serverless_usd = gateway_usd.map(|gateway| lambda_usd + gateway);
    let fleet_usd = fleet_at(1.0);
    let (crossover, message) = if requests <= 0.0 {
        (None, Some("no requests: nothing to compare".to_string()))
    } else if serverless_usd.is_none() || fleet_usd.is_none() {
        (None, Some("a price is missing: see the bill".to_string()))
    } else {
        crossover(
            &|k| Some(serverless_at(k * requests)? - fleet_at(k)?),
            requests,
        )
    };
    ServerlessVsFleet {
        requests_per_month: requests,
        lambda_usd,
        gateway,
        gateway_usd,
        serverless_usd,
        fleet_usd,
        crossover_requests_per_month: crossover,
        message,
    }
}

/// The lowest traffic multiplier on the scan where `diff` (serverless − fleet) turns from < 0
/// to ≥ 0, narrowed by bisection, as requests per month.
fn crossover(diff: &dyn Fn(f64) -> Option<f64>, requests: f64) -> (Option<f64>, Option<String>) {
    let at = |i: i32| 10f64.powf(f64::from(i) / f64::from(SCAN_PER_DECADE));
    let first = -SCAN_DECADES * SCAN_PER_DECADE;
    let last = SCAN_DECADES * SCAN_PER_DECADE;
    let low = at(first);
    match diff(low) {
        Some(d) if d >= 0.0 => {
            return (
                None,
                Some(text!(
                    "serverless costs more at every volume from {} requests a month",
                    format_si(low * requests)
                )),
            );
        }
        None => return (None, Some("a price is missing: see the bill".to_string())),
        _ => {}
    }
    for i in first + 1..=last {
        let (mut below, mut above) = (at(i - 1), at(i));
        if diff(above).is_some_and(|d| d >= 0.0) {
            for _ in 0..BISECTIONS {
                let mid = (below * above).sqrt();
                if diff(mid).is_some_and(|d| d >= 0.0) {
                    above = mid;
                } else {
                    below = mid;
                }
            }
            return (Some(above * requests), None);
        }
    }
    (
        None,
        Some(text!(
            "serverless costs less at every volume up to {} requests a month",
            format_si(at(last) * requests)
        )),
    )
}

/// The traces of the fleet bill's figures, under `fleet_cost.*`.
pub fn explain(f: &FleetCost, out: &mut Entries<String>) {
    let terms: Vec<String> = f
        .lines
        .iter()
        .map(|line| format_usd(line.usd_per_month))
        .collect();
    out.push(
        "fleet_cost.usd_per_month",
        text!(
            "{} lines: {} = {}{}",
            f.lines.len(),
            if terms.is_empty() {
                "nothing to bill".to_string()
            } else {
                terms.join(" + ")
            },
            format_usd(f.usd_per_month),
            if f.missing.is_empty() {
                String::new()
            } else {
                text!(" ({} not priced)", f.missing.len())
            }
        ),
    );
    out.push(
        "fleet_cost.requests_per_month",
        text!(
            "average request rate × {} h × 3,600 s = {} requests",
            format_count(f.hours_per_month),
            format_si(f.requests_per_month)
        ),
    );
    if let Some(per_million) = f.usd_per_million_requests {
        out.push(
            "fleet_cost.usd_per_million_requests",
            text!(
                "{} / {} million requests = {}",
                format_usd(f.usd_per_month),
                format_count(f.requests_per_month / PRICED_REQUESTS),
                format_usd(per_million)
            ),
        );
    }
    let s = &f.serverless;
    if let (Some(serverless), Some(fleet)) = (s.serverless_usd, s.fleet_usd) {
        out.push(
            "fleet_cost.serverless.serverless_usd",
            text!(
                "Lambda {} + {} {} = {} against the web tier's {}",
                format_usd(s.lambda_usd),
                s.gateway.label(),
                format_usd(s.gateway_usd.unwrap_or(0.0)),
                format_usd(serverless),
                format_usd(fleet)
            ),
        );
    }
}

#[cfg(test)]
mod tests;
