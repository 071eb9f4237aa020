//! Uniform choices from the caller's RNG.

use rand_core::CryptoRng;

pub(crate) use session_core::random::uniform_index as index;

/// Fisher–Yates shuffle.
pub(crate) fn shuffle<T, R: CryptoRng + ?Sized>(items: &mut [T], rng: &mut R) {
    for i in (1..items.len()).rev() {
        let j = index(rng, i + 1);
        items.swap(i, j);
    }
}
