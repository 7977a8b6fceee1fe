//! The report's `inputs` object, and reading a scenario back from JSON: an exported report, or a
//! scenario object posted to the API.

use serde_json::{Map, Value};

use super::{Entries, SCHEMA};
use crate::scenario::{FIELDS, FieldError, Parsed, Scenario};

/// Largest report file accepted for import, in bytes.
pub const MAX_IMPORT_BYTES: usize = 1 << 20;

/// Every field of `s` by query key, typed for scripts: numbers as JSON numbers, yes/no as
/// booleans, choices and structured text as strings, an unset override as `null`.
pub(super) fn typed_inputs(s: &Scenario) -> Entries<Value> {
    let values = s.typed_values();
    let mut entries = Entries::with_capacity(values.len());
    for (key, value) in values {
        entries.push(key, value);
    }
    entries
}

fn value_text(value: &Value) -> Result<String, String> {
    match value {
        Value::Null => Ok(String::new()),
        Value::Bool(b) => Ok(if *b { "1" } else { "0" }.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        Value::String(s) => Ok(s.clone()),
        Value::Array(_) | Value::Object(_) => Err("must be a number or a string".to_string()),
    }
}

impl Scenario {
    /// Reads a scenario from a JSON object of query keys to values (numbers, strings such as
    /// `"100M"`, booleans, `null`), with the same rules as a query string: unknown keys are
    /// ignored and each bad value names its field.
    pub fn from_json_object(object: &Map<String, Value>) -> Parsed {
        let mut pairs = Vec::new();
        let mut shape_errors = Vec::new();
        for (key, value) in object {
            match value_text(value) {
                Ok(text) => pairs.push((key.clone(), text)),
                Err(message) if FIELDS.iter().any(|f| f.key == key) => {
                    shape_errors.push(FieldError::new(key, message));
                }
                Err(_) => {}
            }
        }
        let mut parsed = Scenario::from_pairs(pairs);
        parsed.errors.extend(shape_errors);
        parsed
    }
}

/// Why a file could not be imported. Nothing changes when import fails.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// Larger than [`MAX_IMPORT_BYTES`].
    #[error("the file is {} KB; a Headroom report is at most {} KB", .bytes / 1024, MAX_IMPORT_BYTES / 1024)]
    TooLarge {
        /// Its size, bytes.
        bytes: usize,
    },
    /// Not JSON at all.
    #[error("the file is not JSON ({0})")]
    NotJson(String),
    /// JSON, but not a Headroom report.
    #[error("the file is JSON but not a Headroom report (no \"schema\": \"{SCHEMA}\")")]
    NotAReport,
    /// A report from a newer (or unknown) schema version.
    #[error("the report's schema is \"{0}\"; this version of Headroom reads \"{SCHEMA}\"")]
    UnsupportedSchema(String),
    /// A report whose inputs are not valid.
    #[error("the report's inputs are not valid: {}", join_errors(.0))]
    BadInputs(Vec<FieldError>),
}

/// The messages of `errors`, separated by `; `.
fn join_errors(errors: &[FieldError]) -> String {
    let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
    list.join("; ")
}

/// Reads the scenario back from an exported report.
///
/// # Errors
/// An [`ImportError`] for a file that is too large, not JSON, not a report, from another schema
/// version, or with invalid inputs.
pub fn import_report(text: &str) -> Result<Scenario, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { bytes: text.len() });
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ImportError::NotJson(crate::text::clip(&e.to_string(), 120).to_string()))?;
    let object = value.as_object().ok_or(ImportError::NotAReport)?;
    let schema = object
        .get("schema")
        .and_then(Value::as_str)
        .ok_or(ImportError::NotAReport)?;
    if schema != SCHEMA {
        return if schema.starts_with("headroom.report.") {
            Err(ImportError::UnsupportedSchema(
                schema.chars().take(40).collect(),
            ))
        } else {
            Err(ImportError::NotAReport)
        };
    }
    let inputs = object
        .get("inputs")
        .and_then(Value::as_object)
        .ok_or(ImportError::NotAReport)?;
    let parsed = Scenario::from_json_object(inputs);
    if parsed.errors.is_empty() {
        Ok(parsed.scenario)
    } else {
        Err(ImportError::BadInputs(parsed.errors))
    }
}
