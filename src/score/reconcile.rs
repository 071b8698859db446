//! Reconciliation: our results against the old process's, person by
//! person, each difference classified. The classes, in the order they are
//! tried:
//!
//! 1. missing on one side (on the old sheet only, or scored by us only);
//! 2. agree: every figure the old sheet gives equals ours to the cent;
//! 3. a different input: an input column the old sheet also shows (Sales,
//!    Sales Target, …) holds another value than our cell (named);
//! 4. rounding only: each figure within 0.01 of ours and within 0.01 of our
//!    unrounded value (the same number rounded another way), the grade the
//!    one our thresholds give the old total;
//! 5. a different rule: anything else, naming the KPI whose points differ
//!    most when the old sheet shows KPI scores.
//!
//! Every figure the reconciliation workbook shows is computed here.

use rust_decimal::Decimal;

use crate::diagnostics::Location;
use crate::input::legacy::{LegacyRow, LegacySheet};
use crate::input::{Case, Person, Record};
use crate::plan::{ColumnIx, Plan, TableKind};
use crate::score::{PeriodResult, Scorecard, grade_for};

/// A cent: the widest difference rounding explains.
pub const CENT: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// Which figure of a person differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Total,
    Grade,
    Bonus,
}

/// Why a person is on one side only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// On the old sheet, not in our roster.
    NotInInput,
    /// In our roster, but not scored this period (the data issues say why).
    NotScored,
    /// Scored by us, not on the old sheet.
    NotInOld,
}

/// How a person's figures compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    Agree,
    Rounding {
        /// The figures that differ (by at most a cent).
        figures: Vec<Figure>,
    },
    Input {
        column: ColumnIx,
        ours: Option<Decimal>,
        theirs: Decimal,
        /// Our cell.
        at: Option<Location>,
        /// Their cell.
        their_cell: String,
        /// Other input columns that differ too.
        more: usize,
    },
    Rule {
        figures: Vec<Figure>,
        /// The KPI whose points differ most, and by how many points, when
        /// the old sheet shows KPI scores.
        kpi: Option<(usize, Decimal)>,
    },
    Missing(Missing),
}

impl Class {
    /// The summary's bucket: 0 agree, 1 rounding, 2 input, 3 rule, 4 missing.
    pub fn bucket(&self) -> usize {
        match self {
            Class::Agree => 0,
            Class::Rounding { .. } => 1,
            Class::Input { .. } => 2,
            Class::Rule { .. } => 3,
            Class::Missing(_) => 4,
        }
    }
}

/// One person's reconciliation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconRow {
    pub staff_id: String,
    pub name: String,
    /// Our total, grade letter and bonus, when scored.
    pub ours: Option<(Decimal, String, Option<Decimal>)>,
    /// Theirs, as the old sheet gives them.
    pub theirs: Option<(Option<Decimal>, Option<String>, Option<Decimal>)>,
    /// Ours − theirs, where both are numbers.
    pub total_diff: Option<Decimal>,
    pub bonus_diff: Option<Decimal>,
    pub class: Class,
}

/// The whole reconciliation of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    pub period: String,
    /// The old sheet: file and sheet.
    pub file: String,
    pub sheet: String,
    /// Staff-id order: ours and theirs merged.
    pub rows: Vec<ReconRow>,
    /// People per bucket (see [`Class::bucket`]).
    pub counts: [usize; 5],
}

impl Reconciliation {
    /// True when every person agrees to the cent.
    pub fn all_agree(&self) -> bool {
        self.counts[1..].iter().all(|n| *n == 0)
    }
}

/// Our side of one period.
pub struct Ours<'a> {
    pub plan: &'a Plan,
    pub people: &'a [Person],
    pub result: &'a PeriodResult,
    pub cases: &'a [Case],
    pub records: &'a [Record],
}

/// Within a cent of `ours` and of `unrounded`: the same number, rounded
/// another way.
fn rounding_of(theirs: Decimal, ours: Decimal, unrounded: Option<Decimal>) -> bool {
    (theirs - ours).abs() <= CENT && unrounded.is_none_or(|u| (theirs - u).abs() < CENT)
}

fn same_grade(plan: &Plan, ours: usize, theirs: &str) -> bool {
    plan.grades[ours]
        .grade
        .trim()
        .eq_ignore_ascii_case(theirs.trim())
}

/// Whether `theirs` is our value: equal, or for a percent column the same
/// share written as a fraction (0.92 for 92).
fn same_input(plan: &Plan, column: ColumnIx, ours: Option<Decimal>, theirs: Decimal) -> bool {
    match ours {
        None => false,
        Some(v) => {
            v == theirs || (plan.columns[column].percent && v == theirs * Decimal::ONE_HUNDRED)
        }
    }
}

/// Our cell of `column` for a person.
fn our_cell(o: &Ours<'_>, person: usize, column: ColumnIx) -> Option<Location> {
    let case = o.cases.get(person)?;
    let record = match o.plan.columns[column].table {
        TableKind::Targets => case.targets?,
        TableKind::Results => case.results?,
        _ => o.people.get(person)?.record,
    };
    o.records.get(record).map(|r| r.cell(column))
}

fn classify(o: &Ours<'_>, person: usize, card: &Scorecard, row: &LegacyRow) -> Class {
    let plan = o.plan;
    let total_eq = row.total.as_ref().is_none_or(|t| t.value == card.total);
    let bonus_eq = row
        .bonus
        .as_ref()
        .is_none_or(|b| card.bonus.is_some_and(|x| x == b.value));
    let grade_eq = row
        .grade
        .as_deref()
        .is_none_or(|g| same_grade(plan, card.grade, g));
    if total_eq && bonus_eq && grade_eq {
        return Class::Agree;
    }
    let values = o
        .cases
        .get(person)
        .map(|c| c.values.as_slice())
        .unwrap_or_default();
    let differing: Vec<&(ColumnIx, crate::input::legacy::LegacyValue)> = row
        .inputs
        .iter()
        .filter(|(c, v)| !same_input(plan, *c, values.get(*c).copied().flatten(), v.value))
        .collect();
    if let Some((column, v)) = differing.first() {
        return Class::Input {
            column: *column,
            ours: values.get(*column).copied().flatten(),
            theirs: v.value,
            at: our_cell(o, person, *column),
            their_cell: v.cell.clone(),
            more: differing.len() - 1,
        };
    }
    let mut figures = Vec::new();
    if !total_eq {
        figures.push(Figure::Total);
    }
    if !grade_eq {
        figures.push(Figure::Grade);
    }
    if !bonus_eq {
        figures.push(Figure::Bonus);
    }
    let total_rounding = row.total.as_ref().is_none_or(|t| {
        // A failed gate's zero is not a rounding.
        card.total_zeroed_by.is_none() && rounding_of(t.value, card.total, Some(card.raw_total))
    });
    let bonus_rounding = row.bonus.as_ref().is_none_or(|b| {
        card.bonus
            .is_some_and(|x| rounding_of(b.value, x, card.bonus_unrounded))
    });
    let grade_rounding = grade_eq
        || match (&row.total, &row.grade) {
            (Some(t), Some(g)) => same_grade(plan, grade_for(plan, t.value), g),
            _ => false,
        };
    if total_rounding && bonus_rounding && grade_rounding {
        return Class::Rounding { figures };
    }
    let kpi = row
        .kpi_scores
        .iter()
        .filter_map(|(k, v)| {
            let line = card.kpis.get(*k)?;
            let ours = line.score.unwrap_or_default();
            let points = ((ours - v.value) * line.share / Decimal::ONE_HUNDRED).abs();
            (points > Decimal::ZERO || ours != v.value).then_some((*k, points))
        })
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)));
    Class::Rule { figures, kpi }
}

/// Reconciles our period with the old sheet.
pub fn reconcile(o: &Ours<'_>, old: &LegacySheet) -> Reconciliation {
    let mut ids: Vec<&str> = old.rows.iter().map(|r| r.staff_id.as_str()).collect();
    ids.extend(
        o.people
            .iter()
            .enumerate()
            .filter(|(i, _)| o.result.people.get(*i).is_some_and(|r| r.card.is_some()))
            .map(|(_, p)| p.staff_id.as_str()),
    );
    ids.sort_unstable();
    ids.dedup();
    let mut rows = Vec::with_capacity(ids.len());
    let mut counts = [0usize; 5];
    for id in ids {
        let person = o.people.iter().position(|p| p.staff_id == id);
        let card = person.and_then(|i| o.result.people.get(i)?.card.as_ref());
        let theirs = old.rows.iter().find(|r| r.staff_id == id);
        let class = match (person, card, theirs) {
            (_, Some(card), Some(row)) => classify(o, person.unwrap_or_default(), card, row),
            (None, _, _) => Class::Missing(Missing::NotInInput),
            (Some(_), None, _) => Class::Missing(Missing::NotScored),
            (Some(_), Some(_), None) => Class::Missing(Missing::NotInOld),
        };
        counts[class.bucket()] += 1;
        let ours = card.map(|c| (c.total, o.plan.grades[c.grade].grade.clone(), c.bonus));
        let theirs_figs = theirs.map(|r| {
            (
                r.total.as_ref().map(|v| v.value),
                r.grade.clone(),
                r.bonus.as_ref().map(|v| v.value),
            )
        });
        let diff = |a: Option<Decimal>, b: Option<Decimal>| Some(a? - b?);
        rows.push(ReconRow {
            staff_id: id.to_owned(),
            name: person.map(|i| o.people[i].name.clone()).unwrap_or_default(),
            total_diff: diff(
                card.map(|c| c.total),
                theirs.and_then(|r| r.total.as_ref().map(|v| v.value)),
            ),
            bonus_diff: diff(
                card.and_then(|c| c.bonus),
                theirs.and_then(|r| r.bonus.as_ref().map(|v| v.value)),
            ),
            ours,
            theirs: theirs_figs,
            class,
        });
    }
    Reconciliation {
        period: o.result.period.to_string(),
        file: old.file.clone(),
        sheet: old.sheet.clone(),
        rows,
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rounding_is_within_a_cent_of_ours_and_of_the_unrounded_value() {
        // Unrounded 87.4563, ours 87.46: the old sheet kept three decimals,
        // or truncated, or left it unrounded.
        for theirs in ["87.456", "87.45", "87.4563"] {
            assert!(
                rounding_of(d(theirs), d("87.46"), Some(d("87.4563"))),
                "{theirs}"
            );
        }
        // A cent above ours is further than a cent from the unrounded value.
        assert!(!rounding_of(d("87.47"), d("87.46"), Some(d("87.4563"))));
        assert!(!rounding_of(d("87.44"), d("87.46"), Some(d("87.4563"))));
        // Without an unrounded value (nothing was rounded), a cent is a cent.
        assert!(rounding_of(d("6000.01"), d("6000.00"), None));
        assert!(!rounding_of(d("6000.02"), d("6000.00"), None));
    }

    #[test]
    fn a_percent_input_may_be_written_as_a_fraction() {
        let plan = Plan::standard().unwrap();
        let sat = plan.column_ix("satisfaction").unwrap();
        let sales = plan.column_ix("sales").unwrap();
        assert!(same_input(&plan, sat, Some(d("92")), d("0.92")));
        assert!(same_input(&plan, sat, Some(d("92")), d("92")));
        assert!(!same_input(&plan, sales, Some(d("92")), d("0.92")));
        assert!(!same_input(&plan, sales, None, d("0")));
    }
}
