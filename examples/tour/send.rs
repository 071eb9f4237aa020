//! Chapter 3: Alice sends Bob a message. It crosses a 3-hop onion path to a member of Bob's
//! swarm, which validates and stores it, then hands it to the rest of the swarm.

use chacha20::ChaCha20Rng;
use session_infra::common::{MessageHash, Namespace};
use session_infra::onion::serde_json::{Value, json};
use session_infra::storage::policy::{Auth, NamespaceArg, StoreRequest, Verifier, payload};
use session_infra::storage::{Binary, MessageReader, MessageWriter, StoreOutcome};

use crate::narrate::{Narrator, pick, swarm_name};
use crate::network::Network;
use crate::users::User;
use crate::{path, rpc};

/// Messages to a user's inbox live up to 14 days.
const TTL_MS: u64 = 14 * 24 * 3600 * 1000;

pub fn alice_to_bob(
    net: &mut Network,
    alice: &User,
    bob: &User,
    text: &str,
    rng: &mut ChaCha20Rng,
    out: &mut Narrator,
) -> MessageHash {
    out.chapter(format!("{} writes to {}", alice.name, bob.name));
    let bob_id = bob.identity.session_id();
    let (swarm, members) = net.swarm_for(&bob_id);
    let dest = *members
        .get(pick(rng, members.len()))
        .expect("a swarm has members");
    out.step(format!(
        "{}'s app maps {}'s Session ID to swarm {} ({} members: {}) and picks {} to \
         deliver to.",
        alice.name,
        bob.name,
        swarm_name(swarm),
        members.len(),
        net.names(&members),
        net.name(&dest)
    ));

    let dest_record = net.nodes[&dest].record;
    let hops = path::choose(net, &dest_record, rng);
    out.step(format!(
        "{} picks a 3-node onion path from the node list: {} (no two in one /24, none of \
         them the destination).",
        alice.name,
        net.names(&hops.iter().map(|n| n.ed25519).collect::<Vec<_>>())
    ));

    let request = rpc::store(&bob_id, text.as_bytes(), net.now, TTL_MS);
    let arrived = path::send(net, alice.name, &hops, &dest_record, &request, rng, out);

    // The destination: the storage policy checks the request (TTL, clock, size, namespace,
    // signature where one is needed), then the message goes into its store.
    let now = net.now;
    let params = &arrived.rpc["params"];
    let store = &mut net.nodes.get_mut(&dest).expect("the destination").store;
    let command = Verifier::new(now, store)
        .validate_store(&rpc::store_request(params))
        .expect("a valid store");
    assert_eq!(
        store.store(&command.message, now).unwrap(),
        StoreOutcome::New
    );
    let hash = command.message.hash;
    out.step(format!(
        "{} validates the store (inbox namespace 0 takes unsigned messages; TTL {} days, \
         clock and size checked) and stores it under hash {}.",
        net.name(&dest),
        TTL_MS / 86_400_000,
        short_hash(&hash)
    ));

    // A private namespace needs the owner's signature: Alice's does not do.
    let sig = alice.identity.sign(&payload::store(Namespace(2), now));
    let ed = alice.identity.ed25519_public();
    let forged = StoreRequest {
        namespace: NamespaceArg::Int(2),
        auth: Some(Auth::signature(Binary::Raw(&sig)).with_ed25519(Binary::Raw(ed.as_bytes()))),
        ..rpc::store_request(params)
    };
    let error = Verifier::new(now, &net.nodes[&dest].store)
        .validate_store(&forged)
        .unwrap_err();
    out.note(format!(
        "Had {} signed a write into {}'s private namespace 2, it would be refused: {error}.",
        alice.name, bob.name
    ));

    // The destination forwards the store to its swarm peers, which validate it again (with
    // the wider clock window for forwarded requests).
    for peer in members.iter().filter(|m| **m != dest) {
        let store = &mut net.nodes.get_mut(peer).expect("a member").store;
        let command = Verifier::new(now, store)
            .forwarded()
            .validate_store(&rpc::store_request(params))
            .expect("a valid forwarded store");
        store
            .store(&command.message, now)
            .expect("room in the store");
        out.detail(format!(
            "{} validates the forwarded store and keeps message {}",
            net.name(peer),
            short_hash(&hash)
        ));
    }
    let holders = members
        .iter()
        .filter(|m| matches!(net.nodes[*m].store.get_by_hash(&hash, now), Ok(Some(_))))
        .count();
    out.step(format!(
        "{} forwards it to the other {} members of swarm {}: {holders} nodes now hold it.",
        net.name(&dest),
        members.len() - 1,
        swarm_name(swarm)
    ));

    let body = json!({"hash": hash.to_string()});
    let reply: Value = path::answer(net, alice.name, arrived, 200, &body, rng, out);
    let mut echoed = reply["hash"].as_str().unwrap_or_default().to_string();
    echoed.truncate(10);
    out.note(format!(
        "The reply confirms the hash, {echoed}…: the message is on the network."
    ));
    hash
}

fn short_hash(hash: &MessageHash) -> String {
    let mut s = hash.to_string();
    s.truncate(10);
    s + "…"
}
