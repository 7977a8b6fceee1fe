//! A table of algorithms' costs: the chapter's rows, then the rows Headroom adds, marked.

use headroom::complexity::ComplexityTable as Table;
use leptos::prelude::*;

use crate::components::table_scroll::table_scroll;

/// The core's `table`, each added row marked "(added)".
#[component]
pub fn ComplexityTable(
    /// DOM id of the table.
    id: &'static str,
    /// The columns and rows.
    table: Table,
    /// What the table is and where it comes from.
    caption: &'static str,
) -> impl IntoView {
    let header = table
        .headers
        .iter()
        .map(|h| view! { <th scope="col">{*h}</th> })
        .collect_view();
    let body = table
        .rows
        .iter()
        .map(|r| {
            let cells = r
                .cells
                .iter()
                .map(|c| view! { <td>{*c}</td> })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{r.algorithm}{(!r.from_chapter).then_some(" (added)")}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        {table_scroll(caption, "", view! {
            <table class="data sim" id=id>
                <thead><tr>{header}</tr></thead>
                <tbody>{body}</tbody>
                <caption>{caption}</caption>
            </table>
        })}
    }
}
