use super::*;
use crate::autoscale::policy::DEFAULT_TOLERANCE;

#[test]
fn the_chapters_example_loads_as_is() {
    let (policy, unsupported) =
        HpaPolicy::from_yaml(crate::autoscale::CHAPTER_EXAMPLE_YAML).unwrap();
    assert_eq!(policy, HpaPolicy::chapter_example());
    assert_eq!(
        unsupported,
        vec![UnsupportedField {
            path: "spec.scaleTargetRef".into(),
            reason: "informational: the simulator scales one generic Deployment".into()
        }]
    );
}

#[test]
fn absent_fields_take_the_documented_defaults() {
    // Kubernetes API defaulting: minReplicas 1, cpu 80% when metrics is absent, and the
    // documented default behavior for a direction or field that is not given.
    let yaml = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 7\n  behavior:\n    scaleDown:\n      selectPolicy: Disabled\n";
    let (policy, unsupported) = HpaPolicy::from_yaml(yaml).unwrap();
    assert!(unsupported.is_empty());
    assert_eq!(policy.min_replicas, 1);
    assert_eq!(policy.max_replicas, 7);
    assert_eq!(
        policy.metrics,
        vec![MetricTarget::CpuUtilization {
            average_utilization: 80
        }]
    );
    assert_eq!(policy.scale_up, ScalingRules::default_scale_up());
    assert_eq!(policy.scale_down.select_policy, SelectPolicy::Disabled);
    assert_eq!(policy.scale_down.stabilization_window_s, 300);
    assert_eq!(policy.scale_down.tolerance, DEFAULT_TOLERANCE);
}

#[test]
fn a_manifest_without_behavior_takes_the_older_path() {
    // horizontal.go: `if hpa.Spec.Behavior == nil` → normalizeDesiredReplicas; the API server
    // fills in a behavior only when one is set (SetDefaults_HorizontalPodAutoscalerBehavior).
    let head =
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 7\n";
    let (policy, _) = HpaPolicy::from_yaml(head).unwrap();
    assert!(!policy.has_behavior);
    assert!(policy.to_compact().ends_with(";behavior=none"));
    assert_eq!(
        HpaPolicy::from_compact(&policy.to_compact()).unwrap(),
        policy
    );
    let (policy, _) = HpaPolicy::from_yaml(&format!("{head}  behavior: null\n")).unwrap();
    assert!(!policy.has_behavior);
    let (policy, _) = HpaPolicy::from_yaml(&format!("{head}  behavior: {{}}\n")).unwrap();
    assert!(policy.has_behavior);
    assert_eq!(policy.scale_up, ScalingRules::default_scale_up());
    assert!(
        HpaPolicy::from_yaml(crate::autoscale::CHAPTER_EXAMPLE_YAML)
            .unwrap()
            .0
            .has_behavior
    );
}

#[test]
fn unsupported_fields_are_listed() {
    let yaml = r#"
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
spec:
  maxReplicas: 10
  minReplicaz: 2
  metrics:
  - type: Resource
    resource:
      name: memory
      target: {type: Utilization, averageUtilization: 60}
  - type: External
    external:
      metric: {name: queue_messages_ready}
      target: {type: AverageValue, averageValue: 30}
  - type: ContainerResource
    containerResource:
      name: cpu
      container: app
      target: {type: Utilization, averageUtilization: 60}
  - type: Pods
    pods:
      metric:
        name: queue_depth
        selector: {matchLabels: {tier: web}}
      target: {type: AverageValue, averageValue: "1.5k"}
  behavior:
    scaleUp:
      tolerance: "0.05"
      policies: [{type: Pods, value: 4, periodSeconds: 60, weight: 2}]
status:
  currentReplicas: 3
"#;
    let (policy, unsupported) = HpaPolicy::from_yaml(yaml).unwrap();
    let paths: Vec<&str> = unsupported.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "status",
            "spec.minReplicaz",
            "spec.metrics[0]",
            "spec.metrics[1]",
            "spec.metrics[2].containerResource.container",
            "spec.metrics[3].pods.metric.selector",
            "spec.metrics[3].pods.metric.name",
            "spec.behavior.scaleUp.tolerance",
            "spec.behavior.scaleUp.policies[0].weight",
        ]
    );
    // Left-out metrics say which metric, and what leaving it out does.
    assert!(
        unsupported[2]
            .reason
            .starts_with("Resource memory with a Utilization target is left out")
    );
    // An External metric is read into the policy; the note says where its value goes.
    assert!(
        unsupported[3]
            .reason
            .starts_with("External metric queue_messages_ready comes from outside the pods"),
        "{}",
        unsupported[3].reason
    );
    assert!(unsupported[3].reason.contains("(as_ext)"));
    assert!(unsupported[7].reason.contains("HPAConfigurableTolerance"));
    assert_eq!(
        policy.metrics,
        vec![
            MetricTarget::External {
                name: "queue_messages_ready".into(),
                target_type: ValueTarget::AverageValue,
                value: 30.0
            },
            MetricTarget::CpuUtilization {
                average_utilization: 60
            },
            MetricTarget::PodsAverageValue {
                name: "queue_depth".into(),
                average_value: 1_500.0
            },
        ]
    );
    assert_eq!(policy.scale_up.tolerance, 0.05);
    assert_eq!(
        policy.scale_up.policies,
        vec![ScalingPolicy {
            kind: PolicyKind::Pods,
            value: 4,
            period_s: 60
        }]
    );
}

#[test]
fn quantities_follow_the_kubernetes_suffixes() {
    // resource.Quantity: m = 1e-3, k = 1e3, Ki = 1024, e3 = 10^3.
    for (text, expected) in [
        ("500m", 0.5),
        ("1.5k", 1_500.0),
        ("2Ki", 2_048.0),
        ("1e3", 1_000.0),
        ("250", 250.0),
        ("3M", 3e6),
    ] {
        assert_eq!(
            quantity(&Value::String(text.into()), "q").unwrap(),
            expected,
            "{text}"
        );
    }
    for bad in ["", "k", "1x", "1.2.3", "1e", "nan", "inf"] {
        assert!(quantity(&Value::String(bad.into()), "q").is_err(), "{bad}");
    }
}

#[test]
fn malformed_and_wrong_documents_are_clear_messages() {
    let err = HpaPolicy::from_yaml("spec:\n  maxReplicas: [1, 2\n").unwrap_err();
    assert!(
        matches!(err, AutoscaleError::MalformedYaml { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("the YAML could not be read: "),
        "{err}"
    );

    let err =
        HpaPolicy::from_yaml("apiVersion: apps/v1\nkind: Deployment\nspec: {}\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected apiVersion autoscaling/v2 and kind HorizontalPodAutoscaler, got apiVersion apps/v1 and kind Deployment"
    );

    let err = HpaPolicy::from_yaml("spec:\n  minReplicas: 2\n").unwrap_err();
    assert_eq!(err.to_string(), "spec.maxReplicas is required");

    let err = HpaPolicy::from_yaml("spec:\n  maxReplicas: ten\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "spec.maxReplicas must be a whole number from 0 to 4294967295"
    );

    let err = HpaPolicy::from_yaml(
        "spec:\n  maxReplicas: 5\n  behavior:\n    scaleUp:\n      selectPolicy: Fastest\n",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "spec.behavior.scaleUp.selectPolicy must be one of Max, Min, Disabled"
    );

    let only_memory = "spec:\n  maxReplicas: 5\n  metrics:\n  - type: Resource\n    resource: {name: memory, target: {type: Utilization, averageUtilization: 60}}\n";
    assert_eq!(
        HpaPolicy::from_yaml(only_memory).unwrap_err(),
        AutoscaleError::NoSupportedMetric
    );

    assert!(matches!(
        HpaPolicy::from_yaml("spec:\n  minReplicas: 9\n  maxReplicas: 5\n"),
        Err(AutoscaleError::MinAboveMax { .. })
    ));
    assert!(HpaPolicy::from_yaml("").is_err());
    assert!(HpaPolicy::from_yaml("- 1\n- 2\n").is_err());
}

#[test]
fn size_depth_and_alias_bombs_are_refused() {
    let big = format!("spec:\n  maxReplicas: 5\n#{}\n", "x".repeat(MAX_YAML_BYTES));
    assert!(matches!(
        HpaPolicy::from_yaml(&big),
        Err(AutoscaleError::YamlTooLarge { .. })
    ));
    let deep = format!("spec: {}1{}\n", "[".repeat(200), "]".repeat(200));
    assert!(HpaPolicy::from_yaml(&deep).is_err());
    // "Billion laughs": each level doubles the document through aliases.
    let mut laughs = String::from("a0: &a0 [lol, lol]\n");
    for i in 1..40 {
        laughs.push_str(&format!("a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
    }
    assert!(HpaPolicy::from_yaml(&laughs).is_err());
}

proptest::proptest! {
    #[test]
    fn no_yaml_panics(text in ".{0,400}") {
        let _ = HpaPolicy::from_yaml(&text);
    }

    #[test]
    fn no_mutation_of_the_chapters_yaml_panics(cut in 0usize..1200, insert in "[ :\\-\\[\\]{}#&*!|>'\"a-z0-9\n]{0,8}") {
        let mut text = crate::autoscale::CHAPTER_EXAMPLE_YAML.to_string();
        let at = (cut % (text.len() + 1)).min(text.len());
        if text.is_char_boundary(at) {
            text.insert_str(at, &insert);
        }
        let _ = HpaPolicy::from_yaml(&text);
    }
}

#[test]
fn object_and_external_metrics_are_read_with_their_targets() {
    let yaml = r#"
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
spec:
  maxReplicas: 10
  metrics:
  - type: Object
    object:
      metric: {name: requests_per_second}
      describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main-route}
      target: {type: Value, value: 2k}
  - type: External
    external:
      metric:
        name: queue_messages_ready
        selector: {matchLabels: {queue: worker_tasks}}
      target: {type: AverageValue, averageValue: 30}
"#;
    let (policy, notes) = HpaPolicy::from_yaml(yaml).unwrap();
    assert_eq!(
        policy.metrics,
        vec![
            MetricTarget::Object {
                name: "requests_per_second".into(),
                target_type: ValueTarget::Value,
                value: 2_000.0
            },
            MetricTarget::External {
                name: "queue_messages_ready".into(),
                target_type: ValueTarget::AverageValue,
                value: 30.0
            },
        ]
    );
    let paths: Vec<&str> = notes.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "spec.metrics[0]",
            "spec.metrics[1].external.metric.selector",
            "spec.metrics[1]"
        ]
    );
    for (yaml, says) in [
        (
            "spec:\n  maxReplicas: 5\n  metrics:\n  - type: Object\n    object: {metric: {name: x}, target: {type: Value, value: 1}}\n",
            "spec.metrics[0].object.describedObject is required",
        ),
        (
            "spec:\n  maxReplicas: 5\n  metrics:\n  - type: External\n    external: {metric: {name: x}, target: {type: Utilization, averageUtilization: 1}}\n",
            "spec.metrics[0].external.target.type must be Value or AverageValue",
        ),
        (
            "spec:\n  maxReplicas: 5\n  metrics:\n  - type: External\n    external: {metric: {name: x}, target: {type: Value}}\n",
            "spec.metrics[0].external.target.value is required",
        ),
    ] {
        let err = HpaPolicy::from_yaml(yaml).unwrap_err().to_string();
        assert!(err.starts_with(says), "{err}");
    }
}
