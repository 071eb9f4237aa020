//! `std_sort` against permutations produced by GCC 12 libstdc++ `std::sort`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use session_swarm::compat::std_sort;

#[test]
fn matches_compiled_libstdcxx() {
    let data: Value =
        serde_json::from_str(include_str!("data/libstdcxx_sort_oracle.json")).unwrap();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() > 250);
    let mut adversarial = 0;
    for (n, case) in cases.iter().enumerate() {
        let sizes: Vec<u64> = case["sizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let expected: Vec<u64> = case["order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let mut v: Vec<(u64, u64)> = sizes
            .iter()
            .enumerate()
            .map(|(i, &s)| (i as u64, s))
            .collect();
        std_sort(&mut v, |a, b| a.1 < b.1);
        let got: Vec<u64> = v.iter().map(|p| p.0).collect();
        assert_eq!(got, expected, "case {n} ({} elements)", sizes.len());
        if case["kind"] == "adversarial" {
            adversarial += 1;
        }
    }
    assert_eq!(adversarial, 16);
}

mod props {
    use proptest::prelude::*;
    use session_swarm::compat::std_sort;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Sorted by size, and a permutation of the input.
        #[test]
        fn sorts(sizes in prop::collection::vec(0u8..12, 0..300)) {
            let mut v: Vec<(usize, u8)> = sizes.iter().copied().enumerate().collect();
            std_sort(&mut v, |a, b| a.1 < b.1);
            prop_assert!(v.windows(2).all(|w| w[0].1 <= w[1].1));
            let mut ids: Vec<usize> = v.iter().map(|e| e.0).collect();
            ids.sort_unstable();
            prop_assert_eq!(ids, (0..sizes.len()).collect::<Vec<_>>());
        }

        /// Long lists, where partitions go a block at a time: the same permutation as the
        /// partition loop run one exchange at a time.
        #[test]
        fn block_partitions_change_nothing(
            keys in 1u8..=16,
            sizes in prop::collection::vec(any::<u8>(), 500..3000),
        ) {
            let v: Vec<(usize, u8)> = sizes.iter().map(|s| s % keys).enumerate().collect();
            let mut got = v.clone();
            std_sort(&mut got, |a, b| a.1 < b.1);
            let mut want = v;
            session_swarm::testing::std_sort_one_exchange_at_a_time(&mut want, |a, b| a.1 < b.1);
            prop_assert_eq!(got, want);
        }

        /// An inconsistent comparator never panics and never loses elements.
        #[test]
        fn survives_inconsistent_comparators(n in 0usize..2000, bits in prop::collection::vec(any::<bool>(), 1..64)) {
            let mut v: Vec<usize> = (0..n).collect();
            let mut i = 0usize;
            std_sort(&mut v, |_, _| {
                i += 1;
                bits[i % bits.len()]
            });
            v.sort_unstable();
            prop_assert_eq!(v, (0..n).collect::<Vec<_>>());
        }
    }
}
