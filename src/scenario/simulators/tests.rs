use super::*;
use crate::autoscale::{MAX_STEPS, SimConfig, Traffic, demand_series};
use crate::ratelimit::{DistributedConfig, RateLimitConfig, TrafficConfig};
use crate::scenario::EVENT_S;
use crate::scenario::FIELDS;
use crate::scenario::Kind;
use proptest::prelude::*;

fn server(weight: u32, speed: f64, workers: u32) -> ServerSpec {
    ServerSpec {
        weight,
        speed,
        workers,
    }
}

#[test]
fn servers_codec_reads_runs_and_writes_them_back_compactly() {
    let servers = parse_servers("1:1:8, 1:1:8,2:2:16").expect("valid");
    assert_eq!(
        servers,
        vec![server(1, 1.0, 8), server(1, 1.0, 8), server(2, 2.0, 16)]
    );
    assert_eq!(format_servers(&servers), "2*1:1:8,2:2:16");
    // The default cluster of LbConfig: three slow servers, two twice as fast.
    assert_eq!(format_servers(&default_lb_servers()), "3*1:1:4,2*2:2:4");
    assert_eq!(
        parse_servers("3*1:1:4,2*2:2:4").expect("valid"),
        default_lb_servers()
    );
    assert_eq!(
        parse_servers("1:0.5:1").expect("valid"),
        vec![server(1, 0.5, 1)]
    );
}

#[test]
fn servers_codec_names_the_server_and_the_part_that_is_wrong() {
    let cases = [
        ("", "server 1 is empty"),
        ("1:1:4,", "server 2 is empty"),
        ("1:1", "server 1: expected weight:speed:workers"),
        ("1:1:4,0:1:4", "server 2: weight must be"),
        (
            "1:200:4",
            "server 1: speed must be a number from 0.01 to 100",
        ),
        ("1:1:0", "server 1: workers must be"),
        ("1:NaN:4", "speed must be"),
        ("0*1:1:4", "count before * must be"),
        ("600*1:1:4,600*1:1:4", "at most 1000 servers"),
    ];
    for (text, expected) in cases {
        let err = parse_servers(text).expect_err(text);
        assert!(err.contains(expected), "{text}: {err}");
    }
}

#[test]
fn the_defaults_are_the_cores_documented_runs() {
    let s = Scenario::default();
    // The auto-scaling default is the core's chapter day under the chapter's HPA.
    assert_eq!(
        s.autoscale_config(s.hpa().clone()),
        SimConfig::chapter_day()
    );
    assert_eq!(s.rate_limits(), RateLimitConfig::default());
    assert_eq!(s.rate_limit_traffic(), TrafficConfig::default());
    // The distributed case reuses the client's 2.5/s (the core's own default sends 5/s).
    assert_eq!(
        s.rate_limit_distributed(),
        DistributedConfig {
            rate_per_s: 2.5,
            ..DistributedConfig::default()
        }
    );
    // The page simulates 20,000 requests by default (see lb_requests' help) on the core's
    // default cluster and workload.
    assert_eq!(
        s.lb_config(),
        LbConfig {
            requests: 20_000,
            ..LbConfig::default()
        }
    );
}

#[test]
fn each_pattern_maps_to_its_traffic_with_its_own_peak() {
    let traffic = |q: &str| Scenario::from_query(q).scenario.autoscale_traffic();
    assert_eq!(
        traffic("as_pattern=flash&as_mean=1000&as_at=600"),
        Traffic::flash_crowd(1_000.0, 600)
    );
    assert_eq!(
        traffic("as_pattern=step&as_mean=100&as_peak=2&as_at=1+h"),
        Traffic::Step {
            base_rps: 100.0,
            step_rps: 200.0,
            at_s: 3_600
        }
    );
    assert_eq!(
        traffic("as_pattern=event&as_mean=10"),
        Traffic::Scheduled {
            base_rps: 10.0,
            start_s: 1_800,
            duration_s: EVENT_S,
            multiplier: 5.0
        }
    );
    let s = Scenario::from_query("as_pattern=ramp").scenario;
    assert_eq!(s.autoscale_hours(), 2.0);
    assert_eq!(Scenario::default().autoscale_hours(), 24.0);
}

#[test]
fn the_hpa_field_reads_the_compact_policy_and_names_bad_text() {
    let parsed = Scenario::from_query("hpa=min%3D2%3Bmax%3D20");
    assert_eq!(parsed.errors, vec![]);
    assert_eq!(parsed.scenario.hpa().min_replicas, 2);
    assert_eq!(parsed.scenario.hpa().max_replicas, 20);
    let bad = Scenario::from_query("hpa=min%3D30%3Bmax%3D20");
    assert!(
        bad.error_for("hpa")
            .is_some_and(|e| e.message.contains("minReplicas (30)"))
    );
    assert_eq!(
        bad.scenario.hpa(),
        &HpaPolicy::chapter_example(),
        "falls back to the default"
    );
}

#[test]
fn cross_field_rules_name_the_field_and_leave_a_valid_scenario() {
    let parsed = Scenario::from_query("as_peak=200");
    assert!(
        parsed
            .error_for("as_peak")
            .is_some_and(|e| e.message.contains("between 1 and 100"))
    );
    // A peak of 200 is allowed for a flash crowd (a multiplier up to 1,000).
    assert_eq!(
        Scenario::from_query("as_pattern=flash&as_peak=200").errors,
        vec![]
    );

    let parsed = Scenario::from_query("rl_pattern=bursts&rl_spread=90");
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].field, "rl_spread");

    // 10,000/s for 600 s is 6M requests: the duration is reset, and 10,000/s for the
    // default 600 s is still too many, so the rate is reset too.
    let parsed = Scenario::from_query("rl_rate=10000");
    let fields: Vec<&str> = parsed.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["rl_duration", "rl_rate"]);
    assert!(parsed.errors[0].message.contains("6,000,000 requests"));
    // 10,000/s for 60 s is 600,000: allowed.
    assert_eq!(
        Scenario::from_query("rl_rate=10000&rl_duration=60").errors,
        vec![]
    );

    // 5 servers of weight 1,000 × 1,000 virtual nodes = 5M ring points.
    let parsed = Scenario::from_query("lb_servers=5*1000%3A1%3A4&lb_vnodes=1000");
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].field, "lb_vnodes");

    // The load-balancing page's work: 1,000 servers × 200,000 requests is
    // 200,000 × 1,160 + 8 × (160,000 + 10,000) + 16 × 1,001 × 160 = 235,922,560 steps, over
    // 40,000,000 (hand count); resetting the requests to 20,000 leaves
    // 23,200,000 + 1,360,000 + 2,562,560 = 27,122,560, within it: only lb_requests is reset.
    let parsed = Scenario::from_query("lb_servers=1000*1%3A1%3A1&lb_requests=200k");
    let fields: Vec<&str> = parsed.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["lb_requests"]);
    assert!(
        parsed.errors[0]
            .message
            .contains("200,000 requests to 1,000 servers from 10,000 clients"),
        "{}",
        parsed.errors[0].message
    );
    assert_eq!(page_work(&parsed.scenario), 27_122_560);
    // 200,000 requests to the default 5 servers fit (33,000,000 + 8 × 11,120 + 16 × 6 × 160).
    assert_eq!(Scenario::from_query("lb_requests=200k").errors, vec![]);
}

/// What the load-balancing page runs for a scenario, in the core's work units.
fn page_work(s: &Scenario) -> u64 {
    let lb = s.lb_config();
    lb.work() + loadbalance::movement_work(lb.servers.len(), lb.vnodes)
}

/// Every simulator field at its smallest and largest allowed value, one at a time, must give
/// configurations the simulators accept: the table may never allow what a simulator refuses.
#[test]
fn every_simulator_field_at_its_extremes_is_accepted_by_its_simulator() {
    for spec in FIELDS.iter().filter(|f| {
        ["as_", "rl_", "lb_"].iter().any(|p| f.key.starts_with(p))
            && !matches!(f.kind, Kind::Choice | Kind::Flag | Kind::Text)
    }) {
        let low = if spec.min_exclusive {
            spec.min + spec.max * 1e-9
        } else {
            spec.min
        };
        for value in [low, spec.max] {
            let text = crate::units::format_query_number(value);
            for pattern in [
                "as_pattern=day&rl_pattern=poisson",
                "as_pattern=flash&rl_pattern=bursts",
                "as_pattern=ramp&rl_pattern=boundary",
            ] {
                let parsed = Scenario::from_query(&format!("{pattern}&{}={text}", spec.key));
                let s = &parsed.scenario;
                let config = s.autoscale_config(s.hpa().clone());
                let checked = config.validate().and_then(|()| {
                    demand_series(&config.traffic, config.duration_s, config.step_s, 0.0, 0)
                        .map(|d| assert!(d.len() as u64 <= MAX_STEPS))
                });
                assert!(
                    checked.is_ok(),
                    "{}={text} {pattern}: {checked:?}",
                    spec.key
                );
                let traffic = s.rate_limit_traffic();
                let limits = s.rate_limits();
                assert!(limits.validate().is_ok(), "{}={text}", spec.key);
                assert!(
                    traffic.validate().is_ok(),
                    "{}={text} {pattern}: {:?}",
                    spec.key,
                    traffic.validate()
                );
                assert!(
                    rate_limit_requests(s) <= ratelimit::MAX_REQUESTS as f64,
                    "{}={text}",
                    spec.key
                );
                let lb = s.lb_config();
                assert!(
                    lb.validate().is_ok(),
                    "{}={text}: {:?}",
                    spec.key,
                    lb.validate()
                );
                assert!(ring_points(s) <= MAX_RING_POINTS, "{}={text}", spec.key);
                assert!(page_work(s) <= loadbalance::MAX_WORK, "{}={text}", spec.key);
            }
        }
    }
}

proptest! {
    #[test]
    fn any_server_list_round_trips(list in prop::collection::vec(
        (1u32..=1_000, 1u32..=10_000, 1u32..=10_000, 1usize..=3), 1..20)) {
        let servers: Vec<ServerSpec> = list
            .iter()
            .flat_map(|&(w, speed_centi, c, n)| {
                std::iter::repeat_n(server(w, f64::from(speed_centi) / 100.0, c), n)
            })
            .collect();
        let text = format_servers(&servers);
        prop_assert_eq!(parse_servers(&text), Ok(servers));
    }

    #[test]
    fn any_text_as_servers_never_panics(text in "[0-9:*,. x-]{0,60}") {
        if let Ok(servers) = parse_servers(&text) {
            prop_assert!(!servers.is_empty() && servers.len() <= loadbalance::MAX_SERVERS);
            prop_assert_eq!(parse_servers(&format_servers(&servers)), Ok(servers));
        }
    }

    #[test]
    fn any_simulator_query_leaves_a_scenario_the_simulators_accept(
        rate in 0.0f64..1e6, duration in 0.001f64..1e7, size in 1u32..1_000_000,
        window in 0.001f64..1e4, pattern in prop::sample::select(vec!["poisson", "bursts", "boundary"]),
        vnodes in 1u32..=10_000, weight in 1u32..=1_000,
    ) {
        let q = format!(
            "rl_rate={rate}&rl_duration={duration}&rl_size={size}&rl_window={window}&rl_pattern={pattern}\
             &lb_vnodes={vnodes}&lb_servers=4*{weight}%3A1%3A4"
        );
        let s = Scenario::from_query(&q).scenario;
        prop_assert!(s.rate_limit_traffic().validate().is_ok());
        prop_assert!(rate_limit_requests(&s) <= ratelimit::MAX_REQUESTS as f64);
        prop_assert!(ring_points(&s) <= MAX_RING_POINTS);
        prop_assert!(page_work(&s) <= loadbalance::MAX_WORK);
    }
}
