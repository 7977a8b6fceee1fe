//! The one mapping from a [`Scenario`] to the input of every calculator and simulator:
//! capacity, availability, cost, queueing, auto-scaling, rate limiting and load balancing. Fields
//! in milliseconds become seconds here and counts become whole numbers here, so the calculators
//! take base units and no page or report converts a field itself.

use super::Scenario;
use super::choices::{
    AutoscalePattern, DurationShape, ObservedSizing, QueueGoal, RateLimitPattern,
};
use crate::autoscale::{HpaPolicy, SimConfig, Traffic};
use crate::availability::Convention;
use crate::capacity::{self, CapacityInput, CapacityParams};
use crate::cost::{self, InstanceFleet, PriceTable, ServerlessWorkload};
use crate::loadbalance::{DurationDist, LbConfig, MAX_CLIENTS, Popularity};
use crate::queueing::QueueTarget;
use crate::ratelimit::{DistributedConfig, Pattern, RateAlgorithm, RateLimitConfig, TrafficConfig};

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

/// A whole number from a field already bounded by its spec (seeds, counts).
pub(super) fn whole_u64(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        x.round() as u64
    } else {
        0
    }
}

pub(super) fn whole_u32(x: f64) -> u32 {
    u32::try_from(whole_u64(x)).unwrap_or(u32::MAX)
}

/// How observed traffic stands in for the guess: the daily users and peak factor that give the
/// observed mean and peak with the scenario's actions per user.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObservedPlan {
    /// The observed mean, requests per second.
    pub mean_rps: f64,
    /// The observed rate sized for: the highest or the 99th percentile.
    pub peak_rps: f64,
    /// Users that give the observed mean: `mean × 86,400 / (writes + reads per user)`.
    pub daily_users: f64,
    /// `max(peak / mean, 1)`: a peak below the mean (a p99 under a mean raised by rare spikes)
    /// sizes for the mean.
    pub peak_factor: f64,
}

impl Scenario {
    /// The observed traffic the capacity plan sizes from, when there is an import, `obs_size` is
    /// not `off` and the scenario has actions per user to split the requests into writes and
    /// reads.
    pub fn observed_plan(&self) -> Option<ObservedPlan> {
        let obs = self.obs()?;
        let peak_rps = match self.obs_size() {
            ObservedSizing::Off => return None,
            ObservedSizing::Max => obs.max,
            ObservedSizing::P99 => obs.p99,
        };
        let actions = self.writes() + self.reads();
        (actions > 0.0 && obs.mean > 0.0).then(|| ObservedPlan {
            mean_rps: obs.mean,
            peak_rps,
            daily_users: obs.mean * crate::SECONDS_PER_DAY / actions,
            peak_factor: (peak_rps / obs.mean).max(1.0),
        })
    }

    /// The scenario's capacity inputs, validated.
    ///
    /// # Errors
    /// Only if a field's range in the scenario table is wider than the calculator accepts (a bug
    /// that the tests guard against).
    pub fn capacity_input(&self) -> Result<CapacityInput, capacity::CapacityError> {
        let (daily_active_users, peak_factor) = match self.observed_plan() {
            Some(plan) => (plan.daily_users, plan.peak_factor),
            None => (self.dau(), self.peak()),
        };
        CapacityInput::new(CapacityParams {
            daily_active_users,
            writes_per_user_per_day: self.writes(),
            reads_per_user_per_day: self.reads(),
            peak_factor,
            bytes_per_write: self.size(),
            bytes_per_read: self.read_size(),
            replication_factor: self.repl(),
            retention_years: self.years(),
            web_rps_per_node: self.web_rps(),
            cache_ops_per_node: self.cache_ops(),
            db_qps_per_node: self.db_qps(),
            db_write_qps_per_node: self.db_write_qps().unwrap_or(self.db_qps()),
            db_read_qps_per_node: self.db_read_qps().unwrap_or(self.db_qps()),
            shard_bytes: self.shard_bytes(),
            cache_memory_per_node: self.cache_mem(),
            cache_working_set: self.cache_ws(),
            hot_share: self.hot(),
            nic_bytes_per_second: self.nic(),
            cdn_hit_ratio: self.cdn_hit(),
            messages_per_write: self.msgs_per_write(),
            partition_msgs_per_second: self.partition_rate(),
            utilization: self.util(),
            cache_hit_ratio: self.hit(),
            spare: self.spare(),
            days_per_year: self.year_days().days(),
        })
    }

    /// The growth, horizon and what runs today, for the runway.
    pub fn runway_input(&self) -> capacity::RunwayInput {
        // The fields are whole numbers in range (the table checks them), so the casts are exact.
        let count = |v: Option<f64>| v.map(|n| n as u64);
        capacity::RunwayInput {
            growth_per_month: self.growth(),
            horizon_months: self.horizon() as u32,
            start: self.start(),
            have: capacity::Have {
                web: count(self.have_web()),
                cache: count(self.have_cache()),
                db: count(self.have_db()),
                storage_bytes: self.have_storage(),
            },
        }
    }

    /// The time convention the availability figures use.
    pub fn convention(&self) -> Convention {
        Convention {
            year: self.year_days(),
            month: self.month(),
        }
    }

    /// The price table with this scenario's overrides applied.
    ///
    /// # Errors
    /// Only if an override's range in the scenario table is wider than the price table accepts.
    pub fn price_table(&self) -> Result<PriceTable, cost::CostError> {
        let mut prices = PriceTable::aws_lambda_2026();
        if let Some(usd) = self.p_req() {
            prices = prices.with_usd_per_million_requests(usd)?;
        }
        if let Some(usd) = self.p_gbs() {
            prices = prices.with_first_tier_usd_per_gb_second(self.arch(), usd)?;
        }
        Ok(prices)
    }

    /// The serverless workload.
    ///
    /// # Errors
    /// As [`Scenario::price_table`].
    pub fn serverless_workload(&self) -> Result<ServerlessWorkload, cost::CostError> {
        ServerlessWorkload::new(
            self.req_month(),
            self.dur_ms(),
            self.mem_mb(),
            self.arch(),
            self.free_tier(),
        )
    }

    /// The always-on fleet.
    ///
    /// # Errors
    /// As [`Scenario::price_table`].
    pub fn instance_fleet(&self) -> Result<InstanceFleet, cost::CostError> {
        InstanceFleet::new(self.inst_n(), self.inst_hr(), self.hours())
    }

    /// How the capacity plan's fleet is bought (the `/cost` page's fleet fields).
    pub fn fleet_choice(&self) -> cost::plan::FleetChoice {
        cost::plan::FleetChoice {
            region: self.region(),
            purchase: self.purchase(),
            node_types: [
                self.web_type().key(),
                self.cache_type().key(),
                self.db_type().key(),
            ],
            node_prices: [self.web_usd_hr(), self.cache_usd_hr(), self.db_usd_hr()],
            storage: self.store(),
            api_gateway: self.api_gw(),
            hours_per_month: self.hours(),
        }
    }

    /// The queueing target.
    pub fn queue_target(&self) -> QueueTarget {
        let wait_s = self.q_wait_ms() / 1000.0;
        match self.q_target() {
            QueueGoal::P95 => QueueTarget::WaitPercentile {
                q: 0.95,
                max_wait_s: wait_s,
            },
            QueueGoal::Mean => QueueTarget::MaxMeanWait { max_wait_s: wait_s },
            QueueGoal::PWait => QueueTarget::MaxProbabilityOfWaiting {
                max_p_wait: self.q_pwait(),
            },
            QueueGoal::P99 => QueueTarget::WaitPercentile {
                q: 0.99,
                max_wait_s: wait_s,
            },
        }
    }

    /// Mean time a web server spends on one request, seconds (`web_ms` / 1,000).
    pub fn web_service_s(&self) -> f64 {
        self.web_ms() / 1000.0
    }

    /// The queueing model's mean service time, seconds (`q_service_ms` / 1,000).
    pub fn queue_service_s(&self) -> f64 {
        self.q_service_ms() / 1000.0
    }

    /// The queueing model's servers as a whole number; the scenario table bounds them to
    /// 1..=100,000, so the conversion is exact.
    pub fn queue_servers(&self) -> u32 {
        self.q_servers().clamp(1.0, f64::from(u32::MAX)) as u32
    }

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
            // Without an average day (and, for the week, an average week) the rule in
            // `simulators.rs` resets the pattern, so these arms see them; an empty list would fail
            // the traffic's validation, not panic.
            AutoscalePattern::Observed | AutoscalePattern::ObservedWeek => Traffic::Observed {
                rates: self
                    .obs()
                    .and_then(|o| o.day.as_ref())
                    .map(crate::traffic::DayProfile::rates)
                    .unwrap_or_default(),
                week: (self.as_pattern() == AutoscalePattern::ObservedWeek)
                    .then(|| self.obs().and_then(crate::traffic::Observed::week_factors))
                    .flatten(),
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
            running_unready_s: whole_u32(self.as_unready()).min(whole_u32(self.as_startup())),
            cpu_initialization_period_s: whole_u32(self.as_cpu_init()),
            initial_readiness_delay_s: whole_u32(self.as_ready_delay()),
            metric_lag_s: whole_u32(self.as_lag()),
            usd_per_pod_hour: self.as_usd(),
            seed: whole_u64(self.as_seed()),
            noise: self.as_noise(),
            traffic: self.autoscale_traffic(),
            policy,
            overflow: self.as_overflow(),
            initial_replicas: None,
            outside_metrics: self.as_ext().to_vec(),
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
}
