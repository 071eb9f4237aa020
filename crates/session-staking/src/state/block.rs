//! The start of a block: the winner, expiries and the blacklist, before its transactions.

use alloc::vec::Vec;

use super::{Block, BlockStart, Removal, ServiceNodePubkey, ServiceNodeState};
use crate::hardfork::{HardFork, hard_fork_height};
use crate::requirement::staking_lock_blocks;

/// Blocks of grace a pre-HF11 node keeps after its lock expires
/// (`STAKING_REQUIREMENT_LOCK_BLOCKS_EXCESS`).
const PRE_HF11_EXPIRY_GRACE: u64 = 20;

impl ServiceNodeState {
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
            self.remove_node(block.hard_fork, height, key, Removal::VoluntaryExit);
        }
        expired.extend(lapsed);
        if let Some(node) = winner.and_then(|w| self.nodes.get_mut(&w)) {
            node.move_to_back_of_queue(height);
        }
        BlockStart { winner, expired }
    }
}
