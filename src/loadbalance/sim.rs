//! The discrete-event simulation: a sorted stream of arrivals merged with a binary heap of
//! completions, one FIFO queue and `workers` workers per server.

use super::balancers::{Balancer, ClusterView, balancer};
use super::hashing::key_hash;
use super::sampling::{
    exponential, log_normal, pareto, sample_cumulative, seeded_rng, uniform_index, zipf_cumulative,
};
use super::{Algorithm, DurationDist, LbConfig, LoadBalanceError, MAX_WORK, Popularity};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// How many snapshots of in-flight requests a run records for charts.
pub const LOAD_SAMPLES: usize = 100;

/// The result of one algorithm on one workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LbRun {
    /// The algorithm that ran.
    pub algorithm: Algorithm,
    /// Requests simulated.
    pub requests: u64,
    /// Time of the last completion, seconds from the start: the span utilization is measured over.
    pub horizon_s: f64,
    /// Per-server figures, in the order of [`LbConfig::servers`].
    pub servers: Vec<ServerStats>,
    /// Response times over all requests.
    pub response: ResponseStats,
    /// max / mean of per-server request counts (1 = perfectly even).
    pub imbalance_requests: f64,
    /// max / mean of per-server utilization (1 = perfectly even).
    pub imbalance_utilization: f64,
    /// In-flight requests per server at [`LOAD_SAMPLES`] evenly spaced moments, for charts.
    pub load_samples: Vec<LoadSample>,
}

/// One server's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServerStats {
    /// Requests routed to it.
    pub requests: u64,
    /// Its share of all requests (0..1).
    pub share: f64,
    /// Worker-seconds spent serving.
    pub busy_s: f64,
    /// busy_s / (workers × horizon_s), 0..1.
    pub utilization: f64,
    /// Mean response time of its requests, seconds (0 when it got none).
    pub mean_response_s: f64,
    /// Most requests in flight at once (in service plus queued).
    pub peak_in_flight: u32,
}

impl ServerStats {
    /// The trace of [`ServerStats::utilization`].
    pub fn utilization_trace() -> String {
        "utilization = busy worker-seconds / (workers × run length)".to_string()
    }
}

/// Response-time summary, seconds.
///
/// # Formula
///
/// ```text
/// p-th percentile = x₍⌈p n / 100⌉₎      the nearest-rank definition on the n sorted samples
/// ```
/// Source: the nearest-rank method (NIST/SEMATECH e-Handbook of Statistical Methods, 7.2.6.2,
/// and Hyndman & Fan 1996, definition 1 family); exact, from every sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResponseStats {
    /// Mean.
    pub mean_s: f64,
    /// Median.
    pub p50_s: f64,
    /// 95th percentile.
    pub p95_s: f64,
    /// 99th percentile.
    pub p99_s: f64,
    /// Slowest.
    pub max_s: f64,
}

/// In-flight requests per server at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoadSample {
    /// Seconds from the start.
    pub t_s: f64,
    /// In flight (in service plus queued) per server.
    pub in_flight: Vec<u32>,
}

/// The requests every algorithm sees: arrival times, clients and base durations.
struct Workload {
    arrival_s: Vec<f64>,
    client: Vec<u32>,
    base_duration_s: Vec<f64>,
    client_hash: Vec<u64>,
}

impl Workload {
    fn generate(config: &LbConfig) -> Self {
        let n = config.requests as usize;
        let mut rng = seeded_rng(config.seed);
        let clients = config.clients.max(1) as usize;
        let zipf = match config.popularity {
            Popularity::Zipf { exponent } if exponent > 0.0 => {
                Some(zipf_cumulative(clients, exponent))
            }
            _ => None,
        };
        let mut arrival_s = Vec::with_capacity(n);
        let mut client = Vec::with_capacity(n);
        let mut base_duration_s = Vec::with_capacity(n);
        let mean_gap = 1.0 / config.arrival_rate_per_s;
        let mut t = 0.0;
        for _ in 0..n {
            t += exponential(&mut rng, mean_gap);
            arrival_s.push(t);
            let c = match &zipf {
                Some(cumulative) => sample_cumulative(&mut rng, cumulative),
                None => uniform_index(&mut rng, clients),
            };
            client.push(c as u32);
            base_duration_s.push(sample_duration(&mut rng, config.duration));
        }
        let client_hash = (0..clients as u64).map(key_hash).collect();
        Self {
            arrival_s,
            client,
            base_duration_s,
            client_hash,
        }
    }
}

fn sample_duration(rng: &mut Pcg64Mcg, dist: DurationDist) -> f64 {
    match dist {
        DurationDist::Fixed { mean_s } => mean_s,
        DurationDist::Exponential { mean_s } => exponential(rng, mean_s),
        DurationDist::Pareto { mean_s, shape } => pareto(rng, mean_s, shape),
        DurationDist::LogNormal { mean_s, sigma } => log_normal(rng, mean_s, sigma),
    }
}

/// A completion in the event heap, ordered so that the earliest (then the first scheduled) pops
/// first from Rust's max-heap.
#[derive(Debug, Clone, Copy)]
struct Completion {
    t_s: f64,
    /// Wait plus service, computed when service starts: subtracting large absolute times at
    /// completion would lose the low digits of short requests late in a long run.
    response_s: f64,
    seq: u64,
    server: u32,
    request: u32,
}

impl PartialEq for Completion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Completion {}
impl PartialOrd for Completion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Completion {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .t_s
            .total_cmp(&self.t_s)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Runs `config.algorithm` on the workload generated from `config`.
///
/// # Errors
///
/// [`LbConfig::validate`]'s errors, and those of building the ring or Maglev table.
///
/// # Examples
///
/// ```
/// use headroom::loadbalance::{Algorithm, LbConfig, simulate};
/// let run = simulate(&LbConfig { requests: 5_000, algorithm: Algorithm::RoundRobin, ..LbConfig::default() })?;
/// // Round robin over 5 servers: 1,000 each.
/// assert!(run.servers.iter().all(|s| s.requests == 1_000));
/// # Ok::<(), headroom::loadbalance::LoadBalanceError>(())
/// ```
pub fn simulate(config: &LbConfig) -> Result<LbRun, LoadBalanceError> {
    config.validate()?;
    let workload = Workload::generate(config);
    run(config.algorithm, config, &workload)
}

/// Runs every algorithm in [`Algorithm::ALL`] on the same workload (same arrivals, clients and
/// durations), ignoring `config.algorithm`.
///
/// # Errors
///
/// As [`simulate`], and [`LoadBalanceError::TooLarge`] when [`LbConfig::work`] is over
/// [`MAX_WORK`].
pub fn compare_all(config: &LbConfig) -> Result<Vec<LbRun>, LoadBalanceError> {
    config.validate()?;
    let work = config.work();
    if work > MAX_WORK {
        return Err(LoadBalanceError::TooLarge {
            what: "the comparison (requests × (160 + servers) + 8 × (ring points + clients))",
            value: work,
            max: MAX_WORK,
        });
    }
    let workload = Workload::generate(config);
    Algorithm::ALL
        .into_iter()
        .map(|a| run(a, config, &workload))
        .collect()
}

/// Mutable state of the cluster during one run.
struct Cluster<'a> {
    config: &'a LbConfig,
    workload: &'a Workload,
    in_service: Vec<u32>,
    in_flight: Vec<u32>,
    peak_in_flight: Vec<u32>,
    queues: Vec<VecDeque<u32>>,
    busy_s: Vec<f64>,
    heap: BinaryHeap<Completion>,
    seq: u64,
    response_s: Vec<f64>,
    server_of: Vec<u32>,
}

impl Cluster<'_> {
    fn start(&mut self, request: u32, server: usize, now_s: f64) {
        let speed = self.config.servers.get(server).map_or(1.0, |s| s.speed);
        let service_s = self
            .workload
            .base_duration_s
            .get(request as usize)
            .copied()
            .unwrap_or(0.0)
            / speed;
        if let (Some(busy), Some(slots)) =
            (self.busy_s.get_mut(server), self.in_service.get_mut(server))
        {
            *busy += service_s;
            *slots += 1;
        }
        let arrival_s = self
            .workload
            .arrival_s
            .get(request as usize)
            .copied()
            .unwrap_or(now_s);
        self.seq += 1;
        self.heap.push(Completion {
            t_s: now_s + service_s,
            response_s: (now_s - arrival_s) + service_s,
            seq: self.seq,
            server: server as u32,
            request,
        });
    }

    fn assign(&mut self, request: u32, server: usize, now_s: f64) {
        if let (Some(flight), Some(peak)) = (
            self.in_flight.get_mut(server),
            self.peak_in_flight.get_mut(server),
        ) {
            *flight += 1;
            *peak = (*peak).max(*flight);
        }
        if let Some(s) = self.server_of.get_mut(request as usize) {
            *s = server as u32;
        }
        let workers = self.config.servers.get(server).map_or(1, |s| s.workers);
        if self.in_service.get(server).copied().unwrap_or(0) < workers {
            self.start(request, server, now_s);
        } else if let Some(queue) = self.queues.get_mut(server) {
            queue.push_back(request);
        }
    }

    /// Processes every completion at or before `until_s` (completions first on ties: a worker
    /// freed at t serves an arrival at t).
    fn complete_until(&mut self, until_s: f64, balancer: &mut dyn Balancer) {
        while let Some(done) = self.heap.peek().copied()
            && done.t_s <= until_s
        {
            self.heap.pop();
            let server = done.server as usize;
            let response = done.response_s;
            if let Some(r) = self.response_s.get_mut(done.request as usize) {
                *r = response;
            }
            balancer.observe(server, response);
            if let (Some(flight), Some(slots)) = (
                self.in_flight.get_mut(server),
                self.in_service.get_mut(server),
            ) {
                *flight = flight.saturating_sub(1);
                *slots = slots.saturating_sub(1);
            }
            if let Some(next) = self.queues.get_mut(server).and_then(VecDeque::pop_front) {
                self.start(next, server, done.t_s);
            }
        }
    }
}

fn run(
    algorithm: Algorithm,
    config: &LbConfig,
    workload: &Workload,
) -> Result<LbRun, LoadBalanceError> {
    run_with_assignments(algorithm, config, workload).map(|(run, _)| run)
}

/// Runs one algorithm and also returns the server each request went to.
fn run_with_assignments(
    algorithm: Algorithm,
    config: &LbConfig,
    workload: &Workload,
) -> Result<(LbRun, Vec<u32>), LoadBalanceError> {
    let mut policy = balancer(algorithm, config)?;
    let n = config.servers.len();
    let requests = workload.arrival_s.len();
    let weights: Vec<u32> = config.servers.iter().map(|s| s.weight).collect();
    let mut cluster = Cluster {
        config,
        workload,
        in_service: vec![0; n],
        in_flight: vec![0; n],
        peak_in_flight: vec![0; n],
        queues: vec![VecDeque::new(); n],
        busy_s: vec![0.0; n],
        heap: BinaryHeap::new(),
        seq: 0,
        response_s: vec![0.0; requests],
        server_of: vec![0; requests],
    };
    let mut sticky_server: Vec<u32> = if config.sticky {
        vec![u32::MAX; workload.client_hash.len()]
    } else {
        Vec::new()
    };
    let last_arrival = workload.arrival_s.last().copied().unwrap_or(0.0);
    let sample_step = last_arrival / LOAD_SAMPLES as f64;
    let mut load_samples = Vec::with_capacity(LOAD_SAMPLES);

    for (request, (&t, &client)) in (0_u32..).zip(workload.arrival_s.iter().zip(&workload.client)) {
        // Snapshots first, each after the completions up to its own moment.
        while load_samples.len() < LOAD_SAMPLES {
            let sample_t = sample_step * (load_samples.len() + 1) as f64;
            if sample_t >= t {
                break;
            }
            cluster.complete_until(sample_t, policy.as_mut());
            load_samples.push(LoadSample {
                t_s: sample_t,
                in_flight: cluster.in_flight.clone(),
            });
        }
        cluster.complete_until(t, policy.as_mut());
        let hash = workload
            .client_hash
            .get(client as usize)
            .copied()
            .unwrap_or(0);
        let remembered = sticky_server
            .get(client as usize)
            .copied()
            .filter(|&s| s != u32::MAX);
        let server = match remembered {
            Some(s) => s as usize,
            None => {
                let view = ClusterView {
                    active: &cluster.in_flight,
                    weights: &weights,
                };
                let s = policy.pick(hash, &view).min(n - 1);
                if let Some(slot) = sticky_server.get_mut(client as usize) {
                    *slot = s as u32;
                }
                s
            }
        };
        cluster.assign(request, server, t);
    }
    if load_samples.len() < LOAD_SAMPLES {
        load_samples.push(LoadSample {
            t_s: last_arrival,
            in_flight: cluster.in_flight.clone(),
        });
    }
    let mut horizon_s = last_arrival;
    while let Some(done) = cluster.heap.peek().copied() {
        horizon_s = horizon_s.max(done.t_s);
        cluster.complete_until(done.t_s, policy.as_mut());
    }
    Ok(summarize(
        algorithm,
        config,
        cluster,
        horizon_s,
        load_samples,
    ))
}

fn summarize(
    algorithm: Algorithm,
    config: &LbConfig,
    cluster: Cluster<'_>,
    horizon_s: f64,
    load_samples: Vec<LoadSample>,
) -> (LbRun, Vec<u32>) {
    let n = config.servers.len();
    let total = cluster.response_s.len();
    let mut requests = vec![0_u64; n];
    let mut response_sum = vec![0.0_f64; n];
    for (&server, &r) in cluster.server_of.iter().zip(&cluster.response_s) {
        if let (Some(count), Some(sum)) = (
            requests.get_mut(server as usize),
            response_sum.get_mut(server as usize),
        ) {
            *count += 1;
            *sum += r;
        }
    }
    let servers: Vec<ServerStats> = (0..n)
        .map(|i| {
            let count = requests.get(i).copied().unwrap_or(0);
            let busy_s = cluster.busy_s.get(i).copied().unwrap_or(0.0);
            let workers = f64::from(config.servers.get(i).map_or(1, |s| s.workers));
            ServerStats {
                requests: count,
                share: ratio(count as f64, total as f64),
                busy_s,
                utilization: ratio(busy_s, workers * horizon_s),
                mean_response_s: ratio(response_sum.get(i).copied().unwrap_or(0.0), count as f64),
                peak_in_flight: cluster.peak_in_flight.get(i).copied().unwrap_or(0),
            }
        })
        .collect();
    let imbalance_requests = max_over_mean(servers.iter().map(|s| s.requests as f64));
    let imbalance_utilization = max_over_mean(servers.iter().map(|s| s.utilization));
    let mut response_s = cluster.response_s;
    let run = LbRun {
        algorithm,
        requests: total as u64,
        horizon_s,
        servers,
        response: response_stats(&mut response_s),
        imbalance_requests,
        imbalance_utilization,
        load_samples,
    };
    (run, cluster.server_of)
}

fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    }
}

/// Imbalance.
///
/// # Formula
///
/// ```text
/// imbalance = max_i xᵢ / ((1/n) Σ xᵢ)      1 when perfectly even, n when one server takes all
/// ```
/// Source: the peak-to-average load ratio, as in Mitzenmacher (2001).
fn max_over_mean(values: impl Iterator<Item = f64>) -> f64 {
    let (mut max, mut sum, mut n) = (0.0_f64, 0.0, 0.0);
    for v in values {
        max = max.max(v);
        sum += v;
        n += 1.0;
    }
    ratio(max, ratio(sum, n))
}

/// Nearest-rank percentiles by selection (O(n) each), so the samples need not be fully sorted.
fn response_stats(samples: &mut [f64]) -> ResponseStats {
    let n = samples.len();
    if n == 0 {
        return ResponseStats {
            mean_s: 0.0,
            p50_s: 0.0,
            p95_s: 0.0,
            p99_s: 0.0,
            max_s: 0.0,
        };
    }
    let mean_s = samples.iter().sum::<f64>() / n as f64;
    let mut rank = |p: f64| {
        let k = ((p / 100.0 * n as f64).ceil() as usize).clamp(1, n) - 1;
        let (_, value, _) = samples.select_nth_unstable_by(k, f64::total_cmp);
        *value
    };
    // Highest rank first: each selection leaves everything above it in the upper part, which
    // the next (lower) selection does not need to sort.
    let max_s = rank(100.0);
    let p99_s = rank(99.0);
    let p95_s = rank(95.0);
    let p50_s = rank(50.0);
    ResponseStats {
        mean_s,
        p50_s,
        p95_s,
        p99_s,
        max_s,
    }
}

#[cfg(test)]
mod tests;
