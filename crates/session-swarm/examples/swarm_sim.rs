//! Churn simulator: grows a network to N nodes, then applies random churn for K blocks and
//! reports swarm sizes, node moves and records migrated per block.
//!
//! ```text
//! cargo run --release -p session-swarm --example swarm_sim -- --nodes 2000 --blocks 200 --churn 10
//! cargo run --release -p session-swarm --example swarm_sim -- --nodes 1000000 --blocks 20 --churn 1000 --policy scalable
//! ```
//!
//! Options: `--nodes N` (2000), `--blocks K` (100), `--churn C` changes per block (10),
//! `--seed S` (1), `--policy oxend|scalable` (oxend up to 20,000 nodes, else scalable),
//! `--records R` records per node for the migration estimate (100), `--join-pct P` (45). Churn:
//! P % registrations, (90 − P) % deregistrations, 10 % decommissions (recommissioned 10 blocks
//! later). Records are
//! spread uniformly over swarm space; "records migrated" counts record copies received by
//! nodes under the migration plans (each receiver counted once per record).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
// A simulator measures its own running time.
#![allow(clippy::disallowed_methods)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use session_swarm::compat::{Mt19937_64, uniform_portable};
use session_swarm::{
    Policy, ScalableSwarms, SwarmEvent, SwarmId, SwarmMap, calc_swarm_changes, swarm_pushes,
};

type Node = u64;

struct Args {
    nodes: u64,
    blocks: u64,
    churn: u64,
    seed: u64,
    policy: Policy,
    records: f64,
    join_pct: u64,
}

fn parse_args() -> Args {
    let mut a = Args {
        nodes: 2000,
        blocks: 100,
        churn: 10,
        seed: 1,
        policy: Policy::OxendCompat,
        records: 100.0,
        join_pct: 45,
    };
    let mut policy = None;
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let v = pair.get(1).map(String::as_str).unwrap_or("");
        match pair[0].as_str() {
            "--nodes" => a.nodes = v.parse().expect("--nodes N"),
            "--blocks" => a.blocks = v.parse().expect("--blocks K"),
            "--churn" => a.churn = v.parse().expect("--churn C"),
            "--seed" => a.seed = v.parse().expect("--seed S"),
            "--records" => a.records = v.parse().expect("--records R"),
            "--join-pct" => a.join_pct = v.parse::<u64>().expect("--join-pct P").min(90),
            "--policy" => {
                policy = Some(match v {
                    "oxend" => Policy::OxendCompat,
                    "scalable" => Policy::Scalable,
                    other => panic!("unknown policy {other}"),
                })
            }
            other => panic!("unknown option {other}"),
        }
    }
    a.policy = policy.unwrap_or(if a.nodes <= 20_000 {
        Policy::OxendCompat
    } else {
        Policy::Scalable
    });
    a
}

/// The network under either policy.
enum Net {
    Oxend {
        swarms: BTreeMap<SwarmId, Vec<Node>>,
        unassigned: BTreeSet<Node>,
        where_: BTreeMap<Node, SwarmId>,
    },
    Scalable(ScalableSwarms<Node>),
}

impl Net {
    fn add(&mut self, n: Node) {
        match self {
            Net::Oxend { unassigned, .. } => {
                unassigned.insert(n);
            }
            Net::Scalable(s) => {
                s.add_node(n);
            }
        }
    }
    fn remove(&mut self, n: Node) {
        match self {
            Net::Oxend {
                swarms,
                unassigned,
                where_,
            } => {
                if !unassigned.remove(&n)
                    && let Some(id) = where_.remove(&n)
                {
                    let m = swarms.get_mut(&id).unwrap();
                    m.retain(|x| *x != n);
                    if m.is_empty() {
                        swarms.remove(&id);
                    }
                }
            }
            Net::Scalable(s) => {
                s.remove_node(&n);
            }
        }
    }
    fn swarms(&self) -> &BTreeMap<SwarmId, Vec<Node>> {
        match self {
            Net::Oxend { swarms, .. } => swarms,
            Net::Scalable(s) => s.swarms(),
        }
    }
    /// One block; returns the events and the time spent in the rules.
    fn rebalance(&mut self, seed: u64) -> (Vec<SwarmEvent<Node>>, Duration) {
        match self {
            Net::Oxend {
                swarms,
                unassigned,
                where_,
            } => {
                // oxend rebuilds the map from its pubkey-sorted node list each block.
                for m in swarms.values_mut() {
                    m.sort_unstable();
                }
                if !unassigned.is_empty() {
                    swarms.insert(
                        SwarmId::UNASSIGNED,
                        std::mem::take(unassigned).into_iter().collect(),
                    );
                }
                let t = Instant::now();
                let events = calc_swarm_changes(swarms, seed);
                let dt = t.elapsed();
                for e in &events {
                    match e {
                        SwarmEvent::NodeJoined { node, swarm } => {
                            where_.insert(*node, *swarm);
                        }
                        SwarmEvent::NodeMoved { node, to, .. } => {
                            where_.insert(*node, *to);
                        }
                        _ => {}
                    }
                }
                (events, dt)
            }
            Net::Scalable(s) => {
                let t = Instant::now();
                let events = s.rebalance(seed);
                (events, t.elapsed())
            }
        }
    }
}

fn histogram(swarms: &BTreeMap<SwarmId, Vec<Node>>) -> String {
    let mut h: BTreeMap<usize, usize> = BTreeMap::new();
    for m in swarms.values() {
        *h.entry(m.len()).or_default() += 1;
    }
    h.iter()
        .map(|(s, n)| format!("{s}:{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Record copies received under the migration plans between two maps.
fn records_migrated(
    old: &BTreeMap<SwarmId, Vec<Node>>,
    new: &BTreeMap<SwarmId, Vec<Node>>,
    events: &[SwarmEvent<Node>],
    records_total: f64,
) -> f64 {
    // Only swarms whose members or neighbourhood changed have anything to push.
    let mut senders: BTreeSet<SwarmId> = BTreeSet::new();
    for e in events {
        match e {
            SwarmEvent::NodeJoined { swarm, .. } => {
                senders.insert(*swarm);
            }
            SwarmEvent::NodeMoved { to, .. } => {
                senders.insert(*to);
            }
            SwarmEvent::SwarmDissolved { swarm } => {
                senders.insert(*swarm);
            }
            SwarmEvent::SwarmCreated { swarm } => {
                if let Some((id, _)) = old
                    .range(..*swarm)
                    .next_back()
                    .or_else(|| old.iter().next_back())
                {
                    senders.insert(*id);
                }
                if let Some((id, _)) = old.range(*swarm..).next().or_else(|| old.iter().next()) {
                    senders.insert(*id);
                }
            }
            _ => {}
        }
    }
    senders.retain(|id| old.contains_key(id));
    if senders.is_empty() {
        return 0.0;
    }
    let subset = |m: &BTreeMap<SwarmId, Vec<Node>>| -> BTreeMap<SwarmId, Vec<Node>> { m.clone() };
    let old_map = SwarmMap::without_node_index(subset(old));
    let new_map = SwarmMap::without_node_index(subset(new));
    let mut received: BTreeMap<Node, Vec<(u64, u64)>> = BTreeMap::new();
    for id in senders {
        for p in swarm_pushes(&old_map, &new_map, id) {
            received
                .entry(p.to)
                .or_default()
                .extend(p.intervals.iter().map(|iv| (iv.first, iv.last)));
        }
    }
    let mut copies = 0.0;
    for mut ivs in received.into_values() {
        ivs.sort_unstable();
        ivs.dedup();
        let width: f64 = ivs.iter().map(|(a, b)| (b - a) as f64 + 1.0).sum();
        copies += width / 2f64.powi(64) * records_total;
    }
    copies
}

fn main() {
    let a = parse_args();
    let mut rng = Mt19937_64::new(a.seed);
    let mut net = match a.policy {
        Policy::Scalable => Net::Scalable(ScalableSwarms::new()),
        _ => Net::Oxend {
            swarms: BTreeMap::new(),
            unassigned: BTreeSet::new(),
            where_: BTreeMap::new(),
        },
    };
    println!(
        "swarm_sim: {} nodes, {} blocks, {} changes/block, policy {:?}, seed {}",
        a.nodes, a.blocks, a.churn, a.policy, a.seed
    );
    // Node ids are random u64s (as pubkeys would be); `active` allows uniform removal.
    let mut active: Vec<Node> = Vec::new();
    let grow_blocks = 50u64;
    let per_block = a.nodes.div_ceil(grow_blocks);
    let t = Instant::now();
    let mut grow_rules = Duration::ZERO;
    while (active.len() as u64) < a.nodes {
        for _ in 0..per_block.min(a.nodes - active.len() as u64) {
            let n = rng.next_u64();
            net.add(n);
            active.push(n);
        }
        grow_rules += net.rebalance(rng.next_u64()).1;
    }
    let swarms = net.swarms().len();
    println!(
        "grown to {} nodes / {} swarms in {:.2?} ({:.2?} in the rules); sizes {}",
        active.len(),
        swarms,
        t.elapsed(),
        grow_rules,
        histogram(net.swarms())
    );

    let mut pending: VecDeque<(u64, Node)> = VecDeque::new();
    let (mut total_moves, mut total_records, mut total_time, mut max_time) =
        (0usize, 0f64, Duration::ZERO, Duration::ZERO);
    let (mut created, mut dissolved) = (0usize, 0usize);
    for block in 0..a.blocks {
        let old = net.swarms().clone();
        for _ in 0..a.churn {
            let roll = uniform_portable(&mut rng, 100);
            if roll < a.join_pct || active.len() < 10 {
                let n = rng.next_u64();
                net.add(n);
                active.push(n);
            } else {
                let i = uniform_portable(&mut rng, active.len() as u64) as usize;
                let n = active.swap_remove(i);
                net.remove(n);
                if roll >= 90 {
                    pending.push_back((block + 10, n));
                }
            }
        }
        while pending.front().is_some_and(|(due, _)| *due <= block) {
            let (_, n) = pending.pop_front().unwrap();
            net.add(n);
            active.push(n);
        }
        let (events, dt) = net.rebalance(rng.next_u64());
        let count = |kind: fn(&SwarmEvent<Node>) -> bool| events.iter().filter(|e| kind(e)).count();
        let moves = count(|e| matches!(e, SwarmEvent::NodeMoved { .. }));
        let joins = count(|e| matches!(e, SwarmEvent::NodeJoined { .. }));
        let c = count(|e| matches!(e, SwarmEvent::SwarmCreated { .. }));
        let d = count(|e| matches!(e, SwarmEvent::SwarmDissolved { .. }));
        let recs = records_migrated(&old, net.swarms(), &events, a.records * active.len() as f64);
        total_moves += moves;
        total_records += recs;
        total_time += dt;
        max_time = max_time.max(dt);
        created += c;
        dissolved += d;
        if block < 5 || block + 1 == a.blocks || (block + 1) % (a.blocks / 10).max(1) == 0 {
            println!(
                "block {block:>5}: {:>8} nodes {:>7} swarms  joins {joins:>5} moves {moves:>4} +{c}/-{d} swarms  records migrated {recs:>10.0}  rules {dt:.2?}",
                active.len(),
                net.swarms().len()
            );
        }
    }
    let b = a.blocks.max(1) as f64;
    println!("final sizes {}", histogram(net.swarms()));
    println!(
        "per block: {:.2} moves, {:.0} records migrated ({:.4} % of all records), rules {:.2?} mean / {:.2?} max; {created} swarms created, {dissolved} dissolved",
        total_moves as f64 / b,
        total_records / b,
        100.0 * total_records / b / (a.records * active.len() as f64),
        total_time / a.blocks.max(1) as u32,
        max_time
    );
}
