//! A tour of session-infra: every crate shows what it does, in one process, with no network.
//!
//! Run it with `cargo run --release --example tour`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
// Each section module exposes `pub fn run()`; the binary is the only user.
#![allow(unreachable_pub)]

mod identity;
mod mnemonic;
mod onion;
mod staking;
mod swarm;

fn main() {
    identity::run();
    mnemonic::run();
    onion::run();
    swarm::run();
    staking::run();
}
