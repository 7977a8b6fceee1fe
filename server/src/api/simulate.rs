//! `/api/v1/simulate/{queueing,autoscaling,rate-limiting,load-balancing}`: every figure of a
//! simulator page, by the page's own query keys (GET) or a JSON object of them (POST, as for the
//! report), answered with the core's documents (`headroom::simulation`).
//!
//! One route per page rather than sections of the report: a report costs a tenth of a
//! millisecond whatever the query and is pinned byte for byte (the export, `headroom report`),
//! while a simulator run costs up to its bound and reads only its page's fields. A client asking
//! for the load-balancing runs should not pay for the rate-limiting ones, nor a report client
//! for either; and each route has its own response schema in the OpenAPI document.
//!
//! Work per request is the simulators' own bound, enforced when the scenario is parsed (a query
//! past it is a 400 naming the field, as the page refuses it): at most 40,320 auto-scaling steps
//! (a week at 15 s), 1,000,000 requests through each rate-limiting algorithm, and
//! `loadbalance::MAX_WORK` (40,000,000) units of load-balancing work, which measured about 0.4 s
//! in a release build (`server/tests/http/simulate.rs` times the largest of each). The run is
//! on the blocking pool, so a long one does not hold up the server's other requests; how many
//! run at once is bounded by `--max-concurrent` and `--max-per-client` like every request, and
//! answers are cached by canonical query like reports.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use headroom::autoscale::{HpaPolicy, ManifestReading, UnsupportedField};
use headroom::scenario::{Parsed, Scenario};
use headroom::simulation::{
    AutoscalingDocument, LoadBalancingDocument, QueueingDocument, RateLimitingDocument,
    SimulationError,
};

use super::{ApiError, ApiState, json_body, json_headers, json_ok, read_body, refused};
use crate::cache::encoded::Coding;
use crate::cache::{CachedResponse, Template};

/// The query key of a pasted HPA manifest, as `/autoscaling` reads it
/// (`app/src/pages/autoscaling/hpa_yaml.rs`).
pub const HPA_YAML_KEY: &str = "hpa_yaml";

/// A simulator page, by the last part of its path (the page's own path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simulator {
    /// `/queueing`: the M/M/c queue.
    Queueing,
    /// `/autoscaling`: the HPA against seeded traffic.
    Autoscaling,
    /// `/rate-limiting`: six algorithms on one client's requests.
    RateLimiting,
    /// `/load-balancing`: ten algorithms on the same requests.
    LoadBalancing,
}

impl Simulator {
    /// Every simulator, in the order of the site's navigation.
    pub const ALL: [Simulator; 4] = [
        Simulator::Queueing,
        Simulator::Autoscaling,
        Simulator::RateLimiting,
        Simulator::LoadBalancing,
    ];

    /// The page's path without the slash, which is also the route's last part.
    pub fn name(self) -> &'static str {
        match self {
            Simulator::Queueing => "queueing",
            Simulator::Autoscaling => "autoscaling",
            Simulator::RateLimiting => "rate-limiting",
            Simulator::LoadBalancing => "load-balancing",
        }
    }

    /// The route, `/api/v1/simulate/<name>`.
    pub fn path(self) -> String {
        format!("/api/v1/simulate/{}", self.name())
    }

    /// The document's JSON.
    fn document(
        self,
        scenario: &Scenario,
        pasted: Option<(HpaPolicy, Vec<UnsupportedField>)>,
    ) -> Result<Result<String, serde_json::Error>, SimulationError> {
        Ok(match self {
            Simulator::Queueing => {
                serde_json::to_string_pretty(&QueueingDocument::build(scenario)?)
            }
            Simulator::Autoscaling => {
                serde_json::to_string_pretty(&AutoscalingDocument::build(scenario, pasted)?)
            }
            Simulator::RateLimiting => {
                serde_json::to_string_pretty(&RateLimitingDocument::build(scenario)?)
            }
            Simulator::LoadBalancing => {
                serde_json::to_string_pretty(&LoadBalancingDocument::build(scenario)?)
            }
        })
    }
}

/// The cache key of a simulator's answer to `query`; page keys start with '/', reports with
/// `report?`.
fn cache_key(simulator: Simulator, query: &str) -> String {
    format!("simulate/{}?{query}", simulator.name())
}

/// `GET /api/v1/simulate/<name>?<query>`.
pub(super) async fn get(
    state: ApiState,
    headers: HeaderMap,
    uri: Uri,
    simulator: Simulator,
) -> Response {
    let query = uri.query().unwrap_or("");
    let coding = Coding::preferred(&headers);
    let key = cache_key(simulator, query);
    if let Some(cache) = &state.cache
        && let Some(hit) = cache.get(&key)
    {
        return cache.answer(&key, &hit, "", coding);
    }
    let yaml = (simulator == Simulator::Autoscaling)
        .then(|| {
            form_urlencoded::parse(query.as_bytes())
                .filter(|(k, _)| k == HPA_YAML_KEY)
                .last()
                .map(|(_, v)| v.into_owned())
        })
        .flatten();
    answer(
        &state,
        simulator,
        Scenario::from_query(query),
        yaml,
        query,
        coding,
    )
    .await
}

/// `POST /api/v1/simulate/<name>` with a JSON object of query keys (or an exported report).
pub(super) async fn post(
    state: ApiState,
    headers: HeaderMap,
    body: Body,
    simulator: Simulator,
) -> Response {
    let bytes = match read_body(&state, &headers, body, &["application/json"]).await {
        Ok(bytes) => bytes,
        Err(err) => return refused(err),
    };
    let parsed = match super::scenario_from_json(&bytes) {
        Ok(parsed) => parsed,
        Err(err) => return err.into_response(),
    };
    let yaml = match posted_yaml(&bytes, simulator) {
        Ok(yaml) => yaml,
        Err(err) => return err.into_response(),
    };
    // A body is not a cache key: its spelling is not a query's.
    answer(
        &state,
        simulator,
        parsed,
        yaml,
        "",
        Coding::preferred(&headers),
    )
    .await
}

/// The `hpa_yaml` string of a posted object, for `/autoscaling` only.
fn posted_yaml(bytes: &[u8], simulator: Simulator) -> Result<Option<String>, ApiError> {
    if simulator != Simulator::Autoscaling {
        return Ok(None);
    }
    // Parsed once already by `scenario_from_json`, so this is valid JSON within the body limit.
    let value: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    match value.get(HPA_YAML_KEY) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(ApiError::about(
            StatusCode::BAD_REQUEST,
            HPA_YAML_KEY,
            "must be the manifest's YAML as one string",
        )),
    }
}

/// The document of a parsed scenario, through the cache when `query` (the spelling asked by) is
/// a GET's.
async fn answer(
    state: &ApiState,
    simulator: Simulator,
    parsed: Parsed,
    yaml: Option<String>,
    query: &str,
    coding: Coding,
) -> Response {
    if !parsed.errors.is_empty() {
        return ApiError::bad_fields(parsed.errors).into_response();
    }
    let pasted = match yaml.filter(|text| !text.trim().is_empty()) {
        None => None,
        Some(text) => match ManifestReading::read(&text).and_then(ManifestReading::into_pasted) {
            Ok(pasted) => Some(pasted),
            Err(message) => {
                return ApiError::about(StatusCode::BAD_REQUEST, HPA_YAML_KEY, message)
                    .into_response();
            }
        },
    };
    let scenario = parsed.scenario;
    let canonical = scenario.to_query();
    // A manifest replaces the `hpa` field, so the canonical query alone does not name the run.
    let canonical_key = pasted.is_none().then(|| cache_key(simulator, &canonical));
    let cache = state.cache.as_ref();
    if let (Some(cache), Some(key)) = (cache, &canonical_key)
        && let Some(hit) = cache.get(key)
    {
        let (response, entry) = hit.respond("", coding);
        if !Arc::ptr_eq(&entry, &hit) {
            cache.insert(key.clone(), entry.clone());
        }
        if !query.is_empty() {
            cache.insert(cache_key(simulator, query), entry);
        }
        return response;
    }
    let run = tokio::task::spawn_blocking(move || simulator.document(&scenario, pasted)).await;
    let json = match run {
        Ok(Ok(written)) => match json_body(written, simulator.name(), &canonical) {
            Ok(json) => json,
            Err(failed) => return failed.into_response(),
        },
        Ok(Err(SimulationError::Refused(message))) => {
            return ApiError::general(StatusCode::BAD_REQUEST, message).into_response();
        }
        Ok(Err(err)) => {
            tracing::error!(%err, simulator = simulator.name(), query = %canonical, "simulation failed");
            return ApiError::general(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the simulation could not be run for this scenario; this is a bug in Headroom",
            )
            .into_response();
        }
        Err(join) => {
            tracing::error!(%join, simulator = simulator.name(), query = %canonical, "simulation panicked");
            return ApiError::general(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the simulation stopped; this is a bug in Headroom",
            )
            .into_response();
        }
    };
    let Some(cache) = cache else {
        return json_ok(json);
    };
    let template = Template::split(json.into(), cache.placeholder());
    // No holes: these documents carry no time. A document that happened to contain the
    // placeholder is answered, not kept.
    if template.holes() != 0 {
        return json_ok(template.fill(""));
    }
    let entry = Arc::new(CachedResponse::new(json_headers(), template));
    let (response, entry) = entry.respond("", coding);
    if let Some(key) = canonical_key {
        cache.insert(key, entry.clone());
    }
    if !query.is_empty() {
        cache.insert(cache_key(simulator, query), entry);
    }
    response
}
