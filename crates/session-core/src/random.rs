//! Uniform choices from the caller's RNG, shared by the crates that pick nodes and paths.

use rand_core::CryptoRng;

/// A uniform index below `n` (0 when `n` is 0 or 1), by rejection sampling so that no index is
/// favoured (no modulo bias).
///
/// ```
/// # use rand_core::{SeedableRng as _};
/// # let mut rng = chacha20::ChaCha20Rng::seed_from_u64(7);
/// let i = session_core::random::uniform_index(&mut rng, 5);
/// assert!(i < 5);
/// ```
pub fn uniform_index<R: CryptoRng + ?Sized>(rng: &mut R, n: usize) -> usize {
    let n = n as u64;
    if n <= 1 {
        return 0;
    }
    let zone = u64::MAX - (u64::MAX % n);
    // Rejection happens with probability < n / 2^64; the bound only guards against a
    // degenerate RNG stuck in the rejected zone.
    let mut v = rng.next_u64();
    for _ in 0..64 {
        if v < zone {
            break;
        }
        v = rng.next_u64();
    }
    // Below n, so it fits the usize n came from.
    (v % n) as usize
}
