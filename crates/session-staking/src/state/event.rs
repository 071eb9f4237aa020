//! The input of the model (blocks and events) and what it answers.

use alloc::vec::Vec;

use super::{ServiceNodePubkey, Stake};
use crate::contribution::RegistrationTerms;
use crate::crypto::KeyImage;
use crate::hardfork::HardFork;
use crate::tx_extra::NewState;

/// The block an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Its height.
    pub height: u64,
    /// Its major version.
    pub hard_fork: HardFork,
    /// Its timestamp (unix seconds), against which registrations expire.
    pub timestamp: u64,
}

/// One chain event affecting the list, in transaction order within a block.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A registration transaction whose signature the caller verified. oxend then processes
    /// every staking transaction as a contribution too: apply the same stake as
    /// [`Event::Contribution`] next.
    Registration {
        /// The node's key.
        node: ServiceNodePubkey,
        /// The registration's terms.
        terms: RegistrationTerms,
        /// The operator's stake proven by the same transaction.
        stake: Stake,
        /// Index of the transaction in its block.
        tx_index: u32,
    },
    /// A contribution (stake) transaction.
    Contribution {
        /// The node's key.
        node: ServiceNodePubkey,
        /// The proven stake.
        stake: Stake,
        /// Index of the transaction in its block.
        tx_index: u32,
    },
    /// A state change whose votes the caller verified.
    StateChange {
        /// The node's key (the quorum's worker at the voted index).
        node: ServiceNodePubkey,
        /// The new state.
        state: NewState,
        /// Height of the quorum that voted.
        quorum_height: u64,
    },
    /// An unlock request whose signature (by the locked output's key) the caller verified.
    UnlockRequest {
        /// The node's key.
        node: ServiceNodePubkey,
        /// The locked key image named by the request.
        key_image: KeyImage,
    },
}

/// What an accepted event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// A new node was recorded.
    Registered,
    /// A pre-HF11 node re-registered after its lock expired, keeping its queue position.
    Reregistered,
    /// A contribution was recorded.
    Contributed {
        /// The amount counted (capped so the reservations never exceed the requirement).
        counted: u64,
        /// Whether the node is now fully funded (and active from this height).
        fully_funded: bool,
    },
    /// The node was removed; its key images are blacklisted until the height given.
    Deregistered {
        /// First height at which the key images may be spent again.
        blacklisted_until: u64,
    },
    /// The node was decommissioned.
    Decommissioned,
    /// The node was recommissioned with this much credit carried over (blocks).
    Recommissioned {
        /// Credit carried over.
        credit: i64,
    },
    /// The node went to the back of the reward queue.
    IpChangePenalized,
    /// The unlock was scheduled; the node leaves the list after this height.
    UnlockScheduled {
        /// Last height the node stays registered.
        unlock_height: u64,
    },
}

/// A blacklisted key image of a deregistered node's stake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlacklistEntry {
    /// The key image.
    pub key_image: KeyImage,
    /// First height at which it may be spent.
    pub unlock_height: u64,
    /// Amount it locked.
    pub amount: u64,
}

/// What [`ServiceNodeState::begin_block`](super::ServiceNodeState::begin_block) did before the block's transactions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlockStart {
    /// The node this block pays (the longest-waiting active node), now sent to the back of
    /// the queue.
    pub winner: Option<ServiceNodePubkey>,
    /// Nodes whose stake expired or unlocked (or, at the HF20 height, that were never fully
    /// funded), now removed.
    pub expired: Vec<ServiceNodePubkey>,
}

/// Why a node left the list from HF21 (`recently_removed_node::type_t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Removal {
    /// Its requested unlock completed.
    VoluntaryExit,
    /// A quorum deregistered it.
    Deregistration,
}

/// A node that left the list from HF21 and waits for the contract's `ServiceNodeExit` to
/// return (or, after a deregistration, slash) its stake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwaitingExit {
    /// The node's key.
    pub node: ServiceNodePubkey,
    /// Height at which it left the list.
    pub height: u64,
    /// First height at which an exit may slash its stake (a liquidation).
    pub liquidation_height: u64,
    /// Why it left.
    pub removal: Removal,
    /// Its record as it stood when it left.
    pub info: super::ServiceNodeInfo,
}

/// What an accepted rewards-contract event did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum L2Effect {
    /// A new node was recorded, fully funded and active.
    Registered {
        /// Its key.
        node: ServiceNodePubkey,
    },
    /// The node's exit was scheduled; it leaves the list after this height.
    UnlockScheduled {
        /// Its key.
        node: ServiceNodePubkey,
        /// Last height the node stays registered.
        unlock_height: u64,
    },
    /// A node that had left the list got its stake back (less any slashed amount, taken from
    /// the first contributor's stake).
    Exited {
        /// Its key.
        node: ServiceNodePubkey,
        /// Each Ethereum contributor's returned amount, in contributor order.
        returned: Vec<(crate::bls::EthAddress, u64)>,
        /// The amount slashed (0 for a plain exit; more for a liquidation).
        slashed: u64,
        /// Blocks the returned amounts stay locked: a slashed node's stake stays locked until
        /// the deregistration lock from its removal has run out.
        delay_blocks: u64,
    },
    /// The staking requirement for new registrations changed (or was confirmed unchanged).
    RequirementUpdated {
        /// The requirement before.
        old: u64,
        /// The requirement now.
        new: u64,
    },
    /// A node missing from the contract's list was removed outright.
    Purged {
        /// Its key.
        node: ServiceNodePubkey,
    },
}
