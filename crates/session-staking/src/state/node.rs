//! What the chain records about each node and its contributors.

use alloc::vec::Vec;

use session_core::Network;

use crate::bls::{BlsPublicKeyBytes, EthAddress};
use crate::contribution::ContributorAddress;
use crate::error::{ConsensusError, Result};
use crate::hardfork::HardFork;
use crate::stake::{LockedContribution, LockedStake};
use crate::tx_extra::NewState;

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

/// The Ethereum side of a contributor who staked through the rewards contract (HF21 on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EthereumContributor {
    /// The address that staked (and receives the stake back on exit).
    pub address: EthAddress,
    /// The address that receives the rewards.
    pub beneficiary: EthAddress,
}

/// A contributor of a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contributor {
    /// Wallet address (all zeros for a contributor through the rewards contract, as oxend
    /// leaves it).
    pub address: ContributorAddress,
    /// Amount contributed so far.
    pub amount: u64,
    /// Amount reserved for this contributor (never below `amount`).
    pub reserved: u64,
    /// Locked outputs (HF11+).
    pub locked_contributions: Vec<LockedContribution>,
    /// The contract's addresses, for a stake through the rewards contract.
    pub ethereum: Option<EthereumContributor>,
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
    /// The node's BLS key (`X ‖ Y`): from its registration with the rewards contract, or for an
    /// Oxen-era node the key its HF20 uptime proofs proved.
    pub bls_public_key: Option<BlsPublicKeyBytes>,
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

    pub(super) fn move_to_back_of_queue(&mut self, height: u64) {
        self.last_reward_block_height = height;
        self.last_reward_transaction_index = u32::MAX;
    }
}
