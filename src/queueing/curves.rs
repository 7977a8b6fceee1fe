//! What the `/queueing` page shows beside the report's figures: the mean response time against
//! utilization (the "hockey stick") with the chapter's 70% rule marked, the servers needed as
//! arrivals grow (naive against queueing-aware), and the text on why the rule is 70%.

use super::{MmcQueue, QueueTarget, fewest_servers, naive_servers};
use crate::curve::{Curve, Marker, Plot};
use crate::units::{format_count, format_share};

/// Points of the response-time curve: ρ = 0%, 1%, … 99% (100% itself is infinite), so that the
/// table shown without JavaScript reads 0%, 10%, … 70%, … 99%.
pub const CURVE_PERCENTS: u32 = 100;

/// Rates on the servers-needed chart: 2λ/40, 4λ/40, … 2λ.
pub const RATE_STEPS: u32 = 40;

/// The chapter's rule of thumb (section 4): scale out above 70% utilization, in percent.
pub const SCALE_OUT_PERCENT: f64 = 70.0;

/// `1 server`, `10 servers`.
fn servers_text(servers: u32) -> String {
    format!("{servers} server{}", if servers == 1 { "" } else { "s" })
}

/// Mean response time against utilization for `servers` servers of mean service time
/// `mean_service_s` (x: ρ in percent, y: seconds), then the service time alone; markers at the
/// 70% rule and at the current `utilization` (a share) when the queue is `stable` and at most
/// 99% busy, merged into one when they are within 2 points.
///
/// # Formula
/// ```text
/// λ(ρ) = ρ c / s,   W(ρ) = C(c, λ s) / (c/s − λ) + s      ρ = 0, 0.01, … 0.99
/// C: Erlang C (MmcQueue::p_wait); Source: Kleinrock, Queueing Systems Vol. 1, §3.5
/// ```
/// One pool's curve on its own scale: a single server's (100× the service time at 99%) would
/// flatten a pool's; [`knee_text`] compares the two.
pub fn response_time_plot(
    mean_service_s: f64,
    servers: u32,
    utilization: f64,
    stable: bool,
) -> Plot {
    let percents = || (0..CURVE_PERCENTS).map(f64::from);
    let pool = Curve::new(
        servers_text(servers),
        percents()
            .map_while(|percent| {
                let lambda = percent / 100.0 * f64::from(servers) / mean_service_s;
                let queue = MmcQueue::new(lambda, mean_service_s, servers).ok()?;
                Some((percent, queue.mean_response_s()))
            })
            .collect(),
    );
    let service_alone = Curve::new(
        "service time alone",
        percents().map(|p| (p, mean_service_s)).collect(),
    );
    // The current load to a tenth of a percent, as the marker sits.
    let now = (utilization * 1000.0).round() / 10.0;
    let shown_now = stable && now <= 99.0;
    let mut markers = Vec::new();
    if shown_now && (now - SCALE_OUT_PERCENT).abs() < 2.0 {
        markers.push(Marker {
            x: now,
            label: format!("70% rule · now {}", format_share(utilization)),
        });
    } else {
        markers.push(Marker {
            x: SCALE_OUT_PERCENT,
            label: "70% rule".into(),
        });
        if shown_now {
            markers.push(Marker {
                x: now,
                label: format!("now: {}", format_share(utilization)),
            });
        }
    }
    Plot {
        curves: vec![pool, service_alone],
        markers,
    }
}

/// Servers needed at [`RATE_STEPS`] arrival rates up to twice `arrival_rate_per_s`: the naive
/// ⌈λ/μ⌉ and the fewest meeting `target`; a marker at the current rate. A rate past the model's
/// limits (too many servers) ends both curves there rather than break them.
///
/// # Formula
/// ```text
/// λ_k = 2 λ k / 40,  k = 1 … 40;   naive(λ_k) = ⌈λ_k s⌉,   aware(λ_k) = fewest_servers(λ_k, s, target)
/// Source: see naive_servers and fewest_servers
/// ```
pub fn servers_needed_plot(
    arrival_rate_per_s: f64,
    mean_service_s: f64,
    target: QueueTarget,
) -> Plot {
    let points: Vec<(f64, u64, u32)> = (1..=RATE_STEPS)
        .map(|k| arrival_rate_per_s * 2.0 * f64::from(k) / f64::from(RATE_STEPS))
        .map_while(|rate| {
            let naive = naive_servers(rate, mean_service_s).ok()?;
            let aware = fewest_servers(rate, mean_service_s, target).ok()?;
            Some((rate, naive, aware))
        })
        .collect();
    Plot {
        curves: vec![
            Curve::new(
                "naive ⌈λ/μ⌉",
                points.iter().map(|p| (p.0, p.1 as f64)).collect(),
            ),
            Curve::new(
                format!("queueing-aware ({})", target_text(&target)),
                points.iter().map(|p| (p.0, f64::from(p.2))).collect(),
            ),
        ],
        markers: vec![Marker {
            x: arrival_rate_per_s,
            label: format!("now: {}/s", format_count(arrival_rate_per_s)),
        }],
    }
}

/// The target as the page shows it: [`QueueTarget::text`] with the probability of waiting to two
/// decimals (`P(wait) ≤ 12.35%`).
pub fn target_text(target: &QueueTarget) -> String {
    target.text(format_share)
}

/// The offered load behind the utilization: `70 Erlangs of load on 100 servers`.
///
/// # Formula
/// ```text
/// A = λ × s  (Erlangs; see MmcQueue::offered_load_erlangs)
/// ```
pub fn load_note(arrival_rate_per_s: f64, mean_service_s: f64, servers: u32) -> String {
    format!(
        "{} Erlangs of load on {servers} servers",
        format_count(arrival_rate_per_s * mean_service_s)
    )
}

/// Mean response time over service time at utilization `rho` with `servers` servers (the
/// stretch is the same for every service time), or `None` past the model's limits.
fn stretch(servers: u32, rho: f64) -> Option<f64> {
    let service_s = 1.0;
    let lambda = rho * f64::from(servers) / service_s;
    MmcQueue::new(lambda, service_s, servers)
        .ok()
        .map(|q| q.mean_response_s() / service_s)
}

/// Why 70%: the response time over the service time at 50%, 70%, 85% and 95% busy, for these
/// `servers` and, when they are more than one, for a single server.
///
/// # Formula
/// ```text
/// W / s = 1 + C(c, c ρ) / (c (1 − ρ))     (W as in MmcQueue::mean_response_s)
/// ```
pub fn knee_text(servers: u32) -> String {
    let at = |c: u32, rho: f64| {
        stretch(c, rho).map_or("—".into(), |x| format!("{}×", format_count(x)))
    };
    let mut text = format!(
        "Why does the chapter scale out at 70%? With {} a request spends {} its \
         service time in the system at 50% busy, {} at 70%, {} at 85% and {} at 95%: waiting \
         grows slowly, then explodes as utilization nears 100%. That bend is the knee of the \
         curve below; 70% keeps a burst, a slow dependency or a lost server from pushing the \
         fleet over it.",
        servers_text(servers),
        at(servers, 0.5),
        at(servers, 0.7),
        at(servers, 0.85),
        at(servers, 0.95)
    );
    if servers > 1 {
        text.push_str(&format!(
            " A single server reaches the knee sooner ({} at 70%, {} at 95%); a large pool \
             later, which is why big fleets can run hotter.",
            at(1, 0.7),
            at(1, 0.95)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    //! Reference values: M/M/1 and M/M/2 in closed form (Kleinrock, Queueing Systems Vol. 1:
    //! M/M/1 W = s / (1 − ρ), eq. 3.20; M/M/2 W = s / (1 − ρ²), from C = 2ρ² / (1 + ρ) of
    //! §3.5 with c = 2). The 10-server values are Erlang C from the textbook sum
    //! C = (A^c/c! · 1/(1−ρ)) / (Σ_{k<c} A^k/k! + A^c/c! · 1/(1−ρ)) in exact rational arithmetic
    //! (Python `fractions`), independent of the recursion the code uses.
    use super::*;
    use crate::testutil::assert_rel;

    fn y_at(curve: &Curve, x: f64) -> f64 {
        curve.points.iter().find(|p| p.0 == x).unwrap().1
    }

    #[test]
    fn the_hockey_stick_follows_the_closed_forms() {
        // s = 100 ms. M/M/1: W = 0.1 / (1 − ρ): 0.1 s at 0%, 0.2 s at 50%, 1 s at 90%, 10 s at
        // 99%. M/M/2: W = 0.1 / (1 − ρ²): 0.1 / 0.51 s at 70%. Tolerance 1e-12 relative (the
        // code's Erlang B recursion rounds a few ulps).
        let one = response_time_plot(0.1, 1, 0.5, true);
        let curve = &one.curves[0];
        assert_eq!(curve.name, "1 server");
        assert_eq!(curve.points.len(), 100);
        assert_eq!(curve.points.last().unwrap().0, 99.0);
        for (percent, want) in [(0.0, 0.1), (50.0, 0.2), (90.0, 1.0), (99.0, 10.0)] {
            assert_rel(y_at(curve, percent), want, 1e-10);
        }
        assert!(curve.points.windows(2).all(|w| w[1].1 > w[0].1));
        let two = response_time_plot(0.1, 2, 0.5, true);
        assert_eq!(two.curves[0].name, "2 servers");
        assert_rel(y_at(&two.curves[0], 70.0), 0.1 / (1.0 - 0.49), 1e-12);
        // The service time alone is flat at s.
        assert_eq!(one.curves[1].name, "service time alone");
        assert!(one.curves[1].points.iter().all(|p| p.1 == 0.1));
    }

    #[test]
    fn ten_servers_at_70_percent_match_the_textbook_sum() {
        // c = 10, ρ = 0.7, s = 10 ms (the page's default): W / s = 1.0739104052946051 from the
        // exact sum; tolerance 1e-12 relative.
        let plot = response_time_plot(0.01, 10, 0.7, true);
        assert_rel(
            y_at(&plot.curves[0], 70.0),
            0.01 * 1.073_910_405_294_605_1,
            1e-12,
        );
    }

    #[test]
    fn markers_merge_near_the_rule_and_hide_past_99_percent() {
        let labels = |utilization: f64, stable: bool| -> Vec<(f64, String)> {
            response_time_plot(0.01, 10, utilization, stable)
                .markers
                .into_iter()
                .map(|m| (m.x, m.label))
                .collect()
        };
        assert_eq!(
            labels(0.7, true),
            [(70.0, "70% rule · now 70%".to_string())]
        );
        assert_eq!(
            labels(0.5, true),
            [
                (70.0, "70% rule".to_string()),
                (50.0, "now: 50%".to_string())
            ]
        );
        assert_eq!(labels(0.995, true), [(70.0, "70% rule".to_string())]);
        assert_eq!(labels(0.5, false), [(70.0, "70% rule".to_string())]);
    }

    #[test]
    fn servers_needed_puts_naive_next_to_queueing_aware() {
        // λ = 50/s, s = 100 ms, p95 wait ≤ 50 ms: the last rate is 2λ = 100/s, where 10 servers
        // would be 100% busy (naive ⌈100 × 0.1⌉ = 10) and the target needs 14 (the doctest of
        // `fewest_servers`). The first rate is 2.5/s: naive ⌈0.25⌉ = 1.
        let target = QueueTarget::WaitPercentile {
            q: 0.95,
            max_wait_s: 0.050,
        };
        let plot = servers_needed_plot(50.0, 0.1, target);
        let [naive, aware] = &plot.curves[..] else {
            panic!("two curves")
        };
        assert_eq!(naive.name, "naive ⌈λ/μ⌉");
        assert_eq!(aware.name, "queueing-aware (p95 wait ≤ 50 ms)");
        assert_eq!(naive.points.len(), 40);
        assert_eq!(naive.points[0], (2.5, 1.0));
        assert_eq!(*naive.points.last().unwrap(), (100.0, 10.0));
        assert_eq!(*aware.points.last().unwrap(), (100.0, 14.0));
        assert!(
            naive
                .points
                .iter()
                .zip(&aware.points)
                .all(|(n, a)| a.1 >= n.1)
        );
        assert_eq!(plot.markers[0].x, 50.0);
        assert_eq!(plot.markers[0].label, "now: 50/s");
    }

    #[test]
    fn the_target_reads_to_two_decimals_on_the_page() {
        let p = QueueTarget::MaxProbabilityOfWaiting {
            max_p_wait: 0.123_45,
        };
        assert_eq!(target_text(&p), "P(wait) ≤ 12.35%");
        assert_eq!(p.to_string(), "P(wait) ≤ 12.345%");
        let mean = QueueTarget::MaxMeanWait { max_wait_s: 0.005 };
        assert_eq!(target_text(&mean), mean.to_string());
    }

    #[test]
    fn knee_text_quotes_the_closed_forms_and_the_textbook_sum() {
        // One server: W/s = 1/(1 − ρ) = 2, 3.33, 6.67, 20 at 50, 70, 85, 95%.
        let one = knee_text(1);
        assert!(one.contains("With 1 server a request spends 2× its service time"));
        assert!(one.contains("3.33× at 70%, 6.67× at 85% and 20× at 95%"));
        assert!(!one.contains("A single server"));
        // Two servers: W/s = 1/(1 − ρ²) = 1.33, 1.96 (100/51), 3.6 (400/111), 10.26 (400/39).
        let two = knee_text(2);
        assert!(two.contains("With 2 servers a request spends 1.33× its service time"));
        assert!(two.contains("1.96× at 70%, 3.6× at 85% and 10.26× at 95%"));
        assert!(two.contains("A single server reaches the knee sooner (3.33× at 70%, 20× at 95%)"));
        // Ten servers, exact sum: 1.00722, 1.07391, 1.35324, 2.65117.
        let ten = knee_text(10);
        assert!(ten.contains("1.01× its service time in the system at 50% busy, 1.07× at 70%, 1.35× at 85% and 2.65× at 95%"));
    }

    #[test]
    fn load_note_multiplies_rate_by_service_time() {
        assert_eq!(
            load_note(700.0, 0.01, 10),
            "7 Erlangs of load on 10 servers"
        );
    }
}
