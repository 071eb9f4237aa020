//! The service nodes: one [`session_node::Node`] per node, each on its own [`MemoryStore`],
//! and the runtime around them that a real node's HTTPS and OxenMQ servers provide: what a
//! node returns (forwards to its swarm peers, an onion layer to relay, replication pushes) is
//! sent through the simulated network, and a request it forwarded is answered once every
//! peer has answered, the peers' replies merged in with [`with_peer_replies`].

use std::collections::{BTreeMap, HashMap};

use chacha20::ChaCha20Rng;
use session_core::{Ed25519PublicKey, Identity, ServiceNode, Timestamp};
use session_node::{Handled, Node, NodeConfig, PeerReply, Relay, Request, Response};
use session_storage::MemoryStore;

use crate::net::{Addr, Envelope, Network, Packet};

/// An answer's status and body; `None` when the addressee was unreachable.
type Answer = Option<(u16, Vec<u8>)>;

/// A request a node is working on: it answers `reply_to` once `waiting` reaches zero.
struct Job {
    node: Ed25519PublicKey,
    reply_to: Addr,
    token: u64,
    response: Option<Response>,
    peers: Vec<(Ed25519PublicKey, Answer)>,
    waiting: usize,
}

/// What an outgoing request of a job is.
enum Sub {
    /// A forward to this swarm peer.
    Peer(Ed25519PublicKey),
    /// The onion layer relayed to the next hop; its answer is the job's.
    Relay(Ed25519PublicKey),
}

/// Every running node: active ones, decommissioned ones waiting to come back.
pub(crate) struct Fleet {
    nodes: BTreeMap<Ed25519PublicKey, Node<MemoryStore>>,
    records: HashMap<Ed25519PublicKey, ServiceNode>,
    jobs: HashMap<u64, Job>,
    subs: HashMap<u64, (u64, Sub)>,
    next_job: u64,
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
            jobs: HashMap::new(),
            subs: HashMap::new(),
            next_job: 0,
            next_ip: 0,
            migrated: 0,
            bad_pushes: 0,
        }
    }

    /// Starts a node with a fresh key: it knows no other node until the next node list.
    pub(crate) fn start(&mut self, rng: &mut ChaCha20Rng) -> Ed25519PublicKey {
        let identity = Identity::generate(rng);
        self.next_ip += 1;
        let [_, a, b, c] = self.next_ip.to_be_bytes();
        let record = session_node::testing::service_node(&identity, [10, a, b, c], 0);
        let key = identity.ed25519_public();
        let node = Node::new(
            identity,
            MemoryStore::new(),
            std::iter::empty(),
            NodeConfig::default(),
        );
        self.nodes.insert(key, node);
        self.records.insert(key, record);
        key
    }

    /// Shuts a node down, its storage with it.
    pub(crate) fn stop(&mut self, key: &Ed25519PublicKey) {
        self.nodes.remove(key);
        self.records.remove(key);
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

    /// A new block: every running node takes the node list and sends the replication pushes
    /// its migration plan calls for (unless `replicate` is off). Returns the batches sent.
    pub(crate) fn new_block(
        &mut self,
        now: Timestamp,
        height: u64,
        list: &[ServiceNode],
        replicate: bool,
        net: &mut Network,
    ) -> usize {
        let mut sent = 0;
        for (key, node) in &mut self.nodes {
            let hardfork = node.config().hardfork;
            node.set_chain_state(height, hardfork);
            // A MemoryStore does not fail.
            let Ok(pushes) = node.new_swarm_map(now, list.iter().copied());
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
            self.answer(env, net);
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
        self.begin(key, &env, handled, net);
    }

    /// Sends what `handled` asks for; answers at once if it asks for nothing.
    fn begin(
        &mut self,
        key: Ed25519PublicKey,
        env: &Envelope,
        handled: Handled,
        net: &mut Network,
    ) {
        let at = env.at;
        self.next_job += 1;
        let id = self.next_job;
        let mut job = Job {
            node: key,
            reply_to: env.from,
            token: env.token,
            response: handled.response,
            peers: Vec::new(),
            waiting: 0,
        };
        for forward in handled.forwards {
            let token = net.token();
            let peer = forward.to.ed25519;
            self.subs.insert(token, (id, Sub::Peer(peer)));
            let packet = Packet::Peer {
                method: forward.method,
                body: forward.body,
            };
            net.send(at, Addr::Node(key), Addr::Node(peer), token, packet);
            job.waiting += 1;
        }
        match handled.relay {
            Some(Relay::Node { to, message }) => {
                let token = net.token();
                self.subs.insert(token, (id, Sub::Relay(to)));
                net.send(
                    at,
                    Addr::Node(key),
                    Addr::Node(to),
                    token,
                    Packet::Onion(message),
                );
                job.waiting += 1;
            }
            Some(Relay::Server { .. }) => {
                job.response = Some(Response::text(502, "no external servers in the simulation"));
            }
            None => {}
        }
        if job.waiting == 0 {
            finish(job, at, net);
        } else {
            self.jobs.insert(id, job);
        }
    }

    /// An answer to a forward or a relayed onion layer.
    fn answer(&mut self, env: Envelope, net: &mut Network) {
        let Some((id, sub)) = self.subs.remove(&env.token) else {
            return;
        };
        let Some(job) = self.jobs.get_mut(&id) else {
            return;
        };
        let answer = match env.packet {
            Packet::Answer { status, body } => Some((status, body)),
            _ => None,
        };
        match sub {
            Sub::Peer(peer) => job.peers.push((peer, answer)),
            // The next hop's answer goes back unchanged, as the storage server relays it.
            Sub::Relay(next) => {
                job.response = Some(match answer {
                    Some((status, body)) => Response {
                        status,
                        headers: Vec::new(),
                        body,
                    },
                    None => Response::text(502, &format!("Next node is unreachable: {next}")),
                });
            }
        }
        job.waiting = job.waiting.saturating_sub(1);
        if job.waiting == 0
            && let Some(job) = self.jobs.remove(&id)
        {
            finish(job, env.at, net);
        }
    }
}

/// Answers a job: its node's response with the peers' answers merged in.
fn finish(job: Job, at: Timestamp, net: &mut Network) {
    let response = job
        .response
        .unwrap_or_else(|| Response::text(500, "Internal error"));
    let codes: Vec<String> = job
        .peers
        .iter()
        .map(|(_, a)| a.as_ref().map_or(String::new(), |(s, _)| s.to_string()))
        .collect();
    let replies = job.peers.iter().zip(&codes).map(|((peer, answer), code)| {
        let reply = match answer {
            Some((200, body)) => PeerReply::Reply(body),
            Some((_, body)) => PeerReply::Error {
                code,
                reason: std::str::from_utf8(body).unwrap_or(""),
            },
            None => PeerReply::Timeout,
        };
        (*peer, reply)
    });
    let response = session_node::with_peer_replies(&response, replies);
    net.send(
        at,
        Addr::Node(job.node),
        job.reply_to,
        job.token,
        Packet::Answer {
            status: response.status,
            body: response.body,
        },
    );
}
