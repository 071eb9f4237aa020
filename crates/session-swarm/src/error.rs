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

#[cfg(test)]
mod tests {
    use session_core::testing::check_error_chain;

    use super::*;

    #[test]
    fn every_cause_prints_once_in_a_chain() {
        let all = [
            Error::DuplicateNode {
                first: SwarmId(1),
                second: SwarmId(2),
            },
            Error::UnsortedMembers {
                swarm: SwarmId(3),
                position: 1,
            },
            Error::EmptySwarm { swarm: SwarmId(4) },
        ];
        for e in &all {
            // Fails to compile when a variant is added without a value above.
            match e {
                Error::DuplicateNode { .. }
                | Error::UnsortedMembers { .. }
                | Error::EmptySwarm { .. } => {}
            }
            assert_eq!(check_error_chain(e), Ok(()));
        }
    }
}
