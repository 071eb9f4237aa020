//! # session-infra
//!
//! I/O-free Rust libraries for the infrastructure of the Session messenger: identities and
//! recovery phrases, onion requests, the swarms of Oxen service nodes, their staking rules, and
//! the message storage of each node.
//! Every format and algorithm is checked against known-answer vectors from the reference
//! implementations, and no input makes them panic.
//!
//! This facade re-exports each library as a module; depend on a single library instead when
//! that is all you need. The module names are chosen so that none shadows a standard crate:
//! `use session_infra::common;` leaves `core::fmt` alone.
//!
//! | module | crate | what it does |
//! |---|---|---|
//! | [`common`] | [`session-core`](https://docs.rs/session-core) | keys, Session IDs, swarm ids, namespaces, service-node records, a never-panicking byte reader, identities (seed → Ed25519 → X25519 → Session ID) |
//! | [`mnemonic`] | [`session-mnemonic`](https://docs.rs/session-mnemonic) | recovery phrases in all 13 Monero word lists, typo help, phrase → identity |
//! | [`node`] | [`session-node`](https://docs.rs/session-node) | the storage server's application as an I/O-free state machine: every client endpoint, onion requests, monitor subscriptions, replication |
//! | [`onion`] | [`session-onion`](https://docs.rs/session-onion) | onion requests: hop encryption, client builder, node-side router, replies, path selection |
//! | [`swarm`] | [`session-swarm`](https://docs.rs/session-swarm) | Session ID → swarm mapping, oxend-exact swarm rebalancing, migration plans |
//! | [`staking`] | [`session-staking`](https://docs.rs/session-staking) | staking requirement, registration and contribution rules, registration and stake verification, rewards, quorums |
//! | [`storage`] | [`session-storage`](https://docs.rs/session-storage) | message hashes, validation of client requests (TTL, namespaces, signatures), storage backend traits, an in-memory backend, replication from migration plans |
//!
//! ## Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `std` | yes | `std::error::Error` for every error type, runtime CPU detection for the phrase checksum |
//! | `serde` | yes (as in `session-core`) | serde support for the [`common`] types (hex/base64 text in human-readable formats, raw bytes in binary ones) |
//! | `fast-x25519` | no | X25519 by graviola's verified assembly on x86_64 and aarch64 CPUs that have the instructions it needs (checked at run time; x25519-dalek otherwise, same results): faster onion building and opening. Implies `std`; needs Rust 1.89 |
//! | `fast-crypto` | no | `fast-x25519` plus assembly AEADs for onion hop encryption (session-onion's `fast-aead`: graviola's AES-256-GCM behind the same run-time check, ring's ChaCha20-Poly1305 under XChaCha20), same bytes: the fastest onions. Implies `std`; needs Rust 1.89 and a C compiler (for ring) |
//!
//! Without `std` the crates are `no_std` + `alloc`. They do no I/O: time, randomness and
//! buffers come from the caller.
//!
//! ## Randomness
//!
//! The libraries never reach for a global RNG: every function that needs randomness takes a
//! `&mut R` with `R: rand_core::CryptoRng` (rand_core 0.10), so the caller decides where it
//! comes from:
//!
//! - in applications, `rand::rng()` (rand 0.10): a ChaCha generator seeded from the operating
//!   system and reseeded periodically;
//! - without `rand`, getrandom's system RNG: `rand_core::UnwrapErr(getrandom::SysRng)`
//!   (getrandom 0.4 with its `sys_rng` feature), which reads the OS RNG on every call;
//! - in tests and reproducible examples, a seeded CSPRNG such as
//!   `chacha20::ChaCha20Rng::from_seed(seed)` (its `rng` feature): deterministic, and still a
//!   real cryptographic generator;
//! - on `wasm32-unknown-unknown`, enable getrandom's `wasm_js` feature in the application
//!   (not in a library), so the system RNG is the browser's `crypto.getRandomValues`.
//!
//! Never implement `CryptoRng` for a generator that is not cryptographically secure: the keys
//! drawn from it would be predictable.
//!
//! ```
//! use session_infra::common::{Identity, SessionSeed};
//!
//! // A new account: a 16-byte seed from the RNG, then seed -> Ed25519 -> X25519 -> Session ID.
//! let identity = Identity::generate(&mut rand::rng());
//! assert!(identity.session_id().to_string().starts_with("05"));
//!
//! // Reproducible, for tests: a seeded ChaCha20 generator.
//! use rand_core::SeedableRng as _;
//! let mut rng = chacha20::ChaCha20Rng::from_seed([7; 32]);
//! let a = Identity::from_seed(SessionSeed::generate(&mut rng));
//! let mut rng = chacha20::ChaCha20Rng::from_seed([7; 32]);
//! let b = Identity::generate(&mut rng);
//! assert_eq!(a.session_id(), b.session_id());
//! ```
//!
//! The rest of this page is the project README (its Rust examples run as doc tests).
//!
#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use session_core as common;
pub use session_mnemonic as mnemonic;
pub use session_node as node;
pub use session_onion as onion;
pub use session_staking as staking;
pub use session_storage as storage;
pub use session_swarm as swarm;
