//! # session-devnet
//!
//! A Session network on loopback, to show the session-infra crates doing real I/O and to
//! measure what survives faults: every node is a separate process running
//! [`session_node::Node`] on its own SQLite file behind HTTPS on `127.0.0.1` (tokio, hyper,
//! rustls with a self-signed certificate); a chain driver registers, deregisters and
//! rebalances nodes block by block and tells every node; clients send and fetch messages
//! over 3-hop onion paths built with session-onion, under session-client's rules.
//!
//! The binary's default command runs a devnet, kills nodes with SIGKILL while messages are
//! in flight, restarts some from their SQLite files, then fetches every account's messages
//! from its current swarm and ends with `delivered N/N, lost K` (non-zero exit when K > 0).
//! A message counts as acknowledged only when a swarm member answered its store with
//! success.
//!
//! All traffic stays on 127.0.0.1; every loop is bounded in count and time.
#![forbid(unsafe_code)]
// The devnet is the runtime the protocol crates leave the clock, the OS random number
// generator and the threads to.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

pub mod chain;
pub mod client;
pub mod devnet;
pub mod node;
mod rules;
pub mod wire;

pub use devnet::{Devnet, Options, Outcome, run, serve};
