//! session-storage benchmarks: store / retrieve-page / delete / sweep on `MemoryStore` and
//! `SqliteStore` holding 10^4 and 10^5 messages (10^6 with `STORAGE_BENCH_1M=1`), plus paired
//! ratios printed as `ratio …` lines: SQLite store against a plain rusqlite insert of the same
//! rows, and MemoryStore against SQLite.
// A benchmark reads the clock by definition.
#![allow(clippy::disallowed_methods)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;

use session_benches::paired_ratio;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rusqlite::params;
use session_core::{AccountId, Namespace, Timestamp};
use session_storage::{MemoryStore, RetrieveQuery, StorageBackend, StorageStats, StoredMessage};
use session_storage_sqlite::SqliteStore;

const NOW: Timestamp = Timestamp(1_700_000_000_000);
const DAY: u64 = 86_400_000;
/// Expiry of the populated messages.
const LIVE: Timestamp = Timestamp(NOW.0 + DAY);
/// Expiry of the messages a benchmark adds: live, and swept back out below [`LIVE`].
const EXTRA: Timestamp = Timestamp(NOW.0 + DAY - 1);
/// Expiry of the messages the sweep benchmark removes.
const SOON: Timestamp = Timestamp(NOW.0 + 1);
/// Messages per account: each account's namespace 0 holds this many.
const PER_ACCOUNT: u64 = 100;
const DATA_LEN: usize = 200;

fn sizes() -> Vec<u64> {
    let mut v = vec![10_000, 100_000];
    if std::env::var_os("STORAGE_BENCH_1M").is_some() {
        v.push(1_000_000);
    }
    v
}

fn account(i: u64) -> AccountId {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&i.to_le_bytes());
    key[8] = 0xA5;
    AccountId::new(5, key)
}

/// Message `i` of a store holding `n`: owner `i % (n / PER_ACCOUNT)`, unique data.
fn message(i: u64, n: u64, expiry: Timestamp) -> StoredMessage {
    let accounts = (n / PER_ACCOUNT).max(1);
    let mut data = vec![0x5Au8; DATA_LEN];
    data[..8].copy_from_slice(&i.to_le_bytes());
    StoredMessage::new(account(i % accounts), Namespace(0), NOW, expiry, data)
}

fn temp_db(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("session-bench-{tag}-{}.db", std::process::id()));
    remove_db(&p);
    p
}

fn remove_db(p: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut q = p.to_path_buf().into_os_string();
        q.push(suffix);
        let _ = std::fs::remove_file(q);
    }
}

fn populate<B: StorageBackend>(b: &mut B, n: u64) {
    let mut i = 0;
    while i < n {
        let batch: Vec<StoredMessage> = (i..(i + 10_000).min(n))
            .map(|k| message(k, n, LIVE))
            .collect();
        b.import(&batch, NOW).unwrap();
        i += 10_000;
    }
}

/// Both backends holding the same `n` messages. Every benchmark puts back what it changed
/// (messages it adds expire at [`EXTRA`] and are swept out, untimed), so every measurement
/// sees a store of `n` messages.
struct Fixture {
    n: u64,
    memory: MemoryStore,
    sqlite: SqliteStore,
    path: PathBuf,
    /// Next message number to add (beyond the populated ones).
    next: u64,
}

impl Fixture {
    fn new(n: u64) -> Self {
        let t = Instant::now();
        let mut memory = MemoryStore::new();
        populate(&mut memory, n);
        let t_memory = t.elapsed();
        let path = temp_db(&format!("{n}"));
        let mut sqlite = SqliteStore::open(&path).unwrap();
        populate(&mut sqlite, n);
        eprintln!(
            "setup {n} messages: MemoryStore {t_memory:.2?}, SqliteStore {:.2?}",
            t.elapsed() - t_memory
        );
        Self {
            n,
            memory,
            sqlite,
            path,
            next: n,
        }
    }

    /// `count` new messages expiring at `expiry`.
    fn fresh(&mut self, count: u64, expiry: Timestamp) -> Vec<StoredMessage> {
        (0..count)
            .map(|_| {
                self.next += 1;
                message(self.next, self.n, expiry)
            })
            .collect()
    }

    /// A copy of the SQLite database as a plain connection with the store's pragmas.
    fn plain_copy(&self) -> (rusqlite::Connection, PathBuf) {
        // Move the WAL into the main file so that the file alone is the whole database.
        rusqlite::Connection::open(&self.path)
            .unwrap()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap();
        let plain_path = temp_db(&format!("plain-{}", self.n));
        std::fs::copy(&self.path, &plain_path).unwrap();
        let plain = rusqlite::Connection::open(&plain_path).unwrap();
        plain.pragma_update(None, "journal_mode", "WAL").unwrap();
        plain.pragma_update(None, "synchronous", "NORMAL").unwrap();
        plain.pragma_update(None, "foreign_keys", "ON").unwrap();
        let rows: i64 = plain
            .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows as u64, self.n);
        (plain, plain_path)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        remove_db(&self.path);
    }
}

fn page_query(i: u64, n: u64) -> RetrieveQuery {
    let mut q = RetrieveQuery::all(account(i % (n / PER_ACCOUNT).max(1)), Namespace(0));
    q.max_count = Some(50);
    q
}

/// Stores `ms` one by one (each its own transaction), timed; then removes them, untimed.
fn timed_stores<B: StorageBackend>(b: &mut B, ms: &[StoredMessage]) -> Duration {
    let t = Instant::now();
    for m in ms {
        black_box(b.store(m, NOW).unwrap());
    }
    let elapsed = t.elapsed();
    assert_eq!(b.sweep(EXTRA).unwrap(), ms.len());
    elapsed
}

/// Imports `ms` untimed, then deletes them one by one by hash, timed.
fn timed_deletes<B: StorageBackend>(b: &mut B, ms: &[StoredMessage]) -> Duration {
    b.import(ms, NOW).unwrap();
    let t = Instant::now();
    for m in ms {
        black_box(b.delete_hashes(&m.account, &[m.hash], NOW).unwrap());
    }
    t.elapsed()
}

/// Imports `ms` (100 messages expiring at [`SOON`]) untimed, then sweeps them, timed.
fn timed_sweep<B: StorageBackend>(b: &mut B, ms: &[StoredMessage]) -> Duration {
    b.import(ms, NOW).unwrap();
    let t = Instant::now();
    assert_eq!(b.sweep(SOON).unwrap(), ms.len());
    t.elapsed()
}

fn timed_retrieves<B: StorageBackend>(b: &B, n: u64, q: &mut u64, count: u64) -> Duration {
    let t = Instant::now();
    for _ in 0..count {
        *q += 1;
        black_box(b.retrieve(&page_query(*q, n), NOW).unwrap().messages.len());
    }
    t.elapsed()
}

fn bench_ops<B: StorageBackend>(
    c: &mut Criterion,
    name: &str,
    n: u64,
    b: &mut B,
    fresh: &mut dyn FnMut(u64, Timestamp) -> Vec<StoredMessage>,
) {
    let mut g = c.benchmark_group(format!("storage/{name}"));
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g.bench_function(BenchmarkId::new("store", n), |bch| {
        bch.iter_custom(|iters| timed_stores(b, &fresh(iters, EXTRA)))
    });
    let mut q = 0u64;
    g.bench_function(BenchmarkId::new("retrieve_page50", n), |bch| {
        bch.iter_custom(|iters| timed_retrieves(b, n, &mut q, iters))
    });
    g.bench_function(BenchmarkId::new("delete", n), |bch| {
        bch.iter_custom(|iters| timed_deletes(b, &fresh(iters, EXTRA)))
    });
    // Each sweep removes 100 expired messages from among the n live ones.
    g.bench_function(BenchmarkId::new("sweep100", n), |bch| {
        bch.iter_custom(|iters| (0..iters).map(|_| timed_sweep(b, &fresh(100, SOON))).sum())
    });
    g.finish();
}

const PER_ROUND: u64 = 200;
const ROUNDS: usize = 31;

/// The paired ratios (`ratio …` lines), only under `--bench`.
fn ratios(f: &mut Fixture) {
    let n = f.n;
    // The plain baseline: a copy of the same database (schema, pragmas, rows), one autocommit
    // INSERT per row with the owner id already known, no duplicate or outbox checks.
    let (plain, plain_path) = f.plain_copy();
    let owners: Vec<i64> = (0..(n / PER_ACCOUNT).max(1))
        .map(|i| {
            let a = account(i);
            plain
                .query_row(
                    "SELECT id FROM owners WHERE pubkey = ?1 AND type = ?2",
                    params![a.key(), a.netid()],
                    |r| r.get(0),
                )
                .unwrap()
        })
        .collect();
    let accounts = owners.len() as u64;
    let f = std::cell::RefCell::new(f);
    paired_ratio(
        &format!("sqlite_store/plain_insert/{n}"),
        ROUNDS,
        || {
            let mut f = f.borrow_mut();
            let ms = f.fresh(PER_ROUND, EXTRA);
            timed_stores(&mut f.sqlite, &ms)
        },
        || {
            let ms: Vec<(u64, StoredMessage)> = {
                let mut f = f.borrow_mut();
                let first = f.next + 1;
                (first..).zip(f.fresh(PER_ROUND, EXTRA)).collect()
            };
            let t = Instant::now();
            for (i, m) in &ms {
                plain
                    .prepare_cached("INSERT INTO messages (hash, owner, namespace, timestamp, expiry, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                    .unwrap()
                    .execute(params![m.hash.as_bytes(), owners[(i % accounts) as usize], m.namespace.0, m.timestamp.0 as i64, m.expiry.0 as i64, m.data])
                    .unwrap();
            }
            let elapsed = t.elapsed();
            let removed = plain
                .prepare_cached("DELETE FROM messages WHERE expiry <= ?1")
                .unwrap()
                .execute([EXTRA.0 as i64])
                .unwrap();
            assert_eq!(removed, ms.len());
            elapsed
        },
    );
    drop(plain);
    remove_db(&plain_path);
    paired_ratio(
        &format!("memory_store/sqlite_store/{n}"),
        ROUNDS,
        || {
            let mut f = f.borrow_mut();
            let ms = f.fresh(PER_ROUND, EXTRA);
            timed_stores(&mut f.memory, &ms)
        },
        || {
            let mut f = f.borrow_mut();
            let ms = f.fresh(PER_ROUND, EXTRA);
            timed_stores(&mut f.sqlite, &ms)
        },
    );
    let (mut q1, mut q2) = (0u64, 0u64);
    paired_ratio(
        &format!("memory_retrieve_page50/sqlite_retrieve_page50/{n}"),
        ROUNDS,
        || timed_retrieves(&f.borrow().memory, n, &mut q1, PER_ROUND),
        || timed_retrieves(&f.borrow().sqlite, n, &mut q2, PER_ROUND),
    );
    paired_ratio(
        &format!("memory_delete/sqlite_delete/{n}"),
        ROUNDS,
        || {
            let mut f = f.borrow_mut();
            let ms = f.fresh(PER_ROUND, EXTRA);
            timed_deletes(&mut f.memory, &ms)
        },
        || {
            let mut f = f.borrow_mut();
            let ms = f.fresh(PER_ROUND, EXTRA);
            timed_deletes(&mut f.sqlite, &ms)
        },
    );
    paired_ratio(
        &format!("memory_sweep100/sqlite_sweep100/{n}"),
        ROUNDS,
        || {
            let mut f = f.borrow_mut();
            let ms = f.fresh(100, SOON);
            timed_sweep(&mut f.memory, &ms)
        },
        || {
            let mut f = f.borrow_mut();
            let ms = f.fresh(100, SOON);
            timed_sweep(&mut f.sqlite, &ms)
        },
    );
}

/// For each size: one fixture, the paired ratios (under `--bench`), then the criterion
/// throughput groups.
fn storage(c: &mut Criterion) {
    let bench = std::env::args().any(|a| a == "--bench");
    for n in sizes() {
        let mut f = Fixture::new(n);
        if bench {
            ratios(&mut f);
        }
        let Fixture {
            memory,
            sqlite,
            next,
            ..
        } = &mut f;
        let mut fresh = |count: u64, expiry: Timestamp| -> Vec<StoredMessage> {
            (0..count)
                .map(|_| {
                    *next += 1;
                    message(*next, n, expiry)
                })
                .collect()
        };
        bench_ops(c, "memory", n, memory, &mut fresh);
        bench_ops(c, "sqlite", n, sqlite, &mut fresh);
        assert_eq!(f.memory.store_stats().unwrap().messages, n);
        assert_eq!(f.sqlite.store_stats().unwrap().messages, n);
    }
}

criterion_group!(benches, storage);
criterion_main!(benches);
