//! Requests as they arrive, and the validated commands the [`Verifier`](super::Verifier)
//! turns them into.

use alloc::string::String;
use alloc::vec::Vec;

use session_core::{AccountId, MessageHash, Namespace, Timestamp};

use crate::error::{Operation, RequestError};
use crate::text::Binary;
use crate::types::{ExpiryMode, NamespaceSelector, RetrieveQuery, StoredMessage, SubaccountToken};

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
    pub(super) fn resolve(
        self,
        operation: Operation,
        all_allowed: bool,
    ) -> Result<NamespaceSelector, RequestError> {
        let int = |value: i64| {
            i16::try_from(value)
                .map(|n| NamespaceSelector::One(Namespace(n)))
                .map_err(|_| RequestError::NamespaceOutOfRange { operation, value })
        };
        match self {
            Self::Omitted => Ok(NamespaceSelector::One(Namespace::DEFAULT)),
            Self::Int(v) => int(v),
            Self::Text("all") if all_allowed => Ok(NamespaceSelector::All),
            Self::Text(t) => match t.parse::<i64>() {
                Ok(v) => int(v),
                Err(_) => Err(RequestError::UnknownNamespace {
                    operation,
                    text: String::from(t),
                    all_allowed,
                }),
            },
        }
    }

    pub(super) fn one(self, operation: Operation) -> Result<Namespace, RequestError> {
        match self.resolve(operation, false)? {
            NamespaceSelector::One(ns) => Ok(ns),
            NamespaceSelector::All => Ok(Namespace::DEFAULT),
        }
    }
}

/// A request's authentication fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth<'a> {
    /// The 64-byte Ed25519 signature over the request's [`payload`](super::payload).
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
