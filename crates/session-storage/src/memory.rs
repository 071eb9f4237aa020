//! [`MemoryStore`]: the reference backend, and the oracle the conformance suite checks other
//! backends against.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use core::convert::Infallible;

use session_core::{AccountId, MessageHash, Namespace, Timestamp};

use crate::backend::{
    Backend, ExpirySweeper, ExpiryUpdater, ExportPage, MAX_REVOCATIONS, MessageDeleter,
    MessageReader, MessageWriter, ReplicaSink, ReplicaSource, RevocationStore, StorageBackend,
    StorageStats, push_expiry_change, sort_by_hash_text,
};
use crate::types::{
    Affected, Capacity, ExpiryChange, ExpiryMode, ImportStats, NamespaceSelector, NamespaceStats,
    Page, RetrieveQuery, StoreOutcome, StoreStats, StoredMessage, SubaccountToken,
};

/// An in-memory message store: B-trees keyed by insertion sequence, hash, owner and expiry.
///
/// ```
/// use session_core::{AccountId, Namespace, Timestamp};
/// use session_storage::{MemoryStore, MessageReader, MessageWriter, RetrieveQuery, StoreOutcome, StoredMessage};
///
/// let mut store = MemoryStore::new();
/// let now = Timestamp::from_millis(1_700_000_000_000);
/// let account = AccountId::new(0x05, [1; 32]);
/// let msg = StoredMessage::new(account, Namespace(0), now, now.saturating_add_millis(60_000), b"hi".to_vec());
/// assert_eq!(store.store(&msg, now)?, StoreOutcome::New);
/// let page = store.retrieve(&RetrieveQuery::all(account, Namespace(0)), now)?;
/// assert_eq!(page.messages, vec![msg]);
/// # Ok::<(), session_storage::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    rows: BTreeMap<u64, StoredMessage>,
    by_hash: BTreeMap<MessageHash, u64>,
    by_owner: BTreeMap<(AccountId, Namespace), BTreeSet<u64>>,
    by_expiry: BTreeSet<(Timestamp, u64)>,
    revoked: BTreeMap<AccountId, BTreeMap<SubaccountToken, Timestamp>>,
    next_seq: u64,
    used_bytes: u64,
    limit_bytes: Option<u64>,
}

impl MemoryStore {
    /// An empty, unlimited store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store that holds at most `limit_bytes` of [`StoredMessage::footprint`].
    #[must_use]
    pub fn with_limit(limit_bytes: u64) -> Self {
        Self {
            limit_bytes: Some(limit_bytes),
            ..Self::default()
        }
    }

    fn live_seq(&self, hash: &MessageHash, now: Timestamp) -> Option<u64> {
        let seq = *self.by_hash.get(hash)?;
        let row = self.rows.get(&seq)?;
        (!row.is_expired(now)).then_some(seq)
    }

    fn remove(&mut self, seq: u64) -> Option<StoredMessage> {
        let row = self.rows.remove(&seq)?;
        self.by_hash.remove(&row.hash);
        let key = (row.account, row.namespace);
        if let Some(set) = self.by_owner.get_mut(&key) {
            set.remove(&seq);
            if set.is_empty() {
                self.by_owner.remove(&key);
            }
        }
        self.by_expiry.remove(&(row.expiry, seq));
        self.used_bytes = self.used_bytes.saturating_sub(row.footprint());
        Some(row)
    }

    fn insert(&mut self, msg: StoredMessage) {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.saturating_add(1);
        self.used_bytes = self.used_bytes.saturating_add(msg.footprint());
        self.by_hash.insert(msg.hash, seq);
        self.by_owner
            .entry((msg.account, msg.namespace))
            .or_default()
            .insert(seq);
        self.by_expiry.insert((msg.expiry, seq));
        self.rows.insert(seq, msg);
    }

    fn set_expiry(&mut self, seq: u64, expiry: Timestamp) {
        if let Some(row) = self.rows.get_mut(&seq) {
            self.by_expiry.remove(&(row.expiry, seq));
            row.expiry = expiry;
            self.by_expiry.insert((expiry, seq));
        }
    }

    /// Live sequence numbers of `account` in the selected namespaces.
    fn owned(&self, account: &AccountId, sel: NamespaceSelector, now: Timestamp) -> Vec<u64> {
        let range = match sel {
            NamespaceSelector::One(ns) => (*account, ns)..=(*account, ns),
            NamespaceSelector::All => {
                (*account, Namespace(i16::MIN))..=(*account, Namespace(i16::MAX))
            }
        };
        self.by_owner
            .range(range)
            .flat_map(|(_, set)| set.iter().copied())
            .filter(|seq| self.rows.get(seq).is_some_and(|r| !r.is_expired(now)))
            .collect()
    }

    fn delete_seqs(&mut self, seqs: Vec<u64>) -> Vec<Affected> {
        let mut out: Vec<Affected> = seqs
            .into_iter()
            .filter_map(|seq| self.remove(seq))
            .map(|r| Affected {
                namespace: r.namespace,
                hash: r.hash,
            })
            .collect();
        sort_by_hash_text(&mut out, |a| &a.hash);
        out
    }
}

/// A memory store cannot fail.
impl Backend for MemoryStore {
    type Error = Infallible;
}

impl MessageWriter for MemoryStore {
    fn store(&mut self, msg: &StoredMessage, now: Timestamp) -> Result<StoreOutcome, Infallible> {
        let existing = self.by_hash.get(&msg.hash).copied();
        let live = existing.filter(|seq| self.rows.get(seq).is_some_and(|r| !r.is_expired(now)));
        if let Some(seq) = live {
            if msg.namespace.is_public_outbox() {
                self.remove_outbox_others(msg, now);
            }
            let stored = self.rows.get(&seq).map_or(msg.expiry, |r| r.expiry);
            if stored < msg.expiry {
                self.set_expiry(seq, msg.expiry);
                return Ok(StoreOutcome::Extended);
            }
            return Ok(StoreOutcome::Exists);
        }
        // Capacity is checked against the state after the removals this store would make, and
        // before making them, so a full store changes nothing.
        let freed: u64 = existing
            .into_iter()
            .chain(if msg.namespace.is_public_outbox() {
                self.owned(&msg.account, NamespaceSelector::One(msg.namespace), now)
            } else {
                Vec::new()
            })
            .filter_map(|seq| self.rows.get(&seq))
            .map(StoredMessage::footprint)
            .sum();
        if let Some(limit) = self.limit_bytes
            && self
                .used_bytes
                .saturating_sub(freed)
                .saturating_add(msg.footprint())
                > limit
        {
            return Ok(StoreOutcome::Full);
        }
        if let Some(seq) = existing {
            self.remove(seq);
        }
        if msg.namespace.is_public_outbox() {
            self.remove_outbox_others(msg, now);
        }
        self.insert(msg.clone());
        Ok(StoreOutcome::New)
    }
}

impl MemoryStore {
    fn remove_outbox_others(&mut self, msg: &StoredMessage, now: Timestamp) {
        for seq in self.owned(&msg.account, NamespaceSelector::One(msg.namespace), now) {
            if self.rows.get(&seq).is_some_and(|r| r.hash != msg.hash) {
                self.remove(seq);
            }
        }
    }
}

impl MessageReader for MemoryStore {
    fn retrieve(&self, query: &RetrieveQuery, now: Timestamp) -> Result<Page, Infallible> {
        let mut page = Page::default();
        let Some(seqs) = self.by_owner.get(&(query.account, query.namespace)) else {
            return Ok(page);
        };
        let start = query
            .after
            .and_then(|h| self.by_hash.get(&h).copied())
            .filter(|seq| seqs.contains(seq));
        let mut bytes = 0u64;
        let iter = match start {
            Some(s) => seqs.range(s.saturating_add(1)..),
            None => seqs.range(..),
        };
        for seq in iter {
            let Some(row) = self.rows.get(seq) else {
                continue;
            };
            if row.is_expired(now) {
                continue;
            }
            if query.max_count.is_some_and(|m| page.messages.len() >= m) {
                page.more = true;
                break;
            }
            let size = query.size_model.size_of(row.data.len());
            if let Some(max) = query.max_bytes
                && !page.messages.is_empty()
                && bytes.saturating_add(size) > max
            {
                page.more = true;
                break;
            }
            bytes = bytes.saturating_add(size);
            page.messages.push(row.clone());
        }
        Ok(page)
    }

    fn get_by_hash(
        &self,
        hash: &MessageHash,
        now: Timestamp,
    ) -> Result<Option<StoredMessage>, Infallible> {
        Ok(self
            .live_seq(hash, now)
            .and_then(|seq| self.rows.get(&seq))
            .cloned())
    }

    fn get_expiries(
        &self,
        account: &AccountId,
        hashes: &[MessageHash],
        now: Timestamp,
    ) -> Result<Vec<(MessageHash, Timestamp)>, Infallible> {
        let mut out: Vec<(MessageHash, Timestamp)> = hashes
            .iter()
            .filter_map(|h| self.live_seq(h, now))
            .filter_map(|seq| self.rows.get(&seq))
            .filter(|r| r.account == *account)
            .map(|r| (r.hash, r.expiry))
            .collect();
        sort_by_hash_text(&mut out, |(h, _)| h);
        out.dedup_by_key(|(h, _)| *h);
        Ok(out)
    }
}

impl MessageDeleter for MemoryStore {
    fn delete_hashes(
        &mut self,
        account: &AccountId,
        hashes: &[MessageHash],
        now: Timestamp,
    ) -> Result<Vec<Affected>, Infallible> {
        let mut seqs: Vec<u64> = hashes
            .iter()
            .filter_map(|h| self.live_seq(h, now))
            .filter(|seq| self.rows.get(seq).is_some_and(|r| r.account == *account))
            .collect();
        seqs.sort_unstable();
        seqs.dedup();
        Ok(self.delete_seqs(seqs))
    }

    fn delete_all(
        &mut self,
        account: &AccountId,
        namespaces: NamespaceSelector,
        now: Timestamp,
    ) -> Result<Vec<Affected>, Infallible> {
        let seqs = self.owned(account, namespaces, now);
        Ok(self.delete_seqs(seqs))
    }

    fn delete_before(
        &mut self,
        account: &AccountId,
        namespaces: NamespaceSelector,
        before: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Affected>, Infallible> {
        let seqs = self
            .owned(account, namespaces, now)
            .into_iter()
            .filter(|seq| self.rows.get(seq).is_some_and(|r| r.timestamp <= before))
            .collect();
        Ok(self.delete_seqs(seqs))
    }
}

impl ExpiryUpdater for MemoryStore {
    fn update_expiries(
        &mut self,
        account: &AccountId,
        changes: &[(MessageHash, Timestamp)],
        mode: ExpiryMode,
        now: Timestamp,
    ) -> Result<Vec<ExpiryChange>, Infallible> {
        let mut out: Vec<ExpiryChange> = Vec::new();
        for (hash, expiry) in changes {
            let Some(seq) = self.live_seq(hash, now) else {
                continue;
            };
            let Some(row) = self.rows.get(&seq).filter(|r| r.account == *account) else {
                continue;
            };
            let (namespace, current) = (row.namespace, row.expiry);
            let apply = mode.applies(current, *expiry);
            if apply {
                self.set_expiry(seq, *expiry);
            }
            push_expiry_change(
                &mut out,
                ExpiryChange {
                    namespace,
                    hash: *hash,
                    expiry: if apply { *expiry } else { current },
                    changed: apply,
                },
            );
        }
        sort_by_hash_text(&mut out, |c| &c.hash);
        Ok(out)
    }

    fn shorten_all(
        &mut self,
        account: &AccountId,
        namespaces: NamespaceSelector,
        expiry: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Affected>, Infallible> {
        let mut out = Vec::new();
        for seq in self.owned(account, namespaces, now) {
            let Some(row) = self.rows.get(&seq) else {
                continue;
            };
            if row.expiry > expiry {
                out.push(Affected {
                    namespace: row.namespace,
                    hash: row.hash,
                });
                self.set_expiry(seq, expiry);
            }
        }
        sort_by_hash_text(&mut out, |a| &a.hash);
        Ok(out)
    }
}

impl ExpirySweeper for MemoryStore {
    fn sweep(&mut self, now: Timestamp) -> Result<usize, Infallible> {
        let expired: Vec<u64> = self
            .by_expiry
            .range(..=(now, u64::MAX))
            .map(|(_, seq)| *seq)
            .collect();
        let n = expired.len();
        for seq in expired {
            self.remove(seq);
        }
        Ok(n)
    }
}

impl ReplicaSource for MemoryStore {
    fn export_page(
        &self,
        after: Option<u64>,
        limit: usize,
        filter: &dyn Fn(&AccountId) -> bool,
        now: Timestamp,
    ) -> Result<ExportPage, Infallible> {
        let mut page = ExportPage::default();
        let range = match after {
            Some(a) => self.rows.range(a.saturating_add(1)..),
            None => self.rows.range(..),
        };
        for (seq, row) in range {
            if page.messages.len() >= limit.max(1) {
                page.next = Some(seq.saturating_sub(1));
                break;
            }
            if !row.is_expired(now) && filter(&row.account) {
                page.messages.push(row.clone());
            }
        }
        Ok(page)
    }
}

impl ReplicaSink for MemoryStore {
    fn import(
        &mut self,
        batch: &[StoredMessage],
        now: Timestamp,
    ) -> Result<ImportStats, Infallible> {
        let mut stats = ImportStats::default();
        for msg in batch {
            if msg.is_expired(now) {
                stats.expired += 1;
                continue;
            }
            let existing = self.by_hash.get(&msg.hash).copied();
            if existing.is_some_and(|seq| self.rows.get(&seq).is_some_and(|r| !r.is_expired(now))) {
                stats.duplicates += 1;
                continue;
            }
            let freed = existing
                .and_then(|seq| self.rows.get(&seq))
                .map_or(0, StoredMessage::footprint);
            let fits = match self.limit_bytes {
                Some(limit) => {
                    self.used_bytes
                        .saturating_sub(freed)
                        .saturating_add(msg.footprint())
                        <= limit
                }
                None => true,
            };
            if !fits {
                stats.full += 1;
                continue;
            }
            if let Some(seq) = existing {
                self.remove(seq);
            }
            self.insert(msg.clone());
            stats.inserted += 1;
        }
        Ok(stats)
    }
}

impl RevocationStore for MemoryStore {
    fn revoke(
        &mut self,
        account: &AccountId,
        token: &SubaccountToken,
        at: Timestamp,
    ) -> Result<(), Infallible> {
        let list = self.revoked.entry(*account).or_default();
        let slot = list.entry(*token).or_insert(at);
        *slot = (*slot).max(at);
        while list.len() > MAX_REVOCATIONS {
            // Drop the oldest; among equal times, the smallest token (a deterministic rule
            // every backend shares).
            let oldest = list
                .iter()
                .min_by_key(|(t, at)| (**at, **t))
                .map(|(t, _)| *t);
            match oldest {
                Some(t) => list.remove(&t),
                None => break,
            };
        }
        Ok(())
    }

    fn unrevoke(
        &mut self,
        account: &AccountId,
        token: &SubaccountToken,
    ) -> Result<bool, Infallible> {
        let Some(list) = self.revoked.get_mut(account) else {
            return Ok(false);
        };
        let was = list.remove(token).is_some();
        if list.is_empty() {
            self.revoked.remove(account);
        }
        Ok(was)
    }

    fn is_revoked(&self, account: &AccountId, token: &SubaccountToken) -> Result<bool, Infallible> {
        Ok(self
            .revoked
            .get(account)
            .is_some_and(|l| l.contains_key(token)))
    }

    fn revoked(&self, account: &AccountId) -> Result<Vec<SubaccountToken>, Infallible> {
        // The map's key order is the tokens' byte order.
        Ok(self
            .revoked
            .get(account)
            .map(|l| l.keys().copied().collect())
            .unwrap_or_default())
    }
}

impl StorageStats for MemoryStore {
    fn account_stats(
        &self,
        account: &AccountId,
        now: Timestamp,
    ) -> Result<Vec<NamespaceStats>, Infallible> {
        let mut out: Vec<NamespaceStats> = Vec::new();
        let range = (*account, Namespace(i16::MIN))..=(*account, Namespace(i16::MAX));
        for ((_, ns), seqs) in self.by_owner.range(range) {
            let mut s = NamespaceStats {
                namespace: *ns,
                ..NamespaceStats::default()
            };
            for row in seqs.iter().filter_map(|q| self.rows.get(q)) {
                if !row.is_expired(now) {
                    s.messages += 1;
                    s.bytes = s.bytes.saturating_add(row.data.len() as u64);
                }
            }
            if s.messages > 0 {
                out.push(s);
            }
        }
        Ok(out)
    }

    fn store_stats(&self) -> Result<StoreStats, Infallible> {
        let accounts: BTreeSet<&AccountId> = self.by_owner.keys().map(|(a, _)| a).collect();
        Ok(StoreStats {
            messages: self.rows.len() as u64,
            bytes: self.rows.values().map(|r| r.data.len() as u64).sum(),
            accounts: accounts.len() as u64,
        })
    }
}

impl StorageBackend for MemoryStore {
    fn capacity(&self) -> Result<Capacity, Infallible> {
        Ok(Capacity {
            used_bytes: self.used_bytes,
            limit_bytes: self.limit_bytes.unwrap_or(u64::MAX),
        })
    }
}
