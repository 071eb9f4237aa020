//! BLS signatures on BN254 (alt_bn128), byte-exact with the Session Network's rewards contract
//! and oxend: the keys nodes register with, the proofs of possession, and the aggregate
//! signatures the whole network makes for reward claims, exits and liquidations.
//!
//! ```
//! use session_staking::bls::{
//!     BlsSecretKey, Domain, EthAddress, aggregate_public_keys, reward_claim_message,
//!     verify_aggregate,
//! };
//!
//! let domain = Domain::MAINNET;
//! let keys: Vec<BlsSecretKey> = (1u8..=4).map(|i| BlsSecretKey::from_bytes(&[i; 32])).collect();
//! let publics: Vec<_> = keys.iter().map(BlsSecretKey::public_key).collect();
//! let total = aggregate_public_keys(&publics);
//!
//! // Three of four nodes sign a reward balance; the fourth is listed as a non-signer.
//! let message = reward_claim_message(&domain, &EthAddress([0x11; 20]), 1_000_000_000);
//! let signature = session_staking::bls::BlsSignature::aggregate(
//!     keys[..3].iter().map(|k| k.sign(&domain, &message)),
//! );
//! assert!(verify_aggregate(&total, &publics[3..], &domain, &message, &signature));
//! assert!(!verify_aggregate(&total, &[], &domain, &message, &signature));
//! ```
//!
//! Field, curve and pairing arithmetic is [arkworks](https://arkworks.rs)' `ark-bn254`; this
//! module adds only what the network fixed on top of it: the encodings, the domain tags, and
//! the try-and-increment hash to G2.

mod domain;
mod encoding;
mod error;
mod hash;
mod key_bytes;
mod keys;
mod messages;
mod registration;

pub use domain::{Domain, EthAddress, TagKind};
pub use error::{Error, PointError, RegistrationError};
pub use hash::hash_to_g2;
pub use key_bytes::BlsPublicKeyBytes;
pub use keys::{
    BlsPublicKey, BlsSecretKey, BlsSignature, MAX_NON_SIGNERS_CONTRACT, MAX_NON_SIGNERS_OXEND,
    aggregate_public_keys, non_signer_limit, signers_key, verify_aggregate,
    verify_aggregate_with_limit,
};
pub use messages::{
    exit_message, liquidation_message, proof_of_possession_message, reward_claim_message,
    uptime_proof_message,
};
pub use registration::{Registration, verify_registration};

/// The steps of the hash to G2, for checking them one by one against other implementations.
/// Nothing here is needed to sign or verify.
pub mod hazmat {
    use super::encoding::{fq_from_be, fq_to_be};
    use super::{BlsPublicKey, BlsSignature};

    /// The pairing check [`verify`](super::BlsPublicKey::verify) makes once the message is
    /// hashed, `e(signature, G1) · e(hashed, −key) = 1` (the same code). `hashed` is the
    /// message's [`hash_to_g2`](super::hash_to_g2) decoded with [`BlsSignature::from_bytes`].
    /// Unlike `verify`, this does not refuse an identity `key`.
    ///
    /// ```
    /// use session_staking::bls::hazmat::pairing_check;
    /// use session_staking::bls::{BlsSecretKey, BlsSignature, Domain, hash_to_g2};
    ///
    /// let (domain, message) = (Domain::MAINNET, b"message");
    /// let key = BlsSecretKey::from_bytes(&[7; 32]);
    /// let hashed = BlsSignature::from_bytes(&hash_to_g2(&domain, message)).unwrap();
    /// assert!(pairing_check(&key.public_key(), &hashed, &key.sign(&domain, message)));
    /// assert!(!pairing_check(&key.public_key(), &hashed, &key.sign(&domain, b"other")));
    /// ```
    #[must_use]
    pub fn pairing_check(
        key: &BlsPublicKey,
        hashed: &BlsSignature,
        signature: &BlsSignature,
    ) -> bool {
        super::keys::pairing_check_decoded(key, hashed, signature)
    }

    /// RFC 9380 `expand_message_xmd` with keccak256 and 128 output bytes (the contract's
    /// `expandMessageXMDKeccak256`).
    #[must_use]
    pub fn expand_message_xmd_keccak256(message: &[u8], dst: &[u8; 32]) -> [u8; 128] {
        super::hash::expand_message_xmd(message, &[], dst)
    }

    /// The contract's `hashToField`: `(u0, u1, negative)`, the field elements big-endian.
    #[must_use]
    pub fn hash_to_field(message: &[u8], dst: &[u8; 32]) -> ([u8; 32], [u8; 32], bool) {
        super::hash::hash_to_field(message, dst)
    }

    /// The square root of `re + im·i` in Fp2 that mcl (and the contract's `FQ2Sqrt`) picks;
    /// `None` when there is none or an input is not below p.
    #[must_use]
    pub fn fq2_sqrt(re: &[u8; 32], im: &[u8; 32]) -> Option<([u8; 32], [u8; 32])> {
        let x = ark_bn254::Fq2::new(fq_from_be(re)?, fq_from_be(im)?);
        super::hash::fq2_sqrt(x).map(|r| (fq_to_be(&r.c0), fq_to_be(&r.c1)))
    }
}
