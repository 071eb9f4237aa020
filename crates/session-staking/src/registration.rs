//! Registration signatures: the hash the service-node key signs, its verification, and the
//! combined acceptance check.

use alloc::vec::Vec;

use session_core::{Ed25519PublicKey, Ed25519Signature, SignatureError};

use crate::bls::BlsPublicKey;
use crate::crypto::{PublicKey, SignedItem, check_signature, keccak256};
use crate::error::{Error, Result, VerifyError};
use crate::tx_extra::Registration;
use crate::{ContributorAddress, HardFork, RegistrationTerms, Reservation};

/// `get_registration_hash`: `keccak256(u64le(fee) ‖ for each i: spend_i ‖ view_i ‖
/// u64le(amount_i) ‖ u64le(hf_or_expiration))`.
///
/// Fails if the key and amount lists differ in length.
pub fn registration_hash(reg: &Registration) -> Result<[u8; 32], VerifyError> {
    check_lists(reg)?;
    let mut buf = Vec::with_capacity(16 + reg.amounts.len() * 72);
    buf.extend_from_slice(&reg.fee.to_le_bytes());
    for ((spend, view), amount) in reg.spend_keys.iter().zip(&reg.view_keys).zip(&reg.amounts) {
        buf.extend_from_slice(&spend.0);
        buf.extend_from_slice(&view.0);
        buf.extend_from_slice(&amount.to_le_bytes());
    }
    buf.extend_from_slice(&reg.hf_or_expiration.to_le_bytes());
    Ok(keccak256(&buf))
}

fn check_lists(reg: &Registration) -> Result<(), VerifyError> {
    if reg.spend_keys.len() != reg.view_keys.len() || reg.spend_keys.len() != reg.amounts.len() {
        return Err(VerifyError::RegistrationListsMismatch {
            spend_keys: reg.spend_keys.len(),
            view_keys: reg.view_keys.len(),
            amounts: reg.amounts.len(),
        });
    }
    Ok(())
}

impl Registration {
    /// The economic terms, for the consensus checks.
    #[must_use]
    pub fn terms(&self) -> RegistrationTerms {
        let reserved = self
            .spend_keys
            .iter()
            .zip(&self.view_keys)
            .zip(&self.amounts)
            .map(|((spend, view), amount)| Reservation {
                address: ContributorAddress {
                    spend: *spend,
                    view: *view,
                },
                amount: *amount,
            })
            .collect();
        RegistrationTerms {
            reserved,
            fee: self.fee,
            hf_or_expiration: self.hf_or_expiration,
        }
    }
}

/// A registration whose signature has been checked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedRegistration {
    /// The service node's key that signed it.
    pub service_node_key: PublicKey,
    /// The registration's terms.
    pub terms: RegistrationTerms,
}

/// Checks a registration's CryptoNote signature by the service-node key (tag 0x74) before HF21.
/// From HF21 registrations come from Ethereum and are checked with
/// [`verify_ethereum_registration`].
pub fn verify_registration(
    reg: &Registration,
    sn_pubkey: &PublicKey,
    hf: HardFork,
) -> Result<VerifiedRegistration, VerifyError> {
    if hf >= HardFork::Hf21 {
        return Err(VerifyError::WrongSignatureScheme {
            scheme: "CryptoNote",
            hard_fork: hf.version(),
        });
    }
    let hash = registration_hash(reg)?;
    if !sn_pubkey.is_valid() {
        return Err(VerifyError::InvalidKey {
            field: "service node key",
        });
    }
    if !check_signature(&hash, sn_pubkey, &reg.signature) {
        return Err(VerifyError::InvalidSignature {
            what: SignedItem::Registration,
        });
    }
    Ok(VerifiedRegistration {
        service_node_key: *sn_pubkey,
        terms: reg.terms(),
    })
}

/// Checks an HF21+ registration: an Ed25519 signature by the node's Ed25519 key over
/// `ed25519_pubkey ‖ bls_pubkey` (`crypto_sign_verify_detached`), the BLS key in its 64-byte
/// encoding ([`BlsPublicKey::to_bytes`]).
///
/// The BLS key is taken parsed: decode the registration's 64 bytes with
/// [`BlsPublicKey::from_bytes`] first (the contract accepted the key with its proof of
/// possession, so a key that does not parse cannot belong to a real registration).
pub fn verify_ethereum_registration(
    ed25519_pubkey: &Ed25519PublicKey,
    bls_pubkey: &BlsPublicKey,
    signature: &Ed25519Signature,
    hf: HardFork,
) -> Result<(), VerifyError> {
    if hf < HardFork::Hf21 {
        return Err(VerifyError::WrongSignatureScheme {
            scheme: "Ed25519",
            hard_fork: hf.version(),
        });
    }
    let mut msg = [0u8; 96];
    let (a, b) = msg.split_at_mut(32);
    a.copy_from_slice(ed25519_pubkey.as_bytes());
    b.copy_from_slice(&bls_pubkey.to_bytes());
    ed25519_pubkey
        .verify(&msg, signature)
        .map_err(|rejected| match rejected {
            SignatureError::InvalidKey => VerifyError::InvalidKey {
                field: "service node Ed25519 key",
            },
            _ => VerifyError::InvalidSignature {
                what: SignedItem::Registration,
            },
        })
}

/// The whole acceptance check of a registration's fields in the block that includes it:
/// list shapes, the service-node key, the signature, and the consensus terms (format for the
/// hard fork, contributor count, portions or stakes, fee, expiry, duplicates).
///
/// Every independent check reports its failure, not just the first check to fail: the list
/// shapes, the key or signature, and the terms (whose own rules build on each other, so they
/// report the first that fails, in oxend's order).
///
/// ```
/// use session_staking::crypto::SecretKey;
/// use session_staking::registration::{registration_hash, validate_registration};
/// use session_staking::tx_extra::Registration;
/// use session_staking::{HardFork, COIN};
///
/// let sn_key = SecretKey::from_seed(b"service node");
/// let operator = (SecretKey::from_seed(b"spend"), SecretKey::from_seed(b"view"));
/// let mut reg = Registration {
///     spend_keys: vec![operator.0.public_key()],
///     view_keys: vec![operator.1.public_key()],
///     fee: 500,
///     amounts: vec![15_000 * COIN],
///     hf_or_expiration: 19,
///     signature: sn_key.sign(&[0; 32]),
/// };
/// reg.signature = sn_key.sign(&registration_hash(&reg)?);
/// let ok = validate_registration(&reg, &sn_key.public_key(), HardFork::Hf19, 15_000 * COIN, 0);
/// assert!(ok.is_ok());
/// # Ok::<(), session_staking::Error>(())
/// ```
pub fn validate_registration(
    reg: &Registration,
    sn_pubkey: &PublicKey,
    hf: HardFork,
    staking_requirement: u64,
    block_timestamp: u64,
) -> core::result::Result<VerifiedRegistration, Vec<Error>> {
    let mut errors = Vec::new();
    if let Err(e) = check_lists(reg) {
        errors.push(e.into());
    }
    if hf >= HardFork::Hf21 {
        errors.push(
            VerifyError::WrongSignatureScheme {
                scheme: "CryptoNote",
                hard_fork: hf.version(),
            }
            .into(),
        );
    } else if !sn_pubkey.is_valid() {
        errors.push(
            VerifyError::InvalidKey {
                field: "service node key",
            }
            .into(),
        );
    } else if let Ok(hash) = registration_hash(reg)
        && !check_signature(&hash, sn_pubkey, &reg.signature)
    {
        errors.push(
            VerifyError::InvalidSignature {
                what: SignedItem::Registration,
            }
            .into(),
        );
    }
    let terms = reg.terms();
    if let Err(e) = terms.validate(hf, staking_requirement, block_timestamp) {
        errors.push(e.into());
    }
    if errors.is_empty() {
        Ok(VerifiedRegistration {
            service_node_key: *sn_pubkey,
            terms,
        })
    } else {
        Err(errors)
    }
}
