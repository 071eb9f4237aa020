//! Message hashes: the current (v4) format and the older ones, for reading old data.
//!
//! | ver | period | construction |
//! |---|---|---|
//! | v1 | 2021-03 | SHA-512 of `dec(ts) ‖ dec(ttl) ‖ account hex ‖ data as base64 text`, 128 hex |
//! | v2 | 2021-06 | SHA-512 of `dec(ts) ‖ dec(expiry) ‖ account hex ‖ data`, 128 hex |
//! | v3 | 2021-06 → HF 19.3 | BLAKE2b-256 of `dec(ts) ‖ dec(expiry) ‖ account ‖ ns ‖ data` |
//! | v4 | HF 19.3 → | BLAKE2b-256 of `account ‖ ns ‖ data` ([`message_hash`]) |
//!
//! `ns` is "" for namespace 0 and the decimal value otherwise; `account` is the 33 raw bytes.

use alloc::string::String;

use session_core::encoding::encode_hex;
use session_core::{AccountId, MessageHash, Namespace, Timestamp};

/// The current (v4) message hash. This is [`MessageHash::compute`], the one implementation.
///
/// ```
/// use session_core::{AccountId, Namespace};
/// let account = AccountId::new(0x05, [7; 32]);
/// let h = session_storage::message_hash(&account, Namespace(0), b"hi");
/// assert_eq!(h.to_string().len(), 43);
/// ```
#[must_use]
pub fn message_hash(account: &AccountId, namespace: Namespace, data: &[u8]) -> MessageHash {
    MessageHash::compute(account, namespace, data)
}

fn sha512_hex(parts: &[&[u8]]) -> String {
    use sha2::Digest as _;
    let mut h = sha2::Sha512::new();
    for p in parts {
        h.update(p);
    }
    encode_hex(&h.finalize())
}

fn dec(v: u64) -> String {
    use core::fmt::Write as _;
    let mut s = String::new();
    let _ = write!(s, "{v}");
    s
}

/// The v1 hash (March 2021): SHA-512 over the timestamp, the TTL, the account in hex and the
/// data **as the base64 text the client sent**; 128 lowercase hex characters.
#[must_use]
pub fn message_hash_v1(
    account: &AccountId,
    timestamp: Timestamp,
    ttl_ms: u64,
    data_base64: &str,
) -> String {
    let hex = encode_hex(&account.to_bytes());
    sha512_hex(&[
        dec(timestamp.as_millis()).as_bytes(),
        dec(ttl_ms).as_bytes(),
        hex.as_bytes(),
        data_base64.as_bytes(),
    ])
}

/// The v2 hash (June 2021, about two weeks): SHA-512 over the timestamp, the expiry, the
/// account in hex and the raw data; 128 lowercase hex characters.
#[must_use]
pub fn message_hash_v2(
    account: &AccountId,
    timestamp: Timestamp,
    expiry: Timestamp,
    data: &[u8],
) -> String {
    let hex = encode_hex(&account.to_bytes());
    sha512_hex(&[
        dec(timestamp.as_millis()).as_bytes(),
        dec(expiry.as_millis()).as_bytes(),
        hex.as_bytes(),
        data,
    ])
}

/// The v3 hash (June 2021 to HF 19.3): BLAKE2b-256 over the timestamp, the expiry, the raw
/// account, the namespace string and the data. Shown, like v4, as 43 characters of base64.
#[must_use]
pub fn message_hash_v3(
    account: &AccountId,
    namespace: Namespace,
    timestamp: Timestamp,
    expiry: Timestamp,
    data: &[u8],
) -> MessageHash {
    use blake2::Digest as _;
    let mut h = blake2::Blake2b::<blake2::digest::consts::U32>::new();
    h.update(dec(timestamp.as_millis()).as_bytes());
    h.update(dec(expiry.as_millis()).as_bytes());
    h.update(account.to_bytes());
    h.update(namespace.sig_str().as_bytes());
    h.update(data);
    MessageHash(h.finalize().into())
}
