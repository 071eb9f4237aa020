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
    /// A tx_extra field ends before its body does.
    #[error(
        "tx_extra field {field} (tag {tag:#04x}) at offset {offset} needs {needed} bytes, {available} left"
    )]
    ExtraTruncated {
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
    ExtraBadVarint {
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
    ExtraValueOutOfRange {
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
    ExtraUnknownTag {
        /// The tag byte.
        tag: u8,
        /// Its offset.
        offset: usize,
    },
    /// Padding (tag 0x00) must be zeros to the end, at most 255 bytes with its tag.
    #[error("tx_extra: invalid padding at offset {offset}")]
    ExtraBadPadding {
        /// Offset of the padding tag.
        offset: usize,
    },
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
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
