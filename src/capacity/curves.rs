//! The capacity page's charts: a day of traffic at the web tier, nodes per tier as daily users
//! grow, and storage accumulated over the retention period.

use crate::autoscale::{Traffic, demand_series};
use crate::curve::Curve;

use super::{
    CapacityInput, CapacityReport, GROWTH_MULTIPLIERS, GrowthPoint, NodeCount, growth_curve,
};

/// Points of the day chart per hour: every 15 minutes.
const DAY_POINTS_PER_HOUR: u32 = 4;

/// Most years of the storage chart.
const MAX_STORAGE_YEARS: f64 = 100.0;

/// A day of traffic at the web tier, every 15 minutes from 0:00 to 24:00 (x in hours), against
/// its average, its peak and the web tier's planned capacity.
///
/// # Formula
/// ```text
/// traffic(h)  = the diurnal curve of `Traffic::Diurnal { mean_rps: m, peak_factor: p }` at
///               h × 3,600 s (it averages m over the day, is lowest at 04:00 and peaks at
///               p × m at 20:00)
/// average     = m = read QPS + write QPS
/// peak        = peak web RPS (peak reads + peak writes)
/// capacity    = web servers × requests/s per server × target utilization
/// ```
/// Source: the chapter's section 10 (peak factor over the average second); the curve's shape is
/// documented at [`Traffic::rate_at`].
pub fn day_of_traffic(
    capacity: &CapacityReport,
    peak_factor: f64,
    web_rps_per_node: f64,
    target_utilization: f64,
) -> Vec<Curve> {
    let mean = capacity.read_qps + capacity.write_qps;
    let day = Traffic::Diurnal {
        mean_rps: mean,
        peak_factor,
    };
    let web_capacity = capacity.web_servers.to_f64() * web_rps_per_node * target_utilization;
    let hours = |f: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
        (0..=24 * DAY_POINTS_PER_HOUR)
            .map(|i| f64::from(i) / f64::from(DAY_POINTS_PER_HOUR))
            .map(|h| (h, f(h)))
            .collect()
    };
    // The simulator's own sampling (its shape's constants derived once), 0:00 to 24:00
    // inclusive; a peak factor the field accepts but the pattern refuses draws no traffic line.
    let step_s = 3_600 / DAY_POINTS_PER_HOUR;
    let samples =
        demand_series(&day, u64::from(86_400 + step_s), step_s, 0.0, 0).unwrap_or_default();
    let traffic = samples
        .iter()
        .enumerate()
        .map(|(i, &rps)| (i as f64 / f64::from(DAY_POINTS_PER_HOUR), rps))
        .collect();
    vec![
        Curve::new("traffic", traffic),
        Curve::new("average", hours(&|_| mean)),
        Curve::new("peak", hours(&|_| capacity.peak_web_rps)),
        Curve::new("web tier capacity", hours(&|_| web_capacity)),
    ]
}

/// Nodes per tier as daily users grow by [`GROWTH_MULTIPLIERS`] (x: the multiplier); a tier past
/// the node counter's limit has no point there rather than a capped one.
///
/// # Formula
/// Each point is [`growth_curve`]: the capacity arithmetic rerun with daily users × the
/// multiplier.
pub fn nodes_as_users_grow(input: &CapacityInput) -> Vec<Curve> {
    let curve = growth_curve(input, &GROWTH_MULTIPLIERS);
    let tier = |name: &str, nodes: fn(&GrowthPoint) -> NodeCount| {
        Curve::new(
            name,
            curve
                .iter()
                .map(|g| (g.multiplier, nodes(g).to_f64()))
                .filter(|(_, y)| y.is_finite())
                .collect(),
        )
    };
    vec![
        tier("web servers", |g| g.web_servers),
        tier("cache nodes", |g| g.cache_nodes),
        tier("database nodes", |g| g.db_nodes),
    ]
}

/// Bytes stored at the end of each year of the retention period: one value per year, from
/// year 1 to ⌈years⌉ (at least 1, at most 100).
///
/// # Formula
/// ```text
/// stored(y) = bytes per year × min(y, retention years)      y = 1, 2, … ⌈retention years⌉
/// ```
/// A retention of 2.5 years fills 2.5 years' worth by the end of year 3.
pub fn stored_by_year(bytes_per_year: f64, retention_years: f64) -> Vec<f64> {
    let whole = retention_years.ceil().clamp(1.0, MAX_STORAGE_YEARS) as u32;
    (1..=whole)
        .map(|y| bytes_per_year * f64::from(y).min(retention_years.max(0.0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::calculate;
    use crate::testutil::assert_rel;

    /// The chapter's example: 100M daily users, 0.5 writes and 10 reads each, peak factor 10,
    /// 10,000 req/s per web server, full utilization.
    fn chapter() -> CapacityInput {
        crate::scenario::Scenario::chapter()
            .capacity_input()
            .unwrap()
    }

    #[test]
    fn the_day_averages_the_daily_rate_and_peaks_at_the_peak_factor_at_20h() {
        let report = calculate(&chapter());
        let curves = day_of_traffic(&report, 10.0, 10_000.0, 1.0);
        let names: Vec<_> = curves.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["traffic", "average", "peak", "web tier capacity"]);
        // 0:00, 0:15, … 24:00.
        assert!(curves.iter().all(|c| c.points.len() == 97));
        assert_eq!(curves[0].points[1].0, 0.25);
        assert_eq!(curves[0].points[96].0, 24.0);
        // 100M × 10.5 / 86,400 s = 12,152.78 req/s on average, × 10 at 20:00.
        let mean = 100e6 * 10.5 / 86_400.0;
        assert_rel(curves[1].points[0].1, mean, 1e-12);
        assert_rel(curves[0].points[80].1, 10.0 * mean, 1e-9);
        assert_rel(curves[2].points[50].1, 10.0 * mean, 1e-9);
        // 13 web servers × 10,000 req/s × 1.
        assert_rel(curves[3].points[0].1, 130_000.0, 1e-12);
        // Half the utilization, half the capacity.
        let half = day_of_traffic(&report, 10.0, 10_000.0, 0.5);
        assert_rel(half[3].points[0].1, 65_000.0, 1e-12);
    }

    #[test]
    fn nodes_grow_with_users_from_todays_count() {
        let curves = nodes_as_users_grow(&chapter());
        let names: Vec<_> = curves.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["web servers", "cache nodes", "database nodes"]);
        let xs: Vec<_> = curves[0].points.iter().map(|p| p.0).collect();
        assert_eq!(xs, GROWTH_MULTIPLIERS);
        // 1×: the chapter's 13 web servers (reads + writes), 2 cache and 2 database nodes.
        assert_eq!(curves[0].points[0].1, 13.0);
        assert_eq!(curves[1].points[0].1, 2.0);
        assert_eq!(curves[2].points[0].1, 2.0);
        // 100×: ⌈12,152,778 / 10,000⌉ = 1,216 web servers; ⌈11,574,074 / 100,000⌉ = 116 cache
        // nodes; misses 10% of reads + all writes = 1,157,407 + 578,704 = 1,736,111 q/s over
        // 10,000 per node = 174 database nodes.
        assert_eq!(curves[0].points[6].1, 1_216.0);
        assert_eq!(curves[1].points[6].1, 116.0);
        assert_eq!(curves[2].points[6].1, 174.0);
    }

    #[test]
    fn storage_fills_year_by_year_up_to_the_retention() {
        // 50M writes a day × 500 B × 365 days = 9.125 TB a year.
        let per_year = 9.125e12;
        assert_eq!(stored_by_year(per_year, 1.0), [per_year]);
        assert_eq!(
            stored_by_year(per_year, 2.5),
            [per_year, 2.0 * per_year, 2.5 * per_year]
        );
        // No retention: one year holding nothing; past a century the chart stops at 100.
        assert_eq!(stored_by_year(per_year, 0.0), [0.0]);
        assert_eq!(stored_by_year(per_year, 1e6).len(), 100);
    }
}
