//! `explain`: the whole calculation for one person in one period, as lines
//! a salesperson can follow with a calculator.
//!
//! [`explain`] renders the records of the scored [`Evaluation`] and never
//! computes: each scorecard carries every intermediate figure the trail
//! shows (the method's raw result, the band reached, the weights that
//! apply, the total before rounding, the quota, the counted total, the
//! pool's round-down), so the trail cannot disagree with the number paid.
//! Each KPI's inputs with the cells they came from, the method's
//! formula with the person's numbers, the weight and its share after
//! dropping the KPIs that do not apply, the total before and after rounding,
//! the grade rule, the ranks and the bonus formula. The trail is data
//! ([`Explanation`]) so the review sheets can show the same lines; the command
//! line prints it. The lines are in English or Chinese ([`Lang`]): the same
//! numbers in the same order, only the words differ.

use std::fmt;

use rust_decimal::Decimal;

use crate::diagnostics::{Diagnostic, Severity};
use crate::input::{Case, Person, Record};
use crate::lang::Lang;
use crate::lang::tr;

mod bonus;
mod grade;
mod kpi;
mod steps;
mod total;
use crate::period::Period;
use crate::plan::{Kpi, Plan, RoundingMode, TableKind};
use crate::score::{Evaluation, PeriodResult, Scorecard};

/// Why there is nothing to explain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    /// The staff id is not in the roster.
    #[error("staff id '{id}' is not in the roster{hint}")]
    UnknownStaff { id: String, hint: String },
    /// The period was not found in the input.
    #[error("period '{wanted}' is not in the input; periods found: {known}")]
    UnknownPeriod { wanted: String, known: String },
}

/// Which part of the calculation a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Person,
    Kpi,
    Total,
    Grade,
    Rank,
    Bonus,
    /// Why the person has no score (incomplete).
    Issue,
}

impl Section {
    /// The section's heading in `lang`.
    pub fn heading(self, lang: Lang) -> &'static str {
        lang.t(match self {
            Section::Person => ("Person", "人员"),
            Section::Kpi => ("KPIs", "各项指标"),
            Section::Total => ("Total", "总分"),
            Section::Grade => ("Grade", "等级"),
            Section::Rank => ("Ranks", "排名"),
            Section::Bonus => ("Bonus", "奖金"),
            Section::Issue => ("Why there is no score", "为何没有得分"),
        })
    }
}

/// One line of the trail; `indent` 0 is a heading-level line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub section: Section,
    pub indent: u8,
    pub text: String,
}

/// One person's calculation in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub staff_id: String,
    pub period: Period,
    /// The language of the lines and headings.
    pub lang: Lang,
    pub lines: Vec<Line>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut section = None;
        for line in &self.lines {
            if section != Some(line.section) {
                if section.is_some() {
                    writeln!(f)?;
                }
                writeln!(f, "{}", line.section.heading(self.lang))?;
                section = Some(line.section);
            }
            let pad = "  ".repeat(usize::from(line.indent) + 1);
            writeln!(f, "{pad}{}", line.text)?;
        }
        Ok(())
    }
}

/// What a trail is read from: the parts of an [`Evaluation`], borrowed, so
/// the review writer can build trails from the same data it reports.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    pub plan: &'a Plan,
    /// Roster order (by staff id).
    pub people: &'a [Person],
    /// Scored periods; each period's `people` is in roster order.
    pub periods: &'a [PeriodResult],
    /// Each month's cases, one per person in roster order.
    pub cases: &'a [(Period, Vec<Case>)],
    /// The records the cases point into, for source cells.
    pub records: &'a [Record],
    pub diagnostics: &'a [Diagnostic],
}

impl<'a> Sources<'a> {
    /// The sources of an evaluation scored under `plan`.
    pub fn of(plan: &'a Plan, eval: &'a Evaluation) -> Sources<'a> {
        Sources {
            plan,
            people: &eval.input.dataset.people,
            periods: &eval.periods,
            cases: &eval.input.dataset.periods,
            records: &eval.input.dataset.records,
            diagnostics: &eval.input.diagnostics,
        }
    }
}

/// Explains one person's figures. `period` None: the latest month.
///
/// # Errors
/// [`ExplainError`] for a staff id or period not in the input.
pub fn explain(
    plan: &Plan,
    eval: &Evaluation,
    staff_id: &str,
    period: Option<Period>,
    lang: Lang,
) -> Result<Explanation, ExplainError> {
    let src = Sources::of(plan, eval);
    let people = src.people;
    let Some(person_ix) = people.iter().position(|p| p.staff_id == staff_id) else {
        let hint = people
            .iter()
            .find(|p| p.staff_id.eq_ignore_ascii_case(staff_id.trim()))
            .map(|p| format!("; did you mean '{}'?", p.staff_id))
            .unwrap_or_default();
        return Err(ExplainError::UnknownStaff {
            id: staff_id.to_owned(),
            hint,
        });
    };
    let wanted = period.or_else(|| {
        src.periods
            .iter()
            .rev()
            .map(|p| p.period)
            .find(|p| matches!(p, Period::Month { .. }))
    });
    let Some(period_ix) = src.periods.iter().position(|p| Some(p.period) == wanted) else {
        let known: Vec<String> = src.periods.iter().map(|p| p.period.folder()).collect();
        return Err(ExplainError::UnknownPeriod {
            wanted: wanted.map(|p| p.folder()).unwrap_or_default(),
            known: known.join(", "),
        });
    };
    Ok(trail(&src, person_ix, period_ix, lang))
}

/// The trail of `person` (roster index) in period `period_ix` (index into
/// `src.periods`). Lookups are by index, so a writer can build one per
/// review sheet at any company size.
pub fn trail(src: &Sources<'_>, person_ix: usize, period_ix: usize, lang: Lang) -> Explanation {
    let result = &src.periods[period_ix];
    let person = &src.people[person_ix];
    let mut t = Trail {
        src,
        lang,
        lines: Vec::new(),
    };
    t.person(person, result.period);
    let card = card_of(result, person_ix);
    if let Some(card) = card {
        t.employment(card);
        t.adjusted(card);
    }
    let case = src
        .cases
        .iter()
        .find(|(p, _)| *p == result.period)
        .and_then(|(_, cases)| case_of(cases, person_ix));
    match (card, result.period) {
        (None, _) => t.incomplete(person, result.period),
        (Some(card), Period::Month { .. }) => {
            if let Some(case) = case {
                t.month(person, case, card);
            }
        }
        (Some(card), Period::YearToDate { .. }) => t.year(card),
    }
    if let Some(card) = card {
        t.grade(card);
        t.ranks(person, card);
        if matches!(result.period, Period::Month { .. }) {
            t.bonus(person, case, card);
        } else {
            let text = lang.t(("no bonus for the year to date", "年度累计不计奖金"));
            t.line(Section::Bonus, 0, text);
        }
    }
    Explanation {
        staff_id: person.staff_id.clone(),
        period: result.period,
        lang,
        lines: t.lines,
    }
}

/// A person's scorecard in a period: `people` is in roster order.
fn card_of(result: &PeriodResult, person: usize) -> Option<&Scorecard> {
    let r = result.people.get(person)?;
    debug_assert_eq!(r.person, person, "period results in roster order");
    r.card.as_ref()
}

/// A person's case in a month: one per person in roster order.
fn case_of(cases: &[Case], person: usize) -> Option<&Case> {
    let c = cases.get(person)?;
    debug_assert_eq!(c.person, person, "cases in roster order");
    Some(c)
}

/// A decimal as shown in the trail: up to 6 decimals, trailing zeros
/// dropped, `…` when digits were cut.
pub fn num(value: Decimal) -> String {
    let short = value.round_dp(6);
    let mut text = short.normalize().to_string();
    if short != value {
        text.push('…');
    }
    text
}

fn mode_name(mode: RoundingMode, lang: Lang) -> &'static str {
    lang.t(match mode {
        RoundingMode::HalfAwayFromZero => ("half away from zero", "四舍五入（远离零）"),
        RoundingMode::HalfEven => ("half to even", "银行家舍入（四舍六入五成双）"),
    })
}

/// A value missing from its cell.
fn blank(lang: Lang) -> &'static str {
    lang.t(("blank", "空白"))
}

/// `2026-10` / `2026-YTD`, or `2026年10月` / `2026年度累计`.
fn period_text(period: Period, lang: Lang) -> String {
    match (lang, period) {
        (Lang::En, _) => period.to_string(),
        (Lang::Zh, Period::Month { year, month }) => format!("{year}年{month}月"),
        (Lang::Zh, Period::YearToDate { year }) => format!("{year}年度累计"),
    }
}

struct Trail<'s, 'a> {
    src: &'s Sources<'a>,
    /// The language of the lines (labels from the plan, fixed words here).
    lang: Lang,
    lines: Vec<Line>,
}

impl Trail<'_, '_> {
    fn line(&mut self, section: Section, indent: u8, text: impl Into<String>) {
        self.lines.push(Line {
            section,
            indent,
            text: text.into(),
        });
    }

    /// A gate KPI as named in a line: its id in English, its label in
    /// Chinese.
    fn gate_name<'k>(&self, kpi: &'k Kpi) -> &'k str {
        match self.lang {
            Lang::En => &kpi.id,
            Lang::Zh => &kpi.label.zh,
        }
    }

    fn person(&mut self, p: &Person, period: Period) {
        let role = p.role.map_or(p.role_name.as_str(), |r| {
            self.lang.label(&self.src.plan.roles[r].label)
        });
        let text = tr!(
            self.lang,
            "{} {} — {}, {} — {}",
            "{} {} — {}，{} — {}",
            p.staff_id,
            p.name,
            p.department,
            role,
            period_text(period, self.lang)
        );
        self.line(Section::Person, 0, text);
        let text = tr!(self.lang, "plan: {}", "方案：{}", self.src.plan.name);
        self.line(Section::Person, 0, text);
    }

    /// `adjusted: sales from 90000 to 95000 — reason — approved by … [cell]`.
    fn adjusted(&mut self, card: &crate::score::Scorecard) {
        for a in &card.adjustments {
            let from = if a.from.is_empty() {
                blank(self.lang).to_owned()
            } else {
                a.from.clone()
            };
            let text = tr!(
                self.lang,
                "adjusted: {} from {from} to {} — {} — approved by {}  [{}]",
                "调整：{} 由 {from} 调为 {} — {} — 审批人 {}  [{}]",
                a.item,
                a.to,
                a.reason,
                a.approved_by,
                a.at
            );
            self.line(Section::Person, 0, text);
        }
    }

    fn incomplete(&mut self, p: &Person, period: Period) {
        let text = self.lang.t((
            "incomplete: no score, grade, rank or bonus until these are fixed",
            "数据不全：以下问题更正前，不计得分、等级、排名和奖金",
        ));
        self.line(Section::Issue, 0, text);
        let issues: Vec<String> = self
            .src
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| d.staff_id.as_deref() == Some(p.staff_id.as_str()))
            .filter(|d| d.period.is_none() || d.period == Some(period))
            .map(|d| d.render(self.lang))
            .collect();
        for issue in issues {
            self.line(Section::Issue, 1, issue);
        }
    }

    /// `Sales = 112500  [file › sheet › cell]`. In Chinese without the
    /// column's name: the plan names its columns by their first alias, often
    /// English, and the line's own word (实际, 目标, 奖金基数) and the cell
    /// already say what the value is.
    fn input(&self, p: &Person, case: &Case, column: usize, value: Option<Decimal>) -> String {
        let c = &self.src.plan.columns[column];
        let records = self.src.records;
        let record = match c.table {
            TableKind::Staff | TableKind::Key => Some(p.record),
            TableKind::Targets => case.targets,
            TableKind::Results => case.results,
        };
        let mut shown = value.map_or_else(|| blank(self.lang).to_owned(), num);
        let rec = record.and_then(|r| records.get(r));
        // A value converted from what the cell holds (a unit such as 万元,
        // a scale the plan declares) shows how: `100000 (10 万 × 10000 = 100000)`.
        if let Some(note) = rec.and_then(|r| r.note(column)) {
            shown = format!("{shown} ({note})");
        }
        let cell = match rec {
            Some(r) => format!("[{}]", r.cell(column)),
            None => self.lang.t(("[no row]", "[无此行]")).to_owned(),
        };
        let column = &c.display;
        tr!(self.lang, "{column} = {shown}  {cell}", "{shown}  {cell}")
    }

    fn ranks(&mut self, p: &Person, card: &Scorecard) {
        let r = card.ranks;
        let role = match (self.lang, p.role) {
            (Lang::Zh, Some(role)) => self.src.plan.roles[role].label.zh.as_str(),
            _ => p.role_name.as_str(),
        };
        let text = tr!(
            self.lang,
            "company {} of {}; department {} {} of {}; role {} {} of {} (by total, highest first, ties share a rank)",
            "公司第{}名（共{}人）；部门“{}”第{}名（共{}人）；岗位“{}”第{}名（共{}人）（按总分从高到低，同分并列）",
            r.company.0,
            r.company.1,
            p.department,
            r.department.0,
            r.department.1,
            role,
            r.role.0,
            r.role.1
        );
        self.line(Section::Rank, 0, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_both_languages() {
        let sections = [
            Section::Person,
            Section::Kpi,
            Section::Total,
            Section::Grade,
            Section::Rank,
            Section::Bonus,
            Section::Issue,
        ];
        for section in sections {
            let en = section.heading(Lang::En);
            let zh = section.heading(Lang::Zh);
            assert!(en.is_ascii(), "{en}");
            assert!(zh.chars().all(|c| !c.is_ascii()), "{zh}");
        }
        assert_eq!(Section::Kpi.heading(Lang::Zh), "各项指标");
    }

    #[test]
    fn periods_in_chinese() {
        let month = Period::Month {
            year: 2026,
            month: 10,
        };
        assert_eq!(period_text(month, Lang::En), "2026-10");
        assert_eq!(period_text(month, Lang::Zh), "2026年10月");
        let ytd = Period::YearToDate { year: 2026 };
        assert_eq!(period_text(ytd, Lang::Zh), "2026年度累计");
    }

    #[test]
    fn numbers_show_up_to_six_decimals() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(num(d("112.500")), "112.5");
        assert_eq!(num(d("91.428571428571")), "91.428571…");
        assert_eq!(num(d("5000.00")), "5000");
    }
}
