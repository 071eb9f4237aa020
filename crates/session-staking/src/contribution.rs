//! Contribution rules: the minimum and maximum a contributor may stake, and the checks a
//! registration's reserved shares must pass (`check_service_node_portions`,
//! `check_service_node_stakes`, `validate_registration`).
//!
//! Every rejection is a [`ConsensusError`] naming the rule, the contributor index and the numbers.

use alloc::vec::Vec;

use crate::crypto::PublicKey;
use crate::error::{ConsensusError, Result};
use crate::hardfork::HardFork;
use crate::portions::{
    STAKING_FEE_BASIS, STAKING_PORTIONS, amount_to_portions, fee_basis_points_to_portions,
    minimum_operator_contribution, mul_div_floor,
};

/// Most contributors (operator included) a node may have before HF19.
pub const MAX_CONTRIBUTORS_V1: usize = 4;
/// Most contributors (operator included) from HF19.
pub const MAX_CONTRIBUTORS_HF19: usize = 10;

/// Over-staking limit from HF16: a contribution may exceed what is still open by at most 1 %.
const MAX_STAKE_NUMERATOR: u64 = 101;
const MAX_STAKE_DENOMINATOR: u64 = 100;

/// Most contributors allowed under `hf`.
#[must_use]
pub const fn max_contributors(hf: HardFork) -> usize {
    if (hf as u8) >= (HardFork::Hf19 as u8) {
        MAX_CONTRIBUTORS_HF19
    } else {
        MAX_CONTRIBUTORS_V1
    }
}

/// The smallest contribution the `contributor_count`-th contributor may make, in the units of
/// `staking_requirement` (`get_min_node_contribution`); `None` when every slot is taken.
///
/// - before HF11: `min(requirement − reserved, requirement / 4)`;
/// - HF11 on: what is still open divided evenly among the slots left (4, or 10 from HF19);
/// - HF21 on: 1 (the contract enforces the rest).
///
/// oxend computes `requirement − reserved` in unsigned arithmetic; a `reserved` above the
/// requirement (which no valid state has) wraps around here exactly as it does there.
///
/// ```
/// use session_staking::{contribution::min_node_contribution, HardFork, COIN};
/// let req = 15_000 * COIN;
/// assert_eq!(min_node_contribution(HardFork::Hf19, req, 0, 0), Some(1_500 * COIN));
/// assert_eq!(min_node_contribution(HardFork::Hf16, req, 0, 4), None);
/// ```
#[must_use]
pub const fn min_node_contribution(
    hf: HardFork,
    staking_requirement: u64,
    total_reserved: u64,
    contributor_count: usize,
) -> Option<u64> {
    let needed = staking_requirement.wrapping_sub(total_reserved);
    if (hf as u8) < (HardFork::Hf11 as u8) {
        let quarter = staking_requirement / MAX_CONTRIBUTORS_V1 as u64;
        return Some(if needed < quarter { needed } else { quarter });
    }
    let max = max_contributors(hf);
    if contributor_count >= max {
        return None;
    }
    if (hf as u8) >= (HardFork::Hf21 as u8) {
        return Some(1);
    }
    // max - contributor_count is in 1..=10.
    Some(needed / (max - contributor_count) as u64)
}

/// [`min_node_contribution`] in portions: `⌈minimum·S / requirement⌉`
/// (`get_min_node_contribution_in_portions`); `None` when no slot is left or the requirement
/// is zero.
#[must_use]
pub const fn min_node_contribution_in_portions(
    hf: HardFork,
    staking_requirement: u64,
    total_reserved: u64,
    contributor_count: usize,
) -> Option<u64> {
    match min_node_contribution(hf, staking_requirement, total_reserved, contributor_count) {
        Some(amount) => amount_to_portions(amount, staking_requirement),
        None => None,
    }
}

/// The largest contribution accepted while `total_reserved` is already spoken for
/// (`get_max_node_contribution`): from HF16, 101 % of what is still open (so two competing
/// stakes cannot both land); before HF16, unlimited (`u64::MAX`).
///
/// The product is computed in 64 bits, wrapping like oxend's; it only wraps for requirements
/// above 1.8·10^17 atomic units, far beyond any real one.
///
/// ```
/// use session_staking::{contribution::max_node_contribution, HardFork};
/// assert_eq!(max_node_contribution(HardFork::Hf16, 1_000, 500), 505);
/// assert_eq!(max_node_contribution(HardFork::Hf15, 1_000, 500), u64::MAX);
/// ```
#[must_use]
pub const fn max_node_contribution(
    hf: HardFork,
    staking_requirement: u64,
    total_reserved: u64,
) -> u64 {
    if (hf as u8) >= (HardFork::Hf16 as u8) {
        staking_requirement
            .wrapping_sub(total_reserved)
            .wrapping_mul(MAX_STAKE_NUMERATOR)
            / MAX_STAKE_DENOMINATOR
    } else {
        u64::MAX
    }
}

/// Checks the reserved portions of a pre-HF19 registration (`check_service_node_portions`).
///
/// HF19 applies the HF18 rules (only registrations signed before HF19 carry portions); from
/// HF20 portions are refused. At most 4 entries; walking them in order, each must be at least
/// the minimum contribution for its slot (with the requirement taken as `S`) and at most what
/// is still unreserved, so an accepted list never sums past [`STAKING_PORTIONS`].
///
/// ```
/// use session_staking::{check_portions, ConsensusError, HardFork, STAKING_PORTIONS as S};
/// assert!(check_portions(HardFork::Hf11, &[S / 2, S / 6, S / 6, S / 6]).is_ok());
/// assert!(matches!(
///     check_portions(HardFork::Hf11, &[S / 10 - 1, S - (S / 10 - 1)]),
///     Err(ConsensusError::PortionBelowMinimum { index: 0, .. })
/// ));
/// ```
pub fn check_portions(hf: HardFork, portions: &[u64]) -> Result<(), ConsensusError> {
    let hf = match hf {
        HardFork::Hf19 => HardFork::Hf18,
        later if later > HardFork::Hf19 => {
            return Err(ConsensusError::PortionsNotAllowed {
                hard_fork: hf.version(),
            });
        }
        earlier => earlier,
    };
    if portions.len() > MAX_CONTRIBUTORS_V1 {
        return Err(ConsensusError::TooManyContributors {
            count: portions.len(),
            max: MAX_CONTRIBUTORS_V1,
        });
    }
    let mut reserved = 0u64;
    let mut remaining = STAKING_PORTIONS;
    for (index, &share) in portions.iter().enumerate() {
        // At most 4 entries, so a slot is always free.
        let minimum =
            min_node_contribution(hf, STAKING_PORTIONS, reserved, index).unwrap_or(u64::MAX);
        if share < minimum {
            return Err(ConsensusError::PortionBelowMinimum {
                index,
                portions: share,
                minimum,
            });
        }
        if share > remaining {
            return Err(ConsensusError::PortionExceedsRemaining {
                index,
                portions: share,
                remaining,
            });
        }
        reserved += share;
        remaining -= share;
    }
    Ok(())
}

/// Checks the reserved amounts of an HF19+ registration (`check_service_node_stakes`).
///
/// At most 10 entries; the operator (entry 0) must stake at least a quarter of the
/// requirement, every other entry at least the minimum for its slot, and no entry more than
/// is still open. From HF21 the entries must add up to exactly the requirement.
///
/// ```
/// use session_staking::{check_stakes, ConsensusError, HardFork, COIN};
/// let req = 15_000 * COIN;
/// assert!(check_stakes(HardFork::Hf19, req, &[3_750 * COIN, 11_250 * COIN]).is_ok());
/// assert_eq!(
///     check_stakes(HardFork::Hf19, req, &[3_750 * COIN, 1_000 * COIN]),
///     Err(ConsensusError::StakeBelowMinimum { index: 1, amount: 1_000 * COIN, minimum: 1_250 * COIN })
/// );
/// ```
pub fn check_stakes(
    hf: HardFork,
    staking_requirement: u64,
    stakes: &[u64],
) -> Result<(), ConsensusError> {
    if hf < HardFork::Hf19 {
        return Err(ConsensusError::AmountsNotAllowed {
            hard_fork: hf.version(),
        });
    }
    if stakes.len() > MAX_CONTRIBUTORS_HF19 {
        return Err(ConsensusError::TooManyContributors {
            count: stakes.len(),
            max: MAX_CONTRIBUTORS_HF19,
        });
    }
    let mut reserved = 0u64;
    let mut remaining = staking_requirement;
    for (index, &amount) in stakes.iter().enumerate() {
        let minimum = if index == 0 {
            minimum_operator_contribution(staking_requirement)
        } else {
            min_node_contribution(hf, staking_requirement, reserved, index).unwrap_or(u64::MAX)
        };
        if amount < minimum {
            return Err(ConsensusError::StakeBelowMinimum {
                index,
                amount,
                minimum,
            });
        }
        if amount > remaining {
            return Err(ConsensusError::StakeExceedsRemaining {
                index,
                amount,
                remaining,
            });
        }
        reserved += amount;
        remaining -= amount;
    }
    if hf >= HardFork::Hf21 && remaining != 0 {
        return Err(ConsensusError::StakesDoNotFillRequirement {
            total: reserved,
            requirement: staking_requirement,
        });
    }
    Ok(())
}

/// A contributor's wallet address: its public spend and view keys (tx_extra tag 0x70/0x73).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContributorAddress {
    /// Public spend key.
    pub spend: PublicKey,
    /// Public view key.
    pub view: PublicKey,
}

/// One reserved slot of a registration: who, and how much (portions before HF19, atomic
/// units from HF19).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    /// The contributor. Index 0 of a registration is the operator.
    pub address: ContributorAddress,
    /// Portions of [`STAKING_PORTIONS`], or an atomic amount (see [`RegistrationTerms`]).
    pub amount: u64,
}

/// The economic terms of a registration (tx_extra tag 0x70), independent of how they were
/// parsed or signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationTerms {
    /// Reserved slots, operator first.
    pub reserved: Vec<Reservation>,
    /// Operator fee: portions of [`STAKING_PORTIONS`] before HF19, basis points of
    /// [`STAKING_FEE_BASIS`] from HF19.
    pub fee: u64,
    /// Above 255: a unix expiry time, and the registration uses portions (pre-HF19 format).
    /// At most 255: the hard-fork version it was made for, and it uses atomic amounts.
    pub hf_or_expiration: u64,
}

impl RegistrationTerms {
    /// Whether the reserved amounts and fee are in portions (the pre-HF19 format).
    #[must_use]
    pub fn uses_portions(&self) -> bool {
        self.hf_or_expiration > 255
    }

    /// The operator's fee in portions (an HF19 fee in basis points is converted, rounding
    /// down); `None` for a fee above 100 %.
    #[must_use]
    pub fn operator_fee_portions(&self) -> Option<u64> {
        if self.uses_portions() {
            (self.fee <= STAKING_PORTIONS).then_some(self.fee)
        } else {
            fee_basis_points_to_portions(self.fee)
        }
    }

    /// The atomic amount each slot reserves: portions are converted with
    /// `⌊portions·requirement / S⌋`.
    #[must_use]
    pub fn reserved_amounts(&self, staking_requirement: u64) -> Vec<u64> {
        self.reserved
            .iter()
            .map(|r| {
                if self.uses_portions() {
                    mul_div_floor(r.amount, staking_requirement, STAKING_PORTIONS)
                        .unwrap_or(u64::MAX)
                } else {
                    r.amount
                }
            })
            .collect()
    }

    /// Checks the terms against the rules of the block that includes them
    /// (`validate_registration` plus the duplicate-address rule), in oxend's order: format
    /// for the hard fork, contributor count, portions or stakes, fee, expiry, duplicates.
    ///
    /// From HF20 OXEN registrations are refused outright ([`ConsensusError::RegistrationsClosed`]).
    ///
    /// ```
    /// use session_staking::{
    ///     ContributorAddress, ConsensusError, HardFork, RegistrationTerms, Reservation, COIN,
    /// };
    /// # use session_staking::crypto::PublicKey;
    /// let operator = ContributorAddress { spend: PublicKey([1; 32]), view: PublicKey([2; 32]) };
    /// let terms = RegistrationTerms {
    ///     reserved: vec![Reservation { address: operator, amount: 15_000 * COIN }],
    ///     fee: 10_000,
    ///     hf_or_expiration: 19,
    /// };
    /// assert!(terms.validate(HardFork::Hf19, 15_000 * COIN, 1_700_000_000).is_ok());
    /// assert_eq!(
    ///     terms.validate(HardFork::Hf18, 15_000 * COIN, 1_700_000_000),
    ///     Err(ConsensusError::WrongRegistrationHardFork { registration: 19, block: 18 })
    /// );
    /// ```
    pub fn validate(
        &self,
        hf: HardFork,
        staking_requirement: u64,
        block_timestamp: u64,
    ) -> Result<(), ConsensusError> {
        if hf >= HardFork::Hf20 {
            return Err(ConsensusError::RegistrationsClosed {
                hard_fork: hf.version(),
            });
        }
        if self.uses_portions() {
            if hf >= HardFork::Hf19 {
                return Err(ConsensusError::PortionsNotAllowed {
                    hard_fork: hf.version(),
                });
            }
        } else if hf < HardFork::Hf19 || self.hf_or_expiration != u64::from(hf.version()) {
            return Err(ConsensusError::WrongRegistrationHardFork {
                registration: self.hf_or_expiration,
                block: hf.version(),
            });
        }
        if self.reserved.is_empty() {
            return Err(ConsensusError::NoOperator);
        }
        let max = max_contributors(hf);
        if self.reserved.len() > max {
            return Err(ConsensusError::TooManyContributors {
                count: self.reserved.len(),
                max,
            });
        }
        let amounts: Vec<u64> = self.reserved.iter().map(|r| r.amount).collect();
        let fee_max = if self.uses_portions() {
            check_portions(hf, &amounts)?;
            STAKING_PORTIONS
        } else {
            check_stakes(hf, staking_requirement, &amounts)?;
            STAKING_FEE_BASIS
        };
        if self.fee > fee_max {
            return Err(ConsensusError::FeeTooHigh {
                fee: self.fee,
                max: fee_max,
            });
        }
        if self.uses_portions() && self.hf_or_expiration < block_timestamp {
            return Err(ConsensusError::RegistrationExpired {
                expiration: self.hf_or_expiration,
                block_timestamp,
            });
        }
        for (first, a) in self.reserved.iter().enumerate() {
            if let Some(offset) = self
                .reserved
                .iter()
                .skip(first + 1)
                .position(|b| b.address == a.address)
            {
                return Err(ConsensusError::DuplicateContributor {
                    first,
                    second: first + 1 + offset,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const S: u64 = STAKING_PORTIONS;

    fn addr(b: u8) -> ContributorAddress {
        ContributorAddress {
            spend: PublicKey([b; 32]),
            view: PublicKey([b; 32]),
        }
    }

    #[test]
    fn portion_rules_name_the_failure() {
        assert_eq!(
            check_portions(HardFork::Hf20, &[S]),
            Err(ConsensusError::PortionsNotAllowed { hard_fork: 20 })
        );
        assert_eq!(
            check_portions(HardFork::Hf11, &[S / 4; 5]),
            Err(ConsensusError::TooManyContributors { count: 5, max: 4 })
        );
        assert_eq!(
            check_portions(HardFork::Hf9, &[0, S]),
            Err(ConsensusError::PortionBelowMinimum {
                index: 0,
                portions: 0,
                minimum: S / 4
            })
        );
        assert_eq!(
            check_portions(HardFork::Hf11, &[S / 2, S / 2 + 4]),
            Err(ConsensusError::PortionExceedsRemaining {
                index: 1,
                portions: S / 2 + 4,
                remaining: S / 2
            })
        );
        assert!(check_portions(HardFork::Hf19, &[S]).is_ok());
        assert!(check_portions(HardFork::Hf11, &[]).is_ok());
    }

    #[test]
    fn stake_rules_name_the_failure() {
        assert_eq!(
            check_stakes(HardFork::Hf18, 100, &[100]),
            Err(ConsensusError::AmountsNotAllowed { hard_fork: 18 })
        );
        assert_eq!(
            check_stakes(HardFork::Hf19, 100, &[24, 76]),
            Err(ConsensusError::StakeBelowMinimum {
                index: 0,
                amount: 24,
                minimum: 25
            })
        );
        assert_eq!(
            check_stakes(HardFork::Hf19, 100, &[90, 11]),
            Err(ConsensusError::StakeExceedsRemaining {
                index: 1,
                amount: 11,
                remaining: 10
            })
        );
        // Exactly 10 stakes fit; an 11th is refused by count even when it would fit by amount.
        let ten = vec![1_000, 333, 333, 333, 333, 333, 333, 334, 334, 334];
        assert!(check_stakes(HardFork::Hf19, 4_000, &ten).is_ok());
        let mut eleven = ten.clone();
        eleven.push(0);
        assert_eq!(
            check_stakes(HardFork::Hf19, 4_000, &eleven),
            Err(ConsensusError::TooManyContributors { count: 11, max: 10 })
        );
        assert_eq!(
            check_stakes(HardFork::Hf21, 100, &[50]),
            Err(ConsensusError::StakesDoNotFillRequirement {
                total: 50,
                requirement: 100
            })
        );
    }

    #[test]
    fn minimums_by_era() {
        assert_eq!(min_node_contribution(HardFork::Hf9, 100, 90, 3), Some(10));
        assert_eq!(min_node_contribution(HardFork::Hf9, 100, 0, 9), Some(25));
        assert_eq!(min_node_contribution(HardFork::Hf19, 100, 0, 10), None);
        assert_eq!(min_node_contribution(HardFork::Hf21, 100, 0, 10), None);
        assert_eq!(
            min_node_contribution_in_portions(HardFork::Hf16, 100, 0, 4),
            None
        );
        assert_eq!(
            min_node_contribution_in_portions(HardFork::Hf16, 0, 0, 0),
            None
        );
    }

    #[test]
    fn registration_terms() {
        let t = |reserved: Vec<Reservation>, fee, hfe| RegistrationTerms {
            reserved,
            fee,
            hf_or_expiration: hfe,
        };
        let r = |b, amount| Reservation {
            address: addr(b),
            amount,
        };
        let now = 1_580_000_000;
        let portions = t(vec![r(1, S / 2), r(2, S / 2)], S / 10, now + 100);
        assert!(portions.validate(HardFork::Hf14, 100, now).is_ok());
        assert_eq!(portions.reserved_amounts(100), vec![50, 50]);
        assert_eq!(portions.operator_fee_portions(), Some(S / 10));
        assert_eq!(
            portions.validate(HardFork::Hf14, 100, now + 101),
            Err(ConsensusError::RegistrationExpired {
                expiration: now + 100,
                block_timestamp: now + 101
            })
        );
        assert_eq!(
            portions.validate(HardFork::Hf19, 100, now),
            Err(ConsensusError::PortionsNotAllowed { hard_fork: 19 })
        );
        assert_eq!(
            portions.validate(HardFork::Hf20, 100, now),
            Err(ConsensusError::RegistrationsClosed { hard_fork: 20 })
        );
        let dup = t(vec![r(1, S / 2), r(2, S / 4), r(1, S / 4)], 0, now + 1);
        assert_eq!(
            dup.validate(HardFork::Hf14, 100, now),
            Err(ConsensusError::DuplicateContributor {
                first: 0,
                second: 2
            })
        );
        let fee = t(vec![r(1, 100)], 10_001, 19);
        assert_eq!(
            fee.validate(HardFork::Hf19, 100, now),
            Err(ConsensusError::FeeTooHigh {
                fee: 10_001,
                max: 10_000
            })
        );
        assert_eq!(fee.operator_fee_portions(), None);
        assert_eq!(
            t(vec![], 0, 19).validate(HardFork::Hf19, 100, now),
            Err(ConsensusError::NoOperator)
        );
        // 255 is the last hard-fork value: amounts, not an expiry time.
        assert!(!t(vec![], 0, 255).uses_portions());
        assert!(t(vec![], 0, 256).uses_portions());
        let single = |hfe| t(vec![r(1, 100)], 0, hfe);
        assert_eq!(
            single(18).validate(HardFork::Hf19, 100, now),
            Err(ConsensusError::WrongRegistrationHardFork {
                registration: 18,
                block: 19
            })
        );
        assert_eq!(
            single(18).validate(HardFork::Hf18, 100, now),
            Err(ConsensusError::WrongRegistrationHardFork {
                registration: 18,
                block: 18
            })
        );
        // A portions registration is still valid in the second it expires.
        let expiring = t(vec![r(1, S)], 0, now);
        assert!(expiring.validate(HardFork::Hf18, 100, now).is_ok());
        // Ten contributors are allowed from HF19.
        let mut ten = vec![r(0, 1_000)];
        ten.extend(
            [333u64, 333, 333, 333, 333, 333, 334, 334, 334]
                .iter()
                .zip(1u8..)
                .map(|(&a, i)| r(i, a)),
        );
        assert!(t(ten, 0, 19).validate(HardFork::Hf19, 4_000, now).is_ok());
        let many = t((0..11).map(|i| r(i, 1)).collect(), 0, 19);
        assert_eq!(
            many.validate(HardFork::Hf19, 100, now),
            Err(ConsensusError::TooManyContributors { count: 11, max: 10 })
        );
    }

    #[test]
    fn contributor_limits_are_inclusive() {
        // Exactly 4 portions entries are allowed before HF19, a fifth is one too many.
        assert_eq!(
            check_portions(HardFork::Hf11, &[S / 4, S / 4, S / 4, S / 4]),
            Ok(())
        );
        assert_eq!(
            check_portions(HardFork::Hf11, &[S / 4, S / 4, S / 4, S / 4, 0]),
            Err(ConsensusError::TooManyContributors { count: 5, max: 4 })
        );
        // Exactly 10 stakes from HF19, an eleventh is one too many.
        let req = 15_000 * crate::COIN;
        let mut ten = [req / 12; 10];
        ten[0] = req / 4;
        assert_eq!(check_stakes(HardFork::Hf19, req, &ten), Ok(()));
        let mut eleven = ten.to_vec();
        eleven.push(0);
        assert_eq!(
            check_stakes(HardFork::Hf19, req, &eleven),
            Err(ConsensusError::TooManyContributors { count: 11, max: 10 })
        );
    }
}
