//! Decommission credit and the obligations quorum's vote policy (`quorum_cop`): not
//! consensus, but it decides which state changes honest quorums vote for.

use session_core::Network;

use crate::hardfork::HardFork;
use crate::requirement::blocks_in;
use crate::state::ServiceNodeInfo;
use crate::tx_extra::NewState;

const HOUR: u64 = 3600;

/// Credit earned per day up: 24 hours per 30 days (48 minutes a day).
const CREDIT_PER_DAY_SECONDS: u64 = 24 * HOUR / 30;
/// Credit a new node starts with (2 hours).
pub const INITIAL_CREDIT_SECONDS: u64 = 2 * HOUR;
/// Most credit a node can hold (48 hours).
pub const MAX_CREDIT_SECONDS: u64 = 48 * HOUR;
/// Least credit that lets a failing node be decommissioned instead of deregistered (2 hours).
pub const MINIMUM_DECOMMISSION_SECONDS: u64 = 2 * HOUR;

fn blocks(network: Network, seconds: u64) -> i64 {
    i64::try_from(blocks_in(network, seconds)).unwrap_or(i64::MAX)
}

/// Credit (in blocks) a node holds at `current_height`, as current oxend computes it
/// (`calculate_decommission_credit`): the credit carried from the last recommission, plus
/// `blocks_up · 24/720` for the time up since then (48 minutes of credit per day up), capped
/// at 48 hours; a decommissioned node has the blocks spent decommissioned subtracted, and is
/// out of credit once the result is negative.
#[must_use]
pub fn decommission_credit(network: Network, info: &ServiceNodeInfo, current_height: u64) -> i64 {
    let current = i64::try_from(current_height).unwrap_or(i64::MAX);
    let last_decommission = i64::try_from(info.last_decommission_height).unwrap_or(i64::MAX);
    let blocks_up = if !info.is_fully_funded() {
        0
    } else if info.is_decommissioned() {
        // While decommissioned, -active_since_height is when the last up period began.
        last_decommission.saturating_add(info.active_since_height)
    } else {
        current.saturating_sub(info.active_since_height)
    };
    let mut credit = info.recommission_credit;
    if blocks_up > 0 {
        let per_day = blocks(network, CREDIT_PER_DAY_SECONDS);
        let day = blocks(network, 24 * HOUR).max(1);
        credit = credit.saturating_add(blocks_up.saturating_mul(per_day) / day);
    }
    credit = credit.min(blocks(network, MAX_CREDIT_SECONDS));
    if info.is_decommissioned() {
        credit = credit.saturating_sub(current.saturating_sub(last_decommission));
    }
    credit
}

/// The credit as oxend v6 (Loki 6/7, HF12–HF15) computed it: no carried-over credit, the
/// 2-hour starting credit only until the first decommission, and a quirk reproduced as
/// written: a node that is not fully funded counts every block since genesis as "up" (the
/// funded check is overwritten by the next branch).
#[must_use]
pub fn decommission_credit_v6(info: &ServiceNodeInfo, current_height: u64) -> i64 {
    // v6 only knew 2-minute blocks.
    let per_hour = 30i64;
    let current = i64::try_from(current_height).unwrap_or(i64::MAX);
    let last_decommission = i64::try_from(info.last_decommission_height).unwrap_or(i64::MAX);
    let blocks_up = if info.is_decommissioned() {
        last_decommission.saturating_add(info.active_since_height)
    } else {
        current.saturating_sub(info.active_since_height)
    };
    let mut credit = 0i64;
    if blocks_up >= 0 {
        credit = blocks_up.saturating_mul(24 * per_hour / 30) / (24 * per_hour);
        if i64::from(info.decommission_count) <= i64::from(info.is_decommissioned()) {
            credit += 2 * per_hour;
        }
        credit = credit.min(48 * per_hour);
    }
    if info.is_decommissioned() {
        credit = credit.saturating_sub(current.saturating_sub(last_decommission));
    }
    credit
}

/// Credit kept on recommission (`RECOMMISSION_CREDIT`): what the node had when decommissioned
/// minus twice the blocks it spent decommissioned, never negative.
#[must_use]
pub const fn recommission_credit(credit_at_decommission: i64, decommissioned_blocks: i64) -> i64 {
    let left = credit_at_decommission.saturating_sub(decommissioned_blocks.saturating_mul(2));
    if left > 0 { left } else { 0 }
}

/// What an obligations quorum found when testing a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CheckResults {
    /// All the era's checks passed: a recent uptime proof (no older than 2 h 5 min), and from
    /// HF13 a reachable storage server and at most 4 of the last 8 checkpoint votes missed,
    /// plus the later eras' lokinet, timestamp and timesync checks.
    pub passed: bool,
    /// The node was seen with one IP only in the last 24 hours (or was penalised within the
    /// last 2 hours).
    pub single_ip: bool,
}

/// How a validator votes on a tested node (`quorum_cop`): `None` means no vote.
///
/// - passing: a decommissioned node is recommissioned; an active one seen with several IPs
///   gets an IP-change penalty;
/// - failing and decommissioned: abstain while credit is left, else deregister;
/// - failing and active: decommission if it has at least 2 hours of credit, else deregister.
///
/// Uses [`decommission_credit`] from HF16 and [`decommission_credit_v6`] before.
#[must_use]
pub fn obligations_vote(
    network: Network,
    hf: HardFork,
    info: &ServiceNodeInfo,
    current_height: u64,
    results: CheckResults,
) -> Option<NewState> {
    if results.passed {
        return if info.is_decommissioned() {
            Some(NewState::Recommission)
        } else if !results.single_ip {
            Some(NewState::IpChangePenalty)
        } else {
            None
        };
    }
    let credit = if hf >= HardFork::Hf16 {
        decommission_credit(network, info, current_height)
    } else {
        decommission_credit_v6(info, current_height)
    };
    if info.is_decommissioned() {
        (credit < 0).then_some(NewState::Deregister)
    } else if credit >= blocks(network, MINIMUM_DECOMMISSION_SECONDS) {
        Some(NewState::Decommission)
    } else {
        Some(NewState::Deregister)
    }
}
