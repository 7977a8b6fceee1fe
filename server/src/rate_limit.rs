//! The API's rate limit, with the chapter's own medicine: a token bucket per client address
//! (governor's GCRA, which is a token bucket measured in time), answering `429` with
//! `Retry-After` once a client's bucket is empty. Pages are not limited.
//!
//! # Formula
//! ```text
//! bucket of B tokens (HEADROOM_API_BURST), refilled at r tokens/s (HEADROOM_API_RATE);
//! a request takes one token, or is refused when the bucket is empty.
//! X-RateLimit-Limit     = B
//! X-RateLimit-Remaining = tokens left after this request
//! X-RateLimit-Reset     = ⌈(B − remaining) / r⌉ s, until the bucket is full again
//! Retry-After           = ⌈time until one token is back⌉ s (on 429 only)
//! Source: the generic cell rate algorithm, ITU-T I.371; governor's documentation.
//! ```

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};

use crate::api::ApiError;
use crate::metrics::Refused;

type Limiter =
    RateLimiter<IpAddr, DashMapStateStore<IpAddr>, DefaultClock, StateInformationMiddleware>;

/// A token bucket per client address.
#[derive(Debug)]
pub struct ApiRateLimiter {
    limiter: Limiter,
    rate_per_second: u32,
    burst: u32,
    client_ip_header: Option<HeaderName>,
}

impl ApiRateLimiter {
    /// A limiter refilling `rate_per_second` tokens into buckets of `burst`; `None` when the
    /// rate is 0 (limiter off).
    pub fn new(
        rate_per_second: u32,
        burst: u32,
        client_ip_header: Option<HeaderName>,
    ) -> Option<Self> {
        let rate = NonZeroU32::new(rate_per_second)?;
        let burst_nz = NonZeroU32::new(burst).unwrap_or(rate);
        let quota = Quota::per_second(rate).allow_burst(burst_nz);
        Some(Self {
            limiter: RateLimiter::dashmap(quota).with_middleware::<StateInformationMiddleware>(),
            rate_per_second,
            burst: burst_nz.get(),
            client_ip_header,
        })
    }

    /// Forgets clients whose bucket is full again, so memory follows the number of recent
    /// clients, not of all clients ever seen. `main` calls it every minute.
    pub fn forget_idle_clients(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// The client's key (see [`crate::client::client_key`]).
    fn client_key(&self, request: &Request) -> IpAddr {
        crate::client::client_key(request, self.client_ip_header.as_ref())
    }

    fn seconds_to_refill(&self, tokens: u32) -> u64 {
        u64::from(tokens).div_ceil(u64::from(self.rate_per_second))
    }
}

/// Middleware on the API: takes a token or answers 429.
pub async fn limit_api(
    State(limiter): State<Option<Arc<ApiRateLimiter>>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(limiter) = limiter else {
        return next.run(request).await;
    };
    let key = limiter.client_key(&request);
    match limiter.limiter.check_key(&key) {
        Ok(state) => {
            let remaining = state.remaining_burst_capacity();
            let mut response = next.run(request).await;
            let reset = limiter.seconds_to_refill(limiter.burst.saturating_sub(remaining));
            set_headers(response.headers_mut(), limiter.burst, remaining, reset);
            response
        }
        Err(not_until) => {
            let wait = not_until.wait_time_from(limiter.limiter.clock().now());
            let retry_after = crate::limits::whole_seconds_at_least_one(wait);
            // Empty now; full again once the other B − 1 tokens are back too.
            let reset = retry_after + limiter.seconds_to_refill(limiter.burst.saturating_sub(1));
            let mut response = ApiError::general(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "more than {} requests in a burst or {} per second from this address; \
                     retry in {retry_after} s",
                    limiter.burst, limiter.rate_per_second
                ),
            )
            .into_response();
            let headers = response.headers_mut();
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            set_headers(headers, limiter.burst, 0, reset);
            Refused::RateLimited("api_rate").mark(response)
        }
    }
}

fn set_headers(headers: &mut HeaderMap, limit: u32, remaining: u32, reset_seconds: u64) {
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    headers.insert("x-ratelimit-reset", HeaderValue::from(reset_seconds));
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    use std::time::Duration;

    fn request_from(peer: &str, forwarded: Option<&str>) -> Request {
        let mut builder = Request::builder().uri("/api/v1/report");
        if let Some(value) = forwarded {
            builder = builder.header("x-forwarded-for", value);
        }
        let mut request = builder.body(Body::empty()).expect("request");
        let peer: SocketAddr = peer.parse().expect("socket address");
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    }

    #[test]
    fn ipv6_clients_share_their_slash_64_and_mapped_ipv4_is_ipv4() {
        let limiter = ApiRateLimiter::new(1, 1, None).expect("on");
        let a = limiter.client_key(&request_from("[2001:db8:1:2:aaaa::1]:5000", None));
        let b = limiter.client_key(&request_from("[2001:db8:1:2:bbbb::9]:5001", None));
        assert_eq!(a, b);
        assert_eq!(a, "2001:db8:1:2::".parse::<IpAddr>().expect("ip"));
        let mapped = limiter.client_key(&request_from("[::ffff:192.0.2.7]:80", None));
        assert_eq!(mapped, "192.0.2.7".parse::<IpAddr>().expect("ip"));
    }

    #[test]
    fn the_proxy_header_is_used_only_when_configured_and_its_last_address_wins() {
        let header = HeaderName::from_static("x-forwarded-for");
        let behind_proxy = ApiRateLimiter::new(1, 1, Some(header)).expect("on");
        let direct = ApiRateLimiter::new(1, 1, None).expect("on");
        let request = request_from("127.0.0.1:9", Some("203.0.113.5, 198.51.100.1"));
        assert_eq!(
            behind_proxy.client_key(&request),
            "198.51.100.1".parse::<IpAddr>().expect("ip")
        );
        assert_eq!(
            direct.client_key(&request),
            "127.0.0.1".parse::<IpAddr>().expect("ip")
        );
        // A header that is not an address falls back to the peer.
        let junk = request_from("127.0.0.1:9", Some("<script>"));
        assert_eq!(
            behind_proxy.client_key(&junk),
            "127.0.0.1".parse::<IpAddr>().expect("ip")
        );
    }

    #[test]
    fn reset_is_the_time_to_refill_the_missing_tokens() {
        // 120 tokens at 60/s: 30 missing take 0.5 s, so 1 s; all 120 take 2 s.
        let limiter = ApiRateLimiter::new(60, 120, None).expect("on");
        assert_eq!(limiter.seconds_to_refill(30), 1);
        assert_eq!(limiter.seconds_to_refill(120), 2);
        assert_eq!(limiter.seconds_to_refill(0), 0);
        assert!(ApiRateLimiter::new(0, 120, None).is_none());
        assert_eq!(
            crate::limits::whole_seconds_at_least_one(Duration::from_millis(10)),
            1
        );
        assert_eq!(
            crate::limits::whole_seconds_at_least_one(Duration::from_millis(2_001)),
            3
        );
    }
}
