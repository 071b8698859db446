//! What-if comparison: the same inputs scored under two plans, person by
//! person, with the grade migrations and the bonus cost under each. Every
//! figure the comparison workbook, JSON or summary shows is computed here,
//! once; renderers only lay it out.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::input::Person;
use crate::period::Period;
use crate::plan::Plan;
use crate::score::{PeriodResult, Scorecard};

/// How many people the gainers and losers lists hold.
pub const MOVERS: usize = 10;

/// One side (plan) of a person's comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub total: Decimal,
    pub grade: String,
    /// Company rank (competition ranking).
    pub rank: u32,
    /// None for a year to date.
    pub bonus: Option<Decimal>,
}

/// A person under both plans; a side is None when the person could not be
/// scored under that plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRow {
    pub staff_id: String,
    pub name: String,
    pub department: String,
    pub role: String,
    pub a: Option<Side>,
    pub b: Option<Side>,
    /// B − A, when both sides are scored.
    pub total_change: Option<Decimal>,
    pub bonus_change: Option<Decimal>,
}

/// Bonus cost of a group (a department, a role, the company).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cost {
    pub group: String,
    pub a: Decimal,
    pub b: Decimal,
    pub change: Decimal,
}

/// The whole comparison of one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub period: String,
    pub plan_a: String,
    pub plan_b: String,
    pub people: Vec<PersonRow>,
    /// Grades of plan A (rows of the matrix) and plan B (its columns).
    pub grades_a: Vec<String>,
    pub grades_b: Vec<String>,
    /// `migration[i][j]`: people with grade `grades_a[i]` under A and
    /// `grades_b[j]` under B (people scored under both).
    pub migration: Vec<Vec<usize>>,
    /// People scored under both plans whose grade changed.
    pub grade_changes: usize,
    pub scored_both: usize,
    pub company: Cost,
    pub departments: Vec<Cost>,
    pub roles: Vec<Cost>,
    /// Largest bonus rises (then total rises), at most [`MOVERS`].
    pub gainers: Vec<usize>,
    /// Largest bonus falls (then total falls), at most [`MOVERS`].
    pub losers: Vec<usize>,
}

fn side(plan: &Plan, card: &Scorecard) -> Side {
    Side {
        total: card.total,
        grade: plan.grades[card.grade].grade.clone(),
        rank: card.ranks.company.0,
        bonus: card.bonus,
    }
}

/// Compares `period` scored under plan A (`a`, its roster `people_a`) and
/// plan B. People are matched by staff id; a person on one roster only is
/// listed with the other side empty. None when a side lacks the period.
pub fn compare(
    (plan_a, people_a, a): (&Plan, &[Person], &[PeriodResult]),
    (plan_b, people_b, b): (&Plan, &[Person], &[PeriodResult]),
    period: Period,
) -> Option<Comparison> {
    let ra = a.iter().find(|r| r.period == period)?;
    let rb = b.iter().find(|r| r.period == period)?;
    let card = |people: &[Person], r: &PeriodResult, id: &str| -> Option<usize> {
        people
            .binary_search_by(|p| p.staff_id.as_str().cmp(id))
            .ok()
            .or_else(|| people.iter().position(|p| p.staff_id == id))
            .filter(|&i| r.people.get(i).is_some_and(|x| x.card.is_some()))
    };
    let mut ids: Vec<&str> = people_a
        .iter()
        .chain(people_b)
        .map(|p| p.staff_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut migration = vec![vec![0usize; plan_b.grades.len()]; plan_a.grades.len()];
    let (mut dept, mut role): (BTreeMap<String, Cost>, BTreeMap<String, Cost>) = Default::default();
    let mut company = Cost {
        group: String::new(),
        a: Decimal::ZERO,
        b: Decimal::ZERO,
        change: Decimal::ZERO,
    };
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let ia = card(people_a, ra, id);
        let ib = card(people_b, rb, id);
        let person = people_a.iter().chain(people_b).find(|p| p.staff_id == id)?;
        let ca = ia.and_then(|i| ra.people[i].card.as_ref());
        let cb = ib.and_then(|i| rb.people[i].card.as_ref());
        if let (Some(x), Some(y)) = (ca, cb) {
            migration[x.grade][y.grade] += 1;
        }
        let bonus_a = ca.and_then(|c| c.bonus).unwrap_or_default();
        let bonus_b = cb.and_then(|c| c.bonus).unwrap_or_default();
        for (map, key) in [
            (&mut dept, person.department.clone()),
            (&mut role, person.role_name.clone()),
        ] {
            let c = map.entry(key.clone()).or_insert_with(|| Cost {
                group: key,
                a: Decimal::ZERO,
                b: Decimal::ZERO,
                change: Decimal::ZERO,
            });
            c.a += bonus_a;
            c.b += bonus_b;
        }
        company.a += bonus_a;
        company.b += bonus_b;
        let both = ca.zip(cb);
        rows.push(PersonRow {
            staff_id: id.to_owned(),
            name: person.name.clone(),
            department: person.department.clone(),
            role: person.role_name.clone(),
            a: ca.map(|c| side(plan_a, c)),
            b: cb.map(|c| side(plan_b, c)),
            total_change: both.map(|(x, y)| y.total - x.total),
            bonus_change: both.and_then(|(x, y)| Some(y.bonus? - x.bonus?)),
        });
    }
    let finish = |map: BTreeMap<String, Cost>| -> Vec<Cost> {
        map.into_values()
            .map(|mut c| {
                c.change = c.b - c.a;
                c
            })
            .collect()
    };
    company.change = company.b - company.a;
    // Movers are ordered by bonus change, then total change; a year to
    // date (no bonus) by total change alone.
    let mut moved: Vec<(usize, (Decimal, Decimal))> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let total = r.total_change?;
            Some((i, (r.bonus_change.unwrap_or_default(), total)))
        })
        .collect();
    let zero = (Decimal::ZERO, Decimal::ZERO);
    // Stable sorts on roster (staff id) order: ties keep it.
    moved.sort_by_key(|x| std::cmp::Reverse(x.1));
    let gainers = moved
        .iter()
        .filter(|(_, k)| *k > zero)
        .take(MOVERS)
        .map(|(i, _)| *i)
        .collect();
    moved.sort_by_key(|x| x.1);
    let losers = moved
        .iter()
        .filter(|(_, k)| *k < zero)
        .take(MOVERS)
        .map(|(i, _)| *i)
        .collect();
    let scored_both = rows
        .iter()
        .filter(|r| r.a.is_some() && r.b.is_some())
        .count();
    let grade_changes = rows
        .iter()
        .filter(|r| matches!((&r.a, &r.b), (Some(x), Some(y)) if x.grade != y.grade))
        .count();
    Some(Comparison {
        period: period.to_string(),
        plan_a: plan_a.name.clone(),
        plan_b: plan_b.name.clone(),
        people: rows,
        grades_a: plan_a.grades.iter().map(|g| g.grade.clone()).collect(),
        grades_b: plan_b.grades.iter().map(|g| g.grade.clone()).collect(),
        migration,
        grade_changes,
        scored_both,
        company,
        departments: finish(dept),
        roles: finish(role),
        gainers,
        losers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_plans_change_nothing() {
        let plan = Plan::parse(crate::plan::STANDARD_PLAN).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/en");
        let eval = crate::score::evaluate(&dir, &plan).unwrap();
        let period = eval.periods[0].period;
        let people = &eval.input.dataset.people;
        let c = compare(
            (&plan, people, &eval.periods),
            (&plan, people, &eval.periods),
            period,
        )
        .unwrap();
        assert_eq!(c.grade_changes, 0);
        assert!(c.gainers.is_empty() && c.losers.is_empty());
        assert!(c.company.change.is_zero());
        assert!(c.company.a > Decimal::ZERO);
        let diagonal: usize = (0..c.migration.len()).map(|i| c.migration[i][i]).sum();
        assert_eq!(diagonal, c.scored_both);
        assert!(
            c.people
                .iter()
                .all(|r| r.total_change.is_none_or(|d| d.is_zero()))
        );
    }
}
