//! Invariants of both policies over random churn, and `Scalable` against its plain reference.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use session_swarm::{MIN_SWARM_SIZE, Policy, ScalableSwarms, SwarmEvent, SwarmId, SwarmMap};

type Map = BTreeMap<SwarmId, Vec<u32>>;

/// One block of churn: registrations, deregistrations, decommissions (picked by position).
#[derive(Debug, Clone)]
struct Block {
    register: u32,
    deregister: Vec<u16>,
    decommission: Vec<u16>,
    seed: u64,
}

fn block() -> impl Strategy<Value = Block> {
    (
        0u32..12,
        prop::collection::vec(any::<u16>(), 0..6),
        prop::collection::vec(any::<u16>(), 0..4),
        any::<u64>(),
    )
        .prop_map(|(register, deregister, decommission, seed)| Block {
            register,
            deregister,
            decommission,
            seed,
        })
}

/// oxend rebuilds the map every block from its pubkey-sorted list of active nodes.
fn resorted(map: &Map) -> Map {
    map.iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(&id, v)| {
            let mut v = v.clone();
            v.sort_unstable();
            (id, v)
        })
        .collect()
}

/// Applies a block's churn to the current map (output of the previous block), giving the next
/// input map.
fn churn(map: &Map, b: &Block, next_node: &mut u32) -> Map {
    let mut m = map.clone();
    let mut all: Vec<(SwarmId, u32)> = m
        .iter()
        .flat_map(|(&id, v)| v.iter().map(move |&n| (id, n)))
        .collect();
    let mut unassigned = Vec::new();
    for (i, pick) in b.deregister.iter().chain(&b.decommission).enumerate() {
        if all.is_empty() {
            break;
        }
        let (id, node) = all.remove(*pick as usize % all.len());
        m.get_mut(&id).unwrap().retain(|&n| n != node);
        if i >= b.deregister.len() {
            unassigned.push(node);
        }
    }
    for _ in 0..b.register {
        unassigned.push(*next_node);
        *next_node += 1;
    }
    let mut m = resorted(&m);
    if !unassigned.is_empty() {
        unassigned.sort_unstable();
        m.insert(SwarmId::UNASSIGNED, unassigned);
    }
    m
}

fn node_swarms(map: &Map) -> BTreeMap<u32, SwarmId> {
    map.iter()
        .flat_map(|(&id, v)| v.iter().map(move |&n| (n, id)))
        .collect()
}

/// Checks the invariants of one rebalancing step and returns the output.
fn check_step(policy: Policy, input: &Map, seed: u64) -> Map {
    let mut out = input.clone();
    let events = policy.calc_swarm_changes(&mut out, seed);

    // Determinism.
    let mut again = input.clone();
    assert_eq!(policy.calc_swarm_changes(&mut again, seed), events);
    assert_eq!(again, out);

    // Every active node in exactly one swarm; nobody lost or invented.
    assert!(!out.contains_key(&SwarmId::UNASSIGNED));
    let active: BTreeSet<u32> = input.values().flatten().copied().collect();
    let placed: Vec<u32> = out.values().flatten().copied().collect();
    assert_eq!(placed.len(), active.len(), "{policy:?}: node count");
    assert_eq!(placed.iter().copied().collect::<BTreeSet<_>>(), active);

    // Nobody starves once the network could do better.
    if active.len() >= MIN_SWARM_SIZE {
        assert!(
            out.values().all(|v| v.len() >= MIN_SWARM_SIZE),
            "{policy:?}: starving swarm in {out:?}"
        );
    }
    if !input.is_empty() {
        assert!(!out.is_empty());
    }

    // The events replay the input into the output.
    let mut where_: BTreeMap<u32, SwarmId> = input
        .iter()
        .filter(|(id, _)| !id.is_unassigned())
        .flat_map(|(&id, v)| v.iter().map(move |&n| (n, id)))
        .collect();
    let mut ids: BTreeSet<SwarmId> = input
        .keys()
        .copied()
        .filter(|id| !id.is_unassigned())
        .collect();
    for e in &events {
        match e {
            SwarmEvent::SwarmCreated { swarm } => assert!(ids.insert(*swarm)),
            SwarmEvent::SwarmDissolved { swarm } => assert!(ids.remove(swarm)),
            SwarmEvent::NodeJoined { node, swarm } => {
                assert!(where_.insert(*node, *swarm).is_none())
            }
            SwarmEvent::NodeMoved { node, from, to } => {
                assert_eq!(where_.insert(*node, *to), Some(*from))
            }
            _ => unreachable!(),
        }
    }
    assert_eq!(ids, out.keys().copied().collect());
    assert_eq!(where_, node_swarms(&out));
    out
}

fn run_network(initial: u32, blocks: &[Block], policy: Policy) {
    let mut next = 0u32;
    let mut map = Map::new();
    let first = Block {
        register: initial,
        deregister: vec![],
        decommission: vec![],
        seed: 7,
    };
    for b in std::iter::once(&first).chain(blocks) {
        let input = churn(&map, b, &mut next);
        map = check_step(policy, &input, b.seed);
        if policy == Policy::Scalable {
            // The indexed implementation equals the plain rule-by-rule one.
            let mut reference = input.clone();
            let mut fast = input.clone();
            let ev_ref = session_swarm::testing::scalable_reference(&mut reference, b.seed);
            let ev_fast = Policy::Scalable.calc_swarm_changes(&mut fast, b.seed);
            assert_eq!(fast, reference);
            assert_eq!(ev_fast, ev_ref);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn oxend_compat_invariants_under_churn(initial in 0u32..160, blocks in prop::collection::vec(block(), 1..8)) {
        run_network(initial, &blocks, Policy::OxendCompat);
    }

    #[test]
    fn scalable_invariants_under_churn(initial in 0u32..160, blocks in prop::collection::vec(block(), 1..8)) {
        run_network(initial, &blocks, Policy::Scalable);
    }

    /// Registration-only growth: #swarms = 1 + max(n − 7, 0) div 7, excess = 2·#swarms + n mod 7.
    #[test]
    fn swarm_count_formula_under_growth(bulks in prop::collection::vec(1u32..25, 1..20), seed in any::<u64>(), scalable in any::<bool>()) {
        let policy = if scalable { Policy::Scalable } else { Policy::OxendCompat };
        let mut next = 0u32;
        let mut map = Map::new();
        for (i, &bulk) in bulks.iter().enumerate() {
            let b = Block { register: bulk, deregister: vec![], decommission: vec![], seed: seed.wrapping_add(i as u64) };
            let input = churn(&map, &b, &mut next);
            map = check_step(policy, &input, b.seed);
            let n = next as usize;
            prop_assert_eq!(map.len(), 1 + n.saturating_sub(7) / 7);
            if n >= 7 {
                let excess: usize = map.values().map(|v| v.len().saturating_sub(5)).sum();
                prop_assert_eq!(excess, 2 * map.len() + n % 7);
            }
        }
    }

    /// The node index of a map: a node listed in several swarms (or twice in one) is found
    /// under the lowest id, one not listed (or only unassigned) is not found, whichever way
    /// the map was built.
    #[test]
    fn node_index_finds_the_lowest_swarm(raw in prop::collection::btree_map(prop_oneof![any::<u64>(), Just(u64::MAX)], prop::collection::vec(0u32..40, 0..12), 0..12)) {
        let map: Map = raw.into_iter().map(|(k, v)| (SwarmId(k), v)).collect();
        let indexed = SwarmMap::new(map.clone());
        let scanned = SwarmMap::without_node_index(map.clone());
        for node in 0u32..41 {
            let first = map
                .iter()
                .find(|(id, members)| **id != SwarmId::UNASSIGNED && members.contains(&node))
                .map(|(id, _)| *id);
            prop_assert_eq!(indexed.swarm_of_node(&node), first);
            prop_assert_eq!(scanned.swarm_of_node(&node), first);
        }
    }

    /// Arbitrary maps (tiny or empty swarms, duplicates across swarms, huge ids) never panic,
    /// and the scalable implementation still equals its reference.
    #[test]
    fn arbitrary_maps(raw in prop::collection::btree_map(any::<u64>(), prop::collection::vec(0u32..40, 0..12), 0..12), seed in any::<u64>()) {
        let map: Map = raw.into_iter().map(|(k, v)| (SwarmId(k), v)).collect();
        let mut a = map.clone();
        Policy::OxendCompat.calc_swarm_changes(&mut a, seed);
        let mut b = map.clone();
        let mut c = map.clone();
        prop_assert_eq!(Policy::Scalable.calc_swarm_changes(&mut b, seed), session_swarm::testing::scalable_reference(&mut c, seed));
        // Our decision where oxend drops nodes (an excess pool emptied by duplicate entries):
        // no node is ever lost, whatever the map.
        let nodes = |m: &Map| m.values().flatten().copied().collect::<BTreeSet<u32>>();
        prop_assert_eq!(nodes(&a), nodes(&map));
        prop_assert_eq!(nodes(&b), nodes(&map));
        prop_assert!(!a.contains_key(&SwarmId::UNASSIGNED));
        prop_assert_eq!(b, c);
    }
}

/// A swarm whose 16 entries are one node listed 16 times: its excess (11) asks for a new swarm,
/// but the first pick removes every copy and leaves the pool empty. oxend would drop the node;
/// here it goes back to its swarm and no swarm is created.
#[test]
fn an_excess_pool_emptied_by_duplicates_loses_nobody() {
    for policy in [Policy::OxendCompat, Policy::Scalable] {
        let mut map: Map = [(SwarmId(42), vec![1; 16])].into_iter().collect();
        let events = policy.calc_swarm_changes(&mut map, 9);
        assert_eq!(map, [(SwarmId(42), vec![1])].into_iter().collect::<Map>());
        assert!(events.is_empty(), "{policy:?}: {events:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The persistent network gives, block after block, what the one-shot policy gives on the
    /// same map.
    #[test]
    fn persistent_network_equals_one_shot(initial in 0u32..200, blocks in prop::collection::vec(block(), 1..10)) {
        let mut net = ScalableSwarms::new();
        let mut next = 0u32;
        let first = Block { register: initial, deregister: vec![], decommission: vec![], seed: 3 };
        for b in std::iter::once(&first).chain(&blocks) {
            let mut all: Vec<u32> = net.swarms().values().flatten().copied().collect();
            for (i, pick) in b.deregister.iter().chain(&b.decommission).enumerate() {
                if all.is_empty() {
                    break;
                }
                let node = all.remove(*pick as usize % all.len());
                prop_assert!(net.remove_node(&node).is_some());
                if i >= b.deregister.len() {
                    prop_assert!(net.add_node(node));
                }
            }
            for _ in 0..b.register {
                prop_assert!(net.add_node(next));
                next += 1;
            }
            let mut reference = net.to_map();
            let expected_events = Policy::Scalable.calc_swarm_changes(&mut reference, b.seed);
            let events = net.rebalance(b.seed);
            prop_assert_eq!(events, expected_events);
            prop_assert_eq!(net.swarms(), &resorted(&reference));
            prop_assert!(net.unassigned().is_empty());
            for (id, members) in net.swarms() {
                for m in members {
                    prop_assert_eq!(net.swarm_of(m), Some(*id));
                }
            }
            let hist: usize = net.size_histogram().map(|(_, n)| n).sum();
            prop_assert_eq!(hist, net.swarm_count());
        }
    }
}

#[test]
fn tiny_networks_keep_their_last_swarm() {
    for policy in [Policy::OxendCompat, Policy::Scalable] {
        // Two starving swarms, 4 nodes in all: oxend would throw dissolving the last one.
        let mut map: Map = [(SwarmId(10), vec![1, 2]), (SwarmId(20), vec![3, 4])]
            .into_iter()
            .collect();
        let events = policy.calc_swarm_changes(&mut map, 1);
        assert_eq!(map.len(), 1);
        assert_eq!(map.values().next().unwrap().len(), 4);
        assert!(events.contains(&SwarmEvent::SwarmDissolved { swarm: SwarmId(10) }));
        assert!(!events.contains(&SwarmEvent::SwarmDissolved { swarm: SwarmId(20) }));
        // First registrations of an empty network open swarm 0.
        let mut map: Map = [(SwarmId::UNASSIGNED, vec![1, 2, 3])].into_iter().collect();
        let events = policy.calc_swarm_changes(&mut map, 1);
        assert_eq!(map, [(SwarmId(0), vec![1, 2, 3])].into_iter().collect());
        assert_eq!(events[0], SwarmEvent::SwarmCreated { swarm: SwarmId(0) });
        // Empty input: nothing happens.
        let mut map = Map::new();
        assert!(policy.calc_swarm_changes(&mut map, 1).is_empty());
        assert!(map.is_empty());
    }
}
