//! Calibration: per manager (direct reports) and per department, the grade
//! distribution against the company's and the plan's forced distribution,
//! the mean and spread of each KPI score, and a flag where a team is graded
//! unusually high or low for its results.
//!
//! The flag: a person's *results score* is the weighted mean of their
//! scores on the KPIs measured against a target (the share weights of the
//! total); their *lift* is total − results score, how much the other KPIs
//! (ratings, satisfaction, …) raise or lower them. A team of at least
//! [`MIN_TEAM`] people whose mean lift is more than [`FLAG_POINTS`] points
//! above the company's mean lift is flagged high; below, low.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::input::Person;
use crate::plan::{GradingMethod, Plan};
use crate::score::{PeriodResult, Scorecard};

/// Points of lift above or below the company's that flag a team.
pub const FLAG_POINTS: Decimal = Decimal::from_parts(5, 0, 0, false, 0);
/// The smallest team that is flagged.
pub const MIN_TEAM: usize = 2;

/// A flagged team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    High,
    Low,
}

/// Figures of a group of people (the company, a team, a department).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupFigures {
    pub scored: usize,
    /// People per grade (the plan's grades, highest first).
    pub grade_counts: Vec<usize>,
    /// Each grade's share of the scored people (0–1).
    pub grade_shares: Vec<Decimal>,
    pub mean_total: Option<Decimal>,
    /// Per KPI: mean and spread (population standard deviation, 2
    /// decimals) of the scores of those it applies to.
    pub kpis: Vec<(Option<Decimal>, Option<Decimal>)>,
    /// Mean results score and mean lift (see the module text). Means
    /// are rounded to 2 decimals, as shown; the flag compares them.
    pub mean_results: Option<Decimal>,
    pub mean_lift: Option<Decimal>,
    /// Mean lift − the company's mean lift.
    pub lift_vs_company: Option<Decimal>,
    pub flag: Option<Flag>,
}

/// A team or department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// A manager's staff id, or a department's name.
    pub key: String,
    /// The manager's name (empty for a department or an unknown manager).
    pub name: String,
    pub figures: GroupFigures,
}

/// The calibration of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calibration {
    pub company: GroupFigures,
    /// The plan's forced distribution per grade (0–1), when declared.
    pub forced: Option<Vec<Decimal>>,
    pub managers: Vec<Group>,
    pub departments: Vec<Group>,
}

/// The results score of a scorecard: Σ share × score ÷ Σ share over the
/// KPIs measured against a target that apply; None when none applies.
pub fn results_score(plan: &Plan, card: &Scorecard) -> Option<Decimal> {
    let (mut sum, mut weight) = (Decimal::ZERO, Decimal::ZERO);
    for (k, line) in card.kpis.iter().enumerate() {
        let kpi = &plan.kpis[k];
        let targeted = kpi.target.is_some() || kpi.target_value.is_some();
        if let (true, Some(score), None) = (targeted, line.score, line.passed)
            && line.share > Decimal::ZERO
        {
            sum = sum.checked_add(score.checked_mul(line.share)?)?;
            weight += line.share;
        }
    }
    sum.checked_div(weight)
}

fn mean(values: &[Decimal]) -> Option<Decimal> {
    let sum = values
        .iter()
        .try_fold(Decimal::ZERO, |a, v| a.checked_add(*v))?;
    sum.checked_div(Decimal::from(values.len()))
}

/// Population standard deviation, rounded to 2 decimals (the square root
/// is taken in floating point; the spread is shown, never used).
fn spread(values: &[Decimal]) -> Option<Decimal> {
    let m = mean(values)?;
    let var = mean(
        &values
            .iter()
            .map(|v| (*v - m) * (*v - m))
            .collect::<Vec<_>>(),
    )?;
    Decimal::from_f64(var.to_f64()?.sqrt()).map(|d| d.round_dp(2))
}

/// A mean as shown: 2 decimals, half away from zero.
fn shown_mean(values: &[Decimal]) -> Option<Decimal> {
    mean(values)
        .map(|m| m.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

fn figures(plan: &Plan, cards: &[&Scorecard]) -> GroupFigures {
    let mut grade_counts = vec![0usize; plan.grades.len()];
    for c in cards {
        grade_counts[c.grade] += 1;
    }
    let totals: Vec<Decimal> = cards.iter().map(|c| c.total).collect();
    let kpis = (0..plan.kpis.len())
        .map(|k| {
            let v: Vec<Decimal> = cards
                .iter()
                .filter_map(|c| c.kpis.get(k).and_then(|l| l.score))
                .collect();
            (shown_mean(&v), spread(&v))
        })
        .collect();
    let pairs: Vec<(Decimal, Decimal)> = cards
        .iter()
        .filter_map(|c| results_score(plan, c).map(|r| (r, c.total - r)))
        .collect();
    let results: Vec<Decimal> = pairs.iter().map(|p| p.0).collect();
    let lifts: Vec<Decimal> = pairs.iter().map(|p| p.1).collect();
    let n = Decimal::from(cards.len());
    let grade_shares = grade_counts
        .iter()
        .map(|c| {
            Decimal::from(*c)
                .checked_div(n)
                .map(|d| d.round_dp(4))
                .unwrap_or_default()
        })
        .collect();
    GroupFigures {
        scored: cards.len(),
        grade_counts,
        grade_shares,
        mean_total: shown_mean(&totals),
        kpis,
        mean_results: shown_mean(&results),
        mean_lift: shown_mean(&lifts),
        lift_vs_company: None,
        flag: None,
    }
}

fn flagged(company: &GroupFigures, mut g: GroupFigures) -> GroupFigures {
    if let (Some(team), Some(all)) = (g.mean_lift, company.mean_lift) {
        let d = team - all;
        g.lift_vs_company = Some(d);
        if g.scored >= MIN_TEAM {
            g.flag = if d > FLAG_POINTS {
                Some(Flag::High)
            } else if d < -FLAG_POINTS {
                Some(Flag::Low)
            } else {
                None
            };
        }
    }
    g
}

/// The calibration of a scored period.
pub fn calibrate(plan: &Plan, people: &[Person], result: &PeriodResult) -> Calibration {
    let scored: Vec<(usize, &Scorecard)> = result
        .people
        .iter()
        .filter_map(|r| r.card.as_ref().map(|c| (r.person, c)))
        .collect();
    let all: Vec<&Scorecard> = scored.iter().map(|(_, c)| *c).collect();
    let company = figures(plan, &all);
    let group = |key: &dyn Fn(&Person) -> &str| -> BTreeMap<String, Vec<&Scorecard>> {
        let mut map: BTreeMap<String, Vec<&Scorecard>> = BTreeMap::new();
        for (p, c) in &scored {
            if let Some(person) = people.get(*p) {
                let k = key(person);
                if !k.is_empty() {
                    map.entry(k.to_owned()).or_default().push(c);
                }
            }
        }
        map
    };
    let managers = group(&|p| p.manager_id.as_str())
        .into_iter()
        .map(|(key, cards)| Group {
            name: people
                .iter()
                .find(|p| p.staff_id == key)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            figures: flagged(&company, figures(plan, &cards)),
            key,
        })
        .collect();
    let departments = group(&|p| p.department.as_str())
        .into_iter()
        .map(|(key, cards)| Group {
            name: String::new(),
            figures: flagged(&company, figures(plan, &cards)),
            key,
        })
        .collect();
    let forced = (plan.grading.method == GradingMethod::ForcedDistribution).then(|| {
        plan.grades
            .iter()
            .map(|g| g.share.unwrap_or_default() / Decimal::ONE_HUNDRED)
            .collect()
    });
    Calibration {
        company,
        forced,
        managers,
        departments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_of_known_values() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population deviation 2.
        let v: Vec<Decimal> = [2, 4, 4, 4, 5, 5, 7, 9].map(Decimal::from).to_vec();
        assert_eq!(mean(&v), Some(Decimal::from(5)));
        assert_eq!(spread(&v), Some(Decimal::from(2)));
        assert_eq!(spread(&[]), None);
    }
}
