//! The service-node list as oxend keeps it, driven by plain event values: registrations,
//! contributions, state changes (deregister, decommission, recommission, IP-change penalty),
//! unlock requests, expiry, the deregistration key-image blacklist and the reward queue.
//!
//! The model takes facts the caller has already established (a registration's signature, the
//! stake decoded from the transaction, the quorum votes); it decides what the chain does with
//! them. An event that oxend would ignore is answered with a [`ConsensusError`] naming the rule, and
//! leaves the state untouched.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use session_core::Network;

use crate::contribution::{
    ContributorAddress, MAX_CONTRIBUTORS_HF19, MAX_CONTRIBUTORS_V1, RegistrationTerms,
    max_node_contribution, min_node_contribution,
};
use crate::crypto::{KeyImage, PublicKey};
use crate::error::{ConsensusError, Result};
use crate::hardfork::{HardFork, hard_fork_height};
use crate::quorum::credit::{decommission_credit, recommission_credit};
use crate::requirement::{
    blocks_in, deregistration_lock_blocks, staking_lock_blocks, unlock_height,
};
use crate::stake::{LockedContribution, LockedStake};
use crate::tx_extra::NewState;

/// A service node's primary public key: the CryptoNote key of tx_extra tag 0x74 that signs its
/// registration (from HF19 the same bytes as its Ed25519 key).
pub type ServiceNodePubkey = PublicKey;

/// Blocks of grace a pre-HF11 node keeps after its lock expires
/// (`STAKING_REQUIREMENT_LOCK_BLOCKS_EXCESS`).
const PRE_HF11_EXPIRY_GRACE: u64 = 20;

/// Blocks a node must have been active before HF19 batching pays it
/// (`SERVICE_NODE_PAYABLE_AFTER_BLOCKS`).
#[must_use]
pub const fn payable_after_blocks(network: Network) -> u64 {
    match network {
        Network::Mainnet => 720,
        Network::Testnet | Network::Devnet | Network::Stagenet => 4,
        _ => 1,
    }
}

/// What a staking transaction proved (decoded amounts and key-image proofs): the input the
/// model needs from the cryptographic verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stake {
    /// The staker's address (tx_extra tag 0x73).
    pub address: ContributorAddress,
    /// Total atomic amount proven staked.
    pub transferred: u64,
    /// The locked outputs (HF11+ outputs carry their key image).
    pub locked_contributions: Vec<LockedContribution>,
}

impl Stake {
    /// The stake [`verify_stake`](crate::verify_stake) proved for `address`.
    #[must_use]
    pub fn from_verified(address: ContributorAddress, stake: &LockedStake) -> Self {
        Self {
            address,
            transferred: stake.total,
            locked_contributions: stake.contributions.clone(),
        }
    }
}

/// A contributor of a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributor {
    /// Wallet address.
    pub address: ContributorAddress,
    /// Amount contributed so far.
    pub amount: u64,
    /// Amount reserved for this contributor (never below `amount`).
    pub reserved: u64,
    /// Locked outputs (HF11+).
    pub locked_contributions: Vec<LockedContribution>,
}

/// Everything the chain records about one service node (`service_node_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceNodeInfo {
    /// The requirement at registration; contributions fill up to it.
    pub staking_requirement: u64,
    /// The operator's address (reserved slot 0).
    pub operator_address: ContributorAddress,
    /// Operator fee in portions of [`STAKING_PORTIONS`](crate::STAKING_PORTIONS).
    pub portions_for_operator: u64,
    /// Height of the registration.
    pub registration_height: u64,
    /// Hard fork at registration.
    pub registration_hf: HardFork,
    /// Height of the last reward or queue reset (the reward queue sorts on it).
    pub last_reward_block_height: u64,
    /// Transaction index within that block (`u32::MAX` for a reward or penalty).
    pub last_reward_transaction_index: u32,
    /// Height at which the node became fully funded or was recommissioned; negated while
    /// decommissioned; 0 before it is fully funded.
    pub active_since_height: i64,
    /// Height of the last decommission.
    pub last_decommission_height: u64,
    /// How many times the node has been decommissioned.
    pub decommission_count: u32,
    /// Decommission credit carried over from the last recommission (blocks).
    pub recommission_credit: i64,
    /// Height of the last IP-change penalty (or registration).
    pub last_ip_change_height: u64,
    /// Height at which the requested unlock completes, if one was requested.
    pub requested_unlock_height: Option<u64>,
    /// Whether the node currently belongs to a swarm (decommissioned nodes lose theirs from
    /// HF13; swarm assignment itself is the swarm crate's job).
    pub in_swarm: bool,
    /// Contributors in registration/contribution order, operator first.
    pub contributors: Vec<Contributor>,
    /// Sum of the contributors' amounts.
    pub total_contributed: u64,
    /// Sum of the contributors' reservations.
    pub total_reserved: u64,
}

impl ServiceNodeInfo {
    /// Whether the contributions reach the requirement.
    #[must_use]
    pub fn is_fully_funded(&self) -> bool {
        self.total_contributed >= self.staking_requirement
    }

    /// Whether the node is decommissioned.
    #[must_use]
    pub fn is_decommissioned(&self) -> bool {
        self.active_since_height < 0
    }

    /// Fully funded and not decommissioned: tested, paid and in quorums.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.is_fully_funded() && !self.is_decommissioned()
    }

    /// Active for at least [`payable_after_blocks`] (HF19 batching pays only these).
    #[must_use]
    pub fn is_payable(&self, height: u64, network: Network) -> bool {
        self.is_active()
            && i128::from(height)
                >= i128::from(self.active_since_height) + i128::from(payable_after_blocks(network))
    }

    /// Number of locked outputs over all contributors.
    #[must_use]
    pub fn total_locked_contributions(&self) -> usize {
        self.contributors
            .iter()
            .map(|c| c.locked_contributions.len())
            .sum()
    }

    /// Whether a quorum at `vote_height` may vote on this node (`can_be_voted_on`).
    pub fn can_be_voted_on(&self, vote_height: u64) -> Result<(), ConsensusError> {
        let reject = |reason| {
            Err(ConsensusError::NotVotable {
                vote_height,
                reason,
            })
        };
        if !self.is_fully_funded() {
            return reject("the node is not fully funded");
        }
        if vote_height <= self.registration_height {
            return reject("the vote is not after the registration");
        }
        if self.is_decommissioned() && vote_height <= self.last_decommission_height {
            return reject("the vote is not after the decommission");
        }
        if self.is_active() && i128::from(vote_height) <= i128::from(self.active_since_height) {
            return reject("the vote is not after the node became active");
        }
        Ok(())
    }

    /// Whether a state change voted at `vote_height` may apply to this node
    /// (`can_transition_to_state`).
    pub fn can_transition_to_state(
        &self,
        hf: HardFork,
        vote_height: u64,
        state: NewState,
    ) -> Result<(), ConsensusError> {
        if hf >= HardFork::Hf13 {
            self.can_be_voted_on(vote_height)?;
            if state == NewState::IpChangePenalty && vote_height <= self.last_ip_change_height {
                return Err(ConsensusError::NotVotable {
                    vote_height,
                    reason: "the vote is not after the last IP-change penalty",
                });
            }
        } else if state == NewState::Deregister && vote_height < self.registration_height {
            return Err(ConsensusError::NotVotable {
                vote_height,
                reason: "the vote is before the registration",
            });
        }
        match (self.is_decommissioned(), state) {
            (true, NewState::Decommission) => Err(ConsensusError::AlreadyDecommissioned),
            (true, NewState::IpChangePenalty) => Err(ConsensusError::PenaltyWhileDecommissioned),
            (false, NewState::Recommission) => Err(ConsensusError::NotDecommissioned),
            _ => Ok(()),
        }
    }

    /// The reward-queue position: the smallest tuple is paid next.
    #[must_use]
    pub fn waiting_since(&self) -> (u64, u32) {
        (
            self.last_reward_block_height,
            self.last_reward_transaction_index,
        )
    }

    fn move_to_back_of_queue(&mut self, height: u64) {
        self.last_reward_block_height = height;
        self.last_reward_transaction_index = u32::MAX;
    }
}

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

/// What [`ServiceNodeState::begin_block`] did before the block's transactions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlockStart {
    /// The node this block pays (the longest-waiting active node), now sent to the back of
    /// the queue.
    pub winner: Option<ServiceNodePubkey>,
    /// Nodes whose stake expired or unlocked (or, at the HF20 height, that were never fully
    /// funded), now removed.
    pub expired: Vec<ServiceNodePubkey>,
}

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
}

impl ServiceNodeState {
    /// An empty list.
    #[must_use]
    pub fn new(network: Network) -> Self {
        Self {
            network,
            nodes: BTreeMap::new(),
            key_image_blacklist: Vec::new(),
        }
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

    /// Starts `block`, before its transactions, in oxend's order: pick the winner from the
    /// state as it stood, drop partially funded nodes at the HF20 height (OXEN stakes can no
    /// longer complete them), release expired blacklist entries (HF11+), remove expired
    /// nodes, then send the winner to the back of the queue.
    ///
    /// Under HF9 oxend expires the nodes registered exactly one lock period earlier by
    /// re-reading that block; here that is every node whose registration height is
    /// `height - lock`, which is the same set.
    pub fn begin_block(&mut self, block: &Block) -> BlockStart {
        let winner = self.block_winner();
        let height = block.height;
        let mut expired: Vec<ServiceNodePubkey> = Vec::new();
        if hard_fork_height(self.network, HardFork::Hf20) == Some(height) {
            self.nodes.retain(|key, n| {
                let keep = n.is_fully_funded();
                if !keep {
                    expired.push(*key);
                }
                keep
            });
        }
        if block.hard_fork >= HardFork::Hf11 {
            self.key_image_blacklist
                .retain(|e| height < e.unlock_height);
        }
        let lock_blocks = staking_lock_blocks(self.network);
        let lapsed: Vec<ServiceNodePubkey> = self
            .nodes
            .iter()
            .filter(|(_, n)| {
                if block.hard_fork == HardFork::Hf9 {
                    // HF9 re-reads the registrations of the block exactly one lock period back.
                    height > lock_blocks && n.registration_height == height - lock_blocks
                } else if n.registration_hf >= HardFork::Hf11 {
                    n.requested_unlock_height.is_some_and(|u| height > u)
                } else {
                    // Registered under HF9/HF10 rules: fixed lock plus a grace period.
                    height > n.registration_height + lock_blocks + PRE_HF11_EXPIRY_GRACE
                }
            })
            .map(|(k, _)| *k)
            .collect();
        for key in &lapsed {
            self.nodes.remove(key);
        }
        expired.extend(lapsed);
        if let Some(node) = winner.and_then(|w| self.nodes.get_mut(&w)) {
            node.move_to_back_of_queue(height);
        }
        BlockStart { winner, expired }
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

    /// `is_registration_tx` + `process_registration_tx`.
    fn register(
        &mut self,
        block: &Block,
        node: ServiceNodePubkey,
        terms: &RegistrationTerms,
        stake: &Stake,
        tx_index: u32,
    ) -> Result<Effect, ConsensusError> {
        let hf = block.hard_fork;
        let requirement = crate::requirement::staking_requirement(self.network, block.height);
        terms.validate(hf, requirement, block.timestamp)?;
        let operator = terms.reserved.first().ok_or(ConsensusError::NoOperator)?;
        if hf >= HardFork::Hf16 {
            if stake.locked_contributions.len() != 1 {
                return Err(ConsensusError::MultipleStakeOutputs {
                    count: stake.locked_contributions.len(),
                });
            }
            if stake.address != operator.address {
                return Err(ConsensusError::RegistrationStakeNotFromOperator);
            }
        } else {
            let minimum = min_node_contribution(hf, requirement, 0, 0).unwrap_or(u64::MAX);
            if stake.transferred < minimum {
                return Err(ConsensusError::OperatorStakeBelowMinimum {
                    amount: stake.transferred,
                    minimum,
                });
            }
            let staker_reserved = terms.reserved.iter().any(|r| r.address == stake.address);
            let count = terms.reserved.len() + usize::from(!staker_reserved);
            if count > MAX_CONTRIBUTORS_V1 {
                return Err(ConsensusError::TooManyContributors {
                    count,
                    max: MAX_CONTRIBUTORS_V1,
                });
            }
        }
        let portions_for_operator =
            terms
                .operator_fee_portions()
                .ok_or(ConsensusError::FeeTooHigh {
                    fee: terms.fee,
                    max: crate::portions::STAKING_FEE_BASIS,
                })?;
        let reserved = terms.reserved_amounts(requirement);
        let contributors: Vec<Contributor> = terms
            .reserved
            .iter()
            .zip(&reserved)
            .map(|(r, &amount)| Contributor {
                address: r.address,
                amount: 0,
                reserved: amount,
                locked_contributions: Vec::new(),
            })
            .collect();
        let total_reserved = reserved.iter().fold(0u64, |a, &b| a.wrapping_add(b));
        let operator_reserved = reserved.first().copied().unwrap_or(0);
        if hf >= HardFork::Hf16 && stake.transferred < operator_reserved {
            return Err(ConsensusError::OperatorStakeBelowReserved {
                amount: stake.transferred,
                reserved: operator_reserved,
            });
        }
        let mut info = ServiceNodeInfo {
            staking_requirement: requirement,
            operator_address: operator.address,
            portions_for_operator,
            registration_height: block.height,
            registration_hf: hf,
            last_reward_block_height: block.height,
            last_reward_transaction_index: tx_index,
            active_since_height: 0,
            last_decommission_height: 0,
            decommission_count: 0,
            recommission_credit: i64::try_from(blocks_in(self.network, 2 * 3600))
                .unwrap_or(i64::MAX),
            last_ip_change_height: block.height,
            requested_unlock_height: None,
            in_swarm: false,
            contributors,
            total_contributed: 0,
            total_reserved,
        };
        let mut effect = Effect::Registered;
        if let Some(old) = self.nodes.get(&node) {
            if hf >= HardFork::Hf11 || hf < HardFork::Hf10 {
                return Err(ConsensusError::AlreadyRegistered);
            }
            // HF10 grace-period re-registration: allowed once the old lock has run out, and
            // the node keeps its place in the reward queue.
            let expiry = old.registration_height + staking_lock_blocks(self.network);
            if block.height < expiry {
                return Err(ConsensusError::ReregisteredTooEarly {
                    height: block.height,
                    allowed_from: expiry,
                });
            }
            info.last_reward_block_height = old.last_reward_block_height;
            info.last_reward_transaction_index = old.last_reward_transaction_index;
            effect = Effect::Reregistered;
        }
        self.nodes.insert(node, info);
        Ok(effect)
    }

    /// `process_contribution_tx`.
    fn contribute(
        &mut self,
        block: &Block,
        node: ServiceNodePubkey,
        stake: Stake,
        tx_index: u32,
    ) -> Result<Effect, ConsensusError> {
        let hf = block.hard_fork;
        if hf >= HardFork::Hf21 {
            return Err(ConsensusError::RegistrationsClosed {
                hard_fork: hf.version(),
            });
        }
        let info = self
            .nodes
            .get_mut(&node)
            .ok_or(ConsensusError::UnknownServiceNode)?;
        if info.is_fully_funded() {
            return Err(ConsensusError::AlreadyFullyFunded);
        }
        let existing = info.total_locked_contributions();
        let mut other_reservations = 0usize;
        let mut position = None;
        let mut own_unfilled = 0u64;
        for (i, c) in info.contributors.iter().enumerate() {
            if c.address == stake.address {
                position = Some(i);
                own_unfilled = c.reserved.saturating_sub(c.amount);
            } else if c.amount < c.reserved {
                other_reservations += 1;
            }
        }
        if hf >= HardFork::Hf16 && stake.locked_contributions.len() != 1 {
            return Err(ConsensusError::MultipleStakeOutputs {
                count: stake.locked_contributions.len(),
            });
        }
        let (used, max) = if hf >= HardFork::Hf19 {
            (existing + other_reservations + 1, MAX_CONTRIBUTORS_HF19)
        } else if hf >= HardFork::Hf16 {
            (existing + other_reservations + 1, MAX_CONTRIBUTORS_V1)
        } else if hf >= HardFork::Hf11 {
            (
                existing + stake.locked_contributions.len(),
                MAX_CONTRIBUTORS_V1,
            )
        } else if position.is_none() {
            (info.contributors.len() + 1, MAX_CONTRIBUTORS_V1)
        } else {
            (0, MAX_CONTRIBUTORS_V1)
        };
        if used > max {
            return Err(ConsensusError::ContributorSlotsFull { max });
        }
        let minimum = if position.is_some() && hf < HardFork::Hf11 {
            1
        } else if hf < HardFork::Hf16 {
            min_node_contribution(hf, info.staking_requirement, info.total_reserved, existing)
                .unwrap_or(u64::MAX)
        } else if own_unfilled > 0 {
            own_unfilled
        } else {
            min_node_contribution(
                hf,
                info.staking_requirement,
                info.total_reserved,
                existing + other_reservations,
            )
            .unwrap_or(u64::MAX)
        };
        if stake.transferred < minimum {
            return Err(ConsensusError::ContributionBelowMinimum {
                amount: stake.transferred,
                minimum,
            });
        }
        let maximum = max_node_contribution(
            hf,
            info.staking_requirement,
            info.total_reserved.wrapping_sub(own_unfilled),
        );
        if stake.transferred > maximum {
            return Err(ConsensusError::ContributionAboveMaximum {
                amount: stake.transferred,
                maximum,
            });
        }

        let index = match position {
            Some(i) => i,
            None => {
                info.contributors.push(Contributor {
                    address: stake.address,
                    amount: 0,
                    reserved: 0,
                    locked_contributions: Vec::new(),
                });
                info.contributors.len() - 1
            }
        };
        let can_increase_reserved_by = info.staking_requirement.saturating_sub(info.total_reserved);
        let Some(contributor) = info.contributors.get_mut(index) else {
            return Err(ConsensusError::UnknownServiceNode);
        };
        // Never let the reservations exceed the requirement: the excess stays locked but
        // does not count.
        let max_amount = contributor
            .reserved
            .saturating_add(can_increase_reserved_by);
        let counted = stake
            .transferred
            .min(max_amount.saturating_sub(contributor.amount));
        contributor.amount += counted;
        let mut reserved_increase = 0;
        if contributor.amount > contributor.reserved {
            reserved_increase = contributor.amount - contributor.reserved;
            contributor.reserved = contributor.amount;
        }
        if hf >= HardFork::Hf11 {
            contributor
                .locked_contributions
                .extend(stake.locked_contributions);
        }
        info.total_contributed += counted;
        info.total_reserved += reserved_increase;
        info.last_reward_block_height = block.height;
        info.last_reward_transaction_index = tx_index;
        let fully_funded = info.is_fully_funded();
        if fully_funded {
            info.active_since_height = i64::try_from(block.height).unwrap_or(i64::MAX);
        }
        Ok(Effect::Contributed {
            counted,
            fully_funded,
        })
    }

    /// `process_state_change_tx`, with the transaction-level `can_transition_to_state`.
    fn change_state(
        &mut self,
        block: &Block,
        node: ServiceNodePubkey,
        state: NewState,
        quorum_height: u64,
    ) -> Result<Effect, ConsensusError> {
        let hf = block.hard_fork;
        let height = block.height;
        if hf < HardFork::Hf12 && state != NewState::Deregister {
            return Err(ConsensusError::StateChangeNotYetAllowed {
                state: state.to_u16(),
                hard_fork: hf.version(),
            });
        }
        let network = self.network;
        let info = self
            .nodes
            .get_mut(&node)
            .ok_or(ConsensusError::UnknownServiceNode)?;
        info.can_transition_to_state(hf, quorum_height, state)?;
        let signed_height = i64::try_from(height).unwrap_or(i64::MAX);
        match state {
            NewState::Deregister => {
                let blacklisted_until = height.saturating_add(deregistration_lock_blocks(network));
                if hf >= HardFork::Hf11 {
                    let entries = info.contributors.iter().flat_map(|c| {
                        c.locked_contributions.iter().filter_map(|l| {
                            l.key_image.map(|key_image| BlacklistEntry {
                                key_image,
                                unlock_height: blacklisted_until,
                                amount: l.amount,
                            })
                        })
                    });
                    self.key_image_blacklist.extend(entries);
                }
                self.nodes.remove(&node);
                Ok(Effect::Deregistered { blacklisted_until })
            }
            NewState::Decommission => {
                info.active_since_height = -info.active_since_height;
                info.last_decommission_height = height;
                info.decommission_count = info.decommission_count.saturating_add(1);
                if hf >= HardFork::Hf13 {
                    info.in_swarm = false;
                }
                Ok(Effect::Decommissioned)
            }
            NewState::Recommission => {
                let at_decommission =
                    decommission_credit(network, info, info.last_decommission_height);
                let decommissioned_blocks =
                    i64::try_from(height.saturating_sub(info.last_decommission_height))
                        .unwrap_or(i64::MAX);
                let credit = recommission_credit(at_decommission, decommissioned_blocks);
                info.active_since_height = signed_height;
                info.recommission_credit = credit;
                info.move_to_back_of_queue(height);
                Ok(Effect::Recommissioned { credit })
            }
            NewState::IpChangePenalty => {
                info.move_to_back_of_queue(height);
                info.last_ip_change_height = height;
                Ok(Effect::IpChangePenalized)
            }
        }
    }

    /// `process_key_image_unlock_tx` (the signature is the caller's to check).
    fn request_unlock(
        &mut self,
        block: &Block,
        node: ServiceNodePubkey,
        key_image: KeyImage,
    ) -> Result<Effect, ConsensusError> {
        let hf = block.hard_fork;
        if hf >= HardFork::Hf21 {
            return Err(ConsensusError::RegistrationsClosed {
                hard_fork: hf.version(),
            });
        }
        let network = self.network;
        let info = self
            .nodes
            .get_mut(&node)
            .ok_or(ConsensusError::UnknownServiceNode)?;
        if let Some(unlock_height) = info.requested_unlock_height {
            return Err(ConsensusError::UnlockAlreadyRequested { unlock_height });
        }
        let contribution = info
            .contributors
            .iter()
            .flat_map(|c| c.locked_contributions.iter())
            .find(|l| l.key_image == Some(key_image))
            .ok_or(ConsensusError::KeyImageNotLocked)?;
        if hf == HardFork::Hf19 {
            // oxend compares with the literal 3749 atomic units (meant as 3749 coins), so in
            // practice this never triggers; reproduced as written.
            let small_contributor_blocks = blocks_in(network, 30 * 24 * 3600);
            let age = block.height.saturating_sub(info.registration_height);
            if contribution.amount < 3749 && age < small_contributor_blocks {
                return Err(ConsensusError::SmallContributorUnlockTooEarly {
                    allowed_from: info.registration_height + small_contributor_blocks,
                });
            }
        }
        let unlock = unlock_height(network, block.height);
        info.requested_unlock_height = Some(unlock);
        Ok(Effect::UnlockScheduled {
            unlock_height: unlock,
        })
    }
}
