//! The staking requirement: how many atomic units must be locked to run a service node at a
//! given height, and the network durations that go with staking.
//!
//! Mainnet's requirement went through three regimes: a floating-point decay curve (HF9–HF12,
//! using oxend's own [`exp2`](crate::exp2::exp2())), an integer piecewise-linear table (HF13–HF15),
//! and fixed amounts (HF16 on). The whitepaper's "about 18,550" is the HF14 table value in
//! February 2020: at height 464,862 (≈ 2020-02-10 00:00 UTC) it is 18,590.875262503 LOKI,
//! and it first drops to ≤ 18,550 at height 466,838 (≈ 2020-02-12).

use session_core::Network;

use crate::exp2::exp2;
use crate::hardfork::{HardFork, hard_fork_at};

/// Atomic units per coin (LOKI/OXEN have 9 decimals).
pub const COIN: u64 = 1_000_000_000;

/// Mainnet requirement from HF16 (Pulse) until HF21.
pub const OXEN_STAKING_REQUIREMENT: u64 = 15_000 * COIN;
/// Requirement on every test network before HF21.
pub const OXEN_STAKING_REQUIREMENT_TESTNET: u64 = 100 * COIN;
/// Mainnet requirement from HF21 (SENT).
pub const SENT_STAKING_REQUIREMENT: u64 = 25_000 * COIN;
/// Testnet, devnet and stagenet requirement from HF21.
pub const SENT_STAKING_REQUIREMENT_TESTNET: u64 = 20_000 * COIN;
/// Local development network requirement from HF21.
pub const SENT_STAKING_REQUIREMENT_LOCALDEV: u64 = 120 * COIN;

/// Approximate mainnet height at 2020-02-10 00:00 UTC, the date of the whitepaper's figure
/// (counted back at 120 s per block from oxend's height-estimate anchor 582,088 at unix time
/// 1,595,359,932).
pub const WHITEPAPER_HEIGHT: u64 = 464_862;

/// Mainnet HF9 height: the pre-HF13 curves start here and lower heights are clamped to it.
const CURVE_START_MAINNET: u64 = 101_250;
/// Stagenet's curve start in oxend v6 (its HF9 height at the time).
const CURVE_START_V6_STAGENET: u64 = 96_210;
/// Blocks per halving of the curve's variable part (180 days).
const CURVE_HALF_LIFE: f64 = 129_600.0;

/// The HF13 interpolation table: heights 60 days apart and the requirement at each (the HF11
/// curve sampled there, give or take one atomic unit).
const HF13_HEIGHTS: [i64; 7] = [
    385_824, 429_024, 472_224, 515_424, 558_624, 601_824, 645_024,
];
const HF13_REQUIREMENTS: [i64; 7] = [
    20_458_380_815_527,
    19_332_319_724_305,
    18_438_564_443_912,
    17_729_190_407_764,
    17_166_159_862_153,
    16_719_282_221_956,
    16_364_595_203_882,
];

/// The same table as shipped in oxend v6 (before HF16 fixed the requirement), which went on to
/// reach 15,000 at height 1,000,000.
const V6_HEIGHTS: [i64; 13] = [
    385_824, 429_024, 472_224, 515_424, 558_624, 601_824, 645_024, 688_224, 731_424, 774_624,
    817_824, 861_024, 1_000_000,
];
const V6_REQUIREMENTS: [i64; 13] = [
    20_458_380_815_527,
    19_332_319_724_305,
    18_438_564_443_912,
    17_729_190_407_764,
    17_166_159_862_153,
    16_719_282_221_956,
    16_364_595_203_882,
    16_083_079_931_076,
    15_859_641_110_978,
    15_682_297_601_941,
    15_541_539_965_538,
    15_429_820_555_489,
    15_000_000_000_000,
];

/// The default staking requirement (atomic units) for a registration in the block at `height`.
///
/// From HF21 a contract event can override this on chain; that override is chain state and is
/// not reproduced here.
///
/// ```
/// use session_core::Network;
/// use session_staking::{staking_requirement, COIN, requirement::WHITEPAPER_HEIGHT};
///
/// // What the whitepaper calls "about 18,550 LOKI" (2020-02-10):
/// assert_eq!(staking_requirement(Network::Mainnet, WHITEPAPER_HEIGHT), 18_590_875_262_503);
/// assert_eq!(staking_requirement(Network::Mainnet, 800_000), 15_000 * COIN);
/// assert_eq!(staking_requirement(Network::Testnet, 10), 100 * COIN);
/// ```
#[must_use]
pub fn staking_requirement(network: Network, height: u64) -> u64 {
    let hf = hard_fork_at(network, height);
    if hf >= HardFork::Hf16 {
        return fixed_staking_requirement(network, hf);
    }
    if network != Network::Mainnet {
        return OXEN_STAKING_REQUIREMENT_TESTNET;
    }
    if hf >= HardFork::Hf13 {
        return interpolate(&HF13_HEIGHTS, &HF13_REQUIREMENTS, height);
    }
    decay_curve(hf, height, CURVE_START_MAINNET)
}

/// The fixed requirement of the eras from HF16 on (`hf` below HF16 is answered as HF16).
#[must_use]
pub fn fixed_staking_requirement(network: Network, hf: HardFork) -> u64 {
    if hf >= HardFork::Hf21 {
        match network {
            Network::Mainnet => SENT_STAKING_REQUIREMENT,
            Network::Testnet | Network::Devnet | Network::Stagenet => {
                SENT_STAKING_REQUIREMENT_TESTNET
            }
            _ => SENT_STAKING_REQUIREMENT_LOCALDEV,
        }
    } else if network == Network::Mainnet {
        OXEN_STAKING_REQUIREMENT
    } else {
        OXEN_STAKING_REQUIREMENT_TESTNET
    }
}

/// The requirement as oxend v6.1.4 (the Feb 2020 mainnet release) computed it, given the hard
/// fork the caller believes is active.
///
/// It differs from [`staking_requirement`] in three ways: the HF13 table runs on to 15,000 at
/// height 1,000,000 (mainnet fixed the requirement at HF16, height 641,111, before the table's
/// later rows mattered); stagenet used the decay curve starting at height 96,210; and the test
/// networks (and every network that did not exist then: devnet, local) used 100 coins at every
/// height. Useful to re-verify historical blocks against the software that produced them.
#[must_use]
pub fn staking_requirement_v6(network: Network, height: u64, hf: HardFork) -> u64 {
    let curve_start = match network {
        Network::Mainnet => CURVE_START_MAINNET,
        Network::Stagenet => CURVE_START_V6_STAGENET,
        _ => return OXEN_STAKING_REQUIREMENT_TESTNET,
    };
    if hf >= HardFork::Hf13 {
        return interpolate(&V6_HEIGHTS, &V6_REQUIREMENTS, height);
    }
    decay_curve(hf, height, curve_start)
}

/// The HF9–HF12 curve: `base + variable / 2^((h - start)/129600)`.
fn decay_curve(hf: HardFork, height: u64, curve_start: u64) -> u64 {
    let adjusted = height.saturating_sub(curve_start);
    let (base, numerator) = if hf >= HardFork::Hf11 {
        (15_000 * COIN, 25_007.0 * COIN as f64)
    } else {
        (10_000 * COIN, 35_000.0 * COIN as f64)
    };
    // u64 → f64 is exact below 2^53 (heights are far below); oxend divides in doubles with
    // round-to-nearest (it sets FE_TONEAREST first, Rust always rounds to nearest).
    let variable = numerator / exp2(adjusted as f64 / CURVE_HALF_LIFE);
    // C's double → uint64_t conversion truncates toward zero, as `as` does for values in range.
    base.wrapping_add(variable as u64)
}

/// Piecewise-linear interpolation with oxend's integer quirks.
fn interpolate(heights: &[i64], requirements: &[i64], height: u64) -> u64 {
    let (Some(&last_height), Some(&last_requirement)) = (heights.last(), requirements.last())
    else {
        return 0;
    };
    // Heights beyond i64 are past the last row anyway.
    let h = i64::try_from(height).unwrap_or(i64::MAX);
    if h >= last_height {
        return last_requirement as u64;
    }
    // oxend searches from row 1 and takes the row before the first one above `h`; a height
    // below the table (impossible once HF13 is active) therefore uses row 0.
    let i = heights.iter().skip(1).position(|&row| row > h).unwrap_or(0);
    let (Some(&h0), Some(&h1), Some(&l0), Some(&l1)) = (
        heights.get(i),
        heights.get(i + 1),
        requirements.get(i),
        requirements.get(i + 1),
    ) else {
        return 0;
    };
    // The slope is divided first, in i64, with C division truncating toward zero: Rust's `/`
    // on i64 does the same (floor division would be off by one for these negative slopes).
    let slope = (l1 - l0) / (h1 - h0);
    let result = l0.wrapping_add((h - h0).wrapping_mul(slope));
    // oxend casts the i64 result to u64.
    result as u64
}

/// Blocks a pre-HF11 stake stays locked: `staking_num_lock_blocks` (30 days; 2 days on
/// testnet).
#[must_use]
pub fn staking_lock_blocks(network: Network) -> u64 {
    match network {
        Network::Testnet => blocks_in(network, 48 * 3600),
        _ => blocks_in(network, 30 * 24 * 3600),
    }
}

/// oxend's private test chain (not a [`Network`]) uses a 30-block staking lock.
pub const FAKECHAIN_STAKING_LOCK_BLOCKS: u64 = 30;

/// Target seconds per block.
#[must_use]
pub const fn target_block_time(network: Network) -> u64 {
    match network {
        Network::Mainnet | Network::Testnet | Network::Devnet | Network::Stagenet => 120,
        _ => 5,
    }
}

/// `BLOCKS_IN(duration)`: whole blocks in `seconds` at the network's target block time.
#[must_use]
pub const fn blocks_in(network: Network, seconds: u64) -> u64 {
    seconds / target_block_time(network)
}

/// Blocks for which the key images of a deregistered node's stakes stay blacklisted
/// (`DEREGISTRATION_LOCK_DURATION`: 30 days on mainnet).
#[must_use]
pub const fn deregistration_lock_blocks(network: Network) -> u64 {
    match network {
        Network::Mainnet => blocks_in(network, 30 * 24 * 3600),
        Network::Testnet | Network::Devnet | Network::Stagenet => blocks_in(network, 48 * 3600),
        _ => 10,
    }
}

/// Blocks after a node leaves the list (from HF21) before the contract may liquidate it
/// (`ETH_EXIT_BUFFER`: 7 days on mainnet, 2 hours on stagenet, 1 hour on testnet and devnet,
/// one block on a local network).
#[must_use]
pub const fn eth_exit_buffer(network: Network) -> u64 {
    match network {
        Network::Mainnet => blocks_in(network, 7 * 24 * 3600),
        Network::Stagenet => blocks_in(network, 2 * 3600),
        Network::Testnet | Network::Devnet => blocks_in(network, 3600),
        _ => 1,
    }
}

/// Blocks between an unlock request and the stake's release (`UNLOCK_DURATION`: 15 days on
/// mainnet, 1 day on test networks, immediate on a local network).
#[must_use]
pub const fn unlock_blocks(network: Network) -> u64 {
    match network {
        Network::Mainnet => blocks_in(network, 15 * 24 * 3600),
        Network::Testnet | Network::Devnet | Network::Stagenet => blocks_in(network, 24 * 3600),
        _ => 0,
    }
}

/// The height at which a stake whose unlock was requested in the block at `request_height`
/// is released (the node expires once the chain passes it).
#[must_use]
pub const fn unlock_height(network: Network, request_height: u64) -> u64 {
    request_height.saturating_add(unlock_blocks(network))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_division_truncates_toward_zero() {
        // (L1 - L0)/43200 = -26066228.96…: C gives -26066228, floor division -26066229.
        let slope = (HF13_REQUIREMENTS[1] - HF13_REQUIREMENTS[0]) / 43_200;
        assert_eq!(slope, -26_066_228);
        assert_eq!(
            staking_requirement(Network::Mainnet, 385_825),
            20_458_380_815_527 - 26_066_228
        );
    }

    #[test]
    fn eras() {
        let m = Network::Mainnet;
        assert_eq!(staking_requirement(m, 0), 45_000 * COIN);
        assert_eq!(staking_requirement(m, 101_250), 45_000 * COIN);
        assert_eq!(staking_requirement(m, 385_824), 20_458_380_815_527);
        assert_eq!(staking_requirement(m, 645_024), 15_000 * COIN);
        assert_eq!(staking_requirement(m, u64::MAX), 15_000 * COIN);
        assert_eq!(staking_requirement(Network::Devnet, 444), 20_000 * COIN);
        assert_eq!(staking_requirement(Network::Stagenet, 250), 20_000 * COIN);
        assert_eq!(staking_requirement(Network::Localdev, 171), 120 * COIN);
        assert_eq!(staking_requirement(Network::Localdev, 170), 100 * COIN);
        assert_eq!(fixed_staking_requirement(m, HardFork::Hf21), 25_000 * COIN);
    }

    #[test]
    fn durations() {
        assert_eq!(staking_lock_blocks(Network::Mainnet), 21_600);
        assert_eq!(staking_lock_blocks(Network::Testnet), 1_440);
        assert_eq!(deregistration_lock_blocks(Network::Mainnet), 21_600);
        assert_eq!(deregistration_lock_blocks(Network::Devnet), 1_440);
        assert_eq!(unlock_blocks(Network::Mainnet), 10_800);
        assert_eq!(unlock_blocks(Network::Testnet), 720);
        assert_eq!(unlock_height(Network::Localdev, 7), 7);
        assert_eq!(unlock_height(Network::Mainnet, u64::MAX), u64::MAX);
    }
}
