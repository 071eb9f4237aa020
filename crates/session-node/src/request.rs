//! Client requests as the storage server reads them: field names, aliases, encodings and the
//! parse-error texts answered with `400 invalid request: ...`.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value as Json;
use session_core::encoding::{decode_base64, decode_hex};
use session_core::{AccountId, Network};

use crate::params::{NsArg, Params, ParseError, Parsed, Str};

/// Most subrequests in one `batch` or `sequence`.
pub const MAX_SUBREQUESTS: usize = 20;
/// Largest message body, bytes.
pub const MAX_MESSAGE_BODY: usize = 76_800;
/// Most tokens in one revoke request.
pub const MAX_SUBACCOUNT_TOKENS: usize = 50;

/// Authentication fields of a signed request, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthFields {
    pub(crate) signature: [u8; 64],
    pub(crate) pubkey_ed25519: Option<[u8; 32]>,
    pub(crate) subaccount: Option<([u8; 36], [u8; 64])>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Store {
    pub(crate) account: AccountId,
    pub(crate) namespace: i16,
    pub(crate) timestamp: u64,
    pub(crate) expiry: u64,
    pub(crate) ttl: Option<u64>,
    pub(crate) data: Vec<u8>,
    pub(crate) sig_timestamp: Option<u64>,
    pub(crate) auth: Option<AuthFields>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Retrieve {
    pub(crate) account: AccountId,
    pub(crate) namespace: i16,
    pub(crate) last_hash: Option<String>,
    pub(crate) max_count: i64,
    pub(crate) max_size: i64,
    pub(crate) timestamp: u64,
    pub(crate) auth: Option<AuthFields>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Delete {
    pub(crate) account: AccountId,
    pub(crate) messages: Vec<String>,
    pub(crate) required: bool,
    pub(crate) auth: AuthFields,
}

/// `delete_all`, `delete_before`, `expire_all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccountWide {
    pub(crate) account: AccountId,
    pub(crate) namespace: NsArg,
    pub(crate) time: u64,
    pub(crate) auth: AuthFields,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expire {
    pub(crate) account: AccountId,
    pub(crate) messages: Vec<String>,
    pub(crate) expiries: Vec<u64>,
    pub(crate) shorten: bool,
    pub(crate) extend: bool,
    pub(crate) auth: AuthFields,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GetExpiries {
    pub(crate) account: AccountId,
    pub(crate) messages: Vec<String>,
    pub(crate) timestamp: u64,
    pub(crate) auth: AuthFields,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Revoke {
    pub(crate) account: AccountId,
    pub(crate) revoke: bool,
    pub(crate) tokens: Vec<[u8; 36]>,
    pub(crate) timestamp: u64,
    pub(crate) auth: AuthFields,
}

/// `revoked_subaccounts`: the account's list of revoked tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RevokedSubaccounts {
    pub(crate) account: AccountId,
    pub(crate) timestamp: u64,
    pub(crate) auth: AuthFields,
}

/// The `if` of an `ifelse`: each bound optional, at least one given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Condition {
    pub(crate) height_at_least: Option<i64>,
    pub(crate) height_before: Option<i64>,
    pub(crate) hf_at_least: Option<[i64; 2]>,
    pub(crate) hf_before: Option<[i64; 2]>,
    pub(crate) v_at_least: Option<[i64; 3]>,
    pub(crate) v_before: Option<[i64; 3]>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IfElse {
    pub(crate) condition: Condition,
    pub(crate) then: Option<Rpc>,
    pub(crate) otherwise: Option<Rpc>,
}

/// One parsed client request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rpc {
    Store(Store),
    Retrieve(Retrieve),
    Delete(Delete),
    DeleteAll(AccountWide),
    DeleteBefore(AccountWide),
    ExpireAll(AccountWide),
    Expire(Expire),
    GetExpiries(GetExpiries),
    Revoke(Revoke),
    RevokedSubaccounts(RevokedSubaccounts),
    Info,
    GetSwarm(AccountId),
    OxendRequest {
        endpoint: String,
        params: Option<Json>,
    },
    ActiveNodesBin,
    Batch(Vec<Rpc>),
    Sequence(Vec<Rpc>),
    IfElse(Box<IfElse>),
}

impl Rpc {
    /// Whether the request is a meta-request (not allowed inside `batch`/`sequence`).
    fn is_meta(&self) -> bool {
        matches!(self, Rpc::Batch(_) | Rpc::Sequence(_) | Rpc::IfElse(_))
    }

    /// The method name under which the request is forwarded to swarm peers, for the
    /// requests the storage server runs on every swarm member.
    pub(crate) fn recursive_name(&self) -> Option<&'static str> {
        Some(match self {
            Rpc::Store(_) => "store",
            Rpc::Delete(_) => "delete",
            Rpc::DeleteAll(_) => "delete_all",
            Rpc::DeleteBefore(_) => "delete_before",
            Rpc::ExpireAll(_) => "expire_all",
            Rpc::Expire(_) => "expire",
            Rpc::Revoke(r) if r.revoke => "revoke_subaccount",
            Rpc::Revoke(_) => "unrevoke_subaccount",
            _ => return None,
        })
    }
}

/// Every method name the node answers, aliases included.
pub const METHODS: &[&str] = &[
    "store",
    "retrieve",
    "delete",
    "delete_all",
    "delete_before",
    "expire_all",
    "expire",
    "get_expiries",
    "revoke_subaccount",
    "unrevoke_subaccount",
    "revoked_subaccounts",
    "info",
    "get_swarm",
    "get_snodes_for_pubkey",
    "oxend_request",
    "active_nodes_bin",
    "batch",
    "sequence",
    "ifelse",
];

fn require<T>(name: &str, v: Option<T>) -> Parsed<T> {
    v.ok_or_else(|| ParseError(format!("Required field '{name}' missing")))
}

fn is_base64(text: &[u8]) -> bool {
    text.iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
        && decode_base64(text, text.len()).is_ok()
}

/// A user pubkey: 66 hex digits or 33 bytes (off mainnet also 64 hex / 32 bytes, prefix 05).
pub(crate) fn parse_pubkey(s: Str<'_>, network: Network) -> Option<AccountId> {
    let bytes = s.bytes();
    let raw: Vec<u8> = match bytes.len() {
        66 | 64 => decode_hex(core::str::from_utf8(bytes).ok()?).ok()?,
        33 | 32 => bytes.to_vec(),
        _ => return None,
    };
    match raw.len() {
        33 => {
            let (prefix, key) = raw.split_first()?;
            Some(AccountId::new(*prefix, key.try_into().ok()?))
        }
        32 if network != Network::Mainnet => Some(AccountId::new(0x05, raw.try_into().ok()?)),
        _ => None,
    }
}

fn load_pk(pk: Option<Str<'_>>, network: Network) -> Parsed<AccountId> {
    let pk = require("pubkey", pk)?;
    parse_pubkey(pk, network)
        .ok_or_else(|| ParseError::new("Pubkey must be 66 hex digits (33 bytes) long"))
}

fn decode_sig(p: &Params<'_>, sig: Str<'_>, what: &str) -> Parsed<[u8; 64]> {
    let bytes = sig.bytes();
    if p.is_json() {
        let ok_len = bytes.len() == 86 || (bytes.len() == 88 && bytes.ends_with(b"=="));
        if !ok_len || !is_base64(bytes) {
            return Err(ParseError(format!(
                "invalid {what}: expected base64 encoded Ed25519 signature"
            )));
        }
        decode_base64(bytes, 64)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| {
                ParseError(format!(
                    "invalid {what}: expected base64 encoded Ed25519 signature"
                ))
            })
    } else {
        bytes
            .try_into()
            .map_err(|_| ParseError::new("invalid signature: expected 64-byte Ed25519 signature"))
    }
}

/// A 36-byte subaccount token: raw in bencode; base64 (48) or hex (72) in JSON.
fn decode_token(p: &Params<'_>, s: Str<'_>) -> Option<[u8; 36]> {
    let bytes = s.bytes();
    if !p.is_json() {
        return bytes.try_into().ok();
    }
    let decoded = if bytes.len() == 48 && is_base64(bytes) {
        decode_base64(bytes, 36).ok()?
    } else if bytes.len() == 72 {
        decode_hex(core::str::from_utf8(bytes).ok()?).ok()?
    } else {
        return None;
    };
    decoded.try_into().ok()
}

/// `pubkey`, `signature`, `pubkey_ed25519` (05 accounts only), `subaccount` + `subaccount_sig`.
fn load_auth(p: &Params<'_>, account: &AccountId, subaccounts: bool) -> Parsed<AuthFields> {
    let sig = require("signature", p.str("signature")?)?;
    let pubkey_ed25519 = match p.str("pubkey_ed25519")? {
        None => None,
        Some(ed) => {
            if account.netid() != 0x05 {
                return Err(ParseError::new(
                    "pubkey_ed25519 is only permitted for 05[...] pubkeys",
                ));
            }
            let b = ed.bytes();
            Some(match b.len() {
                64 => core::str::from_utf8(b)
                    .ok()
                    .and_then(|t| decode_hex(t).ok())
                    .and_then(|v| <[u8; 32]>::try_from(v).ok())
                    .ok_or_else(|| ParseError::new("invalid pubkey_ed25519: value is not hex"))?,
                32 => b
                    .try_into()
                    .map_err(|_| ParseError::new("invalid pubkey_ed25519: value is not hex"))?,
                _ => {
                    return Err(ParseError::new(
                        "Invalid pubkey_ed25519: expected 64 hex char or 32 byte pubkey",
                    ));
                }
            })
        }
    };
    let signature = decode_sig(p, sig, "signature")?;
    let subaccount = if subaccounts {
        load_subaccount(p)?
    } else {
        None
    };
    Ok(AuthFields {
        signature,
        pubkey_ed25519,
        subaccount,
    })
}

fn load_subaccount(p: &Params<'_>) -> Parsed<Option<([u8; 36], [u8; 64])>> {
    let Some(token) = p.str("subaccount")?.filter(|t| t.len() > 0) else {
        return Ok(None);
    };
    let Some(sig) = p.str("subaccount_sig")? else {
        return Err(ParseError::new(
            "invalid subaccount: subaccount_sig is required when using subaccount",
        ));
    };
    let token = decode_token(p, token).ok_or_else(|| {
        ParseError::new(if p.is_json() {
            "invalid subaccount: expected base64 or hex-encoded subaccount token"
        } else {
            "invalid subaccount token: invalid token length"
        })
    })?;
    let sig = decode_sig(p, sig, "subaccount signature")?;
    Ok(Some((token, sig)))
}

fn pubkey_alias<'a>(p: &Params<'a>) -> Parsed<Option<Str<'a>>> {
    let a = p.str("pubkey")?;
    let b = p.str("pubKey")?;
    if a.is_some() && b.is_some() {
        return Err(ParseError::new("Cannot specify both 'pubkey' and 'pubKey'"));
    }
    Ok(a.or(b))
}

fn hashes(p: &Params<'_>, check: bool) -> Parsed<Vec<String>> {
    let list = require("messages", p.str_list("messages")?)?;
    if list.is_empty() {
        return Err(ParseError::new(
            "messages does not contain any message hashes",
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for m in list {
        let text = String::from_utf8_lossy(m.bytes()).into_owned();
        if check && !(m.len() == 43 && is_base64(m.bytes())) {
            return Err(ParseError(format!("invalid message hash: {text}")));
        }
        out.push(text);
    }
    Ok(out)
}

fn load_store(p: &Params<'_>, network: Network) -> Parsed<Store> {
    let data = p.str("data")?;
    let expiry = p.timestamp("expiry")?;
    let namespace = p.namespace("namespace", false)?;
    let pk = pubkey_alias(p)?;
    let sig_ts = p.timestamp("sig_timestamp")?;
    let (timestamp, ttl) = if p.is_json() {
        let ts = p.stringified("timestamp", false)?;
        let ttl = p.stringified("ttl", true)?;
        (
            ts.map(|t| u64::try_from(t).unwrap_or(0)),
            ttl.map(|t| t.unsigned_abs()),
        )
    } else {
        (
            p.timestamp("timestamp")?,
            p.stringified("ttl", true)?.map(i64::unsigned_abs),
        )
    };
    let timestamp = require("timestamp", timestamp)?;
    if expiry.is_some() && ttl.is_some() {
        return Err(ParseError::new("Cannot specify both 'expiry' and 'ttl'"));
    }
    let expiry = match (expiry, ttl) {
        (Some(e), None) => e,
        (None, Some(t)) => timestamp.saturating_add(t),
        _ => return Err(ParseError::new("Required field 'expiry' or 'ttl' missing")),
    };
    let account = load_pk(pk, network)?;
    let auth = if p.has("signature") {
        Some(load_auth(p, &account, true)?)
    } else {
        None
    };
    let data = require("data", data)?;
    let data = if p.is_json() {
        if !is_base64(data.bytes()) {
            return Err(ParseError::new("Invalid 'data' value: not base64 encoded"));
        }
        if data.len() > MAX_MESSAGE_BODY / 3 * 4 {
            return Err(ParseError(format!(
                "Message body exceeds maximum allowed length of {MAX_MESSAGE_BODY} bytes"
            )));
        }
        decode_base64(data.bytes(), MAX_MESSAGE_BODY)
            .map_err(|_| ParseError::new("Invalid 'data' value: not base64 encoded"))?
    } else {
        if data.len() > MAX_MESSAGE_BODY {
            return Err(ParseError(format!(
                "Message body exceeds maximum allowed length of {MAX_MESSAGE_BODY} bytes"
            )));
        }
        data.bytes().to_vec()
    };
    let namespace = match namespace {
        Some(NsArg::One(n)) => n,
        _ => 0,
    };
    Ok(Store {
        account,
        namespace,
        timestamp,
        expiry,
        ttl,
        data,
        sig_timestamp: auth.as_ref().map(|_| sig_ts.unwrap_or(timestamp)),
        auth,
    })
}

fn load_retrieve(p: &Params<'_>, network: Network) -> Parsed<Retrieve> {
    let last_hash_alt = p.str("lastHash")?;
    let last_hash = p.str("last_hash")?;
    let max_count = p.int("max_count")?;
    let max_size = p.int("max_size")?;
    let namespace = p.namespace("namespace", false)?;
    let pk = pubkey_alias(p)?;
    let ts = p.timestamp("timestamp")?;
    let ns = match namespace {
        Some(NsArg::One(n)) => Some(n),
        _ => None,
    };
    let needs_auth = p.has("pubkey_ed25519")
        || p.has("signature")
        || ts.is_some()
        || ns.is_some_and(|n| !session_core::Namespace(n).is_noauth_retrieve());
    let account = load_pk(pk, network)?;
    let (auth, timestamp) = if needs_auth {
        let auth = load_auth(p, &account, true)?;
        (Some(auth), require("timestamp", ts)?)
    } else {
        (None, 0)
    };
    if last_hash.is_some() && last_hash_alt.is_some() {
        return Err(ParseError::new(
            "Cannot specify both 'last_hash' and 'lastHash'",
        ));
    }
    let last_hash = match last_hash.or(last_hash_alt) {
        Some(h) if h.len() == 0 => None,
        Some(h) if h.len() == 43 => {
            if !is_base64(h.bytes()) {
                return Err(ParseError::new("Invalid last_hash: not base64"));
            }
            Some(String::from_utf8_lossy(h.bytes()).into_owned())
        }
        Some(_) => {
            return Err(ParseError::new(
                "Invalid last_hash: expected base64 (43 chars)",
            ));
        }
        None => None,
    };
    Ok(Retrieve {
        account,
        namespace: ns.unwrap_or(0),
        last_hash,
        max_count: max_count.unwrap_or(0),
        max_size: max_size.unwrap_or(0),
        timestamp,
        auth,
    })
}

fn load_account_wide(p: &Params<'_>, network: Network, time_field: &str) -> Parsed<AccountWide> {
    let time = p.timestamp(time_field)?;
    let ns = p.namespace("namespace", true)?;
    let account = load_pk(p.str("pubkey")?, network)?;
    let auth = load_auth(p, &account, true)?;
    let time = require(time_field, time)?;
    Ok(AccountWide {
        account,
        namespace: ns.unwrap_or(NsArg::One(0)),
        time,
        auth,
    })
}

fn load_expire(p: &Params<'_>, network: Network) -> Parsed<Expire> {
    let expiry = p.int_list("expiry", "timestamp array")?;
    let extend = p.bool("extend")?;
    let shorten = p.bool("shorten")?;
    let account = load_pk(p.str("pubkey")?, network)?;
    let auth = load_auth(p, &account, true)?;
    let expiry = require("expiry", expiry)?;
    if expiry.is_empty() {
        return Err(ParseError::new(
            "'expiry' does not contain any expiration timestamps",
        ));
    }
    let expiries: Vec<u64> = expiry
        .iter()
        .map(|e| u64::try_from(*e).unwrap_or(0))
        .collect();
    let (shorten, extend) = (shorten.unwrap_or(false), extend.unwrap_or(false));
    if shorten && extend {
        return Err(ParseError::new(
            "cannot specify both 'shorten' and 'extend'",
        ));
    }
    let messages = hashes(p, false)?;
    if expiries.len() > 1 && expiries.len() != messages.len() {
        return Err(ParseError::new(
            "'expiry' must be a single expiry, or the same length as 'messages'",
        ));
    }
    for m in &messages {
        if !(m.len() == 43 && is_base64(m.as_bytes())) {
            return Err(ParseError(format!("invalid message hash: {m}")));
        }
    }
    Ok(Expire {
        account,
        messages,
        expiries,
        shorten,
        extend,
        auth,
    })
}

fn load_revoke(p: &Params<'_>, network: Network, revoke: bool) -> Parsed<Revoke> {
    let field = if revoke { "revoke" } else { "unrevoke" };
    let account = load_pk(p.str("pubkey")?, network)?;
    let auth = load_auth(p, &account, false)?;
    let list = require(field, p.str_list(field)?)?;
    if revoke && list.len() > MAX_SUBACCOUNT_TOKENS {
        return Err(ParseError(format!(
            "invalid revoke: cannot revoke more than {MAX_SUBACCOUNT_TOKENS} subaccounts at once"
        )));
    }
    let mut tokens = Vec::with_capacity(list.len());
    for t in list {
        tokens.push(decode_token(p, t).ok_or_else(|| {
            ParseError(if p.is_json() {
                format!("invalid {field}: expected base64 or hex-encoded subaccount tag")
            } else {
                format!("invalid {field} subaccount: invalid subaccount tag length")
            })
        })?);
    }
    let timestamp = require("timestamp", p.timestamp("timestamp")?)?;
    Ok(Revoke {
        account,
        revoke,
        tokens,
        timestamp,
        auth,
    })
}

fn load_revoked_subaccounts(p: &Params<'_>, network: Network) -> Parsed<RevokedSubaccounts> {
    // The storage server reads (and type-checks) every field, in key order, before it looks
    // at any value.
    let pk = p.str("pubkey")?;
    p.str("pubkey_ed25519")?;
    p.str("signature")?;
    let timestamp = p.timestamp("timestamp")?;
    let account = load_pk(pk, network)?;
    // `pubkey_ed25519` is checked for form here, then left unused by the signature check.
    let auth = load_auth(p, &account, false)?;
    let timestamp = require("timestamp", timestamp)?;
    Ok(RevokedSubaccounts {
        account,
        timestamp,
        auth,
    })
}

fn fixed<const N: usize>(v: Option<Vec<i64>>) -> Option<[i64; N]> {
    let v = v.filter(|v| !v.is_empty())?;
    let mut out = [0i64; N];
    for (o, x) in out.iter_mut().zip(v.iter()) {
        *o = *x;
    }
    Some(out)
}

fn load_condition(p: &Params<'_>) -> Parsed<Condition> {
    let c = Condition {
        height_at_least: p.int("height_at_least")?,
        height_before: p.int("height_before")?,
        hf_at_least: fixed(p.int_list("hf_at_least", "integer array")?),
        hf_before: fixed(p.int_list("hf_before", "integer array")?),
        v_at_least: fixed(p.int_list("v_at_least", "integer array")?),
        v_before: fixed(p.int_list("v_before", "integer array")?),
    };
    if c == Condition::default() {
        return Err(ParseError::new(
            "Invalid ifelse request: must specify at least one \"if\" condition",
        ));
    }
    Ok(c)
}

fn load_branch(p: &Params<'_>, key: &str, network: Network, depth: usize) -> Parsed<Option<Rpc>> {
    if !p.has(key) {
        return Ok(None);
    }
    let Some(branch) = p.nested(key) else {
        return Err(ParseError(format!(
            "Invalid ifelse request: {key} must be an object"
        )));
    };
    let method = branch.str("method").ok().flatten();
    let params = branch.nested("params");
    let (Some(method), Some(params)) = (method, params) else {
        return Err(ParseError(format!(
            "Invalid ifelse request: {key} must have method/params keys"
        )));
    };
    let method = core::str::from_utf8(method.bytes()).unwrap_or("");
    if !METHODS.contains(&method) {
        return Err(ParseError(format!(
            "Invalid ifelse request method \"{key}\""
        )));
    }
    parse_method(method, &params, network, depth + 1).map(Some)
}

fn load_batch(p: &Params<'_>, network: Network, depth: usize) -> Parsed<Vec<Rpc>> {
    let items: Vec<Params<'_>> = match p {
        Params::Json(_) => match p.raw_json("requests") {
            Some(Json::Array(a)) if !a.is_empty() => {
                if a.len() > MAX_SUBREQUESTS {
                    return Err(ParseError::new(
                        "Invalid batch request: subrequest limit exceeded",
                    ));
                }
                let mut v = Vec::with_capacity(a.len());
                for j in a {
                    let Json::Object(m) = j else {
                        return Err(ParseError::new(
                            "Invalid batch request: requests must be objects",
                        ));
                    };
                    v.push(Params::Json(m));
                }
                v
            }
            _ => {
                return Err(ParseError::new(
                    "Invalid batch request: no valid \"requests\" field",
                ));
            }
        },
        Params::Bt(_) => match p.raw_bt("requests") {
            Some(session_core::bencode::Value::List(l)) => {
                if l.is_empty() {
                    return Err(ParseError::new(
                        "Invalid batch request: empty \"requests\" list",
                    ));
                }
                let mut v = Vec::with_capacity(l.len().min(MAX_SUBREQUESTS));
                for item in l {
                    let session_core::bencode::Value::Dict(d) = item else {
                        return Err(ParseError::new(
                            "Invalid batch request: requests must be dicts",
                        ));
                    };
                    if v.len() >= MAX_SUBREQUESTS {
                        return Err(ParseError::new(
                            "Invalid batch request: subrequest limit exceeded",
                        ));
                    }
                    v.push(Params::Bt(d));
                }
                v
            }
            _ => {
                return Err(ParseError::new(
                    "Invalid batch request: no valid \"requests\" field",
                ));
            }
        },
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let method = item.str("method").ok().flatten();
        let params = item.nested("params");
        let (Some(method), Some(params)) = (method, params) else {
            return Err(ParseError::new(
                "Invalid batch request: subrequests must have method/params keys",
            ));
        };
        let method = String::from_utf8_lossy(method.bytes());
        if !METHODS.contains(&method.as_ref()) {
            return Err(ParseError(format!(
                "Invalid batch subrequest: invalid method \"{method}\""
            )));
        }
        let rpc = parse_method(&method, &params, network, depth + 1)?;
        if rpc.is_meta() {
            return Err(ParseError::new(
                "Invalid batch subrequest: subrequests may not contain meta-requests",
            ));
        }
        out.push(rpc);
    }
    Ok(out)
}

/// Deepest nesting of `ifelse` requests accepted (the reference has no limit; a bound keeps
/// the parser's recursion finite).
const MAX_NESTING: usize = 8;

/// Parses the params of `method`. `Ok(None)` when the method is unknown.
pub(crate) fn parse_method(
    method: &str,
    p: &Params<'_>,
    network: Network,
    depth: usize,
) -> Parsed<Rpc> {
    if depth > MAX_NESTING {
        return Err(ParseError::new("request nesting too deep"));
    }
    Ok(match method {
        "store" => Rpc::Store(load_store(p, network)?),
        "retrieve" => Rpc::Retrieve(load_retrieve(p, network)?),
        "delete" => {
            let account = load_pk(p.str("pubkey")?, network)?;
            let auth = load_auth(p, &account, true)?;
            let messages = hashes(p, true)?;
            let required = p.bool("required")?.unwrap_or(false);
            Rpc::Delete(Delete {
                account,
                messages,
                required,
                auth,
            })
        }
        "delete_all" => Rpc::DeleteAll(load_account_wide(p, network, "timestamp")?),
        "delete_before" => Rpc::DeleteBefore(load_account_wide(p, network, "before")?),
        "expire_all" => Rpc::ExpireAll(load_account_wide(p, network, "expiry")?),
        "expire" => Rpc::Expire(load_expire(p, network)?),
        "get_expiries" => {
            let account = load_pk(p.str("pubkey")?, network)?;
            let auth = load_auth(p, &account, true)?;
            let timestamp = require("timestamp", p.timestamp("timestamp")?)?;
            let messages = hashes(p, false)?;
            Rpc::GetExpiries(GetExpiries {
                account,
                messages,
                timestamp,
                auth,
            })
        }
        "revoke_subaccount" => Rpc::Revoke(load_revoke(p, network, true)?),
        "unrevoke_subaccount" => Rpc::Revoke(load_revoke(p, network, false)?),
        "revoked_subaccounts" => Rpc::RevokedSubaccounts(load_revoked_subaccounts(p, network)?),
        "info" => Rpc::Info,
        "active_nodes_bin" => Rpc::ActiveNodesBin,
        "get_swarm" | "get_snodes_for_pubkey" => {
            let pk = require("pubkey", pubkey_alias(p)?)?;
            Rpc::GetSwarm(
                parse_pubkey(pk, network)
                    .ok_or_else(|| ParseError::new("Pubkey must be 66 hex digits/33 bytes long"))?,
            )
        }
        "oxend_request" => {
            let endpoint = require("endpoint", p.str("endpoint")?)?;
            let endpoint = String::from_utf8_lossy(endpoint.bytes()).into_owned();
            if endpoint != "get_service_nodes" && endpoint != "ons_resolve" {
                return Err(ParseError(format!("Invalid oxend endpoint '{endpoint}'")));
            }
            let params = match p {
                Params::Json(_) => p.raw_json("params").cloned(),
                Params::Bt(_) => match p.str("params")? {
                    None => None,
                    Some(s) => {
                        let v: Json = serde_json::from_slice(s.bytes()).map_err(|_| {
                            ParseError::new(
                                "oxend_request params field does not contain valid json",
                            )
                        })?;
                        Some(v).filter(|v| !v.is_null())
                    }
                },
            };
            Rpc::OxendRequest { endpoint, params }
        }
        "batch" => Rpc::Batch(load_batch(p, network, depth)?),
        "sequence" => Rpc::Sequence(load_batch(p, network, depth)?),
        "ifelse" => {
            let Some(cond) = p.nested("if") else {
                return Err(ParseError::new(
                    "Invalid ifelse request: no valid \"if\" field",
                ));
            };
            let condition = load_condition(&cond)?;
            let then = load_branch(p, "then", network, depth)?;
            let otherwise = load_branch(p, "else", network, depth)?;
            if then.is_none() && otherwise.is_none() {
                return Err(ParseError::new(
                    "Invalid ifelse request: at least one of \"then\"/\"else\" required",
                ));
            }
            Rpc::IfElse(Box::new(IfElse {
                condition,
                then,
                otherwise,
            }))
        }
        other => return Err(ParseError(format!("no method {other}"))),
    })
}
