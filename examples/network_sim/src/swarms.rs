//! The chain's side of the network: the swarm rules under either policy, behind one interface.
//! The simulator plays oxend: it registers and removes nodes, runs the rules once a block and
//! publishes the outcome as the active node list every node and client receives.

use std::collections::BTreeMap;

use session_core::Ed25519PublicKey;
use session_swarm::{OxendSwarms, Policy, ScalableSwarms, SwarmEvent, SwarmId};

/// The network's swarms, kept between blocks; nodes are their Ed25519 keys.
pub(crate) enum Swarms {
    /// The live network's rules (bit-exact with oxend).
    Oxend(OxendSwarms<Ed25519PublicKey>),
    /// The same rules, indexed for large networks.
    Scalable(ScalableSwarms<Ed25519PublicKey>),
}

impl Swarms {
    pub(crate) fn new(policy: Policy) -> Self {
        match policy {
            Policy::Scalable => Swarms::Scalable(ScalableSwarms::new()),
            _ => Swarms::Oxend(OxendSwarms::new()),
        }
    }

    pub(crate) fn add(&mut self, node: Ed25519PublicKey) {
        match self {
            Swarms::Oxend(s) => s.add_node(node),
            Swarms::Scalable(s) => s.add_node(node),
        };
    }

    pub(crate) fn remove(&mut self, node: &Ed25519PublicKey) {
        match self {
            Swarms::Oxend(s) => s.remove_node(node),
            Swarms::Scalable(s) => s.remove_node(node),
        };
    }

    pub(crate) fn rebalance(&mut self, seed: u64) -> Vec<SwarmEvent<Ed25519PublicKey>> {
        match self {
            Swarms::Oxend(s) => s.rebalance(seed),
            Swarms::Scalable(s) => s.rebalance(seed),
        }
    }

    pub(crate) fn swarms(&self) -> &BTreeMap<SwarmId, Vec<Ed25519PublicKey>> {
        match self {
            Swarms::Oxend(s) => s.swarms(),
            Swarms::Scalable(s) => s.swarms(),
        }
    }
}
