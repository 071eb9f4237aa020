//! Bad requests get the precise error for the rule they break, and change nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use session_core::identity::Identity;
use session_core::{AccountId, Namespace, Timestamp};
use session_storage::policy::{
    AccountWideRequest, Auth, DeleteRequest, ExpireRequest, GetExpiriesRequest, Lifetime,
    NamespaceArg, RetrieveRequest, RevokeRequest, RevokedSubaccountsCommand,
    RevokedSubaccountsRequest, Signer, StoreRequest, Verifier, payload,
};
use session_storage::{
    Binary, ExpiryMode, MemoryStore, MessageWriter, NamespaceSelector, Operation, ReplicaSource,
    RequestError, RevocationStore, StorageStats, StoredMessage, SubaccountFlags, SubaccountToken,
};

const NOW: Timestamp = Timestamp(1_700_000_000_000);

fn me() -> Identity {
    Identity::from_seed_bytes(&[1; 32]).unwrap()
}

fn group() -> Identity {
    Identity::from_seed_bytes(&[2; 32]).unwrap()
}

fn group_account() -> AccountId {
    AccountId::new(3, group().ed25519_public().to_bytes())
}

/// A store holding one message, so "unchanged" has something to compare.
fn populated() -> MemoryStore {
    let mut s = MemoryStore::new();
    let m = StoredMessage::new(
        AccountId::from(me().session_id()),
        Namespace(0),
        NOW,
        Timestamp(NOW.0 + 60_000),
        b"x".to_vec(),
    );
    s.store(&m, NOW).unwrap();
    s
}

fn snapshot(s: &MemoryStore) -> String {
    format!(
        "{:?} {:?}",
        s.export_all(NOW).unwrap(),
        s.store_stats().unwrap()
    )
}

/// Validates and, if valid, stores: what a node does with a store request.
fn handle_store(s: &mut MemoryStore, req: &StoreRequest<'_>) -> Result<(), RequestError> {
    let cmd = Verifier::new(NOW, &*s)
        .validate_store(req)
        .map_err(RequestError::from)?;
    let Ok(_) = s.store(&cmd.message, NOW);
    Ok(())
}

fn store_req<'a>(data: Binary<'a>) -> StoreRequest<'a> {
    StoreRequest {
        account: AccountId::from(me().session_id()),
        namespace: NamespaceArg::Omitted,
        timestamp: NOW.0,
        lifetime: Lifetime::Ttl(60_000),
        data,
        sig_timestamp: None,
        auth: None,
    }
}

fn expect_store_err(req: &StoreRequest<'_>, check: impl Fn(&RequestError) -> bool, text: &str) {
    let mut s = populated();
    let before = snapshot(&s);
    let err = handle_store(&mut s, req).unwrap_err();
    assert!(check(&err), "{err:?}");
    assert_eq!(err.to_string(), text);
    assert_eq!(snapshot(&s), before);
}

#[test]
fn oversized_data() {
    let big = vec![0u8; 76_801];
    expect_store_err(
        &store_req(Binary::Raw(&big)),
        |e| {
            matches!(
                e,
                RequestError::DataTooLarge {
                    len: 76_801,
                    max: 76_800
                }
            )
        },
        "store: data of 76801 bytes exceeds the limit of 76800 bytes",
    );
    let text = "A".repeat(102_404);
    expect_store_err(
        &store_req(Binary::Base64(&text)),
        |e| {
            matches!(
                e,
                RequestError::Base64DataTooLong {
                    len: 102_404,
                    max: 102_400
                }
            )
        },
        "store: base64 data of 102404 characters exceeds the limit of 102400 characters",
    );
    // 102 400 characters decode to exactly 76 800 bytes: accepted.
    let ok = "A".repeat(102_400);
    let mut s = populated();
    handle_store(&mut s, &store_req(Binary::Base64(&ok))).unwrap();
}

#[test]
fn bad_base64() {
    let mut s = populated();
    let before = snapshot(&s);
    let err = handle_store(&mut s, &store_req(Binary::Base64("aGVsbG8*"))).unwrap_err();
    match &err {
        RequestError::InvalidField {
            operation: Operation::Store,
            field: "data",
            source,
        } => {
            assert_eq!(*source, session_core::Error::InvalidBase64 { position: 7 });
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.to_string(), "store: invalid data");
    assert_eq!(
        format!("{:#}", anyhow_chain(&err)),
        "store: invalid data: invalid base64 at position 7"
    );
    assert_eq!(snapshot(&s), before);
}

/// The `{:#}` rendering of an error chain, each cause once.
fn anyhow_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn signed_store(ns: i16, sig_ts: u64, sig: &[u8; 64]) -> StoreRequest<'_> {
    StoreRequest {
        namespace: NamespaceArg::Int(ns.into()),
        sig_timestamp: Some(sig_ts),
        auth: Some(Auth::signature(Binary::Raw(sig))),
        ..store_req(Binary::Raw(b"config"))
    }
}

#[test]
fn wrong_signature() {
    // A group account signs with its own Ed25519 key; a signature by someone else fails.
    let good = group().sign(&payload::store(Namespace(13), NOW));
    let bad = me().sign(&payload::store(Namespace(13), NOW));
    let mut s = populated();
    let mut req = signed_store(13, NOW.0, &bad);
    req.account = group_account();
    let before = snapshot(&s);
    let err = handle_store(&mut s, &req).unwrap_err();
    assert!(matches!(
        err,
        RequestError::BadSignature {
            operation: Operation::Store
        }
    ));
    assert_eq!(err.to_string(), "store: signature verification failed");
    assert_eq!(snapshot(&s), before);
    // Signed over another namespace's string: also refused.
    let other_ns = group().sign(&payload::store(Namespace(12), NOW));
    let req2 = StoreRequest {
        auth: Some(Auth::signature(Binary::Raw(&other_ns))),
        ..req
    };
    assert!(matches!(
        handle_store(&mut s, &req2),
        Err(RequestError::BadSignature { .. })
    ));
    let req3 = StoreRequest {
        auth: Some(Auth::signature(Binary::Raw(&good))),
        ..req
    };
    handle_store(&mut s, &req3).unwrap();
}

#[test]
fn stale_timestamp() {
    let sig_ts = NOW.0 - 60_001;
    let sig = group().sign(&payload::store(Namespace(13), Timestamp(sig_ts)));
    let mut req = signed_store(13, sig_ts, &sig);
    req.account = group_account();
    expect_store_err(
        &req,
        |e| {
            matches!(
                e,
                RequestError::StaleTimestamp {
                    operation: Operation::Store,
                    tolerance_ms: 60_000,
                    ..
                }
            )
        },
        "store: signature timestamp 1699999939999ms is more than 60000 ms from now (1700000000000ms)",
    );
    // Forwarded requests get 70 s.
    let s = populated();
    Verifier::new(NOW, &s)
        .forwarded()
        .validate_store(&req)
        .map_err(RequestError::from)
        .unwrap();
    // Store clock rules.
    let future = StoreRequest {
        timestamp: NOW.0 + 10_001,
        ..store_req(Binary::Raw(b"x"))
    };
    expect_store_err(
        &future,
        |e| {
            matches!(
                e,
                RequestError::TimestampInFuture {
                    tolerance_ms: 10_000,
                    ..
                }
            )
        },
        "store: timestamp 1700000010001ms is more than 10000 ms after now (1700000000000ms)",
    );
    let expired = StoreRequest {
        timestamp: NOW.0 - 80_000,
        lifetime: Lifetime::Ttl(69_999),
        ..store_req(Binary::Raw(b"x"))
    };
    expect_store_err(
        &expired,
        |e| matches!(e, RequestError::AlreadyExpired { .. }),
        "store: expiry 1699999989999ms is more than 10000 ms before now (1700000000000ms)",
    );
    let seconds = StoreRequest {
        timestamp: 999_999_999,
        ..store_req(Binary::Raw(b"x"))
    };
    expect_store_err(
        &seconds,
        |e| matches!(e, RequestError::TimestampNotMillis { .. }),
        "store: timestamp 999999999 must be in milliseconds",
    );
}

#[test]
fn unknown_namespace_class() {
    let req = StoreRequest {
        namespace: NamespaceArg::Text("inbox"),
        ..store_req(Binary::Raw(b"x"))
    };
    expect_store_err(
        &req,
        |e| {
            matches!(
                e,
                RequestError::UnknownNamespace {
                    all_allowed: false,
                    ..
                }
            )
        },
        "store: unknown namespace \"inbox\" (expected an integer)",
    );
    let req = StoreRequest {
        namespace: NamespaceArg::Text("all"),
        ..store_req(Binary::Raw(b"x"))
    };
    expect_store_err(
        &req,
        |e| matches!(e, RequestError::UnknownNamespace { .. }),
        "store: unknown namespace \"all\" (expected an integer)",
    );
    let req = StoreRequest {
        namespace: NamespaceArg::Int(32_768),
        ..store_req(Binary::Raw(b"x"))
    };
    expect_store_err(
        &req,
        |e| matches!(e, RequestError::NamespaceOutOfRange { value: 32_768, .. }),
        "store: namespace 32768 is out of range (−32768..=32767)",
    );
    let s = populated();
    let wide = AccountWideRequest {
        account: group_account(),
        namespace: NamespaceArg::Text("every"),
        time: NOW.0,
        auth: None,
    };
    let err = Verifier::new(NOW, &s)
        .validate_delete_all(&wide)
        .map_err(RequestError::from)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "delete_all: unknown namespace \"every\" (expected an integer or \"all\")"
    );
}

#[test]
fn ttl_rules() {
    let short = StoreRequest {
        lifetime: Lifetime::Ttl(9_999),
        ..store_req(Binary::Raw(b"x"))
    };
    expect_store_err(
        &short,
        |e| {
            matches!(
                e,
                RequestError::TtlTooShort {
                    ttl_ms: 9_999,
                    min_ms: 10_000,
                    ..
                }
            )
        },
        "store: ttl of 9999 ms is below the minimum of 10000 ms",
    );
    let backwards = StoreRequest {
        lifetime: Lifetime::Expiry(Timestamp(NOW.0 - 1)),
        ..store_req(Binary::Raw(b"x"))
    };
    expect_store_err(
        &backwards,
        |e| matches!(e, RequestError::TtlTooShort { ttl_ms: -1, .. }),
        "store: ttl of -1 ms is below the minimum of 10000 ms",
    );
    // 30 days is fine outside public inboxes, 14 days inside.
    let sig = group().sign(&payload::store(Namespace(13), NOW));
    let mut req = signed_store(13, NOW.0, &sig);
    req.account = group_account();
    req.lifetime = Lifetime::Ttl(30 * 86_400_000);
    let mut s = populated();
    handle_store(&mut s, &req).unwrap();
    req.lifetime = Lifetime::Ttl(30 * 86_400_000 + 1);
    expect_store_err(
        &req,
        |e| {
            matches!(
                e,
                RequestError::TtlTooLong {
                    max_ms: 2_592_000_000,
                    ..
                }
            )
        },
        "store: ttl of 2592000001 ms exceeds the maximum of 2592000000 ms for namespace 13",
    );
}

#[test]
fn signature_requirements() {
    let s = populated();
    let v = Verifier::new(NOW, &s);
    let req = StoreRequest {
        namespace: NamespaceArg::Int(2),
        ..store_req(Binary::Raw(b"x"))
    };
    let err = v
        .validate_store(&req)
        .map_err(RequestError::from)
        .unwrap_err();
    assert_eq!(err.to_string(), "store: namespace 2 requires a signature");
    // Retrieve: -10 and public outboxes need none; others do.
    let retrieve = |ns: i64| RetrieveRequest {
        account: group_account(),
        namespace: NamespaceArg::Int(ns),
        last_hash: Some(""),
        max_count: 0,
        max_size: 0,
        timestamp: NOW.0,
        auth: None,
    };
    assert_eq!(
        v.validate_retrieve(&retrieve(-10))
            .map_err(RequestError::from)
            .unwrap()
            .signer,
        Signer::Anonymous
    );
    assert_eq!(
        v.validate_retrieve(&retrieve(-21))
            .map_err(RequestError::from)
            .unwrap()
            .signer,
        Signer::Anonymous
    );
    assert_eq!(
        v.validate_retrieve(&retrieve(0))
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "retrieve: namespace 0 requires a signature"
    );
    let bad_hash = RetrieveRequest {
        last_hash: Some("short"),
        ..retrieve(-10)
    };
    assert_eq!(
        v.validate_retrieve(&bad_hash)
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "retrieve: invalid last_hash"
    );
    // Operations that always need one.
    let hashes = ["4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs"];
    let del = DeleteRequest {
        account: group_account(),
        messages: &hashes,
        auth: None,
    };
    assert_eq!(
        v.validate_delete(&del)
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "delete: a signature is required"
    );
    let del = DeleteRequest {
        messages: &[],
        ..del
    };
    assert_eq!(
        v.validate_delete(&del)
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "delete: messages must not be empty"
    );
}

#[test]
fn ed25519_key_rules() {
    let s = populated();
    let v = Verifier::new(NOW, &s);
    let sig = me().sign(&payload::retrieve(Namespace(0), NOW));
    let ed = me().ed25519_public();
    let req = RetrieveRequest {
        account: AccountId::from(me().session_id()),
        namespace: NamespaceArg::Omitted,
        last_hash: None,
        max_count: 0,
        max_size: 0,
        timestamp: NOW.0,
        auth: Some(Auth::signature(Binary::Raw(&sig)).with_ed25519(Binary::Raw(ed.as_bytes()))),
    };
    assert_eq!(
        v.validate_retrieve(&req)
            .map_err(RequestError::from)
            .unwrap()
            .signer,
        Signer::Account
    );
    // Someone else's Ed25519 key does not convert to this account.
    let other = group().ed25519_public();
    let wrong = RetrieveRequest {
        auth: Some(Auth::signature(Binary::Raw(&sig)).with_ed25519(Binary::Raw(other.as_bytes()))),
        ..req
    };
    assert!(matches!(
        v.validate_retrieve(&wrong).map_err(RequestError::from),
        Err(RequestError::Ed25519KeyMismatch)
    ));
    // pubkey_ed25519 is only for 05 accounts.
    let on_group = RetrieveRequest {
        account: group_account(),
        ..wrong
    };
    assert_eq!(
        v.validate_retrieve(&on_group)
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "pubkey_ed25519 is only allowed for 05 accounts, not prefix 03"
    );
    // A 63-byte signature is a field error, not a verification failure.
    let short = RetrieveRequest {
        auth: Some(
            Auth::signature(Binary::Raw(&sig[..63])).with_ed25519(Binary::Raw(ed.as_bytes())),
        ),
        ..req
    };
    assert_eq!(
        v.validate_retrieve(&short)
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "retrieve: invalid signature"
    );
}

fn subaccount(flags: SubaccountFlags, prefix: u8, sub: &Identity) -> (SubaccountToken, [u8; 64]) {
    let token = SubaccountToken::new(prefix, flags, &sub.ed25519_public());
    let sig = group().sign(&token.0);
    (token, sig)
}

#[test]
fn subaccount_rules() {
    let sub = Identity::from_seed_bytes(&[9; 32]).unwrap();
    let hashes = ["4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs"];
    let exp = [NOW.0 + 1000];
    let msg = payload::expire(
        ExpiryMode::Set,
        &[Timestamp(exp[0])],
        &[hashes[0].parse().unwrap()],
    );
    let req_sig = sub.sign(&msg);
    let mut store = populated();
    let check = |store: &MemoryStore, flags, prefix, shorten| {
        let (token, token_sig) = subaccount(flags, prefix, &sub);
        let shorten_sig = sub.sign(&payload::expire(
            ExpiryMode::ShortenOnly,
            &[Timestamp(exp[0])],
            &[hashes[0].parse().unwrap()],
        ));
        let req = ExpireRequest {
            account: group_account(),
            messages: &hashes,
            expiries: &exp,
            shorten,
            extend: false,
            auth: Some(
                Auth::signature(Binary::Raw(if shorten { &shorten_sig } else { &req_sig }))
                    .with_subaccount(Binary::Raw(&token.0), Binary::Raw(&token_sig)),
            ),
        };
        Verifier::new(NOW, store)
            .validate_expire(&req)
            .map_err(RequestError::from)
            .map(|c| c.mode)
    };
    let rw = SubaccountFlags::READ.union(SubaccountFlags::WRITE);
    // Write-only without a flag becomes extend.
    assert_eq!(check(&store, rw, 3, false).unwrap(), ExpiryMode::ExtendOnly);
    let rwd = rw.union(SubaccountFlags::DELETE);
    assert_eq!(check(&store, rwd, 3, false).unwrap(), ExpiryMode::Set);
    assert_eq!(
        check(&store, rwd, 3, true).unwrap(),
        ExpiryMode::ShortenOnly
    );
    let err = check(&store, rw, 3, true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expire: subaccount flags 0x03 lack the required 0x06"
    );
    let err = check(&store, SubaccountFlags::READ, 3, false).unwrap_err();
    assert!(matches!(
        err,
        RequestError::SubaccountPermission {
            required: 0x02,
            present: 0x01,
            ..
        }
    ));
    let err = check(&store, rw, 5, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "subaccount token prefix 05 does not match account prefix 03"
    );
    assert_eq!(
        check(&store, rw.union(SubaccountFlags::ANY_PREFIX), 5, false).unwrap(),
        ExpiryMode::ExtendOnly
    );
    // Revoked tokens are refused...
    let (token, token_sig) = subaccount(rw, 3, &sub);
    store.revoke(&group_account(), &token, NOW).unwrap();
    assert!(matches!(
        check(&store, rw, 3, false),
        Err(RequestError::SubaccountRevoked {
            operation: Operation::Expire
        })
    ));
    // ...except for retrieving from an unrevocable namespace.
    let retrieve = |ns: i16| {
        let sig = sub.sign(&payload::retrieve(Namespace(ns), NOW));
        let req = RetrieveRequest {
            account: group_account(),
            namespace: NamespaceArg::Int(ns.into()),
            last_hash: None,
            max_count: 0,
            max_size: 0,
            timestamp: NOW.0,
            auth: Some(
                Auth::signature(Binary::Raw(&sig))
                    .with_subaccount(Binary::Raw(&token.0), Binary::Raw(&token_sig)),
            ),
        };
        Verifier::new(NOW, &store)
            .validate_retrieve(&req)
            .map_err(RequestError::from)
            .map(|c| c.signer)
    };
    assert_eq!(retrieve(-11).unwrap(), Signer::Subaccount(token));
    assert!(matches!(
        retrieve(11),
        Err(RequestError::SubaccountRevoked { .. })
    ));
    // A token not signed by the account.
    let forged_sig = sub.sign(&token.0);
    let fake = ExpireRequest {
        account: group_account(),
        messages: &hashes,
        expiries: &exp,
        shorten: false,
        extend: false,
        auth: Some(
            Auth::signature(Binary::Raw(&req_sig))
                .with_subaccount(Binary::Raw(&token.0), Binary::Raw(&forged_sig)),
        ),
    };
    let fresh = populated();
    assert!(matches!(
        Verifier::new(NOW, &fresh)
            .validate_expire(&fake)
            .map_err(RequestError::from),
        Err(RequestError::BadSubaccountSignature)
    ));
}

#[test]
fn other_operation_rules() {
    let s = populated();
    let v = Verifier::new(NOW, &s);
    let g = group();
    let hashes = [
        "4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs",
        "RKfzPoxgrGv0+bnaytg85gAqKN+/g2sRHtNB1ZrkTkE",
    ];
    let sig = [0u8; 64];
    let auth = Some(Auth::signature(Binary::Raw(&sig)));
    let exp = ExpireRequest {
        account: group_account(),
        messages: &hashes,
        expiries: &[NOW.0, NOW.0, NOW.0],
        shorten: true,
        extend: true,
        auth,
    };
    assert_eq!(
        v.validate_expire(&exp)
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "expire: shorten and extend are mutually exclusive"
    );
    let exp = ExpireRequest {
        shorten: false,
        ..exp
    };
    assert_eq!(
        v.validate_expire(&exp)
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "expire: 3 expiries for 2 messages"
    );
    let exp = ExpireRequest {
        expiries: &[NOW.0 - 60_001],
        ..exp
    };
    assert!(matches!(
        v.validate_expire(&exp).map_err(RequestError::from),
        Err(RequestError::ExpiryInPast {
            tolerance_ms: 60_000,
            ..
        })
    ));
    // Expiries beyond 30 days are clamped, after verifying the signature over the requested value.
    let far = NOW.0 + 40 * 86_400_000;
    let parsed: Vec<_> = hashes.iter().map(|h| h.parse().unwrap()).collect();
    let far_sig = g.sign(&payload::expire(
        ExpiryMode::ExtendOnly,
        &[Timestamp(far)],
        &parsed,
    ));
    let exp = ExpireRequest {
        expiries: &[far],
        auth: Some(Auth::signature(Binary::Raw(&far_sig))),
        ..exp
    };
    let cmd = v.validate_expire(&exp).map_err(RequestError::from).unwrap();
    assert_eq!(cmd.changes[1].1, Timestamp(NOW.0 + 30 * 86_400_000));
    // delete_before more than 60 s ahead.
    let wide = AccountWideRequest {
        account: group_account(),
        namespace: NamespaceArg::Omitted,
        time: NOW.0 + 60_001,
        auth,
    };
    assert!(matches!(
        v.validate_delete_before(&wide).map_err(RequestError::from),
        Err(RequestError::BeforeInFuture { .. })
    ));
    // get_expiries timestamp window.
    let ge = GetExpiriesRequest {
        account: group_account(),
        messages: &hashes,
        timestamp: NOW.0 + 60_001,
        auth,
    };
    assert!(matches!(
        v.validate_get_expiries(&ge).map_err(RequestError::from),
        Err(RequestError::StaleTimestamp {
            operation: Operation::GetExpiries,
            ..
        })
    ));
    // Revocations: 1..=50 tokens, never signed by a subaccount.
    let tokens: Vec<Binary<'_>> = (0..51).map(|_| Binary::Raw(&[0u8; 36])).collect();
    let rv = RevokeRequest {
        account: group_account(),
        revoke: true,
        tokens: &tokens,
        timestamp: NOW.0,
        auth,
    };
    assert_eq!(
        v.validate_revoke(&rv)
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "revoke_subaccount: 51 tokens exceed the limit of 50"
    );
    let rv = RevokeRequest {
        tokens: &tokens[..1],
        auth: Some(
            Auth::signature(Binary::Raw(&sig))
                .with_subaccount(Binary::Raw(&[0; 36]), Binary::Raw(&sig)),
        ),
        ..rv
    };
    assert!(matches!(
        v.validate_revoke(&rv).map_err(RequestError::from),
        Err(RequestError::SubaccountNotAllowed { .. })
    ));
    let rv = RevokeRequest {
        tokens: &[Binary::Raw(&[0u8; 35])],
        ..rv
    };
    assert_eq!(
        v.validate_revoke(&rv)
            .map_err(RequestError::from)
            .unwrap_err()
            .to_string(),
        "revoke_subaccount: invalid tokens"
    );
}

#[test]
fn signature_clock_window_is_inclusive() {
    let s = populated();
    let at = |offset: i64, forwarded: bool| {
        let sig_ts = NOW.0.checked_add_signed(offset).unwrap();
        let sig = group().sign(&payload::store(Namespace(13), Timestamp(sig_ts)));
        let mut req = signed_store(13, sig_ts, &sig);
        req.account = group_account();
        let v = Verifier::new(NOW, &s);
        let v = if forwarded { v.forwarded() } else { v };
        match v.validate_store(&req).map_err(RequestError::from) {
            Ok(_) => Ok(()),
            Err(RequestError::StaleTimestamp { tolerance_ms, .. }) => Err(tolerance_ms),
            Err(e) => panic!("{e:?}"),
        }
    };
    for offset in [-60_000, 0, 60_000] {
        assert_eq!(at(offset, false), Ok(()), "{offset}");
    }
    for offset in [-60_001, 60_001] {
        assert_eq!(at(offset, false), Err(60_000), "{offset}");
    }
    for offset in [-70_000, 70_000] {
        assert_eq!(at(offset, true), Ok(()), "{offset}");
    }
    for offset in [-70_001, 70_001] {
        assert_eq!(at(offset, true), Err(70_000), "{offset}");
    }
}

#[test]
fn verifier_debug_shows_its_settings() {
    let s = MemoryStore::new();
    assert_eq!(
        format!("{:?}", Verifier::new(NOW, &s)),
        "Verifier { now: Timestamp(1700000000000), forwarded: false, .. }"
    );
    assert_eq!(
        format!("{:?}", Verifier::new(NOW, &s).forwarded()),
        "Verifier { now: Timestamp(1700000000000), forwarded: true, .. }"
    );
}

#[test]
fn store_limits_are_inclusive() {
    let s = populated();
    let check = |req: &StoreRequest<'_>| {
        Verifier::new(NOW, &s)
            .validate_store(req)
            .map_err(RequestError::from)
            .map(|_| ())
    };
    let ok = |req: StoreRequest<'_>| assert!(check(&req).is_ok(), "{req:?}: {:?}", check(&req));
    let base = store_req(Binary::Raw(b"x"));
    // The smallest millisecond timestamp passes the unit check (and then fails the clock).
    assert!(matches!(
        check(&StoreRequest {
            timestamp: 1_000_000_000,
            ..base
        }),
        Err(RequestError::AlreadyExpired { .. })
    ));
    // TTL of exactly 10 s; 1 ms less is too short.
    ok(StoreRequest {
        lifetime: Lifetime::Ttl(10_000),
        ..base
    });
    assert!(matches!(
        check(&StoreRequest {
            lifetime: Lifetime::Ttl(9_999),
            ..base
        }),
        Err(RequestError::TtlTooShort { ttl_ms: 9_999, .. })
    ));
    // A timestamp exactly 10 s ahead, an expiry exactly 10 s behind.
    ok(StoreRequest {
        timestamp: NOW.0 + 10_000,
        ..base
    });
    ok(StoreRequest {
        timestamp: NOW.0 - 30_000,
        lifetime: Lifetime::Ttl(20_000),
        ..base
    });
    assert!(matches!(
        check(&StoreRequest {
            timestamp: NOW.0 - 30_000,
            lifetime: Lifetime::Ttl(19_999),
            ..base
        }),
        Err(RequestError::AlreadyExpired { .. })
    ));
    // Data of exactly the largest size, raw and as base64.
    let max = vec![0u8; 76_800];
    ok(store_req(Binary::Raw(&max)));
    let text = "A".repeat(102_400);
    ok(store_req(Binary::Base64(&text)));
    assert!(matches!(
        check(&store_req(Binary::Raw(&[0; 76_801]))),
        Err(RequestError::DataTooLarge {
            len: 76_801,
            max: 76_800
        })
    ));
}

#[test]
fn delete_before_may_be_exactly_the_tolerance_ahead() {
    let s = populated();
    let before = |ahead: u64, forwarded: bool| {
        let time = NOW.0 + ahead;
        let sig = group().sign(&payload::delete_before(
            NamespaceSelector::One(Namespace(0)),
            Timestamp(time),
        ));
        let req = AccountWideRequest {
            account: group_account(),
            namespace: NamespaceArg::Omitted,
            time,
            auth: Some(Auth::signature(Binary::Raw(&sig))),
        };
        let v = Verifier::new(NOW, &s);
        let v = if forwarded { v.forwarded() } else { v };
        v.validate_delete_before(&req)
            .map_err(RequestError::from)
            .map(|c| c.time.0 - NOW.0)
    };
    assert_eq!(before(60_000, false).ok(), Some(60_000));
    assert!(matches!(
        before(60_001, false),
        Err(RequestError::BeforeInFuture {
            tolerance_ms: 60_000,
            ..
        })
    ));
    assert_eq!(before(70_000, true).ok(), Some(70_000));
    assert!(matches!(
        before(70_001, true),
        Err(RequestError::BeforeInFuture {
            tolerance_ms: 70_000,
            ..
        })
    ));
}

#[test]
fn expire_all_may_be_exactly_the_tolerance_past() {
    let s = populated();
    let expire_all = |behind: u64| {
        let time = NOW.0 - behind;
        let sig = group().sign(&payload::expire_all(
            NamespaceSelector::One(Namespace(0)),
            Timestamp(time),
        ));
        let req = AccountWideRequest {
            account: group_account(),
            namespace: NamespaceArg::Omitted,
            time,
            auth: Some(Auth::signature(Binary::Raw(&sig))),
        };
        Verifier::new(NOW, &s)
            .validate_expire_all(&req)
            .map_err(RequestError::from)
            .map(|c| NOW.0 - c.time.0)
    };
    assert_eq!(expire_all(60_000).ok(), Some(60_000));
    assert!(matches!(
        expire_all(60_001),
        Err(RequestError::ExpiryInPast {
            tolerance_ms: 60_000,
            ..
        })
    ));
}

#[test]
fn revoke_takes_up_to_fifty_tokens() {
    let s = populated();
    let raw: Vec<[u8; 36]> = (0u8..51).map(|i| [i; 36]).collect();
    let revoke = |n: usize| {
        let tokens: Vec<Binary<'_>> = raw[..n].iter().map(|t| Binary::Raw(t)).collect();
        let parsed: Vec<SubaccountToken> = raw[..n].iter().map(|t| SubaccountToken(*t)).collect();
        let sig = group().sign(&payload::revoke(true, NOW, &parsed));
        let req = RevokeRequest {
            account: group_account(),
            revoke: true,
            tokens: &tokens,
            timestamp: NOW.0,
            auth: Some(Auth::signature(Binary::Raw(&sig))),
        };
        Verifier::new(NOW, &s)
            .validate_revoke(&req)
            .map_err(RequestError::from)
            .map(|c| c.tokens.len())
    };
    assert_eq!(revoke(50).ok(), Some(50));
    assert!(matches!(
        revoke(51),
        Err(RequestError::TooMany {
            count: 51,
            max: 50,
            ..
        })
    ));
}

#[test]
fn unrevoke_has_no_token_limit_and_empty_lists_pass() {
    let s = populated();
    let raw: Vec<[u8; 36]> = (0u8..60).map(|i| [i; 36]).collect();
    let run = |revoke: bool, n: usize| {
        let tokens: Vec<Binary<'_>> = raw[..n].iter().map(|t| Binary::Raw(t)).collect();
        let parsed: Vec<SubaccountToken> = raw[..n].iter().map(|t| SubaccountToken(*t)).collect();
        let sig = group().sign(&payload::revoke(revoke, NOW, &parsed));
        let req = RevokeRequest {
            account: group_account(),
            revoke,
            tokens: &tokens,
            timestamp: NOW.0,
            auth: Some(Auth::signature(Binary::Raw(&sig))),
        };
        Verifier::new(NOW, &s)
            .validate_revoke(&req)
            .map_err(RequestError::from)
            .map(|c| c.tokens.len())
    };
    // The storage server limits revocations only, and signs and answers an empty list.
    assert_eq!(run(false, 60).ok(), Some(60));
    assert_eq!(run(true, 0).ok(), Some(0));
    assert_eq!(run(false, 0).ok(), Some(0));
}

#[test]
fn revoked_subaccounts_rules() {
    let mut s = populated();
    let token = SubaccountToken([4; 36]);
    s.revoke(&group_account(), &token, NOW).unwrap();
    let good = group().sign(&payload::revoked_subaccounts(NOW));
    let check = |account: AccountId, ts: u64, auth: Option<Auth<'_>>| {
        Verifier::new(NOW, &s)
            .validate_revoked_subaccounts(&RevokedSubaccountsRequest {
                account,
                timestamp: ts,
                auth,
            })
            .map_err(RequestError::from)
    };
    assert_eq!(
        check(
            group_account(),
            NOW.0,
            Some(Auth::signature(Binary::Raw(&good)))
        ),
        Ok(RevokedSubaccountsCommand {
            account: group_account(),
            timestamp: NOW,
        })
    );
    assert_eq!(
        s.revoked(&group_account()).unwrap(),
        vec![token],
        "what the command lists"
    );
    // ±60 s, inclusive.
    let at = |ts: u64| group().sign(&payload::revoked_subaccounts(Timestamp(ts)));
    let edge = at(NOW.0 + 60_000);
    assert!(
        check(
            group_account(),
            NOW.0 + 60_000,
            Some(Auth::signature(Binary::Raw(&edge)))
        )
        .is_ok()
    );
    let late = at(NOW.0 - 60_001);
    assert_eq!(
        check(
            group_account(),
            NOW.0 - 60_001,
            Some(Auth::signature(Binary::Raw(&late)))
        )
        .unwrap_err()
        .to_string(),
        "revoked_subaccounts: signature timestamp 1699999939999ms is more than 60000 ms from now (1700000000000ms)"
    );
    assert_eq!(
        check(group_account(), NOW.0, None),
        Err(RequestError::MissingSignature {
            operation: Operation::RevokedSubaccounts
        })
    );
    // Another key's signature, or one over another string.
    let other = me().sign(&payload::revoked_subaccounts(NOW));
    let wrong_string = group().sign(&payload::revoke(true, NOW, &[]));
    for sig in [&other, &wrong_string] {
        assert_eq!(
            check(
                group_account(),
                NOW.0,
                Some(Auth::signature(Binary::Raw(sig)))
            ),
            Err(RequestError::BadSignature {
                operation: Operation::RevokedSubaccounts
            })
        );
    }
    // Subaccounts may not list revocations.
    let sub = Identity::from_seed_bytes(&[9; 32]).unwrap();
    let (tok, tok_sig) = subaccount(SubaccountFlags::READ, 3, &sub);
    let sub_sig = sub.sign(&payload::revoked_subaccounts(NOW));
    assert_eq!(
        check(
            group_account(),
            NOW.0,
            Some(
                Auth::signature(Binary::Raw(&sub_sig))
                    .with_subaccount(Binary::Raw(&tok.0), Binary::Raw(&tok_sig))
            )
        ),
        Err(RequestError::SubaccountNotAllowed {
            operation: Operation::RevokedSubaccounts
        })
    );
}

/// The storage server verifies this request against the account key as given and ignores
/// `pubkey_ed25519`: a Session ID signing with its Ed25519 key is refused, and the
/// `pubkey_ed25519` field changes nothing for a group.
#[test]
fn revoked_subaccounts_ignores_pubkey_ed25519() {
    let s = populated();
    let v = Verifier::new(NOW, &s);
    let me_sig = me().sign(&payload::revoked_subaccounts(NOW));
    let ed = me().ed25519_public().to_bytes();
    let req = RevokedSubaccountsRequest {
        account: AccountId::from(me().session_id()),
        timestamp: NOW.0,
        auth: Some(Auth::signature(Binary::Raw(&me_sig)).with_ed25519(Binary::Raw(&ed))),
    };
    assert_eq!(
        v.validate_revoked_subaccounts(&req)
            .map_err(RequestError::from),
        Err(RequestError::BadSignature {
            operation: Operation::RevokedSubaccounts
        })
    );
    // The same key and signature pass where another request uses pubkey_ed25519.
    let hashes = ["4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs"];
    let ge_sig = me().sign(&payload::get_expiries(NOW, &[hashes[0].parse().unwrap()]));
    let ge = GetExpiriesRequest {
        account: AccountId::from(me().session_id()),
        messages: &hashes,
        timestamp: NOW.0,
        auth: Some(Auth::signature(Binary::Raw(&ge_sig)).with_ed25519(Binary::Raw(&ed))),
    };
    assert!(v.validate_get_expiries(&ge).is_ok());
    let g_sig = group().sign(&payload::revoked_subaccounts(NOW));
    let bogus_ed = [7u8; 32];
    let req = RevokedSubaccountsRequest {
        account: group_account(),
        timestamp: NOW.0,
        auth: Some(Auth::signature(Binary::Raw(&g_sig)).with_ed25519(Binary::Raw(&bogus_ed))),
    };
    assert!(v.validate_revoked_subaccounts(&req).is_ok());
}
