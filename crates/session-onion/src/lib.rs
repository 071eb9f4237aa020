//! # session-onion
//!
//! Onion requests of the Session network, end to end and without I/O: per-hop encryption
//! (AES-GCM and XChaCha20-Poly1305), the client-side onion builder and reply decoders, the
//! node-side opener and router with the reference storage server's status codes, the
//! inter-node forward message, v4 bencoded server requests/replies, and a path-selection
//! state machine. Randomness and time come from the caller; nothing here touches a socket.
//!
//! Byte-compatible with libsession-util, oxen-storage-server, session-desktop and SOGS.
//!
//! | module | role |
//! |---|---|
//! | [`hop`] | X25519 + AES-GCM / XChaCha20-Poly1305 layer encryption ([`Role`]-aware keys), in place or not |
//! | [`framing`] | `u32_le(N) ‖ ciphertext ‖ JSON` layers, size limits ([`OpenOptions`]) |
//! | [`client`] | [`client::Builder`] (1 ..= 15 hops, node or server destination), [`client::ReplyKey`] (v3 / v4 replies), v4 requests |
//! | [`node`] | [`node::open_request`] / [`node::NodeKey`], [`node::route`] in the reference dispatch order, the inter-node forward message, [`node::error_response`] (the reference statuses and bodies), replies |
//! | [`path`] | path selection and failure handling as a pure state machine |
//! | [`bencode`] | the bounded bencode codec behind v4 messages and node forwarding |
//!
//! Secrets (ephemeral keys, shared secrets, symmetric keys, decrypted plaintexts) are wiped
//! when dropped; ephemeral secrets are consumed by the key agreement; a failed decryption
//! leaves no plaintext behind. No parser panics on any input.
//!
//! ```
//! use session_onion::client::{Builder, Hop, Destination};
//! use session_onion::{node, EncType};
//! # struct Counter(u64);
//! # impl session_onion::rand_core::TryRng for Counter {
//! #     type Error = core::convert::Infallible;
//! #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(self.try_next_u64()? as u32) }
//! #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
//! #         self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); Ok(self.0) }
//! #     fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), Self::Error> {
//! #         for b in d { *b = (self.try_next_u64()? >> 56) as u8; } Ok(()) } }
//! # impl session_onion::rand_core::TryCryptoRng for Counter {}
//! let mut rng = Counter(1);
//! // One hop and a destination node, each with an X25519 secret.
//! let (hop_secret, dest_secret) = ([3u8; 32], [4u8; 32]);
//! let hop = Hop::new([0xaa; 32].into(), session_onion::hop::public_key(&hop_secret).into());
//! let dest = Hop::new([0xbb; 32].into(), session_onion::hop::public_key(&dest_secret).into());
//!
//! let onion = Builder::new(EncType::XChaCha20)
//!     .hop(hop)
//!     .build(&Destination::node(dest), br#"{"method":"info","params":{}}"#, &mut rng)?;
//!
//! // The hop peels its layer and learns only where to forward.
//! let opened = node::open_request(&hop_secret, onion.request())?;
//! let node::Route::RelayToNode(relay) = node::route(opened.payload())? else { unreachable!() };
//! assert_eq!(relay.destination.to_bytes(), [0xbb; 32]);
//! # Ok::<(), session_onion::Error>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod bencode;
pub mod client;
mod enc_type;
mod error;
pub mod framing;
pub mod hop;
mod json;
pub mod node;
pub mod path;
mod secret;

#[doc(hidden)]
pub mod fuzzing;

pub use enc_type::EncType;
pub use error::Error;
pub use framing::{DEFAULT_MAX_SIZE, OpenOptions};
pub use hop::Role;
/// The `rand_core` version whose traits the RNG parameters of this crate take.
pub use rand_core;
/// The `serde_json` version whose `Value`/`Map` appear in this crate's API (parsed layer JSON,
/// reply bodies).
pub use serde_json;

/// Highest hop counter a node accepts (`MAX_ONION_HOPS` of the storage server). It is
/// deliberately above real path lengths so that clients can start `hop_no` above zero.
pub const MAX_HOPS: u64 = 15;
