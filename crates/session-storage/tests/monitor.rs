//! `monitor.messages` subscriptions: the signed string and `Verifier::validate_monitor`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use session_core::identity::Identity;
use session_core::{AccountId, Namespace, Timestamp};
use session_storage::policy::{Auth, MonitorRequest, Signer, Verifier, payload};
use session_storage::{
    Binary, MemoryStore, RequestError as Error, RevocationStore, SubaccountFlags, SubaccountToken,
};

const NOW_S: u64 = 1_700_000_000;

fn now() -> Timestamp {
    Timestamp::from_secs(NOW_S)
}

fn group() -> (Identity, AccountId) {
    let admin = Identity::from_seed_bytes(&[5; 32]).unwrap();
    let account = AccountId::new(0x03, admin.ed25519_public().to_bytes());
    (admin, account)
}

#[test]
fn payload_layout() {
    let account = AccountId::new(0x05, [0x11; 32]);
    let ns = [Namespace(-10), Namespace(0), Namespace(13)];
    assert_eq!(
        payload::monitor(&account, NOW_S, true, &ns),
        format!("MONITOR05{}{NOW_S}1-10,0,13", "11".repeat(32)).into_bytes()
    );
    assert_eq!(
        payload::monitor(&account, 0, false, &[Namespace(0)]),
        format!("MONITOR05{}000", "11".repeat(32)).into_bytes()
    );
}

#[test]
fn account_signature_window_and_order() {
    let (admin, account) = group();
    let store = MemoryStore::new();
    let ns = [Namespace(0), Namespace(12)];
    let check = |t: u64, ns: &[Namespace], signed: &[Namespace]| {
        let sig = admin.sign(&payload::monitor(&account, t, false, signed));
        let req = MonitorRequest {
            account,
            timestamp_secs: t,
            want_data: false,
            namespaces: ns,
            auth: Auth::signature(Binary::Raw(&sig)),
        };
        Verifier::new(now(), &store)
            .validate_monitor(&req)
            .map_err(Error::from)
    };
    let ok = check(NOW_S, &ns, &ns).unwrap();
    assert_eq!(
        (ok.namespaces.as_slice(), ok.signer),
        (&ns[..], Signer::Account)
    );
    // The window: 14 days back, 1 day ahead, both inclusive.
    assert!(check(NOW_S - 14 * 86_400, &ns, &ns).is_ok());
    assert!(check(NOW_S + 86_400, &ns, &ns).is_ok());
    assert!(matches!(
        check(NOW_S - 14 * 86_400 - 1, &ns, &ns),
        Err(Error::MonitorTimestamp { too_old: true, .. })
    ));
    assert!(matches!(
        check(NOW_S + 86_401, &ns, &ns),
        Err(Error::MonitorTimestamp { too_old: false, .. })
    ));
    let down = [Namespace(12), Namespace(0)];
    assert!(matches!(
        check(NOW_S, &down, &down),
        Err(Error::NamespacesNotAscending)
    ));
    let dup = [Namespace(1), Namespace(1)];
    assert!(matches!(
        check(NOW_S, &dup, &dup),
        Err(Error::NamespacesNotAscending)
    ));
    assert!(matches!(
        check(NOW_S, &[], &[]),
        Err(Error::EmptyList { .. })
    ));
    // Signed over other namespaces.
    assert!(matches!(
        check(NOW_S, &ns, &[Namespace(0)]),
        Err(Error::BadSignature { .. })
    ));
}

#[test]
fn subaccounts_need_read_and_must_not_be_revoked() {
    let (admin, account) = group();
    let sub = Identity::from_seed_bytes(&[6; 32]).unwrap();
    let mut store = MemoryStore::new();
    let ns = [Namespace(11)];
    let attempt = |store: &MemoryStore, flags: SubaccountFlags| {
        let token = SubaccountToken::new(0x03, flags, &sub.ed25519_public());
        let token_sig = admin.sign(&token.0);
        let sig = sub.sign(&payload::monitor(&account, NOW_S, true, &ns));
        let req = MonitorRequest {
            account,
            timestamp_secs: NOW_S,
            want_data: true,
            namespaces: &ns,
            auth: Auth::signature(Binary::Raw(&sig))
                .with_subaccount(Binary::Raw(&token.0), Binary::Raw(&token_sig)),
        };
        (
            token,
            Verifier::new(now(), store)
                .validate_monitor(&req)
                .map_err(Error::from),
        )
    };
    let (token, ok) = attempt(&store, SubaccountFlags::READ);
    assert_eq!(ok.unwrap().signer, Signer::Subaccount(token));
    let (_, write_only) = attempt(&store, SubaccountFlags::WRITE);
    assert!(matches!(
        write_only,
        Err(Error::SubaccountPermission { required: 1, .. })
    ));
    let Ok(()) = store.revoke(&account, &token, now());
    let (_, revoked) = attempt(&store, SubaccountFlags::READ);
    assert!(matches!(revoked, Err(Error::SubaccountRevoked { .. })));
}
