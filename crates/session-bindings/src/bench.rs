//! The Rust side of the bindings' overhead benchmarks: each binding times one call of
//! [`bench_loop`] against the same operation called `n` times from its own language, in one
//! process (see BENCHMARKS.md).

use core::hint::black_box;

use crate::error::{Error, ErrorCode, Result};
use crate::{Identity, OnionHop, build_onion_to_node, message_hash};

/// The operations benchmarked, by name.
pub const BENCH_OPERATIONS: [&str; 3] = ["session_id_from_seed", "message_hash_100", "onion_build"];

/// A fixed account for `message_hash_100`.
pub const BENCH_ACCOUNT: &str =
    "0577cb6c50ed49a2c45e383ac3ca855375c68300f7ff0c803ea93cb18437d61f46";

/// The fixed nodes of `onion_build`: three hops and a destination, Ed25519 keys of the seeds
/// `[1; 32]` to `[4; 32]`.
pub fn bench_nodes() -> Vec<[u8; 32]> {
    (1..=4u8)
        .filter_map(|i| Identity::from_seed(&[i; 32]).ok())
        .map(|identity| identity.ed25519_public())
        .collect()
}

/// Runs operation `op` (one of [`BENCH_OPERATIONS`]) `n` times with the same inputs the
/// bindings' benchmarks pass: a 16-byte seed `[7; 16]`, 100 zero bytes, a 3-hop onion with a
/// 100-byte payload.
pub fn bench_loop(op: &str, n: u64) -> Result<()> {
    match op {
        "session_id_from_seed" => {
            for _ in 0..n {
                black_box(Identity::from_seed(black_box(&[7u8; 16]))?.session_id());
            }
        }
        "message_hash_100" => {
            for _ in 0..n {
                black_box(message_hash(
                    black_box(BENCH_ACCOUNT),
                    0,
                    black_box(&[0u8; 100]),
                )?);
            }
        }
        "onion_build" => {
            let hops: Vec<OnionHop> = bench_nodes()
                .into_iter()
                .map(|ed25519| OnionHop {
                    ed25519,
                    x25519: None,
                })
                .collect();
            let (path, node) = hops.split_at(3);
            let node = node
                .first()
                .ok_or_else(|| Error::new(ErrorCode::InvalidArgument, "no node"))?;
            for _ in 0..n {
                black_box(build_onion_to_node(
                    path,
                    node,
                    black_box(&[0u8; 100]),
                    None,
                )?);
            }
        }
        other => {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("unknown benchmark operation {other:?}"),
            ));
        }
    }
    Ok(())
}
