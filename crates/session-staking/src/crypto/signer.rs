//! Producing what the verifiers check: Schnorr signatures, key images and their proofs, and
//! one-time output keys. Wallets and node operators need these to build registrations, stakes,
//! unlocks and votes; tests and benchmarks use them to build honest inputs.
//!
//! Nonces are derived deterministically from the secret key and the signed data, so signing
//! needs no randomness from the caller and never reuses a nonce across different messages.

use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{
    KeyDerivation, KeyImage, PublicKey, Signature, canonical_scalar, derivation_to_scalar,
    hash_to_ec, hash_to_scalar_parts,
};

/// A CryptoNote secret key (a scalar below ℓ). Zeroized on drop; `Debug` never prints it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey(Scalar);

impl core::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl ConstantTimeEq for SecretKey {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for SecretKey {}

const NONCE_DOMAIN: &[u8] = b"session-staking deterministic nonce v1";

impl SecretKey {
    /// A secret key from its canonical 32-byte encoding; `None` if the bytes are not below ℓ.
    #[must_use]
    pub fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        canonical_scalar(bytes).map(SecretKey)
    }

    /// The secret `Hs(seed)`: a convenient way to get reproducible keys from any byte string.
    #[must_use]
    pub fn from_seed(seed: &[u8]) -> Self {
        SecretKey(hash_to_scalar_parts(&[seed]))
    }

    /// The 32-byte encoding. Handle with the same care as the key itself.
    #[must_use]
    pub fn to_bytes(&self) -> zeroize::Zeroizing<[u8; 32]> {
        zeroize::Zeroizing::new(self.0.to_bytes())
    }

    /// `P = x·G`.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from(EdwardsPoint::mul_base(&self.0))
    }

    fn nonce(&self, parts: &[&[u8]]) -> Scalar {
        let secret = self.to_bytes();
        let mut all: [&[u8]; 6] = [NONCE_DOMAIN, secret.as_slice(), &[], &[], &[], &[]];
        for (slot, p) in all.iter_mut().skip(2).zip(parts) {
            *slot = p;
        }
        hash_to_scalar_parts(&all)
    }

    /// A CryptoNote Schnorr signature over a 32-byte hash (`crypto::generate_signature`), as
    /// [`check_signature`](super::check_signature) verifies it.
    #[must_use]
    pub fn sign(&self, hash: &[u8; 32]) -> Signature {
        let public = self.public_key();
        let mut k = self.nonce(&[b"sig", hash]);
        let x = EdwardsPoint::mul_base(&k).compress().to_bytes();
        let c = hash_to_scalar_parts(&[hash, &public.0, &x]);
        let r = k - c * self.0;
        k.zeroize();
        Signature {
            c: c.to_bytes(),
            r: r.to_bytes(),
        }
    }

    /// The key image `I = x·Hp(x·G)` of the output this key spends.
    #[must_use]
    pub fn key_image(&self) -> KeyImage {
        let public = self.public_key();
        KeyImage((hash_to_ec(&public.0) * self.0).compress().to_bytes())
    }

    /// The key image and its one-member ring signature (`generate_key_image_signature`), as a
    /// stake's key-image proof carries them.
    #[must_use]
    pub fn key_image_proof(&self) -> (KeyImage, Signature) {
        let public = self.public_key();
        let hp = hash_to_ec(&public.0);
        let image = KeyImage((hp * self.0).compress().to_bytes());
        let mut k = self.nonce(&[b"key image", &image.0]);
        let l = EdwardsPoint::mul_base(&k).compress().to_bytes();
        let r_point = (hp * k).compress().to_bytes();
        let c = hash_to_scalar_parts(&[&image.0, &l, &r_point]);
        let r = k - c * self.0;
        k.zeroize();
        (
            image,
            Signature {
                c: c.to_bytes(),
                r: r.to_bytes(),
            },
        )
    }

    /// `crypto::generate_key_derivation`: the shared secret `D = 8·x·P` with a public key
    /// (a transaction key with a view secret, or a view key with a transaction secret).
    /// `None` if `public` is not a point.
    #[must_use]
    pub fn key_derivation(&self, public: &PublicKey) -> Option<KeyDerivation> {
        super::generate_key_derivation(public, &self.0)
    }

    /// The one-time secret of output `index` paid to this spend key: `Hs(D ‖ varint(i)) + b`.
    #[must_use]
    pub fn derive_output_key(&self, derivation: &KeyDerivation, index: u64) -> SecretKey {
        SecretKey(derivation_to_scalar(derivation, index) + self.0)
    }
}
