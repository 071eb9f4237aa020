//! session-staking benchmarks: verifying a registration and a stake, per transaction.
//!
//! The transaction is what a whitepaper-era operator registration carries: a registration
//! (one CryptoNote signature), a stake of two CLSAG outputs (the stake and its change, each
//! decoded and its commitment checked) and one key-image proof. An Ed25519 verification runs
//! interleaved as the yardstick.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use session_core::Network;
use session_staking::crypto::rct::{RctType, commitment_mask_v2, encode_amount_v2};
use session_staking::crypto::{
    PublicKey, SecretKey, commit, derivation_to_scalar, derive_public_key,
};
use session_staking::stake::{StakeOutputs, StakeProof, TxOutput};
use session_staking::tx_extra::{
    Field, KeyImageProof, KeyImageProofs, Registration, TxExtra, TxSecretKey, encode_fields,
};
use session_staking::{
    COIN, ContributorAddress, HardFork, registration::registration_hash, validate_registration,
    verify_registration, verify_stake,
};

const REQ: u64 = 15_000 * COIN;

struct Fixture {
    extra: Vec<u8>,
    sn: PublicKey,
    outputs: Vec<TxOutput>,
    ecdh: Vec<session_staking::crypto::rct::EcdhInfo>,
    commitments: Vec<[u8; 32]>,
}

fn fixture() -> Fixture {
    let sn = SecretKey::from_seed(b"bench sn");
    let spend = SecretKey::from_seed(b"bench spend");
    let view = SecretKey::from_seed(b"bench view");
    let address = ContributorAddress {
        spend: spend.public_key(),
        view: view.public_key(),
    };
    let mut reg = Registration {
        spend_keys: vec![spend.public_key()],
        view_keys: vec![view.public_key()],
        fee: 100,
        amounts: vec![REQ],
        hf_or_expiration: 19,
        signature: sn.sign(&[0; 32]),
    };
    reg.signature = sn.sign(&registration_hash(&reg).unwrap());

    let r = SecretKey::from_seed(b"bench tx key");
    let d = r.key_derivation(&view.public_key()).unwrap();
    let (mut outputs, mut ecdh, mut commitments) = (Vec::new(), Vec::new(), Vec::new());
    for (i, amount) in [REQ, 3 * COIN].into_iter().enumerate() {
        let i = i as u64;
        let shared = derivation_to_scalar(&d, i);
        let key = derive_public_key(&d, i, &spend.public_key()).unwrap();
        outputs.push(TxOutput {
            key: Some(key),
            unlock_time: 0,
        });
        ecdh.push(encode_amount_v2(amount, &shared));
        commitments.push(
            commit(&commitment_mask_v2(&shared), &amount.into())
                .compress()
                .to_bytes(),
        );
    }
    let (key_image, signature) = spend.derive_output_key(&d, 0).key_image_proof();
    let proofs = KeyImageProofs(vec![KeyImageProof {
        key_image,
        signature,
    }]);

    // A registration transaction's staking fields.
    let e = encode_fields(&[
        Field::ServiceNodePubkey(sn.public_key()),
        Field::Registration(reg),
        Field::Contributor(address),
        Field::TxSecretKey(TxSecretKey(*r.to_bytes())),
        Field::KeyImageProofs(proofs),
    ])
    .unwrap();
    Fixture {
        extra: e,
        sn: sn.public_key(),
        outputs,
        ecdh,
        commitments,
    }
}

/// Parse, validate the registration, verify the stake: everything a verifier does per
/// registration transaction. Returns the locked amount.
fn verify_registration_tx(f: &Fixture) -> u64 {
    let extra = TxExtra::parse(&f.extra).unwrap();
    let sn = extra.sn_pubkey.unwrap();
    let reg = extra.registration.as_ref().unwrap();
    validate_registration(reg, &sn, HardFork::Hf19, REQ, 0).unwrap();
    let tx = StakeOutputs {
        outputs: &f.outputs,
        rct_type: RctType::Clsag,
        ecdh_info: &f.ecdh,
        commitments: &f.commitments,
    };
    let proof = StakeProof::from_extra(&extra).unwrap();
    verify_stake(&tx, &proof, Network::Mainnet, HardFork::Hf19, 1_100_000)
        .unwrap()
        .total
}

fn staking(c: &mut Criterion) {
    let f = fixture();
    assert_eq!(verify_registration_tx(&f), REQ);
    assert_eq!(f.extra.len(), 384);
    let extra = TxExtra::parse(&f.extra).unwrap();
    let reg = extra.registration.clone().unwrap();
    let proof = StakeProof::from_extra(&extra).unwrap();
    let tx = StakeOutputs {
        outputs: &f.outputs,
        rct_type: RctType::Clsag,
        ecdh_info: &f.ecdh,
        commitments: &f.commitments,
    };
    let ed = ed25519_yardstick();

    let mut g = c.benchmark_group("staking");
    // Interleaved: each sample of one function alternates with the others in one process.
    g.bench_function("ed25519_verify_yardstick", |b| {
        b.iter(|| ed.0.verify_strict(black_box(b"yardstick"), &ed.1).unwrap())
    });
    // The hand-written field arithmetic of Monero's hash-to-point, next to a curve operation.
    g.bench_function("hash_to_ec", |b| {
        b.iter(|| session_staking::crypto::hash_to_ec(black_box(&f.sn.0)))
    });
    g.bench_function("tx_extra_parse", |b| {
        b.iter(|| TxExtra::parse(black_box(&f.extra)).unwrap())
    });
    g.bench_function("registration_signature", |b| {
        b.iter(|| verify_registration(black_box(&reg), &f.sn, HardFork::Hf19).unwrap())
    });
    g.bench_function("stake_2_outputs_1_proof", |b| {
        b.iter(|| {
            verify_stake(
                black_box(&tx),
                &proof,
                Network::Mainnet,
                HardFork::Hf19,
                1_100_000,
            )
            .unwrap()
        })
    });
    g.bench_function("registration_tx_total", |b| {
        b.iter(|| verify_registration_tx(black_box(&f)))
    });
    g.finish();
}

fn ed25519_yardstick() -> (ed25519_dalek::VerifyingKey, ed25519_dalek::Signature) {
    use ed25519_dalek::Signer;
    let k = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    (k.verifying_key(), k.sign(b"yardstick"))
}

criterion_group!(benches, staking);
criterion_main!(benches);
