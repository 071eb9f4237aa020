//! Tour section: recovery phrases, from a phrase to a Session ID, and a typo caught and fixed.

use chacha20::ChaCha20Rng;
use rand_core::SeedableRng;
use session_infra::common::hazmat::SecretBytes as _;
use session_infra::mnemonic::{
    Error, Language, Mnemonic, recover_missing_word, session, suggest_corrections,
};

/// Restores an account from its 13 words, then shows a typo being caught and corrected.
pub(crate) fn run() {
    println!("== 2. Recovery phrase: 13 words -> seed -> Session ID");
    let phrase =
        "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
    let seed = session::seed_from_phrase(phrase).unwrap();
    let identity = session::identity_from_phrase(phrase).unwrap();
    println!("   phrase               {phrase}");
    // Raw seed bytes only through the hazmat trait, imported by name where they are needed.
    println!(
        "   seed (16 bytes)      {}",
        hex::encode(seed.hazmat_bytes())
    );
    println!("   Session ID           {}", identity.session_id());

    // Case, extra whitespace and bare prefixes are accepted, as in the wallets.
    let sloppy = "  PUFFIN lux ann rus mem fax smi pud kiw nyl uto zin kiw\n";
    let same = session::identity_from_phrase(sloppy).unwrap();
    assert_eq!(same.session_id(), identity.session_id());
    println!("   {sloppy:?} restores the same ID");

    // A typo in the first letters: the word is unknown, and the error says which and offers
    // the closest list words.
    let typo = phrase.replace("memoir", "mmeoir");
    let error = Mnemonic::parse(&typo).unwrap_err();
    println!("   typo caught          {error}");
    let Error::UnknownWord { suggestions, .. } = &error else {
        panic!("expected an unknown word, got {error:?}");
    };
    assert_eq!(suggestions.first(), Some(&"memoir"));

    // "zinger" mistyped "singer": not a list word, but its prefix "sin" selects "sincerely",
    // so only the checksum fails. The error names the suspect word, not a fix, and
    // suggest_corrections ranks the valid phrases one word away by closeness to the typing.
    let typo = phrase.replace("zinger", "singer");
    let error = Mnemonic::parse(&typo).unwrap_err();
    println!("   typo caught          {error}");
    let fixes = suggest_corrections(&typo).unwrap();
    let fix = &fixes[0];
    assert_eq!(fix.mnemonic.to_string(), phrase);
    println!(
        "   first suggestion     word {} -> {:?} (edit distance {}, best of {} valid phrases one word away)",
        fix.position + 1,
        fix.word,
        fix.distance,
        fixes.len()
    );

    // A forgotten word: with its position known, ~1626/12 words fit; the checksum word is
    // fully determined by the others.
    let mut words: Vec<Option<&str>> = phrase.split(' ').map(Some).collect();
    words[12] = None;
    let candidates = recover_missing_word(&words, Language::English).unwrap();
    println!(
        "   missing checksum word recovered: {:?}",
        candidates.iter().map(|c| c.word).collect::<Vec<_>>()
    );
    words[12] = Some("kiwi");
    words[4] = None;
    let candidates = recover_missing_word(&words, Language::English).unwrap();
    assert!(candidates.iter().any(|c| c.word == "memoir"));
    println!(
        "   missing word 5: {} candidates keep the checksum valid, \"memoir\" among them",
        candidates.len()
    );

    // A new account: 16 bytes from a CSPRNG, their 13 words, and the identity they restore.
    // The tour seeds ChaCha20 so its output is reproducible; applications pass
    // `&mut rand::rng()`, seeded by the operating system.
    let mut rng = ChaCha20Rng::seed_from_u64(2026);
    let (new_phrase, new_identity) = session::generate(&mut rng);
    let restored = session::identity_from_phrase(&new_phrase.to_phrase()).unwrap();
    assert_eq!(restored.session_id(), new_identity.session_id());
    println!("   new account          {}", new_identity.session_id());
    println!("   its phrase           {new_phrase}");
    println!();
}
