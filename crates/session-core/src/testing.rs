//! Checks for the tests of crates built on session-core; not part of the API (the `testing`
//! feature enables it for dependents' dev-dependencies).
//!
//! Error types of the session-infra crates follow one rule: a wrapper says which step failed
//! and leaves its cause's text to the cause, so that a `{:#}` chain (anyhow, eyre) prints each
//! cause once. [`check_error_chain`] checks that rule on one error; a crate's test runs it on
//! one value of every variant of its error types:
//!
//! ```
//! use session_core::testing::check_error_chain;
//!
//! let e = session_core::Reader::new(&[]).take_u8().unwrap_err();
//! assert_eq!(check_error_chain(&e), Ok(()));
//! ```

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::error::Error;

/// The text of each error of `e`'s chain, outermost first (what anyhow's `{:#}` joins with
/// `": "`).
#[must_use]
pub fn error_chain(e: &dyn Error) -> Vec<String> {
    let mut parts = alloc::vec![e.to_string()];
    let mut cause = e.source();
    while let Some(c) = cause {
        parts.push(c.to_string());
        cause = c.source();
    }
    parts
}

/// `Ok` when every error of `e`'s chain has a text and none contains the text of an error
/// below it, so the joined chain prints each cause once; otherwise what breaks the rule.
pub fn check_error_chain(e: &dyn Error) -> Result<(), String> {
    let parts = error_chain(e);
    if let Some(i) = parts.iter().position(|p| p.trim().is_empty()) {
        return Err(format!("{e:?}: level {i} of its chain prints nothing"));
    }
    for (i, part) in parts.iter().enumerate() {
        if let Some(later) = parts.iter().skip(i + 1).find(|l| part.contains(l.as_str())) {
            return Err(format!(
                "{e:?}: level {i} {part:?} repeats its cause {later:?} (chain: {})",
                parts.join(": ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use core::fmt;

    use super::*;

    /// An error whose text is chosen by the test, with an optional cause.
    #[derive(Debug)]
    struct Layer(&'static str, Option<&'static Layer>);

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.map(|l| l as &(dyn Error + 'static))
        }
    }

    static ROOT: Layer = Layer("disk full", None);
    static MIDDLE: Layer = Layer("cannot save", Some(&ROOT));
    static REPEATING: Layer = Layer("cannot save: disk full", Some(&ROOT));
    static EMPTY: Layer = Layer(" ", Some(&ROOT));
    static ABOVE_REPEATING: Layer = Layer("export failed", Some(&REPEATING));

    #[test]
    fn chains_and_their_rule() {
        assert_eq!(error_chain(&ROOT), ["disk full"]);
        assert_eq!(error_chain(&MIDDLE), ["cannot save", "disk full"]);
        assert_eq!(check_error_chain(&ROOT), Ok(()));
        assert_eq!(check_error_chain(&MIDDLE), Ok(()));
        let repeat = check_error_chain(&REPEATING).unwrap_err();
        assert!(repeat.contains("level 0"), "{repeat}");
        assert!(
            repeat.contains("cannot save: disk full: disk full"),
            "{repeat}"
        );
        // A repetition further down the chain is found too.
        let deeper = check_error_chain(&ABOVE_REPEATING).unwrap_err();
        assert!(deeper.contains("level 1"), "{deeper}");
        let empty = check_error_chain(&EMPTY).unwrap_err();
        assert!(
            empty.contains("level 0 of its chain prints nothing"),
            "{empty}"
        );
        let empty_cause = Layer("cannot save", Some(&EMPTY));
        let e = check_error_chain(&empty_cause).unwrap_err();
        assert!(e.contains("level 1 of its chain prints nothing"), "{e}");
    }
}
