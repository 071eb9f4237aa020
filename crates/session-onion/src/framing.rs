//! The framing of every onion layer: `u32_le(N) ‖ ciphertext[N] ‖ JSON object`.
//!
//! The JSON runs to the end of the buffer and is parsed whole: nothing may follow it (whitespace
//! aside, as with the reference parsers). Inputs above [`OpenOptions::max_size`] (10 MiB by
//! default, the storage server's and libsession's limit) are refused before any work.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};
use session_core::{LengthPrefix, Reader};

use crate::FormatError;

/// Default limit on a request or layer: 10 MiB (`10 * 1024 * 1024`).
pub const DEFAULT_MAX_SIZE: usize = 10 * 1024 * 1024;

/// Options for parsing and opening onion layers.
///
/// The setters take and return the options by value, and a result left unused is a warning
/// (an error under `deny(unused_must_use)`), so a setting cannot be silently dropped:
///
/// ```compile_fail
/// #![deny(unused_must_use)]
/// let options = session_onion::OpenOptions::default();
/// options.allow_aes_cbc(true); // the changed copy is dropped: refused
/// ```
///
/// ```
/// let options = session_onion::OpenOptions::default().allow_aes_cbc(true);
/// assert!(options.allow_aes_cbc);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenOptions {
    /// Largest accepted input, in bytes (default [`DEFAULT_MAX_SIZE`]).
    pub max_size: usize,
    /// Accept the legacy, unauthenticated AES-CBC cipher (`"aes-cbc"` / `"cbc"`), as the
    /// storage server still does. Off by default; never emitted by this crate's clients.
    pub allow_aes_cbc: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            max_size: DEFAULT_MAX_SIZE,
            allow_aes_cbc: false,
        }
    }
}

impl OpenOptions {
    /// Sets [`OpenOptions::max_size`].
    #[must_use = "options are a value: use the returned options"]
    pub fn max_size(mut self, max_size: usize) -> Self {
        self.max_size = max_size;
        self
    }

    /// Sets [`OpenOptions::allow_aes_cbc`].
    #[must_use = "options are a value: use the returned options"]
    pub fn allow_aes_cbc(mut self, allow: bool) -> Self {
        self.allow_aes_cbc = allow;
        self
    }
}

/// A split layer: the ciphertext (borrowed) and the raw JSON tail (borrowed, not yet parsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawFrame<'a> {
    /// The `N` bytes after the length prefix.
    pub ciphertext: &'a [u8],
    /// Everything after the ciphertext.
    pub json: &'a [u8],
}

/// A layer with its JSON parsed into an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame<'a> {
    /// The `N` bytes after the length prefix.
    pub ciphertext: &'a [u8],
    /// The JSON object that follows.
    pub json: Map<String, Value>,
}

/// Splits `buf` into ciphertext and JSON tail without parsing the JSON.
pub fn split(buf: &[u8], max_size: usize) -> Result<RawFrame<'_>, FormatError> {
    if buf.len() > max_size {
        return Err(FormatError::TooLarge {
            size: buf.len(),
            limit: max_size,
        });
    }
    let mut r = Reader::new(buf);
    // The ciphertext may take everything after its prefix; the JSON tail may be empty here
    // (parsing it is the caller's step).
    let available = buf.len().saturating_sub(4);
    let ciphertext = r
        .read_nested(LengthPrefix::U32Le, available, |ct| {
            Ok::<_, session_core::Error>(ct.take_rest())
        })
        .map_err(|e| match e {
            session_core::Error::LengthTooLarge { length, max, .. } => FormatError::LengthPrefix {
                declared: u32::try_from(length).unwrap_or(u32::MAX),
                available: max,
            },
            other => FormatError::Truncated(other),
        })?;
    Ok(RawFrame {
        ciphertext,
        json: r.take_rest(),
    })
}

/// Splits `buf` and parses its JSON tail as one object.
pub fn decode(buf: &[u8], max_size: usize) -> Result<Frame<'_>, FormatError> {
    let raw = split(buf, max_size)?;
    Ok(Frame {
        ciphertext: raw.ciphertext,
        json: crate::json::parse_object(raw.json)?,
    })
}

/// Size of the encoding of a `ciphertext_len`-byte ciphertext with a `json_len`-byte tail.
#[must_use]
pub const fn encoded_len(ciphertext_len: usize, json_len: usize) -> usize {
    4 + ciphertext_len + json_len
}

/// Appends `u32_le(len) ‖ ciphertext ‖ json` to `out`. Fails if the ciphertext does not fit a
/// `u32` length.
pub fn encode_into(out: &mut Vec<u8>, ciphertext: &[u8], json: &[u8]) -> Result<(), FormatError> {
    let n = u32::try_from(ciphertext.len()).map_err(|_| FormatError::TooLarge {
        size: ciphertext.len(),
        limit: u32::MAX as usize,
    })?;
    out.reserve(encoded_len(ciphertext.len(), json.len()));
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(ciphertext);
    out.extend_from_slice(json);
    Ok(())
}

/// `u32_le(len) ‖ ciphertext ‖ json` in a new buffer.
pub fn encode(ciphertext: &[u8], json: &[u8]) -> Result<Vec<u8>, FormatError> {
    let mut out = Vec::with_capacity(encoded_len(ciphertext.len(), json.len()));
    encode_into(&mut out, ciphertext, json)?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn layer(ct: &[u8], json: &[u8]) -> Vec<u8> {
        encode(ct, json).unwrap()
    }

    #[test]
    fn default_limit_is_ten_mebibytes() {
        assert_eq!(DEFAULT_MAX_SIZE, 10_485_760);
        assert_eq!(OpenOptions::default().max_size, DEFAULT_MAX_SIZE);
        assert!(!OpenOptions::default().allow_aes_cbc);
        let o = OpenOptions::default().max_size(7).allow_aes_cbc(true);
        assert_eq!((o.max_size, o.allow_aes_cbc), (7, true));
    }

    #[test]
    fn size_limit_is_inclusive() {
        let buf = layer(b"abc", b"{}");
        assert_eq!(buf.len(), 9);
        assert_eq!(encoded_len(3, 2), 9);
        // Exactly the limit passes; one byte over fails, naming both numbers.
        let f = split(&buf, 9).unwrap();
        assert_eq!((f.ciphertext, f.json), (&b"abc"[..], &b"{}"[..]));
        assert!(decode(&buf, 9).unwrap().json.is_empty());
        assert_eq!(
            split(&buf, 8),
            Err(FormatError::TooLarge { size: 9, limit: 8 })
        );
        assert_eq!(
            decode(&buf, 8),
            Err(FormatError::TooLarge { size: 9, limit: 8 })
        );
    }

    #[test]
    fn length_prefix_rules() {
        // Declared length = bytes present: all ciphertext, empty tail.
        let mut buf = 3u32.to_le_bytes().to_vec();
        buf.extend_from_slice(b"abc");
        let f = split(&buf, usize::MAX).unwrap();
        assert_eq!((f.ciphertext, f.json), (&b"abc"[..], &b""[..]));
        // One more than present.
        buf[0] = 4;
        assert_eq!(
            split(&buf, usize::MAX),
            Err(FormatError::LengthPrefix {
                declared: 4,
                available: 3
            })
        );
        // A huge prefix on a short buffer.
        let huge = u32::MAX.to_le_bytes();
        assert_eq!(
            split(&huge, usize::MAX),
            Err(FormatError::LengthPrefix {
                declared: u32::MAX,
                available: 0
            })
        );
        // Fewer than four bytes: no prefix at all.
        for short in [&b""[..], b"\x01", b"\x01\x00\x00"] {
            assert!(matches!(
                split(short, usize::MAX),
                Err(FormatError::Truncated(_))
            ));
        }
        // Zero-length ciphertext, little-endian prefix.
        let buf = layer(b"", b"{\"a\":1}");
        assert_eq!(&buf[..4], &[0, 0, 0, 0]);
        let f = decode(&buf, usize::MAX).unwrap();
        assert_eq!((f.ciphertext.len(), f.json["a"].as_u64()), (0, Some(1)));
        let buf = layer(&[7; 258], b"{}");
        assert_eq!(&buf[..4], &[2, 1, 0, 0]);
    }

    #[test]
    fn encode_into_appends() {
        let mut out = b"keep".to_vec();
        encode_into(&mut out, b"ct", b"{}").unwrap();
        assert_eq!(out, b"keep\x02\x00\x00\x00ct{}");
    }
}
