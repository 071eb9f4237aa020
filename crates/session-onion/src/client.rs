//! Client side: build an onion for a path of hops and decode the destination's reply.
//!
//! The builder follows libsession's `Builder::build` (and the identical desktop/Android
//! construction): a fresh ephemeral X25519 key per layer, the innermost layer encrypted to the
//! destination, each hop's layer telling it only where to forward next. The whole onion is
//! written into **one** output buffer sized in advance and every layer is sealed in place,
//! inside out, so no layer is ever copied.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use rand_core::CryptoRng;
use serde_json::{Map, Value};
use session_core::{Ed25519PublicKey, ServiceNode, X25519PublicKey};
use session_core::{SharedSecret, Writer, X25519Secret};
use zeroize::Zeroize;

use crate::hop::{HopKey, TAG_LEN};
use crate::json::{self, SliceSink};
use crate::{ClientError, CryptoError, EncType, FormatError, MAX_HOPS};

/// Longest path the builder accepts (the nodes' hop-counter limit).
pub const MAX_PATH_LEN: usize = MAX_HOPS as usize;

/// The `/oxen/v4/lsrpc` target every current server destination uses.
pub const V4_TARGET: &str = "/oxen/v4/lsrpc";

/// The marker JSON that tells the last node it is the destination (libsession's form).
const HEADERS_MARKER: &[u8] = br#"{"headers":""}"#;

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

    fn x25519(&self) -> &X25519PublicKey {
        match self {
            Destination::Node(h) => &h.x25519,
            Destination::Server(s) => &s.x25519,
        }
    }
}

/// Builds onions for a path of 1 ..= 15 hops (3 is normal; the first is the guard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Builder {
    enc: EncType,
    hops: Vec<Hop>,
    start_hop_no: Option<u64>,
}

/// A built onion: the bytes for the guard and the key that opens the reply.
#[derive(Debug)]
pub struct Onion {
    request: Vec<u8>,
    reply_key: ReplyKey,
}

impl Onion {
    /// The outer blob to send to the guard (`/onion_req/v2` body or QUIC `onion_req`).
    #[must_use]
    pub fn request(&self) -> &[u8] {
        &self.request
    }

    /// The key that decrypts the destination's reply.
    #[must_use]
    pub fn reply_key(&self) -> &ReplyKey {
        &self.reply_key
    }

    /// Splits into the outer blob and the reply key.
    #[must_use]
    pub fn into_parts(self) -> (Vec<u8>, ReplyKey) {
        (self.request, self.reply_key)
    }
}

/// One layer being sealed: its ephemeral public key and its derived key.
struct LayerKey {
    public: [u8; 32],
    key: HopKey,
}

/// Ephemeral key → shared secret with `peer` → layer key. The ephemeral secret is taken by
/// value and wiped when this returns: only its public key and the shared secret remain.
fn fresh_layer(
    enc: EncType,
    ephemeral: X25519Secret,
    peer: &X25519PublicKey,
) -> Result<(LayerKey, SharedSecret), ClientError> {
    let public = ephemeral.public_key();
    let shared = ephemeral
        .diffie_hellman(peer)
        .map_err(|_| ClientError::LowOrderKey(*peer))?;
    let key = HopKey::from_shared(enc, &shared, &public, peer);
    Ok((
        LayerKey {
            public: public.to_bytes(),
            key,
        },
        shared,
    ))
}

/// Sealing only fails on a state the builder rules out (a nonce or buffer of the wrong size).
fn sealing(e: CryptoError) -> ClientError {
    match e {
        CryptoError::Internal(what) => ClientError::Internal(what),
        _ => ClientError::Internal("sealing a layer"),
    }
}

/// The cleartext JSON that follows a layer's ciphertext, in libsession's sorted key order.
enum LayerJson<'a> {
    /// For a hop: where to forward (`{"destination","enc_type","ephemeral_key"}`).
    Relay { next: &'a Ed25519PublicKey },
    /// For the last hop before a server: the server's address and v4 target.
    Server(&'a Server),
    /// The outermost JSON, read by the guard (`{"enc_type","ephemeral_key","hop_no"?}`).
    Outer { hop_no: Option<u64> },
}

impl LayerJson<'_> {
    fn write(&self, out: &mut impl Writer, enc: EncType, eph: &[u8; 32]) {
        match self {
            LayerJson::Relay { next } => {
                out.write_all(br#"{"destination":"#);
                json::push_key(out, next.as_bytes());
                out.write_all(br#","enc_type":"#);
                json::push_str(out, enc.name());
                out.write_all(br#","ephemeral_key":"#);
                json::push_key(out, eph);
            }
            LayerJson::Server(s) => {
                let port = s.port.unwrap_or(s.protocol.default_port());
                out.write_all(br#"{"enc_type":"#);
                json::push_str(out, enc.name());
                out.write_all(br#","ephemeral_key":"#);
                json::push_key(out, eph);
                out.write_all(br#","host":"#);
                json::push_str(out, &s.host);
                out.write_all(br#","method":"POST","port":"#);
                out.write_decimal(u64::from(port));
                out.write_all(br#","protocol":"#);
                json::push_str(out, s.protocol.name());
                out.write_all(br#","target":"#);
                json::push_str(out, V4_TARGET);
            }
            LayerJson::Outer { hop_no } => {
                out.write_all(br#"{"enc_type":"#);
                json::push_str(out, enc.name());
                out.write_all(br#","ephemeral_key":"#);
                json::push_key(out, eph);
                if let Some(n) = hop_no {
                    out.write_all(br#","hop_no":"#);
                    out.write_decimal(*n);
                }
            }
        }
        out.write_u8(b'}');
    }

    /// Its length, measured by running the writer itself (a key's hex is always 64 characters,
    /// so the placeholder key gives the real length).
    fn len(&self, enc: EncType) -> usize {
        json::written_len(|w| self.write(w, enc, &[0; 32]))
    }

    /// Writes it at `buf[at..at + len]`, `len` having come from [`LayerJson::len`].
    fn write_at(
        &self,
        buf: &mut [u8],
        at: usize,
        len: usize,
        enc: EncType,
        eph: &[u8; 32],
    ) -> Result<(), ClientError> {
        let slot = buf
            .get_mut(at..at + len)
            .ok_or(ClientError::Internal("json slot outside the onion"))?;
        let mut sink = SliceSink::new(slot);
        self.write(&mut sink, enc, eph);
        if sink.is_full() {
            Ok(())
        } else {
            Err(ClientError::Internal(
                "json length changed between sizing and writing",
            ))
        }
    }
}

fn put_u32(buf: &mut [u8], at: usize, v: usize) -> Result<(), ClientError> {
    let v = u32::try_from(v).map_err(|_| ClientError::TooLarge { size: v })?;
    buf.get_mut(at..at + 4)
        .ok_or(ClientError::Internal("length prefix outside the onion"))?
        .copy_from_slice(&v.to_le_bytes());
    Ok(())
}

/// Seals `buf[start + nl .. start + nl + len]` in place: nonce before, tag after.
fn seal_at<R: CryptoRng + ?Sized>(
    key: &HopKey,
    buf: &mut [u8],
    start: usize,
    len: usize,
    rng: &mut R,
) -> Result<(), ClientError> {
    let nl = key.enc_type().nonce_len();
    let region = buf
        .get_mut(start..start + nl + len + TAG_LEN)
        .ok_or(ClientError::Internal("layer outside the onion"))?;
    let (nonce, rest) = region.split_at_mut(nl);
    let (body, tag_slot) = rest.split_at_mut(len);
    rng.fill_bytes(nonce);
    let tag = key.seal_in_place_detached(nonce, body).map_err(sealing)?;
    tag_slot.copy_from_slice(&tag);
    Ok(())
}

impl Builder {
    /// A builder with no hops yet, sealing every layer with `enc`.
    #[must_use = "builders are values: use the returned one"]
    pub fn new(enc: EncType) -> Self {
        Builder {
            enc,
            hops: Vec::new(),
            start_hop_no: None,
        }
    }

    /// Starts the hop counter at `hop_no` instead of 0 (the outer `hop_no` field), so that
    /// hops cannot tell their position from it. Nodes refuse counters above
    /// [`MAX_HOPS`], so `hop_no + path length` must stay within it.
    #[must_use = "builders are values: use the returned one"]
    pub fn start_hop_no(mut self, hop_no: u64) -> Self {
        self.start_hop_no = Some(hop_no);
        self
    }

    /// Appends a hop (the first one added is the guard).
    #[must_use = "builders are values: use the returned one"]
    pub fn hop(mut self, hop: Hop) -> Self {
        self.hops.push(hop);
        self
    }

    /// Appends several hops in path order.
    #[must_use = "builders are values: use the returned one"]
    pub fn hops(mut self, hops: impl IntoIterator<Item = Hop>) -> Self {
        self.hops.extend(hops);
        self
    }

    /// The cipher of every layer.
    #[must_use]
    pub fn enc_type(&self) -> EncType {
        self.enc
    }

    /// The path, guard first.
    #[must_use]
    pub fn path(&self) -> &[Hop] {
        &self.hops
    }

    /// Builds the onion carrying `payload` to `destination`.
    ///
    /// For a node destination `payload` is the storage RPC body (`{"method":…,"params":…}`);
    /// for a server it is the v4 request (see [`v4_request`]). One ephemeral key per layer is
    /// drawn from `rng`, plus one nonce per layer.
    pub fn build<R: CryptoRng + ?Sized>(
        &self,
        destination: &Destination,
        payload: &[u8],
        rng: &mut R,
    ) -> Result<Onion, ClientError> {
        let n = self.hops.len();
        if n == 0 || n > MAX_PATH_LEN {
            return Err(ClientError::PathLength(n));
        }
        let enc = self.enc;
        let nl = enc.nonce_len();
        let oh = enc.overhead();

        // The JSON after each hop's layer: k = 1 is the last hop, k = n the guard.
        let json_of = |k: usize| -> Result<LayerJson<'_>, ClientError> {
            Ok(match (k, destination) {
                (1, Destination::Node(d)) => LayerJson::Relay { next: &d.ed25519 },
                (1, Destination::Server(s)) => LayerJson::Server(s),
                _ => LayerJson::Relay {
                    next: &self
                        .hops
                        .get(n - k + 1)
                        .ok_or(ClientError::Internal("hop index"))?
                        .ed25519,
                },
            })
        };

        // Innermost plaintext (what the destination decrypts).
        let dest_plain = match destination {
            Destination::Node(_) => 4 + payload.len() + HEADERS_MARKER.len(),
            Destination::Server(_) => payload.len(),
        };

        // Ciphertext sizes inside out: c[0] = destination blob, c[k] = layer of hop n - k + 1.
        let mut ct_len = dest_plain + oh;
        let mut sizes = [0usize; MAX_PATH_LEN + 1];
        let mut json_lens = [0usize; MAX_PATH_LEN + 1];
        if let Some(s) = sizes.get_mut(0) {
            *s = ct_len;
        }
        for k in 1..=n {
            let json_len = json_of(k)?.len(enc);
            ct_len = 4 + ct_len + json_len + oh;
            if let (Some(s), Some(j)) = (sizes.get_mut(k), json_lens.get_mut(k)) {
                *s = ct_len;
                *j = json_len;
            }
        }
        let outer = LayerJson::Outer {
            hop_no: self.start_hop_no,
        };
        let outer_json = outer.len(enc);
        let total = 4 + ct_len + outer_json;
        if u32::try_from(ct_len).is_err() {
            return Err(ClientError::TooLarge { size: total });
        }

        // The one output allocation. Layer k's ciphertext starts at
        // 4 + (n - k) * (nl + 4): each enclosing layer adds a length prefix and a nonce.
        let mut out = alloc::vec![0u8; total];
        let start_of = |k: usize| 4 + (n - k) * (nl + 4);

        // Until every layer is sealed the buffer holds plaintext (the payload, routing
        // JSON): on any failure (a low-order hop key, say) it is wiped before it is freed.
        let sealed = (|| -> Result<ReplyKey, ClientError> {
            // Destination blob.
            let (dest_layer, dest_shared) =
                fresh_layer(enc, X25519Secret::generate(rng), destination.x25519())?;
            let s0 = start_of(0);
            let p0 = s0 + nl;
            let outside = ClientError::Internal("payload outside the onion");
            if let Destination::Node(_) = destination {
                put_u32(&mut out, p0, payload.len())?;
                out.get_mut(p0 + 4..p0 + 4 + payload.len())
                    .ok_or(outside.clone())?
                    .copy_from_slice(payload);
                let at = p0 + 4 + payload.len();
                out.get_mut(at..at + HEADERS_MARKER.len())
                    .ok_or(outside)?
                    .copy_from_slice(HEADERS_MARKER);
            } else {
                out.get_mut(p0..p0 + payload.len())
                    .ok_or(outside)?
                    .copy_from_slice(payload);
            }
            seal_at(&dest_layer.key, &mut out, s0, dest_plain, rng)?;

            // Hops, innermost (k = 1, the last hop) to outermost (k = n, the guard).
            let mut inner_public = dest_layer.public;
            for k in 1..=n {
                let hop = self
                    .hops
                    .get(n - k)
                    .ok_or(ClientError::Internal("hop index"))?;
                let inner_ct = sizes.get(k - 1).copied().unwrap_or(0);
                let json_len = json_lens.get(k).copied().unwrap_or(0);
                let start = start_of(k);
                let plain_start = start + nl;
                put_u32(&mut out, plain_start, inner_ct)?;
                json_of(k)?.write_at(
                    &mut out,
                    plain_start + 4 + inner_ct,
                    json_len,
                    enc,
                    &inner_public,
                )?;
                // The hop's shared secret is dropped (and wiped) at once: only the
                // destination's is kept, to open the reply.
                let (layer, _) = fresh_layer(enc, X25519Secret::generate(rng), &hop.x25519)?;
                seal_at(&layer.key, &mut out, start, 4 + inner_ct + json_len, rng)?;
                inner_public = layer.public;
            }

            put_u32(&mut out, 0, ct_len)?;
            outer.write_at(&mut out, 4 + ct_len, outer_json, enc, &inner_public)?;

            Ok(ReplyKey {
                enc,
                shared: dest_shared,
                client_public: X25519PublicKey::from_bytes(dest_layer.public),
                server_public: *destination.x25519(),
                gcm_fallback: false,
            })
        })();
        match sealed {
            Ok(reply_key) => Ok(Onion {
                request: out,
                reply_key,
            }),
            Err(e) => {
                out.zeroize();
                Err(e)
            }
        }
    }
}

/// Decrypts the destination's reply. Holds the X25519 shared secret of the innermost layer
/// (wiped on drop); the ephemeral secret itself was consumed while building.
#[derive(Clone)]
pub struct ReplyKey {
    enc: EncType,
    shared: SharedSecret,
    client_public: X25519PublicKey,
    server_public: X25519PublicKey,
    gcm_fallback: bool,
}

impl core::fmt::Debug for ReplyKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReplyKey")
            .field("enc", &self.enc)
            .field("gcm_fallback", &self.gcm_fallback)
            .finish_non_exhaustive()
    }
}

/// A decoded v3 reply (node destinations, legacy servers).
#[derive(Debug, Clone, PartialEq)]
pub struct V3Reply {
    /// `status_code` or `status` of the reply JSON, if present.
    pub status: Option<u16>,
    /// The `body` field: a JSON string (the default, double-encoded) or raw JSON (`json:true`).
    pub body: Option<Value>,
    /// The whole decrypted JSON object (storage servers add `t` and `hf`).
    pub json: Map<String, Value>,
}

/// A decoded v4 reply (external servers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V4Reply {
    /// HTTP status from `meta.code`.
    pub code: u16,
    /// Response headers (names as the server sends them, lower-case for SOGS), sorted by name.
    pub headers: Vec<(String, String)>,
    /// The response body (empty when the server sent none).
    pub body: Vec<u8>,
}

impl ReplyKey {
    /// The cipher of the reply.
    #[must_use]
    pub fn enc_type(&self) -> EncType {
        self.enc
    }

    /// The innermost ephemeral public key (what the destination encrypts the reply to).
    #[must_use]
    pub fn ephemeral_public(&self) -> X25519PublicKey {
        self.client_public
    }

    /// The destination's X25519 public key (the other half of the innermost layer).
    #[must_use]
    pub fn destination_public(&self) -> X25519PublicKey {
        self.server_public
    }

    /// The shared secret of the innermost layer: with [`Self::enc_type`],
    /// [`Self::ephemeral_public`] and [`Self::destination_public`], what
    /// [`ReplyKey::from_parts`] needs to read the reply in another process (a request sent
    /// before a restart, a command-line tool). Store it as you would a private key.
    #[must_use]
    pub fn shared_secret(&self) -> &SharedSecret {
        &self.shared
    }

    /// A reply key from the parts [`ReplyKey::shared_secret`] and its siblings gave, with the
    /// AES-GCM fallback off. A stored shared secret comes back as a [`SharedSecret`] through
    /// `session_core::hazmat::shared_secret_from_bytes`.
    ///
    /// ```
    /// use session_onion::client::ReplyKey;
    /// # fn keep(key: &ReplyKey) -> ReplyKey {
    /// let again = ReplyKey::from_parts(
    ///     key.enc_type(),
    ///     key.shared_secret().clone(),
    ///     key.ephemeral_public(),
    ///     key.destination_public(),
    /// );
    /// # again }
    /// ```
    #[must_use]
    pub fn from_parts(
        enc: EncType,
        shared: SharedSecret,
        ephemeral_public: X25519PublicKey,
        destination_public: X25519PublicKey,
    ) -> Self {
        Self {
            enc,
            shared,
            client_public: ephemeral_public,
            server_public: destination_public,
            gcm_fallback: false,
        }
    }

    /// Enables libsession's fallback: when an XChaCha20 reply fails to decrypt, retry as
    /// AES-GCM (a legacy push server answered errors that way). Off by default (strict).
    #[must_use = "builders are values: use the returned one"]
    pub fn with_gcm_fallback(mut self, enabled: bool) -> Self {
        self.gcm_fallback = enabled;
        self
    }

    fn key(&self, enc: EncType) -> HopKey {
        HopKey::from_shared(enc, &self.shared, &self.client_public, &self.server_public)
    }

    /// Decrypts a raw reply ciphertext (`nonce ‖ ct ‖ tag`).
    pub fn open(&self, ciphertext: &[u8]) -> Result<Vec<u8>, ClientError> {
        match self.key(self.enc).open(ciphertext) {
            Ok(pt) => Ok(pt),
            Err(_) if self.gcm_fallback && self.enc == EncType::XChaCha20 => self
                .key(EncType::AesGcm)
                .open(ciphertext)
                .map_err(|_| ClientError::Decryption),
            Err(_) => Err(ClientError::Decryption),
        }
    }

    /// Decodes a v3 reply: the transport body is either `{"result": "<base64>"}` or the base64
    /// text itself (or, for `base64:false` requests, raw ciphertext); it decrypts to a JSON
    /// object whose status is `status_code` or `status` and whose body is `body`.
    pub fn decode_v3(&self, response: &[u8]) -> Result<V3Reply, ClientError> {
        let wrapped = match serde_json::from_slice::<Value>(response) {
            Ok(Value::Object(m)) => m
                .get("result")
                .and_then(Value::as_str)
                .map(ToString::to_string),
            _ => None,
        };
        let text: &[u8] = wrapped.as_deref().map_or(response, str::as_bytes);
        let ciphertext = match decode_base64(text) {
            Some(ct) => ct,
            None if wrapped.is_none() => response.to_vec(),
            None => return Err(ClientError::InvalidBase64),
        };
        let plain = crate::secret::SecretBytes::new(self.open(&ciphertext)?);
        parse_v3(&plain).map_err(ClientError::MalformedReply)
    }

    /// Decodes a v4 reply: raw `Enc(bencode([meta_json, body]))`.
    pub fn decode_v4(&self, response: &[u8]) -> Result<V4Reply, ClientError> {
        let plain = crate::secret::SecretBytes::new(self.open(response)?);
        parse_v4(&plain).map_err(ClientError::MalformedReply)
    }
}

/// Parses a decrypted v3 reply JSON.
pub(crate) fn parse_v3(plain: &[u8]) -> Result<V3Reply, FormatError> {
    let json = json::parse_object(plain)?;
    let status = match json.get("status_code").or_else(|| json.get("status")) {
        None => None,
        Some(v) => Some(v.as_u64().and_then(|s| u16::try_from(s).ok()).ok_or(
            FormatError::InvalidField {
                field: "status",
                reason: "not an HTTP status",
            },
        )?),
    };
    let body = json.get("body").cloned();
    Ok(V3Reply { status, body, json })
}

/// Parses a decrypted v4 reply (`l<meta><body>e`).
pub(crate) fn parse_v4(plain: &[u8]) -> Result<V4Reply, FormatError> {
    let (meta, body) = crate::bencode::decode_v4(plain)?;
    let meta = json::parse_object(meta)?;
    let code = meta
        .get("code")
        .ok_or(FormatError::MissingField("code"))?
        .as_u64()
        .and_then(|c| u16::try_from(c).ok())
        .ok_or(FormatError::InvalidField {
            field: "code",
            reason: "not an HTTP status",
        })?;
    Ok(V4Reply {
        code,
        headers: json::headers(&meta)?,
        body: body.map(<[u8]>::to_vec).unwrap_or_default(),
    })
}

/// Standard base64, padded or not, surrounding whitespace ignored (session-core's codec).
pub(crate) fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let trimmed = text.trim_ascii();
    // Decoded base64 is never longer than its text.
    session_core::encoding::decode_base64(trimmed, trimmed.len()).ok()
}

/// Encodes a v4 server request: `l<len>:<meta json>[<len>:<body>]e` with
/// `meta = {"endpoint":…,"headers":{…},"method":…}`.
///
/// As libsession does, a `User-Agent` header is dropped and `Content-Type: application/json`
/// is added when a body is present without a content type. The endpoint must start with `/`.
///
/// ```
/// let req = session_onion::client::v4_request("GET", "/room/some-room", &[("Some-Header", "12345")], None)?;
/// assert_eq!(req, br#"l79:{"endpoint":"/room/some-room","headers":{"Some-Header":"12345"},"method":"GET"}e"#);
/// # Ok::<(), session_onion::ClientError>(())
/// ```
pub fn v4_request(
    method: &str,
    endpoint: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Vec<u8>, ClientError> {
    if !endpoint.starts_with('/') {
        return Err(ClientError::InvalidEndpoint);
    }
    let mut h = Map::new();
    for (k, v) in headers {
        if k.eq_ignore_ascii_case("user-agent") {
            continue;
        }
        h.insert((*k).to_string(), Value::String((*v).to_string()));
    }
    if body.is_some() && !h.keys().any(|k| k.eq_ignore_ascii_case("content-type")) {
        h.insert(
            "Content-Type".to_string(),
            Value::String("application/json".to_string()),
        );
    }
    let mut meta = Map::new();
    meta.insert("endpoint".to_string(), Value::String(endpoint.to_string()));
    meta.insert("headers".to_string(), Value::Object(h));
    meta.insert("method".to_string(), Value::String(method.to_string()));
    let meta = Value::Object(meta).to_string();
    Ok(crate::bencode::encode_v4(meta.as_bytes(), body))
}
