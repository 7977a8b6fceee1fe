//! Browser-only drawing: turns [`ChartData`] into an echarts option with charming and keeps one
//! echarts instance per chart, updated in place on change (re-rendering would re-initialise it).

use charming::{
    Chart, WasmRenderer,
    component::{Axis, Grid, Legend, LegendType},
    element::{
        AxisType, Label, LabelPosition, MarkLine, MarkLineData, MarkLineVariant, NameLocation,
        Symbol, Tooltip, Trigger,
    },
    series::{Bar, Line},
    theme::Theme,
};
use leptos::prelude::*;

use super::{ChartData, Format, Marker, SeriesKind};

fn axis(kind_log: bool, name: &str) -> Axis {
    Axis::new()
        .type_(if kind_log {
            AxisType::Log
        } else {
            AxisType::Value
        })
        .name(name)
        .name_location(NameLocation::Middle)
        .name_gap(28)
}

/// Builds the echarts option for `data`. Animation is off: charts update on every keystroke and
/// screenshots and tests read them.
pub fn to_chart(data: &ChartData) -> Chart {
    let scale = y_scale(data);
    let x_scale = x_scale(data);
    let mut chart = Chart::new()
        .animation(false)
        .background_color("transparent")
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().type_(LegendType::Scroll).top(0))
        .grid(Grid::new().left(64).right(24).top(36).bottom(48))
        .x_axis(if data.x_labels.is_empty() {
            axis(
                data.log_x,
                &format!("{}{}", data.x_name, unit_suffix(x_scale.1)),
            )
        } else {
            Axis::new()
                .type_(AxisType::Category)
                .data(data.x_labels.clone())
                .name(data.x_name.as_str())
                .name_location(NameLocation::Middle)
                .name_gap(28)
        })
        .y_axis(
            axis(
                data.log_y,
                &format!("{}{}", data.y_name, unit_suffix(scale.1)),
            )
            .name_gap(48),
        );
    for (i, series) in data.series.iter().enumerate() {
        let points: Vec<Vec<f64>> = series
            .points
            .iter()
            .map(|&(x, y)| vec![x / x_scale.0, y / scale.0])
            .collect();
        let marks = (i == 0 && !data.markers.is_empty()).then(|| {
            MarkLine::new()
                .symbol(vec![Symbol::None, Symbol::None])
                .data(
                    data.markers
                        .iter()
                        .map(|m| {
                            let m = Marker {
                                x: m.x / x_scale.0,
                                label: m.label.clone(),
                            };
                            MarkLineVariant::Simple(
                                MarkLineData::new().x_axis(m.x).name(m.label.clone()).label(
                                    Label::new()
                                        .formatter(m.label.as_str())
                                        .position(LabelPosition::InsideEndTop),
                                ),
                            )
                        })
                        .collect::<Vec<_>>(),
                )
        });
        chart = match series.kind {
            SeriesKind::Line => {
                let mut line = Line::new()
                    .name(series.name.clone())
                    .show_symbol(false)
                    .data(points);
                if let Some(marks) = marks {
                    line = line.mark_line(marks);
                }
                chart.series(line)
            }
            SeriesKind::Bar => {
                let mut bar = Bar::new().name(series.name.clone()).data(points);
                if let Some(marks) = marks {
                    bar = bar.mark_line(marks);
                }
                chart.series(bar)
            }
        };
    }
    chart
}

/// echarts labels axes with plain numbers, so values with units are scaled to one unit per
/// chart (e.g. TB) picked from the largest value, and the unit goes into the axis name.
fn y_scale(data: &ChartData) -> (f64, &'static str) {
    let max = data
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1.abs()))
        .fold(0.0_f64, f64::max);
    let pick = |units: &[(f64, &'static str)]| {
        units
            .iter()
            .rev()
            .find(|(size, _)| max >= *size)
            .copied()
            .unwrap_or(units[0])
    };
    match data.y_format {
        Format::Bytes => pick(&[
            (1.0, "B"),
            (1e3, "kB"),
            (1e6, "MB"),
            (1e9, "GB"),
            (1e12, "TB"),
            (1e15, "PB"),
        ]),
        Format::Seconds => pick(&[
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

/// Large counts on the x axis (requests per month on a log scale) would print as long numbers
/// that overlap, so they are shown in thousands, millions or billions, picked from the middle of
/// the range.
fn x_scale(data: &ChartData) -> (f64, &'static str) {
    if data.x_format != Format::Count || !data.x_labels.is_empty() {
        return (1.0, "");
    }
    let xs = data
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0.abs()));
    let (min, max) = xs.fold((f64::INFINITY, 0.0_f64), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    if max < 1e6 {
        return (1.0, "");
    }
    let middle = (min.max(1.0) * max).sqrt();
    [(1e9, "billions"), (1e6, "millions"), (1e3, "thousands")]
        .into_iter()
        .find(|(size, _)| middle >= *size)
        .unwrap_or((1.0, ""))
}

fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!(" ({unit})")
    }
}

fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Draws the chart once the element exists, then updates the same echarts instance whenever the
/// data changes. Drawing waits for the next animation frame and only the latest data is drawn, so
/// the figures update in the same task as the keystroke and fast typing does not queue redraws.
/// The instance is disposed when the component is removed.
pub fn draw(id: &'static str, data: Signal<ChartData>) {
    let handle: StoredValue<Option<charming::Echarts>, LocalStorage> = StoredValue::new_local(None);
    let pending: StoredValue<Option<Chart>, LocalStorage> = StoredValue::new_local(None);
    let flush = move || {
        let Some(option) = pending.try_update_value(Option::take).flatten() else {
            return;
        };
        let updated = handle.with_value(|h| match h {
            Some(echarts) => {
                WasmRenderer::update(echarts, &option);
                true
            }
            None => false,
        });
        if !updated {
            let theme = if prefers_dark() {
                Theme::Dark
            } else {
                Theme::Default
            };
            match WasmRenderer::new_opt(None, None)
                .theme(theme)
                .render(id, &option)
            {
                Ok(echarts) => handle.set_value(Some(echarts)),
                Err(err) => leptos::logging::error!("chart {id}: {err:?}"),
            }
        }
    };
    Effect::new(move |_| {
        let option = data.with(to_chart);
        let already_scheduled = pending.with_value(Option::is_some);
        pending.set_value(Some(option));
        if !already_scheduled {
            request_animation_frame(flush);
        }
    });
    // Keep the drawing sized to its container as the window changes.
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        handle.with_value(|h| {
            if let Some(echarts) = h {
                echarts.resize(wasm_bindgen::JsValue::UNDEFINED);
            }
        })
    });
    on_cleanup(move || {
        resize.remove();
        pending.set_value(None);
        handle.update_value(|h| {
            if let Some(echarts) = h.take() {
                dispose(&echarts);
            }
        });
    });
}

fn dispose(echarts: &charming::Echarts) {
    let target: &wasm_bindgen::JsValue = echarts.as_ref();
    if let Ok(f) = js_sys::Reflect::get(target, &"dispose".into())
        && let Ok(f) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f)
    {
        let _ = f.call0(target);
    }
}
