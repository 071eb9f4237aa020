//! The storage RPCs as JSON, the way clients send them to a node (`/storage_rpc/v1`, or as
//! the body of an onion request), signed with session-storage's payloads.

use session_infra::common::encoding::{encode_base64, encode_hex};
use session_infra::common::{Identity, Namespace, SessionId, Timestamp};
use session_infra::onion::serde_json::{Value, json};
use session_infra::storage::policy::payload;

/// A `store` into `to`'s inbox (namespace 0), which anyone may write to.
pub fn store(to: &SessionId, data: &[u8], now: Timestamp, ttl_ms: u64) -> Value {
    json!({"method": "store", "params": {
        "pubkey": to.to_string(),
        "namespace": 0,
        "timestamp": now.as_millis(),
        "ttl": ttl_ms,
        "data": encode_base64(data),
    }})
}

/// A `store` into `to`'s `namespace`, signed by `signer` (private namespaces need the
/// owner's signature).
pub fn store_signed(
    to: &SessionId,
    namespace: Namespace,
    data: &[u8],
    now: Timestamp,
    ttl_ms: u64,
    signer: &Identity,
) -> Value {
    let mut rpc = store(to, data, now, ttl_ms);
    let signature = signer.sign(&payload::store(namespace, now));
    rpc["params"]["namespace"] = json!(namespace.0);
    rpc["params"]["pubkey_ed25519"] = json!(encode_hex(signer.ed25519_public().as_bytes()));
    rpc["params"]["signature"] = json!(encode_base64(&signature));
    rpc
}

/// A `retrieve` of `me`'s inbox, signed with `me`'s Ed25519 key.
pub fn retrieve(me: &Identity, now: Timestamp) -> Value {
    let signature = me.sign(&payload::retrieve(Namespace(0), now));
    json!({"method": "retrieve", "params": {
        "pubkey": me.session_id().to_string(),
        "namespace": 0,
        "timestamp": now.as_millis(),
        "pubkey_ed25519": encode_hex(me.ed25519_public().as_bytes()),
        "signature": encode_base64(&signature),
    }})
}
