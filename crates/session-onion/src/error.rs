//! Errors, by who can get them (see [`Error`]).

use alloc::string::String;

use session_core::X25519PublicKey;

/// Any error of this crate: one of the role errors, with their text and causes unchanged.
///
/// Each API returns the error of its role, so a caller matches only what can happen to it:
///
/// | error | returned by | |
/// |---|---|---|
/// | [`ClientError`] | [`crate::client`], [`crate::path`] | building onions, decoding replies, choosing paths |
/// | [`NodeError`] | [`crate::node`] | opening, parsing and routing a layer; each maps to the storage server's status ([`crate::node::error_response`]) |
/// | [`FormatError`] | [`crate::framing`], [`crate::bencode`], [`crate::EncType`]'s `FromStr`, v4 request parsing | which wire rule a message broke |
/// | [`CryptoError`] | [`crate::hop`], [`crate::hazmat`] | key agreement and AEAD (deliberately opaque) |
///
/// This enum unifies them (every role error converts into it with `?`) for code that plays
/// several roles. Wrappers never repeat their cause's text, so a `{:#}` chain (anyhow, eyre)
/// prints each cause once.
///
/// What a node's own I/O observes (the next hop did not answer, was unknown, …) is not an
/// error of this crate: it is a [`crate::node::RelayFailure`] the node passes to the status
/// mapping.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Building an onion, decoding its reply or choosing a path failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// A node could not open, parse or route a layer.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// A message broke a wire-format rule.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// Key agreement or authenticated decryption failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// A wire-format rule that a message broke: framing, JSON, bencode or a cipher name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// A binary read ran out of input.
    #[error("malformed framing")]
    Truncated(#[from] session_core::Error),
    /// The `u32` length prefix announces more ciphertext than the buffer holds.
    #[error("ciphertext length {declared} exceeds the {available} bytes present")]
    LengthPrefix {
        /// Length announced by the prefix.
        declared: u32,
        /// Bytes present after the prefix.
        available: usize,
    },
    /// The input is larger than the limit given to the parser.
    #[error("input of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The JSON part is not one valid JSON object (nothing may follow it).
    #[error("invalid json: {0}")]
    InvalidJson(String),
    /// A required field is absent.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// A field is present but has the wrong type or an unacceptable value.
    #[error("invalid field `{field}`: {reason}")]
    InvalidField {
        /// Name of the field.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An `enc_type` that names no supported cipher (at most 32 characters of it are kept).
    #[error("unknown encryption type {0:?}")]
    UnknownEncType(String),
    /// The legacy AES-CBC cipher was met but [`crate::OpenOptions::allow_aes_cbc`] is off.
    #[error("legacy aes-cbc is not enabled")]
    AesCbcDisabled,
    /// A bencoded value broke a rule at a byte offset.
    #[error("bencode: {reason} at offset {offset}")]
    Bencode {
        /// Offset of the offending byte.
        offset: usize,
        /// Which rule failed.
        reason: &'static str,
    },
}

/// Key agreement or AEAD failure. Deliberately says nothing about *why* a decryption failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// Decryption failed: wrong key, tampered or truncated ciphertext.
    #[error("decryption failed")]
    Decryption,
    /// A peer public key of small order (the X25519 shared secret would be all zeros).
    #[error("peer public key has low order")]
    LowOrderKey,
    /// A nonce of the wrong length for the cipher was passed in.
    #[error("nonce of {got} bytes; the cipher needs {expected}")]
    NonceLength {
        /// The cipher's nonce length.
        expected: usize,
        /// The length given.
        got: usize,
    },
    /// A state the crate's own arithmetic rules out; a bug if ever seen.
    #[error("internal error: {0}")]
    Internal(&'static str),
}

/// What a client can get: building an onion, decoding the destination's reply, choosing paths.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// A path of the wrong length (1 ..= 15 hops).
    #[error("path of {0} hops; 1 to 15 are allowed")]
    PathLength(usize),
    /// A hop or destination whose X25519 key has small order: nothing can be encrypted to it.
    #[error("x25519 key {0} has low order")]
    LowOrderKey(X25519PublicKey),
    /// The onion would not fit the `u32` length prefix of its outer layer.
    #[error("onion of {size} bytes does not fit a u32 length prefix")]
    TooLarge {
        /// Size the onion would have.
        size: usize,
    },
    /// A v4 endpoint that does not start with `/`.
    #[error("v4 endpoint must start with '/'")]
    InvalidEndpoint,
    /// The reply does not decrypt with this onion's key. Deliberately opaque.
    #[error("reply decryption failed")]
    Decryption,
    /// A v3 reply in a `{"result": …}` wrapper whose text is not base64.
    #[error("invalid base64 in reply")]
    InvalidBase64,
    /// The reply decrypted but its content is malformed.
    #[error("malformed reply")]
    MalformedReply(#[source] FormatError),
    /// The path pool cannot satisfy the request (too few usable nodes).
    #[error("not enough usable nodes: need {needed}, have {available}")]
    NotEnoughNodes {
        /// Nodes needed.
        needed: usize,
        /// Usable nodes present.
        available: usize,
    },
    /// A state the crate's own arithmetic rules out; a bug if ever seen.
    #[error("internal error: {0}")]
    Internal(&'static str),
}

/// What a node (or a server behind the last hop) can get while opening, parsing or routing a
/// layer. [`crate::node::error_response`] turns each into the storage server's answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NodeError {
    /// The input is larger than [`crate::OpenOptions::max_size`] (413).
    #[error("request of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// Configured limit.
        limit: usize,
    },
    /// The hop counter went beyond [`crate::MAX_HOPS`] (400).
    #[error("onion request max path length exceeded (hop {0})")]
    HopLimit(u64),
    /// The layer does not decrypt with this node's key (400 "Invalid ciphertext").
    #[error("decryption failed")]
    Decryption,
    /// The layer's ephemeral key has small order (400 "Invalid ciphertext").
    #[error("ephemeral key has low order")]
    LowOrderKey,
    /// The outer layer (framing, JSON, key, cipher name) could not be parsed; answered 400
    /// "Error parsing onion request: …" in plain text.
    #[error("invalid onion request")]
    InvalidOuter(#[source] FormatError),
    /// The inter-node forward message (`sn.onion_request`) could not be decoded; answered
    /// 400 "Invalid internal onion request: …" in plain text.
    #[error("invalid forwarded onion request")]
    InvalidForward(#[source] FormatError),
    /// A decrypted layer could not be routed (bad framing, JSON or fields); answered with an
    /// encrypted 400 "Invalid json".
    #[error("invalid inner request")]
    InvalidInner(#[source] FormatError),
    /// A relay-to-server request whose protocol or target is not allowed (encrypted 400
    /// "Invalid url").
    #[error("invalid url")]
    InvalidUrl,
    /// A legacy AES-CBC layer was opened, but replies are never encrypted with AES-CBC.
    #[error("a legacy aes-cbc request cannot be answered")]
    CbcReply,
    /// A state the crate's own arithmetic rules out; a bug if ever seen (500).
    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl From<session_core::Error> for CryptoError {
    /// Key agreement is the only use of core's fallible cryptography here.
    fn from(e: session_core::Error) -> Self {
        match e {
            session_core::Error::NonContributoryKey => CryptoError::LowOrderKey,
            _ => CryptoError::Internal("x25519"),
        }
    }
}

impl From<CryptoError> for NodeError {
    fn from(e: CryptoError) -> Self {
        match e {
            CryptoError::Decryption => NodeError::Decryption,
            CryptoError::LowOrderKey => NodeError::LowOrderKey,
            CryptoError::NonceLength { .. } => NodeError::Internal("nonce length"),
            CryptoError::Internal(what) => NodeError::Internal(what),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;
    use alloc::vec::Vec;

    use session_core::testing::{check_error_chain, error_chain};

    use super::*;

    /// One value of every variant of every error enum, nested the way the crate nests them.
    /// The exhaustive matches make adding a variant without listing it here a compile error.
    fn every_error() -> Vec<Error> {
        let truncated = session_core::Reader::new(&[]).take_u32_le().unwrap_err();
        let formats = vec![
            FormatError::Truncated(truncated),
            FormatError::LengthPrefix {
                declared: 9,
                available: 2,
            },
            FormatError::TooLarge {
                size: 11,
                limit: 10,
            },
            FormatError::InvalidJson("EOF while parsing".into()),
            FormatError::MissingField("ephemeral_key"),
            FormatError::InvalidField {
                field: "port",
                reason: "not a port number",
            },
            FormatError::UnknownEncType("rot13".into()),
            FormatError::AesCbcDisabled,
            FormatError::Bencode {
                offset: 3,
                reason: "trailing bytes",
            },
        ];
        for f in &formats {
            match f {
                FormatError::Truncated(_)
                | FormatError::LengthPrefix { .. }
                | FormatError::TooLarge { .. }
                | FormatError::InvalidJson(_)
                | FormatError::MissingField(_)
                | FormatError::InvalidField { .. }
                | FormatError::UnknownEncType(_)
                | FormatError::AesCbcDisabled
                | FormatError::Bencode { .. } => {}
            }
        }
        let crypto = vec![
            CryptoError::Decryption,
            CryptoError::LowOrderKey,
            CryptoError::NonceLength {
                expected: 24,
                got: 12,
            },
            CryptoError::Internal("nonce slot"),
        ];
        for c in &crypto {
            match c {
                CryptoError::Decryption
                | CryptoError::LowOrderKey
                | CryptoError::NonceLength { .. }
                | CryptoError::Internal(_) => {}
            }
        }
        let mut clients = vec![
            ClientError::PathLength(16),
            ClientError::LowOrderKey(X25519PublicKey::from_bytes([0; 32])),
            ClientError::TooLarge { size: 1 << 33 },
            ClientError::InvalidEndpoint,
            ClientError::Decryption,
            ClientError::InvalidBase64,
            ClientError::NotEnoughNodes {
                needed: 3,
                available: 1,
            },
            ClientError::Internal("hop index"),
        ];
        clients.extend(formats.iter().cloned().map(ClientError::MalformedReply));
        for c in &clients {
            match c {
                ClientError::PathLength(_)
                | ClientError::LowOrderKey(_)
                | ClientError::TooLarge { .. }
                | ClientError::InvalidEndpoint
                | ClientError::Decryption
                | ClientError::InvalidBase64
                | ClientError::MalformedReply(_)
                | ClientError::NotEnoughNodes { .. }
                | ClientError::Internal(_) => {}
            }
        }
        let mut nodes = vec![
            NodeError::TooLarge {
                size: 11,
                limit: 10,
            },
            NodeError::HopLimit(16),
            NodeError::Decryption,
            NodeError::LowOrderKey,
            NodeError::InvalidUrl,
            NodeError::CbcReply,
            NodeError::Internal("nonce length"),
        ];
        for f in &formats {
            nodes.push(NodeError::InvalidOuter(f.clone()));
            nodes.push(NodeError::InvalidForward(f.clone()));
            nodes.push(NodeError::InvalidInner(f.clone()));
        }
        for n in &nodes {
            match n {
                NodeError::TooLarge { .. }
                | NodeError::HopLimit(_)
                | NodeError::Decryption
                | NodeError::LowOrderKey
                | NodeError::InvalidOuter(_)
                | NodeError::InvalidForward(_)
                | NodeError::InvalidInner(_)
                | NodeError::InvalidUrl
                | NodeError::CbcReply
                | NodeError::Internal(_) => {}
            }
        }
        let mut all: Vec<Error> = Vec::new();
        all.extend(formats.into_iter().map(Error::from));
        all.extend(crypto.into_iter().map(Error::from));
        all.extend(clients.into_iter().map(Error::from));
        all.extend(nodes.into_iter().map(Error::from));
        for e in &all {
            match e {
                Error::Client(_) | Error::Node(_) | Error::Format(_) | Error::Crypto(_) => {}
            }
        }
        all
    }

    #[test]
    fn every_cause_prints_once_in_a_chain() {
        let all = every_error();
        assert!(all.len() > 50);
        let mut wrappers = 0;
        for e in &all {
            assert_eq!(check_error_chain(e), Ok(()));
            if error_chain(e).len() > 1 {
                wrappers += 1;
            }
            // The unifying enum adds no text of its own.
            let inner = match e {
                Error::Client(c) => c.to_string(),
                Error::Node(n) => n.to_string(),
                Error::Format(f) => f.to_string(),
                Error::Crypto(c) => c.to_string(),
            };
            assert_eq!(e.to_string(), inner);
        }
        // Every wrapper variant was exercised with every format error, and core's error.
        assert!(wrappers >= 4 * 9, "{wrappers}");
        let outer = Error::from(NodeError::InvalidOuter(FormatError::Truncated(
            session_core::Reader::new(&[]).take_u32_le().unwrap_err(),
        )));
        assert_eq!(error_chain(&outer).len(), 3);
        assert_eq!(
            error_chain(&outer)[..2].join(": "),
            "invalid onion request: malformed framing"
        );
    }
}
