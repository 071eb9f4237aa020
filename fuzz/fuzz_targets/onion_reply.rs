//! Fuzz the reply decoders of `session-onion`: v3 JSON and v4 bencode plaintext parsers
//! (reached directly, past the AEAD, through the fuzzing hook) and the encrypted entry points.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = session_onion::fuzzing::reply_plaintext(data);
    let _ = session_onion::fuzzing::reply_encrypted(data);
});
