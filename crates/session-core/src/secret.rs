//! Secret key material: X25519 secrets, shared secrets and identity seeds.
//!
//! Every type here wipes itself on drop, prints nothing secret in `Debug`, compares in constant
//! time and is not `Copy`, so a secret is never duplicated by accident. Raw bytes are available
//! only through [`hazmat::SecretBytes`](crate::hazmat::SecretBytes), which a caller must import
//! by name.

use core::fmt;

use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};
use crate::keys::X25519PublicKey;

/// Implements the secret discipline shared by every type of this module: redacted `Debug`,
/// constant-time `PartialEq`, and raw access through the hazmat trait only.
macro_rules! secret_type {
    ($name:ident, $len:literal) => {
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }

        impl ConstantTimeEq for $name {
            fn ct_eq(&self, other: &Self) -> subtle::Choice {
                self.0.ct_eq(&other.0)
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.ct_eq(other).into()
            }
        }

        impl Eq for $name {}

        impl crate::hazmat::SecretBytes<$len> for $name {
            fn hazmat_bytes(&self) -> &[u8; $len] {
                &self.0
            }
        }
    };
}

/// A long-term X25519 secret key: a node's onion key, a Session account's encryption key.
///
/// The bytes are kept as given and clamped when used, as libsodium and x25519-dalek do, so a
/// secret taken from libsodium (already clamped) and one drawn from an RNG (not clamped) both
/// work.
///
/// ```
/// use session_core::X25519Secret;
///
/// let mut rng = rand::rng();
/// let alice = X25519Secret::generate(&mut rng);
/// let bob = X25519Secret::generate(&mut rng);
/// let ab = alice.diffie_hellman(&bob.public_key())?;
/// let ba = bob.diffie_hellman(&alice.public_key())?;
/// assert_eq!(ab, ba);
/// # Ok::<(), session_core::Error>(())
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct X25519Secret(pub(crate) [u8; 32]);

secret_type!(X25519Secret, 32);

impl X25519Secret {
    /// Takes ownership of 32 secret bytes.
    ///
    /// The argument is wiped before returning. An array is `Copy`, so the caller's own variable
    /// is a separate copy: pass a temporary, or wipe the variable afterwards.
    #[must_use]
    pub fn from_bytes(mut bytes: [u8; 32]) -> Self {
        let secret = Self(bytes);
        bytes.zeroize();
        secret
    }

    /// Draws a new secret from a cryptographically secure RNG.
    #[must_use]
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut secret = Self([0u8; 32]);
        rng.fill_bytes(&mut secret.0);
        secret
    }

    /// The matching public key.
    #[must_use]
    pub fn public_key(&self) -> X25519PublicKey {
        public_key_of(&self.0)
    }

    /// X25519 with a peer's public key.
    ///
    /// Fails with [`Error::NonContributoryKey`] when the result is all zeros (the peer key has
    /// small order), as libsodium's `crypto_scalarmult` does: such a "shared" secret is known to
    /// everyone.
    pub fn diffie_hellman(&self, peer: &X25519PublicKey) -> Result<SharedSecret> {
        x25519(&self.0, peer.as_bytes())
    }
}

impl From<x25519_dalek::StaticSecret> for X25519Secret {
    fn from(secret: x25519_dalek::StaticSecret) -> Self {
        // `StaticSecret` wipes itself when it goes out of scope here.
        Self(*secret.as_bytes())
    }
}

impl From<&X25519Secret> for x25519_dalek::StaticSecret {
    fn from(secret: &X25519Secret) -> Self {
        x25519_dalek::StaticSecret::from(secret.0)
    }
}

/// The public key of a raw scalar.
pub(crate) fn public_key_of(scalar: &[u8; 32]) -> X25519PublicKey {
    X25519PublicKey::from_bytes(backend::scalarmult_base(scalar))
}

/// X25519 on raw bytes with the all-zero check: the one entry point to the DH backend.
pub(crate) fn x25519(scalar: &[u8; 32], point: &[u8; 32]) -> Result<SharedSecret> {
    let shared = SharedSecret(backend::scalarmult(scalar, point));
    if bool::from(shared.0.ct_eq(&[0u8; 32])) {
        return Err(Error::NonContributoryKey);
    }
    Ok(shared)
}

/// A shared secret from stored bytes; the argument is wiped.
pub(crate) fn shared_from_bytes(mut bytes: [u8; 32]) -> SharedSecret {
    let shared = SharedSecret(bytes);
    bytes.zeroize();
    shared
}

mod backend;

/// The name of the X25519 backend this process uses (see [`crate::hazmat::x25519_backend`]).
pub(crate) fn backend_name() -> &'static str {
    backend::name()
}

/// See [`crate::hazmat::graviola_available`].
pub(crate) fn graviola_available() -> bool {
    backend::graviola_available()
}

/// The result of an X25519 key agreement: secret input to a key-derivation function.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SharedSecret([u8; 32]);

secret_type!(SharedSecret, 32);

impl SharedSecret {
    /// The shared secret's bytes, wiped when the returned value is dropped.
    #[must_use]
    pub fn to_zeroizing(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0)
    }
}

/// A 16-byte Session seed: what a 13-word recovery phrase encodes.
///
/// The Session apps pad it with 16 zero bytes to form the [`Ed25519Seed`] of the account.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SessionSeed([u8; 16]);

secret_type!(SessionSeed, 16);

impl SessionSeed {
    /// Takes ownership of 16 secret bytes; the argument is wiped before returning (see
    /// [`X25519Secret::from_bytes`] about the caller's copy).
    #[must_use]
    pub fn from_bytes(mut bytes: [u8; 16]) -> Self {
        let seed = Self(bytes);
        bytes.zeroize();
        seed
    }

    /// Draws a new seed from a cryptographically secure RNG.
    #[must_use]
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut seed = Self([0u8; 16]);
        rng.fill_bytes(&mut seed.0);
        seed
    }

    /// Copies a 16-byte slice; the caller still owns (and should wipe) its buffer.
    pub fn try_from_slice(bytes: &[u8]) -> Result<Self> {
        let mut seed = Self([0u8; 16]);
        if bytes.len() != seed.0.len() {
            return Err(Error::InvalidSeedLength(bytes.len()));
        }
        seed.0.copy_from_slice(bytes);
        Ok(seed)
    }
}

/// A 32-byte Ed25519 seed (RFC 8032's secret key): the root of an [`Identity`](crate::Identity).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Ed25519Seed(pub(crate) [u8; 32]);

secret_type!(Ed25519Seed, 32);

impl Ed25519Seed {
    /// Takes ownership of 32 secret bytes; the argument is wiped before returning (see
    /// [`X25519Secret::from_bytes`] about the caller's copy).
    #[must_use]
    pub fn from_bytes(mut bytes: [u8; 32]) -> Self {
        let seed = Self(bytes);
        bytes.zeroize();
        seed
    }

    /// Draws a new seed from a cryptographically secure RNG.
    ///
    /// Such a seed has no 13-word recovery phrase; use [`SessionSeed::generate`] for an
    /// account that a Session app can restore.
    #[must_use]
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut seed = Self([0u8; 32]);
        rng.fill_bytes(&mut seed.0);
        seed
    }

    /// Copies a 16-byte Session seed (zero-padded, as the apps do) or a 32-byte Ed25519 seed
    /// from a slice; the caller still owns (and should wipe) its buffer.
    pub fn try_from_slice(bytes: &[u8]) -> Result<Self> {
        let mut seed = Self([0u8; 32]);
        match bytes.len() {
            16 | 32 => {
                if let Some(dst) = seed.0.get_mut(..bytes.len()) {
                    dst.copy_from_slice(bytes);
                }
                Ok(seed)
            }
            n => Err(Error::InvalidSeedLength(n)),
        }
    }

    /// The Session seed this seed was padded from, if its last 16 bytes are zero (the form
    /// every Session account created since October 2020 has, and the only one with a
    /// 13-word recovery phrase).
    #[must_use]
    pub fn session_seed(&self) -> Option<SessionSeed> {
        let (head, tail) = self.0.split_at(16);
        if !bool::from(tail.ct_eq(&[0u8; 16])) {
            return None;
        }
        SessionSeed::try_from_slice(head).ok()
    }
}

impl From<SessionSeed> for Ed25519Seed {
    /// Pads with 16 zero bytes, as the Session apps do.
    fn from(seed: SessionSeed) -> Self {
        let mut out = Self([0u8; 32]);
        if let Some(head) = out.0.get_mut(..16) {
            head.copy_from_slice(&seed.0);
        }
        out
    }
}

impl From<&SessionSeed> for Ed25519Seed {
    fn from(seed: &SessionSeed) -> Self {
        Self::from(seed.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hazmat::SecretBytes as _;
    use alloc::format;
    use alloc::string::ToString as _;

    #[test]
    fn debug_is_redacted() {
        let x = X25519Secret::from_bytes([0xab; 32]);
        assert_eq!(format!("{x:?}"), "X25519Secret { .. }");
        assert_eq!(
            format!("{:?}", SessionSeed::from_bytes([0xab; 16])),
            "SessionSeed { .. }"
        );
        assert_eq!(
            format!("{:?}", Ed25519Seed::from_bytes([0xab; 32])),
            "Ed25519Seed { .. }"
        );
        let shared = x.diffie_hellman(&x.public_key()).unwrap();
        assert_eq!(format!("{shared:?}"), "SharedSecret { .. }");
    }

    #[test]
    fn equality_compares_every_byte() {
        let mut other = [0xab; 32];
        other[31] = 0xac;
        assert_eq!(
            X25519Secret::from_bytes([0xab; 32]),
            X25519Secret::from_bytes([0xab; 32])
        );
        assert_ne!(
            X25519Secret::from_bytes([0xab; 32]),
            X25519Secret::from_bytes(other)
        );
        assert_ne!(
            SessionSeed::from_bytes([1; 16]),
            SessionSeed::from_bytes([2; 16])
        );
    }

    #[test]
    fn rfc7748_diffie_hellman() {
        // RFC 7748 section 6.1.
        let a: [u8; 32] = crate::encoding::decode_hex_array(
            "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
            "t",
        )
        .unwrap();
        let a_pub = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
        let b: [u8; 32] = crate::encoding::decode_hex_array(
            "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
            "t",
        )
        .unwrap();
        let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        let a = X25519Secret::from_bytes(a);
        let b = X25519Secret::from_bytes(b);
        assert_eq!(a.public_key().to_string(), a_pub);
        let ab = a.diffie_hellman(&b.public_key()).unwrap();
        assert_eq!(crate::encoding::encode_hex(ab.hazmat_bytes()), shared);
        assert_eq!(crate::encoding::encode_hex(&*ab.to_zeroizing()), shared);
        assert_eq!(ab, b.diffie_hellman(&a.public_key()).unwrap());
    }

    #[test]
    fn small_order_peer_is_rejected() {
        let x = X25519Secret::from_bytes([7; 32]);
        for point in [[0u8; 32], {
            let mut one = [0u8; 32];
            one[0] = 1;
            one
        }] {
            assert_eq!(
                x.diffie_hellman(&X25519PublicKey::from_bytes(point)),
                Err(Error::NonContributoryKey)
            );
        }
    }

    #[test]
    fn dalek_round_trip() {
        let x = X25519Secret::from_bytes([9; 32]);
        let dalek = x25519_dalek::StaticSecret::from(&x);
        assert_eq!(
            x25519_dalek::PublicKey::from(&dalek).to_bytes(),
            x.public_key().to_bytes()
        );
        assert_eq!(X25519Secret::from(dalek), x);
    }

    #[test]
    fn seeds_pad_and_unpad() {
        let s = SessionSeed::from_bytes([3; 16]);
        let e = Ed25519Seed::from(&s);
        assert_eq!(&e.hazmat_bytes()[..16], &[3; 16]);
        assert_eq!(&e.hazmat_bytes()[16..], &[0; 16]);
        assert_eq!(e.session_seed(), Some(s));
        let mut full = [3u8; 32];
        full[31] = 1;
        assert_eq!(Ed25519Seed::from_bytes(full).session_seed(), None);
        assert_eq!(Ed25519Seed::try_from_slice(&[3; 16]).unwrap(), e);
        assert_eq!(
            Ed25519Seed::try_from_slice(&[3; 31]),
            Err(Error::InvalidSeedLength(31))
        );
        assert_eq!(
            SessionSeed::try_from_slice(&[3; 32]),
            Err(Error::InvalidSeedLength(32))
        );
    }

    #[test]
    fn generate_draws_from_the_rng() {
        use rand_core::{Rng as _, SeedableRng as _};
        let rng = || chacha20::ChaCha20Rng::from_seed([5; 32]);
        let mut expected = [0u8; 32];
        rng().fill_bytes(&mut expected);
        assert_eq!(X25519Secret::generate(&mut rng()).hazmat_bytes(), &expected);
        assert_eq!(Ed25519Seed::generate(&mut rng()).hazmat_bytes(), &expected);
        assert_eq!(
            SessionSeed::generate(&mut rng()).hazmat_bytes()[..],
            expected[..16]
        );
        assert_ne!(expected, [0u8; 32]);
    }
}
