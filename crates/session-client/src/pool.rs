//! The node pool: the cached node list, strikes against nodes, and when to refresh.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::{Ed25519PublicKey, ServiceNode, Timestamp};

use crate::Config;
use crate::random;

/// The cached node list and the strikes recorded against nodes.
///
/// A strike is a timestamp; strikes older than [`Config::strike_expiry_ms`] no longer count,
/// and a node with [`Config::node_strike_threshold`] active strikes is struck out: never
/// chosen for a path, a refresh or a clock check, and a swarm lookup returns it only when too
/// few clean members remain.
#[derive(Debug, Clone)]
pub struct NodePool {
    config: Config,
    nodes: Vec<ServiceNode>,
    updated_at: Option<Timestamp>,
    strikes: BTreeMap<Ed25519PublicKey, Vec<Timestamp>>,
}

impl NodePool {
    /// An empty pool.
    #[must_use]
    pub fn new(config: Config) -> Self {
        NodePool {
            config,
            nodes: Vec::new(),
            updated_at: None,
            strikes: BTreeMap::new(),
        }
    }

    /// The cached nodes, in the shuffled order they were stored in.
    #[must_use]
    pub fn nodes(&self) -> &[ServiceNode] {
        &self.nodes
    }

    /// When the cache was last replaced.
    #[must_use]
    pub fn updated_at(&self) -> Option<Timestamp> {
        self.updated_at
    }

    /// Replaces the cache with `nodes` (shuffled, duplicates dropped) as of `now`.
    pub fn replace<R: CryptoRng + ?Sized>(
        &mut self,
        mut nodes: Vec<ServiceNode>,
        now: Timestamp,
        rng: &mut R,
    ) {
        let mut seen = BTreeSet::new();
        nodes.retain(|n| seen.insert(n.ed25519));
        random::shuffle(&mut nodes, rng);
        self.nodes = nodes;
        self.updated_at = Some(now);
    }

    /// Strikes against `key` that are younger than the expiry at `now`.
    #[must_use]
    pub fn strike_count(&self, key: &Ed25519PublicKey, now: Timestamp) -> usize {
        let threshold = now.0.saturating_sub(self.config.strike_expiry_ms);
        self.strikes.get(key).map_or(0, |stamps| {
            stamps.iter().filter(|t| t.0 > threshold).count()
        })
    }

    /// Whether `key` has reached the strike threshold. A threshold of 0 still needs one strike
    /// (as in libsession), so a node that never failed is never struck out.
    #[must_use]
    pub fn is_struck_out(&self, key: &Ed25519PublicKey, now: Timestamp) -> bool {
        let strikes = self.strike_count(key, now);
        strikes > 0 && strikes >= self.config.node_strike_threshold as usize
    }

    /// Records a failure of `key` at `now`: one strike, or a permanent failure that strikes
    /// the node out at once (as many strikes as the threshold, at least one).
    pub fn record_failure(&mut self, key: Ed25519PublicKey, now: Timestamp, permanent: bool) {
        let threshold = now.0.saturating_sub(self.config.strike_expiry_ms);
        let count = if permanent {
            self.config.node_strike_threshold.max(1)
        } else {
            1
        };
        let stamps = self.strikes.entry(key).or_default();
        stamps.retain(|t| t.0 > threshold);
        stamps.extend(core::iter::repeat_n(now, count as usize));
    }

    /// Forgets expired strikes (the counts never include them; this only frees memory).
    pub fn prune_strikes(&mut self, now: Timestamp) {
        let threshold = now.0.saturating_sub(self.config.strike_expiry_ms);
        self.strikes.retain(|_, stamps| {
            stamps.retain(|t| t.0 > threshold);
            !stamps.is_empty()
        });
    }

    /// Cached nodes that are neither struck out nor in `in_use`.
    #[must_use]
    pub fn usable_count(&self, in_use: &[ServiceNode], now: Timestamp) -> usize {
        self.nodes
            .iter()
            .filter(|n| !self.is_struck_out(&n.ed25519, now))
            .filter(|n| !in_use.iter().any(|u| u.ed25519 == n.ed25519))
            .count()
    }

    /// Whether a refresh is due: the cache is empty, older than the expiration, or holds
    /// fewer usable nodes (not struck out, not in `in_use`) than the minimum.
    #[must_use]
    pub fn refresh_due(&self, in_use: &[ServiceNode], now: Timestamp) -> bool {
        let Some(updated) = self.updated_at else {
            return true;
        };
        self.nodes.is_empty()
            || now.0.saturating_sub(updated.0) > self.config.cache_expiration_ms
            || self.usable_count(in_use, now) < self.config.cache_min_size
    }

    /// The earliest time a refresh may start: a pool younger than the minimum lifetime is not
    /// refreshed again until it reaches it.
    #[must_use]
    pub fn refresh_not_before(&self) -> Timestamp {
        self.updated_at.map_or(Timestamp(0), |t| {
            Timestamp(t.0.saturating_add(self.config.cache_min_lifetime_ms))
        })
    }

    /// Up to `count` nodes, from a random starting point of the cache, that are not struck out,
    /// not in `exclude` (by key) and, with subnet diversity, share no /24 with `exclude` nor
    /// with each other.
    pub fn unused_nodes<R: CryptoRng + ?Sized>(
        &self,
        count: usize,
        exclude: &[ServiceNode],
        now: Timestamp,
        rng: &mut R,
    ) -> Vec<ServiceNode> {
        let mut result = Vec::with_capacity(count.min(self.nodes.len()));
        let len = self.nodes.len();
        if len == 0 {
            return result;
        }
        let diversity = self.config.subnet_diversity;
        let mut subnets: BTreeSet<[u8; 3]> = BTreeSet::new();
        if diversity {
            subnets.extend(exclude.iter().map(ServiceNode::subnet24));
        }
        let start = random::index(rng, len);
        for node in self.nodes.iter().cycle().skip(start).take(len) {
            if result.len() >= count {
                break;
            }
            if exclude.iter().any(|e| e.ed25519 == node.ed25519)
                || self.is_struck_out(&node.ed25519, now)
                || (diversity && subnets.contains(&node.subnet24()))
            {
                continue;
            }
            if diversity {
                subnets.insert(node.subnet24());
            }
            result.push(*node);
        }
        result
    }
}

/// Combines the node lists of one refresh: a single list is taken as it is; from several, the
/// nodes that appear in at least `min_presence` of them (a node listed twice in one answer
/// counts once), in key order.
#[must_use]
pub fn combine_node_lists(lists: &[Vec<ServiceNode>], min_presence: usize) -> Vec<ServiceNode> {
    if let [only] = lists {
        return only.clone();
    }
    let mut seen: BTreeMap<Ed25519PublicKey, (usize, ServiceNode)> = BTreeMap::new();
    for list in lists {
        let mut in_this = BTreeSet::new();
        for node in list {
            if in_this.insert(node.ed25519) {
                seen.entry(node.ed25519).or_insert((0, *node)).0 += 1;
            }
        }
    }
    seen.into_values()
        .filter(|(n, _)| *n >= min_presence)
        .map(|(_, node)| node)
        .collect()
}
