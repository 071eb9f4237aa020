//! The AEAD implementations behind [`super::HopKey`]: every seal and every open goes through
//! [`apply`], so a backend is chosen here alone.
//!
//! - RustCrypto's `aes-gcm` and `chacha20poly1305`: always built, and the only backends without
//!   the `fast-aead` feature, in `no_std`, and on targets other than x86_64 and aarch64.
//! - With `fast-aead` on x86_64 and aarch64:
//!   - AES-256-GCM: graviola's assembly, used only when session-core's run-time CPU check
//!     ([`session_core::hazmat::graviola_available`], made once per process) passes; graviola
//!     panics on a CPU without the instructions it needs.
//!   - XChaCha20-Poly1305: ring's ChaCha20-Poly1305 assembly (it picks its code for the CPU
//!     itself, with a fallback for every CPU), keyed with the HChaCha20 subkey as XChaCha20
//!     is defined. graviola's Poly1305 is portable code, so its XChaCha20-Poly1305 is slower
//!     than ring's at every length and than RustCrypto's from about 8 KiB on.
//!
//! All give the same bytes (ciphertext and tag) for every input, and all reject every
//! ciphertext the others reject; the callers wipe the output buffer on failure.

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
    /// Decrypt `buf` in place, checking the tag.
    Open {
        /// The ciphertext, replaced by the plaintext.
        buf: &'a mut [u8],
        /// The tag to check.
        tag: &'a [u8; TAG_LEN],
    },
}

/// Which implementation runs an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    /// RustCrypto's `aes-gcm` / `chacha20poly1305`.
    RustCrypto,
    /// graviola's AES-256-GCM.
    #[cfg(all(
        feature = "fast-aead",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    Graviola,
    /// ring's ChaCha20-Poly1305 under XChaCha20.
    #[cfg(all(
        feature = "fast-aead",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    Ring,
}

/// The backend this build and this CPU use for `enc`.
fn backend_for(enc: EncType) -> Backend {
    #[cfg(all(
        feature = "fast-aead",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    match enc {
        EncType::AesGcm if session_core::hazmat::graviola_available() => return Backend::Graviola,
        EncType::XChaCha20 => return Backend::Ring,
        EncType::AesGcm => {}
    }
    let _ = enc;
    Backend::RustCrypto
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
    match backend_for(enc) {
        Backend::RustCrypto => rust_crypto::apply(enc, key, nonce, aad, op),
        #[cfg(all(
            feature = "fast-aead",
            any(target_arch = "x86_64", target_arch = "aarch64")
        ))]
        Backend::Graviola => graviola_gcm::apply(key, nonce, aad, op),
        #[cfg(all(
            feature = "fast-aead",
            any(target_arch = "x86_64", target_arch = "aarch64")
        ))]
        Backend::Ring => ring_xchacha::apply(key, nonce, aad, op),
    }
}

/// The name of the backend this process uses for `enc`: `"graviola"`, `"ring"` or
/// `"rustcrypto"`.
#[cfg(test)]
pub(crate) fn name(enc: EncType) -> &'static str {
    match backend_for(enc) {
        Backend::RustCrypto => "rustcrypto",
        #[cfg(all(
            feature = "fast-aead",
            any(target_arch = "x86_64", target_arch = "aarch64")
        ))]
        Backend::Graviola => "graviola",
        #[cfg(all(
            feature = "fast-aead",
            any(target_arch = "x86_64", target_arch = "aarch64")
        ))]
        Backend::Ring => "ring",
    }
}

/// The error for a nonce of the wrong length for `enc`.
#[cfg(all(
    feature = "fast-aead",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
fn nonce_error(enc: EncType, nonce: &[u8]) -> CryptoError {
    CryptoError::NonceLength {
        expected: enc.nonce_len(),
        got: nonce.len(),
    }
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
            Aead::Open { buf, tag } => cipher
                .decrypt_inout_detached(nonce, aad, InOutBuf::from(buf), &(*tag).into())
                .map(|()| *tag)
                .map_err(|_| CryptoError::Decryption),
        }
    }
}

/// graviola's AES-256-GCM assembly, behind session-core's cached CPU check.
#[cfg(all(
    feature = "fast-aead",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
pub(super) mod graviola_gcm {
    use graviola::aead::AesGcm;

    use super::*;

    /// Call only when `session_core::hazmat::graviola_available()`.
    pub(crate) fn apply(
        key: &[u8; 32],
        nonce: &[u8],
        aad: &[u8],
        op: Aead<'_>,
    ) -> Result<[u8; TAG_LEN], CryptoError> {
        let nonce =
            <&[u8; 12]>::try_from(nonce).map_err(|_| nonce_error(EncType::AesGcm, nonce))?;
        // The key schedule and GHASH table wipe themselves on drop.
        let cipher = AesGcm::new(key);
        match op {
            Aead::Seal(buf) => {
                let mut tag = [0u8; TAG_LEN];
                cipher.encrypt(nonce, aad, buf, &mut tag);
                Ok(tag)
            }
            Aead::Open { buf, tag } => {
                // On a bad tag graviola zeroes the buffer itself (and the callers wipe it
                // again).
                cipher
                    .decrypt(nonce, aad, buf, tag)
                    .map(|()| *tag)
                    .map_err(|_| CryptoError::Decryption)
            }
        }
    }
}

/// XChaCha20-Poly1305 from ring's ChaCha20-Poly1305 (RFC 8439) assembly: the key is
/// HChaCha20(key, nonce[..16]) and the 12-byte nonce is four zero bytes then nonce[16..], which
/// is how XChaCha20-Poly1305 is defined (and what libsodium and RustCrypto compute).
#[cfg(all(
    feature = "fast-aead",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
pub(super) mod ring_xchacha {
    use chacha20::hchacha;
    use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, Tag, UnboundKey};
    use zeroize::Zeroizing;

    use super::*;

    /// ring's key, overwritten with an all-zero key when dropped: ring does not wipe its
    /// keys, and this is the one copy that lives for the whole operation.
    struct Key(LessSafeKey);

    impl Key {
        fn new(subkey: &[u8; 32]) -> Result<Self, CryptoError> {
            UnboundKey::new(&CHACHA20_POLY1305, subkey)
                .map(|k| Key(LessSafeKey::new(k)))
                .map_err(|_| CryptoError::Internal("aead key size"))
        }

        /// Replaces the key with the all-zero key, in place.
        fn wipe(&mut self) {
            if let Ok(zero) = UnboundKey::new(&CHACHA20_POLY1305, &[0u8; 32]) {
                self.0 = LessSafeKey::new(zero);
                // Keeps the overwrite: when dropping, the value is never read again.
                core::hint::black_box(&self.0);
            }
        }
    }

    impl Drop for Key {
        fn drop(&mut self) {
            self.wipe();
        }
    }

    pub(crate) fn apply(
        key: &[u8; 32],
        nonce: &[u8],
        aad: &[u8],
        op: Aead<'_>,
    ) -> Result<[u8; TAG_LEN], CryptoError> {
        let (hnonce, tail) = <&[u8; 24]>::try_from(nonce)
            .ok()
            .and_then(|n| n.split_first_chunk::<16>())
            .ok_or_else(|| nonce_error(EncType::XChaCha20, nonce))?;
        let subkey = Zeroizing::new(<[u8; 32]>::from(hchacha::<chacha20::R20>(
            key.into(),
            hnonce.into(),
        )));
        let key = Key::new(&subkey)?;
        let mut n12 = [0u8; 12];
        if let Some(dst) = n12.get_mut(4..) {
            dst.copy_from_slice(tail);
        }
        let n12 = Nonce::assume_unique_for_key(n12);
        match op {
            Aead::Seal(buf) => key
                .0
                .seal_in_place_separate_tag(n12, Aad::from(aad), buf)
                .map(|t| {
                    let mut tag = [0u8; TAG_LEN];
                    tag.copy_from_slice(t.as_ref());
                    tag
                })
                .map_err(|_| CryptoError::Internal("aead message too long")),
            Aead::Open { buf, tag } => {
                // On a bad tag ring zeroes the buffer itself (and the callers wipe it again).
                key.0
                    .open_in_place_separate_tag(n12, Aad::from(aad), Tag::from(*tag), buf, 0..)
                    .map(|_| *tag)
                    .map_err(|_| CryptoError::Decryption)
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Seals 64 zero bytes with `key` (nonce and aad fixed): ciphertext and tag.
        fn seal(key: &Key) -> ([u8; 64], [u8; 16]) {
            let mut buf = [0u8; 64];
            let tag = key
                .0
                .seal_in_place_separate_tag(
                    Nonce::assume_unique_for_key([0; 12]),
                    Aad::empty(),
                    &mut buf,
                )
                .map(|t| <[u8; 16]>::try_from(t.as_ref()).unwrap_or_default())
                .unwrap_or_default();
            (buf, tag)
        }

        #[test]
        fn a_wiped_key_is_the_all_zero_key() {
            let mut key = Key::new(&[0x5a; 32]).unwrap();
            let zero = Key::new(&[0; 32]).unwrap();
            assert_ne!(seal(&key), seal(&zero));
            key.wipe();
            assert_eq!(seal(&key), seal(&zero));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_in_use_is_named() {
        let fast = cfg!(all(
            feature = "fast-aead",
            any(target_arch = "x86_64", target_arch = "aarch64")
        ));
        let gcm = if fast && session_core::hazmat::graviola_available() {
            "graviola"
        } else {
            "rustcrypto"
        };
        assert_eq!(name(EncType::AesGcm), gcm);
        let chacha = if fast { "ring" } else { "rustcrypto" };
        assert_eq!(name(EncType::XChaCha20), chacha);
    }

    #[test]
    fn a_wrong_nonce_length_is_reported_by_the_dispatcher() {
        for enc in [EncType::AesGcm, EncType::XChaCha20] {
            for len in [0, 5, 12, 23, 25] {
                if len == enc.nonce_len() {
                    continue;
                }
                let mut buf = [0u8; 4];
                let r = apply(enc, &[1; 32], &[0; 25][..len], &[], Aead::Seal(&mut buf));
                assert_eq!(
                    r,
                    Err(CryptoError::NonceLength {
                        expected: enc.nonce_len(),
                        got: len
                    })
                );
                assert_eq!(buf, [0; 4], "nothing encrypted");
            }
        }
    }

    #[cfg(all(
        feature = "fast-aead",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    mod fast_vs_rust_crypto {
        use super::super::{Aead, graviola_gcm, ring_xchacha, rust_crypto};
        use crate::{CryptoError, EncType};
        use alloc::vec;
        use alloc::vec::Vec;
        use proptest::prelude::*;

        type Apply =
            fn(EncType, &[u8; 32], &[u8], &[u8], Aead<'_>) -> Result<[u8; 16], CryptoError>;

        // The single-cipher backends, with the cipher argument of `rust_crypto::apply`.
        const GRAVIOLA: Apply = |_, key, nonce, aad, op| graviola_gcm::apply(key, nonce, aad, op);
        const RING: Apply = |_, key, nonce, aad, op| ring_xchacha::apply(key, nonce, aad, op);

        /// The assembly backend for `enc` (when it may run on this CPU) and RustCrypto's.
        fn backends(enc: EncType) -> Vec<(&'static str, Apply)> {
            let mut all: Vec<(&'static str, Apply)> = vec![("rustcrypto", rust_crypto::apply)];
            match enc {
                EncType::AesGcm if session_core::hazmat::graviola_available() => {
                    all.push(("graviola", GRAVIOLA));
                }
                EncType::AesGcm => {}
                EncType::XChaCha20 => all.push(("ring", RING)),
            }
            all
        }

        /// Seals `plaintext` with the backend `apply`: the ciphertext and the tag.
        fn seal_with(
            apply: Apply,
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

        /// Plaintexts of every length up to 300 bytes, and some of several KiB (where the
        /// assembly takes its widest vector paths).
        fn plaintext() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![
                4 => proptest::collection::vec(any::<u8>(), 0..300),
                1 => proptest::collection::vec(any::<u8>(), 8000..8400),
            ]
        }

        #[test]
        fn this_cpu_is_detected() {
            if !session_core::hazmat::graviola_available() {
                std::println!("graviola's CPU features are missing: RustCrypto does AES-GCM");
            }
            assert_eq!(
                super::super::name(EncType::AesGcm) == "graviola",
                session_core::hazmat::graviola_available()
            );
            assert_eq!(super::super::name(EncType::XChaCha20), "ring");
        }

        /// The XChaCha20-Poly1305 test vector of draft-irtf-cfrg-xchacha-03, appendix A.3.1,
        /// through ring's backend: the HChaCha20 subkey and the nonce layout are ours.
        #[test]
        fn ring_xchacha20_matches_the_draft_vector() {
            let hex = |s: &str| {
                (0..s.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
                    .collect::<Vec<u8>>()
            };
            let plaintext = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
            let aad = hex("50515253c0c1c2c3c4c5c6c7");
            let key: [u8; 32] =
                hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
                    .try_into()
                    .unwrap();
            let nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
            let ct = hex(concat!(
                "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb",
                "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452",
                "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9",
                "21f9664c97637da9768812f615c68b13b52e"
            ));
            let tag: [u8; 16] = hex("c0875924c1c7987947deafd8780acf49").try_into().unwrap();
            let (got, got_tag) =
                seal_with(RING, EncType::XChaCha20, &key, &nonce, &aad, plaintext).unwrap();
            assert_eq!(got, ct);
            assert_eq!(got_tag, tag);
            let mut buf = ct.clone();
            let open = RING(
                EncType::XChaCha20,
                &key,
                &nonce,
                &aad,
                Aead::Open {
                    buf: &mut buf,
                    tag: &tag,
                },
            );
            assert_eq!(open, Ok(tag));
            assert_eq!(&buf[..], &plaintext[..]);
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            #[test]
            fn same_ciphertext_and_tag_and_all_open_it(
                chacha in any::<bool>(),
                key in any::<[u8; 32]>(),
                nonce in any::<[u8; 24]>(),
                aad in proptest::collection::vec(any::<u8>(), 0..40),
                plaintext in plaintext(),
            ) {
                let enc = enc_of(chacha);
                let nonce = nonce_for(enc, &nonce);
                let (ct_rc, tag_rc) = seal_with(rust_crypto::apply, enc, &key, nonce, &aad, &plaintext)?;
                if plaintext.len() >= 16 {
                    prop_assert_ne!(&ct_rc, &plaintext, "not encrypted");
                }
                for (name, apply) in backends(enc) {
                    let (ct, tag) = seal_with(apply, enc, &key, nonce, &aad, &plaintext)?;
                    prop_assert_eq!(&ct, &ct_rc, "{} seal", name);
                    prop_assert_eq!(tag, tag_rc, "{} tag", name);
                    let mut buf = ct_rc.clone();
                    let tag = apply(enc, &key, nonce, &aad, Aead::Open { buf: &mut buf, tag: &tag_rc });
                    prop_assert_eq!(tag, Ok(tag_rc), "{} open", name);
                    prop_assert_eq!(&buf, &plaintext, "{} open", name);
                }
            }

            #[test]
            fn tampering_is_rejected_by_all(
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
                for (name, apply) in backends(enc) {
                    let mut buf = ct.clone();
                    let r = apply(enc, &key, &nonce, &aad, Aead::Open { buf: &mut buf, tag: &tag });
                    prop_assert_eq!(r, Err(CryptoError::Decryption), "{}", name);
                    // The assembly backends decrypt before they check the tag, and leave no
                    // plaintext behind even before the caller's wipe.
                    if name != "rustcrypto" {
                        prop_assert!(buf.iter().all(|&b| b == 0), "{}", name);
                    }
                }
            }
        }
    }
}
