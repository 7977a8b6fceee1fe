//! Sampling a scenario whose fields hold ranges: the headline figures' percentiles, the plan at
//! the chosen percentile, and the tornado of the ranges that drive the spread.
//!
//! # Method
//! Plain Monte Carlo. Sample i draws, for each range in field order, u from the open interval
//! (0, 1) with PCG-64 seeded with `mc_seed` (the simulators' generator, `loadbalance::sampling`),
//! and sets the field to the range's quantile at u ([`super::Spread::quantile`]); every other field
//! keeps its value. Each sample computes only the numbers ([`FIGURES`]): no traces, no text.
//! The percentile q of n samples is the nearest-rank one, the ⌈q n⌉-th smallest (Hyndman and
//! Fan, "Sample Quantiles in Statistical Packages", The American Statistician 50(4), 1996,
//! definition 1). Integer arithmetic for the draws and IEEE-754's exactly rounded + − × ÷ √ for
//! the figures give the same result on the server and in the browser.

use serde::{Deserialize, Serialize};

use crate::availability::{self, Period};
use crate::capacity;
use crate::cost;
use crate::report::Entries;
use crate::scenario::{PlanAt, Scenario};

/// The figures sampled, by their path in the report (as the keys of `explain`).
pub const FIGURES: [&str; 15] = [
    "capacity.write_qps",
    "capacity.read_qps",
    "capacity.peak_web_rps",
    "capacity.peak_db_qps",
    "capacity.web_servers",
    "capacity.cache_nodes",
    "capacity.db_nodes",
    "capacity.queue_partitions",
    "capacity.storage_bytes_total",
    "capacity.peak_egress_bytes_per_second",
    "fleet_cost.usd_per_month",
    "cost.serverless_usd_per_month",
    "cost.instances_usd_per_month",
    "availability.error_budget.consumed_fraction",
    "availability.burn_rate",
];

/// Indices into [`FIGURES`] of the servers per tier, read at `plan_at`.
const WEB: usize = 4;
const CACHE: usize = 5;
const DB: usize = 6;
/// Index of the monthly fleet bill, the tornado's second figure.
const FLEET_USD: usize = 10;

/// A figure's spread over the samples. `None` where some samples have no number (a tier that
/// needs more nodes than can be counted, a target with no error budget).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Band {
    /// 10th percentile.
    pub p10: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
    /// Mean.
    pub mean: Option<f64>,
}

/// The plan read at the chosen percentile, and how it was sampled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SampledPlan {
    /// Samples drawn.
    pub samples: u32,
    /// The seed of the draws.
    pub seed: u64,
    /// The percentile servers per tier are read at.
    pub plan_at: PlanAt,
    /// Web servers at that percentile.
    pub web_servers: Option<f64>,
    /// Cache nodes at that percentile.
    pub cache_nodes: Option<f64>,
    /// Database nodes at that percentile.
    pub db_nodes: Option<f64>,
    /// The ranges drawn from, by field.
    pub ranges: Entries<super::Spread>,
}

/// One range's pull on one figure: the figure with that range alone at its own P10 and at its
/// P90, every other field at its middle (one bar of a tornado chart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Driver {
    /// The figure's path in the report.
    pub figure: String,
    /// The field whose range moves it.
    pub field: String,
    /// The figure with the field at its range's P10.
    pub at_p10: Option<f64>,
    /// The figure with the field at its range's P90.
    pub at_p90: Option<f64>,
    /// |at_p90 − at_p10|: what the tornado sorts by.
    pub swing: Option<f64>,
}

/// What sampling gives: the report's `uncertainty`, `uncertainty_plan` and
/// `uncertainty_drivers`.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// Each figure's band, by path.
    pub bands: Entries<Band>,
    /// The plan at the chosen percentile.
    pub plan: SampledPlan,
    /// The tornado: for web servers, then the monthly fleet bill, each range's pull, the largest
    /// swing first.
    pub drivers: Vec<Driver>,
}

/// The figures of one scenario, in [`FIGURES`] order; NaN where a figure has no number.
pub(crate) fn figures(s: &Scenario, prices: &cost::PriceTable) -> [f64; FIGURES.len()] {
    let mut out = [f64::NAN; FIGURES.len()];
    if let Ok(input) = s.capacity_input() {
        let c = capacity::calculate(&input);
        let count = |n: capacity::NodeCount| n.get().map_or(f64::NAN, |n| n as f64);
        out[..10].copy_from_slice(&[
            c.write_qps,
            c.read_qps,
            c.peak_web_rps,
            c.peak_db_qps,
            count(c.web_servers),
            count(c.cache_nodes),
            count(c.db_nodes),
            count(c.queue_partitions),
            c.storage_bytes_total,
            c.peak_egress_bytes_per_second,
        ]);
        if let Ok(Some(usd)) = cost::plan::monthly_usd(&input, &c, &s.fleet_choice()) {
            out[FLEET_USD] = usd;
        }
    }
    if let Ok(workload) = s.serverless_workload() {
        out[11] = cost::serverless_monthly_cost(&workload, prices).total_usd;
    }
    if let Ok(fleet) = s.instance_fleet() {
        out[12] = cost::instances_monthly_cost(&fleet);
    }
    let convention = s.convention();
    if let Ok(budget) = availability::error_budget(s.slo(), Period::Month, &convention, s.outage())
    {
        out[13] = budget.consumed_fraction;
    }
    if let Ok(burn) = availability::burn_rate(s.err_rate(), s.slo()) {
        out[14] = burn;
    }
    out
}

/// The nearest-rank percentile q of ascending `sorted` (no NaN): the ⌈q n⌉-th smallest.
pub(crate) fn percentile(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Samples `s`'s ranges; `None` when no field is a range.
///
/// Work: `mc_n` (at most 100,000) × the figures of one scenario, about 1 µs each natively, plus
/// two scenarios per range for the tornado.
pub fn sample(s: &Scenario) -> Option<Uncertainty> {
    let ranges: Vec<(&'static str, super::Spread)> =
        s.ranges().iter().map(|(k, r)| (k, *r)).collect();
    if ranges.is_empty() {
        return None;
    }
    let prices = s.price_table().ok()?;
    let n = s.mc_n() as usize;
    let seed = s.mc_seed() as u64;
    let mut rng = crate::loadbalance::sampling::seeded_rng(seed);
    let mut draw = s.clone();
    let mut columns: Vec<Vec<f64>> = (0..FIGURES.len()).map(|_| Vec::with_capacity(n)).collect();
    for _ in 0..n {
        for (key, spread) in &ranges {
            let u = crate::loadbalance::sampling::uniform_open01(&mut rng);
            // Every key here is a plain number field of the table: this cannot fail.
            let _ = draw.set_number(key, spread.quantile(u));
        }
        for (column, value) in columns.iter_mut().zip(figures(&draw, &prices)) {
            column.push(value);
        }
    }
    let mut bands = Entries::with_capacity(FIGURES.len());
    let mut plan_values = [None; FIGURES.len()];
    let plan_at = s.plan_at();
    for (i, (path, mut column)) in FIGURES.iter().zip(columns).enumerate() {
        let band = if column.iter().all(|v| v.is_finite()) {
            column.sort_by(f64::total_cmp);
            // Summed from the smallest, so a range of zero width has its point as mean exactly.
            let least = column[0];
            let mean = least + column.iter().map(|v| v - least).sum::<f64>() / n as f64;
            plan_values[i] = Some(percentile(&column, plan_at.quantile()));
            Band {
                p10: Some(percentile(&column, 0.1)),
                p50: Some(percentile(&column, 0.5)),
                p90: Some(percentile(&column, 0.9)),
                mean: Some(mean),
            }
        } else {
            Band {
                p10: None,
                p50: None,
                p90: None,
                mean: None,
            }
        };
        bands.push(path, band);
    }
    let mut range_entries = Entries::with_capacity(ranges.len());
    for (key, spread) in &ranges {
        range_entries.push(key, *spread);
    }
    Some(Uncertainty {
        bands,
        plan: SampledPlan {
            samples: n as u32,
            seed,
            plan_at,
            web_servers: plan_values[WEB],
            cache_nodes: plan_values[CACHE],
            db_nodes: plan_values[DB],
            ranges: range_entries,
        },
        drivers: drivers(s, &ranges, &prices),
    })
}

/// The tornado: for web servers and the monthly fleet bill, each range alone at its P10 and P90.
fn drivers(
    s: &Scenario,
    ranges: &[(&'static str, super::Spread)],
    prices: &cost::PriceTable,
) -> Vec<Driver> {
    let finite = |v: f64| v.is_finite().then_some(v);
    let pulls: Vec<(&str, [f64; FIGURES.len()], [f64; FIGURES.len()])> = ranges
        .iter()
        .map(|(key, spread)| {
            let mut one = s.clone();
            let _ = one.set_number(key, spread.quantile(0.1));
            let low = figures(&one, prices);
            let _ = one.set_number(key, spread.quantile(0.9));
            (*key, low, figures(&one, prices))
        })
        .collect();
    let mut out = Vec::with_capacity(2 * ranges.len());
    for figure in [WEB, FLEET_USD] {
        let mut rows: Vec<Driver> = pulls
            .iter()
            .map(|(key, low, high)| {
                let (at_p10, at_p90) = (finite(low[figure]), finite(high[figure]));
                Driver {
                    figure: FIGURES[figure].to_string(),
                    field: (*key).to_string(),
                    at_p10,
                    at_p90,
                    swing: at_p10.zip(at_p90).map(|(a, b)| (b - a).abs()),
                }
            })
            .collect();
        // Largest swing first; a swing without a number last; ties in field order.
        rows.sort_by(|a, b| {
            b.swing
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.swing.unwrap_or(f64::NEG_INFINITY))
        });
        out.extend(rows);
    }
    out
}
