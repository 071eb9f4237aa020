//! The network clock offset: the median of what a few nodes say the time is.

use alloc::vec::Vec;

use session_core::Timestamp;

/// The offset one node's answer implies: its `t` (milliseconds) minus the local time the answer
/// arrived, less half the round trip (the answer's travel time).
#[must_use]
pub fn offset_from_reply(sent_at: Timestamp, received_at: Timestamp, node_t: u64) -> i64 {
    let latency = (i128::from(received_at.0) - i128::from(sent_at.0)).max(0) / 2;
    let offset = i128::from(node_t) - i128::from(received_at.0) - latency;
    offset.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// The median of `offsets` (the mean of the middle two for an even count, rounded toward
/// zero); `None` when empty.
#[must_use]
pub fn median(offsets: &mut [i64]) -> Option<i64> {
    offsets.sort_unstable();
    let mid = offsets.len() / 2;
    if offsets.len() % 2 == 1 {
        offsets.get(mid).copied()
    } else {
        let hi = i128::from(*offsets.get(mid)?);
        let lo = i128::from(*offsets.get(mid.checked_sub(1)?)?);
        Some(((hi + lo) / 2) as i64)
    }
}

/// One clock resync: answers (or failures) from a fixed set of nodes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resync {
    pub(crate) expected: usize,
    answers: Vec<Option<i64>>,
}

impl Resync {
    pub(crate) fn new(expected: usize) -> Self {
        Resync {
            expected,
            answers: Vec::new(),
        }
    }

    /// Records one answer (`None`: the node failed). Once all are in, the median of the
    /// successful ones, or `Some(None)` when none succeeded.
    pub(crate) fn record(&mut self, offset: Option<i64>) -> Option<Option<i64>> {
        self.answers.push(offset);
        if self.answers.len() < self.expected {
            return None;
        }
        let mut ok: Vec<i64> = self.answers.iter().flatten().copied().collect();
        Some(median(&mut ok))
    }
}
