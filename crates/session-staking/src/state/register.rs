//! Registrations: `process_registration_tx`.

use alloc::vec::Vec;

use super::{
    Block, Contributor, Effect, ServiceNodeInfo, ServiceNodePubkey, ServiceNodeState, Stake,
};
use crate::contribution::{MAX_CONTRIBUTORS_V1, RegistrationTerms, min_node_contribution};
use crate::error::{ConsensusError, Result};
use crate::hardfork::HardFork;
use crate::requirement::{blocks_in, staking_lock_blocks};

impl ServiceNodeState {
    /// `is_registration_tx` + `process_registration_tx`.
    pub(super) fn register(
        &mut self,
        block: &Block,
        node: ServiceNodePubkey,
        terms: &RegistrationTerms,
        stake: &Stake,
        tx_index: u32,
    ) -> Result<Effect, ConsensusError> {
        let hf = block.hard_fork;
        let requirement = self.staking_requirement(block.height);
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
                ethereum: None,
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
            bls_public_key: None,
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
}
