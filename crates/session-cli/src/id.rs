//! `session id`: identities from phrases and seeds, and what a prefixed ID is.

use std::fmt;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use clap::Subcommand;
use serde::Serialize;
use session_core::encoding::encode_hex;
use session_core::identity::x25519_from_ed25519;
use session_core::{AccountId, Ed25519PublicKey, IdPrefix, Identity, Network};
use session_mnemonic::Language;
use session_mnemonic::session::{self, SessionOptions};
use zeroize::Zeroizing;

use crate::account::{Account, NewAccount};
use crate::input;
use crate::mnemonic::parse_language;
use crate::output::{Output, Report, field};
use crate::phrase_error::PhraseError;

const NEW_EXAMPLES: &str = "\
Examples:
  session id new
  session --json id new
  session id new --language spanish

Creates a new Session account from the operating system's random generator and prints its
13-word recovery phrase, Session ID and public keys. The phrase is the account's only backup:
write it down and keep it secret; `session id from-phrase` restores the account from it.";

const FROM_PHRASE_EXAMPLES: &str = "\
Examples:
  session id from-phrase puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi
  session --json id from-phrase - < phrase.txt";

const FROM_SEED_EXAMPLES: &str = "\
Examples:
  session id from-seed 39038c8988db02c1af44e8c847bd9713
  session id from-seed 4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7
  session --json id from-seed - < seed.hex

A 16-byte seed is a Session seed (what a 13-word phrase holds); a 32-byte seed is an Ed25519
seed used as it is; 64 bytes are libsodium's Ed25519 secret key (seed, then public key).";

const PARSE_EXAMPLES: &str = "\
Examples:
  session id parse 054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69
  session --json id parse 03...   (a closed group)
  session id parse 8862834829a87e0afadfed763fa8785e893dbde7f2c001ff1071aa55005c347f

Prefixes: 05 account (X25519 key), 03 closed group, 15 and 25 community-blinded IDs, 00
unblinded Ed25519 key. A bare 64-hex-character key is reported with its X25519 form when it
is an Ed25519 key.";

/// Identity commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a new account: its 13-word phrase, Session ID and public keys.
    #[command(after_help = NEW_EXAMPLES)]
    New {
        /// Word list of the phrase (default: English, as the Session apps use).
        #[arg(long, short, value_parser = parse_language)]
        language: Option<Language>,
    },
    /// The Session ID and public keys a 13-word phrase restores.
    #[command(after_help = FROM_PHRASE_EXAMPLES)]
    FromPhrase {
        /// The phrase's words, or `-` to read it from stdin.
        #[arg(required = true, num_args = 1.., value_name = "WORDS")]
        words: Vec<String>,
        /// Word list of the phrase (Session uses English).
        #[arg(long, short, value_parser = parse_language)]
        language: Option<Language>,
    },
    /// The Session ID and public keys of a seed (hex).
    #[command(after_help = FROM_SEED_EXAMPLES)]
    FromSeed {
        /// The seed in hex: 16, 32 or 64 bytes; `-` reads it from stdin.
        seed: String,
    },
    /// Say what a Session ID (or another prefixed ID, or a bare key) is.
    #[command(after_help = PARSE_EXAMPLES)]
    Parse {
        /// The ID in hex.
        id: String,
    },
}

pub(crate) fn run(command: Command, out: &mut Output) -> Result<()> {
    match command {
        Command::New { language } => {
            out.print(&NewAccount::generate(
                language.unwrap_or(Language::English),
            )?);
        }
        Command::FromPhrase { words, language } => {
            let phrase = input::phrase(&words)?;
            let options = SessionOptions::new().language(language.unwrap_or(Language::English));
            let identity = session::identity_from_phrase_with(&phrase, &options)
                .map_err(PhraseError::from)
                .context("cannot restore an account from this phrase")?;
            out.print(&Account::from(&identity));
        }
        Command::FromSeed { seed } => {
            let text = if seed == "-" {
                input::read_text(Path::new("-"))?
            } else {
                Zeroizing::new(seed)
            };
            let identity = identity_from_seed(&input::hex(&text, "seed")?)?;
            out.print(&Account::from(&identity));
        }
        Command::Parse { id } => out.print(&parse(&id)?),
    }
    Ok(())
}

fn identity_from_seed(seed: &[u8]) -> Result<Identity> {
    if seed.len() == 64 {
        let (secret, public) = seed.split_at(32);
        let identity = Identity::from_seed_bytes(secret)?;
        if identity.ed25519_public().as_ref() != public {
            bail!("the Ed25519 secret key's second half is not the public key of its seed");
        }
        return Ok(identity);
    }
    Identity::from_seed_bytes(seed).context("invalid seed")
}

fn prefix_description(prefix: IdPrefix) -> (&'static str, &'static str) {
    match prefix {
        IdPrefix::Standard => ("account", "a Session account; the key is its X25519 key"),
        IdPrefix::Group => (
            "group",
            "a closed group (groups v2); the key is the group's Ed25519 key",
        ),
        IdPrefix::Blinded15 => (
            "blinded15",
            "a community-blinded ID (legacy blinding); the key is a blinded Ed25519 key",
        ),
        IdPrefix::Blinded25 => (
            "blinded25",
            "a community-blinded ID (BLAKE2b blinding); the key is a blinded Ed25519 key",
        ),
        IdPrefix::Unblinded => (
            "unblinded",
            "an unblinded Ed25519 key, as sent to communities that support blinding",
        ),
        _ => ("other", "a known prefix"),
    }
}

/// `id parse`: what an ID (or a bare key) is.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Parsed {
    /// A 32-byte key without a prefix.
    BareKey {
        /// Always `key`.
        kind: &'static str,
        key: String,
        #[serde(flatten)]
        ed25519: Ed25519Form,
    },
    /// An ID whose prefix is not a Session prefix.
    Unknown {
        id: String,
        prefix: String,
        key: String,
        /// Always `unknown`.
        kind: &'static str,
    },
    /// A Session ID.
    Known {
        id: String,
        prefix: String,
        key: String,
        kind: &'static str,
        description: &'static str,
        key_type: &'static str,
        /// For the prefixes whose key is a plain Ed25519 key.
        #[serde(flatten)]
        ed25519: Option<Ed25519Form>,
    },
}

/// An Ed25519 key's X25519 form and the `05` Session ID of that form.
#[derive(Serialize)]
pub(crate) struct Ed25519Form {
    valid_ed25519: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    x25519_public: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_account_id: Option<String>,
}

impl Ed25519Form {
    fn of(key: &[u8; 32]) -> Self {
        match x25519_from_ed25519(&Ed25519PublicKey::from(*key)) {
            Ok(x25519) => Ed25519Form {
                valid_ed25519: true,
                x25519_public: Some(x25519.to_string()),
                as_account_id: Some(session_core::SessionId::standard(x25519).to_string()),
            },
            Err(_) => Ed25519Form {
                valid_ed25519: false,
                x25519_public: None,
                as_account_id: None,
            },
        }
    }
}

impl fmt::Display for Ed25519Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.x25519_public, &self.as_account_id) {
            (Some(x25519), Some(account)) => {
                field(f, "as an Ed25519 key, its X25519 key", x25519)?;
                field(f, "and the 05 Session ID of that key", account)
            }
            _ => writeln!(f, "not a valid Ed25519 public key"),
        }
    }
}

impl fmt::Display for Parsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Parsed::BareKey { key, ed25519, .. } => {
                field(f, "kind", "a 32-byte key without a prefix")?;
                field(f, "key", key)?;
                writeln!(
                    f,
                    "storage servers off mainnet file a bare key under the 05 prefix"
                )?;
                write!(f, "{ed25519}")
            }
            Parsed::Unknown { id, prefix, .. } => {
                field(f, "id", id)?;
                field(
                    f,
                    "kind",
                    format_args!(
                        "unknown prefix 0x{prefix}: not a Session ID (storage servers still \
                         store messages for it)"
                    ),
                )
            }
            Parsed::Known {
                id,
                prefix,
                key,
                kind,
                description,
                key_type,
                ed25519,
            } => {
                field(f, "id", id)?;
                field(f, "prefix", format_args!("{prefix} ({kind})"))?;
                field(f, "what", description)?;
                field(f, "key", format_args!("{key} ({key_type})"))?;
                match ed25519 {
                    Some(form) => write!(f, "{form}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl Report for Parsed {
    fn passed(&self) -> bool {
        !matches!(self, Parsed::Unknown { .. })
    }
}

fn parse(text: &str) -> Result<Parsed> {
    let text = text.trim();
    if text.len() == 64 {
        let key = input::hex_array::<32>(text, "key")?;
        return Ok(Parsed::BareKey {
            kind: "key",
            key: encode_hex(&key),
            ed25519: Ed25519Form::of(&key),
        });
    }
    let account = AccountId::parse(text, Network::Mainnet).context("not a Session ID")?;
    let id = account.to_string();
    let prefix = format!("{:02x}", account.netid());
    let key = encode_hex(account.key());
    let Ok(session_id) = account.to_session_id() else {
        return Ok(Parsed::Unknown {
            id,
            prefix,
            key,
            kind: "unknown",
        });
    };
    let (kind, description) = prefix_description(session_id.prefix());
    let key_type = if session_id.prefix().is_ed25519() {
        "ed25519"
    } else {
        "x25519"
    };
    let ed25519 = matches!(session_id.prefix(), IdPrefix::Unblinded | IdPrefix::Group)
        .then(|| Ed25519Form::of(session_id.key()));
    Ok(Parsed::Known {
        id,
        prefix,
        key,
        kind,
        description,
        key_type,
        ed25519,
    })
}
