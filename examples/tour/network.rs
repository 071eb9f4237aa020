//! Chapter 1: a few hundred service nodes register on chain (each registration checked with
//! the staking rules and its signature), then the swarm rules place them. Next to the Oxen-era
//! registration, the same node registers as it does on today's Session Network: with the
//! rewards contract on Arbitrum, a BLS key and its proof of possession.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use chacha20::ChaCha20Rng;
use rand_core::Rng;
use session_infra::common::{Ed25519PublicKey, Identity, Network as Chain, ServiceNode, SwarmId};
use session_infra::common::{SessionId, Timestamp};
use session_infra::onion::NodeKey;
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

use crate::narrate::{Narrator, grouped, short};

/// The chain height the tour starts at (mainnet, hard fork 19: OXEN-staked registrations).
pub const START_HEIGHT: u64 = 1_500_000;
/// The time the tour starts at: 2026-01-01 00:00:00 UTC, in milliseconds.
pub const START_TIME: Timestamp = Timestamp(1_767_225_600_000);
/// One block every two minutes.
pub const BLOCK_MS: u64 = 120_000;

/// One service node: its identity keys, its public record, and its message store.
pub struct Node {
    /// A short name for people ("sn042"); the network knows it by its Ed25519 key.
    pub name: String,
    pub identity: Identity,
    pub key: NodeKey,
    pub record: ServiceNode,
    pub store: MemoryStore,
}

/// The whole network, in one process.
pub struct Network {
    pub nodes: BTreeMap<Ed25519PublicKey, Node>,
    pub swarms: OxendSwarms<Ed25519PublicKey>,
    pub height: u64,
    pub now: Timestamp,
}

impl Network {
    /// Registers `count` nodes, checking every registration, and forms the swarms.
    pub fn launch(count: usize, rng: &mut ChaCha20Rng, out: &mut Narrator) -> Network {
        out.chapter("A network of staked service nodes");
        let height = START_HEIGHT;
        let hf = hard_fork_at(Chain::Mainnet, height);
        let requirement = staking_requirement(Chain::Mainnet, height);
        out.step(format!(
            "Chain height {height} ({hf}): running a service node takes a stake of {} OXEN.",
            grouped(requirement / COIN)
        ));

        let mut nodes = BTreeMap::new();
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
            nodes.insert(node.identity.ed25519_public(), node);
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
        if let Some(node) = nodes.values().next() {
            session_network_registration(node, out);
        }

        let mut swarms = OxendSwarms::new();
        for key in nodes.keys() {
            swarms.add_node(*key);
        }
        let mut net = Network {
            nodes,
            swarms,
            height,
            now: START_TIME,
        };
        let events = net.next_block(rng);
        let joined = events
            .iter()
            .filter(|e| matches!(e, SwarmEvent::NodeJoined { .. }))
            .count();
        out.step(format!(
            "The next block places them with oxend's swarm rules: {joined} nodes in {} swarms \
             ({}).",
            net.swarms.swarm_count(),
            net.size_summary()
        ));
        net
    }

    /// Mines a block: the swarm rules run with its hash, and the clock moves on.
    pub fn next_block(&mut self, rng: &mut ChaCha20Rng) -> Vec<SwarmEvent<Ed25519PublicKey>> {
        self.height += 1;
        self.now = self.now.saturating_add_millis(BLOCK_MS);
        let mut hash = [0u8; 32];
        rng.fill_bytes(&mut hash);
        let events = self.swarms.rebalance_block(&hash);
        for (id, members) in self.swarms.swarms() {
            for m in members {
                if let Some(node) = self.nodes.get_mut(m) {
                    node.record.swarm_id = *id;
                }
            }
        }
        events
    }

    /// The current swarm map, as a client builds it from the node list.
    pub fn map(&self) -> SwarmMap<Ed25519PublicKey> {
        SwarmMap::new(self.swarms.to_map())
    }

    /// The swarm of a Session ID and its members' names.
    pub fn swarm_for(&self, id: &SessionId) -> (SwarmId, Vec<Ed25519PublicKey>) {
        let map = self.map();
        let (swarm, members) = map.members_for(id).expect("the network has swarms");
        (swarm, members.to_vec())
    }

    pub fn name(&self, key: &Ed25519PublicKey) -> &str {
        self.nodes.get(key).map_or("?", |n| n.name.as_str())
    }

    pub fn names(&self, keys: &[Ed25519PublicKey]) -> String {
        keys.iter()
            .map(|k| self.name(k))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Every node's public record (what `get_service_nodes` would list).
    pub fn records(&self) -> Vec<ServiceNode> {
        self.nodes.values().map(|n| n.record).collect()
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
fn session_network_registration(node: &Node, out: &mut Narrator) {
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
fn new_node(i: usize, rng: &mut ChaCha20Rng) -> Node {
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
        version: Some([2, 11, 0]),
    };
    Node {
        name: format!("sn{i:03}"),
        key: NodeKey::from(&identity),
        identity,
        record,
        store: MemoryStore::new(),
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
