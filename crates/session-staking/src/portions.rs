//! Portions: oxend's fixed-point fractions of a stake (`STAKING_PORTIONS` = "100 %"), their
//! conversion to and from atomic amounts, and the operator-fee units.
//!
//! Every conversion multiplies into 128 bits before dividing, exactly like oxend's
//! `mul128`/`div128_64`, so no precision is lost to overflow.

/// The whole of a stake in portions: `0xfffffffffffffffc`, divisible by 2, 3 and 4.
pub const STAKING_PORTIONS: u64 = 0xffff_ffff_ffff_fffc;

/// Operator fees of HF19+ registrations are in basis points of this (100 %).
pub const STAKING_FEE_BASIS: u64 = 10_000;

/// The operator's minimum share of a portions-based registration: a quarter.
pub const MINIMUM_OPERATOR_PORTION: u64 = STAKING_PORTIONS / 4;

/// The operator's minimum stake for amount-based registrations: a quarter of the requirement.
#[must_use]
pub const fn minimum_operator_contribution(staking_requirement: u64) -> u64 {
    staking_requirement / 4
}

/// `⌊a·b / c⌋` with a 128-bit intermediate (`mul128_div64`); `None` when `c` is zero or the
/// quotient does not fit 64 bits.
#[must_use]
pub const fn mul_div_floor(a: u64, b: u64, c: u64) -> Option<u64> {
    if c == 0 {
        return None;
    }
    let q = (a as u128 * b as u128) / c as u128;
    if q > u64::MAX as u128 {
        None
    } else {
        Some(q as u64)
    }
}

/// The atomic amount that `portions` of `staking_requirement` stand for, rounded down
/// (`portions_to_amount`).
///
/// ```
/// use session_staking::{portions::portions_to_amount, STAKING_PORTIONS};
/// assert_eq!(portions_to_amount(STAKING_PORTIONS / 2, 15_000_000_000_000), 7_500_000_000_000);
/// ```
#[must_use]
pub const fn portions_to_amount(portions: u64, staking_requirement: u64) -> u64 {
    // S > 0, and the quotient is at most max(portions, requirement)·(2^64/S) ≈ fits: for
    // portions <= S it is <= requirement; above S it can exceed u64 only for absurd inputs,
    // where the saturated value still rejects everything downstream.
    match mul_div_floor(staking_requirement, portions, STAKING_PORTIONS) {
        Some(amount) => amount,
        None => u64::MAX,
    }
}

/// The fewest portions whose amount reaches `amount`: `⌈amount·S / requirement⌉`
/// (`get_portions_to_make_amount`). `None` when `staking_requirement` is zero or the result
/// does not fit 64 bits (only when `amount` exceeds the requirement).
///
/// ```
/// use session_staking::{portions::amount_to_portions, STAKING_PORTIONS};
/// assert_eq!(amount_to_portions(25, 100), Some(STAKING_PORTIONS / 4));
/// assert_eq!(amount_to_portions(1, 15_000_000_000_000), Some(1_229_783));
/// ```
#[must_use]
pub const fn amount_to_portions(amount: u64, staking_requirement: u64) -> Option<u64> {
    if staking_requirement == 0 {
        return None;
    }
    let numerator = amount as u128 * STAKING_PORTIONS as u128 + (staking_requirement as u128 - 1);
    let q = numerator / staking_requirement as u128;
    if q > u64::MAX as u128 {
        None
    } else {
        Some(q as u64)
    }
}

/// The share of `total` that `portions` stand for, rounded down (`get_portion_of_reward`).
///
/// ```
/// use session_staking::{portions::portion_of_reward, STAKING_PORTIONS};
/// assert_eq!(portion_of_reward(STAKING_PORTIONS / 2, 1_000_000_000), 500_000_000);
/// ```
#[must_use]
pub const fn portion_of_reward(portions: u64, total: u64) -> u64 {
    match mul_div_floor(total, portions, STAKING_PORTIONS) {
        Some(v) => v,
        None => u64::MAX,
    }
}

/// An HF19+ fee in basis points as portions, the unit reward splitting works in
/// (`mul128_div64(fee, S, 10000)`, rounded down). Fees above 100 % give `None`.
///
/// ```
/// use session_staking::{portions::fee_basis_points_to_portions, STAKING_PORTIONS};
/// assert_eq!(fee_basis_points_to_portions(10_000), Some(STAKING_PORTIONS));
/// assert_eq!(fee_basis_points_to_portions(2_500), Some(STAKING_PORTIONS / 4));
/// ```
#[must_use]
pub const fn fee_basis_points_to_portions(basis_points: u64) -> Option<u64> {
    if basis_points > STAKING_FEE_BASIS {
        return None;
    }
    mul_div_floor(basis_points, STAKING_PORTIONS, STAKING_FEE_BASIS)
}

/// A pre-HF19 fee in portions as basis points, rounded to nearest (ties up) so that
/// converting a basis-point fee to portions and back gives it again. Fees above 100 % give
/// `None`.
///
/// ```
/// use session_staking::{portions::fee_basis_points_to_portions, portions::fee_portions_to_basis_points};
/// for bp in [0, 1, 333, 5_000, 9_999, 10_000] {
///     let portions = fee_basis_points_to_portions(bp).unwrap();
///     assert_eq!(fee_portions_to_basis_points(portions), Some(bp));
/// }
/// ```
#[must_use]
pub const fn fee_portions_to_basis_points(portions: u64) -> Option<u64> {
    if portions > STAKING_PORTIONS {
        return None;
    }
    let scaled = portions as u128 * STAKING_FEE_BASIS as u128 + (STAKING_PORTIONS as u128 / 2);
    Some((scaled / STAKING_PORTIONS as u128) as u64)
}

/// A fee percentage (0–100) as basis points, as oxend's wallet converts a `"12.5%"` argument:
/// `lround(percent/100 · 10000)`, with exactly 100 % mapped to 10000.
///
/// ```
/// use session_staking::portions::fee_percent_to_basis_points;
/// assert_eq!(fee_percent_to_basis_points(12.5), Some(1_250));
/// assert_eq!(fee_percent_to_basis_points(0.005), Some(1));
/// assert_eq!(fee_percent_to_basis_points(100.5), None);
/// ```
#[must_use]
pub fn fee_percent_to_basis_points(percent: f64) -> Option<u16> {
    if !(0.0..=100.0).contains(&percent) {
        return None;
    }
    if percent == 100.0 {
        return Some(STAKING_FEE_BASIS as u16);
    }
    let bp = crate::exp2::round_half_away(percent / 100.0 * STAKING_FEE_BASIS as f64);
    // 0 <= bp <= 10000.
    Some(bp as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisibility() {
        assert_eq!(STAKING_PORTIONS % 12, 0);
        assert_eq!(MINIMUM_OPERATOR_PORTION * 4, STAKING_PORTIONS);
    }

    #[test]
    fn conversions_edge_cases() {
        assert_eq!(mul_div_floor(1, 1, 0), None);
        assert_eq!(mul_div_floor(u64::MAX, u64::MAX, 1), None);
        assert_eq!(mul_div_floor(u64::MAX, u64::MAX, u64::MAX), Some(u64::MAX));
        assert_eq!(amount_to_portions(1, 0), None);
        assert_eq!(amount_to_portions(0, 5), Some(0));
        assert_eq!(amount_to_portions(u64::MAX, 1), None);
        assert_eq!(
            amount_to_portions(u64::MAX, STAKING_PORTIONS),
            Some(u64::MAX)
        );
        assert_eq!(portions_to_amount(STAKING_PORTIONS, 77), 77);
        assert_eq!(portions_to_amount(u64::MAX, u64::MAX), u64::MAX);
        assert_eq!(fee_basis_points_to_portions(10_001), None);
        assert_eq!(fee_portions_to_basis_points(STAKING_PORTIONS + 1), None);
        assert_eq!(fee_percent_to_basis_points(-0.1), None);
        assert_eq!(fee_percent_to_basis_points(f64::NAN), None);
        assert_eq!(fee_percent_to_basis_points(100.0), Some(10_000));
    }
}
