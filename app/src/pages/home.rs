use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    components::Form,
    hooks::{use_location, use_navigate, use_query_map},
};

use crate::components::chart::{Chart, ChartData, Series, SeriesKind};

const DEFAULT_DAU: &str = "100000000";

/// The overview page.
#[component]
pub fn Home() -> impl IntoView {
    let query = use_query_map();
    let dau_text = Memo::new(move |_| {
        query
            .with(|q| q.get("dau"))
            .unwrap_or_else(|| DEFAULT_DAU.to_string())
    });
    let dau = Memo::new(move |_| dau_text.with(|t| t.trim().parse::<f64>().ok()));
    let peak = move || {
        dau.get()
            .map(|u| format!("{:.0}", headroom::capacity::peak_qps(u, 10.5, 10.0)))
            .unwrap_or_else(|| "—".into())
    };
    let chart = Signal::derive(move || {
        let users = dau.get().unwrap_or(0.0);
        let avg = headroom::capacity::average_qps(users, 10.5);
        let peak = avg * 10.0;
        ChartData {
            x_name: "hour".into(),
            y_name: "req/s".into(),
            series: vec![
                Series {
                    name: "average".into(),
                    kind: SeriesKind::Line,
                    points: (0..=24).map(|h| (f64::from(h), avg)).collect(),
                },
                Series {
                    name: "peak".into(),
                    kind: SeriesKind::Line,
                    points: (0..=24).map(|h| (f64::from(h), peak)).collect(),
                },
            ],
            ..ChartData::default()
        }
    });

    let navigate = use_navigate();
    let location = use_location();
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        let path = location.pathname.get_untracked();
        let qs = headroom_query(&value);
        navigate(
            &format!("{path}{qs}"),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };

    view! {
        <h1>"Headroom"</h1>
        <Form method="GET" action="">
            <label for="dau">"Daily active users"</label>
            <input id="dau" name="dau" inputmode="decimal" value=dau_text.get_untracked() prop:value=dau_text on:input=on_input />
            <button type="submit">"Compute"</button>
        </Form>
        <p>"Peak QPS: " <output id="peak-qps">{peak}</output></p>
        <Chart id="traffic-chart" caption="Average and peak requests per second over a day" data=chart />
    }
}

fn headroom_query(dau: &str) -> String {
    let mut map = leptos_router::params::ParamsMap::new();
    map.replace("dau", dau.to_string());
    map.to_query_string()
}
