//! Identity keys: seed → Ed25519 → X25519 → Session ID, exactly as the Session apps derive them.

use core::fmt;

use ed25519_dalek::{Signer as _, SigningKey};
use sha2::{Digest as _, Sha512};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, Result};
use crate::keys::{Ed25519PublicKey, X25519PublicKey};
use crate::session_id::SessionId;

/// A Session identity: an Ed25519 key pair and the X25519 key pair derived from it.
///
/// Secrets are zeroized on drop and never printed by `Debug`.
///
/// ```
/// use session_core::identity::Identity;
///
/// // The Session apps turn a 16-byte seed (the recovery phrase) into a 32-byte Ed25519 seed by
/// // appending 16 zero bytes.
/// let seed = [0x11u8; 16];
/// let id = Identity::from_seed(&seed)?;
/// let mut padded = [0u8; 32];
/// padded[..16].copy_from_slice(&seed);
/// assert_eq!(Identity::from_seed(&padded)?.session_id(), id.session_id());
/// assert!(id.session_id().to_string().starts_with("05"));
/// # Ok::<(), session_core::Error>(())
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Identity {
    ed25519_seed: [u8; 32],
    x25519_secret: [u8; 32],
    #[zeroize(skip)]
    signing_key: SigningKey,
    #[zeroize(skip)]
    ed25519_public: Ed25519PublicKey,
    #[zeroize(skip)]
    x25519_public: X25519PublicKey,
}

impl Identity {
    /// Derives the identity from a 16-byte Session seed (zero-padded to 32 bytes, as every
    /// Session app does since October 2020) or a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        let mut ed25519_seed = [0u8; 32];
        match seed.len() {
            16 | 32 => {
                if let Some(dst) = ed25519_seed.get_mut(..seed.len()) {
                    dst.copy_from_slice(seed);
                }
            }
            n => return Err(Error::InvalidSeedLength(n)),
        }
        Ok(Self::from_ed25519_seed(ed25519_seed))
    }

    /// Derives the identity from a 32-byte Ed25519 seed, taking ownership of it.
    #[must_use]
    pub fn from_ed25519_seed(mut ed25519_seed: [u8; 32]) -> Self {
        let signing_key = SigningKey::from_bytes(&ed25519_seed);
        let verifying = signing_key.verifying_key();
        let ed25519_public = Ed25519PublicKey::from_bytes(verifying.to_bytes());
        let x25519_public = X25519PublicKey::from_bytes(verifying.to_montgomery().to_bytes());
        let x25519_secret = x25519_secret_from_ed25519_seed(&ed25519_seed);
        let identity = Self {
            ed25519_seed,
            x25519_secret,
            signing_key,
            ed25519_public,
            x25519_public,
        };
        ed25519_seed.zeroize();
        identity
    }

    /// The Ed25519 public key.
    #[must_use]
    pub fn ed25519_public(&self) -> Ed25519PublicKey {
        self.ed25519_public
    }

    /// The X25519 public key (the birational image of the Ed25519 key).
    #[must_use]
    pub fn x25519_public(&self) -> X25519PublicKey {
        self.x25519_public
    }

    /// The standard (`05`) Session ID.
    #[must_use]
    pub fn session_id(&self) -> SessionId {
        SessionId::standard(self.x25519_public)
    }

    /// The 32-byte Ed25519 seed. Secret.
    #[must_use]
    pub fn ed25519_seed(&self) -> &[u8; 32] {
        &self.ed25519_seed
    }

    /// libsodium's 64-byte Ed25519 secret key (seed ‖ public key). Secret.
    #[must_use]
    pub fn ed25519_secret_key(&self) -> zeroize::Zeroizing<[u8; 64]> {
        let mut out = zeroize::Zeroizing::new([0u8; 64]);
        let (seed, public) = out.split_at_mut(32);
        seed.copy_from_slice(&self.ed25519_seed);
        public.copy_from_slice(self.ed25519_public.as_bytes());
        out
    }

    /// The clamped X25519 secret key, byte-identical to libsodium's
    /// `crypto_sign_ed25519_sk_to_curve25519`. Secret.
    #[must_use]
    pub fn x25519_secret(&self) -> &[u8; 32] {
        &self.x25519_secret
    }

    /// Signs `message` with the Ed25519 key (deterministic, RFC 8032).
    #[must_use]
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing_key.sign(message).to_bytes()
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("session_id", &self.session_id())
            .field("ed25519_public", &self.ed25519_public)
            .finish_non_exhaustive()
    }
}

/// SHA-512 of the seed, first half, clamped: libsodium's X25519 secret for an Ed25519 key.
///
/// ed25519-dalek's `to_scalar_bytes` returns this half *unclamped*; the clamp makes our bytes
/// match libsodium (and thus the apps) exactly.
fn x25519_secret_from_ed25519_seed(seed: &[u8; 32]) -> [u8; 32] {
    let mut hash = Sha512::digest(seed);
    let mut out = [0u8; 32];
    if let Some(half) = hash.get(..32) {
        out.copy_from_slice(half);
    }
    hash.as_mut_slice().zeroize();
    out[0] &= 248;
    out[31] &= 127;
    out[31] |= 64;
    out
}

/// Converts an Ed25519 public key to its X25519 form (u = (1+y)/(1−y) mod p), with libsodium's
/// `crypto_sign_ed25519_pk_to_curve25519` rules: the key must decode to a curve point that is
/// not of small order and lies in the prime-order subgroup.
pub fn x25519_from_ed25519(key: &Ed25519PublicKey) -> Result<X25519PublicKey> {
    let point = curve25519_dalek::edwards::CompressedEdwardsY(key.to_bytes())
        .decompress()
        .ok_or(Error::InvalidEd25519Key)?;
    if point.is_small_order() || !point.is_torsion_free() {
        return Err(Error::InvalidEd25519Key);
    }
    Ok(X25519PublicKey::from_bytes(
        point.to_montgomery().to_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_seed_lengths_and_points() {
        assert_eq!(
            Identity::from_seed(&[0u8; 31]).err(),
            Some(Error::InvalidSeedLength(31))
        );
        assert_eq!(
            Identity::from_seed(&[]).err(),
            Some(Error::InvalidSeedLength(0))
        );
        // The identity point (y = 1) has small order.
        let mut identity_point = [0u8; 32];
        identity_point[0] = 1;
        assert_eq!(
            x25519_from_ed25519(&Ed25519PublicKey::from_bytes(identity_point)),
            Err(Error::InvalidEd25519Key)
        );
    }

    #[test]
    fn debug_hides_secrets() {
        extern crate alloc;
        let id = Identity::from_seed(&[7u8; 32]).unwrap();
        let text = alloc::format!("{id:?}");
        let seed_hex = crate::encoding::encode_hex(id.ed25519_seed());
        let x_hex = crate::encoding::encode_hex(id.x25519_secret());
        assert!(!text.contains(&seed_hex));
        assert!(!text.contains(&x_hex));
        assert!(text.contains("05"));
    }
}
