//! The values backends store and return.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use session_core::{AccountId, Ed25519PublicKey, MessageHash, Namespace, Timestamp};

/// One stored message: the storage server's record.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// The owner: prefix byte and key (`05ab…` and `03ab…` are different accounts).
    pub account: AccountId,
    /// The namespace.
    pub namespace: Namespace,
    /// The content hash (v4); unique across a whole store.
    pub hash: MessageHash,
    /// The client's timestamp.
    pub timestamp: Timestamp,
    /// When the message expires (absolute).
    pub expiry: Timestamp,
    /// The raw data.
    pub data: Vec<u8>,
}

impl StoredMessage {
    /// A message with its hash computed from `account`, `namespace` and `data`.
    #[must_use]
    pub fn new(
        account: AccountId,
        namespace: Namespace,
        timestamp: Timestamp,
        expiry: Timestamp,
        data: Vec<u8>,
    ) -> Self {
        let hash = MessageHash::compute(&account, namespace, &data);
        Self {
            account,
            namespace,
            hash,
            timestamp,
            expiry,
            data,
        }
    }

    /// Whether the hash is the v4 hash of the content.
    #[must_use]
    pub fn hash_matches(&self) -> bool {
        MessageHash::compute(&self.account, self.namespace, &self.data) == self.hash
    }

    /// Whether the message has expired at `now` (`expiry <= now`, the sweep's rule).
    #[must_use]
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expiry <= now
    }

    /// The bytes a backend accounts for this message against its capacity: the data plus a
    /// fixed per-row overhead.
    #[must_use]
    pub fn footprint(&self) -> u64 {
        (self.data.len() as u64).saturating_add(ROW_OVERHEAD_BYTES)
    }
}

/// Per-row overhead counted by [`StoredMessage::footprint`]: owner, hash, namespace, two
/// timestamps and an id, rounded up.
pub const ROW_OVERHEAD_BYTES: u64 = 128;

impl fmt::Debug for StoredMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredMessage")
            .field("account", &self.account)
            .field("namespace", &self.namespace)
            .field("hash", &self.hash)
            .field("timestamp", &self.timestamp)
            .field("expiry", &self.expiry)
            .field("data_len", &self.data.len())
            .finish()
    }
}

/// What a store did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreOutcome {
    /// The message was inserted.
    New,
    /// The message existed with an earlier expiry, which was raised to the new one.
    Extended,
    /// The message existed with the same or a later expiry; nothing changed.
    Exists,
    /// The store is full; nothing changed.
    Full,
}

/// Which namespaces an account-wide operation covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NamespaceSelector {
    /// One namespace.
    One(Namespace),
    /// Every namespace.
    All,
}

impl NamespaceSelector {
    /// The form in signed request strings: "" for namespace 0, `all`, or the decimal value.
    #[must_use]
    pub fn sig_str(self) -> String {
        match self {
            Self::One(ns) => ns.sig_str(),
            Self::All => String::from("all"),
        }
    }

    /// Whether `ns` is selected.
    #[must_use]
    pub fn contains(self, ns: Namespace) -> bool {
        match self {
            Self::One(one) => one == ns,
            Self::All => true,
        }
    }
}

impl From<Namespace> for NamespaceSelector {
    fn from(ns: Namespace) -> Self {
        Self::One(ns)
    }
}

/// How message sizes count against a retrieve's byte limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeModel {
    /// Bytes counted per message on top of its hash and data.
    pub per_msg_overhead: u64,
    /// Whether data counts as its base64 size (`len * 4 / 3`), as the storage server does for
    /// every encoding.
    pub b64_inflate: bool,
}

impl SizeModel {
    /// The storage server's model: `100 + hash.len() + data.len() * 4 / 3`.
    pub const SERVER: SizeModel = SizeModel {
        per_msg_overhead: 100,
        b64_inflate: true,
    };

    /// The size of one message in this model.
    #[must_use]
    pub fn size_of(&self, data_len: usize) -> u64 {
        let data = data_len as u64;
        let data = if self.b64_inflate {
            data.saturating_mul(4) / 3
        } else {
            data
        };
        self.per_msg_overhead
            .saturating_add(crate::HASH_TEXT_LEN as u64)
            .saturating_add(data)
    }
}

impl Default for SizeModel {
    fn default() -> Self {
        Self::SERVER
    }
}

/// A page request for one account and namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrieveQuery {
    /// The owner.
    pub account: AccountId,
    /// The namespace.
    pub namespace: Namespace,
    /// Return only messages stored after this one (same owner and namespace); an unknown hash
    /// means from the start.
    pub after: Option<MessageHash>,
    /// At most this many messages (`None`: no count limit).
    pub max_count: Option<usize>,
    /// At most this many bytes under `size_model` (`None`: no byte limit). At least one
    /// message is always returned.
    pub max_bytes: Option<u64>,
    /// How sizes are counted.
    pub size_model: SizeModel,
}

impl RetrieveQuery {
    /// Every message of `account` in `namespace`, without limits.
    #[must_use]
    pub fn all(account: AccountId, namespace: Namespace) -> Self {
        Self {
            account,
            namespace,
            after: None,
            max_count: None,
            max_bytes: None,
            size_model: SizeModel::SERVER,
        }
    }
}

/// The answer to a [`RetrieveQuery`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// The messages, in insertion order on this store.
    pub messages: Vec<StoredMessage>,
    /// Whether a limit cut the page short.
    pub more: bool,
}

/// How [`crate::ExpiryUpdater::update_expiries`] treats each message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryMode {
    /// Set the expiry unconditionally.
    Set,
    /// Only where the stored expiry is strictly earlier.
    ExtendOnly,
    /// Only where the stored expiry is strictly later.
    ShortenOnly,
}

impl ExpiryMode {
    /// Whether a message that expires at `current` takes the `requested` expiry.
    #[must_use]
    pub fn applies(self, current: Timestamp, requested: Timestamp) -> bool {
        match self {
            ExpiryMode::Set => current != requested,
            ExpiryMode::ExtendOnly => current < requested,
            ExpiryMode::ShortenOnly => current > requested,
        }
    }
}

/// A message an operation touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Affected {
    /// Its namespace.
    pub namespace: Namespace,
    /// Its hash.
    pub hash: MessageHash,
}

/// The result of an expiry update for one existing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryChange {
    /// Its namespace.
    pub namespace: Namespace,
    /// Its hash.
    pub hash: MessageHash,
    /// Its expiry after the operation.
    pub expiry: Timestamp,
    /// Whether the operation changed it.
    pub changed: bool,
}

/// How much a store holds and may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Bytes in use.
    pub used_bytes: u64,
    /// The limit (`u64::MAX`: unlimited).
    pub limit_bytes: u64,
}

/// Counts of one account's messages in one namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NamespaceStats {
    /// The namespace.
    pub namespace: Namespace,
    /// Live messages.
    pub messages: u64,
    /// Their total data bytes.
    pub bytes: u64,
}

/// Counts over a whole store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreStats {
    /// Rows held (including expired rows not yet swept).
    pub messages: u64,
    /// Their total data bytes.
    pub bytes: u64,
    /// Distinct accounts with rows.
    pub accounts: u64,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportStats {
    /// Messages inserted.
    pub inserted: usize,
    /// Messages skipped because their hash was already stored.
    pub duplicates: usize,
    /// Messages skipped because they had already expired.
    pub expired: usize,
    /// Messages skipped because the store was full.
    pub full: usize,
}

/// The length of a message hash's text form.
pub const HASH_TEXT_LEN: usize = 43;

/// Subaccount permission bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SubaccountFlags(pub u8);

impl SubaccountFlags {
    /// May retrieve.
    pub const READ: SubaccountFlags = SubaccountFlags(0x01);
    /// May store and extend.
    pub const WRITE: SubaccountFlags = SubaccountFlags(0x02);
    /// May delete and shorten.
    pub const DELETE: SubaccountFlags = SubaccountFlags(0x04);
    /// Valid for accounts of any prefix.
    pub const ANY_PREFIX: SubaccountFlags = SubaccountFlags(0x08);

    /// Whether every bit of `other` is set.
    #[must_use]
    pub const fn contains(self, other: SubaccountFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The union.
    #[must_use]
    pub const fn union(self, other: SubaccountFlags) -> SubaccountFlags {
        SubaccountFlags(self.0 | other.0)
    }
}

/// A 36-byte subaccount token: `prefix ‖ flags ‖ 0x0000 ‖ subaccount Ed25519 key`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubaccountToken(pub [u8; 36]);

impl SubaccountToken {
    /// The token length.
    pub const LEN: usize = 36;

    /// Builds a token.
    #[must_use]
    pub fn new(prefix: u8, flags: SubaccountFlags, key: &Ed25519PublicKey) -> Self {
        let mut t = [0u8; 36];
        let [p, f, _, _, rest @ ..] = &mut t;
        *p = prefix;
        *f = flags.0;
        rest.copy_from_slice(key.as_bytes());
        Self(t)
    }

    /// The network prefix byte the token is for.
    #[must_use]
    pub const fn prefix(&self) -> u8 {
        self.0[0]
    }

    /// The permission flags.
    #[must_use]
    pub const fn flags(&self) -> SubaccountFlags {
        SubaccountFlags(self.0[1])
    }

    /// The subaccount's Ed25519 public key.
    #[must_use]
    pub fn key(&self) -> Ed25519PublicKey {
        let [_, _, _, _, key @ ..] = self.0;
        Ed25519PublicKey::from_bytes(key)
    }
}

impl fmt::Debug for SubaccountToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SubaccountToken({})",
            session_core::encoding::encode_hex(&self.0)
        )
    }
}
