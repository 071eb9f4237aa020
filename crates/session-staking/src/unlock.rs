//! Stake unlock requests (tag 0x77).

use crate::crypto::{KeyImage, PublicKey, SignedItem, check_signature};
use crate::error::{Result, VerifyError};
use crate::tx_extra::KeyImageUnlock;

/// The value oxend always sends as the unlock "nonce" (`"UNLK"`).
pub const UNLOCK_NONCE: u32 = 0x4B4C_4E55;

/// `generate_request_stake_unlock_hash(nonce)`: the nonce as u32le written 8 times. Not hashed.
#[must_use]
pub fn stake_unlock_hash(nonce: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    for chunk in out.chunks_exact_mut(4) {
        chunk.copy_from_slice(&nonce.to_le_bytes());
    }
    out
}

/// An unlock request whose signature has been checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedUnlock {
    /// The key image of the contribution to unlock.
    pub key_image: KeyImage,
    /// The contribution's one-time key that signed the request.
    pub contribution_key: PublicKey,
}

/// Checks an unlock request's signature by the locked contribution's one-time key
/// (`key_image_pub_key`). Finding the contribution by key image, and allowing one unlock per
/// node, is the caller's (stateful) part.
pub fn verify_unlock(
    unlock: &KeyImageUnlock,
    contribution_key: &PublicKey,
) -> Result<VerifiedUnlock, VerifyError> {
    if check_signature(
        &stake_unlock_hash(unlock.nonce),
        contribution_key,
        &unlock.signature,
    ) {
        Ok(VerifiedUnlock {
            key_image: unlock.key_image,
            contribution_key: *contribution_key,
        })
    } else {
        Err(VerifyError::InvalidSignature {
            what: SignedItem::KeyImageUnlock,
        })
    }
}
