//! Identity keys: seed → Ed25519 → X25519 → Session ID, exactly as the Session apps derive them.

use core::fmt;

use ed25519_dalek::{Signer as _, SigningKey};
use rand_core::CryptoRng;
use sha2::{Digest as _, Sha512};
use zeroize::{Zeroize as _, Zeroizing};

use crate::error::{Error, Result};
use crate::keys::{Ed25519PublicKey, X25519PublicKey};
use crate::secret::{Ed25519Seed, SessionSeed, X25519Secret};
use crate::session_id::SessionId;

/// A Session identity: an Ed25519 key pair and the X25519 key pair derived from it.
///
/// Secrets are wiped on drop and never printed by `Debug`.
///
/// ```
/// use session_core::{Ed25519Seed, Identity, SessionSeed};
///
/// // The Session apps turn a 16-byte seed (the recovery phrase) into a 32-byte Ed25519 seed by
/// // appending 16 zero bytes.
/// let id = Identity::from_seed(SessionSeed::from_bytes([0x11; 16]));
/// let mut padded = [0u8; 32];
/// padded[..16].copy_from_slice(&[0x11; 16]);
/// let same = Identity::from_seed(Ed25519Seed::from_bytes(padded));
/// assert_eq!(same.session_id(), id.session_id());
/// assert!(id.session_id().to_string().starts_with("05"));
/// assert!(id.ed25519_seed().session_seed().is_some());
/// ```
#[derive(Clone)]
pub struct Identity {
    ed25519_seed: Ed25519Seed,
    x25519_secret: X25519Secret,
    /// Wipes itself on drop (ed25519-dalek's `zeroize` feature).
    signing_key: SigningKey,
    ed25519_public: Ed25519PublicKey,
    x25519_public: X25519PublicKey,
}

impl Identity {
    /// Creates a new account from a cryptographically secure RNG.
    ///
    /// The identity is built from a 16-byte [`SessionSeed`], as the Session apps do, so it has a
    /// 13-word recovery phrase: [`Identity::ed25519_seed`]`().session_seed()` returns it.
    ///
    /// ```
    /// use session_core::Identity;
    ///
    /// let identity = Identity::generate(&mut rand::rng());
    /// let seed = identity.ed25519_seed().session_seed().expect("a Session seed");
    /// assert_eq!(Identity::from_seed(seed).session_id(), identity.session_id());
    /// ```
    #[must_use]
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::from_seed(SessionSeed::generate(rng))
    }

    /// Derives the identity from a [`SessionSeed`] (zero-padded to 32 bytes, as every Session
    /// app does since October 2020) or an [`Ed25519Seed`], taking ownership of it.
    #[must_use]
    pub fn from_seed(seed: impl Into<Ed25519Seed>) -> Self {
        let ed25519_seed = seed.into();
        let signing_key = SigningKey::from_bytes(&ed25519_seed.0);
        let verifying = signing_key.verifying_key();
        let ed25519_public = Ed25519PublicKey::from_bytes(verifying.to_bytes());
        let x25519_public = X25519PublicKey::from_bytes(verifying.to_montgomery().to_bytes());
        let x25519_secret = x25519_secret_from_ed25519_seed(&ed25519_seed);
        Self {
            ed25519_seed,
            x25519_secret,
            signing_key,
            ed25519_public,
            x25519_public,
        }
    }

    /// Derives the identity from a 16-byte Session seed or a 32-byte Ed25519 seed given as a
    /// slice. The slice is copied; the caller still owns (and should wipe) its buffer.
    pub fn from_seed_bytes(seed: &[u8]) -> Result<Self> {
        Ed25519Seed::try_from_slice(seed).map(Self::from_seed)
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

    /// The Ed25519 seed the identity was derived from.
    #[must_use]
    pub fn ed25519_seed(&self) -> &Ed25519Seed {
        &self.ed25519_seed
    }

    /// The X25519 secret key, byte-identical to libsodium's
    /// `crypto_sign_ed25519_sk_to_curve25519` (already clamped).
    #[must_use]
    pub fn x25519_secret(&self) -> &X25519Secret {
        &self.x25519_secret
    }

    /// libsodium's 64-byte Ed25519 secret key (seed ‖ public key).
    pub(crate) fn libsodium_secret_key(&self) -> Zeroizing<[u8; 64]> {
        let mut out = Zeroizing::new([0u8; 64]);
        let (seed, public) = out.split_at_mut(32);
        seed.copy_from_slice(&self.ed25519_seed.0);
        public.copy_from_slice(self.ed25519_public.as_bytes());
        out
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
fn x25519_secret_from_ed25519_seed(seed: &Ed25519Seed) -> X25519Secret {
    // By reference: passing the array would leave an unwiped copy of the seed on the stack.
    let mut hash = Sha512::digest(seed.0.as_slice());
    let mut out = X25519Secret([0u8; 32]);
    if let Some(half) = hash.get(..32) {
        out.0.copy_from_slice(half);
    }
    hash.as_mut_slice().zeroize();
    out.0[0] &= 248;
    out.0[31] &= 127;
    out.0[31] |= 64;
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
            Identity::from_seed_bytes(&[0u8; 31]).err(),
            Some(Error::InvalidSeedLength(31))
        );
        assert_eq!(
            Identity::from_seed_bytes(&[]).err(),
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
        use crate::hazmat::SecretBytes as _;
        let id = Identity::from_seed(Ed25519Seed::from_bytes([7u8; 32]));
        let text = alloc::format!("{id:?}");
        let seed_hex = crate::encoding::encode_hex(id.ed25519_seed().hazmat_bytes());
        let x_hex = crate::encoding::encode_hex(id.x25519_secret().hazmat_bytes());
        assert!(!text.contains(&seed_hex));
        assert!(!text.contains(&x_hex));
        assert!(text.contains("05"));
    }
}
