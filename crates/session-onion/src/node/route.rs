//! Routing a decrypted layer, in the storage server's dispatch order, and its URL policy for
//! relaying to external servers.

use alloc::borrow::ToOwned;
use alloc::string::String;

use session_core::{Ed25519PublicKey, X25519PublicKey};

use crate::framing;
use crate::json;
use crate::{EncType, FormatError, NodeError};

/// What a decrypted layer asks its node to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route<'a> {
    /// This node is the destination: run the storage RPC in `body`.
    Destination(DestinationRequest<'a>),
    /// Forward `blob` to the next service node.
    RelayToNode(RelayToNode<'a>),
    /// POST the whole layer plaintext to an external server.
    RelayToServer(RelayToServer<'a>),
}

/// The final-destination case (`headers` present); answer it with
/// [`super::OpenedRequest::v3_reply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestinationRequest<'a> {
    /// The storage-server RPC request body (`{"method":…,"params":…}`).
    pub body: &'a [u8],
    /// `json` flag: embed a JSON response body raw (true) or as a string (false, default).
    pub json: bool,
    /// `base64` flag: base64 the encrypted reply (true, default) or send it raw.
    pub base64: bool,
}

/// The relay-to-node case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayToNode<'a> {
    /// Ed25519 key of the next hop.
    pub destination: Ed25519PublicKey,
    /// Ephemeral key the next hop decrypts `blob` with.
    pub ephemeral_key: X25519PublicKey,
    /// Cipher of `blob` (absent ⇒ AES-GCM).
    pub enc_type: EncType,
    /// The next layer, opaque to this node.
    pub blob: &'a [u8],
}

/// The relay-to-server case (`host` present), already checked against the URL rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayToServer<'a> {
    /// Server host.
    pub host: String,
    /// Target path (`/oxen/…/lsrpc` or `/loki/…/lsrpc`).
    pub target: String,
    /// Port (default 443).
    pub port: u16,
    /// `"http"` or `"https"` (default `"https"`).
    pub protocol: String,
    /// What to POST: the **entire** plaintext of this layer (prefix, blob and JSON), as the
    /// server parses it as an onion layer of its own.
    pub payload: &'a [u8],
}

/// The storage server's URL rule for relaying to servers: target starts with `/loki/` or
/// `/oxen/`, ends with `/lsrpc` and has no `?`.
#[must_use]
pub fn is_server_target_allowed(target: &str) -> bool {
    (target.starts_with("/loki/") || target.starts_with("/oxen/"))
        && target.ends_with("/lsrpc")
        && !target.contains('?')
}

impl RelayToServer<'_> {
    /// The URL rules: protocol `http` or `https` and an allowed target.
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        (self.protocol == "http" || self.protocol == "https")
            && is_server_target_allowed(&self.target)
    }
}

/// Classifies a decrypted layer in the storage server's order (`headers` ⇒ destination,
/// else `host` ⇒ relay to server, else relay to node) **and** applies the relay-to-server
/// URL rules: protocol `http`/`https`, target accepted by [`is_server_target_allowed`].
///
/// Malformed layers give [`NodeError::InvalidInner`] (answered "Invalid json", encrypted); a
/// disallowed protocol or target gives [`NodeError::InvalidUrl`] (answered "Invalid url").
pub fn route(payload: &[u8]) -> Result<Route<'_>, NodeError> {
    let route = classify(payload)?;
    if let Route::RelayToServer(r) = &route
        && !r.is_allowed()
    {
        return Err(NodeError::InvalidUrl);
    }
    Ok(route)
}

/// The classification alone, exactly the storage server's `process_inner_request` (which
/// applies the URL rules in a later step): use [`route`] unless you apply
/// [`RelayToServer::is_allowed`] yourself.
pub fn classify(payload: &[u8]) -> Result<Route<'_>, NodeError> {
    classify_layer(payload).map_err(NodeError::InvalidInner)
}

fn classify_layer(payload: &[u8]) -> Result<Route<'_>, FormatError> {
    let frame = framing::decode(payload, usize::MAX)?;
    let map = &frame.json;
    if map.contains_key("headers") {
        return Ok(Route::Destination(DestinationRequest {
            body: frame.ciphertext,
            json: json::opt_bool(map, "json")?.unwrap_or(false),
            base64: json::opt_bool(map, "base64")?.unwrap_or(true),
        }));
    }
    if map.contains_key("host") {
        let host = json::req_str(map, "host")?.to_owned();
        let target = json::req_str(map, "target")?.to_owned();
        let port =
            match map.get("port") {
                None => 443,
                Some(v) => v.as_u64().and_then(|p| u16::try_from(p).ok()).ok_or(
                    FormatError::InvalidField {
                        field: "port",
                        reason: "not a port number",
                    },
                )?,
            };
        let protocol = json::opt_str(map, "protocol")?
            .unwrap_or("https")
            .to_owned();
        return Ok(Route::RelayToServer(RelayToServer {
            host,
            target,
            port,
            protocol,
            payload,
        }));
    }
    let destination = Ed25519PublicKey::from_bytes(json::hex32(
        json::req_str(map, "destination")?,
        "destination",
    )?);
    let ephemeral_key = X25519PublicKey::from_bytes(json::hex32(
        json::req_str(map, "ephemeral_key")?,
        "ephemeral_key",
    )?);
    let enc_type = match json::opt_str(map, "enc_type")? {
        None => EncType::AesGcm,
        Some(s) => s.parse()?,
    };
    Ok(Route::RelayToNode(RelayToNode {
        destination,
        ephemeral_key,
        enc_type,
        blob: frame.ciphertext,
    }))
}
