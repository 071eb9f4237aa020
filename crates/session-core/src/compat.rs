//! Compatibility with oxend's deterministic (and **not cryptographic**) randomness:
//! `std::mt19937_64`, `tools::uniform_distribution_portable` and the block-hash seed.
//!
//! Every node of the network draws the same numbers from the same block, so swarm
//! rebalancing and quorum selection agree everywhere; reproducing them bit for bit is the only
//! purpose of this module. MT19937-64 is fully specified by the C++ standard, and oxend avoids
//! `std::uniform_int_distribution` (whose algorithm is implementation-defined) in favour of a
//! portable rejection sampler, reproduced here. Never use these for keys or nonces.

/// Words of state.
const N: usize = 312;
/// Middle word offset.
const M: usize = 156;
const MATRIX_A: u64 = 0xB502_6F5A_A966_19E9;
const UPPER_MASK: u64 = 0xFFFF_FFFF_8000_0000;
const LOWER_MASK: u64 = 0x0000_0000_7FFF_FFFF;
const INIT_MULTIPLIER: u64 = 6_364_136_223_846_793_005;

/// The 64-bit Mersenne Twister, identical to C++'s `std::mt19937_64`.
///
/// Predictable by design: it implements no RNG trait, so it cannot be passed where a
/// cryptographic RNG is expected.
///
/// ```
/// use session_core::compat::Mt19937_64;
/// let mut mt = Mt19937_64::new(5489);
/// let tenth_thousandth = (0..10_000).map(|_| mt.next_u64()).last();
/// assert_eq!(tenth_thousandth, Some(9_981_545_732_273_789_042));
/// ```
#[derive(Clone)]
pub struct Mt19937_64 {
    state: [u64; N],
    index: usize,
}

impl core::fmt::Debug for Mt19937_64 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Mt19937_64")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl Mt19937_64 {
    /// Seeds the generator like `std::mt19937_64(seed)`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        let mut state = [0u64; N];
        let mut prev = seed;
        for (i, word) in state.iter_mut().enumerate() {
            if i > 0 {
                // i < 312, so the cast is lossless.
                prev = INIT_MULTIPLIER
                    .wrapping_mul(prev ^ (prev >> 62))
                    .wrapping_add(i as u64);
            }
            *word = prev;
        }
        Self { state, index: N }
    }

    /// A generator whose next outputs continue from a full 312-word state, as installed by
    /// `std::mt19937_64::seed(seed_seq)` (oxend seeds its HF16+ quorums that way; the
    /// `seed_seq` expansion itself lives with its user, `session-staking`).
    ///
    /// ```
    /// use session_core::compat::Mt19937_64;
    /// // Re-seeding from the state `new` installs gives the same outputs.
    /// let mut words = [0u64; 312];
    /// let mut prev = 5489u64;
    /// for (i, w) in words.iter_mut().enumerate() {
    ///     if i > 0 {
    ///         prev = 6_364_136_223_846_793_005u64
    ///             .wrapping_mul(prev ^ (prev >> 62))
    ///             .wrapping_add(i as u64);
    ///     }
    ///     *w = prev;
    /// }
    /// assert_eq!(Mt19937_64::from_state(words).next_u64(), Mt19937_64::new(5489).next_u64());
    /// ```
    #[must_use]
    pub fn from_state(state: [u64; N]) -> Self {
        Self { state, index: N }
    }

    /// Regenerates the whole state block (the standard's "twist").
    fn twist(&mut self) {
        for i in 0..N {
            let next = (i + 1) % N;
            let mid = (i + M) % N;
            // All three indices are reduced modulo N = the array length.
            let (cur, nxt, far) =
                match (self.state.get(i), self.state.get(next), self.state.get(mid)) {
                    (Some(&c), Some(&n), Some(&f)) => (c, n, f),
                    _ => continue,
                };
            let y = (cur & UPPER_MASK) | (nxt & LOWER_MASK);
            let mut v = far ^ (y >> 1);
            if y & 1 == 1 {
                v ^= MATRIX_A;
            }
            if let Some(slot) = self.state.get_mut(i) {
                *slot = v;
            }
        }
        self.index = 0;
    }

    /// The next output, like `mt()`.
    pub fn next_u64(&mut self) -> u64 {
        if self.index >= N {
            self.twist();
        }
        let mut x = self.state.get(self.index).copied().unwrap_or(0);
        self.index += 1;
        x ^= (x >> 29) & 0x5555_5555_5555_5555;
        x ^= (x << 17) & 0x71D6_7FFF_EDA6_0000;
        x ^= (x << 37) & 0xFFF7_EEE0_0000_0000;
        x ^= x >> 43;
        x
    }
}

/// oxend's `tools::uniform_distribution_portable(mt, n)`: a uniform integer in `0..n`.
///
/// Rejection sampling against `secureMax = (2^64 - 1) - ((2^64 - 1) mod n)` (note: oxend uses
/// `mt.max()` = 2^64 - 1, not 2^64), then `x / (secureMax / n)`. Returns 0 for `n == 0`
/// without drawing (oxend never calls it with 0; we must not divide by zero).
pub fn uniform_portable(rng: &mut Mt19937_64, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let secure_max = u64::MAX - (u64::MAX % n);
    loop {
        let x = rng.next_u64();
        if x < secure_max {
            return x / (secure_max / n);
        }
    }
}

/// [`uniform_portable`] for a collection length: a uniform index in `0..len` (0 when `len` is 0).
pub fn uniform_index(rng: &mut Mt19937_64, len: usize) -> usize {
    // usize fits in u64 on every supported target, and the result is < len.
    uniform_portable(rng, len as u64) as usize
}

/// The rebalancing seed of a block: its hash's first 8 bytes read little-endian (oxend copies
/// them into a `uint64_t` with `memcpy` on little-endian hosts).
///
/// ```
/// let mut hash = [0u8; 32];
/// hash[..8].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
/// assert_eq!(session_core::compat::seed_from_block_hash(&hash), 578_437_695_752_307_201);
/// ```
#[must_use]
pub fn seed_from_block_hash(block_hash: &[u8; 32]) -> u64 {
    let mut first = [0u8; 8];
    for (dst, src) in first.iter_mut().zip(block_hash.iter()) {
        *dst = *src;
    }
    u64::from_le_bytes(first)
}
