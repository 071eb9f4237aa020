//! The Session Network block reward (HF21 on): each block publishes the reward rate it read
//! from the rewards contract (`l2_reward`), which may move only a little from the previous
//! block's, and pays the smallest rate published by the last 15 blocks. Blocks have no miner
//! transaction and no governance share.

use crate::error::ConsensusError;
use crate::requirement::COIN;

/// How many preceding blocks' `l2_reward` values the paid reward is the minimum of
/// (`L2_REWARD_CONSENSUS_BLOCKS`).
pub const L2_REWARD_CONSENSUS_BLOCKS: usize = 15;

/// A block's `l2_reward` may exceed the previous block's by at most `previous / 50000`
/// (`L2_REWARD_MAX_INCREASE_DIVISOR`: +0.002 %).
pub const L2_REWARD_MAX_INCREASE_DIVISOR: u64 = 50_000;

/// A block's `l2_reward` may fall below the previous block's by at most `previous / 25000`
/// (`L2_REWARD_MAX_DECREASE_DIVISOR`: −0.004 %).
pub const L2_REWARD_MAX_DECREASE_DIVISOR: u64 = 25_000;

/// The reward of the first HF21 blocks, and the `l2_reward` the first HF21 block is measured
/// against (`ETH_BLS_INITIAL_REWARD`): 15.1 % a year of a 40,000,000-token pool, per block of a
/// 720-block day, in atomic units (22.983257229 tokens).
pub const ETH_BLS_INITIAL_REWARD: u64 = 40_000_000 * COIN * 151 / 1000 / 365 / 720;

/// The `l2_reward` values a block may publish, given the previous block's (`l2_reward_range`):
/// `previous − previous/25000 ..= previous + previous/50000`.
///
/// oxend computes the bounds in unsigned 64-bit arithmetic; the upper bound wraps for a
/// previous value above about 1.8 × 10^19 · 50000/50001, leaving no acceptable value, and
/// that is reproduced.
///
/// ```
/// use session_staking::rewards::{l2_reward_range, ETH_BLS_INITIAL_REWARD};
/// assert_eq!(l2_reward_range(50_000_000), (49_998_000, 50_001_000));
/// assert_eq!(l2_reward_range(ETH_BLS_INITIAL_REWARD), (22_982_337_899, 22_983_716_894));
/// ```
#[must_use]
pub const fn l2_reward_range(previous: u64) -> (u64, u64) {
    (
        previous - previous / L2_REWARD_MAX_DECREASE_DIVISOR,
        previous.wrapping_add(previous / L2_REWARD_MAX_INCREASE_DIVISOR),
    )
}

/// The reward (atomic units) the block at `height` must pay (`eth_consensus_reward`).
///
/// `hf21_height` is the network's first HF21 block; `previous_l2_rewards` the `l2_reward`
/// values of the blocks before `height`, oldest first (only the last
/// [`L2_REWARD_CONSENSUS_BLOCKS`] are read). Before HF21 the answer is 0 (the reward is not
/// this rule's); in the first 15 HF21 blocks it is [`ETH_BLS_INITIAL_REWARD`]; afterwards the
/// smallest of the last 15 values. `None` if fewer than 15 values are given when they are
/// needed.
///
/// ```
/// use session_staking::rewards::{l2_consensus_reward, ETH_BLS_INITIAL_REWARD};
/// let history = [30, 25, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33];
/// assert_eq!(l2_consensus_reward(100, 114, &history), Some(ETH_BLS_INITIAL_REWARD));
/// // The first value has left the window of 15: 20 is the smallest of the rest.
/// assert_eq!(l2_consensus_reward(100, 115, &history), Some(20));
/// assert_eq!(l2_consensus_reward(100, 115, &history[..14]), None);
/// ```
#[must_use]
pub fn l2_consensus_reward(
    hf21_height: u64,
    height: u64,
    previous_l2_rewards: &[u64],
) -> Option<u64> {
    if height < hf21_height {
        return Some(0);
    }
    if height - hf21_height < L2_REWARD_CONSENSUS_BLOCKS as u64 {
        return Some(ETH_BLS_INITIAL_REWARD);
    }
    let start = previous_l2_rewards
        .len()
        .checked_sub(L2_REWARD_CONSENSUS_BLOCKS)?;
    previous_l2_rewards.get(start..)?.iter().copied().min()
}

/// Checks the two reward fields of an HF21 block at `height` as oxend's
/// `validate_miner_transaction` does: the published `l2_reward` within
/// [`l2_reward_range`] of the previous block's (of [`ETH_BLS_INITIAL_REWARD`] for the first
/// HF21 block), then the paid `reward` equal to [`l2_consensus_reward`].
///
/// `previous_l2_rewards` as for [`l2_consensus_reward`]; its last value is the previous
/// block's.
///
/// ```
/// use session_staking::rewards::{check_l2_block_reward, ETH_BLS_INITIAL_REWARD as R};
/// use session_staking::ConsensusError;
///
/// // The first HF21 block: measured against the initial reward, and paying it.
/// assert!(check_l2_block_reward(100, 100, R + R / 50_000, R, &[]).is_ok());
/// assert_eq!(
///     check_l2_block_reward(100, 100, R + R / 50_000 + 1, R, &[]),
///     Err(ConsensusError::L2RewardOutOfRange {
///         l2_reward: R + R / 50_000 + 1,
///         min: R - R / 25_000,
///         max: R + R / 50_000,
///     })
/// );
/// ```
pub fn check_l2_block_reward(
    hf21_height: u64,
    height: u64,
    l2_reward: u64,
    reward: u64,
    previous_l2_rewards: &[u64],
) -> Result<(), ConsensusError> {
    let (min, max) = if height < hf21_height {
        (0, 0)
    } else if height == hf21_height {
        l2_reward_range(ETH_BLS_INITIAL_REWARD)
    } else {
        let previous = previous_l2_rewards
            .last()
            .ok_or(ConsensusError::L2RewardHistory {
                needed: 1,
                given: 0,
            })?;
        l2_reward_range(*previous)
    };
    if l2_reward < min || l2_reward > max {
        return Err(ConsensusError::L2RewardOutOfRange {
            l2_reward,
            min,
            max,
        });
    }
    let expected = l2_consensus_reward(hf21_height, height, previous_l2_rewards).ok_or(
        ConsensusError::L2RewardHistory {
            needed: L2_REWARD_CONSENSUS_BLOCKS,
            given: previous_l2_rewards.len(),
        },
    )?;
    if reward != expected {
        return Err(ConsensusError::BlockRewardMismatch { reward, expected });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn initial_reward_is_oxends_constant() {
        // 40,000,000 tokens · 0.151 / 365 / 720, each division truncating.
        assert_eq!(ETH_BLS_INITIAL_REWARD, 22_983_257_229);
    }

    #[test]
    fn range_moves_at_most_one_fifty_thousandth_up_and_one_twenty_five_thousandth_down() {
        assert_eq!(l2_reward_range(0), (0, 0));
        assert_eq!(l2_reward_range(49_999), (49_998, 49_999));
        assert_eq!(l2_reward_range(1_000_000_000), (999_960_000, 1_000_020_000));
        // oxend's unsigned arithmetic wraps the upper bound.
        let (min, max) = l2_reward_range(u64::MAX);
        assert_eq!(min, u64::MAX - u64::MAX / 25_000);
        assert!(max < min);
    }

    #[test]
    fn block_reward_follows_the_minimum_of_the_last_fifteen() {
        let fork = 1000;
        let mut history = [100_000_000u64; 20];
        history[4] = 1; // outside the window at height fork + 20
        history[5] = 99_999_000; // inside
        assert_eq!(
            l2_consensus_reward(fork, fork + 20, &history),
            Some(99_999_000)
        );
        assert_eq!(
            l2_consensus_reward(fork, fork + 19, &history[..19]),
            Some(1)
        );
        assert_eq!(l2_consensus_reward(fork, fork - 1, &[]), Some(0));
        assert_eq!(
            l2_consensus_reward(fork, fork, &[]),
            Some(ETH_BLS_INITIAL_REWARD)
        );
        assert_eq!(
            l2_consensus_reward(fork, fork + 14, &[]),
            Some(ETH_BLS_INITIAL_REWARD)
        );
        assert_eq!(l2_consensus_reward(fork, fork + 15, &[5; 14]), None);
        assert_eq!(l2_consensus_reward(fork, fork + 15, &[5; 15]), Some(5));
    }

    #[test]
    fn block_checks_accept_and_refuse_as_oxend() {
        let fork = 10;
        let history = [50_000_000u64; 15];
        let h = fork + 15;
        let ok = |l2, reward| check_l2_block_reward(fork, h, l2, reward, &history);
        assert_eq!(ok(50_001_000, 50_000_000), Ok(()));
        assert_eq!(ok(49_998_000, 50_000_000), Ok(()));
        assert_eq!(
            ok(50_001_001, 50_000_000),
            Err(ConsensusError::L2RewardOutOfRange {
                l2_reward: 50_001_001,
                min: 49_998_000,
                max: 50_001_000
            })
        );
        assert!(matches!(
            ok(49_997_999, 50_000_000),
            Err(ConsensusError::L2RewardOutOfRange { .. })
        ));
        assert_eq!(
            ok(50_000_000, 49_999_999),
            Err(ConsensusError::BlockRewardMismatch {
                reward: 49_999_999,
                expected: 50_000_000
            })
        );
        // Before HF21 only zero is acceptable.
        assert_eq!(check_l2_block_reward(fork, fork - 1, 0, 0, &[]), Ok(()));
        assert!(check_l2_block_reward(fork, fork - 1, 1, 0, &[]).is_err());
        // After the first HF21 block the previous value is needed.
        assert_eq!(
            check_l2_block_reward(fork, fork + 1, 1, 1, &[]),
            Err(ConsensusError::L2RewardHistory {
                needed: 1,
                given: 0
            })
        );
        assert_eq!(
            check_l2_block_reward(fork, fork + 16, 5, 5, &[5; 3]),
            Err(ConsensusError::L2RewardHistory {
                needed: 15,
                given: 3
            })
        );
    }
}
