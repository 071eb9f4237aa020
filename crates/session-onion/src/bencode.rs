//! A small, bounded, never-panicking bencode codec, and the two bencoded messages of onion
//! requests: v4 server requests/replies (`l<meta json><body>e`) and the inter-node forward
//! message (see [`crate::node::ForwardMessage`]).
//!
//! Decoding borrows from the input, limits nesting to [`MAX_DEPTH`], refuses non-canonical
//! integers (`i-0e`, leading zeros), unsorted or duplicate dictionary keys and trailing bytes.

use alloc::vec::Vec;

use session_core::{Readable, Reader};

use crate::FormatError;

/// Deepest nesting of lists/dictionaries the decoder accepts.
pub const MAX_DEPTH: usize = 16;

/// A decoded bencode value borrowing from its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    /// A byte string.
    Bytes(&'a [u8]),
    /// An integer.
    Int(i64),
    /// A list.
    List(Vec<Value<'a>>),
    /// A dictionary, keys in strictly ascending order.
    Dict(Vec<(&'a [u8], Value<'a>)>),
}

impl<'a> Value<'a> {
    /// The byte string, if this is one.
    #[must_use]
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The integer, if this is one.
    #[must_use]
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Looks up `key` in a dictionary.
    #[must_use]
    pub fn get(&self, key: &[u8]) -> Option<&Value<'a>> {
        match self {
            Value::Dict(items) => items.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Decodes exactly one bencoded value spanning all of `input`.
pub fn decode(input: &[u8]) -> Result<Value<'_>, FormatError> {
    let mut r = Reader::new(input);
    let v: Value<'_> = r.extract()?;
    if !r.is_exhausted() {
        return bad(r.offset(), "trailing bytes");
    }
    Ok(v)
}

/// A value at the reader's position (nested values count towards [`MAX_DEPTH`]); on failure
/// the reader does not move.
impl<'a> Readable<'a> for Value<'a> {
    type Error = FormatError;

    fn take_from(r: &mut Reader<'a>) -> Result<Self, FormatError> {
        value(r, 0)
    }
}

fn bad<T>(offset: usize, reason: &'static str) -> Result<T, FormatError> {
    Err(FormatError::Bencode { offset, reason })
}

fn peek(r: &Reader<'_>) -> Option<u8> {
    r.peek(1).ok().and_then(|b| b.first().copied())
}

fn value<'a>(r: &mut Reader<'a>, depth: usize) -> Result<Value<'a>, FormatError> {
    let at = r.offset();
    match peek(r) {
        None => bad(at, "unexpected end"),
        Some(b'i') => int(r).map(Value::Int),
        Some(b'0'..=b'9') => bytes(r).map(Value::Bytes),
        Some(b'l') => {
            if depth >= MAX_DEPTH {
                return bad(at, "nesting too deep");
            }
            r.advance(1)?;
            let mut items = Vec::new();
            loop {
                match peek(r) {
                    Some(b'e') => {
                        r.advance(1)?;
                        return Ok(Value::List(items));
                    }
                    None => return bad(r.offset(), "unterminated list"),
                    Some(_) => items.push(value(r, depth + 1)?),
                }
            }
        }
        Some(b'd') => {
            if depth >= MAX_DEPTH {
                return bad(at, "nesting too deep");
            }
            r.advance(1)?;
            let mut items: Vec<(&'a [u8], Value<'a>)> = Vec::new();
            loop {
                match peek(r) {
                    Some(b'e') => {
                        r.advance(1)?;
                        return Ok(Value::Dict(items));
                    }
                    None => return bad(r.offset(), "unterminated dictionary"),
                    Some(b'0'..=b'9') => {
                        let key_at = r.offset();
                        let key = bytes(r)?;
                        if items.last().is_some_and(|(prev, _)| *prev >= key) {
                            return bad(key_at, "unsorted or duplicate key");
                        }
                        let v = value(r, depth + 1)?;
                        items.push((key, v));
                    }
                    Some(_) => return bad(r.offset(), "dictionary key is not a string"),
                }
            }
        }
        Some(_) => bad(at, "invalid value tag"),
    }
}

/// `i<digits>e`, canonical (no `-0`, no leading zeros), within `i64`.
fn int(r: &mut Reader<'_>) -> Result<i64, FormatError> {
    let at = r.offset();
    r.advance(1)?; // 'i'
    let digits = r
        .take_until(b'e')
        .or_else(|_| bad(r.offset(), "unterminated number"))?;
    let (neg, mag) = match digits.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, digits),
    };
    if mag.is_empty() || !mag.iter().all(u8::is_ascii_digit) {
        return bad(at, "invalid integer");
    }
    if (mag.len() > 1 && mag.first() == Some(&b'0')) || (neg && mag == b"0") {
        return bad(at, "non-canonical integer");
    }
    let mut v: i64 = 0;
    for &d in mag {
        let digit = i64::from(d - b'0');
        v = match v.checked_mul(10).and_then(|v| {
            if neg {
                v.checked_sub(digit)
            } else {
                v.checked_add(digit)
            }
        }) {
            Some(v) => v,
            None => return bad(at, "integer out of range"),
        };
    }
    Ok(v)
}

/// `<len>:<bytes>`, the length canonical and at most 10 digits.
fn bytes<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], FormatError> {
    let at = r.offset();
    let digits = r
        .take_until(b':')
        .or_else(|_| bad(at, "unterminated number"))?;
    if digits.is_empty()
        || digits.len() > 10
        || (digits.len() > 1 && digits.first() == Some(&b'0'))
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return bad(at, "invalid string length");
    }
    // At most 10 digits: fits a u64, and saturates on 32-bit targets (then fails as too long).
    let len = digits
        .iter()
        .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    r.take(len).or_else(|_| bad(at, "string runs past the end"))
}

/// Appends a bencoded byte string.
pub fn encode_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    crate::json::push_u64(out, bytes.len() as u64);
    out.push(b':');
    out.extend_from_slice(bytes);
}

/// Appends a bencoded integer.
pub fn encode_int(out: &mut Vec<u8>, v: i64) {
    out.push(b'i');
    if v < 0 {
        out.push(b'-');
    }
    crate::json::push_u64(out, v.unsigned_abs());
    out.push(b'e');
}

/// Encodes a v4 request or reply: `l<len>:<meta>[<len>:<body>]e`.
///
/// ```
/// let req = session_onion::bencode::encode_v4(br#"{"method":"GET"}"#, None);
/// assert_eq!(req, br#"l16:{"method":"GET"}e"#);
/// ```
#[must_use]
pub fn encode_v4(meta: &[u8], body: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(meta.len() + body.map_or(0, <[u8]>::len) + 26);
    out.push(b'l');
    encode_bytes(&mut out, meta);
    if let Some(body) = body {
        encode_bytes(&mut out, body);
    }
    out.push(b'e');
    out
}

/// Decodes a v4 request or reply into `(meta, body)`: a list of one or two byte strings.
pub fn decode_v4(input: &[u8]) -> Result<(&[u8], Option<&[u8]>), FormatError> {
    let list = match decode(input)? {
        Value::List(items) => items,
        _ => {
            return Err(FormatError::Bencode {
                offset: 0,
                reason: "v4 message is not a list",
            });
        }
    };
    let mut it = list.into_iter();
    let meta = it
        .next()
        .and_then(|v| v.as_bytes())
        .ok_or(FormatError::Bencode {
            offset: 0,
            reason: "v4 message needs a meta string",
        })?;
    let body = match it.next() {
        None => None,
        Some(v) => Some(v.as_bytes().ok_or(FormatError::Bencode {
            offset: 0,
            reason: "v4 body is not a string",
        })?),
    };
    if it.next().is_some() {
        return Err(FormatError::Bencode {
            offset: 0,
            reason: "v4 message has more than two parts",
        });
    }
    Ok((meta, body))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use alloc::string::String;
    use alloc::vec;

    use super::*;

    fn err(input: &[u8]) -> (usize, &'static str) {
        match decode(input) {
            Err(FormatError::Bencode { offset, reason }) => (offset, reason),
            other => panic!("{:?}: {other:?}", core::str::from_utf8(input)),
        }
    }

    #[test]
    fn integers() {
        assert_eq!(decode(b"i0e"), Ok(Value::Int(0)));
        assert_eq!(decode(b"i7e"), Ok(Value::Int(7)));
        assert_eq!(decode(b"i-7e"), Ok(Value::Int(-7)));
        assert_eq!(decode(b"i10e"), Ok(Value::Int(10)));
        assert_eq!(decode(b"i-10e"), Ok(Value::Int(-10)));
        assert_eq!(decode(b"i9223372036854775807e"), Ok(Value::Int(i64::MAX)));
        assert_eq!(decode(b"i-9223372036854775808e"), Ok(Value::Int(i64::MIN)));
        assert_eq!(err(b"i9223372036854775808e"), (0, "integer out of range"));
        assert_eq!(err(b"i-9223372036854775809e"), (0, "integer out of range"));
        assert_eq!(err(b"i-0e"), (0, "non-canonical integer"));
        assert_eq!(err(b"i00e"), (0, "non-canonical integer"));
        assert_eq!(err(b"i05e"), (0, "non-canonical integer"));
        assert_eq!(err(b"ie"), (0, "invalid integer"));
        assert_eq!(err(b"i-e"), (0, "invalid integer"));
        assert_eq!(err(b"i1-e"), (0, "invalid integer"));
        assert_eq!(err(b"i/e"), (0, "invalid integer"));
        assert_eq!(err(b"i:e"), (0, "invalid integer"));
        assert_eq!(err(b"i12"), (1, "unterminated number"));
        // The offset of a nested error is where that value starts.
        assert_eq!(err(b"li1ei01ee"), (4, "non-canonical integer"));

        let enc = |v: i64| {
            let mut out = Vec::new();
            encode_int(&mut out, v);
            out
        };
        assert_eq!(enc(0), b"i0e");
        assert_eq!(enc(5), b"i5e");
        assert_eq!(enc(-5), b"i-5e");
        assert_eq!(enc(-10), b"i-10e");
        assert_eq!(enc(i64::MAX), b"i9223372036854775807e");
        assert_eq!(enc(i64::MIN), b"i-9223372036854775808e");
        for v in [0, 1, -1, 42, -42, i64::MAX, i64::MIN] {
            assert_eq!(decode(&enc(v)), Ok(Value::Int(v)));
        }
    }

    #[test]
    fn strings() {
        assert_eq!(decode(b"0:"), Ok(Value::Bytes(b"")));
        assert_eq!(decode(b"3:abc"), Ok(Value::Bytes(b"abc")));
        assert_eq!(decode(b"10:0123456789"), Ok(Value::Bytes(b"0123456789")));
        assert_eq!(err(b"01:a"), (0, "invalid string length"));
        assert_eq!(err(b"1a:a"), (0, "invalid string length"));
        assert_eq!(err(b"4:abc"), (0, "string runs past the end"));
        // Ten digits are a length (too long for this input); eleven are refused outright.
        assert_eq!(err(b"1000000000:a"), (0, "string runs past the end"));
        assert_eq!(err(b"10000000000:a"), (0, "invalid string length"));
        assert_eq!(err(b"99999999999999999999:a"), (0, "invalid string length"));
        assert_eq!(err(b"3"), (0, "unterminated number"));
        assert_eq!(err(b"l2:ab2:c"), (5, "string runs past the end"));
        let mut out = Vec::new();
        encode_bytes(&mut out, b"");
        encode_bytes(&mut out, b"0123456789");
        assert_eq!(out, b"0:10:0123456789");
    }

    #[test]
    fn structure() {
        assert_eq!(err(b""), (0, "unexpected end"));
        assert_eq!(err(b"x"), (0, "invalid value tag"));
        assert_eq!(err(b"i1ei2e"), (3, "trailing bytes"));
        assert_eq!(err(b"l"), (1, "unterminated list"));
        assert_eq!(err(b"li1e"), (4, "unterminated list"));
        assert_eq!(err(b"d"), (1, "unterminated dictionary"));
        assert_eq!(err(b"d1:ai1e"), (7, "unterminated dictionary"));
        assert_eq!(err(b"d1:a"), (4, "unexpected end"));
        assert_eq!(err(b"di1ei1ee"), (1, "dictionary key is not a string"));
        assert_eq!(err(b"d1:bi1e1:ai2ee"), (7, "unsorted or duplicate key"));
        assert_eq!(err(b"d1:ai1e1:ai2ee"), (7, "unsorted or duplicate key"));
        assert_eq!(decode(b"le"), Ok(Value::List(vec![])));
        assert_eq!(decode(b"de"), Ok(Value::Dict(vec![])));
        let d = decode(b"d1:ai1e2:aa1:x1:bli2eee").unwrap();
        assert_eq!(
            d,
            Value::Dict(vec![
                (&b"a"[..], Value::Int(1)),
                (&b"aa"[..], Value::Bytes(b"x")),
                (&b"b"[..], Value::List(vec![Value::Int(2)])),
            ])
        );
        assert_eq!(d.get(b"a"), Some(&Value::Int(1)));
        assert_eq!(d.get(b"aa").and_then(Value::as_bytes), Some(&b"x"[..]));
        assert_eq!(d.get(b"a").and_then(Value::as_int), Some(1));
        assert_eq!(d.get(b"a").and_then(Value::as_bytes), None);
        assert_eq!(d.get(b"aa").and_then(Value::as_int), None);
        assert_eq!(d.get(b"c"), None);
        assert_eq!(Value::List(vec![]).get(b"a"), None);
    }

    #[test]
    fn depth_limit_counts_lists_and_dictionaries() {
        let nested = |open: &str, close: &str, n: usize| {
            let mut v = open.repeat(n).into_bytes();
            v.extend_from_slice(close.repeat(n).as_bytes());
            v
        };
        // Lists: MAX_DEPTH levels pass, one more fails at its opening byte.
        assert!(decode(&nested("l", "e", MAX_DEPTH)).is_ok());
        assert_eq!(
            err(&nested("l", "e", MAX_DEPTH + 1)),
            (MAX_DEPTH, "nesting too deep")
        );
        // Dictionaries in dictionaries: `d1:k` opens each level.
        let mut ok = nested("d1:k", "e", MAX_DEPTH - 1);
        ok.splice(4 * (MAX_DEPTH - 1)..4 * (MAX_DEPTH - 1), *b"de");
        assert!(decode(&ok).is_ok(), "{}", String::from_utf8_lossy(&ok));
        let mut deep = nested("d1:k", "e", MAX_DEPTH);
        deep.splice(4 * MAX_DEPTH..4 * MAX_DEPTH, *b"de");
        assert_eq!(err(&deep), (4 * MAX_DEPTH, "nesting too deep"));
        assert_eq!(MAX_DEPTH, 16);
    }

    #[test]
    fn v4_messages() {
        assert_eq!(encode_v4(b"{}", None), b"l2:{}e");
        assert_eq!(encode_v4(b"{}", Some(b"")), b"l2:{}0:e");
        assert_eq!(decode_v4(b"l2:{}e"), Ok((&b"{}"[..], None)));
        assert_eq!(decode_v4(b"l2:{}0:e"), Ok((&b"{}"[..], Some(&b""[..]))));
        let reason = |input: &[u8]| match decode_v4(input) {
            Err(FormatError::Bencode { offset: 0, reason }) => reason,
            other => panic!("{other:?}"),
        };
        assert_eq!(reason(b"2:{}"), "v4 message is not a list");
        assert_eq!(reason(b"le"), "v4 message needs a meta string");
        assert_eq!(reason(b"li1ee"), "v4 message needs a meta string");
        assert_eq!(reason(b"l1:ai1ee"), "v4 body is not a string");
        assert_eq!(reason(b"l1:a1:b1:ce"), "v4 message has more than two parts");
    }
}
