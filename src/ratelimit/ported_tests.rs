//! Tests ported from the real systems the algorithms stand for: their inputs and expected
//! outputs, rewritten against Headroom's limiters. Each names the file and test it comes from.
//! All expected decisions and counts are exact (integers); times in seconds are compared with
//! a tolerance of 1 ns, the limiters' resolution.

use super::{Decision, Gcra, LeakyBucket, Limiter, RateAlgorithm, TokenBucket, simulate};
use crate::scenario::Scenario;
use crate::testutil::assert_abs;

/// One nanosecond, the limiters' time resolution, as the tolerance on times in seconds.
const NS: f64 = 1e-9;

/// `A` or `R` per request at `times`, groups separated by a space where the time changes.
fn decisions(limiter: &mut dyn Limiter, times: &[f64]) -> String {
    let mut out = String::new();
    for (i, &t) in times.iter().enumerate() {
        if i > 0 && times[i - 1] != t {
            out.push(' ');
        }
        out.push(if limiter.allow(t).is_allowed() {
            'A'
        } else {
            'R'
        });
    }
    out
}

fn retry_after(decision: Decision) -> f64 {
    match decision {
        Decision::Reject { retry_after_s } => retry_after_s,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// The three meters that must agree (token bucket, leaky bucket, GCRA) for `limit` per
/// `window_s`, bucket `burst`.
fn meters(limit: u64, window_s: f64, burst: u64) -> Vec<(&'static str, Box<dyn Limiter>)> {
    let token: Box<dyn Limiter> = Box::new(TokenBucket::new(burst, limit, window_s).unwrap());
    let leaky: Box<dyn Limiter> = Box::new(LeakyBucket::new(burst, limit, window_s).unwrap());
    let gcra: Box<dyn Limiter> = Box::new(Gcra::new(limit, window_s, burst).unwrap());
    vec![("token", token), ("leaky", leaky), ("gcra", gcra)]
}

#[test]
fn issue_20_a_full_burst_is_admitted_after_a_pause() {
    // Issue 20: limit 5 per second, burst 5, six requests at t = 0 and six at t = 2. governor,
    // redis-cell and the token bucket give `AAAAAR AAAAAR`; floating-point GCRA gave
    // `AAAAAR AAAARR` (its TAT summed 0.2 five times while τ = 4 × 0.2).
    let times = [[0.0; 6], [2.0; 6]].concat();
    for (name, mut limiter) in meters(5, 1.0, 5) {
        assert_eq!(
            decisions(limiter.as_mut(), &times),
            "AAAAAR AAAAAR",
            "{name}"
        );
    }
}

/// Runs the page's simulation for `query` and returns the token bucket's (admitted, largest
/// burst) after checking that the leaky bucket and GCRA made the same decisions.
fn meters_agree_on_page(query: &str) -> (u64, u64) {
    let parsed = Scenario::from_query(query);
    assert_eq!(parsed.errors, vec![], "{query}");
    let s = parsed.scenario;
    let run = simulate(&s.rate_limits(), &s.rate_limit_traffic()).unwrap();
    let by = |a: RateAlgorithm| run.algorithms.iter().find(|r| r.algorithm == a).unwrap();
    // Admitted per chart bucket (the leaky bucket forwards later, so `forwarded` differs).
    let per_bucket =
        |a: RateAlgorithm| -> Vec<u64> { by(a).buckets.iter().map(|b| b.admitted).collect() };
    let token = by(RateAlgorithm::TokenBucket);
    for other in [RateAlgorithm::LeakyBucket, RateAlgorithm::Gcra] {
        assert_eq!(by(other).admitted, token.admitted, "{query}: {other:?}");
        assert_eq!(
            by(other).largest_burst,
            token.largest_burst,
            "{query}: {other:?}"
        );
        assert_eq!(
            per_bucket(other),
            per_bucket(RateAlgorithm::TokenBucket),
            "{query}: {other:?}"
        );
    }
    (token.admitted, token.largest_burst)
}

#[test]
fn issue_20_the_default_page_with_bursts_at_one_instant() {
    // Issue 20: the default page with bursts at once (`rl_pattern=bursts&rl_spread=0`: 100
    // every 60 s from 30 s, limit 100 per minute, bucket 100) had GCRA admit 99 of a burst where
    // the token bucket and the leaky bucket admitted 100. The three meters must make the same
    // decisions, on the 2.5/s background traffic too.
    meters_agree_on_page("rl_pattern=bursts&rl_spread=0");
    // Without background traffic the bucket is full again at every burst (60 s refills 100), so
    // each of the 10 bursts (30 s, 90 s, …, 570 s) gets exactly 100 through: 1,000 in all.
    let (admitted, largest) = meters_agree_on_page("rl_pattern=bursts&rl_spread=0&rl_rate=0");
    assert_eq!((admitted, largest), (1_000, 100));
}

#[test]
fn governor_rejects_too_many() {
    // governor/tests/direct.rs `rejects_too_many`
    // (https://github.com/boinkor-net/governor/blob/master/governor/tests/direct.rs):
    // Quota::per_second(2), checks at 0, 1, 2 ms (ok, ok, limited), then 1 s later at 1002,
    // 1003, 1004 ms (ok, ok, limited). Quota::per_second(n) is n per second with max_burst n.
    let times = [0.0, 0.001, 0.002, 1.002, 1.003, 1.004];
    for (name, mut limiter) in meters(2, 1.0, 2) {
        let got: Vec<bool> = times
            .iter()
            .map(|&t| limiter.allow(t).is_allowed())
            .collect();
        assert_eq!(got, [true, true, false, true, true, false], "{name}");
    }
}

#[test]
fn governor_does_not_allow_one_extra_cell_after_longer_interval() {
    // governor/tests/direct.rs `does_not_allow_one_extra_cell_after_longer_interval`
    // (https://github.com/boinkor-net/governor/blob/master/governor/tests/direct.rs, the
    // reproducer of governor issues 107 and 249): Quota::per_second(5): five ok and one limited,
    // then 2 s later five ok and one limited again.
    let times = [[0.0; 6], [2.0; 6]].concat();
    for (name, mut limiter) in meters(5, 1.0, 5) {
        assert_eq!(
            decisions(limiter.as_mut(), &times),
            "AAAAAR AAAAAR",
            "{name}"
        );
    }
}

#[test]
fn redis_cell_readme_example() {
    // redis-cell README.md, "Response" (https://github.com/brandur/redis-cell#response):
    // `CL.THROTTLE user123 15 30 60` (max_burst 15, 30 per 60 s) answers allowed, limit 16,
    // remaining 15, retry -1 (none), reset 2 s. max_burst 15 is Headroom's bucket of 16.
    let mut gcra = Gcra::new(30, 60.0, 16).unwrap();
    assert!(gcra.allow(0.0).is_allowed());
    let h = gcra.headers(0.0);
    assert_eq!((h.limit, h.remaining, h.retry_after_s), (16, 15, None));
    assert_abs(h.reset_after_s, 2.0, NS);
    // The 16 of the bucket pass; the 17th at the same instant is limited. redis-cell's
    // retry_after = new TAT − τ − now = (32 + 2) − 32 − 0 = 2 s (src/cell/mod.rs).
    for i in 2..=16 {
        assert!(gcra.allow(0.0).is_allowed(), "request {i}");
    }
    assert_abs(retry_after(gcra.allow(0.0)), 2.0, NS);
}

#[test]
fn redis_cell_it_rate_limits() {
    // redis-cell src/cell/mod.rs `it_rate_limits`
    // (https://github.com/brandur/redis-cell/blob/master/src/cell/mod.rs): max_burst 4, 1 per
    // second (Headroom: limit 1 per 1 s, bucket 5). Its cases 1 to 11, the ones with a volume of
    // 1 (0, 12, 13 and 14 take 0, 2, 5 or 6 tokens at once, which Headroom's limiters do not):
    // (seconds after start, allowed, remaining, reset after, retry after).
    let cases: [(f64, bool, u64, f64, Option<f64>); 11] = [
        (0.0, true, 4, 1.0, None),
        (0.0, true, 3, 2.0, None),
        (0.0, true, 2, 3.0, None),
        (0.0, true, 1, 4.0, None),
        (0.0, true, 0, 5.0, None),
        (0.0, false, 0, 5.0, Some(1.0)),
        (3.0, true, 2, 3.0, None),
        (3.1, true, 1, 3.9, None),
        (4.0, true, 1, 4.0, None),
        (8.0, true, 4, 1.0, None),
        (9.5, true, 4, 1.0, None),
    ];
    let mut gcra = Gcra::new(1, 1.0, 5).unwrap();
    for (i, (t, allowed, remaining, reset, retry)) in cases.into_iter().enumerate() {
        let decision = gcra.allow(t);
        assert_eq!(decision.is_allowed(), allowed, "case {}", i + 1);
        if let Some(retry) = retry {
            assert_abs(retry_after(decision), retry, NS);
        }
        // redis-cell reports the state after the request; so do the headers read right after.
        let h = gcra.headers(t);
        assert_eq!(h.remaining, remaining, "case {}", i + 1);
        assert_abs(h.reset_after_s, reset, NS);
    }
}

#[test]
fn golang_limiter_burst_1() {
    // golang.org/x/time rate/rate_test.go `TestLimiterBurst1`
    // (https://github.com/golang/time/blob/master/rate/rate_test.go): NewLimiter(10, 1), times
    // t0, t1 = t0 + 100 ms, t2 = t0 + 200 ms; each step checks TokensAt(t) and then AllowN(t, 1).
    // The step AllowN(t2, 2) (always false: more than the burst) is left out, as Headroom's
    // limiters take one request at a time. TokensAt here is the whole-token `remaining`.
    let steps: [(f64, u64, bool); 8] = [
        (0.0, 1, true),
        (0.0, 0, false),
        (0.0, 0, false),
        (0.1, 1, true),
        (0.1, 0, false),
        (0.1, 0, false),
        (0.2, 1, true),
        (0.2, 0, false),
    ];
    for (name, mut limiter) in meters(10, 1.0, 1) {
        for (i, (t, tokens, ok)) in steps.into_iter().enumerate() {
            assert_eq!(limiter.headers(t).remaining, tokens, "{name} step {i}");
            assert_eq!(limiter.allow(t).is_allowed(), ok, "{name} step {i}");
        }
    }
}

#[test]
fn nginx_limit_req_one_per_second_burst_2() {
    // nginx `limit_req_zone ... rate=1r/s; limit_req ... burst=2 nodelay;` worked through
    // ngx_http_limit_req_lookup in src/http/modules/ngx_http_limit_req_module.c
    // (https://github.com/nginx/nginx/blob/master/src/http/modules/ngx_http_limit_req_module.c):
    // a new key starts at excess 0; then excess = excess − rate × ms / 1000 + 1000 (rate 1000
    // thousandths per second) and the request is refused if excess > burst × 1000 = 2000, in
    // which case neither excess nor the last time is updated. So at t = 0: 0, 1000, 2000 pass,
    // 3000 is refused; at 1 s: 2000 − 1000 + 1000 = 2000 passes, then 3000 refused; at 1.5 s:
    // 2000 − 500 + 1000 = 2500 refused; at 2 s: 2000 − 1000 + 1000 = 2000 passes; at 5 s: the
    // excess drains to 0 and 0, 1000, 2000 pass, 3000 is refused. Headroom: a bucket of
    // burst + 1 = 3 at 1 per second.
    let times = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.5, 2.0, 5.0, 5.0, 5.0, 5.0];
    for (name, mut limiter) in meters(1, 1.0, 3) {
        assert_eq!(
            decisions(limiter.as_mut(), &times),
            "AAAR AR R A AAAR",
            "{name}"
        );
    }
    // Without nodelay nginx delays each admitted request by (excess − delay) × 1000 / rate ms
    // with delay 0 (ngx_http_limit_req_account): 0, 1000 and 2000 ms for the first three at
    // t = 0. The leaky bucket's queueing delays are the same.
    let mut queue = LeakyBucket::new(3, 1, 1.0).unwrap();
    for expected in [0.0, 1.0, 2.0] {
        match queue.allow(0.0) {
            Decision::Allow { delay_s } => assert_abs(delay_s, expected, NS),
            other => panic!("expected an admit, got {other:?}"),
        }
    }
}

#[test]
fn limiters_share_redis_cell_limit_and_reset_convention() {
    // The headers follow the convention in the module docs: X-RateLimit-Reset in seconds from
    // now, as redis-cell's fifth reply (README.md "Response") is. After the README example's
    // first request: Reset 2 (a delta, rounded up), not a Unix time.
    let mut gcra = Gcra::new(30, 60.0, 16).unwrap();
    gcra.allow(0.0);
    let lines = gcra.headers(0.0).header_lines();
    assert_eq!(
        lines,
        vec![
            ("X-RateLimit-Limit".to_string(), "16".to_string()),
            ("X-RateLimit-Remaining".to_string(), "15".to_string()),
            ("X-RateLimit-Reset".to_string(), "2".to_string()),
        ]
    );
}
