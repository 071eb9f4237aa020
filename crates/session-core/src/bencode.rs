//! Bencode, as oxend, the storage server and onion requests use it: a bounded reader that never
//! panics, in a strict and a lenient [`Mode`], and the writer.
//!
//! - [`decode`] reads one value spanning its whole input into a [`Value`] tree borrowing from
//!   it, strictly: one spelling per value (no `i-0e`, no leading zeros in integers or
//!   lengths), dictionary keys in strictly ascending order, nesting at most [`MAX_DEPTH`] deep,
//!   integers within `i64`, nothing after the value.
//! - [`decode_lenient`] also accepts what oxenc, the storage server's codec, accepts: leading
//!   zeros and `-0` in integers of up to 20 digits, string lengths of up to 20 digits with
//!   leading zeros.
//! - [`Decoder`] reads element by element, for formats whose fields are checked one at a time
//!   (unsigned integers up to `u64::MAX`, strings with a maximum length); every error names
//!   the rule broken and the offset where the element began, and a failed read consumes
//!   nothing.
//! - [`write_bytes`], [`write_int`], [`write_uint`], [`write_list_start`],
//!   [`write_dict_start`] and [`write_end`] append to any [`Writer`]; [`Value`] is
//!   [`Writeable`].
//!
//! ```
//! use session_core::bencode::{self, Value};
//! use session_core::Writeable;
//!
//! let v = bencode::decode(b"d1:ai-5e1:bl3:xyzee")?;
//! assert_eq!(v.get(b"a").and_then(Value::as_int), Some(-5));
//! assert_eq!(v.encode_to_vec()?, b"d1:ai-5e1:bl3:xyzee");
//! // Leading zeros are one of the spellings only the lenient reader accepts.
//! assert!(bencode::decode(b"i007e").is_err());
//! assert_eq!(bencode::decode_lenient(b"i007e")?, Value::Int(7));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::vec::Vec;
use core::fmt;

use crate::reader::{Readable, Reader};
use crate::writer::{Writeable, Writer};

/// Deepest nesting of lists and dictionaries that [`decode`], [`decode_lenient`] and
/// [`Decoder::take_value`] accept.
pub const MAX_DEPTH: usize = 16;

/// Which spellings of integers and string lengths a reader accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Mode {
    /// One spelling per value: no leading zeros, no `-0`, string lengths of at most 10 digits.
    #[default]
    Strict,
    /// oxenc's rules, for data from the storage server and oxend: integers and string
    /// lengths of 1 to 20 digits, leading zeros and `-0` allowed.
    Lenient,
}

/// A decoded bencode value borrowing from its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    /// A byte string.
    Bytes(&'a [u8]),
    /// An integer.
    Int(i64),
    /// A list.
    List(Vec<Value<'a>>),
    /// A dictionary; keys in strictly ascending order when decoded, and written in the order
    /// stored.
    Dict(Vec<(&'a [u8], Value<'a>)>),
}

impl<'a> Value<'a> {
    /// The byte string, if this is one.
    #[must_use]
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The integer, if this is one.
    #[must_use]
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Looks up `key` in a dictionary.
    #[must_use]
    pub fn get(&self, key: &[u8]) -> Option<&Value<'a>> {
        match self {
            Value::Dict(items) => items.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// A value at the reader's position, read strictly (nested values count towards
/// [`MAX_DEPTH`]); on failure the reader does not move.
impl<'a> Readable<'a> for Value<'a> {
    type Error = BencodeError;

    fn take_from(r: &mut Reader<'a>) -> Result<Self> {
        let mut d = Decoder::from_reader(r.clone(), Mode::Strict);
        let v = d.take_value()?;
        *r = d.into_reader();
        Ok(v)
    }
}

/// Writes the value; dictionary entries in the order stored (a decoded dictionary is sorted).
impl Writeable for Value<'_> {
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> crate::Result<()> {
        match self {
            Value::Bytes(b) => write_bytes(w, b),
            Value::Int(i) => write_int(w, *i),
            Value::List(items) => {
                write_list_start(w);
                for item in items {
                    item.write_to(w)?;
                }
                write_end(w);
            }
            Value::Dict(items) => {
                write_dict_start(w);
                for (key, item) in items {
                    write_bytes(w, key);
                    item.write_to(w)?;
                }
                write_end(w);
            }
        }
        Ok(())
    }
}

/// A rule of bencode that an input broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The input ended where a value should start.
    UnexpectedEnd,
    /// A byte that starts no bencode value.
    InvalidTag,
    /// Bytes after the value.
    TrailingBytes,
    /// A list without its closing `e`.
    UnterminatedList,
    /// A dictionary without its closing `e`.
    UnterminatedDict,
    /// A dictionary key that is not a byte string.
    KeyNotString,
    /// A dictionary key not greater than the one before it.
    UnsortedKey,
    /// Lists and dictionaries nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// An integer or string length without its terminator (`e` or `:`).
    UnterminatedNumber,
    /// An integer that is not an optional `-` and decimal digits (at most 20 in lenient mode).
    InvalidInteger,
    /// An integer with leading zeros or `-0` (strict mode).
    NonCanonicalInteger,
    /// An integer outside the range the reader asked for.
    IntegerOutOfRange,
    /// A string length that is not decimal digits, or has a leading zero in strict mode, or
    /// too many digits (10 in strict mode, 20 in lenient mode).
    InvalidLength,
    /// A string longer than the rest of the input.
    StringPastEnd,
    /// A string longer than the maximum the reader asked for.
    StringTooLong,
    /// Something other than a byte string where one was expected.
    ExpectedBytes,
    /// Something other than an integer where one was expected.
    ExpectedInteger,
    /// Something other than a list where one was expected.
    ExpectedList,
    /// Something other than a dictionary where one was expected.
    ExpectedDict,
    /// Something other than the `e` closing a list or dictionary where one was expected.
    ExpectedEnd,
}

impl Rule {
    /// The rule in words, as [`BencodeError`] prints it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::UnexpectedEnd => "unexpected end",
            Rule::InvalidTag => "invalid value tag",
            Rule::TrailingBytes => "trailing bytes",
            Rule::UnterminatedList => "unterminated list",
            Rule::UnterminatedDict => "unterminated dictionary",
            Rule::KeyNotString => "dictionary key is not a string",
            Rule::UnsortedKey => "unsorted or duplicate key",
            Rule::TooDeep => "nesting too deep",
            Rule::UnterminatedNumber => "unterminated number",
            Rule::InvalidInteger => "invalid integer",
            Rule::NonCanonicalInteger => "non-canonical integer",
            Rule::IntegerOutOfRange => "integer out of range",
            Rule::InvalidLength => "invalid string length",
            Rule::StringPastEnd => "string runs past the end",
            Rule::StringTooLong => "string longer than allowed",
            Rule::ExpectedBytes => "expected a byte string",
            Rule::ExpectedInteger => "expected an integer",
            Rule::ExpectedList => "expected a list",
            Rule::ExpectedDict => "expected a dictionary",
            Rule::ExpectedEnd => "expected the end of a list or dictionary",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A bencode rule broken at a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("bencode: {rule} at offset {offset}")]
#[non_exhaustive]
pub struct BencodeError {
    /// Offset in the input of the element that broke the rule (for trailing bytes and
    /// unterminated containers: of the first unexpected byte or the end).
    pub offset: usize,
    /// Which rule it broke.
    pub rule: Rule,
}

impl BencodeError {
    /// An error of `rule` at `offset`.
    #[must_use]
    pub const fn new(offset: usize, rule: Rule) -> Self {
        Self { offset, rule }
    }
}

/// The reader's own errors become [`Rule::UnexpectedEnd`] at their offset (the only one the
/// bencode reader can meet is running out of input).
impl From<crate::Error> for BencodeError {
    fn from(e: crate::Error) -> Self {
        let offset = match e {
            crate::Error::Truncated { offset, .. }
            | crate::Error::TrailingBytes { offset, .. }
            | crate::Error::MissingTerminator { offset, .. }
            | crate::Error::LengthTooLarge { offset, .. }
            | crate::Error::NestedNotConsumed { offset, .. }
            | crate::Error::InvalidValue { offset, .. } => offset,
            _ => 0,
        };
        Self::new(offset, Rule::UnexpectedEnd)
    }
}

type Result<T> = core::result::Result<T, BencodeError>;

/// Decodes exactly one value spanning all of `input`, strictly (see [`Mode::Strict`]).
pub fn decode(input: &[u8]) -> Result<Value<'_>> {
    decode_with(input, Mode::Strict)
}

/// Decodes exactly one value spanning all of `input`, leniently (see [`Mode::Lenient`]).
pub fn decode_lenient(input: &[u8]) -> Result<Value<'_>> {
    decode_with(input, Mode::Lenient)
}

fn decode_with(input: &[u8], mode: Mode) -> Result<Value<'_>> {
    let mut d = Decoder::new(input, mode);
    let v = d.take_value()?;
    d.finish()?;
    Ok(v)
}

/// What the next element is, by its first byte (see [`Decoder::peek`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// A byte string (a digit).
    Bytes,
    /// An integer (`i`).
    Int,
    /// A list (`l`).
    List,
    /// A dictionary (`d`).
    Dict,
    /// The end of the enclosing list or dictionary (`e`).
    End,
}

/// Reads bencode element by element over a [`Reader`].
///
/// Every method reads one element or fails without consuming anything, with the rule broken
/// and the offset where the element began. Container structure (a list's `e`, the order of
/// dictionary keys) is the caller's to check, except in [`Decoder::take_value`].
///
/// ```
/// use session_core::bencode::{Decoder, Mode, Rule};
///
/// // A list of (name, count) records; counts are unsigned and may exceed i64::MAX.
/// let mut d = Decoder::new(b"l3:abci18446744073709551615ee", Mode::Strict);
/// d.begin_list()?;
/// let name = d.take_bytes_at_most(16)?;
/// let count = d.take_u64()?;
/// d.end()?;
/// d.finish()?;
/// assert_eq!((name, count), (&b"abc"[..], u64::MAX));
///
/// let mut d = Decoder::new(b"5:hello", Mode::Strict);
/// assert_eq!(d.take_bytes_at_most(4).map_err(|e| e.rule), Err(Rule::StringTooLong));
/// assert_eq!(d.take_bytes()?, b"hello");
/// # Ok::<(), session_core::bencode::BencodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Decoder<'a> {
    reader: Reader<'a>,
    mode: Mode,
}

impl<'a> Decoder<'a> {
    /// A decoder at the start of `input`.
    #[must_use]
    pub const fn new(input: &'a [u8], mode: Mode) -> Self {
        Self::from_reader(Reader::new(input), mode)
    }

    /// A decoder continuing at `reader`'s position: bencode inside a larger format, with
    /// offsets in errors counted in the outer input.
    #[must_use]
    pub const fn from_reader(reader: Reader<'a>, mode: Mode) -> Self {
        Self { reader, mode }
    }

    /// The underlying reader, positioned after the last element read.
    #[must_use]
    pub fn into_reader(self) -> Reader<'a> {
        self.reader
    }

    /// The current position in the input.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.reader.offset()
    }

    /// Whether every byte has been consumed.
    #[must_use]
    pub fn is_exhausted(&self) -> bool {
        self.reader.is_exhausted()
    }

    /// Succeeds only if every byte has been consumed ([`Rule::TrailingBytes`] otherwise).
    pub fn finish(self) -> Result<()> {
        if self.is_exhausted() {
            Ok(())
        } else {
            Err(BencodeError::new(self.offset(), Rule::TrailingBytes))
        }
    }

    fn peek_byte(&self) -> Option<u8> {
        self.reader.peek(1).ok().and_then(|b| b.first().copied())
    }

    fn err<T>(&self, rule: Rule) -> Result<T> {
        Err(BencodeError::new(self.offset(), rule))
    }

    /// The kind of the next element; `None` at the end of the input or before a byte that
    /// starts no element.
    #[must_use]
    pub fn peek(&self) -> Option<Kind> {
        match self.peek_byte()? {
            b'0'..=b'9' => Some(Kind::Bytes),
            b'i' => Some(Kind::Int),
            b'l' => Some(Kind::List),
            b'd' => Some(Kind::Dict),
            b'e' => Some(Kind::End),
            _ => None,
        }
    }

    /// Whether the next byte is the `e` that closes a list or dictionary.
    #[must_use]
    pub fn at_end(&self) -> bool {
        self.peek_byte() == Some(b'e')
    }

    fn expect(&mut self, tag: u8, rule: Rule) -> Result<()> {
        match self.peek_byte() {
            None => self.err(Rule::UnexpectedEnd),
            Some(b) if b == tag => Ok(self.reader.advance(1)?),
            Some(_) => self.err(rule),
        }
    }

    /// Consumes the `l` that opens a list.
    pub fn begin_list(&mut self) -> Result<()> {
        self.expect(b'l', Rule::ExpectedList)
    }

    /// Consumes the `d` that opens a dictionary.
    pub fn begin_dict(&mut self) -> Result<()> {
        self.expect(b'd', Rule::ExpectedDict)
    }

    /// Consumes the `e` that closes a list or dictionary.
    pub fn end(&mut self) -> Result<()> {
        self.expect(b'e', Rule::ExpectedEnd)
    }

    /// Consumes a byte string.
    pub fn take_bytes(&mut self) -> Result<&'a [u8]> {
        self.take_bytes_at_most(usize::MAX)
    }

    /// Consumes a byte string of at most `max` bytes; a longer one is
    /// [`Rule::StringTooLong`], decided from its length alone.
    pub fn take_bytes_at_most(&mut self, max: usize) -> Result<&'a [u8]> {
        let at = self.offset();
        match self.peek_byte() {
            None => return self.err(Rule::UnexpectedEnd),
            Some(b'0'..=b'9') => {}
            Some(_) => return self.err(Rule::ExpectedBytes),
        }
        let mut r = self.reader.clone();
        let digits = r
            .take_until(b':')
            .map_err(|_| BencodeError::new(at, Rule::UnterminatedNumber))?;
        let digits_only = !digits.is_empty() && digits.iter().all(u8::is_ascii_digit);
        let well_formed = digits_only
            && match self.mode {
                Mode::Strict => {
                    digits.len() <= 10 && !(digits.len() > 1 && digits.first() == Some(&b'0'))
                }
                Mode::Lenient => digits.len() <= 20,
            };
        let len = match digits_value(digits) {
            Some(len) if well_formed => len,
            _ => return Err(BencodeError::new(at, Rule::InvalidLength)),
        };
        // On a 32-bit target a length beyond usize is longer than any input.
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        if len > max {
            return Err(BencodeError::new(at, Rule::StringTooLong));
        }
        let bytes = r
            .take(len)
            .map_err(|_| BencodeError::new(at, Rule::StringPastEnd))?;
        self.reader = r;
        Ok(bytes)
    }

    /// Consumes an integer as its sign and magnitude.
    fn take_integer(&mut self) -> Result<(bool, u64)> {
        let at = self.offset();
        match self.peek_byte() {
            None => return self.err(Rule::UnexpectedEnd),
            Some(b'i') => {}
            Some(_) => return self.err(Rule::ExpectedInteger),
        }
        let mut r = self.reader.clone();
        r.advance(1)?;
        let digits = r
            .take_until(b'e')
            .map_err(|_| BencodeError::new(r.offset(), Rule::UnterminatedNumber))?;
        let (negative, magnitude) = match digits.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, digits),
        };
        if magnitude.is_empty() || !magnitude.iter().all(u8::is_ascii_digit) {
            return Err(BencodeError::new(at, Rule::InvalidInteger));
        }
        match self.mode {
            Mode::Strict => {
                let leading_zero = magnitude.len() > 1 && magnitude.first() == Some(&b'0');
                if leading_zero || (negative && magnitude == b"0") {
                    return Err(BencodeError::new(at, Rule::NonCanonicalInteger));
                }
            }
            Mode::Lenient => {
                if magnitude.len() > 20 {
                    return Err(BencodeError::new(at, Rule::InvalidInteger));
                }
            }
        }
        let value =
            digits_value(magnitude).ok_or(BencodeError::new(at, Rule::IntegerOutOfRange))?;
        self.reader = r;
        Ok((negative, value))
    }

    /// Consumes an integer within `i64`.
    pub fn take_i64(&mut self) -> Result<i64> {
        let at = self.offset();
        let before = self.reader.clone();
        let (negative, magnitude) = self.take_integer()?;
        let value = if negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        };
        value.ok_or_else(|| {
            self.reader = before;
            BencodeError::new(at, Rule::IntegerOutOfRange)
        })
    }

    /// Consumes a non-negative integer within `u64` (`-0` too, in lenient mode).
    pub fn take_u64(&mut self) -> Result<u64> {
        let at = self.offset();
        let before = self.reader.clone();
        match self.take_integer()? {
            (false, v) | (true, v @ 0) => Ok(v),
            (true, _) => {
                self.reader = before;
                Err(BencodeError::new(at, Rule::IntegerOutOfRange))
            }
        }
    }

    /// Consumes one whole value, lists and dictionaries included (at most [`MAX_DEPTH`]
    /// deep, dictionary keys strictly ascending).
    pub fn take_value(&mut self) -> Result<Value<'a>> {
        let before = self.reader.clone();
        self.value(0).inspect_err(|_| self.reader = before)
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>> {
        match self.peek_byte() {
            None => self.err(Rule::UnexpectedEnd),
            Some(b'i') => self.take_i64().map(Value::Int),
            Some(b'0'..=b'9') => self.take_bytes().map(Value::Bytes),
            Some(b'l') => {
                if depth >= MAX_DEPTH {
                    return self.err(Rule::TooDeep);
                }
                self.reader.advance(1)?;
                let mut items = Vec::new();
                loop {
                    match self.peek_byte() {
                        Some(b'e') => {
                            self.reader.advance(1)?;
                            return Ok(Value::List(items));
                        }
                        None => return self.err(Rule::UnterminatedList),
                        Some(_) => items.push(self.value(depth + 1)?),
                    }
                }
            }
            Some(b'd') => {
                if depth >= MAX_DEPTH {
                    return self.err(Rule::TooDeep);
                }
                self.reader.advance(1)?;
                let mut items: Vec<(&'a [u8], Value<'a>)> = Vec::new();
                loop {
                    match self.peek_byte() {
                        Some(b'e') => {
                            self.reader.advance(1)?;
                            return Ok(Value::Dict(items));
                        }
                        None => return self.err(Rule::UnterminatedDict),
                        Some(b'0'..=b'9') => {
                            let key_at = self.offset();
                            let key = self.take_bytes()?;
                            if items.last().is_some_and(|(prev, _)| *prev >= key) {
                                return Err(BencodeError::new(key_at, Rule::UnsortedKey));
                            }
                            let v = self.value(depth + 1)?;
                            items.push((key, v));
                        }
                        Some(_) => return self.err(Rule::KeyNotString),
                    }
                }
            }
            Some(_) => self.err(Rule::InvalidTag),
        }
    }
}

/// The value of ASCII digits (checked by the caller), `None` if it does not fit a `u64`.
fn digits_value(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |v, &d| {
        v.checked_mul(10)?
            .checked_add(u64::from(d.wrapping_sub(b'0')))
    })
}

/// Appends a byte string: `<length>:<bytes>`.
pub fn write_bytes<W: Writer + ?Sized>(w: &mut W, bytes: &[u8]) {
    w.write_decimal(bytes.len() as u64);
    w.write_u8(b':');
    w.write_all(bytes);
}

/// Appends an integer: `i<decimal>e`.
pub fn write_int<W: Writer + ?Sized>(w: &mut W, v: i64) {
    w.write_u8(b'i');
    w.write_decimal_i64(v);
    w.write_u8(b'e');
}

/// Appends a non-negative integer: `i<decimal>e` (values above `i64::MAX` too, which oxenc
/// reads as unsigned).
pub fn write_uint<W: Writer + ?Sized>(w: &mut W, v: u64) {
    w.write_u8(b'i');
    w.write_decimal(v);
    w.write_u8(b'e');
}

/// Appends the `l` that opens a list.
pub fn write_list_start<W: Writer + ?Sized>(w: &mut W) {
    w.write_u8(b'l');
}

/// Appends the `d` that opens a dictionary (its keys must follow in ascending order).
pub fn write_dict_start<W: Writer + ?Sized>(w: &mut W) {
    w.write_u8(b'd');
}

/// Appends the `e` that closes a list or dictionary.
pub fn write_end<W: Writer + ?Sized>(w: &mut W) {
    w.write_u8(b'e');
}

#[cfg(test)]
mod tests;
