//! Uniform choices from the caller's RNG.

use rand_core::CryptoRng;

/// A uniform index below `n` (0 when `n` is 0), by rejection so that no index is favoured.
pub(crate) fn index<R: CryptoRng + ?Sized>(rng: &mut R, n: usize) -> usize {
    let n = n as u64;
    if n <= 1 {
        return 0;
    }
    let zone = u64::MAX - (u64::MAX % n);
    let mut v = rng.next_u64();
    // A bounded loop: rejection has probability below n / 2^64 per draw.
    for _ in 0..64 {
        if v < zone {
            break;
        }
        v = rng.next_u64();
    }
    (v % n) as usize
}

/// Fisher–Yates shuffle.
pub(crate) fn shuffle<T, R: CryptoRng + ?Sized>(items: &mut [T], rng: &mut R) {
    for i in (1..items.len()).rev() {
        let j = index(rng, i + 1);
        items.swap(i, j);
    }
}
