//! Checking that a map has the shape oxend gives `calc_swarm_changes`.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use session_core::SwarmId;

use crate::error::Error;

/// Checks that `swarms` looks like the map oxend passes to `calc_swarm_changes`: every swarm
/// (including [`SwarmId::UNASSIGNED`]) non-empty, every member list strictly ascending, no
/// node twice. Results for other maps are still deterministic and panic-free, but they are
/// not what the live network computes for its (always well-formed) state.
///
/// ```
/// use std::collections::BTreeMap;
/// use session_core::SwarmId;
/// let map = BTreeMap::from([(SwarmId(1), vec![1, 2]), (SwarmId(2), vec![2, 3])]);
/// assert!(session_swarm::check_oxend_input(&map).is_err());
/// ```
pub fn check_oxend_input<K: Ord>(swarms: &BTreeMap<SwarmId, Vec<K>>) -> Result<(), Error> {
    let mut seen: BTreeMap<&K, SwarmId> = BTreeMap::new();
    for (&swarm, members) in swarms {
        if members.is_empty() {
            return Err(Error::EmptySwarm { swarm });
        }
        for (position, pair) in members.windows(2).enumerate() {
            if let [a, b] = pair
                && a >= b
            {
                return Err(Error::UnsortedMembers {
                    swarm,
                    position: position + 1,
                });
            }
        }
        for m in members {
            if let Some(first) = seen.insert(m, swarm) {
                return Err(Error::DuplicateNode {
                    first,
                    second: swarm,
                });
            }
        }
    }
    Ok(())
}
