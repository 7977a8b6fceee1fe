//! How many keys move to another server when one is added or removed: modulo hashing against
//! consistent hashing and Maglev, measured on the page's cluster size.

use headroom::loadbalance::{HashMethod, MAX_SERVERS, key_movement};
use headroom::scenario::{MAGLEV_TABLE, MOVEMENT_KEYS};

/// One placement method's measured shares, `None` where the cluster size is out of range.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    /// Method name.
    pub name: &'static str,
    /// Short key for ids.
    pub key: &'static str,
    /// Share of keys moving when server n + 1 is added.
    pub add: Option<f64>,
    /// Share moving when server n is removed.
    pub remove: Option<f64>,
    /// The share expected for uniform hashes when adding and removing (see `key_movement`).
    pub expected: (f64, f64),
}

/// The three methods for a cluster of `servers` with `vnodes` virtual nodes per server.
///
/// Expected shares (hand calculation for uniform hashes, as in `key_movement`'s docs): modulo
/// keeps a key only when h mod n = h mod n±1, so it moves n/(n + 1) when adding and 1 − 1/n when
/// removing; consistent hashing and Maglev move only the new or leaving server's share,
/// 1/(n + 1) and 1/n.
pub fn measure(servers: usize, vnodes: u32) -> Vec<Moved> {
    let n = servers as f64;
    let methods = [
        (
            "Modulo (hash mod n)",
            "modulo",
            HashMethod::Modulo,
            (n / (n + 1.0), 1.0 - 1.0 / n),
        ),
        (
            "Consistent hashing",
            "ring",
            HashMethod::Consistent { vnodes },
            (1.0 / (n + 1.0), 1.0 / n),
        ),
        (
            "Maglev",
            "maglev",
            HashMethod::Maglev {
                table_size: MAGLEV_TABLE,
            },
            (1.0 / (n + 1.0), 1.0 / n),
        ),
    ];
    methods
        .into_iter()
        .map(|(name, key, method, expected)| Moved {
            name,
            key,
            add: (servers < MAX_SERVERS)
                .then(|| key_movement(servers, servers + 1, MOVEMENT_KEYS, method).ok())
                .flatten(),
            remove: (servers > 1)
                .then(|| key_movement(servers, servers - 1, MOVEMENT_KEYS, method).ok())
                .flatten(),
            expected,
        })
        .collect()
}
