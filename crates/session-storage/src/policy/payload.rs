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
