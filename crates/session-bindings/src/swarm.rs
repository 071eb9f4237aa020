//! Which swarm stores an account's messages.

use session_core::{AccountId, Network, SwarmId};
use session_swarm::{nearest_swarm, swarm_space as space_of};

use crate::error::{Error, ErrorCode, Result, with_code};

fn account(text: &str) -> Result<AccountId> {
    AccountId::parse(text.trim(), Network::Mainnet).map_err(with_code(ErrorCode::SessionId))
}

/// The swarm-space position of an account (66 hex characters, any prefix).
pub fn swarm_space(account_id: &str) -> Result<u64> {
    Ok(space_of(account(account_id)?.key()))
}

/// The swarm, among `swarm_ids` (any order; the "no swarm" id `u64::MAX` is ignored), that
/// stores the account's messages.
pub fn swarm_for(account_id: &str, swarm_ids: &[u64]) -> Result<u64> {
    let space = swarm_space(account_id)?;
    let mut ids: Vec<SwarmId> = swarm_ids
        .iter()
        .map(|&id| SwarmId(id))
        .filter(|id| !id.is_unassigned())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    nearest_swarm(&ids, space).map(|id| id.0).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidArgument,
            "no swarm: the list of swarm ids is empty",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_on_the_ring() {
        let id = format!("05{}", "00".repeat(31) + "96");
        assert_eq!(swarm_space(&id).unwrap(), 0x96);
        assert_eq!(swarm_for(&id, &[200, 100, u64::MAX]).unwrap(), 100);
        assert_eq!(swarm_for(&id, &[100, 200]).unwrap(), 100);
        let id = format!("05{}", "00".repeat(31) + "97");
        assert_eq!(swarm_for(&id, &[200, 100]).unwrap(), 200);
        assert_eq!(
            swarm_for(&id, &[]).unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
        assert_eq!(
            swarm_for("05", &[1]).unwrap_err().code(),
            ErrorCode::SessionId
        );
    }
}
