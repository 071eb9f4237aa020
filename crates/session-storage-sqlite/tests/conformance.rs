//! The shared conformance suite against SQLite, on files (persistence) and in memory.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use session_storage::conformance::{Harness, run_all};
use session_storage_sqlite::SqliteStore;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh database path under the system temp dir, removed (with its WAL files) on drop.
struct TempDb(PathBuf);

impl TempDb {
    fn new(tag: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!(
            "session-storage-{tag}-{}-{n}.db",
            std::process::id()
        ));
        let db = Self(p);
        db.remove();
        db
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.remove();
    }
}

struct Files {
    dbs: Vec<TempDb>,
    current: Option<PathBuf>,
}

impl Harness for Files {
    type Backend = SqliteStore;
    fn fresh(&mut self) -> SqliteStore {
        let db = TempDb::new("conf");
        let store = SqliteStore::open(&db.0).unwrap();
        self.current = Some(db.0.clone());
        self.dbs.push(db);
        store
    }
    fn fresh_with_limit(&mut self, limit_bytes: u64) -> SqliteStore {
        let db = TempDb::new("conf-limit");
        let store = SqliteStore::open_with_limit(&db.0, limit_bytes).unwrap();
        self.dbs.push(db);
        store
    }
    fn reopen(&mut self, backend: SqliteStore) -> Option<SqliteStore> {
        drop(backend);
        Some(SqliteStore::open(self.current.as_ref()?).unwrap())
    }
}

struct InMemory;

impl Harness for InMemory {
    type Backend = SqliteStore;
    fn fresh(&mut self) -> SqliteStore {
        SqliteStore::open_in_memory().unwrap()
    }
    fn fresh_with_limit(&mut self, limit_bytes: u64) -> SqliteStore {
        SqliteStore::open_in_memory_with_limit(limit_bytes).unwrap()
    }
}

#[test]
fn sqlite_files_conform_including_reopen() {
    let mut h = Files {
        dbs: Vec::new(),
        current: None,
    };
    let report = run_all(&mut h, 32).unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(report.passed, (1..=15).collect::<Vec<u8>>());
    assert!(report.skipped.is_empty());
}

#[test]
fn sqlite_in_memory_conforms() {
    let report = run_all(&mut InMemory, 256).unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(
        report.passed,
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15]
    );
    assert_eq!(report.skipped, [14]);
}
