//! Recovery phrases: encode, decode, check with ranked corrections.

use session_mnemonic::{Language, Mnemonic, ParseOptions, suggest_corrections_in};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

fn language(name: Option<&str>) -> Result<Option<Language>> {
    name.filter(|n| !n.trim().is_empty())
        .map(|n| n.parse::<Language>())
        .transpose()
        .map_err(|e| Error::from_library(crate::ErrorCode::InvalidArgument, &e))
}

fn parse(
    phrase: &str,
    language: Option<Language>,
) -> core::result::Result<Mnemonic, session_mnemonic::Error> {
    let options = match language {
        Some(language) => ParseOptions::new().language(language),
        None => ParseOptions::new(),
    };
    Mnemonic::parse_with(phrase, &options)
}

/// The phrase of `seed` (a non-empty multiple of 4 bytes: 16 bytes give Session's 13 words) in
/// the word list `language` (a code such as `english`, an English or a native name; `None` or
/// empty: English).
pub fn phrase_encode(seed: &[u8], language_name: Option<&str>) -> Result<Zeroizing<String>> {
    let language = language(language_name)?.unwrap_or(Language::English);
    Ok(Mnemonic::from_entropy(seed, language)?.to_phrase())
}

/// The seed a phrase holds. `language`: the phrase's word list, or `None` to detect it.
pub fn phrase_decode(phrase: &str, language_name: Option<&str>) -> Result<Zeroizing<Vec<u8>>> {
    let language = language(language_name)?;
    Ok(parse(phrase, language)?.to_entropy())
}

/// A valid phrase one word away from a checked phrase.
#[derive(Clone, PartialEq, Eq)]
pub struct PhraseCorrection {
    /// Zero-based position of the replaced word.
    pub position: usize,
    /// The word put there.
    pub word: String,
    /// Edit distance between the typed word and `word` (the ranking's first key).
    pub distance: usize,
    /// The corrected phrase.
    pub phrase: Zeroizing<String>,
}

impl core::fmt::Debug for PhraseCorrection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PhraseCorrection")
            .field("position", &self.position)
            .field("distance", &self.distance)
            .finish_non_exhaustive()
    }
}

/// The result of [`phrase_check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseCheck {
    /// Why the phrase is invalid (code [`crate::ErrorCode::Phrase`]); `None` when it is valid.
    pub error: Option<Error>,
    /// The likeliest corrections, best first (empty for a valid phrase, or when no single
    /// word change makes it valid).
    pub corrections: Vec<PhraseCorrection>,
}

impl PhraseCheck {
    /// Whether the phrase is valid.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.error.is_none()
    }
}

/// Checks a phrase: valid, or the precise reason and up to `max` corrections ranked by how
/// close each substituted word is to what was typed. Only an unknown language name is an
/// error.
pub fn phrase_check(phrase: &str, language_name: Option<&str>, max: usize) -> Result<PhraseCheck> {
    let language = language(language_name)?;
    let error = match parse(phrase, language) {
        Ok(_) => {
            return Ok(PhraseCheck {
                error: None,
                corrections: Vec::new(),
            });
        }
        Err(e) => Error::from(e),
    };
    // Corrections exist for phrases whose words are (all but one) in a list.
    let found = match language {
        Some(language) => suggest_corrections_in(language, phrase),
        None => session_mnemonic::suggest_corrections(phrase),
    }
    .unwrap_or_default();
    let corrections = found
        .into_iter()
        .take(max)
        .map(|c| PhraseCorrection {
            position: c.position,
            word: c.word.to_owned(),
            distance: c.distance,
            phrase: c.mnemonic.to_phrase(),
        })
        .collect();
    Ok(PhraseCheck {
        error: Some(error),
        corrections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    const PHRASE: &str =
        "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";

    #[test]
    fn round_trip_and_repair() {
        let seed = phrase_decode(PHRASE, None).unwrap();
        assert_eq!(seed.len(), 16);
        assert_eq!(phrase_encode(&seed, None).unwrap().as_str(), PHRASE);
        assert!(phrase_check(PHRASE, Some("english"), 5).unwrap().is_valid());

        let typo = PHRASE.replace("zinger", "singer");
        let check = phrase_check(&typo, None, 3).unwrap();
        let error = check.error.as_ref().unwrap();
        assert_eq!(error.code(), ErrorCode::Phrase);
        assert!(error.message().contains("checksum"), "{}", error.message());
        assert!(check.corrections.len() <= 3);
        assert!(
            check
                .corrections
                .iter()
                .any(|c| c.phrase.as_str() == PHRASE)
        );

        let e = phrase_encode(&seed, Some("klingon")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
        assert_eq!(
            phrase_decode("puffin", None).unwrap_err().code(),
            ErrorCode::Phrase
        );
    }
}
