//! Uptime proofs of HF18 on: a bencoded dictionary signed as it is sent (its Keccak-256 hash),
//! with the BLS key and its proof of possession in HF20 (`bk`, `bp`) and the node's L2 height
//! from HF20 (`l2`, required from HF21, when the Ed25519 key is also the node's only key).

use session_core::bencode::{self, Value};
use session_core::{Ed25519PublicKey, Ed25519Signature, Network};

use super::{PROOF_TIMESTAMP_TOLERANCE, is_public_ipv4, to_x25519};
use crate::HardFork;
use crate::bls::{BlsPublicKey, BlsSignature, Domain, uptime_proof_message};
use crate::crypto::{PublicKey, Signature, SignedItem, check_signature, keccak256};
use crate::error::QuorumError;

/// A bencoded uptime proof as oxend reads it (`uptime_proof::Proof`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BtUptimeProof {
    /// Keccak-256 of the encoded proof: what its signatures sign.
    pub hash: [u8; 32],
    /// The node's primary key (`pk`, or its Ed25519 key when `pk` is absent).
    pub pubkey: PublicKey,
    /// The node's Ed25519 key (`pke`).
    pub pubkey_ed25519: Ed25519PublicKey,
    /// HF20: the node's BLS key (`bk`).
    pub bls_public_key: Option<[u8; 64]>,
    /// HF20: its proof of possession (`bp`).
    pub bls_proof_of_possession: Option<[u8; 128]>,
    /// The node's L2 (Arbitrum) height (`l2`): required and non-zero from HF21, optional in
    /// HF20.
    pub l2_height: Option<u64>,
    /// Public IPv4 address, octets in order (`ip`, sent as dotted text).
    pub public_ip: [u8; 4],
    /// Quorumnet port (`q`, never zero).
    pub qnet_port: u16,
    /// Storage server HTTPS port (`shp`).
    pub storage_https_port: u16,
    /// Storage server OxenMQ port (`sop`).
    pub storage_omq_port: u16,
    /// oxend version (`v`).
    pub version: [u16; 3],
    /// Storage server version (`sv`).
    pub storage_server_version: [u16; 3],
    /// Lokinet version (`lv`).
    pub lokinet_version: [u16; 3],
    /// Unix time the proof was made (`t`).
    pub timestamp: u64,
}

/// Whether a network's proofs carry the HF20 BLS fields: in HF20, and at every hard fork on a
/// local network.
fn has_bls_fields(hf: HardFork, network: Network) -> bool {
    hf == HardFork::Hf20 || network == Network::Localdev
}

/// Parses an uptime proof of hard fork `hf` as oxend's `Proof(hf, nettype, serialized)`: the
/// fields it requires for that hard fork, in sorted key order, fields it does not know
/// ignored.
pub fn parse_bt_uptime_proof(
    hf: HardFork,
    network: Network,
    serialized: &[u8],
) -> Result<BtUptimeProof, QuorumError> {
    let bad = |field| QuorumError::ProofField { field };
    let dict = bencode::decode_lenient(serialized).map_err(|_| bad("dictionary"))?;
    if !matches!(dict, Value::Dict(_)) {
        return Err(bad("dictionary"));
    }
    let bytes = |key: &'static str| {
        dict.get(key.as_bytes())
            .and_then(Value::as_bytes)
            .ok_or(bad(key))
    };
    let fixed = |key: &'static str| -> Result<[u8; 32], QuorumError> {
        bytes(key)?.try_into().map_err(|_| bad(key))
    };
    let uint = |key: &'static str| {
        dict.get(key.as_bytes())
            .and_then(Value::as_int)
            .and_then(|v| u64::try_from(v).ok())
            .ok_or(bad(key))
    };
    let port = |key: &'static str| uint(key).and_then(|v| u16::try_from(v).map_err(|_| bad(key)));
    let version = |key: &'static str| -> Result<[u16; 3], QuorumError> {
        let Some(Value::List(items)) = dict.get(key.as_bytes()) else {
            return Err(bad(key));
        };
        let mut out = [0u16; 3];
        if items.len() != out.len() {
            return Err(bad(key));
        }
        for (slot, item) in out.iter_mut().zip(items) {
            *slot = item
                .as_int()
                .and_then(|v| u16::try_from(v).ok())
                .ok_or(bad(key))?;
        }
        Ok(out)
    };

    let (mut bls_public_key, mut bls_proof_of_possession) = (None, None);
    if has_bls_fields(hf, network) {
        bls_public_key = Some(<[u8; 64]>::try_from(bytes("bk")?).map_err(|_| bad("bk"))?);
        bls_proof_of_possession = Some(<[u8; 128]>::try_from(bytes("bp")?).map_err(|_| bad("bp"))?);
    }
    let public_ip = parse_ipv4(bytes("ip")?)
        .filter(|ip| *ip != [0; 4])
        .ok_or(bad("ip"))?;
    let l2_height = if hf >= HardFork::Hf21 {
        Some(uint("l2").ok().filter(|h| *h != 0).ok_or(bad("l2"))?)
    } else if hf == HardFork::Hf20 && dict.get(b"l2").is_some() {
        Some(uint("l2")?)
    } else {
        None
    };
    let lokinet_version = version("lv")?;
    let pubkey_ed25519 = fixed("pke")?;
    let pubkey = match dict.get(b"pk") {
        Some(_) => fixed("pk")?,
        // Not sent when it equals the Ed25519 key.
        None => pubkey_ed25519,
    };
    let qnet_port = port("q")?;
    if qnet_port == 0 {
        return Err(QuorumError::ProofQuorumnetPortZero);
    }
    Ok(BtUptimeProof {
        hash: keccak256(serialized),
        pubkey: PublicKey(pubkey),
        pubkey_ed25519: Ed25519PublicKey::from_bytes(pubkey_ed25519),
        bls_public_key,
        bls_proof_of_possession,
        l2_height,
        public_ip,
        qnet_port,
        storage_https_port: port("shp")?,
        storage_omq_port: port("sop")?,
        storage_server_version: version("sv")?,
        timestamp: uint("t")?,
        version: version("v")?,
        lokinet_version,
    })
}

/// Dotted-quad IPv4 text: four decimal octets of at most three digits.
fn parse_ipv4(text: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = text.split(|b| *b == b'.');
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let value = part
            .iter()
            .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
        *slot = u8::try_from(value).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// The minimum versions of oxend, lokinet and the storage server a proof must report at a
/// hard fork and its revision (`MIN_UPTIME_PROOF_VERSIONS`): oxend 10.6.0 from HF19.6,
/// 11.0.6 from HF21.2; lokinet 0.9.11 and storage server 2.8.0 from HF19.6. `None` before HF19
/// revision 6.
#[must_use]
pub const fn minimum_versions(hf: HardFork, revision: u8) -> Option<[[u16; 3]; 3]> {
    let at = (hf.version(), revision);
    if at.0 > 21 || (at.0 == 21 && at.1 >= 2) {
        Some([[11, 0, 6], [0, 9, 11], [2, 8, 0]])
    } else if at.0 > 19 || (at.0 == 19 && at.1 >= 6) {
        Some([[10, 6, 0], [0, 9, 11], [2, 8, 0]])
    } else {
        None
    }
}

/// What the proof's signatures are: from HF21 only the Ed25519 one is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProofSignatures {
    /// The CryptoNote signature by the primary key (required before HF21).
    pub signature: Option<Signature>,
    /// The Ed25519 signature by the Ed25519 key.
    pub signature_ed25519: Ed25519Signature,
}

/// The stateless checks of `handle_uptime_proof` for a bencoded proof, in its order:
/// timestamp within 300 s of `now`; minimum versions at `(hf, revision)` (lokinet and
/// storage server only on networks that run them: mainnet and testnet); public IP; from HF21
/// the primary key equal to the Ed25519 key; an Ed25519 key that converts to X25519; before
/// HF21 the CryptoNote signature; the Ed25519 signature; in HF20 the BLS key and its proof of
/// possession of `bk ‖ primary key`, under `domain`'s chain with the zero contract address
/// ([`Domain::for_uptime_proofs`]). That the node is registered is the caller's to check.
pub fn verify_bt_uptime_proof(
    proof: &BtUptimeProof,
    signatures: &ProofSignatures,
    hf: HardFork,
    revision: u8,
    network: Network,
    domain: &Domain,
    now: u64,
) -> Result<(), QuorumError> {
    if proof.timestamp.abs_diff(now) > PROOF_TIMESTAMP_TOLERANCE {
        return Err(QuorumError::ProofTimestamp {
            timestamp: proof.timestamp,
            now,
        });
    }
    if let Some([oxend, lokinet, storage]) = minimum_versions(hf, revision) {
        let runs_storage = matches!(network, Network::Mainnet | Network::Testnet);
        let checks = [
            (proof.version, oxend, true),
            (proof.lokinet_version, lokinet, runs_storage),
            (proof.storage_server_version, storage, runs_storage),
        ];
        for (version, minimum, applies) in checks {
            if applies && version < minimum {
                return Err(QuorumError::ProofVersionTooOld { version, minimum });
            }
        }
    }
    if !is_public_ipv4(proof.public_ip) {
        return Err(QuorumError::ProofIpNotPublic {
            ip: proof.public_ip,
        });
    }
    if hf >= HardFork::Hf21 && proof.pubkey.0 != proof.pubkey_ed25519.to_bytes() {
        return Err(QuorumError::ProofKeysDiffer);
    }
    if to_x25519(&proof.pubkey_ed25519).is_none() {
        return Err(QuorumError::ProofEd25519KeyMissing);
    }
    if hf < HardFork::Hf21 {
        let valid = signatures
            .signature
            .is_some_and(|s| check_signature(&proof.hash, &proof.pubkey, &s));
        if !valid {
            return Err(QuorumError::InvalidSignature {
                what: SignedItem::UptimeProof,
            });
        }
    }
    if proof
        .pubkey_ed25519
        .verify(&proof.hash, &signatures.signature_ed25519)
        .is_err()
    {
        return Err(QuorumError::InvalidSignature {
            what: SignedItem::UptimeProofEd25519,
        });
    }
    if hf == HardFork::Hf20 {
        let (Some(key), Some(pop)) = (&proof.bls_public_key, &proof.bls_proof_of_possession) else {
            return Err(QuorumError::ProofField { field: "bk" });
        };
        let valid = match (BlsPublicKey::from_bytes(key), BlsSignature::from_bytes(pop)) {
            (Ok(key), Ok(pop)) => {
                let message = uptime_proof_message(&key, &proof.pubkey);
                key.verify(&domain.for_uptime_proofs(), &message, &pop)
            }
            _ => false,
        };
        if !valid {
            return Err(QuorumError::InvalidSignature {
                what: SignedItem::UptimeProofBls,
            });
        }
    }
    Ok(())
}
