//! The signed-request byte strings of every endpoint. `dec` is ASCII decimal.

use alloc::string::{String, ToString as _};
use alloc::vec::Vec;

use session_core::{MessageHash, Namespace, Timestamp};

use crate::types::{ExpiryMode, NamespaceSelector, SubaccountToken};

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    let mut v = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        v.extend_from_slice(p);
    }
    v
}

fn dec(v: u64) -> String {
    use core::fmt::Write as _;
    let mut s = String::new();
    let _ = write!(s, "{v}");
    s
}

/// `"store" ‖ ns ‖ dec(sig_timestamp)`.
#[must_use]
pub fn store(ns: Namespace, sig_timestamp: Timestamp) -> Vec<u8> {
    cat(&[
        b"store",
        ns.sig_str().as_bytes(),
        dec(sig_timestamp.0).as_bytes(),
    ])
}

/// `"retrieve" ‖ ns ‖ dec(timestamp)`.
#[must_use]
pub fn retrieve(ns: Namespace, timestamp: Timestamp) -> Vec<u8> {
    cat(&[
        b"retrieve",
        ns.sig_str().as_bytes(),
        dec(timestamp.0).as_bytes(),
    ])
}

/// `"delete" ‖ hash1 ‖ hash2 ‖ …` (no timestamp: such requests can be replayed).
#[must_use]
pub fn delete(hashes: &[MessageHash]) -> Vec<u8> {
    let mut v = b"delete".to_vec();
    for h in hashes {
        v.extend_from_slice(h.to_string().as_bytes());
    }
    v
}

/// `"delete_all" ‖ ns-or-"all" ‖ dec(timestamp)`.
#[must_use]
pub fn delete_all(sel: NamespaceSelector, timestamp: Timestamp) -> Vec<u8> {
    cat(&[
        b"delete_all",
        sel.sig_str().as_bytes(),
        dec(timestamp.0).as_bytes(),
    ])
}

/// `"delete_before" ‖ ns-or-"all" ‖ dec(before)`.
#[must_use]
pub fn delete_before(sel: NamespaceSelector, before: Timestamp) -> Vec<u8> {
    cat(&[
        b"delete_before",
        sel.sig_str().as_bytes(),
        dec(before.0).as_bytes(),
    ])
}

/// `"expire_all" ‖ ns-or-"all" ‖ dec(expiry)`.
#[must_use]
pub fn expire_all(sel: NamespaceSelector, expiry: Timestamp) -> Vec<u8> {
    cat(&[
        b"expire_all",
        sel.sig_str().as_bytes(),
        dec(expiry.0).as_bytes(),
    ])
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
        v.extend_from_slice(dec(e.0).as_bytes());
    }
    for h in hashes {
        v.extend_from_slice(h.to_string().as_bytes());
    }
    v
}

/// `"get_expiries" ‖ dec(timestamp) ‖ hash1 ‖ …`.
#[must_use]
pub fn get_expiries(timestamp: Timestamp, hashes: &[MessageHash]) -> Vec<u8> {
    let mut v = cat(&[b"get_expiries", dec(timestamp.0).as_bytes()]);
    for h in hashes {
        v.extend_from_slice(h.to_string().as_bytes());
    }
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
    let mut v = cat(&[name, dec(timestamp.0).as_bytes()]);
    for t in tokens {
        v.extend_from_slice(&t.0);
    }
    v
}
