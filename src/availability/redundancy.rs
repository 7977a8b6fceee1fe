//! Composite availability: redundant replicas within a tier, and tiers in series (the chapter's
//! section 9, "Redundancy Patterns": active-passive, active-active, N+1, 2N).

use crate::math;
use serde::{Deserialize, Serialize};

use super::{Availability, AvailabilityError, quote};

/// Most replicas a k-of-n tier may have. The binomial sum is exact and cheap up to here
/// (one pass of `n + 1` terms); the cap bounds the work one query can ask for.
pub const MAX_REPLICAS: u32 = 1000;

/// Longest failover or repair time accepted, in seconds (about 31.7 years): far beyond any real
/// figure, and it keeps every duration short to write in the text form.
pub const MAX_DURATION_SECONDS: f64 = 1e9;

/// Longest tier name, in characters.
pub const MAX_TIER_NAME_LEN: usize = 32;

/// How the replicas of a tier back each other up.
///
/// Serialized with a `kind` tag: `{"kind": "k_of_n", "n": 3, "k": 2}` or
/// `{"kind": "active_passive", "failover_seconds": 30, "mttr_seconds": 3600}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Redundancy {
    /// Active-active: `n` replicas serve together and the tier is up while at least `k` are up
    /// (`k` replicas carry the load). A single server is `n = k = 1`.
    KOfN {
        /// Replicas deployed, 1 to [`MAX_REPLICAS`].
        n: u32,
        /// Replicas that must be up, 1 to `n`.
        k: u32,
    },
    /// One active replica and one hot standby that takes over after a failover delay.
    ActivePassive {
        /// Time from the active's failure until the standby serves, seconds (detection plus
        /// promotion: heartbeat timeout, DNS update or VIP transfer).
        failover_seconds: f64,
        /// Mean time to repair a failed replica, seconds; greater than 0.
        mttr_seconds: f64,
    },
}

impl Redundancy {
    /// One replica, no redundancy: `KOfN { n: 1, k: 1 }`.
    pub fn single() -> Self {
        Self::KOfN { n: 1, k: 1 }
    }

    /// Checks the counts and durations [`Tier::new`] relies on.
    fn validate(self) -> Result<Self, AvailabilityError> {
        match self {
            Self::KOfN { n, k } => {
                if !(1..=MAX_REPLICAS).contains(&n) {
                    return Err(AvailabilityError::ReplicaCount { n });
                }
                if !(1..=n).contains(&k) {
                    return Err(AvailabilityError::RequiredReplicas { k, n });
                }
            }
            Self::ActivePassive {
                failover_seconds,
                mttr_seconds,
            } => {
                check_duration("failover time", failover_seconds)?;
                check_duration("repair time", mttr_seconds)?;
                if mttr_seconds == 0.0 {
                    return Err(AvailabilityError::ZeroRepairTime);
                }
            }
        }
        Ok(self)
    }
}

/// Checks `0 <= seconds <= MAX_DURATION_SECONDS` (which also rejects NaN).
pub(super) fn check_duration(
    quantity: &'static str,
    seconds: f64,
) -> Result<f64, AvailabilityError> {
    if (0.0..=MAX_DURATION_SECONDS).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(AvailabilityError::Duration { quantity, seconds })
    }
}

/// One tier of a request path (load balancer, application, database...): identical replicas
/// with a redundancy scheme.
///
/// Serialized as `{"name", "replica_availability" (a fraction), "redundancy"}` and checked again
/// when deserialized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TierFields")]
pub struct Tier {
    name: String,
    replica_availability: Availability,
    redundancy: Redundancy,
}

/// The serialized fields of a [`Tier`], before validation.
#[derive(Deserialize)]
struct TierFields {
    name: String,
    replica_availability: f64,
    redundancy: Redundancy,
}

impl TryFrom<TierFields> for Tier {
    type Error = AvailabilityError;

    fn try_from(fields: TierFields) -> Result<Self, Self::Error> {
        Tier::new(fields.name, fields.replica_availability, fields.redundancy)
    }
}

impl Tier {
    /// A tier named `name` whose replicas are each up a fraction `replica_availability` of the time.
    ///
    /// # Errors
    /// - [`AvailabilityError::TierName`] unless the name is 1 to [`MAX_TIER_NAME_LEN`] characters
    ///   from `a-z`, `0-9`, `_`, `-`;
    /// - [`AvailabilityError::FractionOutOfRange`] unless `0 <= replica_availability <= 1`;
    /// - [`AvailabilityError::ReplicaCount`], [`AvailabilityError::RequiredReplicas`] unless
    ///   `1 <= k <= n <= MAX_REPLICAS`;
    /// - [`AvailabilityError::Duration`], [`AvailabilityError::ZeroRepairTime`] unless
    ///   `0 <= failover_seconds <= MAX_DURATION_SECONDS` and `0 < mttr_seconds <= MAX_DURATION_SECONDS`.
    ///
    /// # Examples
    /// ```
    /// use headroom::availability::{Redundancy, Tier};
    /// let app = Tier::new("app", 0.999, Redundancy::KOfN { n: 3, k: 2 })?;
    /// assert!(app.availability() > 0.999_99);
    /// # Ok::<(), headroom::availability::AvailabilityError>(())
    /// ```
    pub fn new(
        name: impl Into<String>,
        replica_availability: f64,
        redundancy: Redundancy,
    ) -> Result<Self, AvailabilityError> {
        let name = name.into();
        let name_is_valid = !name.is_empty()
            && name.len() <= MAX_TIER_NAME_LEN
            && name.bytes().all(|byte| {
                byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_' || byte == b'-'
            });
        if !name_is_valid {
            return Err(AvailabilityError::TierName { name: quote(&name) });
        }
        Ok(Self {
            name,
            replica_availability: Availability::from_fraction(replica_availability)?,
            redundancy: redundancy.validate()?,
        })
    }

    /// The tier's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The availability of one replica.
    pub fn replica_availability(&self) -> Availability {
        self.replica_availability
    }

    /// The redundancy scheme.
    pub fn redundancy(&self) -> Redundancy {
        self.redundancy
    }

    /// The same tier with `n` replicas, for "what does one more replica buy" curves: k-of-n keeps
    /// its required count (capped at `n`); active-passive exists for 2 replicas only (1 is a
    /// single replica with no standby, so its failover settings no longer apply).
    ///
    /// Returns `None` when `n` is 0, above [`MAX_REPLICAS`], or above 2 for active-passive.
    pub fn with_replicas(&self, n: u32) -> Option<Tier> {
        let redundancy = match self.redundancy {
            Redundancy::KOfN { k, .. } => Redundancy::KOfN { n, k: k.min(n) },
            Redundancy::ActivePassive { .. } if n == 1 => Redundancy::single(),
            Redundancy::ActivePassive { .. } if n == 2 => self.redundancy,
            Redundancy::ActivePassive { .. } => return None,
        };
        Tier::new(
            self.name.clone(),
            self.replica_availability.fraction(),
            redundancy,
        )
        .ok()
    }

    /// The tier's availability, a fraction in `[0, 1]`; see [`tier_availability`].
    pub fn availability(&self) -> f64 {
        self.tails().0
    }

    /// The tier's unavailability `1 - A`, a fraction in `[0, 1]`; see [`tier_unavailability`].
    pub fn unavailability(&self) -> f64 {
        self.tails().1
    }

    /// `(A, 1 - A)`, each computed directly so that neither loses digits to the other.
    fn tails(&self) -> (f64, f64) {
        let a = self.replica_availability.fraction();
        match self.redundancy {
            Redundancy::KOfN { n, k } => k_of_n(n, k, a),
            Redundancy::ActivePassive {
                failover_seconds,
                mttr_seconds,
            } => active_passive(a, failover_seconds, mttr_seconds),
        }
    }
}

/// Availability of a tier, a fraction in `[0, 1]`.
///
/// # Formula
/// k-of-n (active-active), replicas failing independently:
/// ```text
/// A = P(X >= k) = Σ_{i=k..n} C(n, i) a^i (1 - a)^(n-i)     X ~ Binomial(n, a)
///     n = replicas, k = replicas that must be up, a = availability of one replica
/// ```
/// (the k-out-of-n:G system of reliability theory, e.g. Kuo & Zuo, "Optimal Reliability
/// Modeling", ch. 7; with independent replicas the count of replicas up is binomial). Each term is computed as a
/// logarithm, `ln C(n,i) + i ln a + (n-i) ln(1-a)` with `ln C(n,i)` built up as a running sum of
/// `ln((n-j)/(j+1))`, and the two tails `i >= k` and `i < k` are summed separately with a running
/// log-sum-exp; then `A = 1 / (1 + S_down / S_up)`. No factorial is ever formed, and a tiny
/// unavailability (2 replicas of 99.999%: 1e-10) keeps its digits.
///
/// Active-passive (one active, one hot standby), our model:
/// ```text
/// U = (1 - a)^2 + a (1 - a) (1 - e^(-t_f / m))
///     a   = availability of one replica      m = mean time to repair, seconds
///     t_f = failover time, seconds           U = 1 - A
/// ```
/// Derivation, under these assumptions: both replicas fail and are repaired independently, with
/// exponential repair times of mean `m`; the standby is hot (its own failures are detected and
/// repaired too); a failover happens only when the standby is up.
/// - Both replicas are down a share `(1 - a)^2` of the time.
/// - A replica fails `1 / (MTTF + MTTR) = (1 - a) / m` times per second of wall time. The serving
///   replica fails while the other is up at the rate `a (1 - a) / m` (the state "both up" has
///   probability `a²`, left at the failure rate `λ = (1 - a) / (a m)`).
/// - Each such failure takes the service down until the failover completes or the failed replica
///   is back, whichever is first: `E[min(t_f, R)] = m (1 - e^(-t_f/m))` for `R ~ Exp(mean m)`.
///
/// Multiplying the rate by that duration gives the second term. For `t_f ≪ m` it is about
/// `(1 - a) t_f / m`: failures per second times seconds of failover. At `t_f = 0` the pair is a
/// 1-of-2 tier; as `t_f → ∞` the standby never helps and `U → 1 - a`. Failures of the standby
/// during a failover are neglected (a term in `(1 - a)² t_f / m`).
///
/// # Examples
/// ```
/// use headroom::availability::{Redundancy, Tier, tier_availability};
/// // Two replicas of 99%, either one enough: 1 - 0.01² = 99.99%.
/// let pair = Tier::new("lb", 0.99, Redundancy::KOfN { n: 2, k: 1 })?;
/// assert!((tier_availability(&pair) - 0.9999).abs() < 1e-12);
/// // A database with a standby, 30 s failover, 1 h to repair: about 99.999% from two 99.9%s.
/// let failover = Redundancy::ActivePassive { failover_seconds: 30.0, mttr_seconds: 3600.0 };
/// let db = Tier::new("db", 0.999, failover)?;
/// assert!(tier_availability(&db) > 0.99999);
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn tier_availability(tier: &Tier) -> f64 {
    tier.availability()
}

/// Unavailability `1 - A` of a tier, a fraction in `[0, 1]`, computed directly (not as
/// `1 - tier_availability`) so that it keeps its digits when tiny. Formula: see
/// [`tier_availability`].
pub fn tier_unavailability(tier: &Tier) -> f64 {
    tier.unavailability()
}

/// Availability of tiers in series: the request needs every tier, failing independently.
/// An empty chain is always up (1).
///
/// # Formula
/// ```text
/// A = Π_j A_j     A_j = availability of tier j
/// ```
/// multiplied directly: factors in [0, 1] neither overflow nor cancel (each × adds at most
/// 2⁻⁵³ relative), and a chain of one tier is exactly that tier.
/// (the product rule for independent events: a series system is up only when every part is;
/// the reason behind the chapter's "eliminating single points of failure").
///
/// # Examples
/// ```
/// use headroom::availability::{Redundancy, Tier, series_availability};
/// // Two single servers at 99.9% in series: 0.999² = 99.8001%.
/// let web = Tier::new("web", 0.999, Redundancy::single())?;
/// let db = Tier::new("db", 0.999, Redundancy::single())?;
/// assert!((series_availability(&[web, db]) - 0.998_001).abs() < 1e-12);
/// # Ok::<(), headroom::availability::AvailabilityError>(())
/// ```
pub fn series_availability(tiers: &[Tier]) -> f64 {
    tiers
        .iter()
        .fold(1.0, |chain, tier| chain * tier.availability())
        .clamp(0.0, 1.0)
}

/// Unavailability `1 - A` of tiers in series, computed from the tiers' own unavailabilities so
/// that it keeps its digits when tiny and a chain of one tier is exactly that tier.
///
/// # Formula
/// ```text
/// U_0 = 0,  U_j = U_{j−1} + U'_j × (1 − U_{j−1})     U'_j = unavailability of tier j
/// ```
/// the same product rule as [`series_availability`] (1 − U_j = (1 − U_{j−1})(1 − U'_j)),
/// written so that every term is non-negative: no cancellation, so tiers of 1e-20 add up
/// (where 1 − Π A_j rounds to 0), and each step adds a few units of rounding (2⁻⁵³) at most.
/// (`-expm1(Σ ln1p(−U_j))` is as accurate but not exact for one tier: expm1 ∘ ln1p can move
/// the last bit.)
pub fn series_unavailability(tiers: &[Tier]) -> f64 {
    tiers
        .iter()
        .fold(0.0, |chain, tier| {
            chain + tier.unavailability() * (1.0 - chain)
        })
        .clamp(0.0, 1.0)
}

/// A running `ln Σ exp(xᵢ)` that never overflows: the sum is kept as `exp(max) × scaled`.
#[derive(Clone, Copy)]
struct LogSum {
    max: f64,
    scaled: f64,
}

impl LogSum {
    const EMPTY: Self = Self {
        max: f64::NEG_INFINITY,
        scaled: 0.0,
    };

    fn add(&mut self, ln_term: f64) {
        if ln_term > self.max {
            self.scaled = self.scaled * math::exp(self.max - ln_term) + 1.0;
            self.max = ln_term;
        } else {
            self.scaled += math::exp(ln_term - self.max);
        }
    }

    fn ln(self) -> f64 {
        self.max + math::ln(self.scaled)
    }
}

/// `(P(X >= k), P(X < k))` for `X ~ Binomial(n, a)`. Formula: see [`tier_availability`].
fn k_of_n(n: u32, k: u32, a: f64) -> (f64, f64) {
    if k == 0 {
        return (1.0, 0.0);
    }
    if k > n {
        return (0.0, 1.0);
    }
    // The log terms below need 0 < a < 1; at the ends every replica is up, or down.
    if a >= 1.0 {
        return (1.0, 0.0);
    }
    if a <= 0.0 {
        return (0.0, 1.0);
    }
    let ln_up = math::ln(a);
    let ln_down = math::ln_1p(-a);
    let mut up_tail = LogSum::EMPTY;
    let mut down_tail = LogSum::EMPTY;
    let mut ln_binomial = 0.0; // ln C(n, 0)
    for i in 0..=n {
        let ln_term = ln_binomial + f64::from(i) * ln_up + f64::from(n - i) * ln_down;
        if i >= k {
            up_tail.add(ln_term);
        } else {
            down_tail.add(ln_term);
        }
        if i < n {
            ln_binomial += math::ln(f64::from(n - i) / f64::from(i + 1));
        }
    }
    let (ln_up_tail, ln_down_tail) = (up_tail.ln(), down_tail.ln());
    let availability = 1.0 / (1.0 + math::exp(ln_down_tail - ln_up_tail));
    let unavailability = 1.0 / (1.0 + math::exp(ln_up_tail - ln_down_tail));
    (availability.clamp(0.0, 1.0), unavailability.clamp(0.0, 1.0))
}

/// `(A, U)` of an active-passive pair. Formula: see [`tier_availability`].
fn active_passive(a: f64, failover_seconds: f64, mttr_seconds: f64) -> (f64, f64) {
    let down = 1.0 - a;
    let failover_outage_share = -math::exp_m1(-failover_seconds / mttr_seconds);
    let unavailability = (down * down + a * down * failover_outage_share).clamp(0.0, 1.0);
    (1.0 - unavailability, unavailability)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testutil::{assert_abs, assert_rel};

    // Only the tests build N+1 and 2N tiers this way (the scenario reads `n/k` text).
    impl Redundancy {
        /// N+1: the `n_needed` replicas the load requires plus one spare,
        /// `KOfN { n: n_needed + 1, k: n_needed }`.
        fn n_plus_one(n_needed: u32) -> Self {
            Self::KOfN {
                n: n_needed.saturating_add(1),
                k: n_needed,
            }
        }

        /// 2N: everything duplicated, `KOfN { n: 2 × n_needed, k: n_needed }`.
        fn two_n(n_needed: u32) -> Self {
            Self::KOfN {
                n: n_needed.saturating_mul(2),
                k: n_needed,
            }
        }
    }

    fn tier(a: f64, redundancy: Redundancy) -> Tier {
        match Tier::new("t", a, redundancy) {
            Ok(tier) => tier,
            Err(error) => panic!("test tier rejected: {error}"),
        }
    }

    fn k_of_n_tier(n: u32, k: u32, a: f64) -> Tier {
        tier(a, Redundancy::KOfN { n, k })
    }

    #[test]
    fn two_replicas_of_99_percent_needing_one_give_four_nines() {
        // By hand: U = (1 - 0.99)^2 = 0.0001, A = 0.9999.
        let pair = k_of_n_tier(2, 1, 0.99);
        assert_rel(pair.availability(), 0.9999, 1e-12);
        assert_rel(pair.unavailability(), 1e-4, 1e-9);
    }

    #[test]
    fn three_replicas_of_three_nines_needing_two() {
        // By hand: P(X >= 2) = 3a^2(1-a) + a^3 = 3a^2 - 2a^3 with a = 0.999:
        // 3 × 0.998001 - 2 × 0.997002999 = 2.994003 - 1.994005998 = 0.999997002.
        assert_abs(
            k_of_n_tier(3, 2, 0.999).availability(),
            0.999_997_002,
            1e-12,
        );
    }

    #[test]
    fn n_plus_one_and_two_n_are_the_named_k_of_n_cases() {
        assert_eq!(Redundancy::n_plus_one(2), Redundancy::KOfN { n: 3, k: 2 });
        assert_eq!(Redundancy::two_n(2), Redundancy::KOfN { n: 4, k: 2 });
        // N+1 with N = 2 at a = 0.99: 3a^2 - 2a^3 = 2.9403 - 1.940598 = 0.999702.
        assert_abs(
            tier(0.99, Redundancy::n_plus_one(2)).availability(),
            0.999_702,
            1e-12,
        );
        // 2N with N = 2 at a = 0.99: U = P(X <= 1) = (1-a)^4 + 4a(1-a)^3 = 1e-8 + 3.96e-6.
        assert_rel(
            tier(0.99, Redundancy::two_n(2)).unavailability(),
            3.97e-6,
            1e-9,
        );
    }

    #[test]
    fn large_tiers_are_stable() {
        // Closed forms, evaluated in 50-digit decimal arithmetic (Python `decimal`):
        // k = n: A = a^n; 0.99999^1000 = 0.990049784246347584...
        assert_rel(
            k_of_n_tier(1000, 1000, 0.99999).availability(),
            0.990_049_784_246_347_6,
            1e-12,
        );
        // k = n - 1: A = a^n + n a^(n-1) (1 - a) = 0.999950381094779544...
        assert_rel(
            k_of_n_tier(1000, 999, 0.99999).availability(),
            0.999_950_381_094_779_5,
            1e-12,
        );
        // k = 1: U = (1 - a)^n; with a = 0.5, 2^-1000 = 9.332636185032189e-302.
        assert_rel(
            k_of_n_tier(1000, 1, 0.5).unavailability(),
            9.332_636_185_032_189e-302,
            1e-9,
        );
        // Symmetric case: A = 1/2 + C(1000, 500) / 2^1001 = 0.5126125090891804 (exact integers).
        assert_rel(
            k_of_n_tier(1000, 500, 0.5).availability(),
            0.512_612_509_089_180_4,
            1e-10,
        );
        // Deep tail, exact rational sum Σ_{i<990} C(1000,i) a^i (1-a)^(1000-i):
        // 2.3492915055143396e-30 at a = 0.99999; 9.599955185228217e-9 at a = 0.999.
        assert_rel(
            k_of_n_tier(1000, 990, 0.99999).unavailability(),
            2.349_291_505_514_339_6e-30,
            1e-9,
        );
        assert_rel(
            k_of_n_tier(1000, 990, 0.999).unavailability(),
            9.599_955_185_228_217e-9,
            1e-9,
        );
    }

    #[test]
    fn active_passive_model() {
        // U = (1-a)^2 + a(1-a)(1 - e^(-t_f/m)) with a = 0.999, t_f = 30 s, m = 3600 s:
        // 1 - e^(-1/120) = 1/120 - 1/(2·120²) + 1/(6·120³) = 0.0082987;
        // U = 1e-6 + 0.000999 × 0.0082987 = 9.2904e-6 (Python: 9.29040865376292e-06).
        let pair = tier(
            0.999,
            Redundancy::ActivePassive {
                failover_seconds: 30.0,
                mttr_seconds: 3600.0,
            },
        );
        assert_rel(pair.unavailability(), 9.290_408_653_762_92e-6, 1e-9);
        // First order, t_f ≪ m: U ≈ (1-a)^2 + (1-a) t_f / m = 1e-6 + 0.001/120 = 9.333e-6.
        assert_rel(pair.unavailability(), 1e-6 + 0.001 / 120.0, 0.01);
        // Instant failover is a 1-of-2 pair; a failover that never ends is one replica.
        let instant = tier(
            0.999,
            Redundancy::ActivePassive {
                failover_seconds: 0.0,
                mttr_seconds: 3600.0,
            },
        );
        assert_rel(
            instant.unavailability(),
            k_of_n_tier(2, 1, 0.999).unavailability(),
            1e-12,
        );
        let never = tier(
            0.999,
            Redundancy::ActivePassive {
                failover_seconds: 1e9,
                mttr_seconds: 1.0,
            },
        );
        assert_rel(never.unavailability(), 0.001, 1e-9);
    }

    #[test]
    fn series_multiplies() {
        // 0.999 × 0.999 = 0.998001 (99.8001%).
        let chain = [k_of_n_tier(1, 1, 0.999), k_of_n_tier(1, 1, 0.999)];
        assert_abs(series_availability(&chain), 0.998_001, 1e-12);
        assert_rel(series_unavailability(&chain), 0.001_999, 1e-9);
        assert_eq!(series_availability(&[]), 1.0);
        let with_dead_tier = [k_of_n_tier(1, 1, 0.999), k_of_n_tier(1, 1, 0.0)];
        assert_eq!(series_availability(&with_dead_tier), 0.0);
        assert_eq!(series_unavailability(&with_dead_tier), 1.0);
    }

    #[test]
    fn tier_new_rejects_bad_input() {
        let single = Redundancy::single();
        assert!(matches!(
            Tier::new("", 0.9, single),
            Err(AvailabilityError::TierName { .. })
        ));
        assert!(matches!(
            Tier::new("App", 0.9, single),
            Err(AvailabilityError::TierName { .. })
        ));
        assert!(matches!(
            Tier::new("a".repeat(33), 0.9, single),
            Err(AvailabilityError::TierName { .. })
        ));
        assert!(matches!(
            Tier::new("a", 1.5, single),
            Err(AvailabilityError::FractionOutOfRange(_))
        ));
        assert!(matches!(
            Tier::new("a", f64::NAN, single),
            Err(AvailabilityError::FractionOutOfRange(_))
        ));
        let bad_counts = [(0, 0), (1001, 1), (3, 4), (3, 0)];
        for (n, k) in bad_counts {
            assert!(
                Tier::new("a", 0.9, Redundancy::KOfN { n, k }).is_err(),
                "n={n} k={k}"
            );
        }
        assert!(Tier::new("a", 0.9, Redundancy::n_plus_one(u32::MAX)).is_err());
        assert!(Tier::new("a", 0.9, Redundancy::two_n(u32::MAX)).is_err());
        let ap = |failover_seconds, mttr_seconds| {
            Tier::new(
                "a",
                0.9,
                Redundancy::ActivePassive {
                    failover_seconds,
                    mttr_seconds,
                },
            )
        };
        assert!(matches!(
            ap(-1.0, 60.0),
            Err(AvailabilityError::Duration { .. })
        ));
        assert!(matches!(
            ap(f64::INFINITY, 60.0),
            Err(AvailabilityError::Duration { .. })
        ));
        assert!(matches!(
            ap(1.0, f64::NAN),
            Err(AvailabilityError::Duration { .. })
        ));
        assert_eq!(ap(1.0, 0.0), Err(AvailabilityError::ZeroRepairTime));
    }

    #[test]
    fn serde_validates_on_the_way_in() -> Result<(), serde_json::Error> {
        let app = k_of_n_tier(3, 2, 0.999);
        let json = serde_json::to_string(&app)?;
        assert_eq!(
            json,
            r#"{"name":"t","replica_availability":0.999,"redundancy":{"kind":"k_of_n","n":3,"k":2}}"#
        );
        assert_eq!(serde_json::from_str::<Tier>(&json)?, app);
        let too_many_needed = json.replace(r#""k":2"#, r#""k":4"#);
        assert!(serde_json::from_str::<Tier>(&too_many_needed).is_err());
        Ok(())
    }

    fn any_redundancy() -> impl Strategy<Value = Redundancy> {
        prop_oneof![
            (1..=MAX_REPLICAS)
                .prop_flat_map(|n| (Just(n), 1..=n))
                .prop_map(|(n, k)| Redundancy::KOfN { n, k }),
            (0.0..=MAX_DURATION_SECONDS, 1e-3..=MAX_DURATION_SECONDS).prop_map(
                |(failover_seconds, mttr_seconds)| Redundancy::ActivePassive {
                    failover_seconds,
                    mttr_seconds
                }
            ),
        ]
    }

    proptest! {
        #[test]
        fn results_are_probabilities(a in 0.0..=1.0f64, redundancy in any_redundancy()) {
            let tier = tier(a, redundancy);
            let (availability, unavailability) = (tier.availability(), tier.unavailability());
            prop_assert!((0.0..=1.0).contains(&availability));
            prop_assert!((0.0..=1.0).contains(&unavailability));
            prop_assert!((availability + unavailability - 1.0).abs() <= 1e-12);
        }

        #[test]
        fn adding_a_replica_never_lowers_availability(
            a in 0.0..=1.0f64,
            (n, k) in (1..MAX_REPLICAS).prop_flat_map(|n| (Just(n), 1..=n)),
        ) {
            let before = k_of_n_tier(n, k, a);
            let after = k_of_n_tier(n + 1, k, a);
            prop_assert!(after.availability() >= before.availability() - 1e-14);
            prop_assert!(after.unavailability() <= before.unavailability() * (1.0 + 1e-9));
        }

        #[test]
        fn needing_more_replicas_never_raises_availability(
            a in 0.0..=1.0f64,
            (n, k) in (2..=MAX_REPLICAS).prop_flat_map(|n| (Just(n), 1..n)),
        ) {
            prop_assert!(
                k_of_n_tier(n, k + 1, a).availability() <= k_of_n_tier(n, k, a).availability() + 1e-14
            );
        }

        #[test]
        fn standby_sits_between_one_replica_and_a_pair(
            a in 0.0..=1.0f64,
            failover_seconds in 0.0..=1e6f64,
            extra_seconds in 0.0..=1e6f64,
            mttr_seconds in 1.0..=1e6f64,
        ) {
            let ap = |failover_seconds| {
                tier(a, Redundancy::ActivePassive { failover_seconds, mttr_seconds }).availability()
            };
            let pair = k_of_n_tier(2, 1, a).availability();
            prop_assert!(ap(failover_seconds) <= pair + 1e-15);
            prop_assert!(ap(failover_seconds) >= a - 1e-15);
            prop_assert!(ap(failover_seconds + extra_seconds) <= ap(failover_seconds) + 1e-15);
        }

        #[test]
        fn a_longer_chain_is_never_more_available(
            tiers in prop::collection::vec((0.0..=1.0f64, any_redundancy()), 0..8),
            extra in (0.0..=1.0f64, any_redundancy()),
        ) {
            let mut chain: Vec<Tier> = tiers.into_iter().map(|(a, r)| tier(a, r)).collect();
            let shorter = series_availability(&chain);
            chain.push(tier(extra.0, extra.1));
            let longer = series_availability(&chain);
            prop_assert!((0.0..=1.0).contains(&longer));
            prop_assert!(longer <= shorter * (1.0 + 1e-12));
        }
    }
}
