//! `[bonus]`: the rule, its base and amount columns, a coefficient for
//! every grade, tiers that rise, and amounts that are not negative.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::Problems;
use super::columns::Columns;
use crate::plan::file::{BonusRule, TableKind, TierFile};
use crate::plan::parse::Broken;
use crate::plan::{Bonus, Grade, Tier};

/// Resolves the bonus rule (`Bonus::None` when the plan has none, which is
/// a problem unless the section failed to parse).
pub(super) fn resolve(
    raw: Option<&BonusRule>,
    cols: &Columns<'_>,
    grades: &[Grade],
    broken: &Broken,
    p: &mut Problems,
) -> Bonus {
    let base_column = |id: &str, p: &mut Problems| {
        cols.number("bonus.base".into(), id, &[TableKind::Staff], p)
            .unwrap_or(0)
    };
    match raw {
        None => {
            if !broken.bonus {
                p.add("bonus", "the plan has no [bonus] section");
            }
            Bonus::None
        }
        Some(BonusRule::GradeCoefficient { base, coefficients }) => Bonus::GradeCoefficient {
            base: base_column(base, p),
            coefficients: coefficients_for(coefficients, grades, broken, p),
        },
        Some(BonusRule::ScoreLinear { base, cap }) => {
            cap_not_negative(*cap, p);
            Bonus::ScoreLinear {
                base: base_column(base, p),
                cap: *cap,
            }
        }
        Some(BonusRule::TieredCommission {
            actual,
            target,
            tiers,
            cap,
        }) => {
            let any = [TableKind::Targets, TableKind::Results, TableKind::Staff];
            let actual = cols
                .number("bonus.actual".into(), actual, &any, p)
                .unwrap_or(0);
            let target = cols
                .number("bonus.target".into(), target, &any, p)
                .unwrap_or(0);
            let tiers = rising_tiers(tiers, p);
            cap_not_negative(*cap, p);
            Bonus::TieredCommission {
                actual,
                target,
                tiers,
                cap: *cap,
            }
        }
        Some(BonusRule::Pool {
            base,
            coefficients,
            pools,
        }) => {
            for (dept, amount) in pools {
                if *amount < Decimal::ZERO {
                    p.add(format!("bonus.pools.{dept}"), "a pool cannot be negative");
                }
            }
            Bonus::Pool {
                base: base_column(base, p),
                coefficients: coefficients_for(coefficients, grades, broken, p),
                pools: pools.clone(),
            }
        }
    }
}

fn cap_not_negative(cap: Option<Decimal>, p: &mut Problems) {
    if cap.is_some_and(|c| c < Decimal::ZERO) {
        p.add("bonus.cap", "cap cannot be negative");
    }
}

/// A coefficient for each grade, in grade order (0 where missing or
/// negative, with a problem); a coefficient for no grade is a problem too.
fn coefficients_for(
    coefficients: &BTreeMap<String, Decimal>,
    grades: &[Grade],
    broken: &Broken,
    p: &mut Problems,
) -> Vec<Decimal> {
    let mut coeffs = Vec::with_capacity(grades.len());
    for g in grades {
        match coefficients.get(&g.grade) {
            Some(c) if *c < Decimal::ZERO => {
                p.add(
                    format!("bonus.coefficients.{}", g.grade),
                    "a coefficient cannot be negative",
                );
                coeffs.push(Decimal::ZERO);
            }
            Some(c) => coeffs.push(*c),
            None => {
                p.add(
                    "bonus.coefficients",
                    format!("grade '{}' has no coefficient", g.grade),
                );
                coeffs.push(Decimal::ZERO);
            }
        }
    }
    for name in coefficients.keys() {
        if !grades.iter().any(|g| &g.grade == name) && !broken.grade(name) {
            p.add(
                format!("bonus.coefficients.{name}"),
                format!("no grade '{name}' in [[grades]]"),
            );
        }
    }
    coeffs
}

/// Commission tiers whose `up_to` rises, the last one open, no rate negative.
fn rising_tiers(tiers: &[TierFile], p: &mut Problems) -> Vec<Tier> {
    if tiers.is_empty() {
        p.add("bonus.tiers", "tiered_commission needs at least one tier");
    }
    let mut previous = Decimal::ZERO;
    for (t, tier) in tiers.iter().enumerate() {
        let last = t + 1 == tiers.len();
        match (tier.up_to, last) {
            (None, false) => p.add(
                format!("bonus.tiers[{t}]"),
                "only the last tier may omit up_to",
            ),
            (Some(u), true) => p.add(
                format!("bonus.tiers[{t}].up_to"),
                format!("the last tier pays everything above the tier before; remove up_to = {u}"),
            ),
            (Some(u), false) => {
                if u <= previous {
                    p.add(
                        format!("bonus.tiers[{t}].up_to"),
                        format!("tiers not monotonic: up_to must rise above {previous}, found {u}"),
                    );
                }
                previous = u;
            }
            (None, true) => {}
        }
        if tier.rate < Decimal::ZERO {
            p.add(
                format!("bonus.tiers[{t}].rate"),
                "a rate cannot be negative",
            );
        }
    }
    tiers
        .iter()
        .map(|t| Tier {
            up_to: t.up_to,
            rate: t.rate,
        })
        .collect()
}
