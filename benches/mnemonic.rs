//! session-mnemonic benchmarks: encode, parse (explicit language and detected), the Session
//! restore path, and the repair helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use session_mnemonic::{Language, Mnemonic, recover_missing_word, session, suggest_corrections};

const SESSION_PHRASE: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";

fn spend_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = (i as u8).wrapping_mul(73).wrapping_add(11);
    }
    key
}

fn encode(c: &mut Criterion) {
    let seed = [0x39u8; 16];
    let key = spend_key();
    c.bench_function("mnemonic/encode_13_english", |b| {
        b.iter(|| Mnemonic::from_entropy(black_box(&seed), Language::English).unwrap())
    });
    c.bench_function("mnemonic/encode_25_english", |b| {
        b.iter(|| Mnemonic::from_entropy(black_box(&key), Language::English).unwrap())
    });
    c.bench_function("mnemonic/encode_25_japanese", |b| {
        b.iter(|| Mnemonic::from_entropy(black_box(&key), Language::Japanese).unwrap())
    });
    let mnemonic = Mnemonic::from_entropy(&key, Language::English).unwrap();
    c.bench_function("mnemonic/display_25_english", |b| {
        b.iter(|| black_box(&mnemonic).to_string())
    });
}

fn parse(c: &mut Criterion) {
    let key = spend_key();
    let english = Mnemonic::from_entropy(&key, Language::English)
        .unwrap()
        .to_string();
    let japanese = Mnemonic::from_entropy(&key, Language::Japanese)
        .unwrap()
        .to_string();
    let lojban = Mnemonic::from_entropy(&key, Language::Lojban)
        .unwrap()
        .to_string();
    c.bench_function("mnemonic/parse_in_13_english", |b| {
        b.iter(|| Mnemonic::parse_in(Language::English, black_box(SESSION_PHRASE)).unwrap())
    });
    c.bench_function("mnemonic/parse_in_25_english", |b| {
        b.iter(|| Mnemonic::parse_in(Language::English, black_box(&english)).unwrap())
    });
    c.bench_function("mnemonic/parse_detect_25_english", |b| {
        b.iter(|| Mnemonic::parse(black_box(&english)).unwrap())
    });
    c.bench_function("mnemonic/parse_detect_25_japanese", |b| {
        b.iter(|| Mnemonic::parse(black_box(&japanese)).unwrap())
    });
    // Lojban is second to last in the detection order: the worst case for detection.
    c.bench_function("mnemonic/parse_detect_25_lojban", |b| {
        b.iter(|| Mnemonic::parse(black_box(&lojban)).unwrap())
    });
    c.bench_function("mnemonic/session_seed_from_phrase", |b| {
        b.iter(|| session::seed_from_phrase(black_box(SESSION_PHRASE)).unwrap())
    });
    c.bench_function("mnemonic/session_identity_from_phrase", |b| {
        b.iter(|| session::identity_from_phrase(black_box(SESSION_PHRASE)).unwrap())
    });
}

fn repair(c: &mut Criterion) {
    let key = spend_key();
    let mnemonic = Mnemonic::from_entropy(&key, Language::English).unwrap();
    let words: Vec<&str> = mnemonic.words().collect();
    // 24 of 25 words, gap position unknown: 25 positions × 1626 candidates.
    let mut unknown_gap: Vec<Option<&str>> = words.iter().copied().map(Some).collect();
    unknown_gap.remove(10);
    let mut known_gap: Vec<Option<&str>> = words.iter().copied().map(Some).collect();
    known_gap[10] = None;
    c.bench_function("mnemonic/recover_missing_word_25_unknown_position", |b| {
        b.iter(|| recover_missing_word(black_box(&unknown_gap), Language::English).unwrap())
    });
    c.bench_function("mnemonic/recover_missing_word_25_known_position", |b| {
        b.iter(|| recover_missing_word(black_box(&known_gap), Language::English).unwrap())
    });
    // Baseline for the ratio in BENCHMARKS.md: the same search done naively, by building and
    // parsing every candidate phrase (25 positions × 1626 words).
    let given: Vec<&str> = unknown_gap.iter().map(|w| w.unwrap()).collect();
    let mut group = c.benchmark_group("mnemonic");
    group.sample_size(10);
    group.bench_function(
        "recover_missing_word_25_unknown_position_naive_parse",
        |b| {
            b.iter(|| {
                let mut found = 0usize;
                for position in 0..=given.len() {
                    for &word in Language::English.words() {
                        let mut phrase = given.clone();
                        phrase.insert(position, word);
                        if Mnemonic::parse_in(Language::English, &phrase.join(" ")).is_ok() {
                            found += 1;
                        }
                    }
                }
                black_box(found)
            })
        },
    );
    group.finish();
    let session_words: Vec<&str> = SESSION_PHRASE.split(' ').collect();
    let mut session_gap: Vec<Option<&str>> = session_words.iter().copied().map(Some).collect();
    session_gap.remove(4);
    c.bench_function("mnemonic/recover_missing_word_13_unknown_position", |b| {
        b.iter(|| recover_missing_word(black_box(&session_gap), Language::English).unwrap())
    });
    let typo = SESSION_PHRASE.replace("zinger", "singer");
    c.bench_function("mnemonic/suggest_corrections_13", |b| {
        b.iter(|| suggest_corrections(black_box(&typo)).unwrap())
    });
    let unknown = SESSION_PHRASE.replace("memoir", "mmeoir");
    c.bench_function("mnemonic/parse_unknown_word_with_suggestions", |b| {
        b.iter(|| Mnemonic::parse(black_box(&unknown)).unwrap_err())
    });
}

criterion_group!(benches, encode, parse, repair);
criterion_main!(benches);
