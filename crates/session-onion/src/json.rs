//! Small JSON helpers: strict object parsing and a compact writer.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};

use crate::FormatError;

/// Parses `bytes` as exactly one JSON object (trailing whitespace allowed, nothing else).
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, FormatError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(FormatError::InvalidJson(String::from("not a JSON object"))),
        Err(e) => Err(FormatError::InvalidJson(format!("{e}"))),
    }
}

/// A required string field.
pub(crate) fn req_str<'a>(
    map: &'a Map<String, Value>,
    field: &'static str,
) -> Result<&'a str, FormatError> {
    match map.get(field) {
        None => Err(FormatError::MissingField(field)),
        Some(v) => v.as_str().ok_or(FormatError::InvalidField {
            field,
            reason: "not a string",
        }),
    }
}

/// An optional string field (present but not a string is an error, as nlohmann's `get`).
pub(crate) fn opt_str<'a>(
    map: &'a Map<String, Value>,
    field: &'static str,
) -> Result<Option<&'a str>, FormatError> {
    match map.get(field) {
        None => Ok(None),
        Some(v) => v.as_str().map(Some).ok_or(FormatError::InvalidField {
            field,
            reason: "not a string",
        }),
    }
}

/// An optional boolean field.
pub(crate) fn opt_bool(
    map: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<bool>, FormatError> {
    match map.get(field) {
        None => Ok(None),
        Some(v) => v.as_bool().map(Some).ok_or(FormatError::InvalidField {
            field,
            reason: "not a boolean",
        }),
    }
}

/// The optional `headers` object of a v4 meta JSON as `(name, value)` pairs, sorted by name;
/// non-string values are rendered as JSON text.
pub(crate) fn headers(meta: &Map<String, Value>) -> Result<Vec<(String, String)>, FormatError> {
    let Some(h) = meta.get("headers") else {
        return Ok(Vec::new());
    };
    let h = h.as_object().ok_or(FormatError::InvalidField {
        field: "headers",
        reason: "not an object",
    })?;
    Ok(h.iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), v)
        })
        .collect())
}

/// A 64-hex-character 32-byte key.
pub(crate) fn hex32(s: &str, field: &'static str) -> Result<[u8; 32], FormatError> {
    let mut out = [0u8; 32];
    if s.len() != 64 {
        return Err(FormatError::InvalidField {
            field,
            reason: "expected 64 hex characters",
        });
    }
    hex::decode_to_slice(s, &mut out).map_err(|_| FormatError::InvalidField {
        field,
        reason: "not hex",
    })?;
    Ok(out)
}

/// Appends `s` as a JSON string literal (quotes included), escaping as serde_json does.
pub(crate) fn push_str(out: &mut impl Sink, s: &str) {
    out.push(b'"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.put(b"\\\""),
            b'\\' => out.put(b"\\\\"),
            b'\n' => out.put(b"\\n"),
            b'\r' => out.put(b"\\r"),
            b'\t' => out.put(b"\\t"),
            0x08 => out.put(b"\\b"),
            0x0c => out.put(b"\\f"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.put(b"\\u00");
                out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
                out.push(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'));
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// Appends the lowercase hex of `bytes` as a JSON string.
pub(crate) fn push_hex(out: &mut impl Sink, bytes: &[u8; 32]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for b in bytes {
        out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
        out.push(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'));
    }
    out.push(b'"');
}

/// Appends a decimal integer.
pub(crate) fn push_u64(out: &mut impl Sink, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.put(buf.get(i..).unwrap_or(&[]));
}

/// Somewhere bytes can be appended: a `Vec`, or a fixed slice being filled in place.
pub(crate) trait Sink {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);
    /// Appends one byte.
    fn push(&mut self, b: u8) {
        self.put(&[b]);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
    fn push(&mut self, b: u8) {
        Vec::push(self, b);
    }
}

/// Counts what a writer would write: how the builder sizes its buffer, from the very writer
/// that later fills it, so that no length formula can drift from its writer.
#[derive(Default)]
pub(crate) struct CountingSink(pub(crate) usize);

impl Sink for CountingSink {
    fn put(&mut self, bytes: &[u8]) {
        self.0 = self.0.saturating_add(bytes.len());
    }
}

/// The number of bytes `write` produces.
pub(crate) fn written_len(write: impl FnOnce(&mut CountingSink)) -> usize {
    let mut counter = CountingSink::default();
    write(&mut counter);
    counter.0
}

/// Fills a pre-sized slice; writes past its end are dropped and flagged.
pub(crate) struct SliceSink<'a> {
    pub(crate) buf: &'a mut [u8],
    pub(crate) pos: usize,
    pub(crate) overflow: bool,
}

impl<'a> SliceSink<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        SliceSink {
            buf,
            pos: 0,
            overflow: false,
        }
    }

    /// True when exactly the whole slice was written.
    pub(crate) fn is_full(&self) -> bool {
        !self.overflow && self.pos == self.buf.len()
    }
}

impl Sink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) {
        match self
            .buf
            .get_mut(self.pos..self.pos.saturating_add(bytes.len()))
        {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.pos += bytes.len();
            }
            None => self.overflow = true,
        }
    }
}
