//! Benchmarks of `session-staking`: quorum construction at 2,000 and 20,000 nodes (HF14
//! seeding vs HF16 `seed_seq` seeding), and one block's payout split for a node with 10
//! contributors (miner-transaction split and HF19 batched accrual).
//!
//! `cargo bench -p session-benches --bench staking`. Compare within one run: the ratios
//! between sizes and eras are the result, not the absolute times (see BENCHMARKS.md).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use session_core::compat::Mt19937_64;
use session_staking::crypto::PublicKey;
use session_staking::quorum::{blink_quorum, checkpointing_quorum, obligations_quorum};
use session_staking::rewards::{SN_REWARD_HF15, batched_node_rewards, block_payouts};
use session_staking::state::{Contributor, ServiceNodeInfo};
use session_staking::{COIN, ContributorAddress, HardFork, ServiceNodePubkey};

fn keys(n: usize, rng: &mut Mt19937_64) -> Vec<ServiceNodePubkey> {
    let mut keys: Vec<ServiceNodePubkey> = (0..n)
        .map(|_| {
            let mut k = [0u8; 32];
            for chunk in k.chunks_exact_mut(8) {
                chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
            }
            PublicKey(k)
        })
        .collect();
    keys.sort_unstable();
    keys
}

fn quorums(c: &mut Criterion) {
    let mut rng = Mt19937_64::new(7);
    let mut group = c.benchmark_group("staking/quorums");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for nodes in [2_000usize, 20_000] {
        let all = keys(nodes + nodes / 20, &mut rng);
        // 5 % decommissioned, spread through the key space.
        let (mut active, mut decommissioned) = (Vec::new(), Vec::new());
        for (i, k) in all.into_iter().enumerate() {
            if i % 21 == 20 {
                decommissioned.push(k)
            } else {
                active.push(k)
            }
        }
        let with_unlocks: Vec<(ServiceNodePubkey, Option<u64>)> =
            active.iter().map(|k| (*k, None)).collect();
        let hash = [0x5a; 32];
        for hf in [HardFork::Hf14, HardFork::Hf16] {
            // One block's worth: obligations, checkpointing and blink (height 1005 has all 3).
            group.bench_with_input(BenchmarkId::new(format!("{hf}"), nodes), &nodes, |b, _| {
                b.iter(|| {
                    let o = obligations_quorum(hf, black_box(&hash), &active, &decommissioned);
                    let cp = checkpointing_quorum(
                        session_core::Network::Mainnet,
                        hf,
                        1005,
                        &hash,
                        &active,
                        &decommissioned,
                    );
                    let bl = blink_quorum(hf, 1005, &hash, &with_unlocks);
                    black_box((o, cp, bl))
                });
            });
        }
    }
    group.finish();
}

fn node_with_10_contributors() -> ServiceNodeInfo {
    let requirement = 15_000 * COIN;
    let amounts = [
        3_750 * COIN,
        1_250 * COIN,
        1_250 * COIN,
        1_250 * COIN,
        1_250 * COIN,
        1_250 * COIN,
        1_250 * COIN,
        1_250 * COIN,
        1_250 * COIN,
        1_250 * COIN,
    ];
    let address = |i: usize| ContributorAddress {
        spend: PublicKey([i as u8; 32]),
        view: PublicKey([i as u8 + 1; 32]),
    };
    ServiceNodeInfo {
        staking_requirement: requirement,
        operator_address: address(0),
        portions_for_operator: session_staking::portions::fee_basis_points_to_portions(500)
            .unwrap(),
        registration_height: 1,
        registration_hf: HardFork::Hf19,
        last_reward_block_height: 1,
        last_reward_transaction_index: 0,
        active_since_height: 1,
        last_decommission_height: 0,
        decommission_count: 0,
        recommission_credit: 0,
        last_ip_change_height: 1,
        requested_unlock_height: None,
        in_swarm: true,
        contributors: amounts
            .iter()
            .enumerate()
            .map(|(i, &amount)| Contributor {
                address: address(i),
                amount,
                reserved: amount,
                locked_contributions: vec![],
                ethereum: None,
            })
            .collect(),
        total_contributed: requirement,
        total_reserved: requirement,
        bls_public_key: None,
    }
}

fn payouts(c: &mut Criterion) {
    let info = node_with_10_contributors();
    let mut group = c.benchmark_group("staking/payout_10_contributors");
    group
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("miner_tx_split", |b| {
        b.iter(|| block_payouts(HardFork::Hf18, black_box(&info), black_box(SN_REWARD_HF15)))
    });
    group.bench_function("hf19_batched_accrual", |b| {
        b.iter(|| batched_node_rewards(black_box(&info), black_box(SN_REWARD_HF15 * 1000)))
    });
    group.finish();
}

criterion_group!(benches, quorums, payouts);
criterion_main!(benches);
