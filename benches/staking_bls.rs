//! session-staking benchmarks, Session Network era: BLS on BN254.
//!
//! A single verification, the hash to G2, the pairing check alone, and the network's
//! aggregate keys (summing 1,000 and 10,000 keys, subtracting 100 non-signers). The paired
//! `ratio` line compares a verification with the pairing check it makes (`hazmat::
//! pairing_check`, the very function `verify` calls, on the same points), so the cost of
//! everything around the pairings (the hash to G2) shows as the excess over 1.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use session_staking::bls::{
    BlsPublicKey, BlsSecretKey, BlsSignature, Domain, EthAddress, aggregate_public_keys,
    hash_to_g2, hazmat, reward_claim_message, signers_key,
};

fn secret(i: u32) -> BlsSecretKey {
    let mut bytes = [0x5a; 32];
    bytes[28..].copy_from_slice(&i.to_be_bytes());
    BlsSecretKey::from_bytes(&bytes)
}

fn bls(c: &mut Criterion) {
    let domain = Domain::MAINNET;
    let message = reward_claim_message(&domain, &EthAddress([0x11; 20]), 1_234_567_890);
    let sk = secret(0);
    let pk = sk.public_key();
    let sig = sk.sign(&domain, &message);
    assert!(pk.verify(&domain, &message, &sig));
    let hashed = BlsSignature::from_bytes(&hash_to_g2(&domain, &message)).unwrap();
    let check = || {
        assert!(hazmat::pairing_check(
            black_box(&pk),
            black_box(&hashed),
            black_box(&sig)
        ))
    };

    let mut g = c.benchmark_group("bls");
    g.sample_size(20);
    g.bench_function("verify", |b| {
        b.iter(|| assert!(pk.verify(&domain, black_box(&message), &sig)))
    });
    g.bench_function("hash_to_g2", |b| {
        b.iter(|| hash_to_g2(&domain, black_box(&message)))
    });
    g.bench_function("pairing_check_2", |b| b.iter(check));

    let keys: Vec<BlsPublicKey> = (1..=10_000).map(|i| secret(i).public_key()).collect();
    for n in [1_000usize, 10_000] {
        g.bench_with_input(BenchmarkId::new("aggregate", n), &keys[..n], |b, keys| {
            b.iter(|| aggregate_public_keys(black_box(keys)))
        });
    }
    let total = aggregate_public_keys(&keys);
    g.bench_function("subtract_100_non_signers", |b| {
        b.iter(|| signers_key(&total, black_box(&keys[..100])))
    });
    g.finish();

    if std::env::args().any(|a| a == "--bench") {
        paired(
            "verify / pairing_check_2",
            101,
            4,
            || assert!(pk.verify(&domain, black_box(&message), &sig)),
            check,
        );
    }
}

/// This thread's CPU time (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`), so that the time the
/// scheduler gives to other processes of a shared machine is not counted. The clock has
/// nanosecond resolution (`/proc/thread-self/schedstat` can advance only at scheduler ticks,
/// too coarse for millisecond rounds); `None` off Linux and Android.
fn thread_cpu_time() -> Option<Duration> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::time::{ClockId, clock_gettime};
        let t = clock_gettime(ClockId::ThreadCPUTime);
        let secs = u64::try_from(t.tv_sec).ok()?;
        let nanos = u32::try_from(t.tv_nsec).ok()?;
        Some(Duration::new(secs, nanos))
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        None
    }
}

/// Paired ratio measurement, robust to the load of a shared machine: in each of `rounds`
/// rounds, time `n` runs of `a` and `n` runs of `b` back to back (alternating which goes
/// first) and keep the ratio; report the median and minimum ratio and each side's fastest
/// round, in this thread's CPU time and in wall-clock time.
#[allow(clippy::disallowed_methods)] // a benchmark reads the clock by definition
fn paired(name: &str, rounds: usize, n: u32, mut a: impl FnMut(), mut b: impl FnMut()) {
    use std::time::Instant;
    let mut wall = Vec::with_capacity(rounds);
    let mut cpu = Vec::with_capacity(rounds);
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    let time = |f: &mut dyn FnMut()| {
        let (t, c) = (Instant::now(), thread_cpu_time());
        for _ in 0..n {
            f();
        }
        let c = thread_cpu_time().zip(c).map(|(end, start)| end - start);
        (t.elapsed() / n, c.map(|c| c / n))
    };
    for round in 0..rounds {
        let ((ta, ca), (tb, cb)) = if round % 2 == 0 {
            let ta = time(&mut a);
            (ta, time(&mut b))
        } else {
            let tb = time(&mut b);
            (time(&mut a), tb)
        };
        best_a = best_a.min(ca.unwrap_or(ta));
        best_b = best_b.min(cb.unwrap_or(tb));
        wall.push(ta.as_secs_f64() / tb.as_secs_f64());
        if let (Some(ca), Some(cb)) = (ca, cb) {
            cpu.push(ca.as_secs_f64() / cb.as_secs_f64());
        }
    }
    for (clock, ratios) in [("cpu", &mut cpu), ("wall", &mut wall)] {
        if ratios.is_empty() {
            continue;
        }
        ratios.sort_by(f64::total_cmp);
        let k = ratios.len();
        println!(
            "ratio {name} ({clock}): median {:.3} min {:.3} (p25 {:.3}, p75 {:.3}; {k} rounds of {n})",
            ratios[k / 2],
            ratios[0],
            ratios[k / 4],
            ratios[3 * k / 4],
        );
    }
    println!("fastest round {name}: {best_a:?} vs {best_b:?} per call");
}

criterion_group!(benches, bls);
criterion_main!(benches);
