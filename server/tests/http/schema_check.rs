//! A small JSON Schema (2020-12) checker: just the keywords schemars writes (`$ref` into
//! `$defs`, `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`,
//! `anyOf`, `oneOf`, `allOf`, `minimum`, `maximum`), enough to show that every report the API
//! answers fits the schema it publishes.

use serde_json::{Map, Value};

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

/// Checks `value` against the root `schema`.
pub fn validate(value: &Value, schema: &Value) -> Result<(), String> {
    check(value, schema, schema, "$")
}

fn check(value: &Value, schema: &Value, root: &Value, path: &str) -> Result<(), String> {
    let rules = match schema {
        Value::Bool(true) => return Ok(()),
        Value::Bool(false) => return Err(format!("{path}: the schema allows nothing here")),
        Value::Object(rules) => rules,
        other => return Err(format!("{path}: not a schema: {other}")),
    };
    if let Some(reference) = rules.get("$ref").and_then(Value::as_str) {
        let target = resolve(reference, root).ok_or(format!("{path}: unresolved {reference}"))?;
        check(value, target, root, path)?;
    }
    if let Some(types) = rules.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !allowed.iter().any(|t| has_type(value, t)) {
            return Err(format!("{path}: {value} is not of type {allowed:?}"));
        }
    }
    if let Some(options) = rules.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        return Err(format!("{path}: {value} is not one of {options:?}"));
    }
    if let Some(constant) = rules.get("const")
        && constant != value
    {
        return Err(format!("{path}: {value} is not {constant}"));
    }
    if let Some(all) = rules.get("allOf").and_then(Value::as_array) {
        for schema in all {
            check(value, schema, root, path)?;
        }
    }
    if let Some(any) = rules.get("anyOf").and_then(Value::as_array)
        && !any.iter().any(|s| check(value, s, root, path).is_ok())
    {
        return Err(format!("{path}: {value} matches none of anyOf"));
    }
    if let Some(one) = rules.get("oneOf").and_then(Value::as_array) {
        let matches = one
            .iter()
            .filter(|s| check(value, s, root, path).is_ok())
            .count();
        if matches != 1 {
            return Err(format!(
                "{path}: {value} matches {matches} of oneOf, not exactly 1"
            ));
        }
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = rules.get("minimum").and_then(Value::as_f64)
            && n < min
        {
            return Err(format!("{path}: {n} < minimum {min}"));
        }
        if let Some(max) = rules.get("maximum").and_then(Value::as_f64)
            && n > max
        {
            return Err(format!("{path}: {n} > maximum {max}"));
        }
    }
    if let Value::Object(object) = value {
        check_object(object, rules, root, path)?;
    }
    if let (Value::Array(items), Some(item_schema)) = (value, rules.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(item, item_schema, root, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

fn check_object(
    object: &Map<String, Value>,
    rules: &Map<String, Value>,
    root: &Value,
    path: &str,
) -> Result<(), String> {
    let properties = rules.get("properties").and_then(Value::as_object);
    if let Some(required) = rules.get("required").and_then(Value::as_array) {
        for key in required.iter().filter_map(Value::as_str) {
            if !object.contains_key(key) {
                return Err(format!("{path}: missing required {key:?}"));
            }
        }
    }
    for (key, item) in object {
        let child = format!("{path}.{key}");
        match properties.and_then(|p| p.get(key)) {
            Some(schema) => check(item, schema, root, &child)?,
            None => match rules.get("additionalProperties") {
                Some(Value::Bool(false)) => return Err(format!("{child}: not allowed")),
                Some(schema) => check(item, schema, root, &child)?,
                None => {}
            },
        }
    }
    Ok(())
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0)
        }
        _ => false,
    }
}

fn resolve<'a>(reference: &str, root: &'a Value) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}
