//! `session id`: identities from phrases and seeds, and what a prefixed ID is.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use clap::Subcommand;
use serde_json::{Value, json};
use session_core::identity::x25519_from_ed25519;
use session_core::{AccountId, Ed25519PublicKey, IdPrefix, Identity, Network};
use session_mnemonic::Language;
use session_mnemonic::session::{self, SessionOptions};
use zeroize::Zeroizing;

use crate::input;
use crate::mnemonic::{identity_json, identity_text};
use crate::output::{Output, Text};

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

fn parse_language(name: &str) -> Result<Language, String> {
    name.parse()
        .map_err(|e: session_mnemonic::Error| e.to_string())
}

pub(crate) fn run(command: Command, out: &mut Output) -> Result<()> {
    match command {
        Command::FromPhrase { words, language } => {
            let phrase = input::phrase(&words)?;
            let options = SessionOptions::new().language(language.unwrap_or(Language::English));
            let identity = session::identity_from_phrase_with(&phrase, &options)
                .context("cannot restore an account from this phrase")?;
            print_identity(&identity, out);
            Ok(())
        }
        Command::FromSeed { seed } => {
            let text = if seed == "-" {
                input::read_text(Path::new("-"))?
            } else {
                Zeroizing::new(seed)
            };
            let identity = identity_from_seed(&input::hex(&text, "seed")?)?;
            print_identity(&identity, out);
            Ok(())
        }
        Command::Parse { id } => parse(&id, out),
    }
}

fn print_identity(identity: &Identity, out: &mut Output) {
    let mut text = Text::new();
    identity_text(identity, &mut text);
    out.print(&identity_json(identity), &text);
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

fn parse(text: &str, out: &mut Output) -> Result<()> {
    let text = text.trim();
    let mut document = serde_json::Map::new();
    let mut lines = Text::new();
    if text.len() == 64 {
        let key = input::hex_array::<32>(text, "key")?;
        document.insert("kind".into(), json!("key"));
        document.insert(
            "key".into(),
            json!(session_core::encoding::encode_hex(&key)),
        );
        lines.field("kind", "a 32-byte key without a prefix");
        lines.line("storage servers off mainnet file a bare key under the 05 prefix");
        ed25519_details(&key, &mut document, &mut lines);
        out.print(&Value::Object(document), &lines);
        return Ok(());
    }
    let account = AccountId::parse(text, Network::Mainnet).context("not a Session ID")?;
    document.insert("id".into(), json!(account.to_string()));
    document.insert("prefix".into(), json!(format!("{:02x}", account.netid())));
    document.insert(
        "key".into(),
        json!(session_core::encoding::encode_hex(account.key())),
    );
    lines.field("id", account);
    let Ok(id) = account.to_session_id() else {
        document.insert("kind".into(), json!("unknown"));
        lines.field(
            "kind",
            format_args!(
                "unknown prefix 0x{:02x}: not a Session ID (storage servers still store \
                 messages for it)",
                account.netid()
            ),
        );
        out.print(&Value::Object(document), &lines);
        out.rule_failed();
        return Ok(());
    };
    let (kind, description) = prefix_description(id.prefix());
    document.insert("kind".into(), json!(kind));
    document.insert("description".into(), json!(description));
    let key_type = if id.prefix().is_ed25519() {
        "ed25519"
    } else {
        "x25519"
    };
    document.insert("key_type".into(), json!(key_type));
    lines
        .field(
            "prefix",
            format_args!("{:02x} ({kind})", id.prefix().byte()),
        )
        .field("what", description)
        .field(
            "key",
            format_args!(
                "{} ({key_type})",
                session_core::encoding::encode_hex(id.key())
            ),
        );
    if matches!(id.prefix(), IdPrefix::Unblinded | IdPrefix::Group) {
        ed25519_details(id.key(), &mut document, &mut lines);
    }
    out.print(&Value::Object(document), &lines);
    Ok(())
}

/// For an Ed25519 key: its X25519 form and the `05` account ID of that form.
fn ed25519_details(key: &[u8; 32], document: &mut serde_json::Map<String, Value>, text: &mut Text) {
    match x25519_from_ed25519(&Ed25519PublicKey::from(*key)) {
        Ok(x25519) => {
            let account = session_core::SessionId::standard(x25519);
            document.insert("valid_ed25519".into(), json!(true));
            document.insert("x25519_public".into(), json!(x25519.to_string()));
            document.insert("as_account_id".into(), json!(account.to_string()));
            text.field("as an Ed25519 key, its X25519 key", x25519)
                .field("and the 05 Session ID of that key", account);
        }
        Err(_) => {
            document.insert("valid_ed25519".into(), json!(false));
            text.line("not a valid Ed25519 public key");
        }
    }
}
