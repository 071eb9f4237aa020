//! End-to-end: `calc_swarm_changes` against oxend's own results (`swarm_scenarios.json`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use session_swarm::{Error, Policy, SwarmEvent, SwarmId, calc_swarm_changes, check_oxend_input};
use sha2::{Digest, Sha256};

fn pubkey(i: u64) -> [u8; 32] {
    Sha256::digest(i.to_le_bytes()).into()
}

fn u64s(v: &Value) -> u64 {
    v.as_str().unwrap().parse().unwrap()
}

fn nodes(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

fn input_map(s: &Value) -> BTreeMap<SwarmId, Vec<[u8; 32]>> {
    let mut map = BTreeMap::new();
    for (id, members) in s["input"]["swarms"].as_object().unwrap() {
        let keys: Vec<[u8; 32]> = nodes(members).into_iter().map(pubkey).collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "input lists are in pubkey order"
        );
        map.insert(SwarmId(id.parse().unwrap()), keys);
    }
    let unassigned: Vec<[u8; 32]> = nodes(&s["input"]["unassigned"])
        .into_iter()
        .map(pubkey)
        .collect();
    if !unassigned.is_empty() {
        map.insert(SwarmId::UNASSIGNED, unassigned);
    }
    map
}

fn expected_map(s: &Value) -> BTreeMap<SwarmId, Vec<[u8; 32]>> {
    s["expected_output"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, members)| {
            (
                SwarmId(id.parse().unwrap()),
                nodes(members).into_iter().map(pubkey).collect(),
            )
        })
        .collect()
}

/// A map of the oracle files: swarm id → integer node keys, in the file's order.
fn oracle_map(v: &Value) -> BTreeMap<SwarmId, Vec<u64>> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(id, m)| (SwarmId(id.parse().unwrap()), nodes(m)))
        .collect()
}

fn scenarios() -> Vec<Value> {
    let data: Value = serde_json::from_str(include_str!("data/swarm_scenarios.json")).unwrap();
    let samples = data["pubkey_samples"].as_object().unwrap();
    for (i, hex_key) in samples {
        assert_eq!(
            hex::encode(pubkey(i.parse().unwrap())),
            hex_key.as_str().unwrap()
        );
    }
    data["scenarios"].as_array().unwrap().clone()
}

#[test]
fn oxend_compat_reproduces_every_scenario_exactly() {
    let all = scenarios();
    assert_eq!(all.len(), 8);
    for s in &all {
        let mut map = input_map(s);
        check_oxend_input(&map).unwrap();
        calc_swarm_changes(&mut map, u64s(&s["seed"]));
        // Exact in-memory order of every vector, not just membership.
        assert_eq!(map, expected_map(s), "scenario {}", s["name"]);
    }
}

/// Every `summary` field, from the output map and from the returned events.
#[test]
fn scenario_summaries_match_the_output_and_the_events() {
    for s in &scenarios() {
        let name = &s["name"];
        let sum = &s["summary"];
        let count = |k: &str| sum[k].as_u64().unwrap() as usize;
        let ids = |k: &str| -> BTreeSet<SwarmId> {
            sum[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| SwarmId(u64s(v)))
                .collect()
        };
        let input = input_map(s);
        let assigned: BTreeMap<SwarmId, Vec<[u8; 32]>> = input
            .iter()
            .filter(|(id, _)| !id.is_unassigned())
            .map(|(id, v)| (*id, v.clone()))
            .collect();
        let unassigned = input.get(&SwarmId::UNASSIGNED).map_or(0, Vec::len);
        assert_eq!(
            input.values().map(Vec::len).sum::<usize>(),
            count("nodes"),
            "{name}"
        );
        assert_eq!(assigned.len(), count("swarms_in"), "{name}");
        let starving = assigned.values().filter(|v| v.len() < 5).count();
        assert_eq!(starving, count("starving_in"), "{name}");
        assert_eq!(unassigned, count("unassigned_in"), "{name}");

        let mut out = input.clone();
        let events = calc_swarm_changes(&mut out, u64s(&s["seed"]));
        assert_eq!(out.len(), count("swarms_out"), "{name}");
        assert_eq!(
            out.values().map(Vec::len).min().unwrap(),
            count("min_size_out")
        );
        assert_eq!(
            out.values().map(Vec::len).max().unwrap(),
            count("max_size_out")
        );
        let created: BTreeSet<SwarmId> = events
            .iter()
            .filter_map(|e| match e {
                SwarmEvent::SwarmCreated { swarm } => Some(*swarm),
                _ => None,
            })
            .collect();
        let dissolved: BTreeSet<SwarmId> = events
            .iter()
            .filter_map(|e| match e {
                SwarmEvent::SwarmDissolved { swarm } => Some(*swarm),
                _ => None,
            })
            .collect();
        assert_eq!(created, ids("new_swarm_ids"), "{name}");
        assert_eq!(dissolved, ids("removed_swarm_ids"), "{name}");
        let was: BTreeMap<&[u8; 32], SwarmId> = assigned
            .iter()
            .flat_map(|(id, v)| v.iter().map(move |k| (k, *id)))
            .collect();
        let moved = out
            .iter()
            .flat_map(|(id, v)| v.iter().map(move |k| (k, *id)))
            .filter(|(k, id)| was.get(k).is_some_and(|w| w != id))
            .count();
        assert_eq!(moved, count("nodes_moved"), "{name}");
    }
}

#[test]
fn a_stable_sort_changes_exactly_the_scenarios_the_vectors_flag() {
    let all = scenarios();
    let mut membership_differs = 0;
    for s in &all {
        let mut map = input_map(s);
        session_swarm::testing::oxend_with_stable_sort(&mut map, u64s(&s["seed"]));
        let expected = expected_map(s);
        assert_eq!(
            map != expected,
            s["stable_sort_variant_differs"].as_bool().unwrap(),
            "scenario {}",
            s["name"]
        );
        let members = |m: &BTreeMap<SwarmId, Vec<[u8; 32]>>| -> BTreeMap<SwarmId, Vec<[u8; 32]>> {
            m.iter()
                .map(|(id, v)| {
                    let mut v = v.clone();
                    v.sort_unstable();
                    (*id, v)
                })
                .collect()
        };
        let differs = members(&map) != members(&expected);
        assert_eq!(
            differs,
            s["stable_sort_variant_membership_differs"]
                .as_bool()
                .unwrap(),
            "scenario {}",
            s["name"]
        );
        membership_differs += usize::from(differs);
    }
    assert_eq!(membership_differs, 5);
    // The scalable policy's tie order is stable too: it cannot match oxend there either.
    for s in all.iter().filter(|s| {
        s["stable_sort_variant_membership_differs"]
            .as_bool()
            .unwrap()
    }) {
        let mut map = input_map(s);
        Policy::Scalable.calc_swarm_changes(&mut map, u64s(&s["seed"]));
        assert_ne!(map, expected_map(s));
    }
}

/// Maps with 19 to 432 swarms (churn, starving swarms, dissolutions), produced by a throwaway
/// C++ rendering of the spec's algorithm built on the real GCC 12 libstdc++ `std::sort`,
/// `std::map` and `std::mt19937_64` (see `tests/data/README.md`). Node keys are integers.
#[test]
fn oxend_compat_matches_the_libstdcxx_oracle_with_hundreds_of_swarms() {
    let data: Value =
        serde_json::from_str(include_str!("data/oracle_large_scenarios.json")).unwrap();
    let all = data["scenarios"].as_array().unwrap();
    assert_eq!(all.len(), 18);
    let (mut dissolving, mut big, mut stable_differs) = (0, 0, 0);
    for (n, s) in all.iter().enumerate() {
        let input = oracle_map(&s["input"]);
        let expected = oracle_map(&s["expected_output"]);
        let mut map = input.clone();
        calc_swarm_changes(&mut map, u64s(&s["seed"]));
        assert_eq!(map, expected, "oracle scenario {n}");
        let mut stable = input.clone();
        Policy::Scalable.calc_swarm_changes(&mut stable, u64s(&s["seed"]));
        stable_differs += usize::from(stable != expected);
        dissolving += usize::from(expected.len() < s["swarms_in"].as_u64().unwrap() as usize);
        big += usize::from(input.len() >= 200);
    }
    assert!(dissolving >= 3, "{dissolving}");
    assert!(big >= 9);
    assert!(stable_differs >= 15, "{stable_differs}");
}

#[test]
fn oxend_input_shape_is_checked() {
    let map = |v: Vec<(u64, Vec<u32>)>| {
        v.into_iter()
            .map(|(k, m)| (SwarmId(k), m))
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(
        check_oxend_input(&map(vec![(1, vec![1, 2]), (9, vec![3])])),
        Ok(())
    );
    assert_eq!(
        check_oxend_input(&map(vec![(1, vec![1, 2]), (9, vec![2, 3])])),
        Err(Error::DuplicateNode {
            first: SwarmId(1),
            second: SwarmId(9)
        })
    );
    assert_eq!(
        check_oxend_input(&map(vec![(1, vec![1, 3, 2])])),
        Err(Error::UnsortedMembers {
            swarm: SwarmId(1),
            position: 2
        })
    );
    assert_eq!(
        check_oxend_input(&map(vec![(4, vec![])])),
        Err(Error::EmptySwarm { swarm: SwarmId(4) })
    );
    assert_eq!(
        Error::EmptySwarm { swarm: SwarmId(4) }.to_string(),
        "swarm 4 has no members"
    );
}

/// Maps oxend never builds but must not choke on — empty swarms, unsorted member lists,
/// nodes listed twice, ids at both ends of the ring, a few swarms or a hundred — from the same
/// C++ oracle (each case also checked identical to the unmodified upstream code).
#[test]
fn oxend_compat_matches_the_oracle_on_odd_maps() {
    let data: Value =
        serde_json::from_str(include_str!("data/oracle_edge_scenarios.json")).unwrap();
    let all = data["scenarios"].as_array().unwrap();
    assert_eq!(all.len(), 120);
    let (mut malformed, mut ring_ends) = (0, 0);
    for (n, s) in all.iter().enumerate() {
        let input = oracle_map(&s["input"]);
        malformed += usize::from(check_oxend_input(&input).is_err());
        ring_ends += usize::from(input.keys().any(|id| id.0 < 4 || id.0 > u64::MAX - 6));
        let mut map = input.clone();
        calc_swarm_changes(&mut map, u64s(&s["seed"]));
        assert_eq!(map, oracle_map(&s["expected_output"]), "edge scenario {n}");
    }
    assert!(malformed >= 40, "{malformed}");
    assert!(ring_ends >= 30, "{ring_ends}");
}
