//! # session-core
//!
//! The shared vocabulary of the session-infra crates: public keys, Session IDs, swarm ids,
//! namespaces, message hashes, timestamps, network kinds, service-node records, and
//!
//! - [`Identity`]: seed → Ed25519 → X25519 → Session ID, byte-identical to the Session apps,
//!   with typed secrets ([`X25519Secret`], [`SessionSeed`], [`Ed25519Seed`], [`SharedSecret`])
//!   that wipe themselves, never print, compare in constant time and are never `Copy`; raw
//!   bytes only through [`hazmat`];
//! - [`Reader`] and [`Readable`]: a parser foundation that never panics, rewinds on failure,
//!   and reads nested length-prefixed fields and CryptoNote varints; [`Writer`] and
//!   [`Writeable`] are their encoding side (the one varint and decimal writer of the crates);
//! - [`bencode`]: strict and lenient bencode reading and writing, as oxend, the storage
//!   server and onion requests use it;
//! - [`Ed25519PublicKey::verify`]: libsodium-compatible Ed25519 verification of an
//!   [`Ed25519Signature`];
//! - [`encoding`]: hex and base64 with position-carrying errors;
//! - [`compat`]: oxend's deterministic MT19937-64 draws, for swarms and quorums.
//!
//! ```
//! use session_core::{Identity, SessionId};
//!
//! fn main() -> Result<(), session_core::Error> {
//!     // A new Session account from the thread-local CSPRNG of `rand`.
//!     let identity = Identity::generate(&mut rand::rng());
//!     let id: SessionId = identity.session_id().to_string().parse()?;
//!     assert_eq!(id, identity.session_id());
//!     Ok(())
//! }
//! ```
//!
//! # Where randomness comes from
//!
//! The crate never picks an RNG itself: functions that need one ([`Identity::generate`],
//! [`X25519Secret::generate`], [`SessionSeed::generate`]) take `&mut R` with
//! `R: rand_core::CryptoRng` (rand_core 0.10). Pass:
//!
//! - `rand::rng()` (rand 0.10) in applications: a ChaCha generator seeded from the operating
//!   system;
//! - `rand_core::UnwrapErr(getrandom::SysRng)` (getrandom 0.4, `sys_rng` feature) to read the
//!   operating system's RNG directly, without `rand`;
//! - a seeded CSPRNG such as `chacha20::ChaCha20Rng::from_seed(seed)` in tests that need
//!   reproducible keys;
//! - on `wasm32-unknown-unknown`, either of the first two with getrandom's `wasm_js` feature
//!   enabled by the application, so the system RNG is the browser's `crypto.getRandomValues`.
//!
//! Never implement `CryptoRng` for a generator that is not cryptographically secure (a
//! counter, a Mersenne Twister): keys drawn from it are predictable.
//!
//! # Features
//!
//! `no_std` + `alloc`. `std` (default) adds `std::error::Error` impls; `serde` (default) adds
//! serde support: hex/base64 strings in human-readable formats, fixed-size raw bytes in binary
//! formats such as postcard, and oxend's field names for [`ServiceNode`].
//!
//! `fast-x25519` (off by default; implies `std`, needs Rust 1.89) computes X25519 with
//! [graviola](https://crates.io/crates/graviola)'s formally verified assembly on x86_64 and
//! aarch64, about twice as fast as the portable x25519-dalek ladder. It is used only where a
//! run-time check (made once per process) finds the CPU features graviola requires (x86_64:
//! AES-NI, PCLMULQDQ, SSSE3, AVX, AVX2, BMI1, BMI2, ADX; aarch64: NEON, AES, PMULL, SHA-2);
//! elsewhere, and on every other target, x25519-dalek is used. The results are identical,
//! small-order keys included; [`hazmat::x25519_backend`] tells which one runs.
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

pub mod bencode;
pub mod compat;
mod ed25519;
pub mod encoding;
mod error;
pub mod hazmat;
pub mod identity;
mod keys;
mod network;
pub mod random;
mod reader;
mod secret;
#[cfg(feature = "serde")]
mod serde_util;
mod service_node;
mod session_id;
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testing;
mod types;
mod writer;

pub use ed25519::{Ed25519Signature, SignatureError};
pub use error::{Error, Result};
pub use identity::Identity;
pub use keys::{Ed25519PublicKey, X25519PublicKey};
pub use network::{DefaultPorts, Network};
pub use reader::{LengthPrefix, MAX_VARINT_LEN, Readable, Reader};
pub use secret::{Ed25519Seed, SessionSeed, SharedSecret, X25519Secret};
pub use service_node::{
    ACTIVE_NODE_LEN, ActiveNode, ServiceNode, ServiceNodeRecord, Version, decode_active_nodes,
    encode_active_nodes,
};
pub use session_id::{AccountId, IdPrefix, SessionId};
pub use types::{MessageHash, Namespace, SwarmId, Timestamp};
pub use writer::{Writeable, Writer};
