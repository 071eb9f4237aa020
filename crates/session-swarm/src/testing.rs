//! Hooks for this crate's own tests, benchmarks and fuzz targets.
//!
//! **Not part of the public API**: hidden from the docs, exempt from semver, and liable to
//! change or disappear in any release. Nothing here is what the network computes; use
//! [`crate::Policy`] and [`crate::calc_swarm_changes`].

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use session_core::SwarmId;

use crate::compat::TieOrder;
use crate::event::SwarmEvent;
use crate::oxend;

/// The plain rule-by-rule code with the scalable tie order: the reference that the indexed
/// [`crate::Policy::Scalable`] is tested (and fuzzed) against.
pub fn scalable_reference<K: Ord + Clone>(
    swarms: &mut BTreeMap<SwarmId, Vec<K>>,
    seed: u64,
) -> Vec<SwarmEvent<K>> {
    oxend::calc(swarms, seed, TieOrder::Stable)
}

/// oxend's rules with `std::stable_sort` in place of `std::sort` (everything else identical):
/// what a port that ignores libstdc++'s tie order would compute. Kept to show, against the
/// vectors' `stable_sort_variant_differs` flags, where the difference shows.
pub fn oxend_with_stable_sort<K: Ord + Clone>(
    swarms: &mut BTreeMap<SwarmId, Vec<K>>,
    seed: u64,
) -> Vec<SwarmEvent<K>> {
    oxend::calc(swarms, seed, TieOrder::StableSortOnly)
}

/// [`crate::compat::std_sort`] with every partition made one exchange at a time, as the C++
/// loop does: the reference its block partition is tested and fuzzed against (same result on
/// every input, for any comparator that is a strict weak order).
pub fn std_sort_one_exchange_at_a_time<T: Copy, F: FnMut(&T, &T) -> bool>(v: &mut [T], less: F) {
    crate::stdsort::std_sort_one_exchange_at_a_time(v, less);
}
