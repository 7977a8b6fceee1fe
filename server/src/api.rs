//! The JSON API: `/api/v1/report` (GET with a query, POST with a JSON scenario),
//! `/api/v1/simulate/<page>` (the same for each simulator page, see [`simulate`]),
//! `/api/v1/schema`, `/api/v1/hpa` (POST a HorizontalPodAutoscaler manifest as text: its
//! policy in the `hpa` field's compact form; the `/autoscaling` page reads pasted YAML with it),
//! and its description: `/api/v1/openapi.json` (OpenAPI 3.1) and `/api/v1/reference` (the same,
//! as a page).
//!
//! Every answer is JSON. Errors are `{"error": {"field", "message"}}`: `field` names the query
//! key at fault, or is `null` when the fault is not one field's (rate limit, overload, unknown
//! path). Bad fields answer 400 with the first bad field in field order as `error` and every bad
//! field in `errors`.
//!
//! Work per request is bounded: the body is at most `--max-body-bytes`, JSON nesting at most
//! serde_json's 128 levels, each value at most `MAX_VALUE_LEN` bytes and within its field's
//! range, and building the report runs no simulator, so every valid query costs the same
//! (about a tenth of a millisecond: the criterion bench `core`); a simulator route's bound is
//! its simulator's (see [`simulate`]).

mod openapi;
mod reference;
mod schema;
pub mod simulate;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde_json::{Map, Value};

use headroom::autoscale::ManifestReading;
use headroom::report::{Report, SCHEMA};
use headroom::scenario::{FIELDS, FieldError, Parsed, Scenario};
use headroom::text::clip;

use crate::cache::encoded::Coding;
use crate::cache::{CachedResponse, ResponseCache, Template};

/// What the API handlers need from the configuration.
#[derive(Debug, Clone)]
pub struct ApiState {
    /// Largest accepted request body, bytes.
    pub max_body_bytes: usize,
    /// Time allowed to send the body once the head is in.
    pub body_timeout: std::time::Duration,
    /// Rendered reports by canonical query (`None`: caching is off).
    pub cache: Option<Arc<ResponseCache>>,
}

/// The API's routes (mounted under `/api`), with JSON answers for unknown paths and methods.
pub fn router(state: ApiState) -> Router {
    let mut router = Router::new()
        .route("/v1/report", get(get_report).post(post_report))
        .route("/v1/schema", get(schema::get_schema))
        .route("/v1/hpa", post(post_hpa))
        .route("/v1/traffic", post(crate::traffic::post_traffic))
        .route("/v1/openapi.json", get(openapi::get_openapi))
        .route("/v1/reference", get(reference::get_reference));
    for simulator in simulate::Simulator::ALL {
        let route = format!("/v1/simulate/{}", simulator.name());
        router = router.route(
            &route,
            get(
                move |State(state): State<ApiState>, headers: HeaderMap, uri: Uri| {
                    simulate::get(state, headers, uri, simulator)
                },
            )
            .post(
                move |State(state): State<ApiState>, headers: HeaderMap, body: Body| {
                    simulate::post(state, headers, body, simulator)
                },
            ),
        );
    }
    router
        .fallback(not_found)
        .layer(middleware::from_fn(json_errors))
        .with_state(state)
}

/// Whether `path` is served by the API.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// An API error answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    status: StatusCode,
    error: ErrorBody,
    errors: Vec<FieldError>,
}

/// What is wrong, and with which field.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
struct ErrorBody {
    /// The query key (or part of the request) at fault; `null` when it is not one field's.
    field: Option<String>,
    /// What is wrong and what is allowed, for a person.
    message: String,
}

/// Every API error answer.
#[derive(Serialize, schemars::JsonSchema)]
struct ErrorDocument<'a> {
    /// The error; when several fields are bad, the first in field order.
    error: &'a ErrorBody,
    /// Every bad field, in field order, when the fault is the fields'.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FieldError],
}

impl ApiError {
    /// An error that is not about one field (`field` is `null`).
    pub fn general(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            error: ErrorBody {
                field: None,
                message: message.into(),
            },
            errors: Vec::new(),
        }
    }

    /// An error about one part of the request (`field` names it).
    pub fn about(status: StatusCode, field: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            error: ErrorBody {
                field: Some(field.to_string()),
                message: message.into(),
            },
            errors: Vec::new(),
        }
    }

    /// The HTTP status it answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The query key (or part of the request) at fault, if it is one field's fault.
    pub fn field(&self) -> Option<&str> {
        self.error.field.as_deref()
    }

    /// What is wrong, for a person.
    pub fn message(&self) -> &str {
        &self.error.message
    }

    /// Every bad field, in field order (empty unless the fault is the fields').
    pub fn field_errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// 400 for bad fields: the first in field order, and all of them.
    fn bad_fields(mut errors: Vec<FieldError>) -> Self {
        errors.sort_by_key(|e| field_position(&e.field));
        let first = errors
            .first()
            .cloned()
            .unwrap_or_else(|| FieldError::new("query", "the scenario is not valid"));
        Self {
            status: StatusCode::BAD_REQUEST,
            error: ErrorBody {
                field: Some(first.field),
                message: first.message,
            },
            errors,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let document = ErrorDocument {
            error: &self.error,
            errors: &self.errors,
        };
        let body = error_document_json(&document);
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}

/// The error document as JSON. Strings and options always serialize, but if that ever changed
/// the answer would still be a JSON error, never an empty body.
fn error_document_json(document: &ErrorDocument<'_>) -> String {
    serde_json::to_string_pretty(document).unwrap_or_else(|err| {
        tracing::error!(%err, "error document could not be serialized");
        r#"{"error": {"field": null, "message": "internal error"}}"#.to_string()
    })
}

/// The position of `key` in the field table (unknown keys last), so errors come in the order
/// the forms show the fields.
fn field_position(key: &str) -> usize {
    FIELDS
        .iter()
        .position(|f| f.key == key)
        .unwrap_or(FIELDS.len())
}

/// `GET /api/v1/report?<query>`: the report of the scenario in the query; no query is the
/// chapter's default scenario.
async fn get_report(State(state): State<ApiState>, headers: HeaderMap, uri: Uri) -> Response {
    let query = uri.query().unwrap_or("");
    let Some(cache) = &state.cache else {
        return answer(Scenario::from_query(query));
    };
    let coding = Coding::preferred(&headers);
    // The query as sent is a key too: either a canonical query, which parses back to the very
    // scenario it was written from (the core's property test
    // `scenario_query_scenario_is_the_identity`), or a spelling already seen to parse to one.
    // Either way a hit needs no parsing.
    let key = report_key(query);
    if let Some(hit) = cache.get(&key) {
        return cache.answer(&key, &hit, &now_rfc3339(), coding);
    }
    let parsed = Scenario::from_query(query);
    if parsed.errors.is_empty() {
        cached_answer(cache, query, &parsed.scenario, coding)
    } else {
        answer(parsed)
    }
}

/// The cache key of the report of a query. Page keys are paths, which start with '/'; this
/// cannot.
fn report_key(query: &str) -> String {
    format!("report?{query}")
}

/// The report of a valid scenario through the cache, stored under its canonical query (the
/// report is a function of it alone) and under the spelling `query` it was asked by. Stored with
/// a placeholder for `generated_at`, so that a hit is the very document [`answer`] would write,
/// stamped now.
fn cached_answer(
    cache: &ResponseCache,
    query: &str,
    scenario: &Scenario,
    coding: Coding,
) -> Response {
    let canonical = scenario.to_query();
    let canonical_key = report_key(&canonical);
    let (entry, response) = match cache.get(&canonical_key) {
        Some(hit) => {
            let (response, entry) = hit.respond(&now_rfc3339(), coding);
            if !Arc::ptr_eq(&entry, &hit) {
                cache.insert(canonical_key, entry.clone());
            }
            (entry, response)
        }
        None => {
            let mut report = match Report::build(scenario) {
                Ok(report) => report,
                Err(err) => return report_failed(&err, scenario).into_response(),
            };
            report.generated_at = Some(cache.placeholder().to_string());
            let json = match report_json(&report, scenario) {
                Ok(json) => json,
                Err(failed) => return failed.into_response(),
            };
            let template = Template::split(json.into(), cache.placeholder());
            // Exactly one hole, `generated_at`; anything else is not a document to repeat.
            if template.holes() != 1 {
                return json_ok(template.fill(&now_rfc3339()));
            }
            let entry = Arc::new(CachedResponse::new(json_headers(), template));
            let (response, entry) = entry.respond(&now_rfc3339(), coding);
            cache.insert(canonical_key, entry.clone());
            (entry, response)
        }
    };
    if query != canonical {
        cache.insert(report_key(query), entry);
    }
    response
}

/// The headers of a report answer (the security headers are added outside).
fn json_headers() -> HeaderMap {
    HeaderMap::from_iter([(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )])
}

pub(crate) fn json_ok(body: impl Into<Body>) -> Response {
    (StatusCode::OK, json_headers(), body.into()).into_response()
}

fn report_failed(err: &dyn std::fmt::Display, scenario: &Scenario) -> ApiError {
    tracing::error!(%err, query = %scenario.to_query(), "report failed");
    ApiError::general(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the report could not be computed for this scenario; this is a bug in Headroom",
    )
}

/// The report's JSON, or a logged 500 JSON error ([`json_body`]).
fn report_json(report: &Report, scenario: &Scenario) -> Result<String, ApiError> {
    json_body(report.to_json(), "report", &scenario.to_query())
}

/// A JSON body that was written, or a logged 500 JSON error: a document that cannot be written
/// is a bug to see, never an empty 200. `what` names the document in the log and the message;
/// `query` is the scenario's query, when there is one, for the log.
fn json_body<E: std::fmt::Display>(
    written: Result<String, E>,
    what: &str,
    query: &str,
) -> Result<String, ApiError> {
    written.map_err(|err| {
        tracing::error!(%err, what, query, "an answer could not be serialized");
        ApiError::general(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the {what} could not be written as JSON; this is a bug in Headroom"),
        )
    })
}

/// `POST /api/v1/report`: the report of a JSON scenario object (query keys to values), or of an
/// exported report (its `inputs`).
async fn post_report(State(state): State<ApiState>, headers: HeaderMap, body: Body) -> Response {
    match read_scenario(&state, &headers, body).await {
        Ok(parsed) => answer(parsed),
        Err(err) => refused(err),
    }
}

/// Media types `POST /api/v1/hpa` reads: the browser's `fetch` sends a string as `text/plain`.
const YAML_TYPES: &[&str] = &[
    "text/plain",
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "text/x-yaml",
];

/// `POST /api/v1/hpa`: a HorizontalPodAutoscaler manifest (YAML text, at most
/// [`headroom::autoscale::MAX_PASTE_BYTES`]) read into `{"hpa", "unsupported"}`; a manifest that
/// cannot be read answers 400 naming the field `hpa_yaml`, with the message the page shows.
/// Work is bounded by the size cap and the YAML reader's budget (nesting, nodes, aliases).
async fn post_hpa(State(state): State<ApiState>, headers: HeaderMap, body: Body) -> Response {
    let bytes = match read_body(&state, &headers, body, YAML_TYPES).await {
        Ok(bytes) => bytes,
        Err(err) => return refused(err),
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return ApiError::about(
            StatusCode::BAD_REQUEST,
            "hpa_yaml",
            "the YAML is not UTF-8 text",
        )
        .into_response();
    };
    match ManifestReading::read(text) {
        Ok(reading) => match json_body(serde_json::to_string(&reading), "HPA reading", "") {
            Ok(json) => json_ok(json),
            Err(failed) => failed.into_response(),
        },
        Err(message) => {
            ApiError::about(StatusCode::BAD_REQUEST, "hpa_yaml", message).into_response()
        }
    }
}

/// The answer to a request whose body was refused; when the body was left unread, the
/// connection is closed after the answer.
pub(crate) fn refused(err: ApiError) -> Response {
    let unread_body = matches!(
        err.status,
        StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::REQUEST_TIMEOUT
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let mut response = err.into_response();
    if unread_body {
        // What is left of the body is being discarded; the connection is not reused.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// The whole body of a request sent as one of `media_types`, within `--max-body-bytes` and
/// `--body-timeout`.
///
/// Not tower-http's `RequestBodyLimitLayer`: it answers an over-long `Content-Length` itself and
/// drops the body unread, so a client that writes its whole body before reading (urllib) would
/// see its connection reset instead of the 413 ([`linger`] keeps reading); and its 413 is bare,
/// where this one names the `body` field and the limit.
async fn read_body(
    state: &ApiState,
    headers: &HeaderMap,
    body: Body,
    media_types: &[&str],
) -> Result<axum::body::Bytes, ApiError> {
    read_body_within(state, headers, body, media_types, state.max_body_bytes).await
}

/// [`read_body`] with its own size limit (traffic files may be larger than other bodies).
pub(crate) async fn read_body_within(
    state: &ApiState,
    headers: &HeaderMap,
    body: Body,
    media_types: &[&str],
    limit: usize,
) -> Result<axum::body::Bytes, ApiError> {
    if let Err(err) = check_content_type(headers, media_types) {
        linger(body);
        return Err(err);
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        linger(body);
        return Err(too_large(limit));
    }
    match tokio::time::timeout(state.body_timeout, read_at_most(body, limit)).await {
        Ok(read) => read,
        Err(_) => Err(ApiError::about(
            StatusCode::REQUEST_TIMEOUT,
            "body",
            format!(
                "the body took longer than {} s to arrive",
                crate::logging::seconds_text(state.body_timeout)
            ),
        )),
    }
}

/// The body of `POST /api/v1/report` read into a scenario. A body that carries `traffic` may be
/// up to 16 MiB ([`crate::traffic::MAX_TRAFFIC_BODY`]); any other keeps `--max-body-bytes`, and
/// one past it without a `"traffic"` key is refused before it is parsed.
async fn read_scenario(
    state: &ApiState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Parsed, ApiError> {
    let limit = state.max_body_bytes.max(crate::traffic::MAX_TRAFFIC_BODY);
    let bytes = read_body_within(state, headers, body, &["application/json"], limit).await?;
    let large = bytes.len() > state.max_body_bytes;
    if large && memchr::memmem::find(&bytes, b"\"traffic\"").is_none() {
        return Err(too_large(state.max_body_bytes));
    }
    let (parsed, carried_traffic) = scenario_and_traffic_from_json(&bytes)?;
    if large && !carried_traffic {
        return Err(too_large(state.max_body_bytes));
    }
    Ok(parsed)
}

/// The scenario of a JSON document as `POST /api/v1/report` reads it: an object of query keys to
/// values, or an exported report (its `inputs`). `headroom report --json` reads files with it.
///
/// # Errors
/// A 400 naming `body`, `schema` or `inputs` when the document is not one of those; the parsed
/// scenario's own field errors are in [`Parsed::errors`].
pub fn scenario_from_json(bytes: &[u8]) -> Result<Parsed, ApiError> {
    scenario_and_traffic_from_json(bytes).map(|(parsed, _)| parsed)
}

/// [`scenario_from_json`], and whether the document carried `traffic`: a CSV as a string or a
/// Prometheus `query_range` answer as an object, read with the optional `traffic_values`
/// (`count` or `rate`) and `traffic_step` (seconds, for a column), whose figures become the
/// scenario's `obs`. A file that cannot be read is a 400 on `traffic`.
fn scenario_and_traffic_from_json(bytes: &[u8]) -> Result<(Parsed, bool), ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|err| {
        let detail = clip(&err.to_string(), 160).to_string();
        ApiError::about(
            StatusCode::BAD_REQUEST,
            "body",
            format!("the body is not valid JSON ({detail})"),
        )
    })?;
    let Value::Object(mut object) = value else {
        return Err(ApiError::about(
            StatusCode::BAD_REQUEST,
            "body",
            format!(
                "the body must be a JSON object of query keys to values, e.g. \
                 {{\"dau\": \"100M\"}}; got {}",
                json_kind(&value)
            ),
        ));
    };
    let traffic = object.remove("traffic");
    let values = object.remove("traffic_values");
    let step = object.remove("traffic_step");
    let inputs = scenario_object(&object)?;
    let Some(traffic) = traffic else {
        return Ok((Scenario::from_json_object(inputs), false));
    };
    let obs = crate::traffic::obs_from_json(traffic, values.as_ref(), step.as_ref())?;
    let mut inputs = inputs.clone();
    inputs.insert("obs".to_string(), Value::String(obs));
    Ok((Scenario::from_json_object(&inputs), true))
}

/// The scenario object itself, or the `inputs` of an exported report.
fn scenario_object(object: &Map<String, Value>) -> Result<&Map<String, Value>, ApiError> {
    let Some(schema) = object.get("schema") else {
        return Ok(object);
    };
    if schema.as_str() != Some(SCHEMA) {
        return Err(ApiError::about(
            StatusCode::BAD_REQUEST,
            "schema",
            format!("a posted report must have \"schema\": \"{SCHEMA}\""),
        ));
    }
    object
        .get("inputs")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            ApiError::about(
                StatusCode::BAD_REQUEST,
                "inputs",
                "a posted report must have an \"inputs\" object",
            )
        })
}

fn check_content_type(headers: &HeaderMap, media_types: &[&str]) -> Result<(), ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(unsupported(media_types, "no Content-Type"));
    };
    let media_type = value
        .to_str()
        .ok()
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if media_types.contains(&media_type.as_str()) {
        Ok(())
    } else {
        let shown = clip(&media_type, 80);
        Err(unsupported(media_types, &format!("Content-Type {shown:?}")))
    }
}

/// Reads the body whole, or answers 413 as soon as it passes `limit` (and keeps reading what the
/// client still sends, see [`linger`]).
async fn read_at_most(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(ApiError::about(
                StatusCode::BAD_REQUEST,
                "body",
                "the request body could not be read",
            ));
        };
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > limit {
                linger(body);
                return Err(too_large(limit));
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes.into())
}

/// Most time spent reading and discarding a body we refused.
pub const LINGER_FOR: std::time::Duration = std::time::Duration::from_secs(2);
/// Most bytes read and discarded from a body we refused.
pub const LINGER_BYTES: usize = 16 << 20;

/// Reads and discards the rest of a refused body, for at most [`LINGER_FOR`] and
/// [`LINGER_BYTES`], while the refusal is sent. A client that writes its whole body before it
/// reads the answer (Python's urllib, many HTTP libraries) would otherwise have its connection
/// reset by the unread bytes, and see "connection reset" instead of the 413 (nginx's
/// `lingering_close` does the same).
fn linger(body: Body) {
    use http_body_util::BodyExt;
    tokio::spawn(async move {
        let mut body = body;
        let mut read = 0usize;
        let _ = tokio::time::timeout(LINGER_FOR, async {
            while let Some(Ok(frame)) = body.frame().await {
                read += frame.data_ref().map_or(0, |d| d.len());
                if read > LINGER_BYTES {
                    break;
                }
            }
        })
        .await;
    });
}

fn unsupported(media_types: &[&str], got: &str) -> ApiError {
    ApiError::about(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "content-type",
        format!(
            "the body must be sent as Content-Type: {}; got {got}",
            media_types.join(" or ")
        ),
    )
}

fn too_large(limit: usize) -> ApiError {
    ApiError::about(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body",
        format!("the body is larger than this server's limit of {limit} bytes"),
    )
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The report of a parsed scenario, or its field errors.
fn answer(parsed: Parsed) -> Response {
    match report_document(parsed, now_rfc3339()) {
        Ok(json) => json_ok(json),
        Err(err) => err.into_response(),
    }
}

/// The report document of a parsed scenario, stamped `generated_at`: the body `GET` and `POST
/// /api/v1/report` answer with, and what `headroom report` prints, so the two cannot drift apart.
///
/// # Errors
/// The API's 400 for the scenario's bad fields (the first in field order, and all of them), or a
/// logged 500 should the report fail to build or to serialize.
pub fn report_document(parsed: Parsed, generated_at: String) -> Result<String, ApiError> {
    if !parsed.errors.is_empty() {
        return Err(ApiError::bad_fields(parsed.errors));
    }
    let mut report =
        Report::build(&parsed.scenario).map_err(|err| report_failed(&err, &parsed.scenario))?;
    report.generated_at = Some(generated_at);
    report_json(&report, &parsed.scenario)
}

/// Now as RFC 3339 UTC with whole seconds, as the browser's export writes it.
pub fn now_rfc3339() -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_default()
}

/// The API's 404, as JSON. Also routed at `/api/` by [`crate::build`]: a nested router serves
/// `/api` and `/api/…` but not the bare `/api/`, which would otherwise get the HTML 404 page.
pub async fn not_found(uri: Uri) -> ApiError {
    let path = clip(uri.path(), 120);
    ApiError::general(
        StatusCode::NOT_FOUND,
        format!("no API at {path:?}; see /api/v1/openapi.json"),
    )
}

/// Turns the router's own empty error answers (405 and the like) into the API's JSON errors.
async fn json_errors(request: Request, next: Next) -> Response {
    let is_head = request.method() == axum::http::Method::HEAD;
    let response = empty_ok_is_an_error(next.run(request).await, is_head);
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || crate::headers::content_type_is(response.headers(), "application/json")
    {
        return response;
    }
    let (parts, _) = response.into_parts();
    let message = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            "this method is not allowed here; see the Allow header".to_string()
        }
        _ => status
            .canonical_reason()
            .unwrap_or("request refused")
            .to_string(),
    };
    let mut answer = ApiError::general(status, message).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().append(name.clone(), value.clone());
        }
    }
    answer
}

/// The last line of defence against a body that failed to build: every API answer is a JSON
/// document, so a 200 with an empty body (not to HEAD, which never has one) is logged and turned
/// into a 500 JSON error.
fn empty_ok_is_an_error(response: Response, is_head: bool) -> Response {
    use axum::body::HttpBody as _;
    let empty = response.body().size_hint().exact() == Some(0);
    if is_head || response.status() != StatusCode::OK || !empty {
        return response;
    }
    tracing::error!("an API handler answered 200 with an empty body");
    ApiError::general(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the answer could not be written; this is a bug in Headroom",
    )
    .into_response()
}
