//! Pricing a fleet: the monthly bill of a capacity plan's nodes (web, cache, database), storage,
//! internet egress and API Gateway, line by line, from the price catalog, [`super::catalog`].
//!
//! # Hours in a month
//! Nodes are billed for [`DEFAULT_HOURS_PER_MONTH`] = 720 h unless told otherwise: the
//! convention of the cost page (its `hours` key, 30 days, as the chapter prices its fleet, see
//! [`super::month_note`]), so the fleet's bill and the Lambda comparison beside it count the same
//! month. AWS's pricing calculator and the availability page count 730 h (a twelfth of a year);
//! pass 730 for that. Storage is priced per GB-month whatever the hours.
//!
//! # Examples
//! ```
//! use headroom::cost::catalog::{Purchase, Region};
//! use headroom::cost::fleet::{fleet_monthly_bill, FleetSpec, FleetTier};
//! // 3 × m7i.large in us-east-1, on-demand, 720 h: 3 × 720 × $0.1008 = $217.728.
//! let spec = FleetSpec::new(Region::UsEast1, Purchase::OnDemand, 720.0)?
//!     .with_nodes(FleetTier::Web, 3, "m7i.large")?;
//! let bill = fleet_monthly_bill(&spec)?;
//! assert_eq!(bill.lines[0].item, "web: m7i.large, us-east-1, on-demand");
//! assert!((bill.usd_per_month - 217.728).abs() < 1e-9);
//! # Ok::<(), headroom::cost::CostError>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::choice::choice_enum;
use crate::units::format_count;

use super::catalog::{
    self, API_GATEWAY_HTTP, API_GATEWAY_REST, EBS_GP3, FREE_EGRESS_GB, INTERNET_EGRESS, Purchase,
    Region, S3_STANDARD, Service, Tier, TieredPrice, UnitPrice,
};
use super::tiered::tier_uses;
use super::{
    CostError, MAX_HOURS_PER_MONTH, MAX_INSTANCES, MAX_REQUESTS_PER_MONTH,
    MAX_USD_PER_INSTANCE_HOUR, PRICED_REQUESTS,
};

/// Hours a node is billed per month unless told otherwise: 720 h (30 days), the cost page's
/// `hours` default.
pub const DEFAULT_HOURS_PER_MONTH: f64 = 720.0;

/// Bytes in the GB AWS bills storage and data transfer in: 2^30. Source: the API Gateway pricing
/// page's example turns 3 KB × 5 million = 15 million KB into 14.3 GB (15e6 × 1024 / 2^30).
pub const BYTES_PER_GB: f64 = 1_073_741_824.0;

/// Largest accepted stored or transferred byte count: 10^21 (a zettabyte); beyond it the input is
/// surely a typo.
pub const MAX_BYTES: f64 = 1e21;

/// Largest accepted replication factor, as the capacity page's `repl` key allows.
pub const MAX_REPLICATION: f64 = 100.0;

choice_enum! {
    /// A tier of the fleet the capacity plan sizes.
    pub enum FleetTier {
        /// Web or application servers.
        Web = "web", "Web",
        /// Cache nodes.
        Cache = "cache", "Cache",
        /// Database nodes.
        Db = "db", "Database",
    }
}

choice_enum! {
    /// Which API Gateway, if any, fronts the fleet.
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum ApiGateway {
        /// No API Gateway.
        #[default]
        None = "none", "None",
        /// HTTP API.
        Http = "http", "HTTP API",
        /// REST API.
        Rest = "rest", "REST API",
    }
}

choice_enum! {
    /// Where the stored bytes live.
    #[derive(Default)]
    pub enum StorageClass {
        /// Block storage: EBS gp3 volumes.
        #[default]
        Block = "block", "Block (EBS gp3)",
        /// Object storage: S3 Standard.
        Object = "object", "Object (S3 Standard)",
    }
}

/// The service a node type runs in, from its name: `cache.*` is ElastiCache, `db.*` is RDS,
/// anything else an EC2 instance (so a cache tier can run on EC2 too).
///
/// # Examples
/// ```
/// use headroom::cost::catalog::Service;
/// use headroom::cost::fleet::service_of;
/// assert_eq!(service_of("cache.r7g.large"), Service::ElastiCache);
/// assert_eq!(service_of("r7i.large"), Service::Ec2);
/// ```
pub fn service_of(node_type: &str) -> Service {
    if node_type.starts_with("cache.") {
        Service::ElastiCache
    } else if node_type.starts_with("db.") {
        Service::Rds
    } else {
        Service::Ec2
    }
}

/// How many nodes of which type a tier runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierNodes {
    /// Number of nodes.
    pub count: u32,
    /// Node type, e.g. `m7i.large`.
    pub node_type: String,
}

/// What a fleet bill is computed from: the nodes per tier, where and how they are bought, the
/// stored bytes, the egress and the API Gateway traffic of a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleetSpec {
    region: Region,
    purchase: Purchase,
    hours_per_month: f64,
    web: TierNodes,
    cache: TierNodes,
    db: TierNodes,
    stored_bytes: f64,
    replication: f64,
    storage: StorageClass,
    egress_bytes_per_month: f64,
    free_egress: bool,
    api_gateway: ApiGateway,
    requests_per_month: f64,
    /// Your own on-demand price per node-hour for a tier, in place of the catalog's.
    node_price_override: [Option<f64>; 3],
}

fn check_bytes(what: &'static str, value: f64) -> Result<f64, CostError> {
    if (0.0..=MAX_BYTES).contains(&value) {
        Ok(value)
    } else {
        Err(CostError::BytesOutOfRange {
            what,
            value,
            max: MAX_BYTES,
        })
    }
}

impl FleetSpec {
    /// An empty fleet in `region`, bought as `purchase`, billed `hours_per_month`: no nodes
    /// (the tiers default to `m7i.large`, `cache.r7g.large`, `db.r7g.large`), nothing stored,
    /// no egress, no API Gateway.
    ///
    /// # Errors
    /// [`CostError::HoursOutOfRange`] unless `hours_per_month` is in `(0, 744]`.
    pub fn new(
        region: Region,
        purchase: Purchase,
        hours_per_month: f64,
    ) -> Result<Self, CostError> {
        if !(hours_per_month > 0.0 && hours_per_month <= MAX_HOURS_PER_MONTH) {
            return Err(CostError::HoursOutOfRange {
                value: hours_per_month,
            });
        }
        let nodes = |node_type: &str| TierNodes {
            count: 0,
            node_type: node_type.to_owned(),
        };
        Ok(Self {
            region,
            purchase,
            hours_per_month,
            web: nodes("m7i.large"),
            cache: nodes("cache.r7g.large"),
            db: nodes("db.r7g.large"),
            stored_bytes: 0.0,
            replication: 1.0,
            storage: StorageClass::Block,
            egress_bytes_per_month: 0.0,
            free_egress: true,
            api_gateway: ApiGateway::None,
            requests_per_month: 0.0,
            node_price_override: [None; 3],
        })
    }

    /// The same fleet with your own on-demand price per node-hour for `tier`, in place of the
    /// catalog's (for a type or region the catalog lacks, or a negotiated price); the purchase
    /// option's discount still applies to it.
    ///
    /// # Errors
    /// [`CostError::InstancePriceOutOfRange`] unless `usd_per_hour` is in
    /// `[0, MAX_USD_PER_INSTANCE_HOUR]`.
    pub fn with_node_price(
        mut self,
        tier: FleetTier,
        usd_per_hour: f64,
    ) -> Result<Self, CostError> {
        if !(0.0..=MAX_USD_PER_INSTANCE_HOUR).contains(&usd_per_hour) {
            return Err(CostError::InstancePriceOutOfRange {
                value: usd_per_hour,
            });
        }
        self.node_price_override[tier as usize] = Some(usd_per_hour);
        Ok(self)
    }

    /// The same fleet with `count` nodes of `node_type` in `tier`.
    ///
    /// # Errors
    /// [`CostError::NodeCountOutOfRange`] when `count` exceeds [`MAX_INSTANCES`].
    pub fn with_nodes(
        mut self,
        tier: FleetTier,
        count: u32,
        node_type: &str,
    ) -> Result<Self, CostError> {
        if f64::from(count) > MAX_INSTANCES {
            return Err(CostError::NodeCountOutOfRange {
                tier: tier.key(),
                value: count,
            });
        }
        let nodes = TierNodes {
            count,
            node_type: node_type.trim().to_owned(),
        };
        match tier {
            FleetTier::Web => self.web = nodes,
            FleetTier::Cache => self.cache = nodes,
            FleetTier::Db => self.db = nodes,
        }
        Ok(self)
    }

    /// The same fleet storing `stored_bytes` (before replication), `replication` copies of
    /// each, in `storage`.
    ///
    /// # Errors
    /// [`CostError::BytesOutOfRange`] unless `stored_bytes` is in `[0, MAX_BYTES]`;
    /// [`CostError::ReplicationOutOfRange`] unless `replication` is in `[1, 100]`.
    pub fn with_storage(
        mut self,
        stored_bytes: f64,
        replication: f64,
        storage: StorageClass,
    ) -> Result<Self, CostError> {
        self.stored_bytes = check_bytes("stored bytes", stored_bytes)?;
        if !(1.0..=MAX_REPLICATION).contains(&replication) {
            return Err(CostError::ReplicationOutOfRange { value: replication });
        }
        self.replication = replication;
        self.storage = storage;
        Ok(self)
    }

    /// The same fleet sending `bytes_per_month` to the internet; `free_allowance` says whether
    /// the account's free 100 GB a month ([`FREE_EGRESS_GB`]) is still there for it.
    ///
    /// # Errors
    /// [`CostError::BytesOutOfRange`] unless `bytes_per_month` is in `[0, MAX_BYTES]`.
    pub fn with_egress(
        mut self,
        bytes_per_month: f64,
        free_allowance: bool,
    ) -> Result<Self, CostError> {
        self.egress_bytes_per_month = check_bytes("egress bytes per month", bytes_per_month)?;
        self.free_egress = free_allowance;
        Ok(self)
    }

    /// The same fleet serving `requests_per_month`, through `api_gateway`. The requests also
    /// give the bill's cost per million requests, with or without an API Gateway.
    ///
    /// # Errors
    /// [`CostError::RequestsOutOfRange`] unless `requests_per_month` is in
    /// `[0, MAX_REQUESTS_PER_MONTH]`.
    pub fn with_requests(
        mut self,
        requests_per_month: f64,
        api_gateway: ApiGateway,
    ) -> Result<Self, CostError> {
        if !(0.0..=MAX_REQUESTS_PER_MONTH).contains(&requests_per_month) {
            return Err(CostError::RequestsOutOfRange {
                value: requests_per_month,
            });
        }
        self.requests_per_month = requests_per_month;
        self.api_gateway = api_gateway;
        Ok(self)
    }

    /// The region.
    pub fn region(&self) -> Region {
        self.region
    }

    /// The purchase option.
    pub fn purchase(&self) -> Purchase {
        self.purchase
    }

    /// Hours each node is billed per month.
    pub fn hours_per_month(&self) -> f64 {
        self.hours_per_month
    }

    /// The nodes of one tier.
    pub fn nodes(&self, tier: FleetTier) -> &TierNodes {
        match tier {
            FleetTier::Web => &self.web,
            FleetTier::Cache => &self.cache,
            FleetTier::Db => &self.db,
        }
    }

    /// Bytes stored, before replication.
    pub fn stored_bytes(&self) -> f64 {
        self.stored_bytes
    }

    /// Copies of every stored byte.
    pub fn replication(&self) -> f64 {
        self.replication
    }

    /// Where the bytes are stored.
    pub fn storage(&self) -> StorageClass {
        self.storage
    }

    /// Bytes sent to the internet per month.
    pub fn egress_bytes_per_month(&self) -> f64 {
        self.egress_bytes_per_month
    }

    /// Whether the free 100 GB of egress a month applies.
    pub fn free_egress(&self) -> bool {
        self.free_egress
    }

    /// The API Gateway in front, if any.
    pub fn api_gateway(&self) -> ApiGateway {
        self.api_gateway
    }

    /// Requests served per month.
    pub fn requests_per_month(&self) -> f64 {
        self.requests_per_month
    }
}

/// One line of a bill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BillLine {
    /// What is charged, e.g. `web: m7i.large, us-east-1, on-demand`.
    pub item: String,
    /// How much of it, in `unit`s.
    pub quantity: f64,
    /// The unit, e.g. `node-hour`, `GB-month`, `GB`, `million requests`.
    pub unit: String,
    /// USD per unit (after any purchase discount).
    pub unit_price_usd: f64,
    /// `quantity × unit_price_usd`, USD.
    pub usd_per_month: f64,
    /// Where the price comes from, and the discount assumption if one applies.
    pub source: String,
}

/// A month of a fleet, priced line by line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetBill {
    /// The region priced.
    pub region: Region,
    /// The purchase option priced.
    pub purchase: Purchase,
    /// Hours each node is billed.
    pub hours_per_month: f64,
    /// The lines, in order: web, cache, database nodes, storage, egress tiers, API Gateway tiers.
    pub lines: Vec<BillLine>,
    /// Sum of the lines, USD per month.
    pub usd_per_month: f64,
    /// `usd_per_month` per million requests served, or `None` when no requests are given.
    pub usd_per_million_requests: Option<f64>,
}

/// The monthly bill of a fleet.
///
/// # Formula
/// ```text
/// nodes:    C_t = n_t × h × p_t × (1 − f)        for each tier t with n_t > 0
/// storage:  C_s = (B × r / 2^30) × p_s            GB-months
/// egress:   C_e = Σ_i q_i × p_i over the egress tiers of E / 2^30 GB
/// gateway:  C_g = Σ_i q_i × p_i over the API Gateway tiers of R / 10^6 million requests
/// total:    C = C_web + C_cache + C_db + C_s + C_e + C_g
/// per million requests: C / (R / 10^6)
/// n_t = nodes, h = hours per month, p_t = on-demand USD per node-hour (catalog), f = the
/// purchase option's assumed discount (spot: EC2 only), B = stored bytes, r = replication,
/// p_s = USD per GB-month (EBS gp3 or S3 Standard), E = egress bytes, R = requests per month,
/// q_i, p_i = quantity and price of tier i (see tiered::tier_uses); a GB is 2^30 bytes.
/// Sources: each line's `source` (the catalog).
/// ```
///
/// # Errors
/// [`CostError::PriceUnknown`] when the catalog has no price for a node type, the storage class,
/// the egress or the API Gateway in the region and the quantity is not zero.
pub fn fleet_monthly_bill(spec: &FleetSpec) -> Result<FleetBill, CostError> {
    let (bill, mut missing) = fleet_bill_priced(spec);
    match missing.is_empty() {
        true => Ok(bill),
        false => Err(missing.swap_remove(0)),
    }
}

/// [`fleet_monthly_bill`], pricing what the catalog can: the lines it has no price for are left
/// out of the bill (and its total) and returned beside it, each as
/// [`CostError::PriceUnknown`], so a page can show the rest and say what is missing.
pub fn fleet_bill_priced(spec: &FleetSpec) -> (FleetBill, Vec<CostError>) {
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    let mut keep = |result: Result<(), CostError>| {
        if let Err(err) = result {
            missing.push(err);
        }
    };
    for tier in FleetTier::ALL {
        keep(node_line(spec, tier).map(|line| lines.extend(line)));
    }
    keep(storage_line(spec).map(|line| lines.extend(line)));
    keep(egress_lines(spec, &mut lines));
    keep(api_gateway_lines(spec, &mut lines));
    let usd_per_month = lines.iter().map(|line| line.usd_per_month).sum::<f64>();
    let usd_per_million_requests = (spec.requests_per_month > 0.0)
        .then(|| usd_per_month / (spec.requests_per_month / PRICED_REQUESTS));
    let bill = FleetBill {
        region: spec.region,
        purchase: spec.purchase,
        hours_per_month: spec.hours_per_month,
        lines,
        usd_per_month,
        usd_per_million_requests,
    };
    (bill, missing)
}

fn unknown(item: String, region: Region) -> CostError {
    CostError::PriceUnknown { item, region }
}

/// What one node of a tier costs per hour as bought, and where that price comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRate {
    /// USD per node-hour, after the purchase option's discount.
    pub usd_per_hour: f64,
    /// The purchase option as billed (spot falls back to on-demand for managed nodes).
    pub purchase: String,
    /// The price's source, and the discount's basis when one applies.
    pub source: String,
}

/// The price per node-hour of `node_type` in `service` bought as `purchase`, from `list_price`
/// (on-demand USD per node-hour) and the purchase option's discount: p_od × (1 − f).
pub fn node_rate_from(
    list_price: f64,
    list_source: String,
    service: Service,
    purchase: Purchase,
) -> NodeRate {
    // Spot capacity exists for EC2 only: managed cache and database nodes bill on-demand.
    let (purchase_text, discount) = if purchase == Purchase::Spot && service != Service::Ec2 {
        (
            format!("on-demand (no spot for {})", service.label()),
            catalog::purchase_discount(Purchase::OnDemand),
        )
    } else {
        (
            purchase.key().to_owned(),
            catalog::purchase_discount(purchase),
        )
    };
    let mut source = list_source;
    if discount.fraction_off > 0.0 {
        source.push_str("; ");
        source.push_str(discount.basis);
    }
    NodeRate {
        usd_per_hour: list_price * (1.0 - discount.fraction_off),
        purchase: purchase_text,
        source,
    }
}

/// The price per node-hour of `tier`'s nodes: your own price when given, else the catalog's.
///
/// # Errors
/// [`CostError::PriceUnknown`] when neither exists.
pub fn node_rate(spec: &FleetSpec, tier: FleetTier) -> Result<NodeRate, CostError> {
    let nodes = spec.nodes(tier);
    let service = service_of(&nodes.node_type);
    let (list_price, list_source) = match spec.node_price_override[tier as usize] {
        Some(price) => (price, format!("your price ({}_usd_hr)", tier.key())),
        None => {
            let price =
                catalog::node_price(service, &nodes.node_type, spec.region).ok_or_else(|| {
                    unknown(
                        format!("{} ({})", nodes.node_type, service.label()),
                        spec.region,
                    )
                })?;
            (price.usd_per_hour, price.source.cite())
        }
    };
    Ok(node_rate_from(
        list_price,
        list_source,
        service,
        spec.purchase,
    ))
}

fn node_line(spec: &FleetSpec, tier: FleetTier) -> Result<Option<BillLine>, CostError> {
    let nodes = spec.nodes(tier);
    if nodes.count == 0 {
        return Ok(None);
    }
    let rate = node_rate(spec, tier)?;
    let quantity = f64::from(nodes.count) * spec.hours_per_month;
    Ok(Some(BillLine {
        item: format!(
            "{}: {}, {}, {}",
            tier.key(),
            nodes.node_type,
            spec.region,
            rate.purchase
        ),
        quantity,
        unit: "node-hour".to_owned(),
        unit_price_usd: rate.usd_per_hour,
        usd_per_month: quantity * rate.usd_per_hour,
        source: rate.source,
    }))
}

/// The storage class's price in the spec's region, and its name.
///
/// # Errors
/// [`CostError::PriceUnknown`] when the catalog has none.
pub fn storage_price(spec: &FleetSpec) -> Result<(&'static UnitPrice, &'static str), CostError> {
    let (table, name) = match spec.storage {
        StorageClass::Block => (EBS_GP3, "EBS gp3"),
        StorageClass::Object => (S3_STANDARD, "S3 Standard"),
    };
    catalog::in_region(table, spec.region)
        .map(|price| (price, name))
        .ok_or_else(|| unknown(format!("{name} storage"), spec.region))
}

fn storage_line(spec: &FleetSpec) -> Result<Option<BillLine>, CostError> {
    if spec.stored_bytes == 0.0 {
        return Ok(None);
    }
    let (price, name) = storage_price(spec)?;
    let quantity = spec.stored_bytes * spec.replication / BYTES_PER_GB;
    Ok(Some(BillLine {
        item: format!(
            "storage: {name}, {}, {} × replicated",
            spec.region,
            format_count(spec.replication)
        ),
        quantity,
        unit: price.unit.to_owned(),
        unit_price_usd: price.usd_per_unit,
        usd_per_month: quantity * price.usd_per_unit,
        source: price.source.cite(),
    }))
}

/// The egress tiers without the free allowance: the paid tiers' bounds counted from 0.
fn without_free_allowance(tiers: &[Tier]) -> Vec<Tier> {
    tiers
        .iter()
        .filter(|tier| !(tier.usd_per_unit == 0.0 && tier.up_to == Some(FREE_EGRESS_GB)))
        .map(|tier| Tier {
            up_to: tier.up_to.map(|upper| upper - FREE_EGRESS_GB),
            usd_per_unit: tier.usd_per_unit,
        })
        .collect()
}

fn tier_lines(
    price: &TieredPrice,
    tiers: &[Tier],
    quantity: f64,
    name: &str,
    region: Region,
    lines: &mut Vec<BillLine>,
) {
    for used in tier_uses(tiers, quantity) {
        let range = match used.up_to {
            Some(upper) => format!("{}–{}", format_count(used.from), format_count(upper)),
            None => format!("over {}", format_count(used.from)),
        };
        lines.push(BillLine {
            item: format!("{name}: {region}, {} {range}", price.unit),
            quantity: used.quantity,
            unit: price.unit.to_owned(),
            unit_price_usd: used.usd_per_unit,
            usd_per_month: used.usd,
            source: price.source.cite(),
        });
    }
}

/// The internet egress tiers in the spec's region, GB per month, with or without the free
/// allowance as the spec says.
///
/// # Errors
/// [`CostError::PriceUnknown`] when the catalog has none.
pub fn egress_tiers(spec: &FleetSpec) -> Result<(&'static TieredPrice, Vec<Tier>), CostError> {
    let price = catalog::in_region(INTERNET_EGRESS, spec.region)
        .ok_or_else(|| unknown("internet egress".to_owned(), spec.region))?;
    let tiers = if spec.free_egress {
        price.tiers.to_vec()
    } else {
        without_free_allowance(price.tiers)
    };
    Ok((price, tiers))
}

fn egress_lines(spec: &FleetSpec, lines: &mut Vec<BillLine>) -> Result<(), CostError> {
    if spec.egress_bytes_per_month == 0.0 {
        return Ok(());
    }
    let (price, tiers) = egress_tiers(spec)?;
    let gb = spec.egress_bytes_per_month / BYTES_PER_GB;
    tier_lines(price, &tiers, gb, "egress to internet", spec.region, lines);
    Ok(())
}

/// The request tiers of `gateway` in `region` (USD per million requests), and its name; `None`
/// for no gateway.
///
/// # Errors
/// [`CostError::PriceUnknown`] when the catalog has none in the region.
pub fn api_gateway_price(
    gateway: ApiGateway,
    region: Region,
) -> Result<Option<(&'static TieredPrice, &'static str)>, CostError> {
    let (table, name) = match gateway {
        ApiGateway::None => return Ok(None),
        ApiGateway::Http => (API_GATEWAY_HTTP, "API Gateway HTTP API"),
        ApiGateway::Rest => (API_GATEWAY_REST, "API Gateway REST API"),
    };
    catalog::in_region(table, region)
        .map(|price| Some((price, name)))
        .ok_or_else(|| unknown(name.to_owned(), region))
}

fn api_gateway_lines(spec: &FleetSpec, lines: &mut Vec<BillLine>) -> Result<(), CostError> {
    if spec.requests_per_month == 0.0 {
        return Ok(());
    }
    let Some((price, name)) = api_gateway_price(spec.api_gateway, spec.region)? else {
        return Ok(());
    };
    let millions = spec.requests_per_month / PRICED_REQUESTS;
    tier_lines(price, price.tiers, millions, name, spec.region, lines);
    Ok(())
}

#[cfg(test)]
mod tests;
