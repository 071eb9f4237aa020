//! What a storage server must do when the swarms change: events and a push plan.
//!
//! Pure data in, pure data out: give the maps before and after a block and "my node"; get the
//! events of the current session-storage-server (new swarm, new members, swarm dissolved) and the
//! list of (recipient, swarm-space intervals) to push.
//!
//! The push rule is stronger than the storage server's event handling, which can lose records
//! when every old member of a swarm moves away in one block (nobody then sees "new members").
//! Here, for every old swarm O and every new swarm T whose ranges overlap, every member of O
//! pushes the overlap to every member of T that was not in O. If each node held the records of
//! its old swarm's range before the block, then after following the plan every member of every
//! new swarm holds every record of its new range: nothing is lost, whatever moved, split or
//! dissolved. Nodes that left the network (deregistered, decommissioned) get a plan too: they
//! hand their records over before going. Every old member pushes (not just one), as the storage
//! servers do: a receiver stores each record once, and one member being offline loses nothing.
//!
//! Cost. A node's pushes depend only on its old swarm and the new swarms that now own parts of
//! its range: [`swarm_pushes`] and [`migration_pushes`] take O(log s) plus the sizes of those
//! swarms, whatever the network's size. The events' list of new swarms is the one part that
//! reads every swarm id; a runtime hosting many nodes computes it once per block
//! ([`added_swarms`]) and hands it to each node's [`migration_plan_with`].

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use session_core::SwarmId;

use crate::map::SwarmMap;
use crate::space::SpaceInterval;

/// Swarm events as a storage server derives them (`derive_swarm_events`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SwarmChanges<K> {
    /// My swarm before (`None`: I had none — new, recommissioned or unknown).
    pub old_swarm: Option<SwarmId>,
    /// My swarm now (`None`: I am not active; the storage server then does nothing).
    pub new_swarm: Option<SwarmId>,
    /// Members of my swarm I did not share it with before (all other members if I just got
    /// a swarm; empty if I changed swarm).
    pub new_members: Vec<K>,
    /// Swarms that did not exist before (only reported while my swarm is unchanged).
    pub new_swarms: Vec<SwarmId>,
    /// My swarm changed and my old swarm no longer exists.
    pub dissolved: bool,
}

/// Records to send to one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push<K> {
    /// The receiving node.
    pub to: K,
    /// Its (new) swarm, which owns the records pushed.
    pub swarm: SwarmId,
    /// The swarm-space intervals whose records it must receive.
    pub intervals: Vec<SpaceInterval>,
}

/// Everything one node must do after a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationPlan<K> {
    /// The storage-server events.
    pub changes: SwarmChanges<K>,
    /// The records to push, per recipient (each recipient once).
    pub pushes: Vec<Push<K>>,
}

/// The storage-server events for `me`.
pub fn swarm_changes<K: Ord + Clone>(
    old: &SwarmMap<K>,
    new: &SwarmMap<K>,
    me: &K,
) -> SwarmChanges<K> {
    changes_with(old, new, me, || {
        new.swarm_ids()
            .iter()
            .filter(|id| old.members(**id).is_none())
            .copied()
            .collect()
    })
}

/// The events for `me`, the list of new swarms (asked for only when `me` kept its swarm) from
/// `new_swarms`: everything else reads `me`'s old and new swarms alone.
fn changes_with<K: Ord + Clone>(
    old: &SwarmMap<K>,
    new: &SwarmMap<K>,
    me: &K,
    new_swarms: impl FnOnce() -> Vec<SwarmId>,
) -> SwarmChanges<K> {
    let old_swarm = old.swarm_of_node(me);
    let new_swarm = new.swarm_of_node(me);
    let mut changes = SwarmChanges {
        old_swarm,
        new_swarm,
        new_members: Vec::new(),
        new_swarms: Vec::new(),
        dissolved: false,
    };
    let Some(now) = new_swarm else { return changes };
    let others = || new.members(now).unwrap_or(&[]).iter().filter(|m| *m != me);
    match old_swarm {
        None => changes.new_members = others().cloned().collect(),
        Some(before) if before != now => changes.dissolved = !new.swarms().contains_key(&before),
        Some(before) => {
            let previous: BTreeSet<&K> = old.members(before).unwrap_or(&[]).iter().collect();
            changes.new_members = others()
                .filter(|m| !previous.contains(m))
                .cloned()
                .collect();
            changes.new_swarms = new_swarms();
        }
    }
    changes
}

/// The pushes every member of old swarm `old_swarm` must make (the same for all of them).
pub fn swarm_pushes<K: Ord + Clone>(
    old: &SwarmMap<K>,
    new: &SwarmMap<K>,
    old_swarm: SwarmId,
) -> Vec<Push<K>> {
    let mut pushes = Vec::new();
    let Some(old_members) = old.members(old_swarm) else {
        return pushes;
    };
    let old_members: BTreeSet<&K> = old_members.iter().collect();
    let ids = new.swarm_ids();
    for held in old.intervals(old_swarm) {
        // New swarms overlapping `held` are consecutive on the ring, starting at the owner of
        // its first position.
        let Some(start) = new.owner_of_space(held.first) else {
            break;
        };
        let Ok(mut idx) = ids.binary_search(&start) else {
            break;
        };
        for _ in 0..ids.len() {
            let Some(&target) = ids.get(idx) else { break };
            let overlap: Vec<SpaceInterval> = new
                .intervals(target)
                .iter()
                .filter_map(|iv| iv.intersect(&held))
                .collect();
            if overlap.is_empty() {
                break;
            }
            for m in new.members(target).unwrap_or(&[]) {
                if old_members.contains(m) {
                    continue;
                }
                match pushes.iter_mut().find(|p: &&mut Push<K>| p.to == *m) {
                    Some(p) => p.intervals.extend(overlap.iter().copied()),
                    None => pushes.push(Push {
                        to: m.clone(),
                        swarm: target,
                        intervals: overlap.clone(),
                    }),
                }
            }
            idx = (idx + 1) % ids.len();
        }
    }
    for p in &mut pushes {
        p.intervals.sort();
        p.intervals.dedup();
    }
    pushes
}

/// The migration plan of `me` between two maps: the storage-server events and the records
/// `me` must push. `old` may contain nodes under [`SwarmId::UNASSIGNED`] (they hold nothing).
///
/// ```
/// use std::collections::BTreeMap;
/// use session_core::SwarmId;
/// use session_swarm::{SwarmMap, migration_plan};
///
/// let old = SwarmMap::new(BTreeMap::from([(SwarmId(0), vec![1, 2, 3, 4, 5, 6])]));
/// let new = SwarmMap::new(BTreeMap::from([(SwarmId(0), vec![1, 2, 3, 4, 5, 6, 7])]));
/// let plan = migration_plan(&old, &new, &1);
/// assert_eq!(plan.changes.new_members, vec![7]);
/// assert_eq!(plan.pushes.len(), 1);
/// assert_eq!(plan.pushes[0].to, 7);
/// ```
pub fn migration_plan<K: Ord + Clone>(
    old: &SwarmMap<K>,
    new: &SwarmMap<K>,
    me: &K,
) -> MigrationPlan<K> {
    let changes = swarm_changes(old, new, me);
    let pushes = match old.swarm_of_node(me) {
        Some(o) => swarm_pushes(old, new, o),
        None => Vec::new(),
    };
    MigrationPlan { changes, pushes }
}

/// The swarms of `new` that `old` lacks, ascending: the `new_swarms` of every node's
/// [`SwarmChanges`] in this block (for a node whose swarm is unchanged), computed once in
/// O(s) by merging the two sorted id lists.
///
/// ```
/// use std::collections::BTreeMap;
/// use session_core::SwarmId;
/// use session_swarm::{SwarmMap, added_swarms};
///
/// let old = SwarmMap::new(BTreeMap::from([(SwarmId(10), vec![1]), (SwarmId(20), vec![2])]));
/// let new = SwarmMap::new(BTreeMap::from([(SwarmId(5), vec![3]), (SwarmId(20), vec![2])]));
/// assert_eq!(added_swarms(&old, &new), vec![SwarmId(5)]);
/// ```
#[must_use]
pub fn added_swarms<K: Ord + Clone>(old: &SwarmMap<K>, new: &SwarmMap<K>) -> Vec<SwarmId> {
    let mut before = old.swarm_ids().iter().peekable();
    let mut added = Vec::new();
    for &id in new.swarm_ids() {
        while before.next_if(|b| **b < id).is_some() {}
        if before.next_if_eq(&&id).is_none() {
            added.push(id);
        }
    }
    added
}

/// [`migration_plan`] with the block's new swarms computed once for every node
/// ([`added_swarms`]`(old, new)`, which `added` must be): the same plan, in O(log n) plus the
/// sizes of `me`'s old and new swarms and of the swarms its records move to, plus the length
/// of `added` when `me` stays in its swarm. Nothing else in the maps is read, so the cost of a
/// node's block does not grow with the network (for maps with the node index,
/// [`SwarmMap::new`] / [`SwarmMap::from_nodes`]; without it, finding `me` scans the swarms).
///
/// ```
/// use std::collections::BTreeMap;
/// use session_core::SwarmId;
/// use session_swarm::{SwarmMap, added_swarms, migration_plan, migration_plan_with};
///
/// let old = SwarmMap::new(BTreeMap::from([(SwarmId(0), vec![1, 2, 3, 4, 5, 6])]));
/// let new = SwarmMap::new(BTreeMap::from([
///     (SwarmId(0), vec![1, 2, 3, 4, 5]),
///     (SwarmId(1 << 63), vec![6, 7, 8, 9, 10]),
/// ]));
/// let added = added_swarms(&old, &new); // once per block
/// for me in 1..=10 {
///     assert_eq!(migration_plan_with(&old, &new, &me, &added), migration_plan(&old, &new, &me));
/// }
/// ```
pub fn migration_plan_with<K: Ord + Clone>(
    old: &SwarmMap<K>,
    new: &SwarmMap<K>,
    me: &K,
    added: &[SwarmId],
) -> MigrationPlan<K> {
    MigrationPlan {
        changes: changes_with(old, new, me, || added.to_vec()),
        pushes: migration_pushes(old, new, me),
    }
}

/// The pushes of [`migration_plan`]`(old, new, me)` alone, without the storage-server events:
/// what a node needs to replicate, in O(log n) plus the sizes of its old swarm and of the new
/// swarms its records move to (on maps with the node index, as [`migration_plan_with`]).
#[must_use]
pub fn migration_pushes<K: Ord + Clone>(
    old: &SwarmMap<K>,
    new: &SwarmMap<K>,
    me: &K,
) -> Vec<Push<K>> {
    match old.swarm_of_node(me) {
        Some(o) => swarm_pushes(old, new, o),
        None => Vec::new(),
    }
}
