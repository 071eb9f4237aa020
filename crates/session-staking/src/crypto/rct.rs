//! RingCT amount decoding: the ECDH-encrypted amounts and the Pedersen commitments they must
//! open.

use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;

use super::{canonical_scalar, generator_h, hash_to_scalar_parts, keccak256_parts};

/// A RingCT signature type (`rct::RCTType`), as numbered on chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RctType {
    /// 0: no RingCT (coinbase, pre-RingCT). Amounts are plain; nothing to decode.
    Null,
    /// 1: full RingCT (`decodeRct`), v1 ECDH.
    Full,
    /// 2: simple RingCT, v1 ECDH.
    Simple,
    /// 3: Bulletproof, v1 ECDH.
    Bulletproof,
    /// 4: Bulletproof 2, v2 (8-byte) ECDH.
    Bulletproof2,
    /// 5: CLSAG, v2 (8-byte) ECDH.
    Clsag,
    /// Any other type byte: not decodable here.
    Other(u8),
}

impl RctType {
    /// The type for its on-chain byte.
    #[must_use]
    pub const fn from_u8(v: u8) -> Self {
        match v {
            0 => RctType::Null,
            1 => RctType::Full,
            2 => RctType::Simple,
            3 => RctType::Bulletproof,
            4 => RctType::Bulletproof2,
            5 => RctType::Clsag,
            other => RctType::Other(other),
        }
    }

    /// The on-chain byte.
    #[must_use]
    pub const fn to_u8(self) -> u8 {
        match self {
            RctType::Null => 0,
            RctType::Full => 1,
            RctType::Simple => 2,
            RctType::Bulletproof => 3,
            RctType::Bulletproof2 => 4,
            RctType::Clsag => 5,
            RctType::Other(v) => v,
        }
    }

    /// Whether amounts are carried as 8 XOR-masked bytes (Bulletproof2 and CLSAG).
    #[must_use]
    pub const fn uses_v2_ecdh(self) -> bool {
        matches!(self, RctType::Bulletproof2 | RctType::Clsag)
    }

    /// Whether oxend decodes stake amounts of this type at all.
    #[must_use]
    pub const fn is_decodable(self) -> bool {
        matches!(
            self,
            RctType::Full
                | RctType::Simple
                | RctType::Bulletproof
                | RctType::Bulletproof2
                | RctType::Clsag
        )
    }
}

/// One output's encrypted amount (`rct::ecdhTuple`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcdhInfo {
    /// v1: mask and amount, each a 32-byte scalar blinded by subtraction.
    V1 {
        /// The blinded commitment mask.
        mask: [u8; 32],
        /// The blinded amount.
        amount: [u8; 32],
    },
    /// v2: the amount's 8 little-endian bytes XORed with a keccak-derived pad.
    V2 {
        /// The masked amount bytes.
        amount: [u8; 8],
    },
}

/// `genCommitmentMask`: the v2 commitment mask `Hs("commitment_mask" ‖ s)`.
#[must_use]
pub fn commitment_mask_v2(shared: &Scalar) -> Scalar {
    hash_to_scalar_parts(&[b"commitment_mask", shared.as_bytes()])
}

fn amount_pad_v2(shared: &Scalar) -> [u8; 8] {
    let k = keccak256_parts(&[b"amount", shared.as_bytes()]);
    let mut pad = [0u8; 8];
    for (p, b) in pad.iter_mut().zip(k) {
        *p = b;
    }
    pad
}

fn xor8(a: [u8; 8], b: [u8; 8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = x ^ y;
    }
    out
}

/// Encrypts an amount for output secret `s` the v2 way (the sender's half of [`decode_amount`]).
#[must_use]
pub fn encode_amount_v2(amount: u64, shared: &Scalar) -> EcdhInfo {
    EcdhInfo::V2 {
        amount: xor8(amount.to_le_bytes(), amount_pad_v2(shared)),
    }
}

/// Encrypts `(mask, amount)` for output secret `s` the v1 way: each is blinded by adding
/// `Hs(s)` and `Hs(Hs(s))`.
#[must_use]
pub fn encode_amount_v1(amount: u64, mask: &Scalar, shared: &Scalar) -> EcdhInfo {
    let s1 = hash_to_scalar_parts(&[shared.as_bytes()]);
    let s2 = hash_to_scalar_parts(&[s1.as_bytes()]);
    EcdhInfo::V1 {
        mask: (mask + s1).to_bytes(),
        amount: (Scalar::from(amount) + s2).to_bytes(),
    }
}

/// Decodes one output's amount with output secret `s = Hs(D ‖ i)` and checks it opens the
/// output's commitment (`decodeRct` / `decodeRctSimple`). Returns the amount and its mask, or
/// `None` when the encrypted amount does not match the commitment (wrong key, tampered amount)
/// or a decoded value is not canonical.
#[must_use]
pub fn decode_amount(
    ecdh: &EcdhInfo,
    shared: &Scalar,
    commitment: &[u8; 32],
) -> Option<(u64, Scalar)> {
    decode_amount_with(&generator_h(), ecdh, shared, commitment)
}

/// [`decode_amount`] with `H` already decompressed, for callers decoding several outputs.
pub(crate) fn decode_amount_with(
    h: &EdwardsPoint,
    ecdh: &EcdhInfo,
    shared: &Scalar,
    commitment: &[u8; 32],
) -> Option<(u64, Scalar)> {
    let (mask, amount_bytes) = match ecdh {
        EcdhInfo::V2 { amount } => {
            let plain = xor8(*amount, amount_pad_v2(shared));
            let mut bytes = [0u8; 32];
            for (b, p) in bytes.iter_mut().zip(plain) {
                *b = p;
            }
            (commitment_mask_v2(shared), bytes)
        }
        EcdhInfo::V1 { mask, amount } => {
            let s1 = hash_to_scalar_parts(&[shared.as_bytes()]);
            let s2 = hash_to_scalar_parts(&[s1.as_bytes()]);
            // sc_sub reduces its operands, so non-canonical inputs still produce canonical output.
            let mask = Scalar::from_bytes_mod_order(*mask) - s1;
            let amount = Scalar::from_bytes_mod_order(*amount) - s2;
            (mask, amount.to_bytes())
        }
    };
    let amount_scalar = canonical_scalar(&amount_bytes)?;
    let computed = EdwardsPoint::vartime_double_scalar_mul_basepoint(&amount_scalar, h, &mask);
    if computed.compress().to_bytes() != *commitment {
        return None;
    }
    // h2d: the amount is the low 8 bytes, little-endian.
    let mut low = [0u8; 8];
    for (l, b) in low.iter_mut().zip(amount_bytes) {
        *l = b;
    }
    Some((u64::from_le_bytes(low), mask))
}
