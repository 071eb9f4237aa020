//! The map as oxend sees it: [`crate::rules`] answered the way `service_node_swarm.cpp` does.
//!
//! Quadratic-ish like the original (the size list is re-sorted with libstdc++'s `std::sort` for
//! every assigned node, pools are rebuilt for every pick), which is fine for the live
//! network's few hundred swarms and is what makes the tie order bit-exact.
//! [`crate::Policy::Scalable`] answers the same questions from indexes.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use session_core::SwarmId;

use crate::compat::TieOrder;
use crate::event::SwarmEvent;
use crate::id::new_swarm_id;
use crate::rules::{self, Layout, percentile_index};
use crate::stdsort::{select, std_sort};
use crate::{EXCESS_BASE, MIN_SWARM_SIZE, STEALING_SWARM_UPPER_PERCENTILE};
use session_core::compat::{Mt19937_64, uniform_index};

/// Runs the rebalancing rules on `map` with `seed`, returning the events.
pub(crate) fn calc<K: Ord + Clone>(
    map: &mut BTreeMap<SwarmId, Vec<K>>,
    seed: u64,
    order: TieOrder,
) -> Vec<SwarmEvent<K>> {
    if map.is_empty() {
        return Vec::new();
    }
    let mut rng = Mt19937_64::new(seed);
    let mut run = Run::new(map, &mut rng, order);
    let unassigned = run.remove_swarm(SwarmId::UNASSIGNED).unwrap_or_default();
    rules::run(&mut run, unassigned);
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
    /// Swarm count per size: the size order's values without its permutation.
    hist: SizeCounts,
    /// The size order of the last placement (`calc_swarm_sizes`), its buffer reused.
    sorted: Vec<(SwarmId, usize)>,
    /// Scratch for [`select`]: `size << 32 | position in sizes`.
    packed: Vec<u64>,
}

/// Swarm count per size: a flat array for the sizes swarms have in practice, a map beyond.
#[derive(Default)]
struct SizeCounts {
    small: [usize; SizeCounts::SMALL],
    large: BTreeMap<usize, usize>,
}

impl SizeCounts {
    const SMALL: usize = 32;

    fn add(&mut self, size: usize) {
        match self.small.get_mut(size) {
            Some(n) => *n += 1,
            None => *self.large.entry(size).or_insert(0) += 1,
        }
    }

    fn remove(&mut self, size: usize) {
        match self.small.get_mut(size) {
            Some(n) => *n = n.saturating_sub(1),
            None => {
                if let Some(n) = self.large.get_mut(&size) {
                    *n -= 1;
                    if *n == 0 {
                        self.large.remove(&size);
                    }
                }
            }
        }
    }

    /// With the swarms in size order, how many are no bigger than the one at `position`
    /// (0 if there is no such swarm).
    fn count_upto_class_of(&self, position: usize) -> usize {
        let mut upto = 0usize;
        for &count in self.small.iter().chain(self.large.values()) {
            upto += count;
            if position < upto {
                return upto;
            }
        }
        0
    }
}

/// `calc_excess`: members above [`EXCESS_BASE`], summed over swarms.
pub(crate) fn calc_excess<K>(map: &BTreeMap<SwarmId, Vec<K>>) -> usize {
    map.values()
        .map(|v| v.len().saturating_sub(EXCESS_BASE))
        .sum()
}

impl<'a, K: Ord + Clone> Run<'a, K> {
    pub(crate) fn new(
        map: &'a mut BTreeMap<SwarmId, Vec<K>>,
        rng: &'a mut Mt19937_64,
        order: TieOrder,
    ) -> Self {
        let sizes: Vec<(SwarmId, usize)> = map.iter().map(|(&id, v)| (id, v.len())).collect();
        let mut run = Run {
            map,
            rng,
            order,
            events: Vec::new(),
            sizes: Vec::new(),
            excess: 0,
            starving: 0,
            hist: SizeCounts::default(),
            sorted: Vec::new(),
            packed: Vec::new(),
        };
        for &(_, len) in &sizes {
            run.count(len, true);
        }
        run.sizes = sizes;
        run
    }

    // ---- the mirror: every change of a member count goes through these ----

    fn count(&mut self, size: usize, add: bool) {
        let e = size.saturating_sub(EXCESS_BASE);
        let s = usize::from(size < MIN_SWARM_SIZE);
        if add {
            self.excess += e;
            self.starving += s;
            self.hist.add(size);
        } else {
            self.excess = self.excess.saturating_sub(e);
            self.starving = self.starving.saturating_sub(s);
            self.hist.remove(size);
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

    // ---- oxend's helpers ----

    /// `calc_swarm_sizes` into `self.sorted`: (id, size) in id order, then sorted by size
    /// with the tie order.
    fn sort_sizes(&mut self) {
        self.sorted.clear();
        self.sorted.extend_from_slice(&self.sizes);
        match self.order {
            TieOrder::Oxend => std_sort(&mut self.sorted, |a, b| a.1 < b.1),
            // Stable: ties stay in ascending id order.
            TieOrder::Stable => self.sorted.sort_by_key(|e| e.1),
            #[cfg(feature = "testing")]
            TieOrder::StableSortOnly => self.sorted.sort_by_key(|e| e.1),
        }
    }

    /// The swarms whose members form the excess pool above `threshold`, in pool order.
    fn pool_swarms(&self, threshold: usize) -> Vec<(SwarmId, usize)> {
        let mut swarms: Vec<(SwarmId, usize)> = self
            .sizes
            .iter()
            .filter(|e| e.1 > threshold)
            .copied()
            .collect();
        if self.order == TieOrder::Stable {
            swarms.sort_by_key(|e| e.1);
        }
        swarms
    }
}

impl<K: Ord + Clone> Layout<K> for Run<'_, K> {
    fn rng(&mut self) -> &mut Mt19937_64 {
        self.rng
    }

    fn log(&mut self, event: SwarmEvent<K>) {
        self.events.push(event);
    }

    fn swarm_count(&self) -> usize {
        self.sizes.len()
    }

    fn excess(&self) -> usize {
        self.excess
    }

    fn any_starving(&self) -> bool {
        self.starving > 0
    }

    fn lowest_starving(&self) -> Option<SwarmId> {
        if self.starving == 0 {
            return None;
        }
        self.sizes
            .iter()
            .find(|e| e.1 < MIN_SWARM_SIZE)
            .map(|e| e.0)
    }

    fn len_of(&self, swarm: SwarmId) -> usize {
        self.map.get(&swarm).map_or(0, Vec::len)
    }

    fn placement_candidates(&mut self, percentile: usize) -> usize {
        if self.order == TieOrder::Oxend {
            // How many swarms are no bigger than the one at `percentile` depends on the sizes
            // only, not on the order among equals: no need to sort for it. Only the swarm at
            // the drawn position does, and `candidate` finds that one.
            let pidx = percentile_index(percentile, self.sizes.len());
            return self.hist.count_upto_class_of(pidx);
        }
        self.sort_sizes();
        let pidx = percentile_index(percentile, self.sorted.len());
        let Some(&(_, pval)) = self.sorted.get(pidx) else {
            return 0;
        };
        // Every swarm up to the last one of the percentile swarm's size.
        self.sorted
            .iter()
            .skip(pidx)
            .position(|e| e.1 > pval)
            .map_or(self.sorted.len(), |n| pidx + n)
    }

    fn candidate(&mut self, r: usize) -> Option<SwarmId> {
        if self.order != TieOrder::Oxend {
            return self.sorted.get(r).map(|e| e.0);
        }
        // `calc_swarm_sizes`'s element at position r. Sorting 8-byte (size, position) words
        // moves half the bytes of (id, size) pairs; sizes or counts beyond 32 bits (impossible
        // in memory but not in the type) take the pairs.
        self.packed.clear();
        for (i, &(_, size)) in self.sizes.iter().enumerate() {
            match (u32::try_from(size), u32::try_from(i)) {
                (Ok(size), Ok(i)) => self.packed.push(u64::from(size) << 32 | u64::from(i)),
                _ => {
                    self.sorted.clear();
                    self.sorted.extend_from_slice(&self.sizes);
                    return select(&mut self.sorted, r, |a, b| a.1 < b.1).map(|e| e.0);
                }
            }
        }
        let word = select(&mut self.packed, r, |a, b| a >> 32 < b >> 32)?;
        let position = usize::try_from(word & u64::from(u32::MAX)).ok()?;
        self.sizes.get(position).map(|e| e.0)
    }

    fn steal_plan(&mut self) -> Option<(usize, Vec<SwarmId>)> {
        self.sort_sizes();
        let pidx = percentile_index(STEALING_SWARM_UPPER_PERCENTILE, self.sorted.len());
        let &(_, p_size) = self.sorted.get(pidx)?;
        // Only swarms strictly above (75th-percentile size − 1), and above 5, donate. The
        // subtraction is unsigned in oxend: size 0 wraps and then nobody donates.
        let threshold = MIN_SWARM_SIZE.max(p_size.wrapping_sub(1));
        let starving = self
            .sorted
            .iter()
            .take_while(|e| e.1 < MIN_SWARM_SIZE)
            .map(|e| e.0)
            .collect();
        Some((threshold, starving))
    }

    fn pool_excess(&self, threshold: usize) -> usize {
        self.sizes
            .iter()
            .filter(|e| e.1 > threshold)
            .map(|e| e.1.saturating_sub(MIN_SWARM_SIZE))
            .sum()
    }

    /// Draws one pool member uniformly (the pool lists every member of every eligible swarm)
    /// and removes it (every copy of it, as `std::remove` does) from its swarm.
    fn take_from_pool(&mut self, threshold: usize) -> Option<(K, SwarmId)> {
        let swarms = self.pool_swarms(threshold);
        let total: usize = swarms.iter().map(|e| e.1).sum();
        if total == 0 {
            return None;
        }
        let mut r = uniform_index(self.rng, total);
        for (id, size) in swarms {
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

    fn push_member(&mut self, swarm: SwarmId, node: K) -> usize {
        let Some(members) = self.map.get_mut(&swarm) else {
            return 0;
        };
        members.push(node);
        let len = members.len();
        self.set_size(swarm, len);
        len
    }

    fn new_id(&self) -> SwarmId {
        new_swarm_id(self.sizes.iter().map(|e| e.0))
    }

    fn contains(&self, swarm: SwarmId) -> bool {
        self.map.contains_key(&swarm)
    }

    fn insert_new_swarm(&mut self, swarm: SwarmId, members: Vec<K>) {
        let len = members.len();
        self.map.insert(swarm, members);
        if let Err(i) = self.sizes.binary_search_by_key(&swarm, |e| e.0) {
            self.sizes.insert(i, (swarm, len));
        }
        self.count(len, true);
    }

    fn remove_swarm(&mut self, swarm: SwarmId) -> Option<Vec<K>> {
        let members = self.map.remove(&swarm)?;
        if let Ok(i) = self.sizes.binary_search_by_key(&swarm, |e| e.0) {
            self.sizes.remove(i);
        }
        self.count(members.len(), false);
        Some(members)
    }
}
