//! The traits a message store implements.
//!
//! Backends are deliberately dumb: every rule about requests (TTL bounds, namespace classes,
//! signatures, clamping) lives in [`crate::policy`]. What a backend must get right is the data
//! model, and [`crate::conformance`] checks it:
//!
//! - a message's hash is unique across the store;
//! - rows whose `expiry <= now` are invisible to every read and every update, as if already
//!   swept (the reference server serves them until its next cleanup; we do not);
//! - retrieval order is insertion order on this store;
//! - lists of affected messages are sorted by the hash's text form, as the storage server signs
//!   them.
//!
//! Methods are synchronous and take `now` as an argument; backends never read a clock.

use alloc::string::ToString as _;
use alloc::vec::Vec;

use session_core::{AccountId, MessageHash, Timestamp};

use crate::types::{
    Affected, Capacity, ExpiryChange, ExpiryMode, ImportStats, NamespaceSelector, NamespaceStats,
    Page, RetrieveQuery, StoreOutcome, StoreStats, StoredMessage, SubaccountToken,
};

/// What every backend trait shares: the backend's error type.
///
/// A backend reports only its own failures (I/O, corruption, a full disk it cannot handle):
/// request rules are checked before a backend is called, so its error type has no room for
/// them. [`MemoryStore`](crate::MemoryStore) cannot fail and uses
/// [`core::convert::Infallible`]. Code generic over a backend can rely on the bounds here:
///
/// ```
/// use session_storage::{MessageHash, MessageReader, Timestamp};
///
/// fn fetch<B: MessageReader>(b: &B, h: &MessageHash, now: Timestamp) -> Result<bool, String> {
///     b.get_by_hash(h, now).map(|m| m.is_some()).map_err(|e| e.to_string())
/// }
/// ```
pub trait Backend {
    /// The backend's failure.
    type Error: core::error::Error + Send + Sync + 'static;
}

/// Stores messages.
pub trait MessageWriter: Backend {
    /// Stores `msg` (whose hash the caller has computed), in one atomic step:
    ///
    /// 1. in a public-outbox namespace, every other message of the owner there is deleted;
    /// 2. if the hash is stored (and live), its expiry is raised to `msg.expiry` when that is
    ///    later ([`StoreOutcome::Extended`]), else nothing changes ([`StoreOutcome::Exists`]);
    ///    the data and timestamp never change;
    /// 3. otherwise the message is inserted ([`StoreOutcome::New`]), or, if that would exceed
    ///    the capacity, nothing at all changes ([`StoreOutcome::Full`]).
    fn store(&mut self, msg: &StoredMessage, now: Timestamp) -> Result<StoreOutcome, Self::Error>;
}

/// Reads messages.
pub trait MessageReader: Backend {
    /// One page of an account's namespace, in insertion order.
    fn retrieve(&self, query: &RetrieveQuery, now: Timestamp) -> Result<Page, Self::Error>;

    /// The live message with this hash, whoever owns it.
    fn get_by_hash(
        &self,
        hash: &MessageHash,
        now: Timestamp,
    ) -> Result<Option<StoredMessage>, Self::Error>;

    /// The expiries of those of `hashes` that are live messages of `account`, sorted by hash
    /// text; other owners' and missing hashes are skipped.
    fn get_expiries(
        &self,
        account: &AccountId,
        hashes: &[MessageHash],
        now: Timestamp,
    ) -> Result<Vec<(MessageHash, Timestamp)>, Self::Error>;
}

/// Deletes messages.
pub trait MessageDeleter: Backend {
    /// Deletes those of `hashes` that belong to `account`.
    fn delete_hashes(
        &mut self,
        account: &AccountId,
        hashes: &[MessageHash],
        now: Timestamp,
    ) -> Result<Vec<Affected>, Self::Error>;

    /// Deletes every message of `account` in the selected namespaces.
    fn delete_all(
        &mut self,
        account: &AccountId,
        namespaces: NamespaceSelector,
        now: Timestamp,
    ) -> Result<Vec<Affected>, Self::Error>;

    /// Deletes the messages of `account` in the selected namespaces whose timestamp is at or
    /// before `before` (inclusive).
    fn delete_before(
        &mut self,
        account: &AccountId,
        namespaces: NamespaceSelector,
        before: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Affected>, Self::Error>;
}

/// Changes expiries.
pub trait ExpiryUpdater: Backend {
    /// Applies `(hash, expiry)` pairs of `account` under `mode` (strict comparisons); returns
    /// one entry per live message found, sorted by hash text.
    fn update_expiries(
        &mut self,
        account: &AccountId,
        changes: &[(MessageHash, Timestamp)],
        mode: ExpiryMode,
        now: Timestamp,
    ) -> Result<Vec<ExpiryChange>, Self::Error>;

    /// Lowers to `expiry` every selected message of `account` that expires later; never
    /// extends. Returns the messages changed.
    fn shorten_all(
        &mut self,
        account: &AccountId,
        namespaces: NamespaceSelector,
        expiry: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Affected>, Self::Error>;
}

/// Removes expired rows.
pub trait ExpirySweeper: Backend {
    /// Deletes every row with `expiry <= now`; returns how many.
    fn sweep(&mut self, now: Timestamp) -> Result<usize, Self::Error>;
}

/// One page of an export, see [`ReplicaSource::export_page`].
#[derive(Debug, Clone, Default)]
pub struct ExportPage {
    /// The messages.
    pub messages: Vec<StoredMessage>,
    /// Where to continue; `None` when the export is complete.
    pub next: Option<u64>,
}

/// Hands out stored messages for replication.
pub trait ReplicaSource: Backend {
    /// Up to `limit` live messages whose owner passes `filter`, in storage order, starting
    /// after the opaque cursor `after` (`None`: from the start).
    fn export_page(
        &self,
        after: Option<u64>,
        limit: usize,
        filter: &dyn Fn(&AccountId) -> bool,
        now: Timestamp,
    ) -> Result<ExportPage, Self::Error>;

    /// Every live message whose owner passes `filter`.
    fn export_where(
        &self,
        filter: &dyn Fn(&AccountId) -> bool,
        now: Timestamp,
    ) -> Result<Vec<StoredMessage>, Self::Error> {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = self.export_page(after, 4096, filter, now)?;
            out.extend(page.messages);
            match page.next {
                Some(n) => after = Some(n),
                None => return Ok(out),
            }
        }
    }

    /// Every live message.
    fn export_all(&self, now: Timestamp) -> Result<Vec<StoredMessage>, Self::Error> {
        self.export_where(&|_| true, now)
    }
}

/// Receives replicated messages.
pub trait ReplicaSink: Backend {
    /// Inserts each message whose hash is not yet stored, keeping its namespace, timestamp and
    /// expiry; existing messages are left as they are (their expiry is not extended).
    /// Already-expired messages are skipped. Callers check hashes first
    /// ([`crate::replication::receive`] does).
    fn import(
        &mut self,
        batch: &[StoredMessage],
        now: Timestamp,
    ) -> Result<ImportStats, Self::Error>;
}

/// Revoked subaccount tokens, per account.
///
/// Revocations do not depend on the account having messages (the reference server loses them
/// when the last message goes), and at most [`MAX_REVOCATIONS`] are kept per account: the most
/// recently revoked.
pub trait RevocationStore: Backend {
    /// Revokes `token` for `account` at time `at`; revoking again refreshes the time.
    fn revoke(
        &mut self,
        account: &AccountId,
        token: &SubaccountToken,
        at: Timestamp,
    ) -> Result<(), Self::Error>;

    /// Lifts a revocation; returns whether there was one.
    fn unrevoke(
        &mut self,
        account: &AccountId,
        token: &SubaccountToken,
    ) -> Result<bool, Self::Error>;

    /// Whether `token` is revoked for `account`.
    fn is_revoked(&self, account: &AccountId, token: &SubaccountToken)
    -> Result<bool, Self::Error>;

    /// Every token revoked for `account` (at most [`MAX_REVOCATIONS`]), in ascending byte
    /// order: the order in which the storage server's database index lists them, and so the
    /// order of its `revoked_subaccounts` replies.
    fn revoked(&self, account: &AccountId) -> Result<Vec<SubaccountToken>, Self::Error>;
}

/// Most revocations kept per account.
pub const MAX_REVOCATIONS: usize = 50;

/// Counts.
pub trait StorageStats: Backend {
    /// Live messages of `account`, per namespace (ascending).
    fn account_stats(
        &self,
        account: &AccountId,
        now: Timestamp,
    ) -> Result<Vec<NamespaceStats>, Self::Error>;

    /// Totals over the whole store.
    fn store_stats(&self) -> Result<StoreStats, Self::Error>;
}

/// A complete message store.
pub trait StorageBackend:
    MessageWriter
    + MessageReader
    + MessageDeleter
    + ExpiryUpdater
    + ExpirySweeper
    + ReplicaSource
    + ReplicaSink
    + RevocationStore
    + StorageStats
{
    /// Bytes used and allowed.
    fn capacity(&self) -> Result<Capacity, Self::Error>;
}

/// Adds one message's outcome to the result of
/// [`ExpiryUpdater::update_expiries`]: a hash listed twice keeps one entry, with the later
/// expiry, changed if either update changed it (as sequential SQL updates would leave it).
pub fn push_expiry_change(out: &mut Vec<ExpiryChange>, change: ExpiryChange) {
    match out.iter_mut().find(|c| c.hash == change.hash) {
        Some(c) => {
            c.expiry = change.expiry;
            c.changed |= change.changed;
        }
        None => out.push(change),
    }
}

/// Sorts by the hash's text form, the order the storage server signs lists in. (Base64's
/// alphabet is not in ASCII order, so this differs from byte order.)
pub fn sort_by_hash_text<T>(items: &mut [T], hash: impl Fn(&T) -> &MessageHash) {
    items.sort_by_cached_key(|t| hash_text_key(hash(t)));
}

/// A key whose byte order is the ASCII order of the hash's base64 text.
#[must_use]
pub fn hash_text_key(hash: &MessageHash) -> [u8; 43] {
    let mut out = [0u8; 43];
    let text = hash.to_string();
    for (o, c) in out.iter_mut().zip(text.bytes()) {
        *o = c;
    }
    out
}
