//! Uptime proofs: as service nodes sent them from HF12 to HF17 (v6 era), the signed hash and
//! the stateless acceptance checks; and the bencoded proofs of HF18 on ([`parse_bt_uptime_proof`],
//! [`verify_bt_uptime_proof`]), with the BLS fields of HF20 and the L2 height of HF20/HF21.

mod bt;

pub use bt::{
    BtUptimeProof, ProofSignatures, minimum_versions, parse_bt_uptime_proof, verify_bt_uptime_proof,
};

use curve25519_dalek::edwards::CompressedEdwardsY;
use session_core::{Ed25519PublicKey, Ed25519Signature, X25519PublicKey};

use crate::HardFork;
use crate::crypto::{PublicKey, Signature, SignedItem, check_signature, keccak256};
use crate::error::{QuorumError, Result};

/// How far a proof's timestamp may be from the verifier's clock (`UPTIME_PROOF_BUFFER_IN_SECONDS`).
pub const PROOF_TIMESTAMP_TOLERANCE: u64 = 300;

/// A v6-era uptime proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UptimeProof {
    /// The node's software version.
    pub version: [u16; 3],
    /// Unix time the proof was made.
    pub timestamp: u64,
    /// The node's primary (CryptoNote) key.
    pub pubkey: PublicKey,
    /// Public IPv4 address, octets in order.
    pub public_ip: [u8; 4],
    /// Storage server port.
    pub storage_port: u16,
    /// Quorumnet port.
    pub qnet_port: u16,
    /// The node's Ed25519 key (all zeros if absent).
    pub pubkey_ed25519: Ed25519PublicKey,
    /// CryptoNote signature by `pubkey` over [`uptime_proof_hash`].
    pub signature: Signature,
    /// Ed25519 signature by `pubkey_ed25519` over the same hash.
    pub signature_ed25519: Ed25519Signature,
}

/// `hash_uptime_proof`: `keccak256(pubkey ‖ u64le(ts) ‖ ip ‖ u16le(storage_port) ‖ ed25519 ‖
/// u16le(qnet_port))`, 80 bytes. The IP is stored by epee with the first octet in the low byte,
/// so its little-endian bytes are the octets in order.
#[must_use]
pub fn uptime_proof_hash(proof: &UptimeProof) -> [u8; 32] {
    let mut buf = [0u8; 80];
    let parts: [&[u8]; 6] = [
        &proof.pubkey.0,
        &proof.timestamp.to_le_bytes(),
        &proof.public_ip,
        &proof.storage_port.to_le_bytes(),
        proof.pubkey_ed25519.as_bytes(),
        &proof.qnet_port.to_le_bytes(),
    ];
    let mut at = 0;
    for p in parts {
        if let Some(dst) = buf.get_mut(at..at + p.len()) {
            dst.copy_from_slice(p);
        }
        at += p.len();
    }
    keccak256(&buf)
}

/// The minimum node version for a hard fork's proofs.
#[must_use]
pub const fn minimum_version(hf: HardFork) -> Option<[u16; 3]> {
    match hf {
        HardFork::Hf7 | HardFork::Hf8 | HardFork::Hf9 | HardFork::Hf10 | HardFork::Hf11 => None,
        HardFork::Hf12 => Some([4, 0, 3]),
        HardFork::Hf13 => Some([5, 1, 0]),
        _ => Some([6, 1, 0]),
    }
}

/// epee's `is_ip_public`: not private, CGNAT, link-local, loopback, "this network" or
/// multicast/reserved.
#[must_use]
pub fn is_public_ipv4(ip: [u8; 4]) -> bool {
    let [a, b, _, _] = ip;
    let private = a == 10
        || (a == 172 && (b & 0xf0) == 16)
        || (a == 192 && b == 168)
        || (a == 100 && (b & 0xc0) == 64)
        || (a == 169 && b == 254);
    !(private || a == 127 || a == 0 || (a & 0xe0) == 0xe0)
}

/// Whether an Ed25519 key converts to a usable X25519 key (libsodium's
/// `crypto_sign_ed25519_pk_to_curve25519`: a point of the prime-order subgroup, not small order,
/// and a non-zero result).
fn to_x25519(pk: &Ed25519PublicKey) -> Option<X25519PublicKey> {
    let point = CompressedEdwardsY(pk.to_bytes()).decompress()?;
    if point.is_small_order() || !point.is_torsion_free() {
        return None;
    }
    let x = point.to_montgomery().to_bytes();
    (x != [0u8; 32]).then_some(X25519PublicKey::from_bytes(x))
}

/// An uptime proof that passed the stateless checks, with the X25519 key derived from its
/// Ed25519 key (from HF13), as oxend records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedUptimeProof {
    /// The node's primary key.
    pub pubkey: PublicKey,
    /// The node's Ed25519 key, when the hard fork requires one.
    pub pubkey_ed25519: Option<Ed25519PublicKey>,
    /// The X25519 key converted from it.
    pub pubkey_x25519: Option<X25519PublicKey>,
    /// Public IPv4 address, octets in order.
    pub public_ip: [u8; 4],
    /// Storage server port.
    pub storage_port: u16,
    /// Quorumnet port.
    pub qnet_port: u16,
    /// The node's software version.
    pub version: [u16; 3],
    /// The proof's timestamp.
    pub timestamp: u64,
}

/// The stateless checks of `handle_uptime_proof`, in its order: timestamp within 300 s of
/// `now`, version minimum for the hard fork, public IP, CryptoNote signature, and from HF13 the
/// Ed25519 key and signature, from HF14 a quorumnet port. That the node is registered and sent
/// no other proof in the last 30 minutes is the caller's state to check.
pub fn verify_uptime_proof(
    proof: &UptimeProof,
    hf: HardFork,
    now: u64,
) -> Result<VerifiedUptimeProof, QuorumError> {
    if proof.timestamp.abs_diff(now) > PROOF_TIMESTAMP_TOLERANCE {
        return Err(QuorumError::ProofTimestamp {
            timestamp: proof.timestamp,
            now,
        });
    }
    if let Some(minimum) = minimum_version(hf)
        && proof.version < minimum
    {
        return Err(QuorumError::ProofVersionTooOld {
            version: proof.version,
            minimum,
        });
    }
    if !is_public_ipv4(proof.public_ip) {
        return Err(QuorumError::ProofIpNotPublic {
            ip: proof.public_ip,
        });
    }
    let hash = uptime_proof_hash(proof);
    if !check_signature(&hash, &proof.pubkey, &proof.signature) {
        return Err(QuorumError::InvalidSignature {
            what: SignedItem::UptimeProof,
        });
    }
    let mut keys = None;
    if hf >= HardFork::Hf13 {
        if proof.pubkey_ed25519 == Ed25519PublicKey::default() {
            return Err(QuorumError::ProofEd25519KeyMissing);
        }
        if proof
            .pubkey_ed25519
            .verify(&hash, &proof.signature_ed25519)
            .is_err()
        {
            return Err(QuorumError::InvalidSignature {
                what: SignedItem::UptimeProofEd25519,
            });
        }
        let x25519 = to_x25519(&proof.pubkey_ed25519).ok_or(QuorumError::ProofEd25519KeyMissing)?;
        keys = Some((proof.pubkey_ed25519, x25519));
    }
    if hf >= HardFork::Hf14 && proof.qnet_port == 0 {
        return Err(QuorumError::ProofQuorumnetPortZero);
    }
    Ok(VerifiedUptimeProof {
        pubkey: proof.pubkey,
        pubkey_ed25519: keys.map(|k| k.0),
        pubkey_x25519: keys.map(|k| k.1),
        public_ip: proof.public_ip,
        storage_port: proof.storage_port,
        qnet_port: proof.qnet_port,
        version: proof.version,
        timestamp: proof.timestamp,
    })
}
