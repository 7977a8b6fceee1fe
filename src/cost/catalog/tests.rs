//! Pins every catalog price to the source it was read from and the day it was read. The
//! expected rows below were transcribed from the research notes (the source files' rows), not
//! copied from the catalog, so a changed price fails here until its source changes too.

use super::*;

/// EC2 on-demand Linux prices, USD per hour, as read: us-east-1 from Karpenter's generated
/// table (AWS Price List, 2026-07-20), which SkyPilot's catalog matches; the other regions from
/// SkyPilot's catalog (commit 001367d2).
const EC2_ROWS: &[(&str, Region, f64, &Source)] = &[
    ("c7i.2xlarge", UsEast1, 0.357, &EC2_US_EAST_1),
    ("c7i.2xlarge", UsWest2, 0.357, &EC2_OTHER_REGIONS),
    ("c7i.2xlarge", EuWest1, 0.38304, &EC2_OTHER_REGIONS),
    ("c7i.2xlarge", ApSoutheast1, 0.4116, &EC2_OTHER_REGIONS),
    ("c7i.large", UsEast1, 0.08925, &EC2_US_EAST_1),
    ("c7i.large", UsWest2, 0.08925, &EC2_OTHER_REGIONS),
    ("c7i.large", EuWest1, 0.09576, &EC2_OTHER_REGIONS),
    ("c7i.large", ApSoutheast1, 0.1029, &EC2_OTHER_REGIONS),
    ("c7i.xlarge", UsEast1, 0.1785, &EC2_US_EAST_1),
    ("c7i.xlarge", UsWest2, 0.1785, &EC2_OTHER_REGIONS),
    ("c7i.xlarge", EuWest1, 0.19152, &EC2_OTHER_REGIONS),
    ("c7i.xlarge", ApSoutheast1, 0.2058, &EC2_OTHER_REGIONS),
    ("m7g.2xlarge", UsEast1, 0.3264, &EC2_US_EAST_1),
    ("m7g.2xlarge", UsWest2, 0.3264, &EC2_OTHER_REGIONS),
    ("m7g.2xlarge", EuWest1, 0.3638, &EC2_OTHER_REGIONS),
    ("m7g.2xlarge", ApSoutheast1, 0.408, &EC2_OTHER_REGIONS),
    ("m7g.large", UsEast1, 0.0816, &EC2_US_EAST_1),
    ("m7g.large", UsWest2, 0.0816, &EC2_OTHER_REGIONS),
    ("m7g.large", EuWest1, 0.091, &EC2_OTHER_REGIONS),
    ("m7g.large", ApSoutheast1, 0.102, &EC2_OTHER_REGIONS),
    ("m7g.xlarge", UsEast1, 0.1632, &EC2_US_EAST_1),
    ("m7g.xlarge", UsWest2, 0.1632, &EC2_OTHER_REGIONS),
    ("m7g.xlarge", EuWest1, 0.1819, &EC2_OTHER_REGIONS),
    ("m7g.xlarge", ApSoutheast1, 0.204, &EC2_OTHER_REGIONS),
    ("m7i.2xlarge", UsEast1, 0.4032, &EC2_US_EAST_1),
    ("m7i.2xlarge", UsWest2, 0.4032, &EC2_OTHER_REGIONS),
    ("m7i.2xlarge", EuWest1, 0.4494, &EC2_OTHER_REGIONS),
    ("m7i.2xlarge", ApSoutheast1, 0.504, &EC2_OTHER_REGIONS),
    ("m7i.large", UsEast1, 0.1008, &EC2_US_EAST_1),
    ("m7i.large", UsWest2, 0.1008, &EC2_OTHER_REGIONS),
    ("m7i.large", EuWest1, 0.11235, &EC2_OTHER_REGIONS),
    ("m7i.large", ApSoutheast1, 0.126, &EC2_OTHER_REGIONS),
    ("m7i.xlarge", UsEast1, 0.2016, &EC2_US_EAST_1),
    ("m7i.xlarge", UsWest2, 0.2016, &EC2_OTHER_REGIONS),
    ("m7i.xlarge", EuWest1, 0.2247, &EC2_OTHER_REGIONS),
    ("m7i.xlarge", ApSoutheast1, 0.252, &EC2_OTHER_REGIONS),
    ("r7i.2xlarge", UsEast1, 0.5292, &EC2_US_EAST_1),
    ("r7i.2xlarge", UsWest2, 0.5292, &EC2_OTHER_REGIONS),
    ("r7i.2xlarge", EuWest1, 0.5922, &EC2_OTHER_REGIONS),
    ("r7i.2xlarge", ApSoutheast1, 0.6384, &EC2_OTHER_REGIONS),
    ("r7i.large", UsEast1, 0.1323, &EC2_US_EAST_1),
    ("r7i.large", UsWest2, 0.1323, &EC2_OTHER_REGIONS),
    ("r7i.large", EuWest1, 0.14805, &EC2_OTHER_REGIONS),
    ("r7i.large", ApSoutheast1, 0.1596, &EC2_OTHER_REGIONS),
    ("r7i.xlarge", UsEast1, 0.2646, &EC2_US_EAST_1),
    ("r7i.xlarge", UsWest2, 0.2646, &EC2_OTHER_REGIONS),
    ("r7i.xlarge", EuWest1, 0.2961, &EC2_OTHER_REGIONS),
    ("r7i.xlarge", ApSoutheast1, 0.3192, &EC2_OTHER_REGIONS),
    ("t3.large", UsEast1, 0.0832, &EC2_US_EAST_1),
    ("t3.large", UsWest2, 0.0832, &EC2_OTHER_REGIONS),
    ("t3.large", EuWest1, 0.0912, &EC2_OTHER_REGIONS),
    ("t3.large", ApSoutheast1, 0.1056, &EC2_OTHER_REGIONS),
    ("t3.medium", UsEast1, 0.0416, &EC2_US_EAST_1),
    ("t3.medium", UsWest2, 0.0416, &EC2_OTHER_REGIONS),
    ("t3.medium", EuWest1, 0.0456, &EC2_OTHER_REGIONS),
    ("t3.medium", ApSoutheast1, 0.0528, &EC2_OTHER_REGIONS),
    ("t3.xlarge", UsEast1, 0.1664, &EC2_US_EAST_1),
    ("t3.xlarge", UsWest2, 0.1664, &EC2_OTHER_REGIONS),
    ("t3.xlarge", EuWest1, 0.1824, &EC2_OTHER_REGIONS),
    ("t3.xlarge", ApSoutheast1, 0.2112, &EC2_OTHER_REGIONS),
];

/// ElastiCache (Redis OSS) and RDS for PostgreSQL (Single-AZ) prices in us-east-1, USD per hour,
/// as DefangLabs/pulumi-defang's node tables list them.
const CACHE: &Source = &ELASTICACHE_US_EAST_1;
const DB: &Source = &RDS_US_EAST_1;

const MANAGED_ROWS: &[(Service, &str, f64, u32, &Source)] = &[
    (ElastiCache, "cache.m7g.large", 0.158, 2, CACHE),
    (ElastiCache, "cache.m7g.xlarge", 0.315, 4, CACHE),
    (ElastiCache, "cache.m7g.2xlarge", 0.629, 8, CACHE),
    (ElastiCache, "cache.r7g.large", 0.219, 2, CACHE),
    (ElastiCache, "cache.r7g.xlarge", 0.437, 4, CACHE),
    (ElastiCache, "cache.r7g.2xlarge", 0.873, 8, CACHE),
    (Rds, "db.m7g.large", 0.168, 2, DB),
    (Rds, "db.m7g.xlarge", 0.337, 4, DB),
    (Rds, "db.m7g.2xlarge", 0.674, 8, DB),
    (Rds, "db.r7g.large", 0.239, 2, DB),
    (Rds, "db.r7g.xlarge", 0.478, 4, DB),
    (Rds, "db.r7g.2xlarge", 0.956, 8, DB),
];

use Region::{ApSoutheast1, EuWest1, UsEast1, UsWest2};
use Service::{ElastiCache, Rds};

fn assert_source(actual: &Source, expected: &Source) {
    assert_eq!(actual, expected);
    assert_eq!(actual.read_on, "2026-11-30");
    assert!(
        actual.page.starts_with("https://aws.amazon.com/"),
        "{} is not the provider's price page",
        actual.page
    );
}

#[test]
fn every_ec2_price_is_pinned_to_its_source_and_date() {
    for &(node_type, region, usd, source) in EC2_ROWS {
        let price = node_price(Service::Ec2, node_type, region)
            .unwrap_or_else(|| panic!("{node_type} in {region} is missing"));
        assert_eq!(price.usd_per_hour, usd, "{node_type} in {region}");
        assert_source(price.source, source);
    }
    // 5 families × 3 sizes × 4 regions, and nothing else on EC2.
    assert_eq!(EC2_ROWS.len(), 60);
    assert_eq!(
        NODE_PRICES
            .iter()
            .filter(|price| price.service == Service::Ec2)
            .count(),
        60
    );
}

#[test]
fn every_managed_node_price_is_pinned_to_its_source_and_date() {
    for &(service, node_type, usd, vcpus, source) in MANAGED_ROWS {
        let price = node_price(service, node_type, UsEast1)
            .unwrap_or_else(|| panic!("{node_type} is missing"));
        assert_eq!(price.usd_per_hour, usd, "{node_type}");
        assert_eq!(price.vcpus, vcpus, "{node_type}");
        assert_source(price.source, source);
        // Not sourced outside us-east-1, so not there.
        for region in [UsWest2, EuWest1, ApSoutheast1] {
            assert!(node_price(service, node_type, region).is_none());
        }
    }
    assert_eq!(NODE_PRICES.len(), 60 + MANAGED_ROWS.len());
}

#[test]
fn node_types_are_unique_and_vcpus_follow_the_size() {
    for (i, a) in NODE_PRICES.iter().enumerate() {
        for b in &NODE_PRICES[i + 1..] {
            assert!(
                !(a.service == b.service && a.node_type == b.node_type && a.region == b.region),
                "{} in {} twice",
                a.node_type,
                a.region
            );
        }
        let expected_vcpus = match a.node_type.rsplit('.').next() {
            Some("medium" | "large") => 2,
            Some("xlarge") => 4,
            Some("2xlarge") => 8,
            other => panic!("unexpected size {other:?}"),
        };
        assert_eq!(a.vcpus, expected_vcpus, "{}", a.node_type);
    }
}

#[test]
fn us_west_2_ec2_prices_equal_us_east_1_as_read() {
    // An observation from the sources, pinned: every EC2 type here costs the same in Oregon as in
    // N. Virginia.
    for price in node_types(Service::Ec2, UsEast1) {
        let oregon = node_price(Service::Ec2, price.node_type, UsWest2).unwrap();
        assert_eq!(
            oregon.usd_per_hour, price.usd_per_hour,
            "{}",
            price.node_type
        );
    }
}

#[test]
fn storage_prices_are_pinned_to_their_sources_and_dates() {
    let gp3_virginia = in_region(EBS_GP3, UsEast1).unwrap();
    assert_eq!(gp3_virginia.usd_per_unit, 0.08);
    assert_source(gp3_virginia.source, &EBS_GP3_US_EAST_1);
    let gp3_singapore = in_region(EBS_GP3, ApSoutheast1).unwrap();
    assert_eq!(gp3_singapore.usd_per_unit, 0.096);
    assert_source(gp3_singapore.source, &EBS_GP3_AP_SOUTHEAST_1);
    let gp3_oregon = in_region(EBS_GP3, UsWest2).unwrap();
    assert_eq!(gp3_oregon.usd_per_unit, 0.08);
    assert_source(gp3_oregon.source, &EBS_GP3_US_WEST_2);
    let gp3_ireland = in_region(EBS_GP3, EuWest1).unwrap();
    assert_eq!(gp3_ireland.usd_per_unit, 0.088);
    assert_source(gp3_ireland.source, &EBS_GP3_EU_WEST_1);
    let s3 = in_region(S3_STANDARD, UsEast1).unwrap();
    assert_eq!(s3.usd_per_unit, 0.023);
    assert_source(s3.source, &S3_STANDARD_US_EAST_1);
    let s3_oregon = in_region(S3_STANDARD, UsWest2).unwrap();
    assert_eq!(s3_oregon.usd_per_unit, 0.023);
    assert_source(s3_oregon.source, &S3_STANDARD_US_WEST_2);
    assert_eq!(EBS_GP3.len(), 4);
    assert_eq!(S3_STANDARD.len(), 2);
    for price in EBS_GP3.iter().chain(S3_STANDARD) {
        assert_eq!(price.unit, "GB-month");
    }
}

fn tiers_of(tiers: &[Tier]) -> Vec<(Option<f64>, f64)> {
    tiers
        .iter()
        .map(|tier| (tier.up_to, tier.usd_per_unit))
        .collect()
}

#[test]
fn egress_tiers_are_pinned_to_their_sources_and_dates() {
    // Free 100 GB, then the Price List's 10,240 / 51,200 / 153,600 GB bounds after it.
    let virginia = in_region(INTERNET_EGRESS, UsEast1).unwrap();
    assert_eq!(
        tiers_of(virginia.tiers),
        [
            (Some(100.0), 0.0),
            (Some(10_340.0), 0.09),
            (Some(51_300.0), 0.085),
            (Some(153_700.0), 0.07),
            (None, 0.05),
        ]
    );
    assert_source(virginia.source, &EGRESS_US_EAST_1);
    let singapore = in_region(INTERNET_EGRESS, ApSoutheast1).unwrap();
    assert_eq!(
        tiers_of(singapore.tiers),
        [
            (Some(100.0), 0.0),
            (Some(10_340.0), 0.12),
            (Some(51_300.0), 0.085),
            (Some(153_700.0), 0.082),
            (None, 0.08),
        ]
    );
    assert_source(singapore.source, &EGRESS_AP_SOUTHEAST_1);
    assert!(in_region(INTERNET_EGRESS, UsWest2).is_none());
    assert!(in_region(INTERNET_EGRESS, EuWest1).is_none());
}

#[test]
fn api_gateway_tiers_are_pinned_to_their_source_and_date() {
    let http = in_region(API_GATEWAY_HTTP, UsEast1).unwrap();
    assert_eq!(tiers_of(http.tiers), [(Some(300.0), 1.0), (None, 0.9)]);
    let rest = in_region(API_GATEWAY_REST, UsEast1).unwrap();
    assert_eq!(
        tiers_of(rest.tiers),
        [
            (Some(333.0), 3.5),
            (Some(1_000.0), 2.8),
            (Some(20_000.0), 2.38),
            (None, 1.51),
        ]
    );
    for price in [http, rest] {
        assert_eq!(price.unit, "million requests");
        assert_source(price.source, &API_GATEWAY_US_EAST_1);
    }
    // eu-west-1, from the Price List offer file's snapshot (published 2026-09-21).
    let http = in_region(API_GATEWAY_HTTP, EuWest1).unwrap();
    assert_eq!(tiers_of(http.tiers), [(Some(300.0), 1.11), (None, 1.0)]);
    let rest = in_region(API_GATEWAY_REST, EuWest1).unwrap();
    assert_eq!(
        tiers_of(rest.tiers),
        [
            (Some(333.0), 3.5),
            (Some(1_000.0), 3.19),
            (Some(20_000.0), 2.71),
            (None, 1.72),
        ]
    );
    for price in [http, rest] {
        assert_eq!(price.unit, "million requests");
        assert_source(price.source, &API_GATEWAY_EU_WEST_1);
    }
    assert_eq!(API_GATEWAY_HTTP.len(), 2);
    assert_eq!(API_GATEWAY_REST.len(), 2);
}

#[test]
fn every_tier_table_is_well_formed() {
    let tables = INTERNET_EGRESS
        .iter()
        .chain(API_GATEWAY_HTTP)
        .chain(API_GATEWAY_REST);
    for table in tables {
        let (last, bounded) = table.tiers.split_last().unwrap();
        assert_eq!(last.up_to, None, "{} last tier must be open", table.unit);
        let mut previous = 0.0;
        for tier in bounded {
            let bound = tier.up_to.unwrap();
            assert!(bound > previous, "bounds must increase");
            previous = bound;
        }
        assert!(table.tiers.iter().all(|tier| tier.usd_per_unit >= 0.0));
        // Volume discounts: a later tier never costs more than the first paid one.
        let paid: Vec<f64> = table
            .tiers
            .iter()
            .map(|tier| tier.usd_per_unit)
            .filter(|&usd| usd > 0.0)
            .collect();
        assert!(paid.windows(2).all(|pair| pair[1] <= pair[0]));
    }
}

#[test]
fn lambda_provisioned_concurrency_is_pinned_to_its_sources_and_dates() {
    let x86 = LAMBDA_PROVISIONED_CONCURRENCY
        .iter()
        .find(|price| price.arch == Arch::X86)
        .unwrap();
    assert_eq!(x86.region, UsEast1);
    assert_eq!(x86.usd_per_gb_second_provisioned, 0.000_004_166_7);
    assert_eq!(x86.usd_per_gb_second_duration, Some(0.000_009_722_2));
    assert_source(x86.source, &LAMBDA_PC_US_EAST_1_X86);
    let arm = LAMBDA_PROVISIONED_CONCURRENCY
        .iter()
        .find(|price| price.arch == Arch::Arm)
        .unwrap();
    assert_eq!(arm.usd_per_gb_second_provisioned, 0.000_003_333_4);
    assert_eq!(arm.usd_per_gb_second_duration, None);
    assert_source(arm.source, &LAMBDA_PC_US_EAST_1_ARM);
    // An hour of 1 GB kept warm costs 3,600 × $0.0000041667 = $0.01500012.
    assert!((3_600.0 * x86.usd_per_gb_second_provisioned - 0.015_000_12).abs() < 1e-12);
}

#[test]
fn purchase_discounts_are_stated_assumptions() {
    let expected = [
        (Purchase::OnDemand, 0.0),
        (Purchase::OneYear, 0.30),
        (Purchase::ThreeYear, 0.55),
        (Purchase::Spot, 0.60),
    ];
    for (purchase, fraction_off) in expected {
        let discount = purchase_discount(purchase);
        assert_eq!(discount.fraction_off, fraction_off, "{purchase}");
        if purchase != Purchase::OnDemand {
            assert!(discount.basis.starts_with("assumption: "), "{purchase}");
        }
    }
    // A longer commitment never saves less.
    assert!(
        purchase_discount(Purchase::ThreeYear).fraction_off
            > purchase_discount(Purchase::OneYear).fraction_off
    );
}

#[test]
fn what_is_missing_is_listed_and_absent() {
    assert_eq!(NOT_IN_CATALOG.len(), 5);
    for region in [EuWest1, ApSoutheast1] {
        assert!(in_region(S3_STANDARD, region).is_none());
    }
    for region in [UsWest2, ApSoutheast1] {
        assert!(in_region(API_GATEWAY_HTTP, region).is_none());
        assert!(in_region(API_GATEWAY_REST, region).is_none());
    }
    for region in [UsWest2, EuWest1, ApSoutheast1] {
        assert!(in_region(LAMBDA_PROVISIONED_CONCURRENCY, region).is_none());
        assert_eq!(node_types(ElastiCache, region).count(), 0);
        assert_eq!(node_types(Rds, region).count(), 0);
    }
}

#[test]
fn region_keys_are_aws_region_codes() {
    let keys: Vec<&str> = Region::ALL.iter().map(|region| region.key()).collect();
    assert_eq!(
        keys,
        ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"]
    );
    let purchases: Vec<&str> = Purchase::ALL
        .iter()
        .map(|purchase| purchase.key())
        .collect();
    assert_eq!(purchases, ["on-demand", "1y", "3y", "spot"]);
}
