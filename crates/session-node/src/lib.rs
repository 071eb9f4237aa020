//! # session-node
//!
//! The Session storage server's application as an I/O-free state machine, in the style of
//! quinn-proto: the caller owns the sockets, the clock and the randomness; a [`Node`] takes a
//! request's bytes, `now` and an RNG, and gives back the bytes to answer with and the events
//! the request caused:
//!
//! - [`Node::handle_http`]: `/storage_rpc/v1` (every client method, JSON bodies with the
//!   storage server's field names, aliases and error texts), `/onion_req/v2` (opened,
//!   routed and answered with session-onion), `/ping_test/v1`, `/get_stats/v1`;
//! - [`Node::handle_omq_request`]: the same methods over OxenMQ / QUIC (`storage.<method>`),
//!   bencoded or JSON;
//! - [`Node::handle_onion_forward`]: an onion layer passed on by the previous hop;
//! - [`Node::handle_peer_request`]: a request a swarm peer forwarded (bencoded);
//! - [`Node::peer_answered`], [`Node::handle_timeouts`]: the peers' answers to the requests
//!   an entry node forwards ([`Forward`]s). Like the storage server, the node answers such a
//!   request once every peer has answered or timed out ([`PEER_TIMEOUT_MS`]), with each
//!   member's entry under `swarm`: the [`Handled`] of the request carries a [`PendingId`]
//!   instead of a response, and the one that completes it carries the same id and the
//!   response (onion replies are encrypted only then). A `sequence` runs each step once the
//!   previous step's swarm results are in. With [`NodeConfig::wait_for_peers`] off the node
//!   answers at once with its own entries, and [`with_peer_replies`] completes the reply;
//! - [`Node::set_ons_records`]: the ONS records `oxend_request` / `ons_resolve` answers from;
//! - [`Node::monitor`]: `monitor.messages` subscriptions, whose [`Notification`]s come out of
//!   every store that adds a message;
//! - [`Node::new_swarm_map`] / [`Node::receive_push`]: replication when the network changes;
//!   [`Node::with_network`] and [`Node::set_network`] take a [`NetworkView`] that many nodes
//!   share, built once per block, for runtimes that host many nodes.
//!
//! Replies are byte-compatible with the storage server's: JSON keys in its order (sorted),
//! `t` and `hf` fields, the node's Ed25519 signatures over the documented strings, 421 with
//! the owning swarm for accounts of another swarm.
//!
//! ```
//! use session_core::{Identity, Timestamp};
//! use session_node::{Node, NodeConfig, Request};
//! use session_storage::MemoryStore;
//!
//! let identity = Identity::from_seed_bytes(&[7; 32])?;
//! let me = session_node::testing::service_node(&identity, [10, 0, 0, 1], 7);
//! let mut node = Node::new(identity, MemoryStore::new(), [me], NodeConfig::default());
//!
//! let now = Timestamp::from_millis(1_700_000_000_000);
//! let mut rng = rand_core::UnwrapErr(session_node::testing::ZeroRng);
//! let body = br#"{"method": "info", "params": {}}"#;
//! let out = node.handle_http(now, &mut rng, &Request::post("/storage_rpc/v1", body));
//! let response = out.response.unwrap();
//! assert_eq!(response.status, 200);
//! assert_eq!(
//!     response.body_text(),
//!     r#"{"hf":[19,4],"t":1700000000000,"timestamp":1700000000000,"version":[2,10,0]}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod forward;
mod http;
mod monitor;
mod node;
mod ons;
mod params;
mod peers;
mod reply;
mod request;
pub mod testing;
mod value;
mod view;

pub use http::{Request, Response};
pub use monitor::{MonitorError, Notification, SUBSCRIPTION_MS};
pub use node::{Forward, ForwardId, Handled, Node, NodeConfig, PEER_TIMEOUT_MS, PendingId, Relay};
pub use ons::{ONS_NONCE_LEN, OnsRecord, OnsRecords, OnsType};
pub use peers::{PeerReply, with_peer_replies};
pub use request::{MAX_MESSAGE_BODY, MAX_SUBACCOUNT_TOKENS, MAX_SUBREQUESTS, METHODS};
pub use value::Value;
pub use view::NetworkView;
