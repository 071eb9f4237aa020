//! Random request sequences through `Node` leave the backend exactly as the same operations
//! through session-storage's policy layer and a backend called directly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::json;
use session_core::{MessageHash, Namespace, Timestamp};
use session_storage::policy::{
    AccountWideRequest, Auth, DeleteRequest, ExpireRequest, Lifetime, NamespaceArg, StoreRequest,
    Verifier, payload,
};
use session_storage::{
    Binary, ExpiryMode, ExpiryUpdater, MemoryStore, MessageDeleter, MessageWriter,
    NamespaceSelector, ReplicaSource, StoredMessage,
};

const NAMESPACES: [i16; 3] = [0, 2, -10];
const DATA: [&[u8]; 3] = [b"alpha", b"beta", b"gamma"];

#[derive(Debug, Clone)]
enum Op {
    Store {
        ns: usize,
        data: usize,
        ttl_s: u64,
    },
    Delete {
        ns: usize,
        data: usize,
    },
    DeleteAll {
        ns: Option<usize>,
    },
    Expire {
        ns: usize,
        data: usize,
        ahead_s: u64,
        mode: u8,
    },
    Wait {
        ms: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..3usize, 5u64..100_000).prop_map(|(ns, data, ttl_s)| Op::Store { ns, data, ttl_s }),
        1 => (0..3usize, 0..3usize).prop_map(|(ns, data)| Op::Delete { ns, data }),
        1 => prop::option::of(0..3usize).prop_map(|ns| Op::DeleteAll { ns }),
        2 => (0..3usize, 0..3usize, 0u64..200_000, 0u8..3).prop_map(|(ns, data, ahead_s, mode)| Op::Expire { ns, data, ahead_s, mode }),
        1 => (0u64..50_000).prop_map(|ms| Op::Wait { ms }),
    ]
}

fn b64(b: &[u8]) -> String {
    session_core::encoding::encode_base64(b)
}

fn state(store: &MemoryStore, at: Timestamp) -> Vec<StoredMessage> {
    let mut all = store.export_all(at).unwrap();
    all.sort_by_key(|m| m.hash.to_string());
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn node_matches_policy_and_backend(ops in prop::collection::vec(op(), 1..25)) {
        let mut net = net();
        let mut direct = MemoryStore::new();
        let account = net.account;
        let pk = account.to_string();
        let mut t = NOW_MS;
        for op in ops {
            let at = Timestamp::from_millis(t);
            match op {
                Op::Wait { ms } => t += ms,
                Op::Store { ns, data, ttl_s } => {
                    let n = Namespace(NAMESPACES[ns]);
                    let s = net.client.sign(&payload::store(n, at));
                    let mut params = json!({"pubkey": pk, "timestamp": t, "ttl": ttl_s * 1000,
                                            "data": b64(DATA[data]), "namespace": n.0});
                    if n.0 == 2 {
                        params["signature"] = json!(b64(&s));
                    }
                    rpc_at(&mut net.a, at, "store", params);
                    let req = StoreRequest {
                        account,
                        namespace: NamespaceArg::Int(i64::from(n.0)),
                        timestamp: t,
                        lifetime: Lifetime::Ttl(ttl_s * 1000),
                        data: Binary::Raw(DATA[data]),
                        sig_timestamp: None,
                        auth: (n.0 == 2).then(|| Auth::signature(Binary::Raw(&s))),
                    };
                    if let Ok(cmd) = Verifier::new(at, &direct).validate_store(&req) {
                        direct.store(&cmd.message, at).unwrap();
                    }
                }
                Op::Delete { ns, data } => {
                    let h = MessageHash::compute(&account, Namespace(NAMESPACES[ns]), DATA[data]);
                    let s = net.client.sign(&payload::delete(&[h]));
                    rpc_at(&mut net.a, at, "delete", json!({"pubkey": pk, "messages": [h.to_string()], "signature": b64(&s)}));
                    let text = h.to_string();
                    let texts = [text.as_str()];
                    let req = DeleteRequest { account, messages: &texts, auth: Some(Auth::signature(Binary::Raw(&s))) };
                    if let Ok(cmd) = Verifier::new(at, &direct).validate_delete(&req) {
                        direct.delete_hashes(&account, &cmd.hashes, at).unwrap();
                    }
                }
                Op::DeleteAll { ns } => {
                    let sel = ns.map_or(NamespaceSelector::All, |i| NamespaceSelector::One(Namespace(NAMESPACES[i])));
                    let s = net.client.sign(&payload::delete_all(sel, at));
                    let ns_json = ns.map_or(json!("all"), |i| json!(NAMESPACES[i]));
                    rpc_at(&mut net.a, at, "delete_all", json!({"pubkey": pk, "namespace": ns_json, "timestamp": t, "signature": b64(&s)}));
                    let arg = ns.map_or(NamespaceArg::Text("all"), |i| NamespaceArg::Int(i64::from(NAMESPACES[i])));
                    let req = AccountWideRequest { account, namespace: arg, time: t, auth: Some(Auth::signature(Binary::Raw(&s))) };
                    if let Ok(cmd) = Verifier::new(at, &direct).validate_delete_all(&req) {
                        direct.delete_all(&account, cmd.namespaces, at).unwrap();
                    }
                }
                Op::Expire { ns, data, ahead_s, mode } => {
                    let h = MessageHash::compute(&account, Namespace(NAMESPACES[ns]), DATA[data]);
                    let e = t + ahead_s * 1000;
                    let (m, key) = match mode {
                        0 => (ExpiryMode::Set, None),
                        1 => (ExpiryMode::ExtendOnly, Some("extend")),
                        _ => (ExpiryMode::ShortenOnly, Some("shorten")),
                    };
                    let s = net.client.sign(&payload::expire(m, &[Timestamp::from_millis(e)], &[h]));
                    let mut params = json!({"pubkey": pk, "messages": [h.to_string()], "expiry": e, "signature": b64(&s)});
                    if let Some(k) = key {
                        params[k] = json!(true);
                    }
                    rpc_at(&mut net.a, at, "expire", params);
                    let text = h.to_string();
                    let texts = [text.as_str()];
                    let req = ExpireRequest {
                        account, messages: &texts, expiries: &[e], shorten: mode == 2, extend: mode == 1,
                        auth: Some(Auth::signature(Binary::Raw(&s))),
                    };
                    if let Ok(cmd) = Verifier::new(at, &direct).validate_expire(&req) {
                        direct.update_expiries(&account, &cmd.changes, cmd.mode, at).unwrap();
                    }
                }
            }
        }
        let end = Timestamp::from_millis(t);
        prop_assert_eq!(state(net.a.backend(), end), state(&direct, end));
    }
}
