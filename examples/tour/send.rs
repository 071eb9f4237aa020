//! Chapter 3: Alice sends Bob a message. It crosses a 3-hop onion path to a member of Bob's
//! swarm, which validates and stores it, then hands it to the rest of the swarm.

use chacha20::ChaCha20Rng;
use session_infra::common::bencode::{self, Value as Bt};
use session_infra::common::encoding::decode_base64;
use session_infra::common::{AccountId, Ed25519PublicKey, Ed25519Signature, MessageHash};
use session_infra::common::{Namespace, Timestamp};
use session_infra::storage::MessageReader;

use crate::narrate::{Narrator, pick, swarm_name};
use crate::network::{Network, PeerAnswer};
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

    let dest_record = net.host(&dest).record;
    let hops = path::choose(net, &dest_record, rng);
    out.step(format!(
        "{} picks a 3-node onion path from the node list: {} (no two in one /24, none of \
         them the destination).",
        alice.name,
        net.names(&hops.iter().map(|n| n.ed25519).collect::<Vec<_>>())
    ));

    let request = rpc::store(&bob_id, text.as_bytes(), net.now, TTL_MS);
    let arrived = path::send(net, alice.name, &hops, &dest_record, &request, rng, out);

    // The app knows the hash before any node answers: it is computed from the account, the
    // namespace and the data alone.
    let now = net.now;
    let hash = MessageHash::compute(&AccountId::from(bob_id), Namespace(0), text.as_bytes());
    assert!(holds(net, &dest, &hash, now), "the destination stored it");
    out.step(format!(
        "{} validates the store (inbox namespace 0 takes unsigned messages; TTL {} days, \
         clock and size checked) and stores it under hash {}.",
        net.name(&dest),
        TTL_MS / 86_400_000,
        short_hash(&hash)
    ));

    // A private namespace needs the owner's signature: Alice's does not do.
    let forged = rpc::store_signed(
        &bob_id,
        Namespace(2),
        text.as_bytes(),
        now,
        TTL_MS,
        &alice.identity,
    );
    let refused = net
        .post(&dest, "/storage_rpc/v1", forged.to_string().as_bytes(), rng)
        .response
        .expect("answered directly");
    assert_eq!(refused.status, 401);
    out.note(format!(
        "Had {} signed a write into {}'s private namespace 2, {} would answer {}: \"{}\".",
        alice.name,
        bob.name,
        net.name(&dest),
        refused.status,
        refused.body_text()
    ));

    // The destination forwarded the store to its swarm peers, which validated it again (with
    // the wider clock window for forwarded requests) and signed the hash.
    let mut signed = 0;
    for answer in &arrived.peers {
        let valid = peer_signature(answer, &hash);
        signed += usize::from(valid);
        out.detail(format!(
            "{} gets `{}` forwarded ({} bencoded bytes), validates it again, keeps message {} \
             and answers {} with its signature over the hash ({})",
            net.name(&answer.peer),
            answer.method,
            answer.request_len,
            short_hash(&hash),
            answer.status,
            if valid { "valid" } else { "INVALID" }
        ));
    }
    let holders = members.iter().filter(|m| holds(net, m, &hash, now)).count();
    assert_eq!(holders, members.len(), "every member holds the message");
    assert_eq!(signed, members.len() - 1, "every peer signed the hash");
    out.step(format!(
        "{} forwards it to the other {} members of swarm {}, which check it again and each \
         sign its hash: {holders} nodes now hold it.",
        net.name(&dest),
        arrived.peers.len(),
        swarm_name(swarm)
    ));

    let (status, reply) = path::answer(net, alice.name, &arrived, out);
    assert_eq!(status, 200);
    out.detail(format!("{} reads: {reply}", alice.name));
    assert_eq!(reply["hash"].as_str(), Some(hash.to_string().as_str()));
    // The destination answered once its peers had: the reply lists every member's entry,
    // each signed by that member's key from the node list.
    let entries = reply["swarm"].as_object().expect("the swarm's entries");
    assert_eq!(entries.len(), members.len(), "one entry per member");
    let mut verified = Vec::new();
    for member in &members {
        let entry = &entries[&member.to_string()];
        assert_eq!(entry["hash"].as_str(), Some(hash.to_string().as_str()));
        let signature = entry["signature"]
            .as_str()
            .and_then(|s| decode_base64(s.as_bytes(), 64).ok())
            .and_then(|s| Ed25519Signature::try_from(s.as_slice()).ok())
            .expect("a signature in every entry");
        member
            .verify(hash.to_string().as_bytes(), &signature)
            .expect("signed by the member");
        verified.push(*member);
    }
    out.detail(format!(
        "{}'s reply lists {} entries under `swarm`, one per member ({}), each with the hash \
         and that member's signature over it",
        net.name(&dest),
        entries.len(),
        net.names(&verified)
    ));
    out.note(format!(
        "The reply confirms the hash, {}, signed by all {} members of swarm {} (each \
         signature verified with the member's Ed25519 key from the node list): the message is \
         on the network.",
        short_hash(&hash),
        verified.len(),
        swarm_name(swarm)
    ));
    hash
}

/// Whether node `key` holds the message.
fn holds(net: &Network, key: &Ed25519PublicKey, hash: &MessageHash, now: Timestamp) -> bool {
    matches!(
        net.host(key).node.backend().get_by_hash(hash, now),
        Ok(Some(_))
    )
}

/// Whether a peer's bencoded answer to a forwarded store carries its valid signature of
/// `hash` (the hash as text, as the storage server signs it).
fn peer_signature(answer: &PeerAnswer, hash: &MessageHash) -> bool {
    let Ok(Bt::Dict(fields)) = bencode::decode(&answer.body) else {
        return false;
    };
    let field = |name: &[u8]| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.as_bytes())
    };
    let text = hash.to_string();
    let signature = field(b"signature").and_then(|s| Ed25519Signature::try_from(s).ok());
    match (field(b"hash"), signature) {
        (Some(h), Some(sig)) => {
            h == text.as_bytes() && answer.peer.verify(text.as_bytes(), &sig).is_ok()
        }
        _ => false,
    }
}

fn short_hash(hash: &MessageHash) -> String {
    let mut s = hash.to_string();
    s.truncate(10);
    s + "…"
}
