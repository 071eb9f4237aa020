//! The boundary: status codes, the thread's last error, panics caught, and the only code that
//! reads and writes the caller's pointers.
#![allow(unsafe_code)]

use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use session_bindings::{Error, ErrorCode};

// The codes of `session_bindings::ErrorCode`, as literals so that cbindgen writes them to the
// header (a test checks that they agree).

/// Success.
pub const SESSION_OK: i32 = 0;
/// An argument has the wrong length, range or form, or text is not UTF-8.
pub const SESSION_ERR_INVALID_ARGUMENT: i32 = 1;
/// A recovery phrase does not decode.
pub const SESSION_ERR_PHRASE: i32 = 2;
/// A Session ID does not parse.
pub const SESSION_ERR_SESSION_ID: i32 = 3;
/// A public or secret key is not valid.
pub const SESSION_ERR_KEY: i32 = 4;
/// An onion request, layer or reply is malformed, or cannot be built or routed.
pub const SESSION_ERR_ONION: i32 = 5;
/// Decryption or authentication failed.
pub const SESSION_ERR_CRYPTO: i32 = 6;
/// A message hash or namespace is not valid.
pub const SESSION_ERR_STORAGE: i32 = 7;
/// A staking rule rejected the input.
pub const SESSION_ERR_STAKING: i32 = 8;
/// An output buffer is too small: its `out_len` holds the length needed.
pub const SESSION_ERR_BUFFER_TOO_SMALL: i32 = 100;
/// A required pointer is null.
pub const SESSION_ERR_NULL_POINTER: i32 = 101;
/// A bug: a panic was caught at the boundary. Please report it.
pub const SESSION_ERR_PANIC: i32 = 255;

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Why a call failed.
pub(crate) enum Failure {
    Library(Error),
    TooSmall,
    Null(&'static str),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Library(e)
    }
}

impl Failure {
    fn code(&self) -> i32 {
        match self {
            Failure::Library(e) => e.code().as_i32(),
            Failure::TooSmall => SESSION_ERR_BUFFER_TOO_SMALL,
            Failure::Null(_) => SESSION_ERR_NULL_POINTER,
        }
    }

    fn message(&self) -> String {
        match self {
            Failure::Library(e) => e.message().to_owned(),
            Failure::TooSmall => {
                "the output buffer is too small: out_len holds the length needed".into()
            }
            Failure::Null(what) => format!("{what} is a null pointer"),
        }
    }
}

fn set_last_error(message: String) {
    // A message quoting user input could hold a NUL: show it escaped rather than cut.
    let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    LAST_ERROR.with(|last| *last.borrow_mut() = message);
}

/// Runs one C call: its status, the thread's last error set on failure, panics caught.
pub(crate) fn call(f: impl FnOnce() -> Result<(), Failure>) -> i32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => SESSION_OK,
        Ok(Err(failure)) => {
            set_last_error(failure.message());
            failure.code()
        }
        Err(_) => {
            set_last_error("internal error: a panic was caught at the C boundary".into());
            SESSION_ERR_PANIC
        }
    }
}

/// The message of the calling thread's last error (an empty string if none). The pointer
/// stays valid until the thread's next failing call; copy the text to keep it.
#[unsafe(no_mangle)]
pub extern "C" fn session_error_message() -> *const c_char {
    LAST_ERROR.with(|last| last.borrow().as_ptr())
}

/// The `len` bytes at `ptr` (`ptr` may be null when `len` is 0).
///
/// # Safety
/// A non-null `ptr` must point to `len` readable bytes that stay unchanged during the call.
pub(crate) unsafe fn bytes<'a>(
    ptr: *const u8,
    len: usize,
    what: &'static str,
) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::Null(what));
    }
    // SAFETY: non-null, and the caller guarantees `len` readable bytes for the call.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The UTF-8 text of `len` bytes at `ptr`.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn text<'a>(
    ptr: *const c_char,
    len: usize,
    what: &'static str,
) -> Result<&'a str, Failure> {
    // SAFETY: forwarded from the caller.
    let raw = unsafe { bytes(ptr.cast(), len, what) }?;
    std::str::from_utf8(raw).map_err(|_| {
        Failure::Library(Error::new(
            ErrorCode::InvalidArgument,
            format!("{what} is not UTF-8 text"),
        ))
    })
}

/// Optional UTF-8 text: `None` for a null pointer or a length of 0.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn optional_text<'a>(
    ptr: *const c_char,
    len: usize,
    what: &'static str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() || len == 0 {
        return Ok(None);
    }
    // SAFETY: forwarded from the caller.
    unsafe { text(ptr, len, what) }.map(Some)
}

/// Stores `value` in `*out`.
///
/// # Safety
/// A non-null `out` must be valid for writing a `T`.
pub(crate) unsafe fn put<T>(out: *mut T, value: T, what: &'static str) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::Null(what));
    }
    // SAFETY: non-null, and the caller guarantees it is writable.
    unsafe { out.write(value) };
    Ok(())
}

/// Copies `data` to the caller's buffer: `*out_len` receives its length; fails with
/// [`Failure::TooSmall`] when `out_cap` is smaller.
///
/// # Safety
/// `out_len` must be valid for writing; a non-null `out` must be valid for `out_cap` bytes.
pub(crate) unsafe fn put_bytes(
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
    data: &[u8],
) -> Result<(), Failure> {
    // SAFETY: forwarded from the caller.
    unsafe { put(out_len, data.len(), "out_len") }?;
    if out_cap < data.len() {
        return Err(Failure::TooSmall);
    }
    if data.is_empty() {
        return Ok(());
    }
    if out.is_null() {
        return Err(Failure::Null("out"));
    }
    // SAFETY: `out` holds at least `out_cap >= data.len()` writable bytes, and cannot overlap
    // `data`, which this library owns.
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), out, data.len()) };
    Ok(())
}

/// Copies `text` and a NUL to the caller's buffer: `*out_len` receives the text's length
/// (without the NUL); the capacity must be at least that plus one.
///
/// # Safety
/// As [`put_bytes`].
pub(crate) unsafe fn put_text(
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
    text: &str,
) -> Result<(), Failure> {
    // SAFETY: forwarded from the caller.
    unsafe { put(out_len, text.len(), "out_len") }?;
    if out_cap <= text.len() {
        return Err(Failure::TooSmall);
    }
    if out.is_null() {
        return Err(Failure::Null("out"));
    }
    let out = out.cast::<u8>();
    // SAFETY: `out` holds `out_cap > text.len()` writable bytes: the text and its NUL fit,
    // and the library-owned text does not overlap them.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), out, text.len());
        out.add(text.len()).write(0);
    }
    Ok(())
}

/// Hands a new object to the caller as `*out`.
///
/// # Safety
/// A non-null `out` must be valid for writing a pointer.
pub(crate) unsafe fn put_handle<T>(out: *mut *mut T, value: T) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::Null("out"));
    }
    // SAFETY: non-null, and the caller guarantees it is writable; ownership of the box passes
    // to the caller, who releases it with the type's `_free` function.
    unsafe { out.write(Box::into_raw(Box::new(value))) };
    Ok(())
}

/// The object behind a handle.
///
/// # Safety
/// A non-null `handle` must come from this library's constructor for `T` and not be freed.
pub(crate) unsafe fn borrow<'a, T>(handle: *const T, what: &'static str) -> Result<&'a T, Failure> {
    // SAFETY: the caller guarantees a live handle of this type.
    unsafe { handle.as_ref() }.ok_or(Failure::Null(what))
}

/// Releases a handle (null is ignored).
///
/// # Safety
/// A non-null `handle` must come from this library's constructor for `T` and not be freed.
pub(crate) unsafe fn release<T>(handle: *mut T) {
    if !handle.is_null() {
        // SAFETY: the handle was made by `put_handle` (`Box::into_raw`) and is released once.
        drop(unsafe { Box::from_raw(handle) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_binding_api() {
        let pairs = [
            (SESSION_ERR_INVALID_ARGUMENT, ErrorCode::InvalidArgument),
            (SESSION_ERR_PHRASE, ErrorCode::Phrase),
            (SESSION_ERR_SESSION_ID, ErrorCode::SessionId),
            (SESSION_ERR_KEY, ErrorCode::Key),
            (SESSION_ERR_ONION, ErrorCode::Onion),
            (SESSION_ERR_CRYPTO, ErrorCode::Crypto),
            (SESSION_ERR_STORAGE, ErrorCode::Storage),
            (SESSION_ERR_STAKING, ErrorCode::Staking),
        ];
        for (constant, code) in pairs {
            assert_eq!(constant, code.as_i32(), "{}", code.name());
        }
    }
}
