//! What a command prints: a JSON document with `--json`, text otherwise; and the exit code.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use serde_json::{Value, json};

/// Exit code of a successful run (for checks: the input is valid).
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code for invalid input, or a check that found a broken rule.
pub(crate) const EXIT_INVALID: u8 = 1;
/// Exit code when a file could not be read or written.
pub(crate) const EXIT_IO: u8 = 3;

/// Where a command's results go.
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

    /// Prints a command's result: `document` with `--json`, `text` otherwise.
    pub(crate) fn print(&mut self, document: &Value, text: &Text) {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = if self.json {
            writeln!(stdout, "{document:#}")
        } else {
            write!(stdout, "{}", text.0)
        };
    }

    /// Marks the run as a failed check (exit code 1) after its report was printed.
    pub(crate) fn rule_failed(&mut self) {
        self.code = EXIT_INVALID;
    }

    pub(crate) fn finish(self) -> ExitCode {
        ExitCode::from(self.code)
    }

    /// Reports an error: once on standard error, and as JSON on standard output with `--json`.
    pub(crate) fn fail(self, failure: &Failure) -> ExitCode {
        if self.json {
            let document = json!({ "error": failure.message, "exit_code": failure.code });
            let _ = writeln!(std::io::stdout().lock(), "{document:#}");
        }
        let _ = writeln!(std::io::stderr().lock(), "error: {}", failure.message);
        ExitCode::from(failure.code)
    }
}

/// An error with its exit code.
pub(crate) struct Failure {
    message: String,
    code: u8,
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        let io = error
            .chain()
            .any(|cause| cause.downcast_ref::<std::io::Error>().is_some());
        Failure {
            // `{:#}`: each cause once, outermost first, separated by ": ".
            message: format!("{error:#}"),
            code: if io { EXIT_IO } else { EXIT_INVALID },
        }
    }
}

/// Text output, built line by line.
#[derive(Default)]
pub(crate) struct Text(String);

impl Text {
    pub(crate) fn new() -> Self {
        Text::default()
    }

    /// A `label: value` line.
    pub(crate) fn field(&mut self, label: &str, value: impl std::fmt::Display) -> &mut Self {
        let _ = writeln!(self.0, "{label}: {value}");
        self
    }

    /// A line as it is.
    pub(crate) fn line(&mut self, line: impl std::fmt::Display) -> &mut Self {
        let _ = writeln!(self.0, "{line}");
        self
    }
}
