//! Headroom's server: server-side rendering of the Leptos app, static assets and health checks.

use axum::{Router, routing::get};
use headroom_app::{App, shell};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};

#[tokio::main]
async fn main() {
    let conf = match get_configuration(None) {
        Ok(conf) => conf,
        Err(err) => {
            eprintln!("headroom: bad configuration: {err}");
            std::process::exit(2);
        }
    };
    let leptos_options = conf.leptos_options;
    let addr = leptos_options.site_addr;
    let routes = generate_route_list(App);

    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .leptos_routes(&leptos_options, routes, {
            let leptos_options = leptos_options.clone();
            move || shell(leptos_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(leptos_options);

    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("headroom: cannot listen on {addr}: {err}");
            std::process::exit(1);
        }
    };
    println!("Headroom listening on http://{addr}");
    if let Err(err) = axum::serve(listener, app.into_make_service()).await {
        eprintln!("headroom: server error: {err}");
        std::process::exit(1);
    }
}
