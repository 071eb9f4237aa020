//! Chapter 4: churn. Operators unlock their stakes, Bob's swarm is left starving with no node
//! to borrow, the swarm rules dissolve it, and every node follows its migration plan so the
//! message reaches the swarm that now owns Bob's part of the ring.

use std::collections::BTreeSet;

use chacha20::ChaCha20Rng;
use session_infra::common::{Ed25519PublicKey, MessageHash};
use session_infra::storage::{MessageReader, replication};
use session_infra::swarm::{MIN_SWARM_SIZE, SwarmEvent, migration_plan};

use crate::narrate::{Narrator, swarm_name};
use crate::network::Network;
use crate::users::User;

pub fn dissolve_swarm_of(
    net: &mut Network,
    owner: &User,
    hash: &MessageHash,
    rng: &mut ChaCha20Rng,
    out: &mut Narrator,
) {
    out.chapter("Churn: Bob's swarm dissolves");
    let id = owner.identity.session_id();
    let (swarm, members) = net.swarm_for(&id);
    let old = net.map();
    let before = net.nodes.len();

    // One big operator unlocks its stakes: all but one node of Bob's swarm, and the nodes
    // that gave every other swarm more than the minimum.
    let mut leaving: Vec<Ed25519PublicKey> = members.iter().skip(1).copied().collect();
    let from_bobs = leaving.len();
    for (other, nodes) in old.swarms() {
        if *other != swarm {
            leaving.extend(nodes.iter().skip(MIN_SWARM_SIZE).copied());
        }
    }
    for k in &leaving {
        net.swarms.remove_node(k);
    }
    let events = net.next_block(rng);
    let new = net.map();
    out.step(format!(
        "Block {}: an operator unlocks {} nodes: {from_bobs} of the {} in swarm {} and every \
         node above the minimum of {MIN_SWARM_SIZE} elsewhere ({before} -> {} nodes).",
        net.height,
        leaving.len(),
        members.len(),
        swarm_name(swarm),
        before - leaving.len()
    ));

    let survivor = members.first().expect("a swarm has members");
    let moved_to = events.iter().find_map(|e| match e {
        SwarmEvent::NodeMoved { node, from, to } if node == survivor && *from == swarm => Some(*to),
        _ => None,
    });
    let dissolved = events.contains(&SwarmEvent::SwarmDissolved { swarm });
    assert!(
        dissolved,
        "the rules dissolve a starving swarm nobody can refill"
    );
    let (new_swarm, new_members) = net.swarm_for(&id);
    out.step(format!(
        "The swarm rules find swarm {} starving (1 member, minimum {MIN_SWARM_SIZE}) and no \
         swarm with a node to spare, so they dissolve it: {} moves to swarm {}, and {}'s part \
         of the ring now belongs to swarm {} ({}).",
        swarm_name(swarm),
        net.name(survivor),
        moved_to.map_or_else(|| "?".into(), swarm_name),
        owner.name,
        swarm_name(new_swarm),
        net.names(&new_members)
    ));

    // Every node that held records compares the two maps and pushes what others now own;
    // leaving nodes hand their records over before they go.
    let now = net.now;
    let (mut senders, mut copies) = (BTreeSet::new(), 0);
    for me in old.swarms().values().flatten() {
        let plan = migration_plan(&old, &new, me);
        let outgoing = replication::outgoing_for_plan(&net.nodes[me].store, &plan, now)
            .expect("the store can export");
        if outgoing.is_empty() {
            continue;
        }
        senders.insert(*me);
        let to: Vec<Ed25519PublicKey> = outgoing.iter().map(|p| p.to).collect();
        out.detail(format!(
            "{}: its plan says {} now own part of its old range: it sends them {} message(s)",
            net.name(me),
            net.names(&to),
            outgoing.iter().map(|p| p.messages).max().unwrap_or(0)
        ));
        for peer in outgoing {
            for batch in &peer.batches {
                let target = &mut net.nodes.get_mut(&peer.to).expect("a node").store;
                let stats = replication::receive(target, batch, now).expect("a valid batch");
                copies += stats.inserted;
            }
        }
    }
    let holders = new_members
        .iter()
        .filter(|m| matches!(net.nodes[*m].store.get_by_hash(hash, now), Ok(Some(_))))
        .count();
    assert_eq!(holders, new_members.len(), "no member may miss the message");
    out.step(format!(
        "Each node derives its migration plan from the old and new swarm maps: {} former \
         members of swarm {} push the message (receivers keep one copy each: {copies} \
         stored), and all {holders} members of swarm {} now hold it.",
        senders.len(),
        swarm_name(swarm),
        swarm_name(new_swarm),
    ));
    for k in &leaving {
        net.nodes.remove(k);
    }
}
