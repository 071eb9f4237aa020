//! # session-infra
//!
//! I/O-free Rust libraries for the infrastructure of the Session messenger: identities and
//! recovery phrases, onion requests, and the swarms of Oxen service nodes that store messages.
//! Every format and algorithm is checked against known-answer vectors from the reference
//! implementations, and no input makes them panic.
//!
//! This facade re-exports each library as a module; depend on a single library instead when
//! that is all you need.
//!
//! | module | crate | what it does |
//! |---|---|---|
//! | [`core`] | [`session-core`](https://docs.rs/session-core) | keys, Session IDs, swarm ids, namespaces, service-node records, a never-panicking byte reader, identities (seed → Ed25519 → X25519 → Session ID) |
//! | [`mnemonic`] | [`session-mnemonic`](https://docs.rs/session-mnemonic) | recovery phrases in all 13 Monero word lists, typo help, phrase → identity |
//! | [`onion`] | [`session-onion`](https://docs.rs/session-onion) | onion requests: hop encryption, client builder, node-side router, replies, path selection |
//! | [`swarm`] | [`session-swarm`](https://docs.rs/session-swarm) | Session ID → swarm mapping, oxend-exact swarm rebalancing, migration plans |
//!
//! ## Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `std` | yes | `std::error::Error` for every error type, runtime CPU detection for the phrase checksum |
//! | `serde` | no | serde support for the [`core`] types (hex/base64 text in human-readable formats, raw bytes in binary ones) |
//!
//! Without `std` the crates are `no_std` + `alloc`. They do no I/O: time, randomness (any
//! `rand_core` 0.10 `CryptoRng`, for example `rand_core::UnwrapErr(getrandom::SysRng)`) and
//! buffers come from the caller.
//!
//! ## Example
//!
//! ```
//! use session_infra::mnemonic::session;
//!
//! let identity = session::identity_from_phrase(
//!     "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi",
//! )?;
//! assert_eq!(
//!     identity.session_id().to_string(),
//!     "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69"
//! );
//! # Ok::<(), session_infra::mnemonic::Error>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use session_core as core;
pub use session_mnemonic as mnemonic;
pub use session_onion as onion;
pub use session_swarm as swarm;
