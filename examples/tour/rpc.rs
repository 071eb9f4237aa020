//! The storage RPCs as JSON, the way clients send them to a node, and the node's side: the
//! JSON fields turned into `session-storage` requests for its policy to validate.

use session_infra::common::encoding::{encode_base64, encode_hex};
use session_infra::common::{AccountId, Identity, Namespace, Network, SessionId, Timestamp};
use session_infra::onion::serde_json::{Value, json};
use session_infra::storage::policy::{
    Auth, Lifetime, NamespaceArg, RetrieveRequest, StoreRequest, payload,
};
use session_infra::storage::{Binary, StoredMessage};

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

fn text<'v>(params: &'v Value, field: &str) -> &'v str {
    params[field].as_str().unwrap_or_default()
}

fn account(params: &Value) -> AccountId {
    AccountId::parse(text(params, "pubkey"), Network::Mainnet).expect("a valid account id")
}

fn namespace(params: &Value) -> NamespaceArg<'_> {
    params["namespace"]
        .as_i64()
        .map_or(NamespaceArg::Omitted, NamespaceArg::Int)
}

fn auth(params: &Value) -> Option<Auth<'_>> {
    params["signature"].as_str().map(|sig| {
        let auth = Auth::signature(Binary::Base64(sig));
        match params["pubkey_ed25519"].as_str() {
            Some(ed) => auth.with_ed25519(Binary::Hex(ed)),
            None => auth,
        }
    })
}

/// The node's view of a `store`'s parameters.
pub fn store_request(params: &Value) -> StoreRequest<'_> {
    StoreRequest {
        account: account(params),
        namespace: namespace(params),
        timestamp: params["timestamp"].as_u64().unwrap_or_default(),
        lifetime: Lifetime::Ttl(params["ttl"].as_u64().unwrap_or_default()),
        data: Binary::Base64(text(params, "data")),
        sig_timestamp: None,
        auth: auth(params),
    }
}

/// The node's view of a `retrieve`'s parameters.
pub fn retrieve_request(params: &Value) -> RetrieveRequest<'_> {
    RetrieveRequest {
        account: account(params),
        namespace: namespace(params),
        last_hash: None,
        max_count: 0,
        max_size: 0,
        timestamp: params["timestamp"].as_u64().unwrap_or_default(),
        auth: auth(params),
    }
}

/// A message as `retrieve` returns it.
pub fn message_json(m: &StoredMessage) -> Value {
    json!({
        "hash": m.hash.to_string(),
        "timestamp": m.timestamp.as_millis(),
        "expiration": m.expiry.as_millis(),
        "data": encode_base64(&m.data),
    })
}
