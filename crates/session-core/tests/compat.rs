//! Every vector of `compat.json`: oxend's `std::mt19937_64`, `uniform_distribution_portable`
//! and block-hash seed, reproduced bit for bit.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use session_core::compat::{Mt19937_64, seed_from_block_hash, uniform_index, uniform_portable};

fn data() -> Value {
    serde_json::from_str(include_str!("data/compat.json")).unwrap()
}

fn num(v: &Value) -> u64 {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn mt19937_64() {
    let d = data();
    let cases = d["mt19937_64"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for case in cases {
        let mut mt = Mt19937_64::new(num(&case["seed"]));
        if let Some(outputs) = case["first_outputs"].as_array() {
            assert_eq!(outputs.len(), 5);
            for out in outputs {
                assert_eq!(mt.next_u64(), num(out));
            }
        } else {
            let n = case["index_1based"].as_u64().unwrap();
            let last = (0..n).map(|_| mt.next_u64()).last().unwrap();
            assert_eq!(last, num(&case["value"]));
        }
    }
}

#[test]
fn uniform_distribution_portable() {
    let d = data();
    let cases = d["uniform_distribution_portable"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let seed = num(&case["seed"]);
        if let Some(raw) = case["raw_outputs_first_20"].as_array() {
            assert_eq!(raw.len(), 20);
            let mut mt = Mt19937_64::new(seed);
            for r in raw {
                assert_eq!(mt.next_u64(), num(r));
            }
        }
        let ns = case["n_sequence"].as_array().unwrap();
        let expected = case["expected"].as_array().unwrap();
        assert_eq!(ns.len(), expected.len());
        if let Some(secure_max) = case.get("secureMax").map(num) {
            // The rejection threshold of the first n, replayed by hand on the raw outputs: the
            // outputs at or above it are skipped, the others divided by secureMax / n.
            let n = num(&ns[0]);
            assert_eq!(secure_max, u64::MAX - u64::MAX % n);
            let raw: Vec<u64> = case["raw_outputs_first_20"]
                .as_array()
                .unwrap()
                .iter()
                .map(num)
                .collect();
            let accepted: Vec<u64> = raw
                .iter()
                .filter(|&&x| x < secure_max)
                .map(|x| x / (secure_max / n))
                .collect();
            let same_n = ns.iter().take_while(|v| num(v) == n).count();
            assert!(accepted.len() >= same_n && raw.len() > accepted.len());
            let want: Vec<u64> = expected[..same_n].iter().map(num).collect();
            assert_eq!(accepted[..same_n], want[..]);
        }
        let mut mt = Mt19937_64::new(seed);
        let mut by_index = Mt19937_64::new(seed);
        for (n, e) in ns.iter().zip(expected) {
            assert_eq!(
                uniform_portable(&mut mt, num(n)),
                num(e),
                "seed {seed} n {n}"
            );
            // The usize form draws the same numbers (all n of the vectors fit in usize).
            let n = usize::try_from(num(n)).unwrap();
            assert_eq!(uniform_index(&mut by_index, n) as u64, num(e));
        }
    }
}

#[test]
fn pick_from_excess_pool() {
    let d = data();
    let v = &d["pick_from_excess_pool"];
    let mut mt = Mt19937_64::new(num(&v["seed"]));
    assert_eq!(
        uniform_portable(&mut mt, v["pool_size"].as_u64().unwrap()),
        v["expected_index"].as_u64().unwrap()
    );
}

#[test]
fn block_hash_seed_example() {
    let d = data();
    let v = &d["block_hash_seed_example"];
    let hash: [u8; 32] = hex::decode(v["block_hash_hex"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(seed_from_block_hash(&hash), num(&v["seed"]));
}

#[test]
fn zero_range_draws_nothing() {
    let mut a = Mt19937_64::new(9);
    let mut b = Mt19937_64::new(9);
    assert_eq!(uniform_portable(&mut a, 0), 0);
    assert_eq!(uniform_index(&mut a, 0), 0);
    // The generator did not advance.
    assert_eq!(a.next_u64(), b.next_u64());
    assert_eq!(uniform_portable(&mut a, 1), 0);
    // n = 1 draws (and accepts) one output.
    b.next_u64();
    assert_eq!(a.next_u64(), b.next_u64());
}

#[test]
fn debug_shows_position_only() {
    let mut mt = Mt19937_64::new(1);
    assert_eq!(format!("{mt:?}"), "Mt19937_64 { index: 312, .. }");
    mt.next_u64();
    assert_eq!(format!("{mt:?}"), "Mt19937_64 { index: 1, .. }");
}
