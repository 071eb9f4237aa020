//! `session mnemonic`: encode, decode, check and recover recovery phrases.

use std::fmt;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use serde::{Serialize, Serializer};
use session_core::encoding::encode_hex;
use session_mnemonic::session::{self, SessionOptions};
use session_mnemonic::{
    Error, Language, Mnemonic, ParseOptions, recover_missing_word, suggest_corrections,
    suggest_corrections_in,
};
use zeroize::Zeroizing;

use crate::account::{Account, NewAccount};
use crate::input;
use crate::output::{Output, Report, SecretText, field};
use crate::phrase_error::PhraseError;

const NEW_EXAMPLES: &str = "\
Examples:
  session mnemonic new
  session --json mnemonic new --language french

Creates a new Session account from the operating system's random generator and prints its
13-word recovery phrase, Session ID and public keys. The phrase is the account's only backup:
write it down and keep it secret. `session id new` does the same.";

const ENCODE_EXAMPLES: &str = "\
Examples:
  session mnemonic encode 39038c8988db02c1af44e8c847bd9713
  session mnemonic encode --language french 39038c8988db02c1af44e8c847bd9713
  printf 39038c8988db02c1af44e8c847bd9713 | session mnemonic encode -";

const DECODE_EXAMPLES: &str = "\
Examples:
  session mnemonic decode puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi
  session --json mnemonic decode - < phrase.txt

Passing a phrase as arguments leaves it in the shell history: prefer `-` and a file or a pipe.";

const CHECK_EXAMPLES: &str = "\
Examples:
  session mnemonic check puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia singer kiwi
  session --json mnemonic check --max 3 - < phrase.txt

Exits with 0 when the phrase is valid, 1 when it is not (with the precise reason and the
likeliest corrections). Word numbers count from 1.";

const RECOVER_EXAMPLES: &str = "\
Examples:
  session mnemonic recover puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi
  session mnemonic recover puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger '?'

A `?` in place of one word lists every word that completes the phrase, with the account each
completion restores.";

/// Recovery-phrase commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a new account: its 13-word phrase, Session ID and public keys.
    #[command(after_help = NEW_EXAMPLES)]
    New {
        #[command(flatten)]
        language: LanguageArg,
    },
    /// Encode a seed (hex) as a phrase: 16 bytes give Session's 13 words, 32 bytes 25 words.
    #[command(after_help = ENCODE_EXAMPLES)]
    Encode {
        /// The seed in hex (a non-empty multiple of 4 bytes), or `-` to read it from stdin.
        seed: String,
        #[command(flatten)]
        language: LanguageArg,
    },
    /// Decode a phrase to its seed (hex).
    #[command(after_help = DECODE_EXAMPLES)]
    Decode {
        #[command(flatten)]
        phrase: PhraseArgs,
        /// Also accept the checksum-less 12- and 24-word forms (matched by full word).
        #[arg(long)]
        no_checksum: bool,
    },
    /// Check a phrase: say precisely what is wrong and suggest corrections.
    #[command(after_help = CHECK_EXAMPLES)]
    Check {
        #[command(flatten)]
        phrase: PhraseArgs,
        /// How many corrections to list at most.
        #[arg(long, default_value_t = 5)]
        max: usize,
    },
    /// Restore the Session account of a 13-word phrase (Session ID and public keys).
    #[command(after_help = RECOVER_EXAMPLES)]
    Recover {
        #[command(flatten)]
        phrase: PhraseArgs,
    },
}

/// The language option.
#[derive(Debug, Args)]
pub(crate) struct LanguageArg {
    /// Word list: a code (english, chinese_simplified, ...), English name or native name.
    #[arg(long, short, value_parser = parse_language)]
    language: Option<Language>,
}

impl LanguageArg {
    /// The language given, or Session's (English).
    pub(crate) fn or_english(&self) -> Language {
        self.language.unwrap_or(Language::English)
    }
}

/// A phrase and its language.
#[derive(Debug, Args)]
pub(crate) struct PhraseArgs {
    /// The phrase's words (one quoted argument or several), or `-` to read it from stdin.
    #[arg(required = true, num_args = 1.., value_name = "WORDS")]
    words: Vec<String>,
    #[command(flatten)]
    language: LanguageArg,
}

/// Parses a `--language` value.
pub(crate) fn parse_language(name: &str) -> Result<Language, String> {
    name.parse()
        .map_err(|e: Error| PhraseError::from(e).to_string())
}

pub(crate) fn run(command: Command, out: &mut Output) -> Result<()> {
    match command {
        Command::New { language } => out.print(&NewAccount::generate(language.or_english())?),
        Command::Encode { seed, language } => out.print(&encode(&seed, language.or_english())?),
        Command::Decode {
            phrase,
            no_checksum,
        } => out.print(&decode(&phrase, no_checksum)?),
        Command::Check { phrase, max } => out.print(&check(&phrase, max)?),
        Command::Recover { phrase } => {
            let phrase_text = input::phrase(&phrase.words)?;
            let language = phrase.language.or_english();
            let words: Vec<&str> = phrase_text.split_whitespace().collect();
            if words.contains(&"?") {
                out.print(&complete(&words, language)?);
            } else {
                out.print(&recover(&phrase_text, language)?);
            }
        }
    }
    Ok(())
}

/// Serializes a language as its code (`english`).
fn language_code<S: Serializer>(language: &Language, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(language.code())
}

/// Serializes languages as their codes.
fn language_codes<S: Serializer>(languages: &[Language], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(languages.iter().map(|l| l.code()))
}

/// `mnemonic encode`: a seed's phrase.
#[derive(Serialize)]
pub(crate) struct Encoded {
    phrase: SecretText,
    #[serde(serialize_with = "language_code")]
    language: Language,
    word_count: usize,
}

impl fmt::Display for Encoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.phrase)
    }
}

impl Report for Encoded {}

fn encode(seed: &str, language: Language) -> Result<Encoded> {
    let text = if seed == "-" {
        input::read_text(&PathBuf::from("-"))?
    } else {
        Zeroizing::new(seed.to_owned())
    };
    let seed = input::hex(&text, "seed")?;
    let mnemonic = Mnemonic::from_entropy(&seed, language)
        .map_err(PhraseError::from)
        .context("cannot encode the seed")?;
    Ok(Encoded {
        phrase: SecretText::new(mnemonic.to_phrase()),
        language,
        word_count: mnemonic.word_count(),
    })
}

fn parse_options(language: Option<Language>) -> ParseOptions {
    match language {
        Some(language) => ParseOptions::new().language(language),
        None => ParseOptions::new(),
    }
}

/// `mnemonic decode`: a phrase's seed.
#[derive(Serialize)]
pub(crate) struct Decoded {
    seed: SecretText,
    #[serde(serialize_with = "language_code")]
    language: Language,
    word_count: usize,
    has_checksum: bool,
}

impl fmt::Display for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "seed", &self.seed)?;
        field(f, "language", self.language)?;
        field(f, "words", self.word_count)?;
        field(
            f,
            "checksum word",
            if self.has_checksum { "yes" } else { "no" },
        )
    }
}

impl Report for Decoded {}

fn decode(args: &PhraseArgs, no_checksum: bool) -> Result<Decoded> {
    let phrase = input::phrase(&args.words)?;
    let options = parse_options(args.language.language).allow_no_checksum(no_checksum);
    let mnemonic = Mnemonic::parse_with(&phrase, &options)
        .map_err(PhraseError::from)
        .context("invalid phrase")?;
    Ok(Decoded {
        seed: SecretText::new(Zeroizing::new(encode_hex(&mnemonic.to_entropy()))),
        language: mnemonic.language(),
        word_count: mnemonic.word_count(),
        has_checksum: mnemonic.has_checksum(),
    })
}

/// `mnemonic check`: whether a phrase is valid; if not, why, and the likeliest fixes.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Checked {
    Valid {
        valid: bool,
        #[serde(serialize_with = "language_code")]
        language: Language,
        word_count: usize,
    },
    Invalid {
        valid: bool,
        /// The reason, as a sentence (secret: it may quote a word of the phrase).
        error: SecretText,
        /// The reason, as data.
        #[serde(flatten)]
        problem: Problem,
        corrections: Vec<Correction>,
    },
}

/// What is wrong with a phrase, as data (word numbers count from 1).
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Problem {
    UnknownWord {
        word_number: usize,
        word: SecretText,
        #[serde(serialize_with = "language_code")]
        language: Language,
        suggestions: Vec<&'static str>,
    },
    ChecksumMismatch {
        #[serde(serialize_with = "language_code")]
        language: Language,
        /// Word numbers of the first suspects.
        suspects: Vec<usize>,
    },
    WrongWordCount {
        got: usize,
        expected: usize,
    },
    InvalidTriple {
        word_number: usize,
        #[serde(serialize_with = "language_code")]
        language: Language,
    },
    AmbiguousLanguage {
        #[serde(serialize_with = "language_codes")]
        languages: Vec<Language>,
    },
    Other,
}

impl From<&Error> for Problem {
    fn from(error: &Error) -> Self {
        match error {
            Error::UnknownWord {
                position,
                word,
                language,
                suggestions,
            } => Problem::UnknownWord {
                word_number: position + 1,
                word: SecretText::new(Zeroizing::new(word.clone())),
                language: *language,
                suggestions: suggestions.clone(),
            },
            Error::ChecksumMismatch { language, suspects } => Problem::ChecksumMismatch {
                language: *language,
                suspects: suspects.iter().map(|p| p + 1).collect(),
            },
            Error::WrongWordCount { got, expected } => Problem::WrongWordCount {
                got: *got,
                expected: *expected,
            },
            Error::InvalidTriple { position, language } => Problem::InvalidTriple {
                word_number: position + 1,
                language: *language,
            },
            Error::AmbiguousLanguage { languages } => Problem::AmbiguousLanguage {
                languages: languages.clone(),
            },
            _ => Problem::Other,
        }
    }
}

/// A valid phrase one word away from the one given.
#[derive(Serialize)]
pub(crate) struct Correction {
    word_number: usize,
    word: &'static str,
    distance: usize,
    phrase: SecretText,
}

impl fmt::Display for Checked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Checked::Valid {
                language,
                word_count,
                ..
            } => writeln!(f, "valid: {word_count} words, {language}"),
            Checked::Invalid {
                error, corrections, ..
            } => {
                writeln!(f, "invalid: {error}")?;
                if !corrections.is_empty() {
                    writeln!(f, "likeliest corrections:")?;
                }
                for c in corrections {
                    writeln!(f, "  word {} -> {:?}: {}", c.word_number, c.word, c.phrase)?;
                }
                Ok(())
            }
        }
    }
}

impl Report for Checked {
    fn passed(&self) -> bool {
        matches!(self, Checked::Valid { .. })
    }
}

fn check(args: &PhraseArgs, max: usize) -> Result<Checked> {
    let phrase = input::phrase(&args.words)?;
    let language = args.language.language;
    let error = match Mnemonic::parse_with(&phrase, &parse_options(language)) {
        Ok(mnemonic) => {
            return Ok(Checked::Valid {
                valid: true,
                language: mnemonic.language(),
                word_count: mnemonic.word_count(),
            });
        }
        Err(error) => PhraseError::without_hint(error),
    };
    // Corrections exist for phrases whose words are (all but one) in a list.
    let corrections = match language {
        Some(language) => suggest_corrections_in(language, &phrase),
        None => suggest_corrections(&phrase),
    };
    let corrections = corrections
        .unwrap_or_default()
        .into_iter()
        .take(max)
        .map(|c| Correction {
            word_number: c.position + 1,
            word: c.word,
            distance: c.distance,
            phrase: SecretText::new(c.mnemonic.to_phrase()),
        })
        .collect();
    Ok(Checked::Invalid {
        valid: false,
        error: SecretText::new(Zeroizing::new(error.to_string())),
        problem: Problem::from(error.error()),
        corrections,
    })
}

fn recover(phrase: &str, language: Language) -> Result<Account> {
    let identity =
        session::identity_from_phrase_with(phrase, &SessionOptions::new().language(language))
            .map_err(PhraseError::from)
            .context("cannot restore an account from this phrase")?;
    Ok(Account::from(&identity))
}

/// `mnemonic recover` with one word given as `?`: every word that completes the phrase.
#[derive(Serialize)]
pub(crate) struct Completions {
    candidates: Vec<Completion>,
}

/// A word that completes the phrase, and the account the completed phrase restores.
#[derive(Serialize)]
pub(crate) struct Completion {
    word_number: usize,
    word: &'static str,
    account: Option<Account>,
}

impl fmt::Display for Completions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.candidates.is_empty() {
            return writeln!(f, "no word completes this phrase");
        }
        for c in &self.candidates {
            let account = c
                .account
                .as_ref()
                .map_or("not a Session phrase", Account::session_id);
            writeln!(f, "word {} = {:?}: {account}", c.word_number, c.word)?;
        }
        Ok(())
    }
}

impl Report for Completions {
    fn passed(&self) -> bool {
        !self.candidates.is_empty()
    }
}

fn complete(words: &[&str], language: Language) -> Result<Completions> {
    let with_gap: Vec<Option<&str>> = words.iter().map(|w| (*w != "?").then_some(*w)).collect();
    let candidates = recover_missing_word(&with_gap, language)
        .map_err(PhraseError::from)
        .context("cannot fill the missing word")?;
    let candidates = candidates
        .iter()
        .map(|candidate| {
            let full: Vec<&str> = words
                .iter()
                .map(|w| if *w == "?" { candidate.word } else { w })
                .collect();
            let phrase = Zeroizing::new(full.join(" "));
            let options = SessionOptions::new().language(language);
            let account = session::identity_from_phrase_with(&phrase, &options)
                .ok()
                .as_ref()
                .map(Account::from);
            Completion {
                word_number: candidate.position + 1,
                word: candidate.word,
                account,
            }
        })
        .collect();
    Ok(Completions { candidates })
}
