//! A cursor over untrusted bytes that never panics, and the [`Readable`] trait for types that
//! parse themselves from it.

use alloc::vec::Vec;

use crate::error::{Error, Result};

/// A type that can be parsed from a [`Reader`].
///
/// Implementations parse only; checks that need more than the bytes (signatures, membership,
/// policy) belong to a separate step on the parsed value. An implementation must be
/// deterministic: the same input prefix gives the same result.
///
/// `Error` is the implementor's own error type, so a parser in another crate can use `?` on
/// every [`Reader`] method and still return its own error enum.
///
/// ```
/// use session_core::{Error, Readable, Reader};
///
/// /// A 2-byte little-endian port followed by a NUL-terminated host name.
/// struct Endpoint<'a> {
///     port: u16,
///     host: &'a [u8],
/// }
///
/// impl<'a> Readable<'a> for Endpoint<'a> {
///     type Error = Error;
///     fn take_from(r: &mut Reader<'a>) -> Result<Self, Error> {
///         let port = r.take_u16_le()?;
///         let host = r.take_until(0)?;
///         Ok(Endpoint { port, host })
///     }
/// }
///
/// let mut r = Reader::new(b"\x50\x00node\0");
/// let e: Endpoint = r.extract()?;
/// assert_eq!((e.port, e.host), (80, &b"node"[..]));
/// r.should_be_exhausted()?;
/// # Ok::<(), Error>(())
/// ```
pub trait Readable<'a>: Sized {
    /// The error the parser returns; every [`Error`] of the reader converts into it.
    type Error: From<Error>;

    /// Parses a value from the reader's current position.
    fn take_from(reader: &mut Reader<'a>) -> core::result::Result<Self, Self::Error>;
}

/// How a length-prefixed field announces its length (see [`Reader::read_nested`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LengthPrefix {
    /// One byte.
    U8,
    /// Two bytes, big-endian.
    U16Be,
    /// Two bytes, little-endian.
    U16Le,
    /// Four bytes, big-endian.
    U32Be,
    /// Four bytes, little-endian.
    U32Le,
    /// A CryptoNote varint ([`Reader::take_varint`]).
    Varint,
}

/// A read-only cursor over a byte slice.
///
/// Every method returns an error instead of panicking, every error carries the offset in the
/// input at which it happened, and **a failed read leaves the position unchanged**, so a
/// caller may try an alternative. Slices returned by [`Reader::take`] borrow the input
/// (zero-copy).
///
/// ```
/// use session_core::{LengthPrefix, Reader};
///
/// let mut r = Reader::new(&[5, 0, 0, 0, b'h', b'e', b'l', b'l', b'o', 0x96, 0x01]);
/// let word = r.read_nested(LengthPrefix::U32Le, 64, |inner| {
///     Ok::<_, session_core::Error>(inner.take_rest())
/// })?;
/// assert_eq!(word, b"hello");
/// assert_eq!(r.take_varint()?, 150);
/// r.should_be_exhausted()?;
/// # Ok::<(), session_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    /// The input, ending where this reader must stop (a nested reader's field end).
    data: &'a [u8],
    /// Position in `data`; also the offset reported in errors.
    offset: usize,
}

impl<'a> Reader<'a> {
    /// A reader positioned at the start of `data`.
    #[must_use]
    pub const fn new(data: &'a [u8]) -> Self {
        Self { data, offset: 0 }
    }

    /// The current position in the input (for a nested reader, in the outermost input).
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// How many bytes are left.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.offset)
    }

    /// Whether every byte has been consumed.
    #[must_use]
    pub fn is_exhausted(&self) -> bool {
        self.remaining() == 0
    }

    fn rest(&self) -> &'a [u8] {
        self.data.get(self.offset..).unwrap_or(&[])
    }

    fn truncated(&self, needed: usize) -> Error {
        Error::Truncated {
            offset: self.offset,
            needed,
            available: self.remaining(),
        }
    }

    /// The next `n` bytes, without consuming them.
    pub fn peek(&self, n: usize) -> Result<&'a [u8]> {
        self.rest().get(..n).ok_or_else(|| self.truncated(n))
    }

    /// Consumes and returns the next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let out = self.peek(n)?;
        self.offset = self.offset.saturating_add(n);
        Ok(out)
    }

    /// Skips `n` bytes.
    pub fn advance(&mut self, n: usize) -> Result<()> {
        self.take(n).map(|_| ())
    }

    /// Consumes and returns everything that is left.
    pub fn take_rest(&mut self) -> &'a [u8] {
        let out = self.rest();
        self.offset = self.data.len();
        out
    }

    /// Fills `out` with the next `out.len()` bytes.
    pub fn take_into(&mut self, out: &mut [u8]) -> Result<()> {
        out.copy_from_slice(self.take(out.len())?);
        Ok(())
    }

    /// Consumes `N` bytes into an array.
    pub fn take_array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        self.take_into(&mut out)?;
        Ok(out)
    }

    /// Consumes one byte.
    pub fn take_u8(&mut self) -> Result<u8> {
        let [b] = self.take_array::<1>()?;
        Ok(b)
    }

    /// Consumes a little-endian `u16`.
    pub fn take_u16_le(&mut self) -> Result<u16> {
        self.take_array().map(u16::from_le_bytes)
    }

    /// Consumes a big-endian `u16`.
    pub fn take_u16_be(&mut self) -> Result<u16> {
        self.take_array().map(u16::from_be_bytes)
    }

    /// Consumes a little-endian `u32`.
    pub fn take_u32_le(&mut self) -> Result<u32> {
        self.take_array().map(u32::from_le_bytes)
    }

    /// Consumes a big-endian `u32`.
    pub fn take_u32_be(&mut self) -> Result<u32> {
        self.take_array().map(u32::from_be_bytes)
    }

    /// Consumes a little-endian `u64`.
    pub fn take_u64_le(&mut self) -> Result<u64> {
        self.take_array().map(u64::from_le_bytes)
    }

    /// Consumes a big-endian `u64`.
    pub fn take_u64_be(&mut self) -> Result<u64> {
        self.take_array().map(u64::from_be_bytes)
    }

    /// Consumes the bytes up to the first `terminator` and the terminator itself, and returns
    /// the bytes before it.
    pub fn take_until(&mut self, terminator: u8) -> Result<&'a [u8]> {
        let rest = self.rest();
        let Some(pos) = rest.iter().position(|&b| b == terminator) else {
            return Err(Error::MissingTerminator {
                offset: self.offset,
                terminator,
            });
        };
        let out = rest.get(..pos).unwrap_or_default();
        self.offset = self.offset.saturating_add(pos).saturating_add(1);
        Ok(out)
    }

    /// Consumes a CryptoNote varint (unsigned LEB128, as oxend's `tools::read_varint`): seven
    /// bits per byte, least significant group first, high bit set on every byte but the last.
    ///
    /// At most 10 bytes; the tenth may only carry the value's top bit, anything more is
    /// [`Error::VarintOverflow`]. A last byte of zero after the first byte (`80 00` for 0) is
    /// [`Error::NonCanonicalVarint`], so every value has exactly one encoding. Input that ends
    /// on a byte with the high bit set is [`Error::Truncated`].
    pub fn take_varint(&mut self) -> Result<u64> {
        let start = self.offset;
        let rest = self.rest();
        let mut value = 0u64;
        for (i, &byte) in rest.iter().take(MAX_VARINT_LEN).enumerate() {
            // 7 * i <= 63 for the at most 10 bytes read.
            let shift = 7 * i as u32;
            if i == MAX_VARINT_LEN - 1 && byte > 1 {
                return Err(Error::VarintOverflow { offset: start });
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if byte == 0 && i > 0 {
                    return Err(Error::NonCanonicalVarint { offset: start });
                }
                self.offset = start.saturating_add(i).saturating_add(1);
                return Ok(value);
            }
        }
        Err(self.truncated(rest.len().saturating_add(1)))
    }

    /// Consumes a length of the given form, checked against `max`.
    fn take_length(&mut self, prefix: LengthPrefix, max: usize) -> Result<usize> {
        let start = self.offset;
        let length: u64 = match prefix {
            LengthPrefix::U8 => self.take_u8()?.into(),
            LengthPrefix::U16Be => self.take_u16_be()?.into(),
            LengthPrefix::U16Le => self.take_u16_le()?.into(),
            LengthPrefix::U32Be => self.take_u32_be()?.into(),
            LengthPrefix::U32Le => self.take_u32_le()?.into(),
            LengthPrefix::Varint => self.take_varint()?,
        };
        match usize::try_from(length) {
            Ok(n) if n <= max => Ok(n),
            _ => {
                self.offset = start;
                Err(Error::LengthTooLarge {
                    offset: start,
                    length,
                    max,
                })
            }
        }
    }

    /// Reads a length-prefixed field: a length of the form `prefix` (at most `max`), then
    /// exactly that many bytes, which `f` must consume completely through the nested reader it
    /// is given. Prefer this to a length read followed by manual checks.
    ///
    /// The nested reader reports offsets in the outer input. On any error (the length, a
    /// truncated field, `f`'s own error, or [`Error::NestedNotConsumed`]) the position is left
    /// unchanged.
    pub fn read_nested<T, E, F>(
        &mut self,
        prefix: LengthPrefix,
        max: usize,
        f: F,
    ) -> core::result::Result<T, E>
    where
        E: From<Error>,
        F: FnOnce(&mut Reader<'a>) -> core::result::Result<T, E>,
    {
        let start = self.offset;
        let result = self.read_nested_inner(prefix, max, f);
        if result.is_err() {
            self.offset = start;
        }
        result
    }

    fn read_nested_inner<T, E, F>(
        &mut self,
        prefix: LengthPrefix,
        max: usize,
        f: F,
    ) -> core::result::Result<T, E>
    where
        E: From<Error>,
        F: FnOnce(&mut Reader<'a>) -> core::result::Result<T, E>,
    {
        let length = self.take_length(prefix, max)?;
        let body_start = self.offset;
        self.advance(length)?;
        let mut inner = Reader {
            data: self.data.get(..self.offset).unwrap_or_default(),
            offset: body_start,
        };
        let value = f(&mut inner)?;
        match inner.remaining() {
            0 => Ok(value),
            count => Err(Error::NestedNotConsumed {
                offset: inner.offset,
                count,
            }
            .into()),
        }
    }

    /// Parses a `T` at the current position; on failure consumes nothing.
    pub fn extract<T: Readable<'a>>(&mut self) -> core::result::Result<T, T::Error> {
        let start = self.offset;
        let result = T::take_from(self);
        if result.is_err() {
            self.offset = start;
        }
        result
    }

    /// Parses `n` consecutive `T`s; on failure consumes nothing.
    ///
    /// The up-front allocation is bounded by the bytes actually left, so an attacker-chosen
    /// count cannot exhaust memory before parsing fails.
    pub fn extract_n<T: Readable<'a>>(
        &mut self,
        n: usize,
    ) -> core::result::Result<Vec<T>, T::Error> {
        let start = self.offset;
        let mut out = Vec::with_capacity(n.min(self.remaining()));
        for _ in 0..n {
            match T::take_from(self) {
                Ok(v) => out.push(v),
                Err(e) => {
                    self.offset = start;
                    return Err(e);
                }
            }
        }
        Ok(out)
    }

    /// Succeeds only if every byte has been consumed.
    pub fn should_be_exhausted(&self) -> Result<()> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(Error::TrailingBytes {
                offset: self.offset,
                count,
            }),
        }
    }
}

/// The longest CryptoNote varint: ceil(64 / 7) bytes.
pub const MAX_VARINT_LEN: usize = 10;

impl<'a> Readable<'a> for u8 {
    type Error = Error;
    fn take_from(reader: &mut Reader<'a>) -> Result<Self> {
        reader.take_u8()
    }
}

impl<'a, const N: usize> Readable<'a> for [u8; N] {
    type Error = Error;
    fn take_from(reader: &mut Reader<'a>) -> Result<Self> {
        reader.take_array()
    }
}

impl<'a> Readable<'a> for crate::X25519PublicKey {
    type Error = Error;
    fn take_from(reader: &mut Reader<'a>) -> Result<Self> {
        reader.take_array().map(Self::from_bytes)
    }
}

impl<'a> Readable<'a> for crate::Ed25519PublicKey {
    type Error = Error;
    fn take_from(reader: &mut Reader<'a>) -> Result<Self> {
        reader.take_array().map(Self::from_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Writer;

    #[test]
    fn errors_carry_offsets_and_consume_nothing() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.take_u8(), Ok(1));
        assert_eq!(
            r.take_u32_le(),
            Err(Error::Truncated {
                offset: 1,
                needed: 4,
                available: 2
            })
        );
        assert_eq!(r.offset(), 1);
        assert_eq!(r.take_u16_be(), Ok(0x0203));
        assert_eq!(r.should_be_exhausted(), Ok(()));
        assert!(r.is_exhausted());
        assert_eq!(r.take(0), Ok(&[][..]));
        assert!(r.take(1).is_err());
    }

    #[test]
    fn both_byte_orders() {
        let bytes = [1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(Reader::new(&bytes).take_u64_le(), Ok(0x0807_0605_0403_0201));
        assert_eq!(Reader::new(&bytes).take_u64_be(), Ok(0x0102_0304_0506_0708));
        assert_eq!(Reader::new(&bytes).take_u32_be(), Ok(0x0102_0304));
        assert_eq!(Reader::new(&bytes).take_u16_le(), Ok(0x0201));
        let mut r = Reader::new(&bytes);
        assert_eq!(r.take(3), Ok(&bytes[..3]));
        assert!(!r.is_exhausted());
        assert_eq!(
            r.should_be_exhausted(),
            Err(Error::TrailingBytes {
                offset: 3,
                count: 5
            })
        );
        assert_eq!(r.take_rest(), &bytes[3..]);
        assert_eq!(r.remaining(), 0);
    }

    #[test]
    fn take_until_consumes_the_terminator() {
        let mut r = Reader::new(b"ab\0\0c");
        assert_eq!(r.take_until(0), Ok(&b"ab"[..]));
        assert_eq!(r.offset(), 3);
        assert_eq!(r.take_until(0), Ok(&b""[..]));
        assert_eq!(
            r.take_until(0),
            Err(Error::MissingTerminator {
                offset: 4,
                terminator: 0
            })
        );
        assert_eq!(r.offset(), 4);
        assert_eq!(r.take_rest(), b"c");
    }

    fn varint(bytes: &[u8]) -> Result<(u64, usize)> {
        let mut r = Reader::new(bytes);
        let v = r.take_varint()?;
        Ok((v, r.offset()))
    }

    #[test]
    fn varint_boundaries() {
        assert_eq!(varint(&[0]), Ok((0, 1)));
        assert_eq!(varint(&[0x7f, 0xff]), Ok((127, 1)));
        assert_eq!(varint(&[0x80, 0x01]), Ok((128, 2)));
        assert_eq!(varint(&[0xac, 0x02]), Ok((300, 2)));
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(varint(&max), Ok((u64::MAX, 10)));
        let mut over = max;
        over[9] = 0x02;
        assert_eq!(varint(&over), Err(Error::VarintOverflow { offset: 0 }));
        over[9] = 0x81;
        assert_eq!(varint(&over), Err(Error::VarintOverflow { offset: 0 }));
        let top_bit_only = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
        assert_eq!(varint(&top_bit_only), Ok((1 << 63, 10)));
        let mut ten_zero = top_bit_only;
        ten_zero[9] = 0;
        assert_eq!(
            varint(&ten_zero),
            Err(Error::NonCanonicalVarint { offset: 0 })
        );
        assert_eq!(
            varint(&[0x80, 0x00]),
            Err(Error::NonCanonicalVarint { offset: 0 })
        );
        assert_eq!(
            varint(&[0x81, 0x00]),
            Err(Error::NonCanonicalVarint { offset: 0 })
        );
        assert_eq!(
            varint(&[0x80, 0x80]),
            Err(Error::Truncated {
                offset: 0,
                needed: 3,
                available: 2
            })
        );
        assert_eq!(
            varint(&[]),
            Err(Error::Truncated {
                offset: 0,
                needed: 1,
                available: 0
            })
        );
        let mut r = Reader::new(&[7, 0x80]);
        assert_eq!(r.take_u8(), Ok(7));
        assert_eq!(
            r.take_varint(),
            Err(Error::Truncated {
                offset: 1,
                needed: 2,
                available: 1
            })
        );
        assert_eq!(r.offset(), 1);
    }

    #[test]
    fn varint_writer_round_trip() {
        for v in [0, 1, 127, 128, 300, 16_383, 16_384, u64::MAX >> 1, u64::MAX] {
            let mut out = Vec::new();
            out.write_varint(v);
            assert_eq!(varint(&out), Ok((v, out.len())), "{v}");
        }
        let mut out = Vec::new();
        out.write_varint(u64::MAX);
        assert_eq!(out.len(), MAX_VARINT_LEN);
    }

    #[test]
    fn nested_reads_exactly_and_rewinds() {
        let data = [0, 3, b'a', b'b', b'c', 9];
        let mut r = Reader::new(&data);
        let got = r.read_nested(LengthPrefix::U16Be, 3, |inner| {
            assert_eq!(inner.offset(), 2);
            assert_eq!(inner.remaining(), 3);
            inner.take(3)
        });
        assert_eq!(got, Ok(&b"abc"[..]));
        assert_eq!(r.offset(), 5);

        // Over the maximum: nothing consumed, offset of the prefix reported.
        let mut r = Reader::new(&data);
        assert_eq!(
            r.read_nested(LengthPrefix::U16Be, 2, |inner| inner.take(3)),
            Err(Error::LengthTooLarge {
                offset: 0,
                length: 3,
                max: 2
            })
        );
        assert_eq!(r.offset(), 0);

        // Not consumed: error, nothing consumed.
        assert_eq!(
            r.read_nested(LengthPrefix::U16Be, 3, |inner| inner.take(2)),
            Err(Error::NestedNotConsumed {
                offset: 4,
                count: 1
            })
        );
        assert_eq!(r.offset(), 0);

        // The nested reader cannot read past its field.
        assert_eq!(
            r.read_nested(LengthPrefix::U16Be, 3, |inner| inner.take(4)),
            Err(Error::Truncated {
                offset: 2,
                needed: 4,
                available: 3
            })
        );
        assert_eq!(r.offset(), 0);

        // A body longer than the input.
        let mut r = Reader::new(&[5, 1, 2]);
        assert_eq!(
            r.read_nested(LengthPrefix::U8, 10, |inner| Ok::<_, Error>(
                inner.take_rest()
            )),
            Err(Error::Truncated {
                offset: 1,
                needed: 5,
                available: 2
            })
        );
        assert_eq!(r.offset(), 0);
    }

    #[test]
    fn every_prefix_form() {
        let cases: [(LengthPrefix, &[u8]); 6] = [
            (LengthPrefix::U8, &[2]),
            (LengthPrefix::U16Be, &[0, 2]),
            (LengthPrefix::U16Le, &[2, 0]),
            (LengthPrefix::U32Be, &[0, 0, 0, 2]),
            (LengthPrefix::U32Le, &[2, 0, 0, 0]),
            (LengthPrefix::Varint, &[2]),
        ];
        for (prefix, head) in cases {
            let mut data = head.to_vec();
            data.extend_from_slice(b"xy");
            let mut r = Reader::new(&data);
            let body = r.read_nested(prefix, 2, |inner| Ok::<_, Error>(inner.take_rest()));
            assert_eq!(body, Ok(&b"xy"[..]), "{prefix:?}");
            r.should_be_exhausted().unwrap();

            let mut out = Vec::new();
            out.write_nested(prefix, 2, |w| w.write_all(b"xy")).unwrap();
            assert_eq!(out, data, "{prefix:?}");
            assert_eq!(
                out.write_nested(prefix, 1, |w| w.write_all(b"xy")),
                Err(Error::LengthTooLarge {
                    offset: 0,
                    length: 2,
                    max: 1
                })
            );
            assert_eq!(out, data, "nothing written on error");
        }
        let mut out = Vec::new();
        assert!(
            out.write_nested(LengthPrefix::U8, 1000, |w| w.write_all(&[0; 256]))
                .is_err()
        );
        assert!(
            out.write_nested(LengthPrefix::U16Le, 1 << 20, |w| w.write_all(&[0; 65536]))
                .is_err()
        );
        assert!(out.is_empty());
    }

    #[test]
    fn fixed_width_writers() {
        let mut out = Vec::new();
        out.write_u8(1);
        out.write_u16_le(0x0302);
        out.write_u16_be(0x0405);
        out.write_u32_le(0x0908_0706);
        out.write_u32_be(0x0a0b_0c0d);
        out.write_u64_le(0x1514_1312_1110_0f0e);
        out.write_u64_be(0x1617_1819_1a1b_1c1d);
        let expected: Vec<u8> = (1..=0x1d).collect();
        assert_eq!(out, expected);
    }

    struct Pair(u8, u8);

    impl<'a> Readable<'a> for Pair {
        type Error = Error;
        fn take_from(r: &mut Reader<'a>) -> Result<Self> {
            let a = r.take_u8()?;
            let b = r.take_u8()?;
            if b == 0xff {
                return Err(Error::InvalidValue {
                    offset: r.offset() - 1,
                    what: "pair",
                });
            }
            Ok(Pair(a, b))
        }
    }

    #[test]
    fn extract_rewinds() {
        let mut r = Reader::new(&[1, 2, 3, 0xff, 5]);
        let Pair(a, b) = r.extract().unwrap();
        assert_eq!((a, b), (1, 2));
        assert_eq!(
            r.extract::<Pair>().err(),
            Some(Error::InvalidValue {
                offset: 3,
                what: "pair"
            })
        );
        assert_eq!(r.offset(), 2);
        let mut r = Reader::new(&[1, 2, 3, 4, 5]);
        let pairs = r.extract_n::<Pair>(2).unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(r.offset(), 4);
        assert!(r.extract_n::<Pair>(1).is_err());
        assert_eq!(r.offset(), 4);
        let mut r = Reader::new(&[1, 2, 3, 4, 5]);
        assert!(r.extract_n::<Pair>(3).is_err());
        assert_eq!(r.offset(), 0);
        assert_eq!(
            r.extract_n::<[u8; 2]>(usize::MAX).err().map(|_| ()),
            Some(())
        );
        assert_eq!(r.extract::<u8>(), Ok(1));
        assert_eq!(
            r.extract::<crate::X25519PublicKey>().err(),
            Some(Error::Truncated {
                offset: 1,
                needed: 32,
                available: 4
            })
        );
        let key = [9u8; 32];
        assert_eq!(
            Reader::new(&key).extract::<crate::Ed25519PublicKey>(),
            Ok(crate::Ed25519PublicKey::from_bytes(key))
        );
    }
}
