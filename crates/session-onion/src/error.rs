//! The one error type of `session-onion`.

use alloc::string::String;

/// Everything that can go wrong while building, peeling, routing or answering an onion request.
///
/// Parsing errors say which rule failed and where; cryptographic failures stay opaque
/// ([`Error::Decryption`] carries no detail on purpose). A node turns any of these into the
/// reference storage server's status code and body with [`crate::node::error_response`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A binary read failed (truncated length prefix or body, trailing bytes).
    #[error("malformed framing: {0}")]
    Core(#[from] session_core::Error),
    /// The `u32` length prefix announces more ciphertext than the buffer holds.
    #[error("ciphertext length {declared} exceeds the {available} bytes present")]
    LengthPrefix {
        /// Length announced by the prefix.
        declared: u32,
        /// Bytes present after the prefix.
        available: usize,
    },
    /// The input is larger than the configured limit (10 MiB by default).
    #[error("request of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// Configured limit.
        limit: usize,
    },
    /// The JSON part of a layer is not one valid JSON object (nothing may follow it).
    #[error("invalid json: {0}")]
    InvalidJson(String),
    /// A required JSON field is absent.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// A JSON field is present but has the wrong type or an unacceptable value.
    #[error("invalid field `{field}`: {reason}")]
    InvalidField {
        /// Name of the field.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An `enc_type` that names no supported cipher.
    #[error("unknown encryption type {0:?}")]
    UnknownEncType(String),
    /// Decryption failed: wrong key, tampered or truncated ciphertext. Deliberately opaque.
    #[error("decryption failed")]
    Decryption,
    /// A peer public key of small order (the X25519 shared secret would be all zeros).
    #[error("peer public key has low order")]
    LowOrderKey,
    /// The legacy AES-CBC cipher was met but [`crate::OpenOptions::allow_aes_cbc`] is off.
    #[error("legacy aes-cbc is not enabled")]
    AesCbcDisabled,
    /// The hop counter went beyond [`crate::MAX_HOPS`].
    #[error("onion request max path length exceeded (hop {0})")]
    HopLimit(u64),
    /// A relay-to-server request whose protocol or target is not allowed.
    #[error("invalid url")]
    InvalidUrl,
    /// A bencoded value broke a rule at a byte offset.
    #[error("bencode: {reason} at offset {offset}")]
    Bencode {
        /// Offset of the offending byte.
        offset: usize,
        /// Which rule failed.
        reason: &'static str,
    },
    /// Base64 text (a v3 reply) that does not decode.
    #[error("invalid base64 in reply")]
    InvalidBase64,
    /// A path of the wrong length (1 ..= 15 hops).
    #[error("path of {0} hops; 1 to 15 are allowed")]
    PathLength(usize),
    /// A v4 endpoint that does not start with `/`.
    #[error("v4 endpoint must start with '/'")]
    InvalidEndpoint,
    /// The outer layer (framing, JSON, key, cipher name) could not be parsed; answered
    /// 400 "Error parsing onion request: …" in plain text.
    #[error("{0}")]
    InvalidOuter(#[source] alloc::boxed::Box<Error>),
    /// The inter-node forward message (`sn.onion_request`) could not be decoded; answered
    /// 400 "Invalid internal onion request: …" in plain text, as the storage server does.
    #[error("Invalid internal onion request: {0}")]
    InvalidForward(#[source] alloc::boxed::Box<Error>),
    /// A decrypted layer could not be routed (bad framing, JSON or fields); answered with an
    /// encrypted 400 "Invalid json".
    #[error("invalid inner request: {0}")]
    InvalidInner(#[source] alloc::boxed::Box<Error>),
    /// The node does not know the next hop (reported as 502 `Next node not found: <hex>`).
    #[error("next node not found: {0}")]
    NextNodeNotFound(session_core::Ed25519PublicKey),
    /// The node is not ready to serve (reported as 503 `Snode not ready: <hex>`).
    #[error("snode not ready: {0}")]
    NodeNotReady(session_core::Ed25519PublicKey),
    /// The next hop or server did not answer in time (reported as 504 "Request time out").
    #[error("request time out")]
    Timeout,
    /// The next hop answered with something that is not a valid reply (reported as 500).
    #[error("invalid response from snode")]
    InvalidNextHopResponse,
    /// Relaying to an external server failed; the text is reported as a 502 body.
    #[error("relay to server failed: {0}")]
    RelayFailed(String),
    /// The path pool cannot satisfy the request (too few usable nodes).
    #[error("not enough usable nodes: need {needed}, have {available}")]
    NotEnoughNodes {
        /// Nodes needed.
        needed: usize,
        /// Usable nodes present.
        available: usize,
    },
}
