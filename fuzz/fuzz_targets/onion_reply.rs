//! Fuzz the reply decoders of `session-onion`: v3 JSON and v4 bencode plaintext parsers
//! (reached directly, past the AEAD, through the fuzzing hook) and the encrypted entry points
//! with a fixed reply key (built once).
#![no_main]
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use session_onion::client::ReplyKey;

static KEY: LazyLock<ReplyKey> =
    LazyLock::new(|| session_onion::fuzzing::fixed_reply_key().expect("fixed reply key"));

fuzz_target!(|data: &[u8]| {
    let _ = session_onion::fuzzing::reply_plaintext(data);
    let _ = KEY.decode_v3(data);
    let _ = KEY.decode_v4(data);
});
