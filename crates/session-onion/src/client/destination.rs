//! Where an onion goes: the hops of a path and the destination after the last one.

use alloc::string::String;

use session_core::{Ed25519PublicKey, ServiceNode, X25519PublicKey};

/// One service node of a path (or a node destination): its Ed25519 identity, used for routing,
/// and its X25519 key, used for encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hop {
    /// Ed25519 public key: how the previous hop finds this node.
    pub ed25519: Ed25519PublicKey,
    /// X25519 public key: what this node's layer is encrypted to.
    pub x25519: X25519PublicKey,
}

impl Hop {
    /// A hop from its two public keys.
    #[must_use]
    pub const fn new(ed25519: Ed25519PublicKey, x25519: X25519PublicKey) -> Self {
        Hop { ed25519, x25519 }
    }
}

impl From<&ServiceNode> for Hop {
    fn from(node: &ServiceNode) -> Self {
        Hop {
            ed25519: node.ed25519,
            x25519: node.x25519,
        }
    }
}

/// Transport protocol from the last hop to an external server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Protocol {
    /// Plain HTTP (default port 80).
    Http,
    /// HTTPS (default port 443).
    #[default]
    Https,
}

impl Protocol {
    /// `"http"` or `"https"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Https => "https",
        }
    }

    /// 80 or 443.
    #[must_use]
    pub const fn default_port(self) -> u16 {
        match self {
            Protocol::Http => 80,
            Protocol::Https => 443,
        }
    }
}

/// An external server behind the last hop (file server, community server, push server).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Server {
    /// Host name or IP the last hop connects to.
    pub host: String,
    /// HTTP or HTTPS.
    pub protocol: Protocol,
    /// Port; `None` means the protocol's default (443 / 80), as libsession fills it.
    pub port: Option<u16>,
    /// The server's X25519 key the payload is encrypted to.
    pub x25519: X25519PublicKey,
}

impl Server {
    /// An HTTPS server on the default port.
    #[must_use]
    pub fn new(host: impl Into<String>, x25519: X25519PublicKey) -> Self {
        Server {
            host: host.into(),
            protocol: Protocol::Https,
            port: None,
            x25519,
        }
    }

    /// Sets the protocol.
    #[must_use = "builders are values: use the returned one"]
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Sets an explicit port.
    #[must_use = "builders are values: use the returned one"]
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }
}

/// Where an onion goes after the last hop.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Destination {
    /// A service node answering a storage RPC (`{"method", "params"}` body; v3-style reply).
    Node(Hop),
    /// An external server reached through `/oxen/v4/lsrpc` (bencoded v4 request and reply).
    Server(Server),
}

impl Destination {
    /// A service-node destination.
    #[must_use]
    pub fn node(hop: Hop) -> Self {
        Destination::Node(hop)
    }

    /// An external-server destination.
    #[must_use]
    pub fn server(server: Server) -> Self {
        Destination::Server(server)
    }

    pub(super) fn x25519(&self) -> &X25519PublicKey {
        match self {
            Destination::Node(h) => &h.x25519,
            Destination::Server(s) => &s.x25519,
        }
    }
}
