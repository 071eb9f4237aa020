//! The service-node list from HF21: the rewards contract's confirmed events, purges, the
//! contract's staking requirement, and the two-step removal (leave the list, then exit or
//! liquidation), each accepted and refused as oxend's `process_confirmed_event` does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ed25519_dalek::{Signer, SigningKey};
use session_core::{Ed25519PublicKey, Ed25519Signature, Network};
use session_staking::bls::{BlsPublicKeyBytes, EthAddress};
use session_staking::crypto::PublicKey;
use session_staking::l2::{Contributor, L2Event, NewServiceNode};
use session_staking::state::{L2Effect, Removal};
use session_staking::{
    Block, COIN, ConsensusError, Effect, Event, HardFork, NewState, ServiceNodeState,
};

/// Devnet: HF20 at 379, HF21 at 444; 20,000-token requirement; exits may liquidate 30 blocks
/// after leaving; unlocks take 720 blocks; the deregistration lock is 1440 blocks.
const NET: Network = Network::Devnet;
const HF21: u64 = 444;
const REQUIREMENT: u64 = 20_000 * COIN;

fn block(height: u64) -> Block {
    let hard_fork = if height >= HF21 {
        HardFork::Hf21
    } else {
        HardFork::Hf20
    };
    Block {
        height,
        hard_fork,
        timestamp: 1_800_000_000,
    }
}

fn addr(n: u8) -> EthAddress {
    EthAddress([n; 20])
}

fn bls_key(n: u8) -> BlsPublicKeyBytes {
    BlsPublicKeyBytes([n; 64])
}

/// A registration signed by the Ed25519 key of seed `seed`.
fn registration(
    seed: u8,
    bls: BlsPublicKeyBytes,
    fee: u16,
    stakes: &[(u8, u64)],
) -> NewServiceNode {
    let signer = SigningKey::from_bytes(&[seed; 32]);
    let key = signer.verifying_key().to_bytes();
    let mut signed = key.to_vec();
    signed.extend(bls.as_bytes());
    NewServiceNode {
        bls_public_key: bls,
        service_node_key: Ed25519PublicKey::from_bytes(key),
        signature: Ed25519Signature::from_bytes(signer.sign(&signed).to_bytes()),
        fee,
        contributors: stakes
            .iter()
            .map(|&(a, amount)| Contributor {
                address: addr(a),
                beneficiary: addr(a.wrapping_add(100)),
                amount,
            })
            .collect(),
    }
}

fn node_key(reg: &NewServiceNode) -> PublicKey {
    PublicKey(reg.service_node_key.to_bytes())
}

fn register(list: &mut ServiceNodeState, height: u64, reg: &NewServiceNode) -> PublicKey {
    let effect = list
        .apply_l2(
            &block(height),
            1_000,
            0,
            &L2Event::NewServiceNode(reg.clone()),
        )
        .unwrap();
    assert_eq!(
        effect,
        L2Effect::Registered {
            node: node_key(reg)
        }
    );
    node_key(reg)
}

#[test]
fn a_registration_records_a_funded_active_node_with_its_contract_addresses() {
    let mut list = ServiceNodeState::new(NET);
    let reg = registration(1, bls_key(1), 500, &[(1, 5_000 * COIN), (2, 15_000 * COIN)]);
    let effect = list
        .apply_l2(&block(500), 1_000, 3, &L2Event::NewServiceNode(reg.clone()))
        .unwrap();
    let node = node_key(&reg);
    assert_eq!(effect, L2Effect::Registered { node });
    let info = list.get(&node).unwrap();
    assert!(info.is_active());
    assert_eq!(info.staking_requirement, REQUIREMENT);
    assert_eq!(info.total_contributed, REQUIREMENT);
    assert_eq!(info.total_reserved, REQUIREMENT);
    assert_eq!(info.registration_height, 500);
    assert_eq!(info.active_since_height, 500);
    assert_eq!(info.waiting_since(), (500, 3));
    assert_eq!(info.bls_public_key, Some(bls_key(1)));
    // 5 % in portions of 2^64 − 4.
    assert_eq!(
        Some(info.portions_for_operator),
        session_staking::portions::fee_basis_points_to_portions(500)
    );
    assert_eq!(info.contributors.len(), 2);
    let second = &info.contributors[1];
    assert_eq!(second.amount, 15_000 * COIN);
    assert_eq!(second.reserved, 15_000 * COIN);
    let eth = second.ethereum.unwrap();
    assert_eq!((eth.address, eth.beneficiary), (addr(2), addr(102)));
    assert_eq!(list.active_nodes(), vec![node]);
}

#[test]
fn registrations_oxend_ignores_are_refused_and_leave_the_list_unchanged() {
    let mut list = ServiceNodeState::new(NET);
    let first = registration(1, bls_key(1), 0, &[(1, REQUIREMENT)]);
    register(&mut list, 500, &first);
    let before = list.clone();
    let apply = |list: &mut ServiceNodeState, reg: NewServiceNode| {
        list.apply_l2(&block(501), 1_001, 0, &L2Event::NewServiceNode(reg))
    };
    let cases = [
        // The same Ed25519 key again.
        (
            registration(1, bls_key(2), 0, &[(1, REQUIREMENT)]),
            ConsensusError::AlreadyRegistered,
        ),
        // Another key with a BLS key already in use.
        (
            registration(2, bls_key(1), 0, &[(1, REQUIREMENT)]),
            ConsensusError::DuplicateBlsKey,
        ),
        (
            registration(3, bls_key(3), 0, &[]),
            ConsensusError::NoOperator,
        ),
        (
            registration(3, bls_key(3), 0, &[(1, REQUIREMENT / 11); 11]),
            ConsensusError::TooManyContributors { count: 11, max: 10 },
        ),
        // The fee is checked before the stakes.
        (
            registration(3, bls_key(3), 10_001, &[(1, 1)]),
            ConsensusError::FeeTooHigh {
                fee: 10_001,
                max: 10_000,
            },
        ),
        // From HF21 the stakes must fill the requirement exactly.
        (
            registration(3, bls_key(3), 0, &[(1, REQUIREMENT - 1)]),
            ConsensusError::StakesDoNotFillRequirement {
                total: REQUIREMENT - 1,
                requirement: REQUIREMENT,
            },
        ),
        (
            registration(3, bls_key(3), 0, &[(1, 4_999 * COIN), (2, 15_001 * COIN)]),
            ConsensusError::StakeBelowMinimum {
                index: 0,
                amount: 4_999 * COIN,
                minimum: 5_000 * COIN,
            },
        ),
        (
            registration(3, bls_key(3), 0, &[(1, 10_000 * COIN), (1, 10_000 * COIN)]),
            ConsensusError::DuplicateContributor {
                first: 0,
                second: 1,
            },
        ),
    ];
    for (reg, expected) in cases {
        assert_eq!(apply(&mut list, reg), Err(expected.clone()), "{expected}");
        assert_eq!(list, before);
    }
    // A signature over anything but `key ‖ bls` is refused.
    let mut forged = registration(3, bls_key(3), 0, &[(1, REQUIREMENT)]);
    forged.bls_public_key = bls_key(4);
    assert_eq!(
        apply(&mut list, forged),
        Err(ConsensusError::InvalidRegistrationSignature)
    );
    assert_eq!(list, before);
    // Events are not accepted before HF21.
    let reg = registration(3, bls_key(3), 0, &[(1, REQUIREMENT)]);
    assert_eq!(
        list.apply_l2(&block(443), 1, 0, &L2Event::NewServiceNode(reg)),
        Err(ConsensusError::L2EventsNotYetAllowed { hard_fork: 20 })
    );
    assert_eq!(list, before);
}

#[test]
fn the_contract_sets_the_requirement_from_hf21() {
    let mut list = ServiceNodeState::new(NET);
    assert_eq!(list.staking_requirement(443), 100 * COIN);
    assert_eq!(list.staking_requirement(HF21), REQUIREMENT);
    let update = |n| L2Event::StakingRequirementUpdated {
        staking_requirement: n,
    };
    assert_eq!(
        list.apply_l2(&block(500), 1, 0, &update(30_000 * COIN)),
        Ok(L2Effect::RequirementUpdated {
            old: REQUIREMENT,
            new: 30_000 * COIN
        })
    );
    assert_eq!(list.staking_requirement(500), 30_000 * COIN);
    // Before HF21 the contract's value does not apply.
    assert_eq!(list.staking_requirement(443), 100 * COIN);
    // A registration now needs the new amount.
    let short = registration(1, bls_key(1), 0, &[(1, REQUIREMENT)]);
    assert_eq!(
        list.apply_l2(&block(501), 2, 0, &L2Event::NewServiceNode(short)),
        Err(ConsensusError::StakesDoNotFillRequirement {
            total: REQUIREMENT,
            requirement: 30_000 * COIN
        })
    );
    register(
        &mut list,
        501,
        &registration(1, bls_key(1), 0, &[(1, 30_000 * COIN)]),
    );
    // Zero means "no override": the default applies again.
    assert_eq!(
        list.apply_l2(&block(502), 3, 0, &update(0)),
        Ok(L2Effect::RequirementUpdated {
            old: 30_000 * COIN,
            new: REQUIREMENT
        })
    );
}

#[test]
fn an_exit_request_unlocks_the_node_which_then_waits_for_its_exit() {
    let mut list = ServiceNodeState::new(NET);
    let reg = registration(1, bls_key(1), 0, &[(1, 5_000 * COIN), (2, 15_000 * COIN)]);
    let node = register(&mut list, 500, &reg);
    let request = L2Event::ExitRequest {
        bls_public_key: bls_key(1),
    };
    assert_eq!(
        list.apply_l2(&block(600), 2, 0, &request),
        Ok(L2Effect::UnlockScheduled {
            node,
            unlock_height: 1320
        })
    );
    assert_eq!(
        list.apply_l2(&block(601), 3, 0, &request),
        Err(ConsensusError::UnlockAlreadyRequested {
            unlock_height: 1320
        })
    );
    assert_eq!(
        list.apply_l2(
            &block(601),
            3,
            0,
            &L2Event::ExitRequest {
                bls_public_key: bls_key(9)
            }
        ),
        Err(ConsensusError::UnknownBlsKey)
    );
    // An exit before the node left the list is not applied.
    let exit = |amount| L2Event::Exit {
        bls_public_key: bls_key(1),
        returned_amount: amount,
    };
    assert_eq!(
        list.apply_l2(&block(700), 4, 0, &exit(REQUIREMENT)),
        Err(ConsensusError::NotAwaitingExit)
    );
    // The node stays through its unlock height and leaves after it.
    assert!(list.begin_block(&block(1320)).expired.is_empty());
    assert_eq!(list.begin_block(&block(1321)).expired, vec![node]);
    assert!(list.get(&node).is_none());
    let waiting = &list.awaiting_exit()[0];
    assert_eq!(
        (
            waiting.node,
            waiting.height,
            waiting.liquidation_height,
            waiting.removal
        ),
        (node, 1321, 1351, Removal::VoluntaryExit)
    );
    // Requests and purges for a node that left are refused as such.
    assert_eq!(
        list.apply_l2(&block(1322), 5, 0, &request),
        Err(ConsensusError::AlreadyLeft)
    );
    assert_eq!(
        list.purge(&block(1322), 5, &bls_key(1)),
        Err(ConsensusError::AlreadyLeft)
    );
    // A full return is allowed at once, and undelayed.
    assert_eq!(
        list.apply_l2(&block(1322), 5, 0, &exit(REQUIREMENT)),
        Ok(L2Effect::Exited {
            node,
            returned: vec![(addr(1), 5_000 * COIN), (addr(2), 15_000 * COIN)],
            slashed: 0,
            delay_blocks: 0,
        })
    );
    assert!(list.awaiting_exit().is_empty());
    assert_eq!(
        list.apply_l2(&block(1323), 6, 0, &exit(REQUIREMENT)),
        Err(ConsensusError::NotAwaitingExit)
    );
}

#[test]
fn a_deregistered_node_can_be_liquidated_after_the_exit_buffer() {
    let mut list = ServiceNodeState::new(NET);
    let reg = registration(1, bls_key(1), 0, &[(1, 5_000 * COIN), (2, 15_000 * COIN)]);
    let node = register(&mut list, 500, &reg);
    let effect = list
        .apply(
            &block(600),
            Event::StateChange {
                node,
                state: NewState::Deregister,
                quorum_height: 599,
            },
        )
        .unwrap();
    assert_eq!(
        effect,
        Effect::Deregistered {
            blacklisted_until: 600 + 1440
        }
    );
    let waiting = &list.awaiting_exit()[0];
    assert_eq!(
        (waiting.liquidation_height, waiting.removal),
        (630, Removal::Deregistration)
    );
    let exit = |amount| L2Event::Exit {
        bls_public_key: bls_key(1),
        returned_amount: amount,
    };
    // Slashing before the liquidation height is refused.
    assert_eq!(
        list.apply_l2(&block(629), 7, 0, &exit(REQUIREMENT - COIN)),
        Err(ConsensusError::LiquidationTooEarly {
            height: 629,
            liquidation_height: 630
        })
    );
    // A slash larger than the first contributor's stake is refused.
    assert_eq!(
        list.apply_l2(&block(630), 7, 0, &exit(REQUIREMENT - 5_001 * COIN)),
        Err(ConsensusError::SlashExceedsOperatorStake {
            slash: 5_001 * COIN,
            operator_stake: 5_000 * COIN
        })
    );
    // The slash comes off the first stake; returns stay locked until the deregistration lock
    // from the removal (600 + 1440) has run out.
    assert_eq!(
        list.apply_l2(&block(630), 7, 0, &exit(REQUIREMENT - 1_000 * COIN)),
        Ok(L2Effect::Exited {
            node,
            returned: vec![(addr(1), 4_000 * COIN), (addr(2), 15_000 * COIN)],
            slashed: 1_000 * COIN,
            delay_blocks: 2040 - 630,
        })
    );
}

#[test]
fn an_exit_returning_more_than_the_stake_is_capped() {
    let mut list = ServiceNodeState::new(NET);
    let node = register(
        &mut list,
        500,
        &registration(1, bls_key(1), 0, &[(1, REQUIREMENT)]),
    );
    list.apply(
        &block(600),
        Event::StateChange {
            node,
            state: NewState::Deregister,
            quorum_height: 599,
        },
    )
    .unwrap();
    let effect = list.apply_l2(
        &block(601),
        8,
        0,
        &L2Event::Exit {
            bls_public_key: bls_key(1),
            returned_amount: u64::MAX,
        },
    );
    assert_eq!(
        effect,
        Ok(L2Effect::Exited {
            node,
            returned: vec![(addr(1), REQUIREMENT)],
            slashed: 0,
            delay_blocks: 0,
        })
    );
}

#[test]
fn a_purge_removes_the_node_outright() {
    let mut list = ServiceNodeState::new(NET);
    let node = register(
        &mut list,
        500,
        &registration(1, bls_key(1), 0, &[(1, REQUIREMENT)]),
    );
    assert_eq!(
        list.purge(&block(443), 5, &bls_key(1)),
        Err(ConsensusError::L2EventsNotYetAllowed { hard_fork: 20 })
    );
    assert_eq!(
        list.purge(&block(600), 5, &bls_key(2)),
        Err(ConsensusError::UnknownBlsKey)
    );
    assert_eq!(
        list.purge(&block(600), 5, &bls_key(1)),
        Ok(L2Effect::Purged { node })
    );
    assert!(list.get(&node).is_none());
    assert!(list.awaiting_exit().is_empty());
    // No exit follows a purge.
    assert_eq!(
        list.apply_l2(
            &block(601),
            6,
            0,
            &L2Event::Exit {
                bls_public_key: bls_key(1),
                returned_amount: REQUIREMENT
            }
        ),
        Err(ConsensusError::NotAwaitingExit)
    );
}

#[test]
fn hf20_uptime_proofs_record_the_bls_key_of_oxen_era_nodes() {
    let mut list = ServiceNodeState::new(NET);
    let node = PublicKey([7; 32]);
    assert_eq!(
        list.record_bls_key(HardFork::Hf20, &node, bls_key(7)),
        Err(ConsensusError::UnknownServiceNode)
    );
    // Only during the transition.
    assert_eq!(
        list.record_bls_key(HardFork::Hf21, &node, bls_key(7)),
        Err(ConsensusError::L2EventsNotYetAllowed { hard_fork: 21 })
    );
}

#[test]
fn before_hf21_a_deregistered_node_leaves_nothing_behind() {
    // Oxen-era removals do not wait for an exit.
    let mut list = ServiceNodeState::new(NET);
    let node = register(
        &mut list,
        500,
        &registration(1, bls_key(1), 0, &[(1, REQUIREMENT)]),
    );
    let hf20_block = Block {
        height: 600,
        hard_fork: HardFork::Hf20,
        timestamp: 0,
    };
    list.apply(
        &hf20_block,
        Event::StateChange {
            node,
            state: NewState::Deregister,
            quorum_height: 599,
        },
    )
    .unwrap();
    assert!(list.get(&node).is_none());
    assert!(list.awaiting_exit().is_empty());
}
