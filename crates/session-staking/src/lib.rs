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
//!     check_portions, hard_fork_at, staking_requirement, Error, HardFork, STAKING_PORTIONS as S,
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
//!     Error::PortionBelowMinimum { index: 1, portions: S / 10, minimum: (S - S / 2) / 3 }
//! );
//! assert_eq!(
//!     err.to_string(),
//!     "contributor 1: 1844674407370955161 portions is below the minimum 3074457345618258602"
//! );
//! assert!(check_portions(HardFork::Hf14, &[S / 2, S / 6, S / 6, S / 6]).is_ok());
//! ```
//!
//! The [`ServiceNodeState`] model applies registrations, contributions, state changes and
//! unlocks block by block; [`rewards`](payout_split) and [`quorum`] reproduce who is paid what
//! and who tests whom. Floating point (the pre-HF13 requirement and pre-HF15 block reward)
//! goes through [`exp2()`], a port of the gnulib routine oxend carries, never the platform's.
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

pub use error::{Error, Result};

// --- consensus rules: requirement, portions, state, rewards, quorums ---
mod contribution;
mod exp2;
mod hardfork;
mod portions;
pub mod quorum;
mod requirement;
mod rewards;
mod state;

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
pub use rewards::{
    BATCH_REWARD_FACTOR, BLOCK_REWARD_HF15, BLOCK_REWARD_HF17, CHAINFLIP_LIQUIDITY_HF16,
    FOUNDATION_REWARD_HF15, FOUNDATION_REWARD_HF17, MIN_BATCH_PAYMENT_AMOUNT, MINER_REWARD_HF15,
    Payout, SN_REWARD_HF15, base_block_reward, batch_payment, batch_payout_offset,
    batched_block_rewards, batched_node_rewards, batching_interval, block_payouts, block_winner,
    distribute_reward, governance_reward, next_batch_payout_height, payout_split,
    service_node_reward,
};
pub use state::{
    BlacklistEntry, Block, BlockStart, Contributor, Effect, Event, NodeKey, ServiceNodeInfo,
    ServiceNodeState, Stake, payable_after_blocks,
};
pub use tx_extra::NewState;

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
    VerifiedRegistration, registration_hash, validate_registration, verify_ethereum_registration,
    verify_registration,
};
pub use stake::{LockedStake, StakeOutputs, StakeProof, verify_stake};
