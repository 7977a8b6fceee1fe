//! `/cost`: serverless against always-on instances, and the volume where they cross; then the
//! capacity plan's whole fleet priced (see `fleet`).

mod charts;
mod fleet;
mod prices;

use headroom::cost::month_note;
use headroom::report::Cheaper;
use headroom::scenario::Group;
use headroom::units::{format_count, format_si, format_usd};
use leptos::prelude::*;

use crate::components::chart::Chart;
use crate::components::metric::{Metric, explain};
use crate::components::page::Page;
use crate::components::scenario_form::Section;
use crate::state::use_scenario;

const SECTIONS: &[Section] = &[
    Section {
        title: "Serverless and instances",
        group: Group::Cost,
    },
    Section {
        title: "The fleet: region, types, purchase",
        group: Group::Fleet,
    },
];

/// The crossover volume, `none` where one option is always cheaper.
pub(crate) fn crossover_text(requests_per_month: Option<f64>) -> String {
    requests_per_month.map_or("none".into(), |c| format!("{} req/month", format_si(c)))
}

/// The cost calculator.
#[component]
pub fn Cost() -> impl IntoView {
    let state = use_scenario();
    let figure = move |f| state.figure(f);

    view! {
        <Page heading="Cost" sections=SECTIONS
            lede="Serverless bills per request and per GB-second; always-on instances bill per hour
            whatever the traffic. Below the crossover serverless is cheaper, above it instances
            are: the chapter's section 8, solved exactly.">
                <div class="metrics">
                    <Metric id="serverless-cost" of=("cost.serverless_usd_per_month", format_usd) label="Serverless per month" primary=true
                        value=figure(|r| format_usd(r.cost.serverless_usd_per_month))
                        note=figure(|r| format!("{} GB-s", format_si(r.cost.serverless.gb_seconds)))
                        trace=explain("cost.serverless_usd_per_month") />
                    <Metric id="instances-cost" of=("cost.instances_usd_per_month", format_usd) label="Instances per month" primary=true
                        value=figure(|r| format_usd(r.cost.instances_usd_per_month))
                        note=figure(|r| month_note(r.inputs.get("hours").and_then(serde_json::Value::as_f64).unwrap_or(f64::NAN)))
                        trace=explain("cost.instances_usd_per_month") />
                    <Metric id="crossover" label="Crossover"
                        value=figure(|r| crossover_text(r.cost.crossover_requests_per_month))
                        note=figure(|r| r.cost.crossover_requests_per_second.map_or(String::new(), |s| format!("{} req/s sustained", format_count(s))))
                        trace=explain("cost.crossover_requests_per_month") />
                    <Metric id="cheaper" label="Cheaper here"
                        value=figure(|r| match r.cost.cheaper {
                            Cheaper::Serverless => "Serverless".to_string(),
                            Cheaper::Instances => "Instances".to_string(),
                            Cheaper::Equal => "Equal".to_string(),
                        })
                        note=figure(|r| {
                            let (a, b) = (r.cost.serverless_usd_per_month, r.cost.instances_usd_per_month);
                            format!("saves {} a month", format_usd((a - b).abs()))
                        }) />
                    <Metric id="gb-seconds" label="Compute"
                        value=figure(|r| format!("{} GB-s", format_si(r.cost.serverless.gb_seconds)))
                        note=figure(|r| format!("{} billable after the free tier", format_si(r.cost.serverless.billable_gb_seconds)))
                        trace=explain("cost.serverless.gb_seconds") />
                </div>
                <div class="charts">
                    <Chart id="chart-cost" caption="Monthly cost against requests per month (log scales), with the crossover marked" data=charts::cost(state) />
                    <Chart id="chart-memory" caption="Serverless cost at each memory size, duration held fixed" data=charts::memory(state) />
                </div>
                <prices::PriceTable />
                <fleet::Fleet />
        </Page>
    }
}
