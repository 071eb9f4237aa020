//! One `NetworkView` shared by many nodes: every node answers and replicates exactly as a node
//! that built its own view from the node list.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::Arc;

use proptest::prelude::*;
use session_core::{AccountId, Identity, Namespace, ServiceNode, SwarmId, Timestamp};
use session_node::{NetworkView, Node, NodeConfig, Request};
use session_storage::{MemoryStore, MessageWriter, StoredMessage};
use session_swarm::swarm_space;

const NOW: Timestamp = Timestamp(1_700_000_000_000);

fn identity(i: u16) -> Identity {
    let mut seed = [0xa5; 32];
    seed[..2].copy_from_slice(&i.to_be_bytes());
    Identity::from_seed_bytes(&seed).unwrap()
}

/// Node `i`'s record in swarm `ids[pick % ids.len()]`.
fn record(i: u16, ids: &[u64], pick: u8) -> ServiceNode {
    let swarm = ids[usize::from(pick) % ids.len()];
    let [a, b] = i.to_be_bytes();
    session_node::testing::service_node(&identity(i), [10, 1, a, b], swarm)
}

/// Every node of `old` with the messages of its swarm's range, on a store of its own.
fn stores(old: &NetworkView, accounts: &[[u8; 32]]) -> Vec<(u16, MemoryStore)> {
    let mut out = Vec::new();
    for i in 0..u16::try_from(old.len()).unwrap() {
        let mut store = MemoryStore::new();
        let me = identity(i).ed25519_public();
        for (n, key) in accounts.iter().enumerate() {
            let owner = old.swarms().owner_of_space(swarm_space(key));
            if owner.is_some() && owner == old.swarm_of(&me) {
                let account = AccountId::new(0x05, *key);
                let data = vec![u8::try_from(n % 256).unwrap(); 40];
                let expiry = NOW.saturating_add_millis(86_400_000);
                let msg = StoredMessage::new(account, Namespace(0), NOW, expiry, data);
                store.store(&msg, NOW).unwrap();
            }
        }
        out.push((i, store));
    }
    out
}

fn get_swarm(node: &mut Node<MemoryStore>, key: &[u8; 32]) -> (u16, Vec<u8>) {
    let account = AccountId::new(0x05, *key);
    let body = format!(r#"{{"method":"get_swarm","params":{{"pubkey":"{account}"}}}}"#);
    let mut rng = rand_core::UnwrapErr(session_node::testing::ZeroRng);
    let out = node.handle_http(
        NOW,
        &mut rng,
        &Request::post("/storage_rpc/v1", body.as_bytes()),
    );
    let response = out.response.unwrap();
    (response.status, response.body)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A block through a shared view gives every node the pushes `new_swarm_map` gives it,
    /// and the same answers afterwards.
    #[test]
    fn shared_views_give_the_pushes_of_private_ones(
        ids in prop::collection::btree_set(any::<u64>(), 1..5),
        picks in prop::collection::vec(any::<u8>(), 6..24),
        moves in prop::collection::vec((any::<u8>(), any::<u8>()), 0..8),
        leave in 0usize..3,
        joins in 0u16..3,
        new_ids in prop::collection::btree_set(any::<u64>(), 0..3),
        accounts in prop::collection::vec(any::<[u8; 32]>(), 1..12),
    ) {
        let ids: Vec<u64> = ids.into_iter().collect();
        let n = u16::try_from(picks.len()).unwrap();
        let old_list: Vec<ServiceNode> =
            (0..n).zip(&picks).map(|(i, &p)| record(i, &ids, p)).collect();
        let old = Arc::new(NetworkView::from_nodes(old_list.iter().copied()));

        // The next block: some nodes move (to old or new swarms), the last `leave` leave,
        // `joins` newcomers arrive.
        let next_ids: Vec<u64> = ids.iter().chain(&new_ids).copied().collect();
        let mut new_list = old_list.clone();
        for (who, pick) in &moves {
            let i = usize::from(*who) % new_list.len();
            new_list[i].swarm_id = SwarmId(next_ids[usize::from(*pick) % next_ids.len()]);
        }
        new_list.truncate(new_list.len() - leave.min(new_list.len() - 1));
        new_list.extend((n..n + joins).map(|i| record(i, &next_ids, u8::try_from(i % 256).unwrap())));
        let new = Arc::new(NetworkView::from_nodes(new_list.iter().copied()));

        for (i, store) in stores(&old, &accounts) {
            let config = NodeConfig::default();
            let mut private = Node::new(identity(i), store.clone(), old_list.clone(), config);
            let mut shared = Node::with_network(identity(i), store, Arc::clone(&old), config);
            prop_assert_eq!(private.swarm_id(), shared.swarm_id());
            let mine = private.new_swarm_map(NOW, new_list.iter().copied()).unwrap();
            let theirs = shared.set_network(NOW, Arc::clone(&new)).unwrap();
            prop_assert_eq!(&mine, &theirs, "node {}", i);
            prop_assert!(Arc::ptr_eq(shared.network(), &new));
            prop_assert_eq!(private.network().as_ref(), new.as_ref());
            prop_assert_eq!(private.swarm_id(), shared.swarm_id());
            for key in &accounts {
                prop_assert_eq!(get_swarm(&mut private, key), get_swarm(&mut shared, key));
            }
        }
    }
}

/// The view keeps the last record of a key listed twice (node 2, moved to swarm 200), knows decommissioned nodes without
/// giving them a swarm, and orders nodes by key.
#[test]
fn view_of_a_node_list() {
    let mut list: Vec<ServiceNode> = (0..8).map(|i| record(i, &[100, 200], i as u8)).collect();
    let mut moved = list[2];
    moved.swarm_id = SwarmId(200);
    list.push(moved);
    list[5].swarm_id = SwarmId::UNASSIGNED;
    let view = NetworkView::from_nodes(list.iter().copied());
    assert_eq!(view.len(), 8);
    assert!(!view.is_empty());
    assert_eq!(view.swarm_of(&list[2].ed25519), Some(SwarmId(200)));
    assert_eq!(view.swarm_of(&list[5].ed25519), None);
    assert_eq!(view.node(&list[5].ed25519), Some(&list[5]));
    assert_eq!(view.swarms().swarm_ids(), &[SwarmId(100), SwarmId(200)]);
    assert_eq!(view.swarms().members(SwarmId(100)).unwrap().len(), 3);
    assert_eq!(view.swarms().members(SwarmId(200)).unwrap().len(), 4);
    let keys: Vec<_> = view.nodes().map(|n| n.ed25519).collect();
    assert!(keys.is_sorted());
    assert_eq!(format!("{view:?}"), "NetworkView { nodes: 8, swarms: 2 }");
    assert!(NetworkView::default().is_empty());
}
