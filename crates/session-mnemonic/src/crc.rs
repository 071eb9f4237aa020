//! A table-driven CRC-32 (zlib / ISO-HDLC) on the raw register, plus the "advance over zero
//! bytes" operator, so the repair search can treat the checksum algebraically.
//!
//! The reflected CRC register update is linear over GF(2): the register after `A ‖ B` is
//! `shift_{|B|}(register after A) ⊕ register(0, B)`, where `shift_m` runs `m` zero bytes
//! through the register. The search fixes everything but one word, so per candidate it only
//! runs the candidate's few prefix bytes and applies a precomputed `shift` (four table
//! lookups) instead of re-hashing the rest of the phrase.

/// Reflected polynomial of the standard CRC-32.
const POLY: u32 = 0xEDB8_8320;

/// Register value before any byte (and the final XOR).
pub(crate) const INIT: u32 = 0xFFFF_FFFF;

// Evaluated at compile time: an out-of-range index would fail the build, not panic at run time.
#[allow(clippy::indexing_slicing)]
const fn byte_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut value = i as u32;
        let mut bit = 0;
        while bit < 8 {
            value = if value & 1 == 1 {
                (value >> 1) ^ POLY
            } else {
                value >> 1
            };
            bit += 1;
        }
        table[i] = value;
        i += 1;
    }
    table
}

static TABLE: [u32; 256] = byte_table();

#[inline]
fn step(register: u32, byte: u8) -> u32 {
    let at = usize::from((register as u8) ^ byte);
    // `at` < 256: the lookup cannot miss.
    TABLE.get(at).copied().unwrap_or(0) ^ (register >> 8)
}

/// Runs `bytes` through the raw register (no initial or final XOR).
#[inline]
pub(crate) fn update(register: u32, bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(register, |register, &byte| step(register, byte))
}

/// The CRC-32 of the concatenation of some byte strings.
#[cfg(test)]
pub(crate) fn checksum(parts: &[&[u8]]) -> u32 {
    !parts
        .iter()
        .fold(INIT, |register, part| update(register, part))
}

/// The images of the 32 unit registers after `zero_bytes` zero bytes: the operator's matrix.
///
/// Short runs are stepped directly (32 × m table steps); long ones use binary exponentiation
/// of the one-byte operator (about 2 log₂ m compositions of 32 × 32), so a phrase of any
/// accepted length costs microseconds.
fn shift_columns(zero_bytes: usize) -> [u32; 32] {
    const DIRECT_UP_TO: usize = 64;
    let mut columns = [0u32; 32];
    if zero_bytes <= DIRECT_UP_TO {
        for (bit, column) in columns.iter_mut().enumerate() {
            let mut register = 1u32 << bit;
            for _ in 0..zero_bytes {
                register = step(register, 0);
            }
            *column = register;
        }
        return columns;
    }
    let mut power = [0u32; 32];
    for (bit, (column, one_byte)) in columns.iter_mut().zip(power.iter_mut()).enumerate() {
        *column = 1u32 << bit;
        *one_byte = step(1u32 << bit, 0);
    }
    let mut remaining = zero_bytes;
    while remaining > 0 {
        if remaining & 1 == 1 {
            columns = compose(&power, &columns);
        }
        power = compose(&power, &power);
        remaining >>= 1;
    }
    columns
}

/// Applies the operator with matrix `columns` to `register`.
fn apply_columns(columns: &[u32; 32], register: u32) -> u32 {
    columns
        .iter()
        .enumerate()
        .filter(|&(bit, _)| register >> bit & 1 == 1)
        .fold(0, |acc, (_, column)| acc ^ column)
}

/// The matrix of `outer ∘ inner`.
fn compose(outer: &[u32; 32], inner: &[u32; 32]) -> [u32; 32] {
    let mut out = [0u32; 32];
    for (slot, &column) in out.iter_mut().zip(inner) {
        *slot = apply_columns(outer, column);
    }
    out
}

/// `register ↦ register after m zero bytes`, as four byte-indexed tables.
pub(crate) struct ZeroShift {
    tables: [[u32; 256]; 4],
}

impl ZeroShift {
    /// The operator for `zero_bytes` zero bytes.
    pub(crate) fn new(zero_bytes: usize) -> Self {
        let columns = shift_columns(zero_bytes);
        let mut tables = [[0u32; 256]; 4];
        for (lane, table) in tables.iter_mut().enumerate() {
            // table[b] = XOR of the columns of b's set bits, built from b with its lowest bit
            // cleared.
            for b in 1..256usize {
                let low = b.trailing_zeros() as usize;
                let rest = table.get(b & (b - 1)).copied().unwrap_or(0);
                let column = columns.get(lane * 8 + low).copied().unwrap_or(0);
                if let Some(slot) = table.get_mut(b) {
                    *slot = rest ^ column;
                }
            }
        }
        Self { tables }
    }

    /// The register after the zero bytes.
    #[inline]
    pub(crate) fn apply(&self, register: u32) -> u32 {
        let [t0, t1, t2, t3] = &self.tables;
        let [b0, b1, b2, b3] = register.to_le_bytes();
        let look =
            |table: &[u32; 256], byte: u8| table.get(usize::from(byte)).copied().unwrap_or(0);
        look(t0, b0) ^ look(t1, b1) ^ look(t2, b2) ^ look(t3, b3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_crc() {
        assert_eq!(checksum(&[b"123456789"]), 0xCBF4_3926);
        assert_eq!(checksum(&[b"1234", b"", b"56789"]), 0xCBF4_3926);
        let data: alloc::vec::Vec<u8> = (0..300u32).map(|i| (i * 7 + 3) as u8).collect();
        assert_eq!(checksum(&[&data]), crc32fast::hash(&data));
    }

    #[test]
    fn long_shifts_by_squaring_match_stepping() {
        for zero_bytes in [65usize, 100, 1000, 12_345] {
            let shift = ZeroShift::new(zero_bytes);
            for register in [1u32, 0x8000_0000, 0xdead_beef, INIT] {
                let stepped = update(register, &alloc::vec![0u8; zero_bytes]);
                assert_eq!(shift.apply(register), stepped, "{zero_bytes}");
            }
        }
    }

    #[test]
    fn splitting_by_linearity() {
        let a = b"puflux";
        let c = b"ann";
        let b: alloc::vec::Vec<u8> = (0..77u8).map(|i| i.wrapping_mul(31)).collect();
        for suffix_len in [0, 1, 5, 77] {
            let suffix = &b[..suffix_len];
            let direct = checksum(&[a, c, suffix]);
            let before = update(INIT, a);
            let shift = ZeroShift::new(suffix_len);
            let tail = update(0, suffix);
            let split = !(shift.apply(update(before, c)) ^ tail);
            assert_eq!(split, direct, "{suffix_len}");
        }
    }
}
