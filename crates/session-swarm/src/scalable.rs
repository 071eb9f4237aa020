//! [`crate::Policy::Scalable`]: oxend's rules on indexed data structures.
//!
//! The rules are [`crate::rules`], as for oxend, with one change: ties between equal-sized
//! swarms are broken by ascending swarm id (instead of libstdc++'s introsort permutation), and excess
//! pools list swarms in (size, id) order. With that, every question the rules ask is answered
//! by a [`SizeIndex`] in O(log s) (plus a walk over the few distinct swarm sizes):
//!
//! * "the k-th swarm in size order" — per-size order-statistic sets of ids;
//! * "how many swarms are no bigger than v", "the excess above t", "the member at pool
//!   position r" — per-size counts;
//! * "does any swarm starve", "the lowest-id starving swarm" — a set of starving ids;
//! * "the largest gap between ids" — a set of gaps.
//!
//! The result is exactly what the plain oxend layout produces with the same tie order (tested
//! against `testing::scalable_reference`), at a cost that no longer grows with the network for
//! every placement.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use core::cmp::Reverse;
use core::ops::Bound;

use session_core::SwarmId;

use crate::event::SwarmEvent;
use crate::id::{MAX_SWARM_ID, place_in_gap};
use crate::ostree::OsSet;
use crate::rules::{self, Layout, percentile_index};
use crate::{EXCESS_BASE, MIN_SWARM_SIZE, STEALING_SWARM_UPPER_PERCENTILE};
use session_core::compat::{Mt19937_64, uniform_index};

/// The ring distance from `left` to `right` as `get_new_swarm_id` measures it.
fn gap(left: u64, right: u64) -> u64 {
    if right > left {
        right - left
    } else {
        // Wrap-around (or a lone swarm, left == right): 0 and MAX_ID are adjacent.
        MAX_SWARM_ID
            .wrapping_sub(left)
            .wrapping_add(right)
            .wrapping_add(1)
    }
}

/// Indexes over swarm sizes and ids.
#[derive(Debug, Clone, Default)]
pub(crate) struct SizeIndex {
    buckets: BTreeMap<usize, OsSet>,
    starving: BTreeSet<u64>,
    excess: usize,
    swarms: usize,
    /// (gap, Reverse(left id)): the last element is the first strictly-largest gap.
    gaps: BTreeSet<(u64, Reverse<u64>)>,
}

impl SizeIndex {
    pub(crate) fn build<K>(map: &BTreeMap<SwarmId, Vec<K>>) -> Self {
        let mut ix = SizeIndex::default();
        for (&id, members) in map {
            ix.add_size(id.0, members.len());
        }
        let ids: Vec<u64> = map.keys().map(|id| id.0).collect();
        for (i, &left) in ids.iter().enumerate() {
            let right = ids
                .get(i + 1)
                .or_else(|| ids.first())
                .copied()
                .unwrap_or(left);
            ix.gaps.insert((gap(left, right), Reverse(left)));
        }
        ix
    }

    fn add_size(&mut self, id: u64, size: usize) {
        self.buckets.entry(size).or_default().insert(id);
        if size < MIN_SWARM_SIZE {
            self.starving.insert(id);
        }
        self.excess += size.saturating_sub(EXCESS_BASE);
        self.swarms += 1;
    }

    fn remove_size(&mut self, id: u64, size: usize) {
        if let Some(bucket) = self.buckets.get_mut(&size) {
            bucket.remove(id);
            if bucket.len() == 0 {
                self.buckets.remove(&size);
            }
        }
        self.starving.remove(&id);
        self.excess = self.excess.saturating_sub(size.saturating_sub(EXCESS_BASE));
        self.swarms = self.swarms.saturating_sub(1);
    }

    pub(crate) fn resize(&mut self, id: SwarmId, old: usize, new: usize) {
        if old != new {
            self.remove_size(id.0, old);
            self.add_size(id.0, new);
        }
    }

    /// The ring neighbours (predecessor, successor, wrapping) of `id` among `map`'s keys other
    /// than `id` itself; `None` if there are no other keys.
    fn neighbours<K>(map: &BTreeMap<SwarmId, Vec<K>>, id: u64) -> Option<(u64, u64)> {
        let below = (Bound::Unbounded, Bound::Excluded(SwarmId(id)));
        let above = (Bound::Excluded(SwarmId(id)), Bound::Unbounded);
        let prev = map
            .range(below)
            .next_back()
            .or_else(|| map.range(above).next_back())?;
        let next = map
            .range(above)
            .next()
            .or_else(|| map.range(below).next())?;
        Some((prev.0.0, next.0.0))
    }

    /// Registers a new swarm; call before inserting it into `map`.
    pub(crate) fn add_swarm<K>(
        &mut self,
        map: &BTreeMap<SwarmId, Vec<K>>,
        id: SwarmId,
        size: usize,
    ) {
        match Self::neighbours(map, id.0) {
            Some((p, n)) => {
                self.gaps.remove(&(gap(p, n), Reverse(p)));
                self.gaps.insert((gap(p, id.0), Reverse(p)));
                self.gaps.insert((gap(id.0, n), Reverse(id.0)));
            }
            None => {
                self.gaps.clear();
                self.gaps.insert((gap(id.0, id.0), Reverse(id.0)));
            }
        }
        self.add_size(id.0, size);
    }

    /// Forgets a swarm; call after removing it from `map`.
    pub(crate) fn remove_swarm<K>(
        &mut self,
        map: &BTreeMap<SwarmId, Vec<K>>,
        id: SwarmId,
        size: usize,
    ) {
        match Self::neighbours(map, id.0) {
            Some((p, n)) => {
                self.gaps.remove(&(gap(p, id.0), Reverse(p)));
                self.gaps.remove(&(gap(id.0, n), Reverse(id.0)));
                self.gaps.insert((gap(p, n), Reverse(p)));
            }
            None => self.gaps.clear(),
        }
        self.remove_size(id.0, size);
    }

    /// `get_new_swarm_id` from the gap set.
    pub(crate) fn new_id(&self) -> SwarmId {
        match self.gaps.last() {
            None => SwarmId(0),
            Some(&(g, Reverse(left))) => SwarmId(place_in_gap(left, g)),
        }
    }

    pub(crate) fn swarms(&self) -> usize {
        self.swarms
    }

    pub(crate) fn any_starving(&self) -> bool {
        !self.starving.is_empty()
    }

    pub(crate) fn lowest_starving(&self) -> Option<SwarmId> {
        self.starving.first().copied().map(SwarmId)
    }

    pub(crate) fn excess(&self) -> usize {
        self.excess
    }

    /// Swarm count per size, ascending.
    pub(crate) fn histogram(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.buckets.iter().map(|(&size, ids)| (size, ids.len()))
    }

    /// The `k`-th swarm in (size, id) order.
    pub(crate) fn kth(&self, mut k: usize) -> Option<(SwarmId, usize)> {
        for (&size, ids) in &self.buckets {
            if k < ids.len() {
                return ids.kth(k).map(|id| (SwarmId(id), size));
            }
            k -= ids.len();
        }
        None
    }

    /// Number of swarms with at most `size` members.
    pub(crate) fn count_le(&self, size: usize) -> usize {
        self.buckets.range(..=size).map(|(_, ids)| ids.len()).sum()
    }

    /// Members of all swarms bigger than `threshold` (the pool's length).
    pub(crate) fn pool_len(&self, threshold: usize) -> usize {
        self.above(threshold)
            .map(|(size, n)| size.saturating_mul(n))
            .sum()
    }

    /// Σ (size − 5) over swarms bigger than `threshold`.
    pub(crate) fn pool_excess(&self, threshold: usize) -> usize {
        self.above(threshold)
            .map(|(size, n)| size.saturating_sub(MIN_SWARM_SIZE).saturating_mul(n))
            .sum()
    }

    fn above(&self, threshold: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let start = threshold.saturating_add(1);
        let empty = threshold == usize::MAX;
        self.buckets
            .range(start..)
            .filter(move |_| !empty)
            .map(|(&size, ids)| (size, ids.len()))
    }

    /// The pool entry at position `r`: (swarm, member index), pool order (size, id, member).
    pub(crate) fn pool_entry(&self, threshold: usize, mut r: usize) -> Option<(SwarmId, usize)> {
        if threshold == usize::MAX {
            return None;
        }
        for (&size, ids) in self.buckets.range(threshold.saturating_add(1)..) {
            let span = size.saturating_mul(ids.len());
            if r < span && size > 0 {
                return ids.kth(r / size).map(|id| (SwarmId(id), r % size));
            }
            r -= span;
        }
        None
    }
}

/// One rebalancing run over `map` with its (consistent) index: the [`Layout`] the rules see.
pub(crate) struct Engine<'a, K> {
    map: &'a mut BTreeMap<SwarmId, Vec<K>>,
    ix: &'a mut SizeIndex,
    rng: Mt19937_64,
    pub(crate) events: Vec<SwarmEvent<K>>,
}

impl<'a, K: Ord + Clone> Engine<'a, K> {
    pub(crate) fn new(
        map: &'a mut BTreeMap<SwarmId, Vec<K>>,
        ix: &'a mut SizeIndex,
        seed: u64,
    ) -> Self {
        Engine {
            map,
            ix,
            rng: Mt19937_64::new(seed),
            events: Vec::new(),
        }
    }

    /// Steps 0–4 with `unassigned` (ascending) as the new nodes. The caller handles oxend's
    /// "empty input map: do nothing".
    pub(crate) fn run(&mut self, unassigned: Vec<K>) {
        rules::run(self, unassigned);
    }
}

impl<K: Ord + Clone> Layout<K> for Engine<'_, K> {
    fn rng(&mut self) -> &mut Mt19937_64 {
        &mut self.rng
    }

    fn log(&mut self, event: SwarmEvent<K>) {
        self.events.push(event);
    }

    fn swarm_count(&self) -> usize {
        self.ix.swarms()
    }

    fn excess(&self) -> usize {
        self.ix.excess()
    }

    fn any_starving(&self) -> bool {
        self.ix.any_starving()
    }

    fn lowest_starving(&self) -> Option<SwarmId> {
        self.ix.lowest_starving()
    }

    fn len_of(&self, swarm: SwarmId) -> usize {
        self.map.get(&swarm).map_or(0, Vec::len)
    }

    fn placement_candidates(&mut self, percentile: usize) -> usize {
        let pidx = percentile_index(percentile, self.ix.swarms());
        self.ix
            .kth(pidx)
            .map_or(0, |(_, pval)| self.ix.count_le(pval))
    }

    fn candidate(&mut self, r: usize) -> Option<SwarmId> {
        self.ix.kth(r).map(|e| e.0)
    }

    fn steal_plan(&mut self) -> Option<(usize, Vec<SwarmId>)> {
        let pidx = percentile_index(STEALING_SWARM_UPPER_PERCENTILE, self.ix.swarms());
        let (_, p_size) = self.ix.kth(pidx)?;
        let threshold = MIN_SWARM_SIZE.max(p_size.wrapping_sub(1));
        // The starving swarms in (size, id) order, as recorded before any stealing.
        let starving = (0..self.ix.count_le(MIN_SWARM_SIZE - 1))
            .filter_map(|k| self.ix.kth(k))
            .map(|e| e.0)
            .collect();
        Some((threshold, starving))
    }

    fn pool_excess(&self, threshold: usize) -> usize {
        self.ix.pool_excess(threshold)
    }

    fn take_from_pool(&mut self, threshold: usize) -> Option<(K, SwarmId)> {
        let total = self.ix.pool_len(threshold);
        if total == 0 {
            return None;
        }
        let r = uniform_index(&mut self.rng, total);
        let (id, idx) = self.ix.pool_entry(threshold, r)?;
        let members = self.map.get_mut(&id)?;
        let node = members.get(idx)?.clone();
        let before = members.len();
        members.retain(|m| *m != node);
        let after = members.len();
        self.ix.resize(id, before, after);
        Some((node, id))
    }

    fn push_member(&mut self, swarm: SwarmId, node: K) -> usize {
        let Some(members) = self.map.get_mut(&swarm) else {
            return 0;
        };
        members.push(node);
        let now = members.len();
        self.ix.resize(swarm, now - 1, now);
        now
    }

    fn new_id(&self) -> SwarmId {
        self.ix.new_id()
    }

    fn contains(&self, swarm: SwarmId) -> bool {
        self.map.contains_key(&swarm)
    }

    fn insert_new_swarm(&mut self, swarm: SwarmId, members: Vec<K>) {
        self.ix.add_swarm(self.map, swarm, members.len());
        self.map.insert(swarm, members);
    }

    fn remove_swarm(&mut self, swarm: SwarmId) -> Option<Vec<K>> {
        let members = self.map.remove(&swarm)?;
        self.ix.remove_swarm(self.map, swarm, members.len());
        Some(members)
    }
}

/// `Policy::Scalable` on a plain map: index it (O(s log s)), then run.
pub(crate) fn calc<K: Ord + Clone>(
    map: &mut BTreeMap<SwarmId, Vec<K>>,
    seed: u64,
) -> Vec<SwarmEvent<K>> {
    if map.is_empty() {
        return Vec::new();
    }
    let unassigned = map.remove(&SwarmId::UNASSIGNED).unwrap_or_default();
    let mut ix = SizeIndex::build(map);
    let mut engine = Engine::new(map, &mut ix, seed);
    engine.run(unassigned);
    engine.events
}
