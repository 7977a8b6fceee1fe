//! The scenario: every input with its query key, default, range, unit and help text; presets; and
//! the query-string codec.
//!
//! A scenario lives in its URL. Parsing is tolerant: unknown keys are ignored, values accept the
//! human forms that [`crate::units`] parses (`100M`, `500 B`, `99.99%`), the last of repeated keys
//! wins, and a bad value leaves that one field at its default with an error naming it. Writing is
//! canonical: the link version `v=2` first, then the fields in declaration order, only values that
//! differ from the default, so equal scenarios give equal URLs.
//!
//! ## Link versions
//! A link is a promise: it must mean tomorrow what it meant when it was shared, but a link leaves
//! out every field at its default, so changing a default would change old links. Links therefore
//! carry `v`. Version 2 (from 2026-11-30) plans at a target utilization of 0.7 with N+1
//! redundancy; before it, links had no `v` and an absent `util` meant 1 and an absent `spare` meant
//! none (the chapter's example). [`upgrade_pairs`] reads a link of either version as a version-2
//! one by writing out the old defaults it relied on; an empty query is the current defaults.

mod choices;
mod configs;
mod fields;
mod presets;
mod simulators;
mod value;

pub use choices::{
    AutoscalePattern, DurationShape, ObservedSizing, PlanAt, QueueGoal, RateLimitPattern,
};
pub use configs::{
    AUTOSCALE_STEP_S, EVENT_S, MAGLEV_TABLE, MOVEMENT_KEYS, ObservedPlan, RAMP_S,
    RATE_LIMIT_BUCKETS,
};
pub use fields::{FIELDS, Group, Kind};
pub use presets::{PRESETS, Preset};
pub use simulators::{format_servers, parse_servers};
pub use value::{FieldRead, FieldValue};

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest value accepted for one field, in bytes: a longer one is an error, not a parse attempt,
/// so hostile input costs nothing and is not echoed back whole.
pub const MAX_VALUE_LEN: usize = 2_048;

/// Everything the app knows about one input: its key in the query string and how to show it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldSpec {
    /// Query key (stable: people share URLs and script against them).
    pub key: &'static str,
    /// Label shown next to the input.
    pub label: &'static str,
    /// Unit shown after the input ("users/day", "bytes", "%").
    pub unit: &'static str,
    /// One-line hint under the input.
    pub help: &'static str,
    /// How the text is parsed and written.
    pub kind: Kind,
    /// Smallest allowed value (numbers only).
    pub min: f64,
    /// Largest allowed value (numbers only).
    pub max: f64,
    /// Whether `min` itself is excluded.
    pub min_exclusive: bool,
    /// The page and form section the field belongs to.
    pub group: Group,
    /// The allowed texts of a choice, in display order, with their labels.
    pub choices: &'static [(&'static str, &'static str)],
    /// Whether the value is one plain number (not optional, not a choice or text).
    pub number: bool,
}

impl FieldSpec {
    /// The spec of `key`, if it is a known field.
    pub fn find(key: &str) -> Option<&'static FieldSpec> {
        FIELDS.iter().find(|f| f.key == key)
    }

    /// Human description of the allowed range, e.g. "between 0 and 1".
    pub fn range_text(&self) -> String {
        let min = crate::units::format_number(self.min, 10);
        let max = crate::units::format_number(self.max, 10);
        if self.min_exclusive {
            format!("greater than {min} and at most {max}")
        } else {
            format!("between {min} and {max}")
        }
    }
}

/// A value that could not be used, naming the field: the JSON API answers it as
/// `{"error": {"field": ..., "message": ...}}` and the UI shows it under the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldError {
    /// The query key of the field.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl FieldError {
    /// An error for `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

pub use fields::Scenario;

/// The outcome of reading a query: the scenario (bad fields left at their defaults) and one
/// error per bad field.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The scenario, every bad field at its default.
    pub scenario: Scenario,
    /// One error per field whose value could not be used, in field order.
    pub errors: Vec<FieldError>,
}

impl Parsed {
    /// The error of `key`, if its value was bad.
    pub fn error_for(&self, key: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == key)
    }
}

/// The query key of the link version.
pub const VERSION_KEY: &str = "v";

/// The link version this Headroom writes.
pub const VERSION: &str = "2";

/// What an absent key meant in a version-1 link (no `v`), for every field whose default has
/// changed since: the chapter's example planned every node at full load with no spare.
pub const VERSION_1_DEFAULTS: &[(&str, &str)] = &[("util", "1"), ("spare", "none")];

/// Reads pairs written by any link version as pairs of the current one, keeping their order.
///
/// A query is version 1 when `v` is `1`, or when it has no `v` but sets some field (an empty
/// query, or one of unknown keys only, is the current defaults). A version-1 query gains, after
/// its own pairs, the old default of every field it leaves out whose default has changed
/// ([`VERSION_1_DEFAULTS`]). Every `v` is dropped, and the result starts with `v=2` when it sets
/// any field, so it reads the same whoever reads it next.
pub fn upgrade_pairs<K, V, I>(pairs: I) -> Vec<(String, String)>
where
    K: AsRef<str>,
    V: AsRef<str>,
    I: IntoIterator<Item = (K, V)>,
{
    let mut version = None;
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, value) in pairs {
        if key.as_ref() == VERSION_KEY {
            version = Some(value.as_ref().trim() == "1");
        } else {
            out.push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        }
    }
    let is_field = |key: &str| FieldSpec::find(key).is_some();
    let sets_a_field = out.iter().any(|(k, _)| is_field(k));
    let version_1 = version.unwrap_or(sets_a_field);
    if version_1 {
        for (key, old_default) in VERSION_1_DEFAULTS {
            if !out.iter().any(|(k, _)| k == key) {
                out.push(((*key).to_owned(), (*old_default).to_owned()));
            }
        }
    }
    if out.iter().any(|(k, _)| is_field(k)) {
        out.insert(0, (VERSION_KEY.to_owned(), VERSION.to_owned()));
    }
    out
}

impl Scenario {
    /// Reads `key=value` pairs of any link version ([`upgrade_pairs`]): unknown keys are ignored,
    /// the last of repeated keys wins, and each bad value leaves its field at the default and
    /// adds an error naming it.
    pub fn from_pairs<K, V, I>(pairs: I) -> Parsed
    where
        K: AsRef<str>,
        V: AsRef<str>,
        I: IntoIterator<Item = (K, V)>,
    {
        // Keep only the last value per known key, then apply them in field order so errors come
        // out in a stable order whatever the URL's order was.
        let mut last: Vec<Option<String>> = FIELDS.iter().map(|_| None).collect();
        for (key, value) in upgrade_pairs(pairs) {
            if let Some(i) = FIELDS.iter().position(|f| f.key == key) {
                last[i] = Some(value);
            }
        }
        let mut scenario = Scenario::default();
        let mut errors = Vec::new();
        for (spec, value) in FIELDS.iter().zip(last) {
            if let Some(value) = value
                && let Err(err) = scenario.set(spec.key, &value)
            {
                errors.push(err);
            }
        }
        scenario.check_across_fields(&mut errors);
        Parsed { scenario, errors }
    }

    /// Reads a URL query string (with or without the leading `?`), percent-decoding it as an HTML
    /// form does (`+` is a space).
    pub fn from_query(query: &str) -> Parsed {
        let query = query.strip_prefix('?').unwrap_or(query);
        Self::from_pairs(form_urlencoded::parse(query.as_bytes()))
    }

    /// The canonical query string, without the leading `?`: `v=2`, then only fields that differ
    /// from the default, in declaration order, form-encoded. The default scenario gives `""`.
    pub fn to_query(&self) -> String {
        encode_pairs(self.to_pairs())
    }

    /// A short, stable name for the scenario (8 hex digits of the FNV-1a hash of its canonical
    /// query), used in export file names: `headroom-<hash>.json`. Equal scenarios get equal names
    /// on the server and in the browser.
    pub fn short_hash(&self) -> String {
        let hash = crate::loadbalance::fnv1a64(self.to_query().as_bytes());
        format!("{:08x}", hash >> 32)
    }

    /// The link version and the fields that differ from the default, in declaration order, as
    /// canonical text; empty for the default scenario.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.pairs_differing_from(Scenario::defaults());
        if !pairs.is_empty() {
            pairs.insert(0, (VERSION_KEY, VERSION.to_owned()));
        }
        pairs
    }

    /// The chapter's worked example (the preset `chapter`): tests that pin the chapter's own
    /// numbers start from this, not from the defaults.
    pub fn chapter() -> Scenario {
        let preset = PRESETS
            .iter()
            .find(|p| p.id == "chapter")
            .expect("the chapter preset exists");
        Scenario::from_query(preset.query).scenario
    }

    /// The default scenario, built once (its tiers are parsed from text).
    pub fn defaults() -> &'static Scenario {
        static DEFAULTS: std::sync::LazyLock<Scenario> =
            std::sync::LazyLock::new(Scenario::default);
        &DEFAULTS
    }

    /// Rules that span fields. A violation resets the later field to its default and reports it.
    fn check_across_fields(&mut self, errors: &mut Vec<FieldError>) {
        let defaults = Scenario::defaults();
        for (key, message) in self.cross_field_violations() {
            if let Some(text) = defaults.field_text(key) {
                // Resetting to a default cannot fail: defaults are valid by construction (tested).
                let _ = self.set(key, &text);
            }
            errors.retain(|e| e.field != key);
            errors.push(FieldError::new(key, message));
        }
    }
}

/// Form-encodes pairs into a query string without the leading `?`.
pub fn encode_pairs<K: AsRef<str>, V: AsRef<str>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        out.append_pair(key.as_ref(), value.as_ref());
    }
    out.finish()
}

#[cfg(test)]
mod tests;
