//! The one error type of `session-core`.

/// Everything that can go wrong in `session-core`.
///
/// Parsing errors say which rule failed and where; cryptographic failures stay opaque.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input ended early: `needed` bytes were wanted at `offset`, only `available` remain.
    #[error("truncated input: needed {needed} bytes at offset {offset}, {available} available")]
    Truncated {
        /// Offset at which the read was attempted.
        offset: usize,
        /// Bytes the read wanted.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// Bytes were left over after a complete message.
    #[error("{count} unexpected trailing bytes at offset {offset}")]
    TrailingBytes {
        /// Offset of the first unread byte.
        offset: usize,
        /// How many bytes were left.
        count: usize,
    },
    /// A terminator byte was expected but the input ended first.
    #[error("missing terminator 0x{terminator:02x} after offset {offset}")]
    MissingTerminator {
        /// Offset at which the search started.
        offset: usize,
        /// The byte that was looked for.
        terminator: u8,
    },
    /// A length prefix announced more than the caller's maximum.
    #[error(
        "length prefix at offset {offset} announces {length} bytes, more than the maximum {max}"
    )]
    LengthTooLarge {
        /// Offset of the length prefix.
        offset: usize,
        /// The announced length.
        length: u64,
        /// The maximum the caller allows.
        max: usize,
    },
    /// A length-prefixed field was not read to its end.
    #[error("{count} unread bytes at offset {offset} inside a length-prefixed field")]
    NestedNotConsumed {
        /// Offset of the first unread byte.
        offset: usize,
        /// How many bytes of the field were left.
        count: usize,
    },
    /// A varint longer than 10 bytes or with a value above `u64::MAX`.
    #[error("varint at offset {offset} does not fit in 64 bits")]
    VarintOverflow {
        /// Offset of the varint's first byte.
        offset: usize,
    },
    /// A varint with a redundant trailing zero group (e.g. `80 00` for 0), which CryptoNote
    /// rejects so that every value has one encoding.
    #[error("varint at offset {offset} is not in its shortest form")]
    NonCanonicalVarint {
        /// Offset of the varint's first byte.
        offset: usize,
    },
    /// A value that parsed but broke a rule of its type.
    #[error("invalid {what} at offset {offset}")]
    InvalidValue {
        /// Offset of the value.
        offset: usize,
        /// What was expected (e.g. "boolean byte (0 or 1)").
        what: &'static str,
    },
    /// An input longer than the caller's bound.
    #[error("{what}: at most {max} allowed, got {got}")]
    TooLong {
        /// What was being decoded, and in which unit.
        what: &'static str,
        /// The bound.
        max: usize,
        /// The length that was given.
        got: usize,
    },
    /// A text or byte value had the wrong length.
    #[error("{what}: expected {expected}, got {got}")]
    InvalidLength {
        /// What was being parsed, and in which unit (e.g. "session id (hex characters)").
        what: &'static str,
        /// The accepted length(s), in words.
        expected: &'static str,
        /// The length that was given.
        got: usize,
    },
    /// A character that is not a hexadecimal digit.
    #[error("non-hex character {character:?} at position {position}")]
    InvalidHex {
        /// Zero-based character position.
        position: usize,
        /// The offending character.
        character: char,
    },
    /// A character that is not in the unpadded standard base64 alphabet (or non-zero trailing bits).
    #[error("invalid base64 at position {position}")]
    InvalidBase64 {
        /// Zero-based character position of the problem.
        position: usize,
    },
    /// A Session ID prefix byte that is not one of 00, 03, 05, 15, 25.
    #[error("unknown session id prefix 0x{0:02x}")]
    UnknownPrefix(u8),
    /// A 64-hex-character account key without a prefix, which only test networks accept.
    #[error("account key without a network prefix is only accepted off mainnet")]
    MissingPrefix,
    /// An Ed25519 public key that is not a valid point, has small order, or lies outside the
    /// prime-order subgroup (libsodium's `crypto_sign_ed25519_pk_to_curve25519` rules).
    #[error("invalid Ed25519 public key")]
    InvalidEd25519Key,
    /// A seed of a length other than 16 (Session) or 32 (Ed25519) bytes.
    #[error("seed must be 16 or 32 bytes, got {0}")]
    InvalidSeedLength(usize),
    /// An X25519 key agreement produced all zeros: the peer's public key has small order.
    #[error("X25519 peer key has small order")]
    NonContributoryKey,
    /// A text value that names no known variant (network name, ...).
    #[error("unknown {what}")]
    UnknownName {
        /// What kind of name was expected.
        what: &'static str,
    },
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::*;
    use crate::bencode::{BencodeError, Rule};
    use crate::testing::check_error_chain;

    /// One value of every variant (the match fails to compile when a variant is added).
    fn every_error() -> Vec<Error> {
        let all = alloc::vec![
            Error::Truncated {
                offset: 1,
                needed: 2,
                available: 1
            },
            Error::TrailingBytes {
                offset: 3,
                count: 1
            },
            Error::MissingTerminator {
                offset: 0,
                terminator: b':'
            },
            Error::LengthTooLarge {
                offset: 0,
                length: 9,
                max: 8
            },
            Error::NestedNotConsumed {
                offset: 4,
                count: 2
            },
            Error::VarintOverflow { offset: 0 },
            Error::NonCanonicalVarint { offset: 0 },
            Error::InvalidValue {
                offset: 2,
                what: "boolean byte (0 or 1)"
            },
            Error::TooLong {
                what: "text (bytes)",
                max: 4,
                got: 5
            },
            Error::InvalidLength {
                what: "session id (hex characters)",
                expected: "66",
                got: 3
            },
            Error::InvalidHex {
                position: 1,
                character: 'z'
            },
            Error::InvalidBase64 { position: 0 },
            Error::UnknownPrefix(0x42),
            Error::MissingPrefix,
            Error::InvalidEd25519Key,
            Error::InvalidSeedLength(7),
            Error::NonContributoryKey,
            Error::UnknownName { what: "network" },
        ];
        for e in &all {
            match e {
                Error::Truncated { .. }
                | Error::TrailingBytes { .. }
                | Error::MissingTerminator { .. }
                | Error::LengthTooLarge { .. }
                | Error::NestedNotConsumed { .. }
                | Error::VarintOverflow { .. }
                | Error::NonCanonicalVarint { .. }
                | Error::InvalidValue { .. }
                | Error::TooLong { .. }
                | Error::InvalidLength { .. }
                | Error::InvalidHex { .. }
                | Error::InvalidBase64 { .. }
                | Error::UnknownPrefix(_)
                | Error::MissingPrefix
                | Error::InvalidEd25519Key
                | Error::InvalidSeedLength(_)
                | Error::NonContributoryKey
                | Error::UnknownName { .. } => {}
            }
        }
        all
    }

    const RULES: [Rule; 20] = [
        Rule::UnexpectedEnd,
        Rule::InvalidTag,
        Rule::TrailingBytes,
        Rule::UnterminatedList,
        Rule::UnterminatedDict,
        Rule::KeyNotString,
        Rule::UnsortedKey,
        Rule::TooDeep,
        Rule::UnterminatedNumber,
        Rule::InvalidInteger,
        Rule::NonCanonicalInteger,
        Rule::IntegerOutOfRange,
        Rule::InvalidLength,
        Rule::StringPastEnd,
        Rule::StringTooLong,
        Rule::ExpectedBytes,
        Rule::ExpectedInteger,
        Rule::ExpectedList,
        Rule::ExpectedDict,
        Rule::ExpectedEnd,
    ];

    #[test]
    fn every_cause_prints_once_in_a_chain() {
        for e in every_error() {
            assert_eq!(check_error_chain(&e), Ok(()));
        }
        let mut texts = Vec::new();
        for rule in RULES {
            // Every rule has its own words.
            assert!(!texts.contains(&rule.as_str()), "{rule:?}");
            texts.push(rule.as_str());
            assert_eq!(check_error_chain(&BencodeError::new(3, rule)), Ok(()));
        }
        for e in [
            crate::SignatureError::InvalidKey,
            crate::SignatureError::InvalidSignature,
        ] {
            assert_eq!(check_error_chain(&e), Ok(()));
        }
    }
}
