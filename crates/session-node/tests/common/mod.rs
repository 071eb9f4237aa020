//! A three-node network for the endpoint tests: A and B share the client's swarm, C is in
//! the other one.
#![allow(dead_code, unreachable_pub)]

use serde_json::{Value, json};
use session_core::encoding::encode_base64;
use session_core::{AccountId, Identity, ServiceNode, Timestamp};
use session_node::{Handled, Node, NodeConfig, Request, Response};
use session_storage::MemoryStore;

pub const NOW_MS: u64 = 1_700_000_000_000;

pub fn now() -> Timestamp {
    Timestamp::from_millis(NOW_MS)
}

pub fn rng() -> chacha20::ChaCha20Rng {
    use rand_core::SeedableRng;
    chacha20::ChaCha20Rng::from_seed([9; 32])
}

/// A key whose swarm-space position is `space` (the XOR of its four big-endian words).
pub fn key_at(space: u64) -> [u8; 32] {
    let mut k = [0u8; 32];
    k[..8].copy_from_slice(&space.to_be_bytes());
    k
}

pub struct Net {
    pub a: Node<MemoryStore>,
    pub b: Node<MemoryStore>,
    pub a_id: Identity,
    pub nodes: Vec<ServiceNode>,
    /// A group (`03`) account in A's swarm, signed by `client`.
    pub client: Identity,
    pub account: AccountId,
    /// An account owned by C's swarm.
    pub foreign: AccountId,
}

pub const SWARM_AB: u64 = 0x1000_0000_0000_0000;
pub const SWARM_C: u64 = 0x9000_0000_0000_0000;

/// A node that answers at once with its own entry (these tests look at one node's work; the
/// replies that wait for peers are tested in `deferred.rs`).
pub fn immediate() -> NodeConfig {
    NodeConfig {
        wait_for_peers: false,
        ..NodeConfig::default()
    }
}

pub fn net() -> Net {
    let a_id = Identity::from_seed_bytes(&[1; 32]).unwrap();
    let b_id = Identity::from_seed_bytes(&[2; 32]).unwrap();
    let c_id = Identity::from_seed_bytes(&[3; 32]).unwrap();
    let nodes = vec![
        session_node::testing::service_node(&a_id, [10, 0, 0, 1], SWARM_AB),
        session_node::testing::service_node(&b_id, [10, 0, 0, 2], SWARM_AB),
        session_node::testing::service_node(&c_id, [10, 0, 0, 3], SWARM_C),
    ];
    let client = Identity::from_seed_bytes(&[42; 32]).unwrap();
    let account = AccountId::new(0x03, *client.ed25519_public().as_bytes());
    // The client's key must land in A's swarm: both swarms are far apart, so check.
    let space = session_swarm::swarm_space(account.key());
    let owner = if space.abs_diff(SWARM_AB) < space.abs_diff(SWARM_C) {
        SWARM_AB
    } else {
        SWARM_C
    };
    let (ab, c) = if owner == SWARM_AB {
        (SWARM_AB, SWARM_C)
    } else {
        (SWARM_C, SWARM_AB)
    };
    let nodes: Vec<ServiceNode> = nodes
        .into_iter()
        .enumerate()
        .map(|(i, mut n)| {
            n.swarm_id = session_core::SwarmId(if i < 2 { ab } else { c });
            n
        })
        .collect();
    let a = Node::new(a_id.clone(), MemoryStore::new(), nodes.clone(), immediate());
    let b = Node::new(b_id, MemoryStore::new(), nodes.clone(), immediate());
    Net {
        a,
        b,
        a_id,
        nodes,
        client,
        account,
        foreign: AccountId::new(0x05, key_at(c)),
    }
}

pub fn rpc(node: &mut Node<MemoryStore>, method: &str, params: Value) -> (Handled, Response) {
    rpc_at(node, now(), method, params)
}

pub fn rpc_at(
    node: &mut Node<MemoryStore>,
    at: Timestamp,
    method: &str,
    params: Value,
) -> (Handled, Response) {
    let body = json!({"method": method, "params": params}).to_string();
    let out = node.handle_http(
        at,
        &mut rng(),
        &Request::post("/storage_rpc/v1", body.as_bytes()),
    );
    let resp = out.response.clone().unwrap();
    (out, resp)
}

pub fn body(r: &Response) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

pub fn sig(id: &Identity, msg: &[u8]) -> String {
    encode_base64(&id.sign(msg))
}

pub fn verify(key: &session_core::Ed25519PublicKey, msg: &[u8], sig_b64: &str) -> bool {
    let sig = session_core::encoding::decode_base64(sig_b64.as_bytes(), 64).unwrap();
    let vk = ed25519_dalek::VerifyingKey::from_bytes(key.as_bytes()).unwrap();
    let sig = ed25519_dalek::Signature::from_slice(&sig).unwrap();
    vk.verify_strict(msg, &sig).is_ok()
}
