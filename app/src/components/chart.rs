//! A chart: drawn by echarts (through charming) after hydration, and shown as a small table of
//! the same data when JavaScript is off (CSS `@media (scripting: none)` picks which one shows).

#[cfg(feature = "hydrate")]
mod render;

use headroom::text::escape_html;
use leptos::prelude::*;

use crate::components::table_scroll::table_scroll;

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// A line through the points.
    Line,
    /// Bars at each x.
    Bar,
    /// A step line: each point's value holds until the next point (whole nodes per month).
    Step,
    /// A muted dashed line: the pinned baseline's series, or the P10 and P90 edges of a band.
    Dashed,
}

/// One named series of `(x, y)` points.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Drawing style.
    pub kind: SeriesKind,
    /// Points in x order.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A line through a curve of the core.
    pub fn line(curve: headroom::curve::Curve) -> Self {
        Self {
            name: curve.name,
            kind: SeriesKind::Line,
            points: curve.points,
        }
    }

    /// Lines through curves of the core, in legend order.
    pub fn lines(curves: Vec<headroom::curve::Curve>) -> Vec<Self> {
        curves.into_iter().map(Self::line).collect()
    }

    /// The value at `x`: the point there, or between its neighbours the straight line (a line)
    /// or the left one's value (a step), or `None` outside the series.
    pub fn y_at(&self, x: f64) -> Option<f64> {
        let after = self.points.iter().position(|p| p.0 >= x)?;
        let (x1, y1) = self.points[after];
        if x1 == x {
            return Some(y1);
        }
        let (x0, y0) = *self.points.get(after.checked_sub(1)?)?;
        if self.kind == SeriesKind::Step {
            return Some(y0);
        }
        Some(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
    }
}

/// A vertical marker at an x value, with a label (e.g. the crossover point).
pub use headroom::curve::Marker;

/// Everything a chart shows, independent of the renderer: the same data feeds echarts in the
/// browser and the fallback table on the server.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartData {
    /// Axis name of x, with its unit.
    pub x_name: String,
    /// Axis name of y, with its unit.
    pub y_name: String,
    /// Logarithmic x axis.
    pub log_x: bool,
    /// Logarithmic y axis.
    pub log_y: bool,
    /// The series, in legend order.
    pub series: Vec<Series>,
    /// Vertical markers.
    pub markers: Vec<Marker>,
    /// How x values read in the table.
    pub x_format: Format,
    /// How y values read in the table.
    pub y_format: Format,
    /// Bars stack on each other (a total split into parts) instead of standing side by side.
    pub stacked: bool,
    /// Fixed ends of the x axis (otherwise echarts picks round ones).
    pub x_range: Option<(f64, f64)>,
    /// Category labels of the x axis: when set, point `i` sits at label `i`.
    pub x_labels: Vec<String>,
    /// Rows of the fallback table: the points are thinned evenly to about this many
    /// (default 12), so a 200-point curve stays a small table; the first series' highest point
    /// is always a row.
    pub table_rows: Option<usize>,
}

/// How a chart's values read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A count with readable precision: `115,741`, `578.7`.
    #[default]
    Count,
    /// Bytes, SI: `9.13 TB`.
    Bytes,
    /// US dollars: `$89.86`.
    Usd,
    /// A duration in seconds: `43 min 48 s`.
    Seconds,
    /// A percentage: `99.99%`.
    Percent,
}

impl Format {
    /// The value as text.
    pub fn apply(self, x: f64) -> String {
        use headroom::units;
        match self {
            Format::Count => units::format_count(x),
            Format::Bytes => units::format_bytes(x),
            Format::Usd => units::format_usd(x),
            Format::Seconds => units::format_duration(x),
            Format::Percent => units::format_percent(x),
        }
    }
}

impl ChartData {
    /// The inside of the table shown instead of the chart (without scripting, or when the
    /// drawing code cannot be fetched): a header row of the series' names, then at most
    /// `table_rows` (12 unless set) rows of the first series' x values, evenly thinned, with
    /// the last point and the first series' highest point always kept (a day's peak), and each
    /// series' value at that x.
    pub fn table_html(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::from("<thead><tr>");
        let _ = write!(out, r#"<th scope="col">{}</th>"#, escape_html(&self.x_name));
        for series in &self.series {
            let _ = write!(out, r#"<th scope="col">{}</th>"#, escape_html(&series.name));
        }
        out.push_str("</tr></thead><tbody>");
        if let Some(first) = self.series.first() {
            let rows = self.table_rows.unwrap_or(12).max(2);
            let step = first.points.len().div_ceil(rows).max(1);
            let last = first.points.len().saturating_sub(1);
            let highest = first
                .points
                .iter()
                .enumerate()
                .max_by(|(_, a), (_, b)| a.1.total_cmp(&b.1))
                .map_or(0, |(i, _)| i);
            for (i, (x, _)) in first.points.iter().enumerate() {
                if i % step != 0 && i != last && i != highest {
                    continue;
                }
                let x_text = escape_html(&self.format_x(*x));
                let _ = write!(out, r#"<tr><th scope="row" class="num">{x_text}</th>"#);
                for series in &self.series {
                    let y = series
                        .y_at(*x)
                        .map(|y| self.format_y(y))
                        .unwrap_or_default();
                    let _ = write!(out, r#"<td class="num">{}</td>"#, escape_html(&y));
                }
                out.push_str("</tr>");
            }
        }
        out.push_str("</tbody>");
        out
    }

    /// The data behind the chart as CSV: one row per x of the first series, one column per
    /// series, unscaled base units, RFC 4180 quoting.
    pub fn to_csv(&self) -> String {
        fn quote(field: &str) -> String {
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.to_string()
            }
        }
        let mut out = quote(&self.x_name);
        for series in &self.series {
            out.push(',');
            out.push_str(&quote(&series.name));
        }
        out.push_str("\r\n");
        let rows = self.series.first().map_or(0, |s| s.points.len());
        for i in 0..rows {
            let x = self.series[0].points[i].0;
            out.push_str(&quote(&if self.x_labels.is_empty() {
                x.to_string()
            } else {
                self.format_x(x)
            }));
            for series in &self.series {
                out.push(',');
                if let Some(y) = series.y_at(x) {
                    out.push_str(&y.to_string());
                }
            }
            out.push_str("\r\n");
        }
        out
    }

    fn format_x(&self, x: f64) -> String {
        if self.x_labels.is_empty() {
            self.x_format.apply(x)
        } else {
            // Category charts put point i at label i.
            self.x_labels
                .get(x.max(0.0) as usize)
                .cloned()
                .unwrap_or_default()
        }
    }
    fn format_y(&self, y: f64) -> String {
        self.y_format.apply(y)
    }

    /// Bars on a log axis: echarts starts every bar at 1 (log₁₀ 1 = 0), so a value below 1 in
    /// the drawn unit hangs down from there.
    fn log_bars(&self) -> bool {
        self.log_y && self.series.iter().any(|s| s.kind == SeriesKind::Bar)
    }

    /// The unit y is drawn in, as (its size in base units, its name): echarts labels axes with
    /// plain numbers, so values with units are scaled to one unit per chart (e.g. TB), and the
    /// unit goes into the axis name. It is picked from the largest value, or for bars on a log
    /// axis from the smallest, so that every bar is at least 1 and grows up from the baseline.
    pub fn y_scale(&self) -> (f64, &'static str) {
        let values = || {
            self.series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.1.abs()))
        };
        let size = if self.log_bars() {
            values().filter(|y| *y > 0.0).fold(f64::INFINITY, f64::min)
        } else {
            values().fold(0.0_f64, f64::max)
        };
        let pick = |units: &[(f64, &'static str)]| {
            units
                .iter()
                .rev()
                .find(|(unit, _)| size >= *unit)
                .copied()
                .unwrap_or(units[0])
        };
        match self.y_format {
            Format::Bytes => pick(&[
                (1.0, "B"),
                (1e3, "kB"),
                (1e6, "MB"),
                (1e9, "GB"),
                (1e12, "TB"),
                (1e15, "PB"),
            ]),
            Format::Seconds => pick(&[
                (1e-6, "µs"),
                (1e-3, "ms"),
                (1.0, "s"),
                (60.0, "min"),
                (3600.0, "h"),
                (86_400.0, "d"),
            ]),
            Format::Usd => (1.0, "USD"),
            Format::Percent => (1.0, "%"),
            Format::Count => (1.0, ""),
        }
    }

    /// The tooltip at `x` (base units; the label's index on a category axis): x as the page
    /// writes it, then one line per series with its value as the page writes its figures. A
    /// count carries the y axis name as its unit (`13 nodes`), without any parenthesis. HTML,
    /// every text escaped: series names can be what a reader typed (tier names).
    pub fn tooltip_html(&self, x: f64, rows: &[TooltipRow]) -> String {
        let x_text = if self.x_labels.is_empty() {
            format!("{}: {}", self.x_name, self.format_x(x))
        } else {
            self.format_x(x)
        };
        let count_unit = self.y_name.split(" (").next().unwrap_or_default().trim();
        let mut out = format!("<b>{}</b>", escape_html(&x_text));
        for row in rows {
            let mut value = self.format_y(row.y);
            if self.y_format == Format::Count && !count_unit.is_empty() {
                value = format!("{value} {count_unit}");
            }
            out.push_str(&format!(
                "<br>{}{}: <b>{}</b>",
                row.marker,
                escape_html(&row.series),
                escape_html(&value)
            ));
        }
        out
    }
}

/// One series' line in a tooltip.
#[derive(Debug, Clone, PartialEq)]
pub struct TooltipRow {
    /// echarts' coloured dot for the series: its own HTML, inserted as is.
    pub marker: String,
    /// The series name (escaped when written).
    pub series: String,
    /// The value in base units.
    pub y: f64,
}

/// A chart with a caption. `id` must be unique on the page.
#[component]
pub fn Chart(
    /// DOM id of the drawing surface.
    id: &'static str,
    /// Caption under the chart.
    caption: &'static str,
    /// The data, recomputed as the scenario changes.
    #[prop(into)]
    data: Signal<ChartData>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    render::draw(id, data, canvas);
    let state = crate::state::use_scenario();
    let csv_name = move || {
        state
            .parsed
            .with(|p| format!("headroom-{}-{id}.csv", p.scenario.short_hash()))
    };
    let download_csv = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let text = data.with(ChartData::to_csv);
            if let Err(err) = crate::browser::download_text(&csv_name(), "text/csv", &text) {
                leptos::logging::error!("CSV export: {err}");
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = csv_name;
    };

    // The table is markup written once from the data, not a view: with scripting it is hidden
    // behind the drawing, and hydrating its cells (half the elements of `/capacity`) was a third
    // of the page's hydration on a phone. Hydration leaves server-rendered inner HTML as it is;
    // a new value replaces it.
    let table = move || data.with(ChartData::table_html);
    let table = table_scroll(
        format!("{caption}: the data"),
        "chart-table-scroll",
        view! { <table class="chart-table" inner_html=table></table> },
    );

    view! {
        <figure class="chart">
            <div id=id class="chart-canvas" role="img" aria-label=caption node_ref=canvas></div>
            {table}
            <figcaption>
                {caption}
                <button type="button" class="link js-only csv" on:click=download_csv
                    aria-label=format!("Download the data of “{caption}” as CSV")>"CSV"</button>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, points: &[(f64, f64)]) -> Series {
        Series {
            name: name.into(),
            kind: SeriesKind::Line,
            points: points.to_vec(),
        }
    }

    #[test]
    fn values_between_points_lie_on_the_line() {
        let s = line("a", &[(0.0, 10.0), (24.0, 34.0)]);
        assert_eq!(s.y_at(0.0), Some(10.0));
        assert_eq!(s.y_at(12.0), Some(22.0));
        assert_eq!(s.y_at(24.0), Some(34.0));
        assert_eq!(s.y_at(25.0), None);
        assert_eq!(s.y_at(-1.0), None);
    }

    #[test]
    fn csv_has_one_row_per_x_of_the_first_series_and_quotes_names() {
        let data = ChartData {
            x_name: "hour".into(),
            series: vec![
                line("traffic, req/s", &[(0.0, 1.0), (12.0, 5.0), (24.0, 1.0)]),
                line("peak", &[(0.0, 5.0), (24.0, 5.0)]),
            ],
            ..ChartData::default()
        };
        assert_eq!(
            data.to_csv(),
            "hour,\"traffic, req/s\",peak\r\n0,1,5\r\n12,5,5\r\n24,1,5\r\n"
        );
    }

    #[test]
    fn the_table_thins_rows_keeps_the_peak_and_escapes_names() {
        // Ten points, at most three rows: every ⌈10 / 3⌉ = 4th x (0, 4, 8), the last (9) and
        // the first series' highest point (7), so five rows; the second series is read at each
        // row's x on its line from (0, 0) to (9, 90).
        let peaky: Vec<(f64, f64)> = (0..10)
            .map(|i| (f64::from(i), if i == 7 { 100.0 } else { f64::from(i) }))
            .collect();
        let data = ChartData {
            x_name: "hour <local>".into(),
            series: vec![line("a & b", &peaky), line("c", &[(0.0, 0.0), (9.0, 90.0)])],
            table_rows: Some(3),
            ..ChartData::default()
        };
        let html = data.table_html();
        assert!(
            html.starts_with(
                r#"<thead><tr><th scope="col">hour &lt;local&gt;</th><th scope="col">a &amp; b</th><th scope="col">c</th></tr></thead>"#
            ),
            "{html}"
        );
        let rows: Vec<&str> = html.split("<tr>").skip(2).collect();
        let xs: Vec<&str> = rows
            .iter()
            .map(|r| r.split(['>', '<']).nth(2).unwrap_or_default())
            .collect();
        assert_eq!(xs, ["0", "4", "7", "8", "9"], "{html}");
        assert!(
            rows[2].starts_with(r#"<th scope="row" class="num">7</th><td class="num">100</td><td class="num">70</td>"#),
            "{html}"
        );
        assert!(html.ends_with("</tr></tbody>"), "{html}");
    }

    fn row(series: &str, y: f64) -> TooltipRow {
        TooltipRow {
            marker: "<i></i>".into(),
            series: series.into(),
            y,
        }
    }

    /// Issue 18: tooltips showed the drawn number (0.0123, scaled and unitless); they write
    /// each value as the page's figures do, with its unit.
    #[test]
    fn tooltips_write_values_with_their_units() {
        let bytes = ChartData {
            x_name: "end of year".into(),
            y_name: "stored".into(),
            y_format: Format::Bytes,
            ..ChartData::default()
        };
        // 9.125e12 B to 3 significant digits is 9.13 TB (the chapter's ~9 TB a year).
        assert_eq!(
            bytes.tooltip_html(1.0, &[row("stored", 9.125e12)]),
            "<b>end of year: 1</b><br><i></i>stored: <b>9.13 TB</b>"
        );
        let latency = ChartData {
            y_format: Format::Seconds,
            x_labels: vec!["RR".into(), "P2C".into()],
            ..ChartData::default()
        };
        assert_eq!(
            latency.tooltip_html(1.0, &[row("p99", 0.0123)]),
            "<b>P2C</b><br><i></i>p99: <b>12.3 ms</b>"
        );
        let nodes = ChartData {
            x_name: "× today's daily users".into(),
            y_name: "nines (−log₁₀ unavailability)".into(),
            ..ChartData::default()
        };
        assert_eq!(
            nodes.tooltip_html(2.0, &[row("<script>", 3.4567)]),
            "<b>× today&#39;s daily users: 2</b><br><i></i>&lt;script&gt;: <b>3.46 nines</b>"
        );
    }

    /// Issue 18: the load-balancing latency bars (log axis) were drawn in s when the slowest
    /// was over a second, so a 5 ms bar was 0.005 and hung down from 1. Picked from the
    /// smallest value, the unit makes every bar at least 1.
    #[test]
    fn bars_on_a_log_axis_are_all_at_least_one_unit() {
        let bars = |points: &[(f64, f64)]| Series {
            kind: SeriesKind::Bar,
            ..line("p50", points)
        };
        let latency = ChartData {
            y_format: Format::Seconds,
            log_y: true,
            series: vec![bars(&[(0.0, 0.005), (1.0, 2.5)]), bars(&[(0.0, 0.0004)])],
            ..ChartData::default()
        };
        let (unit, name) = latency.y_scale();
        assert_eq!(name, "µs");
        assert!(0.0004 / unit >= 1.0);
        // Lines on a log axis, and any linear axis, keep the unit of the largest value.
        let lines = ChartData {
            series: vec![line("p50", &[(0.0, 0.005), (1.0, 2.5)])],
            ..latency
        };
        assert_eq!(lines.y_scale(), (1.0, "s"));
    }
}
