//! Hex and base64, with precise, position-carrying errors.
//!
//! Hex decoding accepts either case and encoding writes lowercase. Base64 uses the standard
//! alphabet: encoding pads with `=` (as the storage server emits), decoding accepts padded and
//! unpadded text (as the storage server accepts) up to a caller-given size.

use alloc::string::String;
use alloc::vec::Vec;

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
    check_hex_digits(text)?;
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

/// The first character that is not a hex digit, as an error.
fn check_hex_digits(text: &str) -> Result<()> {
    match text
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_hexdigit())
    {
        Some((position, character)) => Err(Error::InvalidHex {
            position,
            character,
        }),
        None => Ok(()),
    }
}

fn hex_len_words(bytes: usize) -> &'static str {
    match bytes {
        32 => "64 hex characters",
        33 => "66 hex characters",
        64 => "128 hex characters",
        _ => "twice the byte length in hex characters",
    }
}

/// Decodes hex of any even length, either case.
///
/// The first non-hex character is reported with its position, before an odd length.
pub fn decode_hex(text: &str) -> Result<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        // A stray character is reported rather than the length.
        check_hex_digits(text)?;
        return Err(Error::InvalidLength {
            what: "hex",
            expected: "an even number of hex characters",
            got: text.chars().count(),
        });
    }
    let mut out = alloc::vec![0u8; text.len() / 2];
    decode_hex_into(text, &mut out, "hex")?;
    Ok(out)
}

/// Appends the lowercase hex of `bytes` to `out` as ASCII bytes.
pub fn push_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len().saturating_mul(2));
    for b in bytes {
        out.extend_from_slice(&hex_pair(*b));
    }
}

/// The two lowercase hex digits of a byte.
#[must_use]
pub fn hex_pair(byte: u8) -> [u8; 2] {
    let digit = |nibble: u8| HEX_DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0');
    [digit(byte >> 4), digit(byte & 0x0f)]
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

/// Writes lowercase hex of `bytes` to a formatter or a `String`, without allocating.
pub fn write_hex<W: core::fmt::Write + ?Sized>(f: &mut W, bytes: &[u8]) -> core::fmt::Result {
    for b in bytes {
        let [hi, lo] = hex_pair(*b);
        f.write_char(char::from(hi))?;
        f.write_char(char::from(lo))?;
    }
    Ok(())
}

/// Standard base64 with `=` padding, as the storage server emits.
#[must_use]
pub fn encode_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard base64, padded or not, into at most `max_len` bytes.
///
/// Longer input is rejected before anything is decoded, so the allocation is bounded by
/// `max_len`. Non-zero unused bits in the last character are accepted, as the storage server
/// accepts them.
pub fn decode_base64(text: &[u8], max_len: usize) -> Result<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    // 4 characters per 3 bytes, rounded up (padding included).
    let max_text = max_len.div_ceil(3).saturating_mul(4);
    if text.len() > max_text {
        return Err(Error::TooLong {
            what: "base64 text (characters)",
            max: max_text,
            got: text.len(),
        });
    }
    let decoded = LENIENT.decode(text).map_err(|e| match e {
        base64::DecodeError::InvalidByte(position, _)
        | base64::DecodeError::InvalidLastSymbol {
            offset: position, ..
        }
        | base64::DecodeError::InvalidLength(position) => Error::InvalidBase64 { position },
        base64::DecodeError::InvalidPadding => Error::InvalidBase64 {
            position: text.len(),
        },
    })?;
    if decoded.len() > max_len {
        return Err(Error::TooLong {
            what: "decoded base64 (bytes)",
            max: max_len,
            got: decoded.len(),
        });
    }
    Ok(decoded)
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

    fn expected_len_words(text: &str, bytes: usize) -> &'static str {
        let mut out = alloc::vec![0u8; bytes];
        match decode_hex_into(text, &mut out, "test") {
            Err(Error::InvalidLength { expected, .. }) => expected,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn length_errors_say_the_expected_length() {
        assert_eq!(expected_len_words("00", 32), "64 hex characters");
        assert_eq!(expected_len_words("00", 33), "66 hex characters");
        assert_eq!(expected_len_words("00", 64), "128 hex characters");
        assert_eq!(
            expected_len_words("00", 4),
            "twice the byte length in hex characters"
        );
        assert_eq!(
            decode_hex_array::<32>("00", "key"),
            Err(Error::InvalidLength {
                what: "key",
                expected: "64 hex characters",
                got: 2
            })
        );
    }

    #[test]
    fn arbitrary_length_hex() {
        assert_eq!(decode_hex(""), Ok(alloc::vec![]));
        assert_eq!(decode_hex("0aF0"), Ok(alloc::vec![0x0a, 0xf0]));
        assert_eq!(
            decode_hex("abc"),
            Err(Error::InvalidLength {
                what: "hex",
                expected: "an even number of hex characters",
                got: 3
            })
        );
        // A bad character is reported before an odd length.
        assert_eq!(
            decode_hex("abz"),
            Err(Error::InvalidHex {
                position: 2,
                character: 'z'
            })
        );
        assert_eq!(
            decode_hex("zb"),
            Err(Error::InvalidHex {
                position: 0,
                character: 'z'
            })
        );
        assert_eq!(hex_pair(0x0f), *b"0f");
        assert_eq!(hex_pair(0xa0), *b"a0");
        let mut out = alloc::vec![b'"'];
        push_hex(&mut out, &[0x01, 0xfe]);
        assert_eq!(out, b"\"01fe");
        let mut text = String::from("x=");
        write_hex(&mut text, &[0xde, 0xad]).unwrap();
        assert_eq!(text, "x=dead");
    }

    #[test]
    fn base64_is_padded_and_bounded() {
        assert_eq!(encode_base64(b"ab"), "YWI=");
        assert_eq!(encode_base64(b""), "");
        assert_eq!(decode_base64(b"YWI=", 2), Ok(b"ab".to_vec()));
        assert_eq!(decode_base64(b"YWI", 2), Ok(b"ab".to_vec()));
        assert_eq!(decode_base64(b"YQ=", 1), Ok(b"a".to_vec()));
        assert_eq!(decode_base64(b"", 0), Ok(alloc::vec![]));
        // Unused low bits are accepted, as the storage server accepts them.
        assert_eq!(decode_base64(b"YWJ=", 2), Ok(b"ab".to_vec()));
        // Exactly `max_len` bytes decode; one more is rejected.
        assert_eq!(decode_base64(b"YWJj", 3), Ok(b"abc".to_vec()));
        assert_eq!(
            decode_base64(b"YWJj", 2),
            Err(Error::TooLong {
                what: "decoded base64 (bytes)",
                max: 2,
                got: 3
            })
        );
        // Text longer than any encoding of `max_len` bytes is rejected before decoding.
        assert_eq!(
            decode_base64(b"YWJjYQ==", 3),
            Err(Error::TooLong {
                what: "base64 text (characters)",
                max: 4,
                got: 8
            })
        );
        assert_eq!(decode_base64(b"YWJjYQ==", 4), Ok(b"abca".to_vec()));
        assert_eq!(
            decode_base64(b"YW!j", 3),
            Err(Error::InvalidBase64 { position: 2 })
        );
        // A lone last character: reported at the end of the text.
        assert_eq!(
            decode_base64(b"YWJjY", 4),
            Err(Error::InvalidBase64 { position: 5 })
        );
        assert_eq!(
            decode_base64(b"YW==YWJj", 6),
            Err(Error::InvalidBase64 { position: 2 })
        );
    }
}
