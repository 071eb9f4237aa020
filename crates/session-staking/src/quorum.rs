//! Quorums: which nodes test which (obligations), which sign checkpoints and which approve
//! blink transactions, drawn deterministically from a block hash so that every node agrees;
//! and the decommission-credit and vote policy of the obligations quorum ([`credit`]).

pub mod credit;
mod seed_seq;

pub use seed_seq::{mt19937_64_state_from_seed_seq, seed_seq_generate};
