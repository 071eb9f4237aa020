//! A small devnet on 127.0.0.1: six node processes, one killed with SIGKILL mid-run and
//! restarted from its SQLite file, a node joining; every acknowledged message must be
//! fetched back from its swarm.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods
)]

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the devnet (and so, through their closed standard input, its nodes) however the
/// test ends.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Generous for a loaded 2-core machine; a normal run takes a few seconds.
const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn killing_a_node_mid_run_loses_no_acknowledged_message() {
    let child = Command::new(env!("CARGO_BIN_EXE_session-devnet"))
        .args(
            "--nodes 6 --messages 40 --kill 1 --restart 1 --join 1 --clients 2 --accounts 3 \
             --concurrency 6 --quiet"
                .split_whitespace(),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut guard = KillOnDrop(child);
    // Drained while the devnet runs, so that a full pipe never stalls it.
    let mut stdout = guard.0.stdout.take().unwrap();
    let mut stderr = guard.0.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = guard.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < LIMIT,
            "the devnet did not finish within {LIMIT:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = out_reader.join().unwrap();
    let err = err_reader.join().unwrap();
    assert!(status.success(), "exit {status}\n{out}\n{err}");

    let last = out.lines().last().unwrap_or_default();
    let rest = last
        .strip_prefix("delivered ")
        .unwrap_or_else(|| panic!("last line {last:?}"));
    let (counts, lost) = rest.split_once(", lost ").unwrap();
    let (delivered, acknowledged) = counts.split_once('/').unwrap();
    let delivered: usize = delivered.parse().unwrap();
    let acknowledged: usize = acknowledged.parse().unwrap();
    assert_eq!(lost, "0", "{out}");
    assert_eq!(delivered, acknowledged, "{out}");
    // Most messages must get through despite the kill, not just a lucky few.
    assert!(
        acknowledged >= 30,
        "only {acknowledged} acknowledged:\n{out}"
    );
    assert!(
        out.contains("network: 1 killed with SIGKILL, 1 restarted"),
        "{out}"
    );
}
