//! Bencoded uptime proofs of HF20 (BLS key and proof of possession) and HF21 (Ed25519 only, L2
//! height): encoded here as oxend encodes them, accepted, and refused for each rule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ed25519_dalek::{Signer, SigningKey};
use proptest::prelude::*;
use session_core::{Ed25519Signature, Network};
use session_staking::HardFork;
use session_staking::QuorumError;
use session_staking::bls::{BlsSecretKey, Domain, uptime_proof_message};
use session_staking::crypto::{SecretKey, SignedItem, keccak256};
use session_staking::uptime::{
    ProofSignatures, minimum_versions, parse_bt_uptime_proof, verify_bt_uptime_proof,
};

const NOW: u64 = 1_750_000_000;

struct Fields {
    bls: Option<([u8; 64], [u8; 128])>,
    ip: &'static str,
    l2: Option<u64>,
    pk: Option<[u8; 32]>,
    pke: [u8; 32],
    q: u16,
    t: u64,
    v: [u16; 3],
}

fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend(format!("{}:", b.len()).as_bytes());
    out.extend(b);
}

fn int(out: &mut Vec<u8>, v: u64) {
    out.extend(format!("i{v}e").as_bytes());
}

fn version(out: &mut Vec<u8>, v: [u16; 3]) {
    out.push(b'l');
    for x in v {
        int(out, x.into());
    }
    out.push(b'e');
}

/// oxend's `bt_encode_uptime_proof`: keys in ASCII order.
fn encode(f: &Fields) -> Vec<u8> {
    let mut o = vec![b'd'];
    if let Some((bk, bp)) = &f.bls {
        bytes(&mut o, b"bk");
        bytes(&mut o, bk);
        bytes(&mut o, b"bp");
        bytes(&mut o, bp);
    }
    bytes(&mut o, b"ip");
    bytes(&mut o, f.ip.as_bytes());
    if let Some(l2) = f.l2 {
        bytes(&mut o, b"l2");
        int(&mut o, l2);
    }
    bytes(&mut o, b"lv");
    version(&mut o, [0, 9, 11]);
    if let Some(pk) = &f.pk {
        bytes(&mut o, b"pk");
        bytes(&mut o, pk);
    }
    bytes(&mut o, b"pke");
    bytes(&mut o, &f.pke);
    bytes(&mut o, b"q");
    int(&mut o, f.q.into());
    bytes(&mut o, b"shp");
    int(&mut o, 22021);
    bytes(&mut o, b"sop");
    int(&mut o, 22020);
    bytes(&mut o, b"sv");
    version(&mut o, [2, 10, 0]);
    bytes(&mut o, b"t");
    int(&mut o, f.t);
    bytes(&mut o, b"v");
    version(&mut o, f.v);
    o.push(b'e');
    o
}

fn ed_key() -> SigningKey {
    SigningKey::from_bytes(&[5; 32])
}

fn hf21_fields() -> Fields {
    Fields {
        bls: None,
        ip: "1.2.3.4",
        l2: Some(300_000_000),
        pk: None,
        pke: ed_key().verifying_key().to_bytes(),
        q: 22025,
        t: NOW,
        v: [11, 0, 6],
    }
}

fn ed_sign(serialized: &[u8]) -> Ed25519Signature {
    Ed25519Signature::from_bytes(ed_key().sign(&keccak256(serialized)).to_bytes())
}

fn check_hf21(f: &Fields) -> Result<(), QuorumError> {
    let serialized = encode(f);
    let proof = parse_bt_uptime_proof(HardFork::Hf21, Network::Mainnet, &serialized)?;
    let sigs = ProofSignatures {
        signature: None,
        signature_ed25519: ed_sign(&serialized),
    };
    verify_bt_uptime_proof(
        &proof,
        &sigs,
        HardFork::Hf21,
        2,
        Network::Mainnet,
        &Domain::MAINNET,
        NOW,
    )
}

#[test]
fn an_hf21_proof_is_ed25519_only_with_the_l2_height() {
    let f = hf21_fields();
    let serialized = encode(&f);
    let proof = parse_bt_uptime_proof(HardFork::Hf21, Network::Mainnet, &serialized).unwrap();
    assert_eq!(proof.hash, keccak256(&serialized));
    assert_eq!(proof.l2_height, Some(300_000_000));
    assert_eq!(proof.public_ip, [1, 2, 3, 4]);
    // Without `pk` the primary key is the Ed25519 key.
    assert_eq!(proof.pubkey.0, f.pke);
    assert_eq!(
        (
            proof.qnet_port,
            proof.storage_https_port,
            proof.storage_omq_port
        ),
        (22025, 22021, 22020)
    );
    assert_eq!(
        (
            proof.version,
            proof.storage_server_version,
            proof.lokinet_version
        ),
        ([11, 0, 6], [2, 10, 0], [0, 9, 11])
    );
    assert_eq!(proof.bls_public_key, None);
    assert_eq!(check_hf21(&f), Ok(()));
}

#[test]
fn hf21_proofs_oxend_refuses() {
    let field = |field| Err(QuorumError::ProofField { field });
    // The L2 height is required and non-zero.
    assert_eq!(
        check_hf21(&Fields {
            l2: None,
            ..hf21_fields()
        }),
        field("l2")
    );
    assert_eq!(
        check_hf21(&Fields {
            l2: Some(0),
            ..hf21_fields()
        }),
        field("l2")
    );
    assert_eq!(
        check_hf21(&Fields {
            ip: "0.0.0.0",
            ..hf21_fields()
        }),
        field("ip")
    );
    assert_eq!(
        check_hf21(&Fields {
            ip: "1.2.3",
            ..hf21_fields()
        }),
        field("ip")
    );
    assert_eq!(
        check_hf21(&Fields {
            ip: "1.2.3.256",
            ..hf21_fields()
        }),
        field("ip")
    );
    assert_eq!(
        check_hf21(&Fields {
            q: 0,
            ..hf21_fields()
        }),
        Err(QuorumError::ProofQuorumnetPortZero)
    );
    assert_eq!(
        check_hf21(&Fields {
            ip: "10.0.0.1",
            ..hf21_fields()
        }),
        Err(QuorumError::ProofIpNotPublic { ip: [10, 0, 0, 1] })
    );
    assert_eq!(
        check_hf21(&Fields {
            t: NOW - 301,
            ..hf21_fields()
        }),
        Err(QuorumError::ProofTimestamp {
            timestamp: NOW - 301,
            now: NOW
        })
    );
    assert_eq!(
        check_hf21(&Fields {
            v: [11, 0, 5],
            ..hf21_fields()
        }),
        Err(QuorumError::ProofVersionTooOld {
            version: [11, 0, 5],
            minimum: [11, 0, 6]
        })
    );
    // From HF21 a separate primary key is refused.
    assert_eq!(
        check_hf21(&Fields {
            pk: Some([9; 32]),
            ..hf21_fields()
        }),
        Err(QuorumError::ProofKeysDiffer)
    );
    // A signature over other bytes.
    let f = hf21_fields();
    let serialized = encode(&f);
    let proof = parse_bt_uptime_proof(HardFork::Hf21, Network::Mainnet, &serialized).unwrap();
    let sigs = ProofSignatures {
        signature: None,
        signature_ed25519: ed_sign(b"something else"),
    };
    assert_eq!(
        verify_bt_uptime_proof(
            &proof,
            &sigs,
            HardFork::Hf21,
            2,
            Network::Mainnet,
            &Domain::MAINNET,
            NOW
        ),
        Err(QuorumError::InvalidSignature {
            what: SignedItem::UptimeProofEd25519
        })
    );
    assert_eq!(
        parse_bt_uptime_proof(HardFork::Hf21, Network::Mainnet, b"le").map(|_| ()),
        field("dictionary")
    );
}

#[test]
fn an_hf20_proof_carries_the_bls_key_and_its_proof_of_possession() {
    let primary = SecretKey::from_seed(b"primary");
    let bls = BlsSecretKey::from_bytes(&[3; 32]);
    let domain = Domain::TESTNET;
    let pk = primary.public_key().0;
    let pop = bls.sign(
        &domain.for_uptime_proofs(),
        &uptime_proof_message(&bls.public_key(), &primary.public_key()),
    );
    let fields = |pop: [u8; 128]| Fields {
        bls: Some((bls.public_key().to_bytes(), pop)),
        l2: None,
        pk: Some(pk),
        v: [10, 6, 0],
        ..hf21_fields()
    };
    let check = |f: &Fields| {
        let serialized = encode(f);
        let proof = parse_bt_uptime_proof(HardFork::Hf20, Network::Testnet, &serialized)?;
        let sigs = ProofSignatures {
            signature: Some(primary.sign(&keccak256(&serialized))),
            signature_ed25519: ed_sign(&serialized),
        };
        verify_bt_uptime_proof(
            &proof,
            &sigs,
            HardFork::Hf20,
            0,
            Network::Testnet,
            &domain,
            NOW,
        )
        .map(|()| proof)
    };
    let proof = check(&fields(pop.to_bytes())).unwrap();
    assert_eq!(proof.bls_public_key, Some(bls.public_key().to_bytes()));
    assert_eq!(proof.l2_height, None);
    assert_eq!(proof.pubkey.0, pk);
    // The proof of possession must sign `bk ‖ primary key` under the zero-address domain.
    let wrong_domain = bls.sign(
        &domain,
        &uptime_proof_message(&bls.public_key(), &primary.public_key()),
    );
    assert_eq!(
        check(&fields(wrong_domain.to_bytes())).map(|_| ()),
        Err(QuorumError::InvalidSignature {
            what: SignedItem::UptimeProofBls
        })
    );
    // Both BLS fields are required in HF20.
    assert_eq!(
        check(&Fields {
            bls: None,
            ..fields(pop.to_bytes())
        })
        .map(|_| ()),
        Err(QuorumError::ProofField { field: "bk" })
    );
    // The optional L2 height is read when present.
    let with_l2 = check(&Fields {
        l2: Some(7),
        ..fields(pop.to_bytes())
    })
    .unwrap();
    assert_eq!(with_l2.l2_height, Some(7));
    // Before HF21 the CryptoNote signature is required too.
    let f = fields(pop.to_bytes());
    let serialized = encode(&f);
    let proof = parse_bt_uptime_proof(HardFork::Hf20, Network::Testnet, &serialized).unwrap();
    let sigs = ProofSignatures {
        signature: None,
        signature_ed25519: ed_sign(&serialized),
    };
    assert_eq!(
        verify_bt_uptime_proof(
            &proof,
            &sigs,
            HardFork::Hf20,
            0,
            Network::Testnet,
            &domain,
            NOW
        ),
        Err(QuorumError::InvalidSignature {
            what: SignedItem::UptimeProof
        })
    );
}

#[test]
fn minimum_versions_follow_the_hard_fork_revision() {
    assert_eq!(minimum_versions(HardFork::Hf19, 5), None);
    assert_eq!(minimum_versions(HardFork::Hf19, 6).unwrap()[0], [10, 6, 0]);
    assert_eq!(minimum_versions(HardFork::Hf20, 0).unwrap()[0], [10, 6, 0]);
    assert_eq!(minimum_versions(HardFork::Hf21, 1).unwrap()[0], [10, 6, 0]);
    assert_eq!(
        minimum_versions(HardFork::Hf21, 2).unwrap(),
        [[11, 0, 6], [0, 9, 11], [2, 8, 0]]
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        for hf in [HardFork::Hf19, HardFork::Hf20, HardFork::Hf21] {
            let _ = parse_bt_uptime_proof(hf, Network::Localdev, &data);
        }
    }

    #[test]
    fn any_changed_byte_breaks_the_signature(index in 0usize..200, bit in 0u8..8) {
        let f = hf21_fields();
        let serialized = encode(&f);
        let sig = ed_sign(&serialized);
        let mut tampered = serialized.clone();
        let i = index % tampered.len();
        tampered[i] ^= 1 << bit;
        if let Ok(proof) = parse_bt_uptime_proof(HardFork::Hf21, Network::Mainnet, &tampered) {
            let sigs = ProofSignatures { signature: None, signature_ed25519: sig };
            prop_assert!(verify_bt_uptime_proof(
                &proof, &sigs, HardFork::Hf21, 2, Network::Mainnet, &Domain::MAINNET, NOW
            ).is_err());
        }
    }
}
