//! Onion-request benchmarks: build (3 hops + destination), peel one layer, reply
//! encrypt/decrypt — each measured next to the sum of its primitive operations, in the same
//! run, so that the ratios in BENCHMARKS.md are meaningful on a noisy machine.
//!
//! Run: `cargo bench -p session-benches --bench onion`, then
//! `python3 benches/onion_ratio.py` prints the criterion ratios. The paired ratios, including
//! the ones to libsodium (feature `compare-libsodium`, needs libsodium's headers), print during
//! the run: `cargo bench -p session-benches --bench onion --features compare-libsodium -- ratio`
//! (add `fast-x25519` for the assembly X25519 backend); `onion_ratio.py --runs FILE...`
//! summarises several such runs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;
use std::time::Duration;

use chacha20::ChaCha20Rng;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use session_core::{Ed25519PublicKey, X25519PublicKey, X25519Secret};
use session_onion::client::{Builder, Destination, Hop};
use session_onion::hazmat;
use session_onion::hop::{self, HopKey};
use session_onion::rand_core::{SeedableRng, TryRng};
use session_onion::{EncType, NodeKey, OpenOptions, framing};

/// A seeded ChaCha20 CSPRNG: deterministic, so every run sees the same bytes. Real callers
/// seed theirs from the OS.
fn seeded_rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

struct Net {
    keys: Vec<NodeKey>,
    hops: Vec<Hop>,
}

fn net() -> Net {
    let keys: Vec<NodeKey> = (0..4u8)
        .map(|i| NodeKey::from_secret(X25519Secret::from_bytes([i + 1; 32])))
        .collect();
    let hops = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            Hop::new(
                Ed25519PublicKey::from_bytes([i as u8 + 100; 32]),
                k.public(),
            )
        })
        .collect();
    Net { keys, hops }
}

/// Plaintext sizes of the 4 layers of a node-destination onion, innermost first.
fn layer_sizes(enc: EncType, payload: usize) -> Vec<usize> {
    let relay_json = 15 + 66 + 12 + 2 + enc.name().len() + 17 + 66 + 1;
    let mut sizes = vec![4 + payload + 14];
    let mut ct = sizes[0] + enc.overhead();
    for _ in 0..3 {
        let p = 4 + ct + relay_json;
        sizes.push(p);
        ct = p + enc.overhead();
    }
    sizes
}

/// The primitive operations of one layer: X25519 key generation, shared secret, key
/// derivation, AEAD seal over `len` bytes in place.
fn primitives_layer(
    enc: EncType,
    peer: &X25519PublicKey,
    buf: &mut [u8],
    rng: &mut ChaCha20Rng,
) -> [u8; 16] {
    let mut secret = [0u8; 32];
    rng.try_fill_bytes(&mut secret).unwrap();
    let public = hazmat::public_key(&secret);
    let shared = hazmat::shared_secret(&secret, peer.as_bytes()).unwrap();
    let key = hazmat::hop_key_from_shared(enc, &shared, &public, peer.as_bytes());
    let mut nonce = [0u8; 24];
    let nonce = &mut nonce[..enc.nonce_len()];
    rng.try_fill_bytes(nonce).unwrap();
    key.seal_in_place_detached(nonce, buf).unwrap()
}

fn bench_build(c: &mut Criterion) {
    let n = net();
    for enc in [EncType::XChaCha20, EncType::AesGcm] {
        let mut g = c.benchmark_group(format!("onion_build_{enc}"));
        for size in [1024usize, 64 * 1024] {
            let payload = vec![0x42u8; size];
            let dest = Destination::node(n.hops[3]);
            let builder = Builder::new(enc).hops(n.hops[..3].iter().copied());
            let mut rng = seeded_rng(1);
            g.bench_with_input(BenchmarkId::new("build", size), &size, |b, _| {
                b.iter(|| black_box(builder.build(&dest, black_box(&payload), &mut rng).unwrap()))
            });
            let sizes = layer_sizes(enc, size);
            let mut buf = vec![0u8; *sizes.last().unwrap()];
            let peers: Vec<X25519PublicKey> = [3usize, 2, 1, 0]
                .iter()
                .map(|&i| n.hops[i].x25519)
                .collect();
            g.bench_with_input(BenchmarkId::new("primitives", size), &size, |b, _| {
                b.iter(|| {
                    for (len, peer) in sizes.iter().zip(&peers) {
                        black_box(primitives_layer(enc, peer, &mut buf[..*len], &mut rng));
                    }
                })
            });
        }
        g.finish();
    }
}

fn bench_peel(c: &mut Criterion) {
    let n = net();
    let opts = OpenOptions::default();
    for enc in [EncType::XChaCha20, EncType::AesGcm] {
        let mut g = c.benchmark_group(format!("onion_peel_{enc}"));
        for size in [1024usize, 64 * 1024] {
            let payload = vec![0x42u8; size];
            let onion = Builder::new(enc)
                .hops(n.hops[..3].iter().copied())
                .build(&Destination::node(n.hops[3]), &payload, &mut seeded_rng(2))
                .unwrap();
            let req = onion.request().to_vec();
            let guard = &n.keys[0];
            g.bench_with_input(BenchmarkId::new("open_request", size), &size, |b, _| {
                b.iter(|| black_box(guard.open_request(black_box(&req), &opts).unwrap()))
            });
            // Primitives: parse the framing + JSON, shared secret, KDF, AEAD open.
            let guard_public = guard.public().to_bytes();
            let secret = [1u8; 32];
            g.bench_with_input(BenchmarkId::new("primitives", size), &size, |b, _| {
                b.iter(|| {
                    let f = framing::decode(black_box(&req), usize::MAX).unwrap();
                    let eph: [u8; 32] = session_core::encoding::decode_hex_array(
                        f.json["ephemeral_key"].as_str().unwrap(),
                        "ephemeral_key",
                    )
                    .unwrap();
                    let shared = hazmat::shared_secret(&secret, &eph).unwrap();
                    let key = hazmat::hop_key_from_shared(enc, &shared, &eph, &guard_public);
                    black_box(key.open(f.ciphertext).unwrap())
                })
            });
        }
        g.finish();
    }
}

fn bench_reply(c: &mut Criterion) {
    let n = net();
    for enc in [EncType::XChaCha20, EncType::AesGcm] {
        let mut g = c.benchmark_group(format!("onion_reply_{enc}"));
        let onion = Builder::new(enc)
            .hop(n.hops[0])
            .build(&Destination::node(n.hops[1]), b"{}", &mut seeded_rng(3))
            .unwrap();
        // The destination's key for the reply, as `OpenedRequest::encrypt_reply` holds it.
        let eph = onion.reply_key().ephemeral_public();
        for size in [1024usize, 64 * 1024] {
            let reply = vec![0x24u8; size];
            let key = HopKey::derive(enc, hop::Role::Server, &n.keys[1], &eph).unwrap();
            let mut rng = seeded_rng(4);
            g.bench_with_input(BenchmarkId::new("encrypt", size), &size, |b, _| {
                b.iter(|| black_box(key.seal(black_box(&reply), &mut rng).unwrap()))
            });
            let ct = key.seal(&reply, &mut rng).unwrap();
            g.bench_with_input(BenchmarkId::new("decrypt", size), &size, |b, _| {
                b.iter(|| black_box(onion.reply_key().open(black_box(&ct)).unwrap()))
            });
        }
        g.finish();
    }
}

/// Paired ratio measurement, robust to the load of a shared machine: in each of `ROUNDS`
/// rounds, time `n` runs of `a` and `n` runs of `b` back to back (alternating which goes
/// first) and keep the ratio; report the median ratio and the fastest round of each side.
#[allow(clippy::disallowed_methods)] // a benchmark reads the clock by definition
fn paired(name: &str, n: u32, mut a: impl FnMut(), mut b: impl FnMut()) {
    const ROUNDS: usize = 101;
    use std::time::Instant;
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut best_a, mut best_b) = (f64::MAX, f64::MAX);
    for round in 0..ROUNDS {
        let time = |f: &mut dyn FnMut()| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() / f64::from(n)
        };
        let (ta, tb) = if round % 2 == 0 {
            let ta = time(&mut a);
            (ta, time(&mut b))
        } else {
            let tb = time(&mut b);
            (time(&mut a), tb)
        };
        best_a = best_a.min(ta);
        best_b = best_b.min(tb);
        ratios.push(ta / tb);
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ROUNDS / 2];
    println!(
        "ratio {name}: median {median:.3} (p25 {:.3}, p75 {:.3}); fastest round {:.1} µs vs {:.1} µs",
        ratios[ROUNDS / 4],
        ratios[3 * ROUNDS / 4],
        best_a * 1e6,
        best_b * 1e6
    );
}

/// The ratio targets, measured pairwise (see [`paired`]): the builder and the peel against
/// their own primitives, and, with the `compare-libsodium` feature, against libsodium doing the
/// same work in the same process. Skipped under `cargo test --benches`.
fn ratios(_c: &mut Criterion) {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    println!("x25519 backend: {}", session_core::hazmat::x25519_backend());
    #[cfg(feature = "compare-libsodium")]
    let sodium_gcm = session_benches::libsodium::init().expect("libsodium initialises");
    let n = net();
    let opts = OpenOptions::default();
    for enc in [EncType::XChaCha20, EncType::AesGcm] {
        for size in [1024usize, 64 * 1024] {
            let payload = vec![0x42u8; size];
            let dest = Destination::node(n.hops[3]);
            let builder = Builder::new(enc).hops(n.hops[..3].iter().copied());
            let sizes = layer_sizes(enc, size);
            let mut buf = vec![0u8; *sizes.last().unwrap()];
            let peers: Vec<X25519PublicKey> = [3usize, 2, 1, 0]
                .iter()
                .map(|&i| n.hops[i].x25519)
                .collect();
            let (mut r1, mut r2) = (seeded_rng(5), seeded_rng(6));
            paired(
                &format!("build/{enc}/{size}"),
                20,
                || {
                    black_box(builder.build(&dest, black_box(&payload), &mut r1).unwrap());
                },
                || {
                    for (len, peer) in sizes.iter().zip(&peers) {
                        black_box(primitives_layer(enc, peer, &mut buf[..*len], &mut r2));
                    }
                },
            );

            let onion = builder.build(&dest, &payload, &mut seeded_rng(7)).unwrap();
            let req = onion.request().to_vec();
            let guard = &n.keys[0];
            let guard_public = guard.public().to_bytes();
            paired(
                &format!("peel/{enc}/{size}"),
                60,
                || {
                    black_box(guard.open_request(black_box(&req), &opts).unwrap());
                },
                || {
                    let f = framing::decode(black_box(&req), usize::MAX).unwrap();
                    let eph: [u8; 32] = session_core::encoding::decode_hex_array(
                        f.json["ephemeral_key"].as_str().unwrap(),
                        "ephemeral_key",
                    )
                    .unwrap();
                    let shared = hazmat::shared_secret(&[1u8; 32], &eph).unwrap();
                    let key = hazmat::hop_key_from_shared(enc, &shared, &eph, &guard_public);
                    black_box(key.open(f.ciphertext).unwrap());
                },
            );

            #[cfg(feature = "compare-libsodium")]
            {
                use session_benches::libsodium::{self, Cipher};
                let cipher = match enc {
                    EncType::AesGcm if !sodium_gcm => {
                        println!("skipped: libsodium's AES-GCM needs AES-NI and PCLMUL");
                        continue;
                    }
                    EncType::AesGcm => Cipher::AesGcm,
                    _ => Cipher::XChaCha20,
                };
                let x: [[u8; 32]; 4] = std::array::from_fn(|i| n.hops[i].x25519.to_bytes());
                let ed: [[u8; 32]; 4] = std::array::from_fn(|i| n.hops[i].ed25519.to_bytes());
                // The comparator does the same work: its onion has our layout and every layer
                // opens with our keys, and it opens our onion.
                let theirs = libsodium::build_vec(cipher, &payload, &x, &ed).unwrap();
                assert_eq!(theirs.len(), req.len());
                let mut layer = guard.open_request(&theirs, &opts).unwrap();
                for key in &n.keys[1..] {
                    let next = match session_onion::node::route(layer.payload()).unwrap() {
                        session_onion::node::Route::RelayToNode(r) => r.forward_message(0).unwrap(),
                        other => panic!("unexpected route {other:?}"),
                    };
                    layer = key.open_forward(&next, &opts).unwrap();
                }
                assert_eq!(&layer.payload()[4..4 + size], &payload[..]);
                let ours = guard.open_request(&req, &opts).unwrap();
                let secret = [1u8; 32];
                assert_eq!(
                    libsodium::peel(cipher, &req, &secret, &guard_public),
                    Some(ours.payload().len())
                );

                let mut r3 = seeded_rng(8);
                paired(
                    &format!("vs-libsodium build/{enc}/{size}"),
                    20,
                    || {
                        black_box(builder.build(&dest, black_box(&payload), &mut r3).unwrap());
                    },
                    || {
                        black_box(libsodium::build(cipher, black_box(&payload), &x, &ed));
                    },
                );
                paired(
                    &format!("vs-libsodium peel/{enc}/{size}"),
                    60,
                    || {
                        black_box(guard.open_request(black_box(&req), &opts).unwrap());
                    },
                    || {
                        black_box(libsodium::peel(
                            cipher,
                            black_box(&req),
                            &secret,
                            &guard_public,
                        ));
                    },
                );
            }
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = ratios, bench_build, bench_peel, bench_reply }
criterion_main!(benches);
