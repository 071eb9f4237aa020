//! Known-answer tests: every value of `tests/data/onion.json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{Replay, h, h32, vectors};
use session_onion::hazmat;
use session_onion::hop::{self, Role};
use session_onion::node::{self, Route};
use session_onion::{CryptoError, EncType, FormatError, NodeError, OpenOptions, bencode, framing};

#[test]
fn hop_encryption_kat() {
    let v = vectors();
    let cases = v["hop_encryption"].as_array().unwrap();
    assert_eq!(cases.len(), 1);
    for c in cases {
        assert_eq!(c["kind"], "upstream");
        let (a, pa, b, pb) = (
            h32(&c["client_sec_a"]),
            h32(&c["client_pub_A"]),
            h32(&c["server_sec_b"]),
            h32(&c["server_pub_B"]),
        );
        let (ka, kb) = (common::key(a), common::key(b));
        assert_eq!(ka.public().to_bytes(), pa);
        assert_eq!(kb.public().to_bytes(), pb);
        assert_eq!(hazmat::public_key(&a), pa);
        let pt = c["plaintext_utf8"].as_str().unwrap().as_bytes();
        let d = &c["derived"];
        assert_eq!(
            *hazmat::shared_secret(&a, &pb).unwrap(),
            h32(&d["x25519_shared_aB"])
        );
        assert_eq!(
            *hazmat::shared_secret(&b, &pa).unwrap(),
            h32(&d["x25519_shared_aB"])
        );
        for role in [Role::Client, Role::Server] {
            let gcm = hazmat::hop_key(EncType::AesGcm, role, &a, &pa, &pb).unwrap();
            assert_eq!(
                hazmat::hop_key_bytes(&gcm),
                &h32(&d["aes_gcm_key_hmac_sha256_LOKI"])
            );
        }
        let xc = hazmat::hop_key(EncType::XChaCha20, Role::Client, &a, &pa, &pb).unwrap();
        assert_eq!(
            hazmat::hop_key_bytes(&xc),
            &h32(&d["xchacha20_key_blake2b32_aB_A_B"])
        );
        let xs = hazmat::hop_key(EncType::XChaCha20, Role::Server, &b, &pb, &pa).unwrap();
        assert_eq!(hazmat::hop_key_bytes(&xs), hazmat::hop_key_bytes(&xc));
        assert_eq!(d["checks"].as_array().unwrap().len(), 4);

        for (enc, sect) in [
            (EncType::AesGcm, &c["aes_gcm"]),
            (EncType::XChaCha20, &c["xchacha20"]),
        ] {
            let ct = h(&sect["ciphertext"]);
            assert_eq!(ct.len(), pt.len() + enc.overhead());
            // Both ends decrypt: the node with its static key, the client with its ephemeral one.
            assert_eq!(
                hop::decrypt(enc, Role::Server, &kb, &ka.public(), &ct).unwrap(),
                pt
            );
            assert_eq!(
                hop::decrypt(enc, Role::Client, &ka, &kb.public(), &ct).unwrap(),
                pt
            );
            // In place too.
            let mut buf = ct.clone();
            hop::decrypt_in_place(enc, Role::Server, &kb, &ka.public(), &mut buf).unwrap();
            assert_eq!(buf, pt);
            // Encryption with the same nonce reproduces the upstream bytes exactly.
            let nonce = ct[..enc.nonce_len()].to_vec();
            let again = hop::encrypt(
                enc,
                Role::Client,
                &ka,
                &kb.public(),
                pt,
                &mut Replay(nonce.clone(), 0),
            )
            .unwrap();
            assert_eq!(again, ct);
            // The byte-level functions agree, given the same raw keys.
            let raw = hazmat::encrypt(
                enc,
                Role::Client,
                &a,
                &pa,
                &pb,
                pt,
                &mut Replay(nonce.clone(), 0),
            )
            .unwrap();
            assert_eq!(raw, ct);
            assert_eq!(
                hazmat::decrypt(enc, Role::Server, &b, &pb, &pa, &ct).unwrap(),
                pt
            );
            assert_eq!(
                hazmat::decrypt(enc, Role::Server, &b, &pb, &pa, &ct[..enc.overhead() - 1]),
                Err(CryptoError::Decryption)
            );
            let shared = hazmat::shared_secret(&a, &pb).unwrap();
            let from_shared = hazmat::hop_key_from_shared(enc, &shared, &pa, &pb);
            assert_eq!(from_shared.open(&ct).unwrap(), pt);
            let mut buf = pt.to_vec();
            hop::encrypt_in_place(
                enc,
                Role::Client,
                &ka,
                &kb.public(),
                &mut buf,
                &mut Replay(nonce, 0),
            )
            .unwrap();
            assert_eq!(buf, ct);
            // Tampered variants fail, and leave no plaintext behind.
            let bad = sect["must_fail"].as_array().unwrap();
            assert_eq!(bad.len(), 2);
            for m in bad {
                let m = h(m);
                assert_ne!(m, ct);
                assert_eq!(
                    hop::decrypt(enc, Role::Server, &kb, &ka.public(), &m),
                    Err(CryptoError::Decryption)
                );
                let mut buf = m.clone();
                assert_eq!(
                    hop::decrypt_in_place(enc, Role::Server, &kb, &ka.public(), &mut buf),
                    Err(CryptoError::Decryption)
                );
                assert!(buf.is_empty());
            }
        }
        assert!(
            c["aes_gcm"]["must_fail_note"]
                .as_str()
                .unwrap()
                .contains("never actually")
        );
        assert_eq!(c["aes_gcm"]["layout"], "iv(12) || ct(11) || tag(16)");
        assert_eq!(c["xchacha20"]["layout"], "nonce(24) || ct(11) || tag(16)");

        // Swapped hash order (server first) fails for XChaCha20.
        let xct = h(&c["xchacha20"]["ciphertext"]);
        assert_eq!(
            hop::decrypt(EncType::XChaCha20, Role::Server, &ka, &kb.public(), &xct),
            Err(CryptoError::Decryption)
        );
        // AES-GCM keyed with the raw shared secret (SOGS test utility's claim) fails.
        use aes_gcm::aead::{Aead, KeyInit};
        let raw = aes_gcm::Aes256Gcm::new_from_slice(&h(&d["x25519_shared_aB"])).unwrap();
        let gct = h(&c["aes_gcm"]["ciphertext"]);
        let nonce: [u8; 12] = gct[..12].try_into().unwrap();
        assert!(raw.decrypt(&nonce.into(), &gct[12..]).is_err());
        let good =
            aes_gcm::Aes256Gcm::new_from_slice(&h(&d["aes_gcm_key_hmac_sha256_LOKI"])).unwrap();
        assert_eq!(good.decrypt(&nonce.into(), &gct[12..]).unwrap(), pt);
    }
}

#[test]
fn storage_server_channel_encryption() {
    let v = vectors();
    let s = &v["storage_server_channel_encryption"];
    let (a, pa, b, pb) = (
        h32(&s["alice_sec"]),
        h32(&s["alice_pub"]),
        h32(&s["bob_sec"]),
        h32(&s["bob_pub"]),
    );
    let (ka, kb) = (common::key(a), common::key(b));
    assert_eq!(ka.public().to_bytes(), pa);
    assert_eq!(hazmat::public_key(&b), pb);
    let pt = s["plaintext_utf8"].as_str().unwrap().as_bytes();
    assert_eq!(pt.len() as u64, s["plaintext_len"].as_u64().unwrap());
    let d = &s["derived"];
    let shared = hazmat::shared_secret(&a, &pb).unwrap();
    assert_eq!(*shared, h32(&d["x25519_shared"]));
    assert_eq!(*shared, h32(&d["aes_cbc_key_raw_shared"]));
    assert_eq!(
        hazmat::hop_key(EncType::AesGcm, Role::Client, &a, &pa, &pb)
            .map(|k| *hazmat::hop_key_bytes(&k))
            .unwrap(),
        h32(&d["aes_gcm_key_hmac_sha256_LOKI"])
    );
    assert_eq!(
        hazmat::hop_key(EncType::XChaCha20, Role::Client, &a, &pa, &pb)
            .map(|k| *hazmat::hop_key_bytes(&k))
            .unwrap(),
        h32(&d["xchacha20_key_alice_client_to_bob_server"])
    );
    assert_eq!(
        hazmat::hop_key(EncType::XChaCha20, Role::Server, &a, &pa, &pb)
            .map(|k| *hazmat::hop_key_bytes(&k))
            .unwrap(),
        h32(&d["xchacha20_key_bob_client_to_alice_server"])
    );
    assert_eq!(
        hazmat::hop_key(EncType::XChaCha20, Role::Client, &b, &pb, &pa)
            .map(|k| *hazmat::hop_key_bytes(&k))
            .unwrap(),
        h32(&d["xchacha20_key_bob_client_to_alice_server"])
    );

    let lens = &s["expected_ciphertext_len"];
    let mut rng = common::rng(1);
    for (enc, name) in [
        (EncType::AesGcm, "aes-gcm"),
        (EncType::XChaCha20, "xchacha20"),
    ] {
        assert_eq!(enc.to_string(), name);
        let ct = hop::encrypt(enc, Role::Client, &ka, &kb.public(), pt, &mut rng).unwrap();
        assert_eq!(ct.len() as u64, lens[name].as_u64().unwrap());
        // Role rule: decrypts at Bob-as-server, not at Bob-as-client (XChaCha); AES-GCM is
        // role independent.
        assert_eq!(
            hop::decrypt(enc, Role::Server, &kb, &ka.public(), &ct).unwrap(),
            pt
        );
        let other = hop::decrypt(enc, Role::Client, &kb, &ka.public(), &ct);
        match enc {
            EncType::XChaCha20 => assert_eq!(other, Err(CryptoError::Decryption)),
            EncType::AesGcm => assert_eq!(other.unwrap(), pt),
        }
    }
    assert!(
        s["role_rule"]
            .as_str()
            .unwrap()
            .contains("Y-as-client decryption of it must fail")
    );
    assert!(
        s["expected_overhead"]["aes-gcm"]
            .as_str()
            .unwrap()
            .contains("+28")
    );
    assert!(
        s["expected_overhead"]["xchacha20"]
            .as_str()
            .unwrap()
            .contains("+40")
    );
    assert!(
        s["expected_overhead"]["aes-cbc"]
            .as_str()
            .unwrap()
            .contains("+29")
    );

    // Legacy AES-CBC: 48 bytes for 19, decrypt-only behind the option.
    let cbc = session_onion::fuzzing::aes_cbc_encrypt(&ka, &kb.public(), pt, &mut rng).unwrap();
    assert_eq!(cbc.len() as u64, lens["aes-cbc"].as_u64().unwrap());
    let json = format!(
        r#"{{"ephemeral_key":"{}","enc_type":"aes-cbc"}}"#,
        session_core::encoding::encode_hex(&pa)
    );
    let req = framing::encode(&cbc, json.as_bytes()).unwrap();
    let opened =
        node::open_request_with(&kb, &req, &OpenOptions::default().allow_aes_cbc(true)).unwrap();
    assert_eq!(opened.payload(), pt);
    assert!(opened.is_legacy_cbc());
    assert!(
        opened.encrypt_reply(b"x", &mut rng).is_err(),
        "AES-CBC is never emitted"
    );
    let refused = node::open_request(&kb, &req).unwrap_err();
    assert_eq!(
        refused,
        NodeError::InvalidOuter(FormatError::AesCbcDisabled)
    );
    // "cbc" alias too; a flipped padding byte is rejected.
    let json = format!(
        r#"{{"ephemeral_key":"{}","enc_type":"cbc"}}"#,
        session_core::encoding::encode_hex(&pa)
    );
    let mut bad = cbc.clone();
    *bad.last_mut().unwrap() ^= 1;
    let req = framing::encode(&bad, json.as_bytes()).unwrap();
    assert!(
        node::open_request_with(&kb, &req, &OpenOptions::default().allow_aes_cbc(true)).is_err()
    );
}

#[test]
fn inner_request_parsing() {
    let v = vectors();
    let s = &v["inner_request_parsing"];
    let prefix = h(&s["common_prefix"]);
    assert_eq!(&prefix[..4], &10u32.to_le_bytes());
    assert_eq!(&prefix[4..], b"ciphertext");
    let cases = s["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for c in cases {
        let mut input = prefix.clone();
        input.extend_from_slice(c["json_utf8"].as_str().unwrap().as_bytes());
        let e = &c["expect"];
        let route = node::classify(&input).unwrap();
        if e["type"] == "RelayToServer" {
            // "target" is not an allowed URL: the full router answers "Invalid url".
            assert_eq!(node::route(&input), Err(NodeError::InvalidUrl));
        } else {
            assert_eq!(node::route(&input).unwrap(), route);
        }
        match (e["type"].as_str().unwrap(), route) {
            ("FinalDestination", Route::Destination(d)) => {
                assert_eq!(d.body, e["body_ascii"].as_str().unwrap().as_bytes());
                assert_eq!(d.json, e["json_flag"].as_bool().unwrap());
                assert_eq!(d.base64, e["base64_flag"].as_bool().unwrap());
            }
            ("RelayToServer", Route::RelayToServer(r)) => {
                assert_eq!(r.host, e["host"].as_str().unwrap());
                assert_eq!(u64::from(r.port), e["port"].as_u64().unwrap());
                assert_eq!(r.protocol, e["protocol"].as_str().unwrap());
                assert_eq!(r.target, e["target"].as_str().unwrap());
                // The payload is the entire decrypted plaintext.
                assert_eq!(r.payload, &input[..]);
                if let Some(p) = e.get("payload") {
                    assert!(p.as_str().unwrap().starts_with("ENTIRE"));
                }
            }
            ("RelayToNode", Route::RelayToNode(r)) => {
                assert_eq!(r.blob, e["ciphertext_ascii"].as_str().unwrap().as_bytes());
                assert_eq!(
                    r.ephemeral_key.to_string(),
                    e["ephemeral_key"].as_str().unwrap()
                );
                assert_eq!(
                    r.destination.to_string(),
                    e["next_node_ed25519"].as_str().unwrap()
                );
                assert!(
                    e["enc_type"]
                        .as_str()
                        .unwrap()
                        .starts_with(r.enc_type.name())
                );
                assert_eq!(r.enc_type, EncType::AesGcm);
            }
            (t, r) => panic!("case {}: expected {t}, got {r:?}", c["name"]),
        }
    }

    // The vector's targets are not allowed by the URL filter; the router refuses them
    // ("Invalid url", encrypted) once it is applied, as the storage server does.
    let f = &s["url_target_filter"];
    let layer = |target: &str, protocol: &str| {
        let mut input = prefix.clone();
        input.extend_from_slice(
            format!(r#"{{"host":"h","target":"{target}","protocol":"{protocol}"}}"#).as_bytes(),
        );
        input
    };
    for t in f["allowed"].as_array().unwrap() {
        let t = t.as_str().unwrap();
        assert!(node::is_server_target_allowed(t), "{t}");
        for proto in ["http", "https"] {
            let input = layer(t, proto);
            let Route::RelayToServer(r) = node::route(&input).unwrap() else {
                panic!()
            };
            assert_eq!(r.target, t);
            assert_eq!(r.protocol, proto);
        }
        // Any other protocol is refused.
        assert_eq!(node::route(&layer(t, "ftp")), Err(NodeError::InvalidUrl));
    }
    for t in f["rejected"].as_array().unwrap() {
        let t = t.as_str().unwrap();
        assert!(!node::is_server_target_allowed(t), "{t}");
        assert_eq!(node::route(&layer(t, "https")), Err(NodeError::InvalidUrl));
    }
    assert!(f["rule"].as_str().unwrap().contains("/lsrpc"));
}

#[test]
fn v4_bencode_examples() {
    let v = vectors();
    let s = &v["v4_bencode_examples"];
    let get = s["request_get_ascii"].as_str().unwrap().as_bytes();
    let (meta, body) = bencode::decode_v4(get).unwrap();
    assert_eq!(meta.len(), 79);
    assert_eq!(
        meta,
        br#"{"method":"GET","endpoint":"/room/some-room","headers":{"Some-Header":"12345"}}"#
    );
    assert_eq!(body, None);
    assert_eq!(bencode::encode_v4(meta, body), get);
    let req = node::parse_v4_request(get).unwrap();
    assert_eq!(
        (req.method.as_str(), req.endpoint.as_str(), req.body),
        ("GET", "/room/some-room", None)
    );
    assert_eq!(
        req.headers,
        vec![("Some-Header".to_string(), "12345".to_string())]
    );

    let post = s["request_post_ascii"].as_str().unwrap().as_bytes();
    let (meta, body) = bencode::decode_v4(post).unwrap();
    assert_eq!(meta.len(), 72);
    assert_eq!(body, Some(&b"post body here"[..]));
    assert_eq!(bencode::encode_v4(meta, body), post);
    let req = node::parse_v4_request(post).unwrap();
    assert_eq!(
        (req.method.as_str(), req.endpoint.as_str(), req.body),
        ("POST", "/some/thing", Some(&b"post body here"[..]))
    );
    assert_eq!(
        req.headers,
        vec![("Some-Header".to_string(), "a".to_string())]
    );

    let resp = s["response_ascii"].as_str().unwrap().as_bytes();
    let r = session_onion::fuzzing::parse_v4_reply(resp).unwrap();
    assert_eq!(r.code, 200);
    assert_eq!(
        r.headers,
        vec![("content-type".to_string(), "application/json".to_string())]
    );
    assert_eq!(r.body, b"{\"id\": 123}");
    assert_eq!(r.body.len(), 11);
    let (meta, _) = bencode::decode_v4(resp).unwrap();
    assert_eq!(meta.len(), 58);

    // Our encoder gives the same structure for the same request (keys sorted).
    let ours = session_onion::client::v4_request(
        "GET",
        "/room/some-room",
        &[("Some-Header", "12345")],
        None,
    )
    .unwrap();
    let (m, b) = bencode::decode_v4(&ours).unwrap();
    let a: serde_json::Value = serde_json::from_slice(m).unwrap();
    let e: serde_json::Value = serde_json::from_slice(bencode::decode_v4(get).unwrap().0).unwrap();
    assert_eq!(a, e);
    assert_eq!(b, None);
}

#[test]
fn hchacha20_sanity() {
    let v = vectors();
    let s = &v["primitive_sanity"]["hchacha20"];
    let key: [u8; 32] = h32(&s["key"]);
    let nonce: [u8; 16] = h(&s["nonce16"]).try_into().unwrap();
    let out = chacha20::hchacha::<chacha20::R20>(&key.into(), &nonce.into());
    assert_eq!(out.as_slice(), &h(&s["subkey"])[..]);
}

#[test]
fn format_section_is_as_documented() {
    let v = vectors();
    let f = &v["_format"];
    assert!(f["encoding"].as_str().unwrap().contains("lowercase hex"));
    assert!(f["field_kinds"]["derived"].is_string());
    assert!(f["naming"].as_str().unwrap().contains("client_*"));
}
