//! The chain driver: registrations, unlocks and deregistrations block by block, with
//! oxend's swarm rules deciding where each node goes.

use std::collections::BTreeMap;

use session_core::{Ed25519PublicKey, ServiceNode, SwarmId};
use session_swarm::OxendSwarms;

/// The active node set and its swarms.
#[derive(Debug, Default)]
pub struct Chain {
    height: u64,
    records: BTreeMap<Ed25519PublicKey, ServiceNode>,
    swarms: OxendSwarms<Ed25519PublicKey>,
    /// Swarm assignment changes seen so far (joins, moves, new swarms).
    pub swarm_events: usize,
}

impl Chain {
    /// Registers a node (it joins a swarm at the next block).
    pub fn register(&mut self, node: ServiceNode) {
        self.swarms.add_node(node.ed25519);
        self.records.insert(node.ed25519, node);
    }

    /// Removes a node (an unlock or a deregistration for being down).
    pub fn unregister(&mut self, key: &Ed25519PublicKey) {
        self.swarms.remove_node(key);
        self.records.remove(key);
    }

    /// Mines a block: runs the swarm rules and returns the height and the node list to
    /// publish.
    pub fn next_block(&mut self) -> (u64, Vec<ServiceNode>) {
        self.height += 1;
        let seed = self.height.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.swarm_events += self.swarms.rebalance(seed).len();
        (self.height, self.nodes())
    }

    /// The active nodes with their current swarms.
    #[must_use]
    pub fn nodes(&self) -> Vec<ServiceNode> {
        self.records
            .values()
            .map(|n| ServiceNode {
                swarm_id: self
                    .swarms
                    .swarm_of(&n.ed25519)
                    .unwrap_or(SwarmId::UNASSIGNED),
                ..*n
            })
            .collect()
    }

    /// Number of swarms.
    #[must_use]
    pub fn swarm_count(&self) -> usize {
        self.swarms.swarm_count()
    }
}

impl Chain {
    /// Blocks mined so far.
    #[must_use]
    pub fn height(&self) -> u64 {
        self.height
    }
}
