//! Completing an entry node's reply with its swarm peers' answers.
//!
//! The storage server's entry node waits for every peer it forwarded a request to and lists
//! each answer under `swarm`, keyed by the peer's Ed25519 key: the peer's own reply dict, or
//! `{"failed": true, ...}` saying what went wrong. A [`Node`](crate::Node) answers at once with
//! its own entry; a runtime that collects the peers' answers passes them to
//! [`with_peer_replies`] to get the reply the storage server would have sent.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value as Json};
use session_core::Ed25519PublicKey;
use session_core::bencode::Value as Bt;
use session_core::encoding::encode_base64;

use crate::http::Response;

/// What a swarm peer answered to a [`Forward`](crate::Forward).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerReply<'a> {
    /// A one-part answer: the peer's bencoded reply dict.
    Reply(&'a [u8]),
    /// A two-part error answer: status code and reason text.
    Error {
        /// The code part.
        code: &'a str,
        /// The reason part.
        reason: &'a str,
    },
    /// No answer within the storage server's 5 seconds.
    Timeout,
}

fn bt_to_json(v: &Bt<'_>) -> Json {
    match v {
        Bt::Bytes(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        Bt::Int(i) => Json::from(*i),
        Bt::List(l) => Json::Array(l.iter().map(bt_to_json).collect()),
        Bt::Dict(d) => Json::Object(
            d.iter()
                .map(|(k, v)| (String::from_utf8_lossy(k).into_owned(), bt_to_json(v)))
                .collect(),
        ),
    }
}

fn peer_entry(reply: PeerReply<'_>) -> Json {
    let mut failed = Map::new();
    failed.insert("failed".into(), Json::Bool(true));
    match reply {
        PeerReply::Reply(bytes) => match session_core::bencode::decode_lenient(bytes) {
            Ok(Bt::Dict(d)) => {
                let mut m = Map::new();
                for (k, v) in &d {
                    let key = String::from_utf8_lossy(k).into_owned();
                    // Signatures travel raw between nodes and are base64 in JSON replies.
                    let value = match (key.as_str(), v) {
                        ("signature", Bt::Bytes(b)) => Json::String(encode_base64(b)),
                        _ => bt_to_json(v),
                    };
                    m.insert(key, value);
                }
                Json::Object(m)
            }
            _ => {
                failed.insert("bad_peer_response".into(), Json::Bool(true));
                Json::Object(failed)
            }
        },
        PeerReply::Error { code, reason } => {
            failed.insert("code".into(), Json::String(code.into()));
            failed.insert("reason".into(), Json::String(reason.into()));
            Json::Object(failed)
        }
        PeerReply::Timeout => {
            failed.insert("timeout".into(), Json::Bool(true));
            Json::Object(failed)
        }
    }
}

/// `response` (a node's JSON reply to a request it forwarded) with the peers' answers added
/// under `swarm`. A `404` of a `delete` with `required` becomes `200` when a peer deleted
/// something. Replies that are not JSON objects with a `swarm` dict are returned unchanged.
#[must_use]
pub fn with_peer_replies<'a>(
    response: &Response,
    replies: impl IntoIterator<Item = (Ed25519PublicKey, PeerReply<'a>)>,
) -> Response {
    let Ok(Json::Object(mut top)) = serde_json::from_slice::<Json>(&response.body) else {
        return response.clone();
    };
    let Some(Json::Object(swarm)) = top.get_mut("swarm") else {
        return response.clone();
    };
    let mut peer_deleted = false;
    for (key, reply) in replies {
        let entry = peer_entry(reply);
        peer_deleted |= entry
            .get("deleted")
            .and_then(Json::as_array)
            .is_some_and(|d| !d.is_empty());
        swarm.insert(key.to_string(), entry);
    }
    let status = if response.status == 404 && peer_deleted {
        200
    } else {
        response.status
    };
    let body: Vec<u8> = Json::Object(top).to_string().into_bytes();
    Response {
        status,
        headers: response.headers.clone(),
        body,
    }
}
