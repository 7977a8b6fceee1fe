//! A simulation run derived from the scenario that, like the report, keeps the last valid run on
//! screen while an input is invalid (the page marks it stale), and recomputes only when the
//! simulation's own configuration changes, not on every keystroke elsewhere.

use std::sync::Arc;

use leptos::prelude::*;

use crate::state::use_scenario;

/// A run, or why there is none (a message for the person, never a panic).
pub type Outcome<R> = Result<Arc<R>, String>;

/// The run of `run(config())`. `config` is tracked (read the scenario or the query in it); the
/// run is recomputed when its value changes and the scenario is valid.
pub fn last_valid_run<C, R>(
    config: impl Fn() -> C + Send + Sync + 'static,
    run: impl Fn(&C) -> Result<R, String> + Send + Sync + 'static,
) -> Memo<Outcome<R>>
where
    C: PartialEq + Send + Sync + 'static,
    R: Send + Sync + 'static,
{
    let state = use_scenario();
    let config = Memo::new(move |_| config());
    Memo::new_with_compare(
        move |previous: Option<&Outcome<R>>| match previous {
            Some(Ok(last)) if state.stale.get() => Ok(Arc::clone(last)),
            _ => config.with(|c| run(c).map(Arc::new)),
        },
        // A new run is a new allocation; comparing whole runs would cost as much as making them.
        |old, new| match (old, new) {
            (Some(Ok(a)), Some(Ok(b))) => !Arc::ptr_eq(a, b),
            (Some(Err(a)), Some(Err(b))) => a != b,
            _ => true,
        },
    )
}
