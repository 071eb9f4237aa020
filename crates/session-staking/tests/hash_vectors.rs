//! The hash layouts against `staking.json`: registration hash, state-change vote hash, stake
//! unlock value. Every field of every case is asserted.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use session_staking::crypto::{PublicKey, Signature, keccak256};
use session_staking::registration::registration_hash;
use session_staking::tx_extra::{NewState, Registration};
use session_staking::unlock::stake_unlock_hash;
use session_staking::vote::state_change_vote_hash;

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/staking.json")).unwrap()
}

fn h32(v: &Value) -> [u8; 32] {
    hex::decode(v.as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap()
}

fn hex_of(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

#[test]
fn registration_hash_cases() {
    let v = vectors();
    let cases = v["registration_hash"]["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    let mut layouts = 0;
    for case in cases {
        assert_eq!(case["origin"], "derived");
        let expected = h32(&case["expected_hash"]);
        if case["kind"] == "keccak sanity" {
            assert_eq!(keccak256(&hex_of(&case["input_hex"])), expected);
            continue;
        }
        assert_eq!(case["kind"], "pre-HF19 portions");
        let keys = |k: &str| -> Vec<PublicKey> {
            case[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| PublicKey(h32(x)))
                .collect()
        };
        let reg = Registration {
            spend_keys: keys("spend_keys"),
            view_keys: keys("view_keys"),
            fee: case["fee_portions"].as_u64().unwrap(),
            amounts: case["portions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_u64().unwrap())
                .collect(),
            hf_or_expiration: case["expiration_timestamp"].as_u64().unwrap(),
            signature: Signature::from_bytes(&[0; 64]),
        };
        // The preimage is exactly the documented layout, and the hash is its keccak.
        let mut preimage = reg.fee.to_le_bytes().to_vec();
        for i in 0..reg.amounts.len() {
            preimage.extend_from_slice(&reg.spend_keys[i].0);
            preimage.extend_from_slice(&reg.view_keys[i].0);
            preimage.extend_from_slice(&reg.amounts[i].to_le_bytes());
        }
        preimage.extend_from_slice(&reg.hf_or_expiration.to_le_bytes());
        assert_eq!(preimage, hex_of(&case["preimage_hex"]));
        assert_eq!(keccak256(&preimage), expected);
        assert_eq!(registration_hash(&reg).unwrap(), expected);
        assert!(case["note"].as_str().unwrap().contains("dummy"));
        layouts += 1;
    }
    assert_eq!(layouts, 1);
}

#[test]
fn state_change_vote_hash_cases() {
    let v = vectors();
    let cases = v["state_change_vote_hash"]["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for case in cases {
        assert_eq!(case["origin"], "derived");
        let height = case["block_height"].as_u64().unwrap();
        let index = u32::try_from(case["service_node_index"].as_u64().unwrap()).unwrap();
        let state_num = u16::try_from(case["state"].as_u64().unwrap()).unwrap();
        let state = NewState::from_u16(state_num).unwrap();
        let name = match state {
            NewState::Deregister => "deregister",
            NewState::Decommission => "decommission",
            NewState::Recommission => "recommission",
            NewState::IpChangePenalty => "ip_change_penalty",
            _ => unreachable!(),
        };
        assert_eq!(case["state_name"], name);
        let preimage = hex_of(&case["preimage_hex"]);
        let mut expected_preimage = height.to_le_bytes().to_vec();
        expected_preimage.extend_from_slice(&index.to_le_bytes());
        if state != NewState::Deregister {
            expected_preimage.extend_from_slice(&state_num.to_le_bytes());
        }
        assert_eq!(preimage, expected_preimage);
        let expected = h32(&case["expected_hash"]);
        assert_eq!(keccak256(&preimage), expected);
        assert_eq!(state_change_vote_hash(height, index, state), expected);
    }
}

#[test]
fn stake_unlock_hash_cases() {
    let v = vectors();
    let cases = v["stake_unlock_hash"]["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for case in cases {
        assert_eq!(case["origin"], "derived");
        let nonce = u32::try_from(case["nonce"].as_u64().unwrap()).unwrap();
        assert_eq!(stake_unlock_hash(nonce), h32(&case["expected"]));
    }
}
