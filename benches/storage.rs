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
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rusqlite::params;
use session_core::{AccountId, Namespace, Timestamp};
use session_storage::{
    ExpirySweeper, MemoryStore, MessageDeleter, MessageReader, MessageWriter, ReplicaSink,
    RetrieveQuery, StorageBackend, StoredMessage,
};
use session_storage_sqlite::SqliteStore;

const NOW: Timestamp = Timestamp(1_700_000_000_000);
const DAY: u64 = 86_400_000;
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
    let exp = Timestamp(NOW.0 + DAY);
    let mut i = 0;
    while i < n {
        let batch: Vec<StoredMessage> = (i..(i + 10_000).min(n))
            .map(|k| message(k, n, exp))
            .collect();
        b.import(&batch, NOW).unwrap();
        i += 10_000;
    }
}

struct Fixture {
    memory: MemoryStore,
    sqlite: SqliteStore,
    path: PathBuf,
    /// Next message number to add (beyond the populated ones).
    next: u64,
}

impl Fixture {
    fn new(n: u64) -> Self {
        let mut memory = MemoryStore::new();
        populate(&mut memory, n);
        let path = temp_db(&format!("{n}"));
        let mut sqlite = SqliteStore::open(&path).unwrap();
        populate(&mut sqlite, n);
        Self {
            memory,
            sqlite,
            path,
            next: n,
        }
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

fn bench_ops<B: StorageBackend>(c: &mut Criterion, name: &str, n: u64, b: &mut B, next: &mut u64) {
    let mut g = c.benchmark_group(format!("storage/{name}"));
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let exp = Timestamp(NOW.0 + DAY);
    g.bench_function(BenchmarkId::new("store", n), |bch| {
        bch.iter(|| {
            *next += 1;
            let m = message(*next, n, exp);
            black_box(b.store(&m, NOW).unwrap())
        })
    });
    let mut i = 0u64;
    g.bench_function(BenchmarkId::new("retrieve_page50", n), |bch| {
        bch.iter(|| {
            i += 1;
            black_box(b.retrieve(&page_query(i, n), NOW).unwrap().messages.len())
        })
    });
    g.bench_function(BenchmarkId::new("delete", n), |bch| {
        bch.iter_custom(|iters| {
            let ms: Vec<StoredMessage> = (0..iters)
                .map(|_| {
                    *next += 1;
                    message(*next, n, exp)
                })
                .collect();
            b.import(&ms, NOW).unwrap();
            let t = Instant::now();
            for m in &ms {
                black_box(b.delete_hashes(&m.account, &[m.hash], NOW).unwrap());
            }
            t.elapsed()
        })
    });
    // Each sweep removes 100 expired messages from among the n live ones.
    g.bench_function(BenchmarkId::new("sweep100", n), |bch| {
        bch.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let soon = Timestamp(NOW.0 + 1);
                let ms: Vec<StoredMessage> = (0..100)
                    .map(|_| {
                        *next += 1;
                        message(*next, n, soon)
                    })
                    .collect();
                b.import(&ms, NOW).unwrap();
                let t = Instant::now();
                assert_eq!(b.sweep(soon).unwrap(), 100);
                total += t.elapsed();
            }
            total
        })
    });
    g.finish();
}

fn throughput(c: &mut Criterion) {
    for n in sizes() {
        let mut f = Fixture::new(n);
        let mut next = f.next;
        bench_ops(c, "memory", n, &mut f.memory, &mut next);
        bench_ops(c, "sqlite", n, &mut f.sqlite, &mut next);
    }
}

/// Paired ratio measurement: in each round, time `per_round` runs of `a` and of `b` back to
/// back (alternating which goes first); report the median and min of the per-round ratios.
fn paired(
    name: &str,
    rounds: usize,
    mut a: impl FnMut() -> Duration,
    mut b: impl FnMut() -> Duration,
) {
    let mut ratios = Vec::with_capacity(rounds);
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    for round in 0..rounds {
        let (ta, tb) = if round % 2 == 0 {
            let ta = a();
            (ta, b())
        } else {
            let tb = b();
            (a(), tb)
        };
        best_a = best_a.min(ta);
        best_b = best_b.min(tb);
        ratios.push(ta.as_secs_f64() / tb.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "ratio {name}: median {:.3} min {:.3} max {:.3} ({rounds} rounds); fastest round {:?} vs {:?}",
        ratios[rounds / 2],
        ratios[0],
        ratios[rounds - 1],
        best_a,
        best_b
    );
}

const PER_ROUND: u64 = 200;

fn ratios(_c: &mut Criterion) {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    for n in sizes() {
        let mut f = Fixture::new(n);
        // The plain baseline: the same schema and pragmas, one autocommit INSERT per row with
        // the owner id already known, no duplicate or outbox checks.
        let plain_path = temp_db(&format!("plain-{n}"));
        {
            let mut s = SqliteStore::open(&plain_path).unwrap();
            populate(&mut s, n);
        }
        let plain = rusqlite::Connection::open(&plain_path).unwrap();
        plain.pragma_update(None, "journal_mode", "WAL").unwrap();
        plain.pragma_update(None, "synchronous", "NORMAL").unwrap();
        plain.pragma_update(None, "foreign_keys", "ON").unwrap();
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
        let exp = Timestamp(NOW.0 + DAY);
        let mut next = f.next;
        let mut next_plain = f.next;
        let sqlite = std::cell::RefCell::new(&mut f.sqlite);
        let accounts = owners.len() as u64;
        paired(
            &format!("sqlite_store/plain_insert/{n}"),
            31,
            || {
                let ms: Vec<StoredMessage> = (0..PER_ROUND)
                    .map(|_| {
                        next += 1;
                        message(next, n, exp)
                    })
                    .collect();
                let mut s = sqlite.borrow_mut();
                let t = Instant::now();
                for m in &ms {
                    black_box(s.store(m, NOW).unwrap());
                }
                t.elapsed()
            },
            || {
                let ms: Vec<(u64, StoredMessage)> = (0..PER_ROUND)
                    .map(|_| {
                        next_plain += 1;
                        (next_plain, message(next_plain, n, exp))
                    })
                    .collect();
                let t = Instant::now();
                for (i, m) in &ms {
                    plain
                        .prepare_cached("INSERT INTO messages (hash, owner, namespace, timestamp, expiry, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                        .unwrap()
                        .execute(params![m.hash.as_bytes(), owners[(i % accounts) as usize], m.namespace.0, m.timestamp.0 as i64, m.expiry.0 as i64, m.data])
                        .unwrap();
                }
                t.elapsed()
            },
        );
        drop(plain);
        remove_db(&plain_path);
        let mut next_mem = next;
        let mem = std::cell::RefCell::new(&mut f.memory);
        paired(
            &format!("memory_store/sqlite_store/{n}"),
            31,
            || {
                let ms: Vec<StoredMessage> = (0..PER_ROUND)
                    .map(|_| {
                        next_mem += 1;
                        message(next_mem, n, exp)
                    })
                    .collect();
                let mut s = mem.borrow_mut();
                let t = Instant::now();
                for m in &ms {
                    black_box(s.store(m, NOW).unwrap());
                }
                t.elapsed()
            },
            || {
                let ms: Vec<StoredMessage> = (0..PER_ROUND)
                    .map(|_| {
                        next += 1;
                        message(next, n, exp)
                    })
                    .collect();
                let mut s = sqlite.borrow_mut();
                let t = Instant::now();
                for m in &ms {
                    black_box(s.store(m, NOW).unwrap());
                }
                t.elapsed()
            },
        );
        let mut q = 0u64;
        let mut q2 = 0u64;
        paired(
            &format!("memory_retrieve_page50/sqlite_retrieve_page50/{n}"),
            31,
            || {
                let s = mem.borrow();
                let t = Instant::now();
                for _ in 0..PER_ROUND {
                    q += 1;
                    black_box(s.retrieve(&page_query(q, n), NOW).unwrap());
                }
                t.elapsed()
            },
            || {
                let s = sqlite.borrow();
                let t = Instant::now();
                for _ in 0..PER_ROUND {
                    q2 += 1;
                    black_box(s.retrieve(&page_query(q2, n), NOW).unwrap());
                }
                t.elapsed()
            },
        );
        let del = |s: &mut dyn FnMut(&[StoredMessage]) -> Duration, next: &mut u64| {
            let ms: Vec<StoredMessage> = (0..PER_ROUND)
                .map(|_| {
                    *next += 1;
                    message(*next, n, exp)
                })
                .collect();
            s(&ms)
        };
        let (mut nm, mut ns) = (next_mem, next);
        paired(
            &format!("memory_delete/sqlite_delete/{n}"),
            31,
            || {
                del(
                    &mut |ms| {
                        let mut s = mem.borrow_mut();
                        s.import(ms, NOW).unwrap();
                        let t = Instant::now();
                        for m in ms {
                            black_box(s.delete_hashes(&m.account, &[m.hash], NOW).unwrap());
                        }
                        t.elapsed()
                    },
                    &mut nm,
                )
            },
            || {
                del(
                    &mut |ms| {
                        let mut s = sqlite.borrow_mut();
                        s.import(ms, NOW).unwrap();
                        let t = Instant::now();
                        for m in ms {
                            black_box(s.delete_hashes(&m.account, &[m.hash], NOW).unwrap());
                        }
                        t.elapsed()
                    },
                    &mut ns,
                )
            },
        );
        let soon = Timestamp(NOW.0 + 1);
        let (mut sm, mut ss) = (nm, ns);
        paired(
            &format!("memory_sweep100/sqlite_sweep100/{n}"),
            31,
            || {
                let ms: Vec<StoredMessage> = (0..100)
                    .map(|_| {
                        sm += 1;
                        message(sm, n, soon)
                    })
                    .collect();
                let mut s = mem.borrow_mut();
                s.import(&ms, NOW).unwrap();
                let t = Instant::now();
                assert_eq!(s.sweep(soon).unwrap(), 100);
                t.elapsed()
            },
            || {
                let ms: Vec<StoredMessage> = (0..100)
                    .map(|_| {
                        ss += 1;
                        message(ss, n, soon)
                    })
                    .collect();
                let mut s = sqlite.borrow_mut();
                s.import(&ms, NOW).unwrap();
                let t = Instant::now();
                assert_eq!(s.sweep(soon).unwrap(), 100);
                t.elapsed()
            },
        );
    }
}

criterion_group!(benches, ratios, throughput);
criterion_main!(benches);
