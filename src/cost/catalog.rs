//! The fleet price catalog: what AWS charges for the nodes, storage, egress and API Gateway a
//! capacity plan needs, in four regions, each price with the page it is published on and the day
//! and place it was read.
//!
//! The tables are `&'static` slices of small `Copy` structs so the catalog ships to the browser
//! as constant data (no parsing, no allocation).
//!
//! # Sources
//! AWS renders most of its price pages from a JSON feed, so the stored copies of the pages rarely
//! hold the numbers. Every price here was read on 2026-11-30 from a copy of the provider's own
//! figures, named in [`Source::read_from`]: the AWS Price List as two public repositories
//! regenerate it (Karpenter's generated on-demand table for us-east-1, SkyPilot's EC2 catalog for
//! every region), the pricing pages' own text and worked examples, and, where only a secondary
//! source had a price, that source, said so.
//!
//! # Not in the catalog
//! Left out rather than guessed (see [`NOT_IN_CATALOG`]); a bill that needs one of them fails
//! with [`super::CostError::PriceUnknown`] naming it:
//! - ElastiCache and RDS node prices outside us-east-1;
//! - S3 Standard in eu-west-1 and ap-southeast-1;
//! - internet egress in us-west-2 and eu-west-1;
//! - API Gateway in us-west-2 and ap-southeast-1;
//! - Lambda provisioned concurrency outside us-east-1.

use serde::Serialize;

use crate::choice::choice_enum;

use super::Arch;

choice_enum! {
    /// An AWS region the catalog prices.
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum Region {
        /// US East (N. Virginia).
        #[default]
        UsEast1 = "us-east-1", "US East (N. Virginia)",
        /// US West (Oregon).
        UsWest2 = "us-west-2", "US West (Oregon)",
        /// Europe (Ireland).
        EuWest1 = "eu-west-1", "Europe (Ireland)",
        /// Asia Pacific (Singapore).
        ApSoutheast1 = "ap-southeast-1", "Asia Pacific (Singapore)",
    }
}

choice_enum! {
    /// The service a priced node runs in.
    pub enum Service {
        /// An EC2 instance, Linux, shared tenancy.
        Ec2 = "ec2", "EC2 instance (Linux)",
        /// An ElastiCache node, Redis OSS engine, node-based (not serverless).
        ElastiCache = "elasticache", "ElastiCache node (Redis OSS)",
        /// An RDS for PostgreSQL instance, Single-AZ.
        Rds = "rds", "RDS for PostgreSQL (Single-AZ)",
    }
}

choice_enum! {
    /// How the nodes are bought: on demand, committed for one or three years (Savings Plans or
    /// reserved nodes), or as spot capacity.
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum Purchase {
        /// On-demand, no commitment.
        #[default]
        OnDemand = "on-demand", "On-demand",
        /// One-year commitment, no upfront payment.
        OneYear = "1y", "1-year commitment",
        /// Three-year commitment, no upfront payment.
        ThreeYear = "3y", "3-year commitment",
        /// Spot capacity (EC2 only; may be interrupted).
        Spot = "spot", "Spot",
    }
}

/// Where a price comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The provider's public price page the price is published on.
    pub page: &'static str,
    /// Where it was actually read: the page itself, or the copy of the provider's figures (with
    /// its own date) that holds it.
    pub read_from: &'static str,
    /// The day it was read, `YYYY-MM-DD`.
    pub read_on: &'static str,
}

impl Source {
    /// One line for a bill: the page, then where and when the figure was read.
    ///
    /// # Examples
    /// ```
    /// use headroom::cost::catalog::EBS_GP3;
    /// assert!(EBS_GP3[0].source.cite().starts_with("https://aws.amazon.com/ebs/pricing/"));
    /// ```
    pub fn cite(&self) -> String {
        format!(
            "{}; read {} from {}",
            self.page, self.read_on, self.read_from
        )
    }
}

/// The day every price in the catalog was read.
pub const READ_ON: &str = "2026-11-30";

const EC2_PAGE: &str = "https://aws.amazon.com/ec2/pricing/on-demand/";

/// us-east-1 EC2 on-demand prices.
pub const EC2_US_EAST_1: Source = Source {
    page: EC2_PAGE,
    read_from: "the AWS Price List as generated on 2026-07-20 into aws/karpenter-provider-aws \
                pkg/providers/pricing/zz_generated.pricing_aws.go (us-east-1 on-demand, Linux); \
                the same figures are in skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv",
    read_on: READ_ON,
};

/// EC2 on-demand prices outside us-east-1.
pub const EC2_OTHER_REGIONS: Source = Source {
    page: EC2_PAGE,
    read_from: "skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv at commit 001367d2 \
                (Price column: on-demand Linux, from the AWS Price List; secondary source)",
    read_on: READ_ON,
};

/// ElastiCache node prices.
pub const ELASTICACHE_US_EAST_1: Source = Source {
    page: "https://aws.amazon.com/elasticache/pricing/",
    read_from: "DefangLabs/pulumi-defang provider/aws/elasticache.go, its node table (Redis OSS \
                on-demand, citing the ElastiCache pricing page and instances.vantage.sh; the \
                file does not name a region, taken as us-east-1; secondary source)",
    read_on: READ_ON,
};

/// RDS for PostgreSQL instance prices.
pub const RDS_US_EAST_1: Source = Source {
    page: "https://aws.amazon.com/rds/postgresql/pricing/",
    read_from: "DefangLabs/pulumi-defang provider/aws/rds.go, its instance table (PostgreSQL \
                Single-AZ on-demand, citing the RDS PostgreSQL pricing page and \
                instances.vantage.sh; the file does not name a region, taken as us-east-1; \
                secondary source)",
    read_on: READ_ON,
};

const fn node(
    service: Service,
    node_type: &'static str,
    region: Region,
    usd_per_hour: f64,
    vcpus: u32,
    source: &'static Source,
) -> NodePrice {
    NodePrice {
        service,
        node_type,
        region,
        usd_per_hour,
        vcpus,
        source,
    }
}

/// The on-demand hourly price of one node type in one region.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NodePrice {
    /// The service the node runs in.
    pub service: Service,
    /// The node type as AWS names it, e.g. `m7i.large`, `cache.r7g.large`, `db.r7g.large`.
    pub node_type: &'static str,
    /// The region.
    pub region: Region,
    /// On-demand price, USD per node-hour.
    pub usd_per_hour: f64,
    /// Virtual CPUs of the node type (for a per-vCPU capacity default).
    pub vcpus: u32,
    /// Where the price comes from.
    pub source: &'static Source,
}

use Region::{ApSoutheast1, EuWest1, UsEast1, UsWest2};
use Service::{Ec2, ElastiCache, Rds};

const E1: &Source = &EC2_US_EAST_1;
const EO: &Source = &EC2_OTHER_REGIONS;
const CACHE: &Source = &ELASTICACHE_US_EAST_1;
const DB: &Source = &RDS_US_EAST_1;

/// On-demand node prices, USD per hour: EC2 (Linux) in the four regions, ElastiCache (Redis OSS)
/// and RDS for PostgreSQL (Single-AZ) in us-east-1.
///
/// # Examples
/// ```
/// use headroom::cost::catalog::{node_price, Region, Service};
/// let m7i = node_price(Service::Ec2, "m7i.large", Region::UsEast1).unwrap();
/// assert_eq!(m7i.usd_per_hour, 0.1008);
/// ```
pub static NODE_PRICES: &[NodePrice] = &[
    // t3 (burstable, x86)
    node(Ec2, "t3.medium", UsEast1, 0.0416, 2, E1),
    node(Ec2, "t3.medium", UsWest2, 0.0416, 2, EO),
    node(Ec2, "t3.medium", EuWest1, 0.0456, 2, EO),
    node(Ec2, "t3.medium", ApSoutheast1, 0.0528, 2, EO),
    node(Ec2, "t3.large", UsEast1, 0.0832, 2, E1),
    node(Ec2, "t3.large", UsWest2, 0.0832, 2, EO),
    node(Ec2, "t3.large", EuWest1, 0.0912, 2, EO),
    node(Ec2, "t3.large", ApSoutheast1, 0.1056, 2, EO),
    node(Ec2, "t3.xlarge", UsEast1, 0.1664, 4, E1),
    node(Ec2, "t3.xlarge", UsWest2, 0.1664, 4, EO),
    node(Ec2, "t3.xlarge", EuWest1, 0.1824, 4, EO),
    node(Ec2, "t3.xlarge", ApSoutheast1, 0.2112, 4, EO),
    // m7i (general purpose, Intel)
    node(Ec2, "m7i.large", UsEast1, 0.1008, 2, E1),
    node(Ec2, "m7i.large", UsWest2, 0.1008, 2, EO),
    node(Ec2, "m7i.large", EuWest1, 0.11235, 2, EO),
    node(Ec2, "m7i.large", ApSoutheast1, 0.126, 2, EO),
    node(Ec2, "m7i.xlarge", UsEast1, 0.2016, 4, E1),
    node(Ec2, "m7i.xlarge", UsWest2, 0.2016, 4, EO),
    node(Ec2, "m7i.xlarge", EuWest1, 0.2247, 4, EO),
    node(Ec2, "m7i.xlarge", ApSoutheast1, 0.252, 4, EO),
    node(Ec2, "m7i.2xlarge", UsEast1, 0.4032, 8, E1),
    node(Ec2, "m7i.2xlarge", UsWest2, 0.4032, 8, EO),
    node(Ec2, "m7i.2xlarge", EuWest1, 0.4494, 8, EO),
    node(Ec2, "m7i.2xlarge", ApSoutheast1, 0.504, 8, EO),
    // c7i (compute optimized, Intel)
    node(Ec2, "c7i.large", UsEast1, 0.08925, 2, E1),
    node(Ec2, "c7i.large", UsWest2, 0.08925, 2, EO),
    node(Ec2, "c7i.large", EuWest1, 0.09576, 2, EO),
    node(Ec2, "c7i.large", ApSoutheast1, 0.1029, 2, EO),
    node(Ec2, "c7i.xlarge", UsEast1, 0.1785, 4, E1),
    node(Ec2, "c7i.xlarge", UsWest2, 0.1785, 4, EO),
    node(Ec2, "c7i.xlarge", EuWest1, 0.19152, 4, EO),
    node(Ec2, "c7i.xlarge", ApSoutheast1, 0.2058, 4, EO),
    node(Ec2, "c7i.2xlarge", UsEast1, 0.357, 8, E1),
    node(Ec2, "c7i.2xlarge", UsWest2, 0.357, 8, EO),
    node(Ec2, "c7i.2xlarge", EuWest1, 0.38304, 8, EO),
    node(Ec2, "c7i.2xlarge", ApSoutheast1, 0.4116, 8, EO),
    // r7i (memory optimized, Intel)
    node(Ec2, "r7i.large", UsEast1, 0.1323, 2, E1),
    node(Ec2, "r7i.large", UsWest2, 0.1323, 2, EO),
    node(Ec2, "r7i.large", EuWest1, 0.14805, 2, EO),
    node(Ec2, "r7i.large", ApSoutheast1, 0.1596, 2, EO),
    node(Ec2, "r7i.xlarge", UsEast1, 0.2646, 4, E1),
    node(Ec2, "r7i.xlarge", UsWest2, 0.2646, 4, EO),
    node(Ec2, "r7i.xlarge", EuWest1, 0.2961, 4, EO),
    node(Ec2, "r7i.xlarge", ApSoutheast1, 0.3192, 4, EO),
    node(Ec2, "r7i.2xlarge", UsEast1, 0.5292, 8, E1),
    node(Ec2, "r7i.2xlarge", UsWest2, 0.5292, 8, EO),
    node(Ec2, "r7i.2xlarge", EuWest1, 0.5922, 8, EO),
    node(Ec2, "r7i.2xlarge", ApSoutheast1, 0.6384, 8, EO),
    // m7g (general purpose, Arm / Graviton3)
    node(Ec2, "m7g.large", UsEast1, 0.0816, 2, E1),
    node(Ec2, "m7g.large", UsWest2, 0.0816, 2, EO),
    node(Ec2, "m7g.large", EuWest1, 0.091, 2, EO),
    node(Ec2, "m7g.large", ApSoutheast1, 0.102, 2, EO),
    node(Ec2, "m7g.xlarge", UsEast1, 0.1632, 4, E1),
    node(Ec2, "m7g.xlarge", UsWest2, 0.1632, 4, EO),
    node(Ec2, "m7g.xlarge", EuWest1, 0.1819, 4, EO),
    node(Ec2, "m7g.xlarge", ApSoutheast1, 0.204, 4, EO),
    node(Ec2, "m7g.2xlarge", UsEast1, 0.3264, 8, E1),
    node(Ec2, "m7g.2xlarge", UsWest2, 0.3264, 8, EO),
    node(Ec2, "m7g.2xlarge", EuWest1, 0.3638, 8, EO),
    node(Ec2, "m7g.2xlarge", ApSoutheast1, 0.408, 8, EO),
    // ElastiCache, Redis OSS, node-based
    node(ElastiCache, "cache.m7g.large", UsEast1, 0.158, 2, CACHE),
    node(ElastiCache, "cache.m7g.xlarge", UsEast1, 0.315, 4, CACHE),
    node(ElastiCache, "cache.m7g.2xlarge", UsEast1, 0.629, 8, CACHE),
    node(ElastiCache, "cache.r7g.large", UsEast1, 0.219, 2, CACHE),
    node(ElastiCache, "cache.r7g.xlarge", UsEast1, 0.437, 4, CACHE),
    node(ElastiCache, "cache.r7g.2xlarge", UsEast1, 0.873, 8, CACHE),
    // RDS for PostgreSQL, Single-AZ
    node(Rds, "db.m7g.large", UsEast1, 0.168, 2, DB),
    node(Rds, "db.m7g.xlarge", UsEast1, 0.337, 4, DB),
    node(Rds, "db.m7g.2xlarge", UsEast1, 0.674, 8, DB),
    node(Rds, "db.r7g.large", UsEast1, 0.239, 2, DB),
    node(Rds, "db.r7g.xlarge", UsEast1, 0.478, 4, DB),
    node(Rds, "db.r7g.2xlarge", UsEast1, 0.956, 8, DB),
];

/// The catalog's on-demand price of `node_type` in `service` and `region`, if it has one.
pub fn node_price(service: Service, node_type: &str, region: Region) -> Option<&'static NodePrice> {
    NODE_PRICES.iter().find(|price| {
        price.service == service && price.region == region && price.node_type == node_type
    })
}

/// The node types the catalog prices for `service` in `region`, in catalog order.
pub fn node_types(service: Service, region: Region) -> impl Iterator<Item = &'static NodePrice> {
    NODE_PRICES
        .iter()
        .filter(move |price| price.service == service && price.region == region)
}

/// The share of its vCPUs a node type sustains without spending CPU credits: its baseline
/// utilization for the burstable t3 types, 1 for every other type.
///
/// Source: Amazon EC2 User Guide, "Key concepts for burstable performance instances"
/// (<https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-credits-baseline-concepts.html>),
/// its credit table: t3.medium earns 24 credits an hour on 2 vCPUs (20%), t3.large 36 on 2
/// (30%), t3.xlarge 96 on 4 (40%); "Baseline utilization % = (number of credits earned / number
/// of vCPUs) / 60 minutes". Read 2026-11-30 from copies of that table in public repositories.
///
/// # Examples
/// ```
/// use headroom::cost::catalog::sustained_share;
/// assert_eq!(sustained_share("t3.large"), 0.3);
/// assert_eq!(sustained_share("m7i.large"), 1.0);
/// ```
pub fn sustained_share(node_type: &str) -> f64 {
    match node_type {
        "t3.medium" => 0.2,
        "t3.large" => 0.3,
        "t3.xlarge" => 0.4,
        _ => 1.0,
    }
}

/// A price per unit in one region (storage per GB-month).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnitPrice {
    /// The region.
    pub region: Region,
    /// USD per unit.
    pub usd_per_unit: f64,
    /// The unit, e.g. `GB-month` (a GB is 2^30 bytes in AWS billing).
    pub unit: &'static str,
    /// Where the price comes from.
    pub source: &'static Source,
}

/// EBS gp3 storage, us-east-1.
pub const EBS_GP3_US_EAST_1: Source = Source {
    page: "https://aws.amazon.com/ebs/pricing/",
    read_from: "srdjanrist/get-infra-done references/cost-rules.md ('EBS (gp3) Storage: \
                $0.08/GB-month', us-east-1 on-demand; secondary source)",
    read_on: READ_ON,
};

/// EBS gp3 storage, ap-southeast-1.
pub const EBS_GP3_AP_SOUTHEAST_1: Source = Source {
    page: "https://aws.amazon.com/ebs/pricing/",
    read_from: "an AWS bill for May 2025 reproduced in rahmat-ullah/DocParser \
                backend/sample_full_document.md ('$0.096 per GB-month of General Purpose (gp3) \
                provisioned storage - Asia Pacific (Singapore)'; secondary source)",
    read_on: READ_ON,
};

/// EBS gp3 storage, us-west-2.
pub const EBS_GP3_US_WEST_2: Source = Source {
    page: "https://aws.amazon.com/ebs/pricing/",
    read_from: "a lab cost guide in a public repository, 'gp3 $0.08/GiB-month' for us-west-2, \
                checked against the AWS Price List for us-west-2 (AmazonEC2 usage type \
                USW2-EBS:VolumeUsage.gp3) on 2026-10-04; secondary source",
    read_on: READ_ON,
};

/// EBS gp3 storage, eu-west-1.
pub const EBS_GP3_EU_WEST_1: Source = Source {
    page: "https://aws.amazon.com/ebs/pricing/",
    read_from: "an EBS pricing audit in a public repository quoting the AWS Price List API as \
                queried on 2026-05-01 ('$0.088 per GB-month of General Purpose (gp3) \
                provisioned storage - EU (Ireland)', SKU TXACT7E3PV6ZX2NM, effective \
                2026-04-01); secondary source",
    read_on: READ_ON,
};

/// S3 Standard storage, us-west-2.
pub const S3_STANDARD_US_WEST_2: Source = Source {
    page: "https://aws.amazon.com/s3/pricing/",
    read_from: "a campaign cost script in a public repository pricing usage type \
                USW2-TimedStorage-ByteHrs at the published list tiers: $0.023 to 51,200 GB, \
                $0.022 to 512,000 GB, $0.021 beyond; secondary source",
    read_on: READ_ON,
};

/// S3 Standard storage, us-east-1.
pub const S3_STANDARD_US_EAST_1: Source = Source {
    page: "https://aws.amazon.com/s3/pricing/",
    read_from: "srdjanrist/get-infra-done references/cost-rules.md ('S3 Standard: \
                $0.023/GB-month', us-east-1) and Elvis-aws/Dev-Assoc-AWS \
                EFS-vs-EBS-vs-S3/costs.md ('$0.023 per GB per month for the first 50 TB'); \
                secondary sources",
    read_on: READ_ON,
};

/// EBS gp3 volume storage, USD per GB-month (provisioned storage; the baseline 3,000 IOPS and
/// 125 MB/s are included).
pub static EBS_GP3: &[UnitPrice] = &[
    UnitPrice {
        region: UsEast1,
        usd_per_unit: 0.08,
        unit: "GB-month",
        source: &EBS_GP3_US_EAST_1,
    },
    UnitPrice {
        region: UsWest2,
        usd_per_unit: 0.08,
        unit: "GB-month",
        source: &EBS_GP3_US_WEST_2,
    },
    UnitPrice {
        region: EuWest1,
        usd_per_unit: 0.088,
        unit: "GB-month",
        source: &EBS_GP3_EU_WEST_1,
    },
    UnitPrice {
        region: ApSoutheast1,
        usd_per_unit: 0.096,
        unit: "GB-month",
        source: &EBS_GP3_AP_SOUTHEAST_1,
    },
];

/// S3 Standard storage, USD per GB-month, the first-50-TB tier (AWS charges less beyond 50 TB a
/// month, so a bill above that over-states the storage line).
pub static S3_STANDARD: &[UnitPrice] = &[
    UnitPrice {
        region: UsEast1,
        usd_per_unit: 0.023,
        unit: "GB-month",
        source: &S3_STANDARD_US_EAST_1,
    },
    UnitPrice {
        region: UsWest2,
        usd_per_unit: 0.023,
        unit: "GB-month",
        source: &S3_STANDARD_US_WEST_2,
    },
];

/// One tier of a tiered price: units up to `up_to` (cumulative, from the start of the month)
/// cost `usd_per_unit` each; `None` is the open last tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tier {
    /// Upper bound of the tier in cumulative units per month; `None` for the last tier.
    pub up_to: Option<f64>,
    /// USD per unit within the tier.
    pub usd_per_unit: f64,
}

/// A tiered monthly price in one region: each unit costs the price of the tier it falls in
/// (marginal pricing, see [`super::tiered::tier_uses`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TieredPrice {
    /// The region.
    pub region: Region,
    /// The unit the tiers count, e.g. `GB`, `million requests`.
    pub unit: &'static str,
    /// Tiers in ascending order; bounds strictly increase; the last is open.
    pub tiers: &'static [Tier],
    /// Where the price comes from.
    pub source: &'static Source,
}

const fn tier(up_to: f64, usd_per_unit: f64) -> Tier {
    Tier {
        up_to: Some(up_to),
        usd_per_unit,
    }
}

const fn last_tier(usd_per_unit: f64) -> Tier {
    Tier {
        up_to: None,
        usd_per_unit,
    }
}

/// The free internet egress every account gets each month, GB: 100 GB aggregated over all
/// services and regions (except China and GovCloud). The bill assumes this fleet is the
/// account's only egress.
pub const FREE_EGRESS_GB: f64 = 100.0;

/// Internet egress, us-east-1.
pub const EGRESS_US_EAST_1: Source = Source {
    page: "https://aws.amazon.com/ec2/pricing/on-demand/",
    read_from: "AWS bill lines quoted in public repositories ('$0.090 per GB - first 10 TB / \
                month data transfer out beyond the global free tier', US East, June 2026) and \
                the tier table in wring.co's AWS data-transfer guide of 2026-03-08 (first 100 \
                GB free, $0.09 to 10 TB, $0.085 next 40 TB, $0.07 next 100 TB, $0.05 over 150 \
                TB); bounds in GB as the Price List writes them (10,240, 51,200, 153,600 beyond \
                the free 100 GB); secondary sources",
    read_on: READ_ON,
};

/// Internet egress, ap-southeast-1.
pub const EGRESS_AP_SOUTHEAST_1: Source = Source {
    page: "https://aws.amazon.com/ec2/pricing/on-demand/",
    read_from: "a cost review in a public repository quoting the AWS Price List API as queried \
                on 2026-08-12 for usage type APS1-DataTransfer-Out-Bytes ($0.120 first 10 TB, \
                $0.085 next 40 TB, $0.082 next 100 TB, $0.080 beyond 150 TB; 100 GB a month \
                free); secondary source",
    read_on: READ_ON,
};

/// Data transfer out to the internet, USD per GB (2^30 bytes) in the month. The first tier is
/// the free allowance ([`FREE_EGRESS_GB`]); the paid tiers' bounds are the Price List's
/// (10,240 / 51,200 / 153,600 GB) counted after it.
pub static INTERNET_EGRESS: &[TieredPrice] = &[
    TieredPrice {
        region: UsEast1,
        unit: "GB",
        tiers: &[
            tier(FREE_EGRESS_GB, 0.0),
            tier(FREE_EGRESS_GB + 10_240.0, 0.09),
            tier(FREE_EGRESS_GB + 51_200.0, 0.085),
            tier(FREE_EGRESS_GB + 153_600.0, 0.07),
            last_tier(0.05),
        ],
        source: &EGRESS_US_EAST_1,
    },
    TieredPrice {
        region: ApSoutheast1,
        unit: "GB",
        tiers: &[
            tier(FREE_EGRESS_GB, 0.0),
            tier(FREE_EGRESS_GB + 10_240.0, 0.12),
            tier(FREE_EGRESS_GB + 51_200.0, 0.085),
            tier(FREE_EGRESS_GB + 153_600.0, 0.082),
            last_tier(0.08),
        ],
        source: &EGRESS_AP_SOUTHEAST_1,
    },
];

/// API Gateway request prices, us-east-1.
pub const API_GATEWAY_US_EAST_1: Source = Source {
    page: "https://aws.amazon.com/api-gateway/pricing/",
    read_from: "AWS whitepaper 'Best Practices for Designing Amazon API Gateway Private APIs and \
                Private Integration', Cost optimization, table 4 (docs.aws.amazon.com): REST \
                first 333 million $3.50, next 667 million $2.80, next 19 billion $2.38, over 20 \
                billion $1.51; HTTP (us-east-1) first 300 million $1.00, 300+ million $0.90 per \
                million",
    read_on: READ_ON,
};

/// API Gateway request prices, eu-west-1.
pub const API_GATEWAY_EU_WEST_1: Source = Source {
    page: "https://aws.amazon.com/api-gateway/pricing/",
    read_from: "mamtha4u/SDLC backend/config/pricing_eu-west-1.json at commit 45b7bae4, a \
                snapshot of the AWS Price List offer file AmazonApiGateway/current/eu-west-1 \
                (published 2026-09-21, fetched 2026-10-02): REST first 333 million $3.50, to 1 \
                billion $3.19, to 20 billion $2.71, beyond $1.72; HTTP first 300 million $1.11, \
                beyond $1.00 per million",
    read_on: READ_ON,
};

/// API Gateway HTTP API requests, USD per million requests in the month (requests up to 512 KB;
/// larger ones are metered in 512 KB increments, which the bill does not model).
pub static API_GATEWAY_HTTP: &[TieredPrice] = &[
    TieredPrice {
        region: UsEast1,
        unit: "million requests",
        tiers: &[tier(300.0, 1.00), last_tier(0.90)],
        source: &API_GATEWAY_US_EAST_1,
    },
    TieredPrice {
        region: EuWest1,
        unit: "million requests",
        tiers: &[tier(300.0, 1.11), last_tier(1.00)],
        source: &API_GATEWAY_EU_WEST_1,
    },
];

/// API Gateway REST API requests, USD per million requests in the month.
pub static API_GATEWAY_REST: &[TieredPrice] = &[
    TieredPrice {
        region: UsEast1,
        unit: "million requests",
        tiers: &[
            tier(333.0, 3.50),
            tier(1_000.0, 2.80),
            tier(20_000.0, 2.38),
            last_tier(1.51),
        ],
        source: &API_GATEWAY_US_EAST_1,
    },
    TieredPrice {
        region: EuWest1,
        unit: "million requests",
        tiers: &[
            tier(333.0, 3.50),
            tier(1_000.0, 3.19),
            tier(20_000.0, 2.71),
            last_tier(1.72),
        ],
        source: &API_GATEWAY_EU_WEST_1,
    },
];

/// Lambda provisioned concurrency in one region and architecture.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProvisionedConcurrencyPrice {
    /// The region.
    pub region: Region,
    /// The architecture.
    pub arch: Arch,
    /// USD per GB-second of concurrency kept provisioned (billed while enabled, in 5-minute
    /// steps).
    pub usd_per_gb_second_provisioned: f64,
    /// USD per GB-second of duration run on provisioned environments (instead of the on-demand
    /// duration price), when the catalog has it.
    pub usd_per_gb_second_duration: Option<f64>,
    /// Where the price comes from.
    pub source: &'static Source,
}

/// Lambda provisioned concurrency, us-east-1, x86.
pub const LAMBDA_PC_US_EAST_1_X86: Source = Source {
    page: "https://aws.amazon.com/lambda/pricing/",
    read_from: "api-evangelist/aws-lambda plans/aws-lambda-plans-pricing.yml, transcribed from \
                the Lambda pricing page ('$0.0000041667 per GB-second (configured)'); the \
                duration price on provisioned environments, $0.0000097222 per GB-second, from \
                awsnegotiations.com's provisioned-concurrency cost guide; secondary sources",
    read_on: READ_ON,
};

/// Lambda provisioned concurrency, us-east-1, Arm.
pub const LAMBDA_PC_US_EAST_1_ARM: Source = Source {
    page: "https://aws.amazon.com/lambda/pricing/",
    read_from: "awsnegotiations.com's provisioned-concurrency cost guide ('arm64 PC: \
                ~$0.0000033334 per GB-second'; secondary source)",
    read_on: READ_ON,
};

/// Lambda provisioned concurrency prices.
pub static LAMBDA_PROVISIONED_CONCURRENCY: &[ProvisionedConcurrencyPrice] = &[
    ProvisionedConcurrencyPrice {
        region: UsEast1,
        arch: Arch::X86,
        usd_per_gb_second_provisioned: 0.000_004_166_7,
        usd_per_gb_second_duration: Some(0.000_009_722_2),
        source: &LAMBDA_PC_US_EAST_1_X86,
    },
    ProvisionedConcurrencyPrice {
        region: UsEast1,
        arch: Arch::Arm,
        usd_per_gb_second_provisioned: 0.000_003_333_4,
        usd_per_gb_second_duration: None,
        source: &LAMBDA_PC_US_EAST_1_ARM,
    },
];

/// A stated assumption: the share of the on-demand price a purchase option saves.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PurchaseDiscount {
    /// The purchase option.
    pub purchase: Purchase,
    /// Fraction of the on-demand price saved, in `[0, 1)`.
    pub fraction_off: f64,
    /// What it applies to and why this figure.
    pub basis: &'static str,
}

/// The purchase options' discounts off on-demand: assumptions, not quotes. The real discount
/// depends on the family, region, term and payment option; these are round figures inside the
/// published ranges, applied to every node (spot to EC2 only: ElastiCache and RDS have no
/// spot capacity, so their nodes bill on-demand under `spot`).
///
/// # Formula
/// ```text
/// p = p_od × (1 − f)
/// p_od = on-demand price per node-hour, f = fraction_off of the purchase option
/// ```
pub static PURCHASE_DISCOUNTS: &[PurchaseDiscount] = &[
    PurchaseDiscount {
        purchase: Purchase::OnDemand,
        fraction_off: 0.0,
        basis: "on-demand list price",
    },
    PurchaseDiscount {
        purchase: Purchase::OneYear,
        fraction_off: 0.30,
        basis: "assumption: 30% off on-demand for a 1-year no-upfront Savings Plan or reserved \
                node, the discount in the Savings Plans worked example quoted in a re:Post \
                answer (r5.4xlarge $1.00/h on-demand, $0.70/h under the plan); AWS quotes up \
                to 72% for the deepest commitments",
    },
    PurchaseDiscount {
        purchase: Purchase::ThreeYear,
        fraction_off: 0.55,
        basis: "assumption: 55% off on-demand for a 3-year no-upfront commitment; a re:Post \
                question quotes $0.579/h against $1.341/h on-demand (57% off) for a 3-year \
                no-upfront EC2 Instance Savings Plan on r5.4xlarge in ap-southeast-1",
    },
    PurchaseDiscount {
        purchase: Purchase::Spot,
        fraction_off: 0.60,
        basis: "assumption: 60% off on-demand for EC2 spot; SkyPilot's catalog (commit \
                001367d2) shows us-east-1 spot at 58-69% off for m7i.large, c7i.large and \
                t3.medium; spot prices move and capacity can be reclaimed",
    },
];

/// The assumed discount of `purchase`.
pub fn purchase_discount(purchase: Purchase) -> &'static PurchaseDiscount {
    PURCHASE_DISCOUNTS
        .iter()
        .find(|discount| discount.purchase == purchase)
        .unwrap_or(&PURCHASE_DISCOUNTS[0])
}

/// The entry of `table` for `region`, if the catalog has one.
pub fn in_region<T: HasRegion>(table: &'static [T], region: Region) -> Option<&'static T> {
    table.iter().find(|entry| entry.region() == region)
}

/// A catalog entry that belongs to one region.
pub trait HasRegion {
    /// The entry's region.
    fn region(&self) -> Region;
}

impl HasRegion for UnitPrice {
    fn region(&self) -> Region {
        self.region
    }
}

impl HasRegion for TieredPrice {
    fn region(&self) -> Region {
        self.region
    }
}

impl HasRegion for ProvisionedConcurrencyPrice {
    fn region(&self) -> Region {
        self.region
    }
}

/// What the catalog does not price, and why: left out rather than guessed.
pub const NOT_IN_CATALOG: &[&str] = &[
    "ElastiCache and RDS node prices outside us-east-1: no copy of the regional node tables was \
     found (the pages render them from a feed)",
    "S3 Standard in eu-west-1 and ap-southeast-1: no source read",
    "internet egress in us-west-2 and eu-west-1: no source read (only test fixtures)",
    "API Gateway in us-west-2 and ap-southeast-1: no copy of their Price List tiers was found",
    "Lambda provisioned concurrency outside us-east-1, and its Arm duration price",
];

#[cfg(test)]
mod tests;
