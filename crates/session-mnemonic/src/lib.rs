//! `session-mnemonic`: work in progress (see the issue tracker).
#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "std")]
extern crate std;
