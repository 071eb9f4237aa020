//! Where a user's messages live: swarm space, nearest swarm, swarm ranges.

use session_core::SwarmId;

/// The swarm-space position of a 32-byte user key: the four 8-byte words XORed together,
/// read big-endian (oxend, the storage server and libsession agree on this).
///
/// For a 33-byte Session ID pass [`session_core::SessionId::key`]: the prefix byte is ignored.
///
/// ```
/// let key = [0u8; 32];
/// assert_eq!(session_swarm::swarm_space(&key), 0);
/// ```
#[must_use]
pub fn swarm_space(pubkey: &[u8; 32]) -> u64 {
    let mut acc = [0u8; 8];
    for word in pubkey.chunks_exact(8) {
        for (a, b) in acc.iter_mut().zip(word) {
            *a ^= *b;
        }
    }
    u64::from_be_bytes(acc)
}

/// The swarm that owns swarm-space position `space`: the nearest id on the 2^64 ring, ties
/// going to the lower (left) neighbour — which, for a position below the smallest id, is the
/// largest id. `sorted_ids` must be ascending and must not contain [`SwarmId::UNASSIGNED`]
/// (unsorted input gives a meaningless answer, never a panic). `None` when there is no swarm.
///
/// ```
/// use session_core::SwarmId;
/// let ids = [SwarmId(100), SwarmId(200)];
/// assert_eq!(session_swarm::nearest_swarm(&ids, 150), Some(SwarmId(100)));
/// assert_eq!(session_swarm::nearest_swarm(&ids, 151), Some(SwarmId(200)));
/// ```
#[must_use]
pub fn nearest_swarm(sorted_ids: &[SwarmId], space: u64) -> Option<SwarmId> {
    let first = *sorted_ids.first()?;
    let last = *sorted_ids.last()?;
    if sorted_ids.len() == 1 {
        return Some(first);
    }
    let idx = sorted_ids.partition_point(|id| id.0 < space);
    let right = sorted_ids.get(idx).copied().unwrap_or(first);
    // `right` wrapped to the first id or is the first id: either way the left neighbour is the
    // last id.
    let left = match idx.checked_sub(1).and_then(|i| sorted_ids.get(i)) {
        Some(&l) => l,
        None => last,
    };
    let dright = right.0.wrapping_sub(space);
    let dleft = space.wrapping_sub(left.0);
    Some(if dright < dleft { right } else { left })
}

/// The part of swarm space owned by `swarm`: `(lower, upper)` with `lower` exclusive and
/// `upper` inclusive, wrapping when `lower > upper` (storage server `get_swarm_boundaries`).
/// `lower == upper` means the whole ring (a lone swarm; with two or more swarms it cannot
/// happen). `None` if `swarm` is not in `sorted_ids`.
///
/// Consistent with [`nearest_swarm`]: `swarm` owns exactly the positions nearest to it.
///
/// ```
/// use session_core::SwarmId;
/// let ids = [SwarmId(100), SwarmId(200), SwarmId(300)];
/// assert_eq!(session_swarm::swarm_range(&ids, SwarmId(200)), Some((150, 250)));
/// ```
#[must_use]
pub fn swarm_range(sorted_ids: &[SwarmId], swarm: SwarmId) -> Option<(u64, u64)> {
    let idx = sorted_ids.binary_search(&swarm).ok()?;
    if sorted_ids.len() == 1 {
        return Some((0, 0));
    }
    let prev = match idx.checked_sub(1) {
        Some(i) => sorted_ids.get(i),
        None => sorted_ids.last(),
    }?;
    let next = sorted_ids.get(idx + 1).or_else(|| sorted_ids.first())?;
    let dl = swarm.0.wrapping_sub(prev.0);
    let dr = next.0.wrapping_sub(swarm.0);
    // dl rounded up to even, halved: ceil(dl / 2) without overflowing at dl = 2^64 - 1.
    let half_left = dl / 2 + (dl & 1);
    Some((
        swarm.0.wrapping_sub(half_left),
        swarm.0.wrapping_add(dr / 2),
    ))
}

/// An inclusive, non-wrapping interval `first..=last` of swarm space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpaceInterval {
    /// First position in the interval.
    pub first: u64,
    /// Last position in the interval (≥ `first`).
    pub last: u64,
}

impl core::fmt::Display for SpaceInterval {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "[{:#018x}, {:#018x}]", self.first, self.last)
    }
}

impl SpaceInterval {
    /// The whole swarm space.
    pub const ALL: SpaceInterval = SpaceInterval {
        first: 0,
        last: u64::MAX,
    };

    /// Whether `space` lies in the interval.
    #[must_use]
    pub const fn contains(&self, space: u64) -> bool {
        self.first <= space && space <= self.last
    }

    /// The overlap of two intervals, if any.
    #[must_use]
    pub fn intersect(&self, other: &SpaceInterval) -> Option<SpaceInterval> {
        let first = self.first.max(other.first);
        let last = self.last.min(other.last);
        (first <= last).then_some(SpaceInterval { first, last })
    }

    /// Splits a wrapping `(lower, upper]` range from [`swarm_range`] into at most two
    /// non-wrapping intervals (`lower == upper` is the whole ring), as the storage server's
    /// database query does.
    #[must_use]
    pub fn from_range(lower: u64, upper: u64) -> [Option<SpaceInterval>; 2] {
        match lower.cmp(&upper) {
            core::cmp::Ordering::Equal => [Some(SpaceInterval::ALL), None],
            // lower < upper ≤ u64::MAX, so lower + 1 cannot overflow.
            core::cmp::Ordering::Less => [
                Some(SpaceInterval {
                    first: lower + 1,
                    last: upper,
                }),
                None,
            ],
            // Wrapping: (lower, MAX] ∪ [0, upper].
            core::cmp::Ordering::Greater => [
                lower.checked_add(1).map(|first| SpaceInterval {
                    first,
                    last: u64::MAX,
                }),
                Some(SpaceInterval {
                    first: 0,
                    last: upper,
                }),
            ],
        }
    }
}
