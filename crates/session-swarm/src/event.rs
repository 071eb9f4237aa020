//! What a rebalancing step did, in the order it did it.

use session_core::SwarmId;

/// One change made by a rebalancing step (`calc_swarm_changes`), in chronological order.
///
/// A node can appear in several events of one step (e.g. it joins a swarm and is then taken
/// into a swarm created from excess); its final swarm is the destination of its last event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SwarmEvent<K> {
    /// A swarm was created: the initial swarm of an empty network, or a swarm carved out of
    /// excess nodes (its members arrive in the [`SwarmEvent::NodeMoved`] events that follow).
    SwarmCreated {
        /// The new swarm.
        swarm: SwarmId,
    },
    /// A node without a swarm (newly registered or recommissioned) was placed in a swarm.
    NodeJoined {
        /// The node.
        node: K,
        /// Its swarm.
        swarm: SwarmId,
    },
    /// A node changed swarm: stolen by a starving swarm, taken into a new swarm, or
    /// redistributed after its swarm was dissolved.
    NodeMoved {
        /// The node.
        node: K,
        /// The swarm it left.
        from: SwarmId,
        /// The swarm it is now in.
        to: SwarmId,
    },
    /// A starving swarm was dissolved; its members' moves follow as [`SwarmEvent::NodeMoved`].
    SwarmDissolved {
        /// The dissolved swarm.
        swarm: SwarmId,
    },
}
