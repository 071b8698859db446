//! Bonuses: base × coefficient, base × total, marginal sales commission, or
//! department pools shared to the cent.
//!
//! Per-person rules run in [`apply_bonus`]; pools need a whole department
//! and run in [`pool_bonuses`] after grading, in roster order.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Overflow, PersonResult, Scorecard, round};
use crate::input::Person;
use crate::plan::{Bonus, Plan, Tier};

/// How a bonus was reached, with its numbers (for explanations; `Debug`
/// in `print.rs`).
#[derive(Clone, PartialEq, Eq)]
pub enum BonusDetail {
    /// `base × coefficient(grade)`.
    Coefficient { base: Decimal, coefficient: Decimal },
    /// `base × min(total, cap) ÷ 100`.
    ScoreLinear {
        base: Decimal,
        total: Decimal,
        cap: Option<Decimal>,
        /// The total as counted: at most the cap, at least 0.
        counted: Decimal,
    },
    /// Marginal commission; `slices` is empty when there is no target.
    Commission {
        actual: Decimal,
        target: Option<Decimal>,
        slices: Vec<CommissionSlice>,
        /// Σ slice pay, before the cap.
        uncapped: Decimal,
        cap: Option<Decimal>,
    },
    /// A share of the department pool.
    Pool {
        department: String,
        /// The pool (rounded to cents) and whether the plan fixed it.
        pool: Decimal,
        fixed: bool,
        base: Decimal,
        coefficient: Decimal,
        /// base × coefficient, and its sum over the department.
        weight: Decimal,
        weight_sum: Decimal,
        /// pool × weight ÷ weight_sum, unrounded.
        exact: Decimal,
        /// `exact` rounded down to the money decimals.
        rounded_down: Decimal,
        /// The extra cent(s) given by the largest-remainder rule.
        extra: Decimal,
    },
}

/// One tier's slice of a commission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommissionSlice {
    /// Sales amounts bounding the slice (`to` None: no upper bound).
    pub from: Decimal,
    pub to: Option<Decimal>,
    /// The part of the sales in the slice.
    pub amount: Decimal,
    pub rate: Decimal,
    pub pay: Decimal,
}

/// Marginal commission: each slice of `actual` between two tier bounds
/// (`up_to × target`) is paid at its tier's rate. No target (0 or blank):
/// no slices, nothing paid. Sales of 0 or below pay nothing.
///
/// # Errors
/// [`Overflow`] beyond the decimal range.
pub fn commission(
    actual: Decimal,
    target: Option<Decimal>,
    tiers: &[Tier],
) -> Result<(Vec<CommissionSlice>, Decimal), Overflow> {
    let Some(target) = target.filter(|t| !t.is_zero()) else {
        return Ok((Vec::new(), Decimal::ZERO));
    };
    let mut slices = Vec::with_capacity(tiers.len());
    let mut from = Decimal::ZERO;
    let mut sum = Decimal::ZERO;
    for tier in tiers {
        let to = match tier.up_to {
            Some(u) => Some(u.checked_mul(target).ok_or(Overflow)?),
            None => None,
        };
        let top = to.map_or(actual, |t| actual.min(t));
        let amount = (top - from).max(Decimal::ZERO);
        let pay = amount.checked_mul(tier.rate).ok_or(Overflow)?;
        sum = sum.checked_add(pay).ok_or(Overflow)?;
        slices.push(CommissionSlice {
            from,
            to,
            amount,
            rate: tier.rate,
            pay,
        });
        if let Some(t) = to {
            from = t;
        }
    }
    Ok((slices, sum))
}

/// Applies a per-person bonus rule. For a pool it records the base and
/// coefficient only; [`pool_bonuses`] shares the pools.
///
/// # Errors
/// [`Overflow`] for a bonus beyond the decimal range.
pub fn apply_bonus(
    plan: &Plan,
    card: &mut Scorecard,
    values: &[Option<Decimal>],
) -> Result<(), Overflow> {
    let value = |ix: usize| values.get(ix).copied().flatten();
    let money = |v: Decimal| round(v, plan.rounding.money_decimals, plan.rounding.mode);
    let (unrounded, detail) = match &plan.bonus {
        Bonus::None => return Ok(()),
        Bonus::GradeCoefficient { base, coefficients } => {
            let base = value(*base).unwrap_or_default();
            let coefficient = coefficients.get(card.grade).copied().unwrap_or_default();
            card.bonus_base = Some(base);
            card.coefficient = Some(coefficient);
            (
                base.checked_mul(coefficient).ok_or(Overflow)?,
                BonusDetail::Coefficient { base, coefficient },
            )
        }
        Bonus::ScoreLinear { base, cap } => {
            let base = value(*base).unwrap_or_default();
            let counted = cap
                .map_or(card.total, |c| card.total.min(c))
                .max(Decimal::ZERO);
            card.bonus_base = Some(base);
            (
                base.checked_mul(counted).ok_or(Overflow)? / Decimal::ONE_HUNDRED,
                BonusDetail::ScoreLinear {
                    base,
                    total: card.total,
                    cap: *cap,
                    counted,
                },
            )
        }
        Bonus::TieredCommission {
            actual,
            target,
            tiers,
            cap,
        } => {
            let actual = value(*actual).unwrap_or_default();
            let target = value(*target);
            let (slices, uncapped) = commission(actual, target, tiers)?;
            let paid = cap.map_or(uncapped, |c| uncapped.min(c));
            (
                paid,
                BonusDetail::Commission {
                    actual,
                    target,
                    slices,
                    uncapped,
                    cap: *cap,
                },
            )
        }
        Bonus::Pool {
            base, coefficients, ..
        } => {
            card.bonus_base = Some(value(*base).unwrap_or_default());
            card.coefficient = Some(coefficients.get(card.grade).copied().unwrap_or_default());
            return Ok(());
        }
    };
    card.bonus_unrounded = Some(unrounded);
    card.bonus = Some(money(unrounded));
    card.bonus_detail = Some(detail);
    Ok(())
}

/// Shares `pool` in proportion to `weights`, rounded to `decimals` by the
/// largest-remainder method: everyone gets their exact share rounded down,
/// then the units left go one each to the largest remainders (ties: the
/// earlier key). The results sum to the pool exactly. All weights 0:
/// nothing is paid.
///
/// Returns (exact share, paid) for each weight.
///
/// # Errors
/// [`Overflow`] beyond the decimal range.
pub fn largest_remainder(
    pool: Decimal,
    weights: &[(&str, Decimal)],
    decimals: u32,
) -> Result<Vec<(Decimal, Decimal)>, Overflow> {
    let sum: Decimal = weights.iter().try_fold(Decimal::ZERO, |acc, (_, w)| {
        acc.checked_add(*w).ok_or(Overflow)
    })?;
    if sum.is_zero() {
        return Ok(weights
            .iter()
            .map(|_| (Decimal::ZERO, Decimal::ZERO))
            .collect());
    }
    let mut out = Vec::with_capacity(weights.len());
    for (_, w) in weights {
        let exact = pool
            .checked_mul(*w)
            .and_then(|x| x.checked_div(sum))
            .ok_or(Overflow)?;
        let down = exact.round_dp_with_strategy(decimals, RoundingStrategy::ToZero);
        out.push((exact, down));
    }
    let unit = Decimal::new(1, decimals);
    let paid: Decimal = out.iter().map(|(_, d)| *d).sum();
    let mut left = pool - paid;
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = out[a].0 - out[a].1;
        let rb = out[b].0 - out[b].1;
        rb.cmp(&ra).then_with(|| weights[a].0.cmp(weights[b].0))
    });
    for i in order.into_iter().cycle().take(weights.len() * 2) {
        if left < unit {
            break;
        }
        out[i].1 += unit;
        left -= unit;
    }
    for (_, paid) in &mut out {
        paid.rescale(decimals);
    }
    Ok(out)
}

/// The input column a bonus is computed from: the bonus base, or for a
/// commission the KPI's actual sales; named when the arithmetic overflows.
pub fn bonus_input(plan: &Plan) -> Option<crate::plan::ColumnIx> {
    match &plan.bonus {
        Bonus::None => None,
        Bonus::GradeCoefficient { base, .. }
        | Bonus::ScoreLinear { base, .. }
        | Bonus::Pool { base, .. } => Some(*base),
        Bonus::TieredCommission { actual, .. } => Some(*actual),
    }
}

/// A department pool beyond the decimal range; `result` is the index (into
/// the period's results) of the member with the largest bonus base, whose
/// base makes it so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolOverflow {
    pub result: usize,
}

/// Shares each department's pool among its scored people by base ×
/// coefficient. The pool is the plan's amount for the department, else the
/// sum of the bonus bases of its scored people.
///
/// # Errors
/// [`PoolOverflow`] naming the member whose base leaves the decimal range;
/// no bonus of that department is set then.
pub fn pool_bonuses(
    plan: &Plan,
    people: &[Person],
    results: &mut [PersonResult],
) -> Result<(), PoolOverflow> {
    let Bonus::Pool { pools, .. } = &plan.bonus else {
        return Ok(());
    };
    let mut departments: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate().filter(|(_, r)| r.card.is_some()) {
        departments
            .entry(people[r.person].department.as_str())
            .or_default()
            .push(i);
    }
    let decimals = plan.rounding.money_decimals;
    for (department, mut members) in departments {
        members.sort_by(|&a, &b| {
            people[results[a].person]
                .staff_id
                .cmp(&people[results[b].person].staff_id)
        });
        let base_of = |i: usize| {
            results[i]
                .card
                .as_ref()
                .and_then(|c| c.bonus_base)
                .unwrap_or_default()
        };
        // Whatever step overflows, the largest base is what made it.
        let culprit = PoolOverflow {
            result: members
                .iter()
                .copied()
                .max_by_key(|&i| base_of(i).abs())
                .unwrap_or_default(),
        };
        let mut weights = Vec::with_capacity(members.len());
        let mut bases = Decimal::ZERO;
        let mut weight_sum = Decimal::ZERO;
        for &i in &members {
            let card = results[i].card.as_ref().ok_or(culprit)?;
            let base = card.bonus_base.unwrap_or_default();
            let coefficient = card.coefficient.unwrap_or_default();
            bases = bases.checked_add(base).ok_or(culprit)?;
            let mut weight = base.checked_mul(coefficient).ok_or(culprit)?;
            // A joiner's or leaver's share weighs only the days employed.
            if let Some(pr) = card.proration.as_ref() {
                weight = pr.apply(weight).ok_or(culprit)?;
            }
            weight_sum = weight_sum.checked_add(weight).ok_or(culprit)?;
            weights.push((people[results[i].person].staff_id.as_str(), weight));
        }
        let fixed = pools.get(department).copied();
        let pool = round(fixed.unwrap_or(bases), decimals, plan.rounding.mode);
        let shares = largest_remainder(pool, &weights, decimals).map_err(|_| culprit)?;
        let weights: Vec<Decimal> = weights.iter().map(|(_, w)| *w).collect();
        for ((&i, (exact, paid)), weight) in members.iter().zip(shares).zip(weights) {
            if let Some(card) = results[i].card.as_mut() {
                let down = exact.round_dp_with_strategy(decimals, RoundingStrategy::ToZero);
                card.bonus = Some(paid);
                card.bonus_unrounded = Some(exact);
                card.bonus_detail = Some(BonusDetail::Pool {
                    department: department.to_owned(),
                    pool,
                    fixed: fixed.is_some(),
                    base: card.bonus_base.unwrap_or_default(),
                    coefficient: card.coefficient.unwrap_or_default(),
                    weight,
                    weight_sum,
                    exact,
                    rounded_down: down,
                    extra: paid - down,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn tiers() -> Vec<Tier> {
        vec![
            Tier {
                up_to: Some(d("1.0")),
                rate: d("0.02"),
            },
            Tier {
                up_to: Some(d("1.2")),
                rate: d("0.04"),
            },
            Tier {
                up_to: None,
                rate: d("0.06"),
            },
        ]
    }

    #[test]
    fn commission_pays_each_slice_at_its_rate() {
        // Target 500,000, sales 650,000:
        //   0 – 500,000        500,000 × 2 % = 10,000
        //   500,000 – 600,000  100,000 × 4 % =  4,000
        //   above 600,000       50,000 × 6 % =  3,000
        //   total                             17,000
        let (slices, sum) = commission(d("650000"), Some(d("500000")), &tiers()).unwrap();
        let pays: Vec<Decimal> = slices.iter().map(|s| s.pay.normalize()).collect();
        assert_eq!(pays, [d("10000"), d("4000"), d("3000")]);
        assert_eq!(sum.normalize(), d("17000"));
        // Below target: only the first slice. 90,000 of 200,000 → 1,800.
        let (_, sum) = commission(d("90000"), Some(d("200000")), &tiers()).unwrap();
        assert_eq!(sum.normalize(), d("1800"));
        // 112,500 of 100,000: 100,000 × 2 % + 12,500 × 4 % = 2,000 + 500.
        let (_, sum) = commission(d("112500"), Some(d("100000")), &tiers()).unwrap();
        assert_eq!(sum.normalize(), d("2500"));
        // Returns: nothing; no target: nothing.
        assert_eq!(
            commission(d("-5"), Some(d("100")), &tiers()).unwrap().1,
            Decimal::ZERO
        );
        assert!(
            commission(d("5"), Some(Decimal::ZERO), &tiers())
                .unwrap()
                .0
                .is_empty()
        );
    }

    #[test]
    fn largest_remainder_sums_to_the_pool_exactly() {
        // 100.00 in three equal shares: 33.333… each; one cent left, all
        // remainders equal: it goes to the first key, "a".
        let w = [("b", d("1")), ("a", d("1")), ("c", d("1"))];
        let paid: Vec<String> = largest_remainder(d("100.00"), &w, 2)
            .unwrap()
            .iter()
            .map(|(_, p)| p.to_string())
            .collect();
        assert_eq!(paid, ["33.33", "33.34", "33.33"]);
        // 10.00 by 1 : 2 : 3 → 1.666…, 3.333…, 5 → 1.66, 3.33, 5.00 with
        // 0.01 left; remainders .00666…, .00333…, 0 → the first gets it.
        let w = [("x", d("1")), ("y", d("2")), ("z", d("3"))];
        let paid: Vec<String> = largest_remainder(d("10.00"), &w, 2)
            .unwrap()
            .iter()
            .map(|(_, p)| p.to_string())
            .collect();
        assert_eq!(paid, ["1.67", "3.33", "5.00"]);
        // All weights 0: nothing paid.
        let w = [("x", d("0"))];
        assert_eq!(
            largest_remainder(d("10"), &w, 2).unwrap()[0].1,
            Decimal::ZERO
        );
    }

    #[test]
    fn largest_remainder_property_many_pools() {
        let mut rng = 12345u64;
        let mut next = || {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            rng >> 33
        };
        for _ in 0..200 {
            let n = (next() % 12 + 1) as usize;
            let ids: Vec<String> = (0..n).map(|i| format!("S{i:03}")).collect();
            let w: Vec<(&str, Decimal)> = ids
                .iter()
                .map(|id| (id.as_str(), Decimal::new((next() % 2_000_000) as i64, 2)))
                .collect();
            let pool = Decimal::new((next() % 100_000_000) as i64, 2);
            let shares = largest_remainder(pool, &w, 2).unwrap();
            let sum: Decimal = shares.iter().map(|(_, p)| *p).sum();
            if w.iter().any(|(_, x)| !x.is_zero()) {
                assert_eq!(sum, pool);
            }
            for (exact, paid) in shares {
                assert!((exact - paid).abs() < d("0.01"));
            }
        }
    }
}
