//! Fuzz target: phrase decoding (every option), the Session profile and the repair helpers
//! must never panic, and whatever decodes must re-encode to its canonical phrase.
#![no_main]

use libfuzzer_sys::fuzz_target;
use session_mnemonic::session;
use session_mnemonic::{
    Detection, Error, Language, Mnemonic, ParseOptions, TripleRule, recover_missing_word,
    suggest_corrections,
};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let strict = flags & 1 == 0;
    let mut options = ParseOptions::new()
        .triples(if strict {
            TripleRule::Strict
        } else {
            TripleRule::SessionCompat
        })
        .detection(if flags & 2 == 0 {
            Detection::FirstValid
        } else {
            Detection::Unique
        })
        .allow_no_checksum(flags & 4 != 0);
    if flags & 8 != 0 {
        let index = usize::from(flags >> 4) % Language::ALL.len();
        options = options.language(Language::ALL[index]);
    }
    let parsed = Mnemonic::parse_with(&text, &options);
    if let Err(Error::ChecksumMismatch { suspects, .. }) = &parsed {
        // Suspects are distinct word positions of the phrase, in order.
        let words = text.split_whitespace().count();
        assert!(suspects.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(suspects.iter().all(|&position| position < words));
    }
    if let Ok(mnemonic) = parsed {
        let canonical = mnemonic.to_string();
        let again = Mnemonic::parse_with(&canonical, &options.language(mnemonic.language()))
            .expect("a canonical phrase parses");
        assert_eq!(again.to_string(), canonical);
        if strict {
            let reencoded = Mnemonic::from_entropy(&mnemonic.to_entropy(), mnemonic.language())
                .expect("decoded entropy re-encodes");
            if mnemonic.has_checksum() {
                assert_eq!(reencoded.to_string(), canonical);
            } else {
                // A legacy phrase without its checksum word re-encodes to the same words with
                // the checksum word added (in the lists that have one).
                let words: Vec<String> = reencoded.words().map(String::from).collect();
                let data: Vec<&str> = canonical.split(' ').collect();
                assert_eq!(
                    words.get(..data.len()).map(|w| w.join(" ")),
                    Some(canonical.clone())
                );
            }
        }
    }
    let _ = session::seed_from_phrase(&text);
    if flags & 0x30 == 0x30 {
        // Every correction is a valid phrase that differs from the input in its one word.
        if let Ok(fixes) = suggest_corrections(&text) {
            for fix in fixes.iter().take(8) {
                let phrase = fix.mnemonic.to_string();
                Mnemonic::parse_in(fix.mnemonic.language(), &phrase)
                    .expect("a correction is valid");
                assert_eq!(phrase.split(' ').nth(fix.position), Some(fix.word));
            }
        }
    }
    if flags & 0xc0 == 0xc0 {
        let mut words: Vec<Option<&str>> = text.split(' ').map(Some).collect();
        if let Some(first) = words.first_mut() {
            if flags & 1 == 1 {
                *first = None;
            }
        }
        // Every candidate completes a valid English phrase.
        if let Ok(candidates) = recover_missing_word(&words, Language::English) {
            let given: Vec<&str> = words.iter().flatten().copied().collect();
            for candidate in candidates.iter().take(8) {
                let mut full = given.clone();
                full.insert(candidate.position.min(full.len()), candidate.word);
                Mnemonic::parse_in(Language::English, &full.join(" "))
                    .expect("a recovered word completes the phrase");
            }
        }
    }
});
