//! New accounts (`id new`, `mnemonic new`), and the text and JSON forms of each report saying
//! the same thing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeSet;

use common::{ok_json, run, run_with_stdin, text};

const PUFFIN: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
const PUFFIN_SEED: &str = "39038c8988db02c1af44e8c847bd9713";
const PUFFIN_ID: &str = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";

/// The value of a `label: value` line of a text report.
fn line<'a>(stdout: &'a str, label: &str) -> &'a str {
    let prefix = format!("{label}: ");
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {label:?} line in:\n{stdout}"))
}

#[test]
fn the_phrase_id_new_prints_restores_the_same_account() {
    let created = ok_json(&["id", "new"]);
    let phrase = text(&created, "phrase");
    assert_eq!(phrase.split(' ').count(), 13, "{phrase}");
    assert_eq!(text(&created, "language"), "english");
    let session_id = text(&created, "session_id");
    assert!(session_id.starts_with("05"), "{session_id}");
    assert_eq!(&session_id[2..], text(&created, "x25519_public"));

    // Given as words, and read from standard input.
    let restored = ok_json(&["id", "from-phrase", phrase]);
    assert_eq!(text(&restored, "session_id"), session_id);
    assert_eq!(
        text(&restored, "ed25519_public"),
        text(&created, "ed25519_public")
    );
    assert_eq!(
        text(&restored, "x25519_public"),
        text(&created, "x25519_public")
    );
    let piped = run_with_stdin(&["--json", "id", "from-phrase", "-"], phrase.as_bytes());
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert_eq!(text(&piped.json(), "session_id"), session_id);

    // The phrase is a valid Session phrase: 16 bytes of seed and a checksum word.
    let decoded = ok_json(&["mnemonic", "decode", phrase]);
    assert_eq!(text(&decoded, "seed").len(), 32);
    assert_eq!(decoded["has_checksum"], true);
}

#[test]
fn the_text_of_id_new_restores_the_same_account_too() {
    let created = run(&["id", "new"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    let phrase = line(&created.stdout, "recovery phrase");
    let session_id = line(&created.stdout, "session id");
    let restored = ok_json(&["id", "from-phrase", phrase]);
    assert_eq!(text(&restored, "session_id"), session_id);
    assert_eq!(
        text(&restored, "ed25519_public"),
        line(&created.stdout, "ed25519 public key")
    );
    assert_eq!(
        text(&restored, "x25519_public"),
        line(&created.stdout, "x25519 public key")
    );
    assert!(created.stdout.contains("only way to restore this account"));
}

#[test]
fn mnemonic_new_writes_the_phrase_in_the_language_asked() {
    let created = ok_json(&["mnemonic", "new", "--language", "french"]);
    assert_eq!(text(&created, "language"), "french");
    let phrase = text(&created, "phrase");
    assert_eq!(phrase.split(' ').count(), 13);
    let restored = ok_json(&["id", "from-phrase", "--language", "french", phrase]);
    assert_eq!(text(&restored, "session_id"), text(&created, "session_id"));
    // The seed under the French words is the account's seed.
    let decoded = ok_json(&["mnemonic", "decode", "--language", "french", phrase]);
    assert_eq!(text(&decoded, "language"), "french");
    let from_seed = ok_json(&["id", "from-seed", text(&decoded, "seed")]);
    assert_eq!(text(&from_seed, "session_id"), text(&created, "session_id"));
}

#[test]
fn every_new_account_is_different() {
    let ids: BTreeSet<String> = (0..4)
        .map(|_| text(&ok_json(&["mnemonic", "new"]), "session_id").to_owned())
        .collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
}

#[test]
fn an_unknown_language_is_a_usage_error() {
    let bad = run(&["id", "new", "--language", "klingon"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("unknown language name"),
        "{}",
        bad.stderr
    );
}

#[test]
fn mnemonic_reports_say_the_same_in_text_and_json() {
    let encoded = ok_json(&["mnemonic", "encode", PUFFIN_SEED]);
    let plain = run(&["mnemonic", "encode", PUFFIN_SEED]);
    assert_eq!(plain.stdout.trim(), text(&encoded, "phrase"));

    let decoded = ok_json(&["mnemonic", "decode", PUFFIN]);
    let plain = run(&["mnemonic", "decode", PUFFIN]).stdout;
    assert_eq!(line(&plain, "seed"), text(&decoded, "seed"));
    assert_eq!(line(&plain, "seed"), PUFFIN_SEED);
    assert_eq!(line(&plain, "language"), "English");
    assert_eq!(text(&decoded, "language"), "english");
    assert_eq!(line(&plain, "words"), decoded["word_count"].to_string());
    assert_eq!(line(&plain, "checksum word"), "yes");

    let recovered = ok_json(&["mnemonic", "recover", PUFFIN]);
    let plain = run(&["mnemonic", "recover", PUFFIN]).stdout;
    assert_eq!(line(&plain, "session id"), text(&recovered, "session_id"));
    assert_eq!(line(&plain, "session id"), PUFFIN_ID);
    assert_eq!(
        line(&plain, "ed25519 public key"),
        text(&recovered, "ed25519_public")
    );

    // A failed check prints its report, then exits with 1, in both forms.
    let typo = PUFFIN.replace("zinger", "singer");
    let checked = run(&["--json", "mnemonic", "check", "--max", "2", &typo]);
    let plain = run(&["mnemonic", "check", "--max", "2", &typo]);
    assert_eq!((checked.code, plain.code), (1, 1));
    let checked = checked.json();
    assert_eq!(
        line(&plain.stdout, "invalid"),
        text(&checked, "error"),
        "the text states the JSON's error"
    );
    let corrections = checked["corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 2);
    for correction in corrections {
        let shown = format!(
            "  word {} -> {:?}: {}",
            correction["word_number"],
            text(correction, "word"),
            text(correction, "phrase")
        );
        assert!(plain.stdout.contains(&shown), "{shown}\n{}", plain.stdout);
    }
}

#[test]
fn id_and_staking_reports_say_the_same_in_text_and_json() {
    let parsed = ok_json(&["id", "parse", PUFFIN_ID]);
    let plain = run(&["id", "parse", PUFFIN_ID]).stdout;
    assert_eq!(line(&plain, "id"), text(&parsed, "id"));
    assert_eq!(line(&plain, "prefix"), "05 (account)");
    assert_eq!(line(&plain, "what"), text(&parsed, "description"));
    assert_eq!(
        line(&plain, "key"),
        format!("{} (x25519)", text(&parsed, "key"))
    );

    let requirement = ok_json(&["staking", "requirement", "--height", "464862"]);
    let plain = run(&["staking", "requirement", "--height", "464862"]).stdout;
    assert_eq!(line(&plain, "network"), text(&requirement, "network"));
    assert_eq!(line(&plain, "height"), "464862");
    assert_eq!(line(&plain, "hard fork"), "HF14");
    assert_eq!(requirement["hard_fork"], 14);
    assert_eq!(
        line(&plain, "staking requirement"),
        format!(
            "{} ({} atomic units)",
            text(&requirement, "requirement_coins"),
            requirement["requirement"]
        )
    );
    assert_eq!(text(&requirement, "requirement_coins"), "18590.875262503");
}

#[test]
fn errors_speak_to_a_command_line_user() {
    let typo = PUFFIN.replace("zinger", "singer");
    for args in [
        &["mnemonic", "decode", &typo][..],
        &["id", "from-phrase", &typo],
        &["mnemonic", "recover", &typo],
    ] {
        let failed = run(args);
        assert_eq!(failed.code, 1, "{args:?}");
        assert!(
            failed
                .stderr
                .contains("`session mnemonic check` lists the likeliest corrections"),
            "{args:?}: {}",
            failed.stderr
        );
        assert!(
            !failed.stderr.contains("suggest_corrections"),
            "{}",
            failed.stderr
        );
    }
    // Inside the check itself, the corrections follow: no pointer to the check.
    let checked = run(&["mnemonic", "check", &typo]);
    assert!(!checked.stdout.contains("session mnemonic check"));
    assert!(checked.stdout.contains("likeliest corrections:"));

    // A checksum-less phrase names the option that decodes it.
    let twelve: Vec<&str> = PUFFIN.split(' ').take(12).collect();
    let no_checksum = run(&["mnemonic", "decode", "-l", "english", &twelve.join(" ")]);
    assert_eq!(no_checksum.code, 1);
    let with_option = ok_json(&[
        "mnemonic",
        "decode",
        "--no-checksum",
        "-l",
        "english",
        &twelve.join(" "),
    ]);
    assert_eq!(with_option["has_checksum"], false);

    // Two gaps: say what to give instead.
    let gaps = PUFFIN.replace("kiwi", "?");
    let failed = run(&["mnemonic", "recover", &gaps]);
    assert_eq!(failed.code, 1);
    assert!(
        failed
            .stderr
            .contains("give at most one word as `?` (found 2)"),
        "{}",
        failed.stderr
    );
}
