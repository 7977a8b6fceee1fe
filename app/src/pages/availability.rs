//! `/availability`: target to downtime and back, the chapter's nines table recomputed, and the
//! composite availability of a chain of redundant tiers.

mod tiers_editor;

use headroom::availability::{Period, Redundancy};
use headroom::scenario::Group;
use headroom::units::{format_availability, format_count, format_duration, format_percent};
use leptos::prelude::*;

use crate::components::chart::{Chart, ChartData, Series, SeriesKind};
use crate::components::metric::Metric;
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::state::{use_scenario, with_query};

const SECTIONS: &[Section] = &[
    Section {
        title: "Target",
        group: Group::Availability,
    },
    Section {
        title: "Downtime budget → target",
        group: Group::Reverse,
    },
    Section {
        title: "Tiers in series",
        group: Group::Composite,
    },
];

fn nines_text(nines: Option<f64>) -> String {
    nines.map_or_else(
        || "∞ nines".to_string(),
        |n| format!("{} nines", format_count(n)),
    )
}

/// The availability calculator.
#[component]
pub fn Availability() -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);

    let downtime_rows = move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else { return Vec::new() };
            let convention = r.availability.convention;
            Period::ALL
                .iter()
                .map(|&period| {
                    let allowed = r.availability.downtime_seconds.get(period);
                    view! {
                        <tr>
                            <th scope="row">{period.label()}</th>
                            <td class="num">{format_duration(convention.seconds(period))}</td>
                            <td class="num" id=format!("downtime-row-{period}")>{format_duration(allowed)}</td>
                            <td class="num">{format_count(allowed)}" s"</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };

    let nines_rows = move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else { return Vec::new() };
            let slo = r.availability.slo_percent;
            r.availability
                .nines_table
                .iter()
                .map(|row| {
                    let cells = Period::ALL
                        .iter()
                        .map(|&p| view! { <td class="num">{format_duration(row.downtime.get(p))}</td> })
                        .collect_view();
                    view! {
                        <tr class:current=(row.percent - slo).abs() < 1e-9>
                            <th scope="row">{format_percent(row.percent)}</th>
                            <td class="num">{format_count(row.nines)}</td>
                            {cells}
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };

    let reverse = move || {
        state.report.with(|r| {
            let rev = r.as_deref()?.availability.reverse.clone()?;
            Some(match (rev.target_percent, rev.message) {
                (Some(target), _) => {
                    let use_it =
                        state.query_with("slo", &headroom::units::format_query_number(target));
                    let href = with_query(&state.path.get(), &use_it);
                    view! {
                        <p class="reverse" id="reverse-target">
                            {format_duration(rev.downtime_seconds)} " per " {rev.period.label()}
                            " allows a target of "
                            <strong>{format_availability(target)}</strong>
                            " (" {nines_text(headroom::availability::nines(target).ok())} "). "
                            <a href=href>"Use as the target"</a>
                        </p>
                    }
                    .into_any()
                }
                (None, message) => view! {
                    <p class="reverse error" id="reverse-target">{message.unwrap_or_default()}</p>
                }
                .into_any(),
            })
        })
    };

    let composite_rows = move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return Vec::new();
            };
            r.availability
                .composite
                .tiers
                .iter()
                .map(|t| {
                    let redundancy = match t.redundancy {
                        Redundancy::KOfN { n, k } if n == k => format!("{n} replicas, all needed"),
                        Redundancy::KOfN { n, k } => format!("{k} of {n} up"),
                        Redundancy::ActivePassive {
                            failover_seconds,
                            mttr_seconds,
                        } => format!(
                            "active-passive, failover {}, repair {}",
                            format_duration(failover_seconds),
                            format_duration(mttr_seconds)
                        ),
                    };
                    view! {
                        <tr>
                            <th scope="row">{t.name.clone()}</th>
                            <td class="num">{format_percent(t.replica_percent)}</td>
                            <td>{redundancy}</td>
                            <td class="num">{format_availability(t.availability_percent)}</td>
                            <td class="num">{format_duration(t.downtime_seconds_per_year)}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };

    let downtime_chart = Signal::derive(move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return ChartData::default();
            };
            let budget = &r.availability.downtime_seconds;
            ChartData {
                x_name: "period".into(),
                y_name: "allowed downtime".into(),
                log_y: true,
                y_format: crate::components::chart::Format::Seconds,
                x_labels: Period::ALL.iter().map(|p| p.label().to_string()).collect(),
                series: vec![Series {
                    name: format!("downtime at {}", format_percent(r.availability.slo_percent)),
                    kind: SeriesKind::Line,
                    points: Period::ALL
                        .iter()
                        .enumerate()
                        .map(|(i, &p)| (i as f64, budget.get(p)))
                        .collect(),
                }],
                ..ChartData::default()
            }
        })
    });

    let replicas_chart = Signal::derive(move || {
        state.parsed.with(|p| {
            let series = p
                .scenario
                .tiers()
                .iter()
                .map(|tier| Series {
                    name: tier.name().to_string(),
                    kind: SeriesKind::Line,
                    points: (1..=6u32)
                        .filter_map(|n| {
                            let grown = tier.with_replicas(n)?;
                            let unavailability = grown.unavailability();
                            (unavailability > 0.0).then(|| (f64::from(n), -unavailability.log10()))
                        })
                        .collect(),
                })
                .collect();
            ChartData {
                x_name: "replicas".into(),
                y_name: "nines (−log₁₀ unavailability)".into(),
                series,
                ..ChartData::default()
            }
        })
    });

    view! {
        <Page heading="Availability" sections=SECTIONS
            form_extra=Box::new(|| view! { <tiers_editor::TiersEditor /> }.into_any())
            lede="An availability target as downtime per year, quarter, month, week and day, and back;
            the error budget an outage spends; and what redundant tiers in series add up to.">
                <div class="metrics">
                    <Metric id="downtime-year" label="Downtime per year" primary=true
                        value=figure(|r| format_duration(r.availability.downtime_seconds.year))
                        note=figure(|r| format!("{} = {}", format_percent(r.availability.slo_percent), nines_text(r.availability.nines)))
                        explain="availability.downtime_seconds.year" />
                    <Metric id="downtime-month" label="Downtime per month" primary=true
                        value=figure(|r| format_duration(r.availability.downtime_seconds.month))
                        note=figure(|r| format!("month = {}", format_duration(r.availability.convention.seconds(Period::Month))))
                        explain="availability.downtime_seconds.month" />
                    <Metric id="error-budget" label="Outage spends"
                        value=figure(|r| r.availability.error_budget.map_or("—".into(), |b| format!("{}%", format_count(b.consumed_fraction * 100.0))))
                        note=figure(|r| r.availability.error_budget.map_or("a 100% target has no budget".into(), |b| format!("of the month's {} budget; {} left", format_duration(b.budget_seconds), format_duration(b.remaining_seconds))))
                        explain="availability.error_budget" />
                    <Metric id="burn-rate" label="Burn rate"
                        value=figure(|r| r.availability.burn_rate.map_or("—".into(), |b| format!("{}×", format_count(b))))
                        note=figure(|r| r.availability.time_to_exhaust_seconds.map_or(String::new(), |t| format!("the rest of the budget lasts {}", format_duration(t))))
                        explain="availability.burn_rate" />
                    <Metric id="composite" label="Tiers in series"
                        value=figure(|r| format_availability(r.availability.composite.availability_percent))
                        note=figure(|r| format!("{} down a year; {} the target",
                            format_duration(r.availability.composite.downtime_seconds.year),
                            if r.availability.composite.meets_slo { "meets" } else { "misses" }))
                        explain="availability.composite.availability_percent" />
                </div>
                {reverse}
                <h2>"Allowed downtime"</h2>
                <table class="data">
                    <thead><tr><th scope="col">"Period"</th><th scope="col">"Length"</th><th scope="col">"Downtime"</th><th scope="col">"Seconds"</th></tr></thead>
                    <tbody>{downtime_rows}</tbody>
                </table>
                <h2>"Tiers in series"</h2>
                <table class="data">
                    <thead><tr><th scope="col">"Tier"</th><th scope="col">"One replica"</th><th scope="col">"Redundancy"</th><th scope="col">"Tier"</th><th scope="col">"Down per year"</th></tr></thead>
                    <tbody>{composite_rows}</tbody>
                </table>
                <div class="charts">
                    <Chart id="chart-downtime" caption="Allowed downtime per period (log scale)" data=downtime_chart />
                    <Chart id="chart-replicas" caption="Each tier's availability as replicas are added (same required count or failover)" data=replicas_chart />
                </div>
                <h2>"The nines, recomputed"</h2>
                <table class="data nines">
                    <thead><tr><th scope="col">"Target"</th><th scope="col">"Nines"</th><th scope="col">"Year"</th><th scope="col">"Quarter"</th><th scope="col">"Month"</th><th scope="col">"Week"</th><th scope="col">"Day"</th></tr></thead>
                    <tbody>{nines_rows}</tbody>
                </table>
                <p class="aside">
                    "A correction to the chapter's table (section 9): its “Uptime/Year” column
                    holds downtime per year and its “Downtime/Year” column holds downtime per
                    month (a twelfth of a year). In the 99% row that column's 87.6 hours is the
                    yearly figure again (3.65 days); the monthly one is 7.3 hours. The table
                    above computes every column from the convention chosen in the form."
                </p>
        </Page>
    }
}
