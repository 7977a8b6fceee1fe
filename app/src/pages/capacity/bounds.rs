//! The table of `/capacity` that says which bound sets each tier: requests or network for the
//! web tier, operations or memory for the cache, writes or storage for the database's shards.
//! The rows come from `headroom::capacity::tier_bounds`.

use headroom::capacity::tier_bounds;
use leptos::prelude::*;

use crate::components::table_scroll::table_scroll;
use crate::state::use_scenario;

/// Each tier, which of its bounds binds, and what it runs.
#[component]
pub fn BoundsTable() -> impl IntoView {
    let state = use_scenario();
    let rows = move || {
        state.report.with(|r| {
            let Some(r) = r.as_deref() else {
                return Vec::new();
            };
            tier_bounds(&r.capacity)
                .into_iter()
                .map(|t| {
                    view! {
                        <tr id=format!("bound-{}", t.id)>
                            <th scope="row">{t.tier}</th>
                            <td class="binds">{t.binds}</td>
                            <td class="num">{t.runs.to_string()}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        {table_scroll("Which bound binds, per tier", "", view! {
            <table class="data" id="bounds">
                <thead><tr><th scope="col">"Tier"</th><th scope="col">"Which bound binds"</th><th scope="col">"Runs"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        })}
    }
}
