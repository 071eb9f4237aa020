//! What a user sees when a phrase fails: the checksum error names suspects, not a fix, the
//! ranked corrections put the typed-closest word first, and the count errors read correctly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use session_core::hazmat::SecretBytes as _;
use session_mnemonic::{Error, Language, Mnemonic, session, suggest_corrections};

/// The "puffin …" Session phrase of the vector file, with its seed, checked to be valid.
fn puffin() -> (String, Vec<u8>) {
    let vectors: Value =
        serde_json::from_str(include_str!("data/mnemonic.json")).expect("vector JSON");
    let entry = vectors["session_mnemonic"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| &entry["from_source"])
        .find(|entry| entry["mnemonic"].as_str().unwrap().starts_with("puffin "))
        .expect("the puffin vector");
    let phrase = entry["mnemonic"].as_str().unwrap().to_owned();
    let seed = hex::decode(entry["seed16"].as_str().unwrap()).unwrap();
    assert_eq!(
        session::seed_from_phrase(&phrase).unwrap().hazmat_bytes()[..],
        seed[..]
    );
    (phrase, seed)
}

#[test]
fn singer_for_zinger_names_a_suspect_not_a_fix_and_zinger_ranks_first() {
    let (phrase, seed) = puffin();
    assert_eq!(phrase.split(' ').nth(11), Some("zinger"));
    let typo = phrase.replace("zinger", "singer");
    // "singer" is not a list word: "sin" selects "sincerely", then the checksum fails.
    assert_eq!(Language::English.index_of("singer"), None);
    assert!(Language::English.index_of("sincerely").is_some());

    let error = Mnemonic::parse(&typo).unwrap_err();
    assert_eq!(
        error,
        Error::ChecksumMismatch {
            language: Language::English,
            suspects: vec![11],
        }
    );
    assert_eq!(session::seed_from_phrase(&typo).unwrap_err(), error);
    let message = error.to_string();
    assert_eq!(
        message,
        "the checksum word does not match the other words, so at least one word is wrong \
         (first suspect: word 12, which matches a word of the English list by its first 3 \
         characters only); suggest_corrections ranks the likely fixes"
    );
    // No word is offered as the fix: following "sincerely" (the word the checksum happens to
    // select) gives a valid phrase of a different account.
    for word in ["sincerely", "zinger", "kiwi"] {
        assert!(!message.contains(word), "{message}");
    }

    let fixes = suggest_corrections(&typo).unwrap();
    assert!(fixes.len() > 1000, "{}", fixes.len());
    assert_eq!((fixes[0].position, fixes[0].word), (11, "zinger"));
    assert_eq!(fixes[0].distance, 1);
    assert_eq!(fixes[0].mnemonic.to_string(), phrase);
    assert_eq!(fixes[0].mnemonic.to_entropy().as_slice(), &seed[..]);
    // Two other words are one edit away too ("puddle" → "paddles", "nylon" → "pylons"); "s"
    // and "z" are neighbouring keys and "singer" is the only word not spelled as listed.
    let one_edit: Vec<(usize, &str)> = fixes
        .iter()
        .take_while(|fix| fix.distance == 1)
        .map(|fix| (fix.position, fix.word))
        .collect();
    assert_eq!(one_edit, [(11, "zinger"), (7, "paddles"), (9, "pylons")]);
}

#[test]
fn suspects_are_the_words_that_only_match_by_prefix() {
    let (phrase, _) = puffin();
    // "puffy" reads as "puffin" and "singer" as "sincerely": both go on differently after
    // the prefix. "lux" and "ann" are starts of their words, so they are not suspects.
    let typo = phrase
        .replacen("puffin", "puffy", 1)
        .replace("luxury", "lux")
        .replace("annoyed", "ANN")
        .replace("zinger", "singer");
    let error = Mnemonic::parse(&typo).unwrap_err();
    assert_eq!(
        error,
        Error::ChecksumMismatch {
            language: Language::English,
            suspects: vec![0, 11],
        }
    );
    assert!(
        error
            .to_string()
            .contains("(first suspects: words 1 and 12, which match words of the English list by their first 3 characters only)"),
        "{error}"
    );
    let fixes = suggest_corrections(&typo).unwrap();
    assert_eq!((fixes[0].position, fixes[0].word), (11, "zinger"));

    let three = phrase
        .replacen("puffin", "puffy", 1)
        .replace("memoir", "memos")
        .replace("zinger", "singer");
    assert!(
        Mnemonic::parse(&three)
            .unwrap_err()
            .to_string()
            .contains("first suspects: words 1, 5 and 12,"),
    );
}

#[test]
fn word_counts_read_correctly() {
    // One word, singular; the Session profile asks for 13.
    let one = session::seed_from_phrase("abbey").unwrap_err();
    assert_eq!(
        one,
        Error::WrongWordCount {
            got: 1,
            expected: 13
        }
    );
    assert_eq!(one.to_string(), "the phrase has 1 word, expected 13");
    assert_eq!(
        session::seed_from_phrase("abbey abbey")
            .unwrap_err()
            .to_string(),
        "the phrase has 2 words, expected 13"
    );

    // An empty phrase: 13 everywhere, not the generic decoder's shortest form (4 words).
    let empty = Error::WrongWordCount {
        got: 0,
        expected: 13,
    };
    for input in ["", "   \n\t"] {
        assert_eq!(session::seed_from_phrase(input).unwrap_err(), empty);
        assert_eq!(session::identity_from_phrase(input).unwrap_err(), empty);
        assert_eq!(Mnemonic::parse(input).unwrap_err(), empty);
        assert_eq!(
            Mnemonic::parse_in(Language::French, input).unwrap_err(),
            empty
        );
        assert_eq!(suggest_corrections(input).unwrap_err(), empty);
    }
    assert_eq!(empty.to_string(), "the phrase has 0 words, expected 13");
}
