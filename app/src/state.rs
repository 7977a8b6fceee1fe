//! The scenario state of a page: the URL query is the single source of truth. Everything else
//! (the parsed scenario, its errors, the report) is derived from it, on the server for the first
//! render and in the browser on every keystroke.

pub mod last_valid;
pub mod shown;

use std::sync::Arc;

use headroom::report::Report;
use headroom::scenario::{
    FIELDS, Parsed, Scenario, VERSION, VERSION_KEY, encode_pairs, upgrade_pairs,
};
use headroom::uncertainty::{Change, Uncertainty};
use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_location, use_navigate},
};

/// The URL's query as `key=value` pairs, decoded once, as an HTML form encodes them, and read as
/// a link of the current version ([`upgrade_pairs`]): an older link's fields show the values it
/// meant, and every query written from it (an edit, a link to another page, a form) keeps that
/// meaning.
///
/// The router's own `ParamsMap` percent-decodes values a second time when it is built (so a
/// typed `%41` would read as `A`), so the state parses the raw query string itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Parses a query string, with or without its leading `?`.
    pub fn parse(search: &str) -> Self {
        let search = search.strip_prefix('?').unwrap_or(search);
        Self(upgrade_pairs(form_urlencoded::parse(search.as_bytes())))
    }

    /// The last value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// Every pair, in URL order (repeated keys included; the scenario keeps the last).
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Derived scenario state, provided as context to every page.
#[derive(Clone, Copy)]
pub struct ScenarioState {
    /// The query string, parsed into pairs.
    pub query: Memo<Query>,
    /// The path of the current page.
    pub path: Memo<String>,
    /// The scenario and one error per bad field.
    pub parsed: Memo<Parsed>,
    /// The report shown: of the scenario when it is valid, otherwise the last valid one (or, on a
    /// first load with a bad value, the scenario with that field at its default).
    pub report: Memo<Option<Arc<Report>>>,
    /// Whether the report shown is older than what is typed (some field is invalid).
    pub stale: Memo<bool>,
    /// The sampled figures of the report shown, when some field of it is a range. Computed with
    /// the first render (on the server, and in the browser while hydrating, so both draw the
    /// same page), then in the browser apart from typing: [`SAMPLE_AFTER_MS`] after the last
    /// change, so a keystroke never waits for 10,000 samples.
    pub sampled: RwSignal<Option<Arc<Uncertainty>>>,
    /// Whether `sampled` is of an earlier scenario while the one shown is being sampled.
    pub sampling: RwSignal<bool>,
    /// The report of the pinned baseline (the `base` field), at its ranges' middles.
    pub base_report: Memo<Option<Arc<Report>>>,
    /// Every figure of the report shown that differs from the baseline's.
    pub diff: Memo<Option<Arc<Vec<Change>>>>,
}

/// How long the browser waits after the last change before it samples the ranges again.
pub const SAMPLE_AFTER_MS: u64 = 150;

/// The sampled sections of the scenario whose canonical query is `query`.
fn sample_query(query: &str) -> Option<Arc<Uncertainty>> {
    headroom::uncertainty::sample(&Scenario::from_query(query).scenario).map(Arc::new)
}

/// The first report and samples of the page, built before the page hydrates.
///
/// Hydration is one task that the browser cannot interrupt, and on a phone its length is most
/// of the page's blocking time (Lighthouse's TBT). Building the scenario's report runs, and so
/// compiles, the whole estimation core: a part of that task that does not need the page. So the
/// browser builds the report (and, for a scenario with ranges, its 10,000 samples) in a task of
/// its own while the page's code downloads ([`build`], called by `crate::hydrate`), and the
/// state takes it instead of building it again. Each is taken once, and only for the same
/// scenario; anything else, and every later change, is built as before. On the server nothing
/// is prebuilt.
pub mod prebuilt {
    use std::cell::RefCell;
    use std::sync::Arc;

    use headroom::report::Report;
    use headroom::scenario::Scenario;
    use headroom::uncertainty::Uncertainty;

    use super::sample_query;

    /// What [`build`] made, until the state takes it.
    struct Prebuilt {
        scenario: Scenario,
        report: Option<Option<Arc<Report>>>,
        sampled: Option<(String, Option<Arc<Uncertainty>>)>,
    }

    thread_local! {
        static PREBUILT: RefCell<Option<Prebuilt>> = const { RefCell::new(None) };
    }

    /// Builds the report and samples of the scenario of `search` (the address bar's query),
    /// as the state would.
    pub fn build(search: &str) {
        let scenario = Scenario::from_pairs(super::Query::parse(search).pairs()).scenario;
        let report = Report::build_point(&scenario).ok().map(Arc::new);
        let sampled = report
            .as_ref()
            .map(|r| (r.query.clone(), sample_query(&r.query)));
        PREBUILT.with_borrow_mut(|p| {
            *p = Some(Prebuilt {
                scenario,
                report: Some(report),
                sampled,
            });
        });
    }

    /// The report of `scenario`: the prebuilt one if it is of this scenario, otherwise built.
    /// Called on every change: once the prebuilt report is taken, the scenarios are not compared.
    pub fn report(scenario: &Scenario) -> Option<Arc<Report>> {
        PREBUILT
            .with_borrow_mut(|p| {
                p.as_mut()
                    .filter(|p| p.report.is_some() && p.scenario == *scenario)
                    .and_then(|p| p.report.take())
            })
            .unwrap_or_else(|| Report::build_point(scenario).ok().map(Arc::new))
    }

    /// The samples of the scenario whose canonical query is `query`: the prebuilt ones if they
    /// are of this query, otherwise sampled.
    pub fn sampled(query: &str) -> Option<Arc<Uncertainty>> {
        PREBUILT
            .with_borrow_mut(|p| {
                let p = p.as_mut()?;
                if p.sampled.as_ref().is_some_and(|(q, _)| q == query) {
                    p.sampled.take().map(|(_, sampled)| sampled)
                } else {
                    None
                }
            })
            .unwrap_or_else(|| sample_query(query))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn waiting() -> (bool, bool) {
            PREBUILT.with_borrow(|p| {
                p.as_ref().map_or((false, false), |p| {
                    (p.report.is_some(), p.sampled.is_some())
                })
            })
        }

        #[test]
        fn the_state_takes_what_was_prebuilt_once_and_only_for_its_scenario() {
            // A scenario with a range, so that it is sampled too.
            let search = "?v=2&dau=80M..120M&peak=4";
            let scenario =
                Scenario::from_pairs(super::super::Query::parse(search).pairs()).scenario;
            let built = Report::build_point(&scenario).expect("a valid scenario");
            let samples = sample_query(&built.query).expect("a range is sampled");
            build(search);
            assert_eq!(waiting(), (true, true));

            // Another scenario (the chapter's) is built afresh and leaves them waiting.
            let chapter = Scenario::default();
            assert_eq!(
                report(&chapter).as_deref(),
                Report::build_point(&chapter).ok().as_ref()
            );
            assert_eq!(sampled_of_chapter(&chapter), None);
            assert_eq!(waiting(), (true, true));

            // Its own are taken once, and are what building them gives.
            assert_eq!(report(&scenario).as_deref(), Some(&built));
            assert_eq!(waiting(), (false, true));
            assert_eq!(sampled(&built.query), Some(Arc::clone(&samples)));
            assert_eq!(waiting(), (false, false));
            // Later changes are built as before.
            assert_eq!(report(&scenario).as_deref(), Some(&built));
            assert_eq!(sampled(&built.query), Some(samples));
        }

        fn sampled_of_chapter(chapter: &Scenario) -> Option<Arc<Uncertainty>> {
            sampled(
                &Report::build_point(chapter)
                    .expect("the chapter's report")
                    .query,
            )
        }

        #[test]
        fn nothing_prebuilt_builds_as_before() {
            let chapter = Scenario::default();
            let built = Report::build_point(&chapter).expect("the chapter's report");
            assert_eq!(report(&chapter).as_deref(), Some(&built));
            assert_eq!(sampled(&built.query), None, "the chapter has no ranges");
        }
    }
}

impl ScenarioState {
    /// Creates the state from the router's location; call inside `<Router>`.
    pub fn new() -> Self {
        let location = use_location();
        let search = location.search;
        let query = Memo::new(move |_| search.with(|s| Query::parse(s)));
        let parsed = Memo::new(move |_| query.with(|q| Scenario::from_pairs(q.pairs())));
        let report = Memo::new(move |previous: Option<&Option<Arc<Report>>>| {
            parsed.with(|p| match previous {
                Some(Some(last_good)) if !p.errors.is_empty() => Some(Arc::clone(last_good)),
                _ => prebuilt::report(&p.scenario),
            })
        });
        let stale = Memo::new(move |_| parsed.with(|p| !p.errors.is_empty()));
        let shown_query =
            move || report.with(|r| r.as_ref().map(|r| r.query.clone()).unwrap_or_default());
        let sampled = RwSignal::new(prebuilt::sampled(&untrack(shown_query)));
        let sampling = RwSignal::new(false);
        #[cfg(feature = "hydrate")]
        resample_apart_from_typing(shown_query, sampled, sampling);
        let base_query = Memo::new(move |_| {
            report.with(|r| {
                r.as_ref()?
                    .inputs
                    .get("base")
                    .and_then(|b| b.as_str())
                    .filter(|b| !b.is_empty())
                    .map(str::to_owned)
            })
        });
        let base_report = Memo::new(move |_| {
            base_query.with(|q| {
                let base = Scenario::from_query(q.as_deref()?).scenario;
                Report::build_point(&base).ok().map(Arc::new)
            })
        });
        let diff = Memo::new(move |_| {
            base_report.with(|base| {
                let base = base.as_deref()?;
                report.with(|r| Some(Arc::new(headroom::uncertainty::diff(base, r.as_deref()?))))
            })
        });
        Self {
            query,
            path: location.pathname,
            parsed,
            report,
            stale,
            sampled,
            sampling,
            base_report,
            diff,
        }
    }

    /// A figure of the report shown, formatted by `f`; empty while there is no report.
    pub fn figure(self, f: fn(&Report) -> String) -> Signal<String> {
        shown::Shown::figure(self.report, f)
    }

    /// The text of `key` as typed (from the URL), or its default's canonical text.
    pub fn raw(&self, key: &str) -> String {
        self.query
            .with(|q| q.get(key))
            .unwrap_or_else(|| Scenario::defaults().field_text(key).unwrap_or_default())
    }

    /// The error message of `key`, if its text is invalid.
    pub fn error(&self, key: &str) -> Option<String> {
        self.parsed
            .with(|p| p.error_for(key).map(|e| e.message.clone()))
    }

    /// The current query with `key` set to `value` (the text as typed, valid or not), keeping
    /// the other known keys in their order and dropping unknown ones, after the link version.
    pub fn query_with(&self, key: &str, value: &str) -> String {
        self.query_with_all(&[(key, value)])
    }

    /// [`Self::query_with`] for several keys at once (an import that sets two fields).
    pub fn query_with_all(&self, set: &[(&str, &str)]) -> String {
        self.query.with_untracked(|q| {
            let mut pairs: Vec<(String, String)> = Vec::new();
            for (k, v) in q
                .pairs()
                .filter(|(k, _)| FIELDS.iter().any(|f| f.key == *k))
            {
                // Repeated keys: keep one entry per key, with its last value.
                match pairs.iter_mut().find(|(key, _)| key == k) {
                    Some(pair) => pair.1 = v.to_string(),
                    None => pairs.push((k.to_string(), v.to_string())),
                }
            }
            for &(key, value) in set {
                match pairs.iter_mut().find(|(k, _)| k == key) {
                    Some(pair) => pair.1 = value.to_string(),
                    None => pairs.push((key.to_string(), value.to_string())),
                }
            }
            pairs.insert(0, (VERSION_KEY.to_string(), VERSION.to_string()));
            encode_pairs(pairs)
        })
    }

    /// The canonical query of the scenario (valid values only, defaults omitted).
    pub fn canonical_query(&self) -> String {
        self.parsed.with(|p| p.scenario.to_query())
    }

    /// The canonical query of the scenario whose results are shown: while a field is invalid,
    /// the last valid scenario (or, on a first load, the one with that field at its default),
    /// not the text typed. The link and the export use it, so they reproduce what is on screen.
    pub fn shown_query(&self) -> String {
        self.report
            .with(|r| r.as_ref().map(|r| r.query.clone()))
            .unwrap_or_else(|| self.canonical_query())
    }

    /// For each invalid field, what the results shown use in its place (empty while every field
    /// is valid).
    pub fn stand_ins(&self) -> Vec<StandIn> {
        let errors: Vec<String> = self
            .parsed
            .with(|p| p.errors.iter().map(|e| e.field.clone()).collect());
        if errors.is_empty() {
            return Vec::new();
        }
        let shown = Scenario::from_query(&self.shown_query()).scenario;
        let defaults = Scenario::defaults();
        errors
            .into_iter()
            .filter_map(|key| {
                let spec = FIELDS.iter().find(|f| f.key == key)?;
                let used = shown.field_text(&key)?;
                Some(StandIn {
                    label: spec.label,
                    typed: self.raw(&key),
                    is_default: defaults.field_text(&key).as_deref() == Some(used.as_str()),
                    used,
                })
            })
            .collect()
    }

    /// `path` with the current query, as typed: navigation between pages keeps the scenario.
    pub fn href(&self, path: &str) -> String {
        self.query
            .with(|q| with_query(path, &encode_pairs(q.pairs())))
    }
}

/// An invalid field and the value the results shown use instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandIn {
    /// The field's label.
    pub label: &'static str,
    /// The text typed (invalid, or valid but refused with another field).
    pub typed: String,
    /// The canonical text of the value the results use.
    pub used: String,
    /// Whether that value is the field's default (rather than the last valid value typed).
    pub is_default: bool,
}

/// Samples the scenario shown again each time it changes, [`SAMPLE_AFTER_MS`] after the last
/// change; a change in the meantime drops the pending sampling.
#[cfg(feature = "hydrate")]
fn resample_apart_from_typing(
    shown_query: impl Fn() -> String + 'static,
    sampled: RwSignal<Option<Arc<Uncertainty>>>,
    sampling: RwSignal<bool>,
) {
    let generation = StoredValue::new(0_u64);
    Effect::new(move |previous: Option<String>| {
        let query = shown_query();
        if previous.is_some_and(|p| p != query) {
            generation.update_value(|g| *g += 1);
            let mine = generation.get_value();
            if !Scenario::from_query(&query).scenario.ranges().is_empty() {
                sampling.set(true);
                let query = query.clone();
                set_timeout(
                    move || {
                        if generation.get_value() == mine {
                            sampled.set(sample_query(&query));
                            sampling.set(false);
                        }
                    },
                    std::time::Duration::from_millis(SAMPLE_AFTER_MS),
                );
            } else {
                sampled.set(None);
                sampling.set(false);
            }
        }
        query
    });
}

impl Default for ScenarioState {
    fn default() -> Self {
        Self::new()
    }
}

/// `path?query`, or `path` alone for an empty query.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// The scenario state of the current page.
pub fn use_scenario() -> ScenarioState {
    expect_context::<ScenarioState>()
}

/// A setter that writes `key=value` into the URL without adding a history entry or scrolling:
/// typing stays shareable and the back button is not flooded.
pub fn use_field_setter() -> impl Fn(&str, &str) + Clone + 'static {
    let set = use_fields_setter();
    move |key: &str, value: &str| set(&[(key, value)])
}

/// [`use_field_setter`] for several fields at once.
pub fn use_fields_setter() -> impl Fn(&[(&str, &str)]) + Clone + 'static {
    let state = use_scenario();
    let navigate = use_navigate();
    move |set: &[(&str, &str)]| {
        let url = with_query(&state.path.get_untracked(), &state.query_with_all(set));
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    }
}
