//! Property tests: round trips in every language and length, no panics on any input, and the
//! completeness of `suggest_corrections`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use session_mnemonic::session;
use session_mnemonic::{
    Detection, Error, Language, Mnemonic, ParseOptions, TripleRule, recover_missing_word,
    suggest_corrections,
};

fn language() -> impl Strategy<Value = Language> {
    (0..Language::ALL.len()).prop_map(|i| Language::ALL[i])
}

/// A few option sets that cover every switch (the word soup test decodes with each).
fn some_options() -> Vec<ParseOptions> {
    vec![
        ParseOptions::new(),
        ParseOptions::new().triples(TripleRule::SessionCompat),
        ParseOptions::new()
            .detection(Detection::Unique)
            .allow_no_checksum(true),
        ParseOptions::new().language(Language::Spanish),
        ParseOptions::new()
            .language(Language::EnglishOld)
            .allow_no_checksum(true),
    ]
}

fn all_options() -> Vec<ParseOptions> {
    let mut out = Vec::new();
    for language in [
        None,
        Some(Language::English),
        Some(Language::German),
        Some(Language::EnglishOld),
    ] {
        for triples in [TripleRule::Strict, TripleRule::SessionCompat] {
            for detection in [Detection::FirstValid, Detection::Unique] {
                for legacy in [false, true] {
                    let mut options = ParseOptions::new()
                        .triples(triples)
                        .detection(detection)
                        .allow_no_checksum(legacy);
                    if let Some(language) = language {
                        options = options.language(language);
                    }
                    out.push(options);
                }
            }
        }
    }
    out
}

/// `from_entropy` → `Display` → `parse_in` / `parse` gives back the words and the bytes.
fn round_trip(language: Language, bytes: &[u8]) -> Result<(), TestCaseError> {
    let chunks = bytes.len() / 4;
    let mnemonic = Mnemonic::from_entropy(bytes, language).unwrap();
    prop_assert_eq!(&mnemonic.to_entropy()[..], bytes);
    let phrase = mnemonic.to_string();
    if language.has_checksum() {
        prop_assert_eq!(mnemonic.word_count(), chunks * 3 + 1);
        let parsed = Mnemonic::parse_in(language, &phrase).unwrap();
        prop_assert_eq!(&parsed, &mnemonic);
        prop_assert_eq!(parsed.to_string(), phrase.clone());
        // Detection takes the phrase's own list unless a list earlier in Monero's order also
        // validates it (French and Italian words are often English prefixes: about 1 13-word
        // phrase in 200 passes as English), which `Detection::Unique` then reports.
        let detected = Mnemonic::parse(&phrase).unwrap();
        if detected.language() == language {
            prop_assert_eq!(&detected, &mnemonic);
        } else {
            let order = |l: Language| Language::DETECTION_ORDER.iter().position(|&x| x == l);
            prop_assert!(order(detected.language()) < order(language));
            let unique = ParseOptions::new().detection(Detection::Unique);
            match Mnemonic::parse_with(&phrase, &unique) {
                Err(Error::AmbiguousLanguage { languages }) => {
                    prop_assert!(languages.contains(&language));
                    prop_assert!(languages.contains(&detected.language()));
                }
                other => prop_assert!(false, "{other:?}"),
            }
        }
    } else {
        prop_assert_eq!(mnemonic.word_count(), chunks * 3);
        let options = ParseOptions::new()
            .language(language)
            .allow_no_checksum(true);
        match Mnemonic::parse_with(&phrase, &options) {
            Ok(parsed) => {
                prop_assert!(chunks == 4 || chunks == 8);
                prop_assert_eq!(parsed, mnemonic);
            }
            Err(error) => {
                prop_assert!(chunks != 4 && chunks != 8);
                let is_count_error = matches!(error, Error::WrongWordCount { .. });
                prop_assert!(is_count_error);
            }
        }
    }
    Ok(())
}

/// Every language at every length up to 32 chunks and at the longest: no length is left to
/// chance.
#[test]
fn round_trip_sweeps_every_language_and_length() {
    let bytes: Vec<u8> = (0..session_mnemonic::MAX_ENTROPY_LEN)
        .map(|i| (i as u8).wrapping_mul(151).wrapping_add(i as u8 >> 3))
        .collect();
    for language in Language::ALL {
        for chunks in (1..=32).chain([session_mnemonic::MAX_ENTROPY_LEN / 4]) {
            round_trip(language, &bytes[..chunks * 4]).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn round_trip_every_language_and_length(
        chunks in 1usize..=16,
        seed in proptest::collection::vec(any::<u8>(), 64),
    ) {
        for language in Language::ALL {
            round_trip(language, &seed[..chunks * 4])?;
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}", gap in any::<bool>()) {
        for options in all_options() {
            let _ = Mnemonic::parse_with(&text, &options);
        }
        let _ = Mnemonic::parse(&text);
        let _ = session::seed_from_phrase(&text);
        let _ = suggest_corrections(&text);
        let _ = text.parse::<Language>();
        let _ = Language::English.index_of(&text);
        let mut words: Vec<Option<&str>> = text.split(' ').map(Some).collect();
        if gap && !words.is_empty() {
            words[0] = None;
        }
        let _ = recover_missing_word(&words, Language::English);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Mnemonic::parse(&text);
        let _ = Mnemonic::from_entropy(&bytes, Language::English);
    }

    #[test]
    fn word_soup_never_panics_and_accepted_phrases_are_canonical(
        picks in proptest::collection::vec((language(), 0u16..1626, 0usize..6), 0..30),
        count in prop::sample::select(vec![4usize, 12, 13, 24, 25]),
    ) {
        let tokens: Vec<String> = picks
            .iter()
            .cycle()
            .take(if picks.is_empty() { 0 } else { count })
            .map(|&(language, index, cut)| {
                let word = language.word(index).unwrap();
                // Sometimes cut a word short, sometimes shout it.
                match cut {
                    0 => word.chars().take(language.prefix_len()).collect(),
                    1 => word.to_uppercase(),
                    2 => word.chars().take(2).collect(),
                    _ => word.to_owned(),
                }
            })
            .collect();
        let phrase = tokens.join(" ");
        for options in some_options() {
            if let Ok(mnemonic) = Mnemonic::parse_with(&phrase, &options) {
                let canonical = mnemonic.to_string();
                let again = Mnemonic::parse_with(
                    &canonical,
                    &options.language(mnemonic.language()),
                ).unwrap();
                prop_assert_eq!(again.to_string(), canonical);
                if options == ParseOptions::new() {
                    let reencoded = Mnemonic::from_entropy(&mnemonic.to_entropy(), mnemonic.language()).unwrap();
                    prop_assert_eq!(reencoded, mnemonic);
                }
            }
        }
    }
}

proptest! {
    // Each case checks 13 × 1626 phrases through the parser.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn suggest_corrections_reports_every_valid_substitution(seed in any::<[u8; 16]>()) {
        let mnemonic = Mnemonic::from_entropy(&seed, Language::English).unwrap();
        let words: Vec<&str> = mnemonic.words().collect();
        let mut expected = BTreeSet::new();
        for position in 0..words.len() {
            for &word in Language::English.words() {
                if word == words[position] {
                    continue;
                }
                let mut phrase = words.clone();
                phrase[position] = word;
                if Mnemonic::parse_in(Language::English, &phrase.join(" ")).is_ok() {
                    expected.insert((position, word));
                }
            }
        }
        let fixes = suggest_corrections(&mnemonic.to_string()).unwrap();
        let english: BTreeSet<(usize, &str)> = fixes
            .iter()
            .filter(|fix| fix.mnemonic.language() == Language::English)
            .map(|fix| (fix.position, fix.word))
            .collect();
        prop_assert_eq!(english, expected);
        for fix in &fixes {
            prop_assert!(Mnemonic::parse_in(fix.mnemonic.language(), &fix.mnemonic.to_string()).is_ok());
        }
    }

    #[test]
    fn a_substituted_word_is_caught_or_harmless_and_correctable(
        seed in any::<[u8; 16]>(),
        position in 0usize..13,
        replacement in 0u16..1626,
    ) {
        let original = Mnemonic::from_entropy(&seed, Language::English).unwrap();
        let mut words: Vec<&str> = original.words().collect();
        words[position] = Language::English.word(replacement).unwrap();
        let typo = words.join(" ");
        match Mnemonic::parse(&typo) {
            Ok(_) | Err(Error::ChecksumMismatch { .. } | Error::InvalidTriple { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
        if typo != original.to_string() {
            let fixes = suggest_corrections(&typo).unwrap();
            prop_assert!(fixes.iter().any(|fix| fix.mnemonic == original));
        }
    }
}
