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
//! pushing out the pages people keep asking for. Only `200` answers are stored.
//!
//! One entry serves every encoding: it keeps its gzip and brotli forms beside the plain body,
//! each made the first time a client asks for it (pieces compressed around the holes,
//! [`encoded`]); the entry is then stored again with the new form, and weighed with it. A hit
//! in either encoding is joined from those pieces rather than compressed afresh; tower-http's
//! `CompressionLayer` passes a response that already has its `Content-Encoding` through, and
//! compresses everything else as before.

pub mod encoded;
pub mod pages;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use memchr::memmem;
use quick_cache::sync::Cache;

use encoded::{Coding, Compressed};

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
/// response), the body with its holes, and the compressed forms made so far.
///
/// An entry never changes once made, so that its weight in the cache stays what it was when
/// stored (quick_cache requires it). Compressing an entry for an encoding it lacks makes a new
/// entry with that form, sharing the rest, which the cache then stores in place of the old.
#[derive(Debug, Clone)]
pub struct CachedResponse {
    headers: HeaderMap,
    body: Template,
    gzip: Option<Arc<Compressed>>,
    brotli: Option<Arc<Compressed>>,
}

impl CachedResponse {
    /// A stored answer; lengths and framing are dropped from `headers`, since a filled body's
    /// length depends on the value filled in.
    pub fn new(mut headers: HeaderMap, body: Template) -> Self {
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::TRANSFER_ENCODING);
        headers.remove(header::CONTENT_ENCODING);
        Self {
            headers,
            body,
            gzip: None,
            brotli: None,
        }
    }

    /// The `200` answer with `value` in every hole, in `coding` where it applies (uncompressed
    /// otherwise, and should a compressor fail: `CompressionLayer` then compresses it as any
    /// other response). Also the entry to keep: this one, or a copy that adds the compressed
    /// form made now.
    pub fn respond(self: &Arc<Self>, value: &str, coding: Coding) -> (Response, Arc<Self>) {
        let filled_len = self.body.len() + self.body.holes() * value.len();
        if !coding.applies_to(filled_len) {
            return (self.plain(value), self.clone());
        }
        let held = match coding {
            Coding::Identity => None,
            Coding::Gzip => self.gzip.clone(),
            Coding::Brotli => self.brotli.clone(),
        };
        // Two requests that find the form missing at once both make it; the last one stored
        // stays. A miss makes it before its entry is first stored, so this is rare.
        let (kept, compressed) = match held {
            Some(compressed) => (self.clone(), compressed),
            None => match Compressed::new(&self.body, coding) {
                None => return (self.plain(value), self.clone()),
                Some(made) => {
                    let made = Arc::new(made);
                    let mut grown = Self::clone(self);
                    match coding {
                        Coding::Identity => {}
                        Coding::Gzip => grown.gzip = Some(made.clone()),
                        Coding::Brotli => grown.brotli = Some(made.clone()),
                    }
                    (Arc::new(grown), made)
                }
            },
        };
        let (Some(body), Some(content_encoding)) = (
            compressed.join(&self.body, value),
            coding.content_encoding(),
        ) else {
            return (self.plain(value), kept);
        };
        let length = HeaderValue::from(body.len());
        let mut response = self.response(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_ENCODING, content_encoding);
        headers.insert(header::CONTENT_LENGTH, length);
        if !headers
            .get_all(header::VARY)
            .iter()
            .any(|v| v.as_bytes().eq_ignore_ascii_case(b"accept-encoding"))
        {
            headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        (response, kept)
    }

    /// The `200` answer with `value` in every hole, uncompressed.
    fn plain(&self, value: &str) -> Response {
        self.response(Body::from(self.body.fill(value)))
    }

    fn response(&self, body: Body) -> Response {
        let mut response = Response::new(body);
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
        let compressed: usize = [&self.gzip, &self.brotli]
            .into_iter()
            .flatten()
            .map(|form| form.len() + self.body.pieces.len() * 32)
            .sum();
        (OVERHEAD
            + key.len()
            + headers
            + self.body.len()
            + self.body.pieces.len() * 32
            + compressed) as u64
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

    /// The answer of `entry`, found under `key`, with `value` in every hole, in `coding` (what
    /// the request's `Accept-Encoding` prefers, [`Coding::preferred`]). When that encoding's
    /// form is made now, the entry that holds it replaces `entry` under `key` (and is weighed
    /// with it); another key that holds `entry` keeps it, and makes its own when asked.
    pub fn answer(
        &self,
        key: &str,
        entry: &Arc<CachedResponse>,
        value: &str,
        coding: Coding,
    ) -> Response {
        let (response, kept) = entry.respond(value, coding);
        if !Arc::ptr_eq(&kept, entry) {
            self.store.insert(key.to_string(), kept);
        }
        response
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
