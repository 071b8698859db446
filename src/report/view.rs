//! One period as the workbooks see it: the scored results, the inputs they
//! came from (targets and actuals, which scorecards do not carry), the
//! months before it (for trends) and its data issues.
//!
//! Aggregates here (averages, medians, sums of targets and actuals, grade
//! counts) summarise scores; nothing here computes a score.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::Lang;
use crate::diagnostics::Diagnostic;
use crate::input::{Case, Person};
use crate::plan::Plan;
use crate::score::{PeriodResult, Scorecard};

/// Company-wide figures that every team sheet compares against.
#[derive(Debug)]
pub struct CompanyFigures {
    pub grade_counts: Vec<usize>,
    pub mean_total: Option<Decimal>,
    pub kpi_means: Vec<Option<Decimal>>,
}

/// A period with everything its workbooks show.
pub struct PeriodView<'a> {
    pub plan: &'a Plan,
    pub people: &'a [Person],
    pub result: &'a PeriodResult,
    /// The months this period is made of, with their inputs: the month
    /// itself, or every month of a year to date.
    pub inputs: Vec<(&'a PeriodResult, &'a [Case])>,
    /// Every month up to the end of this period, oldest first (trends).
    pub history: Vec<&'a PeriodResult>,
    /// The data issues that concern this period.
    pub issues: Vec<&'a Diagnostic>,
    pub lang: Lang,
    /// Company-wide figures, computed on first use and shared by every
    /// workbook of the period (see [`PeriodView::company`]).
    pub company: std::sync::OnceLock<CompanyFigures>,
    /// Everything the run read, for the calculation trail of each person.
    pub sources: crate::report::explain::Sources<'a>,
    /// This period's index in `sources.periods`.
    pub period_ix: usize,
}

/// Mean of decimals; None for none.
pub fn mean(values: &[Decimal]) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    let sum: Decimal = values.iter().copied().sum();
    sum.checked_div(Decimal::from(values.len()))
}

/// Median of decimals; None for none.
pub fn median(values: &[Decimal]) -> Option<Decimal> {
    let mut v = values.to_vec();
    v.sort();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / Decimal::TWO),
    }
}

impl<'a> PeriodView<'a> {
    /// True for a month, false for a year to date.
    pub fn is_month(&self) -> bool {
        matches!(self.result.period, crate::period::Period::Month { .. })
    }

    /// The scorecard of `person`, None when incomplete.
    pub fn card(&self, person: usize) -> Option<&'a Scorecard> {
        self.result.people.get(person).and_then(|r| r.card.as_ref())
    }

    /// The target and actual of KPI `k` for `person` in a month (None for
    /// a year to date, where they are not one number).
    pub fn target_actual(&self, person: usize, k: usize) -> (Option<Decimal>, Option<Decimal>) {
        if !self.is_month() {
            return (None, None);
        }
        let Some(case) = self.inputs.first().and_then(|(_, c)| c.get(person)) else {
            return (None, None);
        };
        let kpi = &self.plan.kpis[k];
        (
            kpi.target
                .and_then(|t| case.values.get(t).copied().flatten()),
            case.values.get(kpi.actual).copied().flatten(),
        )
    }

    /// The headline KPI: the plan's first KPI measured against a target
    /// (sales in the standard plan).
    pub fn headline_kpi(&self) -> Option<usize> {
        self.plan.kpis.iter().position(|k| k.target.is_some())
    }

    /// Σ actual and Σ target of the headline KPI over the scored people
    /// `include` accepts, across the period's months; None without a
    /// headline KPI or anyone with a target.
    pub fn actual_vs_target(&self, include: impl Fn(usize) -> bool) -> Option<(Decimal, Decimal)> {
        let kpi = &self.plan.kpis[self.headline_kpi()?];
        let t = kpi.target?;
        let (mut actual, mut target) = (Decimal::ZERO, Decimal::ZERO);
        let mut any = false;
        for (result, cases) in &self.inputs {
            for case in cases.iter() {
                let scored = result
                    .people
                    .get(case.person)
                    .is_some_and(|r| r.card.is_some());
                if !scored || !include(case.person) {
                    continue;
                }
                if let (Some(a), Some(tv)) = (case.values[kpi.actual], case.values[t]) {
                    actual = actual.checked_add(a)?;
                    target = target.checked_add(tv)?;
                    any = true;
                }
            }
        }
        any.then_some((actual, target))
    }

    /// Rounded totals of the scored people `include` accepts.
    pub fn totals(&self, include: impl Fn(usize) -> bool) -> Vec<Decimal> {
        self.result
            .people
            .iter()
            .filter(|r| include(r.person))
            .filter_map(|r| r.card.as_ref().map(|c| c.total))
            .collect()
    }

    /// The company's figures, computed once per period: a team sheet would
    /// otherwise walk the whole company for every team.
    pub fn company(&self) -> &CompanyFigures {
        self.company.get_or_init(|| CompanyFigures {
            grade_counts: self.grade_counts(|_| true),
            mean_total: mean(&self.totals(|_| true)),
            kpi_means: (0..self.plan.kpis.len())
                .map(|k| mean(&self.kpi_scores(k, |_| true)))
                .collect(),
        })
    }

    /// The results of `members` (roster indices), without walking the
    /// whole company.
    pub fn results_of<'s>(
        &'s self,
        members: &'s [usize],
    ) -> impl Iterator<Item = &'a crate::score::PersonResult> + 's {
        members
            .iter()
            .filter_map(|&p| self.result.people.get(p).filter(|r| r.person == p))
    }

    /// Totals of the scored `members`.
    pub fn totals_of(&self, members: &[usize]) -> Vec<Decimal> {
        self.results_of(members)
            .filter_map(|r| r.card.as_ref().map(|c| c.total))
            .collect()
    }

    /// Scores of KPI `k` of the scored `members`, where it applies.
    pub fn kpi_scores_of(&self, k: usize, members: &[usize]) -> Vec<Decimal> {
        self.results_of(members)
            .filter_map(|r| r.card.as_ref().and_then(|c| c.kpis[k].score))
            .collect()
    }

    /// Grade counts of the scored `members`.
    pub fn grade_counts_of(&self, members: &[usize]) -> Vec<usize> {
        let mut counts = vec![0; self.plan.grades.len()];
        for c in self.results_of(members).filter_map(|r| r.card.as_ref()) {
            counts[c.grade] += 1;
        }
        counts
    }

    /// Scores of KPI `k` of the scored people `include` accepts, where the
    /// KPI applies.
    pub fn kpi_scores(&self, k: usize, include: impl Fn(usize) -> bool) -> Vec<Decimal> {
        self.result
            .people
            .iter()
            .filter(|r| include(r.person))
            .filter_map(|r| r.card.as_ref().and_then(|c| c.kpis[k].score))
            .collect()
    }

    /// How many scored people `include` accepts hold each grade.
    pub fn grade_counts(&self, include: impl Fn(usize) -> bool) -> Vec<usize> {
        let mut counts = vec![0; self.plan.grades.len()];
        for r in self.result.people.iter().filter(|r| include(r.person)) {
            if let Some(c) = &r.card {
                counts[c.grade] += 1;
            }
        }
        counts
    }

    /// Σ bonus of the people `include` accepts; None for a year to date.
    pub fn bonus_total(&self, include: impl Fn(usize) -> bool) -> Option<Decimal> {
        if !self.is_month() {
            return None;
        }
        let mut sum = Decimal::ZERO;
        for r in self.result.people.iter().filter(|r| include(r.person)) {
            if let Some(b) = r.card.as_ref().and_then(|c| c.bonus) {
                sum = sum.checked_add(b)?;
            }
        }
        Some(sum)
    }

    /// Department names, sorted.
    pub fn departments(&self) -> Vec<&'a str> {
        let set: BTreeSet<&str> = self.people.iter().map(|p| p.department.as_str()).collect();
        set.into_iter().collect()
    }

    /// The roster index of the person with this staff id. The roster is
    /// sorted by staff id, so this is a binary search (with a scan as the
    /// fallback should it ever not be).
    pub fn person_by_id(&self, id: &str) -> Option<usize> {
        if id.is_empty() {
            return None;
        }
        match self
            .people
            .binary_search_by(|p| p.staff_id.as_str().cmp(id))
        {
            Ok(ix) => Some(ix),
            Err(_) => self.people.iter().position(|p| p.staff_id == id),
        }
    }

    /// The data issues that name `person`.
    pub fn issues_of(&self, person: usize) -> Vec<&'a Diagnostic> {
        let id = &self.people[person].staff_id;
        self.issues
            .iter()
            .copied()
            .filter(|d| d.staff_id.as_deref() == Some(id.as_str()))
            .collect()
    }

    /// The role's label in the report language, or the role as written.
    pub fn role_label(&self, person: usize) -> &'a str {
        let p = &self.people[person];
        match p.role {
            Some(ix) => self.lang.label(&self.plan.roles[ix].label),
            None => p.role_name.as_str(),
        }
    }

    /// The grade's letter and label ("B", "Good").
    pub fn grade_words(&self, grade: usize) -> (&'a str, &'a str) {
        let g = &self.plan.grades[grade];
        (g.grade.as_str(), self.lang.label(&g.label))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn mean_and_median() {
        let v = [d("94.75"), d("60.53"), d("95.71")];
        // (94.75 + 60.53 + 95.71) / 3 = 250.99 / 3 = 83.6633…
        assert_eq!(mean(&v).unwrap().round_dp(4), d("83.6633"));
        assert_eq!(median(&v), Some(d("94.75")));
        // Even count: the mean of the middle two, (60.53 + 94.75) / 2.
        assert_eq!(median(&v[..2]), Some(d("77.64")));
        assert_eq!(mean(&[]), None);
        assert_eq!(median(&[]), None);
    }
}
