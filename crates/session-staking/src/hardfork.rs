//! Hard forks: which consensus rules are in force at a given height on each network.

use core::fmt;

use session_core::Network;

/// A major network version ("hard fork") of the Oxen chain.
///
/// The variants are ordered, so `hf >= HardFork::Hf16` reads as "from the Pulse fork on".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum HardFork {
    /// Monero-inherited start of the chain.
    Hf7 = 7,
    /// New emission schedule (the floating-point block reward).
    Hf8 = 8,
    /// Service nodes launched.
    Hf9 = 9,
    /// Bulletproofs; grace-period re-registration.
    Hf10 = 10,
    /// Infinite staking: stakes are locked by key image.
    Hf11 = 11,
    /// Checkpointing; decommission, recommission and the IP-change penalty.
    Hf12 = 12,
    /// Checkpoints enforced; the integer staking-requirement table.
    Hf13 = 13,
    /// Blink; `stake` transaction type.
    Hf14 = 14,
    /// Fixed 25-coin block reward (16.5 to service nodes).
    Hf15 = 15,
    /// Pulse (proof of stake); staking requirement fixed at 15,000.
    Hf16 = 16,
    /// Miner reward removed.
    Hf17 = 17,
    /// bt-encoded uptime proofs.
    Hf18 = 18,
    /// Reward batching; amount-based registrations with up to 10 contributors.
    Hf19 = 19,
    /// Ethereum transition: no new OXEN registrations.
    Hf20 = 20,
    /// Registrations and unlocks come from Ethereum.
    Hf21 = 21,
}

impl HardFork {
    /// Every hard fork, oldest first.
    pub const ALL: [HardFork; 15] = [
        HardFork::Hf7,
        HardFork::Hf8,
        HardFork::Hf9,
        HardFork::Hf10,
        HardFork::Hf11,
        HardFork::Hf12,
        HardFork::Hf13,
        HardFork::Hf14,
        HardFork::Hf15,
        HardFork::Hf16,
        HardFork::Hf17,
        HardFork::Hf18,
        HardFork::Hf19,
        HardFork::Hf20,
        HardFork::Hf21,
    ];

    /// The version number as it appears in block headers.
    #[must_use]
    pub const fn version(self) -> u8 {
        self as u8
    }

    /// The hard fork with this version number, if it is one we know.
    #[must_use]
    pub const fn from_version(version: u8) -> Option<HardFork> {
        Some(match version {
            7 => HardFork::Hf7,
            8 => HardFork::Hf8,
            9 => HardFork::Hf9,
            10 => HardFork::Hf10,
            11 => HardFork::Hf11,
            12 => HardFork::Hf12,
            13 => HardFork::Hf13,
            14 => HardFork::Hf14,
            15 => HardFork::Hf15,
            16 => HardFork::Hf16,
            17 => HardFork::Hf17,
            18 => HardFork::Hf18,
            19 => HardFork::Hf19,
            20 => HardFork::Hf20,
            21 => HardFork::Hf21,
            _ => return None,
        })
    }
}

impl fmt::Display for HardFork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HF{}", self.version())
    }
}

impl TryFrom<u8> for HardFork {
    type Error = crate::ConsensusError;

    fn try_from(version: u8) -> Result<Self, Self::Error> {
        HardFork::from_version(version).ok_or(crate::ConsensusError::UnknownHardFork { version })
    }
}

/// One row of a network's fork schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HardForkActivation {
    /// The fork that starts here.
    pub hard_fork: HardFork,
    /// Service-node revision within the fork (minor mandatory upgrades; 0 for the fork itself).
    pub snode_revision: u8,
    /// First height at which the fork's rules apply.
    pub height: u64,
    /// Approximate activation time (unix seconds), as published with the schedule.
    pub time: u64,
}

const fn at(hard_fork: HardFork, snode_revision: u8, height: u64, time: u64) -> HardForkActivation {
    HardForkActivation {
        hard_fork,
        snode_revision,
        height,
        time,
    }
}

use HardFork::*;

/// Mainnet. No HF20/HF21 heights are scheduled on mainnet.
const MAINNET: &[HardForkActivation] = &[
    at(Hf7, 0, 0, 1_503_046_577),
    at(Hf8, 0, 64_324, 1_533_006_000),
    at(Hf9, 0, 101_250, 1_537_444_800),
    at(Hf10, 0, 161_849, 1_544_743_800),
    at(Hf11, 0, 234_767, 1_554_170_400),
    at(Hf12, 0, 321_467, 1_563_940_800),
    at(Hf13, 0, 385_824, 1_571_850_000),
    at(Hf14, 0, 442_333, 1_578_528_000),
    at(Hf15, 0, 496_969, 1_585_105_200),
    at(Hf16, 0, 641_111, 1_602_464_400),
    at(Hf17, 0, 770_711, 1_618_016_400),
    at(Hf18, 0, 785_000, 1_619_736_143),
    at(Hf18, 1, 839_009, 1_626_217_200),
    at(Hf19, 0, 1_080_149, 1_655_154_000),
    at(Hf19, 1, 1_090_229, 1_656_363_600),
    at(Hf19, 2, 1_146_479, 1_663_113_600),
    at(Hf19, 3, 1_253_039, 1_675_900_800),
];

/// Testnet, as restarted during HF19 (hence the compressed early forks).
const TESTNET: &[HardForkActivation] = &[
    at(Hf7, 0, 0, 1_653_632_397),
    at(Hf11, 0, 2, 1_653_632_397),
    at(Hf12, 0, 3, 1_653_632_397),
    at(Hf13, 0, 4, 1_653_632_397),
    at(Hf14, 0, 5, 1_653_632_397),
    at(Hf15, 0, 6, 1_653_632_397),
    at(Hf16, 0, 200, 1_653_632_397),
    at(Hf17, 0, 251, 1_653_632_397),
    at(Hf18, 0, 252, 1_653_632_397),
    at(Hf19, 0, 253, 1_653_632_397),
    at(Hf19, 1, 254, 1_653_632_397),
    at(Hf19, 2, 62_885, 1_661_205_699),
    at(Hf19, 3, 161_000, 1_673_385_120),
];

const DEVNET: &[HardForkActivation] = &[
    at(Hf7, 0, 0, 1_716_310_007),
    at(Hf14, 0, 1, 1_716_310_014),
    at(Hf16, 0, 250, 1_716_310_016),
    at(Hf17, 0, 255, 1_716_310_017),
    at(Hf18, 0, 256, 1_716_310_018),
    at(Hf19, 0, 257, 1_716_310_019),
    at(Hf20, 0, 379, 1_716_310_020),
    at(Hf21, 0, 444, 1_716_310_021),
];

const LOCALDEV: &[HardForkActivation] = &[
    at(Hf7, 0, 0, 1_716_310_007),
    at(Hf14, 0, 1, 1_716_310_014),
    at(Hf16, 0, 40, 1_716_310_016),
    at(Hf17, 0, 45, 1_716_310_017),
    at(Hf18, 0, 46, 1_716_310_018),
    at(Hf19, 0, 47, 1_716_310_019),
    at(Hf20, 0, 170, 1_716_310_020),
    at(Hf21, 0, 171, 1_716_310_020),
];

/// Stagenet (the 2024 relaunch), which jumps straight to HF21.
const STAGENET: &[HardForkActivation] = &[
    at(Hf7, 0, 0, 1_724_084_000),
    at(Hf14, 0, 1, 1_724_084_014),
    at(Hf21, 3, 250, 1_724_084_021),
];

/// The fork schedule of a network, oldest first.
#[must_use]
pub fn hard_forks(network: Network) -> &'static [HardForkActivation] {
    match network {
        Network::Mainnet => MAINNET,
        Network::Testnet => TESTNET,
        Network::Devnet => DEVNET,
        Network::Stagenet => STAGENET,
        // `Network` is non-exhaustive; a local network is the only other kind oxend knows.
        _ => LOCALDEV,
    }
}

/// The schedule row in force at `height` (the last one whose height is `<= height`).
#[must_use]
pub fn hard_fork_activation_at(network: Network, height: u64) -> HardForkActivation {
    let table = hard_forks(network);
    let first = at(Hf7, 0, 0, 0);
    table
        .iter()
        .take_while(|row| row.height <= height)
        .last()
        .copied()
        .unwrap_or(table.first().copied().unwrap_or(first))
}

/// The hard fork whose rules apply to the block at `height`.
///
/// ```
/// use session_core::Network;
/// use session_staking::{hard_fork_at, HardFork};
/// assert_eq!(hard_fork_at(Network::Mainnet, 464_862), HardFork::Hf14);
/// assert_eq!(hard_fork_at(Network::Mainnet, 641_111), HardFork::Hf16);
/// ```
#[must_use]
pub fn hard_fork_at(network: Network, height: u64) -> HardFork {
    hard_fork_activation_at(network, height).hard_fork
}

/// The first height of `hard_fork` on `network`, or `None` if the network skipped it or has
/// not scheduled it. A skipped fork's rules still apply from the next scheduled one on, since
/// the rules are cumulative.
#[must_use]
pub fn hard_fork_height(network: Network, hard_fork: HardFork) -> Option<u64> {
    hard_forks(network)
        .iter()
        .find(|row| row.hard_fork == hard_fork)
        .map(|row| row.height)
}

/// Whether the rules of `hard_fork` (or a later one) apply at `height`.
#[must_use]
pub fn is_hard_fork_at_least(network: Network, hard_fork: HardFork, height: u64) -> bool {
    hard_fork_at(network, height) >= hard_fork
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_ordered() {
        for net in Network::ALL {
            let table = hard_forks(net);
            assert_eq!(table.first().map(|r| r.hard_fork), Some(Hf7));
            for pair in table.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                assert!((a.hard_fork, a.snode_revision) < (b.hard_fork, b.snode_revision));
                assert!(a.height < b.height && a.time <= b.time);
            }
        }
    }

    #[test]
    fn boundaries() {
        assert_eq!(hard_fork_at(Network::Mainnet, 101_249), Hf8);
        assert_eq!(hard_fork_at(Network::Mainnet, 101_250), Hf9);
        assert_eq!(hard_fork_at(Network::Mainnet, 385_823), Hf12);
        assert_eq!(hard_fork_at(Network::Mainnet, 385_824), Hf13);
        assert_eq!(hard_fork_at(Network::Mainnet, u64::MAX), Hf19);
        assert_eq!(hard_fork_at(Network::Testnet, 199), Hf15);
        assert_eq!(hard_fork_at(Network::Stagenet, 250), Hf21);
        assert_eq!(hard_fork_at(Network::Localdev, 171), Hf21);
        assert_eq!(hard_fork_height(Network::Mainnet, Hf14), Some(442_333));
        assert_eq!(hard_fork_height(Network::Mainnet, Hf21), None);
        assert!(is_hard_fork_at_least(Network::Devnet, Hf20, 379));
        assert!(!is_hard_fork_at_least(Network::Devnet, Hf20, 378));
    }

    #[test]
    fn version_round_trip() {
        for hf in HardFork::ALL {
            assert_eq!(HardFork::from_version(hf.version()), Some(hf));
            assert_eq!(HardFork::try_from(hf.version()), Ok(hf));
        }
        assert_eq!(HardFork::from_version(6), None);
        assert_eq!(HardFork::from_version(22), None);
        assert_eq!(
            HardFork::try_from(22),
            Err(crate::ConsensusError::UnknownHardFork { version: 22 })
        );
        assert_eq!(alloc::format!("{Hf14}"), "HF14");
    }
}
