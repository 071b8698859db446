//! Grades: by thresholds on the rounded total, or by forced distribution
//! down the ranking within a scope; then the caps of failed gates.
//!
//! Runs after ranking, on the whole period at once (a forced distribution
//! depends on everyone's total), in a fixed order so the thread count never
//! changes a grade.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::PersonResult;
use crate::input::Person;
use crate::plan::{GradingMethod, OnFail, Plan, Scope};

/// The grade a rounded total earns by thresholds (the first grade whose
/// `min` it reaches).
pub fn grade_for(plan: &Plan, total: Decimal) -> usize {
    plan.grades
        .iter()
        .position(|g| g.min.is_none_or(|m| total >= m))
        .unwrap_or(plan.grades.len().saturating_sub(1))
}

/// How many people of `n` get each grade: `round_half_up(n × share ÷ 100)`
/// for every grade but the one with the largest share (the first, if two
/// tie), which takes the rest. With A 20 / B 70 / C 10 that is A and C
/// rounded and B the rest.
pub fn quota_counts(shares: &[Decimal], n: usize) -> Vec<usize> {
    let rest = shares
        .iter()
        .enumerate()
        .fold(None, |best: Option<(usize, Decimal)>, (i, s)| match best {
            Some((_, b)) if b >= *s => best,
            _ => Some((i, *s)),
        })
        .map_or(0, |(i, _)| i);
    let people = Decimal::from(n as u64);
    let mut counts: Vec<usize> = shares
        .iter()
        .map(|s| {
            (people * s / Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .to_usize()
                .unwrap_or(0)
        })
        .collect();
    if let Some(slot) = counts.get_mut(rest) {
        *slot = 0;
    }
    let others: usize = counts.iter().sum();
    if let Some(slot) = counts.get_mut(rest) {
        *slot = n.saturating_sub(others);
    }
    counts
}

/// Grades for totals sorted highest first: the quota slots are filled down
/// the ranking; a person tied with the person above gets that person's
/// grade (so a tie can take a grade over its quota).
pub fn forced_grades(shares: &[Decimal], totals: &[Decimal]) -> Vec<usize> {
    let counts = quota_counts(shares, totals.len());
    let last = shares.len().saturating_sub(1);
    let mut slots = counts
        .iter()
        .enumerate()
        .flat_map(|(g, &c)| std::iter::repeat_n(g, c));
    let mut out: Vec<usize> = Vec::with_capacity(totals.len());
    for (k, total) in totals.iter().enumerate() {
        let slot = slots.next().unwrap_or(last);
        let grade = match out.last() {
            Some(&above) if totals[k - 1] == *total => above,
            _ => slot,
        };
        out.push(grade);
    }
    out
}

/// Grades every scored person of a period, then applies the grade caps of
/// failed `pass_fail` gates.
pub fn grade_all(plan: &Plan, people: &[Person], results: &mut [PersonResult]) {
    match plan.grading.method {
        GradingMethod::Thresholds => {
            for card in results.iter_mut().filter_map(|r| r.card.as_mut()) {
                card.grade = grade_for(plan, card.total);
            }
        }
        GradingMethod::ForcedDistribution => {
            let shares: Vec<Decimal> = plan
                .grades
                .iter()
                .map(|g| g.share.unwrap_or_default())
                .collect();
            let mut scopes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (i, r) in results.iter().enumerate().filter(|(_, r)| r.card.is_some()) {
                let scope = match plan.grading.scope {
                    Scope::Company => "",
                    Scope::Department => people[r.person].department.as_str(),
                };
                scopes.entry(scope).or_default().push(i);
            }
            for members in scopes.values_mut() {
                let total = |i: usize| results[i].card.as_ref().map(|c| c.total);
                members.sort_by(|&a, &b| {
                    total(b).cmp(&total(a)).then_with(|| {
                        people[results[a].person]
                            .staff_id
                            .cmp(&people[results[b].person].staff_id)
                    })
                });
                let totals: Vec<Decimal> = members.iter().filter_map(|&i| total(i)).collect();
                let quota: Arc<[usize]> = Arc::from(quota_counts(&shares, totals.len()));
                for (&i, g) in members.iter().zip(forced_grades(&shares, &totals)) {
                    if let Some(card) = results[i].card.as_mut() {
                        card.grade = g;
                        card.quota = Some(Arc::clone(&quota));
                    }
                }
            }
        }
    }
    for card in results.iter_mut().filter_map(|r| r.card.as_mut()) {
        card.uncapped_grade = None;
        card.grade_capped_by = None;
        for &k in &card.failed_gates {
            let Some(gate) = plan.kpis[k].gate else {
                continue;
            };
            if let (OnFail::CapGrade, Some(cap)) = (gate.on_fail, gate.cap_grade)
                && card.grade < cap
            {
                card.uncapped_grade.get_or_insert(card.grade);
                card.grade = cap;
                card.grade_capped_by = Some(k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn abc() -> Vec<Decimal> {
        vec![d("20"), d("70"), d("10")]
    }

    #[test]
    fn quota_counts_round_half_up_top_and_bottom() {
        // n = 10: A 10×0.2 = 2, C 10×0.1 = 1, B the rest 7.
        assert_eq!(quota_counts(&abc(), 10), [2, 7, 1]);
        // n = 7: A 1.4 -> 1, C 0.7 -> 1, B 5.
        assert_eq!(quota_counts(&abc(), 7), [1, 5, 1]);
        // n = 5: A 1.0 -> 1, C 0.5 -> 1 (half up), B 3.
        assert_eq!(quota_counts(&abc(), 5), [1, 3, 1]);
        // n = 8: A 1.6 -> 2, C 0.8 -> 1, B 5.
        assert_eq!(quota_counts(&abc(), 8), [2, 5, 1]);
        // n = 1: A 0.2 -> 0, C 0.1 -> 0, B 1.
        assert_eq!(quota_counts(&abc(), 1), [0, 1, 0]);
        assert_eq!(quota_counts(&abc(), 0), [0, 0, 0]);
    }

    #[test]
    fn forced_grades_go_down_the_ranking_and_ties_follow_the_person_above() {
        let t = |v: &[&str]| v.iter().map(|s| d(s)).collect::<Vec<_>>();
        // 5 people: slots A, B, B, B, C.
        assert_eq!(
            forced_grades(&abc(), &t(&["99", "90", "80", "70", "60"])),
            [0, 1, 1, 1, 2]
        );
        // Second place tied with the first: both A (A over its quota).
        assert_eq!(
            forced_grades(&abc(), &t(&["99", "99", "80", "70", "60"])),
            [0, 0, 1, 1, 2]
        );
        // The last two tied: the bottom one keeps the B of the person above.
        assert_eq!(
            forced_grades(&abc(), &t(&["99", "90", "80", "70", "70"])),
            [0, 1, 1, 1, 1]
        );
    }
}
