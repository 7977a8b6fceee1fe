//! Where serverless and instances cost the same, and the curves a chart draws around that point.

use serde::{Deserialize, Serialize};

use super::{
    CostError, InstanceFleet, MAX_REQUESTS_PER_MONTH, PriceTable, ServerlessWorkload,
    instances_monthly_cost, serverless_cost_at,
};

/// Most samples a [`cost_curve`] may ask for; a chart needs a few hundred at most.
pub const MAX_CURVE_POINTS: usize = 10_000;

/// Lambda memory sizes a [`memory_curve`] samples, MB: powers of two, the common 1536 and 3008
/// (the old maximum), and Lambda's current maximum, 10,240.
pub const STANDARD_MEMORY_SIZES_MB: [f64; 11] = [
    128.0, 256.0, 512.0, 1024.0, 1536.0, 2048.0, 3008.0, 4096.0, 6144.0, 8192.0, 10_240.0,
];

/// Why there is no crossover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoCrossoverReason {
    /// The fleet costs nothing (no instances, or a zero hourly price): serverless can at best tie
    /// with it, so instances are never the dearer option.
    InstancesCostNothing,
    /// Serverless stays below the instance bill at every request volume: its prices were
    /// overridden to zero, or the crossing lies beyond any representable volume.
    ServerlessAlwaysCheaper,
}

/// The request volume at which a serverless workload costs as much as an instance fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Crossover {
    /// Requests per month at which both bills are equal; below it serverless is cheaper, above
    /// it instances are. `None` when the bills never cross (see `reason`).
    pub requests_per_month: Option<f64>,
    /// The same volume as an average rate over the fleet's billed hours:
    /// `requests_per_month / seconds_per_month`.
    pub requests_per_second: Option<f64>,
    /// Seconds in the fleet's billed month (`hours_per_month × 3600`), the divisor of
    /// `requests_per_second`: 2,592,000 for the chapter's 720 h.
    pub seconds_per_month: f64,
    /// The instance bill both sides equal at the crossover, USD per month.
    pub instances_usd: f64,
    /// Why `requests_per_month` is `None`; `None` when there is a crossover.
    pub reason: Option<NoCrossoverReason>,
}

/// Requests per month at which the workload's serverless bill equals the fleet's bill, solved
/// exactly. Only the workload's shape (duration, memory, architecture, free tier) matters, not
/// its own request volume.
///
/// The serverless bill is continuous, non-decreasing and piecewise linear in the request volume;
/// its slope changes only where the free-tier allowances run out and where billable GB-seconds
/// cross a tier bound. The solver walks those segments in order and solves the linear equation on
/// the first segment whose end reaches the instance bill, so the result is the smallest volume at
/// which serverless stops being cheaper.
///
/// The per-second rate divides by the fleet's billed hours (`hours × 3600` s): the volume is
/// spread over the same month the fleet is paid for, e.g. 720 h = 2,592,000 s in the chapter.
///
/// # Formula
/// ```text
/// S(R) = P_R/10^6 × R_b(R) + T(G_b(R))        serverless bill (see serverless_monthly_cost)
/// I    = n × p × h                            instance bill
/// breakpoints: F_R, F_G / g, (F_G + U_i) / g  (free tier on); U_i / g (free tier off)
/// on the segment [b_k, b_k+1] that holds the crossing, S is linear with slope
///   s_k = P_R/10^6 × [R > F_R] + g × p(G_b) × [G_b > 0]
///   R*  = b_k + (I − S(b_k)) / s_k
/// R* / (h × 3600)                             requests per second
/// g = GB-seconds per request, U_i = bound of duration tier i, p(G_b) = price of the tier that
/// holds G_b, F_R / F_G = free requests / GB-seconds, [·] = 1 if true else 0.
/// No-free-tier chapter example: 89.856 / (0.2e-6 + 0.05 × 0.0000166667) = 86,957,279 requests.
/// ```
///
/// # Examples
/// ```
/// use headroom::cost::{crossover_requests_per_month, Arch, InstanceFleet, PriceTable, ServerlessWorkload};
/// let lambda = ServerlessWorkload::new(1e6, 200.0, 256.0, Arch::X86, true)?;
/// let fleet = InstanceFleet::new(3.0, 0.0416, 720.0)?;
/// let crossover = crossover_requests_per_month(&lambda, &fleet, &PriceTable::aws_lambda_2026());
/// // With the free tier: (89.856 + 0.2 + 6.66668) / 1.033335e-6 = 93,602,442.6 requests.
/// assert!((crossover.requests_per_month.unwrap_or_default() - 93_602_442.58).abs() < 0.01);
/// # Ok::<(), headroom::cost::CostError>(())
/// ```
pub fn crossover_requests_per_month(
    workload: &ServerlessWorkload,
    fleet: &InstanceFleet,
    prices: &PriceTable,
) -> Crossover {
    let instances_usd = instances_monthly_cost(fleet);
    let seconds_per_month = fleet.hours_per_month() * 3600.0;
    let none = |reason| Crossover {
        requests_per_month: None,
        requests_per_second: None,
        seconds_per_month,
        instances_usd,
        reason: Some(reason),
    };
    if instances_usd <= 0.0 {
        return none(NoCrossoverReason::InstancesCostNothing);
    }
    match solve_crossover(workload, prices, instances_usd) {
        Some(requests) => Crossover {
            requests_per_month: Some(requests),
            requests_per_second: Some(requests / seconds_per_month),
            seconds_per_month,
            instances_usd,
            reason: None,
        },
        None => none(NoCrossoverReason::ServerlessAlwaysCheaper),
    }
}

/// Smallest request volume at which the serverless bill reaches `target_usd` (> 0).
fn solve_crossover(
    workload: &ServerlessWorkload,
    prices: &PriceTable,
    target_usd: f64,
) -> Option<f64> {
    let per_request = workload.gb_seconds_per_request();
    let free = workload.free_tier();
    let free_gb_seconds = if free {
        prices.free_gb_seconds_per_month()
    } else {
        0.0
    };

    let mut breakpoints = vec![0.0];
    if free {
        breakpoints.push(prices.free_requests_per_month());
        breakpoints.push(free_gb_seconds / per_request);
    }
    breakpoints.extend(
        prices
            .tiers(workload.arch())
            .iter()
            .filter_map(|tier| tier.up_to_gb_seconds)
            .map(|bound| (free_gb_seconds + bound) / per_request),
    );
    breakpoints.retain(|point| point.is_finite() && *point >= 0.0);
    breakpoints.sort_by(f64::total_cmp);
    breakpoints.dedup();

    let total_at = |requests: f64| serverless_cost_at(workload, prices, requests).total_usd;
    // The slope of the bill inside a segment, from the prices in force at an interior point.
    let slope_at = |requests: f64| {
        let cost = serverless_cost_at(workload, prices, requests);
        let request_slope = if cost.billable_requests > 0.0 {
            prices.usd_per_million_requests() / super::PRICED_REQUESTS
        } else {
            0.0
        };
        let compute_slope = if cost.billable_gb_seconds > 0.0 {
            per_request
                * prices.marginal_usd_per_gb_second(workload.arch(), cost.billable_gb_seconds)
        } else {
            0.0
        };
        request_slope + compute_slope
    };

    for (index, &start) in breakpoints.iter().enumerate() {
        let end = breakpoints.get(index + 1).copied();
        if let Some(end) = end
            && total_at(end) < target_usd
        {
            continue;
        }
        let interior = match end {
            Some(end) => start + (end - start) / 2.0,
            None => start * 2.0 + 1.0,
        };
        let slope = slope_at(interior);
        if slope <= 0.0 {
            // Only reachable on the last segment, with every price overridden to zero.
            return None;
        }
        let requests = start + (target_usd - total_at(start)) / slope;
        let requests = match end {
            Some(end) => requests.clamp(start, end),
            None => requests.max(start),
        };
        return requests.is_finite().then_some(requests);
    }
    None
}

/// One sample of the two monthly bills at a request volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostPoint {
    /// Requests per month.
    pub requests_per_month: f64,
    /// Serverless bill at this volume, USD per month.
    pub serverless_usd: f64,
    /// Instance bill (flat in the volume), USD per month.
    pub instances_usd: f64,
}

/// Samples both monthly bills over `[from_requests, to_requests]` for a chart with a log x axis:
/// `points` volumes spaced evenly in log scale, both ends exact, plus the exact crossover volume
/// (inserted in order, so `points + 1` samples) when it falls strictly inside the range. Volumes
/// are strictly increasing; a range too narrow to hold `points` distinct numbers gives fewer.
///
/// # Formula
/// ```text
/// R_i = a × (b / a)^(i / (N − 1)),  i = 0 … N − 1   (R_0 = a and R_N−1 = b exactly)
/// a = from_requests, b = to_requests, N = points
/// ```
///
/// # Errors
/// [`CostError::CurveRangeInvalid`] unless `0 < from_requests < to_requests <=
/// MAX_REQUESTS_PER_MONTH`; [`CostError::CurvePointsOutOfRange`] unless `points` is in
/// `[2, MAX_CURVE_POINTS]`.
///
/// # Examples
/// ```
/// use headroom::cost::{cost_curve, Arch, InstanceFleet, PriceTable, ServerlessWorkload};
/// let lambda = ServerlessWorkload::new(1e6, 200.0, 256.0, Arch::X86, false)?;
/// let fleet = InstanceFleet::new(3.0, 0.0416, 720.0)?;
/// let curve = cost_curve(&lambda, &fleet, &PriceTable::aws_lambda_2026(), 1e5, 1e9, 5)?;
/// assert_eq!(curve.len(), 6); // 1e5, 1e6, 1e7, the crossover (~87M), 1e8, 1e9
/// # Ok::<(), headroom::cost::CostError>(())
/// ```
pub fn cost_curve(
    workload: &ServerlessWorkload,
    fleet: &InstanceFleet,
    prices: &PriceTable,
    from_requests: f64,
    to_requests: f64,
    points: usize,
) -> Result<Vec<CostPoint>, CostError> {
    let range_ok =
        from_requests > 0.0 && from_requests < to_requests && to_requests <= MAX_REQUESTS_PER_MONTH;
    if !range_ok {
        return Err(CostError::CurveRangeInvalid {
            from: from_requests,
            to: to_requests,
        });
    }
    if !(2..=MAX_CURVE_POINTS).contains(&points) {
        return Err(CostError::CurvePointsOutOfRange { value: points });
    }
    let instances_usd = instances_monthly_cost(fleet);
    let sample = |requests_per_month: f64| CostPoint {
        requests_per_month,
        serverless_usd: serverless_cost_at(workload, prices, requests_per_month).total_usd,
        instances_usd,
    };
    let last = (points - 1) as f64;
    let ratio = to_requests / from_requests;
    let mut volumes: Vec<f64> = (0..points)
        .map(|index| match index {
            0 => from_requests,
            _ if index == points - 1 => to_requests,
            _ => (from_requests * crate::math::pow(ratio, index as f64 / last))
                .clamp(from_requests, to_requests),
        })
        .collect();
    // A range too narrow for `points` distinct f64 volumes would repeat some; keep the x values
    // strictly increasing for the chart.
    volumes.dedup_by(|later, kept| *later <= *kept);
    let mut curve: Vec<CostPoint> = volumes.into_iter().map(sample).collect();

    let crossover = crossover_requests_per_month(workload, fleet, prices).requests_per_month;
    if let Some(crossing) = crossover.filter(|r| *r > from_requests && *r < to_requests) {
        let position = curve.partition_point(|point| point.requests_per_month < crossing);
        let already_sampled = curve
            .get(position)
            .is_some_and(|point| point.requests_per_month == crossing);
        if !already_sampled {
            curve.insert(position, sample(crossing));
        }
    }
    Ok(curve)
}

/// The serverless bill at one memory size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryCostPoint {
    /// Memory allocated to the function, MB.
    pub memory_mb: f64,
    /// Serverless bill with this memory, USD per month.
    pub serverless_usd: f64,
}

/// The workload's serverless bill at each of [`STANDARD_MEMORY_SIZES_MB`], everything else
/// unchanged.
///
/// Duration is held fixed, so the curve shows price per memory size only; in practice Lambda
/// gives CPU in proportion to memory, and a CPU-bound function often runs faster with more, which
/// this curve does not model.
///
/// # Formula
/// ```text
/// S(m) = serverless_monthly_cost of the workload with memory m, m in STANDARD_MEMORY_SIZES_MB
/// ```
///
/// # Examples
/// ```
/// use headroom::cost::{memory_curve, Arch, PriceTable, ServerlessWorkload};
/// let lambda = ServerlessWorkload::new(1e6, 200.0, 256.0, Arch::X86, false)?;
/// let curve = memory_curve(&lambda, &PriceTable::aws_lambda_2026());
/// assert_eq!(curve.len(), 11);
/// assert!(curve.windows(2).all(|pair| pair[0].serverless_usd <= pair[1].serverless_usd));
/// # Ok::<(), headroom::cost::CostError>(())
/// ```
pub fn memory_curve(workload: &ServerlessWorkload, prices: &PriceTable) -> Vec<MemoryCostPoint> {
    STANDARD_MEMORY_SIZES_MB
        .iter()
        .filter_map(|&memory_mb| workload.with_memory_mb(memory_mb).ok())
        .map(|sized| MemoryCostPoint {
            memory_mb: sized.memory_mb(),
            serverless_usd: serverless_cost_at(&sized, prices, sized.requests_per_month())
                .total_usd,
        })
        .collect()
}
