//! "Did you mean …?": the list words closest to a mistyped one.

use alloc::vec::Vec;

use crate::Language;
use crate::wordlist::WORDS;

/// Tokens longer than this get no suggestions: no list word is longer than 16 characters, and
/// the edit distance costs `O(len × 16)` per word.
pub(crate) const MAX_TOKEN_CHARS: usize = 32;

/// How many suggestions an [`Error::UnknownWord`](crate::Error::UnknownWord) carries.
pub(crate) const MAX_SUGGESTIONS: usize = 3;

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) between two
/// character sequences, using caller-provided rows of scratch space.
pub(crate) fn edit_distance(a: &[char], b: &[char], rows: &mut [Vec<usize>; 3]) -> usize {
    weighted_distance(a, b, rows, 1, |x, y| usize::from(x != y))
}

/// The same alignment, weighted by a typing model: inserting, deleting or swapping a
/// character costs 2, replacing it with a key next to it on a QWERTY keyboard 1 ("singer" for
/// "zinger"), with any other character 2. Ranks typos that plain edit distance ties.
pub(crate) fn keyboard_distance(a: &[char], b: &[char], rows: &mut [Vec<usize>; 3]) -> usize {
    weighted_distance(a, b, rows, 2, |x, y| {
        if x == y {
            0
        } else if keys_touch(x, y) {
            1
        } else {
            2
        }
    })
}

/// The letter rows of a QWERTY keyboard. Each row sits half a key to the right of the one
/// above, so a key touches its row neighbours and, below it, the keys at its column and the
/// one to the left.
const QWERTY: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

fn key_position(c: char) -> Option<(usize, usize)> {
    let byte = u8::try_from(c).ok()?;
    QWERTY
        .iter()
        .enumerate()
        .find_map(|(row, keys)| Some((row, keys.iter().position(|&k| k == byte)?)))
}

/// Whether two letters are on neighbouring QWERTY keys (other characters never are).
pub(crate) fn keys_touch(a: char, b: char) -> bool {
    let (Some((ra, ca)), Some((rb, cb))) = (key_position(a), key_position(b)) else {
        return false;
    };
    if ra == rb {
        return ca.abs_diff(cb) == 1;
    }
    // Order the pair so `upper` is the row above `lower`.
    let ((ru, cu), (rl, cl)) = if ra < rb {
        ((ra, ca), (rb, cb))
    } else {
        ((rb, cb), (ra, ca))
    };
    rl == ru + 1 && (cl == cu || cl + 1 == cu)
}

/// Optimal-string-alignment distance where insertions, deletions and transpositions cost
/// `unit` and a substitution costs `substitution(from, to)`.
fn weighted_distance(
    a: &[char],
    b: &[char],
    rows: &mut [Vec<usize>; 3],
    unit: usize,
    substitution: impl Fn(char, char) -> usize,
) -> usize {
    let [before, previous, current] = rows;
    for row in [&mut *before, &mut *previous, &mut *current] {
        row.clear();
        row.resize(b.len() + 1, 0);
    }
    for (j, cell) in previous.iter_mut().enumerate() {
        *cell = j * unit;
    }
    for (i, &ca) in a.iter().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = (i + 1) * unit;
        }
        for (j, &cb) in b.iter().enumerate() {
            let deletion = previous.get(j + 1).map_or(usize::MAX, |d| d + unit);
            let insertion = current.get(j).map_or(usize::MAX, |d| d + unit);
            let replace = previous
                .get(j)
                .map_or(usize::MAX, |d| d + substitution(ca, cb));
            let mut best = deletion.min(insertion).min(replace);
            if i > 0
                && j > 0
                && a.get(i - 1) == Some(&cb)
                && b.get(j - 1) == Some(&ca)
                && let Some(d) = before.get(j - 1)
            {
                best = best.min(d + unit);
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

/// How close a typed token is to a list word: plain edit distance, then the keyboard-weighted
/// distance to break its ties. Compared lexicographically, smaller is closer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Closeness {
    /// Optimal-string-alignment distance.
    pub(crate) edits: usize,
    /// [`keyboard_distance`].
    pub(crate) keyboard: usize,
}

/// Scratch space for [`word_closeness`], reused across words.
pub(crate) type Scratch = (Vec<char>, [Vec<usize>; 3]);

/// The `edits` part of [`word_closeness`] alone: enough to decide whether a word is close
/// enough to suggest at all.
pub(crate) fn word_edits(
    token: &[char],
    word: &str,
    prefix_chars: usize,
    scratch: &mut Scratch,
) -> usize {
    let (chars, rows) = scratch;
    chars.clear();
    chars.extend(word.chars());
    let full = edit_distance(token, chars, rows);
    let start_len = token.len().max(prefix_chars);
    if start_len < chars.len() {
        chars.truncate(start_len);
        full.min(edit_distance(token, chars, rows))
    } else {
        full
    }
}

/// How close a typed token is to a list word, measured on the text as typed. Typing the
/// word's unique prefix, or any longer start of it, counts as typing the whole word, since
/// decoders accept any word by its prefix: the token is compared with the whole word and with
/// the word's start of the token's length, and the closer comparison counts.
pub(crate) fn word_closeness(
    token: &[char],
    word: &str,
    prefix_chars: usize,
    scratch: &mut Scratch,
) -> Closeness {
    let (chars, rows) = scratch;
    chars.clear();
    chars.extend(word.chars());
    let full = Closeness {
        edits: edit_distance(token, chars, rows),
        keyboard: keyboard_distance(token, chars, rows),
    };
    let start_len = token.len().max(prefix_chars);
    if start_len < chars.len() {
        chars.truncate(start_len);
        let start = Closeness {
            edits: edit_distance(token, chars, rows),
            keyboard: keyboard_distance(token, chars, rows),
        };
        full.min(start)
    } else {
        full
    }
}

/// Up to [`MAX_SUGGESTIONS`] words of `language` closest to `token` (already normalised),
/// closest first (edit distance, then keyboard closeness), remaining ties in list order. Only
/// words within a distance of half the token's length (at least 1, at most 3) are offered, so
/// garbage gets no suggestions.
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
    let mut scratch: Scratch = (Vec::new(), [Vec::new(), Vec::new(), Vec::new()]);
    // (does not complete the phrase, closeness, index): smaller is better.
    let mut best: Vec<(bool, Closeness, u16)> = Vec::with_capacity(MAX_SUGGESTIONS + 1);
    for index in 0..WORDS {
        let word = list.lowercase(index);
        if word_edits(&token, word, language.prefix_len(), &mut scratch) > limit {
            continue;
        }
        let closeness = word_closeness(&token, word, language.prefix_len(), &mut scratch);
        let key = (completes.binary_search(&index).is_err(), closeness, index);
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
    fn neighbouring_keys() {
        for (a, b) in [
            ('s', 'z'),
            ('s', 'x'),
            ('s', 'a'),
            ('s', 'd'),
            ('s', 'w'),
            ('s', 'e'),
            ('q', 'a'),
            ('a', 'z'),
            ('p', 'l'),
            ('m', 'n'),
            ('m', 'k'),
        ] {
            assert!(keys_touch(a, b), "{a}{b}");
            assert!(keys_touch(b, a), "{b}{a}");
        }
        for (a, b) in [
            ('s', 's'),
            ('s', 'c'),
            ('s', 'q'),
            ('s', 'r'),
            ('q', 'z'),
            ('p', 'a'),
            ('l', 'z'),
            ('m', 'h'),
            ('e', 'é'),
            ('S', 'Z'),
        ] {
            assert!(!keys_touch(a, b), "{a}{b}");
            assert!(!keys_touch(b, a), "{b}{a}");
        }
    }

    #[test]
    fn keyboard_weights() {
        let weighted = |a: &str, b: &str| {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            keyboard_distance(&a, &b, &mut [vec![], vec![], vec![]])
        };
        assert_eq!(weighted("zinger", "zinger"), 0);
        assert_eq!(weighted("singer", "zinger"), 1);
        assert_eq!(weighted("puddle", "paddle"), 2);
        assert_eq!(weighted("pufin", "puffin"), 2);
        assert_eq!(weighted("upffin", "puffin"), 2);
        assert_eq!(weighted("", "abc"), 6);
        assert_eq!(weighted("abc", ""), 6);
        let close = |token: &str, word: &str| {
            let token: Vec<char> = token.chars().collect();
            word_closeness(&token, word, 3, &mut (vec![], [vec![], vec![], vec![]]))
        };
        // A start of the word counts as the whole word.
        assert_eq!(
            close("puf", "puffin"),
            Closeness {
                edits: 0,
                keyboard: 0
            }
        );
        assert_eq!(
            close("singer", "zinger"),
            Closeness {
                edits: 1,
                keyboard: 1
            }
        );
        assert_eq!(
            close("nylon", "pylons"),
            Closeness {
                edits: 1,
                keyboard: 2
            }
        );
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
