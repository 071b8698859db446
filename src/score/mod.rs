//! Scoring: pure arithmetic from a person's numbers to score, grade, rank
//! and bonus. Nothing here reads or writes files.
//!
//! [`score_period`] runs in four steps: every complete case's KPIs and
//! total in parallel (rayon; the per-person function is the same on one
//! thread or many, and results keep roster order); ranks of the rounded
//! totals in three scopes; grades (by thresholds, or by forced distribution
//! down the ranking, then the caps of failed gates); bonuses (per person,
//! or department pools). The last three steps run in a fixed order, so the
//! thread count never changes a result. [`year_to_date`] derives a year's
//! figures from its scored months.

pub mod allocate;
pub mod bonus;
pub mod calibration;
pub mod compare;
pub mod development;
pub mod evaluate;
pub mod grade;
pub mod kpi;
mod print;
pub mod prorate;
pub mod rank;
pub mod reconcile;
pub mod split;

use rayon::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

use std::sync::Arc;

use crate::input::adjust::{Adjustment, Item as AdjItem};
use crate::input::{Case, Person};
use crate::period::Period;
use crate::plan::{OnFail, Plan, RoundingMode};
pub use bonus::{BonusDetail, CommissionSlice, apply_bonus};
pub use evaluate::{Evaluation, evaluate, evaluate_with, score_input};
pub use grade::grade_for;
pub use kpi::{KpiOutcome, Overflow, Step};
pub use rank::Ranks;

/// A KPI line of a scorecard (`Debug` in [`print`]).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct KpiLine {
    /// The KPI score at full precision; None when it does not apply.
    pub score: Option<Decimal>,
    pub attainment: Option<Decimal>,
    /// The role's weight for the KPI.
    pub weight: Decimal,
    /// The weight's share of the KPIs that apply (rescaled to 100).
    pub share: Decimal,
    /// Points this KPI adds to the total: share × score ÷ 100.
    pub points: Option<Decimal>,
    /// For a `pass_fail` gate: whether it passed (its score is then 100 or
    /// 0, its weight, share and points 0). None for every other KPI.
    pub passed: Option<bool>,
    /// The method's result before floor, cap and rounding, when its formula
    /// gives one.
    pub raw: Option<Decimal>,
    /// How the method reached the score.
    pub step: Step,
}

/// A scored person, with the working of every figure (`Debug` in
/// [`print`]).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Scorecard {
    pub kpis: Vec<KpiLine>,
    /// Σ score × weight over the KPIs that apply (gates excluded).
    pub weighted_sum: Decimal,
    /// Σ weight over the KPIs that apply: the divisor of the total.
    pub weight_applied: Decimal,
    /// Whether KPIs that do not apply dropped their weight, so the others
    /// were rescaled to 100.
    pub rescaled: bool,
    /// Σ weight × score ÷ Σ weight, unrounded.
    pub raw_total: Decimal,
    /// `raw_total` rounded as the plan says, before a failed gate zeroes it.
    pub rounded_total: Decimal,
    /// The total rounded as the plan says; grades and ranks use it. 0 when
    /// a failed gate zeroes it (see `total_zeroed_by`).
    pub total: Decimal,
    /// Index into the plan's grades.
    pub grade: usize,
    /// Forced distribution: how many people of the scope get each grade.
    pub quota: Option<Arc<[usize]>>,
    /// Year to date: the months it is the mean of.
    pub year: Option<Box<YearWorking>>,
    pub ranks: Ranks,
    /// The bonus, rounded; None for year to date.
    pub bonus: Option<Decimal>,
    /// The bonus base and coefficient the bonus came from.
    pub bonus_base: Option<Decimal>,
    pub coefficient: Option<Decimal>,
    /// `pass_fail` gates failed (KPI indices).
    pub failed_gates: Vec<usize>,
    /// The failed gate that set the total to 0, if any.
    pub total_zeroed_by: Option<usize>,
    /// The grade before a failed gate capped it, and that gate.
    pub uncapped_grade: Option<usize>,
    pub grade_capped_by: Option<usize>,
    /// The bonus before rounding, and how it was reached.
    pub bonus_unrounded: Option<Decimal>,
    pub bonus_detail: Option<BonusDetail>,
    /// A joiner's or leaver's month, or a new hire's ramp: the days and
    /// fractions applied.
    pub proration: Option<prorate::Prorated>,
    /// The bonus before proration scaled it, unrounded.
    pub bonus_before_proration: Option<Decimal>,
    /// The targets the KPIs were scored against when proration or a ramp
    /// changed them (plan column, as read, as used).
    pub prorated_targets: Vec<(crate::plan::ColumnIx, Decimal, Decimal)>,
    /// Adjustments applied, in the order applied.
    pub adjustments: Vec<Applied>,
}

/// An adjustment as applied: the item, its value before and after (as
/// shown), and who approved it why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub item: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    pub approved_by: String,
    pub at: crate::diagnostics::Location,
}

/// How a year to date was reached: the monthly totals and their sum.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearWorking {
    pub months: Vec<(Period, Decimal)>,
    pub sum: Decimal,
}

/// Why a complete case could still not be scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreError {
    /// A KPI's arithmetic left the decimal range.
    Overflow { kpi: usize },
    /// Every KPI of the person's role is not applicable.
    NoKpiApplies,
    /// The bonus arithmetic left the decimal range; `column` is the input
    /// that made it (the bonus base, or the commission's sales).
    Bonus { column: crate::plan::ColumnIx },
    /// Employed fewer days in the month than the plan's minimum.
    TooFewDays { days: u32, min: u32 },
}

/// One person's result in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonResult {
    pub person: usize,
    /// None: incomplete.
    pub card: Option<Scorecard>,
}

/// A scored period.
#[derive(Debug, Clone)]
pub struct PeriodResult {
    pub period: Period,
    /// Roster order.
    pub people: Vec<PersonResult>,
    /// A month's development list (empty for a year to date).
    pub development: Vec<development::DevelopmentEntry>,
}

/// Rounds as the plan's rounding mode says.
pub fn round(value: Decimal, decimals: u32, mode: RoundingMode) -> Decimal {
    let strategy = match mode {
        RoundingMode::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
        RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
    };
    let mut r = value.round_dp_with_strategy(decimals, strategy);
    r.rescale(decimals);
    r
}

/// Scores one person's KPIs and total (no ranks yet).
///
/// # Errors
/// [`ScoreError`] when the arithmetic overflows or no KPI applies.
pub fn score_case(
    plan: &Plan,
    role: usize,
    values: &[Option<Decimal>],
) -> Result<Scorecard, ScoreError> {
    score_case_with(plan, role, values, &[])
}

/// [`score_case`] with KPI scores set by adjustments (KPI index, score).
///
/// # Errors
/// As [`score_case`].
pub fn score_case_with(
    plan: &Plan,
    role: usize,
    values: &[Option<Decimal>],
    overrides: &[(usize, Decimal)],
) -> Result<Scorecard, ScoreError> {
    let weights = &plan.roles[role].weights;
    let mut outcomes = kpi_outcomes(plan, values)?;
    for (k, v) in overrides {
        if let Some(o) = outcomes.get_mut(*k) {
            *o = match *o {
                KpiOutcome::Scored {
                    attainment, step, ..
                } => KpiOutcome::Scored {
                    score: *v,
                    attainment,
                    raw: None,
                    step,
                },
                _ => KpiOutcome::Scored {
                    score: *v,
                    attainment: None,
                    raw: None,
                    step: Step::Formula,
                },
            };
        }
    }
    let (weighted, weight_sum) = weighted_sum(&outcomes, weights)?;
    if weight_sum.is_zero() {
        return Err(ScoreError::NoKpiApplies);
    }
    let raw_total = weighted
        .checked_div(weight_sum)
        .ok_or(ScoreError::Overflow { kpi: 0 })?;
    let rounded_total = round(raw_total, plan.rounding.total_decimals, plan.rounding.mode);
    let role_weight: Decimal = outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, KpiOutcome::Gate { .. }))
        .map(|(i, _)| weights[i])
        .sum();
    let kpis = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| kpi_line(*o, weights[i], weight_sum))
        .collect();
    let (failed_gates, total_zeroed_by) = failed_gates(plan, &outcomes);
    let total = if total_zeroed_by.is_some() {
        round(
            Decimal::ZERO,
            plan.rounding.total_decimals,
            plan.rounding.mode,
        )
    } else {
        rounded_total
    };
    let grade = grade_for(plan, total);
    Ok(Scorecard {
        kpis,
        weighted_sum: weighted,
        weight_applied: weight_sum,
        rescaled: weight_sum != role_weight,
        raw_total,
        rounded_total,
        total,
        grade,
        quota: None,
        year: None,
        ranks: Ranks::default(),
        bonus: None,
        bonus_base: None,
        coefficient: None,
        failed_gates,
        total_zeroed_by,
        uncapped_grade: None,
        grade_capped_by: None,
        bonus_unrounded: None,
        bonus_detail: None,
        proration: None,
        bonus_before_proration: None,
        prorated_targets: Vec::new(),
        adjustments: Vec::new(),
    })
}

/// Each KPI's outcome, its score rounded when the plan rounds KPI scores.
fn kpi_outcomes(plan: &Plan, values: &[Option<Decimal>]) -> Result<Vec<KpiOutcome>, ScoreError> {
    let mut outcomes = Vec::with_capacity(plan.kpis.len());
    for (i, k) in plan.kpis.iter().enumerate() {
        let target = k.target_of(values);
        let mut outcome = kpi::score(&k.method, values[k.actual], target)
            .map_err(|_| ScoreError::Overflow { kpi: i })?;
        if let (Some(dp), KpiOutcome::Scored { score, .. }) =
            (plan.rounding.kpi_decimals, &mut outcome)
        {
            *score = round(*score, dp, plan.rounding.mode);
        }
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Σ score × weight and Σ weight over the KPIs that apply (gates and KPIs
/// that do not apply left out).
fn weighted_sum(
    outcomes: &[KpiOutcome],
    weights: &[Decimal],
) -> Result<(Decimal, Decimal), ScoreError> {
    let mut weight_sum = Decimal::ZERO;
    let mut weighted = Decimal::ZERO;
    for (i, o) in outcomes.iter().enumerate() {
        if let KpiOutcome::Scored { score, .. } = o {
            let w = weights[i];
            weight_sum += w;
            weighted = score
                .checked_mul(w)
                .and_then(|p| weighted.checked_add(p))
                .ok_or(ScoreError::Overflow { kpi: i })?;
        }
    }
    Ok((weighted, weight_sum))
}

/// A KPI's line of the scorecard: its share of the weights that apply and
/// the points it adds.
fn kpi_line(outcome: KpiOutcome, weight: Decimal, weight_sum: Decimal) -> KpiLine {
    match outcome {
        KpiOutcome::Scored {
            score,
            attainment,
            raw,
            step,
        } => KpiLine {
            score: Some(score),
            attainment,
            weight,
            share: weight * Decimal::ONE_HUNDRED / weight_sum,
            points: Some(score * weight / weight_sum),
            passed: None,
            raw,
            step,
        },
        KpiOutcome::NotApplicable => KpiLine {
            score: None,
            attainment: None,
            weight,
            share: Decimal::ZERO,
            points: None,
            passed: None,
            raw: None,
            step: Step::Formula,
        },
        // A gate has no weight: its score is 100 or 0, its points 0.
        KpiOutcome::Gate { passed } => KpiLine {
            score: Some(if passed {
                Decimal::ONE_HUNDRED
            } else {
                Decimal::ZERO
            }),
            attainment: None,
            weight: Decimal::ZERO,
            share: Decimal::ZERO,
            points: Some(Decimal::ZERO),
            passed: Some(passed),
            raw: None,
            step: Step::Formula,
        },
    }
}

/// The gates failed (KPI indices), and the first whose failure zeroes the
/// total.
fn failed_gates(plan: &Plan, outcomes: &[KpiOutcome]) -> (Vec<usize>, Option<usize>) {
    let mut failed = Vec::new();
    let mut zeroed_by = None;
    for (i, o) in outcomes.iter().enumerate() {
        if let KpiOutcome::Gate { passed: false } = o {
            failed.push(i);
            if plan.kpis[i]
                .gate
                .is_some_and(|g| g.on_fail == OnFail::ZeroTotal)
            {
                zeroed_by.get_or_insert(i);
            }
        }
    }
    (failed, zeroed_by)
}

/// [`score_case`] for a joiner, leaver or new hire: refused below the
/// plan's minimum days, targets scaled as the plan says, the proration
/// recorded on the scorecard.
fn score_prorated(
    plan: &Plan,
    role: usize,
    values: &[Option<Decimal>],
    pr: Option<&prorate::Prorated>,
    overrides: &[(usize, Decimal)],
) -> Result<Scorecard, ScoreError> {
    let Some(pr) = pr else {
        return score_case_with(plan, role, values, overrides);
    };
    let min = plan.proration.min_days;
    if pr.days < min && pr.hire.or(pr.leave).is_some() && pr.days < pr.of {
        return Err(ScoreError::TooFewDays { days: pr.days, min });
    }
    let mut used = values.to_vec();
    let mut changed = Vec::new();
    if pr.targets || pr.ramp.is_some() {
        for (i, k) in plan.kpis.iter().enumerate() {
            let Some(t) = k.target else { continue };
            if changed.iter().any(|(c, _, _)| *c == t) {
                continue;
            }
            if let Some(v) = values.get(t).copied().flatten() {
                let scaled = pr.target(v).ok_or(ScoreError::Overflow { kpi: i })?;
                used[t] = Some(scaled);
                changed.push((t, v, scaled));
            }
        }
    }
    let mut card = score_case_with(plan, role, &used, overrides)?;
    card.proration = Some(pr.clone());
    card.prorated_targets = changed;
    Ok(card)
}

/// Scales a per-person bonus by the days employed; the money is rounded
/// once, after. None beyond the decimal range.
fn prorate_bonus(plan: &Plan, card: &mut Scorecard) -> Option<()> {
    let Some(pr) = card.proration.as_ref().filter(|p| p.scales_bonus()) else {
        return Some(());
    };
    if matches!(plan.bonus, crate::plan::Bonus::Pool { .. }) {
        // Pools scale the person's share weight instead (see bonus.rs).
        return Some(());
    }
    let Some(before) = card.bonus_unrounded else {
        return Some(());
    };
    let after = pr.apply(before)?;
    card.bonus_before_proration = Some(before);
    card.bonus_unrounded = Some(after);
    card.bonus = Some(round(
        after,
        plan.rounding.money_decimals,
        plan.rounding.mode,
    ));
    Some(())
}

/// Scores every case of a period. Returns the results (roster order) and,
/// for each case that could not be scored, why.
pub fn score_period(
    plan: &Plan,
    people: &[Person],
    period: Period,
    cases: &[Case],
) -> (PeriodResult, Vec<(usize, ScoreError)>) {
    let (result, failures, _) = score_period_with(plan, people, period, cases, &[]);
    (result, failures)
}

/// [`score_period`] applying the period's adjustments: input values before
/// scoring, KPI scores before the total, totals before grades and ranks,
/// grades after grading, bonuses last. Also returns the adjustments of
/// people without a score (they cannot be applied).
pub fn score_period_with<'a>(
    plan: &Plan,
    people: &[Person],
    period: Period,
    cases: &[Case],
    adjustments: &[&'a Adjustment],
) -> (PeriodResult, Vec<(usize, ScoreError)>, Vec<&'a Adjustment>) {
    let of = |pix: usize| adjustments_of(adjustments, &people[pix].staff_id);
    let (adjusted, mut pre, overrides) = adjust_inputs(cases, &of);
    let cases: &[Case] = adjusted.as_deref().unwrap_or(cases);
    let (mut results, mut failures) = score_cases(plan, people, period, cases, &overrides);
    // Inputs and KPI scores were adjusted before scoring; now the totals,
    // before grades and ranks.
    for (i, r) in results.iter_mut().enumerate() {
        let Some(card) = r.card.as_mut() else {
            continue;
        };
        card.adjustments = std::mem::take(&mut pre[i]);
        adjust_total(plan, card, &cases[i].values, &of(r.person));
    }
    rank::rank_all(people, &mut results);
    grade::grade_all(plan, people, &mut results);
    for r in &mut results {
        let Some(card) = r.card.as_mut() else {
            continue;
        };
        adjust_grade(plan, card, &of(r.person));
    }
    bonuses(plan, people, cases, &mut results, &mut failures);
    // Bonuses last: replaced, or an amount added.
    let mut unapplied = Vec::new();
    for r in &mut results {
        let Some(card) = r.card.as_mut() else {
            unapplied.extend(of(r.person));
            continue;
        };
        adjust_bonus(plan, card, &of(r.person));
    }
    (
        PeriodResult {
            period,
            people: results,
            development: Vec::new(),
        },
        failures,
        unapplied,
    )
}

/// A person's adjustments, in the order given.
fn adjustments_of<'a>(adjustments: &[&'a Adjustment], staff_id: &str) -> Vec<&'a Adjustment> {
    adjustments
        .iter()
        .copied()
        .filter(|a| a.staff_id == staff_id)
        .collect()
}

/// Per case: input values adjusted before scoring (a copy of the cases,
/// made only when one is), what each adjustment applied, and the KPI
/// scores overridden.
#[allow(clippy::type_complexity)]
fn adjust_inputs<'a>(
    cases: &[Case],
    of: &dyn Fn(usize) -> Vec<&'a Adjustment>,
) -> (
    Option<Vec<Case>>,
    Vec<Vec<Applied>>,
    Vec<Vec<(usize, Decimal)>>,
) {
    let mut adjusted: Option<Vec<Case>> = None;
    let mut pre: Vec<Vec<Applied>> = vec![Vec::new(); cases.len()];
    let mut overrides: Vec<Vec<(usize, Decimal)>> = vec![Vec::new(); cases.len()];
    for (i, case) in cases.iter().enumerate() {
        for a in of(case.person) {
            match a.item {
                AdjItem::Column(col) => {
                    let c = &mut adjusted.get_or_insert_with(|| cases.to_vec())[i];
                    let old = c.values.get(col).copied().flatten();
                    if let Some(slot) = c.values.get_mut(col) {
                        *slot = Some(a.value);
                    }
                    pre[i].push(applied(a, old.map(shown), shown(a.value)));
                }
                AdjItem::Score(k) => overrides[i].push((k, a.value)),
                _ => {}
            }
        }
    }
    (adjusted, pre, overrides)
}

/// Scores every complete case whose role the plan knows, in parallel
/// (prorated, with its KPI overrides); the others have no scorecard.
/// Returns the results in case order and the cases that failed, with why.
fn score_cases(
    plan: &Plan,
    people: &[Person],
    period: Period,
    cases: &[Case],
    overrides: &[Vec<(usize, Decimal)>],
) -> (Vec<PersonResult>, Vec<(usize, ScoreError)>) {
    let prorations: Vec<Option<prorate::Prorated>> = cases
        .iter()
        .map(|case| prorate::prorate(plan, &people[case.person], period))
        .collect();
    let scored: Vec<Result<Option<Scorecard>, ScoreError>> = cases
        .par_iter()
        .zip(prorations.par_iter())
        .zip(overrides.par_iter())
        .map(|((case, pr), over)| {
            let person = &people[case.person];
            match (case.complete, person.role) {
                (true, Some(role)) => {
                    score_prorated(plan, role, &case.values, pr.as_ref(), over).map(Some)
                }
                _ => Ok(None),
            }
        })
        .collect();
    let mut failures = Vec::new();
    let mut results: Vec<PersonResult> = Vec::with_capacity(cases.len());
    for (case, r) in cases.iter().zip(scored) {
        let card = r.unwrap_or_else(|e| {
            failures.push((case.person, e));
            None
        });
        results.push(PersonResult {
            person: case.person,
            card,
        });
    }
    (results, failures)
}

/// A KPI score override recorded (with the score computed), and a total
/// replaced (rounded, graded again).
fn adjust_total(
    plan: &Plan,
    card: &mut Scorecard,
    values: &[Option<Decimal>],
    adjs: &[&Adjustment],
) {
    for a in adjs {
        match a.item {
            AdjItem::Score(k) => {
                let computed = kpi_outcomes(plan, values)
                    .ok()
                    .and_then(|o| match o.get(k) {
                        Some(KpiOutcome::Scored { score, .. }) => Some(shown(*score)),
                        _ => None,
                    });
                card.adjustments.push(applied(a, computed, shown(a.value)));
            }
            AdjItem::Total => {
                let to = round(a.value, plan.rounding.total_decimals, plan.rounding.mode);
                card.adjustments
                    .push(applied(a, Some(shown(card.total)), shown(to)));
                card.total = to;
                card.grade = grade_for(plan, to);
            }
            _ => {}
        }
    }
}

/// A grade replaced, after grading.
fn adjust_grade(plan: &Plan, card: &mut Scorecard, adjs: &[&Adjustment]) {
    for a in adjs {
        if a.item == AdjItem::Grade {
            let to = a.value.to_string().parse::<usize>().unwrap_or(card.grade);
            let name = |g: usize| {
                plan.grades
                    .get(g)
                    .map(|x| x.grade.clone())
                    .unwrap_or_default()
            };
            card.adjustments
                .push(applied(a, Some(name(card.grade)), name(to)));
            card.grade = to;
        }
    }
}

/// Every scorecard's bonus, prorated, then the pools shared. A bonus that
/// cannot be computed takes the person's scorecard away (a failure at the
/// bonus input).
fn bonuses(
    plan: &Plan,
    people: &[Person],
    cases: &[Case],
    results: &mut [PersonResult],
    failures: &mut Vec<(usize, ScoreError)>,
) {
    let culprit = bonus::bonus_input(plan);
    for (case, r) in cases.iter().zip(results.iter_mut()) {
        if let Some(card) = r.card.as_mut()
            && (apply_bonus(plan, card, &case.values).is_err()
                || prorate_bonus(plan, card).is_none())
        {
            if let Some(column) = culprit {
                failures.push((case.person, ScoreError::Bonus { column }));
            }
            r.card = None;
        }
    }
    // A pool beyond the decimal range: the person whose bonus base makes it
    // so is reported at that cell and, like anyone with a data error, leaves
    // the pool, which is then shared among the others.
    while let Err(bonus::PoolOverflow { result }) = bonus::pool_bonuses(plan, people, results) {
        if let (Some(r), Some(column)) = (results.get_mut(result), culprit) {
            failures.push((r.person, ScoreError::Bonus { column }));
            r.card = None;
        } else {
            break;
        }
    }
}

/// A bonus replaced, or an amount added to it.
fn adjust_bonus(plan: &Plan, card: &mut Scorecard, adjs: &[&Adjustment]) {
    let money = |v: Decimal| round(v, plan.rounding.money_decimals, plan.rounding.mode);
    for a in adjs {
        let before = card.bonus;
        let to = match a.item {
            AdjItem::Bonus => money(a.value),
            AdjItem::BonusAdd => money(before.unwrap_or_default().saturating_add(a.value)),
            _ => continue,
        };
        card.adjustments
            .push(applied(a, before.map(shown), shown(to)));
        card.bonus = Some(to);
    }
}

/// A decimal as an adjustment shows it: trailing zeros dropped.
fn shown(v: Decimal) -> String {
    v.normalize().to_string()
}

fn applied(a: &Adjustment, from: Option<String>, to: String) -> Applied {
    Applied {
        item: a.item_text.clone(),
        from: from.unwrap_or_default(),
        to,
        reason: a.reason.clone(),
        approved_by: a.approved_by.clone(),
        at: a.at.clone(),
    }
}

/// The year to date of `year` from its scored months: each person's total is
/// the mean of their rounded monthly totals over the months they were
/// scored, rounded; KPI scores are the means of the monthly scores that
/// applied; no bonus. A person never scored in the year is incomplete.
pub fn year_to_date(
    plan: &Plan,
    people: &[Person],
    year: u16,
    months: &[&PeriodResult],
) -> PeriodResult {
    let mut results: Vec<PersonResult> = (0..people.len())
        .into_par_iter()
        .map(|person| {
            let cards: Vec<(Period, &Scorecard)> = months
                .iter()
                .filter_map(|m| {
                    let card = m.people.get(person).and_then(|r| r.card.as_ref())?;
                    Some((m.period, card))
                })
                .collect();
            let card = (!cards.is_empty()).then(|| ytd_card(plan, &cards));
            PersonResult { person, card }
        })
        .collect();
    rank::rank_all(people, &mut results);
    grade::grade_all(plan, people, &mut results);
    PeriodResult {
        period: Period::YearToDate { year },
        people: results,
        development: Vec::new(),
    }
}

/// The sum and the mean.
fn sum_and_mean(values: impl Iterator<Item = Decimal>) -> (Decimal, Option<Decimal>) {
    let mut n = 0u32;
    let mut sum = Decimal::ZERO;
    for v in values {
        sum += v;
        n += 1;
    }
    (sum, (n > 0).then(|| sum / Decimal::from(n)))
}

fn mean(values: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    sum_and_mean(values).1
}

fn ytd_card(plan: &Plan, months: &[(Period, &Scorecard)]) -> Scorecard {
    let cards: Vec<&Scorecard> = months.iter().map(|(_, c)| *c).collect();
    let (sum, raw_total) = sum_and_mean(cards.iter().map(|c| c.total));
    let raw_total = raw_total.unwrap_or_default();
    let total = round(raw_total, plan.rounding.total_decimals, plan.rounding.mode);
    let kpis = (0..plan.kpis.len())
        .map(|i| {
            let score = mean(cards.iter().filter_map(|c| c.kpis[i].score));
            KpiLine {
                score,
                attainment: mean(cards.iter().filter_map(|c| c.kpis[i].attainment)),
                weight: cards[0].kpis[i].weight,
                share: mean(
                    cards
                        .iter()
                        .filter(|c| c.kpis[i].score.is_some())
                        .map(|c| c.kpis[i].share),
                )
                .unwrap_or_default(),
                points: None,
                passed: plan.kpis[i]
                    .gate
                    .map(|_| cards.iter().all(|c| c.kpis[i].passed != Some(false))),
                raw: None,
                step: Step::Formula,
            }
        })
        .collect();
    let mut failed_gates: Vec<usize> = cards
        .iter()
        .flat_map(|c| c.failed_gates.iter().copied())
        .collect();
    failed_gates.sort_unstable();
    failed_gates.dedup();
    Scorecard {
        kpis,
        weighted_sum: Decimal::ZERO,
        weight_applied: Decimal::ZERO,
        rescaled: false,
        raw_total,
        rounded_total: total,
        total,
        grade: grade_for(plan, total),
        quota: None,
        year: Some(Box::new(YearWorking {
            months: months.iter().map(|(p, c)| (*p, c.total)).collect(),
            sum,
        })),
        ranks: Ranks::default(),
        bonus: None,
        bonus_base: None,
        coefficient: None,
        // A gate failed in any month caps the year's grade as well; a
        // zeroed month already counts 0 in the mean.
        failed_gates,
        total_zeroed_by: None,
        uncapped_grade: None,
        grade_capped_by: None,
        bonus_unrounded: None,
        bonus_detail: None,
        proration: None,
        bonus_before_proration: None,
        prorated_targets: Vec::new(),
        adjustments: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// The inputs of one worked example, in the standard plan's columns.
    fn values(plan: &Plan, pairs: &[(&str, Option<&str>)]) -> Vec<Option<Decimal>> {
        let mut v = vec![None; plan.columns.len()];
        for (id, value) in pairs {
            v[plan.column_ix(id).unwrap()] = value.map(d);
        }
        v
    }

    fn example(plan: &Plan, role: &str, inputs: &[(&str, Option<&str>)]) -> Scorecard {
        let role = plan.role_for_name(role).unwrap();
        let v = values(plan, inputs);
        let mut card = score_case(plan, role, &v).unwrap();
        apply_bonus(plan, &mut card, &v).unwrap();
        card
    }

    fn grade(plan: &Plan, c: &Scorecard) -> String {
        plan.grades[c.grade].grade.clone()
    }

    #[test]
    fn worked_example_s001_sales_representative() {
        let plan = Plan::standard().unwrap();
        let c = example(
            &plan,
            "Sales Representative",
            &[
                ("sales", Some("112500")),
                ("sales_target", Some("100000")),
                ("new_customers", Some("9")),
                ("new_customers_target", Some("10")),
                ("satisfaction", Some("88")),
                ("complaints", Some("1")),
                ("collaboration", Some("4")),
                ("training_hours", Some("6")),
                ("training_hours_target", Some("8")),
                ("bonus_base", Some("5000")),
            ],
        );
        let scores: Vec<String> = c
            .kpis
            .iter()
            .map(|k| k.score.unwrap().normalize().to_string())
            .collect();
        assert_eq!(scores, ["112.5", "90", "80", "80", "80", "75"]);
        assert_eq!(c.raw_total, d("94.75"));
        assert_eq!(c.total.to_string(), "94.75");
        assert_eq!(grade(&plan, &c), "B");
        assert_eq!(c.bonus.unwrap().to_string(), "5000.00");
    }

    #[test]
    fn worked_example_s002_key_account_manager() {
        let plan = Plan::standard().unwrap();
        let c = example(
            &plan,
            "大客户经理",
            &[
                ("sales", Some("90000")),
                ("sales_target", Some("200000")),
                ("new_customers", Some("3")),
                ("new_customers_target", Some("4")),
                ("satisfaction", Some("97")),
                ("complaints", Some("0")),
                ("collaboration", Some("5")),
                ("training_hours", Some("0")),
                ("training_hours_target", Some("0")),
                ("bonus_base", Some("8000")),
            ],
        );
        assert_eq!(c.kpis[0].score, Some(Decimal::ZERO));
        assert_eq!(c.kpis[1].score, Some(d("75")));
        assert_eq!(c.kpis[2].score, Some(d("100")));
        assert_eq!(c.kpis[5].score, None, "training does not apply");
        assert_eq!(c.kpis[5].share, Decimal::ZERO);
        // 5750 / 95
        assert_eq!(c.raw_total, d("5750") / d("95"));
        assert_eq!(c.total.to_string(), "60.53");
        assert_eq!(grade(&plan, &c), "D");
        assert_eq!(c.bonus.unwrap().to_string(), "0.00");
        let shares: Decimal = c.kpis.iter().map(|k| k.share).sum();
        assert_eq!(shares.round_dp(20), d("100"));
    }

    #[test]
    fn worked_example_s003_sales_manager() {
        let plan = Plan::standard().unwrap();
        let c = example(
            &plan,
            "Sales Manager",
            &[
                ("sales", Some("650000")),
                ("sales_target", Some("500000")),
                ("new_customers", Some("12")),
                ("new_customers_target", Some("10")),
                ("satisfaction", Some("92")),
                ("complaints", Some("2")),
                ("collaboration", Some("3")),
                ("training_hours", Some("12")),
                ("training_hours_target", Some("10")),
                ("bonus_base", Some("12000")),
            ],
        );
        assert_eq!(c.kpis[0].score, Some(d("120")));
        assert_eq!(c.kpis[5].score, Some(d("100")));
        assert_eq!(c.total.to_string(), "95.71");
        assert_eq!(grade(&plan, &c), "A");
        assert_eq!(c.bonus.unwrap().to_string(), "14400.00");
    }

    #[test]
    fn blank_target_does_not_apply_and_rescales() {
        let plan = Plan::standard().unwrap();
        let c = example(
            &plan,
            "Sales Representative",
            &[
                ("sales", Some("100000")),
                ("sales_target", Some("100000")),
                ("new_customers", Some("0")),
                ("new_customers_target", None),
                ("satisfaction", Some("95")),
                ("complaints", Some("0")),
                ("collaboration", Some("5")),
                ("training_hours", Some("8")),
                ("training_hours_target", Some("8")),
                ("bonus_base", Some("1000")),
            ],
        );
        assert_eq!(c.kpis[1].score, None);
        // Every KPI that applies scores 100, so the rescaled total is 100.
        assert_eq!(c.total.to_string(), "100.00");
        assert_eq!(c.kpis[0].share, d("50"), "40 of the 80 points that apply");
    }

    #[test]
    fn totals_round_half_away_from_zero() {
        let mode = RoundingMode::HalfAwayFromZero;
        assert_eq!(round(d("94.745"), 2, mode).to_string(), "94.75");
        assert_eq!(round(d("94.735"), 2, mode).to_string(), "94.74");
        assert_eq!(round(d("-0.005"), 2, mode).to_string(), "-0.01");
        // rust_decimal's round_dp would give the even neighbour.
        assert_eq!(d("94.745").round_dp(2).to_string(), "94.74");
        assert_eq!(
            round(d("94.745"), 2, RoundingMode::HalfEven).to_string(),
            "94.74"
        );
    }

    #[test]
    fn total_ending_in_5_at_the_third_decimal_rounds_up() {
        // Sales Representative with every KPI at 100 but sales at 100.0125:
        // total = (40 × 100.0125 + 60 × 100) / 100 = 100.005 -> 100.01.
        let plan = Plan::standard().unwrap();
        let c = example(
            &plan,
            "Sales Representative",
            &[
                ("sales", Some("100012.5")),
                ("sales_target", Some("100000")),
                ("new_customers", Some("10")),
                ("new_customers_target", Some("10")),
                ("satisfaction", Some("95")),
                ("complaints", Some("0")),
                ("collaboration", Some("5")),
                ("training_hours", Some("8")),
                ("training_hours_target", Some("8")),
                ("bonus_base", Some("1000")),
            ],
        );
        assert_eq!(c.raw_total, d("100.005"));
        assert_eq!(c.total.to_string(), "100.01");
    }

    #[test]
    fn grade_thresholds_are_inclusive() {
        let plan = Plan::standard().unwrap();
        let g = |t: &str| plan.grades[grade_for(&plan, d(t))].grade.clone();
        assert_eq!(g("105.00"), "S");
        assert_eq!(g("104.99"), "A");
        assert_eq!(g("95.00"), "A");
        assert_eq!(g("80.00"), "B");
        assert_eq!(g("65.00"), "C");
        assert_eq!(g("64.99"), "D");
        assert_eq!(g("0"), "D");
    }

    fn s003_extended() -> Vec<(&'static str, Option<&'static str>)> {
        vec![
            ("sales", Some("650000")),
            ("sales_target", Some("500000")),
            ("new_customers", Some("12")),
            ("new_customers_target", Some("10")),
            ("satisfaction", Some("92")),
            ("complaints", Some("2")),
            ("collaboration", Some("3")),
            ("training_hours", Some("12")),
            ("training_hours_target", Some("10")),
            ("collection_rate", Some("70")),
            ("expense_ratio", Some("12")),
            ("compliance", Some("0")),
            ("bonus_base", Some("12000")),
        ]
    }

    const EXTENDED: &str = include_str!("../../templates/extended.toml");

    #[test]
    fn failed_gate_zeroes_the_total_when_the_plan_says_so() {
        let text = EXTENDED.replacen(
            "on_fail = \"cap_grade\", cap_grade = \"C\"",
            "on_fail = \"zero_total\"",
            1,
        );
        let plan = Plan::parse(&text).unwrap();
        let c = example(&plan, "Sales Manager", &s003_extended());
        let gate = plan.kpis.iter().position(|k| k.id == "compliance").unwrap();
        assert_eq!(c.failed_gates, [gate]);
        assert_eq!(c.total_zeroed_by, Some(gate));
        assert_eq!(c.kpis[gate].passed, Some(false));
        assert_eq!(c.kpis[gate].weight, Decimal::ZERO);
        // 8871.428571… ÷ 100 stays as the raw total; the total is 0.
        assert!(c.raw_total.to_string().starts_with("88.714285"));
        assert_eq!(c.total.to_string(), "0.00");
        assert_eq!(grade(&plan, &c), "D");
        assert_eq!(c.bonus.unwrap().to_string(), "0.00");
    }

    #[test]
    fn passed_gate_changes_nothing() {
        let plan = Plan::parse(EXTENDED).unwrap();
        let mut inputs = s003_extended();
        inputs[11] = ("compliance", Some("1"));
        let c = example(&plan, "Sales Manager", &inputs);
        assert!(c.failed_gates.is_empty());
        assert_eq!(c.total.to_string(), "88.71");
        assert_eq!(grade(&plan, &c), "B");
    }

    #[test]
    fn score_linear_bonus_with_a_cap() {
        let text =
            standard_with_bonus("method = \"score_linear\"\nbase = \"bonus_base\"\ncap = 90\n");
        let plan = Plan::parse(&text).unwrap();
        // S001: total 94.75 counts up to 90: 5,000 × 90 ÷ 100 = 4,500.00.
        let c = example(&plan, "Sales Representative", &s001());
        assert_eq!(c.bonus.unwrap().to_string(), "4500.00");
        let text = standard_with_bonus("method = \"score_linear\"\nbase = \"bonus_base\"\n");
        let plan = Plan::parse(&text).unwrap();
        // No cap: 5,000 × 94.75 ÷ 100 = 4,737.50.
        let c = example(&plan, "Sales Representative", &s001());
        assert_eq!(c.bonus.unwrap().to_string(), "4737.50");
    }

    fn standard_with_bonus(rule: &str) -> String {
        crate::plan::STANDARD_PLAN.replacen(
            "method = \"grade_coefficient\"\nbase = \"bonus_base\"\ncoefficients = { S = 1.5, A = 1.2, B = 1.0, C = 0.6, D = 0 }\n",
            rule,
            1,
        )
    }

    fn s001() -> Vec<(&'static str, Option<&'static str>)> {
        vec![
            ("sales", Some("112500")),
            ("sales_target", Some("100000")),
            ("new_customers", Some("9")),
            ("new_customers_target", Some("10")),
            ("satisfaction", Some("88")),
            ("complaints", Some("1")),
            ("collaboration", Some("4")),
            ("training_hours", Some("6")),
            ("training_hours_target", Some("8")),
            ("bonus_base", Some("5000")),
        ]
    }

    #[test]
    fn rounding_mode_and_places_come_from_the_plan() {
        // Sales at 100.0125 % with every other KPI at 100: raw total 100.005.
        let mut inputs = s001();
        inputs[0] = ("sales", Some("100012.5"));
        inputs[2] = ("new_customers", Some("10"));
        inputs[4] = ("satisfaction", Some("95"));
        inputs[5] = ("complaints", Some("0"));
        inputs[6] = ("collaboration", Some("5"));
        inputs[7] = ("training_hours", Some("8"));
        let even = crate::plan::STANDARD_PLAN.replacen(
            "mode = \"half_away_from_zero\"",
            "mode = \"half_even\"",
            1,
        );
        let plan = Plan::parse(&even).unwrap();
        let c = example(&plan, "Sales Representative", &inputs);
        assert_eq!(c.raw_total, d("100.005"));
        // Half even: 100.005 -> 100.00 (half away from zero gives 100.01).
        assert_eq!(c.total.to_string(), "100.00");
        let one =
            crate::plan::STANDARD_PLAN.replacen("total_decimals = 2", "total_decimals = 1", 1);
        let plan = Plan::parse(&one).unwrap();
        assert_eq!(
            example(&plan, "Sales Representative", &inputs)
                .total
                .to_string(),
            "100.0"
        );
    }

    #[test]
    fn kpi_scores_are_rounded_before_weighting_when_the_plan_says() {
        let text = crate::plan::STANDARD_PLAN.replacen(
            "total_decimals = 2",
            "kpi_decimals = 2\ntotal_decimals = 2",
            1,
        );
        let plan = Plan::parse(&text).unwrap();
        let c = example(
            &plan,
            "Sales Manager",
            &[
                ("sales", Some("650000")),
                ("sales_target", Some("500000")),
                ("new_customers", Some("12")),
                ("new_customers_target", Some("10")),
                ("satisfaction", Some("92")),
                ("complaints", Some("2")),
                ("collaboration", Some("3")),
                ("training_hours", Some("12")),
                ("training_hours_target", Some("10")),
                ("bonus_base", Some("12000")),
            ],
        );
        // Satisfaction 91.428571… -> 91.43; 3600 + 1800 + 91.43 × 15 + 600
        // + 1200 + 1000 = 9571.45 ÷ 100 = 95.7145 exactly.
        assert_eq!(c.kpis[2].score, Some(d("91.43")));
        assert_eq!(c.raw_total, d("95.7145"));
        assert_eq!(c.total.to_string(), "95.71");
    }
}
