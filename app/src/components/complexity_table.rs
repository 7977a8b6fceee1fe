//! A table of algorithms' costs: the chapter's rows, then the rows Headroom adds, marked.

use leptos::prelude::*;

/// One algorithm's row: its name, whether the chapter has it, and the other cells in column order.
pub struct ComplexityRow {
    /// The algorithm.
    pub algorithm: &'static str,
    /// `false` for rows the chapter lacks; they are marked "(added)".
    pub from_chapter: bool,
    /// The remaining cells.
    pub cells: Vec<&'static str>,
}

/// The table, with `headers` naming every column (the algorithm's first).
#[component]
pub fn ComplexityTable(
    /// DOM id of the table.
    id: &'static str,
    /// Column names.
    headers: &'static [&'static str],
    /// The rows.
    rows: Vec<ComplexityRow>,
    /// What the table is and where it comes from.
    caption: &'static str,
) -> impl IntoView {
    let header = headers
        .iter()
        .map(|h| view! { <th scope="col">{*h}</th> })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|r| {
            let cells = r
                .cells
                .into_iter()
                .map(|c| view! { <td>{c}</td> })
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
        <div class="table-scroll">
            <table class="data sim" id=id>
                <thead><tr>{header}</tr></thead>
                <tbody>{body}</tbody>
                <caption>{caption}</caption>
            </table>
        </div>
    }
}
