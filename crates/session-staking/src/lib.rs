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

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod error;

pub use error::{Error, Result};

// --- consensus rules: requirement, portions, state, rewards, quorums ---
mod contribution;
mod exp2;
mod hardfork;
mod portions;
mod requirement;

pub use contribution::{
    ContributorAddress, MAX_CONTRIBUTORS_HF19, MAX_CONTRIBUTORS_V1, RegistrationTerms, Reservation,
    check_portions, check_stakes, max_contributors, max_node_contribution, min_node_contribution,
    min_node_contribution_in_portions,
};
pub use exp2::exp2;
pub use hardfork::{
    HardFork, HardForkActivation, hard_fork_activation_at, hard_fork_at, hard_fork_height,
    hard_forks, is_hard_fork_at_least,
};
pub use portions::{
    MINIMUM_OPERATOR_PORTION, STAKING_FEE_BASIS, STAKING_PORTIONS, amount_to_portions,
    fee_basis_points_to_portions, fee_percent_to_basis_points, fee_portions_to_basis_points,
    minimum_operator_contribution, mul_div_floor, portion_of_reward, portions_to_amount,
};
pub use requirement::{
    COIN, FAKECHAIN_STAKING_LOCK_BLOCKS, OXEN_STAKING_REQUIREMENT,
    OXEN_STAKING_REQUIREMENT_TESTNET, SENT_STAKING_REQUIREMENT, SENT_STAKING_REQUIREMENT_LOCALDEV,
    SENT_STAKING_REQUIREMENT_TESTNET, WHITEPAPER_HEIGHT, blocks_in, deregistration_lock_blocks,
    fixed_staking_requirement, staking_lock_blocks, staking_requirement, staking_requirement_v6,
    target_block_time, unlock_blocks, unlock_height,
};

// --- cryptographic verification: tx_extra, signatures, stakes, votes, uptime proofs ---
pub mod crypto;
pub mod registration;
pub mod stake;
pub mod tx_extra;
pub mod unlock;
pub mod uptime;
pub mod vote;

pub use registration::{
    VerifiedRegistration, registration_hash, validate_registration, verify_ethereum_registration,
    verify_registration,
};
pub use stake::{LockedStake, StakeOutputs, StakeProof, verify_stake};
