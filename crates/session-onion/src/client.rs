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
use x25519_dalek::{EphemeralSecret, PublicKey};
use zeroize::{Zeroize, Zeroizing};

use crate::hop::{HopKey, TAG_LEN};
use crate::json::{self, Sink, SliceSink};
use crate::{EncType, Error, MAX_HOPS};

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
    pub const fn name(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Https => "https",
        }
    }

    /// 80 or 443.
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
    pub fn new(host: impl Into<String>, x25519: X25519PublicKey) -> Self {
        Server {
            host: host.into(),
            protocol: Protocol::Https,
            port: None,
            x25519,
        }
    }

    /// Sets the protocol.
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Sets an explicit port.
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
    pub fn node(hop: Hop) -> Self {
        Destination::Node(hop)
    }

    /// An external-server destination.
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
    pub fn request(&self) -> &[u8] {
        &self.request
    }

    /// The key that decrypts the destination's reply.
    pub fn reply_key(&self) -> &ReplyKey {
        &self.reply_key
    }

    /// Splits into the outer blob and the reply key.
    pub fn into_parts(self) -> (Vec<u8>, ReplyKey) {
        (self.request, self.reply_key)
    }
}

/// One layer being sealed: its ephemeral public key and its derived key.
struct LayerKey {
    public: [u8; 32],
    key: HopKey,
}

/// Fresh ephemeral key → shared secret with `peer` → layer key. The secret is consumed.
fn fresh_layer<R: CryptoRng + ?Sized>(
    enc: EncType,
    peer: &X25519PublicKey,
    rng: &mut R,
) -> Result<(LayerKey, Zeroizing<[u8; 32]>), Error> {
    let secret = EphemeralSecret::random_from_rng(rng);
    let public = PublicKey::from(&secret).to_bytes();
    let shared = secret.diffie_hellman(&PublicKey::from(peer.to_bytes()));
    if !shared.was_contributory() {
        return Err(Error::LowOrderKey);
    }
    let shared = Zeroizing::new(shared.to_bytes());
    let key = HopKey::from_shared(enc, &shared, &public, peer.as_bytes());
    Ok((LayerKey { public, key }, shared))
}

/// `{"destination":"<hex>","enc_type":"<et>","ephemeral_key":"<hex>"}` (libsession's sorted form).
fn relay_json_len(enc: EncType) -> usize {
    // {"destination":  "..." ,"enc_type":  "..." ,"ephemeral_key":  "..." }
    br#"{"destination":"#.len()
        + 66
        + br#","enc_type":"#.len()
        + 2
        + enc.name().len()
        + br#","ephemeral_key":"#.len()
        + 66
        + 1
}

fn write_relay_json(out: &mut impl Sink, enc: EncType, next: &[u8; 32], eph: &[u8; 32]) {
    out.put(br#"{"destination":"#);
    json::push_hex(out, next);
    out.put(br#","enc_type":"#);
    json::push_str(out, enc.name());
    out.put(br#","ephemeral_key":"#);
    json::push_hex(out, eph);
    out.push(b'}');
}

fn outer_json_len(enc: EncType, hop_no: Option<u64>) -> usize {
    br#"{"enc_type":"#.len()
        + 2
        + enc.name().len()
        + br#","ephemeral_key":"#.len()
        + 66
        + hop_no.map_or(0, |n| br#","hop_no":"#.len() + json::u64_len(n))
        + 1
}

fn write_outer_json(out: &mut impl Sink, enc: EncType, eph: &[u8; 32], hop_no: Option<u64>) {
    out.put(br#"{"enc_type":"#);
    json::push_str(out, enc.name());
    out.put(br#","ephemeral_key":"#);
    json::push_hex(out, eph);
    if let Some(n) = hop_no {
        out.put(br#","hop_no":"#);
        json::push_u64(out, n);
    }
    out.push(b'}');
}

fn server_json_len(enc: EncType, s: &Server) -> usize {
    let port = s.port.unwrap_or(s.protocol.default_port());
    br#"{"enc_type":"#.len()
        + 2
        + enc.name().len()
        + br#","ephemeral_key":"#.len()
        + 66
        + br#","host":"#.len()
        + json::str_len(&s.host)
        + br#","method":"POST","port":"#.len()
        + json::u64_len(u64::from(port))
        + br#","protocol":"#.len()
        + 2
        + s.protocol.name().len()
        + br#","target":"#.len()
        + 2
        + V4_TARGET.len()
        + 1
}

fn write_server_json(out: &mut impl Sink, enc: EncType, s: &Server, eph: &[u8; 32]) {
    let port = s.port.unwrap_or(s.protocol.default_port());
    out.put(br#"{"enc_type":"#);
    json::push_str(out, enc.name());
    out.put(br#","ephemeral_key":"#);
    json::push_hex(out, eph);
    out.put(br#","host":"#);
    json::push_str(out, &s.host);
    out.put(br#","method":"POST","port":"#);
    json::push_u64(out, u64::from(port));
    out.put(br#","protocol":"#);
    json::push_str(out, s.protocol.name());
    out.put(br#","target":"#);
    json::push_str(out, V4_TARGET);
    out.push(b'}');
}

fn put_u32(buf: &mut [u8], at: usize, v: usize) -> Result<(), Error> {
    let v = u32::try_from(v).map_err(|_| Error::TooLarge {
        size: v,
        limit: u32::MAX as usize,
    })?;
    buf.get_mut(at..at + 4)
        .ok_or(Error::Decryption)?
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
) -> Result<(), Error> {
    let nl = key.enc_type().nonce_len();
    let region = buf
        .get_mut(start..start + nl + len + TAG_LEN)
        .ok_or(Error::Decryption)?;
    let (nonce, rest) = region.split_at_mut(nl);
    let (body, tag_slot) = rest.split_at_mut(len);
    rng.fill_bytes(nonce);
    let tag = key.seal_in_place_detached(nonce, body)?;
    tag_slot.copy_from_slice(&tag);
    Ok(())
}

/// Writes a JSON object of known length at `buf[at..at + len]`.
fn write_json_at(
    buf: &mut [u8],
    at: usize,
    len: usize,
    f: impl FnOnce(&mut SliceSink<'_>),
) -> Result<(), Error> {
    let slot = buf.get_mut(at..at + len).ok_or(Error::Decryption)?;
    let mut sink = SliceSink::new(slot);
    f(&mut sink);
    if sink.is_full() {
        Ok(())
    } else {
        // A length formula disagrees with its writer: a bug, reported rather than panicking.
        Err(Error::InvalidJson(String::from(
            "internal: routing JSON length mismatch",
        )))
    }
}

impl Builder {
    /// A builder with no hops yet, sealing every layer with `enc`.
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
    pub fn start_hop_no(mut self, hop_no: u64) -> Self {
        self.start_hop_no = Some(hop_no);
        self
    }

    /// Appends a hop (the first one added is the guard).
    pub fn hop(mut self, hop: Hop) -> Self {
        self.hops.push(hop);
        self
    }

    /// Appends several hops in path order.
    pub fn hops(mut self, hops: impl IntoIterator<Item = Hop>) -> Self {
        self.hops.extend(hops);
        self
    }

    /// The cipher of every layer.
    pub fn enc_type(&self) -> EncType {
        self.enc
    }

    /// The path, guard first.
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
    ) -> Result<Onion, Error> {
        let n = self.hops.len();
        if n == 0 || n > MAX_PATH_LEN {
            return Err(Error::PathLength(n));
        }
        let enc = self.enc;
        let nl = enc.nonce_len();
        let oh = enc.overhead();

        // Innermost plaintext (what the destination decrypts).
        let dest_plain = match destination {
            Destination::Node(_) => 4 + payload.len() + HEADERS_MARKER.len(),
            Destination::Server(_) => payload.len(),
        };
        let last_json = match destination {
            Destination::Node(_) => relay_json_len(enc),
            Destination::Server(s) => server_json_len(enc, s),
        };
        let relay_json = relay_json_len(enc);

        // Ciphertext sizes inside out: c[0] = destination blob, c[k] = layer of hop n - k + 1.
        let mut ct_len = dest_plain + oh;
        let mut sizes = [0usize; MAX_PATH_LEN + 1];
        if let Some(s) = sizes.get_mut(0) {
            *s = ct_len;
        }
        for k in 1..=n {
            let json_len = if k == 1 { last_json } else { relay_json };
            ct_len = 4 + ct_len + json_len + oh;
            if let Some(s) = sizes.get_mut(k) {
                *s = ct_len;
            }
        }
        let outer_json = outer_json_len(enc, self.start_hop_no);
        let total = 4 + ct_len + outer_json;
        if u32::try_from(ct_len).is_err() {
            return Err(Error::TooLarge {
                size: total,
                limit: u32::MAX as usize,
            });
        }

        // The one output allocation. Layer k's ciphertext starts at
        // 4 + (n - k) * (nl + 4): each enclosing layer adds a length prefix and a nonce.
        let mut out = alloc::vec![0u8; total];
        let start_of = |k: usize| 4 + (n - k) * (nl + 4);

        // Until every layer is sealed the buffer holds plaintext (the payload, routing
        // JSON): on any failure (a low-order hop key, say) it is wiped before it is freed.
        let sealed = (|| -> Result<ReplyKey, Error> {
            // Destination blob.
            let (dest_layer, dest_shared) = fresh_layer(enc, destination.x25519(), rng)?;
            let s0 = start_of(0);
            let p0 = s0 + nl;
            if let Destination::Node(_) = destination {
                put_u32(&mut out, p0, payload.len())?;
                out.get_mut(p0 + 4..p0 + 4 + payload.len())
                    .ok_or(Error::Decryption)?
                    .copy_from_slice(payload);
                let at = p0 + 4 + payload.len();
                out.get_mut(at..at + HEADERS_MARKER.len())
                    .ok_or(Error::Decryption)?
                    .copy_from_slice(HEADERS_MARKER);
            } else {
                out.get_mut(p0..p0 + payload.len())
                    .ok_or(Error::Decryption)?
                    .copy_from_slice(payload);
            }
            seal_at(&dest_layer.key, &mut out, s0, dest_plain, rng)?;

            // Hops, innermost (k = 1, the last hop) to outermost (k = n, the guard).
            let mut inner_public = dest_layer.public;
            for k in 1..=n {
                let hop = self.hops.get(n - k).ok_or(Error::PathLength(n))?;
                let inner_ct = sizes.get(k - 1).copied().unwrap_or(0);
                let start = start_of(k);
                let plain_start = start + nl;
                put_u32(&mut out, plain_start, inner_ct)?;
                let json_at = plain_start + 4 + inner_ct;
                if k == 1 {
                    match destination {
                        Destination::Node(d) => write_json_at(&mut out, json_at, last_json, |w| {
                            write_relay_json(w, enc, d.ed25519.as_bytes(), &inner_public)
                        })?,
                        Destination::Server(s) => {
                            write_json_at(&mut out, json_at, last_json, |w| {
                                write_server_json(w, enc, s, &inner_public)
                            })?
                        }
                    }
                } else {
                    let next = self.hops.get(n - k + 1).ok_or(Error::PathLength(n))?;
                    write_json_at(&mut out, json_at, relay_json, |w| {
                        write_relay_json(w, enc, next.ed25519.as_bytes(), &inner_public)
                    })?;
                }
                let json_len = if k == 1 { last_json } else { relay_json };
                let (layer, mut shared) = fresh_layer(enc, &hop.x25519, rng)?;
                shared.zeroize();
                seal_at(&layer.key, &mut out, start, 4 + inner_ct + json_len, rng)?;
                inner_public = layer.public;
            }

            put_u32(&mut out, 0, ct_len)?;
            write_json_at(&mut out, 4 + ct_len, outer_json, |w| {
                write_outer_json(w, enc, &inner_public, self.start_hop_no)
            })?;

            Ok(ReplyKey {
                enc,
                shared: dest_shared,
                client_public: dest_layer.public,
                server_public: destination.x25519().to_bytes(),
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
    shared: Zeroizing<[u8; 32]>,
    client_public: [u8; 32],
    server_public: [u8; 32],
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
    pub fn enc_type(&self) -> EncType {
        self.enc
    }

    /// The innermost ephemeral public key (what the destination encrypts the reply to).
    pub fn ephemeral_public(&self) -> X25519PublicKey {
        X25519PublicKey::from_bytes(self.client_public)
    }

    /// Enables libsession's fallback: when an XChaCha20 reply fails to decrypt, retry as
    /// AES-GCM (a legacy push server answered errors that way). Off by default (strict).
    pub fn with_gcm_fallback(mut self, enabled: bool) -> Self {
        self.gcm_fallback = enabled;
        self
    }

    fn key(&self, enc: EncType) -> HopKey {
        HopKey::from_shared(enc, &self.shared, &self.client_public, &self.server_public)
    }

    /// Decrypts a raw reply ciphertext (`nonce ‖ ct ‖ tag`).
    pub fn open(&self, ciphertext: &[u8]) -> Result<Vec<u8>, Error> {
        match self.key(self.enc).open(ciphertext) {
            Ok(pt) => Ok(pt),
            Err(e) if self.gcm_fallback && self.enc == EncType::XChaCha20 => {
                self.key(EncType::AesGcm).open(ciphertext).map_err(|_| e)
            }
            Err(e) => Err(e),
        }
    }

    /// Decodes a v3 reply: the transport body is either `{"result": "<base64>"}` or the base64
    /// text itself (or, for `base64:false` requests, raw ciphertext); it decrypts to a JSON
    /// object whose status is `status_code` or `status` and whose body is `body`.
    pub fn decode_v3(&self, response: &[u8]) -> Result<V3Reply, Error> {
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
            None => return Err(Error::InvalidBase64),
        };
        let plain = crate::secret::SecretBytes::new(self.open(&ciphertext)?);
        parse_v3(&plain)
    }

    /// Decodes a v4 reply: raw `Enc(bencode([meta_json, body]))`.
    pub fn decode_v4(&self, response: &[u8]) -> Result<V4Reply, Error> {
        let plain = crate::secret::SecretBytes::new(self.open(response)?);
        parse_v4(&plain)
    }
}

/// Parses a decrypted v3 reply JSON.
pub(crate) fn parse_v3(plain: &[u8]) -> Result<V3Reply, Error> {
    let json = json::parse_object(plain)?;
    let status = match json.get("status_code").or_else(|| json.get("status")) {
        None => None,
        Some(v) => Some(v.as_u64().and_then(|s| u16::try_from(s).ok()).ok_or(
            Error::InvalidField {
                field: "status",
                reason: "not an HTTP status",
            },
        )?),
    };
    let body = json.get("body").cloned();
    Ok(V3Reply { status, body, json })
}

/// Parses a decrypted v4 reply (`l<meta><body>e`).
pub(crate) fn parse_v4(plain: &[u8]) -> Result<V4Reply, Error> {
    let (meta, body) = crate::bencode::decode_v4(plain)?;
    let meta = json::parse_object(meta)?;
    let code = meta
        .get("code")
        .ok_or(Error::MissingField("code"))?
        .as_u64()
        .and_then(|c| u16::try_from(c).ok())
        .ok_or(Error::InvalidField {
            field: "code",
            reason: "not an HTTP status",
        })?;
    Ok(V4Reply {
        code,
        headers: json::headers(&meta)?,
        body: body.map(<[u8]>::to_vec).unwrap_or_default(),
    })
}

/// Standard base64, padded or not, surrounding whitespace ignored.
pub(crate) fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let trimmed = text.trim_ascii();
    ENGINE.decode(trimmed).ok()
}

/// Standard padded base64, as the storage server emits.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
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
/// # Ok::<(), session_onion::Error>(())
/// ```
pub fn v4_request(
    method: &str,
    endpoint: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Vec<u8>, Error> {
    if !endpoint.starts_with('/') {
        return Err(Error::InvalidEndpoint);
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
    let meta = serde_json::to_vec(&Value::Object(meta))
        .map_err(|e| Error::InvalidJson(alloc::format!("{e}")))?;
    Ok(crate::bencode::encode_v4(&meta, body))
}
