//! Fuzzes every text and byte parser of `session-core`: none may panic, and whatever parses
//! must print back to a form that parses to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use session_core::identity::{Identity, x25519_from_ed25519};
use session_core::{
    AccountId, Ed25519PublicKey, MessageHash, Network, ServiceNode, SessionId, X25519PublicKey,
    encoding,
};

fuzz_target!(|data: &[u8]| {
    let _ = SessionId::from_bytes(data);
    let _ = Identity::from_seed_bytes(data);
    if let Ok(decoded) = encoding::decode_base64(data, 256) {
        assert!(decoded.len() <= 256);
        let again = encoding::encode_base64(&decoded);
        assert_eq!(
            encoding::decode_base64(again.as_bytes(), 256).ok(),
            Some(decoded)
        );
    }
    let _ = postcard::from_bytes::<ServiceNode>(data);
    if let Ok(key) = <[u8; 32]>::try_from(data) {
        let _ = x25519_from_ed25519(&Ed25519PublicKey::from_bytes(key));
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(id) = text.parse::<SessionId>() {
        assert_eq!(id.to_string().parse::<SessionId>().ok(), Some(id));
    }
    if let Ok(h) = text.parse::<MessageHash>() {
        assert_eq!(h.to_string(), text);
    }
    if let Ok(bytes) = encoding::decode_hex(text) {
        assert_eq!(encoding::encode_hex(&bytes), text.to_ascii_lowercase());
    }
    let _ = text.parse::<Ed25519PublicKey>();
    let _ = text.parse::<X25519PublicKey>();
    let _ = text.parse::<Network>();
    for net in Network::ALL {
        let _ = AccountId::parse(text, net);
    }
    let _ = serde_json::from_str::<ServiceNode>(text);
    let _ = serde_json::from_str::<session_core::ServiceNodeRecord>(text);
});
