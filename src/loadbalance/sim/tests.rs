use super::*;
use crate::loadbalance::ServerSpec;
use crate::testutil::{assert_abs, assert_rel};
use proptest::prelude::*;

fn homogeneous(servers: usize, workers: u32) -> Vec<ServerSpec> {
    vec![
        ServerSpec {
            weight: 1,
            speed: 1.0,
            workers
        };
        servers
    ]
}

fn config(algorithm: Algorithm) -> LbConfig {
    LbConfig {
        algorithm,
        ..LbConfig::default()
    }
}

#[test]
fn round_robin_spreads_exactly_evenly() {
    // 4 servers, 4,000 requests: request i goes to i mod 4, so 1,000 each and imbalance 1.
    let run = simulate(&LbConfig {
        servers: homogeneous(4, 2),
        requests: 4_000,
        ..config(Algorithm::RoundRobin)
    })
    .unwrap();
    assert!(run.servers.iter().all(|s| s.requests == 1_000));
    assert_abs(run.imbalance_requests, 1.0, 0.0);
}

#[test]
fn weighted_round_robin_follows_the_weights() {
    // Weights 1:2:3 over 6,000 requests: exactly 1/6, 2/6, 3/6 (1,000 full cycles of 6).
    let servers = [1, 2, 3]
        .map(|weight| ServerSpec {
            weight,
            speed: 1.0,
            workers: 8,
        })
        .to_vec();
    let run = simulate(&LbConfig {
        servers,
        requests: 6_000,
        ..config(Algorithm::WeightedRoundRobin)
    })
    .unwrap();
    let counts: Vec<u64> = run.servers.iter().map(|s| s.requests).collect();
    assert_eq!(counts, vec![1_000, 2_000, 3_000]);
}

#[test]
fn a_single_exponential_server_matches_mm1() {
    // M/M/1 with λ = 50/s, service mean 10 ms (μ = 100/s), ρ = 0.5. Kleinrock, Queueing Systems
    // vol. 1, section 3.2: the response time is exponential with rate μ − λ = 50/s, so its mean
    // is 1/50 = 20 ms and its median ln 2 / 50 ≈ 13.86 ms; utilization is ρ = 0.5.
    let run = simulate(&LbConfig {
        servers: homogeneous(1, 1),
        requests: 400_000,
        arrival_rate_per_s: 50.0,
        duration: DurationDist::Exponential { mean_s: 0.01 },
        ..config(Algorithm::RoundRobin)
    })
    .unwrap();
    // Tolerances ≈ 4 standard errors of a correlated queueing average at 400k samples.
    assert_rel(run.response.mean_s, 0.02, 0.04);
    assert_rel(run.response.p50_s, std::f64::consts::LN_2 / 50.0, 0.04);
    assert_abs(run.servers[0].utilization, 0.5, 0.01);
}

#[test]
fn fixed_durations_on_an_idle_server_respond_in_exactly_their_duration() {
    // 1 request per 100 s on average against a 1 ms job on a speed-2 server: almost never any
    // queueing; the median response is 1 ms / 2 = 0.5 ms exactly.
    let run = simulate(&LbConfig {
        servers: vec![ServerSpec {
            weight: 1,
            speed: 2.0,
            workers: 1,
        }],
        requests: 1_000,
        arrival_rate_per_s: 0.01,
        duration: DurationDist::Fixed { mean_s: 0.001 },
        ..config(Algorithm::RoundRobin)
    })
    .unwrap();
    assert_abs(run.response.p50_s, 0.0005, 1e-15);
}

#[test]
fn least_connections_beats_round_robin_on_p99_with_heavy_tails() {
    // 10 single-worker servers at ρ = 0.7 with Pareto α = 1.5 durations: round robin queues
    // requests behind the rare huge jobs, least connections routes around them. The claim is the
    // chapter's section 2 table ("Least Connections — best for variable request duration").
    for seed in [1, 2, 3] {
        let base = LbConfig {
            servers: homogeneous(10, 1),
            requests: 50_000,
            arrival_rate_per_s: 700.0,
            duration: DurationDist::Pareto {
                mean_s: 0.01,
                shape: 1.5,
            },
            seed,
            ..config(Algorithm::RoundRobin)
        };
        let rr = simulate(&base).unwrap();
        let lc = simulate(&LbConfig {
            algorithm: Algorithm::LeastConnections,
            ..base
        })
        .unwrap();
        assert!(
            lc.response.p99_s < 0.5 * rr.response.p99_s,
            "seed {seed}: lc p99 {} vs rr p99 {}",
            lc.response.p99_s,
            rr.response.p99_s
        );
    }
}

#[test]
fn two_choices_beat_random() {
    // Mitzenmacher (2001): two choices cut the tail of the load, hence of queueing.
    let base = LbConfig {
        servers: homogeneous(20, 1),
        requests: 50_000,
        arrival_rate_per_s: 1_600.0,
        duration: DurationDist::Exponential { mean_s: 0.01 },
        ..config(Algorithm::Random)
    };
    let random = simulate(&base).unwrap();
    let p2c = simulate(&LbConfig {
        algorithm: Algorithm::PowerOfTwoChoices,
        ..base
    })
    .unwrap();
    assert!(p2c.response.p99_s < 0.5 * random.response.p99_s);
}

#[test]
fn ip_hash_is_uneven_under_skewed_clients() {
    // The chapter's section 2 table: IP hash is "uneven if IP distribution skewed". With Zipf
    // s = 1.2 over 100 clients the top client alone sends 1/Σ_{k≤100} k^(−1.2) = 1/3.603 ≈ 27.8%
    // of requests, so its server carries at least 27.8% against a mean of 20%: imbalance ≥ 1.39
    // whatever the hash (minus sampling noise, se ≈ 0.3 points at 20,000 requests).
    let base = LbConfig {
        clients: 100,
        popularity: Popularity::Zipf { exponent: 1.2 },
        requests: 20_000,
        ..config(Algorithm::IpHash)
    };
    let hashed = simulate(&base).unwrap();
    assert!(
        hashed.imbalance_requests > 1.3,
        "{}",
        hashed.imbalance_requests
    );
    let rr = simulate(&LbConfig {
        algorithm: Algorithm::RoundRobin,
        ..base
    })
    .unwrap();
    assert_abs(rr.imbalance_requests, 1.0, 1e-9);
}

#[test]
fn sticky_sessions_keep_each_client_on_one_server() {
    let sticky = LbConfig {
        clients: 50,
        requests: 5_000,
        sticky: true,
        ..config(Algorithm::LeastConnections)
    };
    sticky.validate().unwrap();
    let workload = Workload::generate(&sticky);
    let (_, servers_of) = run_with_assignments(sticky.algorithm, &sticky, &workload).unwrap();
    let mut first = [u32::MAX; 50];
    for (&client, &server) in workload.client.iter().zip(&servers_of) {
        let slot = &mut first[client as usize];
        if *slot == u32::MAX {
            *slot = server;
        }
        assert_eq!(*slot, server);
    }
}

#[test]
fn same_seed_same_run_and_compare_all_shares_the_workload() {
    let small = LbConfig {
        requests: 3_000,
        ..LbConfig::default()
    };
    assert_eq!(simulate(&small).unwrap(), simulate(&small).unwrap());
    let all = compare_all(&small).unwrap();
    assert_eq!(all.len(), Algorithm::ALL.len());
    // The same workload: every algorithm does the same total work (Σ base duration / speed
    // differs per placement, but Σ requests is fixed), and round robin's run is the one
    // simulate gives.
    assert!(all.iter().all(|r| r.requests == 3_000));
    assert_eq!(all[0], simulate(&small).unwrap());
}

#[test]
fn percentiles_use_the_nearest_rank() {
    // Samples 1..=100: nearest-rank p50 = x₍₅₀₎ = 50, p95 = 95, p99 = 99, max 100, mean 50.5.
    let mut samples: Vec<f64> = (1..=100).rev().map(f64::from).collect();
    let stats = response_stats(&mut samples);
    assert_eq!(
        (stats.p50_s, stats.p95_s, stats.p99_s, stats.max_s),
        (50.0, 95.0, 99.0, 100.0)
    );
    assert_abs(stats.mean_s, 50.5, 1e-12);
}

#[test]
fn invalid_configs_are_errors() {
    let bad = |c: LbConfig| assert!(simulate(&c).is_err(), "{c:?}");
    bad(LbConfig {
        servers: vec![],
        ..LbConfig::default()
    });
    bad(LbConfig {
        requests: 0,
        ..LbConfig::default()
    });
    bad(LbConfig {
        requests: MAX_REQUESTS_PLUS_ONE,
        ..LbConfig::default()
    });
    bad(LbConfig {
        arrival_rate_per_s: f64::NAN,
        ..LbConfig::default()
    });
    bad(LbConfig {
        duration: DurationDist::Pareto {
            mean_s: 0.1,
            shape: 1.0,
        },
        ..LbConfig::default()
    });
    bad(LbConfig {
        servers: vec![ServerSpec {
            weight: 1,
            speed: 0.0,
            workers: 1,
        }],
        ..LbConfig::default()
    });
    bad(LbConfig {
        maglev_table_size: 65_536,
        algorithm: Algorithm::Maglev,
        ..LbConfig::default()
    });
    bad(LbConfig {
        servers: homogeneous(1_001, 1),
        ..LbConfig::default()
    });
}

const MAX_REQUESTS_PLUS_ONE: u32 = crate::loadbalance::MAX_REQUESTS + 1;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_config_runs_or_errs_and_conserves_requests(
        servers in 1_usize..8,
        workers in 1_u32..4,
        speed in 0.01_f64..10.0,
        requests in 1_u32..400,
        rate in 0.001_f64..1e4,
        mean in 1e-6_f64..10.0,
        shape in 1.01_f64..5.0,
        which in 0_usize..10,
        sticky in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let config = LbConfig {
            servers: vec![ServerSpec { weight: 1 + (servers as u32 % 3), speed, workers }; servers],
            algorithm: Algorithm::ALL[which],
            requests,
            arrival_rate_per_s: rate,
            duration: DurationDist::Pareto { mean_s: mean, shape },
            clients: 30,
            sticky,
            maglev_table_size: 101,
            seed,
            ..LbConfig::default()
        };
        let run = simulate(&config).unwrap();
        prop_assert_eq!(run.servers.iter().map(|s| s.requests).sum::<u64>(), u64::from(requests));
        prop_assert!(run.response.p50_s <= run.response.p95_s);
        prop_assert!(run.response.p95_s <= run.response.p99_s);
        prop_assert!(run.response.p99_s <= run.response.max_s);
        prop_assert!(run.imbalance_requests >= 1.0 - 1e-12);
        for s in &run.servers {
            prop_assert!(s.utilization >= 0.0 && s.utilization <= 1.0 + 1e-9);
        }
    }
}

#[test]
fn compare_all_refuses_more_than_its_work_bound_and_says_so() {
    // 1,000 servers × 40,000 requests: 40,000 × (160 + 1,000) + 8 × (160,000 + 10,000)
    // = 46,400,000 + 1,360,000 = 47,760,000 steps, over MAX_WORK = 40,000,000 (hand count).
    let big = LbConfig {
        servers: homogeneous(1_000, 1),
        requests: 40_000,
        vnodes: 160,
        clients: 10_000,
        ..config(Algorithm::RoundRobin)
    };
    assert_eq!(big.work(), 47_760_000);
    match compare_all(&big) {
        Err(LoadBalanceError::TooLarge { value, max, .. }) => {
            assert_eq!((value, max), (47_760_000, MAX_WORK));
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    // One algorithm alone is a tenth of the work and stays allowed.
    assert!(
        simulate(&LbConfig {
            requests: 4_000,
            ..big.clone()
        })
        .is_ok()
    );
    // Within the bound the comparison runs.
    let fits = LbConfig {
        requests: 30_000,
        ..big
    };
    assert!(fits.work() <= MAX_WORK);
    assert_eq!(compare_all(&fits).expect("within the bound").len(), 10);
}
