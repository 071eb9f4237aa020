//! A BLS public key's 64 bytes as the rewards contract reports them, not yet parsed.

use core::fmt;

use super::BlsPublicKey;
use super::error::PointError;

/// A BLS public key as the rewards contract's logs and node list carry it: `X ‖ Y`, 32 bytes
/// big-endian each, **not checked** to be a point.
///
/// oxend reads these 64 bytes without validating them and uses them as they are: to name a
/// node, to compare with the contract's list, to store. The [`l2`](crate::l2) decoders do the
/// same, so that a log decodes here exactly when oxend decodes it. The contract checked the
/// key (with its proof of possession) before emitting it; [`to_public_key`](Self::to_public_key)
/// parses it when a key to verify with is needed.
///
/// ```
/// use session_staking::bls::{BlsPublicKeyBytes, BlsSecretKey, PointError};
///
/// let key = BlsSecretKey::from_bytes(&[7; 32]).public_key();
/// let bytes = BlsPublicKeyBytes::from(key);
/// assert_eq!(bytes.to_public_key(), Ok(key));
/// assert_eq!(BlsPublicKeyBytes([0; 64]).to_public_key(), Err(PointError::ZeroPublicKey));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlsPublicKeyBytes(pub [u8; 64]);

impl BlsPublicKeyBytes {
    /// The raw bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    /// Parses the key with [`BlsPublicKey::from_bytes`]: canonical coordinates, not zero, on
    /// the curve.
    pub fn to_public_key(&self) -> Result<BlsPublicKey, PointError> {
        BlsPublicKey::from_bytes(&self.0)
    }
}

impl From<[u8; 64]> for BlsPublicKeyBytes {
    fn from(bytes: [u8; 64]) -> Self {
        Self(bytes)
    }
}

impl From<BlsPublicKey> for BlsPublicKeyBytes {
    fn from(key: BlsPublicKey) -> Self {
        Self(key.to_bytes())
    }
}

impl From<&BlsPublicKey> for BlsPublicKeyBytes {
    fn from(key: &BlsPublicKey) -> Self {
        Self(key.to_bytes())
    }
}

impl TryFrom<&BlsPublicKeyBytes> for BlsPublicKey {
    type Error = PointError;

    fn try_from(bytes: &BlsPublicKeyBytes) -> Result<Self, PointError> {
        bytes.to_public_key()
    }
}

impl fmt::Debug for BlsPublicKeyBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlsPublicKeyBytes({self})")
    }
}

/// 128 lower-case hex digits, as [`BlsPublicKey`] prints.
impl fmt::Display for BlsPublicKeyBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}
