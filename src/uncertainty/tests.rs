use super::*;
use crate::report::Report;
use crate::scenario::{FIELDS, Scenario};

/// z for a two-sided 99.9% interval: a correct sampler fails a check about once in a thousand
/// seeds, and the seeds here are fixed.
const Z: f64 = 3.29;

/// How far the nearest-rank percentile q of n samples may sit from q in probability: the
/// fraction of samples at or below the true q-quantile is binomial(n, q)/n, whose standard
/// deviation is √(q(1 − q)/n); the rank rounds up by at most 1/n.
fn tolerance(q: f64, n: f64) -> f64 {
    Z * (q * (1.0 - q) / n).sqrt() + 1.0 / n
}

fn scenario(query: &str) -> Scenario {
    let parsed = Scenario::from_query(query);
    assert!(parsed.errors.is_empty(), "{query}: {:?}", parsed.errors);
    parsed.scenario
}

fn report(query: &str) -> Report {
    Report::build(&scenario(query)).expect("report")
}

#[test]
fn a_range_holds_its_middle_and_writes_itself_back() {
    let s = scenario("v=2&dau=80M..120M&peak=2..3..10");
    assert_eq!(s.dau(), 100e6);
    assert_eq!(s.peak(), 3.0);
    assert_eq!(s.ranges().len(), 2);
    let query = s.to_query();
    assert_eq!(query, "v=2&dau=80M..120M&peak=2..3..10");
    assert_eq!(Scenario::from_query(&query).scenario, s);
    assert_eq!(s.field_text("dau").as_deref(), Some("80M..120M"));
    // A range whose middle is the default is still written.
    assert_eq!(
        scenario("v=2&dau=50M..150M").to_query(),
        "v=2&dau=50M..150M"
    );
    // Setting a single value drops the range.
    let mut s = s;
    s.set("dau", "90M").unwrap();
    assert!(s.ranges().get("dau").is_none());
    assert_eq!(s.to_query(), "v=2&dau=90M&peak=2..3..10");
}

#[test]
fn bad_ranges_name_the_field_and_what_is_wrong() {
    let cases = [
        ("v=2&dau=120M..80M", "dau", "from low to high"),
        ("v=2&dau=1..2..3..4", "dau", "low..high"),
        ("v=2&dau=1..", "dau", "high end"),
        ("v=2&util=0.5..1.5", "util", "high end must be"),
        ("v=2&util=0..0.5", "util", "low end must be"),
        ("v=2&as_mean=1..2", "as_mean", "single value"),
        ("v=2&horizon=12..24", "horizon", "single value"),
        ("v=2&db_write_qps=1..2", "db_write_qps", "single value"),
        ("v=2&region=a..b", "region", "single value"),
    ];
    for (query, field, message) in cases {
        let parsed = Scenario::from_query(query);
        let error = parsed.error_for(field).unwrap_or_else(|| panic!("{query}"));
        assert!(
            error.message.contains(message),
            "{query}: {}",
            error.message
        );
        // The field keeps its default; nothing else is touched.
        assert_eq!(parsed.scenario, *Scenario::defaults(), "{query}");
    }
}

/// Uniform users: QPS is linear in users, so its percentiles are the uniform's. The true
/// distribution function applied to each sampled percentile lands within [`tolerance`] of q.
#[test]
fn uniform_users_give_the_uniform_quantiles_of_qps() {
    let r = report("v=2&dau=80M..120M");
    let spread = *scenario("v=2&dau=80M..120M").ranges().get("dau").unwrap();
    let band = r
        .uncertainty
        .as_ref()
        .unwrap()
        .get("capacity.write_qps")
        .unwrap();
    let n = 10_000.0;
    // write_qps = dau × 0.5 / 86,400, so dau = write_qps × 86,400 / 0.5.
    let users = |qps: f64| qps * 86_400.0 / 0.5;
    for (q, value) in [(0.1, band.p10), (0.5, band.p50), (0.9, band.p90)] {
        let at = spread.cdf(users(value.unwrap()));
        assert!(
            (at - q).abs() <= tolerance(q, n),
            "P{}: F = {at}, tolerance {}",
            q * 100.0,
            tolerance(q, n)
        );
    }
    // The mean of a uniform is its midpoint; the sample mean's standard error is
    // σ/√n with σ = (b − a)/√12.
    let mean_users = users(band.mean.unwrap());
    let se = 40e6 / 12f64.sqrt() / n.sqrt();
    assert!((mean_users - 100e6).abs() <= Z * se, "{mean_users}");
}

#[test]
fn triangular_users_give_the_triangular_quantiles_of_qps() {
    let r = report("v=2&dau=50M..80M..150M");
    let spread = *scenario("v=2&dau=50M..80M..150M")
        .ranges()
        .get("dau")
        .unwrap();
    assert_eq!(spread.shape, Shape::Triangular);
    let band = r
        .uncertainty
        .as_ref()
        .unwrap()
        .get("capacity.read_qps")
        .unwrap();
    let users = |qps: f64| qps * 86_400.0 / 10.0;
    for (q, value) in [(0.1, band.p10), (0.5, band.p50), (0.9, band.p90)] {
        let at = spread.cdf(users(value.unwrap()));
        assert!(
            (at - q).abs() <= tolerance(q, 10_000.0),
            "P{}: F = {at}",
            q * 100.0
        );
    }
    // The triangular's quantile function, at the closed form: F(c) = (c − a)/(b − a) = 0.3.
    assert_eq!(spread.quantile(0.3), 80e6);
    assert_eq!(spread.cdf(80e6), 0.3);
    // Its P90: b − √(0.1 × 100M × 70M) = 150M − 26.4575M.
    let p90 = 150e6 - (0.1f64 * 100e6 * 70e6).sqrt();
    assert!((spread.quantile(0.9) - p90).abs() < 1e-6);
    // Mean (a + c + b)/3 = 93.33M.
    assert!((users(band.mean.unwrap()) - 280e6 / 3.0).abs() < 0.01 * 280e6 / 3.0);
}

#[test]
fn the_same_seed_gives_the_same_report_byte_for_byte() {
    let query = "v=2&dau=80M..120M&reads=5..10..20&util=0.5..0.8&inst_hr=0.03..0.05";
    let a = report(query).to_json().unwrap();
    let b = report(query).to_json().unwrap();
    assert_eq!(a, b);
    let other = report(&format!("{query}&mc_seed=7")).to_json().unwrap();
    assert_ne!(a, other, "another seed draws other samples");
}

#[test]
fn a_range_of_zero_width_gives_the_point_result_exactly() {
    let point = report("v=2&dau=100M&outage=300");
    let zero = report("v=2&dau=100M..100M&outage=300..300");
    assert_eq!(zero.capacity, point.capacity);
    assert_eq!(zero.fleet_cost, point.fleet_cost);
    assert_eq!(zero.cost, point.cost);
    assert_eq!(zero.availability, point.availability);
    assert_eq!(zero.explain, point.explain);
    let json = serde_json::to_value(&point).unwrap();
    for (path, band) in zero.uncertainty.as_ref().unwrap().iter() {
        let at = path.split('.').fold(&json, |v, key| &v[key]);
        let expected = at.as_f64();
        for got in [band.p10, band.p50, band.p90, band.mean] {
            assert_eq!(got, expected, "{path}");
        }
    }
    let plan = zero.uncertainty_plan.unwrap();
    assert_eq!(plan.web_servers, Some(point.capacity.web_servers.to_f64()));
    // Every pull of a zero-width range is nil.
    assert!(
        zero.uncertainty_drivers
            .unwrap()
            .iter()
            .all(|d| d.swing == Some(0.0))
    );
}

#[test]
fn the_plan_is_read_at_the_chosen_percentile() {
    let query = "v=2&dau=50M..150M";
    let at = |plan_at: &str| {
        report(&format!("{query}&plan_at={plan_at}"))
            .uncertainty_plan
            .unwrap()
            .web_servers
            .unwrap()
    };
    let band = report(query).uncertainty.unwrap();
    let web = band.get("capacity.web_servers").unwrap();
    assert_eq!(at("p50"), web.p50.unwrap());
    assert_eq!(at("p90"), web.p90.unwrap());
    assert!(at("p50") <= at("p90") && at("p90") <= at("p95") && at("p95") <= at("p99"));
    // P99 of web servers: users at the uniform's 99th percentile, 149M, give
    // ⌈149M × 10.5 / 86,400 × 10 / 7,000⌉ + 1 = ⌈25.87⌉ + 1 = 27; the sample's P99 is within a
    // server of it.
    assert!((at("p99") - 27.0).abs() <= 1.0, "{}", at("p99"));
}

#[test]
fn the_tornado_ranks_the_range_that_moves_a_figure_most_first() {
    // Users from 50M to 150M triple the load; a read size of 9-11 kB moves only the egress.
    let r = report("v=2&dau=50M..150M&read_size=9k..11k&util=0.69..0.71");
    let drivers = r.uncertainty_drivers.unwrap();
    let web: Vec<&Driver> = drivers
        .iter()
        .filter(|d| d.figure == "capacity.web_servers")
        .collect();
    assert_eq!(web.len(), 3);
    assert_eq!(web[0].field, "dau");
    // dau at its P10 (60M) and P90 (140M): ⌈60M × 10.5/86,400 × 10/7,000⌉ + 1 = 12, and
    // ⌈140M × 10.5/86,400 × 10/7,000⌉ + 1 = 26.
    assert_eq!((web[0].at_p10, web[0].at_p90), (Some(12.0), Some(26.0)));
    let read_size = web.iter().find(|d| d.field == "read_size").unwrap();
    assert_eq!(read_size.swing, Some(0.0));
    assert!(
        drivers
            .iter()
            .any(|d| d.figure == "fleet_cost.usd_per_month" && d.field == "read_size")
    );
}

/// Every field that takes a range moves at least one sampled figure: none is accepted only to be
/// ignored. Two scenarios, so that each bound can bite: one where the cache is sized by its
/// operations, one where its memory binds (the hot share); both with a queue and a CDN.
#[test]
fn every_ranged_field_moves_a_sampled_figure() {
    let bases = [
        scenario("v=2&msgs_per_write=1&cdn_hit=0.5&outage=600"),
        scenario("v=2&msgs_per_write=1&cdn_hit=0.5&outage=600&cache_mem=1GiB"),
    ];
    for key in RANGED {
        let spec = FIELDS.iter().find(|f| f.key == *key).unwrap();
        assert!(spec.number, "{key} is a plain number");
        let moves = |base: &Scenario| {
            let prices = base.price_table().unwrap();
            let value = base.number(key).unwrap();
            let low = (value * 0.25).max(spec.min);
            let low = if spec.min_exclusive && low == spec.min {
                value / 2.0
            } else {
                low
            };
            let high = (value * 4.0).min(spec.max);
            let (mut a, mut b) = (base.clone(), base.clone());
            a.set_number(key, low).unwrap();
            b.set_number(key, high).unwrap();
            let (fa, fb) = (sample::figures(&a, &prices), sample::figures(&b, &prices));
            fa.iter().zip(&fb).any(|(x, y)| x.to_bits() != y.to_bits())
        };
        assert!(bases.iter().any(moves), "{key} moves no sampled figure");
    }
}

#[test]
fn the_sampled_fleet_bill_is_the_reports() {
    for query in [
        "",
        "v=2&dau=1M",
        "v=2&purchase=1y",
        "v=2&region=eu-west-1&store=object",
    ] {
        let s = Scenario::from_query(query).scenario;
        let r = Report::build(&s).unwrap();
        let sampled = sample::figures(&s, &s.price_table().unwrap());
        assert_eq!(sampled[10], r.fleet_cost.usd_per_month, "{query}");
        assert_eq!(sampled[4], r.capacity.web_servers.to_f64(), "{query}");
    }
}

#[test]
fn a_baseline_equal_to_the_scenario_changes_nothing() {
    let query = "v=2&dau=30M&peak=4";
    let s = scenario(query);
    let mut with_base = s.clone();
    with_base.set("base", query).unwrap();
    assert_eq!(Report::build(&with_base).unwrap().diff, Some(Vec::new()));
    // And its link carries the baseline, percent-encoded.
    assert_eq!(
        with_base.to_query(),
        "v=2&dau=30M&peak=4&base=v%3D2%26dau%3D30M%26peak%3D4"
    );
}

/// Users 50M → 100M at the defaults (70% utilization, N+1): peak requests
/// 50M × 10.5 / 86,400 × 10 = 60,763.9/s need ⌈60,763.9 / 7,000⌉ + 1 = 10 web servers, and
/// 121,527.8/s need ⌈17.36⌉ + 1 = 19.
#[test]
fn a_known_change_gives_the_hand_computed_difference() {
    let r = report("v=2&dau=100M&base=v%3D2%26dau%3D50M");
    let diff = r.diff.unwrap();
    let change = |path: &str| diff.iter().find(|c| c.path == path).cloned();
    let web = change("capacity.web_servers").unwrap();
    assert_eq!((web.base, web.value), (Some(10.0), Some(19.0)));
    assert_eq!((web.delta, web.ratio), (Some(9.0), Some(1.9)));
    let writes = change("capacity.write_qps").unwrap();
    let (b, v) = (50e6 * 0.5 / 86_400.0, 100e6 * 0.5 / 86_400.0);
    assert!((writes.base.unwrap() - b).abs() < 1e-9);
    assert!((writes.value.unwrap() - v).abs() < 1e-9);
    assert!((writes.delta.unwrap() - (v - b)).abs() < 1e-9);
    assert_eq!(writes.ratio, Some(2.0));
    // Users move no availability figure and not the serverless bill of the cost page.
    assert!(diff.iter().all(|c| !c.path.starts_with("availability.")));
    assert!(change("cost.serverless_usd_per_month").is_none());
    // Sorted by path.
    assert!(diff.windows(2).all(|w| w[0].path < w[1].path));
}

#[test]
fn a_baseline_is_one_scenario() {
    let nested = Scenario::from_query("v=2&base=v%3D2%26base%3Dv%253D2");
    assert!(
        nested
            .error_for("base")
            .unwrap()
            .message
            .contains("of its own"),
        "{:?}",
        nested.errors
    );
    let bad = Scenario::from_query("v=2&base=v%3D2%26dau%3Dlots");
    let message = &bad.error_for("base").unwrap().message;
    assert!(message.contains("dau"), "{message}");
    // A baseline of the defaults is written `v=2`, not empty, so it reads back.
    let s = scenario("v=2&dau=1M&base=");
    assert!(s.base().is_none());
    let mut s = s;
    s.set("base", "v=2").unwrap();
    let again = Scenario::from_query(&s.to_query()).scenario;
    assert_eq!(again.base(), Some(Scenario::defaults()));
    // A baseline may hold ranges of its own (its report is at their middles).
    let ranged = scenario("v=2&base=v%3D2%26dau%3D80M..120M");
    assert_eq!(ranged.base().unwrap().dau(), 100e6);
    assert_eq!(ranged.base().unwrap().ranges().len(), 1);
    let long = format!("v=2&base={}", "x".repeat(MAX_BASE_LEN + 1));
    assert!(Scenario::from_query(&long).error_for("base").is_some());
}
