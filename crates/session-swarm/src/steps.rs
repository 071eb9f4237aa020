//! oxend's building blocks, one step at a time (`service_node_swarm.cpp` helpers).
//!
//! [`crate::calc_swarm_changes`] runs them in oxend's order; they are public for tools and
//! tests that need to replay or inspect a single step. All use the oxend (libstdc++) tie order.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use session_core::SwarmId;

use crate::compat::TieOrder;
use crate::event::SwarmEvent;
use crate::oxend::{self, Run};
use crate::rules;
use session_core::compat::Mt19937_64;

/// `calc_excess`: Σ over swarms of max(0, size − 5).
pub fn calc_excess<K>(swarms: &BTreeMap<SwarmId, Vec<K>>) -> usize {
    oxend::calc_excess(swarms)
}

/// `calc_threshold`: 7 + 2 · (number of swarms), the excess at which a new swarm is created.
pub fn calc_threshold<K>(swarms: &BTreeMap<SwarmId, Vec<K>>) -> usize {
    rules::calc_threshold(swarms.len())
}

/// `calc_swarm_sizes`: (id, size) sorted by size in libstdc++ `std::sort` order.
pub fn swarm_sizes<K: Ord + Clone>(swarms: &BTreeMap<SwarmId, Vec<K>>) -> Vec<(SwarmId, usize)> {
    let mut sizes: Vec<(SwarmId, usize)> = swarms.iter().map(|(&id, v)| (id, v.len())).collect();
    crate::stdsort::std_sort(&mut sizes, |a, b| a.1 < b.1);
    sizes
}

/// `get_excess_pool`: every member (with its swarm) of every swarm bigger than `threshold`, in
/// ascending swarm id then member order, and the excess Σ (size − 5) of those swarms. A
/// threshold below 5 gives an empty pool and excess 0 (oxend leaves the excess untouched).
pub fn excess_pool<K: Clone>(
    threshold: usize,
    swarms: &BTreeMap<SwarmId, Vec<K>>,
) -> (Vec<(K, SwarmId)>, usize) {
    let mut pool = Vec::new();
    let mut excess = 0usize;
    if threshold < crate::MIN_SWARM_SIZE {
        return (pool, excess);
    }
    for (&id, members) in swarms.iter().filter(|(_, v)| v.len() > threshold) {
        excess += members.len() - crate::MIN_SWARM_SIZE;
        pool.extend(members.iter().map(|m| (m.clone(), id)));
    }
    (pool, excess)
}

/// `remove_excess_snode_from_swarm`: removes every copy of `node` from `swarm`, keeping the
/// order of the others. Returns whether anything was removed (absent node: no-op).
pub fn remove_node<K: PartialEq>(
    swarms: &mut BTreeMap<SwarmId, Vec<K>>,
    swarm: SwarmId,
    node: &K,
) -> bool {
    let Some(members) = swarms.get_mut(&swarm) else {
        return false;
    };
    let before = members.len();
    members.retain(|m| m != node);
    members.len() != before
}

/// `assign_snodes`: places each node in a random swarm among those no bigger than the
/// `percentile` swarm, running the excess rule after each. Nodes are reported as joining (they
/// had no swarm). With no swarm at all nothing is placed (oxend would throw).
pub fn assign_nodes<K: Ord + Clone>(
    swarms: &mut BTreeMap<SwarmId, Vec<K>>,
    nodes: Vec<K>,
    rng: &mut Mt19937_64,
    percentile: usize,
) -> Vec<SwarmEvent<K>> {
    let mut run = Run::new(swarms, rng, TieOrder::Oxend);
    rules::assign(&mut run, nodes, None, percentile.min(100));
    run.events
}

/// `create_new_swarm_from_excess`: while the excess reaches the threshold (and no swarm
/// starves), carve out a 7-node swarm from random excess nodes at [`crate::new_swarm_id`].
pub fn create_new_swarm_from_excess<K: Ord + Clone>(
    swarms: &mut BTreeMap<SwarmId, Vec<K>>,
    rng: &mut Mt19937_64,
) -> Vec<SwarmEvent<K>> {
    let mut run = Run::new(swarms, rng, TieOrder::Oxend);
    rules::create_from_excess(&mut run);
    run.events
}
