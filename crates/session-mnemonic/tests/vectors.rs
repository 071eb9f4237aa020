//! Every vector of `tests/data/mnemonic.json` (copied from `shared/vectors/mnemonic.json`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use session_core::SessionSeed;
use session_core::hazmat::SecretBytes as _;
use session_core::identity::Identity;
use session_mnemonic::session::{self, LegacyDerivation, SessionOptions};
use session_mnemonic::{
    Detection, Error, Language, Mnemonic, ParseOptions, TripleRule, suggest_corrections,
};
use sha3::{Digest, Keccak256};

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/mnemonic.json")).unwrap()
}

fn section(name: &str) -> Vec<Value> {
    vectors()[name].as_array().unwrap().clone()
}

fn s(value: &Value) -> &str {
    value.as_str().unwrap()
}

fn bytes(value: &Value) -> Vec<u8> {
    hex::decode(s(value)).unwrap()
}

fn language(code: &str) -> Language {
    let language: Language = code.parse().unwrap();
    assert_eq!(language.code(), code);
    language
}

#[test]
fn session_mnemonic_vectors() {
    let entries = section("session_mnemonic");
    assert_eq!(entries.len(), 7);
    let mut checked_pairs = 0;
    let mut checked_inputs = 0;
    for entry in &entries {
        assert_eq!(language(s(&entry["language"])), Language::English);
        let data = entry.get("from_source").or(entry.get("computed")).unwrap();
        let seed: [u8; 16] = bytes(&data["seed16"]).try_into().unwrap();
        if let Some(phrase) = data.get("mnemonic") {
            let phrase = s(phrase);
            // Encoding reproduces the phrase byte for byte.
            let encoded = Mnemonic::from_entropy(&seed, Language::English).unwrap();
            assert_eq!(encoded.to_string(), phrase);
            assert_eq!(encoded.to_phrase().as_str(), phrase);
            assert_eq!(
                session::phrase_for_seed(&SessionSeed::try_from_slice(&seed).unwrap()).to_string(),
                phrase
            );
            // Decoding, with and without language detection, and through the Session profile.
            let parsed = Mnemonic::parse(phrase).unwrap();
            assert_eq!(parsed.language(), Language::English);
            assert_eq!(parsed.word_count(), 13);
            assert_eq!(parsed.to_entropy().as_slice(), &seed);
            assert_eq!(parsed, encoded);
            assert_eq!(
                Mnemonic::parse_in(Language::English, phrase).unwrap(),
                encoded
            );
            assert_eq!(
                session::seed_from_phrase(phrase).unwrap().hazmat_bytes(),
                &seed[..]
            );
            let identity = session::identity_from_phrase(phrase).unwrap();
            let expected = Identity::from_seed_bytes(&seed).unwrap();
            assert_eq!(identity.session_id(), expected.session_id());
            assert_eq!(identity.ed25519_seed().hazmat_bytes()[..16], seed);
            assert_eq!(
                session::phrase_for_identity(&identity).unwrap().to_string(),
                phrase
            );
            checked_pairs += 1;
        } else {
            let input = s(&data["mnemonic_input"]);
            if input.contains('.') {
                // Android turns every run of non-word characters into one space; we split on
                // whitespace only (spec §6.3: sanitising belongs in the UI), so the raw input is
                // rejected (its dots glue three words into one token), and the caller-side
                // clean-up restores the seed.
                assert_eq!(
                    Mnemonic::parse(input).unwrap_err(),
                    Error::WrongWordCount {
                        got: 12,
                        expected: 13
                    }
                );
                let cleaned: String = input
                    .chars()
                    .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                    .collect();
                assert_eq!(
                    session::seed_from_phrase(&cleaned).unwrap().hazmat_bytes(),
                    &seed[..]
                );
            } else {
                assert_eq!(
                    Mnemonic::parse(input).unwrap().to_entropy().as_slice(),
                    &seed
                );
                assert_eq!(
                    session::seed_from_phrase(input).unwrap().hazmat_bytes(),
                    &seed[..]
                );
            }
            checked_inputs += 1;
        }
    }
    assert_eq!((checked_pairs, checked_inputs), (5, 2));
}

#[test]
fn libsession_key_conversion_through_identity() {
    let entries = section("libsession_key_conversion");
    assert_eq!(entries.len(), 3);
    for entry in &entries[..2] {
        let source = &entry["from_source"];
        let identity = Identity::from_seed_bytes(&bytes(&source["ed25519_seed"])).unwrap();
        assert_eq!(
            identity.ed25519_public().as_bytes()[..],
            bytes(&source["ed25519_pk"])[..]
        );
        assert_eq!(
            identity.x25519_secret().hazmat_bytes()[..],
            bytes(&source["x25519_sk"])[..]
        );
        assert_eq!(
            identity.x25519_public().as_bytes()[..],
            bytes(&entry["computed"]["x25519_pk"])[..]
        );
        if let Some(sk) = source.get("ed25519_sk") {
            assert_eq!(
                session_core::hazmat::ed25519_secret_key(&identity)[..],
                bytes(sk)[..]
            );
            assert_eq!(
                identity.sign(b"hello")[..],
                bytes(&source["ed25519_signature_of_ascii_hello"])[..]
            );
            assert_eq!(
                identity.session_id().to_string(),
                s(&entry["computed"]["session_id"])
            );
        }
        // Not 16+16 seeds, so no phrase restores them.
        assert!(session::phrase_for_identity(&identity).is_none());
    }
    let pk_only = &entries[2]["from_source"];
    let pk: [u8; 32] = bytes(&pk_only["ed25519_pk_input"]).try_into().unwrap();
    let x = session_core::identity::x25519_from_ed25519(&pk.into()).unwrap();
    assert_eq!(x.as_bytes()[..], bytes(&pk_only["x25519_pk"])[..]);
}

/// Monero's view key: sc_reduce32(keccak256(spend)).
fn view_key(spend: &[u8]) -> [u8; 32] {
    let hash: [u8; 32] = Keccak256::digest(spend).into();
    curve25519_dalek::Scalar::from_bytes_mod_order(hash).to_bytes()
}

#[test]
fn monero_25_word_vectors() {
    let entries = section("monero_25_word");
    assert_eq!(entries.len(), 9);
    for entry in &entries {
        let language = language(s(&entry["language"]));
        let data = &entry["from_source"];
        let phrase = s(&data["mnemonic"]);
        let spend = bytes(&data["spend_key"]);
        let count = entry["word_count"].as_u64().unwrap() as usize;
        assert_eq!(phrase.split(' ').count(), count);
        assert_eq!(
            view_key(&spend)[..],
            bytes(&data["view_key"])[..],
            "{phrase}"
        );

        let options = ParseOptions::new()
            .language(language)
            .allow_no_checksum(!language.has_checksum());
        let parsed = Mnemonic::parse_with(phrase, &options).unwrap();
        assert_eq!(parsed.to_entropy().as_slice(), &spend[..], "{phrase}");
        assert_eq!(parsed.word_count(), count);
        assert_eq!(parsed.has_checksum(), count == 25);
        assert_eq!(parsed.to_string(), phrase);
        let encoded = Mnemonic::from_entropy(&spend, language).unwrap();
        assert_eq!(encoded.to_string(), phrase, "re-encoding {language}");
        assert_eq!(encoded, parsed);

        if language.has_checksum() {
            assert_eq!(Mnemonic::parse_in(language, phrase).unwrap(), parsed);
        } else {
            // The legacy list is reachable only through the explicit option.
            assert_eq!(
                Mnemonic::parse_in(language, phrase).unwrap_err(),
                Error::NoChecksum { language }
            );
            assert_eq!(
                Mnemonic::parse(phrase).unwrap_err(),
                Error::WrongWordCount {
                    got: 24,
                    expected: 25
                }
            );
            let detected =
                Mnemonic::parse_with(phrase, &ParseOptions::new().allow_no_checksum(true)).unwrap();
            assert_eq!(detected.language(), Language::EnglishOld);
            assert_eq!(detected.to_entropy().as_slice(), &spend[..]);
        }
    }
}

#[test]
fn monero_vectors_detect_their_language() {
    for entry in section("monero_25_word") {
        let language = language(s(&entry["language"]));
        let phrase = s(&entry["from_source"]["mnemonic"]);
        if !language.has_checksum() {
            continue;
        }
        if phrase.starts_with("audio ") || phrase.starts_with("pluma ") {
            // Repeated-word seeds whose checksum passes in any list: English, tried before
            // Spanish in Monero's order, claims them ("pluma" by the English prefix "plu").
            let detected = Mnemonic::parse(phrase).unwrap();
            assert_eq!(detected.language(), Language::English);
            assert_ne!(
                detected.to_entropy().as_slice(),
                &bytes(&entry["from_source"]["spend_key"])[..]
            );
            continue;
        }
        let detected = Mnemonic::parse(phrase).unwrap();
        assert_eq!(detected.language(), language, "{phrase}");
        assert_eq!(
            detected.to_entropy().as_slice(),
            &bytes(&entry["from_source"]["spend_key"])[..]
        );
    }
}

fn failure(case: &str) -> Value {
    section("failure_cases")
        .into_iter()
        .find(|entry| s(&entry["case"]) == case)
        .unwrap_or_else(|| panic!("no failure case {case:?}"))
}

#[test]
fn failure_cases() {
    assert_eq!(section("failure_cases").len(), 9);

    let input = failure("bad checksum word (valid word, wrong one)")["input"].clone();
    let expected = Error::ChecksumMismatch {
        language: Language::English,
        suspects: vec![],
    };
    assert_eq!(Mnemonic::parse(s(&input)).unwrap_err(), expected);
    assert_eq!(session::seed_from_phrase(s(&input)).unwrap_err(), expected);

    let input = failure("word not in list (prefix unknown)")["input"].clone();
    // Two list words are within two edits of "xyzzy"; neither completes the phrase.
    let expected = Error::UnknownWord {
        position: 4,
        word: "xyzzy".into(),
        language: Language::English,
        suggestions: vec!["dizzy", "fuzzy"],
    };
    assert_eq!(Mnemonic::parse(s(&input)).unwrap_err(), expected);
    assert_eq!(
        Mnemonic::parse_in(Language::English, s(&input)).unwrap_err(),
        expected
    );
    assert_eq!(
        session::identity_from_phrase(s(&input)).unwrap_err(),
        expected
    );

    let input = failure("12 words (checksum missing)")["input"].clone();
    let expected = Error::WrongWordCount {
        got: 12,
        expected: 13,
    };
    assert_eq!(Mnemonic::parse(s(&input)).unwrap_err(), expected);
    assert_eq!(session::seed_from_phrase(s(&input)).unwrap_err(), expected);
    // The 12-word legacy form exists only behind the option, and never in the Session profile.
    let legacy =
        Mnemonic::parse_with(s(&input), &ParseOptions::new().allow_no_checksum(true)).unwrap();
    assert!(!legacy.has_checksum());
    assert_eq!(
        legacy.to_entropy().as_slice(),
        &hex::decode("39038c8988db02c1af44e8c847bd9713").unwrap()[..]
    );

    let case = failure("14 words");
    let expected = Error::WrongWordCount {
        got: 14,
        expected: 13,
    };
    assert_eq!(Mnemonic::parse(s(&case["input"])).unwrap_err(), expected);
    assert_eq!(
        session::seed_from_phrase(s(&case["input"])).unwrap_err(),
        expected
    );
    // The 14-word input Android accepts is rejected too.
    assert!(s(&case["expected"]["session_android"]).contains("zinger kiwi rustled"));
    let android_only = "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi rustled";
    assert_eq!(
        session::seed_from_phrase(android_only).unwrap_err(),
        expected
    );

    // ses-2202: "organism" is read as "organs" by its prefix, then the checksum fails.
    let input = failure("prefix matches a different word (ses-2202)")["input"].clone();
    assert!(matches!(
        session::seed_from_phrase(s(&input)).unwrap_err(),
        Error::ChecksumMismatch { .. }
    ));
    assert!(matches!(
        Mnemonic::parse(s(&input)).unwrap_err(),
        Error::ChecksumMismatch { .. }
    ));
    assert_eq!(
        Language::English.index_of("organs"),
        Some(
            Language::English
                .words()
                .iter()
                .position(|w| *w == "organs")
                .unwrap() as u16
        )
    );

    let case = failure("empty / single word");
    for input in case["input"].as_array().unwrap() {
        let got = usize::from(!s(input).is_empty());
        let expected = Error::WrongWordCount { got, expected: 13 };
        assert_eq!(session::seed_from_phrase(s(input)).unwrap_err(), expected);
        assert!(matches!(
            Mnemonic::parse(s(input)).unwrap_err(),
            Error::WrongWordCount { got: g, .. } if g == got
        ));
    }

    for case in [
        "66-char Session ID given where a recovery QR/hex is expected",
        "33 hex chars with a non-hex character",
    ] {
        let input = failure(case)["input"].clone();
        assert_eq!(
            session::seed_from_phrase(s(&input)).unwrap_err(),
            Error::WrongWordCount {
                got: 1,
                expected: 13
            }
        );
    }

    // Uppercase is accepted (Monero and iOS lowercase the input).
    let case = failure("uppercase letters");
    let seed = bytes(&case["computed_seed16_if_accepted"]);
    assert_eq!(
        session::seed_from_phrase(s(&case["input"]))
            .unwrap()
            .hazmat_bytes()[..],
        seed[..]
    );
    assert_eq!(
        Mnemonic::parse(s(&case["input"]))
            .unwrap()
            .to_entropy()
            .as_slice(),
        &seed[..]
    );
}

#[test]
fn divergence_cases() {
    let cases = section("divergence_cases");
    assert_eq!(cases.len(), 2);

    // A triple above u32::MAX: rejected like Monero by default, kept mod 2^32 like the apps
    // on request.
    let input = s(&cases[0]["input"]);
    let lenient = bytes(&cases[0]["computed"]["session_lenient_seed16"]);
    assert_eq!(
        Mnemonic::parse(input).unwrap_err(),
        Error::InvalidTriple {
            position: 0,
            language: Language::English
        }
    );
    assert_eq!(
        session::seed_from_phrase(input).unwrap_err(),
        Error::InvalidTriple {
            position: 0,
            language: Language::English
        }
    );
    let compat = ParseOptions::new().triples(TripleRule::SessionCompat);
    assert_eq!(
        Mnemonic::parse_with(input, &compat)
            .unwrap()
            .to_entropy()
            .as_slice(),
        &lenient[..]
    );
    let options = SessionOptions::new().triples(TripleRule::SessionCompat);
    assert_eq!(
        session::seed_from_phrase_with(input, &options)
            .unwrap()
            .hazmat_bytes()[..],
        lenient[..]
    );
    assert_eq!(
        session::identity_from_phrase_with(input, &options)
            .unwrap()
            .session_id(),
        Identity::from_seed_bytes(&lenient).unwrap().session_id()
    );

    // 25 × "audio": English first in Monero's detection order; Spanish on request.
    let input = s(&cases[1]["input"]);
    let detected = Mnemonic::parse(input).unwrap();
    assert_eq!(detected.language(), Language::English);
    assert_eq!(
        detected.to_entropy().as_slice(),
        &hex::decode("79000000".repeat(8)).unwrap()[..]
    );
    let spanish = Mnemonic::parse_in(Language::Spanish, input).unwrap();
    assert_eq!(
        spanish.to_entropy().as_slice(),
        &hex::decode("ba000000".repeat(8)).unwrap()[..]
    );
    match Mnemonic::parse_with(input, &ParseOptions::new().detection(Detection::Unique)) {
        Err(Error::AmbiguousLanguage { languages }) => {
            assert_eq!(languages[..2], [Language::English, Language::Spanish]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn legacy_session_computed() {
    let cases = section("legacy_session_computed");
    assert_eq!(cases.len(), 1);
    let case = &cases[0];
    let seed: [u8; 16] = bytes(&case["seed16"]).try_into().unwrap();
    let doubled = [seed, seed].concat();
    assert_eq!(doubled, bytes(&case["x25519_private_input"]));
    let phrase = session::phrase_for_seed(&SessionSeed::from_bytes(seed)).to_string();

    let keys = session::legacy_keys_from_phrase(&phrase, LegacyDerivation::DoubledSeed).unwrap();
    assert_eq!(
        keys.x25519_secret().hazmat_bytes()[..],
        bytes(&case["x25519_sk_clamped"])[..]
    );
    assert_eq!(keys.session_id().to_string(), s(&case["session_id"]));
    // The current derivation gives a different ID, as the spec's history says.
    let current = session::identity_from_phrase(&phrase).unwrap().session_id();
    assert_ne!(current, keys.session_id());

    // Before March 2020: sc_reduce32 first, then clamped.
    let reduced = session::legacy_keys_from_phrase(&phrase, LegacyDerivation::ReducedSeed).unwrap();
    let mut expected =
        curve25519_dalek::Scalar::from_bytes_mod_order(doubled.try_into().unwrap()).to_bytes();
    expected[0] &= 248;
    expected[31] = (expected[31] & 127) | 64;
    assert_eq!(reduced.x25519_secret().hazmat_bytes(), &expected);
    assert_eq!(
        reduced.x25519_public().to_bytes(),
        curve25519_dalek::MontgomeryPoint::mul_base_clamped(expected).to_bytes()
    );
    assert_ne!(reduced.session_id(), keys.session_id());
    assert!(!format!("{reduced:?}").contains(&hex::encode(reduced.x25519_secret().hazmat_bytes())));
}

#[test]
fn suggestions_point_at_the_vector_typos() {
    // The vector's unknown word gets list suggestions, and a one-word correction exists.
    let input = s(&failure("word not in list (prefix unknown)")["input"]).to_owned();
    let fixes = suggest_corrections(&input).unwrap();
    assert!(fixes.iter().all(|fix| fix.position == 4));
    let original =
        "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
    assert!(
        fixes
            .iter()
            .any(|fix| fix.word == "memoir" && fix.mnemonic.to_string() == original)
    );
}

/// The serai/Monero seeds of the languages the shared file leaves out (English, French,
/// German, Portuguese, Russian, Lojban) and its language-specific edge cases, so that every
/// list is checked byte for byte against Monero.
#[test]
fn monero_seeds_in_every_language() {
    let extra: Value = serde_json::from_str(include_str!("data/monero_seed_extra.json")).unwrap();
    let mut covered: std::collections::BTreeSet<Language> = section("monero_25_word")
        .iter()
        .map(|entry| language(s(&entry["language"])))
        .collect();
    for vector in extra["vectors"].as_array().unwrap() {
        let language = language(s(&vector["language"]));
        let phrase = s(&vector["seed"]);
        let spend = bytes(&vector["spend"]);
        assert_eq!(view_key(&spend)[..], bytes(&vector["view"])[..], "{phrase}");
        let parsed = Mnemonic::parse_in(language, phrase).unwrap();
        assert_eq!(parsed.to_entropy().as_slice(), &spend[..], "{phrase}");
        assert_eq!(parsed.to_string(), phrase);
        assert_eq!(
            Mnemonic::from_entropy(&spend, language)
                .unwrap()
                .to_string(),
            phrase
        );
        // Lowercased and cut to the unique prefixes, it still decodes (German is capitalised).
        let trimmed: Vec<String> = phrase
            .split(' ')
            .map(|word| {
                word.to_lowercase()
                    .chars()
                    .take(language.prefix_len())
                    .collect()
            })
            .collect();
        assert_eq!(
            Mnemonic::parse_in(language, &trimmed.join(" ")).unwrap(),
            parsed
        );
        let detected = Mnemonic::parse(phrase).unwrap();
        assert_eq!(detected.language(), self::language(s(&vector["detected"])));
        if detected.language() == language {
            assert_eq!(detected.to_entropy().as_slice(), &spend[..]);
        }
        covered.insert(language);
    }
    assert_eq!(covered.len(), Language::ALL.len());
    // "pluma laico …" is made of English prefixes too, but fails the English checksum, so
    // detection moves on to Spanish, as Monero's does.
    let pluma = extra["vectors"][6]["seed"].as_str().unwrap();
    assert!(pluma.starts_with("pluma laico"));
    assert!(matches!(
        Mnemonic::parse_in(Language::English, pluma),
        Err(Error::ChecksumMismatch { .. })
    ));
}
