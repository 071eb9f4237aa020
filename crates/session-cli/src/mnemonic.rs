//! `session mnemonic`: encode, decode, check and recover recovery phrases.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use session_core::Identity;
use session_core::encoding::encode_hex;
use session_mnemonic::session::{self, SessionOptions};
use session_mnemonic::{
    Error, Language, Mnemonic, ParseOptions, recover_missing_word, suggest_corrections,
    suggest_corrections_in,
};
use zeroize::Zeroizing;

use crate::input;
use crate::output::{Output, Text};

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

/// A phrase and its language.
#[derive(Debug, Args)]
pub(crate) struct PhraseArgs {
    /// The phrase's words (one quoted argument or several), or `-` to read it from stdin.
    #[arg(required = true, num_args = 1.., value_name = "WORDS")]
    words: Vec<String>,
    #[command(flatten)]
    language: LanguageArg,
}

fn parse_language(name: &str) -> Result<Language, String> {
    name.parse().map_err(|e: Error| e.to_string())
}

pub(crate) fn run(command: Command, out: &mut Output) -> Result<()> {
    match command {
        Command::Encode { seed, language } => encode(&seed, language.language, out),
        Command::Decode {
            phrase,
            no_checksum,
        } => decode(&phrase, no_checksum, out),
        Command::Check { phrase, max } => check(&phrase, max, out),
        Command::Recover { phrase } => recover(&phrase, out),
    }
}

fn encode(seed: &str, language: Option<Language>, out: &mut Output) -> Result<()> {
    let text = if seed == "-" {
        input::read_text(&PathBuf::from("-"))?
    } else {
        Zeroizing::new(seed.to_owned())
    };
    let seed = input::hex(&text, "seed")?;
    let language = language.unwrap_or(Language::English);
    let mnemonic = Mnemonic::from_entropy(&seed, language).context("cannot encode the seed")?;
    let phrase = mnemonic.to_phrase();
    out.print(
        &json!({
            "phrase": phrase.as_str(),
            "language": language.code(),
            "word_count": mnemonic.word_count(),
        }),
        Text::new().line(phrase.as_str()),
    );
    Ok(())
}

fn parse_options(language: Option<Language>) -> ParseOptions {
    match language {
        Some(language) => ParseOptions::new().language(language),
        None => ParseOptions::new(),
    }
}

fn decode(args: &PhraseArgs, no_checksum: bool, out: &mut Output) -> Result<()> {
    let phrase = input::phrase(&args.words)?;
    let options = parse_options(args.language.language).allow_no_checksum(no_checksum);
    let mnemonic = Mnemonic::parse_with(&phrase, &options).context("invalid phrase")?;
    let seed = Zeroizing::new(encode_hex(&mnemonic.to_entropy()));
    out.print(
        &json!({
            "seed": seed.as_str(),
            "language": mnemonic.language().code(),
            "word_count": mnemonic.word_count(),
            "has_checksum": mnemonic.has_checksum(),
        }),
        Text::new()
            .field("seed", seed.as_str())
            .field("language", mnemonic.language())
            .field("words", mnemonic.word_count()),
    );
    Ok(())
}

fn check(args: &PhraseArgs, max: usize, out: &mut Output) -> Result<()> {
    let phrase = input::phrase(&args.words)?;
    let language = args.language.language;
    let error = match Mnemonic::parse_with(&phrase, &parse_options(language)) {
        Ok(mnemonic) => {
            out.print(
                &json!({
                    "valid": true,
                    "language": mnemonic.language().code(),
                    "word_count": mnemonic.word_count(),
                }),
                Text::new().line(format_args!(
                    "valid: {} words, {}",
                    mnemonic.word_count(),
                    mnemonic.language()
                )),
            );
            return Ok(());
        }
        Err(error) => error,
    };
    let mut document = json!({ "valid": false, "error": error.to_string() });
    let mut text = Text::new();
    text.line(format_args!("invalid: {error}"));
    if let Some(map) = document.as_object_mut() {
        for (key, value) in error_details(&error) {
            map.insert(key.to_owned(), value);
        }
    }
    // Corrections exist for phrases whose words are (all but one) in a list.
    let corrections = match language {
        Some(language) => suggest_corrections_in(language, &phrase),
        None => suggest_corrections(&phrase),
    };
    let corrections = corrections.unwrap_or_default();
    let shown: Vec<_> = corrections.iter().take(max).collect();
    if !shown.is_empty() {
        text.line("likeliest corrections:");
    }
    let corrections: Vec<Value> = shown
        .into_iter()
        .map(|c| {
            let phrase = c.mnemonic.to_phrase();
            text.line(format_args!(
                "  word {} -> {:?}: {}",
                c.position + 1,
                c.word,
                phrase.as_str()
            ));
            json!({
                "word_number": c.position + 1,
                "word": c.word,
                "distance": c.distance,
                "phrase": phrase.as_str(),
            })
        })
        .collect();
    if let Some(map) = document.as_object_mut() {
        map.insert("corrections".to_owned(), Value::Array(corrections));
    }
    out.print(&document, &text);
    out.rule_failed();
    Ok(())
}

/// The machine-readable parts of a phrase error (word numbers count from 1).
fn error_details(error: &Error) -> Vec<(&'static str, Value)> {
    match error {
        Error::UnknownWord {
            position,
            word,
            language,
            suggestions,
        } => vec![
            ("kind", json!("unknown_word")),
            ("word_number", json!(position + 1)),
            ("word", json!(word)),
            ("language", json!(language.code())),
            ("suggestions", json!(suggestions)),
        ],
        Error::ChecksumMismatch { language, suspects } => vec![
            ("kind", json!("checksum_mismatch")),
            ("language", json!(language.code())),
            (
                "suspects",
                json!(suspects.iter().map(|p| p + 1).collect::<Vec<_>>()),
            ),
        ],
        Error::WrongWordCount { got, expected } => vec![
            ("kind", json!("wrong_word_count")),
            ("got", json!(got)),
            ("expected", json!(expected)),
        ],
        Error::InvalidTriple { position, language } => vec![
            ("kind", json!("invalid_triple")),
            ("word_number", json!(position + 1)),
            ("language", json!(language.code())),
        ],
        Error::AmbiguousLanguage { languages } => vec![
            ("kind", json!("ambiguous_language")),
            (
                "languages",
                json!(languages.iter().map(|l| l.code()).collect::<Vec<_>>()),
            ),
        ],
        _ => vec![("kind", json!("other"))],
    }
}

/// The account fields of an identity.
pub(crate) fn identity_json(identity: &Identity) -> Value {
    json!({
        "session_id": identity.session_id().to_string(),
        "ed25519_public": identity.ed25519_public().to_string(),
        "x25519_public": identity.x25519_public().to_string(),
    })
}

pub(crate) fn identity_text(identity: &Identity, text: &mut Text) {
    text.field("session id", identity.session_id())
        .field("ed25519 public key", identity.ed25519_public())
        .field("x25519 public key", identity.x25519_public());
}

fn recover(args: &PhraseArgs, out: &mut Output) -> Result<()> {
    let phrase = input::phrase(&args.words)?;
    let language = args.language.language.unwrap_or(Language::English);
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.contains(&"?") {
        return recover_gap(&words, language, out);
    }
    let identity =
        session::identity_from_phrase_with(&phrase, &SessionOptions::new().language(language))
            .context("cannot restore an account from this phrase")?;
    let mut text = Text::new();
    identity_text(&identity, &mut text);
    out.print(&identity_json(&identity), &text);
    Ok(())
}

/// `recover` with one word given as `?`: every completion and its account.
fn recover_gap(words: &[&str], language: Language, out: &mut Output) -> Result<()> {
    let with_gap: Vec<Option<&str>> = words.iter().map(|w| (*w != "?").then_some(*w)).collect();
    let candidates =
        recover_missing_word(&with_gap, language).context("cannot fill the missing word")?;
    let mut text = Text::new();
    let mut list = Vec::new();
    for candidate in &candidates {
        let full: Vec<&str> = words
            .iter()
            .map(|w| if *w == "?" { candidate.word } else { w })
            .collect();
        let phrase = Zeroizing::new(full.join(" "));
        let identity =
            session::identity_from_phrase_with(&phrase, &SessionOptions::new().language(language))
                .ok();
        text.line(format_args!(
            "word {} = {:?}: {}",
            candidate.position + 1,
            candidate.word,
            identity.as_ref().map_or_else(
                || "not a Session phrase".to_owned(),
                |i| i.session_id().to_string()
            )
        ));
        list.push(json!({
            "word_number": candidate.position + 1,
            "word": candidate.word,
            "account": identity.as_ref().map(identity_json),
        }));
    }
    if candidates.is_empty() {
        text.line("no word completes this phrase");
        out.rule_failed();
    }
    out.print(&json!({ "candidates": list }), &text);
    Ok(())
}
