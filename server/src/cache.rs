//! A bounded in-memory cache of rendered responses: server-rendered pages and the GET report.
//!
//! Both are pure functions of their URL except for one value per response: a page's CSP nonce
//! (which must be fresh for every response) and the report's `generated_at`. So the cache renders
//! with a placeholder in that value's place, keeps the body as a [`Template`] cut at every
//! occurrence of the placeholder, and fills the holes with this response's value on the way out.
//! A hit is byte-identical to what rendering afresh would have produced.
//!
//! The placeholder is 128 random bits made once per process, in the nonce's own alphabet
//! (URL-safe base64, which neither HTML attributes nor JSON strings escape). Every response that
//! was rendered with it has it replaced before it leaves, so it is never disclosed, and a client
//! cannot type it into a query to make text of its own look like a hole.
//!
//! Bounds: at most `entries` responses and `bytes` bytes (body, headers and key), both exact.
//! Each entry weighs its size in bytes but just over `bytes / (entries + 1)` at least, so the
//! byte budget also bounds the count; a response bigger than about a quarter of `bytes` is not
//! kept. Eviction is quick_cache's CLOCK-Pro, which resists a scan of one-off URLs
//! pushing out the pages people keep asking for. Only `200` answers are stored; compression
//! stays outside (tower-http, per `Accept-Encoding`), so one entry serves every encoding.

pub mod pages;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use memchr::memmem;
use quick_cache::sync::Cache;

/// How much the cache may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheBounds {
    /// Most responses held at once.
    pub entries: u64,
    /// Most bytes held at once: bodies, headers and keys.
    pub bytes: u64,
}

/// A response body cut at every occurrence of a placeholder: `pieces` has one more element than
/// there are holes.
#[derive(Debug, Clone)]
pub struct Template {
    pieces: Vec<Bytes>,
}

impl Template {
    /// Cuts `body` at every occurrence of `placeholder` (non-overlapping, left to right).
    pub fn split(body: Bytes, placeholder: &str) -> Self {
        let needle = placeholder.as_bytes();
        if needle.is_empty() {
            return Self { pieces: vec![body] };
        }
        let mut pieces = Vec::new();
        let mut start = 0;
        for at in memmem::find_iter(&body, needle) {
            // find_iter reports non-overlapping matches, so `at >= start` always holds.
            pieces.push(body.slice(start..at));
            start = at + needle.len();
        }
        pieces.push(body.slice(start..));
        Self { pieces }
    }

    /// How many holes there are.
    pub fn holes(&self) -> usize {
        self.pieces.len().saturating_sub(1)
    }

    /// Bytes held, holes excluded.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(Bytes::len).sum()
    }

    /// Whether the template holds no bytes and no holes.
    pub fn is_empty(&self) -> bool {
        self.holes() == 0 && self.len() == 0
    }

    /// The body with every hole filled with `value`.
    pub fn fill(&self, value: &str) -> Bytes {
        if let [only] = self.pieces.as_slice() {
            return only.clone();
        }
        let mut body = Vec::with_capacity(self.len() + self.holes() * value.len());
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(value.as_bytes());
            }
            body.extend_from_slice(piece);
        }
        Bytes::from(body)
    }
}

/// A stored `200`: the handler's own headers (the security headers are added outside, per
/// response) and the body with its holes.
#[derive(Debug)]
pub struct CachedResponse {
    headers: HeaderMap,
    body: Template,
}

impl CachedResponse {
    /// A stored answer; lengths and framing are dropped from `headers`, since a filled body's
    /// length depends on the value filled in.
    pub fn new(mut headers: HeaderMap, body: Template) -> Self {
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::TRANSFER_ENCODING);
        Self { headers, body }
    }

    /// The `200` answer with `value` in every hole.
    pub fn respond(&self, value: &str) -> Response {
        let mut response = Response::new(Body::from(self.body.fill(value)));
        *response.status_mut() = StatusCode::OK;
        *response.headers_mut() = self.headers.clone();
        response
    }

    /// The bytes this entry holds, roughly as the allocator sees them.
    fn size(&self, key: &str) -> u64 {
        /// The structs, the header map's table and the cache's own bookkeeping.
        const OVERHEAD: usize = 256;
        let headers: usize = self
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 32)
            .sum();
        (OVERHEAD + key.len() + headers + self.body.len() + self.body.pieces.len() * 32) as u64
    }
}

/// Weighs an entry by its bytes, but at least `floor`, so that the weight capacity also bounds
/// the number of entries.
#[derive(Debug, Clone, Copy)]
struct ByteWeighter {
    floor: u64,
}

impl quick_cache::Weighter<String, Arc<CachedResponse>> for ByteWeighter {
    fn weight(&self, key: &String, value: &Arc<CachedResponse>) -> u64 {
        value.size(key).max(self.floor)
    }
}

/// The cache of rendered responses, shared by the page routes and the report route.
pub struct ResponseCache {
    store: Cache<String, Arc<CachedResponse>, ByteWeighter>,
    placeholder: String,
    bounds: CacheBounds,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseCache")
            .field("bounds", &self.bounds)
            .field("entries", &self.len())
            .field("bytes", &self.bytes())
            .finish_non_exhaustive()
    }
}

impl ResponseCache {
    /// A cache within `bounds`; `None` (no cache) when either bound is zero.
    pub fn new(bounds: CacheBounds) -> Option<Self> {
        if bounds.entries == 0 || bounds.bytes == 0 {
            return None;
        }
        // A few shards, so that two cores rarely wait for each other. quick_cache gives each
        // shard an equal share of the weight, and admits nothing heavier than 97% of a share;
        // with at least two entries' worth of floor per shard, an entry of floor weight fits.
        let shards = match bounds.entries {
            8.. => 4,
            4..8 => 2,
            _ => 1,
        };
        // A multiple of the shard count, so that the shares add up to exactly `capacity`.
        let capacity = bounds.bytes / shards * shards;
        if capacity == 0 {
            return None;
        }
        // More than capacity / (entries + 1): entries + 1 entries never fit, however small.
        let floor = capacity / (bounds.entries + 1) + 1;
        let options = quick_cache::OptionsBuilder::new()
            .shards(shards as usize)
            .estimated_items_capacity(usize::try_from(bounds.entries).unwrap_or(usize::MAX))
            .weight_capacity(capacity)
            .build()
            .ok()?;
        let store = Cache::with_options(
            options,
            ByteWeighter { floor },
            quick_cache::DefaultHashBuilder::default(),
            quick_cache::sync::DefaultLifecycle::default(),
        );
        Some(Self {
            store,
            placeholder: leptos::nonce::Nonce::new().to_string(),
            bounds,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        })
    }

    /// The per-process stand-in for the per-response value.
    pub fn placeholder(&self) -> &str {
        &self.placeholder
    }

    /// The stored answer for `key`, if any.
    pub fn get(&self, key: &str) -> Option<Arc<CachedResponse>> {
        let found = self.store.get(key);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `value` under `key`; an entry too big for the cache is not stored. One value may
    /// be stored under several keys; each counts in full against the bounds.
    pub fn insert(&self, key: String, value: Arc<CachedResponse>) {
        self.store.insert(key, value);
    }

    /// The bounds it was made with.
    pub fn bounds(&self) -> CacheBounds {
        self.bounds
    }

    /// Responses held now.
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.store.is_empty()
    }

    /// Bytes held now, as weighed against [`CacheBounds::bytes`].
    pub fn bytes(&self) -> u64 {
        self.store.weight()
    }

    /// Lookups that found their answer, since start.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Lookups that did not, since start. A report asked by a new spelling of a query already
    /// seen is a miss on the spelling, then a hit on the canonical query.
    pub fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body_len: usize) -> CachedResponse {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, "text/html".parse().expect("value"));
        CachedResponse::new(
            headers,
            Template::split(Bytes::from(vec![b'x'; body_len]), "P"),
        )
    }

    #[test]
    fn a_template_fills_every_hole_and_keeps_the_rest() {
        let template = Template::split(Bytes::from_static(b"<a n=\"PH\">PH</a>PHPH"), "PH");
        assert_eq!(template.holes(), 4);
        assert_eq!(
            &template.fill("nonce")[..],
            b"<a n=\"nonce\">nonce</a>noncenonce"
        );
        let none = Template::split(Bytes::from_static(b"no holes"), "PH");
        assert_eq!(none.holes(), 0);
        assert_eq!(&none.fill("x")[..], b"no holes");
        // Occurrences do not overlap: "PPP" holds one "PP", then a plain "P".
        assert_eq!(
            &Template::split(Bytes::from_static(b"PPP"), "PP").fill("-")[..],
            b"-P"
        );
    }

    #[test]
    fn zero_turns_the_cache_off() {
        assert!(
            ResponseCache::new(CacheBounds {
                entries: 0,
                bytes: 1 << 20
            })
            .is_none()
        );
        assert!(
            ResponseCache::new(CacheBounds {
                entries: 8,
                bytes: 0
            })
            .is_none()
        );
    }

    #[test]
    fn the_entry_bound_holds() {
        for entries in [1, 2, 3, 4, 5, 7, 8, 9, 64, 100] {
            let bounds = CacheBounds {
                entries,
                bytes: 32 << 20,
            };
            let cache = ResponseCache::new(bounds).expect("cache");
            for i in 0..entries * 4 {
                cache.insert(format!("/page?{i}"), Arc::new(entry(1_000)));
                assert!(cache.len() as u64 <= entries, "{} > {entries}", cache.len());
            }
            // Full, not merely bounded: the floor weight leaves room for `entries` small ones.
            assert!(cache.len() as u64 >= entries.div_ceil(2), "{}", cache.len());
            assert!(cache.bytes() <= bounds.bytes);
        }
    }

    #[test]
    fn the_byte_bound_holds_and_oversized_bodies_are_not_kept() {
        let bounds = CacheBounds {
            entries: 1_024,
            bytes: 256 * 1024,
        };
        let cache = ResponseCache::new(bounds).expect("cache");
        for i in 0..200 {
            cache.insert(format!("/page?{i}"), Arc::new(entry(10_000)));
            assert!(cache.bytes() <= bounds.bytes, "{}", cache.bytes());
        }
        // 256 KiB of 10 kB entries: about 25 fit, not 200.
        assert!(cache.len() <= 26, "{}", cache.len());
        assert!(cache.len() >= 10, "{}", cache.len());
        cache.insert("/huge".to_string(), Arc::new(entry(300 * 1024)));
        assert!(cache.get("/huge").is_none());
        assert!(cache.bytes() <= bounds.bytes);
    }
}
