//! The storage server's status codes and bodies, for this crate's errors and for what the
//! node's own I/O observed.

use alloc::format;
use alloc::string::{String, ToString};

use session_core::Ed25519PublicKey;

use crate::NodeError;

/// What went wrong when this node tried to pass a request on, as its own I/O observed it.
///
/// This crate does no I/O, so it never produces these; a node reports them to the client
/// through [`error_response`] / [`super::OpenedRequest::error_reply`], which give the storage
/// server's exact answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RelayFailure {
    /// The next node is unknown to this node: 502 `Next node not found: <ed25519 hex>`.
    NextNodeNotFound(Ed25519PublicKey),
    /// This node is not ready to serve: 503 `Snode not ready: <its ed25519 hex>`.
    NodeNotReady(Ed25519PublicKey),
    /// The next hop (30 s) or server (25 s) did not answer in time: 504 `Request time out`.
    Timeout,
    /// The next hop answered with something that is not a valid reply: 500
    /// `Invalid response from snode`.
    InvalidResponse,
    /// Relaying to an external server failed; the text (the HTTP client's error) is the 502
    /// body.
    ServerUnreachable(String),
}

/// Anything a node answers with an error status: its own [`NodeError`] or a
/// [`RelayFailure`] it observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure<'a> {
    /// Opening, parsing or routing the layer failed.
    Request(&'a NodeError),
    /// Passing the request on failed.
    Relay(&'a RelayFailure),
}

impl<'a> From<&'a NodeError> for Failure<'a> {
    fn from(e: &'a NodeError) -> Self {
        Failure::Request(e)
    }
}

impl<'a> From<&'a RelayFailure> for Failure<'a> {
    fn from(f: &'a RelayFailure) -> Self {
        Failure::Relay(f)
    }
}

/// A node's answer to a failure, before any encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    /// HTTP status code.
    pub status: u16,
    /// The reference body text.
    pub body: String,
    /// True when the storage server encrypts this answer for the layer's ephemeral key
    /// (as `{"body","status"}` under transport status 200) rather than sending it plainly.
    pub encrypted: bool,
}

impl ErrorResponse {
    fn plain(status: u16, body: impl Into<String>) -> Self {
        ErrorResponse {
            status,
            body: body.into(),
            encrypted: false,
        }
    }

    fn encrypted(body: &str) -> Self {
        ErrorResponse {
            status: 400,
            body: body.into(),
            encrypted: true,
        }
    }
}

/// Maps a failure to the reference storage server's status and body — the one place a node
/// implementation needs to answer exactly like `oxen-storage-server`.
///
/// | failure | status | body |
/// |---|---|---|
/// | [`NodeError::TooLarge`] | 413 | `Request body too large` |
/// | [`NodeError::HopLimit`] | 400 | `onion request max path length exceeded` |
/// | [`NodeError::Decryption`], [`NodeError::LowOrderKey`] | 400 | `Invalid ciphertext` |
/// | [`NodeError::InvalidInner`] | 400 | `Invalid json` (encrypted) |
/// | [`NodeError::InvalidUrl`] | 400 | `Invalid url` (encrypted) |
/// | [`NodeError::InvalidForward`] (bad `sn.onion_request` message) | 400 | `Invalid internal onion request: <what>` |
/// | [`NodeError::InvalidOuter`] (outer framing/JSON) | 400 | `Error parsing onion request: <what>` |
/// | [`NodeError::Internal`] | 500 | `Internal error` |
/// | [`RelayFailure::NextNodeNotFound`] | 502 | `Next node not found: <ed25519 hex>` |
/// | [`RelayFailure::NodeNotReady`] | 503 | `Snode not ready: <ed25519 hex>` |
/// | [`RelayFailure::Timeout`] | 504 | `Request time out` |
/// | [`RelayFailure::InvalidResponse`] | 500 | `Invalid response from snode` |
/// | [`RelayFailure::ServerUnreachable`] | 502 | the failure text |
///
/// `<what>` is the parse error with its causes, joined by `": "`.
pub fn error_response<'a>(failure: impl Into<Failure<'a>>) -> ErrorResponse {
    match failure.into() {
        Failure::Request(e) => node_error_response(e),
        Failure::Relay(f) => relay_failure_response(f),
    }
}

fn node_error_response(error: &NodeError) -> ErrorResponse {
    match error {
        NodeError::TooLarge { .. } => ErrorResponse::plain(413, "Request body too large"),
        NodeError::HopLimit(_) => {
            ErrorResponse::plain(400, "onion request max path length exceeded")
        }
        NodeError::Decryption | NodeError::LowOrderKey => {
            ErrorResponse::plain(400, "Invalid ciphertext")
        }
        NodeError::InvalidInner(_) => ErrorResponse::encrypted("Invalid json"),
        NodeError::InvalidUrl => ErrorResponse::encrypted("Invalid url"),
        NodeError::InvalidForward(cause) => ErrorResponse::plain(
            400,
            format!("Invalid internal onion request: {}", chain(cause)),
        ),
        NodeError::InvalidOuter(cause) => ErrorResponse::plain(
            400,
            format!("Error parsing onion request: {}", chain(cause)),
        ),
        NodeError::Internal(_) => ErrorResponse::plain(500, "Internal error"),
        other => ErrorResponse::plain(
            400,
            format!("Error parsing onion request: {}", chain(other)),
        ),
    }
}

fn relay_failure_response(failure: &RelayFailure) -> ErrorResponse {
    match failure {
        RelayFailure::NextNodeNotFound(k) => {
            ErrorResponse::plain(502, format!("Next node not found: {k}"))
        }
        RelayFailure::NodeNotReady(k) => ErrorResponse::plain(503, format!("Snode not ready: {k}")),
        RelayFailure::Timeout => ErrorResponse::plain(504, "Request time out"),
        RelayFailure::InvalidResponse => ErrorResponse::plain(500, "Invalid response from snode"),
        RelayFailure::ServerUnreachable(text) => ErrorResponse::plain(502, text.clone()),
    }
}

/// An error and its causes, `": "`-joined (each wrapper names only its own rule).
fn chain(error: &dyn core::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// The QUIC failure body of the storage server: `"<code> <reason>\n\n<body>"`.
#[must_use]
pub fn quic_error_body(status: u16, body: &str) -> String {
    let reason = match status {
        400 => "Bad Request",
        413 => "Payload Too Large",
        421 => "Misdirected Request",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };
    format!("{status} {reason}\n\n{body}")
}
