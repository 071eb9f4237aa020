//! Chapter 5: Bob reads his inbox through his own onion path; the messages come back in the
//! onion reply.

use chacha20::ChaCha20Rng;
use session_infra::common::MessageHash;
use session_infra::common::encoding::decode_base64;
use session_infra::onion::serde_json::{Value, json};
use session_infra::storage::MessageReader;
use session_infra::storage::policy::Verifier;

use crate::narrate::{Narrator, pick, swarm_name};
use crate::network::Network;
use crate::users::User;
use crate::{path, rpc};

pub fn read_inbox(
    net: &mut Network,
    me: &User,
    intruder: &User,
    hash: &MessageHash,
    rng: &mut ChaCha20Rng,
    out: &mut Narrator,
) {
    out.chapter(format!("{} reads his inbox", me.name));
    // A few blocks later.
    for _ in 0..3 {
        net.next_block(rng);
    }
    let (swarm, members) = net.swarm_for(&me.identity.session_id());
    let dest = *members.get(pick(rng, members.len())).expect("members");
    let dest_record = net.nodes[&dest].record;
    let hops = path::choose(net, &dest_record, rng);
    out.step(format!(
        "{}'s app, with a fresh node list, finds his swarm is now {} and asks {} over his own \
         path {}.",
        me.name,
        swarm_name(swarm),
        net.name(&dest),
        net.names(&hops.iter().map(|n| n.ed25519).collect::<Vec<_>>())
    ));

    let request = rpc::retrieve(&me.identity, net.now);
    let arrived = path::send(net, me.name, &hops, &dest_record, &request, rng, out);
    let now = net.now;
    let params = &arrived.rpc["params"];
    let store = &net.nodes[&dest].store;

    // Someone else signing for Bob's inbox is refused by the policy.
    let forged = rpc::retrieve(&intruder.identity, now);
    let mut forged_params = forged["params"].clone();
    forged_params["pubkey"] = params["pubkey"].clone();
    let error = Verifier::new(now, store)
        .validate_retrieve(&rpc::retrieve_request(&forged_params))
        .unwrap_err();

    let command = Verifier::new(now, store)
        .validate_retrieve(&rpc::retrieve_request(params))
        .expect("Bob's own signature");
    let page = store
        .retrieve(&command.query, now)
        .expect("a readable store");
    out.step(format!(
        "{} checks the retrieve request: the timestamp is within 60 s and the signature is \
         {}'s Ed25519 key, which maps to the account; {} message(s) waiting.",
        net.name(&dest),
        me.name,
        page.messages.len()
    ));
    out.note(format!(
        "The same request signed by {} is refused: {error}.",
        intruder.name
    ));

    let messages: Vec<Value> = page.messages.iter().map(rpc::message_json).collect();
    let reply = path::answer(
        net,
        me.name,
        arrived,
        200,
        &json!({"messages": messages, "more": page.more}),
        rng,
        out,
    );
    let first = &reply["messages"][0];
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
