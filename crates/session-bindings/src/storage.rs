//! Message hashes and the byte strings a client signs in storage requests.

use core::str::FromStr;

use session_core::{AccountId, MessageHash, Namespace, Network, Timestamp};
use session_storage::policy::payload;
use session_storage::{ExpiryMode, NamespaceSelector};

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
    let selector = match namespace_value {
        Some(ns) => NamespaceSelector::One(namespace(ns)?),
        None => NamespaceSelector::All,
    };
    Ok(payload::delete_all(selector, Timestamp(timestamp_ms)))
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
}
