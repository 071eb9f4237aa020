//! Keys and signatures, and the pairing check that ties them together.

use core::borrow::Borrow;
use core::fmt;
use core::hash::{Hash, Hasher};

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{PrimeField, Zero};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::Domain;
use super::encoding::{g1_from_bytes, g1_to_bytes, g2_from_bytes, g2_to_bytes};
use super::error::PointError;
use super::hash::hash_to_curve;

/// A BLS public key: a point of G1, `X ‖ Y` big-endian on the wire.
///
/// [`from_bytes`](Self::from_bytes) accepts only canonical, on-curve, non-zero keys. A key can
/// still be the identity when it is an aggregate that cancelled out (or the key of a secret
/// ≡ 0 mod r); [`verify`](Self::verify) refuses it, as the contract refuses the zero key.
#[derive(Clone, Copy)]
pub struct BlsPublicKey {
    point: G1Affine,
}

impl BlsPublicKey {
    /// Decodes a key, refusing coordinates ≥ p, the all-zero key and points off the curve.
    pub fn from_bytes(bytes: &[u8; 64]) -> Result<Self, PointError> {
        g1_from_bytes(bytes).map(|point| Self { point })
    }

    /// `X ‖ Y`, 32 bytes big-endian each (all zeros for the identity).
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 64] {
        g1_to_bytes(&self.point)
    }

    /// Whether this is the identity (the zero key), which verifies nothing.
    #[must_use]
    pub fn is_identity(&self) -> bool {
        self.point.is_zero()
    }

    /// Checks `e(signature, G1) · e(H(message), −self) = 1`, the contract's `pairing2` check,
    /// with `H` the domain's [`hash_to_g2`](super::hash_to_g2). False for the identity key.
    #[must_use]
    pub fn verify(&self, domain: &Domain, message: &[u8], signature: &BlsSignature) -> bool {
        if self.is_identity() {
            return false;
        }
        let hashed = hash_to_curve(domain, message);
        pairing_check(&self.point, &hashed, &signature.point)
    }
}

/// `e(sig, G1) · e(hashed, −key) = 1`, in one multi-pairing (one final exponentiation).
pub(crate) fn pairing_check(key: &G1Affine, hashed: &G2Affine, sig: &G2Affine) -> bool {
    let g1 = [G1Affine::generator(), -*key];
    let g2 = [*sig, *hashed];
    Bn254::multi_pairing(g1, g2).is_zero()
}

/// [`pairing_check`] on decoded points, for [`hazmat`](super::hazmat).
pub(crate) fn pairing_check_decoded(
    key: &BlsPublicKey,
    hashed: &BlsSignature,
    sig: &BlsSignature,
) -> bool {
    pairing_check(&key.point, &hashed.point, &sig.point)
}

impl PartialEq for BlsPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.point == other.point
    }
}

impl Eq for BlsPublicKey {}

impl Hash for BlsPublicKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_bytes().hash(state);
    }
}

impl fmt::Debug for BlsPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlsPublicKey({self})")
    }
}

/// 128 lower-case hex digits.
impl fmt::Display for BlsPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_bytes()
            .iter()
            .try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl TryFrom<&[u8; 64]> for BlsPublicKey {
    type Error = PointError;

    fn try_from(bytes: &[u8; 64]) -> Result<Self, PointError> {
        Self::from_bytes(bytes)
    }
}

/// A BLS signature: a point of G2 in the order-r subgroup, `X.c0 ‖ X.c1 ‖ Y.c0 ‖ Y.c1`
/// big-endian on the wire (c0 the real part).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BlsSignature {
    point: G2Affine,
}

impl BlsSignature {
    /// Decodes a signature, refusing coordinates ≥ p and points off the twist or outside the
    /// order-r subgroup. All zeros is the identity, a valid (if useless) encoding.
    pub fn from_bytes(bytes: &[u8; 128]) -> Result<Self, PointError> {
        g2_from_bytes(bytes).map(|point| Self { point })
    }

    /// `X.c0 ‖ X.c1 ‖ Y.c0 ‖ Y.c1`, 32 bytes big-endian each.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 128] {
        g2_to_bytes(&self.point)
    }

    /// The sum of signatures: what the network's aggregate signature is made of.
    #[must_use]
    pub fn aggregate<I>(signatures: I) -> Self
    where
        I: IntoIterator,
        I::Item: Borrow<Self>,
    {
        let sum = signatures
            .into_iter()
            .fold(ark_bn254::G2Projective::zero(), |acc, s| {
                acc + s.borrow().point
            });
        Self {
            point: sum.into_affine(),
        }
    }
}

impl Hash for BlsSignature {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_bytes().hash(state);
    }
}

impl fmt::Debug for BlsSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlsSignature(")?;
        self.to_bytes()
            .iter()
            .try_for_each(|b| write!(f, "{b:02x}"))?;
        f.write_str(")")
    }
}

impl TryFrom<&[u8; 128]> for BlsSignature {
    type Error = PointError;

    fn try_from(bytes: &[u8; 128]) -> Result<Self, PointError> {
        Self::from_bytes(bytes)
    }
}

/// A BLS secret key: a scalar mod r. Wiped on drop; its `Debug` prints nothing of it.
///
/// Signing uses arkworks' variable-time scalar multiplication: sign on a machine where the
/// timing of signing cannot be observed by an attacker, as oxend's nodes do.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct BlsSecretKey(Fr);

impl BlsSecretKey {
    /// Reads 32 bytes as a big-endian integer reduced mod r, as oxend does: many real keys are
    /// 255-bit values ≥ r.
    ///
    /// The argument is not wiped (it is borrowed): wipe it once the key is made.
    #[must_use]
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self(Fr::from_be_bytes_mod_order(bytes))
    }

    /// The public key `[sk]G1`.
    #[must_use]
    pub fn public_key(&self) -> BlsPublicKey {
        BlsPublicKey {
            point: G1Projective::generator()
                .mul_bigint(self.0.into_bigint())
                .into_affine(),
        }
    }

    /// Signs `message` as it is (not pre-hashed): `[sk]·H(message)`.
    #[must_use]
    pub fn sign(&self, domain: &Domain, message: &[u8]) -> BlsSignature {
        let hashed = hash_to_curve(domain, message);
        BlsSignature {
            point: hashed.mul_bigint(self.0.into_bigint()).into_affine(),
        }
    }
}

impl fmt::Debug for BlsSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlsSecretKey").finish_non_exhaustive()
    }
}

impl ConstantTimeEq for BlsSecretKey {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.into_bigint().0.ct_eq(&other.0.into_bigint().0)
    }
}

impl PartialEq for BlsSecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for BlsSecretKey {}

/// The sum of public keys, as the contract keeps the sum of all registered keys
/// (`aggregatePubkey`). The result may be the identity (an empty list, or keys that cancel).
#[must_use]
pub fn aggregate_public_keys<I>(keys: I) -> BlsPublicKey
where
    I: IntoIterator,
    I::Item: Borrow<BlsPublicKey>,
{
    let sum = keys
        .into_iter()
        .fold(G1Projective::zero(), |acc, k| acc + k.borrow().point);
    BlsPublicKey {
        point: sum.into_affine(),
    }
}

/// The upper bound oxend (and the deprecated eth-sn-contracts) put on non-signers.
pub const MAX_NON_SIGNERS_OXEND: usize = 300;

/// The live session-token-contracts' initial `blsNonSignerThresholdMax` (the owner can change
/// it; a `BLSNonSignerThresholdMaxUpdated` event says so).
pub const MAX_NON_SIGNERS_CONTRACT: usize = 4000;

/// The contract's `blsNonSignerThreshold`: `min(total_nodes / 3, cap)`, the most non-signers a
/// network signature may omit.
#[must_use]
pub fn non_signer_limit(total_nodes: usize, cap: usize) -> usize {
    (total_nodes / 3).min(cap)
}

/// Verifies a network signature: the signers' key is `total` minus the `non_signers`' keys.
///
/// The contract also bounds the non-signers by [`non_signer_limit`] of the node count, which
/// only the caller knows: this function applies the live contract's cap,
/// [`MAX_NON_SIGNERS_CONTRACT`]; use [`verify_aggregate_with_limit`] for the exact bound.
#[must_use]
pub fn verify_aggregate(
    total: &BlsPublicKey,
    non_signers: &[BlsPublicKey],
    domain: &Domain,
    message: &[u8],
    signature: &BlsSignature,
) -> bool {
    verify_aggregate_with_limit(
        total,
        non_signers,
        domain,
        message,
        signature,
        MAX_NON_SIGNERS_CONTRACT,
    )
}

/// [`verify_aggregate`] with the non-signer limit given: false when `non_signers` has more
/// than `max_non_signers` keys (the contract's `InsufficientBLSSignatures`).
#[must_use]
pub fn verify_aggregate_with_limit(
    total: &BlsPublicKey,
    non_signers: &[BlsPublicKey],
    domain: &Domain,
    message: &[u8],
    signature: &BlsSignature,
    max_non_signers: usize,
) -> bool {
    if non_signers.len() > max_non_signers {
        return false;
    }
    signers_key(total, non_signers).verify(domain, message, signature)
}

/// `total − Σ non_signers`.
#[must_use]
pub fn signers_key(total: &BlsPublicKey, non_signers: &[BlsPublicKey]) -> BlsPublicKey {
    let missing = aggregate_public_keys(non_signers);
    BlsPublicKey {
        point: (total.point.into_group() - missing.point).into_affine(),
    }
}
