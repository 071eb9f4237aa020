//! The signed-request byte strings of every endpoint. `dec` is ASCII decimal.

use alloc::string::ToString as _;
use alloc::vec::Vec;

use session_core::{MessageHash, Namespace, Timestamp, Writer as _};

use crate::types::{ExpiryMode, NamespaceSelector, SubaccountToken};

/// `name ‖ namespace text ‖ dec(time)`: the shape of most payloads.
fn named(name: &[u8], namespace: &str, time: Timestamp) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len() + namespace.len() + 20);
    v.extend_from_slice(name);
    v.extend_from_slice(namespace.as_bytes());
    v.write_decimal(time.0);
    v
}

fn push_hashes(v: &mut Vec<u8>, hashes: &[MessageHash]) {
    for h in hashes {
        v.extend_from_slice(h.to_string().as_bytes());
    }
}

/// `"store" ‖ ns ‖ dec(sig_timestamp)`.
#[must_use]
pub fn store(ns: Namespace, sig_timestamp: Timestamp) -> Vec<u8> {
    named(b"store", &ns.sig_str(), sig_timestamp)
}

/// `"retrieve" ‖ ns ‖ dec(timestamp)`.
#[must_use]
pub fn retrieve(ns: Namespace, timestamp: Timestamp) -> Vec<u8> {
    named(b"retrieve", &ns.sig_str(), timestamp)
}

/// `"delete" ‖ hash1 ‖ hash2 ‖ …` (no timestamp: such requests can be replayed).
#[must_use]
pub fn delete(hashes: &[MessageHash]) -> Vec<u8> {
    let mut v = b"delete".to_vec();
    push_hashes(&mut v, hashes);
    v
}

/// `"delete_all" ‖ ns-or-"all" ‖ dec(timestamp)`.
#[must_use]
pub fn delete_all(sel: NamespaceSelector, timestamp: Timestamp) -> Vec<u8> {
    named(b"delete_all", &sel.sig_str(), timestamp)
}

/// `"delete_before" ‖ ns-or-"all" ‖ dec(before)`.
#[must_use]
pub fn delete_before(sel: NamespaceSelector, before: Timestamp) -> Vec<u8> {
    named(b"delete_before", &sel.sig_str(), before)
}

/// `"expire_all" ‖ ns-or-"all" ‖ dec(expiry)`.
#[must_use]
pub fn expire_all(sel: NamespaceSelector, expiry: Timestamp) -> Vec<u8> {
    named(b"expire_all", &sel.sig_str(), expiry)
}

/// `"expire" ‖ ("shorten"|"extend"|"") ‖ dec(exp1) [‖ dec(exp2)…] ‖ hash1 ‖ hash2 ‖ …`, with
/// the expiries as requested (before clamping).
#[must_use]
pub fn expire(mode: ExpiryMode, expiries: &[Timestamp], hashes: &[MessageHash]) -> Vec<u8> {
    let mut v = b"expire".to_vec();
    v.extend_from_slice(match mode {
        ExpiryMode::Set => b"".as_slice(),
        ExpiryMode::ExtendOnly => b"extend",
        ExpiryMode::ShortenOnly => b"shorten",
    });
    for e in expiries {
        v.write_decimal(e.0);
    }
    push_hashes(&mut v, hashes);
    v
}

/// `"get_expiries" ‖ dec(timestamp) ‖ hash1 ‖ …`.
#[must_use]
pub fn get_expiries(timestamp: Timestamp, hashes: &[MessageHash]) -> Vec<u8> {
    let mut v = named(b"get_expiries", "", timestamp);
    push_hashes(&mut v, hashes);
    v
}

/// `"revoke_subaccount" ‖ dec(timestamp) ‖ token1 ‖ …` (raw 36-byte tokens), or
/// `"unrevoke_subaccount" ‖ …` when `revoke` is false.
#[must_use]
pub fn revoke(revoke: bool, timestamp: Timestamp, tokens: &[SubaccountToken]) -> Vec<u8> {
    let name: &[u8] = if revoke {
        b"revoke_subaccount"
    } else {
        b"unrevoke_subaccount"
    };
    let mut v = named(name, "", timestamp);
    for t in tokens {
        v.extend_from_slice(&t.0);
    }
    v
}

/// `"revoked_subaccounts" ‖ dec(timestamp)`: what a request for the list of revoked tokens
/// signs.
#[must_use]
pub fn revoked_subaccounts(timestamp: Timestamp) -> Vec<u8> {
    named(b"revoked_subaccounts", "", timestamp)
}

/// `"MONITOR" ‖ account hex (66 lowercase characters) ‖ dec(timestamp, seconds) ‖ "0"|"1" ‖
/// namespaces in decimal, comma-separated, in the order given (ascending in a valid request)`:
/// what a `monitor.messages` subscription signs.
#[must_use]
pub fn monitor(
    account: &session_core::AccountId,
    timestamp_secs: u64,
    want_data: bool,
    namespaces: &[Namespace],
) -> Vec<u8> {
    let mut v = Vec::with_capacity(7 + 66 + 20 + 1 + namespaces.len() * 7);
    v.extend_from_slice(b"MONITOR");
    v.extend_from_slice(account.to_string().as_bytes());
    v.write_decimal(timestamp_secs);
    v.push(if want_data { b'1' } else { b'0' });
    for (i, ns) in namespaces.iter().enumerate() {
        if i > 0 {
            v.push(b',');
        }
        v.write_decimal_i64(i64::from(ns.0));
    }
    v
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    use super::*;

    fn text(v: &[u8]) -> String {
        String::from_utf8_lossy(v).into_owned()
    }

    /// The strings the vector files do not cover, spelled out.
    #[test]
    fn payloads_are_the_exact_strings() {
        let h = |b: u8| MessageHash([b; 32]);
        let (h0, h1) = (h(0), h(0xff));
        let t0 = "A".repeat(43);
        let t1 = format!("{}8", "/".repeat(42));
        assert_eq!(h1.to_string(), t1);
        let ts = Timestamp(1_700_000_000_123);
        assert_eq!(text(&delete(&[h0, h1])), format!("delete{t0}{t1}"));
        assert_eq!(text(&delete(&[])), "delete");
        assert_eq!(text(&store(Namespace(0), ts)), "store1700000000123");
        assert_eq!(text(&store(Namespace(-10), ts)), "store-101700000000123");
        assert_eq!(text(&retrieve(Namespace(3), Timestamp(0))), "retrieve30");
        assert_eq!(
            text(&get_expiries(ts, &[h1, h0])),
            format!("get_expiries1700000000123{t1}{t0}")
        );
        assert_eq!(
            text(&expire(
                ExpiryMode::ShortenOnly,
                &[Timestamp(5), Timestamp(u64::MAX)],
                &[h0]
            )),
            format!("expireshorten518446744073709551615{t0}")
        );
        assert_eq!(
            text(&expire(ExpiryMode::ExtendOnly, &[Timestamp(7)], &[h1])),
            format!("expireextend7{t1}")
        );
        assert_eq!(
            text(&delete_before(NamespaceSelector::One(Namespace(2)), ts)),
            "delete_before21700000000123"
        );
        assert_eq!(
            text(&revoked_subaccounts(ts)),
            "revoked_subaccounts1700000000123"
        );
        let token = SubaccountToken([b'x'; 36]);
        assert_eq!(
            text(&revoke(false, Timestamp(9), &[token, token])),
            format!("unrevoke_subaccount9{}", "x".repeat(72))
        );
    }
}
