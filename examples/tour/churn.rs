//! Chapter 4: churn. Operators unlock their stakes, Bob's swarm is left starving with no node
//! to borrow, the swarm rules dissolve it, and every node, given the new node list, pushes
//! what others now own, so the message reaches the swarm that now owns Bob's part of the ring.

use std::collections::BTreeSet;

use chacha20::ChaCha20Rng;
use session_infra::common::{Ed25519PublicKey, MessageHash, SwarmId};
use session_infra::storage::MessageReader;
use session_infra::swarm::{MIN_SWARM_SIZE, SwarmEvent};

use crate::narrate::{Narrator, swarm_name};
use crate::network::Network;
use crate::users::User;

/// Returns the dissolved swarm and its one node still on the network.
pub fn dissolve_swarm_of(
    net: &mut Network,
    owner: &User,
    hash: &MessageHash,
    rng: &mut ChaCha20Rng,
    out: &mut Narrator,
) -> (SwarmId, Ed25519PublicKey) {
    out.chapter("Churn: Bob's swarm dissolves");
    let id = owner.identity.session_id();
    let (swarm, members) = net.swarm_for(&id);
    let old = net.map();
    let before = net.hosts.len();

    // One big operator unlocks its stakes: all but one node of Bob's swarm, and the nodes
    // that gave every other swarm more than the minimum.
    let mut leaving: Vec<Ed25519PublicKey> = members.iter().skip(1).copied().collect();
    let from_bobs = leaving.len();
    for (other, nodes) in old.swarms() {
        if *other != swarm {
            leaving.extend(nodes.iter().skip(MIN_SWARM_SIZE).copied());
        }
    }
    // The names of the leaving nodes, for the story, before they go.
    let names: Vec<(Ed25519PublicKey, String)> = net
        .hosts
        .iter()
        .map(|(k, h)| (*k, h.name.clone()))
        .collect();
    let name = |k: &Ed25519PublicKey| {
        names
            .iter()
            .find(|(key, _)| key == k)
            .map_or("?", |(_, n)| n.as_str())
    };
    net.unlock(&leaving);
    let block = net.next_block(rng);
    out.step(format!(
        "Block {}: an operator unlocks {} nodes: {from_bobs} of the {} in swarm {} and every \
         node above the minimum of {MIN_SWARM_SIZE} elsewhere ({before} -> {} nodes).",
        net.height,
        leaving.len(),
        members.len(),
        swarm_name(swarm),
        net.hosts.len()
    ));

    let survivor = *members.first().expect("a swarm has members");
    let moved_to = block.events.iter().find_map(|e| match e {
        SwarmEvent::NodeMoved { node, from, to } if *node == survivor && *from == swarm => {
            Some(*to)
        }
        _ => None,
    });
    let dissolved = block.events.contains(&SwarmEvent::SwarmDissolved { swarm });
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
        net.name(&survivor),
        moved_to.map_or_else(|| "?".into(), swarm_name),
        owner.name,
        swarm_name(new_swarm),
        net.names(&new_members)
    ));

    // Each node compared its swarm map before and after the block and pushed what others now
    // own; the leaving nodes handed their messages over before they went.
    let senders: BTreeSet<Ed25519PublicKey> = block.pushes.iter().map(|p| p.from).collect();
    for from in &senders {
        let pushes: Vec<_> = block.pushes.iter().filter(|p| p.from == *from).collect();
        let to: Vec<&str> = pushes.iter().map(|p| net.name(&p.to)).collect();
        out.detail(format!(
            "{}{}: its plan says {} now own part of its old range: it pushes them {} message(s), \
             {} bytes each",
            name(from),
            if net.hosts.contains_key(from) {
                ""
            } else {
                " (leaving)"
            },
            to.join(" "),
            pushes.iter().map(|p| p.messages).max().unwrap_or(0),
            pushes.iter().map(|p| p.bytes).max().unwrap_or(0)
        ));
    }
    let copies: usize = block.pushes.iter().map(|p| p.stored).sum();
    let now = net.now;
    let holders = new_members
        .iter()
        .filter(|m| {
            matches!(
                net.host(m).node.backend().get_by_hash(hash, now),
                Ok(Some(_))
            )
        })
        .count();
    assert_eq!(holders, new_members.len(), "no member may miss the message");
    out.step(format!(
        "Every node takes the block's node list and compares its swarm map before and after: \
         {} former members of swarm {} push the message (receivers keep one copy each: \
         {copies} stored), and all {holders} members of swarm {} now hold it.",
        senders.len(),
        swarm_name(swarm),
        swarm_name(new_swarm),
    ));
    (swarm, survivor)
}
