//! Provable stake locking: decode the staked outputs with the revealed transaction key and
//! check they pay the contributor and are locked by key-image proofs.
//!
//! The staker reveals `r` (tag 0x75) and their address `(B, A)` (tag 0x73). For each output `i`
//! with one-time key `P_i`, `D = 8·r·A` and `s_i = Hs(D ‖ i)` decode the RingCT amount, which
//! must open the output's commitment. From HF11 the output must be the contributor's
//! (`P_i = s_i·G + B`) and one of the key-image proofs (tag 0x76) must verify against `P_i`;
//! each proof is used once. Before HF11 an output counts if its unlock time covers the staking
//! lock period instead.
//!
//! A contributor stakes 5,000 OXEN to their own address, and anyone verifies it from the
//! public transaction alone:
//!
//! ```
//! use session_core::Network;
//! use session_staking::crypto::rct::{commitment_mask_v2, encode_amount_v2, RctType};
//! use session_staking::crypto::{
//!     commit, derivation_to_scalar, derive_public_key, SecretKey,
//! };
//! use session_staking::stake::{StakeOutputs, StakeProof, TxOutput};
//! use session_staking::tx_extra::{KeyImageProof, KeyImageProofs, TxSecretKey};
//! use session_staking::{verify_stake, ContributorAddress, HardFork, COIN};
//!
//! // The contributor's wallet and the transaction's secret key r.
//! let (spend, view) = (SecretKey::from_seed(b"spend"), SecretKey::from_seed(b"view"));
//! let r = SecretKey::from_seed(b"tx key");
//!
//! // The sender's side: one output paying 5,000 OXEN to the contributor.
//! let d = r.key_derivation(&view.public_key()).unwrap();
//! let s = derivation_to_scalar(&d, 0);
//! let amount = 5_000 * COIN;
//! let outputs = [TxOutput { key: derive_public_key(&d, 0, &spend.public_key()), unlock_time: 0 }];
//! let ecdh = [encode_amount_v2(amount, &s)];
//! let commitments = [commit(&commitment_mask_v2(&s), &amount.into()).compress().to_bytes()];
//! // The contributor proves the output's key image (tag 0x76).
//! let (key_image, signature) = spend.derive_output_key(&d, 0).key_image_proof();
//!
//! // The verifier's side: only public data.
//! let tx = StakeOutputs {
//!     outputs: &outputs,
//!     rct_type: RctType::Clsag,
//!     ecdh_info: &ecdh,
//!     commitments: &commitments,
//! };
//! let proof = StakeProof {
//!     tx_secret_key: TxSecretKey(*r.to_bytes()),
//!     contributor: ContributorAddress { spend: spend.public_key(), view: view.public_key() },
//!     key_image_proofs: KeyImageProofs(vec![KeyImageProof { key_image, signature }]),
//! };
//! let locked = verify_stake(&tx, &proof, Network::Mainnet, HardFork::Hf19, 1_100_000)?;
//! assert_eq!(locked.total, amount);
//! assert_eq!(locked.contributions[0].key_image, Some(key_image));
//! # Ok::<(), session_staking::Error>(())
//! ```

use alloc::vec::Vec;

use session_core::Network;

use crate::crypto::rct::{EcdhInfo, RctType, decode_amount_with};
use crate::crypto::{
    KeyImage, PublicKey, check_key_image_signature, derivation_to_scalar, derive_public_key,
    generator_h,
};
use crate::error::{Result, VerifyError};
use crate::tx_extra::{KeyImageProofs, TxExtra, TxSecretKey, tag};
use crate::{ContributorAddress, HardFork, requirement::staking_lock_blocks};

/// Unlock times at or above this are timestamps, not heights (`CRYPTONOTE_MAX_BLOCK_NUMBER`).
pub const MAX_BLOCK_NUMBER: u64 = 500_000_000;

/// One transaction output as the stake check needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxOutput {
    /// The one-time key of a `txout_to_key` output; `None` for any other target.
    pub key: Option<PublicKey>,
    /// The output's unlock time (the transaction's, before per-output unlock times).
    pub unlock_time: u64,
}

/// The parts of a transaction that carry its outputs and their encrypted amounts.
#[derive(Clone, Copy, Debug)]
pub struct StakeOutputs<'a> {
    /// `tx.vout`.
    pub outputs: &'a [TxOutput],
    /// `rct_signatures.type`.
    pub rct_type: RctType,
    /// `rct_signatures.ecdhInfo`, one per output.
    pub ecdh_info: &'a [EcdhInfo],
    /// `rct_signatures.outPk` commitments, one per output.
    pub commitments: &'a [[u8; 32]],
}

/// The stake's tx_extra fields: revealed key, contributor address and key-image proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StakeProof {
    /// Tag 0x75.
    pub tx_secret_key: TxSecretKey,
    /// Tag 0x73.
    pub contributor: ContributorAddress,
    /// Tag 0x76 (may be empty before HF11).
    pub key_image_proofs: KeyImageProofs,
}

impl StakeProof {
    /// Collects the stake fields from a parsed tx_extra. Key-image proofs may be absent (they
    /// are only needed from HF11).
    pub fn from_extra(extra: &TxExtra) -> Result<StakeProof, VerifyError> {
        let tx_secret_key = extra.tx_secret_key.ok_or(VerifyError::MissingExtraField {
            tag: tag::TX_SECRET_KEY,
            field: "tx secret key",
        })?;
        let contributor = extra.contributor.ok_or(VerifyError::MissingExtraField {
            tag: tag::CONTRIBUTOR,
            field: "contributor address",
        })?;
        Ok(StakeProof {
            tx_secret_key,
            contributor,
            key_image_proofs: extra.key_image_proofs.clone().unwrap_or_default(),
        })
    }
}

/// Why an output was not counted as stake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutputRejection {
    /// The output is not a `txout_to_key`.
    NotToKey,
    /// The encrypted amount does not open the commitment (wrong key or tampered amount).
    AmountNotDecoded,
    /// The amount decodes to zero.
    ZeroAmount,
    /// The output's key is not derived from the contributor's address.
    NotContributorsOutput,
    /// No unused key-image proof verifies for this output.
    NoKeyImageProof,
    /// (Before HF11) the unlock time does not cover the lock period.
    UnlockTimeTooEarly {
        /// The output's unlock time.
        unlock_time: u64,
        /// The smallest acceptable unlock height.
        minimum: u64,
    },
}

impl core::fmt::Display for OutputRejection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            OutputRejection::NotToKey => f.write_str("not a to-key output"),
            OutputRejection::AmountNotDecoded => f.write_str("amount does not open the commitment"),
            OutputRejection::ZeroAmount => f.write_str("zero amount"),
            OutputRejection::NotContributorsOutput => {
                f.write_str("does not pay the contributor's address")
            }
            OutputRejection::NoKeyImageProof => f.write_str("no key-image proof"),
            OutputRejection::UnlockTimeTooEarly {
                unlock_time,
                minimum,
            } => write!(f, "unlock time {unlock_time} below {minimum}"),
        }
    }
}

/// One locked output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockedContribution {
    /// Index of the output in the transaction.
    pub output_index: usize,
    /// The output's one-time key (`key_image_pub_key` in oxend).
    pub one_time_key: PublicKey,
    /// The key image that locks it (HF11 on; `None` for time-locked stakes).
    pub key_image: Option<KeyImage>,
    /// Atomic units.
    pub amount: u64,
}

/// A verified stake: what it locks, and why any other output did not count.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LockedStake {
    /// The locked outputs, in output order.
    pub contributions: Vec<LockedContribution>,
    /// Their total (saturating).
    pub total: u64,
    /// Outputs not counted, with the reason (change outputs land here).
    pub rejected: Vec<(usize, OutputRejection)>,
}

/// Verifies a stake (oxend's `tx_get_staking_components_and_amounts`): returns the locked
/// contributions, or [`VerifyError::NothingStaked`] with each output's rejection.
///
/// `hf` and `height` are the including block's; `network` sets the pre-HF11 lock period.
pub fn verify_stake(
    tx: &StakeOutputs<'_>,
    stake: &StakeProof,
    network: Network,
    hf: HardFork,
    height: u64,
) -> Result<LockedStake, VerifyError> {
    if tx.outputs.len() != tx.ecdh_info.len() || tx.outputs.len() != tx.commitments.len() {
        return Err(VerifyError::StakeListsMismatch {
            outputs: tx.outputs.len(),
            ecdh: tx.ecdh_info.len(),
            commitments: tx.commitments.len(),
        });
    }
    if !tx.rct_type.is_decodable() {
        return Err(VerifyError::UnsupportedRctType {
            rct_type: tx.rct_type.to_u8(),
        });
    }
    for (index, e) in tx.ecdh_info.iter().enumerate() {
        if matches!(e, EcdhInfo::V2 { .. }) != tx.rct_type.uses_v2_ecdh() {
            return Err(VerifyError::EcdhVersionMismatch {
                index,
                rct_type: tx.rct_type.to_u8(),
            });
        }
    }
    let view = stake.contributor.view;
    let spend = stake.contributor.spend;
    let derivation = stake
        .tx_secret_key
        .key_derivation(&view)
        .ok_or(VerifyError::InvalidKey {
            field: "contributor view key",
        })?;
    let h = generator_h();
    let infinite = hf >= HardFork::Hf11;
    let min_unlock = height.saturating_add(staking_lock_blocks(network));
    let mut unused: Vec<_> = stake.key_image_proofs.0.iter().map(Some).collect();
    let mut contributions = Vec::new();
    let mut rejected = Vec::new();
    let outputs = tx.outputs.iter().zip(tx.ecdh_info).zip(tx.commitments);
    for (output_index, ((out, ecdh), commitment)) in outputs.enumerate() {
        let Some(key) = out.key else {
            rejected.push((output_index, OutputRejection::NotToKey));
            continue;
        };
        let index = u64::try_from(output_index).unwrap_or(u64::MAX);
        let shared = derivation_to_scalar(&derivation, index);
        let amount = match decode_amount_with(&h, ecdh, &shared, commitment) {
            Some((0, _)) => {
                rejected.push((output_index, OutputRejection::ZeroAmount));
                continue;
            }
            Some((amount, _)) => amount,
            None => {
                rejected.push((output_index, OutputRejection::AmountNotDecoded));
                continue;
            }
        };
        if !infinite {
            if out.unlock_time < min_unlock || out.unlock_time >= MAX_BLOCK_NUMBER {
                rejected.push((
                    output_index,
                    OutputRejection::UnlockTimeTooEarly {
                        unlock_time: out.unlock_time,
                        minimum: min_unlock,
                    },
                ));
                continue;
            }
            contributions.push(LockedContribution {
                output_index,
                one_time_key: key,
                key_image: None,
                amount,
            });
            continue;
        }
        if derive_public_key(&derivation, index, &spend) != Some(key) {
            rejected.push((output_index, OutputRejection::NotContributorsOutput));
            continue;
        }
        let found = unused.iter_mut().find(|slot| {
            slot.is_some_and(|p| check_key_image_signature(&p.key_image, &key, &p.signature))
        });
        match found.and_then(Option::take) {
            Some(proof) => contributions.push(LockedContribution {
                output_index,
                one_time_key: key,
                key_image: Some(proof.key_image),
                amount,
            }),
            None => rejected.push((output_index, OutputRejection::NoKeyImageProof)),
        }
    }
    if contributions.is_empty() {
        return Err(VerifyError::NothingStaked { rejected });
    }
    let total = contributions
        .iter()
        .fold(0u64, |t, c| t.saturating_add(c.amount));
    Ok(LockedStake {
        contributions,
        total,
        rejected,
    })
}
