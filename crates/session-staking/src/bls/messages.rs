//! The four messages the network signs, byte for byte as the contract `abi.encodePacked`s them.
//! Each starts with its purpose's tag, so a signature made for one purpose (or one contract)
//! verifies for no other.

use session_core::Ed25519PublicKey;

use super::{BlsPublicKey, Domain, EthAddress, TagKind};
use crate::crypto::PublicKey;

/// `uint256` big-endian of a `u64`.
fn uint256(value: u64) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Some((_, low)) = out.split_last_chunk_mut::<8>() {
        *low = value.to_be_bytes();
    }
    out
}

/// Concatenates parts into a fixed-size message.
fn concat<const N: usize>(parts: &[&[u8]]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut rest: &mut [u8] = &mut out;
    for part in parts {
        let (head, tail) = rest.split_at_mut(part.len());
        head.copy_from_slice(part);
        rest = tail;
    }
    out
}

/// Proof of possession: `tag_pop ‖ pk.X ‖ pk.Y ‖ operator ‖ Ed25519 key` (148 bytes), signed
/// by the node's BLS key when it registers (and in HF20 uptime proofs).
#[must_use]
pub fn proof_of_possession_message(
    domain: &Domain,
    bls_public_key: &BlsPublicKey,
    operator: &EthAddress,
    service_node_key: &Ed25519PublicKey,
) -> [u8; 148] {
    concat(&[
        &domain.tag(TagKind::ProofOfPossession),
        &bls_public_key.to_bytes(),
        operator.as_bytes(),
        service_node_key.as_bytes(),
    ])
}

/// Reward claim: `tag_reward ‖ recipient ‖ uint256(amount)` (84 bytes), signed by the network
/// for a recipient's total accrued balance (oxend's amounts are `u64`).
#[must_use]
pub fn reward_claim_message(domain: &Domain, recipient: &EthAddress, amount: u64) -> [u8; 84] {
    concat(&[
        &domain.tag(TagKind::Reward),
        recipient.as_bytes(),
        &uint256(amount),
    ])
}

/// Exit: `tag_exit ‖ pk.X ‖ pk.Y ‖ uint256(timestamp)` (128 bytes), signed by the network to
/// let the node with this key leave.
#[must_use]
pub fn exit_message(domain: &Domain, bls_public_key: &BlsPublicKey, timestamp: u64) -> [u8; 128] {
    removal_message(domain, TagKind::Exit, bls_public_key, timestamp)
}

/// Liquidation: `tag_liquidate ‖ pk.X ‖ pk.Y ‖ uint256(timestamp)` (128 bytes), signed by the
/// network to let anyone remove (and be paid for removing) a deregistered node.
#[must_use]
pub fn liquidation_message(
    domain: &Domain,
    bls_public_key: &BlsPublicKey,
    timestamp: u64,
) -> [u8; 128] {
    removal_message(domain, TagKind::Liquidate, bls_public_key, timestamp)
}

fn removal_message(
    domain: &Domain,
    kind: TagKind,
    bls_public_key: &BlsPublicKey,
    timestamp: u64,
) -> [u8; 128] {
    concat(&[
        &domain.tag(kind),
        &bls_public_key.to_bytes(),
        &uint256(timestamp),
    ])
}

/// The HF20 uptime proof's proof of possession (its `bp` field): `pk.X ‖ pk.Y ‖ service-node
/// key` (96 bytes), with no purpose tag. The service-node key is the node's primary key, the
/// proof's [`pubkey`](crate::uptime::UptimeProof::pubkey). oxend signs and checks it under the
/// [`Domain::for_uptime_proofs`] of the network: its chain id with the zero contract address.
/// (From HF21 the registration's proof of possession replaces it.)
#[must_use]
pub fn uptime_proof_message(
    bls_public_key: &BlsPublicKey,
    service_node_key: &PublicKey,
) -> [u8; 96] {
    concat(&[&bls_public_key.to_bytes(), &service_node_key.0])
}
