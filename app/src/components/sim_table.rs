//! The frame of a simulator's results table: it scrolls sideways on a narrow screen.

use leptos::prelude::*;

/// A table with DOM id `id`: `head` is the header row's cells, `body` the rows, and `caption`
/// the `<caption>` element (a table without one is written out: `()` here would leave a
/// hydration marker in the markup).
pub fn sim_table(
    id: &'static str,
    head: impl IntoView,
    body: impl IntoView,
    caption: impl IntoView,
) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data sim" id=id>
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
                {caption}
            </table>
        </div>
    }
}
