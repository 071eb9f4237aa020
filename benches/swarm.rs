//! Benchmarks of `session-swarm`: one block of rebalancing at 2,000 / 20,000 / 200,000 nodes
//! with 1, 10 and 100 changes, under both policies, and `nearest_swarm` lookups. Every
//! rebalancing and sorting benchmark cycles through distinct inputs.
//!
//! `cargo bench -p session-benches --bench swarm`. Compare sizes within one run: the ratio
//! between network sizes is the result, not the absolute times (see BENCHMARKS.md).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use session_swarm::compat::{Mt19937_64, std_sort, uniform_portable};
use session_swarm::{Policy, ScalableSwarms, SwarmId, nearest_swarm};

type Map = BTreeMap<SwarmId, Vec<u64>>;

/// A settled network of `n` nodes (grown with the scalable rules: same invariants, and
/// growing 200,000 nodes with the oxend rules would take hours), member lists ascending.
fn network(n: u64, rng: &mut Mt19937_64) -> ScalableSwarms<u64> {
    let mut net = ScalableSwarms::new();
    let mut added = 0;
    while added < n {
        for _ in 0..(n / 20).max(1).min(n - added) {
            net.add_node(rng.next_u64());
            added += 1;
        }
        net.rebalance(rng.next_u64());
    }
    net
}

/// `changes` registrations and `changes` deregistrations on `net`.
fn churn(net: &mut ScalableSwarms<u64>, changes: u64, rng: &mut Mt19937_64) {
    let nodes: Vec<u64> = net.swarms().values().flatten().copied().collect();
    for _ in 0..changes {
        net.add_node(rng.next_u64());
    }
    let mut removed = 0;
    while removed < changes {
        let victim = nodes[uniform_portable(rng, nodes.len() as u64) as usize];
        if net.remove_node(&victim).is_some() {
            removed += 1;
        }
    }
}

/// Each benchmark cycles through this many distinct inputs (change sets and seeds): timing
/// one input over and over lets the branch predictor learn it, which flatters the code under
/// test (see BENCHMARKS.md).
const INPUTS: usize = 16;

fn rebalance(c: &mut Criterion) {
    let mut rng = Mt19937_64::new(2024);
    let mut group = c.benchmark_group("swarm/calc_swarm_changes");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for nodes in [2_000u64, 20_000, 200_000] {
        let base = network(nodes, &mut rng);
        for changes in [1u64, 10, 100] {
            let inputs: Vec<(ScalableSwarms<u64>, Map, u64)> = (0..INPUTS)
                .map(|_| {
                    let mut after = base.clone();
                    churn(&mut after, changes, &mut rng);
                    let map = after.to_map();
                    (after, map, rng.next_u64())
                })
                .collect();
            let label = format!("{nodes}n/{changes}+{changes}");
            for policy in [Policy::OxendCompat, Policy::Scalable] {
                let name = match policy {
                    Policy::Scalable => "scalable_one_shot",
                    _ => "oxend_compat",
                };
                group.bench_function(BenchmarkId::new(name, &label), |b| {
                    let mut next = inputs.iter().cycle();
                    b.iter_batched(
                        || {
                            let (_, map, seed) = next.next().unwrap();
                            (map.clone(), *seed)
                        },
                        |(mut m, seed)| {
                            let events = policy.calc_swarm_changes(&mut m, seed);
                            (m, events) // dropped after timing
                        },
                        BatchSize::LargeInput,
                    )
                });
            }
            group.bench_function(BenchmarkId::new("scalable_persistent", &label), |b| {
                let mut next = inputs.iter().cycle();
                b.iter_batched(
                    || {
                        let (net, _, seed) = next.next().unwrap();
                        (net.clone(), *seed)
                    },
                    |(mut n, seed)| {
                        let events = n.rebalance(seed);
                        (n, events)
                    },
                    BatchSize::LargeInput,
                )
            });
        }
    }
    group.finish();
}

/// The `std::sort` emulation against the standard library's stable sort on the (id, size)
/// lists `calc_swarm_sizes` sorts: 285 and 2,857 swarms of 5–8 members. Each iteration sorts
/// the next of 64 different lists: sorting one list over and over lets the branch predictor
/// learn it, which hides what the partitions cost on input it has not seen.
fn sorts(c: &mut Criterion) {
    let mut rng = Mt19937_64::new(11);
    let mut group = c.benchmark_group("swarm/sort_sizes");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for n in [285u64, 2_857] {
        let inputs: Vec<Vec<(u64, u64)>> = (0..64)
            .map(|_| {
                (0..n)
                    .map(|i| (i << 20, 5 + uniform_portable(&mut rng, 4)))
                    .collect()
            })
            .collect();
        group.bench_with_input(BenchmarkId::new("std_sort", n), &inputs, |b, inputs| {
            let mut v = inputs[0].clone();
            let mut next = inputs.iter().cycle();
            b.iter(|| {
                v.copy_from_slice(next.next().unwrap());
                std_sort(&mut v, |a, b| a.1 < b.1);
                black_box(v[0])
            })
        });
        group.bench_with_input(BenchmarkId::new("sort_by_key", n), &inputs, |b, inputs| {
            let mut v = inputs[0].clone();
            let mut next = inputs.iter().cycle();
            b.iter(|| {
                v.copy_from_slice(next.next().unwrap());
                v.sort_by_key(|e| e.1);
                black_box(v[0])
            })
        });
    }
    group.finish();
}

fn lookups(c: &mut Criterion) {
    let mut rng = Mt19937_64::new(7);
    let mut group = c.benchmark_group("swarm/nearest_swarm");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for swarms in [285usize, 2_857, 28_571, 142_857] {
        let mut ids: Vec<SwarmId> = (0..swarms).map(|_| SwarmId(rng.next_u64() >> 1)).collect();
        ids.sort_unstable();
        ids.dedup();
        let spaces: Vec<u64> = (0..1024).map(|_| rng.next_u64()).collect();
        group.throughput(Throughput::Elements(spaces.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(swarms), &ids, |b, ids| {
            b.iter(|| {
                let mut acc = 0u64;
                for &s in &spaces {
                    acc ^= nearest_swarm(ids, s).map_or(0, |id| id.0);
                }
                black_box(acc)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, rebalance, sorts, lookups);
criterion_main!(benches);
