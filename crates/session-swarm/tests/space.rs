//! `nearest_swarm` and `swarm_range` against a brute-force definition, on random id sets with
//! ids at both ends of the ring, and on malformed (unsorted, duplicate) slices.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use session_swarm::{SpaceInterval, SwarmId, nearest_swarm, swarm_range};

/// The definition: the id at the smallest ring distance; of two at the same distance, the one
/// `space` lies clockwise of (the lower/left neighbour).
fn brute_nearest(ids: &[SwarmId], space: u64) -> Option<SwarmId> {
    ids.iter().copied().min_by_key(|id| {
        let back = space.wrapping_sub(id.0); // distance if `id` is left of `space`
        let fwd = id.0.wrapping_sub(space); // distance if `id` is right of `space`
        let d = back.min(fwd);
        // Ties: prefer the left neighbour (reached going back by exactly d).
        (d, back != d)
    })
}

fn ids_strategy() -> impl Strategy<Value = Vec<SwarmId>> {
    prop::collection::btree_set(
        prop_oneof![
            any::<u64>(),
            0u64..8,
            (u64::MAX - 8)..=u64::MAX - 1,
            Just(1u64 << 63),
            Just((1u64 << 63) - 1),
        ],
        1..12,
    )
    .prop_map(|s| s.into_iter().map(SwarmId).collect())
}

/// Positions worth probing: the ids, their neighbours, the midpoints' surroundings and randoms.
fn probes(ids: &[SwarmId], random: &[u64]) -> Vec<u64> {
    let mut out = random.to_vec();
    out.extend([0, 1, u64::MAX, u64::MAX - 1, 1 << 63]);
    for (i, a) in ids.iter().enumerate() {
        let b = ids[(i + 1) % ids.len()];
        let mid = a.0.wrapping_add(b.0.wrapping_sub(a.0) / 2);
        for d in 0..3u64 {
            out.extend([
                a.0.wrapping_add(d),
                a.0.wrapping_sub(d),
                mid.wrapping_add(d),
                mid.wrapping_sub(d),
            ]);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn nearest_swarm_is_the_nearest_with_ties_to_the_left(ids in ids_strategy(), random in prop::collection::vec(any::<u64>(), 0..16)) {
        for space in probes(&ids, &random) {
            prop_assert_eq!(nearest_swarm(&ids, space), brute_nearest(&ids, space), "space {}", space);
        }
    }

    /// Every position lies in exactly one swarm's range, and that swarm is its nearest.
    #[test]
    fn ranges_partition_the_ring_consistently(ids in ids_strategy(), random in prop::collection::vec(any::<u64>(), 0..16)) {
        let ranges: Vec<(SwarmId, Vec<SpaceInterval>)> = ids
            .iter()
            .map(|&id| {
                let (lo, hi) = swarm_range(&ids, id).unwrap();
                (id, SpaceInterval::from_range(lo, hi).into_iter().flatten().collect())
            })
            .collect();
        for space in probes(&ids, &random) {
            let owners: Vec<SwarmId> = ranges
                .iter()
                .filter(|(_, ivs)| ivs.iter().any(|iv| iv.contains(space)))
                .map(|(id, _)| *id)
                .collect();
            prop_assert_eq!(owners, vec![nearest_swarm(&ids, space).unwrap()], "space {}", space);
        }
        // Whole-ring widths add up to 2^64.
        let width: u128 = ranges
            .iter()
            .flat_map(|(_, ivs)| ivs.iter())
            .map(|iv| u128::from(iv.last - iv.first) + 1)
            .sum();
        prop_assert_eq!(width, 1u128 << 64);
        prop_assert_eq!(swarm_range(&ids, SwarmId::UNASSIGNED), None);
    }

    /// Slices that break the contract (unsorted, duplicates, the UNASSIGNED sentinel) give some
    /// answer from the slice, never a panic.
    #[test]
    fn malformed_slices_never_panic(ids in prop::collection::vec(prop_oneof![any::<u64>(), Just(u64::MAX), 0u64..4], 0..16), space in any::<u64>()) {
        let ids: Vec<SwarmId> = ids.into_iter().map(SwarmId).collect();
        match nearest_swarm(&ids, space) {
            Some(owner) => prop_assert!(ids.contains(&owner)),
            None => prop_assert!(ids.is_empty()),
        }
        for &id in &ids {
            let _ = swarm_range(&ids, id);
        }
    }
}

#[test]
fn from_range_splits_wrapping_ranges() {
    let iv = |first, last| Some(SpaceInterval { first, last });
    assert_eq!(
        SpaceInterval::from_range(7, 7),
        [Some(SpaceInterval::ALL), None]
    );
    assert_eq!(SpaceInterval::from_range(10, 20), [iv(11, 20), None]);
    assert_eq!(
        SpaceInterval::from_range(u64::MAX - 1, 5),
        [iv(u64::MAX, u64::MAX), iv(0, 5)]
    );
    // (2^64 − 1, 50] wraps to [0, 50] only (storage server: nothing exceeds 2^64 − 1).
    assert_eq!(SpaceInterval::from_range(u64::MAX, 50), [None, iv(0, 50)]);
    assert_eq!(
        iv(0, 10).unwrap().intersect(&iv(10, 20).unwrap()),
        iv(10, 10)
    );
    assert_eq!(iv(0, 9).unwrap().intersect(&iv(10, 20).unwrap()), None);
}

#[test]
fn intervals_display_as_fixed_width_hex() {
    let iv = SpaceInterval {
        first: 0x10,
        last: u64::MAX,
    };
    assert_eq!(iv.to_string(), "[0x0000000000000010, 0xffffffffffffffff]");
}
