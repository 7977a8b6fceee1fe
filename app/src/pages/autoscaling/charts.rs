//! The charts of an auto-scaling run: demand against ready capacity, desired against ready
//! replicas, and utilization against the target, over the run.

use headroom::autoscale::{SimRun, SimStep};

use crate::components::chart::{ChartData, Format, Series, SeriesKind};

/// Most points per series: a day at 15 s has 5,760 steps, more than a chart can show or a
/// keystroke should redraw.
const MAX_POINTS: usize = 480;

/// The time axis: hours for runs longer than 3 h, minutes otherwise.
fn time_axis(run: &SimRun) -> (f64, &'static str) {
    let end = run.steps.last().map_or(0, |s| s.t_s);
    if end > 3 * 3_600 {
        (3_600.0, "hours into the run")
    } else {
        (60.0, "minutes into the run")
    }
}

pub(super) fn series(run: &SimRun, name: &str, y: impl Fn(&SimStep) -> f64) -> Series {
    let (unit, _) = time_axis(run);
    let stride = run.steps.len().div_ceil(MAX_POINTS).max(1);
    Series {
        name: name.to_string(),
        kind: SeriesKind::Line,
        points: run
            .steps
            .iter()
            .step_by(stride)
            .map(|s| (s.t_s as f64 / unit, y(s)))
            .collect(),
    }
}

fn chart(run: &SimRun, y_name: &str, series: Vec<Series>) -> ChartData {
    ChartData {
        x_name: time_axis(run).1.into(),
        y_name: y_name.into(),
        series,
        table_rows: Some(12),
        ..ChartData::default()
    }
}

/// Requests per second arriving, and what the ready pods can serve.
pub fn capacity(run: &SimRun) -> ChartData {
    chart(
        run,
        "requests/s",
        vec![
            // Not rounded: observed traffic can be a fraction of a request per second.
            series(run, "demand", |s| s.demand_rps),
            series(run, "ready capacity", |s| s.ready_capacity_rps),
        ],
    )
}

/// The replicas the HPA asked for, the ones ready, and the metrics' raw proposal.
pub fn replicas(run: &SimRun) -> ChartData {
    chart(
        run,
        "pods",
        vec![
            series(run, "desired", |s| f64::from(s.desired_replicas)),
            series(run, "ready", |s| f64::from(s.ready_replicas)),
            series(run, "metrics ask for", |s| {
                f64::from(s.recommended_replicas)
            }),
        ],
    )
}

/// The ready pods' CPU against the policy's CPU target (when it has one).
pub fn utilization(run: &SimRun, target_percent: Option<f64>) -> ChartData {
    let mut all = vec![series(run, "CPU utilization", |s| {
        (s.utilization * 1000.0).round() / 10.0
    })];
    if let Some(target) = target_percent {
        all.push(series(run, "target", move |_| target));
    }
    ChartData {
        y_format: Format::Percent,
        ..chart(run, "utilization", all)
    }
}
