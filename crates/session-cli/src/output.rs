//! What a command prints, and its exit code.
//!
//! Every command returns a typed report that is both [`Serialize`] (the `--json` document)
//! and [`fmt::Display`] (the text), so the two outputs are built from the same values and
//! cannot drift apart. [`Output::print`] is the one place that chooses between them.

use std::fmt;
use std::io::Write as _;
use std::process::ExitCode;

use serde::{Serialize, Serializer};
use zeroize::Zeroizing;

/// Exit code of a successful run (for checks: the input is valid).
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code for invalid input, or a check that found a broken rule.
pub(crate) const EXIT_INVALID: u8 = 1;
/// Exit code when a file could not be read or written.
pub(crate) const EXIT_IO: u8 = 3;

/// A command's result: a JSON document with `--json`, text otherwise.
pub(crate) trait Report: Serialize + fmt::Display {
    /// `false` for a check that found a rule broken: the run then exits with code 1 after
    /// printing the report.
    fn passed(&self) -> bool {
        true
    }
}

/// Where a command's report goes.
pub(crate) struct Output {
    json: bool,
    code: u8,
}

impl Output {
    pub(crate) fn new(json: bool) -> Self {
        Output {
            json,
            code: EXIT_OK,
        }
    }

    /// Prints a command's report: as JSON with `--json`, as text otherwise.
    pub(crate) fn print<R: Report>(&mut self, report: &R) {
        if !report.passed() {
            self.code = EXIT_INVALID;
        }
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = if self.json {
            serde_json::to_writer_pretty(&mut stdout, report)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(stdout))
        } else {
            write!(stdout, "{report}")
        };
    }

    pub(crate) fn finish(self) -> ExitCode {
        ExitCode::from(self.code)
    }

    /// Reports an error: once on standard error, and as JSON on standard output with `--json`.
    pub(crate) fn fail(mut self, failure: &Failure) -> ExitCode {
        if self.json {
            self.print(failure);
        }
        let _ = writeln!(std::io::stderr().lock(), "error: {}", failure.error);
        ExitCode::from(failure.exit_code)
    }
}

/// An error with its exit code; with `--json`, `{"error": ..., "exit_code": ...}`.
#[derive(Serialize)]
pub(crate) struct Failure {
    /// Secret: a phrase error quotes the phrase's words.
    error: SecretText,
    exit_code: u8,
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        let io = error
            .chain()
            .any(|cause| cause.downcast_ref::<std::io::Error>().is_some());
        Failure {
            // `{:#}`: each cause once, outermost first, separated by ": ".
            error: SecretText::new(Zeroizing::new(format!("{error:#}"))),
            exit_code: if io { EXIT_IO } else { EXIT_INVALID },
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.error)
    }
}

impl Report for Failure {
    fn passed(&self) -> bool {
        false
    }
}

/// Text that is secret (a phrase, a seed): wiped from memory when dropped, printed as it is.
pub(crate) struct SecretText(Zeroizing<String>);

impl SecretText {
    pub(crate) fn new(text: Zeroizing<String>) -> Self {
        SecretText(text)
    }
}

impl Serialize for SecretText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl fmt::Display for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Bytes shown as text when they are UTF-8, as hex otherwise: `{"text": ...}` or `{"hex": ...}`.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Shown {
    Text(String),
    Hex(String),
}

impl Shown {
    pub(crate) fn new(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(text) => Shown::Text(text.to_owned()),
            Err(_) => Shown::Hex(session_core::encoding::encode_hex(bytes)),
        }
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Text(text) => f.write_str(text),
            Shown::Hex(hex) => write!(f, "(hex) {hex}"),
        }
    }
}

/// Writes a `label: value` line.
pub(crate) fn field(
    f: &mut fmt::Formatter<'_>,
    label: &str,
    value: impl fmt::Display,
) -> fmt::Result {
    writeln!(f, "{label}: {value}")
}
