//! Replies that wait for the swarm: the entry node answers a request it forwarded to its peers
//! once they have all answered or timed out, with every entry under `swarm`, as the storage
//! server does; over an onion the reply is encrypted only then; a `sequence` runs each step
//! once the previous step's swarm results are in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use session_core::{AccountId, Identity, MessageHash, Namespace, ServiceNode, Timestamp};
use session_node::{
    Forward, Handled, Node, NodeConfig, PEER_TIMEOUT_MS, PeerReply, Request, Response,
};
use session_onion::EncType;
use session_onion::client::{Builder, Destination, Hop, Onion};
use session_storage::policy::{payload, response};
use session_storage::{MemoryStore, MessageReader, MessageWriter, StoredMessage};

/// One swarm of three: A (the entry node), B and D, all waiting for their peers.
struct Swarm {
    a: Node<MemoryStore>,
    b: Node<MemoryStore>,
    d: Node<MemoryStore>,
    ids: Vec<Identity>,
    records: Vec<ServiceNode>,
    client: Identity,
    account: AccountId,
}

fn swarm_with(config: NodeConfig) -> Swarm {
    let ids: Vec<Identity> = [1u8, 2, 4]
        .iter()
        .map(|&s| Identity::from_seed_bytes(&[s; 32]).unwrap())
        .collect();
    let records: Vec<ServiceNode> = ids
        .iter()
        .zip(1u8..)
        .map(|(id, i)| session_node::testing::service_node(id, [10, 0, 0, i], SWARM_AB))
        .collect();
    let node = |id: &Identity| Node::new(id.clone(), MemoryStore::new(), records.clone(), config);
    let client = Identity::from_seed_bytes(&[42; 32]).unwrap();
    Swarm {
        a: node(&ids[0]),
        b: node(&ids[1]),
        d: node(&ids[2]),
        account: AccountId::new(0x03, *client.ed25519_public().as_bytes()),
        client,
        records,
        ids,
    }
}

fn swarm() -> Swarm {
    swarm_with(NodeConfig::default())
}

impl Swarm {
    fn peer(&mut self, f: &Forward) -> &mut Node<MemoryStore> {
        if f.to.ed25519 == self.b.ed25519() {
            &mut self.b
        } else {
            assert_eq!(f.to.ed25519, self.d.ed25519());
            &mut self.d
        }
    }

    /// The peer's answer to forward `f`, as its runtime would send it back.
    fn peer_answer(&mut self, f: &Forward) -> Vec<u8> {
        let (status, reply, _) = self.peer(f).handle_peer_request(now(), f.method, &f.body);
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&reply));
        reply
    }

    /// Delivers `f` to its peer and passes the answer to A.
    fn answer(&mut self, f: &Forward, at: Timestamp) -> Handled {
        let reply = self.peer_answer(f);
        self.a
            .peer_answered(at, &mut rng(), f.id, PeerReply::Reply(&reply))
    }

    /// Answers every forward, step after step, until A sends its response.
    fn drive(&mut self, mut h: Handled) -> Response {
        let id = h.pending.expect("the reply waits for the peers");
        loop {
            if let Some(r) = h.response {
                return r;
            }
            assert!(!h.forwards.is_empty(), "a waiting reply has peers to ask");
            let mut next = None;
            for f in std::mem::take(&mut h.forwards) {
                let out = self.answer(&f, now());
                assert_eq!(out.pending, Some(id));
                if out.response.is_some() || !out.forwards.is_empty() {
                    assert!(next.is_none(), "only the last answer of a step moves on");
                    next = Some(out);
                }
            }
            h = next.expect("the step's last answer moves the reply on");
        }
    }

    fn holds(&self, node: &Node<MemoryStore>, hash: &MessageHash) -> bool {
        matches!(node.backend().get_by_hash(hash, now()), Ok(Some(_)))
    }

    fn key(&self, i: usize) -> String {
        self.ids[i].ed25519_public().to_string()
    }
}

fn http(node: &mut Node<MemoryStore>, req: &Value) -> Handled {
    node.handle_http(
        now(),
        &mut rng(),
        &Request::post("/storage_rpc/v1", req.to_string().as_bytes()),
    )
}

fn store(account: AccountId, data: &[u8]) -> Value {
    json!({"method": "store", "params": {"pubkey": account.to_string(), "timestamp": NOW_MS,
        "ttl": 3_600_000, "data": session_core::encoding::encode_base64(data)}})
}

fn delete(client: &Identity, hash: MessageHash, required: bool) -> Value {
    let account = AccountId::new(0x03, *client.ed25519_public().as_bytes());
    json!({"method": "delete", "params": {"pubkey": account.to_string(), "messages": [hash.to_string()],
        "required": required, "signature": sig(client, &payload::delete(&[hash]))}})
}

fn message(s: &Swarm, data: &[u8]) -> StoredMessage {
    StoredMessage::new(
        s.account,
        Namespace(0),
        now(),
        Timestamp::from_millis(NOW_MS + 3_600_000),
        data.to_vec(),
    )
}

/// The reply the storage server sends for `store(s, data)` once B and D have stored it too:
/// every member's signed entry (the entry node's own with the `t` it left there).
fn stored_reply(s: &Swarm, data: &[u8]) -> String {
    let hash = MessageHash::compute(&s.account, Namespace(0), data).to_string();
    let entry = |i: usize| json!({"expiry": NOW_MS + 3_600_000, "hash": hash, "signature": sig(&s.ids[i], hash.as_bytes())});
    let mut own = entry(0);
    own["t"] = json!(NOW_MS);
    // serde_json's maps are sorted, as the storage server's JSON objects are.
    json!({"hash": hash, "hf": [19, 4], "t": NOW_MS,
        "swarm": {s.key(0): own, s.key(1): entry(1), s.key(2): entry(2)}})
    .to_string()
}

/// The reply for a `delete` of `hash` that A and D held and B did not: each member's list and
/// its signature over what was asked and what it deleted.
fn deleted_reply(s: &Swarm, hash: MessageHash) -> String {
    let entry = |i: usize, deleted: &[MessageHash]| {
        let signed = response::delete(&s.account, &[hash], deleted);
        let list: Vec<String> = deleted.iter().map(ToString::to_string).collect();
        json!({"deleted": list, "signature": sig(&s.ids[i], &signed)})
    };
    json!({"hf": [19, 4], "t": NOW_MS, "swarm": {
        s.key(0): entry(0, &[hash]), s.key(1): entry(1, &[]), s.key(2): entry(2, &[hash])}})
    .to_string()
}

/// An onion from the client through B (guard) to A (destination) carrying `req`.
fn onion_to_a(s: &mut Swarm, req: &Value) -> (Onion, Handled) {
    let (a, b) = (s.records[0], s.records[1]);
    let onion = Builder::new(EncType::XChaCha20)
        .hop(Hop::new(b.ed25519, b.x25519))
        .build(
            &Destination::node(Hop::new(a.ed25519, a.x25519)),
            req.to_string().as_bytes(),
            &mut rng(),
        )
        .unwrap();
    let out = s.b.handle_http(
        now(),
        &mut rng(),
        &Request::post("/onion_req/v2", onion.request()),
    );
    let Some(session_node::Relay::Node { to, message }) = out.relay else {
        panic!("B relays to A");
    };
    assert_eq!(to, a.ed25519);
    let h = s.a.handle_onion_forward(now(), &mut rng(), &message);
    (onion, h)
}

/// The client opens the onion reply: status and the body text the destination wrote.
fn open(onion: &Onion, r: &Response) -> (u16, String) {
    assert_eq!(r.status, 200);
    let reply = onion.reply_key().decode_v3(&r.body).unwrap();
    match reply.body.unwrap() {
        Value::String(text) => (reply.status.unwrap(), text),
        other => panic!("a double-encoded body, not {other}"),
    }
}

#[test]
fn a_direct_store_is_answered_with_every_members_entry() {
    let mut s = swarm();
    let h = http(&mut s.a, &store(s.account, b"hello"));
    assert_eq!(h.response, None, "nothing is sent before the peers answer");
    let id = h.pending.unwrap();
    assert_eq!(s.a.pending_replies(), 1);
    assert_eq!(
        s.a.next_timeout(),
        Some(Timestamp(NOW_MS + PEER_TIMEOUT_MS))
    );
    assert_eq!(h.forwards.len(), 2);
    assert!(h.forwards.iter().all(|f| f.id.pending() == id));
    let hash = MessageHash::compute(&s.account, Namespace(0), b"hello");
    assert!(s.holds(&s.a, &hash), "stored before the peers are asked");

    // The first answer is kept; the last one finishes the reply.
    let first = s.answer(&h.forwards[0], now());
    assert_eq!(
        first,
        Handled {
            pending: Some(id),
            ..Handled::default()
        }
    );
    let last = s.answer(&h.forwards[1], now());
    assert_eq!(last.pending, Some(id));
    let r = last.response.unwrap();
    assert_eq!((r.status, r.body_text()), (200, stored_reply(&s, b"hello")));
    assert_eq!(s.a.pending_replies(), 0);
    assert_eq!(s.a.next_timeout(), None);
    // A late or repeated answer finds nothing to complete.
    assert_eq!(s.answer(&h.forwards[1], now()), Handled::default());
}

#[test]
fn a_direct_delete_is_answered_with_every_members_signed_list() {
    let mut s = swarm();
    let m = message(&s, b"gone");
    s.a.backend_mut().store(&m, now()).unwrap();
    s.d.backend_mut().store(&m, now()).unwrap();
    let h = http(&mut s.a, &delete(&s.client, m.hash, false));
    let r = s.drive(h);
    assert_eq!((r.status, r.body_text()), (200, deleted_reply(&s, m.hash)));
    assert!(!s.holds(&s.a, &m.hash) && !s.holds(&s.d, &m.hash));
}

#[test]
fn an_onion_store_is_encrypted_once_the_swarm_has_answered() {
    let mut s = swarm();
    let req = store(s.account, b"over the onion");
    let (onion, h) = onion_to_a(&mut s, &req);
    assert_eq!(
        h.response, None,
        "nothing is encrypted before the peers answer"
    );
    assert_eq!(h.relay, None);
    assert_eq!(h.forwards.len(), 2);
    let r = s.drive(h);
    assert_eq!(open(&onion, &r), (200, stored_reply(&s, b"over the onion")));
}

#[test]
fn an_onion_delete_is_encrypted_once_the_swarm_has_answered() {
    let mut s = swarm();
    let m = message(&s, b"gone");
    s.a.backend_mut().store(&m, now()).unwrap();
    s.d.backend_mut().store(&m, now()).unwrap();
    let req = delete(&s.client, m.hash, true);
    let (onion, h) = onion_to_a(&mut s, &req);
    assert_eq!(h.response, None);
    let r = s.drive(h);
    assert_eq!(open(&onion, &r), (200, deleted_reply(&s, m.hash)));
}

#[test]
fn requests_not_forwarded_are_answered_at_once() {
    let mut s = swarm();
    let h = http(&mut s.a, &json!({"method": "info", "params": {}}));
    assert_eq!((h.pending, h.response.unwrap().status), (None, 200));
    // A refused store is not forwarded, and so answered at once.
    let mut bad = store(s.account, b"x");
    bad["params"]["ttl"] = json!(1);
    let h = http(&mut s.a, &bad);
    assert!(h.forwards.is_empty());
    assert_eq!((h.pending, h.response.unwrap().status), (None, 403));
    // A node alone in its swarm has nobody to wait for.
    let me = s.records[0];
    let mut alone = Node::new(
        s.ids[0].clone(),
        MemoryStore::new(),
        [me],
        NodeConfig::default(),
    );
    let h = http(&mut alone, &store(s.account, b"x"));
    assert_eq!((h.pending, h.response.unwrap().status), (None, 200));
    assert_eq!(s.a.pending_replies(), 0);
}

/// The storage server runs a sequence's next step once the step before has its swarm's
/// results: a required delete that found nothing here but something on a peer is a success,
/// and the sequence goes on.
#[test]
fn a_sequence_goes_on_when_a_peer_made_the_step_succeed() {
    let mut s = swarm();
    let gone = message(&s, b"gone");
    s.d.backend_mut().store(&gone, now()).unwrap();
    let seq = json!({"method": "sequence", "params": {"requests": [delete(&s.client, gone.hash, true), store(s.account, b"one")]}});
    let h = http(&mut s.a, &seq);
    let id = h.pending.unwrap();
    assert!(h.forwards.iter().all(|f| f.method == "delete"));
    let one = MessageHash::compute(&s.account, Namespace(0), b"one");
    assert!(
        !s.holds(&s.a, &one),
        "the store waits for the delete's swarm"
    );

    let b = s.answer(&h.forwards[0], now());
    assert_eq!(b.forwards.len(), 0);
    let d = s.answer(&h.forwards[1], now());
    assert_eq!((d.pending, &d.response), (Some(id), &None));
    let methods: Vec<&str> = d.forwards.iter().map(|f| f.method).collect();
    assert_eq!(methods, ["store", "store"]);
    assert!(s.holds(&s.a, &one), "the next step ran");
    assert_eq!(s.a.pending_replies(), 1);

    let mut last = Handled::default();
    for f in &d.forwards {
        last = s.answer(f, now());
    }
    let r = last.response.unwrap();
    assert_eq!(r.status, 200);
    let v = body(&r);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["code"], 200);
    assert_eq!(
        results[0]["body"]["swarm"][s.key(2)]["deleted"],
        json!([gone.hash.to_string()])
    );
    assert_eq!(results[1]["code"], 200);
    let expected: Value = serde_json::from_str(&stored_reply(&s, b"one")).unwrap();
    assert_eq!(results[1]["body"], expected);
    assert!(s.holds(&s.b, &one) && s.holds(&s.d, &one));
}

/// ... and stops where the swarm's results leave a step failed.
#[test]
fn a_sequence_stops_where_the_swarm_failed() {
    let mut s = swarm();
    let nowhere = MessageHash::compute(&s.account, Namespace(0), b"nowhere");
    let seq = json!({"method": "sequence", "params": {"requests": [delete(&s.client, nowhere, true), store(s.account, b"one")]}});
    let h = http(&mut s.a, &seq);
    let b = s.answer(&h.forwards[0], now());
    assert_eq!(b.response, None);
    let d = s.answer(&h.forwards[1], now());
    assert!(d.forwards.is_empty(), "the store is never run");
    let v = body(&d.response.unwrap());
    assert_eq!(v["results"].as_array().unwrap().len(), 1);
    assert_eq!(v["results"][0]["code"], 404);
    assert_eq!(
        v["results"][0]["body"]["swarm"].as_object().unwrap().len(),
        3
    );
    let one = MessageHash::compute(&s.account, Namespace(0), b"one");
    assert!(!s.holds(&s.a, &one));
}

#[test]
fn batch_and_ifelse_sub_results_wait_for_their_peers() {
    let mut s = swarm();
    let batch = json!({"method": "batch", "params": {"requests": [
        store(s.account, b"one"), {"method": "info", "params": {}}, store(s.account, b"two")]}});
    let h = http(&mut s.a, &batch);
    assert_eq!(h.forwards.len(), 4, "both stores are forwarded at once");
    let v = body(&s.drive(h));
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for (i, data) in [(0, &b"one"[..]), (2, &b"two"[..])] {
        assert_eq!(results[i]["code"], 200);
        let expected: Value = serde_json::from_str(&stored_reply(&s, data)).unwrap();
        assert_eq!(results[i]["body"], expected);
    }
    assert_eq!(results[1]["code"], 200);

    let ifelse = json!({"method": "ifelse", "params": {"if": {"height_at_least": 0}, "then": store(s.account, b"three")}});
    let h = http(&mut s.a, &ifelse);
    let v = body(&s.drive(h));
    assert_eq!(v["condition"], true);
    let expected: Value = serde_json::from_str(&stored_reply(&s, b"three")).unwrap();
    assert_eq!(v["result"], json!({"code": 200, "body": expected}));
}

#[test]
fn bencoded_requests_get_raw_entries() {
    let mut s = swarm();
    let mut bt = b"d8:requestsld6:method5:store6:paramsd4:data3:one6:pubkey33:".to_vec();
    bt.extend_from_slice(&s.account.to_bytes());
    bt.extend_from_slice(format!("9:timestampi{NOW_MS}e3:ttli3600000eeeee").as_bytes());
    let h = s.a.handle_omq_request(now(), &mut rng(), "batch", &bt);
    assert_eq!(h.response, None);
    let r = s.drive(h);
    let v = session_core::bencode::decode(&r.body).unwrap();
    let results = v.get(b"results").unwrap();
    let session_core::bencode::Value::List(items) = results else {
        panic!("a list");
    };
    let swarm = items[0].get(b"body").unwrap().get(b"swarm").unwrap();
    let hash = MessageHash::compute(&s.account, Namespace(0), b"one").to_string();
    for i in 0..3 {
        let entry = swarm.get(s.key(i).as_bytes()).unwrap();
        let signature = entry.get(b"signature").unwrap().as_bytes().unwrap();
        assert_eq!(signature, s.ids[i].sign(hash.as_bytes()));
    }
}

#[test]
fn failed_and_garbled_answers_are_entries_too() {
    let mut s = swarm();
    let h = http(&mut s.a, &store(s.account, b"hello"));
    let id = h.pending.unwrap();
    let busy = PeerReply::Error {
        code: "503",
        reason: "busy",
    };
    assert_eq!(
        s.a.peer_answered(now(), &mut rng(), h.forwards[0].id, busy)
            .pending,
        Some(id)
    );
    let r =
        s.a.peer_answered(now(), &mut rng(), h.forwards[1].id, PeerReply::Reply(b"x"))
            .response
            .unwrap();
    assert_eq!(r.status, 200);
    let v = body(&r);
    assert_eq!(
        v["swarm"][s.key(1)],
        json!({"failed": true, "code": "503", "reason": "busy"})
    );
    assert_eq!(
        v["swarm"][s.key(2)],
        json!({"failed": true, "bad_peer_response": true})
    );
}

#[test]
fn peers_that_do_not_answer_time_out() {
    let mut s = swarm();
    let h = http(&mut s.a, &store(s.account, b"hello"));
    let id = h.pending.unwrap();
    s.answer(&h.forwards[0], now());
    let deadline = Timestamp(NOW_MS + PEER_TIMEOUT_MS);
    assert_eq!(s.a.next_timeout(), Some(deadline));
    assert!(
        s.a.handle_timeouts(Timestamp(NOW_MS + PEER_TIMEOUT_MS - 1), &mut rng())
            .is_empty()
    );
    let done = s.a.handle_timeouts(deadline, &mut rng());
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].pending, Some(id));
    let r = done[0].response.clone().unwrap();
    assert_eq!(r.status, 200);
    let v = body(&r);
    assert_eq!(
        v["swarm"][s.key(2)],
        json!({"failed": true, "timeout": true})
    );
    assert!(v["swarm"][s.key(1)]["signature"].is_string());
    assert_eq!(s.a.pending_replies(), 0);
    // D's answer comes too late.
    assert_eq!(s.answer(&h.forwards[1], deadline), Handled::default());

    // A runtime may time out a peer itself; a sequence's next step gets its own 5 seconds.
    let seq = json!({"method": "sequence", "params": {"requests": [store(s.account, b"one"), store(s.account, b"two")]}});
    let h = http(&mut s.a, &seq);
    let later = Timestamp(NOW_MS + 3_000);
    s.a.peer_answered(later, &mut rng(), h.forwards[0].id, PeerReply::Timeout);
    let next =
        s.a.peer_answered(later, &mut rng(), h.forwards[1].id, PeerReply::Timeout);
    assert_eq!(
        next.forwards.len(),
        2,
        "a timed-out store still succeeded here"
    );
    assert_eq!(
        s.a.next_timeout(),
        Some(Timestamp(NOW_MS + 3_000 + PEER_TIMEOUT_MS))
    );
    let done =
        s.a.handle_timeouts(Timestamp(NOW_MS + 3_000 + PEER_TIMEOUT_MS), &mut rng());
    let v = body(done[0].response.as_ref().unwrap());
    assert_eq!(v["results"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["results"][1]["body"]["swarm"][s.key(1)],
        json!({"failed": true, "timeout": true})
    );
    // The second step ran at the time of the answers that let it.
    assert_eq!(v["results"][1]["body"]["t"], NOW_MS + 3_000);
}

#[test]
fn waiting_replies_are_bounded() {
    let mut s = swarm_with(NodeConfig {
        max_pending_replies: 2,
        ..NodeConfig::default()
    });
    let first = http(&mut s.a, &store(s.account, b"1"));
    let second = http(&mut s.a, &store(s.account, b"2"));
    assert!(first.pending.is_some() && second.pending.is_some());
    assert_eq!(s.a.pending_replies(), 2);
    // At the limit, a node answers at once with its own entry, as one that does not wait.
    let third = http(&mut s.a, &store(s.account, b"3"));
    assert_eq!(third.pending, None);
    assert_eq!(third.forwards.len(), 2, "the peers still get the store");
    let v = body(third.response.as_ref().unwrap());
    assert_eq!(v["swarm"].as_object().unwrap().len(), 1);
    assert_eq!(s.a.pending_replies(), 2);
    assert_eq!(s.answer(&third.forwards[0], now()), Handled::default());

    // Sweeping forgets replies left waiting a whole timeout after their deadline.
    s.a.sweep(Timestamp(NOW_MS + 2 * PEER_TIMEOUT_MS)).unwrap();
    assert_eq!(s.a.pending_replies(), 2);
    s.a.sweep(Timestamp(NOW_MS + 2 * PEER_TIMEOUT_MS + 1))
        .unwrap();
    assert_eq!(s.a.pending_replies(), 0);
    assert_eq!(s.answer(&first.forwards[0], now()), Handled::default());
    // Room again: the next store waits.
    assert!(http(&mut s.a, &store(s.account, b"4")).pending.is_some());
}

#[test]
fn answers_for_other_nodes_replies_are_ignored() {
    let mut s = swarm();
    // B is the entry node of its own request: its forward ids mean nothing to A.
    let on_b = http(&mut s.b, &store(s.account, b"b"));
    let on_a = http(&mut s.a, &store(s.account, b"a"));
    for f in &on_b.forwards {
        let out =
            s.a.peer_answered(now(), &mut rng(), f.id, PeerReply::Timeout);
        assert!(out.response.is_none());
    }
    assert_eq!(s.a.pending_replies(), 1);
    assert_eq!(
        s.drive(on_a).body_text(),
        stored_reply(&s, b"a"),
        "A's reply has its own peers' answers only"
    );
}

#[test]
fn a_node_that_does_not_wait_answers_at_once() {
    let mut s = swarm_with(immediate());
    let h = http(&mut s.a, &store(s.account, b"hello"));
    assert_eq!(h.pending, None);
    assert_eq!(h.forwards.len(), 2);
    let r = h.response.unwrap();
    let merged = session_node::with_peer_replies(
        &r,
        h.forwards
            .iter()
            .map(|f| {
                let reply = s.peer_answer(f);
                (f.to.ed25519, reply)
            })
            .collect::<Vec<_>>()
            .iter()
            .map(|(k, reply)| (*k, PeerReply::Reply(reply))),
    );
    assert_eq!(merged.body_text(), stored_reply(&s, b"hello"));
    assert_eq!(s.a.pending_replies(), 0);
}

/// One step of a runtime driving A at random.
#[derive(Debug, Clone)]
enum Op {
    /// A client request: a store, a batch or a sequence of stores and required deletes.
    Request(u8),
    /// Answer forward number `n` (any forward seen so far, answered or not) with `answer`.
    Answer(usize, Answer),
    /// Time passes by this many milliseconds, then timeouts are handled or A sweeps.
    Wait(u16, bool),
}

#[derive(Debug, Clone)]
enum Answer {
    Real,
    Bytes(Vec<u8>),
    Error(String, String),
    Timeout,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u8>().prop_map(Op::Request),
        (
            any::<usize>(),
            prop_oneof![
                Just(Answer::Real),
                prop::collection::vec(any::<u8>(), 0..64).prop_map(Answer::Bytes),
                (".{0,4}", ".{0,12}").prop_map(|(c, r)| Answer::Error(c, r)),
                Just(Answer::Timeout),
            ]
        )
            .prop_map(|(n, a)| Op::Answer(n, a)),
        (any::<u16>(), any::<bool>()).prop_map(|(ms, sweep)| Op::Wait(ms, sweep)),
    ]
}

/// The replies that waited, and those answered.
#[derive(Default)]
struct Seen {
    waited: std::collections::BTreeSet<session_node::PendingId>,
    answered: std::collections::BTreeSet<session_node::PendingId>,
}

impl Seen {
    fn take(&mut self, h: Handled, forwards: &mut Vec<Forward>) -> Result<(), TestCaseError> {
        forwards.extend(h.forwards);
        match (h.pending, h.response) {
            (Some(id), Some(_)) => {
                prop_assert!(self.waited.contains(&id), "only a reply that waited");
                prop_assert!(self.answered.insert(id), "answered once");
            }
            (Some(id), None) => {
                prop_assert!(!self.answered.contains(&id));
                self.waited.insert(id);
            }
            (None, _) => {}
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the runtime passes back (answers in any order, twice, garbled, for finished
    /// replies; timeouts at any time), A never panics, answers every waiting reply at most
    /// once, never holds more than its limit, and once time has run out holds none.
    #[test]
    fn arbitrary_answers_never_panic(ops in prop::collection::vec(op(), 1..40)) {
        let mut s = swarm_with(NodeConfig { max_pending_replies: 3, ..NodeConfig::default() });
        let mut forwards: Vec<Forward> = Vec::new();
        let mut seen = Seen::default();
        let mut t = NOW_MS;
        let mut n = 0u32;
        for op in ops {
            match op {
                Op::Request(kind) => {
                    n += 1;
                    let data = format!("m{n}");
                    let one = store(s.account, data.as_bytes());
                    let hash = MessageHash::compute(&s.account, Namespace(0), data.as_bytes());
                    let req = match kind % 3 {
                        0 => one,
                        1 => json!({"method": "batch", "params": {"requests": [one, delete(&s.client, hash, true)]}}),
                        _ => json!({"method": "sequence", "params": {"requests": [delete(&s.client, hash, true), one]}}),
                    };
                    let h = s.a.handle_http(Timestamp(t), &mut rng(),
                        &Request::post("/storage_rpc/v1", req.to_string().as_bytes()));
                    seen.take(h, &mut forwards)?;
                }
                Op::Answer(i, answer) => {
                    if forwards.is_empty() {
                        continue;
                    }
                    let f = forwards[i % forwards.len()].clone();
                    let real;
                    let reply = match &answer {
                        Answer::Real => {
                            real = s.peer_answer(&f);
                            PeerReply::Reply(&real)
                        }
                        Answer::Bytes(b) => PeerReply::Reply(b),
                        Answer::Error(c, r) => PeerReply::Error { code: c, reason: r },
                        Answer::Timeout => PeerReply::Timeout,
                    };
                    let h = s.a.peer_answered(Timestamp(t), &mut rng(), f.id, reply);
                    seen.take(h, &mut forwards)?;
                }
                Op::Wait(ms, sweep) => {
                    t += u64::from(ms);
                    if sweep {
                        s.a.sweep(Timestamp(t)).unwrap();
                    } else {
                        for h in s.a.handle_timeouts(Timestamp(t), &mut rng()) {
                            seen.take(h, &mut forwards)?;
                        }
                    }
                }
            }
            prop_assert!(s.a.pending_replies() <= 3);
        }
        // A sequence has at most two steps: two rounds of timeouts finish everything.
        for _ in 0..2 {
            t += PEER_TIMEOUT_MS;
            for h in s.a.handle_timeouts(Timestamp(t), &mut rng()) {
                seen.take(h, &mut forwards)?;
            }
        }
        prop_assert_eq!(s.a.pending_replies(), 0);
        prop_assert_eq!(s.a.next_timeout(), None);
    }
}
