//! Structured logs with `tracing`: one line per request (method, path, status, latency, client),
//! as text or JSON, filtered by `RUST_LOG` (default `info`).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::HeaderName;
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

/// Replaces the default panic message (and, with `RUST_BACKTRACE` set, a backtrace of several
/// kilobytes) by one log line with the message and where it happened. A panic is a bug to fix,
/// not a flood to store: a client that could trigger one per request must not fill the disk.
/// `RUST_BACKTRACE=1` still adds the backtrace, for whoever is debugging.
pub fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("");
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let thread = std::thread::current();
        tracing::error!(
            panic = headroom::text::clip(message, 512),
            location,
            thread = thread.name().unwrap_or(""),
            "panic"
        );
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            tracing::error!(
                backtrace = %std::backtrace::Backtrace::force_capture(),
                "panic backtrace"
            );
        }
    }));
}

/// Middleware: logs one line per request once its response head is ready.
///
/// Our own rather than tower-http's `TraceLayer`: its `on_response` sees the response, the latency
/// and a span, never the request, so the method, path and client would have to travel in a span,
/// which the JSON formatter writes nested under `span` instead of as this line's flat fields
/// (what log collectors and the `ops` test read); and `since_arrival_ms` needs the accept loop's
/// [`crate::serve::Arrival`].
///
/// `client` is the address the per-client limits count by: behind a proxy named by
/// `--client-ip-header`, the header's, so that the log tells clients apart rather than naming the
/// proxy on every line.
pub async fn log_request(
    State(client_ip_header): State<Option<HeaderName>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let client = crate::client::client_addr(&request, client_ip_header.as_ref())
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    let arrived = request
        .extensions()
        .get::<crate::serve::Arrival>()
        .map_or(started, |a| a.0);
    let response = next.run(request).await;
    let status = response.status().as_u16();
    // Whole microseconds, so the log shows 1.289, not 1.2885970000000001. `latency_ms` is the
    // handler's time; `since_arrival_ms` adds the wait before it (from the connection's accept
    // for its first request, else from when its head was read).
    let latency_ms = millis(started.elapsed());
    let since_arrival_ms = millis(arrived.elapsed());
    if status >= 500 {
        tracing::warn!(%method, path, status, latency_ms, since_arrival_ms, client, "request");
    } else {
        tracing::info!(%method, path, status, latency_ms, since_arrival_ms, client, "request");
    }
    response
}

/// The path cut to [`MAX_LOGGED_PATH`] bytes at a character boundary.
fn loggable_path(path: &str) -> String {
    headroom::text::clip_marked(path, MAX_LOGGED_PATH)
}

fn millis(duration: Duration) -> f64 {
    duration.as_micros() as f64 / 1000.0
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
