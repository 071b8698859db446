//! One KPI: inputs -> score, by the plan's method.

use rust_decimal::Decimal;

use crate::plan::file::BandFile;
use crate::plan::{BandMode, Direction, Method, ZeroActual};

/// A KPI's outcome for one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiOutcome {
    /// Scored; `attainment` is actual ÷ target for target-based methods
    /// (target ÷ actual for `inverse_ratio`); `raw` is the method's result
    /// before floor and cap, and `step` how the score was reached.
    Scored {
        score: Decimal,
        attainment: Option<Decimal>,
        raw: Option<Decimal>,
        step: Step,
    },
    /// A target-based KPI whose target is 0 or blank (or an
    /// `inverse_ratio` KPI with `zero_actual = "not_applicable"` and an
    /// actual of 0): its weight is dropped.
    NotApplicable,
    /// A `pass_fail` gate.
    Gate { passed: bool },
}

/// How a method reached its score, beyond its numbers (for the trail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Step {
    /// The method's formula, then its floor and cap.
    #[default]
    Formula,
    /// `ratio`: the attainment fell below the gate, so the score is 0.
    BelowGate,
    /// `inverse_ratio` with an actual of 0: scored by `zero_actual`.
    ZeroActual,
    /// `bands`: the last band reached (index into the plan's bands; None
    /// when none is), and whether the score is interpolated toward the next.
    Band {
        reached: Option<u16>,
        interpolated: bool,
    },
}

/// An arithmetic result beyond exact decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Scores one KPI. `actual` is None only when the KPI does not apply (the
/// dataset stage makes a blank actual an error before scoring).
///
/// Longer than the house limit on purpose: one arm per method, each the
/// method's whole formula, so the methods read side by side as a table.
///
/// # Errors
/// [`Overflow`] when a division or product leaves the decimal range.
pub fn score(
    method: &Method,
    actual: Option<Decimal>,
    target: Option<Decimal>,
) -> Result<KpiOutcome, Overflow> {
    let formula = |score: Decimal, attainment: Option<Decimal>, raw: Decimal| {
        Ok(KpiOutcome::Scored {
            score,
            attainment,
            raw: Some(raw),
            step: Step::Formula,
        })
    };
    let nonzero_target = target.filter(|t| !t.is_zero());
    match method {
        Method::Ratio { gate, cap, floor } => {
            let (Some(target), Some(actual)) = (nonzero_target, actual) else {
                return Ok(KpiOutcome::NotApplicable);
            };
            let attainment = actual.checked_div(target).ok_or(Overflow)?;
            if gate.is_some_and(|g| attainment < g) {
                return Ok(KpiOutcome::Scored {
                    score: clamp(Decimal::ZERO, *floor, *cap),
                    attainment: Some(attainment),
                    raw: Some(Decimal::ZERO),
                    step: Step::BelowGate,
                });
            }
            let raw = attainment.checked_mul(HUNDRED).ok_or(Overflow)?;
            formula(clamp(raw, *floor, *cap), Some(attainment), raw)
        }
        Method::InverseRatio {
            cap,
            floor,
            zero_actual,
        } => {
            let (Some(target), Some(actual)) = (nonzero_target, actual) else {
                return Ok(KpiOutcome::NotApplicable);
            };
            if actual <= Decimal::ZERO {
                let score = match zero_actual {
                    ZeroActual::NotApplicable => return Ok(KpiOutcome::NotApplicable),
                    ZeroActual::Full => clamp(HUNDRED, *floor, *cap),
                    // Validation makes sure a cap exists.
                    ZeroActual::Cap => cap.unwrap_or(HUNDRED),
                };
                return Ok(KpiOutcome::Scored {
                    score,
                    attainment: None,
                    raw: None,
                    step: Step::ZeroActual,
                });
            }
            let attainment = target.checked_div(actual).ok_or(Overflow)?;
            let raw = attainment.checked_mul(HUNDRED).ok_or(Overflow)?;
            formula(clamp(raw, *floor, *cap), Some(attainment), raw)
        }
        Method::Linear {
            zero,
            full,
            floor,
            cap,
        } => {
            let x = actual.ok_or(Overflow)?;
            let raw = x
                .checked_sub(*zero)
                .and_then(|d| d.checked_div(full - zero))
                .and_then(|r| r.checked_mul(HUNDRED))
                .ok_or(Overflow)?;
            formula(clamp(raw, *floor, *cap), None, raw)
        }
        Method::Bands {
            bands,
            mode,
            direction,
            below,
        } => {
            let x = actual.ok_or(Overflow)?;
            let (value, attainment) = match target {
                Some(_) => {
                    let Some(t) = nonzero_target else {
                        return Ok(KpiOutcome::NotApplicable);
                    };
                    let a = x.checked_div(t).ok_or(Overflow)?;
                    (a, Some(a))
                }
                None => (x, None),
            };
            let (score, reached, interpolated) =
                band_points(bands, *mode, *direction, *below, value)?;
            Ok(KpiOutcome::Scored {
                score,
                attainment,
                raw: None,
                step: Step::Band {
                    reached: reached.and_then(|i| u16::try_from(i).ok()),
                    interpolated,
                },
            })
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
            formula(clamp(raw, *floor, *cap), None, raw)
        }
        Method::Add {
            start,
            per_unit,
            floor,
            cap,
        } => {
            let x = actual.ok_or(Overflow)?;
            let raw = per_unit
                .checked_mul(x)
                .and_then(|d| start.checked_add(d))
                .ok_or(Overflow)?;
            formula(clamp(raw, *floor, *cap), None, raw)
        }
        Method::Rating { max, .. } => {
            let x = actual.ok_or(Overflow)?;
            let raw = x
                .checked_div(*max)
                .and_then(|r| r.checked_mul(HUNDRED))
                .ok_or(Overflow)?;
            formula(raw, None, raw)
        }
        Method::PassFail {
            pass_min, pass_max, ..
        } => {
            let x = actual.ok_or(Overflow)?;
            let passed = pass_min.is_none_or(|m| x >= m) && pass_max.is_none_or(|m| x <= m);
            Ok(KpiOutcome::Gate { passed })
        }
    }
}

/// Points for `value` from bands listed from easiest to hardest threshold.
/// A band is reached when the value is at or beyond its threshold (at or
/// above ascending, at or below descending). Steps: the points of the last
/// band reached. Interpolate: between two thresholds, the straight line
/// between their points; beyond the last, its points. Before the first:
/// `below` (default 0). Returns the points, the band reached and whether
/// they were interpolated.
fn band_points(
    bands: &[BandFile],
    mode: BandMode,
    direction: Direction,
    below: Option<Decimal>,
    value: Decimal,
) -> Result<(Decimal, Option<usize>, bool), Overflow> {
    let reached = |at: Decimal| match direction {
        Direction::Ascending => value >= at,
        Direction::Descending => value <= at,
    };
    let Some(last) = bands.iter().rposition(|b| reached(b.at)) else {
        return Ok((below.unwrap_or(Decimal::ZERO), None, false));
    };
    let here = bands[last];
    match (mode, bands.get(last + 1)) {
        (BandMode::Interpolate, Some(next)) => {
            // (value − at₀) ÷ (at₁ − at₀) is in 0..1 for either direction.
            let fraction = value
                .checked_sub(here.at)
                .and_then(|d| d.checked_div(next.at - here.at))
                .ok_or(Overflow)?;
            let points = fraction
                .checked_mul(next.points - here.points)
                .and_then(|d| d.checked_add(here.points))
                .ok_or(Overflow)?;
            Ok((points, Some(last), true))
        }
        _ => Ok((here.points, Some(last), false)),
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
            KpiOutcome::Gate { passed } => format!("gate {passed}"),
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
        let rating = Method::Rating {
            max: d("5"),
            min: None,
        };
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

    fn band(at: &str, points: &str) -> BandFile {
        BandFile {
            at: d(at),
            points: d(points),
        }
    }

    #[test]
    fn inverse_ratio_lower_is_better() {
        let m = |zero_actual| Method::InverseRatio {
            cap: Some(d("120")),
            floor: Some(Decimal::ZERO),
            zero_actual,
        };
        let full = m(ZeroActual::Full);
        // Expense ratio 8 % against a target of 10 %: 10 ÷ 8 × 100 = 125 → cap 120.
        assert_eq!(s(&full, "8", Some("10")), "120");
        // 12.5 % against 10 %: 10 ÷ 12.5 × 100 = 80.
        assert_eq!(s(&full, "12.5", Some("10")), "80");
        // On target: 100.
        assert_eq!(s(&full, "10", Some("10")), "100");
        // An actual of 0, three rules: 100, the cap, or does not apply.
        assert_eq!(s(&full, "0", Some("10")), "100");
        assert_eq!(s(&m(ZeroActual::Cap), "0", Some("10")), "120");
        assert_eq!(s(&m(ZeroActual::NotApplicable), "0", Some("10")), "n/a");
        // No target: does not apply.
        assert_eq!(s(&full, "5", Some("0")), "n/a");
        assert_eq!(s(&full, "5", None), "n/a");
        // Attainment is target ÷ actual.
        assert_eq!(
            score(&full, Some(d("12.5")), Some(d("10"))).unwrap(),
            KpiOutcome::Scored {
                score: d("80"),
                attainment: Some(d("0.8")),
                raw: Some(d("80")),
                step: Step::Formula,
            }
        );
    }

    /// The working a trail shows, recorded by the scoring itself.
    #[test]
    fn outcomes_record_their_working() {
        let working = |m: &Method, actual: &str, target: Option<&str>| match score(
            m,
            Some(d(actual)),
            target.map(d),
        )
        .unwrap()
        {
            KpiOutcome::Scored {
                score, raw, step, ..
            } => (
                score.normalize().to_string(),
                raw.map(|r| r.normalize().to_string()),
                step,
            ),
            other => panic!("{other:?}"),
        };
        // Ratio 130 % capped at 120: raw 130 before the cap.
        let capped = ratio(None, "120");
        assert_eq!(
            working(&capped, "130", Some("100")),
            ("120".into(), Some("130".into()), Step::Formula)
        );
        // Below a 50 % gate: score 0, recorded as such.
        let gated = ratio(Some("0.5"), "120");
        assert_eq!(working(&gated, "40", Some("100")).2, Step::BelowGate);
        // Bands 80/90/100 → 60/80/100: 95 % reaches the second band; by
        // interpolation 80 + (0.95 − 0.9) ÷ 0.1 × 20 = 90.
        let bands = |mode| Method::Bands {
            bands: vec![band("0.8", "60"), band("0.9", "80"), band("1", "100")],
            mode,
            direction: Direction::Ascending,
            below: None,
        };
        assert_eq!(
            working(&bands(BandMode::Steps), "95", Some("100")),
            (
                "80".into(),
                None,
                Step::Band {
                    reached: Some(1),
                    interpolated: false
                }
            )
        );
        assert_eq!(
            working(&bands(BandMode::Interpolate), "95", Some("100")),
            (
                "90".into(),
                None,
                Step::Band {
                    reached: Some(1),
                    interpolated: true
                }
            )
        );
        assert_eq!(
            working(&bands(BandMode::Steps), "70", Some("100")).2,
            Step::Band {
                reached: None,
                interpolated: false
            }
        );
    }

    #[test]
    fn bands_as_steps_both_directions() {
        let up = Method::Bands {
            bands: vec![band("80", "60"), band("90", "80"), band("100", "100")],
            mode: BandMode::Steps,
            direction: Direction::Ascending,
            below: None,
        };
        assert_eq!(s(&up, "79.99", None), "0");
        assert_eq!(s(&up, "80", None), "60");
        assert_eq!(s(&up, "95", None), "80");
        assert_eq!(s(&up, "100", None), "100");
        assert_eq!(s(&up, "130", None), "100");
        let down = Method::Bands {
            bands: vec![band("30", "60"), band("25", "80"), band("20", "100")],
            mode: BandMode::Steps,
            direction: Direction::Descending,
            below: Some(d("10")),
        };
        assert_eq!(s(&down, "31", None), "10");
        assert_eq!(s(&down, "30", None), "60");
        assert_eq!(s(&down, "22", None), "80");
        assert_eq!(s(&down, "20", None), "100");
        assert_eq!(s(&down, "5", None), "100");
    }

    #[test]
    fn bands_interpolated_both_directions() {
        // The extended template's collection rate: 60 → 0, 80 → 60,
        // 95 → 100, 100 → 110.
        let up = Method::Bands {
            bands: vec![
                band("60", "0"),
                band("80", "60"),
                band("95", "100"),
                band("100", "110"),
            ],
            mode: BandMode::Interpolate,
            direction: Direction::Ascending,
            below: None,
        };
        assert_eq!(s(&up, "50", None), "0");
        // 70: halfway 60..80 → 30.
        assert_eq!(s(&up, "70", None), "30");
        // 89: (89 − 80) ÷ 15 = 0.6 of 60..100 → 60 + 24 = 84.
        assert_eq!(s(&up, "89", None), "84");
        // 97.5: halfway 95..100 → 105.
        assert_eq!(s(&up, "97.5", None), "105");
        assert_eq!(s(&up, "120", None), "110");
        let down = Method::Bands {
            bands: vec![band("30", "0"), band("20", "100")],
            mode: BandMode::Interpolate,
            direction: Direction::Descending,
            below: None,
        };
        // 24: (24 − 30) ÷ (20 − 30) = 0.6 → 60.
        assert_eq!(s(&down, "24", None), "60");
        assert_eq!(s(&down, "35", None), "0");
        assert_eq!(s(&down, "10", None), "100");
        // With a target, the bands read the attainment: 0.9 → 60 + 0.5 × ...
        let of_target = Method::Bands {
            bands: vec![band("0.8", "50"), band("1.0", "100")],
            mode: BandMode::Interpolate,
            direction: Direction::Ascending,
            below: None,
        };
        // 90 of 100 = 0.9: halfway 0.8..1.0 → 75.
        assert_eq!(s(&of_target, "90", Some("100")), "75");
        assert_eq!(s(&of_target, "90", Some("0")), "n/a");
    }

    #[test]
    fn add_and_deduct_with_floor_and_ceiling() {
        // Training: 50 + 10 per course, at most 100.
        let add = Method::Add {
            start: d("50"),
            per_unit: d("10"),
            floor: None,
            cap: Some(d("100")),
        };
        assert_eq!(s(&add, "0", None), "50");
        assert_eq!(s(&add, "3", None), "80");
        assert_eq!(s(&add, "9", None), "100");
        let deduct = Method::Deduct {
            start: d("100"),
            per_unit: d("15"),
            floor: Some(d("40")),
            cap: None,
        };
        assert_eq!(s(&deduct, "2", None), "70");
        assert_eq!(s(&deduct, "5", None), "40");
    }

    #[test]
    fn rating_on_a_declared_scale() {
        let m = Method::Rating {
            max: d("10"),
            min: Some(d("1")),
        };
        assert_eq!(s(&m, "7", None), "70");
        assert_eq!(s(&m, "10", None), "100");
        assert_eq!(s(&m, "1", None), "10");
    }

    #[test]
    fn pass_fail_gates() {
        let m = Method::PassFail {
            pass_min: Some(Decimal::ONE),
            pass_max: None,
            on_fail: crate::plan::OnFail::ZeroTotal,
            cap_grade: None,
        };
        assert_eq!(s(&m, "1", None), "gate true");
        assert_eq!(s(&m, "0", None), "gate false");
        let at_most = Method::PassFail {
            pass_min: None,
            pass_max: Some(Decimal::ZERO),
            on_fail: crate::plan::OnFail::CapGrade,
            cap_grade: Some("C".into()),
        };
        assert_eq!(s(&at_most, "0", None), "gate true");
        assert_eq!(s(&at_most, "2", None), "gate false");
    }
}
