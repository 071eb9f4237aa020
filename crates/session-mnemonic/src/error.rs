//! The one error type of `session-mnemonic`.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::Language;

/// Everything that can go wrong when encoding, decoding or repairing a phrase.
///
/// The variants say which word is wrong and why, so an application can point the user at it.
/// [`Error::UnknownWord`] carries a word of the phrase and its likely spellings: show them to
/// the phrase's owner, never log them. Positions are zero-based; the messages count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A word is in no position of the list (by unique prefix when the phrase has a checksum
    /// word, by full word otherwise).
    #[error("word {} ({word:?}) is not in the {language} word list{}", .position + 1, Suggestions(.suggestions))]
    UnknownWord {
        /// Zero-based position of the word in the phrase.
        position: usize,
        /// The word as typed (lowercased and NFC-normalised).
        word: String,
        /// The list it was looked up in (the best-fitting one when the language was detected).
        language: Language,
        /// Up to three list words closest to it, closest first: words that would make the whole
        /// phrase valid before the others, then by edit distance, then by keyboard closeness.
        suggestions: Vec<&'static str>,
    },
    /// Every word is known but the checksum word does not match the others, so at least one
    /// word is wrong. The checksum cannot tell which: [`suggest_corrections`] lists the valid
    /// phrases one word away, ranked by how close each substitute is to what was typed.
    ///
    /// [`suggest_corrections`]: crate::suggest_corrections
    #[error(
        "the checksum word does not match the other words, so at least one word is wrong ({}); \
         suggest_corrections ranks the likely fixes",
        Suspects(.suspects, *.language)
    )]
    ChecksumMismatch {
        /// The list the phrase was read in.
        language: Language,
        /// Zero-based positions, in order, of the first suspects: words that matched a list
        /// word only by its unique prefix and then go on differently (for example "singer",
        /// read as "sincerely" by its prefix "sin"). Empty when every word is spelled as in
        /// the list (in full or as a start of the word).
        suspects: Vec<usize>,
    },
    /// The phrase has a word count the decoder does not accept.
    #[error("the phrase has {got} word{}, expected {expected}", if *.got == 1 { "" } else { "s" })]
    WrongWordCount {
        /// Words found.
        got: usize,
        /// The accepted word count nearest to `got`: 13 in the Session profile; otherwise the
        /// nearest `3k + 1` (13 when `got` is below 4, the shortest accepted phrase, since no
        /// shorter count is near anything in use).
        expected: usize,
    },
    /// Three words starting at `position` encode a value above `u32::MAX` (possible because
    /// 1626³ > 2³²). No encoder writes such a triple; Monero and Oxen reject it.
    #[error(
        "words {} to {} do not encode a 32-bit value in the {language} list",
        .position + 1,
        .position + 3
    )]
    InvalidTriple {
        /// Zero-based position of the triple's first word.
        position: usize,
        /// The list the words were read in (their values depend on it).
        language: Language,
    },
    /// The phrase is valid in more than one language (only with
    /// [`Detection::Unique`](crate::Detection::Unique)).
    #[error(
        "the phrase is valid in several languages ({}): pass the language to parse it",
        Names(.languages)
    )]
    AmbiguousLanguage {
        /// The languages it is valid in, in detection order.
        languages: Vec<Language>,
    },
    /// Entropy must be a non-empty multiple of 4 bytes, at most
    /// [`MAX_ENTROPY_LEN`](crate::MAX_ENTROPY_LEN).
    #[error(
        "entropy must be a non-empty multiple of 4 bytes (at most {}), got {got}",
        crate::MAX_ENTROPY_LEN
    )]
    InvalidEntropyLength {
        /// The length given.
        got: usize,
    },
    /// The language name is not one of the 13 lists.
    #[error(
        "unknown language name {name:?}: expected a list code (such as \"english\" or \
         \"chinese_simplified\"), an English name or a native name"
    )]
    UnknownLanguage {
        /// The name given, trimmed.
        name: String,
    },
    /// The language's phrases have no checksum word: decoding them needs
    /// [`ParseOptions::allow_no_checksum`](crate::ParseOptions::allow_no_checksum), and the
    /// repair helpers cannot work with them.
    #[error(
        "{language} phrases have no checksum word (decoding them needs the no-checksum option)"
    )]
    NoChecksum {
        /// The language asked for.
        language: Language,
    },
    /// `recover_missing_word` accepts at most one gap.
    #[error("expected at most one missing word, found {got} gaps")]
    TooManyGaps {
        /// Gaps found.
        got: usize,
    },
}

/// "English, Spanish".
struct Names<'a>(&'a [Language]);

impl fmt::Display for Names<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, language) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{language}")?;
        }
        Ok(())
    }
}

struct Suggestions<'a>(&'a [&'static str]);

impl fmt::Display for Suggestions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut words = self.0.iter();
        if let Some(first) = words.next() {
            write!(f, "; did you mean {first:?}")?;
            for word in words {
                write!(f, ", {word:?}")?;
            }
            f.write_str("?")?;
        }
        Ok(())
    }
}

/// "first suspect: word 12, which matches a word of the English list by its first 3
/// characters only".
struct Suspects<'a>(&'a [usize], Language);

impl fmt::Display for Suspects<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Suspects(positions, language) = *self;
        let prefix = language.prefix_len();
        let letters = if prefix == 1 {
            "character"
        } else {
            "characters"
        };
        match positions {
            [] => write!(f, "every word is spelled as in the {language} list"),
            [only] => write!(
                f,
                "first suspect: word {}, which matches a word of the {language} list by its first \
                 {prefix} {letters} only",
                only + 1
            ),
            [rest @ .., last] => {
                f.write_str("first suspects: words ")?;
                for (i, position) in rest.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", position + 1)?;
                }
                write!(
                    f,
                    " and {}, which match words of the {language} list by their first {prefix} \
                     {letters} only",
                    last + 1
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;

    use session_core::testing::check_error_chain;

    use super::*;

    /// One value of every variant, with and without the lists that change the text (the match
    /// fails to compile when a variant is added).
    fn every_error() -> Vec<Error> {
        let all = vec![
            Error::UnknownWord {
                position: 0,
                word: "abbey".to_string(),
                language: Language::English,
                suggestions: vec![],
            },
            Error::UnknownWord {
                position: 4,
                word: "abbex".to_string(),
                language: Language::English,
                suggestions: vec!["abbey", "abort"],
            },
            Error::ChecksumMismatch {
                language: Language::English,
                suspects: vec![],
            },
            Error::ChecksumMismatch {
                language: Language::ChineseSimplified,
                suspects: vec![3],
            },
            Error::ChecksumMismatch {
                language: Language::Dutch,
                suspects: vec![1, 5, 9],
            },
            Error::WrongWordCount {
                got: 1,
                expected: 13,
            },
            Error::WrongWordCount {
                got: 12,
                expected: 13,
            },
            Error::InvalidTriple {
                position: 3,
                language: Language::English,
            },
            Error::AmbiguousLanguage {
                languages: vec![Language::English, Language::Dutch],
            },
            Error::InvalidEntropyLength { got: 3 },
            Error::UnknownLanguage {
                name: "klingon".to_string(),
            },
            Error::NoChecksum {
                language: Language::English,
            },
            Error::TooManyGaps { got: 2 },
        ];
        for e in &all {
            match e {
                Error::UnknownWord { .. }
                | Error::ChecksumMismatch { .. }
                | Error::WrongWordCount { .. }
                | Error::InvalidTriple { .. }
                | Error::AmbiguousLanguage { .. }
                | Error::InvalidEntropyLength { .. }
                | Error::UnknownLanguage { .. }
                | Error::NoChecksum { .. }
                | Error::TooManyGaps { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_cause_prints_once_in_a_chain() {
        for e in every_error() {
            assert_eq!(check_error_chain(&e), Ok(()));
        }
    }
}
