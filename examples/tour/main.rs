//! The tour: one story through the whole system, in one process and with no network.
//!
//! A few hundred staked service nodes form swarms; Alice sends Bob a message through an onion
//! path; the swarm that stores it dissolves and the message migrates; Bob reads it through his
//! own onion path. Every step uses the libraries the way a node or an app would: each service
//! node is a `session_node::Node`, to which the tour, playing the network, carries requests as
//! bytes and from which it delivers forwarded requests and replication pushes.
//!
//! Run it with `cargo run --release --example tour` (add `-- --verbose` to see what each
//! node sees). The run is deterministic: every key and choice comes from one seeded RNG, and
//! the clock is the tour's own.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
// The chapters are modules of this binary only.
#![allow(unreachable_pub)]

mod churn;
mod narrate;
mod network;
mod path;
mod retrieve;
mod rpc;
mod send;
mod users;

use chacha20::ChaCha20Rng;
use rand_core::SeedableRng;

/// How many service nodes the tour's network has.
const NODES: usize = 300;

fn main() {
    let verbose = std::env::args()
        .skip(1)
        .any(|a| a == "--verbose" || a == "-v");
    // One seeded CSPRNG for every key and choice: the same story on every run. Applications
    // pass `&mut rand::rng()`, seeded by the operating system.
    let mut rng = ChaCha20Rng::seed_from_u64(2026);
    let mut out = narrate::Narrator::new(verbose);

    let mut net = network::Network::launch(NODES, &mut rng, &mut out);
    let (alice, bob) = users::restore(&mut rng, &mut out);
    let text = "Hi Bob! Lunch on Friday? - Alice";
    let hash = send::alice_to_bob(&mut net, &alice, &bob, text, &mut rng, &mut out);
    let cached = churn::dissolve_swarm_of(&mut net, &bob, &hash, &mut rng, &mut out);
    retrieve::read_inbox(&mut net, &bob, &alice, &hash, cached, &mut rng, &mut out);
    if !verbose {
        println!("\n(run with `-- --verbose` to see what each node sees)");
    }
}
