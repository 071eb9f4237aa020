//! The Session profile: a 13-word English phrase holds the 16-byte seed of an account.
//!
//! Since 29 October 2020 (Session Desktop `1f2c0172`) every Session app derives the account
//! from the seed the same way: Ed25519 key pair from `seed ‖ 0¹⁶`, converted to X25519, and the
//! Session ID is `05` + the X25519 public key ([`Identity::from_seed`] of a [`SessionSeed`]).
//! Earlier derivations
//! gave the same phrase a different Session ID; they are available only through
//! [`legacy_keys_from_phrase`] with an explicit [`LegacyDerivation`].
//!
//! Only 13-word phrases are Session phrases here, as in every app since August 2024. Desktop
//! used to accept longer `3k + 1`-word phrases (`5cad5a53` added the limit); a 25-word phrase
//! then gave 32 bytes used directly as the Ed25519 seed, which is
//! `Identity::from_seed_bytes(&Mnemonic::parse_in(Language::English, phrase)?.to_entropy())`.
//!
//! Seeds cross this API as [`SessionSeed`]s, which wipe themselves on drop: phrase → seed →
//! [`Identity`] leaves no copy of the seed behind.
//!
//! ```
//! use session_core::SessionSeed;
//! use session_mnemonic::session;
//!
//! let seed = SessionSeed::from_bytes([7u8; 16]);
//! let phrase = session::phrase_for_seed(&seed);
//! assert_eq!(phrase.word_count(), 13);
//! let identity = session::identity_from_phrase(&phrase.to_phrase())?;
//! assert_eq!(identity.ed25519_seed().session_seed(), Some(seed));
//! # Ok::<(), session_mnemonic::Error>(())
//! ```

use alloc::vec::Vec;
use core::fmt;

use curve25519_dalek::Scalar;
use rand_core::CryptoRng;
use session_core::hazmat::SecretBytes as _;
use session_core::identity::Identity;
use session_core::{SessionId, SessionSeed, X25519PublicKey, X25519Secret};
use zeroize::{Zeroize, Zeroizing};

use crate::mnemonic::decode_in;
use crate::normalize::normalize;
use crate::{Error, Language, Mnemonic, ParseOptions, TripleRule};

/// Words in a Session recovery phrase: 12 data words (16 bytes) and the checksum word.
pub const WORD_COUNT: usize = 13;

/// Options of the `*_with` functions. The defaults are what the Session apps use: English,
/// strict triples.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SessionOptions {
    language: Language,
    triples: TripleRule,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionOptions {
    /// English, strict triples.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            language: Language::English,
            triples: TripleRule::Strict,
        }
    }

    /// Use another word list. The apps ship only English in practice.
    #[must_use]
    pub const fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    /// How to treat triples above `u32::MAX`: [`TripleRule::SessionCompat`] restores exactly
    /// what the apps restore (the value modulo 2³²) for the rare mistyped phrase that contains
    /// one and still passes the checksum.
    #[must_use]
    pub const fn triples(mut self, rule: TripleRule) -> Self {
        self.triples = rule;
        self
    }
}

/// Decodes a phrase of exactly `counts` words.
fn decode_session(
    phrase: &str,
    options: &SessionOptions,
    counts: &[usize],
) -> Result<Mnemonic, Error> {
    let normalised = normalize(phrase);
    let count = normalised.split_whitespace().count();
    if !counts.contains(&count) {
        return Err(Error::WrongWordCount {
            got: count,
            expected: WORD_COUNT,
        });
    }
    let tokens: Vec<&str> = normalised.split_whitespace().collect();
    let parse = ParseOptions::new()
        .language(options.language)
        .triples(options.triples);
    decode_in(options.language, &tokens, &parse)
}

/// The 16-byte seed of a 13-word Session phrase.
pub fn seed_from_phrase(phrase: &str) -> Result<SessionSeed, Error> {
    seed_from_phrase_with(phrase, &SessionOptions::new())
}

/// [`seed_from_phrase`] with options.
pub fn seed_from_phrase_with(phrase: &str, options: &SessionOptions) -> Result<SessionSeed, Error> {
    let mnemonic = decode_session(phrase, options, &[WORD_COUNT])?;
    // Copied once, from the phrase's own wiped buffer into the typed seed. 13 words always
    // hold 16 bytes; the check keeps that an error rather than an assumption.
    let entropy = mnemonic.entropy();
    SessionSeed::try_from_slice(entropy)
        .map_err(|_| Error::InvalidEntropyLength { got: entropy.len() })
}

/// The account a 13-word Session phrase restores: [`Identity::from_seed`] of its seed.
pub fn identity_from_phrase(phrase: &str) -> Result<Identity, Error> {
    identity_from_phrase_with(phrase, &SessionOptions::new())
}

/// [`identity_from_phrase`] with options.
pub fn identity_from_phrase_with(
    phrase: &str,
    options: &SessionOptions,
) -> Result<Identity, Error> {
    seed_from_phrase_with(phrase, options).map(Identity::from_seed)
}

/// Creates a new Session account: a [`SessionSeed`] drawn from `rng`, its 13-word English
/// recovery phrase, and the identity that phrase restores.
///
/// Show the phrase to the account's owner once, to write down; it is the only backup of the
/// account. Both values wipe their secrets on drop, and the seed is not kept anywhere else.
///
/// `rng` must be a cryptographically secure generator: in an application,
/// `&mut rand::rng()` (the `rand` crate's thread-local CSPRNG, seeded from the operating
/// system) or `&mut rand_core::UnwrapErr(getrandom::SysRng)` (the operating system's RNG
/// directly; on `wasm32-unknown-unknown` enable getrandom's `wasm_js` feature). This crate
/// never picks one itself.
///
/// ```
/// use chacha20::ChaCha20Rng;
/// use session_mnemonic::rand_core::SeedableRng;
/// use session_mnemonic::session;
///
/// // Test only: a ChaCha20 generator with a fixed seed makes the example reproducible, and
/// // would give every user the same account. Real code passes `&mut rand::rng()`.
/// let mut rng = ChaCha20Rng::seed_from_u64(7);
/// let (phrase, identity) = session::generate(&mut rng);
/// assert_eq!(phrase.word_count(), 13);
///
/// // The phrase restores the same account.
/// let restored = session::identity_from_phrase(&phrase.to_phrase())?;
/// assert_eq!(restored.session_id(), identity.session_id());
/// # Ok::<(), session_mnemonic::Error>(())
/// ```
#[must_use]
pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> (Mnemonic, Identity) {
    let seed = SessionSeed::generate(rng);
    let phrase = phrase_for_seed(&seed);
    (phrase, Identity::from_seed(seed))
}

/// The 13-word English phrase of a Session seed.
#[must_use]
pub fn phrase_for_seed(seed: &SessionSeed) -> Mnemonic {
    Mnemonic::encode(seed.hazmat_bytes(), Language::English)
}

/// The recovery phrase of an identity, as the iOS app regenerates it: the phrase of its
/// [`SessionSeed`]. `None` when the identity was not made from a Session seed (the last 16
/// bytes of its Ed25519 seed are not zero), because then no phrase restores it.
#[must_use]
pub fn phrase_for_identity(identity: &Identity) -> Option<Mnemonic> {
    identity
        .ed25519_seed()
        .session_seed()
        .map(|seed| phrase_for_seed(&seed))
}

/// The derivations older Session clients used to turn a phrase into an account key.
///
/// A phrase does not say which one made it; a user who restores an account created before
/// 29 October 2020 and sees an unfamiliar Session ID can try these. Neither produces an
/// Ed25519 key: those accounts had only X25519 keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LegacyDerivation {
    /// October 2018 – March 2020 (Loki Messenger, then Session Desktop until `012575be`):
    /// the X25519 private key is `sc_reduce32(seed ‖ seed)` for a 13-word phrase, or
    /// `sc_reduce32(key)` for a 25-word phrase holding a 32-byte key (the 2018–2019 form).
    ReducedSeed,
    /// March 2020 – 29 October 2020 (Session Desktop `012575be` to `1f2c0172`, Android before
    /// the same change): the X25519 private key is `seed ‖ seed`, clamped as X25519 does.
    DoubledSeed,
}

/// X25519 keys derived by a [`LegacyDerivation`]. The secret is wiped on drop and not shown by
/// `Debug`.
#[derive(Clone)]
pub struct LegacyKeys {
    secret: X25519Secret,
    public: X25519PublicKey,
}

impl LegacyKeys {
    /// The X25519 private key, clamped (as libsignal stored it).
    #[must_use]
    pub fn x25519_secret(&self) -> &X25519Secret {
        &self.secret
    }

    /// The X25519 public key.
    #[must_use]
    pub fn x25519_public(&self) -> X25519PublicKey {
        self.public
    }

    /// The `05` Session ID of the key.
    #[must_use]
    pub fn session_id(&self) -> SessionId {
        SessionId::standard(self.public)
    }
}

impl fmt::Debug for LegacyKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyKeys")
            .field("session_id", &self.session_id())
            .finish_non_exhaustive()
    }
}

/// The X25519 keys a phrase gave under a pre-October-2020 derivation (English, strict).
pub fn legacy_keys_from_phrase(
    phrase: &str,
    derivation: LegacyDerivation,
) -> Result<LegacyKeys, Error> {
    legacy_keys_from_phrase_with(phrase, derivation, &SessionOptions::new())
}

/// [`legacy_keys_from_phrase`] with options.
pub fn legacy_keys_from_phrase_with(
    phrase: &str,
    derivation: LegacyDerivation,
    options: &SessionOptions,
) -> Result<LegacyKeys, Error> {
    let counts: &[usize] = match derivation {
        LegacyDerivation::ReducedSeed => &[WORD_COUNT, 25],
        LegacyDerivation::DoubledSeed => &[WORD_COUNT],
    };
    let mnemonic = decode_session(phrase, options, counts)?;
    let entropy = mnemonic.entropy();
    let mut key = Zeroizing::new([0u8; 32]);
    match entropy.len() {
        16 => {
            for (slot, byte) in key.iter_mut().zip(entropy.iter().chain(entropy.iter())) {
                *slot = *byte;
            }
        }
        32 => key.copy_from_slice(entropy),
        got => return Err(Error::InvalidEntropyLength { got }),
    }
    if derivation == LegacyDerivation::ReducedSeed {
        let mut reduced = Scalar::from_bytes_mod_order(*key);
        *key = reduced.to_bytes();
        reduced.zeroize();
    }
    if let Some(first) = key.first_mut() {
        *first &= 248;
    }
    if let Some(last) = key.last_mut() {
        *last = (*last & 127) | 64;
    }
    // `from_bytes` wipes the copy it is given; `key` wipes itself on drop.
    let secret = X25519Secret::from_bytes(*key);
    let public = secret.public_key();
    Ok(LegacyKeys { secret, public })
}
