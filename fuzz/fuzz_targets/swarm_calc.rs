//! `calc_swarm_changes` (both policies), `nearest_swarm`, `swarm_range` and migration plans on
//! arbitrary maps: never panic; the scalable policy equals its plain reference; events replay.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use session_swarm::{
    Policy, SwarmId, SwarmMap, migration_plan, nearest_swarm, scalable_reference, swarm_range,
};

fn input(u: &mut Unstructured<'_>) -> Result<(BTreeMap<SwarmId, Vec<u16>>, u64, Vec<u64>)> {
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
    Ok((map, seed, spaces))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((map, seed, spaces)) = input(&mut u) else {
        return;
    };

    let mut oxend = map.clone();
    let _ = Policy::OxendCompat.calc_swarm_changes(&mut oxend, seed);

    let mut fast = map.clone();
    let mut plain = map.clone();
    assert_eq!(
        Policy::Scalable.calc_swarm_changes(&mut fast, seed),
        scalable_reference(&mut plain, seed)
    );
    assert_eq!(fast, plain);

    let ids: Vec<SwarmId> = map.keys().copied().collect();
    for &s in &spaces {
        if let Some(owner) = nearest_swarm(&ids, s) {
            let _ = swarm_range(&ids, owner);
        }
    }
    let before = SwarmMap::new(map);
    let after = SwarmMap::new(oxend);
    for me in before.swarms().values().flatten().take(8) {
        let _ = migration_plan(&before, &after, me);
    }
});
