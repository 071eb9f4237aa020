//! Tour section: swarms — which swarm stores whose messages, and one block of rebalancing.

use std::collections::BTreeMap;

use session_infra::common::identity::Identity;
use session_infra::common::{SessionId, SessionSeed};
use session_infra::swarm::compat::seed_from_block_hash;
use session_infra::swarm::{
    SwarmEvent, SwarmId, SwarmMap, calc_swarm_changes, migration_plan, swarm_space,
};

/// A service node, named for readability (real nodes are keyed by their Ed25519 pubkey).
fn node(i: u32) -> String {
    format!("sn{i:02}")
}

/// Maps a few Session IDs to swarms, then runs one oxend-exact rebalancing step.
pub fn run() {
    println!("== 4. Swarms: who stores whose messages");
    // A small network: 30 registered nodes placed by oxend's rules from an empty map.
    let mut swarms: BTreeMap<SwarmId, Vec<String>> = BTreeMap::new();
    let mut new_nodes: Vec<String> = (0..30).map(node).collect();
    new_nodes.sort();
    swarms.insert(SwarmId::UNASSIGNED, new_nodes);
    calc_swarm_changes(&mut swarms, 1);
    for (id, members) in &swarms {
        println!(
            "   swarm {:>20}  {} members: {}",
            id,
            members.len(),
            members.join(" ")
        );
    }
    let map = SwarmMap::new(swarms.clone());
    for seed in [[0u8; 16], [1u8; 16], [2u8; 16]] {
        let id: SessionId = Identity::from_seed(SessionSeed::from_bytes(seed)).session_id();
        let (owner, members) = map.members_for(&id).unwrap();
        let (lo, hi) = map.range(owner).unwrap();
        println!(
            "   {}…  space {:>20} -> swarm {:>20} (owns ({lo}, {hi}]), {} members",
            &id.to_string()[..12],
            swarm_space(id.key()),
            owner,
            members.len()
        );
    }

    // One block: six nodes leave one swarm, one new node registers.
    let before = swarms.clone();
    let victim = *swarms.keys().next().unwrap();
    swarms.get_mut(&victim).unwrap().truncate(3);
    swarms.insert(SwarmId::UNASSIGNED, vec![node(30)]);
    let mut hash = [0u8; 32];
    hash[..8].copy_from_slice(&[0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]);
    let seed = seed_from_block_hash(&hash);
    println!("   block with seed {seed}: swarm {victim} drops to 3 members, sn30 registers");
    let events = calc_swarm_changes(&mut swarms, seed);
    for e in &events {
        match e {
            SwarmEvent::NodeJoined { node, swarm } => println!("     {node} joins swarm {swarm}"),
            SwarmEvent::NodeMoved { node, from, to } => {
                println!("     {node} moves from swarm {from} to swarm {to}")
            }
            SwarmEvent::SwarmCreated { swarm } => println!("     swarm {swarm} created"),
            SwarmEvent::SwarmDissolved { swarm } => println!("     swarm {swarm} dissolved"),
            _ => {}
        }
    }
    // What a member of a swarm that gained a node must push.
    let old = SwarmMap::new(before);
    let new = SwarmMap::new(swarms);
    if let Some(SwarmEvent::NodeJoined { swarm, .. }) = events.first() {
        let me = &new.members(*swarm).unwrap()[0];
        let plan = migration_plan(&old, &new, me);
        for push in &plan.pushes {
            let ranges: Vec<String> = push.intervals.iter().map(ToString::to_string).collect();
            println!(
                "     {me} pushes swarm {}'s records in {} to {}",
                push.swarm,
                ranges.join(" ∪ "),
                push.to
            );
        }
    }
    println!();
}
