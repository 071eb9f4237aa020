//! A small network under heavy churn loses no message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use network_sim::{Config, run};
use session_swarm::Policy;

fn churn_run(policy: Policy, seed: u64) {
    let mut config = Config::for_nodes(200);
    config.blocks = 25;
    config.churn = 12; // 6 % of the network per block
    config.messages = 30;
    config.policy = policy;
    config.seed = seed;
    let mut blocks = 0;
    let summary = run(&config, |_| blocks += 1);
    assert_eq!(blocks, 26, "the bootstrap block and 25 churn blocks");
    assert_eq!(summary.messages, 26 * 30);
    assert!(summary.migrated > 0, "churn moved messages");
    assert!(summary.copies_checked >= summary.messages * 5);
    assert_eq!(summary.lost, 0);
    assert_eq!(summary.missing_copies, 0);
    assert!(
        summary.swarm_sizes.0 >= 5,
        "no starving swarm: {:?}",
        summary.swarm_sizes
    );
}

#[test]
fn oxend_rules_lose_no_message() {
    churn_run(Policy::OxendCompat, 1);
}

#[test]
fn scalable_policy_loses_no_message() {
    churn_run(Policy::Scalable, 2);
}

#[test]
fn shrinking_network_loses_no_message() {
    let mut config = Config::for_nodes(150);
    config.blocks = 20;
    config.churn = 10;
    config.join_pct = 0; // only departures: swarms starve and dissolve
    config.messages = 20;
    let summary = run(&config, |_| {});
    assert!(summary.dissolved > 0, "swarms dissolved");
    assert_eq!(summary.lost, 0);
    assert_eq!(summary.missing_copies, 0);
}
