//! Where randomness enters: the operating system's generator.
//!
//! The libraries take a random generator from their caller; the command line is that caller.

use anyhow::{Result, anyhow};
use chacha20::ChaCha20Rng;
use rand::TryRng as _;
use session_onion::rand_core::SeedableRng as _;
use zeroize::Zeroizing;

/// A fresh 32-byte secret read from the operating system's random generator.
// The command line is where randomness enters: it reads the OS generator directly.
#[allow(clippy::disallowed_types)]
pub(crate) fn os_secret() -> Result<Zeroizing<[u8; 32]>> {
    let mut secret = Zeroizing::new([0u8; 32]);
    rand::rngs::SysRng
        .try_fill_bytes(secret.as_mut())
        .map_err(|e| anyhow!("the operating system's random generator failed: {e}"))?;
    Ok(secret)
}

/// A ChaCha20 generator seeded with 32 bytes from the operating system's generator: a
/// cryptographically secure generator for the libraries, which cannot fail once made.
pub(crate) fn os_seeded_rng() -> Result<ChaCha20Rng> {
    Ok(ChaCha20Rng::from_seed(*os_secret()?))
}
