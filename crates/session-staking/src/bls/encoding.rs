//! The network's point encodings: big-endian coordinates, G1 as `X ‖ Y`, G2 as
//! `X.c0 ‖ X.c1 ‖ Y.c0 ‖ Y.c1` (oxend's and the contract's `sigs0..3` order; only the EIP-197
//! precompile call swaps each pair), the identity as all zeros.

use ark_bn254::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{AdditiveGroup, BigInt, PrimeField, Zero};

use super::error::PointError;

/// A canonical big-endian field element, or `None` when it is not below p.
pub(crate) fn fq_from_be(bytes: &[u8; 32]) -> Option<Fq> {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().rev().zip(bytes.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    Fq::from_bigint(BigInt::new(limbs))
}

/// The big-endian bytes of a field element.
pub(crate) fn fq_to_be(f: &Fq) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, limb) in out.chunks_exact_mut(8).zip(f.into_bigint().0.iter().rev()) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// Splits 64 bytes into two 32-byte halves.
fn halves(bytes: &[u8; 64]) -> ([u8; 32], [u8; 32]) {
    let (a, b) = bytes.split_at(32);
    let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
    x.copy_from_slice(a);
    y.copy_from_slice(b);
    (x, y)
}

fn coordinate(bytes: &[u8; 32], what: &'static str, name: &'static str) -> Result<Fq, PointError> {
    fq_from_be(bytes).ok_or(PointError::NonCanonical {
        what,
        coordinate: name,
    })
}

/// A public key: canonical coordinates, not all zero, on the curve (G1 has cofactor 1).
pub(crate) fn g1_from_bytes(bytes: &[u8; 64]) -> Result<G1Affine, PointError> {
    const WHAT: &str = "public key";
    let (x, y) = halves(bytes);
    let x = coordinate(&x, WHAT, "X")?;
    let y = coordinate(&y, WHAT, "Y")?;
    if x.is_zero() && y.is_zero() {
        return Err(PointError::ZeroPublicKey);
    }
    let point = G1Affine::new_unchecked(x, y);
    if !point.is_on_curve() {
        return Err(PointError::NotOnCurve { what: WHAT });
    }
    Ok(point)
}

/// `X ‖ Y`, all zeros for the identity.
pub(crate) fn g1_to_bytes(point: &G1Affine) -> [u8; 64] {
    let mut out = [0u8; 64];
    if let Some((x, y)) = point.xy() {
        let (a, b) = out.split_at_mut(32);
        a.copy_from_slice(&fq_to_be(&x));
        b.copy_from_slice(&fq_to_be(&y));
    }
    out
}

/// A signature: canonical coordinates, then all zeros (the identity, as oxend's decoder and
/// the precompile accept it), or on the twist and in the order-r subgroup.
pub(crate) fn g2_from_bytes(bytes: &[u8; 128]) -> Result<G2Affine, PointError> {
    const WHAT: &str = "signature";
    const NAMES: [&str; 4] = ["X.c0", "X.c1", "Y.c0", "Y.c1"];
    let mut coords = [Fq::ZERO; 4];
    for ((coord, chunk), name) in coords.iter_mut().zip(bytes.chunks_exact(32)).zip(NAMES) {
        let mut word = [0u8; 32];
        word.copy_from_slice(chunk);
        *coord = coordinate(&word, WHAT, name)?;
    }
    let [x0, x1, y0, y1] = coords;
    if coords.iter().all(|c| c.is_zero()) {
        return Ok(G2Affine::zero());
    }
    let point = G2Affine::new_unchecked(Fq2::new(x0, x1), Fq2::new(y0, y1));
    if !point.is_on_curve() {
        return Err(PointError::NotOnCurve { what: WHAT });
    }
    if !point.is_in_correct_subgroup_assuming_on_curve() {
        return Err(PointError::NotInSubgroup);
    }
    Ok(point)
}

/// `X.c0 ‖ X.c1 ‖ Y.c0 ‖ Y.c1`, all zeros for the identity.
pub(crate) fn g2_to_bytes(point: &G2Affine) -> [u8; 128] {
    let mut out = [0u8; 128];
    if let Some((x, y)) = point.xy() {
        for (chunk, c) in out.chunks_exact_mut(32).zip([x.c0, x.c1, y.c0, y.c1]) {
            chunk.copy_from_slice(&fq_to_be(&c));
        }
    }
    out
}
