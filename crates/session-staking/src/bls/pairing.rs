//! The pairing check of a verification, `e(sig, G1) · e(H, −key) = 1`, and the library that
//! computes it. Everything else (decoding, the curve and subgroup checks, the hash to G2,
//! signing, aggregation) is arkworks' in every build; only this final check has a choice.
//!
//! - arkworks' two-pair multi-pairing: always built, and the only backend without the
//!   `fast-pairing` feature, in `no_std`, and on targets other than x86_64.
//! - With `fast-pairing` on x86_64: halo2curves' BN254, whose field arithmetic is x86_64
//!   assembly (`mulx`, `adcx`, `adox`). It is used only when a run-time check finds BMI2 and
//!   ADX: halo2curves does not check for them itself, and such code would fault on an older
//!   CPU, which therefore keeps arkworks.
//!
//! Both answer the same for every input (tests compare them on valid, tampered and aggregate
//! signatures). halo2curves receives the points already checked by arkworks, as affine
//! coordinates; its final exponentiation inverts the Miller loop's value, which is never zero
//! for points on the curves (only an identity point has no line to evaluate, and
//! halo2curves leaves such pairs out, as arkworks does).

use ark_bn254::{Bn254, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ec::pairing::Pairing;
use ark_ff::Zero;

/// A library that computes the pairing check of [`verify`](super::BlsPublicKey::verify).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PairingBackend {
    /// arkworks' `ark-bn254` multi-pairing (portable, `no_std`).
    Arkworks,
    /// halo2curves' BN254 with its x86_64 assembly (the `fast-pairing` feature, on x86_64
    /// CPUs with BMI2 and ADX).
    Halo2curves,
}

impl PairingBackend {
    /// The backend verifications use in this process: halo2curves when it
    /// [is available](Self::is_available), else arkworks.
    #[must_use]
    pub fn current() -> Self {
        if Self::Halo2curves.is_available() {
            Self::Halo2curves
        } else {
            Self::Arkworks
        }
    }

    /// Whether this backend can run here: arkworks always; halo2curves when the
    /// `fast-pairing` feature is on, the target is x86_64 and this CPU has BMI2 and ADX.
    #[must_use]
    pub fn is_available(self) -> bool {
        match self {
            Self::Arkworks => true,
            Self::Halo2curves => halo2_available(),
        }
    }

    /// The backend's name: `"arkworks"` or `"halo2curves"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Arkworks => "arkworks",
            Self::Halo2curves => "halo2curves",
        }
    }
}

/// `e(sig, G1) · e(hashed, −key) = 1`, on the current backend.
pub(crate) fn check(key: &G1Affine, hashed: &G2Affine, sig: &G2Affine) -> bool {
    #[cfg(all(feature = "fast-pairing", target_arch = "x86_64"))]
    if halo2::available() {
        return halo2::check(key, hashed, sig);
    }
    arkworks(key, hashed, sig)
}

/// The same check on a given backend; `None` when it is not available.
pub(crate) fn check_with(
    backend: PairingBackend,
    key: &G1Affine,
    hashed: &G2Affine,
    sig: &G2Affine,
) -> Option<bool> {
    match backend {
        PairingBackend::Arkworks => Some(arkworks(key, hashed, sig)),
        PairingBackend::Halo2curves => {
            #[cfg(all(feature = "fast-pairing", target_arch = "x86_64"))]
            if halo2::available() {
                return Some(halo2::check(key, hashed, sig));
            }
            None
        }
    }
}

fn halo2_available() -> bool {
    #[cfg(all(feature = "fast-pairing", target_arch = "x86_64"))]
    {
        halo2::available()
    }
    #[cfg(not(all(feature = "fast-pairing", target_arch = "x86_64")))]
    {
        false
    }
}

/// One multi-pairing: two Miller loops sharing their squarings, one final exponentiation.
fn arkworks(key: &G1Affine, hashed: &G2Affine, sig: &G2Affine) -> bool {
    Bn254::multi_pairing([G1Affine::generator(), -*key], [*sig, *hashed]).is_zero()
}

/// halo2curves' check, on the coordinates arkworks decoded and checked.
#[cfg(all(feature = "fast-pairing", target_arch = "x86_64"))]
mod halo2 {
    use ark_ec::AffineRepr;
    use ark_ff::PrimeField;
    use halo2curves::bn256::{self, multi_miller_loop};
    use halo2curves::group::Group;
    use halo2curves::group::prime::PrimeCurveAffine;
    use halo2curves::pairing::MillerLoopResult;

    /// The instructions halo2curves' assembly uses beyond x86_64's baseline. The standard
    /// library caches the detection, so this is a load after the first call.
    pub(super) fn available() -> bool {
        std::is_x86_feature_detected!("bmi2") && std::is_x86_feature_detected!("adx")
    }

    /// A coordinate below p, as halo2curves' Montgomery form.
    fn fq(f: &ark_bn254::Fq) -> bn256::Fq {
        bn256::Fq::from_raw(f.into_bigint().0)
    }

    fn fq2(f: &ark_bn254::Fq2) -> bn256::Fq2 {
        bn256::Fq2::new(fq(&f.c0), fq(&f.c1))
    }

    fn g1(p: &ark_bn254::G1Affine) -> bn256::G1Affine {
        p.xy()
            .map_or_else(bn256::G1Affine::identity, |(x, y)| bn256::G1Affine {
                x: fq(&x),
                y: fq(&y),
            })
    }

    fn g2(p: &ark_bn254::G2Affine) -> bn256::G2Affine {
        p.xy()
            .map_or_else(bn256::G2Affine::identity, |(x, y)| bn256::G2Affine {
                x: fq2(&x),
                y: fq2(&y),
            })
    }

    pub(super) fn check(
        key: &ark_bn254::G1Affine,
        hashed: &ark_bn254::G2Affine,
        sig: &ark_bn254::G2Affine,
    ) -> bool {
        let (neg_key, hashed, sig) = (-g1(key), g2(hashed), g2(sig));
        let generator = bn256::G1Affine::generator();
        let terms = [(&generator, &sig), (&neg_key, &hashed)];
        multi_miller_loop(&terms)
            .final_exponentiation()
            .is_identity()
            .into()
    }
}
