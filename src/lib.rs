//! The `session-infra` facade: one dependency for the whole stack. Each library of the
//! workspace is re-exported as a module: [`core`], [`mnemonic`], [`onion`], [`swarm`].
//!
//! The rest of this page is the project README (its Rust examples run as doc tests).
//!
#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]

pub use session_core as core;
pub use session_mnemonic as mnemonic;
pub use session_onion as onion;
pub use session_swarm as swarm;
