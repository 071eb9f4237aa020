//! The two bencoded messages of onion requests: v4 server requests/replies
//! (`l<meta json><body>e`) and the inter-node forward message (see
//! [`crate::node::ForwardMessage`]), on session-core's bencode codec.
//!
//! The codec itself is [`session_core::bencode`]; [`Value`], [`MAX_DEPTH`] and [`decode`] are
//! here for code written against earlier versions of this crate.

use alloc::vec::Vec;

use session_core::bencode::{BencodeError, write_bytes};
pub use session_core::bencode::{MAX_DEPTH, Value};

use crate::FormatError;

impl From<BencodeError> for FormatError {
    fn from(e: BencodeError) -> Self {
        FormatError::Bencode {
            offset: e.offset,
            reason: e.rule.as_str(),
        }
    }
}

/// Decodes exactly one bencoded value spanning all of `input`, strictly
/// ([`session_core::bencode::decode`] with this crate's error type).
pub fn decode(input: &[u8]) -> Result<Value<'_>, FormatError> {
    Ok(session_core::bencode::decode(input)?)
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
    write_bytes(&mut out, meta);
    if let Some(body) = body {
        write_bytes(&mut out, body);
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
    use super::*;

    #[test]
    fn codec_errors_keep_their_rule_and_offset() {
        assert_eq!(
            decode(b"li1ei01ee"),
            Err(FormatError::Bencode {
                offset: 4,
                reason: "non-canonical integer"
            })
        );
        assert_eq!(decode(b"i-5e"), Ok(Value::Int(-5)));
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
