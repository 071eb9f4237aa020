//! "Did you mean …?": the list words closest to a mistyped one.

use alloc::vec::Vec;

use crate::Language;
use crate::wordlist::{WORDS, char_prefix};

/// Tokens longer than this get no suggestions: no list word is longer than 16 characters, and
/// the edit distance costs `O(len × 16)` per word.
pub(crate) const MAX_TOKEN_CHARS: usize = 32;

/// How many suggestions an [`Error::UnknownWord`](crate::Error::UnknownWord) carries.
pub(crate) const MAX_SUGGESTIONS: usize = 3;

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) between two
/// character sequences, using two caller-provided rows of scratch space.
pub(crate) fn edit_distance(a: &[char], b: &[char], rows: &mut [Vec<usize>; 3]) -> usize {
    let [before, previous, current] = rows;
    for row in [&mut *before, &mut *previous, &mut *current] {
        row.clear();
        row.resize(b.len() + 1, 0);
    }
    for (j, cell) in previous.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, &ca) in a.iter().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let deletion = previous.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insertion = current.get(j).map_or(usize::MAX, |d| d + 1);
            let substitution = previous.get(j).map_or(usize::MAX, |d| d + cost);
            let mut best = deletion.min(insertion).min(substitution);
            if i > 0
                && j > 0
                && a.get(i - 1) == Some(&cb)
                && b.get(j - 1) == Some(&ca)
                && let Some(d) = before.get(j - 1)
            {
                best = best.min(d + 1);
            }
            if let Some(cell) = current.get_mut(j + 1) {
                *cell = best;
            }
        }
        core::mem::swap(before, previous);
        core::mem::swap(previous, current);
    }
    previous.get(b.len()).copied().unwrap_or(usize::MAX)
}

/// Distance from a typed token to a list word, where matching the word's unique prefix (or a
/// longer start of it) counts as fully typed: decoders accept any word by its prefix.
pub(crate) fn word_distance(
    token: &[char],
    word: &str,
    prefix_chars: usize,
    scratch: &mut (Vec<char>, [Vec<usize>; 3]),
) -> usize {
    let (chars, rows) = scratch;
    chars.clear();
    chars.extend(word.chars());
    let full = edit_distance(token, chars, rows);
    let start_len = token.len().max(prefix_chars);
    if start_len < chars.len() {
        chars.clear();
        chars.extend(char_prefix(word, start_len).chars());
        full.min(edit_distance(token, chars, rows))
    } else {
        full
    }
}

/// Up to [`MAX_SUGGESTIONS`] words of `language` closest to `token` (already normalised),
/// closest first, ties in list order. Only words within a distance of half the token's length
/// (at least 1, at most 3) are offered, so garbage gets no suggestions.
///
/// `completes` (sorted) lists the words that would make the whole phrase valid when the token
/// is its only unknown word; those come first, because one of them is the word the user meant.
pub(crate) fn closest_words(
    language: Language,
    token: &str,
    completes: &[u16],
) -> Vec<&'static str> {
    let token: Vec<char> = token.chars().take(MAX_TOKEN_CHARS + 1).collect();
    if token.is_empty() || token.len() > MAX_TOKEN_CHARS {
        return Vec::new();
    }
    let limit = (token.len() / 2).clamp(1, 3);
    let list = language.list();
    let mut scratch = (Vec::new(), [Vec::new(), Vec::new(), Vec::new()]);
    // (does not complete the phrase, distance, index): smaller is better.
    let mut best: Vec<(bool, usize, u16)> = Vec::with_capacity(MAX_SUGGESTIONS + 1);
    for index in 0..WORDS {
        let distance = word_distance(
            &token,
            list.lowercase(index),
            language.prefix_len(),
            &mut scratch,
        );
        if distance > limit {
            continue;
        }
        let key = (completes.binary_search(&index).is_err(), distance, index);
        let at = best.partition_point(|entry| *entry < key);
        if at < MAX_SUGGESTIONS {
            best.insert(at, key);
            best.truncate(MAX_SUGGESTIONS);
        }
    }
    best.into_iter()
        .map(|(_, _, index)| list.word(index))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        edit_distance(&a, &b, &mut [vec![], vec![], vec![]])
    }

    #[test]
    fn distances() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("puffin", "pufin"), 1);
        assert_eq!(distance("puffin", "upffin"), 1);
        assert_eq!(distance("ca", "abc"), 3);
        assert_eq!(distance("ábaco", "abaco"), 1);
    }

    #[test]
    fn suggests_close_words() {
        assert_eq!(
            closest_words(Language::English, "pyffin", &[]).first(),
            Some(&"puffin")
        );
        assert_eq!(
            closest_words(Language::English, "lxury", &[]).first(),
            Some(&"luxury")
        );
        assert!(closest_words(Language::English, "qqqqqqqqqq", &[]).is_empty());
        assert!(closest_words(Language::English, "", &[]).is_empty());
        assert!(closest_words(Language::English, &"a".repeat(1000), &[]).is_empty());
        assert!(closest_words(Language::English, "pyffin", &[]).len() <= MAX_SUGGESTIONS);
    }
}
