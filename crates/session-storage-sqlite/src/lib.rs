//! # session-storage-sqlite
//!
//! A [`session_storage::StorageBackend`] on SQLite (bundled, so no system library is needed),
//! laid out like the storage server's database without its quirks:
//!
//! - `journal_mode=WAL`, `synchronous=NORMAL` (a committed write survives a process crash;
//!   only a power loss may lose the last transactions), `foreign_keys=ON`, 15 s busy timeout;
//! - tables `owners(type, pubkey)`, `messages(hash UNIQUE, owner, namespace, timestamp,
//!   expiry, data)` and `revoked_subaccounts`, indexes `messages_expiry(expiry)` and
//!   `messages_owner(owner, namespace, timestamp)`; the hash's `UNIQUE` constraint is its index
//!   (the reference's separate `messages_hash` index duplicates it). Hashes are stored as their
//!   32 raw bytes rather than 43 characters of text;
//! - revocations are keyed by the account itself, so they survive the account's last message
//!   (the reference cascades them away with the owner row);
//! - every statement is prepared once and cached; imports run in one transaction;
//! - writes take `&mut self`; reads take `&self` and share the one connection behind a mutex,
//!   so a `SqliteStore` can be read from several threads, one query at a time (a pool of
//!   read connections, as the storage server keeps, is not implemented);
//! - a size limit is enforced through `max_page_count`: a store that would exceed it returns
//!   [`StoreOutcome::Full`] and changes nothing.
//!
//! Timestamps are stored as SQLite integers (i64); values beyond `i64::MAX` ms are clamped.
//!
//! ```
//! use session_core::{AccountId, Namespace, Timestamp};
//! use session_storage::{MessageReader, MessageWriter, RetrieveQuery, StoreOutcome, StoredMessage};
//! use session_storage_sqlite::SqliteStore;
//!
//! let mut store = SqliteStore::open_in_memory()?;
//! let now = Timestamp::from_millis(1_700_000_000_000);
//! let account = AccountId::new(0x05, [1; 32]);
//! let msg = StoredMessage::new(account, Namespace(0), now, now.saturating_add_millis(60_000), b"hi".to_vec());
//! assert_eq!(store.store(&msg, now)?, StoreOutcome::New);
//! assert_eq!(store.retrieve(&RetrieveQuery::all(account, Namespace(0)), now)?.messages, vec![msg]);
//! # Ok::<(), session_storage_sqlite::SqliteError>(())
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, ErrorCode, OptionalExtension, Transaction, params};
use session_core::{AccountId, MessageHash, Namespace, Timestamp};
use session_storage::{
    Affected, Backend, Capacity, ExpiryChange, ExpiryMode, ExpirySweeper, ExpiryUpdater,
    ExportPage, ImportStats, MAX_REVOCATIONS, MessageDeleter, MessageReader, MessageWriter,
    NamespaceSelector, NamespaceStats, Page, ReplicaSink, ReplicaSource, RetrieveQuery,
    RevocationStore, StorageBackend, StorageStats, StoreOutcome, StoreStats, StoredMessage,
    SubaccountToken, push_expiry_change, sort_by_hash_text,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS owners (
    id INTEGER PRIMARY KEY,
    type INTEGER NOT NULL,
    pubkey BLOB NOT NULL,
    UNIQUE(pubkey, type)
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    owner INTEGER NOT NULL REFERENCES owners(id),
    namespace INTEGER NOT NULL DEFAULT 0,
    timestamp INTEGER NOT NULL,
    expiry INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_expiry ON messages(expiry);
CREATE INDEX IF NOT EXISTS messages_owner ON messages(owner, namespace, timestamp);
CREATE TABLE IF NOT EXISTS revoked_subaccounts (
    owner_type INTEGER NOT NULL,
    owner_pubkey BLOB NOT NULL,
    token BLOB NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY(owner_pubkey, owner_type, token)
) WITHOUT ROWID;
";

const OWNER_ID: &str = "(SELECT id FROM owners WHERE pubkey = ?1 AND type = ?2)";

/// Re-exported so that [`SqliteError`]'s cause can be matched with the same version.
pub use rusqlite;

type Result<T, E = SqliteError> = std::result::Result<T, E>;

/// A failure of the SQLite database under a [`SqliteStore`].
///
/// Each variant says which step failed; the [`rusqlite::Error`] is its
/// [`source`](std::error::Error::source), so a `{:#}` chain prints it once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SqliteError {
    /// Opening the database, or setting up its pragmas and schema, failed.
    #[error("cannot open the message database")]
    Open(#[source] rusqlite::Error),
    /// A statement failed (I/O error, corruption, a lock held past the busy timeout, ...).
    #[error("message database query failed")]
    Query(#[source] rusqlite::Error),
}

impl SqliteError {
    /// SQLite's error, for its code ([`rusqlite::Error::sqlite_error_code`]).
    #[must_use]
    pub fn sqlite(&self) -> &rusqlite::Error {
        match self {
            Self::Open(e) | Self::Query(e) => e,
        }
    }
}

impl From<SqliteError> for session_storage::Error<SqliteError> {
    fn from(e: SqliteError) -> Self {
        Self::Backend(e)
    }
}

fn be(e: rusqlite::Error) -> SqliteError {
    SqliteError::Query(e)
}

fn is_full(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::DiskFull)
}

fn ms(t: Timestamp) -> i64 {
    i64::try_from(t.as_millis()).unwrap_or(i64::MAX)
}

fn ts(v: i64) -> Timestamp {
    Timestamp::from_millis(u64::try_from(v).unwrap_or(0))
}

fn hash_of(blob: &[u8]) -> MessageHash {
    let mut h = [0u8; 32];
    if let Some(src) = blob.get(..32) {
        h.copy_from_slice(src);
    }
    MessageHash(h)
}

fn ns_clause(sel: NamespaceSelector) -> (&'static str, i64) {
    match sel {
        NamespaceSelector::One(ns) => ("AND namespace = ?3", i64::from(ns.0)),
        // Always true; keeps the parameter numbering of the statement.
        NamespaceSelector::All => ("AND ?3 = ?3", 0),
    }
}

fn namespace_of(v: i64) -> Namespace {
    Namespace(i16::try_from(v).unwrap_or(0))
}

/// A message store in one SQLite database file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    limited: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, without a size limit.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::setup(Connection::open(path).map_err(SqliteError::Open)?, None)
    }

    /// Opens the database at `path`; stores that would grow it past about `limit_bytes`
    /// return `Full` (the storage server uses 3.5 GiB).
    pub fn open_with_limit(path: impl AsRef<Path>, limit_bytes: u64) -> Result<Self> {
        Self::setup(
            Connection::open(path).map_err(SqliteError::Open)?,
            Some(limit_bytes),
        )
    }

    /// A private in-memory database (for tests).
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(
            Connection::open_in_memory().map_err(SqliteError::Open)?,
            None,
        )
    }

    /// A private in-memory database with a size limit.
    pub fn open_in_memory_with_limit(limit_bytes: u64) -> Result<Self> {
        Self::setup(
            Connection::open_in_memory().map_err(SqliteError::Open)?,
            Some(limit_bytes),
        )
    }

    fn setup(conn: Connection, limit_bytes: Option<u64>) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(15))
            .map_err(SqliteError::Open)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(SqliteError::Open)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(SqliteError::Open)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(SqliteError::Open)?;
        conn.execute_batch(SCHEMA).map_err(SqliteError::Open)?;
        conn.set_prepared_statement_cache_capacity(64);
        if let Some(limit) = limit_bytes {
            let page_size: i64 = conn
                .pragma_query_value(None, "page_size", |r| r.get(0))
                .map_err(SqliteError::Open)?;
            let pages = limit / u64::try_from(page_size.max(1)).unwrap_or(4096);
            conn.pragma_update(
                None,
                "max_page_count",
                i64::try_from(pages).unwrap_or(i64::MAX),
            )
            .map_err(SqliteError::Open)?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
            limited: limit_bytes.is_some(),
        })
    }

    fn read(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-applied change behind (SQLite
        // rolls back unfinished transactions), so a poisoned lock is still usable.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&mut self) -> &mut Connection {
        self.conn.get_mut().unwrap_or_else(PoisonError::into_inner)
    }
}

fn owner_id(tx: &Transaction<'_>, account: &AccountId) -> rusqlite::Result<i64> {
    let found = tx
        .prepare_cached("SELECT id FROM owners WHERE pubkey = ?1 AND type = ?2")?
        .query_row(params![account.key(), account.netid()], |r| r.get(0))
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => {
            tx.prepare_cached("INSERT INTO owners (pubkey, type) VALUES (?1, ?2)")?
                .execute(params![account.key(), account.netid()])?;
            Ok(tx.last_insert_rowid())
        }
    }
}

fn insert(tx: &Transaction<'_>, msg: &StoredMessage) -> rusqlite::Result<()> {
    let owner = owner_id(tx, &msg.account)?;
    tx.prepare_cached(
        "INSERT INTO messages (hash, owner, namespace, timestamp, expiry, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        msg.hash.as_bytes(),
        owner,
        msg.namespace.0,
        ms(msg.timestamp),
        ms(msg.expiry),
        msg.data
    ])?;
    Ok(())
}

/// `(id, expiry)` of the row with this hash, live or not.
fn find(tx: &Transaction<'_>, hash: &MessageHash) -> rusqlite::Result<Option<(i64, i64)>> {
    tx.prepare_cached("SELECT id, expiry FROM messages WHERE hash = ?1")?
        .query_row([hash.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

fn delete_id(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM messages WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

fn clear_outbox(tx: &Transaction<'_>, msg: &StoredMessage, now: Timestamp) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!(
        "DELETE FROM messages WHERE owner = {OWNER_ID} AND namespace = ?3 AND hash != ?4 AND expiry > ?5"
    ))?
    .execute(params![
        msg.account.key(),
        msg.account.netid(),
        msg.namespace.0,
        msg.hash.as_bytes(),
        ms(now)
    ])?;
    Ok(())
}

fn store_tx(
    tx: &Transaction<'_>,
    msg: &StoredMessage,
    now: Timestamp,
) -> rusqlite::Result<StoreOutcome> {
    let existing = find(tx, &msg.hash)?;
    if msg.namespace.is_public_outbox() {
        clear_outbox(tx, msg, now)?;
    }
    match existing {
        Some((id, expiry)) if expiry > ms(now) => {
            if expiry < ms(msg.expiry) {
                tx.prepare_cached("UPDATE messages SET expiry = ?2 WHERE id = ?1")?
                    .execute(params![id, ms(msg.expiry)])?;
                Ok(StoreOutcome::Extended)
            } else {
                Ok(StoreOutcome::Exists)
            }
        }
        Some((id, _)) => {
            delete_id(tx, id)?;
            insert(tx, msg)?;
            Ok(StoreOutcome::New)
        }
        None => {
            insert(tx, msg)?;
            Ok(StoreOutcome::New)
        }
    }
}

impl Backend for SqliteStore {
    type Error = SqliteError;
}

impl MessageWriter for SqliteStore {
    fn store(&mut self, msg: &StoredMessage, now: Timestamp) -> Result<StoreOutcome> {
        let conn = self.write();
        let tx = conn.transaction().map_err(be)?;
        match store_tx(&tx, msg, now) {
            Ok(outcome) => {
                tx.commit().map_err(be)?;
                Ok(outcome)
            }
            // Dropping the transaction rolls it back: a full store changes nothing.
            Err(e) if is_full(&e) => Ok(StoreOutcome::Full),
            Err(e) => Err(be(e)),
        }
    }
}

fn row_message(r: &rusqlite::Row<'_>, account: AccountId) -> rusqlite::Result<StoredMessage> {
    let hash: Vec<u8> = r.get("hash")?;
    Ok(StoredMessage {
        account,
        namespace: namespace_of(r.get("namespace")?),
        hash: hash_of(&hash),
        timestamp: ts(r.get("timestamp")?),
        expiry: ts(r.get("expiry")?),
        data: r.get("data")?,
    })
}

fn row_account(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountId> {
    let key: Vec<u8> = r.get("pubkey")?;
    let mut k = [0u8; 32];
    if let Some(src) = key.get(..32) {
        k.copy_from_slice(src);
    }
    Ok(AccountId::new(r.get("type")?, k))
}

impl MessageReader for SqliteStore {
    fn retrieve(&self, q: &RetrieveQuery, now: Timestamp) -> Result<Page> {
        let conn = self.read();
        let (key, netid, ns) = (q.account.key(), q.account.netid(), q.namespace.0);
        let after: i64 = match q.after {
            Some(h) => conn
                .prepare_cached(&format!(
                    "SELECT id FROM messages WHERE hash = ?3 AND owner = {OWNER_ID} AND namespace = ?4"
                ))
                .map_err(be)?
                .query_row(params![key, netid, h.as_bytes(), ns], |r| r.get(0))
                .optional()
                .map_err(be)?
                .unwrap_or(0),
            None => 0,
        };
        let limit = q.max_count.map_or(-1, |c| {
            i64::try_from(c).unwrap_or(i64::MAX - 1).saturating_add(1)
        });
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT hash, namespace, timestamp, expiry, data FROM messages
                 WHERE owner = {OWNER_ID} AND namespace = ?3 AND id > ?4 AND expiry > ?5
                 ORDER BY id LIMIT ?6"
            ))
            .map_err(be)?;
        let mut rows = stmt
            .query(params![key, netid, ns, after, ms(now), limit])
            .map_err(be)?;
        let mut page = Page::default();
        let mut bytes = 0u64;
        while let Some(r) = rows.next().map_err(be)? {
            if q.max_count.is_some_and(|m| page.messages.len() >= m) {
                page.more = true;
                break;
            }
            let m = row_message(r, q.account).map_err(be)?;
            let size = q.size_model.size_of(m.data.len());
            if let Some(max) = q.max_bytes
                && !page.messages.is_empty()
                && bytes.saturating_add(size) > max
            {
                page.more = true;
                break;
            }
            bytes = bytes.saturating_add(size);
            page.messages.push(m);
        }
        Ok(page)
    }

    fn get_by_hash(&self, hash: &MessageHash, now: Timestamp) -> Result<Option<StoredMessage>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(
                "SELECT o.type, o.pubkey, m.hash, m.namespace, m.timestamp, m.expiry, m.data
                 FROM messages m JOIN owners o ON o.id = m.owner
                 WHERE m.hash = ?1 AND m.expiry > ?2",
            )
            .map_err(be)?;
        stmt.query_row(params![hash.as_bytes(), ms(now)], |r| {
            row_message(r, row_account(r)?)
        })
        .optional()
        .map_err(be)
    }

    fn get_expiries(
        &self,
        account: &AccountId,
        hashes: &[MessageHash],
        now: Timestamp,
    ) -> Result<Vec<(MessageHash, Timestamp)>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT expiry FROM messages WHERE hash = ?3 AND owner = {OWNER_ID} AND expiry > ?4"
            ))
            .map_err(be)?;
        let mut out = Vec::new();
        for h in hashes {
            let e: Option<i64> = stmt
                .query_row(
                    params![account.key(), account.netid(), h.as_bytes(), ms(now)],
                    |r| r.get(0),
                )
                .optional()
                .map_err(be)?;
            if let Some(e) = e {
                out.push((*h, ts(e)));
            }
        }
        sort_by_hash_text(&mut out, |(h, _)| h);
        out.dedup_by_key(|(h, _)| *h);
        Ok(out)
    }
}

fn collect_affected(
    stmt: &mut rusqlite::CachedStatement<'_>,
    p: impl rusqlite::Params,
) -> rusqlite::Result<Vec<Affected>> {
    let rows = stmt.query_map(p, |r| {
        let hash: Vec<u8> = r.get(1)?;
        Ok(Affected {
            namespace: namespace_of(r.get(0)?),
            hash: hash_of(&hash),
        })
    })?;
    rows.collect()
}

impl SqliteStore {
    fn delete_where(
        &mut self,
        account: &AccountId,
        sel: NamespaceSelector,
        before: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Vec<Affected>> {
        let (clause, ns) = ns_clause(sel);
        let cutoff = before.map_or(i64::MAX, ms);
        let conn = self.write();
        let mut stmt = conn
            .prepare_cached(&format!(
                "DELETE FROM messages WHERE owner = {OWNER_ID} {clause} AND timestamp <= ?4
                 AND expiry > ?5 RETURNING namespace, hash"
            ))
            .map_err(be)?;
        let mut out = collect_affected(
            &mut stmt,
            params![account.key(), account.netid(), ns, cutoff, ms(now)],
        )
        .map_err(be)?;
        sort_by_hash_text(&mut out, |a| &a.hash);
        Ok(out)
    }
}

impl MessageDeleter for SqliteStore {
    fn delete_hashes(
        &mut self,
        account: &AccountId,
        hashes: &[MessageHash],
        now: Timestamp,
    ) -> Result<Vec<Affected>> {
        let conn = self.write();
        let tx = conn.transaction().map_err(be)?;
        let mut out = Vec::new();
        {
            let mut stmt = tx
                .prepare_cached(&format!(
                    "DELETE FROM messages WHERE hash = ?3 AND owner = {OWNER_ID} AND expiry > ?4
                     RETURNING namespace, hash"
                ))
                .map_err(be)?;
            for h in hashes {
                out.extend(
                    collect_affected(
                        &mut stmt,
                        params![account.key(), account.netid(), h.as_bytes(), ms(now)],
                    )
                    .map_err(be)?,
                );
            }
        }
        tx.commit().map_err(be)?;
        sort_by_hash_text(&mut out, |a| &a.hash);
        Ok(out)
    }

    fn delete_all(
        &mut self,
        account: &AccountId,
        namespaces: NamespaceSelector,
        now: Timestamp,
    ) -> Result<Vec<Affected>> {
        self.delete_where(account, namespaces, None, now)
    }

    fn delete_before(
        &mut self,
        account: &AccountId,
        namespaces: NamespaceSelector,
        before: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Affected>> {
        self.delete_where(account, namespaces, Some(before), now)
    }
}

impl ExpiryUpdater for SqliteStore {
    fn update_expiries(
        &mut self,
        account: &AccountId,
        changes: &[(MessageHash, Timestamp)],
        mode: ExpiryMode,
        now: Timestamp,
    ) -> Result<Vec<ExpiryChange>> {
        let conn = self.write();
        let tx = conn.transaction().map_err(be)?;
        let mut out: Vec<ExpiryChange> = Vec::new();
        {
            let mut find = tx
                .prepare_cached(&format!(
                    "SELECT id, namespace, expiry FROM messages
                     WHERE hash = ?3 AND owner = {OWNER_ID} AND expiry > ?4"
                ))
                .map_err(be)?;
            let mut update = tx
                .prepare_cached("UPDATE messages SET expiry = ?2 WHERE id = ?1")
                .map_err(be)?;
            for (hash, expiry) in changes {
                let row: Option<(i64, i64, i64)> = find
                    .query_row(
                        params![account.key(), account.netid(), hash.as_bytes(), ms(now)],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()
                    .map_err(be)?;
                let Some((id, namespace, current)) = row else {
                    continue;
                };
                let new = ms(*expiry);
                let apply = mode.applies(ts(current), ts(new));
                if apply {
                    update.execute(params![id, new]).map_err(be)?;
                }
                push_expiry_change(
                    &mut out,
                    ExpiryChange {
                        namespace: namespace_of(namespace),
                        hash: *hash,
                        expiry: ts(if apply { new } else { current }),
                        changed: apply,
                    },
                );
            }
        }
        tx.commit().map_err(be)?;
        sort_by_hash_text(&mut out, |c| &c.hash);
        Ok(out)
    }

    fn shorten_all(
        &mut self,
        account: &AccountId,
        namespaces: NamespaceSelector,
        expiry: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Affected>> {
        let (clause, ns) = ns_clause(namespaces);
        let conn = self.write();
        let mut stmt = conn
            .prepare_cached(&format!(
                "UPDATE messages SET expiry = ?4 WHERE owner = {OWNER_ID} {clause}
                 AND expiry > ?4 AND expiry > ?5 RETURNING namespace, hash"
            ))
            .map_err(be)?;
        let mut out = collect_affected(
            &mut stmt,
            params![account.key(), account.netid(), ns, ms(expiry), ms(now)],
        )
        .map_err(be)?;
        sort_by_hash_text(&mut out, |a| &a.hash);
        Ok(out)
    }
}

impl ExpirySweeper for SqliteStore {
    fn sweep(&mut self, now: Timestamp) -> Result<usize> {
        let conn = self.write();
        conn.prepare_cached("DELETE FROM messages WHERE expiry <= ?1")
            .map_err(be)?
            .execute([ms(now)])
            .map_err(be)
    }
}

impl ReplicaSource for SqliteStore {
    fn export_page(
        &self,
        after: Option<u64>,
        limit: usize,
        filter: &dyn Fn(&AccountId) -> bool,
        now: Timestamp,
    ) -> Result<ExportPage> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(
                "SELECT m.id, o.type, o.pubkey, m.hash, m.namespace, m.timestamp, m.expiry, m.data
                 FROM messages m JOIN owners o ON o.id = m.owner
                 WHERE m.id > ?1 AND m.expiry > ?2 ORDER BY m.id",
            )
            .map_err(be)?;
        let start = after.map_or(0, |a| i64::try_from(a).unwrap_or(i64::MAX));
        let mut rows = stmt.query(params![start, ms(now)]).map_err(be)?;
        let mut page = ExportPage::default();
        let mut last = start;
        while let Some(r) = rows.next().map_err(be)? {
            let account = row_account(r).map_err(be)?;
            if !filter(&account) {
                last = r.get(0).map_err(be)?;
                continue;
            }
            if page.messages.len() >= limit.max(1) {
                page.next = u64::try_from(last).ok();
                break;
            }
            last = r.get(0).map_err(be)?;
            page.messages.push(row_message(r, account).map_err(be)?);
        }
        Ok(page)
    }
}

fn import_tx(
    tx: &Transaction<'_>,
    batch: &[StoredMessage],
    now: Timestamp,
    stats: &mut ImportStats,
) -> rusqlite::Result<()> {
    for msg in batch {
        if msg.is_expired(now) {
            stats.expired += 1;
            continue;
        }
        match find(tx, &msg.hash)? {
            Some((_, expiry)) if expiry > ms(now) => {
                stats.duplicates += 1;
                continue;
            }
            Some((id, _)) => delete_id(tx, id)?,
            None => {}
        }
        insert(tx, msg)?;
        stats.inserted += 1;
    }
    Ok(())
}

impl ReplicaSink for SqliteStore {
    fn import(&mut self, batch: &[StoredMessage], now: Timestamp) -> Result<ImportStats> {
        let limited = self.limited;
        let conn = self.write();
        let mut stats = ImportStats::default();
        let tx = conn.transaction().map_err(be)?;
        match import_tx(&tx, batch, now, &mut stats) {
            Ok(()) => {
                tx.commit().map_err(be)?;
                return Ok(stats);
            }
            Err(e) if limited && is_full(&e) => drop(tx),
            Err(e) => return Err(be(e)),
        }
        // The store filled up part-way: import what fits, one message at a time.
        let mut stats = ImportStats::default();
        for msg in batch {
            let tx = conn.transaction().map_err(be)?;
            match import_tx(&tx, std::slice::from_ref(msg), now, &mut stats) {
                Ok(()) => tx.commit().map_err(be)?,
                Err(e) if is_full(&e) => stats.full += 1,
                Err(e) => return Err(be(e)),
            }
        }
        Ok(stats)
    }
}

impl RevocationStore for SqliteStore {
    fn revoke(
        &mut self,
        account: &AccountId,
        token: &SubaccountToken,
        at: Timestamp,
    ) -> Result<()> {
        let conn = self.write();
        let tx = conn.transaction().map_err(be)?;
        tx.prepare_cached(
            "INSERT INTO revoked_subaccounts (owner_pubkey, owner_type, token, timestamp)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO UPDATE SET timestamp = max(timestamp, excluded.timestamp)",
        )
        .map_err(be)?
        .execute(params![account.key(), account.netid(), token.0, ms(at)])
        .map_err(be)?;
        tx.prepare_cached(
            "DELETE FROM revoked_subaccounts WHERE owner_pubkey = ?1 AND owner_type = ?2
             AND token IN (SELECT token FROM revoked_subaccounts
                           WHERE owner_pubkey = ?1 AND owner_type = ?2
                           ORDER BY timestamp DESC, token DESC LIMIT -1 OFFSET ?3)",
        )
        .map_err(be)?
        .execute(params![
            account.key(),
            account.netid(),
            i64::try_from(MAX_REVOCATIONS).unwrap_or(i64::MAX)
        ])
        .map_err(be)?;
        tx.commit().map_err(be)
    }

    fn unrevoke(&mut self, account: &AccountId, token: &SubaccountToken) -> Result<bool> {
        let conn = self.write();
        let n = conn
            .prepare_cached(
                "DELETE FROM revoked_subaccounts
                 WHERE owner_pubkey = ?1 AND owner_type = ?2 AND token = ?3",
            )
            .map_err(be)?
            .execute(params![account.key(), account.netid(), token.0])
            .map_err(be)?;
        Ok(n > 0)
    }

    fn is_revoked(&self, account: &AccountId, token: &SubaccountToken) -> Result<bool> {
        let conn = self.read();
        conn.prepare_cached(
            "SELECT 1 FROM revoked_subaccounts
             WHERE owner_pubkey = ?1 AND owner_type = ?2 AND token = ?3",
        )
        .map_err(be)?
        .exists(params![account.key(), account.netid(), token.0])
        .map_err(be)
    }

    fn revoked(&self, account: &AccountId) -> Result<Vec<SubaccountToken>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(
                "SELECT token FROM revoked_subaccounts
                 WHERE owner_pubkey = ?1 AND owner_type = ?2 ORDER BY token",
            )
            .map_err(be)?;
        // A blob of another length than a token's is corruption, reported as a query failure.
        let rows = stmt
            .query_map(params![account.key(), account.netid()], |row| {
                row.get::<_, [u8; 36]>(0).map(SubaccountToken)
            })
            .map_err(be)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(be)
    }
}

impl StorageStats for SqliteStore {
    fn account_stats(&self, account: &AccountId, now: Timestamp) -> Result<Vec<NamespaceStats>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT namespace, count(*), coalesce(sum(length(data)), 0) FROM messages
                 WHERE owner = {OWNER_ID} AND expiry > ?3 GROUP BY namespace ORDER BY namespace"
            ))
            .map_err(be)?;
        let rows = stmt
            .query_map(params![account.key(), account.netid(), ms(now)], |r| {
                Ok(NamespaceStats {
                    namespace: namespace_of(r.get(0)?),
                    messages: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    bytes: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                })
            })
            .map_err(be)?;
        rows.collect::<rusqlite::Result<_>>().map_err(be)
    }

    fn store_stats(&self) -> Result<StoreStats> {
        let conn = self.read();
        conn.prepare_cached(
            "SELECT count(*), coalesce(sum(length(data)), 0), count(DISTINCT owner) FROM messages",
        )
        .map_err(be)?
        .query_row([], |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| u64::try_from(v).unwrap_or(0));
            Ok(StoreStats {
                messages: n(0)?,
                bytes: n(1)?,
                accounts: n(2)?,
            })
        })
        .map_err(be)
    }
}

impl StorageBackend for SqliteStore {
    fn capacity(&self) -> Result<Capacity> {
        let conn = self.read();
        let get = |name: &str| -> Result<u64> {
            let v: i64 = conn
                .pragma_query_value(None, name, |r| r.get(0))
                .map_err(be)?;
            Ok(u64::try_from(v).unwrap_or(0))
        };
        let (pages, free, size, max) = (
            get("page_count")?,
            get("freelist_count")?,
            get("page_size")?,
            get("max_page_count")?,
        );
        Ok(Capacity {
            used_bytes: pages.saturating_sub(free).saturating_mul(size),
            limit_bytes: if self.limited {
                max.saturating_mul(size)
            } else {
                u64::MAX
            },
        })
    }
}
