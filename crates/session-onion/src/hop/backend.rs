//! The AEAD implementations behind [`super::HopKey`]: every seal and every open goes through
//! [`apply`], so a backend is chosen here alone.
//!
//! - RustCrypto's `aes-gcm` and `chacha20poly1305`: always built, and the only backends without
//!   the `fast-aead` feature, in `no_std`, and on targets other than x86_64 and aarch64.
//! - With `fast-aead` on x86_64 and aarch64: graviola's assembly, used only when session-core's
//!   run-time CPU check ([`session_core::hazmat::graviola_available`], made once per process)
//!   passes; graviola panics on a CPU without the instructions it needs. AES-256-GCM uses
//!   graviola for every message. XChaCha20-Poly1305 uses it for messages shorter than
//!   [`fast::XCHACHA_BELOW`] only: graviola's ChaCha20 is vectorised but its Poly1305 is
//!   portable code, and from about 8 KiB on RustCrypto's (AVX2 Poly1305) is faster.
//!
//! Both give the same bytes (ciphertext and tag) for every input, and both reject every
//! ciphertext the other rejects; the callers wipe the output buffer on failure.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::array::typenum::Unsigned;
use aes_gcm::aead::consts::U16;
use aes_gcm::aead::inout::InOutBuf;
use aes_gcm::aead::{AeadInOut, KeyInit, Nonce};
use chacha20poly1305::XChaCha20Poly1305;

use super::TAG_LEN;
use crate::{CryptoError, EncType};

/// One AEAD operation on a buffer; see [`apply`].
pub(super) enum Aead<'a> {
    /// Encrypt `buf` in place, computing the tag.
    Seal(&'a mut [u8]),
    /// Decrypt into `buf`, checking the tag: from `ct` (of `buf`'s length) when given, else
    /// in place.
    Open {
        /// The ciphertext, when it is not already in `buf`.
        ct: Option<&'a [u8]>,
        /// The output (and, without `ct`, the input).
        buf: &'a mut [u8],
        /// The tag to check.
        tag: &'a [u8; TAG_LEN],
    },
}

impl Aead<'_> {
    /// The message length.
    #[cfg_attr(
        not(all(
            feature = "fast-aead",
            any(target_arch = "x86_64", target_arch = "aarch64")
        )),
        allow(dead_code)
    )]
    fn len(&self) -> usize {
        match self {
            Aead::Seal(buf) | Aead::Open { buf, .. } => buf.len(),
        }
    }
}

/// Runs `op` with cipher `enc`, key `key`, `nonce` (of [`EncType::nonce_len`] bytes, else
/// [`CryptoError::NonceLength`]) and associated data `aad`; returns the tag (computed when
/// sealing, checked when opening).
pub(super) fn apply(
    enc: EncType,
    key: &[u8; 32],
    nonce: &[u8],
    aad: &[u8],
    op: Aead<'_>,
) -> Result<[u8; TAG_LEN], CryptoError> {
    #[cfg(all(
        feature = "fast-aead",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    if fast::chosen(enc, op.len()) {
        return fast::apply(enc, key, nonce, aad, op);
    }
    rust_crypto::apply(enc, key, nonce, aad, op)
}

/// The name of the backend this process uses for `enc` and a message of `len` bytes:
/// `"graviola"` or `"rustcrypto"`.
#[cfg(test)]
pub(crate) fn name(enc: EncType, len: usize) -> &'static str {
    #[cfg(all(
        feature = "fast-aead",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    if fast::chosen(enc, len) {
        return "graviola";
    }
    let _ = (enc, len);
    "rustcrypto"
}

/// The portable backend.
pub(super) mod rust_crypto {
    use super::*;

    pub(crate) fn apply(
        enc: EncType,
        key: &[u8; 32],
        nonce: &[u8],
        aad: &[u8],
        op: Aead<'_>,
    ) -> Result<[u8; TAG_LEN], CryptoError> {
        match enc {
            EncType::AesGcm => apply_with::<Aes256Gcm>(key, nonce, aad, op),
            EncType::XChaCha20 => apply_with::<XChaCha20Poly1305>(key, nonce, aad, op),
        }
    }

    fn apply_with<C>(
        key: &[u8; 32],
        nonce: &[u8],
        aad: &[u8],
        op: Aead<'_>,
    ) -> Result<[u8; TAG_LEN], CryptoError>
    where
        C: KeyInit + AeadInOut<TagSize = U16>,
    {
        let nonce = <&Nonce<C>>::try_from(nonce).map_err(|_| CryptoError::NonceLength {
            expected: <C::NonceSize as Unsigned>::USIZE,
            got: nonce.len(),
        })?;
        let cipher = C::new_from_slice(key).map_err(|_| CryptoError::Internal("aead key size"))?;
        match op {
            Aead::Seal(buf) => cipher
                .encrypt_inout_detached(nonce, aad, InOutBuf::from(buf))
                .map(Into::into)
                .map_err(|_| CryptoError::Decryption),
            Aead::Open { ct, buf, tag } => {
                let inout = match ct {
                    Some(ct) => InOutBuf::new(ct, buf).map_err(|_| CryptoError::Decryption)?,
                    None => InOutBuf::from(buf),
                };
                cipher
                    .decrypt_inout_detached(nonce, aad, inout, &(*tag).into())
                    .map(|()| *tag)
                    .map_err(|_| CryptoError::Decryption)
            }
        }
    }
}

/// graviola's assembly, behind session-core's cached CPU check.
#[cfg(all(
    feature = "fast-aead",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
pub(super) mod fast {
    use graviola::aead::{AesGcm, XChaCha20Poly1305};

    use super::*;

    /// XChaCha20-Poly1305 messages of at least this many bytes go to RustCrypto, which is
    /// faster from about 8 KiB on (graviola's Poly1305 is not vectorised).
    pub(crate) const XCHACHA_BELOW: usize = 8 * 1024;

    /// Whether graviola handles `enc` for a message of `len` bytes in this process.
    pub(crate) fn chosen(enc: EncType, len: usize) -> bool {
        let wanted = match enc {
            EncType::AesGcm => true,
            EncType::XChaCha20 => len < XCHACHA_BELOW,
        };
        wanted && session_core::hazmat::graviola_available()
    }

    /// Call only when `session_core::hazmat::graviola_available()`.
    pub(crate) fn apply(
        enc: EncType,
        key: &[u8; 32],
        nonce: &[u8],
        aad: &[u8],
        op: Aead<'_>,
    ) -> Result<[u8; TAG_LEN], CryptoError> {
        let nonce_error = || CryptoError::NonceLength {
            expected: enc.nonce_len(),
            got: nonce.len(),
        };
        match enc {
            EncType::AesGcm => {
                let nonce = <&[u8; 12]>::try_from(nonce).map_err(|_| nonce_error())?;
                // The key schedule and GHASH table wipe themselves on drop.
                let cipher = AesGcm::new(key);
                run(
                    op,
                    |buf, tag| cipher.encrypt(nonce, aad, buf, tag),
                    |buf, tag| cipher.decrypt(nonce, aad, buf, tag),
                )
            }
            EncType::XChaCha20 => {
                let nonce = <&[u8; 24]>::try_from(nonce).map_err(|_| nonce_error())?;
                // graviola's copy of the key is wiped on drop.
                let cipher = XChaCha20Poly1305::new(*key);
                run(
                    op,
                    |buf, tag| cipher.encrypt(nonce, aad, buf, tag),
                    |buf, tag| cipher.decrypt(nonce, aad, buf, tag),
                )
            }
        }
    }

    /// graviola works in place: an out-of-place open copies the ciphertext to the output first.
    /// On a bad tag graviola zeroes the buffer itself (and the callers wipe it again).
    fn run(
        op: Aead<'_>,
        seal: impl FnOnce(&mut [u8], &mut [u8; TAG_LEN]),
        open: impl FnOnce(&mut [u8], &[u8]) -> Result<(), graviola::Error>,
    ) -> Result<[u8; TAG_LEN], CryptoError> {
        match op {
            Aead::Seal(buf) => {
                let mut tag = [0u8; TAG_LEN];
                seal(buf, &mut tag);
                Ok(tag)
            }
            Aead::Open { ct, buf, tag } => {
                if let Some(ct) = ct {
                    if ct.len() != buf.len() {
                        return Err(CryptoError::Decryption);
                    }
                    buf.copy_from_slice(ct);
                }
                open(buf, tag)
                    .map(|()| *tag)
                    .map_err(|_| CryptoError::Decryption)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_in_use_is_named() {
        for enc in [EncType::AesGcm, EncType::XChaCha20] {
            for len in [0, 1024, 64 * 1024] {
                assert!(["graviola", "rustcrypto"].contains(&name(enc, len)));
            }
        }
        // Without graviola every message goes to RustCrypto.
        if !session_core::hazmat::graviola_available() {
            assert_eq!(name(EncType::AesGcm, 16), "rustcrypto");
        }
    }

    #[test]
    fn a_wrong_nonce_length_is_reported_by_the_dispatcher() {
        for enc in [EncType::AesGcm, EncType::XChaCha20] {
            let mut buf = [0u8; 4];
            let r = apply(enc, &[1; 32], &[0; 5], &[], Aead::Seal(&mut buf));
            assert_eq!(
                r,
                Err(CryptoError::NonceLength {
                    expected: enc.nonce_len(),
                    got: 5
                })
            );
        }
    }

    #[cfg(all(
        feature = "fast-aead",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    mod fast_vs_rust_crypto {
        use super::super::{Aead, fast, rust_crypto};
        use crate::{CryptoError, EncType};
        use alloc::vec;
        use alloc::vec::Vec;
        use proptest::prelude::*;

        type Apply =
            fn(EncType, &[u8; 32], &[u8], &[u8], Aead<'_>) -> Result<[u8; 16], CryptoError>;

        const BACKENDS: [(&str, Apply); 2] = [
            ("graviola", fast::apply),
            ("rustcrypto", rust_crypto::apply),
        ];

        /// Seals `plaintext` with the backend `apply`: the ciphertext and the tag.
        #[allow(clippy::type_complexity)]
        fn seal_with(
            apply: fn(EncType, &[u8; 32], &[u8], &[u8], Aead<'_>) -> Result<[u8; 16], CryptoError>,
            enc: EncType,
            key: &[u8; 32],
            nonce: &[u8],
            aad: &[u8],
            plaintext: &[u8],
        ) -> Result<(Vec<u8>, [u8; 16]), CryptoError> {
            let mut buf = plaintext.to_vec();
            let tag = apply(enc, key, nonce, aad, Aead::Seal(&mut buf))?;
            Ok((buf, tag))
        }

        fn enc_of(chacha: bool) -> EncType {
            if chacha {
                EncType::XChaCha20
            } else {
                EncType::AesGcm
            }
        }

        /// A nonce of the right length for `enc` from 24 random bytes.
        fn nonce_for(enc: EncType, bytes: &[u8; 24]) -> &[u8] {
            bytes.get(..enc.nonce_len()).unwrap_or(bytes)
        }

        /// Plaintexts of every length up to 300 bytes, and some past graviola's XChaCha20
        /// threshold (both backends are compared whatever the dispatcher would choose).
        fn plaintext() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![
                4 => proptest::collection::vec(any::<u8>(), 0..300),
                1 => proptest::collection::vec(any::<u8>(), 8000..8400),
            ]
        }

        #[test]
        fn this_cpu_is_detected() {
            if !session_core::hazmat::graviola_available() {
                std::println!("graviola's CPU features are missing: RustCrypto is used");
            }
            assert_eq!(
                super::super::name(EncType::AesGcm, 64) == "graviola",
                session_core::hazmat::graviola_available()
            );
        }

        #[test]
        fn xchacha20_switches_backend_at_the_threshold() {
            if !session_core::hazmat::graviola_available() {
                return;
            }
            let name = super::super::name;
            assert_eq!(
                name(EncType::XChaCha20, fast::XCHACHA_BELOW - 1),
                "graviola"
            );
            assert_eq!(name(EncType::XChaCha20, fast::XCHACHA_BELOW), "rustcrypto");
            assert_eq!(name(EncType::AesGcm, 1 << 20), "graviola");
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            #[test]
            fn same_ciphertext_and_tag_and_both_open_it(
                chacha in any::<bool>(),
                key in any::<[u8; 32]>(),
                nonce in any::<[u8; 24]>(),
                aad in proptest::collection::vec(any::<u8>(), 0..40),
                plaintext in plaintext(),
            ) {
                if !session_core::hazmat::graviola_available() {
                    return Ok(());
                }
                let enc = enc_of(chacha);
                let nonce = nonce_for(enc, &nonce);
                let (ct_fast, tag_fast) = seal_with(fast::apply, enc, &key, nonce, &aad, &plaintext)?;
                let (ct_rc, tag_rc) = seal_with(rust_crypto::apply, enc, &key, nonce, &aad, &plaintext)?;
                prop_assert_eq!(&ct_fast, &ct_rc);
                prop_assert_eq!(tag_fast, tag_rc);
                if plaintext.len() >= 16 {
                    prop_assert_ne!(&ct_fast, &plaintext, "not encrypted");
                }
                for (name, apply) in BACKENDS {
                    // In place.
                    let mut buf = ct_fast.clone();
                    let tag = apply(enc, &key, nonce, &aad, Aead::Open { ct: None, buf: &mut buf, tag: &tag_fast });
                    prop_assert_eq!(tag, Ok(tag_fast), "{} in place", name);
                    prop_assert_eq!(&buf, &plaintext, "{} in place", name);
                    // Out of place.
                    let mut out = vec![0u8; ct_fast.len()];
                    let tag = apply(enc, &key, nonce, &aad, Aead::Open { ct: Some(&ct_fast), buf: &mut out, tag: &tag_fast });
                    prop_assert_eq!(tag, Ok(tag_fast), "{} out of place", name);
                    prop_assert_eq!(&out, &plaintext, "{} out of place", name);
                }
            }

            #[test]
            fn tampering_is_rejected_by_both(
                chacha in any::<bool>(),
                key in any::<[u8; 32]>(),
                nonce in any::<[u8; 24]>(),
                aad in proptest::collection::vec(any::<u8>(), 0..40),
                plaintext in plaintext(),
                // What to change: 0 ciphertext, 1 tag, 2 aad, 3 nonce, 4 key.
                target in 0usize..5,
                position in any::<prop::sample::Index>(),
                bit in 0u8..8,
            ) {
                if !session_core::hazmat::graviola_available() {
                    return Ok(());
                }
                let enc = enc_of(chacha);
                let nonce = nonce_for(enc, &nonce).to_vec();
                let (mut ct, mut tag) = seal_with(rust_crypto::apply, enc, &key, &nonce, &aad, &plaintext)?;
                let (mut aad, mut nonce, mut key) = (aad, nonce, key);
                let flip = |bytes: &mut [u8]| {
                    if !bytes.is_empty() {
                        if let Some(b) = bytes.get_mut(position.index(bytes.len())) {
                            *b ^= 1 << bit;
                        }
                        true
                    } else {
                        false
                    }
                };
                let changed = match target {
                    0 => flip(&mut ct),
                    1 => flip(&mut tag),
                    2 => flip(&mut aad),
                    3 => flip(&mut nonce),
                    _ => flip(&mut key),
                };
                if !changed {
                    return Ok(());
                }
                for (name, apply) in BACKENDS {
                    let mut buf = ct.clone();
                    let r = apply(enc, &key, &nonce, &aad, Aead::Open { ct: None, buf: &mut buf, tag: &tag });
                    prop_assert_eq!(r, Err(CryptoError::Decryption), "{} in place", name);
                    let mut out = vec![0u8; ct.len()];
                    let r = apply(enc, &key, &nonce, &aad, Aead::Open { ct: Some(&ct), buf: &mut out, tag: &tag });
                    prop_assert_eq!(r, Err(CryptoError::Decryption), "{} out of place", name);
                }
                // graviola leaves no plaintext behind even before the caller's wipe.
                let mut buf = ct.clone();
                let _ = fast::apply(enc, &key, &nonce, &aad, Aead::Open { ct: None, buf: &mut buf, tag: &tag });
                prop_assert!(buf.iter().all(|&b| b == 0));
            }
        }
    }
}
