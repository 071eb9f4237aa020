//! `session staking verify-bls` and `session staking decode-log`: signatures made here with the
//! library's keys verify, tampered ones do not; logs decode as oxend decodes them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use session_core::identity::Identity;
use session_staking::bls::{
    BlsSecretKey, Domain, EthAddress, aggregate_public_keys, exit_message,
    proof_of_possession_message, reward_claim_message,
};
use session_staking::l2::topics;

use common::{ok_json, run, text};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Registration {
    bls_key: String,
    pop: String,
    sn_key: String,
    operator: String,
    ed_sig: String,
}

fn registration(domain: &Domain) -> Registration {
    let bls = BlsSecretKey::from_bytes(&[7; 32]);
    let node = Identity::from_seed_bytes(&[1; 32]).unwrap();
    let sn_key = node.ed25519_public();
    let operator = EthAddress([0x42; 20]);
    let pop = bls.sign(
        domain,
        &proof_of_possession_message(domain, &bls.public_key(), &operator, &sn_key),
    );
    let mut signed = sn_key.as_bytes().to_vec();
    signed.extend(bls.public_key().to_bytes());
    Registration {
        bls_key: hex(&bls.public_key().to_bytes()),
        pop: hex(&pop.to_bytes()),
        sn_key: hex(sn_key.as_bytes()),
        operator: hex(operator.as_bytes()),
        ed_sig: hex(&node.sign(&signed)),
    }
}

fn verify_registration(r: &Registration, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "--json",
        "staking",
        "verify-bls",
        "registration",
        "--bls-key",
        &r.bls_key,
        "--pop",
        &r.pop,
        "--service-node-key",
        &r.sn_key,
        "--operator",
        &r.operator,
        "--ed25519-signature",
        &r.ed_sig,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn a_registration_verifies_on_its_network_only() {
    let r = registration(&Domain::MAINNET);
    let ok = verify_registration(&r, &[]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    let report = ok.json();
    assert_eq!(report["valid"], true);
    assert_eq!(report["kind"], "registration");
    assert_eq!(report["chain_id"], 42161);
    assert_eq!(
        text(&report, "contract"),
        "c2b9fc251ac068763ebdfdecc792e3352e351c00"
    );
    let message = proof_of_possession_message(
        &Domain::MAINNET,
        &BlsSecretKey::from_bytes(&[7; 32]).public_key(),
        &EthAddress([0x42; 20]),
        &Identity::from_seed_bytes(&[1; 32])
            .unwrap()
            .ed25519_public(),
    );
    assert_eq!(text(&report, "message"), hex(&message));

    // The testnet contract's tag makes another message.
    let other = verify_registration(&r, &["--domain", "testnet"]);
    assert_eq!(other.code, 1);
    assert_eq!(other.json()["failure"], "invalid BLS proof of possession");
}

#[test]
fn a_tampered_registration_fails_and_says_which_half() {
    let r = registration(&Domain::MAINNET);
    let mut ed = r.ed_sig.clone().into_bytes();
    ed[0] = if ed[0] == b'0' { b'1' } else { b'0' };
    let tampered = Registration {
        ed_sig: String::from_utf8(ed).unwrap(),
        ..registration(&Domain::MAINNET)
    };
    let run = verify_registration(&tampered, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.json()["failure"],
        "invalid Ed25519 signature over the registration"
    );
    // Text output says the same.
    let text_run = registration_text_output(&tampered);
    assert!(
        text_run.contains("invalid: invalid Ed25519 signature"),
        "{text_run}"
    );
}

fn registration_text_output(r: &Registration) -> String {
    let out = run(&[
        "staking",
        "verify-bls",
        "registration",
        "--bls-key",
        &r.bls_key,
        "--pop",
        &r.pop,
        "--service-node-key",
        &r.sn_key,
        "--operator",
        &r.operator,
        "--ed25519-signature",
        &r.ed_sig,
    ]);
    assert_eq!(out.code, 1);
    out.stdout
}

#[test]
fn network_signed_messages_verify_under_the_signers_aggregate_key() {
    let domain = Domain::TESTNET;
    let signers: Vec<BlsSecretKey> = (1..=3u8)
        .map(|i| BlsSecretKey::from_bytes(&[i; 32]))
        .collect();
    let aggregate = aggregate_public_keys(signers.iter().map(BlsSecretKey::public_key));
    let sign = |message: &[u8]| {
        session_staking::bls::BlsSignature::aggregate(
            signers.iter().map(|k| k.sign(&domain, message)),
        )
    };
    let recipient = EthAddress([9; 20]);
    let reward = sign(&reward_claim_message(&domain, &recipient, 1_000_000_000));
    let args = |amount: &'static str, signature: &str| {
        run(&[
            "--json",
            "staking",
            "verify-bls",
            "reward",
            "--domain",
            "testnet",
            "--bls-key",
            &hex(&aggregate.to_bytes()),
            "--recipient",
            &hex(recipient.as_bytes()),
            "--amount",
            amount,
            "--signature",
            signature,
        ])
    };
    let ok = args("1000000000", &hex(&reward.to_bytes()));
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert_eq!(ok.json()["valid"], true);
    let wrong_amount = args("1000000001", &hex(&reward.to_bytes()));
    assert_eq!(wrong_amount.code, 1);
    assert_eq!(
        wrong_amount.json()["failure"],
        "the BLS signature does not verify"
    );

    // An exit of another node, signed by the network.
    let leaving = BlsSecretKey::from_bytes(&[8; 32]).public_key();
    let exit = sign(&exit_message(&domain, &leaving, 1_736_000_000));
    let report = ok_json(&[
        "staking",
        "verify-bls",
        "exit",
        "--domain",
        "testnet",
        "--bls-key",
        &hex(&aggregate.to_bytes()),
        "--node",
        &hex(&leaving.to_bytes()),
        "--timestamp",
        "1736000000",
        "--signature",
        &hex(&exit.to_bytes()),
    ]);
    assert_eq!(report["valid"], true);
    // The same signature is no liquidation.
    let liquidation = run(&[
        "--json",
        "staking",
        "verify-bls",
        "liquidation",
        "--domain",
        "testnet",
        "--bls-key",
        &hex(&aggregate.to_bytes()),
        "--node",
        &hex(&leaving.to_bytes()),
        "--timestamp",
        "1736000000",
        "--signature",
        &hex(&exit.to_bytes()),
    ]);
    assert_eq!(liquidation.code, 1);
}

#[test]
fn bad_inputs_are_errors() {
    let r = registration(&Domain::MAINNET);
    // Not a curve point.
    let run1 = run(&[
        "staking",
        "verify-bls",
        "reward",
        "--bls-key",
        &"11".repeat(64),
        "--signature",
        &r.pop,
        "--recipient",
        &"00".repeat(20),
        "--amount",
        "1",
    ]);
    assert_ne!(run1.code, 0);
    assert!(run1.stderr.contains("invalid BLS key"), "{}", run1.stderr);
    // A missing field of the kind.
    let run2 = run(&[
        "staking",
        "verify-bls",
        "reward",
        "--bls-key",
        &r.bls_key,
        "--signature",
        &r.pop,
    ]);
    assert_ne!(run2.code, 0);
    assert!(run2.stderr.contains("--recipient"), "{}", run2.stderr);
}

#[test]
fn logs_decode_as_oxend_decodes_them() {
    let mut data = [0u8; 32];
    data[24..].copy_from_slice(&25_000_000_000_000u64.to_be_bytes());
    let report = ok_json(&[
        "staking",
        "decode-log",
        "--topic",
        &hex(&topics::STAKING_REQUIREMENT_UPDATED),
        "--data",
        &hex(&data),
    ]);
    assert_eq!(report["event"], "StakingRequirementUpdated");
    assert_eq!(report["fields"][0][1], "25000000000000");

    let ignored = ok_json(&[
        "staking",
        "decode-log",
        "--topic",
        &hex(&topics::SERVICE_NODE_LIQUIDATED),
        "--data",
        &hex(&data),
    ]);
    assert_eq!(ignored["ignored"], true);
    assert_eq!(ignored["event"], serde_json::Value::Null);

    // An exit request with a byte missing.
    let malformed = run(&[
        "--json",
        "staking",
        "decode-log",
        "--topic",
        &hex(&topics::SERVICE_NODE_EXIT_REQUEST),
        "--data",
        &"00".repeat(95),
    ]);
    assert_eq!(malformed.code, 1);
    let error = malformed.json()["error"].as_str().unwrap().to_owned();
    assert!(error.contains("ServiceNodeExitRequest"), "{error}");

    let text_run = run(&[
        "staking",
        "decode-log",
        "--topic",
        &hex(&topics::SERVICE_NODE_EXIT_REQUEST),
        "--data",
        &"ab".repeat(96),
    ]);
    assert_eq!(text_run.code, 0);
    assert!(
        text_run.stdout.contains("ServiceNodeExitRequest"),
        "{}",
        text_run.stdout
    );
    assert!(
        text_run.stdout.contains(&"ab".repeat(64)),
        "{}",
        text_run.stdout
    );
}
