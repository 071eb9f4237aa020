//! Phrase errors as a command-line user reads them: which word, and which command helps.
//!
//! The library's messages speak to a programmer (they name its functions and options); these
//! name the command-line options and commands instead.

use std::fmt;

use session_mnemonic::{Error, Language};

/// A phrase error, worded for the command line.
#[derive(Debug)]
pub(crate) struct PhraseError {
    error: Error,
    /// Whether to point at `session mnemonic check` for corrections (not when the check itself
    /// reports them).
    hint: bool,
}

impl PhraseError {
    /// The error without the pointer to `session mnemonic check`, for that command's report.
    pub(crate) fn without_hint(error: Error) -> Self {
        PhraseError { error, hint: false }
    }

    pub(crate) fn error(&self) -> &Error {
        &self.error
    }
}

impl From<Error> for PhraseError {
    fn from(error: Error) -> Self {
        PhraseError { error, hint: true }
    }
}

impl std::error::Error for PhraseError {}

const CHECK: &str = "`session mnemonic check` lists the likeliest corrections";

impl fmt::Display for PhraseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error {
            Error::UnknownWord {
                position,
                word,
                language,
                suggestions,
            } => {
                write!(
                    f,
                    "word {} ({word:?}) is not in the {language} word list",
                    position + 1
                )?;
                if let Some((first, rest)) = suggestions.split_first() {
                    write!(f, "; did you mean {first:?}")?;
                    for word in rest {
                        write!(f, ", {word:?}")?;
                    }
                    f.write_str("?")?;
                }
                Ok(())
            }
            Error::ChecksumMismatch { language, suspects } => {
                write!(
                    f,
                    "the checksum word does not match the other words, so at least one word is \
                     wrong ({})",
                    Suspects(suspects, *language)
                )?;
                if self.hint {
                    write!(f, "; {CHECK}")?;
                }
                Ok(())
            }
            Error::AmbiguousLanguage { languages } => {
                f.write_str("the phrase is valid in several languages (")?;
                for (i, language) in languages.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{language}")?;
                }
                f.write_str("): choose one with --language")
            }
            Error::InvalidEntropyLength { got } => write!(
                f,
                "a seed must be a non-empty multiple of 4 bytes (at most {} bytes), got {got}",
                session_mnemonic::MAX_ENTROPY_LEN
            ),
            Error::NoChecksum { language } => write!(
                f,
                "{language} phrases have no checksum word: decode them with --no-checksum"
            ),
            Error::TooManyGaps { got } => write!(f, "give at most one word as `?` (found {got})"),
            // The remaining messages name no function or option.
            other => write!(f, "{other}"),
        }
    }
}

/// "first suspect: word 12, which matches a word of the English list by its first 3
/// characters only".
struct Suspects<'a>(&'a [usize], Language);

impl fmt::Display for Suspects<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Suspects(positions, language) = *self;
        let prefix = language.prefix_len();
        let letters = if prefix == 1 { "letter" } else { "letters" };
        match positions {
            [] => write!(f, "every word is spelled as in the {language} list"),
            [only] => write!(
                f,
                "first suspect: word {}, which matches a word of the {language} list by its \
                 first {prefix} {letters} only",
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
                    " and {}, which match words of the {language} list by their first \
                     {prefix} {letters} only",
                    last + 1
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_errors_point_at_the_check_command_not_a_function() {
        let error = Error::ChecksumMismatch {
            language: Language::English,
            suspects: vec![11],
        };
        let text = PhraseError::from(error.clone()).to_string();
        assert_eq!(
            text,
            "the checksum word does not match the other words, so at least one word is wrong \
             (first suspect: word 12, which matches a word of the English list by its first 3 \
             letters only); `session mnemonic check` lists the likeliest corrections"
        );
        let in_check = PhraseError::without_hint(error).to_string();
        assert!(!in_check.contains("session mnemonic check"), "{in_check}");
        assert!(!in_check.contains("suggest_corrections"), "{in_check}");
    }

    #[test]
    fn options_are_named_as_on_the_command_line() {
        let no_checksum = PhraseError::from(Error::NoChecksum {
            language: Language::English,
        });
        assert!(no_checksum.to_string().ends_with("--no-checksum"));
        let ambiguous = PhraseError::from(Error::AmbiguousLanguage {
            languages: vec![Language::English, Language::French],
        });
        assert_eq!(
            ambiguous.to_string(),
            "the phrase is valid in several languages (English, French): choose one with \
             --language"
        );
        let gaps = PhraseError::from(Error::TooManyGaps { got: 2 });
        assert_eq!(gaps.to_string(), "give at most one word as `?` (found 2)");
    }
}
