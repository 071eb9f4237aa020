//! `session onion` round trips (build, peel hop by hop, reply, decrypt), and the exit codes,
//! error messages and help of every command.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::needless_range_loop
)]

mod common;

use std::path::Path;

use serde_json::Value;

use common::{data, ok_json, run, run_with_stdin, temp_dir, text};

/// A node: its Ed25519 public key and its 64-byte Ed25519 secret key (hex).
struct Node {
    ed25519: String,
    secret: String,
}

fn node(i: u8) -> Node {
    let seed = format!("{i:02x}").repeat(32);
    let identity = ok_json(&["id", "from-seed", &seed]);
    let ed25519 = text(&identity, "ed25519_public").to_owned();
    Node {
        secret: format!("{seed}{ed25519}"),
        ed25519,
    }
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

fn peel(key: &str, input: &str, out: Option<&str>) -> Value {
    let mut args = vec!["onion", "peel", "--key", key, input];
    if let Some(out) = out {
        args.extend(["--out", out]);
    }
    ok_json(&args)
}

#[test]
fn build_peel_reply_round_trip_to_a_node_with_both_ciphers() {
    let nodes: Vec<Node> = (1..=4).map(node).collect();
    for cipher in ["xchacha20", "aes-gcm"] {
        let dir = temp_dir(&format!("onion-node-{cipher}"));
        let payload = r#"{"method":"retrieve","params":{"pubkey":"05ab"}}"#;
        let built = ok_json(&[
            "onion",
            "build",
            "--cipher",
            cipher,
            "--hop",
            &nodes[0].ed25519,
            "--hop",
            &nodes[1].ed25519,
            "--hop",
            &nodes[2].ed25519,
            "--to-node",
            &nodes[3].ed25519,
            "--payload",
            payload,
            "--out",
            &path(&dir, "0.bin"),
            "--reply-state",
            &path(&dir, "state.json"),
        ]);
        assert_eq!(text(&built, "cipher"), cipher);
        let size = std::fs::metadata(dir.join("0.bin")).unwrap().len();
        assert_eq!(built["size"].as_u64(), Some(size));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.join("state.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o077,
                0,
                "the reply state is readable by its owner only"
            );
        }

        // Each hop learns only the next node.
        for hop in 0..3 {
            let seen = peel(
                &nodes[hop].secret,
                &path(&dir, &format!("{hop}.bin")),
                Some(&path(&dir, &format!("{}.bin", hop + 1))),
            );
            assert_eq!(text(&seen, "action"), "relay_to_node");
            assert_eq!(text(&seen, "next_node"), nodes[hop + 1].ed25519);
            assert_eq!(seen["hop_no"].as_u64(), Some(hop as u64));
            assert_eq!(text(&seen, "cipher"), cipher);
            assert_eq!(
                text(&seen, "opened"),
                if hop == 0 {
                    "request"
                } else {
                    "forwarded message"
                }
            );
        }
        // The destination reads the payload.
        let last = path(&dir, "3.bin");
        let seen = peel(&nodes[3].secret, &last, None);
        assert_eq!(text(&seen, "action"), "destination");
        assert_eq!(text(&seen["body"], "text"), payload);
        // The text form says the same.
        let plain = run(&["onion", "peel", "--key", &nodes[3].secret, &last]);
        assert_eq!(plain.code, 0, "{}", plain.stderr);
        for shown in [
            "opened: forwarded message\n".to_owned(),
            "hop: 3\n".to_owned(),
            format!("cipher: {cipher}\n"),
            "action: this node is the destination\n".to_owned(),
            format!("request: {payload}\n"),
            format!(
                "sender's ephemeral key: {}\n",
                text(&seen, "sender_ephemeral_public")
            ),
        ] {
            assert!(plain.stdout.contains(&shown), "{shown}\n{}", plain.stdout);
        }

        // It answers; the client reads the answer with the reply state.
        let reply = ok_json(&[
            "onion",
            "reply",
            "build",
            "--key",
            &nodes[3].secret,
            &last,
            "--status",
            "201",
            "--body",
            "no messages",
            "--out",
            &path(&dir, "reply.bin"),
        ]);
        assert_eq!(text(&reply, "format"), "v3");
        let answer = ok_json(&[
            "onion",
            "reply",
            "decrypt",
            "--state",
            &path(&dir, "state.json"),
            &path(&dir, "reply.bin"),
        ]);
        assert_eq!(answer["status"], 201);
        assert_eq!(answer["body"], "no messages");
        let plain = run(&[
            "onion",
            "reply",
            "decrypt",
            "--state",
            &path(&dir, "state.json"),
            &path(&dir, "reply.bin"),
        ]);
        assert_eq!(plain.stdout, "status: 201\nbody: no messages\n");
    }
}

#[test]
fn build_peel_reply_round_trip_to_a_server_with_a_v4_request() {
    let nodes: Vec<Node> = (5..=7).map(node).collect();
    let server = node(8);
    let server_x25519 = text(
        &ok_json(&["id", "from-seed", &"08".repeat(32)]),
        "x25519_public",
    )
    .to_owned();
    let dir = temp_dir("onion-server");
    ok_json(&[
        "onion",
        "build",
        "--hop",
        &nodes[0].ed25519,
        "--hop",
        &nodes[1].ed25519,
        "--hop",
        &nodes[2].ed25519,
        "--to-server",
        "sogs.example",
        "--server-key",
        &server_x25519,
        "--port",
        "8443",
        "--method",
        "POST",
        "--endpoint",
        "/room/x/message",
        "--header",
        "X-Test: 1",
        "--payload",
        "hello",
        "--out",
        &path(&dir, "0.bin"),
        "--reply-state",
        &path(&dir, "state.json"),
    ]);
    for hop in 0..2 {
        peel(
            &nodes[hop].secret,
            &path(&dir, &format!("{hop}.bin")),
            Some(&path(&dir, &format!("{}.bin", hop + 1))),
        );
    }
    let relay = peel(
        &nodes[2].secret,
        &path(&dir, "2.bin"),
        Some(&path(&dir, "server.bin")),
    );
    assert_eq!(text(&relay, "action"), "relay_to_server");
    assert_eq!(text(&relay["server"], "host"), "sogs.example");
    assert_eq!(relay["server"]["port"], 8443);
    assert_eq!(text(&relay["server"], "target"), "/oxen/v4/lsrpc");

    // The server opens what the last hop posts it.
    let seen = peel(&server.secret, &path(&dir, "server.bin"), None);
    assert_eq!(text(&seen, "action"), "server_request");
    assert_eq!(text(&seen, "method"), "POST");
    assert_eq!(text(&seen, "endpoint"), "/room/x/message");
    assert_eq!(text(&seen["body"], "text"), "hello");
    let headers = seen["headers"].as_array().unwrap();
    assert!(
        headers.iter().any(|h| h[0] == "X-Test" && h[1] == "1"),
        "{headers:?}"
    );

    ok_json(&[
        "onion",
        "reply",
        "build",
        "--key",
        &server.secret,
        &path(&dir, "server.bin"),
        "--status",
        "200",
        "--body",
        "{\"ok\":true}",
        "--out",
        &path(&dir, "reply.bin"),
    ]);
    let answer = ok_json(&[
        "onion",
        "reply",
        "decrypt",
        "--state",
        &path(&dir, "state.json"),
        &path(&dir, "reply.bin"),
    ]);
    assert_eq!(text(&answer, "format"), "v4");
    assert_eq!(answer["status"], 200);
    assert_eq!(text(&answer["body"], "text"), "{\"ok\":true}");
}

#[test]
fn keys_come_from_files_and_hops_from_explicit_x25519_keys() {
    // libsession's vector: an Ed25519 key and the X25519 secret of the same node.
    let vectors = data("mnemonic.json");
    let case = &vectors["libsession_key_conversion"][0];
    let ed = text(&case["from_source"], "ed25519_pk");
    let x_secret = text(&case["from_source"], "x25519_sk");
    let x_public = text(&case["computed"], "x25519_pk");
    let dir = temp_dir("onion-key-file");
    // Raw 32 bytes in one file, hex in another.
    let raw: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&x_secret[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    std::fs::write(dir.join("key_x25519"), raw).unwrap();
    std::fs::write(dir.join("key.hex"), format!("{x_secret}\n")).unwrap();

    let built = ok_json(&[
        "onion",
        "build",
        "--hop",
        &format!("{ed}:{x_public}"),
        "--to-node",
        &format!("{ed}:{x_public}"),
        "--payload",
        "ping",
    ]);
    let request_hex = text(&built, "request_hex").to_owned();
    std::fs::write(dir.join("request.hex"), &request_hex).unwrap();
    for key_file in ["key_x25519", "key.hex"] {
        let seen = ok_json(&[
            "onion",
            "peel",
            "--key-file",
            &path(&dir, key_file),
            &path(&dir, "request.hex"),
        ]);
        assert_eq!(text(&seen, "next_node"), ed);
    }
    // The request in hex on standard input.
    let run = run_with_stdin(
        &["--json", "onion", "peel", "--key", x_secret, "-"],
        request_hex.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(text(&run.json(), "action"), "relay_to_node");
}

#[test]
fn onion_errors_are_precise() {
    let nodes: Vec<Node> = (1..=2).map(node).collect();
    let dir = temp_dir("onion-errors");
    ok_json(&[
        "onion",
        "build",
        "--hop",
        &nodes[0].ed25519,
        "--to-node",
        &nodes[1].ed25519,
        "--payload",
        "x",
        "--out",
        &path(&dir, "0.bin"),
    ]);
    // The wrong node's key.
    let wrong = run(&[
        "onion",
        "peel",
        "--key",
        &nodes[1].secret,
        &path(&dir, "0.bin"),
    ]);
    assert_eq!(wrong.code, 1);
    assert_eq!(
        wrong.stderr.trim(),
        "error: cannot open the layer with this key: decryption failed"
    );
    // A key of the wrong size.
    let short = run(&["onion", "peel", "--key", "0011", &path(&dir, "0.bin")]);
    assert_eq!(short.code, 1);
    assert!(short.stderr.contains("invalid node key in --key: expected a 32-byte X25519 secret key or a 64-byte Ed25519 secret key, got 2 bytes"), "{}", short.stderr);
    // Answering at a node that only relays.
    let relay = run(&[
        "onion",
        "reply",
        "build",
        "--key",
        &nodes[0].secret,
        &path(&dir, "0.bin"),
    ]);
    assert_eq!(relay.code, 1);
    assert!(
        relay.stderr.contains(&format!(
            "this node is not the destination: the layer asks it to relay to node {}",
            nodes[1].ed25519
        )),
        "{}",
        relay.stderr
    );
    // A bad hop.
    let hop = run(&[
        "onion",
        "build",
        "--hop",
        "abcd",
        "--to-node",
        &nodes[1].ed25519,
    ]);
    assert_eq!(hop.code, 1);
    assert!(
        hop.stderr.contains("invalid Ed25519 key in \"abcd\""),
        "{}",
        hop.stderr
    );
    // Both key options.
    let both = run(&["onion", "peel", "--key", "00", "--key-file", "k", "x"]);
    assert_eq!(both.code, 2);
}

#[test]
fn exit_codes_distinguish_usage_input_and_files() {
    // Usage errors come from the argument parser: 2.
    assert_eq!(run(&["mnemonic"]).code, 2);
    assert_eq!(run(&["nonsense"]).code, 2);
    assert_eq!(run(&["staking", "requirement"]).code, 2);
    assert_eq!(
        run(&[
            "staking",
            "requirement",
            "--height",
            "1",
            "--network",
            "moon"
        ])
        .code,
        2
    );
    // Invalid input: 1.
    assert_eq!(run(&["mnemonic", "encode", "abc"]).code, 1);
    assert_eq!(run(&["mnemonic", "decode", "not", "a", "phrase"]).code, 1);
    // A file that cannot be read: 3, with the path and the system's reason.
    let missing = run(&[
        "swarm",
        "of",
        "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69",
        "--nodes",
        "/nonexistent/nodes.json",
    ]);
    assert_eq!(missing.code, 3);
    assert!(
        missing
            .stderr
            .starts_with("error: cannot open /nonexistent/nodes.json: "),
        "{}",
        missing.stderr
    );
    // With --json the error is a JSON document too.
    let json = run(&["--json", "mnemonic", "encode", "001122"]);
    assert_eq!(json.code, 1);
    let report = json.json();
    assert_eq!(report["exit_code"], 1);
    assert_eq!(
        text(&report, "error"),
        "cannot encode the seed: a seed must be a non-empty multiple of 4 bytes (at most 1024 bytes), got 3"
    );
    let odd = run(&["mnemonic", "encode", "abc"]);
    assert_eq!(
        odd.stderr.trim(),
        "error: seed: odd number of hex characters (3)"
    );
}

#[test]
fn help_lists_examples_and_exit_codes() {
    let top = run(&["--help"]);
    assert_eq!(top.code, 0);
    assert!(top.stdout.contains("Exit codes:"));
    assert!(top.stdout.contains("2  usage error"));
    for command in [
        &["mnemonic", "new"][..],
        &["mnemonic", "encode"],
        &["mnemonic", "decode"],
        &["mnemonic", "check"],
        &["mnemonic", "recover"],
        &["id", "new"],
        &["id", "from-phrase"],
        &["id", "from-seed"],
        &["id", "parse"],
        &["swarm", "of"],
        &["swarm", "rebalance"],
        &["onion", "build"],
        &["onion", "peel"],
        &["onion", "reply", "build"],
        &["onion", "reply", "decrypt"],
        &["staking", "requirement"],
        &["staking", "check-registration"],
    ] {
        let mut args = command.to_vec();
        args.push("--help");
        let help = run(&args);
        assert_eq!(help.code, 0, "{command:?}");
        assert!(
            help.stdout.contains("Examples:\n  session "),
            "{command:?}: {}",
            help.stdout
        );
    }
}
