//! Accounts: what an identity shows (Session ID and public keys), and new accounts.

use std::fmt;

use anyhow::{Context as _, Result};
use serde::Serialize;
use session_core::Identity;
use session_mnemonic::Language;
use session_mnemonic::session;

use crate::output::{Report, SecretText, field};
use crate::phrase_error::PhraseError;
use crate::random;

/// The public side of an account: its Session ID and public keys.
#[derive(Serialize)]
pub(crate) struct Account {
    session_id: String,
    ed25519_public: String,
    x25519_public: String,
}

impl From<&Identity> for Account {
    fn from(identity: &Identity) -> Self {
        Account {
            session_id: identity.session_id().to_string(),
            ed25519_public: identity.ed25519_public().to_string(),
            x25519_public: identity.x25519_public().to_string(),
        }
    }
}

impl Account {
    pub(crate) fn session_id(&self) -> &str {
        &self.session_id
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "session id", &self.session_id)?;
        field(f, "ed25519 public key", &self.ed25519_public)?;
        field(f, "x25519 public key", &self.x25519_public)
    }
}

impl Report for Account {}

/// A new account: its recovery phrase, then what it shows to others.
#[derive(Serialize)]
pub(crate) struct NewAccount {
    /// The 13-word phrase: the account's only backup.
    phrase: SecretText,
    /// The phrase's word list (its code).
    language: &'static str,
    #[serde(flatten)]
    account: Account,
}

impl NewAccount {
    /// Creates an account from the operating system's random generator, with its phrase in
    /// `language`.
    pub(crate) fn generate(language: Language) -> Result<NewAccount> {
        let mut rng = random::os_seeded_rng()?;
        let (english, identity) = session::generate(&mut rng);
        let phrase = if language == Language::English {
            english
        } else {
            // The same 16-byte seed, written with another word list.
            session_mnemonic::Mnemonic::from_entropy(&english.to_entropy(), language)
                .map_err(PhraseError::from)
                .context("cannot write the phrase in this language")?
        };
        Ok(NewAccount {
            phrase: SecretText::new(phrase.to_phrase()),
            language: language.code(),
            account: Account::from(&identity),
        })
    }
}

impl fmt::Display for NewAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        field(f, "recovery phrase", &self.phrase)?;
        write!(f, "{}", self.account)?;
        writeln!(
            f,
            "Write the phrase down and keep it secret: it is the only way to restore this account."
        )
    }
}

impl Report for NewAccount {}
