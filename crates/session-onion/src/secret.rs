//! A byte buffer wiped on drop, fast.
//!
//! `zeroize`'s `Vec` implementation wipes element by element with volatile writes (about a
//! byte per cycle); plaintexts here can be megabytes, so this wrapper wipes the initialised
//! bytes and the spare capacity with the bulk slice routine instead.

use alloc::vec::Vec;
use core::ops::Deref;

use zeroize::Zeroize;

/// Plaintext bytes that are wiped when dropped.
pub(crate) struct SecretBytes(Vec<u8>);

impl SecretBytes {
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }
}

impl Deref for SecretBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for SecretBytes {
    fn drop(&mut self) {
        self.0.as_mut_slice().zeroize();
        let len = self.0.len();
        if self.0.capacity() > len {
            // Spare capacity: extend with zeros through the bulk path, then wipe.
            let cap = self.0.capacity();
            self.0.resize(cap, 0);
            if let Some(spare) = self.0.get_mut(len..) {
                spare.zeroize();
            }
        }
    }
}
