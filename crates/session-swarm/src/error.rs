//! The crate's error type.

use session_core::SwarmId;

/// Why a swarm map is not shaped like the map oxend builds (see [`crate::check_oxend_input`]).
///
/// The rebalancing functions themselves never fail: they accept any map and never panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A node is listed twice (in one swarm or in two).
    #[error("node listed twice: in swarm {first} and again in swarm {second}")]
    DuplicateNode {
        /// The swarm holding the first occurrence.
        first: SwarmId,
        /// The swarm holding the second occurrence.
        second: SwarmId,
    },
    /// A member list is not in ascending node order (oxend builds every list from its
    /// pubkey-sorted node list).
    #[error("swarm {swarm}: member {position} is not above the previous one")]
    UnsortedMembers {
        /// The swarm.
        swarm: SwarmId,
        /// Index of the first out-of-order member.
        position: usize,
    },
    /// A swarm has no members (oxend's map only has swarms of active nodes).
    #[error("swarm {swarm} has no members")]
    EmptySwarm {
        /// The swarm.
        swarm: SwarmId,
    },
}
