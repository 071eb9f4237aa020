//! The encoding side of [`Reader`]: the [`Writer`] sink and the [`Writeable`] trait, the
//! counterpart of [`Readable`](crate::Readable).

use alloc::vec::Vec;

use crate::error::{Error, Result};
#[cfg(doc)]
use crate::reader::Reader;
use crate::reader::{LengthPrefix, MAX_VARINT_LEN};

/// A type that can encode itself onto a [`Writer`]: the counterpart of
/// [`Readable`](crate::Readable), so that a format has one encoder beside its parser and
/// `reader.extract::<T>()` of `value.encode_to_vec()` gives the value back.
///
/// Encoding fails only where a value cannot be expressed in its format, such as a field
/// longer than its length prefix allows ([`Writer::write_nested`]); a failed encoding may
/// have written part of the value.
///
/// ```
/// use session_core::{Error, Readable, Reader, Writeable, Writer};
///
/// /// A 2-byte little-endian port followed by a NUL-terminated host name.
/// #[derive(Debug, PartialEq)]
/// struct Endpoint<'a> {
///     port: u16,
///     host: &'a [u8],
/// }
///
/// impl<'a> Readable<'a> for Endpoint<'a> {
///     type Error = Error;
///     fn take_from(r: &mut Reader<'a>) -> Result<Self, Error> {
///         Ok(Endpoint { port: r.take_u16_le()?, host: r.take_until(0)? })
///     }
/// }
///
/// impl Writeable for Endpoint<'_> {
///     fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> Result<(), Error> {
///         w.write_u16_le(self.port);
///         w.write_all(self.host);
///         w.write_u8(0);
///         Ok(())
///     }
/// }
///
/// let e = Endpoint { port: 80, host: b"node" };
/// let bytes = e.encode_to_vec()?;
/// assert_eq!(bytes, b"\x50\x00node\0");
/// assert_eq!(Reader::new(&bytes).extract::<Endpoint>()?, e);
/// # Ok::<(), Error>(())
/// ```
pub trait Writeable {
    /// Appends this value's encoding to `w`.
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> Result<()>;

    /// This value's encoding in a new vector.
    fn encode_to_vec(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write_to(&mut out)?;
        Ok(out)
    }
}

impl<T: Writeable + ?Sized> Writeable for &T {
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> Result<()> {
        (**self).write_to(w)
    }
}

impl Writeable for u8 {
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_u8(*self);
        Ok(())
    }
}

impl<const N: usize> Writeable for [u8; N] {
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_all(self);
        Ok(())
    }
}

impl Writeable for crate::X25519PublicKey {
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_all(self.as_bytes());
        Ok(())
    }
}

impl Writeable for crate::Ed25519PublicKey {
    fn write_to<W: Writer + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_all(self.as_bytes());
        Ok(())
    }
}

/// The encoding side of [`Reader`]: appends integers, varints, decimal numbers,
/// length-prefixed fields and [`Writeable`] values.
///
/// Implemented for `Vec<u8>`; a type that implements [`Writer::write_all`] gets the rest. The
/// workspace's one CryptoNote varint encoder is [`Writer::write_varint`], its one decimal
/// writer [`Writer::write_decimal`].
///
/// ```
/// use session_core::{LengthPrefix, Reader, Writer};
///
/// let mut out = Vec::new();
/// out.write_varint(300);
/// out.write_nested(LengthPrefix::U8, 255, |w| w.write_all(b"abc"))?;
/// assert_eq!(out, [0xac, 0x02, 3, b'a', b'b', b'c']);
/// let mut r = Reader::new(&out);
/// assert_eq!(r.take_varint()?, 300);
///
/// let mut text = Vec::new();
/// text.write_decimal(1_700_000_000);
/// text.write_u8(b' ');
/// text.write_decimal_i64(-5);
/// assert_eq!(text, b"1700000000 -5");
/// # Ok::<(), session_core::Error>(())
/// ```
pub trait Writer {
    /// Appends bytes.
    fn write_all(&mut self, bytes: &[u8]);

    /// Appends one byte.
    fn write_u8(&mut self, v: u8) {
        self.write_all(&[v]);
    }

    /// Appends a little-endian `u16`.
    fn write_u16_le(&mut self, v: u16) {
        self.write_all(&v.to_le_bytes());
    }

    /// Appends a big-endian `u16`.
    fn write_u16_be(&mut self, v: u16) {
        self.write_all(&v.to_be_bytes());
    }

    /// Appends a little-endian `u32`.
    fn write_u32_le(&mut self, v: u32) {
        self.write_all(&v.to_le_bytes());
    }

    /// Appends a big-endian `u32`.
    fn write_u32_be(&mut self, v: u32) {
        self.write_all(&v.to_be_bytes());
    }

    /// Appends a little-endian `u64`.
    fn write_u64_le(&mut self, v: u64) {
        self.write_all(&v.to_le_bytes());
    }

    /// Appends a big-endian `u64`.
    fn write_u64_be(&mut self, v: u64) {
        self.write_all(&v.to_be_bytes());
    }

    /// Appends a CryptoNote varint (unsigned LEB128, oxend's `tools::write_varint`) in its
    /// shortest form, which is the only form [`Reader::take_varint`] accepts: seven bits per
    /// byte, least significant group first, the high bit set on every byte but the last; at
    /// most [`MAX_VARINT_LEN`] bytes.
    fn write_varint(&mut self, mut v: u64) {
        let mut buf = [0u8; MAX_VARINT_LEN];
        let mut len = 0;
        for slot in &mut buf {
            // Truncation to the low 7 bits is the point.
            let group = (v & 0x7f) as u8;
            v >>= 7;
            len += 1;
            if v == 0 {
                *slot = group;
                break;
            }
            *slot = group | 0x80;
        }
        self.write_all(buf.get(..len).unwrap_or_default());
    }

    /// Appends `v` in ASCII decimal, without sign or leading zeros (`0` for zero): the form of
    /// bencode integers and lengths and of JSON numbers.
    fn write_decimal(&mut self, mut v: u64) {
        // u64::MAX has 20 digits; they are produced least significant first.
        let mut buf = [0u8; 20];
        let mut start = buf.len();
        for slot in buf.iter_mut().rev() {
            // `v % 10` is a single digit.
            *slot = b'0' + (v % 10) as u8;
            start -= 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.write_all(buf.get(start..).unwrap_or_default());
    }

    /// Appends `v` in ASCII decimal, with a `-` if it is negative (never `-0`).
    fn write_decimal_i64(&mut self, v: i64) {
        if v < 0 {
            self.write_u8(b'-');
        }
        self.write_decimal(v.unsigned_abs());
    }

    /// Appends a value's encoding (see [`Writeable`]).
    fn write<T: Writeable + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.write_to(self)
    }

    /// Appends a length-prefixed field whose body `f` writes. Fails with
    /// [`Error::LengthTooLarge`] (writing nothing) if the body is longer than `max` or than
    /// the prefix can express.
    fn write_nested<F>(&mut self, prefix: LengthPrefix, max: usize, f: F) -> Result<()>
    where
        F: FnOnce(&mut Vec<u8>),
    {
        let mut body = Vec::new();
        f(&mut body);
        let len = body.len();
        let too_large = || Error::LengthTooLarge {
            offset: 0,
            length: len as u64,
            max,
        };
        let fits = |limit: u64| len <= max && (len as u64) <= limit;
        let limit = match prefix {
            LengthPrefix::U8 => u64::from(u8::MAX),
            LengthPrefix::U16Be | LengthPrefix::U16Le => u64::from(u16::MAX),
            LengthPrefix::U32Be | LengthPrefix::U32Le => u64::from(u32::MAX),
            LengthPrefix::Varint => u64::MAX,
        };
        if !fits(limit) {
            return Err(too_large());
        }
        // `fits` bounds `len` by the prefix's range, so the narrowing casts are exact.
        match prefix {
            LengthPrefix::U8 => self.write_u8(len as u8),
            LengthPrefix::U16Be => self.write_u16_be(len as u16),
            LengthPrefix::U16Le => self.write_u16_le(len as u16),
            LengthPrefix::U32Be => self.write_u32_be(len as u32),
            LengthPrefix::U32Le => self.write_u32_le(len as u32),
            LengthPrefix::Varint => self.write_varint(len as u64),
        }
        self.write_all(&body);
        Ok(())
    }
}

impl Writer for Vec<u8> {
    fn write_all(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }

    fn write_u8(&mut self, v: u8) {
        self.push(v);
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use super::*;
    use crate::{Ed25519PublicKey, Reader, X25519PublicKey};

    fn decimal(v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        out.write_decimal(v);
        out
    }

    #[test]
    fn decimal_digits() {
        assert_eq!(decimal(0), b"0");
        assert_eq!(decimal(7), b"7");
        assert_eq!(decimal(10), b"10");
        assert_eq!(decimal(99), b"99");
        assert_eq!(decimal(100), b"100");
        assert_eq!(decimal(1_234_567_890), b"1234567890");
        assert_eq!(decimal(u64::MAX), b"18446744073709551615");
        let mut p = 1u64;
        for digits in 1..=20 {
            assert_eq!(decimal(p).len(), digits);
            assert_eq!(decimal(p - 1).len(), (digits - 1).max(1));
            p = p.saturating_mul(10);
        }
        let signed = |v: i64| {
            let mut out = Vec::new();
            out.write_decimal_i64(v);
            out
        };
        assert_eq!(signed(0), b"0");
        assert_eq!(signed(-1), b"-1");
        assert_eq!(signed(42), b"42");
        assert_eq!(signed(i64::MIN), b"-9223372036854775808");
        assert_eq!(signed(i64::MAX), b"9223372036854775807");
    }

    /// A writer that only implements `write_all`, so the trait's provided methods run.
    struct Plain(Vec<u8>);

    impl Writer for Plain {
        fn write_all(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
    }

    #[test]
    fn provided_methods_match_the_vec_writer() {
        let mut plain = Plain(Vec::new());
        let mut vec = Vec::new();
        plain.write_u8(0xab);
        vec.write_u8(0xab);
        plain.write_varint(300);
        vec.write_varint(300);
        plain.write_decimal_i64(-12);
        vec.write_decimal_i64(-12);
        assert_eq!(plain.0, vec);
        assert_eq!(vec, [0xab, 0xac, 0x02, b'-', b'1', b'2']);
    }

    #[test]
    fn writeable_round_trips_through_readable() {
        let x = X25519PublicKey::from_bytes([3; 32]);
        let e = Ed25519PublicKey::from_bytes([4; 32]);
        let mut out = Vec::new();
        out.write(&7u8).unwrap();
        out.write(&[1u8, 2]).unwrap();
        out.write(&x).unwrap();
        out.write(&&e).unwrap();
        assert_eq!(out.len(), 1 + 2 + 32 + 32);
        let mut r = Reader::new(&out);
        assert_eq!(r.extract::<u8>(), Ok(7));
        assert_eq!(r.extract::<[u8; 2]>(), Ok([1, 2]));
        assert_eq!(r.extract::<X25519PublicKey>(), Ok(x));
        assert_eq!(r.extract::<Ed25519PublicKey>(), Ok(e));
        assert!(r.is_exhausted());
        assert_eq!(e.encode_to_vec(), Ok(vec![4; 32]));
        assert_eq!(5u8.encode_to_vec(), Ok(vec![5]));
    }
}
