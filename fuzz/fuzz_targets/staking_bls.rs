//! Fuzzes the BLS point decoders of `session-staking::bls` (a public key in the first 64
//! bytes, a signature in the next 128): they never panic, and whatever decodes encodes back to
//! the same bytes (the encodings are canonical).
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_staking::bls::{BlsPublicKey, BlsSignature};

fuzz_target!(|input: &[u8]| {
    let Some((key, rest)) = input.split_first_chunk::<64>() else {
        return;
    };
    if let Ok(pk) = BlsPublicKey::from_bytes(key) {
        assert_eq!(&pk.to_bytes(), key);
    }
    if let Some((sig, _)) = rest.split_first_chunk::<128>() {
        if let Ok(s) = BlsSignature::from_bytes(sig) {
            assert_eq!(&s.to_bytes(), sig);
        }
    }
});
