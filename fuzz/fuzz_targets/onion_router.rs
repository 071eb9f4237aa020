//! Fuzz the node-side router of `session-onion` (the plaintext a hop finds after decrypting),
//! the status mapping and the forward-message round trip.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = session_onion::fuzzing::router(data);
});
