//! The `headroom` binary: `headroom serve` (or a bare `headroom`) reads flags and environment,
//! binds (or inherits) the listening socket, serves until SIGTERM or Ctrl-C, and drains;
//! `report`, `check` and `completions` answer offline ([`headroom_server::cli`]). See
//! `headroom --help`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use headroom_server::cli::{self, Cli, Command};
use leptos::prelude::get_configuration;

use headroom_server::serve::{self, ConnectionLimits};
use headroom_server::{Config, assets, build, logging};

/// The allocator (server/Cargo.toml says why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How often the rate limiter forgets clients whose bucket is full again.
const FORGET_IDLE_CLIENTS_EVERY: Duration = Duration::from_secs(60);

/// How often latencies recorded since the last scrape are folded into the histograms, so that
/// memory stays flat between scrapes (or without any).
const METRICS_UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Serves `/metrics` on `addr` (a listener of its own, never the public one), and keeps the
/// histograms folded; returns the address bound.
async fn serve_metrics(
    metrics: Arc<headroom_server::metrics::Metrics>,
    addr: SocketAddr,
) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let router = headroom_server::metrics::router(metrics.clone());
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, router).await {
            tracing::error!(%err, "the /metrics listener stopped");
        }
    });
    tokio::spawn(async move {
        let mut every = tokio::time::interval(METRICS_UPKEEP_EVERY);
        loop {
            every.tick().await;
            metrics.run_upkeep();
        }
    });
    Ok(local)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => serve(cli.serve),
        Some(Command::Serve(config)) => serve(config),
        Some(Command::Report(args)) => {
            finish(cli::report(&args, headroom_server::api::now_rfc3339()))
        }
        Some(Command::Check(args)) => finish(cli::check(&args)),
        Some(Command::Completions { shell }) => {
            cli::completions(shell);
            ExitCode::SUCCESS
        }
    }
}

/// Prints a command's output, or its failure on standard error with its exit code.
fn finish(outcome: Result<String, cli::Failure>) -> ExitCode {
    match outcome {
        Ok(output) => cli::print(&output),
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// `headroom serve`: binds (or inherits) the listening socket, serves until SIGTERM or Ctrl-C,
/// and drains.
fn serve(config: Config) -> ExitCode {
    logging::init(config.log_format);
    logging::log_panics();
    // Read LISTEN_FDS before any thread starts: listenfd removes the variables it read.
    let mut inherited = listenfd::ListenFd::from_env();

    let mut leptos_options = match get_configuration(None) {
        Ok(conf) => conf.leptos_options,
        Err(err) => {
            eprintln!("headroom: bad LEPTOS_* configuration: {err}");
            return ExitCode::from(2);
        }
    };
    if let Some(root) = &config.site_root {
        leptos_options.site_root = root.to_string_lossy().as_ref().into();
    }
    assets::complete_options(&mut leptos_options);
    let addr = config.listen_addr(leptos_options.site_addr);
    leptos_options.site_addr = addr;

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("headroom: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let (listener, was_inherited) = match serve::listener(&mut inherited, addr) {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("headroom: cannot listen on {addr}: {err}");
                return ExitCode::FAILURE;
            }
        };
        let local = listener.local_addr().map_or(addr, |a| a);
        let site_root = leptos_options.site_root.to_string();
        if !std::path::Path::new(&site_root).join("pkg").is_dir() {
            tracing::warn!(
                site_root,
                "no pkg/ in the site root: pages render, but scripts and styles will be missing \
                 (build with `cargo leptos build --release`)"
            );
        }
        let service = build(&config, leptos_options);
        let limiter = service.rate_limiter.clone();
        let renderer = service.renderer.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(FORGET_IDLE_CLIENTS_EVERY);
            loop {
                every.tick().await;
                if let Some(limiter) = &limiter {
                    limiter.forget_idle_clients();
                }
                renderer.forget_idle_clients();
            }
        });
        let metrics_addr = match (&service.metrics, config.metrics_addr) {
            (Some(metrics), Some(addr)) => match serve_metrics(metrics.clone(), addr).await {
                Ok(local) => Some(local),
                Err(err) => {
                    eprintln!("headroom: cannot listen for /metrics on {addr}: {err}");
                    return ExitCode::FAILURE;
                }
            },
            _ => None,
        };
        let render = service.renderer.bounds();
        tracing::info!(
            addr = %local,
            inherited_socket = was_inherited,
            site_root,
            api_rate = config.api_rate,
            api_burst = config.api_burst,
            max_concurrent = config.max_concurrent,
            max_connections = config.max_connections,
            max_per_client = config.max_per_client,
            render_threads = render.threads,
            render_queue = render.queue,
            cache_entries = config.cache_entries,
            cache_bytes = config.cache_bytes,
            metrics_addr = metrics_addr.map(|a| a.to_string()),
            "listening"
        );
        println!("Headroom listening on http://{local}");
        let limits = ConnectionLimits {
            max_header_bytes: config.max_header_bytes,
            header_timeout: config.request_timeout,
            max_connections: config.max_connections,
            shutdown_grace: config.shutdown_grace,
            max_connections_per_client: config.max_connections_per_client,
            silent_timeout: config.silent_timeout,
        };
        serve::serve(
            listener,
            service.router,
            limits,
            service.lifecycle,
            serve::shutdown_signal(),
        )
        .await;
        ExitCode::SUCCESS
    })
}
