//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of every `/api/v1` route, generated
//! once at start-up from the code that serves them.
//!
//! - Paths, operations, parameters and responses are built with utoipa's typed model. The query
//!   parameters (and the POST body's properties) come from the core's field table
//!   (`headroom::scenario::FIELDS`), the one the forms and the query codec are generated from,
//!   so a new field is documented the day it exists.
//! - Component schemas are schemars', from the same derives and settings as `/api/v1/schema`
//!   ([`super::schema`]): `Report` here is that schema, with its definitions beside it, so the
//!   two documents cannot disagree. OpenAPI 3.1's schema dialect is JSON Schema 2020-12, which
//!   is what schemars writes; only the place of the definitions differs.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{Map, Value, json};
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApiBuilder, PathsBuilder, Ref, RefOr, Required,
    ResponseBuilder, ResponsesBuilder,
};

use headroom::autoscale::{MAX_PASTE_BYTES, ManifestReading};
use headroom::report::{APP_VERSION, Report};
use headroom::scenario::{FIELDS, FieldSpec, Group, Kind, MAX_VALUE_LEN, Scenario};
use headroom::simulation::{
    AutoscalingDocument, LoadBalancingDocument, QueueingDocument, RateLimitingDocument,
};

use super::simulate::{HPA_YAML_KEY, Simulator};

/// The document, written once.
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| serde_json::to_string_pretty(&document()).unwrap_or_default());

/// The OpenAPI document as JSON text.
pub fn openapi_json() -> &'static str {
    &DOCUMENT
}

pub(super) async fn get_openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json())
}

/// The name of the POST body's schema: an object of query keys to values.
const SCENARIO_OBJECT: &str = "ScenarioObject";
/// The name of the error document's schema.
const ERROR: &str = "ErrorDocument";

/// The OpenAPI document.
pub fn document() -> Value {
    let mut generator = super::schema::settings()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    // Each root type is added to the definitions under its own name; the `$ref`s they return
    // are what the operations point at.
    generator.subschema_for::<Report>();
    generator.subschema_for::<QueueingDocument>();
    generator.subschema_for::<AutoscalingDocument>();
    generator.subschema_for::<RateLimitingDocument>();
    generator.subschema_for::<LoadBalancingDocument>();
    generator.subschema_for::<ManifestReading>();
    generator.subschema_for::<crate::traffic::TrafficAnswer>();
    generator.subschema_for::<super::ErrorDocument<'static>>();
    let mut schemas = generator.take_definitions(true);
    schemas.insert(SCENARIO_OBJECT.to_string(), scenario_object());

    let all: Vec<&FieldSpec> = FIELDS.iter().collect();
    let mut paths = PathsBuilder::new()
        .path(
            "/api/v1/report",
            scenario_routes(
                "report",
                "The sizing report of a scenario",
                "Every calculator's figures (capacity, growth, availability, cost, the fleet \
                 priced, queueing) in base units, with each figure's formula in `explain`: the \
                 document the pages' Export JSON downloads. No query is the defaults.",
                "Report",
                &all,
            ),
        )
        .path(
            "/api/v1/schema",
            PathItem::new(
                HttpMethod::Get,
                OperationBuilder::new()
                    .operation_id(Some("schema"))
                    .summary(Some("The report's JSON Schema (draft 2020-12)"))
                    .responses(common_errors(false))
                    .response(
                        "200",
                        ResponseBuilder::new().description("The schema").content(
                            "application/schema+json",
                            ContentBuilder::new()
                                .schema(Some(ObjectBuilder::new().schema_type(Type::Object)))
                                .build(),
                        ),
                    ),
            ),
        )
        .path(
            "/api/v1/hpa",
            PathItem::new(
                HttpMethod::Post,
                OperationBuilder::new()
                    .operation_id(Some("hpa"))
                    .summary(Some("Read a HorizontalPodAutoscaler manifest"))
                    .description(Some(format!(
                        "An autoscaling/v2 HPA manifest as YAML text (at most {MAX_PASTE_BYTES} \
                         bytes) read into the `hpa` field's compact form and the fields the \
                         simulator does not model. A manifest that cannot be read is a 400 on \
                         `hpa_yaml`."
                    )))
                    .request_body(Some(
                        RequestBodyBuilder::new()
                            .required(Some(Required::True))
                            .content(
                                "application/yaml",
                                ContentBuilder::new().schema(Some(yaml_text())).build(),
                            )
                            .content(
                                "text/plain",
                                ContentBuilder::new().schema(Some(yaml_text())).build(),
                            )
                            .build(),
                    ))
                    .responses(common_errors(true))
                    .response("200", json_response("The manifest read", "ManifestReading")),
            ),
        )
        .path("/api/v1/traffic", traffic_route())
        .path(
            "/api/v1/openapi.json",
            PathItem::new(
                HttpMethod::Get,
                OperationBuilder::new()
                    .operation_id(Some("openapi"))
                    .summary(Some("This document (OpenAPI 3.1)"))
                    .responses(common_errors(false))
                    .response(
                        "200",
                        ResponseBuilder::new().description("The document").content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(ObjectBuilder::new().schema_type(Type::Object)))
                                .build(),
                        ),
                    ),
            ),
        )
        .path(
            "/api/v1/reference",
            PathItem::new(
                HttpMethod::Get,
                OperationBuilder::new()
                    .operation_id(Some("reference"))
                    .summary(Some("This document as an HTML page"))
                    .responses(common_errors(false))
                    .response(
                        "200",
                        ResponseBuilder::new().description("The page").content(
                            "text/html",
                            ContentBuilder::new()
                                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                                .build(),
                        ),
                    ),
            ),
        );
    for simulator in Simulator::ALL {
        let (summary, description, schema) = simulator_text(simulator);
        let fields = simulator_fields(simulator);
        paths = paths.path(
            simulator.path(),
            scenario_routes(
                &format!("simulate-{}", simulator.name()),
                summary,
                description,
                schema,
                &fields,
            ),
        );
    }
    let info = InfoBuilder::new()
        .title("Headroom API")
        .version(APP_VERSION)
        .description(Some(
            "Capacity, availability, cost and the simulators of Headroom, by the same query \
             keys as its pages. Errors are `{\"error\": {\"field\", \"message\"}}`, where \
             `field` names the query key at fault. Every route is rate-limited per client \
             address (`X-RateLimit-*` headers).",
        ))
        .build();
    let openapi = OpenApiBuilder::new()
        .info(info)
        .paths(paths.build())
        .build();
    let mut value = serde_json::to_value(&openapi).unwrap_or_else(|_| json!({}));
    if let Value::Object(root) = &mut value {
        root.insert(
            "components".to_string(),
            json!({ "schemas": Value::Object(schemas) }),
        );
    }
    value
}

fn simulator_text(simulator: Simulator) -> (&'static str, &'static str, &'static str) {
    match simulator {
        Simulator::Queueing => (
            "The /queueing page's figures",
            "The M/M/c queue: utilization, the probability of waiting, waits and their \
             percentiles, the fewest servers meeting the target, with their formulas. The same \
             figures as the report's `queueing` section.",
            "QueueingDocument",
        ),
        Simulator::Autoscaling => (
            "The /autoscaling page's run",
            "The HPA policy, the run's totals and anti-patterns, and its steps (at most 480, \
             the points the page charts), with their formulas. `hpa_yaml` (a manifest, as the \
             page reads it) replaces the `hpa` field. At most a week of 15 s steps.",
            "AutoscalingDocument",
        ),
        Simulator::RateLimiting => (
            "The /rate-limiting page's runs",
            "Six algorithms on the same requests of one client, their settings in real \
             systems, and local against shared counters behind a load balancer. At most \
             1,000,000 requests per run.",
            "RateLimitingDocument",
        ),
        Simulator::LoadBalancing => (
            "The /load-balancing page's runs",
            "Ten algorithms on the same requests to the same servers, and the keys that move \
             when a server is added or removed. At most 40,000,000 units of work (requests × \
             servers and hashing), about 0.4 s.",
            "LoadBalancingDocument",
        ),
    }
}

/// The fields a simulator page's form shows; the queueing figures also read the capacity
/// fields (the web tier sized with queueing), so it takes every field of the calculators.
fn simulator_fields(simulator: Simulator) -> Vec<&'static FieldSpec> {
    let group = match simulator {
        Simulator::Queueing => None,
        Simulator::Autoscaling => Some(Group::Autoscale),
        Simulator::RateLimiting => Some(Group::RateLimit),
        Simulator::LoadBalancing => Some(Group::LoadBalance),
    };
    let simulators = [Group::Autoscale, Group::RateLimit, Group::LoadBalance];
    FIELDS
        .iter()
        .filter(|f| match group {
            Some(g) => f.group == g,
            None => !simulators.contains(&f.group),
        })
        .collect()
}

/// GET with the query keys and POST with a JSON object of them, both answering `schema`.
fn scenario_routes(
    id: &str,
    summary: &str,
    description: &str,
    schema: &str,
    fields: &[&FieldSpec],
) -> PathItem {
    let mut parameters = vec![version_parameter()];
    parameters.extend(fields.iter().map(|f| field_parameter(f)));
    if id == "simulate-autoscaling" {
        parameters.push(
            ParameterBuilder::new()
                .name(HPA_YAML_KEY)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(
                    "A HorizontalPodAutoscaler manifest as YAML; when given, its policy \
                     replaces the `hpa` field",
                ))
                .schema(Some(yaml_text()))
                .build(),
        );
    }
    let get = OperationBuilder::new()
        .operation_id(Some(format!("{id}-get")))
        .summary(Some(summary))
        .description(Some(format!(
            "{description} Values take the pages' human forms (`100M`, `2 KiB`, `200ms`, \
             `99.99%`); a key left out has its default; unknown keys are ignored. A bad value \
             is a 400 naming its key."
        )))
        .parameters(Some(parameters))
        .responses(common_errors(false))
        .response("200", json_response(summary, schema));
    let post = OperationBuilder::new()
        .operation_id(Some(format!("{id}-post")))
        .summary(Some(summary))
        .description(Some(format!(
            "{description} The body is an object of the same query keys to values (numbers, \
             human forms as strings, booleans; without `v` it is read as a version-1 query), \
             or a whole exported report (its `inputs` are used)."
        )))
        .request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(SCENARIO_OBJECT)))
                        .build(),
                )
                .build(),
        ))
        .responses(common_errors(true))
        .response("200", json_response(summary, schema));
    let mut item = PathItem::new(HttpMethod::Get, get);
    item.merge_operations(PathItem::new(HttpMethod::Post, post));
    item
}

/// `POST /api/v1/traffic`: a file as text (CSV, a column, or Prometheus JSON), `values` and
/// `step` in the query.
fn traffic_route() -> PathItem {
    let text = || -> Schema {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(headroom::traffic::import::MAX_BYTES))
            .build()
            .into()
    };
    let mut body = RequestBodyBuilder::new().required(Some(Required::True));
    for media in crate::traffic::MEDIA_TYPES {
        let schema: Schema = if *media == "application/json" {
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .build()
                .into()
        } else {
            text()
        };
        body = body.content(*media, ContentBuilder::new().schema(Some(schema)).build());
    }
    let values = ParameterBuilder::new()
        .name("values")
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some("What a value is: `count` (per interval; CSV's default) or `rate` (per second; Prometheus's)"))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["count", "rate"])),
        ))
        .build();
    let step = ParameterBuilder::new()
        .name("step")
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some("Seconds between the numbers of a plain column"))
        .schema(Some(ObjectBuilder::new().schema_type(Type::Number)))
        .build();
    PathItem::new(
        HttpMethod::Post,
        OperationBuilder::new()
            .operation_id(Some("traffic"))
            .summary(Some("What a traffic file says"))
            .description(Some(
                "A request series (CSV of time and value, Prometheus query_range JSON summed over \
                 its series, or a column of numbers with `step`), at most 16 MiB, read and \
                 analysed: mean, percentiles, peak factors, the average day and week, the trend, \
                 what was skipped by line, and `obs`, the query value that plans from it. A file \
                 that cannot be read is a 400 on `traffic` naming the line.",
            ))
            .parameter(values)
            .parameter(step)
            .request_body(Some(body.build()))
            .responses(common_errors(true))
            .response("200", json_response("What the file says", "TrafficAnswer")),
    )
}

fn json_response(description: &str, schema: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(schema)))
                .build(),
        )
        .build()
}

/// The error answers every API route may give; `with_body` adds those about a request body.
fn common_errors(with_body: bool) -> utoipa::openapi::Responses {
    let mut errors = vec![
        (
            "400",
            "A bad field (named in `error.field`), or a body that is not one",
        ),
        (
            "429",
            "This address has used its burst; `Retry-After` says when to come back",
        ),
        ("503", "The server is at `--max-concurrent` requests"),
    ];
    if with_body {
        errors.extend([
            ("408", "The body took longer than `--request-timeout`"),
            ("413", "A body larger than `--max-body-bytes`"),
            ("415", "A body of another media type"),
        ]);
    }
    let mut responses = ResponsesBuilder::new();
    for (status, description) in errors {
        responses = responses.response(status, json_response(description, ERROR));
    }
    // Sent by the HTTP layer before any route, without a body.
    responses
        .response(
            "431",
            ResponseBuilder::new()
                .description("A request line and headers larger than `--max-header-bytes`")
                .build(),
        )
        .build()
}

fn yaml_text() -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(MAX_PASTE_BYTES))
        .build()
        .into()
}

fn version_parameter() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("v")
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(
            "Link version: 2 reads absent keys with today's defaults; a query without it (or \
             v=1) is read as links written before 2026-11-30 were",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .enum_values(Some([1, 2])),
        ))
        .build()
}

/// A field's value in a query: its plain form (numbers in range, a choice's keys, 0 or 1);
/// the human forms are in the description.
fn field_schema(field: &FieldSpec, in_json: bool) -> RefOr<Schema> {
    let default = Scenario::defaults().field_text(field.key);
    let base = ObjectBuilder::new().default(default.clone().map(Value::String));
    let schema: Schema = match field.kind {
        Kind::Choice => base
            .schema_type(Type::String)
            .enum_values(Some(field.choices.iter().map(|(key, _)| *key)))
            .build()
            .into(),
        Kind::Flag if in_json => AnyOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Boolean))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["0", "1"])),
            )
            .build()
            .into(),
        Kind::Flag => base
            .schema_type(Type::String)
            .enum_values(Some(["0", "1"]))
            .build()
            .into(),
        Kind::Text => base
            .schema_type(Type::String)
            .max_length(Some(MAX_VALUE_LEN))
            .build()
            .into(),
        _ => {
            let number = ObjectBuilder::new().schema_type(Type::Number);
            let number = if field.min_exclusive {
                number.exclusive_minimum(Some(field.min))
            } else {
                number.minimum(Some(field.min))
            }
            .maximum(Some(field.max));
            if in_json {
                // A number, or its human form as a string.
                AnyOfBuilder::new()
                    .item(number)
                    .item(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .max_length(Some(MAX_VALUE_LEN)),
                    )
                    .build()
                    .into()
            } else {
                number.build().into()
            }
        }
    };
    RefOr::T(schema)
}

fn field_description(field: &FieldSpec) -> String {
    let unit = if field.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", field.unit)
    };
    let accepts = match field.kind {
        Kind::Choice | Kind::Flag | Kind::Text => String::new(),
        _ => format!("; {}", field.range_text()),
    };
    format!("{}{unit}: {}{accepts}", field.label, field.help)
}

fn field_parameter(field: &FieldSpec) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(field.key)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(field_description(field)))
        .schema(Some(field_schema(field, false)))
        .build()
}

/// The POST body: an object of every query key to its value.
fn scenario_object() -> Value {
    let mut properties = Map::new();
    properties.insert(
        "v".to_string(),
        json!({"type": "integer", "enum": [1, 2], "description": "Link version"}),
    );
    for field in FIELDS {
        let mut schema = serde_json::to_value(field_schema(field, true)).unwrap_or(Value::Null);
        if let Value::Object(object) = &mut schema {
            object.insert(
                "description".to_string(),
                Value::String(field_description(field)),
            );
        }
        properties.insert(field.key.to_string(), schema);
    }
    properties.insert(
        HPA_YAML_KEY.to_string(),
        json!({"type": "string", "maxLength": MAX_PASTE_BYTES,
               "description": "/api/v1/simulate/autoscaling only: a manifest whose policy replaces `hpa`"}),
    );
    json!({
        "type": "object",
        "description": "Query keys to values, as the query string has them; unknown keys are ignored",
        "properties": Value::Object(properties),
    })
}
