//! Where uncached pages are rendered: a small runtime of its own, off the async workers that
//! answer everything else, behind a bounded queue and a per-client rate.
//!
//! A page render runs the calculators and, on the simulator pages, a whole simulation: up to a
//! few hundred milliseconds of CPU at the simulators' caps. On the main runtime's workers that
//! work would hold up `/healthz`, cached pages, the API and even SIGTERM handling behind it (as a
//! hostile client looping on fresh simulator URLs showed). So renders run here:
//!
//! - on `threads` dedicated threads (default: one fewer than the cores, at least one), so at
//!   least one core stays with the main runtime whatever the renders do;
//! - at most `threads` at once, with at most `queue` more waiting; beyond that, `503` with
//!   `Retry-After` at once (load shedding, as for requests in general);
//! - at most `burst` uncached renders at once per client, refilled at `rate` per second (a token
//!   bucket per client address, like the API's); beyond that, `429` with `Retry-After`. A person
//!   never notices: with JavaScript every keystroke computes in the browser, and without it one
//!   form submit is one render.
//!
//! Cached pages never come here: the cache answers them on the main runtime.

use std::future::Future;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};
use tokio::runtime::Runtime;
use tokio::sync::Semaphore;

use crate::Lifecycle;

/// How many renders may run and wait, and how often one client may start one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderBounds {
    /// Renders running at once (threads of the render runtime).
    pub threads: u32,
    /// Renders waiting for a thread at most; more are refused.
    pub queue: u32,
    /// Uncached renders per second per client (0: no per-client limit).
    pub rate_per_second: u32,
    /// Uncached renders at once per client.
    pub burst: u32,
}

impl RenderBounds {
    /// One fewer thread than the machine has cores, at least one.
    pub fn default_threads() -> u32 {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        u32::try_from(cores.saturating_sub(1).max(1)).unwrap_or(1)
    }
}

/// Why a render did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Every thread is busy and the queue is full: retry after this many seconds.
    Busy {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// This client started too many renders: retry after this many seconds.
    TooMany {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// The render panicked (the panic is logged where it happened).
    Panicked,
}

type ClientLimiter = RateLimiter<IpAddr, DashMapStateStore<IpAddr>, DefaultClock>;

/// The render runtime and its bounds.
pub struct Renderer {
    runtime: Option<Runtime>,
    waiting: Arc<Semaphore>,
    running: Arc<Semaphore>,
    per_client: Option<ClientLimiter>,
    bounds: RenderBounds,
    lifecycle: Arc<Lifecycle>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("bounds", &self.bounds)
            .finish_non_exhaustive()
    }
}

impl Drop for Renderer {
    fn drop(&mut self) {
        // Dropping a runtime blocks until its threads stop, which is not allowed inside another
        // runtime (tests drop the service there); a render still running is abandoned.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Renderer {
    /// A render runtime with these bounds.
    ///
    /// # Errors
    /// When the runtime's threads cannot be started.
    pub fn new(bounds: RenderBounds, lifecycle: Arc<Lifecycle>) -> std::io::Result<Self> {
        let threads = bounds.threads.max(1);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads as usize)
            .thread_name("render")
            .enable_all()
            .build()?;
        let per_client = NonZeroU32::new(bounds.rate_per_second).map(|rate| {
            let burst = NonZeroU32::new(bounds.burst).unwrap_or(rate);
            RateLimiter::dashmap(Quota::per_second(rate).allow_burst(burst))
        });
        Ok(Self {
            runtime: Some(runtime),
            waiting: Arc::new(Semaphore::new((threads + bounds.queue) as usize)),
            running: Arc::new(Semaphore::new(threads as usize)),
            per_client,
            bounds: RenderBounds { threads, ..bounds },
            lifecycle,
        })
    }

    /// The bounds in force.
    pub fn bounds(&self) -> RenderBounds {
        self.bounds
    }

    /// Runs `render` on the render runtime for `client`, or says why not. Waiting for a thread
    /// happens here, on the caller's runtime, so a request that times out while queued simply
    /// goes away; one that times out while rendering has its task aborted at its next await.
    ///
    /// # Errors
    /// A [`Refusal`] when the client is over its rate, the queue is full, or the render panicked.
    pub async fn render<F>(&self, client: IpAddr, render: F) -> Result<F::Output, Refusal>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        if let Some(limiter) = &self.per_client
            && let Err(not_until) = limiter.check_key(&client)
        {
            let wait = not_until.wait_time_from(limiter.clock().now());
            return Err(Refusal::TooMany {
                retry_after: crate::limits::whole_seconds_at_least_one(wait),
            });
        }
        let Ok(_waiting) = self.waiting.clone().try_acquire_owned() else {
            self.lifecycle.note_shedding();
            return Err(Refusal::Busy { retry_after: 1 });
        };
        let Ok(running) = self.running.clone().acquire_owned().await else {
            return Err(Refusal::Busy { retry_after: 1 });
        };
        let Some(runtime) = &self.runtime else {
            return Err(Refusal::Busy { retry_after: 1 });
        };
        let mut task = AbortOnDrop(runtime.spawn(async move {
            let output = render.await;
            drop(running);
            output
        }));
        match task.await_output().await {
            Ok(output) => Ok(output),
            Err(_) => Err(Refusal::Panicked),
        }
    }

    /// Forgets clients whose bucket is full again (see the API's limiter).
    pub fn forget_idle_clients(&self) {
        if let Some(limiter) = &self.per_client {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// A task handle that aborts its task when dropped (when the request waiting for it goes away).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> AbortOnDrop<T> {
    async fn await_output(&mut self) -> Result<T, tokio::task::JoinError> {
        (&mut self.0).await
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renderer(threads: u32, queue: u32, rate: u32, burst: u32) -> Renderer {
        Renderer::new(
            RenderBounds {
                threads,
                queue,
                rate_per_second: rate,
                burst,
            },
            Arc::new(Lifecycle::default()),
        )
        .expect("runtime")
    }

    #[tokio::test]
    async fn renders_run_on_the_render_threads() {
        let pool = renderer(1, 0, 0, 0);
        let name = pool
            .render(IpAddr::from([127, 0, 0, 1]), async {
                std::thread::current().name().map(str::to_string)
            })
            .await
            .expect("rendered");
        assert_eq!(name.as_deref(), Some("render"));
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_at_once_and_marks_the_server_shedding() {
        let pool = Arc::new(renderer(1, 1, 0, 0));
        let client = IpAddr::from([127, 0, 0, 1]);
        let (release, hold) = tokio::sync::oneshot::channel::<()>();
        let busy = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.render(client, async move {
                    let _ = hold.await;
                })
                .await
            })
        };
        // Wait until the first render holds the thread, then queue a second.
        while pool.running.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let queued = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.render(client, async { 2 }).await })
        };
        while pool.waiting.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(
            pool.render(client, async { 3 }).await,
            Err(Refusal::Busy { retry_after: 1 })
        );
        assert!(pool.lifecycle.is_shedding());
        let _ = release.send(());
        assert_eq!(busy.await.expect("joined"), Ok(()));
        assert_eq!(queued.await.expect("joined"), Ok(2));
    }

    #[tokio::test]
    async fn one_client_gets_its_burst_and_others_are_unaffected() {
        let pool = renderer(1, 8, 1, 3);
        let greedy = IpAddr::from([127, 0, 0, 1]);
        for _ in 0..3 {
            assert_eq!(pool.render(greedy, async { 1 }).await, Ok(1));
        }
        assert!(matches!(
            pool.render(greedy, async { 1 }).await,
            Err(Refusal::TooMany { retry_after: 1 })
        ));
        assert_eq!(
            pool.render(IpAddr::from([127, 0, 0, 2]), async { 1 }).await,
            Ok(1)
        );
    }

    #[tokio::test]
    async fn a_panicking_render_is_an_error_not_a_crash() {
        let pool = renderer(1, 0, 0, 0);
        let result = pool
            .render(IpAddr::from([127, 0, 0, 1]), async {
                if std::hint::black_box(true) {
                    panic!("boom");
                }
            })
            .await;
        assert_eq!(result, Err(Refusal::Panicked));
        // The thread survives for the next render.
        assert_eq!(
            pool.render(IpAddr::from([127, 0, 0, 1]), async { 7 }).await,
            Ok(7)
        );
    }
}
