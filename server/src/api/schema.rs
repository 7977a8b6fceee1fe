//! `GET /api/v1/schema`: the JSON Schema of the report, derived from the core's Rust types
//! (`schemars`, the core's `schema` feature), so it cannot drift from what the API answers.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use schemars::generate::SchemaSettings;

use headroom::report::{Report, SCHEMA};

/// The settings of every schema the API publishes, here and in the OpenAPI document's
/// components: the serialize contract, the schema of the JSON we write, not of what we would
/// accept.
pub(super) fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12().for_serialize()
}

/// The schema document, generated once.
static REPORT_SCHEMA: LazyLock<String> = LazyLock::new(|| {
    let mut schema = settings().into_generator().into_root_schema_for::<Report>();
    schema.insert(
        "title".to_string(),
        format!("Headroom report ({SCHEMA})").into(),
    );
    serde_json::to_string_pretty(&schema).unwrap_or_default()
});

/// The report's JSON Schema (draft 2020-12).
pub fn report_schema() -> &'static str {
    &REPORT_SCHEMA
}

pub(super) async fn get_schema() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/schema+json")],
        report_schema(),
    )
}
