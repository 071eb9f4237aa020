//! oxend's `calc_swarm_changes`, ported rule for rule (`service_node_swarm.cpp`).
//!
//! This is the reference: quadratic-ish like the original (the size list is re-sorted for
//! every assigned node, pools are rebuilt for every pick), which is fine for the live
//! network's few hundred swarms. [`crate::Policy::Scalable`] applies the same rules with
//! indexed data structures.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use session_core::SwarmId;

use crate::event::SwarmEvent;
use crate::id::new_swarm_id;
use crate::rng::{Mt19937_64, uniform_index};
use crate::stdsort::std_sort;
use crate::{
    DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE, EXCESS_BASE, FILL_SWARM_LOWER_PERCENTILE,
    IDEAL_SWARM_MARGIN, MIN_SWARM_SIZE, NEW_SWARM_SIZE, STEALING_SWARM_UPPER_PERCENTILE,
};

/// The two tie orders the rules can run with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TieOrder {
    /// oxend: sizes sorted by libstdc++ `std::sort`, pools in ascending swarm id order.
    Oxend,
    /// [`crate::Policy::Scalable`]: sizes sorted by (size, id), pools in (size, id) order.
    Stable,
    /// oxend recompiled with `std::stable_sort`: sizes by (size, id), pools in id order. Only
    /// for showing that the libstdc++ permutation matters (the vectors flag where it does).
    StableSortOnly,
}

/// Runs the rebalancing rules on `map` with `seed`, returning the events.
pub(crate) fn calc<K: Ord + Clone>(
    map: &mut BTreeMap<SwarmId, Vec<K>>,
    seed: u64,
    order: TieOrder,
) -> Vec<SwarmEvent<K>> {
    let mut rng = Mt19937_64::new(seed);
    let mut run = Run::new(map, &mut rng, order);
    run.all();
    run.events
}

pub(crate) struct Run<'a, K> {
    pub(crate) map: &'a mut BTreeMap<SwarmId, Vec<K>>,
    pub(crate) rng: &'a mut Mt19937_64,
    pub(crate) order: TieOrder,
    pub(crate) events: Vec<SwarmEvent<K>>,
    /// (id, size) of every swarm of `map`, ascending id: a flat mirror, so the per-placement
    /// scans oxend does over its `std::map` run over contiguous memory.
    sizes: Vec<(SwarmId, usize)>,
    /// Σ max(0, size − 5) over `sizes` (oxend recomputes it every time).
    excess: usize,
    /// Swarms with fewer than 5 members.
    starving: usize,
    /// Reused buffer for the sorted size list.
    sort_buf: Vec<(SwarmId, usize)>,
}

/// `calc_excess`: members above [`EXCESS_BASE`], summed over swarms.
pub(crate) fn calc_excess<K>(map: &BTreeMap<SwarmId, Vec<K>>) -> usize {
    map.values()
        .map(|v| v.len().saturating_sub(EXCESS_BASE))
        .sum()
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

/// `calc_threshold`: the excess at which a new swarm is carved out.
pub(crate) fn calc_threshold(swarms: usize) -> usize {
    NEW_SWARM_SIZE.saturating_add(swarms.saturating_mul(IDEAL_SWARM_MARGIN))
}

impl<'a, K: Ord + Clone> Run<'a, K> {
    pub(crate) fn new(
        map: &'a mut BTreeMap<SwarmId, Vec<K>>,
        rng: &'a mut Mt19937_64,
        order: TieOrder,
    ) -> Self {
        let sizes: Vec<(SwarmId, usize)> = map.iter().map(|(&id, v)| (id, v.len())).collect();
        let excess = sizes.iter().map(|e| e.1.saturating_sub(EXCESS_BASE)).sum();
        let starving = sizes.iter().filter(|e| e.1 < MIN_SWARM_SIZE).count();
        Run {
            map,
            rng,
            order,
            events: Vec::new(),
            sizes,
            excess,
            starving,
            sort_buf: Vec::new(),
        }
    }

    fn all(&mut self) {
        if self.map.is_empty() {
            return;
        }
        let unassigned = self.remove_swarm(SwarmId::UNASSIGNED).unwrap_or_default();
        // 0. There is always at least one swarm.
        if self.map.is_empty() {
            let id = new_swarm_id([]);
            self.insert_swarm(id, Vec::new());
            self.events.push(SwarmEvent::SwarmCreated { swarm: id });
        }
        // 1. New and recommissioned nodes go to the smallest quarter of swarms.
        self.assign(unassigned, None, FILL_SWARM_LOWER_PERCENTILE);
        // 2. Robin Hood: starving swarms steal from rich ones.
        self.robin_hood();
        // 3. New swarms from excess.
        self.create_from_excess();
        // 4. Dissolve swarms still starving.
        self.dissolve();
    }

    // ---- the mirror: every change of a member count goes through these ----

    fn count(&mut self, size: usize, add: bool) {
        let e = size.saturating_sub(EXCESS_BASE);
        let s = usize::from(size < MIN_SWARM_SIZE);
        if add {
            self.excess += e;
            self.starving += s;
        } else {
            self.excess = self.excess.saturating_sub(e);
            self.starving = self.starving.saturating_sub(s);
        }
    }

    /// Records that swarm `id` now has `len` members.
    fn set_size(&mut self, id: SwarmId, len: usize) {
        let Ok(i) = self.sizes.binary_search_by_key(&id, |e| e.0) else {
            return;
        };
        let Some(old) = self.sizes.get(i).map(|e| e.1) else {
            return;
        };
        self.count(old, false);
        self.count(len, true);
        if let Some(e) = self.sizes.get_mut(i) {
            e.1 = len;
        }
    }

    fn insert_swarm(&mut self, id: SwarmId, members: Vec<K>) {
        let len = members.len();
        if let Some(old) = self.map.insert(id, members) {
            self.count(old.len(), false);
        }
        match self.sizes.binary_search_by_key(&id, |e| e.0) {
            Ok(i) => {
                if let Some(e) = self.sizes.get_mut(i) {
                    e.1 = len;
                }
            }
            Err(i) => self.sizes.insert(i, (id, len)),
        }
        self.count(len, true);
    }

    fn remove_swarm(&mut self, id: SwarmId) -> Option<Vec<K>> {
        let members = self.map.remove(&id)?;
        if let Ok(i) = self.sizes.binary_search_by_key(&id, |e| e.0) {
            self.sizes.remove(i);
        }
        self.count(members.len(), false);
        Some(members)
    }

    fn push_member(&mut self, id: SwarmId, node: K) -> usize {
        let Some(members) = self.map.get_mut(&id) else {
            return 0;
        };
        members.push(node);
        let len = members.len();
        self.set_size(id, len);
        len
    }

    // ---- oxend's helpers ----

    /// `calc_swarm_sizes`: (id, size) in id order, then sorted by size with the tie order.
    /// Hand the vector back through `sort_buf` to reuse its allocation.
    pub(crate) fn sorted_sizes(&mut self) -> Vec<(SwarmId, usize)> {
        let mut sizes = core::mem::take(&mut self.sort_buf);
        sizes.clear();
        sizes.extend_from_slice(&self.sizes);
        match self.order {
            TieOrder::Oxend => std_sort(&mut sizes, |a, b| a.1 < b.1),
            // Stable: ties stay in ascending id order.
            TieOrder::Stable | TieOrder::StableSortOnly => sizes.sort_by_key(|e| e.1),
        }
        sizes
    }

    /// The swarms whose members form the excess pool above `threshold`, in pool order, and
    /// the pool's excess (Σ size − 5).
    pub(crate) fn pool_swarms(&self, threshold: usize) -> (Vec<(SwarmId, usize)>, usize) {
        let mut swarms: Vec<(SwarmId, usize)> = self
            .sizes
            .iter()
            .filter(|e| e.1 > threshold)
            .copied()
            .collect();
        if self.order == TieOrder::Stable {
            swarms.sort_by_key(|e| e.1);
        }
        let excess = swarms
            .iter()
            .map(|e| e.1.saturating_sub(MIN_SWARM_SIZE))
            .sum();
        (swarms, excess)
    }

    /// `pick_from_excess_pool` + `remove_excess_snode_from_swarm`: draws one pool member
    /// uniformly (the pool lists every member of every eligible swarm) and removes it (every
    /// copy of it, as `std::remove` does) from its swarm. `None` if the pool is empty.
    pub(crate) fn take_from_pool(&mut self, swarms: &[(SwarmId, usize)]) -> Option<(K, SwarmId)> {
        let total: usize = swarms.iter().map(|e| e.1).sum();
        if total == 0 {
            return None;
        }
        let mut r = uniform_index(self.rng, total);
        for &(id, size) in swarms {
            if r < size {
                let members = self.map.get_mut(&id)?;
                let node = members.get(r)?.clone();
                members.retain(|m| *m != node);
                let len = members.len();
                self.set_size(id, len);
                return Some((node, id));
            }
            r -= size;
        }
        None
    }

    /// `assign_snodes`: each node goes to a random swarm among those no bigger than the
    /// `percentile` swarm, then the excess rule runs.
    pub(crate) fn assign(&mut self, nodes: Vec<K>, from: Option<SwarmId>, percentile: usize) {
        for node in nodes {
            let sorted = self.sorted_sizes();
            let pidx = percentile_index(percentile, sorted.len());
            // Candidates: every swarm up to the last one of the percentile swarm's size.
            let target = sorted.get(pidx).map(|&(_, pval)| {
                let upper = sorted
                    .iter()
                    .enumerate()
                    .skip(pidx)
                    .find(|(_, e)| e.1 > pval)
                    .map_or(sorted.len() - 1, |(i, _)| i - 1);
                upper + 1
            });
            let to = target.and_then(|candidates| {
                let r = uniform_index(self.rng, candidates);
                sorted.get(r).map(|e| e.0)
            });
            self.sort_buf = sorted;
            // Callers never leave the map empty (oxend would throw here; see `dissolve`).
            let Some(to) = to else { return };
            self.push_member(to, node.clone());
            self.events.push(match from {
                None => SwarmEvent::NodeJoined { node, swarm: to },
                Some(from) => SwarmEvent::NodeMoved { node, from, to },
            });
            self.create_from_excess();
        }
    }

    /// Step 2. The size list is computed once and goes stale while stealing, as in oxend.
    fn robin_hood(&mut self) {
        let sorted = self.sorted_sizes();
        let pidx = percentile_index(STEALING_SWARM_UPPER_PERCENTILE, sorted.len());
        let Some(&(_, p_size)) = sorted.get(pidx) else {
            return;
        };
        // Only swarms strictly above (75th-percentile size − 1), and above 5, donate. The
        // subtraction is unsigned in oxend: size 0 wraps and then nobody donates.
        let threshold = MIN_SWARM_SIZE.max(p_size.wrapping_sub(1));
        for &(poor, recorded) in &sorted {
            if recorded >= MIN_SWARM_SIZE {
                break;
            }
            loop {
                let (swarms, excess) = self.pool_swarms(threshold);
                let have = self.map.get(&poor).map_or(0, Vec::len);
                let deficit = MIN_SWARM_SIZE.saturating_sub(have);
                if excess < deficit {
                    // Cannot be saved; the remaining starving swarms are no smaller.
                    return;
                }
                let Some((node, from)) = self.take_from_pool(&swarms) else {
                    return;
                };
                let now = self.push_member(poor, node.clone());
                self.events.push(SwarmEvent::NodeMoved {
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

    /// `create_new_swarm_from_excess`.
    pub(crate) fn create_from_excess(&mut self) {
        if self.starving > 0 {
            return;
        }
        while self.excess >= calc_threshold(self.sizes.len()) {
            let mut picked: Vec<(K, SwarmId)> = Vec::with_capacity(NEW_SWARM_SIZE);
            while picked.len() < NEW_SWARM_SIZE {
                let (swarms, _) = self.pool_swarms(EXCESS_BASE);
                match self.take_from_pool(&swarms) {
                    Some(p) => picked.push(p),
                    None => {
                        // oxend logs an error and returns, silently dropping the nodes picked
                        // so far. Unreachable with distinct nodes (excess ≥ 7 + 2·swarms means
                        // 7 picks are available); with duplicate entries we put the picked
                        // nodes back where they came from instead of losing them.
                        self.put_back(picked);
                        return;
                    }
                }
            }
            let id = new_swarm_id(self.sizes.iter().map(|e| e.0));
            if self.map.contains_key(&id) {
                // oxend logs "this is a bug" and drops the nodes; the largest-gap rule cannot
                // collide before 2^63 swarms exist. Keep the nodes instead.
                self.put_back(picked);
                return;
            }
            self.events.push(SwarmEvent::SwarmCreated { swarm: id });
            let mut members = Vec::with_capacity(NEW_SWARM_SIZE);
            for (node, from) in picked {
                members.push(node.clone());
                self.events
                    .push(SwarmEvent::NodeMoved { node, from, to: id });
            }
            self.insert_swarm(id, members);
        }
    }

    fn put_back(&mut self, picked: Vec<(K, SwarmId)>) {
        for (node, from) in picked {
            self.push_member(from, node);
        }
    }

    /// Step 4: dissolve the lowest-id starving swarm until none is left, moving its members
    /// to the smallest swarms.
    fn dissolve(&mut self) {
        if self.sizes.len() <= 1 {
            return;
        }
        while self.starving > 0 {
            let Some(&(id, _)) = self.sizes.iter().find(|e| e.1 < MIN_SWARM_SIZE) else {
                return;
            };
            let Some(members) = self.remove_swarm(id) else {
                return;
            };
            if self.map.is_empty() && !members.is_empty() {
                // oxend throws std::out_of_range here (assigning to an empty map). Our
                // decision: the last swarm is never dissolved while it has members; it stays,
                // starving, until the network grows.
                self.insert_swarm(id, members);
                return;
            }
            self.events.push(SwarmEvent::SwarmDissolved { swarm: id });
            self.assign(
                members,
                Some(id),
                DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE,
            );
        }
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
