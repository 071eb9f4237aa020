//! Onion requests: the client builds one through a path and reads the reply; a node opens its
//! layer, routes it, and (at the destination) answers.

use core::str::FromStr;

use session_core::identity::x25519_from_ed25519;
use session_core::{Ed25519PublicKey, X25519PublicKey, X25519Secret};
use session_onion::client::{self, Builder, Destination, Hop, Protocol, ReplyKey};
use session_onion::node::{self, OpenedRequest, ReplyBody, Route};
use session_onion::serde_json::Value;
use session_onion::{EncType, OpenOptions};

use crate::Identity;
use crate::error::{Error, ErrorCode, Result, with_code};
use crate::rng::os_rng;

/// The cipher of every layer. XChaCha20-Poly1305 is what current clients send.
pub type Cipher = EncType;

fn cipher(name: Option<&str>) -> Result<EncType> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(EncType::XChaCha20),
        Some(name) => {
            EncType::from_str(name).map_err(|e| Error::from_library(ErrorCode::InvalidArgument, &e))
        }
    }
}

fn key32(bytes: &[u8], what: &str) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| {
        Error::new(
            ErrorCode::Key,
            format!("{what} has 32 bytes, not {}", bytes.len()),
        )
    })
}

/// A node of a path, or a node destination: its Ed25519 key and, optionally, its X25519 key
/// (derived from the Ed25519 key when absent, as service nodes derive theirs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnionHop {
    /// The node's Ed25519 public key (`pubkey_ed25519`).
    pub ed25519: [u8; 32],
    /// The node's X25519 public key (`pubkey_x25519`), if known.
    pub x25519: Option<[u8; 32]>,
}

impl OnionHop {
    /// A hop from key slices: `x25519` may be empty.
    pub fn from_slices(ed25519: &[u8], x25519: &[u8]) -> Result<Self> {
        Ok(Self {
            ed25519: key32(ed25519, "an Ed25519 public key")?,
            x25519: if x25519.is_empty() {
                None
            } else {
                Some(key32(x25519, "an X25519 public key")?)
            },
        })
    }

    /// A hop from its packed form: the 32-byte Ed25519 key, optionally followed by the
    /// 32-byte X25519 key (64 bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        match bytes.len() {
            32 => Self::from_slices(bytes, &[]),
            64 => Self::from_slices(
                bytes.get(..32).unwrap_or_default(),
                bytes.get(32..).unwrap_or_default(),
            ),
            n => Err(Error::new(
                ErrorCode::Key,
                format!(
                    "a hop is a 32-byte Ed25519 key, optionally followed by its 32-byte X25519 key, not {n} bytes"
                ),
            )),
        }
    }

    fn hop(&self) -> Result<Hop> {
        let ed25519 = Ed25519PublicKey::from_bytes(self.ed25519);
        let x25519 = match self.x25519 {
            Some(x) => X25519PublicKey::from_bytes(x),
            None => x25519_from_ed25519(&ed25519).map_err(with_code(ErrorCode::Key))?,
        };
        Ok(Hop::new(ed25519, x25519))
    }
}

/// A server behind the last hop (a community server, the file server): reached with a v4
/// request (see [`v4_request`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// Host name or address.
    pub host: String,
    /// The server's X25519 public key.
    pub x25519: [u8; 32],
    /// `"https"` (default when empty) or `"http"`.
    pub protocol: String,
    /// The port; `None` for the protocol's default.
    pub port: Option<u16>,
}

impl Server {
    fn server(&self) -> Result<client::Server> {
        let protocol = match self.protocol.trim() {
            "" | "https" => Protocol::Https,
            "http" => Protocol::Http,
            other => {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!("protocol {other:?} is not \"http\" or \"https\""),
                ));
            }
        };
        let mut server =
            client::Server::new(self.host.as_str(), X25519PublicKey::from_bytes(self.x25519))
                .protocol(protocol);
        if let Some(port) = self.port {
            server = server.port(port);
        }
        Ok(server)
    }
}

/// A built onion request: the bytes to send to the guard (first hop), and the key that reads
/// the destination's reply.
pub struct OnionRequest {
    request: Vec<u8>,
    reply_key: ReplyKey,
    to_server: bool,
}

impl core::fmt::Debug for OnionRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OnionRequest")
            .field("size", &self.request.len())
            .field("to_server", &self.to_server)
            .finish_non_exhaustive()
    }
}

/// The destination's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnionReply {
    /// HTTP status (200 when a node's reply has none).
    pub status: u16,
    /// Headers (a server's reply; empty for a node's).
    pub headers: Vec<(String, String)>,
    /// The body: a node's body text (JSON text when it is not a string), a server's bytes.
    pub body: Vec<u8>,
}

fn build(
    hops: &[OnionHop],
    destination: &Destination,
    payload: &[u8],
    cipher_name: Option<&str>,
) -> Result<(Vec<u8>, ReplyKey)> {
    let hops = hops.iter().map(OnionHop::hop).collect::<Result<Vec<_>>>()?;
    let onion =
        Builder::new(cipher(cipher_name)?)
            .hops(hops)
            .build(destination, payload, &mut os_rng())?;
    Ok(onion.into_parts())
}

/// An onion request through `hops` (guard first, 1 to 15) to the service node `node`, which
/// runs `payload` (a storage RPC request, `{"method":…,"params":…}`). `cipher`:
/// `"xchacha20"` (default) or `"aes-gcm"`.
pub fn build_onion_to_node(
    hops: &[OnionHop],
    node: &OnionHop,
    payload: &[u8],
    cipher: Option<&str>,
) -> Result<OnionRequest> {
    let destination = Destination::node(node.hop()?);
    let (request, reply_key) = build(hops, &destination, payload, cipher)?;
    Ok(OnionRequest {
        request,
        reply_key,
        to_server: false,
    })
}

/// An onion request through `hops` to `server`, which the last hop relays `request` to (a v4
/// request: see [`v4_request`]).
pub fn build_onion_to_server(
    hops: &[OnionHop],
    server: &Server,
    request: &[u8],
    cipher: Option<&str>,
) -> Result<OnionRequest> {
    let destination = Destination::server(server.server()?);
    let (request, reply_key) = build(hops, &destination, request, cipher)?;
    Ok(OnionRequest {
        request,
        reply_key,
        to_server: true,
    })
}

/// The v4 request a server destination reads: method, endpoint (starting with `/`), headers
/// and an optional body.
pub fn v4_request(
    method: &str,
    endpoint: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Vec<u8>> {
    Ok(client::v4_request(method, endpoint, headers, body)?)
}

impl OnionRequest {
    /// The bytes to POST to the guard's `/onion_req/v2`.
    #[must_use]
    pub fn request(&self) -> &[u8] {
        &self.request
    }

    /// Whether the destination is a server (its reply is a v4 reply) rather than a node.
    #[must_use]
    pub fn to_server(&self) -> bool {
        self.to_server
    }

    /// Decrypts and reads the destination's reply (base64 or binary, as received).
    pub fn decode_reply(&self, response: &[u8]) -> Result<OnionReply> {
        if self.to_server {
            let reply = self.reply_key.decode_v4(response)?;
            return Ok(OnionReply {
                status: reply.code,
                headers: reply.headers,
                body: reply.body,
            });
        }
        let reply = self.reply_key.decode_v3(response)?;
        let body = match reply.body {
            Some(Value::String(text)) => text.into_bytes(),
            Some(other) => other.to_string().into_bytes(),
            None => Vec::new(),
        };
        Ok(OnionReply {
            status: reply.status.unwrap_or(200),
            headers: Vec::new(),
            body,
        })
    }
}

/// A node's onion key (its X25519 key pair).
pub struct NodeKey {
    inner: session_onion::NodeKey,
}

impl core::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NodeKey")
            .field("public", &self.inner.public())
            .finish_non_exhaustive()
    }
}

impl NodeKey {
    /// A node key from its secret: the 32-byte X25519 secret (oxend's `key_x25519`) or the
    /// 64-byte Ed25519 secret key (oxend's `key_ed25519`: seed, then public key).
    pub fn from_secret(secret: &[u8]) -> Result<Self> {
        if let Ok(bytes) = <[u8; 32]>::try_from(secret) {
            return Ok(Self {
                inner: session_onion::NodeKey::from_secret(X25519Secret::from_bytes(bytes)),
            });
        }
        if secret.len() == 64 {
            return Ok(Self::from_identity(&Identity::from_seed(secret)?));
        }
        Err(Error::new(
            ErrorCode::Key,
            format!(
                "a node key is a 32-byte X25519 secret or a 64-byte Ed25519 secret key, not {} bytes",
                secret.len()
            ),
        ))
    }

    /// The onion key of an identity (its X25519 key).
    #[must_use]
    pub fn from_identity(identity: &Identity) -> Self {
        Self {
            inner: session_onion::NodeKey::from(identity.inner()),
        }
    }

    /// The public key clients encrypt to.
    #[must_use]
    pub fn public(&self) -> [u8; 32] {
        *self.inner.public().as_bytes()
    }

    /// Opens a request as it arrives at the guard (or at a server behind the last hop).
    pub fn open_request(&self, request: &[u8]) -> Result<OnionLayer> {
        Ok(OnionLayer {
            inner: self.inner.open_request(request, &OpenOptions::default())?,
        })
    }

    /// Opens a layer forwarded by the previous node.
    pub fn open_forward(&self, message: &[u8]) -> Result<OnionLayer> {
        Ok(OnionLayer {
            inner: self.inner.open_forward(message, &OpenOptions::default())?,
        })
    }
}

/// One opened layer.
pub struct OnionLayer {
    inner: OpenedRequest,
}

impl core::fmt::Debug for OnionLayer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.inner.fmt(f)
    }
}

/// What an opened layer asks of its node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerRoute {
    /// Send `message` to the node with Ed25519 key `ed25519` (as `sn.onion_request`).
    RelayToNode {
        /// The next node.
        ed25519: [u8; 32],
        /// The forward message for it.
        message: Vec<u8>,
    },
    /// POST `payload` to `protocol://host:port/target`.
    RelayToServer {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// `http` or `https`.
        protocol: String,
        /// Path, `/oxen/v4/lsrpc` for current clients.
        target: String,
        /// What to POST.
        payload: Vec<u8>,
    },
    /// This node is the destination: run the storage RPC request `body`, then
    /// [`OnionLayer::answer`].
    Destination {
        /// The request (`{"method":…,"params":…}`).
        body: Vec<u8>,
    },
    /// This server is the destination of a v4 request: serve it, then
    /// [`OnionLayer::answer`].
    ServerRequest {
        /// HTTP method.
        method: String,
        /// Endpoint.
        endpoint: String,
        /// Headers.
        headers: Vec<(String, String)>,
        /// Body (empty when absent).
        body: Vec<u8>,
    },
}

enum Seen<'a> {
    Route(Route<'a>),
    Server(node::V4Request<'a>),
}

impl OnionLayer {
    /// The hop number the layer says it is at (1 at the guard).
    #[must_use]
    pub fn hop_no(&self) -> u64 {
        self.inner.hop_no()
    }

    /// The layer's cipher: `"xchacha20"` or `"aes-gcm"`.
    #[must_use]
    pub fn cipher(&self) -> &'static str {
        self.inner.enc_type().name()
    }

    /// The decrypted plaintext.
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        self.inner.payload()
    }

    /// A node layer routes to a node, a server or here; a server's layer is a v4 request.
    fn seen(&self) -> Result<Seen<'_>> {
        match node::route(self.inner.payload()) {
            Ok(route) => Ok(Seen::Route(route)),
            Err(route_error) => match self.inner.v4_request() {
                Ok(request) => Ok(Seen::Server(request)),
                Err(_) => Err(route_error.into()),
            },
        }
    }

    /// What the layer asks of this node.
    pub fn route(&self) -> Result<LayerRoute> {
        Ok(match self.seen()? {
            Seen::Route(Route::RelayToNode(relay)) => LayerRoute::RelayToNode {
                ed25519: *relay.destination.as_bytes(),
                message: relay.forward_message(self.inner.hop_no())?,
            },
            Seen::Route(Route::RelayToServer(relay)) => LayerRoute::RelayToServer {
                host: relay.host,
                port: relay.port,
                protocol: relay.protocol,
                target: relay.target,
                payload: relay.payload.to_vec(),
            },
            Seen::Route(Route::Destination(request)) => LayerRoute::Destination {
                body: request.body.to_vec(),
            },
            Seen::Server(request) => LayerRoute::ServerRequest {
                method: request.method,
                endpoint: request.endpoint,
                headers: request.headers,
                body: request.body.unwrap_or_default().to_vec(),
            },
        })
    }

    /// The encrypted answer of the destination: a node's v3 reply (the body must be UTF-8
    /// text, sent as the reply's string body) or a server's v4 reply (any bytes).
    pub fn answer(&self, status: u16, body: &[u8]) -> Result<Vec<u8>> {
        let mut rng = os_rng();
        match self.seen()? {
            Seen::Route(Route::Destination(request)) => {
                let text = core::str::from_utf8(body).map_err(|_| {
                    Error::new(
                        ErrorCode::InvalidArgument,
                        "a node's reply body must be UTF-8 text",
                    )
                })?;
                Ok(self
                    .inner
                    .v3_reply(&request, status, ReplyBody::Text(text), &mut rng)?)
            }
            Seen::Server(_) => Ok(self.inner.v4_reply(status, &[], body, &mut rng)?),
            Seen::Route(_) => Err(Error::new(
                ErrorCode::Onion,
                "this node is not the destination: the layer asks it to relay",
            )),
        }
    }
}
