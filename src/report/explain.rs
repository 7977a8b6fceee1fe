//! Formula traces ("show your work"): each figure's formula with this scenario's numbers in it.

use super::{Entries, Report};
use crate::availability::Period;
use crate::capacity::{NodeCount, Spare};
use crate::scenario::Scenario;
use crate::units::{
    format_availability, format_bytes, format_bytes_per_second, format_count, format_duration,
    format_percent, format_si, format_usd,
};

/// `format!` into a string sized for a typical trace up front: traces run 60 to 200 bytes, and
/// growing from `format!`'s estimate (the literal parts alone) reallocated most of them two or
/// three times, a tenth of the report's build time.
macro_rules! text {
    ($($arg:tt)*) => {{
        let mut text = String::with_capacity(192);
        // Writing into a String cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!($($arg)*));
        text
    }};
}

fn rate(x: f64) -> String {
    text!("{} req/s", format_count(x))
}

fn spare_suffix(spare: Spare) -> &'static str {
    match spare {
        Spare::None => "",
        Spare::NPlusOne => " + 1 spare (N+1)",
        Spare::TwoN => ", × 2 (2N)",
    }
}

fn nodes(
    load: f64,
    per_node: f64,
    util: f64,
    unit: &str,
    needed: NodeCount,
    spare: Spare,
) -> String {
    text!(
        "⌈{} {unit} / ({} {unit} × {})⌉{} = {needed}",
        format_count(load),
        format_count(per_node),
        format_count(util),
        spare_suffix(spare)
    )
}

/// Every trace of `report`, keyed by the figure's path in the JSON document.
pub(super) fn explain(s: &Scenario, r: &Report) -> Entries<String> {
    let mut out = Entries::with_capacity(40);
    let mut put = |key: &'static str, text: String| out.push(key, text);
    let c = &r.capacity;
    let (writes, reads) = (s.writes(), s.reads());
    let util = s.util();
    // Figures that appear in several traces are formatted once.
    let users = format_si(s.dau());
    let peak = format_count(s.peak());
    let (write_rate, read_rate) = (rate(c.write_qps), rate(c.read_qps));
    let (peak_write, peak_read) = (
        format_count(c.peak_write_qps),
        format_count(c.peak_read_qps),
    );

    put(
        "capacity.write_qps",
        text!(
            "{} × {} / 86,400 s = {}",
            users,
            format_count(writes),
            write_rate
        ),
    );
    put(
        "capacity.peak_write_qps",
        text!("{} × {} = {}", write_rate, peak, rate(c.peak_write_qps)),
    );
    put(
        "capacity.read_qps",
        text!(
            "{} × {} / 86,400 s = {}",
            users,
            format_count(reads),
            read_rate
        ),
    );
    put(
        "capacity.peak_read_qps",
        text!("{} × {} = {}", read_rate, peak, rate(c.peak_read_qps)),
    );
    put(
        "capacity.web_servers",
        text!(
            "the web tier serves reads and writes: {}; the chapter's {} counts peak reads alone \
             (⌈{} / {}⌉)",
            nodes(
                c.peak_web_rps,
                s.web_rps(),
                util,
                "req/s",
                c.web_servers,
                s.spare()
            ),
            c.web_servers_reads_only,
            peak_read,
            format_count(s.web_rps() * util),
        ),
    );
    put(
        "capacity.cache_nodes",
        text!(
            "every read looks in the cache: {}",
            nodes(
                c.peak_cache_ops,
                s.cache_ops(),
                util,
                "ops/s",
                c.cache_nodes,
                s.spare()
            )
        ),
    );
    put(
        "capacity.db_nodes",
        text!(
            "writes plus cache misses: ({} + {} × (1 − {})) = {} q/s; {}",
            peak_write,
            peak_read,
            format_count(s.hit()),
            format_count(c.peak_db_qps),
            nodes(
                c.peak_db_qps,
                s.db_qps(),
                util,
                "q/s",
                c.db_nodes,
                s.spare()
            )
        ),
    );
    put(
        "capacity.storage_bytes_per_year",
        text!(
            "{} × {} × {} × {} d × {} copies = {}",
            users,
            format_count(writes),
            format_bytes(s.size()),
            format_count(s.year_days().days()),
            format_count(s.repl()),
            format_bytes(c.storage_bytes_per_year)
        ),
    );
    put(
        "capacity.storage_bytes_total",
        text!(
            "{} per year × {} years = {}",
            format_bytes(c.storage_bytes_per_year),
            format_count(s.years()),
            format_bytes(c.storage_bytes_total)
        ),
    );
    put(
        "capacity.ingress_bytes_per_second",
        text!(
            "{} × {} = {} (peak {})",
            write_rate,
            format_bytes(s.size()),
            format_bytes_per_second(c.ingress_bytes_per_second),
            format_bytes_per_second(c.peak_ingress_bytes_per_second)
        ),
    );
    put(
        "capacity.egress_bytes_per_second",
        text!(
            "{} × {} = {} (peak {})",
            read_rate,
            format_bytes(s.read_size()),
            format_bytes_per_second(c.egress_bytes_per_second),
            format_bytes_per_second(c.peak_egress_bytes_per_second)
        ),
    );

    let a = &r.availability;
    let convention = s.convention();
    let unavailable = text!("(1 − {})", format_percent(a.slo_percent));
    for period in Period::ALL {
        let length = convention.seconds(period);
        put(
            period_key(period),
            text!(
                "{unavailable} × {} = {}",
                format_duration(length),
                format_duration(a.downtime_seconds.get(period))
            ),
        );
    }
    if let Some(budget) = &a.error_budget {
        put(
            "availability.error_budget",
            text!(
                "an outage of {} spends {}% of the month's {} budget",
                format_duration(budget.consumed_seconds),
                format_count(budget.consumed_fraction * 100.0),
                format_duration(budget.budget_seconds)
            ),
        );
    }
    if let Some(burn) = a.burn_rate {
        put(
            "availability.burn_rate",
            text!(
                "{} failing / {unavailable} = {}×",
                format_percent(s.err_rate() * 100.0),
                format_count(burn)
            ),
        );
    }
    let tier_terms: Vec<String> = a
        .composite
        .tiers
        .iter()
        .map(|t| format_percent(t.availability_percent))
        .collect();
    put(
        "availability.composite.availability_percent",
        text!(
            "tiers in series multiply: {} = {}",
            if tier_terms.is_empty() {
                "no tiers".to_string()
            } else {
                tier_terms.join(" × ")
            },
            format_availability(a.composite.availability_percent)
        ),
    );

    let k = &r.cost;
    let workload_gb_s = k.serverless.gb_seconds;
    put(
        "cost.serverless.gb_seconds",
        text!(
            "{} requests × {} s × {} MB / 1,024 = {} GB-s",
            format_si(s.req_month()),
            format_count(k.serverless.billed_duration_ms / 1000.0),
            format_count(s.mem_mb()),
            format_count(workload_gb_s)
        ),
    );
    put(
        "cost.serverless_usd_per_month",
        text!(
            "{} billable requests × {}/1M + {} billable GB-s at the tier prices = {} + {} = {}",
            format_si(k.serverless.billable_requests),
            format_usd(r.prices.usd_per_million_requests()),
            format_count(k.serverless.billable_gb_seconds),
            format_usd(k.serverless.request_usd),
            format_usd(k.serverless.compute_usd),
            format_usd(k.serverless_usd_per_month)
        ),
    );
    put(
        "cost.instances_usd_per_month",
        text!(
            "{} × {}/h × {} h = {}",
            format_count(s.inst_n()),
            format_usd(s.inst_hr()),
            format_count(s.hours()),
            format_usd(k.instances_usd_per_month)
        ),
    );
    put(
        "cost.crossover_requests_per_month",
        match (
            k.crossover_requests_per_month,
            k.crossover_requests_per_second,
        ) {
            (Some(per_month), Some(per_second)) => text!(
                "serverless costs the instances' {} a month at {} requests a month \
                 ({} req/s over {} h)",
                format_usd(k.instances_usd_per_month),
                format_si(per_month),
                format_count(per_second),
                format_count(s.hours())
            ),
            _ => "no crossover: one option is cheaper at every volume".to_string(),
        },
    );

    let q = &r.queueing;
    put(
        "queueing.utilization",
        text!(
            "ρ = λ / (c μ) = {} req/s × {} s / {} = {}",
            format_count(q.arrival_rate_per_s),
            format_count(q.mean_service_seconds),
            q.servers,
            format_percent(q.utilization * 100.0)
        ),
    );
    if let Some(p_wait) = q.p_wait {
        put(
            "queueing.p_wait",
            text!(
                "Erlang C for A = λ/μ = {} Erlangs on {} servers = {}",
                format_count(q.arrival_rate_per_s * q.mean_service_seconds),
                q.servers,
                format_percent(p_wait * 100.0)
            ),
        );
    }
    if let (Some(p_wait), Some(wait)) = (q.p_wait, q.mean_wait_seconds) {
        put(
            "queueing.mean_wait_seconds",
            text!(
                "W_q = C / (c μ − λ) = {} / ({} − {}) = {}",
                format_count(p_wait),
                format_count(f64::from(q.servers) / q.mean_service_seconds),
                format_count(q.arrival_rate_per_s),
                format_duration(wait)
            ),
        );
    }
    if let Some(servers) = q.servers_for_target {
        put(
            "queueing.servers_for_target",
            text!(
                "fewest servers with {}: {servers} (⌈λ/μ⌉ ignoring queueing: {})",
                q.target,
                q.naive_servers
                    .map_or_else(|| "—".to_string(), |n| n.to_string())
            ),
        );
    }
    if let Some(fleet) = &q.web_tier {
        let workers = match fleet.workers_rounded_down_from {
            Some(exact) => text!(
                "⌊{} req/s × {} s⌋ = ⌊{}⌋ = {} workers (rounded down: a server runs whole workers)",
                format_count(s.web_rps()),
                format_count(s.web_ms() / 1000.0),
                format_count(exact),
                fleet.workers_per_server
            ),
            None => text!(
                "{} req/s × {} s = {} workers",
                format_count(s.web_rps()),
                format_count(s.web_ms() / 1000.0),
                fleet.workers_per_server
            ),
        };
        put(
            "queueing.web_tier",
            text!(
                "each web server as k = {workers}, {} at peak split evenly: the fewest servers \
                 with {} and at most {}% utilization per server is {} ({}% each){} = {}; the \
                 capacity count ⌈{} / ({} × {})⌉{} = {} ignores queueing",
                rate(c.peak_web_rps),
                q.target,
                format_count(fleet.max_utilization * 100.0),
                fleet.servers_for_target,
                format_count(fleet.utilization * 100.0),
                spare_suffix(s.spare()),
                fleet.servers_to_run,
                format_count(c.peak_web_rps),
                format_count(s.web_rps()),
                format_count(util),
                spare_suffix(s.spare()),
                fleet.naive_servers
            ),
        );
    }
    out
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
