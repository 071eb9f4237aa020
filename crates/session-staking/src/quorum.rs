//! Quorums: which nodes test which (obligations), which sign checkpoints and which approve
//! blink transactions, drawn deterministically from a block hash so that every node agrees;
//! and the decommission-credit and vote policy of the obligations quorum ([`credit`]).
//!
//! The randomness is oxend's: `std::mt19937_64` seeded from the block hash (its first 8
//! bytes plus the quorum type before HF16, `std::seed_seq` over the whole hash from HF16),
//! and the portable shuffle built on `uniform_distribution_portable`. The generator and the
//! uniform draw are [`session_core::compat`]'s, shared with swarm rebalancing.

use alloc::vec::Vec;

use session_core::Network;
use session_core::compat::{Mt19937_64, seed_from_block_hash, uniform_portable};

use crate::hardfork::HardFork;
use crate::state::{ServiceNodePubkey, ServiceNodeState};

pub mod credit;
mod seed_seq;

pub use seed_seq::{mt19937_64_state_from_seed_seq, seed_seq_generate};

/// Validators of an obligations (state-change) quorum.
pub const STATE_CHANGE_QUORUM_SIZE: usize = 10;
/// Votes needed to change a node's state.
pub const STATE_CHANGE_MIN_VOTES: usize = 7;
/// Obligations quorums test at least this many nodes...
pub const STATE_CHANGE_MIN_NODES_TO_TEST: usize = 50;
/// ...or one in this many of the network, whichever is more.
pub const STATE_CHANGE_NTH_OF_THE_NETWORK_TO_TEST: usize = 100;
/// Members of a checkpointing quorum.
pub const CHECKPOINT_QUORUM_SIZE: usize = 20;
/// Signatures a checkpoint needs.
pub const CHECKPOINT_MIN_VOTES: usize = 13;
/// Checkpoints are taken every this many blocks.
pub const CHECKPOINT_INTERVAL: u64 = 4;
/// Checkpoint quorums are generated this many blocks behind the checkpointed height.
pub const REORG_SAFETY_BUFFER_BLOCKS: u64 = CHECKPOINT_INTERVAL * 2 + (CHECKPOINT_INTERVAL - 1);
/// Members of a blink subquorum.
pub const BLINK_SUBQUORUM_SIZE: usize = 10;
/// Approvals a blink subquorum needs.
pub const BLINK_MIN_VOTES: usize = 7;
/// A blink quorum is formed every this many blocks.
pub const BLINK_QUORUM_INTERVAL: u64 = 5;
/// Nodes whose unlock completes within this many blocks of the quorum height are left out of
/// blink quorums.
pub const BLINK_EXPIRY_BUFFER: u64 = 7 * BLINK_QUORUM_INTERVAL + 10;

/// The kinds of quorum; the value seeds the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum QuorumType {
    /// Tests nodes and votes on state changes.
    Obligations = 0,
    /// Signs checkpoints (HF13+ generated).
    Checkpointing = 1,
    /// Approves blink transactions (HF14+).
    Blink = 2,
    /// Produces Pulse blocks (HF16+; generated from other entropy, not here).
    Pulse = 3,
}

impl QuorumType {
    /// The last quorum type generated under `hf` (`max_quorum_type_for_hf`).
    #[must_use]
    pub fn max_for(hf: HardFork) -> QuorumType {
        if hf <= HardFork::Hf12 {
            QuorumType::Obligations
        } else if hf < HardFork::Hf14 {
            QuorumType::Checkpointing
        } else if hf < HardFork::Hf16 {
            QuorumType::Blink
        } else {
            QuorumType::Pulse
        }
    }
}

/// A quorum: voters, and for obligations quorums the nodes they test.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quorum {
    /// Voting members (always active nodes).
    pub validators: Vec<ServiceNodePubkey>,
    /// Nodes under test (obligations only).
    pub workers: Vec<ServiceNodePubkey>,
}

/// The generator a quorum of `kind` draws from (`quorum_rng`).
///
/// Before HF16: `mt19937_64(le_u64(hash[0..8]) + kind)`. From HF16: `mt19937_64` seeded
/// through `std::seed_seq` over `[kind, the hash as 8 little-endian u32 words]`.
#[must_use]
pub fn quorum_rng(hf: HardFork, block_hash: &[u8; 32], kind: QuorumType) -> Mt19937_64 {
    if hf >= HardFork::Hf16 {
        let mut words = [0u32; 9];
        words[0] = kind as u32;
        for (w, chunk) in words.iter_mut().skip(1).zip(block_hash.chunks_exact(4)) {
            let bytes: [u8; 4] = chunk.try_into().unwrap_or([0; 4]);
            *w = u32::from_le_bytes(bytes);
        }
        Mt19937_64::from_state(mt19937_64_state_from_seed_seq(&words))
    } else {
        Mt19937_64::new(seed_from_block_hash(block_hash).wrapping_add(kind as u64))
    }
}

/// oxend's `shuffle_portable`: for `i` in `1..len`, swap `i` with `uniform(i + 1)`.
pub fn shuffle_portable<T>(items: &mut [T], rng: &mut Mt19937_64) {
    for i in 1..items.len() {
        // i + 1 <= len fits u64, and the draw is < i + 1, so it fits usize.
        let j = uniform_portable(rng, (i + 1) as u64) as usize;
        items.swap(i, j);
    }
}

/// `generate_shuffled_service_node_index_list`: a permutation of `0..len`. When
/// `0 < sublist_size < len` and `0 < sublist_up_to < len`, the first `sublist_size` entries
/// are drawn from `0..sublist_up_to` only: shuffle `[0, up_to)`, then `[size, len)` with a
/// copy of the generator as it was before the first shuffle.
#[must_use]
pub fn shuffled_indices(
    hf: HardFork,
    len: usize,
    block_hash: &[u8; 32],
    kind: QuorumType,
    sublist_size: usize,
    sublist_up_to: usize,
) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..len).collect();
    let mut rng = quorum_rng(hf, block_hash, kind);
    if (0 < sublist_size && sublist_size < len) && (0 < sublist_up_to && sublist_up_to < len) {
        let mut copy = rng.clone();
        if let Some(head) = indices.get_mut(..sublist_up_to) {
            shuffle_portable(head, &mut rng);
        }
        if let Some(tail) = indices.get_mut(sublist_size..) {
            shuffle_portable(tail, &mut copy);
        }
    } else {
        shuffle_portable(&mut indices, &mut rng);
    }
    indices
}

/// The obligations quorum of a block: up to 10 active validators, and as workers
/// `min(rest, max(50, rest/100))` nodes drawn from active and decommissioned ones.
///
/// `active` and `decommissioned` must be sorted ascending by key (as
/// [`ServiceNodeState::active_nodes`] returns them); decommissioned nodes only exist from
/// HF12.
#[must_use]
pub fn obligations_quorum(
    hf: HardFork,
    block_hash: &[u8; 32],
    active: &[ServiceNodePubkey],
    decommissioned: &[ServiceNodePubkey],
) -> Quorum {
    let total = active.len() + decommissioned.len();
    let validators = active.len().min(STATE_CHANGE_QUORUM_SIZE);
    let order = shuffled_indices(
        hf,
        total,
        block_hash,
        QuorumType::Obligations,
        validators,
        active.len(),
    );
    let remaining = total - validators;
    let workers = remaining.min(
        STATE_CHANGE_MIN_NODES_TO_TEST.max(remaining / STATE_CHANGE_NTH_OF_THE_NETWORK_TO_TEST),
    );
    let pick = |&i: &usize| {
        if i < active.len() {
            active.get(i).copied()
        } else {
            decommissioned.get(i - active.len()).copied()
        }
    };
    Quorum {
        validators: order.iter().take(validators).filter_map(pick).collect(),
        workers: order
            .iter()
            .skip(validators)
            .take(workers)
            .filter_map(pick)
            .collect(),
    }
}

/// The checkpointing quorum generated at `height` (HF13+), or `None` on heights that have
/// none (`(height + 11) % 4 != 0`). A quorum with no validators means too few active nodes
/// (fewer than 20).
///
/// Testnet below height 85,357 also counted decommissioned nodes (a soft-fork leftover);
/// their keys are taken from `decommissioned` there.
#[must_use]
pub fn checkpointing_quorum(
    network: Network,
    hf: HardFork,
    height: u64,
    block_hash: &[u8; 32],
    active: &[ServiceNodePubkey],
    decommissioned: &[ServiceNodePubkey],
) -> Option<Quorum> {
    // Unsigned arithmetic wraps in oxend too; only absurd heights reach it.
    if !height
        .wrapping_add(REORG_SAFETY_BUFFER_BLOCKS)
        .is_multiple_of(CHECKPOINT_INTERVAL)
    {
        return None;
    }
    let mut total = active.len();
    if network == Network::Testnet && height < 85_357 {
        total += decommissioned.len();
    }
    let mut quorum = Quorum::default();
    if total >= CHECKPOINT_QUORUM_SIZE {
        let order = shuffled_indices(hf, total, block_hash, QuorumType::Checkpointing, 0, 0);
        quorum.validators = order
            .iter()
            .take(CHECKPOINT_QUORUM_SIZE)
            .filter_map(|&i| {
                active
                    .get(i)
                    .or_else(|| decommissioned.get(i - active.len()))
                    .copied()
            })
            .collect();
    }
    Some(quorum)
}

/// The blink quorum generated at `height` (HF14+), or `None` on heights that have none
/// (`height % 5 != 0`). Nodes whose unlock completes at or before `height + 45` are left
/// out; with fewer than 7 candidates the quorum is empty.
///
/// `active` pairs each active node (ascending by key) with its requested unlock height.
#[must_use]
pub fn blink_quorum(
    hf: HardFork,
    height: u64,
    block_hash: &[u8; 32],
    active: &[(ServiceNodePubkey, Option<u64>)],
) -> Option<Quorum> {
    if !height.is_multiple_of(BLINK_QUORUM_INTERVAL) {
        return None;
    }
    let active_until = height.saturating_add(BLINK_EXPIRY_BUFFER);
    let mut candidates: Vec<ServiceNodePubkey> = active
        .iter()
        .filter(|(_, unlock)| unlock.is_none_or(|u| u > active_until))
        .map(|(key, _)| *key)
        .collect();
    let mut quorum = Quorum::default();
    if candidates.len() >= BLINK_MIN_VOTES {
        let mut rng = quorum_rng(hf, block_hash, QuorumType::Blink);
        shuffle_portable(&mut candidates, &mut rng);
        candidates.truncate(BLINK_SUBQUORUM_SIZE);
        quorum.validators = candidates;
    }
    Some(quorum)
}

/// The quorums of one block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quorums {
    /// The obligations quorum (every block from HF9).
    pub obligations: Quorum,
    /// The checkpointing quorum, on checkpoint heights from HF13.
    pub checkpointing: Option<Quorum>,
    /// The blink quorum, every 5 blocks from HF14.
    pub blink: Option<Quorum>,
}

/// Every quorum oxend generates after applying the block at `height` with hash
/// `block_hash` (`generate_other_quorums`; Pulse quorums use other entropy and are not
/// included).
#[must_use]
pub fn generate_quorums(
    state: &ServiceNodeState,
    hf: HardFork,
    height: u64,
    block_hash: &[u8; 32],
) -> Quorums {
    let active = state.active_nodes();
    let decommissioned = if hf >= HardFork::Hf12 {
        state.decommissioned_nodes()
    } else {
        Vec::new()
    };
    let max = QuorumType::max_for(hf);
    let checkpointing = (max >= QuorumType::Checkpointing)
        .then(|| {
            checkpointing_quorum(
                state.network(),
                hf,
                height,
                block_hash,
                &active,
                &decommissioned,
            )
        })
        .flatten();
    let blink = (max >= QuorumType::Blink)
        .then(|| {
            let with_unlocks: Vec<(ServiceNodePubkey, Option<u64>)> = active
                .iter()
                .map(|k| (*k, state.get(k).and_then(|n| n.requested_unlock_height)))
                .collect();
            blink_quorum(hf, height, block_hash, &with_unlocks)
        })
        .flatten();
    Quorums {
        obligations: obligations_quorum(hf, block_hash, &active, &decommissioned),
        checkpointing,
        blink,
    }
}
