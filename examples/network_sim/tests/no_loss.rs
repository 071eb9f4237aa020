//! Small networks under heavy churn lose no message: every copy is read back, signed
//! retrieve by signed retrieve, from every member of its account's swarm.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use network_sim::{BlockReport, Config, Summary, run};
use session_swarm::Policy;

// Small enough for a debug build, where every signature check is slow: 6 swarms, a tenth of
// the network changing each block.
const NODES: usize = 40;
const BLOCKS: u64 = 8;
const MESSAGES: usize = 8;

fn small(policy: Policy, seed: u64) -> Config {
    let mut config = Config::for_nodes(NODES);
    config.blocks = BLOCKS;
    config.churn = 4;
    config.messages = MESSAGES;
    config.accounts = 20;
    config.policy = policy;
    config.seed = seed;
    config
}

/// What every healthy run shows: all messages acknowledged and read back intact.
fn assert_no_loss(config: &Config, summary: &Summary) {
    let stored = (config.blocks as usize + 1) * config.messages;
    let (c, t) = (&summary.clients, &summary.traffic);
    assert_eq!(summary.messages, stored, "every store acknowledged");
    assert_eq!(c.gave_up, 0);
    assert_eq!(c.bad_acks, 0);
    assert!(
        c.acks >= stored as u64,
        "at least the entry node signs each store"
    );
    assert_eq!(summary.bad_pushes, 0);
    assert_eq!(summary.lost, 0);
    assert_eq!(summary.missing_copies, 0);
    assert!(
        summary.copies_checked >= summary.messages * 5,
        "{} copies for {} messages",
        summary.copies_checked,
        summary.messages
    );
    // Both kinds of client request were made; each onion request crossed its three relays.
    assert!(c.direct > 0 && c.onion > 0, "{c:?}");
    assert_eq!(t.unreachable, 0);
    assert_eq!(t.onion_hops, 3 * c.onion);
    assert!(
        t.peer_forwards > 0,
        "entry nodes forwarded stores to their peers"
    );
    assert!(
        summary.swarm_sizes.0 >= 5,
        "no starving swarm: {:?}",
        summary.swarm_sizes
    );
}

fn churn_run(policy: Policy, seed: u64) -> Summary {
    let config = small(policy, seed);
    let mut reports: Vec<BlockReport> = Vec::new();
    let summary = run(&config, |r| reports.push(r.clone()));
    assert_eq!(
        reports.len(),
        BLOCKS as usize + 1,
        "the bootstrap block and the churn blocks"
    );
    assert_eq!(reports[0].joined, NODES);
    assert_eq!(
        reports.iter().map(|r| r.stored).sum::<usize>(),
        summary.messages
    );
    assert_eq!(
        reports.iter().map(|r| r.migrated).sum::<usize>(),
        summary.migrated
    );
    assert!(summary.migrated > 0, "churn moved messages");
    assert!(summary.pushes > 0);
    assert_no_loss(&config, &summary);
    summary
}

#[test]
fn oxend_rules_lose_no_message() {
    let summary = churn_run(Policy::OxendCompat, 1);
    // Apps with a cached swarm met nodes that had moved, and followed their 421 answers.
    assert!(summary.clients.wrong_swarm > 0, "{:?}", summary.clients);
}

#[test]
fn scalable_policy_loses_no_message() {
    churn_run(Policy::Scalable, 2);
}

#[test]
fn shrinking_network_loses_no_message() {
    let mut config = small(Policy::OxendCompat, 3);
    config.join_pct = 0; // only departures: swarms starve and dissolve
    config.churn = 2;
    let summary = run(&config, |_| {});
    assert!(summary.dissolved > 0, "swarms dissolved");
    assert!(summary.nodes < NODES);
    assert_no_loss(&config, &summary);
}

#[test]
fn without_replication_the_check_finds_missing_copies() {
    let mut config = small(Policy::OxendCompat, 1);
    config.replicate = false;
    let summary = run(&config, |_| {});
    assert_eq!(summary.pushes, 0);
    assert_eq!(summary.migrated, 0);
    assert_eq!(summary.messages, (BLOCKS as usize + 1) * MESSAGES);
    assert!(summary.missing_copies > 0, "{summary:?}");
}

#[test]
fn runs_are_deterministic() {
    let mut config = small(Policy::OxendCompat, 7);
    config.blocks = 2;
    let a = run(&config, |_| {});
    let b = run(&config, |_| {});
    assert_eq!(a.traffic, b.traffic);
    assert_eq!(a.clients, b.clients);
    assert_eq!(
        (
            a.messages,
            a.migrated,
            a.pushes,
            a.copies_checked,
            a.simulated
        ),
        (
            b.messages,
            b.migrated,
            b.pushes,
            b.copies_checked,
            b.simulated
        )
    );
    let mut other = config.clone();
    other.seed = 8;
    assert_ne!(run(&other, |_| {}).traffic, a.traffic);
}
