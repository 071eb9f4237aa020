//! Fuzz the outer-layer parser and opener of `session-onion` (guard entry and the bencoded
//! inter-node forward message).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = session_onion::fuzzing::outer(data);
    let _ = session_onion::framing::decode(data, session_onion::DEFAULT_MAX_SIZE);
});
