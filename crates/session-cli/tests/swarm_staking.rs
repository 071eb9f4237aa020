//! `session swarm` and `session staking` against the known-answer vectors in tests/data.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;

use serde_json::{Value, json};
use session_staking::crypto::{SecretKey, SignedItem};
use session_staking::tx_extra::{Field, Registration, encode_fields};
use session_staking::{
    COIN, ConsensusError, HardFork, hardfork::hard_fork_height, registration::registration_hash,
};
use sha2::{Digest as _, Sha256};

use common::{data, ok_json, run, temp_dir, text};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The scenarios' node keys: SHA-256 of the index as 8 little-endian bytes.
fn scenario_key(index: u64) -> String {
    hex(&Sha256::digest(index.to_le_bytes()))
}

#[test]
fn the_scenario_keys_are_derived_as_documented() {
    let vectors = data("swarm_scenarios.json");
    for (index, key) in vectors["pubkey_samples"].as_object().unwrap() {
        assert_eq!(scenario_key(index.parse().unwrap()), key.as_str().unwrap());
    }
}

#[test]
fn rebalance_reproduces_oxend_on_every_scenario() {
    let vectors = data("swarm_scenarios.json");
    let dir = temp_dir("rebalance");
    let scenarios = vectors["scenarios"].as_array().unwrap();
    assert!(!scenarios.is_empty());
    for scenario in scenarios {
        let name = text(scenario, "name");
        // A simple list: swarm members as records, new nodes as bare keys.
        let mut nodes = Vec::new();
        for (swarm, members) in scenario["input"]["swarms"].as_object().unwrap() {
            for member in members.as_array().unwrap() {
                nodes.push(
                    json!({ "ed25519": scenario_key(member.as_u64().unwrap()), "swarm_id": swarm }),
                );
            }
        }
        for member in scenario["input"]["unassigned"].as_array().unwrap() {
            nodes.push(json!(scenario_key(member.as_u64().unwrap())));
        }
        let file = dir.join(format!("{name}.json"));
        std::fs::write(&file, Value::Array(nodes).to_string()).unwrap();

        // The block hash whose first 8 bytes (little-endian) are the seed.
        let seed: u64 = text(scenario, "seed").parse().unwrap();
        let mut hash = seed.to_le_bytes().to_vec();
        hash.resize(32, 0);
        let result = ok_json(&[
            "swarm",
            "rebalance",
            "--nodes",
            file.to_str().unwrap(),
            "--seed",
            &hex(&hash),
        ]);
        assert_eq!(result["seed"].as_u64(), Some(seed));

        let expected: BTreeMap<String, Vec<String>> = scenario["expected_output"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(swarm, members)| {
                let keys = members
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| scenario_key(m.as_u64().unwrap()));
                (swarm.clone(), keys.collect())
            })
            .collect();
        let got: BTreeMap<String, Vec<String>> =
            serde_json::from_value(result["swarms"].clone()).unwrap();
        assert_eq!(
            got, expected,
            "{name}: swarms in oxend's exact member order"
        );

        // Every node that changed swarm has an event.
        let events = result["events"].as_array().unwrap();
        let moved = scenario["summary"]["nodes_moved"].as_u64().unwrap();
        let moves = events.iter().filter(|e| e["event"] == "node_moved").count() as u64;
        assert!(
            moves >= moved,
            "{name}: {moves} moves, at least {moved} expected"
        );
        let joined = events
            .iter()
            .filter(|e| e["event"] == "node_joined")
            .count();
        let unassigned = scenario["input"]["unassigned"].as_array().unwrap().len();
        assert_eq!(joined, unassigned, "{name}: every new node joins once");
    }
}

#[test]
fn rebalance_takes_the_seed_itself_too() {
    let vectors = data("swarm_scenarios.json");
    let scenario = &vectors["scenarios"][0];
    let dir = temp_dir("seed-u64");
    let nodes: Vec<Value> = scenario["input"]["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| json!(scenario_key(m.as_u64().unwrap())))
        .collect();
    assert!(scenario["input"]["swarms"].as_object().unwrap().is_empty());
    let file = dir.join("nodes.json");
    std::fs::write(&file, Value::Array(nodes).to_string()).unwrap();
    let result = ok_json(&[
        "swarm",
        "rebalance",
        "--nodes",
        file.to_str().unwrap(),
        "--seed-u64",
        text(scenario, "seed"),
    ]);
    let ids: Vec<&String> = result["swarms"].as_object().unwrap().keys().collect();
    let expected: Vec<&String> = scenario["expected_output"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(result["swarms_after"].as_u64(), Some(ids.len() as u64));

    // The text form: the same counts, every event and every swarm with its members.
    let plain = common::run(&[
        "swarm",
        "rebalance",
        "--nodes",
        file.to_str().unwrap(),
        "--seed-u64",
        text(scenario, "seed"),
    ]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let events = result["events"].as_array().unwrap();
    assert!(
        plain
            .stdout
            .contains(&format!("events: {}\n", events.len()))
    );
    assert!(
        plain
            .stdout
            .contains(&format!("swarms after: {}\n", ids.len()))
    );
    for event in events {
        if event["event"] == "node_joined" {
            let swarm = event["swarm"].as_u64().unwrap();
            let shown = format!(
                "  {} joined swarm {swarm} (0x{swarm:016x})\n",
                text(event, "node")
            );
            assert!(plain.stdout.contains(&shown), "{shown}");
        }
    }
    for (id, members) in result["swarms"].as_object().unwrap() {
        let id: u64 = id.parse().unwrap();
        let members = members.as_array().unwrap();
        let shown = format!("  {id} (0x{id:016x}) ({} members)\n", members.len());
        assert!(plain.stdout.contains(&shown), "{shown}");
        for member in members {
            assert!(
                plain
                    .stdout
                    .contains(&format!("    {}\n", member.as_str().unwrap()))
            );
        }
    }
}

/// The swarm owning `space`: nearest id on the ring, ties to the lower id.
fn nearest(ids: &[u64], space: u64) -> u64 {
    let distance = |id: u64| id.wrapping_sub(space).min(space.wrapping_sub(id));
    *ids.iter().min_by_key(|&&id| (distance(id), id)).unwrap()
}

#[test]
fn swarm_of_finds_the_owner_from_get_service_nodes_records() {
    let ids = [0u64, 1 << 62, 1 << 63, 3 << 62];
    // Two nodes per swarm, as oxend's get_service_nodes lists them, plus one without a swarm.
    let mut records = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for j in 0..2u64 {
            let n = (i as u64) * 2 + j;
            records.push(json!({
                "service_node_pubkey": scenario_key(n),
                "pubkey_ed25519": scenario_key(n),
                "pubkey_x25519": scenario_key(100 + n),
                "public_ip": format!("203.0.113.{n}"),
                "storage_port": 22021,
                "storage_lmq_port": 22020,
                "swarm_id": id,
                "active": true,
            }));
        }
    }
    records.push(json!({ "pubkey_ed25519": scenario_key(99), "pubkey_x25519": scenario_key(199) }));
    let dir = temp_dir("swarm-of");
    let file = dir.join("nodes.json");
    std::fs::write(
        &file,
        json!({ "result": { "service_node_states": records } }).to_string(),
    )
    .unwrap();

    let vectors = data("storage.json");
    let cases = vectors["swarm_space"]["vectors"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for case in cases {
        let id = text(case, "pubkey_hex");
        let space: u64 = text(case, "swarm_space").parse().unwrap();
        let found = ok_json(&["swarm", "of", id, "--nodes", file.to_str().unwrap()]);
        assert_eq!(found["swarm_space"].as_u64(), Some(space), "{id}");
        let owner = nearest(&ids, space);
        assert_eq!(found["swarm_id"].as_u64(), Some(owner), "{id}");
        assert_eq!(text(&found, "swarm_id_hex"), format!("{owner:016x}"));
        let index = ids.iter().position(|&s| s == owner).unwrap() as u64;
        let mut expected = vec![scenario_key(index * 2), scenario_key(index * 2 + 1)];
        expected.sort();
        let members = found["members"].as_array().unwrap();
        let got: Vec<&str> = members.iter().map(|m| text(m, "ed25519")).collect();
        assert_eq!(got, expected, "{id}");
        assert!(text(&members[0], "address").ends_with(":22021"));

        // The text form lists the same swarm and members.
        let plain = common::run(&["swarm", "of", id, "--nodes", file.to_str().unwrap()]);
        assert_eq!(plain.code, 0, "{}", plain.stderr);
        assert!(
            plain
                .stdout
                .contains(&format!("swarm: {owner} (0x{owner:016x})\n")),
            "{}",
            plain.stdout
        );
        assert!(
            plain
                .stdout
                .contains(&format!("swarm space position: 0x{space:016x}\n"))
        );
        for member in members {
            let shown = format!(
                "  {}  {}\n",
                text(member, "ed25519"),
                text(member, "address")
            );
            assert!(plain.stdout.contains(&shown), "{shown}\n{}", plain.stdout);
        }
    }
}

#[test]
fn swarm_reports_bad_nodes_files_precisely() {
    let dir = temp_dir("bad-nodes");
    let id = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";
    let cases = [
        ("[{\"ed25519\": \"zz\"}]", "node 0 of"),
        (
            "[{\"pubkey\": \"00\"}]",
            "expected \"pubkey_ed25519\" (an oxend record) or \"ed25519\"",
        ),
        (
            "{\"nodes\": []}",
            "expected a list of nodes or get_service_nodes' answer",
        ),
        ("not json", "is not JSON"),
    ];
    for (i, (content, message)) in cases.iter().enumerate() {
        let file = dir.join(format!("{i}.json"));
        std::fs::write(&file, content).unwrap();
        let run = run(&["swarm", "of", id, "--nodes", file.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{content}");
        assert!(run.stderr.contains(message), "{content}: {}", run.stderr);
    }
    let twice = format!("[\"{0}\", \"{0}\"]", scenario_key(1));
    let file = dir.join("twice.json");
    std::fs::write(&file, twice).unwrap();
    let run = run(&[
        "swarm",
        "rebalance",
        "--seed-u64",
        "1",
        "--nodes",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is listed twice (entries 0 and 1)"),
        "{}",
        run.stderr
    );
}

#[test]
fn staking_requirement_matches_the_vectors() {
    let vectors = data("staking.json");
    let mut checked = 0;
    for case in vectors["staking_requirement"]["cases"].as_array().unwrap() {
        if case["net"] != "mainnet" || case["check"] != "exact" || case.get("hf_passed").is_some() {
            continue;
        }
        let height = case["height"].as_u64().unwrap().to_string();
        let result = ok_json(&["staking", "requirement", "--height", &height]);
        assert_eq!(result["requirement"], case["expected"], "height {height}");
        if let Some(hf) = case.get("hf") {
            assert_eq!(&result["hard_fork"], hf, "height {height}");
        }
        checked += 1;
    }
    assert!(checked >= 8);
    let testnet = ok_json(&[
        "staking",
        "requirement",
        "--height",
        "10",
        "--network",
        "testnet",
    ]);
    assert_eq!(testnet["requirement"].as_u64(), Some(100 * COIN));
    assert_eq!(text(&testnet, "requirement_coins"), "100.000000000");
}

/// tx_extra with a registration (tag 0x70) and the service-node key (tag 0x74).
fn tx_extra(reg: &Registration, sn: &SecretKey) -> String {
    let fields = [
        Field::Registration(reg.clone()),
        Field::ServiceNodePubkey(sn.public_key()),
    ];
    hex(&encode_fields(&fields).unwrap())
}

fn signed_registration(sn: &SecretKey, fee: u64, amount: u64, hf: u64) -> Registration {
    let mut reg = Registration {
        spend_keys: vec![SecretKey::from_seed(b"operator spend").public_key()],
        view_keys: vec![SecretKey::from_seed(b"operator view").public_key()],
        fee,
        amounts: vec![amount],
        hf_or_expiration: hf,
        signature: sn.sign(&[0; 32]),
    };
    reg.signature = sn.sign(&registration_hash(&reg).unwrap());
    reg
}

#[test]
fn check_registration_accepts_a_valid_registration() {
    let sn = SecretKey::from_seed(b"service node");
    let extra = tx_extra(&signed_registration(&sn, 500, 15_000 * COIN, 19), &sn);
    let result = ok_json(&["staking", "check-registration", "--hf", "19", &extra]);
    assert_eq!(result["valid"], true);
    assert_eq!(result["failures"], json!([]));
    assert_eq!(result["requirement"].as_u64(), Some(15_000 * COIN));
    let reg = &result["registration"];
    assert_eq!(text(reg, "service_node_key"), hex(&sn.public_key().0));
    assert_eq!(reg["fee"], 500);
    assert_eq!(
        reg["contributors"][0]["amount"].as_u64(),
        Some(15_000 * COIN)
    );
    assert_eq!(text(reg, "fee_unit"), "basis points");
    assert_eq!(text(reg, "amount_unit"), "atomic units");

    // The text form shows the same registration.
    let plain = run(&["staking", "check-registration", "--hf", "19", &extra]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    for shown in [
        "hard fork: HF19\n".to_owned(),
        "staking requirement: 15000.000000000 (15000000000000 atomic units)\n".to_owned(),
        format!("service node key: {}\n", hex(&sn.public_key().0)),
        "fee: 500 basis points\n".to_owned(),
        "contributors: 1\n".to_owned(),
        format!(
            "  spend {} view {}: 15000000000000 atomic units\n",
            text(&reg["contributors"][0], "spend_key"),
            text(&reg["contributors"][0], "view_key")
        ),
        "valid: every registration rule passes\n".to_owned(),
    ] {
        assert!(plain.stdout.contains(&shown), "{shown}\n{}", plain.stdout);
    }

    // The same at the height where HF19 starts on mainnet, read from stdin.
    let height = hard_fork_height(session_core::Network::Mainnet, HardFork::Hf19)
        .unwrap()
        .to_string();
    let run = common::run_with_stdin(
        &[
            "--json",
            "staking",
            "check-registration",
            "--height",
            &height,
            "-",
        ],
        extra.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["hard_fork"], 19);
}

#[test]
fn check_registration_reports_every_broken_rule() {
    let sn = SecretKey::from_seed(b"service node");
    let extra = tx_extra(&signed_registration(&sn, 500, 15_000 * COIN, 19), &sn);
    // In an HF18 block the registration is for the wrong hard fork.
    let wrong_hf = run(&[
        "--json",
        "staking",
        "check-registration",
        "--hf",
        "18",
        "--requirement",
        "15000000000000",
        &extra,
    ]);
    assert_eq!(wrong_hf.code, 1);
    let expected = ConsensusError::WrongRegistrationHardFork {
        registration: 19,
        block: 18,
    }
    .to_string();
    assert_eq!(wrong_hf.json()["failures"], json!([expected]));

    // A fee above 100 % changed after signing: the signature and the fee both fail.
    let mut reg = signed_registration(&sn, 500, 15_000 * COIN, 19);
    reg.fee = 20_000;
    let both = run(&[
        "--json",
        "staking",
        "check-registration",
        "--hf",
        "19",
        &tx_extra(&reg, &sn),
    ]);
    assert_eq!(both.code, 1);
    let report = both.json();
    assert_eq!(report["valid"], false);
    let failures: Vec<&str> = report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let signature = session_staking::VerifyError::InvalidSignature {
        what: SignedItem::Registration,
    }
    .to_string();
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert_eq!(failures[0], signature);
    assert!(
        failures[1].contains("operator fee 20000 is above the maximum 10000"),
        "{failures:?}"
    );

    // The text form lists them too.
    let plain = run(&[
        "staking",
        "check-registration",
        "--hf",
        "19",
        &tx_extra(&reg, &sn),
    ]);
    assert_eq!(plain.code, 1);
    assert!(
        plain.stdout.contains("invalid: 2 rule(s) failed"),
        "{}",
        plain.stdout
    );
    assert!(plain.stdout.contains(&format!("  - {signature}")));
}

#[test]
fn check_registration_reports_a_truncated_tx_extra() {
    let sn = SecretKey::from_seed(b"service node");
    let extra = tx_extra(&signed_registration(&sn, 500, 15_000 * COIN, 19), &sn);
    // Cut inside the signature: the registration and the key are both lost.
    let cut = &extra[..extra.len() - 2 * 33 - 2];
    let run = run(&["--json", "staking", "check-registration", "--hf", "19", cut]);
    assert_eq!(run.code, 1);
    let failures = run.json()["failures"].clone();
    assert_eq!(failures.as_array().unwrap().len(), 3, "{failures}");
    assert!(
        failures[0]
            .as_str()
            .unwrap()
            .starts_with("tx_extra: tx_extra field signature (tag 0x70)"),
        "{failures}"
    );
    assert_eq!(failures[1], "tx_extra has no registration (tag 0x70)");
    assert_eq!(failures[2], "tx_extra has no service-node key (tag 0x74)");
}
