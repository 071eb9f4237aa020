//! Known answers for the CryptoNote primitives, from Monero's own crypto test file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use session_core::Writer as _;
use session_staking::crypto::{
    KeyDerivation, KeyImage, PublicKey, SecretKey, Signature, check_signature, derive_public_key,
    hash_to_ec, hash_to_point,
};
use session_staking::tx_extra::TxSecretKey;

const DATA: &str = include_str!("data/monero_crypto_tests.txt");

fn h32(s: &str) -> [u8; 32] {
    hex::decode(s).unwrap().try_into().unwrap()
}

fn h64(s: &str) -> [u8; 64] {
    hex::decode(s).unwrap().try_into().unwrap()
}

fn lines(cmd: &str) -> Vec<Vec<&'static str>> {
    let out: Vec<Vec<&str>> = DATA
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.first() == Some(&cmd))
        .collect();
    assert!(out.len() >= 8, "{cmd}: only {} vectors", out.len());
    out
}

#[test]
fn generate_key_derivation_vectors() {
    for f in lines("generate_key_derivation") {
        assert_eq!(f[3], "true");
        let expected = KeyDerivation(h32(f[4]));
        // The revealed transaction key takes any 32 bytes; a wallet's key is canonical.
        let d = TxSecretKey(h32(f[2])).key_derivation(&PublicKey(h32(f[1])));
        assert_eq!(d, Some(expected), "{f:?}");
        if let Some(secret) = SecretKey::from_bytes(&h32(f[2])) {
            assert_eq!(secret.key_derivation(&PublicKey(h32(f[1]))), Some(expected));
        }
    }
}

#[test]
fn derive_public_key_vectors() {
    for f in lines("derive_public_key") {
        assert_eq!(f[4], "true");
        let index: u64 = f[2].parse().unwrap();
        let p = derive_public_key(&KeyDerivation(h32(f[1])), index, &PublicKey(h32(f[3]))).unwrap();
        assert_eq!(p, PublicKey(h32(f[5])), "{f:?}");
    }
}

#[test]
fn hash_to_scalar_matches_the_derivation_vectors() {
    // derive_public_key = Hs(D ‖ varint(i))·G + B, so the public Hs reproduces each answer.
    for f in lines("derive_public_key") {
        let index: u64 = f[2].parse().unwrap();
        let mut data = h32(f[1]).to_vec();
        data.write_varint(index);
        let s = session_staking::crypto::hash_to_scalar(&data);
        let base = PublicKey(h32(f[3])).point().unwrap();
        assert_eq!(
            PublicKey::from(EdwardsPoint::mul_base(&s) + base),
            PublicKey(h32(f[5]))
        );
    }
}

#[test]
fn check_signature_vectors() {
    let mut valid = 0;
    let mut invalid = 0;
    for f in lines("check_signature") {
        let expected = f[4] == "true";
        let got = check_signature(
            &h32(f[1]),
            &PublicKey(h32(f[2])),
            &Signature::from_bytes(&h64(f[3])),
        );
        assert_eq!(got, expected, "{f:?}");
        if expected { valid += 1 } else { invalid += 1 }
    }
    assert!(valid >= 8 && invalid >= 8);
}

#[test]
fn hash_to_point_vectors() {
    for f in lines("hash_to_point") {
        assert_eq!(
            hash_to_point(&h32(f[1])).compress().to_bytes(),
            h32(f[2]),
            "{f:?}"
        );
    }
}

#[test]
fn hash_to_ec_vectors() {
    for f in lines("biased_hash_to_ec") {
        assert_eq!(
            hash_to_ec(&h32(f[1])).compress().to_bytes(),
            h32(f[2]),
            "{f:?}"
        );
    }
}

#[test]
fn generate_key_image_vectors() {
    for f in lines("generate_key_image") {
        let x = Scalar::from_canonical_bytes(h32(f[2])).unwrap();
        let p = PublicKey(h32(f[1]));
        assert_eq!(PublicKey::from(EdwardsPoint::mul_base(&x)), p);
        let image = KeyImage((hash_to_ec(&p.0) * x).compress().to_bytes());
        assert_eq!(image, KeyImage(h32(f[3])), "{f:?}");
    }
}
