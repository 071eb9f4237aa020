//! Every vector of `swarm.json`, and the upstream oxend invariant tests it lists.
//!
//! The sections `mt19937_64`, `uniform_distribution_portable`, `pick_from_excess_pool` and
//! `block_hash_seed_example` are identical in session-core's `compat.json`: the generator,
//! the uniform draw and the block-hash seed live in session-core (`session_swarm::compat`
//! re-exports them), whose tests assert every one of those values.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;

use serde_json::Value;
use session_core::{Ed25519PublicKey, ServiceNode, SessionId, X25519PublicKey};
use session_swarm::compat::{Mt19937_64, std_sort};
use session_swarm::steps::{
    assign_nodes, calc_excess, calc_threshold, create_new_swarm_from_excess, excess_pool,
    remove_node, swarm_sizes,
};
use session_swarm::{
    MAX_SWARM_ID, SwarmId, SwarmMap, calc_swarm_changes, nearest_swarm, new_swarm_id, swarm_space,
};
use sha2::{Digest, Sha256};

fn data() -> Value {
    serde_json::from_str(include_str!("data/swarm.json")).unwrap()
}

fn num(v: &Value) -> u64 {
    v.as_str().unwrap().parse().unwrap()
}

fn key(i: u64) -> [u8; 32] {
    Sha256::digest(i.to_le_bytes()).into()
}

#[test]
fn constants() {
    let d = data();
    let c = &d["_about"]["constants"];
    assert_eq!(c["MIN_SWARM_SIZE"], session_swarm::MIN_SWARM_SIZE);
    assert_eq!(c["IDEAL_SWARM_MARGIN"], session_swarm::IDEAL_SWARM_MARGIN);
    assert_eq!(c["IDEAL_SWARM_SIZE"], session_swarm::IDEAL_SWARM_SIZE);
    assert_eq!(c["NEW_SWARM_SIZE"], session_swarm::NEW_SWARM_SIZE);
    assert_eq!(c["EXCESS_BASE"], session_swarm::EXCESS_BASE);
    assert_eq!(
        c["FILL_SWARM_LOWER_PERCENTILE"],
        session_swarm::FILL_SWARM_LOWER_PERCENTILE
    );
    assert_eq!(
        c["DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE"],
        session_swarm::DECOMMISSIONED_REDISTRIBUTION_LOWER_PERCENTILE
    );
    assert_eq!(
        c["STEALING_SWARM_UPPER_PERCENTILE"],
        session_swarm::STEALING_SWARM_UPPER_PERCENTILE
    );
    assert_eq!(
        c["MAX_SWARM_SIZE (defined, unused by algorithm)"],
        session_swarm::MAX_SWARM_SIZE
    );
    assert_eq!(num(&c["UNASSIGNED_SWARM_ID"]), SwarmId::UNASSIGNED.0);
    assert_eq!(num(&c["MAX_ID"]), MAX_SWARM_ID);
}

#[test]
fn libstdcxx_sort_by_size() {
    let d = data();
    for case in d["libstdcxx_std_sort_by_size"].as_array().unwrap() {
        let input: Vec<(u64, u64)> = case["input_in_swarm_id_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (num(&p[0]), p[1].as_u64().unwrap()))
            .collect();
        assert_eq!(input.len() as u64, case["n"].as_u64().unwrap());
        let ids = |v: &Value| -> Vec<u64> { v.as_array().unwrap().iter().map(num).collect() };
        let mut sorted = input.clone();
        std_sort(&mut sorted, |a, b| a.1 < b.1);
        assert_eq!(
            sorted.iter().map(|p| p.0).collect::<Vec<_>>(),
            ids(&case["expected_libstdcxx_order_ids"])
        );
        let mut stable = input.clone();
        stable.sort_by_key(|p| p.1);
        assert_eq!(
            stable.iter().map(|p| p.0).collect::<Vec<_>>(),
            ids(&case["stable_sort_order_ids"])
        );
        assert_eq!(
            sorted == stable,
            case["libstdcxx_equals_stable"].as_bool().unwrap()
        );
        // The same order through the public oxend step.
        let map: BTreeMap<SwarmId, Vec<u32>> = input
            .iter()
            .map(|&(id, size)| (SwarmId(id), (0..size as u32).collect()))
            .collect();
        let via_steps: Vec<u64> = swarm_sizes(&map).iter().map(|e| e.0.0).collect();
        assert_eq!(via_steps, ids(&case["expected_libstdcxx_order_ids"]));
    }
}

#[test]
fn get_new_swarm_id() {
    let d = data();
    let cases = d["get_new_swarm_id"]["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 11);
    for case in cases {
        let ids: Vec<SwarmId> = case["existing_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| SwarmId(num(v)))
            .collect();
        assert_eq!(
            new_swarm_id(ids.iter().copied()),
            SwarmId(num(&case["expected"])),
            "{ids:?}"
        );
    }
}

#[test]
fn pubkey_to_swarm_space() {
    let d = data();
    let cases = d["pubkey_to_swarm_space"]["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for case in cases {
        let bytes = hex::decode(case["prefixed_pubkey_hex"].as_str().unwrap()).unwrap();
        let key: [u8; 32] = bytes[1..].try_into().unwrap();
        assert_eq!(swarm_space(&key), num(&case["expected"]));
        // The same through a Session ID, whatever its prefix.
        let mut standard = bytes.clone();
        standard[0] = 0x05;
        let id = SessionId::from_bytes(&standard).unwrap();
        assert_eq!(swarm_space(id.key()), num(&case["expected"]));
    }
}

#[test]
fn get_swarm_by_pk() {
    let d = data();
    let sets = d["get_swarm_by_pk"]["sets"].as_array().unwrap();
    let mut checked = 0;
    for set in sets {
        let ids: Vec<SwarmId> = set["swarm_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| SwarmId(num(v)))
            .collect();
        let map = SwarmMap::new(
            ids.iter()
                .map(|&id| (id, vec![id.0]))
                .collect::<BTreeMap<_, _>>(),
        );
        for case in set["cases"].as_array().unwrap() {
            let bytes = hex::decode(case["prefixed_pubkey_hex"].as_str().unwrap()).unwrap();
            let key: [u8; 32] = bytes[1..].try_into().unwrap();
            assert_eq!(swarm_space(&key), num(&case["swarm_space"]));
            let expected = SwarmId(num(&case["expected_swarm_id"]));
            assert_eq!(nearest_swarm(&ids, swarm_space(&key)), Some(expected));
            assert_eq!(map.owner_of_key(&key), Some(expected));
            let id = SessionId::from_bytes(&bytes).unwrap();
            assert_eq!(map.members_for(&id), Some((expected, &[expected.0][..])));
            // The owner's range contains the position.
            let space = swarm_space(&key);
            assert!(map.intervals(expected).iter().any(|iv| iv.contains(space)));
            checked += 1;
        }
    }
    assert_eq!(checked, 32);
    // extra_rules
    assert_eq!(nearest_swarm(&[], 5), None);
    assert_eq!(nearest_swarm(&[SwarmId(7)], u64::MAX), Some(SwarmId(7)));
}

// ---- upstream invariant tests (oxen-core tests/unit_tests/service_nodes_swarm.cpp) ----------

type Map = BTreeMap<SwarmId, Vec<[u8; 32]>>;

fn swarms_of(sizes: &[usize]) -> Map {
    let mut next = 0u64;
    sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| {
            let members = (0..size)
                .map(|_| {
                    next += 1;
                    key(next + 1_000_000)
                })
                .collect();
            (SwarmId(i as u64), members)
        })
        .collect()
}

fn run_with_unassigned(map: &mut Map, new: Vec<[u8; 32]>, seed: u64) {
    let mut new = new;
    new.sort();
    if !new.is_empty() {
        map.insert(SwarmId::UNASSIGNED, new);
    }
    calc_swarm_changes(map, seed);
}

#[test]
fn upstream_calc_excess_and_threshold() {
    let mut map = swarms_of(&[5; 11]);
    assert_eq!(calc_excess(&map), 0);
    assert_eq!(calc_threshold(&map), 7 + 2 * 11);
    let ids: Vec<SwarmId> = map.keys().copied().collect();
    for i in 0..52u64 {
        map.get_mut(&ids[(i % 11) as usize]).unwrap().push(key(i));
    }
    assert_eq!(calc_excess(&map), 52);
    assert_eq!(calc_threshold(&BTreeMap::<SwarmId, Vec<u8>>::new()), 7);
}

#[test]
fn upstream_create_new_swarm_from_excess() {
    let mut map = swarms_of(&[5; 11]);
    let mut mt = Mt19937_64::new(42);
    assert!(create_new_swarm_from_excess(&mut map, &mut mt).is_empty());
    assert_eq!(map.len(), 11);
    let ids: Vec<SwarmId> = map.keys().copied().collect();
    for i in 0..(11 * 2 + 7 - 1) as u64 {
        map.get_mut(&ids[(i % 11) as usize]).unwrap().push(key(i));
    }
    create_new_swarm_from_excess(&mut map, &mut mt);
    assert_eq!(map.len(), 11);
    map.get_mut(&ids[0]).unwrap().push(key(999));
    let events = create_new_swarm_from_excess(&mut map, &mut mt);
    assert_eq!(map.len(), 12);
    assert_eq!(events.len(), 1 + 7);
}

#[test]
fn upstream_calc_swarm_sizes() {
    let mut sizes: Vec<usize> = (1..=42).collect();
    sizes.reverse();
    let map = swarms_of(&sizes);
    let sorted = swarm_sizes(&map);
    assert_eq!(sorted.len(), 42);
    assert!(sorted.windows(2).all(|w| w[0].1 < w[1].1));
    assert_eq!(sorted[0].1, 1);
}

#[test]
fn upstream_assign_snodes() {
    let mut map = swarms_of(&[3, 1, 5, 2]);
    let mut mt = Mt19937_64::new(42);
    assign_nodes(&mut map, vec![key(1)], &mut mt, 25);
    assert_eq!(map[&SwarmId(1)].len(), 2);
    assign_nodes(&mut map, vec![key(2), key(3)], &mut mt, 25);
    assert_eq!(map[&SwarmId(1)].len(), 3);
    assert_eq!(map[&SwarmId(3)].len(), 3);
}

fn check_growth_invariants(map: &Map, n: usize) {
    let total: usize = map.values().map(Vec::len).sum();
    assert_eq!(total, n);
    let swarms = map.len();
    assert_eq!(swarms, 1 + n.saturating_sub(7) / 7, "n = {n}");
    if n >= 7 {
        assert_eq!(calc_excess(map), 2 * swarms + n % 7, "n = {n}");
    }
}

#[test]
fn upstream_register_snodes_one_by_one() {
    let mut map = Map::new();
    for n in 0..280u64 {
        run_with_unassigned(&mut map, vec![key(n)], n);
        check_growth_invariants(&map, n as usize + 1);
    }
}

#[test]
fn upstream_register_snodes_in_bulk() {
    let mut map = Map::new();
    let mut next = 0u64;
    for bulk in [1, 3, 19, 4, 8, 13, 1, 22, 1, 7, 2, 1, 11, 18, 6, 10] {
        let new = (0..bulk).map(|_| {
            next += 1;
            key(next)
        });
        run_with_unassigned(&mut map, new.collect(), 0);
        check_growth_invariants(&map, next as usize);
    }
}

#[test]
fn upstream_get_excess_pool_and_remove() {
    let mut map = swarms_of(&[5, 6, 9, 7]);
    let (pool, excess) = excess_pool(6, &map);
    assert_eq!(excess, (9 - 5) + (7 - 5));
    assert_eq!(pool.len(), 9 + 7);
    assert!(pool.iter().all(|(k, id)| map[id].contains(k)));
    assert!(
        pool.iter()
            .all(|(_, id)| *id == SwarmId(2) || *id == SwarmId(3))
    );
    assert_eq!(excess_pool(4, &map), (Vec::new(), 0));
    let (victim, from) = pool[3];
    assert!(remove_node(&mut map, from, &victim));
    assert_eq!(map[&from].len(), 8);
    assert!(!remove_node(&mut map, from, &victim));
    assert!(!remove_node(&mut map, SwarmId(77), &victim));
    assert_eq!(map[&from].len(), 8);
}

fn bootstrap70() -> Map {
    let mut map = Map::new();
    run_with_unassigned(&mut map, (0..70).map(key).collect(), 0);
    assert_eq!(map.len(), 10);
    map
}

#[test]
fn upstream_swarm_above_min_size_unaffects_other_swarms() {
    // One node removed per call.
    let base = bootstrap70();
    let victim = *base.keys().nth(3).unwrap();
    let mut map = base.clone();
    let mut seed = 70;
    while map[&victim].len() > 5 {
        map.get_mut(&victim).unwrap().pop();
        calc_swarm_changes(&mut map, seed);
        seed += 1;
    }
    for (id, members) in &base {
        if *id != victim {
            assert_eq!(&map[id], members);
        }
    }
    assert_eq!(map.len(), base.len());
    // Another swarm cut to 5 at once.
    let other = *base.keys().nth(6).unwrap();
    let mut map = base.clone();
    map.get_mut(&other).unwrap().truncate(5);
    calc_swarm_changes(&mut map, 12345);
    for (id, members) in &base {
        if *id != other {
            assert_eq!(&map[id], members);
        }
    }
    assert_eq!(map.len(), base.len());
}

#[test]
fn upstream_register_snode_fills_low_swarms() {
    let mut map = bootstrap70();
    let ids: Vec<SwarmId> = map.keys().copied().collect();
    let (a, b) = (ids[2], ids[7]);
    map.get_mut(&a).unwrap().truncate(4);
    map.get_mut(&b).unwrap().truncate(4);
    run_with_unassigned(&mut map, (100..103).map(key).collect(), 7);
    assert!(map[&a].len() >= 5);
    assert!(map[&b].len() >= 5);
}

#[test]
fn upstream_stealing_from_rich_swarms() {
    let base = bootstrap70();
    let victim = *base.keys().nth(5).unwrap();
    let mut map = base.clone();
    map.get_mut(&victim).unwrap().truncate(4);
    calc_swarm_changes(&mut map, 3);
    assert!(map[&victim].len() >= 5);
    let changed: Vec<SwarmId> = base
        .keys()
        .filter(|id| **id != victim && map[*id] != base[*id])
        .copied()
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(map[&changed[0]].len() + 1, base[&changed[0]].len());
    assert!(map[&changed[0]].len() >= 5);
}

#[test]
fn upstream_decommission() {
    let mut map = bootstrap70();
    for members in map.values_mut() {
        members.truncate(5);
    }
    let victim = *map.keys().nth(4).unwrap();
    map.get_mut(&victim).unwrap().truncate(4);
    let before = map.len();
    calc_swarm_changes(&mut map, 99);
    assert_eq!(map.len(), before - 1);
    assert!(map.values().all(|v| v.len() >= 5));
}

#[test]
fn swarm_map_from_service_nodes() {
    let node = |i: u8, swarm: u64| ServiceNode {
        ed25519: Ed25519PublicKey::from_bytes([i; 32]),
        x25519: X25519PublicKey::from_bytes([i; 32]),
        ip: std::net::Ipv4Addr::new(10, 0, 0, i),
        https_port: 443,
        omq_port: 22020,
        swarm_id: SwarmId(swarm),
        version: None,
    };
    let nodes = vec![
        node(3, 200),
        node(1, 100),
        node(2, 200),
        node(9, u64::MAX),
        node(1, 100),
    ];
    let map = SwarmMap::from_service_nodes(nodes);
    assert_eq!(map.swarm_ids(), &[SwarmId(100), SwarmId(200)]);
    assert_eq!(map.unassigned().len(), 1);
    let members: Vec<u8> = map
        .members(SwarmId(200))
        .unwrap()
        .iter()
        .map(|n| n.ed25519.as_bytes()[0])
        .collect();
    assert_eq!(members, vec![2, 3]);
    assert_eq!(map.members(SwarmId(100)).unwrap().len(), 1);
    // Session ID → swarm → nodes to contact.
    let id: SessionId = "050000000000000000000000000000000000000000000000000000000000000097"
        .parse()
        .unwrap();
    let (owner, contacts) = map.members_for(&id).unwrap();
    assert_eq!(owner, SwarmId(200));
    assert!(
        contacts
            .iter()
            .all(|n| n.swarm_id == owner && n.https_port == 443)
    );
    assert_eq!(map.swarm_of_node(&node(9, 0)), None);
}
