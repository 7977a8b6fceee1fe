//! Checks that every report the API answers fits the JSON Schema (2020-12) it publishes: the
//! validation itself is the `jsonschema` crate's; [`lint`] is ours, for faults in the schema that
//! no validation shows.

use serde_json::Value;

/// Numeric formats schemars writes beside `"type": "number"` or `"integer"`.
const NUMBER_FORMATS: [&str; 10] = [
    "double", "float", "int", "uint", "int8", "uint8", "int32", "uint32", "int64", "uint64",
];

/// Faults in the schema itself that validation would not catch, e.g. `{"type": "object",
/// "format": "double"}` (what a newtype variant under an internal tag derives to: a schema for a
/// value serde cannot write). Returns every such path.
pub fn lint(schema: &Value) -> Vec<String> {
    let mut faults = Vec::new();
    lint_at(schema, "#", &mut faults);
    faults
}

fn lint_at(schema: &Value, path: &str, faults: &mut Vec<String>) {
    match schema {
        Value::Object(rules) => {
            if let Some(format) = rules.get("format").and_then(Value::as_str)
                && NUMBER_FORMATS.contains(&format)
            {
                let numeric = match rules.get("type") {
                    Some(Value::String(t)) => t == "number" || t == "integer",
                    Some(Value::Array(ts)) => ts.iter().any(|t| t == "number" || t == "integer"),
                    _ => false,
                };
                if !numeric {
                    faults.push(format!("{path}: format {format:?} on a non-number"));
                }
            }
            for (key, child) in rules {
                lint_at(child, &format!("{path}/{key}"), faults);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                lint_at(child, &format!("{path}/{i}"), faults);
            }
        }
        _ => {}
    }
}

/// Checks `value` against the root `schema` (draft 2020-12, `$ref`s into `$defs`) with the
/// `jsonschema` crate, which also checks the schema against its meta-schema. The error names the
/// place in `value` and what failed there.
pub fn validate(value: &Value, schema: &Value) -> Result<(), String> {
    let validator =
        jsonschema::validator_for(schema).map_err(|err| format!("not a valid schema: {err}"))?;
    validator
        .validate(value)
        .map_err(|err| format!("{}: {err}", err.instance_path()))
}
