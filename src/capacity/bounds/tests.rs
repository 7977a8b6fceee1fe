//! Each bound alone, each one binding, and the chapter's example unchanged. Every expected value
//! is worked by hand from the chapter's example (100M daily users, 0.5 writes and 10 reads each,
//! peak 10×: peak writes 5,787.037/s, peak reads 115,740.74/s); counts are exact, rates and bytes
//! are checked to 1e-9 relative.

use crate::capacity::{
    CapacityInput, CapacityParams, CapacityReport, NodeCount, Spare, binding, calculate, nodes_for,
};
use crate::testutil::assert_rel;
use proptest::prelude::*;

const GIB: f64 = 1_073_741_824.0;

/// Whole counts to compare against hand-worked numbers ("more than" fails the test).
fn counts<const N: usize>(nodes: [NodeCount; N]) -> [u64; N] {
    nodes.map(|n| n.get().expect("a whole count"))
}

fn report_for(p: CapacityParams) -> CapacityReport {
    calculate(&CapacityInput::new(p).expect("valid test input"))
}

/// The photo feed of issue 21: the chapter's traffic with 2 MB uploads and 100 kB image reads.
fn photo_feed(cdn_hit_ratio: f64) -> CapacityParams {
    CapacityParams {
        bytes_per_write: 2e6,
        bytes_per_read: 100e3,
        cdn_hit_ratio,
        ..CapacityParams::chapter()
    }
}

#[test]
fn the_chapters_example_is_unchanged_and_no_new_bound_binds() {
    let r = report_for(CapacityParams::chapter());
    // Requests: ⌈121,527.8 / 10,000⌉ = 13; network: peak egress 115,740.74 × 10 kB =
    // 1.157 GB/s over 100 MB/s = ⌈11.57⌉ = 12, below it.
    assert_eq!(r.web_servers_for_requests, 13);
    assert_eq!(r.web_servers_for_network, 12);
    assert_eq!(counts([r.web_servers, r.web_servers_reads_only]), [13, 12]);
    // Cache: ⌈115,741 / 100,000⌉ = 2 for operations; no memory given, no memory bound.
    assert_eq!(
        counts([r.cache_nodes_for_ops, r.cache_nodes_for_memory]),
        [2, 0]
    );
    assert_eq!(r.cache_nodes, 2);
    // Working set by the 80/20 rule: 0.2 × 100M × 10 × 10 kB = 2 TB.
    assert_rel(r.cache_working_set_bytes, 2e12, 1e-12);
    // Database: ⌈5,787 / 10,000⌉ = 1 shard; ⌈0.5787 + 11,574 / 10,000⌉ = ⌈1.736⌉ = 2 nodes in
    // it, a primary and 1 replica: today's 2 database nodes.
    assert_eq!(
        counts([r.db_shards_for_writes, r.db_shards_for_storage]),
        [1, 0]
    );
    assert_eq!(
        counts([r.db_shards, r.db_replicas_per_shard, r.db_nodes]),
        [1, 1, 2]
    );
    // No queue, no CDN: every egress byte leaves the origin.
    assert_eq!(r.queue_partitions, 0);
    assert_rel(r.peak_queue_msgs_per_second, 0.0, 1e-12);
    assert_rel(r.edge_egress_bytes_per_second, 0.0, 1e-12);
    assert_rel(r.origin_egress_bytes_per_second, 115_740_740.74, 1e-9);
    assert_rel(r.peak_origin_egress_bytes_per_second, 1_157_407_407.4, 1e-9);
}

#[test]
fn network_binds_the_photo_feed_web_tier() {
    // Peak ingress 5,787.037 × 2 MB = 11.574 GB/s; peak egress 115,740.74 × 100 kB =
    // 11.574 GB/s, × (1 − 0.9) = 1.157 GB/s at the origin. The larger, 11.574 GB/s, over
    // 100 MB/s: ⌈115.74⌉ = 116 servers against 13 for requests.
    let r = report_for(photo_feed(0.9));
    assert_rel(r.peak_ingress_bytes_per_second, 11_574_074_074.07, 1e-9);
    assert_rel(r.peak_egress_bytes_per_second, 11_574_074_074.07, 1e-9);
    assert_rel(
        r.peak_origin_egress_bytes_per_second,
        1_157_407_407.41,
        1e-9,
    );
    // Averages: 11,574.07 reads/s × 100 kB = 1.157 GB/s; 0.9 of it at the edge.
    assert_rel(r.edge_egress_bytes_per_second, 1_041_666_666.67, 1e-9);
    assert_rel(r.origin_egress_bytes_per_second, 115_740_740.74, 1e-9);
    assert_eq!(
        counts([r.web_servers_for_requests, r.web_servers_for_network]),
        [13, 116]
    );
    assert_eq!(r.web_servers, 116);
    // At 70% and N+1: ⌈11.574 GB/s / 70 MB/s⌉ = ⌈165.34⌉ = 166, + 1 = 167; requests
    // ⌈121,527.8 / 7,000⌉ = 18.
    let r = report_for(CapacityParams {
        utilization: 0.7,
        spare: Spare::NPlusOne,
        ..photo_feed(0.9)
    });
    assert_eq!(
        counts([r.web_servers_for_requests, r.web_servers_for_network]),
        [18, 166]
    );
    assert_eq!(r.web_servers, 167);
    assert_eq!(
        binding(
            ("requests", r.web_servers_for_requests),
            ("network", r.web_servers_for_network)
        ),
        "network binds: 166 against 18 for requests"
    );
}

#[test]
fn the_cdn_takes_the_egress_bound_off_the_origin() {
    // 100 kB reads, 500 B writes: peak egress 11.574 GB/s. No CDN: ⌈115.74⌉ = 116 servers.
    let big_reads = |cdn| CapacityParams {
        bytes_per_write: 500.0,
        ..photo_feed(cdn)
    };
    assert_eq!(report_for(big_reads(0.0)).web_servers, 116);
    // 90% at the edge: 1.157 GB/s, ⌈11.57⌉ = 12 < 13, so requests bind again.
    let r = report_for(big_reads(0.9));
    assert_eq!(counts([r.web_servers_for_network, r.web_servers]), [12, 13]);
    // 95%: 578.7 MB/s, ⌈5.79⌉ = 6.
    assert_eq!(report_for(big_reads(0.95)).web_servers_for_network, 6);
}

#[test]
fn memory_binds_the_cache_when_the_working_set_is_large() {
    // 64 GiB = 68,719,476,736 B. The 80/20 working set, 2 TB: ⌈29.10⌉ = 30 nodes against 2.
    let with_memory = |ws| CapacityParams {
        cache_memory_per_node: Some(64.0 * GIB),
        cache_working_set: ws,
        ..CapacityParams::chapter()
    };
    let r = report_for(with_memory(None));
    assert_eq!(
        counts([r.cache_nodes_for_ops, r.cache_nodes_for_memory]),
        [2, 30]
    );
    assert_eq!(r.cache_nodes, 30);
    // At 70%: 2 TB / 48.1 GB = ⌈41.58⌉ = 42.
    let r = report_for(CapacityParams {
        utilization: 0.7,
        ..with_memory(None)
    });
    assert_eq!(r.cache_nodes_for_memory, 42);
    // A given working set of 100 GB: ⌈1.455⌉ = 2, the same as operations; 10 GB: 1.
    let r = report_for(with_memory(Some(100e9)));
    assert_eq!(counts([r.cache_nodes_for_memory, r.cache_nodes]), [2, 2]);
    assert_eq!(
        binding(
            ("operations", r.cache_nodes_for_ops),
            ("memory", r.cache_nodes_for_memory)
        ),
        "operations and memory agree: 2"
    );
    let r = report_for(with_memory(Some(10e9)));
    assert_eq!(counts([r.cache_nodes_for_memory, r.cache_nodes]), [1, 2]);
    // The hot share scales the derived working set: 0.05 × 10 TB = 500 GB → ⌈7.28⌉ = 8.
    let r = report_for(CapacityParams {
        hot_share: 0.05,
        ..with_memory(None)
    });
    assert_rel(r.cache_working_set_bytes, 5e11, 1e-12);
    assert_eq!(r.cache_nodes_for_memory, 8);
}

#[test]
fn writes_bind_the_shards() {
    // 2,000 writes/s per primary: ⌈5,787.04 / 2,000⌉ = ⌈2.89⌉ = 3 shards. Each: ⌈(2.8935 +
    // 11,574.07 / 10,000) / 3⌉ = ⌈1.35⌉ = 2 nodes, a primary and 1 replica; 6 in all.
    let r = report_for(CapacityParams {
        db_write_qps_per_node: 2_000.0,
        ..CapacityParams::chapter()
    });
    assert_eq!(counts([r.db_shards_for_writes, r.db_shards]), [3, 3]);
    assert_eq!(counts([r.db_replicas_per_shard, r.db_nodes]), [1, 6]);
}

#[test]
fn storage_binds_the_shards() {
    // 9.125 TB stored over at most 2 TB a shard: ⌈4.56⌉ = 5 shards; ⌈1.736 / 5⌉ = 1 node each.
    let two_tb = CapacityParams {
        shard_bytes: Some(2e12),
        ..CapacityParams::chapter()
    };
    let r = report_for(two_tb.clone());
    assert_eq!(
        counts([r.db_shards_for_writes, r.db_shards_for_storage]),
        [1, 5]
    );
    assert_eq!(
        counts([r.db_shards, r.db_replicas_per_shard, r.db_nodes]),
        [5, 0, 5]
    );
    // N+1 per shard: a standby replica in each, 5 × 2 = 10.
    let r = report_for(CapacityParams {
        spare: Spare::NPlusOne,
        ..two_tb.clone()
    });
    assert_eq!(counts([r.db_replicas_per_shard, r.db_nodes]), [1, 10]);
    // Replication does not multiply the shard bound (replicas hold copies): still 5.
    let r = report_for(CapacityParams {
        replication_factor: 3.0,
        ..two_tb.clone()
    });
    assert_eq!(r.db_shards_for_storage, 5);
    // Both bounds: max(3 for writes, 5 for storage) = 5; ⌈4.05 / 5⌉ = 1 node each.
    let r = report_for(CapacityParams {
        db_write_qps_per_node: 2_000.0,
        ..two_tb
    });
    assert_eq!(counts([r.db_shards, r.db_nodes]), [5, 5]);
}

#[test]
fn reads_bind_the_replicas() {
    // 2,000 reads/s per replica: ⌈5,787 / 10,000 + 11,574.07 / 2,000⌉ = ⌈6.37⌉ = 7 nodes in one
    // shard: 6 replicas.
    let r = report_for(CapacityParams {
        db_read_qps_per_node: 2_000.0,
        ..CapacityParams::chapter()
    });
    assert_eq!(
        counts([r.db_shards, r.db_replicas_per_shard, r.db_nodes]),
        [1, 6, 7]
    );
}

#[test]
fn a_database_without_load_has_no_shard() {
    let r = report_for(CapacityParams {
        daily_active_users: 0.0,
        spare: Spare::NPlusOne,
        ..CapacityParams::chapter()
    });
    // As every tier: no load, no node, but N+1 still runs its one spare.
    assert_eq!(
        counts([r.db_shards, r.db_replicas_per_shard, r.db_nodes]),
        [0, 0, 1]
    );
}

#[test]
fn queue_partitions() {
    // 3 messages per write: 5,787.04 × 3 = 17,361.1 msg/s over 10,000: ⌈1.74⌉ = 2.
    let three = CapacityParams {
        messages_per_write: 3.0,
        ..CapacityParams::chapter()
    };
    let r = report_for(three.clone());
    assert_rel(r.peak_queue_msgs_per_second, 17_361.111_111, 1e-9);
    assert_eq!(r.queue_partitions, 2);
    // At 70%: ⌈17,361.1 / 7,000⌉ = ⌈2.48⌉ = 3. At 1,000 msg/s a partition: ⌈17.36⌉ = 18.
    let r = report_for(CapacityParams {
        utilization: 0.7,
        ..three.clone()
    });
    assert_eq!(r.queue_partitions, 3);
    let r = report_for(CapacityParams {
        partition_msgs_per_second: 1_000.0,
        ..three
    });
    assert_eq!(r.queue_partitions, 18);
}

#[test]
fn binding_says_which_bound_sets_the_tier() {
    let (two, three) = (NodeCount::from_f64(2.0), NodeCount::from_f64(3.0));
    assert_eq!(
        binding(("writes", three), ("storage", two)),
        "writes bind: 3 against 2 for storage"
    );
    assert_eq!(
        binding(
            ("writes", two),
            ("storage", NodeCount::from_f64(f64::INFINITY))
        ),
        "storage binds: more than 1,000,000,000,000 against 2 for writes"
    );
}

#[test]
fn rejects_bad_bounds_naming_the_field() {
    let cases: [(CapacityParams, &str); 6] = [
        (
            CapacityParams {
                nic_bytes_per_second: 0.0,
                ..CapacityParams::chapter()
            },
            "nic",
        ),
        (
            CapacityParams {
                cdn_hit_ratio: 1.5,
                ..CapacityParams::chapter()
            },
            "cdn_hit",
        ),
        (
            CapacityParams {
                shard_bytes: Some(0.0),
                ..CapacityParams::chapter()
            },
            "shard_bytes",
        ),
        (
            CapacityParams {
                cache_memory_per_node: Some(f64::NAN),
                ..CapacityParams::chapter()
            },
            "cache_mem",
        ),
        (
            CapacityParams {
                partition_msgs_per_second: 0.0,
                ..CapacityParams::chapter()
            },
            "partition_rate",
        ),
        (
            CapacityParams {
                messages_per_write: -1.0,
                ..CapacityParams::chapter()
            },
            "msgs_per_write",
        ),
    ];
    for (params, field) in cases {
        let err = CapacityInput::new(params).expect_err(field).to_string();
        assert!(err.contains(field), "{err} should name {field}");
    }
}

proptest! {
    #[test]
    fn a_larger_cdn_hit_never_needs_more_origin_servers(
        read_size in 0.0f64..1e7, write_size in 0.0f64..1e7,
        low in 0.0f64..=1.0, more in 0.0f64..=1.0, util in 0.01f64..=1.0,
    ) {
        let high = low + (1.0 - low) * more;
        let at = |cdn| report_for(CapacityParams {
            bytes_per_read: read_size, bytes_per_write: write_size, cdn_hit_ratio: cdn,
            utilization: util, ..CapacityParams::chapter()
        });
        let (a, b) = (at(low), at(high));
        prop_assert!(b.web_servers_for_network.to_f64() <= a.web_servers_for_network.to_f64());
        prop_assert!(b.web_servers.to_f64() <= a.web_servers.to_f64());
        prop_assert!(b.peak_origin_egress_bytes_per_second <= a.peak_origin_egress_bytes_per_second);
    }

    #[test]
    fn more_memory_per_node_never_needs_more_cache_nodes(
        working_set in 0.0f64..1e15, memory in 1e6f64..1e12, factor in 1.0f64..100.0,
        util in 0.01f64..=1.0,
    ) {
        let at = |m| report_for(CapacityParams {
            cache_memory_per_node: Some(m), cache_working_set: Some(working_set),
            utilization: util, ..CapacityParams::chapter()
        });
        let (a, b) = (at(memory), at(memory * factor));
        prop_assert!(b.cache_nodes_for_memory.to_f64() <= a.cache_nodes_for_memory.to_f64());
        prop_assert!(b.cache_nodes.to_f64() <= a.cache_nodes.to_f64());
    }

    #[test]
    fn shards_never_decrease_as_writes_or_bytes_grow(
        writes in 0.0f64..1_000.0, size in 0.0f64..1e7, more_writes in 1.0f64..10.0,
        more_bytes in 1.0f64..10.0, shard in 1e9f64..1e14, util in 0.01f64..=1.0,
    ) {
        let at = |w, s| report_for(CapacityParams {
            writes_per_user_per_day: w, bytes_per_write: s, shard_bytes: Some(shard),
            utilization: util, ..CapacityParams::chapter()
        });
        let base = at(writes, size);
        for grown in [at(writes * more_writes, size), at(writes, size * more_bytes)] {
            prop_assert!(grown.db_shards.to_f64() >= base.db_shards.to_f64());
        }
    }

    #[test]
    fn one_shard_with_one_capacity_is_the_chapters_single_pool(
        users in 0.0f64..1.7e8, hit in 0.0f64..=1.0, util in 0.01f64..=1.0,
        spare in prop::sample::select(vec![Spare::None, Spare::NPlusOne, Spare::TwoN]),
    ) {
        // Whenever the writes fit one primary, the count is ⌈(W + R') / (C × u)⌉ with the
        // spares, bit for bit as before shards existed.
        let r = report_for(CapacityParams {
            daily_active_users: users, cache_hit_ratio: hit, utilization: util, spare,
            ..CapacityParams::chapter()
        });
        if r.db_shards.get() == Some(1) {
            let pool = nodes_for(r.peak_db_qps, 10_000.0, util).with_spare(spare);
            prop_assert_eq!(r.db_nodes, pool);
        }
    }
}
