//! The service-node list as oxend keeps it, driven by plain event values: registrations,
//! contributions, state changes (deregister, decommission, recommission, IP-change penalty),
//! unlock requests, expiry, the deregistration key-image blacklist and the reward queue; from
//! HF21 the rewards contract's confirmed events ([`ServiceNodeState::apply_l2`]), purges, the
//! contract's staking requirement, and the nodes that left and await their exit.
//!
//! The model takes facts the caller has already established (a registration's signature, the
//! stake decoded from the transaction, the quorum votes); it decides what the chain does with
//! them. An event that oxend would ignore is answered with a [`ConsensusError`] naming the rule, and
//! leaves the state untouched.

mod block;
mod change;
mod contribute;
mod event;
mod l2;
mod node;
mod register;
mod unlock;

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use session_core::Network;

use crate::crypto::{KeyImage, PublicKey};
use crate::error::{ConsensusError, Result};

pub use event::{
    AwaitingExit, BlacklistEntry, Block, BlockStart, Effect, Event, L2Effect, Removal,
};
pub use node::{Contributor, EthereumContributor, ServiceNodeInfo, Stake, payable_after_blocks};

/// A service node's primary public key: the CryptoNote key of tx_extra tag 0x74 that signs its
/// registration (from HF19 the same bytes as its Ed25519 key).
pub type ServiceNodePubkey = PublicKey;

/// The service-node list of one network, advanced block by block.
///
/// ```
/// use session_core::Network;
/// use session_staking::crypto::{KeyImage, PublicKey};
/// use session_staking::stake::LockedContribution;
/// use session_staking::{
///     Block, ContributorAddress, Effect, Event, HardFork, RegistrationTerms, Reservation,
///     ServiceNodeState, Stake, COIN,
/// };
///
/// let mut list = ServiceNodeState::new(Network::Mainnet);
/// let operator = ContributorAddress { spend: PublicKey([1; 32]), view: PublicKey([2; 32]) };
/// let block = Block { height: 1_100_000, hard_fork: HardFork::Hf19, timestamp: 1_656_000_000 };
/// let terms = RegistrationTerms {
///     reserved: vec![Reservation { address: operator, amount: 15_000 * COIN }],
///     fee: 0,
///     hf_or_expiration: 19,
/// };
/// let stake = Stake {
///     address: operator,
///     transferred: 15_000 * COIN,
///     locked_contributions: vec![LockedContribution {
///         output_index: 0,
///         one_time_key: PublicKey([3; 32]),
///         key_image: Some(KeyImage([4; 32])),
///         amount: 15_000 * COIN,
///     }],
/// };
/// let node = PublicKey([9; 32]);
/// let registration = Event::Registration { node, terms, stake: stake.clone(), tx_index: 0 };
/// assert_eq!(list.apply(&block, registration)?, Effect::Registered);
/// let effect = list.apply(&block, Event::Contribution { node, stake, tx_index: 0 })?;
/// assert_eq!(effect, Effect::Contributed { counted: 15_000 * COIN, fully_funded: true });
/// assert!(list.get(&node).is_some_and(|n| n.is_active()));
/// # Ok::<(), session_staking::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceNodeState {
    network: Network,
    nodes: BTreeMap<ServiceNodePubkey, ServiceNodeInfo>,
    key_image_blacklist: Vec<BlacklistEntry>,
    /// The requirement the contract last set (0: none yet).
    contract_staking_requirement: u64,
    /// HF21 nodes that left the list and wait for their `ServiceNodeExit`.
    awaiting_exit: Vec<AwaitingExit>,
}

impl ServiceNodeState {
    /// An empty list.
    #[must_use]
    pub fn new(network: Network) -> Self {
        Self {
            network,
            nodes: BTreeMap::new(),
            key_image_blacklist: Vec::new(),
            contract_staking_requirement: 0,
            awaiting_exit: Vec::new(),
        }
    }

    /// The registered node `node`, to change it; refused as oxend refuses an event naming a node
    /// it does not know.
    pub(super) fn registered_mut(
        &mut self,
        node: &ServiceNodePubkey,
    ) -> Result<&mut ServiceNodeInfo, ConsensusError> {
        self.nodes
            .get_mut(node)
            .ok_or(ConsensusError::UnknownServiceNode)
    }

    /// The network whose durations apply.
    #[must_use]
    pub fn network(&self) -> Network {
        self.network
    }

    /// A node's record.
    #[must_use]
    pub fn get(&self, node: &ServiceNodePubkey) -> Option<&ServiceNodeInfo> {
        self.nodes.get(node)
    }

    /// Every node, by key.
    pub fn nodes(&self) -> impl Iterator<Item = (&ServiceNodePubkey, &ServiceNodeInfo)> {
        self.nodes.iter()
    }

    /// Keys of the active nodes, ascending (the order quorums start from).
    #[must_use]
    pub fn active_nodes(&self) -> Vec<ServiceNodePubkey> {
        self.nodes
            .iter()
            .filter(|(_, n)| n.is_active())
            .map(|(k, _)| *k)
            .collect()
    }

    /// Keys of the fully funded, decommissioned nodes, ascending.
    #[must_use]
    pub fn decommissioned_nodes(&self) -> Vec<ServiceNodePubkey> {
        self.nodes
            .iter()
            .filter(|(_, n)| n.is_fully_funded() && n.is_decommissioned())
            .map(|(k, _)| *k)
            .collect()
    }

    /// The nodes that left the list from HF21 and wait for the contract's `ServiceNodeExit`
    /// (oxend's `recently_removed_nodes`), in the order they left.
    #[must_use]
    pub fn awaiting_exit(&self) -> &[AwaitingExit] {
        &self.awaiting_exit
    }

    /// The deregistration blacklist.
    #[must_use]
    pub fn key_image_blacklist(&self) -> &[BlacklistEntry] {
        &self.key_image_blacklist
    }

    /// Whether spending `key_image` is refused: it locks a registered node's stake or is
    /// blacklisted after a deregistration.
    #[must_use]
    pub fn is_key_image_locked(&self, key_image: &KeyImage) -> bool {
        self.key_image_blacklist
            .iter()
            .any(|e| &e.key_image == key_image)
            || self.nodes.values().any(|n| {
                n.contributors.iter().any(|c| {
                    c.locked_contributions
                        .iter()
                        .any(|l| l.key_image.as_ref() == Some(key_image))
                })
            })
    }

    /// The node the next block pays (`get_next_block_leader`): the active node with the
    /// smallest `(last_reward_block_height, last_reward_transaction_index, key)`.
    #[must_use]
    pub fn block_winner(&self) -> Option<ServiceNodePubkey> {
        crate::rewards::block_winner(self.nodes.iter())
    }

    /// Applies one event of `block`. On error the state is unchanged.
    pub fn apply(&mut self, block: &Block, event: Event) -> Result<Effect, ConsensusError> {
        match event {
            Event::Registration {
                node,
                terms,
                stake,
                tx_index,
            } => self.register(block, node, &terms, &stake, tx_index),
            Event::Contribution {
                node,
                stake,
                tx_index,
            } => self.contribute(block, node, stake, tx_index),
            Event::StateChange {
                node,
                state,
                quorum_height,
            } => self.change_state(block, node, state, quorum_height),
            Event::UnlockRequest { node, key_image } => self.request_unlock(block, node, key_image),
        }
    }
}
