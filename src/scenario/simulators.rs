//! The simulators' side of the scenario: the structured field values (an HPA policy, a list of
//! servers) and the rules that span simulator fields. The mapping from fields to each simulator's
//! configuration is in `configs.rs`.

use super::choices::{AutoscalePattern, RateLimitPattern};
use super::configs::whole_u32;
use super::value::{FieldValue, check_length};
use super::{FieldSpec, Scenario};
use crate::autoscale::{HpaPolicy, OutsideSeries};
use crate::loadbalance::{self, LbConfig, MAX_RING_POINTS, ServerSpec};
use crate::ratelimit;

/// An HPA policy in the compact text of [`HpaPolicy::to_compact`].
impl FieldValue for HpaPolicy {
    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        HpaPolicy::from_compact(check_length(raw)?).map_err(|e| e.to_string())
    }

    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        self.to_compact()
    }
}

/// Object and External metric values in the codec of [`crate::autoscale::parse_outside`].
impl FieldValue for Vec<OutsideSeries> {
    fn parse_field(raw: &str, _spec: &FieldSpec) -> Result<Self, String> {
        crate::autoscale::parse_outside(check_length(raw)?)
    }

    fn to_field_text(&self, _spec: &FieldSpec) -> String {
        crate::autoscale::format_outside(self)
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
/// assert_eq!(servers[3].workers, 16);
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
    let [weight, speed, workers] = parts.as_slice() else {
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
    let workers = workers
        .parse::<u32>()
        .ok()
        .filter(|c| (1..=10_000).contains(c))
        .ok_or_else(|| {
            format!("server {index}: workers must be a whole number from 1 to 10,000")
        })?;
    Ok(ServerSpec {
        weight,
        speed,
        workers,
    })
}

/// The canonical text of `servers` for [`parse_servers`]: runs of equal servers as `n*`, speeds
/// in the shortest form that reads back exactly.
pub fn format_servers(servers: &[ServerSpec]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(server) = servers.get(i) {
        let run = servers.iter().skip(i).take_while(|s| *s == server).count();
        let one = format!("{}:{}:{}", server.weight, server.speed, server.workers);
        parts.push(if run > 1 { format!("{run}*{one}") } else { one });
        i += run;
    }
    parts.join(",")
}

impl Scenario {
    /// Rules across simulator fields, as (field to reset, message). Each rule lists the fields
    /// that may be reset, in order, and resets only as many as it takes for the rule to hold
    /// (every default satisfies every rule), so the scenario left is always valid.
    pub(super) fn simulator_violations(&self) -> Vec<(&'static str, String)> {
        let mut working = self.clone();
        let mut out = Vec::new();

        let day_peak_ok = |s: &Scenario| {
            s.as_pattern() != AutoscalePattern::Day || (1.0..=100.0).contains(&s.autoscale_peak())
        };
        working.reset_until_holds(
            &["as_peak"],
            day_peak_ok,
            "the day's peak factor must be between 1 and 100".to_string(),
            &mut out,
        );

        working.reset_until_holds(
            &["as_pattern"],
            |s: &Scenario| match s.as_pattern() {
                AutoscalePattern::Observed => s.obs().is_some_and(|o| o.day.is_some()),
                AutoscalePattern::ObservedWeek => {
                    s.obs().is_some_and(|o| o.day.is_some() && o.week.is_some())
                }
                AutoscalePattern::Day
                | AutoscalePattern::Step
                | AutoscalePattern::Ramp
                | AutoscalePattern::Flash
                | AutoscalePattern::Event => true,
            },
            if self.as_pattern() == AutoscalePattern::ObservedWeek {
                "observed traffic's week needs an imported series that spans a week, with a step of an hour or less"
            } else {
                "observed traffic needs an imported series that spans a day, with a step of an hour or less"
            }
            .to_string(),
            &mut out,
        );

        working.reset_until_holds(
            &["reads"],
            |s: &Scenario| {
                s.obs().is_none()
                    || s.obs_size() == super::ObservedSizing::Off
                    || s.writes() + s.reads() > 0.0
            },
            "sizing from observed traffic needs writes or reads per user, to split its requests"
                .to_string(),
            &mut out,
        );

        working.reset_until_holds(
            &["as_unready"],
            |s: &Scenario| s.as_unready() <= s.as_startup(),
            "must not be longer than the pod start-up".to_string(),
            &mut out,
        );

        let spread_ok = |s: &Scenario| {
            s.rl_pattern() != RateLimitPattern::Bursts || s.rl_spread() <= s.rl_every()
        };
        working.reset_until_holds(
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
        working.reset_until_holds(
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
        working.reset_until_holds(&["lb_vnodes", "lb_servers"], ring_ok, message, &mut out);

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
        working.reset_until_holds(
            &["lb_requests", "lb_clients", "lb_vnodes", "lb_servers"],
            work_ok,
            message,
            &mut out,
        );
        out
    }

    /// Resets `candidates` to their defaults one by one until `holds`, recording each reset with
    /// `message`. Defaults satisfy every rule, so the loop always ends with the rule holding.
    fn reset_until_holds(
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
