//! Chapter 1: a few hundred service nodes register on chain (each registration checked with
//! the staking rules and its signature), then the swarm rules place them. Next to the Oxen-era
//! registration, the same node registers as it does on today's Session Network: with the
//! rewards contract on Arbitrum, a BLS key and its proof of possession.
//!
//! Every service node is a `session_node::Node`, the storage server's application: the tour
//! plays the part of the runtime around them (sockets, clock, the chain's node list), carrying
//! requests to them as bytes and delivering what they ask to send to one another.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use chacha20::ChaCha20Rng;
use rand_core::Rng;
use session_infra::common::{Ed25519PublicKey, Identity, Network as Chain, ServiceNode, SwarmId};
use session_infra::common::{SessionId, Timestamp};
use session_infra::node::Response;
use session_infra::node::{Forward, ForwardId, Handled, Node, NodeConfig, PeerReply, Request};
use session_infra::staking::bls::{
    BlsSecretKey, Domain, EthAddress, Registration as SessionNetworkRegistration,
    proof_of_possession_message, verify_registration as verify_session_network_registration,
};
use session_infra::staking::crypto::{SecretKey, keccak256};
use session_infra::staking::registration::{registration_hash, validate_registration};
use session_infra::staking::requirement::fixed_staking_requirement;
use session_infra::staking::tx_extra::Registration;
use session_infra::staking::{COIN, HardFork, hard_fork_at, staking_requirement};
use session_infra::storage::MemoryStore;
use session_infra::swarm::{OxendSwarms, SwarmEvent, SwarmMap};

use crate::narrate::{Narrator, grouped, short, swarm_name};

/// The chain height the tour starts at (mainnet, hard fork 19: OXEN-staked registrations).
pub const START_HEIGHT: u64 = 1_500_000;
/// The time the tour starts at: 2026-01-01 00:00:00 UTC, in milliseconds.
pub const START_TIME: Timestamp = Timestamp(1_767_225_600_000);
/// One block every two minutes.
pub const BLOCK_MS: u64 = 120_000;
/// The storage-server version the nodes run (and announce in their records).
const VERSION: [u16; 3] = [2, 11, 0];

/// A registered node before it runs: a short name for people, its identity keys and the
/// record the chain lists.
struct Registered {
    name: String,
    identity: Identity,
    record: ServiceNode,
}

/// One service node: its name, the record the chain lists for it, and the node itself.
pub struct Host {
    /// A short name for people ("sn042"); the network knows it by its Ed25519 key.
    pub name: String,
    /// Its entry in the chain's node list (what `get_service_nodes` lists).
    pub record: ServiceNode,
    /// The storage server: keys, message store, swarm view.
    pub node: Node<MemoryStore>,
    /// Its stake is unlocked: it hands its messages over at the next block, then goes.
    leaving: bool,
}

/// What a block did: the swarm rules' changes and the replication pushes they caused.
pub struct Block {
    pub events: Vec<SwarmEvent<Ed25519PublicKey>>,
    pub pushes: Vec<Push>,
}

/// One node's replication push to another after a block.
pub struct Push {
    pub from: Ed25519PublicKey,
    pub to: Ed25519PublicKey,
    /// Messages in the push.
    pub messages: usize,
    /// Encoded size of its batches.
    pub bytes: usize,
    /// Messages the receiver did not hold yet.
    pub stored: usize,
}

/// A swarm peer's answer to a request its entry node forwarded.
pub struct PeerAnswer {
    /// The forward it answers, as the entry node named it.
    pub id: ForwardId,
    pub peer: Ed25519PublicKey,
    pub method: &'static str,
    /// The bencoded request's size.
    pub request_len: usize,
    pub status: u16,
    /// The bencoded reply.
    pub body: Vec<u8>,
}

/// The whole network, in one process.
pub struct Network {
    pub hosts: BTreeMap<Ed25519PublicKey, Host>,
    /// The chain's swarm rules (oxend's side: nodes are placed by the chain, not by
    /// themselves).
    pub swarms: OxendSwarms<Ed25519PublicKey>,
    pub height: u64,
    pub now: Timestamp,
}

impl Network {
    /// Registers `count` nodes, checking every registration, starts them and forms the
    /// swarms.
    pub fn launch(count: usize, rng: &mut ChaCha20Rng, out: &mut Narrator) -> Network {
        out.chapter("A network of staked service nodes");
        let height = START_HEIGHT;
        let hf = hard_fork_at(Chain::Mainnet, height);
        let requirement = staking_requirement(Chain::Mainnet, height);
        out.step(format!(
            "Chain height {height} ({hf}): running a service node takes a stake of {} OXEN.",
            grouped(requirement / COIN)
        ));

        let mut registered = BTreeMap::new();
        let mut solo = 0;
        let mut details = Vec::new();
        for i in 0..count {
            let (reg, sn_key) = registration(i, requirement, rng);
            let verified = validate_registration(&reg, &sn_key, hf, requirement, 0)
                .unwrap_or_else(|e| panic!("registration {i} refused: {e:?}"));
            if verified.terms.reserved.len() == 1 {
                solo += 1;
            }
            let node = new_node(i, rng);
            if i < 3 {
                details.push(format!(
                    "{}: registration signed by service-node key {}, {} contributor(s), fee {} %, \
                     signature and terms valid",
                    node.name,
                    short(&sn_key.0),
                    verified.terms.reserved.len(),
                    reg.fee as f64 / 100.0
                ));
            }
            registered.insert(node.identity.ed25519_public(), node);
        }
        out.step(format!(
            "{count} nodes register ({solo} staked by their operator alone, the others shared \
             with 2 contributors); each registration's signature and terms are checked."
        ));
        for detail in details {
            out.detail(detail);
        }

        // Someone edits a signed registration to give the operator a bigger share.
        let (mut forged, sn_key) = registration(1, requirement, rng);
        forged.amounts = vec![requirement / 10 * 6, requirement / 5, requirement / 5];
        let errors = validate_registration(&forged, &sn_key, hf, requirement, 0).unwrap_err();
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        out.step(format!(
            "A tampered registration (amounts changed after signing) is refused: {}.",
            errors.join("; ")
        ));
        assert_eq!(hf, HardFork::Hf19);
        if let Some(node) = registered.values().next() {
            session_network_registration(node, out);
        }

        // Each node starts with the chain's node list, in which nobody has a swarm yet.
        let list: Vec<ServiceNode> = registered.values().map(|r| r.record).collect();
        let config = NodeConfig {
            network: Chain::Mainnet,
            version: VERSION,
            height,
            ..NodeConfig::default()
        };
        let mut swarms = OxendSwarms::new();
        let mut hosts = BTreeMap::new();
        for (key, r) in registered {
            swarms.add_node(key);
            let node = Node::new(r.identity, MemoryStore::new(), list.clone(), config);
            let host = Host {
                name: r.name,
                record: r.record,
                node,
                leaving: false,
            };
            hosts.insert(key, host);
        }
        let mut net = Network {
            hosts,
            swarms,
            height,
            now: START_TIME,
        };
        let block = net.next_block(rng);
        let joined = block
            .events
            .iter()
            .filter(|e| matches!(e, SwarmEvent::NodeJoined { .. }))
            .count();
        out.step(format!(
            "The next block places them with oxend's swarm rules: {joined} nodes in {} swarms \
             ({}); each node reads its swarm from the new node list.",
            net.swarms.swarm_count(),
            net.size_summary()
        ));
        let mut by_name: Vec<&Host> = net.hosts.values().collect();
        by_name.sort_by(|a, b| a.name.cmp(&b.name));
        for host in by_name.into_iter().take(3) {
            let swarm = host.node.swarm_id().expect("placed");
            let peers: Vec<Ed25519PublicKey> = net.swarms.swarms()[&swarm]
                .iter()
                .filter(|k| **k != host.record.ed25519)
                .copied()
                .collect();
            out.detail(format!(
                "{}: swarm {}, with {}",
                host.name,
                swarm_name(swarm),
                net.names(&peers)
            ));
        }
        net
    }

    /// Mines a block: the swarm rules run with its hash and the clock moves on; every node
    /// takes the new node list, and the replication pushes it returns are delivered. Nodes
    /// whose stake was unlocked hand their messages over, then leave.
    pub fn next_block(&mut self, rng: &mut ChaCha20Rng) -> Block {
        self.height += 1;
        self.now = self.now.saturating_add_millis(BLOCK_MS);
        let mut hash = [0u8; 32];
        rng.fill_bytes(&mut hash);
        let events = self.swarms.rebalance_block(&hash);
        for host in self.hosts.values_mut() {
            host.record.swarm_id = self
                .swarms
                .swarm_of(&host.record.ed25519)
                .unwrap_or(SwarmId::UNASSIGNED);
        }
        let list = self.records();
        let mut outgoing = Vec::new();
        for (key, host) in &mut self.hosts {
            let hardfork = host.node.config().hardfork;
            host.node.set_chain_state(self.height, hardfork);
            let pushes = host
                .node
                .new_swarm_map(self.now, list.iter().copied())
                .expect("the memory store cannot fail");
            outgoing.extend(pushes.into_iter().map(|p| (*key, p)));
        }
        let mut pushes = Vec::new();
        for (from, push) in outgoing {
            let to = push.to.ed25519;
            let target = &mut self.hosts.get_mut(&to).expect("a listed node").node;
            let mut stored = 0;
            for batch in &push.batches {
                stored += target
                    .receive_push(self.now, batch)
                    .expect("a valid batch")
                    .inserted;
            }
            pushes.push(Push {
                from,
                to,
                messages: push.messages,
                bytes: push.batches.iter().map(Vec::len).sum(),
                stored,
            });
        }
        self.hosts.retain(|_, h| !h.leaving);
        Block { events, pushes }
    }

    /// The operators of `keys` unlock their stakes: the chain drops the nodes from its swarms
    /// at the next block.
    pub fn unlock(&mut self, keys: &[Ed25519PublicKey]) {
        for key in keys {
            self.swarms.remove_node(key);
            if let Some(host) = self.hosts.get_mut(key) {
                host.leaving = true;
            }
        }
    }

    /// A POST of `body` to `path` on node `to`'s HTTPS port.
    pub fn post(
        &mut self,
        to: &Ed25519PublicKey,
        path: &str,
        body: &[u8],
        rng: &mut ChaCha20Rng,
    ) -> Handled {
        let now = self.now;
        self.host_mut(to)
            .node
            .handle_http(now, rng, &Request::post(path, body))
    }

    /// An onion layer passed to node `to` by the previous hop.
    pub fn onion_forward(
        &mut self,
        to: &Ed25519PublicKey,
        message: &[u8],
        rng: &mut ChaCha20Rng,
    ) -> Handled {
        let now = self.now;
        self.host_mut(to)
            .node
            .handle_onion_forward(now, rng, message)
    }

    /// Delivers requests an entry node forwards to its swarm peers; returns their answers.
    pub fn deliver(&mut self, forwards: Vec<Forward>) -> Vec<PeerAnswer> {
        let now = self.now;
        forwards
            .into_iter()
            .map(|f| {
                let node = &mut self.host_mut(&f.to.ed25519).node;
                let (status, body, _notifications) =
                    node.handle_peer_request(now, f.method, &f.body);
                PeerAnswer {
                    id: f.id,
                    peer: f.to.ed25519,
                    method: f.method,
                    request_len: f.body.len(),
                    status,
                    body,
                }
            })
            .collect()
    }

    /// Node `at` answered with `handled`: while its reply waits for its swarm peers, delivers
    /// the requests it forwards and passes their answers back, until it sends the reply.
    /// Returns the reply and the peers' answers.
    pub fn complete(
        &mut self,
        at: &Ed25519PublicKey,
        mut handled: Handled,
        rng: &mut ChaCha20Rng,
    ) -> (Response, Vec<PeerAnswer>) {
        let mut answers = Vec::new();
        loop {
            if let Some(response) = handled.response.take() {
                return (response, answers);
            }
            assert!(
                handled.pending.is_some(),
                "{} answered nothing",
                self.name(at)
            );
            let delivered = self.deliver(std::mem::take(&mut handled.forwards));
            assert!(
                !delivered.is_empty(),
                "a waiting reply has peers to hear from"
            );
            let now = self.now;
            let node = &mut self.host_mut(at).node;
            for answer in &delivered {
                let code = answer.status.to_string();
                let reply = match answer.status {
                    200 => PeerReply::Reply(&answer.body),
                    _ => PeerReply::Error {
                        code: &code,
                        reason: std::str::from_utf8(&answer.body).unwrap_or(""),
                    },
                };
                let next = node.peer_answered(now, rng, answer.id, reply);
                if next.response.is_some() || !next.forwards.is_empty() {
                    handled = next;
                }
            }
            answers.extend(delivered);
        }
    }

    pub fn host(&self, key: &Ed25519PublicKey) -> &Host {
        self.hosts.get(key).expect("a node of the network")
    }

    fn host_mut(&mut self, key: &Ed25519PublicKey) -> &mut Host {
        self.hosts.get_mut(key).expect("a node of the network")
    }

    /// The current swarm map, as a client builds it from the node list.
    pub fn map(&self) -> SwarmMap<Ed25519PublicKey> {
        SwarmMap::from_nodes(self.records().iter().map(|r| (r.ed25519, r.swarm_id)))
    }

    /// The swarm of a Session ID and its members' names.
    pub fn swarm_for(&self, id: &SessionId) -> (SwarmId, Vec<Ed25519PublicKey>) {
        let map = self.map();
        let (swarm, members) = map.members_for(id).expect("the network has swarms");
        (swarm, members.to_vec())
    }

    pub fn name(&self, key: &Ed25519PublicKey) -> &str {
        self.hosts.get(key).map_or("?", |n| n.name.as_str())
    }

    pub fn names(&self, keys: &[Ed25519PublicKey]) -> String {
        keys.iter()
            .map(|k| self.name(k))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The chain's node list (what `get_service_nodes` lists): every node whose stake is
    /// still locked.
    pub fn records(&self) -> Vec<ServiceNode> {
        self.hosts
            .values()
            .filter(|h| !h.leaving)
            .map(|h| h.record)
            .collect()
    }

    /// "3 of 5, 10 of 6, 25 of 7": how many swarms have each size.
    pub fn size_summary(&self) -> String {
        let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
        for members in self.swarms.swarms().values() {
            *sizes.entry(members.len()).or_default() += 1;
        }
        let parts: Vec<String> = sizes
            .iter()
            .enumerate()
            .map(|(i, (size, n))| match i {
                0 => format!("{n} of {size} nodes"),
                _ => format!("{n} of {size}"),
            })
            .collect();
        parts.join(", ")
    }
}

/// The same kind of registration on the Session Network (HF21 on): the operator stakes SESH
/// in the rewards contract, which checks the node's BLS proof of possession; oxend then checks
/// the node's Ed25519 signature over `Ed25519 key ‖ BLS key`.
fn session_network_registration(node: &Registered, out: &mut Narrator) {
    let requirement = fixed_staking_requirement(Chain::Mainnet, HardFork::Hf21);
    // Derived from the node's name rather than drawn from the tour's generator, so that the
    // rest of the story stays the same.
    let derive = |what: &str| keccak256(format!("tour {what} {}", node.name).as_bytes());
    let bls = BlsSecretKey::from_bytes(&derive("bls"));
    let mut operator = [0u8; 20];
    operator.copy_from_slice(&derive("operator")[..20]);
    let operator = EthAddress(operator);
    let domain = Domain::MAINNET;
    let service_node_key = node.identity.ed25519_public();
    let pop_message =
        proof_of_possession_message(&domain, &bls.public_key(), &operator, &service_node_key);
    let mut signed = service_node_key.as_bytes().to_vec();
    signed.extend(bls.public_key().to_bytes());
    let registration = SessionNetworkRegistration {
        bls_public_key: bls.public_key(),
        service_node_key,
        operator,
        proof_of_possession: bls.sign(&domain, &pop_message),
        ed25519_signature: session_infra::common::Ed25519Signature::from_bytes(
            node.identity.sign(&signed),
        ),
    };
    verify_session_network_registration(&domain, &registration)
        .unwrap_or_else(|e| panic!("Session Network registration refused: {e}"));
    out.step(format!(
        "On today's Session Network, registrations go to the rewards contract on Arbitrum \
         (chain {}) with a stake of {} SESH: {}'s, with its BLS key's proof of possession and \
         its Ed25519 signature, verifies as the contract and oxend check it.",
        domain.chain_id(),
        grouped(requirement / COIN),
        node.name
    ));
    out.detail(format!(
        "{}: BLS key {}, operator 0x{}, Ed25519 key {}",
        node.name,
        short(&bls.public_key().to_bytes()),
        short(operator.as_bytes()),
        short(service_node_key.as_bytes())
    ));
    let other = EthAddress([0xee; 20]);
    let stolen = SessionNetworkRegistration {
        operator: other,
        ..registration
    };
    let error = verify_session_network_registration(&domain, &stolen).unwrap_err();
    out.step(format!(
        "Replayed by another operator, the same signatures are refused: {error}."
    ));
}

/// A node with fresh keys and an address.
fn new_node(i: usize, rng: &mut ChaCha20Rng) -> Registered {
    let identity = Identity::generate(rng);
    let mut ip = [0u8; 4];
    rng.fill_bytes(&mut ip);
    ip[0] = ip[0].clamp(1, 223); // a unicast address
    let record = ServiceNode {
        ed25519: identity.ed25519_public(),
        x25519: identity.x25519_public(),
        ip: Ipv4Addr::from(ip),
        https_port: 22021,
        omq_port: 22020,
        swarm_id: SwarmId::UNASSIGNED,
        version: Some(VERSION),
    };
    Registered {
        name: format!("sn{i:03}"),
        identity,
        record,
    }
}

/// A hard-fork-19 registration: every third node staked by its operator alone, the others
/// 50 % operator + 2 × 25 % contributors, signed by a fresh service-node key.
fn registration(
    i: usize,
    requirement: u64,
    rng: &mut ChaCha20Rng,
) -> (Registration, session_infra::staking::crypto::PublicKey) {
    let mut key = || {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        SecretKey::from_seed(&seed)
    };
    let sn_key = key();
    let amounts = if i.is_multiple_of(3) {
        vec![requirement]
    } else {
        vec![requirement / 2, requirement / 4, requirement / 4]
    };
    let spend_keys = amounts.iter().map(|_| key().public_key()).collect();
    let view_keys = amounts.iter().map(|_| key().public_key()).collect();
    let mut reg = Registration {
        spend_keys,
        view_keys,
        fee: if i.is_multiple_of(3) { 0 } else { 500 },
        amounts,
        hf_or_expiration: 19,
        signature: sn_key.sign(&[0; 32]),
    };
    reg.signature = sn_key.sign(&registration_hash(&reg).expect("lists of equal length"));
    (reg, sn_key.public_key())
}
