//! Boundaries of the decoder that a plausible off-by-one or swapped operator would cross:
//! equality of phrases, the largest phrase, error positions past the first triple, word-count
//! hints, and which language an error is reported in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use session_mnemonic::{
    Detection, Error, Language, MAX_ENTROPY_LEN, MAX_WORDS, Mnemonic, ParseOptions, TripleRule,
};

const PUFFIN: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";

/// A phrase that holds a triple above `u32::MAX` ("zoom zones zombie", from the divergence
/// vectors) at word `3 * triple`, with the checksum word that makes it pass.
fn overflowing_phrase(triple: usize) -> String {
    let mut words: Vec<&str> = PUFFIN.split(' ').collect();
    words.splice(3 * triple..3 * triple + 3, ["zoom", "zones", "zombie"]);
    words.pop();
    Language::English
        .words()
        .iter()
        .map(|check| format!("{} {check}", words.join(" ")))
        .find(|phrase| {
            !matches!(
                Mnemonic::parse_in(Language::English, phrase),
                Err(Error::ChecksumMismatch { .. })
            )
        })
        .unwrap()
}

#[test]
fn equal_phrases_agree_in_language_words_and_bytes() {
    let puffin = Mnemonic::parse(PUFFIN).unwrap();
    assert_eq!(
        puffin,
        Mnemonic::parse_in(Language::English, PUFFIN).unwrap()
    );

    // Same bytes in two lists: the data word indices are the same (the arithmetic does not
    // depend on the list), and for some entropy the checksum picks the same position too, so
    // only the language tells them apart.
    let (english, spanish) = (0u32..)
        .map(|i| {
            let entropy: Vec<u8> = (0..16).map(|j| (i * 31 + j * 7) as u8).collect();
            (
                Mnemonic::from_entropy(&entropy, Language::English).unwrap(),
                Mnemonic::from_entropy(&entropy, Language::Spanish).unwrap(),
            )
        })
        .find(|(english, spanish)| english.word_indices() == spanish.word_indices())
        .unwrap();
    assert_eq!(english.to_entropy(), spanish.to_entropy());
    assert_ne!(english, spanish);
    assert_ne!(spanish, english);

    // Different words that decode to the same bytes (a triple kept modulo 2^32): unequal.
    let compat = ParseOptions::new()
        .language(Language::English)
        .triples(TripleRule::SessionCompat);
    let wrapped = Mnemonic::parse_with(&overflowing_phrase(1), &compat).unwrap();
    let canonical = Mnemonic::from_entropy(&wrapped.to_entropy(), Language::English).unwrap();
    assert_eq!(wrapped.to_entropy(), canonical.to_entropy());
    assert_ne!(wrapped.word_indices(), canonical.word_indices());
    assert_ne!(wrapped, canonical);

    // The same 12 data words with and without a checksum word.
    let legacy = ParseOptions::new().allow_no_checksum(true);
    let twelve: Vec<&str> = PUFFIN.split(' ').take(12).collect();
    let without = Mnemonic::parse_with(&twelve.join(" "), &legacy).unwrap();
    assert_eq!(without.to_entropy(), puffin.to_entropy());
    assert_ne!(without, puffin);
    // Two different valid phrases of one list.
    let other = Mnemonic::from_entropy(&[9; 16], Language::English).unwrap();
    assert_ne!(other, puffin);
}

#[test]
fn invalid_triples_are_reported_at_their_own_position() {
    for triple in 0..4 {
        let phrase = overflowing_phrase(triple);
        assert_eq!(
            Mnemonic::parse_in(Language::English, &phrase).unwrap_err(),
            Error::InvalidTriple {
                position: 3 * triple,
                language: Language::English,
            },
            "{phrase}"
        );
        // Kept modulo 2^32 instead, the triple's four bytes are the value's low 32 bits.
        let compat = ParseOptions::new()
            .language(Language::English)
            .triples(TripleRule::SessionCompat);
        let wrapped = Mnemonic::parse_with(&phrase, &compat).unwrap();
        let bytes = &wrapped.to_entropy()[4 * triple..4 * triple + 4];
        let value = u64::from(u32::from_le_bytes(bytes.try_into().unwrap()));
        let [w1, w2, w3] = ["zoom", "zones", "zombie"]
            .map(|word| u64::from(Language::English.index_of(word).unwrap()));
        let n = 1626u64;
        let x = w1 + n * ((n - w1 + w2) % n) + n * n * ((n - w2 + w3) % n);
        assert!(x > u64::from(u32::MAX));
        assert_eq!(value, x - (1 << 32));
    }
}

#[test]
fn the_longest_phrase_parses_and_one_more_word_does_not() {
    let entropy: Vec<u8> = (0..MAX_ENTROPY_LEN).map(|i| (i * 13) as u8).collect();
    let longest = Mnemonic::from_entropy(&entropy, Language::French).unwrap();
    assert_eq!(longest.word_count(), MAX_WORDS);
    let text = longest.to_string();
    assert_eq!(Mnemonic::parse(&text).unwrap(), longest);
    assert_eq!(
        Mnemonic::parse_in(Language::French, &text).unwrap(),
        longest
    );

    let longer = format!("{text} {}", Language::French.words()[0]);
    assert_eq!(
        Mnemonic::parse(&longer).unwrap_err(),
        Error::WrongWordCount {
            got: MAX_WORDS + 1,
            expected: MAX_WORDS
        }
    );
}

#[test]
fn legacy_word_counts_point_to_the_nearer_form() {
    let legacy = ParseOptions::new()
        .language(Language::EnglishOld)
        .allow_no_checksum(true);
    let word = Language::EnglishOld.words()[5];
    for (got, expected) in [(13, 12), (18, 12), (19, 24), (25, 24)] {
        let phrase = vec![word; got].join(" ");
        assert_eq!(
            Mnemonic::parse_with(&phrase, &legacy).unwrap_err(),
            Error::WrongWordCount { got, expected },
            "{got}"
        );
    }
}

#[test]
fn unknown_words_are_reported_in_the_best_matching_list() {
    // Nothing matches anywhere: English, the Session list, not the first list in order.
    let garbage = vec!["qqqqq"; 13].join(" ");
    assert!(matches!(
        Mnemonic::parse(&garbage).unwrap_err(),
        Error::UnknownWord {
            position: 0,
            language: Language::English,
            ..
        }
    ));
    // A French phrase with one unknown word: French, at that word.
    let french = Mnemonic::from_entropy(&[0x5a; 16], Language::French).unwrap();
    let mut words: Vec<&str> = french.words().collect();
    words[7] = "qqqqq";
    assert!(matches!(
        Mnemonic::parse(&words.join(" ")).unwrap_err(),
        Error::UnknownWord {
            position: 7,
            language: Language::French,
            ..
        }
    ));
}

#[test]
fn unique_detection_accepts_a_phrase_valid_in_one_list() {
    let unique = ParseOptions::new().detection(Detection::Unique);
    assert_eq!(
        Error::AmbiguousLanguage {
            languages: vec![Language::English, Language::Spanish]
        }
        .to_string(),
        "the phrase is valid in several languages (English, Spanish): pass the language to \
         parse it"
    );
    let puffin = Mnemonic::parse_with(PUFFIN, &unique).unwrap();
    assert_eq!(puffin.language(), Language::English);
    assert_eq!(puffin, Mnemonic::parse(PUFFIN).unwrap());
}
