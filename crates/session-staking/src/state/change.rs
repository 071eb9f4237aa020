//! Quorum state changes: deregistration, decommission, recommission, IP-change penalty.

use super::{BlacklistEntry, Block, Effect, Removal, ServiceNodePubkey, ServiceNodeState};
use crate::error::{ConsensusError, Result};
use crate::hardfork::HardFork;
use crate::quorum::credit::{decommission_credit, recommission_credit};
use crate::requirement::deregistration_lock_blocks;
use crate::tx_extra::NewState;

impl ServiceNodeState {
    /// `process_state_change_tx`, with the transaction-level `can_transition_to_state`.
    pub(super) fn change_state(
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
                self.remove_node(hf, height, &node, Removal::Deregistration);
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
}
