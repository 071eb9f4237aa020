//! A whole Session network in one process: service nodes registering and leaving block after
//! block, the swarm rules rebalancing them, clients storing messages in the right swarm, and
//! every node following its migration plan so that no message is lost.
//!
//! The libraries do the work: `session-swarm` places the nodes (oxend's rules, or the scalable
//! policy for large networks) and derives the migration plans; `session-storage` validates
//! each store request, keeps each node's messages in a [`MemoryStore`] and turns the plans
//! into replication batches. [`run`] drives the blocks and checks, at the end, that every
//! message is held by every member of its account's current swarm.
//!
//! The command-line front end is `cargo run --release -p network-sim -- --help`.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::Duration;

use chacha20::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use session_core::{AccountId, MessageHash, Timestamp};
use session_storage::policy::{Lifetime, NamespaceArg, StoreRequest, Verifier};
use session_storage::push::BATCH_TARGET_BYTES;
use session_storage::{Binary, MemoryStore, MessageReader, MessageWriter, replication};
use session_swarm::{Policy, SwarmEvent, SwarmId, SwarmMap, swarm_pushes, swarm_space};

mod net;

pub use net::Node;
use net::Swarms;

/// Milliseconds between blocks (Oxen's two-minute target).
pub const BLOCK_MS: u64 = 120_000;
/// Inbox messages live 14 days, longer than any run.
const TTL_MS: u64 = 14 * 24 * 3600 * 1000;
/// Blocks a decommissioned node stays out before it is recommissioned.
const DECOMMISSION_BLOCKS: u64 = 10;

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
    /// The swarm policy.
    pub policy: Policy,
    /// The seed of the simulation's RNG (the run is deterministic).
    pub seed: u64,
    /// The chain's time at the first block.
    pub start: Timestamp,
}

impl Config {
    /// Defaults for `nodes` nodes: churn of 0.5 % of the nodes per block (at least 10), one
    /// message per 10 nodes per block (10..=5,000), oxend's rules up to 20,000 nodes and the
    /// scalable policy above.
    #[must_use]
    pub fn for_nodes(nodes: usize) -> Self {
        Config {
            nodes,
            blocks: 50,
            churn: (nodes / 200).max(10),
            join_pct: 45,
            messages: (nodes / 10).clamp(10, 5_000),
            accounts: (nodes / 2).clamp(100, 200_000),
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
    /// Swarms the rules created and dissolved.
    pub created: usize,
    /// Swarms dissolved (by the rules, or because their last member left).
    pub dissolved: usize,
    /// Message copies received by nodes under the migration plans.
    pub migrated: usize,
    /// Messages stored in it.
    pub stored: usize,
    /// Wall time of the block: churn, rules, migration and the new messages.
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
    /// Messages stored over the run.
    pub messages: usize,
    /// Message copies received under migration plans over the run.
    pub migrated: usize,
    /// Messages that no member of their account's current swarm holds.
    pub lost: usize,
    /// (message, member) pairs where a member of the account's swarm lacks the message.
    pub missing_copies: usize,
    /// (message, member) pairs checked.
    pub copies_checked: usize,
    /// Swarms created and dissolved over the churn blocks.
    pub created: usize,
    /// See [`BlockReport::dissolved`].
    pub dissolved: usize,
    /// Time of the bootstrap block.
    pub bootstrap: Duration,
    /// Times of the churn blocks, in order.
    pub block_times: Vec<Duration>,
}

/// The simulated network.
struct Sim {
    config: Config,
    rng: ChaCha20Rng,
    swarms: Swarms,
    /// The swarm map after the last block.
    map: SwarmMap<Node>,
    /// Each node's message store (a node gets one when it first receives a message).
    stores: HashMap<Node, MemoryStore>,
    active: Vec<Node>,
    decommissioned: VecDeque<(u64, Node)>,
    accounts: Vec<AccountId>,
    messages: Vec<(AccountId, MessageHash)>,
    now: Timestamp,
}

/// Runs the simulation, calling `on_block` after each block.
#[allow(clippy::disallowed_methods)] // the simulator times its own blocks
pub fn run(config: &Config, mut on_block: impl FnMut(&BlockReport)) -> Summary {
    let mut sim = Sim::new(config.clone());
    let start = std::time::Instant::now();
    let first = sim.bootstrap();
    let bootstrap = start.elapsed();
    on_block(&BlockReport {
        time: bootstrap,
        ..first
    });
    let mut summary = Summary {
        bootstrap,
        ..Summary::default()
    };
    for block in 1..=config.blocks {
        let start = std::time::Instant::now();
        let mut report = sim.block(block);
        report.time = start.elapsed();
        summary.block_times.push(report.time);
        summary.migrated += report.migrated;
        summary.created += report.created;
        summary.dissolved += report.dissolved;
        on_block(&report);
    }
    sim.check(&mut summary);
    summary
}

impl Sim {
    fn new(config: Config) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(config.seed);
        let accounts = (0..config.accounts)
            .map(|_| {
                let mut key = [0u8; 32];
                rng.fill_bytes(&mut key);
                AccountId::new(0x05, key)
            })
            .collect();
        Sim {
            swarms: Swarms::new(config.policy),
            map: SwarmMap::without_node_index(BTreeMap::new()),
            stores: HashMap::new(),
            active: Vec::new(),
            decommissioned: VecDeque::new(),
            accounts,
            messages: Vec::new(),
            now: config.start,
            rng,
            config,
        }
    }

    /// Block 0: every initial node registers, the rules place them, the first messages arrive.
    fn bootstrap(&mut self) -> BlockReport {
        for _ in 0..self.config.nodes {
            let node = self.rng.next_u64();
            self.swarms.add(node);
            self.active.push(node);
        }
        let seed = self.rng.next_u64();
        self.swarms.rebalance(seed);
        self.map = SwarmMap::without_node_index(self.swarms.swarms().clone());
        let stored = self.store_messages();
        BlockReport {
            block: 0,
            nodes: self.active.len(),
            swarms: self.map.len(),
            joined: self.config.nodes,
            stored,
            ..BlockReport::default()
        }
    }

    fn pick(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n.max(1) as u64) as usize
    }

    /// One block: churn, the rules, every migration plan, then new messages.
    fn block(&mut self, block: u64) -> BlockReport {
        self.now = self.now.saturating_add_millis(BLOCK_MS);
        let mut report = BlockReport {
            block,
            ..BlockReport::default()
        };
        let mut removed = Vec::new();
        for _ in 0..self.config.churn {
            let roll = self.rng.next_u64() % 100;
            if roll < self.config.join_pct || self.active.len() < 10 {
                let node = self.rng.next_u64();
                self.swarms.add(node);
                self.active.push(node);
                report.joined += 1;
            } else {
                let i = self.pick(self.active.len());
                let node = self.active.swap_remove(i);
                self.swarms.remove(&node);
                removed.push(node);
                if roll >= 90 {
                    self.decommissioned
                        .push_back((block + DECOMMISSION_BLOCKS, node));
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
        report.migrated = self.migrate(&old, &events);
        report.created = events
            .iter()
            .filter(|e| matches!(e, SwarmEvent::SwarmCreated { .. }))
            .count();
        report.dissolved = old
            .swarm_ids()
            .iter()
            .filter(|id| self.map.members(**id).is_none())
            .count();
        // Nodes that left have handed their records over; decommissioned nodes come back
        // empty, and are refilled by the plans when they are placed again.
        for node in removed {
            self.stores.remove(&node);
        }
        report.stored = self.store_messages();
        report.nodes = self.active.len();
        report.swarms = self.map.len();
        report
    }

    /// Applies the migration plans of a block; returns the message copies received.
    ///
    /// Only old swarms whose range or membership changed have anything to push: those that
    /// gained a member, those that disappeared, and the ring neighbours of new swarms. Every
    /// old member would push the same records, so one member's pushes stand for all of them
    /// (a receiver keeps one copy either way).
    fn migrate(&mut self, old: &SwarmMap<Node>, events: &[SwarmEvent<Node>]) -> usize {
        let mut senders: BTreeSet<SwarmId> = BTreeSet::new();
        let ids = old.swarm_ids();
        for e in events {
            match e {
                SwarmEvent::NodeJoined { swarm, .. } => {
                    senders.insert(*swarm);
                }
                SwarmEvent::NodeMoved { to, .. } => {
                    senders.insert(*to);
                }
                SwarmEvent::SwarmCreated { swarm } => {
                    // The old swarms the new one takes its range from: its ring neighbours.
                    let i = ids.partition_point(|id| id < swarm);
                    let below = i.checked_sub(1).or(ids.len().checked_sub(1));
                    let above = if i < ids.len() { Some(i) } else { Some(0) };
                    for j in [below, above].into_iter().flatten() {
                        if let Some(id) = ids.get(j) {
                            senders.insert(*id);
                        }
                    }
                }
                _ => {}
            }
        }
        senders.extend(ids.iter().filter(|id| self.map.members(**id).is_none()));
        senders.retain(|id| old.members(*id).is_some());

        let mut received = 0;
        for sender in senders {
            let pushes = swarm_pushes(old, &self.map, sender);
            if pushes.is_empty() {
                continue;
            }
            let Some(source) = old
                .members(sender)
                .and_then(|m| m.iter().find_map(|n| self.stores.get(n)))
            else {
                continue; // no member holds anything yet
            };
            let outgoing = replication::outgoing(source, &pushes, self.now, BATCH_TARGET_BYTES)
                .unwrap_or_default();
            for peer in outgoing {
                let store = self.stores.entry(peer.to).or_default();
                for batch in &peer.batches {
                    if let Ok(stats) = replication::receive(store, batch, self.now) {
                        received += stats.inserted;
                    }
                }
            }
        }
        received
    }

    /// Clients store this block's messages: each goes to a member of its account's swarm,
    /// which validates it and forwards it to the other members.
    fn store_messages(&mut self) -> usize {
        let mut stored = 0;
        for _ in 0..self.config.messages {
            let i = self.pick(self.accounts.len());
            let Some(&account) = self.accounts.get(i) else {
                continue;
            };
            let mut data = [0u8; 48];
            self.rng.fill_bytes(&mut data);
            let request = StoreRequest {
                account,
                namespace: NamespaceArg::Int(0),
                timestamp: self.now.as_millis(),
                lifetime: Lifetime::Ttl(TTL_MS),
                data: Binary::Raw(&data),
                sig_timestamp: None,
                auth: None,
            };
            let Some((_, members)) = self.map.members_for_space(swarm_space(account.key())) else {
                continue;
            };
            let mut hash = None;
            for (k, member) in members.iter().enumerate() {
                let store = self.stores.entry(*member).or_default();
                let verifier = Verifier::new(self.now, store);
                let verifier = if k == 0 {
                    verifier
                } else {
                    verifier.forwarded()
                };
                let Ok(command) = verifier.validate_store(&request) else {
                    continue;
                };
                if store.store(&command.message, self.now).is_ok() {
                    hash = Some(command.message.hash);
                }
            }
            if let Some(hash) = hash {
                self.messages.push((account, hash));
                stored += 1;
            }
        }
        stored
    }

    /// Every message must be held by every member of its account's current swarm.
    fn check(&self, summary: &mut Summary) {
        for (account, hash) in &self.messages {
            let members = self
                .map
                .members_for_space(swarm_space(account.key()))
                .map_or(&[][..], |(_, m)| m);
            let holding = members
                .iter()
                .filter(|m| {
                    self.stores
                        .get(m)
                        .is_some_and(|s| matches!(s.get_by_hash(hash, self.now), Ok(Some(_))))
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
        summary.messages = self.messages.len();
    }
}
