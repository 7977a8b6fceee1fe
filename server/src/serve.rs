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
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{Semaphore, watch};
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use crate::Lifecycle;
use crate::client::PerClient;

/// How long keep-alive connections may still send requests after shutdown starts (each answered
/// with `Connection: close`) before idle ones are closed.
pub const DRAIN_KEEP_ALIVE: Duration = Duration::from_secs(1);

/// Connections the kernel may queue for us to accept (it caps this at `net.core.somaxconn`,
/// 4,096 on current Linux). The standard library's 128 fills in a moment under a connection
/// flood, and then even `/healthz` waits for a free place.
pub const LISTEN_BACKLOG: u32 = 1024;

/// When a request arrived: the connection's accept for its first request, then the moment its
/// head was read. Logged beside the handler's own latency, so time spent waiting for a worker
/// before the handler starts is visible.
#[derive(Debug, Clone, Copy)]
pub struct Arrival(pub Instant);

/// Connection-level limits.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// Largest request head, bytes (431 beyond).
    pub max_header_bytes: usize,
    /// Time allowed to send a request head, and to stay idle between requests.
    pub header_timeout: Duration,
    /// Open connections at most.
    pub max_connections: u32,
    /// Time requests in flight get to finish at shutdown.
    pub shutdown_grace: Duration,
    /// Open connections per peer address at most (0: no limit).
    pub max_connections_per_client: u32,
    /// Time a new connection may stay silent before its first byte.
    pub silent_timeout: Duration,
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
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    Ok((socket.listen(LISTEN_BACKLOG)?, false))
}

/// The request with an origin-form target: an absolute-form target (`GET http://host/path`,
/// which proxies send and HTTP/1.1 servers must accept) loses its scheme and host, so routing,
/// the cache and the logs see the same target for the same page.
fn origin_form<B>(mut request: hyper::Request<B>) -> hyper::Request<B> {
    if request.uri().authority().is_some()
        && let Some(target) = request.uri().path_and_query().cloned()
    {
        *request.uri_mut() = hyper::Uri::from(target);
    }
    request
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
    let per_address = Arc::new(PerClient::default());
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
        let accepted = Instant::now();
        let Some(address_slot) = per_address.take(
            crate::client::address_key(peer.ip()),
            limits.max_connections_per_client,
        ) else {
            tracing::debug!(client = %peer.ip(), "connection refused: too many from this address");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut close_idle_rx = close_idle_rx.clone();
        let limits = limits.clone();
        connections.spawn(async move {
            let _slot = slot;
            let _address_slot = address_slot;
            // A connection that never says a word holds a slot for nothing: wait for its first
            // byte only so long.
            // (`peek` waits for data; `readable` may report a fresh socket ready at once.)
            let mut first_byte = [0u8; 1];
            if !matches!(
                tokio::time::timeout(limits.silent_timeout, stream.peek(&mut first_byte)).await,
                Ok(Ok(1))
            ) {
                return;
            }
            let first = Arc::new(Mutex::new(Some(accepted)));
            let service = TowerToHyperService::new(tower::service_fn(
                move |request: hyper::Request<Incoming>| {
                    let arrived = first
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .take()
                        .unwrap_or_else(Instant::now);
                    let mut request = origin_form(request);
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request.extensions_mut().insert(Arrival(arrived));
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
