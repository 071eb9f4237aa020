//! The C API's per-call overhead: each operation called through the `extern "C"` functions
//! (pointer checks, panic guard, copies into caller buffers) and directly through the Rust API,
//! interleaved in one process. Prints, per operation, the time per call of both and their
//! ratio (min and median over the rounds).
//!
//! `cargo run --release -p session-ffi --example overhead`
#![allow(
    unsafe_code,
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::Instant;

use session_bindings::bench::{BENCH_ACCOUNT, bench_loop, bench_nodes};
use session_ffi::*;

const ROUNDS: usize = 15;

/// An operation's name, calls per round, and its C-API loop.
type Case = (&'static str, u64, fn(u64));

fn c_session_id(n: u64) {
    let seed = [7u8; 16];
    let mut out = [0 as std::ffi::c_char; 67];
    let mut len = 0usize;
    for _ in 0..n {
        let mut identity = std::ptr::null_mut();
        // SAFETY: valid buffers and out-pointers; the handle is freed once.
        unsafe {
            assert_eq!(
                session_identity_from_seed(seed.as_ptr(), 16, &mut identity),
                0
            );
            assert_eq!(
                session_identity_session_id(identity, out.as_mut_ptr(), 67, &mut len),
                0
            );
            session_identity_free(identity);
        }
        black_box(&out);
    }
}

fn c_message_hash(n: u64) {
    let data = [0u8; 100];
    let mut out = [0 as std::ffi::c_char; 64];
    let mut len = 0usize;
    for _ in 0..n {
        // SAFETY: valid buffers and out-pointers.
        let status = unsafe {
            session_message_hash(
                BENCH_ACCOUNT.as_ptr().cast(),
                BENCH_ACCOUNT.len(),
                0,
                data.as_ptr(),
                data.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut len,
            )
        };
        assert_eq!(status, 0);
        black_box(&out);
    }
}

fn c_onion_build(n: u64) {
    let nodes = bench_nodes();
    let hops: Vec<u8> = nodes[..3].concat();
    let payload = [0u8; 100];
    for _ in 0..n {
        let mut onion = std::ptr::null_mut();
        // SAFETY: valid buffers and out-pointer; the handle is freed once.
        unsafe {
            let status = session_onion_build_to_node(
                hops.as_ptr(),
                32,
                3,
                nodes[3].as_ptr(),
                32,
                payload.as_ptr(),
                payload.len(),
                std::ptr::null(),
                0,
                &mut onion,
            );
            assert_eq!(status, 0);
            session_onion_request_free(black_box(onion));
        }
    }
}

fn time(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

fn summary(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[0], values[values.len() / 2])
}

fn main() {
    let cases: [Case; 3] = [
        ("session_id_from_seed", 2_000, c_session_id),
        ("message_hash_100", 20_000, c_message_hash),
        ("onion_build", 300, c_onion_build),
    ];
    println!("operation             rust ns/call   C ns/call   ratio min   ratio median");
    for (op, n, c_call) in cases {
        let (mut rust, mut c, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let r = time(|| bench_loop(op, n).unwrap()) / n as f64 * 1e9;
            let x = time(|| c_call(n)) / n as f64 * 1e9;
            rust.push(r);
            c.push(x);
            ratio.push(x / r);
        }
        let (rust, c, (rmin, rmed)) = (summary(rust).1, summary(c).1, summary(ratio));
        println!("{op:<21} {rust:>12.0} {c:>11.0} {rmin:>11.3} {rmed:>14.3}");
    }
}
