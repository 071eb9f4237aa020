//! session-node benchmarks of a block's new network, per node: `Node::set_network` (a
//! `NetworkView` built once per block and shared) against `Node::new_swarm_map` (each node
//! indexes the node list itself), at 1,000, 10,000 and 100,000 nodes, plus the once-per-block
//! `NetworkView::from_nodes`. The node's store is empty: what is timed is the part of a block
//! that can depend on the network's size. Each benchmark cycles through distinct blocks (50
//! changes each, the scalable swarm rules). Under `--bench` a paired ratio
//! `new_swarm_map / set_network` at 10,000 nodes is printed.
// A benchmark reads the clock by definition.
#![allow(clippy::disallowed_methods)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use session_benches::paired_ratio;
use session_core::{Ed25519PublicKey, Identity, ServiceNode, Timestamp, X25519PublicKey};
use session_node::{NetworkView, Node, NodeConfig};
use session_storage::MemoryStore;
use session_swarm::ScalableSwarms;
use session_swarm::compat::Mt19937_64;

const NOW: Timestamp = Timestamp(1_700_000_000_000);
/// Distinct blocks each benchmark cycles through.
const BLOCKS: usize = 8;
/// Node changes per block (half registrations, half deregistrations).
const CHANGES: usize = 50;

fn key(rng: &mut Mt19937_64) -> Ed25519PublicKey {
    let mut k = [0u8; 32];
    for chunk in k.chunks_exact_mut(8) {
        chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
    }
    Ed25519PublicKey::from_bytes(k)
}

fn record(key: Ed25519PublicKey, swarm: session_swarm::SwarmId) -> ServiceNode {
    ServiceNode {
        ed25519: key,
        x25519: X25519PublicKey::from_bytes(*key.as_bytes()),
        ip: std::net::Ipv4Addr::new(10, 0, 0, 1),
        https_port: 22021,
        omq_port: 22020,
        swarm_id: swarm,
        version: Some([2, 10, 0]),
    }
}

fn list(swarms: &ScalableSwarms<Ed25519PublicKey>) -> Vec<ServiceNode> {
    swarms
        .swarms()
        .iter()
        .flat_map(|(id, members)| members.iter().map(|k| record(*k, *id)))
        .collect()
}

/// `BLOCKS` successive node lists of a network of about `n` nodes that includes `me`.
fn blocks(n: usize, me: Ed25519PublicKey) -> Vec<Vec<ServiceNode>> {
    let mut rng = Mt19937_64::new(n as u64);
    let mut net = ScalableSwarms::new();
    net.add_node(me);
    let mut nodes = vec![me];
    while nodes.len() < n {
        for _ in 0..(n / 20).max(1).min(n - nodes.len()) {
            let k = key(&mut rng);
            net.add_node(k);
            nodes.push(k);
        }
        net.rebalance(rng.next_u64());
    }
    let mut out = Vec::new();
    for _ in 0..BLOCKS {
        for _ in 0..CHANGES / 2 {
            let k = key(&mut rng);
            net.add_node(k);
            nodes.push(k);
            // Never `me` (index 0).
            let victim = 1 + (rng.next_u64() as usize) % (nodes.len() - 1);
            net.remove_node(&nodes.swap_remove(victim));
        }
        net.rebalance(rng.next_u64());
        out.push(list(&net));
    }
    out
}

fn network(c: &mut Criterion) {
    let identity = Identity::from_seed_bytes(&[1; 32]).unwrap();
    let me = identity.ed25519_public();
    let new_node = || {
        Node::new(
            identity.clone(),
            MemoryStore::new(),
            std::iter::empty(),
            NodeConfig::default(),
        )
    };
    let mut g = c.benchmark_group("node_network");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for n in [1_000, 10_000, 100_000] {
        let lists = blocks(n, me);
        let views: Vec<Arc<NetworkView>> = lists
            .iter()
            .map(|l| Arc::new(NetworkView::from_nodes(l.iter().copied())))
            .collect();
        let mut node = new_node();
        let mut i = 0;
        g.bench_with_input(BenchmarkId::new("set_network", n), &views, |b, views| {
            b.iter(|| {
                i = (i + 1) % BLOCKS;
                node.set_network(NOW, Arc::clone(&views[i])).unwrap()
            });
        });
        if n <= 10_000 {
            let mut node = new_node();
            g.bench_with_input(BenchmarkId::new("new_swarm_map", n), &lists, |b, lists| {
                b.iter(|| {
                    i = (i + 1) % BLOCKS;
                    node.new_swarm_map(NOW, lists[i].iter().copied()).unwrap()
                });
            });
        }
        g.bench_with_input(
            BenchmarkId::new("view_from_nodes", n),
            &lists,
            |b, lists| {
                b.iter(|| {
                    i = (i + 1) % BLOCKS;
                    NetworkView::from_nodes(lists[i].iter().copied())
                });
            },
        );
        if n == 10_000 && std::env::args().any(|a| a == "--bench") {
            let (mut shared, mut private) = (new_node(), new_node());
            paired_ratio(
                "node_network new_swarm_map / set_network (10,000 nodes)",
                21,
                || {
                    let t = Instant::now();
                    for l in &lists {
                        black_box(private.new_swarm_map(NOW, l.iter().copied()).unwrap());
                    }
                    t.elapsed()
                },
                || {
                    let t = Instant::now();
                    for v in &views {
                        black_box(shared.set_network(NOW, Arc::clone(v)).unwrap());
                    }
                    t.elapsed()
                },
            );
        }
    }
    g.finish();
}

criterion_group!(benches, network);
criterion_main!(benches);
