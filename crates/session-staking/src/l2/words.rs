//! 32-byte ABI words, read without panicking.

/// A cursor over ABI words.
pub(crate) struct Words<'a> {
    rest: &'a [u8],
}

impl<'a> Words<'a> {
    pub(crate) const fn new(data: &'a [u8]) -> Self {
        Self { rest: data }
    }

    /// The next `N` bytes.
    pub(crate) fn take<const N: usize>(&mut self) -> Option<&'a [u8; N]> {
        let (head, tail) = self.rest.split_first_chunk::<N>()?;
        self.rest = tail;
        Some(head)
    }

    /// What has not been read.
    pub(crate) const fn rest(&self) -> &'a [u8] {
        self.rest
    }
}

/// A big-endian `uint256` as `u64`, or `None` when a high byte is set (oxend's
/// `decode_integer_be`).
pub(crate) fn word_u64(word: &[u8; 32]) -> Option<u64> {
    let (high, low) = word.split_last_chunk::<8>()?;
    high.iter()
        .all(|b| *b == 0)
        .then(|| u64::from_be_bytes(*low))
}

/// The 20-byte address of an ABI word; the 12 padding bytes are not checked (oxend skips them).
pub(crate) fn word_address(word: &[u8; 32]) -> [u8; 20] {
    let mut out = [0u8; 20];
    if let Some((_, low)) = word.split_last_chunk::<20>() {
        out = *low;
    }
    out
}
