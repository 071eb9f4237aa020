//! The `session-infra` facade: one dependency for the whole stack. Each library of the
//! workspace is re-exported as a module: [`common`] (`session-core`: keys, identities, Session
//! IDs, the byte reader), [`mnemonic`], [`onion`], [`swarm`]. The names are chosen so that none
//! shadows a standard crate: `use session_infra::common;` leaves `core::fmt` alone.
//!
//! # Features
//!
//! - `std` (default): `std::error::Error` for every error type. Without it the libraries are
//!   `no_std` + `alloc`.
//! - `serde` (default, as in `session-core`): serde for keys, Session IDs, service-node records
//!   and the other shared types.
//!
//! # Randomness
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

pub use session_core as common;
pub use session_mnemonic as mnemonic;
pub use session_onion as onion;
pub use session_swarm as swarm;
