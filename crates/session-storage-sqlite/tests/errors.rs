//! SQLite failures come back as `SqliteError`, naming the step, with SQLite's error printed
//! once as its cause.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::error::Error as _;

use session_storage_sqlite::{SqliteError, SqliteStore, rusqlite};

/// What anyhow's `{:#}` prints: each error of the chain.
fn chain_parts(e: &dyn std::error::Error) -> Vec<String> {
    let mut parts = vec![e.to_string()];
    let mut cause = e.source();
    while let Some(c) = cause {
        parts.push(c.to_string());
        cause = c.source();
    }
    parts
}

fn assert_each_cause_once(e: &dyn std::error::Error) {
    let parts = chain_parts(e);
    assert!(parts.len() >= 2, "{parts:?}");
    for (i, part) in parts.iter().enumerate() {
        assert!(!part.is_empty(), "{e:?}: empty text at level {i}");
        for later in parts.iter().skip(i + 1) {
            assert!(
                !part.contains(later.as_str()),
                "{e:?}: level {i} {part:?} repeats its cause {later:?}"
            );
        }
    }
}

#[test]
fn opening_a_directory_fails_with_the_open_step_and_sqlites_cause() {
    let dir = std::env::temp_dir();
    let err = SqliteStore::open(&dir).unwrap_err();
    assert!(matches!(err, SqliteError::Open(_)), "{err:?}");
    assert_eq!(err.to_string(), "cannot open the message database");
    assert_each_cause_once(&err);
    let cause = err.source().expect("sqlite's error is the cause");
    assert_eq!(cause.to_string(), err.sqlite().to_string());
    assert_eq!(
        err.sqlite().sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen)
    );
    // The unifying error of session-storage keeps the text and the chain.
    let unified = session_storage::Error::from(err);
    assert_eq!(unified.to_string(), "cannot open the message database");
    assert_each_cause_once(&unified);
}

#[test]
fn every_variant_prints_its_cause_once() {
    let errors = [
        SqliteError::Open(rusqlite::Error::InvalidPath("/nowhere".into())),
        SqliteError::Query(rusqlite::Error::QueryReturnedNoRows),
        SqliteError::Query(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some("database disk image is malformed".into()),
        )),
    ];
    for e in &errors {
        assert_each_cause_once(e);
    }
    assert_eq!(errors[1].to_string(), "message database query failed");
}
