//! One KPI: inputs -> score, by the plan's method.

use rust_decimal::Decimal;

use crate::plan::Method;

/// A KPI's outcome for one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiOutcome {
    /// Scored; `attainment` is actual ÷ target for target-based methods.
    Scored {
        score: Decimal,
        attainment: Option<Decimal>,
    },
    /// A ratio KPI whose target is 0 or blank: its weight is dropped.
    NotApplicable,
}

/// An arithmetic result beyond exact decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Scores one KPI. `actual` is None only when the KPI does not apply (the
/// dataset stage makes a blank actual an error before scoring).
///
/// # Errors
/// [`Overflow`] when a division or product leaves the decimal range.
pub fn score(
    method: &Method,
    actual: Option<Decimal>,
    target: Option<Decimal>,
) -> Result<KpiOutcome, Overflow> {
    let scored =
        |score: Decimal, attainment: Option<Decimal>| Ok(KpiOutcome::Scored { score, attainment });
    match method {
        Method::Ratio { gate, cap, floor } => {
            let Some(target) = target.filter(|t| !t.is_zero()) else {
                return Ok(KpiOutcome::NotApplicable);
            };
            let Some(actual) = actual else {
                return Ok(KpiOutcome::NotApplicable);
            };
            let attainment = actual.checked_div(target).ok_or(Overflow)?;
            let raw = if gate.is_some_and(|g| attainment < g) {
                Decimal::ZERO
            } else {
                attainment.checked_mul(HUNDRED).ok_or(Overflow)?
            };
            scored(clamp(raw, *floor, *cap), Some(attainment))
        }
        Method::Linear {
            zero,
            full,
            floor,
            cap,
        } => {
            let x = actual.ok_or(Overflow)?;
            let raw = (x - zero)
                .checked_div(full - zero)
                .and_then(|r| r.checked_mul(HUNDRED))
                .ok_or(Overflow)?;
            scored(clamp(raw, *floor, *cap), None)
        }
        Method::Deduct {
            start,
            per_unit,
            floor,
            cap,
        } => {
            let x = actual.ok_or(Overflow)?;
            let raw = per_unit
                .checked_mul(x)
                .and_then(|d| start.checked_sub(d))
                .ok_or(Overflow)?;
            scored(clamp(raw, *floor, *cap), None)
        }
        Method::Rating { max } => {
            let x = actual.ok_or(Overflow)?;
            let raw = x
                .checked_div(*max)
                .and_then(|r| r.checked_mul(HUNDRED))
                .ok_or(Overflow)?;
            scored(raw, None)
        }
    }
}

fn clamp(value: Decimal, floor: Option<Decimal>, cap: Option<Decimal>) -> Decimal {
    let v = floor.map_or(value, |f| value.max(f));
    cap.map_or(v, |c| v.min(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn ratio(gate: Option<&str>, cap: &str) -> Method {
        Method::Ratio {
            gate: gate.map(d),
            cap: Some(d(cap)),
            floor: Some(Decimal::ZERO),
        }
    }

    fn s(m: &Method, actual: &str, target: Option<&str>) -> String {
        match score(m, Some(d(actual)), target.map(d)).unwrap() {
            KpiOutcome::Scored { score, .. } => score.normalize().to_string(),
            KpiOutcome::NotApplicable => "n/a".into(),
        }
    }

    #[test]
    fn sales_gate_at_exactly_half_passes() {
        let m = ratio(Some("0.5"), "120");
        assert_eq!(s(&m, "50000", Some("100000")), "50");
        assert_eq!(s(&m, "49999.99", Some("100000")), "0");
        assert_eq!(s(&m, "90000", Some("200000")), "0");
        assert_eq!(s(&m, "-5000", Some("100000")), "0");
    }

    #[test]
    fn caps() {
        assert_eq!(
            s(&ratio(Some("0.5"), "120"), "650000", Some("500000")),
            "120"
        );
        assert_eq!(s(&ratio(None, "120"), "12", Some("10")), "120");
        assert_eq!(s(&ratio(None, "100"), "12", Some("10")), "100");
        assert_eq!(s(&ratio(None, "100"), "6", Some("8")), "75");
    }

    #[test]
    fn zero_or_blank_target_does_not_apply() {
        let m = ratio(None, "100");
        assert_eq!(s(&m, "0", Some("0")), "n/a");
        assert_eq!(s(&m, "5", None), "n/a");
    }

    #[test]
    fn linear_deduct_rating_of_the_standard_plan() {
        let lin = Method::Linear {
            zero: d("60"),
            full: d("95"),
            floor: Some(Decimal::ZERO),
            cap: Some(d("100")),
        };
        assert_eq!(s(&lin, "88", None), "80");
        assert_eq!(s(&lin, "97", None), "100");
        assert_eq!(s(&lin, "50", None), "0");
        assert!(s(&lin, "92", None).starts_with("91.428571428571428571"));
        let deduct = Method::Deduct {
            start: d("100"),
            per_unit: d("20"),
            floor: Some(Decimal::ZERO),
            cap: None,
        };
        assert_eq!(s(&deduct, "1", None), "80");
        assert_eq!(s(&deduct, "2", None), "60");
        assert_eq!(s(&deduct, "7", None), "0");
        let rating = Method::Rating { max: d("5") };
        assert_eq!(s(&rating, "4", None), "80");
        assert_eq!(s(&rating, "3", None), "60");
    }

    #[test]
    fn huge_ratios_overflow_cleanly() {
        let m = Method::Ratio {
            gate: None,
            cap: None,
            floor: None,
        };
        assert_eq!(
            score(&m, Some(Decimal::MAX), Some(d("0.0000001"))),
            Err(Overflow)
        );
    }
}
