//! Binary request fields, which arrive raw (bt-encoded requests) or as text (JSON).

use alloc::vec::Vec;

use session_core::Error as CoreError;

/// A binary request field as it arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary<'a> {
    /// Raw bytes (bt-encoded requests).
    Raw(&'a [u8]),
    /// Standard-alphabet base64, padded or not (JSON requests).
    Base64(&'a str),
    /// Hex of either case (JSON requests, for keys and subaccount tokens).
    Hex(&'a str),
}

impl Binary<'_> {
    /// The decoded bytes.
    pub fn decode(&self) -> Result<Vec<u8>, CoreError> {
        match *self {
            Binary::Raw(b) => Ok(b.to_vec()),
            Binary::Base64(t) => decode_base64(t),
            Binary::Hex(t) => {
                let mut out = alloc::vec![0u8; t.len() / 2];
                session_core::encoding::decode_hex_into(t, &mut out, "hex field")?;
                Ok(out)
            }
        }
    }

    /// The length of the field as given (bytes or characters), for limits checked before
    /// decoding.
    #[must_use]
    pub fn encoded_len(&self) -> usize {
        match *self {
            Binary::Raw(b) => b.len(),
            Binary::Base64(t) | Binary::Hex(t) => t.len(),
        }
    }

    /// Exactly `N` decoded bytes.
    pub fn decode_array<const N: usize>(&self, what: &'static str) -> Result<[u8; N], CoreError> {
        let v = self.decode()?;
        <[u8; N]>::try_from(v.as_slice()).map_err(|_| CoreError::InvalidLength {
            what,
            expected: match N {
                32 => "32 bytes",
                36 => "36 bytes",
                64 => "64 bytes",
                _ => "a fixed length",
            },
            got: v.len(),
        })
    }
}

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Standard-alphabet base64 with optional `=` padding; non-canonical trailing bits rejected.
fn decode_base64(text: &str) -> Result<Vec<u8>, CoreError> {
    let bytes = text.as_bytes();
    let body_len = bytes.iter().rposition(|&c| c != b'=').map_or(0, |p| p + 1);
    let pad = bytes.len() - body_len;
    let (body, _) = bytes.split_at(body_len);
    if pad > 2 || (pad > 0 && !bytes.len().is_multiple_of(4)) || body_len % 4 == 1 {
        return Err(CoreError::InvalidBase64 { position: body_len });
    }
    let mut out = Vec::with_capacity(body_len / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for (position, &c) in body.iter().enumerate() {
        let v = b64_value(c).ok_or(CoreError::InvalidBase64 { position })?;
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if acc != 0 {
        return Err(CoreError::InvalidBase64 {
            position: body_len.saturating_sub(1),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_forms() {
        assert_eq!(Binary::Base64("aGk=").decode().unwrap(), b"hi");
        assert_eq!(Binary::Base64("aGk").decode().unwrap(), b"hi");
        assert_eq!(Binary::Base64("").decode().unwrap(), b"");
        assert!(Binary::Base64("aGl=").decode().is_err());
        assert!(Binary::Base64("a").decode().is_err());
        assert!(Binary::Base64("aGk==").decode().is_err());
        assert_eq!(
            Binary::Base64("aG!k").decode(),
            Err(CoreError::InvalidBase64 { position: 2 })
        );
        assert_eq!(Binary::Hex("0aFF").decode().unwrap(), [10, 255]);
        assert!(Binary::Hex("0aF").decode().is_err());
    }
}
