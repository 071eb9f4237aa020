//! Contributions to a registered node: `process_contribution_tx`.

use alloc::vec::Vec;

use super::{Block, Contributor, Effect, ServiceNodePubkey, ServiceNodeState, Stake};
use crate::contribution::{
    MAX_CONTRIBUTORS_HF19, MAX_CONTRIBUTORS_V1, max_node_contribution, min_node_contribution,
};
use crate::error::{ConsensusError, Result};
use crate::hardfork::HardFork;

impl ServiceNodeState {
    /// `process_contribution_tx`.
    pub(super) fn contribute(
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
        let info = self.registered_mut(&node)?;
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
                    ethereum: None,
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
}
