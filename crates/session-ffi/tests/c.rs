//! Compiles the C test program with gcc against the static library and runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

const PHRASE: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";

/// `libsession_ffi.a`, built beside this test in `deps/` (or uplifted to the profile
/// directory above it by `cargo build`).
fn static_library() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    let beside = deps.join("libsession_ffi.a");
    if beside.exists() {
        return beside;
    }
    deps.parent().unwrap().join("libsession_ffi.a")
}

#[test]
fn c_program_links_and_passes() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let library = static_library();
    assert!(library.exists(), "{} was not built", library.display());
    let program = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("test_session_infra");
    let cc = std::env::var("CC").unwrap_or_else(|_| "gcc".into());
    let status = Command::new(&cc)
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&program)
        .arg(manifest.join("tests/c/test_session_infra.c"))
        .arg("-I")
        .arg(manifest.join("include"))
        .arg(&library)
        .args(["-lpthread", "-ldl", "-lm"])
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cc} (install gcc, or set CC): {e}"));
    assert!(status.success(), "{cc} failed to build the C test program");

    let identity = session_bindings::Identity::from_phrase(PHRASE).unwrap();
    let id = identity.session_id();
    let hash = session_bindings::message_hash(&id, 0, b"hello").unwrap();
    let output = Command::new(&program)
        .args([PHRASE, &id, &hash])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the C test program failed");
    assert!(stdout.contains(" passed, 0 failed"));
}
