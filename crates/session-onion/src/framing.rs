//! The framing of every onion layer: `u32_le(N) ‖ ciphertext[N] ‖ JSON object`.
//!
//! The JSON runs to the end of the buffer and is parsed whole: nothing may follow it (whitespace
//! aside, as with the reference parsers). Inputs above [`OpenOptions::max_size`] (10 MiB by
//! default, the storage server's and libsession's limit) are refused before any work.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};
use session_core::Reader;

use crate::FormatError;

/// Default limit on a request or layer: 10 MiB (`10 * 1024 * 1024`).
pub const DEFAULT_MAX_SIZE: usize = 10 * 1024 * 1024;

/// Options for parsing and opening onion layers.
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
    let n = r.take_u32_le()?;
    let available = r.remaining();
    let len = usize::try_from(n).map_err(|_| FormatError::LengthPrefix {
        declared: n,
        available,
    })?;
    if len > available {
        return Err(FormatError::LengthPrefix {
            declared: n,
            available,
        });
    }
    let ciphertext = r.take(len)?;
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
