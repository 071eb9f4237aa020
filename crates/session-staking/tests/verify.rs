//! Registrations, stakes, unlocks, votes and uptime proofs built by a test signer: they verify,
//! and every tampering is rejected with the right error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{Wallet, registration, stake_tx};
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use ed25519_dalek::{Signer, SigningKey};
use session_core::{Ed25519PublicKey, Ed25519Signature, Network, X25519PublicKey};
use session_staking::bls::{BlsPublicKey, BlsSecretKey};
use session_staking::crypto::rct::{EcdhInfo, RctType};
use session_staking::crypto::{
    KeyImage, PublicKey, SecretKey, Signature, SignedItem, check_key_image_signature,
    check_signature,
};
use session_staking::stake::{OutputRejection, StakeOutputs, StakeProof, TxOutput};
use session_staking::tx_extra::{KeyImageUnlock, NewState, StateChange, TxExtra, Vote};
use session_staking::unlock::{UNLOCK_NONCE, stake_unlock_hash, verify_unlock};
use session_staking::uptime::{UptimeProof, uptime_proof_hash, verify_uptime_proof};
use session_staking::vote::{state_change_vote_hash, verify_state_change};
use session_staking::{
    COIN, ConsensusError, Error, HardFork, QuorumError, VerifyError, validate_registration,
    verify_ethereum_registration, verify_registration, verify_stake,
};

const REQ: u64 = 15_000 * COIN;
const HEIGHT: u64 = 1_100_000;

fn outputs(tx: &common::StakeTx) -> StakeOutputs<'_> {
    StakeOutputs {
        outputs: &tx.outputs,
        rct_type: tx.rct_type,
        ecdh_info: &tx.ecdh,
        commitments: &tx.commitments,
    }
}

/// ℓ, the group order, little-endian.
const ELL: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// The same scalar value written non-canonically (s + ℓ), when that still fits in 256 bits.
fn plus_ell(s: [u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let v = u16::from(s[i]) + u16::from(ELL[i]) + carry;
        out[i] = v as u8;
        carry = v >> 8;
    }
    out
}

#[test]
fn registration_and_stake_from_the_test_signer_verify_end_to_end() {
    let sn = SecretKey::from_seed(b"sn key");
    let operator = Wallet::new("operator");
    let friend = Wallet::new("friend");
    let reg = registration(
        &sn,
        &[(&operator, 10_000 * COIN), (&friend, 5_000 * COIN)],
        1_000,
        19,
    );
    // The operator stakes 10,000 with change back to itself (no proof for the change).
    let tx = stake_tx(
        "operator stake",
        &operator,
        &[(&operator, 10_000 * COIN), (&friend, 3 * COIN)],
        RctType::Clsag,
        0,
    );
    let mut fields = TxExtra::default();
    fields.tx_pubkey = Some(tx.tx_pubkey);
    fields.sn_pubkey = Some(sn.public_key());
    fields.registration = Some(reg.clone());
    fields.contributor = Some(operator.address());
    fields.tx_secret_key = Some(tx.tx_secret_key);
    fields.key_image_proofs = Some(tx.proofs.clone());
    let extra = fields.encode().unwrap();
    let parsed = TxExtra::parse(&extra).unwrap();
    assert_eq!(parsed.registration.as_ref(), Some(&reg));
    assert_eq!(parsed.tx_pubkey, Some(tx.tx_pubkey));
    let sn_key = parsed.sn_pubkey.unwrap();

    let verified = verify_registration(
        parsed.registration.as_ref().unwrap(),
        &sn_key,
        HardFork::Hf19,
    )
    .unwrap();
    assert_eq!(verified.service_node_key, sn.public_key());
    assert_eq!(verified.terms.reserved.len(), 2);
    assert_eq!(verified.terms.reserved[1].address, friend.address());
    let validated = validate_registration(&reg, &sn_key, HardFork::Hf19, REQ, 0).unwrap();
    assert_eq!(validated, verified);

    let proof = StakeProof::from_extra(&parsed).unwrap();
    let locked = verify_stake(
        &outputs(&tx),
        &proof,
        Network::Mainnet,
        HardFork::Hf19,
        HEIGHT,
    )
    .unwrap();
    assert_eq!(locked.total, 10_000 * COIN);
    assert_eq!(locked.contributions.len(), 1);
    let c = locked.contributions[0];
    assert_eq!(c.output_index, 0);
    assert_eq!(c.amount, 10_000 * COIN);
    assert_eq!(c.one_time_key, tx.outputs[0].key.unwrap());
    assert_eq!(c.key_image, Some(tx.proofs.0[0].key_image));
    // The output to the friend decodes only with the friend's address, so here it is foreign.
    assert_eq!(
        locked.rejected,
        vec![(1, OutputRejection::AmountNotDecoded)]
    );
}

#[test]
fn every_decodable_rct_type_stakes() {
    let staker = Wallet::new("staker");
    for (rct, amount) in [
        (RctType::Full, 7 * COIN),
        (RctType::Simple, 8 * COIN),
        (RctType::Bulletproof, 9 * COIN),
        (RctType::Bulletproof2, 10 * COIN),
        (RctType::Clsag, 11 * COIN),
    ] {
        let tx = stake_tx("types", &staker, &[(&staker, amount), (&staker, 1)], rct, 0);
        let proof = StakeProof {
            tx_secret_key: tx.tx_secret_key,
            contributor: staker.address(),
            key_image_proofs: tx.proofs.clone(),
        };
        let locked = verify_stake(
            &outputs(&tx),
            &proof,
            Network::Mainnet,
            HardFork::Hf14,
            HEIGHT,
        )
        .unwrap();
        assert_eq!(locked.total, amount + 1, "{rct:?}");
        assert_eq!(locked.contributions.len(), 2);
        assert!(locked.rejected.is_empty());
    }
}

fn stake_error(
    tx: &common::StakeTx,
    proof: &StakeProof,
    hf: HardFork,
) -> Vec<(usize, OutputRejection)> {
    match verify_stake(&outputs(tx), proof, Network::Mainnet, hf, HEIGHT) {
        Err(VerifyError::NothingStaked { rejected }) => rejected,
        other => panic!("expected NothingStaked, got {other:?}"),
    }
}

fn simple_stake(rct: RctType) -> (Wallet, common::StakeTx, StakeProof) {
    let staker = Wallet::new("alice");
    let tx = stake_tx("alice stake", &staker, &[(&staker, 5_000 * COIN)], rct, 0);
    let proof = StakeProof {
        tx_secret_key: tx.tx_secret_key,
        contributor: staker.address(),
        key_image_proofs: tx.proofs.clone(),
    };
    (staker, tx, proof)
}

#[test]
fn tampered_amounts_are_rejected() {
    for rct in [RctType::Clsag, RctType::Simple] {
        let (_, mut tx, proof) = simple_stake(rct);
        match &mut tx.ecdh[0] {
            EcdhInfo::V2 { amount } => amount[0] ^= 1,
            EcdhInfo::V1 { amount, .. } => amount[0] ^= 1,
        }
        assert_eq!(
            stake_error(&tx, &proof, HardFork::Hf19),
            vec![(0, OutputRejection::AmountNotDecoded)]
        );
        // A commitment to another amount fails the same way.
        let (_, mut tx, proof) = simple_stake(rct);
        tx.commitments[0] = (EdwardsPoint::mul_base(&Scalar::from(3u8)))
            .compress()
            .to_bytes();
        assert_eq!(
            stake_error(&tx, &proof, HardFork::Hf19),
            vec![(0, OutputRejection::AmountNotDecoded)]
        );
    }
}

#[test]
fn a_wrong_tx_secret_key_decodes_nothing() {
    let (_, tx, mut proof) = simple_stake(RctType::Clsag);
    proof.tx_secret_key.0[0] ^= 1;
    assert_eq!(
        stake_error(&tx, &proof, HardFork::Hf19),
        vec![(0, OutputRejection::AmountNotDecoded)]
    );
}

#[test]
fn output_to_another_address_is_not_the_contributors() {
    // Bob is paid, but Alice's spend key is claimed with Bob's view key: amounts decode, the
    // one-time key does not match.
    let alice = Wallet::new("alice");
    let bob = Wallet::new("bob");
    let tx = stake_tx("bob paid", &bob, &[(&bob, 5_000 * COIN)], RctType::Clsag, 0);
    let mut claimed = bob.address();
    claimed.spend = alice.address().spend;
    let proof = StakeProof {
        tx_secret_key: tx.tx_secret_key,
        contributor: claimed,
        key_image_proofs: tx.proofs.clone(),
    };
    assert_eq!(
        stake_error(&tx, &proof, HardFork::Hf19),
        vec![(0, OutputRejection::NotContributorsOutput)]
    );
}

#[test]
fn each_key_image_proof_locks_one_output() {
    let staker = Wallet::new("carol");
    let tx = stake_tx(
        "two",
        &staker,
        &[(&staker, 4_000 * COIN), (&staker, 2_000 * COIN)],
        RctType::Clsag,
        0,
    );
    assert_eq!(tx.proofs.0.len(), 2);
    // Reusing output 0's proof for output 1 does not lock output 1.
    let mut proofs = tx.proofs.clone();
    proofs.0[1] = proofs.0[0];
    let proof = StakeProof {
        tx_secret_key: tx.tx_secret_key,
        contributor: staker.address(),
        key_image_proofs: proofs,
    };
    let locked = verify_stake(
        &outputs(&tx),
        &proof,
        Network::Mainnet,
        HardFork::Hf19,
        HEIGHT,
    )
    .unwrap();
    assert_eq!(locked.total, 4_000 * COIN);
    assert_eq!(locked.rejected, vec![(1, OutputRejection::NoKeyImageProof)]);
    // No proofs at all: nothing locked from HF11.
    let bare = StakeProof {
        key_image_proofs: Default::default(),
        ..proof
    };
    assert_eq!(
        stake_error(&tx, &bare, HardFork::Hf11),
        vec![
            (0, OutputRejection::NoKeyImageProof),
            (1, OutputRejection::NoKeyImageProof)
        ]
    );
}

#[test]
fn key_image_proof_rejections() {
    let (_, tx, proof) = simple_stake(RctType::Clsag);
    let key = tx.outputs[0].key.unwrap();
    let p = proof.key_image_proofs.0[0];
    assert!(check_key_image_signature(&p.key_image, &key, &p.signature));
    // Non-canonical c or r (same value + ℓ).
    let mut sig = p.signature;
    sig.c = plus_ell(sig.c);
    assert!(!check_key_image_signature(&p.key_image, &key, &sig));
    let mut sig = p.signature;
    sig.r = plus_ell(sig.r);
    assert!(!check_key_image_signature(&p.key_image, &key, &sig));
    // Off-curve key image, identity key image, another key image, another key.
    let mut off = p.key_image;
    off.0 = [0xff; 32];
    off.0[31] = 0x7f;
    assert!(!check_key_image_signature(&off, &key, &p.signature));
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert!(!check_key_image_signature(
        &KeyImage(identity),
        &key,
        &p.signature
    ));
    let other = SecretKey::from_seed(b"other").key_image();
    assert!(!check_key_image_signature(&other, &key, &p.signature));
    assert!(!check_key_image_signature(
        &p.key_image,
        &SecretKey::from_seed(b"x").public_key(),
        &p.signature
    ));
}

#[test]
fn pre_hf11_stakes_are_time_locked() {
    let staker = Wallet::new("dave");
    let lock = session_staking::requirement::staking_lock_blocks(Network::Mainnet);
    let height = 150_000;
    let tx = stake_tx(
        "old",
        &staker,
        &[(&staker, 9 * COIN)],
        RctType::Bulletproof,
        height + lock,
    );
    let proof = StakeProof {
        tx_secret_key: tx.tx_secret_key,
        contributor: staker.address(),
        key_image_proofs: Default::default(),
    };
    let locked = verify_stake(
        &outputs(&tx),
        &proof,
        Network::Mainnet,
        HardFork::Hf10,
        height,
    )
    .unwrap();
    assert_eq!(locked.total, 9 * COIN);
    assert_eq!(locked.contributions[0].key_image, None);
    // One block short of the lock period: rejected (the wrong fork's rules for a key-image stake).
    let tx = stake_tx(
        "old",
        &staker,
        &[(&staker, 9 * COIN)],
        RctType::Bulletproof,
        height + lock - 1,
    );
    assert_eq!(
        verify_stake(
            &outputs(&tx),
            &proof,
            Network::Mainnet,
            HardFork::Hf10,
            height
        ),
        Err(VerifyError::NothingStaked {
            rejected: vec![(
                0,
                OutputRejection::UnlockTimeTooEarly {
                    unlock_time: height + lock - 1,
                    minimum: height + lock
                }
            )]
        })
    );
}

#[test]
fn stake_shape_errors_are_precise() {
    let (staker, tx, proof) = simple_stake(RctType::Clsag);
    let short = StakeOutputs {
        commitments: &[],
        ..outputs(&tx)
    };
    assert_eq!(
        verify_stake(&short, &proof, Network::Mainnet, HardFork::Hf19, HEIGHT),
        Err(VerifyError::StakeListsMismatch {
            outputs: 1,
            ecdh: 1,
            commitments: 0
        })
    );
    let null = StakeOutputs {
        rct_type: RctType::Null,
        ..outputs(&tx)
    };
    assert_eq!(
        verify_stake(&null, &proof, Network::Mainnet, HardFork::Hf19, HEIGHT),
        Err(VerifyError::UnsupportedRctType { rct_type: 0 })
    );
    let v1 = StakeOutputs {
        rct_type: RctType::Simple,
        ..outputs(&tx)
    };
    assert_eq!(
        verify_stake(&v1, &proof, Network::Mainnet, HardFork::Hf19, HEIGHT),
        Err(VerifyError::EcdhVersionMismatch {
            index: 0,
            rct_type: 2
        })
    );
    let mut bad_view = proof.clone();
    bad_view.contributor.view = PublicKey([0xff; 32]);
    assert_eq!(
        verify_stake(
            &outputs(&tx),
            &bad_view,
            Network::Mainnet,
            HardFork::Hf19,
            HEIGHT
        ),
        Err(VerifyError::InvalidKey {
            field: "contributor view key"
        })
    );
    let not_key = [TxOutput {
        key: None,
        unlock_time: 0,
    }];
    let o = StakeOutputs {
        outputs: &not_key,
        ..outputs(&tx)
    };
    assert_eq!(
        stake_error_of(&o, &proof),
        vec![(0, OutputRejection::NotToKey)]
    );
    drop(staker);
}

fn stake_error_of(o: &StakeOutputs<'_>, proof: &StakeProof) -> Vec<(usize, OutputRejection)> {
    match verify_stake(o, proof, Network::Mainnet, HardFork::Hf19, HEIGHT) {
        Err(VerifyError::NothingStaked { rejected }) => rejected,
        other => panic!("{other:?}"),
    }
}

#[test]
fn zero_amount_outputs_are_skipped() {
    let staker = Wallet::new("erin");
    let tx = stake_tx("zero", &staker, &[(&staker, 0)], RctType::Clsag, 0);
    let proof = StakeProof {
        tx_secret_key: tx.tx_secret_key,
        contributor: staker.address(),
        key_image_proofs: tx.proofs.clone(),
    };
    assert_eq!(
        stake_error(&tx, &proof, HardFork::Hf19),
        vec![(0, OutputRejection::ZeroAmount)]
    );
}

#[test]
fn registration_signature_rejections() {
    let sn = SecretKey::from_seed(b"sn");
    let op = Wallet::new("op");
    let reg = registration(&sn, &[(&op, REQ)], 0, 19);
    let key = sn.public_key();
    assert!(verify_registration(&reg, &key, HardFork::Hf19).is_ok());
    let bad_sig = Err(VerifyError::InvalidSignature {
        what: SignedItem::Registration,
    });

    // Wrong message: any change to the signed fields.
    let mut changed = reg.clone();
    changed.fee = 1;
    assert_eq!(
        verify_registration(&changed, &key, HardFork::Hf19).map(|_| ()),
        bad_sig
    );
    let mut changed = reg.clone();
    changed.amounts[0] -= 1;
    assert_eq!(
        verify_registration(&changed, &key, HardFork::Hf19).map(|_| ()),
        bad_sig
    );
    // Another key.
    let other = SecretKey::from_seed(b"other").public_key();
    assert_eq!(
        verify_registration(&reg, &other, HardFork::Hf19).map(|_| ()),
        bad_sig
    );
    // Non-canonical c, non-canonical r, zero c.
    for tweak in [0, 1, 2] {
        let mut r = reg.clone();
        match tweak {
            0 => r.signature.c = plus_ell(r.signature.c),
            1 => r.signature.r = plus_ell(r.signature.r),
            _ => r.signature.c = [0; 32],
        }
        assert_eq!(
            verify_registration(&r, &key, HardFork::Hf19).map(|_| ()),
            bad_sig,
            "tweak {tweak}"
        );
    }
    // Off-curve key, non-canonical y, negative zero.
    let mut off = [0xffu8; 32];
    off[31] = 0x7f;
    let mut neg_zero = [0u8; 32];
    neg_zero[0] = 1;
    neg_zero[31] = 0x80;
    for bytes in [[2u8; 32], off, neg_zero] {
        let bad = PublicKey(bytes);
        assert!(!check_signature(&[0; 32], &bad, &reg.signature));
        assert_eq!(
            verify_registration(&reg, &bad, HardFork::Hf19).map(|_| ()),
            Err(VerifyError::InvalidKey {
                field: "service node key"
            })
        );
    }
    // The identity as the commitment X = c·P + r·G is refused: r = -c·x.
    let c = Scalar::from(5u8);
    let x = Scalar::from_bytes_mod_order(*sn.to_bytes());
    let forged = Signature {
        c: c.to_bytes(),
        r: (-(c * x)).to_bytes(),
    };
    assert!(!check_signature(&[0; 32], &key, &forged));
    // List lengths.
    let mut r = reg.clone();
    r.view_keys.clear();
    assert_eq!(
        verify_registration(&r, &key, HardFork::Hf19).map(|_| ()),
        Err(VerifyError::RegistrationListsMismatch {
            spend_keys: 1,
            view_keys: 0,
            amounts: 1
        })
    );
    // Wrong hard fork for the scheme.
    assert_eq!(
        verify_registration(&reg, &key, HardFork::Hf21).map(|_| ()),
        Err(VerifyError::WrongSignatureScheme {
            scheme: "CryptoNote",
            hard_fork: 21
        })
    );
}

#[test]
fn validate_registration_reports_every_failing_rule() {
    let sn = SecretKey::from_seed(b"sn");
    let op = Wallet::new("op");
    // Portions format in HF19 is refused, and the signature is for another key.
    let reg = registration(
        &sn,
        &[(&op, session_staking::STAKING_PORTIONS)],
        0,
        1_600_000_000,
    );
    let other = SecretKey::from_seed(b"not the sn").public_key();
    let errors = validate_registration(&reg, &other, HardFork::Hf19, REQ, 0).unwrap_err();
    assert_eq!(
        errors,
        vec![
            Error::Verify(VerifyError::InvalidSignature {
                what: SignedItem::Registration
            }),
            Error::Consensus(ConsensusError::PortionsNotAllowed { hard_fork: 19 }),
        ]
    );
    // The same registration in HF18 with the right key is fine, and expired after its time.
    assert!(validate_registration(&reg, &sn.public_key(), HardFork::Hf18, REQ, 0).is_ok());
    assert_eq!(
        validate_registration(&reg, &sn.public_key(), HardFork::Hf18, REQ, 1_600_000_001)
            .unwrap_err(),
        vec![Error::Consensus(ConsensusError::RegistrationExpired {
            expiration: 1_600_000_000,
            block_timestamp: 1_600_000_001
        })]
    );
    // An operator stake below a quarter, with mismatched lists.
    let mut small = registration(&sn, &[(&op, REQ / 5)], 0, 19);
    small.view_keys.push(op.view.public_key());
    let errors =
        validate_registration(&small, &sn.public_key(), HardFork::Hf19, REQ, 0).unwrap_err();
    assert_eq!(
        errors[0],
        Error::Verify(VerifyError::RegistrationListsMismatch {
            spend_keys: 1,
            view_keys: 2,
            amounts: 1
        })
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        matches!(
            errors[1],
            Error::Consensus(ConsensusError::StakeBelowMinimum { index: 0, .. })
        ),
        "{errors:?}"
    );
}

#[test]
fn hf21_registrations_use_ed25519() {
    let signing = SigningKey::from_bytes(&[7; 32]);
    let pk = Ed25519PublicKey::from_bytes(signing.verifying_key().to_bytes());
    let bls = BlsSecretKey::from_bytes(&[9; 32]).public_key();
    let mut msg = pk.as_bytes().to_vec();
    msg.extend_from_slice(&bls.to_bytes());
    let sig = Ed25519Signature::from(signing.sign(&msg).to_bytes());
    assert_eq!(
        verify_ethereum_registration(&pk, &bls, &sig, HardFork::Hf21),
        Ok(())
    );
    // The signature covers the BLS key: another node's key does not verify with it.
    let other_bls = BlsSecretKey::from_bytes(&[10; 32]).public_key();
    assert_ne!(other_bls, bls);
    assert_eq!(
        verify_ethereum_registration(&pk, &other_bls, &sig, HardFork::Hf21),
        Err(VerifyError::InvalidSignature {
            what: SignedItem::Registration
        })
    );
    assert_eq!(
        verify_ethereum_registration(&pk, &bls, &sig, HardFork::Hf19),
        Err(VerifyError::WrongSignatureScheme {
            scheme: "Ed25519",
            hard_fork: 19
        })
    );
    // A key that is not a curve point is named as such, not as a bad signature.
    let not_a_point = (0..=255u8)
        .map(|b| [b; 32])
        .find(|k| ed25519_dalek::VerifyingKey::from_bytes(k).is_err())
        .map(Ed25519PublicKey::from_bytes)
        .unwrap();
    assert_eq!(
        verify_ethereum_registration(&not_a_point, &bls, &sig, HardFork::Hf21),
        Err(VerifyError::InvalidKey {
            field: "service node Ed25519 key"
        })
    );
}

/// The signed message is the key's 64-byte encoding exactly as the log carries it: a
/// signature made over the bytes verifies against the key parsed from them.
#[test]
fn hf21_registration_signs_the_encoded_bls_key() {
    let signing = SigningKey::from_bytes(&[8; 32]);
    let pk = Ed25519PublicKey::from_bytes(signing.verifying_key().to_bytes());
    let encoded = BlsSecretKey::from_bytes(&[0xff; 32])
        .public_key()
        .to_bytes();
    let mut msg = pk.as_bytes().to_vec();
    msg.extend_from_slice(&encoded);
    let sig = Ed25519Signature::from(signing.sign(&msg).to_bytes());
    let parsed = BlsPublicKey::from_bytes(&encoded).unwrap();
    assert_eq!(parsed.to_bytes(), encoded);
    assert_eq!(
        verify_ethereum_registration(&pk, &parsed, &sig, HardFork::Hf21),
        Ok(())
    );
}

#[test]
fn unlock_requests() {
    let (staker, tx, proof) = simple_stake(RctType::Clsag);
    let r = SecretKey::from_bytes(&proof.tx_secret_key.0).unwrap();
    let d = staker.view.key_derivation(&r.public_key()).unwrap();
    let x = staker.spend.derive_output_key(&d, 0);
    let key = tx.outputs[0].key.unwrap();
    let unlock = KeyImageUnlock {
        key_image: proof.key_image_proofs.0[0].key_image,
        signature: x.sign(&stake_unlock_hash(UNLOCK_NONCE)),
        nonce: UNLOCK_NONCE,
    };
    assert_eq!(
        &stake_unlock_hash(UNLOCK_NONCE),
        b"UNLKUNLKUNLKUNLKUNLKUNLKUNLKUNLK"
    );
    let verified = verify_unlock(&unlock, &key).unwrap();
    assert_eq!(verified.key_image, unlock.key_image);
    assert_eq!(verified.contribution_key, key);
    let bad = Err(VerifyError::InvalidSignature {
        what: SignedItem::KeyImageUnlock,
    });
    assert_eq!(
        verify_unlock(&KeyImageUnlock { nonce: 1, ..unlock }, &key),
        bad
    );
    assert_eq!(verify_unlock(&unlock, &staker.spend.public_key()), bad);
}

fn quorum() -> Vec<SecretKey> {
    (0..10u8)
        .map(|i| SecretKey::from_seed(&[b'v', i]))
        .collect()
}

fn signed_state_change(state: NewState, voters: &[u32], height: u64) -> StateChange {
    let keys = quorum();
    let hash = state_change_vote_hash(height, 3, state);
    StateChange {
        version: 4,
        state,
        block_height: height,
        service_node_index: 3,
        reason_consensus_all: 1,
        reason_consensus_any: 3,
        votes: voters
            .iter()
            .map(|&i| Vote {
                validator_index: i,
                signature: keys[i as usize].sign(&hash),
            })
            .collect(),
    }
}

#[test]
fn state_changes() {
    let validators: Vec<PublicKey> = quorum().iter().map(SecretKey::public_key).collect();
    let h = 1_000;
    let sc = signed_state_change(NewState::Decommission, &[0, 1, 2, 4, 5, 7, 9], h);
    // Round trip through tx_extra.
    let mut extra = TxExtra::default();
    extra.state_change = Some(sc.clone());
    let bytes = extra.encode().unwrap();
    assert_eq!(
        TxExtra::parse(&bytes).unwrap().state_change,
        Some(sc.clone())
    );
    let verified = verify_state_change(&sc, &validators, 50, h + 1, HardFork::Hf14).unwrap();
    assert_eq!(verified.state, NewState::Decommission);
    assert_eq!(verified.block_height, h);
    assert_eq!(verified.service_node_index, 3);
    assert_eq!(verified.voters, vec![0, 1, 2, 4, 5, 7, 9]);
    let ok =
        |sc: &StateChange, now, hf| verify_state_change(sc, &validators, 50, now, hf).map(|_| ());
    assert_eq!(ok(&sc, h + 1, HardFork::Hf14), Ok(()));
    assert_eq!(ok(&sc, h + 59, HardFork::Hf14), Ok(()));
    assert_eq!(
        ok(&sc, h + 60, HardFork::Hf14),
        Err(QuorumError::VoteExpired {
            quorum_height: h,
            current_height: h + 60
        })
    );
    assert_eq!(
        ok(&sc, h, HardFork::Hf14),
        Err(QuorumError::VoteExpired {
            quorum_height: h,
            current_height: h
        })
    );
    assert_eq!(
        ok(&sc, h + 1, HardFork::Hf11),
        Err(QuorumError::StateNotAllowed { state: 1 })
    );
    assert_eq!(ok(&sc, h + 1, HardFork::Hf12), Ok(()));
    assert_eq!(
        verify_state_change(&sc, &validators, 3, h + 1, HardFork::Hf14).map(|_| ()),
        Err(QuorumError::WorkerIndexOutOfRange {
            index: 3,
            workers: 3
        })
    );
    let six = signed_state_change(NewState::Decommission, &[0, 1, 2, 3, 4, 5], h);
    assert_eq!(
        ok(&six, h + 1, HardFork::Hf14),
        Err(QuorumError::VoteCount {
            votes: 6,
            min: 7,
            max: 10
        })
    );
    let unsorted = signed_state_change(NewState::Decommission, &[0, 2, 1, 3, 4, 5, 6], h);
    assert_eq!(
        ok(&unsorted, h + 1, HardFork::Hf14),
        Err(QuorumError::VotesNotAscending {
            vote: 2,
            index: 1,
            previous: 2
        })
    );
    // Before HF13 order is free, but a validator may not vote twice.
    assert_eq!(
        ok(
            &signed_state_change(NewState::Deregister, &[0, 2, 1, 3, 4, 5, 6], h),
            h + 1,
            HardFork::Hf12
        ),
        Ok(())
    );
    let twice = signed_state_change(NewState::Deregister, &[0, 1, 1, 3, 4, 5, 6], h);
    assert_eq!(
        ok(&twice, h + 1, HardFork::Hf12),
        Err(QuorumError::DuplicateVoter { index: 1 })
    );
    let mut out_of_range = sc.clone();
    out_of_range.votes[6].validator_index = 10;
    assert_eq!(
        ok(&out_of_range, h + 1, HardFork::Hf14),
        Err(QuorumError::ValidatorIndexOutOfRange {
            vote: 6,
            index: 10,
            quorum: 10
        })
    );
    // A vote signed for another state (the deregister hash omits the state bytes).
    let mut wrong = sc.clone();
    wrong.state = NewState::Recommission;
    assert_eq!(
        ok(&wrong, h + 1, HardFork::Hf14),
        Err(QuorumError::InvalidSignature {
            what: SignedItem::Vote { index: 0 }
        })
    );
    let mut swapped = sc.clone();
    swapped.votes[3].signature = swapped.votes[4].signature;
    assert_eq!(
        ok(&swapped, h + 1, HardFork::Hf14),
        Err(QuorumError::InvalidSignature {
            what: SignedItem::Vote { index: 3 }
        })
    );
}

fn uptime_proof(hf13: bool) -> (UptimeProof, SigningKey) {
    let sn = SecretKey::from_seed(b"uptime sn");
    let ed = SigningKey::from_bytes(&[3; 32]);
    let mut proof = UptimeProof {
        version: [6, 1, 4],
        timestamp: 1_581_292_800,
        pubkey: sn.public_key(),
        public_ip: [203, 0, 113, 7],
        storage_port: 22_021,
        qnet_port: 22_025,
        pubkey_ed25519: if hf13 {
            Ed25519PublicKey::from_bytes(ed.verifying_key().to_bytes())
        } else {
            Ed25519PublicKey::default()
        },
        signature: sn.sign(&[0; 32]),
        signature_ed25519: Ed25519Signature::from([0; 64]),
    };
    let hash = uptime_proof_hash(&proof);
    proof.signature = sn.sign(&hash);
    proof.signature_ed25519 = ed.sign(&hash).to_bytes().into();
    (proof, ed)
}

#[test]
fn uptime_proofs() {
    let (proof, ed) = uptime_proof(true);
    let now = proof.timestamp + 300;
    let verified = verify_uptime_proof(&proof, HardFork::Hf14, now).unwrap();
    assert_eq!(verified.pubkey, proof.pubkey);
    assert_eq!(
        verified.pubkey_ed25519.map(Ed25519PublicKey::to_bytes),
        Some(ed.verifying_key().to_bytes())
    );
    assert_eq!(
        verified.pubkey_x25519.map(X25519PublicKey::to_bytes),
        Some(ed.verifying_key().to_montgomery().to_bytes())
    );
    assert_eq!(
        (
            verified.public_ip,
            verified.storage_port,
            verified.qnet_port,
            verified.version,
            verified.timestamp
        ),
        (
            proof.public_ip,
            proof.storage_port,
            proof.qnet_port,
            proof.version,
            proof.timestamp
        )
    );
    let uptime = |p: &UptimeProof, hf, now| verify_uptime_proof(p, hf, now).map(|_| ());
    assert_eq!(
        uptime(&proof, HardFork::Hf14, now + 1),
        Err(QuorumError::ProofTimestamp {
            timestamp: proof.timestamp,
            now: now + 1
        })
    );
    let old = UptimeProof {
        version: [6, 0, 9],
        ..proof.clone()
    };
    assert_eq!(
        uptime(&old, HardFork::Hf14, now),
        Err(QuorumError::ProofVersionTooOld {
            version: [6, 0, 9],
            minimum: [6, 1, 0]
        })
    );
    for ip in [
        [10, 1, 2, 3],
        [172, 16, 0, 1],
        [192, 168, 1, 1],
        [100, 64, 0, 1],
        [169, 254, 1, 1],
        [127, 0, 0, 1],
        [0, 1, 2, 3],
        [224, 0, 0, 1],
        [250, 1, 1, 1],
    ] {
        let p = UptimeProof {
            public_ip: ip,
            ..proof.clone()
        };
        assert_eq!(
            uptime(&p, HardFork::Hf14, now),
            Err(QuorumError::ProofIpNotPublic { ip })
        );
    }
    // Any signed field changed breaks the CryptoNote signature first.
    let moved = UptimeProof {
        storage_port: 1,
        ..proof.clone()
    };
    assert_eq!(
        uptime(&moved, HardFork::Hf14, now),
        Err(QuorumError::InvalidSignature {
            what: SignedItem::UptimeProof
        })
    );
    let mut bad_ed = proof.clone();
    let mut flipped = bad_ed.signature_ed25519.to_bytes();
    flipped[0] ^= 1;
    bad_ed.signature_ed25519 = flipped.into();
    assert_eq!(
        uptime(&bad_ed, HardFork::Hf14, now),
        Err(QuorumError::InvalidSignature {
            what: SignedItem::UptimeProofEd25519
        })
    );
    let (no_ed, _) = uptime_proof(false);
    assert_eq!(
        uptime(&no_ed, HardFork::Hf13, now),
        Err(QuorumError::ProofEd25519KeyMissing)
    );
    // Before HF13 the Ed25519 key is not required.
    assert_eq!(uptime(&no_ed, HardFork::Hf12, now), Ok(()));
    // qnet port 0 is refused from HF14 only (the proof must be re-signed to get that far).
    let sn = SecretKey::from_seed(b"uptime sn");
    let (mut zero_port, ed) = uptime_proof(true);
    zero_port.qnet_port = 0;
    let hash = uptime_proof_hash(&zero_port);
    zero_port.signature = sn.sign(&hash);
    zero_port.signature_ed25519 = ed.sign(&hash).to_bytes().into();
    assert_eq!(
        uptime(&zero_port, HardFork::Hf14, now),
        Err(QuorumError::ProofQuorumnetPortZero)
    );
    assert_eq!(uptime(&zero_port, HardFork::Hf13, now), Ok(()));
}

#[test]
fn debug_forms_show_public_bytes_and_hide_secrets() {
    let sig = Signature {
        c: [0xab; 32],
        r: [0x01; 32],
    };
    assert_eq!(
        format!("{sig:?}"),
        format!("Signature({}{})", "ab".repeat(32), "01".repeat(32))
    );
    assert_eq!(
        format!("{:?}", PublicKey([0x0f; 32])),
        format!("PublicKey({})", "0f".repeat(32))
    );
    assert_eq!(
        format!("{:?}", KeyImage([0xee; 32])),
        format!("KeyImage({})", "ee".repeat(32))
    );
    let secret = SecretKey::from_seed(b"secret");
    assert_eq!(format!("{secret:?}"), "SecretKey(<redacted>)");
    assert_eq!(secret, SecretKey::from_bytes(&secret.to_bytes()).unwrap());
    assert_ne!(secret, SecretKey::from_seed(b"other"));
    assert_eq!(Signature::from_bytes(&sig.to_bytes()), sig);
}

#[test]
fn error_messages_name_the_item() {
    let msg = |what| VerifyError::InvalidSignature { what }.to_string();
    assert_eq!(
        msg(SignedItem::Registration),
        "invalid signature: registration"
    );
    assert_eq!(
        msg(SignedItem::KeyImageUnlock),
        "invalid signature: key image unlock"
    );
    assert_eq!(
        msg(SignedItem::Vote { index: 3 }),
        "invalid signature: vote 3"
    );
    assert_eq!(
        msg(SignedItem::UptimeProof),
        "invalid signature: uptime proof"
    );
    assert_eq!(
        msg(SignedItem::UptimeProofEd25519),
        "invalid signature: uptime proof (Ed25519)"
    );
    let rejected = vec![
        (0, OutputRejection::NotToKey),
        (1, OutputRejection::AmountNotDecoded),
        (2, OutputRejection::ZeroAmount),
        (3, OutputRejection::NotContributorsOutput),
        (4, OutputRejection::NoKeyImageProof),
        (
            5,
            OutputRejection::UnlockTimeTooEarly {
                unlock_time: 7,
                minimum: 9,
            },
        ),
    ];
    let texts: Vec<String> = rejected.iter().map(|(_, r)| r.to_string()).collect();
    assert_eq!(
        texts,
        [
            "not a to-key output",
            "amount does not open the commitment",
            "zero amount",
            "does not pay the contributor's address",
            "no key-image proof",
            "unlock time 7 below 9",
        ]
    );
    assert_eq!(
        VerifyError::NothingStaked { rejected }.to_string(),
        "no output locks a stake (6 outputs rejected)"
    );
}
