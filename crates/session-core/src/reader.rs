//! A cursor over untrusted bytes that never panics.

use crate::error::{Error, Result};

/// A read-only cursor over a byte slice.
///
/// Every method returns an error instead of panicking, and every error carries the offset at
/// which it happened. Slices returned by [`Reader::take`] borrow the input (zero-copy). A failed
/// read consumes nothing, so a caller may try an alternative.
///
/// ```
/// use session_core::Reader;
///
/// let mut r = Reader::new(&[5, 0, 0, 0, b'h', b'e', b'l', b'l', b'o']);
/// let len = r.take_u32_le()? as usize;
/// assert_eq!(r.take(len)?, b"hello");
/// r.should_be_exhausted()?;
/// # Ok::<(), session_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    /// A reader positioned at the start of `data`.
    #[must_use]
    pub const fn new(data: &'a [u8]) -> Self {
        Self { data, offset: 0 }
    }

    /// How many bytes have been consumed.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// How many bytes are left.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.offset)
    }

    fn rest(&self) -> &'a [u8] {
        self.data.get(self.offset..).unwrap_or(&[])
    }

    /// The next `n` bytes, without consuming them.
    pub fn peek(&self, n: usize) -> Result<&'a [u8]> {
        self.rest().get(..n).ok_or(Error::Truncated {
            offset: self.offset,
            needed: n,
            available: self.remaining(),
        })
    }

    /// Consumes and returns the next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let out = self.peek(n)?;
        self.offset = self.offset.saturating_add(n);
        Ok(out)
    }

    /// Consumes and returns everything that is left.
    pub fn take_rest(&mut self) -> &'a [u8] {
        let out = self.rest();
        self.offset = self.data.len();
        out
    }

    /// Consumes `N` bytes into an array.
    pub fn take_array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let bytes = self.peek(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        self.offset = self.offset.saturating_add(N);
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
