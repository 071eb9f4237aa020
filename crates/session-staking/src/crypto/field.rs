//! Arithmetic modulo p = 2^255 - 19, just enough for Monero's `hash_to_point`.
//!
//! curve25519-dalek keeps its field type private, and the crates that expose Monero's map pull in
//! an older curve25519-dalek, so the few operations the map needs live here. Everything is
//! variable-time: the map only ever runs on public data (public keys, hashes).

/// An element of GF(2^255 - 19) as five 51-bit limbs (little-endian). Limbs may exceed 51 bits
/// slightly between reductions; every public operation returns weakly reduced limbs (< 2^52).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe([u64; 5]);

const MASK: u64 = (1 << 51) - 1;

impl Fe {
    pub(crate) const ZERO: Fe = Fe([0; 5]);
    pub(crate) const ONE: Fe = Fe([1, 0, 0, 0, 0]);

    pub(crate) const fn from_u64(v: u64) -> Fe {
        Fe([v & MASK, v >> 51, 0, 0, 0])
    }

    /// Reads all 256 bits little-endian and reduces modulo p, as Monero's `ge_fromfe_frombytes`
    /// does (unlike `fe_frombytes`, it does not drop the top bit).
    pub(crate) fn from_bytes_wide(bytes: &[u8; 32]) -> Fe {
        let mut w = [0u64; 4];
        for (word, chunk) in w.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            *word = u64::from_le_bytes(b);
        }
        let [w0, w1, w2, w3] = w;
        Fe([
            w0 & MASK,
            ((w0 >> 51) | (w1 << 13)) & MASK,
            ((w1 >> 38) | (w2 << 26)) & MASK,
            ((w2 >> 25) | (w3 << 39)) & MASK,
            // 52 bits: the carry below folds bit 255 back in as 19.
            w3 >> 12,
        ])
        .weak_reduce()
    }

    fn weak_reduce(self) -> Fe {
        let [mut l0, mut l1, mut l2, mut l3, mut l4] = self.0;
        let c = l4 >> 51;
        l4 &= MASK;
        l0 += c * 19;
        let c = l0 >> 51;
        l0 &= MASK;
        l1 += c;
        let c = l1 >> 51;
        l1 &= MASK;
        l2 += c;
        let c = l2 >> 51;
        l2 &= MASK;
        l3 += c;
        let c = l3 >> 51;
        l3 &= MASK;
        l4 += c;
        Fe([l0, l1, l2, l3, l4])
    }

    pub(crate) fn add(&self, o: &Fe) -> Fe {
        let a = self.0;
        let b = o.0;
        Fe([
            a[0] + b[0],
            a[1] + b[1],
            a[2] + b[2],
            a[3] + b[3],
            a[4] + b[4],
        ])
        .weak_reduce()
    }

    pub(crate) fn sub(&self, o: &Fe) -> Fe {
        // Adding 4p keeps every limb positive for weakly reduced inputs (limbs < 2^52).
        const FOUR_P0: u64 = 4 * ((1 << 51) - 19);
        const FOUR_PI: u64 = 4 * ((1 << 51) - 1);
        let a = self.0;
        let b = o.0;
        Fe([
            a[0] + FOUR_P0 - b[0],
            a[1] + FOUR_PI - b[1],
            a[2] + FOUR_PI - b[2],
            a[3] + FOUR_PI - b[3],
            a[4] + FOUR_PI - b[4],
        ])
        .weak_reduce()
    }

    pub(crate) fn neg(&self) -> Fe {
        Fe::ZERO.sub(self)
    }

    pub(crate) fn mul(&self, o: &Fe) -> Fe {
        let [a0, a1, a2, a3, a4] = self.0.map(u128::from);
        let [b0, b1, b2, b3, b4] = o.0.map(u128::from);
        let (b1_19, b2_19, b3_19, b4_19) = (b1 * 19, b2 * 19, b3 * 19, b4 * 19);
        Fe::carry_wide([
            a0 * b0 + a1 * b4_19 + a2 * b3_19 + a3 * b2_19 + a4 * b1_19,
            a0 * b1 + a1 * b0 + a2 * b4_19 + a3 * b3_19 + a4 * b2_19,
            a0 * b2 + a1 * b1 + a2 * b0 + a3 * b4_19 + a4 * b3_19,
            a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * b4_19,
            a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0,
        ])
    }

    pub(crate) fn square(&self) -> Fe {
        let [a0, a1, a2, a3, a4] = self.0.map(u128::from);
        let (d0, d1, d2, d3) = (2 * a0, 2 * a1, 2 * a2, 2 * a3);
        let (a3_19, a4_19) = (19 * a3, 19 * a4);
        Fe::carry_wide([
            a0 * a0 + d1 * a4_19 + d2 * a3_19,
            d0 * a1 + d2 * a4_19 + a3 * a3_19,
            d0 * a2 + a1 * a1 + d3 * a4_19,
            d0 * a3 + d1 * a2 + a4 * a4_19,
            d0 * a4 + d1 * a3 + a2 * a2,
        ])
    }

    /// Carries 128-bit column sums (each below 2^115 for limbs below 2^52) back to limbs below
    /// 2^52.
    fn carry_wide(c: [u128; 5]) -> Fe {
        let [c0, c1, c2, c3, c4] = c;
        let m = u128::from(MASK);
        let c1 = c1 + (c0 >> 51);
        let c2 = c2 + (c1 >> 51);
        let c3 = c3 + (c2 >> 51);
        let c4 = c4 + (c3 >> 51);
        // The carry out of limb 4 is below 2^64, so carry * 19 plus a limb fits easily in u128.
        let l0 = (c0 & m) + (c4 >> 51) * 19;
        Fe([
            (l0 & m) as u64,
            ((c1 & m) + (l0 >> 51)) as u64,
            (c2 & m) as u64,
            (c3 & m) as u64,
            (c4 & m) as u64,
        ])
    }

    fn square_n(&self, n: u32) -> Fe {
        let mut x = *self;
        for _ in 0..n {
            x = x.square();
        }
        x
    }

    /// `(self^(2^250 - 1), self^11)`: the shared head of the two exponentiations below (the
    /// usual curve25519 addition chain: 250 squarings, 11 multiplications).
    fn pow22501(&self) -> (Fe, Fe) {
        let z2 = self.square();
        let z9 = z2.square_n(2).mul(self);
        let z11 = z9.mul(&z2);
        let z_5_0 = z11.square().mul(&z9); // 2^5 - 1
        let z_10_0 = z_5_0.square_n(5).mul(&z_5_0);
        let z_20_0 = z_10_0.square_n(10).mul(&z_10_0);
        let z_40_0 = z_20_0.square_n(20).mul(&z_20_0);
        let z_50_0 = z_40_0.square_n(10).mul(&z_10_0);
        let z_100_0 = z_50_0.square_n(50).mul(&z_50_0);
        let z_200_0 = z_100_0.square_n(100).mul(&z_100_0);
        let z_250_0 = z_200_0.square_n(50).mul(&z_50_0);
        (z_250_0, z11)
    }

    /// `self^((p-5)/8)` = `self^(2^252 - 3)`.
    pub(crate) fn pow_p58(&self) -> Fe {
        let (z_250_0, _) = self.pow22501();
        z_250_0.square_n(2).mul(self)
    }

    /// `self^(p-2)` = `self^(2^255 - 21)`, the inverse (0 maps to 0).
    pub(crate) fn invert(&self) -> Fe {
        let (z_250_0, z11) = self.pow22501();
        z_250_0.square_n(5).mul(&z11)
    }

    /// The canonical 32-byte encoding (value fully reduced below p).
    pub(crate) fn to_bytes(self) -> [u8; 32] {
        let Fe([mut l0, mut l1, mut l2, mut l3, mut l4]) = self.weak_reduce().weak_reduce();
        // q = 1 iff the value is >= p: add 19 and see whether it carries out of bit 255.
        let mut q = (l0 + 19) >> 51;
        q = (l1 + q) >> 51;
        q = (l2 + q) >> 51;
        q = (l3 + q) >> 51;
        q = (l4 + q) >> 51;
        l0 += 19 * q;
        l1 += l0 >> 51;
        l0 &= MASK;
        l2 += l1 >> 51;
        l1 &= MASK;
        l3 += l2 >> 51;
        l2 &= MASK;
        l4 += l3 >> 51;
        l3 &= MASK;
        l4 &= MASK;
        let words = [
            l0 | (l1 << 51),
            (l1 >> 13) | (l2 << 38),
            (l2 >> 26) | (l3 << 25),
            (l3 >> 39) | (l4 << 12),
        ];
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        out
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.to_bytes() == [0u8; 32]
    }

    pub(crate) fn eq(&self, o: &Fe) -> bool {
        self.to_bytes() == o.to_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_and_reduction() {
        let x = Fe::from_bytes_wide(&[0xff; 32]);
        // 2^256 - 1 mod p = 2*19 + 18 = 37 + ... : check via the inverse instead of a literal.
        let one = x.mul(&x.invert());
        assert_eq!(one.to_bytes(), Fe::ONE.to_bytes());
        // p itself reduces to zero.
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert!(Fe::from_bytes_wide(&p).is_zero());
        assert!(Fe::from_u64(5).sub(&Fe::from_u64(5)).is_zero());
        assert!(Fe::from_u64(3).neg().add(&Fe::from_u64(3)).is_zero());
        // (p-5)/8 power of 4: 4^((p-5)/8) squared times 4 is ±4^... check against the inverse.
        let four = Fe::from_u64(4);
        let r = four.pow_p58();
        // r = 4^((p-5)/8) so r^8 = 4^(p-5) = 4^-4.
        let r8 = r.square().square().square();
        let four_4 = four.square().square();
        assert_eq!(r8.mul(&four_4).to_bytes(), Fe::ONE.to_bytes());
        assert_eq!(four.mul(&four.invert()).to_bytes(), Fe::ONE.to_bytes());
        // 2^255 reduces to 19.
        let mut top = [0u8; 32];
        top[31] = 0x80;
        assert_eq!(
            Fe::from_bytes_wide(&top).to_bytes(),
            Fe::from_u64(19).to_bytes()
        );
    }
}
