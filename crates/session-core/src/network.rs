//! The Oxen network kinds.

use core::fmt;
use core::str::FromStr;

use crate::error::Error;

/// Which Oxen network a node or client is on.
///
/// The numeric codes are oxen-core's `network_type` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Network {
    /// The live network.
    #[default]
    Mainnet,
    /// The public test network.
    Testnet,
    /// The developers' network.
    Devnet,
    /// The staging network.
    Stagenet,
    /// A private network on one machine or LAN (no subnet diversity, no fixed ports).
    Localdev,
}

/// Default ports of oxend and the storage server on one network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultPorts {
    /// oxend peer-to-peer port.
    pub p2p: u16,
    /// oxend RPC port.
    pub rpc: u16,
    /// oxend quorumnet port.
    pub qnet: u16,
    /// Storage-server HTTPS port.
    pub storage_https: u16,
    /// Storage-server OxenMQ (TCP) / QUIC (UDP) port.
    pub storage_omq: u16,
}

impl Network {
    /// Every network.
    pub const ALL: [Network; 5] = [
        Network::Mainnet,
        Network::Testnet,
        Network::Devnet,
        Network::Stagenet,
        Network::Localdev,
    ];

    /// The lowercase name used in configuration files.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Network::Mainnet => "mainnet",
            Network::Testnet => "testnet",
            Network::Devnet => "devnet",
            Network::Stagenet => "stagenet",
            Network::Localdev => "localdev",
        }
    }

    /// Whether this is the live network (which has the strictest input rules).
    #[must_use]
    pub const fn is_mainnet(self) -> bool {
        matches!(self, Network::Mainnet)
    }

    /// The default ports, where the network has fixed ones (a local network has none).
    ///
    /// Devnet and stagenet storage servers use testnet's storage ports.
    #[must_use]
    pub const fn default_ports(self) -> Option<DefaultPorts> {
        let (p2p, rpc, qnet, storage_https, storage_omq) = match self {
            Network::Mainnet => (22022, 22023, 22025, 22021, 22020),
            Network::Testnet => (38156, 38157, 38159, 38155, 38154),
            Network::Devnet => (38856, 38857, 38859, 38155, 38154),
            Network::Stagenet => (11022, 11023, 11025, 38155, 38154),
            Network::Localdev => return None,
        };
        Some(DefaultPorts {
            p2p,
            rpc,
            qnet,
            storage_https,
            storage_omq,
        })
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Network {
    type Err = Error;

    /// Parses a network name, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Error> {
        Network::ALL
            .into_iter()
            .find(|n| n.name().eq_ignore_ascii_case(s))
            .ok_or(Error::UnknownName { what: "network" })
    }
}
