//! Who a request comes from, for the limits that count per client: the API's rate limit, the
//! limit on uncached page renders, requests in flight per client, and connections per address;
//! and [`PerClient`], the count the last two keep.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderName;

/// The client's key: the configured header's last address (set by our own proxy), else the peer
/// address. IPv6 clients are keyed by their /64, which one host usually owns whole; an
/// IPv4-mapped IPv6 address is its IPv4 address.
pub fn client_key(request: &Request, client_ip_header: Option<&HeaderName>) -> IpAddr {
    // Only in-process requests (tests) have no peer: they share one key.
    client_addr(request, client_ip_header).map_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED), address_key)
}

/// The client's address as a person reading the log wants it: the configured header's last
/// address, else the peer address; `None` only for in-process requests (tests).
pub fn client_addr(request: &Request, client_ip_header: Option<&HeaderName>) -> Option<IpAddr> {
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
    from_header.or_else(|| {
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
    })
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

/// How many of something each client holds at once (requests in flight, open connections),
/// with a cap; a client is forgotten when it holds none.
#[derive(Debug, Default)]
pub struct PerClient {
    held: Mutex<HashMap<IpAddr, u32>>,
}

impl PerClient {
    /// One more for `client`, unless it already holds `max` (0: no cap, nothing counted). What
    /// was taken is given back when the returned guard drops, however the holder ends.
    pub fn take(self: &Arc<Self>, client: IpAddr, max: u32) -> Option<Held> {
        if max == 0 {
            return Some(Held {
                table: None,
                client,
            });
        }
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let count = held.entry(client).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Held {
            table: Some(self.clone()),
            client,
        })
    }
}

/// One thing held by a client in a [`PerClient`] table.
#[derive(Debug)]
pub struct Held {
    table: Option<Arc<PerClient>>,
    client: IpAddr,
}

impl Drop for Held {
    fn drop(&mut self) {
        let Some(table) = &self.table else {
            return;
        };
        let mut held = table.held.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = held.get_mut(&self.client) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                held.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    #[test]
    fn the_logged_address_is_the_proxy_headers_whole_address_else_the_peer() {
        let header = HeaderName::from_static("x-real-ip");
        let mut request = Request::builder()
            .header("x-real-ip", "2001:db8:1:2:aaaa::1")
            .body(Body::empty())
            .expect("request");
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 9))));
        // The whole address, where the limits key by the /64.
        assert_eq!(
            client_addr(&request, Some(&header)),
            Some("2001:db8:1:2:aaaa::1".parse().expect("ip"))
        );
        assert_eq!(
            client_key(&request, Some(&header)),
            "2001:db8:1:2::".parse::<IpAddr>().expect("ip")
        );
        assert_eq!(
            client_addr(&request, None),
            Some(IpAddr::from([127, 0, 0, 1]))
        );
    }

    #[test]
    fn a_client_holds_at_most_its_cap_and_gets_its_places_back() {
        let table = Arc::new(PerClient::default());
        let a = IpAddr::from([192, 0, 2, 1]);
        let first = table.take(a, 2).expect("first");
        let second = table.take(a, 2).expect("second");
        assert!(table.take(a, 2).is_none());
        assert!(table.take(IpAddr::from([192, 0, 2, 2]), 2).is_some());
        drop(first);
        let third = table.take(a, 2).expect("a place came back");
        drop((second, third));
        assert!(
            table.held.lock().expect("lock").is_empty(),
            "forgotten at zero"
        );
        // No cap: nothing is counted.
        let _free: Vec<Held> = (0..5).filter_map(|_| table.take(a, 0)).collect();
        assert!(table.held.lock().expect("lock").is_empty());
    }
}
