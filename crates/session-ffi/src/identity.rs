//! Identities, recovery phrases, Session IDs.
#![allow(unsafe_code)]

use std::ffi::c_char;

use session_bindings as api;

use crate::boundary::{
    Failure, borrow, bytes, call, optional_text, put, put_bytes, put_handle, put_text, release,
    text,
};

/// A Session account's keys (opaque). Release with [`session_identity_free`].
pub struct SessionIdentity(pub(crate) api::Identity);

/// A new account from the operating system's RNG.
///
/// # Safety
/// `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_identity_generate(out: *mut *mut SessionIdentity) -> i32 {
    // SAFETY: `out` as documented.
    call(|| unsafe { put_handle(out, SessionIdentity(api::Identity::generate())) })
}

/// The account a 13-word recovery phrase restores.
///
/// # Safety
/// `phrase` must point to `phrase_len` bytes; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_identity_from_phrase(
    phrase: *const c_char,
    phrase_len: usize,
    out: *mut *mut SessionIdentity,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let phrase = unsafe { text(phrase, phrase_len, "phrase") }?;
        let identity = api::Identity::from_phrase(phrase)?;
        // SAFETY: as above.
        unsafe { put_handle(out, SessionIdentity(identity)) }
    })
}

/// The account of a seed: 16 bytes (Session seed), 32 (Ed25519 seed) or 64 (libsodium's
/// Ed25519 secret key).
///
/// # Safety
/// `seed` must point to `seed_len` bytes; `out` must be valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_identity_from_seed(
    seed: *const u8,
    seed_len: usize,
    out: *mut *mut SessionIdentity,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let seed = unsafe { bytes(seed, seed_len, "seed") }?;
        let identity = api::Identity::from_seed(seed)?;
        // SAFETY: as above.
        unsafe { put_handle(out, SessionIdentity(identity)) }
    })
}

/// Releases an identity (null is ignored).
///
/// # Safety
/// `identity` must be null or a live handle, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_identity_free(identity: *mut SessionIdentity) {
    // SAFETY: as documented.
    let _ = std::panic::catch_unwind(|| unsafe { release(identity) });
}

/// Runs `f` on a live identity and writes what it returns as text.
///
/// # Safety
/// `identity` a live handle; the output pointers as for `put_text`.
unsafe fn identity_text(
    identity: *const SessionIdentity,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    f: impl FnOnce(&api::Identity) -> Result<String, Failure>,
) -> i32 {
    call(|| {
        // SAFETY: forwarded from the caller.
        let identity = unsafe { borrow(identity, "identity") }?;
        let value = f(&identity.0)?;
        // SAFETY: forwarded from the caller.
        unsafe { put_text(out, out_cap, out_len, &value) }
    })
}

/// Runs `f` on a live identity and writes the bytes it returns.
///
/// # Safety
/// `identity` a live handle; the output pointers as for `put_bytes`.
unsafe fn identity_bytes(
    identity: *const SessionIdentity,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
    f: impl FnOnce(&api::Identity) -> Vec<u8>,
) -> i32 {
    call(|| {
        // SAFETY: forwarded from the caller.
        let identity = unsafe { borrow(identity, "identity") }?;
        let value = f(&identity.0);
        // SAFETY: forwarded from the caller.
        unsafe { put_bytes(out, out_cap, out_len, &value) }
    })
}

/// The Session ID (`05…`, 66 characters; a 67-byte buffer holds it and its NUL).
///
/// # Safety
/// `identity` must be a live handle, `out` valid for `out_cap` bytes, `out_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_identity_session_id(
    identity: *const SessionIdentity,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe { identity_text(identity, out, out_cap, out_len, |i| Ok(i.session_id())) }
}

/// The 13-word recovery phrase. Fails with `SESSION_ERR_INVALID_ARGUMENT` for an account made
/// from a 32-byte seed, which has none.
///
/// # Safety
/// As [`session_identity_session_id`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_identity_phrase(
    identity: *const SessionIdentity,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        identity_text(identity, out, out_cap, out_len, |i| {
            i.phrase().map(|p| p.as_str().to_owned()).ok_or_else(|| {
                Failure::Library(api::Error::new(
                    api::ErrorCode::InvalidArgument,
                    "this account has no recovery phrase (it was made from a 32-byte seed)",
                ))
            })
        })
    }
}

/// The Ed25519 public key (32 bytes).
///
/// # Safety
/// `identity` must be a live handle, `out` valid for `out_cap` bytes, `out_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_identity_ed25519_public(
    identity: *const SessionIdentity,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        identity_bytes(identity, out, out_cap, out_len, |i| {
            i.ed25519_public().to_vec()
        })
    }
}

/// The X25519 public key (32 bytes, the key in the Session ID).
///
/// # Safety
/// As [`session_identity_ed25519_public`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_identity_x25519_public(
    identity: *const SessionIdentity,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        identity_bytes(identity, out, out_cap, out_len, |i| {
            i.x25519_public().to_vec()
        })
    }
}

/// The Ed25519 signature (64 bytes) of `data`.
///
/// # Safety
/// As [`session_identity_ed25519_public`]; `data` must point to `data_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_identity_sign(
    identity: *const SessionIdentity,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (identity, data) = unsafe {
            (
                borrow(identity, "identity")?,
                bytes(data, data_len, "data")?,
            )
        };
        let signature = identity.0.sign(data);
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &signature) }
    })
}

/// Whether `signature` is a valid Ed25519 signature of `data` by `ed25519_public`: `*valid`
/// receives 1 or 0.
///
/// # Safety
/// Each input pointer must point to its length in bytes; `valid` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_verify_signature(
    ed25519_public: *const u8,
    ed25519_public_len: usize,
    data: *const u8,
    data_len: usize,
    signature: *const u8,
    signature_len: usize,
    valid: *mut i32,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (key, data, signature) = unsafe {
            (
                bytes(ed25519_public, ed25519_public_len, "ed25519_public")?,
                bytes(data, data_len, "data")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        let ok = api::verify_signature(key, data, signature)?;
        // SAFETY: as above.
        unsafe { put(valid, i32::from(ok), "valid") }
    })
}

/// The phrase of a seed (16 bytes: Session's 13 words). `language` (a word-list name) may be
/// null or empty for English.
///
/// # Safety
/// Input pointers must point to their lengths in bytes; `out` valid for `out_cap` bytes,
/// `out_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_phrase_encode(
    seed: *const u8,
    seed_len: usize,
    language: *const c_char,
    language_len: usize,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (seed, language) = unsafe {
            (
                bytes(seed, seed_len, "seed")?,
                optional_text(language, language_len, "language")?,
            )
        };
        let phrase = api::phrase_encode(seed, language)?;
        // SAFETY: as above.
        unsafe { put_text(out, out_cap, out_len, &phrase) }
    })
}

/// The seed a phrase holds. `language` may be null or empty to detect it.
///
/// # Safety
/// As [`session_phrase_encode`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_phrase_decode(
    phrase: *const c_char,
    phrase_len: usize,
    language: *const c_char,
    language_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (phrase, language) = unsafe {
            (
                text(phrase, phrase_len, "phrase")?,
                optional_text(language, language_len, "language")?,
            )
        };
        let seed = api::phrase_decode(phrase, language)?;
        // SAFETY: as above.
        unsafe { put_bytes(out, out_cap, out_len, &seed) }
    })
}

/// Checks a phrase: `SESSION_OK` when valid, otherwise `SESSION_ERR_PHRASE` with the precise
/// reason in [`crate::session_error_message`].
///
/// # Safety
/// The pointers must point to their lengths in bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_phrase_check(
    phrase: *const c_char,
    phrase_len: usize,
    language: *const c_char,
    language_len: usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (phrase, language) = unsafe {
            (
                text(phrase, phrase_len, "phrase")?,
                optional_text(language, language_len, "language")?,
            )
        };
        match api::phrase_check(phrase, language, 0)?.error {
            None => Ok(()),
            Some(error) => Err(error.into()),
        }
    })
}

/// Up to `max` corrections of an invalid phrase, best first: the corrected phrases, one a
/// line (`\n`-separated). Empty when the phrase is valid or no one-word change fixes it.
///
/// # Safety
/// As [`session_phrase_encode`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_phrase_corrections(
    phrase: *const c_char,
    phrase_len: usize,
    language: *const c_char,
    language_len: usize,
    max: usize,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let (phrase, language) = unsafe {
            (
                text(phrase, phrase_len, "phrase")?,
                optional_text(language, language_len, "language")?,
            )
        };
        let check = api::phrase_check(phrase, language, max)?;
        let lines = zeroize::Zeroizing::new(
            check
                .corrections
                .iter()
                .map(|c| c.phrase.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        // SAFETY: as above.
        unsafe { put_text(out, out_cap, out_len, &lines) }
    })
}

/// Parses a Session ID: `*prefix` receives the prefix byte (`0x05` account, `0x03` group,
/// `0x15` / `0x25` blinded, `0x00` unblinded) and `key` (32 bytes) the key.
///
/// # Safety
/// `id` must point to `id_len` bytes, `prefix` be writable, `key` valid for `key_cap` bytes,
/// `key_len` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn session_parse_session_id(
    id: *const c_char,
    id_len: usize,
    prefix: *mut u8,
    key: *mut u8,
    key_cap: usize,
    key_len: *mut usize,
) -> i32 {
    call(|| {
        // SAFETY: the pointers as documented.
        let id = unsafe { text(id, id_len, "id") }?;
        let parsed = api::parse_session_id(id)?;
        // SAFETY: as above.
        unsafe {
            put(prefix, parsed.prefix, "prefix")?;
            put_bytes(key, key_cap, key_len, &parsed.key)
        }
    })
}
