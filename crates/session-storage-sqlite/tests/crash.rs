//! A process killed in the middle of writing loses no acknowledged message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use session_core::{AccountId, MessageHash, Namespace, Timestamp};
use session_storage::{MessageReader, MessageWriter, ReplicaSink, StoreOutcome, StoredMessage};
use session_storage_sqlite::SqliteStore;

const DB_ENV: &str = "SESSION_STORAGE_CRASH_DB";
const ROUND_ENV: &str = "SESSION_STORAGE_CRASH_ROUND";
const NOW: Timestamp = Timestamp(1_700_000_000_000);

fn message(round: u32, i: u32) -> StoredMessage {
    let account = AccountId::new(5, [(i % 7) as u8; 32]);
    let mut data = format!("round {round} message {i} ").into_bytes();
    data.resize(1000 + (i as usize * 37) % 3000, b'.');
    StoredMessage::new(
        account,
        Namespace((i % 3) as i16),
        NOW,
        NOW.saturating_add_millis(86_400_000),
        data,
    )
}

/// The child: writes forever, alternating single stores and 25-message imports, printing
/// `ACK <hash>` for each message once the call that wrote it has returned.
#[test]
#[ignore = "the child process of crash_mid_batch_keeps_acknowledged_messages"]
fn crash_child_process() {
    let path = std::env::var(DB_ENV).expect("run by the crash test");
    let round: u32 = std::env::var(ROUND_ENV).unwrap().parse().unwrap();
    let mut store = SqliteStore::open(&path).unwrap();
    let mut out = std::io::stdout().lock();
    let mut i = 0u32;
    loop {
        let single = message(round, i);
        assert_eq!(store.store(&single, NOW).unwrap(), StoreOutcome::New);
        writeln!(out, "ACK {}", single.hash).unwrap();
        out.flush().unwrap();
        let batch: Vec<StoredMessage> = (1..=25).map(|k| message(round, i + k)).collect();
        assert_eq!(store.import(&batch, NOW).unwrap().inserted, 25);
        for m in &batch {
            writeln!(out, "ACK {}", m.hash).unwrap();
        }
        out.flush().unwrap();
        i += 26;
    }
}

#[test]
fn crash_mid_batch_keeps_acknowledged_messages() {
    let path =
        std::env::temp_dir().join(format!("session-storage-crash-{}.db", std::process::id()));
    let cleanup = || {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    };
    cleanup();
    let mut acked: Vec<MessageHash> = Vec::new();
    for (round, kill_after) in [(0u32, 200usize), (1, 777), (2, 1301)] {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "crash_child_process",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DB_ENV, &path)
            .env(ROUND_ENV, round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut seen = 0;
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if let Some(hash) = line.strip_prefix("ACK ") {
                acked.push(hash.parse().unwrap());
                seen += 1;
                if seen == kill_after {
                    // The child is still writing: this lands between (or inside) its writes.
                    child.kill().unwrap();
                    break;
                }
            }
        }
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "the child must have been killed, not finished"
        );
        assert_eq!(seen, kill_after, "the child stopped acknowledging early");
    }
    let store = SqliteStore::open(&path).unwrap();
    let missing: Vec<&MessageHash> = acked
        .iter()
        .filter(|h| store.get_by_hash(h, NOW).unwrap().is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged messages lost: {missing:?}",
        missing.len()
    );
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    cleanup();
}
