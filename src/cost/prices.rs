//! The serverless price table: one dated, sourced set of AWS Lambda on-demand prices, with the
//! two overrides a user may apply (request price, first-tier GB-second price).

use serde::{Deserialize, Serialize};

use super::{Arch, CostError};
use crate::validated::validated_struct;

/// Largest accepted price per million requests, USD. AWS charges $0.20; the bound only keeps every
/// figure finite, and anything near it is surely a typo.
pub const MAX_USD_PER_MILLION_REQUESTS: f64 = 1e6;

/// Largest accepted price per GB-second, USD. AWS charges about $0.0000167; the bound only keeps
/// every figure finite.
pub const MAX_USD_PER_GB_SECOND: f64 = 1.0;

/// Largest accepted free-tier allowance (requests or GB-seconds per month); AWS gives 1,000,000
/// requests and 400,000 GB-seconds.
pub const MAX_FREE_ALLOWANCE: f64 = 1e18;

/// One duration price tier: every billable GB-second up to `up_to_gb_seconds` (cumulative over the
/// month, counted from the first billable GB-second) and above the previous tier's bound costs
/// `usd_per_gb_second`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GbSecondTier {
    /// Cumulative upper bound of the tier in GB-seconds per month; `None` for the last,
    /// unbounded tier.
    pub up_to_gb_seconds: Option<f64>,
    /// Price of one GB-second in this tier, USD.
    pub usd_per_gb_second: f64,
}

/// The GB-seconds of one tier that a month's billable GB-seconds fill, and what they cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TierCharge {
    /// Where the tier starts, GB-seconds per month (cumulative).
    pub from_gb_seconds: f64,
    /// Where the tier ends, GB-seconds per month (cumulative); `None` when unbounded.
    pub up_to_gb_seconds: Option<f64>,
    /// Billable GB-seconds charged at this tier's price.
    pub gb_seconds: f64,
    /// The tier's price per GB-second, USD.
    pub usd_per_gb_second: f64,
    /// `gb_seconds × usd_per_gb_second`, USD.
    pub usd: f64,
}

validated_struct! {
    /// A dated, sourced table of serverless prices (requests, duration tiers per architecture, free
    /// tier). Build the published one with [`PriceTable::aws_lambda_2026`], then apply the user's
    /// overrides with [`PriceTable::with_usd_per_million_requests`] and
    /// [`PriceTable::with_first_tier_usd_per_gb_second`].
    ///
    /// Deserializing validates like [`PriceTable::new`], so a table read from JSON has the same
    /// invariants as one built in code.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(try_from = "PriceTableFields")]
    pub struct PriceTable via PriceTableFields
        /// The unvalidated shape of a [`PriceTable`], as it appears in JSON.
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        -> CostError
    {
        as_of: String,
        source: String,
        usd_per_million_requests: f64,
        x86_tiers: Vec<GbSecondTier>,
        arm_tiers: Vec<GbSecondTier>,
        free_requests_per_month: f64,
        free_gb_seconds_per_month: f64,
    }
}

fn check_price(what: &'static str, value: f64, max: f64) -> Result<f64, CostError> {
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok(value)
    } else {
        Err(CostError::PriceOutOfRange { what, value, max })
    }
}

fn check_tiers(arch: Arch, tiers: &[GbSecondTier]) -> Result<(), CostError> {
    let invalid = |problem| Err(CostError::TiersInvalid { arch, problem });
    let Some((last, bounded)) = tiers.split_last() else {
        return invalid("at least one tier is required");
    };
    if last.up_to_gb_seconds.is_some() {
        return invalid("the last tier must be unbounded (up_to_gb_seconds: null)");
    }
    let mut previous_bound = 0.0;
    for tier in bounded {
        match tier.up_to_gb_seconds {
            Some(bound) if bound.is_finite() && bound > previous_bound => previous_bound = bound,
            _ => return invalid("tier bounds must be finite and strictly increasing from 0"),
        }
    }
    for tier in tiers {
        check_price(
            "price per GB-second",
            tier.usd_per_gb_second,
            MAX_USD_PER_GB_SECOND,
        )?;
    }
    Ok(())
}

impl PriceTable {
    /// Builds a price table from its parts.
    ///
    /// # Errors
    /// [`CostError::PriceOutOfRange`] when a price or free-tier allowance is negative, NaN,
    /// infinite or above its bound; [`CostError::TiersInvalid`] when an architecture has no tiers,
    /// bounds that are not finite and strictly increasing, or a bounded last tier.
    pub fn new(
        as_of: String,
        source: String,
        usd_per_million_requests: f64,
        x86_tiers: Vec<GbSecondTier>,
        arm_tiers: Vec<GbSecondTier>,
        free_requests_per_month: f64,
        free_gb_seconds_per_month: f64,
    ) -> Result<Self, CostError> {
        check_price(
            "price per million requests",
            usd_per_million_requests,
            MAX_USD_PER_MILLION_REQUESTS,
        )?;
        check_tiers(Arch::X86, &x86_tiers)?;
        check_tiers(Arch::Arm, &arm_tiers)?;
        check_price(
            "free requests per month",
            free_requests_per_month,
            MAX_FREE_ALLOWANCE,
        )?;
        check_price(
            "free GB-seconds per month",
            free_gb_seconds_per_month,
            MAX_FREE_ALLOWANCE,
        )?;
        Ok(Self {
            as_of,
            source,
            usd_per_million_requests,
            x86_tiers,
            arm_tiers,
            free_requests_per_month,
            free_gb_seconds_per_month,
        })
    }

    /// AWS Lambda on-demand prices in us-east-1 as published in January 2026.
    ///
    /// # Formula
    /// ```text
    /// requests:  $0.20 per 1,000,000 requests (both architectures)
    /// duration, per GB-second, tiers on the month's aggregate GB-seconds per architecture:
    ///   x86:  first 6 billion   $0.0000166667 | next 9 billion     $0.000015   | over 15 billion    $0.0000133334
    ///   Arm:  first 7.5 billion $0.0000133334 | next 11.25 billion $0.0000120001 | over 18.75 billion $0.0000106667
    /// free tier, per month: 1,000,000 requests and 400,000 GB-seconds
    /// Source: AWS Lambda pricing, https://aws.amazon.com/lambda/pricing/, US East (N. Virginia);
    /// tiers as announced in "Introducing tiered pricing for AWS Lambda" (AWS Compute Blog, 2022):
    /// 10% off the 2nd tier, 20% off the 3rd.
    /// ```
    ///
    /// # Examples
    /// ```
    /// use headroom::cost::{Arch, PriceTable};
    /// let prices = PriceTable::aws_lambda_2026();
    /// assert_eq!(prices.as_of(), "2026-01");
    /// assert_eq!(prices.usd_per_million_requests(), 0.20);
    /// assert_eq!(prices.tiers(Arch::X86)[0].usd_per_gb_second, 0.0000166667);
    /// ```
    pub fn aws_lambda_2026() -> Self {
        let tier = |up_to_gb_seconds, usd_per_gb_second| GbSecondTier {
            up_to_gb_seconds,
            usd_per_gb_second,
        };
        Self {
            as_of: "2026-01".to_owned(),
            source: "AWS Lambda public pricing page (https://aws.amazon.com/lambda/pricing/), \
                     US East (N. Virginia) us-east-1, on-demand requests and duration"
                .to_owned(),
            usd_per_million_requests: 0.20,
            x86_tiers: vec![
                tier(Some(6e9), 0.000_016_666_7),
                tier(Some(15e9), 0.000_015),
                tier(None, 0.000_013_333_4),
            ],
            arm_tiers: vec![
                tier(Some(7.5e9), 0.000_013_333_4),
                tier(Some(18.75e9), 0.000_012_000_1),
                tier(None, 0.000_010_666_7),
            ],
            free_requests_per_month: 1e6,
            free_gb_seconds_per_month: 400_000.0,
        }
    }

    /// Replaces the price per million requests (both architectures), and notes the override in
    /// [`PriceTable::source`].
    ///
    /// # Errors
    /// [`CostError::PriceOutOfRange`] unless `usd` is finite and in
    /// `[0, MAX_USD_PER_MILLION_REQUESTS]`.
    pub fn with_usd_per_million_requests(mut self, usd: f64) -> Result<Self, CostError> {
        self.usd_per_million_requests = check_price(
            "price per million requests",
            usd,
            MAX_USD_PER_MILLION_REQUESTS,
        )?;
        self.source.push_str(&format!(
            "; overridden by the user: ${usd} per million requests"
        ));
        Ok(self)
    }

    /// Replaces the first-tier price per GB-second of one architecture and scales its later
    /// tiers by the same ratio, so the published volume discounts (10% and 20% off the first
    /// tier) carry over to the user's price. The tier bounds are unchanged.
    ///
    /// # Formula
    /// ```text
    /// p'_i = p_i × (p'_1 / p_1)      for every tier i of the architecture
    /// p_i  = published price of tier i, p'_1 = the user's first-tier price
    /// if p_1 = 0 (an earlier override to 0), every tier is set to p'_1 (flat)
    /// ```
    ///
    /// # Errors
    /// [`CostError::PriceOutOfRange`] unless `usd` is finite and in `[0, MAX_USD_PER_GB_SECOND]`.
    pub fn with_first_tier_usd_per_gb_second(
        mut self,
        arch: Arch,
        usd: f64,
    ) -> Result<Self, CostError> {
        check_price("price per GB-second", usd, MAX_USD_PER_GB_SECOND)?;
        let tiers = match arch {
            Arch::X86 => &mut self.x86_tiers,
            Arch::Arm => &mut self.arm_tiers,
        };
        let first = tiers.first().map_or(0.0, |tier| tier.usd_per_gb_second);
        for tier in tiers.iter_mut() {
            tier.usd_per_gb_second = if first > 0.0 {
                // Clamped because a custom table may price a later tier above its first.
                (tier.usd_per_gb_second * (usd / first)).min(MAX_USD_PER_GB_SECOND)
            } else {
                usd
            };
        }
        self.source.push_str(&format!(
            "; overridden by the user: {} first-tier ${usd} per GB-second, later tiers scaled by the same ratio",
            arch.key()
        ));
        Ok(self)
    }

    /// When the prices were read, `YYYY-MM`.
    pub fn as_of(&self) -> &str {
        &self.as_of
    }

    /// Where the prices come from (and any user overrides).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Price of one million requests, USD.
    pub fn usd_per_million_requests(&self) -> f64 {
        self.usd_per_million_requests
    }

    /// The duration price tiers of one architecture, in ascending order; the last is unbounded.
    pub fn tiers(&self, arch: Arch) -> &[GbSecondTier] {
        match arch {
            Arch::X86 => &self.x86_tiers,
            Arch::Arm => &self.arm_tiers,
        }
    }

    /// Requests per month the free tier covers.
    pub fn free_requests_per_month(&self) -> f64 {
        self.free_requests_per_month
    }

    /// GB-seconds per month the free tier covers.
    pub fn free_gb_seconds_per_month(&self) -> f64 {
        self.free_gb_seconds_per_month
    }

    /// Splits a month's billable GB-seconds over the tiers of `arch` and prices each part; tiers
    /// the usage does not reach are left out.
    ///
    /// # Formula
    /// ```text
    /// g_i = min(max(G − L_i, 0), U_i − L_i)     GB-seconds charged in tier i
    /// C   = Σ_i g_i × p_i                       compute charge, USD
    /// G   = billable GB-seconds in the month (after the free tier)
    /// L_i = lower bound of tier i (the previous tier's upper bound; 0 for the first)
    /// U_i = upper bound of tier i (∞ for the last), p_i = its price per GB-second
    /// Source: AWS Lambda pricing page, tiers apply to the month's aggregate duration.
    /// ```
    pub(crate) fn tier_charges(&self, arch: Arch, billable_gb_seconds: f64) -> Vec<TierCharge> {
        let mut charges = Vec::new();
        let mut lower = 0.0;
        for tier in self.tiers(arch) {
            // Each tier's share is a clamp of (G − L_i), which rounds monotonically in G, so the
            // total is exactly non-decreasing in the usage even in floating point.
            let above_lower = (billable_gb_seconds - lower).max(0.0);
            let gb_seconds = match tier.up_to_gb_seconds {
                Some(upper) => above_lower.min(upper - lower),
                None => above_lower,
            };
            if gb_seconds > 0.0 {
                charges.push(TierCharge {
                    from_gb_seconds: lower,
                    up_to_gb_seconds: tier.up_to_gb_seconds,
                    gb_seconds,
                    usd_per_gb_second: tier.usd_per_gb_second,
                    usd: gb_seconds * tier.usd_per_gb_second,
                });
            }
            match tier.up_to_gb_seconds {
                Some(upper) => lower = upper,
                None => break,
            }
        }
        charges
    }

    /// Price of the next GB-second once `billable_gb_seconds` have been used this month (the
    /// price of the tier that contains it; at a bound, the tier below).
    pub(crate) fn marginal_usd_per_gb_second(&self, arch: Arch, billable_gb_seconds: f64) -> f64 {
        self.tiers(arch)
            .iter()
            .find(|tier| {
                tier.up_to_gb_seconds
                    .is_none_or(|upper| billable_gb_seconds <= upper)
            })
            .map_or(0.0, |tier| tier.usd_per_gb_second)
    }
}
