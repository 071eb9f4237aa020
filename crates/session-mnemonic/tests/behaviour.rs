//! Behaviour beyond the vectors: languages, normalisation, errors, repair helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;

use session_core::SessionSeed;
use session_mnemonic::session::{self, LegacyDerivation};
use session_mnemonic::{
    Error, Language, MAX_ENTROPY_LEN, Mnemonic, ParseOptions, recover_missing_word,
    suggest_corrections, suggest_corrections_in,
};
use unicode_normalization::UnicodeNormalization;

const PUFFIN: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";

fn entropy(len: usize, salt: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(97).wrapping_add(salt).rotate_left(3))
        .collect()
}

#[test]
fn languages_metadata() {
    let all: BTreeSet<Language> = Language::ALL.into_iter().collect();
    assert_eq!(all.len(), 13);
    let detection: BTreeSet<Language> = Language::DETECTION_ORDER.into_iter().collect();
    assert_eq!(all, detection);
    // Monero's find_seed_language order (spec §3).
    let codes: Vec<&str> = Language::DETECTION_ORDER.iter().map(|l| l.code()).collect();
    assert_eq!(
        codes,
        [
            "chinese_simplified",
            "english",
            "dutch",
            "french",
            "spanish",
            "german",
            "italian",
            "portuguese",
            "japanese",
            "russian",
            "esperanto",
            "lojban",
            "english_old"
        ]
    );
    for language in Language::ALL {
        assert_eq!(language.words().len(), 1626);
        let expected_prefix = match language {
            Language::English | Language::Japanese => 3,
            Language::ChineseSimplified => 1,
            _ => 4,
        };
        assert_eq!(language.prefix_len(), expected_prefix);
        assert_eq!(language.has_checksum(), language != Language::EnglishOld);
        for name in [
            language.code(),
            language.english_name(),
            language.native_name(),
        ] {
            assert_eq!(name.parse::<Language>().unwrap(), language, "{name}");
            assert_eq!(name.to_uppercase().parse::<Language>().unwrap(), language);
        }
        assert_eq!(language.to_string(), language.english_name());
        assert_eq!(language.word(1626), None);
        assert_eq!(language.word(0), Some(language.words()[0]));
    }
    // The names of spec §3's table, in `Language::ALL` order.
    let names: Vec<(&str, &str)> = Language::ALL
        .iter()
        .map(|l| (l.english_name(), l.native_name()))
        .collect();
    assert_eq!(
        names,
        [
            ("Chinese (simplified)", "简体中文 (中国)"),
            ("Dutch", "Nederlands"),
            ("English", "English"),
            ("Esperanto", "Esperanto"),
            ("French", "Français"),
            ("German", "Deutsch"),
            ("Italian", "Italiano"),
            ("Japanese", "日本語"),
            ("Lojban", "Lojban"),
            ("Portuguese", "Português"),
            ("Russian", "Русский"),
            ("Spanish", "Español"),
            ("English (old)", "EnglishOld"),
        ]
    );
    let unknown = " klingon ".parse::<Language>().unwrap_err();
    assert_eq!(
        unknown,
        Error::UnknownLanguage {
            name: "klingon".into()
        }
    );
    assert_eq!(
        unknown.to_string(),
        "unknown language name \"klingon\": expected a list code (such as \"english\" or \
         \"chinese_simplified\"), an English name or a native name"
    );
}

#[test]
fn every_word_is_found_by_word_and_by_prefix() {
    for language in Language::ALL {
        for (index, word) in language.words().iter().enumerate() {
            assert!(word.nfc().eq(word.chars()), "{word} is not NFC");
            assert_eq!(language.index_of(word), Some(index as u16));
            // "ß" upper-cases to "SS", which does not come back: the lists' own case is needed.
            if !word.contains('ß') {
                assert_eq!(language.index_of(&word.to_uppercase()), Some(index as u16));
            }
        }
    }
}

#[test]
fn every_language_round_trips_the_same_phrase_in_many_spellings() {
    for language in Language::ALL.into_iter().filter(|l| l.has_checksum()) {
        for len in [4, 16, 32] {
            let bytes = entropy(len, language as u8);
            let mnemonic = Mnemonic::from_entropy(&bytes, language).unwrap();
            assert_eq!(mnemonic.word_count(), len / 4 * 3 + 1);
            let canonical = mnemonic.to_string();
            let words: Vec<&str> = mnemonic.words().collect();
            let prefixes: Vec<String> = words
                .iter()
                .map(|w| w.chars().take(language.prefix_len()).collect())
                .collect();
            let upper = if canonical.contains('ß') {
                canonical.clone()
            } else {
                canonical.to_uppercase()
            };
            let spellings = [
                canonical.clone(),
                upper,
                canonical.to_lowercase(),
                canonical.nfd().collect::<String>(),
                prefixes.join(" "),
                format!("\t{}\n", words.join(" \u{3000}\u{a0} ")),
            ];
            for spelling in &spellings {
                let parsed = Mnemonic::parse_in(language, spelling).unwrap();
                assert_eq!(parsed, mnemonic, "{language} {spelling}");
                assert_eq!(parsed.to_string(), canonical);
                // Short phrases can be valid in several lists; 25 words pin the language.
                if len == 32 {
                    let detected = Mnemonic::parse(spelling).unwrap();
                    assert_eq!(detected, mnemonic, "{spelling}");
                }
            }
        }
    }
}

#[test]
fn german_capitals_are_canonical_but_optional() {
    let bytes = entropy(32, 7);
    let mnemonic = Mnemonic::from_entropy(&bytes, Language::German).unwrap();
    let canonical = mnemonic.to_string();
    assert!(canonical.chars().any(char::is_uppercase), "{canonical}");
    let lower = canonical.to_lowercase();
    assert_eq!(Mnemonic::parse(&lower).unwrap().to_string(), canonical);
}

#[test]
fn entropy_lengths() {
    for got in [0, 1, 3, 5, 15, 17, MAX_ENTROPY_LEN + 4] {
        assert_eq!(
            Mnemonic::from_entropy(&vec![1; got], Language::English).unwrap_err(),
            Error::InvalidEntropyLength { got }
        );
    }
    let longest = Mnemonic::from_entropy(&entropy(MAX_ENTROPY_LEN, 1), Language::English).unwrap();
    assert_eq!(longest.word_count(), session_mnemonic::MAX_WORDS);
    assert_eq!(Mnemonic::parse(&longest.to_string()).unwrap(), longest);
    // Old list: no checksum word.
    let old = Mnemonic::from_entropy(&entropy(32, 2), Language::EnglishOld).unwrap();
    assert_eq!(old.word_count(), 24);
    assert!(!old.has_checksum());
}

#[test]
fn word_count_errors_name_the_nearest_count() {
    let words: Vec<&str> = PUFFIN.split(' ').collect();
    // Below 4 words (the shortest accepted phrase) the count to aim for is the Session
    // phrase's 13, not 4.
    for (got, expected) in [
        (1, 13),
        (2, 13),
        (3, 13),
        (5, 4),
        (6, 7),
        (12, 13),
        (14, 13),
        (15, 16),
        (24, 25),
    ] {
        let phrase = words
            .iter()
            .cycle()
            .take(got)
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            Mnemonic::parse(&phrase).unwrap_err(),
            Error::WrongWordCount { got, expected },
            "{got}"
        );
    }
    let too_long = "abbey ".repeat(session_mnemonic::MAX_WORDS + 3);
    assert!(matches!(
        Mnemonic::parse(&too_long).unwrap_err(),
        Error::WrongWordCount {
            expected: session_mnemonic::MAX_WORDS,
            ..
        }
    ));
}

#[test]
fn unknown_words_get_suggestions_and_a_clear_message() {
    let typo = PUFFIN.replace("memoir", "mmeoir");
    let error = Mnemonic::parse(&typo).unwrap_err();
    assert_eq!(
        error,
        Error::UnknownWord {
            position: 4,
            word: "mmeoir".into(),
            language: Language::English,
            suggestions: vec!["memoir", "meeting", "major"],
        }
    );
    let message = error.to_string();
    assert!(
        message.starts_with(
            "word 5 (\"mmeoir\") is not in the English word list; did you mean \"memoir\""
        ),
        "{message}"
    );

    // Detection reports the best-matching language, here English, even for the first word.
    let error = Mnemonic::parse(&PUFFIN.replace("puffin", "pyffin")).unwrap_err();
    assert!(matches!(
        error,
        Error::UnknownWord {
            position: 0,
            language: Language::English,
            ..
        }
    ));
    // Session profile: same error.
    let error = session::seed_from_phrase(&PUFFIN.replace("puffin", "pyffin")).unwrap_err();
    assert!(
        matches!(error, Error::UnknownWord { position: 0, ref suggestions, .. } if suggestions[0] == "puffin")
    );
}

#[test]
fn a_phrase_of_unknown_words_is_reported_in_english() {
    // No list knows any word: English (the Session list) reports it, not Chinese (first in
    // detection order).
    let garbage = vec!["qqqq"; 13].join(" ");
    assert!(matches!(
        Mnemonic::parse(&garbage).unwrap_err(),
        Error::UnknownWord {
            position: 0,
            language: Language::English,
            ..
        }
    ));
    // A phrase of Chinese words with one unknown is still Chinese.
    let chinese = Mnemonic::from_entropy(&[9; 16], Language::ChineseSimplified).unwrap();
    let mut words: Vec<&str> = chinese.words().collect();
    words[2] = "qqqq";
    assert!(matches!(
        Mnemonic::parse(&words.join(" ")).unwrap_err(),
        Error::UnknownWord {
            position: 2,
            language: Language::ChineseSimplified,
            ..
        }
    ));
}

#[test]
fn mixed_languages_are_rejected() {
    let english: Vec<String> = PUFFIN.split(' ').map(str::to_owned).collect();
    let mut mixed = english.clone();
    mixed[3] = Language::Japanese.words()[100].to_owned();
    assert!(matches!(
        Mnemonic::parse(&mixed.join(" ")).unwrap_err(),
        Error::UnknownWord {
            position: 3,
            language: Language::English,
            ..
        }
    ));
}

#[test]
fn checksum_and_triple_errors() {
    let wrong_check = PUFFIN.replace("zinger kiwi", "zinger zoom");
    assert_eq!(
        Mnemonic::parse(&wrong_check).unwrap_err(),
        Error::ChecksumMismatch {
            language: Language::English,
            suspects: vec![],
        }
    );
    // The error names no replacement word: "kiwi" would be right here, but the word the
    // other words select is only right when the checksum word is the wrong one.
    let message = Mnemonic::parse(&wrong_check).unwrap_err().to_string();
    assert!(!message.contains("kiwi"), "{message}");
    assert_eq!(
        message,
        "the checksum word does not match the other words, so at least one word is wrong \
         (every word is spelled as in the English list); suggest_corrections ranks the likely \
         fixes"
    );
    // Find a phrase with an overflowing triple in the middle: put "zoom zones zombie" (the
    // divergence vector's triple) at positions 3..6 and choose the checksum word that passes.
    let mut words: Vec<&str> = PUFFIN.split(' ').collect();
    words.splice(3..6, ["zoom", "zones", "zombie"]);
    words.pop();
    let mut gap: Vec<Option<&str>> = words.iter().copied().map(Some).collect();
    gap.push(None);
    // No candidate: recovery insists on valid triples.
    assert!(
        recover_missing_word(&gap, Language::English)
            .unwrap()
            .is_empty()
    );
    let list = Language::English.words();
    let found = list
        .iter()
        .map(|check| format!("{} {check}", words.join(" ")))
        .find(|phrase| !matches!(Mnemonic::parse(phrase), Err(Error::ChecksumMismatch { .. })))
        .unwrap();
    assert_eq!(
        Mnemonic::parse(&found).unwrap_err(),
        Error::InvalidTriple {
            position: 3,
            language: Language::English
        }
    );
    assert!(
        Mnemonic::parse(&found)
            .unwrap_err()
            .to_string()
            .contains("words 4 to 6 do not encode a 32-bit value in the English list")
    );
}

#[test]
fn debug_hides_the_phrase() {
    let mnemonic = Mnemonic::parse(PUFFIN).unwrap();
    let debug = format!("{mnemonic:?}");
    assert!(debug.contains("English"));
    for word in mnemonic.words() {
        assert!(!debug.contains(word), "{debug}");
    }
}

#[test]
fn no_checksum_forms_need_the_option_and_full_words() {
    let bytes = entropy(32, 9);
    let full = Mnemonic::from_entropy(&bytes, Language::English).unwrap();
    let data_words: Vec<&str> = full.words().take(24).collect();
    let phrase = data_words.join(" ");
    assert_eq!(
        Mnemonic::parse(&phrase).unwrap_err(),
        Error::WrongWordCount {
            got: 24,
            expected: 25
        }
    );
    let options = ParseOptions::new().allow_no_checksum(true);
    let legacy = Mnemonic::parse_with(&phrase, &options).unwrap();
    assert_eq!(legacy.to_entropy(), full.to_entropy());
    assert!(!legacy.has_checksum());
    // Without a checksum, prefixes are not enough.
    let prefixes: Vec<String> = data_words.iter().map(|w| w[..3].to_owned()).collect();
    let truncated = Mnemonic::parse_with(&prefixes.join(" "), &options);
    let short_word = data_words.iter().position(|w| w.len() > 3).unwrap();
    assert!(matches!(
        truncated,
        Err(Error::UnknownWord { position, .. }) if position <= short_word
    ));
}

fn gap_phrase(words: &[&str], gap: usize) -> Vec<Option<String>> {
    words
        .iter()
        .enumerate()
        .map(|(i, w)| (i != gap).then(|| (*w).to_owned()))
        .collect()
}

fn as_refs(words: &[Option<String>]) -> Vec<Option<&str>> {
    words.iter().map(|w| w.as_deref()).collect()
}

#[test]
fn recover_missing_word_at_a_known_position_is_complete() {
    let words: Vec<&str> = PUFFIN.split(' ').collect();
    for gap in [0, 5, 11, 12] {
        let with_gap = gap_phrase(&words, gap);
        let found = recover_missing_word(&as_refs(&with_gap), Language::English).unwrap();
        // Brute force through the parser: exactly the words that make a valid phrase.
        let expected: BTreeSet<&str> = Language::English
            .words()
            .iter()
            .copied()
            .filter(|candidate| {
                let mut phrase = words.clone();
                phrase[gap] = candidate;
                Mnemonic::parse_in(Language::English, &phrase.join(" ")).is_ok()
            })
            .collect();
        let got: BTreeSet<&str> = found.iter().map(|c| c.word).collect();
        assert_eq!(got, expected, "gap {gap}");
        assert!(got.contains(words[gap]));
        assert!(found.iter().all(|c| c.position == gap));
        if gap == 12 {
            assert_eq!(found.len(), 1);
        }
    }
}

#[test]
fn recover_missing_word_at_an_unknown_position() {
    for (len, salt) in [(16, 3), (32, 4)] {
        let bytes = entropy(len, salt);
        let mnemonic = Mnemonic::from_entropy(&bytes, Language::English).unwrap();
        let words: Vec<&str> = mnemonic.words().collect();
        for removed in [0, words.len() / 2, words.len() - 1] {
            let mut given: Vec<Option<&str>> = words.iter().copied().map(Some).collect();
            given.remove(removed);
            let found = recover_missing_word(&given, Language::English).unwrap();
            // The removed word is among the candidates, at its position or, when it repeats
            // its left neighbour, at the first position that gives the same phrase.
            assert!(
                found
                    .iter()
                    .any(|c| c.word == words[removed] && c.position <= removed),
                "{removed}"
            );
            // Every candidate completes a valid phrase, and no phrase is listed twice.
            let mut phrases = BTreeSet::new();
            for candidate in &found {
                let mut full: Vec<&str> = given.iter().map(|w| w.unwrap()).collect();
                full.insert(candidate.position, candidate.word);
                let phrase = full.join(" ");
                assert!(
                    Mnemonic::parse_in(Language::English, &phrase).is_ok(),
                    "{phrase}"
                );
                assert!(phrases.insert(phrase));
            }
        }
    }
}

#[test]
fn recover_missing_word_errors() {
    let words: Vec<&str> = PUFFIN.split(' ').collect();
    let mut two_gaps: Vec<Option<&str>> = words.iter().copied().map(Some).collect();
    two_gaps[1] = None;
    two_gaps[2] = None;
    assert_eq!(
        recover_missing_word(&two_gaps, Language::English).unwrap_err(),
        Error::TooManyGaps { got: 2 }
    );
    let all: Vec<Option<&str>> = words.iter().copied().map(Some).collect();
    assert_eq!(
        recover_missing_word(&all, Language::English).unwrap_err(),
        Error::WrongWordCount {
            got: 13,
            expected: 12
        }
    );
    assert_eq!(
        recover_missing_word(&all[..12], Language::EnglishOld).unwrap_err(),
        Error::NoChecksum {
            language: Language::EnglishOld
        }
    );
    let mut typo = all[..12].to_vec();
    typo[3] = Some("rxstled");
    assert!(matches!(
        recover_missing_word(&typo, Language::English).unwrap_err(),
        Error::UnknownWord { position: 3, .. }
    ));
    typo[3] = Some("rus tled");
    assert!(matches!(
        recover_missing_word(&typo, Language::English).unwrap_err(),
        Error::UnknownWord { position: 3, .. }
    ));
}

#[test]
fn corrections_fix_a_word_read_by_its_prefix() {
    // "zinger" → "singer": not a list word, but "sin" selects "sincerely", so only the
    // checksum notices.
    let typo = PUFFIN.replace("zinger", "singer");
    assert!(matches!(
        Mnemonic::parse(&typo),
        Err(Error::ChecksumMismatch { .. })
    ));
    let fixes = suggest_corrections(&typo).unwrap();
    let fix = fixes
        .iter()
        .position(|f| f.position == 11 && f.word == "zinger")
        .unwrap();
    assert_eq!(fixes[fix].mnemonic.to_string(), PUFFIN);
    assert_eq!(fixes[fix].distance, 1);
    assert_eq!(fix, 0);
    // Sorted by distance first.
    assert!(
        fixes
            .windows(2)
            .all(|pair| pair[0].distance <= pair[1].distance)
    );
    for f in &fixes {
        assert!(Mnemonic::parse(&f.mnemonic.to_string()).is_ok());
    }
    assert_eq!(
        suggest_corrections_in(Language::English, &typo).unwrap(),
        fixes
    );
}

#[test]
fn corrections_with_an_unknown_word_only_touch_it() {
    let typo = PUFFIN.replace("smidgen", "xmidgen");
    let fixes = suggest_corrections(&typo).unwrap();
    assert!(!fixes.is_empty());
    assert!(fixes.iter().all(|f| f.position == 6));
    assert_eq!(fixes[0].word, "smidgen");
    assert_eq!(fixes[0].mnemonic.to_string(), PUFFIN);
}

#[test]
fn corrections_give_up_with_the_parse_error() {
    let typo = PUFFIN
        .replace("smidgen", "qqqqqqq")
        .replace("faxed", "qqqqq");
    assert!(matches!(
        suggest_corrections(&typo).unwrap_err(),
        Error::UnknownWord { position: 5, .. }
    ));
    assert!(matches!(
        suggest_corrections("abbey abbey").unwrap_err(),
        Error::WrongWordCount {
            got: 2,
            expected: 13
        }
    ));
    assert_eq!(
        suggest_corrections_in(Language::EnglishOld, PUFFIN).unwrap_err(),
        Error::NoChecksum {
            language: Language::EnglishOld
        }
    );
}

#[test]
fn session_profile_word_counts_and_languages() {
    let bytes = entropy(32, 5);
    let long = Mnemonic::from_entropy(&bytes, Language::English)
        .unwrap()
        .to_string();
    assert_eq!(
        session::seed_from_phrase(&long).unwrap_err(),
        Error::WrongWordCount {
            got: 25,
            expected: 13
        }
    );
    // 25 words are only accepted by the 2018–2019 derivation.
    assert!(session::legacy_keys_from_phrase(&long, LegacyDerivation::ReducedSeed).is_ok());
    assert!(session::legacy_keys_from_phrase(&long, LegacyDerivation::DoubledSeed).is_err());
    // Another language through the options.
    let seed = [42u8; 16];
    let japanese = Mnemonic::from_entropy(&seed, Language::Japanese)
        .unwrap()
        .to_string();
    assert!(matches!(
        session::seed_from_phrase(&japanese),
        Err(Error::UnknownWord { .. })
    ));
    let options = session::SessionOptions::new().language(Language::Japanese);
    assert_eq!(
        session::seed_from_phrase_with(&japanese, &options).unwrap(),
        SessionSeed::from_bytes(seed)
    );
}

#[test]
fn suggestions_prefer_words_that_complete_the_phrase() {
    // Swap the first two letters of each word in turn: a one-edit typo the prefix lookup cannot
    // absorb. The word meant is the one that completes the phrase, and it is offered first.
    let words: Vec<&str> = PUFFIN.split(' ').collect();
    let mut checked = 0;
    for (position, word) in words.iter().enumerate() {
        let mut chars: Vec<char> = word.chars().collect();
        chars.swap(0, 1);
        let typo: String = chars.into_iter().collect();
        if Language::English.index_of(&typo).is_some() {
            continue;
        }
        let mut phrase = words.clone();
        phrase[position] = &typo;
        let phrase = phrase.join(" ");
        match Mnemonic::parse(&phrase) {
            Err(Error::UnknownWord {
                position: p,
                suggestions,
                ..
            }) => {
                assert_eq!(p, position);
                assert_eq!(suggestions.first(), Some(word), "{typo}");
                // The same help with an explicit language and through the Session profile.
                for error in [
                    Mnemonic::parse_in(Language::English, &phrase).unwrap_err(),
                    session::seed_from_phrase(&phrase).unwrap_err(),
                ] {
                    assert!(
                        matches!(&error, Error::UnknownWord { suggestions: s, .. } if s.first() == Some(word)),
                        "{typo}: {error:?}"
                    );
                }
                checked += 1;
            }
            // The typo starts like another list word: only the checksum can notice.
            Err(Error::ChecksumMismatch { .. } | Error::InvalidTriple { .. }) => {}
            other => panic!("{typo}: {other:?}"),
        }
    }
    assert!(checked >= 10);

    // "kuffin" is one edit from "muffin" and from "puffin"; only "puffin" completes the phrase,
    // whichever way the phrase is decoded.
    let phrase = PUFFIN.replace("puffin", "kuffin");
    for error in [
        Mnemonic::parse(&phrase).unwrap_err(),
        Mnemonic::parse_in(Language::English, &phrase).unwrap_err(),
        session::identity_from_phrase(&phrase).unwrap_err(),
    ] {
        assert!(
            matches!(&error, Error::UnknownWord { suggestions, .. } if suggestions[..2] == ["puffin", "muffin"]),
            "{error:?}"
        );
    }
}

#[test]
fn repair_helpers_stay_bounded_on_the_longest_phrase() {
    let longest = Mnemonic::from_entropy(
        &entropy(session_mnemonic::MAX_ENTROPY_LEN, 8),
        Language::English,
    )
    .unwrap();
    let phrase = longest.to_string();
    let fixes = suggest_corrections(&phrase).unwrap();
    assert!(!fixes.is_empty());
    assert!(fixes.iter().all(|fix| fix.mnemonic != longest));
    let words: Vec<&str> = longest.words().collect();
    let mut given: Vec<Option<&str>> = words.iter().copied().map(Some).collect();
    given.remove(400);
    let found = recover_missing_word(&given, Language::English).unwrap();
    assert!(
        found
            .iter()
            .any(|c| c.word == words[400] && c.position <= 400)
    );
}

#[test]
fn corrections_of_a_repeated_word_phrase_are_complete_then_capped() {
    // 25 × "abbey" (index 0, every triple 0): the checksum word repeats every data word, so
    // almost any substitution validates. All of them come back, as brute force finds them.
    let phrase = vec!["abbey"; 25].join(" ");
    let fixes = suggest_corrections_in(Language::English, &phrase).unwrap();
    let got: BTreeSet<(usize, &str)> = fixes.iter().map(|f| (f.position, f.word)).collect();
    assert_eq!(got.len(), fixes.len());
    let mut expected = 0;
    for position in 0..25 {
        for &word in &Language::English.words()[1..] {
            let mut words = vec!["abbey"; 25];
            words[position] = word;
            if Mnemonic::parse_in(Language::English, &words.join(" ")).is_ok() {
                assert!(got.contains(&(position, word)), "{position} {word}");
                expected += 1;
            }
        }
    }
    assert_eq!(fixes.len(), expected);
    assert!(expected > 35_000);

    // Three more words: more valid substitutions than the 2^20-word budget holds. The result
    // stops growing with the square of the input and keeps the likeliest, in order.
    let phrase = vec!["abbey"; 28].join(" ");
    let fixes = suggest_corrections_in(Language::English, &phrase).unwrap();
    assert_eq!(fixes.len(), (1 << 20) / 28);
    assert!(
        fixes
            .windows(2)
            .all(|pair| pair[0].distance <= pair[1].distance)
    );
    let nearest = fixes.iter().map(|f| f.distance).min().unwrap();
    assert_eq!(fixes[0].distance, nearest);
    for fix in fixes.iter().step_by(997) {
        assert!(Mnemonic::parse_in(Language::English, &fix.mnemonic.to_string()).is_ok());
        assert_eq!(
            fix.mnemonic.word_indices()[fix.position],
            Language::English.index_of(fix.word).unwrap()
        );
    }
}

#[test]
fn detection_can_take_a_spanish_phrase_for_english_like_monero() {
    // Found by the round-trip property test: every word of this Spanish phrase starts with an
    // English prefix, and the English checksum passes too. English comes first in Monero's
    // order, so detection decodes other bytes; the explicit language and `Unique` do not.
    let seed = [
        23, 1, 0, 50, 49, 216, 52, 29, 68, 225, 240, 189, 56, 201, 122, 181,
    ];
    let spanish = Mnemonic::from_entropy(&seed, Language::Spanish).unwrap();
    let phrase = spanish.to_string();
    assert!(phrase.starts_with("morada acabar candil"));
    let detected = Mnemonic::parse(&phrase).unwrap();
    assert_eq!(detected.language(), Language::English);
    assert_ne!(detected.to_entropy(), spanish.to_entropy());
    assert_eq!(
        Mnemonic::parse_in(Language::Spanish, &phrase).unwrap(),
        spanish
    );
    let unique = ParseOptions::new().detection(session_mnemonic::Detection::Unique);
    assert_eq!(
        Mnemonic::parse_with(&phrase, &unique).unwrap_err(),
        Error::AmbiguousLanguage {
            languages: vec![Language::English, Language::Spanish]
        }
    );
}

#[test]
fn huge_words_and_phrases_fail_fast() {
    // A 100 kB word: no edit distances against it (they would cost its length × 1626 × 16),
    // so no suggestions; the repair helpers still work around it.
    for huge in ["q".repeat(100_000), "é".repeat(50_000)] {
        let phrase = PUFFIN.replace("memoir", &huge);
        for error in [
            Mnemonic::parse(&phrase).unwrap_err(),
            Mnemonic::parse_in(Language::English, &phrase).unwrap_err(),
            session::identity_from_phrase(&phrase).unwrap_err(),
        ] {
            match error {
                Error::UnknownWord {
                    position: 4,
                    word,
                    suggestions,
                    ..
                } => {
                    assert_eq!(word, huge);
                    assert!(suggestions.is_empty());
                }
                other => panic!("{other:?}"),
            }
        }
        let fixes = suggest_corrections(&phrase).unwrap();
        assert!(fixes.iter().any(|f| f.mnemonic.to_string() == PUFFIN));
        let mut words: Vec<Option<&str>> = phrase.split(' ').map(Some).collect();
        words[0] = None;
        assert!(matches!(
            recover_missing_word(&words, Language::English).unwrap_err(),
            Error::UnknownWord { position: 4, .. }
        ));
    }
    // 1 MB of words: counted, not collected or looked up.
    let many = "abbey ".repeat(170_000);
    let expected = Error::WrongWordCount {
        got: 170_000,
        expected: session_mnemonic::MAX_WORDS,
    };
    assert_eq!(Mnemonic::parse(&many).unwrap_err(), expected);
    assert!(matches!(
        suggest_corrections(&many).unwrap_err(),
        Error::WrongWordCount { got: 170_000, .. }
    ));
    assert_eq!(
        session::seed_from_phrase(&many).unwrap_err(),
        Error::WrongWordCount {
            got: 170_000,
            expected: 13
        }
    );
}
