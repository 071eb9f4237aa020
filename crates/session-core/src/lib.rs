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
//! use session_core::{Identity, SessionId};
//!
//! let identity = Identity::generate(&mut rand::rng());
//! let id: SessionId = identity.session_id().to_string().parse()?;
//! assert_eq!(id, identity.session_id());
//! # Ok::<(), session_core::Error>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod compat;
pub mod encoding;
mod error;
pub mod hazmat;
pub mod identity;
mod keys;
mod network;
mod reader;
mod secret;
#[cfg(feature = "serde")]
mod serde_util;
mod service_node;
mod session_id;
mod types;

pub use error::{Error, Result};
pub use identity::Identity;
pub use keys::{Ed25519PublicKey, X25519PublicKey};
pub use network::{DefaultPorts, Network};
pub use reader::{LengthPrefix, MAX_VARINT_LEN, Readable, Reader, Writer};
pub use secret::{Ed25519Seed, SessionSeed, SharedSecret, X25519Secret};
pub use service_node::{ServiceNode, Version};
pub use session_id::{AccountId, IdPrefix, SessionId};
pub use types::{MessageHash, Namespace, SwarmId, Timestamp};
