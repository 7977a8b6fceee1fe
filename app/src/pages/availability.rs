//! `/availability`: target to downtime and back, the chapter's nines table recomputed, and the
//! composite availability of a chain of redundant tiers.

mod charts;
mod tables;
mod tiers_editor;

use headroom::scenario::Group;
use headroom::units::{
    format_availability, format_count, format_duration, format_percent, format_share,
};
use leptos::prelude::*;

use crate::components::chart::Chart;
use crate::components::metric::{Metric, explain};
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::state::use_scenario;

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

    view! {
        <Page heading="Availability" sections=SECTIONS
            form_extra=Box::new(|| view! { <tiers_editor::TiersEditor /> }.into_any())
            lede="An availability target as downtime per year, quarter, month, week and day, and back;
            the error budget an outage spends; and what redundant tiers in series add up to.">
                <div class="metrics">
                    <Metric id="downtime-year" of=("availability.downtime_seconds.year", format_duration) label="Downtime per year" primary=true
                        value=figure(|r| format_duration(r.availability.downtime_seconds.year))
                        note=figure(|r| format!("{} = {}", format_percent(r.availability.slo_percent), nines_text(r.availability.nines)))
                        trace=explain("availability.downtime_seconds.year") />
                    <Metric id="downtime-month" of=("availability.downtime_seconds.month", format_duration) label="Downtime per month" primary=true
                        value=figure(|r| format_duration(r.availability.downtime_seconds.month))
                        note=figure(|r| r.availability.convention.month_note())
                        trace=explain("availability.downtime_seconds.month") />
                    <Metric id="error-budget" of=("availability.error_budget.consumed_fraction", format_share) label="Outage spends"
                        value=figure(|r| r.availability.error_budget.map_or("—".into(), |b| format!("{}%", format_count(b.consumed_fraction * 100.0))))
                        note=figure(|r| r.availability.error_budget.map_or("a 100% target has no budget".into(), |b| format!("of the month's {} budget; {} left", format_duration(b.budget_seconds), format_duration(b.remaining_seconds))))
                        trace=explain("availability.error_budget") />
                    <Metric id="burn-rate" of=("availability.burn_rate", format_count) label="Burn rate"
                        value=figure(|r| r.availability.burn_rate.map_or("—".into(), |b| format!("{}×", format_count(b))))
                        note=figure(|r| r.availability.time_to_exhaust_seconds.map_or(String::new(), |t| format!("the rest of the budget lasts {}", format_duration(t))))
                        trace=explain("availability.burn_rate") />
                    <Metric id="composite" of=("availability.composite.availability_percent", format_count) label="Tiers in series"
                        value=figure(|r| format_availability(r.availability.composite.availability_percent))
                        note=figure(|r| format!("{} down a year; {} the target",
                            format_duration(r.availability.composite.downtime_seconds.year),
                            if r.availability.composite.meets_slo { "meets" } else { "misses" }))
                        trace=explain("availability.composite.availability_percent") />
                </div>
                <tables::ReverseTarget />
                <h2>"Allowed downtime"</h2>
                <tables::DowntimeTable />
                <h2>"Tiers in series"</h2>
                <tables::CompositeTable />
                <div class="charts">
                    <Chart id="chart-downtime" caption="Allowed downtime per period (log scale)" data=charts::downtime(state) />
                    <Chart id="chart-replicas" caption="Each tier's availability as replicas are added (same required count or failover)" data=charts::replicas(state) />
                </div>
                <h2>"The nines, recomputed"</h2>
                <tables::NinesTable />
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
