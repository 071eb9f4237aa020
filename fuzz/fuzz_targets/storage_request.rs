//! Fuzzes request validation: arbitrary fields for every operation; none may panic, and a
//! validated store's message always carries the hash of its content.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use session_core::{AccountId, Timestamp};
use session_storage::policy::{
    AccountWideRequest, Auth, DeleteRequest, ExpireRequest, GetExpiriesRequest, Lifetime,
    NamespaceArg, RetrieveRequest, RevokeRequest, StoreRequest, Verifier,
};
use session_storage::{Binary, MemoryStore};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    netid: u8,
    key: [u8; 32],
    kinds: [u8; 4],
    raw: &'a [u8],
    text: &'a str,
    ns_text: Option<&'a str>,
    ns_int: i64,
    t1: u64,
    t2: u64,
    count: i64,
    size: i64,
    flags: [bool; 5],
    expiries: Vec<u64>,
    now: u64,
}

fn binary<'a>(kind: u8, raw: &'a [u8], text: &'a str) -> Binary<'a> {
    match kind % 3 {
        0 => Binary::Raw(raw),
        1 => Binary::Base64(text),
        _ => Binary::Hex(text),
    }
}

fuzz_target!(|i: Input<'_>| {
    let store = MemoryStore::new();
    let v = Verifier::new(Timestamp(i.now), &store);
    let v = if i.flags[4] { v.forwarded() } else { v };
    let account = AccountId::new(i.netid, i.key);
    let [k0, k1, k2, k3] = i.kinds;
    let auth = i.flags[0].then(|| {
        let a = Auth::signature(binary(k0, i.raw, i.text));
        let a = if i.flags[1] {
            a.with_ed25519(binary(k1, i.raw, i.text))
        } else {
            a
        };
        if i.flags[2] {
            a.with_subaccount(binary(k2, i.raw, i.text), binary(k3, i.raw, i.text))
        } else {
            a
        }
    });
    let ns = match i.ns_text {
        Some(t) => NamespaceArg::Text(t),
        None => NamespaceArg::Int(i.ns_int),
    };
    let lifetime = if i.flags[3] {
        Lifetime::Ttl(i.t2)
    } else {
        Lifetime::Expiry(Timestamp(i.t2))
    };
    let store_req = StoreRequest {
        account,
        namespace: ns,
        timestamp: i.t1,
        lifetime,
        data: binary(k1, i.raw, i.text),
        sig_timestamp: i.flags[2].then_some(i.t2),
        auth,
    };
    if let Ok(cmd) = v.validate_store(&store_req) {
        assert!(cmd.message.hash_matches());
    }
    let hashes = [i.text, i.ns_text.unwrap_or("")];
    let _ = v.validate_retrieve(&RetrieveRequest {
        account,
        namespace: ns,
        last_hash: i.ns_text,
        max_count: i.count,
        max_size: i.size,
        timestamp: i.t1,
        auth,
    });
    let _ = v.validate_delete(&DeleteRequest {
        account,
        messages: &hashes,
        auth,
    });
    let wide = AccountWideRequest {
        account,
        namespace: ns,
        time: i.t1,
        auth,
    };
    let _ = v.validate_delete_all(&wide);
    let _ = v.validate_delete_before(&wide);
    let _ = v.validate_expire_all(&wide);
    let _ = v.validate_expire(&ExpireRequest {
        account,
        messages: &hashes,
        expiries: &i.expiries,
        shorten: i.flags[1],
        extend: i.flags[3],
        auth,
    });
    let _ = v.validate_get_expiries(&GetExpiriesRequest {
        account,
        messages: &hashes,
        timestamp: i.t1,
        auth,
    });
    let tokens = [binary(k2, i.raw, i.text), binary(k3, i.raw, i.text)];
    let _ = v.validate_revoke(&RevokeRequest {
        account,
        revoke: i.flags[3],
        tokens: &tokens,
        timestamp: i.t1,
        auth,
    });
});
