//! The network as a block leaves it: built once, shared by every node a runtime hosts.

use alloc::collections::BTreeMap;

use session_core::{Ed25519PublicKey, ServiceNode, SwarmId};
use session_swarm::SwarmMap;

/// The active service nodes of one block and their swarms, immutable.
///
/// A [`Node`](crate::Node) answers swarm questions (`get_swarm`, 421 "wrong swarm", its
/// peers, `active_nodes_bin`, the next hop of an onion request) from it. A runtime that hosts
/// many nodes (a simulator, a test network) builds one view per block and hands every node an
/// `Arc` of it with [`Node::set_network`](crate::Node::set_network): the O(n log n) of
/// indexing the node list is paid once per block, not once per node, and a node's own work
/// for the block no longer depends on the network's size.
///
/// ```
/// use std::sync::Arc;
/// use session_core::{Identity, SwarmId};
/// use session_node::{NetworkView, Node, NodeConfig};
/// use session_storage::MemoryStore;
///
/// let identities: Vec<Identity> =
///     (1..=5u8).map(|i| Identity::from_seed_bytes(&[i; 32])).collect::<Result<_, _>>()?;
/// let list = identities
///     .iter()
///     .zip(1u8..)
///     .map(|(id, i)| session_node::testing::service_node(id, [10, 0, 0, i], 7));
/// let view = Arc::new(NetworkView::from_nodes(list));
/// assert_eq!((view.len(), view.swarms().len()), (5, 1));
///
/// // Every node shares the one view.
/// let nodes: Vec<Node<MemoryStore>> = identities
///     .into_iter()
///     .map(|id| Node::with_network(id, MemoryStore::new(), Arc::clone(&view), NodeConfig::default()))
///     .collect();
/// assert!(nodes.iter().all(|n| n.swarm_id() == Some(SwarmId(7))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct NetworkView {
    nodes: BTreeMap<Ed25519PublicKey, ServiceNode>,
    swarms: SwarmMap<Ed25519PublicKey>,
}

impl core::fmt::Debug for NetworkView {
    // The lists can hold a million nodes: their sizes say enough.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NetworkView")
            .field("nodes", &self.nodes.len())
            .field("swarms", &self.swarms.len())
            .finish()
    }
}

impl Default for NetworkView {
    fn default() -> Self {
        NetworkView {
            nodes: BTreeMap::new(),
            swarms: SwarmMap::new(BTreeMap::new()),
        }
    }
}

impl NetworkView {
    /// The view of a node list (as oxend reports it, each node with its swarm id): a key
    /// listed twice keeps its last record; swarm members are ordered by key; nodes under
    /// [`SwarmId::UNASSIGNED`] are known but own nothing.
    pub fn from_nodes(nodes: impl IntoIterator<Item = ServiceNode>) -> Self {
        let nodes: BTreeMap<Ed25519PublicKey, ServiceNode> =
            nodes.into_iter().map(|n| (n.ed25519, n)).collect();
        let swarms = SwarmMap::from_nodes(nodes.values().map(|n| (n.ed25519, n.swarm_id)));
        NetworkView { nodes, swarms }
    }

    /// The nodes, by Ed25519 key.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = &ServiceNode> {
        self.nodes.values()
    }

    /// The node with Ed25519 key `key`.
    #[must_use]
    pub fn node(&self, key: &Ed25519PublicKey) -> Option<&ServiceNode> {
        self.nodes.get(key)
    }

    /// The swarms, members by Ed25519 key.
    #[must_use]
    pub fn swarms(&self) -> &SwarmMap<Ed25519PublicKey> {
        &self.swarms
    }

    /// The swarm of the node with key `key` (`None` if it is unknown or has none).
    #[must_use]
    pub fn swarm_of(&self, key: &Ed25519PublicKey) -> Option<SwarmId> {
        self.swarms.swarm_of_node(key)
    }

    /// The number of nodes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the view has no node.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}
