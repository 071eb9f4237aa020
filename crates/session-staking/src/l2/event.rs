//! The rewards contract's events, decoded exactly as oxend's `rewards_contract.cpp` decodes
//! them: fixed ABI offsets, exact sizes, integers that must fit `u64`, padding left unchecked.

use alloc::vec::Vec;

use session_core::{Ed25519PublicKey, Ed25519Signature};

use super::error::LogError;
use super::topics;
use super::words::{Words, word_address, word_u64};
use crate::bls::{BlsPublicKeyBytes, EthAddress};
use crate::contribution::MAX_CONTRIBUTORS_HF19;
use crate::portions::STAKING_FEE_BASIS;

/// An event of the rewards contract that oxend acts on.
///
/// Keys are as the log carries them, unchecked, as oxend keeps them: the contract checked them
/// (the BLS key with its proof of possession) before emitting the event;
/// [`BlsPublicKeyBytes::to_public_key`] parses a BLS key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum L2Event {
    /// `NewServiceNodeV2`: a node registered with its full stake.
    NewServiceNode(NewServiceNode),
    /// `ServiceNodeExitRequest`: a node asked to leave.
    ExitRequest {
        /// The node's BLS key.
        bls_public_key: BlsPublicKeyBytes,
    },
    /// `ServiceNodeExit`: a node left and its stake was returned.
    Exit {
        /// The node's BLS key.
        bls_public_key: BlsPublicKeyBytes,
        /// The amount returned to its contributors.
        returned_amount: u64,
    },
    /// `StakingRequirementUpdated`: the amount a new registration must stake.
    StakingRequirementUpdated {
        /// The new requirement (atomic units, 9 decimals).
        staking_requirement: u64,
    },
}

/// A registration with the rewards contract (`NewServiceNodeV2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewServiceNode {
    /// The node's BLS key, unchecked (see [`BlsPublicKeyBytes`]).
    pub bls_public_key: BlsPublicKeyBytes,
    /// The node's Ed25519 key.
    pub service_node_key: Ed25519PublicKey,
    /// The node's Ed25519 signature over `service_node_key ‖ bls_public_key`.
    pub signature: Ed25519Signature,
    /// The operator's fee in basis points (0 ..= 10000).
    pub fee: u16,
    /// The stakes, the operator's first: 1 to 10 entries.
    pub contributors: Vec<Contributor>,
}

/// One stake of a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contributor {
    /// The address that staked.
    pub address: EthAddress,
    /// The address that receives the rewards (often the same).
    pub beneficiary: EthAddress,
    /// The amount staked.
    pub amount: u64,
}

const NEW_SERVICE_NODE: &str = "NewServiceNodeV2";
const EXIT_REQUEST: &str = "ServiceNodeExitRequest";
const EXIT: &str = "ServiceNodeExit";
const REQUIREMENT: &str = "StakingRequirementUpdated";

/// Where the contributors array starts: initiator, key (2 words), Ed25519 key, signature
/// (2 words), fee, then this offset word itself.
const CONTRIBUTORS_OFFSET: u64 = 8 * 32;
/// The fixed part of `NewServiceNodeV2`'s data: up to and including the array's length word.
const NEW_SERVICE_NODE_FIXED: usize = 9 * 32;
/// address, beneficiary, amount.
const CONTRIBUTOR_SIZE: usize = 3 * 32;

/// Decodes a log of the rewards contract from its topics and data.
///
/// `Ok(Some(_))` for the four events oxend acts on, `Ok(None)` for every other event (among
/// them `ServiceNodeLiquidated` and `NewSeededServiceNode`, which oxend ignores), and an error
/// naming the rule for a log oxend refuses. Only `topics[0]` is read, as oxend does: the
/// indexed service-node id is not needed. oxend also ignores a log that has no block number;
/// that is the caller's to check, since the L2 height comes with the log, not in it.
///
/// ```
/// use session_staking::l2::{L2Event, decode_log, topics};
///
/// let mut data = [0u8; 32];
/// data[24..].copy_from_slice(&25_000_000_000_000u64.to_be_bytes());
/// assert_eq!(
///     decode_log(&[topics::STAKING_REQUIREMENT_UPDATED], &data),
///     Ok(Some(L2Event::StakingRequirementUpdated { staking_requirement: 25_000_000_000_000 }))
/// );
/// assert_eq!(decode_log(&[topics::SERVICE_NODE_LIQUIDATED], &data), Ok(None));
/// ```
pub fn decode_log(topics: &[[u8; 32]], data: &[u8]) -> Result<Option<L2Event>, LogError> {
    let topic0 = topics.first().ok_or(LogError::NoTopics)?;
    let event = match *topic0 {
        topics::NEW_SERVICE_NODE_V2 => L2Event::NewServiceNode(new_service_node(data)?),
        topics::SERVICE_NODE_EXIT_REQUEST => {
            let mut words = exact(data, EXIT_REQUEST, 3 * 32)?;
            let _initiator = words.take::<32>();
            L2Event::ExitRequest {
                bls_public_key: key(&mut words),
            }
        }
        topics::SERVICE_NODE_EXIT => {
            let mut words = exact(data, EXIT, 4 * 32)?;
            let _initiator = words.take::<32>();
            let amount = words.take::<32>().and_then(word_u64);
            let returned_amount = amount.ok_or(LogError::TooLarge {
                event: EXIT,
                field: "returnedAmount",
            })?;
            L2Event::Exit {
                bls_public_key: key(&mut words),
                returned_amount,
            }
        }
        topics::STAKING_REQUIREMENT_UPDATED => {
            let mut words = exact(data, REQUIREMENT, 32)?;
            let staking_requirement =
                words
                    .take::<32>()
                    .and_then(word_u64)
                    .ok_or(LogError::TooLarge {
                        event: REQUIREMENT,
                        field: "newRequirement",
                    })?;
            L2Event::StakingRequirementUpdated {
                staking_requirement,
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(event))
}

/// Words over data of exactly `size` bytes.
fn exact<'a>(data: &'a [u8], event: &'static str, size: usize) -> Result<Words<'a>, LogError> {
    if data.len() == size {
        Ok(Words::new(data))
    } else {
        Err(LogError::Length {
            event,
            expected: size,
            actual: data.len(),
        })
    }
}

/// The next 64 bytes (present: every caller checked the size first).
fn bytes64(words: &mut Words<'_>) -> [u8; 64] {
    words.take::<64>().copied().unwrap_or([0; 64])
}

/// The next 64 bytes as a BLS key, unchecked as oxend leaves it.
fn key(words: &mut Words<'_>) -> BlsPublicKeyBytes {
    BlsPublicKeyBytes(bytes64(words))
}

fn new_service_node(data: &[u8]) -> Result<NewServiceNode, LogError> {
    if data.len() < NEW_SERVICE_NODE_FIXED {
        return Err(LogError::Truncated {
            event: NEW_SERVICE_NODE,
            minimum: NEW_SERVICE_NODE_FIXED,
            actual: data.len(),
        });
    }
    let mut words = Words::new(data);
    let zero = [0u8; 32];
    let _initiator = words.take::<32>();
    let bls_public_key = key(&mut words);
    let service_node_key = Ed25519PublicKey::from_bytes(*words.take::<32>().unwrap_or(&zero));
    let signature = Ed25519Signature::from_bytes(bytes64(&mut words));
    let too_large = |field| LogError::TooLarge {
        event: NEW_SERVICE_NODE,
        field,
    };
    let fee = word_u64(words.take::<32>().unwrap_or(&zero)).ok_or(too_large("fee"))?;
    let offset_word = *words.take::<32>().unwrap_or(&zero);
    let count = word_u64(words.take::<32>().unwrap_or(&zero)).ok_or(too_large("contributors"))?;

    // oxend's order: fee, count, offset, size, then each amount.
    let fee = u16::try_from(fee)
        .ok()
        .filter(|f| u64::from(*f) <= STAKING_FEE_BASIS)
        .ok_or(LogError::Fee { fee })?;
    if count > MAX_CONTRIBUTORS_HF19 as u64 {
        return Err(LogError::TooManyContributors {
            count,
            max: MAX_CONTRIBUTORS_HF19,
        });
    }
    if count == 0 {
        return Err(LogError::NoContributors);
    }
    let offset = word_u64(&offset_word).ok_or(too_large("contributors offset"))?;
    if offset != CONTRIBUTORS_OFFSET {
        return Err(LogError::ContributorsOffset {
            offset,
            expected: CONTRIBUTORS_OFFSET,
        });
    }
    // count ≤ 10, so neither conversion nor product can overflow.
    let entries = words.rest();
    let expected = usize::try_from(count).unwrap_or(usize::MAX) * CONTRIBUTOR_SIZE;
    if entries.len() != expected {
        return Err(LogError::ContributorsLength {
            count,
            expected,
            actual: entries.len(),
        });
    }
    let contributors = entries
        .chunks_exact(CONTRIBUTOR_SIZE)
        .enumerate()
        .map(|(index, entry)| {
            let mut entry = Words::new(entry);
            let address = word_address(entry.take::<32>().unwrap_or(&zero));
            let beneficiary = word_address(entry.take::<32>().unwrap_or(&zero));
            let amount = word_u64(entry.take::<32>().unwrap_or(&zero))
                .ok_or(LogError::ContributorAmount { index })?;
            Ok(Contributor {
                address: EthAddress(address),
                beneficiary: EthAddress(beneficiary),
                amount,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(NewServiceNode {
        bls_public_key,
        service_node_key,
        signature,
        fee,
        contributors,
    })
}
