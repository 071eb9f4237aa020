//! Staking: the requirement to register a service node.

use core::str::FromStr;

use session_core::Network;

use crate::error::{Error, ErrorCode, Result};

fn network(name: &str) -> Result<Network> {
    Network::from_str(name.trim()).map_err(|e| Error::from_library(ErrorCode::InvalidArgument, &e))
}

/// The staking requirement, in atomic units, to register a node at block `height` of
/// `network` (`mainnet`, `testnet`, `devnet`, `stagenet` or `localdev`).
pub fn staking_requirement(network_name: &str, height: u64) -> Result<u64> {
    Ok(session_staking::staking_requirement(
        network(network_name)?,
        height,
    ))
}
