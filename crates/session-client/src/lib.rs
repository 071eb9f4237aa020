//! The Session network's client rules as an I/O-free state machine.
//!
//! A client keeps a pool of service nodes fresh, builds onion paths through it, finds the
//! swarm that holds an account's messages, keeps its clock in step with the network, and
//! decides what each error answer means for the nodes and paths involved. This crate makes all
//! those decisions and does none of the I/O: time comes in as `now`, randomness from the
//! caller's RNG, and answers through `handle_*` methods; what to do next comes out of
//! [`Client::poll`] as an [`Action`] (the design of quinn-proto and rustls).
//!
//! The rules and their defaults are libsession-util's (see [`Config`]):
//!
//! * **node pool** ([`NodePool`]): refreshed when empty, older than 2 h, or holding fewer than
//!   12 usable nodes (not struck out, not on a path), never sooner than 2 s after the last
//!   refresh. A refresh asks 3 pool nodes and keeps the nodes at least 2 of them list; a pool
//!   of fewer than 3 nodes asks one seed node and trusts its list alone. A refresh that would
//!   leave fewer than 12 nodes is discarded and retried, keeping the old pool. Failed fetches
//!   are retried on other candidates after a delay doubling from 200 ms to 5 s.
//! * **strikes**: 3 strikes within 48 h exclude a node; "Next node not found" and the other
//!   permanent failures strike a node out at once.
//! * **swarms** ([`SwarmCache`]): cached per account, cleared with each new pool; a 421 drops
//!   the account's swarm and the request is retried once, on another member.
//! * **paths** ([`PathSet`]): 2 per category ([`Category`]), 3 hops, no two nodes of a path
//!   nor of two paths in one /24, none shared between paths, the destination never on its own
//!   path; a path is retired after 3 failures (each of its nodes takes a strike), when its
//!   guard is struck out, and replaced every 10 minutes; other struck-out hops are replaced.
//! * **statuses** ([`status::classify`]): libsession's table of statuses and bodies.
//! * **clock** ([`clock`]): the offset is the median of 3 nodes' `t`, each corrected by half
//!   the round trip; a 406 or 425 triggers a resync.
//!
//! ```
//! use rand_core::SeedableRng;
//! use session_client::{Action, Category, Client, Config, Destination, Reply};
//! # use session_core::{Ed25519PublicKey, ServiceNode, SwarmId, X25519PublicKey, Timestamp};
//! # fn node(i: u8) -> ServiceNode {
//! #     ServiceNode { ed25519: Ed25519PublicKey::from_bytes([i; 32]),
//! #         x25519: X25519PublicKey::from_bytes([i; 32]),
//! #         ip: core::net::Ipv4Addr::new(10, i, 0, 1), https_port: 443, omq_port: 22020,
//! #         swarm_id: SwarmId(0), version: None }
//! # }
//! let network: Vec<ServiceNode> = (1..=30).map(node).collect();
//! let mut rng = chacha20::ChaCha20Rng::seed_from_u64(7);
//! let mut client = Client::new(Config::default(), vec![network[0]]);
//! let request = client.send(Destination::Node(network[5]), Category::Standard);
//!
//! let now = Timestamp::from_secs(1_700_000_000);
//! while let Some(action) = client.poll(now, &mut rng) {
//!     match action {
//!         // Bootstrapping: the seed node answers with the whole list.
//!         Action::FetchNodeList { token, .. } => {
//!             client.handle_node_list(token, Some(network.clone()), now, &mut rng)
//!         }
//!         Action::Send { token, hops, .. } => {
//!             assert_eq!(hops.len(), 3);
//!             let reply = Reply::Status { status: 200, body: b"{}" };
//!             client.handle_reply(token, reply, now, &mut rng);
//!         }
//!         Action::Delivered { request: done, status } => {
//!             assert_eq!((done, status), (request, 200));
//!         }
//!         other => panic!("unexpected {other:?}"),
//!     }
//! }
//! assert_eq!(client.paths().paths().len(), 4);
//! ```

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's example runs as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod client;
pub mod clock;
mod config;
pub mod path;
pub mod pool;
mod random;
mod refresh;
pub mod status;
pub mod swarm;

pub use client::{Action, Client, Destination, FailReason, Reply, RequestId, Target, Token};
pub use config::Config;
pub use path::{Category, Path, PathId, PathSet};
pub use pool::NodePool;
pub use rand_core;
pub use swarm::SwarmCache;
