//! Structured logs with `tracing`: one line per request (method, path, status, latency, client),
//! as text or JSON, filtered by `RUST_LOG` (default `info`).

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Longest path written to the log: a hostile URL must not flood it.
const MAX_LOGGED_PATH: usize = 256;

/// Installs the global subscriber. Safe to call once per process.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a person at a terminal: files and log collectors get plain text.
    let ansi = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi);
    // A second init (tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Middleware: logs one line per request once its response head is ready.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_default();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    // Whole microseconds, so the log shows 1.289, not 1.2885970000000001.
    let latency_ms = started.elapsed().as_micros() as f64 / 1000.0;
    if status >= 500 {
        tracing::warn!(%method, path, status, latency_ms, client, "request");
    } else {
        tracing::info!(%method, path, status, latency_ms, client, "request");
    }
    response
}

/// The path cut to [`MAX_LOGGED_PATH`] bytes at a character boundary.
fn loggable_path(path: &str) -> String {
    if path.len() <= MAX_LOGGED_PATH {
        return path.to_string();
    }
    let mut end = MAX_LOGGED_PATH;
    while !path.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &path[..end])
}

/// A duration as seconds for messages: `10`, `0.5`.
pub fn seconds_text(duration: Duration) -> String {
    headroom::units::format_number(duration.as_secs_f64(), 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_are_cut_at_a_character_boundary() {
        let path = format!("/{}", "é".repeat(300));
        let logged = loggable_path(&path);
        assert!(logged.len() <= MAX_LOGGED_PATH + '…'.len_utf8());
        assert!(logged.ends_with('…'));
        assert_eq!(loggable_path("/capacity"), "/capacity");
    }
}
