//! Repair helpers: find a missing word, or the one-word substitutions that make a phrase valid.
//!
//! Both rest on one search: fix every word but one, try all 1626 words in the open slot, and
//! keep those that give valid triples and a matching checksum word. The CRC state over the
//! words before the slot is computed once and cloned per candidate, and the canonical prefixes
//! after the slot are concatenated once, so a candidate costs one short CRC update.

use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use zeroize::Zeroizing;

use crate::codec::{checksum_index, checksum_position, triple_is_valid};
use crate::crc;
use crate::mnemonic::{
    Form, ParseOptions, is_checksum_count, nearest_checksum_count, parse_tokens, unknown_word,
};
use crate::normalize::normalize;
use crate::suggest::{Closeness, MAX_TOKEN_CHARS, Scratch, word_closeness};
use crate::wordlist::{WORDS, WordList};
use crate::{Error, Language, Mnemonic, TripleRule};

/// A word that fills the gap of [`recover_missing_word`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Candidate {
    /// Zero-based position of the missing word in the completed phrase.
    pub position: usize,
    /// The word (canonical spelling).
    pub word: &'static str,
    /// Its index in the list.
    pub index: u16,
}

/// A valid phrase one substituted word away from the input of [`suggest_corrections`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Correction {
    /// Zero-based position of the substituted word.
    pub position: usize,
    /// The word put there (canonical spelling).
    pub word: &'static str,
    /// Edit distance between what was typed there and `word` (prefix-aware: typing the
    /// unique prefix counts as the whole word). The first key of the ranking described at
    /// [`suggest_corrections`], so likely typos come first.
    pub distance: usize,
    /// The corrected phrase.
    pub mnemonic: Mnemonic,
}

/// Calls `found` with every word index that, put at `gap` of the checksum-form phrase `full`
/// (whose entry at `gap` is ignored), makes every triple valid and the checksum word match.
pub(crate) fn solve_gap(list: &WordList, full: &[u16], gap: usize, mut found: impl FnMut(u16)) {
    let Some((&check, data)) = full.split_last() else {
        return;
    };
    let data_count = data.len();
    if data_count == 0 || !data_count.is_multiple_of(3) {
        return;
    }
    let gap_triple = gap / 3;
    let others_valid = data.chunks_exact(3).enumerate().all(|(t, triple)| {
        t == gap_triple || matches!(*triple, [a, b, c] if triple_is_valid(a, b, c))
    });
    if !others_valid {
        return;
    }
    if gap >= data_count {
        // The checksum word itself is missing: the data words determine it.
        if let Some(&word) = data.get(checksum_index(list, data)) {
            found(word);
        }
        return;
    }
    let mut before = crc::INIT;
    for &index in data.get(..gap).unwrap_or(&[]) {
        before = crc::update(before, list.canonical_prefix(index));
    }
    // The prefixes after the gap, folded into a constant and a zero-byte shift (see `crc`).
    let mut tail = 0u32;
    let mut tail_len = 0usize;
    for &index in data.get(gap + 1..).unwrap_or(&[]) {
        let bytes = list.canonical_prefix(index);
        tail = crc::update(tail, bytes);
        tail_len += bytes.len();
    }
    let shift = crc::ZeroShift::new(tail_len);
    // `before` advanced by k zero bytes, for every prefix length k: the register after a
    // candidate is then `advanced[len] ⊕ contribution` (linearity again), with no byte loop.
    let mut advanced = [0u32; 17];
    let mut register = before;
    for slot in &mut advanced {
        *slot = register;
        register = crc::update(register, &[0]);
    }
    // Positions whose word already equals the checksum word: a CRC landing there passes.
    let selects_check: Vec<bool> = data.iter().map(|&index| index == check).collect();
    let start = gap_triple * 3;
    let triple_of = |candidate: u16| -> [u16; 3] {
        let mut triple = [0u16; 3];
        for (offset, slot) in triple.iter_mut().enumerate() {
            let position = start + offset;
            *slot = if position == gap {
                candidate
            } else {
                data.get(position).copied().unwrap_or(0)
            };
        }
        triple
    };
    for candidate in 0..WORDS {
        let [a, b, c] = triple_of(candidate);
        if !triple_is_valid(a, b, c) {
            continue;
        }
        let (len, contribution) = list.prefix_crc(candidate);
        let register = match advanced.get(len) {
            Some(&advanced) => advanced ^ contribution,
            None => crc::update(before, list.canonical_prefix(candidate)),
        };
        let at = checksum_position(!(shift.apply(register) ^ tail), data_count);
        let passes = if at == gap {
            candidate == check
        } else {
            selects_check.get(at).copied().unwrap_or(false)
        };
        if passes {
            found(candidate);
        }
    }
}

/// Normalises and looks up one word of a word-by-word input.
fn lookup_word(language: Language, position: usize, word: &str) -> Result<u16, Error> {
    let normalised = normalize(word);
    let token = normalised.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(unknown_word(language, position, token));
    }
    language
        .list()
        .find_prefix(token, language.prefix_len())
        .ok_or_else(|| unknown_word(language, position, token))
}

/// Finds every word that completes a phrase with one missing word.
///
/// `words` is the phrase word by word (each matched by unique prefix, like [`Mnemonic::parse`]).
/// Mark the missing word with `None` when you know where it is; pass the words without a gap
/// when you do not, and every position is tried. A candidate makes every triple valid and the
/// checksum word match; the result is sorted by position, then list order. When the position
/// is unknown, inserting a word next to an identical one gives the same phrase at two
/// positions: it is reported once, at the first.
///
/// When [`Mnemonic::parse`] reports [`Error::WrongWordCount`] with one word too few, pass the
/// words as they are (no gap marker) to find where the missing word goes.
///
/// Expect about `1626 / data words` candidates per position (≈ 135 for a Session phrase with
/// a known gap, ≈ 68 for a 25-word seed): the checksum is one word's worth of redundancy.
/// A phrase of one repeated word is the exception, valid with almost any word anywhere: the
/// result is bounded by 1626 per position, which for the longest phrase (768 words given, gap
/// unknown) is 1.2 million candidates, 40 MB, found in about 30 ms.
///
/// ```
/// use session_mnemonic::{recover_missing_word, Language};
///
/// let words = ["puffin", "luxury", "annoyed", "rustled", "memoir", "faxed", "smidgen",
///              "puddle", "kiwi", "nylon", "utopia", "zinger"];
/// // The checksum word (position 12) is missing: exactly one word fits.
/// let mut with_gap: Vec<Option<&str>> = words.iter().copied().map(Some).collect();
/// with_gap.push(None);
/// let found = recover_missing_word(&with_gap, Language::English)?;
/// assert_eq!(found.len(), 1);
/// assert_eq!((found[0].position, found[0].word), (12, "kiwi"));
/// # Ok::<(), session_mnemonic::Error>(())
/// ```
pub fn recover_missing_word(
    words: &[Option<&str>],
    language: Language,
) -> Result<Vec<Candidate>, Error> {
    if !language.has_checksum() {
        return Err(Error::NoChecksum { language });
    }
    let gaps = words.iter().filter(|word| word.is_none()).count();
    if gaps > 1 {
        return Err(Error::TooManyGaps { got: gaps });
    }
    let total = words.len() + usize::from(gaps == 0);
    if !is_checksum_count(total) {
        return Err(Error::WrongWordCount {
            got: words.len(),
            expected: nearest_checksum_count(total) - usize::from(gaps == 0),
        });
    }
    let list = language.list();
    let mut given = Zeroizing::new(Vec::with_capacity(words.len()));
    for (position, word) in words.iter().enumerate() {
        if let Some(word) = word {
            given.push(lookup_word(language, position, word)?);
        }
    }
    let mut candidates = Vec::new();
    let mut full = Zeroizing::new(Vec::with_capacity(total));
    if gaps == 1 {
        let gap = words.iter().position(Option::is_none).unwrap_or(0);
        full.extend(words.iter().zip(0..).map(|_| 0u16));
        let mut known = given.iter();
        for (slot, word) in full.iter_mut().zip(words) {
            if word.is_some() {
                *slot = known.next().copied().unwrap_or(0);
            }
        }
        solve_gap(list, &full, gap, |index| {
            candidates.push(Candidate {
                position: gap,
                word: list.word(index),
                index,
            });
        });
    } else {
        for gap in 0..total {
            full.clear();
            full.extend_from_slice(given.get(..gap).unwrap_or(&[]));
            full.push(0);
            full.extend_from_slice(given.get(gap..).unwrap_or(&[]));
            let previous = gap.checked_sub(1).and_then(|p| given.get(p)).copied();
            solve_gap(list, &full, gap, |index| {
                if previous != Some(index) {
                    candidates.push(Candidate {
                        position: gap,
                        word: list.word(index),
                        index,
                    });
                }
            });
        }
    }
    Ok(candidates)
}

/// Every valid phrase that differs from `phrase` in exactly one word, likeliest first.
///
/// This is the answer to [`Error::ChecksumMismatch`]: the checksum says that a word is wrong,
/// not which one, and a 13-word phrase has about 1,500 valid phrases one word away, so the
/// candidates are ranked by how close the substituted word is to what was typed at its
/// position, measured on the typed text:
///
/// 1. edit distance (a typed word's unique prefix, or any start of the list word, counts as
///    the whole word);
/// 2. then keyboard closeness: replacing a letter by a neighbouring QWERTY key ("s" for "z")
///    costs half of any other edit;
/// 3. then words that matched a list word only by its prefix and then go on differently
///    (the suspects the error names) before words spelled as in the list;
/// 4. then language (detection order), position and list order.
///
/// The language is detected: every list (with a checksum) in which at most one word of the
/// phrase is unknown is searched. With one unknown word only that position is tried; otherwise
/// every position is. When no language comes that close, the error is the one
/// [`Mnemonic::parse`] gives.
///
/// A valid phrase also gets results: the other phrases one word away (which a user who typed
/// a valid but wrong word needs).
///
/// Every correction is returned for phrases of up to 25 words. Longer phrases return at most
/// 2²⁰ / word count of them (the likeliest), so a long phrase of one repeated word, valid
/// after almost any substitution, cannot make the result grow with the square of its length.
///
/// ```
/// use session_mnemonic::{suggest_corrections, Error, Mnemonic};
///
/// // "zinger" mistyped as "singer". "singer" is not in the English list, but its first three
/// // letters select "sincerely", so every word is known and only the checksum fails.
/// let typo = "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia singer kiwi";
/// assert!(matches!(
///     Mnemonic::parse(typo),
///     Err(Error::ChecksumMismatch { ref suspects, .. }) if suspects == &[11]
/// ));
/// let fixes = suggest_corrections(typo)?;
/// assert_eq!((fixes[0].position, fixes[0].word), (11, "zinger"));
/// # Ok::<(), session_mnemonic::Error>(())
/// ```
pub fn suggest_corrections(phrase: &str) -> Result<Vec<Correction>, Error> {
    corrections(phrase, None)
}

/// [`suggest_corrections`] in one language.
pub fn suggest_corrections_in(language: Language, phrase: &str) -> Result<Vec<Correction>, Error> {
    if !language.has_checksum() {
        return Err(Error::NoChecksum { language });
    }
    corrections(phrase, Some(language))
}

/// How many words the corrections of one call may hold together. A long phrase made of one
/// repeated word has a valid substitution at almost every (position, word) pair, so without a
/// cap the result would grow with the square of the input (a 769-word phrase: 1.2 million
/// phrases, gigabytes). 2²⁰ words keeps every correction of any 13- or 25-word phrase (at most
/// 25 × 1625 = 40 625 of them); longer phrases keep the likeliest.
const CORRECTION_WORD_BUDGET: usize = 1 << 20;

/// A correction before its phrase is built; the derived order is the result order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Ranked {
    closeness: Closeness,
    /// Whether the replaced token was spelled as in the list (the whole word or a start of
    /// it). Tokens that matched only by prefix, or not at all, are likelier typos: `false`
    /// sorts first.
    spelled_as_listed: bool,
    rank: usize,
    position: usize,
    index: u16,
}

fn corrections(phrase: &str, language: Option<Language>) -> Result<Vec<Correction>, Error> {
    let normalised = normalize(phrase);
    let count = normalised.split_whitespace().count();
    if !is_checksum_count(count) {
        return Err(Error::WrongWordCount {
            got: count,
            expected: nearest_checksum_count(count),
        });
    }
    let tokens: Vec<&str> = normalised.split_whitespace().collect();
    let languages: Vec<Language> = match language {
        Some(language) => alloc::vec![language],
        None => Language::DETECTION_ORDER
            .into_iter()
            .filter(|language| language.has_checksum())
            .collect(),
    };
    let keep = CORRECTION_WORD_BUDGET / count;
    // The `keep` best corrections so far, worst on top. They hold positions and word indices,
    // not phrases: a phrase is built only for the corrections finally returned.
    let mut best: BinaryHeap<Ranked> = BinaryHeap::new();
    // The phrase's word indices in each searched language, by rank.
    let mut phrases: Vec<Option<Zeroizing<Vec<u16>>>> = Vec::with_capacity(languages.len());
    let mut scratch: Scratch = (Vec::new(), [Vec::new(), Vec::new(), Vec::new()]);
    let mut hits = Vec::new();
    for (rank, &language) in languages.iter().enumerate() {
        let list = language.list();
        let found: Zeroizing<Vec<Option<u16>>> = Zeroizing::new(
            tokens
                .iter()
                .map(|token| list.find_prefix(token, language.prefix_len()))
                .collect(),
        );
        let unknown: Vec<usize> = found
            .iter()
            .enumerate()
            .filter(|(_, index)| index.is_none())
            .map(|(position, _)| position)
            .collect();
        let positions: Vec<usize> = match unknown.as_slice() {
            [] => (0..tokens.len()).collect(),
            [only] => alloc::vec![*only],
            _ => {
                phrases.push(None);
                continue;
            }
        };
        let full = Zeroizing::new(
            found
                .iter()
                .map(|index| index.unwrap_or(0))
                .collect::<Vec<u16>>(),
        );
        for position in positions {
            let typed: Zeroizing<Vec<char>> = Zeroizing::new(
                tokens
                    .get(position)
                    .map(|token| token.chars().take(MAX_TOKEN_CHARS).collect())
                    .unwrap_or_default(),
            );
            let current = found.get(position).copied().flatten();
            let spelled_as_listed = match (current, tokens.get(position)) {
                (Some(index), Some(token)) => list.lowercase(index).starts_with(token),
                _ => false,
            };
            hits.clear();
            solve_gap(list, &full, position, |index| {
                if Some(index) != current {
                    hits.push(index);
                }
            });
            for &index in &hits {
                let closeness = word_closeness(
                    &typed,
                    list.lowercase(index),
                    language.prefix_len(),
                    &mut scratch,
                );
                best.push(Ranked {
                    closeness,
                    spelled_as_listed,
                    rank,
                    position,
                    index,
                });
                if best.len() > keep {
                    best.pop();
                }
            }
        }
        phrases.push(Some(full));
    }
    if phrases.iter().all(Option::is_none) {
        let options = match language {
            Some(language) => ParseOptions::new().language(language),
            None => ParseOptions::new(),
        };
        return match parse_tokens(&tokens, &options) {
            Err(error) => Err(error),
            // Unreachable: a phrase parses only if every word is known somewhere.
            Ok(_) => Ok(Vec::new()),
        };
    }
    let mut out = Vec::with_capacity(best.len());
    for ranked in best.into_sorted_vec() {
        let (Some(&language), Some(Some(full))) =
            (languages.get(ranked.rank), phrases.get(ranked.rank))
        else {
            continue;
        };
        let mut indices = Zeroizing::new(full.to_vec());
        if let Some(slot) = indices.get_mut(ranked.position) {
            *slot = ranked.index;
        }
        // `solve_gap` only reports valid phrases, so this always succeeds.
        let Ok(mnemonic) =
            Mnemonic::from_parts(language, indices, Form::Checksum, TripleRule::Strict, &[])
        else {
            continue;
        };
        out.push(Correction {
            position: ranked.position,
            word: language.list().word(ranked.index),
            distance: ranked.closeness.edits,
            mnemonic,
        });
    }
    Ok(out)
}
