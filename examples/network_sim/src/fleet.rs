//! The service nodes: one [`session_node::Node`] per node, each on its own [`MemoryStore`],
//! and the runtime around them that a real node's HTTPS and OxenMQ servers provide: what a
//! node returns (forwards to its swarm peers, an onion layer to relay, replication pushes) is
//! sent through the simulated network, the peers' answers go back to the node that forwarded,
//! and the node's reply, once its peers have all answered, to the client that waits for it.
//! Every node shares one [`NetworkView`] of each block, built once for all of them.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chacha20::ChaCha20Rng;
use session_core::{Ed25519PublicKey, Identity, ServiceNode, Timestamp};
use session_node::{
    ForwardId, Handled, NetworkView, Node, NodeConfig, PeerReply, PendingId, Relay, Request,
};
use session_storage::MemoryStore;

use crate::net::{Addr, Envelope, Network, Packet};

/// Where a node's answer goes: the sender of the request and the request's token.
#[derive(Clone, Copy)]
struct ReplyTo {
    addr: Addr,
    token: u64,
}

/// What an outgoing request of a node is.
enum Sub {
    /// A request node `from` forwarded to a swarm peer.
    Peer {
        from: Ed25519PublicKey,
        id: ForwardId,
    },
    /// The onion layer node `from` relayed to the next hop, `to`; its answer goes back
    /// unchanged.
    Relay {
        from: Ed25519PublicKey,
        to: Ed25519PublicKey,
        reply_to: ReplyTo,
    },
}

/// Every running node: active ones, decommissioned ones waiting to come back.
pub(crate) struct Fleet {
    nodes: BTreeMap<Ed25519PublicKey, Node<MemoryStore>>,
    records: HashMap<Ed25519PublicKey, ServiceNode>,
    /// The network as the last block left it, shared by every node.
    view: Arc<NetworkView>,
    /// Replies nodes keep until their swarm peers have answered, and who waits for each.
    waiting: HashMap<(Ed25519PublicKey, PendingId), ReplyTo>,
    subs: HashMap<u64, Sub>,
    next_ip: u32,
    /// Message copies nodes received in replication pushes that they did not hold.
    pub(crate) migrated: usize,
    /// Replication batches a node refused.
    pub(crate) bad_pushes: usize,
}

impl Fleet {
    pub(crate) fn new() -> Self {
        Fleet {
            nodes: BTreeMap::new(),
            records: HashMap::new(),
            view: Arc::new(NetworkView::default()),
            waiting: HashMap::new(),
            subs: HashMap::new(),
            next_ip: 0,
            migrated: 0,
            bad_pushes: 0,
        }
    }

    /// Starts a node with a fresh key: it knows the current network, which does not list it
    /// before the next block.
    pub(crate) fn start(&mut self, rng: &mut ChaCha20Rng) -> Ed25519PublicKey {
        let identity = Identity::generate(rng);
        self.next_ip += 1;
        let [_, a, b, c] = self.next_ip.to_be_bytes();
        let record = session_node::testing::service_node(&identity, [10, a, b, c], 0);
        let key = identity.ed25519_public();
        let node = Node::with_network(
            identity,
            MemoryStore::new(),
            Arc::clone(&self.view),
            NodeConfig::default(),
        );
        self.nodes.insert(key, node);
        self.records.insert(key, record);
        key
    }

    /// Shuts a node down, its storage with it; the clients waiting for its replies see their
    /// connections fail.
    pub(crate) fn stop(&mut self, key: &Ed25519PublicKey, now: Timestamp, net: &mut Network) {
        self.nodes.remove(key);
        self.records.remove(key);
        let mut orphaned: Vec<ReplyTo> = Vec::new();
        self.waiting.retain(|(node, _), to| {
            let keep = node != key;
            if !keep {
                orphaned.push(*to);
            }
            keep
        });
        // In token order, so that runs stay reproducible.
        orphaned.sort_by_key(|to| to.token);
        for to in orphaned {
            net.send(
                now,
                Addr::Node(*key),
                to.addr,
                to.token,
                Packet::Unreachable,
            );
        }
    }

    /// The node list oxend publishes: the record of every node in `swarms`, with its swarm.
    pub(crate) fn node_list(
        &self,
        swarms: &BTreeMap<session_core::SwarmId, Vec<Ed25519PublicKey>>,
    ) -> Vec<ServiceNode> {
        let mut list = Vec::new();
        for (id, members) in swarms {
            for key in members {
                if let Some(record) = self.records.get(key) {
                    list.push(ServiceNode {
                        swarm_id: *id,
                        ..*record
                    });
                }
            }
        }
        list
    }

    /// A new block: every running node takes the network `list` makes (one view, shared)
    /// and sends the replication pushes its migration plan calls for (unless `replicate` is
    /// off). Returns the batches sent.
    pub(crate) fn new_block(
        &mut self,
        now: Timestamp,
        height: u64,
        list: &[ServiceNode],
        replicate: bool,
        net: &mut Network,
    ) -> usize {
        self.view = Arc::new(NetworkView::from_nodes(list.iter().copied()));
        let mut sent = 0;
        for (key, node) in &mut self.nodes {
            let hardfork = node.config().hardfork;
            node.set_chain_state(height, hardfork);
            // A MemoryStore does not fail.
            let Ok(pushes) = node.set_network(now, Arc::clone(&self.view));
            if !replicate {
                continue;
            }
            for peer in pushes {
                for batch in peer.batches {
                    net.send(
                        now,
                        Addr::Node(*key),
                        Addr::Node(peer.to.ed25519),
                        0,
                        Packet::Push(batch),
                    );
                    sent += 1;
                }
            }
        }
        sent
    }

    /// Delivers a message addressed to a node.
    pub(crate) fn deliver(
        &mut self,
        env: Envelope,
        key: Ed25519PublicKey,
        net: &mut Network,
        rng: &mut ChaCha20Rng,
    ) {
        let at = env.at;
        if let Packet::Answer { .. } | Packet::Unreachable = env.packet {
            self.answer(env, net, rng);
            return;
        }
        let Some(node) = self.nodes.get_mut(&key) else {
            if !matches!(env.packet, Packet::Push(_)) {
                net.reply(&env, at, Packet::Unreachable);
            }
            return;
        };
        let handled = match &env.packet {
            Packet::Http { path, body } => node.handle_http(at, rng, &Request::post(path, body)),
            Packet::Onion(message) => node.handle_onion_forward(at, rng, message),
            Packet::Peer { method, body } => {
                let (status, body, _) = node.handle_peer_request(at, method, body);
                net.reply(&env, at, Packet::Answer { status, body });
                return;
            }
            Packet::Push(batch) => {
                match node.receive_push(at, batch) {
                    Ok(stats) => self.migrated += stats.inserted,
                    Err(_) => self.bad_pushes += 1,
                }
                return;
            }
            Packet::Answer { .. } | Packet::Unreachable => return,
        };
        let reply_to = ReplyTo {
            addr: env.from,
            token: env.token,
        };
        self.after(key, at, Some(reply_to), handled, net);
    }

    /// Sends what node `key` asks for in `handled`: its forwards, the onion layer it relays,
    /// its response. A response that waits for the node's peers goes to `reply_to` once
    /// they have answered (a later `handled` with the same id carries it).
    fn after(
        &mut self,
        key: Ed25519PublicKey,
        at: Timestamp,
        reply_to: Option<ReplyTo>,
        handled: Handled,
        net: &mut Network,
    ) {
        for forward in handled.forwards {
            let token = net.token();
            let peer = forward.to.ed25519;
            self.subs.insert(
                token,
                Sub::Peer {
                    from: key,
                    id: forward.id,
                },
            );
            let packet = Packet::Peer {
                method: forward.method,
                body: forward.body,
            };
            net.send(at, Addr::Node(key), Addr::Node(peer), token, packet);
        }
        let reply_to = match (handled.pending, reply_to) {
            (Some(id), Some(to)) => {
                self.waiting.insert((key, id), to);
                Some(to)
            }
            (Some(id), None) => self.waiting.get(&(key, id)).copied(),
            (None, to) => to,
        };
        let Some(reply_to) = reply_to else {
            return;
        };
        if let Some(response) = handled.response {
            if let Some(id) = handled.pending {
                self.waiting.remove(&(key, id));
            }
            let packet = Packet::Answer {
                status: response.status,
                body: response.body,
            };
            net.send(at, Addr::Node(key), reply_to.addr, reply_to.token, packet);
            return;
        }
        match handled.relay {
            Some(Relay::Node { to, message }) => {
                let token = net.token();
                self.subs.insert(
                    token,
                    Sub::Relay {
                        from: key,
                        to,
                        reply_to,
                    },
                );
                net.send(
                    at,
                    Addr::Node(key),
                    Addr::Node(to),
                    token,
                    Packet::Onion(message),
                );
            }
            Some(Relay::Server { .. }) => {
                let packet = Packet::Answer {
                    status: 502,
                    body: b"no external servers in the simulation".to_vec(),
                };
                net.send(at, Addr::Node(key), reply_to.addr, reply_to.token, packet);
            }
            None => {}
        }
    }

    /// An answer to a forward or to a relayed onion layer.
    fn answer(&mut self, env: Envelope, net: &mut Network, rng: &mut ChaCha20Rng) {
        let Some(sub) = self.subs.remove(&env.token) else {
            return;
        };
        let answer = match env.packet {
            Packet::Answer { status, body } => Some((status, body)),
            _ => None,
        };
        match sub {
            Sub::Peer { from, id } => {
                let Some(node) = self.nodes.get_mut(&from) else {
                    return;
                };
                let code = answer
                    .as_ref()
                    .map_or(String::new(), |(s, _)| s.to_string());
                let reply = match &answer {
                    Some((200, body)) => PeerReply::Reply(body),
                    Some((_, body)) => PeerReply::Error {
                        code: &code,
                        reason: std::str::from_utf8(body).unwrap_or(""),
                    },
                    None => PeerReply::Timeout,
                };
                let handled = node.peer_answered(env.at, rng, id, reply);
                self.after(from, env.at, None, handled, net);
            }
            // The next hop's answer goes back unchanged, as the storage server relays it.
            Sub::Relay { from, to, reply_to } => {
                let packet = match answer {
                    Some((status, body)) => Packet::Answer { status, body },
                    None => Packet::Answer {
                        status: 502,
                        body: format!("Next node is unreachable: {to}").into_bytes(),
                    },
                };
                net.send(
                    env.at,
                    Addr::Node(from),
                    reply_to.addr,
                    reply_to.token,
                    packet,
                );
            }
        }
    }
}
