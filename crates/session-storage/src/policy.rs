//! The storage server's request rules, as pure functions.
//!
//! Each `validate_*` method of [`Verifier`] takes a request as it arrived (binary fields raw or
//! as text, see [`Binary`]), checks it in the storage server's order (TTL, clock, signature,
//! subaccount permissions) and returns a validated command for a backend, or the [`Error`]
//! naming the broken rule and its values. Nothing here touches a store except to ask whether a
//! subaccount token is revoked; the time is the caller's `now`.
//!
//! The byte strings that clients sign are built by the [`payload`] functions.

use alloc::string::String;
use alloc::vec::Vec;

use session_core::identity::x25519_from_ed25519;
use session_core::{AccountId, Ed25519PublicKey, MessageHash, Namespace, Timestamp};

use crate::backend::RevocationStore;
use crate::error::{Error, Operation, Result};
use crate::text::Binary;
use crate::types::{
    ExpiryMode, NamespaceSelector, RetrieveQuery, SizeModel, StoredMessage, SubaccountFlags,
    SubaccountToken,
};

/// Largest message data, bytes.
pub const MAX_DATA_BYTES: usize = 76_800;
/// Largest message data as base64 text, characters.
pub const MAX_DATA_BASE64_CHARS: usize = 102_400;
/// How far a store's timestamp may lie in the future, and its expiry in the past.
pub const STORE_TOLERANCE_MS: u64 = 10_000;
/// How far a signed timestamp may be from now.
pub const SIGNATURE_TOLERANCE_MS: u64 = 60_000;
/// The same, for requests forwarded by a swarm peer.
pub const SIGNATURE_TOLERANCE_FORWARDED_MS: u64 = 70_000;
/// A retrieve's largest page, bytes under [`SizeModel::SERVER`].
pub const RETRIEVE_MAX_SIZE: u64 = 7_800_000;
/// The page size used when a retrieve gives neither limit: `RETRIEVE_MAX_SIZE / 5`.
pub const RETRIEVE_DEFAULT_MAX_SIZE: i64 = -5;
/// Most tokens in one revoke/unrevoke request.
pub const MAX_TOKENS_PER_REQUEST: usize = 50;
/// Expiries set by `expire` are clamped to `now` plus this.
pub const EXPIRE_MAX_AHEAD_MS: u64 = Namespace::TTL_MAX_PRIVATE_MS;
/// Timestamps below this are taken to be seconds, and rejected.
pub const MIN_MILLIS_TIMESTAMP: u64 = 1_000_000_000;
/// How often the storage server sweeps expired messages.
pub const CLEANUP_PERIOD_MS: u64 = 10_000;
/// The storage server's database size limit: 3.5 GiB.
pub const DB_SIZE_LIMIT_BYTES: u64 = 3584 * 1024 * 1024;
/// Most subrequests in one `batch` / `sequence` request.
pub const MAX_BATCH_SUBREQUESTS: usize = 20;
/// How long a `monitor.messages` subscription lasts, seconds.
pub const MONITOR_EXPIRY_SECS: u64 = 3900;

mod monitor;
pub use monitor::{MONITOR_MAX_AGE_SECS, MONITOR_MAX_AHEAD_SECS, MonitorCommand, MonitorRequest};

/// The signed-request byte strings of every endpoint. `dec` is ASCII decimal.
pub mod payload {
    pub use super::monitor::payload as monitor;
    use super::*;
    use alloc::string::ToString as _;

    fn cat(parts: &[&[u8]]) -> Vec<u8> {
        let mut v = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
        for p in parts {
            v.extend_from_slice(p);
        }
        v
    }

    fn dec(v: u64) -> String {
        use core::fmt::Write as _;
        let mut s = String::new();
        let _ = write!(s, "{v}");
        s
    }

    /// `"store" ‖ ns ‖ dec(sig_timestamp)`.
    #[must_use]
    pub fn store(ns: Namespace, sig_timestamp: Timestamp) -> Vec<u8> {
        cat(&[
            b"store",
            ns.sig_str().as_bytes(),
            dec(sig_timestamp.0).as_bytes(),
        ])
    }

    /// `"retrieve" ‖ ns ‖ dec(timestamp)`.
    #[must_use]
    pub fn retrieve(ns: Namespace, timestamp: Timestamp) -> Vec<u8> {
        cat(&[
            b"retrieve",
            ns.sig_str().as_bytes(),
            dec(timestamp.0).as_bytes(),
        ])
    }

    /// `"delete" ‖ hash1 ‖ hash2 ‖ …` (no timestamp: such requests can be replayed).
    #[must_use]
    pub fn delete(hashes: &[MessageHash]) -> Vec<u8> {
        let mut v = b"delete".to_vec();
        for h in hashes {
            v.extend_from_slice(h.to_string().as_bytes());
        }
        v
    }

    /// `"delete_all" ‖ ns-or-"all" ‖ dec(timestamp)`.
    #[must_use]
    pub fn delete_all(sel: NamespaceSelector, timestamp: Timestamp) -> Vec<u8> {
        cat(&[
            b"delete_all",
            sel.sig_str().as_bytes(),
            dec(timestamp.0).as_bytes(),
        ])
    }

    /// `"delete_before" ‖ ns-or-"all" ‖ dec(before)`.
    #[must_use]
    pub fn delete_before(sel: NamespaceSelector, before: Timestamp) -> Vec<u8> {
        cat(&[
            b"delete_before",
            sel.sig_str().as_bytes(),
            dec(before.0).as_bytes(),
        ])
    }

    /// `"expire_all" ‖ ns-or-"all" ‖ dec(expiry)`.
    #[must_use]
    pub fn expire_all(sel: NamespaceSelector, expiry: Timestamp) -> Vec<u8> {
        cat(&[
            b"expire_all",
            sel.sig_str().as_bytes(),
            dec(expiry.0).as_bytes(),
        ])
    }

    /// `"expire" ‖ ("shorten"|"extend"|"") ‖ dec(exp1) [‖ dec(exp2)…] ‖ hash1 ‖ hash2 ‖ …`, with
    /// the expiries as requested (before clamping).
    #[must_use]
    pub fn expire(mode: ExpiryMode, expiries: &[Timestamp], hashes: &[MessageHash]) -> Vec<u8> {
        let mut v = b"expire".to_vec();
        v.extend_from_slice(match mode {
            ExpiryMode::Set => b"".as_slice(),
            ExpiryMode::ExtendOnly => b"extend",
            ExpiryMode::ShortenOnly => b"shorten",
        });
        for e in expiries {
            v.extend_from_slice(dec(e.0).as_bytes());
        }
        for h in hashes {
            v.extend_from_slice(h.to_string().as_bytes());
        }
        v
    }

    /// `"get_expiries" ‖ dec(timestamp) ‖ hash1 ‖ …`.
    #[must_use]
    pub fn get_expiries(timestamp: Timestamp, hashes: &[MessageHash]) -> Vec<u8> {
        let mut v = cat(&[b"get_expiries", dec(timestamp.0).as_bytes()]);
        for h in hashes {
            v.extend_from_slice(h.to_string().as_bytes());
        }
        v
    }

    /// `"revoke_subaccount" ‖ dec(timestamp) ‖ token1 ‖ …` (raw 36-byte tokens), or
    /// `"unrevoke_subaccount" ‖ …` when `revoke` is false.
    #[must_use]
    pub fn revoke(revoke: bool, timestamp: Timestamp, tokens: &[SubaccountToken]) -> Vec<u8> {
        let name: &[u8] = if revoke {
            b"revoke_subaccount"
        } else {
            b"unrevoke_subaccount"
        };
        let mut v = cat(&[name, dec(timestamp.0).as_bytes()]);
        for t in tokens {
            v.extend_from_slice(&t.0);
        }
        v
    }
}

/// The byte strings a node signs in its replies, with `PUBKEY_HEX` the account's
/// 66 lowercase hex characters and hash lists in the order the caller gives (replies sort
/// them by text: see [`sort_by_hash_text`](crate::sort_by_hash_text)).
pub mod response {
    use super::*;
    use alloc::string::ToString as _;

    fn start(account: &AccountId) -> Vec<u8> {
        account.to_string().into_bytes()
    }

    fn push_hashes(v: &mut Vec<u8>, hashes: &[MessageHash]) {
        for h in hashes {
            v.extend_from_slice(h.to_string().as_bytes());
        }
    }

    /// `store`: the hash's 43 characters.
    #[must_use]
    pub fn store(hash: &MessageHash) -> Vec<u8> {
        hash.to_string().into_bytes()
    }

    /// `delete`: `PUBKEY_HEX ‖ requested hashes (request order) ‖ deleted hashes (sorted)`.
    #[must_use]
    pub fn delete(
        account: &AccountId,
        requested: &[MessageHash],
        deleted: &[MessageHash],
    ) -> Vec<u8> {
        let mut v = start(account);
        push_hashes(&mut v, requested);
        push_hashes(&mut v, deleted);
        v
    }

    /// `delete_all` / `delete_before` / `expire_all`: `PUBKEY_HEX ‖ dec(time) ‖ hashes
    /// (sorted, across every namespace for "all")`, where time is the request's timestamp,
    /// `before` or expiry.
    #[must_use]
    pub fn account_wide(account: &AccountId, time: Timestamp, hashes: &[MessageHash]) -> Vec<u8> {
        let mut v = start(account);
        v.extend_from_slice(time.as_millis().to_string().as_bytes());
        push_hashes(&mut v, hashes);
        v
    }

    /// `expire`: `PUBKEY_HEX ‖ dec(expiry)… ‖ requested ‖ updated (sorted) ‖ (hash ‖
    /// dec(expiry)) for each unchanged message, sorted by hash`.
    #[must_use]
    pub fn expire(
        account: &AccountId,
        expiries: &[Timestamp],
        requested: &[MessageHash],
        updated: &[MessageHash],
        unchanged: &[(MessageHash, Timestamp)],
    ) -> Vec<u8> {
        let mut v = start(account);
        for e in expiries {
            v.extend_from_slice(e.as_millis().to_string().as_bytes());
        }
        push_hashes(&mut v, requested);
        push_hashes(&mut v, updated);
        for (h, e) in unchanged {
            v.extend_from_slice(h.to_string().as_bytes());
            v.extend_from_slice(e.as_millis().to_string().as_bytes());
        }
        v
    }

    /// `revoke_subaccount` / `unrevoke_subaccount`: `PUBKEY_HEX ‖ dec(timestamp) ‖ tokens`.
    #[must_use]
    pub fn revoke(
        account: &AccountId,
        timestamp: Timestamp,
        tokens: &[SubaccountToken],
    ) -> Vec<u8> {
        let mut v = start(account);
        v.extend_from_slice(timestamp.as_millis().to_string().as_bytes());
        for t in tokens {
            v.extend_from_slice(&t.0);
        }
        v
    }
}

/// A namespace argument as it arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamespaceArg<'a> {
    /// Not given: namespace 0.
    Omitted,
    /// An integer.
    Int(i64),
    /// Text: an integer, or `all` where the operation allows it.
    Text(&'a str),
}

impl NamespaceArg<'_> {
    fn resolve(self, operation: Operation, all_allowed: bool) -> Result<NamespaceSelector> {
        let int = |value: i64| {
            i16::try_from(value)
                .map(|n| NamespaceSelector::One(Namespace(n)))
                .map_err(|_| Error::NamespaceOutOfRange { operation, value })
        };
        match self {
            Self::Omitted => Ok(NamespaceSelector::One(Namespace::DEFAULT)),
            Self::Int(v) => int(v),
            Self::Text("all") if all_allowed => Ok(NamespaceSelector::All),
            Self::Text(t) => match t.parse::<i64>() {
                Ok(v) => int(v),
                Err(_) => Err(Error::UnknownNamespace {
                    operation,
                    text: String::from(t),
                    all_allowed,
                }),
            },
        }
    }

    fn one(self, operation: Operation) -> Result<Namespace> {
        match self.resolve(operation, false)? {
            NamespaceSelector::One(ns) => Ok(ns),
            NamespaceSelector::All => Ok(Namespace::DEFAULT),
        }
    }
}

/// A request's authentication fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth<'a> {
    /// The 64-byte Ed25519 signature over the request's [`payload`].
    pub signature: Binary<'a>,
    /// For `05` accounts: the Ed25519 key whose X25519 form is the account key.
    pub pubkey_ed25519: Option<Binary<'a>>,
    /// A subaccount token (36 bytes) and the account's signature over it.
    pub subaccount: Option<(Binary<'a>, Binary<'a>)>,
}

impl<'a> Auth<'a> {
    /// Authentication by the account's own key.
    #[must_use]
    pub const fn signature(signature: Binary<'a>) -> Self {
        Self {
            signature,
            pubkey_ed25519: None,
            subaccount: None,
        }
    }

    /// With the `pubkey_ed25519` field.
    #[must_use]
    pub const fn with_ed25519(mut self, key: Binary<'a>) -> Self {
        self.pubkey_ed25519 = Some(key);
        self
    }

    /// With a subaccount token and its signature.
    #[must_use]
    pub const fn with_subaccount(mut self, token: Binary<'a>, token_sig: Binary<'a>) -> Self {
        self.subaccount = Some((token, token_sig));
        self
    }
}

/// Who signed a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    /// Nobody (a namespace that needs no signature).
    Anonymous,
    /// The account's own key.
    Account,
    /// A subaccount of it.
    Subaccount(SubaccountToken),
}

/// How a store gives the message's lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Relative to the message timestamp, milliseconds.
    Ttl(u64),
    /// Absolute.
    Expiry(Timestamp),
}

/// A `store` request.
#[derive(Debug, Clone, Copy)]
pub struct StoreRequest<'a> {
    /// The owner.
    pub account: AccountId,
    /// The namespace.
    pub namespace: NamespaceArg<'a>,
    /// The message timestamp, ms.
    pub timestamp: u64,
    /// TTL or expiry.
    pub lifetime: Lifetime,
    /// The data.
    pub data: Binary<'a>,
    /// The signed timestamp if it differs from `timestamp`.
    pub sig_timestamp: Option<u64>,
    /// Authentication (needed outside public inboxes).
    pub auth: Option<Auth<'a>>,
}

/// A validated store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreCommand {
    /// The message to store, hash computed.
    pub message: StoredMessage,
    /// Who signed.
    pub signer: Signer,
}

/// A `retrieve` request.
#[derive(Debug, Clone, Copy)]
pub struct RetrieveRequest<'a> {
    /// The owner.
    pub account: AccountId,
    /// The namespace.
    pub namespace: NamespaceArg<'a>,
    /// Continue after this hash (`""` or `None`: from the start).
    pub last_hash: Option<&'a str>,
    /// At most this many messages (0 or negative: unset).
    pub max_count: i64,
    /// Byte limit: positive bytes (capped), negative `−k` for `RETRIEVE_MAX_SIZE / k`, 0 unset.
    pub max_size: i64,
    /// The signed timestamp, ms.
    pub timestamp: u64,
    /// Authentication (needed outside the no-auth namespaces).
    pub auth: Option<Auth<'a>>,
}

/// A validated retrieve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrieveCommand {
    /// The backend query.
    pub query: RetrieveQuery,
    /// Who signed.
    pub signer: Signer,
}

/// A `delete` (by hash) request.
#[derive(Debug, Clone, Copy)]
pub struct DeleteRequest<'a> {
    /// The owner.
    pub account: AccountId,
    /// The hashes, 43-character base64 each.
    pub messages: &'a [&'a str],
    /// Authentication.
    pub auth: Option<Auth<'a>>,
}

/// A validated delete by hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteCommand {
    /// The owner.
    pub account: AccountId,
    /// The hashes, in request order.
    pub hashes: Vec<MessageHash>,
    /// Who signed.
    pub signer: Signer,
}

/// A `delete_all`, `delete_before` or `expire_all` request: an account, namespaces, one
/// signed time value.
#[derive(Debug, Clone, Copy)]
pub struct AccountWideRequest<'a> {
    /// The owner.
    pub account: AccountId,
    /// One namespace or `all`.
    pub namespace: NamespaceArg<'a>,
    /// `timestamp` (delete_all), `before` (delete_before) or `expiry` (expire_all), ms.
    pub time: u64,
    /// Authentication.
    pub auth: Option<Auth<'a>>,
}

/// A validated `delete_all`, `delete_before` or `expire_all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountWideCommand {
    /// The owner.
    pub account: AccountId,
    /// The namespaces.
    pub namespaces: NamespaceSelector,
    /// The signed time value.
    pub time: Timestamp,
    /// Who signed.
    pub signer: Signer,
}

/// An `expire` request.
#[derive(Debug, Clone, Copy)]
pub struct ExpireRequest<'a> {
    /// The owner.
    pub account: AccountId,
    /// The hashes.
    pub messages: &'a [&'a str],
    /// One expiry for all, or one per hash.
    pub expiries: &'a [u64],
    /// Only shorten.
    pub shorten: bool,
    /// Only extend.
    pub extend: bool,
    /// Authentication.
    pub auth: Option<Auth<'a>>,
}

/// A validated `expire`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpireCommand {
    /// The owner.
    pub account: AccountId,
    /// `(hash, clamped expiry)` pairs.
    pub changes: Vec<(MessageHash, Timestamp)>,
    /// The mode (a write-only subaccount's plain request becomes `ExtendOnly`).
    pub mode: ExpiryMode,
    /// Who signed.
    pub signer: Signer,
}

/// A `get_expiries` request.
#[derive(Debug, Clone, Copy)]
pub struct GetExpiriesRequest<'a> {
    /// The owner.
    pub account: AccountId,
    /// The hashes.
    pub messages: &'a [&'a str],
    /// The signed timestamp.
    pub timestamp: u64,
    /// Authentication.
    pub auth: Option<Auth<'a>>,
}

/// A validated `get_expiries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetExpiriesCommand {
    /// The owner.
    pub account: AccountId,
    /// The hashes.
    pub hashes: Vec<MessageHash>,
    /// Who signed.
    pub signer: Signer,
}

/// A `revoke_subaccount` / `unrevoke_subaccount` request.
#[derive(Debug, Clone, Copy)]
pub struct RevokeRequest<'a> {
    /// The owner.
    pub account: AccountId,
    /// `true` to revoke, `false` to unrevoke.
    pub revoke: bool,
    /// The tokens, 36 bytes each.
    pub tokens: &'a [Binary<'a>],
    /// The signed timestamp.
    pub timestamp: u64,
    /// Authentication (the account's own key only).
    pub auth: Option<Auth<'a>>,
}

/// A validated revoke or unrevoke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokeCommand {
    /// The owner.
    pub account: AccountId,
    /// Revoke (`true`) or unrevoke.
    pub revoke: bool,
    /// The tokens.
    pub tokens: Vec<SubaccountToken>,
    /// The signed timestamp, which becomes the revocation time.
    pub timestamp: Timestamp,
}

/// Validates requests at one point in time.
///
/// ```
/// use session_core::{AccountId, Timestamp};
/// use session_storage::policy::{Lifetime, NamespaceArg, StoreRequest, Verifier};
/// use session_storage::{Binary, MemoryStore, StoreOutcome, MessageWriter};
///
/// let mut store = MemoryStore::new();
/// let now = Timestamp::from_millis(1_700_000_000_000);
/// let request = StoreRequest {
///     account: AccountId::new(0x05, [9; 32]),
///     namespace: NamespaceArg::Omitted, // 0: a public inbox, no signature needed
///     timestamp: now.as_millis(),
///     lifetime: Lifetime::Ttl(3_600_000),
///     data: Binary::Base64("aGVsbG8="),
///     sig_timestamp: None,
///     auth: None,
/// };
/// let command = Verifier::new(now, &store).validate_store(&request)?;
/// assert_eq!(store.store(&command.message, now)?, StoreOutcome::New);
///
/// let too_long = StoreRequest { lifetime: Lifetime::Ttl(15 * 86_400_000), ..request };
/// let err = Verifier::new(now, &store).validate_store(&too_long).unwrap_err();
/// assert_eq!(err.to_string(), "store: ttl of 1296000000 ms exceeds the maximum of 1209600000 ms for namespace 0");
/// # Ok::<(), session_storage::Error>(())
/// ```
pub struct Verifier<'r> {
    now: Timestamp,
    forwarded: bool,
    revocations: &'r dyn RevocationStore,
}

impl core::fmt::Debug for Verifier<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("now", &self.now)
            .field("forwarded", &self.forwarded)
            .finish_non_exhaustive()
    }
}

fn field_err(operation: Operation, field: &'static str) -> impl Fn(session_core::Error) -> Error {
    move |source| Error::InvalidField {
        operation,
        field,
        source,
    }
}

fn parse_hashes(operation: Operation, messages: &[&str]) -> Result<Vec<MessageHash>> {
    if messages.is_empty() {
        return Err(Error::EmptyList {
            operation,
            field: "messages",
        });
    }
    messages
        .iter()
        .map(|m| {
            m.parse::<MessageHash>()
                .map_err(field_err(operation, "messages"))
        })
        .collect()
}

fn verify(key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(key) else {
        return false;
    };
    let sig = ed25519_dalek::Signature::from_bytes(signature);
    key.verify_strict(message, &sig).is_ok()
}

impl<'r> Verifier<'r> {
    /// A verifier for requests received directly from clients at `now`; subaccount tokens are
    /// checked against `revocations`.
    #[must_use]
    pub fn new(now: Timestamp, revocations: &'r dyn RevocationStore) -> Self {
        Self {
            now,
            forwarded: false,
            revocations,
        }
    }

    /// For requests forwarded by a swarm peer: signed timestamps get ±70 s instead of ±60 s.
    #[must_use]
    pub fn forwarded(mut self) -> Self {
        self.forwarded = true;
        self
    }

    fn sig_tolerance(&self) -> u64 {
        if self.forwarded {
            SIGNATURE_TOLERANCE_FORWARDED_MS
        } else {
            SIGNATURE_TOLERANCE_MS
        }
    }

    fn check_sig_time(&self, operation: Operation, ts: u64) -> Result<()> {
        let tolerance_ms = self.sig_tolerance();
        if ts.abs_diff(self.now.0) > tolerance_ms {
            return Err(Error::StaleTimestamp {
                operation,
                timestamp: Timestamp(ts),
                now: self.now,
                tolerance_ms,
            });
        }
        Ok(())
    }

    /// Checks `auth` over `message` for `account`, in the storage server's order.
    fn authenticate(
        &self,
        operation: Operation,
        account: &AccountId,
        auth: &Auth<'_>,
        message: &[u8],
        required: SubaccountFlags,
        check_revoked: bool,
    ) -> Result<Signer> {
        let signature: [u8; 64] = auth
            .signature
            .decode_array("signature")
            .map_err(field_err(operation, "signature"))?;
        let account_key = match &auth.pubkey_ed25519 {
            Some(ed) => {
                if account.netid() != 0x05 {
                    return Err(Error::Ed25519KeyNotAllowed {
                        netid: account.netid(),
                    });
                }
                let ed: [u8; 32] = ed
                    .decode_array("pubkey_ed25519")
                    .map_err(field_err(operation, "pubkey_ed25519"))?;
                let x = x25519_from_ed25519(&Ed25519PublicKey::from_bytes(ed))
                    .map_err(|_| Error::InvalidSigningKey)?;
                if x.as_bytes() != account.key() {
                    return Err(Error::Ed25519KeyMismatch);
                }
                ed
            }
            None => *account.key(),
        };
        let Some((token, token_sig)) = &auth.subaccount else {
            return if verify(&account_key, message, &signature) {
                Ok(Signer::Account)
            } else {
                Err(Error::BadSignature { operation })
            };
        };
        let token = SubaccountToken(
            token
                .decode_array("subaccount")
                .map_err(field_err(operation, "subaccount"))?,
        );
        let token_sig: [u8; 64] = token_sig
            .decode_array("subaccount_sig")
            .map_err(field_err(operation, "subaccount_sig"))?;
        if check_revoked && self.revocations.is_revoked(account, &token)? {
            return Err(Error::SubaccountRevoked { operation });
        }
        if token.prefix() != account.netid() && !token.flags().contains(SubaccountFlags::ANY_PREFIX)
        {
            return Err(Error::SubaccountPrefixMismatch {
                token: token.prefix(),
                account: account.netid(),
            });
        }
        if !token.flags().contains(required) {
            return Err(Error::SubaccountPermission {
                operation,
                required: required.0,
                present: token.flags().0,
            });
        }
        if !verify(&account_key, &token.0, &token_sig) {
            return Err(Error::BadSubaccountSignature);
        }
        if !verify(&token.key(), message, &signature) {
            return Err(Error::BadSignature { operation });
        }
        Ok(Signer::Subaccount(token))
    }

    fn require_auth<'a>(operation: Operation, auth: &'a Option<Auth<'a>>) -> Result<&'a Auth<'a>> {
        auth.as_ref().ok_or(Error::MissingSignature { operation })
    }

    /// Validates a `store`: TTL, clock, data size, then the signature outside
    /// public inboxes (Write; public outboxes also Delete).
    pub fn validate_store(&self, req: &StoreRequest<'_>) -> Result<StoreCommand> {
        let op = Operation::Store;
        let namespace = req.namespace.one(op)?;
        if req.timestamp < MIN_MILLIS_TIMESTAMP {
            return Err(Error::TimestampNotMillis {
                operation: op,
                timestamp: req.timestamp,
            });
        }
        let timestamp = Timestamp(req.timestamp);
        let expiry = match req.lifetime {
            Lifetime::Ttl(ttl) => timestamp.saturating_add_millis(ttl),
            Lifetime::Expiry(e) => e,
        };
        let ttl_ms = i128::from(expiry.0) - i128::from(timestamp.0);
        if ttl_ms < i128::from(Namespace::TTL_MIN_MS) {
            return Err(Error::TtlTooShort {
                operation: op,
                ttl_ms,
                min_ms: Namespace::TTL_MIN_MS,
            });
        }
        if ttl_ms > i128::from(namespace.max_ttl_ms()) {
            return Err(Error::TtlTooLong {
                ttl_ms,
                max_ms: namespace.max_ttl_ms(),
                namespace,
            });
        }
        if timestamp.0 > self.now.0.saturating_add(STORE_TOLERANCE_MS) {
            return Err(Error::TimestampInFuture {
                timestamp,
                now: self.now,
                tolerance_ms: STORE_TOLERANCE_MS,
            });
        }
        if expiry.0 < self.now.0.saturating_sub(STORE_TOLERANCE_MS) {
            return Err(Error::AlreadyExpired {
                expiry,
                now: self.now,
                tolerance_ms: STORE_TOLERANCE_MS,
            });
        }
        // Refuse oversized text before decoding it, so no large allocation happens for it.
        if let Binary::Base64(t) = req.data
            && t.len() > MAX_DATA_BASE64_CHARS
        {
            return Err(Error::Base64DataTooLong {
                len: t.len(),
                max: MAX_DATA_BASE64_CHARS,
            });
        }
        if let Binary::Raw(b) = req.data
            && b.len() > MAX_DATA_BYTES
        {
            return Err(Error::DataTooLarge {
                len: b.len(),
                max: MAX_DATA_BYTES,
            });
        }
        let data = req.data.decode(MAX_DATA_BYTES).map_err(|e| match e {
            session_core::Error::TooLong { got, .. } => Error::DataTooLarge {
                len: got,
                max: MAX_DATA_BYTES,
            },
            other => field_err(op, "data")(other),
        })?;
        let signer = match (&req.auth, namespace.is_public_inbox()) {
            (None, true) => Signer::Anonymous,
            (None, false) => {
                return Err(Error::SignatureRequired {
                    operation: op,
                    namespace,
                });
            }
            (Some(auth), _) => {
                let sig_ts = req.sig_timestamp.unwrap_or(req.timestamp);
                self.check_sig_time(op, sig_ts)?;
                let required = if namespace.is_public_outbox() {
                    SubaccountFlags::WRITE.union(SubaccountFlags::DELETE)
                } else {
                    SubaccountFlags::WRITE
                };
                self.authenticate(
                    op,
                    &req.account,
                    auth,
                    &payload::store(namespace, Timestamp(sig_ts)),
                    required,
                    true,
                )?
            }
        };
        Ok(StoreCommand {
            message: StoredMessage::new(req.account, namespace, timestamp, expiry, data),
            signer,
        })
    }

    /// Validates a `retrieve`. Any auth given is verified, even where optional.
    pub fn validate_retrieve(&self, req: &RetrieveRequest<'_>) -> Result<RetrieveCommand> {
        let op = Operation::Retrieve;
        let namespace = req.namespace.one(op)?;
        let after = match req.last_hash {
            None | Some("") => None,
            Some(h) => Some(
                h.parse::<MessageHash>()
                    .map_err(field_err(op, "last_hash"))?,
            ),
        };
        let signer = match &req.auth {
            None if namespace.is_noauth_retrieve() => Signer::Anonymous,
            None => {
                return Err(Error::SignatureRequired {
                    operation: op,
                    namespace,
                });
            }
            Some(auth) => {
                self.check_sig_time(op, req.timestamp)?;
                self.authenticate(
                    op,
                    &req.account,
                    auth,
                    &payload::retrieve(namespace, Timestamp(req.timestamp)),
                    SubaccountFlags::READ,
                    !namespace.is_unrevocable(),
                )?
            }
        };
        let max_count = usize::try_from(req.max_count).ok().filter(|&c| c > 0);
        let max_size = if req.max_size == 0 && max_count.is_none() {
            RETRIEVE_DEFAULT_MAX_SIZE
        } else {
            req.max_size
        };
        let max_bytes = match max_size {
            0 => None,
            s if s < 0 => Some(RETRIEVE_MAX_SIZE / s.unsigned_abs()),
            s => Some(s.unsigned_abs().min(RETRIEVE_MAX_SIZE)),
        };
        Ok(RetrieveCommand {
            query: RetrieveQuery {
                account: req.account,
                namespace,
                after,
                max_count,
                max_bytes,
                size_model: SizeModel::SERVER,
            },
            signer,
        })
    }

    /// Validates a `delete` by hash (subaccounts need Delete).
    pub fn validate_delete(&self, req: &DeleteRequest<'_>) -> Result<DeleteCommand> {
        let op = Operation::Delete;
        let hashes = parse_hashes(op, req.messages)?;
        let auth = Self::require_auth(op, &req.auth)?;
        let signer = self.authenticate(
            op,
            &req.account,
            auth,
            &payload::delete(&hashes),
            SubaccountFlags::DELETE,
            true,
        )?;
        Ok(DeleteCommand {
            account: req.account,
            hashes,
            signer,
        })
    }

    fn account_wide(
        &self,
        op: Operation,
        req: &AccountWideRequest<'_>,
        check_time: impl Fn(&Self, u64) -> Result<()>,
        message: impl Fn(NamespaceSelector, Timestamp) -> Vec<u8>,
    ) -> Result<AccountWideCommand> {
        let namespaces = req.namespace.resolve(op, true)?;
        check_time(self, req.time)?;
        let auth = Self::require_auth(op, &req.auth)?;
        let signer = self.authenticate(
            op,
            &req.account,
            auth,
            &message(namespaces, Timestamp(req.time)),
            SubaccountFlags::DELETE,
            true,
        )?;
        Ok(AccountWideCommand {
            account: req.account,
            namespaces,
            time: Timestamp(req.time),
            signer,
        })
    }

    /// Validates a `delete_all`: timestamp within ±60 s; subaccounts need Delete.
    pub fn validate_delete_all(&self, req: &AccountWideRequest<'_>) -> Result<AccountWideCommand> {
        let op = Operation::DeleteAll;
        self.account_wide(op, req, |v, t| v.check_sig_time(op, t), payload::delete_all)
    }

    /// Validates a `delete_before`: `before` at most 60 s ahead; subaccounts need
    /// Delete.
    pub fn validate_delete_before(
        &self,
        req: &AccountWideRequest<'_>,
    ) -> Result<AccountWideCommand> {
        let op = Operation::DeleteBefore;
        self.account_wide(
            op,
            req,
            |v, before| {
                let tolerance_ms = v.sig_tolerance();
                if before > v.now.0.saturating_add(tolerance_ms) {
                    return Err(Error::BeforeInFuture {
                        before: Timestamp(before),
                        now: v.now,
                        tolerance_ms,
                    });
                }
                Ok(())
            },
            payload::delete_before,
        )
    }

    /// Validates an `expire_all`: the expiry at least now − 60 s. It can only
    /// shorten, so subaccounts need Delete.
    pub fn validate_expire_all(&self, req: &AccountWideRequest<'_>) -> Result<AccountWideCommand> {
        let op = Operation::ExpireAll;
        self.account_wide(op, req, |v, e| v.check_not_past(op, e), payload::expire_all)
    }

    fn check_not_past(&self, operation: Operation, expiry: u64) -> Result<()> {
        let tolerance_ms = self.sig_tolerance();
        if expiry < self.now.0.saturating_sub(tolerance_ms) {
            return Err(Error::ExpiryInPast {
                operation,
                expiry: Timestamp(expiry),
                now: self.now,
                tolerance_ms,
            });
        }
        Ok(())
    }

    /// Validates an `expire`: expiries at least now − 60 s, clamped to now + 30 d;
    /// subaccounts need Write, and Delete to shorten; a write-only subaccount's plain request
    /// becomes extend-only.
    pub fn validate_expire(&self, req: &ExpireRequest<'_>) -> Result<ExpireCommand> {
        let op = Operation::Expire;
        let hashes = parse_hashes(op, req.messages)?;
        if req.shorten && req.extend {
            return Err(Error::ShortenAndExtend);
        }
        if req.expiries.len() != 1 && req.expiries.len() != hashes.len() {
            return Err(Error::ExpiryCountMismatch {
                expiries: req.expiries.len(),
                hashes: hashes.len(),
            });
        }
        for &e in req.expiries {
            self.check_not_past(op, e)?;
        }
        let mode = if req.shorten {
            ExpiryMode::ShortenOnly
        } else if req.extend {
            ExpiryMode::ExtendOnly
        } else {
            ExpiryMode::Set
        };
        let requested: Vec<Timestamp> = req.expiries.iter().map(|&e| Timestamp(e)).collect();
        let auth = Self::require_auth(op, &req.auth)?;
        let required = if req.shorten {
            SubaccountFlags::WRITE.union(SubaccountFlags::DELETE)
        } else {
            SubaccountFlags::WRITE
        };
        let signer = self.authenticate(
            op,
            &req.account,
            auth,
            &payload::expire(mode, &requested, &hashes),
            required,
            true,
        )?;
        let mode = match signer {
            Signer::Subaccount(t)
                if mode == ExpiryMode::Set && !t.flags().contains(SubaccountFlags::DELETE) =>
            {
                ExpiryMode::ExtendOnly
            }
            _ => mode,
        };
        let limit = self.now.saturating_add_millis(EXPIRE_MAX_AHEAD_MS);
        let changes = hashes
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let e = requested
                    .get(i)
                    .or(requested.first())
                    .copied()
                    .unwrap_or(limit);
                (*h, e.min(limit))
            })
            .collect();
        Ok(ExpireCommand {
            account: req.account,
            changes,
            mode,
            signer,
        })
    }

    /// Validates a `get_expiries` (subaccounts need Read).
    pub fn validate_get_expiries(
        &self,
        req: &GetExpiriesRequest<'_>,
    ) -> Result<GetExpiriesCommand> {
        let op = Operation::GetExpiries;
        let hashes = parse_hashes(op, req.messages)?;
        self.check_sig_time(op, req.timestamp)?;
        let auth = Self::require_auth(op, &req.auth)?;
        let signer = self.authenticate(
            op,
            &req.account,
            auth,
            &payload::get_expiries(Timestamp(req.timestamp), &hashes),
            SubaccountFlags::READ,
            true,
        )?;
        Ok(GetExpiriesCommand {
            account: req.account,
            hashes,
            signer,
        })
    }

    /// Validates a `revoke_subaccount` / `unrevoke_subaccount`: 1 to 50 tokens,
    /// timestamp within ±60 s, signed by the account's own key (never a subaccount).
    pub fn validate_revoke(&self, req: &RevokeRequest<'_>) -> Result<RevokeCommand> {
        let op = if req.revoke {
            Operation::RevokeSubaccount
        } else {
            Operation::UnrevokeSubaccount
        };
        if req.tokens.is_empty() {
            return Err(Error::EmptyList {
                operation: op,
                field: "tokens",
            });
        }
        if req.tokens.len() > MAX_TOKENS_PER_REQUEST {
            return Err(Error::TooMany {
                operation: op,
                field: "tokens",
                count: req.tokens.len(),
                max: MAX_TOKENS_PER_REQUEST,
            });
        }
        let tokens = req
            .tokens
            .iter()
            .map(|t| {
                t.decode_array("subaccount token")
                    .map(SubaccountToken)
                    .map_err(field_err(op, "tokens"))
            })
            .collect::<Result<Vec<_>>>()?;
        self.check_sig_time(op, req.timestamp)?;
        let auth = Self::require_auth(op, &req.auth)?;
        if auth.subaccount.is_some() {
            return Err(Error::SubaccountNotAllowed { operation: op });
        }
        self.authenticate(
            op,
            &req.account,
            auth,
            &payload::revoke(req.revoke, Timestamp(req.timestamp), &tokens),
            SubaccountFlags::default(),
            false,
        )?;
        Ok(RevokeCommand {
            account: req.account,
            revoke: req.revoke,
            tokens,
            timestamp: Timestamp(req.timestamp),
        })
    }
}
