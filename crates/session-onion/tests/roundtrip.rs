//! End-to-end: a deterministic 3-hop onion to a node and to a server, each hop peeling its own
//! layer, the reply decrypted by the client; hop counters, status mapping, tampering.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use session_core::{Ed25519PublicKey, X25519PublicKey};
use session_onion::client::{Builder, Destination, Hop, Protocol, Server, V4_TARGET, v4_request};
use session_onion::node::{self, NodeKey, ReplyBody, Route};
use session_onion::node::{Failure, RelayFailure};
use session_onion::{
    ClientError, CryptoError, EncType, Error, FormatError, NodeError, OpenOptions, bencode,
    framing, hop,
};

struct TestNode {
    key: NodeKey,
    hop: Hop,
}

fn nodes(n: usize) -> Vec<TestNode> {
    (0..n)
        .map(|i| {
            let secret = [i as u8 + 10; 32];
            let key = common::key(secret);
            let hop = Hop::new(
                Ed25519PublicKey::from_bytes([i as u8 + 100; 32]),
                key.public(),
            );
            TestNode { key, hop }
        })
        .collect()
}

const RPC: &[u8] = br#"{"method":"retrieve","params":{"pubkey":"05aa"}}"#;

/// Carries `request` through `path` as the nodes would; returns the last hop's route payload
/// for a node destination (the forward message to the destination) and the hop numbers seen.
fn through_path(path: &[TestNode], request: &[u8], last: Option<&TestNode>) -> (Vec<u8>, Vec<u64>) {
    let opts = OpenOptions::default();
    let mut seen = vec![];
    let mut opened = path[0].key.open_request(request, &opts).unwrap();
    for i in 0..path.len() {
        seen.push(opened.hop_no());
        let route = node::route(opened.payload()).unwrap();
        let Route::RelayToNode(relay) = route else {
            panic!("hop {i} expected relay to node")
        };
        let expected_next = path.get(i + 1).or(last).map(|n| n.hop.ed25519);
        assert_eq!(
            Some(relay.destination),
            expected_next,
            "hop {i} learns only the next hop"
        );
        let msg = relay.forward_message(opened.hop_no()).unwrap();
        // The sending node's own key cannot open the layer it forwards.
        if i + 1 < path.len() {
            assert_eq!(
                path[i].key.open_forward(&msg, &opts).unwrap_err(),
                NodeError::Decryption
            );
        }
        match path.get(i + 1) {
            Some(next) => opened = next.key.open_forward(&msg, &opts).unwrap(),
            None => return (msg, seen),
        }
    }
    unreachable!()
}

#[test]
fn three_hops_to_a_node_both_ciphers() {
    for enc in [EncType::AesGcm, EncType::XChaCha20] {
        let all = nodes(4);
        let (path, dest) = all.split_at(3);
        let dest = &dest[0];
        let mut rng = common::rng(42);
        let onion = Builder::new(enc)
            .hops(path.iter().map(|n| n.hop))
            .build(&Destination::node(dest.hop), RPC, &mut rng)
            .unwrap();
        // Deterministic with a seeded RNG.
        let again = Builder::new(enc)
            .hops(path.iter().map(|n| n.hop))
            .build(&Destination::node(dest.hop), RPC, &mut common::rng(42))
            .unwrap();
        assert_eq!(onion.request(), again.request());
        let other = Builder::new(enc)
            .hops(path.iter().map(|n| n.hop))
            .build(&Destination::node(dest.hop), RPC, &mut common::rng(43))
            .unwrap();
        assert_ne!(onion.request(), other.request());

        // Outer JSON as libsession writes it.
        let outer = framing::decode(onion.request(), usize::MAX).unwrap();
        assert_eq!(outer.json["enc_type"], enc.name());
        assert_eq!(outer.json.len(), 2);

        let (msg, hops_seen) = through_path(path, onion.request(), Some(dest));
        assert_eq!(hops_seen, vec![0, 1, 2]);
        let opened = dest
            .key
            .open_forward(&msg, &OpenOptions::default())
            .unwrap();
        assert_eq!(opened.hop_no(), 3);
        assert_eq!(opened.enc_type(), enc);
        assert_eq!(opened.remote_pubkey(), onion.reply_key().ephemeral_public());
        let Route::Destination(d) = node::route(opened.payload()).unwrap() else {
            panic!()
        };
        assert_eq!(d.body, RPC);
        assert!(!d.json);
        assert!(d.base64);
        // Exactly libsession's innermost framing.
        let mut expect = (RPC.len() as u32).to_le_bytes().to_vec();
        expect.extend_from_slice(RPC);
        expect.extend_from_slice(br#"{"headers":""}"#);
        assert_eq!(opened.payload(), &expect[..]);

        // Reply: double-encoded JSON body, base64, as the storage server answers.
        let body = serde_json::json!({"messages": [], "t": 1700000000000u64});
        let reply = opened
            .v3_reply(&d, 200, ReplyBody::Json(&body), &mut rng)
            .unwrap();
        let decoded = onion.reply_key().decode_v3(&reply).unwrap();
        assert_eq!(decoded.status, Some(200));
        assert_eq!(
            decoded.body,
            Some(serde_json::Value::String(body.to_string()))
        );
        // The {"result": ...} wrapper is understood too.
        let wrapped = serde_json::to_vec(
            &serde_json::json!({"result": String::from_utf8(reply.clone()).unwrap()}),
        )
        .unwrap();
        assert_eq!(onion.reply_key().decode_v3(&wrapped).unwrap(), decoded);
        // json:true embeds raw; base64:false sends raw bytes.
        let raw_request = node::DestinationRequest {
            json: true,
            base64: false,
            ..d.clone()
        };
        let raw = opened
            .v3_reply(&raw_request, 421, ReplyBody::Json(&body), &mut rng)
            .unwrap();
        let decoded = onion.reply_key().decode_v3(&raw).unwrap();
        assert_eq!(decoded.status, Some(421));
        assert_eq!(decoded.body, Some(body.clone()));
        // Another onion's key cannot read it.
        assert!(other.reply_key().decode_v3(&reply).is_err());
    }
}

#[test]
fn three_hops_to_a_server_v4() {
    for enc in [EncType::AesGcm, EncType::XChaCha20] {
        let path = nodes(3);
        let server_key = common::key([77; 32]);
        let server =
            Server::new("files.example.org", server_key.public()).protocol(Protocol::Https);
        let payload = v4_request(
            "POST",
            "/file",
            &[("User-Agent", "x"), ("X-A", "1")],
            Some(b"hello"),
        )
        .unwrap();
        let mut rng = common::rng(7);
        let onion = Builder::new(enc)
            .hops(path.iter().map(|n| n.hop))
            .build(&Destination::server(server), &payload, &mut rng)
            .unwrap();

        let opts = OpenOptions::default();
        let mut opened = path[0].key.open_request(onion.request(), &opts).unwrap();
        for i in 0..2 {
            let Route::RelayToNode(r) = node::route(opened.payload()).unwrap() else {
                panic!()
            };
            assert_eq!(r.destination, path[i + 1].hop.ed25519);
            opened = path[i + 1]
                .key
                .open_forward(&r.forward_message(opened.hop_no()).unwrap(), &opts)
                .unwrap();
        }
        let Route::RelayToServer(r) = node::route(opened.payload()).unwrap() else {
            panic!()
        };
        assert_eq!(r.host, "files.example.org");
        assert_eq!(r.target, V4_TARGET);
        assert_eq!(r.port, 443);
        assert_eq!(r.protocol, "https");
        // The server opens the whole last-hop plaintext as an onion layer of its own.
        let at_server = server_key.open_request(r.payload, &opts).unwrap();
        assert_eq!(at_server.payload(), &payload[..]);
        let (meta, body) = bencode::decode_v4(at_server.payload()).unwrap();
        let meta: serde_json::Value = serde_json::from_slice(meta).unwrap();
        assert_eq!(meta["method"], "POST");
        assert_eq!(meta["endpoint"], "/file");
        assert_eq!(meta["headers"]["X-A"], "1");
        assert_eq!(meta["headers"]["Content-Type"], "application/json");
        assert!(meta["headers"].get("User-Agent").is_none());
        assert_eq!(body, Some(&b"hello"[..]));

        let v4 = at_server.v4_request().unwrap();
        assert_eq!(
            (v4.method.as_str(), v4.endpoint.as_str(), v4.body),
            ("POST", "/file", Some(&b"hello"[..]))
        );
        let reply = at_server
            .v4_reply(201, &[("Content-Type", "text/plain")], b"ok", &mut rng)
            .unwrap();
        let r = onion.reply_key().decode_v4(&reply).unwrap();
        assert_eq!(r.code, 201);
        assert_eq!(
            r.headers,
            vec![("content-type".into(), "text/plain".into())]
        );
        assert_eq!(r.body, b"ok");
    }
}

#[test]
fn server_ports_default_by_protocol() {
    let path = nodes(1);
    let key = common::key([5; 32]);
    for (server, port, proto) in [
        (
            Server::new("a", key.public()).protocol(Protocol::Http),
            80,
            "http",
        ),
        (Server::new("a", key.public()), 443, "https"),
        (
            Server::new("a\"b\\c\n", key.public()).port(8080),
            8080,
            "https",
        ),
    ] {
        let host = server.host.clone();
        let onion = Builder::new(EncType::XChaCha20)
            .hop(path[0].hop)
            .build(&Destination::server(server), b"x", &mut common::rng(1))
            .unwrap();
        let opened = path[0]
            .key
            .open_request(onion.request(), &OpenOptions::default())
            .unwrap();
        let Route::RelayToServer(r) = node::route(opened.payload()).unwrap() else {
            panic!()
        };
        assert_eq!(
            (r.port, r.protocol.as_str(), r.host.as_str()),
            (port, proto, host.as_str())
        );
    }
}

#[test]
fn gcm_fallback_is_opt_in() {
    let path = nodes(2);
    let dest = common::key([9; 32]);
    let server = Server::new("s", dest.public());
    let onion = Builder::new(EncType::XChaCha20)
        .hops(path.iter().map(|n| n.hop))
        .build(&Destination::server(server), b"q", &mut common::rng(3))
        .unwrap();
    // A legacy server answering with AES-GCM under the same shared secret.
    let eph = onion.reply_key().ephemeral_public();
    let ct = hop::encrypt(
        EncType::AesGcm,
        hop::Role::Server,
        &dest,
        &eph,
        b"l12:{\"code\":500}e",
        &mut common::rng(4),
    )
    .unwrap();
    assert_eq!(
        onion.reply_key().decode_v4(&ct).unwrap_err(),
        ClientError::Decryption
    );
    let lenient = onion.reply_key().clone().with_gcm_fallback(true);
    assert_eq!(lenient.decode_v4(&ct).unwrap().code, 500);
}

#[test]
fn path_lengths() {
    let all = nodes(16);
    let dest = Destination::node(all[15].hop);
    assert_eq!(
        Builder::new(EncType::AesGcm)
            .build(&dest, RPC, &mut common::rng(1))
            .unwrap_err(),
        ClientError::PathLength(0)
    );
    let fifteen = Builder::new(EncType::AesGcm).hops(all[..15].iter().map(|n| n.hop));
    let onion = fifteen.build(&dest, RPC, &mut common::rng(1)).unwrap();
    let too_many = fifteen.clone().hop(all[15].hop);
    assert_eq!(
        too_many.build(&dest, RPC, &mut common::rng(1)).unwrap_err(),
        ClientError::PathLength(16)
    );
    // A 15-hop path reaches the destination with hop_no 15; one more hop would be refused.
    let (msg, seen) = through_path(&all[..15], onion.request(), Some(&all[15]));
    assert_eq!(seen, (0..15).collect::<Vec<u64>>());
    let opened = all[15]
        .key
        .open_forward(&msg, &OpenOptions::default())
        .unwrap();
    assert_eq!(opened.hop_no(), 15);
    let Route::Destination(_) = node::route(opened.payload()).unwrap() else {
        panic!()
    };
    let relay = node::RelayToNode {
        destination: all[0].hop.ed25519,
        ephemeral_key: all[0].hop.x25519,
        enc_type: EncType::AesGcm,
        blob: b"x",
    };
    assert_eq!(relay.forward_message(15), Err(NodeError::HopLimit(16)));
    assert!(relay.forward_message(14).is_ok());
}

#[test]
fn low_order_hop_key_is_rejected() {
    let all = nodes(2);
    let bad = Hop::new(all[0].hop.ed25519, X25519PublicKey::from_bytes([0; 32]));
    let r = Builder::new(EncType::AesGcm).hop(bad).build(
        &Destination::node(all[1].hop),
        RPC,
        &mut common::rng(1),
    );
    assert_eq!(
        r.unwrap_err(),
        ClientError::LowOrderKey(X25519PublicKey::from_bytes([0; 32]))
    );
    // And a request whose ephemeral key has low order is answered "Invalid ciphertext".
    let req = framing::encode(
        &[0u8; 40],
        format!(r#"{{"ephemeral_key":"{}"}}"#, "00".repeat(32)).as_bytes(),
    )
    .unwrap();
    let e = node::open_request(&common::key([1; 32]), &req).unwrap_err();
    assert_eq!(e, NodeError::LowOrderKey);
    assert_eq!(node::error_response(&e).body, "Invalid ciphertext");
}

#[test]
fn tampering_any_layer_is_detected() {
    let all = nodes(4);
    let (path, dest) = all.split_at(3);
    for enc in [EncType::AesGcm, EncType::XChaCha20] {
        let onion = Builder::new(enc)
            .hops(path.iter().map(|n| n.hop))
            .build(&Destination::node(dest[0].hop), b"{}", &mut common::rng(5))
            .unwrap();
        let req = onion.request();
        let ct_len = u32::from_le_bytes(req[..4].try_into().unwrap()) as usize;
        // Every byte of the outer ciphertext.
        for i in 4..4 + ct_len {
            let mut t = req.to_vec();
            t[i] ^= 0x80;
            assert_eq!(
                path[0]
                    .key
                    .open_request(&t, &OpenOptions::default())
                    .unwrap_err(),
                NodeError::Decryption,
                "byte {i}"
            );
        }
        // Every byte of the blob each inner node receives.
        let opts = OpenOptions::default();
        let mut opened = path[0].key.open_request(req, &opts).unwrap();
        for next in path[1..].iter().chain(dest) {
            let Route::RelayToNode(r) = node::route(opened.payload()).unwrap() else {
                panic!()
            };
            for i in 0..r.blob.len() {
                let mut blob = r.blob.to_vec();
                blob[i] ^= 1;
                let m = node::ForwardMessage::new(&blob, r.enc_type, r.ephemeral_key, 1).encode();
                assert_eq!(
                    next.key.open_forward(&m, &opts).unwrap_err(),
                    NodeError::Decryption
                );
            }
            opened = next
                .key
                .open_forward(&r.forward_message(opened.hop_no()).unwrap(), &opts)
                .unwrap();
        }
    }
}

#[test]
fn node_answers_like_the_storage_server() {
    let guard = common::key([1; 32]);
    let opts = OpenOptions::default();
    fn check<'a>(e: impl Into<Failure<'a>>, status: u16, body: &str, encrypted: bool) {
        let e = e.into();
        let r = node::error_response(e);
        assert_eq!(
            (r.status, r.body.as_str(), r.encrypted),
            (status, body, encrypted),
            "{e:?}"
        );
    }
    // Outer framing / JSON problems: 400 "Error parsing onion request: …", plain.
    for bad in [
        &b""[..],
        b"abc",
        b"\x05\x00\x00\x00abc",
        b"\x00\x00\x00\x00not json",
        b"\x00\x00\x00\x00{}",
        b"\x00\x00\x00\x00[]",
        b"\x00\x00\x00\x00{\"ephemeral_key\":\"zz\"}",
        b"\x00\x00\x00\x00{\"ephemeral_key\":1}",
    ] {
        let e = guard.open_request(bad, &opts).unwrap_err();
        let r = node::error_response(&e);
        assert_eq!(r.status, 400);
        assert!(
            r.body.starts_with("Error parsing onion request: "),
            "{}",
            r.body
        );
        assert!(!r.encrypted);
    }
    let key = common::key([2; 32]).public().to_string();
    let unknown = format!(r#"{{"ephemeral_key":"{key}","enc_type":"rot13"}}"#);
    let e = guard
        .open_request(
            &framing::encode(&[0; 40], unknown.as_bytes()).unwrap(),
            &opts,
        )
        .unwrap_err();
    assert!(
        node::error_response(&e)
            .body
            .starts_with("Error parsing onion request: ")
    );
    // JSON followed by junk is refused.
    let junk = format!(r#"{{"ephemeral_key":"{key}"}}x"#);
    assert!(matches!(
        guard.open_request(&framing::encode(&[0; 40], junk.as_bytes()).unwrap(), &opts),
        Err(NodeError::InvalidOuter(_))
    ));
    // Undecryptable: "Invalid ciphertext"; too short for the cipher too.
    for len in [0, 27, 28, 100] {
        let req = framing::encode(
            &vec![0; len],
            format!(r#"{{"ephemeral_key":"{key}"}}"#).as_bytes(),
        )
        .unwrap();
        let e = guard.open_request(&req, &opts).unwrap_err();
        check(&e, 400, "Invalid ciphertext", false);
    }
    // hop_no > 15 at the entry is not checked there (the storage server's HTTPS/QUIC entry
    // does not): the layer is opened, here failing on its ciphertext.
    let req = framing::encode(
        &[0; 40],
        format!(r#"{{"ephemeral_key":"{key}","hop_no":16}}"#).as_bytes(),
    )
    .unwrap();
    check(
        &guard.open_request(&req, &opts).unwrap_err(),
        400,
        "Invalid ciphertext",
        false,
    );
    // ... but a forwarded layer above 15 is refused before decryption (the OMQ handler).
    let m = node::ForwardMessage::new(&[0; 40], EncType::AesGcm, common::key([2; 32]).public(), 16)
        .encode();
    check(
        &guard.open_forward(&m, &opts).unwrap_err(),
        400,
        "onion request max path length exceeded",
        false,
    );
    // A forward message that does not decode: 400 "Invalid internal onion request: …"
    // (omq.cpp), not the HTTPS entry's "Error parsing onion request".
    for bad in [
        &b""[..],
        b"le",
        b"d4:data1:xe",
        b"d4:data1:x13:ephemeral_key1:ke",
        b"d4:data1:x8:enc_type5:rot1313:ephemeral_key32:0123456789abcdef0123456789abcdefe",
        b"d8:enc_type3:gcm4:data1:xe",
    ] {
        let e = guard.open_forward(bad, &opts).unwrap_err();
        assert!(matches!(e, NodeError::InvalidForward(_)), "{e:?}");
        let r = node::error_response(&e);
        assert_eq!((r.status, r.encrypted), (400, false));
        assert!(
            r.body.starts_with("Invalid internal onion request: "),
            "{}",
            r.body
        );
    }
    let req = framing::encode(
        &[0; 40],
        format!(r#"{{"ephemeral_key":"{key}","hop_no":-3}}"#).as_bytes(),
    )
    .unwrap();
    check(
        &guard.open_request(&req, &opts).unwrap_err(),
        400,
        "Invalid ciphertext",
        false,
    );
    // Size limit (configurable).
    let e = guard
        .open_request(&req, &OpenOptions::default().max_size(10))
        .unwrap_err();
    check(&e, 413, "Request body too large", false);
    // Inner problems are encrypted for the layer's key.
    check(
        &node::route(b"\x00\x00\x00\x00{").unwrap_err(),
        400,
        "Invalid json",
        true,
    );
    check(
        &node::route(b"\x00\x00\x00\x00{\"destination\":\"00\"}").unwrap_err(),
        400,
        "Invalid json",
        true,
    );
    check(
        &node::route(b"\x00\x00\x00\x00{\"host\":\"h\",\"target\":\"/x\"}").unwrap_err(),
        400,
        "Invalid url",
        true,
    );
    check(
        &node::route(
            b"\x00\x00\x00\x00{\"host\":\"h\",\"target\":\"/oxen/v4/lsrpc\",\"port\":70000}",
        )
        .unwrap_err(),
        400,
        "Invalid json",
        true,
    );
    check(
        &node::route(b"\x00\x00\x00\x00{\"headers\":1,\"json\":\"yes\"}").unwrap_err(),
        400,
        "Invalid json",
        true,
    );
    let ed = Ed25519PublicKey::from_bytes([0xab; 32]);
    check(
        &RelayFailure::NextNodeNotFound(ed),
        502,
        &format!("Next node not found: {}", "ab".repeat(32)),
        false,
    );
    check(
        &RelayFailure::NodeNotReady(ed),
        503,
        &format!("Snode not ready: {}", "ab".repeat(32)),
        false,
    );
    check(&RelayFailure::Timeout, 504, "Request time out", false);
    check(
        &RelayFailure::InvalidResponse,
        500,
        "Invalid response from snode",
        false,
    );
    check(
        &RelayFailure::ServerUnreachable("Couldn't connect".into()),
        502,
        "Couldn't connect",
        false,
    );
    assert_eq!(
        node::quic_error_body(502, "Next node not found: ab"),
        "502 Bad Gateway\n\nNext node not found: ab"
    );

    // An encrypted error reply reaches the client when it is the innermost layer.
    let all = nodes(2);
    let onion = Builder::new(EncType::XChaCha20)
        .hop(all[0].hop)
        .build(&Destination::node(all[1].hop), b"x", &mut common::rng(9))
        .unwrap();
    let opened = all[0].key.open_request(onion.request(), &opts).unwrap();
    let Route::RelayToNode(r) = node::route(opened.payload()).unwrap() else {
        panic!()
    };
    let at_dest = all[1]
        .key
        .open_forward(&r.forward_message(0).unwrap(), &opts)
        .unwrap();
    let reply = at_dest
        .error_reply(&NodeError::InvalidUrl, &mut common::rng(1))
        .unwrap();
    assert_eq!(reply.status, 200);
    let v3 = onion.reply_key().decode_v3(&reply.body).unwrap();
    assert_eq!(v3.status, Some(400));
    assert_eq!(v3.body, Some(serde_json::json!("Invalid url")));
    let plain = at_dest
        .error_reply(&RelayFailure::Timeout, &mut common::rng(1))
        .unwrap();
    assert_eq!(
        (plain.status, plain.body.as_slice()),
        (504, &b"Request time out"[..])
    );
}

#[test]
fn forward_message_format() {
    let key = X25519PublicKey::from_bytes([0x41; 32]);
    let m = node::ForwardMessage::new(b"blob", EncType::XChaCha20, key, 2).encode();
    let mut expect = b"d4:data4:blob8:enc_type9:xchacha2013:ephemeral_key32:".to_vec();
    expect.extend_from_slice(&[0x41; 32]);
    expect.extend_from_slice(b"6:hop_noi2ee");
    assert_eq!(m, expect);
    let d = node::ForwardMessage::decode(&m, &OpenOptions::default()).unwrap();
    assert_eq!(
        (d.data, d.enc_type(), d.ephemeral_key, d.hop_no),
        (&b"blob"[..], EncType::XChaCha20, key, 2)
    );
    // Absent enc_type ⇒ AES-GCM; absent hop_no ⇒ 0 (the receiver clamps to 1).
    let mut m = b"d4:data4:blob13:ephemeral_key32:".to_vec();
    m.extend_from_slice(&[0x41; 32]);
    m.push(b'e');
    let d = node::ForwardMessage::decode(&m, &OpenOptions::default()).unwrap();
    assert_eq!((d.enc_type(), d.hop_no), (EncType::AesGcm, 0));
    // Unsorted keys, wrong key size, hop_no 16.
    assert!(
        node::ForwardMessage::decode(b"d8:enc_type3:gcm4:data1:xe", &OpenOptions::default())
            .is_err()
    );
    assert!(
        node::ForwardMessage::decode(b"d4:data1:x13:ephemeral_key1:ke", &OpenOptions::default())
            .is_err()
    );
    let m = node::ForwardMessage::new(b"blob", EncType::AesGcm, key, 16).encode();
    assert_eq!(
        common::key([1; 32])
            .open_forward(&m, &OpenOptions::default())
            .unwrap_err(),
        NodeError::HopLimit(16)
    );
}

#[test]
fn enc_type_names() {
    for (s, e) in [
        ("aes-gcm", EncType::AesGcm),
        ("gcm", EncType::AesGcm),
        ("xchacha20", EncType::XChaCha20),
        ("xchacha20-poly1305", EncType::XChaCha20),
    ] {
        assert_eq!(s.parse::<EncType>().unwrap(), e);
    }
    for s in ["aes-cbc", "cbc", "", "AES-GCM", "xchacha"] {
        assert!(s.parse::<EncType>().is_err(), "{s}");
    }
    assert_eq!(EncType::default(), EncType::AesGcm);
    assert_eq!(EncType::AesGcm.to_string(), "aes-gcm");
    assert_eq!(
        (EncType::AesGcm.overhead(), EncType::XChaCha20.overhead()),
        (28, 40)
    );
}

#[test]
fn v4_request_rules() {
    assert_eq!(
        v4_request("GET", "room", &[], None),
        Err(ClientError::InvalidEndpoint)
    );
    let r = v4_request("PUT", "/x", &[("content-type", "text/plain")], Some(b"b")).unwrap();
    let (m, b) = bencode::decode_v4(&r).unwrap();
    let m: serde_json::Value = serde_json::from_slice(m).unwrap();
    assert_eq!(
        m["headers"],
        serde_json::json!({"content-type": "text/plain"})
    );
    assert_eq!(b, Some(&b"b"[..]));
}

#[test]
fn bencode_rules() {
    for bad in [
        &b"i-0e"[..],
        b"i01e",
        b"ie",
        b"i1",
        b"01:a",
        b"2:a",
        b"l",
        b"d1:a",
        b"d1:bi1e1:ai2ee",
        b"d1:ai1e1:ai2ee",
        b"di1ei1ee",
        b"x",
        b"i1ei2e",
        b"i9223372036854775808e",
    ] {
        assert!(
            bencode::decode(bad).is_err(),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
    assert_eq!(
        bencode::decode(b"i-9223372036854775808e").unwrap(),
        bencode::Value::Int(i64::MIN)
    );
    let deep = format!("{}{}", "l".repeat(16), "e".repeat(16));
    assert!(bencode::decode(deep.as_bytes()).is_ok());
    let deeper = format!("{}{}", "l".repeat(17), "e".repeat(17));
    assert!(bencode::decode(deeper.as_bytes()).is_err());
    assert!(bencode::decode_v4(b"le").is_err());
    assert!(bencode::decode_v4(b"l1:a1:b1:ce").is_err());
    assert!(bencode::decode_v4(b"li1ee").is_err());
}

#[test]
fn v4_request_parsing_rules() {
    let v4 = |meta: &str| bencode::encode_v4(meta.as_bytes(), None);
    assert!(node::parse_v4_request(&v4(r#"{"method":"G"}"#)).is_err());
    assert_eq!(
        node::parse_v4_request(&v4(r#"{"method":"G","endpoint":"x"}"#)),
        Err(FormatError::InvalidField {
            field: "endpoint",
            reason: "does not start with '/'"
        })
    );
    let req = v4(r#"{"method":"G","endpoint":"/x","headers":{"n":1}}"#);
    let r = node::parse_v4_request(&req).unwrap();
    assert_eq!(r.headers, vec![("n".to_string(), "1".to_string())]);
    // Headers come back sorted by name; a non-object is refused, by both v4 parsers.
    let req = v4(r#"{"method":"G","endpoint":"/x","headers":{"b":"2","a":"1"}}"#);
    let sorted = vec![
        ("a".to_string(), "1".to_string()),
        ("b".to_string(), "2".to_string()),
    ];
    assert_eq!(node::parse_v4_request(&req).unwrap().headers, sorted);
    let reply = v4(r#"{"code":200,"headers":{"b":"2","a":"1"}}"#);
    let parsed = session_onion::fuzzing::parse_v4_reply(&reply).unwrap();
    assert_eq!(parsed.headers, sorted);
    let not_object = Err(FormatError::InvalidField {
        field: "headers",
        reason: "not an object",
    });
    let req = v4(r#"{"method":"G","endpoint":"/x","headers":[]}"#);
    assert_eq!(node::parse_v4_request(&req).map(|r| r.headers), not_object);
    let reply = v4(r#"{"code":200,"headers":"x"}"#);
    assert_eq!(
        session_onion::fuzzing::parse_v4_reply(&reply).map(|r| r.headers),
        not_object
    );
    // A raw encrypted-reply round trip keeps header names lower-case, as SOGS sends them.
    let key = common::key([3; 32]);
    let onion = Builder::new(EncType::AesGcm)
        .hop(Hop::new(
            Ed25519PublicKey::from_bytes([1; 32]),
            key.public(),
        ))
        .build(
            &Destination::server(Server::new("h", key.public())),
            b"l2:{}e",
            &mut common::rng(2),
        )
        .unwrap();
    let opened = key
        .open_request(onion.request(), &OpenOptions::default())
        .unwrap();
    let Route::RelayToServer(r) = node::route(opened.payload()).unwrap() else {
        panic!()
    };
    let at_server = key
        .open_request(r.payload, &OpenOptions::default())
        .unwrap();
    assert_eq!(
        at_server.v4_request(),
        Err(FormatError::MissingField("method"))
    );
    let reply = at_server
        .v4_reply(
            404,
            &[("X-Thing", "1"), ("Content-Length", "0")],
            b"",
            &mut common::rng(3),
        )
        .unwrap();
    let r = onion.reply_key().decode_v4(&reply).unwrap();
    assert_eq!(
        (r.code, r.headers, r.body),
        (404, vec![("x-thing".to_string(), "1".to_string())], vec![])
    );
}

#[test]
fn misdirected_body_lists_the_swarm() {
    let ed = "ab".repeat(32);
    let x = "cd".repeat(32);
    let body = serde_json::json!({
        "snodes": [
            {"pubkey_ed25519": ed, "pubkey_x25519": x, "pubkey_legacy": "ee", "ip": "1.2.3.4", "port_https": 22021, "port_omq": 22020},
            {"pubkey_ed25519": ed, "pubkey_x25519": x, "ip": "5.6.7.8", "port_https": "443", "port_quic": 1234},
            {"pubkey_ed25519": "zz", "pubkey_x25519": x, "ip": "1.2.3.4"},
            {"pubkey_ed25519": ed, "pubkey_x25519": x, "ip": "not-an-ip"}
        ],
        "swarm": "ff00", "t": 1, "hf": [19, 3]
    });
    let nodes = session_onion::path::parse_misdirected(&body).unwrap();
    assert_eq!(nodes.len(), 2);
    assert_eq!(nodes[0].ed25519, Ed25519PublicKey::from_bytes([0xab; 32]));
    assert_eq!(nodes[0].x25519, X25519PublicKey::from_bytes([0xcd; 32]));
    assert_eq!(
        (nodes[0].ip.octets(), nodes[0].https_port, nodes[0].omq_port),
        ([1, 2, 3, 4], 22021, 22020)
    );
    assert_eq!((nodes[1].https_port, nodes[1].omq_port), (443, 1234));
    assert_eq!(nodes[0].swarm_id, session_core::SwarmId(0xff00));
    assert!(session_onion::path::parse_misdirected(&serde_json::json!({})).is_err());
}

#[test]
fn fake_start_hop_number() {
    let all = nodes(4);
    let (path, dest) = all.split_at(3);
    let b = Builder::new(EncType::XChaCha20)
        .hops(path.iter().map(|n| n.hop))
        .start_hop_no(9);
    let onion = b
        .build(&Destination::node(dest[0].hop), RPC, &mut common::rng(8))
        .unwrap();
    let outer = framing::decode(onion.request(), usize::MAX).unwrap();
    assert_eq!(outer.json["hop_no"], 9);
    let (msg, seen) = through_path(path, onion.request(), Some(&dest[0]));
    assert_eq!(seen, vec![9, 10, 11]);
    assert_eq!(
        dest[0]
            .key
            .open_forward(&msg, &OpenOptions::default())
            .unwrap()
            .hop_no(),
        12
    );
    // Too high a start: like the storage server's entry, the guard still opens the layer
    // (a guard that is itself the destination serves it), but the layer cannot be forwarded:
    // 400 "onion request max path length exceeded", the answer the next node would give.
    let onion = b
        .clone()
        .start_hop_no(16)
        .build(&Destination::node(dest[0].hop), RPC, &mut common::rng(8))
        .unwrap();
    let opened = path[0]
        .key
        .open_request(onion.request(), &OpenOptions::default())
        .unwrap();
    assert_eq!(opened.hop_no(), 16);
    let Route::RelayToNode(relay) = node::route(opened.payload()).unwrap() else {
        panic!()
    };
    let e = relay.forward_message(opened.hop_no()).unwrap_err();
    assert_eq!(e, NodeError::HopLimit(17));
    let r = node::error_response(&e);
    assert_eq!(
        (r.status, r.body.as_str(), r.encrypted),
        (400, "onion request max path length exceeded", false)
    );
    // A one-hop path to the guard itself with a start of 16 is served, as the reference does.
    let onion = Builder::new(EncType::AesGcm)
        .hop(path[1].hop)
        .start_hop_no(16)
        .build(&Destination::node(path[0].hop), RPC, &mut common::rng(8))
        .unwrap();
    assert!(
        path[1]
            .key
            .open_request(onion.request(), &OpenOptions::default())
            .is_ok()
    );
}

#[test]
fn in_place_hop_encryption_stays_in_place() {
    let (a, b) = (common::key([5u8; 32]), common::key([6u8; 32]));
    let (pa, pb) = (a.public(), b.public());
    for enc in [EncType::AesGcm, EncType::XChaCha20] {
        let pt = b"in place, please".to_vec();
        // Spare capacity for the overhead: the allocation is reused.
        let mut buf = Vec::with_capacity(pt.len() + enc.overhead());
        buf.extend_from_slice(&pt);
        let ptr = buf.as_ptr();
        hop::encrypt_in_place(
            enc,
            hop::Role::Client,
            &a,
            &pb,
            &mut buf,
            &mut common::rng(1),
        )
        .unwrap();
        assert_eq!(buf.as_ptr(), ptr);
        assert_eq!(buf.len(), pt.len() + enc.overhead());
        hop::decrypt_in_place(enc, hop::Role::Server, &b, &pa, &mut buf).unwrap();
        assert_eq!((buf.as_ptr(), &buf[..]), (ptr, &pt[..]));
        // No spare capacity: still correct (moved, the old allocation wiped).
        let mut tight = pt.clone();
        tight.shrink_to_fit();
        hop::encrypt_in_place(
            enc,
            hop::Role::Client,
            &a,
            &pb,
            &mut tight,
            &mut common::rng(1),
        )
        .unwrap();
        assert_eq!(
            hop::decrypt(enc, hop::Role::Server, &b, &pa, &tight).unwrap(),
            pt
        );
        // A failed in-place decryption leaves nothing behind.
        let last = tight.len() - 1;
        tight[last] ^= 1;
        assert_eq!(
            hop::decrypt_in_place(enc, hop::Role::Server, &b, &pa, &mut tight),
            Err(CryptoError::Decryption)
        );
        assert!(tight.is_empty());
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    // serde_json stops at 128 levels (its default recursion limit; the crate never enables
    // `unbounded_depth`), bencode at `bencode::MAX_DEPTH`.
    let deep_json = |n: usize| {
        let mut v = b"{\"headers\":".to_vec();
        v.extend(std::iter::repeat_n(b'[', n));
        v.extend(std::iter::repeat_n(b']', n));
        v.push(b'}');
        v
    };
    // 100 levels are fine, 100 000 are refused with an error.
    let ok = framing::encode(b"ct", &deep_json(100)).unwrap();
    assert!(matches!(node::route(&ok), Ok(Route::Destination(_))));
    let deep = framing::encode(b"ct", &deep_json(100_000)).unwrap();
    let e = node::route(&deep).unwrap_err();
    assert!(matches!(
        &e,
        NodeError::InvalidInner(FormatError::InvalidJson(_))
    ));
    assert!(framing::decode(&deep, usize::MAX).is_err());
    assert!(session_onion::fuzzing::parse_v3_reply(&deep_json(100_000)).is_err());
    let v4 = bencode::encode_v4(&deep_json(100_000), None);
    assert!(session_onion::fuzzing::parse_v4_reply(&v4).is_err());
    assert!(node::parse_v4_request(&v4).is_err());

    let mut l = vec![b'l'; 100_000];
    l.extend(vec![b'e'; 100_000]);
    assert!(matches!(
        bencode::decode(&l),
        Err(FormatError::Bencode {
            reason: "nesting too deep",
            ..
        })
    ));
    let mut ok = vec![b'l'; bencode::MAX_DEPTH];
    ok.extend(vec![b'e'; bencode::MAX_DEPTH]);
    assert!(bencode::decode(&ok).is_ok());
}

#[test]
fn fuzzing_pipeline_gets_past_the_aead() {
    use session_onion::fuzzing::node_pipeline;
    // A valid destination layer is opened, routed and answered.
    assert_eq!(
        node_pipeline(b"\x02\x00\x00\x00{}{\"headers\":\"\"}"),
        Ok(())
    );
    // Garbage is decrypted fine and then refused by the router (not by the AEAD).
    assert!(matches!(
        node_pipeline(b"junk"),
        Err(Error::Node(NodeError::InvalidInner(_)))
    ));
    assert_eq!(
        node_pipeline(b"\x00\x00\x00\x00{\"host\":\"h\",\"target\":\"/x\"}"),
        Err(Error::Node(NodeError::InvalidUrl))
    );
}
