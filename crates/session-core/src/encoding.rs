//! Text encodings with precise, position-carrying errors.

use alloc::string::String;

use crate::error::{Error, Result};

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes exactly `N` bytes from `2 * N` hex characters of either case.
///
/// `what` names the value in the error when the length is wrong.
pub fn decode_hex_array<const N: usize>(text: &str, what: &'static str) -> Result<[u8; N]> {
    let mut out = [0u8; N];
    decode_hex_into(text, &mut out, what)?;
    Ok(out)
}

/// Decodes `2 * out.len()` hex characters of either case into `out`.
pub fn decode_hex_into(text: &str, out: &mut [u8], what: &'static str) -> Result<()> {
    // Report the first bad character before the length, so "position N" is useful on any input.
    for (position, character) in text.chars().enumerate() {
        if !character.is_ascii_hexdigit() {
            return Err(Error::InvalidHex {
                position,
                character,
            });
        }
    }
    let bytes = text.as_bytes();
    if bytes.len() != out.len().saturating_mul(2) {
        return Err(Error::InvalidLength {
            what,
            expected: hex_len_words(out.len()),
            got: bytes.len(),
        });
    }
    for (dst, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        if let [hi, lo] = *pair
            && let (Some(hi), Some(lo)) = (hex_value(hi), hex_value(lo))
        {
            *dst = (hi << 4) | lo;
        }
    }
    Ok(())
}

fn hex_len_words(bytes: usize) -> &'static str {
    match bytes {
        32 => "64 hex characters",
        33 => "66 hex characters",
        64 => "128 hex characters",
        _ => "twice the byte length in hex characters",
    }
}

/// Lowercase hex of `bytes`.
#[must_use]
pub fn encode_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            if let Some(&d) = HEX_DIGITS.get(usize::from(nibble)) {
                s.push(char::from(d));
            }
        }
    }
    s
}

/// Writes lowercase hex of `bytes` to a formatter, without allocating.
pub fn write_hex(f: &mut core::fmt::Formatter<'_>, bytes: &[u8]) -> core::fmt::Result {
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            if let Some(&d) = HEX_DIGITS.get(usize::from(nibble)) {
                core::fmt::Write::write_char(f, char::from(d))?;
            }
        }
    }
    Ok(())
}

/// Standard-alphabet base64 without padding of exactly 32 bytes (43 characters).
#[must_use]
pub fn encode_base64_32(bytes: &[u8; 32]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

/// Decodes 43 characters of unpadded standard base64 into 32 bytes.
///
/// Non-canonical encodings (non-zero trailing bits) are rejected so that every hash has exactly
/// one text form.
pub fn decode_base64_32(text: &str, what: &'static str) -> Result<[u8; 32]> {
    use base64::Engine as _;
    if text.len() != 43 {
        return Err(Error::InvalidLength {
            what,
            expected: "43 base64 characters",
            got: text.chars().count(),
        });
    }
    // One spare byte: the decoder sizes its check by a rounded-up estimate.
    let mut buf = [0u8; 33];
    match base64::engine::general_purpose::STANDARD_NO_PAD.decode_slice(text, &mut buf) {
        Ok(32) => {
            let mut out = [0u8; 32];
            out.copy_from_slice(buf.get(..32).unwrap_or(&[0; 32]));
            Ok(out)
        }
        Ok(_) => Err(Error::InvalidBase64 { position: 0 }),
        Err(base64::DecodeSliceError::DecodeError(
            base64::DecodeError::InvalidByte(position, _)
            | base64::DecodeError::InvalidLastSymbol {
                offset: position, ..
            },
        )) => Err(Error::InvalidBase64 { position }),
        Err(_) => Err(Error::InvalidBase64 { position: 42 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_errors() {
        let bytes: [u8; 4] = decode_hex_array("DeadBeef", "test").unwrap();
        assert_eq!(bytes, [0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(encode_hex(&bytes), "deadbeef");
        assert_eq!(
            decode_hex_array::<4>("deadbeeg", "test"),
            Err(Error::InvalidHex {
                position: 7,
                character: 'g'
            })
        );
        assert!(matches!(
            decode_hex_array::<4>("dead", "test"),
            Err(Error::InvalidLength { got: 4, .. })
        ));
        assert_eq!(
            decode_hex_array::<1>("é0", "test"),
            Err(Error::InvalidHex {
                position: 0,
                character: 'é'
            })
        );
    }

    #[test]
    fn base64_rejects_non_canonical_tail() {
        let h = [0xffu8; 32];
        let text = encode_base64_32(&h);
        assert_eq!(text.len(), 43);
        assert_eq!(decode_base64_32(&text, "hash"), Ok(h));
        // The last character carries 2 unused bits; setting them must be rejected.
        let mut bad = String::from(&text[..42]);
        bad.push('9');
        assert!(decode_base64_32(&bad, "hash").is_err());
        assert!(decode_base64_32("!!", "hash").is_err());
    }
}
