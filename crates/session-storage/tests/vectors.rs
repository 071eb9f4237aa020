//! Every value of `storage.json`, checked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use session_core::identity::Identity;
use session_core::{AccountId, MessageHash, Namespace, Network, SwarmId, Timestamp};
use session_storage::hash::{message_hash_v1, message_hash_v2, message_hash_v3};
use session_storage::policy::{
    self, AccountWideRequest, Auth, ExpireRequest, NamespaceArg, RetrieveRequest, RevokeRequest,
    Signer, Verifier, payload, response,
};
use session_storage::push::{self, PushRecord};
use session_storage::{
    Binary, ExpiryMode, MemoryStore, NamespaceSelector, SubaccountFlags, SubaccountToken,
    message_hash,
};

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/storage.json")).unwrap()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap()
}

fn b64(v: &Value) -> Vec<u8> {
    Binary::Base64(s(v)).decode(1 << 20).unwrap()
}

fn account(v: &Value) -> AccountId {
    AccountId::parse(s(v), Network::Mainnet).unwrap()
}

fn seed_identity(hex_seed: &Value) -> Identity {
    Identity::from_seed_bytes(&hex::decode(s(hex_seed)).unwrap()).unwrap()
}

#[test]
fn message_hashes() {
    let v = vectors();
    let entries = v["message_hash"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    for e in entries {
        let acct = account(&e["pubkey_hex"]);
        let data = b64(&e["data_base64"]);
        let expected = s(&e["expected"]);
        match s(&e["id"]) {
            "hash_v4_current_ns0" => {
                let ns = Namespace(e["namespace"].as_i64().unwrap() as i16);
                let h = message_hash(&acct, ns, &data);
                assert_eq!(h.to_string(), expected);
                assert_eq!(h, MessageHash::compute(&acct, ns, &data));
                assert_eq!(expected.parse::<MessageHash>().unwrap(), h);
            }
            "hash_v3_blake2b_with_times" => {
                let ns = Namespace(e["namespace"].as_i64().unwrap() as i16);
                let h = message_hash_v3(
                    &acct,
                    ns,
                    Timestamp(u(&e["timestamp_ms"])),
                    Timestamp(u(&e["expiry_ms"])),
                    &data,
                );
                assert_eq!(h.to_string(), expected);
            }
            "hash_v2_sha512_expiry_binary" => {
                let h = message_hash_v2(
                    &acct,
                    Timestamp(u(&e["timestamp_ms"])),
                    Timestamp(u(&e["expiry_ms"])),
                    &data,
                );
                assert_eq!(h, expected);
            }
            "hash_v1_sha512_ttl_b64" => {
                let h = message_hash_v1(
                    &acct,
                    Timestamp(u(&e["timestamp_ms"])),
                    u(&e["ttl_ms"]),
                    s(&e["data_base64"]),
                );
                assert_eq!(h, expected);
            }
            other => panic!("unexpected vector {other}"),
        }
    }
}

#[test]
fn session_ids() {
    let v = vectors();
    for e in v["session_ids"].as_array().unwrap() {
        match s(&e["id"]) {
            "sid_admin" | "sid_member" => {
                let id = seed_identity(&e["ed25519_seed_hex"]);
                assert_eq!(id.ed25519_public().to_string(), s(&e["ed25519_pubkey_hex"]));
                assert_eq!(id.session_id().to_string(), s(&e["session_id"]));
            }
            "group_id_03" => {
                let id = seed_identity(&e["ed25519_seed_hex"]);
                let pk = id.ed25519_public();
                assert_eq!(pk.to_string(), s(&e["ed25519_pubkey_hex"]));
                let group = AccountId::new(0x03, pk.to_bytes());
                assert_eq!(group.to_string(), s(&e["session_id"]));
            }
            "blinded25_example" => {
                // Blinded ids are a community (SOGS) concept, not a storage account; the
                // storage layer only has to parse them as accounts with prefix 0x25.
                let sid = account(&e["session_id"]);
                assert_eq!(sid.netid(), 0x05);
                let blinded = account(&e["blinded_id"]);
                assert_eq!(blinded.netid(), 0x25);
                assert_eq!(blinded.to_string(), s(&e["blinded_id"]));
                assert_eq!(s(&e["server_pk_hex"]).len(), 64);
                assert_ne!(
                    message_hash(&sid, Namespace(0), b"x"),
                    message_hash(&blinded, Namespace(0), b"x")
                );
            }
            other => panic!("unexpected vector {other}"),
        }
    }
}

#[test]
fn user_pubkey_parse() {
    let v = vectors();
    let entries = v["user_pubkey_parse"].as_array().unwrap();
    assert_eq!(entries.len(), 6);
    for e in entries {
        let network = match s(&e["network"]) {
            "mainnet" => Network::Mainnet,
            "testnet" => Network::Testnet,
            other => panic!("{other}"),
        };
        let parsed = AccountId::parse(s(&e["input"]), network);
        assert_eq!(parsed.is_ok(), e["valid"].as_bool().unwrap(), "{e}");
        if let Ok(a) = parsed {
            assert_eq!(u64::from(a.netid()), u(&e["netid"]));
            assert!(
                a.to_string()
                    .ends_with(&s(&e["input"]).to_lowercase()[s(&e["input"]).len() - 64..])
            );
        }
    }
}

#[test]
fn swarm_space() {
    let v = vectors();
    let entries = v["swarm_space"]["vectors"].as_array().unwrap();
    assert_eq!(entries.len(), 11);
    for e in entries {
        let a = account(&e["pubkey_hex"]);
        let want: u64 = s(&e["swarm_space"]).parse().unwrap();
        assert_eq!(session_swarm::swarm_space(a.key()), want, "{e}");
    }
}

fn hash(text: &str) -> MessageHash {
    text.parse().unwrap()
}

#[test]
fn request_signatures_derived() {
    let v = vectors();
    let admin = seed_identity(&v["session_ids"][0]["ed25519_seed_hex"]);
    let entries = v["request_signatures_derived"].as_array().unwrap();
    assert_eq!(entries.len(), 7);
    let ts = Timestamp(1_693_340_111_000);
    let store = MemoryStore::new();
    for e in entries {
        assert_eq!(
            admin.ed25519_public().to_string(),
            s(&e["signer_ed25519_pubkey_hex"])
        );
        let acct = account(&e["account"]);
        assert_eq!(acct, AccountId::from(admin.session_id()));
        let message = hex::decode(s(&e["message_hex"])).unwrap();
        if let Some(ascii) = e["message_ascii"].as_str() {
            assert_eq!(ascii.as_bytes(), message);
        }
        let sig = b64(&e["signature_base64"]);
        assert_eq!(admin.sign(&message).to_vec(), sig, "{}", e["id"]);
        let auth = Auth::signature(Binary::Base64(s(&e["signature_base64"])))
            .with_ed25519(Binary::Hex(s(&e["signer_ed25519_pubkey_hex"])));
        let verifier = Verifier::new(ts, &store);
        let wide = |namespace| AccountWideRequest {
            account: acct,
            namespace,
            time: ts.as_millis(),
            auth: Some(auth),
        };
        match (s(&e["id"]), s(&e["endpoint"])) {
            ("sig_retrieve_ns0" | "sig_retrieve_ns_neg10", "retrieve") => {
                let ns = if e["id"] == "sig_retrieve_ns0" {
                    0
                } else {
                    -10
                };
                assert_eq!(payload::retrieve(Namespace(ns), ts), message);
                let req = RetrieveRequest {
                    account: acct,
                    namespace: NamespaceArg::Int(ns.into()),
                    last_hash: None,
                    max_count: 0,
                    max_size: 0,
                    timestamp: ts.as_millis(),
                    auth: Some(auth),
                };
                assert_eq!(
                    verifier.validate_retrieve(&req).unwrap().signer,
                    Signer::Account
                );
            }
            ("sig_delete_all_all", "delete_all") => {
                assert_eq!(payload::delete_all(NamespaceSelector::All, ts), message);
                let cmd = verifier
                    .validate_delete_all(&wide(NamespaceArg::Text("all")))
                    .unwrap();
                assert_eq!(cmd.namespaces, NamespaceSelector::All);
            }
            ("sig_delete_before_ns5", "delete_before") => {
                let sel = NamespaceSelector::One(Namespace(5));
                assert_eq!(payload::delete_before(sel, ts), message);
                let cmd = verifier
                    .validate_delete_before(&wide(NamespaceArg::Int(5)))
                    .unwrap();
                assert_eq!(cmd.namespaces, sel);
            }
            ("sig_expire_all_all", "expire_all") => {
                assert_eq!(payload::expire_all(NamespaceSelector::All, ts), message);
                verifier
                    .validate_expire_all(&wide(NamespaceArg::Text("all")))
                    .unwrap();
            }
            ("sig_expire_multi", "expire") => {
                let hashes = [
                    "4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs",
                    "RKfzPoxgrGv0+bnaytg85gAqKN+/g2sRHtNB1ZrkTkE",
                ];
                let expiries = [1_693_340_112_000u64, 1_693_340_113_000];
                assert_eq!(
                    payload::expire(ExpiryMode::Set, &expiries.map(Timestamp), &hashes.map(hash)),
                    message
                );
                let req = ExpireRequest {
                    account: acct,
                    messages: &hashes,
                    expiries: &expiries,
                    shorten: false,
                    extend: false,
                    auth: Some(auth),
                };
                let cmd = verifier.validate_expire(&req).unwrap();
                assert_eq!(cmd.mode, ExpiryMode::Set);
                assert_eq!(
                    cmd.changes,
                    vec![
                        (hash(hashes[0]), Timestamp(expiries[0])),
                        (hash(hashes[1]), Timestamp(expiries[1]))
                    ]
                );
            }
            ("sig_revoke_subaccount", "revoke_subaccount") => {
                assert!(e["message_ascii"].is_null());
                let token_hex = &s(&e["message_hex"])[2 * "revoke_subaccount1693340111000".len()..];
                let token = SubaccountToken(hex::decode(token_hex).unwrap().try_into().unwrap());
                assert_eq!(payload::revoke(true, ts, &[token]), message);
                let tokens = [Binary::Hex(token_hex)];
                let req = RevokeRequest {
                    account: acct,
                    revoke: true,
                    tokens: &tokens,
                    timestamp: ts.as_millis(),
                    auth: Some(auth),
                };
                assert_eq!(verifier.validate_revoke(&req).unwrap().tokens, vec![token]);
            }
            (id, endpoint) => panic!("unexpected vector {id} {endpoint}"),
        }
        assert!(e["derived"].as_bool().unwrap());
        assert!(s(&e["signer"]).contains("sid_admin"));
        assert!(e["note"].is_string());
    }
}

#[test]
fn request_signature_subaccount() {
    let v = vectors();
    let e = &v["request_signatures_repo"][0];
    assert_eq!(s(&e["id"]), "libsession_subaccount_retrieve");
    let acct = account(&e["account"]);
    let token_bytes = b64(&e["subaccount_token_base64"]);
    assert_eq!(hex::encode(&token_bytes), s(&e["subaccount_token_hex"]));
    let token = SubaccountToken(token_bytes.clone().try_into().unwrap());
    let layout = &e["token_layout"];
    assert_eq!(format!("{:02x}", token.prefix()), s(&layout["prefix"]));
    assert_eq!(
        token.flags(),
        SubaccountFlags::READ.union(SubaccountFlags::WRITE)
    );
    assert!(s(&layout["flags"]).starts_with(&format!("{:02x}", token.flags().0)));
    assert_eq!(hex::encode(&token_bytes[2..4]), s(&layout["reserved"]));
    assert_eq!(
        hex::encode(token.key().as_bytes()),
        s(&layout["subaccount_ed25519_pubkey"])
    );
    // "retrieve" ‖ "999" ‖ "1693340111000"
    let ts = Timestamp(1_693_340_111_000);
    assert_eq!(
        payload::retrieve(Namespace(999), ts),
        s(&e["message_ascii"]).as_bytes()
    );
    assert!(e["independently_verified"].as_bool().unwrap());
    let store = MemoryStore::new();
    let verifier = Verifier::new(ts, &store);
    let auth = Auth::signature(Binary::Base64(s(&e["signature_base64"]))).with_subaccount(
        Binary::Base64(s(&e["subaccount_token_base64"])),
        Binary::Base64(s(&e["subaccount_sig_base64"])),
    );
    let req = RetrieveRequest {
        account: acct,
        namespace: NamespaceArg::Int(999),
        last_hash: None,
        max_count: 0,
        max_size: 0,
        timestamp: ts.as_millis(),
        auth: Some(auth),
    };
    assert_eq!(
        verifier.validate_retrieve(&req).unwrap().signer,
        Signer::Subaccount(token)
    );
    // The same token in hex form, as JSON clients may send it.
    let hex_auth = Auth::signature(Binary::Base64(s(&e["signature_base64"]))).with_subaccount(
        Binary::Hex(s(&e["subaccount_token_hex"])),
        Binary::Base64(s(&e["subaccount_sig_base64"])),
    );
    let req = RetrieveRequest {
        auth: Some(hex_auth),
        ..req
    };
    assert!(verifier.validate_retrieve(&req).is_ok());
}

#[test]
fn response_signature_layouts() {
    let v = vectors();
    let entries = v["response_signature_layouts"].as_array().unwrap();
    let acct = account(&v["message_hash"][0]["pubkey_hex"]);
    let pk = acct.to_string();
    let (h1, h2) = (
        hash("4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs"),
        hash("RKfzPoxgrGv0+bnaytg85gAqKN+/g2sRHtNB1ZrkTkE"),
    );
    let (t1, t2) = (h1.to_string(), h2.to_string());
    let t = Timestamp(1_693_340_111_000);
    let token = SubaccountToken::new(
        3,
        SubaccountFlags::READ,
        &session_core::Ed25519PublicKey::from_bytes([7; 32]),
    );
    let endpoints: Vec<&str> = entries.iter().map(|e| s(&e["endpoint"])).collect();
    assert_eq!(
        endpoints,
        [
            "store",
            "delete",
            "delete_all / delete_before",
            "expire_all",
            "expire",
            "revoke_subaccount / unrevoke_subaccount"
        ]
    );
    for e in entries {
        assert!(s(&e["note"]).contains("PUBKEY_HEX = lowercase hex"));
        let (got, want): (Vec<u8>, String) = match s(&e["endpoint"]) {
            "store" => {
                assert_eq!(s(&e["signed"]), "hash (ascii, 43 chars)");
                assert_eq!(s(&e["signer"]), "service node Ed25519");
                (response::store(&h1), t1.clone())
            }
            "delete" => (
                response::delete(&acct, &[h2, h1], &[h1, h2]),
                format!("{pk}{t2}{t1}{t1}{t2}"),
            ),
            "delete_all / delete_before" | "expire_all" => (
                response::account_wide(&acct, t, &[h1, h2]),
                format!("{pk}1693340111000{t1}{t2}"),
            ),
            "expire" => (
                response::expire(&acct, &[t], &[h1, h2], &[h1], &[(h2, Timestamp(5))]),
                format!("{pk}1693340111000{t1}{t2}{t1}{t2}5"),
            ),
            _ => {
                let mut want = format!("{pk}1693340111000").into_bytes();
                want.extend_from_slice(&token.0);
                assert_eq!(response::revoke(&acct, t, &[token]), want);
                continue;
            }
        };
        assert_eq!(String::from_utf8(got).unwrap(), want, "{}", e["endpoint"]);
        assert!(pk.starts_with("05") && pk.len() == 66);
    }
}

#[test]
fn swarm_push_serialization() {
    let v = vectors();
    let e = &v["swarm_push_serialization"];
    let acct = account(&e["pubkey_hex"]);
    let hash_bytes = hex::decode(s(&e["hash_hex"])).unwrap();
    let data = hex::decode(s(&e["data_hex"])).unwrap();
    let record = PushRecord {
        account: acct,
        hash: &hash_bytes,
        namespace: None,
        timestamp: Timestamp(u(&e["timestamp_ms"])),
        expiry: Timestamp(u(&e["expiry_ms"])),
        data: &data,
    };
    let one = hex::decode(s(&e["expected_blob_hex_one_message"])).unwrap();
    let two = hex::decode(s(&e["expected_blob_hex_two_messages"])).unwrap();
    assert_eq!(push::encode(push::VERSION_V1, &[record]), one);
    assert_eq!(push::encode(push::VERSION_V1, &[record, record]), two);
    assert_eq!(push::decode(&one).unwrap(), vec![record]);
    assert_eq!(push::decode(&two).unwrap(), vec![record, record]);
    // The hash is not a real message hash, so it is refused as a message.
    assert!(push::decode_messages(&one).is_err());
    assert!(s(&e["note"]).contains("NO namespace"));
}

#[test]
fn constants() {
    let v = vectors();
    let c = &v["constants"];
    assert_eq!(u(&c["TTL_MINIMUM_ms"]), Namespace::TTL_MIN_MS);
    assert_eq!(u(&c["TTL_MAXIMUM_public_ms"]), Namespace(0).max_ttl_ms());
    assert_eq!(u(&c["TTL_MAXIMUM_private_ms"]), Namespace(2).max_ttl_ms());
    assert_eq!(u(&c["STORE_TOLERANCE_ms"]), policy::STORE_TOLERANCE_MS);
    assert_eq!(
        u(&c["SIGNATURE_TOLERANCE_ms"]),
        policy::SIGNATURE_TOLERANCE_MS
    );
    assert_eq!(
        u(&c["SIGNATURE_TOLERANCE_FORWARDED_ms"]),
        policy::SIGNATURE_TOLERANCE_FORWARDED_MS
    );
    assert_eq!(
        u(&c["MAX_MESSAGE_BODY_bytes"]),
        policy::MAX_DATA_BYTES as u64
    );
    assert_eq!(
        u(&c["MAX_MESSAGE_BODY_b64_chars"]),
        policy::MAX_DATA_BASE64_CHARS as u64
    );
    assert_eq!(u(&c["RETRIEVE_MAX_SIZE_bytes"]), policy::RETRIEVE_MAX_SIZE);
    assert_eq!(
        u(&c["DEFAULT_MSG_OVERHEAD"]),
        session_storage::SizeModel::SERVER.per_msg_overhead
    );
    assert_eq!(
        u(&c["BATCH_REQUEST_MAX"]),
        policy::MAX_BATCH_SUBREQUESTS as u64
    );
    assert_eq!(u(&c["DB_SIZE_LIMIT_bytes"]), policy::DB_SIZE_LIMIT_BYTES);
    assert_eq!(u(&c["CLEANUP_PERIOD_ms"]), policy::CLEANUP_PERIOD_MS);
    assert_eq!(
        u(&c["MESSAGE_HASH_LEN_chars"]),
        session_storage::HASH_TEXT_LEN as u64
    );
    assert_eq!(
        u(&c["SUBACCOUNT_TOKEN_LENGTH"]),
        SubaccountToken::LEN as u64
    );
    assert_eq!(
        u(&c["MAX_SUBACCOUNT_TOKENS"]),
        session_storage::MAX_REVOCATIONS as u64
    );
    assert_eq!(
        u(&c["MAX_SUBACCOUNT_TOKENS"]),
        policy::MAX_TOKENS_PER_REQUEST as u64
    );
    assert_eq!(
        u(&c["SERIALIZATION_BATCH_SIZE"]),
        push::BATCH_TARGET_BYTES as u64
    );
    assert_eq!(
        u(&c["SERIALIZATION_VERSION_BT"]),
        u64::from(push::VERSION_V1)
    );
    assert_eq!(u(&c["MONITOR_EXPIRY_TIME_s"]), policy::MONITOR_EXPIRY_SECS);
    assert_eq!(c["NAMESPACE_MIN"].as_i64().unwrap(), i64::from(i16::MIN));
    assert_eq!(c["NAMESPACE_MAX"].as_i64().unwrap(), i64::from(i16::MAX));
    assert_eq!(s(&c["INVALID_SWARM_ID"]), SwarmId::UNASSIGNED.to_string());
    let main = Network::Mainnet.default_ports().unwrap();
    let test = Network::Testnet.default_ports().unwrap();
    assert_eq!(u(&c["https_port_mainnet"]), u64::from(main.storage_https));
    assert_eq!(u(&c["omq_quic_port_mainnet"]), u64::from(main.storage_omq));
    assert_eq!(u(&c["https_port_testnet"]), u64::from(test.storage_https));
    assert_eq!(u(&c["omq_quic_port_testnet"]), u64::from(test.storage_omq));
    assert_eq!(c.as_object().unwrap().len(), 27);
}
