//! Binary request fields, which arrive raw (bt-encoded requests) or as text (JSON).

use alloc::vec::Vec;

use session_core::Error as CoreError;
use session_core::encoding::{decode_base64, decode_hex};

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
    /// The decoded bytes, at most `max_len` of them: longer input is refused before it is
    /// decoded, so the allocation is bounded by `max_len`.
    pub fn decode(&self, max_len: usize) -> Result<Vec<u8>, CoreError> {
        let too_long = |got| CoreError::TooLong {
            what: "field (bytes)",
            max: max_len,
            got,
        };
        match *self {
            Binary::Raw(b) if b.len() > max_len => Err(too_long(b.len())),
            Binary::Raw(b) => Ok(b.to_vec()),
            Binary::Base64(t) => decode_base64(t.as_bytes(), max_len),
            Binary::Hex(t) if t.len() / 2 > max_len => Err(too_long(t.len() / 2)),
            Binary::Hex(t) => decode_hex(t),
        }
    }

    /// Exactly `N` decoded bytes.
    pub fn decode_array<const N: usize>(&self, what: &'static str) -> Result<[u8; N], CoreError> {
        let wrong = |got| CoreError::InvalidLength {
            what,
            expected: match N {
                32 => "32 bytes",
                36 => "36 bytes",
                64 => "64 bytes",
                _ => "a fixed length",
            },
            got,
        };
        let v = self.decode(N).map_err(|e| match e {
            CoreError::TooLong { got, .. } => wrong(got),
            other => other,
        })?;
        <[u8; N]>::try_from(v.as_slice()).map_err(|_| wrong(v.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(Binary::Base64("aGk=").decode(10).unwrap(), b"hi");
        assert_eq!(Binary::Base64("aGk").decode(10).unwrap(), b"hi");
        assert_eq!(Binary::Base64("").decode(10).unwrap(), b"");
        assert!(Binary::Base64("a").decode(10).is_err());
        assert_eq!(
            Binary::Base64("aG!k").decode(10),
            Err(CoreError::InvalidBase64 { position: 2 })
        );
        assert!(matches!(
            Binary::Base64("aGVsbG8=").decode(4),
            Err(CoreError::TooLong { .. })
        ));
        assert_eq!(Binary::Hex("0aFF").decode(10).unwrap(), [10, 255]);
        assert!(Binary::Hex("0aF").decode(10).is_err());
        assert!(matches!(
            Binary::Raw(&[0; 5]).decode(4),
            Err(CoreError::TooLong { max: 4, got: 5, .. })
        ));
        assert_eq!(
            Binary::Raw(&[0; 5]).decode_array::<4>("key"),
            Err(CoreError::InvalidLength {
                what: "key",
                expected: "a fixed length",
                got: 5
            })
        );
        assert_eq!(
            Binary::Hex("00ff").decode_array::<2>("key").unwrap(),
            [0, 255]
        );
        // Hex longer than the limit is refused before decoding; exactly the limit is fine.
        assert_eq!(Binary::Hex("a0b1c2").decode(3).unwrap(), [0xa0, 0xb1, 0xc2]);
        assert_eq!(
            Binary::Hex("a0b1c2d3").decode(3),
            Err(CoreError::TooLong {
                what: "field (bytes)",
                max: 3,
                got: 4
            })
        );
        assert_eq!(
            Binary::Hex("a0b1c2d3").decode_array::<3>("key"),
            Err(CoreError::InvalidLength {
                what: "key",
                expected: "a fixed length",
                got: 4
            })
        );
        assert_eq!(Binary::Raw(&[1, 2, 3]).decode(3).unwrap(), [1, 2, 3]);
    }

    #[test]
    fn fixed_lengths_are_named() {
        let short = [0u8; 65];
        let expected = |got: usize, expected| CoreError::InvalidLength {
            what: "k",
            expected,
            got,
        };
        assert_eq!(
            Binary::Raw(&short[..31]).decode_array::<32>("k"),
            Err(expected(31, "32 bytes"))
        );
        assert_eq!(
            Binary::Raw(&short[..33]).decode_array::<32>("k"),
            Err(expected(33, "32 bytes"))
        );
        assert_eq!(
            Binary::Raw(&short[..35]).decode_array::<36>("k"),
            Err(expected(35, "36 bytes"))
        );
        assert_eq!(
            Binary::Raw(&short[..65]).decode_array::<64>("k"),
            Err(expected(65, "64 bytes"))
        );
        assert_eq!(
            Binary::Raw(&short[..64]).decode_array::<64>("k"),
            Ok([0; 64])
        );
    }
}
