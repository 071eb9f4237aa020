//! The pairing backends (arkworks, and halo2curves with `fast-pairing` on x86_64 CPUs with BMI2
//! and ADX) answer the same for valid, tampered and aggregate signatures, and the same as
//! `verify` / `verify_aggregate`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use session_staking::bls::hazmat::{PairingBackend, pairing_check};
use session_staking::bls::{
    BlsPublicKey, BlsSecretKey, BlsSignature, Domain, aggregate_public_keys, hash_to_g2,
    signers_key, verify_aggregate,
};

const BACKENDS: [PairingBackend; 2] = [PairingBackend::Arkworks, PairingBackend::Halo2curves];

/// The pairing check on every available backend: each must give `expected`. Returns how many
/// backends ran (arkworks always does).
fn all_backends_say(
    expected: bool,
    key: &BlsPublicKey,
    hashed: &BlsSignature,
    signature: &BlsSignature,
) -> usize {
    let mut ran = 0;
    for backend in BACKENDS {
        match pairing_check(backend, key, hashed, signature) {
            Some(answer) => {
                assert_eq!(answer, expected, "{backend:?}");
                ran += 1;
            }
            None => assert!(!backend.is_available(), "{backend:?}"),
        }
    }
    assert!(ran >= 1);
    ran
}

fn hashed(domain: &Domain, message: &[u8]) -> BlsSignature {
    BlsSignature::from_bytes(&hash_to_g2(domain, message)).unwrap()
}

fn domain(chain_id: u64, contract: [u8; 20]) -> Domain {
    Domain::new(chain_id, contract)
}

proptest! {
    // Each case signs and runs a dozen pairing checks: enough cases to vary keys, messages
    // and tamperings without slowing the debug-build test suite.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn backends_agree_on_valid_and_tampered_signatures(
        sk in any::<[u8; 32]>(),
        other in any::<[u8; 32]>(),
        chain_id in any::<u64>(),
        contract in any::<[u8; 20]>(),
        message in proptest::collection::vec(any::<u8>(), 0..100),
        flip in any::<usize>(),
    ) {
        let domain = domain(chain_id, contract);
        let (sk, other) = (BlsSecretKey::from_bytes(&sk), BlsSecretKey::from_bytes(&other));
        prop_assume!(sk != other && !sk.public_key().is_identity());
        let (pk, other_pk) = (sk.public_key(), other.public_key());
        let h = hashed(&domain, &message);
        let sig = sk.sign(&domain, &message);

        // Valid.
        all_backends_say(true, &pk, &h, &sig);
        prop_assert!(pk.verify(&domain, &message, &sig));

        // The message changed in one bit.
        let mut tampered = message.clone();
        tampered.push(0);
        let bit = flip % (tampered.len() * 8);
        tampered[bit / 8] ^= 1 << (bit % 8);
        let h_tampered = hashed(&domain, &tampered);
        all_backends_say(false, &pk, &h_tampered, &sig);
        prop_assert!(!pk.verify(&domain, &tampered, &sig));

        // Another key, another signer's signature added in, the identity signature.
        all_backends_say(false, &other_pk, &h, &sig);
        let added = BlsSignature::aggregate([sig, other.sign(&domain, &message)]);
        all_backends_say(false, &pk, &h, &added);
        let identity = BlsSignature::from_bytes(&[0; 128]).unwrap();
        all_backends_say(false, &pk, &h, &identity);

        // A signature that decodes after a flipped bit (rare: most leave the twist) or
        // the same flip on the key.
        let mut sig_bytes = sig.to_bytes();
        sig_bytes[(flip / 8) % 128] ^= 1 << (flip % 8);
        if let Ok(flipped) = BlsSignature::from_bytes(&sig_bytes) {
            all_backends_say(false, &pk, &h, &flipped);
        }
        let mut pk_bytes = pk.to_bytes();
        pk_bytes[(flip / 8) % 64] ^= 1 << (flip % 8);
        if let Ok(flipped) = BlsPublicKey::from_bytes(&pk_bytes) {
            all_backends_say(false, &flipped, &h, &sig);
        }
    }

    #[test]
    fn backends_agree_on_aggregates(
        seeds in proptest::collection::vec(any::<[u8; 32]>(), 2..6),
        absent in any::<u8>(),
        message in proptest::collection::vec(any::<u8>(), 0..100),
    ) {
        let domain = Domain::MAINNET;
        let keys: Vec<BlsSecretKey> = seeds.iter().map(BlsSecretKey::from_bytes).collect();
        let publics: Vec<BlsPublicKey> = keys.iter().map(BlsSecretKey::public_key).collect();
        let total = aggregate_public_keys(&publics);
        prop_assume!(!total.is_identity());
        // The last `k` nodes did not sign, 1 <= k < n.
        let k = 1 + usize::from(absent) % (keys.len() - 1);
        let n = keys.len() - k;
        let signature = BlsSignature::aggregate(keys[..n].iter().map(|s| s.sign(&domain, &message)));
        let h = hashed(&domain, &message);

        let signers = signers_key(&total, &publics[n..]);
        prop_assume!(!signers.is_identity());
        all_backends_say(true, &signers, &h, &signature);
        prop_assert!(verify_aggregate(&total, &publics[n..], &domain, &message, &signature));

        // Non-signers not subtracted, or one too many subtracted.
        all_backends_say(false, &total, &h, &signature);
        prop_assert!(!verify_aggregate(&total, &[], &domain, &message, &signature));
        let too_many = signers_key(&total, &publics[n - 1..]);
        if !too_many.is_identity() {
            all_backends_say(false, &too_many, &h, &signature);
        }
        prop_assert!(!verify_aggregate(&total, &publics[n - 1..], &domain, &message, &signature));
    }
}

/// With no key and no signature both sides are the identity: the bare check holds on every
/// backend (`verify` refuses the identity key before it gets there).
#[test]
fn backends_agree_on_identities() {
    let domain = Domain::MAINNET;
    let identity_key = aggregate_public_keys::<[BlsPublicKey; 0]>([]);
    let identity_sig = BlsSignature::from_bytes(&[0; 128]).unwrap();
    let h = hashed(&domain, b"nothing");
    all_backends_say(true, &identity_key, &h, &identity_sig);
    assert!(!identity_key.verify(&domain, b"nothing", &identity_sig));
    let sig = BlsSecretKey::from_bytes(&[3; 32]).sign(&domain, b"nothing");
    all_backends_say(false, &identity_key, &h, &sig);
}

/// The fast backend is the one in use wherever it can run, so the tests above compared two
/// backends on such machines.
#[test]
fn current_backend() {
    let current = PairingBackend::current();
    assert!(current.is_available());
    let fast = cfg!(all(feature = "fast-pairing", target_arch = "x86_64")) && {
        #[cfg(target_arch = "x86_64")]
        {
            std::is_x86_feature_detected!("bmi2") && std::is_x86_feature_detected!("adx")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    };
    let expected = if fast {
        PairingBackend::Halo2curves
    } else {
        PairingBackend::Arkworks
    };
    assert_eq!(current, expected, "{}", current.name());
    assert_eq!(PairingBackend::Halo2curves.is_available(), fast);
}
