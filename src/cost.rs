//! Serverless versus always-on instances: the chapter's section 8, "Cost Crossover Analysis".
//!
//! The chapter compares 3 always-on t3.medium instances ($0.0416/h for 720 h = $89.86/month) with
//! AWS Lambda (1M requests × 200 ms × 256 MB = 50,000 GB-s, "~$1/month + $0.20 per million
//! requests"). This module prices both from one dated, sourced [`PriceTable`], finds the exact
//! request volume at which the two bills are equal ([`crossover_requests_per_month`]), and samples
//! the curves a chart needs ([`cost_curve`], [`memory_curve`]).
//!
//! Beyond the chapter, [`fleet_monthly_bill`] prices the fleet a capacity plan sizes (web, cache
//! and database nodes, storage, egress, API Gateway) line by line from the dated, sourced
//! [`catalog`], with tiered prices applied marginally ([`tiered`]).
//!
//! # Examples
//! ```
//! use headroom::cost::{
//!     crossover_requests_per_month, instances_monthly_cost, serverless_monthly_cost, Arch,
//!     InstanceFleet, PriceTable, ServerlessWorkload,
//! };
//! let prices = PriceTable::aws_lambda_2026();
//! let lambda = ServerlessWorkload::new(1e6, 200.0, 256.0, Arch::X86, false)?;
//! let fleet = InstanceFleet::new(3.0, 0.0416, 720.0)?;
//!
//! let serverless = serverless_monthly_cost(&lambda, &prices);
//! assert!((serverless.gb_seconds - 50_000.0).abs() < 1e-9);
//! assert!((instances_monthly_cost(&fleet) - 89.856).abs() < 1e-9);
//!
//! let crossover = crossover_requests_per_month(&lambda, &fleet, &prices);
//! let requests = crossover.requests_per_month.unwrap_or_default();
//! assert!((requests / 1e6 - 86.957).abs() < 0.001); // about 87M requests a month
//! # Ok::<(), headroom::cost::CostError>(())
//! ```

pub mod catalog;
mod crossover;
pub mod fleet;
pub mod plan;
mod prices;
pub mod tiered;

pub use crossover::{
    CostPoint, Crossover, MAX_CURVE_POINTS, MemoryCostPoint, NoCrossoverReason,
    STANDARD_MEMORY_SIZES_MB, cost_curve, crossover_requests_per_month, memory_curve,
};
pub use fleet::{BillLine, FleetBill, FleetSpec, FleetTier, fleet_monthly_bill};
pub use prices::{
    GbSecondTier, MAX_FREE_ALLOWANCE, MAX_USD_PER_GB_SECOND, MAX_USD_PER_MILLION_REQUESTS,
    PriceTable, TierCharge,
};

use serde::{Deserialize, Serialize};

use crate::choice::choice_enum;
use crate::report::Entries;
use crate::trace::text;
use crate::units::{format_count, format_si, format_usd};
use crate::validated::validated_struct;

/// Smallest Lambda memory setting, MB (AWS Lambda quotas).
pub const MIN_MEMORY_MB: f64 = 128.0;
/// Largest Lambda memory setting, MB (AWS Lambda quotas).
pub const MAX_MEMORY_MB: f64 = 10_240.0;
/// Lambda's maximum run time per invocation: 15 minutes, in ms (AWS Lambda quotas).
pub const MAX_DURATION_MS: f64 = 900_000.0;
/// Largest accepted request volume per month: 10^15, about 386 million requests per second
/// sustained, far beyond any account's concurrency quota; it keeps every figure finite.
pub const MAX_REQUESTS_PER_MONTH: f64 = 1e15;
/// Longest month, in hours (31 days × 24 h).
pub const MAX_HOURS_PER_MONTH: f64 = 744.0;
/// Largest accepted instance count; beyond it the input is surely a typo.
pub const MAX_INSTANCES: f64 = 1e6;
/// Largest accepted instance price, USD per hour (the dearest EC2 instances cost a few hundred).
pub const MAX_USD_PER_INSTANCE_HOUR: f64 = 1e6;

/// MB per GB in AWS's GB-second: memory is billed in GB of 1,024 MB.
const MB_PER_GB: f64 = 1024.0;

/// ms per s in AWS's GB-second: duration is billed in s of 1,000 ms.
const MS_PER_SECOND: f64 = 1000.0;

/// MB per GB and ms per s in AWS's GB-second: memory is billed in MB/1024 GB, duration in ms/1000 s.
const MB_MS_PER_GB_SECOND: f64 = MB_PER_GB * MS_PER_SECOND;

/// Requests a request price is quoted for: USD per million requests.
const PRICED_REQUESTS: f64 = 1e6;

/// Errors from the cost calculator's constructors and curve samplers.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CostError {
    /// Requests per month were negative, NaN, infinite or above [`MAX_REQUESTS_PER_MONTH`].
    #[error("requests per month must be between 0 and {MAX_REQUESTS_PER_MONTH:e}, got {}", crate::units::format_message_number(*.value))]
    RequestsOutOfRange {
        /// The offending value.
        value: f64,
    },
    /// Duration per request was not in `(0, MAX_DURATION_MS]` ms.
    #[error("duration per request must be more than 0 ms and at most {MAX_DURATION_MS} ms \
         (Lambda's 15-minute limit), got {}", crate::units::format_message_number(*.value))]
    DurationOutOfRange {
        /// The offending value, ms.
        value: f64,
    },
    /// Memory was not a whole number of MB in `[MIN_MEMORY_MB, MAX_MEMORY_MB]`.
    #[error("memory must be a whole number of MB from {MIN_MEMORY_MB} to {MAX_MEMORY_MB} \
         (Lambda's limits), got {}", crate::units::format_message_number(*.value))]
    MemoryOutOfRange {
        /// The offending value, MB.
        value: f64,
    },
    /// The instance count was not a whole number in `[0, MAX_INSTANCES]`.
    #[error("instance count must be a whole number from 0 to {MAX_INSTANCES:e}, got {}", crate::units::format_message_number(*.value))]
    InstanceCountOutOfRange {
        /// The offending value.
        value: f64,
    },
    /// The instance price was negative, NaN, infinite or above [`MAX_USD_PER_INSTANCE_HOUR`].
    #[error("instance price must be between 0 and {MAX_USD_PER_INSTANCE_HOUR:e} USD per hour, got {}", crate::units::format_message_number(*.value))]
    InstancePriceOutOfRange {
        /// The offending value, USD per hour.
        value: f64,
    },
    /// Billed hours per month were not in `(0, MAX_HOURS_PER_MONTH]`.
    #[error("billed hours per month must be more than 0 and at most {MAX_HOURS_PER_MONTH} \
         (31 days), got {}", crate::units::format_message_number(*.value))]
    HoursOutOfRange {
        /// The offending value, hours.
        value: f64,
    },
    /// A price or free-tier allowance in a [`PriceTable`] was negative, NaN, infinite or too large.
    #[error("{what} must be between 0 and {max:e}, got {}", crate::units::format_message_number(*.value))]
    PriceOutOfRange {
        /// Which price, in words.
        what: &'static str,
        /// The offending value.
        value: f64,
        /// The largest accepted value.
        max: f64,
    },
    /// An architecture's duration tiers in a [`PriceTable`] were malformed.
    #[error("{} duration price tiers are invalid: {problem}", .arch.key())]
    TiersInvalid {
        /// The architecture whose tiers are malformed.
        arch: Arch,
        /// What is wrong with them.
        problem: &'static str,
    },
    /// A curve's request range was not `0 < from < to <= MAX_REQUESTS_PER_MONTH`.
    #[error(
        "a cost curve needs 0 < from < to <= {MAX_REQUESTS_PER_MONTH:e} requests per month, \
         got from {from} to {to}"
    )]
    CurveRangeInvalid {
        /// Requested start of the range, requests per month.
        from: f64,
        /// Requested end of the range, requests per month.
        to: f64,
    },
    /// A fleet tier's node count exceeded [`MAX_INSTANCES`].
    #[error("{tier} nodes must be at most {MAX_INSTANCES:e}, got {value}")]
    NodeCountOutOfRange {
        /// The tier's key (`web`, `cache`, `db`).
        tier: &'static str,
        /// The offending count.
        value: u32,
    },
    /// A byte count (stored, or sent per month) was negative, NaN, infinite or above its bound.
    #[error("{what} must be between 0 and {max:e}, got {}", crate::units::format_message_number(*.value))]
    BytesOutOfRange {
        /// Which byte count, in words.
        what: &'static str,
        /// The offending value.
        value: f64,
        /// The largest accepted value.
        max: f64,
    },
    /// The replication factor was not in `[1, 100]`.
    #[error("replication must be between 1 and {} copies, got {}", fleet::MAX_REPLICATION, crate::units::format_message_number(*.value))]
    ReplicationOutOfRange {
        /// The offending value.
        value: f64,
    },
    /// The price catalog has no price for something a bill needs, in that region. The catalog
    /// leaves out what it could not source rather than guess ([`catalog::NOT_IN_CATALOG`]).
    #[error("the price catalog has no price for {item} in {region}")]
    PriceUnknown {
        /// What has no price, e.g. `m5.large (EC2 instance (Linux))`, `internet egress`.
        item: String,
        /// The region asked for.
        region: catalog::Region,
    },
    /// A curve's number of samples was not in `[2, MAX_CURVE_POINTS]`.
    #[error("a cost curve needs from 2 to {MAX_CURVE_POINTS} points, got {value}")]
    CurvePointsOutOfRange {
        /// The offending number of samples.
        value: usize,
    },
}

impl CostError {
    /// The query key of the input at fault (as in the README's query keys), or `None` for errors that do not come
    /// from one input (price tables, curve ranges).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::RequestsOutOfRange { .. } => Some("req_month"),
            Self::DurationOutOfRange { .. } => Some("dur_ms"),
            Self::MemoryOutOfRange { .. } => Some("mem_mb"),
            Self::InstanceCountOutOfRange { .. } => Some("inst_n"),
            Self::InstancePriceOutOfRange { .. } => Some("inst_hr"),
            Self::HoursOutOfRange { .. } => Some("hours"),
            _ => None,
        }
    }
}

choice_enum! {
    /// The CPU architecture a Lambda function runs on; Arm (Graviton) duration is about 20% cheaper.
    #[derive(Default)]
    pub enum Arch {
        /// x86_64.
        #[default]
        X86 = "x86", "x86",
        /// arm64 (AWS Graviton).
        Arm = "arm", "Arm (Graviton)",
    }
}

validated_struct! {
    /// A serverless workload: how many requests a month, how long each runs, with how much memory.
    ///
    /// Deserializing validates like [`ServerlessWorkload::new`].
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(try_from = "ServerlessWorkloadFields")]
    pub struct ServerlessWorkload via ServerlessWorkloadFields -> CostError {
        requests_per_month: f64,
        duration_ms: f64,
        memory_mb: f64,
        arch: Arch,
        free_tier: bool,
    }
}

fn check_requests(requests_per_month: f64) -> Result<f64, CostError> {
    if (0.0..=MAX_REQUESTS_PER_MONTH).contains(&requests_per_month) {
        Ok(requests_per_month)
    } else {
        Err(CostError::RequestsOutOfRange {
            value: requests_per_month,
        })
    }
}

fn check_memory(memory_mb: f64) -> Result<f64, CostError> {
    // Lambda configures memory in 1 MB steps.
    if (MIN_MEMORY_MB..=MAX_MEMORY_MB).contains(&memory_mb) && memory_mb.fract() == 0.0 {
        Ok(memory_mb)
    } else {
        Err(CostError::MemoryOutOfRange { value: memory_mb })
    }
}

impl ServerlessWorkload {
    /// Builds a workload. `free_tier` says whether the account's monthly free tier applies.
    ///
    /// # Errors
    /// [`CostError::RequestsOutOfRange`] unless `requests_per_month` is in
    /// `[0, MAX_REQUESTS_PER_MONTH]`; [`CostError::DurationOutOfRange`] unless `duration_ms` is in
    /// `(0, 900,000]`; [`CostError::MemoryOutOfRange`] unless `memory_mb` is a whole number in
    /// `[128, 10,240]`. NaN and infinities are rejected by all three.
    ///
    /// # Examples
    /// ```
    /// use headroom::cost::{Arch, ServerlessWorkload};
    /// assert!(ServerlessWorkload::new(1e6, 200.0, 256.0, Arch::X86, false).is_ok());
    /// assert!(ServerlessWorkload::new(1e6, 200.0, 64.0, Arch::X86, false).is_err());
    /// ```
    pub fn new(
        requests_per_month: f64,
        duration_ms: f64,
        memory_mb: f64,
        arch: Arch,
        free_tier: bool,
    ) -> Result<Self, CostError> {
        check_requests(requests_per_month)?;
        if !(duration_ms > 0.0 && duration_ms <= MAX_DURATION_MS) {
            return Err(CostError::DurationOutOfRange { value: duration_ms });
        }
        check_memory(memory_mb)?;
        Ok(Self {
            requests_per_month,
            duration_ms,
            memory_mb,
            arch,
            free_tier,
        })
    }

    /// The same workload with another memory size (duration unchanged).
    ///
    /// # Errors
    /// [`CostError::MemoryOutOfRange`] as in [`ServerlessWorkload::new`].
    pub fn with_memory_mb(&self, memory_mb: f64) -> Result<Self, CostError> {
        Ok(Self {
            memory_mb: check_memory(memory_mb)?,
            ..self.clone()
        })
    }

    /// Requests per month.
    pub fn requests_per_month(&self) -> f64 {
        self.requests_per_month
    }

    /// Duration of one request as given, ms.
    pub fn duration_ms(&self) -> f64 {
        self.duration_ms
    }

    /// Duration AWS bills for one request: the run time rounded up to the next whole ms
    /// ("rounded up to the nearest 1 ms", AWS Lambda pricing page). The input is taken as the
    /// duration of every request; for an average over uneven requests this slightly
    /// under-counts, since the rounding applies to each request separately.
    pub fn billed_duration_ms(&self) -> f64 {
        self.duration_ms.ceil()
    }

    /// Memory allocated to the function, MB.
    pub fn memory_mb(&self) -> f64 {
        self.memory_mb
    }

    /// CPU architecture.
    pub fn arch(&self) -> Arch {
        self.arch
    }

    /// Whether the monthly free tier applies.
    pub fn free_tier(&self) -> bool {
        self.free_tier
    }

    /// GB-seconds at `requests` requests, before the free tier.
    ///
    /// # Formula
    /// ```text
    /// G = R × d × m / (1000 × 1024)
    /// R = requests per month, d = billed duration per request (ms, rounded up),
    /// m = memory (MB); AWS bills memory in GB of 1024 MB and duration in s of 1000 ms
    /// Source: AWS Lambda pricing page ("Total compute (GB-s) = seconds × MB / 1024").
    /// Chapter, section 8: 1M × 200 ms × 256 MB = 1e6 × 0.2 s × 0.25 GB = 50,000 GB-s.
    /// ```
    pub(crate) fn gb_seconds_at(&self, requests: f64) -> f64 {
        // Multiplying before dividing keeps whole-number inputs exact (1e6 × 200 × 256 is an
        // exact f64), and every step rounds monotonically, so cost is non-decreasing in each input.
        requests * self.billed_duration_ms() * self.memory_mb / MB_MS_PER_GB_SECOND
    }

    /// GB-seconds one request uses.
    pub fn gb_seconds_per_request(&self) -> f64 {
        self.gb_seconds_at(1.0)
    }
}

validated_struct! {
    /// An always-on fleet of identical instances, billed by the hour.
    ///
    /// Deserializing validates like [`InstanceFleet::new`].
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(try_from = "InstanceFleetFields")]
    pub struct InstanceFleet via InstanceFleetFields -> CostError {
        count: f64,
        usd_per_hour: f64,
        hours_per_month: f64,
    }
}

impl InstanceFleet {
    /// Builds a fleet of `count` instances at `usd_per_hour` each, billed `hours_per_month`.
    ///
    /// # Errors
    /// [`CostError::InstanceCountOutOfRange`] unless `count` is a whole number in
    /// `[0, MAX_INSTANCES]`; [`CostError::InstancePriceOutOfRange`] unless `usd_per_hour` is in
    /// `[0, MAX_USD_PER_INSTANCE_HOUR]`; [`CostError::HoursOutOfRange`] unless `hours_per_month`
    /// is in `(0, 744]`. NaN and infinities are rejected by all three.
    ///
    /// # Examples
    /// ```
    /// use headroom::cost::InstanceFleet;
    /// assert!(InstanceFleet::new(3.0, 0.0416, 720.0).is_ok());
    /// assert!(InstanceFleet::new(3.0, 0.0416, 800.0).is_err()); // no month has 800 hours
    /// ```
    pub fn new(count: f64, usd_per_hour: f64, hours_per_month: f64) -> Result<Self, CostError> {
        if !((0.0..=MAX_INSTANCES).contains(&count) && count.fract() == 0.0) {
            return Err(CostError::InstanceCountOutOfRange { value: count });
        }
        if !(0.0..=MAX_USD_PER_INSTANCE_HOUR).contains(&usd_per_hour) {
            return Err(CostError::InstancePriceOutOfRange {
                value: usd_per_hour,
            });
        }
        if !(hours_per_month > 0.0 && hours_per_month <= MAX_HOURS_PER_MONTH) {
            return Err(CostError::HoursOutOfRange {
                value: hours_per_month,
            });
        }
        Ok(Self {
            count,
            usd_per_hour,
            hours_per_month,
        })
    }

    /// Number of instances.
    pub fn count(&self) -> f64 {
        self.count
    }

    /// Price of one instance, USD per hour.
    pub fn usd_per_hour(&self) -> f64 {
        self.usd_per_hour
    }

    /// Hours each instance is billed per month.
    pub fn hours_per_month(&self) -> f64 {
        self.hours_per_month
    }
}

/// A month of serverless charges, with the quantities they were computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServerlessCost {
    /// Request charge, USD.
    pub request_usd: f64,
    /// Duration (compute) charge, USD.
    pub compute_usd: f64,
    /// `request_usd + compute_usd`, USD.
    pub total_usd: f64,
    /// GB-seconds used, before the free tier.
    pub gb_seconds: f64,
    /// Requests charged (after the free tier, if it applies).
    pub billable_requests: f64,
    /// GB-seconds charged (after the free tier, if it applies).
    pub billable_gb_seconds: f64,
    /// Billed duration of one request, ms (rounded up to a whole ms).
    pub billed_duration_ms: f64,
    /// The compute charge split over the duration tiers it reaches.
    pub compute_by_tier: Vec<TierCharge>,
}

/// One month of a serverless workload, priced.
///
/// # Formula
/// ```text
/// G   = R × d × m / (1000 × 1024)                     GB-seconds (see gb_seconds_at)
/// R_b = max(R − F_R, 0) with the free tier, else R     billable requests
/// G_b = max(G − F_G, 0) with the free tier, else G     billable GB-seconds
/// request_usd = R_b × P_R / 1,000,000
/// compute_usd = Σ_i g_i × p_i, the tiers applied to G_b (see PriceTable tiers)
/// total_usd   = request_usd + compute_usd
/// R = requests/month, d = billed ms per request, m = memory MB, P_R = USD per million
/// requests, F_R = free requests (1,000,000), F_G = free GB-seconds (400,000)
/// Source: AWS Lambda pricing page, us-east-1 (see PriceTable::aws_lambda_2026).
/// ```
///
/// # Examples
/// ```
/// use headroom::cost::{serverless_monthly_cost, Arch, PriceTable, ServerlessWorkload};
/// // The chapter's example: 50,000 GB-s × $0.0000166667 + 1M × $0.20/M = $1.033335.
/// let lambda = ServerlessWorkload::new(1e6, 200.0, 256.0, Arch::X86, false)?;
/// let cost = serverless_monthly_cost(&lambda, &PriceTable::aws_lambda_2026());
/// assert!((cost.total_usd - 1.033335).abs() < 1e-9);
/// # Ok::<(), headroom::cost::CostError>(())
/// ```
pub fn serverless_monthly_cost(
    workload: &ServerlessWorkload,
    prices: &PriceTable,
) -> ServerlessCost {
    serverless_cost_at(workload, prices, workload.requests_per_month)
}

/// [`serverless_monthly_cost`] of `workload`'s shape at another request volume.
pub(crate) fn serverless_cost_at(
    workload: &ServerlessWorkload,
    prices: &PriceTable,
    requests: f64,
) -> ServerlessCost {
    let gb_seconds = workload.gb_seconds_at(requests);
    let (billable_requests, billable_gb_seconds) = if workload.free_tier {
        (
            (requests - prices.free_requests_per_month()).max(0.0),
            (gb_seconds - prices.free_gb_seconds_per_month()).max(0.0),
        )
    } else {
        (requests, gb_seconds)
    };
    let request_usd = billable_requests * (prices.usd_per_million_requests() / PRICED_REQUESTS);
    let compute_by_tier = prices.tier_charges(workload.arch, billable_gb_seconds);
    let compute_usd = compute_by_tier.iter().map(|charge| charge.usd).sum::<f64>();
    ServerlessCost {
        request_usd,
        compute_usd,
        total_usd: request_usd + compute_usd,
        gb_seconds,
        billable_requests,
        billable_gb_seconds,
        billed_duration_ms: workload.billed_duration_ms(),
        compute_by_tier,
    }
}

/// A month of an always-on instance fleet, USD.
///
/// # Formula
/// ```text
/// C = n × p × h
/// n = instances, p = USD per instance-hour, h = billed hours per month
/// Source: the chapter, section 8: 3 × $0.0416/h × 720 h = $89.856 (shown as $90).
/// ```
///
/// # Examples
/// ```
/// use headroom::cost::{instances_monthly_cost, InstanceFleet};
/// let fleet = InstanceFleet::new(3.0, 0.0416, 720.0)?;
/// assert!((instances_monthly_cost(&fleet) - 89.856).abs() < 1e-9);
/// # Ok::<(), headroom::cost::CostError>(())
/// ```
pub fn instances_monthly_cost(fleet: &InstanceFleet) -> f64 {
    fleet.count * fleet.usd_per_hour * fleet.hours_per_month
}

/// The traces of the cost figures ([`serverless_monthly_cost`], [`instances_monthly_cost`],
/// [`crossover_requests_per_month`]), from the same inputs and constants, keyed by the figure's
/// path in the report.
pub(crate) fn explain(
    workload: &ServerlessWorkload,
    fleet: &InstanceFleet,
    prices: &PriceTable,
    serverless: &ServerlessCost,
    instances_usd: f64,
    crossover: &Crossover,
    out: &mut Entries<String>,
) {
    out.push(
        "cost.serverless.gb_seconds",
        text!(
            "{} requests × {} s × {} MB / {} = {} GB-s",
            format_si(workload.requests_per_month),
            format_count(serverless.billed_duration_ms / MS_PER_SECOND),
            format_count(workload.memory_mb),
            format_count(MB_PER_GB),
            format_si(serverless.gb_seconds)
        ),
    );
    out.push(
        "cost.serverless_usd_per_month",
        text!(
            "{} billable requests × {}/{} + {} billable GB-s at the tier prices = {} + {} = {}",
            format_si(serverless.billable_requests),
            format_usd(prices.usd_per_million_requests()),
            format_si(PRICED_REQUESTS),
            format_si(serverless.billable_gb_seconds),
            format_usd(serverless.request_usd),
            format_usd(serverless.compute_usd),
            format_usd(serverless.total_usd)
        ),
    );
    let hours = format_count(fleet.hours_per_month);
    out.push(
        "cost.instances_usd_per_month",
        text!(
            "{} × {}/h × {hours} h = {}",
            format_count(fleet.count),
            format_usd(fleet.usd_per_hour),
            format_usd(instances_usd)
        ),
    );
    out.push(
        "cost.crossover_requests_per_month",
        match (crossover.requests_per_month, crossover.requests_per_second) {
            (Some(per_month), Some(per_second)) => text!(
                "serverless costs the instances' {} a month at {} requests a month \
                 ({} req/s over {hours} h)",
                format_usd(instances_usd),
                format_si(per_month),
                format_count(per_second),
            ),
            _ => "no crossover: one option is cheaper at every volume".to_string(),
        },
    );
}

/// Which month the instances are billed for and why, for the page: the availability page's month
/// is a twelfth of a year (730 h, [`crate::availability::Convention::month_note`]) and AWS's
/// pricing calculator bills 730 h too, while the chapter prices its fleet for 720 h (30 days),
/// the `hours` field's default.
///
/// # Examples
/// ```
/// use headroom::cost::month_note;
/// assert!(month_note(720.0).starts_with("720 h a month"));
/// ```
pub fn month_note(hours_per_month: f64) -> String {
    let hours = format_count(hours_per_month);
    if hours_per_month == 720.0 {
        format!(
            "{hours} h a month: 30 days, as the chapter prices its fleet; AWS's pricing \
             calculator and /availability use 730 h, a twelfth of a year"
        )
    } else if hours_per_month == 730.0 {
        format!("{hours} h a month: a twelfth of a year, as AWS's pricing calculator bills")
    } else {
        format!("{hours} h a month, as set in Hours per month")
    }
}

#[cfg(test)]
mod tests;
