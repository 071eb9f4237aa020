//! Arbitrary input never panics the push decoder or the request validators; push batches
//! round-trip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use session_core::{AccountId, Namespace, Timestamp};
use session_storage::policy::{
    AccountWideRequest, Auth, DeleteRequest, ExpireRequest, GetExpiriesRequest, Lifetime,
    NamespaceArg, RetrieveRequest, RevokeRequest, StoreRequest, Verifier,
};
use session_storage::{Binary, MemoryStore, StoredMessage, push, replication};

const NOW: Timestamp = Timestamp(1_700_000_000_000);

fn binary<'a>(kind: u8, raw: &'a [u8], text: &'a str) -> Binary<'a> {
    match kind % 3 {
        0 => Binary::Raw(raw),
        1 => Binary::Base64(text),
        _ => Binary::Hex(text),
    }
}

proptest! {
    #[test]
    fn push_decoder_never_panics(blob in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = push::decode(&blob);
        let _ = push::decode_messages(&blob);
        let mut store = MemoryStore::new();
        let _ = replication::receive(&mut store, &blob, NOW);
    }

    #[test]
    fn push_decoder_survives_mutated_batches(
        seed in proptest::collection::vec((any::<i16>(), proptest::collection::vec(any::<u8>(), 0..64)), 1..5),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        cut in any::<usize>(),
    ) {
        let msgs: Vec<StoredMessage> = seed.iter().map(|(ns, data)| {
            StoredMessage::new(AccountId::new(5, [1; 32]), Namespace(*ns), NOW, Timestamp(NOW.0 + 1), data.clone())
        }).collect();
        let mut blob = push::encode_batches(&msgs, usize::MAX).remove(0);
        for (at, v) in flips {
            let n = blob.len();
            blob[at % n] ^= v;
        }
        blob.truncate(cut % (blob.len() + 1));
        let _ = push::decode_messages(&blob);
    }

    #[test]
    fn push_batches_round_trip(
        seed in proptest::collection::vec((any::<u8>(), any::<i16>(), proptest::collection::vec(any::<u8>(), 0..300), any::<u32>()), 0..20),
        max in 1usize..2000,
    ) {
        let msgs: Vec<StoredMessage> = seed.iter().map(|(k, ns, data, ttl)| {
            StoredMessage::new(AccountId::new(*k, [*k; 32]), Namespace(*ns), NOW, Timestamp(NOW.0 + u64::from(*ttl)), data.clone())
        }).collect();
        let batches = push::encode_batches(&msgs, max);
        let mut back = Vec::new();
        for b in &batches {
            prop_assert!(b.len() <= max || push::decode(b).unwrap().len() == 1);
            back.extend(push::decode_messages(b).unwrap());
        }
        prop_assert_eq!(back, msgs);
    }

    #[test]
    fn validators_never_panic(
        kind in any::<u8>(),
        raw in proptest::collection::vec(any::<u8>(), 0..200),
        text in ".{0,120}",
        ns_text in ".{0,8}",
        ns_int in any::<i64>(),
        times in (any::<u64>(), any::<u64>(), any::<i64>(), any::<i64>()),
        flags in any::<(bool, bool, bool, bool)>(),
        netid in any::<u8>(),
        key in any::<[u8; 32]>(),
    ) {
        let store = MemoryStore::new();
        let v = Verifier::new(NOW, &store);
        let account = AccountId::new(netid, key);
        let b = binary(kind, &raw, &text);
        let b2 = binary(kind.wrapping_add(1), &raw, &text);
        let auth = flags.0.then(|| {
            let a = Auth::signature(b);
            let a = if flags.1 { a.with_ed25519(b2) } else { a };
            if flags.2 { a.with_subaccount(b2, b) } else { a }
        });
        let ns = if flags.3 { NamespaceArg::Text(&ns_text) } else { NamespaceArg::Int(ns_int) };
        let hashes = [text.as_str(), ns_text.as_str()];
        let (t1, t2, c, sz) = times;
        let lifetime = if flags.1 { Lifetime::Ttl(t2) } else { Lifetime::Expiry(Timestamp(t2)) };
        let _ = v.validate_store(&StoreRequest { account, namespace: ns, timestamp: t1, lifetime, data: b2, sig_timestamp: flags.2.then_some(t2), auth });
        let _ = v.validate_retrieve(&RetrieveRequest { account, namespace: ns, last_hash: Some(&text), max_count: c, max_size: sz, timestamp: t1, auth });
        let _ = v.validate_delete(&DeleteRequest { account, messages: &hashes, auth });
        let wide = AccountWideRequest { account, namespace: ns, time: t1, auth };
        let _ = v.validate_delete_all(&wide);
        let _ = v.validate_delete_before(&wide);
        let _ = v.validate_expire_all(&wide);
        let _ = v.validate_expire(&ExpireRequest { account, messages: &hashes, expiries: &[t1, t2], shorten: flags.1, extend: flags.2, auth });
        let _ = v.validate_get_expiries(&GetExpiriesRequest { account, messages: &hashes[..1], timestamp: t1, auth });
        let _ = v.validate_revoke(&RevokeRequest { account, revoke: flags.3, tokens: &[b, b2], timestamp: t1, auth });
    }
}
