//! Node side: open an onion layer, route its plaintext, forward or answer.
//!
//! A storage server (or any destination) does, for each request:
//!
//! 1. [`open_request`] (guard entry / server) or [`NodeKey::open_forward`] (from the
//!    previous node) — decrypts its layer;
//! 2. [`route`] — classifies the plaintext exactly in the reference dispatch order: `headers`
//!    ⇒ [`Route::Destination`], else `host` ⇒ [`Route::RelayToServer`], else
//!    [`Route::RelayToNode`];
//! 3. answers: forward with [`RelayToNode::forward_message`], or reply with
//!    [`OpenedRequest::v3_reply`] / [`OpenedRequest::encrypt_reply`]; any failure becomes the
//!    reference status and body through [`error_response`] / [`OpenedRequest::error_reply`].

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::{Ed25519PublicKey, X25519PublicKey};
use zeroize::Zeroizing;

use crate::enc_type::WireCipher;
use crate::framing::{self, OpenOptions};
use crate::hop::{self, HopKey};
use crate::json;
use crate::secret::SecretBytes;
use crate::{EncType, Error, MAX_HOPS};

/// A node's (or server's) static X25519 key with its public half cached, so that opening
/// XChaCha20 layers costs no extra base-point multiplication.
#[derive(Clone)]
pub struct NodeKey {
    secret: Zeroizing<[u8; 32]>,
    public: [u8; 32],
}

impl core::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NodeKey")
            .field("public", &X25519PublicKey::from_bytes(self.public))
            .finish_non_exhaustive()
    }
}

impl NodeKey {
    /// Wraps a static X25519 secret (clamped on use, as libsodium).
    pub fn new(secret: [u8; 32]) -> Self {
        let public = hop::public_key(&secret);
        NodeKey {
            secret: Zeroizing::new(secret),
            public,
        }
    }

    /// The public key.
    pub fn public(&self) -> X25519PublicKey {
        X25519PublicKey::from_bytes(self.public)
    }

    /// Opens an onion request as it arrives at a guard (or at a server behind the last hop):
    /// `u32_le(N) ‖ ciphertext ‖ {"ephemeral_key", "enc_type"?, "hop_no"?}`.
    pub fn open_request(
        &self,
        request: &[u8],
        options: &OpenOptions,
    ) -> Result<OpenedRequest, Error> {
        open_request_impl(&self.secret, Some(&self.public), request, options)
    }

    /// Opens a layer forwarded by the previous node (the bencoded `sn.onion_request` message).
    pub fn open_forward(
        &self,
        message: &[u8],
        options: &OpenOptions,
    ) -> Result<OpenedRequest, Error> {
        check_size(message, options)?;
        let fwd = ForwardMessage::decode(message, options)
            .map_err(|e| Error::InvalidForward(Box::new(e)))?;
        // The receiver clamps values below 1 to 1 and rejects values above 15.
        let hop_no = fwd.hop_no.max(1);
        if hop_no > MAX_HOPS {
            return Err(Error::HopLimit(hop_no));
        }
        self.open_layer(fwd.data, fwd.cipher, fwd.ephemeral_key.to_bytes(), hop_no)
    }

    fn open_layer(
        &self,
        ciphertext: &[u8],
        cipher: WireCipher,
        remote: [u8; 32],
        hop_no: u64,
    ) -> Result<OpenedRequest, Error> {
        open_layer(
            &self.secret,
            Some(&self.public),
            ciphertext,
            cipher,
            remote,
            hop_no,
        )
    }
}

/// Decrypts one layer; `local_public` saves a base-point multiplication for XChaCha20 when
/// known (AES-GCM never needs it).
fn open_layer(
    secret: &[u8; 32],
    local_public: Option<&[u8; 32]>,
    ciphertext: &[u8],
    cipher: WireCipher,
    remote: [u8; 32],
    hop_no: u64,
) -> Result<OpenedRequest, Error> {
    let (payload, reply) = match cipher {
        WireCipher::Aead(enc) => {
            // Reject short input before the key agreement (gcm >= 28, xchacha >= 40 bytes).
            if ciphertext.len() < enc.overhead() {
                return Err(Error::Decryption);
            }
            let key = HopKey::derive(enc, hop::Role::Server, secret, local_public, &remote)?;
            (key.open(ciphertext)?, ReplyCipher::Aead(key))
        }
        WireCipher::AesCbc => {
            let shared = hop::shared_secret(secret, &remote)?;
            (
                hop::cbc::decrypt(&shared, ciphertext)?,
                ReplyCipher::LegacyCbc,
            )
        }
    };
    Ok(OpenedRequest {
        payload: SecretBytes::new(payload),
        remote,
        reply,
        hop_no,
    })
}

struct Outer<'a> {
    ciphertext: &'a [u8],
    cipher: WireCipher,
    ephemeral: [u8; 32],
    hop_no: u64,
}

fn parse_cipher(name: Option<&str>, options: &OpenOptions) -> Result<WireCipher, Error> {
    match name {
        None => Ok(WireCipher::Aead(EncType::AesGcm)),
        Some(s) => match WireCipher::parse(s)? {
            WireCipher::AesCbc if !options.allow_aes_cbc => Err(Error::AesCbcDisabled),
            c => Ok(c),
        },
    }
}

fn parse_outer<'a>(request: &'a [u8], options: &OpenOptions) -> Result<Outer<'a>, Error> {
    let frame = framing::decode(request, options.max_size)?;
    let ephemeral = json::hex32(
        json::req_str(&frame.json, "ephemeral_key")?,
        "ephemeral_key",
    )?;
    let cipher = parse_cipher(json::opt_str(&frame.json, "enc_type")?, options)?;
    let hop_no = match frame.json.get("hop_no") {
        None => 0,
        Some(v) => match (v.as_u64(), v.as_i64()) {
            (Some(n), _) => n,
            (None, Some(_)) => 0, // negative: the storage server takes max(0, hop_no)
            _ => {
                return Err(Error::InvalidField {
                    field: "hop_no",
                    reason: "not an integer",
                });
            }
        },
    };
    Ok(Outer {
        ciphertext: frame.ciphertext,
        cipher,
        ephemeral,
        hop_no,
    })
}

/// Opens an onion request with the default [`OpenOptions`] (10 MiB, no AES-CBC).
///
/// Computes the local public key when the layer is XChaCha20 (one base-point multiplication,
/// about +30 % at 1 KiB); a node opening many requests should keep a [`NodeKey`] instead.
pub fn open_request(local_secret: &[u8; 32], request: &[u8]) -> Result<OpenedRequest, Error> {
    open_request_with(local_secret, request, &OpenOptions::default())
}

/// [`open_request`] with explicit options.
pub fn open_request_with(
    local_secret: &[u8; 32],
    request: &[u8],
    options: &OpenOptions,
) -> Result<OpenedRequest, Error> {
    open_request_impl(local_secret, None, request, options)
}

/// The size limit, checked before any parsing (413 "Request body too large").
fn check_size(input: &[u8], options: &OpenOptions) -> Result<(), Error> {
    if input.len() > options.max_size {
        return Err(Error::TooLarge {
            size: input.len(),
            limit: options.max_size,
        });
    }
    Ok(())
}

fn open_request_impl(
    secret: &[u8; 32],
    local_public: Option<&[u8; 32]>,
    request: &[u8],
    options: &OpenOptions,
) -> Result<OpenedRequest, Error> {
    check_size(request, options)?;
    let outer = parse_outer(request, options).map_err(|e| Error::InvalidOuter(Box::new(e)))?;
    // No hop limit here: like the storage server's HTTPS/QUIC entry, the guard accepts any
    // starting `hop_no`; the limit applies when the layer is forwarded
    // ([`RelayToNode::forward_message`]) and received ([`NodeKey::open_forward`]).
    open_layer(
        secret,
        local_public,
        outer.ciphertext,
        outer.cipher,
        outer.ephemeral,
        outer.hop_no,
    )
}

enum ReplyCipher {
    Aead(HopKey),
    /// Legacy AES-CBC requests are decrypt-only: their replies cannot be produced.
    LegacyCbc,
}

/// A decrypted layer: its plaintext (wiped on drop) and what is needed to answer it.
pub struct OpenedRequest {
    payload: SecretBytes,
    remote: [u8; 32],
    reply: ReplyCipher,
    hop_no: u64,
}

impl core::fmt::Debug for OpenedRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OpenedRequest")
            .field("payload_len", &self.payload.len())
            .field("remote", &X25519PublicKey::from_bytes(self.remote))
            .field("enc_type", &self.enc_type())
            .field("hop_no", &self.hop_no)
            .finish()
    }
}

impl OpenedRequest {
    /// The decrypted plaintext of this layer (feed it to [`route`]).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The sender's ephemeral X25519 key for this layer.
    pub fn remote_pubkey(&self) -> &[u8; 32] {
        &self.remote
    }

    /// The layer's cipher (legacy AES-CBC layers report [`EncType::AesGcm`]; see
    /// [`OpenedRequest::is_legacy_cbc`]).
    pub fn enc_type(&self) -> EncType {
        match &self.reply {
            ReplyCipher::Aead(k) => k.enc_type(),
            ReplyCipher::LegacyCbc => EncType::AesGcm,
        }
    }

    /// True when the layer used the legacy, unauthenticated AES-CBC cipher.
    pub fn is_legacy_cbc(&self) -> bool {
        matches!(self.reply, ReplyCipher::LegacyCbc)
    }

    /// The hop counter of this layer (0 at a guard unless the client faked a start value).
    pub fn hop_no(&self) -> u64 {
        self.hop_no
    }

    /// Encrypts `reply` to the sender's ephemeral key with this layer's key (role: server).
    pub fn encrypt_reply<R: CryptoRng + ?Sized>(
        &self,
        reply: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        match &self.reply {
            ReplyCipher::Aead(k) => k.seal(reply, rng),
            ReplyCipher::LegacyCbc => Err(Error::AesCbcDisabled),
        }
    }

    /// The storage server's destination reply: `{"body":…,"status":…}` encrypted, then
    /// base64'd unless the request said `base64:false`.
    ///
    /// With `body` JSON and `embed_json` false (the default of requests) the body is embedded
    /// as a JSON *string* (double-encoded), else raw.
    pub fn v3_reply<R: CryptoRng + ?Sized>(
        &self,
        status: u16,
        body: ReplyBody<'_>,
        embed_json: bool,
        base64: bool,
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        let body_value = match body {
            ReplyBody::Text(t) => serde_json::Value::String(t.to_owned()),
            ReplyBody::Json(v) if embed_json => v.clone(),
            ReplyBody::Json(v) => serde_json::Value::String(v.to_string()),
        };
        let mut obj = serde_json::Map::new();
        obj.insert("body".to_string(), body_value);
        obj.insert("status".to_string(), serde_json::Value::from(status));
        let plain = SecretBytes::new(
            serde_json::to_vec(&serde_json::Value::Object(obj))
                .map_err(|e| Error::InvalidJson(format!("{e}")))?,
        );
        let ct = self.encrypt_reply(&plain, rng)?;
        Ok(if base64 {
            crate::client::encode_base64(&ct).into_bytes()
        } else {
            ct
        })
    }

    /// A v4 server's reply: `Enc(l<meta><body>e)` with `meta = {"code":…,"headers":{…}}`,
    /// raw binary (no base64), the body part always present, header names lower-cased and
    /// `content-length` left out (as SOGS answers).
    pub fn v4_reply<R: CryptoRng + ?Sized>(
        &self,
        code: u16,
        headers: &[(&str, &str)],
        body: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, Error> {
        let mut h = serde_json::Map::new();
        // SOGS removes `content-length`: the bencoded body carries its own length.
        for (k, v) in headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("content-length"))
        {
            h.insert(
                k.to_ascii_lowercase(),
                serde_json::Value::String((*v).to_owned()),
            );
        }
        let mut meta = serde_json::Map::new();
        meta.insert("code".to_string(), serde_json::Value::from(code));
        meta.insert("headers".to_string(), serde_json::Value::Object(h));
        let meta = serde_json::to_vec(&serde_json::Value::Object(meta))
            .map_err(|e| Error::InvalidJson(format!("{e}")))?;
        let plain = SecretBytes::new(crate::bencode::encode_v4(&meta, Some(body)));
        self.encrypt_reply(&plain, rng)
    }

    /// Parses this layer's payload as a v4 server request (what a server behind
    /// `/oxen/v4/lsrpc` does after [`open_request`]).
    pub fn v4_request(&self) -> Result<V4Request<'_>, Error> {
        parse_v4_request(self.payload())
    }

    /// The reply a node sends for `error`: plaintext statuses as they are, and the
    /// encrypted ones (`Invalid json`, `Invalid url`) wrapped like [`OpenedRequest::v3_reply`]
    /// under transport status 200, exactly as the storage server does.
    pub fn error_reply<R: CryptoRng + ?Sized>(
        &self,
        error: &Error,
        rng: &mut R,
    ) -> Result<NodeReply, Error> {
        let e = error_response(error);
        if e.encrypted {
            let body = self.v3_reply(e.status, ReplyBody::Text(&e.body), false, true, rng)?;
            Ok(NodeReply { status: 200, body })
        } else {
            Ok(NodeReply {
                status: e.status,
                body: e.body.into_bytes(),
            })
        }
    }
}

/// A parsed v4 server request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V4Request<'a> {
    /// HTTP method (`GET`, `POST`, …).
    pub method: String,
    /// Endpoint, starting with `/`.
    pub endpoint: String,
    /// Request headers, sorted by name (non-string values are rendered as JSON).
    pub headers: Vec<(String, String)>,
    /// The body, when present.
    pub body: Option<&'a [u8]>,
}

/// Parses a v4 request: `l<len>:<meta json>[<len>:<body>]e`; `method` and `endpoint` are
/// required and the endpoint must start with `/`.
pub fn parse_v4_request(plain: &[u8]) -> Result<V4Request<'_>, Error> {
    let (meta, body) = crate::bencode::decode_v4(plain)?;
    let meta = json::parse_object(meta)?;
    let method = json::req_str(&meta, "method")?.to_owned();
    let endpoint = json::req_str(&meta, "endpoint")?.to_owned();
    if !endpoint.starts_with('/') {
        return Err(Error::InvalidEndpoint);
    }
    Ok(V4Request {
        method,
        endpoint,
        headers: json::headers(&meta)?,
        body,
    })
}

/// The body of a v3 reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReplyBody<'a> {
    /// A text body.
    Text(&'a str),
    /// A JSON body (double-encoded unless the request asked for `json:true`).
    Json(&'a serde_json::Value),
}

/// Status and body of a node's transport-level answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeReply {
    /// HTTP status (QUIC: `"<code> <reason>\n\n<body>"` on failure, see [`quic_error_body`]).
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
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

/// Maps any error of this crate to the reference storage server's status and body — the one
/// place a node implementation needs to answer exactly like `oxen-storage-server`.
///
/// | error | status | body |
/// |---|---|---|
/// | [`Error::TooLarge`] | 413 | `Request body too large` |
/// | [`Error::HopLimit`] | 400 | `onion request max path length exceeded` |
/// | [`Error::Decryption`], [`Error::LowOrderKey`] | 400 | `Invalid ciphertext` |
/// | [`Error::InvalidInner`] | 400 | `Invalid json` (encrypted) |
/// | [`Error::InvalidUrl`] | 400 | `Invalid url` (encrypted) |
/// | [`Error::NextNodeNotFound`] | 502 | `Next node not found: <ed25519 hex>` |
/// | [`Error::NodeNotReady`] | 503 | `Snode not ready: <ed25519 hex>` |
/// | [`Error::Timeout`] | 504 | `Request time out` |
/// | [`Error::InvalidNextHopResponse`] | 500 | `Invalid response from snode` |
/// | [`Error::RelayFailed`] | 502 | the failure text |
/// | [`Error::InvalidForward`] (bad `sn.onion_request` message) | 400 | `Invalid internal onion request: <what>` |
/// | anything else (outer framing/JSON) | 400 | `Error parsing onion request: <what>` |
pub fn error_response(error: &Error) -> ErrorResponse {
    let plain = |status: u16, body: String| ErrorResponse {
        status,
        body,
        encrypted: false,
    };
    match error {
        Error::TooLarge { .. } => plain(413, "Request body too large".into()),
        Error::HopLimit(_) => plain(400, "onion request max path length exceeded".into()),
        Error::Decryption | Error::LowOrderKey => plain(400, "Invalid ciphertext".into()),
        Error::InvalidInner(_) => ErrorResponse {
            status: 400,
            body: "Invalid json".into(),
            encrypted: true,
        },
        Error::InvalidUrl => ErrorResponse {
            status: 400,
            body: "Invalid url".into(),
            encrypted: true,
        },
        Error::NextNodeNotFound(k) => plain(502, format!("Next node not found: {k}")),
        Error::NodeNotReady(k) => plain(503, format!("Snode not ready: {k}")),
        Error::Timeout => plain(504, "Request time out".into()),
        Error::InvalidNextHopResponse => plain(500, "Invalid response from snode".into()),
        Error::RelayFailed(text) => plain(502, text.clone()),
        Error::InvalidOuter(inner) => plain(400, format!("Error parsing onion request: {inner}")),
        Error::InvalidForward(_) => plain(400, error.to_string()),
        other => plain(400, format!("Error parsing onion request: {other}")),
    }
}

/// The QUIC failure body of the storage server: `"<code> <reason>\n\n<body>"`.
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

/// The final-destination case (`headers` present).
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
pub fn is_server_target_allowed(target: &str) -> bool {
    (target.starts_with("/loki/") || target.starts_with("/oxen/"))
        && target.ends_with("/lsrpc")
        && !target.contains('?')
}

/// Classifies a decrypted layer in the storage server's order (`headers` ⇒ destination,
/// else `host` ⇒ relay to server, else relay to node) **and** applies the relay-to-server
/// URL rules: protocol `http`/`https`, target accepted by [`is_server_target_allowed`].
///
/// Malformed layers give [`Error::InvalidInner`] (answered "Invalid json", encrypted); a
/// disallowed protocol or target gives [`Error::InvalidUrl`] (answered "Invalid url").
pub fn route(payload: &[u8]) -> Result<Route<'_>, Error> {
    let route = classify(payload)?;
    if let Route::RelayToServer(r) = &route
        && !r.is_allowed()
    {
        return Err(Error::InvalidUrl);
    }
    Ok(route)
}

/// The classification alone, exactly the storage server's `process_inner_request` (which
/// applies the URL rules in a later step): use [`route`] unless you apply
/// [`RelayToServer::is_allowed`] yourself.
pub fn classify(payload: &[u8]) -> Result<Route<'_>, Error> {
    route_inner(payload).map_err(|e| Error::InvalidInner(Box::new(e)))
}

impl RelayToServer<'_> {
    /// The URL rules: protocol `http` or `https` and an allowed target.
    pub fn is_allowed(&self) -> bool {
        (self.protocol == "http" || self.protocol == "https")
            && is_server_target_allowed(&self.target)
    }
}

fn route_inner(payload: &[u8]) -> Result<Route<'_>, Error> {
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
        let port = match map.get("port") {
            None => 443,
            Some(v) => {
                v.as_u64()
                    .and_then(|p| u16::try_from(p).ok())
                    .ok_or(Error::InvalidField {
                        field: "port",
                        reason: "not a port number",
                    })?
            }
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

impl RelayToNode<'_> {
    /// The bencoded `sn.onion_request` message for the next hop, with the hop counter
    /// incremented (`current_hop_no + 1`); beyond [`MAX_HOPS`] it is refused with
    /// [`Error::HopLimit`] — the storage server sends it and the next node answers 400
    /// "onion request max path length exceeded", which is what [`error_response`] gives here
    /// without the round trip.
    pub fn forward_message(&self, current_hop_no: u64) -> Result<Vec<u8>, Error> {
        let hop_no = current_hop_no.saturating_add(1);
        if hop_no > MAX_HOPS {
            return Err(Error::HopLimit(hop_no));
        }
        Ok(ForwardMessage {
            data: self.blob,
            cipher: WireCipher::Aead(self.enc_type),
            ephemeral_key: self.ephemeral_key,
            hop_no,
        }
        .encode())
    }
}

/// The inter-node forward message (`sn.onion_request`): a bencoded dictionary with keys
/// `data` (the blob), `enc_type` (string), `ephemeral_key` (32 **raw** bytes) and `hop_no`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardMessage<'a> {
    /// The layer for the receiving node.
    pub data: &'a [u8],
    cipher: WireCipher,
    /// The ephemeral key of that layer.
    pub ephemeral_key: X25519PublicKey,
    /// Hop counter (already incremented by the sender).
    pub hop_no: u64,
}

impl<'a> ForwardMessage<'a> {
    /// A forward message.
    pub fn new(
        data: &'a [u8],
        enc_type: EncType,
        ephemeral_key: X25519PublicKey,
        hop_no: u64,
    ) -> Self {
        ForwardMessage {
            data,
            cipher: WireCipher::Aead(enc_type),
            ephemeral_key,
            hop_no,
        }
    }

    /// The cipher (legacy AES-CBC messages report [`EncType::AesGcm`]).
    pub fn enc_type(&self) -> EncType {
        match self.cipher {
            WireCipher::Aead(e) => e,
            WireCipher::AesCbc => EncType::AesGcm,
        }
    }

    /// Bencodes the message (keys in sorted order).
    pub fn encode(&self) -> Vec<u8> {
        use crate::bencode::{encode_bytes, encode_int};
        let name: &str = match self.cipher {
            WireCipher::Aead(e) => e.name(),
            WireCipher::AesCbc => "aes-cbc",
        };
        let mut out = Vec::with_capacity(self.data.len() + 96);
        out.push(b'd');
        encode_bytes(&mut out, b"data");
        encode_bytes(&mut out, self.data);
        encode_bytes(&mut out, b"enc_type");
        encode_bytes(&mut out, name.as_bytes());
        encode_bytes(&mut out, b"ephemeral_key");
        encode_bytes(&mut out, self.ephemeral_key.as_bytes());
        encode_bytes(&mut out, b"hop_no");
        encode_int(&mut out, i64::try_from(self.hop_no).unwrap_or(i64::MAX));
        out.push(b'e');
        out
    }

    /// Decodes a forward message. `enc_type` absent ⇒ AES-GCM; `hop_no` absent ⇒ 0
    /// (negative values read as 0; the receiver then clamps to 1).
    pub fn decode(input: &'a [u8], options: &OpenOptions) -> Result<Self, Error> {
        let v = crate::bencode::decode(input)?;
        let field = |name: &'static str| v.get(name.as_bytes());
        let data = field("data")
            .ok_or(Error::MissingField("data"))?
            .as_bytes()
            .ok_or(Error::InvalidField {
                field: "data",
                reason: "not a string",
            })?;
        let key = field("ephemeral_key")
            .ok_or(Error::MissingField("ephemeral_key"))?
            .as_bytes()
            .ok_or(Error::InvalidField {
                field: "ephemeral_key",
                reason: "not a string",
            })?;
        let key: [u8; 32] = key.try_into().map_err(|_| Error::InvalidField {
            field: "ephemeral_key",
            reason: "not 32 bytes",
        })?;
        let cipher = match field("enc_type") {
            None => WireCipher::Aead(EncType::AesGcm),
            Some(e) => {
                let s = e
                    .as_bytes()
                    .and_then(|b| core::str::from_utf8(b).ok())
                    .ok_or(Error::InvalidField {
                        field: "enc_type",
                        reason: "not a string",
                    })?;
                parse_cipher(Some(s), options)?
            }
        };
        let hop_no = match field("hop_no") {
            None => 0,
            Some(h) => {
                let n = h.as_int().ok_or(Error::InvalidField {
                    field: "hop_no",
                    reason: "not an integer",
                })?;
                u64::try_from(n).unwrap_or(0)
            }
        };
        // `data` borrows from `input` through `v`; rebind to the input lifetime.
        Ok(ForwardMessage {
            data,
            cipher,
            ephemeral_key: X25519PublicKey::from_bytes(key),
            hop_no,
        })
    }
}
