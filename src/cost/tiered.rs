//! Tiered (marginal) pricing: each unit of a month's usage costs the price of the tier it falls
//! in, as AWS bills internet egress and API Gateway requests.

use serde::Serialize;

use super::catalog::Tier;

/// The part of a month's usage that falls in one tier, and its charge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TierUse {
    /// Lower bound of the tier, cumulative units.
    pub from: f64,
    /// Upper bound of the tier, cumulative units; `None` for the open last tier.
    pub up_to: Option<f64>,
    /// Units of the usage in this tier.
    pub quantity: f64,
    /// USD per unit in this tier.
    pub usd_per_unit: f64,
    /// `quantity × usd_per_unit`, USD.
    pub usd: f64,
}

/// Splits `quantity` units of usage over `tiers` and prices each part; tiers the usage does not
/// reach are left out.
///
/// # Formula
/// ```text
/// q_i = min(max(Q − L_i, 0), U_i − L_i)     units charged in tier i
/// C   = Σ_i q_i × p_i                       charge, USD
/// Q = units used in the month, L_i = lower bound of tier i (the previous tier's upper bound,
/// 0 for the first), U_i = its upper bound (∞ for the last), p_i = its price per unit
/// Source: AWS bills data transfer out and API Gateway requests this way: "first 10 TB",
/// "next 40 TB" (EC2 pricing page); "first 333 million", "next 667 million" (API Gateway).
/// ```
///
/// The charge is continuous in `Q` (a tier's part is a clamp of `Q − L_i`) and, with
/// non-negative prices, non-decreasing.
///
/// # Examples
/// ```
/// use headroom::cost::catalog::Tier;
/// use headroom::cost::tiered::tier_uses;
/// // 400 million HTTP API requests: 300 × $1.00 + 100 × $0.90 = $390.
/// let tiers = [Tier { up_to: Some(300.0), usd_per_unit: 1.0 }, Tier { up_to: None, usd_per_unit: 0.9 }];
/// let uses = tier_uses(&tiers, 400.0);
/// let usd: f64 = uses.iter().map(|used| used.usd).sum();
/// assert!((usd - 390.0).abs() < 1e-9);
/// ```
pub fn tier_uses(tiers: &[Tier], quantity: f64) -> Vec<TierUse> {
    uses(tiers, quantity).collect()
}

/// The total charge of `quantity` units over `tiers`, USD: the sum of [`tier_uses`], without
/// building the list (the fleet's months and crossover scan call it hundreds of times a report).
pub fn tiered_usd(tiers: &[Tier], quantity: f64) -> f64 {
    uses(tiers, quantity).map(|used| used.usd).sum()
}

/// The parts of [`tier_uses`], one tier at a time; tiers after the open last one are ignored.
fn uses(tiers: &[Tier], quantity: f64) -> impl Iterator<Item = TierUse> + '_ {
    let mut lower = 0.0;
    let mut open = false;
    tiers
        .iter()
        .map_while(move |tier| {
            if open {
                return None;
            }
            let from = lower;
            let above_lower = (quantity - from).max(0.0);
            let in_tier = match tier.up_to {
                Some(upper) => above_lower.min(upper - from),
                None => above_lower,
            };
            match tier.up_to {
                Some(upper) => lower = upper,
                None => open = true,
            }
            Some(TierUse {
                from,
                up_to: tier.up_to,
                quantity: in_tier,
                usd_per_unit: tier.usd_per_unit,
                usd: in_tier * tier.usd_per_unit,
            })
        })
        .filter(|used| used.quantity > 0.0)
}
