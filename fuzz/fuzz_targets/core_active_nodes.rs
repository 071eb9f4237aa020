//! Fuzzes the `active_nodes_bin` decoder: it never panics, accepts exactly the multiples of 51
//! bytes, and re-encodes what it accepts to the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_core::{ACTIVE_NODE_LEN, decode_active_nodes, encode_active_nodes};

fuzz_target!(|data: &[u8]| {
    match decode_active_nodes(data) {
        Ok(nodes) => {
            assert_eq!(nodes.len() * ACTIVE_NODE_LEN, data.len());
            assert_eq!(encode_active_nodes(&nodes), data);
        }
        Err(_) => assert_ne!(data.len() % ACTIVE_NODE_LEN, 0),
    }
});
