//! Errors of the BLS module, by who can get them (see [`Error`]).

/// Any error of [`crate::bls`]: one of the role errors, with their text unchanged.
///
/// | error | returned by | |
/// |---|---|---|
/// | [`PointError`] | [`BlsPublicKey::from_bytes`](super::BlsPublicKey::from_bytes), [`BlsSignature::from_bytes`](super::BlsSignature::from_bytes) | which encoding rule a key or signature broke |
/// | [`RegistrationError`] | [`verify_registration`](super::verify_registration) | which half of a registration does not verify (deliberately opaque about why) |
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A public key or signature is not a valid encoding of a group element.
    #[error(transparent)]
    Point(#[from] PointError),
    /// A registration does not verify.
    #[error(transparent)]
    Registration(#[from] RegistrationError),
}

/// The rule an encoded public key (G1) or signature (G2) broke, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PointError {
    /// A coordinate is not below the field modulus `p` (the contract and oxend reduce nothing).
    #[error("{what}: coordinate {coordinate} is not below the field modulus")]
    NonCanonical {
        /// `"public key"` or `"signature"`.
        what: &'static str,
        /// `X` or `Y` for a public key; `X.c0`, `X.c1`, `Y.c0` or `Y.c1` for a signature.
        coordinate: &'static str,
    },
    /// The all-zero public key: the contract refuses it (`NullBLSPubkey`), and with the
    /// all-zero signature it would satisfy the pairing equation for every message.
    #[error("public key is zero")]
    ZeroPublicKey,
    /// The coordinates do not satisfy the curve equation.
    #[error("{what}: point is not on the curve")]
    NotOnCurve {
        /// `"public key"` or `"signature"`.
        what: &'static str,
    },
    /// A G2 point on the twist but outside the order-`r` subgroup.
    #[error("signature: point is not in the prime-order subgroup")]
    NotInSubgroup,
}

/// Which check of a Session Network registration failed. Deliberately says nothing about why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistrationError {
    /// The Ed25519 key is not a valid curve point.
    #[error("invalid service node Ed25519 key")]
    Ed25519Key,
    /// The Ed25519 signature over `ed25519_pubkey ‖ bls_pubkey` does not verify.
    #[error("invalid Ed25519 signature over the registration")]
    Ed25519Signature,
    /// The BLS proof of possession does not verify.
    #[error("invalid BLS proof of possession")]
    ProofOfPossession,
}
