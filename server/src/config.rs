//! Configuration: every setting is a flag with an environment variable behind it, and a default
//! that serves a person on 127.0.0.1:3000 without any.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderName;
use clap::{Parser, ValueEnum};

/// Largest accepted request body: the core's import limit, since a posted report is the biggest
/// document the API reads.
pub const MAX_BODY_CEILING: usize = headroom::report::MAX_IMPORT_BYTES;

/// Headroom's server: the calculator pages, the JSON API and the static assets.
///
/// Precedence: flag, then HEADROOM_* variable, then (for the address and site root) the
/// LEPTOS_* variable that cargo-leptos and the Playwright config set, then the default.
#[derive(Debug, Clone, Parser)]
#[command(name = "headroom", version, about, long_about = None)]
pub struct Config {
    /// Address to listen on, HOST:PORT [fallback: LEPTOS_SITE_ADDR, then 127.0.0.1:3000]
    #[arg(long, env = "HEADROOM_ADDR")]
    pub addr: Option<SocketAddr>,

    /// Port to listen on, replacing the port of --addr
    #[arg(long, env = "HEADROOM_PORT")]
    pub port: Option<u16>,

    /// Folder with the built site (pkg/, vendor/) [fallback: LEPTOS_SITE_ROOT, then target/site]
    #[arg(long, env = "HEADROOM_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// API requests per second per client address (token refill rate); 0 turns the limiter off
    #[arg(long, env = "HEADROOM_API_RATE", default_value_t = 60)]
    pub api_rate: u32,

    /// API burst per client address (token bucket size)
    #[arg(long, env = "HEADROOM_API_BURST", default_value_t = 120,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub api_burst: u32,

    /// Header whose last address is the client's, when behind a reverse proxy that sets it
    /// (e.g. X-Forwarded-For); without it the peer address is the client
    #[arg(long, env = "HEADROOM_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<HeaderName>,

    /// Largest request body, bytes (a scenario or an exported report)
    #[arg(long, env = "HEADROOM_MAX_BODY_BYTES", default_value_t = 256 * 1024,
          value_parser = body_limit)]
    pub max_body_bytes: usize,

    /// Largest request head (request line and headers), bytes; larger is answered 431
    #[arg(long, env = "HEADROOM_MAX_HEADER_BYTES", default_value_t = 16 * 1024,
          value_parser = header_limit)]
    pub max_header_bytes: usize,

    /// Time allowed to send a request head, to handle a request (its body included), and for a
    /// keep-alive connection to sit idle (e.g. 10, 10s, 1 min)
    #[arg(long, env = "HEADROOM_REQUEST_TIMEOUT", default_value = "10s", value_parser = duration)]
    pub request_timeout: Duration,

    /// Requests handled at once; more are answered 503 with Retry-After at once
    #[arg(long, env = "HEADROOM_MAX_CONCURRENT", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_concurrent: u32,

    /// Open connections; at the cap, new ones wait in the kernel's backlog
    #[arg(long, env = "HEADROOM_MAX_CONNECTIONS", default_value_t = 4096,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,

    /// On SIGTERM or Ctrl-C, time allowed for requests in flight before the process exits
    #[arg(long, env = "HEADROOM_SHUTDOWN_GRACE", default_value = "10s", value_parser = duration)]
    pub shutdown_grace: Duration,

    /// Rendered pages and reports kept in memory (least recently useful dropped first); 0 turns
    /// the cache off
    #[arg(long, env = "HEADROOM_CACHE_ENTRIES", default_value_t = 1024,
          value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub cache_entries: u64,

    /// Memory for the cache of rendered pages and reports, bytes (bodies, headers and URLs); 0
    /// turns the cache off
    #[arg(long, env = "HEADROOM_CACHE_BYTES", default_value = "32 MiB", value_parser = cache_limit)]
    pub cache_bytes: u64,

    /// Requests in flight per client address (the proxy header's, when set); more are answered
    /// 429 at once. 0 turns the limit off
    #[arg(long, env = "HEADROOM_MAX_PER_CLIENT", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub max_per_client: u32,

    /// Open connections per peer address; more are closed at once. Behind your own proxy every
    /// connection comes from the proxy: raise it or set 0 (off)
    #[arg(long, env = "HEADROOM_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub max_connections_per_client: u32,

    /// Time a new connection may stay silent before its first byte; then it is closed
    #[arg(long, env = "HEADROOM_SILENT_TIMEOUT", default_value = "3s", value_parser = duration)]
    pub silent_timeout: Duration,

    /// Time allowed to send a request body once its head is in (408 beyond)
    #[arg(long, env = "HEADROOM_BODY_TIMEOUT", default_value = "5s", value_parser = duration)]
    pub body_timeout: Duration,

    /// Threads that render uncached pages (simulations included), apart from the threads that
    /// answer everything else [default: one fewer than the cores, at least 1]
    #[arg(long, env = "HEADROOM_RENDER_THREADS",
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub render_threads: Option<u32>,

    /// Uncached page renders that may wait for a render thread; more are answered 503 at once.
    /// A calculator page renders in a few milliseconds, so 128 waiting is well under a second;
    /// the per-client render limit keeps one address from filling the queue
    #[arg(long, env = "HEADROOM_RENDER_QUEUE", default_value_t = 128,
          value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub render_queue: u32,

    /// Uncached page renders per second per client address; 0 turns the limit off (benchmarks)
    #[arg(long, env = "HEADROOM_RENDER_RATE", default_value_t = 10)]
    pub render_rate: u32,

    /// Uncached page renders at once per client address (token bucket size)
    #[arg(long, env = "HEADROOM_RENDER_BURST", default_value_t = 40,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub render_burst: u32,

    /// Address of a second listener that serves /metrics (Prometheus text format) and nothing
    /// else, HOST:PORT; off unless set. Keep it private: it is not rate-limited
    #[arg(long, env = "HEADROOM_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// Log format: one line per event as text, or as JSON
    #[arg(long, env = "HEADROOM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable `key=value` lines.
    Text,
    /// One JSON object per line.
    Json,
}

impl Config {
    /// The defaults, as if the server were started with no flags (HEADROOM_* variables still
    /// apply).
    ///
    /// # Errors
    /// Only when a HEADROOM_* variable holds a value its flag would refuse.
    pub fn defaults() -> Result<Self, clap::Error> {
        Self::try_parse_from(["headroom"])
    }

    /// What the response cache may hold.
    pub fn cache_bounds(&self) -> crate::cache::CacheBounds {
        crate::cache::CacheBounds {
            entries: self.cache_entries,
            bytes: self.cache_bytes,
        }
    }

    /// How uncached pages are rendered.
    pub fn render_bounds(&self) -> crate::render::RenderBounds {
        crate::render::RenderBounds {
            threads: self
                .render_threads
                .unwrap_or_else(crate::render::RenderBounds::default_threads),
            queue: self.render_queue,
            rate_per_second: self.render_rate,
            burst: self.render_burst,
        }
    }

    /// The address to listen on, given the LEPTOS_SITE_ADDR fallback.
    pub fn listen_addr(&self, leptos_addr: SocketAddr) -> SocketAddr {
        let mut addr = self.addr.unwrap_or(leptos_addr);
        if let Some(port) = self.port {
            addr.set_port(port);
        }
        addr
    }
}

/// A duration in the forms the calculator accepts (`10`, `10s`, `1.5 min`, `500ms`); a bare
/// number is seconds.
fn duration(text: &str) -> Result<Duration, String> {
    let seconds = headroom::units::parse_duration(text, 1.0).map_err(|e| e.to_string())?;
    if !(0.001..=3_600.0).contains(&seconds) {
        return Err(format!("must be between 1 ms and 1 h, got {seconds} s"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn body_limit(text: &str) -> Result<usize, String> {
    bounded(text, 1_024, MAX_BODY_CEILING)
}

/// Up to 16 GiB: more is almost surely a typo, and the default is 32 MiB.
fn cache_limit(text: &str) -> Result<u64, String> {
    bounded(text, 0, 16 << 30).map(|bytes| bytes as u64)
}

/// hyper needs at least 8 KiB to read a request head at all.
fn header_limit(text: &str) -> Result<usize, String> {
    bounded(text, 8 * 1024, 1024 * 1024)
}

fn bounded(text: &str, min: usize, max: usize) -> Result<usize, String> {
    let bytes = headroom::units::parse_bytes(text).map_err(|e| e.to_string())?;
    if !(min as f64..=max as f64).contains(&bytes) {
        return Err(format!(
            "must be between {min} and {max} bytes, got {bytes}"
        ));
    }
    Ok(bytes as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_ones() {
        let config = Config::try_parse_from(["headroom"]).expect("defaults parse");
        assert_eq!(config.api_rate, 60);
        assert_eq!(config.api_burst, 120);
        assert_eq!(config.request_timeout, Duration::from_secs(10));
        assert_eq!(config.max_body_bytes, 262_144);
        assert_eq!(config.cache_entries, 1024);
        assert_eq!(config.cache_bytes, 32 * 1024 * 1024);
        assert_eq!(config.max_per_client, 64);
        assert_eq!(config.max_connections_per_client, 256);
        assert_eq!(config.silent_timeout, Duration::from_secs(3));
        assert_eq!(config.body_timeout, Duration::from_secs(5));
        assert_eq!(
            (config.render_queue, config.render_rate, config.render_burst),
            (128, 10, 40)
        );
        assert!(config.render_bounds().threads >= 1);
        assert_eq!(
            config.listen_addr("127.0.0.1:3000".parse().expect("addr")),
            "127.0.0.1:3000".parse().expect("addr")
        );
    }

    #[test]
    fn flags_accept_human_quantities_and_refuse_nonsense() {
        let config = Config::try_parse_from([
            "headroom",
            "--request-timeout",
            "1.5 min",
            "--max-body-bytes",
            "64 KiB",
            "--port",
            "3200",
        ])
        .expect("valid flags");
        assert_eq!(config.request_timeout, Duration::from_secs(90));
        assert_eq!(config.max_body_bytes, 65_536);
        assert_eq!(
            config
                .listen_addr("127.0.0.1:3000".parse().expect("addr"))
                .port(),
            3200
        );
        for bad in [
            ["--request-timeout", "0"],
            ["--request-timeout", "NaN"],
            ["--max-body-bytes", "10 GB"],
            ["--max-header-bytes", "1k"],
            ["--api-burst", "0"],
            ["--max-concurrent", "0"],
            ["--cache-bytes", "1 TB"],
            ["--cache-entries", "-1"],
            ["--render-threads", "0"],
            ["--render-burst", "0"],
            ["--silent-timeout", "0"],
        ] {
            let args = ["headroom", bad[0], bad[1]];
            assert!(
                Config::try_parse_from(args).is_err(),
                "{bad:?} must be refused"
            );
        }
    }
}
