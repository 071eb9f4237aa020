//! Fuzz the stateful swarm networks of `session-swarm` with arbitrary registrations,
//! deregistrations and blocks: `OxendSwarms` and `ScalableSwarms` never panic,
//! `ScalableSwarms::rebalance` gives the events and swarms `Policy::Scalable` gives on the
//! same map (member lists in ascending order), every node is in at most one swarm, and each
//! block's migration plans can be computed for every node.
#![no_main]
use std::collections::BTreeSet;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use session_swarm::{
    OxendSwarms, Policy, ScalableSwarms, SwarmId, SwarmMap, check_oxend_input, migration_plan,
};

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let mut oxend: OxendSwarms<u16> = OxendSwarms::new();
    let mut scalable: ScalableSwarms<u16> = ScalableSwarms::new();
    for _ in 0..u.int_in_range(0..=40u8)? {
        match u.int_in_range(0..=3u8)? {
            0 | 1 => {
                for _ in 0..u.int_in_range(0..=30u8)? {
                    let node = u.int_in_range(0..=300u16)?;
                    assert_eq!(oxend.add_node(node), scalable.add_node(node));
                }
            }
            2 => {
                for _ in 0..u.int_in_range(0..=10u8)? {
                    let node = u.int_in_range(0..=300u16)?;
                    let _ = oxend.remove_node(&node);
                    let _ = scalable.remove_node(&node);
                }
            }
            _ => {
                let seed: u64 = u.arbitrary()?;
                let before = SwarmMap::new(oxend.to_map());
                let mut reference = scalable.to_map();
                let expected = Policy::Scalable.calc_swarm_changes(&mut reference, seed);
                reference.remove(&SwarmId::UNASSIGNED);
                // ScalableSwarms puts member lists back in ascending order after each block
                // (as oxend rebuilds them); the plain-map call leaves them in placement order.
                for members in reference.values_mut() {
                    members.sort_unstable();
                }
                assert_eq!(scalable.rebalance(seed), expected);
                assert_eq!(scalable.swarms(), &reference);
                oxend.rebalance(seed);
                check_oxend_input(oxend.swarms()).expect("oxend's map stays valid input");
                let after = SwarmMap::new(oxend.to_map());
                for me in before.swarms().values().flatten().take(64) {
                    let _ = migration_plan(&before, &after, me);
                }
            }
        }
        for net in [oxend.swarms(), scalable.swarms()] {
            let mut seen = BTreeSet::new();
            for members in net.values() {
                for m in members {
                    assert!(seen.insert(*m), "node {m} in two swarms");
                }
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
