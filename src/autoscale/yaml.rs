//! Reading a pasted `autoscaling/v2` HorizontalPodAutoscaler manifest into an [`HpaPolicy`].
//!
//! Every field the simulator does not model is listed as an [`UnsupportedField`] rather than
//! silently ignored; fields Kubernetes fills in when absent get the documented defaults
//! (`minReplicas` 1, a cpu 80% target, the default `behavior` for a missing direction or field).
//! The input is capped at [`MAX_YAML_BYTES`] and the parser's budget bounds nesting, nodes and
//! aliases, so no paste can cost unbounded time or memory.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::policy::{MAX_LIST, PolicyKind, ScalingPolicy, ScalingRules, SelectPolicy};
use super::{AutoscaleError, HpaPolicy, MetricTarget};

/// Longest YAML text read, bytes (64 KiB: an HPA manifest is well under 4 KiB).
pub const MAX_YAML_BYTES: usize = 64 * 1024;

/// Deepest nesting the parser accepts (an HPA manifest nests about 8 levels).
const MAX_DEPTH: usize = 32;

/// A field of the manifest that the simulator does not model as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsupportedField {
    /// Where it is, e.g. `spec.metrics[2]` or `spec.scaleTargetRef`.
    pub path: String,
    /// Why it is not modelled, and what the simulator does instead.
    pub reason: String,
}

fn invalid(path: &str, expected: &str) -> AutoscaleError {
    AutoscaleError::InvalidField {
        path: path.to_string(),
        expected: expected.to_string(),
    }
}

fn mapping<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>, AutoscaleError> {
    value
        .as_object()
        .ok_or_else(|| invalid(path, "a mapping (key: value lines)"))
}

fn text<'a>(value: &'a Value, path: &str) -> Result<&'a str, AutoscaleError> {
    value.as_str().ok_or_else(|| invalid(path, "a string"))
}

fn whole(value: &Value, path: &str) -> Result<u32, AutoscaleError> {
    value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| invalid(path, "a whole number from 0 to 4294967295"))
}

fn required<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    parent: &str,
) -> Result<&'a Value, AutoscaleError> {
    let path = if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    };
    map.get(key).ok_or(AutoscaleError::MissingField { path })
}

/// A Kubernetes quantity: a number, or a string such as `1000`, `500m`, `1.5k`, `2Gi`, `1e3`.
///
/// # Formula
/// ```text
/// q = x × f,  f: n 1e-9, u 1e-6, m 1e-3, (none) 1, k 1e3, M 1e6, G 1e9, T 1e12, P 1e15, E 1e18,
///             Ki 2^10, Mi 2^20, Gi 2^30, Ti 2^40, Pi 2^50, Ei 2^60, e<k>/E<k> 10^k
/// Source: Kubernetes API, resource.Quantity (k8s.io/apimachinery/pkg/api/resource)
/// ```
fn quantity(value: &Value, path: &str) -> Result<f64, AutoscaleError> {
    let expected = "a quantity such as 1000, 500m or 1.5k";
    if let Some(n) = value.as_f64() {
        return Ok(n);
    }
    let raw = text(value, path)
        .map_err(|_| invalid(path, expected))?
        .trim();
    let split = raw
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(raw.len());
    let (number, suffix) = raw.split_at(split);
    let x: f64 = number.parse().map_err(|_| invalid(path, expected))?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        "Pi" => 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0,
        "Ei" => 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0,
        exponent if exponent.starts_with(['e', 'E']) => {
            let k: i32 = exponent[1..].parse().map_err(|_| invalid(path, expected))?;
            // Built from exact decimal text, so the result is correctly rounded everywhere.
            format!("1e{}", k.clamp(-400, 400))
                .parse::<f64>()
                .map_err(|_| invalid(path, expected))?
        }
        _ => return Err(invalid(path, expected)),
    };
    let q = x * factor;
    if q.is_finite() {
        Ok(q)
    } else {
        Err(invalid(path, expected))
    }
}

/// Collects the unsupported fields while walking the manifest.
#[derive(Default)]
struct Reader {
    unsupported: Vec<UnsupportedField>,
}

impl Reader {
    fn note(&mut self, path: String, reason: &str) {
        self.unsupported.push(UnsupportedField {
            path,
            reason: reason.to_string(),
        });
    }

    /// Lists every key of `map` not in `known` as unknown.
    fn unknown_keys(&mut self, map: &Map<String, Value>, known: &[&str], parent: &str) {
        for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
            let path = if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            };
            self.note(
                path,
                "not a field of autoscaling/v2 here (a typo?); ignored",
            );
        }
    }

    fn metric(&mut self, item: &Value, path: &str) -> Result<Option<MetricTarget>, AutoscaleError> {
        let map = mapping(item, path)?;
        let kind = text(required(map, "type", path)?, &format!("{path}.type"))?;
        let body_key = match kind {
            "Resource" => "resource",
            "ContainerResource" => "containerResource",
            "Pods" => "pods",
            "Object" => "object",
            "External" => "external",
            _ => {
                return Err(invalid(
                    &format!("{path}.type"),
                    "one of Resource, ContainerResource, Pods, Object, External",
                ));
            }
        };
        self.unknown_keys(map, &["type", body_key], path);
        let body_path = format!("{path}.{body_key}");
        let body = mapping(required(map, body_key, path)?, &body_path)?;
        match kind {
            "Resource" | "ContainerResource" => {
                let known: &[&str] = if kind == "Resource" {
                    &["name", "target"]
                } else {
                    &["name", "target", "container"]
                };
                self.unknown_keys(body, known, &body_path);
                if body.contains_key("container") {
                    self.note(
                        format!("{body_path}.container"),
                        "a pod is simulated as one container: the target applies to the whole pod",
                    );
                }
                let name = text(
                    required(body, "name", &body_path)?,
                    &format!("{body_path}.name"),
                )?;
                let target_path = format!("{body_path}.target");
                let target = mapping(required(body, "target", &body_path)?, &target_path)?;
                self.unknown_keys(
                    target,
                    &["type", "averageUtilization", "averageValue", "value"],
                    &target_path,
                );
                let target_type = text(
                    required(target, "type", &target_path)?,
                    &format!("{target_path}.type"),
                )?;
                if name != "cpu" || target_type != "Utilization" {
                    self.note(
                        path.to_string(),
                        &format!(
                            "{kind} {name} with a {target_type} target is left out: only a cpu Utilization target is simulated (the simulator knows requests/s, not memory or absolute CPU); where this metric would ask for more replicas than the others, Kubernetes scales higher than this run (the largest proposal wins)"
                        ),
                    );
                    return Ok(None);
                }
                let percent = whole(
                    required(target, "averageUtilization", &target_path)?,
                    &format!("{target_path}.averageUtilization"),
                )?;
                Ok(Some(MetricTarget::CpuUtilization {
                    average_utilization: percent,
                }))
            }
            "Pods" => {
                self.unknown_keys(body, &["metric", "target"], &body_path);
                let metric_path = format!("{body_path}.metric");
                let metric = mapping(required(body, "metric", &body_path)?, &metric_path)?;
                self.unknown_keys(metric, &["name", "selector"], &metric_path);
                if metric.contains_key("selector") {
                    self.note(
                        format!("{metric_path}.selector"),
                        "metric label selectors are not simulated; every pod reports the metric",
                    );
                }
                let name = text(
                    required(metric, "name", &metric_path)?,
                    &format!("{metric_path}.name"),
                )?;
                let lower = name.to_ascii_lowercase();
                if !["request", "rps", "qps"].iter().any(|w| lower.contains(w)) {
                    self.note(format!("{metric_path}.name"), "simulated as requests per second per pod, the only per-pod metric the simulator has");
                }
                let target_path = format!("{body_path}.target");
                let target = mapping(required(body, "target", &body_path)?, &target_path)?;
                self.unknown_keys(target, &["type", "averageValue"], &target_path);
                if text(
                    required(target, "type", &target_path)?,
                    &format!("{target_path}.type"),
                )? != "AverageValue"
                {
                    return Err(invalid(
                        &format!("{target_path}.type"),
                        "AverageValue (the only target type for Pods metrics)",
                    ));
                }
                let value = quantity(
                    required(target, "averageValue", &target_path)?,
                    &format!("{target_path}.averageValue"),
                )?;
                Ok(Some(MetricTarget::PodsAverageValue {
                    name: name.to_string(),
                    average_value: value,
                }))
            }
            _ => {
                let name = body
                    .get("metric")
                    .and_then(|m| m.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("(no name)");
                self.note(
                    path.to_string(),
                    &format!(
                        "{kind} metric {name} is left out: it comes from outside the pods, and the simulator has no series for it; where it would ask for more replicas than the others, Kubernetes scales higher than this run (the largest proposal wins)"
                    ),
                );
                Ok(None)
            }
        }
    }

    fn rules(
        &mut self,
        value: &Value,
        path: &str,
        defaults: ScalingRules,
    ) -> Result<ScalingRules, AutoscaleError> {
        let map = mapping(value, path)?;
        self.unknown_keys(
            map,
            &[
                "stabilizationWindowSeconds",
                "selectPolicy",
                "policies",
                "tolerance",
            ],
            path,
        );
        let mut rules = defaults;
        if let Some(window) = map.get("stabilizationWindowSeconds") {
            rules.stabilization_window_s =
                whole(window, &format!("{path}.stabilizationWindowSeconds"))?;
        }
        if let Some(select) = map.get("selectPolicy") {
            let select_path = format!("{path}.selectPolicy");
            rules.select_policy = match text(select, &select_path)? {
                "Max" => SelectPolicy::Max,
                "Min" => SelectPolicy::Min,
                "Disabled" => SelectPolicy::Disabled,
                _ => return Err(invalid(&select_path, "one of Max, Min, Disabled")),
            };
        }
        if let Some(tolerance) = map.get("tolerance") {
            rules.tolerance = quantity(tolerance, &format!("{path}.tolerance"))?;
            self.note(
                format!("{path}.tolerance"),
                "simulated as given, but Kubernetes reads a per-HPA tolerance only from 1.33 on with the HPAConfigurableTolerance feature gate turned on (alpha in 1.33, off by default: kubernetes.io/blog/2025/04/28/kubernetes-v1-33-hpa-configurable-tolerance); elsewhere the controller-wide --horizontal-pod-autoscaler-tolerance (0.1) applies",
            );
        }
        if let Some(policies) = map.get("policies") {
            let list_path = format!("{path}.policies");
            let items = policies
                .as_array()
                .ok_or_else(|| invalid(&list_path, "a list"))?;
            if items.len() > MAX_LIST {
                return Err(invalid(&list_path, "a list of at most 10 policies"));
            }
            rules.policies = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let item_path = format!("{list_path}[{i}]");
                let entry = mapping(item, &item_path)?;
                self.unknown_keys(entry, &["type", "value", "periodSeconds"], &item_path);
                let kind = match text(
                    required(entry, "type", &item_path)?,
                    &format!("{item_path}.type"),
                )? {
                    "Pods" => PolicyKind::Pods,
                    "Percent" => PolicyKind::Percent,
                    _ => return Err(invalid(&format!("{item_path}.type"), "Pods or Percent")),
                };
                rules.policies.push(ScalingPolicy {
                    kind,
                    value: whole(
                        required(entry, "value", &item_path)?,
                        &format!("{item_path}.value"),
                    )?,
                    period_s: whole(
                        required(entry, "periodSeconds", &item_path)?,
                        &format!("{item_path}.periodSeconds"),
                    )?,
                });
            }
        }
        Ok(rules)
    }
}

impl HpaPolicy {
    /// Reads a pasted `autoscaling/v2` HorizontalPodAutoscaler (YAML, or JSON, which is YAML).
    ///
    /// Returns the policy and the fields it does not model: `scaleTargetRef` (informational),
    /// `status`, metrics other than cpu `Utilization` and `Pods` `AverageValue`, metric
    /// selectors, a container name, unknown keys. Absent fields take the Kubernetes defaults:
    /// `minReplicas` 1, a cpu 80% target when `metrics` is absent or empty, and for any
    /// direction or field of a `behavior` that is set the documented defaults of
    /// [`HpaPolicy::default`]. Without `behavior` the policy takes the controller's older path
    /// ([`HpaPolicy::has_behavior`] false), as Kubernetes does.
    /// `autoscaling/v2beta2` (same schema) is read as `autoscaling/v2`.
    ///
    /// # Errors
    /// [`AutoscaleError::YamlTooLarge`] beyond [`MAX_YAML_BYTES`];
    /// [`AutoscaleError::MalformedYaml`] with the parser's line and column (also for nesting or
    /// aliases beyond the parser budget); [`AutoscaleError::NotAnHpa`] for another `apiVersion`
    /// or `kind`; [`AutoscaleError::MissingField`] / [`AutoscaleError::InvalidField`] with the
    /// field's path; [`AutoscaleError::NoSupportedMetric`]; and the errors of
    /// [`HpaPolicy::validate`].
    ///
    /// # Examples
    /// ```
    /// use headroom::autoscale::HpaPolicy;
    /// let yaml = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 20\n";
    /// let (policy, unsupported) = HpaPolicy::from_yaml(yaml).unwrap();
    /// assert_eq!(policy, HpaPolicy { max_replicas: 20, has_behavior: false, ..HpaPolicy::default() });
    /// assert!(unsupported.is_empty());
    /// ```
    pub fn from_yaml(yaml: &str) -> Result<(HpaPolicy, Vec<UnsupportedField>), AutoscaleError> {
        if yaml.len() > MAX_YAML_BYTES {
            return Err(AutoscaleError::YamlTooLarge {
                bytes: yaml.len(),
                max: MAX_YAML_BYTES,
            });
        }
        let options = serde_saphyr::options! {
            budget: serde_saphyr::budget! {
                max_depth: MAX_DEPTH,
                max_documents: 1,
                max_nodes: 20_000,
                max_events: 50_000,
                max_aliases: 100,
                max_anchors: 100,
            },
            with_snippet: false,
        };
        let document: Value = serde_saphyr::from_str_with_options(yaml, options).map_err(|e| {
            AutoscaleError::MalformedYaml {
                message: e.to_string(),
            }
        })?;
        let root = document.as_object().ok_or_else(|| {
            invalid(
                "the document",
                "a HorizontalPodAutoscaler (apiVersion, kind, spec)",
            )
        })?;
        let mut reader = Reader::default();
        reader.unknown_keys(
            root,
            &["apiVersion", "kind", "metadata", "spec", "status"],
            "",
        );
        let api_version = root.get("apiVersion").and_then(Value::as_str);
        let kind = root.get("kind").and_then(Value::as_str);
        let version_ok = matches!(
            api_version,
            None | Some("autoscaling/v2") | Some("autoscaling/v2beta2")
        );
        if !version_ok || !matches!(kind, None | Some("HorizontalPodAutoscaler")) {
            return Err(AutoscaleError::NotAnHpa {
                found: format!(
                    "apiVersion {} and kind {}",
                    api_version.unwrap_or("(none)"),
                    kind.unwrap_or("(none)")
                ),
            });
        }
        if root.contains_key("status") {
            reader.note(
                "status".to_string(),
                "written by the controller, not configuration; ignored",
            );
        }
        let spec = mapping(required(root, "spec", "")?, "spec")?;
        reader.unknown_keys(
            spec,
            &[
                "scaleTargetRef",
                "minReplicas",
                "maxReplicas",
                "metrics",
                "behavior",
            ],
            "spec",
        );
        if spec.contains_key("scaleTargetRef") {
            reader.note(
                "spec.scaleTargetRef".to_string(),
                "informational: the simulator scales one generic Deployment",
            );
        }

        let mut policy = HpaPolicy::default();
        if let Some(min) = spec.get("minReplicas") {
            policy.min_replicas = whole(min, "spec.minReplicas")?;
        }
        policy.max_replicas = whole(required(spec, "maxReplicas", "spec")?, "spec.maxReplicas")?;
        let listed = match spec.get("metrics") {
            None | Some(Value::Null) => &[][..],
            Some(list) => list
                .as_array()
                .map(Vec::as_slice)
                .ok_or_else(|| invalid("spec.metrics", "a list"))?,
        };
        if !listed.is_empty() {
            let mut metrics = Vec::new();
            for (i, item) in listed.iter().enumerate() {
                if let Some(metric) = reader.metric(item, &format!("spec.metrics[{i}]"))? {
                    metrics.push(metric);
                }
            }
            if metrics.is_empty() {
                return Err(AutoscaleError::NoSupportedMetric);
            }
            policy.metrics = metrics;
        }
        // `behavior: null` is no behavior; `behavior: {}` is one with every default filled in
        // (SetDefaults_HorizontalPodAutoscalerBehavior, pkg/apis/autoscaling/v2/defaults.go,
        // fills a behavior only when it is set).
        policy.has_behavior = spec.get("behavior").is_some_and(|b| !b.is_null());
        if let Some(behavior) = spec.get("behavior").filter(|b| !b.is_null()) {
            let map = mapping(behavior, "spec.behavior")?;
            reader.unknown_keys(map, &["scaleUp", "scaleDown"], "spec.behavior");
            if let Some(up) = map.get("scaleUp") {
                policy.scale_up = reader.rules(
                    up,
                    "spec.behavior.scaleUp",
                    ScalingRules::default_scale_up(),
                )?;
            }
            if let Some(down) = map.get("scaleDown") {
                policy.scale_down = reader.rules(
                    down,
                    "spec.behavior.scaleDown",
                    ScalingRules::default_scale_down(),
                )?;
            }
        }
        policy.validate()?;
        Ok((policy, reader.unsupported))
    }
}

#[cfg(test)]
mod tests;
