//! Errors, by who can get them (see [`Error`]).

use alloc::string::String;
use core::convert::Infallible;

use session_core::{Namespace, Timestamp};

/// The operation a request asks for, as named in the storage RPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `store`
    Store,
    /// `retrieve`
    Retrieve,
    /// `delete` (by hash)
    Delete,
    /// `delete_all`
    DeleteAll,
    /// `delete_before`
    DeleteBefore,
    /// `expire` (selected messages)
    Expire,
    /// `expire_all`
    ExpireAll,
    /// `get_expiries`
    GetExpiries,
    /// `revoke_subaccount`
    RevokeSubaccount,
    /// `unrevoke_subaccount`
    UnrevokeSubaccount,
    /// `monitor.messages`.
    Monitor,
    /// `revoked_subaccounts` (the list of an account's revoked tokens).
    RevokedSubaccounts,
}

impl Operation {
    /// The RPC method name, which is also the first part of the signed request string.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Store => "store",
            Self::Retrieve => "retrieve",
            Self::Delete => "delete",
            Self::DeleteAll => "delete_all",
            Self::DeleteBefore => "delete_before",
            Self::Expire => "expire",
            Self::ExpireAll => "expire_all",
            Self::GetExpiries => "get_expiries",
            Self::RevokeSubaccount => "revoke_subaccount",
            Self::UnrevokeSubaccount => "unrevoke_subaccount",
            Self::Monitor => "monitor.messages",
            Self::RevokedSubaccounts => "revoked_subaccounts",
        }
    }
}

impl core::fmt::Display for Operation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Any error of this crate: one of the role errors, or a backend's own error, with their
/// text and causes unchanged.
///
/// Each API returns the error of its role, so a caller matches only what can happen to it:
///
/// | error | returned by | |
/// |---|---|---|
/// | [`RequestError`] | [`crate::policy`] | a client request broke a rule (each names the rule and its values) |
/// | [`PushError`] | [`crate::push`] | a replication batch is malformed or carries a wrong hash |
/// | [`VerifyError`] | [`Verifier`](crate::policy::Verifier) | a rejection, or the revocation lookup failed |
/// | [`ReceiveError`] | [`replication::receive`](crate::replication::receive) | a bad batch, or the import failed |
/// | `B::Error` | the backend traits ([`Backend::Error`](crate::Backend::Error)) | the backend's own failures; [`core::convert::Infallible`] for [`MemoryStore`](crate::MemoryStore) |
///
/// This enum unifies them (every role error converts into it with `?`, and so does
/// `Infallible`) for code that plays several roles; `E` is the backend's error type. Wrappers
/// never repeat their cause's text, so a `{:#}` chain (anyhow, eyre) prints each cause once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = Infallible> {
    /// A client request broke a rule.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A replication batch is malformed.
    #[error(transparent)]
    Push(#[from] PushError),
    /// The backend failed.
    #[error(transparent)]
    Backend(E),
}

impl<E> From<VerifyError<E>> for Error<E> {
    fn from(e: VerifyError<E>) -> Self {
        match e {
            VerifyError::Rejected(r) => Self::Request(r),
            VerifyError::Backend(b) => Self::Backend(b),
        }
    }
}

impl<E> From<ReceiveError<E>> for Error<E> {
    fn from(e: ReceiveError<E>) -> Self {
        match e {
            ReceiveError::Push(p) => Self::Push(p),
            ReceiveError::Backend(b) => Self::Backend(b),
        }
    }
}

impl<E> From<Infallible> for Error<E> {
    /// Lets `?` pass [`MemoryStore`](crate::MemoryStore)'s results on.
    fn from(never: Infallible) -> Self {
        match never {}
    }
}

/// A client request that breaks one of the storage server's rules.
///
/// Each variant names the rule that was broken and the values involved, so a node can answer
/// a client precisely. Signature failures are deliberately opaque.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// A store's TTL (`expiry − timestamp`) is below the 10 s minimum.
    #[error("{operation}: ttl of {ttl_ms} ms is below the minimum of {min_ms} ms")]
    TtlTooShort {
        /// The operation.
        operation: Operation,
        /// The requested TTL (negative if the expiry precedes the timestamp).
        ttl_ms: i128,
        /// The minimum TTL.
        min_ms: u64,
    },
    /// A store's TTL exceeds the namespace's maximum (14 days in public inboxes, 30 elsewhere).
    #[error(
        "store: ttl of {ttl_ms} ms exceeds the maximum of {max_ms} ms for namespace {namespace}"
    )]
    TtlTooLong {
        /// The requested TTL.
        ttl_ms: i128,
        /// The namespace's maximum.
        max_ms: u64,
        /// The namespace.
        namespace: Namespace,
    },
    /// A store gave both `ttl` and `expiry`, or neither.
    #[error("store: exactly one of ttl and expiry must be given")]
    TtlAndExpiry,
    /// A timestamp below 10^9, which cannot be milliseconds since the epoch.
    #[error("{operation}: timestamp {timestamp} must be in milliseconds")]
    TimestampNotMillis {
        /// The operation.
        operation: Operation,
        /// The timestamp given.
        timestamp: u64,
    },
    /// A store timestamp more than 10 s in the future ("check your clock").
    #[error("store: timestamp {timestamp} is more than {tolerance_ms} ms after now ({now})")]
    TimestampInFuture {
        /// The message timestamp.
        timestamp: Timestamp,
        /// The node's time.
        now: Timestamp,
        /// The allowed skew.
        tolerance_ms: u64,
    },
    /// A store whose expiry is already more than 10 s in the past.
    #[error("store: expiry {expiry} is more than {tolerance_ms} ms before now ({now})")]
    AlreadyExpired {
        /// The message expiry.
        expiry: Timestamp,
        /// The node's time.
        now: Timestamp,
        /// The allowed skew.
        tolerance_ms: u64,
    },
    /// A signed timestamp outside the ±60 s window (±70 s for forwarded requests).
    #[error(
        "{operation}: signature timestamp {timestamp} is more than {tolerance_ms} ms from now ({now})"
    )]
    StaleTimestamp {
        /// The operation.
        operation: Operation,
        /// The signed timestamp.
        timestamp: Timestamp,
        /// The node's time.
        now: Timestamp,
        /// The allowed skew.
        tolerance_ms: u64,
    },
    /// A `delete_before` cut-off more than 60 s in the future.
    #[error("delete_before: before {before} is more than {tolerance_ms} ms after now ({now})")]
    BeforeInFuture {
        /// The cut-off.
        before: Timestamp,
        /// The node's time.
        now: Timestamp,
        /// The allowed skew.
        tolerance_ms: u64,
    },
    /// An `expire` / `expire_all` expiry more than 60 s in the past.
    #[error("{operation}: expiry {expiry} is more than {tolerance_ms} ms before now ({now})")]
    ExpiryInPast {
        /// The operation.
        operation: Operation,
        /// The requested expiry.
        expiry: Timestamp,
        /// The node's time.
        now: Timestamp,
        /// The allowed skew.
        tolerance_ms: u64,
    },
    /// Message data larger than the 76 800-byte limit.
    #[error("store: data of {len} bytes exceeds the limit of {max} bytes")]
    DataTooLarge {
        /// The decoded length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Base64 message data longer than the 102 400-character limit.
    #[error("store: base64 data of {len} characters exceeds the limit of {max} characters")]
    Base64DataTooLong {
        /// The text length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A field that is not valid text encoding (base64 or hex) or has the wrong length.
    #[error("{operation}: invalid {field}")]
    InvalidField {
        /// The operation.
        operation: Operation,
        /// The field (`data`, `signature`, `messages[3]`, ...).
        field: &'static str,
        /// What was wrong with it.
        #[source]
        source: session_core::Error,
    },
    /// A namespace value outside the i16 range.
    #[error("{operation}: namespace {value} is out of range (−32768..=32767)")]
    NamespaceOutOfRange {
        /// The operation.
        operation: Operation,
        /// The value given.
        value: i64,
    },
    /// A namespace text that is neither an integer nor (where allowed) `all`.
    #[error("{operation}: unknown namespace {text:?} (expected an integer{})", if *all_allowed { " or \"all\"" } else { "" })]
    UnknownNamespace {
        /// The operation.
        operation: Operation,
        /// The text given.
        text: String,
        /// Whether `all` would have been accepted.
        all_allowed: bool,
    },
    /// A request outside a no-signature namespace without a signature.
    #[error("{operation}: namespace {namespace} requires a signature")]
    SignatureRequired {
        /// The operation.
        operation: Operation,
        /// The namespace.
        namespace: Namespace,
    },
    /// An operation that always needs a signature was sent without one.
    #[error("{operation}: a signature is required")]
    MissingSignature {
        /// The operation.
        operation: Operation,
    },
    /// The request signature does not verify.
    #[error("{operation}: signature verification failed")]
    BadSignature {
        /// The operation.
        operation: Operation,
    },
    /// `pubkey_ed25519` was given for an account whose prefix is not `05`.
    #[error("pubkey_ed25519 is only allowed for 05 accounts, not prefix {netid:02x}")]
    Ed25519KeyNotAllowed {
        /// The account's prefix byte.
        netid: u8,
    },
    /// `pubkey_ed25519` does not convert to the account's X25519 key.
    #[error("pubkey_ed25519 does not match the account's key")]
    Ed25519KeyMismatch,
    /// The account key (or `pubkey_ed25519`) is not a usable Ed25519 key.
    #[error("the signing key is not a valid Ed25519 public key")]
    InvalidSigningKey,
    /// A subaccount token that the account has revoked.
    #[error("{operation}: the subaccount token has been revoked")]
    SubaccountRevoked {
        /// The operation.
        operation: Operation,
    },
    /// A subaccount token for another network prefix, without the AnyPrefix flag.
    #[error("subaccount token prefix {token:02x} does not match account prefix {account:02x}")]
    SubaccountPrefixMismatch {
        /// The token's prefix byte.
        token: u8,
        /// The account's prefix byte.
        account: u8,
    },
    /// A subaccount token lacking flags the operation needs.
    #[error("{operation}: subaccount flags {present:#04x} lack the required {required:#04x}")]
    SubaccountPermission {
        /// The operation.
        operation: Operation,
        /// The flags the operation needs.
        required: u8,
        /// The token's flags.
        present: u8,
    },
    /// The account's signature over the subaccount token does not verify.
    #[error("the subaccount token signature does not verify")]
    BadSubaccountSignature,
    /// Subaccounts may not sign this operation (revocations).
    #[error("{operation}: subaccounts are not allowed")]
    SubaccountNotAllowed {
        /// The operation.
        operation: Operation,
    },
    /// A list that must not be empty (hashes, tokens) was empty.
    #[error("{operation}: {field} must not be empty")]
    EmptyList {
        /// The operation.
        operation: Operation,
        /// The list.
        field: &'static str,
    },
    /// A list longer than its limit.
    #[error("{operation}: {count} {field} exceed the limit of {max}")]
    TooMany {
        /// The operation.
        operation: Operation,
        /// The list.
        field: &'static str,
        /// Its length.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An `expire` expiry array whose length differs from the hash list's.
    #[error("expire: {expiries} expiries for {hashes} messages")]
    ExpiryCountMismatch {
        /// Expiries given.
        expiries: usize,
        /// Hashes given.
        hashes: usize,
    },
    /// An `expire` request with both `shorten` and `extend`.
    #[error("expire: shorten and extend are mutually exclusive")]
    ShortenAndExtend,
    /// A `monitor.messages` namespace list that is not strictly ascending.
    #[error("monitor.messages: namespaces must be strictly ascending")]
    NamespacesNotAscending,
    /// A `monitor.messages` timestamp (seconds) outside now − 14 days ..= now + 1 day.
    #[error(
        "monitor.messages: timestamp {timestamp_secs} s is too {} (now {now})",
        if *too_old { "old" } else { "far in the future" }
    )]
    MonitorTimestamp {
        /// The signed timestamp, seconds.
        timestamp_secs: u64,
        /// Now.
        now: Timestamp,
        /// Before the window (else after it).
        too_old: bool,
    },
}

/// A replication batch that is not a valid push encoding, or carries a wrong hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// The batch breaks the encoding.
    #[error("push batch: {rule} at offset {offset}")]
    Malformed {
        /// Byte offset of the problem.
        offset: usize,
        /// What was expected there.
        rule: &'static str,
    },
    /// A batch with an unknown version byte.
    #[error("push batch: unknown serialization version {0}")]
    UnknownVersion(u8),
    /// A record whose hash is not the hash of its content.
    #[error("push batch: record {index} has a hash that does not match its content")]
    HashMismatch {
        /// Zero-based record index in the batch.
        index: usize,
    },
}

/// What [`Verifier`](crate::policy::Verifier) can return: the request's rejection, or the
/// failure of the revocation store it asked whether a subaccount token is revoked.
///
/// With an infallible store ([`MemoryStore`](crate::MemoryStore)) it converts into a plain
/// [`RequestError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError<E> {
    /// The request broke a rule.
    #[error(transparent)]
    Rejected(#[from] RequestError),
    /// The revocation store failed; the request was neither accepted nor rejected.
    #[error("subaccount revocation lookup failed")]
    Backend(#[source] E),
}

impl From<VerifyError<Infallible>> for RequestError {
    fn from(e: VerifyError<Infallible>) -> Self {
        match e {
            VerifyError::Rejected(r) => r,
            VerifyError::Backend(never) => match never {},
        }
    }
}

/// What [`replication::receive`](crate::replication::receive) can return: a bad batch
/// (nothing imported), or the backend's failure to import it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiveError<E> {
    /// The batch is malformed or carries a wrong hash; nothing was imported.
    #[error(transparent)]
    Push(#[from] PushError),
    /// The backend failed to import the batch.
    #[error("importing the push batch failed")]
    Backend(#[source] E),
}

impl From<ReceiveError<Infallible>> for PushError {
    fn from(e: ReceiveError<Infallible>) -> Self {
        match e {
            ReceiveError::Push(p) => p,
            ReceiveError::Backend(never) => match never {},
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use alloc::string::{String, ToString};
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;

    /// A backend error with a cause of its own, as a database backend's would have.
    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    #[error("disk backend failed")]
    struct Disk(#[source] Io);

    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    #[error("i/o error 5")]
    struct Io;

    fn core_error() -> session_core::Error {
        session_core::Reader::new(&[]).take_u32_le().unwrap_err()
    }

    /// One value of every variant of every error enum, nested the way the crate nests them.
    /// The exhaustive matches make adding a variant without listing it here a compile error.
    fn every_error() -> Vec<Error<Disk>> {
        let op = Operation::Store;
        let ts = Timestamp(1_700_000_000_000);
        let requests = vec![
            RequestError::TtlTooShort {
                operation: op,
                ttl_ms: -1,
                min_ms: 10_000,
            },
            RequestError::TtlTooLong {
                ttl_ms: 1 << 40,
                max_ms: 1_209_600_000,
                namespace: Namespace(0),
            },
            RequestError::TtlAndExpiry,
            RequestError::TimestampNotMillis {
                operation: op,
                timestamp: 1_700_000_000,
            },
            RequestError::TimestampInFuture {
                timestamp: ts,
                now: ts,
                tolerance_ms: 10_000,
            },
            RequestError::AlreadyExpired {
                expiry: ts,
                now: ts,
                tolerance_ms: 10_000,
            },
            RequestError::StaleTimestamp {
                operation: op,
                timestamp: ts,
                now: ts,
                tolerance_ms: 60_000,
            },
            RequestError::BeforeInFuture {
                before: ts,
                now: ts,
                tolerance_ms: 60_000,
            },
            RequestError::ExpiryInPast {
                operation: Operation::Expire,
                expiry: ts,
                now: ts,
                tolerance_ms: 60_000,
            },
            RequestError::DataTooLarge {
                len: 76_801,
                max: 76_800,
            },
            RequestError::Base64DataTooLong {
                len: 102_401,
                max: 102_400,
            },
            RequestError::InvalidField {
                operation: op,
                field: "data",
                source: core_error(),
            },
            RequestError::NamespaceOutOfRange {
                operation: op,
                value: 40_000,
            },
            RequestError::UnknownNamespace {
                operation: Operation::DeleteAll,
                text: "every".into(),
                all_allowed: true,
            },
            RequestError::SignatureRequired {
                operation: op,
                namespace: Namespace(2),
            },
            RequestError::MissingSignature {
                operation: Operation::Delete,
            },
            RequestError::BadSignature { operation: op },
            RequestError::Ed25519KeyNotAllowed { netid: 3 },
            RequestError::Ed25519KeyMismatch,
            RequestError::InvalidSigningKey,
            RequestError::SubaccountRevoked { operation: op },
            RequestError::SubaccountPrefixMismatch {
                token: 3,
                account: 5,
            },
            RequestError::SubaccountPermission {
                operation: op,
                required: 2,
                present: 1,
            },
            RequestError::BadSubaccountSignature,
            RequestError::SubaccountNotAllowed {
                operation: Operation::RevokeSubaccount,
            },
            RequestError::EmptyList {
                operation: Operation::Delete,
                field: "messages",
            },
            RequestError::TooMany {
                operation: Operation::RevokeSubaccount,
                field: "tokens",
                count: 51,
                max: 50,
            },
            RequestError::ExpiryCountMismatch {
                expiries: 2,
                hashes: 3,
            },
            RequestError::ShortenAndExtend,
            RequestError::NamespacesNotAscending,
            RequestError::MonitorTimestamp {
                timestamp_secs: 5,
                now: Timestamp(1_700_000_000_000),
                too_old: true,
            },
        ];
        for r in &requests {
            match r {
                RequestError::TtlTooShort { .. }
                | RequestError::TtlTooLong { .. }
                | RequestError::TtlAndExpiry
                | RequestError::TimestampNotMillis { .. }
                | RequestError::TimestampInFuture { .. }
                | RequestError::AlreadyExpired { .. }
                | RequestError::StaleTimestamp { .. }
                | RequestError::BeforeInFuture { .. }
                | RequestError::ExpiryInPast { .. }
                | RequestError::DataTooLarge { .. }
                | RequestError::Base64DataTooLong { .. }
                | RequestError::InvalidField { .. }
                | RequestError::NamespaceOutOfRange { .. }
                | RequestError::UnknownNamespace { .. }
                | RequestError::SignatureRequired { .. }
                | RequestError::MissingSignature { .. }
                | RequestError::BadSignature { .. }
                | RequestError::Ed25519KeyNotAllowed { .. }
                | RequestError::Ed25519KeyMismatch
                | RequestError::InvalidSigningKey
                | RequestError::SubaccountRevoked { .. }
                | RequestError::SubaccountPrefixMismatch { .. }
                | RequestError::SubaccountPermission { .. }
                | RequestError::BadSubaccountSignature
                | RequestError::SubaccountNotAllowed { .. }
                | RequestError::EmptyList { .. }
                | RequestError::TooMany { .. }
                | RequestError::ExpiryCountMismatch { .. }
                | RequestError::ShortenAndExtend
                | RequestError::NamespacesNotAscending
                | RequestError::MonitorTimestamp { .. } => {}
            }
        }
        let pushes = vec![
            PushError::Malformed {
                offset: 3,
                rule: "expected a record list",
            },
            PushError::UnknownVersion(3),
            PushError::HashMismatch { index: 2 },
        ];
        for p in &pushes {
            match p {
                PushError::Malformed { .. }
                | PushError::UnknownVersion(_)
                | PushError::HashMismatch { .. } => {}
            }
        }
        let mut verifies: Vec<VerifyError<Disk>> = requests
            .iter()
            .cloned()
            .map(VerifyError::Rejected)
            .collect();
        verifies.push(VerifyError::Backend(Disk(Io)));
        for v in &verifies {
            match v {
                VerifyError::Rejected(_) | VerifyError::Backend(_) => {}
            }
        }
        let mut receives: Vec<ReceiveError<Disk>> =
            pushes.iter().cloned().map(ReceiveError::Push).collect();
        receives.push(ReceiveError::Backend(Disk(Io)));
        for r in &receives {
            match r {
                ReceiveError::Push(_) | ReceiveError::Backend(_) => {}
            }
        }
        let mut all: Vec<Error<Disk>> = Vec::new();
        all.extend(requests.into_iter().map(Error::from));
        all.extend(pushes.into_iter().map(Error::from));
        all.extend(verifies.into_iter().map(Error::from));
        all.extend(receives.into_iter().map(Error::from));
        all.push(Error::Backend(Disk(Io)));
        for e in &all {
            match e {
                Error::Request(_) | Error::Push(_) | Error::Backend(_) => {}
            }
        }
        all
    }

    /// What anyhow's `{:#}` prints: each error of the chain, `": "`-joined.
    fn chain_parts(e: &dyn core::error::Error) -> Vec<String> {
        let mut parts = vec![e.to_string()];
        let mut cause = e.source();
        while let Some(c) = cause {
            parts.push(c.to_string());
            cause = c.source();
        }
        parts
    }

    fn assert_each_cause_once(e: &dyn core::error::Error) -> usize {
        let parts = chain_parts(e);
        for (i, part) in parts.iter().enumerate() {
            assert!(!part.is_empty(), "{e:?}: empty text at level {i}");
            for later in parts.iter().skip(i + 1) {
                assert!(
                    !part.contains(later.as_str()),
                    "{e:?}: level {i} {part:?} repeats its cause {later:?}"
                );
            }
        }
        parts.len()
    }

    #[test]
    fn every_cause_prints_once_in_a_chain() {
        let all = every_error();
        assert!(all.len() > 60, "{}", all.len());
        for e in &all {
            assert_each_cause_once(e);
            // The unifying enum adds no text of its own.
            let inner = match e {
                Error::Request(r) => r.to_string(),
                Error::Push(p) => p.to_string(),
                Error::Backend(b) => b.to_string(),
            };
            assert_eq!(e.to_string(), inner);
        }
        // The role wrappers name their own step, then the backend's chain follows once.
        let verify = VerifyError::<Disk>::Backend(Disk(Io));
        assert_eq!(assert_each_cause_once(&verify), 3);
        assert_eq!(
            chain_parts(&verify).join(": "),
            "subaccount revocation lookup failed: disk backend failed: i/o error 5"
        );
        let receive = ReceiveError::<Disk>::Backend(Disk(Io));
        assert_eq!(
            chain_parts(&receive).join(": "),
            "importing the push batch failed: disk backend failed: i/o error 5"
        );
        // Transparent wrappers keep their cause's chain as it is.
        let field = RequestError::InvalidField {
            operation: Operation::Store,
            field: "data",
            source: core_error(),
        };
        let wrapped = VerifyError::<Disk>::Rejected(field.clone());
        assert_eq!(chain_parts(&wrapped), chain_parts(&field));
        assert_eq!(chain_parts(&field).len(), 2);
        assert_eq!(chain_parts(&field)[0], "store: invalid data");
    }

    #[test]
    fn infallible_wrappers_unwrap_to_the_role_error() {
        let r = RequestError::ShortenAndExtend;
        assert_eq!(
            RequestError::from(VerifyError::<Infallible>::Rejected(r.clone())),
            r
        );
        let p = PushError::UnknownVersion(9);
        assert_eq!(
            PushError::from(ReceiveError::<Infallible>::Push(p.clone())),
            p
        );
        assert_eq!(
            Error::<Disk>::from(VerifyError::Backend(Disk(Io))),
            Error::Backend(Disk(Io))
        );
        assert_eq!(
            Error::<Disk>::from(ReceiveError::Backend(Disk(Io))),
            Error::Backend(Disk(Io))
        );
        assert_eq!(
            Error::<Disk>::from(ReceiveError::Push(p.clone())),
            Error::Push(p)
        );
        assert_eq!(
            Error::<Disk>::from(VerifyError::Rejected(r.clone())),
            Error::Request(r)
        );
    }
}
