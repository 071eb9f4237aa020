//! `get_new_swarm_id`: where a new swarm goes on the id ring.

use session_core::SwarmId;

/// The largest assignable swarm id (oxend's `MAX_ID` = 2^64 − 2); 2^64 − 1 is
/// [`SwarmId::UNASSIGNED`].
pub const MAX_SWARM_ID: u64 = u64::MAX - 1;

/// The id oxend gives a new swarm: the middle of the largest gap between existing ids.
///
/// `ascending_ids` must be sorted ascending without duplicates and without
/// [`SwarmId::UNASSIGNED`] (as the keys of a `BTreeMap` after removing it); other input gives a
/// deterministic but meaningless answer, never a panic. Rules, as oxend's `get_new_swarm_id`:
/// no ids → 0; the first strictly-largest gap between neighbours wins; the wrap-around gap
/// (`MAX_ID − last + first + 1`, so 0 and `MAX_ID` count as adjacent) wins only if strictly
/// larger; the new id is `left + gap / 2` on the ring of 2^64 − 1 positions.
///
/// ```
/// use session_core::SwarmId;
/// use session_swarm::new_swarm_id;
/// assert_eq!(new_swarm_id([]), SwarmId(0));
/// assert_eq!(new_swarm_id([SwarmId(0)]), SwarmId(9_223_372_036_854_775_807));
/// ```
pub fn new_swarm_id<I: IntoIterator<Item = SwarmId>>(ascending_ids: I) -> SwarmId {
    let mut ids = ascending_ids.into_iter();
    let Some(SwarmId(first)) = ids.next() else {
        return SwarmId(0);
    };
    let mut best_gap = 0u64;
    let mut best_left = first;
    let mut prev = first;
    for SwarmId(id) in ids {
        let gap = id.wrapping_sub(prev);
        if gap > best_gap {
            best_gap = gap;
            best_left = prev;
        }
        prev = id;
    }
    let last = prev;
    let wrap_gap = MAX_SWARM_ID
        .wrapping_sub(last)
        .wrapping_add(first)
        .wrapping_add(1);
    if wrap_gap > best_gap {
        best_gap = wrap_gap;
        best_left = last;
    }
    SwarmId(place_in_gap(best_left, best_gap))
}

/// `left + gap / 2` on the ring where `MAX_ID + 1` wraps to 0.
pub(crate) fn place_in_gap(left: u64, gap: u64) -> u64 {
    let diff = gap / 2;
    let to_max = MAX_SWARM_ID.wrapping_sub(left);
    if diff > to_max {
        diff - to_max - 1
    } else {
        left.wrapping_add(diff)
    }
}
