//! Migration plans: following them, every record ends on every member of its owning swarm.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use session_swarm::{
    Policy, SwarmChanges, SwarmId, SwarmMap, added_swarms, migration_plan, migration_plan_with,
    migration_pushes, swarm_changes,
};

type Map = BTreeMap<SwarmId, Vec<u32>>;

/// Records at `spaces`; before the block every member of a record's owner holds it. Every
/// node of the old map follows its plan. Afterwards every member of every new owner must
/// hold the record.
fn check_plans(old: &Map, new: &Map, spaces: &[u64]) {
    let old_map = SwarmMap::new(old.clone());
    let new_map = SwarmMap::new(new.clone());
    if old_map.is_empty() || new_map.is_empty() {
        return; // no swarm before: no records; none after: nowhere to keep them
    }
    let mut held: BTreeMap<u32, BTreeSet<usize>> = BTreeMap::new();
    for (r, &space) in spaces.iter().enumerate() {
        let owner = old_map.owner_of_space(space).unwrap();
        for m in old_map.members(owner).unwrap() {
            held.entry(*m).or_default().insert(r);
        }
    }
    let before = held.clone();
    let nodes: BTreeSet<u32> = old
        .values()
        .chain(new.values())
        .flatten()
        .copied()
        .collect();
    for me in &nodes {
        let plan = migration_plan(&old_map, &new_map, me);
        let mine = before.get(me).cloned().unwrap_or_default();
        for push in &plan.pushes {
            assert_ne!(push.to, *me);
            assert_eq!(new_map.swarm_of_node(&push.to), Some(push.swarm));
            for &r in &mine {
                if push.intervals.iter().any(|iv| iv.contains(spaces[r])) {
                    // Only records of the recipient's new swarm are ever pushed.
                    assert_eq!(new_map.owner_of_space(spaces[r]), Some(push.swarm));
                    held.entry(push.to).or_default().insert(r);
                }
            }
        }
    }
    for (r, &space) in spaces.iter().enumerate() {
        let owner = new_map.owner_of_space(space).unwrap();
        for m in new_map.members(owner).unwrap() {
            assert!(
                held.get(m).is_some_and(|h| h.contains(&r)),
                "record {r} at {space} missing on {m} of {owner:?}"
            );
        }
    }
}

fn record_spaces(map_ids: &[u64], random: &[u64]) -> Vec<u64> {
    // Random positions plus every boundary-ish position.
    let mut spaces: Vec<u64> = random.to_vec();
    for &id in map_ids {
        for d in [0u64, 1, 2] {
            spaces.push(id.wrapping_add(d));
            spaces.push(id.wrapping_sub(d));
        }
        spaces.push(id.wrapping_add(u64::MAX / 2));
    }
    spaces.extend([0, u64::MAX, u64::MAX / 2]);
    spaces
}

fn arbitrary_map(max_swarms: usize) -> impl Strategy<Value = Map> {
    prop::collection::btree_map(
        prop_oneof![any::<u64>(), 0u64..64, (u64::MAX - 64)..u64::MAX],
        prop::collection::btree_set(0u32..60, 1..9),
        0..max_swarms,
    )
    .prop_map(|m| {
        // Each node in one swarm at most.
        let mut seen = BTreeSet::new();
        m.into_iter()
            .map(|(id, v)| {
                (
                    SwarmId(id),
                    v.into_iter()
                        .filter(|n| seen.insert(*n))
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, v): &(SwarmId, Vec<u32>)| !v.is_empty())
            .collect()
    })
}

/// The local plans are the full plan: for every node of either map and one in neither,
/// [`migration_plan_with`] (given the block's added swarms) equals [`migration_plan`], and
/// [`migration_pushes`] its pushes; the added swarms are the set difference of the ids.
fn check_local_plans(old: &Map, new: &Map) {
    let (o, n) = (SwarmMap::new(old.clone()), SwarmMap::new(new.clone()));
    let added = added_swarms(&o, &n);
    let expected: Vec<SwarmId> = new
        .keys()
        .filter(|id| **id != SwarmId::UNASSIGNED && !old.contains_key(id))
        .copied()
        .collect();
    assert_eq!(added, expected);
    let nodes: BTreeSet<u32> = old
        .values()
        .chain(new.values())
        .flatten()
        .copied()
        .chain([u32::MAX])
        .collect();
    for me in &nodes {
        let full = migration_plan(&o, &n, me);
        assert_eq!(migration_plan_with(&o, &n, me, &added), full, "node {me}");
        assert_eq!(migration_pushes(&o, &n, me), full.pushes, "node {me}");
    }
}

/// A map derived from `map`: some swarms dropped, some moved to a new id, some nodes moved
/// between swarms, newcomers added, so that most nodes keep their swarm and a few change.
fn perturb(map: &Map, picks: &[(u16, u64)], joins: u32) -> Map {
    let mut out = map.clone();
    let ids: Vec<SwarmId> = map.keys().copied().collect();
    for &(pick, new_id) in picks {
        let Some(&id) = ids.get(usize::from(pick) % ids.len().max(1)) else {
            break;
        };
        match new_id % 3 {
            0 => {
                out.remove(&id);
            }
            1 => {
                if let Some(members) = out.remove(&id) {
                    out.entry(SwarmId(new_id)).or_default().extend(members);
                }
            }
            _ => {
                let moved = out.get_mut(&id).and_then(Vec::pop);
                if let Some(node) = moved {
                    out.entry(SwarmId(new_id)).or_default().push(node);
                }
            }
        }
    }
    if let Some(first) = out.values_mut().next() {
        first.extend(1000..1000 + joins);
    }
    out.retain(|_, v| !v.is_empty());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Any two maps at all (swarms appearing, vanishing, all members replaced at once).
    #[test]
    fn plans_lose_nothing_between_arbitrary_maps(old in arbitrary_map(8), new in arbitrary_map(8), random in prop::collection::vec(any::<u64>(), 0..40)) {
        let ids: Vec<u64> = old.keys().chain(new.keys()).map(|id| id.0).collect();
        check_plans(&old, &new, &record_spaces(&ids, &random));
    }

    /// The local plans against the full one, between unrelated maps.
    #[test]
    fn local_plans_equal_full_plans_between_arbitrary_maps(old in arbitrary_map(8), new in arbitrary_map(8)) {
        check_local_plans(&old, &new);
    }

    /// The local plans against the full one, between a map and a perturbed copy (most nodes
    /// keep their swarm, so the new-swarm list and the new members are exercised), old
    /// maps with unassigned nodes included.
    #[test]
    fn local_plans_equal_full_plans_after_small_changes(
        old in arbitrary_map(12),
        picks in prop::collection::vec((any::<u16>(), prop_oneof![any::<u64>(), 0u64..64]), 0..6),
        joins in 0u32..4,
        unassigned in prop::collection::btree_set(60u32..70, 0..3),
    ) {
        let new = perturb(&old, &picks, joins);
        let mut old = old;
        if !unassigned.is_empty() {
            old.insert(SwarmId::UNASSIGNED, unassigned.into_iter().collect());
        }
        check_local_plans(&old, &new);
    }

    /// Maps produced by real rebalancing (both policies) under churn.
    #[test]
    fn plans_lose_nothing_across_rebalancing(
        initial in 10u32..120,
        leave in prop::collection::vec(any::<u16>(), 0..12),
        join in 0u32..20,
        seed in any::<u64>(),
        scalable in any::<bool>(),
        random in prop::collection::vec(any::<u64>(), 0..40),
    ) {
        let policy = if scalable { Policy::Scalable } else { Policy::OxendCompat };
        let mut map: Map = [(SwarmId::UNASSIGNED, (0..initial).collect())].into_iter().collect();
        policy.calc_swarm_changes(&mut map, seed ^ 1);
        let old = map.clone();
        let mut all: Vec<u32> = map.values().flatten().copied().collect();
        for pick in leave {
            if all.is_empty() {
                break; // more departures drawn than nodes (e.g. 11 of 10)
            }
            let node = all.remove(pick as usize % all.len());
            for v in map.values_mut() {
                v.retain(|&n| n != node);
            }
        }
        map.retain(|_, v| !v.is_empty());
        if join > 0 {
            map.insert(SwarmId::UNASSIGNED, (1000..1000 + join).collect());
        }
        policy.calc_swarm_changes(&mut map, seed);
        let ids: Vec<u64> = old.keys().chain(map.keys()).map(|id| id.0).collect();
        check_plans(&old, &map, &record_spaces(&ids, &random));
        check_local_plans(&old, &map);
    }
}

#[test]
fn storage_server_events() {
    let old: Map = [
        (SwarmId(100), vec![1, 2, 3, 4, 5, 6]),
        (SwarmId(200), vec![7, 8, 9, 10, 11]),
    ]
    .into_iter()
    .collect();
    let new: Map = [
        (SwarmId(100), vec![1, 2, 3, 4, 5, 12]),
        (SwarmId(300), vec![6, 13, 14, 15, 16]),
        (SwarmId(400), vec![7, 8, 9, 10, 11]),
    ]
    .into_iter()
    .collect();
    let (o, n) = (SwarmMap::new(old), SwarmMap::new(new));
    // Same swarm: new member 12, new swarms 300 and 400.
    let c = swarm_changes(&o, &n, &1);
    assert_eq!(
        c,
        SwarmChanges {
            old_swarm: Some(SwarmId(100)),
            new_swarm: Some(SwarmId(100)),
            new_members: vec![12],
            new_swarms: vec![SwarmId(300), SwarmId(400)],
            dissolved: false
        }
    );
    // Moved out of a swarm that still exists.
    let c = swarm_changes(&o, &n, &6);
    assert_eq!(
        (c.new_swarm, c.dissolved, c.new_members.len()),
        (Some(SwarmId(300)), false, 0)
    );
    // Old swarm gone.
    assert!(swarm_changes(&o, &n, &7).dissolved);
    // Newcomer: every other member is new to it.
    assert_eq!(swarm_changes(&o, &n, &13).new_members, vec![6, 14, 15, 16]);
    // Gone from the network: nothing to derive, but it still hands its records over.
    let gone = SwarmMap::new(
        [(SwarmId(100), vec![1, 2, 3, 4, 5])]
            .into_iter()
            .collect::<Map>(),
    );
    let plan = migration_plan(&o, &gone, &6);
    assert_eq!(plan.changes.new_swarm, None);
    assert!(
        plan.pushes.is_empty(),
        "swarm 100 members already hold swarm 100's records"
    );
    let plan = migration_plan(&o, &gone, &7);
    assert_eq!(
        plan.pushes.len(),
        5,
        "swarm 200's range now belongs to swarm 100"
    );
}
