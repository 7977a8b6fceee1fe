//! Tests of the priced capacity plan. Every expected figure is worked by hand in a comment from
//! the catalog's published prices and the capacity page's formulas, with its tolerance.

use proptest::prelude::*;

use super::*;
use crate::report::Report;
use crate::scenario::Scenario;
use crate::testutil::{assert_abs, assert_rel};

/// A GB in bytes, as AWS bills it (2^30).
const GB: f64 = 1_073_741_824.0;

/// Bills agree with the hand calculation to a relative 1e-9: the arithmetic is exact up to
/// floating-point rounding.
const EXACT: f64 = 1e-9;

/// The priced plan of `query`, read as a current link (`v=2`: util 0.7, N+1).
fn fleet(query: &str) -> FleetCost {
    let parsed = Scenario::from_query(&format!("v=2&{query}"));
    assert!(parsed.errors.is_empty(), "{query}: {:?}", parsed.errors);
    Report::build(&parsed.scenario).unwrap().fleet_cost
}

fn line<'a>(f: &'a FleetCost, item_start: &str) -> &'a BillLine {
    f.lines
        .iter()
        .find(|line| line.item.starts_with(item_start))
        .unwrap_or_else(|| panic!("no line {item_start:?} in {:#?}", f.lines))
}

/// The chapter's load at the defaults (util 0.7, N+1): 19 web servers, 3 cache nodes, 4
/// database nodes (the capacity page's tests), in us-east-1, on demand, 720 h.
#[test]
fn the_default_plan_priced_by_hand() {
    let f = fleet("");
    // Nodes: 19 × 720 h × $0.1008 (m7i.large) = $1,378.944; 3 × 720 × $0.219 (cache.r7g.large)
    // = $473.04; 4 × 720 × $0.239 (db.r7g.large) = $688.32.
    assert_rel(line(&f, "web: m7i.large").usd_per_month, 1_378.944, EXACT);
    assert_rel(
        line(&f, "cache: cache.r7g.large").usd_per_month,
        473.04,
        EXACT,
    );
    assert_rel(line(&f, "db: db.r7g.large").usd_per_month, 688.32, EXACT);
    // Storage: 100M users × 0.5 writes × 500 B × 365 days × 1 year = 9.125e12 B
    // = 8,498.318 GB × $0.08 (EBS gp3) = $679.865.
    let storage = line(&f, "storage: EBS gp3");
    assert_rel(storage.quantity, 9.125e12 / GB, EXACT);
    assert_rel(storage.usd_per_month, 9.125e12 / GB * 0.08, EXACT);
    // Requests: 100M × 10.5 actions a day × 30 days = 3.15e10 a month.
    assert_rel(f.requests_per_month, 3.15e10, EXACT);
    // Egress: 100M × 10 reads × 10,000 B × 30 days = 3e14 B = 279,396.772 GB: 100 free,
    // 10,240 × $0.09, 40,960 × $0.085, 102,400 × $0.07, the rest × $0.05.
    let gb = 3e14 / GB;
    assert_rel(f.egress_bytes_per_month, 3e14, EXACT);
    let egress = 921.6 + 3_481.6 + 7_168.0 + (gb - 153_700.0) * 0.05;
    let egress_lines: f64 = f
        .lines
        .iter()
        .filter(|l| l.item.starts_with("egress"))
        .map(|l| l.usd_per_month)
        .sum();
    assert_rel(egress_lines, egress, EXACT);
    let total = 1_378.944 + 473.04 + 688.32 + 9.125e12 / GB * 0.08 + egress;
    assert_rel(f.usd_per_month, total, EXACT);
    assert_rel(f.parts.total(), total, EXACT);
    assert_rel(f.usd_per_million_requests.unwrap(), total / 31_500.0, EXACT);
    assert!(f.missing.is_empty(), "{:?}", f.missing);
    // Every line names its source and the day it was read.
    assert!(f.lines.iter().all(|l| l.source.contains("read 2026-11-30")));
}

#[test]
fn commitments_and_spot_discount_the_nodes() {
    // 1 year: 30% off every node: 19 × 720 × $0.1008 × 0.7 = $965.2608.
    let f = fleet("purchase=1y");
    assert_rel(line(&f, "web:").unit_price_usd, 0.1008 * 0.7, EXACT);
    assert_rel(line(&f, "web:").usd_per_month, 965.2608, EXACT);
    // 3 years: 55% off: the cache's 3 × 720 × $0.219 × 0.45 = $212.868.
    let f = fleet("purchase=3y");
    assert_rel(line(&f, "cache:").usd_per_month, 212.868, EXACT);
    // Spot: 60% off EC2 only; managed nodes bill on demand.
    let f = fleet("purchase=spot");
    assert_rel(line(&f, "web:").usd_per_month, 1_378.944 * 0.4, EXACT);
    assert_rel(line(&f, "db:").usd_per_month, 688.32, EXACT);
    assert!(line(&f, "db:").item.contains("no spot"));
}

#[test]
fn another_region_and_type() {
    // ap-southeast-1, c7i.xlarge ($0.2058/h), web capacity 20,000 req/s:
    // ⌈121,528 / (20,000 × 0.7)⌉ = 9 by requests; the network needs ⌈1.157e9 / (1e8 × 0.7)⌉ = 17;
    // 17 + 1 = 18 servers × 720 h × $0.2058 = $2,667.168.
    let f = fleet("region=ap-southeast-1&web_type=c7i.xlarge&web_rps=20000");
    assert_rel(
        line(&f, "web: c7i.xlarge, ap-southeast-1").usd_per_month,
        2_667.168,
        EXACT,
    );
    // Storage at $0.096 per GB-month in Singapore.
    assert_rel(line(&f, "storage:").unit_price_usd, 0.096, EXACT);
    // The catalog has no ElastiCache or RDS prices there: named, with the key that fixes it.
    assert!(
        f.missing
            .iter()
            .any(|m| m.contains("cache.r7g.large") && m.contains("cache_usd_hr"))
    );
    assert!(
        f.missing
            .iter()
            .any(|m| m.contains("db.r7g.large") && m.contains("db_usd_hr"))
    );
    // Given a price, the tier is billed: 3 × 720 × $0.25 = $540.
    let f = fleet("region=ap-southeast-1&cache_usd_hr=0.25&db_usd_hr=0.3");
    assert_rel(line(&f, "cache:").usd_per_month, 540.0, EXACT);
    assert!(line(&f, "cache:").source.contains("cache_usd_hr"));
    assert!(f.missing.is_empty(), "{:?}", f.missing);
}

#[test]
fn api_gateway_in_front_of_the_fleet() {
    // REST API over 31,500 million requests: 333 × $3.50 + 667 × $2.80 + 19,000 × $2.38
    // + 11,500 × $1.51 = $1,165.50 + $1,867.60 + $45,220 + $17,365 = $65,618.10.
    let f = fleet("api_gw=rest");
    let gateway: f64 = f
        .lines
        .iter()
        .filter(|l| l.item.starts_with("API Gateway REST API"))
        .map(|l| l.usd_per_month)
        .sum();
    assert_rel(gateway, 65_618.1, EXACT);
    assert_rel(f.parts.api_gateway, 65_618.1, EXACT);
    // HTTP API: 300 × $1.00 + 31,200 × $0.90 = $28,380.
    assert_rel(fleet("api_gw=http").parts.api_gateway, 28_380.0, EXACT);
    // Ireland's REST tiers (the Price List's eu-west-1 offer): 333 × $3.50 + 667 × $3.19
    // + 19,000 × $2.71 + 11,500 × $1.72 = $1,165.50 + $2,127.73 + $51,490 + $19,780 = $74,563.23.
    assert_rel(
        fleet("region=eu-west-1&api_gw=rest").parts.api_gateway,
        74_563.23,
        EXACT,
    );
}

#[test]
fn serverless_against_the_web_tier() {
    let s = fleet("").serverless;
    // Lambda at 200 ms, 256 MB, x86, no free tier, 3.15e10 requests: 31,500 × $0.20 = $6,300
    // for requests; 3.15e10 × 0.2 s × 0.25 GB = 1.575e9 GB-s × $0.0000166667 = $26,250.05.
    assert_rel(s.lambda_usd, 6_300.0 + 1.575e9 * 0.000_016_666_7, EXACT);
    // No gateway chosen: the function gets an HTTP API, $28,380 (above).
    assert_eq!(s.gateway, ApiGateway::Http);
    assert_rel(s.gateway_usd.unwrap(), 28_380.0, EXACT);
    assert_rel(s.fleet_usd.unwrap(), 1_378.944, EXACT);
    // The crossover: at low volume the web tier is 1 server + 1 spare = 2 × 720 × $0.1008 =
    // $145.152 a month; serverless costs $0.20 + 0.05 GB-s × $16.6667 + $1.00 = $2.033335 per
    // million requests; they meet at 145.152 / 2.033335e-6 = 71,386,171 requests a month.
    let crossover = s.crossover_requests_per_month.unwrap();
    assert_rel(crossover, 145.152 / 2.033_335e-6, 1e-6);
}

#[test]
fn no_crossover_is_said_with_its_reason() {
    // 15-minute, 10 GB functions cost more than the two-server floor at every volume on the
    // scan: at 10^-4 × 3.15e10 = 3.15M requests, 3.15e6 × 900 s × 10 GB × $0.0000166667 alone
    // is $472,500 against $145.15.
    let s = fleet("dur_ms=900000&mem_mb=10240").serverless;
    assert!(s.crossover_requests_per_month.is_none());
    assert!(
        s.message
            .as_deref()
            .unwrap()
            .starts_with("serverless costs more at every volume")
    );
    let s = fleet("dau=0").serverless;
    assert!(s.crossover_requests_per_month.is_none());
    assert_eq!(
        s.message.as_deref(),
        Some("no requests: nothing to compare")
    );
}

#[test]
fn cheapest_types_rank_by_monthly_cost() {
    let f = fleet("");
    let web = &f.cheapest.web;
    assert_eq!(web.len(), 15);
    // m7g.large: the same 2 vCPUs as m7i.large, so the same 19 servers, at $0.0816:
    // 19 × 720 × $0.0816 = $1,116.288, the cheapest.
    assert_eq!(web[0].node_type, "m7g.large");
    assert_eq!(web[0].nodes, Some(19));
    assert_rel(web[0].usd_per_month.unwrap(), 1_116.288, EXACT);
    // t3.medium sustains 20% of its 2 vCPUs: 10,000 × 0.2 = 2,000 req/s per server;
    // ⌈121,528 / (2,000 × 0.7)⌉ + 1 = 87 + 1 = 88 servers.
    let t3 = web.iter().find(|o| o.node_type == "t3.medium").unwrap();
    assert_eq!(t3.nodes, Some(88));
    assert_rel(t3.sustained_share, 0.2, EXACT);
    // m7i.2xlarge has 4 × the vCPUs: 40,000 req/s, ⌈121,528 / 28,000⌉ = 5 by requests, but the
    // network (unchanged per server) still needs 17: 18 servers.
    let big = web.iter().find(|o| o.node_type == "m7i.2xlarge").unwrap();
    assert_eq!(big.nodes, Some(18));
    // Sorted by monthly cost.
    for tier in [&f.cheapest.web, &f.cheapest.cache, &f.cheapest.db] {
        for pair in tier.windows(2) {
            assert!(pair[0].usd_per_month <= pair[1].usd_per_month, "{pair:?}");
        }
    }
    // Cache: 115,741 peak ops; cache.m7g.large (2 vCPUs, as the chosen r7g.large) needs the
    // same 3 nodes at $0.158: 3 × 720 × $0.158 = $341.28.
    assert_eq!(f.cheapest.cache[0].node_type, "cache.m7g.large");
    assert_rel(f.cheapest.cache[0].usd_per_month.unwrap(), 341.28, EXACT);
}

#[test]
fn the_bill_over_the_horizon_follows_the_runway() {
    let f = fleet("growth=5%&horizon=12");
    assert_eq!(f.months.len(), 13);
    // Month 0 runs today's nodes and traffic: the same node, egress and gateway parts.
    let m0 = &f.months[0].parts;
    assert_rel(m0.web, f.parts.web, EXACT);
    assert_rel(m0.egress, f.parts.egress, EXACT);
    // Month 12: load × 1.05^12 = 1.7959; web servers ⌈121,528 × 1.7959 / 7,000⌉ + 1 = 32 + 1 =
    // 33 × 720 × $0.1008 = $2,395.008.
    assert_rel(f.months[12].parts.web, 2_395.008, EXACT);
    // Storage accumulates: each month's part is the runway's stored bytes × $0.08 per GB.
    for (month, cost) in f.months.iter().enumerate() {
        assert!(cost.usd_per_month.is_some(), "month {month}");
        assert_abs(cost.usd_per_month.unwrap(), cost.parts.total(), 1e-9);
    }
    assert!(
        f.months
            .windows(2)
            .all(|w| w[1].parts.storage > w[0].parts.storage)
    );
}

#[test]
fn a_tier_beyond_the_node_limit_is_named_not_priced() {
    // 1e11 users with 1 req/s servers: far beyond a million web servers.
    let f = fleet("dau=1e11&web_rps=1");
    assert!(
        f.missing.iter().any(|m| m.starts_with("web: more than")),
        "{:?}",
        f.missing
    );
    assert!(!f.lines.iter().any(|l| l.item.starts_with("web:")));
}

proptest! {
    #[test]
    fn the_total_is_the_sum_of_the_lines_and_of_the_parts(
        dau in 0.0f64..1e9,
        region in 0usize..4,
        purchase in 0usize..4,
        gw in 0usize..3,
    ) {
        let q = format!(
            "dau={dau}&region={}&purchase={}&api_gw={}",
            Region::ALL[region], Purchase::ALL[purchase], ApiGateway::ALL[gw]
        );
        let f = fleet(&q);
        let lines: f64 = f.lines.iter().map(|l| l.usd_per_month).sum();
        prop_assert!((lines - f.usd_per_month).abs() <= 1e-9 * f.usd_per_month.max(1.0));
        prop_assert!((f.parts.total() - f.usd_per_month).abs() <= 1e-6 * f.usd_per_month.max(1.0));
    }

    #[test]
    fn more_users_never_cost_less(dau in 0.0f64..1e9, factor in 1.0f64..10.0) {
        let a = fleet(&format!("dau={dau}"));
        let b = fleet(&format!("dau={}", dau * factor));
        prop_assert!(b.usd_per_month >= a.usd_per_month - 1e-9);
    }
}
