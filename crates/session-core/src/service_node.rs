//! Service-node records, as published by oxend and used by clients and other nodes.

use core::net::Ipv4Addr;

use crate::keys::{Ed25519PublicKey, X25519PublicKey};
use crate::types::SwarmId;

/// A storage-server version, `[major, minor, patch]`.
pub type Version = [u16; 3];

/// One service node of the network.
///
/// Identity is the Ed25519 key (since HF21 oxend's primary key equals it): two records with
/// the same key describe the same node, whatever else differs, so `PartialEq`, `Ord` and `Hash`
/// use only the key.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ServiceNode {
    /// The node's Ed25519 identity key.
    pub ed25519: Ed25519PublicKey,
    /// The node's X25519 key (onion-request encryption).
    pub x25519: X25519PublicKey,
    /// Public IPv4 address; `0.0.0.0` means not yet known.
    pub ip: Ipv4Addr,
    /// Storage-server HTTPS port (oxend's `storage_port`).
    pub https_port: u16,
    /// Storage-server OxenMQ (TCP) and QUIC (UDP) port (oxend's `storage_lmq_port`).
    pub omq_port: u16,
    /// The swarm the node belongs to ([`SwarmId::UNASSIGNED`] when decommissioned).
    pub swarm_id: SwarmId,
    /// The storage-server version the node announces, if any.
    pub version: Option<Version>,
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
