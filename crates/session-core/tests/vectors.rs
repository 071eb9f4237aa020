//! Known-answer vectors from the reference implementations (copied from `shared/vectors`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use session_core::Ed25519Seed;
use session_core::hazmat::{SecretBytes as _, ed25519_secret_key};
use session_core::identity::{Identity, x25519_from_ed25519};
use session_core::{
    AccountId, Ed25519PublicKey, Error, IdPrefix, MessageHash, Namespace, Network, SessionId,
    X25519PublicKey,
};

fn load(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hex32(v: &Value) -> [u8; 32] {
    hex::decode(v.as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap()
}

#[test]
fn libsession_key_conversion() {
    let doc = load("mnemonic.json");
    let cases = doc["libsession_key_conversion"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    let mut asserted = 0;
    for case in cases {
        let src = &case["from_source"];
        if let Some(seed) = src.get("ed25519_seed") {
            let id = Identity::from_seed(Ed25519Seed::from_bytes(hex32(seed)));
            assert_eq!(
                id.ed25519_public().to_string(),
                src["ed25519_pk"].as_str().unwrap()
            );
            assert_eq!(
                hex::encode(id.x25519_secret().hazmat_bytes()),
                src["x25519_sk"].as_str().unwrap()
            );
            if let Some(sk) = src.get("ed25519_sk") {
                assert_eq!(hex::encode(*ed25519_secret_key(&id)), sk.as_str().unwrap());
                asserted += 1;
            }
            if let Some(sig) = src.get("ed25519_signature_of_ascii_hello") {
                assert_eq!(hex::encode(id.sign(b"hello")), sig.as_str().unwrap());
                asserted += 1;
            }
            let computed = &case["computed"];
            assert_eq!(
                id.x25519_public().to_string(),
                computed["x25519_pk"].as_str().unwrap()
            );
            // The identity's X25519 key must equal the standalone conversion of its Ed25519 key.
            assert_eq!(
                x25519_from_ed25519(&id.ed25519_public()),
                Ok(id.x25519_public())
            );
            if let Some(sid) = computed.get("session_id") {
                assert_eq!(id.session_id().to_string(), sid.as_str().unwrap());
                asserted += 1;
            }
            asserted += 1;
        } else {
            let pk = Ed25519PublicKey::from_bytes(hex32(&src["ed25519_pk_input"]));
            let x = x25519_from_ed25519(&pk).unwrap();
            assert_eq!(x.to_string(), src["x25519_pk"].as_str().unwrap());
            asserted += 1;
        }
    }
    assert_eq!(asserted, 6);
}

#[test]
fn storage_session_ids() {
    let doc = load("storage.json");
    let cases = doc["session_ids"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let expected: SessionId = case["session_id"].as_str().unwrap().parse().unwrap();
        assert_eq!(expected.to_string(), case["session_id"].as_str().unwrap());
        match case["id"].as_str().unwrap() {
            "sid_admin" | "sid_member" => {
                let id =
                    Identity::from_seed(Ed25519Seed::from_bytes(hex32(&case["ed25519_seed_hex"])));
                assert_eq!(
                    id.ed25519_public().to_string(),
                    case["ed25519_pubkey_hex"].as_str().unwrap()
                );
                assert_eq!(id.session_id(), expected);
                assert_eq!(expected.prefix(), IdPrefix::Standard);
            }
            "group_id_03" => {
                let id =
                    Identity::from_seed(Ed25519Seed::from_bytes(hex32(&case["ed25519_seed_hex"])));
                assert_eq!(
                    id.ed25519_public().to_string(),
                    case["ed25519_pubkey_hex"].as_str().unwrap()
                );
                assert_eq!(SessionId::group(id.ed25519_public()), expected);
                assert_eq!(expected.prefix(), IdPrefix::Group);
            }
            "blinded25_example" => {
                assert_eq!(expected.prefix(), IdPrefix::Standard);
                let blinded: SessionId = case["blinded_id"].as_str().unwrap().parse().unwrap();
                assert_eq!(blinded.prefix(), IdPrefix::Blinded25);
                assert_eq!(blinded.to_string(), case["blinded_id"].as_str().unwrap());
                let server: Ed25519PublicKey =
                    case["server_pk_hex"].as_str().unwrap().parse().unwrap();
                assert_eq!(server.to_string(), case["server_pk_hex"].as_str().unwrap());
            }
            other => panic!("unexpected vector {other}"),
        }
    }
}

#[test]
fn storage_user_pubkey_parse() {
    let doc = load("storage.json");
    let cases = doc["user_pubkey_parse"].as_array().unwrap();
    assert!(cases.len() >= 6);
    for case in cases {
        let input = case["input"].as_str().unwrap();
        let network: Network = case["network"].as_str().unwrap().parse().unwrap();
        let parsed = AccountId::parse(input, network);
        if case["valid"].as_bool().unwrap() {
            let account = parsed.unwrap_or_else(|e| panic!("{input} on {network}: {e}"));
            assert_eq!(
                u64::from(account.netid()),
                case["netid"].as_u64().unwrap(),
                "{input}"
            );
            assert!(input.to_lowercase().ends_with(&hex::encode(account.key())));
            // The strict Session ID parser agrees whenever the prefix is a known one.
            if input.len() == 66 {
                match IdPrefix::from_byte(account.netid()) {
                    Ok(_) => {
                        let strict: SessionId = input.parse().unwrap();
                        assert_eq!(AccountId::from(strict), account);
                        assert_eq!(strict.to_string(), input.to_lowercase());
                    }
                    Err(_) => assert_eq!(
                        input.parse::<SessionId>(),
                        Err(Error::UnknownPrefix(account.netid()))
                    ),
                }
            }
        } else {
            assert!(parsed.is_err(), "{input} on {network} must be rejected");
            assert!(input.parse::<SessionId>().is_err());
        }
    }
}

#[test]
fn message_hash_v4() {
    use base64::Engine as _;
    let doc = load("storage.json");
    let mut seen = 0;
    for case in doc["message_hash"].as_array().unwrap() {
        if !case["format"].as_str().unwrap().starts_with("v4") {
            continue;
        }
        let account =
            AccountId::parse(case["pubkey_hex"].as_str().unwrap(), Network::Mainnet).unwrap();
        let data = base64::engine::general_purpose::STANDARD
            .decode(case["data_base64"].as_str().unwrap())
            .unwrap();
        let ns = Namespace(i16::try_from(case["namespace"].as_i64().unwrap()).unwrap());
        let hash = MessageHash::compute(&account, ns, &data);
        assert_eq!(hash.to_string(), case["expected"].as_str().unwrap());
        seen += 1;
    }
    assert!(seen >= 1);
}

#[test]
fn message_hash_text_forms() {
    let doc = load("storage.json");
    let mut seen = 0;
    for case in doc["message_hash"].as_array().unwrap() {
        let expected = case["expected"].as_str().unwrap();
        if expected.len() == 43 {
            let hash: MessageHash = expected.parse().unwrap();
            assert_eq!(hash.to_string(), expected);
            seen += 1;
        } else {
            assert!(expected.parse::<MessageHash>().is_err());
        }
    }
    assert!(seen >= 2);
}

#[test]
fn key_text_forms() {
    let text = "cbd569f56fb13ea95a3f0c05c331cc24139c0090feb412069dc49fab34406ece";
    let key: Ed25519PublicKey = text.to_uppercase().parse().unwrap();
    assert_eq!(key.to_string(), text);
    assert_eq!(format!("{key:?}"), format!("Ed25519PublicKey({text})"));
    let x: X25519PublicKey = text.parse().unwrap();
    assert_eq!(x.as_bytes(), key.as_bytes());
    assert!(matches!(
        "abc".parse::<X25519PublicKey>(),
        Err(Error::InvalidLength { got: 3, .. })
    ));
}
