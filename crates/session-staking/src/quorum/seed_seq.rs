//! C++ `std::seed_seq`, which oxend uses from HF16 to seed the quorum generator from a
//! whole block hash instead of its first 8 bytes.
//!
//! The algorithm is fixed by the C++ standard ([rand.util.seedseq]); every conforming
//! library produces the same words, so it is consensus.

use alloc::vec::Vec;

/// Initial fill of the output words.
const FILL: u32 = 0x8b8b_8b8b;
const MULT_1: u32 = 1_664_525;
const MULT_2: u32 = 1_566_083_941;

fn mix(x: u32) -> u32 {
    x ^ (x >> 27)
}

/// `std::seed_seq(input).generate(out)`: fills `out` with words derived from `input`.
///
/// ```
/// use session_staking::quorum::seed_seq_generate;
/// let mut out = [0u32; 10];
/// seed_seq_generate(&[1, 2, 3], &mut out);
/// assert_eq!(out[..3], [4_069_278_582, 1_003_217_515, 3_259_405_872]);
/// ```
pub fn seed_seq_generate(input: &[u32], out: &mut [u32]) {
    let n = out.len();
    if n == 0 {
        return;
    }
    out.fill(FILL);
    let s = input.len();
    let t = if n >= 623 {
        11
    } else if n >= 68 {
        7
    } else if n >= 39 {
        5
    } else if n >= 7 {
        3
    } else {
        (n - 1) / 2
    };
    let p = (n - t) / 2;
    let q = p + t;
    let m = (s + 1).max(n);
    // Word counts wrap modulo 2^32 as in the standard (size_t → uint_least32_t).
    let word = |x: usize| x as u32;
    let at = |b: &[u32], i: usize| -> u32 { b.get(i % n).copied().unwrap_or(0) };
    let add = |b: &mut [u32], i: usize, v: u32| {
        if let Some(slot) = b.get_mut(i % n) {
            *slot = slot.wrapping_add(v);
        }
    };
    let xor = |b: &mut [u32], i: usize, v: u32| {
        if let Some(slot) = b.get_mut(i % n) {
            *slot ^= v;
        }
    };
    let set = |b: &mut [u32], i: usize, v: u32| {
        if let Some(slot) = b.get_mut(i % n) {
            *slot = v;
        }
    };
    for k in 0..m {
        let prev = (k + n - 1) % n;
        let r1 = MULT_1.wrapping_mul(mix(at(out, k) ^ at(out, k + p) ^ at(out, prev)));
        let r2 = if k == 0 {
            r1.wrapping_add(word(s))
        } else if k <= s {
            r1.wrapping_add(word(k % n))
                .wrapping_add(input.get(k - 1).copied().unwrap_or(0))
        } else {
            r1.wrapping_add(word(k % n))
        };
        add(out, k + p, r1);
        add(out, k + q, r2);
        set(out, k, r2);
    }
    for k in m..m + n {
        let prev = (k + n - 1) % n;
        let r3 = MULT_2.wrapping_mul(mix(at(out, k)
            .wrapping_add(at(out, k + p))
            .wrapping_add(at(out, prev))));
        let r4 = r3.wrapping_sub(word(k % n));
        xor(out, k + p, r3);
        xor(out, k + q, r4);
        set(out, k, r4);
    }
}

/// The state `std::mt19937_64::seed(seed_seq)` installs: 624 generated words paired into
/// 312 64-bit words (low word first), with the standard's guard against an all-zero state.
#[must_use]
pub fn mt19937_64_state_from_seed_seq(input: &[u32]) -> [u64; 312] {
    let mut words: Vec<u32> = alloc::vec![0; 624];
    seed_seq_generate(input, &mut words);
    let mut state = [0u64; 312];
    for (slot, pair) in state.iter_mut().zip(words.chunks_exact(2)) {
        if let [lo, hi] = pair {
            *slot = u64::from(*lo) | (u64::from(*hi) << 32);
        }
    }
    // The standard's guard: if the upper w - r = 33 bits of word 0 and every other word are
    // zero, the state would be degenerate, so word 0 becomes 2^63.
    let upper_zero = state
        .first()
        .is_some_and(|w| w & 0xFFFF_FFFF_8000_0000 == 0);
    if upper_zero
        && state.iter().skip(1).all(|&w| w == 0)
        && let Some(first) = state.first_mut()
    {
        *first = 1 << 63;
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected words from libstdc++'s std::seed_seq.
    #[test]
    fn matches_libstdcxx() {
        let mut out = [0u32; 10];
        seed_seq_generate(&[1, 2, 3], &mut out);
        assert_eq!(
            out,
            [
                4_069_278_582,
                1_003_217_515,
                3_259_405_872,
                538_510_628,
                148_169_650,
                2_686_142_965,
                4_168_267_496,
                2_286_043_007,
                1_924_303_767,
                770_742_192
            ]
        );
        let mut empty = [0u32; 5];
        seed_seq_generate(&[], &mut empty);
        assert_eq!(
            empty,
            [
                505_382_999,
                163_489_202,
                3_932_644_188,
                763_126_080,
                73_937_346
            ]
        );
        let mut long = alloc::vec![0u32; 700];
        seed_seq_generate(&[7], &mut long);
        assert_eq!(
            (long[0], long[1], long[699]),
            (3_164_837_778, 3_840_595_751, 179_077_153)
        );
        let big: Vec<u32> = (0..100u32).map(|i| i.wrapping_mul(2_654_435_761)).collect();
        let mut out624 = alloc::vec![0u32; 624];
        seed_seq_generate(&big, &mut out624);
        assert_eq!(
            (out624[0], out624[311], out624[623]),
            (594_525_063, 453_727_197, 3_608_201_912)
        );
        let mut none: [u32; 0] = [];
        seed_seq_generate(&[1], &mut none);
    }
}
