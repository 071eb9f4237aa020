//! Peers' answers inside `batch`, `sequence` and `ifelse`: the storage server forwards each
//! swarm-wide sub-request to its peers and writes that sub-request's result once they have
//! answered, with their entries under its `swarm` and the status they lead to.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use serde_json::{Value, json};
use session_core::{AccountId, Identity, MessageHash, Namespace, ServiceNode, Timestamp};
use session_node::{Forward, Node, PeerReply, with_peer_replies};
use session_storage::policy::payload;
use session_storage::{MemoryStore, MessageWriter, StoredMessage};

/// One swarm of three: A (the entry node), B and D.
struct Swarm {
    a: Node<MemoryStore>,
    b: Node<MemoryStore>,
    d: Node<MemoryStore>,
    client: Identity,
    account: AccountId,
}

fn swarm_with(a_store: MemoryStore) -> Swarm {
    let ids: Vec<Identity> = [1u8, 2, 4]
        .iter()
        .map(|&s| Identity::from_seed_bytes(&[s; 32]).unwrap())
        .collect();
    let nodes: Vec<ServiceNode> = ids
        .iter()
        .zip(1u8..)
        .map(|(id, i)| session_node::testing::service_node(id, [10, 0, 0, i], SWARM_AB))
        .collect();
    let node = |id: &Identity, store| Node::new(id.clone(), store, nodes.clone(), immediate());
    let client = Identity::from_seed_bytes(&[42; 32]).unwrap();
    Swarm {
        a: node(&ids[0], a_store),
        b: node(&ids[1], MemoryStore::new()),
        d: node(&ids[2], MemoryStore::new()),
        account: AccountId::new(0x03, *client.ed25519_public().as_bytes()),
        client,
    }
}

fn swarm() -> Swarm {
    swarm_with(MemoryStore::new())
}

fn store(s: &Swarm, data: &str) -> Value {
    json!({"method": "store", "params": {"pubkey": s.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": data}})
}

fn delete_required(s: &Swarm, hash: MessageHash) -> Value {
    json!({"method": "delete", "params": {"pubkey": s.account.to_string(), "messages": [hash.to_string()],
           "required": true, "signature": sig(&s.client, &payload::delete(&[hash]))}})
}

/// Each forward answered by the peer node it is for.
fn answer(s: &mut Swarm, forwards: &[Forward]) -> Vec<(session_core::Ed25519PublicKey, Vec<u8>)> {
    forwards
        .iter()
        .map(|f| {
            let peer = if f.to.ed25519 == s.b.ed25519() {
                &mut s.b
            } else {
                &mut s.d
            };
            let (status, reply, _) = peer.handle_peer_request(now(), f.method, &f.body);
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&reply));
            (f.to.ed25519, reply)
        })
        .collect()
}

fn entry_of(v: &Value, node: &Node<MemoryStore>) -> Value {
    v["swarm"][node.ed25519().to_string()].clone()
}

#[test]
fn batch_sub_results_gain_their_peers_answers() {
    let mut s = swarm();
    // D alone holds "gone", which the required delete removes.
    let gone = StoredMessage::new(
        s.account,
        Namespace(0),
        now(),
        Timestamp::from_millis(NOW_MS + 3_600_000),
        b"gone".to_vec(),
    );
    s.d.backend_mut().store(&gone, now()).unwrap();
    let req = json!({"requests": [
        store(&s, "b25l"),
        {"method": "info", "params": {}},
        store(&s, "dHdv"),
        delete_required(&s, gone.hash),
    ]});
    let (out, r) = rpc(&mut s.a, "batch", req);
    assert_eq!(r.status, 200);
    let v = body(&r);
    // This node's view: its own entries, and the delete that found nothing here is a 404.
    let codes: Vec<u64> = (0..4)
        .map(|i| v["results"][i]["code"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [200, 200, 200, 404]);
    // One forward per peer per swarm-wide sub-request, in sub-request order.
    let methods: Vec<(&str, bool)> = out
        .forwards
        .iter()
        .map(|f| (f.method, f.to.ed25519 == s.b.ed25519()))
        .collect();
    assert_eq!(
        methods,
        [
            ("store", true),
            ("store", false),
            ("store", true),
            ("store", false),
            ("delete", true),
            ("delete", false)
        ]
    );
    let answers = answer(&mut s, &out.forwards);
    // D's first store timed out and B's second failed: the rest answered.
    let replies = answers.iter().enumerate().map(|(i, (key, reply))| {
        let reply = match i {
            1 => PeerReply::Timeout,
            2 => PeerReply::Error {
                code: "503",
                reason: "busy",
            },
            _ => PeerReply::Reply(reply),
        };
        (*key, reply)
    });
    let merged = with_peer_replies(&r, replies);
    assert_eq!(merged.status, 200);
    let m = body(&merged);
    let results = m["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);

    let one = &results[0]["body"];
    let hash_one = MessageHash::compute(&s.account, Namespace(0), b"one").to_string();
    assert_eq!(results[0]["code"], 200);
    assert_eq!(
        entry_of(one, &s.a),
        entry_of(&v["results"][0]["body"], &s.a)
    );
    let b_one = entry_of(one, &s.b);
    assert_eq!(b_one["hash"], hash_one.as_str());
    assert_eq!(b_one["expiry"], NOW_MS + 3_600_000);
    assert!(verify(
        &s.b.ed25519(),
        hash_one.as_bytes(),
        b_one["signature"].as_str().unwrap()
    ));
    assert_eq!(
        entry_of(one, &s.d),
        json!({"failed": true, "timeout": true})
    );

    assert_eq!(results[1], v["results"][1], "info is not forwarded");

    let two = &results[2]["body"];
    let hash_two = MessageHash::compute(&s.account, Namespace(0), b"two").to_string();
    assert_eq!(results[2]["code"], 200);
    assert_eq!(
        entry_of(two, &s.b),
        json!({"failed": true, "code": "503", "reason": "busy"})
    );
    assert_eq!(entry_of(two, &s.d)["hash"], hash_two.as_str());

    // D deleted the message: the sub-result becomes a 200, with D's signed list.
    assert_eq!(results[3]["code"], 200);
    let del = &results[3]["body"];
    assert_eq!(entry_of(del, &s.a)["deleted"], json!([]));
    assert_eq!(entry_of(del, &s.b)["deleted"], json!([]));
    assert_eq!(
        entry_of(del, &s.d)["deleted"],
        json!([gone.hash.to_string()])
    );
    let mut signed = s.account.to_string().into_bytes();
    signed.extend_from_slice(gone.hash.to_string().as_bytes());
    signed.extend_from_slice(gone.hash.to_string().as_bytes());
    assert!(verify(
        &s.d.ed25519(),
        &signed,
        entry_of(del, &s.d)["signature"].as_str().unwrap()
    ));
    // Nothing else changed: the merged reply is this node's with the peers' entries added.
    let mut stripped = m.clone();
    for i in [0, 2, 3] {
        let swarm = stripped["results"][i]["body"]["swarm"]
            .as_object_mut()
            .unwrap();
        swarm.remove(&s.b.ed25519().to_string());
        swarm.remove(&s.d.ed25519().to_string());
    }
    stripped["results"][3]["code"] = json!(404);
    assert_eq!(stripped, v);

    // A peer's answers may be interleaved with another peer's: each peer's go in order.
    let (b_answers, d_answers): (Vec<_>, Vec<_>) =
        answers.iter().partition(|(k, _)| *k == s.b.ed25519());
    let reordered = d_answers
        .iter()
        .chain(b_answers.iter())
        .map(|(k, r)| (*k, PeerReply::Reply(r)));
    let m = body(&with_peer_replies(&r, reordered));
    assert_eq!(
        entry_of(&m["results"][0]["body"], &s.d)["hash"],
        hash_one.as_str()
    );
    assert_eq!(
        entry_of(&m["results"][2]["body"], &s.b)["hash"],
        hash_two.as_str()
    );
    assert_eq!(m["results"][3]["code"], 200);
}

#[test]
fn a_required_delete_stays_404_when_no_member_deleted() {
    let mut s = swarm();
    let nowhere = MessageHash::compute(&s.account, Namespace(0), b"nowhere");
    let req = json!({"requests": [delete_required(&s, nowhere)]});
    let (out, r) = rpc(&mut s.a, "batch", req);
    let answers = answer(&mut s, &out.forwards);
    let m = body(&with_peer_replies(
        &r,
        answers.iter().map(|(k, r)| (*k, PeerReply::Reply(r))),
    ));
    assert_eq!(m["results"][0]["code"], 404);
    assert_eq!(
        m["results"][0]["body"]["swarm"].as_object().unwrap().len(),
        3
    );
}

#[test]
fn sequence_and_ifelse_sub_results_gain_their_peers_answers() {
    let mut s = swarm();
    let hash = MessageHash::compute(&s.account, Namespace(0), b"one");
    let seq = json!({"requests": [store(&s, "b25l"), {"method": "info", "params": {}}, delete_required(&s, hash)]});
    let (out, r) = rpc(&mut s.a, "sequence", seq);
    assert_eq!(out.forwards.len(), 4);
    let answers = answer(&mut s, &out.forwards);
    let m = body(&with_peer_replies(
        &r,
        answers.iter().map(|(k, r)| (*k, PeerReply::Reply(r))),
    ));
    let results = m["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for node in [&s.b, &s.d] {
        assert_eq!(
            entry_of(&results[0]["body"], node)["hash"],
            hash.to_string().as_str()
        );
        assert_eq!(
            entry_of(&results[2]["body"], node)["deleted"],
            json!([hash.to_string()])
        );
    }

    let ifelse = json!({"if": {"height_at_least": 0}, "then": store(&s, "dGhyZWU=")});
    let (out, r) = rpc(&mut s.a, "ifelse", ifelse);
    let answers = answer(&mut s, &out.forwards);
    let m = body(&with_peer_replies(
        &r,
        answers.iter().map(|(k, r)| (*k, PeerReply::Reply(r))),
    ));
    let three = MessageHash::compute(&s.account, Namespace(0), b"three").to_string();
    assert_eq!(m["condition"], true);
    assert_eq!(m["result"]["code"], 200);
    for node in [&s.a, &s.b, &s.d] {
        assert_eq!(entry_of(&m["result"]["body"], node)["hash"], three.as_str());
    }
}

/// A node that does not wait runs a `sequence` before its peers answer, so it stops at a
/// sub-request that failed here even when a peer's answer turns it into a success, where the
/// storage server (and a waiting node, see `deferred.rs`) would have gone on: the merged reply
/// has the corrected code but not the sub-requests after it.
#[test]
fn a_sequence_stops_where_this_node_failed() {
    let mut s = swarm();
    let gone = StoredMessage::new(
        s.account,
        Namespace(0),
        now(),
        Timestamp::from_millis(NOW_MS + 3_600_000),
        b"gone".to_vec(),
    );
    s.d.backend_mut().store(&gone, now()).unwrap();
    let seq = json!({"requests": [delete_required(&s, gone.hash), store(&s, "b25l")]});
    let (out, r) = rpc(&mut s.a, "sequence", seq);
    let v = body(&r);
    assert_eq!(v["results"].as_array().unwrap().len(), 1);
    assert_eq!(v["results"][0]["code"], 404);
    assert!(out.forwards.iter().all(|f| f.method == "delete"));
    let answers = answer(&mut s, &out.forwards);
    let m = body(&with_peer_replies(
        &r,
        answers.iter().map(|(k, r)| (*k, PeerReply::Reply(r))),
    ));
    assert_eq!(m["results"][0]["code"], 200);
    assert_eq!(m["results"].as_array().unwrap().len(), 1);
}

/// The storage server means to answer 500 when every member failed, but its check reads the
/// reply's top-level values (`swarm`, `t`, `hf`), never an entry: a store nobody could keep is
/// a 200 whose entries all say `failed`, on the entry node and on a peer alike.
#[test]
fn a_store_no_member_could_keep_is_still_200() {
    let mut s = swarm_with(MemoryStore::with_limit(1));
    let (out, r) = rpc(
        &mut s.a,
        "store",
        json!({"pubkey": s.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": "aGVsbG8="}),
    );
    assert_eq!(
        (r.status, r.body_text()),
        (
            200,
            format!(
                r#"{{"hf":[19,4],"swarm":{{"{}":{{"failed":true,"query_failure":true,"t":{NOW_MS}}}}},"t":{NOW_MS}}}"#,
                s.a.ed25519()
            )
        )
    );
    let answers = answer(&mut s, &out.forwards);
    let all_failed = with_peer_replies(&r, answers.iter().map(|(k, _)| (*k, PeerReply::Timeout)));
    assert_eq!(all_failed.status, 200);
    let swarm = body(&all_failed)["swarm"].as_object().unwrap().clone();
    assert_eq!(swarm.len(), 3);
    assert!(swarm.values().all(|e| e["failed"] == true));
    let one_kept = with_peer_replies(
        &r,
        [
            (answers[0].0, PeerReply::Timeout),
            (answers[1].0, PeerReply::Reply(&answers[1].1)),
        ],
    );
    assert_eq!(one_kept.status, 200);
    // Inside a batch, the sub-result's code.
    let req = json!({"requests": [store(&s, "b25l")]});
    let (out, r) = rpc(&mut s.a, "batch", req);
    assert_eq!(body(&r)["results"][0]["code"], 200);
    let m = body(&with_peer_replies(
        &r,
        out.forwards
            .iter()
            .map(|f| (f.to.ed25519, PeerReply::Timeout)),
    ));
    assert_eq!(m["results"][0]["code"], 200);
    // A peer that cannot keep a forwarded store answers 200 with its failed entry.
    let (status, reply, _) =
        s.a.handle_peer_request(now(), "store", &out.forwards[0].body);
    assert_eq!(status, 200);
    assert_eq!(reply, b"d6:failedi1e13:query_failurei1ee");
}

#[test]
fn bencoded_batches_gain_raw_peer_answers() {
    let mut s = swarm();
    let mut bt = b"d8:requestsld6:method5:store6:paramsd4:data3:one6:pubkey33:".to_vec();
    bt.extend_from_slice(&s.account.to_bytes());
    bt.extend_from_slice(format!("9:timestampi{NOW_MS}e3:ttli3600000eeeee").as_bytes());
    let out = s.a.handle_omq_request(now(), &mut rng(), "batch", &bt);
    let r = out.response.clone().unwrap();
    assert_eq!(r.status, 200, "{}", r.body_text());
    let answers = answer(&mut s, &out.forwards);
    let merged = with_peer_replies(&r, answers.iter().map(|(k, r)| (*k, PeerReply::Reply(r))));
    let v = session_core::bencode::decode(&merged.body).unwrap();
    let swarm = v
        .get(b"results")
        .and_then(|l| match l {
            session_core::bencode::Value::List(items) => items.first(),
            _ => None,
        })
        .unwrap()
        .get(b"body")
        .unwrap()
        .get(b"swarm")
        .unwrap();
    let hash = MessageHash::compute(&s.account, Namespace(0), b"one").to_string();
    for node in [&s.a, &s.b, &s.d] {
        let entry = swarm.get(node.ed25519().to_string().as_bytes()).unwrap();
        assert_eq!(
            entry.get(b"hash").unwrap().as_bytes().unwrap(),
            hash.as_bytes()
        );
        let signature = entry.get(b"signature").unwrap().as_bytes().unwrap();
        assert_eq!(signature.len(), 64, "raw, as the request was bencoded");
    }
}

#[test]
fn replies_without_forwarded_requests_are_unchanged() {
    let mut s = swarm();
    let (_, r) = rpc(
        &mut s.a,
        "batch",
        json!({"requests": [{"method": "info", "params": {}}]}),
    );
    let key = s.b.ed25519();
    assert_eq!(with_peer_replies(&r, [(key, PeerReply::Timeout)]), r);
    let (_, r) = rpc(&mut s.a, "info", json!({}));
    assert_eq!(with_peer_replies(&r, [(key, PeerReply::Timeout)]), r);
    let bad = session_node::Response::text(400, "invalid json");
    assert_eq!(with_peer_replies(&bad, [(key, PeerReply::Timeout)]), bad);
}
