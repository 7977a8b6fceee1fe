//! The difference between a plan and its baseline: every figure of the report that changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::math::publishable;
use crate::report::Report;

/// The report's sections of figures that a diff compares (not `inputs`, `explain` or `prices`,
/// which describe the scenario rather than what it needs).
const SECTIONS: [&str; 7] = [
    "observed",
    "capacity",
    "growth",
    "availability",
    "cost",
    "fleet_cost",
    "queueing",
];

/// Most changes listed; a diff of two plans over a ten-year horizon stays under it.
pub const MAX_CHANGES: usize = 5_000;

/// One figure that differs from the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Change {
    /// The figure's path in the report (`capacity.web_servers`; list items by index,
    /// `growth.months.3.web_servers`).
    pub path: String,
    /// The baseline's value; `null` where the baseline has no number there.
    pub base: Option<f64>,
    /// This plan's value; `null` where it has no number there.
    pub value: Option<f64>,
    /// value − base, when both are numbers.
    pub delta: Option<f64>,
    /// value / base, when both are numbers and base is not 0.
    pub ratio: Option<f64>,
}

/// The figures of `report` that differ from `base`'s, sorted by path. Numbers are compared as
/// published ([`publishable`]: 15 significant digits), so floating-point noise is no change.
///
/// # Formula
/// ```text
/// delta = value − base        ratio = value / base   (none when base = 0)
/// ```
pub fn diff(base: &Report, report: &Report) -> Vec<Change> {
    let (Some(base), Some(report)) = (published(base), published(report)) else {
        return Vec::new();
    };
    // Path → [the baseline's value, this plan's]; absent and null alike are `None`.
    let mut figures: BTreeMap<String, [Option<f64>; 2]> = BTreeMap::new();
    for (side, document) in [base, report].iter().enumerate() {
        let mut found = Vec::new();
        for section in SECTIONS {
            leaves(section.to_string(), &document[section], &mut found);
        }
        for (path, value) in found {
            figures.entry(path).or_default()[side] = value;
        }
    }
    figures
        .into_iter()
        .filter(|(_, [old, new])| old != new)
        .take(MAX_CHANGES)
        .map(|(path, [old, new])| Change::between(path, old, new))
        .collect()
}

impl Change {
    /// The change at `path` from `base` to `value` (the formula of [`diff`]), published.
    pub fn between(path: String, base: Option<f64>, value: Option<f64>) -> Self {
        let both = base.zip(value);
        Self {
            path,
            base,
            value,
            delta: both.map(|(b, v)| publishable(v - b)),
            ratio: both.and_then(|(b, v)| (b != 0.0).then(|| publishable(v / b))),
        }
    }
}

/// The report's document as published ([`Report::to_json`]), read back as a JSON value.
/// Through the text rather than `serde_json::to_value`: the browser's bundle already carries
/// the report's serializer to text (the export), and a second one to values would add about
/// 90 KB of compressed WASM for the same walk.
pub fn published(report: &Report) -> Option<Value> {
    serde_json::from_str(&report.to_json().ok()?).ok()
}

/// Every number and null under `value`, with its dotted path, published.
fn leaves(path: String, value: &Value, out: &mut Vec<(String, Option<f64>)>) {
    match value {
        Value::Number(n) => out.push((path, n.as_f64().map(publishable))),
        Value::Null => out.push((path, None)),
        Value::Object(map) => {
            for (key, item) in map {
                leaves(format!("{path}.{key}"), item, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                leaves(format!("{path}.{index}"), item, out);
            }
        }
        Value::Bool(_) | Value::String(_) => {}
    }
}
