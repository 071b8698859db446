//! Splitting an amount into parts by weights, exactly: the largest-remainder
//! method in whole units. Each part gets the whole units of its exact quota
//! (`amount × weight ÷ total weight`, rounded down); the units left over go
//! one each to the parts with the largest remainders, ties to the smaller
//! key (staff ID, department name, month). The parts always sum to the
//! amount. All arithmetic is in integers (i128), never rounded on the way.

use rust_decimal::Decimal;

/// One part of a split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The exact quota in units, shown to 6 decimals (for the allocation
    /// sheet; the part itself never comes from it).
    pub quota: Decimal,
    /// The quota rounded down, in the amount's own scale.
    pub floor: Decimal,
    /// True when one leftover unit went to this part.
    pub extra: bool,
    /// The part: `floor`, plus one unit when `extra`.
    pub value: Decimal,
}

/// Why an amount could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("{amount} is not a whole number of units of {unit}")]
    NotWhole { amount: Decimal, unit: Decimal },
    #[error("{0} cannot be split: it is negative")]
    Negative(Decimal),
    #[error("{0} cannot be split: nobody (no weight) to split it over")]
    NoWeight(Decimal),
    #[error("a weight is negative")]
    NegativeWeight,
    #[error("the numbers are too large to split exactly")]
    Overflow,
}

/// Scales decimals to integers sharing one power of ten.
fn integers(values: &[Decimal]) -> Result<Vec<i128>, SplitError> {
    let scale = values.iter().map(Decimal::scale).max().unwrap_or(0);
    values
        .iter()
        .map(|v| {
            let mut m = v.mantissa();
            for _ in v.scale()..scale {
                m = m.checked_mul(10).ok_or(SplitError::Overflow)?;
            }
            Ok(m)
        })
        .collect()
}

/// Splits `amount` (a whole number of `unit`s, not negative) over
/// `weights` (not negative, at least one above 0), ties broken by `keys`
/// (which sort ascending; smaller key first).
///
/// # Errors
/// See [`SplitError`].
pub fn split<K: Ord>(
    amount: Decimal,
    unit: Decimal,
    weights: &[Decimal],
    keys: &[K],
) -> Result<Vec<Part>, SplitError> {
    if amount < Decimal::ZERO {
        return Err(SplitError::Negative(amount));
    }
    if unit <= Decimal::ZERO {
        return Err(SplitError::NotWhole { amount, unit });
    }
    let units = amount
        .checked_div(unit)
        .ok_or(SplitError::Overflow)?
        .normalize();
    if units.scale() != 0 {
        return Err(SplitError::NotWhole { amount, unit });
    }
    let n: i128 = units.mantissa();
    if weights.iter().any(|w| *w < Decimal::ZERO) {
        return Err(SplitError::NegativeWeight);
    }
    let w = integers(weights)?;
    let total: i128 = w
        .iter()
        .try_fold(0i128, |a, b| a.checked_add(*b))
        .ok_or(SplitError::Overflow)?;
    if total == 0 {
        if n == 0 {
            return Ok(weights
                .iter()
                .map(|_| Part {
                    quota: Decimal::ZERO,
                    floor: Decimal::ZERO,
                    extra: false,
                    value: Decimal::ZERO,
                })
                .collect());
        }
        return Err(SplitError::NoWeight(amount));
    }
    let mut floors = Vec::with_capacity(w.len());
    let mut rems = Vec::with_capacity(w.len());
    for wi in &w {
        let p = n.checked_mul(*wi).ok_or(SplitError::Overflow)?;
        floors.push(p / total);
        rems.push(p % total);
    }
    let given: i128 = floors.iter().sum();
    let left = usize::try_from(n - given).map_err(|_| SplitError::Overflow)?;
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_by(|&a, &b| rems[b].cmp(&rems[a]).then_with(|| keys[a].cmp(&keys[b])));
    let mut extra = vec![false; w.len()];
    for &i in order.iter().take(left) {
        extra[i] = true;
    }
    Ok((0..w.len())
        .map(|i| {
            let f = Decimal::from_i128_with_scale(floors[i], 0) * unit;
            let quota = Decimal::from_i128_with_scale(floors[i], 0)
                + Decimal::from_i128_with_scale(rems[i], 0)
                    .checked_div(Decimal::from_i128_with_scale(total, 0))
                    .unwrap_or_default();
            Part {
                quota: (quota * unit).round_dp(6).max(Decimal::ZERO),
                floor: f,
                extra: extra[i],
                value: if extra[i] { f + unit } else { f },
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn values(parts: &[Part]) -> Vec<String> {
        parts.iter().map(|p| p.value.to_string()).collect()
    }

    #[test]
    fn equal_split_gives_leftover_units_to_the_smallest_keys() {
        // 100 over 3: quotas 33.33 each; 1 unit left, to the first key.
        let parts = split(d("100"), d("1"), &[d("1"); 3], &["S003", "S001", "S002"]).unwrap();
        assert_eq!(values(&parts), ["33", "34", "33"]);
    }

    #[test]
    fn largest_remainders_win_before_keys() {
        // 10 by 1:2:4 (of 7): quotas 1.43, 2.86, 5.71; floors 1+2+5 = 8;
        // remainders .43, .86, .71: the 2 left go to the second and third.
        let parts = split(d("10"), d("1"), &[d("1"), d("2"), d("4")], &[1, 2, 3]).unwrap();
        assert_eq!(values(&parts), ["1", "3", "6"]);
        assert_eq!(parts[0].quota, d("1.428571"));
    }

    #[test]
    fn units_other_than_one() {
        // 10 hours in halves over 3: 20 halves -> 7, 7, 6 halves.
        let parts = split(d("10"), d("0.5"), &[d("1"); 3], &[1, 2, 3]).unwrap();
        assert_eq!(values(&parts), ["3.5", "3.5", "3.0"]);
        assert!(split(d("10.2"), d("0.5"), &[d("1")], &[1]).is_err());
    }

    #[test]
    fn parts_always_sum_to_the_amount() {
        let weights: Vec<Decimal> = (1..=37)
            .map(|i| Decimal::new(i * 7919 % 1000 + 1, 2))
            .collect();
        let keys: Vec<i32> = (1..=37).collect();
        for amount in ["0", "1", "12000000", "999999999", "36"] {
            let parts = split(d(amount), d("1"), &weights, &keys).unwrap();
            let sum: Decimal = parts.iter().map(|p| p.value).sum();
            assert_eq!(sum, d(amount));
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(
            split(d("-1"), d("1"), &[d("1")], &[1]),
            Err(SplitError::Negative(d("-1")))
        );
        assert_eq!(
            split(d("5"), d("1"), &[d("0")], &[1]),
            Err(SplitError::NoWeight(d("5")))
        );
        assert_eq!(
            split(d("5"), d("1"), &[d("-1"), d("2")], &[1, 2]),
            Err(SplitError::NegativeWeight)
        );
    }
}
