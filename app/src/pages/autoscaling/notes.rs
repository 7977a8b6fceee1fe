//! The notes of `/autoscaling`: the chapter's anti-patterns the run showed, and the choices of
//! this page's model beside what Kubernetes does.

use headroom::autoscale::{SimConfig, SimRun};
use leptos::prelude::*;

/// The chapter's anti-patterns found in the run, each with its evidence and the chapter's fix.
pub fn findings(run: &(SimRun, SimConfig)) -> AnyView {
    let found = &run.0.summary.findings;
    if found.is_empty() {
        view! { <p id="as-no-findings">"None of the chapter's five anti-patterns showed up in this run."</p> }.into_any()
    } else {
        let items = found
            .iter()
            .map(|f| view! {
                <li>
                    <strong>{f.pattern.name()}</strong>": "{f.pattern.problem()}". "{f.evidence.clone()}". "
                    <em>"The chapter's fix: "{f.pattern.solution().to_lowercase()}"."</em>
                </li>
            })
            .collect_view();
        view! { <ul class="findings" id="as-findings">{items}</ul> }.into_any()
    }
}

/// Where this page's model departs from Kubernetes, and why.
#[component]
pub fn ModelChoices() -> impl IntoView {
    view! {
        <p class="note" id="as-model-choices">
                    "Choices of this page's model, with what Kubernetes does. CPU: the pods' CPU limit equals
                    their request, so the utilization above stops at 100%; Kubernetes does not cap it (10 pods
                    at 140% of their request against a 70% target get 20 replicas, where 100% gives 15), which
                    happens when the limit is above the request or absent. Starting pods: a pod is
                    Pending for its start-up less the \"Running, not ready\" part (left out going down, 0 going
                    up), then Running but not ready, then ready; one the HPA has no sample of yet is missing
                    (0 going up, 100% of its CPU request or the per-pod target going down). As Kubernetes'
                    groupPods does, a CPU sample of a pod that is not ready, or taken before it turned ready
                    within the CPU initialization period, is set aside, while a per-pod metric counts what it
                    reported (here 0: such a pod serves nothing); past the initialization period a
                    never-ready pod stays set aside unless the initial readiness delay is 0. A pod's start
                    time is taken as its creation, and its start-up CPU is not modelled. Tolerance:
                    set per direction here; Kubernetes reads a per-HPA tolerance only from 1.33 on with the
                    HPAConfigurableTolerance feature gate (alpha, off by default), and otherwise applies the
                    controller-wide 0.1. Object and External metrics: their values come from outside the
                    pods, so this page takes them as typed under \"Object and External metric values\" (a
                    constant, or a series held from each point to the next), read as old as the metric lag,
                    and proposes as Kubernetes does: a Value target ⌈value / target × ready pods⌉, an
                    AverageValue target ⌈value / target⌉, each unchanged within the tolerance, the largest
                    proposal of all metrics winning; a selector that matches several series counts as the
                    one value typed (Kubernetes adds them up)."
        </p>
    }
}
