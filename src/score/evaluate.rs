//! A folder's evaluation: read every workbook, then score every period and
//! each year's year to date. [`evaluate`] is what every front end calls
//! first; reports, `explain` and `check` only render its result.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::input::{self, Input, InputError};
use crate::period::Period;
use crate::plan::{Plan, TableKind};
use crate::progress::Progress;
use crate::timings::Timings;

use super::{PeriodResult, ScoreError};

/// Scored periods (months ascending, each year's year-to-date after its
/// last month) and every data issue, sorted.
#[derive(Debug)]
pub struct Evaluation {
    pub input: Input,
    pub periods: Vec<PeriodResult>,
}

impl Evaluation {
    /// Issues that count against the run: errors and warnings.
    pub fn issue_count(&self) -> usize {
        self.input
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .count()
    }
}

/// Reads, validates and scores a folder.
///
/// # Errors
/// [`InputError`] when the folder or a workbook cannot be read at all.
pub fn evaluate(dir: &Path, plan: &Plan) -> Result<Evaluation, InputError> {
    evaluate_with(
        dir,
        plan,
        &input::Limits::default(),
        &mut Timings::new(),
        Progress::hidden(),
    )
}

/// [`evaluate`] with reading limits, recording its phases (discover, read,
/// validate, score) and showing progress.
///
/// # Errors
/// [`InputError`] when the folder or a workbook cannot be read at all.
pub fn evaluate_with(
    dir: &Path,
    plan: &Plan,
    limits: &input::Limits,
    t: &mut Timings,
    progress: Progress,
) -> Result<Evaluation, InputError> {
    let input = input::read_dir_observed(dir, plan, limits, t, progress)?;
    let people: usize = input.dataset.periods.iter().map(|(_, c)| c.len()).sum();
    let bar = progress.bar("people scored", people as u64);
    let eval = t.time("score", || score_input(plan, input));
    bar.inc(people as u64);
    bar.finish_and_clear();
    Ok(eval)
}

/// Scores what was read: every period, then each year's year to date.
pub fn score_input(plan: &Plan, mut input: Input) -> Evaluation {
    let mut periods = Vec::new();
    let mut extra = Vec::new();
    for (period, cases) in &input.dataset.periods {
        let mine: Vec<&input::adjust::Adjustment> = input
            .adjustments
            .iter()
            .filter(|a| a.period == *period)
            .collect();
        let (result, failures, unapplied) =
            super::score_period_with(plan, &input.dataset.people, *period, cases, &mine);
        extra.extend(unapplied.into_iter().map(|a| not_applied(a, *period)));
        for (person, why) in failures {
            extra.push(failure(
                plan,
                &input.dataset,
                &cases[person],
                person,
                why,
                *period,
            ));
        }
        periods.push(result);
    }
    // Year to date for every year with two or more months.
    let mut years: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
    for (i, r) in periods.iter().enumerate() {
        years.entry(r.period.year()).or_default().push(i);
    }
    let mut ytd = Vec::new();
    for (year, months) in years.iter().filter(|(_, m)| m.len() >= 2) {
        let refs: Vec<&PeriodResult> = months.iter().map(|&i| &periods[i]).collect();
        ytd.push(super::year_to_date(
            plan,
            &input.dataset.people,
            *year,
            &refs,
        ));
    }
    periods.extend(ytd);
    periods.sort_by_key(|p| p.period);
    let lists: Vec<_> = (0..periods.len())
        .map(|i| super::development::development(plan, &input.dataset.people, &periods, i))
        .collect();
    for (p, list) in periods.iter_mut().zip(lists) {
        p.development = list;
    }
    input.diagnostics.extend(extra);
    input
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Evaluation { input, periods }
}

/// An adjustment of a person with no score for the period: not applied.
fn not_applied(a: &input::adjust::Adjustment, period: Period) -> Diagnostic {
    Diagnostic::new(
        Severity::Warning,
        Code::Adjustment,
        a.at.clone(),
        format!(
            "{}: has no score for {period}, so the adjustment of '{}' is not applied; fix the person's data first",
            a.staff_id, a.item_text
        ),
    )
    .zh(format!(
        "{}：在 {period} 没有得分，因此“{}”的调整未应用；请先更正其数据",
        a.staff_id, a.item_text
    ))
    .for_person(&a.staff_id, Some(period))
}

/// Why a person of the period could not be scored, at the cell to check.
fn failure(
    plan: &Plan,
    dataset: &input::Dataset,
    case: &input::Case,
    person: usize,
    why: ScoreError,
    period: Period,
) -> Diagnostic {
    let p = &dataset.people[person];
    let mut loc = case
        .results
        .map(|r| dataset.records[r].location())
        .unwrap_or_else(|| dataset.records[p.record].location());
    let (code, msg, zh) = match why {
        ScoreError::Bonus { column } => {
            let c = &plan.columns[column];
            let record = match c.table {
                TableKind::Staff | TableKind::Key => Some(p.record),
                TableKind::Targets => case.targets,
                TableKind::Results => case.results,
            };
            if let Some(r) = record.and_then(|r| dataset.records.get(r)) {
                loc = r.cell(column);
            }
            (
                Code::OutOfRange,
                format!(
                    "{}: the bonus cannot be computed from this '{}' (the sum or \
                     product leaves the range of exact decimals); check the value",
                    p.staff_id, c.display
                ),
                format!(
                    "{}：无法用此“{}”计算奖金（求和或乘积超出精确小数的范围）；请检查该数值",
                    p.staff_id, c.display
                ),
            )
        }
        ScoreError::Overflow { kpi } => (
            Code::OutOfRange,
            format!(
                "{}: the values for '{}' are too extreme to compute; check them",
                p.staff_id, plan.kpis[kpi].id
            ),
            format!(
                "{}：“{}”的数值过于极端，无法计算；请检查",
                p.staff_id, plan.kpis[kpi].label.zh
            ),
        ),
        ScoreError::TooFewDays { days, min } => (
            Code::NotScored,
            format!(
                "{} ({}) is not scored for {period}: employed {days} days in it, fewer than the plan's minimum of {min} (proration.min_days)",
                p.staff_id, p.name
            ),
            format!(
                "{}（{}）在 {period} 不参与评分：该月在职 {days} 天，少于方案规定的最少 {min} 天（proration.min_days）",
                p.staff_id, p.name
            ),
        ),
        ScoreError::NoKpiApplies => (
            Code::NoKpiApplies,
            format!(
                "{}: no KPI applies (every target is 0 or blank); enter the targets",
                p.staff_id
            ),
            format!(
                "{}：没有适用的指标（所有目标均为 0 或空白）；请填写目标",
                p.staff_id
            ),
        ),
    };
    let made = if matches!(why, ScoreError::TooFewDays { .. }) {
        Diagnostic::info(code, loc, msg)
    } else {
        Diagnostic::error(code, loc, msg)
    };
    made.zh(zh).for_person(&p.staff_id, Some(period))
}
