//! `monitor.messages` push subscriptions: who wants to hear about new messages of which
//! accounts and namespaces, for how long, and the notifications a store produces.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use session_core::bencode::{self, Value as Bt};
use session_core::identity::x25519_from_ed25519;
use session_core::{AccountId, Ed25519PublicKey, Namespace, Timestamp};
use session_storage::StoredMessage;
use session_storage::policy::{Auth, MonitorRequest, Verifier};
use session_storage::{Binary, RevocationStore, VerifyError};

use crate::value::Value;

/// How long a subscription lasts without renewal: 65 minutes.
pub const SUBSCRIPTION_MS: u64 = 65 * 60 * 1000;

/// The error codes of `monitor.messages` replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MonitorError {
    /// Malformed request.
    BadArgs = 1,
    /// A malformed or invalid key.
    BadPubkey = 2,
    /// Namespaces not in ascending order.
    BadNamespaces = 3,
    /// Signature timestamp outside now − 14 days ..= now + 1 day.
    BadTimestamp = 4,
    /// The signature (or subaccount) does not verify.
    BadSignature = 5,
}

/// A notification for one subscriber: a bencoded dict with keys `@` (33-byte account), `h`
/// (hash), `n` (namespace), `t` (timestamp), `z` (expiry) and, if the subscriber asked for
/// data, `~` (the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The subscriber's connection id, as passed to [`crate::Node::monitor`].
    pub subscriber: u64,
    /// The bencoded notification (`notify.message`).
    pub body: Vec<u8>,
}

#[derive(Debug, Clone)]
struct Subscription {
    namespaces: Vec<Namespace>,
    want_data: bool,
    expiry: Timestamp,
}

/// The subscriptions of a node, by account then connection.
#[derive(Debug, Clone, Default)]
pub(crate) struct Monitors {
    subs: BTreeMap<[u8; 33], BTreeMap<u64, Subscription>>,
}

fn error(code: MonitorError, text: &str) -> Value {
    Value::dict()
        .with("errcode", Value::Int(code as i64))
        .with("error", text)
}

/// The two sorted namespace lists merged, without duplicates.
fn merge(a: &[Namespace], b: &[Namespace]) -> Vec<Namespace> {
    let mut v: Vec<Namespace> = a.iter().chain(b.iter()).copied().collect();
    v.sort();
    v.dedup();
    v
}

struct Accepted {
    account: AccountId,
    namespaces: Vec<Namespace>,
    want_data: bool,
}

fn bytes<'a>(d: &'a [(&'a [u8], Bt<'a>)], key: &str) -> Result<Option<&'a [u8]>, Value> {
    match d.iter().find(|(k, _)| *k == key.as_bytes()) {
        None => Ok(None),
        Some((_, Bt::Bytes(b))) => Ok(Some(b)),
        Some(_) => Err(error(
            MonitorError::BadArgs,
            &format!("Invalid arguments: {key} must be a string"),
        )),
    }
}

fn single<R: RevocationStore + ?Sized>(
    d: &[(&[u8], Bt<'_>)],
    now: Timestamp,
    revocations: &R,
) -> Result<Accepted, Value> {
    let ed_pk = bytes(d, "P")?;
    if ed_pk.is_some_and(|p| p.len() != 32) {
        return Err(error(
            MonitorError::BadPubkey,
            "Provided P= Session Ed25519 pubkey must be 32 bytes",
        ));
    }
    let mut subaccount: Option<(&[u8], &[u8])> = None;
    if let Some(sig) = bytes(d, "S")? {
        if sig.len() != 64 {
            return Err(error(
                MonitorError::BadPubkey,
                "Provided S subaccount signature must be 64 bytes",
            ));
        }
        let Some(token) = bytes(d, "T")? else {
            return Err(error(
                MonitorError::BadArgs,
                "Invalid arguments: missing required T= subaccount token",
            ));
        };
        if token.len() != 36 {
            return Err(error(
                MonitorError::BadPubkey,
                "Provided T subaccount token must be 36 bytes",
            ));
        }
        subaccount = Some((token, sig));
    }
    let want_data = match d.iter().find(|(k, _)| *k == b"d") {
        None => false,
        Some((_, Bt::Int(0))) => false,
        Some((_, Bt::Int(1))) => true,
        Some(_) => {
            return Err(error(
                MonitorError::BadArgs,
                "Invalid arguments: d= must be 0 or 1",
            ));
        }
    };
    let Some((_, Bt::List(ns))) = d.iter().find(|(k, _)| *k == b"n") else {
        return Err(error(
            MonitorError::BadArgs,
            "Invalid arguments: n= namespace list is required",
        ));
    };
    let mut namespaces: Vec<Namespace> = Vec::with_capacity(ns.len().min(64));
    for item in ns {
        let n = item
            .as_int()
            .and_then(|i| i16::try_from(i).ok())
            .ok_or_else(|| {
                error(
                    MonitorError::BadArgs,
                    "Invalid arguments: n= namespaces must be 16-bit integers",
                )
            })?;
        if namespaces.last().is_some_and(|last| n <= last.0) {
            return Err(error(
                MonitorError::BadNamespaces,
                "Invalid n= namespace list: namespaces must be ascending",
            ));
        }
        namespaces.push(Namespace(n));
    }
    if namespaces.is_empty() {
        return Err(error(
            MonitorError::BadArgs,
            "Invalid arguments: n= namespace list is empty",
        ));
    }
    let pubkey = bytes(d, "p")?;
    let account_raw: Option<[u8; 33]> = match (pubkey, ed_pk) {
        (Some(_), Some(_)) => {
            return Err(error(
                MonitorError::BadArgs,
                "Invalid arguments: Cannot provide both p= and P= pubkey values",
            ));
        }
        (Some(p), None) => Some(p.try_into().map_err(|_| {
            error(
                MonitorError::BadPubkey,
                "Provided p= pubkey must be 33 bytes",
            )
        })?),
        (None, Some(_)) => None,
        (None, None) => {
            return Err(error(
                MonitorError::BadArgs,
                "Invalid arguments: Either p= or P= must be given",
            ));
        }
    };
    let Some(signature) = bytes(d, "s")? else {
        return Err(error(
            MonitorError::BadArgs,
            "Invalid arguments: missing required s= signature",
        ));
    };
    if signature.len() != 64 {
        return Err(error(
            MonitorError::BadSignature,
            "Provided s= signature must be 64 bytes",
        ));
    }
    let Some((_, t)) = d.iter().find(|(k, _)| *k == b"t") else {
        return Err(error(
            MonitorError::BadArgs,
            "Invalid arguments: required signature timestamp is missing",
        ));
    };
    let Some(t) = t.as_int() else {
        return Err(error(
            MonitorError::BadArgs,
            "Invalid arguments: t= must be an integer",
        ));
    };
    let t = u64::try_from(t).unwrap_or(0);
    let account = match (account_raw, ed_pk) {
        (Some(raw), _) => {
            let [prefix, key @ ..] = raw;
            AccountId::new(prefix, key)
        }
        (None, Some(ed)) => {
            let ed: [u8; 32] = ed.try_into().unwrap_or([0; 32]);
            match x25519_from_ed25519(&Ed25519PublicKey::from_bytes(ed)) {
                Ok(x) => AccountId::new(0x05, *x.as_bytes()),
                Err(_) => {
                    return Err(error(
                        MonitorError::BadPubkey,
                        "Invalid P= ed25519 public key",
                    ));
                }
            }
        }
        (None, None) => return Err(error(MonitorError::BadArgs, "Invalid arguments")),
    };
    let mut auth = Auth::signature(Binary::Raw(signature));
    if let Some(ed) = ed_pk {
        auth = auth.with_ed25519(Binary::Raw(ed));
    }
    if let Some((token, sig)) = subaccount {
        auth = auth.with_subaccount(Binary::Raw(token), Binary::Raw(sig));
    }
    let request = MonitorRequest {
        account,
        timestamp_secs: t,
        want_data,
        namespaces: &namespaces,
        auth,
    };
    match Verifier::new(now, revocations).validate_monitor(&request) {
        Ok(_) => Ok(Accepted {
            account,
            namespaces,
            want_data,
        }),
        Err(e) => Err(monitor_rejection(&e, subaccount.is_some())),
    }
}

fn monitor_rejection<B>(e: &VerifyError<B>, subaccount: bool) -> Value {
    use session_storage::RequestError as E;
    let VerifyError::Rejected(e) = e else {
        return error(
            MonitorError::BadSignature,
            "Subaccount verification failed: revocation lookup failed",
        );
    };
    match e {
        E::MonitorTimestamp { too_old: true, .. } => error(
            MonitorError::BadTimestamp,
            "Invalid t= signature timestamp: timestamp is too old",
        ),
        E::MonitorTimestamp { .. } => error(
            MonitorError::BadTimestamp,
            "Invalid t= signature timestamp: timestamp is in the future",
        ),
        E::NamespacesNotAscending => error(
            MonitorError::BadNamespaces,
            "Invalid n= namespace list: namespaces must be ascending",
        ),
        E::BadSignature { .. } => {
            error(MonitorError::BadSignature, "Signature verification failed")
        }
        E::InvalidSigningKey | E::Ed25519KeyMismatch => {
            error(MonitorError::BadPubkey, "Invalid P= ed25519 public key")
        }
        other if subaccount => error(
            MonitorError::BadSignature,
            &format!("Subaccount verification failed: {other}"),
        ),
        _ => error(MonitorError::BadSignature, "Signature verification failed"),
    }
}

impl Monitors {
    pub(crate) fn subscribe_with<R: RevocationStore + ?Sized>(
        &mut self,
        now: Timestamp,
        conn: u64,
        body: &[u8],
        revocations: &R,
    ) -> Vec<u8> {
        let bad_shape = || {
            error(
                MonitorError::BadArgs,
                "Invalid arguments: monitor request takes a single bencoded dict or list parameter",
            )
            .to_bencode()
        };
        let (Some(first), Some(last)) = (body.first(), body.last()) else {
            return bad_shape();
        };
        if body.len() < 2 || !matches!(first, b'd' | b'l') || *last != b'e' {
            return bad_shape();
        }
        let parse_failed = || {
            error(
                MonitorError::BadArgs,
                "Invalid arguments: Failed to parse monitor.messages data value",
            )
            .to_bencode()
        };
        let Ok(value) = bencode::decode_lenient(body) else {
            return parse_failed();
        };
        let mut accepted = Vec::new();
        let reply = match &value {
            Bt::Dict(d) => match single(d, now, revocations) {
                Ok(a) => {
                    accepted.push(a);
                    Value::dict().with("success", Value::Int(1))
                }
                Err(e) => e,
            },
            Bt::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let Bt::Dict(d) = item else {
                        return parse_failed();
                    };
                    out.push(match single(d, now, revocations) {
                        Ok(a) => {
                            accepted.push(a);
                            Value::dict().with("success", Value::Int(1))
                        }
                        Err(e) => e,
                    });
                }
                Value::List(out)
            }
            _ => return bad_shape(),
        };
        let expiry = now.saturating_add_millis(SUBSCRIPTION_MS);
        for a in accepted {
            let by_conn = self.subs.entry(a.account.to_bytes()).or_default();
            match by_conn.get_mut(&conn) {
                Some(s) => {
                    s.namespaces = merge(&s.namespaces, &a.namespaces);
                    s.want_data |= a.want_data;
                    s.expiry = expiry;
                }
                None => {
                    by_conn.insert(
                        conn,
                        Subscription {
                            namespaces: a.namespaces,
                            want_data: a.want_data,
                            expiry,
                        },
                    );
                }
            }
        }
        reply.to_bencode()
    }

    /// The notifications a newly stored message produces.
    pub(crate) fn notify(&self, msg: &StoredMessage, now: Timestamp) -> Vec<Notification> {
        let key = msg.account.to_bytes();
        let Some(by_conn) = self.subs.get(&key) else {
            return Vec::new();
        };
        let meta = Value::dict()
            .with("@", Value::Bytes(key.to_vec()))
            .with("h", String::from(msg.hash.to_string().as_str()))
            .with("n", Value::Int(i64::from(msg.namespace.0)))
            .with("t", msg.timestamp.as_millis())
            .with("z", msg.expiry.as_millis());
        let mut with_data: Option<Vec<u8>> = None;
        let mut without: Option<Vec<u8>> = None;
        let mut out = Vec::new();
        for (conn, sub) in by_conn {
            if sub.expiry < now || sub.namespaces.binary_search(&msg.namespace).is_err() {
                continue;
            }
            let body = if sub.want_data {
                with_data
                    .get_or_insert_with(|| {
                        meta.clone()
                            .with("~", Value::Bytes(msg.data.clone()))
                            .to_bencode()
                    })
                    .clone()
            } else {
                without.get_or_insert_with(|| meta.to_bencode()).clone()
            };
            out.push(Notification {
                subscriber: *conn,
                body,
            });
        }
        out
    }

    pub(crate) fn drop_connection(&mut self, conn: u64) {
        for by_conn in self.subs.values_mut() {
            by_conn.remove(&conn);
        }
        self.subs.retain(|_, v| !v.is_empty());
    }

    pub(crate) fn sweep(&mut self, now: Timestamp) {
        for by_conn in self.subs.values_mut() {
            by_conn.retain(|_, s| s.expiry >= now);
        }
        self.subs.retain(|_, v| !v.is_empty());
    }
}
