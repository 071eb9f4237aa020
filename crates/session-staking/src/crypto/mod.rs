//! CryptoNote primitives as oxend applies them: `cn_fast_hash`, hash-to-scalar, key checks,
//! Schnorr signatures, one-member ring signatures over key images, key derivations, Monero's
//! `hash_to_ec` and the RingCT generator `H`.
//!
//! Every check reproduces the reference's acceptance rules exactly: points must decompress with
//! a canonical `y` (and `x = 0` only with a clear sign bit), scalars must be canonical
//! (`sc_check`), and the hashed bytes are the bytes received, not a re-encoding.

mod field;
mod hash_to_point;
pub mod rct;
mod signer;

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use session_core::Writer as _;
use sha3::{Digest, Keccak256};

pub use hash_to_point::{hash_to_ec, hash_to_point};
pub use signer::SecretKey;

/// CryptoNote's `cn_fast_hash`: the original Keccak-256 (0x01 padding), not SHA3-256.
#[must_use]
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// Keccak-256 over several byte strings, as if concatenated.
pub(crate) fn keccak256_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Keccak256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// CryptoNote's `hash_to_scalar` (`Hs`): Keccak-256, then reduce modulo ℓ (`sc_reduce32`).
#[must_use]
pub fn hash_to_scalar(data: &[u8]) -> Scalar {
    Scalar::from_bytes_mod_order(keccak256(data))
}

pub(crate) fn hash_to_scalar_parts(parts: &[&[u8]]) -> Scalar {
    Scalar::from_bytes_mod_order(keccak256_parts(parts))
}

/// A 32-byte CryptoNote public key (a compressed Edwards point), as carried on chain. It is not
/// checked until used: [`PublicKey::is_valid`] applies oxend's `check_key`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey(pub [u8; 32]);

/// A key image `I = x·Hp(P)`: the tag that locks a staked output.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyImage(pub [u8; 32]);

/// The shared secret `8·r·A` between a transaction key and a view key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyDerivation(pub [u8; 32]);

macro_rules! hex_debug {
    ($t:ty, $name:literal) => {
        impl core::fmt::Debug for $t {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!($name, "("))?;
                for b in &self.0 {
                    write!(f, "{b:02x}")?;
                }
                f.write_str(")")
            }
        }
    };
}
hex_debug!(PublicKey, "PublicKey");
hex_debug!(KeyImage, "KeyImage");
hex_debug!(KeyDerivation, "KeyDerivation");

impl PublicKey {
    /// The key as a curve point, if it passes oxend's `check_key`.
    #[must_use]
    pub fn point(&self) -> Option<EdwardsPoint> {
        decompress(&self.0)
    }

    /// oxend's `check_key`: the bytes decode to a curve point.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.point().is_some()
    }
}

impl From<EdwardsPoint> for PublicKey {
    fn from(p: EdwardsPoint) -> Self {
        PublicKey(p.compress().to_bytes())
    }
}

/// A CryptoNote Schnorr signature `(c, r)`, 64 bytes on the wire (`c` first).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// The challenge scalar, as received.
    pub c: [u8; 32],
    /// The response scalar, as received.
    pub r: [u8; 32],
}

impl core::fmt::Debug for Signature {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Signature(")?;
        for b in self.c.iter().chain(&self.r) {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

impl Signature {
    /// Splits the 64 wire bytes into `c ‖ r`.
    #[must_use]
    pub fn from_bytes(bytes: &[u8; 64]) -> Self {
        let mut c = [0u8; 32];
        let mut r = [0u8; 32];
        let (lo, hi) = bytes.split_at(32);
        c.copy_from_slice(lo);
        r.copy_from_slice(hi);
        Signature { c, r }
    }

    /// The 64 wire bytes `c ‖ r`.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        let (lo, hi) = out.split_at_mut(32);
        lo.copy_from_slice(&self.c);
        hi.copy_from_slice(&self.r);
        out
    }

    fn scalars(&self) -> Option<(Scalar, Scalar)> {
        let c = canonical_scalar(&self.c)?;
        let r = canonical_scalar(&self.r)?;
        Some((c, r))
    }
}

/// `sc_check`: the bytes are a scalar below ℓ.
#[must_use]
pub fn canonical_scalar(bytes: &[u8; 32]) -> Option<Scalar> {
    Option::from(Scalar::from_canonical_bytes(*bytes))
}

/// p = 2^255 - 19, little-endian.
const FIELD_P: [u8; 32] = {
    let mut p = [0xffu8; 32];
    p[0] = 0xed;
    p[31] = 0x7f;
    p
};

fn y_is_canonical(bytes: &[u8; 32]) -> bool {
    let mut y = *bytes;
    if let Some(top) = y.get_mut(31) {
        *top &= 0x7f;
    }
    // Compare little-endian integers from the most significant byte down.
    for (a, b) in y.iter().rev().zip(FIELD_P.iter().rev()) {
        if a != b {
            return a < b;
        }
    }
    false
}

/// `ge_frombytes_vartime` as oxend has it: a canonical `y`, a point on the curve, and no
/// negative zero `x` (the sign bit set on `y = ±1`).
pub(crate) fn decompress(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    if !y_is_canonical(bytes) {
        return None;
    }
    let point = CompressedEdwardsY(*bytes).decompress()?;
    let sign = bytes.get(31).is_some_and(|b| b & 0x80 != 0);
    // x = 0 exactly when y = ±1 (the identity and the order-2 point).
    if sign {
        let mut y = *bytes;
        if let Some(top) = y.get_mut(31) {
            *top &= 0x7f;
        }
        let mut minus_one = FIELD_P;
        minus_one[0] = 0xec;
        if y == IDENTITY_BYTES || y == minus_one {
            return None;
        }
    }
    Some(point)
}

/// The encoding of the identity point, which `check_signature` refuses as a commitment.
const IDENTITY_BYTES: [u8; 32] = {
    let mut b = [0u8; 32];
    b[0] = 1;
    b
};

/// `crypto::check_signature`: a CryptoNote Schnorr signature by `pubkey` over a 32-byte hash.
///
/// Valid iff `pubkey` is a point, `c` and `r` are canonical with `c ≠ 0`, `X = c·P + r·G` is not
/// the identity, and `Hs(hash ‖ P ‖ X) = c`.
#[must_use]
pub fn check_signature(hash: &[u8; 32], pubkey: &PublicKey, sig: &Signature) -> bool {
    let Some(point) = pubkey.point() else {
        return false;
    };
    let Some((c, r)) = sig.scalars() else {
        return false;
    };
    if c == Scalar::ZERO {
        return false;
    }
    let x = EdwardsPoint::vartime_double_scalar_mul_basepoint(&c, &point, &r);
    let x_bytes = x.compress().to_bytes();
    if x_bytes == IDENTITY_BYTES {
        return false;
    }
    hash_to_scalar_parts(&[hash, &pubkey.0, &x_bytes]) == c
}

/// `crypto::check_key_image_signature`: the one-member ring signature a stake carries to prove
/// that `image` is the key image of `pubkey`.
///
/// `L = c·P + r·G`, `R = r·Hp(P) + c·I`; valid iff `Hs(I ‖ L ‖ R) = c` (the key image doubles as
/// the signed message, as in the reference).
#[must_use]
pub fn check_key_image_signature(image: &KeyImage, pubkey: &PublicKey, sig: &Signature) -> bool {
    let Some(image_point) = decompress(&image.0) else {
        return false;
    };
    let Some((c, r)) = sig.scalars() else {
        return false;
    };
    let Some(point) = pubkey.point() else {
        return false;
    };
    let l = EdwardsPoint::vartime_double_scalar_mul_basepoint(&c, &point, &r);
    let hp = hash_to_ec(&pubkey.0);
    let rr = EdwardsPoint::vartime_multiscalar_mul([r, c], [hp, image_point]);
    hash_to_scalar_parts(&[
        &image.0,
        &l.compress().to_bytes(),
        &rr.compress().to_bytes(),
    ]) == c
}

/// `crypto::generate_key_derivation`: `D = 8·(r·A)`. `None` if `pubkey` is not a point.
/// Reached through [`SecretKey::key_derivation`] and
/// [`TxSecretKey::key_derivation`](crate::tx_extra::TxSecretKey::key_derivation).
pub(crate) fn generate_key_derivation(pubkey: &PublicKey, r: &Scalar) -> Option<KeyDerivation> {
    let point = pubkey.point()?;
    Some(KeyDerivation(
        (point * r).mul_by_cofactor().compress().to_bytes(),
    ))
}

/// `crypto::derivation_to_scalar`: `Hs(D ‖ varint(index))`.
#[must_use]
pub fn derivation_to_scalar(derivation: &KeyDerivation, output_index: u64) -> Scalar {
    let mut buf = alloc::vec::Vec::with_capacity(32 + session_core::MAX_VARINT_LEN);
    buf.write_all(&derivation.0);
    buf.write_varint(output_index);
    hash_to_scalar(&buf)
}

/// `crypto::derive_public_key`: `Hs(D ‖ varint(i))·G + B`. `None` if `base` is not a point.
#[must_use]
pub fn derive_public_key(
    derivation: &KeyDerivation,
    output_index: u64,
    base: &PublicKey,
) -> Option<PublicKey> {
    let b = base.point()?;
    let s = derivation_to_scalar(derivation, output_index);
    Some(PublicKey::from(EdwardsPoint::mul_base(&s) + b))
}

/// RingCT's second generator `H = 8·decompress(keccak256(G))`, compressed.
pub const GENERATOR_H_BYTES: [u8; 32] = [
    0x8b, 0x65, 0x59, 0x70, 0x15, 0x37, 0x99, 0xaf, 0x2a, 0xea, 0xdc, 0x9f, 0xf1, 0xad, 0xd0, 0xea,
    0x6c, 0x72, 0x51, 0xd5, 0x41, 0x54, 0xcf, 0xa9, 0x2c, 0x17, 0x3a, 0x0d, 0xd3, 0x9c, 0x1f, 0x94,
];

/// RingCT's generator `H` as a point.
#[must_use]
pub fn generator_h() -> EdwardsPoint {
    // The constant is a valid point (checked by a test against its derivation); the fallback
    // recomputes it rather than panic.
    CompressedEdwardsY(GENERATOR_H_BYTES)
        .decompress()
        .unwrap_or_else(|| {
            CompressedEdwardsY(keccak256(ED25519_BASEPOINT_POINT.compress().as_bytes()))
                .decompress()
                .map_or_else(EdwardsPoint::identity, |p| p.mul_by_cofactor())
        })
}

/// A Pedersen commitment `mask·G + amount·H` (`rct::addKeys2`).
#[must_use]
pub fn commit(mask: &Scalar, amount: &Scalar) -> EdwardsPoint {
    EdwardsPoint::vartime_double_scalar_mul_basepoint(amount, &generator_h(), mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_h_is_derived_from_g() {
        let derived = CompressedEdwardsY(keccak256(ED25519_BASEPOINT_POINT.compress().as_bytes()))
            .decompress()
            .map(|p| p.mul_by_cofactor().compress().to_bytes());
        assert_eq!(derived, Some(GENERATOR_H_BYTES));
        assert_eq!(generator_h().compress().to_bytes(), GENERATOR_H_BYTES);
    }

    #[test]
    fn decompress_rejects_non_canonical_and_negative_zero() {
        // y = p + 1 encodes 1 non-canonically.
        let mut y = FIELD_P;
        y[0] = 0xee;
        assert!(decompress(&y).is_none());
        assert!(decompress(&IDENTITY_BYTES).is_some());
        let mut neg_zero = IDENTITY_BYTES;
        neg_zero[31] |= 0x80;
        assert!(decompress(&neg_zero).is_none());
        // (0, -1): y = p - 1.
        let mut minus_one = FIELD_P;
        minus_one[0] = 0xec;
        assert!(decompress(&minus_one).is_some());
        minus_one[31] |= 0x80;
        assert!(decompress(&minus_one).is_none());
    }
}

/// Which signature failed, for [`VerifyError::InvalidSignature`](crate::VerifyError::InvalidSignature) and [`QuorumError::InvalidSignature`](crate::QuorumError::InvalidSignature).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignedItem {
    /// The registration's signature by the service node key.
    Registration,
    /// The key-image unlock request's signature.
    KeyImageUnlock,
    /// A state-change vote, by its position in the transaction.
    Vote {
        /// Position of the vote.
        index: usize,
    },
    /// The uptime proof's CryptoNote signature.
    UptimeProof,
    /// The uptime proof's Ed25519 signature.
    UptimeProofEd25519,
    /// The HF20 uptime proof's BLS proof of possession.
    UptimeProofBls,
}

impl core::fmt::Display for SignedItem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SignedItem::Registration => f.write_str("registration"),
            SignedItem::KeyImageUnlock => f.write_str("key image unlock"),
            SignedItem::Vote { index } => write!(f, "vote {index}"),
            SignedItem::UptimeProof => f.write_str("uptime proof"),
            SignedItem::UptimeProofEd25519 => f.write_str("uptime proof (Ed25519)"),
            SignedItem::UptimeProofBls => f.write_str("uptime proof (BLS proof of possession)"),
        }
    }
}
