//! Every endpoint's success and failure bodies, as the storage server writes them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use serde_json::json;
use session_core::{MessageHash, Namespace, Timestamp};
use session_node::Request;
use session_storage::policy::payload;
use session_storage::{ExpiryMode, MessageReader, NamespaceSelector, RetrieveQuery};

fn store_public(net: &mut Net, data: &str) -> serde_json::Value {
    let (_, r) = rpc(
        &mut net.a,
        "store",
        json!({"pubkey": net.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": data}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    body(&r)
}

#[test]
fn info() {
    let mut net = net();
    let (_, r) = rpc(&mut net.a, "info", json!({}));
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body_text(),
        r#"{"hf":[19,4],"t":1700000000000,"timestamp":1700000000000,"version":[2,10,0]}"#
    );
    assert_eq!(r.headers[0].1, "application/json");
}

#[test]
fn envelope_errors() {
    let mut net = net();
    let post = |node: &mut session_node::Node<_>, b: &[u8]| {
        node.handle_http(now(), &mut rng(), &Request::post("/storage_rpc/v1", b))
            .response
            .unwrap()
    };
    for (input, status, text) in [
        (&b"not json"[..], 400, "invalid json"),
        (br#"{"params":{}}"#, 400, "invalid json: no `method` field"),
        (br#"{"method":"info"}"#, 400, "invalid json: no `params` field"),
        (br#"{"method":"info","params":[]}"#, 400, "invalid json: no `params` field"),
        (br#"{"method":"frobnicate","params":{}}"#, 400, "no method frobnicate"),
        (
            br#"{"method":"store","params":{}}"#,
            400,
            "invalid request: Required field 'timestamp' missing",
        ),
        (
            br#"{"method":"get_swarm","params":{"pubkey":"05"}}"#,
            400,
            "invalid request: Pubkey must be 66 hex digits/33 bytes long",
        ),
        (
            br#"{"method":"retrieve","params":{"pubkey":"050000000000000000000000000000000000000000000000000000000000000000","namespace":70000}}"#,
            400,
            "invalid request: Invalid value given for 'namespace': value out of range",
        ),
    ] {
        let r = post(&mut net.a, input);
        assert_eq!((r.status, r.body_text().as_str()), (status, text));
    }
    let r = net
        .a
        .handle_http(now(), &mut rng(), &Request::post("/nope", b""))
        .response
        .unwrap();
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (404, "POST /nope Not Found")
    );
}

#[test]
fn store_reply_forwards_and_peer_result() {
    let mut net = net();
    let (out, r) = rpc(
        &mut net.a,
        "store",
        json!({"pubkey": net.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": "aGVsbG8="}),
    );
    assert_eq!(r.status, 200);
    let hash = MessageHash::compute(&net.account, Namespace(0), b"hello").to_string();
    let a_key = net.a.ed25519();
    let v = body(&r);
    let mine = &v["swarm"][a_key.to_string()];
    assert_eq!(v["hash"], hash.as_str());
    assert_eq!(mine["hash"], hash.as_str());
    assert_eq!(mine["expiry"], NOW_MS + 3_600_000);
    assert_eq!(mine["t"], NOW_MS);
    assert!(mine.get("already").is_none());
    assert!(verify(
        &a_key,
        hash.as_bytes(),
        mine["signature"].as_str().unwrap()
    ));
    assert_eq!(v["t"], NOW_MS);
    assert_eq!(v["hf"], json!([19, 4]));
    // Keys in the storage server's (sorted) order.
    let text = r.body_text();
    assert!(text.starts_with(r#"{"hash":""#), "{text}");
    assert!(text.ends_with(&format!(r#""t":{NOW_MS}}}"#)), "{text}");

    // One forward, to B, which stores the message too and answers in bencode.
    assert_eq!(out.forwards.len(), 1);
    let fwd = &out.forwards[0];
    assert_eq!((fwd.to.ed25519, fwd.method), (net.b.ed25519(), "store"));
    let (status, reply, _) = net.b.handle_peer_request(now(), fwd.method, &fwd.body);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&reply));
    let decoded = session_core::bencode::decode(&reply).unwrap();
    assert_eq!(
        decoded.get(b"hash").unwrap().as_bytes().unwrap(),
        hash.as_bytes()
    );
    assert_eq!(
        decoded.get(b"signature").unwrap().as_bytes().unwrap().len(),
        64
    );
    assert_eq!(
        decoded.get(b"expiry").unwrap().as_int(),
        Some((NOW_MS + 3_600_000) as i64)
    );
    let page = net
        .b
        .backend()
        .retrieve(&RetrieveQuery::all(net.account, Namespace(0)), now())
        .unwrap();
    assert_eq!(page.messages[0].data, b"hello");

    // A second store of the same message: `already`, no notification-worthy change.
    let again = store_public(&mut net, "aGVsbG8=");
    assert_eq!(again["swarm"][a_key.to_string()]["already"], true);
    // A peer refuses a request that may not be forwarded.
    let (status, reply, _) = net.b.handle_peer_request(now(), "info", b"de");
    assert_eq!(
        (status, String::from_utf8_lossy(&reply).as_ref()),
        (
            400,
            "invalid request: received invalid forwarded non-forwardable request"
        )
    );
}

#[test]
fn store_failures() {
    let mut net = net();
    let pk = net.account.to_string();
    for (params, status, text) in [
        (
            json!({"pubkey": pk, "timestamp": NOW_MS, "ttl": 1000, "data": "aGk="}),
            403,
            "Provided expiry/TTL is not valid.",
        ),
        (
            json!({"pubkey": pk, "timestamp": NOW_MS + 60_000, "ttl": 100_000, "data": "aGk="}),
            406,
            "Timestamp error: check your clock",
        ),
        (
            json!({"pubkey": pk, "timestamp": NOW_MS, "ttl": 100_000, "data": "aGk=", "namespace": 2}),
            401,
            "store: signature required to store to namespace 2",
        ),
        (
            json!({"pubkey": pk, "timestamp": NOW_MS, "ttl": 100_000, "data": "!!"}),
            400,
            "invalid request: Invalid 'data' value: not base64 encoded",
        ),
        (
            json!({"pubkey": pk, "timestamp": NOW_MS, "ttl": 100_000, "expiry": NOW_MS + 100_000, "data": "aGk="}),
            400,
            "invalid request: Cannot specify both 'expiry' and 'ttl'",
        ),
        (
            // Seconds where milliseconds belong: a date in 1970, so a clock error.
            json!({"pubkey": pk, "timestamp": 1_700_000_000u64, "ttl": 100_000, "data": "aGk="}),
            406,
            "Timestamp error: check your clock",
        ),
        (
            json!({"pubkey": pk, "timestamp": NOW_MS, "ttl": 100_000, "data": "aGk=", "namespace": 2,
                   "signature": sig(&net.client, b"wrong")}),
            401,
            "store signature verification failed",
        ),
    ] {
        let (out, r) = rpc(&mut net.a, "store", params);
        assert_eq!((r.status, r.body_text().as_str()), (status, text));
        assert!(out.forwards.is_empty());
    }
}

#[test]
fn stringified_timestamp_and_ttl_and_signed_store() {
    let mut net = net();
    let sig_store = sig(&net.client, &payload::store(Namespace(2), now()));
    let (_, r) = rpc(
        &mut net.a,
        "store",
        json!({"pubKey": net.account.to_string(), "timestamp": NOW_MS.to_string(), "ttl": "100000",
               "data": "aGk=", "namespace": 2, "signature": sig_store}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
}

#[test]
fn wrong_swarm_answers_the_owning_swarm() {
    let mut net = net();
    let (out, r) = rpc(
        &mut net.a,
        "store",
        json!({"pubkey": net.foreign.to_string(), "timestamp": NOW_MS, "ttl": 100_000, "data": "aGk="}),
    );
    assert_eq!(r.status, 421);
    assert!(out.forwards.is_empty());
    let v = body(&r);
    let c = &net.nodes[2];
    assert_eq!(v["swarm"], format!("{:x}", c.swarm_id.0));
    assert_eq!(v["snodes"].as_array().unwrap().len(), 1);
    let sn = &v["snodes"][0];
    assert_eq!(sn["pubkey_ed25519"], c.ed25519.to_string());
    assert_eq!(sn["pubkey_legacy"], c.ed25519.to_string());
    assert_eq!(sn["pubkey_x25519"], c.x25519.to_string());
    assert_eq!(sn["ip"], "10.0.0.3");
    assert_eq!(sn["port"], "22021");
    assert_eq!(sn["port_https"], 22021);
    assert_eq!(
        (sn["port_omq"].clone(), sn["port_quic"].clone()),
        (json!(22020), json!(22020))
    );
    let address = sn["address"].as_str().unwrap();
    assert!(
        address.ends_with(".snode") && address.len() == 52 + 6,
        "{address}"
    );
    assert_eq!(v["t"], NOW_MS);
    // get_swarm and its alias give the same swarm with 200.
    for m in ["get_swarm", "get_snodes_for_pubkey"] {
        let (_, r) = rpc(&mut net.a, m, json!({"pubkey": net.foreign.to_string()}));
        assert_eq!(r.status, 200);
        assert_eq!(body(&r)["snodes"], v["snodes"]);
    }
}

#[test]
fn base32z_of_a_known_key() {
    // oxenc's base32z of 32 zero bytes is 52 'y's; of 0xff.. is 52 '9's with the last
    // character carrying 2 padding bits.
    let mut net = net();
    let (_, r) = rpc(
        &mut net.a,
        "get_swarm",
        json!({"pubkey": net.account.to_string()}),
    );
    let v = body(&r);
    let mut keys: Vec<String> = v["snodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["address"].as_str().unwrap().to_owned())
        .collect();
    keys.sort();
    assert_eq!(keys.len(), 2);
    for k in keys {
        assert!(
            k.chars()
                .take(52)
                .all(|c| "ybndrfg8ejkmcpqxot1uwisza345h769".contains(c))
        );
    }
}

#[test]
fn retrieve_signed_and_unsigned() {
    let mut net = net();
    store_public(&mut net, "aGVsbG8=");
    let pk = net.account.to_string();
    let (_, r) = rpc(&mut net.a, "retrieve", json!({"pubkey": pk}));
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (401, "retrieve: request signature required")
    );
    let s = sig(&net.client, &payload::retrieve(Namespace(0), now()));
    let (_, r) = rpc(
        &mut net.a,
        "retrieve",
        json!({"pubkey": pk, "timestamp": NOW_MS, "signature": s}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    let hash = MessageHash::compute(&net.account, Namespace(0), b"hello").to_string();
    assert_eq!(
        r.body_text(),
        format!(
            r#"{{"hf":[19,4],"messages":[{{"data":"aGVsbG8=","expiration":{},"hash":"{hash}","timestamp":{NOW_MS}}}],"more":false,"t":{NOW_MS}}}"#,
            NOW_MS + 3_600_000
        )
    );
    // Signed too long ago.
    let old = Timestamp::from_millis(NOW_MS - 61_000);
    let s = sig(&net.client, &payload::retrieve(Namespace(0), old));
    let (_, r) = rpc(
        &mut net.a,
        "retrieve",
        json!({"pubkey": pk, "timestamp": old.as_millis(), "signature": s}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (406, "retrieve timestamp too far from current time")
    );
    let (_, r) = rpc(
        &mut net.a,
        "retrieve",
        json!({"pubkey": pk, "timestamp": NOW_MS, "signature": sig(&net.client, b"x")}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (401, "retrieve signature verification failed")
    );
    let (_, r) = rpc(
        &mut net.a,
        "retrieve",
        json!({"pubkey": pk, "timestamp": NOW_MS, "signature": "short"}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (
            400,
            "invalid request: invalid signature: expected base64 encoded Ed25519 signature"
        )
    );
    let (_, r) = rpc(
        &mut net.a,
        "retrieve",
        json!({"pubkey": pk, "last_hash": "abc"}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (
            400,
            "invalid request: Invalid last_hash: expected base64 (43 chars)"
        )
    );
}

#[test]
fn delete_and_delete_all_signed_by_the_node() {
    let mut net = net();
    store_public(&mut net, "aGVsbG8=");
    let hash = MessageHash::compute(&net.account, Namespace(0), b"hello");
    let pk = net.account.to_string();
    let s = sig(&net.client, &payload::delete(&[hash]));
    let (out, r) = rpc(
        &mut net.a,
        "delete",
        json!({"pubkey": pk, "messages": [hash.to_string()], "signature": s}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    assert_eq!(out.forwards.len(), 1);
    let v = body(&r);
    let a_key = net.a.ed25519();
    let mine = &v["swarm"][a_key.to_string()];
    assert_eq!(mine["deleted"], json!([hash.to_string()]));
    let signed = format!("{pk}{hash}{hash}");
    assert!(verify(
        &a_key,
        signed.as_bytes(),
        mine["signature"].as_str().unwrap()
    ));
    // Again with `required`: nothing left to delete → 404.
    let (_, r) = rpc(
        &mut net.a,
        "delete",
        json!({"pubkey": pk, "messages": [hash.to_string()], "signature": s, "required": true}),
    );
    assert_eq!(r.status, 404);
    let (_, r) = rpc(
        &mut net.a,
        "delete",
        json!({"pubkey": pk, "messages": [hash.to_string()], "signature": sig(&net.client, b"no")}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (401, "delete_msgs signature verification failed")
    );
    let (_, r) = rpc(
        &mut net.a,
        "delete",
        json!({"pubkey": pk, "messages": ["nope"], "signature": s}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (400, "invalid request: invalid message hash: nope")
    );

    // delete_all over every namespace: a map by namespace, sorted hashes.
    store_public(&mut net, "aGVsbG8=");
    let s = sig(
        &net.client,
        &payload::delete_all(NamespaceSelector::All, now()),
    );
    let (_, r) = rpc(
        &mut net.a,
        "delete_all",
        json!({"pubkey": pk, "namespace": "all", "timestamp": NOW_MS, "signature": s}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    let mine = &body(&r)["swarm"][a_key.to_string()];
    assert_eq!(mine["deleted"], json!({"0": [hash.to_string()]}));
    let signed = format!("{pk}{NOW_MS}{hash}");
    assert!(verify(
        &a_key,
        signed.as_bytes(),
        mine["signature"].as_str().unwrap()
    ));
    let old = NOW_MS - 120_000;
    let s = sig(
        &net.client,
        &payload::delete_all(
            NamespaceSelector::One(Namespace(0)),
            Timestamp::from_millis(old),
        ),
    );
    let (_, r) = rpc(
        &mut net.a,
        "delete_all",
        json!({"pubkey": pk, "timestamp": old, "signature": s}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (406, "delete_all timestamp too far from current time")
    );
}

#[test]
fn expire_and_get_expiries() {
    let mut net = net();
    store_public(&mut net, "aGVsbG8=");
    let hash = MessageHash::compute(&net.account, Namespace(0), b"hello");
    let pk = net.account.to_string();
    let new_exp = Timestamp::from_millis(NOW_MS + 7_200_000);
    let s = sig(
        &net.client,
        &payload::expire(ExpiryMode::ExtendOnly, &[new_exp], &[hash]),
    );
    let (_, r) = rpc(
        &mut net.a,
        "expire",
        json!({"pubkey": pk, "messages": [hash.to_string()], "expiry": new_exp.as_millis(), "extend": true, "signature": s}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    let a_key = net.a.ed25519();
    let mine = body(&r)["swarm"][a_key.to_string()].clone();
    assert_eq!(mine["updated"], json!([hash.to_string()]));
    assert_eq!(mine["expiry"], new_exp.as_millis());
    assert_eq!(mine["unchanged"], json!({}));
    let signed = format!("{pk}{}{hash}{hash}", new_exp.as_millis());
    assert!(verify(
        &a_key,
        signed.as_bytes(),
        mine["signature"].as_str().unwrap()
    ));

    let s = sig(&net.client, &payload::get_expiries(now(), &[hash]));
    let (_, r) = rpc(
        &mut net.a,
        "get_expiries",
        json!({"pubkey": pk, "messages": [hash.to_string()], "timestamp": NOW_MS, "signature": s}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body_text(),
        format!(r#"{{"expiries":{{"{hash}":{}}}}}"#, new_exp.as_millis())
    );

    let past = Timestamp::from_millis(NOW_MS - 120_000);
    let s = sig(
        &net.client,
        &payload::expire(ExpiryMode::Set, &[past], &[hash]),
    );
    let (_, r) = rpc(
        &mut net.a,
        "expire",
        json!({"pubkey": pk, "messages": [hash.to_string()], "expiry": past.as_millis(), "signature": s}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (401, "expire: timestamp should be >= current time")
    );
    let (_, r) = rpc(
        &mut net.a,
        "expire",
        json!({"pubkey": pk, "messages": [hash.to_string()], "expiry": NOW_MS, "shorten": true, "extend": true, "signature": s}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (
            400,
            "invalid request: cannot specify both 'shorten' and 'extend'"
        )
    );
}

#[test]
fn revoke_subaccount_signed_reply() {
    let mut net = net();
    let pk = net.account.to_string();
    let token = session_storage::SubaccountToken::new(
        0x03,
        session_storage::SubaccountFlags::READ,
        &session_core::Ed25519PublicKey::from_bytes([7; 32]),
    );
    let s = sig(&net.client, &payload::revoke(true, now(), &[token]));
    let (out, r) = rpc(
        &mut net.a,
        "revoke_subaccount",
        json!({"pubkey": pk, "revoke": [session_core::encoding::encode_base64(&token.0)], "timestamp": NOW_MS, "signature": s}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    assert_eq!(out.forwards[0].method, "revoke_subaccount");
    let a_key = net.a.ed25519();
    let mine = &body(&r)["swarm"][a_key.to_string()];
    let mut signed = format!("{pk}{NOW_MS}").into_bytes();
    signed.extend_from_slice(&token.0);
    assert!(verify(&a_key, &signed, mine["signature"].as_str().unwrap()));
    use session_storage::RevocationStore;
    assert!(net.a.backend().is_revoked(&net.account, &token).unwrap());
    let (_, r) = rpc(
        &mut net.a,
        "revoke_subaccount",
        json!({"pubkey": pk, "revoke": ["zz"], "timestamp": NOW_MS, "signature": s}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (
            400,
            "invalid request: invalid revoke: expected base64 or hex-encoded subaccount tag"
        )
    );
}

#[test]
fn batch_sequence_ifelse() {
    let mut net = net();
    let pk = net.account.to_string();
    let good = json!({"method": "info", "params": {}});
    let bad = json!({"method": "retrieve", "params": {"pubkey": pk}});
    let (_, r) = rpc(&mut net.a, "batch", json!({"requests": [good, bad, good]}));
    assert_eq!(r.status, 200);
    let v = body(&r);
    let codes: Vec<u64> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [200, 401, 200]);
    assert_eq!(
        v["results"][1]["body"],
        "retrieve: request signature required"
    );
    assert_eq!(v["results"][0]["body"]["version"], json!([2, 10, 0]));
    // sequence stops at the first failure.
    let (_, r) = rpc(
        &mut net.a,
        "sequence",
        json!({"requests": [good, bad, good]}),
    );
    let codes: Vec<u64> = body(&r)["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [200, 401]);
    // Limits and shapes.
    let many: Vec<_> = (0..21).map(|_| good.clone()).collect();
    for (params, text) in [
        (
            json!({"requests": many}),
            "invalid request: Invalid batch request: subrequest limit exceeded",
        ),
        (
            json!({"requests": []}),
            "invalid request: Invalid batch request: no valid \"requests\" field",
        ),
        (
            json!({"requests": [{"method": "batch", "params": {"requests": [good]}}]}),
            "invalid request: Invalid batch subrequest: subrequests may not contain meta-requests",
        ),
        (
            json!({"requests": [{"method": "nope", "params": {}}]}),
            "invalid request: Invalid batch subrequest: invalid method \"nope\"",
        ),
        (
            json!({"requests": [1]}),
            "invalid request: Invalid batch request: requests must be objects",
        ),
    ] {
        let (_, r) = rpc(&mut net.a, "batch", params);
        assert_eq!((r.status, r.body_text().as_str()), (400, text));
    }
    let twenty: Vec<_> = (0..20).map(|_| good.clone()).collect();
    let (_, r) = rpc(&mut net.a, "sequence", json!({"requests": twenty}));
    assert_eq!(body(&r)["results"].as_array().unwrap().len(), 20);

    // ifelse on the hard fork.
    let (_, r) = rpc(
        &mut net.a,
        "ifelse",
        json!({"if": {"hf_at_least": [19, 4]}, "then": good, "else": bad}),
    );
    let v = body(&r);
    assert_eq!(v["condition"], true);
    assert_eq!(v["result"]["code"], 200);
    assert_eq!(v["hf"], json!([19, 4]));
    assert_eq!(v["v"], json!([2, 10, 0]));
    let (_, r) = rpc(
        &mut net.a,
        "ifelse",
        json!({"if": {"v_before": [2]}, "then": good}),
    );
    let v = body(&r);
    assert_eq!(v["condition"], false);
    assert!(v.get("result").is_none());
    let (_, r) = rpc(&mut net.a, "ifelse", json!({"if": {}, "then": good}));
    assert_eq!(
        r.body_text(),
        "invalid request: Invalid ifelse request: must specify at least one \"if\" condition"
    );
    let (_, r) = rpc(&mut net.a, "ifelse", json!({"if": {"height_at_least": 0}}));
    assert_eq!(
        r.body_text(),
        "invalid request: Invalid ifelse request: at least one of \"then\"/\"else\" required"
    );
}

#[test]
fn active_nodes_bin_and_oxend_request() {
    let mut net = net();
    let (_, r) = rpc(&mut net.a, "active_nodes_bin", json!({}));
    assert_eq!(r.status, 200);
    let blob = session_core::encoding::decode_base64(&r.body, 1000).unwrap();
    let nodes = session_core::decode_active_nodes(&blob).unwrap();
    assert_eq!(nodes.len(), 3);
    let mut want: Vec<_> = net
        .nodes
        .iter()
        .map(session_core::ActiveNode::from)
        .collect();
    want.sort_by_key(|n| n.ed25519);
    assert_eq!(nodes, want);

    let (_, r) = rpc(
        &mut net.a,
        "oxend_request",
        json!({"endpoint": "get_service_nodes"}),
    );
    assert_eq!(r.status, 200);
    let v = body(&r);
    assert_eq!(
        v["result"]["service_node_states"].as_array().unwrap().len(),
        3
    );
    let parsed: session_core::ServiceNode =
        serde_json::from_value(v["result"]["service_node_states"][0].clone()).unwrap();
    assert!(net.nodes.contains(&parsed));
    let (_, r) = rpc(&mut net.a, "oxend_request", json!({"endpoint": "get_info"}));
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (400, "invalid request: Invalid oxend endpoint 'get_info'")
    );
}

#[test]
fn onion_request_to_the_node() {
    use session_onion::EncType;
    use session_onion::client::{Builder, Destination, Hop};
    let mut net = net();
    let a = &net.nodes[0];
    let b = &net.nodes[1];
    let rpc_body = br#"{"method":"info","params":{}}"#;
    // Through A to B: A relays, B answers.
    let onion = Builder::new(EncType::AesGcm)
        .hop(Hop::new(a.ed25519, a.x25519))
        .build(
            &Destination::node(Hop::new(b.ed25519, b.x25519)),
            rpc_body,
            &mut rng(),
        )
        .unwrap();
    let out = net.a.handle_http(
        now(),
        &mut rng(),
        &Request::post("/onion_req/v2", onion.request()),
    );
    assert!(out.response.is_none());
    let message = match out.relay.unwrap() {
        session_node::Relay::Node { to, message } => {
            assert_eq!(to, b.ed25519);
            message
        }
        other => panic!("{other:?}"),
    };
    let out = net.b.handle_onion_forward(now(), &mut rng(), &message);
    let resp = out.response.unwrap();
    assert_eq!(resp.status, 200);
    let reply = onion.reply_key().decode_v3(&resp.body).unwrap();
    assert_eq!(reply.status, Some(200));
    let inner: serde_json::Value = match reply.body.unwrap() {
        serde_json::Value::String(s) => serde_json::from_str(&s).unwrap(),
        v => v,
    };
    assert_eq!(inner["version"], json!([2, 10, 0]));
    assert_eq!(inner["t"], NOW_MS);
    // Garbage is answered with the onion error statuses.
    let out = net.a.handle_http(
        now(),
        &mut rng(),
        &Request::post("/onion_req/v2", b"\x05\x00\x00\x00abcde{}"),
    );
    assert_eq!(out.response.unwrap().status, 400);
}

#[test]
fn bencoded_client_requests() {
    let mut net = net();
    // A bencoded store: binary data and pubkey raw, signature raw in the reply.
    let mut body = b"d4:data5:hello6:pubkey33:".to_vec();
    body.extend_from_slice(&net.account.to_bytes());
    body.extend_from_slice(format!("9:timestampi{NOW_MS}e3:ttli3600000ee").as_bytes());
    let out = net.a.handle_omq_request(now(), &mut rng(), "store", &body);
    let r = out.response.unwrap();
    assert_eq!(r.status, 200, "{}", r.body_text());
    let v = session_core::bencode::decode(&r.body).unwrap();
    let hash = MessageHash::compute(&net.account, Namespace(0), b"hello").to_string();
    assert_eq!(v.get(b"hash").unwrap().as_bytes().unwrap(), hash.as_bytes());
    let mine = v
        .get(b"swarm")
        .unwrap()
        .get(net.a.ed25519().to_string().as_bytes())
        .unwrap();
    assert_eq!(
        mine.get(b"signature").unwrap().as_bytes().unwrap().len(),
        64
    );
    assert_eq!(out.forwards.len(), 1);
    // Errors are text; a JSON body works too.
    let r = net
        .a
        .handle_omq_request(now(), &mut rng(), "store", b"d4:data5:helloe")
        .response
        .unwrap();
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (400, "invalid request: Required field 'timestamp' missing")
    );
    let r = net
        .a
        .handle_omq_request(now(), &mut rng(), "info", b"")
        .response
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(body_json(&r)["version"], json!([2, 10, 0]));
    let r = net
        .a
        .handle_omq_request(now(), &mut rng(), "info", b"x")
        .response
        .unwrap();
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (400, "invalid body: expected json or bt_dict")
    );
}

fn body_json(r: &session_node::Response) -> serde_json::Value {
    serde_json::from_slice(&r.body).unwrap()
}

#[test]
fn entry_reply_with_peer_answers() {
    let mut net = net();
    let (out, r) = rpc(
        &mut net.a,
        "store",
        json!({"pubkey": net.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": "aGVsbG8="}),
    );
    let fwd = &out.forwards[0];
    let (_, peer, _) = net.b.handle_peer_request(now(), fwd.method, &fwd.body);
    let c = net.nodes[2].ed25519;
    let merged = session_node::with_peer_replies(
        &r,
        [
            (fwd.to.ed25519, session_node::PeerReply::Reply(&peer)),
            (c, session_node::PeerReply::Timeout),
        ],
    );
    assert_eq!(merged.status, 200);
    let v = body(&merged);
    let b_entry = &v["swarm"][fwd.to.ed25519.to_string()];
    let hash = v["hash"].as_str().unwrap();
    assert_eq!(b_entry["hash"], hash);
    assert!(verify(
        &fwd.to.ed25519,
        hash.as_bytes(),
        b_entry["signature"].as_str().unwrap()
    ));
    assert_eq!(
        v["swarm"][c.to_string()],
        json!({"failed": true, "timeout": true})
    );
    assert_eq!(
        v["swarm"][net.a.ed25519().to_string()],
        body(&r)["swarm"][net.a.ed25519().to_string()]
    );
}

#[test]
fn every_forward_is_accepted_by_the_peer() {
    let mut net = net();
    let pk = net.account.to_string();
    // Store on A; B gets the forward.
    let (out, _) = rpc(
        &mut net.a,
        "store",
        json!({"pubkey": pk, "timestamp": NOW_MS, "ttl": 3_600_000, "data": "aGVsbG8="}),
    );
    let mut forwards = out.forwards;
    let hash = MessageHash::compute(&net.account, Namespace(0), b"hello");
    let exp = Timestamp::from_millis(NOW_MS + 7_200_000);
    let token = session_storage::SubaccountToken::new(
        0x03,
        session_storage::SubaccountFlags::READ,
        &session_core::Ed25519PublicKey::from_bytes([7; 32]),
    );
    let requests = [
        (
            "expire",
            json!({"pubkey": pk, "messages": [hash.to_string()], "expiry": [exp.as_millis()], "extend": true,
            "signature": sig(&net.client, &payload::expire(ExpiryMode::ExtendOnly, &[exp], &[hash]))}),
        ),
        (
            "expire_all",
            json!({"pubkey": pk, "namespace": "all", "expiry": exp.as_millis(),
            "signature": sig(&net.client, &payload::expire_all(NamespaceSelector::All, exp))}),
        ),
        (
            "revoke_subaccount",
            json!({"pubkey": pk, "revoke": [session_core::encoding::encode_hex(&token.0)], "timestamp": NOW_MS,
            "signature": sig(&net.client, &payload::revoke(true, now(), &[token]))}),
        ),
        (
            "unrevoke_subaccount",
            json!({"pubkey": pk, "unrevoke": [session_core::encoding::encode_base64(&token.0)], "timestamp": NOW_MS,
            "signature": sig(&net.client, &payload::revoke(false, now(), &[token]))}),
        ),
        (
            "delete_before",
            json!({"pubkey": pk, "before": NOW_MS, "namespace": 0,
            "signature": sig(&net.client, &payload::delete_before(NamespaceSelector::One(Namespace(0)), now()))}),
        ),
        (
            "delete",
            json!({"pubkey": pk, "messages": [hash.to_string()],
            "signature": sig(&net.client, &payload::delete(&[hash]))}),
        ),
        (
            "delete_all",
            json!({"pubkey": pk, "timestamp": NOW_MS,
            "signature": sig(&net.client, &payload::delete_all(NamespaceSelector::One(Namespace(0)), now()))}),
        ),
    ];
    for (method, params) in requests {
        let (out, r) = rpc(&mut net.a, method, params);
        assert_eq!(r.status, 200, "{method}: {}", r.body_text());
        assert_eq!(out.forwards.len(), 1, "{method}");
        assert_eq!(out.forwards[0].method, method);
        forwards.extend(out.forwards);
    }
    // B replays them in order: every one validates again (signatures, clock) and succeeds.
    for f in &forwards {
        let (status, reply, _) = net.b.handle_peer_request(now(), f.method, &f.body);
        assert_eq!(
            status,
            200,
            "{}: {}",
            f.method,
            String::from_utf8_lossy(&reply)
        );
        let v = session_core::bencode::decode(&reply).unwrap();
        assert_eq!(
            v.get(b"signature").unwrap().as_bytes().unwrap().len(),
            64,
            "{}",
            f.method
        );
    }
    // Both ended with nothing stored.
    use session_storage::ReplicaSource;
    assert!(net.a.backend().export_all(now()).unwrap().is_empty());
    assert!(net.b.backend().export_all(now()).unwrap().is_empty());
}
