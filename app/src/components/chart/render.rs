//! Browser-only drawing: turns [`ChartData`] into an echarts option with charming and keeps one
//! echarts instance per chart, updated in place on change (re-rendering would re-initialise it).

use charming::{
    Chart, WasmRenderer,
    component::{Axis, Grid, Legend},
    element::{
        AxisType, Label, MarkLine, MarkLineData, MarkLineVariant, NameLocation, Symbol, Tooltip,
        Trigger,
    },
    series::{Bar, Line},
    theme::Theme,
};
use leptos::prelude::*;

use super::{ChartData, SeriesKind};

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
        .scale(true)
}

/// Builds the echarts option for `data`. Animation is off: charts update on every keystroke and
/// screenshots and tests read them.
pub fn to_chart(data: &ChartData) -> Chart {
    let mut chart = Chart::new()
        .animation(false)
        .background_color("transparent")
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(0))
        .grid(Grid::new().left(64).right(24).top(36).bottom(48))
        .x_axis(axis(data.log_x, &data.x_name))
        .y_axis(axis(data.log_y, &data.y_name).name_gap(48));
    for (i, series) in data.series.iter().enumerate() {
        let points: Vec<Vec<f64>> = series.points.iter().map(|&(x, y)| vec![x, y]).collect();
        let marks = (i == 0 && !data.markers.is_empty()).then(|| {
            MarkLine::new()
                .symbol(vec![Symbol::None, Symbol::None])
                .data(
                    data.markers
                        .iter()
                        .map(|m| {
                            MarkLineVariant::Simple(
                                MarkLineData::new()
                                    .x_axis(m.x)
                                    .name(m.label.clone())
                                    .label(Label::new().formatter(m.label.as_str())),
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

fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Draws the chart once the element exists, then updates the same echarts instance whenever the
/// data changes. The instance is disposed when the component is removed.
pub fn draw(id: &'static str, data: Signal<ChartData>) {
    let handle: StoredValue<Option<charming::Echarts>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let option = data.with(to_chart);
        let updated = handle.with_value(|h| match h {
            Some(echarts) => {
                WasmRenderer::update(echarts, &option);
                true
            }
            None => false,
        });
        if !updated {
            {
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
        handle.update_value(|h| {
            if let Some(echarts) = h.take() {
                dispose(&echarts);
            }
        });
    });
}

fn dispose(echarts: &charming::Echarts) {
    let target: &wasm_bindgen::JsValue = echarts.as_ref();
    if let Ok(f) = js_sys::Reflect::get(target, &"dispose".into()) {
        if let Ok(f) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f) {
            let _ = f.call0(target);
        }
    }
}
