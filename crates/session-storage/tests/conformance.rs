//! The conformance suite against the reference backend.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use session_storage::MemoryStore;
use session_storage::conformance::{Harness, run_all};

struct Memory;

impl Harness for Memory {
    type Backend = MemoryStore;
    fn fresh(&mut self) -> MemoryStore {
        MemoryStore::new()
    }
    fn fresh_with_limit(&mut self, limit_bytes: u64) -> MemoryStore {
        MemoryStore::with_limit(limit_bytes)
    }
}

#[test]
fn memory_store_conforms() {
    let report = run_all(&mut Memory, 256).unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(
        report.passed,
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15]
    );
    assert_eq!(report.skipped, [14]);
}
