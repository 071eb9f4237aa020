//! Property tests of the consensus rules: requirement monotonicity per era, portion and
//! amount conversions, acceptance invariants, and payouts that never overpay.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use session_core::Network;
use session_staking::crypto::{KeyImage, PublicKey};
use session_staking::stake::LockedContribution;
use session_staking::*;
use session_staking::{contribution::*, exp2::*, portions::*, rewards::*, state::*};

/// Mainnet eras in which the requirement follows one formula.
const ERAS: [(u64, u64); 4] = [
    (0, 234_767),        // HF9-10 curve (heights below HF9 clamp to its start)
    (234_767, 385_824),  // HF11-12 curve
    (385_824, 641_111),  // HF13-15 table
    (641_111, u64::MAX), // fixed
];

fn address(i: usize) -> ContributorAddress {
    let b = u8::try_from(i).unwrap();
    ContributorAddress {
        spend: PublicKey([b; 32]),
        view: PublicKey([b; 32]),
    }
}

/// A fully funded node with the given contributions (the first one is the operator's).
fn node(requirement: u64, amounts: &[u64], fee_portions: u64) -> ServiceNodeInfo {
    ServiceNodeInfo {
        staking_requirement: requirement,
        operator_address: address(0),
        portions_for_operator: fee_portions,
        registration_height: 1,
        registration_hf: HardFork::Hf19,
        last_reward_block_height: 1,
        last_reward_transaction_index: 0,
        active_since_height: 1,
        last_decommission_height: 0,
        decommission_count: 0,
        recommission_credit: 0,
        last_ip_change_height: 1,
        requested_unlock_height: None,
        in_swarm: true,
        contributors: amounts
            .iter()
            .enumerate()
            .map(|(i, &amount)| Contributor {
                address: address(i),
                amount,
                reserved: amount,
                locked_contributions: vec![],
                ethereum: None,
            })
            .collect(),
        total_contributed: amounts.iter().sum(),
        total_reserved: amounts.iter().sum(),
        bls_public_key: None,
    }
}

/// Splits `requirement` into `n` positive parts from `cuts`.
fn split(requirement: u64, cuts: &[u64]) -> Vec<u64> {
    let mut points: Vec<u64> = cuts.iter().map(|c| c % requirement).collect();
    points.push(0);
    points.push(requirement);
    points.sort_unstable();
    points.windows(2).map(|w| w[1] - w[0]).collect()
}

proptest! {
    #[test]
    fn requirement_monotone_within_each_era(era in 0usize..4, a in any::<u64>(), b in any::<u64>()) {
        let (lo, hi) = ERAS[era];
        let span = hi - lo;
        let (x, y) = (lo + a % span, lo + b % span);
        let (h1, h2) = (x.min(y), x.max(y));
        let (r1, r2) = (
            staking_requirement(Network::Mainnet, h1),
            staking_requirement(Network::Mainnet, h2),
        );
        prop_assert!(r2 <= r1, "req({h2}) = {r2} > req({h1}) = {r1}");
        prop_assert!(r2 >= 15_000 * COIN && r1 <= 45_000 * COIN);
    }

    #[test]
    fn accepted_portions_never_exceed_the_whole(
        hf in prop::sample::select(vec![HardFork::Hf9, HardFork::Hf10, HardFork::Hf11, HardFork::Hf16, HardFork::Hf19]),
        portions in prop::collection::vec(
            prop_oneof![any::<u64>(), 0..=STAKING_PORTIONS / 2, Just(STAKING_PORTIONS / 4)],
            0..6,
        ),
    ) {
        if check_portions(hf, &portions).is_ok() {
            let sum: u128 = portions.iter().map(|&p| u128::from(p)).sum();
            prop_assert!(sum <= u128::from(STAKING_PORTIONS));
            prop_assert!(portions.len() <= MAX_CONTRIBUTORS_V1);
        }
    }

    #[test]
    fn accepted_stakes_never_exceed_the_requirement(
        requirement in 1u64..100_000 * COIN,
        stakes in prop::collection::vec(any::<u64>(), 0..12),
        scale in 1u64..20,
    ) {
        let stakes: Vec<u64> = stakes.iter().map(|s| s % (requirement / scale + 1)).collect();
        if check_stakes(HardFork::Hf19, requirement, &stakes).is_ok() {
            let sum: u128 = stakes.iter().map(|&s| u128::from(s)).sum();
            prop_assert!(sum <= u128::from(requirement));
            prop_assert!(stakes.first().is_none_or(|&op| op >= requirement / 4));
        }
    }

    #[test]
    fn amount_to_portions_is_the_least_sufficient(requirement in 1u64.., amount in any::<u64>()) {
        let amount = amount % (requirement + 1);
        let portions = amount_to_portions(amount, requirement).unwrap();
        prop_assert!(portions <= STAKING_PORTIONS);
        prop_assert!(portions_to_amount(portions, requirement) >= amount);
        if portions > 0 {
            prop_assert!(portions_to_amount(portions - 1, requirement) < amount);
        }
    }

    #[test]
    fn fee_conversions_round_trip(bp in 0u64..=10_000) {
        let portions = fee_basis_points_to_portions(bp).unwrap();
        prop_assert_eq!(fee_portions_to_basis_points(portions), Some(bp));
    }

    #[test]
    fn payouts_never_overpay_and_lose_at_most_one_unit_each(
        requirement in 4u64..100_000 * COIN,
        cuts in prop::collection::vec(any::<u64>(), 0..9),
        fee in 0u64..=STAKING_PORTIONS,
        total in 0u64..100 * COIN,
    ) {
        let amounts = split(requirement, &cuts);
        let info = node(requirement, &amounts, fee);
        let payouts = payout_split(&info);
        let paid: Vec<u64> = distribute_reward(&payouts, total, false);
        let sum: u64 = paid.iter().sum();
        prop_assert!(sum <= total);
        prop_assert!(total - sum <= paid.len() as u64, "lost {} over {}", total - sum, paid.len());
        // From HF16 the leftover goes to the first payee: exact.
        let hf16: u64 = distribute_reward(&payouts, total, true).iter().sum();
        prop_assert_eq!(hf16, total);
        // Batched accrual divides by what was contributed: never more than the amount.
        let batched: u64 = batched_node_rewards(&info, total).iter().map(|p| p.1).sum();
        prop_assert!(batched <= total && total - batched <= paid.len() as u64 + 1);
    }

    #[test]
    fn exp2_is_increasing_and_close_to_the_ideal(a in 0.0f64..1000.0, d in 0.0f64..1.0) {
        prop_assert!(exp2(a + d) >= exp2(a));
        let ideal = a.exp2();
        prop_assert!((exp2(a) - ideal).abs() <= ideal * 4.0 * f64::EPSILON);
    }

    #[test]
    fn contributions_never_overfill_a_node(
        hf in prop::sample::select(vec![HardFork::Hf11, HardFork::Hf14, HardFork::Hf16, HardFork::Hf19]),
        operator_share in 1u64..=4,
        events in prop::collection::vec((0usize..12, any::<u64>()), 0..40),
    ) {
        let network = Network::Mainnet;
        let height = match hf {
            HardFork::Hf11 => 300_000,
            HardFork::Hf14 => 450_000,
            HardFork::Hf16 => 700_000,
            _ => 1_100_000,
        };
        let req = staking_requirement(network, height);
        let block = Block { height, hard_fork: hf, timestamp: 1_500_000_000 };
        let node = PublicKey([1; 32]);
        let stake = |who: usize, amount: u64, image: u64| Stake {
            address: address(who),
            transferred: amount,
            locked_contributions: vec![LockedContribution {
                output_index: 0,
                one_time_key: PublicKey([0; 32]),
                key_image: Some(KeyImage({
                    let mut k = [0u8; 32];
                    k[..8].copy_from_slice(&image.to_le_bytes());
                    k
                })),
                amount,
            }],
        };
        let (terms, operator_amount) = if hf >= HardFork::Hf19 {
            let a = req / 4 * operator_share;
            (RegistrationTerms {
                reserved: vec![Reservation { address: address(0), amount: a }],
                fee: 0,
                hf_or_expiration: 19,
            }, a)
        } else {
            let p = STAKING_PORTIONS / 4 * operator_share;
            (RegistrationTerms {
                reserved: vec![Reservation { address: address(0), amount: p }],
                fee: 0,
                hf_or_expiration: 2_000_000_000,
            }, portions_to_amount(p, req))
        };
        let mut list = ServiceNodeState::new(network);
        let op = stake(0, operator_amount, u64::MAX);
        list.apply(&block, Event::Registration { node, terms, stake: op.clone(), tx_index: 0 }).unwrap();
        let _ = list.apply(&block, Event::Contribution { node, stake: op, tx_index: 0 });
        for (i, (who, amount)) in events.into_iter().enumerate() {
            let amount = amount % (req / 2 + 1);
            let _ = list.apply(&block, Event::Contribution { node, stake: stake(who, amount, i as u64), tx_index: 1 });
            let info = list.get(&node).unwrap();
            let amounts: u64 = info.contributors.iter().map(|c| c.amount).sum();
            let reserved: u64 = info.contributors.iter().map(|c| c.reserved).sum();
            prop_assert_eq!(amounts, info.total_contributed);
            prop_assert_eq!(reserved, info.total_reserved);
            prop_assert!(info.total_contributed <= info.total_reserved);
            prop_assert!(info.total_reserved <= req);
            prop_assert!(info.contributors.iter().all(|c| c.amount <= c.reserved));
            prop_assert!(info.contributors.len() <= max_contributors(hf));
            prop_assert!(info.total_locked_contributions() <= max_contributors(hf));
            prop_assert_eq!(info.is_active(), info.total_contributed == req);
        }
    }
}
