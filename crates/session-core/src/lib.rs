//! # session-core
//!
//! The shared vocabulary of the session-infra crates: public keys, Session IDs, swarm ids,
//! namespaces, message hashes, timestamps, network kinds, service-node records, a byte
//! [`Reader`] that never panics, and [`identity::Identity`]: seed → Ed25519 → X25519 →
//! Session ID, byte-identical to the Session apps.
//!
//! `no_std` + `alloc`; the `std` feature (default) adds `std::error::Error` impls, the `serde`
//! feature adds serde support (hex/base64 strings in human-readable formats, fixed-size raw
//! bytes in binary formats such as postcard).
//!
//! ```
//! use session_core::identity::Identity;
//! use session_core::SessionId;
//!
//! let seed = [0u8; 16];
//! let identity = Identity::from_seed(&seed)?;
//! let id: SessionId = identity.session_id().to_string().parse()?;
//! assert_eq!(id, identity.session_id());
//! # Ok::<(), session_core::Error>(())
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

pub mod encoding;
mod error;
pub mod identity;
mod keys;
mod network;
mod reader;
#[cfg(feature = "serde")]
mod serde_util;
mod service_node;
mod session_id;
mod types;

pub use error::{Error, Result};
pub use keys::{Ed25519PublicKey, X25519PublicKey};
pub use network::{DefaultPorts, Network};
pub use reader::Reader;
pub use service_node::{ServiceNode, Version};
pub use session_id::{AccountId, IdPrefix, SessionId};
pub use types::{MessageHash, Namespace, SwarmId, Timestamp};
