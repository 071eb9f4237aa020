//! Fuzzes the rewards contract's decoders in `session-staking::l2`: a log under each event's
//! topic (or any topic), and `allServiceNodeIDs()` return data. They never panic, and what
//! decodes keeps the limits oxend enforces.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_staking::l2::{L2Event, decode_all_service_node_ids, decode_log, topics};

fuzz_target!(|input: &[u8]| {
    let Some((&selector, data)) = input.split_first() else {
        return;
    };
    let topic = match selector % 5 {
        0 => topics::NEW_SERVICE_NODE_V2,
        1 => topics::SERVICE_NODE_EXIT_REQUEST,
        2 => topics::SERVICE_NODE_EXIT,
        3 => topics::STAKING_REQUIREMENT_UPDATED,
        _ => match data.split_first_chunk::<32>() {
            Some((topic, _)) => *topic,
            None => [0; 32],
        },
    };
    if let Ok(Some(L2Event::NewServiceNode(node))) = decode_log(&[topic], data) {
        assert!(node.fee <= 10_000);
        assert!((1..=10).contains(&node.contributors.len()));
        assert_eq!(data.len(), 288 + 96 * node.contributors.len());
    }
    if let Ok(nodes) = decode_all_service_node_ids(data) {
        // The two arrays may overlap; the keys alone need 64 bytes each.
        assert!(nodes.len() * 64 <= data.len());
    }
});
