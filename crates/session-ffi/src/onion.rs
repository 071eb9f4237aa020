//! Onion requests: build and read replies (client), open, route and answer (node).
#![allow(unsafe_code)]

use std::ffi::c_char;

use session_bindings as api;

use crate::boundary::{
    Failure, borrow, bytes, call, optional_text, put, put_bytes, put_handle, put_text, release,
    text,
};
use crate::identity::SessionIdentity;

/// A built onion request and the key that reads its reply (opaque). Release with
/// [`session_onion_request_free`].
pub struct SessionOnionRequest(api::OnionRequest);

/// A node's onion key (opaque). Release with [`session_node_key_free`].
pub struct SessionNodeKey(api::NodeKey);

/// One opened layer of an onion request (opaque). Release with [`session_onion_layer_free`].
pub struct SessionOnionLayer(api::OnionLayer);

/// [`session_onion_layer_route`]: send the data (a forward message) to the node whose
/// Ed25519 key is the target (64 hex characters).
pub const SESSION_ROUTE_RELAY_TO_NODE: i32 = 1;
/// [`session_onion_layer_route`]: POST the data to the target URL.
pub const SESSION_ROUTE_RELAY_TO_SERVER: i32 = 2;
/// [`session_onion_layer_route`]: this node is the destination; the data is the storage RPC
/// request; answer with [`session_onion_layer_answer`].
pub const SESSION_ROUTE_DESTINATION: i32 = 3;
/// [`session_onion_layer_route`]: this server is the destination of a v4 request; the target
/// is `METHOD endpoint`, the data the body; answer with [`session_onion_layer_answer`].
pub const SESSION_ROUTE_SERVER_REQUEST: i32 = 4;

/// The `hop_count` hops packed at `hops`, `hop_len` (32 or 64) bytes each.
///
/// # Safety
/// `hops` must point to `hop_len * hop_count` bytes.
unsafe fn read_hops(
    hops: *const u8,
    hop_len: usize,
    hop_count: usize,
) -> Result<Vec<api::OnionHop>, Failure> {
    let total = hop_len.checked_mul(hop_count).ok_or_else(|| {
        Failure::Library(api::Error::new(
            api::ErrorCode::InvalidArgument,
            "hop_len * hop_count overflows",
        ))
    })?;
    // SAFETY: forwarded from the caller.
    let packed = unsafe { bytes(hops, total, "hops") }?;
    if hop_len == 0 {
        return Ok(Vec::new());
    }
    Ok(packed
        .chunks(hop_len)
        .map(api::OnionHop::from_bytes)
        .collect::<Result<_, _>>()?)
}

/// An onion request through `hop_count` hops (guard first; each `hop_len` bytes: the 32-byte
/// Ed25519 key, or it followed by the 32-byte X25519 key) to the service node `node` (32 or
/// 64 bytes likewise), which runs `payload`. `cipher` may be null or empty for
/// `xchacha20`, or `aes-gcm`.
///
/// # Safety
/// Input pointers must point to their lengths in bytes; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_onion_build_to_node(
    hops: *const u8,
    hop_len: usize,
    hop_count: usize,
    node: *const u8,
    node_len: usize,
    payload: *const u8,
    payload_len: usize,
    cipher: *const c_char,
    cipher_len: usize,
    out: *mut *mut SessionOnionRequest,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (hops, node, payload, cipher) = unsafe {
            (
                read_hops(hops, hop_len, hop_count)?,
                bytes(node, node_len, "node")?,
                bytes(payload, payload_len, "payload")?,
                optional_text(cipher, cipher_len, "cipher")?,
            )
        };
        let node = api::OnionHop::from_bytes(node)?;
        let onion = api::build_onion_to_node(&hops, &node, payload, cipher)?;
        // SAFETY: as above.
        unsafe { put_handle(out, SessionOnionRequest(onion)) }
    })
}

/// An onion request through the hops (as [`session_onion_build_to_node`]) to a server behind
/// the last hop: `host`, its X25519 key (32 bytes), `protocol` (`https` when null or empty,
/// or `http`), `port` (0 for the protocol's default), and `request` (a v4 request: see
/// [`session_v4_request`]).
///
/// # Safety
/// Input pointers must point to their lengths in bytes; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_onion_build_to_server(
    hops: *const u8,
    hop_len: usize,
    hop_count: usize,
    host: *const c_char,
    host_len: usize,
    server_x25519: *const u8,
    server_x25519_len: usize,
    protocol: *const c_char,
    protocol_len: usize,
    port: u16,
    request: *const u8,
    request_len: usize,
    cipher: *const c_char,
    cipher_len: usize,
    out: *mut *mut SessionOnionRequest,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (hops, host, key, protocol, request, cipher) = unsafe {
            (
                read_hops(hops, hop_len, hop_count)?,
                text(host, host_len, "host")?,
                bytes(server_x25519, server_x25519_len, "server_x25519")?,
                optional_text(protocol, protocol_len, "protocol")?,
                bytes(request, request_len, "request")?,
                optional_text(cipher, cipher_len, "cipher")?,
            )
        };
        let x25519 = <[u8; 32]>::try_from(key).map_err(|_| {
            Failure::Library(api::Error::new(
                api::ErrorCode::Key,
                format!("an X25519 public key has 32 bytes, not {}", key.len()),
            ))
        })?;
        let server = api::Server {
            host: host.to_owned(),
            x25519,
            protocol: protocol.unwrap_or_default().to_owned(),
            port: (port != 0).then_some(port),
        };
        let onion = api::build_onion_to_server(&hops, &server, request, cipher)?;
        // SAFETY: as above.
        unsafe { put_handle(out, SessionOnionRequest(onion)) }
    })
}

/// A server's v4 request: `method`, `endpoint` (starting with `/`), `headers` as
/// `Name: value` lines (may be empty), and a body (`body` null for none).
///
/// # Safety
/// Input pointers must point to their lengths in bytes; `out` valid for `out_cap` bytes,
/// `out_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_v4_request(
    method: *const c_char,
    method_len: usize,
    endpoint: *const c_char,
    endpoint_len: usize,
    headers: *const c_char,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (method, endpoint, headers) = unsafe {
            (
                text(method, method_len, "method")?,
                text(endpoint, endpoint_len, "endpoint")?,
                text(headers, headers_len, "headers")?,
            )
        };
        let body = if body.is_null() {
            None
        } else {
            // SAFETY: as above.
            Some(unsafe { bytes(body, body_len, "body") }?)
        };
        let headers = headers
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                line.split_once(':')
                    .map(|(name, value)| (name.trim(), value.trim()))
                    .ok_or_else(|| {
                        Failure::Library(api::Error::new(
                            api::ErrorCode::InvalidArgument,
                            format!("header line {line:?} is not `Name: value`"),
                        ))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let request = api::v4_request(method, endpoint, &headers, body)?;
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &request) }
    })
}

/// The bytes to POST to the guard's `/onion_req/v2`.
///
/// # Safety
/// `onion` must be a live handle, `out` valid for `out_cap` bytes, `out_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_onion_request_bytes(
    onion: *const SessionOnionRequest,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let onion = unsafe { borrow(onion, "onion") }?;
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, onion.0.request()) }
    })
}

/// Decrypts the destination's reply (as received): `*status` receives its HTTP status and
/// `body` its body (a node's body text, or a server's body bytes).
///
/// # Safety
/// `onion` must be a live handle, `response` point to `response_len` bytes, `status` be
/// writable, `body` valid for `body_cap` bytes, `body_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_onion_request_decode_reply(
    onion: *const SessionOnionRequest,
    response: *const u8,
    response_len: usize,
    status: *mut u16,
    body: *mut u8,
    body_cap: usize,
    body_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (onion, response) = unsafe {
            (
                borrow(onion, "onion")?,
                bytes(response, response_len, "response")?,
            )
        };
        let reply = onion.0.decode_reply(response)?;
        // SAFETY: as above.
        unsafe {
            put(status, reply.status, "status")?;
            put_bytes(body, body_cap, body_len, &reply.body)
        }
    })
}

/// Releases an onion request (null is ignored).
///
/// # Safety
/// `onion` must be null or a live handle, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_onion_request_free(onion: *mut SessionOnionRequest) {
    // SAFETY: as documented.
    let _ = std::panic::catch_unwind(|| unsafe { release(onion) });
}

/// A node key from its secret: the 32-byte X25519 secret (`key_x25519`) or the 64-byte
/// Ed25519 secret key (`key_ed25519`).
///
/// # Safety
/// `secret` must point to `secret_len` bytes; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_node_key_from_secret(
    secret: *const u8,
    secret_len: usize,
    out: *mut *mut SessionNodeKey,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let secret = unsafe { bytes(secret, secret_len, "secret") }?;
        let key = api::NodeKey::from_secret(secret)?;
        // SAFETY: as above.
        unsafe { put_handle(out, SessionNodeKey(key)) }
    })
}

/// The onion key of an identity (its X25519 key).
///
/// # Safety
/// `identity` must be a live handle; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_node_key_from_identity(
    identity: *const SessionIdentity,
    out: *mut *mut SessionNodeKey,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let identity = unsafe { borrow(identity, "identity") }?;
        let key = api::NodeKey::from_identity(&identity.0);
        // SAFETY: as above.
        unsafe { put_handle(out, SessionNodeKey(key)) }
    })
}

/// The node's X25519 public key (32 bytes).
///
/// # Safety
/// `key` must be a live handle, `out` valid for `out_cap` bytes, `out_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_node_key_public(
    key: *const SessionNodeKey,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let key = unsafe { borrow(key, "key") }?;
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &key.0.public()) }
    })
}

/// Releases a node key (null is ignored).
///
/// # Safety
/// `key` must be null or a live handle, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_node_key_free(key: *mut SessionNodeKey) {
    // SAFETY: as documented.
    let _ = std::panic::catch_unwind(|| unsafe { release(key) });
}

/// Opens `data` with the key: a request as it arrives at the guard (or at a server) when
/// `forwarded` is 0, a layer forwarded by the previous node otherwise.
///
/// # Safety
/// `key` must be a live handle, `data` point to `data_len` bytes; `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_node_key_open(
    key: *const SessionNodeKey,
    data: *const u8,
    data_len: usize,
    forwarded: i32,
    out: *mut *mut SessionOnionLayer,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (key, data) = unsafe { (borrow(key, "key")?, bytes(data, data_len, "data")?) };
        let layer = if forwarded == 0 {
            key.0.open_request(data)?
        } else {
            key.0.open_forward(data)?
        };
        // SAFETY: as above.
        unsafe { put_handle(out, SessionOnionLayer(layer)) }
    })
}

/// What an opened layer asks of its node: `*kind` receives a `SESSION_ROUTE_…` constant,
/// `target` the next node's Ed25519 key in hex, the server's URL, or `METHOD endpoint` (empty
/// for a node destination), and `data` the bytes to send on, or the request to serve. When
/// either buffer is too small, both lengths are written and nothing else.
///
/// # Safety
/// `layer` must be a live handle, `kind` writable, each buffer valid for its capacity, each
/// length writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_onion_layer_route(
    layer: *const SessionOnionLayer,
    kind: *mut i32,
    target: *mut c_char,
    target_cap: usize,
    target_len: *mut usize,
    data: *mut u8,
    data_cap: usize,
    data_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let layer = unsafe { borrow(layer, "layer") }?;
        let (code, where_to, what) = match layer.0.route()? {
            api::LayerRoute::RelayToNode { ed25519, message } => (
                SESSION_ROUTE_RELAY_TO_NODE,
                ed25519.iter().map(|b| format!("{b:02x}")).collect(),
                message,
            ),
            api::LayerRoute::RelayToServer {
                host,
                port,
                protocol,
                target,
                payload,
            } => (
                SESSION_ROUTE_RELAY_TO_SERVER,
                format!("{protocol}://{host}:{port}{target}"),
                payload,
            ),
            api::LayerRoute::Destination { body } => {
                (SESSION_ROUTE_DESTINATION, String::new(), body)
            }
            api::LayerRoute::ServerRequest {
                method,
                endpoint,
                body,
                ..
            } => (
                SESSION_ROUTE_SERVER_REQUEST,
                format!("{method} {endpoint}"),
                body,
            ),
        };
        // SAFETY: as above.
        unsafe {
            put(target_len, where_to.len(), "target_len")?;
            put(data_len, what.len(), "data_len")?;
            if target_cap <= where_to.len() || data_cap < what.len() {
                return Err(Failure::TooSmall);
            }
            put(kind, code, "kind")?;
            put_text(target, target_cap, target_len, &where_to)?;
            put_bytes(data, data_cap, data_len, &what)
        }
    })
}

/// The destination's encrypted answer: a node's v3 reply (`body` must be UTF-8 text) or a
/// server's v4 reply (any bytes).
///
/// # Safety
/// `layer` must be a live handle, `body` point to `body_len` bytes, `out` valid for `out_cap`
/// bytes, `out_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_onion_layer_answer(
    layer: *const SessionOnionLayer,
    status: u16,
    body: *const u8,
    body_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (layer, body) = unsafe { (borrow(layer, "layer")?, bytes(body, body_len, "body")?) };
        let reply = layer.0.answer(status, body)?;
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &reply) }
    })
}

/// Releases a layer (null is ignored).
///
/// # Safety
/// `layer` must be null or a live handle, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_onion_layer_free(layer: *mut SessionOnionLayer) {
    // SAFETY: as documented.
    let _ = std::panic::catch_unwind(|| unsafe { release(layer) });
}
