//! The rewards contract's events as oxend applies them once the network confirmed them
//! (`process_confirmed_event`): registrations, exit requests, exits, requirement updates and
//! purges.

use alloc::vec::Vec;

use session_core::Ed25519PublicKey;

use super::{
    AwaitingExit, Block, Contributor, EthereumContributor, L2Effect, Removal, ServiceNodeInfo,
    ServiceNodePubkey, ServiceNodeState,
};
use crate::bls::{BlsPublicKeyBytes, EthAddress};
use crate::contribution::{ContributorAddress, MAX_CONTRIBUTORS_HF19, check_stakes};
use crate::crypto::PublicKey;
use crate::error::{ConsensusError, Result};
use crate::hardfork::HardFork;
use crate::l2::{L2Event, NewServiceNode};
use crate::portions::{STAKING_FEE_BASIS, fee_basis_points_to_portions};
use crate::requirement::{blocks_in, deregistration_lock_blocks, eth_exit_buffer, unlock_height};

/// oxend leaves the Oxen address of a contract registration empty (all zeros).
const UNSET_ADDRESS: ContributorAddress = ContributorAddress {
    spend: PublicKey([0; 32]),
    view: PublicKey([0; 32]),
};

impl ServiceNodeState {
    /// Applies a rewards-contract event that the network confirmed in `block`, at position
    /// `index` among the block's confirmations (a registration's place in the reward queue).
    ///
    /// `l2_height` is the Arbitrum block the event was logged in; oxend records it with the
    /// event but decides nothing on it. Events are accepted from HF21 only. A registration must
    /// stake exactly [the requirement](Self::staking_requirement), carry a valid Ed25519
    /// signature over `service_node_key ‖ bls_public_key`, and use a key and a BLS key no
    /// registered node has. On error the state is unchanged: oxend ignores the event.
    pub fn apply_l2(
        &mut self,
        block: &Block,
        l2_height: u64,
        index: u32,
        event: &L2Event,
    ) -> Result<L2Effect, ConsensusError> {
        let _ = l2_height;
        if block.hard_fork < HardFork::Hf21 {
            return Err(ConsensusError::L2EventsNotYetAllowed {
                hard_fork: block.hard_fork.version(),
            });
        }
        match event {
            L2Event::NewServiceNode(registration) => self.register_l2(block, index, registration),
            L2Event::ExitRequest { bls_public_key } => self.request_exit(block, bls_public_key),
            L2Event::Exit {
                bls_public_key,
                returned_amount,
            } => self.exit(block, bls_public_key, *returned_amount),
            L2Event::StakingRequirementUpdated {
                staking_requirement,
            } => {
                let old = self.staking_requirement(block.height);
                self.contract_staking_requirement = *staking_requirement;
                let new = self.staking_requirement(block.height);
                Ok(L2Effect::RequirementUpdated { old, new })
            }
        }
    }

    /// Removes a registered node that the contract's node list no longer holds
    /// ([`crate::l2::purges`] finds them), confirmed in `block`. Unlike an exit, a purge removes
    /// the node outright: no `ServiceNodeExit` follows.
    pub fn purge(
        &mut self,
        block: &Block,
        l2_height: u64,
        bls_public_key: &BlsPublicKeyBytes,
    ) -> Result<L2Effect, ConsensusError> {
        let _ = l2_height;
        if block.hard_fork < HardFork::Hf21 {
            return Err(ConsensusError::L2EventsNotYetAllowed {
                hard_fork: block.hard_fork.version(),
            });
        }
        let node = self.registered_with_bls_key(bls_public_key)?;
        self.nodes.remove(&node);
        Ok(L2Effect::Purged { node })
    }

    /// The requirement a registration in the block at `height` must stake
    /// (`get_staking_requirement`): from HF21 the last value a confirmed
    /// `StakingRequirementUpdated` set, if any (and not zero); otherwise
    /// [`crate::staking_requirement`].
    #[must_use]
    pub fn staking_requirement(&self, height: u64) -> u64 {
        if crate::hardfork::hard_fork_at(self.network, height) >= HardFork::Hf21
            && self.contract_staking_requirement > 0
        {
            return self.contract_staking_requirement;
        }
        crate::requirement::staking_requirement(self.network, height)
    }

    /// Records the BLS key an HF20 uptime proof of `node` proved (with its proof of
    /// possession; [`crate::uptime::verify_bt_uptime_proof`] checks both): oxend keeps it in the
    /// node's record so that the node of the Oxen era has its key when HF21 starts. Ignored by
    /// oxend outside HF20 (except on a local network).
    pub fn record_bls_key(
        &mut self,
        hard_fork: HardFork,
        node: &ServiceNodePubkey,
        bls_public_key: BlsPublicKeyBytes,
    ) -> Result<(), ConsensusError> {
        if hard_fork != HardFork::Hf20 && self.network != session_core::Network::Localdev {
            return Err(ConsensusError::L2EventsNotYetAllowed {
                hard_fork: hard_fork.version(),
            });
        }
        let info = self.registered_mut(node)?;
        info.bls_public_key = Some(bls_public_key);
        Ok(())
    }

    /// `process_confirmed_event(NewServiceNodeV2)` with `validate_ethereum_registration`.
    fn register_l2(
        &mut self,
        block: &Block,
        index: u32,
        registration: &NewServiceNode,
    ) -> Result<L2Effect, ConsensusError> {
        let node = PublicKey(registration.service_node_key.to_bytes());
        if self.nodes.contains_key(&node) {
            return Err(ConsensusError::AlreadyRegistered);
        }
        let bls = registration.bls_public_key;
        if self
            .nodes
            .values()
            .any(|n| n.bls_public_key.as_ref() == Some(&bls))
        {
            return Err(ConsensusError::DuplicateBlsKey);
        }
        // `validate_registration`, in its order: contributors present and at most 10, then the
        // fee, then the stakes (which from HF21 must add up to the requirement).
        let requirement = self.staking_requirement(block.height);
        if registration.contributors.is_empty() {
            return Err(ConsensusError::NoOperator);
        }
        if registration.contributors.len() > MAX_CONTRIBUTORS_HF19 {
            return Err(ConsensusError::TooManyContributors {
                count: registration.contributors.len(),
                max: MAX_CONTRIBUTORS_HF19,
            });
        }
        let fee = u64::from(registration.fee);
        let portions_for_operator =
            fee_basis_points_to_portions(fee).ok_or(ConsensusError::FeeTooHigh {
                fee,
                max: STAKING_FEE_BASIS,
            })?;
        let amounts: Vec<u64> = registration.contributors.iter().map(|c| c.amount).collect();
        check_stakes(block.hard_fork, requirement, &amounts)?;
        verify_signature(registration)?;
        for (first, a) in registration.contributors.iter().enumerate() {
            let repeat = registration
                .contributors
                .iter()
                .enumerate()
                .skip(first + 1)
                .find(|(_, b)| b.address == a.address);
            if let Some((second, _)) = repeat {
                return Err(ConsensusError::DuplicateContributor { first, second });
            }
        }

        let contributors: Vec<Contributor> = registration
            .contributors
            .iter()
            .map(|c| Contributor {
                address: UNSET_ADDRESS,
                amount: c.amount,
                reserved: c.amount,
                locked_contributions: Vec::new(),
                ethereum: Some(EthereumContributor {
                    address: c.address,
                    beneficiary: c.beneficiary,
                }),
            })
            .collect();
        // check_stakes bounded every amount by what remained of the requirement, so the sum
        // is at most the requirement.
        let total = amounts.iter().fold(0u64, |a, &b| a.saturating_add(b));
        let height = block.height;
        let info = ServiceNodeInfo {
            staking_requirement: requirement,
            operator_address: UNSET_ADDRESS,
            portions_for_operator,
            registration_height: height,
            registration_hf: block.hard_fork,
            last_reward_block_height: height,
            last_reward_transaction_index: index,
            active_since_height: i64::try_from(height).unwrap_or(i64::MAX),
            last_decommission_height: 0,
            decommission_count: 0,
            recommission_credit: i64::try_from(blocks_in(self.network, 2 * 3600))
                .unwrap_or(i64::MAX),
            last_ip_change_height: height,
            requested_unlock_height: None,
            in_swarm: false,
            contributors,
            total_contributed: total,
            total_reserved: total,
            bls_public_key: Some(bls),
        };
        self.nodes.insert(node, info);
        Ok(L2Effect::Registered { node })
    }

    /// `process_confirmed_event(ServiceNodeExitRequest)`: the node leaves once
    /// [`unlock_height`] has passed, as an unlock request of the Oxen era does.
    fn request_exit(
        &mut self,
        block: &Block,
        bls_public_key: &BlsPublicKeyBytes,
    ) -> Result<L2Effect, ConsensusError> {
        let node = self.registered_with_bls_key(bls_public_key)?;
        let network = self.network;
        let info = self.registered_mut(&node)?;
        if let Some(unlock_height) = info.requested_unlock_height {
            return Err(ConsensusError::UnlockAlreadyRequested { unlock_height });
        }
        let unlock_height = unlock_height(network, block.height);
        info.requested_unlock_height = Some(unlock_height);
        Ok(L2Effect::UnlockScheduled {
            node,
            unlock_height,
        })
    }

    /// `process_confirmed_event(ServiceNodeExit)`: the second step of a removal. The node must
    /// have left the list; an amount above its requirement is capped; anything less is a
    /// liquidation, allowed only from its liquidation height and taken from the first
    /// Ethereum contributor's stake, whose return is then delayed until the deregistration
    /// lock from the removal has run out.
    fn exit(
        &mut self,
        block: &Block,
        bls_public_key: &BlsPublicKeyBytes,
        returned_amount: u64,
    ) -> Result<L2Effect, ConsensusError> {
        let position = self
            .awaiting_exit
            .iter()
            .position(|n| n.info.bls_public_key.as_ref() == Some(bls_public_key))
            .ok_or(ConsensusError::NotAwaitingExit)?;
        let leaving = self
            .awaiting_exit
            .get(position)
            .ok_or(ConsensusError::NotAwaitingExit)?;
        let requirement = leaving.info.staking_requirement;
        let slashed = requirement - returned_amount.min(requirement);
        let height = block.height;
        if slashed > 0 && height < leaving.liquidation_height {
            return Err(ConsensusError::LiquidationTooEarly {
                height,
                liquidation_height: leaving.liquidation_height,
            });
        }
        let delay_blocks = if slashed > 0 {
            let unlocked_at = leaving
                .height
                .saturating_add(deregistration_lock_blocks(self.network));
            unlocked_at.saturating_sub(height)
        } else {
            0
        };
        let mut returned: Vec<(EthAddress, u64)> = leaving
            .info
            .contributors
            .iter()
            .filter_map(|c| c.ethereum.map(|e| (e.address, c.amount)))
            .collect();
        let first = returned
            .first_mut()
            .ok_or(ConsensusError::NoEthereumContributors)?;
        if slashed > first.1 {
            return Err(ConsensusError::SlashExceedsOperatorStake {
                slash: slashed,
                operator_stake: first.1,
            });
        }
        first.1 -= slashed;
        let node = leaving.node;
        self.awaiting_exit.remove(position);
        Ok(L2Effect::Exited {
            node,
            returned,
            slashed,
            delay_blocks,
        })
    }

    /// The registered node with this BLS key (oxend's `find_public_key` over its BLS map, which
    /// also holds the nodes awaiting their exit).
    fn registered_with_bls_key(
        &self,
        bls_public_key: &BlsPublicKeyBytes,
    ) -> Result<ServiceNodePubkey, ConsensusError> {
        let has_key = |info: &ServiceNodeInfo| info.bls_public_key.as_ref() == Some(bls_public_key);
        if let Some((node, _)) = self.nodes.iter().find(|(_, info)| has_key(info)) {
            return Ok(*node);
        }
        if self.awaiting_exit.iter().any(|n| has_key(&n.info)) {
            return Err(ConsensusError::AlreadyLeft);
        }
        Err(ConsensusError::UnknownBlsKey)
    }

    /// `erase_info`: from HF21 a node leaving the list (other than by a purge) waits in the
    /// staging area for the contract's `ServiceNodeExit`.
    pub(super) fn remove_node(
        &mut self,
        hard_fork: HardFork,
        height: u64,
        node: &ServiceNodePubkey,
        removal: Removal,
    ) {
        let Some(info) = self.nodes.remove(node) else {
            return;
        };
        if hard_fork >= HardFork::Hf21 {
            self.awaiting_exit.push(AwaitingExit {
                node: *node,
                height,
                liquidation_height: height.saturating_add(eth_exit_buffer(self.network)),
                removal,
                info,
            });
        }
    }
}

/// `validate_registration_signature`: Ed25519 over `service_node_key ‖ bls_public_key`.
fn verify_signature(registration: &NewServiceNode) -> Result<(), ConsensusError> {
    let mut signed = [0u8; 96];
    let (sn, bls) = signed.split_at_mut(32);
    sn.copy_from_slice(registration.service_node_key.as_bytes());
    bls.copy_from_slice(registration.bls_public_key.as_bytes());
    let key: &Ed25519PublicKey = &registration.service_node_key;
    key.verify(&signed, &registration.signature)
        .map_err(|_| ConsensusError::InvalidRegistrationSignature)
}
