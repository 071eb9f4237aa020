//! The 13 Electrum-style word lists of Monero and Oxen.

use alloc::string::ToString;
use core::fmt;
use core::str::FromStr;

use crate::Error;
use crate::wordlist::{self, WordList};

/// A word list. Every list has 1626 words; they differ in the unique-prefix length that decoders
/// match on and that the checksum hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Language {
    /// Chinese (simplified), 简体中文 (中国): single-character words, prefix 1.
    ChineseSimplified,
    /// Dutch, Nederlands.
    Dutch,
    /// English: the only list the Session apps use. Prefix 3.
    English,
    /// Esperanto.
    Esperanto,
    /// French, Français.
    French,
    /// German, Deutsch: most words are capitalised in the list; matching ignores case.
    German,
    /// Italian, Italiano.
    Italian,
    /// Japanese, 日本語 (hiragana), prefix 3.
    Japanese,
    /// Lojban (words contain apostrophes).
    Lojban,
    /// Portuguese, Português (ASCII spellings).
    Portuguese,
    /// Russian, Русский.
    Russian,
    /// Spanish, Español (36 words are shorter than the 4-character prefix).
    Spanish,
    /// The original Electrum list (Monero "EnglishOld"). Its prefixes are not unique, so it is
    /// only ever matched by full word and never carries a checksum word: only 12- and 24-word
    /// legacy phrases use it (see [`ParseOptions::allow_no_checksum`](crate::ParseOptions::allow_no_checksum)).
    EnglishOld,
}

impl Language {
    /// Every language, in alphabetical order of the English name (the legacy list last).
    pub const ALL: [Language; 13] = [
        Language::ChineseSimplified,
        Language::Dutch,
        Language::English,
        Language::Esperanto,
        Language::French,
        Language::German,
        Language::Italian,
        Language::Japanese,
        Language::Lojban,
        Language::Portuguese,
        Language::Russian,
        Language::Spanish,
        Language::EnglishOld,
    ];

    /// The order in which [`Mnemonic::parse`](crate::Mnemonic::parse) tries languages: Monero's
    /// and Oxen's `find_seed_language` order, so a phrase that fits several lists (for example
    /// 25 × `audio`, in both English and Spanish) decodes as it does in the wallets.
    pub const DETECTION_ORDER: [Language; 13] = [
        Language::ChineseSimplified,
        Language::English,
        Language::Dutch,
        Language::French,
        Language::Spanish,
        Language::German,
        Language::Italian,
        Language::Portuguese,
        Language::Japanese,
        Language::Russian,
        Language::Esperanto,
        Language::Lojban,
        Language::EnglishOld,
    ];

    /// The language's name in English.
    #[must_use]
    pub const fn english_name(self) -> &'static str {
        match self {
            Language::ChineseSimplified => "Chinese (simplified)",
            Language::Dutch => "Dutch",
            Language::English => "English",
            Language::Esperanto => "Esperanto",
            Language::French => "French",
            Language::German => "German",
            Language::Italian => "Italian",
            Language::Japanese => "Japanese",
            Language::Lojban => "Lojban",
            Language::Portuguese => "Portuguese",
            Language::Russian => "Russian",
            Language::Spanish => "Spanish",
            Language::EnglishOld => "English (old)",
        }
    }

    /// The language's native name, as Monero's wallets show it.
    #[must_use]
    pub const fn native_name(self) -> &'static str {
        match self {
            Language::ChineseSimplified => "简体中文 (中国)",
            Language::Dutch => "Nederlands",
            Language::English => "English",
            Language::Esperanto => "Esperanto",
            Language::French => "Français",
            Language::German => "Deutsch",
            Language::Italian => "Italiano",
            Language::Japanese => "日本語",
            Language::Lojban => "Lojban",
            Language::Portuguese => "Português",
            // Oxen spells it "русский язык"; Monero's name is used here.
            Language::Russian => "Русский",
            Language::Spanish => "Español",
            Language::EnglishOld => "EnglishOld",
        }
    }

    /// The file stem of the list (`english`, `chinese_simplified`, …), as in the shared data.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Language::ChineseSimplified => "chinese_simplified",
            Language::Dutch => "dutch",
            Language::English => "english",
            Language::Esperanto => "esperanto",
            Language::French => "french",
            Language::German => "german",
            Language::Italian => "italian",
            Language::Japanese => "japanese",
            Language::Lojban => "lojban",
            Language::Portuguese => "portuguese",
            Language::Russian => "russian",
            Language::Spanish => "spanish",
            Language::EnglishOld => "english_old",
        }
    }

    /// The unique-prefix length in Unicode scalar values: 3 for English and Japanese, 1 for
    /// Chinese, 4 for the others.
    #[must_use]
    pub const fn prefix_len(self) -> usize {
        match self {
            Language::ChineseSimplified => 1,
            Language::English | Language::Japanese => 3,
            _ => 4,
        }
    }

    /// Whether phrases in this language carry a checksum word (every list but
    /// [`Language::EnglishOld`]).
    #[must_use]
    pub const fn has_checksum(self) -> bool {
        !matches!(self, Language::EnglishOld)
    }

    /// The 1626 words in index order, exactly as published (German words are capitalised).
    #[must_use]
    pub fn words(self) -> &'static [&'static str] {
        self.list().words
    }

    /// The word at `index`, if `index < 1626`.
    #[must_use]
    pub fn word(self, index: u16) -> Option<&'static str> {
        self.list().words.get(usize::from(index)).copied()
    }

    /// The index of a whole word (case-insensitive, NFC), if it is in the list.
    #[must_use]
    pub fn index_of(self, word: &str) -> Option<u16> {
        let normalised = crate::normalize::normalize(word);
        self.list().find_exact(normalised.trim())
    }

    pub(crate) fn list(self) -> &'static WordList {
        match self {
            Language::ChineseSimplified => &wordlist::CHINESE_SIMPLIFIED,
            Language::Dutch => &wordlist::DUTCH,
            Language::English => &wordlist::ENGLISH,
            Language::Esperanto => &wordlist::ESPERANTO,
            Language::French => &wordlist::FRENCH,
            Language::German => &wordlist::GERMAN,
            Language::Italian => &wordlist::ITALIAN,
            Language::Japanese => &wordlist::JAPANESE,
            Language::Lojban => &wordlist::LOJBAN,
            Language::Portuguese => &wordlist::PORTUGUESE,
            Language::Russian => &wordlist::RUSSIAN,
            Language::Spanish => &wordlist::SPANISH,
            Language::EnglishOld => &wordlist::ENGLISH_OLD,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.english_name())
    }
}

impl FromStr for Language {
    type Err = Error;

    /// Accepts the code (`english_old`), the English name or the native name, ignoring case.
    fn from_str(name: &str) -> Result<Self, Error> {
        let name = name.trim();
        Language::ALL
            .into_iter()
            .find(|language| {
                [
                    language.code(),
                    language.english_name(),
                    language.native_name(),
                ]
                .iter()
                .any(|candidate| eq_ignore_case(candidate, name))
            })
            .ok_or_else(|| Error::UnknownLanguage {
                name: name.to_string(),
            })
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}
