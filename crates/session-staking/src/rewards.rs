//! Block rewards: the service-node share per era, who is paid (the longest-waiting active
//! node), how a node's reward is split among its contributors
//! (`service_node_payout_portions`), the HF19+ batched accrual, and the Session Network block
//! reward of HF21 on (the smallest `l2_reward` of the last 15 blocks).

mod l2;

use alloc::vec::Vec;

use session_core::Network;

use crate::contribution::ContributorAddress;
use crate::exp2::exp2;
use crate::hardfork::HardFork;
use crate::portions::{STAKING_PORTIONS, mul_div_floor, portion_of_reward};
use crate::requirement::COIN;
use crate::state::{ServiceNodeInfo, ServiceNodePubkey};

pub use l2::{
    ETH_BLS_INITIAL_REWARD, L2_REWARD_CONSENSUS_BLOCKS, L2_REWARD_MAX_DECREASE_DIVISOR,
    L2_REWARD_MAX_INCREASE_DIVISOR, check_l2_block_reward, l2_consensus_reward, l2_reward_range,
};

/// Fixed block reward from HF15.
pub const BLOCK_REWARD_HF15: u64 = 25 * COIN;
/// Service-node share of the block reward from HF15 (66 %: 16.5 coins).
pub const SN_REWARD_HF15: u64 = BLOCK_REWARD_HF15 * 66 / 100;
/// Miner share of the HF15 block reward (until HF16).
pub const MINER_REWARD_HF15: u64 = BLOCK_REWARD_HF15 * 24 / 100;
/// Governance share of the HF15 block reward.
pub const FOUNDATION_REWARD_HF15: u64 = BLOCK_REWARD_HF15 * 10 / 100;
/// From HF16 the miner's former share funds liquidity and is paid with governance.
pub const CHAINFLIP_LIQUIDITY_HF16: u64 = BLOCK_REWARD_HF15 * 24 / 100;
/// Block reward from HF17 (the miner share removed).
pub const BLOCK_REWARD_HF17: u64 = 18_333_333_333;
/// Governance share from HF17.
pub const FOUNDATION_REWARD_HF17: u64 = 1_833_333_333;
/// HF19 batching accrues rewards in thousandths of an atomic unit.
pub const BATCH_REWARD_FACTOR: u64 = 1000;

/// Batched rewards are paid every this many blocks (per address, at its offset).
#[must_use]
pub const fn batching_interval(network: Network) -> u64 {
    match network {
        Network::Mainnet => 2520,
        _ => 20,
    }
}

/// Smallest accrued amount (atomic units) a batch pays out: 1 coin.
pub const MIN_BATCH_PAYMENT_AMOUNT: u64 = COIN;

/// The unpenalized base block reward (atomic units) at `height` under `hf`, or `None` before
/// HF8 (whose emission depends on the coins already generated).
///
/// HF8–HF14: `28 + 100 / 2^(height/64800)` coins (halving every 90 days), computed in doubles
/// with oxend's [`exp2()`] and truncated; HF15–HF16: 25 coins; HF17 on: 18.333333333.
///
/// ```
/// use session_staking::{rewards::base_block_reward, HardFork};
/// assert_eq!(base_block_reward(HardFork::Hf15, 500_000), Some(25_000_000_000));
/// ```
#[must_use]
pub fn base_block_reward(hf: HardFork, height: u64) -> Option<u64> {
    Some(if hf >= HardFork::Hf17 {
        BLOCK_REWARD_HF17
    } else if hf >= HardFork::Hf15 {
        BLOCK_REWARD_HF15
    } else if hf >= HardFork::Hf8 {
        // The addition happens in doubles too, before the truncating conversion.
        let reward = 28_000_000_000.0 + 100_000_000_000.0 / exp2(height as f64 / (720.0 * 90.0));
        reward as u64
    } else {
        return None;
    })
}

/// The service nodes' share of a block (`service_node_reward_formula`): half the base reward
/// for HF9–HF14 (from HF13 the unpenalized one; before HF13 the reward after any block-size
/// penalty), 16.5 coins from HF15, nothing before HF9.
#[must_use]
pub fn service_node_reward(hf: HardFork, base_reward: u64) -> u64 {
    if hf >= HardFork::Hf15 {
        SN_REWARD_HF15
    } else if hf >= HardFork::Hf9 {
        base_reward / 2
    } else {
        0
    }
}

/// The governance share of a block (`governance_reward_formula`).
#[must_use]
pub fn governance_reward(hf: HardFork, base_reward: u64) -> u64 {
    if hf >= HardFork::Hf21 {
        0
    } else if hf >= HardFork::Hf17 {
        FOUNDATION_REWARD_HF17
    } else if hf >= HardFork::Hf16 {
        FOUNDATION_REWARD_HF15 + CHAINFLIP_LIQUIDITY_HF16
    } else if hf >= HardFork::Hf15 {
        FOUNDATION_REWARD_HF15
    } else {
        base_reward / 20
    }
}

/// The node a block pays (HF9–HF18 winner, HF16+ block leader): among active nodes, the
/// smallest `(last_reward_block_height, last_reward_transaction_index, key)`.
pub fn block_winner<'a>(
    nodes: impl IntoIterator<Item = (&'a ServiceNodePubkey, &'a ServiceNodeInfo)>,
) -> Option<ServiceNodePubkey> {
    nodes
        .into_iter()
        .filter(|(_, info)| info.is_active())
        .min_by_key(|(key, info)| (info.waiting_since(), **key))
        .map(|(key, _)| *key)
}

/// One payee of a node's reward and its share in portions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payout {
    /// The contributor's address.
    pub address: ContributorAddress,
    /// Share of the node's reward, in portions of [`STAKING_PORTIONS`].
    pub portions: u64,
}

/// How a node's reward is shared (`service_node_payout_portions`): each contributor, in
/// order, gets `⌊amount·(S − fee) / requirement⌋` portions, and the contributor at the
/// operator's address also gets the fee. The divisor is the staking requirement, so a fully
/// funded node's shares add up to just under `S`.
#[must_use]
pub fn payout_split(info: &ServiceNodeInfo) -> Vec<Payout> {
    let after_fee = STAKING_PORTIONS.wrapping_sub(info.portions_for_operator);
    info.contributors
        .iter()
        .map(|c| {
            let mut portions =
                mul_div_floor(c.amount, after_fee, info.staking_requirement).unwrap_or(0);
            if c.address == info.operator_address {
                portions = portions.wrapping_add(info.portions_for_operator);
            }
            Payout {
                address: c.address,
                portions,
            }
        })
        .collect()
}

/// Pays `total` by portions, each rounded down (`distribute_reward_by_portions`). With
/// `distribute_remainder` (oxend does so from HF16) the rounding leftover goes to the first
/// payee; otherwise it is not paid to the node (before HF16 the miner keeps it).
#[must_use]
pub fn distribute_reward(payouts: &[Payout], total: u64, distribute_remainder: bool) -> Vec<u64> {
    let mut amounts: Vec<u64> = payouts
        .iter()
        .map(|p| portion_of_reward(p.portions, total))
        .collect();
    if distribute_remainder {
        let paid = amounts.iter().fold(0u64, |a, &b| a.wrapping_add(b));
        if let Some(first) = amounts.first_mut() {
            *first = first.wrapping_add(total.wrapping_sub(paid));
        }
    }
    amounts
}

/// The service-node outputs of a block's miner transaction under `hf`: the winner's
/// [`payout_split`] applied to `total`, with the remainder rule of the era.
#[must_use]
pub fn block_payouts(
    hf: HardFork,
    info: &ServiceNodeInfo,
    total: u64,
) -> Vec<(ContributorAddress, u64)> {
    let split = payout_split(info);
    let amounts = distribute_reward(&split, total, hf >= HardFork::Hf16);
    split.iter().map(|p| p.address).zip(amounts).collect()
}

/// HF19+ batching: what one node's share `amount` of a block (milli-atomic units) accrues
/// to each address (`add_rewards`). The operator first receives
/// `⌊fee_portions·amount / S⌋`; then every contributor receives
/// `⌊contribution·(amount − fee) / Σ contributions⌋` (the divisor is what was contributed,
/// not the requirement). An address may appear twice (the operator's fee and stake).
#[must_use]
pub fn batched_node_rewards(info: &ServiceNodeInfo, amount: u64) -> Vec<(ContributorAddress, u64)> {
    let mut out = Vec::with_capacity(info.contributors.len() + 1);
    let fee = mul_div_floor(info.portions_for_operator, amount, STAKING_PORTIONS).unwrap_or(0);
    if fee > 0 {
        out.push((info.operator_address, fee));
    }
    let total = info
        .contributors
        .iter()
        .fold(0u64, |a, c| a.wrapping_add(c.amount));
    let rest = amount.saturating_sub(fee);
    for c in &info.contributors {
        let share = mul_div_floor(c.amount, rest, total).unwrap_or(0);
        if share > 0 {
            out.push((c.address, share));
        }
    }
    out
}

/// HF19+ batching for a whole block (`reward_handler`, pre-HF21): every payable node
/// accrues `⌊sn_reward_milli / N⌋` split by [`batched_node_rewards`], where `sn_reward_milli`
/// is 16.5 coins in milli-atomic units. The block producer's transaction fees
/// (`block_reward − 16.5 coins`) are split the same way over its own contributors.
///
/// Returns the accruals in milli-atomic units, governance excluded. `payable` are the nodes
/// for which [`ServiceNodeInfo::is_payable`] holds at this height, in key order.
#[must_use]
pub fn batched_block_rewards(
    block_reward: u64,
    producer: Option<&ServiceNodeInfo>,
    payable: &[&ServiceNodeInfo],
) -> Vec<(ContributorAddress, u64)> {
    let mut out = Vec::new();
    let milli = block_reward.saturating_mul(BATCH_REWARD_FACTOR);
    let base = SN_REWARD_HF15 * BATCH_REWARD_FACTOR;
    let fees = milli.saturating_sub(base);
    if let (true, Some(producer)) = (fees > 0, producer) {
        out.extend(batched_node_rewards(producer, fees));
    }
    if let Ok(n) = u64::try_from(payable.len())
        && n > 0
    {
        let each = base / n;
        for info in payable {
            out.extend(batched_node_rewards(info, each));
        }
    }
    out
}

/// The block offset at which an address's accrued rewards are paid: its view key's first 8
/// bytes (little-endian) modulo the batching interval.
#[must_use]
pub fn batch_payout_offset(address: &ContributorAddress, interval: u64) -> u64 {
    let first = address.view.0.first_chunk::<8>().copied().unwrap_or([0; 8]);
    if interval == 0 {
        return 0;
    }
    u64::from_le_bytes(first) % interval
}

/// The first height `>= current_height` at which `address` is paid.
#[must_use]
pub fn next_batch_payout_height(
    address: &ContributorAddress,
    current_height: u64,
    interval: u64,
) -> u64 {
    if interval == 0 {
        return current_height;
    }
    let mut offset = batch_payout_offset(address, interval);
    let current = current_height % interval;
    if offset < current {
        offset += interval;
    }
    current_height + offset - current
}

/// The amount a batch pays for an accrued milli-atomic balance: whole atomic units, and
/// nothing below [`MIN_BATCH_PAYMENT_AMOUNT`].
#[must_use]
pub const fn batch_payment(accrued_milli: u64) -> u64 {
    if accrued_milli < MIN_BATCH_PAYMENT_AMOUNT * BATCH_REWARD_FACTOR {
        0
    } else {
        accrued_milli / BATCH_REWARD_FACTOR
    }
}
