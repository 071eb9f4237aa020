//! Raw secret bytes, for interoperating with code that takes them (libsodium-style APIs, key
//! files, test vectors).
//!
//! Nothing here is needed to use the rest of the crate. Bytes obtained here are copies the
//! caller must wipe; prefer the typed secrets ([`X25519Secret`](crate::X25519Secret),
//! [`Ed25519Seed`](crate::Ed25519Seed), ...) wherever a secret crosses an API.

use zeroize::Zeroizing;

use crate::identity::Identity;
use crate::keys::X25519PublicKey;
use crate::secret::SharedSecret;

/// Read access to the bytes of a secret type. Import it by name where raw bytes are needed, so
/// every such place is visible in review.
///
/// ```
/// use session_core::hazmat::SecretBytes as _;
/// use session_core::{Identity, SessionSeed};
///
/// let identity = Identity::from_seed(SessionSeed::from_bytes([7; 16]));
/// assert_eq!(identity.x25519_secret().hazmat_bytes().len(), 32);
/// ```
pub trait SecretBytes<const N: usize> {
    /// The secret's bytes. Do not copy them anywhere that is not wiped.
    fn hazmat_bytes(&self) -> &[u8; N];
}

/// libsodium's 64-byte Ed25519 secret key (seed ‖ public key) of an identity, wiped on drop.
#[must_use]
pub fn ed25519_secret_key(identity: &Identity) -> Zeroizing<[u8; 64]> {
    identity.libsodium_secret_key()
}

/// X25519 of a raw scalar (clamped) and a raw point, with libsodium's rule that an all-zero
/// result is an error ([`Error::NonContributoryKey`](crate::Error::NonContributoryKey)).
pub fn x25519(scalar: &[u8; 32], point: &[u8; 32]) -> crate::Result<SharedSecret> {
    crate::secret::x25519(scalar, point)
}

/// A [`SharedSecret`] from its 32 bytes, as [`SharedSecret::to_zeroizing`] gave them: for a
/// secret that must outlive the process, such as the key of a reply still to come. `bytes` is
/// wiped. No X25519 is computed and nothing checks that the bytes are a real shared secret.
///
/// ```
/// use session_core::hazmat::{self, SecretBytes as _};
///
/// let shared = hazmat::x25519(&[1; 32], &hazmat::x25519_public_key(&[2; 32]).to_bytes())?;
/// let stored = shared.to_zeroizing();
/// assert_eq!(hazmat::shared_secret_from_bytes(*stored), shared);
/// # Ok::<(), session_core::Error>(())
/// ```
#[must_use]
pub fn shared_secret_from_bytes(bytes: [u8; 32]) -> SharedSecret {
    crate::secret::shared_from_bytes(bytes)
}

/// The X25519 public key of a raw scalar (clamped), like libsodium's
/// `crypto_scalarmult_base`.
#[must_use]
pub fn x25519_public_key(scalar: &[u8; 32]) -> X25519PublicKey {
    crate::secret::public_key_of(scalar)
}

/// The X25519 implementation this process uses: `"graviola"` when the `fast-x25519` feature is
/// on and this CPU has the instructions graviola's assembly needs (checked once per process),
/// else `"x25519-dalek"`. Both give identical results; this is for diagnostics and
/// benchmarks.
///
/// ```
/// let name = session_core::hazmat::x25519_backend();
/// assert!(name == "graviola" || name == "x25519-dalek");
/// ```
#[must_use]
pub fn x25519_backend() -> &'static str {
    crate::secret::backend_name()
}

/// Whether graviola's assembly may run in this process: `true` when the `fast-x25519` feature
/// is on, the target is x86_64 or aarch64, and this CPU has every instruction graviola requires
/// (checked once per process; later calls read the cached answer). graviola panics on a CPU
/// without them, so code with its own graviola backend (session-onion's `fast-aead`) asks here
/// before calling it. Always `false` without the feature.
///
/// ```
/// if session_core::hazmat::graviola_available() {
///     assert_eq!(session_core::hazmat::x25519_backend(), "graviola");
/// }
/// ```
#[must_use]
pub fn graviola_available() -> bool {
    crate::secret::graviola_available()
}
