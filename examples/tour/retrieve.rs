//! Chapter 5: Bob reads his inbox through his own onion path. The node his app remembers
//! from before the churn answers 421 with the swarm that now holds his account; a member of
//! that swarm checks his signature and the messages come back in the onion reply.

use chacha20::ChaCha20Rng;
use session_infra::common::encoding::decode_base64;
use session_infra::common::{Ed25519PublicKey, MessageHash, SwarmId};
use session_infra::onion::serde_json::Value;

use crate::narrate::{Narrator, pick, swarm_name};
use crate::network::Network;
use crate::users::User;
use crate::{path, rpc};

pub fn read_inbox(
    net: &mut Network,
    me: &User,
    intruder: &User,
    hash: &MessageHash,
    cached: (SwarmId, Ed25519PublicKey),
    rng: &mut ChaCha20Rng,
    out: &mut Narrator,
) {
    out.chapter(format!("{} reads his inbox", me.name));
    // A few blocks later.
    for _ in 0..3 {
        net.next_block(rng);
    }

    // The app cached the swarm it last polled; of its members only one is still on the
    // network, and it serves another part of the ring now.
    let (cached, remembered) = cached;
    let stale = net.host(&remembered).record;
    let hops = path::choose(net, &stale, rng);
    out.step(format!(
        "{}'s app last polled his inbox before the churn and still has swarm {} cached; of its \
         members only {} is still on the network, so the app asks it over the path {}.",
        me.name,
        swarm_name(cached),
        net.name(&remembered),
        net.names(&hops.iter().map(|n| n.ed25519).collect::<Vec<_>>())
    ));
    let request = rpc::retrieve(&me.identity, net.now);
    let arrived = path::send(net, me.name, &hops, &stale, &request, rng, out);
    let (status, redirect) = path::answer(net, me.name, &arrived, out);
    assert_eq!(status, 421);
    let named: Vec<Ed25519PublicKey> = redirect["snodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["pubkey_ed25519"].as_str()?.parse().ok())
        .collect();
    let (swarm, members) = net.swarm_for(&me.identity.session_id());
    assert_eq!(named, members, "the 421 names the owning swarm's members");
    out.note(format!(
        "{status}, wrong swarm: {} serves swarm {} now. The answer names the swarm that holds \
         {}'s account, {} ({}), with each member's keys, address and ports.",
        net.name(&remembered),
        swarm_name(stale.swarm_id),
        me.name,
        redirect["swarm"].as_str().unwrap_or("?"),
        net.names(&named)
    ));

    let dest = *members.get(pick(rng, members.len())).expect("members");
    let dest_record = net.host(&dest).record;
    let hops = path::choose(net, &dest_record, rng);
    out.step(format!(
        "{}'s app takes swarm {} from the answer and asks {} over a new path {}.",
        me.name,
        swarm_name(swarm),
        net.name(&dest),
        net.names(&hops.iter().map(|n| n.ed25519).collect::<Vec<_>>())
    ));

    let request = rpc::retrieve(&me.identity, net.now);
    let arrived = path::send(net, me.name, &hops, &dest_record, &request, rng, out);
    let (_, reply) = arrived.open();
    let messages = reply["messages"].as_array().map_or(0, Vec::len);
    out.step(format!(
        "{} checks the retrieve request: the timestamp is within 60 s and the signature is \
         {}'s Ed25519 key, which maps to the account; {messages} message(s) waiting.",
        net.name(&dest),
        me.name
    ));

    // Someone else signing for Bob's inbox is refused.
    let mut forged = rpc::retrieve(&intruder.identity, net.now);
    forged["params"]["pubkey"] = request["params"]["pubkey"].clone();
    let refused = net
        .post(&dest, "/storage_rpc/v1", forged.to_string().as_bytes(), rng)
        .response
        .expect("answered directly");
    assert_eq!(refused.status, 401);
    out.note(format!(
        "The same request signed by {} is answered {}: \"{}\".",
        intruder.name,
        refused.status,
        refused.body_text()
    ));

    let (status, reply) = path::answer(net, me.name, &arrived, out);
    assert_eq!(status, 200);
    let first: &Value = &reply["messages"][0];
    let data = decode_base64(
        first["data"].as_str().unwrap_or_default().as_bytes(),
        1 << 16,
    )
    .expect("base64 data");
    assert_eq!(first["hash"].as_str(), Some(hash.to_string().as_str()));
    out.step(format!(
        "{} reads {}'s message, stored by a swarm that no longer exists: \"{}\"",
        me.name,
        intruder.name,
        String::from_utf8_lossy(&data)
    ));
}
