//! Chapter 2: Alice and Bob restore their accounts from their recovery phrases.

use chacha20::ChaCha20Rng;
use session_infra::common::Identity;
use session_infra::mnemonic::{Mnemonic, session};

use crate::narrate::Narrator;

/// A user of the network: a name and the identity restored from the recovery phrase.
pub struct User {
    pub name: &'static str,
    pub identity: Identity,
}

/// Alice's 13 words; Bob's are made for him from the tour's seeded RNG.
const ALICE_PHRASE: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";

pub fn restore(rng: &mut ChaCha20Rng, out: &mut Narrator) -> (User, User) {
    out.chapter("Alice and Bob");
    // A typed-in phrase: capitals, stray spaces and bare 3-letter prefixes are all accepted.
    let typed = "Puffin lux ann rus mem fax smi pud kiw nyl uto zin kiw";
    let alice = session::identity_from_phrase(typed).expect("Alice's phrase is valid");
    assert_eq!(
        alice.session_id(),
        session::identity_from_phrase(ALICE_PHRASE)
            .unwrap()
            .session_id()
    );
    out.step(format!(
        "Alice types her 13 words in a hurry, \"{typed}\" (the first 3 letters of each are \
         enough), and gets back her Session ID {}.",
        alice.session_id()
    ));

    let typo = ALICE_PHRASE.replace("memoir", "mmeoir");
    let error = Mnemonic::parse(&typo).unwrap_err();
    out.note(format!("With a typo instead, the app answers: {error}"));

    // Bob's account was created on his phone: 16 random bytes and their 13 words.
    let (phrase, created) = session::generate(rng);
    let bob = session::identity_from_phrase(&phrase.to_phrase()).expect("a generated phrase");
    assert_eq!(bob.session_id(), created.session_id());
    out.step(format!(
        "Bob restores his account from \"{phrase}\": Session ID {}.",
        bob.session_id()
    ));
    (
        User {
            name: "Alice",
            identity: alice,
        },
        User {
            name: "Bob",
            identity: bob,
        },
    )
}
