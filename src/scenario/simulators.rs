//! The simulators' side of the scenario: the structured field values (an HPA policy, a list of
//! servers), the mapping from fields to each simulator's configuration, and the rules that span
//! simulator fields.

use super::choices::{AutoscalePattern, DurationShape, RateLimitPattern};
use super::value::{FieldValue, check_length};
use super::{FieldSpec, Scenario};
use crate::autoscale::{HpaPolicy, SimConfig, Traffic};
use crate::loadbalance::{
    self, DurationDist, LbConfig, MAX_CLIENTS, MAX_RING_POINTS, Popularity, ServerSpec,
};
use crate::ratelimit::{
    self, DistributedConfig, Pattern, RateAlgorithm, RateLimitConfig, TrafficConfig,
};

/// Seconds per simulation step of the auto-scaling page: the HPA's default sync period.
pub const AUTOSCALE_STEP_S: u32 = 15;

/// How long a ramp takes, seconds.
pub const RAMP_S: u64 = 1_800;

/// How long a scheduled event lasts, seconds.
pub const EVENT_S: u64 = 3_600;

/// Chart buckets of the rate-limiting run.
pub const RATE_LIMIT_BUCKETS: u32 = 120;

/// Keys hashed to measure how many move when a server is added or removed: enough for the share
/// to be within about ±0.3% (one standard error is √(p(1 − p)/n) ≤ 0.35% at n = 20,000).
pub const MOVEMENT_KEYS: u32 = 20_000;

/// Maglev table size of the load-balancing page: the paper's smaller prime.
pub const MAGLEV_TABLE: u32 = 65_537;

/// An HPA policy in the compact text of [`HpaPolicy::to_compact`].
impl FieldValue for HpaPolicy {
    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        HpaPolicy::from_compact(check_length(raw)?).map_err(|e| e.to_string())
    }

    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        self.to_compact()
    }
}

/// A list of servers in the codec of [`parse_servers`].
impl FieldValue for Vec<ServerSpec> {
    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        parse_servers(check_length(raw)?)
    }

    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        format_servers(self)
    }
}

/// The default cluster of the load-balancing page: [`LbConfig::default`]'s five servers.
pub fn default_lb_servers() -> Vec<ServerSpec> {
    LbConfig::default().servers
}

/// Reads servers written `weight:speed:workers`, separated by commas; `n*` before one repeats it
/// `n` times. `3*1:1:4,2*2:2:4` is three servers of weight 1, speed 1 and 4 workers, then two of
/// weight 2, twice as fast, with 4 workers.
///
/// # Errors
/// A message naming the server (from 1) and the part that is wrong: no servers, more than
/// [`loadbalance::MAX_SERVERS`], a weight outside 1 to 1,000, a speed outside 0.01 to 100, or
/// workers outside 1 to 10,000.
///
/// # Examples
/// ```
/// use headroom::scenario::{format_servers, parse_servers};
/// let servers = parse_servers("3*1:1:4, 2:2:16").unwrap();
/// assert_eq!(servers.len(), 4);
/// assert_eq!(servers[3].capacity, 16);
/// assert_eq!(format_servers(&servers), "3*1:1:4,2:2:16");
/// ```
pub fn parse_servers(text: &str) -> Result<Vec<ServerSpec>, String> {
    let mut servers = Vec::new();
    for entry in text.split(',').map(str::trim) {
        let index = servers.len() + 1;
        if entry.is_empty() {
            return Err(format!(
                "server {index} is empty; write weight:speed:workers such as 1:1:4"
            ));
        }
        let (count, spec) = match entry.split_once('*') {
            Some((n, spec)) => {
                let n: usize = n
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=loadbalance::MAX_SERVERS).contains(n))
                    .ok_or_else(|| {
                        format!("server {index}: the count before * must be a whole number from 1 to 1,000")
                    })?;
                (n, spec.trim())
            }
            None => (1, entry),
        };
        let server = parse_server(spec, index)?;
        if servers.len() + count > loadbalance::MAX_SERVERS {
            return Err(format!(
                "at most {} servers; this list has more",
                loadbalance::MAX_SERVERS
            ));
        }
        servers.extend(std::iter::repeat_n(server, count));
    }
    Ok(servers)
}

fn parse_server(text: &str, index: usize) -> Result<ServerSpec, String> {
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    let [weight, speed, capacity] = parts.as_slice() else {
        return Err(format!(
            "server {index}: expected weight:speed:workers such as 2:2:4, got `{text}`"
        ));
    };
    let weight = weight
        .parse::<u32>()
        .ok()
        .filter(|w| (1..=1_000).contains(w))
        .ok_or_else(|| format!("server {index}: weight must be a whole number from 1 to 1,000"))?;
    let speed = speed
        .parse::<f64>()
        .ok()
        .filter(|s| (0.01..=100.0).contains(s))
        .ok_or_else(|| format!("server {index}: speed must be a number from 0.01 to 100"))?;
    let capacity = capacity
        .parse::<u32>()
        .ok()
        .filter(|c| (1..=10_000).contains(c))
        .ok_or_else(|| {
            format!("server {index}: workers must be a whole number from 1 to 10,000")
        })?;
    Ok(ServerSpec {
        weight,
        speed,
        capacity,
    })
}

/// The canonical text of `servers` for [`parse_servers`]: runs of equal servers as `n*`, speeds
/// in the shortest form that reads back exactly.
pub fn format_servers(servers: &[ServerSpec]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(server) = servers.get(i) {
        let run = servers.iter().skip(i).take_while(|s| *s == server).count();
        let one = format!("{}:{}:{}", server.weight, server.speed, server.capacity);
        parts.push(if run > 1 { format!("{run}*{one}") } else { one });
        i += run;
    }
    parts.join(",")
}

/// A whole number from a field already bounded by its spec (seeds, counts).
fn whole_u64(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        x.round() as u64
    } else {
        0
    }
}

fn whole_u32(x: f64) -> u32 {
    u32::try_from(whole_u64(x)).unwrap_or(u32::MAX)
}

impl Scenario {
    /// The peak over base of the auto-scaling traffic: `as_peak`, or the pattern's default
    /// (3× for the day, a step and a ramp; 10× for the chapter's flash crowd; 5× for an event).
    pub fn autoscale_peak(&self) -> f64 {
        self.as_peak()
            .unwrap_or_else(|| self.as_pattern().default_peak())
    }

    /// Hours the auto-scaling run lasts: `as_hours`, or 24 for the day and 2 otherwise.
    pub fn autoscale_hours(&self) -> f64 {
        self.as_hours()
            .unwrap_or_else(|| self.as_pattern().default_hours())
    }

    /// The auto-scaling demand pattern.
    pub fn autoscale_traffic(&self) -> Traffic {
        let base = self.as_mean();
        let peak = self.autoscale_peak();
        let at = whole_u64(self.as_at());
        match self.as_pattern() {
            AutoscalePattern::Step => Traffic::Step {
                base_rps: base,
                step_rps: base * peak,
                at_s: at,
            },
            AutoscalePattern::Ramp => Traffic::Ramp {
                from_rps: base,
                to_rps: base * peak,
                start_s: at,
                duration_s: RAMP_S,
            },
            AutoscalePattern::Flash => match Traffic::flash_crowd(base, at) {
                Traffic::FlashCrowd {
                    rise_s,
                    hold_s,
                    decay_s,
                    ..
                } => Traffic::FlashCrowd {
                    base_rps: base,
                    multiplier: peak,
                    start_s: at,
                    rise_s,
                    hold_s,
                    decay_s,
                },
                other => other,
            },
            AutoscalePattern::Event => Traffic::Scheduled {
                base_rps: base,
                start_s: at,
                duration_s: EVENT_S,
                multiplier: peak,
            },
            AutoscalePattern::Day => Traffic::Diurnal {
                mean_rps: base,
                peak_factor: peak,
            },
        }
    }

    /// The auto-scaling run with `policy` (the `hpa` field, or a pasted manifest).
    pub fn autoscale_config(&self, policy: HpaPolicy) -> SimConfig {
        SimConfig {
            duration_s: whole_u64(self.autoscale_hours() * 3_600.0).max(1),
            step_s: AUTOSCALE_STEP_S,
            pod_capacity_rps: self.as_pod_rps(),
            // The page's pods have a CPU limit equal to their request (it says so beside the
            // utilization chart); the core models higher limits.
            cpu_limit_ratio: 1.0,
            startup_delay_s: whole_u32(self.as_startup()),
            metric_lag_s: whole_u32(self.as_lag()),
            usd_per_pod_hour: self.as_usd(),
            seed: whole_u64(self.as_seed()),
            noise: self.as_noise(),
            traffic: self.autoscale_traffic(),
            policy,
            overflow: self.as_overflow(),
            initial_replicas: None,
        }
    }

    /// The rate limit: `rl_limit` per `rl_window`, bursts of `rl_burst` (or the limit), the
    /// fixed window started as `rl_align` says and the sliding windows counting as `rl_count`.
    pub fn rate_limits(&self) -> RateLimitConfig {
        let limit = whole_u64(self.rl_limit()).max(1);
        RateLimitConfig {
            limit,
            window_s: self.rl_window(),
            burst: self.rl_burst().map_or(limit, whole_u64).max(1),
            window_start: self.rl_align(),
            counting: self.rl_count(),
        }
    }

    /// The rate-limiting traffic of one client key.
    pub fn rate_limit_traffic(&self) -> TrafficConfig {
        let size = self
            .rl_size()
            .map_or(self.rate_limits().limit, whole_u64)
            .max(1);
        let pattern = match self.rl_pattern() {
            RateLimitPattern::Bursts => Pattern::Bursts {
                background_per_s: self.rl_rate(),
                burst_size: size,
                every_s: self.rl_every(),
                spread_s: self.rl_spread(),
            },
            RateLimitPattern::Boundary => Pattern::WindowBoundary { per_side: size },
            RateLimitPattern::Poisson => Pattern::Poisson {
                rate_per_s: self.rl_rate(),
            },
        };
        TrafficConfig {
            pattern,
            duration_s: self.rl_duration(),
            seed: whole_u64(self.rl_seed()),
            headers_at_s: self.rl_at(),
            chart_buckets: RATE_LIMIT_BUCKETS,
        }
    }

    /// The distributed case: the same client (Poisson at `rl_rate`) through `rl_servers`
    /// servers, counted by fixed windows (the chapter's Redis `INCR` script).
    pub fn rate_limit_distributed(&self) -> DistributedConfig {
        DistributedConfig {
            servers: whole_u32(self.rl_servers()).max(1),
            limits: self.rate_limits(),
            algorithm: RateAlgorithm::FixedWindow,
            rate_per_s: self.rl_rate(),
            duration_s: self.rl_duration(),
            routing: self.rl_routing(),
            seed: whole_u64(self.rl_seed()),
        }
    }

    /// The load-balancing workload (every algorithm runs on it; `algorithm` is unused).
    pub fn lb_config(&self) -> LbConfig {
        let mean_s = self.lb_mean_ms() / 1000.0;
        LbConfig {
            servers: self.lb_servers().to_vec(),
            requests: whole_u32(self.lb_requests()).max(1),
            arrival_rate_per_s: self.lb_rate(),
            duration: match self.lb_dist() {
                DurationShape::Fixed => DurationDist::Fixed { mean_s },
                DurationShape::Exponential => DurationDist::Exponential { mean_s },
                DurationShape::Pareto => DurationDist::Pareto {
                    mean_s,
                    shape: self.lb_alpha(),
                },
            },
            clients: whole_u32(self.lb_clients()).clamp(1, MAX_CLIENTS),
            popularity: if self.lb_zipf() > 0.0 {
                Popularity::Zipf {
                    exponent: self.lb_zipf(),
                }
            } else {
                Popularity::Uniform
            },
            sticky: self.lb_sticky(),
            vnodes: whole_u32(self.lb_vnodes()).max(1),
            maglev_table_size: MAGLEV_TABLE,
            seed: whole_u64(self.lb_seed()),
            ..LbConfig::default()
        }
    }

    /// Rules across simulator fields, as (field to reset, message). Each rule lists the fields
    /// that may be reset, in order, and resets only as many as it takes for the rule to hold
    /// (every default satisfies every rule), so the scenario left is always valid.
    pub(super) fn simulator_violations(&self) -> Vec<(&'static str, String)> {
        let mut working = self.clone();
        let mut out = Vec::new();

        let day_peak_ok = |s: &Scenario| {
            s.as_pattern() != AutoscalePattern::Day || (1.0..=100.0).contains(&s.autoscale_peak())
        };
        working.blame(
            &["as_peak"],
            day_peak_ok,
            "the day's peak factor must be between 1 and 100".to_string(),
            &mut out,
        );

        let spread_ok = |s: &Scenario| {
            s.rl_pattern() != RateLimitPattern::Bursts || s.rl_spread() <= s.rl_every()
        };
        working.blame(
            &["rl_spread", "rl_every"],
            spread_ok,
            "must not be longer than the time between bursts".to_string(),
            &mut out,
        );

        let requests_ok = |s: &Scenario| rate_limit_requests(s) <= ratelimit::MAX_REQUESTS as f64;
        let message = format!(
            "the run would hold about {} requests, more than the {} simulated; shorten it or lower the rate",
            crate::units::format_count(rate_limit_requests(&working).round()),
            crate::units::format_count(ratelimit::MAX_REQUESTS as f64)
        );
        working.blame(
            &[
                "rl_duration",
                "rl_rate",
                "rl_size",
                "rl_every",
                "rl_window",
                "rl_limit",
            ],
            requests_ok,
            message,
            &mut out,
        );

        let ring_ok = |s: &Scenario| ring_points(s) <= MAX_RING_POINTS;
        let message = format!(
            "the consistent-hash ring would hold {} points (weights × virtual nodes), more than {}",
            crate::units::format_count(ring_points(&working) as f64),
            crate::units::format_count(MAX_RING_POINTS as f64)
        );
        working.blame(&["lb_vnodes", "lb_servers"], ring_ok, message, &mut out);

        // The page runs every algorithm and measures key movement: both count.
        let work_ok = |s: &Scenario| {
            let config = s.lb_config();
            config.work().saturating_add(loadbalance::movement_work(
                config.servers.len(),
                config.vnodes,
            )) <= loadbalance::MAX_WORK
        };
        let message = format!(
            "{} requests to {} servers from {} clients is more than one run may simulate; \
             lower the requests, the servers, the clients or the virtual nodes",
            crate::units::format_count(f64::from(working.lb_config().requests)),
            crate::units::format_count(working.lb_servers().len() as f64),
            crate::units::format_count(f64::from(working.lb_config().clients)),
        );
        working.blame(
            &["lb_requests", "lb_clients", "lb_vnodes", "lb_servers"],
            work_ok,
            message,
            &mut out,
        );
        out
    }

    /// Resets `candidates` to their defaults one by one until `holds`, recording each reset with
    /// `message`. Defaults satisfy every rule, so the loop always ends with the rule holding.
    fn blame(
        &mut self,
        candidates: &[&'static str],
        holds: impl Fn(&Scenario) -> bool,
        message: String,
        out: &mut Vec<(&'static str, String)>,
    ) {
        for key in candidates {
            if holds(self) {
                return;
            }
            if let Some(text) = Scenario::defaults().field_text(key) {
                // Defaults are valid by construction (tested), so this cannot fail.
                let _ = self.set(key, &text);
            }
            out.push((key, message.clone()));
        }
    }
}

/// Requests the rate-limiting page would simulate: the larger of the main run's expected count
/// and the distributed run's (Poisson at `rl_rate` for `rl_duration`).
fn rate_limit_requests(s: &Scenario) -> f64 {
    let window = s.rate_limits().window_s;
    let main = s.rate_limit_traffic().expected_requests(window);
    let distributed = s.rl_rate() * s.rl_duration();
    main.max(distributed)
}

/// Points on the consistent-hash ring: Σ weight × virtual nodes.
fn ring_points(s: &Scenario) -> u64 {
    let weights: u64 = s.lb_servers().iter().map(|x| u64::from(x.weight)).sum();
    weights.saturating_mul(u64::from(whole_u32(s.lb_vnodes())))
}

#[cfg(test)]
mod tests;
