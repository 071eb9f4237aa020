//! What an answer to an onion request says about the path, the nodes and the client.
//!
//! libsession-util matches each error status against a table of body patterns; an error that
//! matches nothing is returned to the caller and counts against nothing. In particular 400, 401,
//! 403, 404 and 406/425 never count against a path, and a 500 or 504 counts against the path
//! only with the bodies the storage server's onion router writes ("Invalid response from
//! snode", "Request time out"), which is how a node, not a server behind the path, reports
//! them.

use session_core::Ed25519PublicKey;

/// Penalties an answer calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Penalties {
    /// A node named in the body, and whether it fails permanently (struck out at once).
    pub node: Option<(Ed25519PublicKey, bool)>,
    /// The destination node, and whether permanently.
    pub destination: Option<bool>,
    /// One strike against the path's guard.
    pub guard: bool,
    /// One failure against the path.
    pub path: bool,
}

/// The meaning of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Classification {
    /// A 2xx status.
    Success,
    /// 406 (from a node) or 425 (from a server): the client's clock is off; resync it.
    ///
    /// libsession-util's table names 406; 425 is the status it gives server requests refused
    /// for the clock, and is treated the same here.
    ClockOutOfSync,
    /// 421: the destination is no longer in the account's swarm.
    WrongSwarm,
    /// An error with the listed penalties.
    Penalize(Penalties),
    /// An error that says nothing about the path or the nodes.
    NoPenalty,
}

/// Body of 502: a hop could not reach the next node (followed by its Ed25519 key in hex).
pub const NEXT_NODE_NOT_FOUND: &str = "Next node not found: ";
/// Body of 502: a hop could not connect to the next node (followed by its key).
pub const NEXT_NODE_UNREACHABLE: &str = "Next node is currently unreachable: ";
/// Body of 502: the destination's oxend answered garbage.
pub const OXEND_UNPARSABLE: &str = "oxend returned unparsable data";
/// Body of 503: a named node is not ready (followed by its key).
pub const SNODE_NOT_READY: &str = "Snode not ready: ";
/// Body of 503: the guard is not ready.
pub const SERVICE_NODE_NOT_READY: &str = "Service node is not ready: ";
/// Body of 503: the guard is overloaded.
pub const SERVER_BUSY: &str = "Server busy, try again later";
/// Body of 504: a hop timed out.
pub const REQUEST_TIME_OUT: &str = "Request time out";
/// Body of 500: a hop got an invalid answer from the next.
pub const INVALID_RESPONSE: &str = "Invalid response from snode";

/// Classifies an answer of `status` with `body`, for a request to the node `destination`
/// (`None` for a server).
#[must_use]
pub fn classify(
    status: u16,
    body: &[u8],
    destination: Option<&Ed25519PublicKey>,
) -> Classification {
    if (200..=299).contains(&status) {
        return Classification::Success;
    }
    let text = core::str::from_utf8(body).unwrap_or("");
    let penalize = |p: Penalties| Classification::Penalize(p);
    match status {
        406 | 425 => Classification::ClockOutOfSync,
        421 => Classification::WrongSwarm,
        502 => {
            for pattern in [NEXT_NODE_NOT_FOUND, NEXT_NODE_UNREACHABLE] {
                if let Some(rest) = after(text, pattern) {
                    let key = parse_key(rest);
                    // The last hop naming the destination is the destination's fault, not the
                    // path's.
                    if key.is_some() && key.as_ref() == destination {
                        return penalize(Penalties {
                            destination: Some(true),
                            ..Penalties::default()
                        });
                    }
                    // A hop that names a node also costs the path, so that a malicious hop
                    // cannot steer the client's paths by blaming others for free.
                    return penalize(Penalties {
                        node: key.map(|k| (k, true)),
                        path: true,
                        ..Penalties::default()
                    });
                }
            }
            if text.contains(OXEND_UNPARSABLE) {
                return penalize(Penalties {
                    destination: Some(true),
                    ..Penalties::default()
                });
            }
            Classification::NoPenalty
        }
        503 => {
            if let Some(rest) = after(text, SNODE_NOT_READY) {
                return match parse_key(rest) {
                    Some(k) => penalize(Penalties {
                        node: Some((k, false)),
                        ..Penalties::default()
                    }),
                    None => Classification::NoPenalty,
                };
            }
            if text.contains(SERVICE_NODE_NOT_READY) || text.contains(SERVER_BUSY) {
                return penalize(Penalties {
                    guard: true,
                    ..Penalties::default()
                });
            }
            Classification::NoPenalty
        }
        504 if text.contains(REQUEST_TIME_OUT) => penalize(Penalties {
            path: true,
            ..Penalties::default()
        }),
        500 if text.contains(INVALID_RESPONSE) => penalize(Penalties {
            path: true,
            ..Penalties::default()
        }),
        _ => Classification::NoPenalty,
    }
}

/// The penalties of a request that got no answer at all (timeout, connection lost): one
/// failure against the path.
///
/// libsession-util leaves this case to its QUIC transport, which watches the connection to the
/// guard; a caller of this crate owns the transport, so the silence is charged to the path,
/// which is retired after the third.
#[must_use]
pub fn transport_failure() -> Classification {
    Classification::Penalize(Penalties {
        path: true,
        ..Penalties::default()
    })
}

fn after<'a>(text: &'a str, pattern: &str) -> Option<&'a str> {
    text.find(pattern)
        .and_then(|at| text.get(at + pattern.len()..))
}

/// The key that follows a pattern: up to the first whitespace, 64 hex digits.
fn parse_key(rest: &str) -> Option<Ed25519PublicKey> {
    let word = rest.split([' ', '\n', '\r', '\t']).next()?;
    if word.len() != 64 {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (byte, pair) in bytes.iter_mut().zip(word.as_bytes().chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *byte = (hex_digit(*hi)? << 4) | hex_digit(*lo)?;
    }
    Some(Ed25519PublicKey::from_bytes(bytes))
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}
