//! # session-staking
//!
//! The Oxen service-node staking rules, reproduced exactly as oxend applies them: the staking
//! requirement at any height, registration and contribution acceptance, reward payouts,
//! quorum construction, and the cryptographic checks that let anyone holding only the public
//! chain verify that a registration was signed by the node and that its stake is locked.
//!
//! `no_std` + `alloc`; no I/O. Heights, block hashes and transactions come from the caller.
//!
//! ## Consensus rules
//!
//! What a registration must stake, and why oxend would refuse it:
//!
//! ```
//! use session_core::Network;
//! use session_staking::{
//!     check_portions, hard_fork_at, staking_requirement, ConsensusError, HardFork, STAKING_PORTIONS as S,
//! };
//!
//! // 2020-02-10, the date of the whitepaper's "about 18,550 LOKI":
//! let height = 464_862;
//! assert_eq!(hard_fork_at(Network::Mainnet, height), HardFork::Hf14);
//! assert_eq!(staking_requirement(Network::Mainnet, height), 18_590_875_262_503);
//!
//! // Operator 50 %, then a contributor asking for 10 %: with one slot taken, the open half
//! // must be shared by at most 3 more contributors, so each needs a third of it.
//! let err = check_portions(HardFork::Hf14, &[S / 2, S / 10]).unwrap_err();
//! assert_eq!(
//!     err,
//!     ConsensusError::PortionBelowMinimum { index: 1, portions: S / 10, minimum: (S - S / 2) / 3 }
//! );
//! assert_eq!(
//!     err.to_string(),
//!     "contributor 1: 1844674407370955161 portions is below the minimum 3074457345618258602"
//! );
//! assert!(check_portions(HardFork::Hf14, &[S / 2, S / 6, S / 6, S / 6]).is_ok());
//! ```
//!
//! The [`ServiceNodeState`] model applies registrations, contributions, state changes and
//! unlocks block by block, and from HF21 the rewards contract's confirmed events
//! ([`ServiceNodeState::apply_l2`]); [`rewards`] and [`quorum`] reproduce who is paid what
//! and who tests whom. Floating point (the pre-HF13 requirement and pre-HF15 block reward)
//! goes through [`exp2()`](exp2::exp2), a port of the gnulib routine oxend carries, never the platform's.
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

mod error;

pub use error::{ConsensusError, Error, FormatError, QuorumError, Result, VerifyError};

/// The curve library whose [`Scalar`](curve25519_dalek::Scalar) and
/// [`EdwardsPoint`](curve25519_dalek::EdwardsPoint) the [`crypto`] functions take and return,
/// re-exported so that callers use the same version.
pub use curve25519_dalek;

// --- consensus rules: requirement, portions, state, rewards, quorums ---
pub mod contribution;
pub mod exp2;
pub mod hardfork;
pub mod portions;
pub mod quorum;
pub mod requirement;
pub mod rewards;
pub mod state;

pub use contribution::{
    ContributorAddress, RegistrationTerms, Reservation, check_portions, check_stakes,
};
pub use hardfork::{HardFork, hard_fork_at};
pub use portions::STAKING_PORTIONS;
pub use requirement::{COIN, staking_requirement};
pub use state::{Block, Effect, Event, L2Effect, ServiceNodePubkey, ServiceNodeState, Stake};

// --- cryptographic verification: tx_extra, signatures, stakes, votes, uptime proofs ---
pub mod bls;
pub mod crypto;
pub mod l2;
pub mod registration;
pub mod stake;
pub mod tx_extra;
pub mod unlock;
pub mod uptime;
pub mod vote;

pub use registration::{
    VerifiedRegistration, validate_registration, verify_ethereum_registration, verify_registration,
};
pub use stake::{LockedStake, StakeProof, verify_stake};
pub use tx_extra::{NewState, TxExtra};
