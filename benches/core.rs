//! session-core benchmarks: identity derivation, Session ID text forms, Ed25519 → X25519.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use session_core::identity::{Identity, x25519_from_ed25519};
use session_core::{Reader, SessionId, SessionSeed, X25519Secret};

fn identity(c: &mut Criterion) {
    let seed = [0x42u8; 16];
    c.bench_function("core/identity_from_seed16", |b| {
        b.iter(|| Identity::from_seed(SessionSeed::from_bytes(black_box(seed))))
    });
    let id = Identity::from_seed(SessionSeed::from_bytes(seed));
    let ed = id.ed25519_public();
    c.bench_function("core/x25519_from_ed25519", |b| {
        b.iter(|| x25519_from_ed25519(black_box(&ed)).unwrap())
    });
    c.bench_function("core/sign_64B", |b| {
        b.iter(|| id.sign(black_box(&[7u8; 64])))
    });
    // The primitive that dominates an onion hop, for the comparison with libsodium.
    let peer = X25519Secret::from_bytes([9u8; 32]).public_key();
    let secret = id.x25519_secret();
    c.bench_function("core/x25519_shared_secret", |b| {
        b.iter(|| secret.diffie_hellman(black_box(&peer)).unwrap())
    });
}

fn session_id(c: &mut Criterion) {
    let text = Identity::from_seed(SessionSeed::from_bytes([1u8; 16]))
        .session_id()
        .to_string();
    c.bench_function("core/session_id_parse", |b| {
        b.iter(|| black_box(&text).parse::<SessionId>().unwrap())
    });
    let id: SessionId = text.parse().unwrap();
    c.bench_function("core/session_id_display", |b| {
        b.iter(|| black_box(id).to_string())
    });
}

fn reader(c: &mut Criterion) {
    let data: Vec<u8> = (0..4096u32).map(|i| i as u8).collect();
    c.bench_function("core/reader_4KiB_u32le", |b| {
        b.iter(|| {
            let mut r = Reader::new(black_box(&data));
            let mut acc = 0u32;
            while let Ok(v) = r.take_u32_le() {
                acc = acc.wrapping_add(v);
            }
            acc
        })
    });
}

criterion_group!(benches, identity, session_id, reader);
criterion_main!(benches);
