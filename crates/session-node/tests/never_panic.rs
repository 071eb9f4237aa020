//! Arbitrary input never panics the node, and is answered with a status the storage server
//! uses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use proptest::prelude::*;
use session_node::{METHODS, Request};

const STATUSES: &[u16] = &[200, 400, 401, 403, 404, 406, 410, 413, 421, 500, 502, 503];

fn field_names() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "pubkey",
        "pubKey",
        "timestamp",
        "ttl",
        "expiry",
        "data",
        "namespace",
        "signature",
        "sig_timestamp",
        "pubkey_ed25519",
        "subaccount",
        "subaccount_sig",
        "messages",
        "required",
        "before",
        "shorten",
        "extend",
        "last_hash",
        "lastHash",
        "max_count",
        "max_size",
        "revoke",
        "unrevoke",
        "requests",
        "if",
        "then",
        "else",
        "endpoint",
        "params",
        "method",
        "name_hash",
        "type",
    ])
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let leaf = prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(|b| json!(b)),
        any::<i64>().prop_map(|i| json!(i)),
        any::<u64>().prop_map(|i| json!(i)),
        Just(json!(NOW_MS)),
        Just(json!("all")),
        Just(json!("aGVsbG8=")),
        Just(json!("03".to_owned() + &"ab".repeat(32))),
        Just(json!("A".repeat(43))),
        Just(json!("A".repeat(86))),
        Just(json!("ons_resolve")),
        Just(json!("A".repeat(43) + "=")),
        Just(json!("ab".repeat(32))),
        ".{0,10}".prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(field_names().prop_map(str::to_owned), inner, 0..5)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bodies(body in prop::collection::vec(any::<u8>(), 0..400), path in 0usize..5) {
        let mut net = net();
        let paths = ["/storage_rpc/v1", "/onion_req/v2", "/ping_test/v1", "/x", "/get_stats/v1"];
        let out = net.a.handle_http(now(), &mut rng(), &Request::post(paths[path], &body));
        if let Some(r) = out.response {
            prop_assert!(STATUSES.contains(&r.status), "{}", r.status);
        }
        let _ = net.a.monitor(now(), 1, &body);
        let _ = net.a.handle_onion_forward(now(), &mut rng(), &body);
        for m in ["store", "delete", "expire", "delete_all", "revoke_subaccount", "revoked_subaccounts", "batch"] {
            let (status, _, _) = net.b.handle_peer_request(now(), m, &body);
            prop_assert!(STATUSES.contains(&status));
        }
    }

    #[test]
    fn structured_requests(method in prop::sample::select(METHODS.to_vec()),
                           params in prop::collection::btree_map(field_names().prop_map(str::to_owned), json_value(), 0..8)) {
        let mut net = net();
        let params = serde_json::Value::Object(params.into_iter().collect());
        let (_, r) = rpc(&mut net.a, method, params.clone());
        prop_assert!(STATUSES.contains(&r.status), "{} {}", r.status, r.body_text());
        // Wrapped in batch, sequence and ifelse too.
        let sub = serde_json::json!({"method": method, "params": params});
        let (_, r) = rpc(&mut net.a, "batch", serde_json::json!({"requests": [sub.clone()]}));
        prop_assert!(STATUSES.contains(&r.status));
        let (_, r) = rpc(&mut net.a, "ifelse", serde_json::json!({"if": {"height_before": 5}, "then": sub}));
        prop_assert!(STATUSES.contains(&r.status));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any `ons_resolve` params are answered as oxend's result (200) or its error (400).
    #[test]
    fn ons_resolve_params(params in json_value(), hf in 14u16..20, records in any::<bool>()) {
        let mut net = net();
        if records {
            let mut r = session_node::OnsRecords::new();
            r.insert(session_node::OnsType::Session, [0xab; 32], session_node::OnsRecord::from_stored(vec![1; 73]));
            r.insert(session_node::OnsType::Lokinet, [0; 32], session_node::OnsRecord::from_stored(vec![2; 5]));
            net.a.set_ons_records(r);
        }
        net.a.set_chain_state(10, [hf, 0]);
        let (_, r) = rpc(&mut net.a, "oxend_request", serde_json::json!({"endpoint": "ons_resolve", "params": params}));
        prop_assert!([200, 400].contains(&r.status), "{} {}", r.status, r.body_text());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever peers answer, and whatever body is completed, merging never panics; a batch
    /// keeps its sub-results.
    #[test]
    fn peer_replies_never_panic(
        peer in prop::collection::vec(any::<u8>(), 0..200),
        body in prop::collection::vec(any::<u8>(), 0..200),
        code in ".{0,5}",
        reason in ".{0,20}",
    ) {
        let mut net = net();
        let pk = net.account.to_string();
        let store = serde_json::json!({"method": "store", "params": {"pubkey": pk, "timestamp": NOW_MS, "ttl": 3_600_000, "data": "aGk="}});
        let (out, r) = rpc(&mut net.a, "batch", serde_json::json!({"requests": [store.clone(), store]}));
        let key = out.forwards[0].to.ed25519;
        let replies = [
            (key, session_node::PeerReply::Reply(&peer)),
            (key, session_node::PeerReply::Error { code: &code, reason: &reason }),
            (key, session_node::PeerReply::Reply(&body)),
        ];
        let merged = session_node::with_peer_replies(&r, replies);
        prop_assert_eq!(merged.status, 200);
        let v = common::body(&merged);
        prop_assert_eq!(v["results"].as_array().map(Vec::len), Some(2));
        let junk = session_node::Response::binary(200, body.clone());
        let _ = session_node::with_peer_replies(&junk, replies);
        let junk = session_node::Response::json(200, &session_node::Value::Str(String::from_utf8_lossy(&body).into_owned()));
        let _ = session_node::with_peer_replies(&junk, replies);
    }
}

#[test]
fn deep_ifelse_nesting_is_bounded() {
    let mut net = net();
    let mut req = serde_json::json!({"method": "info", "params": {}});
    for _ in 0..20 {
        req = serde_json::json!({"method": "ifelse", "params": {"if": {"height_at_least": 0}, "then": req}});
    }
    let (_, r) = rpc(&mut net.a, "ifelse", req["params"].clone());
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (400, "invalid request: request nesting too deep")
    );
}
