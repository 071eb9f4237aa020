//! State-change votes and transactions.

use alloc::vec::Vec;

use crate::HardFork;
use crate::crypto::{PublicKey, SignedItem, check_signature, keccak256};
use crate::error::{QuorumError, Result};
use crate::tx_extra::{NewState, StateChange};

/// Votes needed for a state change (`STATE_CHANGE_MIN_VOTES_TO_CHANGE_STATE`).
pub const MIN_VOTES: usize = 7;
/// Validators in an obligations quorum (`STATE_CHANGE_QUORUM_SIZE`).
pub const QUORUM_SIZE: usize = 10;
/// Blocks a state change stays valid after its quorum height.
pub const VOTE_LIFETIME: u64 = 60;

/// `make_state_change_vote_hash`: `keccak256(u64le(height) ‖ u32le(worker) ‖ u16le(state))`,
/// without the state bytes for a deregistration (as pre-HF12 votes were signed).
#[must_use]
pub fn state_change_vote_hash(block_height: u64, worker_index: u32, state: NewState) -> [u8; 32] {
    let mut buf = [0u8; 14];
    let (h, rest) = buf.split_at_mut(8);
    h.copy_from_slice(&block_height.to_le_bytes());
    let (w, s) = rest.split_at_mut(4);
    w.copy_from_slice(&worker_index.to_le_bytes());
    s.copy_from_slice(&state.to_u16().to_le_bytes());
    let len = if state == NewState::Deregister {
        12
    } else {
        14
    };
    keccak256(buf.get(..len).unwrap_or(&buf))
}

/// Checks a state-change transaction against the quorum that voted (`verify_tx_state_change`):
/// state allowed for the hard fork, 7–10 votes, worker in range, quorum height within
/// `(current - 60, current)`, validator indices in range, unique and (from HF13) strictly
/// ascending, and every signature valid. `validators` and `workers` come from the quorum at
/// `state_change.block_height`.
pub fn verify_state_change(
    state_change: &StateChange,
    validators: &[PublicKey],
    workers: usize,
    current_height: u64,
    hf: HardFork,
) -> Result<VerifiedStateChange, QuorumError> {
    if state_change.state != NewState::Deregister && hf < HardFork::Hf12 {
        return Err(QuorumError::StateNotAllowed {
            state: state_change.state.to_u16(),
        });
    }
    let votes = state_change.votes.len();
    if !(MIN_VOTES..=QUORUM_SIZE).contains(&votes) {
        return Err(QuorumError::VoteCount {
            votes,
            min: MIN_VOTES,
            max: QUORUM_SIZE,
        });
    }
    let worker = usize::try_from(state_change.service_node_index).unwrap_or(usize::MAX);
    if worker >= workers {
        return Err(QuorumError::WorkerIndexOutOfRange {
            index: state_change.service_node_index,
            workers,
        });
    }
    if state_change.block_height >= current_height
        || current_height >= state_change.block_height.saturating_add(VOTE_LIFETIME)
    {
        return Err(QuorumError::VoteExpired {
            quorum_height: state_change.block_height,
            current_height,
        });
    }
    let hash = state_change_vote_hash(
        state_change.block_height,
        state_change.service_node_index,
        state_change.state,
    );
    let mut seen = [false; QUORUM_SIZE];
    let mut previous: Option<u32> = None;
    for (index, vote) in state_change.votes.iter().enumerate() {
        if hf >= HardFork::Hf13 {
            if let Some(prev) = previous.filter(|p| *p >= vote.validator_index) {
                return Err(QuorumError::VotesNotAscending {
                    vote: index,
                    index: vote.validator_index,
                    previous: prev,
                });
            }
            previous = Some(vote.validator_index);
        }
        let v = usize::try_from(vote.validator_index).unwrap_or(usize::MAX);
        let key = validators
            .get(v)
            .ok_or(QuorumError::ValidatorIndexOutOfRange {
                vote: index,
                index: vote.validator_index,
                quorum: validators.len(),
            })?;
        match seen.get_mut(v) {
            Some(s) if *s => {
                return Err(QuorumError::DuplicateVoter {
                    index: vote.validator_index,
                });
            }
            Some(s) => *s = true,
            None => {
                return Err(QuorumError::ValidatorIndexOutOfRange {
                    vote: index,
                    index: vote.validator_index,
                    quorum: QUORUM_SIZE,
                });
            }
        }
        if !check_signature(&hash, key, &vote.signature) {
            return Err(QuorumError::InvalidSignature {
                what: SignedItem::Vote { index },
            });
        }
    }
    Ok(VerifiedStateChange {
        state: state_change.state,
        block_height: state_change.block_height,
        service_node_index: state_change.service_node_index,
        voters: state_change
            .votes
            .iter()
            .map(|v| v.validator_index)
            .collect(),
    })
}

/// A state change whose votes have been checked against its quorum.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedStateChange {
    /// The new state.
    pub state: NewState,
    /// The quorum's height.
    pub block_height: u64,
    /// The tested node's index among the quorum's workers.
    pub service_node_index: u32,
    /// The validators whose votes verified, in the transaction's order.
    pub voters: Vec<u32>,
}
