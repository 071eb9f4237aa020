//! The rewards contract's logs and node list: round trips through an ABI encoder written here,
//! every rule oxend enforces, and arbitrary bytes that never panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use session_core::{Ed25519PublicKey, Ed25519Signature};
use session_staking::bls::{BlsPublicKeyBytes, BlsSecretKey, EthAddress, PointError};
use session_staking::l2::{
    ContractNode, Contributor, L2Event, LogError, NewServiceNode, NodeListError, PURGE_MIN_AGE,
    decode_all_service_node_ids, decode_log, purges, topics,
};

fn word(value: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[24..].copy_from_slice(&value.to_be_bytes());
    w
}

fn address_word(address: &EthAddress) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[12..].copy_from_slice(address.as_bytes());
    w
}

/// The contract's ABI encoding of an event: `(topics, data)`, with `id` the indexed node id and
/// `initiator` the non-indexed address that oxend skips.
fn encode(event: &L2Event, id: u64, initiator: &EthAddress) -> (Vec<[u8; 32]>, Vec<u8>) {
    let mut data = Vec::new();
    let topic = match event {
        L2Event::NewServiceNode(n) => {
            data.extend(address_word(initiator));
            data.extend(n.bls_public_key.as_bytes());
            data.extend(n.service_node_key.as_bytes());
            data.extend(n.signature.as_bytes());
            data.extend(word(n.fee.into()));
            data.extend(word(8 * 32));
            data.extend(word(n.contributors.len() as u64));
            for c in &n.contributors {
                data.extend(address_word(&c.address));
                data.extend(address_word(&c.beneficiary));
                data.extend(word(c.amount));
            }
            topics::NEW_SERVICE_NODE_V2
        }
        L2Event::ExitRequest { bls_public_key } => {
            data.extend(address_word(initiator));
            data.extend(bls_public_key.as_bytes());
            topics::SERVICE_NODE_EXIT_REQUEST
        }
        L2Event::Exit {
            bls_public_key,
            returned_amount,
        } => {
            data.extend(address_word(initiator));
            data.extend(word(*returned_amount));
            data.extend(bls_public_key.as_bytes());
            topics::SERVICE_NODE_EXIT
        }
        L2Event::StakingRequirementUpdated {
            staking_requirement,
        } => {
            data.extend(word(*staking_requirement));
            return (vec![topics::STAKING_REQUIREMENT_UPDATED], data);
        }
        _ => unreachable!("no other events"),
    };
    (vec![topic, word(id)], data)
}

fn arb_address() -> impl Strategy<Value = EthAddress> {
    any::<[u8; 20]>().prop_map(EthAddress)
}

fn arb_bytes64() -> impl Strategy<Value = [u8; 64]> {
    proptest::collection::vec(any::<u8>(), 64).prop_map(|v| v.try_into().unwrap())
}

/// Any 64 bytes: the decoders keep keys unchecked, as oxend does.
fn arb_key() -> impl Strategy<Value = BlsPublicKeyBytes> {
    arb_bytes64().prop_map(BlsPublicKeyBytes)
}

fn arb_event() -> impl Strategy<Value = L2Event> {
    let contributor =
        (arb_address(), arb_address(), any::<u64>()).prop_map(|(a, b, amount)| Contributor {
            address: a,
            beneficiary: b,
            amount,
        });
    prop_oneof![
        (
            arb_key(),
            any::<[u8; 32]>(),
            arb_bytes64(),
            0u16..=10_000,
            proptest::collection::vec(contributor, 1..=10)
        )
            .prop_map(|(bls, sn, signature, fee, contributors)| {
                L2Event::NewServiceNode(NewServiceNode {
                    bls_public_key: bls,
                    service_node_key: Ed25519PublicKey::from_bytes(sn),
                    signature: Ed25519Signature::from_bytes(signature),
                    fee,
                    contributors,
                })
            }),
        arb_key().prop_map(|bls_public_key| L2Event::ExitRequest { bls_public_key }),
        (arb_key(), any::<u64>()).prop_map(|(bls_public_key, returned_amount)| L2Event::Exit {
            bls_public_key,
            returned_amount
        }),
        any::<u64>().prop_map(|staking_requirement| L2Event::StakingRequirementUpdated {
            staking_requirement
        }),
    ]
}

fn encode_node_list(nodes: &[ContractNode]) -> Vec<u8> {
    let n = nodes.len() as u64;
    let mut data = Vec::new();
    data.extend(word(64));
    data.extend(word(64 + 32 + 32 * n));
    data.extend(word(n));
    for node in nodes {
        data.extend(word(node.id));
    }
    data.extend(word(n));
    for node in nodes {
        data.extend(node.bls_public_key.as_bytes());
    }
    data
}

proptest! {
    #[test]
    fn events_round_trip(event in arb_event(), id in any::<u64>(), initiator in arb_address()) {
        let (topics, data) = encode(&event, id, &initiator);
        prop_assert_eq!(decode_log(&topics, &data), Ok(Some(event.clone())));
        // oxend reads topic0 only.
        prop_assert_eq!(decode_log(&topics[..1], &data), Ok(Some(event)));
    }

    #[test]
    fn truncated_or_extended_events_fail(event in arb_event(), cut in 1usize..64, extra in 1usize..64) {
        let (topics, data) = encode(&event, 1, &EthAddress([1; 20]));
        let short = &data[..data.len().saturating_sub(cut)];
        prop_assert!(decode_log(&topics, short).is_err());
        let mut long = data.clone();
        long.extend(vec![0u8; extra]);
        prop_assert!(decode_log(&topics, &long).is_err());
    }

    #[test]
    fn node_lists_round_trip(nodes in proptest::collection::vec((any::<u64>(), arb_key()), 0..20)) {
        let nodes: Vec<ContractNode> = nodes
            .into_iter()
            .map(|(id, bls_public_key)| ContractNode { id, bls_public_key })
            .collect();
        let data = encode_node_list(&nodes);
        prop_assert_eq!(decode_all_service_node_ids(&data), Ok(nodes.clone()));
        // Trailing bytes are ignored, as oxend ignores them.
        let mut padded = data;
        padded.extend([0xff; 40]);
        prop_assert_eq!(decode_all_service_node_ids(&padded), Ok(nodes));
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        topic in prop_oneof![
            Just(topics::NEW_SERVICE_NODE_V2),
            Just(topics::SERVICE_NODE_EXIT_REQUEST),
            Just(topics::SERVICE_NODE_EXIT),
            Just(topics::STAKING_REQUIREMENT_UPDATED),
            any::<[u8; 32]>(),
        ],
        data in proptest::collection::vec(any::<u8>(), 0..700),
    ) {
        let _ = decode_log(&[topic], &data);
        let _ = decode_all_service_node_ids(&data);
    }

    #[test]
    fn mutated_registrations_never_panic(event in arb_event(), at in any::<usize>(), byte in any::<u8>()) {
        let (topics, mut data) = encode(&event, 1, &EthAddress([1; 20]));
        let i = at % data.len();
        data[i] = byte;
        let _ = decode_log(&topics, &data);
    }
}

fn registration(contributors: usize) -> (Vec<[u8; 32]>, Vec<u8>) {
    let event = L2Event::NewServiceNode(NewServiceNode {
        bls_public_key: BlsPublicKeyBytes([3; 64]),
        service_node_key: Ed25519PublicKey::from_bytes([4; 32]),
        signature: Ed25519Signature::from_bytes([5; 64]),
        fee: 500,
        contributors: (0..contributors)
            .map(|i| Contributor {
                address: EthAddress([i as u8; 20]),
                beneficiary: EthAddress([0xbb; 20]),
                amount: 1_000 * (i as u64 + 1),
            })
            .collect(),
    });
    encode(&event, 9, &EthAddress([0xee; 20]))
}

#[test]
fn registrations_break_the_rules_oxend_checks() {
    const FEE: usize = 6 * 32;
    const OFFSET: usize = 7 * 32;
    const COUNT: usize = 8 * 32;
    let (topics, data) = registration(2);

    let mut bad = data.clone();
    bad[FEE..FEE + 32].copy_from_slice(&word(10_001));
    assert_eq!(
        decode_log(&topics, &bad),
        Err(LogError::Fee { fee: 10_001 })
    );
    bad[FEE..FEE + 32].copy_from_slice(&word(10_000));
    assert!(decode_log(&topics, &bad).is_ok());
    bad[FEE] = 1;
    assert_eq!(
        decode_log(&topics, &bad),
        Err(LogError::TooLarge {
            event: "NewServiceNodeV2",
            field: "fee"
        })
    );

    let mut bad = data.clone();
    bad[COUNT..COUNT + 32].copy_from_slice(&word(0));
    assert_eq!(decode_log(&topics, &bad), Err(LogError::NoContributors));
    bad[COUNT..COUNT + 32].copy_from_slice(&word(11));
    assert_eq!(
        decode_log(&topics, &bad),
        Err(LogError::TooManyContributors { count: 11, max: 10 })
    );
    bad[COUNT..COUNT + 32].copy_from_slice(&word(3));
    assert_eq!(
        decode_log(&topics, &bad),
        Err(LogError::ContributorsLength {
            count: 3,
            expected: 288,
            actual: 192
        })
    );

    let mut bad = data.clone();
    bad[OFFSET..OFFSET + 32].copy_from_slice(&word(288));
    assert_eq!(
        decode_log(&topics, &bad),
        Err(LogError::ContributorsOffset {
            offset: 288,
            expected: 256
        })
    );

    // The second contributor's amount: a high byte set.
    let mut bad = data.clone();
    let amount = 9 * 32 + 96 + 64;
    bad[amount + 3] = 1;
    assert_eq!(
        decode_log(&topics, &bad),
        Err(LogError::ContributorAmount { index: 1 })
    );

    // The address words' padding is skipped, as oxend skips it.
    let mut padded = data.clone();
    padded[0] = 0xff;
    padded[9 * 32] = 0xff;
    assert_eq!(decode_log(&topics, &padded), decode_log(&topics, &data));

    assert_eq!(
        decode_log(&topics, &data[..287]),
        Err(LogError::Truncated {
            event: "NewServiceNodeV2",
            minimum: 288,
            actual: 287
        })
    );
    let (topics10, data10) = registration(10);
    assert!(matches!(
        decode_log(&topics10, &data10),
        Ok(Some(L2Event::NewServiceNode(n))) if n.contributors.len() == 10
    ));
}

#[test]
fn fixed_size_events_and_ignored_ones() {
    assert_eq!(decode_log(&[], &[]), Err(LogError::NoTopics));
    assert_eq!(
        decode_log(&[topics::SERVICE_NODE_EXIT_REQUEST], &[0; 95]),
        Err(LogError::Length {
            event: "ServiceNodeExitRequest",
            expected: 96,
            actual: 95
        })
    );
    assert_eq!(
        decode_log(&[topics::SERVICE_NODE_EXIT], &[0; 160]),
        Err(LogError::Length {
            event: "ServiceNodeExit",
            expected: 128,
            actual: 160
        })
    );
    let mut exit = [0u8; 128];
    exit[32] = 1;
    assert_eq!(
        decode_log(&[topics::SERVICE_NODE_EXIT], &exit),
        Err(LogError::TooLarge {
            event: "ServiceNodeExit",
            field: "returnedAmount"
        })
    );
    let mut requirement = word(20_000_000_000_000);
    assert_eq!(
        decode_log(&[topics::STAKING_REQUIREMENT_UPDATED], &requirement),
        Ok(Some(L2Event::StakingRequirementUpdated {
            staking_requirement: 20_000_000_000_000
        }))
    );
    requirement[0] = 1;
    assert_eq!(
        decode_log(&[topics::STAKING_REQUIREMENT_UPDATED], &requirement),
        Err(LogError::TooLarge {
            event: "StakingRequirementUpdated",
            field: "newRequirement"
        })
    );
    // Liquidations and seeded nodes are not acted on, whatever their data.
    for topic in [
        topics::SERVICE_NODE_LIQUIDATED,
        topics::NEW_SEEDED_SERVICE_NODE,
        [0; 32],
    ] {
        assert_eq!(decode_log(&[topic], &[1, 2, 3]), Ok(None));
    }
    assert_eq!(
        LogError::Fee { fee: 10_001 }.to_string(),
        "NewServiceNodeV2: fee 10001 is above 10000 basis points"
    );
}

#[test]
fn node_list_rules() {
    let nodes = [
        ContractNode {
            id: 7,
            bls_public_key: BlsPublicKeyBytes([7; 64]),
        },
        ContractNode {
            id: 9,
            bls_public_key: BlsPublicKeyBytes([9; 64]),
        },
    ];
    let data = encode_node_list(&nodes);
    assert_eq!(
        decode_all_service_node_ids(&data[..63]),
        Err(NodeListError::Truncated { part: "head" })
    );
    let mut bad = data.clone();
    bad[3] = 1;
    assert_eq!(
        decode_all_service_node_ids(&bad),
        Err(NodeListError::TooLarge {
            field: "ids offset"
        })
    );
    let mut bad = data.clone();
    bad[32 + 30] = 1; // keys offset 416, past the end
    assert_eq!(
        decode_all_service_node_ids(&bad),
        Err(NodeListError::Truncated {
            part: "keys length"
        })
    );
    let mut bad = data.clone();
    bad[64 + 31] = 3; // three ids, two keys
    assert_eq!(
        decode_all_service_node_ids(&bad),
        Err(NodeListError::CountMismatch { ids: 3, keys: 2 })
    );
    let mut bad = data.clone();
    bad[96 + 8] = 1; // the first id does not fit u64
    assert_eq!(
        decode_all_service_node_ids(&bad),
        Err(NodeListError::TooLarge { field: "id" })
    );
    assert_eq!(
        decode_all_service_node_ids(&data[..data.len() - 1]),
        Err(NodeListError::Entries {
            part: "keys",
            count: 2,
            available: 127
        })
    );
    // A count whose entries cannot be present allocates nothing and fails.
    let mut huge = data.clone();
    huge[64 + 24..64 + 32].copy_from_slice(&u64::MAX.to_be_bytes());
    let keys_len = 64 + 32 + 64;
    huge[keys_len + 24..keys_len + 32].copy_from_slice(&u64::MAX.to_be_bytes());
    assert_eq!(
        decode_all_service_node_ids(&huge),
        Err(NodeListError::Entries {
            part: "ids",
            count: u64::MAX,
            available: 224
        })
    );
    // Both offsets may name the same array, as oxend does not check: the ids are then the
    // first words of the keys.
    let mut key = [0x44u8; 64];
    key[..32].copy_from_slice(&word(5));
    let mut overlapping = [word(64), word(64), word(1)].concat();
    overlapping.extend(key);
    assert_eq!(
        decode_all_service_node_ids(&overlapping),
        Ok(vec![ContractNode {
            id: 5,
            bls_public_key: BlsPublicKeyBytes(key)
        }])
    );
    // oxend's offset arithmetic wraps at 2^63 bytes.
    let mut wrapped = data.clone();
    wrapped[24] = 0x80;
    assert_eq!(decode_all_service_node_ids(&wrapped), Ok(nodes.to_vec()));
}

#[test]
fn purges_follow_oxend() {
    let contract = [
        ContractNode {
            id: 1,
            bls_public_key: BlsPublicKeyBytes([1; 64]),
        },
        ContractNode {
            id: 2,
            bls_public_key: BlsPublicKeyBytes([2; 64]),
        },
    ];
    let (a, b, c) = (
        BlsPublicKeyBytes([1; 64]),
        BlsPublicKeyBytes([3; 64]),
        BlsPublicKeyBytes([4; 64]),
    );
    let registered = [(&a, 100), (&b, 100), (&c, 1_000)];
    // b is missing and old enough; c is missing but too young; a is in the contract.
    assert_eq!(
        purges(&contract, registered, 1_000 + PURGE_MIN_AGE, PURGE_MIN_AGE),
        vec![b]
    );
    assert_eq!(
        purges(&contract, registered, 1_001 + PURGE_MIN_AGE, PURGE_MIN_AGE),
        vec![b, c]
    );
    // An empty contract list is a failed fetch: nothing is purged.
    assert!(purges(&[], registered, u64::MAX, PURGE_MIN_AGE).is_empty());
}

/// Keys decode as the log carries them, valid or not, exactly as oxend keeps them; parsing one
/// is a separate step that can fail.
#[test]
fn keys_decode_unchecked_and_parse_on_request() {
    let (topics, data) = registration(1);
    let Ok(Some(L2Event::NewServiceNode(node))) = decode_log(&topics, &data) else {
        panic!("a valid registration log");
    };
    assert_eq!(node.bls_public_key, BlsPublicKeyBytes([3; 64]));
    assert_eq!(
        node.bls_public_key.to_public_key(),
        Err(PointError::NotOnCurve { what: "public key" })
    );

    let zero = L2Event::ExitRequest {
        bls_public_key: BlsPublicKeyBytes([0; 64]),
    };
    let (topics, data) = encode(&zero, 1, &EthAddress([1; 20]));
    assert_eq!(decode_log(&topics, &data), Ok(Some(zero)));
    assert_eq!(
        BlsPublicKeyBytes([0; 64]).to_public_key(),
        Err(PointError::ZeroPublicKey)
    );

    let key = BlsSecretKey::from_bytes(&[5; 32]).public_key();
    let exit = L2Event::Exit {
        bls_public_key: key.into(),
        returned_amount: 7,
    };
    let (topics, data) = encode(&exit, 1, &EthAddress([1; 20]));
    let Ok(Some(L2Event::Exit { bls_public_key, .. })) = decode_log(&topics, &data) else {
        panic!("a valid exit log");
    };
    assert_eq!(bls_public_key.as_bytes(), &key.to_bytes());
    assert_eq!(bls_public_key.to_public_key(), Ok(key));
    assert_eq!(bls_public_key.to_string(), key.to_string());
}
