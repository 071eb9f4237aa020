//! What reproducing oxend bit for bit takes beyond the rules themselves.
//!
//! oxend's rebalancing depends on three pieces of its C++ toolchain, reproduced here exactly so
//! that [`crate::calc_swarm_changes`] agrees with the live network on every node's swarm:
//!
//! * [`Mt19937_64`] — C++'s `std::mt19937_64`, seeded with [`seed_from_block_hash`];
//! * [`uniform_portable`] — oxend's `uniform_distribution_portable` rejection sampler (it avoids
//!   `std::uniform_int_distribution`, whose algorithm differs between standard libraries);
//! * [`std_sort`] — GCC libstdc++'s `std::sort` (introsort). oxend sorts swarms by size only,
//!   and `std::sort` is not stable: the order it leaves among equal-sized swarms decides which
//!   swarm a random index lands on once there are more than 16 swarms. A port using a stable
//!   sort, Rust's `sort_unstable`, or libc++ (macOS builds of oxend) computes a different network.
//!
//! [`crate::Policy::Scalable`] keeps the generator and the sampler but breaks ties by swarm id,
//! which lets it answer from indexes instead of re-sorting every swarm for every placement.

pub use crate::stdsort::std_sort;
pub use session_core::compat::{Mt19937_64, seed_from_block_hash, uniform_portable};

/// How the rules order equal-sized swarms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TieOrder {
    /// oxend: sizes sorted by libstdc++ `std::sort`, pools in ascending swarm id order.
    Oxend,
    /// [`crate::Policy::Scalable`]: sizes sorted by (size, id), pools in (size, id) order.
    Stable,
    /// oxend recompiled with `std::stable_sort`: sizes by (size, id), pools in id order. Only
    /// for the crate's tests, to show where the libstdc++ permutation matters.
    #[cfg(feature = "testing")]
    StableSortOnly,
}
