//! The crate's one error type.

/// Everything that can go wrong in this crate. Each variant names the rule that failed and the
/// values involved; cryptographic failures stay opaque.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // --- consensus rules ---
    /// A hard-fork version this crate does not know.
    #[error("unknown hard fork version {version}")]
    UnknownHardFork {
        /// The version number.
        version: u8,
    },
    /// More contributors than the hard fork allows.
    #[error("too many contributors: {count} (at most {max})")]
    TooManyContributors {
        /// Contributors given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A portions-based registration after HF19 (portions are for registrations made before).
    #[error("portion-based registrations are not accepted in HF{hard_fork}")]
    PortionsNotAllowed {
        /// The block's hard fork.
        hard_fork: u8,
    },
    /// An amount-based registration before HF19.
    #[error("amount-based registrations are not accepted before HF19 (block is HF{hard_fork})")]
    AmountsNotAllowed {
        /// The block's hard fork.
        hard_fork: u8,
    },
    /// An amount-based registration made for a different hard fork than the block's.
    #[error("registration was made for HF{registration} but the block is HF{block}")]
    WrongRegistrationHardFork {
        /// The hard fork the registration names.
        registration: u64,
        /// The block's hard fork.
        block: u8,
    },
    /// OXEN registrations and contributions are closed from HF20 (they come from Ethereum).
    #[error("OXEN registrations and contributions are not accepted in HF{hard_fork}")]
    RegistrationsClosed {
        /// The block's hard fork.
        hard_fork: u8,
    },
    /// A registration with no reserved slot (the operator's is required).
    #[error("registration has no operator contribution")]
    NoOperator,
    /// A reserved share below the minimum for its slot.
    #[error("contributor {index}: {portions} portions is below the minimum {minimum}")]
    PortionBelowMinimum {
        /// Contributor index (0 is the operator).
        index: usize,
        /// The share.
        portions: u64,
        /// The minimum for this slot.
        minimum: u64,
    },
    /// A reserved share larger than what the earlier ones left.
    #[error("contributor {index}: {portions} portions exceeds the {remaining} still unreserved")]
    PortionExceedsRemaining {
        /// Contributor index.
        index: usize,
        /// The share.
        portions: u64,
        /// Portions left by the earlier contributors.
        remaining: u64,
    },
    /// A reserved stake below the minimum for its slot (the operator's is a quarter).
    #[error("contributor {index}: stake {amount} is below the minimum {minimum}")]
    StakeBelowMinimum {
        /// Contributor index (0 is the operator).
        index: usize,
        /// The stake (atomic units).
        amount: u64,
        /// The minimum for this slot.
        minimum: u64,
    },
    /// A reserved stake larger than what the earlier ones left open.
    #[error("contributor {index}: stake {amount} exceeds the {remaining} still open")]
    StakeExceedsRemaining {
        /// Contributor index.
        index: usize,
        /// The stake (atomic units).
        amount: u64,
        /// Amount left open by the earlier contributors.
        remaining: u64,
    },
    /// From HF21 the reserved stakes must add up to exactly the requirement.
    #[error("stakes add up to {total}, not the staking requirement {requirement}")]
    StakesDoNotFillRequirement {
        /// Sum of the stakes.
        total: u64,
        /// The requirement.
        requirement: u64,
    },
    /// The operator fee is above 100 % in its unit.
    #[error("operator fee {fee} is above the maximum {max}")]
    FeeTooHigh {
        /// The fee (portions or basis points).
        fee: u64,
        /// 100 % in the same unit.
        max: u64,
    },
    /// A portions-based registration whose expiry time is before the block's timestamp.
    #[error("registration expired at {expiration}, before the block time {block_timestamp}")]
    RegistrationExpired {
        /// The registration's expiry (unix seconds).
        expiration: u64,
        /// The block's timestamp.
        block_timestamp: u64,
    },
    /// The same address reserved twice.
    #[error("contributors {first} and {second} have the same address")]
    DuplicateContributor {
        /// First occurrence.
        first: usize,
        /// Repeat.
        second: usize,
    },
    // --- cryptographic verification ---
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
