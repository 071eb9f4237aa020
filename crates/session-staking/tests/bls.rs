//! BLS properties: sign/verify round trips, tampering of any bit, aggregates with and without
//! non-signers, the encodings' refusals, whole registrations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ark_bn254::{Fq, Fq2, G2Affine, g2};
use ark_ec::models::short_weierstrass::SWCurveConfig;
use ark_ff::{BigInteger, Field, PrimeField};
use ed25519_dalek::{Signer, SigningKey};
use proptest::prelude::*;
use session_core::{Ed25519PublicKey, Ed25519Signature};
use session_staking::bls::{
    BlsPublicKey, BlsSecretKey, BlsSignature, Domain, EthAddress, MAX_NON_SIGNERS_CONTRACT,
    MAX_NON_SIGNERS_OXEND, PointError, Registration, RegistrationError, aggregate_public_keys,
    exit_message, hash_to_g2, hazmat, liquidation_message, non_signer_limit,
    proof_of_possession_message, reward_claim_message, signers_key, verify_aggregate,
    verify_aggregate_with_limit, verify_registration,
};

fn config() -> ProptestConfig {
    // Each case hashes to G2 and computes pairings: a few dozen cases cover the bit positions
    // without making the test suite slow in debug builds.
    ProptestConfig::with_cases(24)
}

fn secret(seed: u8) -> BlsSecretKey {
    BlsSecretKey::from_bytes(&[seed; 32])
}

/// A verification that also counts a refused encoding as a failure.
fn accepts(pk: &[u8; 64], domain: &Domain, message: &[u8], sig: &[u8; 128]) -> bool {
    match (BlsPublicKey::from_bytes(pk), BlsSignature::from_bytes(sig)) {
        (Ok(pk), Ok(sig)) => pk.verify(domain, message, &sig),
        _ => false,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sign_verify_round_trip(sk in any::<[u8; 32]>(), message in proptest::collection::vec(any::<u8>(), 0..200)) {
        let sk = BlsSecretKey::from_bytes(&sk);
        let pk = sk.public_key();
        let sig = sk.sign(&Domain::MAINNET, &message);
        prop_assert!(pk.verify(&Domain::MAINNET, &message, &sig));
        prop_assert_eq!(BlsPublicKey::from_bytes(&pk.to_bytes()).unwrap(), pk);
        prop_assert_eq!(BlsSignature::from_bytes(&sig.to_bytes()).unwrap(), sig);
        // Bound to its domain.
        prop_assert!(!pk.verify(&Domain::TESTNET, &message, &sig));
        // The bare pairing check says the same with either domain's hash.
        for (domain, expected) in [(Domain::MAINNET, true), (Domain::TESTNET, false)] {
            let hashed = BlsSignature::from_bytes(&hash_to_g2(&domain, &message)).unwrap();
            prop_assert_eq!(hazmat::pairing_check(&pk, &hashed, &sig), expected);
        }
    }

    #[test]
    fn any_flipped_bit_fails(
        sk in any::<[u8; 32]>(),
        message in proptest::collection::vec(any::<u8>(), 1..100),
        which in 0usize..3,
        bit in any::<usize>(),
    ) {
        let sk = BlsSecretKey::from_bytes(&sk);
        let domain = Domain::TESTNET;
        let mut pk = sk.public_key().to_bytes();
        let mut sig = sk.sign(&domain, &message).to_bytes();
        let mut message = message;
        match which {
            0 => pk[bit / 8 % 64] ^= 1 << (bit % 8),
            1 => { let i = bit / 8 % message.len(); message[i] ^= 1 << (bit % 8) }
            _ => sig[bit / 8 % 128] ^= 1 << (bit % 8),
        }
        prop_assert!(!accepts(&pk, &domain, &message, &sig));
    }

    #[test]
    fn secret_keys_reduce_mod_r(mut sk in any::<[u8; 32]>()) {
        // sk and sk + r are the same key. Below 2^254, sk + r still fits 256 bits.
        sk[0] &= 0x3f;
        let r = ark_bn254::Fr::MODULUS;
        let mut value = ark_ff::BigInt::<4>::zero_from_be(&sk);
        let carry = value.add_with_carry(&r);
        prop_assert!(!carry);
        let mut shifted = [0u8; 32];
        shifted.copy_from_slice(&value.to_bytes_be());
        prop_assert_eq!(BlsSecretKey::from_bytes(&shifted), BlsSecretKey::from_bytes(&sk));
    }
}

/// `BigInt` from 32 big-endian bytes (the test's own helper; no reduction).
trait FromBe {
    fn zero_from_be(bytes: &[u8; 32]) -> Self;
}

impl FromBe for ark_ff::BigInt<4> {
    fn zero_from_be(bytes: &[u8; 32]) -> Self {
        let mut limbs = [0u64; 4];
        for (i, chunk) in bytes.chunks_exact(8).enumerate() {
            limbs[3 - i] = u64::from_be_bytes(chunk.try_into().unwrap());
        }
        ark_ff::BigInt::new(limbs)
    }
}

#[test]
fn aggregates_with_and_without_non_signers() {
    let domain = Domain::MAINNET;
    let secrets: Vec<BlsSecretKey> = (1..=12).map(secret).collect();
    let keys: Vec<BlsPublicKey> = secrets.iter().map(BlsSecretKey::public_key).collect();
    let total = aggregate_public_keys(&keys);
    let message = reward_claim_message(&domain, &EthAddress([7; 20]), 123_456_789);

    // Everyone signs.
    let all = BlsSignature::aggregate(secrets.iter().map(|s| s.sign(&domain, &message)));
    assert!(verify_aggregate(&total, &[], &domain, &message, &all));
    assert!(!verify_aggregate(
        &total,
        &keys[..1],
        &domain,
        &message,
        &all
    ));

    // Nodes 3, 7 and 8 do not sign.
    let missing = [3, 7, 8];
    let signed = BlsSignature::aggregate(
        secrets
            .iter()
            .enumerate()
            .filter(|(i, _)| !missing.contains(i))
            .map(|(_, s)| s.sign(&domain, &message)),
    );
    let non_signers: Vec<BlsPublicKey> = missing.iter().map(|&i| keys[i]).collect();
    assert!(verify_aggregate(
        &total,
        &non_signers,
        &domain,
        &message,
        &signed
    ));
    assert!(!verify_aggregate(
        &total,
        &non_signers[..2],
        &domain,
        &message,
        &signed
    ));
    assert!(!verify_aggregate(&total, &[], &domain, &message, &signed));
    let wrong = [keys[3], keys[7], keys[9]];
    assert!(!verify_aggregate(
        &total, &wrong, &domain, &message, &signed
    ));
    // The order of keys does not matter; the signers' key is the sum of theirs.
    let signers: Vec<BlsPublicKey> = keys
        .iter()
        .enumerate()
        .filter(|(i, _)| !missing.contains(i))
        .map(|(_, k)| *k)
        .collect();
    assert_eq!(
        signers_key(&total, &non_signers),
        aggregate_public_keys(&signers)
    );
    assert!(aggregate_public_keys(signers.iter().rev()).verify(&domain, &message, &signed));

    // The limit: 3 non-signers of 12 nodes is within 12 / 3 = 4, not within 2.
    assert_eq!(non_signer_limit(12, MAX_NON_SIGNERS_CONTRACT), 4);
    assert_eq!(non_signer_limit(30_000, MAX_NON_SIGNERS_OXEND), 300);
    assert_eq!(non_signer_limit(30_000, MAX_NON_SIGNERS_CONTRACT), 4000);
    assert!(verify_aggregate_with_limit(
        &total,
        &non_signers,
        &domain,
        &message,
        &signed,
        3
    ));
    assert!(!verify_aggregate_with_limit(
        &total,
        &non_signers,
        &domain,
        &message,
        &signed,
        2
    ));
    let too_many = vec![keys[0]; MAX_NON_SIGNERS_CONTRACT + 1];
    assert!(!verify_aggregate(
        &total, &too_many, &domain, &message, &signed
    ));

    // Keys that cancel out leave the identity, which verifies nothing (not even the identity
    // signature, which satisfies the pairing equation).
    let zero_total = signers_key(&total, &keys);
    assert!(zero_total.is_identity());
    assert_eq!(zero_total.to_bytes(), [0; 64]);
    let zero_sig = BlsSignature::from_bytes(&[0; 128]).unwrap();
    assert!(!verify_aggregate(
        &total, &keys, &domain, &message, &zero_sig
    ));
    assert!(aggregate_public_keys(Vec::<BlsPublicKey>::new()).is_identity());
}

#[test]
fn signed_messages_are_laid_out_as_the_contract_packs_them() {
    let domain = Domain::TESTNET;
    let pk = secret(9).public_key();
    let operator = EthAddress([0xaa; 20]);
    let ed = Ed25519PublicKey::from_bytes([0x55; 32]);
    let pop = proof_of_possession_message(&domain, &pk, &operator, &ed);
    assert_eq!(
        pop[..32],
        domain.tag(session_staking::bls::TagKind::ProofOfPossession)
    );
    assert_eq!(pop[32..96], pk.to_bytes());
    assert_eq!(pop[96..116], [0xaa; 20]);
    assert_eq!(pop[116..], [0x55; 32]);

    let reward = reward_claim_message(&domain, &operator, 0x0102_0304_0506_0708);
    assert_eq!(
        reward[..32],
        domain.tag(session_staking::bls::TagKind::Reward)
    );
    assert_eq!(reward[32..52], [0xaa; 20]);
    assert_eq!(reward[52..76], [0; 24]);
    assert_eq!(reward[76..], [1, 2, 3, 4, 5, 6, 7, 8]);

    let exit = exit_message(&domain, &pk, 1_700_000_000);
    let liquidate = liquidation_message(&domain, &pk, 1_700_000_000);
    assert_eq!(exit[..32], domain.tag(session_staking::bls::TagKind::Exit));
    assert_eq!(
        liquidate[..32],
        domain.tag(session_staking::bls::TagKind::Liquidate)
    );
    assert_eq!(exit[32..], liquidate[32..]);
    assert_eq!(exit[32..96], pk.to_bytes());
    assert_eq!(exit[120..], 1_700_000_000u64.to_be_bytes());

    // A network exit signature verifies for the exit, never as a liquidation.
    let secrets: Vec<BlsSecretKey> = (20..24).map(secret).collect();
    let total = aggregate_public_keys(secrets.iter().map(BlsSecretKey::public_key));
    let sig = BlsSignature::aggregate(secrets.iter().map(|s| s.sign(&domain, &exit)));
    assert!(verify_aggregate(&total, &[], &domain, &exit, &sig));
    assert!(!verify_aggregate(&total, &[], &domain, &liquidate, &sig));
}

fn be(f: Fq) -> [u8; 32] {
    f.into_bigint().to_bytes_be().try_into().unwrap()
}

fn g2_bytes(p: &G2Affine) -> [u8; 128] {
    let mut out = [0u8; 128];
    for (i, c) in [p.x.c0, p.x.c1, p.y.c0, p.y.c1].into_iter().enumerate() {
        out[i * 32..][..32].copy_from_slice(&be(c));
    }
    out
}

#[test]
fn encodings_refuse_what_the_contract_refuses() {
    let p = ark_bn254::Fq::MODULUS.to_bytes_be();
    let pk = secret(1).public_key().to_bytes();

    let mut bad = pk;
    bad[..32].copy_from_slice(&p);
    assert_eq!(
        BlsPublicKey::from_bytes(&bad),
        Err(PointError::NonCanonical {
            what: "public key",
            coordinate: "X"
        })
    );
    let mut bad = pk;
    bad[32..].copy_from_slice(&p);
    assert_eq!(
        BlsPublicKey::from_bytes(&bad),
        Err(PointError::NonCanonical {
            what: "public key",
            coordinate: "Y"
        })
    );
    assert_eq!(
        BlsPublicKey::from_bytes(&[0; 64]),
        Err(PointError::ZeroPublicKey)
    );
    let mut bad = pk;
    bad[63] ^= 1;
    assert_eq!(
        BlsPublicKey::from_bytes(&bad),
        Err(PointError::NotOnCurve { what: "public key" })
    );
    assert_eq!(PointError::ZeroPublicKey.to_string(), "public key is zero");

    let sig = secret(1).sign(&Domain::MAINNET, b"m").to_bytes();
    for (i, name) in ["X.c0", "X.c1", "Y.c0", "Y.c1"].into_iter().enumerate() {
        let mut bad = sig;
        bad[i * 32..][..32].copy_from_slice(&p);
        assert_eq!(
            BlsSignature::from_bytes(&bad),
            Err(PointError::NonCanonical {
                what: "signature",
                coordinate: name
            })
        );
    }
    let mut bad = sig;
    bad[127] ^= 1;
    assert_eq!(
        BlsSignature::from_bytes(&bad),
        Err(PointError::NotOnCurve { what: "signature" })
    );

    // A point of the twist outside the order-r subgroup (the twist's cofactor is ~2^254).
    let outside = (1u64..)
        .find_map(|k| {
            let x = Fq2::new(Fq::from(k), Fq::from(1u64));
            let y = (x.square() * x + g2::Config::COEFF_B).sqrt()?;
            let p = G2Affine::new_unchecked(x, y);
            (!p.is_in_correct_subgroup_assuming_on_curve()).then_some(p)
        })
        .unwrap();
    assert!(outside.is_on_curve());
    assert_eq!(
        BlsSignature::from_bytes(&g2_bytes(&outside)),
        Err(PointError::NotInSubgroup)
    );
    assert_eq!(
        PointError::NotInSubgroup.to_string(),
        "signature: point is not in the prime-order subgroup"
    );
}

fn registration(
    domain: &Domain,
    bls: &BlsSecretKey,
    ed: &SigningKey,
    operator: EthAddress,
) -> Registration {
    let bls_public_key = bls.public_key();
    let service_node_key = Ed25519PublicKey::from_bytes(ed.verifying_key().to_bytes());
    let pop = proof_of_possession_message(domain, &bls_public_key, &operator, &service_node_key);
    let mut signed = [0u8; 96];
    signed[..32].copy_from_slice(service_node_key.as_bytes());
    signed[32..].copy_from_slice(&bls_public_key.to_bytes());
    Registration {
        bls_public_key,
        service_node_key,
        operator,
        proof_of_possession: bls.sign(domain, &pop),
        ed25519_signature: Ed25519Signature::from_bytes(ed.sign(&signed).to_bytes()),
    }
}

#[test]
fn whole_registrations() {
    let domain = Domain::MAINNET;
    let bls = secret(42);
    let ed = SigningKey::from_bytes(&[3; 32]);
    let operator = EthAddress([0x42; 20]);
    let reg = registration(&domain, &bls, &ed, operator);
    assert_eq!(verify_registration(&domain, &reg), Ok(()));
    // Another network's contract, another operator, another BLS key: the PoP fails.
    assert_eq!(
        verify_registration(&Domain::TESTNET, &reg),
        Err(RegistrationError::ProofOfPossession)
    );
    let other_operator = Registration {
        operator: EthAddress([0x43; 20]),
        ..reg
    };
    assert_eq!(
        verify_registration(&domain, &other_operator),
        Err(RegistrationError::ProofOfPossession)
    );
    // A different BLS key breaks the Ed25519 signature first (it signs the BLS key).
    let other_key = Registration {
        bls_public_key: secret(43).public_key(),
        ..reg
    };
    assert_eq!(
        verify_registration(&domain, &other_key),
        Err(RegistrationError::Ed25519Signature)
    );
    let mut flipped = reg.ed25519_signature.to_bytes();
    flipped[5] ^= 0x10;
    let bad_sig = Registration {
        ed25519_signature: Ed25519Signature::from_bytes(flipped),
        ..reg
    };
    assert_eq!(
        verify_registration(&domain, &bad_sig),
        Err(RegistrationError::Ed25519Signature)
    );
    // Not a point: y = 2 is not on the Edwards curve.
    let mut not_a_point = [0u8; 32];
    not_a_point[0] = 2;
    let bad_key = Registration {
        service_node_key: Ed25519PublicKey::from_bytes(not_a_point),
        ..reg
    };
    assert_eq!(
        verify_registration(&domain, &bad_key),
        Err(RegistrationError::Ed25519Key)
    );
    // A PoP signed by another BLS key over the right message.
    let stolen = Registration {
        proof_of_possession: secret(44).sign(
            &domain,
            &proof_of_possession_message(
                &domain,
                &reg.bls_public_key,
                &operator,
                &reg.service_node_key,
            ),
        ),
        ..reg
    };
    assert_eq!(
        verify_registration(&domain, &stolen),
        Err(RegistrationError::ProofOfPossession)
    );
}

#[test]
fn secret_keys_do_not_print() {
    let sk = secret(5);
    assert_eq!(format!("{sk:?}"), "BlsSecretKey { .. }");
    assert_eq!(sk, secret(5));
    assert_ne!(sk, secret(6));
}

#[test]
fn hf20_uptime_proof_possession() {
    // oxend's HF20 proofs: bls_pubkey ‖ service-node key, under the chain with a zero contract.
    let sk = secret(77);
    let sn_key = session_staking::crypto::PublicKey([0x31; 32]);
    let message = session_staking::bls::uptime_proof_message(&sk.public_key(), &sn_key);
    assert_eq!(message[..64], sk.public_key().to_bytes());
    assert_eq!(message[64..], sn_key.0);
    let domain = Domain::MAINNET.for_uptime_proofs();
    assert_eq!(domain, Domain::new(42161, [0; 20]));
    let pop = sk.sign(&domain, &message);
    assert!(sk.public_key().verify(&domain, &message, &pop));
    assert!(!sk.public_key().verify(&Domain::MAINNET, &message, &pop));
    let other = session_staking::bls::uptime_proof_message(
        &sk.public_key(),
        &session_staking::crypto::PublicKey([0x32; 32]),
    );
    assert!(!sk.public_key().verify(&domain, &other, &pop));
}
