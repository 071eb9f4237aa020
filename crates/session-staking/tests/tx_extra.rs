//! The tx_extra parser: every field, every precise error, and arbitrary bytes never panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use session_core::{Network, Writeable as _, Writer as _};
use session_staking::crypto::rct::{EcdhInfo, RctType};
use session_staking::crypto::{KeyImage, PublicKey, Signature};
use session_staking::stake::{StakeOutputs, StakeProof, TxOutput};
use session_staking::tx_extra::{
    Burn, Field, KeyImageProof, KeyImageProofs, KeyImageUnlock, NewState, Registration,
    StateChange, TxExtra, TxSecretKey, Vote, encode_fields, tag,
};
use session_staking::{
    ContributorAddress, FormatError, HardFork, validate_registration, verify_stake,
};

fn sig(b: u8) -> Signature {
    Signature::from_bytes(&[b; 64])
}

/// A tx_extra with every tag, written byte by byte in oxend's layout.
fn every_tag_bytes() -> Vec<u8> {
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
    e
}

#[test]
fn every_tag_re_encodes_to_its_bytes() {
    let e = every_tag_bytes();
    let fields: Vec<Field> = TxExtra::fields(&e).collect::<Result<_, _>>().unwrap();
    assert_eq!(fields.len(), 11);
    assert_eq!(fields[2], Field::MergeMining([0; 33].to_vec()));
    assert_eq!(fields[10], Field::Padding(2));
    assert_eq!(encode_fields(&fields).unwrap(), e);
    // Without the fields TxExtra does not keep, and in tag order, the staking fields encode
    // to the same bytes as each field alone.
    let x = TxExtra::parse(&e).unwrap();
    let mut by_tag: Vec<Field> = fields
        .into_iter()
        .filter(|f| {
            !matches!(
                f,
                Field::Padding(_) | Field::MergeMining(_) | Field::Minergate(_)
            )
        })
        .collect();
    by_tag.sort_by_key(Field::tag);
    assert_eq!(x.encode().unwrap(), encode_fields(&by_tag).unwrap());
    assert_eq!(TxExtra::parse(&x.encode().unwrap()), Ok(x));
}

#[test]
fn unencodable_values_write_nothing() {
    let mut out = vec![9];
    let mut x = TxExtra::default();
    x.burn = Some(Burn(1));
    x.nonce = Some(vec![0; 256]);
    let nonce = FormatError::Unencodable {
        tag: 0x02,
        field: "nonce",
    };
    assert_eq!(x.encode_into(&mut out), Err(nonce.clone()));
    assert_eq!(out, [9]);
    let core_nonce = session_core::Error::InvalidValue {
        offset: 0,
        what: "nonce",
    };
    assert_eq!(x.encode_to_vec(), Err(core_nonce.clone()));
    assert_eq!(out.write(&x), Err(core_nonce.clone()));
    assert_eq!(Field::Nonce(vec![0; 256]).encode_to_vec(), Err(core_nonce));
    assert_eq!(out, [9]);
    x.nonce = Some(vec![0; 255]);
    assert!(x.encode_into(&mut out).is_ok());
    assert_eq!(out.len(), 1 + (1 + 2 + 255) + (1 + 8));
    assert_eq!(Field::Nonce(vec![0; 256]).encode(&mut out), Err(nonce));
    let sc = StateChange {
        version: 0,
        state: NewState::Deregister,
        block_height: 1,
        service_node_index: 2,
        reason_consensus_all: 0,
        reason_consensus_any: 0,
        votes: vec![],
    };
    let cases = [
        (
            Field::StateChange(StateChange {
                version: 3,
                ..sc.clone()
            }),
            0x78,
            "version",
        ),
        (
            Field::StateChange(StateChange {
                reason_consensus_any: 1,
                ..sc.clone()
            }),
            0x78,
            "reasons",
        ),
        (
            Field::StateChange(StateChange {
                reason_consensus_all: 1,
                ..sc.clone()
            }),
            0x78,
            "reasons",
        ),
        (
            Field::OldDeregistration(StateChange {
                version: 4,
                ..sc.clone()
            }),
            0x71,
            "version",
        ),
        (
            Field::OldDeregistration(StateChange {
                state: NewState::Decommission,
                ..sc.clone()
            }),
            0x71,
            "state",
        ),
        (
            Field::OldDeregistration(StateChange {
                reason_consensus_all: 1,
                ..sc.clone()
            }),
            0x71,
            "reasons",
        ),
        (
            Field::OldDeregistration(StateChange {
                reason_consensus_any: 1,
                ..sc.clone()
            }),
            0x71,
            "reasons",
        ),
        (Field::Padding(255), 0x00, "padding"),
    ];
    let len = out.len();
    for (field, tag, name) in cases {
        assert_eq!(
            field.encode(&mut out),
            Err(FormatError::Unencodable { tag, field: name }),
            "{field:?}"
        );
        assert_eq!(out.len(), len);
    }
    assert!(Field::Padding(254).encode(&mut out).is_ok());
    assert!(
        Field::OldDeregistration(sc.clone())
            .encode(&mut out)
            .is_ok()
    );
    assert!(Field::StateChange(sc.clone()).encode(&mut out).is_ok());
    assert_eq!(
        encode_fields(&[Field::Padding(1), Field::Burn(Burn(1))]),
        Err(FormatError::Unencodable {
            tag: 0,
            field: "padding before another field"
        })
    );
}

#[test]
fn every_staking_tag_parses() {
    let e = every_tag_bytes();
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
    big.write_varint(1 << 32);
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
    nonce.write_varint(256);
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
    let full = encode_fields(&[Field::Registration(reg.clone())]).unwrap();
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

fn arb_key() -> impl Strategy<Value = PublicKey> {
    any::<[u8; 32]>().prop_map(PublicKey)
}

fn arb_sig() -> impl Strategy<Value = Signature> {
    any::<[u8; 64]>().prop_map(|b| Signature::from_bytes(&b))
}

fn arb_votes(n: usize) -> impl Strategy<Value = Vec<Vote>> {
    prop::collection::vec(
        (any::<u32>(), arb_sig()).prop_map(|(validator_index, signature)| Vote {
            validator_index,
            signature,
        }),
        0..n,
    )
}

fn arb_state() -> impl Strategy<Value = NewState> {
    (0u16..4).prop_map(|s| NewState::from_u16(s).unwrap())
}

/// A state change of either version (version 0 carries no reasons).
fn arb_state_change() -> impl Strategy<Value = StateChange> {
    (
        prop::bool::ANY,
        arb_state(),
        any::<u64>(),
        any::<u32>(),
        any::<u16>(),
        any::<u16>(),
        arb_votes(4),
    )
        .prop_map(
            |(v4, state, block_height, service_node_index, all, any, votes)| StateChange {
                version: if v4 { 4 } else { 0 },
                state,
                block_height,
                service_node_index,
                reason_consensus_all: if v4 { all } else { 0 },
                reason_consensus_any: if v4 { any } else { 0 },
                votes,
            },
        )
}

fn arb_old_deregistration() -> impl Strategy<Value = StateChange> {
    (any::<u64>(), any::<u32>(), arb_votes(4)).prop_map(
        |(block_height, service_node_index, votes)| StateChange {
            version: 0,
            state: NewState::Deregister,
            block_height,
            service_node_index,
            reason_consensus_all: 0,
            reason_consensus_any: 0,
            votes,
        },
    )
}

/// Registrations with lists of any lengths (the parser does not pair them up).
fn arb_any_reg() -> impl Strategy<Value = Registration> {
    (
        prop::collection::vec(arb_key(), 0..4),
        prop::collection::vec(arb_key(), 0..4),
        any::<u64>(),
        prop::collection::vec(any::<u64>(), 0..4),
        any::<u64>(),
        arb_sig(),
    )
        .prop_map(
            |(spend_keys, view_keys, fee, amounts, hf_or_expiration, signature)| Registration {
                spend_keys,
                view_keys,
                fee,
                amounts,
                hf_or_expiration,
                signature,
            },
        )
}

fn arb_proofs() -> impl Strategy<Value = KeyImageProofs> {
    prop::collection::vec(
        (any::<[u8; 32]>(), arb_sig()).prop_map(|(k, signature)| KeyImageProof {
            key_image: KeyImage(k),
            signature,
        }),
        0..3,
    )
    .prop_map(KeyImageProofs)
}

fn arb_unlock() -> impl Strategy<Value = KeyImageUnlock> {
    (any::<[u8; 32]>(), arb_sig(), any::<u32>()).prop_map(|(k, signature, nonce)| KeyImageUnlock {
        key_image: KeyImage(k),
        signature,
        nonce,
    })
}

fn arb_blob() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..300)
}

/// Any field but padding (which must come last).
fn arb_field() -> impl Strategy<Value = Field> {
    prop_oneof![
        arb_key().prop_map(Field::TxPubkey),
        prop::collection::vec(any::<u8>(), 0..=255).prop_map(Field::Nonce),
        arb_blob().prop_map(Field::MergeMining),
        prop::collection::vec(arb_key(), 0..4).prop_map(Field::AdditionalPubkeys),
        arb_any_reg().prop_map(Field::Registration),
        arb_old_deregistration().prop_map(Field::OldDeregistration),
        arb_key().prop_map(Field::Winner),
        (arb_key(), arb_key())
            .prop_map(|(spend, view)| Field::Contributor(ContributorAddress { spend, view })),
        arb_key().prop_map(Field::ServiceNodePubkey),
        any::<[u8; 32]>().prop_map(|k| Field::TxSecretKey(TxSecretKey(k))),
        arb_proofs().prop_map(Field::KeyImageProofs),
        arb_unlock().prop_map(Field::KeyImageUnlock),
        arb_state_change().prop_map(Field::StateChange),
        any::<u64>().prop_map(|b| Field::Burn(Burn(b))),
        arb_blob().prop_map(Field::Minergate),
    ]
}

fn arb_tx_extra() -> impl Strategy<Value = TxExtra> {
    (
        (
            prop::option::of(arb_key()),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..=255)),
            prop::option::of(prop::collection::vec(arb_key(), 0..4)),
            prop::option::of(arb_any_reg()),
            prop::option::of(arb_old_deregistration()),
            prop::option::of(arb_key()),
            prop::option::of((arb_key(), arb_key())),
        ),
        (
            prop::option::of(arb_key()),
            prop::option::of(any::<[u8; 32]>()),
            prop::option::of(arb_proofs()),
            prop::option::of(arb_unlock()),
            prop::option::of(arb_state_change()),
            prop::option::of(any::<u64>()),
        ),
    )
        .prop_map(
            |(
                (tx_pubkey, nonce, additional, reg, old, winner, contributor),
                (sn, secret, proofs, unlock, sc, burn),
            )| {
                let mut x = TxExtra::default();
                x.tx_pubkey = tx_pubkey;
                x.nonce = nonce;
                x.additional_pubkeys = additional;
                x.registration = reg;
                x.old_deregistration = old;
                x.winner = winner;
                x.contributor = contributor.map(|(spend, view)| ContributorAddress { spend, view });
                x.sn_pubkey = sn;
                x.tx_secret_key = secret.map(TxSecretKey);
                x.key_image_proofs = proofs;
                x.key_image_unlock = unlock;
                x.state_change = sc;
                x.burn = burn.map(Burn);
                x
            },
        )
}

proptest! {
    #[test]
    fn tx_extra_round_trips(x in arb_tx_extra()) {
        let bytes = x.encode().unwrap();
        prop_assert_eq!(x.encode_to_vec(), Ok(bytes.clone()));
        prop_assert_eq!(TxExtra::parse(&bytes), Ok(x));
    }

    #[test]
    fn field_sequences_round_trip(
        fields in prop::collection::vec(arb_field(), 0..6),
        padding in prop::option::of(0usize..255),
    ) {
        let mut fields = fields;
        fields.extend(padding.map(Field::Padding));
        let bytes = encode_fields(&fields).unwrap();
        let parsed: Vec<Field> = TxExtra::fields(&bytes).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(&parsed, &fields);
        // Each field's own encoding is its slice of the whole.
        let mut each = Vec::new();
        let mut writeable = Vec::new();
        for f in &fields {
            f.encode(&mut each).unwrap();
            writeable.write(f).unwrap();
        }
        prop_assert_eq!(&each, &bytes);
        prop_assert_eq!(&writeable, &bytes);
        prop_assert_eq!(encode_fields(&parsed).unwrap(), bytes);
    }

    #[test]
    fn parsed_bytes_re_encode_to_themselves(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        // Whatever parses, field by field, writes back to the same bytes.
        if let Ok(fields) = TxExtra::fields(&bytes).collect::<Result<Vec<_>, _>>() {
            prop_assert_eq!(encode_fields(&fields).unwrap(), bytes);
        }
    }

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
        let bytes = encode_fields(&[Field::Registration(reg.clone())]).unwrap();
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
            contributor: ContributorAddress { spend: PublicKey(spend), view: PublicKey(view) },
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
    nonce.write_varint(255);
    nonce.extend_from_slice(&[7; 255]);
    assert_eq!(TxExtra::parse(&nonce).unwrap().nonce, Some(vec![7; 255]));
}
