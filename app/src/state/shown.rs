//! What a page shows, the report or a simulator's last valid run, read the same way by every
//! page: a figure as text, a chart's data, a part of the page, or why there is nothing to show.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::chart::ChartData;
use crate::state::last_valid::Outcome;

/// A reactive value a page lays out: `None` while there is none to show.
pub trait Shown: Copy + Send + Sync + 'static {
    /// What is shown.
    type Value: Send + Sync + 'static;

    /// Reads the value shown (tracked), if any.
    fn with_shown<R>(&self, f: impl FnOnce(Option<&Self::Value>) -> R) -> R;

    /// A figure, formatted by `f`; empty while there is nothing to show.
    fn figure(self, f: fn(&Self::Value) -> String) -> Signal<String> {
        Signal::derive(move || self.with_shown(|v| v.map(f).unwrap_or_default()))
    }

    /// A chart's data, made by `f`; no series while there is nothing to show.
    fn chart(self, f: fn(&Self::Value) -> ChartData) -> Signal<ChartData> {
        Signal::derive(move || self.with_shown(|v| v.map(f).unwrap_or_default()))
    }

    /// A part of the page (a table, a note), laid out by `f`; nothing while there is nothing to
    /// show.
    fn part(self, f: fn(&Self::Value) -> AnyView) -> impl Fn() -> Option<AnyView> + Send + Sync {
        move || self.with_shown(|v| v.map(f))
    }
}

impl<T: Send + Sync + 'static> Shown for Memo<Option<Arc<T>>> {
    type Value = T;

    fn with_shown<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        self.with(|v| f(v.as_deref()))
    }
}

impl<T: Send + Sync + 'static> Shown for Memo<Outcome<T>> {
    type Value = T;

    fn with_shown<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        self.with(|v| f(v.as_deref().ok()))
    }
}

/// Why a simulator has no run, as an alert with the DOM id `id`; nothing when it has one.
pub fn failure<T: Send + Sync + 'static>(run: Memo<Outcome<T>>, id: &'static str) -> impl IntoView {
    move || {
        run.with(|r| {
            r.as_ref()
                .err()
                .map(|m| view! { <p class="sim-error" role="alert" id=id>{m.clone()}</p> })
        })
    }
}
