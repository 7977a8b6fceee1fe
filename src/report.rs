//! The report: `Scenario -> Report`, every figure in base units (req/s, bytes, seconds, USD) with
//! its formula trace in `explain`. The same function runs in server-side rendering, in the
//! browser after hydration, and behind the JSON API, so all three agree to the byte.

mod entries;
mod inputs;
mod json;
mod observed;

pub use crate::math::{FIGURE_DIGITS, publishable};
pub use entries::Entries;
pub use inputs::{ImportError, MAX_IMPORT_BYTES, import_report};
pub use observed::{ObservedSection, TrafficFigures, WEEKDAYS};

use serde::{Deserialize, Serialize};

use crate::availability::{self, Convention, DowntimeBudget, ErrorBudget, NinesRow, Period};
use crate::capacity::{self, CapacityReport, GrowthReport};
use crate::cost::plan::FleetCost;
use crate::cost::{self, Crossover, PriceTable, ServerlessCost};
use crate::queueing::{self, FleetSizing, QueueTarget};
use crate::scenario::Scenario;
use crate::trace::text;
use crate::uncertainty::{Band, Change, Driver, SampledPlan};
use crate::units::{format_availability, format_count, format_duration, format_percent};

/// The schema name and version of the report document.
pub const SCHEMA: &str = "headroom.report.v1";

/// The app version written into reports.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The sizing report of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The Headroom version that produced it.
    pub app_version: String,
    /// When it was generated (RFC 3339), set by the caller; the core has no clock.
    pub generated_at: Option<String>,
    /// The scenario's canonical query string (without `?`).
    pub query: String,
    /// Every input by query key, typed: numbers as numbers, choices as strings.
    pub inputs: Entries<serde_json::Value>,
    /// What imported traffic says and how the plan sized from it; absent without an import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<ObservedSection>,
    /// Traffic to capacity.
    pub capacity: CapacityReport,
    /// The plan month by month as the load grows, and when each tier runs out.
    pub growth: GrowthReport,
    /// Availability target, downtime, error budget and composite availability.
    pub availability: AvailabilitySection,
    /// Serverless against always-on instances.
    pub cost: CostSection,
    /// The capacity plan's fleet priced: the monthly bill line by line, over the growth horizon,
    /// the node types ranked, and serverless in place of the web tier.
    pub fleet_cost: FleetCost,
    /// The M/M/c queueing model.
    pub queueing: QueueingSection,
    /// The price table the cost figures used, with its date and source.
    pub prices: PriceTable,
    /// Formula traces by figure path, e.g. `capacity.write_qps`.
    pub explain: Entries<String>,
    /// When some input is a range: each headline figure's P10, P50, P90 and mean over the
    /// samples, by its path in the report (see [`crate::uncertainty`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Entries<Band>>,
    /// When some input is a range: servers per tier at the chosen percentile, and the ranges
    /// sampled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty_plan: Option<SampledPlan>,
    /// When some input is a range: the tornado, each range alone at its P10 and P90.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty_drivers: Option<Vec<Driver>>,
    /// When the scenario has a baseline (`base`): every figure that differs from the
    /// baseline's, sorted by path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<Vec<Change>>,
}

/// The availability figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AvailabilitySection {
    /// The target, percent.
    pub slo_percent: f64,
    /// −log10(1 − A); `None` for a 100% target (infinitely many nines).
    pub nines: Option<f64>,
    /// The year and month lengths used.
    pub convention: Convention,
    /// Downtime the target allows per period, seconds.
    pub downtime_seconds: DowntimeBudget,
    /// The monthly error budget after the given outage.
    pub error_budget: Option<ErrorBudget>,
    /// Observed error rate over the budget (1 − target); `None` for a 100% target.
    pub burn_rate: Option<f64>,
    /// How long the month's remaining budget lasts at that burn rate, seconds.
    pub time_to_exhaust_seconds: Option<f64>,
    /// The reverse direction: the target that allows a given downtime, when one is asked.
    pub reverse: Option<ReverseTarget>,
    /// The chain of tiers.
    pub composite: CompositeSection,
    /// The chapter's nines table, recomputed under this convention.
    pub nines_table: Vec<NinesRow>,
}

/// A downtime budget turned into the availability target that allows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReverseTarget {
    /// The allowed downtime, seconds.
    pub downtime_seconds: f64,
    /// The period it is allowed in.
    pub period: Period,
    /// The target that allows exactly that downtime, percent.
    pub target_percent: Option<f64>,
    /// Why there is no target (the downtime is longer than the period).
    pub message: Option<String>,
}

/// Composite availability of tiers in series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CompositeSection {
    /// Each tier on its own.
    pub tiers: Vec<TierFigures>,
    /// Availability of the whole chain, percent.
    pub availability_percent: f64,
    /// Downtime per period of the chain, seconds.
    pub downtime_seconds: DowntimeBudget,
    /// Whether the chain meets the target.
    pub meets_slo: bool,
}

/// One tier's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TierFigures {
    /// The tier's name.
    pub name: String,
    /// Availability of one replica, percent.
    pub replica_percent: f64,
    /// How the replicas cover for each other.
    pub redundancy: availability::Redundancy,
    /// Availability of the tier, percent.
    pub availability_percent: f64,
    /// Downtime per year of the tier, seconds.
    pub downtime_seconds_per_year: f64,
}

/// Which option costs less.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Cheaper {
    /// Serverless costs less.
    Serverless,
    /// The always-on instances cost less.
    Instances,
    /// Both cost the same.
    Equal,
}

/// The cost figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CostSection {
    /// Serverless bill per month, USD.
    pub serverless_usd_per_month: f64,
    /// Instances bill per month, USD.
    pub instances_usd_per_month: f64,
    /// Requests per month at which both bills are equal.
    pub crossover_requests_per_month: Option<f64>,
    /// The same, per second over the billed hours.
    pub crossover_requests_per_second: Option<f64>,
    /// The crossover details (and why there is none, when there is none).
    pub crossover: Crossover,
    /// The serverless bill line by line.
    pub serverless: ServerlessCost,
    /// Which option is cheaper at this volume.
    pub cheaper: Cheaper,
}

/// The M/M/c queueing figures. When arrivals meet or exceed capacity the queue grows without
/// bound: the steady-state figures are `None` and `message` says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QueueingSection {
    /// λ, arrivals per second.
    pub arrival_rate_per_s: f64,
    /// 1/μ, mean service time, seconds.
    pub mean_service_seconds: f64,
    /// c, servers.
    pub servers: u32,
    /// ρ = λ / (c μ); at or above 1 the queue is unstable.
    pub utilization: f64,
    /// Erlang C: probability that a request waits.
    pub p_wait: Option<f64>,
    /// Mean wait in the queue, seconds.
    pub mean_wait_seconds: Option<f64>,
    /// Mean response time, seconds.
    pub mean_response_seconds: Option<f64>,
    /// 95th percentile wait, seconds.
    pub p95_wait_seconds: Option<f64>,
    /// 99th percentile wait, seconds.
    pub p99_wait_seconds: Option<f64>,
    /// The target the servers are sized for.
    pub target: QueueTarget,
    /// The fewest servers meeting the target.
    pub servers_for_target: Option<u32>,
    /// ⌈λ/μ⌉: the count that ignores queueing.
    pub naive_servers: Option<u64>,
    /// Why figures are missing, when they are.
    pub message: Option<String>,
    /// The web tier sized for the same target with queueing in mind: each server as
    /// ⌊capacity × service time⌋ parallel workers, peak traffic split evenly across servers, at
    /// most the target utilization on each, with the same spares as the capacity count.
    pub web_tier: Option<FleetSizing>,
    /// Why the web tier could not be sized that way, when it could not.
    pub web_tier_message: Option<String>,
}

/// An error that a validated scenario should never produce: a calculator refused inputs that
/// the scenario table allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("internal error: {0}")]
pub struct InternalError(pub String);

fn internal(err: impl std::fmt::Display) -> InternalError {
    InternalError(err.to_string())
}

impl Report {
    /// Builds the report of `scenario`: its figures at every range's middle, the sampled
    /// sections when some field is a range ([`Report::add_uncertainty`]), and the `diff` from
    /// its baseline when it has one.
    ///
    /// # Errors
    /// [`InternalError`] only if a calculator rejects a value the scenario table allowed; the
    /// tests check every field's extremes so that this does not happen.
    ///
    /// # Examples
    /// ```
    /// use headroom::{report::Report, scenario::Scenario};
    /// // The chapter's example, every node at full load: ⌈121,528 req/s / 10,000⌉ = 13.
    /// let chapter = Report::build(&Scenario::chapter()).unwrap();
    /// assert_eq!(chapter.capacity.web_servers, 13);
    /// assert_eq!(chapter.explain["capacity.write_qps"], "100M × 0.5 / 86,400 s = 578.7 req/s");
    /// // The defaults plan at 70% with N+1: ⌈121,528 / (10,000 × 0.7)⌉ + 1 = 18 + 1 = 19.
    /// let planned = Report::build(&Scenario::default()).unwrap();
    /// assert_eq!(planned.capacity.web_servers, 19);
    /// ```
    pub fn build(scenario: &Scenario) -> Result<Report, InternalError> {
        let mut report = Self::build_point(scenario)?;
        report.add_uncertainty(scenario);
        if let Some(base) = scenario.base() {
            report.diff = Some(crate::uncertainty::diff(&Self::build_point(base)?, &report));
        }
        Ok(report)
    }

    /// Adds the sampled sections when some field of `scenario` (the scenario of this report) is
    /// a range: up to `mc_n` = 100,000 samples, the costly part of [`Report::build`], which the
    /// page runs apart from the point figures so that typing stays quick.
    pub fn add_uncertainty(&mut self, scenario: &Scenario) {
        if let Some(sampled) = crate::uncertainty::sample(scenario) {
            self.uncertainty = Some(sampled.bands);
            self.uncertainty_plan = Some(sampled.plan);
            self.uncertainty_drivers = Some(sampled.drivers);
        }
    }

    /// The report at every range's middle, without the sampled sections or the diff: what the
    /// page computes on every keystroke.
    ///
    /// # Errors
    /// As [`Report::build`].
    pub fn build_point(scenario: &Scenario) -> Result<Report, InternalError> {
        // Each figure's trace is written where the figure is computed, in the order of the
        // figures in the document.
        let mut explain = Entries::with_capacity(40);
        let observed = observed::section(scenario, &mut explain);
        let capacity_input = scenario.capacity_input().map_err(internal)?;
        let capacity = capacity::calculate(&capacity_input);
        capacity::explain(&capacity_input, &capacity, &mut explain);
        let growth = capacity::plan_runway(&capacity_input, &capacity, &scenario.runway_input());
        capacity::explain_runway(&growth, &mut explain);
        let availability = availability_section(scenario, &mut explain).map_err(internal)?;
        let prices = scenario.price_table().map_err(internal)?;
        let cost = cost_section(scenario, &prices, &mut explain).map_err(internal)?;
        let fleet_cost = cost::plan::price_plan(
            &capacity_input,
            &capacity,
            &growth,
            &scenario.fleet_choice(),
            &scenario.serverless_workload().map_err(internal)?,
            &prices,
        )
        .map_err(internal)?;
        cost::plan::explain(&fleet_cost, &mut explain);
        let mut queueing = queueing_section(scenario, &mut explain);
        // The same utilization and spares as the capacity count beside it on the page.
        let (per_server_rps, service_s) = (scenario.web_rps(), scenario.web_service_s());
        let (target, spare) = (queueing.target, scenario.spare());
        match queueing::fleet_for_target_at(
            capacity.peak_web_rps,
            per_server_rps,
            service_s,
            target,
            scenario.util(),
            spare,
        ) {
            Ok(fleet) => {
                let trace = fleet.trace(
                    capacity.peak_web_rps,
                    per_server_rps,
                    service_s,
                    target,
                    spare,
                );
                explain.push("queueing.web_tier", trace);
                queueing.web_tier = Some(fleet);
            }
            Err(err) => queueing.web_tier_message = Some(err.to_string()),
        }
        Ok(Report {
            schema: SCHEMA.to_string(),
            app_version: APP_VERSION.to_string(),
            generated_at: None,
            query: scenario.to_query(),
            inputs: inputs::typed_inputs(scenario),
            observed,
            capacity,
            growth,
            availability,
            cost,
            fleet_cost,
            queueing,
            prices,
            explain,
            uncertainty: None,
            uncertainty_plan: None,
            uncertainty_drivers: None,
            diff: None,
        })
    }

    /// The report as pretty-printed JSON, the document the API answers and the browser exports.
    /// Figures are published to [`FIGURE_DIGITS`] significant digits (see [`publishable`]: the
    /// rest is floating-point noise), `inputs` to every digit.
    ///
    /// # Errors
    /// serde's error when a value cannot be written as JSON. None is expected (the tests write
    /// every choice of every field), but a failure is reported, never an empty document: an
    /// internally tagged enum with a newtype variant holding a number once failed here.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        json::to_json(self)
    }
}

fn availability_section(
    s: &Scenario,
    out: &mut Entries<String>,
) -> Result<AvailabilitySection, availability::AvailabilityError> {
    let convention = s.convention();
    let slo = s.slo();
    let downtime_seconds = availability::downtime_budget(slo, &convention)?;
    let unavailable = text!("(1 − {})", format_percent(slo));
    for period in Period::ALL {
        out.push(
            period_key(period),
            text!(
                "{unavailable} × {} = {}",
                format_duration(convention.seconds(period)),
                format_duration(downtime_seconds.get(period))
            ),
        );
    }
    let nines = availability::nines(slo).ok().filter(|n| n.is_finite());
    // A 100% target has no budget to spend: those figures are absent rather than infinite.
    let error_budget = availability::error_budget(slo, Period::Month, &convention, s.outage()).ok();
    let burn_rate = availability::burn_rate(s.err_rate(), slo).ok();
    if let Some(budget) = &error_budget {
        out.push(
            "availability.error_budget",
            text!(
                "an outage of {} spends {}% of the month's {} budget",
                format_duration(budget.consumed_seconds),
                format_count(budget.consumed_fraction * 100.0),
                format_duration(budget.budget_seconds)
            ),
        );
    }
    if let Some(burn) = burn_rate {
        out.push(
            "availability.burn_rate",
            text!(
                "{} failing / {unavailable} = {}×",
                format_percent(s.err_rate() * 100.0),
                format_count(burn)
            ),
        );
    }
    let time_to_exhaust_seconds = match (&error_budget, burn_rate) {
        (Some(budget), Some(rate)) if rate > 0.0 => budget.time_to_exhaust_seconds(rate).ok(),
        _ => None,
    };
    let reverse = s.down().map(|downtime_seconds| {
        let period = s.down_per();
        let target = availability::target_from_downtime(downtime_seconds, period, &convention);
        ReverseTarget {
            downtime_seconds,
            period,
            target_percent: target.as_ref().ok().copied(),
            message: target.err().map(|e| e.to_string()),
        }
    });
    let tiers = s.tiers();
    // From the unavailability, not 1 − Π A: a chain of one tier is that tier to the bit, and
    // tiers of 1e-20 do not cancel to no downtime.
    let composite_unavailability = availability::series_unavailability(tiers);
    let composite_percent = availability::series_availability(tiers) * 100.0;
    let composite = CompositeSection {
        tiers: tiers
            .iter()
            .map(|tier| TierFigures {
                name: tier.name().to_string(),
                replica_percent: tier.replica_availability().percent(),
                redundancy: tier.redundancy(),
                availability_percent: tier.availability() * 100.0,
                downtime_seconds_per_year: tier.unavailability() * convention.seconds(Period::Year),
            })
            .collect(),
        availability_percent: composite_percent,
        downtime_seconds: availability::downtime_from_unavailability(
            composite_unavailability,
            &convention,
        ),
        meets_slo: composite_percent >= slo,
    };
    let tier_terms: Vec<String> = composite
        .tiers
        .iter()
        .map(|t| format_percent(t.availability_percent))
        .collect();
    out.push(
        "availability.composite.availability_percent",
        text!(
            "tiers in series multiply: {} = {}",
            if tier_terms.is_empty() {
                "no tiers".to_string()
            } else {
                tier_terms.join(" × ")
            },
            format_availability(composite_percent)
        ),
    );
    Ok(AvailabilitySection {
        slo_percent: slo,
        nines,
        convention,
        downtime_seconds,
        error_budget,
        burn_rate,
        time_to_exhaust_seconds,
        reverse,
        composite,
        nines_table: availability::nines_table(&convention),
    })
}

fn period_key(period: Period) -> &'static str {
    match period {
        Period::Year => "availability.downtime_seconds.year",
        Period::Quarter => "availability.downtime_seconds.quarter",
        Period::Month => "availability.downtime_seconds.month",
        Period::Week => "availability.downtime_seconds.week",
        Period::Day => "availability.downtime_seconds.day",
    }
}

fn cost_section(
    s: &Scenario,
    prices: &PriceTable,
    out: &mut Entries<String>,
) -> Result<CostSection, cost::CostError> {
    let workload = s.serverless_workload()?;
    let fleet = s.instance_fleet()?;
    let serverless = cost::serverless_monthly_cost(&workload, prices);
    let instances_usd = cost::instances_monthly_cost(&fleet);
    let crossover = cost::crossover_requests_per_month(&workload, &fleet, prices);
    let cheaper = if serverless.total_usd < instances_usd {
        Cheaper::Serverless
    } else if serverless.total_usd > instances_usd {
        Cheaper::Instances
    } else {
        Cheaper::Equal
    };
    cost::explain(
        &workload,
        &fleet,
        prices,
        &serverless,
        instances_usd,
        &crossover,
        out,
    );
    Ok(CostSection {
        serverless_usd_per_month: serverless.total_usd,
        instances_usd_per_month: instances_usd,
        crossover_requests_per_month: crossover.requests_per_month,
        crossover_requests_per_second: crossover.requests_per_second,
        crossover,
        serverless,
        cheaper,
    })
}

fn queueing_section(s: &Scenario, out: &mut Entries<String>) -> QueueingSection {
    let rate = s.q_rate();
    let service_s = s.queue_service_s();
    let servers = s.queue_servers();
    let target = s.queue_target();
    let mut section = QueueingSection {
        arrival_rate_per_s: rate,
        mean_service_seconds: service_s,
        servers,
        utilization: rate * service_s / f64::from(servers),
        p_wait: None,
        mean_wait_seconds: None,
        mean_response_seconds: None,
        p95_wait_seconds: None,
        p99_wait_seconds: None,
        target,
        servers_for_target: queueing::fewest_servers(rate, service_s, target).ok(),
        naive_servers: queueing::naive_servers(rate, service_s).ok(),
        message: None,
        web_tier: None,
        web_tier_message: None,
    };
    match queueing::MmcQueue::new(rate, service_s, servers) {
        Ok(queue) => {
            section.utilization = queue.utilization();
            section.p_wait = Some(queue.p_wait());
            section.mean_wait_seconds = Some(queue.mean_wait_s());
            section.mean_response_seconds = Some(queue.mean_response_s());
            section.p95_wait_seconds = queue.wait_percentile(0.95).ok();
            section.p99_wait_seconds = queue.wait_percentile(0.99).ok();
        }
        Err(err) => section.message = Some(err.to_string()),
    }
    let q = &section;
    out.push(
        "queueing.utilization",
        text!(
            "ρ = λ / (c μ) = {} req/s × {} s / {} = {}",
            format_count(rate),
            format_count(service_s),
            servers,
            format_percent(q.utilization * 100.0)
        ),
    );
    if let Some(p_wait) = q.p_wait {
        out.push(
            "queueing.p_wait",
            text!(
                "Erlang C for A = λ/μ = {} Erlangs on {servers} servers = {}",
                format_count(rate * service_s),
                format_percent(p_wait * 100.0)
            ),
        );
    }
    if let (Some(p_wait), Some(wait)) = (q.p_wait, q.mean_wait_seconds) {
        out.push(
            "queueing.mean_wait_seconds",
            text!(
                "W_q = C / (c μ − λ) = {} / ({} − {}) = {}",
                format_count(p_wait),
                format_count(f64::from(servers) / service_s),
                format_count(rate),
                format_duration(wait)
            ),
        );
    }
    if let Some(fewest) = q.servers_for_target {
        out.push(
            "queueing.servers_for_target",
            text!(
                "fewest servers with {target}: {fewest} (⌈λ/μ⌉ ignoring queueing: {})",
                q.naive_servers
                    .map_or_else(|| "—".to_string(), |n| n.to_string())
            ),
        );
    }
    section
}

#[cfg(test)]
mod tests;
