//! Who a request comes from, for the limits that count per client: the API's rate limit, the
//! limit on uncached page renders, requests in flight per client, and connections per address.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderName;

/// The client's key: the configured header's last address (set by our own proxy), else the peer
/// address. IPv6 clients are keyed by their /64, which one host usually owns whole; an
/// IPv4-mapped IPv6 address is its IPv4 address.
pub fn client_key(request: &Request, client_ip_header: Option<&HeaderName>) -> IpAddr {
    let from_header = client_ip_header.and_then(|name| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    });
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    // Only in-process requests (tests) have no peer: they share one key.
    from_header
        .or(peer)
        .map_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED), address_key)
}

/// The key of a peer address: IPv4 as it is, IPv6 by its /64.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(prefix))
            }
        },
        ip @ IpAddr::V4(_) => ip,
    }
}
