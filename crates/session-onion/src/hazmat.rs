//! Byte-level hop cryptography on raw arrays, for interoperability work (known-answer
//! vectors, keys held by other code). Prefer [`crate::NodeKey`] and [`crate::hop`]: there
//! secrets are typed, wiped and never copied by accident.
//!
//! Nothing here computes a public key behind the caller's back: functions that need the local
//! public key take it, so a caller holding a key pair pays for one X25519 per layer, not two.

use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::hazmat::SecretBytes as _;
use zeroize::Zeroizing;

use crate::hop::{HopKey, Role};
use crate::{CryptoError, EncType};

/// The X25519 public key of a raw secret (clamped, as libsodium's `crypto_scalarmult_base`).
#[must_use]
pub fn public_key(secret: &[u8; 32]) -> [u8; 32] {
    session_core::hazmat::x25519_public_key(secret).to_bytes()
}

/// X25519 with libsodium's rule: an all-zero result (small-order peer key) is an error.
pub fn shared_secret(
    local_secret: &[u8; 32],
    remote_public: &[u8; 32],
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    let shared = session_core::hazmat::x25519(local_secret, remote_public)?;
    Ok(Zeroizing::new(*shared.hazmat_bytes()))
}

/// The hop key between a raw local key pair, playing `role`, and `remote_public`.
pub fn hop_key(
    enc: EncType,
    role: Role,
    local_secret: &[u8; 32],
    local_public: &[u8; 32],
    remote_public: &[u8; 32],
) -> Result<HopKey, CryptoError> {
    let shared = shared_secret(local_secret, remote_public)?;
    Ok(HopKey::for_role(
        enc,
        role,
        &shared,
        local_public,
        remote_public,
    ))
}

/// The hop key from an already computed shared secret and both public keys (*client* = the
/// side holding the ephemeral key). Only XChaCha20 hashes the public keys.
#[must_use]
pub fn hop_key_from_shared(
    enc: EncType,
    shared: &[u8; 32],
    client_public: &[u8; 32],
    server_public: &[u8; 32],
) -> HopKey {
    HopKey::from_shared_bytes(enc, shared, client_public, server_public)
}

/// The symmetric key's bytes.
#[must_use]
pub fn hop_key_bytes(key: &HopKey) -> &[u8; 32] {
    key.bytes()
}

/// Encrypts `plaintext` from a raw local key pair (playing `role`) to `remote_public`:
/// `nonce ‖ ciphertext ‖ tag`, the nonce drawn from `rng`.
pub fn encrypt<R: CryptoRng + ?Sized>(
    enc: EncType,
    role: Role,
    local_secret: &[u8; 32],
    local_public: &[u8; 32],
    remote_public: &[u8; 32],
    plaintext: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, CryptoError> {
    hop_key(enc, role, local_secret, local_public, remote_public)?.seal(plaintext, rng)
}

/// Decrypts `nonce ‖ ciphertext ‖ tag` sent between `remote_public` and a raw local key pair
/// (playing `role`). Too-short input is refused before the key agreement.
pub fn decrypt(
    enc: EncType,
    role: Role,
    local_secret: &[u8; 32],
    local_public: &[u8; 32],
    remote_public: &[u8; 32],
    ciphertext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    if ciphertext.len() < enc.overhead() {
        return Err(CryptoError::Decryption);
    }
    hop_key(enc, role, local_secret, local_public, remote_public)?.open(ciphertext)
}
