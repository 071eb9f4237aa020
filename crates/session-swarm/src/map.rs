//! [`SwarmMap`]: who owns what, answered in O(log s).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use session_core::{ServiceNode, SessionId, SwarmId};

use crate::space::{SpaceInterval, nearest_swarm, swarm_range, swarm_space};

/// A snapshot of the network's swarms: members per swarm, plus the indexes that answer "which
/// swarm owns this Session ID", "who are its members" and "which swarm is this node in" in
/// O(log s) / O(log n).
///
/// Nodes under [`SwarmId::UNASSIGNED`] (decommissioned, not yet placed) are kept aside and own
/// nothing.
///
/// ```
/// use std::collections::BTreeMap;
/// use session_core::SwarmId;
/// use session_swarm::SwarmMap;
///
/// let mut swarms = BTreeMap::new();
/// swarms.insert(SwarmId(100), vec!["a", "b"]);
/// swarms.insert(SwarmId(200), vec!["c"]);
/// let map = SwarmMap::new(swarms);
/// assert_eq!(map.owner_of_space(149), Some(SwarmId(100)));
/// assert_eq!(map.members_for_space(151), Some((SwarmId(200), &["c"][..])));
/// assert_eq!(map.swarm_of_node(&"b"), Some(SwarmId(100)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwarmMap<K> {
    ids: Vec<SwarmId>,
    swarms: BTreeMap<SwarmId, Vec<K>>,
    unassigned: Vec<K>,
    /// `None` for maps built without the node index (lookups by node then scan).
    node_swarm: Option<BTreeMap<K, SwarmId>>,
}

impl<K: Ord + Clone> SwarmMap<K> {
    /// Indexes a swarm map as `calc_swarm_changes` takes and returns it. A node listed twice
    /// is indexed under its first (lowest-id) swarm.
    #[must_use]
    pub fn new(swarms: BTreeMap<SwarmId, Vec<K>>) -> Self {
        let mut map = Self::without_node_index(swarms);
        // Sorted, then built in bulk: inserting a million keys one by one, in swarm order,
        // takes several times as long. The stable sort keeps each node's swarms ascending,
        // and the dedup keeps the first.
        let mut pairs: Vec<(K, SwarmId)> = map
            .swarms
            .iter()
            .flat_map(|(&id, members)| members.iter().map(move |m| (m.clone(), id)))
            .collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.dedup_by(|later, first| later.0 == first.0);
        map.node_swarm = Some(pairs.into_iter().collect());
        map
    }

    /// Like [`SwarmMap::new`] but without the node → swarm index, for callers that only ask
    /// about swarm space (saves O(n log n) on big networks); [`SwarmMap::swarm_of_node`]
    /// then scans all swarms.
    #[must_use]
    pub fn without_node_index(mut swarms: BTreeMap<SwarmId, Vec<K>>) -> Self {
        let unassigned = swarms.remove(&SwarmId::UNASSIGNED).unwrap_or_default();
        let ids: Vec<SwarmId> = swarms.keys().copied().collect();
        SwarmMap {
            ids,
            swarms,
            unassigned,
            node_swarm: None,
        }
    }

    /// Builds the map from each node's swarm id (as oxend's node list reports them), members
    /// in the iteration order.
    pub fn from_nodes<I: IntoIterator<Item = (K, SwarmId)>>(nodes: I) -> Self {
        let mut swarms: BTreeMap<SwarmId, Vec<K>> = BTreeMap::new();
        for (node, id) in nodes {
            swarms.entry(id).or_default().push(node);
        }
        Self::new(swarms)
    }

    /// The swarm ids, ascending.
    #[must_use]
    pub fn swarm_ids(&self) -> &[SwarmId] {
        &self.ids
    }

    /// The swarms and their members.
    #[must_use]
    pub fn swarms(&self) -> &BTreeMap<SwarmId, Vec<K>> {
        &self.swarms
    }

    /// Nodes without a swarm.
    #[must_use]
    pub fn unassigned(&self) -> &[K] {
        &self.unassigned
    }

    /// Number of swarms.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there is no swarm.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The members of `swarm`.
    #[must_use]
    pub fn members(&self, swarm: SwarmId) -> Option<&[K]> {
        self.swarms.get(&swarm).map(Vec::as_slice)
    }

    /// The swarm `node` is in (`None` if it has none).
    #[must_use]
    pub fn swarm_of_node(&self, node: &K) -> Option<SwarmId> {
        match &self.node_swarm {
            Some(index) => index.get(node).copied(),
            None => self
                .swarms
                .iter()
                .find(|(_, m)| m.contains(node))
                .map(|(&id, _)| id),
        }
    }

    /// The swarm owning swarm-space position `space`.
    #[must_use]
    pub fn owner_of_space(&self, space: u64) -> Option<SwarmId> {
        nearest_swarm(&self.ids, space)
    }

    /// The swarm owning a 32-byte user key.
    #[must_use]
    pub fn owner_of_key(&self, key: &[u8; 32]) -> Option<SwarmId> {
        self.owner_of_space(swarm_space(key))
    }

    /// The swarm owning a Session ID (its prefix byte plays no part).
    #[must_use]
    pub fn owner_of(&self, session_id: &SessionId) -> Option<SwarmId> {
        self.owner_of_key(session_id.key())
    }

    /// The owning swarm of a position and its members.
    #[must_use]
    pub fn members_for_space(&self, space: u64) -> Option<(SwarmId, &[K])> {
        let id = self.owner_of_space(space)?;
        Some((id, self.members(id)?))
    }

    /// The owning swarm of a Session ID and its members: where to store and fetch its
    /// messages.
    #[must_use]
    pub fn members_for(&self, session_id: &SessionId) -> Option<(SwarmId, &[K])> {
        self.members_for_space(swarm_space(session_id.key()))
    }

    /// The range `swarm` owns, as [`swarm_range`].
    #[must_use]
    pub fn range(&self, swarm: SwarmId) -> Option<(u64, u64)> {
        swarm_range(&self.ids, swarm)
    }

    /// The range `swarm` owns as at most two non-wrapping intervals.
    #[must_use]
    pub fn intervals(&self, swarm: SwarmId) -> Vec<SpaceInterval> {
        self.range(swarm)
            .map(|(lo, hi)| {
                SpaceInterval::from_range(lo, hi)
                    .into_iter()
                    .flatten()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Gives back the swarms (without the unassigned nodes).
    #[must_use]
    pub fn into_swarms(self) -> BTreeMap<SwarmId, Vec<K>> {
        self.swarms
    }
}

impl SwarmMap<ServiceNode> {
    /// The swarms of a service-node list (as `get_service_nodes` reports it, each node with
    /// its `swarm_id`): what a client needs to find a user's swarm locally, as libsession does.
    /// Members are ordered by Ed25519 key (oxend's order); a key listed twice is kept once;
    /// decommissioned nodes ([`SwarmId::UNASSIGNED`]) own nothing.
    pub fn from_service_nodes<I: IntoIterator<Item = ServiceNode>>(nodes: I) -> Self {
        let mut swarms: BTreeMap<SwarmId, Vec<ServiceNode>> = BTreeMap::new();
        for node in nodes {
            swarms.entry(node.swarm_id).or_default().push(node);
        }
        for members in swarms.values_mut() {
            members.sort();
            members.dedup();
        }
        Self::new(swarms)
    }
}
