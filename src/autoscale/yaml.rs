//! Reading a pasted `autoscaling/v2` HorizontalPodAutoscaler manifest into an [`HpaPolicy`].
//!
//! Every field the simulator does not model is listed as an [`UnsupportedField`] rather than
//! silently ignored; fields Kubernetes fills in when absent get the documented defaults
//! (`minReplicas` 1, a cpu 80% target, the default `behavior` for a missing direction or field).
//! The input is capped at [`MAX_YAML_BYTES`] and the parser's budget bounds nesting, nodes and
//! aliases, so no paste can cost unbounded time or memory.
//!
//! The manifest is read into the typed structs below (`serde_path_to_error` names the field at
//! fault, `serde_ignored` lists the keys no struct knows). A metric's body is read once its
//! `type` is known, because which body key is a field depends on it.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::Value;
use std::fmt;

use super::policy::{MAX_LIST, PolicyKind, ScalingPolicy, ScalingRules, SelectPolicy, ValueTarget};
use super::{AutoscaleError, HpaPolicy, MetricTarget, UnsupportedField};

/// Longest YAML text read, bytes (64 KiB: an HPA manifest is well under 4 KiB).
pub const MAX_YAML_BYTES: usize = 64 * 1024;

/// Deepest nesting the parser accepts (an HPA manifest nests about 8 levels).
const MAX_DEPTH: usize = 32;

fn invalid(path: &str, expected: &str) -> AutoscaleError {
    AutoscaleError::InvalidField {
        path: path.to_string(),
        expected: expected.to_string(),
    }
}

/// `value`, or [`AutoscaleError::MissingField`] naming `path`.
fn required<T>(value: Option<T>, path: &str) -> Result<T, AutoscaleError> {
    value.ok_or_else(|| AutoscaleError::MissingField {
        path: path.to_string(),
    })
}

/// `parent.key`, or `key` at the top.
fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// Writes what a field must be; the visitors below report it through serde's own errors.
macro_rules! expecting {
    ($text:expr) => {
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str($text)
        }
    };
}

/// A whole number that fits Kubernetes' `int32` fields as this reader counts them (a `u32`).
struct Whole(u32);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Whole;
            expecting!("a whole number from 0 to 4294967295");
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Whole, E> {
                u32::try_from(v)
                    .map(Whole)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Whole, E> {
                u32::try_from(v)
                    .map(Whole)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
        }
        deserializer.deserialize_u64(V)
    }
}

/// A Kubernetes quantity: a number, or a string such as `1000`, `500m`, `1.5k`, `2Gi`, `1e3`.
struct Quantity(f64);

const QUANTITY: &str = "a quantity such as 1000, 500m or 1.5k";

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Quantity;
            expecting!(QUANTITY);
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
                Ok(Quantity(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
                quantity_text(v)
                    .map(Quantity)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A YAML list (a sequence).
struct List<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            expecting!("a list");
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(List(items))
            }
        }
        deserializer.deserialize_seq(V(std::marker::PhantomData))
    }
}

/// Whether a key is there at all, whatever its value (`null` included). Its value is read as
/// a tree, not skipped: a skipped value would count as an unknown key.
#[derive(Default)]
struct Present(bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(|_| Present(true))
    }
}

/// The document: `apiVersion` and `kind` are read loosely (a non-string counts as absent),
/// as Kubernetes' own defaults fill them in.
#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    expecting = "a HorizontalPodAutoscaler (apiVersion, kind, spec)"
)]
struct Manifest {
    api_version: Option<Value>,
    kind: Option<Value>,
    #[serde(rename = "metadata", default)]
    _metadata: Present,
    /// Read once `apiVersion` and `kind` are known to be an HPA's.
    spec: Option<Value>,
    #[serde(default)]
    status: Present,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping (key: value lines)")]
struct Spec {
    #[serde(default)]
    scale_target_ref: Present,
    min_replicas: Option<Whole>,
    max_replicas: Option<Whole>,
    /// Read one by one once the list is known: a metric's fields depend on its `type`.
    metrics: Option<List<Value>>,
    /// Read after the metrics, as Kubernetes validates them.
    behavior: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping (key: value lines)")]
struct Behavior {
    scale_up: Option<Rules>,
    scale_down: Option<Rules>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping (key: value lines)")]
struct Rules {
    stabilization_window_seconds: Option<Whole>,
    select_policy: Option<String>,
    policies: Option<List<Policy>>,
    tolerance: Option<Quantity>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping (key: value lines)")]
struct Policy {
    #[serde(rename = "type")]
    kind: Option<String>,
    value: Option<Whole>,
    period_seconds: Option<Whole>,
}

/// One `spec.metrics[]` entry, before its `type` picks which body is a field.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping (key: value lines)")]
struct Metric {
    #[serde(rename = "type")]
    kind: Option<String>,
    resource: Option<Value>,
    container_resource: Option<Value>,
    pods: Option<Value>,
    object: Option<Value>,
    external: Option<Value>,
}

/// `resource` or `containerResource`.
#[derive(Deserialize)]
#[serde(expecting = "a mapping (key: value lines)")]
struct ResourceSource {
    name: Option<String>,
    #[serde(default)]
    container: Present,
    target: Option<ResourceTarget>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping (key: value lines)")]
struct ResourceTarget {
    #[serde(rename = "type")]
    kind: Option<String>,
    average_utilization: Option<Whole>,
    #[serde(rename = "averageValue", default)]
    _average_value: Present,
    #[serde(rename = "value", default)]
    _value: Present,
}

#[derive(Deserialize)]
#[serde(expecting = "a mapping (key: value lines)")]
struct PodsSource {
    metric: Option<MetricIdentifier>,
    target: Option<PodsTarget>,
}

#[derive(Deserialize)]
#[serde(expecting = "a mapping (key: value lines)")]
struct MetricIdentifier {
    name: Option<String>,
    #[serde(default)]
    selector: Present,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping (key: value lines)")]
struct PodsTarget {
    #[serde(rename = "type")]
    kind: Option<String>,
    average_value: Option<Quantity>,
}

/// `object` or `external`: the metric, the object it describes (Object only) and the target.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping (key: value lines)")]
struct OutsideSource {
    metric: Option<MetricIdentifier>,
    #[serde(default)]
    described_object: Present,
    target: Option<OutsideTarget>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a mapping (key: value lines)")]
struct OutsideTarget {
    #[serde(rename = "type")]
    kind: Option<String>,
    value: Option<Quantity>,
    average_value: Option<Quantity>,
}

/// A key no struct knows: the path of its mapping, and the key.
type Unknown = (String, String);

/// `path` as this reader writes paths: `spec.metrics[2].type`.
fn ignored_path(prefix: &str, path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => prefix.to_string(),
        Path::Seq { parent, index } => format!("{}[{index}]", ignored_path(prefix, parent)),
        Path::Map { parent, key } => child(&ignored_path(prefix, parent), key),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_path(prefix, parent),
    }
}

/// Reads `value` (found at `prefix`) as a `T`. A bad field is an
/// [`AutoscaleError::InvalidField`] at its own path; keys `T` does not know go to `unknown`.
fn typed<T: DeserializeOwned>(
    value: Value,
    prefix: &str,
    unknown: &mut Vec<Unknown>,
) -> Result<T, AutoscaleError> {
    let mut track = serde_path_to_error::Track::new();
    let mut note_unknown = |path: serde_ignored::Path<'_>| {
        if let serde_ignored::Path::Map { parent, key } = path {
            unknown.push((ignored_path(prefix, parent), key));
        }
    };
    let ignored = serde_ignored::Deserializer::new(value, &mut note_unknown);
    T::deserialize(serde_path_to_error::Deserializer::new(ignored, &mut track)).map_err(|err| {
        let mut path = prefix.to_string();
        for segment in track.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{index}]")),
                serde_path_to_error::Segment::Map { key } => path = child(&path, key),
                _ => {}
            }
        }
        if path.is_empty() {
            path = "the document".to_string();
        }
        // serde writes "invalid type: …, expected <what the visitor expects>"; the field must be
        // that.
        let message = err.to_string();
        let expected = message
            .split_once(", expected ")
            .map_or(message.as_str(), |(_, expected)| expected);
        invalid(&path, expected)
    })
}

/// A Kubernetes quantity written as text: `1000`, `500m`, `1.5k`, `2Gi`, `1e3`.
///
/// # Formula
/// ```text
/// q = x × f,  f: n 1e-9, u 1e-6, m 1e-3, (none) 1, k 1e3, M 1e6, G 1e9, T 1e12, P 1e15, E 1e18,
///             Ki 2^10, Mi 2^20, Gi 2^30, Ti 2^40, Pi 2^50, Ei 2^60, e<k>/E<k> 10^k
/// Source: Kubernetes API, resource.Quantity (k8s.io/apimachinery/pkg/api/resource)
/// ```
fn quantity_text(raw: &str) -> Option<f64> {
    let raw = raw.trim();
    let split = raw
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(raw.len());
    let (number, suffix) = raw.split_at(split);
    let x: f64 = number.parse().ok()?;
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
            let k: i32 = exponent[1..].parse().ok()?;
            // Built from exact decimal text, so the result is correctly rounded everywhere.
            format!("1e{}", k.clamp(-400, 400)).parse::<f64>().ok()?
        }
        _ => return None,
    };
    Some(x * factor).filter(|q| q.is_finite())
}

/// A quantity at `path` (the tests read quantities alone).
#[cfg(test)]
fn quantity(value: &Value, path: &str) -> Result<f64, AutoscaleError> {
    typed::<Quantity>(value.clone(), path, &mut Vec::new()).map(|q| q.0)
}

/// Collects the unsupported fields in the order a reader meets them.
#[derive(Default)]
struct Reader {
    /// Keys no struct knows, not yet listed.
    unknown: Vec<Unknown>,
    unsupported: Vec<UnsupportedField>,
}

impl Reader {
    fn note(&mut self, path: String, reason: &str) {
        self.unsupported.push(UnsupportedField {
            path,
            reason: reason.to_string(),
        });
    }

    /// Reads `value` at `path` as a `T`, keeping the keys it does not know.
    fn read<T: DeserializeOwned>(&mut self, value: Value, path: &str) -> Result<T, AutoscaleError> {
        typed(value, path, &mut self.unknown)
    }

    /// Lists the unknown keys directly under `parent`, in key order.
    fn unknown_keys(&mut self, parent: &str) {
        let (mut here, rest): (Vec<Unknown>, Vec<Unknown>) = std::mem::take(&mut self.unknown)
            .into_iter()
            .partition(|(at, _)| at == parent);
        self.unknown = rest;
        here.sort();
        for (_, key) in here {
            self.note(
                child(parent, &key),
                "not a field of autoscaling/v2 here (a typo?); ignored",
            );
        }
    }

    fn metric(&mut self, item: Value, path: &str) -> Result<Option<MetricTarget>, AutoscaleError> {
        let metric: Metric = self.read(item, path)?;
        let type_path = child(path, "type");
        let kind = required(metric.kind, &type_path)?;
        let bodies = [
            ("resource", metric.resource),
            ("containerResource", metric.container_resource),
            ("pods", metric.pods),
            ("object", metric.object),
            ("external", metric.external),
        ];
        let body_key = match kind.as_str() {
            "Resource" => "resource",
            "ContainerResource" => "containerResource",
            "Pods" => "pods",
            "Object" => "object",
            "External" => "external",
            _ => {
                return Err(invalid(
                    &type_path,
                    "one of Resource, ContainerResource, Pods, Object, External",
                ));
            }
        };
        let mut body = None;
        for (key, value) in bodies {
            if key == body_key {
                body = value;
            } else if value.is_some() {
                // Another type's body is not a field of this one.
                self.unknown.push((path.to_string(), key.to_string()));
            }
        }
        self.unknown_keys(path);
        let body_path = child(path, body_key);
        let body = required(body, &body_path)?;
        match kind.as_str() {
            "Resource" | "ContainerResource" => {
                let source: ResourceSource = self.read(body, &body_path)?;
                let container_path = child(&body_path, "container");
                if source.container.0 && kind == "Resource" {
                    self.unknown
                        .push((body_path.clone(), "container".to_string()));
                }
                self.unknown_keys(&body_path);
                if source.container.0 {
                    self.note(
                        container_path,
                        "a pod is simulated as one container: the target applies to the whole pod",
                    );
                }
                let name = required(source.name, &child(&body_path, "name"))?;
                let target_path = child(&body_path, "target");
                let target = required(source.target, &target_path)?;
                self.unknown_keys(&target_path);
                let target_type = required(target.kind, &child(&target_path, "type"))?;
                if name != "cpu" || target_type != "Utilization" {
                    self.note(
                        path.to_string(),
                        &format!(
                            "{kind} {name} with a {target_type} target is left out: only a cpu Utilization target is simulated (the simulator knows requests/s, not memory or absolute CPU); where this metric would ask for more replicas than the others, Kubernetes scales higher than this run (the largest proposal wins)"
                        ),
                    );
                    return Ok(None);
                }
                let percent = required(
                    target.average_utilization,
                    &child(&target_path, "averageUtilization"),
                )?;
                Ok(Some(MetricTarget::CpuUtilization {
                    average_utilization: percent.0,
                }))
            }
            "Pods" => {
                let source: PodsSource = self.read(body, &body_path)?;
                self.unknown_keys(&body_path);
                let metric_path = child(&body_path, "metric");
                let metric = required(source.metric, &metric_path)?;
                self.unknown_keys(&metric_path);
                if metric.selector.0 {
                    self.note(
                        child(&metric_path, "selector"),
                        "metric label selectors are not simulated; every pod reports the metric",
                    );
                }
                let name_path = child(&metric_path, "name");
                let name = required(metric.name, &name_path)?;
                let lower = name.to_ascii_lowercase();
                if !["request", "rps", "qps"].iter().any(|w| lower.contains(w)) {
                    self.note(name_path, "simulated as requests per second per pod, the only per-pod metric the simulator has");
                }
                let target_path = child(&body_path, "target");
                let target = required(source.target, &target_path)?;
                self.unknown_keys(&target_path);
                let type_path = child(&target_path, "type");
                if required(target.kind, &type_path)? != "AverageValue" {
                    return Err(invalid(
                        &type_path,
                        "AverageValue (the only target type for Pods metrics)",
                    ));
                }
                let value = required(target.average_value, &child(&target_path, "averageValue"))?;
                Ok(Some(MetricTarget::PodsAverageValue {
                    name,
                    average_value: value.0,
                }))
            }
            _ => {
                let source: OutsideSource = self.read(body, &body_path)?;
                let described_path = child(&body_path, "describedObject");
                if source.described_object.0 && kind == "External" {
                    self.unknown
                        .push((body_path.clone(), "describedObject".to_string()));
                }
                self.unknown_keys(&body_path);
                if kind == "Object" && !source.described_object.0 {
                    return Err(AutoscaleError::MissingField {
                        path: described_path,
                    });
                }
                let metric_path = child(&body_path, "metric");
                let metric = required(source.metric, &metric_path)?;
                self.unknown_keys(&metric_path);
                let name = required(metric.name, &child(&metric_path, "name"))?;
                if metric.selector.0 {
                    self.note(
                        child(&metric_path, "selector"),
                        "not simulated: the value given for the metric stands for the sum over every series the selector matches (GetExternalMetricReplicas adds them up)",
                    );
                }
                let target_path = child(&body_path, "target");
                let target = required(source.target, &target_path)?;
                self.unknown_keys(&target_path);
                let type_path = child(&target_path, "type");
                let (target_type, value) = match required(target.kind, &type_path)?.as_str() {
                    "Value" => (
                        ValueTarget::Value,
                        required(target.value, &child(&target_path, "value"))?,
                    ),
                    "AverageValue" => (
                        ValueTarget::AverageValue,
                        required(target.average_value, &child(&target_path, "averageValue"))?,
                    ),
                    _ => {
                        return Err(invalid(
                            &type_path,
                            &format!("Value or AverageValue (the target types of {kind} metrics)"),
                        ));
                    }
                };
                self.note(
                    path.to_string(),
                    &format!(
                        "{kind} metric {name} comes from outside the pods: give its value in \"Object and External metric values\" (as_ext) as {name}=<value>, or {name}=<time>:<value>,… for a series; without one it proposes nothing"
                    ),
                );
                let value = value.0;
                Ok(Some(if kind == "Object" {
                    MetricTarget::Object {
                        name,
                        target_type,
                        value,
                    }
                } else {
                    MetricTarget::External {
                        name,
                        target_type,
                        value,
                    }
                }))
            }
        }
    }

    fn rules(
        &mut self,
        read: Rules,
        path: &str,
        defaults: ScalingRules,
    ) -> Result<ScalingRules, AutoscaleError> {
        self.unknown_keys(path);
        let mut rules = defaults;
        if let Some(window) = read.stabilization_window_seconds {
            rules.stabilization_window_s = window.0;
        }
        if let Some(select) = read.select_policy {
            rules.select_policy = match select.as_str() {
                "Max" => SelectPolicy::Max,
                "Min" => SelectPolicy::Min,
                "Disabled" => SelectPolicy::Disabled,
                _ => {
                    return Err(invalid(
                        &child(path, "selectPolicy"),
                        "one of Max, Min, Disabled",
                    ));
                }
            };
        }
        if let Some(tolerance) = read.tolerance {
            rules.tolerance = tolerance.0;
            self.note(
                child(path, "tolerance"),
                "simulated as given, but Kubernetes reads a per-HPA tolerance only from 1.33 on with the HPAConfigurableTolerance feature gate turned on (alpha in 1.33, off by default: kubernetes.io/blog/2025/04/28/kubernetes-v1-33-hpa-configurable-tolerance); elsewhere the controller-wide --horizontal-pod-autoscaler-tolerance (0.1) applies",
            );
        }
        if let Some(List(items)) = read.policies {
            let list_path = child(path, "policies");
            if items.len() > MAX_LIST {
                return Err(invalid(&list_path, "a list of at most 10 policies"));
            }
            rules.policies = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let item_path = format!("{list_path}[{i}]");
                self.unknown_keys(&item_path);
                let type_path = child(&item_path, "type");
                let kind = match required(item.kind, &type_path)?.as_str() {
                    "Pods" => PolicyKind::Pods,
                    "Percent" => PolicyKind::Percent,
                    _ => return Err(invalid(&type_path, "Pods or Percent")),
                };
                rules.policies.push(ScalingPolicy {
                    kind,
                    value: required(item.value, &child(&item_path, "value"))?.0,
                    period_s: required(item.period_seconds, &child(&item_path, "periodSeconds"))?.0,
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
        // Read as a tree first: the parser's budget applies before any typed field is read.
        let document: Value = serde_saphyr::from_str_with_options(yaml, options).map_err(|e| {
            AutoscaleError::MalformedYaml {
                message: e.to_string(),
            }
        })?;
        let mut reader = Reader::default();
        let manifest: Manifest = reader.read(document, "")?;
        reader.unknown_keys("");
        let api_version = manifest.api_version.as_ref().and_then(Value::as_str);
        let kind = manifest.kind.as_ref().and_then(Value::as_str);
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
        if manifest.status.0 {
            reader.note(
                "status".to_string(),
                "written by the controller, not configuration; ignored",
            );
        }
        let spec: Spec = reader.read(required(manifest.spec, "spec")?, "spec")?;
        reader.unknown_keys("spec");
        if spec.scale_target_ref.0 {
            reader.note(
                "spec.scaleTargetRef".to_string(),
                "informational: the simulator scales one generic Deployment",
            );
        }

        let mut policy = HpaPolicy::default();
        if let Some(min) = spec.min_replicas {
            policy.min_replicas = min.0;
        }
        policy.max_replicas = required(spec.max_replicas, "spec.maxReplicas")?.0;
        let listed = spec.metrics.map(|list| list.0).unwrap_or_default();
        if !listed.is_empty() {
            let mut metrics = Vec::new();
            for (i, item) in listed.into_iter().enumerate() {
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
        policy.has_behavior = spec.behavior.is_some();
        if let Some(behavior) = spec.behavior {
            let behavior: Behavior = reader.read(behavior, "spec.behavior")?;
            reader.unknown_keys("spec.behavior");
            if let Some(up) = behavior.scale_up {
                policy.scale_up = reader.rules(
                    up,
                    "spec.behavior.scaleUp",
                    ScalingRules::default_scale_up(),
                )?;
            }
            if let Some(down) = behavior.scale_down {
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
