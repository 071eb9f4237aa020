//! Errors, by who can get them (see [`Error`]).

/// Any error of this crate: one of the role errors, with its text unchanged.
///
/// Each API returns the error of its role, so a caller matches only what can happen to it:
///
/// | error | returned by | |
/// |---|---|---|
/// | [`ConsensusError`] | [`check_portions`](crate::check_portions), [`RegistrationTerms::validate`](crate::RegistrationTerms::validate), [`ServiceNodeState::apply`](crate::ServiceNodeState::apply), [`HardFork`](crate::HardFork)'s `TryFrom<u8>` | which consensus rule a registration, contribution or state change broke |
/// | [`FormatError`] | [`TxExtra::parse`](crate::tx_extra::TxExtra::parse) | which tx_extra wire rule a transaction broke, and where |
/// | [`VerifyError`] | [`crate::registration`], [`crate::stake`], [`crate::unlock`] | a registration, stake or unlock request that does not verify |
/// | [`QuorumError`] | [`crate::vote`], [`crate::uptime`] | state-change votes and uptime proofs a quorum refuses |
///
/// This enum unifies them (every role error converts into it with `?`) for code that plays
/// several roles. It adds no text of its own, so a `{:#}` chain (anyhow, eyre) prints each
/// cause once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A consensus rule refused a registration, contribution, state change or unlock.
    #[error(transparent)]
    Consensus(#[from] ConsensusError),
    /// A tx_extra field broke its wire format.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A registration, stake or unlock request did not verify.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// A state-change vote or an uptime proof was refused.
    #[error(transparent)]
    Quorum(#[from] QuorumError),
}

/// A consensus rule that a registration, contribution, state change or unlock request broke,
/// with the values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsensusError {
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
    /// An HF21 block publishes an `l2_reward` too far from the previous block's.
    #[error("l2_reward {l2_reward} is outside {min}..={max}")]
    L2RewardOutOfRange {
        /// The published value.
        l2_reward: u64,
        /// Smallest acceptable.
        min: u64,
        /// Largest acceptable.
        max: u64,
    },
    /// An HF21 block pays other than the smallest `l2_reward` of the last 15 blocks.
    #[error("the block pays {reward} but must pay {expected}")]
    BlockRewardMismatch {
        /// What the block pays.
        reward: u64,
        /// What it must pay.
        expected: u64,
    },
    /// Too few previous `l2_reward` values were given to check an HF21 block.
    #[error("{needed} previous l2_reward values are needed, {given} were given")]
    L2RewardHistory {
        /// How many are needed.
        needed: usize,
        /// How many were given.
        given: usize,
    },
    /// A rewards-contract event in a block before HF21.
    #[error("rewards-contract events are not accepted in HF{hard_fork}")]
    L2EventsNotYetAllowed {
        /// The block's hard fork.
        hard_fork: u8,
    },
    /// A registration whose BLS key a registered node already has.
    #[error("the BLS key is already registered")]
    DuplicateBlsKey,
    /// A registration whose Ed25519 signature over `service_node_key ‖ bls_public_key` does not
    /// verify.
    #[error("invalid registration signature")]
    InvalidRegistrationSignature,
    /// An event naming a BLS key no node in the list or awaiting its exit has.
    #[error("no service node has this BLS key")]
    UnknownBlsKey,
    /// An exit request or purge for a node that already left the list and awaits its exit.
    #[error("the service node already left the list")]
    AlreadyLeft,
    /// An exit for a node that has not left the list (or whose exit was already applied).
    #[error("the service node is not awaiting its exit")]
    NotAwaitingExit,
    /// An exit that slashes the stake before the node may be liquidated.
    #[error("a liquidation at height {height} is only allowed from height {liquidation_height}")]
    LiquidationTooEarly {
        /// The block's height.
        height: u64,
        /// First height of a liquidation.
        liquidation_height: u64,
    },
    /// An exit for a node none of whose contributors has an Ethereum address.
    #[error("the service node has no Ethereum contributor to return its stake to")]
    NoEthereumContributors,
    /// An exit whose slashed amount exceeds the operator's stake.
    #[error("the slashed amount {slash} exceeds the operator's stake {operator_stake}")]
    SlashExceedsOperatorStake {
        /// The amount slashed.
        slash: u64,
        /// The operator's stake.
        operator_stake: u64,
    },
}

/// A tx_extra wire-format rule that a transaction broke: which field, and at which offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// A tx_extra field ends before its body does.
    #[error(
        "tx_extra field {field} (tag {tag:#04x}) at offset {offset} needs {needed} bytes, {available} left"
    )]
    Truncated {
        /// The field's tag byte.
        tag: u8,
        /// The part of the field being read.
        field: &'static str,
        /// Offset in tx_extra where the read started.
        offset: usize,
        /// Bytes the read needed.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// A varint that runs past 10 bytes, overflows its type, or has a redundant final zero byte.
    #[error("tx_extra field {field} (tag {tag:#04x}) at offset {offset}: malformed varint")]
    BadVarint {
        /// The field's tag byte.
        tag: u8,
        /// The part of the field being read.
        field: &'static str,
        /// Offset of the varint's first byte.
        offset: usize,
    },
    /// A value outside what its field allows (a count that cannot fit in the bytes left, a u32
    /// field above 2^32 - 1, an unknown state).
    #[error(
        "tx_extra field {field} (tag {tag:#04x}) at offset {offset}: value {value} exceeds the maximum {max}"
    )]
    ValueOutOfRange {
        /// The field's tag byte.
        tag: u8,
        /// The part of the field being read.
        field: &'static str,
        /// Offset of the value.
        offset: usize,
        /// The value read.
        value: u64,
        /// The largest value accepted there.
        max: u64,
    },
    /// A tag this parser does not know; its length cannot be known, so parsing stops.
    #[error("tx_extra: unknown tag {tag:#04x} at offset {offset}")]
    UnknownTag {
        /// The tag byte.
        tag: u8,
        /// Its offset.
        offset: usize,
    },
    /// A value the field's encoding cannot carry, met while encoding (a nonce over 255 bytes,
    /// a state-change version other than 0 or 4, padding before another field, ...).
    #[error("tx_extra field {field} (tag {tag:#04x}) cannot be encoded")]
    Unencodable {
        /// The field's tag byte.
        tag: u8,
        /// The part of the field that cannot be written.
        field: &'static str,
    },
    /// Padding (tag 0x00) must be zeros to the end, at most 255 bytes with its tag.
    #[error("tx_extra: invalid padding at offset {offset}")]
    BadPadding {
        /// Offset of the padding tag.
        offset: usize,
    },
}

/// Why a registration, a stake or an unlock request does not verify. Which key or signature is
/// named; why the math failed is not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A transaction lacks a tx_extra field the check needs.
    #[error("transaction has no {field} field (tx_extra tag {tag:#04x})")]
    MissingExtraField {
        /// The tag byte.
        tag: u8,
        /// The field's name.
        field: &'static str,
    },
    /// A key that must be a curve point is not one (`check_key` fails).
    #[error("{field} is not a valid public key")]
    InvalidKey {
        /// Which key.
        field: &'static str,
    },
    /// A signature does not verify. Which signature is named; why the math failed is not.
    #[error("invalid signature: {what}")]
    InvalidSignature {
        /// Which signature (registration, vote 3, key-image proof, ...).
        what: crate::crypto::SignedItem,
    },
    /// A registration's key and amount lists differ in length.
    #[error(
        "registration lists differ in length: {spend_keys} spend keys, {view_keys} view keys, {amounts} amounts"
    )]
    RegistrationListsMismatch {
        /// Spend keys given.
        spend_keys: usize,
        /// View keys given.
        view_keys: usize,
        /// Amounts given.
        amounts: usize,
    },
    /// The signature scheme does not match the hard fork (CryptoNote before HF21, Ed25519 from).
    #[error("{scheme} registration signatures are not used in HF{hard_fork}")]
    WrongSignatureScheme {
        /// The scheme offered.
        scheme: &'static str,
        /// The block's hard fork.
        hard_fork: u8,
    },
    /// The output, amount and commitment lists of a stake differ in length.
    #[error(
        "stake lists differ in length: {outputs} outputs, {ecdh} encrypted amounts, {commitments} commitments"
    )]
    StakeListsMismatch {
        /// Outputs in the transaction.
        outputs: usize,
        /// Encrypted amounts.
        ecdh: usize,
        /// Output commitments.
        commitments: usize,
    },
    /// The encrypted amounts are of the other ECDH version than the RingCT type uses.
    #[error("encrypted amount {index} does not match RingCT type {rct_type}")]
    EcdhVersionMismatch {
        /// The output.
        index: usize,
        /// The RingCT type byte.
        rct_type: u8,
    },
    /// Staking needs a RingCT transaction (types 1 to 5).
    #[error("RingCT type {rct_type} cannot carry a stake")]
    UnsupportedRctType {
        /// The RingCT type byte.
        rct_type: u8,
    },
    /// No output of the transaction locks a stake for the contributor.
    #[error("no output locks a stake ({} outputs rejected)", rejected.len())]
    NothingStaked {
        /// Why each candidate output was not counted, by output index.
        rejected: alloc::vec::Vec<(usize, crate::stake::OutputRejection)>,
    },
}

/// Why a quorum refuses a state change's votes or a node's uptime proof.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuorumError {
    /// A state change with too few or too many votes.
    #[error("state change has {votes} votes; {min} to {max} are required")]
    VoteCount {
        /// Votes present.
        votes: usize,
        /// Minimum.
        min: usize,
        /// Maximum.
        max: usize,
    },
    /// A vote names a validator outside the quorum.
    #[error("vote {vote}: validator index {index} is outside the quorum of {quorum}")]
    ValidatorIndexOutOfRange {
        /// Position of the vote.
        vote: usize,
        /// The validator index.
        index: u32,
        /// Validators in the quorum.
        quorum: usize,
    },
    /// Votes not in strictly ascending validator order (from HF13), or a validator twice.
    #[error("vote {vote}: validator index {index} is not above the previous one ({previous})")]
    VotesNotAscending {
        /// Position of the vote.
        vote: usize,
        /// Its validator index.
        index: u32,
        /// The previous vote's validator index.
        previous: u32,
    },
    /// A validator that voted twice (before HF13, when order is free).
    #[error("validator {index} voted twice")]
    DuplicateVoter {
        /// The validator index.
        index: u32,
    },
    /// The state change targets a worker outside the quorum.
    #[error("worker index {index} is outside the {workers} tested nodes")]
    WorkerIndexOutOfRange {
        /// The worker index.
        index: u32,
        /// Workers in the quorum.
        workers: usize,
    },
    /// The state change's quorum height is not in `(current - 60, current)`.
    #[error(
        "state change for height {quorum_height} is outside its lifetime at height {current_height}"
    )]
    VoteExpired {
        /// The quorum's height.
        quorum_height: u64,
        /// The chain height it was checked at.
        current_height: u64,
    },
    /// A state other than deregistration before HF12.
    #[error("state {state} is not allowed before HF12")]
    StateNotAllowed {
        /// The state's number.
        state: u16,
    },
    /// An uptime proof timestamp more than 5 minutes from now.
    #[error("uptime proof timestamp {timestamp} is more than 300 s from now ({now})")]
    ProofTimestamp {
        /// The proof's timestamp.
        timestamp: u64,
        /// The verifier's clock.
        now: u64,
    },
    /// An uptime proof from a version below the hard fork's minimum.
    #[error("uptime proof version {}.{}.{} is below the required {}.{}.{}", version[0], version[1], version[2], minimum[0], minimum[1], minimum[2])]
    ProofVersionTooOld {
        /// The node's version.
        version: [u16; 3],
        /// The minimum for the hard fork.
        minimum: [u16; 3],
    },
    /// An uptime proof advertising a non-public IPv4 address.
    #[error("uptime proof IP {}.{}.{}.{} is not public", ip[0], ip[1], ip[2], ip[3])]
    ProofIpNotPublic {
        /// The address octets.
        ip: [u8; 4],
    },
    /// From HF13 an uptime proof must carry an Ed25519 key that converts to X25519.
    #[error("uptime proof lacks a usable Ed25519 key")]
    ProofEd25519KeyMissing,
    /// From HF14 an uptime proof must give a quorumnet port.
    #[error("uptime proof has quorumnet port 0")]
    ProofQuorumnetPortZero,
    /// A bencoded uptime proof lacks a field its hard fork requires, or has it malformed.
    #[error("uptime proof field {field} is missing or malformed")]
    ProofField {
        /// The field's key.
        field: &'static str,
    },
    /// From HF21 a proof's primary key must be its Ed25519 key.
    #[error("the uptime proof's primary key differs from its Ed25519 key")]
    ProofKeysDiffer,
    /// A signature does not verify. Which signature is named; why the math failed is not.
    #[error("invalid signature: {what}")]
    InvalidSignature {
        /// Which signature (vote 3, uptime proof, ...).
        what: crate::crypto::SignedItem,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;
    use alloc::vec::Vec;

    use session_core::testing::{check_error_chain, error_chain};

    use super::*;
    use crate::crypto::SignedItem;
    use crate::stake::OutputRejection;

    /// One value of every variant of every error enum. The exhaustive matches make adding a
    /// variant without listing it here a compile error.
    fn every_error() -> Vec<Error> {
        use ConsensusError as C;
        let consensus = vec![
            C::UnknownHardFork { version: 22 },
            C::TooManyContributors { count: 11, max: 10 },
            C::PortionsNotAllowed { hard_fork: 19 },
            C::AmountsNotAllowed { hard_fork: 18 },
            C::WrongRegistrationHardFork {
                registration: 20,
                block: 19,
            },
            C::RegistrationsClosed { hard_fork: 20 },
            C::NoOperator,
            C::PortionBelowMinimum {
                index: 1,
                portions: 2,
                minimum: 3,
            },
            C::PortionExceedsRemaining {
                index: 1,
                portions: 5,
                remaining: 4,
            },
            C::StakeBelowMinimum {
                index: 0,
                amount: 1,
                minimum: 2,
            },
            C::StakeExceedsRemaining {
                index: 2,
                amount: 9,
                remaining: 8,
            },
            C::StakesDoNotFillRequirement {
                total: 1,
                requirement: 2,
            },
            C::FeeTooHigh {
                fee: 10_001,
                max: 10_000,
            },
            C::RegistrationExpired {
                expiration: 5,
                block_timestamp: 6,
            },
            C::DuplicateContributor {
                first: 0,
                second: 1,
            },
            C::UnknownServiceNode,
            C::AlreadyRegistered,
            C::ReregisteredTooEarly {
                height: 7,
                allowed_from: 8,
            },
            C::MultipleStakeOutputs { count: 2 },
            C::RegistrationStakeNotFromOperator,
            C::OperatorStakeBelowMinimum {
                amount: 1,
                minimum: 2,
            },
            C::OperatorStakeBelowReserved {
                amount: 1,
                reserved: 2,
            },
            C::AlreadyFullyFunded,
            C::ContributorSlotsFull { max: 10 },
            C::ContributionBelowMinimum {
                amount: 1,
                minimum: 2,
            },
            C::ContributionAboveMaximum {
                amount: 3,
                maximum: 2,
            },
            C::StateChangeNotYetAllowed {
                state: 1,
                hard_fork: 11,
            },
            C::NotVotable {
                vote_height: 9,
                reason: "before registration",
            },
            C::AlreadyDecommissioned,
            C::NotDecommissioned,
            C::PenaltyWhileDecommissioned,
            C::UnlockAlreadyRequested { unlock_height: 99 },
            C::KeyImageNotLocked,
            C::SmallContributorUnlockTooEarly { allowed_from: 100 },
            C::L2RewardOutOfRange {
                l2_reward: 1,
                min: 2,
                max: 3,
            },
            C::BlockRewardMismatch {
                reward: 1,
                expected: 2,
            },
            C::L2RewardHistory {
                needed: 15,
                given: 3,
            },
            C::L2EventsNotYetAllowed { hard_fork: 20 },
            C::DuplicateBlsKey,
            C::InvalidRegistrationSignature,
            C::UnknownBlsKey,
            C::AlreadyLeft,
            C::NotAwaitingExit,
            C::LiquidationTooEarly {
                height: 1,
                liquidation_height: 2,
            },
            C::NoEthereumContributors,
            C::SlashExceedsOperatorStake {
                slash: 2,
                operator_stake: 1,
            },
        ];
        for c in &consensus {
            match c {
                C::UnknownHardFork { .. }
                | C::TooManyContributors { .. }
                | C::PortionsNotAllowed { .. }
                | C::AmountsNotAllowed { .. }
                | C::WrongRegistrationHardFork { .. }
                | C::RegistrationsClosed { .. }
                | C::NoOperator
                | C::PortionBelowMinimum { .. }
                | C::PortionExceedsRemaining { .. }
                | C::StakeBelowMinimum { .. }
                | C::StakeExceedsRemaining { .. }
                | C::StakesDoNotFillRequirement { .. }
                | C::FeeTooHigh { .. }
                | C::RegistrationExpired { .. }
                | C::DuplicateContributor { .. }
                | C::UnknownServiceNode
                | C::AlreadyRegistered
                | C::ReregisteredTooEarly { .. }
                | C::MultipleStakeOutputs { .. }
                | C::RegistrationStakeNotFromOperator
                | C::OperatorStakeBelowMinimum { .. }
                | C::OperatorStakeBelowReserved { .. }
                | C::AlreadyFullyFunded
                | C::ContributorSlotsFull { .. }
                | C::ContributionBelowMinimum { .. }
                | C::ContributionAboveMaximum { .. }
                | C::StateChangeNotYetAllowed { .. }
                | C::NotVotable { .. }
                | C::AlreadyDecommissioned
                | C::NotDecommissioned
                | C::PenaltyWhileDecommissioned
                | C::UnlockAlreadyRequested { .. }
                | C::KeyImageNotLocked
                | C::SmallContributorUnlockTooEarly { .. }
                | C::L2RewardOutOfRange { .. }
                | C::BlockRewardMismatch { .. }
                | C::L2RewardHistory { .. }
                | C::L2EventsNotYetAllowed { .. }
                | C::DuplicateBlsKey
                | C::InvalidRegistrationSignature
                | C::UnknownBlsKey
                | C::AlreadyLeft
                | C::NotAwaitingExit
                | C::LiquidationTooEarly { .. }
                | C::NoEthereumContributors
                | C::SlashExceedsOperatorStake { .. } => {}
            }
        }
        use FormatError as F;
        let formats = vec![
            F::Truncated {
                tag: 0x70,
                field: "fee",
                offset: 3,
                needed: 8,
                available: 2,
            },
            F::BadVarint {
                tag: 0x78,
                field: "block height",
                offset: 4,
            },
            F::ValueOutOfRange {
                tag: 0x78,
                field: "state",
                offset: 1,
                value: 9,
                max: 3,
            },
            F::UnknownTag {
                tag: 0x99,
                offset: 0,
            },
            F::Unencodable {
                tag: 0x02,
                field: "nonce",
            },
            F::BadPadding { offset: 5 },
        ];
        for f in &formats {
            match f {
                F::Truncated { .. }
                | F::BadVarint { .. }
                | F::ValueOutOfRange { .. }
                | F::UnknownTag { .. }
                | F::Unencodable { .. }
                | F::BadPadding { .. } => {}
            }
        }
        use VerifyError as V;
        let verify = vec![
            V::MissingExtraField {
                tag: 0x75,
                field: "tx secret key",
            },
            V::InvalidKey {
                field: "service node key",
            },
            V::InvalidSignature {
                what: SignedItem::Registration,
            },
            V::RegistrationListsMismatch {
                spend_keys: 1,
                view_keys: 2,
                amounts: 1,
            },
            V::WrongSignatureScheme {
                scheme: "Ed25519",
                hard_fork: 19,
            },
            V::StakeListsMismatch {
                outputs: 2,
                ecdh: 1,
                commitments: 2,
            },
            V::EcdhVersionMismatch {
                index: 0,
                rct_type: 4,
            },
            V::UnsupportedRctType { rct_type: 0 },
            V::NothingStaked {
                rejected: vec![(0, OutputRejection::ZeroAmount)],
            },
        ];
        for v in &verify {
            match v {
                V::MissingExtraField { .. }
                | V::InvalidKey { .. }
                | V::InvalidSignature { .. }
                | V::RegistrationListsMismatch { .. }
                | V::WrongSignatureScheme { .. }
                | V::StakeListsMismatch { .. }
                | V::EcdhVersionMismatch { .. }
                | V::UnsupportedRctType { .. }
                | V::NothingStaked { .. } => {}
            }
        }
        use QuorumError as Q;
        let quorum = vec![
            Q::VoteCount {
                votes: 3,
                min: 7,
                max: 10,
            },
            Q::ValidatorIndexOutOfRange {
                vote: 0,
                index: 11,
                quorum: 10,
            },
            Q::VotesNotAscending {
                vote: 2,
                index: 1,
                previous: 4,
            },
            Q::DuplicateVoter { index: 3 },
            Q::WorkerIndexOutOfRange {
                index: 9,
                workers: 5,
            },
            Q::VoteExpired {
                quorum_height: 1,
                current_height: 100,
            },
            Q::StateNotAllowed { state: 2 },
            Q::ProofTimestamp {
                timestamp: 1,
                now: 1000,
            },
            Q::ProofVersionTooOld {
                version: [5, 0, 0],
                minimum: [6, 1, 0],
            },
            Q::ProofIpNotPublic { ip: [10, 0, 0, 1] },
            Q::ProofEd25519KeyMissing,
            Q::ProofQuorumnetPortZero,
            Q::ProofField { field: "l2" },
            Q::ProofKeysDiffer,
            Q::InvalidSignature {
                what: SignedItem::Vote { index: 3 },
            },
        ];
        for q in &quorum {
            match q {
                Q::VoteCount { .. }
                | Q::ValidatorIndexOutOfRange { .. }
                | Q::VotesNotAscending { .. }
                | Q::DuplicateVoter { .. }
                | Q::WorkerIndexOutOfRange { .. }
                | Q::VoteExpired { .. }
                | Q::StateNotAllowed { .. }
                | Q::ProofTimestamp { .. }
                | Q::ProofVersionTooOld { .. }
                | Q::ProofIpNotPublic { .. }
                | Q::ProofEd25519KeyMissing
                | Q::ProofQuorumnetPortZero
                | Q::ProofField { .. }
                | Q::ProofKeysDiffer
                | Q::InvalidSignature { .. } => {}
            }
        }
        let mut all: Vec<Error> = Vec::new();
        all.extend(consensus.into_iter().map(Error::from));
        all.extend(formats.into_iter().map(Error::from));
        all.extend(verify.into_iter().map(Error::from));
        all.extend(quorum.into_iter().map(Error::from));
        for e in &all {
            match e {
                Error::Consensus(_) | Error::Format(_) | Error::Verify(_) | Error::Quorum(_) => {}
            }
        }
        all
    }

    #[test]
    fn every_cause_prints_once_in_a_chain() {
        let all = every_error();
        assert_eq!(all.len(), 46 + 6 + 9 + 15);
        for e in &all {
            assert_eq!(check_error_chain(e), Ok(()), "{e:?}");
            // The unifying enum adds no text and no level of its own.
            let inner = match e {
                Error::Consensus(c) => c.to_string(),
                Error::Format(f) => f.to_string(),
                Error::Verify(v) => v.to_string(),
                Error::Quorum(q) => q.to_string(),
            };
            assert_eq!(e.to_string(), inner);
            let inner_chain = match e {
                Error::Consensus(c) => error_chain(c),
                Error::Format(f) => error_chain(f),
                Error::Verify(v) => error_chain(v),
                Error::Quorum(q) => error_chain(q),
            };
            assert_eq!(error_chain(e), inner_chain);
        }
    }
}
