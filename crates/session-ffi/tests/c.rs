//! Compiles the C test program with gcc against the static and the shared library and runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
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

/// Compiles the C test program, linked with `link` (the library and its flags).
fn compile(name: &str, link: &[&OsStr]) -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let program = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let cc = std::env::var("CC").unwrap_or_else(|_| "gcc".into());
    let status = Command::new(&cc)
        .args(["-std=c99", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&program)
        .arg(manifest.join("tests/c/test_session_infra.c"))
        .arg("-I")
        .arg(manifest.join("include"))
        .args(link)
        .args(["-lpthread", "-ldl", "-lm"])
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cc} (install gcc, or set CC): {e}"));
    assert!(status.success(), "{cc} failed to build the C test program");
    program
}

/// Runs the C test program with the known answers it checks.
fn run(program: &Path, library_path: Option<&Path>) {
    let identity = session_bindings::Identity::from_phrase(PHRASE).unwrap();
    let id = identity.session_id();
    let hash = session_bindings::message_hash(&id, 0, b"hello").unwrap();
    let mut command = Command::new(program);
    if let Some(dir) = library_path {
        command.env("LD_LIBRARY_PATH", dir);
    }
    let output = command.args([PHRASE, &id, &hash]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the C test program failed");
    assert!(stdout.contains(" passed, 0 failed"));
}

#[test]
fn c_program_links_the_static_library() {
    let library = static_library();
    assert!(library.exists(), "{} was not built", library.display());
    let program = compile("test_session_infra_static", &[library.as_os_str()]);
    run(&program, None);
}

#[test]
#[cfg(target_os = "linux")]
fn c_program_links_the_shared_library() {
    let dir = static_library().parent().unwrap().to_path_buf();
    assert!(
        dir.join("libsession_ffi.so").exists(),
        "libsession_ffi.so was not built"
    );
    let mut search = OsString::from("-L");
    search.push(&dir);
    let program = compile(
        "test_session_infra_shared",
        &[search.as_os_str(), OsStr::new("-lsession_ffi")],
    );
    run(&program, Some(&dir));
}
