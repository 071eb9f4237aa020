//! The service-node list driven through whole lifecycles: registration, contributions,
//! state changes, unlocks, expiry, the reward queue and payouts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use session_core::Network;
use session_staking::crypto::{KeyImage, PublicKey};
use session_staking::quorum::credit::{
    CheckResults, decommission_credit, decommission_credit_v6, obligations_vote,
    recommission_credit,
};
use session_staking::stake::LockedContribution;
use session_staking::*;
use session_staking::{hardfork::*, portions::*, requirement::*, rewards::*, state::*};

const REQ: u64 = 15_000 * COIN;

fn addr(b: u8) -> ContributorAddress {
    ContributorAddress {
        spend: PublicKey([b; 32]),
        view: PublicKey([b.wrapping_add(100); 32]),
    }
}

fn stake(who: u8, amount: u64, image: u8) -> Stake {
    Stake {
        address: addr(who),
        transferred: amount,
        locked_contributions: vec![LockedContribution {
            output_index: 0,
            one_time_key: PublicKey([image; 32]),
            key_image: Some(KeyImage([image.wrapping_add(1); 32])),
            amount,
        }],
    }
}

fn hf19(height: u64) -> Block {
    Block {
        height,
        hard_fork: HardFork::Hf19,
        timestamp: 1_660_000_000,
    }
}

fn terms19(reserved: &[(u8, u64)], fee_bp: u64) -> RegistrationTerms {
    RegistrationTerms {
        reserved: reserved
            .iter()
            .map(|&(b, amount)| Reservation {
                address: addr(b),
                amount,
            })
            .collect(),
        fee: fee_bp,
        hf_or_expiration: 19,
    }
}

/// Registers `node` with operator 1 (a quarter) and contributor 2 (the rest), fully funded.
fn funded_pair(list: &mut ServiceNodeState, node: u8, height: u64) {
    let block = hf19(height);
    let key = PublicKey([node; 32]);
    let terms = terms19(&[(1, REQ / 4), (2, REQ - REQ / 4)], 1_000);
    let operator = stake(1, REQ / 4, node);
    list.apply(
        &block,
        Event::Registration {
            node: key,
            terms,
            stake: operator.clone(),
            tx_index: 0,
        },
    )
    .unwrap();
    list.apply(
        &block,
        Event::Contribution {
            node: key,
            stake: operator,
            tx_index: 0,
        },
    )
    .unwrap();
    let effect = list
        .apply(
            &block,
            Event::Contribution {
                node: key,
                stake: stake(2, REQ - REQ / 4, node.wrapping_add(50)),
                tx_index: 1,
            },
        )
        .unwrap();
    assert_eq!(
        effect,
        Effect::Contributed {
            counted: REQ - REQ / 4,
            fully_funded: true
        }
    );
}

#[test]
fn registration_then_contributions_until_active() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    let block = hf19(1_100_000);
    let node = PublicKey([7; 32]);
    let terms = terms19(&[(1, REQ / 4), (2, REQ / 2)], 500);
    let op = stake(1, REQ / 4, 1);
    assert_eq!(
        list.apply(
            &block,
            Event::Registration {
                node,
                terms: terms.clone(),
                stake: op.clone(),
                tx_index: 3
            }
        ),
        Ok(Effect::Registered)
    );
    let info = list.get(&node).unwrap();
    assert_eq!(info.total_reserved, REQ / 4 + REQ / 2);
    assert_eq!(info.total_contributed, 0);
    assert_eq!(info.portions_for_operator, STAKING_PORTIONS / 20);
    assert_eq!(info.waiting_since(), (1_100_000, 3));
    // A second registration of the same key is ignored from HF11.
    assert_eq!(
        list.apply(
            &block,
            Event::Registration {
                node,
                terms,
                stake: op.clone(),
                tx_index: 4
            }
        ),
        Err(ConsensusError::AlreadyRegistered)
    );
    assert_eq!(
        list.apply(
            &block,
            Event::Contribution {
                node,
                stake: op,
                tx_index: 3
            }
        ),
        Ok(Effect::Contributed {
            counted: REQ / 4,
            fully_funded: false
        })
    );
    // Contributor 2 must fill its reservation in one go.
    assert_eq!(
        list.apply(
            &block,
            Event::Contribution {
                node,
                stake: stake(2, REQ / 4, 2),
                tx_index: 5
            }
        ),
        Err(ConsensusError::ContributionBelowMinimum {
            amount: REQ / 4,
            minimum: REQ / 2
        })
    );
    // A newcomer: the open quarter spread over the 8 free slots (10 - 1 locked - 1 reserved).
    let open = REQ - REQ / 4 - REQ / 2;
    assert_eq!(
        list.apply(
            &block,
            Event::Contribution {
                node,
                stake: stake(3, open / 8 - 1, 3),
                tx_index: 6
            }
        ),
        Err(ConsensusError::ContributionBelowMinimum {
            amount: open / 8 - 1,
            minimum: open / 8
        })
    );
    // And at most 101 % of what is open.
    let max = open * 101 / 100;
    assert_eq!(
        list.apply(
            &block,
            Event::Contribution {
                node,
                stake: stake(3, max + 1, 3),
                tx_index: 6
            }
        ),
        Err(ConsensusError::ContributionAboveMaximum {
            amount: max + 1,
            maximum: max
        })
    );
    assert_eq!(
        list.apply(
            &block,
            Event::Contribution {
                node,
                stake: stake(2, REQ / 2, 2),
                tx_index: 7
            }
        ),
        Ok(Effect::Contributed {
            counted: REQ / 2,
            fully_funded: false
        })
    );
    // Over-staking within the 1 % margin is accepted but only the open amount counts.
    let later = hf19(1_100_010);
    assert_eq!(
        list.apply(
            &later,
            Event::Contribution {
                node,
                stake: stake(3, max, 3),
                tx_index: 0
            }
        ),
        Ok(Effect::Contributed {
            counted: open,
            fully_funded: true
        })
    );
    let info = list.get(&node).unwrap().clone();
    assert!(info.is_active());
    assert_eq!(info.active_since_height, 1_100_010);
    assert_eq!(info.total_contributed, REQ);
    assert_eq!(info.total_reserved, REQ);
    assert_eq!(info.total_locked_contributions(), 3);
    assert!(list.is_key_image_locked(&KeyImage([2; 32])));
    assert_eq!(
        list.apply(
            &later,
            Event::Contribution {
                node,
                stake: stake(4, COIN, 4),
                tx_index: 1
            }
        ),
        Err(ConsensusError::AlreadyFullyFunded)
    );
    assert_eq!(
        list.apply(
            &later,
            Event::Contribution {
                node: PublicKey([0; 32]),
                stake: stake(4, COIN, 4),
                tx_index: 1
            }
        ),
        Err(ConsensusError::UnknownServiceNode)
    );
    assert!(!info.is_payable(1_100_010 + 719, Network::Mainnet));
    assert!(info.is_payable(1_100_010 + 720, Network::Mainnet));
}

#[test]
fn registration_acceptance_names_the_rule() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    let block = hf19(1_100_000);
    let node = PublicKey([7; 32]);
    let terms = terms19(&[(1, REQ / 4)], 0);
    let mut two_outputs = stake(1, REQ / 4, 1);
    two_outputs
        .locked_contributions
        .push(two_outputs.locked_contributions[0]);
    assert_eq!(
        list.apply(
            &block,
            Event::Registration {
                node,
                terms: terms.clone(),
                stake: two_outputs,
                tx_index: 0
            }
        ),
        Err(ConsensusError::MultipleStakeOutputs { count: 2 })
    );
    assert_eq!(
        list.apply(
            &block,
            Event::Registration {
                node,
                terms: terms.clone(),
                stake: stake(2, REQ / 4, 1),
                tx_index: 0
            }
        ),
        Err(ConsensusError::RegistrationStakeNotFromOperator)
    );
    assert_eq!(
        list.apply(
            &block,
            Event::Registration {
                node,
                terms: terms.clone(),
                stake: stake(1, REQ / 4 - 1, 1),
                tx_index: 0
            }
        ),
        Err(ConsensusError::OperatorStakeBelowReserved {
            amount: REQ / 4 - 1,
            reserved: REQ / 4
        })
    );
    let bad_terms = terms19(&[(1, REQ / 4), (2, 1)], 0);
    assert!(matches!(
        list.apply(
            &block,
            Event::Registration {
                node,
                terms: bad_terms,
                stake: stake(1, REQ / 4, 1),
                tx_index: 0
            }
        ),
        Err(ConsensusError::StakeBelowMinimum {
            index: 1,
            amount: 1,
            ..
        })
    ));
    let hf20 = Block {
        hard_fork: HardFork::Hf20,
        ..block
    };
    assert_eq!(
        list.apply(
            &hf20,
            Event::Registration {
                node,
                terms,
                stake: stake(1, REQ / 4, 1),
                tx_index: 0
            }
        ),
        Err(ConsensusError::RegistrationsClosed { hard_fork: 20 })
    );
    assert!(list.get(&node).is_none());
}

#[test]
fn pre_hf16_portions_registration() {
    // HF14, the whitepaper era: portions, expiry timestamps, 4 contributors.
    let mut list = ServiceNodeState::new(Network::Mainnet);
    let height = WHITEPAPER_HEIGHT;
    let req = staking_requirement(Network::Mainnet, height);
    let block = Block {
        height,
        hard_fork: HardFork::Hf14,
        timestamp: 1_581_292_800,
    };
    let node = PublicKey([5; 32]);
    let terms = RegistrationTerms {
        reserved: vec![Reservation {
            address: addr(1),
            amount: STAKING_PORTIONS,
        }],
        fee: STAKING_PORTIONS,
        hf_or_expiration: 1_581_292_800 + 14 * 86_400,
    };
    let low = stake(1, req / 4 - 1, 1);
    assert_eq!(
        list.apply(
            &block,
            Event::Registration {
                node,
                terms: terms.clone(),
                stake: low,
                tx_index: 0
            }
        ),
        Err(ConsensusError::OperatorStakeBelowMinimum {
            amount: req / 4 - 1,
            minimum: req / 4
        })
    );
    let full = stake(1, req, 1);
    list.apply(
        &block,
        Event::Registration {
            node,
            terms,
            stake: full.clone(),
            tx_index: 0,
        },
    )
    .unwrap();
    assert_eq!(list.get(&node).unwrap().staking_requirement, req);
    assert_eq!(
        list.apply(
            &block,
            Event::Contribution {
                node,
                stake: full,
                tx_index: 0
            }
        ),
        Ok(Effect::Contributed {
            counted: req,
            fully_funded: true
        })
    );
    // The whole reward goes to the operator; HF14 leaves the rounding to the miner.
    let info = list.get(&node).unwrap();
    let payouts = block_payouts(HardFork::Hf14, info, 1_000_000_000);
    assert_eq!(payouts, vec![(addr(1), 1_000_000_000)]);
}

#[test]
fn state_changes_and_blacklist() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    funded_pair(&mut list, 1, 1_100_000);
    let node = PublicKey([1; 32]);
    let at = |h| hf19(h);
    let change = |state, q| Event::StateChange {
        node,
        state,
        quorum_height: q,
    };
    // Votes must postdate the node becoming active.
    assert_eq!(
        list.apply(&at(1_100_005), change(NewState::Decommission, 1_100_000)),
        Err(ConsensusError::NotVotable {
            vote_height: 1_100_000,
            reason: "the vote is not after the registration"
        })
    );
    assert_eq!(
        list.apply(&at(1_100_005), change(NewState::Recommission, 1_100_001)),
        Err(ConsensusError::NotDecommissioned)
    );
    assert_eq!(
        list.apply(&at(1_102_000), change(NewState::Decommission, 1_101_999)),
        Ok(Effect::Decommissioned)
    );
    let info = list.get(&node).unwrap();
    assert!(info.is_decommissioned() && !info.is_active());
    assert_eq!(info.active_since_height, -1_100_000);
    assert_eq!(info.decommission_count, 1);
    assert_eq!(list.decommissioned_nodes(), vec![node]);
    assert!(list.active_nodes().is_empty());
    assert_eq!(
        list.apply(&at(1_102_002), change(NewState::Decommission, 1_102_001)),
        Err(ConsensusError::AlreadyDecommissioned)
    );
    assert_eq!(
        list.apply(&at(1_102_002), change(NewState::IpChangePenalty, 1_102_001)),
        Err(ConsensusError::PenaltyWhileDecommissioned)
    );
    // Credit at decommission: 60 initial + 2000 blocks up · 24/720 = 126; 10 blocks down cost 20.
    let effect = list
        .apply(&at(1_102_010), change(NewState::Recommission, 1_102_009))
        .unwrap();
    assert_eq!(effect, Effect::Recommissioned { credit: 106 });
    let info = list.get(&node).unwrap();
    assert_eq!(info.active_since_height, 1_102_010);
    assert_eq!(info.waiting_since(), (1_102_010, u32::MAX));
    assert_eq!(
        list.apply(&at(1_102_020), change(NewState::IpChangePenalty, 1_102_019)),
        Ok(Effect::IpChangePenalized)
    );
    assert_eq!(list.get(&node).unwrap().last_ip_change_height, 1_102_020);
    let effect = list
        .apply(&at(1_102_030), change(NewState::Deregister, 1_102_029))
        .unwrap();
    assert_eq!(
        effect,
        Effect::Deregistered {
            blacklisted_until: 1_102_030 + 21_600
        }
    );
    assert!(list.get(&node).is_none());
    // Both contributors' key images stay frozen for 30 days.
    assert_eq!(list.key_image_blacklist().len(), 2);
    assert!(list.is_key_image_locked(&KeyImage([2; 32])));
    list.begin_block(&at(1_102_030 + 21_599));
    assert!(list.is_key_image_locked(&KeyImage([2; 32])));
    list.begin_block(&at(1_102_030 + 21_600));
    assert!(!list.is_key_image_locked(&KeyImage([2; 32])));
    assert!(list.key_image_blacklist().is_empty());
}

#[test]
fn state_changes_before_hf12() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    funded_pair(&mut list, 1, 1_100_000);
    let hf11 = Block {
        height: 1_100_100,
        hard_fork: HardFork::Hf11,
        timestamp: 0,
    };
    let ev = Event::StateChange {
        node: PublicKey([1; 32]),
        state: NewState::Decommission,
        quorum_height: 1_100_099,
    };
    assert_eq!(
        list.apply(&hf11, ev),
        Err(ConsensusError::StateChangeNotYetAllowed {
            state: 1,
            hard_fork: 11
        })
    );
    assert_eq!(NewState::from_u16(3), Some(NewState::IpChangePenalty));
    assert_eq!(NewState::from_u16(4), None);
}

#[test]
fn unlock_and_expiry() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    funded_pair(&mut list, 1, 1_100_000);
    let node = PublicKey([1; 32]);
    assert_eq!(
        list.apply(
            &hf19(1_200_000),
            Event::UnlockRequest {
                node,
                key_image: KeyImage([99; 32])
            }
        ),
        Err(ConsensusError::KeyImageNotLocked)
    );
    assert_eq!(
        list.apply(
            &hf19(1_200_000),
            Event::UnlockRequest {
                node,
                key_image: KeyImage([2; 32])
            }
        ),
        Ok(Effect::UnlockScheduled {
            unlock_height: 1_210_800
        })
    );
    assert_eq!(
        list.apply(
            &hf19(1_200_001),
            Event::UnlockRequest {
                node,
                key_image: KeyImage([52; 32])
            }
        ),
        Err(ConsensusError::UnlockAlreadyRequested {
            unlock_height: 1_210_800
        })
    );
    assert!(list.begin_block(&hf19(1_210_800)).expired.is_empty());
    let start = list.begin_block(&hf19(1_210_801));
    assert_eq!(start.expired, vec![node]);
    assert!(list.get(&node).is_none());
    // Unlike deregistration, an unlock leaves nothing blacklisted.
    assert!(!list.is_key_image_locked(&KeyImage([2; 32])));
}

#[test]
fn hf19_small_contributor_quirk() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    funded_pair(&mut list, 1, 1_100_000);
    // Make contributor 2's locked amount tiny to exercise the literal-3749 rule.
    let mut tiny = list.clone();
    let node = PublicKey([1; 32]);
    let info = tiny.get(&node).unwrap().clone();
    assert_eq!(
        info.contributors[1].locked_contributions[0].amount,
        REQ - REQ / 4
    );
    // Rebuild with a contributor whose locked output is under 3749 atomic units: a
    // registration at testnet-like scale.
    let mut small = ServiceNodeState::new(Network::Localdev);
    let block = hf19(100);
    let req = staking_requirement(Network::Localdev, 100);
    let terms = terms19(&[(1, req)], 0);
    let mut s = stake(1, req, 1);
    s.locked_contributions[0].amount = 3_748;
    small
        .apply(
            &block,
            Event::Registration {
                node,
                terms,
                stake: s.clone(),
                tx_index: 0,
            },
        )
        .unwrap();
    small
        .apply(
            &block,
            Event::Contribution {
                node,
                stake: s,
                tx_index: 0,
            },
        )
        .unwrap();
    let thirty_days = blocks_in(Network::Localdev, 30 * 86_400);
    assert_eq!(
        small.apply(
            &hf19(101),
            Event::UnlockRequest {
                node,
                key_image: KeyImage([2; 32])
            }
        ),
        Err(ConsensusError::SmallContributorUnlockTooEarly {
            allowed_from: 100 + thirty_days
        })
    );
    assert!(
        small
            .apply(
                &hf19(100 + thirty_days),
                Event::UnlockRequest {
                    node,
                    key_image: KeyImage([2; 32])
                }
            )
            .is_ok()
    );
    tiny.begin_block(&hf19(1_100_001));
}

#[test]
fn reward_queue_oldest_waiting_first() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    funded_pair(&mut list, 3, 1_100_000);
    funded_pair(&mut list, 2, 1_100_000);
    funded_pair(&mut list, 1, 1_100_001);
    // 3 and 2 both last moved at (1_100_000, tx 1): the key breaks the tie.
    assert_eq!(list.block_winner(), Some(PublicKey([2; 32])));
    let start = list.begin_block(&hf19(1_100_002));
    assert_eq!(start.winner, Some(PublicKey([2; 32])));
    assert_eq!(
        list.get(&PublicKey([2; 32])).unwrap().waiting_since(),
        (1_100_002, u32::MAX)
    );
    assert_eq!(
        list.begin_block(&hf19(1_100_003)).winner,
        Some(PublicKey([3; 32]))
    );
    assert_eq!(
        list.begin_block(&hf19(1_100_004)).winner,
        Some(PublicKey([1; 32]))
    );
    assert_eq!(
        list.begin_block(&hf19(1_100_005)).winner,
        Some(PublicKey([2; 32]))
    );
    // Decommissioned nodes are not paid.
    list.apply(
        &hf19(1_100_010),
        Event::StateChange {
            node: PublicKey([3; 32]),
            state: NewState::Decommission,
            quorum_height: 1_100_009,
        },
    )
    .unwrap();
    assert_eq!(
        list.begin_block(&hf19(1_100_011)).winner,
        Some(PublicKey([1; 32]))
    );
    assert_eq!(
        list.begin_block(&hf19(1_100_012)).winner,
        Some(PublicKey([2; 32]))
    );
    assert_eq!(
        list.begin_block(&hf19(1_100_013)).winner,
        Some(PublicKey([1; 32]))
    );
    assert_eq!(ServiceNodeState::new(Network::Mainnet).block_winner(), None);
}

#[test]
fn hf10_reregistration_keeps_queue_position() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    let height = 170_000;
    let req = staking_requirement(Network::Mainnet, height);
    let block = Block {
        height,
        hard_fork: HardFork::Hf10,
        timestamp: 1_545_000_000,
    };
    let node = PublicKey([4; 32]);
    let terms = RegistrationTerms {
        reserved: vec![Reservation {
            address: addr(1),
            amount: STAKING_PORTIONS,
        }],
        fee: 0,
        hf_or_expiration: 1_546_000_000,
    };
    let s = Stake {
        address: addr(1),
        transferred: req,
        locked_contributions: vec![],
    };
    list.apply(
        &block,
        Event::Registration {
            node,
            terms: terms.clone(),
            stake: s.clone(),
            tx_index: 2,
        },
    )
    .unwrap();
    list.apply(
        &block,
        Event::Contribution {
            node,
            stake: s.clone(),
            tx_index: 2,
        },
    )
    .unwrap();
    // Pre-HF11 stakes lock nothing by key image.
    assert_eq!(list.get(&node).unwrap().total_locked_contributions(), 0);
    let early = Block {
        height: height + 21_599,
        ..block
    };
    assert_eq!(
        list.apply(
            &early,
            Event::Registration {
                node,
                terms: terms.clone(),
                stake: s.clone(),
                tx_index: 0
            }
        ),
        Err(ConsensusError::ReregisteredTooEarly {
            height: height + 21_599,
            allowed_from: height + 21_600
        })
    );
    let grace = Block {
        height: height + 21_600,
        timestamp: 1_545_000_000,
        ..block
    };
    assert_eq!(
        list.apply(
            &grace,
            Event::Registration {
                node,
                terms,
                stake: s,
                tx_index: 0
            }
        ),
        Ok(Effect::Reregistered)
    );
    assert_eq!(list.get(&node).unwrap().waiting_since(), (height, 2));
    // Registered under HF10: expires after the lock plus 20 blocks.
    let h = height + 21_600;
    assert!(
        list.begin_block(&Block {
            height: h + 21_620,
            ..block
        })
        .expired
        .is_empty()
    );
    assert_eq!(
        list.begin_block(&Block {
            height: h + 21_621,
            ..block
        })
        .expired,
        vec![node]
    );
}

#[test]
fn payout_split_and_batching() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    funded_pair(&mut list, 1, 1_100_000);
    let info = list.get(&PublicKey([1; 32])).unwrap();
    // 10 % fee: operator gets 0.9·S/4 + 0.1·S, contributor 0.9·3S/4 (each floored).
    let split = payout_split(info);
    let after_fee = STAKING_PORTIONS - STAKING_PORTIONS / 10;
    assert_eq!(split.len(), 2);
    assert_eq!(
        split[0].portions,
        mul_div_floor(REQ / 4, after_fee, REQ).unwrap() + STAKING_PORTIONS / 10
    );
    assert_eq!(
        split[1].portions,
        mul_div_floor(REQ - REQ / 4, after_fee, REQ).unwrap()
    );
    let total = SN_REWARD_HF15;
    let hf15 = distribute_reward(&split, total, false);
    // Each share is floored: 1 atomic unit each is left for the miner before HF16.
    assert_eq!(hf15, vec![5_362_499_999, 11_137_499_999]);
    let hf16 = block_payouts(HardFork::Hf16, info, total);
    assert_eq!(hf16.iter().map(|p| p.1).sum::<u64>(), total);
    // Batching: 16.5 coins over one payable node, in milli-atomic units.
    let payable = [info];
    let accrued = batched_block_rewards(SN_REWARD_HF15, None, &payable);
    let milli = SN_REWARD_HF15 * BATCH_REWARD_FACTOR;
    // The 10 % fee went through portions, rounding down twice.
    let fee = mul_div_floor(STAKING_PORTIONS / 10, milli, STAKING_PORTIONS).unwrap();
    assert_eq!(fee, milli / 10 - 1);
    assert_eq!(
        accrued,
        vec![
            (addr(1), fee),
            (addr(1), (milli - fee) / 4),
            (addr(2), (milli - fee) * 3 / 4)
        ]
    );
    // Transaction fees of the producer are split the same way on top.
    let with_fees = batched_block_rewards(SN_REWARD_HF15 + 1_000, Some(info), &payable);
    assert_eq!(with_fees.len(), 6);
    // fee 99_999 (floored twice), then 900_001 split 1:3 (floored): one unit is lost.
    let fee_split: Vec<u64> = with_fees[..3].iter().map(|p| p.1).collect();
    assert_eq!(fee_split, vec![99_999, 225_000, 675_000]);
    assert_eq!(batch_payment(999_999_999_999), 0);
    assert_eq!(batch_payment(1_000_000_000_500), 1_000_000_000);
    let a = addr(1);
    let offset = batch_payout_offset(&a, 2520);
    assert_eq!(offset, u64::from_le_bytes([101; 8]) % 2520);
    let next = next_batch_payout_height(&a, 1_100_000, 2520);
    assert!((1_100_000..1_100_000 + 2520).contains(&next) && next % 2520 == offset);
    assert_eq!(batching_interval(Network::Mainnet), 2520);
}

#[test]
fn block_reward_eras() {
    // HF9-14 curve: 28 + 100/2^(h/64800) coins.
    assert_eq!(base_block_reward(HardFork::Hf8, 0), Some(128_000_000_000));
    assert_eq!(
        base_block_reward(HardFork::Hf14, 64_800),
        Some(78_000_000_000)
    );
    assert_eq!(
        base_block_reward(HardFork::Hf14, 129_600),
        Some(53_000_000_000)
    );
    assert_eq!(base_block_reward(HardFork::Hf7, 0), None);
    assert_eq!(
        base_block_reward(HardFork::Hf17, 0),
        Some(BLOCK_REWARD_HF17)
    );
    assert_eq!(
        service_node_reward(HardFork::Hf14, 41_000_000_001),
        20_500_000_000
    );
    assert_eq!(service_node_reward(HardFork::Hf8, 41_000_000_000), 0);
    assert_eq!(service_node_reward(HardFork::Hf15, 0), 16_500_000_000);
    assert_eq!(
        governance_reward(HardFork::Hf14, 40_000_000_000),
        2_000_000_000
    );
    assert_eq!(governance_reward(HardFork::Hf16, 0), 8_500_000_000);
    assert_eq!(governance_reward(HardFork::Hf21, 0), 0);
    assert_eq!(
        MINER_REWARD_HF15 + SN_REWARD_HF15 + FOUNDATION_REWARD_HF15,
        BLOCK_REWARD_HF15
    );
    assert_eq!(SN_REWARD_HF15 + FOUNDATION_REWARD_HF17, BLOCK_REWARD_HF17);
    // Monotone decreasing while the curve applies.
    let mut prev = u64::MAX;
    for h in (0..441_000).step_by(997) {
        let r = base_block_reward(HardFork::Hf14, h).unwrap();
        assert!(r <= prev);
        prev = r;
    }
}

#[test]
fn decommission_credit_policy() {
    let mut list = ServiceNodeState::new(Network::Mainnet);
    funded_pair(&mut list, 1, 1_000_000);
    let info = list.get(&PublicKey([1; 32])).unwrap().clone();
    // Starts at 2 h (60 blocks); +24 blocks per 720 up; capped at 48 h (1440 blocks).
    assert_eq!(decommission_credit(Network::Mainnet, &info, 1_000_000), 60);
    assert_eq!(decommission_credit(Network::Mainnet, &info, 1_000_720), 84);
    assert_eq!(
        decommission_credit(Network::Mainnet, &info, 2_000_000),
        1440
    );
    assert_eq!(decommission_credit_v6(&info, 1_000_720), 84);
    assert_eq!(recommission_credit(100, 30), 40);
    assert_eq!(recommission_credit(100, 60), 0);
    let pass = CheckResults {
        passed: true,
        single_ip: true,
    };
    let fail = CheckResults {
        passed: false,
        single_ip: true,
    };
    let two_ips = CheckResults {
        passed: true,
        single_ip: false,
    };
    let vote = |info: &ServiceNodeInfo, h, r| {
        obligations_vote(Network::Mainnet, HardFork::Hf19, info, h, r)
    };
    assert_eq!(vote(&info, 1_000_100, pass), None);
    assert_eq!(
        vote(&info, 1_000_100, two_ips),
        Some(NewState::IpChangePenalty)
    );
    assert_eq!(vote(&info, 1_000_100, fail), Some(NewState::Decommission));
    let mut poor = info.clone();
    poor.recommission_credit = 0;
    assert_eq!(vote(&poor, 1_000_100, fail), Some(NewState::Deregister));
    // Decommissioned: recommission when passing, abstain while credit lasts, then deregister.
    list.apply(
        &hf19(1_000_720),
        Event::StateChange {
            node: PublicKey([1; 32]),
            state: NewState::Decommission,
            quorum_height: 1_000_719,
        },
    )
    .unwrap();
    let down = list.get(&PublicKey([1; 32])).unwrap().clone();
    assert_eq!(decommission_credit(Network::Mainnet, &down, 1_000_720), 84);
    assert_eq!(vote(&down, 1_000_800, pass), Some(NewState::Recommission));
    assert_eq!(vote(&down, 1_000_804, fail), None);
    assert_eq!(vote(&down, 1_000_805, fail), Some(NewState::Deregister));
    // v6 (before HF16) had no carried credit: initial 60 only until the first decommission.
    assert_eq!(decommission_credit_v6(&down, 1_000_720), 84);
}

#[test]
fn hf20_drops_partially_funded_nodes() {
    let mut list = ServiceNodeState::new(Network::Devnet);
    let req = staking_requirement(Network::Devnet, 300);
    let block = hf19(300);
    let half = PublicKey([8; 32]);
    let full = PublicKey([9; 32]);
    let terms = terms19(&[(1, req / 2), (2, req / 2)], 0);
    let op = stake(1, req / 2, 1);
    for node in [half, full] {
        list.apply(
            &block,
            Event::Registration {
                node,
                terms: terms.clone(),
                stake: op.clone(),
                tx_index: 0,
            },
        )
        .unwrap();
        list.apply(
            &block,
            Event::Contribution {
                node,
                stake: op.clone(),
                tx_index: 0,
            },
        )
        .unwrap();
    }
    list.apply(
        &block,
        Event::Contribution {
            node: full,
            stake: stake(2, req / 2, 2),
            tx_index: 1,
        },
    )
    .unwrap();
    let hf20 = hard_fork_height(Network::Devnet, HardFork::Hf20).unwrap();
    let before = Block {
        height: hf20 - 1,
        hard_fork: HardFork::Hf19,
        timestamp: 0,
    };
    assert!(list.begin_block(&before).expired.is_empty());
    let at = Block {
        height: hf20,
        hard_fork: HardFork::Hf20,
        timestamp: 0,
    };
    assert_eq!(list.begin_block(&at).expired, vec![half]);
    assert!(list.get(&full).is_some());
}

#[test]
fn quorums_from_the_list() {
    use session_staking::quorum::{
        blink_quorum, checkpointing_quorum, generate_quorums, obligations_quorum,
    };
    let mut list = ServiceNodeState::new(Network::Mainnet);
    for node in 1..=25u8 {
        funded_pair(&mut list, node, 1_100_000);
    }
    for node in [3u8, 17] {
        let ev = Event::StateChange {
            node: PublicKey([node; 32]),
            state: NewState::Decommission,
            quorum_height: 1_100_001,
        };
        list.apply(&hf19(1_100_002), ev).unwrap();
    }
    let unlock = Event::UnlockRequest {
        node: PublicKey([5; 32]),
        key_image: KeyImage([6; 32]),
    };
    list.apply(&hf19(1_100_003), unlock).unwrap();
    let hash = [0xab; 32];
    let active = list.active_nodes();
    let decommissioned = list.decommissioned_nodes();
    assert_eq!((active.len(), decommissioned.len()), (23, 2));
    let height = 1_100_005;
    let q = generate_quorums(&list, HardFork::Hf19, height, &hash);
    assert_eq!(
        q.obligations,
        obligations_quorum(HardFork::Hf19, &hash, &active, &decommissioned)
    );
    assert_eq!(q.obligations.validators.len(), 10);
    assert_eq!(q.obligations.workers.len(), 15);
    assert_eq!(
        q.checkpointing,
        checkpointing_quorum(
            Network::Mainnet,
            HardFork::Hf19,
            height,
            &hash,
            &active,
            &decommissioned
        )
    );
    assert_eq!(q.checkpointing.as_ref().unwrap().validators.len(), 20);
    let with_unlocks: Vec<_> = active
        .iter()
        .map(|k| (*k, list.get(k).unwrap().requested_unlock_height))
        .collect();
    let blink = q.blink.unwrap();
    assert_eq!(
        Some(blink.clone()),
        blink_quorum(HardFork::Hf19, height, &hash, &with_unlocks)
    );
    assert_eq!(blink.validators.len(), 10);
    // Under HF12 rules only the obligations quorum exists.
    let old = generate_quorums(&list, HardFork::Hf12, height, &hash);
    assert_eq!((old.checkpointing, old.blink), (None, None));
}
