//! `calc_swarm_changes` (both policies), the oxend steps, `nearest_swarm`, `swarm_range` and
//! migration plans on arbitrary maps and arbitrary (unsorted, duplicate) id slices: never panic;
//! the scalable policy equals its plain reference; an owner's range holds the position; a
//! node's plan from the block's added swarms equals its full plan.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use session_swarm::compat::Mt19937_64;
use session_swarm::{
    Policy, SpaceInterval, SwarmId, SwarmMap, added_swarms, migration_plan, migration_plan_with,
    nearest_swarm, steps, swarm_range,
};

type Input = (BTreeMap<SwarmId, Vec<u16>>, u64, Vec<u64>, Vec<SwarmId>);

fn input(u: &mut Unstructured<'_>) -> Result<Input> {
    let mut map = BTreeMap::new();
    let swarms = u.int_in_range(0..=48u8)?;
    for _ in 0..swarms {
        // Ids near the ring ends and UNASSIGNED are the interesting ones.
        let id = match u.int_in_range(0..=3u8)? {
            0 => u64::MAX - u64::from(u.int_in_range(0..=3u8)?),
            1 => u64::from(u.int_in_range(0..=8u8)?),
            _ => u.arbitrary()?,
        };
        let len = u.int_in_range(0..=24u8)?;
        let members = (0..len)
            .map(|_| u.int_in_range(0..=400u16))
            .collect::<Result<Vec<_>>>()?;
        map.insert(SwarmId(id), members);
    }
    let seed = u.arbitrary()?;
    let spaces = (0..u.int_in_range(0..=16u8)?)
        .map(|_| u.arbitrary())
        .collect::<Result<Vec<_>>>()?;
    // A slice that need not be sorted or distinct (the functions' contract, not their input).
    let raw_ids = (0..u.int_in_range(0..=12u8)?)
        .map(|_| u.arbitrary().map(SwarmId))
        .collect::<Result<Vec<_>>>()?;
    Ok((map, seed, spaces, raw_ids))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((map, seed, spaces, raw_ids)) = input(&mut u) else {
        return;
    };

    let mut oxend = map.clone();
    let _ = Policy::OxendCompat.calc_swarm_changes(&mut oxend, seed);

    let mut fast = map.clone();
    let mut plain = map.clone();
    assert_eq!(
        Policy::Scalable.calc_swarm_changes(&mut fast, seed),
        session_swarm::testing::scalable_reference(&mut plain, seed)
    );
    assert_eq!(fast, plain);

    // The oxend steps on their own, with any percentile or threshold.
    let mut steps_map = map.clone();
    let mut mt = Mt19937_64::new(seed);
    let percentile = usize::from(u.arbitrary::<u8>().unwrap_or(0));
    let threshold = usize::from(u.arbitrary::<u8>().unwrap_or(0));
    let nodes: Vec<u16> = spaces.iter().map(|&s| s as u16).collect();
    let _ = steps::excess_pool(threshold, &steps_map);
    let _ = steps::assign_nodes(&mut steps_map, nodes, &mut mt, percentile);
    let _ = steps::create_new_swarm_from_excess(&mut steps_map, &mut mt);

    let ids: Vec<SwarmId> = map
        .keys()
        .copied()
        .filter(|id| !id.is_unassigned())
        .collect();
    for &s in &spaces {
        if let Some(owner) = nearest_swarm(&ids, s) {
            let (lo, hi) = swarm_range(&ids, owner).expect("owner is listed");
            let held = SpaceInterval::from_range(lo, hi);
            assert!(held.iter().flatten().any(|iv| iv.contains(s)));
        }
        if let Some(owner) = nearest_swarm(&raw_ids, s) {
            assert!(raw_ids.contains(&owner));
        }
        for &id in &raw_ids {
            let _ = swarm_range(&raw_ids, id);
        }
    }
    let before = SwarmMap::new(map);
    let after = SwarmMap::new(oxend);
    let added = added_swarms(&before, &after);
    for me in before.swarms().values().flatten().take(8) {
        let plan = migration_plan(&before, &after, me);
        assert_eq!(migration_plan_with(&before, &after, me, &added), plan);
    }
});
