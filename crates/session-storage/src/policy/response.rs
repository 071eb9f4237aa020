//! The byte strings a node signs in its replies, with `PUBKEY_HEX` the account's
//! 66 lowercase hex characters and hash lists in the order the caller gives (replies sort
//! them by text: see [`sort_by_hash_text`](crate::sort_by_hash_text)).

use alloc::string::ToString as _;
use alloc::vec::Vec;

use session_core::{AccountId, MessageHash, Timestamp, Writer as _};

use crate::types::SubaccountToken;

fn start(account: &AccountId) -> Vec<u8> {
    account.to_string().into_bytes()
}

fn push_hashes(v: &mut Vec<u8>, hashes: &[MessageHash]) {
    for h in hashes {
        v.extend_from_slice(h.to_string().as_bytes());
    }
}

/// `store`: the hash's 43 characters.
#[must_use]
pub fn store(hash: &MessageHash) -> Vec<u8> {
    hash.to_string().into_bytes()
}

/// `delete`: `PUBKEY_HEX ‖ requested hashes (request order) ‖ deleted hashes (sorted)`.
#[must_use]
pub fn delete(account: &AccountId, requested: &[MessageHash], deleted: &[MessageHash]) -> Vec<u8> {
    let mut v = start(account);
    push_hashes(&mut v, requested);
    push_hashes(&mut v, deleted);
    v
}

/// `delete_all` / `delete_before` / `expire_all`: `PUBKEY_HEX ‖ dec(time) ‖ hashes
/// (sorted, across every namespace for "all")`, where time is the request's timestamp,
/// `before` or expiry.
#[must_use]
pub fn account_wide(account: &AccountId, time: Timestamp, hashes: &[MessageHash]) -> Vec<u8> {
    let mut v = start(account);
    v.write_decimal(time.as_millis());
    push_hashes(&mut v, hashes);
    v
}

/// `expire`: `PUBKEY_HEX ‖ dec(expiry)… ‖ requested ‖ updated (sorted) ‖ (hash ‖
/// dec(expiry)) for each unchanged message, sorted by hash`.
#[must_use]
pub fn expire(
    account: &AccountId,
    expiries: &[Timestamp],
    requested: &[MessageHash],
    updated: &[MessageHash],
    unchanged: &[(MessageHash, Timestamp)],
) -> Vec<u8> {
    let mut v = start(account);
    for e in expiries {
        v.write_decimal(e.as_millis());
    }
    push_hashes(&mut v, requested);
    push_hashes(&mut v, updated);
    for (h, e) in unchanged {
        v.extend_from_slice(h.to_string().as_bytes());
        v.write_decimal(e.as_millis());
    }
    v
}

/// `revoke_subaccount` / `unrevoke_subaccount`: `PUBKEY_HEX ‖ dec(timestamp) ‖ tokens`.
#[must_use]
pub fn revoke(account: &AccountId, timestamp: Timestamp, tokens: &[SubaccountToken]) -> Vec<u8> {
    let mut v = start(account);
    v.write_decimal(timestamp.as_millis());
    for t in tokens {
        v.extend_from_slice(&t.0);
    }
    v
}
