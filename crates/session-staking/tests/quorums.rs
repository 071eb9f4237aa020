//! Quorum selection: the vectors of `data/quorums.json` (every case, every member) and
//! property tests (members distinct, drawn from the right lists, same hash → same quorum).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use serde_json::Value;
use session_core::compat::Mt19937_64;
use session_staking::crypto::PublicKey;
use session_staking::quorum::*;
use session_staking::{HardFork, ServiceNodePubkey as NodeKey};

fn key(v: &Value) -> NodeKey {
    PublicKey(hash(v))
}

fn hash(v: &Value) -> [u8; 32] {
    let s = v.as_str().unwrap();
    let mut k = [0u8; 32];
    for (i, b) in k.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    k
}

fn keys(v: &Value) -> Vec<NodeKey> {
    v.as_array().unwrap().iter().map(key).collect()
}

#[test]
fn quorum_vectors() {
    let data: Value = serde_json::from_str(include_str!("data/quorums.json")).unwrap();
    let cases = data["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 48);
    for case in cases {
        let hf =
            HardFork::from_version(u8::try_from(case["hf"].as_u64().unwrap()).unwrap()).unwrap();
        let height = case["height"].as_u64().unwrap();
        let hash = hash(&case["hash"]);
        let active = keys(&case["active"]);
        let decommissioned = keys(&case["decommissioned"]);
        let obligations = obligations_quorum(hf, &hash, &active, &decommissioned);
        assert_eq!(
            obligations.validators,
            keys(&case["obligations"]["validators"]),
            "{hf} {height}"
        );
        assert_eq!(
            obligations.workers,
            keys(&case["obligations"]["workers"]),
            "{hf} {height}"
        );
        if hf >= HardFork::Hf13 {
            let cp = checkpointing_quorum(
                session_core::Network::Mainnet,
                hf,
                height,
                &hash,
                &active,
                &decommissioned,
            );
            match &case["checkpointing"] {
                Value::Null => assert_eq!(cp, None),
                v => {
                    let q = cp.unwrap();
                    assert_eq!(q.validators, keys(v));
                    assert!(q.workers.is_empty());
                }
            }
        }
        if hf >= HardFork::Hf14 {
            let with_unlocks: Vec<(NodeKey, Option<u64>)> =
                active.iter().map(|k| (*k, None)).collect();
            let blink = blink_quorum(hf, height, &hash, &with_unlocks);
            match &case["blink"] {
                Value::Null => assert_eq!(blink, None),
                v => assert_eq!(blink.unwrap().validators, keys(v)),
            }
        }
    }
}

#[test]
fn seeding_by_era() {
    let hash: [u8; 32] = core::array::from_fn(|i| u8::try_from(i).unwrap());
    // Before HF16: the hash's first 8 bytes, little-endian, plus the quorum type.
    let mut pre = quorum_rng(HardFork::Hf15, &hash, QuorumType::Blink);
    let mut direct = Mt19937_64::new(u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]) + 2);
    assert_eq!(pre.next_u64(), direct.next_u64());
    // From HF16: std::seed_seq over [type, 8 LE words of the hash] (libstdc++ outputs).
    let expected: [[u64; 3]; 4] = [
        [
            5_684_039_678_701_183_362,
            9_060_465_443_362_558_873,
            9_700_664_735_160_225_102,
        ],
        [
            8_018_770_411_282_620_334,
            6_976_561_341_289_355_288,
            7_758_639_096_590_354_030,
        ],
        [
            15_084_704_536_430_730_473,
            17_683_063_956_011_404_783,
            827_446_434_882_111_615,
        ],
        [
            6_989_409_862_930_718_931,
            18_134_698_969_233_182_134,
            7_918_756_237_817_033_738,
        ],
    ];
    let kinds = [
        QuorumType::Obligations,
        QuorumType::Checkpointing,
        QuorumType::Blink,
        QuorumType::Pulse,
    ];
    for (kind, want) in kinds.into_iter().zip(expected) {
        let mut rng = quorum_rng(HardFork::Hf16, &hash, kind);
        let got = [rng.next_u64(), rng.next_u64(), rng.next_u64()];
        assert_eq!(got, want, "{kind:?}");
    }
}

#[test]
fn sublist_shuffle_only_when_both_bounds_are_inside() {
    let hash = [3u8; 32];
    let whole = shuffled_indices(HardFork::Hf16, 40, &hash, QuorumType::Obligations, 0, 0);
    for (size, up_to) in [(0, 20), (40, 20), (10, 0), (10, 40), (41, 20)] {
        let got = shuffled_indices(
            HardFork::Hf16,
            40,
            &hash,
            QuorumType::Obligations,
            size,
            up_to,
        );
        assert_eq!(got, whole, "({size}, {up_to})");
    }
    // Inside: the first 10 come from 0..20 only.
    let split = shuffled_indices(HardFork::Hf16, 40, &hash, QuorumType::Obligations, 10, 20);
    assert_ne!(split, whole);
    assert!(split[..10].iter().all(|&i| i < 20));
}

#[test]
fn workers_are_one_percent_of_the_rest_above_5_000() {
    let hash = [9u8; 32];
    let keys = |n: u64| {
        sorted_keys(
            &(0..n)
                .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
                .collect::<Vec<_>>(),
        )
    };
    // max(50, (nodes - 10 validators) / 100): 50 up to 5,109 nodes, 51 from 5,110.
    for (nodes, workers) in [(5_095u64, 50usize), (5_109, 50), (5_110, 51), (20_000, 199)] {
        let q = obligations_quorum(HardFork::Hf19, &hash, &keys(nodes), &[]);
        assert_eq!(
            (q.validators.len(), q.workers.len()),
            (10, workers),
            "{nodes}"
        );
    }
}

#[test]
fn blink_leaves_out_nodes_about_to_unlock() {
    let hash = [7u8; 32];
    let nodes: Vec<(NodeKey, Option<u64>)> = (0..12u8)
        .map(|i| {
            (
                PublicKey([i; 32]),
                if i < 5 {
                    // Quorum height + 45: 35 blocks of lag plus 10 of margin.
                    Some(1_045)
                } else {
                    None
                },
            )
        })
        .collect();
    let q = blink_quorum(HardFork::Hf14, 1_000, &hash, &nodes).unwrap();
    assert_eq!(q.validators.len(), 7);
    assert!(q.validators.iter().all(|k| k.0[0] >= 5));
    // One block later the same unlock height is past the buffer: everyone qualifies.
    let later: Vec<_> = nodes.iter().map(|(k, u)| (*k, u.map(|h| h + 1))).collect();
    assert_eq!(
        blink_quorum(HardFork::Hf14, 1_000, &hash, &later)
            .unwrap()
            .validators
            .len(),
        10
    );
    assert_eq!(blink_quorum(HardFork::Hf14, 1_001, &hash, &later), None);
    let few = &later[..6];
    assert_eq!(
        blink_quorum(HardFork::Hf14, 1_000, &hash, few).unwrap(),
        Quorum::default()
    );
    assert_eq!(QuorumType::max_for(HardFork::Hf12), QuorumType::Obligations);
    assert_eq!(
        QuorumType::max_for(HardFork::Hf13),
        QuorumType::Checkpointing
    );
    assert_eq!(QuorumType::max_for(HardFork::Hf14), QuorumType::Blink);
    assert_eq!(QuorumType::max_for(HardFork::Hf15), QuorumType::Blink);
    assert_eq!(QuorumType::max_for(HardFork::Hf16), QuorumType::Pulse);
}

fn sorted_keys(seeds: &[u64]) -> Vec<NodeKey> {
    let mut keys: Vec<NodeKey> = seeds
        .iter()
        .map(|s| {
            let mut k = [0u8; 32];
            k[..8].copy_from_slice(&s.to_le_bytes());
            PublicKey(k)
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

proptest! {
    #[test]
    fn quorum_members_are_distinct_and_from_the_right_lists(
        hf in prop::sample::select(vec![HardFork::Hf12, HardFork::Hf14, HardFork::Hf16, HardFork::Hf19]),
        active in prop::collection::vec(any::<u64>(), 0..150),
        decommissioned in prop::collection::vec(any::<u64>(), 0..30),
        hash in any::<[u8; 32]>(),
        height in any::<u32>(),
    ) {
        let active = sorted_keys(&active);
        let decommissioned: Vec<NodeKey> = sorted_keys(&decommissioned)
            .into_iter()
            .filter(|k| active.binary_search(k).is_err())
            .collect();
        let q = obligations_quorum(hf, &hash, &active, &decommissioned);
        prop_assert_eq!(q.validators.len(), active.len().min(10));
        prop_assert!(q.validators.iter().all(|k| active.binary_search(k).is_ok()));
        prop_assert!(q.workers.iter().all(|k| active.binary_search(k).is_ok() || decommissioned.binary_search(k).is_ok()));
        let mut all: Vec<NodeKey> = q.validators.iter().chain(&q.workers).copied().collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        prop_assert_eq!(all.len(), n);
        let rest = active.len() + decommissioned.len() - q.validators.len();
        prop_assert_eq!(q.workers.len(), rest.min(50.max(rest / 100)));
        // Same hash, same quorum; the other quorum kinds likewise.
        prop_assert_eq!(&obligations_quorum(hf, &hash, &active, &decommissioned), &q);
        let height = u64::from(height);
        let cp = checkpointing_quorum(session_core::Network::Mainnet, hf, height, &hash, &active, &decommissioned);
        prop_assert_eq!(cp.is_some(), (height + 11) % 4 == 0);
        if let Some(cp) = cp {
            let mut v = cp.validators.clone();
            prop_assert_eq!(v.len(), if active.len() >= 20 { 20 } else { 0 });
            prop_assert!(v.iter().all(|k| active.binary_search(k).is_ok()));
            v.sort_unstable();
            v.dedup();
            prop_assert_eq!(v.len(), cp.validators.len());
        }
        let with_unlocks: Vec<(NodeKey, Option<u64>)> = active.iter().map(|k| (*k, None)).collect();
        if let Some(b) = blink_quorum(hf, height, &hash, &with_unlocks) {
            prop_assert!(b.validators.iter().all(|k| active.binary_search(k).is_ok()));
            prop_assert_eq!(b.validators.len(), if active.len() >= 7 { active.len().min(10) } else { 0 });
        }
    }

    #[test]
    fn shuffle_is_a_permutation(len in 0usize..300, seed in any::<u64>()) {
        let mut items: Vec<usize> = (0..len).collect();
        shuffle_portable(&mut items, &mut Mt19937_64::new(seed));
        items.sort_unstable();
        prop_assert_eq!(items, (0..len).collect::<Vec<_>>());
    }
}
