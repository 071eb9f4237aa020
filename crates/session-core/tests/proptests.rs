//! Property tests: text and postcard round trips with pinned wire sizes, and "arbitrary input
//! never panics" for every parser of the crate.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::Ipv4Addr;

use proptest::prelude::*;
use session_core::hazmat::SecretBytes as _;
use session_core::identity::{Identity, x25519_from_ed25519};
use session_core::{
    AccountId, Ed25519PublicKey, IdPrefix, MessageHash, Namespace, Network, Reader, ServiceNode,
    SessionId, SwarmId, Timestamp, X25519PublicKey,
};
use session_core::{Ed25519Seed, LengthPrefix, MAX_VARINT_LEN, SessionSeed, Writer as _, encoding};

fn prefix() -> impl Strategy<Value = IdPrefix> {
    prop::sample::select(IdPrefix::ALL.to_vec())
}

fn network() -> impl Strategy<Value = Network> {
    prop::sample::select(Network::ALL.to_vec())
}

fn postcard_round_trip<T>(value: &T, wire_len: usize)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let bytes = postcard::to_allocvec(value).unwrap();
    assert_eq!(bytes.len(), wire_len, "wire size of {value:?}");
    let back: T = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(&back, value);
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value);
}

/// postcard's varint length of an unsigned value: postcard's varint is LEB128, as CryptoNote's.
fn varint_len(v: u64) -> usize {
    let mut out = Vec::new();
    out.write_varint(v);
    out.len()
}

const PREFIXES: [LengthPrefix; 6] = [
    LengthPrefix::U8,
    LengthPrefix::U16Be,
    LengthPrefix::U16Le,
    LengthPrefix::U32Be,
    LengthPrefix::U32Le,
    LengthPrefix::Varint,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn varint_and_nested_round_trip(v in any::<u64>(), body in proptest::collection::vec(any::<u8>(), 0..300), p in 0usize..6) {
        let mut out = Vec::new();
        out.write_varint(v);
        prop_assert!(out.len() <= MAX_VARINT_LEN);
        let prefix = PREFIXES[p];
        let written = out.write_nested(prefix, 1000, |w| w.write_all(&body));
        let mut r = Reader::new(&out);
        prop_assert_eq!(r.take_varint().unwrap(), v);
        if written.is_ok() {
            let back = r.read_nested(prefix, body.len(), |inner| Ok::<_, session_core::Error>(inner.take_rest())).unwrap();
            prop_assert_eq!(back, &body[..]);
            prop_assert!(r.is_exhausted());
        } else {
            // Only a one-byte prefix cannot hold up to 300 bytes.
            prop_assert!(prefix == LengthPrefix::U8 && body.len() > 255);
            prop_assert!(r.is_exhausted());
        }
    }

    #[test]
    fn hex_and_base64_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..100), upper in any::<bool>()) {
        let hex = encoding::encode_hex(&bytes);
        let mut pushed = Vec::new();
        encoding::push_hex(&mut pushed, &bytes);
        prop_assert_eq!(pushed, hex.as_bytes());
        let mut written = String::new();
        encoding::write_hex(&mut written, &bytes).unwrap();
        prop_assert_eq!(&written, &hex);
        let input = if upper { hex.to_uppercase() } else { hex.clone() };
        prop_assert_eq!(encoding::decode_hex(&input).unwrap(), bytes.clone());
        let b64 = encoding::encode_base64(&bytes);
        prop_assert_eq!(b64.len() % 4, 0);
        prop_assert_eq!(encoding::decode_base64(b64.as_bytes(), bytes.len()).unwrap(), bytes.clone());
        let unpadded = b64.trim_end_matches('=');
        prop_assert_eq!(encoding::decode_base64(unpadded.as_bytes(), bytes.len()).unwrap(), bytes.clone());
        if !bytes.is_empty() {
            prop_assert!(encoding::decode_base64(b64.as_bytes(), bytes.len() - 1).is_err());
        }
    }

    #[test]
    fn arbitrary_text_never_panics_in_codecs(text in "\\PC{0,80}", bytes in proptest::collection::vec(any::<u8>(), 0..80), max in 0usize..100) {
        let _ = encoding::decode_hex(&text);
        if let Ok(v) = encoding::decode_base64(&bytes, max) {
            prop_assert!(v.len() <= max);
        }
        if let Ok(v) = encoding::decode_base64(text.as_bytes(), max) {
            prop_assert!(v.len() <= max);
        }
    }

    #[test]
    fn session_id_text_round_trip(p in prefix(), key in any::<[u8; 32]>(), upper in any::<bool>()) {
        let id = SessionId::new(p, key);
        let text = id.to_string();
        prop_assert_eq!(text.len(), 66);
        prop_assert_eq!(&text, &text.to_lowercase());
        let input = if upper { text.to_uppercase() } else { text.clone() };
        prop_assert_eq!(input.parse::<SessionId>().unwrap(), id);
        prop_assert_eq!(SessionId::from_bytes(&id.to_bytes()).unwrap(), id);
        prop_assert_eq!(AccountId::from(id).to_session_id().unwrap(), id);
        prop_assert_eq!(AccountId::parse(&text, Network::Mainnet).unwrap(), AccountId::from(id));
    }

    #[test]
    fn postcard_keys_and_ids(p in prefix(), key in any::<[u8; 32]>()) {
        postcard_round_trip(&Ed25519PublicKey::from_bytes(key), 32);
        postcard_round_trip(&X25519PublicKey::from_bytes(key), 32);
        postcard_round_trip(&SessionId::new(p, key), 33);
        postcard_round_trip(&MessageHash(key), 32);
        let text = MessageHash(key).to_string();
        prop_assert_eq!(text.len(), 43);
        prop_assert_eq!(text.parse::<MessageHash>().unwrap(), MessageHash(key));
    }

    #[test]
    fn postcard_small_types(swarm in any::<u64>(), ns in any::<i16>(), ms in any::<u64>(), net in network()) {
        postcard_round_trip(&SwarmId(swarm), varint_len(swarm));
        // i16 is zigzag-encoded, then varint.
        let zigzag = ((ns << 1) ^ (ns >> 15)) as u16;
        postcard_round_trip(&Namespace(ns), varint_len(u64::from(zigzag)));
        postcard_round_trip(&Timestamp(ms), varint_len(ms));
        postcard_round_trip(&net, 1);
        prop_assert_eq!(net.to_string().parse::<Network>().unwrap(), net);
    }

    #[test]
    fn postcard_service_node(
        ed in any::<[u8; 32]>(), x in any::<[u8; 32]>(), ip in any::<[u8; 4]>(),
        https in any::<u16>(), omq in any::<u16>(), swarm in any::<u64>(),
        version in proptest::option::of(any::<[u16; 3]>()),
    ) {
        let node = ServiceNode {
            ed25519: Ed25519PublicKey::from_bytes(ed),
            x25519: X25519PublicKey::from_bytes(x),
            ip: Ipv4Addr::from(ip),
            https_port: https,
            omq_port: omq,
            swarm_id: SwarmId(swarm),
            version,
        };
        let bytes = postcard::to_allocvec(&node).unwrap();
        let version_len = version.map_or(1, |v| 1 + v.iter().map(|&p| varint_len(u64::from(p))).sum::<usize>());
        let expected = 32 + 32 + 4 + varint_len(u64::from(https)) + varint_len(u64::from(omq))
            + varint_len(swarm) + version_len;
        prop_assert_eq!(bytes.len(), expected);
        let back: ServiceNode = postcard::from_bytes(&bytes).unwrap();
        // Equality is by identity key; compare every field explicitly.
        prop_assert_eq!(back.ed25519, node.ed25519);
        prop_assert_eq!(back.x25519, node.x25519);
        prop_assert_eq!(back.ip, node.ip);
        prop_assert_eq!((back.https_port, back.omq_port), (https, omq));
        prop_assert_eq!(back.swarm_id, node.swarm_id);
        prop_assert_eq!(back.version, node.version);
        let json = serde_json::to_value(node).unwrap();
        prop_assert_eq!(json["pubkey_ed25519"].as_str().unwrap(), hex::encode(ed));
        let back: ServiceNode = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back.ip, node.ip);
    }

    #[test]
    fn identity_seed_forms_agree(seed in any::<[u8; 16]>()) {
        let short = Identity::from_seed(SessionSeed::from_bytes(seed));
        let mut padded = [0u8; 32];
        padded[..16].copy_from_slice(&seed);
        let long = Identity::from_seed(Ed25519Seed::from_bytes(padded));
        prop_assert_eq!(Identity::from_seed_bytes(&seed).unwrap().session_id(), long.session_id());
        prop_assert_eq!(long.ed25519_seed().session_seed(), Some(SessionSeed::from_bytes(seed)));
        prop_assert_eq!(short.session_id(), long.session_id());
        prop_assert_eq!(x25519_from_ed25519(&short.ed25519_public()).unwrap(), short.x25519_public());
        let secret = short.x25519_secret().hazmat_bytes();
        prop_assert_eq!(secret[0] & 7, 0);
        prop_assert_eq!(secret[31] & 0xc0, 0x40);
    }

    #[test]
    fn arbitrary_strings_never_panic(s in "\\PC*", hexish in "[0-9a-fA-FxZ]{0,70}") {
        for text in [s.as_str(), hexish.as_str()] {
            let _ = text.parse::<SessionId>();
            let _ = text.parse::<Ed25519PublicKey>();
            let _ = text.parse::<X25519PublicKey>();
            let _ = text.parse::<MessageHash>();
            let _ = text.parse::<Network>();
            for net in Network::ALL {
                let _ = AccountId::parse(text, net);
            }
            let _ = serde_json::from_str::<SessionId>(&format!("{text:?}"));
            let _ = serde_json::from_str::<ServiceNode>(text);
            let _ = serde_json::from_str::<session_core::ServiceNodeRecord>(text);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..80), ops in proptest::collection::vec(0u8..20, 0..20)) {
        let _ = SessionId::from_bytes(&bytes);
        let _ = Identity::from_seed_bytes(&bytes);
        let _ = postcard::from_bytes::<ServiceNode>(&bytes);
        let _ = postcard::from_bytes::<SessionId>(&bytes);
        if let Ok(key) = <[u8; 32]>::try_from(bytes.get(..32).unwrap_or(&[])) {
            let _ = x25519_from_ed25519(&Ed25519PublicKey::from_bytes(key));
        }
        let mut r = Reader::new(&bytes);
        for op in ops {
            let before = r.offset();
            let ok = match op {
                0 => r.take_u8().is_ok(),
                1 => r.take_u16_le().is_ok(),
                2 => r.take_u16_be().is_ok(),
                3 => r.take_u32_le().is_ok(),
                4 => r.take_u32_be().is_ok(),
                5 => r.take_u64_le().is_ok(),
                6 => r.take_u64_be().is_ok(),
                7 => r.take(usize::from(op) * 3).is_ok(),
                8 => r.take_array::<5>().is_ok(),
                9 => r.take_until(op).is_ok(),
                10 => r.take_varint().is_ok(),
                11..=16 => {
                    let prefix = PREFIXES[usize::from(op - 11)];
                    // Half of the nested reads leave a byte unread, which must fail.
                    r.read_nested(prefix, 40, |inner| {
                        let _ = inner.take_varint();
                        if op % 2 == 0 { inner.advance(inner.remaining().min(1)) } else { Ok(()) }
                            .map(|()| inner.take_rest().len())
                    })
                    .is_ok()
                }
                17 => r.extract::<X25519PublicKey>().is_ok(),
                18 => r.extract_n::<[u8; 3]>(usize::from(op)).is_ok(),
                _ => r.peek(usize::MAX).is_ok(),
            };
            // A failed read consumes nothing; offsets never pass the end.
            if !ok {
                prop_assert_eq!(r.offset(), before);
            }
            prop_assert!(r.offset() <= bytes.len());
            prop_assert_eq!(r.offset() + r.remaining(), bytes.len());
        }
    }
}
