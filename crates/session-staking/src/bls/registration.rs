//! A Session Network registration: what `addBLSPublicKey` takes and oxend accepts.

use session_core::{Ed25519PublicKey, Ed25519Signature, SignatureError};

use super::error::RegistrationError;
use super::messages::proof_of_possession_message;
use super::{BlsPublicKey, BlsSignature, Domain, EthAddress};

/// The signed parts of a registration with the rewards contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registration {
    /// The node's BLS key.
    pub bls_public_key: BlsPublicKey,
    /// The node's Ed25519 key (its service-node key from HF21).
    pub service_node_key: Ed25519PublicKey,
    /// The address that registers the node and stakes for it (the contract's `msg.sender`).
    pub operator: EthAddress,
    /// The BLS signature of the [proof-of-possession message](super::proof_of_possession_message).
    pub proof_of_possession: BlsSignature,
    /// The Ed25519 signature over `service_node_key ‖ bls_public_key`.
    pub ed25519_signature: Ed25519Signature,
}

/// Verifies both halves of a registration: the contract's BLS proof of possession and oxend's
/// Ed25519 signature (`verify_strict`: canonical encodings, no small-order keys).
pub fn verify_registration(
    domain: &Domain,
    registration: &Registration,
) -> Result<(), RegistrationError> {
    let mut signed = [0u8; 96];
    let (sn, bls) = signed.split_at_mut(32);
    sn.copy_from_slice(registration.service_node_key.as_bytes());
    bls.copy_from_slice(&registration.bls_public_key.to_bytes());
    registration
        .service_node_key
        .verify(&signed, &registration.ed25519_signature)
        .map_err(|rejected| match rejected {
            SignatureError::InvalidKey => RegistrationError::Ed25519Key,
            _ => RegistrationError::Ed25519Signature,
        })?;
    let pop = proof_of_possession_message(
        domain,
        &registration.bls_public_key,
        &registration.operator,
        &registration.service_node_key,
    );
    if !registration
        .bls_public_key
        .verify(domain, &pop, &registration.proof_of_possession)
    {
        return Err(RegistrationError::ProofOfPossession);
    }
    Ok(())
}
