//! A whole Session network in one process: service nodes registering and leaving block after
//! block, the swarm rules rebalancing them, clients storing messages in their swarms, and
//! every node replicating its messages when the swarms change, so that no message is lost.
//!
//! Every service node is a [`session_node::Node`] on its own
//! [`MemoryStore`](session_storage::MemoryStore): it answers the storage RPCs and onion
//! requests clients send, forwards stores to its swarm peers, relays onion layers, takes each
//! block's node list and pushes the records its migration plan calls for. The simulator plays
//! the rest of the world: oxend (registrations, deregistrations, decommissions, the swarm rules
//! of `session-swarm`), the runtime around each node (requests in, forwards, relays and pushes
//! out through the simulated network, with a latency model), and the clients (signed storage
//! RPCs, onion requests over three-node paths, swarm look-ups and 421 "wrong swarm" answers).
//!
//! Time is simulated: blocks are two minutes apart and every message arrives at its send time
//! plus a latency; the run depends only on [`Config`] (its seed included). At the end every
//! client reads its messages back from every member of its account's current swarm, and
//! [`Summary`] counts the copies that did not come back intact.
//!
//! The command-line front end is `cargo run --release -p network-sim -- --help`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use chacha20::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use session_core::{Ed25519PublicKey, Timestamp};
use session_swarm::{Policy, SwarmEvent, SwarmMap, swarm_space};

mod client;
mod fleet;
mod net;
mod swarms;

pub use client::{CONFIG_NAMESPACE, ClientStats, MAX_ATTEMPTS};
pub use net::Traffic;

use client::Clients;
use fleet::Fleet;
use net::{Addr, Network};
use swarms::Swarms;

/// Milliseconds between blocks (Oxen's two-minute target).
pub const BLOCK_MS: u64 = 120_000;
/// Blocks a decommissioned node stays out before it is recommissioned.
const DECOMMISSION_BLOCKS: u64 = 10;
/// Clients send a block's messages within this many milliseconds of the block.
const SEND_WINDOW_MS: u64 = 60_000;
/// The final check's reads are spread over this many milliseconds.
const CHECK_WINDOW_MS: u64 = 10_000;
/// The most one-way latency a run accepts, so that every request of a block, its retries
/// and their answers are over before the next block (five onion attempts at the longest
/// latency take under 40 s, after a send window of 60 s).
pub const MAX_LATENCY_MS: u64 = 500;

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Config {
    /// Nodes registered at the start.
    pub nodes: usize,
    /// Blocks of churn after the start.
    pub blocks: u64,
    /// Node changes per block (registrations, deregistrations, decommissions).
    pub churn: usize,
    /// Percentage of the changes that are registrations; up to 10 % are decommissions, the
    /// rest deregistrations.
    pub join_pct: u64,
    /// Messages stored per block.
    pub messages: usize,
    /// Distinct accounts the messages go to.
    pub accounts: usize,
    /// Percentage of client requests sent as onion requests (the rest go straight to a
    /// swarm member).
    pub onion_pct: u64,
    /// Mean one-way latency between any two parties, milliseconds (at most
    /// [`MAX_LATENCY_MS`]).
    pub latency_ms: u64,
    /// Whether nodes send the replication pushes their migration plans call for (without
    /// them, the final check finds the copies that churn cost).
    pub replicate: bool,
    /// The swarm policy.
    pub policy: Policy,
    /// The seed of the simulation's RNG (the run is deterministic).
    pub seed: u64,
    /// The chain's time at the first block.
    pub start: Timestamp,
}

impl Config {
    /// Defaults for `nodes` nodes: churn of 0.5 % of the nodes per block (at least 10), one
    /// message per 10 nodes per block (10..=5,000), half the requests over onion paths, 50 ms
    /// latency, oxend's rules up to 20,000 nodes and the scalable policy above.
    #[must_use]
    pub fn for_nodes(nodes: usize) -> Self {
        Config {
            nodes,
            blocks: 50,
            churn: (nodes / 200).max(10),
            join_pct: 45,
            messages: (nodes / 10).clamp(10, 5_000),
            accounts: (nodes / 2).clamp(100, 200_000),
            onion_pct: 50,
            latency_ms: 50,
            replicate: true,
            policy: if nodes <= 20_000 {
                Policy::OxendCompat
            } else {
                Policy::Scalable
            },
            seed: 1,
            start: Timestamp::from_millis(1_767_225_600_000),
        }
    }
}

/// What one block did.
#[derive(Debug, Clone, Default)]
pub struct BlockReport {
    /// The block number (0: the bootstrap block).
    pub block: u64,
    /// Nodes in swarms after it.
    pub nodes: usize,
    /// Swarms after it.
    pub swarms: usize,
    /// Nodes registered (and recommissioned) in it.
    pub joined: usize,
    /// Nodes deregistered (and decommissioned) in it.
    pub left: usize,
    /// Swarms the rules created.
    pub created: usize,
    /// Swarms dissolved (by the rules, or because their last member left).
    pub dissolved: usize,
    /// Replication batches the nodes pushed.
    pub pushes: usize,
    /// Message copies nodes received in those pushes that they did not hold.
    pub migrated: usize,
    /// Messages stored (acknowledged by their swarm) in it.
    pub stored: usize,
    /// Wall time of the block: churn, rules, every node's new node list and pushes, and the
    /// clients' requests.
    pub time: Duration,
}

/// The outcome of a run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Nodes in swarms at the end.
    pub nodes: usize,
    /// Swarms at the end.
    pub swarms: usize,
    /// Smallest, median and largest swarm at the end.
    pub swarm_sizes: (usize, usize, usize),
    /// Messages stored (acknowledged) over the run.
    pub messages: usize,
    /// Replication batches pushed over the run.
    pub pushes: usize,
    /// See [`BlockReport::migrated`].
    pub migrated: usize,
    /// Replication batches a node refused.
    pub bad_pushes: usize,
    /// Messages that no member of their account's current swarm returned.
    pub lost: usize,
    /// (message, member) pairs where a member's retrieve did not return the message with its
    /// data.
    pub missing_copies: usize,
    /// (message, member) pairs checked.
    pub copies_checked: usize,
    /// Signed retrieves the check made (one per account, namespace and swarm member).
    pub retrieves: usize,
    /// Swarms created over the churn blocks.
    pub created: usize,
    /// See [`BlockReport::dissolved`].
    pub dissolved: usize,
    /// What the clients did.
    pub clients: ClientStats,
    /// What went over the network.
    pub traffic: Traffic,
    /// Simulated time from the first block to the end of the check.
    pub simulated: Duration,
    /// Time of the bootstrap block.
    pub bootstrap: Duration,
    /// Times of the churn blocks, in order.
    pub block_times: Vec<Duration>,
    /// Time of the final check.
    pub check_time: Duration,
}

/// The simulated network.
struct Sim {
    config: Config,
    rng: ChaCha20Rng,
    swarms: Swarms,
    /// The swarm map after the last block.
    map: SwarmMap<Ed25519PublicKey>,
    fleet: Fleet,
    clients: Clients,
    net: Network,
    active: Vec<Ed25519PublicKey>,
    decommissioned: VecDeque<(u64, Ed25519PublicKey)>,
    now: Timestamp,
}

/// Runs the simulation, calling `on_block` after each block.
#[allow(clippy::disallowed_methods)] // the simulator times its own blocks
pub fn run(config: &Config, mut on_block: impl FnMut(&BlockReport)) -> Summary {
    let mut config = config.clone();
    config.latency_ms = config.latency_ms.min(MAX_LATENCY_MS);
    config.onion_pct = config.onion_pct.min(100);
    let mut sim = Sim::new(config.clone());
    let start = std::time::Instant::now();
    let first = sim.block(0);
    let bootstrap = start.elapsed();
    on_block(&BlockReport {
        time: bootstrap,
        ..first
    });
    let mut summary = Summary {
        bootstrap,
        pushes: first.pushes,
        ..Summary::default()
    };
    for block in 1..=config.blocks {
        let start = std::time::Instant::now();
        let mut report = sim.block(block);
        report.time = start.elapsed();
        summary.block_times.push(report.time);
        summary.pushes += report.pushes;
        summary.created += report.created;
        summary.dissolved += report.dissolved;
        on_block(&report);
    }
    let start = std::time::Instant::now();
    sim.check(&mut summary);
    summary.check_time = start.elapsed();
    summary
}

impl Sim {
    fn new(config: Config) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(config.seed);
        let clients = Clients::new(config.accounts.max(1), config.onion_pct, &mut rng);
        let net = Network::new(config.latency_ms, rng.next_u64());
        Sim {
            swarms: Swarms::new(config.policy),
            map: SwarmMap::without_node_index(BTreeMap::new()),
            fleet: Fleet::new(),
            clients,
            net,
            active: Vec::new(),
            decommissioned: VecDeque::new(),
            now: config.start,
            rng,
            config,
        }
    }

    fn pick(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n.max(1) as u64) as usize
    }

    fn join(&mut self) {
        let node = self.fleet.start(&mut self.rng);
        self.swarms.add(node);
        self.active.push(node);
    }

    /// One block: churn (block 0: every initial node registers), the rules, the node list to
    /// every node and the pushes that follow, then the clients' new messages.
    fn block(&mut self, block: u64) -> BlockReport {
        self.now = self
            .config
            .start
            .saturating_add_millis(block.saturating_mul(BLOCK_MS));
        let mut report = BlockReport {
            block,
            ..BlockReport::default()
        };
        let mut deregistered = Vec::new();
        let changes = if block == 0 {
            self.config.nodes
        } else {
            self.config.churn
        };
        for _ in 0..changes {
            let roll = self.rng.next_u64() % 100;
            if block == 0 || roll < self.config.join_pct || self.active.len() < 10 {
                self.join();
                report.joined += 1;
            } else {
                let i = self.pick(self.active.len());
                let node = self.active.swap_remove(i);
                self.swarms.remove(&node);
                // A decommissioned node keeps running (and its storage) until it returns.
                if roll >= 90 {
                    self.decommissioned
                        .push_back((block + DECOMMISSION_BLOCKS, node));
                } else {
                    deregistered.push(node);
                }
                report.left += 1;
            }
        }
        while self
            .decommissioned
            .front()
            .is_some_and(|(due, _)| *due <= block)
        {
            if let Some((_, node)) = self.decommissioned.pop_front() {
                self.swarms.add(node);
                self.active.push(node);
                report.joined += 1;
            }
        }
        let seed = self.rng.next_u64();
        let events = self.swarms.rebalance(seed);
        let new = SwarmMap::without_node_index(self.swarms.swarms().clone());
        let old = std::mem::replace(&mut self.map, new);
        report.created = events
            .iter()
            .filter(|e| matches!(e, SwarmEvent::SwarmCreated { .. }))
            .count();
        report.dissolved = old
            .swarm_ids()
            .iter()
            .filter(|id| self.map.members(**id).is_none())
            .count();

        // oxend publishes the block: every running node (deregistered ones one last time, to
        // hand their records over) takes the node list and pushes what its plan says.
        let list = self.fleet.node_list(self.swarms.swarms());
        let migrated_before = self.fleet.migrated;
        report.pushes =
            self.fleet
                .new_block(self.now, block, &list, self.config.replicate, &mut self.net);
        for node in &deregistered {
            self.fleet.stop(node, self.now, &mut self.net);
        }
        self.clients.set_nodes(&list);

        let stored_before = self.clients.stored.len();
        self.send_messages();
        self.drain();
        report.migrated = self.fleet.migrated - migrated_before;
        report.stored = self.clients.stored.len() - stored_before;
        report.nodes = self.active.len();
        report.swarms = self.map.len();
        report
    }

    /// Clients send this block's messages, spread over the first minute of the block: most
    /// to an account's inbox, every fourth one of the account's own configuration messages.
    fn send_messages(&mut self) {
        for _ in 0..self.config.messages {
            let account = self.pick(self.clients.accounts());
            let namespace = if self.rng.next_u64().is_multiple_of(4) {
                CONFIG_NAMESPACE
            } else {
                0
            };
            let mut data = vec![0u8; 48];
            self.rng.fill_bytes(&mut data);
            let at = self
                .now
                .saturating_add_millis(self.rng.next_u64() % SEND_WINDOW_MS);
            self.clients
                .store(at, account, namespace, data, &mut self.net, &mut self.rng);
        }
    }

    /// Delivers every message in flight, and those they cause, in time order.
    fn drain(&mut self) {
        while let Some(env) = self.net.next() {
            match env.to {
                Addr::Client => self.clients.deliver(env, &mut self.net, &mut self.rng),
                Addr::Node(key) => self.fleet.deliver(env, key, &mut self.net, &mut self.rng),
            }
        }
    }

    /// Every client reads back its messages from every member of its account's current
    /// swarm; each copy must come back with the data stored.
    fn check(&mut self, summary: &mut Summary) {
        let at = self.now.saturating_add_millis(BLOCK_MS / 2);
        let wanted: BTreeSet<(usize, i16)> = self
            .clients
            .stored
            .iter()
            .map(|m| (m.account, m.namespace))
            .collect();
        let mut swarm_of = BTreeMap::new();
        for &(account, namespace) in &wanted {
            let Some(id) = self.clients.account_id(account) else {
                continue;
            };
            let members = self
                .map
                .members_for_space(swarm_space(id.key()))
                .map_or(Vec::new(), |(_, m)| m.to_vec());
            for member in &members {
                let send = at.saturating_add_millis(self.rng.next_u64() % CHECK_WINDOW_MS);
                self.clients.retrieve(
                    send,
                    account,
                    namespace,
                    *member,
                    &mut self.net,
                    &mut self.rng,
                );
                summary.retrieves += 1;
            }
            swarm_of.insert(account, members);
        }
        self.drain();

        for message in &self.clients.stored {
            let members = swarm_of
                .get(&message.account)
                .map_or(&[][..], Vec::as_slice);
            let hash = message.hash.to_string();
            let holding = members
                .iter()
                .filter(|m| {
                    self.clients
                        .retrieved
                        .get(&(message.account, message.namespace, **m))
                        .is_some_and(|page| {
                            page.iter().any(|(h, d)| *h == hash && *d == message.data)
                        })
                })
                .count();
            summary.copies_checked += members.len();
            summary.missing_copies += members.len() - holding;
            if holding == 0 {
                summary.lost += 1;
            }
        }
        let mut sizes: Vec<usize> = self.map.swarms().values().map(Vec::len).collect();
        sizes.sort_unstable();
        summary.swarm_sizes = (
            sizes.first().copied().unwrap_or(0),
            sizes.get(sizes.len() / 2).copied().unwrap_or(0),
            sizes.last().copied().unwrap_or(0),
        );
        summary.nodes = self.active.len();
        summary.swarms = self.map.len();
        summary.messages = self.clients.stored.len();
        summary.migrated = self.fleet.migrated;
        summary.bad_pushes = self.fleet.bad_pushes;
        summary.clients = self.clients.stats;
        summary.traffic = self.net.traffic;
        summary.simulated =
            Duration::from_millis(self.net.last_delivery().saturating_sub(self.config.start));
    }
}
