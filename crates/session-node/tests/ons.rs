//! `oxend_request` with `ons_resolve`, answered from the node's ONS records as oxend answers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use serde_json::{Value, json};
use session_core::encoding::{decode_hex, encode_hex};
use session_node::{OnsRecord, OnsRecords, OnsType};

/// oxend's documented `ons_resolve` example: the Session name `jagerman`, its name hash and
/// the record's encrypted value and nonce.
const JAGERMAN_HASH_B64: &str = "yB7mbm2q1MaczqNZCYguH+71z5jooEMeXA0sncfni+g=";
const JAGERMAN_VALUE: &str = "d9bca6752665f2254ec7522f98aa5f2dfb13c9fa1ad1e39cd3d7a89a0df04719e348da537bc310a53e3b59ca24639b9b42";
const JAGERMAN_NONCE: &str = "73e8243f3fadd471be36c6df3d62f863f9bb3a9d1cc696c0";

fn jagerman_hash() -> [u8; 32] {
    session_core::encoding::decode_base64(JAGERMAN_HASH_B64.as_bytes(), 32)
        .unwrap()
        .try_into()
        .unwrap()
}

fn resolve(net: &mut Net, params: Value) -> (u16, String) {
    let (_, r) = rpc(
        &mut net.a,
        "oxend_request",
        json!({"endpoint": "ons_resolve", "params": params}),
    );
    (r.status, r.body_text())
}

fn with_records(net: &mut Net) {
    let mut records = OnsRecords::new();
    let nonce: [u8; 24] = decode_hex(JAGERMAN_NONCE).unwrap().try_into().unwrap();
    records.insert(
        OnsType::Session,
        jagerman_hash(),
        OnsRecord::new(&decode_hex(JAGERMAN_VALUE).unwrap(), nonce),
    );
    // The oldest Session records: a ciphertext without a nonce.
    records.insert(
        OnsType::Session,
        [1; 32],
        OnsRecord::from_stored(vec![0xaa; 49]),
    );
    // A Lokinet record (ciphertext and nonce), and a wallet record; the same hash as a
    // Session name, which is another name.
    records.insert(
        OnsType::Lokinet,
        [2; 32],
        OnsRecord::new(&[0xbb; 48], [0xcc; 24]),
    );
    records.insert(
        OnsType::Wallet,
        jagerman_hash(),
        OnsRecord::new(&[0xdd; 85], [0xee; 24]),
    );
    // A name hash that is also printable: oxend takes 32 bytes as the raw hash.
    records.insert(
        OnsType::Session,
        *b"0123456789abcdef0123456789abcdef",
        OnsRecord::from_stored(vec![0x11; 49]),
    );
    // Resolvable through height 1000 only.
    records.insert(
        OnsType::Session,
        [3; 32],
        OnsRecord::from_stored(vec![0x22; 49]).expiring_at(1000),
    );
    net.a.set_ons_records(records);
    net.a.set_chain_state(1000, [19, 4]);
}

fn ok(result: &str) -> (u16, String) {
    (
        200,
        format!(r#"{{"hf":[19,4],"result":{result},"t":1700000000000}}"#),
    )
}

#[test]
fn resolves_records_as_oxend_answers() {
    let mut net = net();
    // Without records no name resolves: oxend's empty result.
    assert_eq!(
        resolve(&mut net, json!({"type": 0, "name_hash": JAGERMAN_HASH_B64})),
        ok("{}")
    );
    with_records(&mut net);
    let jagerman = ok(&format!(
        r#"{{"encrypted_value":"{JAGERMAN_VALUE}","nonce":"{JAGERMAN_NONCE}"}}"#
    ));
    assert_eq!(
        resolve(&mut net, json!({"type": 0, "name_hash": JAGERMAN_HASH_B64})),
        jagerman
    );
    // The hash also as unpadded base64 and as hex.
    assert_eq!(
        resolve(
            &mut net,
            json!({"type": 0, "name_hash": JAGERMAN_HASH_B64.trim_end_matches('=')})
        ),
        jagerman
    );
    assert_eq!(
        resolve(
            &mut net,
            json!({"type": 0, "name_hash": encode_hex(&jagerman_hash()).to_uppercase()})
        ),
        jagerman
    );
    assert_eq!(
        resolve(
            &mut net,
            json!({"type": 0, "name_hash": "0123456789abcdef0123456789abcdef"})
        ),
        ok(&format!(r#"{{"encrypted_value":"{}"}}"#, "11".repeat(49)))
    );
    // An old Session record has no nonce to split off.
    assert_eq!(
        resolve(
            &mut net,
            json!({"type": 0, "name_hash": encode_hex(&[1; 32])})
        ),
        ok(&format!(r#"{{"encrypted_value":"{}"}}"#, "aa".repeat(49)))
    );
    // Lokinet: type 2, and the 2-, 5- and 10-year types 3 to 5, read the same records.
    let lokinet = ok(&format!(
        r#"{{"encrypted_value":"{}","nonce":"{}"}}"#,
        "bb".repeat(48),
        "cc".repeat(24)
    ));
    for ty in 2..=5 {
        assert_eq!(
            resolve(
                &mut net,
                json!({"type": ty, "name_hash": encode_hex(&[2; 32])})
            ),
            lokinet
        );
    }
    // The same hash under another type is another name.
    assert_eq!(
        resolve(&mut net, json!({"type": 1, "name_hash": JAGERMAN_HASH_B64})),
        ok(&format!(
            r#"{{"encrypted_value":"{}","nonce":"{}"}}"#,
            "dd".repeat(85),
            "ee".repeat(24)
        ))
    );
    assert_eq!(
        resolve(&mut net, json!({"type": 2, "name_hash": JAGERMAN_HASH_B64})),
        ok("{}")
    );
    // A record resolves through its expiration height.
    let expiring = json!({"type": 0, "name_hash": encode_hex(&[3; 32])});
    assert_eq!(
        resolve(&mut net, expiring.clone()),
        ok(&format!(r#"{{"encrypted_value":"{}"}}"#, "22".repeat(49)))
    );
    net.a.set_chain_state(1001, [19, 4]);
    assert_eq!(resolve(&mut net, expiring), ok("{}"));
}

#[test]
fn oxend_errors_reach_the_client_as_400() {
    let mut net = net();
    with_records(&mut net);
    let parse = |text: &str| {
        (
            400,
            format!("Unable to parse request: Failed to parse request parameters: {text}"),
        )
    };
    let rpc_error = |text: &str| (400, format!("RPC error -1: {text}"));
    let no_hash = parse("Required key 'name_hash' not found");
    let cases = [
        (json!(null), no_hash.clone()),
        (json!({}), no_hash.clone()),
        (json!({"type": 0}), no_hash.clone()),
        (json!([]), no_hash),
        (
            json!([1]),
            parse(
                "[json.exception.invalid_iterator.207] cannot use key() for non-object iterators",
            ),
        ),
        (
            json!("name"),
            parse(
                "[json.exception.invalid_iterator.207] cannot use key() for non-object iterators",
            ),
        ),
        (
            json!({"name_hash": 5, "type": 0}),
            parse("[json.exception.type_error.302] type must be string, but is number"),
        ),
        (
            json!({"name_hash": null}),
            parse("[json.exception.type_error.302] type must be string, but is null"),
        ),
        (
            json!({"name_hash": "x"}),
            parse("Required key 'type' not found"),
        ),
        (
            json!({"name_hash": "x", "type": "0"}),
            parse("Invalid value for 'type': value is not an integer"),
        ),
        (
            json!({"name_hash": "x", "type": 1.5}),
            parse("Invalid value for 'type': value is not an integer"),
        ),
        (
            json!({"name_hash": "x", "type": 2_147_483_648_u64}),
            parse("Invalid value for 'type': value is too large"),
        ),
        (
            json!({"name_hash": "x", "type": -2_147_483_649_i64}),
            parse("Invalid value for 'type': negative value magnitude is too large"),
        ),
        // u64::MAX reads as -1.
        (
            json!({"name_hash": "x", "type": u64::MAX}),
            rpc_error("Unable to resolve ONS address: 'type' parameter not specified"),
        ),
        (
            json!({"name_hash": "x", "type": 6}),
            rpc_error("Unable to resolve ONS address: 'type' parameter not specified"),
        ),
        (
            json!({"name_hash": "x", "type": -1}),
            rpc_error("Unable to resolve ONS address: 'type' parameter not specified"),
        ),
        (
            json!({"name_hash": "x", "type": 0}),
            rpc_error("Unable to resolve ONS address: invalid 'name_hash' value 'x'"),
        ),
        // Base64 of 31 bytes, padded; and 33 bytes.
        (
            json!({"name_hash": format!("{}==", "A".repeat(42)), "type": 0}),
            rpc_error(&format!(
                "Unable to resolve ONS address: invalid 'name_hash' value '{}=='",
                "A".repeat(42)
            )),
        ),
        (
            json!({"name_hash": "A".repeat(44), "type": 0}),
            rpc_error(&format!(
                "Unable to resolve ONS address: invalid 'name_hash' value '{}'",
                "A".repeat(44)
            )),
        ),
        (
            json!({"name_hash": format!("{}g", "0".repeat(63)), "type": 0}),
            rpc_error(&format!(
                "Unable to resolve ONS address: invalid 'name_hash' value '{}g'",
                "0".repeat(63)
            )),
        ),
    ];
    for (params, want) in cases {
        assert_eq!(resolve(&mut net, params.clone()), want, "{params}");
    }
    // Types arrive with hard forks: wallets at 18, Lokinet at 16, Session at 15.
    net.a.set_chain_state(1000, [17, 0]);
    assert_eq!(
        resolve(&mut net, json!({"type": 1, "name_hash": JAGERMAN_HASH_B64})),
        rpc_error("Invalid lokinet type '1'")
    );
    net.a.set_chain_state(1000, [15, 0]);
    assert_eq!(
        resolve(
            &mut net,
            json!({"type": 4, "name_hash": encode_hex(&[2; 32])})
        ),
        rpc_error("Invalid lokinet type '4'")
    );
    assert_eq!(
        resolve(&mut net, json!({"type": 0, "name_hash": JAGERMAN_HASH_B64})).0,
        200
    );
}

#[test]
fn bencoded_requests_carry_params_as_json_text() {
    let mut net = net();
    with_records(&mut net);
    let params = json!({"type": 0, "name_hash": JAGERMAN_HASH_B64}).to_string();
    let body = format!(
        "d8:endpoint11:ons_resolve6:params{}:{}e",
        params.len(),
        params
    );
    let r = net
        .a
        .handle_omq_request(now(), &mut rng(), "oxend_request", body.as_bytes())
        .response
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.body_text());
    let v = session_core::bencode::decode(&r.body).unwrap();
    let result = v.get(b"result").unwrap();
    assert_eq!(
        result.get(b"encrypted_value").unwrap().as_bytes().unwrap(),
        JAGERMAN_VALUE.as_bytes()
    );
    assert_eq!(
        result.get(b"nonce").unwrap().as_bytes().unwrap(),
        JAGERMAN_NONCE.as_bytes()
    );
    // `null` params are no params.
    let r = net
        .a
        .handle_omq_request(
            now(),
            &mut rng(),
            "oxend_request",
            b"d8:endpoint11:ons_resolve6:params4:nulle",
        )
        .response
        .unwrap();
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (
            400,
            "Unable to parse request: Failed to parse request parameters: Required key 'name_hash' not found"
        )
    );
}
