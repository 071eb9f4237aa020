//! `revoke_subaccount`, `unrevoke_subaccount` and `revoked_subaccounts`, as the storage server
//! answers them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use serde_json::json;
use session_core::encoding::{encode_base64, encode_hex};
use session_core::{AccountId, Ed25519PublicKey, Identity, Timestamp};
use session_storage::policy::payload;
use session_storage::{SubaccountFlags, SubaccountToken};

fn token(b: u8) -> SubaccountToken {
    SubaccountToken::new(
        0x03,
        SubaccountFlags::READ,
        &Ed25519PublicKey::from_bytes([b; 32]),
    )
}

fn revoke(net: &mut Net, revoke: bool, tokens: &[SubaccountToken]) -> serde_json::Value {
    let field = if revoke { "revoke" } else { "unrevoke" };
    let method = if revoke {
        "revoke_subaccount"
    } else {
        "unrevoke_subaccount"
    };
    let list: Vec<String> = tokens.iter().map(|t| encode_base64(&t.0)).collect();
    let s = sig(&net.client, &payload::revoke(revoke, now(), tokens));
    let (_, r) = rpc(
        &mut net.a,
        method,
        json!({"pubkey": net.account.to_string(), field: list, "timestamp": NOW_MS, "signature": s}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    body(&r)["swarm"][net.a.ed25519().to_string()].clone()
}

fn list_params(net: &Net, at: u64) -> serde_json::Value {
    json!({
        "pubkey": net.account.to_string(),
        "timestamp": at,
        "signature": sig(&net.client, &payload::revoked_subaccounts(Timestamp::from_millis(at))),
    })
}

fn list(net: &mut Net, at: u64) -> (session_node::Handled, session_node::Response) {
    let params = list_params(net, at);
    rpc(&mut net.a, "revoked_subaccounts", params)
}

#[test]
fn revoked_subaccounts_lists_tokens_in_byte_order() {
    let mut net = net();
    // Nothing revoked yet: an empty list.
    let (out, r) = list(&mut net, NOW_MS);
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (
            200,
            r#"{"hf":[19,4],"revoked_subaccounts":[],"t":1700000000000}"#
        )
    );
    assert!(out.forwards.is_empty(), "answered by this node alone");
    let (hi, lo) = (token(0xee), token(0x11));
    revoke(&mut net, true, &[hi, lo]);
    let (_, r) = list(&mut net, NOW_MS);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body_text(),
        format!(
            r#"{{"hf":[19,4],"revoked_subaccounts":["{}","{}"],"t":1700000000000}}"#,
            encode_base64(&lo.0),
            encode_base64(&hi.0)
        )
    );
    // Over OxenMQ with bencoded params the tokens are raw bytes.
    let ts = Timestamp::from_millis(NOW_MS);
    let signature = net.client.sign(&payload::revoked_subaccounts(ts));
    let mut bt = b"d6:pubkey33:".to_vec();
    bt.extend_from_slice(&net.account.to_bytes());
    bt.extend_from_slice(b"9:signature64:");
    bt.extend_from_slice(&signature);
    bt.extend_from_slice(format!("9:timestampi{NOW_MS}ee").as_bytes());
    let r = net
        .a
        .handle_omq_request(now(), &mut rng(), "revoked_subaccounts", &bt)
        .response
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body_text());
    let mut want = b"d2:hfli19ei4ee19:revoked_subaccountsl36:".to_vec();
    want.extend_from_slice(&lo.0);
    want.extend_from_slice(b"36:");
    want.extend_from_slice(&hi.0);
    want.extend_from_slice(format!("e1:ti{NOW_MS}ee").as_bytes());
    assert_eq!(r.body, want);
    // Inside a batch: answered by this node, nothing forwarded.
    let params = list_params(&net, NOW_MS);
    let (out, r) = rpc(
        &mut net.a,
        "batch",
        json!({"requests": [{"method": "revoked_subaccounts", "params": params}]}),
    );
    assert!(out.forwards.is_empty());
    assert_eq!(
        body(&r)["results"][0],
        json!({"code": 200, "body": {"hf": [19, 4], "t": NOW_MS,
               "revoked_subaccounts": [encode_base64(&lo.0), encode_base64(&hi.0)]}})
    );
    // Unrevoking one leaves the other.
    revoke(&mut net, false, &[lo]);
    let (_, r) = list(&mut net, NOW_MS);
    assert_eq!(
        body(&r)["revoked_subaccounts"],
        json!([encode_base64(&hi.0)])
    );
}

#[test]
fn revoked_subaccounts_failures() {
    let mut net = net();
    let pk = net.account.to_string();
    // The clock window is ±60 s.
    let (_, r) = list(&mut net, NOW_MS + 60_001);
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (
            406,
            "revoked_subaccounts timestamp too far from current time"
        )
    );
    let (_, r) = list(&mut net, NOW_MS - 60_000);
    assert_eq!(r.status, 200, "{}", r.body_text());
    // A signature over another string, or by another key.
    let wrong = sig(&net.client, &payload::revoke(true, now(), &[]));
    let (_, r) = rpc(
        &mut net.a,
        "revoked_subaccounts",
        json!({"pubkey": pk, "timestamp": NOW_MS, "signature": wrong}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (401, "revoked_subaccounts signature verification failed")
    );
    // Parse errors, in the storage server's order.
    let cases = [
        (
            json!({"timestamp": NOW_MS}),
            "invalid request: Required field 'pubkey' missing",
        ),
        (
            json!({"pubkey": pk, "timestamp": NOW_MS}),
            "invalid request: Required field 'signature' missing",
        ),
        (
            json!({"pubkey": pk, "signature": "A".repeat(86)}),
            "invalid request: Required field 'timestamp' missing",
        ),
        (
            json!({"pubkey": "05ab", "signature": "A".repeat(86), "timestamp": "x"}),
            "invalid request: Invalid value given for 'timestamp': expected integer timestamp (in milliseconds)",
        ),
        (
            json!({"pubkey": pk, "signature": "A".repeat(86), "timestamp": 999_999_999}),
            "invalid request: Invalid timestamp for 'timestamp': timestamp must be in milliseconds",
        ),
        (
            json!({"pubkey": "05ab", "signature": "A".repeat(86), "timestamp": NOW_MS}),
            "invalid request: Pubkey must be 66 hex digits (33 bytes) long",
        ),
        (
            json!({"pubkey": pk, "signature": "A".repeat(86), "timestamp": NOW_MS, "pubkey_ed25519": "00".repeat(32)}),
            "invalid request: pubkey_ed25519 is only permitted for 05[...] pubkeys",
        ),
        (
            json!({"pubkey": pk, "signature": "zz", "timestamp": NOW_MS}),
            "invalid request: invalid signature: expected base64 encoded Ed25519 signature",
        ),
    ];
    for (params, text) in cases {
        let (_, r) = rpc(&mut net.a, "revoked_subaccounts", params);
        assert_eq!((r.status, r.body_text().as_str()), (400, text));
    }
    // Another swarm's account: 421 with that swarm.
    let foreign = net.foreign.to_string();
    let (_, r) = rpc(
        &mut net.a,
        "revoked_subaccounts",
        json!({"pubkey": foreign, "timestamp": NOW_MS, "signature": "A".repeat(86)}),
    );
    assert_eq!(r.status, 421);
    assert_eq!(
        body(&r)["snodes"][0]["pubkey_ed25519"],
        net.nodes[2].ed25519.to_string()
    );
    // Not a request peers forward to each other.
    let mut bt = b"d6:pubkey33:".to_vec();
    bt.extend_from_slice(&net.account.to_bytes());
    bt.extend_from_slice(b"9:signature64:");
    bt.extend_from_slice(&[0; 64]);
    bt.extend_from_slice(format!("9:timestampi{NOW_MS}ee").as_bytes());
    let (status, reply, _) = net.b.handle_peer_request(now(), "revoked_subaccounts", &bt);
    assert_eq!(
        (status, String::from_utf8_lossy(&reply).as_ref()),
        (
            400,
            "invalid request: received invalid forwarded non-forwardable request"
        )
    );
}

/// The storage server checks this one signature against the account key itself, leaving
/// `pubkey_ed25519` aside: a Session ID (an X25519 key) cannot sign it with its Ed25519 key.
#[test]
fn revoked_subaccounts_ignores_pubkey_ed25519() {
    let mut net = net();
    // A Session ID in A's swarm.
    let user = (0u8..=255)
        .map(|i| Identity::from_seed_bytes(&[i; 32]).unwrap())
        .find(|id| {
            let a = AccountId::from(id.session_id());
            let swarms = session_swarm::SwarmMap::from_nodes(
                net.nodes.iter().map(|n| (n.ed25519, n.swarm_id)),
            );
            swarms.owner_of_key(a.key()) == net.a.swarm_id()
        })
        .unwrap();
    let account = AccountId::from(user.session_id());
    let s = sig(&user, &payload::revoked_subaccounts(now()));
    let (_, r) = rpc(
        &mut net.a,
        "revoked_subaccounts",
        json!({"pubkey": account.to_string(), "pubkey_ed25519": user.ed25519_public().to_string(),
               "timestamp": NOW_MS, "signature": s}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (401, "revoked_subaccounts signature verification failed")
    );
}

#[test]
fn unrevoke_counts_the_revocations_it_lifts() {
    let mut net = net();
    let (a, b) = (token(1), token(2));
    let revoked = revoke(&mut net, true, &[a, b]);
    assert!(revoked.get("count").is_none(), "{revoked}");
    // `b` twice and an unknown token: one lifted for `b`, none for the others.
    let mine = revoke(&mut net, false, &[b, b, token(3)]);
    assert_eq!(mine["count"], 1);
    let signed = {
        let mut v = format!("{}{NOW_MS}", net.account).into_bytes();
        for t in [b, b, token(3)] {
            v.extend_from_slice(&t.0);
        }
        v
    };
    assert!(verify(
        &net.a.ed25519(),
        &signed,
        mine["signature"].as_str().unwrap()
    ));
    assert_eq!(revoke(&mut net, false, &[a, b])["count"], 1);
    // The storage server signs and answers an empty list, and has no limit on unrevokes.
    assert_eq!(revoke(&mut net, false, &[])["count"], 0);
    let many: Vec<SubaccountToken> = (0..60).map(token).collect();
    assert_eq!(revoke(&mut net, false, &many)["count"], 0);
    assert!(revoke(&mut net, true, &[]).get("signature").is_some());
}

#[test]
fn revoke_takes_one_token_or_a_list() {
    let mut net = net();
    let t = token(5);
    let s = sig(&net.client, &payload::revoke(true, now(), &[t]));
    // A single token, in hex, instead of a list.
    let (_, r) = rpc(
        &mut net.a,
        "revoke_subaccount",
        json!({"pubkey": net.account.to_string(), "revoke": encode_hex(&t.0), "timestamp": NOW_MS, "signature": s}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    let (_, r) = list(&mut net, NOW_MS);
    assert_eq!(
        body(&r)["revoked_subaccounts"],
        json!([encode_base64(&t.0)])
    );
    // More than 50 to revoke is refused while parsing.
    let many: Vec<String> = (0..51).map(|i| encode_base64(&token(i).0)).collect();
    let (_, r) = rpc(
        &mut net.a,
        "revoke_subaccount",
        json!({"pubkey": net.account.to_string(), "revoke": many, "timestamp": NOW_MS, "signature": "A".repeat(86)}),
    );
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (
            400,
            "invalid request: invalid revoke: cannot revoke more than 50 subaccounts at once"
        )
    );
}

#[test]
fn revocations_are_dated_by_the_nodes_clock() {
    // Past the 50 kept per account, the oldest revocation is dropped. The storage server dates
    // a revocation by its own clock, not by the request's timestamp: here the node's clock runs
    // forward while the requests' timestamps run backward, so the first token revoked is the
    // one dropped (dated by the requests, the last one would be).
    let mut net = net();
    for i in 0..=50u8 {
        let at = NOW_MS + u64::from(i) * 1_000;
        let signed_at = NOW_MS + 50_000 - u64::from(i) * 1_000;
        let tokens = [token(i)];
        let s = sig(
            &net.client,
            &payload::revoke(true, Timestamp::from_millis(signed_at), &tokens),
        );
        let (_, r) = rpc_at(
            &mut net.a,
            Timestamp::from_millis(at),
            "revoke_subaccount",
            json!({
                "pubkey": net.account.to_string(),
                "revoke": encode_base64(&tokens[0].0),
                "timestamp": signed_at,
                "signature": s,
            }),
        );
        assert_eq!(r.status, 200, "revoke {i}: {}", r.body_text());
    }
    let last = NOW_MS + 50_000;
    let params = list_params(&net, last);
    let (_, r) = rpc_at(
        &mut net.a,
        Timestamp::from_millis(last),
        "revoked_subaccounts",
        params,
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    let listed: Vec<String> = body(&r)["revoked_subaccounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (1..=50u8).map(|i| encode_base64(&token(i).0)).collect();
    assert_eq!(listed, expected);
}
