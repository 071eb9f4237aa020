//! `monitor.messages`: the signed string, the reply codes, notifications and how long a
//! subscription lasts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use serde_json::json;
use session_core::{AccountId, MessageHash, Namespace, Timestamp};
use session_node::SUBSCRIPTION_MS;
use session_storage::policy::payload;

fn bt_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(format!("{}:", b.len()).as_bytes());
    out.extend_from_slice(b);
}

/// `d [P|p] d n s t e` for `account`, signed by `signer` over the given fields.
fn subscribe_body(
    net: &Net,
    account: &AccountId,
    ed: Option<[u8; 32]>,
    t: u64,
    want: bool,
    ns: &[i16],
    sig_ns: &[i16],
) -> Vec<u8> {
    let sig_ns: Vec<Namespace> = sig_ns.iter().map(|&n| Namespace(n)).collect();
    let msg = payload::monitor(account, t, want, &sig_ns);
    let sig = net.client.sign(&msg);
    let mut b = b"d".to_vec();
    if let Some(ed) = ed {
        bt_bytes(&mut b, b"P");
        bt_bytes(&mut b, &ed);
    }
    bt_bytes(&mut b, b"d");
    b.extend_from_slice(format!("i{}e", u8::from(want)).as_bytes());
    bt_bytes(&mut b, b"n");
    b.push(b'l');
    for n in ns {
        b.extend_from_slice(format!("i{n}e").as_bytes());
    }
    b.push(b'e');
    if ed.is_none() {
        bt_bytes(&mut b, b"p");
        bt_bytes(&mut b, &account.to_bytes());
    }
    bt_bytes(&mut b, b"s");
    bt_bytes(&mut b, &sig);
    bt_bytes(&mut b, b"t");
    b.extend_from_slice(format!("i{t}e").as_bytes());
    b.push(b'e');
    b
}

#[test]
fn the_signed_string() {
    let account = AccountId::new(0x05, [0xab; 32]);
    let msg = payload::monitor(
        &account,
        1_700_000_000,
        true,
        &[Namespace(-10), Namespace(0), Namespace(3)],
    );
    assert_eq!(
        String::from_utf8(msg).unwrap(),
        format!("MONITOR05{}17000000001-10,0,3", "ab".repeat(32))
    );
    let msg = payload::monitor(&account, 5, false, &[Namespace(0)]);
    assert_eq!(
        String::from_utf8(msg).unwrap(),
        format!("MONITOR05{}500", "ab".repeat(32))
    );
}

#[test]
fn subscribe_notify_and_expire() {
    let mut net = net();
    let t = NOW_MS / 1000;
    let body = subscribe_body(&net, &net.account.clone(), None, t, true, &[0, 2], &[0, 2]);
    let reply = net.a.monitor(now(), 77, &body);
    assert_eq!(reply, b"d7:successi1ee");

    // A new message in namespace 0 notifies, with data.
    let (out, _) = rpc(
        &mut net.a,
        "store",
        json!({"pubkey": net.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": "aGVsbG8="}),
    );
    assert_eq!(out.notifications.len(), 1);
    let n = &out.notifications[0];
    assert_eq!(n.subscriber, 77);
    let hash = MessageHash::compute(&net.account, Namespace(0), b"hello").to_string();
    let mut want = b"d1:@33:".to_vec();
    want.extend_from_slice(&net.account.to_bytes());
    want.extend_from_slice(
        format!(
            "1:h43:{hash}1:ni0e1:ti{NOW_MS}e1:zi{}e1:~5:helloe",
            NOW_MS + 3_600_000
        )
        .as_bytes(),
    );
    assert_eq!(n.body, want);

    // The same message again is not new: no notification.
    let (out, _) = rpc(
        &mut net.a,
        "store",
        json!({"pubkey": net.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": "aGVsbG8="}),
    );
    assert!(out.notifications.is_empty());

    // Namespace 5 is not followed.
    let s5 = sig(&net.client, &payload::store(Namespace(5), now()));
    let (out, r) = rpc(
        &mut net.a,
        "store",
        json!({"pubkey": net.account.to_string(), "timestamp": NOW_MS, "ttl": 3_600_000, "data": "eA==", "namespace": 5, "signature": s5}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    assert!(out.notifications.is_empty());

    // Still subscribed at exactly 65 minutes, gone a millisecond later.
    for (offset, expected) in [(SUBSCRIPTION_MS, 1), (SUBSCRIPTION_MS + 1, 0)] {
        let at = Timestamp::from_millis(NOW_MS + offset);
        let data = session_core::encoding::encode_base64(format!("m{offset}").as_bytes());
        let (out, r) = rpc_at(
            &mut net.a,
            at,
            "store",
            json!({"pubkey": net.account.to_string(), "timestamp": at.as_millis(), "ttl": 3_600_000, "data": data}),
        );
        assert_eq!(r.status, 200);
        assert_eq!(out.notifications.len(), expected, "offset {offset}");
    }
    assert_eq!(SUBSCRIPTION_MS, 65 * 60 * 1000);
}

#[test]
fn session_id_by_ed25519_key_and_list_form() {
    let mut net = net();
    let sid = AccountId::from(net.client.session_id());
    let ed = *net.client.ed25519_public().as_bytes();
    let t = NOW_MS / 1000;
    let one = subscribe_body(&net, &sid, Some(ed), t, false, &[0], &[0]);
    let bad_sig = subscribe_body(&net, &sid, Some(ed), t, false, &[0], &[1]);
    let mut list = b"l".to_vec();
    list.extend_from_slice(&one);
    list.extend_from_slice(&bad_sig);
    list.push(b'e');
    let reply = net.a.monitor(now(), 1, &list);
    assert_eq!(
        String::from_utf8_lossy(&reply),
        "ld7:successi1eed7:errcodei5e5:error29:Signature verification failedee"
    );
}

#[test]
fn rejections() {
    let mut net = net();
    let acct = net.account;
    let t = NOW_MS / 1000;
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"x".to_vec(),
            "d7:errcodei1e5:error81:Invalid arguments: monitor request takes a single bencoded dict or list parametere",
        ),
        (
            b"di1ee".to_vec(),
            "d7:errcodei1e5:error62:Invalid arguments: Failed to parse monitor.messages data valuee",
        ),
        (
            subscribe_body(&net, &acct, None, t - 15 * 86_400, false, &[0], &[0]),
            "d7:errcodei4e5:error52:Invalid t= signature timestamp: timestamp is too olde",
        ),
        (
            subscribe_body(&net, &acct, None, t + 86_401, false, &[0], &[0]),
            "d7:errcodei4e5:error58:Invalid t= signature timestamp: timestamp is in the futuree",
        ),
        (
            subscribe_body(&net, &acct, None, t, false, &[2, 1], &[2, 1]),
            "d7:errcodei3e5:error55:Invalid n= namespace list: namespaces must be ascendinge",
        ),
    ];
    for (body, want) in cases {
        assert_eq!(
            String::from_utf8_lossy(&net.a.monitor(now(), 1, &body)),
            want
        );
    }
    // The window's edges are accepted.
    for edge in [t - 14 * 86_400, t + 86_400] {
        let body = subscribe_body(&net, &acct, None, edge, false, &[0], &[0]);
        assert_eq!(net.a.monitor(now(), 1, &body), b"d7:successi1ee");
    }
}
