//! The accept loop: HTTP/1.1 with hyper, a cap on open connections, a header size limit and a
//! header read timeout (which is also the keep-alive idle timeout), and a graceful shutdown that
//! loses no request.
//!
//! Shutdown, on SIGTERM or Ctrl-C:
//! 1. stop accepting, and mark the process draining (`/readyz` answers 503);
//! 2. for [`DRAIN_KEEP_ALIVE`], let open connections run: every response now carries
//!    `Connection: close`, so each client finishes its request and reconnects; with a listening
//!    socket shared with a new process (socket activation, `scripts/restart.py`), the new
//!    process accepts it;
//! 3. then close idle connections, let requests in flight finish for up to `--shutdown-grace`,
//!    and exit.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use crate::Lifecycle;

/// How long keep-alive connections may still send requests after shutdown starts (each answered
/// with `Connection: close`) before idle ones are closed.
pub const DRAIN_KEEP_ALIVE: Duration = Duration::from_secs(1);

/// Connection-level limits.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Largest request head, bytes (431 beyond).
    pub max_header_bytes: usize,
    /// Time allowed to send a request head, and to stay idle between requests.
    pub header_timeout: Duration,
    /// Open connections at most.
    pub max_connections: u32,
    /// Time requests in flight get to finish at shutdown.
    pub shutdown_grace: Duration,
}

/// The listening socket: inherited from a supervisor (systemd socket activation, `LISTEN_FDS`)
/// when there is one, so restarts never close it; otherwise bound to `addr`.
///
/// # Errors
/// When the address cannot be bound or the inherited socket is not a TCP listener.
pub fn listener(
    inherited: &mut listenfd::ListenFd,
    addr: SocketAddr,
) -> std::io::Result<(TcpListener, bool)> {
    if let Some(std_listener) = inherited.take_tcp_listener(0)? {
        std_listener.set_nonblocking(true)?;
        return Ok((TcpListener::from_std(std_listener)?, true));
    }
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    Ok((TcpListener::from_std(std_listener)?, false))
}

/// Serves `router` on `listener` until `shutdown` completes, then drains as described above.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    lifecycle: Arc<Lifecycle>,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections as usize));
    let connections = TaskTracker::new();
    let (close_idle, close_idle_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    lifecycle.set_ready();

    loop {
        let slot = tokio::select! {
            biased;
            () = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(%err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut close_idle_rx = close_idle_rx.clone();
        connections.spawn(async move {
            let _slot = slot;
            let service = TowerToHyperService::new(tower::service_fn(
                move |mut request: hyper::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    router.clone().oneshot(request)
                },
            ));
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_header_size(limits.max_header_bytes)
                .max_buf_size(limits.max_header_bytes.max(8192) * 2)
                .keep_alive(true);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => log_connection_end(result),
                () = wait_until_true(&mut close_idle_rx) => {
                    connection.as_mut().graceful_shutdown();
                    log_connection_end(connection.await);
                }
            }
        });
    }

    drop(listener);
    lifecycle.start_draining();
    connections.close();
    tracing::info!(
        open = connections.len(),
        "shutting down: no new connections; asking open ones to close"
    );
    if tokio::time::timeout(DRAIN_KEEP_ALIVE, connections.wait())
        .await
        .is_err()
    {
        let _ = close_idle.send(true);
        if tokio::time::timeout(limits.shutdown_grace, connections.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                open = connections.len(),
                "shutdown grace over: closing the remaining connections"
            );
            return;
        }
    }
    tracing::info!("shut down cleanly");
}

/// Completes once the flag turns true (or its sender is gone). Unlike `wait_for`, it keeps no
/// lock guard across the await, so the connection task stays `Send`.
async fn wait_until_true(flag: &mut watch::Receiver<bool>) {
    while !*flag.borrow_and_update() {
        if flag.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

fn log_connection_end(result: Result<(), hyper::Error>) {
    if let Err(err) = result {
        // Clients that vanish, time out or send garbage: theirs to fix, not ours to alarm about.
        tracing::debug!(%err, "connection ended with an error");
    }
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received"),
        () = terminate => tracing::info!("SIGTERM received"),
    }
}
