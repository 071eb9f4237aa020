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
    /// An event for a service node the list does not hold.
    #[error("no such service node is registered")]
    UnknownServiceNode,
    /// A registration for a key that is already registered.
    #[error("the service node is already registered")]
    AlreadyRegistered,
    /// An HF10 re-registration before the old registration's lock expired.
    #[error("re-registration at height {height} is only allowed from height {allowed_from}")]
    ReregisteredTooEarly {
        /// The block height.
        height: u64,
        /// First height a re-registration is accepted.
        allowed_from: u64,
    },
    /// From HF16 a staking transaction must lock exactly one output.
    #[error("a stake must lock exactly one output from HF16, this one locks {count}")]
    MultipleStakeOutputs {
        /// Locked outputs in the transaction.
        count: usize,
    },
    /// From HF16 the registration's stake must come from the operator (reserved slot 0).
    #[error("the registration's stake does not come from the operator's address")]
    RegistrationStakeNotFromOperator,
    /// Before HF16 the registration must stake at least the first contributor's minimum.
    #[error("the operator stakes {amount}, below the minimum {minimum}")]
    OperatorStakeBelowMinimum {
        /// Amount staked.
        amount: u64,
        /// The minimum.
        minimum: u64,
    },
    /// From HF16 the registration must stake the operator's whole reservation.
    #[error("the operator stakes {amount}, less than its reserved {reserved}")]
    OperatorStakeBelowReserved {
        /// Amount staked.
        amount: u64,
        /// The operator's reservation.
        reserved: u64,
    },
    /// A contribution to a node that is already fully funded.
    #[error("the service node is already fully funded")]
    AlreadyFullyFunded,
    /// A contribution for which no contributor slot is left.
    #[error("no contributor slot left (at most {max} contributions)")]
    ContributorSlotsFull {
        /// The era's limit.
        max: usize,
    },
    /// A contribution below the minimum for its slot (or below the contributor's own unfilled
    /// reservation, which from HF16 must be filled in one go).
    #[error("contribution {amount} is below the minimum {minimum}")]
    ContributionBelowMinimum {
        /// Amount staked.
        amount: u64,
        /// The minimum.
        minimum: u64,
    },
    /// From HF16 a contribution may exceed what is open by at most 1 %.
    #[error("contribution {amount} is above the maximum {maximum}")]
    ContributionAboveMaximum {
        /// Amount staked.
        amount: u64,
        /// The maximum.
        maximum: u64,
    },
    /// Decommission, recommission and the IP-change penalty exist from HF12.
    #[error("state change {state} is not accepted before HF12 (block is HF{hard_fork})")]
    StateChangeNotYetAllowed {
        /// The state's code.
        state: u16,
        /// The block's hard fork.
        hard_fork: u8,
    },
    /// A quorum at this height may not vote on the node.
    #[error("a vote at height {vote_height} cannot apply: {reason}")]
    NotVotable {
        /// The quorum height.
        vote_height: u64,
        /// Which timing rule failed.
        reason: &'static str,
    },
    /// Decommissioning a node that is already decommissioned.
    #[error("the service node is already decommissioned")]
    AlreadyDecommissioned,
    /// Recommissioning a node that is not decommissioned.
    #[error("the service node is not decommissioned")]
    NotDecommissioned,
    /// IP-change penalty for a decommissioned node.
    #[error("a decommissioned service node cannot get an IP-change penalty")]
    PenaltyWhileDecommissioned,
    /// A second unlock request for the same node.
    #[error("an unlock was already requested (completes at height {unlock_height})")]
    UnlockAlreadyRequested {
        /// When the earlier request completes.
        unlock_height: u64,
    },
    /// An unlock request naming a key image that locks none of the node's stakes.
    #[error("the key image does not lock a stake of this service node")]
    KeyImageNotLocked,
    /// HF19: a contribution under 3749 atomic units cannot unlock within 30 days.
    #[error("this small contribution can only be unlocked from height {allowed_from}")]
    SmallContributorUnlockTooEarly {
        /// First height the unlock is accepted.
        allowed_from: u64,
    },
    // --- cryptographic verification ---
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
