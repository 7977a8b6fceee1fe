//! The HPA policy: replica bounds, metric targets and `behavior`, with the documented defaults and
//! a compact text form for share URLs.

use serde::{Deserialize, Serialize};

use super::{AutoscaleError, MAX_REPLICAS, check_range};

/// Most metrics, and most policies per direction, a policy may list (bounds the work per sync).
pub const MAX_LIST: usize = 10;

/// A metric and its target. The simulator models the two kinds the chapter's example uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MetricTarget {
    /// `type: Resource`, `name: cpu`, `target.type: Utilization`: the ready pods' average CPU as a
    /// percentage of their request. Simulated as served requests / (ready pods × pod capacity),
    /// which saturates at 100%.
    CpuUtilization {
        /// `averageUtilization`, percent, 1 to 100.
        average_utilization: u32,
    },
    /// `type: Pods`, `target.type: AverageValue`: the per-pod average of a custom metric.
    /// Simulated as arriving requests per second per ready pod, whatever the metric's name.
    PodsAverageValue {
        /// `metric.name`, e.g. `requests_per_second`.
        name: String,
        /// `averageValue` per pod, 0.001 (1m) to 1e9.
        average_value: f64,
    },
    /// `type: Object`: a metric describing one Kubernetes object (an Ingress's requests per
    /// second, say), its value given over the run (`SimConfig::outside_metrics`).
    Object {
        /// `metric.name`.
        name: String,
        /// `target.type`: `Value` or `AverageValue`.
        target_type: ValueTarget,
        /// `target.value` or `target.averageValue`, 0.001 (1m) to 1e12.
        value: f64,
    },
    /// `type: External`: a metric from outside the cluster (a queue's length, say), its value
    /// given over the run (`SimConfig::outside_metrics`).
    External {
        /// `metric.name`.
        name: String,
        /// `target.type`: `Value` or `AverageValue`.
        target_type: ValueTarget,
        /// `target.value` or `target.averageValue`, 0.001 (1m) to 1e12.
        value: f64,
    },
}

/// How an Object or External metric's target reads the metric (`target.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueTarget {
    /// `Value`: the metric against the target as is; the proposal scales the ready pods.
    Value,
    /// `AverageValue`: the metric divided among the pods against the target.
    AverageValue,
}

impl ValueTarget {
    /// `value` or `average`, as in the compact text.
    fn compact(self) -> &'static str {
        match self {
            Self::Value => "value",
            Self::AverageValue => "average",
        }
    }

    /// `Value` or `AverageValue`, as in a manifest.
    pub fn manifest_name(self) -> &'static str {
        match self {
            Self::Value => "Value",
            Self::AverageValue => "AverageValue",
        }
    }
}

/// Whether `name` is a metric name the simulator accepts: 1 to 253 letters, digits, `_`, `.`,
/// `-` or `:` (the characters Prometheus and the metrics APIs use; none of them separates the
/// compact text's fields).
pub(crate) fn valid_metric_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-:".contains(c))
}

impl MetricTarget {
    fn validate(&self) -> Result<(), AutoscaleError> {
        match self {
            Self::CpuUtilization {
                average_utilization,
            } => {
                check_range(
                    "averageUtilization",
                    f64::from(*average_utilization),
                    1.0,
                    100.0,
                    "in [1, 100] percent (the simulated CPU saturates at 100% of its request)",
                )?;
            }
            Self::PodsAverageValue {
                name,
                average_value,
            } => {
                if !valid_metric_name(name) {
                    return Err(AutoscaleError::InvalidField {
                        path: "pods.metric.name".to_string(),
                        expected: "1 to 253 letters, digits, `_`, `.`, `-` or `:`".to_string(),
                    });
                }
                check_range(
                    "averageValue",
                    *average_value,
                    0.001,
                    1e9,
                    "in [0.001, 1e9] (the controller counts in milli-units)",
                )?;
            }
            Self::Object {
                name,
                target_type,
                value,
            }
            | Self::External {
                name,
                target_type,
                value,
            } => {
                let kind = self.outside_kind().unwrap_or("external");
                if !valid_metric_name(name) {
                    return Err(AutoscaleError::InvalidField {
                        path: format!("{kind}.metric.name"),
                        expected: "1 to 253 letters, digits, `_`, `.`, `-` or `:`".to_string(),
                    });
                }
                let field = match target_type {
                    ValueTarget::Value => "value",
                    ValueTarget::AverageValue => "averageValue",
                };
                check_range(
                    format!("{kind}.target.{field}"),
                    *value,
                    0.001,
                    1e12,
                    "in [0.001, 1e12] (the controller counts in milli-units)",
                )?;
            }
        }
        Ok(())
    }

    /// `object` or `external` for the metrics that come from outside the pods, else `None`.
    pub fn outside_kind(&self) -> Option<&'static str> {
        match self {
            Self::Object { .. } => Some("object"),
            Self::External { .. } => Some("external"),
            _ => None,
        }
    }

    /// The metric's name (`cpu` for the CPU target).
    pub fn name(&self) -> &str {
        match self {
            Self::CpuUtilization { .. } => "cpu",
            Self::PodsAverageValue { name, .. }
            | Self::Object { name, .. }
            | Self::External { name, .. } => name,
        }
    }

    /// Load one pod carries when this metric is exactly at its target, requests per second;
    /// `None` for Object and External metrics, which do not follow the pods' load.
    ///
    /// # Formula
    /// ```text
    /// cpu:  L = capacity × u / 100      (u = averageUtilization percent)
    /// pods: L = v                       (v = averageValue, read as requests/s per pod)
    /// ```
    pub fn load_per_pod_at_target(&self, pod_capacity_rps: f64) -> Option<f64> {
        match self {
            Self::CpuUtilization {
                average_utilization,
            } => Some(pod_capacity_rps * f64::from(*average_utilization) / 100.0),
            Self::PodsAverageValue { average_value, .. } => Some(*average_value),
            Self::Object { .. } | Self::External { .. } => None,
        }
    }

    /// Compact text: `cpu/70` or `pods/requests_per_second/1000`.
    pub fn to_compact(&self) -> String {
        match self {
            Self::CpuUtilization {
                average_utilization,
            } => format!("cpu/{average_utilization}"),
            Self::PodsAverageValue {
                name,
                average_value,
            } => format!("pods/{name}/{average_value}"),
            Self::Object {
                name,
                target_type,
                value,
            }
            | Self::External {
                name,
                target_type,
                value,
            } => format!(
                "{}/{name}/{}/{value}",
                self.outside_kind().unwrap_or("external"),
                target_type.compact()
            ),
        }
    }

    /// Reads [`MetricTarget::to_compact`]'s text.
    ///
    /// # Errors
    /// [`AutoscaleError::InvalidCompact`] for unreadable text; validation errors for bad numbers.
    pub fn from_compact(text: &str) -> Result<Self, AutoscaleError> {
        let bad = || AutoscaleError::InvalidCompact {
            text: text.to_string(),
            expected: "cpu/<percent>, pods/<name>/<value>, object/<name>/<value|average>/<value> or external/<name>/<value|average>/<value>",
        };
        let parts: Vec<&str> = text.trim().split('/').collect();
        let metric = match parts.as_slice() {
            ["cpu", percent] => Self::CpuUtilization {
                average_utilization: percent.parse().map_err(|_| bad())?,
            },
            ["pods", name, value] => Self::PodsAverageValue {
                name: (*name).to_string(),
                average_value: value.parse().map_err(|_| bad())?,
            },
            [kind @ ("object" | "external"), name, target_type, value] => {
                let name = (*name).to_string();
                let target_type = match *target_type {
                    "value" => ValueTarget::Value,
                    "average" => ValueTarget::AverageValue,
                    _ => return Err(bad()),
                };
                let value = value.parse().map_err(|_| bad())?;
                if *kind == "object" {
                    Self::Object {
                        name,
                        target_type,
                        value,
                    }
                } else {
                    Self::External {
                        name,
                        target_type,
                        value,
                    }
                }
            }
            _ => return Err(bad()),
        };
        metric.validate()?;
        Ok(metric)
    }
}

/// The unit of a scaling policy's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyKind {
    /// At most `value` pods added or removed per period.
    Pods,
    /// At most `value` percent of the replicas at the start of the period.
    Percent,
}

/// One `behavior.scaleUp.policies[]` or `scaleDown.policies[]` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScalingPolicy {
    /// `type`.
    pub kind: PolicyKind,
    /// `value` (at least 1).
    pub value: u32,
    /// `periodSeconds`, 1 to 1,800 (the Kubernetes limit).
    pub period_s: u32,
}

/// `selectPolicy`: which policy wins when several apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SelectPolicy {
    /// The policy allowing the largest change (the default).
    Max,
    /// The policy allowing the smallest change.
    Min,
    /// No scaling in this direction.
    Disabled,
}

impl SelectPolicy {
    fn compact(self) -> &'static str {
        match self {
            Self::Max => "max",
            Self::Min => "min",
            Self::Disabled => "disabled",
        }
    }
}

/// `behavior.scaleUp` or `behavior.scaleDown`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingRules {
    /// `stabilizationWindowSeconds`, 0 to 3,600.
    pub stabilization_window_s: u32,
    /// `selectPolicy`.
    pub select_policy: SelectPolicy,
    /// `policies` (1 to 10 entries unless `select_policy` is `Disabled`).
    pub policies: Vec<ScalingPolicy>,
    /// `tolerance` (Kubernetes 1.33+, default 0.1): a ratio within it of 1 causes no scaling in
    /// this direction. Before 1.33 the same 0.1 is a controller-wide flag.
    pub tolerance: f64,
}

/// The controller-wide default tolerance (`--horizontal-pod-autoscaler-tolerance`).
pub const DEFAULT_TOLERANCE: f64 = 0.1;

impl ScalingRules {
    /// Rules from `(kind, value, period_s)` triples, with the default tolerance.
    pub(crate) fn of(
        window: u32,
        select: SelectPolicy,
        policies: &[(PolicyKind, u32, u32)],
    ) -> Self {
        Self {
            stabilization_window_s: window,
            select_policy: select,
            policies: policies
                .iter()
                .map(|&(kind, value, period_s)| ScalingPolicy {
                    kind,
                    value,
                    period_s,
                })
                .collect(),
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// The documented default for `scaleUp`: no stabilization; the larger of +100% and +4 pods
    /// every 15 s.
    pub fn default_scale_up() -> Self {
        Self::of(
            0,
            SelectPolicy::Max,
            &[(PolicyKind::Percent, 100, 15), (PolicyKind::Pods, 4, 15)],
        )
    }

    /// The documented default for `scaleDown`: a 300 s stabilization window, then down to
    /// `minReplicas` at once (−100% every 15 s).
    pub fn default_scale_down() -> Self {
        Self::of(300, SelectPolicy::Max, &[(PolicyKind::Percent, 100, 15)])
    }

    pub(crate) fn validate(&self, direction: &'static str) -> Result<(), AutoscaleError> {
        let field = |name: &str| format!("{direction}.{name}");
        check_range(
            field("stabilizationWindowSeconds"),
            f64::from(self.stabilization_window_s),
            0.0,
            3600.0,
            "in [0, 3600] seconds",
        )?;
        check_range(
            field("tolerance"),
            self.tolerance,
            0.0,
            0.99,
            "in [0, 0.99]",
        )?;
        if self.policies.is_empty() && self.select_policy != SelectPolicy::Disabled {
            return Err(AutoscaleError::NoPolicy { direction });
        }
        check_range(
            field("policies"),
            self.policies.len() as f64,
            0.0,
            MAX_LIST as f64,
            "at most 10 entries",
        )?;
        for policy in &self.policies {
            check_range(
                field("policies.value"),
                f64::from(policy.value),
                1.0,
                f64::from(MAX_REPLICAS),
                "in [1, 1,000,000]",
            )?;
            check_range(
                field("policies.periodSeconds"),
                f64::from(policy.period_s),
                1.0,
                1800.0,
                "in [1, 1800] seconds",
            )?;
        }
        Ok(())
    }

    /// Longest `periodSeconds` among the policies (how long scale events must be remembered).
    pub(crate) fn longest_period_s(&self) -> u32 {
        self.policies.iter().map(|p| p.period_s).max().unwrap_or(0)
    }

    /// Compact text for a URL: `window:select:policies[:tolerance]`, for example
    /// `0:max:Percent/100/15,Pods/4/15` (the default scale-up) or `300:max:Percent/10/60`.
    /// The tolerance is written only when it is not the default 0.1.
    pub fn to_compact(&self) -> String {
        let policies: Vec<String> = self
            .policies
            .iter()
            .map(|p| {
                format!(
                    "{}/{}/{}",
                    if p.kind == PolicyKind::Pods {
                        "Pods"
                    } else {
                        "Percent"
                    },
                    p.value,
                    p.period_s
                )
            })
            .collect();
        let mut text = format!(
            "{}:{}:{}",
            self.stabilization_window_s,
            self.select_policy.compact(),
            policies.join(",")
        );
        if self.tolerance != DEFAULT_TOLERANCE {
            text.push_str(&format!(":{}", self.tolerance));
        }
        text
    }

    /// Reads [`ScalingRules::to_compact`]'s text (`select` and the policy types are
    /// case-insensitive). `direction` (`scaleUp` or `scaleDown`) names the field in errors.
    ///
    /// # Errors
    /// [`AutoscaleError::InvalidCompact`] for unreadable text; validation errors for bad numbers.
    pub fn from_compact(text: &str, direction: &'static str) -> Result<Self, AutoscaleError> {
        let expected =
            "<window s>:<max|min|disabled>:<Percent|Pods>/<value>/<period s>,...[:<tolerance>]";
        let bad = || AutoscaleError::InvalidCompact {
            text: text.to_string(),
            expected,
        };
        let parts: Vec<&str> = text.trim().split(':').collect();
        let (window, select, list, tolerance) = match parts.as_slice() {
            [w, s, l] => (*w, *s, *l, None),
            [w, s, l, t] => (*w, *s, *l, Some(*t)),
            _ => return Err(bad()),
        };
        let select_policy = match select.to_ascii_lowercase().as_str() {
            "max" => SelectPolicy::Max,
            "min" => SelectPolicy::Min,
            "disabled" => SelectPolicy::Disabled,
            _ => return Err(bad()),
        };
        let mut policies = Vec::new();
        for entry in list.split(',').filter(|e| !e.is_empty()) {
            if policies.len() >= MAX_LIST {
                return Err(bad());
            }
            let fields: Vec<&str> = entry.split('/').collect();
            let [kind, value, period] = fields.as_slice() else {
                return Err(bad());
            };
            let kind = match kind.to_ascii_lowercase().as_str() {
                "pods" => PolicyKind::Pods,
                "percent" => PolicyKind::Percent,
                _ => return Err(bad()),
            };
            policies.push(ScalingPolicy {
                kind,
                value: value.parse().map_err(|_| bad())?,
                period_s: period.parse().map_err(|_| bad())?,
            });
        }
        let rules = Self {
            stabilization_window_s: window.parse().map_err(|_| bad())?,
            select_policy,
            policies,
            tolerance: match tolerance {
                Some(t) => t.parse().map_err(|_| bad())?,
                None => DEFAULT_TOLERANCE,
            },
        };
        rules.validate(direction)?;
        Ok(rules)
    }
}

/// A HorizontalPodAutoscaler's scaling policy: what `spec` says, plus the controller's sync period.
///
/// Fields are plain data (the page builds them from a form or from YAML);
/// [`HpaPolicy::validate`] checks them, and [`super::simulate`] always calls it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HpaPolicy {
    /// `spec.minReplicas`, at least 1.
    pub min_replicas: u32,
    /// `spec.maxReplicas`, from `min_replicas` to [`MAX_REPLICAS`].
    pub max_replicas: u32,
    /// `spec.metrics`: each proposes a replica count; the largest wins.
    pub metrics: Vec<MetricTarget>,
    /// `spec.behavior.scaleUp`.
    pub scale_up: ScalingRules,
    /// `spec.behavior.scaleDown`.
    pub scale_down: ScalingRules,
    /// The controller's `--horizontal-pod-autoscaler-sync-period`, seconds (default 15).
    pub sync_period_s: u32,
    /// Whether `spec.behavior` is set. Without it the controller takes its older path
    /// (`normalizeDesiredReplicas` in horizontal.go): no policies, a scale-up limit of
    /// `max(2 × current, 4)` per sync, and the highest recommendation of the last
    /// `scale_down.stabilization_window_s` seconds (there the controller-wide
    /// `--horizontal-pod-autoscaler-downscale-stabilization`, default 300 s) in both directions.
    /// `scale_up` and `scale_down` then only carry that window and the tolerance.
    #[serde(default = "behavior_is_set")]
    pub has_behavior: bool,
}

fn behavior_is_set() -> bool {
    true
}

impl Default for HpaPolicy {
    /// The documented Kubernetes defaults: `minReplicas` 1, a CPU target of 80% when no metric
    /// is given, a 15 s sync, a 0.1 tolerance and the default `behavior` written out
    /// ([`ScalingRules::default_scale_up`], [`ScalingRules::default_scale_down`]), so
    /// `has_behavior` is true: the path an HPA created with `behavior: {}` takes. A manifest
    /// without `behavior` takes the older path instead (see [`HpaPolicy::has_behavior`]).
    /// `maxReplicas` is required in Kubernetes and has no default; 10 here.
    fn default() -> Self {
        Self {
            min_replicas: 1,
            max_replicas: 10,
            metrics: vec![MetricTarget::CpuUtilization {
                average_utilization: 80,
            }],
            scale_up: ScalingRules::default_scale_up(),
            scale_down: ScalingRules::default_scale_down(),
            sync_period_s: 15,
            has_behavior: true,
        }
    }
}

impl HpaPolicy {
    /// The chapter's example HPA (section 4, "Scaling Policies"): 3 to 100 replicas, CPU at 70%
    /// and 1,000 requests/s per pod, scale up by up to 100% every 15 s with no stabilization,
    /// scale down by up to 10% per 60 s after a 300 s window.
    pub fn chapter_example() -> Self {
        Self {
            min_replicas: 3,
            max_replicas: 100,
            metrics: vec![
                MetricTarget::CpuUtilization {
                    average_utilization: 70,
                },
                MetricTarget::PodsAverageValue {
                    name: "requests_per_second".to_string(),
                    average_value: 1000.0,
                },
            ],
            scale_up: ScalingRules::of(0, SelectPolicy::Max, &[(PolicyKind::Percent, 100, 15)]),
            scale_down: ScalingRules::of(300, SelectPolicy::Max, &[(PolicyKind::Percent, 10, 60)]),
            sync_period_s: 15,
            has_behavior: true,
        }
    }

    /// Checks every field against the Kubernetes validation rules (and the simulator's caps).
    ///
    /// # Errors
    /// [`AutoscaleError::OutOfRange`], [`AutoscaleError::MinAboveMax`],
    /// [`AutoscaleError::NoMetric`], [`AutoscaleError::NoPolicy`] or
    /// [`AutoscaleError::InvalidField`] for the first field that is wrong.
    pub fn validate(&self) -> Result<(), AutoscaleError> {
        check_range(
            "minReplicas",
            f64::from(self.min_replicas),
            1.0,
            f64::from(MAX_REPLICAS),
            "in [1, 1,000,000] (0 needs the HPAScaleToZero alpha feature and an external metric, which are not simulated)",
        )?;
        check_range(
            "maxReplicas",
            f64::from(self.max_replicas),
            1.0,
            f64::from(MAX_REPLICAS),
            "in [1, 1,000,000]",
        )?;
        if self.min_replicas > self.max_replicas {
            return Err(AutoscaleError::MinAboveMax {
                min: self.min_replicas,
                max: self.max_replicas,
            });
        }
        if self.metrics.is_empty() {
            return Err(AutoscaleError::NoMetric);
        }
        check_range(
            "metrics",
            self.metrics.len() as f64,
            1.0,
            MAX_LIST as f64,
            "1 to 10 entries",
        )?;
        for metric in &self.metrics {
            metric.validate()?;
        }
        self.scale_up.validate("scaleUp")?;
        self.scale_down.validate("scaleDown")?;
        check_range(
            "syncPeriod",
            f64::from(self.sync_period_s),
            1.0,
            3600.0,
            "in [1, 3600] seconds",
        )?;
        Ok(())
    }

    /// Compact text of the whole policy for a URL, fields separated by `;` in a fixed order:
    /// `min=3;max=100;metrics=cpu/70,pods/requests_per_second/1000;up=0:max:Percent/100/15;down=300:max:Percent/10/60;sync=15`.
    /// A policy without `behavior` ends in `;behavior=none` (absent, the behavior is set, so
    /// every link written before the field existed reads as it did).
    pub fn to_compact(&self) -> String {
        let metrics: Vec<String> = self.metrics.iter().map(MetricTarget::to_compact).collect();
        let mut text = format!(
            "min={};max={};metrics={};up={};down={};sync={}",
            self.min_replicas,
            self.max_replicas,
            metrics.join(","),
            self.scale_up.to_compact(),
            self.scale_down.to_compact(),
            self.sync_period_s
        );
        if !self.has_behavior {
            text.push_str(";behavior=none");
        }
        text
    }

    /// Reads [`HpaPolicy::to_compact`]'s text. Fields may come in any order; a missing field
    /// keeps its [`Default`] value.
    ///
    /// # Errors
    /// [`AutoscaleError::InvalidCompact`] for unreadable text or an unknown field, and the
    /// errors of [`HpaPolicy::validate`].
    pub fn from_compact(text: &str) -> Result<Self, AutoscaleError> {
        let mut policy = Self::default();
        for field in text.split(';').map(str::trim).filter(|f| !f.is_empty()) {
            let bad = || AutoscaleError::InvalidCompact {
                text: field.to_string(),
                expected: "min=, max=, metrics=, up=, down=, sync= or behavior=none|set",
            };
            let (key, value) = field.split_once('=').ok_or_else(bad)?;
            let number = |v: &str| v.trim().parse::<u32>().map_err(|_| bad());
            match key.trim() {
                "min" => policy.min_replicas = number(value)?,
                "max" => policy.max_replicas = number(value)?,
                "sync" => policy.sync_period_s = number(value)?,
                "metrics" => {
                    let entries: Vec<&str> = value.split(',').filter(|m| !m.is_empty()).collect();
                    if entries.len() > MAX_LIST {
                        return Err(bad());
                    }
                    policy.metrics = entries
                        .into_iter()
                        .map(MetricTarget::from_compact)
                        .collect::<Result<_, _>>()?;
                }
                "up" => policy.scale_up = ScalingRules::from_compact(value, "scaleUp")?,
                "down" => policy.scale_down = ScalingRules::from_compact(value, "scaleDown")?,
                "behavior" => {
                    policy.has_behavior = match value.trim() {
                        "none" => false,
                        "set" => true,
                        _ => return Err(bad()),
                    }
                }
                _ => return Err(bad()),
            }
        }
        policy.validate()?;
        Ok(policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn compact_text_of_the_documented_defaults() {
        // The defaults as listed in the Kubernetes docs, "Default Behavior".
        assert_eq!(
            ScalingRules::default_scale_up().to_compact(),
            "0:max:Percent/100/15,Pods/4/15"
        );
        assert_eq!(
            ScalingRules::default_scale_down().to_compact(),
            "300:max:Percent/100/15"
        );
        let chapter = HpaPolicy::chapter_example();
        let text = chapter.to_compact();
        assert_eq!(
            text,
            "min=3;max=100;metrics=cpu/70,pods/requests_per_second/1000;up=0:max:Percent/100/15;down=300:max:Percent/10/60;sync=15"
        );
        assert_eq!(HpaPolicy::from_compact(&text).unwrap(), chapter);
    }

    #[test]
    fn compact_text_reads_loosely_and_rejects_nonsense() {
        let rules =
            ScalingRules::from_compact("60:MIN:pods/2/30,PERCENT/50/60:0.05", "scaleUp").unwrap();
        assert_eq!(rules.select_policy, SelectPolicy::Min);
        assert_eq!(
            rules.policies[0],
            ScalingPolicy {
                kind: PolicyKind::Pods,
                value: 2,
                period_s: 30
            }
        );
        assert_eq!(rules.tolerance, 0.05);
        assert!(ScalingRules::from_compact("0:max:", "scaleUp").is_err()); // no policy
        assert!(ScalingRules::from_compact("0:disabled:", "scaleUp").is_ok());
        assert!(ScalingRules::from_compact("0:max:Percent/100/0", "scaleUp").is_err()); // period 0
        assert!(ScalingRules::from_compact("4000:max:Percent/100/15", "scaleDown").is_err());
        assert!(HpaPolicy::from_compact("min=5;max=2").is_err());
        assert!(HpaPolicy::from_compact("min=0").is_err());
        assert!(HpaPolicy::from_compact("colour=blue").is_err());
        assert_eq!(HpaPolicy::from_compact("").unwrap(), HpaPolicy::default());
    }

    #[test]
    fn object_and_external_metrics_in_compact_text() {
        let text = "min=1;max=20;metrics=external/queue_messages_ready/average/30,object/ingress_rps/value/2000";
        let policy = HpaPolicy::from_compact(text).unwrap();
        assert_eq!(
            policy.metrics,
            vec![
                MetricTarget::External {
                    name: "queue_messages_ready".into(),
                    target_type: ValueTarget::AverageValue,
                    value: 30.0,
                },
                MetricTarget::Object {
                    name: "ingress_rps".into(),
                    target_type: ValueTarget::Value,
                    value: 2_000.0,
                },
            ]
        );
        assert_eq!(
            HpaPolicy::from_compact(&policy.to_compact()).unwrap(),
            policy
        );
        assert!(MetricTarget::from_compact("external/q/sum/3").is_err());
        let err = MetricTarget::from_compact("object/q/value/0").unwrap_err();
        assert!(err.to_string().contains("object.target.value"), "{err}");
    }

    fn arb_rules() -> impl Strategy<Value = ScalingRules> {
        let policy =
            (prop::bool::ANY, 1u32..1000, 1u32..=1800).prop_map(|(pods, value, period_s)| {
                ScalingPolicy {
                    kind: if pods {
                        PolicyKind::Pods
                    } else {
                        PolicyKind::Percent
                    },
                    value,
                    period_s,
                }
            });
        (
            0u32..=3600,
            0u8..3,
            prop::collection::vec(policy, 1..4),
            0u32..99,
        )
            .prop_map(|(w, s, policies, tol)| ScalingRules {
                stabilization_window_s: w,
                select_policy: [SelectPolicy::Max, SelectPolicy::Min, SelectPolicy::Disabled]
                    [usize::from(s)],
                policies,
                tolerance: f64::from(tol) / 100.0,
            })
    }

    proptest! {
        #[test]
        fn compact_round_trips(up in arb_rules(), down in arb_rules(), min in 1u32..50, extra in 0u32..500, cpu in 1u32..=100, rps in 1u32..100_000, has_behavior in prop::bool::ANY) {
            let policy = HpaPolicy {
                min_replicas: min,
                max_replicas: min + extra,
                metrics: vec![
                    MetricTarget::CpuUtilization { average_utilization: cpu },
                    MetricTarget::PodsAverageValue { name: "rps".into(), average_value: f64::from(rps) / 10.0 },
                    MetricTarget::External { name: "queue".into(), target_type: ValueTarget::AverageValue, value: f64::from(rps) / 100.0 },
                    MetricTarget::Object { name: "lb".into(), target_type: ValueTarget::Value, value: f64::from(cpu) * 7.0 },
                ],
                scale_up: up,
                scale_down: down,
                sync_period_s: 15,
                has_behavior,
            };
            prop_assert_eq!(HpaPolicy::from_compact(&policy.to_compact()).unwrap(), policy);
        }

        #[test]
        fn compact_never_panics(text in ".{0,200}") {
            let _ = HpaPolicy::from_compact(&text);
            let _ = ScalingRules::from_compact(&text, "scaleUp");
        }
    }
}
