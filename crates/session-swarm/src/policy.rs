//! Choosing between the oxend-exact rules and the scalable variant.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use session_core::SwarmId;

use crate::compat::TieOrder;
use crate::event::SwarmEvent;
use crate::oxend;

/// Which implementation of the rebalancing rules to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Policy {
    /// Bit-exact with oxend compiled by GCC (libstdc++ `std::sort` tie order): what the live
    /// network computes. Cost grows with the number of swarms for every node placed.
    #[default]
    OxendCompat,
    /// The same rules with a stable tie order (equal sizes in ascending id order; pools in
    /// (size, id) order) and indexed data structures: O(log s) per placement.
    Scalable,
}

impl Policy {
    /// Rebalances `swarms` in place for one block with this policy; see
    /// [`calc_swarm_changes`].
    pub fn calc_swarm_changes<K: Ord + Clone>(
        self,
        swarms: &mut BTreeMap<SwarmId, Vec<K>>,
        seed: u64,
    ) -> Vec<SwarmEvent<K>> {
        match self {
            Policy::OxendCompat => oxend::calc(swarms, seed, TieOrder::Oxend),
            Policy::Scalable => crate::scalable::calc(swarms, seed),
        }
    }
}

/// oxend's `calc_swarm_changes`, bit for bit: rebalances `swarms` in place for one block and
/// returns what happened, in order.
///
/// Input as oxend builds it: the active nodes' current swarms, every member list in ascending
/// key order, new and recommissioned nodes under [`SwarmId::UNASSIGNED`]. `seed` is
/// [`crate::compat::seed_from_block_hash`] of the block. Steps: place unassigned nodes in the smallest
/// quarter of swarms (a new 7-node swarm is carved out whenever the excess over 5 per swarm
/// reaches 7 + 2·swarms); starving swarms (< 5) steal from the biggest quarter; new swarms
/// from excess; swarms still starving are dissolved, lowest id first, their members going to
/// the smallest swarms. Output member lists are in oxend's in-memory order (pick/append
/// order); consensus only depends on each node's swarm.
///
/// Never panics, whatever the map; see the crate docs for the two cases oxend leaves
/// undefined. Cost: O(s log s) per node placed (oxend re-sorts the sizes every time) — use
/// [`Policy::Scalable`] for simulations of very large networks.
pub fn calc_swarm_changes<K: Ord + Clone>(
    swarms: &mut BTreeMap<SwarmId, Vec<K>>,
    seed: u64,
) -> Vec<SwarmEvent<K>> {
    Policy::OxendCompat.calc_swarm_changes(swarms, seed)
}
