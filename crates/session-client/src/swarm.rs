//! The swarm cache: which nodes hold each account's messages.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::{AccountId, ServiceNode, Timestamp};

use crate::pool::NodePool;
use crate::random;

/// Swarm members per account, as last given by the caller (from a `get_swarm` answer or from
/// mapping the node list). Cleared whenever the node pool is replaced, since the swarms may
/// have moved with it.
///
/// libsession-util maps accounts to swarms itself from the pool's node list; this crate leaves
/// the mapping to the caller (`Action::NeedSwarm`), so that it needs no swarm arithmetic and
/// the caller may use a node's `get_swarm` answer instead.
#[derive(Debug, Clone, Default)]
pub struct SwarmCache {
    swarms: BTreeMap<AccountId, Vec<ServiceNode>>,
}

impl SwarmCache {
    /// An empty cache.
    #[must_use]
    pub fn new() -> Self {
        SwarmCache::default()
    }

    /// The cached members of `account`'s swarm.
    #[must_use]
    pub fn get(&self, account: &AccountId) -> Option<&[ServiceNode]> {
        self.swarms.get(account).map(Vec::as_slice)
    }

    /// Stores `account`'s swarm.
    pub fn insert(&mut self, account: AccountId, members: Vec<ServiceNode>) {
        self.swarms.insert(account, members);
    }

    /// Forgets `account`'s swarm (after a 421).
    pub fn invalidate(&mut self, account: &AccountId) {
        self.swarms.remove(account);
    }

    /// Forgets every swarm.
    pub fn clear(&mut self) {
        self.swarms.clear();
    }
}

/// The members worth trying, in random order: members that are not struck out; when fewer than
/// `min_size` of those remain, topped up to `min_size` with the struck-out members that have
/// the fewest strikes (ties in random order).
#[must_use]
pub fn usable_members<R: CryptoRng + ?Sized>(
    members: &[ServiceNode],
    pool: &NodePool,
    min_size: usize,
    now: Timestamp,
    rng: &mut R,
) -> Vec<ServiceNode> {
    let mut shuffled = members.to_vec();
    random::shuffle(&mut shuffled, rng);
    let (mut clean, mut struck): (Vec<_>, Vec<_>) = shuffled
        .into_iter()
        .partition(|n| !pool.is_struck_out(&n.ed25519, now));
    if struck.is_empty() || clean.len() >= min_size {
        return clean;
    }
    struck.sort_by_key(|n| pool.strike_count(&n.ed25519, now));
    let total = (clean.len() + struck.len()).min(min_size);
    let missing = total.saturating_sub(clean.len());
    clean.extend(struck.into_iter().take(missing));
    clean
}
