//! Reading a pasted or dropped traffic file into a [`Series`]: CSV of `timestamp,value`,
//! Prometheus `query_range` JSON, or a plain column of numbers with a step the person gives.
//!
//! Rows that cannot be used are skipped and reported by line number (a non-number, a negative
//! value, a timestamp in no accepted form, a second row for a timestamp already seen); rows out of
//! order are sorted and counted; holes in the timeline are reported as gaps. The whole file is
//! refused, with the reason, when nothing usable is left, when most rows are unusable (the wrong
//! column or the wrong file), or when it is past [`MAX_BYTES`] or [`MAX_POINTS`].

use serde::Deserialize;

use super::time::parse_timestamp;
use super::{Series, TrafficError, ValueKind};

/// The largest file read, bytes (16 MiB): a week at one point a second is about 15 MB of CSV.
pub const MAX_BYTES: usize = 16 << 20;

/// The most points kept: a million, e.g. 11.5 days at one a second or 9.5 years at 5 minutes.
pub const MAX_POINTS: usize = 1_000_000;

/// Skipped rows reported one by one; the rest are only counted.
pub const MAX_LISTED: usize = 50;

/// Which of the three forms the text was read as.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Delimited rows of a timestamp and a value.
    Csv,
    /// Prometheus `query_range` JSON: a matrix, its series summed.
    Prometheus,
    /// One number per line, `step_seconds` apart.
    Column,
}

/// Why a row was left out.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// The value is not a number (or is NaN or infinite).
    NotANumber,
    /// The value is below zero.
    Negative,
    /// The timestamp is in no accepted form.
    BadTimestamp,
    /// An earlier row has the same timestamp; the first is kept.
    Duplicate,
}

impl Problem {
    fn text(self) -> &'static str {
        match self {
            Self::NotANumber => "the value is not a number",
            Self::Negative => "the value is negative",
            Self::BadTimestamp => "the timestamp is not ISO 8601, YYYY-MM-DD HH:MM:SS or Unix time",
            Self::Duplicate => "a row with the same timestamp came first",
        }
    }
}

/// A row left out, by its line (1-based; for Prometheus JSON, the point's place `series:point`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Skipped {
    /// Line number in the text (1-based), or for Prometheus JSON the point's 1-based index.
    pub line: usize,
    /// Why.
    pub problem: Problem,
    /// The cell that failed, cut to 40 characters.
    pub text: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}: {} ({:?})",
            self.line,
            self.problem.text(),
            self.text
        )
    }
}

/// A hole in the timeline: more than one step between two consecutive points.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Gap {
    /// Unix seconds of the point before the hole.
    pub after: f64,
    /// Steps missing.
    pub missing: u64,
}

/// What an import found besides the series.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Findings {
    /// Rows skipped, by problem: the first [`MAX_LISTED`] in full.
    pub skipped: Vec<Skipped>,
    /// Every row skipped, listed or not.
    pub skipped_count: usize,
    /// Rows that came earlier in the file than a row with a smaller timestamp (sorted).
    pub out_of_order: usize,
    /// Holes in the timeline (the first [`MAX_LISTED`]).
    pub gaps: Vec<Gap>,
    /// Steps missing over all holes.
    pub missing_steps: u64,
    /// Differences between consecutive points that are not a whole number of steps.
    pub irregular: usize,
    /// A header row was recognised and skipped.
    pub header: bool,
}

impl Findings {
    fn skip(&mut self, line: usize, problem: Problem, text: &str) {
        self.skipped_count += 1;
        if self.skipped.len() < MAX_LISTED {
            self.skipped.push(Skipped {
                line,
                problem,
                text: text.chars().take(40).collect(),
            });
        }
    }
}

/// An imported series and what was found reading it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Imported {
    /// The series, rates per second.
    pub series: Series,
    /// How the text was read.
    pub format: Format,
    /// What the values were taken to be.
    pub values: ValueKind,
    /// Skipped rows, disorder and gaps.
    pub findings: Findings,
}

/// How to read the text.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ImportOptions {
    /// What a value is; `None`: counts for CSV and a column, rates for Prometheus JSON.
    pub values: Option<ValueKind>,
    /// Seconds between the numbers of a plain column (required for one; ignored otherwise).
    pub step_seconds: Option<f64>,
}

/// Reads `text` as Prometheus JSON when it starts with `{`, otherwise as delimited rows (a plain
/// column when the rows have one cell).
///
/// # Errors
/// A [`TrafficError`] saying why nothing usable could be read, with the line where it applies.
pub fn import(text: &str, options: ImportOptions) -> Result<Imported, TrafficError> {
    if text.len() > MAX_BYTES {
        return Err(TrafficError::TooLarge { bytes: text.len() });
    }
    let body = text.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Err(TrafficError::Empty);
    }
    if body.trim_start().starts_with('{') {
        prometheus(body, options.values.unwrap_or(ValueKind::Rate))
    } else {
        delimited(body, options)
    }
}

/// The cells of a row: split on `sep`, outside double quotes, each trimmed and unquoted.
fn cells(line: &str, sep: u8) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut out = Vec::with_capacity(2);
    let (mut start, mut quoted) = (0, false);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == sep && !quoted {
            out.push(unquote(&line[start..i]));
            start = i + 1;
        }
    }
    out.push(unquote(&line[start..]));
    out
}

fn unquote(cell: &str) -> &str {
    let t = cell.trim();
    t.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(t)
}

/// A value cell as a number; with `;` or tab between cells, a decimal comma (`12,5`) is read as
/// a point, as spreadsheets in much of Europe write it.
fn number(cell: &str, sep: u8) -> Option<f64> {
    let parsed = if sep != b',' && cell.contains(',') && !cell.contains('.') {
        cell.replace(',', ".").parse::<f64>()
    } else {
        cell.parse::<f64>()
    };
    parsed.ok().filter(|x| x.is_finite())
}

fn delimited(text: &str, options: ImportOptions) -> Result<Imported, TrafficError> {
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some((_, first)) = lines.clone().next() else {
        return Err(TrafficError::Empty);
    };
    let sep = if first.contains('\t') {
        b'\t'
    } else if first.contains(';') {
        b';'
    } else {
        b','
    };
    let width = cells(first, sep).len();
    let mut findings = Findings::default();
    let values = options.values.unwrap_or(ValueKind::Count);

    if width == 1 {
        let step = options
            .step_seconds
            .filter(|s| s.is_finite() && *s > 0.0 && *s <= super::MAX_STEP_S)
            .ok_or(TrafficError::NoStep)?;
        let mut rates = Vec::new();
        let mut rows = 0usize;
        for (n, line) in lines {
            let cell = unquote(line);
            match number(cell, sep) {
                Some(x) if x >= 0.0 => rates.push(values.to_rate(x, step)),
                Some(_) => findings.skip(n, Problem::Negative, cell),
                None if rows == 0 && rates.is_empty() => findings.header = true,
                None => findings.skip(n, Problem::NotANumber, cell),
            }
            rows += 1;
            if rates.len() > MAX_POINTS {
                return Err(TrafficError::TooManyPoints);
            }
        }
        check_usable(rates.len(), rows - usize::from(findings.header), &findings)?;
        let times = (0..rates.len()).map(|i| i as f64 * step).collect();
        return Ok(Imported {
            series: Series {
                step_seconds: step,
                times,
                rates,
            },
            format: Format::Column,
            values,
            findings,
        });
    }

    // Which cell is the time: the first, unless the first is a plain number and the second a
    // date. A first row with neither a time nor a number where they belong is a header.
    let (mut t_col, mut v_col) = (0, 1);
    let mut points: Vec<(f64, f64, usize)> = Vec::new();
    let mut rows = 0usize;
    let mut decided = false;
    for (n, line) in lines {
        let row = cells(line, sep);
        if !decided {
            let a = row.first().copied().unwrap_or("");
            let b = row.get(1).copied().unwrap_or("");
            if !findings.header
                && parse_timestamp(a).is_none()
                && parse_timestamp(b).is_none()
                && number(b, sep).is_none()
            {
                findings.header = true;
                continue;
            }
            if number(a, sep).is_some() && number(b, sep).is_none() && parse_timestamp(b).is_some()
            {
                (t_col, v_col) = (1, 0);
            }
            decided = true;
        }
        rows += 1;
        let t_cell = row.get(t_col).copied().unwrap_or("");
        let v_cell = row.get(v_col).copied().unwrap_or("");
        let Some(t) = parse_timestamp(t_cell) else {
            findings.skip(n, Problem::BadTimestamp, t_cell);
            continue;
        };
        match number(v_cell, sep) {
            Some(x) if x >= 0.0 => points.push((t, x, n)),
            Some(_) => findings.skip(n, Problem::Negative, v_cell),
            None => findings.skip(n, Problem::NotANumber, v_cell),
        }
        if points.len() > MAX_POINTS {
            return Err(TrafficError::TooManyPoints);
        }
    }
    check_usable(points.len(), rows, &findings)?;
    let series = timeline(points, values, &mut findings)?;
    Ok(Imported {
        series,
        format: Format::Csv,
        values,
        findings,
    })
}

/// Refuses a file with nothing usable, or with more unusable rows than usable ones.
fn check_usable(usable: usize, rows: usize, findings: &Findings) -> Result<(), TrafficError> {
    let first = findings.skipped.first().map(ToString::to_string);
    if usable == 0 {
        return Err(TrafficError::NothingUsable { first });
    }
    if findings.skipped_count > usable {
        return Err(TrafficError::MostlyUnusable {
            skipped: findings.skipped_count,
            rows,
            first: first.unwrap_or_default(),
        });
    }
    Ok(())
}

/// Sorts `(time, value, line)` points, drops later duplicates, detects the step (the most common
/// difference between consecutive times; the smaller on a tie) and converts values to rates.
fn timeline(
    mut points: Vec<(f64, f64, usize)>,
    values: ValueKind,
    findings: &mut Findings,
) -> Result<Series, TrafficError> {
    findings.out_of_order = points.windows(2).filter(|w| w[1].0 < w[0].0).count();
    // Stable: among equal times the earlier line stays first and is the one kept.
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for &(t, v, line) in &points {
        if kept.last().is_some_and(|&(last, _)| last == t) {
            findings.skip(line, Problem::Duplicate, &super::time::format_timestamp(t));
        } else {
            kept.push((t, v));
        }
    }
    if kept.len() < 2 {
        return Err(TrafficError::TooFewPoints);
    }
    let step = most_common_difference(&kept);
    if !(step > 0.0 && step <= super::MAX_STEP_S) {
        return Err(TrafficError::NoStep);
    }
    for w in kept.windows(2) {
        let steps = (w[1].0 - w[0].0) / step;
        let whole = steps.round();
        if (steps - whole).abs() > 1e-6 * steps.max(1.0) {
            findings.irregular += 1;
        } else if whole >= 2.0 {
            let missing = whole as u64 - 1;
            findings.missing_steps = findings.missing_steps.saturating_add(missing);
            if findings.gaps.len() < MAX_LISTED {
                findings.gaps.push(Gap {
                    after: w[0].0,
                    missing,
                });
            }
        }
    }
    Ok(Series {
        step_seconds: step,
        times: kept.iter().map(|p| p.0).collect(),
        rates: kept.iter().map(|p| values.to_rate(p.1, step)).collect(),
    })
}

/// The most common difference between consecutive times, in milliseconds to absorb the float
/// noise of fractional Unix times; the smallest among equally common ones.
fn most_common_difference(points: &[(f64, f64)]) -> f64 {
    let mut diffs: Vec<i64> = points
        .windows(2)
        .map(|w| ((w[1].0 - w[0].0) * 1_000.0).round() as i64)
        .collect();
    diffs.sort_unstable();
    let (mut best, mut best_run) = (diffs[0], 0usize);
    let mut i = 0;
    while i < diffs.len() {
        let j = i + diffs[i..].iter().take_while(|&&d| d == diffs[i]).count();
        if j - i > best_run {
            (best, best_run) = (diffs[i], j - i);
        }
        i = j;
    }
    best as f64 / 1_000.0
}

/// Prometheus's `query_range` answer (the HTTP API's documented JSON).
#[derive(Deserialize)]
struct PromAnswer {
    status: String,
    data: Option<PromData>,
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PromData {
    result_type: String,
    result: Vec<PromSeries>,
}

#[derive(Deserialize)]
struct PromSeries {
    #[serde(default)]
    values: Vec<(f64, String)>,
}

fn prometheus(text: &str, values: ValueKind) -> Result<Imported, TrafficError> {
    let answer: PromAnswer = serde_json::from_str(text).map_err(|e| TrafficError::Json {
        line: e.line(),
        message: e.to_string(),
    })?;
    if answer.status != "success" {
        return Err(TrafficError::Prometheus(format!(
            "status is {:?}{}",
            answer.status,
            answer.error.map(|e| format!(": {e}")).unwrap_or_default()
        )));
    }
    let data = answer
        .data
        .ok_or_else(|| TrafficError::Prometheus("no data".into()))?;
    if data.result_type != "matrix" {
        return Err(TrafficError::Prometheus(format!(
            "resultType is {:?}; a range query (query_range) answers a matrix",
            data.result_type
        )));
    }
    let mut findings = Findings::default();
    // Every series' points, summed per timestamp below (query_range puts all series on one grid;
    // a series absent at a time adds nothing there).
    let mut points: Vec<(f64, f64, usize)> = Vec::new();
    let mut index = 0usize;
    let mut rows = 0usize;
    for series in &data.result {
        for (t, v) in &series.values {
            index += 1;
            rows += 1;
            match number(v, b',') {
                Some(x) if x >= 0.0 && t.abs() < super::time::MAX_UNIX_S => {
                    points.push((*t, x, index));
                }
                Some(_) if t.abs() >= super::time::MAX_UNIX_S || t.is_nan() => {
                    findings.skip(index, Problem::BadTimestamp, v);
                }
                Some(_) => findings.skip(index, Problem::Negative, v),
                None => findings.skip(index, Problem::NotANumber, v),
            }
            if points.len() > MAX_POINTS {
                return Err(TrafficError::TooManyPoints);
            }
        }
    }
    check_usable(points.len(), rows, &findings)?;
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut summed: Vec<(f64, f64, usize)> = Vec::with_capacity(points.len());
    for (t, v, i) in points {
        match summed.last_mut() {
            Some(last) if last.0 == t => last.1 += v,
            _ => summed.push((t, v, i)),
        }
    }
    let series = timeline(summed, values, &mut findings)?;
    Ok(Imported {
        series,
        format: Format::Prometheus,
        values,
        findings,
    })
}
