//! Tests of the cost calculator. Every expected figure is worked by hand in a comment (or quoted
//! from its published source) and compared with an explicit tolerance.

use proptest::prelude::*;

use super::*;
use crate::testutil::{assert_abs, assert_rel};

// Only the tests vary the request volume of a workload.
impl ServerlessWorkload {
    /// The same workload at another request volume.
    ///
    /// # Errors
    /// [`CostError::RequestsOutOfRange`] as in [`ServerlessWorkload::new`].
    fn with_requests_per_month(&self, requests_per_month: f64) -> Result<Self, CostError> {
        Ok(Self {
            requests_per_month: check_requests(requests_per_month)?,
            ..self.clone()
        })
    }
}

fn prices() -> PriceTable {
    PriceTable::aws_lambda_2026()
}

/// The chapter's section 8 example: 1M requests × 200 ms × 256 MB on x86.
fn chapter_lambda(free_tier: bool) -> ServerlessWorkload {
    ServerlessWorkload::new(1e6, 200.0, 256.0, Arch::X86, free_tier).unwrap()
}

/// The chapter's section 8 fleet: 3 × t3.medium at $0.0416/h for 720 h.
fn chapter_fleet() -> InstanceFleet {
    InstanceFleet::new(3.0, 0.0416, 720.0).unwrap()
}

fn total(workload: &ServerlessWorkload) -> f64 {
    serverless_monthly_cost(workload, &prices()).total_usd
}

// ---- The chapter, section 8 -------------------------------------------------------------

#[test]
fn chapter_instances_cost() {
    // 3 × 0.0416 × 720 = 89.856 (the chapter rounds to $90; the cost page shows $89.86).
    assert_rel(instances_monthly_cost(&chapter_fleet()), 89.856, 1e-12);
    assert_abs(instances_monthly_cost(&chapter_fleet()), 89.86, 0.005);
}

#[test]
fn chapter_serverless_cost() {
    let cost = serverless_monthly_cost(&chapter_lambda(false), &prices());
    // 256 MB = 256/1024 = 0.25 GB; 200 ms = 0.2 s; 1e6 × 0.2 × 0.25 = 50,000 GB-s (chapter).
    assert_abs(cost.gb_seconds, 50_000.0, 1e-9);
    // 50,000 × 0.0000166667 = 0.833335 (the chapter's "~$1/month").
    assert_rel(cost.compute_usd, 0.833_335, 1e-12);
    // 1e6 / 1e6 × $0.20 = $0.20 (the chapter's "$0.20 per million requests").
    assert_rel(cost.request_usd, 0.20, 1e-12);
    assert_rel(cost.total_usd, 1.033_335, 1e-12);
    assert_eq!(cost.compute_by_tier.len(), 1);
}

#[test]
fn chapter_crossover_without_free_tier() {
    // Per request: 0.2e-6 + 0.05 GB-s × 0.0000166667 = 1.033335e-6 USD.
    // 89.856 / 1.033335e-6 = 86,957,279.1012 requests (bc, scale 12).
    let crossover =
        crossover_requests_per_month(&chapter_lambda(false), &chapter_fleet(), &prices());
    assert_rel(
        crossover.requests_per_month.unwrap(),
        86_957_279.101_162_74,
        1e-9,
    );
    // Over 720 h = 2,592,000 s: 86,957,279.1012 / 2,592,000 = 33.548333 req/s.
    assert_rel(crossover.seconds_per_month, 2_592_000.0, 1e-15);
    assert_rel(
        crossover.requests_per_second.unwrap(),
        33.548_332_986_56,
        1e-9,
    );
    assert_rel(crossover.instances_usd, 89.856, 1e-12);
    assert_eq!(crossover.reason, None);
}

#[test]
fn chapter_crossover_with_free_tier() {
    // Free tier: 1M requests and 400,000 GB-s. At 0.05 GB-s per request, GB-s run out at
    // 400,000 / 0.05 = 8M requests; requests run out at 1M. Past 8M requests:
    //   S(R) = 0.2e-6 × (R − 1e6) + 0.0000166667 × (0.05 R − 400,000)
    //        = 1.033335e-6 R − 0.2 − 6.66668 = 1.033335e-6 R − 6.86668
    // S(8M) = 1.4 < 89.856, so the crossing is on that segment (the next tier bound is at
    // (6e9 + 4e5) / 0.05 = 1.2e11 requests, far beyond):
    //   R* = (89.856 + 6.86668) / 1.033335e-6 = 93,602,442.5767 requests (bc, scale 12).
    let crossover =
        crossover_requests_per_month(&chapter_lambda(true), &chapter_fleet(), &prices());
    assert_rel(
        crossover.requests_per_month.unwrap(),
        93_602_442.576_705_52,
        1e-9,
    );
}

// ---- AWS's own published examples -------------------------------------------------------

#[test]
fn aws_pricing_page_example_512mb_with_free_tier() {
    // AWS Lambda pricing page, archived "Example 1" (us-east-1): 512 MB, 3M requests, 1 s each,
    // free tier applied. Published: 3,000,000 s × 512/1024 = 1,500,000 GB-s; minus 400,000 free
    // = 1,100,000 GB-s; × $0.00001667 = $18.34; 3M − 1M free = 2M × $0.2/M = $0.40; $18.74.
    let workload = ServerlessWorkload::new(3e6, 1000.0, 512.0, Arch::X86, true).unwrap();
    let cost = serverless_monthly_cost(&workload, &prices());
    assert_abs(cost.gb_seconds, 1_500_000.0, 1e-9);
    assert_abs(cost.billable_gb_seconds, 1_100_000.0, 1e-9);
    assert_abs(cost.billable_requests, 2_000_000.0, 1e-9);
    assert_rel(cost.request_usd, 0.40, 1e-12);
    // At today's unrounded $0.0000166667: 1,100,000 × 0.0000166667 = 18.33337 (by hand); the page
    // used $0.00001667 and showed cents, so it agrees to within a cent.
    assert_rel(cost.compute_usd, 18.333_37, 1e-12);
    assert_abs(cost.compute_usd, 18.34, 0.01);
    assert_abs(cost.total_usd, 18.74, 0.01);
}

#[test]
fn aws_blog_one_ms_billing_example() {
    // AWS News Blog, "New for AWS Lambda – 1ms Billing Granularity Adds Cost Savings" (Dec 2020),
    // us-east-1, no free tier: 60M invocations × $0.20/M = $12; 60M × 28 ms × 1 GB ×
    // $0.0000166667 = $28; with the old 100 ms rounding 60M × 100 ms × 1 GB = $100.
    let billed_28 = ServerlessWorkload::new(60e6, 28.0, 1024.0, Arch::X86, false).unwrap();
    let cost = serverless_monthly_cost(&billed_28, &prices());
    assert_rel(cost.request_usd, 12.0, 1e-12);
    // By hand: 60e6 × 0.028 × 1 = 1,680,000 GB-s × 0.0000166667 = 28.000056.
    assert_rel(cost.compute_usd, 28.000_056, 1e-12);
    assert_abs(cost.compute_usd, 28.0, 0.01);
    let billed_100 = ServerlessWorkload::new(60e6, 100.0, 1024.0, Arch::X86, false).unwrap();
    // 6,000,000 GB-s × 0.0000166667 = 100.0002.
    assert_abs(
        serverless_monthly_cost(&billed_100, &prices()).compute_usd,
        100.0,
        0.001,
    );
}

#[test]
fn billed_duration_rounds_up_to_the_ms() {
    // Same blog: a REPORT line with "Duration: 27.55 ms  Billed Duration: 28 ms".
    let workload = ServerlessWorkload::new(60e6, 27.55, 1024.0, Arch::X86, false).unwrap();
    assert_eq!(workload.billed_duration_ms(), 28.0);
    assert_rel(
        serverless_monthly_cost(&workload, &prices()).compute_usd,
        28.000_056,
        1e-12,
    );
}

#[test]
fn aws_pricing_page_mobile_backend_x86_and_arm() {
    // Inputs of the AWS Lambda pricing page's "mobile application backend" example: 3M requests a
    // month, 120 ms, 1536 MB, x86, no free tier. Arithmetic by hand:
    //   3e6 × 0.12 s = 360,000 s × 1536/1024 = 540,000 GB-s
    //   540,000 × 0.0000166667 = $9.000018; 3 × $0.20 = $0.60; total $9.600018.
    let x86 = ServerlessWorkload::new(3e6, 120.0, 1536.0, Arch::X86, false).unwrap();
    let cost = serverless_monthly_cost(&x86, &prices());
    assert_abs(cost.gb_seconds, 540_000.0, 1e-9);
    assert_rel(cost.compute_usd, 9.000_018, 1e-12);
    assert_rel(cost.request_usd, 0.60, 1e-12);
    assert_rel(cost.total_usd, 9.600_018, 1e-12);
    // Same on Arm: 540,000 × 0.0000133334 = $7.200036; + $0.60 = $7.800036; the duration charge
    // is 7.200036 / 9.000018 = 0.8000024 of x86's, AWS's "20% cheaper".
    let arm = ServerlessWorkload::new(3e6, 120.0, 1536.0, Arch::Arm, false).unwrap();
    let arm_cost = serverless_monthly_cost(&arm, &prices());
    assert_rel(arm_cost.compute_usd, 7.200_036, 1e-12);
    assert_rel(arm_cost.total_usd, 7.800_036, 1e-12);
    assert_rel(arm_cost.compute_usd / cost.compute_usd, 0.8, 1e-5);
}

// ---- Duration tiers ---------------------------------------------------------------------

/// 10 GB-s per request: 1,000 ms × 10,240 MB / (1000 × 1024).
fn ten_gb_second_requests(requests: f64, arch: Arch, free_tier: bool) -> ServerlessWorkload {
    ServerlessWorkload::new(requests, 1000.0, 10_240.0, arch, free_tier).unwrap()
}

#[test]
fn x86_tier_boundary_at_six_billion() {
    // 6e8 × 10 = 6e9 GB-s, exactly the end of tier 1: 6e9 × 0.0000166667 = 100,000.2;
    // requests 600 × $0.20 = $120; total 100,120.2.
    let cost = serverless_monthly_cost(&ten_gb_second_requests(6e8, Arch::X86, false), &prices());
    assert_abs(cost.gb_seconds, 6e9, 1e-3);
    assert_eq!(cost.compute_by_tier.len(), 1);
    assert_rel(cost.compute_usd, 100_000.2, 1e-12);
    assert_rel(cost.total_usd, 100_120.2, 1e-12);
    // 7e8 × 10 = 7e9 GB-s: 100,000.2 + 1e9 × 0.000015 = 115,000.2; requests $140.
    let cost = serverless_monthly_cost(&ten_gb_second_requests(7e8, Arch::X86, false), &prices());
    assert_eq!(cost.compute_by_tier.len(), 2);
    assert_abs(cost.compute_by_tier[1].gb_seconds, 1e9, 1e-3);
    assert_rel(cost.compute_usd, 115_000.2, 1e-12);
    assert_rel(cost.total_usd, 115_140.2, 1e-12);
    // 2e9 × 10 = 2e10 GB-s: 100,000.2 + 9e9 × 0.000015 (135,000) + 5e9 × 0.0000133334 (66,667)
    // = 301,667.2; requests $400; total 302,067.2.
    let cost = serverless_monthly_cost(&ten_gb_second_requests(2e9, Arch::X86, false), &prices());
    assert_eq!(cost.compute_by_tier.len(), 3);
    assert_rel(cost.compute_usd, 301_667.2, 1e-12);
    assert_rel(cost.total_usd, 302_067.2, 1e-12);
}

#[test]
fn arm_tier_boundary_at_seven_and_a_half_billion() {
    // 7.5e8 × 10 = 7.5e9 GB-s × 0.0000133334 = 100,000.5 (tier 1 only).
    let cost = serverless_monthly_cost(&ten_gb_second_requests(7.5e8, Arch::Arm, false), &prices());
    assert_eq!(cost.compute_by_tier.len(), 1);
    assert_rel(cost.compute_usd, 100_000.5, 1e-12);
    // 8.5e8 × 10 = 8.5e9: + 1e9 × 0.0000120001 = 12,000.1, so 112,000.6.
    let cost = serverless_monthly_cost(&ten_gb_second_requests(8.5e8, Arch::Arm, false), &prices());
    assert_rel(cost.compute_usd, 112_000.6, 1e-12);
}

#[test]
fn tiers_apply_to_billable_gb_seconds_after_the_free_tier() {
    // (6e8 + 40,000) × 10 = 6e9 + 400,000 GB-s; minus the 400,000 free leaves exactly 6e9,
    // all in tier 1: 100,000.2. Requests: 600,040,000 − 1,000,000 = 599,040,000 × 0.2e-6 = 119.808.
    let cost = serverless_monthly_cost(
        &ten_gb_second_requests(6.0004e8, Arch::X86, true),
        &prices(),
    );
    assert_abs(cost.billable_gb_seconds, 6e9, 1e-3);
    assert_eq!(cost.compute_by_tier.len(), 1);
    assert_rel(cost.compute_usd, 100_000.2, 1e-12);
    assert_rel(cost.request_usd, 119.808, 1e-12);
}

#[test]
fn crossover_in_the_second_tier() {
    // From x86_tier_boundary_at_six_billion: 7e8 requests of 10 GB-s cost 115,140.2, and the bill
    // is strictly increasing there, so a fleet billing 115,140.2 crosses at exactly 7e8.
    // 1 instance × (115,140.2 / 720) $/h × 720 h.
    let fleet = InstanceFleet::new(1.0, 115_140.2 / 720.0, 720.0).unwrap();
    let workload = ten_gb_second_requests(1.0, Arch::X86, false);
    let crossover = crossover_requests_per_month(&workload, &fleet, &prices());
    assert_rel(crossover.requests_per_month.unwrap(), 7e8, 1e-9);
}

#[test]
fn no_crossover_reasons() {
    let idle_fleet = InstanceFleet::new(0.0, 0.0416, 720.0).unwrap();
    let crossover = crossover_requests_per_month(&chapter_lambda(false), &idle_fleet, &prices());
    assert_eq!(crossover.requests_per_month, None);
    assert_eq!(crossover.requests_per_second, None);
    assert_eq!(
        crossover.reason,
        Some(NoCrossoverReason::InstancesCostNothing)
    );

    let free_lambda = prices()
        .with_usd_per_million_requests(0.0)
        .and_then(|table| table.with_first_tier_usd_per_gb_second(Arch::X86, 0.0))
        .unwrap();
    let crossover =
        crossover_requests_per_month(&chapter_lambda(false), &chapter_fleet(), &free_lambda);
    assert_eq!(crossover.requests_per_month, None);
    assert_eq!(
        crossover.reason,
        Some(NoCrossoverReason::ServerlessAlwaysCheaper)
    );
}

// ---- Price table and overrides ----------------------------------------------------------

#[test]
fn published_table_is_dated_and_sourced() {
    let table = prices();
    assert_eq!(table.as_of(), "2026-01");
    assert!(table.source().contains("aws.amazon.com/lambda/pricing"));
    assert!(table.source().contains("us-east-1"));
    assert_eq!(table.free_requests_per_month(), 1e6);
    assert_eq!(table.free_gb_seconds_per_month(), 400_000.0);
    let x86_bounds: Vec<_> = table
        .tiers(Arch::X86)
        .iter()
        .map(|t| t.up_to_gb_seconds)
        .collect();
    assert_eq!(x86_bounds, [Some(6e9), Some(15e9), None]);
    let arm_bounds: Vec<_> = table
        .tiers(Arch::Arm)
        .iter()
        .map(|t| t.up_to_gb_seconds)
        .collect();
    assert_eq!(arm_bounds, [Some(7.5e9), Some(18.75e9), None]);
}

#[test]
fn overrides_replace_prices_and_scale_later_tiers() {
    let table = prices()
        .with_usd_per_million_requests(0.25)
        .and_then(|table| table.with_first_tier_usd_per_gb_second(Arch::X86, 0.00002))
        .unwrap();
    // Chapter workload: 1e6 × $0.25/M = $0.25; 50,000 × 0.00002 = $1.00.
    let cost = serverless_monthly_cost(&chapter_lambda(false), &table);
    assert_rel(cost.request_usd, 0.25, 1e-12);
    assert_rel(cost.compute_usd, 1.0, 1e-12);
    // Tier 2 keeps its 10% discount: 0.00002 × 0.9 = 0.000018 (to the 1e-5 by which AWS's
    // $0.000015 / $0.0000166667 differs from 0.9). Arm is untouched.
    assert_rel(table.tiers(Arch::X86)[1].usd_per_gb_second, 0.000_018, 1e-5);
    assert_rel(table.tiers(Arch::X86)[2].usd_per_gb_second, 0.000_016, 1e-5);
    assert_eq!(table.tiers(Arch::Arm), prices().tiers(Arch::Arm));
    assert!(table.source().contains("overridden"));
    // After an override to 0 the ratio is undefined, so a later override applies flat.
    let flat = prices()
        .with_first_tier_usd_per_gb_second(Arch::Arm, 0.0)
        .and_then(|table| table.with_first_tier_usd_per_gb_second(Arch::Arm, 0.00001))
        .unwrap();
    assert!(
        flat.tiers(Arch::Arm)
            .iter()
            .all(|t| t.usd_per_gb_second == 0.00001)
    );
}

#[test]
fn bad_overrides_are_errors() {
    for bad in [-0.01, f64::NAN, f64::INFINITY, 2e6] {
        assert!(prices().with_usd_per_million_requests(bad).is_err());
    }
    for bad in [-1e-6, f64::NAN, f64::NEG_INFINITY, 1.5] {
        assert!(
            prices()
                .with_first_tier_usd_per_gb_second(Arch::Arm, bad)
                .is_err()
        );
    }
}

#[test]
fn price_table_json_round_trip_and_validation() {
    let json = serde_json::to_string(&prices()).unwrap();
    let back: PriceTable = serde_json::from_str(&json).unwrap();
    assert_eq!(back, prices());
    let unbounded_first = json.replacen("6000000000.0", "null", 1);
    assert!(serde_json::from_str::<PriceTable>(&unbounded_first).is_err());
    let no_arm = json.replace(
        &serde_json::to_string(prices().tiers(Arch::Arm)).unwrap(),
        "[]",
    );
    assert!(serde_json::from_str::<PriceTable>(&no_arm).is_err());
}

// ---- Validation, errors, serde ----------------------------------------------------------

#[test]
fn constructors_reject_out_of_range_inputs_with_the_field() {
    let workload = |r, d, m| ServerlessWorkload::new(r, d, m, Arch::X86, false);
    assert_eq!(
        workload(-1.0, 200.0, 256.0).unwrap_err().field(),
        Some("req_month")
    );
    assert_eq!(
        workload(2e15, 200.0, 256.0).unwrap_err().field(),
        Some("req_month")
    );
    assert_eq!(
        workload(1e6, 0.0, 256.0).unwrap_err().field(),
        Some("dur_ms")
    );
    assert_eq!(
        workload(1e6, 900_001.0, 256.0).unwrap_err().field(),
        Some("dur_ms")
    );
    assert_eq!(
        workload(1e6, 200.0, 127.0).unwrap_err().field(),
        Some("mem_mb")
    );
    assert_eq!(
        workload(1e6, 200.0, 10_241.0).unwrap_err().field(),
        Some("mem_mb")
    );
    assert_eq!(
        workload(1e6, 200.0, 256.5).unwrap_err().field(),
        Some("mem_mb")
    );
    assert!(workload(0.0, 900_000.0, 10_240.0).is_ok());
    assert!(workload(1e15, 0.001, 128.0).is_ok());

    assert_eq!(
        InstanceFleet::new(2.5, 1.0, 720.0).unwrap_err().field(),
        Some("inst_n")
    );
    assert_eq!(
        InstanceFleet::new(3.0, -1.0, 720.0).unwrap_err().field(),
        Some("inst_hr")
    );
    assert_eq!(
        InstanceFleet::new(3.0, 1.0, 0.0).unwrap_err().field(),
        Some("hours")
    );
    assert_eq!(
        InstanceFleet::new(3.0, 1.0, 745.0).unwrap_err().field(),
        Some("hours")
    );
    assert!(InstanceFleet::new(0.0, 0.0, 744.0).is_ok());

    let message = workload(1e6, 200.0, 64.0).unwrap_err().to_string();
    assert!(
        message.contains("128") && message.contains("10240") && message.contains("64"),
        "{message}"
    );
}

#[test]
fn serde_names_and_validation() {
    assert_eq!(serde_json::to_string(&Arch::X86).unwrap(), "\"x86\"");
    assert_eq!(serde_json::to_string(&Arch::Arm).unwrap(), "\"arm\"");
    let json = serde_json::to_string(&chapter_lambda(true)).unwrap();
    assert_eq!(
        serde_json::from_str::<ServerlessWorkload>(&json).unwrap(),
        chapter_lambda(true)
    );
    assert!(serde_json::from_str::<ServerlessWorkload>(&json.replace("256.0", "64.0")).is_err());
    let json = serde_json::to_string(&chapter_fleet()).unwrap();
    assert_eq!(
        serde_json::from_str::<InstanceFleet>(&json).unwrap(),
        chapter_fleet()
    );
    assert!(serde_json::from_str::<InstanceFleet>(&json.replace("720.0", "800.0")).is_err());
}

// ---- Curves -----------------------------------------------------------------------------

#[test]
fn cost_curve_is_log_spaced_and_holds_the_crossover() {
    let curve = cost_curve(
        &chapter_lambda(false),
        &chapter_fleet(),
        &prices(),
        1e5,
        1e9,
        5,
    )
    .unwrap();
    // 1e5 × (1e4)^(i/4): 1e5, 1e6, 1e7, 1e8, 1e9, plus the crossover (86,957,279.1) before 1e8.
    let volumes: Vec<f64> = curve.iter().map(|point| point.requests_per_month).collect();
    let expected = [1e5, 1e6, 1e7, 86_957_279.101_162_74, 1e8, 1e9];
    assert_eq!(volumes.len(), expected.len());
    for (volume, expected) in volumes.iter().zip(expected) {
        assert_rel(*volume, expected, 1e-9);
    }
    assert_eq!((volumes[0], volumes[5]), (1e5, 1e9));
    // At the crossover both bills are 89.856; at 1e6 serverless is the chapter's $1.033335.
    assert_rel(curve[3].serverless_usd, 89.856, 1e-9);
    assert!(
        curve
            .iter()
            .all(|point| point.instances_usd == curve[0].instances_usd)
    );
    assert_rel(curve[1].serverless_usd, 1.033_335, 1e-9);
}

#[test]
fn cost_curve_rejects_bad_ranges() {
    let curve = |from, to, points| {
        cost_curve(
            &chapter_lambda(false),
            &chapter_fleet(),
            &prices(),
            from,
            to,
            points,
        )
    };
    for (from, to) in [
        (0.0, 1e6),
        (1e6, 1e6),
        (1e7, 1e6),
        (f64::NAN, 1e6),
        (1.0, 2e15),
    ] {
        assert!(matches!(
            curve(from, to, 10),
            Err(CostError::CurveRangeInvalid { .. })
        ));
    }
    for points in [0, 1, MAX_CURVE_POINTS + 1] {
        assert!(matches!(
            curve(1.0, 1e6, points),
            Err(CostError::CurvePointsOutOfRange { .. })
        ));
    }
}

#[test]
fn memory_curve_of_the_chapter_workload() {
    let curve = memory_curve(&chapter_lambda(false), &prices());
    let sizes: Vec<f64> = curve.iter().map(|point| point.memory_mb).collect();
    assert_eq!(sizes, STANDARD_MEMORY_SIZES_MB);
    // 128 MB: 1e6 × 0.2 × 0.125 = 25,000 GB-s × 0.0000166667 = 0.4166675 + 0.20 = 0.6166675.
    assert_rel(curve[0].serverless_usd, 0.616_667_5, 1e-12);
    // 256 MB is the chapter's 1.033335.
    assert_rel(curve[1].serverless_usd, 1.033_335, 1e-12);
    // 10,240 MB: 1e6 × 0.2 × 10 = 2e6 GB-s × 0.0000166667 = 33.3334 + 0.20 = 33.5334.
    assert_rel(curve[10].serverless_usd, 33.5334, 1e-12);
}

// ---- Properties -------------------------------------------------------------------------

fn arch() -> impl Strategy<Value = Arch> {
    prop_oneof![Just(Arch::X86), Just(Arch::Arm)]
}

prop_compose! {
    fn workload()(
        requests in 0.0..1e13f64,
        duration in 0.001..=900_000.0f64,
        memory in 128u32..=10_240,
        arch in arch(),
        free_tier in any::<bool>(),
    ) -> ServerlessWorkload {
        ServerlessWorkload::new(requests, duration, f64::from(memory), arch, free_tier).unwrap()
    }
}

prop_compose! {
    fn fleet()(count in 1u32..=1000, usd_per_hour in 0.001..100.0f64, hours in 1.0..=744.0f64)
        -> InstanceFleet {
        InstanceFleet::new(f64::from(count), usd_per_hour, hours).unwrap()
    }
}

/// Any f64, with special values, or one in a range where constructors can succeed.
fn any_number(plausible: std::ops::Range<f64>) -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        plausible,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-0.0)
    ]
}

proptest! {
    #[test]
    fn crossover_has_equal_cost(workload in workload(), fleet in fleet()) {
        let table = prices();
        let crossover = crossover_requests_per_month(&workload, &fleet, &table);
        let requests = crossover.requests_per_month.unwrap();
        let instances = instances_monthly_cost(&fleet);
        let at = |r| serverless_cost_at(&workload, &table, r).total_usd;
        assert_rel(at(requests), instances, 1e-9);
        // Below the crossover serverless is cheaper, above it dearer.
        prop_assert!(at(requests * (1.0 - 1e-6)) <= instances);
        prop_assert!(at(requests * (1.0 + 1e-6)) >= instances);
    }

    #[test]
    fn cost_is_non_decreasing_in_requests_duration_and_memory(
        workload in workload(),
        more_requests in 0.0..1e12f64,
        more_ms in 0.0..100_000.0f64,
        more_mb in 0u32..4096,
    ) {
        let base = total(&workload);
        let requests = (workload.requests_per_month() + more_requests).min(MAX_REQUESTS_PER_MONTH);
        prop_assert!(base <= total(&workload.with_requests_per_month(requests).unwrap()));
        let duration = (workload.duration_ms() + more_ms).min(MAX_DURATION_MS);
        let longer = ServerlessWorkload::new(
            workload.requests_per_month(), duration, workload.memory_mb(), workload.arch(),
            workload.free_tier(),
        ).unwrap();
        prop_assert!(base <= total(&longer));
        let memory = (workload.memory_mb() + f64::from(more_mb)).min(MAX_MEMORY_MB);
        prop_assert!(base <= total(&workload.with_memory_mb(memory).unwrap()));
    }

    #[test]
    fn arm_never_costs_more_than_x86(workload in workload()) {
        let with_arch = |arch| ServerlessWorkload::new(
            workload.requests_per_month(), workload.duration_ms(), workload.memory_mb(), arch,
            workload.free_tier(),
        ).unwrap();
        prop_assert!(total(&with_arch(Arch::Arm)) <= total(&with_arch(Arch::X86)));
    }

    #[test]
    fn free_tier_never_raises_the_cost(workload in workload()) {
        let with_free = |free_tier| ServerlessWorkload::new(
            workload.requests_per_month(), workload.duration_ms(), workload.memory_mb(),
            workload.arch(), free_tier,
        ).unwrap();
        prop_assert!(total(&with_free(true)) <= total(&with_free(false)));
    }

    #[test]
    fn no_panic_and_finite_figures_for_any_input(
        requests in any_number(0.0..1e15),
        duration in any_number(0.0..900_000.0),
        memory in any_number(128.0..10_240.0),
        count in any_number(0.0..100.0),
        usd_per_hour in any_number(0.0..1e6),
        hours in any_number(0.0..744.0),
        arch in arch(),
        free_tier in any::<bool>(),
        from in any_number(0.0..1e15),
        to in any_number(0.0..1e15),
        points in 0usize..300,
    ) {
        let workload = ServerlessWorkload::new(requests, duration, memory, arch, free_tier);
        let fleet = InstanceFleet::new(count, usd_per_hour, hours);
        if let (Ok(workload), Ok(fleet)) = (workload, fleet) {
            let table = prices();
            let cost = serverless_monthly_cost(&workload, &table);
            prop_assert!(cost.total_usd.is_finite() && cost.total_usd >= 0.0);
            prop_assert!(instances_monthly_cost(&fleet).is_finite());
            let crossover = crossover_requests_per_month(&workload, &fleet, &table);
            prop_assert!(crossover.requests_per_month.is_none_or(f64::is_finite));
            prop_assert!(memory_curve(&workload, &table).iter().all(|p| p.serverless_usd.is_finite()));
            if let Ok(curve) = cost_curve(&workload, &fleet, &table, from, to, points) {
                prop_assert!(curve.len() >= 2 && curve.len() <= points + 1);
                prop_assert_eq!(curve.first().map(|p| p.requests_per_month), Some(from));
                prop_assert_eq!(curve.last().map(|p| p.requests_per_month), Some(to));
                prop_assert!(curve.windows(2).all(|w| w[0].requests_per_month < w[1].requests_per_month));
                prop_assert!(curve.iter().all(|p| p.serverless_usd.is_finite()));
            }
        }
    }

    #[test]
    fn workload_json_round_trip(workload in workload()) {
        let json = serde_json::to_string(&workload).unwrap();
        let back = serde_json::from_str::<ServerlessWorkload>(&json).unwrap();
        // serde_json parses floats to within 1 ulp unless its `float_roundtrip` feature is on.
        assert_rel(back.requests_per_month(), workload.requests_per_month(), 1e-15);
        assert_rel(back.duration_ms(), workload.duration_ms(), 1e-15);
        prop_assert_eq!(back.memory_mb(), workload.memory_mb());
        prop_assert_eq!((back.arch(), back.free_tier()), (workload.arch(), workload.free_tier()));
    }
}

/// Issue 18: /cost bills a 720-hour month and /availability counts a 730-hour one; each page
/// says which it uses and why. 720 h = 30 × 24; 730 h = 365 × 24 / 12.
#[test]
fn the_two_months_say_which_they_are_and_why() {
    let defaults = crate::scenario::Scenario::defaults();
    assert_eq!(defaults.hours(), 30.0 * 24.0);
    assert_eq!(
        month_note(defaults.hours()),
        "720 h a month: 30 days, as the chapter prices its fleet; AWS's pricing calculator and \
         /availability use 730 h, a twelfth of a year"
    );
    assert_eq!(
        month_note(730.0),
        "730 h a month: a twelfth of a year, as AWS's pricing calculator bills"
    );
    assert_eq!(
        month_note(744.0),
        "744 h a month, as set in Hours per month"
    );
    let convention = crate::availability::Convention::default();
    assert_eq!(
        convention.seconds(crate::availability::Period::Month) / crate::SECONDS_PER_HOUR,
        365.0 * 24.0 / 12.0
    );
    assert_eq!(
        convention.month_note(),
        "month = 730 h, a twelfth of the year, as the chapter's table counts it (/cost bills \
         720 h, 30 days, as the chapter prices its fleet)"
    );
    let thirty_days = crate::availability::Convention {
        month: crate::availability::MonthLength::Days30,
        ..convention
    };
    assert_eq!(
        thirty_days.month_note(),
        "month = 720 h, 30 days, the usual SLO window"
    );
}
