//! Property tests: arbitrary bytes never panic any parser; round trips; tampering is detected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use proptest::prelude::*;
use session_core::Ed25519PublicKey;
use session_onion::client::{Builder, Destination, Hop};
use session_onion::hop::{self, Role};
use session_onion::node::{self, NodeKey, Route};
use session_onion::{ClientError, EncType, NodeError, OpenOptions, bencode, framing, fuzzing};

fn enc() -> impl Strategy<Value = EncType> {
    prop_oneof![Just(EncType::AesGcm), Just(EncType::XChaCha20)]
}

/// Inputs that look like layers (valid prefix, JSON-ish tails) as well as pure noise.
fn layerish() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        (
            proptest::collection::vec(any::<u8>(), 0..64),
            "[{}\":a-z0-9, ]{0,80}"
        )
            .prop_map(|(ct, json)| { framing::encode(&ct, json.as_bytes()).unwrap() }),
        (
            proptest::collection::vec(any::<u8>(), 0..64),
            prop_oneof![
                Just("headers"),
                Just("host"),
                Just("destination"),
                Just("ephemeral_key"),
                Just("target")
            ],
            "[a-f0-9/]{0,70}"
        )
            .prop_map(|(ct, k, v)| framing::encode(
                &ct,
                format!(r#"{{"{k}":"{v}","port":1}}"#).as_bytes()
            )
            .unwrap()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn parsers_never_panic(data in layerish()) {
        let _ = framing::split(&data, usize::MAX);
        let _ = framing::decode(&data, 100);
        let _ = node::route(&data);
        let _ = node::classify(&data);
        let _ = fuzzing::outer(&data);
        let _ = fuzzing::router(&data);
        let _ = fuzzing::node_pipeline(&data);
        let _ = fuzzing::reply_plaintext(&data);
        let _ = bencode::decode(&data);
        let _ = node::ForwardMessage::decode(&data, &OpenOptions::default().allow_aes_cbc(true));
        let _ = String::from_utf8_lossy(&data).parse::<EncType>();
        let _ = session_onion::path::classify_response(502, &data, false);
        if let Err(e) = node::route(&data) {
            let r = node::error_response(&e);
            prop_assert!(r.status == 400);
        }
    }

    #[test]
    fn reply_decoders_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200), e in enc()) {
        let onion = Builder::new(e)
            .hop(Hop::new(Ed25519PublicKey::from_bytes([1; 32]), common::key([2; 32]).public()))
            .build(&Destination::node(Hop::new(Ed25519PublicKey::from_bytes([3; 32]), common::key([4; 32]).public())), b"x", &mut common::rng(0))
            .unwrap();
        let key = onion.reply_key().clone().with_gcm_fallback(true);
        let _ = key.decode_v3(&data);
        let _ = key.decode_v4(&data);
        prop_assert!(key.open(&data).is_err());
    }

    #[test]
    fn bencode_v4_round_trip(meta in proptest::collection::vec(any::<u8>(), 0..100), body in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..100))) {
        let enc = bencode::encode_v4(&meta, body.as_deref());
        let (m, b) = bencode::decode_v4(&enc).unwrap();
        prop_assert_eq!(m, &meta[..]);
        prop_assert_eq!(b, body.as_deref());
    }

    #[test]
    fn framing_round_trip(ct in proptest::collection::vec(any::<u8>(), 0..100), k in "[a-z]{1,8}", v in "[ -~]{0,20}") {
        let json = serde_json::to_vec(&serde_json::json!({ k.clone(): v.clone() })).unwrap();
        let buf = framing::encode(&ct, &json).unwrap();
        let f = framing::decode(&buf, usize::MAX).unwrap();
        prop_assert_eq!(f.ciphertext, &ct[..]);
        prop_assert_eq!(f.json[&k].as_str().unwrap(), v.as_str());
        // Anything after the JSON is refused.
        let mut junk = buf.clone();
        junk.extend_from_slice(b"}");
        prop_assert!(framing::decode(&junk, usize::MAX).is_err());
    }

    #[test]
    fn hop_round_trip_and_tamper(
        e in enc(),
        a in any::<[u8; 32]>(),
        b in any::<[u8; 32]>(),
        pt in proptest::collection::vec(any::<u8>(), 0..300),
        idx in any::<prop::sample::Index>(),
        flip in 1u8..,
        seed in any::<u8>(),
    ) {
        let (a, b) = (common::key(a), common::key(b));
        let (pa, pb) = (a.public(), b.public());
        let ct = hop::encrypt(e, Role::Client, &a, &pb, &pt, &mut common::rng(seed)).unwrap();
        prop_assert_eq!(ct.len(), pt.len() + e.overhead());
        prop_assert_eq!(hop::decrypt(e, Role::Server, &b, &pa, &ct).unwrap(), pt.clone());
        let mut inplace = pt.clone();
        hop::encrypt_in_place(e, Role::Server, &b, &pa, &mut inplace, &mut common::rng(seed)).unwrap();
        hop::decrypt_in_place(e, Role::Client, &a, &pb, &mut inplace).unwrap();
        prop_assert_eq!(&inplace, &pt);
        let mut bad = ct.clone();
        bad[idx.index(ct.len())] ^= flip;
        prop_assert!(hop::decrypt(e, Role::Server, &b, &pa, &bad).is_err());
        // Truncation is detected too.
        prop_assert!(hop::decrypt(e, Role::Server, &b, &pa, &ct[..ct.len() - 1]).is_err());
    }

    #[test]
    fn onion_round_trip_and_tamper(
        e in enc(),
        n in 1usize..5,
        payload in proptest::collection::vec(any::<u8>(), 0..200),
        layer in any::<prop::sample::Index>(),
        idx in any::<prop::sample::Index>(),
        flip in 1u8..,
        seed in any::<u8>(),
    ) {
        let keys: Vec<NodeKey> = (0..=n).map(|i| common::key([i as u8 + 1; 32])).collect();
        let hops: Vec<Hop> = keys.iter().enumerate().map(|(i, k)| Hop::new(Ed25519PublicKey::from_bytes([i as u8 + 50; 32]), k.public())).collect();
        let onion = Builder::new(e).hops(hops[..n].iter().copied()).build(&Destination::node(hops[n]), &payload, &mut common::rng(seed)).unwrap();
        let opts = OpenOptions::default();
        // Layer 0 is the outer request at the guard; layer j >= 1 the blob node j receives
        // (the last one is the destination's). One of them, at one byte, is tampered with.
        let target = layer.index(n + 1);
        let flip_at = |ct: &[u8]| -> Vec<u8> {
            let mut bad = ct.to_vec();
            bad[idx.index(ct.len())] ^= flip;
            bad
        };
        let req = onion.request();
        let ct_len = u32::from_le_bytes(req[..4].try_into().unwrap()) as usize;
        if target == 0 {
            let mut bad = req.to_vec();
            let tampered = flip_at(&req[4..4 + ct_len]);
            bad[4..4 + ct_len].copy_from_slice(&tampered);
            prop_assert_eq!(keys[0].open_request(&bad, &opts).unwrap_err(), NodeError::Decryption);
        }
        let mut opened = keys[0].open_request(req, &opts).unwrap();
        for (j, k) in keys.iter().enumerate().skip(1) {
            let Route::RelayToNode(r) = node::route(opened.payload()).unwrap() else { panic!() };
            if j == target {
                let bad = flip_at(r.blob);
                let m = node::ForwardMessage::new(&bad, r.enc_type, r.ephemeral_key, 1).encode();
                prop_assert_eq!(k.open_forward(&m, &opts).unwrap_err(), NodeError::Decryption);
            }
            opened = k.open_forward(&r.forward_message(opened.hop_no()).unwrap(), &opts).unwrap();
        }
        let Route::Destination(d) = node::route(opened.payload()).unwrap() else { panic!() };
        prop_assert_eq!(d.body, &payload[..]);
        // The reply: intact it decodes, any tampered byte is detected by the client.
        let raw = node::DestinationRequest { base64: false, ..d.clone() };
        let reply = opened.v3_reply(&raw, 200, node::ReplyBody::Text("ok"), &mut common::rng(seed)).unwrap();
        let v3 = onion.reply_key().decode_v3(&reply).unwrap();
        prop_assert_eq!(v3.status, Some(200));
        prop_assert_eq!(onion.reply_key().open(&flip_at(&reply)).unwrap_err(), ClientError::Decryption);
        // A reply key stored as bytes and rebuilt in "another process" reads the same reply.
        let key = onion.reply_key();
        let stored = key.shared_secret().to_zeroizing();
        let again = session_onion::client::ReplyKey::from_parts(
            key.enc_type(),
            session_core::hazmat::shared_secret_from_bytes(*stored),
            key.ephemeral_public(),
            key.destination_public(),
        );
        prop_assert_eq!(again.decode_v3(&reply).unwrap(), v3);
        prop_assert_eq!(again.destination_public(), key.destination_public());
    }
}
