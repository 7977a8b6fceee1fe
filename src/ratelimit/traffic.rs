//! Seeded traffic for one client key.

use super::{MAX_REQUESTS, RateLimitError, check_range};
use crate::loadbalance::sampling::{exponential, seeded_rng, uniform_open01};
use serde::{Deserialize, Serialize};

/// The shape of the traffic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Pattern {
    /// Steady random traffic: a Poisson process (exponential gaps) at `rate_per_s`.
    Poisson {
        /// Mean requests per second (0..=10^6).
        rate_per_s: f64,
    },
    /// Poisson background traffic plus a burst of `burst_size` requests every `every_s`
    /// seconds, spread uniformly at random over `spread_s` seconds. The first burst starts at
    /// `every_s / 2`.
    Bursts {
        /// Mean background requests per second (0..=10^6).
        background_per_s: f64,
        /// Requests per burst (0..=10^6).
        burst_size: u64,
        /// Seconds between burst starts (10^-6..=10^7).
        every_s: f64,
        /// Seconds each burst is spread over (0..=every_s; 0 = all at the same instant).
        spread_s: f64,
    },
    /// The fixed window's worst case: `per_side` requests just before a window boundary and
    /// `per_side` just after, evenly spaced over the last and first 1% of the window (the ones
    /// after offset by half a spacing, so none sits exactly on the boundary), around
    /// every other boundary (W, 3W, 5W, …, so each episode meets fresh windows). With
    /// `per_side` = limit a fixed window admits 2 × limit in far less than one window length.
    /// The window is the limiter's `window_s`. Not random.
    WindowBoundary {
        /// Requests on each side of the boundary (1..=10^6).
        per_side: u64,
    },
}

/// The traffic and what to report about it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrafficConfig {
    /// The traffic's shape.
    pub pattern: Pattern,
    /// Length of the run, seconds (10^-6..=10^7).
    pub duration_s: f64,
    /// Seed of the random stream.
    pub seed: u64,
    /// The moment whose response headers are reported, seconds from the start.
    pub headers_at_s: f64,
    /// Number of time buckets for the admitted/rejected chart (1..=10,000).
    pub chart_buckets: u32,
}

impl Default for TrafficConfig {
    /// Poisson at 2.5 requests/s (150 a minute, 1.5 × the default limit of 100/min) for 10
    /// minutes, seed 42, headers at 315 s (15 s into a minute, not on a window boundary), 120 chart
    /// buckets (5 s each).
    fn default() -> Self {
        Self {
            pattern: Pattern::Poisson { rate_per_s: 2.5 },
            duration_s: 600.0,
            seed: 42,
            headers_at_s: 315.0,
            chart_buckets: 120,
        }
    }
}

impl TrafficConfig {
    /// Checks every setting (window-independent ones; see [`TrafficConfig::arrivals`]).
    ///
    /// # Errors
    ///
    /// [`RateLimitError::OutOfRange`] naming the first bad setting.
    pub fn validate(&self) -> Result<(), RateLimitError> {
        check_range(
            "duration_s",
            self.duration_s,
            1e-6,
            1e7,
            "between 10^-6 and 10^7 seconds",
        )?;
        check_range(
            "headers_at_s",
            self.headers_at_s,
            0.0,
            1e7,
            "between 0 and 10^7 seconds",
        )?;
        check_range(
            "chart_buckets",
            f64::from(self.chart_buckets),
            1.0,
            10_000.0,
            "1 to 10,000",
        )?;
        match self.pattern {
            Pattern::Poisson { rate_per_s } => {
                check_range("rate_per_s", rate_per_s, 0.0, 1e6, "0 to 10^6 per second")?;
            }
            Pattern::Bursts {
                background_per_s,
                burst_size,
                every_s,
                spread_s,
            } => {
                check_range(
                    "background_per_s",
                    background_per_s,
                    0.0,
                    1e6,
                    "0 to 10^6 per second",
                )?;
                check_range("burst_size", burst_size as f64, 0.0, 1e6, "0 to 1,000,000")?;
                check_range(
                    "every_s",
                    every_s,
                    1e-6,
                    1e7,
                    "between 10^-6 and 10^7 seconds",
                )?;
                // Bounds the burst loop even for empty bursts.
                check_range(
                    "every_s",
                    every_s,
                    self.duration_s / MAX_REQUESTS as f64,
                    1e7,
                    "at least duration_s / 1,000,000 (at most a million bursts)",
                )?;
                check_range(
                    "spread_s",
                    spread_s,
                    0.0,
                    every_s,
                    "between 0 and the burst period",
                )?;
            }
            Pattern::WindowBoundary { per_side } => {
                check_range("per_side", per_side as f64, 1.0, 1e6, "1 to 1,000,000")?;
            }
        }
        Ok(())
    }

    /// Expected number of requests, to refuse oversized runs before generating them.
    ///
    /// # Formula
    ///
    /// ```text
    /// Poisson:   λ D
    /// Bursts:    λ D + n ⌈D / P⌉                 n: burst size, P: period
    /// Boundary:  2 n ⌈D / (2W)⌉                  W: window
    /// D: duration_s
    /// ```
    pub fn expected_requests(&self, window_s: f64) -> f64 {
        let d = self.duration_s;
        match self.pattern {
            Pattern::Poisson { rate_per_s } => rate_per_s * d,
            Pattern::Bursts {
                background_per_s,
                burst_size,
                every_s,
                ..
            } => background_per_s * d + burst_size as f64 * (d / every_s).ceil(),
            Pattern::WindowBoundary { per_side } => {
                2.0 * per_side as f64 * (d / (2.0 * window_s)).ceil()
            }
        }
    }

    /// The arrival times, sorted, in `[0, duration_s)`; `window_s` places the boundaries of
    /// [`Pattern::WindowBoundary`].
    ///
    /// # Errors
    ///
    /// [`TrafficConfig::validate`]'s errors, [`RateLimitError::OutOfRange`] for a bad
    /// `window_s`, and [`RateLimitError::TooManyRequests`] above [`MAX_REQUESTS`].
    pub fn arrivals(&self, window_s: f64) -> Result<Vec<f64>, RateLimitError> {
        self.validate()?;
        check_range(
            "window_s",
            window_s,
            1e-6,
            1e7,
            "between 10^-6 and 10^7 seconds",
        )?;
        let expected = self.expected_requests(window_s);
        if expected.is_nan() || expected > MAX_REQUESTS as f64 {
            return Err(RateLimitError::TooManyRequests {
                requests: expected as u64,
                max: MAX_REQUESTS,
            });
        }
        let mut rng = seeded_rng(self.seed);
        let d = self.duration_s;
        let mut times = Vec::new();
        let poisson = |rate: f64, times: &mut Vec<f64>, rng: &mut _| {
            if rate > 0.0 {
                let mut t = exponential(rng, 1.0 / rate);
                while t < d && times.len() as u64 <= MAX_REQUESTS {
                    times.push(t);
                    t += exponential(rng, 1.0 / rate);
                }
            }
        };
        match self.pattern {
            Pattern::Poisson { rate_per_s } => poisson(rate_per_s, &mut times, &mut rng),
            Pattern::Bursts {
                background_per_s,
                burst_size,
                every_s,
                spread_s,
            } => {
                poisson(background_per_s, &mut times, &mut rng);
                // Burst k starts at (k + 1/2) × every_s; multiplying rather than accumulating
                // keeps the starts exact however many there are.
                let bursts = (d / every_s).ceil() as u64;
                for k in 0..bursts {
                    let start = (k as f64 + 0.5) * every_s;
                    if start >= d {
                        break;
                    }
                    for _ in 0..burst_size {
                        let t = start + spread_s * uniform_open01(&mut rng);
                        if t < d {
                            times.push(t);
                        }
                    }
                }
                times.sort_unstable_by(f64::total_cmp);
            }
            Pattern::WindowBoundary { per_side } => {
                let spread = window_s / 100.0;
                let step = spread / per_side as f64;
                // Boundaries (2k + 1) W, computed by multiplication so that each is the exact
                // boundary a fixed window sees; the request cap above bounds k.
                for k in 0_u64.. {
                    let boundary = (2 * k + 1) as f64 * window_s;
                    if boundary - spread >= d {
                        break;
                    }
                    for j in 0..per_side {
                        times.push(boundary - spread + j as f64 * step);
                    }
                    // Half a step after the boundary, so that rounding in (2k + 1) × W can
                    // never put one back in the window before.
                    for j in 0..per_side {
                        times.push(boundary + (j as f64 + 0.5) * step);
                    }
                }
                times.retain(|&t| t < d);
            }
        }
        if times.len() as u64 > MAX_REQUESTS {
            return Err(RateLimitError::TooManyRequests {
                requests: times.len() as u64,
                max: MAX_REQUESTS,
            });
        }
        Ok(times)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::assert_rel;

    #[test]
    fn poisson_count_matches_its_rate() {
        // λ D = 100 × 1,000 = 100,000 expected; Poisson sd = √100,000 ≈ 316, i.e. 0.3%.
        let t = TrafficConfig {
            pattern: Pattern::Poisson { rate_per_s: 100.0 },
            duration_s: 1_000.0,
            ..TrafficConfig::default()
        };
        let times = t.arrivals(60.0).unwrap();
        assert_rel(times.len() as f64, 100_000.0, 0.013);
        assert!(
            times.windows(2).all(|w| w[0] <= w[1])
                && times.iter().all(|&x| (0.0..1_000.0).contains(&x))
        );
    }

    #[test]
    fn boundary_pattern_straddles_each_odd_boundary() {
        // W = 60, D = 240: boundaries at 60 and 180, 5 requests on each side of each.
        let t = TrafficConfig {
            pattern: Pattern::WindowBoundary { per_side: 5 },
            duration_s: 240.0,
            ..TrafficConfig::default()
        };
        let times = t.arrivals(60.0).unwrap();
        assert_eq!(times.len(), 20);
        assert_eq!(
            times.iter().filter(|&&x| (59.4..60.0).contains(&x)).count(),
            5
        );
        assert_eq!(
            times.iter().filter(|&&x| (60.0..60.6).contains(&x)).count(),
            5
        );
    }

    #[test]
    fn oversized_traffic_is_refused() {
        let t = TrafficConfig {
            pattern: Pattern::Poisson { rate_per_s: 1e6 },
            duration_s: 10.0,
            ..TrafficConfig::default()
        };
        assert!(matches!(
            t.arrivals(1.0),
            Err(RateLimitError::TooManyRequests { .. })
        ));
        let bad = TrafficConfig {
            duration_s: f64::NAN,
            ..TrafficConfig::default()
        };
        assert!(bad.arrivals(1.0).is_err());
    }
}
