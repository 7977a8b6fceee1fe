//! Browser-only drawing: turns [`ChartData`] into an echarts option with charming and keeps one
//! echarts instance per chart, updated in place on change (re-rendering would re-initialise it).

use charming::{
    Chart, WasmRenderer,
    component::{Axis, Grid, Legend, LegendType},
    element::{
        AxisType, Label, LabelPosition, LineStyle, LineStyleType, MarkLine, MarkLineData,
        MarkLineVariant, NameLocation, Step, Symbol, Tooltip, Trigger,
    },
    series::{Bar, Line},
    theme::Theme,
};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use super::{ChartData, Format, Marker, SeriesKind, TooltipRow};

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
    let scale = data.y_scale();
    let x_scale = x_scale(data);
    let mut chart = Chart::new()
        .animation(false)
        .background_color("transparent")
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().type_(LegendType::Scroll).top(0))
        .grid(Grid::new().left(64).right(24).top(36).bottom(48))
        .x_axis(if data.x_labels.is_empty() {
            let x_axis = axis(
                data.log_x,
                &format!("{}{}", data.x_name, unit_suffix(x_scale.1)),
            );
            // Fixed ends (a day is 0-24 h), in the axis's scaled units; otherwise echarts picks
            // round ones past the data (25 for a day).
            match data.x_range {
                Some((lo, hi)) => x_axis.min(lo / x_scale.0).max(hi / x_scale.0),
                None => x_axis,
            }
        } else {
            Axis::new()
                .type_(AxisType::Category)
                .data(data.x_labels.clone())
                .name(data.x_name.as_str())
                .name_location(NameLocation::Middle)
                .name_gap(28)
        })
        .y_axis({
            let y_axis = axis(
                data.log_y,
                &format!("{}{}", data.y_name, unit_suffix(scale.1)),
            )
            .name_gap(48);
            // Bars on a log axis start at 1; y_scale makes every bar at least 1, and the axis
            // starting there too puts that start on the baseline.
            if data.log_bars() {
                y_axis.min(1)
            } else {
                y_axis
            }
        });
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
            SeriesKind::Line | SeriesKind::Step | SeriesKind::Dashed => {
                let mut line = Line::new()
                    .name(series.name.clone())
                    .show_symbol(false)
                    .data(points);
                if series.kind == SeriesKind::Step {
                    line = line.step(Step::End);
                }
                if series.kind == SeriesKind::Dashed {
                    line =
                        line.line_style(LineStyle::new().type_(LineStyleType::Dashed).opacity(0.6));
                }
                if let Some(marks) = marks {
                    line = line.mark_line(marks);
                }
                chart.series(line)
            }
            SeriesKind::Bar => {
                let mut bar = Bar::new().name(series.name.clone()).data(points);
                if data.stacked {
                    bar = bar.stack("total");
                }
                if let Some(marks) = marks {
                    bar = bar.mark_line(marks);
                }
                chart.series(bar)
            }
        };
    }
    chart
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

/// The tooltip's formatter: a real function (the CSP forbids `eval`, so no formatter text
/// echarts would compile), writing each value as the page's figures do.
type Formatter = wasm_bindgen::closure::Closure<dyn Fn(wasm_bindgen::JsValue) -> String>;

fn tooltip_formatter(data: &ChartData) -> Formatter {
    use wasm_bindgen::JsValue;
    let (x_unit, y_unit) = (x_scale(data).0, data.y_scale().0);
    let text = ChartData {
        x_name: data.x_name.clone(),
        y_name: data.y_name.clone(),
        x_format: data.x_format,
        y_format: data.y_format,
        x_labels: data.x_labels.clone(),
        ..ChartData::default()
    };
    Formatter::new(move |params: JsValue| {
        let get = |p: &JsValue, key: &str| js_sys::Reflect::get(p, &key.into()).ok();
        // An axis tooltip passes an array of the series at the pointer; an item one, one object.
        let params: Vec<JsValue> = if js_sys::Array::is_array(&params) {
            js_sys::Array::from(&params).iter().collect()
        } else {
            vec![params]
        };
        let mut x = f64::NAN;
        let rows: Vec<TooltipRow> = params
            .iter()
            .filter_map(|p| {
                let value = js_sys::Array::from(&get(p, "value")?);
                if x.is_nan() {
                    x = value.get(0).as_f64()? * x_unit;
                }
                Some(TooltipRow {
                    marker: get(p, "marker")?.as_string().unwrap_or_default(),
                    series: get(p, "seriesName")?.as_string().unwrap_or_default(),
                    y: value.get(1).as_f64()? * y_unit,
                })
            })
            .collect();
        text.tooltip_html(x, &rows)
    })
}

/// Gives the option's `tooltip` object the formatter, and `confine` so that echarts keeps the
/// tooltip inside the chart instead of cutting it off at the page's edge (charming's `Tooltip`
/// has no `confine`).
fn tooltip_settings(tooltip: &wasm_bindgen::JsValue, formatter: &Formatter) {
    use wasm_bindgen::JsCast;
    let _ = js_sys::Reflect::set(tooltip, &"confine".into(), &true.into());
    // A class for tests and styles to find it by (end2end/tests/tooltips.spec.ts).
    let _ = js_sys::Reflect::set(tooltip, &"className".into(), &"chart-tooltip".into());
    let _ = js_sys::Reflect::set(
        tooltip,
        &"formatter".into(),
        formatter.as_ref().unchecked_ref(),
    );
}

/// The tooltip's settings on a chart charming has just drawn (its `render` takes no raw JS).
fn set_tooltip(echarts: &charming::Echarts, formatter: &Formatter) {
    let tooltip = js_sys::Object::new();
    tooltip_settings(&tooltip, formatter);
    let option = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&option, &"tooltip".into(), &tooltip);
    call(echarts, "setOption", &js_sys::Array::of1(&option));
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

thread_local! {
    /// Chart redraws waiting for an animation frame, run one per frame.
    static FRAME_QUEUE: RefCell<VecDeque<Box<dyn FnOnce()>>> = RefCell::new(VecDeque::new());
    static FRAME_SCHEDULED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `job` in an animation frame of its own: one chart redraw per frame, so no frame carries
/// the work of every chart on the page at once.
fn in_own_frame(job: impl FnOnce() + 'static) {
    FRAME_QUEUE.with(|q| q.borrow_mut().push_back(Box::new(job)));
    if !FRAME_SCHEDULED.replace(true) {
        request_animation_frame(run_next_frame_job);
    }
}

fn run_next_frame_job() {
    let job = FRAME_QUEUE.with(|q| q.borrow_mut().pop_front());
    if let Some(job) = job {
        job();
    }
    if FRAME_QUEUE.with(|q| q.borrow().is_empty()) {
        FRAME_SCHEDULED.set(false);
    } else {
        request_animation_frame(run_next_frame_job);
    }
}

/// What watches one chart's element: the observer, and the callback it calls, which lives as
/// long as the observer (dropped together on cleanup, after `disconnect`).
struct Watch {
    observer: web_sys::IntersectionObserver,
    _callback: wasm_bindgen::closure::Closure<dyn Fn(js_sys::Array)>,
}

/// Calls `on_change(near)` whenever `element` comes within a screen of the viewport or leaves
/// it, and once as soon as it starts watching.
fn watch_visibility(
    element: &web_sys::Element,
    on_change: impl Fn(bool) + 'static,
) -> Option<Watch> {
    use wasm_bindgen::{JsCast, closure::Closure};
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(entry) = entries
            .iter()
            .last()
            .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
        {
            on_change(entry.is_intersecting());
        }
    });
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin("100% 0px");
    let observer = web_sys::IntersectionObserver::new_with_options(
        callback.as_ref().unchecked_ref(),
        &options,
    )
    .ok()?;
    observer.observe(element);
    Some(Watch {
        observer,
        _callback: callback,
    })
}

/// Marks the chart's figure `undrawn` while echarts or the drawing code cannot be fetched: the
/// stylesheet then shows the figure's table in place of the empty drawing surface.
fn show_table(canvas: NodeRef<leptos::html::Div>, undrawn: bool) {
    let figure = canvas
        .try_get_untracked()
        .flatten()
        .and_then(|c| c.parent_element());
    if let Some(figure) = figure {
        let _ = figure.class_list().toggle_with_force("undrawn", undrawn);
    }
}

/// Draws the chart once the element exists, then updates the same echarts instance whenever the
/// data changes. Drawing waits for an animation frame (one chart per frame), only the latest
/// data is drawn, and a chart more than a screen away from the viewport draws only when it comes
/// near: the figures update in the same task as the keystroke, and typing does not queue work.
/// The instance is disposed when the component is removed.
pub fn draw(id: &'static str, data: Signal<ChartData>, canvas: NodeRef<leptos::html::Div>) {
    let handle: Handle = StoredValue::new_local(None);
    let pending: StoredValue<Option<ChartData>, LocalStorage> = StoredValue::new_local(None);
    // The formatter echarts holds: kept alive until the next one replaces it.
    let formatter: Held = StoredValue::new_local(None);
    let queued = StoredValue::new_local(false);
    // A chart draws for the first time when it comes near the viewport, as every redraw does:
    // a page whose charts are all below the fold loads no echarts and draws nothing until the
    // reader scrolls (on a phone, the four charts of /capacity drawn at load were half the main
    // thread's blocking time after hydration; BENCHMARKS.md "The first paint on a phone"). The
    // observer reports once as soon as it starts, near or not.
    let near = StoredValue::new_local(false);
    let flush = move || {
        queued.set_value(false);
        let Some(chart) = pending.try_update_value(Option::take).flatten() else {
            return;
        };
        // The drawing code is in by now ([`paint`]), so this runs at once, in this frame.
        leptos::task::spawn_local(async move {
            let _ = paint(id, chart, handle, formatter).await;
        });
    };
    // Also called by the observer, whose last report may arrive after the chart is gone: every
    // read here tolerates disposed values.
    let schedule = move || {
        let waiting = pending.try_with_value(Option::is_some).unwrap_or(false);
        if waiting && queued.try_get_value() == Some(false) && near.try_get_value() == Some(true) {
            queued.set_value(true);
            // The drawing code is a chunk of its own, fetched beside echarts the first time a
            // chart comes near (at most once; [`paint`]).
            leptos::task::spawn_local(async {
                let _ = load_drawing().await;
            });
            crate::browser::with_echarts(move |echarts| {
                leptos::task::spawn_local(async move {
                    let drawing = load_drawing().await.is_ok();
                    show_table(canvas, !(echarts && drawing));
                    if echarts && drawing {
                        in_own_frame(flush);
                    } else {
                        // Not drawn: the chart shows its table, and the next change tries again.
                        let _ = queued.try_set_value(false);
                        if !drawing {
                            leptos::logging::warn!(
                                "chart {id}: the drawing code could not be fetched"
                            );
                        }
                    }
                });
            });
        }
    };
    Effect::new(move |_| {
        pending.set_value(Some(data.get()));
        schedule();
    });
    // The chart's own element, once mounted (a `NodeRef`, not its id: on a link to another page
    // the new page is built while the old one, which may have a chart of the same id, is still
    // there). Without an observer the chart counts as near and draws at once.
    let watch: StoredValue<Option<Watch>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(element) = canvas.get() else {
            return;
        };
        if watch.with_value(Option::is_some) {
            return;
        }
        let started = watch_visibility(&element, move |is_near| {
            near.try_set_value(is_near);
            if is_near {
                schedule();
            }
        });
        match started {
            Some(started) => watch.set_value(Some(started)),
            None => {
                near.set_value(true);
                schedule();
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
        if let Some(watch) = watch.try_update_value(Option::take).flatten() {
            watch.observer.disconnect();
        }
        resize.remove();
        pending.set_value(None);
        formatter.set_value(None);
        handle.update_value(|h| {
            if let Some(echarts) = h.take() {
                dispose(&echarts);
            }
        });
    });
}

/// The echarts instance of a chart, once drawn.
type Handle = StoredValue<Option<charming::Echarts>, LocalStorage>;
/// The tooltip formatter the chart's echarts instance holds.
type Held = StoredValue<Option<Formatter>, LocalStorage>;

/// Draws `chart` into the chart `id`: the first time with charming's renderer, then by replacing
/// its series. A split point (`wasm_split`, as the pages are: `app/src/pages.rs`): charming's
/// option types and their conversion to JavaScript, about a third of the code the calculator
/// pages share, download only when a chart first comes near the viewport, beside echarts.
#[leptos::wasm_split::wasm_split(
    chart_drawing,
    wasm_split_path = ::leptos::wasm_split,
    preload(load_drawing),
    fallible
)]
fn paint(
    id: &'static str,
    chart: ChartData,
    handle: Handle,
    formatter: Held,
) -> Result<(), leptos::wasm_split::SplitLoaderError> {
    let (option, tooltip) = (to_chart(&chart), tooltip_formatter(&chart));
    let updated = handle.try_with_value(|h| match h {
        Some(echarts) => {
            replace_series(echarts, &option, &tooltip);
            true
        }
        None => false,
    });
    match updated {
        // The chart is gone.
        None => return Ok(()),
        Some(true) => {}
        Some(false) => {
            let theme = if prefers_dark() {
                Theme::Dark
            } else {
                Theme::Default
            };
            match WasmRenderer::new_opt(None, None)
                .theme(theme)
                .render(id, &option)
            {
                Ok(echarts) => {
                    set_tooltip(&echarts, &tooltip);
                    handle.set_value(Some(echarts));
                }
                Err(err) => leptos::logging::error!("chart {id}: {err:?}"),
            }
        }
    }
    let _ = formatter.try_set_value(Some(tooltip));
    Ok(())
}

/// `setOption` with the series replaced, not merged: charming's `WasmRenderer::update` merges,
/// and echarts merges series by index, so a series that is gone (a tier removed, a limiter
/// switched off) stayed drawn until the page was reloaded. Other components (legend selection,
/// tooltip) keep their state.
fn replace_series(echarts: &charming::Echarts, chart: &Chart, formatter: &Formatter) {
    let Ok(option) = serde_wasm_bindgen::to_value(chart) else {
        leptos::logging::error!("a chart's option could not be converted");
        return;
    };
    // The tooltip's settings ride in the same `setOption`: one update of the chart, not two.
    if let Ok(tooltip) = js_sys::Reflect::get(&option, &"tooltip".into())
        && tooltip.is_object()
    {
        tooltip_settings(&tooltip, formatter);
    }
    let settings = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &settings,
        &"replaceMerge".into(),
        &js_sys::Array::of1(&"series".into()),
    );
    call(
        echarts,
        "setOption",
        &js_sys::Array::of2(&option, &settings),
    );
}

fn dispose(echarts: &charming::Echarts) {
    call(echarts, "dispose", &js_sys::Array::new());
}

/// Calls the echarts instance's `method` with `args` (charming binds only some of them).
fn call(echarts: &charming::Echarts, method: &str, args: &js_sys::Array) {
    let target: &wasm_bindgen::JsValue = echarts.as_ref();
    if let Ok(f) = js_sys::Reflect::get(target, &method.into())
        && let Ok(f) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f)
    {
        let _ = f.apply(target, args);
    }
}
