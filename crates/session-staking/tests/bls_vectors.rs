//! Every upstream value of the Session Network era (tests/data/session_network_upstream.json):
//! contract tags, expand_message_xmd, hash to field, mcl's Fp2 square root, G1 sums, oxend's
//! keys and signatures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::Value;
use session_staking::bls::{
    BlsPublicKey, BlsSecretKey, BlsSignature, Domain, TagKind, aggregate_public_keys, hash_to_g2,
    hazmat,
};
use session_staking::l2;
use sha3::{Digest, Keccak256};

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/session_network_upstream.json")).unwrap()
}

fn hex_array<const N: usize>(s: &str) -> [u8; N] {
    hex::decode(s).unwrap().try_into().unwrap()
}

/// A decimal string as a 32-byte big-endian integer.
fn decimal(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for digit in s.bytes() {
        let mut carry = u32::from(digit - b'0');
        for byte in out.iter_mut().rev() {
            let v = u32::from(*byte) * 10 + carry;
            *byte = v as u8;
            carry = v >> 8;
        }
        assert_eq!(carry, 0, "{s} does not fit 256 bits");
    }
    out
}

fn upstream(what: &str) -> Vec<Value> {
    vectors()["upstream"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["what"].as_str().unwrap().starts_with(what))
        .cloned()
        .collect()
}

fn domain_of(net: &Value) -> Domain {
    Domain::new(
        net["chain_id"].as_u64().unwrap(),
        hex_array(net["contract"].as_str().unwrap()),
    )
}

#[test]
fn network_tags() {
    let v = vectors();
    for (name, constant) in [("mainnet", Domain::MAINNET), ("testnet", Domain::TESTNET)] {
        let net = &v["networks"][name];
        assert_eq!(domain_of(net), constant, "{name}");
        for (key, kind) in [
            ("pop", TagKind::ProofOfPossession),
            ("reward", TagKind::Reward),
            ("exit", TagKind::Exit),
            ("liquidate", TagKind::Liquidate),
            ("hash_to_g2", TagKind::HashToG2),
        ] {
            let expected: [u8; 32] = hex_array(net["tags"][key].as_str().unwrap());
            assert_eq!(constant.tag(kind), expected, "{name} {key}");
        }
    }
}

#[test]
fn expand_message_xmd() {
    let cases = upstream("expandMessageXMDKeccak256");
    assert_eq!(cases.len(), 1);
    for case in cases {
        let message = case["input"]["message_utf8"].as_str().unwrap();
        let dst = hex_array(case["input"]["dst"].as_str().unwrap());
        let out = hazmat::expand_message_xmd_keccak256(message.as_bytes(), &dst);
        let expected: Vec<u8> = case["expected"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| hex::decode(b.as_str().unwrap()).unwrap())
            .collect();
        assert_eq!(out.as_slice(), expected.as_slice());
    }
}

#[test]
fn hash_to_field() {
    let cases = upstream("hashToField");
    assert_eq!(cases.len(), 1);
    for case in cases {
        let message = case["input"]["message_utf8"].as_str().unwrap();
        let dst = hex_array(case["input"]["dst"].as_str().unwrap());
        let (u0, u1, negative) = hazmat::hash_to_field(message.as_bytes(), &dst);
        let e = case["expected"].as_array().unwrap();
        assert_eq!(u0, decimal(e[0].as_str().unwrap()));
        assert_eq!(u1, decimal(e[1].as_str().unwrap()));
        assert_eq!(negative, e[2].as_bool().unwrap());
    }
}

#[test]
fn fq2_sqrt_picks_mcls_root() {
    let cases = upstream("FQ2Sqrt");
    assert_eq!(cases.len(), 3);
    for case in cases {
        let i = case["input"].as_array().unwrap();
        let e = case["expected"].as_array().unwrap();
        let root = hazmat::fq2_sqrt(
            &decimal(i[0].as_str().unwrap()),
            &decimal(i[1].as_str().unwrap()),
        );
        assert_eq!(
            root,
            Some((
                decimal(e[0].as_str().unwrap()),
                decimal(e[1].as_str().unwrap())
            ))
        );
    }
}

fn g1(x: &str, y: &str) -> BlsPublicKey {
    let mut bytes = [0u8; 64];
    bytes[..32].copy_from_slice(&decimal(x));
    bytes[32..].copy_from_slice(&decimal(y));
    BlsPublicKey::from_bytes(&bytes).unwrap()
}

#[test]
fn g1_sums() {
    let cases = upstream("G1 add");
    assert_eq!(cases.len(), 1);
    for case in cases {
        let i = case["input"].as_array().unwrap();
        let points: Vec<BlsPublicKey> = i
            .iter()
            .map(|p| g1(p[0].as_str().unwrap(), p[1].as_str().unwrap()))
            .collect();
        let e = case["expected"].as_array().unwrap();
        let expected = g1(e[0].as_str().unwrap(), e[1].as_str().unwrap());
        assert_eq!(aggregate_public_keys(&points), expected);
    }

    let cases = upstream("aggregatePubkey");
    assert_eq!(cases.len(), 1);
    for case in cases {
        let keys: Vec<BlsPublicKey> = case["input"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| BlsPublicKey::from_bytes(&hex_array(k.as_str().unwrap())).unwrap())
            .collect();
        let expected: [u8; 64] = hex_array(case["expected"].as_str().unwrap());
        assert_eq!(aggregate_public_keys(&keys).to_bytes(), expected);
    }
}

#[test]
fn oxend_public_key() {
    let cases = upstream("get_pubkey");
    assert_eq!(cases.len(), 1);
    for case in cases {
        let sk = BlsSecretKey::from_bytes(&hex_array(case["input"].as_str().unwrap()));
        let expected: [u8; 64] = hex_array(case["expected"].as_str().unwrap());
        assert_eq!(sk.public_key().to_bytes(), expected);
    }
}

#[test]
fn oxend_message_hashes() {
    let cases = upstream("keccak256(");
    assert_eq!(cases.len(), 2);
    for case in cases {
        let hash: [u8; 32] = Keccak256::digest(case["input"].as_str().unwrap().as_bytes()).into();
        assert_eq!(hash, hex_array::<32>(case["expected"].as_str().unwrap()));
    }
}

#[test]
fn oxend_signatures() {
    let cases = upstream("eth::sign");
    assert_eq!(cases.len(), 3);
    for case in &cases {
        let input = &case["input"];
        let domain = Domain::new(
            input["chain_id"].as_u64().unwrap(),
            hex_array(input["contract"].as_str().unwrap()),
        );
        assert_eq!(
            domain.tag(TagKind::HashToG2),
            hex_array::<32>(input["hash_to_g2_dst"].as_str().unwrap())
        );
        let sk = BlsSecretKey::from_bytes(&hex_array(input["secret"].as_str().unwrap()));
        let message = hex::decode(input["message"].as_str().unwrap()).unwrap();
        let expected: [u8; 128] = hex_array(case["expected"].as_str().unwrap());
        let signature = sk.sign(&domain, &message);
        assert_eq!(signature.to_bytes(), expected);
        assert_eq!(BlsSignature::from_bytes(&expected).unwrap(), signature);
        assert!(sk.public_key().verify(&domain, &message, &signature));
        // The hash to G2 is the signature of the secret 1.
        let one = BlsSecretKey::from_bytes(&{
            let mut b = [0u8; 32];
            b[31] = 1;
            b
        });
        assert_eq!(
            hash_to_g2(&domain, &message),
            one.sign(&domain, &message).to_bytes()
        );
    }

    // sig1 is the first case: mainnet chain, zero contract, keccak("hello world!").
    let sig1 = &cases[0];
    let domain = Domain::new(42161, [0; 20]);
    let sk = BlsSecretKey::from_bytes(&hex_array(sig1["input"]["secret"].as_str().unwrap()));
    let pk = sk.public_key();
    let message = hex::decode(sig1["input"]["message"].as_str().unwrap()).unwrap();
    let signature =
        BlsSignature::from_bytes(&hex_array(sig1["expected"].as_str().unwrap())).unwrap();

    let tampered = upstream("sig1 with byte 127");
    assert_eq!(tampered.len(), 1);
    let bytes: [u8; 128] = hex_array(tampered[0]["input"].as_str().unwrap());
    assert!(!tampered[0]["expected"].as_bool().unwrap());
    let accepted = BlsSignature::from_bytes(&bytes)
        .map(|s| pk.verify(&domain, &message, &s))
        .unwrap_or(false);
    assert!(!accepted);
    // A flipped low bit of Y.c1 leaves the point off the curve: the decoder says so.
    assert!(BlsSignature::from_bytes(&bytes).is_err());

    let other = upstream("sig1 must not verify");
    assert_eq!(other.len(), 1);
    let other_message = hex::decode(other[0]["input"].as_str().unwrap()).unwrap();
    assert!(!other[0]["expected"].as_bool().unwrap());
    assert!(!pk.verify(&domain, &other_message, &signature));
}

#[test]
fn function_selectors() {
    let cases = upstream("function selector");
    assert_eq!(cases.len(), 3);
    for case in cases {
        let signature = case["input"].as_str().unwrap();
        let expected: [u8; 4] = hex_array(case["expected"].as_str().unwrap());
        assert_eq!(l2::function_selector(signature), expected, "{signature}");
        let constant = match signature {
            "rewardRate()" => l2::selectors::REWARD_RATE,
            "serviceNodes(uint64)" => l2::selectors::SERVICE_NODES,
            "allServiceNodeIDs()" => l2::selectors::ALL_SERVICE_NODE_IDS,
            other => panic!("no constant for {other}"),
        };
        assert_eq!(constant, expected, "{signature}");
    }
}

#[test]
fn event_topics() {
    let v = vectors();
    let topics = v["l2_topic0"].as_object().unwrap();
    assert_eq!(topics.len(), 6);
    for (name, value) in topics {
        let expected: [u8; 32] = hex_array(value.as_str().unwrap());
        let (signature, constant) = match name.as_str() {
            "NewServiceNodeV2" => (
                "NewServiceNodeV2(uint64,address,(uint256,uint256),(uint256,uint256,uint256,uint16),((address,address),uint256)[])",
                l2::topics::NEW_SERVICE_NODE_V2,
            ),
            "ServiceNodeExitRequest" => (
                "ServiceNodeExitRequest(uint64,address,(uint256,uint256))",
                l2::topics::SERVICE_NODE_EXIT_REQUEST,
            ),
            "ServiceNodeExit" => (
                "ServiceNodeExit(uint64,address,uint256,(uint256,uint256))",
                l2::topics::SERVICE_NODE_EXIT,
            ),
            "StakingRequirementUpdated" => (
                "StakingRequirementUpdated(uint256)",
                l2::topics::STAKING_REQUIREMENT_UPDATED,
            ),
            "ServiceNodeLiquidated" => (
                "ServiceNodeLiquidated(uint64,address,(uint256,uint256))",
                l2::topics::SERVICE_NODE_LIQUIDATED,
            ),
            "NewSeededServiceNode" => (
                "NewSeededServiceNode(uint64,(uint256,uint256),uint256)",
                l2::topics::NEW_SEEDED_SERVICE_NODE,
            ),
            other => panic!("no constant for {other}"),
        };
        assert_eq!(constant, expected, "{name}");
        assert_eq!(l2::event_topic(signature), expected, "{name}");
    }
}

#[test]
fn every_upstream_value_is_covered() {
    // Each "what" prefix above, with its count: a new vector in the file fails here until a
    // test asserts it.
    let covered = [
        ("expandMessageXMDKeccak256", 1),
        ("hashToField", 1),
        ("FQ2Sqrt", 3),
        ("G1 add", 1),
        ("aggregatePubkey", 1),
        ("function selector", 3),
        ("get_pubkey", 1),
        ("keccak256(", 2),
        ("eth::sign", 3),
        ("sig1 with byte 127", 1),
        ("sig1 must not verify", 1),
    ];
    let total: usize = covered.iter().map(|(_, n)| n).sum();
    assert_eq!(vectors()["upstream"].as_array().unwrap().len(), total);
    for (what, n) in covered {
        assert_eq!(upstream(what).len(), n, "{what}");
    }
}
