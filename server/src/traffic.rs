//! Observed traffic on the server: `POST /api/v1/traffic` answers what a file says (the core's
//! [`headroom::traffic`]), and `POST /traffic/import` is the `/capacity` and `/autoscaling`
//! import form without JavaScript: it redirects to the page with the figures in `obs`, or
//! answers the text back with what is wrong with it, so nothing typed is lost.
//!
//! Bodies that carry traffic may be up to [`MAX_TRAFFIC_BODY`] (16 MiB, the core's file limit
//! plus room for the form's other fields); every other body keeps `--max-body-bytes`. Work is
//! linear in the body: one pass to read the rows, one sort, four selections.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use headroom::choice::Choice;
use headroom::report::TrafficFigures;
use headroom::scenario::{AutoscalePattern, encode_pairs};
use headroom::traffic::import::{Findings, Format};
use headroom::traffic::{self, ImportOptions, TrafficError, ValueKind};

use crate::api::{ApiError, ApiState, json_ok, read_body_within, refused};

/// The largest body that carries traffic: 16 MiB of file and 64 KiB for the rest of a form.
pub const MAX_TRAFFIC_BODY: usize = traffic::import::MAX_BYTES + (64 << 10);

/// Media types `POST /api/v1/traffic` reads.
const TRAFFIC_TYPES: &[&str] = &[
    "text/csv",
    "text/plain",
    "text/tab-separated-values",
    "application/json",
];

/// The pages whose import form posts here, and the only places it sends the browser back to.
const PAGES: &[&str] = &["/capacity", "/autoscaling"];

/// Media types `POST /api/v1/traffic` reads, for the OpenAPI document.
pub const MEDIA_TYPES: &[&str] = TRAFFIC_TYPES;

/// `?values=count|rate&step=<seconds>` of `POST /api/v1/traffic`.
#[derive(Debug, Default, Deserialize)]
pub struct TrafficQuery {
    values: Option<String>,
    step: Option<String>,
}

/// The answer of `POST /api/v1/traffic`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct TrafficAnswer {
    format: Format,
    values: ValueKind,
    #[serde(flatten)]
    figures: TrafficFigures,
    findings: Findings,
    /// The `obs` field's text: add `obs=<this>` to a page's or the report's query to plan from it.
    obs: String,
}

/// Options from the `values` and `step` texts, or a 400 naming the bad one.
fn options(values: Option<&str>, step: Option<&str>) -> Result<ImportOptions, ApiError> {
    let values = match values.map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(ValueKind::from_key(v).ok_or_else(|| {
            ApiError::about(StatusCode::BAD_REQUEST, "values", "must be count or rate")
        })?),
    };
    let step_seconds = match step.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            s.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x > 0.0 && *x <= traffic::MAX_STEP_S)
                .ok_or_else(|| {
                    ApiError::about(
                        StatusCode::BAD_REQUEST,
                        "step",
                        "must be a number of seconds above 0, at most 31 days",
                    )
                })?,
        ),
    };
    Ok(ImportOptions {
        values,
        step_seconds,
    })
}

/// The `obs` text of the traffic a JSON body carries (`POST /api/v1/report`): a string is a CSV
/// or a column, an object a Prometheus answer; `values` and `step` as the query options are.
pub fn obs_from_json(
    traffic: serde_json::Value,
    values: Option<&serde_json::Value>,
    step: Option<&serde_json::Value>,
) -> Result<String, ApiError> {
    let text = match traffic {
        serde_json::Value::String(text) => text,
        object @ serde_json::Value::Object(_) => object.to_string(),
        _ => {
            return Err(ApiError::about(
                StatusCode::BAD_REQUEST,
                "traffic",
                "must be a CSV as a string, or a Prometheus query_range answer as an object",
            ));
        }
    };
    let as_text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let options = options(as_text(values).as_deref(), as_text(step).as_deref()).map_err(|e| {
        ApiError::about(
            StatusCode::BAD_REQUEST,
            &format!("traffic_{}", e.field().unwrap_or("")),
            e.message(),
        )
    })?;
    traffic::import(&text, options)
        .and_then(|i| traffic::analyze(&i.series))
        .map(|o| o.to_text())
        .map_err(|e| traffic_error(&e))
}

fn traffic_error(e: &TrafficError) -> ApiError {
    ApiError::about(StatusCode::BAD_REQUEST, "traffic", e.to_string())
}

/// `POST /api/v1/traffic?values=count|rate&step=<s>`: a CSV (`text/csv`), Prometheus
/// `query_range` JSON (`application/json`) or a column of numbers, read and analysed.
pub async fn post_traffic(
    State(state): State<ApiState>,
    Query(query): Query<TrafficQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let options = match options(query.values.as_deref(), query.step.as_deref()) {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    let bytes =
        match read_body_within(&state, &headers, body, TRAFFIC_TYPES, MAX_TRAFFIC_BODY).await {
            Ok(b) => b,
            Err(e) => return refused(e),
        };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return ApiError::about(
            StatusCode::BAD_REQUEST,
            "traffic",
            "the file is not UTF-8 text",
        )
        .into_response();
    };
    let (imported, observed) = match traffic::import(text, options)
        .and_then(|i| traffic::analyze(&i.series).map(|o| (i, o)))
    {
        Ok(x) => x,
        Err(e) => return traffic_error(&e).into_response(),
    };
    let answer = TrafficAnswer {
        format: imported.format,
        values: imported.values,
        figures: TrafficFigures::of(&observed),
        findings: imported.findings,
        obs: observed.to_text(),
    };
    match serde_json::to_string_pretty(&answer) {
        Ok(json) => json_ok(json),
        Err(e) => {
            ApiError::general(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()
        }
    }
}

/// `POST /traffic/import`: the import form of `/capacity` and `/autoscaling` without
/// JavaScript (`application/x-www-form-urlencoded`: `traffic`, `values`, `step`, `return`).
pub async fn post_import_form(
    State(state): State<ApiState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let bytes = match read_body_within(
        &state,
        &headers,
        body,
        &["application/x-www-form-urlencoded"],
        MAX_TRAFFIC_BODY,
    )
    .await
    {
        Ok(b) => b,
        Err(e) => {
            return form_page(
                StatusCode::from_u16(e.status().as_u16()).unwrap_or(StatusCode::BAD_REQUEST),
                "/capacity",
                "",
                e.message(),
            );
        }
    };
    let mut text = String::new();
    let (mut values, mut step, mut back) = (None, None, String::from("/capacity"));
    for (k, v) in form_urlencoded::parse(&bytes) {
        match k.as_ref() {
            "traffic" => text = v.into_owned(),
            "values" => values = Some(v.into_owned()),
            "step" => step = Some(v.into_owned()),
            "return" => back = v.into_owned(),
            _ => {}
        }
    }
    let (path, query) = back.split_once('?').unwrap_or((back.as_str(), ""));
    let path = if PAGES.contains(&path) {
        path
    } else {
        "/capacity"
    };
    let options = match options(values.as_deref(), step.as_deref()) {
        Ok(o) => o,
        Err(e) => {
            return form_page(
                StatusCode::BAD_REQUEST,
                path,
                &text,
                &format!("{}: {}", e.field().unwrap_or(""), e.message()),
            );
        }
    };
    match traffic::import(&text, options).and_then(|i| traffic::analyze(&i.series)) {
        Ok(observed) => {
            let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
                .filter(|(k, _)| k != "obs" && !(path == "/autoscaling" && k == "as_pattern"))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            pairs.push(("obs".into(), observed.to_text()));
            if path == "/autoscaling"
                && let Some(pattern) = AutoscalePattern::replaying(&observed)
            {
                pairs.push(("as_pattern".into(), pattern.key().into()));
            }
            let location = format!("{path}?{}", encode_pairs(pairs));
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Err(e) => form_page(StatusCode::BAD_REQUEST, path, &text, &e.to_string()),
    }
}

/// The text back in the form, with what is wrong with it: the answer to a refused import.
fn form_page(status: StatusCode, path: &str, text: &str, message: &str) -> Response {
    let esc = headroom::text::escape_html;
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Import not read · Headroom</title></head><body>\
         <main><h1>The traffic could not be read</h1>\
         <p id=\"obs-error\" role=\"alert\">{msg}</p>\
         <form method=\"post\" action=\"/traffic/import\">\
         <input type=\"hidden\" name=\"return\" value=\"{path}\">\
         <p><label for=\"obs-text\">Your text, as you sent it: correct it and import again</label><br>\
         <textarea id=\"obs-text\" name=\"traffic\" rows=\"12\" cols=\"80\" spellcheck=\"false\">{text}</textarea></p>\
         <p><label for=\"obs-values\">Values are</label> <select id=\"obs-values\" name=\"values\">\
         <option value=\"\">Counts for CSV, rates for Prometheus</option>\
         <option value=\"count\">Requests per interval (a count)</option>\
         <option value=\"rate\">Requests per second (a rate)</option></select> \
         <label for=\"obs-step\">Step of a plain column, s</label> \
         <input id=\"obs-step\" name=\"step\" type=\"text\"></p>\
         <p><button type=\"submit\">Import</button> <a href=\"{path}\">Back without importing</a></p>\
         </form></main></body></html>",
        msg = esc(message),
        path = esc(path),
        text = esc(text),
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}
