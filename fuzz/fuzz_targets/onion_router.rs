//! Fuzz the node-side router of `session-onion` (the plaintext a hop finds after decrypting),
//! the status mapping and the forward-message round trip, and the whole node pipeline behind
//! the AEAD (the input sealed as a valid layer, opened, routed and answered).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = session_onion::fuzzing::router(data);
    let _ = session_onion::fuzzing::node_pipeline(data);
});
