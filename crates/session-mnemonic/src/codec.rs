//! The Electrum word arithmetic: 4 bytes ↔ 3 words, and the checksum word.

use crate::wordlist::{WORDS, WordList};

const N: u32 = WORDS as u32;
const N64: u64 = WORDS as u64;

/// The three word indices of a little-endian 32-bit chunk.
pub(crate) fn encode_chunk(x: u32) -> [u16; 3] {
    let w1 = x % N;
    let w2 = (x / N + w1) % N;
    let w3 = (x / N / N + w2) % N;
    // Each value is < 1626, so the narrowing casts are exact.
    [w1 as u16, w2 as u16, w3 as u16]
}

/// The value three words encode, computed without overflow.
///
/// `x = w1 + n·((n − w1 + w2) mod n) + n²·((n − w2 + w3) mod n)`. It exceeds `u32::MAX` for
/// 3 975 080 of the 1626³ triples; Monero detects those with a wrapping u32 computation and an
/// `x mod n == w1` check, which is the same as `x < 2³²`.
pub(crate) fn decode_triple(w1: u16, w2: u16, w3: u16) -> u64 {
    let (w1, w2, w3) = (u64::from(w1), u64::from(w2), u64::from(w3));
    w1 + N64 * ((N64 - w1 + w2) % N64) + N64 * N64 * ((N64 - w2 + w3) % N64)
}

/// Whether a triple encodes a 32-bit value.
pub(crate) fn triple_is_valid(w1: u16, w2: u16, w3: u16) -> bool {
    decode_triple(w1, w2, w3) <= u64::from(u32::MAX)
}

/// Reduces a CRC to a checksum position among `data_words` data words.
pub(crate) fn checksum_position(crc: u32, data_words: usize) -> usize {
    usize::try_from(crc)
        .ok()
        .and_then(|crc| crc.checked_rem(data_words))
        .unwrap_or(0)
}

/// Position (among the data words) of the word the checksum word must repeat: CRC-32 of the
/// concatenated canonical prefixes, modulo the number of data words.
///
/// The CRC covers the *list's* prefixes, not what the user typed: Monero's
/// `create_checksum_index` does the same, which is what makes case-insensitive input (German)
/// and prefix-only input produce the same checksum as the canonical phrase.
pub(crate) fn checksum_index(list: &WordList, data: &[u16]) -> usize {
    let mut hasher = crc32fast::Hasher::new();
    for &index in data {
        hasher.update(list.canonical_prefix(index));
    }
    checksum_position(hasher.finalize(), data.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_round_trip_at_the_edges() {
        for x in [0, 1, 1625, 1626, 0x7fff_ffff, u32::MAX - 1, u32::MAX] {
            let [a, b, c] = encode_chunk(x);
            assert_eq!(decode_triple(a, b, c), u64::from(x));
        }
    }

    #[test]
    fn invalid_triples_match_the_closed_form() {
        // (w1, w2, w3) ↦ x is a bijection onto 0..n³, so exactly n³ − 2³² = 3 975 080 triples
        // are invalid. Check, for two values of w1, that the invalid (w2, w3) pairs are exactly
        // those whose x = w1 + n·a + n²·b (a = w2 − w1, b = w3 − w2 mod n) reaches 2³².
        assert_eq!(N64 * N64 * N64 - (1u64 << 32), 3_975_080);
        for w1 in [0u16, 1625] {
            let mut invalid = 0u64;
            let mut expected = 0u64;
            for a in 0..N64 {
                let base = u64::from(w1) + N64 * a;
                // Smallest b with base + n²·b ≥ 2³².
                let first_bad = ((1u64 << 32).saturating_sub(base)).div_ceil(N64 * N64);
                expected += N64.saturating_sub(first_bad);
                let w2 = ((u64::from(w1) + a) % N64) as u16;
                for b in 0..N64 {
                    let w3 = ((u64::from(w2) + b) % N64) as u16;
                    if !triple_is_valid(w1, w2, w3) {
                        invalid += 1;
                    }
                }
            }
            assert_eq!(invalid, expected);
            assert!(invalid > 0);
        }
    }
}
