//! A cached entry's compressed forms, made once per entry and encoding, so that a compressed hit
//! costs about what an uncompressed one does (BENCHMARKS.md, "Compress once").
//!
//! An entry's body is a [`Template`]: pieces around holes that take a value per response (a
//! page's CSP nonce, a report's `generated_at`). Each piece is compressed on its own, once, and a
//! response joins the compressed pieces around its value, which is sent uncompressed. The value
//! is at most a few dozen bytes, so leaving it uncompressed costs a few dozen bytes per hole.
//!
//! - **gzip** (RFC 1952): one member. Each piece is a raw deflate stream (RFC 1951) from a fresh
//!   compressor, ended by a sync flush (an empty stored block, which leaves the stream byte
//!   aligned) instead of a final block; it refers to nothing before its own first byte. A value
//!   is a stored block, and the member ends with an empty final stored block, the CRC-32 of the
//!   whole uncompressed body (computed per response over the pieces and the value; flate2's
//!   `Crc`) and its length. So a response is one ordinary gzip member (not a series of members,
//!   which some decoders stop reading after the first).
//! - **brotli** (RFC 7932): each piece is a *catable* stream of the `brotli` crate (its first
//!   bytes in an uncompressed meta-block, no reference before its start, no static dictionary),
//!   a value is a stream of one uncompressed meta-block, and the `brotli` crate's `BroCatli`
//!   joins them into one stream per response.
//!
//! Why not a policy without a per-response nonce (a `'sha256-…'` hash of the bootstrap script)?
//! Leptos 0.8 writes three inline scripts into a page, not one: the hydration bootstrap, which is
//! constant per build, but also the resources' script (`__RESOLVED_RESOURCES`), which carries the
//! page's data (on `/autoscaling`, a manifest pasted into the query, `hpa_yaml.rs`), and the
//! streaming chunks' script. Hashes of those would have to be taken from each rendered body, and
//! a policy that allows whatever script a body holds would allow a script injected into it too.
//! The nonce keeps the policy independent of the body; the cost of keeping it is this module.
//!
//! Negotiation follows tower-http's `CompressionLayer` (which compresses every other response)
//! exactly, so a hit and a miss of one URL get the same encoding: `gzip`/`x-gzip` and `br` with
//! their q-values, q=0 refuses, an invalid q-value drops its entry, the highest q wins and a tie
//! goes to brotli, then gzip, then identity; bodies under 32 bytes are not compressed.

use std::io::Write as _;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use brotli::concat::{BroCatli, BroCatliResult};
use flate2::Crc;
use flate2::write::DeflateEncoder;

use super::Template;

/// The level of gzip's deflate (flate2's 0-9): made once per entry, so above the level 4 that
/// `CompressionLayer` uses per response.
const GZIP_LEVEL: u32 = 6;

/// Brotli's quality (0-11) and window (log2 bytes); see [`GZIP_LEVEL`].
const BROTLI_QUALITY: i32 = 5;
const BROTLI_WINDOW: i32 = 22;

/// Below this many bytes `CompressionLayer` sends a body as it is (its `DefaultPredicate`).
const MIN_COMPRESSED_LEN: usize = 32;

/// A content coding the cache can answer in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coding {
    /// As it is.
    Identity,
    /// `gzip`.
    Gzip,
    /// `br`.
    Brotli,
}

impl Coding {
    /// The coding a request's `Accept-Encoding` prefers, chosen as tower-http's
    /// `CompressionLayer` chooses (see the module's documentation).
    pub fn preferred(headers: &HeaderMap) -> Self {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|item| {
                let mut parts = item.splitn(2, ';');
                let name = parts.next().unwrap_or_default().trim();
                let coding =
                    if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                        Self::Gzip
                    } else if name.eq_ignore_ascii_case("br") {
                        Self::Brotli
                    } else if name.eq_ignore_ascii_case("identity") {
                        Self::Identity
                    } else {
                        return None;
                    };
                let q = match parts.next() {
                    Some(q) => q_value(q.trim())?,
                    None => 1000,
                };
                Some((coding, q))
            })
            .filter(|&(_, q)| q > 0)
            .max_by_key(|&(coding, q)| (q, coding))
            .map_or(Self::Identity, |(coding, _)| coding)
    }

    /// The `Content-Encoding` of this coding (`None` for identity).
    pub fn content_encoding(self) -> Option<HeaderValue> {
        match self {
            Self::Identity => None,
            Self::Gzip => Some(HeaderValue::from_static("gzip")),
            Self::Brotli => Some(HeaderValue::from_static("br")),
        }
    }

    /// Whether a body of `len` bytes is sent in this coding (tiny bodies go as they are).
    pub fn applies_to(self, len: usize) -> bool {
        self != Self::Identity && len >= MIN_COMPRESSED_LEN
    }
}

/// A q-value (RFC 9110, 12.4.2: `q=` then 0 to 1 with at most three decimals) in thousandths,
/// or `None` when it is not one.
fn q_value(text: &str) -> Option<u16> {
    let rest = text
        .strip_prefix("q=")
        .or_else(|| text.strip_prefix("Q="))?;
    let (whole, fraction) = match rest.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (rest, ""),
    };
    let whole = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = fraction
        .bytes()
        .zip([100, 10, 1])
        .map(|(digit, scale)| u16::from(digit - b'0') * scale)
        .sum::<u16>();
    let value = whole + thousandths;
    (value <= 1000).then_some(value)
}

/// A template's pieces, each compressed on its own once, ready to be joined around a value.
#[derive(Debug)]
pub struct Compressed {
    coding: Coding,
    /// One per piece of the template, in order.
    pieces: Vec<Bytes>,
}

impl Compressed {
    /// The template's pieces compressed for `coding`; `None` for identity, or should a
    /// compressor fail (the response is then compressed as any other, per response).
    pub fn new(template: &Template, coding: Coding) -> Option<Self> {
        let pieces = template
            .pieces
            .iter()
            .map(|piece| match coding {
                Coding::Identity => None,
                Coding::Gzip => deflate_piece(piece),
                Coding::Brotli => brotli_piece(piece),
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self { coding, pieces })
    }

    /// Bytes held.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(Bytes::len).sum()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The compressed body of `template` with `value` in every hole; `None` should the pieces
    /// not join (the response is then compressed as any other).
    pub fn join(&self, template: &Template, value: &str) -> Option<Bytes> {
        if self.pieces.len() != template.pieces.len() {
            return None;
        }
        match self.coding {
            Coding::Identity => None,
            Coding::Gzip => Some(self.join_gzip(template, value.as_bytes())),
            Coding::Brotli => self.join_brotli(value.as_bytes()),
        }
    }

    fn join_gzip(&self, template: &Template, value: &[u8]) -> Bytes {
        /// ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown (RFC 1952, 2.3).
        const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        /// BFINAL=1 BTYPE=00 (stored), LEN=0, NLEN=!0 (RFC 1951, 3.2.4).
        const LAST_EMPTY_BLOCK: [u8; 5] = [1, 0, 0, 0xff, 0xff];
        let holes = self.pieces.len().saturating_sub(1);
        let stored = value.len() + 5 * value.len().div_ceil(usize::from(u16::MAX)).max(1);
        let mut out = Vec::with_capacity(HEADER.len() + self.len() + holes * stored + 13);
        out.extend_from_slice(&HEADER);
        let mut crc = Crc::new();
        for (i, (compressed, piece)) in self.pieces.iter().zip(&template.pieces).enumerate() {
            if i > 0 {
                store_block(&mut out, value);
                crc.update(value);
            }
            out.extend_from_slice(compressed);
            crc.update(piece);
        }
        out.extend_from_slice(&LAST_EMPTY_BLOCK);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&crc.amount().to_le_bytes());
        Bytes::from(out)
    }

    fn join_brotli(&self, value: &[u8]) -> Option<Bytes> {
        let holes = self.pieces.len().saturating_sub(1);
        let value = if value.is_empty() || holes == 0 {
            None
        } else {
            Some(uncompressed_brotli(value)?)
        };
        let capacity = self.len() + holes * value.as_ref().map_or(0, Vec::len) + 16;
        let mut out = vec![0; capacity];
        let mut written = 0;
        // Starts as an empty stream with the pieces' window, so that every stream (a value's
        // too, whose window is smaller) is spliced onto it in the same way.
        let mut joiner = u8::try_from(BROTLI_WINDOW)
            .ok()
            .and_then(|window| BroCatli::try_new_with_window_size(window).ok())?;
        for (i, compressed) in self.pieces.iter().enumerate() {
            if i > 0
                && let Some(value) = &value
            {
                joiner.new_brotli_file();
                join_stream(&mut joiner, value, &mut out, &mut written)?;
            }
            if !compressed.is_empty() {
                joiner.new_brotli_file();
                join_stream(&mut joiner, compressed, &mut out, &mut written)?;
            }
        }
        loop {
            match joiner.finish(&mut out, &mut written) {
                BroCatliResult::Success => break,
                BroCatliResult::NeedsMoreOutput => out.resize(out.len() * 2 + 16, 0),
                _ => return None,
            }
        }
        out.truncate(written);
        Some(Bytes::from(out))
    }
}

/// A piece as raw deflate ended by a sync flush: byte aligned, no final block.
fn deflate_piece(piece: &[u8]) -> Option<Bytes> {
    if piece.is_empty() {
        return Some(Bytes::new());
    }
    let mut encoder = DeflateEncoder::new(
        Vec::with_capacity(piece.len() / 3 + 64),
        flate2::Compression::new(GZIP_LEVEL),
    );
    encoder.write_all(piece).ok()?;
    // `flush` is a sync flush; `finish` would write a final block, which must come only once,
    // at the end of the joined body.
    encoder.flush().ok()?;
    Some(Bytes::from(std::mem::take(encoder.get_mut())))
}

/// A stored deflate block (not final) holding `value`, split at 65,535 bytes.
fn store_block(out: &mut Vec<u8>, value: &[u8]) {
    for chunk in value.chunks(usize::from(u16::MAX)) {
        // A chunk is at most u16::MAX bytes long.
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.push(0); // BFINAL=0, BTYPE=00, then padding to the byte
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

/// A piece as a catable brotli stream (empty pieces are left out of the join).
fn brotli_piece(piece: &[u8]) -> Option<Bytes> {
    if piece.is_empty() {
        return Some(Bytes::new());
    }
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_WINDOW,
        catable: true,
        appendable: true,
        use_dictionary: false,
        size_hint: piece.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(piece.len() / 3 + 64);
    brotli::BrotliCompress(&mut &piece[..], &mut out, &params).ok()?;
    Some(Bytes::from(out))
}

/// A brotli stream of `value` in one uncompressed meta-block (RFC 7932, 9.1 and 9.2): WBITS=16
/// (one 0 bit); ISLAST=0, MNIBBLES=4 (two 0 bits), MLEN-1 in 16 bits, ISUNCOMPRESSED=1, padding to
/// the byte; the bytes; then an empty last meta-block (ISLAST=1, ISLASTEMPTY=1). `None` for an
/// empty value or one over 64 KiB, which one such meta-block cannot hold.
fn uncompressed_brotli(value: &[u8]) -> Option<Vec<u8>> {
    let mlen_minus_one = u32::try_from(value.len().checked_sub(1)?)
        .ok()
        .filter(|&n| n <= 0xffff)?;
    let header = (mlen_minus_one << 4) | (1 << 20);
    let mut out = Vec::with_capacity(value.len() + 4);
    out.extend_from_slice(&header.to_le_bytes()[..3]);
    out.extend_from_slice(value);
    out.push(0b11);
    Some(out)
}

/// Feeds one whole stream to the joiner, growing `out` as needed.
fn join_stream(
    joiner: &mut BroCatli,
    stream: &[u8],
    out: &mut Vec<u8>,
    written: &mut usize,
) -> Option<()> {
    let mut read = 0;
    loop {
        match joiner.stream(stream, &mut read, out, written) {
            // It asks for more only once it has taken all of this stream.
            BroCatliResult::NeedsMoreInput | BroCatliResult::Success => return Some(()),
            BroCatliResult::NeedsMoreOutput => out.resize(out.len() * 2 + 16, 0),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        // One member: the single-member decoder must read the whole body.
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("valid gzip");
        out
    }

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(bytes, 4096)
            .read_to_end(&mut out)
            .expect("valid brotli");
        out
    }

    fn accept(value: &str) -> HeaderMap {
        HeaderMap::from_iter([(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("value"),
        )])
    }

    #[test]
    fn negotiation_is_compression_layers() {
        use Coding::{Brotli, Gzip, Identity};
        for (value, expected) in [
            ("", Identity),
            ("gzip", Gzip),
            ("x-gzip", Gzip),
            ("gzip, br", Brotli),
            ("br, gzip", Brotli),
            ("gzip, deflate, br, zstd", Brotli),
            ("zstd", Identity),
            ("gzip;q=0.5, br", Brotli),
            ("gzip, br;q=0.5", Gzip),
            ("gzip; q=1.0, br; q=0.999", Gzip),
            ("br;q=0", Identity),
            ("gzip;q=0, br;q=0", Identity),
            ("gzip;q=0.000, br;q=0.0", Identity),
            ("br;q=0, gzip", Gzip),
            ("identity, gzip;q=0.5", Identity),
            ("identity;q=0.5, gzip;q=0.5", Gzip),
            ("BR", Brotli),
            ("gzip;Q=0.3, br;q=0.2", Gzip),
            // Invalid q-values drop their entry, as in tower-http.
            ("br;q=2, gzip", Gzip),
            ("br;q=0.1234, gzip;q=0.1", Gzip),
            ("br;q=.5, gzip;q=0.1", Gzip),
            ("br;q=1.001, gzip;q=0.1", Gzip),
            ("br;level=1;q=1, gzip;q=0.1", Gzip),
            ("*", Identity),
        ] {
            assert_eq!(Coding::preferred(&accept(value)), expected, "{value:?}");
        }
        let mut two = accept("gzip;q=0.5");
        two.append(header::ACCEPT_ENCODING, HeaderValue::from_static("br"));
        assert_eq!(Coding::preferred(&two), Brotli);
    }

    #[test]
    fn joined_pieces_decompress_to_the_filled_body() {
        let page = "<html><head><link crossorigin=\"PH\"><script nonce=\"PH\">go()</script>\
                    </head><body>"
            .to_string()
            + &"<p>some text that repeats, and repeats</p>".repeat(2_000)
            + "</body></html>";
        let long = "v".repeat(70_000);
        for body in [
            page.as_str(),
            "PH",
            "PHPH",
            "xPH",
            "PHx",
            "no holes at all, but long enough to compress",
            "",
        ] {
            let template = Template::split(Bytes::from(body.to_string()), "PH");
            for value in ["QGR_yDBrWIeSO05czqg0RQ", "2026-11-30T19:09:45Z", "", &long] {
                let filled = template.fill(value);
                let gzip = Compressed::new(&template, Coding::Gzip).expect("gzip");
                let joined = gzip.join(&template, value).expect("joined");
                assert_eq!(gunzip(&joined), filled, "gzip {body:.20} {value:.20}");
                let br = Compressed::new(&template, Coding::Brotli).expect("br");
                let joined = br.join(&template, value);
                if value.len() > 0x1_0000 && template.holes() > 0 {
                    assert!(joined.is_none(), "a value over 64 KiB is not joined");
                    continue;
                }
                let joined = joined.expect("joined");
                assert_eq!(unbrotli(&joined), filled, "br {body:.20} {value:.20}");
            }
        }
    }

    #[test]
    fn a_compressed_page_is_small() {
        let body = "<p>some text that repeats, and repeats</p>".repeat(1_000);
        let template = Template::split(Bytes::from(body.clone()), "PH");
        for coding in [Coding::Gzip, Coding::Brotli] {
            let joined = Compressed::new(&template, coding)
                .and_then(|c| c.join(&template, "x"))
                .expect("joined");
            assert!(
                joined.len() < body.len() / 20,
                "{coding:?}: {}",
                joined.len()
            );
        }
    }
}
