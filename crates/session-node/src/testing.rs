//! Helpers for examples and tests: service-node records for an identity.

use core::net::Ipv4Addr;

use session_core::{Identity, ServiceNode, SwarmId};

/// The record of the node with `identity` at `ip` in swarm `swarm` (ports 22021 / 22020,
/// version 2.10.0).
#[must_use]
pub fn service_node(identity: &Identity, ip: [u8; 4], swarm: u64) -> ServiceNode {
    ServiceNode {
        ed25519: identity.ed25519_public(),
        x25519: identity.x25519_public(),
        ip: Ipv4Addr::from(ip),
        https_port: 22021,
        omq_port: 22020,
        swarm_id: SwarmId(swarm),
        version: Some([2, 10, 0]),
    }
}

/// An RNG of zeros, for deterministic doc examples that never use randomness. Not for keys.
#[derive(Debug, Clone, Copy, Default)]
pub struct ZeroRng;

impl rand_core::TryRng for ZeroRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(0)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        dst.fill(0);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for ZeroRng {}
