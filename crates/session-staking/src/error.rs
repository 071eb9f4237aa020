//! The crate's one error type.

/// Everything that can go wrong in this crate. Each variant names the rule that failed and the
/// values involved; cryptographic failures stay opaque.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // --- consensus rules ---

    // --- cryptographic verification ---
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
