//! The swarms under either policy, behind one interface.

use std::collections::BTreeMap;

use session_swarm::{OxendSwarms, Policy, ScalableSwarms, SwarmEvent, SwarmId};

/// A simulated node: a random 64-bit id (as uniform as a public key).
pub type Node = u64;

/// The network's swarms, kept between blocks.
pub(crate) enum Swarms {
    /// The live network's rules (bit-exact with oxend).
    Oxend(OxendSwarms<Node>),
    /// The same rules, indexed for million-node networks.
    Scalable(ScalableSwarms<Node>),
}

impl Swarms {
    pub(crate) fn new(policy: Policy) -> Self {
        match policy {
            Policy::Scalable => Swarms::Scalable(ScalableSwarms::new()),
            _ => Swarms::Oxend(OxendSwarms::new()),
        }
    }

    pub(crate) fn add(&mut self, node: Node) {
        match self {
            Swarms::Oxend(s) => s.add_node(node),
            Swarms::Scalable(s) => s.add_node(node),
        };
    }

    pub(crate) fn remove(&mut self, node: &Node) {
        match self {
            Swarms::Oxend(s) => s.remove_node(node),
            Swarms::Scalable(s) => s.remove_node(node),
        };
    }

    pub(crate) fn rebalance(&mut self, seed: u64) -> Vec<SwarmEvent<Node>> {
        match self {
            Swarms::Oxend(s) => s.rebalance(seed),
            Swarms::Scalable(s) => s.rebalance(seed),
        }
    }

    pub(crate) fn swarms(&self) -> &BTreeMap<SwarmId, Vec<Node>> {
        match self {
            Swarms::Oxend(s) => s.swarms(),
            Swarms::Scalable(s) => s.swarms(),
        }
    }
}
