//! # session-mnemonic
//!
//! Electrum-style recovery phrases, as used by Session (13 English words), Oxen and Monero
//! (25 words), in all 13 word lists: encoding, forgiving-yet-exact decoding, errors that say
//! which word is wrong, and repair helpers (a missing word, a mistyped word).
//!
//! * [`Mnemonic`]: `from_entropy`, `parse` / `parse_in` / `parse_with`, `to_entropy`,
//!   `Display` (the canonical phrase). Phrases are byte-identical to Monero's and Oxen's.
//! * [`Language`]: the 13 lists, their names and unique-prefix lengths.
//! * [`recover_missing_word`] and [`suggest_corrections`]: repair a phrase. A failed checksum
//!   says that a word is wrong, never which word fixes it; `suggest_corrections` ranks the
//!   candidates by how close each is to what was typed.
//! * [`session`]: the Session profile (13 words → 16-byte seed → [`Identity`]), new accounts
//!   from an RNG ([`session::generate`]), and the pre-October-2020 legacy derivations behind
//!   an explicit option.
//!
//! ## Where randomness comes from
//!
//! Only [`session::generate`] (a new account) needs randomness, and it takes the generator as
//! an argument: this crate never reads a global or operating-system RNG itself. Pass a
//! cryptographically secure one (`rand_core` 0.10's `CryptoRng`, re-exported as
//! [`rand_core`]):
//!
//! * `&mut rand::rng()`: the `rand` crate's thread-local ChaCha generator, seeded from the
//!   operating system. The usual choice in an application.
//! * `&mut rand_core::UnwrapErr(getrandom::SysRng)` (getrandom's `sys_rng` feature): the
//!   operating system's generator directly. On `wasm32-unknown-unknown`, enable getrandom's
//!   `wasm_js` feature so it uses the browser's `crypto.getRandomValues`.
//! * In tests only: a seeded `chacha20::ChaCha20Rng` (`SeedableRng::seed_from_u64`), which is
//!   reproducible, and for the same reason gives everyone who uses the same seed the same
//!   account.
//!
//! Everything else (decoding, encoding, repair) is deterministic.
//!
//! `no_std` + `alloc`; the default `std` feature adds `std::error::Error` and runtime CPU
//! detection for the CRC.
//!
//! ## Rules and decisions
//!
//! The reference implementations (Monero, Oxen, Session Desktop/Android/iOS) differ on invalid
//! and unusual input. This crate accepts everything they accept that is valid, and decides the
//! rest as follows:
//!
//! * **Encoding**: each 4-byte little-endian chunk becomes 3 words; the checksum word repeats
//!   the data word at `CRC-32(concatenated prefixes) mod data words`. Byte-identical to Monero.
//! * **Input**: lowercased (full Unicode) and NFC-normalised, split on any Unicode whitespace.
//!   Android's "any non-word character is a space" clean-up is left to the UI.
//! * **Prefixes**: with a checksum word, a word is matched by its unique prefix (English and
//!   Japanese 3 characters, Chinese 1, the rest 4; characters after it are ignored). The CRC is
//!   computed over the *list's* prefixes, so capitalised German and bare prefixes verify.
//! * **Word counts**: `3k + 1` words with a checksum (13 for Session, 25 for wallets). The
//!   checksum-less 12/24-word forms, matched by full word, need
//!   [`ParseOptions::allow_no_checksum`]; the legacy `EnglishOld` list exists only in them.
//!   The [`session`] profile wants exactly 13 words.
//! * **Triples above `u32::MAX`**: rejected like Monero ([`Error::InvalidTriple`]);
//!   [`TripleRule::SessionCompat`] keeps them modulo 2³² like the Session apps.
//! * **Language detection**: Monero's order and rule (first list in which every word matches
//!   and the checksum passes), or [`Detection::Unique`] to refuse ambiguous phrases. Like
//!   Monero's, it takes about 1 French 13-word phrase in 190 for English (3-letter English
//!   prefixes start most French words): pass the language when it is known.
//!
//! ```
//! use session_mnemonic::{session, suggest_corrections, Error, Mnemonic};
//!
//! let phrase = "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
//! let identity = session::identity_from_phrase(phrase)?;
//! assert!(identity.session_id().to_string().starts_with("05"));
//!
//! // A typo is caught, with suggestions…
//! let typo = "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zniger kiwi";
//! match Mnemonic::parse(typo) {
//!     Err(Error::UnknownWord { position: 11, suggestions, .. }) => assert_eq!(suggestions[0], "zinger"),
//!     other => panic!("unexpected {other:?}"),
//! }
//!
//! // …and a typo that still matches a word by its prefix ("sin" → "sincerely") fails the
//! // checksum, which names the suspect; `suggest_corrections` ranks the fixes.
//! let typo = "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia singer kiwi";
//! match Mnemonic::parse(typo) {
//!     Err(Error::ChecksumMismatch { suspects, .. }) => assert_eq!(suspects, [11]),
//!     other => panic!("unexpected {other:?}"),
//! }
//! assert_eq!(suggest_corrections(typo)?[0].word, "zinger");
//! # Ok::<(), Error>(())
//! ```
//!
//! [`Identity`]: session_core::identity::Identity
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod codec;
mod crc;
mod error;
mod language;
mod mnemonic;
mod normalize;
mod recover;
pub mod session;
mod suggest;
mod wordlist;

/// The `rand_core` version whose `CryptoRng` [`session::generate`] takes.
pub use rand_core;

pub use error::Error;
pub use language::Language;
pub use mnemonic::{Detection, Mnemonic, ParseOptions, TripleRule};
pub use recover::{
    Candidate, Correction, recover_missing_word, suggest_corrections, suggest_corrections_in,
};

/// Largest entropy [`Mnemonic::from_entropy`] encodes, in bytes (768 data words). Far above
/// any real use (16 and 32 bytes); it bounds the work any input can cause.
pub const MAX_ENTROPY_LEN: usize = 1024;

/// Largest word count a phrase may have: [`MAX_ENTROPY_LEN`] / 4 × 3 data words plus the
/// checksum word.
pub const MAX_WORDS: usize = MAX_ENTROPY_LEN / 4 * 3 + 1;
