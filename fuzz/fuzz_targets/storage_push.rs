//! Fuzzes push-batch decoding: no input may panic; every batch that decodes to messages
//! re-encodes (v2) to a batch that decodes to the same messages, and imports without error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_core::Timestamp;
use session_storage::{MemoryStore, push, replication};

fuzz_target!(|data: &[u8]| {
    let _ = push::decode(data);
    if let Ok(messages) = push::decode_messages(data) {
        let again: Vec<_> = push::encode_batches(&messages, usize::MAX)
            .iter()
            .flat_map(|b| push::decode_messages(b).expect("re-encoded batch decodes"))
            .collect();
        assert_eq!(again, messages);
    }
    let mut store = MemoryStore::new();
    let _ = replication::receive(&mut store, data, Timestamp(1_700_000_000_000));
});
