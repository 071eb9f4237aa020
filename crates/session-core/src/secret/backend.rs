//! The X25519 implementation. Everything that multiplies on the curve goes through
//! [`scalarmult`] and [`scalarmult_base`], so a backend is chosen here alone.
//!
//! - x25519-dalek's (curve25519-dalek's) portable Montgomery ladder: always built, and the
//!   only backend without the `fast-x25519` feature, in `no_std`, and on targets other than
//!   x86_64 and aarch64.
//! - With `fast-x25519` on x86_64 and aarch64: graviola's formally verified assembly, used
//!   only when a run-time check (made once per process) finds every CPU feature graviola
//!   requires; graviola panics on a CPU without them, so on such a CPU dalek is used instead.
//!
//! Both give the same bytes for every input (scalar clamped, the point's top bit ignored and
//! non-canonical coordinates reduced, RFC 7748), and both give all zeros for a small-order
//! point; the caller rejects that result.

/// `scalar · point`, with the scalar clamped (RFC 7748). All zeros for a small-order point.
pub(super) fn scalarmult(scalar: &[u8; 32], point: &[u8; 32]) -> [u8; 32] {
    #[cfg(all(
        feature = "fast-x25519",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    if fast::available() {
        return fast::scalarmult(scalar, point);
    }
    dalek::scalarmult(scalar, point)
}

/// `scalar · basepoint`, with the scalar clamped.
pub(super) fn scalarmult_base(scalar: &[u8; 32]) -> [u8; 32] {
    #[cfg(all(
        feature = "fast-x25519",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    if fast::available() {
        return fast::scalarmult_base(scalar);
    }
    dalek::scalarmult_base(scalar)
}

/// The name of the backend this process uses: `"graviola"` or `"x25519-dalek"`.
pub(crate) fn name() -> &'static str {
    if graviola_available() {
        "graviola"
    } else {
        "x25519-dalek"
    }
}

/// Whether graviola is built in and this CPU passes its (cached) check.
pub(crate) fn graviola_available() -> bool {
    #[cfg(all(
        feature = "fast-x25519",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    {
        fast::available()
    }
    #[cfg(not(all(
        feature = "fast-x25519",
        any(target_arch = "x86_64", target_arch = "aarch64")
    )))]
    {
        false
    }
}

/// The portable backend.
pub(super) mod dalek {
    pub(crate) fn scalarmult(scalar: &[u8; 32], point: &[u8; 32]) -> [u8; 32] {
        curve25519_dalek::MontgomeryPoint(*point)
            .mul_clamped(*scalar)
            .to_bytes()
    }

    pub(crate) fn scalarmult_base(scalar: &[u8; 32]) -> [u8; 32] {
        curve25519_dalek::MontgomeryPoint::mul_base_clamped(*scalar).to_bytes()
    }
}

/// graviola's assembly, behind a cached CPU check.
#[cfg(all(
    feature = "fast-x25519",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
pub(super) mod fast {
    use graviola::key_agreement::x25519::{PublicKey, StaticPrivateKey};
    use std::sync::OnceLock;

    /// Whether this CPU has every feature graviola checks for (it panics otherwise). Detected
    /// once; later calls read the cached answer.
    pub(crate) fn available() -> bool {
        static AVAILABLE: OnceLock<bool> = OnceLock::new();
        *AVAILABLE.get_or_init(detect)
    }

    /// graviola 0.4's requirements (its README and `low::x86_64::cpu::is_cpu_supported`):
    /// aes, pclmulqdq, ssse3, avx, avx2, bmi1, bmi2 and adx.
    #[cfg(target_arch = "x86_64")]
    fn detect() -> bool {
        std::is_x86_feature_detected!("aes")
            && std::is_x86_feature_detected!("pclmulqdq")
            && std::is_x86_feature_detected!("ssse3")
            && std::is_x86_feature_detected!("avx")
            && std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("bmi1")
            && std::is_x86_feature_detected!("bmi2")
            && std::is_x86_feature_detected!("adx")
    }

    /// graviola 0.4's requirements on aarch64: neon, aes, pmull and sha2.
    #[cfg(target_arch = "aarch64")]
    fn detect() -> bool {
        std::arch::is_aarch64_feature_detected!("neon")
            && std::arch::is_aarch64_feature_detected!("aes")
            && std::arch::is_aarch64_feature_detected!("pmull")
            && std::arch::is_aarch64_feature_detected!("sha2")
    }

    /// Call only when [`available`]. graviola clamps the scalar and wipes its copy on drop;
    /// its only failure is the all-zero result, returned here as zeros for the caller's check.
    pub(crate) fn scalarmult(scalar: &[u8; 32], point: &[u8; 32]) -> [u8; 32] {
        let secret = StaticPrivateKey::from_array(scalar);
        match secret.diffie_hellman(&PublicKey::from_array(point)) {
            // graviola's `SharedSecret` wipes itself when dropped here.
            Ok(shared) => shared.0,
            Err(_) => [0u8; 32],
        }
    }

    /// Call only when [`available`].
    pub(crate) fn scalarmult_base(scalar: &[u8; 32]) -> [u8; 32] {
        StaticPrivateKey::from_array(scalar).public_key().as_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_in_use_matches_dalek_on_rfc7748_vectors() {
        // RFC 7748 section 5.2, first vector, and the base point of section 6.1.
        let scalar: [u8; 32] = crate::encoding::decode_hex_array(
            "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
            "t",
        )
        .unwrap();
        let point: [u8; 32] = crate::encoding::decode_hex_array(
            "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
            "t",
        )
        .unwrap();
        assert_eq!(
            crate::encoding::encode_hex(&scalarmult(&scalar, &point)),
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"
        );
        assert_eq!(
            scalarmult(&scalar, &point),
            dalek::scalarmult(&scalar, &point)
        );
        assert_eq!(scalarmult_base(&scalar), dalek::scalarmult_base(&scalar));
        assert!(["graviola", "x25519-dalek"].contains(&name()));
    }

    #[cfg(all(
        feature = "fast-x25519",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    mod fast_vs_dalek {
        use super::super::{dalek, fast};
        use proptest::prelude::*;

        fn decode(hex: &[&str]) -> std::vec::Vec<[u8; 32]> {
            hex.iter()
                .map(|h| crate::encoding::decode_hex_array(h, "t").unwrap())
                .collect()
        }

        /// u-coordinates of small order (0, 1, the two of order 8, p − 1), also as p and
        /// p + 1 (non-canonical 0 and 1) and with the ignored top bit set.
        fn low_order_points() -> std::vec::Vec<[u8; 32]> {
            decode(&[
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0100000000000000000000000000000000000000000000000000000000000000",
                "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
                "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "0000000000000000000000000000000000000000000000000000000000000080",
                "0100000000000000000000000000000000000000000000000000000000000080",
                "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
            ])
        }

        /// Encodings found on blocklists of "bad" keys that are *not* of small order once the
        /// top bit is ignored (the order-8 points plus p, and 2p − 1 .. 2p + 1 as 256-bit
        /// numbers): both backends must still agree on them.
        fn other_edge_points() -> std::vec::Vec<[u8; 32]> {
            decode(&[
                "cdeb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
                "4c9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
                "d9ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                "daffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                "dbffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            ])
        }

        #[test]
        fn this_cpu_is_detected() {
            // Every x86_64 and aarch64 machine this crate's CI runs on has the features; a CPU
            // without them must take the dalek path, which the dispatch test above covers.
            if !fast::available() {
                std::println!("graviola's CPU features are missing: the dalek backend is used");
            }
            assert_eq!(super::super::name() == "graviola", fast::available());
        }

        #[test]
        fn low_order_points_give_zero_in_both() {
            if !fast::available() {
                return;
            }
            for point in low_order_points() {
                for scalar in [[0u8; 32], [1u8; 32], [0xff; 32], [0x55; 32]] {
                    let d = dalek::scalarmult(&scalar, &point);
                    assert_eq!(fast::scalarmult(&scalar, &point), d);
                    assert_eq!(d, [0u8; 32]);
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]

            #[test]
            fn same_shared_secret(scalar in any::<[u8; 32]>(), point in any::<[u8; 32]>()) {
                if !fast::available() {
                    return Ok(());
                }
                prop_assert_eq!(fast::scalarmult(&scalar, &point), dalek::scalarmult(&scalar, &point));
            }

            #[test]
            fn same_on_non_canonical_points(scalar in any::<[u8; 32]>(), low in 0u8..=255, top in any::<bool>()) {
                if !fast::available() {
                    return Ok(());
                }
                // u in [p, 2^255): 0x7fff...ffed + low, then optionally the ignored top bit.
                let mut point = [0xffu8; 32];
                point[0] = 0xed_u8.saturating_add(low % 0x13);
                point[31] = if top { 0xff } else { 0x7f };
                prop_assert_eq!(fast::scalarmult(&scalar, &point), dalek::scalarmult(&scalar, &point));
            }

            #[test]
            fn same_with_top_bit_set(scalar in any::<[u8; 32]>(), mut point in any::<[u8; 32]>()) {
                if !fast::available() {
                    return Ok(());
                }
                point[31] |= 0x80;
                prop_assert_eq!(fast::scalarmult(&scalar, &point), dalek::scalarmult(&scalar, &point));
            }

            #[test]
            fn same_on_edge_points(scalar in any::<[u8; 32]>(), which in 0usize..16) {
                if !fast::available() {
                    return Ok(());
                }
                let mut points = low_order_points();
                points.extend(other_edge_points());
                let point = points[which];
                prop_assert_eq!(fast::scalarmult(&scalar, &point), dalek::scalarmult(&scalar, &point));
            }

            #[test]
            fn same_public_key(scalar in any::<[u8; 32]>()) {
                if !fast::available() {
                    return Ok(());
                }
                prop_assert_eq!(fast::scalarmult_base(&scalar), dalek::scalarmult_base(&scalar));
            }
        }
    }
}
