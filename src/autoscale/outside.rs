//! The values of Object and External metrics over a run. They come from outside the pods (a
//! queue's length, a load balancer's request rate), so the simulator cannot derive them from its
//! traffic: the user gives each one as a constant or as a series of points in time, and the
//! controller reads it like any other metric, `metric_lag_s` old.

use serde::{Deserialize, Serialize};

use super::AutoscaleError;
use super::policy::valid_metric_name;
use crate::units::{format_query_plain, parse_count, parse_duration};

/// Most points one series may have: bounds the text, the memory and the work per run (each
/// sync reads on from where the last one stopped, so a run costs steps + points per metric).
pub const MAX_POINTS: usize = 100;

/// Largest value a series point may take (in the metric's own unit; the controller counts in
/// milli-units, which stay exact in an `i64` far beyond this).
pub const MAX_OUTSIDE_VALUE: f64 = 1e12;

/// One Object or External metric's values over the run: `(time s, value)` points, in increasing
/// time. The value holds from each point until the next one; before the first point it is the
/// first point's value, so a single point is a constant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutsideSeries {
    /// The metric's name, as in the policy (`metric.name`).
    pub name: String,
    /// `(seconds since the start of the run, value)`, times strictly increasing, 1 to
    /// [`MAX_POINTS`] points.
    pub points: Vec<(u64, f64)>,
}

impl OutsideSeries {
    /// A constant value.
    pub fn constant(name: &str, value: f64) -> Self {
        Self {
            name: name.to_string(),
            points: vec![(0, value)],
        }
    }

    /// Checks the name, the number of points, their order and their values.
    ///
    /// # Errors
    /// [`AutoscaleError::InvalidField`] naming the metric and what is wrong.
    pub fn validate(&self) -> Result<(), AutoscaleError> {
        let invalid = |expected: String| AutoscaleError::InvalidField {
            path: format!("as_ext {}", self.name),
            expected,
        };
        if !valid_metric_name(&self.name) {
            return Err(AutoscaleError::InvalidField {
                path: "as_ext".to_string(),
                expected: "name=value entries whose names are 1 to 253 letters, digits, `_`, `.`, `-` or `:`"
                    .to_string(),
            });
        }
        if self.points.is_empty() || self.points.len() > MAX_POINTS {
            return Err(invalid(format!("1 to {MAX_POINTS} points")));
        }
        if self.points.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(invalid("points in increasing time".to_string()));
        }
        if self
            .points
            .iter()
            .any(|&(_, v)| !(0.0..=MAX_OUTSIDE_VALUE).contains(&v))
        {
            return Err(invalid("values in [0, 1e12]".to_string()));
        }
        Ok(())
    }
}

/// Reads a series position by position: times must not decrease between calls.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cursor {
    next: usize,
}

impl Cursor {
    /// The series' value at `t`: the last point at or before `t`, else the first point.
    pub(crate) fn value_at(&mut self, series: &OutsideSeries, t: u64) -> f64 {
        while series.points.get(self.next).is_some_and(|&(at, _)| at <= t) {
            self.next += 1;
        }
        let index = self.next.saturating_sub(1);
        series.points.get(index).map_or(0.0, |&(_, v)| v)
    }
}

/// Reads the `as_ext` text: entries `name=series` separated by `;`, where a series is one
/// value (a constant) or `time:value` points separated by `,` (times as durations: `0`, `90`,
/// `30m`, `1h`; values as counts: `250`, `1.5k`).
///
/// # Errors
/// A message naming the entry and what is wrong: an entry without `=`, a name given twice,
/// more than [`super::MAX_LIST`] entries, an unreadable time or value, and the errors of
/// [`OutsideSeries::validate`].
///
/// # Examples
/// ```
/// use headroom::autoscale::{format_outside, parse_outside};
/// let series = parse_outside("queue=0:10,30m:1.2k; lb_rps=400").unwrap();
/// assert_eq!(series[0].points, vec![(0, 10.0), (1_800, 1_200.0)]);
/// assert_eq!(series[1].points, vec![(0, 400.0)]);
/// assert_eq!(format_outside(&series), "queue=0:10,30m:1200;lb_rps=400");
/// ```
pub fn parse_outside(text: &str) -> Result<Vec<OutsideSeries>, String> {
    let mut out: Vec<OutsideSeries> = Vec::new();
    for entry in text.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        if out.len() >= super::MAX_LIST {
            return Err(format!(
                "at most {} metrics; this list has more",
                super::MAX_LIST
            ));
        }
        let (name, series) = entry.split_once('=').ok_or_else(|| {
            format!("`{entry}`: write name=value or name=time:value,time:value (e.g. queue=0:10,30m:120)")
        })?;
        let name = name.trim();
        if out.iter().any(|s| s.name == name) {
            return Err(format!("{name} is given twice"));
        }
        let parts: Vec<&str> = series.split(',').map(str::trim).collect();
        if parts.len() > MAX_POINTS {
            return Err(format!("{name}: at most {MAX_POINTS} points"));
        }
        let value = |v: &str| {
            parse_count(v)
                .ok()
                .filter(|v| *v <= MAX_OUTSIDE_VALUE)
                .ok_or_else(|| format!("{name}: `{v}` is not a value from 0 to 1e12"))
        };
        let points = if let [single] = parts.as_slice()
            && !single.contains(':')
        {
            vec![(0, value(single)?)]
        } else {
            let mut points = Vec::with_capacity(parts.len());
            for part in parts {
                let (at, v) = part
                    .split_once(':')
                    .ok_or_else(|| format!("{name}: `{part}` is not time:value (e.g. 30m:120)"))?;
                let at = parse_duration(at, 1.0)
                    .ok()
                    .filter(|s| (0.0..=1e12).contains(s))
                    .ok_or_else(|| format!("{name}: `{at}` is not a time such as 90, 30m or 1h"))?;
                points.push((at.round() as u64, value(v)?));
            }
            points
        };
        let series = OutsideSeries {
            name: name.to_string(),
            points,
        };
        series.validate().map_err(|e| match e {
            AutoscaleError::InvalidField { expected, .. } => format!("{name}: needs {expected}"),
            other => other.to_string(),
        })?;
        out.push(series);
    }
    Ok(out)
}

/// The canonical text of `series` for [`parse_outside`]: a constant as one value, times in the
/// largest whole unit.
pub fn format_outside(series: &[OutsideSeries]) -> String {
    series
        .iter()
        .map(|s| {
            let body = match s.points.as_slice() {
                [(0, v)] => format_query_plain(*v),
                points => points
                    .iter()
                    .map(|&(t, v)| format!("{}:{}", time_text(t), format_query_plain(v)))
                    .collect::<Vec<_>>()
                    .join(","),
            };
            format!("{}={body}", s.name)
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// `t` seconds in the largest unit that divides it: `2h`, `30m`, `90`.
fn time_text(t: u64) -> String {
    if t > 0 && t.is_multiple_of(3_600) {
        format!("{}h", t / 3_600)
    } else if t > 0 && t.is_multiple_of(60) {
        format!("{}m", t / 60)
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_and_series_round_trip() {
        let series = parse_outside("queue=0:10,90:20,2h:5;rps=1.5k").unwrap();
        assert_eq!(series[0].points, vec![(0, 10.0), (90, 20.0), (7_200, 5.0)]);
        assert_eq!(series[1], OutsideSeries::constant("rps", 1_500.0));
        let text = format_outside(&series);
        assert_eq!(text, "queue=0:10,90:20,2h:5;rps=1500");
        assert_eq!(parse_outside(&text).unwrap(), series);
        assert_eq!(parse_outside("").unwrap(), vec![]);
    }

    #[test]
    fn the_value_holds_until_the_next_point() {
        let series = parse_outside("q=60:10,120:20").unwrap().remove(0);
        let mut cursor = Cursor::default();
        // Before the first point: the first value; then each value from its time on.
        let seen: Vec<f64> = [0, 59, 60, 119, 120, 10_000]
            .iter()
            .map(|&t| cursor.value_at(&series, t))
            .collect();
        assert_eq!(seen, vec![10.0, 10.0, 10.0, 10.0, 20.0, 20.0]);
    }

    #[test]
    fn bad_text_is_named() {
        for (text, says) in [
            ("queue", "write name=value"),
            ("queue=abc", "`abc` is not a value"),
            ("queue=-3", "`-3` is not a value"),
            ("queue=10:5,5:6", "increasing time"),
            ("queue=x:5", "`x` is not a time"),
            ("q=1;q=2", "given twice"),
            ("bad name=1", "names are"),
        ] {
            let err = parse_outside(text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
        let many = (0..=MAX_POINTS)
            .map(|i| format!("{i}:1"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(
            parse_outside(&format!("q={many}"))
                .unwrap_err()
                .contains("at most 100 points")
        );
        let metrics = (0..=10)
            .map(|i| format!("m{i}=1"))
            .collect::<Vec<_>>()
            .join(";");
        assert!(
            parse_outside(&metrics)
                .unwrap_err()
                .contains("at most 10 metrics")
        );
    }
}
