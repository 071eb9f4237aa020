//! One error type for every binding: a stable code and the library's message.

use std::error::Error as StdError;
use std::fmt;

/// What kind of input was rejected. The numbers are stable: bindings expose them as integers
/// (C), as exception classes (Python) and as a `code` property (JavaScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
#[non_exhaustive]
pub enum ErrorCode {
    /// An argument has the wrong length, range or form (a seed of 20 bytes, bad hex, an
    /// unknown language or network name).
    InvalidArgument = 1,
    /// A recovery phrase does not decode (unknown word, wrong word count, checksum).
    Phrase = 2,
    /// A Session ID or account ID does not parse.
    SessionId = 3,
    /// A public or secret key is not valid (length, low order, not a curve point).
    Key = 4,
    /// An onion request or reply is malformed, or cannot be built or routed.
    Onion = 5,
    /// Decryption or authentication failed. Deliberately says nothing more.
    Crypto = 6,
    /// A storage request value is not valid (message hash, namespace).
    Storage = 7,
    /// A staking rule rejected the input.
    Staking = 8,
}

impl ErrorCode {
    /// The code's stable name, as the Python exception classes and the JavaScript `name`
    /// use it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "InvalidArgument",
            ErrorCode::Phrase => "Phrase",
            ErrorCode::SessionId => "SessionId",
            ErrorCode::Key => "Key",
            ErrorCode::Onion => "Onion",
            ErrorCode::Crypto => "Crypto",
            ErrorCode::Storage => "Storage",
            ErrorCode::Staking => "Staking",
        }
    }

    /// The integer form.
    #[must_use]
    pub const fn as_i32(self) -> i32 {
        self as i32
    }
}

/// A rejected input: the stable [`ErrorCode`] and the library's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// An error with this code and message.
    #[must_use]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The library error `error`, its causes joined with `": "` (each library error prints
    /// only itself, so nothing is said twice).
    pub(crate) fn from_library(code: ErrorCode, error: &(dyn StdError + 'static)) -> Self {
        let mut message = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        Self { code, message }
    }

    /// The stable code.
    #[must_use]
    pub const fn code(&self) -> ErrorCode {
        self.code
    }

    /// The library's message.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for Error {}

/// `map_err` helper: a library error under `code`.
pub(crate) fn with_code<E: StdError + 'static>(code: ErrorCode) -> impl Fn(E) -> Error {
    move |e| Error::from_library(code, &e)
}

impl From<session_mnemonic::Error> for Error {
    fn from(e: session_mnemonic::Error) -> Self {
        Error::from_library(ErrorCode::Phrase, &e)
    }
}

impl From<session_onion::Error> for Error {
    fn from(e: session_onion::Error) -> Self {
        let code = match e {
            session_onion::Error::Crypto(_)
            | session_onion::Error::Client(session_onion::ClientError::Decryption)
            | session_onion::Error::Node(session_onion::NodeError::Decryption) => ErrorCode::Crypto,
            session_onion::Error::Client(session_onion::ClientError::LowOrderKey(_))
            | session_onion::Error::Node(session_onion::NodeError::LowOrderKey) => ErrorCode::Key,
            _ => ErrorCode::Onion,
        };
        Error::from_library(code, &e)
    }
}

impl From<session_onion::ClientError> for Error {
    fn from(e: session_onion::ClientError) -> Self {
        session_onion::Error::from(e).into()
    }
}

impl From<session_onion::NodeError> for Error {
    fn from(e: session_onion::NodeError) -> Self {
        session_onion::Error::from(e).into()
    }
}

impl From<session_onion::FormatError> for Error {
    fn from(e: session_onion::FormatError) -> Self {
        session_onion::Error::from(e).into()
    }
}

impl From<session_staking::Error> for Error {
    fn from(e: session_staking::Error) -> Self {
        Error::from_library(ErrorCode::Staking, &e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        let codes = [
            (ErrorCode::InvalidArgument, 1),
            (ErrorCode::Phrase, 2),
            (ErrorCode::SessionId, 3),
            (ErrorCode::Key, 4),
            (ErrorCode::Onion, 5),
            (ErrorCode::Crypto, 6),
            (ErrorCode::Storage, 7),
            (ErrorCode::Staking, 8),
        ];
        for (code, value) in codes {
            assert_eq!(code.as_i32(), value, "{}", code.name());
        }
    }

    #[test]
    fn causes_are_joined_once() {
        let inner = session_onion::FormatError::MissingField("ephemeral_key");
        let e: Error = session_onion::NodeError::InvalidOuter(inner).into();
        assert_eq!(e.code(), ErrorCode::Onion);
        assert_eq!(
            e.message(),
            "invalid onion request: missing field `ephemeral_key`"
        );
    }
}
