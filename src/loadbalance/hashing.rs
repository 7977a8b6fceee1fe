//! Hash-based placement: the fixed 64-bit hash, modulo placement, the consistent-hash ring with
//! virtual nodes, and Maglev's lookup table; and how many keys move when a server joins or leaves.
//!
//! Every hash here is a fixed function of the input bytes (no `std::hash::Hasher`, whose output
//! may change between Rust releases, no per-process random keys, no `usize`-width dependence), so
//! the same key lands on the same server natively and in WASM.

use super::{LoadBalanceError, MAX_SERVERS, check_range};
use serde::{Deserialize, Serialize};

/// FNV-1a 64-bit offset basis (Fowler, Noll, Vo; IETF draft-eastlake-fnv, section 5).
pub const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a 64-bit prime, 2^40 + 2^8 + 0xb3 (draft-eastlake-fnv, section 5).
pub const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Most keys [`key_movement`] hashes (bounds the work per call).
pub const MAX_KEYS: u32 = 2_000_000;
/// Most points a consistent-hash ring may hold (servers × weight × virtual nodes).
pub const MAX_RING_POINTS: u64 = 2_000_000;
/// Largest Maglev table size accepted (a prime; the paper uses 65,537 and 655,373).
pub const MAX_MAGLEV_TABLE: u32 = 1_000_003;

// Domain-separation seeds, so that the ring, Maglev's two permutation hashes and the keys never
// reuse the same hash of the same integer. Arbitrary fixed constants (digits of π).
const RING_SEED: u64 = 0x243f_6a88_85a3_08d3;
const MAGLEV_OFFSET_SEED: u64 = 0x1319_8a2e_0370_7344;
const MAGLEV_SKIP_SEED: u64 = 0xa409_3822_299f_31d0;
/// Seed under which request keys (client ids) are hashed, shared with the simulator.
pub(crate) const KEY_SEED: u64 = 0x082e_fa98_ec4e_6c89;

/// FNV-1a, 64-bit.
///
/// # Formula
///
/// ```text
/// h₀ = 0xcbf29ce484222325 (offset basis)
/// hᵢ = (hᵢ₋₁ XOR byteᵢ) × 0x100000001b3   mod 2^64
/// ```
/// Source: G. Fowler, L. C. Noll, K.-P. Vo, D. Eastlake, "The FNV Non-Cryptographic Hash
/// Algorithm", IETF draft-eastlake-fnv, section 2.
///
/// # Examples
///
/// ```
/// // Test vectors from the FNV reference test suite.
/// assert_eq!(headroom::loadbalance::fnv1a64(b""), 0xcbf29ce484222325);
/// assert_eq!(headroom::loadbalance::fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
/// ```
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_extend(FNV_OFFSET_BASIS, bytes)
}

/// [`fnv1a64`] continued from `hash` over more bytes: `fnv1a64_extend(fnv1a64(a), b)` is the
/// hash of `a` followed by `b`, so one fingerprint can run over many documents.
pub fn fnv1a64_extend(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// MurmurHash3's 64-bit finalizer: a bijection that makes every output bit depend on every input
/// bit. FNV-1a alone spreads short inputs poorly across its high bits, which a ring (sorted by
/// the whole 64-bit value) and `mod M` both depend on.
///
/// # Formula
///
/// ```text
/// h ^= h >> 33; h ×= 0xff51afd7ed558ccd; h ^= h >> 33; h ×= 0xc4ceb9fe1a85ec53; h ^= h >> 33
/// ```
/// Source: A. Appleby, MurmurHash3 (public domain), `fmix64`.
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The 64-bit hash used for all placement: FNV-1a over `seed` then the little-endian bytes of
/// each part, finalized by [`fmix64`].
///
/// # Formula
///
/// ```text
/// hash(seed, parts) = fmix64(FNV-1a(le_bytes(seed) ‖ le_bytes(part₁) ‖ …))
/// ```
pub fn hash_parts(seed: u64, parts: &[u64]) -> u64 {
    let h = std::iter::once(&seed)
        .chain(parts)
        .fold(FNV_OFFSET_BASIS, |h, word| {
            fnv1a64_extend(h, &word.to_le_bytes())
        });
    fmix64(h)
}

/// The hash of a request key (a client id, standing in for its IP address).
pub fn key_hash(key: u64) -> u64 {
    hash_parts(KEY_SEED, &[key])
}

/// A consistent-hash ring with virtual nodes: each server owns `weight × vnodes` points on a
/// 64-bit circle, and a key belongs to the first point clockwise from its hash.
///
/// # Formula
///
/// ```text
/// point(s, v) = hash(RING_SEED, [s, v])       s: server index, v: 0 .. weight_s × vnodes
/// owner(k)    = server of the smallest point ≥ hash(k), wrapping to the first point
/// ```
/// Source: D. Karger et al., "Consistent Hashing and Random Trees", STOC 1997; virtual nodes as
/// in G. DeCandia et al., "Dynamo", SOSP 2007, section 4.2. Lookup is a binary search,
/// O(log(n k)), matching the chapter's section 2 complexity table.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsistentRing {
    /// (point, server), sorted by point then server so that equal points break ties the same way
    /// everywhere.
    points: Vec<(u64, u32)>,
}

impl ConsistentRing {
    /// Builds the ring for servers with the given weights.
    ///
    /// # Errors
    ///
    /// [`LoadBalanceError::NoServers`] for an empty list, [`LoadBalanceError::OutOfRange`] for
    /// `vnodes` outside 1..=10,000 or a zero weight, [`LoadBalanceError::TooLarge`] when the ring
    /// would exceed [`MAX_RING_POINTS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use headroom::loadbalance::{ConsistentRing, key_hash};
    /// let ring = ConsistentRing::new(&[1, 1, 1], 160)?;
    /// assert!(ring.owner(key_hash(42)) < 3);
    /// # Ok::<(), headroom::loadbalance::LoadBalanceError>(())
    /// ```
    pub fn new(weights: &[u32], vnodes: u32) -> Result<Self, LoadBalanceError> {
        check_server_count(weights.len())?;
        check_range("vnodes", f64::from(vnodes), 1.0, 10_000.0, "1 to 10,000")?;
        if weights.contains(&0) {
            return Err(LoadBalanceError::OutOfRange(crate::range::RangeError::new(
                "weight",
                0.0,
                "1 to 1,000",
            )));
        }
        let total: u64 = weights
            .iter()
            .map(|&w| u64::from(w) * u64::from(vnodes))
            .sum();
        if total > MAX_RING_POINTS {
            return Err(LoadBalanceError::TooLarge {
                what: "consistent-hash ring points",
                value: total,
                max: MAX_RING_POINTS,
            });
        }
        let mut points = Vec::with_capacity(total as usize);
        for (server, &weight) in (0_u32..).zip(weights) {
            for v in 0..u64::from(weight) * u64::from(vnodes) {
                points.push((hash_parts(RING_SEED, &[u64::from(server), v]), server));
            }
        }
        points.sort_unstable();
        Ok(Self { points })
    }

    /// The server owning a key hash.
    pub fn owner(&self, hash: u64) -> usize {
        let i = self.points.partition_point(|&(p, _)| p < hash);
        let (_, server) = self
            .points
            .get(i)
            .or_else(|| self.points.first())
            .copied()
            .unwrap_or((0, 0));
        server as usize
    }

    /// Number of points on the ring (its memory, in entries).
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the ring has no points (never true for a ring built by [`ConsistentRing::new`]).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

/// Maglev's lookup table: `M` entries (M prime), filled by letting each server claim entries in
/// its own pseudo-random permutation order, one turn per server per round.
///
/// # Formula
///
/// ```text
/// offset_i = hash(MAGLEV_OFFSET_SEED, [i]) mod M
/// skip_i   = hash(MAGLEV_SKIP_SEED,   [i]) mod (M − 1) + 1
/// permutation_i[j] = (offset_i + j × skip_i) mod M          (a full cycle because M is prime)
/// round robin over i: claim the next entry of permutation_i not yet claimed, until all M are
/// owner(k) = table[hash(k) mod M]
/// ```
/// Source: D. E. Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
/// NSDI 2016, section 3.4, Pseudocode 1 (the reference the chapter's section 2 cites). Each
/// server gets ⌊M/n⌋ or ⌈M/n⌉ entries; weights are not modelled here.
#[derive(Debug, Clone, PartialEq)]
pub struct MaglevTable {
    table: Vec<u32>,
}

impl MaglevTable {
    /// Populates the table for `servers` servers.
    ///
    /// # Errors
    ///
    /// [`LoadBalanceError::NoServers`], [`LoadBalanceError::TooManyServers`];
    /// [`LoadBalanceError::OutOfRange`] when `table_size` is not above the server count or above
    /// [`MAX_MAGLEV_TABLE`]; [`LoadBalanceError::NotPrime`] when it is not prime.
    ///
    /// # Examples
    ///
    /// ```
    /// use headroom::loadbalance::MaglevTable;
    /// let table = MaglevTable::new(3, 65_537)?;
    /// assert_eq!(table.len(), 65_537);
    /// # Ok::<(), headroom::loadbalance::LoadBalanceError>(())
    /// ```
    pub fn new(servers: usize, table_size: u32) -> Result<Self, LoadBalanceError> {
        check_server_count(servers)?;
        if (table_size as usize) <= servers || table_size > MAX_MAGLEV_TABLE {
            return Err(LoadBalanceError::OutOfRange(crate::range::RangeError::new(
                "maglev_table_size",
                f64::from(table_size),
                "a prime above the server count, at most 1,000,003",
            )));
        }
        if !is_prime(table_size) {
            return Err(LoadBalanceError::NotPrime { value: table_size });
        }
        let m = u64::from(table_size);
        let mut position: Vec<u64> = Vec::with_capacity(servers);
        let mut skip: Vec<u64> = Vec::with_capacity(servers);
        for i in 0..servers as u64 {
            position.push(hash_parts(MAGLEV_OFFSET_SEED, &[i]) % m);
            skip.push(hash_parts(MAGLEV_SKIP_SEED, &[i]) % (m - 1) + 1);
        }
        let mut table = vec![u32::MAX; table_size as usize];
        let mut filled = 0_usize;
        'rounds: loop {
            for (server, (pos, step)) in (0_u32..).zip(position.iter_mut().zip(&skip)) {
                // Walk this server's permutation to its next free entry. It exists because the
                // table is not full and the permutation visits every entry.
                while table
                    .get(*pos as usize)
                    .is_some_and(|&owner| owner != u32::MAX)
                {
                    *pos = (*pos + step) % m;
                }
                if let Some(entry) = table.get_mut(*pos as usize) {
                    *entry = server;
                }
                *pos = (*pos + step) % m;
                filled += 1;
                if filled == table.len() {
                    break 'rounds;
                }
            }
        }
        Ok(Self { table })
    }

    /// The server owning a key hash.
    pub fn owner(&self, hash: u64) -> usize {
        let m = self.table.len() as u64;
        if m == 0 {
            return 0;
        }
        self.table.get((hash % m) as usize).copied().unwrap_or(0) as usize
    }

    /// Table size M.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the table is empty (never true for a table built by [`MaglevTable::new`]).
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// How keys are placed on servers, for [`key_movement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HashMethod {
    /// `hash(key) mod n`: what IP hash does.
    Modulo,
    /// A consistent-hash ring with this many virtual nodes per server.
    Consistent {
        /// Virtual nodes per server.
        vnodes: u32,
    },
    /// A Maglev table of this (prime) size.
    Maglev {
        /// Table size M, a prime above the server count.
        table_size: u32,
    },
}

/// The share of `keys` keys that map to a different server after the cluster changes from
/// `servers_before` to `servers_after` servers (servers are numbered from 0; growing adds servers
/// at the end, shrinking removes the last ones). Keys are 0..keys hashed with [`key_hash`].
///
/// # Formula
///
/// ```text
/// moved = |{k : owner_before(hash(k)) ≠ owner_after(hash(k))}| / keys
/// ```
/// Expected values (hand calculation, uniform hashes): modulo from n to n − 1 servers keeps a key
/// only when h mod n = h mod (n − 1), i.e. for n − 1 of every n(n − 1) residues, so it moves
/// 1 − 1/n of keys (90% for 10 → 9); consistent hashing moves only the leaving server's share,
/// about 1/n (10%). Source: Karger et al. (1997); the chapter's section 2 complexity table.
///
/// # Errors
///
/// [`LoadBalanceError::OutOfRange`] for `keys` outside 1..=[`MAX_KEYS`], and the errors of
/// [`ConsistentRing::new`] and [`MaglevTable::new`] for either server count.
///
/// # Examples
///
/// ```
/// use headroom::loadbalance::{HashMethod, key_movement};
/// let modulo = key_movement(10, 9, 100_000, HashMethod::Modulo)?;
/// let ring = key_movement(10, 9, 100_000, HashMethod::Consistent { vnodes: 160 })?;
/// assert!(modulo > 0.85 && ring < 0.15);
/// # Ok::<(), headroom::loadbalance::LoadBalanceError>(())
/// ```
pub fn key_movement(
    servers_before: usize,
    servers_after: usize,
    keys: u32,
    method: HashMethod,
) -> Result<f64, LoadBalanceError> {
    check_range(
        "keys",
        f64::from(keys),
        1.0,
        f64::from(MAX_KEYS),
        "1 to 2,000,000",
    )?;
    check_server_count(servers_before)?;
    check_server_count(servers_after)?;
    let before = Placement::new(servers_before, method)?;
    let after = Placement::new(servers_after, method)?;
    let moved = (0..u64::from(keys))
        .filter(|&k| {
            let h = key_hash(k);
            before.owner(h) != after.owner(h)
        })
        .count();
    Ok(moved as f64 / f64::from(keys))
}

/// One of the three placements, built for a server count.
enum Placement {
    Modulo(u64),
    Ring(ConsistentRing),
    Maglev(MaglevTable),
}

impl Placement {
    fn new(servers: usize, method: HashMethod) -> Result<Self, LoadBalanceError> {
        Ok(match method {
            HashMethod::Modulo => Self::Modulo(servers as u64),
            HashMethod::Consistent { vnodes } => {
                Self::Ring(ConsistentRing::new(&vec![1; servers], vnodes)?)
            }
            HashMethod::Maglev { table_size } => {
                Self::Maglev(MaglevTable::new(servers, table_size)?)
            }
        })
    }

    fn owner(&self, hash: u64) -> usize {
        match self {
            Self::Modulo(n) => hash.checked_rem(*n).unwrap_or(0) as usize,
            Self::Ring(ring) => ring.owner(hash),
            Self::Maglev(table) => table.owner(hash),
        }
    }
}

fn check_server_count(servers: usize) -> Result<(), LoadBalanceError> {
    if servers == 0 {
        Err(LoadBalanceError::NoServers)
    } else if servers > MAX_SERVERS {
        Err(LoadBalanceError::TooManyServers {
            servers,
            max: MAX_SERVERS,
        })
    } else {
        Ok(())
    }
}

/// Trial division; table sizes are at most ~10^6, so at most ~1,000 divisions.
fn is_prime(n: u32) -> bool {
    if n < 2 {
        return false;
    }
    let n = u64::from(n);
    let mut d = 2_u64;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_abs;

    // Only the tests count entries per server: they check Maglev's balance.
    impl MaglevTable {
        /// Entries per server (Maglev's balance: each is ⌊M/n⌋ or ⌈M/n⌉).
        fn entries_per_server(&self, servers: usize) -> Vec<u32> {
            let mut counts = vec![0_u32; servers];
            for &owner in &self.table {
                if let Some(c) = counts.get_mut(owner as usize) {
                    *c += 1;
                }
            }
            counts
        }
    }

    #[test]
    fn fnv_matches_the_reference_test_vectors() {
        // FNV reference test suite (L. C. Noll, test_fnv.c), FNV-1a 64-bit.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fmix64_avalanches() {
        // A good finalizer flips about half of the 64 output bits per flipped input bit.
        let mut flipped = 0_u64;
        let samples = 64 * 200;
        for x in 0..200_u64 {
            for bit in 0..64 {
                flipped += u64::from((fmix64(x) ^ fmix64(x ^ (1 << bit))).count_ones());
            }
        }
        assert_abs(flipped as f64 / samples as f64, 32.0, 1.0);
    }

    #[test]
    fn removing_one_of_ten_servers_moves_a_tenth_with_consistent_hashing() {
        // Hand calculation in key_movement's docs: modulo 10 → 9 moves 1 − 1/10 = 90%, the ring
        // only the leaving server's share ≈ 1/10. With 160 vnodes a server's share has a relative
        // spread of about 1/√160 ≈ 8%, i.e. ±0.8 percentage points; tolerance 3 points.
        let keys = 200_000;
        let modulo = key_movement(10, 9, keys, HashMethod::Modulo).unwrap();
        assert_abs(modulo, 0.9, 0.01); // binomial se = √(0.09/2e5) ≈ 0.0007
        let ring = key_movement(10, 9, keys, HashMethod::Consistent { vnodes: 160 }).unwrap();
        assert_abs(ring, 0.1, 0.03);
        // Adding an 11th server: modulo keeps h mod 10 = h mod 11 for 10 of 110 residues, so moves
        // 10/11 ≈ 0.909; the ring moves the newcomer's share ≈ 1/11 ≈ 0.091.
        let modulo_add = key_movement(10, 11, keys, HashMethod::Modulo).unwrap();
        assert_abs(modulo_add, 10.0 / 11.0, 0.01);
        let ring_add = key_movement(10, 11, keys, HashMethod::Consistent { vnodes: 160 }).unwrap();
        assert_abs(ring_add, 1.0 / 11.0, 0.03);
    }

    #[test]
    fn maglev_is_balanced_and_nearly_minimally_disruptive() {
        // Eisenbud et al. (2016) section 3.4: the round-robin fill gives every backend ⌊M/n⌋ or
        // ⌈M/n⌉ entries.
        let table = MaglevTable::new(7, 65_537).unwrap();
        let counts = table.entries_per_server(7);
        let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        assert!(max - min <= 1, "{counts:?}");
        assert_eq!(counts.iter().sum::<u32>(), 65_537);
        // Removing one of 10 backends must move at least its own ≈ 1/10 of keys; the paper's
        // figure 13 shows a few percent more (not minimal like a ring, but close).
        let moved =
            key_movement(10, 9, 200_000, HashMethod::Maglev { table_size: 65_537 }).unwrap();
        assert!((0.09..0.2).contains(&moved), "{moved}");
    }

    #[test]
    fn ring_is_sorted_and_sized_by_weight() {
        let ring = ConsistentRing::new(&[1, 2, 3], 100).unwrap();
        assert_eq!(ring.len(), 600);
        assert!(ring.points.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(
            ConsistentRing::new(&[], 10),
            Err(LoadBalanceError::NoServers)
        );
        assert!(ConsistentRing::new(&[1, 0], 10).is_err());
        assert!(ConsistentRing::new(&[1000; 1000], 1000).is_err());
        assert_eq!(
            MaglevTable::new(3, 65_536),
            Err(LoadBalanceError::NotPrime { value: 65_536 })
        );
        assert!(MaglevTable::new(3, 3).is_err());
        assert!(key_movement(10, 9, 0, HashMethod::Modulo).is_err());
        assert!(key_movement(0, 9, 10, HashMethod::Modulo).is_err());
        assert!(is_prime(65_537) && is_prime(2) && !is_prime(1) && !is_prime(91));
    }
}
