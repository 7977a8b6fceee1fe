//! `GET /api/v1/reference`: the OpenAPI document as a page a person reads: each route with its
//! parameters and answers, then each schema. Written from the document itself
//! ([`super::openapi::document`]), so the page and the JSON cannot disagree.
//!
//! Plain HTML, no script and no style: API answers carry the resource policy
//! (`headers::RESOURCE_POLICY`, `default-src 'none'`), under which the page still reads well,
//! and a viewer such as swagger-ui would need its assets downloaded at build time.

use std::fmt::Write as _;
use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use headroom::text::escape_html;
use serde_json::Value;

static PAGE: LazyLock<String> = LazyLock::new(|| page(&super::openapi::document()));

pub(super) async fn get_reference() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        PAGE.as_str(),
    )
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A schema in one line: a `$ref`'s name, a type with its bounds, or the JSON.
fn schema_summary(schema: &Value) -> String {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
    {
        return format!("<a href=\"#schema-{0}\">{0}</a>", escape_html(name));
    }
    let mut parts = Vec::new();
    if let Some(kind) = schema.get("type") {
        parts.push(
            kind.as_str()
                .map_or_else(|| kind.to_string(), str::to_string),
        );
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().map(Value::to_string).collect();
        parts.push(format!("one of {}", values.join(", ")));
    }
    for (key, word) in [
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("maxLength", "length ≤"),
    ] {
        if let Some(bound) = schema.get(key) {
            parts.push(format!("{word} {bound}"));
        }
    }
    if let Some(default) = schema.get("default").and_then(Value::as_str) {
        parts.push(format!("default {default:?}"));
    }
    if parts.is_empty() {
        escape_html(&schema.to_string())
    } else {
        escape_html(&parts.join("; "))
    }
}

fn page(document: &Value) -> String {
    let title = document
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API");
    let version = document
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} {}: reference</title></head><body>\n<h1>{} {}</h1>\n<p>{}</p>\n\
         <p>The machine-readable document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> \
         (OpenAPI {}).</p>\n",
        escape_html(title),
        escape_html(version),
        escape_html(title),
        escape_html(version),
        escape_html(
            document
                .pointer("/info/description")
                .and_then(Value::as_str)
                .unwrap_or("")
        ),
        escape_html(text(document, "openapi")),
    );
    html.push_str("<h2>Routes</h2>\n");
    let empty = serde_json::Map::new();
    let paths = document
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            let id = text(operation, "operationId");
            let _ = write!(
                html,
                "<section id=\"{}\"><h3><code>{} {}</code>: {}</h3>\n<p>{}</p>\n",
                escape_html(id),
                escape_html(&method.to_uppercase()),
                escape_html(path),
                escape_html(text(operation, "summary")),
                escape_html(text(operation, "description")),
            );
            if let Some(parameters) = operation.get("parameters").and_then(Value::as_array) {
                html.push_str(
                    "<table><caption>Query parameters</caption>\
                     <tr><th>key</th><th>value</th><th>meaning</th></tr>\n",
                );
                for p in parameters {
                    let _ = writeln!(
                        html,
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                        escape_html(text(p, "name")),
                        schema_summary(p.get("schema").unwrap_or(&Value::Null)),
                        escape_html(text(p, "description")),
                    );
                }
                html.push_str("</table>\n");
            }
            if let Some(content) = operation
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
            {
                for (media_type, body) in content {
                    let _ = writeln!(
                        html,
                        "<p>Body: <code>{}</code>, {}</p>",
                        escape_html(media_type),
                        schema_summary(body.get("schema").unwrap_or(&Value::Null)),
                    );
                }
            }
            if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
                html.push_str("<ul>\n");
                for (status, response) in responses {
                    let schemas: Vec<String> = response
                        .get("content")
                        .and_then(Value::as_object)
                        .map(|content| {
                            content
                                .iter()
                                .map(|(media_type, c)| {
                                    format!(
                                        "<code>{}</code> {}",
                                        escape_html(media_type),
                                        schema_summary(c.get("schema").unwrap_or(&Value::Null))
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let _ = writeln!(
                        html,
                        "<li><strong>{}</strong>: {}{}{}</li>",
                        escape_html(status),
                        escape_html(text(response, "description")),
                        if schemas.is_empty() { "" } else { ": " },
                        schemas.join(", "),
                    );
                }
                html.push_str("</ul>\n");
            }
            html.push_str("</section>\n");
        }
    }
    html.push_str("<h2>Schemas</h2>\n");
    if let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let pretty = serde_json::to_string_pretty(schema).unwrap_or_default();
            let _ = writeln!(
                html,
                "<section id=\"schema-{0}\"><h3>{0}</h3><p>{1}</p>\
                 <details><summary>JSON Schema</summary><pre>{2}</pre></details></section>",
                escape_html(name),
                escape_html(text(schema, "description")),
                escape_html(&pretty),
            );
        }
    }
    html.push_str("</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_document_is_escaped() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
