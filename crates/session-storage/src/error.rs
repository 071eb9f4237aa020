//! The one error type of `session-storage`.

use alloc::boxed::Box;
use alloc::string::String;

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
        }
    }
}

impl core::fmt::Display for Operation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything that can go wrong in `session-storage`.
///
/// Request-validation variants name the rule that was broken and the values involved, so a node
/// can answer a client precisely. Signature failures are deliberately opaque.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
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

    /// A replication batch that is not a valid push encoding.
    #[error("push batch: {rule} at offset {offset}")]
    MalformedPush {
        /// Byte offset of the problem.
        offset: usize,
        /// What was expected there.
        rule: &'static str,
    },
    /// A replication batch with an unknown version byte.
    #[error("push batch: unknown serialization version {0}")]
    UnknownPushVersion(u8),
    /// A replicated record whose hash is not the hash of its content.
    #[error("push batch: record {index} has a hash that does not match its content")]
    PushHashMismatch {
        /// Zero-based record index in the batch.
        index: usize,
    },
    /// The backend failed (I/O, corruption, ...).
    #[error("storage backend failure")]
    Backend(#[source] Box<dyn core::error::Error + Send + Sync + 'static>),
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
