//! Reading an imported file into what the panel shows: the same function on the page's thread
//! and in its worker ([`super::worker`]), so both give the same answer.

use headroom::choice::Choice;
use headroom::scenario::AutoscalePattern;
use headroom::traffic::{self, ImportOptions, Imported, ValueKind};
use headroom::units::format_count;
use serde::{Deserialize, Serialize};

/// Points drawn of the imported series (see [`headroom::traffic::Series::drawn`]).
pub const DRAWN_POINTS: usize = 1_500;

/// What an import gives the panel: small whatever the file's size, so it crosses from the
/// worker as a short JSON text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Read {
    /// The figures' link text ([`headroom::traffic::Observed::to_text`]), for the `obs` field.
    pub obs: String,
    /// The pattern an import on `/autoscaling` switches to, as its key
    /// ([`AutoscalePattern::replaying`]).
    pub replay: Option<String>,
    /// One sentence: the points read, how long it took, what was skipped, sorted or missing.
    pub summary: String,
    /// Each skipped row listed, and "… and N more".
    pub skipped: Vec<String>,
    /// The series for its chart: days from the first point, requests per second.
    pub drawn: Vec<(f64, f64)>,
}

/// Reads `text` as the panel's options say (`values`: a [`ValueKind`] key or empty; `step`: the
/// seconds of a plain column, or a duration such as `5 min`), analyses it and sums it up.
/// `clock` gives milliseconds, to say how long the reading took.
///
/// # Errors
/// Why the text cannot be read, with the line where it applies.
pub fn read(
    text: &str,
    values: &str,
    step: &str,
    clock: impl Fn() -> Option<f64>,
) -> Result<Read, String> {
    let start = clock();
    let options = ImportOptions {
        values: ValueKind::from_key(values),
        step_seconds: parse_step(step),
    };
    let imported = traffic::import(text, options).map_err(|e| e.to_string())?;
    let observed = traffic::analyze(&imported.series).map_err(|e| e.to_string())?;
    let took_ms = start.zip(clock()).map(|(a, b)| b - a);
    Ok(Read {
        obs: observed.to_text(),
        replay: AutoscalePattern::replaying(&observed).map(|p| p.key().to_string()),
        summary: summary(&imported, took_ms),
        skipped: skipped(&imported),
        drawn: imported.series.drawn(DRAWN_POINTS),
    })
}

/// A step typed in seconds, or with a unit (`5 min`).
fn parse_step(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>()
        .ok()
        .or_else(|| headroom::units::parse_duration(t, 1.0).ok())
        .filter(|s| s.is_finite() && *s > 0.0)
}

fn summary(imported: &Imported, took_ms: Option<f64>) -> String {
    let f = &imported.findings;
    format!(
        "Read {} points ({}){}; {} rows skipped, {} out of order (sorted), {} steps missing in {} gaps{}.",
        format_count(imported.series.rates.len() as f64),
        match imported.values {
            ValueKind::Count => "counts per interval",
            ValueKind::Rate => "rates per second",
        },
        took_ms.map_or_else(String::new, |ms| format!(
            " in {} ms",
            format_count(ms.round())
        )),
        f.skipped_count,
        f.out_of_order,
        f.missing_steps,
        f.gaps.len(),
        if f.irregular > 0 {
            format!(", {} irregular spacings", f.irregular)
        } else {
            String::new()
        }
    )
}

fn skipped(imported: &Imported) -> Vec<String> {
    let f = &imported.findings;
    let mut lines: Vec<String> = f.skipped.iter().map(ToString::to_string).collect();
    if f.skipped_count > f.skipped.len() {
        lines.push(format!("… and {} more", f.skipped_count - f.skipped.len()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two days of 5-minute counts from Monday 2026-11-02 (Unix 1,793,577,600), one bad row.
    fn two_days() -> String {
        let mut text = String::from("time,requests\n");
        for i in 0..576 {
            text.push_str(&format!("{},{}\n", 1_793_577_600 + i * 300, 600 + i % 7));
        }
        text.push_str("1793750400,lots\n");
        text
    }

    #[test]
    fn a_read_carries_the_cores_figures_and_what_was_skipped() {
        let text = two_days();
        let read = read(&text, "", "", || None).unwrap();
        let imported = traffic::import(&text, ImportOptions::default()).unwrap();
        let observed = traffic::analyze(&imported.series).unwrap();
        assert_eq!(read.obs, observed.to_text());
        // Two days span a day but not a week: the day is replayed.
        assert_eq!(read.replay.as_deref(), Some("observed"));
        assert_eq!(
            read.summary,
            "Read 576 points (counts per interval); 1 rows skipped, 0 out of order (sorted), \
             0 steps missing in 0 gaps."
        );
        assert_eq!(read.skipped.len(), 1);
        assert!(read.skipped[0].starts_with("line 578: the value is not a number"));
        assert_eq!(read.drawn, imported.series.drawn(DRAWN_POINTS));
        // What crosses from the worker comes back the same.
        let json = serde_json::to_string(&Ok::<_, String>(read.clone())).unwrap();
        assert_eq!(
            serde_json::from_str::<Result<Read, String>>(&json).unwrap(),
            Ok(read)
        );
    }

    #[test]
    fn the_options_and_the_clock_are_used() {
        let read = read("5\n10\n", "rate", "5 min", || Some(1.0)).unwrap();
        assert!(
            read.summary
                .starts_with("Read 2 points (rates per second) in 0 ms;")
        );
        assert_eq!(read.replay, None);
        // A column without a step is refused with the reason, not read.
        let refused = super::read("5\n10\n", "", "", || None).unwrap_err();
        assert!(refused.contains("step"), "{refused}");
    }
}
