//! A table that may be wider than a phone's screen.

use leptos::prelude::*;

/// Wraps `table`, which can be wider than the screen: it scrolls sideways in its own box rather
/// than the page, and the box is a named region in the tab order, so a keyboard can reach and
/// scroll it and a screen reader announces what it holds (WCAG 2.1.1; axe's
/// `scrollable-region-focusable` found these boxes unreachable at 375 px). `class` adds classes
/// before `table-scroll`. A function rather than a component with children: the tables are
/// built from borrowed data, which a component's boxed `'static` children could not hold.
pub fn table_scroll(
    label: impl Into<String>,
    class: &'static str,
    table: impl IntoView,
) -> impl IntoView {
    let class = if class.is_empty() {
        "table-scroll".to_string()
    } else {
        format!("{class} table-scroll")
    };
    view! {
        <div class=class tabindex="0" role="region" aria-label=label.into()>
            {table}
        </div>
    }
}
