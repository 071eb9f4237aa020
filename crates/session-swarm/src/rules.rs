//! oxend's rebalancing rules (`service_node_swarm.cpp`), written once.
//!
//! The rules only ask a handful of questions of the map ("the swarms no bigger than the
//! 25th-percentile one", "a random member of the excess pool", "the lowest-id starving
//! swarm"…); [`Layout`] is that list. [`crate::oxend`] answers them as oxend does (plain scans
//! and libstdc++'s `std::sort`, bit-exact), [`crate::scalable`] from indexes in O(log s). So the
//! two policies cannot drift apart in their rules, only in their tie order, and the scenario
//! vectors that pin the oxend answers pin the rules for both.

use alloc::vec::Vec;

use session_core::SwarmId;

use crate::event::SwarmEvent;
use crate::{
    DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE, EXCESS_BASE, FILL_SWARM_LOWER_PERCENTILE,
    IDEAL_SWARM_MARGIN, MIN_SWARM_SIZE, NEW_SWARM_SIZE,
};
use session_core::compat::{Mt19937_64, uniform_index};

/// What the rules need to know about, and do to, a swarm map during one rebalancing run.
///
/// "Size order" is the layout's order of swarms by member count: libstdc++'s `std::sort`
/// permutation for oxend, (size, id) for the scalable policy.
pub(crate) trait Layout<K> {
    /// The one generator all steps draw from, in order.
    fn rng(&mut self) -> &mut Mt19937_64;
    /// Records what happened.
    fn log(&mut self, event: SwarmEvent<K>);
    /// Number of swarms.
    fn swarm_count(&self) -> usize;
    /// `calc_excess`: Σ max(0, size − 5).
    fn excess(&self) -> usize;
    /// Whether some swarm has fewer than 5 members.
    fn any_starving(&self) -> bool;
    /// The lowest-id swarm with fewer than 5 members.
    fn lowest_starving(&self) -> Option<SwarmId>;
    /// Members of `swarm` (0 if absent).
    fn len_of(&self, swarm: SwarmId) -> usize;
    /// Takes a fresh size order and returns how many swarms, from its start, are no bigger than
    /// the swarm at `percentile` (ties at that size included); 0 without swarms.
    fn placement_candidates(&mut self, percentile: usize) -> usize;
    /// The `r`-th swarm of the size order taken by the last `placement_candidates`.
    fn candidate(&mut self, r: usize) -> Option<SwarmId>;
    /// For stealing, from one size order taken now (it goes stale, as in oxend): the donor
    /// threshold `max(5, size at the 75th percentile − 1)` (unsigned) and the starving swarms in
    /// that order. `None` without swarms.
    fn steal_plan(&mut self) -> Option<(usize, Vec<SwarmId>)>;
    /// Σ (size − 5) over swarms bigger than `threshold`.
    fn pool_excess(&self, threshold: usize) -> usize;
    /// `pick_from_excess_pool` + `remove_excess_snode_from_swarm`: draws one member of the
    /// swarms bigger than `threshold` uniformly and removes it (every copy) from its swarm.
    fn take_from_pool(&mut self, threshold: usize) -> Option<(K, SwarmId)>;
    /// Appends `node` to `swarm`, returning the new member count (0: no such swarm).
    fn push_member(&mut self, swarm: SwarmId, node: K) -> usize;
    /// `get_new_swarm_id` of the current swarms.
    fn new_id(&self) -> SwarmId;
    /// Whether `swarm` exists.
    fn contains(&self, swarm: SwarmId) -> bool;
    /// Adds a swarm that does not exist yet.
    fn insert_new_swarm(&mut self, swarm: SwarmId, members: Vec<K>);
    /// Adds a swarm. The rules only add new ids; should one exist, its members are appended
    /// so that nobody is lost.
    fn insert_swarm(&mut self, swarm: SwarmId, members: Vec<K>) {
        if self.contains(swarm) {
            for m in members {
                self.push_member(swarm, m);
            }
        } else {
            self.insert_new_swarm(swarm, members);
        }
    }
    /// Removes a swarm, giving back its members.
    fn remove_swarm(&mut self, swarm: SwarmId) -> Option<Vec<K>>;
}

/// `calc_threshold`: the excess at which a new swarm is carved out, 7 + 2·swarms.
pub(crate) fn calc_threshold(swarms: usize) -> usize {
    NEW_SWARM_SIZE.saturating_add(swarms.saturating_mul(IDEAL_SWARM_MARGIN))
}

/// oxend's percentile position `percentile · (len − 1) / 100` in a list of `len` swarms
/// (`percentile` ≤ 100), without the intermediate product: `100 · len` can overflow a 32-bit
/// `usize` long before `len` itself is out of reach.
pub(crate) fn percentile_index(percentile: usize, len: usize) -> usize {
    let last = len.saturating_sub(1);
    let p = percentile.min(100);
    // last = 100q + r  ⇒  ⌊p·last / 100⌋ = p·q + ⌊p·r / 100⌋, every term ≤ last.
    p * (last / 100) + p * (last % 100) / 100
}

/// `calc_swarm_changes` steps 0–4 on a map whose unassigned nodes (ascending) were taken out.
/// The caller handles oxend's "empty input map: do nothing".
pub(crate) fn run<K: Clone, L: Layout<K>>(l: &mut L, unassigned: Vec<K>) {
    // 0. There is always at least one swarm.
    if l.swarm_count() == 0 {
        let id = l.new_id();
        l.insert_swarm(id, Vec::new());
        l.log(SwarmEvent::SwarmCreated { swarm: id });
    }
    // 1. New and recommissioned nodes go to the smallest quarter of swarms.
    assign(l, unassigned, None, FILL_SWARM_LOWER_PERCENTILE);
    // 2. Robin Hood: starving swarms steal from rich ones.
    robin_hood(l);
    // 3. New swarms from excess.
    create_from_excess(l);
    // 4. Dissolve swarms still starving.
    dissolve(l);
}

/// `assign_snodes`: each node goes to a random swarm among those no bigger than the
/// `percentile` swarm, then the excess rule runs.
pub(crate) fn assign<K: Clone, L: Layout<K>>(
    l: &mut L,
    nodes: Vec<K>,
    from: Option<SwarmId>,
    percentile: usize,
) {
    for node in nodes {
        let candidates = l.placement_candidates(percentile);
        // No swarm at all: oxend would throw. `run` and `dissolve` never leave the map empty.
        if candidates == 0 {
            return;
        }
        let r = uniform_index(l.rng(), candidates);
        let Some(to) = l.candidate(r) else { return };
        l.push_member(to, node.clone());
        l.log(match from {
            None => SwarmEvent::NodeJoined { node, swarm: to },
            Some(from) => SwarmEvent::NodeMoved { node, from, to },
        });
        create_from_excess(l);
    }
}

/// Step 2. The size order is taken once and goes stale while stealing, as in oxend.
fn robin_hood<K: Clone, L: Layout<K>>(l: &mut L) {
    let Some((threshold, starving)) = l.steal_plan() else {
        return;
    };
    for poor in starving {
        loop {
            let deficit = MIN_SWARM_SIZE.saturating_sub(l.len_of(poor));
            if l.pool_excess(threshold) < deficit {
                // Cannot be saved (no partial stealing); the remaining starving swarms are no
                // smaller, so oxend gives up on them too.
                return;
            }
            let Some((node, from)) = l.take_from_pool(threshold) else {
                return;
            };
            let now = l.push_member(poor, node.clone());
            l.log(SwarmEvent::NodeMoved {
                node,
                from,
                to: poor,
            });
            if now >= MIN_SWARM_SIZE {
                break;
            }
        }
    }
}

/// `create_new_swarm_from_excess`: while the excess reaches the threshold and nobody starves,
/// carve a 7-node swarm out of random excess nodes.
pub(crate) fn create_from_excess<K: Clone, L: Layout<K>>(l: &mut L) {
    if l.any_starving() {
        return;
    }
    while l.excess() >= calc_threshold(l.swarm_count()) {
        let mut picked: Vec<(K, SwarmId)> = Vec::with_capacity(NEW_SWARM_SIZE);
        while picked.len() < NEW_SWARM_SIZE {
            match l.take_from_pool(EXCESS_BASE) {
                Some(p) => picked.push(p),
                None => {
                    // oxend logs an error and returns, silently dropping the nodes picked so
                    // far. Unreachable with distinct nodes (excess ≥ 7 + 2·swarms means 7 picks
                    // are available); with duplicate entries we put the picked nodes back where
                    // they came from instead of losing them.
                    put_back(l, picked);
                    return;
                }
            }
        }
        let id = l.new_id();
        if l.contains(id) {
            // oxend logs "this is a bug" and drops the nodes; the largest-gap rule cannot
            // collide before 2^63 swarms exist. Keep the nodes instead.
            put_back(l, picked);
            return;
        }
        l.log(SwarmEvent::SwarmCreated { swarm: id });
        let mut members = Vec::with_capacity(NEW_SWARM_SIZE);
        for (node, from) in picked {
            members.push(node.clone());
            l.log(SwarmEvent::NodeMoved { node, from, to: id });
        }
        l.insert_swarm(id, members);
    }
}

fn put_back<K, L: Layout<K>>(l: &mut L, picked: Vec<(K, SwarmId)>) {
    for (node, from) in picked {
        l.push_member(from, node);
    }
}

/// Step 4: dissolve the lowest-id starving swarm until none is left, moving its members to the
/// smallest swarms. Only if there was more than one swarm when the step began.
fn dissolve<K: Clone, L: Layout<K>>(l: &mut L) {
    if l.swarm_count() <= 1 {
        return;
    }
    while let Some(id) = l.lowest_starving() {
        let Some(members) = l.remove_swarm(id) else {
            return;
        };
        if l.swarm_count() == 0 && !members.is_empty() {
            // oxend throws std::out_of_range here (assigning to an empty map). Our decision:
            // the last swarm is never dissolved while it has members; it stays, starving,
            // until the network grows.
            l.insert_swarm(id, members);
            return;
        }
        l.log(SwarmEvent::SwarmDissolved { swarm: id });
        assign(
            l,
            members,
            Some(id),
            DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE,
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::percentile_index;

    #[test]
    fn percentile_index_is_the_exact_quotient_and_never_overflows() {
        for len in 0..1000usize {
            for p in [0, 25, 75, 100] {
                assert_eq!(percentile_index(p, len), p * len.saturating_sub(1) / 100);
            }
        }
        let exact = (u128::try_from(usize::MAX).unwrap() - 1) * 75 / 100;
        assert_eq!(
            u128::try_from(percentile_index(75, usize::MAX)).unwrap(),
            exact
        );
        assert_eq!(percentile_index(100, usize::MAX), usize::MAX - 1);
        assert_eq!(percentile_index(250, 11), 10, "clamped to 100");
    }
}
