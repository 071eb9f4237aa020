//! Stake unlock requests: `process_key_image_unlock_tx`.

use super::{Block, Effect, ServiceNodePubkey, ServiceNodeState};
use crate::crypto::KeyImage;
use crate::error::{ConsensusError, Result};
use crate::hardfork::HardFork;
use crate::requirement::{blocks_in, unlock_height};

impl ServiceNodeState {
    /// `process_key_image_unlock_tx` (the signature is the caller's to check).
    pub(super) fn request_unlock(
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
        let info = self.registered_mut(&node)?;
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
