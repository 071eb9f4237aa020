//! Ed25519 signatures and their verification on typed keys.
//!
//! Verification is libsodium's `crypto_sign_verify_detached`, which oxend and the storage
//! server use: ed25519-dalek's `verify_strict`, which also refuses small-order public keys,
//! small-order `R` points and a non-canonical `S`.

use core::fmt;
use core::str::FromStr;

use crate::Ed25519PublicKey;
use crate::encoding::{decode_hex_array, write_hex};
use crate::error::{Error, Result};
use crate::reader::{Readable, Reader};
use crate::writer::{Writeable, Writer};

/// An Ed25519 signature (64 bytes: `R ‖ S`), as carried by uptime proofs, registrations and
/// storage requests.
///
/// A signature is public data: it compares, hashes and prints like any other value.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ed25519Signature([u8; 64]);

impl Ed25519Signature {
    /// The length of a signature in bytes.
    pub const LEN: usize = 64;

    /// Wraps 64 raw bytes. No validation: [`Ed25519PublicKey::verify`] checks them.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 64]) -> Self {
        Self(bytes)
    }

    /// The raw bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    /// The raw bytes, by value.
    #[must_use]
    pub const fn to_bytes(self) -> [u8; 64] {
        self.0
    }
}

impl From<[u8; 64]> for Ed25519Signature {
    fn from(bytes: [u8; 64]) -> Self {
        Self(bytes)
    }
}

impl From<Ed25519Signature> for [u8; 64] {
    fn from(signature: Ed25519Signature) -> Self {
        signature.0
    }
}

impl TryFrom<&[u8]> for Ed25519Signature {
    type Error = Error;

    /// Copies exactly 64 bytes.
    fn try_from(bytes: &[u8]) -> Result<Self> {
        <[u8; 64]>::try_from(bytes)
            .map(Self)
            .map_err(|_| Error::InvalidLength {
                what: "ed25519 signature (bytes)",
                expected: "64",
                got: bytes.len(),
            })
    }
}

impl AsRef<[u8]> for Ed25519Signature {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl FromStr for Ed25519Signature {
    type Err = Error;

    /// Parses 128 hex characters of either case.
    fn from_str(s: &str) -> Result<Self> {
        decode_hex_array(s, "ed25519 signature (hex characters)").map(Self)
    }
}

impl fmt::Display for Ed25519Signature {
    /// Lowercase hex, 128 characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.0)
    }
}

impl fmt::Debug for Ed25519Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ed25519Signature({self})")
    }
}

impl<'a> Readable<'a> for Ed25519Signature {
    type Error = Error;
    fn take_from(reader: &mut Reader<'a>) -> Result<Self> {
        reader.take_array().map(Self)
    }
}

impl Writeable for Ed25519Signature {
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_all(&self.0);
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Ed25519Signature {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        crate::serde_util::serialize_hex_or_array(&self.0, s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Ed25519Signature {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        crate::serde_util::deserialize_hex_or_array(d, "Ed25519 signature").map(Self)
    }
}

/// Why [`Ed25519PublicKey::verify`] refused a signature.
///
/// Which of the signature's checks failed is deliberately not told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The public key is not the encoding of a curve point.
    #[error("invalid Ed25519 public key")]
    InvalidKey,
    /// The signature is not a valid signature of the message by the key (this includes
    /// small-order keys, which libsodium refuses).
    #[error("invalid Ed25519 signature")]
    InvalidSignature,
}

impl Ed25519PublicKey {
    /// Checks that `signature` is this key's signature of `message`, by libsodium's
    /// `crypto_sign_verify_detached` rules (ed25519-dalek's `verify_strict`).
    ///
    /// ```
    /// use session_core::{Ed25519Signature, Identity, SessionSeed, SignatureError};
    ///
    /// let me = Identity::from_seed(SessionSeed::from_bytes([7; 16]));
    /// let signature = Ed25519Signature::from_bytes(me.sign(b"hello"));
    /// assert_eq!(me.ed25519_public().verify(b"hello", &signature), Ok(()));
    /// assert_eq!(
    ///     me.ed25519_public().verify(b"hullo", &signature),
    ///     Err(SignatureError::InvalidSignature)
    /// );
    /// ```
    pub fn verify(
        &self,
        message: &[u8],
        signature: &Ed25519Signature,
    ) -> core::result::Result<(), SignatureError> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(self.as_bytes())
            .map_err(|_| SignatureError::InvalidKey)?;
        let signature = ed25519_dalek::Signature::from_bytes(signature.as_bytes());
        key.verify_strict(message, &signature)
            .map_err(|_| SignatureError::InvalidSignature)
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;
    use crate::{Identity, SessionSeed};

    fn signer() -> Identity {
        Identity::from_seed(SessionSeed::from_bytes([9; 16]))
    }

    #[test]
    fn verifies_only_the_signed_message_and_key() {
        let me = signer();
        let key = me.ed25519_public();
        let sig = Ed25519Signature::from_bytes(me.sign(b"message"));
        assert_eq!(key.verify(b"message", &sig), Ok(()));
        assert_eq!(
            key.verify(b"messagf", &sig),
            Err(SignatureError::InvalidSignature)
        );
        let other = Identity::from_seed(SessionSeed::from_bytes([8; 16])).ed25519_public();
        assert_eq!(
            other.verify(b"message", &sig),
            Err(SignatureError::InvalidSignature)
        );
        for byte in [0, 31, 32, 63] {
            let mut bad = sig.to_bytes();
            bad[byte] ^= 1;
            assert_eq!(
                key.verify(b"message", &Ed25519Signature::from(bad)),
                Err(SignatureError::InvalidSignature),
                "byte {byte}"
            );
        }
    }

    #[test]
    fn refuses_keys_libsodium_refuses() {
        let sig = Ed25519Signature::from_bytes(signer().sign(b"m"));
        // y = 2 is not the y-coordinate of a curve point.
        let mut not_a_point = [0u8; 32];
        not_a_point[0] = 2;
        assert_eq!(
            Ed25519PublicKey::from_bytes(not_a_point).verify(b"m", &sig),
            Err(SignatureError::InvalidKey)
        );
        // The identity point (y = 1) has small order: any `S = 0, R = identity` would pass a
        // non-strict check for every message.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let mut weak = [0u8; 64];
        weak[0] = 1;
        assert_eq!(
            Ed25519PublicKey::from_bytes(identity).verify(b"m", &Ed25519Signature::from(weak)),
            Err(SignatureError::InvalidSignature)
        );
        // A non-canonical S (S + l) is refused.
        let l: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut bytes = sig.to_bytes();
        let mut carry = 0u16;
        for (s, l) in bytes[32..].iter_mut().zip(l) {
            let sum = u16::from(*s) + u16::from(l) + carry;
            *s = sum as u8;
            carry = sum >> 8;
        }
        assert_eq!(
            signer()
                .ed25519_public()
                .verify(b"m", &Ed25519Signature::from(bytes)),
            Err(SignatureError::InvalidSignature)
        );
    }

    #[test]
    fn text_and_bytes() {
        let sig = Ed25519Signature::from_bytes(signer().sign(b"m"));
        let text = sig.to_string();
        assert_eq!(text.len(), 128);
        assert_eq!(text.parse::<Ed25519Signature>(), Ok(sig));
        assert_eq!(text.to_uppercase().parse::<Ed25519Signature>(), Ok(sig));
        assert!(text[..126].parse::<Ed25519Signature>().is_err());
        assert_eq!(
            alloc::format!("{sig:?}"),
            alloc::format!("Ed25519Signature({text})")
        );
        assert_eq!(Ed25519Signature::try_from(&sig.as_bytes()[..]), Ok(sig));
        assert_eq!(
            Ed25519Signature::try_from(&sig.as_bytes()[..63]),
            Err(Error::InvalidLength {
                what: "ed25519 signature (bytes)",
                expected: "64",
                got: 63
            })
        );
        assert_eq!(sig.as_ref(), &sig.to_bytes()[..]);
        assert_eq!(<[u8; 64]>::from(sig), sig.to_bytes());
        let encoded = sig.encode_to_vec().unwrap();
        assert_eq!(encoded, sig.as_bytes());
        assert_eq!(Reader::new(&encoded).extract::<Ed25519Signature>(), Ok(sig));
    }
}
