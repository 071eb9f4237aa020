//! New Session accounts from an RNG: the phrase restores the identity it came with.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use session_core::hazmat::SecretBytes as _;
use std::collections::BTreeSet;

use chacha20::ChaCha20Rng;
use session_mnemonic::rand_core::{Rng, SeedableRng};
use session_mnemonic::{Language, Mnemonic, session};

#[test]
fn a_generated_phrase_restores_its_identity() {
    // Seeded generators keep the test reproducible; applications pass an OS-seeded CSPRNG.
    let mut ids = BTreeSet::new();
    for seed in 0..32u64 {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let (phrase, identity) = session::generate(&mut rng);
        assert_eq!(phrase.word_count(), session::WORD_COUNT);
        assert_eq!(phrase.language(), Language::English);
        assert!(phrase.has_checksum());

        let text = phrase.to_phrase();
        assert_eq!(*text, phrase.to_string());
        let restored = session::identity_from_phrase(&text).unwrap();
        assert_eq!(restored.session_id(), identity.session_id());
        assert_eq!(restored.ed25519_public(), identity.ed25519_public());
        assert_eq!(restored.x25519_public(), identity.x25519_public());
        assert_eq!(restored.ed25519_seed(), identity.ed25519_seed());
        assert_eq!(restored.x25519_secret(), identity.x25519_secret());
        assert_eq!(Mnemonic::parse(&text).unwrap(), phrase);

        // The identity's phrase is the generated one, and the seed is the phrase's entropy.
        assert_eq!(session::phrase_for_identity(&identity).unwrap(), phrase);
        let seed = session::seed_from_phrase(&text).unwrap();
        assert_eq!(phrase.to_entropy().as_slice(), seed.hazmat_bytes());
        assert_eq!(identity.ed25519_seed().session_seed(), Some(seed));
        ids.insert(identity.session_id().to_string());
    }
    assert_eq!(ids.len(), 32, "every seed gives a different account");
}

#[test]
fn generation_draws_exactly_sixteen_bytes_from_the_rng() {
    // The seed is the RNG's next 16 bytes, so the same generator state gives the same account
    // (what a test needs) and the generator is left exactly 16 bytes further on.
    let mut rng = ChaCha20Rng::seed_from_u64(42);
    let mut copy = ChaCha20Rng::seed_from_u64(42);
    let (phrase, _) = session::generate(&mut rng);
    let mut expected = [0u8; 16];
    copy.fill_bytes(&mut expected);
    assert_eq!(phrase.to_entropy().as_slice(), &expected);
    assert_eq!(rng.next_u64(), copy.next_u64());

    // Works through a trait object too (`R: ?Sized`).
    let mut boxed: Box<dyn session_mnemonic::rand_core::CryptoRng> =
        Box::new(ChaCha20Rng::seed_from_u64(42));
    let (again, _) = session::generate(boxed.as_mut());
    assert_eq!(again, phrase);
}
