//! The tx_extra parser: every field, every precise error, and arbitrary bytes never panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{ExtraWriter, varint};
use proptest::prelude::*;
use session_core::Network;
use session_staking::crypto::rct::{EcdhInfo, RctType};
use session_staking::crypto::{KeyImage, PublicKey, Signature};
use session_staking::stake::{StakeOutputs, StakeProof, TxOutput};
use session_staking::tx_extra::{
    Burn, KeyImageProofs, KeyImageUnlock, NewState, Registration, StateChange, TxExtra,
    TxSecretKey, Vote, tag,
};
use session_staking::{
    ContributorAddress, FormatError, HardFork, validate_registration, verify_stake,
};

fn sig(b: u8) -> Signature {
    Signature::from_bytes(&[b; 64])
}

#[test]
fn every_staking_tag_parses() {
    let mut e = vec![tag::TX_PUBKEY];
    e.extend_from_slice(&[1; 32]);
    e.push(tag::NONCE);
    e.extend_from_slice(&[3, 9, 9, 9]);
    e.push(tag::MERGE_MINING);
    e.extend_from_slice(&[33, 0]);
    e.extend_from_slice(&[0; 32]);
    e.push(tag::ADDITIONAL_PUBKEYS);
    e.push(2);
    e.extend_from_slice(&[4; 64]);
    e.push(tag::WINNER);
    e.extend_from_slice(&[5; 32]);
    e.push(tag::DEREGISTER_OLD);
    e.extend_from_slice(&77u64.to_le_bytes());
    e.extend_from_slice(&6u32.to_le_bytes());
    e.push(1);
    e.extend_from_slice(&[8; 64]);
    e.extend_from_slice(&2u32.to_le_bytes());
    e.push(tag::KEY_IMAGE_UNLOCK);
    e.extend_from_slice(&[6; 32]);
    e.extend_from_slice(&[7; 64]);
    e.extend_from_slice(&0x4B4C_4E55u32.to_le_bytes());
    e.push(tag::BURN);
    e.extend_from_slice(&1234u64.to_le_bytes());
    e.push(tag::MINERGATE);
    e.extend_from_slice(&[2, 0xaa, 0xbb]);
    // A v0 state change: the first varint is the state itself.
    e.push(tag::STATE_CHANGE);
    e.extend_from_slice(&[2, 0xe8, 0x07, 5, 0]);
    e.extend_from_slice(&[0; 3]);
    let x = TxExtra::parse(&e).unwrap();
    assert_eq!(x.tx_pubkey, Some(PublicKey([1; 32])));
    assert_eq!(x.nonce, Some(vec![9, 9, 9]));
    assert_eq!(
        x.additional_pubkeys,
        Some(vec![PublicKey([4; 32]), PublicKey([4; 32])])
    );
    assert_eq!(x.winner, Some(PublicKey([5; 32])));
    assert_eq!(
        x.old_deregistration,
        Some(StateChange {
            version: 0,
            state: NewState::Deregister,
            block_height: 77,
            service_node_index: 6,
            reason_consensus_all: 0,
            reason_consensus_any: 0,
            votes: vec![Vote {
                validator_index: 2,
                signature: sig(8)
            }],
        })
    );
    assert_eq!(
        x.key_image_unlock,
        Some(KeyImageUnlock {
            key_image: KeyImage([6; 32]),
            signature: sig(7),
            nonce: 0x4B4C_4E55
        })
    );
    assert_eq!(x.burn, Some(Burn(1234)));
    assert_eq!(
        x.state_change,
        Some(StateChange {
            version: 0,
            state: NewState::Recommission,
            block_height: 1000,
            service_node_index: 5,
            reason_consensus_all: 0,
            reason_consensus_any: 0,
            votes: vec![],
        })
    );
}

#[test]
fn first_occurrence_wins_and_lenient_keeps_the_prefix() {
    let mut e = vec![tag::SN_PUBKEY];
    e.extend_from_slice(&[1; 32]);
    e.push(tag::SN_PUBKEY);
    e.extend_from_slice(&[2; 32]);
    e.push(0x7a);
    e.extend_from_slice(&[0; 10]);
    assert_eq!(
        TxExtra::parse(&e),
        Err(FormatError::UnknownTag {
            tag: 0x7a,
            offset: 66
        })
    );
    let (x, err) = TxExtra::parse_lenient(&e);
    assert_eq!(x.sn_pubkey, Some(PublicKey([1; 32])));
    assert_eq!(
        err,
        Some(FormatError::UnknownTag {
            tag: 0x7a,
            offset: 66
        })
    );
}

#[test]
fn precise_parse_errors() {
    // The view-key list promises one key but only 5 bytes follow.
    let mut e = vec![tag::REGISTER, 0, 1];
    e.extend_from_slice(&[0; 5]);
    assert_eq!(
        TxExtra::parse(&e),
        Err(FormatError::ValueOutOfRange {
            tag: 0x70,
            field: "view keys",
            offset: 2,
            value: 1,
            max: 0
        })
    );
    // A count larger than the bytes could hold.
    assert_eq!(
        TxExtra::parse(&[tag::KEY_IMAGE_PROOFS, 5, 0, 0]),
        Err(FormatError::ValueOutOfRange {
            tag: 0x76,
            field: "key image proofs",
            offset: 1,
            value: 5,
            max: 0
        })
    );
    // Non-canonical varint (redundant zero byte) and an 11-byte varint.
    assert_eq!(
        TxExtra::parse(&[tag::STATE_CHANGE, 0x81, 0x00]),
        Err(FormatError::BadVarint {
            tag: 0x78,
            field: "version",
            offset: 1
        })
    );
    let mut long = vec![tag::STATE_CHANGE, 0];
    long.extend_from_slice(&[0xff; 10]);
    long.push(1);
    assert_eq!(
        TxExtra::parse(&long),
        Err(FormatError::BadVarint {
            tag: 0x78,
            field: "block height",
            offset: 2
        })
    );
    // A state beyond ip-change penalty, a version between 0 and 4 other than a state.
    assert_eq!(
        TxExtra::parse(&[tag::STATE_CHANGE, 5]),
        Err(FormatError::ValueOutOfRange {
            tag: 0x78,
            field: "version",
            offset: 1,
            value: 5,
            max: 4
        })
    );
    assert_eq!(
        TxExtra::parse(&[tag::STATE_CHANGE, 4, 4]),
        Err(FormatError::ValueOutOfRange {
            tag: 0x78,
            field: "state",
            offset: 2,
            value: 4,
            max: 3
        })
    );
    // A u32 field above 2^32 - 1.
    let mut big = vec![tag::STATE_CHANGE, 1, 1];
    varint(1 << 32, &mut big);
    assert_eq!(
        TxExtra::parse(&big),
        Err(FormatError::ValueOutOfRange {
            tag: 0x78,
            field: "service node index",
            offset: 3,
            value: 1 << 32,
            max: u64::from(u32::MAX)
        })
    );
    // Padding: zeros to the end, under 255 bytes in all.
    let mut pad = vec![tag::PADDING];
    pad.extend_from_slice(&[0; 253]);
    assert!(TxExtra::parse(&pad).is_ok());
    pad.push(0);
    assert!(TxExtra::parse(&pad).is_ok());
    pad.push(0);
    assert_eq!(
        TxExtra::parse(&pad),
        Err(FormatError::BadPadding { offset: 0 })
    );
    assert_eq!(
        TxExtra::parse(&[0, 0, 1]),
        Err(FormatError::BadPadding { offset: 0 })
    );
    // Nonce over 255 bytes.
    let mut nonce = vec![tag::NONCE];
    varint(256, &mut nonce);
    nonce.extend_from_slice(&[0; 256]);
    assert_eq!(
        TxExtra::parse(&nonce),
        Err(FormatError::ValueOutOfRange {
            tag: 0x02,
            field: "nonce",
            offset: 1,
            value: 256,
            max: 255
        })
    );
    // A burn cut short.
    assert_eq!(
        TxExtra::parse(&[tag::BURN, 1, 2]),
        Err(FormatError::Truncated {
            tag: 0x79,
            field: "burn amount",
            offset: 1,
            needed: 8,
            available: 2
        })
    );
}

#[test]
fn truncated_registration_names_the_field() {
    let reg = Registration {
        spend_keys: vec![PublicKey([1; 32])],
        view_keys: vec![PublicKey([2; 32])],
        fee: 3,
        amounts: vec![300],
        hf_or_expiration: 19,
        signature: sig(9),
    };
    let full = ExtraWriter::default().registration(&reg).0;
    assert_eq!(TxExtra::parse(&full).unwrap().registration, Some(reg));
    let cut = &full[..full.len() - 1];
    assert_eq!(
        TxExtra::parse(cut),
        Err(FormatError::Truncated {
            tag: 0x70,
            field: "signature",
            offset: full.len() - 64,
            needed: 64,
            available: 63
        })
    );
}

fn arb_reg() -> impl Strategy<Value = Registration> {
    (
        0usize..5,
        any::<u64>(),
        any::<u64>(),
        any::<[u8; 32]>(),
        prop::collection::vec(any::<u64>(), 5),
    )
        .prop_map(|(n, fee, hf, key, amounts)| Registration {
            spend_keys: vec![PublicKey(key); n],
            view_keys: vec![PublicKey(key); n],
            fee,
            amounts: amounts[..n].to_vec(),
            hf_or_expiration: hf,
            signature: Signature::from_bytes(&[key[0]; 64]),
        })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let strict = TxExtra::parse(&bytes);
        let (lenient, err) = TxExtra::parse_lenient(&bytes);
        match strict {
            Ok(x) => { prop_assert_eq!(x, lenient); prop_assert!(err.is_none()); }
            Err(e) => prop_assert_eq!(Some(e), err),
        }
    }

    #[test]
    fn staking_tags_with_arbitrary_bodies_never_panic(t in 0x70u8..0x7a, body in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = vec![t];
        bytes.extend_from_slice(&body);
        let _ = TxExtra::parse(&bytes);
    }

    #[test]
    fn registrations_round_trip(reg in arb_reg()) {
        let bytes = ExtraWriter::default().registration(&reg).0;
        prop_assert_eq!(TxExtra::parse(&bytes).unwrap().registration, Some(reg));
    }

    #[test]
    fn verify_stake_never_panics(
        keys in prop::collection::vec(any::<[u8; 32]>(), 0..4),
        amounts in prop::collection::vec(any::<[u8; 8]>(), 0..4),
        r in any::<[u8; 32]>(),
        spend in any::<[u8; 32]>(),
        view in any::<[u8; 32]>(),
        proofs in prop::collection::vec((any::<[u8; 32]>(), any::<[u8; 32]>()), 0..3),
        rct in any::<u8>(),
        hf in 7u8..22,
        height in any::<u64>(),
    ) {
        let outputs: Vec<TxOutput> = keys.iter().map(|k| TxOutput { key: Some(PublicKey(*k)), unlock_time: height }).collect();
        let ecdh: Vec<EcdhInfo> = amounts.iter().map(|a| EcdhInfo::V2 { amount: *a }).collect();
        let tx = StakeOutputs { outputs: &outputs, rct_type: RctType::from_u8(rct), ecdh_info: &ecdh, commitments: &keys };
        let proof = StakeProof {
            tx_secret_key: TxSecretKey(r),
            contributor: ContributorAddress { spend, view },
            key_image_proofs: KeyImageProofs(proofs.iter().map(|(i, s)| session_staking::tx_extra::KeyImageProof {
                key_image: KeyImage(*i),
                signature: Signature { c: *s, r: *i },
            }).collect()),
        };
        let hf = HardFork::from_version(hf).unwrap_or(HardFork::Hf19);
        let _ = verify_stake(&tx, &proof, Network::Mainnet, hf, height);
    }

    #[test]
    fn validate_registration_never_panics(reg in arb_reg(), sn in any::<[u8; 32]>(), hf in 7u8..22, req in any::<u64>(), ts in any::<u64>()) {
        let hf = HardFork::from_version(hf).unwrap_or(HardFork::Hf19);
        let _ = validate_registration(&reg, &PublicKey(sn), hf, req, ts);
    }
}

#[test]
fn truncated_varints_and_strings_are_truncations() {
    // A varint cut short is a truncation of its field, not a malformed varint.
    assert_eq!(
        TxExtra::parse(&[tag::NONCE]),
        Err(FormatError::Truncated {
            tag: 0x02,
            field: "nonce",
            offset: 1,
            needed: 1,
            available: 0
        })
    );
    assert!(matches!(
        TxExtra::parse(&[tag::STATE_CHANGE, 4, 0x80]),
        Err(FormatError::Truncated {
            tag: 0x78,
            field: "state",
            ..
        })
    ));
    // A string longer than the bytes left is refused at its length prefix.
    assert_eq!(
        TxExtra::parse(&[tag::NONCE, 5, 1, 2]),
        Err(FormatError::Truncated {
            tag: 0x02,
            field: "nonce",
            offset: 1,
            needed: 5,
            available: 2
        })
    );
    // The longest nonce, 255 bytes, is accepted.
    let mut nonce = vec![tag::NONCE];
    varint(255, &mut nonce);
    nonce.extend_from_slice(&[7; 255]);
    assert_eq!(TxExtra::parse(&nonce).unwrap().nonce, Some(vec![7; 255]));
}
