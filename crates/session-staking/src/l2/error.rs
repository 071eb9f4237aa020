//! Errors of the L2 module, by who can get them (see [`Error`]).

/// Any error of [`crate::l2`]: one of the role errors, with their text unchanged.
///
/// | error | returned by | |
/// |---|---|---|
/// | [`LogError`] | [`decode_log`](super::decode_log) | which rule of oxend's log decoder a contract log broke |
/// | [`NodeListError`] | [`decode_all_service_node_ids`](super::decode_all_service_node_ids) | which rule the `allServiceNodeIDs()` return data broke |
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A contract log that oxend refuses.
    #[error(transparent)]
    Log(#[from] LogError),
    /// `allServiceNodeIDs()` return data that oxend refuses.
    #[error(transparent)]
    NodeList(#[from] NodeListError),
}

/// A contract log that oxend's decoder (`rewards_contract.cpp`) refuses, in its order of checks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// A log without topics: nothing says which event it is.
    #[error("log has no topics")]
    NoTopics,
    /// The data of a fixed-size event is not exactly its size.
    #[error("{event}: data is {actual} bytes; the event has exactly {expected}")]
    Length {
        /// The event.
        event: &'static str,
        /// Its data size.
        expected: usize,
        /// The data's size.
        actual: usize,
    },
    /// The data is shorter than the event's fixed part.
    #[error("{event}: data is {actual} bytes; the fixed part alone is {minimum}")]
    Truncated {
        /// The event.
        event: &'static str,
        /// The fixed part's size.
        minimum: usize,
        /// The data's size.
        actual: usize,
    },
    /// A `uint256` field whose value does not fit the `u64` oxend keeps.
    #[error("{event}: field `{field}` does not fit 64 bits")]
    TooLarge {
        /// The event.
        event: &'static str,
        /// The field.
        field: &'static str,
    },
    /// An operator fee above 10000 basis points.
    #[error("NewServiceNodeV2: fee {fee} is above 10000 basis points")]
    Fee {
        /// The fee.
        fee: u64,
    },
    /// More contributors than oxend's limit.
    #[error("NewServiceNodeV2: {count} contributors; at most {max} are allowed")]
    TooManyContributors {
        /// The announced count.
        count: u64,
        /// The limit (10).
        max: usize,
    },
    /// A registration without contributors (the operator is the first).
    #[error("NewServiceNodeV2: no contributors")]
    NoContributors,
    /// The ABI offset of the contributors array is not where the event's layout puts it.
    #[error("NewServiceNodeV2: contributors offset {offset}; the layout puts them at {expected}")]
    ContributorsOffset {
        /// The offset the log gives.
        offset: u64,
        /// The only offset oxend accepts (256).
        expected: u64,
    },
    /// The contributor entries are not exactly `count × 96` bytes.
    #[error(
        "NewServiceNodeV2: {actual} bytes of contributors; {count} contributors take {expected}"
    )]
    ContributorsLength {
        /// The announced count.
        count: u64,
        /// `count × 96`.
        expected: usize,
        /// The bytes present.
        actual: usize,
    },
    /// A contributor's amount does not fit 64 bits.
    #[error("NewServiceNodeV2: amount of contributor {index} does not fit 64 bits")]
    ContributorAmount {
        /// Index of the contributor (0 is the operator).
        index: usize,
    },
}

/// `allServiceNodeIDs()` return data that oxend's decoder refuses, in its order of checks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NodeListError {
    /// Fewer than 32 bytes where a word is needed.
    #[error("node list: truncated at the {part}")]
    Truncated {
        /// `"head"`, `"ids length"` or `"keys length"`.
        part: &'static str,
    },
    /// A `uint256` that does not fit 64 bits.
    #[error("node list: {field} does not fit 64 bits")]
    TooLarge {
        /// `"ids offset"`, `"keys offset"`, `"ids length"`, `"keys length"` or `"id"`.
        field: &'static str,
    },
    /// The two arrays have different lengths.
    #[error("node list: {ids} ids but {keys} keys")]
    CountMismatch {
        /// Length of the ids array.
        ids: u64,
        /// Length of the keys array.
        keys: u64,
    },
    /// An array's entries run past the end of the data.
    #[error("node list: {count} {part} do not fit the {available} bytes present")]
    Entries {
        /// `"ids"` or `"keys"`.
        part: &'static str,
        /// The announced count.
        count: u64,
        /// Bytes present after the length word.
        available: usize,
    },
}
