//! The tables of `/availability`: downtime per period, the target a downtime budget allows, the
//! tiers in series, and the nines table recomputed.

use headroom::availability::{Period, Redundancy};
use headroom::units::{format_availability, format_count, format_duration, format_percent};
use leptos::prelude::*;

use super::nines_text;
use crate::components::table_scroll::table_scroll;
use crate::state::{use_scenario, with_query};

/// Allowed downtime per period at the target.
#[component]
pub fn DowntimeTable() -> impl IntoView {
    let state = use_scenario();
    let rows = move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else { return Vec::new() };
            let convention = r.availability.convention;
            Period::ALL
                .iter()
                .map(|&period| {
                    let allowed = r.availability.downtime_seconds.get(period);
                    view! {
                        <tr>
                            <th scope="row">{period.key()}</th>
                            <td class="num">{format_duration(convention.seconds(period))}</td>
                            <td class="num" id=format!("downtime-row-{period}")>{format_duration(allowed)}</td>
                            <td class="num">{format_count(allowed)}" s"</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        {table_scroll("Downtime per period", "", view! {
            <table class="data">
                <thead><tr><th scope="col">"Period"</th><th scope="col">"Length"</th><th scope="col">"Downtime"</th><th scope="col">"Seconds"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        })}
    }
}

/// Each tier of the chain, its redundancy and what it adds up to.
#[component]
pub fn CompositeTable() -> impl IntoView {
    let state = use_scenario();
    let rows = move || {
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
    view! {
        {table_scroll("Each tier of the chain", "", view! {
            <table class="data">
                <thead><tr><th scope="col">"Tier"</th><th scope="col">"One replica"</th><th scope="col">"Redundancy"</th><th scope="col">"Tier"</th><th scope="col">"Down per year"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        })}
    }
}

/// The chapter's nines table, every column computed from the chosen convention.
#[component]
pub fn NinesTable() -> impl IntoView {
    let state = use_scenario();
    let rows = move || {
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
    view! {
        {table_scroll("Downtime for each number of nines", "", view! {
            <table class="data nines">
                <thead><tr><th scope="col">"Target"</th><th scope="col">"Nines"</th><th scope="col">"Year"</th><th scope="col">"Quarter"</th><th scope="col">"Month"</th><th scope="col">"Week"</th><th scope="col">"Day"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        })}
    }
}

/// The target a downtime budget allows, with a link that makes it the target.
#[component]
pub fn ReverseTarget() -> impl IntoView {
    let state = use_scenario();
    move || {
        state.report.with(|r| {
            let rev = r.as_deref()?.availability.reverse.clone()?;
            Some(match (rev.target_percent, rev.message) {
                (Some(target), _) => {
                    let use_it =
                        state.query_with("slo", &headroom::units::format_query_number(target));
                    let href = with_query(&state.path.get(), &use_it);
                    view! {
                        <p class="reverse" id="reverse-target">
                            {format_duration(rev.downtime_seconds)} " per " {rev.period.key()}
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
    }
}
