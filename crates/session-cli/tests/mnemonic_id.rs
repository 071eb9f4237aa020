//! `session mnemonic` and `session id` against the known-answer vectors in tests/data.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{data, ok_json, run, run_with_stdin, text};

const PUFFIN: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
const PUFFIN_ID: &str = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";

/// The 13-word Session phrases of the vectors, with their seeds.
fn session_vectors() -> Vec<(String, String)> {
    let vectors = data("mnemonic.json");
    let mut found = Vec::new();
    for entry in vectors["session_mnemonic"].as_array().unwrap() {
        let values = entry
            .get("from_source")
            .or_else(|| entry.get("computed"))
            .unwrap();
        if let (Some(phrase), Some(seed)) = (values["mnemonic"].as_str(), values["seed16"].as_str())
        {
            found.push((phrase.to_owned(), seed.to_owned()));
        }
    }
    assert!(found.len() >= 5, "the vectors hold the Session phrases");
    found
}

#[test]
fn encode_and_decode_match_the_session_vectors() {
    for (phrase, seed) in session_vectors() {
        let encoded = ok_json(&["mnemonic", "encode", &seed]);
        assert_eq!(text(&encoded, "phrase"), phrase);
        assert_eq!(encoded["word_count"], 13);
        assert_eq!(text(&encoded, "language"), "english");

        let decoded = ok_json(&["mnemonic", "decode", &phrase]);
        assert_eq!(text(&decoded, "seed"), seed);
        assert_eq!(decoded["has_checksum"], true);
    }
}

#[test]
fn decode_matches_the_25_word_monero_vectors_in_every_language() {
    let vectors = data("mnemonic.json");
    let cases = vectors["monero_25_word"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let phrase = case["from_source"]["mnemonic"].as_str().unwrap();
        let language = case["language"].as_str().unwrap();
        let words = case["word_count"].as_u64().unwrap();
        let mut args = vec!["mnemonic", "decode", "--language", language, phrase];
        if words == 24 {
            // The legacy list has no checksum word.
            args.push("--no-checksum");
        }
        let decoded = ok_json(&args);
        assert_eq!(
            text(&decoded, "seed"),
            text(&case["from_source"], "spend_key")
        );
        assert_eq!(decoded["word_count"].as_u64(), Some(words));
        assert_eq!(decoded["has_checksum"], words == 25);
        if words == 24 {
            continue;
        }
        // And back: the same words.
        let encoded = ok_json(&["mnemonic", "encode", "-l", language, text(&decoded, "seed")]);
        let words: Vec<&str> = text(&encoded, "phrase").split(' ').collect();
        let given: Vec<&str> = phrase.split_whitespace().collect();
        assert_eq!(words, given, "{language}");
    }
}

#[test]
fn encode_then_decode_round_trips_in_every_language() {
    let seeds = [
        "00000000000000000000000000000000",
        "ffffffffffffffffffffffffffffffff",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "deadbeef",
    ];
    for language in [
        "english",
        "chinese_simplified",
        "dutch",
        "esperanto",
        "french",
        "german",
        "italian",
        "japanese",
        "lojban",
        "portuguese",
        "russian",
        "spanish",
    ] {
        for seed in seeds {
            let encoded = ok_json(&["mnemonic", "encode", "--language", language, seed]);
            let decoded = ok_json(&[
                "mnemonic",
                "decode",
                "--language",
                language,
                text(&encoded, "phrase"),
            ]);
            assert_eq!(text(&decoded, "seed"), seed, "{language}");
            assert_eq!(text(&decoded, "language"), language);
        }
    }
}

#[test]
fn phrases_and_seeds_are_read_from_stdin() {
    let run = run_with_stdin(
        &["--json", "mnemonic", "decode", "-"],
        format!("{PUFFIN}\n").as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        text(&run.json(), "seed"),
        "39038c8988db02c1af44e8c847bd9713"
    );

    let run = run_with_stdin(
        &["mnemonic", "encode", "-"],
        b"39038c8988db02c1af44e8c847bd9713\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), PUFFIN);
}

#[test]
fn check_accepts_a_valid_phrase() {
    let checked = ok_json(&["mnemonic", "check", PUFFIN]);
    assert_eq!(checked["valid"], true);
    assert_eq!(checked["word_count"], 13);
    let plain = run(&["mnemonic", "check", PUFFIN]);
    assert_eq!(plain.code, 0);
    assert!(
        plain.stdout.starts_with("valid: 13 words, English"),
        "{}",
        plain.stdout
    );
}

#[test]
fn check_names_the_checksum_suspect_and_ranks_the_fix_first() {
    let typo = PUFFIN.replace("zinger", "singer");
    let run = run(&["--json", "mnemonic", "check", "--max", "3", &typo]);
    assert_eq!(run.code, 1);
    let report = run.json();
    assert_eq!(report["valid"], false);
    assert_eq!(text(&report, "kind"), "checksum_mismatch");
    assert_eq!(report["suspects"], serde_json::json!([12]));
    let corrections = report["corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 3);
    assert_eq!(corrections[0]["word_number"], 12);
    assert_eq!(text(&corrections[0], "word"), "zinger");
    assert_eq!(text(&corrections[0], "phrase"), PUFFIN);
    assert!(text(&report, "error").contains("first suspect: word 12"));
}

#[test]
fn check_reports_an_unknown_word_with_suggestions() {
    let typo = PUFFIN.replace("zinger", "zniger");
    let run = run(&["--json", "mnemonic", "check", &typo]);
    assert_eq!(run.code, 1);
    let report = run.json();
    assert_eq!(text(&report, "kind"), "unknown_word");
    assert_eq!(report["word_number"], 12);
    assert_eq!(text(&report, "word"), "zniger");
    assert_eq!(report["suggestions"][0], "zinger");
    assert_eq!(text(&report["corrections"][0], "phrase"), PUFFIN);

    // The text form says the same.
    let plain = common::run(&["mnemonic", "check", &typo]);
    assert_eq!(plain.code, 1);
    assert!(
        plain
            .stdout
            .contains("word 12 (\"zniger\") is not in the English word list")
    );
    assert!(plain.stdout.contains("word 12 -> \"zinger\""));
}

#[test]
fn check_reports_a_wrong_word_count() {
    let short: Vec<&str> = PUFFIN.split(' ').take(12).collect();
    let run = run(&["--json", "mnemonic", "check", &short.join(" ")]);
    assert_eq!(run.code, 1);
    let report = run.json();
    assert_eq!(text(&report, "kind"), "wrong_word_count");
    assert_eq!(
        (report["got"].as_u64(), report["expected"].as_u64()),
        (Some(12), Some(13))
    );
}

#[test]
fn recover_restores_the_account_and_fills_a_missing_word() {
    let account = ok_json(&["mnemonic", "recover", PUFFIN]);
    assert_eq!(text(&account, "session_id"), PUFFIN_ID);
    assert_eq!(
        &text(&account, "session_id")[2..],
        text(&account, "x25519_public")
    );

    let gap = PUFFIN.rsplit_once(' ').unwrap().0.to_owned() + " ?";
    let found = ok_json(&["mnemonic", "recover", &gap]);
    let candidates = found["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 1, "only the checksum word fits");
    assert_eq!(candidates[0]["word_number"], 13);
    assert_eq!(text(&candidates[0], "word"), "kiwi");
    assert_eq!(text(&candidates[0]["account"], "session_id"), PUFFIN_ID);
}

#[test]
fn id_from_phrase_and_from_seed_agree_with_the_vectors() {
    for (phrase, seed) in session_vectors() {
        let from_phrase = ok_json(&["id", "from-phrase", &phrase]);
        let from_seed = ok_json(&["id", "from-seed", &seed]);
        assert_eq!(from_phrase, from_seed);
        assert!(text(&from_seed, "session_id").starts_with("05"));
    }
    let puffin = ok_json(&["id", "from-phrase", PUFFIN]);
    assert_eq!(text(&puffin, "session_id"), PUFFIN_ID);

    // libsession's 32-byte Ed25519 seed, alone and as libsodium's 64-byte secret key.
    let vectors = data("mnemonic.json");
    let case = &vectors["libsession_key_conversion"][0];
    let source = &case["from_source"];
    for seed in [text(source, "ed25519_seed"), text(source, "ed25519_sk")] {
        let identity = ok_json(&["id", "from-seed", seed]);
        assert_eq!(
            text(&identity, "ed25519_public"),
            text(source, "ed25519_pk")
        );
        assert_eq!(
            text(&identity, "x25519_public"),
            text(&case["computed"], "x25519_pk")
        );
        assert_eq!(
            text(&identity, "session_id"),
            text(&case["computed"], "session_id")
        );
    }
}

#[test]
fn id_from_seed_rejects_bad_lengths_and_mismatched_secret_keys() {
    let run = common::run(&["id", "from-seed", "0011"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("seed must be 16 or 32 bytes, got 2"),
        "{}",
        run.stderr
    );

    let vectors = data("mnemonic.json");
    let mut sk = text(
        &vectors["libsession_key_conversion"][0]["from_source"],
        "ed25519_sk",
    )
    .to_owned();
    sk.replace_range(127.., "0");
    let run = common::run(&["id", "from-seed", &sk]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("second half is not the public key"),
        "{}",
        run.stderr
    );
}

#[test]
fn id_parse_says_what_each_prefix_is() {
    let parsed = ok_json(&["id", "parse", PUFFIN_ID]);
    assert_eq!(text(&parsed, "kind"), "account");
    assert_eq!(text(&parsed, "prefix"), "05");
    assert_eq!(text(&parsed, "key_type"), "x25519");
    assert_eq!(text(&parsed, "key"), &PUFFIN_ID[2..]);

    let vectors = data("mnemonic.json");
    let case = &vectors["libsession_key_conversion"][0];
    let ed = text(&case["from_source"], "ed25519_pk");
    for (prefix, kind) in [
        ("03", "group"),
        ("00", "unblinded"),
        ("15", "blinded15"),
        ("25", "blinded25"),
    ] {
        let parsed = ok_json(&["id", "parse", &format!("{prefix}{ed}")]);
        assert_eq!(text(&parsed, "kind"), kind);
        assert_eq!(text(&parsed, "key_type"), "ed25519");
    }
    // An unblinded key converts to the account's X25519 key.
    let unblinded = ok_json(&["id", "parse", &format!("00{ed}")]);
    assert_eq!(
        text(&unblinded, "x25519_public"),
        text(&case["computed"], "x25519_pk")
    );
    assert_eq!(
        text(&unblinded, "as_account_id"),
        text(&case["computed"], "session_id")
    );

    // A bare key: libsession's pk-only conversion vector.
    let pk_only = &vectors["libsession_key_conversion"][2]["from_source"];
    let bare = ok_json(&["id", "parse", text(pk_only, "ed25519_pk_input")]);
    assert_eq!(text(&bare, "kind"), "key");
    assert_eq!(text(&bare, "x25519_public"), text(pk_only, "x25519_pk"));
}

#[test]
fn id_parse_rejects_unknown_prefixes_and_bad_hex() {
    let unknown = run(&["--json", "id", "parse", &format!("ff{}", &PUFFIN_ID[2..])]);
    assert_eq!(unknown.code, 1);
    assert_eq!(text(&unknown.json(), "kind"), "unknown");

    let bad = run(&["id", "parse", "05zz"]);
    assert_eq!(bad.code, 1);
    assert_eq!(
        bad.stderr.trim(),
        "error: not a Session ID: non-hex character 'z' at position 2"
    );

    let short = run(&["id", "parse", "0548"]);
    assert_eq!(short.code, 1);
    assert!(short.stderr.contains("got 4"), "{}", short.stderr);
}
