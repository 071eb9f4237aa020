//! # session-staking
//!
//! The Oxen service-node staking rules, reproduced exactly as oxend applies them: the staking
//! requirement at any height, registration and contribution acceptance, reward payouts,
//! quorum construction, and the cryptographic checks that let anyone holding only the public
//! chain verify that a registration was signed by the node and that its stake is locked.
//!
//! `no_std` + `alloc`; no I/O. Heights, block hashes and transactions come from the caller.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod error;

pub use error::{Error, Result};

// --- consensus rules: requirement, portions, state, rewards, quorums ---

// --- cryptographic verification: tx_extra, signatures, stakes, votes, uptime proofs ---
