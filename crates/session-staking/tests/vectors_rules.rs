//! Known-answer vectors for the consensus rules (requirement, portions, contributions,
//! rewards, lock periods): every case of those sections of `data/staking.json`, value by value.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use session_core::Network;
use session_staking::*;
use session_staking::{contribution::*, hardfork::*, portions::*, requirement::*};

fn data() -> Value {
    serde_json::from_str(include_str!("data/staking.json")).unwrap()
}

fn cases(section: &str) -> Vec<Value> {
    let cases = data()[section]["cases"].as_array().unwrap().clone();
    assert!(!cases.is_empty(), "{section} has no cases");
    cases
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a u64: {v}"))
}

fn hf(v: &Value) -> HardFork {
    HardFork::from_version(u8::try_from(u(v)).unwrap()).unwrap()
}

#[test]
fn staking_requirement_vectors() {
    let mut checked = 0;
    for case in cases("staking_requirement") {
        let height = u(&case["height"]);
        let expected = u(&case["expected"]);
        let net = case["net"].as_str().unwrap();
        let superseded = case["note"]
            .as_str()
            .is_some_and(|n| n.starts_with("SUPERSEDED"));
        let got = match (net, case.get("hf_passed")) {
            // oxend v6 era cases carry the hard fork the test passed explicitly.
            ("stagenet(v6 era)", Some(h)) => {
                staking_requirement_v6(Network::Stagenet, height, hf(h))
            }
            ("mainnet", Some(h)) if superseded => {
                // Today's rules fix 15,000 at this height; v6 still interpolated.
                assert_eq!(staking_requirement(Network::Mainnet, height), 15_000 * COIN);
                staking_requirement_v6(Network::Mainnet, height, hf(h))
            }
            ("mainnet", _) => {
                if let Some(h) = case.get("hf") {
                    assert_eq!(
                        hard_fork_at(Network::Mainnet, height),
                        hf(h),
                        "height {height}"
                    );
                }
                let v6 = staking_requirement_v6(
                    Network::Mainnet,
                    height,
                    hard_fork_at(Network::Mainnet, height),
                );
                let now = staking_requirement(Network::Mainnet, height);
                // Before HF16 (where v6 and today agree) both must give the vector.
                if height < 641_111 {
                    assert_eq!(v6, now, "height {height}");
                }
                now
            }
            other => panic!("unexpected case {other:?}"),
        };
        let check = case["check"].as_str().unwrap();
        if check == "exact" {
            assert_eq!(got, expected, "{net} height {height}");
        } else {
            let eps: u64 = check.strip_prefix("abs_diff_lt:").unwrap().parse().unwrap();
            assert!(
                got.abs_diff(expected) < eps,
                "{net} height {height}: {got} vs {expected}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 14);
}

#[test]
fn staking_requirement_other_nets_vectors() {
    let cases = cases("staking_requirement_other_nets");
    assert_eq!(cases.len(), 2);
    let before_hf21 = u(&cases[0]["expected"]);
    let hf21 = u(&cases[1]["expected"]);
    for net in [
        Network::Testnet,
        Network::Devnet,
        Network::Stagenet,
        Network::Localdev,
    ] {
        let hf21_height = hard_fork_height(net, HardFork::Hf21);
        let limit = hf21_height.unwrap_or(300_000);
        for height in (0..limit).step_by(7).chain([limit.saturating_sub(1)]) {
            assert_eq!(
                staking_requirement(net, height),
                before_hf21,
                "{net} {height}"
            );
        }
        if let Some(h) = hf21_height
            && net != Network::Localdev
        {
            assert_eq!(staking_requirement(net, h), hf21, "{net} {h}");
            assert_eq!(staking_requirement(net, h + 1_000_000), hf21, "{net}");
        }
    }
    // v6 fakechain/testnet: 100 coins at every height.
    assert_eq!(
        staking_requirement_v6(Network::Testnet, 500_000, HardFork::Hf14),
        before_hf21
    );
}

#[test]
fn check_service_node_portions_vectors() {
    for case in cases("check_service_node_portions") {
        let portions: Vec<u64> = case["portions"].as_array().unwrap().iter().map(u).collect();
        let expected = case["expected"].as_bool().unwrap();
        let result = check_portions(hf(&case["hf"]), &portions);
        assert_eq!(result.is_ok(), expected, "{}: {result:?}", case["expr"]);
    }
}

#[test]
fn get_min_node_contribution_vectors() {
    for case in cases("get_min_node_contribution") {
        let got = min_node_contribution(
            hf(&case["hf"]),
            u(&case["staking_requirement"]),
            u(&case["total_reserved"]),
            usize::try_from(u(&case["num_contributions"])).unwrap(),
        );
        assert_eq!(got, Some(u(&case["expected"])), "{case}");
    }
}

#[test]
fn portion_amount_conversion_vectors() {
    for case in cases("portion_amount_conversions") {
        let expected = u(&case["expected"]);
        let req = u(&case["staking_requirement"]);
        match case["fn"].as_str().unwrap() {
            "portions_to_amount" => {
                assert_eq!(portions_to_amount(u(&case["portions"]), req), expected)
            }
            "get_portions_to_make_amount" => {
                assert_eq!(amount_to_portions(u(&case["amount"]), req), Some(expected))
            }
            "get_min_node_contribution_in_portions" => assert_eq!(
                min_node_contribution_in_portions(
                    hf(&case["hf"]),
                    req,
                    u(&case["total_reserved"]),
                    usize::try_from(u(&case["num_contributions"])).unwrap(),
                ),
                Some(expected)
            ),
            other => panic!("unknown fn {other}"),
        }
    }
}

#[test]
fn check_service_node_stakes_vectors() {
    for case in cases("check_service_node_stakes") {
        let stakes: Vec<u64> = case["stakes"].as_array().unwrap().iter().map(u).collect();
        let result = check_stakes(hf(&case["hf"]), u(&case["staking_requirement"]), &stakes);
        assert_eq!(
            result.is_ok(),
            case["expected"].as_bool().unwrap(),
            "{case}: {result:?}"
        );
    }
}

#[test]
fn reward_vectors() {
    for case in cases("rewards") {
        assert_eq!(case["fn"], "get_portion_of_reward");
        let portions = u(&case["portions"]);
        let total = u(&case["total"]);
        let expected = u(&case["expected"]);
        assert_eq!(portion_of_reward(portions, total), expected);
        // The relations the upstream test states.
        match case["relation"].as_str().unwrap() {
            "2*f(S/2,COIN)==f(S,COIN)" => {
                assert_eq!(2 * expected, portion_of_reward(STAKING_PORTIONS, total))
            }
            "3*f(S/4,COIN)==f(3*(S/4),COIN)" => {
                assert_eq!(
                    3 * expected,
                    portion_of_reward(3 * (STAKING_PORTIONS / 4), total)
                )
            }
            other => panic!("unknown relation {other}"),
        }
    }
}

#[test]
fn lock_period_vectors() {
    for case in cases("lock_periods") {
        let expected = u(&case["expected"]);
        match case["fn"].as_str().unwrap() {
            "staking_num_lock_blocks(MAINNET)" => {
                assert_eq!(staking_lock_blocks(Network::Mainnet), expected)
            }
            "BLOCKS_IN(DEREGISTRATION_LOCK_DURATION) mainnet" => {
                assert_eq!(deregistration_lock_blocks(Network::Mainnet), expected)
            }
            "staking_num_lock_blocks(FAKECHAIN)" => {
                assert_eq!(FAKECHAIN_STAKING_LOCK_BLOCKS, expected)
            }
            f if f.starts_with("get_locked_key_image_unlock_height(MAINNET") => {
                assert_eq!(
                    unlock_height(Network::Mainnet, u(&case["current_height"])),
                    expected
                )
            }
            other => panic!("unknown fn {other}"),
        }
    }
}
