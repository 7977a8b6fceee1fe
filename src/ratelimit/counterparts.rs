//! The real systems each algorithm stands for, and the user's setting written in their terms.
//!
//! # Mapping
//!
//! ```text
//! Headroom (L per W, bucket size B)   real system
//! token bucket, GCRA                  nginx limit_req rate=L/W burst=B−1 nodelay
//! leaky bucket (a queue)              nginx limit_req rate=L/W burst=B−1 (no nodelay: delays)
//! GCRA                                redis-cell CL.THROTTLE key B−1 L W  (max_burst = B − 1)
//! GCRA                                governor Quota::with_period(W/L).allow_burst(B)
//! token bucket                        golang.org/x/time/rate NewLimiter(L/W, B)
//! fixed window                        Redis INCR + EXPIRE, keyed by ⌊now/W⌋ or from the first request
//! sliding log                         Redis sorted set, ZADD admitted requests or every attempt
//! sliding counter                     Cloudflare's two counters
//! ```
//! Sources, each read for this table: nginx `excess` against `burst × 1000` and `nodelay`
//! (<https://github.com/nginx/nginx/blob/master/src/http/modules/ngx_http_limit_req_module.c>);
//! redis-cell's `limit = max_burst + 1` and τ = T × (max_burst + 1) checked against the new TAT
//! (<https://github.com/brandur/redis-cell/blob/master/src/cell/mod.rs>); governor's
//! `replenish_1_per` = period / n rounded down to whole ns and τ = T × (max_burst − 1)
//! (<https://github.com/boinkor-net/governor/blob/master/governor/src/quota.rs> and `gcra.rs`);
//! golang's `NewLimiter(r Limit, b int)` (<https://github.com/golang/time/blob/master/rate/rate.go>).

use super::{Counting, RateAlgorithm, RateLimitConfig, WindowStart, to_ns};
use serde::Serialize;

/// One real system configured as the user's setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Counterpart {
    /// The Headroom algorithm whose decisions it shares.
    pub algorithm: RateAlgorithm,
    /// The system, e.g. `nginx limit_req`.
    pub system: &'static str,
    /// Its configuration for the user's setting.
    pub config: String,
    /// How the parameters map and where the system behaves differently.
    pub note: String,
    /// Whether the configuration expresses the setting exactly (false when the system cannot
    /// write this rate or window and the nearest one is shown).
    pub exact: bool,
}

/// nginx's `rate=`: whole requests per second or per minute. Returns the text, whether it is
/// exact, and nginx's stored rate in thousandths of a request per second
/// (`ctx->rate = rate * 1000 / scale`, rounded down).
fn nginx_rate(limit: u64, window_s: f64) -> (String, bool, u64) {
    let per_s = limit as f64 / window_s;
    let per_min = per_s * 60.0;
    if per_s.fract() == 0.0 && per_s >= 1.0 {
        (format!("{per_s}r/s"), true, per_s as u64 * 1000)
    } else {
        let whole = per_min.round().max(1.0) as u64;
        (
            format!("{whole}r/m"),
            per_min.fract() == 0.0,
            whole * 1000 / 60,
        )
    }
}

/// `x` as Rust or Go source: whole numbers without a fraction.
fn number(x: f64) -> String {
    format!("{x}")
}

/// The user's setting as each real system's configuration, in [`RateAlgorithm::ALL`] order of
/// the algorithm each matches.
///
/// # Examples
///
/// ```
/// use headroom::ratelimit::{RateLimitConfig, counterparts};
/// let rows = counterparts(&RateLimitConfig::default()); // 100 per minute, bucket 100
/// let nginx = rows.iter().find(|c| c.system == "nginx limit_req, nodelay").unwrap();
/// assert_eq!(nginx.config, "limit_req_zone $binary_remote_addr zone=api:10m rate=100r/m; limit_req zone=api burst=99 nodelay;");
/// ```
pub fn counterparts(cfg: &RateLimitConfig) -> Vec<Counterpart> {
    let (limit, window_s, burst) = (cfg.limit, cfg.window_s, cfg.burst);
    let window = number(window_s);
    let mut rows = Vec::new();

    let (fixed_config, fixed_note) = match cfg.window_start {
        WindowStart::Clock => (
            format!("INCR rl:<key>:<⌊now / {window}⌋>; EXPIRE it {window}; reject above {limit}"),
            "A key per clock window (this page's “aligned to the clock”; redis.io INCR, “Rate limiter 1”). A counter \
             that starts at the first request (redis.io INCR, “Rate limiter 2”; @fastify/rate-limit's Redis store) \
             behaves as “from the first request”."
                .to_string(),
        ),
        WindowStart::FirstRequest => (
            format!("INCR rl:<key>; EXPIRE rl:<key> {window} when the count is 1; reject above {limit}"),
            "The window opens at the first request after the previous one expired (redis.io INCR, “Rate limiter 2”; \
             @fastify/rate-limit's Redis store). Keys per ⌊now / W⌋ behave as “aligned to the clock”."
                .to_string(),
        ),
    };
    rows.push(Counterpart {
        algorithm: RateAlgorithm::FixedWindow,
        system: "Redis counter",
        config: fixed_config,
        note: fixed_note,
        exact: true,
    });

    let counted = match cfg.counting {
        Counting::Admitted => "only admitted requests are added (this page's “admitted requests”)",
        Counting::Attempts => {
            "every attempt is added before counting (this page's “every attempt”): retrying too fast stays locked out"
        }
    };
    rows.push(Counterpart {
        algorithm: RateAlgorithm::SlidingWindowLog,
        system: "Redis sorted set",
        config: format!(
            "ZREMRANGEBYSCORE rl:<key> 0 now−{window}; ZCARD rl:<key>; ZADD rl:<key> now now; reject at {limit}"
        ),
        note: format!("One entry per request; {counted}."),
        exact: true,
    });
    rows.push(Counterpart {
        algorithm: RateAlgorithm::SlidingWindowCounter,
        system: "Cloudflare sliding counter",
        config: format!("previous × (1 − elapsed/{window}) + current < {limit}"),
        note: format!(
            "Two counters per key (J. Desgats, Cloudflare blog, 2017); here {}.",
            match cfg.counting {
                Counting::Admitted => "the counters count admitted requests",
                Counting::Attempts => "the counters count every attempt",
            }
        ),
        exact: true,
    });

    let (rate, rate_exact, milli) = nginx_rate(limit, window_s);
    let nginx_burst = if burst > 1 {
        format!(" burst={}", burst - 1)
    } else {
        String::new()
    };
    let rate_note = if rate_exact {
        if milli as f64 != limit as f64 / window_s * 1000.0 {
            format!(
                " nginx stores {rate} as {milli} thousandths of a request per second, rounded down."
            )
        } else {
            String::new()
        }
    } else {
        format!(" nginx rates are whole requests per second or minute: {rate} is the nearest.")
    };
    rows.push(Counterpart {
        algorithm: RateAlgorithm::TokenBucket,
        system: "nginx limit_req, nodelay",
        config: format!(
            "limit_req_zone $binary_remote_addr zone=api:10m rate={rate}; limit_req zone=api{nginx_burst} nodelay;"
        ),
        note: format!(
            "nginx burst=N is a bucket of N + 1: it admits {burst} at once. Same decisions as the token bucket and GCRA.{rate_note}"
        ),
        exact: rate_exact,
    });
    rows.push(Counterpart {
        algorithm: RateAlgorithm::LeakyBucket,
        system: "nginx limit_req, no nodelay",
        config: format!("limit_req_zone $binary_remote_addr zone=api:10m rate={rate}; limit_req zone=api{nginx_burst};"),
        note: format!(
            "Without nodelay nginx queues the excess and forwards it at the rate, as the leaky bucket does.{rate_note}"
        ),
        exact: rate_exact,
    });

    let whole_seconds = window_s.fract() == 0.0 && window_s >= 1.0;
    rows.push(Counterpart {
        algorithm: RateAlgorithm::Gcra,
        system: "redis-cell",
        config: format!(
            "CL.THROTTLE <key> {} {limit} {}",
            burst - 1,
            if whole_seconds { window.clone() } else { format!("{}", window_s.round().max(1.0)) }
        ),
        note: format!(
            "max_burst = bucket size − 1 = {}; redis-cell reports X-RateLimit-Limit = max_burst + 1 = {burst} and \
             the reset as seconds from now.{}",
            burst - 1,
            if whole_seconds { "" } else { " Its period is whole seconds: the nearest is shown." }
        ),
        exact: whole_seconds,
    });

    let window_ns = to_ns(window_s);
    let per = match window_ns {
        1_000_000_000 => Some("per_second"),
        60_000_000_000 => Some("per_minute"),
        3_600_000_000_000 => Some("per_hour"),
        _ => None,
    };
    let governor = match per {
        Some(per) if burst == limit => format!("Quota::{per}(nonzero!({limit}u32))"),
        Some(per) => {
            format!("Quota::{per}(nonzero!({limit}u32)).allow_burst(nonzero!({burst}u32))")
        }
        None => format!(
            "Quota::with_period(Duration::from_nanos({})).unwrap().allow_burst(nonzero!({burst}u32))",
            window_ns / limit
        ),
    };
    let governor_exact = window_ns.is_multiple_of(limit);
    rows.push(Counterpart {
        algorithm: RateAlgorithm::Gcra,
        system: "governor (Rust)",
        config: governor,
        note: if governor_exact {
            "GCRA on whole nanoseconds, with an exact interval for this setting; max_burst is the bucket size.".to_string()
        } else {
            format!(
                "GCRA in whole nanoseconds; its interval {window}/{limit} s is rounded down to {} ns, so it admits slightly early.",
                window_ns / limit
            )
        },
        exact: governor_exact,
    });

    let go_rate = if window_s == 1.0 {
        format!("{limit}")
    } else {
        format!("rate.Limit({limit}.0 / {window})")
    };
    rows.push(Counterpart {
        algorithm: RateAlgorithm::TokenBucket,
        system: "golang.org/x/time/rate",
        config: format!("rate.NewLimiter({go_rate}, {burst})"),
        note: "A token bucket of b tokens refilled at r per second; it counts tokens in floating point."
            .to_string(),
        exact: true,
    });
    rows.sort_by_key(|c| c.algorithm);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_of(rows: &[Counterpart], system: &str) -> String {
        rows.iter()
            .find(|c| c.system == system)
            .map(|c| c.config.clone())
            .unwrap_or_default()
    }

    #[test]
    fn the_default_page_maps_to_nginx_redis_cell_governor_and_golang() {
        // 100 per 60 s, bucket 100. Each line checked by hand against the source named in the
        // module docs: nginx burst = B − 1, redis-cell max_burst = B − 1, governor's
        // per_minute(n) is n per minute with max_burst n.
        let rows = counterparts(&RateLimitConfig::default());
        assert_eq!(
            config_of(&rows, "nginx limit_req, nodelay"),
            "limit_req_zone $binary_remote_addr zone=api:10m rate=100r/m; limit_req zone=api burst=99 nodelay;"
        );
        assert_eq!(
            config_of(&rows, "nginx limit_req, no nodelay"),
            "limit_req_zone $binary_remote_addr zone=api:10m rate=100r/m; limit_req zone=api burst=99;"
        );
        assert_eq!(
            config_of(&rows, "redis-cell"),
            "CL.THROTTLE <key> 99 100 60"
        );
        assert_eq!(
            config_of(&rows, "governor (Rust)"),
            "Quota::per_minute(nonzero!(100u32))"
        );
        assert_eq!(
            config_of(&rows, "golang.org/x/time/rate"),
            "rate.NewLimiter(rate.Limit(100.0 / 60), 100)"
        );
        // 100r/m is stored as ⌊100 × 1000 / 60⌋ = 1666 thousandths per second.
        let nginx = rows.iter().find(|c| c.system == "nginx limit_req, nodelay");
        assert!(nginx.is_some_and(|c| c.exact && c.note.contains("1666")));
        // Sorted by algorithm: the fixed window's counter first.
        assert_eq!(rows[0].algorithm, RateAlgorithm::FixedWindow);
    }

    #[test]
    fn the_issue_setting_and_awkward_rates() {
        // Issue 20's setting: 5 per second, bucket 5.
        let five = RateLimitConfig {
            limit: 5,
            window_s: 1.0,
            burst: 5,
            ..RateLimitConfig::default()
        };
        let rows = counterparts(&five);
        assert!(
            config_of(&rows, "nginx limit_req, nodelay")
                .contains("rate=5r/s; limit_req zone=api burst=4 nodelay;")
        );
        assert_eq!(config_of(&rows, "redis-cell"), "CL.THROTTLE <key> 4 5 1");
        assert_eq!(
            config_of(&rows, "governor (Rust)"),
            "Quota::per_second(nonzero!(5u32))"
        );
        assert_eq!(
            config_of(&rows, "golang.org/x/time/rate"),
            "rate.NewLimiter(5, 5)"
        );
        // Bucket 1: nginx without burst; 7 per 90 s: no whole r/s or r/m (4.67 r/m → 5r/m),
        // redis-cell fine (whole seconds), governor's interval 90e9 / 7 = 12,857,142,857.14 ns
        // rounded down.
        let odd = RateLimitConfig {
            limit: 7,
            window_s: 90.0,
            burst: 1,
            ..RateLimitConfig::default()
        };
        let rows = counterparts(&odd);
        let nginx = rows
            .iter()
            .find(|c| c.system == "nginx limit_req, nodelay")
            .unwrap();
        assert!(
            nginx
                .config
                .ends_with("rate=5r/m; limit_req zone=api nodelay;"),
            "{}",
            nginx.config
        );
        assert!(!nginx.exact);
        assert_eq!(config_of(&rows, "redis-cell"), "CL.THROTTLE <key> 0 7 90");
        assert_eq!(
            config_of(&rows, "governor (Rust)"),
            "Quota::with_period(Duration::from_nanos(12857142857)).unwrap().allow_burst(nonzero!(1u32))"
        );
    }

    #[test]
    fn the_window_choices_change_the_redis_lines() {
        let first = RateLimitConfig {
            window_start: WindowStart::FirstRequest,
            counting: Counting::Attempts,
            ..RateLimitConfig::default()
        };
        let rows = counterparts(&first);
        assert!(config_of(&rows, "Redis counter").contains("when the count is 1"));
        assert!(
            rows.iter()
                .any(|c| c.system == "Redis sorted set" && c.note.contains("every attempt"))
        );
    }
}
