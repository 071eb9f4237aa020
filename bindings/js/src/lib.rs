//! `session-infra` for JavaScript: the WebAssembly module behind the npm package.
//!
//! Every export translates JavaScript values to the `session-bindings` API and back (bytes
//! as `Uint8Array`, 64-bit integers as `bigint`); the protocol rules are the Rust libraries'.
//! Errors are `Error`s named `SessionError` with the library's message, a stable integer
//! `code` and its `codeName`.

use js_sys::{Array, BigInt, Object, Reflect, Uint8Array};
use session_bindings as api;
use wasm_bindgen::prelude::*;

fn js_error(e: api::Error) -> JsValue {
    let error = js_sys::Error::new(e.message());
    error.set_name("SessionError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&error, &"code".into(), &e.code().as_i32().into());
    let _ = Reflect::set(&error, &"codeName".into(), &e.code().name().into());
    error.into()
}

fn invalid(message: impl Into<String>) -> JsValue {
    js_error(api::Error::new(api::ErrorCode::InvalidArgument, message))
}

/// `?` for the binding API's results.
trait OrJs<T> {
    fn js(self) -> Result<T, JsValue>;
}

impl<T> OrJs<T> for api::Result<T> {
    fn js(self) -> Result<T, JsValue> {
        self.map_err(js_error)
    }
}

/// A Session account's keys.
#[wasm_bindgen]
pub struct Identity {
    inner: api::Identity,
}

#[wasm_bindgen]
impl Identity {
    /// A new account from Web Crypto's RNG.
    pub fn generate() -> Identity {
        Identity {
            inner: api::Identity::generate(),
        }
    }

    /// The account a 13-word recovery phrase restores.
    #[wasm_bindgen(js_name = fromPhrase)]
    pub fn from_phrase(phrase: &str) -> Result<Identity, JsValue> {
        Ok(Identity {
            inner: api::Identity::from_phrase(phrase).js()?,
        })
    }

    /// The account of a 16-byte Session seed, a 32-byte Ed25519 seed or a 64-byte libsodium
    /// secret key.
    #[wasm_bindgen(js_name = fromSeed)]
    pub fn from_seed(seed: &[u8]) -> Result<Identity, JsValue> {
        Ok(Identity {
            inner: api::Identity::from_seed(seed).js()?,
        })
    }

    /// The 13-word recovery phrase, or `undefined` for an account made from a 32-byte seed.
    #[wasm_bindgen(getter)]
    pub fn phrase(&self) -> Option<String> {
        self.inner.phrase().map(|p| p.as_str().to_owned())
    }

    /// The Session ID (`05…`).
    #[wasm_bindgen(getter, js_name = sessionId)]
    pub fn session_id(&self) -> String {
        self.inner.session_id()
    }

    /// The Ed25519 public key (32 bytes).
    #[wasm_bindgen(getter, js_name = ed25519Public)]
    pub fn ed25519_public(&self) -> Vec<u8> {
        self.inner.ed25519_public().to_vec()
    }

    /// The X25519 public key (32 bytes).
    #[wasm_bindgen(getter, js_name = x25519Public)]
    pub fn x25519_public(&self) -> Vec<u8> {
        self.inner.x25519_public().to_vec()
    }

    /// The Ed25519 signature (64 bytes) of `data`.
    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        self.inner.sign(data).to_vec()
    }
}

/// Whether `signature` is a valid Ed25519 signature of `data` by `ed25519Public`.
#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(
    #[wasm_bindgen(js_name = ed25519Public)] ed25519_public: &[u8],
    data: &[u8],
    signature: &[u8],
) -> Result<bool, JsValue> {
    api::verify_signature(ed25519_public, data, signature).js()
}

/// The phrase of a seed (16 bytes: 13 words), in `language` (default English).
#[wasm_bindgen(js_name = phraseEncode)]
pub fn phrase_encode(seed: &[u8], language: Option<String>) -> Result<String, JsValue> {
    Ok(api::phrase_encode(seed, language.as_deref())
        .js()?
        .as_str()
        .to_owned())
}

/// The seed a phrase holds (`language` omitted: detected).
#[wasm_bindgen(js_name = phraseDecode)]
pub fn phrase_decode(phrase: &str, language: Option<String>) -> Result<Vec<u8>, JsValue> {
    Ok(api::phrase_decode(phrase, language.as_deref())
        .js()?
        .to_vec())
}

/// A valid phrase one word away from a checked one.
#[wasm_bindgen(getter_with_clone)]
pub struct PhraseCorrection {
    /// Zero-based position of the replaced word.
    pub position: usize,
    /// The word put there.
    pub word: String,
    /// Edit distance from what was typed (the ranking's first key).
    pub distance: usize,
    /// The corrected phrase.
    pub phrase: String,
}

/// The result of `phraseCheck`.
#[wasm_bindgen(getter_with_clone)]
pub struct PhraseCheck {
    /// Whether the phrase is valid.
    pub valid: bool,
    /// Why not (the library's message).
    pub error: Option<String>,
    /// The error's code (2).
    #[wasm_bindgen(js_name = errorCode)]
    pub error_code: Option<i32>,
    corrections: Vec<PhraseCorrection>,
}

#[wasm_bindgen]
impl PhraseCheck {
    /// The likeliest corrections, best first.
    #[wasm_bindgen(getter)]
    pub fn corrections(&self) -> Vec<PhraseCorrection> {
        self.corrections
            .iter()
            .map(|c| PhraseCorrection {
                position: c.position,
                word: c.word.clone(),
                distance: c.distance,
                phrase: c.phrase.clone(),
            })
            .collect()
    }
}

/// Checks a phrase: valid, or why not and up to `max` (default 5) corrections, best first.
#[wasm_bindgen(js_name = phraseCheck)]
pub fn phrase_check(
    phrase: &str,
    language: Option<String>,
    max: Option<usize>,
) -> Result<PhraseCheck, JsValue> {
    let check = api::phrase_check(phrase, language.as_deref(), max.unwrap_or(5)).js()?;
    Ok(PhraseCheck {
        valid: check.is_valid(),
        error: check.error.as_ref().map(|e| e.message().to_owned()),
        error_code: check.error.as_ref().map(|e| e.code().as_i32()),
        corrections: check
            .corrections
            .iter()
            .map(|c| PhraseCorrection {
                position: c.position,
                word: c.word.clone(),
                distance: c.distance,
                phrase: c.phrase.as_str().to_owned(),
            })
            .collect(),
    })
}

/// A parsed Session ID.
#[wasm_bindgen(getter_with_clone)]
pub struct SessionIdInfo {
    /// The prefix byte (`0x05` account, `0x03` group, `0x15`/`0x25` blinded, `0x00` unblinded).
    pub prefix: u8,
    /// `account`, `group`, `blinded15`, `blinded25` or `unblinded`.
    pub kind: String,
    /// The 32-byte key.
    pub key: Vec<u8>,
}

/// Parses a Session ID.
#[wasm_bindgen(js_name = parseSessionId)]
pub fn parse_session_id(text: &str) -> Result<SessionIdInfo, JsValue> {
    let id = api::parse_session_id(text).js()?;
    Ok(SessionIdInfo {
        prefix: id.prefix,
        kind: id.kind.to_owned(),
        key: id.key.to_vec(),
    })
}

fn namespace_of(value: f64) -> Result<i64, JsValue> {
    if value.fract() != 0.0 || !value.is_finite() || value.abs() > 9.0e15 {
        return Err(invalid(format!("namespace {value} is not an integer")));
    }
    // An integer below 2^53 in magnitude: exact as i64.
    #[allow(clippy::cast_possible_truncation)]
    Ok(value as i64)
}

/// A `u64` from a `bigint` or an integer `number`.
fn u64_of(value: &JsValue, what: &str) -> Result<u64, JsValue> {
    if let Some(big) = value.dyn_ref::<BigInt>() {
        return u64::try_from(big.clone())
            .map_err(|_| invalid(format!("{what} is not a 64-bit unsigned integer")));
    }
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&n) => {
            // A safe integer: exact as u64.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Ok(n as u64)
        }
        _ => Err(invalid(format!(
            "{what} must be a bigint or a non-negative safe integer"
        ))),
    }
}

/// The storage server's hash of a message (unpadded base64).
#[wasm_bindgen(js_name = messageHash)]
pub fn message_hash(account: &str, namespace: f64, data: &[u8]) -> Result<String, JsValue> {
    api::message_hash(account, namespace_of(namespace)?, data).js()
}

/// What a client signs to store in `namespace` (`timestampMs`: a bigint or number).
#[wasm_bindgen(js_name = storePayload)]
pub fn store_payload(
    namespace: f64,
    #[wasm_bindgen(js_name = timestampMs, unchecked_param_type = "bigint | number")]
    timestamp_ms: JsValue,
) -> Result<Vec<u8>, JsValue> {
    api::store_payload(
        namespace_of(namespace)?,
        u64_of(&timestamp_ms, "timestampMs")?,
    )
    .js()
}

/// What a client signs to retrieve from `namespace`.
#[wasm_bindgen(js_name = retrievePayload)]
pub fn retrieve_payload(
    namespace: f64,
    #[wasm_bindgen(js_name = timestampMs, unchecked_param_type = "bigint | number")]
    timestamp_ms: JsValue,
) -> Result<Vec<u8>, JsValue> {
    api::retrieve_payload(
        namespace_of(namespace)?,
        u64_of(&timestamp_ms, "timestampMs")?,
    )
    .js()
}

/// What a client signs to delete messages by hash.
#[wasm_bindgen(js_name = deletePayload)]
pub fn delete_payload(hashes: Vec<String>) -> Result<Vec<u8>, JsValue> {
    let refs: Vec<&str> = hashes.iter().map(String::as_str).collect();
    api::delete_payload(&refs).js()
}

/// What a client signs to delete every message of `namespace` (`null`: of every namespace).
#[wasm_bindgen(js_name = deleteAllPayload)]
pub fn delete_all_payload(
    namespace: Option<f64>,
    #[wasm_bindgen(js_name = timestampMs, unchecked_param_type = "bigint | number")]
    timestamp_ms: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let ns = namespace.map(namespace_of).transpose()?;
    api::delete_all_payload(ns, u64_of(&timestamp_ms, "timestampMs")?).js()
}

/// What a client signs to change expiries: `mode` `""`, `"extend"` or `"shorten"`.
#[wasm_bindgen(js_name = expirePayload)]
pub fn expire_payload(
    mode: &str,
    #[wasm_bindgen(js_name = expiryMs, unchecked_param_type = "bigint | number")]
    expiry_ms: JsValue,
    hashes: Vec<String>,
) -> Result<Vec<u8>, JsValue> {
    let refs: Vec<&str> = hashes.iter().map(String::as_str).collect();
    api::expire_payload(mode, u64_of(&expiry_ms, "expiryMs")?, &refs).js()
}

/// What a client signs to delete the messages stored before `beforeMs` in `namespace`
/// (`null`: in every namespace).
#[wasm_bindgen(js_name = deleteBeforePayload)]
pub fn delete_before_payload(
    namespace: Option<f64>,
    #[wasm_bindgen(js_name = beforeMs, unchecked_param_type = "bigint | number")]
    before_ms: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let ns = namespace.map(namespace_of).transpose()?;
    api::delete_before_payload(ns, u64_of(&before_ms, "beforeMs")?).js()
}

/// What a client signs to shorten the expiry of every message of `namespace` (`null`: of
/// every namespace) to `expiryMs`.
#[wasm_bindgen(js_name = expireAllPayload)]
pub fn expire_all_payload(
    namespace: Option<f64>,
    #[wasm_bindgen(js_name = expiryMs, unchecked_param_type = "bigint | number")]
    expiry_ms: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let ns = namespace.map(namespace_of).transpose()?;
    api::expire_all_payload(ns, u64_of(&expiry_ms, "expiryMs")?).js()
}

/// What a client signs to ask the expiries of messages by hash.
#[wasm_bindgen(js_name = getExpiriesPayload)]
pub fn get_expiries_payload(
    #[wasm_bindgen(js_name = timestampMs, unchecked_param_type = "bigint | number")]
    timestamp_ms: JsValue,
    hashes: Vec<String>,
) -> Result<Vec<u8>, JsValue> {
    let refs: Vec<&str> = hashes.iter().map(String::as_str).collect();
    api::get_expiries_payload(u64_of(&timestamp_ms, "timestampMs")?, &refs).js()
}

/// Subaccount tokens from an array of `Uint8Array`s.
fn tokens_of(tokens: &JsValue) -> Result<Vec<Vec<u8>>, JsValue> {
    Array::from(tokens)
        .iter()
        .map(|t| {
            t.dyn_into::<Uint8Array>()
                .map(|t| t.to_vec())
                .map_err(|_| invalid("a subaccount token must be a Uint8Array"))
        })
        .collect()
}

/// What a client signs to revoke subaccount tokens (36 bytes each).
#[wasm_bindgen(js_name = revokeSubaccountPayload)]
pub fn revoke_subaccount_payload(
    #[wasm_bindgen(js_name = timestampMs, unchecked_param_type = "bigint | number")]
    timestamp_ms: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Array<Uint8Array>")] tokens: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let tokens = tokens_of(&tokens)?;
    let refs: Vec<&[u8]> = tokens.iter().map(Vec::as_slice).collect();
    api::revoke_subaccount_payload(u64_of(&timestamp_ms, "timestampMs")?, &refs).js()
}

/// What a client signs to lift the revocation of subaccount tokens (36 bytes each).
#[wasm_bindgen(js_name = unrevokeSubaccountPayload)]
pub fn unrevoke_subaccount_payload(
    #[wasm_bindgen(js_name = timestampMs, unchecked_param_type = "bigint | number")]
    timestamp_ms: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Array<Uint8Array>")] tokens: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let tokens = tokens_of(&tokens)?;
    let refs: Vec<&[u8]> = tokens.iter().map(Vec::as_slice).collect();
    api::unrevoke_subaccount_payload(u64_of(&timestamp_ms, "timestampMs")?, &refs).js()
}

/// What a client signs to subscribe to the new messages of `account` in `namespaces`
/// (ascending): `timestampS` in seconds, `wantData` whether notifications carry the data.
#[wasm_bindgen(js_name = monitorPayload)]
pub fn monitor_payload(
    account: &str,
    #[wasm_bindgen(js_name = timestampS, unchecked_param_type = "bigint | number")]
    timestamp_s: JsValue,
    #[wasm_bindgen(js_name = wantData)] want_data: bool,
    #[wasm_bindgen(unchecked_param_type = "Array<number>")] namespaces: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let namespaces = Array::from(&namespaces)
        .iter()
        .map(|ns| match ns.as_f64() {
            Some(n) => namespace_of(n),
            None => Err(invalid("a namespace must be a number")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    api::monitor_payload(
        account,
        u64_of(&timestamp_s, "timestampS")?,
        want_data,
        &namespaces,
    )
    .js()
}

/// The swarm-space position of an account.
#[wasm_bindgen(js_name = swarmSpace)]
pub fn swarm_space(account: &str) -> Result<u64, JsValue> {
    api::swarm_space(account).js()
}

/// The swarm, among `swarmIds` (bigints or numbers), that stores the account's messages.
#[wasm_bindgen(js_name = swarmFor)]
pub fn swarm_for(
    account: &str,
    #[wasm_bindgen(
        js_name = swarmIds,
        unchecked_param_type = "Array<bigint | number> | BigUint64Array"
    )]
    swarm_ids: JsValue,
) -> Result<u64, JsValue> {
    let ids = Array::from(&swarm_ids)
        .iter()
        .map(|id| u64_of(&id, "a swarm id"))
        .collect::<Result<Vec<_>, _>>()?;
    api::swarm_for(account, &ids).js()
}

/// The staking requirement (atomic units) to register a node at `height` on `network`.
#[wasm_bindgen(js_name = stakingRequirement)]
pub fn staking_requirement(
    network: &str,
    #[wasm_bindgen(unchecked_param_type = "bigint | number")] height: JsValue,
) -> Result<u64, JsValue> {
    api::staking_requirement(network, u64_of(&height, "height")?).js()
}

/// Checks a registration's reserved stakes (atomic units, operator first) at `height`.
#[wasm_bindgen(js_name = checkRegistrationStakes)]
pub fn check_registration_stakes(
    network: &str,
    #[wasm_bindgen(unchecked_param_type = "bigint | number")] height: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Array<bigint | number> | BigUint64Array")]
    stakes: JsValue,
) -> Result<(), JsValue> {
    let stakes = Array::from(&stakes)
        .iter()
        .map(|s| u64_of(&s, "a stake"))
        .collect::<Result<Vec<_>, _>>()?;
    api::check_registration_stakes(network, u64_of(&height, "height")?, &stakes).js()
}

/// Verifies a contract registration's Ed25519 signature over the node's Ed25519 and BLS keys.
#[wasm_bindgen(js_name = verifyEthereumRegistration)]
pub fn verify_ethereum_registration(
    network: &str,
    #[wasm_bindgen(unchecked_param_type = "bigint | number")] height: JsValue,
    #[wasm_bindgen(js_name = ed25519Public)] ed25519_public: &[u8],
    #[wasm_bindgen(js_name = blsPublic)] bls_public: &[u8],
    signature: &[u8],
) -> Result<(), JsValue> {
    api::verify_ethereum_registration(
        network,
        u64_of(&height, "height")?,
        ed25519_public,
        bls_public,
        signature,
    )
    .js()
}

/// A hop: a `Uint8Array` of 32 bytes (Ed25519 key) or 64 (then the X25519 key), or a pair.
fn hop(value: &JsValue) -> Result<api::OnionHop, JsValue> {
    if Array::is_array(value) {
        let pair = Array::from(value);
        let ed = Uint8Array::new(&pair.get(0)).to_vec();
        let x = Uint8Array::new(&pair.get(1)).to_vec();
        return api::OnionHop::from_slices(&ed, &x).js();
    }
    match value.dyn_ref::<Uint8Array>() {
        Some(bytes) => api::OnionHop::from_bytes(&bytes.to_vec()).js(),
        None => Err(invalid(
            "a hop is a Uint8Array or an [ed25519, x25519] pair",
        )),
    }
}

fn hops(values: &JsValue) -> Result<Vec<api::OnionHop>, JsValue> {
    if !Array::is_array(values) {
        return Err(invalid("hops must be an array"));
    }
    Array::from(values).iter().map(|h| hop(&h)).collect()
}

/// A built onion request.
#[wasm_bindgen]
pub struct OnionRequest {
    inner: api::OnionRequest,
}

/// The destination's answer.
#[wasm_bindgen(getter_with_clone)]
pub struct OnionReply {
    /// HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
    headers: Vec<(String, String)>,
}

#[wasm_bindgen]
impl OnionReply {
    /// A server's headers, as `[name, value]` pairs.
    #[wasm_bindgen(getter, unchecked_return_type = "Array<[string, string]>")]
    pub fn headers(&self) -> JsValue {
        self.headers
            .iter()
            .map(|(k, v)| Array::of2(&k.into(), &v.into()))
            .collect::<Array>()
            .into()
    }
}

#[wasm_bindgen]
impl OnionRequest {
    /// The bytes to POST to the guard's `/onion_req/v2`.
    #[wasm_bindgen(getter)]
    pub fn request(&self) -> Vec<u8> {
        self.inner.request().to_vec()
    }

    /// Whether the destination is a server (v4 reply) rather than a node.
    #[wasm_bindgen(getter, js_name = toServer)]
    pub fn to_server(&self) -> bool {
        self.inner.to_server()
    }

    /// Decrypts and reads the destination's reply.
    #[wasm_bindgen(js_name = decodeReply)]
    pub fn decode_reply(&self, response: &[u8]) -> Result<OnionReply, JsValue> {
        let reply = self.inner.decode_reply(response).js()?;
        Ok(OnionReply {
            status: reply.status,
            body: reply.body,
            headers: reply.headers,
        })
    }
}

/// An onion request through `hops` (guard first) to the service node `node`.
#[wasm_bindgen(js_name = buildOnionToNode)]
pub fn build_onion_to_node(
    #[wasm_bindgen(unchecked_param_type = "Array<Uint8Array | [Uint8Array, Uint8Array]>")]
    path: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | [Uint8Array, Uint8Array]")] node: JsValue,
    payload: &[u8],
    cipher: Option<String>,
) -> Result<OnionRequest, JsValue> {
    let path = hops(&path)?;
    let node = hop(&node)?;
    Ok(OnionRequest {
        inner: api::build_onion_to_node(&path, &node, payload, cipher.as_deref()).js()?,
    })
}

/// An onion request through `hops` to a server behind the last hop.
#[wasm_bindgen(js_name = buildOnionToServer)]
pub fn build_onion_to_server(
    #[wasm_bindgen(unchecked_param_type = "Array<Uint8Array | [Uint8Array, Uint8Array]>")]
    path: JsValue,
    host: &str,
    #[wasm_bindgen(js_name = serverX25519)] server_x25519: &[u8],
    request: &[u8],
    protocol: Option<String>,
    port: Option<u16>,
    cipher: Option<String>,
) -> Result<OnionRequest, JsValue> {
    let path = hops(&path)?;
    let x25519 = <[u8; 32]>::try_from(server_x25519).map_err(|_| {
        js_error(api::Error::new(
            api::ErrorCode::Key,
            format!(
                "an X25519 public key has 32 bytes, not {}",
                server_x25519.len()
            ),
        ))
    })?;
    let server = api::Server {
        host: host.to_owned(),
        x25519,
        protocol: protocol.unwrap_or_default(),
        port,
    };
    Ok(OnionRequest {
        inner: api::build_onion_to_server(&path, &server, request, cipher.as_deref()).js()?,
    })
}

/// A server's v4 request. `headers`: an object or an array of `[name, value]` pairs.
#[wasm_bindgen(js_name = v4Request)]
pub fn v4_request(
    method: &str,
    endpoint: &str,
    #[wasm_bindgen(
        unchecked_param_type = "Record<string, string> | Array<[string, string]> | null"
    )]
    headers: JsValue,
    body: Option<Vec<u8>>,
) -> Result<Vec<u8>, JsValue> {
    let entries = if headers.is_null() || headers.is_undefined() {
        Array::new()
    } else if Array::is_array(&headers) {
        Array::from(&headers)
    } else {
        Object::entries(&Object::from(headers))
    };
    let pairs = entries
        .iter()
        .map(|pair| {
            let pair = Array::from(&pair);
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(name), Some(value)) => Ok((name, value)),
                _ => Err(invalid("a header is a [name, value] pair of strings")),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    api::v4_request(method, endpoint, &refs, body.as_deref()).js()
}

/// A node's onion key.
#[wasm_bindgen]
pub struct NodeKey {
    inner: api::NodeKey,
}

#[wasm_bindgen]
impl NodeKey {
    /// From the 32-byte X25519 secret or the 64-byte Ed25519 secret key.
    #[wasm_bindgen(js_name = fromSecret)]
    pub fn from_secret(secret: &[u8]) -> Result<NodeKey, JsValue> {
        Ok(NodeKey {
            inner: api::NodeKey::from_secret(secret).js()?,
        })
    }

    /// The onion key of an identity.
    #[wasm_bindgen(js_name = fromIdentity)]
    pub fn from_identity(identity: &Identity) -> NodeKey {
        NodeKey {
            inner: api::NodeKey::from_identity(&identity.inner),
        }
    }

    /// The X25519 public key clients encrypt to.
    #[wasm_bindgen(getter)]
    pub fn public(&self) -> Vec<u8> {
        self.inner.public().to_vec()
    }

    /// Opens a request as it arrives at the guard (or at a server).
    #[wasm_bindgen(js_name = openRequest)]
    pub fn open_request(&self, data: &[u8]) -> Result<OnionLayer, JsValue> {
        Ok(OnionLayer {
            inner: self.inner.open_request(data).js()?,
        })
    }

    /// Opens a layer forwarded by the previous node.
    #[wasm_bindgen(js_name = openForward)]
    pub fn open_forward(&self, data: &[u8]) -> Result<OnionLayer, JsValue> {
        Ok(OnionLayer {
            inner: self.inner.open_forward(data).js()?,
        })
    }
}

/// One opened layer.
#[wasm_bindgen]
pub struct OnionLayer {
    inner: api::OnionLayer,
}

/// What a layer asks of its node; `kind` says which fields are set.
#[wasm_bindgen(getter_with_clone)]
#[derive(Default)]
pub struct LayerRoute {
    /// `relay_to_node`, `relay_to_server`, `destination` or `server_request`.
    pub kind: String,
    /// relay_to_node: the next node's Ed25519 key.
    #[wasm_bindgen(js_name = nextNode)]
    pub next_node: Option<Vec<u8>>,
    /// relay_to_node: the message to send it.
    pub message: Option<Vec<u8>>,
    /// relay_to_server: the host.
    pub host: Option<String>,
    /// relay_to_server: the port.
    pub port: Option<u16>,
    /// relay_to_server: `http` or `https`.
    pub protocol: Option<String>,
    /// relay_to_server: the path.
    pub target: Option<String>,
    /// relay_to_server: what to POST.
    pub payload: Option<Vec<u8>>,
    /// server_request: the method.
    pub method: Option<String>,
    /// server_request: the endpoint.
    pub endpoint: Option<String>,
    /// destination and server_request: the request body.
    pub body: Option<Vec<u8>>,
}

#[wasm_bindgen]
impl OnionLayer {
    /// The hop number the layer carries.
    #[wasm_bindgen(getter, js_name = hopNo)]
    pub fn hop_no(&self) -> u64 {
        self.inner.hop_no()
    }

    /// The layer's cipher: `xchacha20` or `aes-gcm`.
    #[wasm_bindgen(getter)]
    pub fn cipher(&self) -> String {
        self.inner.cipher().to_owned()
    }

    /// The decrypted plaintext.
    #[wasm_bindgen(getter)]
    pub fn payload(&self) -> Vec<u8> {
        self.inner.payload().to_vec()
    }

    /// What the layer asks of this node.
    pub fn route(&self) -> Result<LayerRoute, JsValue> {
        Ok(match self.inner.route().js()? {
            api::LayerRoute::RelayToNode { ed25519, message } => LayerRoute {
                kind: "relay_to_node".into(),
                next_node: Some(ed25519.to_vec()),
                message: Some(message),
                ..LayerRoute::default()
            },
            api::LayerRoute::RelayToServer {
                host,
                port,
                protocol,
                target,
                payload,
            } => LayerRoute {
                kind: "relay_to_server".into(),
                host: Some(host),
                port: Some(port),
                protocol: Some(protocol),
                target: Some(target),
                payload: Some(payload),
                ..LayerRoute::default()
            },
            api::LayerRoute::Destination { body } => LayerRoute {
                kind: "destination".into(),
                body: Some(body),
                ..LayerRoute::default()
            },
            api::LayerRoute::ServerRequest {
                method,
                endpoint,
                body,
                ..
            } => LayerRoute {
                kind: "server_request".into(),
                method: Some(method),
                endpoint: Some(endpoint),
                body: Some(body),
                ..LayerRoute::default()
            },
        })
    }

    /// The destination's encrypted answer (a node's body must be UTF-8 text).
    pub fn answer(&self, status: u16, body: &[u8]) -> Result<Vec<u8>, JsValue> {
        self.inner.answer(status, body).js()
    }
}

/// Benchmarks only: runs a Rust operation `n` times (see BENCHMARKS.md).
#[wasm_bindgen(js_name = _rustLoop)]
pub fn rust_loop(op: &str, n: u32) -> Result<(), JsValue> {
    api::bench::bench_loop(op, n.into()).js()
}
