//! The symmetric cipher of a hop, and how it is named on the wire.

use core::fmt;
use core::str::FromStr;

use alloc::string::ToString;

use crate::FormatError;

/// The AEAD used for one layer of an onion (and for its reply).
///
/// On the wire the cipher is the `enc_type` JSON field; when the field is absent the
/// reference nodes assume AES-GCM, which [`EncType::default`] reproduces.
///
/// ```
/// use session_onion::EncType;
///
/// assert_eq!("gcm".parse::<EncType>().unwrap(), EncType::AesGcm);
/// assert_eq!("xchacha20-poly1305".parse::<EncType>().unwrap(), EncType::XChaCha20);
/// assert_eq!(EncType::XChaCha20.to_string(), "xchacha20");
/// assert_eq!(EncType::default(), EncType::AesGcm);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EncType {
    /// AES-256-GCM, key = HMAC-SHA256(key "LOKI", shared secret); `iv[12] ‖ ct ‖ tag[16]`.
    /// The default when `enc_type` is absent, and what desktop and Android send.
    #[default]
    AesGcm,
    /// XChaCha20-Poly1305-IETF, key = BLAKE2b-256(shared ‖ client pub ‖ server pub);
    /// `nonce[24] ‖ ct ‖ tag[16]`. The libsession default.
    XChaCha20,
}

impl EncType {
    /// The canonical wire name (`"aes-gcm"` or `"xchacha20"`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            EncType::AesGcm => "aes-gcm",
            EncType::XChaCha20 => "xchacha20",
        }
    }

    /// Length of the random nonce that starts every ciphertext.
    #[must_use]
    pub const fn nonce_len(self) -> usize {
        match self {
            EncType::AesGcm => 12,
            EncType::XChaCha20 => 24,
        }
    }

    /// Bytes a ciphertext adds to its plaintext (nonce + 16-byte tag).
    #[must_use]
    pub const fn overhead(self) -> usize {
        self.nonce_len() + crate::hop::TAG_LEN
    }
}

impl fmt::Display for EncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A cipher name as found on the wire, including the legacy decrypt-only AES-CBC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WireCipher {
    /// One of the supported AEADs.
    Aead(EncType),
    /// Legacy AES-256-CBC (`"aes-cbc"` / `"cbc"`): unauthenticated, never emitted.
    AesCbc,
}

impl WireCipher {
    pub(crate) fn parse(s: &str) -> Result<Self, FormatError> {
        match s {
            "aes-gcm" | "gcm" => Ok(WireCipher::Aead(EncType::AesGcm)),
            "xchacha20" | "xchacha20-poly1305" => Ok(WireCipher::Aead(EncType::XChaCha20)),
            "aes-cbc" | "cbc" => Ok(WireCipher::AesCbc),
            other => Err(FormatError::UnknownEncType(
                other.chars().take(32).collect(),
            )),
        }
    }
}

impl FromStr for EncType {
    type Err = FormatError;

    /// Accepts every alias of the reference implementations: `aes-gcm`, `gcm`, `xchacha20`,
    /// `xchacha20-poly1305`. The legacy `aes-cbc` is refused here (it is decrypt-only, see
    /// [`crate::OpenOptions::allow_aes_cbc`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match WireCipher::parse(s)? {
            WireCipher::Aead(enc) => Ok(enc),
            WireCipher::AesCbc => Err(FormatError::UnknownEncType(s.to_string())),
        }
    }
}
