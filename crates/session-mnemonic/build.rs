//! Turns the 13 word lists in `wordlists/` into static lookup tables (`$OUT_DIR/wordlists.rs`).
//!
//! Doing this at build time keeps the library free of lazy initialisation (it is `no_std`) and
//! makes every lookup a binary search over a table sorted here. The script also checks the
//! invariants the decoder relies on: 1626 words per list, no duplicates, and unique
//! case-folded prefixes (except for the legacy `english_old` list, which is matched by full word
//! only).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// (file stem, Rust identifier, prefix length in characters, prefixes must be unique)
const LISTS: &[(&str, &str, usize, bool)] = &[
    ("chinese_simplified", "CHINESE_SIMPLIFIED", 1, true),
    ("dutch", "DUTCH", 4, true),
    ("english", "ENGLISH", 3, true),
    ("english_old", "ENGLISH_OLD", 4, false),
    ("esperanto", "ESPERANTO", 4, true),
    ("french", "FRENCH", 4, true),
    ("german", "GERMAN", 4, true),
    ("italian", "ITALIAN", 4, true),
    ("japanese", "JAPANESE", 3, true),
    ("lojban", "LOJBAN", 4, true),
    ("portuguese", "PORTUGUESE", 4, true),
    ("russian", "RUSSIAN", 4, true),
    ("spanish", "SPANISH", 4, true),
];

const WORDS: usize = 1626;

fn prefix(word: &str, chars: usize) -> &str {
    match word.char_indices().nth(chars) {
        Some((at, _)) => &word[..at],
        None => word,
    }
}

/// A prefix of at most 16 UTF-8 bytes, big-endian in a u128 and zero-padded (the library's
/// `pack_prefix` must agree).
fn pack(prefix: &str) -> u128 {
    let bytes = prefix.as_bytes();
    assert!(bytes.len() <= 16 && !bytes.contains(&0), "{prefix}");
    let mut buf = [0u8; 16];
    buf[..bytes.len()].copy_from_slice(bytes);
    u128::from_be_bytes(buf)
}

/// Raw reflected CRC-32 register update (polynomial 0xEDB88320), bit by bit.
fn crc_register(mut register: u32, bytes: &[u8]) -> u32 {
    for &byte in bytes {
        register ^= u32::from(byte);
        for _ in 0..8 {
            register = if register & 1 == 1 {
                (register >> 1) ^ 0xEDB8_8320
            } else {
                register >> 1
            };
        }
    }
    register
}

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("wordlists");
    let mut out = String::new();
    for &(stem, ident, prefix_len, unique) in LISTS {
        let path = dir.join(format!("{stem}.txt"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap();
        let words: Vec<&str> = text.lines().collect();
        assert_eq!(words.len(), WORDS, "{stem}: word count");

        let mut by_word = BTreeMap::new();
        let mut by_prefix = BTreeMap::new();
        let mut canonical_prefix_len = Vec::with_capacity(WORDS);
        for (index, word) in words.iter().enumerate() {
            assert!(
                !word.is_empty() && !word.contains(char::is_whitespace),
                "{stem}: {word:?}"
            );
            let lower = word.to_lowercase();
            let canonical = prefix(word, prefix_len);
            assert_eq!(
                prefix(&lower, prefix_len),
                canonical.to_lowercase(),
                "{stem}: {word}"
            );
            canonical_prefix_len.push(canonical.len());
            assert!(
                by_word.insert(lower.clone(), index).is_none(),
                "{stem}: duplicate {word}"
            );
            let key = prefix(&lower, prefix_len).to_owned();
            let previous = by_prefix.insert(key, index);
            assert!(
                !unique || previous.is_none(),
                "{stem}: duplicate prefix of {word}"
            );
        }

        let _ = writeln!(out, "pub(crate) static {ident}: WordList = WordList {{");
        let _ = writeln!(out, "    words: &[");
        for word in &words {
            let _ = writeln!(out, "        {word:?},");
        }
        let _ = writeln!(out, "    ],");
        let _ = writeln!(out, "    lowercase: &[");
        for word in &words {
            let _ = writeln!(out, "        {:?},", word.to_lowercase());
        }
        let _ = writeln!(out, "    ],");
        let _ = writeln!(out, "    prefix_bytes: &{canonical_prefix_len:?},");
        // The raw CRC-32 register after each canonical prefix, starting from 0: the word's
        // linear contribution to a checksum (see src/crc.rs).
        let contributions: Vec<u32> = words
            .iter()
            .map(|word| crc_register(0, prefix(word, prefix_len).as_bytes()))
            .collect();
        let _ = writeln!(out, "    prefix_crc: &{contributions:?},");
        // BTreeMap iterates in byte order of the keys: what `binary_search_by` on `str` expects.
        let _ = writeln!(out, "    by_word: &[");
        for (word, index) in &by_word {
            let _ = writeln!(out, "        ({word:?}, {index}),");
        }
        let _ = writeln!(out, "    ],");
        // Prefixes packed big-endian into a u128, zero-padded: at most 4 characters of at most
        // 4 bytes each, no NUL bytes, so the numeric order is the byte order and a lookup is
        // a binary search over integers.
        let packed: Vec<(u128, usize)> = if unique {
            by_prefix
                .iter()
                .map(|(key, &index)| (pack(key), index))
                .collect()
        } else {
            Vec::new()
        };
        assert!(
            packed.windows(2).all(|pair| pair[0].0 < pair[1].0),
            "{stem}: order"
        );
        let _ = writeln!(out, "    prefix_keys: &[");
        for (key, _) in &packed {
            let _ = writeln!(out, "        {key:#x},");
        }
        let _ = writeln!(out, "    ],");
        let _ = writeln!(out, "    prefix_indices: &[");
        for (_, index) in &packed {
            let _ = writeln!(out, "        {index},");
        }
        let _ = writeln!(out, "    ],");
        let _ = writeln!(out, "}};");
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("wordlists.rs");
    std::fs::write(dest, out).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
