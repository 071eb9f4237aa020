//! [`ScalableSwarms`]: a network that keeps its indexes between blocks.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use session_core::SwarmId;

use crate::event::SwarmEvent;
use crate::scalable::{Engine, SizeIndex};

/// A whole network under [`crate::Policy::Scalable`], kept indexed between blocks so that a
/// block costs O(changes · log s) instead of re-indexing every swarm.
/// [`OxendSwarms`] is the same API under the live network's (oxend) rules.
///
/// It behaves like oxend's per-block flow: nodes are added (registered, recommissioned) to
/// the unassigned set or removed (deregistered, decommissioned, expired) from their swarm,
/// then [`ScalableSwarms::rebalance`] runs the rules once with the block's seed. A swarm whose
/// last member leaves disappears (oxend builds its map from active nodes only), and after
/// each block the member lists of touched swarms are put back in ascending node order (as
/// oxend rebuilds them), so the outcome depends only on membership, never on history:
/// `rebalance` gives the swarms and events `Policy::Scalable.calc_swarm_changes` gives on the
/// same map, the member lists then sorted.
///
/// ```
/// use session_swarm::ScalableSwarms;
///
/// let mut net = ScalableSwarms::new();
/// for node in 0u32..100 {
///     net.add_node(node);
/// }
/// let events = net.rebalance(42);
/// assert_eq!(net.swarm_count(), 14); // 1 + (100 − 7) div 7
/// assert!(net.swarms().values().all(|m| m.len() >= 5));
/// assert_eq!(events.iter().filter(|e| matches!(e, session_swarm::SwarmEvent::NodeJoined { .. })).count(), 100);
/// ```
#[derive(Debug, Clone)]
pub struct ScalableSwarms<K> {
    members: Membership<K>,
    index: SizeIndex,
}

impl<K: Ord + Clone> Default for ScalableSwarms<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Ord + Clone> ScalableSwarms<K> {
    /// An empty network.
    #[must_use]
    pub fn new() -> Self {
        ScalableSwarms {
            members: Membership::new(),
            index: SizeIndex::default(),
        }
    }

    /// Takes over an existing map (nodes under [`SwarmId::UNASSIGNED`] become unassigned;
    /// empty swarms are dropped; a node listed twice keeps its first place).
    #[must_use]
    pub fn from_swarms(swarms: BTreeMap<SwarmId, Vec<K>>) -> Self {
        let members = Membership::from_swarms(swarms);
        let index = SizeIndex::build(&members.swarms);
        ScalableSwarms { members, index }
    }

    /// Adds a node without a swarm (registration, recommission). Returns `false` if the node
    /// is already known.
    pub fn add_node(&mut self, node: K) -> bool {
        self.members.add_node(node)
    }

    /// Removes a node (deregistration, decommission, expiry): `Some(swarm)` it was in,
    /// `Some(SwarmId::UNASSIGNED)` if it had none yet, `None` if unknown.
    pub fn remove_node(&mut self, node: &K) -> Option<SwarmId> {
        let (id, sizes) = self.members.remove_node(node)?;
        if let Some((before, after)) = sizes {
            if after == 0 {
                self.index.remove_swarm(&self.members.swarms, id, before);
            } else {
                self.index.resize(id, before, after);
            }
        }
        Some(id)
    }

    /// Runs the rules for one block with `seed` (see [`crate::compat::seed_from_block_hash`]).
    pub fn rebalance(&mut self, seed: u64) -> Vec<SwarmEvent<K>> {
        if self.members.swarms.is_empty() && self.members.unassigned.is_empty() {
            return Vec::new();
        }
        let unassigned: Vec<K> = core::mem::take(&mut self.members.unassigned)
            .into_iter()
            .collect();
        let mut engine = Engine::new(&mut self.members.swarms, &mut self.index, seed);
        engine.run(unassigned);
        let events = engine.events;
        self.members.record_moves(&events);
        events
    }

    /// The swarms and their members (each list ascending).
    #[must_use]
    pub fn swarms(&self) -> &BTreeMap<SwarmId, Vec<K>> {
        &self.members.swarms
    }

    /// The swarm of `node` (`None` if unknown or not yet placed).
    #[must_use]
    pub fn swarm_of(&self, node: &K) -> Option<SwarmId> {
        self.members.node_swarm.get(node).copied()
    }

    /// Number of swarms.
    #[must_use]
    pub fn swarm_count(&self) -> usize {
        self.members.swarms.len()
    }

    /// Number of nodes in swarms.
    #[must_use]
    pub fn assigned_count(&self) -> usize {
        self.members.node_swarm.len()
    }

    /// Nodes waiting for the next rebalance.
    #[must_use]
    pub fn unassigned(&self) -> &BTreeSet<K> {
        &self.members.unassigned
    }

    /// `(size, number of swarms of that size)`, ascending by size, in O(distinct sizes).
    pub fn size_histogram(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.index.histogram()
    }

    /// The map `calc_swarm_changes` would take for the next block: the swarms plus the
    /// unassigned nodes under [`SwarmId::UNASSIGNED`].
    #[must_use]
    pub fn to_map(&self) -> BTreeMap<SwarmId, Vec<K>> {
        self.members.to_map()
    }

    /// Gives back the swarms.
    #[must_use]
    pub fn into_swarms(self) -> BTreeMap<SwarmId, Vec<K>> {
        self.members.swarms
    }
}

/// What both stateful networks keep: the swarms (member lists in ascending node order), the
/// nodes waiting for a swarm, and the swarm of every placed node.
#[derive(Debug, Clone)]
struct Membership<K> {
    swarms: BTreeMap<SwarmId, Vec<K>>,
    unassigned: BTreeSet<K>,
    node_swarm: BTreeMap<K, SwarmId>,
}

impl<K: Ord + Clone> Membership<K> {
    fn new() -> Self {
        Membership {
            swarms: BTreeMap::new(),
            unassigned: BTreeSet::new(),
            node_swarm: BTreeMap::new(),
        }
    }

    /// Nodes under [`SwarmId::UNASSIGNED`] become unassigned; empty swarms are dropped; a node
    /// listed twice keeps its first place; member lists are put in ascending order.
    fn from_swarms(swarms: BTreeMap<SwarmId, Vec<K>>) -> Self {
        let mut net = Self::new();
        for (id, members) in swarms {
            if id.is_unassigned() {
                for m in members {
                    net.add_node(m);
                }
                continue;
            }
            let mut kept = Vec::with_capacity(members.len());
            for m in members {
                if !net.node_swarm.contains_key(&m) {
                    net.node_swarm.insert(m.clone(), id);
                    kept.push(m);
                }
            }
            kept.sort();
            if !kept.is_empty() {
                net.swarms.insert(id, kept);
            }
        }
        net.unassigned.retain(|m| !net.node_swarm.contains_key(m));
        net
    }

    fn add_node(&mut self, node: K) -> bool {
        if self.node_swarm.contains_key(&node) {
            return false;
        }
        self.unassigned.insert(node)
    }

    /// Removes `node`: its swarm (`SwarmId::UNASSIGNED` if it had none), with the swarm's size
    /// before and after when it was in one. A swarm left empty is dropped from the map.
    fn remove_node(&mut self, node: &K) -> Option<(SwarmId, Option<(usize, usize)>)> {
        if self.unassigned.remove(node) {
            return Some((SwarmId::UNASSIGNED, None));
        }
        let id = self.node_swarm.remove(node)?;
        let Some(members) = self.swarms.get_mut(&id) else {
            return Some((id, None));
        };
        let before = members.len();
        members.retain(|m| m != node);
        let after = members.len();
        if after == 0 {
            self.swarms.remove(&id);
        }
        Some((id, Some((before, after))))
    }

    /// The swarms plus the unassigned nodes under [`SwarmId::UNASSIGNED`].
    fn to_map(&self) -> BTreeMap<SwarmId, Vec<K>> {
        let mut map = self.swarms.clone();
        if !self.unassigned.is_empty() {
            map.insert(
                SwarmId::UNASSIGNED,
                self.unassigned.iter().cloned().collect(),
            );
        }
        map
    }

    /// After a block: every node's new swarm into the node index, and the member lists of
    /// the swarms that received nodes back in ascending order (oxend rebuilds them from its
    /// pubkey-sorted node list for the next block, and lookups rely on it).
    fn record_moves(&mut self, events: &[SwarmEvent<K>]) {
        let node_swarm = &mut self.node_swarm;
        let swarms = &mut self.swarms;
        // The last event of a node gives its swarm: walk backwards and keep the first per node.
        let mut moves: Vec<(&K, SwarmId)> = events
            .iter()
            .rev()
            .filter_map(|e| match e {
                SwarmEvent::NodeJoined { node, swarm } => Some((node, *swarm)),
                SwarmEvent::NodeMoved { node, to, .. } => Some((node, *to)),
                SwarmEvent::SwarmCreated { .. } | SwarmEvent::SwarmDissolved { .. } => None,
            })
            .collect();
        let mut touched: Vec<SwarmId> = moves.iter().map(|m| m.1).collect();
        moves.sort_by(|a, b| a.0.cmp(b.0)); // stable: the latest move of each node stays first
        moves.dedup_by(|later, first| later.0 == first.0);
        if moves.len().saturating_mul(8) >= node_swarm.len() {
            // Many moves (a bootstrap, a big merge): one sorted merge and a bulk build instead of
            // a tree insertion per node.
            let old = core::mem::take(node_swarm);
            let mut old = old.into_iter().peekable();
            let mut merged: Vec<(K, SwarmId)> = Vec::with_capacity(old.len() + moves.len());
            for (node, swarm) in moves {
                while let Some((k, v)) = old.next_if(|(k, _)| k < node) {
                    merged.push((k, v));
                }
                let _ = old.next_if(|(k, _)| k == node);
                merged.push((node.clone(), swarm));
            }
            merged.extend(old);
            *node_swarm = merged.into_iter().collect();
        } else {
            for (node, swarm) in moves {
                node_swarm.insert(node.clone(), swarm);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for id in touched {
            if let Some(members) = swarms.get_mut(&id) {
                members.sort();
            }
        }
    }
}

/// A whole network under the oxend rules ([`crate::calc_swarm_changes`], bit-exact with the
/// live network), kept between blocks the way oxend keeps its service-node list.
///
/// Per block, as oxend does it:
/// * a **registration** (the stake becoming complete, or an L2 `NewServiceNodeV2`) and a
///   **recommission** are [`OxendSwarms::add_node`]: oxend gives both the unassigned swarm id,
///   so a recommissioned node is placed exactly like a new one;
/// * a **deregistration**, a **decommission**, an **expiry** of an active node and an L2
///   `ServiceNodePurge` are [`OxendSwarms::remove_node`]: oxend's map only holds active nodes,
///   so a decommissioned node is simply absent until recommissioned;
/// * then [`OxendSwarms::rebalance_block`] with the block's hash, for every block in which
///   oxend runs the rebalancing (any of the changes above, or an accepted state change such as
///   an IP-change penalty). A block without such changes leaves the swarms as they are: do not
///   call it then (on a balanced network it would be a no-op, but a swarm left starving by an
///   earlier block would be dissolved a block early).
///
/// The map handed to the rules is the one oxend builds: every member list in ascending node
/// order (oxend rebuilds them from its pubkey-sorted node list each block), new nodes under
/// [`SwarmId::UNASSIGNED`] in ascending order. So each block gives exactly the swarms and
/// events of [`crate::calc_swarm_changes`] on [`OxendSwarms::to_map`], and the state after it
/// is valid input for the next block. Cost per block: what `calc_swarm_changes` costs, plus
/// O(changes · log n) to keep the node index.
///
/// ```
/// use session_swarm::{OxendSwarms, SwarmEvent};
///
/// let mut net = OxendSwarms::new();
/// for node in 0u32..100 {
///     net.add_node(node);
/// }
/// let events = net.rebalance_block(&[7; 32]);
/// assert_eq!(net.swarm_count(), 14); // 1 + (100 − 7) div 7
/// assert!(events.iter().any(|e| matches!(e, SwarmEvent::NodeJoined { node: 0, .. })));
///
/// // Node 3 is deregistered, node 100 registers: the next block places it.
/// let swarm = net.remove_node(&3).unwrap();
/// assert!(net.add_node(100));
/// net.rebalance_block(&[8; 32]);
/// assert!(net.swarm_of(&100).is_some());
/// assert!(net.swarms().values().all(|m| m.len() >= 5 && m.is_sorted()));
/// # let _ = swarm;
/// ```
#[derive(Debug, Clone)]
pub struct OxendSwarms<K> {
    members: Membership<K>,
}

impl<K: Ord + Clone> Default for OxendSwarms<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Ord + Clone> OxendSwarms<K> {
    /// An empty network.
    #[must_use]
    pub fn new() -> Self {
        OxendSwarms {
            members: Membership::new(),
        }
    }

    /// Takes over an existing map, e.g. the swarm ids oxend reports for the active nodes
    /// (nodes under [`SwarmId::UNASSIGNED`] become unassigned; empty swarms are dropped; a node
    /// listed twice keeps its first place; member lists are put in ascending order).
    #[must_use]
    pub fn from_swarms(swarms: BTreeMap<SwarmId, Vec<K>>) -> Self {
        OxendSwarms {
            members: Membership::from_swarms(swarms),
        }
    }

    /// Adds an active node without a swarm (registration, recommission). Returns `false` if
    /// the node is already known.
    pub fn add_node(&mut self, node: K) -> bool {
        self.members.add_node(node)
    }

    /// Removes a node that stops being active (deregistration, decommission, expiry):
    /// `Some(swarm)` it was in, `Some(SwarmId::UNASSIGNED)` if it had none yet, `None` if
    /// unknown. A swarm whose last member leaves disappears, as from oxend's map.
    pub fn remove_node(&mut self, node: &K) -> Option<SwarmId> {
        self.members.remove_node(node).map(|(id, _)| id)
    }

    /// Runs oxend's rules for the block with this hash (seed: [`crate::compat::seed_from_block_hash`]).
    pub fn rebalance_block(&mut self, block_hash: &[u8; 32]) -> Vec<SwarmEvent<K>> {
        self.rebalance(crate::compat::seed_from_block_hash(block_hash))
    }

    /// Runs oxend's rules for one block with `seed`.
    pub fn rebalance(&mut self, seed: u64) -> Vec<SwarmEvent<K>> {
        let members = &mut self.members;
        if !members.unassigned.is_empty() {
            let fresh: Vec<K> = core::mem::take(&mut members.unassigned)
                .into_iter()
                .collect();
            members.swarms.insert(SwarmId::UNASSIGNED, fresh);
        }
        let events = crate::calc_swarm_changes(&mut members.swarms, seed);
        // Nothing stays unassigned unless there was no swarm to place it in (oxend would
        // throw; the rules never leave the map without a swarm).
        if let Some(left) = members.swarms.remove(&SwarmId::UNASSIGNED) {
            members.unassigned.extend(left);
        }
        members.record_moves(&events);
        events
    }

    /// The swarms and their members (each list ascending).
    #[must_use]
    pub fn swarms(&self) -> &BTreeMap<SwarmId, Vec<K>> {
        &self.members.swarms
    }

    /// The swarm of `node` (`None` if unknown or not yet placed).
    #[must_use]
    pub fn swarm_of(&self, node: &K) -> Option<SwarmId> {
        self.members.node_swarm.get(node).copied()
    }

    /// Number of swarms.
    #[must_use]
    pub fn swarm_count(&self) -> usize {
        self.members.swarms.len()
    }

    /// Number of nodes in swarms.
    #[must_use]
    pub fn assigned_count(&self) -> usize {
        self.members.node_swarm.len()
    }

    /// Nodes waiting for the next rebalance.
    #[must_use]
    pub fn unassigned(&self) -> &BTreeSet<K> {
        &self.members.unassigned
    }

    /// The map oxend would hand `calc_swarm_changes` for the next block: the swarms plus the
    /// unassigned nodes under [`SwarmId::UNASSIGNED`].
    #[must_use]
    pub fn to_map(&self) -> BTreeMap<SwarmId, Vec<K>> {
        self.members.to_map()
    }

    /// Gives back the swarms.
    #[must_use]
    pub fn into_swarms(self) -> BTreeMap<SwarmId, Vec<K>> {
        self.members.swarms
    }
}
