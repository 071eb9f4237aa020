//! Service-node records, as published by oxend and used by clients and other nodes.

use core::net::Ipv4Addr;

use alloc::vec::Vec;
use core::borrow::Borrow;

use crate::error::{Error, Result};
use crate::keys::{Ed25519PublicKey, X25519PublicKey};
use crate::types::SwarmId;

/// A storage-server version, `[major, minor, patch]`.
pub type Version = [u16; 3];

/// One service node of the network: how to reach it and which swarm it serves.
///
/// Identity is the Ed25519 key (since HF21 oxend's primary key equals it): two records with
/// the same key describe the same node, whatever else differs, so `PartialEq`, `Ord` and `Hash`
/// use only the key.
///
/// With the `serde` feature, the text form is oxend's: an entry of `get_service_nodes` (or
/// `get_n_service_nodes`) deserializes directly, with oxend's field names, and every field
/// this type does not hold is ignored. A node that has not sent an uptime proof yet has no
/// `public_ip`, ports or version in oxend's output; those read as `0.0.0.0`, `0` and `None`.
/// A node without a swarm reads as [`SwarmId::UNASSIGNED`]. For the registration state
/// (`active`, `funded`, unlock height, ...) deserialize a [`ServiceNodeRecord`] instead.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use session_core::ServiceNode;
///
/// let entry = r#"{
///     "service_node_pubkey": "e6a3e3e8d3c1f5c1ae6b4c2f5e4f8e1e4b2d0c1e6f9a8b7c6d5e4f3a2b1c0d9e",
///     "pubkey_ed25519": "e6a3e3e8d3c1f5c1ae6b4c2f5e4f8e1e4b2d0c1e6f9a8b7c6d5e4f3a2b1c0d9e",
///     "pubkey_x25519": "0b3c1d7a8f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbc",
///     "public_ip": "203.0.113.7", "storage_port": 22021, "storage_lmq_port": 22020,
///     "swarm_id": 13835058055282163711, "swarm": "bfffffffffffffff",
///     "storage_server_version": [2, 10, 0], "active": true, "funded": true
/// }"#;
/// let node: ServiceNode = serde_json::from_str(entry)?;
/// assert_eq!(node.ip.to_string(), "203.0.113.7");
/// assert_eq!((node.https_port, node.omq_port), (22021, 22020));
/// assert_eq!(node.version, Some([2, 10, 0]));
/// # }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ServiceNode {
    /// The node's Ed25519 identity key (oxend's `pubkey_ed25519`).
    #[cfg_attr(feature = "serde", serde(rename = "pubkey_ed25519"))]
    pub ed25519: Ed25519PublicKey,
    /// The node's X25519 key, for onion-request encryption (oxend's `pubkey_x25519`).
    #[cfg_attr(feature = "serde", serde(rename = "pubkey_x25519"))]
    pub x25519: X25519PublicKey,
    /// Public IPv4 address (oxend's `public_ip`); `0.0.0.0` means not yet known.
    #[cfg_attr(
        feature = "serde",
        serde(rename = "public_ip", default = "unknown_address")
    )]
    pub ip: Ipv4Addr,
    /// Storage-server HTTPS port (oxend's `storage_port`).
    #[cfg_attr(feature = "serde", serde(rename = "storage_port", default))]
    pub https_port: u16,
    /// Storage-server OxenMQ (TCP) and QUIC (UDP) port (oxend's `storage_lmq_port`).
    #[cfg_attr(feature = "serde", serde(rename = "storage_lmq_port", default))]
    pub omq_port: u16,
    /// The swarm the node belongs to (oxend's `swarm_id`; [`SwarmId::UNASSIGNED`] when
    /// decommissioned).
    #[cfg_attr(feature = "serde", serde(default = "unassigned"))]
    pub swarm_id: SwarmId,
    /// The storage-server version the node announces, if any (oxend's
    /// `storage_server_version`).
    #[cfg_attr(feature = "serde", serde(rename = "storage_server_version", default))]
    pub version: Option<Version>,
}

#[cfg(feature = "serde")]
fn unknown_address() -> Ipv4Addr {
    Ipv4Addr::UNSPECIFIED
}

#[cfg(feature = "serde")]
fn unassigned() -> SwarmId {
    SwarmId::UNASSIGNED
}

/// A whole entry of oxend's `get_service_nodes`: the node ([`ServiceNode`]) and its
/// registration state.
///
/// Deserializes from oxend's JSON (a self-describing format is required). Fields oxend omits
/// when they were not requested read as zero / `false` / `None`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[non_exhaustive]
pub struct ServiceNodeRecord {
    /// Addresses, keys and swarm.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub node: ServiceNode,
    /// oxend's `service_node_pubkey`: the primary key, equal to the Ed25519 key since HF19.
    pub service_node_pubkey: Ed25519PublicKey,
    /// Block height of the registration.
    #[cfg_attr(feature = "serde", serde(default))]
    pub registration_height: u64,
    /// Height at which the stake unlocks and the node leaves the network; 0 when no unlock
    /// was requested.
    #[cfg_attr(feature = "serde", serde(default))]
    pub requested_unlock_height: u64,
    /// Whether the node is active (funded and not decommissioned).
    #[cfg_attr(feature = "serde", serde(default))]
    pub active: bool,
    /// Whether the node's stake is complete.
    #[cfg_attr(feature = "serde", serde(default))]
    pub funded: bool,
    /// How many times the node has been decommissioned.
    #[cfg_attr(feature = "serde", serde(default))]
    pub decommission_count: u32,
    /// Unix time (seconds) of the node's last uptime proof; 0 when none was received.
    #[cfg_attr(feature = "serde", serde(default))]
    pub last_uptime_proof: u64,
    /// The oxend version in the node's last uptime proof.
    #[cfg_attr(feature = "serde", serde(default))]
    pub service_node_version: Option<Version>,
}

impl ServiceNode {
    /// Whether the node's address is known (not `0.0.0.0`).
    #[must_use]
    pub fn has_known_address(&self) -> bool {
        !self.ip.is_unspecified()
    }

    /// The node's /24 subnet (first three octets), used for path diversity.
    #[must_use]
    pub fn subnet24(&self) -> [u8; 3] {
        let [a, b, c, _] = self.ip.octets();
        [a, b, c]
    }
}

impl PartialEq for ServiceNode {
    fn eq(&self, other: &Self) -> bool {
        self.ed25519 == other.ed25519
    }
}

impl Eq for ServiceNode {}

impl PartialOrd for ServiceNode {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ServiceNode {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.ed25519.cmp(&other.ed25519)
    }
}

impl core::hash::Hash for ServiceNode {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.ed25519.hash(state);
    }
}

/// Bytes of one node in the storage server's `active_nodes_bin` blob.
pub const ACTIVE_NODE_LEN: usize = 51;

/// One node as the storage server's `active_nodes_bin` endpoint lists it: 51 bytes, numbers
/// big-endian.
///
/// | bytes | field |
/// |---|---|
/// | 32 | Ed25519 key |
/// | 8 | swarm id |
/// | 4 | IPv4 address, network order |
/// | 2 | HTTPS port |
/// | 2 | OxenMQ / QUIC port |
/// | 3 | storage-server version, one byte a component (`0xff` for components above 255) |
///
/// A node whose uptime proof (with its contact details) has not arrived yet has address,
/// ports and version all zero. The blob carries no X25519 key: clients that need one (for
/// onion requests) derive it from the Ed25519 key.
///
/// ```
/// use core::net::Ipv4Addr;
/// use session_core::{ActiveNode, decode_active_nodes, encode_active_nodes};
/// use session_core::{Ed25519PublicKey, SwarmId};
///
/// let node = ActiveNode {
///     ed25519: Ed25519PublicKey::from_bytes([7; 32]),
///     swarm_id: SwarmId(0x0102_0304_0506_0708),
///     ip: Ipv4Addr::new(203, 0, 113, 7),
///     https_port: 22021,
///     quic_port: 22020,
///     version: [2, 10, 0],
/// };
/// let blob = encode_active_nodes([node]);
/// assert_eq!(blob.len(), 51);
/// assert_eq!(blob[32..40], [1, 2, 3, 4, 5, 6, 7, 8]);
/// assert_eq!(decode_active_nodes(&blob)?, [node]);
/// # Ok::<(), session_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActiveNode {
    /// The node's Ed25519 identity key.
    pub ed25519: Ed25519PublicKey,
    /// Its swarm.
    pub swarm_id: SwarmId,
    /// Public IPv4 address; `0.0.0.0` until the node's uptime proof arrives.
    pub ip: Ipv4Addr,
    /// Storage-server HTTPS port; 0 when unknown.
    pub https_port: u16,
    /// OxenMQ (TCP) and QUIC (UDP) port; 0 when unknown.
    pub quic_port: u16,
    /// Storage-server version, `[0, 0, 0]` when unknown.
    pub version: [u8; 3],
}

impl ActiveNode {
    /// The 51-byte wire form.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; ACTIVE_NODE_LEN] {
        let mut out = [0u8; ACTIVE_NODE_LEN];
        let (key, rest) = out.split_at_mut(32);
        key.copy_from_slice(self.ed25519.as_bytes());
        let (swarm, rest) = rest.split_at_mut(8);
        swarm.copy_from_slice(&self.swarm_id.0.to_be_bytes());
        let (ip, rest) = rest.split_at_mut(4);
        ip.copy_from_slice(&self.ip.octets());
        let (https, rest) = rest.split_at_mut(2);
        https.copy_from_slice(&self.https_port.to_be_bytes());
        let (quic, version) = rest.split_at_mut(2);
        quic.copy_from_slice(&self.quic_port.to_be_bytes());
        version.copy_from_slice(&self.version);
        out
    }

    /// Reads one 51-byte record.
    #[must_use]
    pub fn from_bytes(bytes: &[u8; ACTIVE_NODE_LEN]) -> Self {
        let mut rest: &[u8] = bytes;
        Self {
            ed25519: Ed25519PublicKey::from_bytes(take(&mut rest)),
            swarm_id: SwarmId(u64::from_be_bytes(take(&mut rest))),
            ip: Ipv4Addr::from(take::<4>(&mut rest)),
            https_port: u16::from_be_bytes(take(&mut rest)),
            quic_port: u16::from_be_bytes(take(&mut rest)),
            version: take(&mut rest),
        }
    }

    /// Whether the node's contact details are known (its record is not all-zero after the
    /// swarm id).
    #[must_use]
    pub fn is_contactable(&self) -> bool {
        !self.ip.is_unspecified()
    }
}

impl From<&ServiceNode> for ActiveNode {
    /// A node without a known address (no uptime proof yet) gets all-zero contact fields, as
    /// the storage server writes them; version components above 255 become `0xff`.
    fn from(node: &ServiceNode) -> Self {
        let known = node.has_known_address();
        let clamp = |c: u16| u8::try_from(c).unwrap_or(u8::MAX);
        Self {
            ed25519: node.ed25519,
            swarm_id: node.swarm_id,
            ip: if known {
                node.ip
            } else {
                Ipv4Addr::UNSPECIFIED
            },
            https_port: if known { node.https_port } else { 0 },
            quic_port: if known { node.omq_port } else { 0 },
            version: match node.version {
                Some([a, b, c]) if known => [clamp(a), clamp(b), clamp(c)],
                _ => [0; 3],
            },
        }
    }
}

/// The next `N` bytes of a record. Records have a fixed size, so the zero fallback is never
/// taken; it keeps the reader free of panic paths.
fn take<const N: usize>(rest: &mut &[u8]) -> [u8; N] {
    match rest.split_first_chunk::<N>() {
        Some((head, tail)) => {
            *rest = tail;
            *head
        }
        None => [0; N],
    }
}

/// Encodes nodes as the `active_nodes_bin` blob: their 51-byte records back to back.
#[must_use]
pub fn encode_active_nodes<I>(nodes: I) -> Vec<u8>
where
    I: IntoIterator,
    I::Item: Borrow<ActiveNode>,
{
    let nodes = nodes.into_iter();
    let mut out = Vec::with_capacity(nodes.size_hint().0.saturating_mul(ACTIVE_NODE_LEN));
    for node in nodes {
        out.extend_from_slice(&node.borrow().to_bytes());
    }
    out
}

/// Decodes an `active_nodes_bin` blob.
///
/// # Errors
///
/// [`Error::InvalidLength`] when the length is not a multiple of 51.
pub fn decode_active_nodes(blob: &[u8]) -> Result<Vec<ActiveNode>> {
    let (records, rest) = blob.as_chunks::<ACTIVE_NODE_LEN>();
    if !rest.is_empty() {
        return Err(Error::InvalidLength {
            what: "active_nodes_bin blob (bytes)",
            expected: "a multiple of 51",
            got: blob.len(),
        });
    }
    Ok(records.iter().map(ActiveNode::from_bytes).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(key: u8, ip: [u8; 4]) -> ServiceNode {
        ServiceNode {
            ed25519: Ed25519PublicKey::from_bytes([key; 32]),
            x25519: X25519PublicKey::from_bytes([key ^ 0xff; 32]),
            ip: Ipv4Addr::from(ip),
            https_port: 22021,
            omq_port: 22020,
            swarm_id: SwarmId(7),
            version: None,
        }
    }

    #[test]
    fn identity_is_the_ed25519_key() {
        use core::hash::{BuildHasher as _, BuildHasherDefault};
        let a = node(1, [10, 0, 0, 1]);
        let mut moved = node(1, [192, 168, 1, 9]);
        moved.swarm_id = SwarmId::UNASSIGNED;
        let b = node(2, [10, 0, 0, 1]);
        assert_eq!(a, moved);
        assert_ne!(a, b);
        assert!(a < b);
        assert_eq!(a.cmp(&moved), core::cmp::Ordering::Equal);
        assert_eq!(b.partial_cmp(&a), Some(core::cmp::Ordering::Greater));
        // A hasher that records what it was fed: the key only.
        #[derive(Default)]
        struct Fold(u64);
        impl core::hash::Hasher for Fold {
            fn finish(&self) -> u64 {
                self.0
            }
            fn write(&mut self, bytes: &[u8]) {
                for &b in bytes {
                    self.0 = self.0.wrapping_mul(31).wrapping_add(u64::from(b));
                }
            }
        }
        let h = BuildHasherDefault::<Fold>::default();
        assert_eq!(h.hash_one(a), h.hash_one(moved));
        assert_ne!(h.hash_one(a), h.hash_one(b));
    }

    #[test]
    fn addresses() {
        let a = node(1, [203, 0, 113, 7]);
        assert!(a.has_known_address());
        assert_eq!(a.subnet24(), [203, 0, 113]);
        assert!(!node(1, [0, 0, 0, 0]).has_known_address());
    }
}
