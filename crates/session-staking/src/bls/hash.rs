//! Hash to G2 exactly as the rewards contract (`BN256G2.hashToG2`) and oxend do it: try and
//! increment over `expand_message_xmd` with keccak256, mcl's choice of Fp2 square root, and
//! the cofactor clearing of Fuentes-Castañeda, Knapp and Rodríguez-Henríquez.
//!
//! The field and curve arithmetic is arkworks'; only the choices the network fixed (which
//! bytes, which root, which endomorphism chain) are written here.

use ark_bn254::{Fq, Fq2, G2Affine, G2Projective, g2};
use ark_ec::models::short_weierstrass::SWCurveConfig;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, MontFp, PrimeField, Zero};
use sha3::{Digest, Keccak256};

use super::encoding::{fq_to_be, g2_to_bytes};
use super::{Domain, TagKind};

/// keccak256's rate in bytes: the length of `Z_pad` in RFC 9380's `expand_message_xmd`.
const KECCAK_BLOCK: usize = 136;

/// `(p + 1) / 4`: for p ≡ 3 (mod 4), `a^((p+1)/4)` is a square root of `a` when one exists.
/// Both oxend and the contract take exactly this root, so the sign of every root below is
/// fixed by it.
const P_PLUS_1_OVER_4: [u64; 4] = [
    0x4f08_2305_b61f_3f52,
    0x65e0_5aa4_5a1c_72a3,
    0x6e14_116d_a060_5617,
    0x0c19_139c_b84c_680a,
];

/// 1/2 in Fp, (p + 1) / 2.
const HALF: Fq =
    MontFp!("10944121435919637611123202872628637544348155578648911831344518947322613104292");

/// The BN parameter z (`u` in oxend, `CURVE_ORDER_FACTOR` in the contract).
const Z: u64 = 4_965_661_367_192_848_881;

/// ξ^((p−1)/3) with ξ = 9 + i: the x factor of ψ.
const PSI_X: Fq2 = Fq2::new(
    MontFp!("21575463638280843010398324269430826099269044274347216827212613867836435027261"),
    MontFp!("10307601595873709700152284273816112264069230130616436755625194854815875713954"),
);

/// ξ^((p−1)/2): the y factor of ψ.
const PSI_Y: Fq2 = Fq2::new(
    MontFp!("2821565182194536844548159561693502659359617185244120367078079554186484126554"),
    MontFp!("3505843767911556378687030309984248845540243509899259641013678093033130930403"),
);

/// RFC 9380 `expand_message_xmd` with keccak256, 128 output bytes, of `message ‖ suffix`.
///
/// `suffix` is the try-and-increment counter, passed apart so that no buffer is copied.
pub(crate) fn expand_message_xmd(message: &[u8], suffix: &[u8], dst: &[u8; 32]) -> [u8; 128] {
    // DST_prime = DST ‖ I2OSP(len(DST), 1); len_in_bytes = 128 = 0x0080.
    let dst_len = [32u8];
    let b0: [u8; 32] = Keccak256::new()
        .chain_update([0u8; KECCAK_BLOCK])
        .chain_update(message)
        .chain_update(suffix)
        .chain_update([0x00, 0x80, 0x00])
        .chain_update(dst)
        .chain_update(dst_len)
        .finalize()
        .into();
    let mut out = [0u8; 128];
    let mut previous = [0u8; 32];
    for (i, block) in (1u8..).zip(out.chunks_exact_mut(32)) {
        // b1 = H(b0 ‖ 1 ‖ DST'), b_i = H((b0 ⊕ b_{i−1}) ‖ i ‖ DST'); b0 ⊕ 0 = b0 for the first.
        let mut xored = b0;
        xored.iter_mut().zip(previous).for_each(|(x, p)| *x ^= p);
        let bi: [u8; 32] = Keccak256::new()
            .chain_update(xored)
            .chain_update([i])
            .chain_update(dst)
            .chain_update(dst_len)
            .finalize()
            .into();
        block.copy_from_slice(&bi);
        previous = bi;
    }
    out
}

/// The contract's `hashToField` on expanded bytes: `u0 = bytes[0..48] mod p`,
/// `u1 = bytes[48..96] mod p`, and the low bit of `bytes[127]` choosing the negative root.
pub(crate) fn field_elements(expanded: &[u8; 128]) -> (Fq, Fq, bool) {
    let (u0, rest) = expanded.split_at(48);
    let (u1, _) = rest.split_at(48);
    let negative = expanded.last().is_some_and(|b| b & 1 == 1);
    (
        Fq::from_be_bytes_mod_order(u0),
        Fq::from_be_bytes_mod_order(u1),
        negative,
    )
}

/// `a^((p+1)/4)` if it squares back to `a`.
fn fp_sqrt(a: Fq) -> Option<Fq> {
    let root = a.pow(P_PLUS_1_OVER_4);
    (root.square() == a).then_some(root)
}

/// The square root of `c + d·i` that mcl's `Fp2::squareRoot` returns (and the contract's
/// `FQ2Sqrt`, oxend's translation of it): `a = √((c ± √(c² + d²)) / 2)` trying `+` first,
/// `b = d / 2a`. Which of the two roots comes out matters: the hash negates it on one bit.
pub(crate) fn fq2_sqrt(x: Fq2) -> Option<Fq2> {
    let (c, d) = (x.c0, x.c1);
    if d.is_zero() {
        // (√c, 0), or (0, √−c) when c is not a square. (p+1)/4 is even, so √−c computed as
        // (−c)^((p+1)/4) equals the contract's c^((p+1)/4).
        return match fp_sqrt(c) {
            Some(root) => Some(Fq2::new(root, Fq::ZERO)),
            None => fp_sqrt(-c).map(|root| Fq2::new(Fq::ZERO, root)),
        };
    }
    let norm_root = fp_sqrt(c.square() + d.square())?;
    let half = |t: Fq| t * HALF;
    let a = fp_sqrt(half(c + norm_root)).or_else(|| fp_sqrt(half(c - norm_root)))?;
    let b = d * a.double().inverse()?;
    Some(Fq2::new(a, b))
}

/// Try and increment: the first counter byte whose `x = u0 + u1·i` has `x³ + b′` square.
///
/// The contract also skips a root with a zero coordinate, oxend does not; a hash landing on
/// one is a 2⁻²⁵³ event, and we follow oxend, which signs.
fn map_to_twist(message: &[u8], dst: &[u8; 32]) -> G2Affine {
    let mut counter: u8 = 0;
    loop {
        let (u0, u1, negative) = field_elements(&expand_message_xmd(message, &[counter], dst));
        let x = Fq2::new(u0, u1);
        let y_squared = x.square() * x + g2::Config::COEFF_B;
        if let Some(root) = fq2_sqrt(y_squared) {
            let y = if negative { -root } else { root };
            return G2Affine::new_unchecked(x, y);
        }
        // A 2⁻²⁵⁶ chance of running through all 256 counters; the contract and oxend would
        // overflow their `uint8` the same way, so the wrap is the reference behaviour.
        counter = counter.wrapping_add(1);
    }
}

/// ψ, the untwist–Frobenius–twist endomorphism, on Jacobian coordinates: conjugation is a
/// field automorphism, so it commutes with the division by Z², Z³.
fn psi(p: &G2Projective) -> G2Projective {
    let mut q = *p;
    q.x.conjugate_in_place();
    q.y.conjugate_in_place();
    q.z.conjugate_in_place();
    q.x *= PSI_X;
    q.y *= PSI_Y;
    q
}

/// `[z]P + ψ([3z]P) + ψ²([z]P) + ψ³(P)`: a multiple of P in the order-r subgroup.
///
/// P is taken affine so that the scalar multiplication uses mixed additions.
fn clear_cofactor(p: &G2Affine) -> G2Projective {
    let zp = p.mul_bigint([Z]);
    let three_zp = zp.double() + zp;
    zp + psi(&three_zp) + psi(&psi(&zp)) + psi(&psi(&psi(&p.into_group())))
}

/// The hash of `message` to G2 under the domain's hash-to-G2 tag.
pub(crate) fn hash_to_curve(domain: &Domain, message: &[u8]) -> G2Affine {
    let dst = domain.tag(TagKind::HashToG2);
    clear_cofactor(&map_to_twist(message, &dst)).into_affine()
}

/// The hash of `message` to G2 as the rewards contract's `hashToG2` computes it, encoded as a
/// signature is (`X.c0 ‖ X.c1 ‖ Y.c0 ‖ Y.c1`, big-endian).
///
/// The message is hashed as given: the signed messages already start with their purpose's
/// tag (see [`proof_of_possession_message`](super::proof_of_possession_message) and the other
/// builders).
#[must_use]
pub fn hash_to_g2(domain: &Domain, message: &[u8]) -> [u8; 128] {
    g2_to_bytes(&hash_to_curve(domain, message))
}

/// The contract's `hashToField`: `(u0, u1, negative)` of `message` under `dst`, big-endian.
pub(crate) fn hash_to_field(message: &[u8], dst: &[u8; 32]) -> ([u8; 32], [u8; 32], bool) {
    let (u0, u1, negative) = field_elements(&expand_message_xmd(message, &[], dst));
    (fq_to_be(&u0), fq_to_be(&u1), negative)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::PrimeGroup;
    use ark_ff::{BigInteger, Fp2Config};

    #[test]
    fn exponent_is_p_plus_one_over_four() {
        let mut p = Fq::MODULUS;
        p.add_with_carry(&1u64.into());
        p.div2();
        p.div2();
        assert_eq!(p.0, P_PLUS_1_OVER_4);
        assert_eq!(HALF.double(), Fq::ONE);
    }

    #[test]
    fn psi_constants_are_powers_of_xi() {
        let xi = Fq2::new(MontFp!("9"), Fq::ONE);
        let mut third = Fq::MODULUS;
        third.sub_with_borrow(&1u64.into());
        let mut half = third;
        half.div2();
        let third = Fq::from_bigint(third)
            .map(|t| t / Fq::from(3u64))
            .map(|t| t.into_bigint());
        assert_eq!(third.map(|t| xi.pow(t)), Some(PSI_X));
        assert_eq!(xi.pow(half), PSI_Y);
        // The nonresidue arkworks builds Fp6 on is the same ξ.
        assert_eq!(<ark_bn254::Fq6Config as ark_ff::Fp6Config>::NONRESIDUE, xi);
        assert_eq!(<ark_bn254::Fq2Config as Fp2Config>::NONRESIDUE, -Fq::ONE);
    }

    #[test]
    fn cleared_points_are_in_the_subgroup() {
        for counter in 0u8..8 {
            let p = map_to_twist(&[counter], &[7; 32]);
            assert!(p.is_on_curve());
            let q = clear_cofactor(&p).into_affine();
            assert!(q.is_on_curve() && q.is_in_correct_subgroup_assuming_on_curve());
            assert!(!q.is_zero());
        }
        assert_eq!(
            psi(&G2Projective::generator()).into_affine(),
            G2Projective::generator()
                .mul_bigint(six_z_squared())
                .into_affine()
        );
    }

    /// On the order-r subgroup ψ acts as multiplication by p mod r = 6z².
    fn six_z_squared() -> [u64; 2] {
        let zz = u128::from(Z) * u128::from(Z) * 6;
        [zz as u64, (zz >> 64) as u64]
    }
}
