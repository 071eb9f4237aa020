//! Small JSON helpers: strict object parsing and a compact writer.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};
use session_core::Writer;

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
    if s.len() != 64 {
        return Err(FormatError::InvalidField {
            field,
            reason: "expected 64 hex characters",
        });
    }
    session_core::encoding::decode_hex_array(s, field).map_err(|_| FormatError::InvalidField {
        field,
        reason: "not hex",
    })
}

/// Appends `s` as a JSON string literal (quotes included), escaping as serde_json does.
pub(crate) fn push_str(out: &mut (impl Writer + ?Sized), s: &str) {
    out.write_u8(b'"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.write_all(b"\\\""),
            b'\\' => out.write_all(b"\\\\"),
            b'\n' => out.write_all(b"\\n"),
            b'\r' => out.write_all(b"\\r"),
            b'\t' => out.write_all(b"\\t"),
            0x08 => out.write_all(b"\\b"),
            0x0c => out.write_all(b"\\f"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.write_all(b"\\u00");
                out.write_u8(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
                out.write_u8(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'));
            }
            _ => out.write_u8(b),
        }
    }
    out.write_u8(b'"');
}

/// Appends a key as a JSON string of lowercase hex (the codec is session-core's).
pub(crate) fn push_key(out: &mut (impl Writer + ?Sized), key: &[u8; 32]) {
    out.write_u8(b'"');
    for &b in key {
        out.write_all(&session_core::encoding::hex_pair(b));
    }
    out.write_u8(b'"');
}

/// Counts what a writer would write: how the builder sizes its buffer, from the very writer
/// that later fills it, so that no length formula can drift from its writer.
#[derive(Default)]
pub(crate) struct CountingSink(pub(crate) usize);

impl Writer for CountingSink {
    fn write_all(&mut self, bytes: &[u8]) {
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

impl Writer for SliceSink<'_> {
    fn write_all(&mut self, bytes: &[u8]) {
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::*;

    fn written(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_exactly_as_serde_json_does() {
        // Every ASCII character, alone and between others, including all escapes.
        for b in 0u8..0x80 {
            let c = char::from(b);
            let s: String = ['a', c, 'z'].iter().collect();
            let ours = written(|o| push_str(o, &s));
            assert_eq!(ours, serde_json::to_string(&s).unwrap(), "byte {b:#04x}");
            assert_eq!(json_len(|w| push_str(w, &s)), ours.len());
        }
        let s = "héllo \u{7f} \u{2028} ✓";
        assert_eq!(
            written(|o| push_str(o, s)),
            serde_json::to_string(s).unwrap()
        );
    }

    fn json_len(f: impl FnOnce(&mut CountingSink)) -> usize {
        written_len(f)
    }

    #[test]
    fn integers_and_hex() {
        for n in [
            0u64,
            1,
            9,
            10,
            99,
            100,
            12345,
            u64::MAX / 10,
            u64::MAX - 1,
            u64::MAX,
        ] {
            let ours = written(|o| o.write_decimal(n));
            assert_eq!(ours, alloc::format!("{n}"));
            assert_eq!(json_len(|w| w.write_decimal(n)), ours.len());
        }
        let key: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xa5);
        let ours = written(|o| push_key(o, &key));
        assert_eq!(
            ours,
            alloc::format!("\"{}\"", session_core::encoding::encode_hex(&key))
        );
        assert_eq!(hex32(&ours[1..65], "k").unwrap(), key);
    }

    #[test]
    fn sinks() {
        let mut c = CountingSink::default();
        c.write_u8(b'x');
        c.write_all(b"yz");
        assert_eq!(c.0, 3);
        assert_eq!(written_len(|w| w.write_all(b"12345")), 5);

        let mut buf = [0u8; 4];
        let mut s = SliceSink::new(&mut buf);
        s.write_all(b"ab");
        assert!(!s.is_full(), "half written");
        s.write_u8(b'c');
        s.write_all(b"d");
        assert!(s.is_full());
        assert_eq!(s.pos, 4);
        s.write_all(b"e");
        assert!(!s.is_full(), "overflow");
        assert_eq!(buf, *b"abcd");
        // An overflowing write is dropped whole, and remembered even after a fitting one.
        let mut buf = [0u8; 3];
        let mut s = SliceSink::new(&mut buf);
        s.write_all(b"abcd");
        assert_eq!(s.pos, 0);
        s.write_all(b"abc");
        assert!(!s.is_full());
        let mut empty = [0u8; 0];
        assert!(SliceSink::new(&mut empty).is_full());
    }

    #[test]
    fn field_readers() {
        let m = parse_object(br#"{"s":"x","b":true,"n":1,"h":{"b":"2","a":1}} "#).unwrap();
        assert_eq!(req_str(&m, "s"), Ok("x"));
        assert_eq!(req_str(&m, "zz"), Err(FormatError::MissingField("zz")));
        let not_string = |field| FormatError::InvalidField {
            field,
            reason: "not a string",
        };
        assert_eq!(req_str(&m, "n"), Err(not_string("n")));
        assert_eq!(opt_str(&m, "s"), Ok(Some("x")));
        assert_eq!(opt_str(&m, "zz"), Ok(None));
        assert_eq!(opt_str(&m, "b"), Err(not_string("b")));
        assert_eq!(opt_bool(&m, "b"), Ok(Some(true)));
        assert_eq!(opt_bool(&m, "zz"), Ok(None));
        assert_eq!(
            opt_bool(&m, "s"),
            Err(FormatError::InvalidField {
                field: "s",
                reason: "not a boolean"
            })
        );
        let mut hm = Map::new();
        hm.insert("headers".into(), m["h"].clone());
        assert_eq!(
            headers(&hm).unwrap(),
            alloc::vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert_eq!(headers(&Map::new()).unwrap(), Vec::new());
        assert_eq!(
            parse_object(b"[1]"),
            Err(FormatError::InvalidJson("not a JSON object".into()))
        );
        assert!(matches!(
            parse_object(b"{} {}"),
            Err(FormatError::InvalidJson(_))
        ));
    }

    #[test]
    fn hex32_rules() {
        let ok = "ab".repeat(32);
        assert_eq!(hex32(&ok, "k"), Ok([0xab; 32]));
        assert_eq!(hex32(&ok.to_uppercase(), "k"), Ok([0xab; 32]));
        for (bad, reason) in [
            ("ab".repeat(31), "expected 64 hex characters"),
            ("ab".repeat(33), "expected 64 hex characters"),
            (alloc::format!("{}zz", "ab".repeat(31)), "not hex"),
        ] {
            assert_eq!(
                hex32(&bad, "k"),
                Err(FormatError::InvalidField { field: "k", reason })
            );
        }
    }
}
