//! Monero's hash-to-point (`ge_fromfe_frombytes_vartime`) and `hash_to_ec`.
//!
//! The map is an Elligator-2 variant onto Curve25519, carried to Edwards form with the sign
//! choices of the reference. Rather than track the projective `x`, it computes `y` and the sign
//! of `x` the reference would produce, then lets curve25519-dalek decompress: the reference's
//! point satisfies the curve equation, so this recovers exactly the same point.

use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::traits::Identity;

use super::field::Fe;
use super::keccak256;

/// Montgomery `A` of Curve25519.
const A: u64 = 486_662;

/// `ge_fromfe_frombytes_vartime`: maps 32 bytes (read as a 256-bit integer modulo p) to a curve
/// point, without clearing the cofactor.
#[must_use]
pub fn hash_to_point(bytes: &[u8; 32]) -> EdwardsPoint {
    let a = Fe::from_u64(A);
    let u = Fe::from_bytes_wide(bytes);
    let v = u.square().add(&u.square()); // 2u²
    let w = v.add(&Fe::ONE); // 2u² + 1
    let x = w.square().sub(&a.square().mul(&v)); // w² - 2A²u²
    // Candidate square root of w/x: w·x³·(w·x⁷)^((p-5)/8).
    let x3 = x.square().mul(&x);
    let x7 = x3.square().mul(&x);
    let r = w.mul(&x3).mul(&w.mul(&x7).pow_p58());
    let t = r.square().mul(&x);
    // The reference's first branch: w/x (or -w/x) is a square, and it uses z = -2A·u².
    let square_branch = t.eq(&w) || t.add(&w).is_zero();
    let z = if square_branch {
        a.neg().mul(&v)
    } else {
        a.neg()
    };
    let y = z.sub(&w).mul(&z.add(&w).invert());
    let mut enc = y.to_bytes();
    if !square_branch {
        // The reference makes x negative (odd) in the second branch and even in the first.
        if let Some(top) = enc.get_mut(31) {
            *top |= 0x80;
        }
    }
    // The point is on the curve by construction; identity only for inputs that never occur.
    CompressedEdwardsY(enc)
        .decompress()
        .unwrap_or_else(EdwardsPoint::identity)
}

/// `hash_to_ec` (`Hp`): `8·hash_to_point(keccak256(key))`. Monero calls this
/// `biased_hash_to_ec`; it is the map key images are built on.
#[must_use]
pub fn hash_to_ec(key: &[u8; 32]) -> EdwardsPoint {
    hash_to_point(&keccak256(key)).mul_by_cofactor()
}
