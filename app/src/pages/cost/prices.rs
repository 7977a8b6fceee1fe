//! The price table `/cost` used, with its date and source.

use headroom::cost::Arch;
use headroom::units::{format_count, format_si, format_usd};
use leptos::prelude::*;

use crate::state::use_scenario;

/// Requests, GB-seconds per architecture and tier, and the free tier.
#[component]
pub fn PriceTable() -> impl IntoView {
    let state = use_scenario();
    move || {
        state.report.with(|r| {
            let r = r.as_deref()?;
            let p = &r.prices;
            let tiers = |arch: Arch| {
                p.tiers(arch)
                    .iter()
                    .scan(0.0, |from, t| {
                        let range = match t.up_to_gb_seconds {
                            Some(to) => format!("{} to {} GB-s", format_si(*from), format_si(to)),
                            None => format!("over {} GB-s", format_si(*from)),
                        };
                        *from = t.up_to_gb_seconds.unwrap_or(*from);
                        Some(view! { <tr><th scope="row">{arch.key()}</th><td>{range}</td><td class="num">{format_usd(t.usd_per_gb_second)}</td></tr> })
                    })
                    .collect_view()
            };
            Some(view! {
                <table class="data prices">
                    <caption>"Prices as of " {p.as_of().to_string()} ": " {p.source().to_string()}</caption>
                    <thead><tr><th scope="col">"Item"</th><th scope="col">"Range"</th><th scope="col">"USD"</th></tr></thead>
                    <tbody>
                        <tr><th scope="row">"Requests"</th><td>"per million"</td><td class="num">{format_usd(p.usd_per_million_requests())}</td></tr>
                        {tiers(Arch::X86)}
                        {tiers(Arch::Arm)}
                        <tr><th scope="row">"Free tier"</th><td colspan="2">{format!("{} requests and {} GB-s a month", format_si(p.free_requests_per_month()), format_count(p.free_gb_seconds_per_month()))}</td></tr>
                    </tbody>
                </table>
            })
        })
    }
}
