//! Completing an entry node's reply with its swarm peers' answers.
//!
//! The storage server's entry node waits for every peer it forwarded a request to and lists
//! each answer under `swarm`, keyed by the peer's Ed25519 key: the peer's own reply dict, or
//! `{"failed": true, ...}` saying what went wrong. It does so for a request sent on its own and
//! for each one inside a `batch`, `sequence` or `ifelse`, whose sub-result (`code` and `body`)
//! is written once that sub-request's peers have answered. A [`Node`](crate::Node) does the
//! same with the answers passed to [`Node::peer_answered`](crate::Node::peer_answered); one
//! that does not wait ([`NodeConfig::wait_for_peers`](crate::NodeConfig::wait_for_peers) off)
//! answers at once with its own entries, which [`with_peer_replies`] completes afterwards.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value as Json;
use session_core::Ed25519PublicKey;
use session_core::bencode::Value as Bt;
use session_core::encoding::encode_base64;

use crate::http::Response;
use crate::value::Value;

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

/// How the reply being completed is encoded; peers' answers are added in the same form.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// JSON: peers' byte strings become text, their signatures base64.
    Json,
    /// Bencode (a request that arrived bencoded): everything stays raw.
    Bencode,
}

fn from_json(j: &Json) -> Option<Value> {
    Some(match j {
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Value::UInt(u),
            (None, Some(i)) => Value::Int(i),
            // A node's replies hold no fractions and no nulls.
            (None, None) => return None,
        },
        Json::Null => return None,
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(a) => Value::List(a.iter().map(from_json).collect::<Option<_>>()?),
        Json::Object(m) => Value::Dict(
            m.iter()
                .map(|(k, v)| Some((k.clone(), from_json(v)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

fn from_bt(v: &Bt<'_>, encoding: Encoding) -> Value {
    match v {
        Bt::Bytes(b) if encoding == Encoding::Json => {
            Value::Str(String::from_utf8_lossy(b).into_owned())
        }
        Bt::Bytes(b) => Value::Bytes(b.to_vec()),
        Bt::Int(i) => Value::Int(*i),
        Bt::List(l) => Value::List(l.iter().map(|v| from_bt(v, encoding)).collect()),
        Bt::Dict(d) => Value::Dict(
            d.iter()
                .map(|(k, v)| {
                    (
                        String::from_utf8_lossy(k).into_owned(),
                        from_bt(v, encoding),
                    )
                })
                .collect(),
        ),
    }
}

/// A peer's entry under `swarm`, as the storage server writes it.
pub(crate) fn peer_entry(reply: PeerReply<'_>, encoding: Encoding) -> Value {
    let failed = Value::dict().with("failed", true);
    match reply {
        PeerReply::Reply(bytes) => match session_core::bencode::decode_lenient(bytes) {
            Ok(Bt::Dict(d)) => {
                let mut m = BTreeMap::new();
                for (k, v) in &d {
                    let key = String::from_utf8_lossy(k).into_owned();
                    // Signatures travel raw between nodes and are base64 in JSON replies.
                    let value = match (key.as_str(), v, encoding) {
                        ("signature", Bt::Bytes(b), Encoding::Json) => Value::Str(encode_base64(b)),
                        _ => from_bt(v, encoding),
                    };
                    m.insert(key, value);
                }
                Value::Dict(m)
            }
            _ => failed.with("bad_peer_response", true),
        },
        PeerReply::Error { code, reason } => failed.with("code", code).with("reason", reason),
        PeerReply::Timeout => failed.with("timeout", true),
    }
}

/// A reply to a request that was forwarded to the swarm: its body (holding the `swarm` dict)
/// and its status (the response's, or the `code` beside it in a `batch` / `sequence` /
/// `ifelse` result).
struct Slot<'v> {
    body: &'v mut Value,
    status: SlotStatus<'v>,
}

enum SlotStatus<'v> {
    Top,
    Code(&'v mut Value),
}

fn has_swarm_dict(v: &Value) -> bool {
    matches!(v.get("swarm"), Some(Value::Dict(_)))
}

/// The forwarded requests' replies within `v`, in the order the node ran them (the order of
/// their forwards).
fn collect_slots<'v>(v: &'v mut Value, status: SlotStatus<'v>, out: &mut Vec<Slot<'v>>) {
    if has_swarm_dict(v) {
        out.push(Slot { body: v, status });
        return;
    }
    let Value::Dict(d) = v else {
        return;
    };
    // A batch or sequence: `results`, each `{"code", "body"}`. An ifelse: `result`, one.
    let key = if d.contains_key("results") {
        "results"
    } else {
        "result"
    };
    let nested: Vec<&'v mut Value> = match d.get_mut(key) {
        Some(Value::List(items)) => items.iter_mut().collect(),
        Some(result @ Value::Dict(_)) => alloc::vec![result],
        _ => Vec::new(),
    };
    for item in nested {
        let Value::Dict(sub) = item else {
            continue;
        };
        let mut code = None;
        let mut body = None;
        for (k, val) in sub.iter_mut() {
            match k.as_str() {
                "code" => code = Some(val),
                "body" => body = Some(val),
                _ => {}
            }
        }
        if let (Some(code), Some(body)) = (code, body) {
            collect_slots(body, SlotStatus::Code(code), out);
        }
    }
}

/// The status the storage server gives a forwarded request once every peer has answered: the
/// node's own (200: even when every entry failed, see `Node`'s store), except that a
/// `delete` with `required` stays 404 only when no member deleted anything (this node's own
/// answer is 404 only when it deleted nothing).
pub(crate) fn merged_status(current: u64, swarm: &BTreeMap<String, Value>) -> u64 {
    if current != 404 {
        return current;
    }
    let deleted_any = swarm.values().any(|e| match e.get("deleted") {
        Some(Value::List(l)) => !l.is_empty(),
        Some(Value::Dict(d)) => !d.is_empty(),
        _ => false,
    });
    // The storage server also writes `"deleted": null` into the entries without a list that
    // it looks at on the way; that null is not reproduced.
    if deleted_any { 200 } else { 404 }
}

/// `response` (a node's reply to a client request, JSON or bencoded) with the swarm peers'
/// answers added, as the storage server's entry node sends it once they have all answered.
///
/// For runtimes that run their node with
/// [`NodeConfig::wait_for_peers`](crate::NodeConfig::wait_for_peers) off; by default a
/// [`Node`](crate::Node) keeps the reply and completes it itself from the answers passed to
/// [`Node::peer_answered`](crate::Node::peer_answered), which also runs a `sequence`'s steps
/// and encrypts an onion reply only once the swarm's answers are in.
///
/// `replies` are the answers to the reply's [`Forward`](crate::Forward)s, each with the key of
/// the peer that gave it. A request forwarded on its own gets every answer under its `swarm`
/// dict; in a `batch`, `sequence` or `ifelse`, each sub-request the node forwarded gets its
/// peers' answers in its own `swarm` dict, a peer's answers going to those sub-requests in
/// order (the order of the forwards: list a peer's answers as its forwards are listed).
///
/// Statuses follow the storage server's: a `delete` with `required` that this node answered
/// 404 becomes 200 when a peer deleted something (for sub-requests, the `code` of the
/// sub-result changes; the `batch` itself stays 200); the others keep theirs.
///
/// A node that does not wait runs a `sequence` to its end before any peer answers, stopping
/// at the first sub-request that failed here: where the storage server would have gone on
/// because a peer's answer turned that failure into a success, the remaining sub-requests are
/// missing.
///
/// Replies without forwarded requests (errors, other methods) are returned unchanged, and so
/// are onion replies, which such a node encrypts before any peer answers.
#[must_use]
pub fn with_peer_replies<'a>(
    response: &Response,
    replies: impl IntoIterator<Item = (Ed25519PublicKey, PeerReply<'a>)>,
) -> Response {
    let (mut top, encoding) = match response.body.first() {
        Some(b'd') => match session_core::bencode::decode_lenient(&response.body) {
            Ok(v @ Bt::Dict(_)) => (from_bt(&v, Encoding::Bencode), Encoding::Bencode),
            _ => return response.clone(),
        },
        _ => match serde_json::from_slice::<Json>(&response.body)
            .ok()
            .as_ref()
            .and_then(from_json)
        {
            Some(v @ Value::Dict(_)) => (v, Encoding::Json),
            _ => return response.clone(),
        },
    };
    let mut status = u64::from(response.status);
    let mut slots = Vec::new();
    collect_slots(&mut top, SlotStatus::Top, &mut slots);
    if slots.is_empty() {
        return response.clone();
    }
    for (key, reply) in replies {
        let key = key.to_string();
        // The first forwarded request this peer has not answered yet.
        let slot = slots.iter_mut().find(|s| match s.body.get("swarm") {
            Some(Value::Dict(swarm)) => !swarm.contains_key(&key),
            _ => false,
        });
        if let Some(Slot { body, .. }) = slot
            && let Value::Dict(d) = body
            && let Some(Value::Dict(swarm)) = d.get_mut("swarm")
        {
            swarm.insert(key, peer_entry(reply, encoding));
        }
    }
    for slot in slots {
        let Some(Value::Dict(swarm)) = slot.body.get("swarm") else {
            continue;
        };
        match slot.status {
            SlotStatus::Top => status = merged_status(status, swarm),
            SlotStatus::Code(code) => {
                let current = match code {
                    Value::UInt(u) => *u,
                    Value::Int(i) => u64::try_from(*i).unwrap_or(0),
                    _ => continue,
                };
                *code = Value::UInt(merged_status(current, swarm));
            }
        }
    }
    let body = match encoding {
        Encoding::Json => top.to_json_string().into_bytes(),
        Encoding::Bencode => top.to_bencode(),
    };
    Response {
        status: u16::try_from(status).unwrap_or(response.status),
        headers: response.headers.clone(),
        body,
    }
}
