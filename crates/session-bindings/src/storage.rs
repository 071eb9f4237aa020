//! Message hashes and the byte strings a client signs in storage requests.

use core::str::FromStr;

use session_core::{AccountId, MessageHash, Namespace, Network, Timestamp};
use session_storage::policy::payload;
use session_storage::{ExpiryMode, NamespaceSelector, SubaccountToken};

use crate::error::{Error, ErrorCode, Result, with_code};

fn account(text: &str) -> Result<AccountId> {
    AccountId::parse(text.trim(), Network::Mainnet).map_err(with_code(ErrorCode::SessionId))
}

fn namespace(value: i64) -> Result<Namespace> {
    i16::try_from(value).map(Namespace).map_err(|_| {
        Error::new(
            ErrorCode::Storage,
            format!("namespace {value} is outside -32768..=32767"),
        )
    })
}

fn selector(namespace_value: Option<i64>) -> Result<NamespaceSelector> {
    Ok(match namespace_value {
        Some(ns) => NamespaceSelector::One(namespace(ns)?),
        None => NamespaceSelector::All,
    })
}

fn tokens(raw: &[&[u8]]) -> Result<Vec<SubaccountToken>> {
    raw.iter()
        .map(|t| {
            <[u8; SubaccountToken::LEN]>::try_from(*t)
                .map(SubaccountToken)
                .map_err(|_| {
                    Error::new(
                        ErrorCode::InvalidArgument,
                        format!(
                            "a subaccount token is {} bytes, not {}",
                            SubaccountToken::LEN,
                            t.len()
                        ),
                    )
                })
        })
        .collect()
}

fn hashes(texts: &[&str]) -> Result<Vec<MessageHash>> {
    texts
        .iter()
        .map(|t| MessageHash::from_str(t.trim()).map_err(with_code(ErrorCode::Storage)))
        .collect()
}

/// The storage server's hash of a message (what `store` answers and `delete` takes): unpadded
/// base64 text. `account`: 66 hex characters, any prefix.
pub fn message_hash(account_id: &str, namespace_value: i64, data: &[u8]) -> Result<String> {
    let account = account(account_id)?;
    Ok(session_storage::message_hash(&account, namespace(namespace_value)?, data).to_string())
}

/// What a client signs to store in `namespace`: `"store" ‖ namespace ‖ timestamp`
/// (`timestamp` in milliseconds since the Unix epoch).
pub fn store_payload(namespace_value: i64, timestamp_ms: u64) -> Result<Vec<u8>> {
    Ok(payload::store(
        namespace(namespace_value)?,
        Timestamp(timestamp_ms),
    ))
}

/// What a client signs to retrieve from `namespace`.
pub fn retrieve_payload(namespace_value: i64, timestamp_ms: u64) -> Result<Vec<u8>> {
    Ok(payload::retrieve(
        namespace(namespace_value)?,
        Timestamp(timestamp_ms),
    ))
}

/// What a client signs to delete messages by hash.
pub fn delete_payload(message_hashes: &[&str]) -> Result<Vec<u8>> {
    Ok(payload::delete(&hashes(message_hashes)?))
}

/// What a client signs to delete every message of one namespace, or of all of them
/// (`namespace` `None`).
pub fn delete_all_payload(namespace_value: Option<i64>, timestamp_ms: u64) -> Result<Vec<u8>> {
    Ok(payload::delete_all(
        selector(namespace_value)?,
        Timestamp(timestamp_ms),
    ))
}

/// What a client signs to delete the messages stored before `before_ms` in one namespace, or
/// in all of them (`namespace` `None`).
pub fn delete_before_payload(namespace_value: Option<i64>, before_ms: u64) -> Result<Vec<u8>> {
    Ok(payload::delete_before(
        selector(namespace_value)?,
        Timestamp(before_ms),
    ))
}

/// What a client signs to shorten the expiry of every message of one namespace, or of all of
/// them (`namespace` `None`), to `expiry_ms`.
pub fn expire_all_payload(namespace_value: Option<i64>, expiry_ms: u64) -> Result<Vec<u8>> {
    Ok(payload::expire_all(
        selector(namespace_value)?,
        Timestamp(expiry_ms),
    ))
}

/// What a client signs to ask the expiries of messages by hash.
pub fn get_expiries_payload(timestamp_ms: u64, message_hashes: &[&str]) -> Result<Vec<u8>> {
    Ok(payload::get_expiries(
        Timestamp(timestamp_ms),
        &hashes(message_hashes)?,
    ))
}

/// What a client signs to revoke subaccount tokens (36 bytes each).
pub fn revoke_subaccount_payload(
    timestamp_ms: u64,
    subaccount_tokens: &[&[u8]],
) -> Result<Vec<u8>> {
    Ok(payload::revoke(
        true,
        Timestamp(timestamp_ms),
        &tokens(subaccount_tokens)?,
    ))
}

/// What a client signs to lift the revocation of subaccount tokens (36 bytes each).
pub fn unrevoke_subaccount_payload(
    timestamp_ms: u64,
    subaccount_tokens: &[&[u8]],
) -> Result<Vec<u8>> {
    Ok(payload::revoke(
        false,
        Timestamp(timestamp_ms),
        &tokens(subaccount_tokens)?,
    ))
}

/// What a client signs to subscribe to the new messages of `account` (66 hex characters)
/// in `namespaces` (ascending, as the server requires): `timestamp_s` in seconds since the
/// Unix epoch, `want_data` whether notifications carry the message data.
pub fn monitor_payload(
    account_id: &str,
    timestamp_s: u64,
    want_data: bool,
    namespaces: &[i64],
) -> Result<Vec<u8>> {
    let account = account(account_id)?;
    let namespaces = namespaces
        .iter()
        .map(|&ns| namespace(ns))
        .collect::<Result<Vec<_>>>()?;
    Ok(payload::monitor(
        &account,
        timestamp_s,
        want_data,
        &namespaces,
    ))
}

/// What a client signs to change the expiry of messages: `mode` is `""` (set), `"extend"`
/// or `"shorten"`.
pub fn expire_payload(mode: &str, expiry_ms: u64, message_hashes: &[&str]) -> Result<Vec<u8>> {
    let mode = match mode {
        "" => ExpiryMode::Set,
        "extend" => ExpiryMode::ExtendOnly,
        "shorten" => ExpiryMode::ShortenOnly,
        other => {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("expiry mode {other:?} is not \"\", \"extend\" or \"shorten\""),
            ));
        }
    };
    Ok(payload::expire(
        mode,
        &[Timestamp(expiry_ms)],
        &hashes(message_hashes)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_and_hashes() {
        let id = format!("05{}", "ab".repeat(32));
        let hash = message_hash(&id, 0, b"hello").unwrap();
        assert_eq!(hash.len(), 43);
        assert_ne!(message_hash(&id, 1, b"hello").unwrap(), hash);
        assert_eq!(store_payload(0, 1234).unwrap(), b"store1234");
        assert_eq!(store_payload(-10, 5).unwrap(), b"store-105");
        assert_eq!(retrieve_payload(2, 7).unwrap(), b"retrieve27");
        assert_eq!(delete_all_payload(None, 9).unwrap(), b"delete_allall9");
        let mut expected = b"delete".to_vec();
        expected.extend_from_slice(hash.as_bytes());
        assert_eq!(delete_payload(&[&hash]).unwrap(), expected);
        let mut expected = b"expireextend99".to_vec();
        expected.extend_from_slice(hash.as_bytes());
        assert_eq!(expire_payload("extend", 99, &[&hash]).unwrap(), expected);
        assert_eq!(
            message_hash(&id, 40000, b"").unwrap_err().code(),
            ErrorCode::Storage
        );
        assert_eq!(
            delete_payload(&["x"]).unwrap_err().code(),
            ErrorCode::Storage
        );
        assert_eq!(
            expire_payload("never", 1, &[]).unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
    }

    /// The library's known answers, through the binding API.
    #[test]
    fn the_other_payloads() {
        let t0 = "A".repeat(43);
        let t1 = format!("{}8", "/".repeat(42));
        let ts = 1_700_000_000_123;
        assert_eq!(
            get_expiries_payload(ts, &[&t1, &t0]).unwrap(),
            format!("get_expiries1700000000123{t1}{t0}").into_bytes()
        );
        assert_eq!(
            delete_before_payload(Some(2), ts).unwrap(),
            b"delete_before21700000000123"
        );
        assert_eq!(
            delete_before_payload(None, 5).unwrap(),
            b"delete_beforeall5"
        );
        assert_eq!(expire_all_payload(Some(-10), 7).unwrap(), b"expire_all-107");
        assert_eq!(expire_all_payload(None, 7).unwrap(), b"expire_allall7");
        let token = [b'x'; 36];
        assert_eq!(
            unrevoke_subaccount_payload(9, &[&token, &token]).unwrap(),
            format!("unrevoke_subaccount9{}", "x".repeat(72)).into_bytes()
        );
        assert_eq!(
            revoke_subaccount_payload(9, &[&token]).unwrap(),
            format!("revoke_subaccount9{}", "x".repeat(36)).into_bytes()
        );
        let account = format!("05{}", "11".repeat(32));
        assert_eq!(
            monitor_payload(&account, 1_700_000_000, true, &[-10, 0, 13]).unwrap(),
            format!("MONITOR{account}17000000001-10,0,13").into_bytes()
        );
        assert_eq!(
            monitor_payload(&account, 0, false, &[0]).unwrap(),
            format!("MONITOR{account}000").into_bytes()
        );
        assert_eq!(
            revoke_subaccount_payload(1, &[&token[1..]])
                .unwrap_err()
                .code(),
            ErrorCode::InvalidArgument
        );
        assert_eq!(
            monitor_payload(&account, 0, false, &[1 << 20])
                .unwrap_err()
                .code(),
            ErrorCode::Storage
        );
        assert_eq!(
            get_expiries_payload(1, &["x"]).unwrap_err().code(),
            ErrorCode::Storage
        );
    }
}
