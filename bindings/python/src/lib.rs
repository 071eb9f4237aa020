//! `session_infra`: the Python module of session-infra.
//!
//! Every function translates Python values to the `session-bindings` API and back; the
//! protocol rules are the Rust libraries'. Errors are `SessionError` subclasses (themselves
//! `ValueError`s) carrying the library's message and a stable `code`.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use session_bindings as api;
use session_bindings::ErrorCode;

create_exception!(
    session_infra,
    SessionError,
    PyValueError,
    "Base of every session_infra error: the library's message, and a stable integer `code`."
);
create_exception!(
    session_infra,
    InvalidArgumentError,
    SessionError,
    "An argument has the wrong length, range or form (code 1)."
);
create_exception!(
    session_infra,
    PhraseError,
    SessionError,
    "A recovery phrase does not decode (code 2)."
);
create_exception!(
    session_infra,
    SessionIdError,
    SessionError,
    "A Session ID does not parse (code 3)."
);
create_exception!(
    session_infra,
    InvalidKeyError,
    SessionError,
    "A public or secret key is not valid (code 4)."
);
create_exception!(
    session_infra,
    OnionError,
    SessionError,
    "An onion request, layer or reply is malformed, or cannot be built or routed (code 5)."
);
create_exception!(
    session_infra,
    CryptoError,
    SessionError,
    "Decryption or authentication failed (code 6)."
);
create_exception!(
    session_infra,
    StorageError,
    SessionError,
    "A message hash or namespace is not valid (code 7)."
);
create_exception!(
    session_infra,
    StakingError,
    SessionError,
    "A staking rule rejected the input (code 8)."
);

fn to_py(e: api::Error) -> PyErr {
    let message = e.message().to_owned();
    match e.code() {
        ErrorCode::InvalidArgument => InvalidArgumentError::new_err(message),
        ErrorCode::Phrase => PhraseError::new_err(message),
        ErrorCode::SessionId => SessionIdError::new_err(message),
        ErrorCode::Key => InvalidKeyError::new_err(message),
        ErrorCode::Onion => OnionError::new_err(message),
        ErrorCode::Crypto => CryptoError::new_err(message),
        ErrorCode::Storage => StorageError::new_err(message),
        ErrorCode::Staking => StakingError::new_err(message),
        _ => SessionError::new_err(message),
    }
}

/// `?` for the binding API's results.
trait OrPy<T> {
    fn py(self) -> PyResult<T>;
}

impl<T> OrPy<T> for api::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

fn bytes<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, data)
}

/// A Session account's keys.
#[pyclass(frozen, module = "session_infra")]
struct Identity {
    inner: api::Identity,
}

#[pymethods]
impl Identity {
    /// A new account from the operating system's RNG.
    #[staticmethod]
    fn generate() -> Self {
        Self {
            inner: api::Identity::generate(),
        }
    }

    /// The account a 13-word recovery phrase restores.
    #[staticmethod]
    fn from_phrase(phrase: &str) -> PyResult<Self> {
        Ok(Self {
            inner: api::Identity::from_phrase(phrase).py()?,
        })
    }

    /// The account of a 16-byte Session seed, a 32-byte Ed25519 seed, or a 64-byte libsodium
    /// Ed25519 secret key.
    #[staticmethod]
    fn from_seed(seed: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: api::Identity::from_seed(seed).py()?,
        })
    }

    /// The 13-word recovery phrase, or None for an account made from a 32-byte seed.
    #[getter]
    fn phrase(&self) -> Option<String> {
        self.inner.phrase().map(|p| p.as_str().to_owned())
    }

    /// The Session ID (`05…`, 66 hex characters).
    #[getter]
    fn session_id(&self) -> String {
        self.inner.session_id()
    }

    /// The Ed25519 public key (32 bytes).
    #[getter]
    fn ed25519_public<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, &self.inner.ed25519_public())
    }

    /// The X25519 public key (32 bytes).
    #[getter]
    fn x25519_public<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, &self.inner.x25519_public())
    }

    /// The Ed25519 signature (64 bytes) of `data`.
    fn sign<'py>(&self, py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
        bytes(py, &self.inner.sign(data))
    }

    fn __repr__(&self) -> String {
        format!("Identity(session_id='{}')", self.inner.session_id())
    }
}

/// Whether `signature` is a valid Ed25519 signature of `data` by `ed25519_public`.
#[pyfunction]
fn verify_signature(ed25519_public: &[u8], data: &[u8], signature: &[u8]) -> PyResult<bool> {
    api::verify_signature(ed25519_public, data, signature).py()
}

/// The phrase of a seed (16 bytes: 13 words) in `language` (default English).
#[pyfunction]
#[pyo3(signature = (seed, language = None))]
fn phrase_encode(seed: &[u8], language: Option<&str>) -> PyResult<String> {
    Ok(api::phrase_encode(seed, language).py()?.as_str().to_owned())
}

/// The seed a phrase holds (`language` None: detected).
#[pyfunction]
#[pyo3(signature = (phrase, language = None))]
fn phrase_decode<'py>(
    py: Python<'py>,
    phrase: &str,
    language: Option<&str>,
) -> PyResult<Bound<'py, PyBytes>> {
    Ok(bytes(py, &api::phrase_decode(phrase, language).py()?))
}

/// A valid phrase one word away from a checked one.
#[pyclass(frozen, get_all, module = "session_infra")]
struct PhraseCorrection {
    position: usize,
    word: String,
    distance: usize,
    phrase: String,
}

#[pymethods]
impl PhraseCorrection {
    fn __repr__(&self) -> String {
        format!(
            "PhraseCorrection(position={}, word={:?}, distance={})",
            self.position, self.word, self.distance
        )
    }
}

/// The result of `phrase_check`.
#[pyclass(frozen, get_all, module = "session_infra")]
struct PhraseCheck {
    valid: bool,
    error: Option<String>,
    error_code: Option<i32>,
    corrections: Vec<Py<PhraseCorrection>>,
}

#[pymethods]
impl PhraseCheck {
    fn __bool__(&self) -> bool {
        self.valid
    }

    fn __repr__(&self) -> String {
        format!(
            "PhraseCheck(valid={}, error={:?}, corrections={})",
            if self.valid { "True" } else { "False" },
            self.error,
            self.corrections.len()
        )
    }
}

/// Checks a phrase: valid, or why not and up to `max` corrections, best first.
#[pyfunction]
#[pyo3(signature = (phrase, language = None, max = 5))]
fn phrase_check(
    py: Python<'_>,
    phrase: &str,
    language: Option<&str>,
    max: usize,
) -> PyResult<PhraseCheck> {
    let check = api::phrase_check(phrase, language, max).py()?;
    let corrections = check
        .corrections
        .iter()
        .map(|c| {
            Py::new(
                py,
                PhraseCorrection {
                    position: c.position,
                    word: c.word.clone(),
                    distance: c.distance,
                    phrase: c.phrase.as_str().to_owned(),
                },
            )
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PhraseCheck {
        valid: check.is_valid(),
        error: check.error.as_ref().map(|e| e.message().to_owned()),
        error_code: check.error.as_ref().map(|e| e.code().as_i32()),
        corrections,
    })
}

/// A parsed Session ID.
#[pyclass(frozen, get_all, module = "session_infra")]
struct SessionIdInfo {
    prefix: u8,
    kind: &'static str,
    key: Py<PyBytes>,
}

#[pymethods]
impl SessionIdInfo {
    fn __repr__(&self) -> String {
        format!(
            "SessionIdInfo(prefix=0x{:02x}, kind='{}')",
            self.prefix, self.kind
        )
    }
}

/// Parses a Session ID (66 hex characters, known prefix).
#[pyfunction]
fn parse_session_id(py: Python<'_>, text: &str) -> PyResult<SessionIdInfo> {
    let id = api::parse_session_id(text).py()?;
    Ok(SessionIdInfo {
        prefix: id.prefix,
        kind: id.kind,
        key: bytes(py, &id.key).unbind(),
    })
}

/// The storage server's hash of a message (unpadded base64).
#[pyfunction]
fn message_hash(account: &str, namespace: i64, data: &[u8]) -> PyResult<String> {
    api::message_hash(account, namespace, data).py()
}

/// What a client signs to store in `namespace`.
#[pyfunction]
fn store_payload<'py>(
    py: Python<'py>,
    namespace: i64,
    timestamp_ms: u64,
) -> PyResult<Bound<'py, PyBytes>> {
    Ok(bytes(
        py,
        &api::store_payload(namespace, timestamp_ms).py()?,
    ))
}

/// What a client signs to retrieve from `namespace`.
#[pyfunction]
fn retrieve_payload<'py>(
    py: Python<'py>,
    namespace: i64,
    timestamp_ms: u64,
) -> PyResult<Bound<'py, PyBytes>> {
    Ok(bytes(
        py,
        &api::retrieve_payload(namespace, timestamp_ms).py()?,
    ))
}

/// What a client signs to delete messages by hash.
#[pyfunction]
fn delete_payload<'py>(py: Python<'py>, hashes: Vec<String>) -> PyResult<Bound<'py, PyBytes>> {
    let hashes: Vec<&str> = hashes.iter().map(String::as_str).collect();
    Ok(bytes(py, &api::delete_payload(&hashes).py()?))
}

/// What a client signs to delete every message of `namespace` (None: of every namespace).
#[pyfunction]
fn delete_all_payload<'py>(
    py: Python<'py>,
    namespace: Option<i64>,
    timestamp_ms: u64,
) -> PyResult<Bound<'py, PyBytes>> {
    Ok(bytes(
        py,
        &api::delete_all_payload(namespace, timestamp_ms).py()?,
    ))
}

/// What a client signs to delete the messages stored before `before_ms` in `namespace`
/// (None: in every namespace).
#[pyfunction]
fn delete_before_payload<'py>(
    py: Python<'py>,
    namespace: Option<i64>,
    before_ms: u64,
) -> PyResult<Bound<'py, PyBytes>> {
    Ok(bytes(
        py,
        &api::delete_before_payload(namespace, before_ms).py()?,
    ))
}

/// What a client signs to shorten the expiry of every message of `namespace` (None: of every
/// namespace) to `expiry_ms`.
#[pyfunction]
fn expire_all_payload<'py>(
    py: Python<'py>,
    namespace: Option<i64>,
    expiry_ms: u64,
) -> PyResult<Bound<'py, PyBytes>> {
    Ok(bytes(
        py,
        &api::expire_all_payload(namespace, expiry_ms).py()?,
    ))
}

/// What a client signs to ask the expiries of messages by hash.
#[pyfunction]
fn get_expiries_payload<'py>(
    py: Python<'py>,
    timestamp_ms: u64,
    hashes: Vec<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let hashes: Vec<&str> = hashes.iter().map(String::as_str).collect();
    Ok(bytes(
        py,
        &api::get_expiries_payload(timestamp_ms, &hashes).py()?,
    ))
}

/// What a client signs to revoke subaccount tokens (36 bytes each).
#[pyfunction]
fn revoke_subaccount_payload<'py>(
    py: Python<'py>,
    timestamp_ms: u64,
    tokens: Vec<Vec<u8>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let tokens: Vec<&[u8]> = tokens.iter().map(Vec::as_slice).collect();
    Ok(bytes(
        py,
        &api::revoke_subaccount_payload(timestamp_ms, &tokens).py()?,
    ))
}

/// What a client signs to lift the revocation of subaccount tokens (36 bytes each).
#[pyfunction]
fn unrevoke_subaccount_payload<'py>(
    py: Python<'py>,
    timestamp_ms: u64,
    tokens: Vec<Vec<u8>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let tokens: Vec<&[u8]> = tokens.iter().map(Vec::as_slice).collect();
    Ok(bytes(
        py,
        &api::unrevoke_subaccount_payload(timestamp_ms, &tokens).py()?,
    ))
}

/// What a client signs to subscribe to the new messages of `account` in `namespaces`
/// (ascending): `timestamp_s` in seconds, `want_data` whether notifications carry the data.
#[pyfunction]
fn monitor_payload<'py>(
    py: Python<'py>,
    account: &str,
    timestamp_s: u64,
    want_data: bool,
    namespaces: Vec<i64>,
) -> PyResult<Bound<'py, PyBytes>> {
    Ok(bytes(
        py,
        &api::monitor_payload(account, timestamp_s, want_data, &namespaces).py()?,
    ))
}

/// What a client signs to change expiries: `mode` "", "extend" or "shorten".
#[pyfunction]
fn expire_payload<'py>(
    py: Python<'py>,
    mode: &str,
    expiry_ms: u64,
    hashes: Vec<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let hashes: Vec<&str> = hashes.iter().map(String::as_str).collect();
    Ok(bytes(
        py,
        &api::expire_payload(mode, expiry_ms, &hashes).py()?,
    ))
}

/// The swarm-space position of an account.
#[pyfunction]
fn swarm_space(account: &str) -> PyResult<u64> {
    api::swarm_space(account).py()
}

/// The swarm, among `swarm_ids`, that stores the account's messages.
#[pyfunction]
fn swarm_for(account: &str, swarm_ids: Vec<u64>) -> PyResult<u64> {
    api::swarm_for(account, &swarm_ids).py()
}

/// The staking requirement (atomic units) to register a node at `height` on `network`.
#[pyfunction]
fn staking_requirement(network: &str, height: u64) -> PyResult<u64> {
    api::staking_requirement(network, height).py()
}

/// Checks a registration's reserved stakes (atomic units, operator first) at `height`.
#[pyfunction]
fn check_registration_stakes(network: &str, height: u64, stakes: Vec<u64>) -> PyResult<()> {
    api::check_registration_stakes(network, height, &stakes).py()
}

/// Verifies a contract registration's Ed25519 signature over the node's Ed25519 and BLS keys.
#[pyfunction]
fn verify_ethereum_registration(
    network: &str,
    height: u64,
    ed25519_public: &[u8],
    bls_public: &[u8],
    signature: &[u8],
) -> PyResult<()> {
    api::verify_ethereum_registration(network, height, ed25519_public, bls_public, signature).py()
}

/// A hop: 32 bytes (Ed25519 key), 64 bytes (Ed25519 then X25519), or a (ed25519, x25519)
/// tuple.
fn hop(value: &Bound<'_, PyAny>) -> PyResult<api::OnionHop> {
    if let Ok(pair) = value.cast::<PyTuple>() {
        let (ed, x): (Vec<u8>, Vec<u8>) = pair.extract()?;
        return api::OnionHop::from_slices(&ed, &x).py();
    }
    let packed: &[u8] = value.extract()?;
    api::OnionHop::from_bytes(packed).py()
}

fn hops(values: &[Bound<'_, PyAny>]) -> PyResult<Vec<api::OnionHop>> {
    values.iter().map(hop).collect()
}

/// A built onion request.
#[pyclass(frozen, module = "session_infra")]
struct OnionRequest {
    inner: api::OnionRequest,
}

/// The destination's answer.
#[pyclass(frozen, get_all, module = "session_infra")]
struct OnionReply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Py<PyBytes>,
}

#[pymethods]
impl OnionReply {
    fn __repr__(&self) -> String {
        format!("OnionReply(status={})", self.status)
    }
}

#[pymethods]
impl OnionRequest {
    /// The bytes to POST to the guard's `/onion_req/v2`.
    #[getter]
    fn request<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, self.inner.request())
    }

    /// Whether the destination is a server (v4 reply) rather than a node.
    #[getter]
    fn to_server(&self) -> bool {
        self.inner.to_server()
    }

    /// Decrypts and reads the destination's reply.
    fn decode_reply(&self, py: Python<'_>, response: &[u8]) -> PyResult<OnionReply> {
        let reply = self.inner.decode_reply(response).py()?;
        Ok(OnionReply {
            status: reply.status,
            headers: reply.headers,
            body: bytes(py, &reply.body).unbind(),
        })
    }

    fn __repr__(&self) -> String {
        format!("OnionRequest(size={})", self.inner.request().len())
    }
}

/// An onion request through `hops` (guard first) to the service node `node`.
#[pyfunction]
#[pyo3(signature = (hops, node, payload, cipher = None))]
fn build_onion_to_node(
    hops: Vec<Bound<'_, PyAny>>,
    node: Bound<'_, PyAny>,
    payload: &[u8],
    cipher: Option<&str>,
) -> PyResult<OnionRequest> {
    let path = self::hops(&hops)?;
    let node = hop(&node)?;
    Ok(OnionRequest {
        inner: api::build_onion_to_node(&path, &node, payload, cipher).py()?,
    })
}

/// An onion request through `hops` to a server behind the last hop.
#[pyfunction]
#[pyo3(signature = (hops, host, server_x25519, request, protocol = "https", port = None, cipher = None))]
#[allow(clippy::too_many_arguments)]
fn build_onion_to_server(
    hops: Vec<Bound<'_, PyAny>>,
    host: &str,
    server_x25519: &[u8],
    request: &[u8],
    protocol: &str,
    port: Option<u16>,
    cipher: Option<&str>,
) -> PyResult<OnionRequest> {
    let path = self::hops(&hops)?;
    let x25519 = <[u8; 32]>::try_from(server_x25519).map_err(|_| {
        to_py(api::Error::new(
            ErrorCode::Key,
            format!(
                "an X25519 public key has 32 bytes, not {}",
                server_x25519.len()
            ),
        ))
    })?;
    let server = api::Server {
        host: host.to_owned(),
        x25519,
        protocol: protocol.to_owned(),
        port,
    };
    Ok(OnionRequest {
        inner: api::build_onion_to_server(&path, &server, request, cipher).py()?,
    })
}

/// A server's v4 request. `headers`: a dict or a list of (name, value) pairs.
#[pyfunction]
#[pyo3(signature = (method, endpoint, headers = None, body = None))]
fn v4_request<'py>(
    py: Python<'py>,
    method: &str,
    endpoint: &str,
    headers: Option<Bound<'py, PyAny>>,
    body: Option<&[u8]>,
) -> PyResult<Bound<'py, PyBytes>> {
    let pairs: Vec<(String, String)> = match headers {
        None => Vec::new(),
        Some(h) => match h.cast::<pyo3::types::PyDict>() {
            Ok(dict) => dict
                .iter()
                .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
                .collect::<PyResult<_>>()?,
            Err(_) => h.extract()?,
        },
    };
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Ok(bytes(
        py,
        &api::v4_request(method, endpoint, &refs, body).py()?,
    ))
}

/// A node's onion key.
#[pyclass(frozen, module = "session_infra")]
struct NodeKey {
    inner: api::NodeKey,
}

#[pymethods]
impl NodeKey {
    /// From the 32-byte X25519 secret or the 64-byte Ed25519 secret key.
    #[staticmethod]
    fn from_secret(secret: &[u8]) -> PyResult<Self> {
        Ok(Self {
            inner: api::NodeKey::from_secret(secret).py()?,
        })
    }

    /// The onion key of an identity.
    #[staticmethod]
    fn from_identity(identity: &Identity) -> Self {
        Self {
            inner: api::NodeKey::from_identity(&identity.inner),
        }
    }

    /// The X25519 public key clients encrypt to.
    #[getter]
    fn public<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, &self.inner.public())
    }

    /// Opens a request as it arrives at the guard (or at a server).
    fn open_request(&self, data: &[u8]) -> PyResult<OnionLayer> {
        Ok(OnionLayer {
            inner: self.inner.open_request(data).py()?,
        })
    }

    /// Opens a layer forwarded by the previous node.
    fn open_forward(&self, data: &[u8]) -> PyResult<OnionLayer> {
        Ok(OnionLayer {
            inner: self.inner.open_forward(data).py()?,
        })
    }
}

/// One opened layer.
#[pyclass(frozen, module = "session_infra")]
struct OnionLayer {
    inner: api::OnionLayer,
}

/// What a layer asks of its node; `kind` says which fields are set.
#[pyclass(frozen, get_all, module = "session_infra")]
struct LayerRoute {
    kind: &'static str,
    next_node: Option<Py<PyBytes>>,
    message: Option<Py<PyBytes>>,
    host: Option<String>,
    port: Option<u16>,
    protocol: Option<String>,
    target: Option<String>,
    payload: Option<Py<PyBytes>>,
    method: Option<String>,
    endpoint: Option<String>,
    headers: Option<Vec<(String, String)>>,
    body: Option<Py<PyBytes>>,
}

#[pymethods]
impl LayerRoute {
    fn __repr__(&self) -> String {
        format!("LayerRoute(kind='{}')", self.kind)
    }
}

impl LayerRoute {
    fn new(kind: &'static str) -> Self {
        Self {
            kind,
            next_node: None,
            message: None,
            host: None,
            port: None,
            protocol: None,
            target: None,
            payload: None,
            method: None,
            endpoint: None,
            headers: None,
            body: None,
        }
    }
}

#[pymethods]
impl OnionLayer {
    /// The hop number the layer carries.
    #[getter]
    fn hop_no(&self) -> u64 {
        self.inner.hop_no()
    }

    /// The layer's cipher: "xchacha20" or "aes-gcm".
    #[getter]
    fn cipher(&self) -> &'static str {
        self.inner.cipher()
    }

    /// The decrypted plaintext.
    #[getter]
    fn payload<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes(py, self.inner.payload())
    }

    /// What the layer asks of this node.
    fn route(&self, py: Python<'_>) -> PyResult<LayerRoute> {
        let owned = |data: &[u8]| Some(bytes(py, data).unbind());
        Ok(match self.inner.route().py()? {
            api::LayerRoute::RelayToNode { ed25519, message } => LayerRoute {
                next_node: owned(&ed25519),
                message: owned(&message),
                ..LayerRoute::new("relay_to_node")
            },
            api::LayerRoute::RelayToServer {
                host,
                port,
                protocol,
                target,
                payload,
            } => LayerRoute {
                host: Some(host),
                port: Some(port),
                protocol: Some(protocol),
                target: Some(target),
                payload: owned(&payload),
                ..LayerRoute::new("relay_to_server")
            },
            api::LayerRoute::Destination { body } => LayerRoute {
                body: owned(&body),
                ..LayerRoute::new("destination")
            },
            api::LayerRoute::ServerRequest {
                method,
                endpoint,
                headers,
                body,
            } => LayerRoute {
                method: Some(method),
                endpoint: Some(endpoint),
                headers: Some(headers),
                body: owned(&body),
                ..LayerRoute::new("server_request")
            },
        })
    }

    /// The destination's encrypted answer (a node's body must be UTF-8 text).
    fn answer<'py>(
        &self,
        py: Python<'py>,
        status: u16,
        body: &[u8],
    ) -> PyResult<Bound<'py, PyBytes>> {
        Ok(bytes(py, &self.inner.answer(status, body).py()?))
    }
}

/// Benchmarks only: runs a Rust operation `n` times (see BENCHMARKS.md).
#[pyfunction]
fn _rust_loop(op: &str, n: u64) -> PyResult<()> {
    api::bench::bench_loop(op, n).py()
}

/// The module.
#[pymodule]
fn session_infra(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let errors = [
        ("SessionError", py.get_type::<SessionError>(), 0),
        (
            "InvalidArgumentError",
            py.get_type::<InvalidArgumentError>(),
            ErrorCode::InvalidArgument.as_i32(),
        ),
        (
            "PhraseError",
            py.get_type::<PhraseError>(),
            ErrorCode::Phrase.as_i32(),
        ),
        (
            "SessionIdError",
            py.get_type::<SessionIdError>(),
            ErrorCode::SessionId.as_i32(),
        ),
        (
            "InvalidKeyError",
            py.get_type::<InvalidKeyError>(),
            ErrorCode::Key.as_i32(),
        ),
        (
            "OnionError",
            py.get_type::<OnionError>(),
            ErrorCode::Onion.as_i32(),
        ),
        (
            "CryptoError",
            py.get_type::<CryptoError>(),
            ErrorCode::Crypto.as_i32(),
        ),
        (
            "StorageError",
            py.get_type::<StorageError>(),
            ErrorCode::Storage.as_i32(),
        ),
        (
            "StakingError",
            py.get_type::<StakingError>(),
            ErrorCode::Staking.as_i32(),
        ),
    ];
    for (name, class, code) in errors {
        class.setattr("code", code)?;
        m.add(name, class)?;
    }
    m.add_class::<Identity>()?;
    m.add_class::<PhraseCheck>()?;
    m.add_class::<PhraseCorrection>()?;
    m.add_class::<SessionIdInfo>()?;
    m.add_class::<OnionRequest>()?;
    m.add_class::<OnionReply>()?;
    m.add_class::<NodeKey>()?;
    m.add_class::<OnionLayer>()?;
    m.add_class::<LayerRoute>()?;
    m.add_function(wrap_pyfunction!(verify_signature, m)?)?;
    m.add_function(wrap_pyfunction!(phrase_encode, m)?)?;
    m.add_function(wrap_pyfunction!(phrase_decode, m)?)?;
    m.add_function(wrap_pyfunction!(phrase_check, m)?)?;
    m.add_function(wrap_pyfunction!(parse_session_id, m)?)?;
    m.add_function(wrap_pyfunction!(message_hash, m)?)?;
    m.add_function(wrap_pyfunction!(store_payload, m)?)?;
    m.add_function(wrap_pyfunction!(retrieve_payload, m)?)?;
    m.add_function(wrap_pyfunction!(delete_payload, m)?)?;
    m.add_function(wrap_pyfunction!(delete_all_payload, m)?)?;
    m.add_function(wrap_pyfunction!(expire_payload, m)?)?;
    m.add_function(wrap_pyfunction!(delete_before_payload, m)?)?;
    m.add_function(wrap_pyfunction!(expire_all_payload, m)?)?;
    m.add_function(wrap_pyfunction!(get_expiries_payload, m)?)?;
    m.add_function(wrap_pyfunction!(revoke_subaccount_payload, m)?)?;
    m.add_function(wrap_pyfunction!(unrevoke_subaccount_payload, m)?)?;
    m.add_function(wrap_pyfunction!(monitor_payload, m)?)?;
    m.add_function(wrap_pyfunction!(swarm_space, m)?)?;
    m.add_function(wrap_pyfunction!(swarm_for, m)?)?;
    m.add_function(wrap_pyfunction!(staking_requirement, m)?)?;
    m.add_function(wrap_pyfunction!(check_registration_stakes, m)?)?;
    m.add_function(wrap_pyfunction!(verify_ethereum_registration, m)?)?;
    m.add_function(wrap_pyfunction!(build_onion_to_node, m)?)?;
    m.add_function(wrap_pyfunction!(build_onion_to_server, m)?)?;
    m.add_function(wrap_pyfunction!(v4_request, m)?)?;
    m.add_function(wrap_pyfunction!(_rust_loop, m)?)?;
    Ok(())
}
