//! The availability page's replicas chart: each tier's nines as replicas are added.

use crate::curve::Curve;

use super::Tier;

/// Replica counts on the replicas chart: 1 to this.
pub const CHART_MAX_REPLICAS: u32 = 6;

/// Each tier's availability in nines with 1 to [`CHART_MAX_REPLICAS`] replicas (x: replicas),
/// keeping its required count (k-of-n) or its failover (active-passive, which exists for 1 and 2
/// replicas only; see [`Tier::with_replicas`]). A count with no downtime at all (infinite
/// nines) has no point.
///
/// # Formula
/// ```text
/// nines(n) = −log₁₀ U(n)      U(n) = the tier's unavailability with n replicas,
///                             [`Tier::unavailability`] of [`Tier::with_replicas`]
/// ```
pub fn nines_by_replicas(tiers: &[Tier]) -> Vec<Curve> {
    tiers
        .iter()
        .map(|tier| {
            Curve::new(
                tier.name(),
                (1..=CHART_MAX_REPLICAS)
                    .filter_map(|n| {
                        let unavailability = tier.with_replicas(n)?.unavailability();
                        (unavailability > 0.0).then(|| (f64::from(n), -unavailability.log10()))
                    })
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::availability::Redundancy;
    use crate::testutil::assert_rel;

    fn nines(curve: &Curve) -> Vec<f64> {
        curve.points.iter().map(|p| p.1).collect()
    }

    #[test]
    fn each_replica_of_a_one_of_n_tier_adds_the_replicas_nines() {
        // One of n up at a = 99.9%: U = 0.001ⁿ, so 3, 6, 9 … nines.
        let tier = Tier::new("app", 0.999, Redundancy::KOfN { n: 2, k: 1 }).unwrap();
        let curves = nines_by_replicas(&[tier]);
        assert_eq!(curves[0].name, "app");
        let xs: Vec<_> = curves[0].points.iter().map(|p| p.0).collect();
        assert_eq!(xs, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        for (got, want) in nines(&curves[0])
            .into_iter()
            .zip([3.0, 6.0, 9.0, 12.0, 15.0, 18.0])
        {
            assert_rel(got, want, 1e-9);
        }
    }

    #[test]
    fn a_tier_keeps_its_required_count() {
        // Two of n up at a = 99.9%. n = 1 caps k at 1: U = 0.001 (3 nines). n = 2, both
        // needed: U = 1 − 0.999² = 0.001999 (2.699 nines). n = 3: U = P(fewer than 2 up) =
        // 0.001³ + 3 × 0.999 × 0.001² = 1e-9 + 2.997e-6 = 2.998e-6 (5.523 nines).
        let tier = Tier::new("db", 0.999, Redundancy::KOfN { n: 3, k: 2 }).unwrap();
        let got = nines(&nines_by_replicas(&[tier])[0]);
        assert_rel(got[0], 3.0, 1e-9);
        assert_rel(got[1], -(0.001_999_f64).log10(), 1e-9);
        assert_rel(got[2], -(2.998e-6_f64).log10(), 1e-9);
    }

    #[test]
    fn active_passive_has_one_and_two_replicas_only_and_perfect_tiers_no_points() {
        let pair = Redundancy::ActivePassive {
            failover_seconds: 30.0,
            mttr_seconds: 3_600.0,
        };
        let tiers = [
            Tier::new("lb", 0.999, pair).unwrap(),
            Tier::new("cdn", 1.0, Redundancy::single()).unwrap(),
        ];
        let curves = nines_by_replicas(&tiers);
        let xs: Vec<_> = curves[0].points.iter().map(|p| p.0).collect();
        assert_eq!(xs, [1.0, 2.0]);
        assert_rel(curves[0].points[0].1, 3.0, 1e-9);
        assert_rel(
            curves[0].points[1].1,
            -tiers[0].unavailability().log10(),
            1e-12,
        );
        assert!(curves[1].points.is_empty());
    }
}
