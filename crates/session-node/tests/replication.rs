//! Swarm changes: a node that joins a swarm receives everything its swarm holds, namespaces
//! kept.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use serde_json::json;
use session_core::{Identity, Namespace};
use session_node::Node;
use session_storage::{MemoryStore, MessageReader, RetrieveQuery};

#[test]
fn a_newcomer_receives_its_swarms_messages() {
    let mut net = net();
    let s = sig(
        &net.client,
        &session_storage::policy::payload::store(Namespace(2), now()),
    );
    for (ns, data, signature) in [(0, "aGk=", None), (2, "Y29uZmln", Some(s))] {
        let mut params = json!({"pubkey": net.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": data, "namespace": ns});
        if let Some(sig) = signature {
            params["signature"] = json!(sig);
        }
        let (_, r) = rpc(&mut net.a, "store", params);
        assert_eq!(r.status, 200, "{}", r.body_text());
    }

    // D joins A's swarm.
    let d_id = Identity::from_seed_bytes(&[4; 32]).unwrap();
    let mut d_record = session_node::testing::service_node(&d_id, [10, 0, 0, 4], 0);
    d_record.swarm_id = net.nodes[0].swarm_id;
    let mut nodes = net.nodes.clone();
    nodes.push(d_record);
    let mut d = Node::new(d_id, MemoryStore::new(), nodes.clone(), immediate());
    let pushes = net.a.new_swarm_map(now(), nodes.clone()).unwrap();
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].to.ed25519, d.ed25519());
    assert_eq!(pushes[0].messages, 2);
    for batch in &pushes[0].batches {
        let stats = d.receive_push(now(), batch).unwrap();
        assert_eq!(stats.inserted, 2);
    }
    for ns in [0, 2] {
        let page = d
            .backend()
            .retrieve(&RetrieveQuery::all(net.account, Namespace(ns)), now())
            .unwrap();
        assert_eq!(page.messages.len(), 1, "namespace {ns}");
    }
    // The newcomer now serves the account: a signed retrieve on D finds the message.
    let rs = sig(
        &net.client,
        &session_storage::policy::payload::retrieve(Namespace(2), now()),
    );
    let (_, r) = rpc(
        &mut d,
        "retrieve",
        json!({"pubkey": net.account.to_string(), "namespace": 2, "timestamp": NOW_MS, "signature": rs}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(body(&r)["messages"][0]["data"], "Y29uZmln");
    // And the entry node now forwards stores to two peers.
    let (out, _) = rpc(
        &mut net.a,
        "store",
        json!({"pubkey": net.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": "bmV3"}),
    );
    assert_eq!(out.forwards.len(), 2);
}
