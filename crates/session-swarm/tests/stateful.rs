//! `OxendSwarms` block by block against `calc_swarm_changes` on the map oxend would build.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;

use session_swarm::compat::{Mt19937_64, uniform_portable};
use session_swarm::{OxendSwarms, SwarmEvent, SwarmId, calc_swarm_changes};

/// oxend's input for a block: active nodes in ascending key order, appended to their swarm.
fn oxend_map(active: &BTreeMap<u32, SwarmId>) -> BTreeMap<SwarmId, Vec<u32>> {
    let mut map: BTreeMap<SwarmId, Vec<u32>> = BTreeMap::new();
    for (&node, &swarm) in active {
        map.entry(swarm).or_default().push(node);
    }
    map
}

fn pick(active: &BTreeMap<u32, SwarmId>, rng: &mut Mt19937_64) -> u32 {
    let i = uniform_portable(rng, active.len() as u64) as usize;
    *active.keys().nth(i).unwrap()
}

/// Growth, churn with decommissions and recommissions, then a shrinking phase that dissolves
/// swarms; every block compared on events, swarms and each node's swarm.
fn run(seed: u64, initial: u32, blocks: usize) -> (usize, usize) {
    let mut rng = Mt19937_64::new(seed);
    let mut net = OxendSwarms::new();
    // What oxend stores per active node: its swarm id.
    let mut active: BTreeMap<u32, SwarmId> = BTreeMap::new();
    let mut decommissioned: Vec<u32> = Vec::new();
    let mut next = 0u32;
    let (mut dissolved, mut max_swarms) = (0, 0);
    for block in 0..blocks {
        let (joins, leaves) = if block == 0 {
            (initial, 0)
        } else if block < blocks * 2 / 3 {
            (
                uniform_portable(&mut rng, 12) as u32,
                uniform_portable(&mut rng, 12) as u32,
            )
        } else {
            (
                uniform_portable(&mut rng, 3) as u32,
                4 + uniform_portable(&mut rng, 12) as u32,
            )
        };
        for _ in 0..joins {
            // Node keys arrive in random order, not ascending.
            let node = (next.wrapping_mul(2_654_435_761)) >> 1;
            next += 1;
            assert!(net.add_node(node));
            active.insert(node, SwarmId::UNASSIGNED);
        }
        for _ in 0..leaves.min(active.len() as u32) {
            let node = pick(&active, &mut rng);
            let was = active.remove(&node).unwrap();
            assert_eq!(net.remove_node(&node), Some(was));
            // Every third leaver is a decommission, recommissioned a few blocks later.
            if uniform_portable(&mut rng, 3) == 0 {
                decommissioned.push(node);
            }
        }
        if block % 5 == 4 {
            for node in decommissioned.drain(..) {
                assert!(net.add_node(node));
                active.insert(node, SwarmId::UNASSIGNED);
            }
        }

        let mut map = oxend_map(&active);
        assert_eq!(net.to_map(), map, "block {block}: the input oxend builds");
        let hash = {
            let mut h = [0u8; 32];
            h[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
            h
        };
        let expected =
            calc_swarm_changes(&mut map, session_swarm::compat::seed_from_block_hash(&hash));
        let events = net.rebalance_block(&hash);
        assert_eq!(events, expected, "block {block}: events");
        dissolved += events
            .iter()
            .filter(|e| matches!(e, SwarmEvent::SwarmDissolved { .. }))
            .count();
        for (&swarm, members) in &map {
            for &node in members {
                active.insert(node, swarm);
                assert_eq!(
                    net.swarm_of(&node),
                    Some(swarm),
                    "block {block}: node {node}"
                );
            }
        }
        let sorted: BTreeMap<SwarmId, Vec<u32>> = map
            .into_iter()
            .map(|(id, mut v)| {
                v.sort_unstable();
                (id, v)
            })
            .collect();
        assert_eq!(net.swarms(), &sorted, "block {block}: swarms");
        assert_eq!(net.assigned_count(), active.len());
        assert!(net.unassigned().is_empty());
        max_swarms = max_swarms.max(net.swarm_count());
    }
    (dissolved, max_swarms)
}

#[test]
fn equals_calc_swarm_changes_block_by_block_under_churn() {
    let mut dissolved = 0;
    for seed in 0..4 {
        let (d, max_swarms) = run(seed, 250, 60);
        assert!(
            max_swarms > 16,
            "the libstdc++ tie order matters only beyond 16 swarms"
        );
        dissolved += d;
    }
    assert!(dissolved > 0, "the shrinking phase dissolves swarms");
}

#[test]
fn from_swarms_takes_over_oxends_state() {
    let mut rng = Mt19937_64::new(9);
    let mut map: BTreeMap<SwarmId, Vec<u32>> = BTreeMap::new();
    map.insert(SwarmId::UNASSIGNED, (0..60).collect());
    calc_swarm_changes(&mut map, rng.next_u64());
    // As reported per node (member order lost), plus a swarm emptied and a duplicate.
    let mut reported = map.clone();
    for v in reported.values_mut() {
        v.reverse();
    }
    reported.insert(SwarmId(5), Vec::new());
    let first = *map.keys().next().unwrap();
    let dup = map.values().nth(1).unwrap()[0];
    reported.get_mut(&first).unwrap().push(dup);
    let mut net = OxendSwarms::from_swarms(reported);
    assert_eq!(net.swarm_count(), map.len());
    assert_eq!(net.assigned_count(), 60);
    assert_ne!(net.swarm_of(&dup), None);
    assert!(!net.add_node(dup), "already placed");
    assert_eq!(net.remove_node(&1000), None);

    let mut plain = net.to_map();
    let seed = rng.next_u64();
    assert!(net.add_node(77));
    plain.insert(SwarmId::UNASSIGNED, vec![77]);
    assert_eq!(net.remove_node(&77), Some(SwarmId::UNASSIGNED));
    assert!(net.add_node(77));
    assert_eq!(net.rebalance(seed), calc_swarm_changes(&mut plain, seed));
    assert_eq!(net.into_swarms().len(), plain.len());
}

#[test]
fn an_empty_network_does_nothing() {
    let mut net: OxendSwarms<u8> = OxendSwarms::default();
    assert!(net.rebalance(1).is_empty());
    assert_eq!(net.swarm_count(), 0);
}
