//! `explain`: the whole calculation for one person in one period, as lines
//! a salesperson can follow with a calculator.
//!
//! [`explain`] reads the scored [`Evaluation`] (it never recomputes a
//! score): each KPI's inputs with the cells they came from, the method's
//! formula with the person's numbers, the weight and its share after
//! dropping the KPIs that do not apply, the total before and after rounding,
//! the grade rule, the ranks and the bonus formula. The trail is data
//! ([`Explanation`]) so the review sheets can show the same lines; the CLI
//! prints it.

use std::fmt;

use rust_decimal::Decimal;

use crate::Evaluation;
use crate::diagnostics::{Diagnostic, Severity};
use crate::input::{Case, Person, Record};
use crate::period::{Period, find_period};
use crate::plan::{
    BandMode, Bonus, Direction, GradingMethod, Kpi, Method, OnFail, Plan, RoundingMode, Scope,
    TableKind, ZeroActual,
};
use crate::report::Lang;
use crate::score::{BonusDetail, KpiLine, PeriodResult, Scorecard};

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
                writeln!(f, "{}", line.section.heading(Lang::En))?;
                section = Some(line.section);
            }
            let pad = "  ".repeat(usize::from(line.indent) + 1);
            writeln!(f, "{pad}{}", line.text)?;
        }
        Ok(())
    }
}

/// `kpi-report explain`: prints the trail on stdout. Exit 0, or 3 when the
/// person has no score in the period (the trail lists why).
///
/// # Errors
/// A bad plan, unreadable input, or a staff id or period not in the input.
pub fn command(args: &crate::cli::ExplainArgs) -> Result<u8, crate::error::Error> {
    let plan = crate::config::load_plan(args.plan.as_deref())?;
    let period = match args.period.as_deref() {
        Some(text) => Some(
            parse_period(text).ok_or_else(|| ExplainError::UnknownPeriod {
                wanted: text.to_owned(),
                known: "(a month such as 2026-10, or ytd-2026)".to_owned(),
            })?,
        ),
        None => None,
    };
    let eval = crate::evaluate(&args.input_dir, &plan)?;
    let explanation = explain(
        &plan,
        &eval,
        &args.staff,
        period,
        crate::config::lang(args.lang),
    )?;
    print!("{explanation}");
    let incomplete = explanation
        .lines
        .iter()
        .any(|l| l.section == Section::Issue);
    Ok(if incomplete {
        crate::EXIT_ISSUES
    } else {
        crate::EXIT_OK
    })
}

/// Parses a `--period` value: `2026-10` (any spelling the inputs accept)
/// or `ytd-2026`.
pub fn parse_period(text: &str) -> Option<Period> {
    let t = text.trim().to_ascii_lowercase();
    if let Some(rest) = t.strip_prefix("ytd") {
        let year = rest
            .trim_start_matches(['-', ' ', '_'])
            .parse::<u16>()
            .ok()?;
        return Some(Period::YearToDate { year });
    }
    if let Some(year) = t.strip_suffix("-ytd") {
        return Some(Period::YearToDate {
            year: year.parse().ok()?,
        });
    }
    find_period(text)
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
        (Some(card), Period::YearToDate { year }) => t.year(person_ix, year, card),
    }
    if let Some(card) = card {
        t.grade(card);
        t.ranks(person, card);
        if matches!(result.period, Period::Month { .. }) {
            t.bonus(person, case, card);
        } else {
            t.line(Section::Bonus, 0, "no bonus for the year to date");
        }
    }
    Explanation {
        staff_id: person.staff_id.clone(),
        period: result.period,
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

fn mode_name(mode: RoundingMode) -> &'static str {
    match mode {
        RoundingMode::HalfAwayFromZero => "half away from zero",
        RoundingMode::HalfEven => "half to even",
    }
}

struct Trail<'s, 'a> {
    src: &'s Sources<'a>,
    /// The language of the lines (labels from the plan, fixed words here).
    #[allow(dead_code)]
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

    fn person(&mut self, p: &Person, period: Period) {
        let role = p.role.map_or(p.role_name.as_str(), |r| {
            self.src.plan.roles[r].label.en.as_str()
        });
        self.line(
            Section::Person,
            0,
            format!(
                "{} {} — {}, {} — {}",
                p.staff_id, p.name, p.department, role, period
            ),
        );
        self.line(Section::Person, 0, format!("plan: {}", self.src.plan.name));
    }

    fn incomplete(&mut self, p: &Person, period: Period) {
        self.line(
            Section::Issue,
            0,
            "incomplete: no score, grade, rank or bonus until these are fixed",
        );
        let issues: Vec<String> = self
            .src
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| d.staff_id.as_deref() == Some(p.staff_id.as_str()))
            .filter(|d| d.period.is_none() || d.period == Some(period))
            .map(|d| d.to_string())
            .collect();
        for issue in issues {
            self.line(Section::Issue, 1, issue);
        }
    }

    /// `Sales = 112500 [file › sheet › cell]`
    fn input(&self, p: &Person, case: &Case, column: usize, value: Option<Decimal>) -> String {
        let c = &self.src.plan.columns[column];
        let records = self.src.records;
        let record = match c.table {
            TableKind::Staff | TableKind::Key => Some(p.record),
            TableKind::Targets => case.targets,
            TableKind::Results => case.results,
        };
        let shown = value.map_or_else(|| "blank".to_owned(), num);
        match record.and_then(|r| records.get(r)) {
            Some(r) => format!("{} = {shown}  [{}]", c.display, r.cell(column)),
            None => format!("{} = {shown}  [no row]", c.display),
        }
    }

    fn month(&mut self, p: &Person, case: &Case, card: &Scorecard) {
        let applies: Decimal = card
            .kpis
            .iter()
            .filter(|k| k.score.is_some() && k.passed.is_none())
            .map(|k| k.weight)
            .sum();
        let role_total: Decimal = card.kpis.iter().map(|k| k.weight).sum();
        for (i, (kpi, line)) in self.src.plan.kpis.iter().zip(&card.kpis).enumerate() {
            if line.passed.is_none() && line.weight.is_zero() {
                continue;
            }
            self.line(
                Section::Kpi,
                0,
                format!(
                    "{}. {} ({}) — method {}",
                    i + 1,
                    kpi.label.en,
                    kpi.id,
                    kpi.method.name()
                ),
            );
            let actual = case.values.get(kpi.actual).copied().flatten();
            let text = self.input(p, case, kpi.actual, actual);
            self.line(Section::Kpi, 1, format!("actual: {text}"));
            let target = kpi.target_of(&case.values);
            if let Some(col) = kpi.target {
                let text = self.input(p, case, col, target);
                self.line(Section::Kpi, 1, format!("target: {text}"));
            } else if let Some(v) = kpi.target_value {
                self.line(
                    Section::Kpi,
                    1,
                    format!("target: {} (set in the plan)", num(v)),
                );
            }
            for text in method_steps(kpi, actual, target, line) {
                self.line(Section::Kpi, 1, text);
            }
            self.kpi_points(kpi, line, applies);
        }
        if applies != role_total {
            self.line(
                Section::Total,
                0,
                format!(
                    "does not apply: weights of the KPIs without a target are dropped; the other weights ({}) are rescaled to 100",
                    num(applies)
                ),
            );
        }
        let sum: Decimal = card
            .kpis
            .iter()
            .filter(|k| k.passed.is_none())
            .filter_map(|k| k.score.map(|s| s * k.weight))
            .sum();
        self.line(
            Section::Total,
            0,
            format!(
                "total = Σ score × weight ÷ Σ weight = {} ÷ {} = {}",
                num(sum),
                num(applies),
                num(card.raw_total)
            ),
        );
        self.total_rounding(card);
    }

    fn kpi_points(&mut self, kpi: &Kpi, line: &KpiLine, applies: Decimal) {
        match (line.passed, line.score) {
            (Some(passed), _) => {
                let effect = match kpi.gate {
                    Some(g) if !passed => match (g.on_fail, g.cap_grade) {
                        (OnFail::ZeroTotal, _) => "failed: the total becomes 0".to_owned(),
                        (OnFail::CapGrade, Some(c)) => {
                            format!(
                                "failed: the grade is at best {}",
                                self.src.plan.grades[c].grade
                            )
                        }
                        (OnFail::CapGrade, None) => "failed".to_owned(),
                    },
                    _ => "passed".to_owned(),
                };
                self.line(Section::Kpi, 1, format!("gate (no weight): {effect}"));
            }
            (None, Some(score)) => {
                self.line(
                    Section::Kpi,
                    1,
                    format!(
                        "points: {} × {} ÷ {} = {}  (weight {}, share {} %)",
                        num(score),
                        num(line.weight),
                        num(applies),
                        num(line.points.unwrap_or_default()),
                        num(line.weight),
                        num(line.share)
                    ),
                );
            }
            (None, None) => {
                self.line(
                    Section::Kpi,
                    1,
                    format!(
                        "does not apply (target 0 or blank): weight {} dropped",
                        num(line.weight)
                    ),
                );
            }
        }
    }

    fn total_rounding(&mut self, card: &Scorecard) {
        let r = &self.src.plan.rounding;
        let rounded = crate::score::round(card.raw_total, r.total_decimals, r.mode);
        self.line(
            Section::Total,
            0,
            format!(
                "rounded to {} decimals, {}: {}",
                r.total_decimals,
                mode_name(r.mode),
                rounded
            ),
        );
        if let Some(k) = card.total_zeroed_by {
            self.line(
                Section::Total,
                0,
                format!(
                    "gate '{}' failed: total = {}",
                    self.src.plan.kpis[k].id, card.total
                ),
            );
        }
        self.line(Section::Total, 0, format!("final total: {}", card.total));
    }

    fn year(&mut self, person: usize, ytd: u16, card: &Scorecard) {
        let months: Vec<(Period, Decimal)> = self
            .src
            .periods
            .iter()
            .filter(|p| matches!(p.period, Period::Month { year, .. } if year == ytd))
            .filter_map(|p| card_of(p, person).map(|c| (p.period, c.total)))
            .collect();
        let sum: Decimal = months.iter().map(|(_, t)| *t).sum();
        let listed: Vec<String> = months
            .iter()
            .map(|(period, total)| format!("{period}: {total}"))
            .collect();
        self.line(
            Section::Total,
            0,
            format!("monthly totals: {}", listed.join("; ")),
        );
        self.line(
            Section::Total,
            0,
            format!(
                "year to date = mean of the monthly totals = {} ÷ {} = {}",
                num(sum),
                months.len(),
                num(card.raw_total)
            ),
        );
        self.total_rounding(card);
    }

    fn grade(&mut self, card: &Scorecard) {
        let grades = &self.src.plan.grades;
        match self.src.plan.grading.method {
            GradingMethod::Thresholds => {
                let rule: Vec<String> = grades
                    .iter()
                    .map(|g| match g.min {
                        Some(m) => format!("{} ≥ {}", g.grade, num(m)),
                        None => format!("{} below", g.grade),
                    })
                    .collect();
                self.line(
                    Section::Grade,
                    0,
                    format!("thresholds on the total: {}", rule.join(", ")),
                );
            }
            GradingMethod::ForcedDistribution => {
                let quotas: Vec<String> = grades
                    .iter()
                    .map(|g| format!("{} {} %", g.grade, num(g.share.unwrap_or_default())))
                    .collect();
                let (scope, size) = match self.src.plan.grading.scope {
                    Scope::Company => ("the company", card.ranks.company),
                    Scope::Department => ("the department", card.ranks.department),
                };
                let shares: Vec<Decimal> =
                    grades.iter().map(|g| g.share.unwrap_or_default()).collect();
                let counts = crate::score::grade::quota_counts(&shares, size.1 as usize);
                let counts: Vec<String> = grades
                    .iter()
                    .zip(counts)
                    .map(|(g, c)| format!("{} {c}", g.grade))
                    .collect();
                self.line(
                    Section::Grade,
                    0,
                    format!(
                        "forced distribution within {scope} ({} people): quotas {}; counts {} (top and bottom round_half_up(n × share), the middle the rest)",
                        size.1,
                        quotas.join(", "),
                        counts.join(", ")
                    ),
                );
                self.line(
                    Section::Grade,
                    0,
                    format!(
                        "place {} of {} down the ranking; a tie with the person above takes that person's grade",
                        size.0, size.1
                    ),
                );
            }
        }
        if let (Some(before), Some(k)) = (card.uncapped_grade, card.grade_capped_by) {
            self.line(
                Section::Grade,
                0,
                format!(
                    "{} by the rule, capped at {} because gate '{}' failed",
                    grades[before].grade, grades[card.grade].grade, self.src.plan.kpis[k].id
                ),
            );
        }
        let g = &grades[card.grade];
        self.line(
            Section::Grade,
            0,
            format!("grade: {} ({})", g.grade, g.label.en),
        );
    }

    fn ranks(&mut self, p: &Person, card: &Scorecard) {
        let r = card.ranks;
        self.line(
            Section::Rank,
            0,
            format!(
                "company {} of {}; department {} {} of {}; role {} {} of {} (by total, highest first, ties share a rank)",
                r.company.0,
                r.company.1,
                p.department,
                r.department.0,
                r.department.1,
                p.role_name,
                r.role.0,
                r.role.1
            ),
        );
    }

    fn bonus(&mut self, p: &Person, case: Option<&Case>, card: &Scorecard) {
        let money = self.src.plan.rounding.money_decimals;
        let mode = mode_name(self.src.plan.rounding.mode);
        let base_cell = |t: &Self, col: usize| {
            case.map(|c| t.input(p, c, col, c.values.get(col).copied().flatten()))
                .unwrap_or_default()
        };
        let paid = card.bonus.map(|b| b.to_string()).unwrap_or_default();
        let grade = &self.src.plan.grades[card.grade].grade;
        match (&card.bonus_detail, &self.src.plan.bonus) {
            (
                Some(BonusDetail::Coefficient { base, coefficient }),
                Bonus::GradeCoefficient { base: col, .. },
            ) => {
                let cell = base_cell(self, *col);
                self.line(Section::Bonus, 0, format!("bonus base: {cell}"));
                self.line(
                    Section::Bonus,
                    0,
                    format!(
                        "bonus = base × coefficient({grade}) = {} × {} = {}",
                        num(*base),
                        num(*coefficient),
                        num(base * coefficient)
                    ),
                );
            }
            (
                Some(BonusDetail::ScoreLinear { base, total, cap }),
                Bonus::ScoreLinear { base: col, .. },
            ) => {
                let cell = base_cell(self, *col);
                self.line(Section::Bonus, 0, format!("bonus base: {cell}"));
                let counted = cap.map_or(*total, |c| (*total).min(c)).max(Decimal::ZERO);
                if counted != *total {
                    self.line(
                        Section::Bonus,
                        0,
                        format!("the total counts up to {}", num(counted)),
                    );
                }
                self.line(
                    Section::Bonus,
                    0,
                    format!(
                        "bonus = base × total ÷ 100 = {} × {} ÷ 100 = {}",
                        num(*base),
                        num(counted),
                        num(card.bonus_unrounded.unwrap_or_default())
                    ),
                );
            }
            (
                Some(BonusDetail::Commission {
                    target,
                    slices,
                    uncapped,
                    cap,
                    ..
                }),
                Bonus::TieredCommission {
                    actual: a_col,
                    target: t_col,
                    ..
                },
            ) => {
                let a = base_cell(self, *a_col);
                let t = base_cell(self, *t_col);
                self.line(Section::Bonus, 0, format!("sales: {a}"));
                self.line(Section::Bonus, 0, format!("target: {t}"));
                if target.is_none_or(|t| t.is_zero()) {
                    self.line(Section::Bonus, 0, "no sales target: no commission");
                }
                for s in slices {
                    let range = match s.to {
                        Some(to) => format!("{} – {}", num(s.from), num(to)),
                        None => format!("above {}", num(s.from)),
                    };
                    self.line(
                        Section::Bonus,
                        1,
                        format!(
                            "slice {range}: {} × {} = {}",
                            num(s.amount),
                            num(s.rate),
                            num(s.pay)
                        ),
                    );
                }
                self.line(
                    Section::Bonus,
                    0,
                    format!("commission = Σ slices = {}", num(*uncapped)),
                );
                if let Some(c) = cap
                    && uncapped > c
                {
                    self.line(Section::Bonus, 0, format!("capped at {}", num(*c)));
                }
            }
            (
                Some(BonusDetail::Pool {
                    department,
                    pool,
                    fixed,
                    base,
                    coefficient,
                    weight,
                    weight_sum,
                    exact,
                    extra,
                }),
                Bonus::Pool { base: col, .. },
            ) => {
                let cell = base_cell(self, *col);
                self.line(Section::Bonus, 0, format!("bonus base: {cell}"));
                let source = if *fixed {
                    "set in the plan"
                } else {
                    "the sum of the department's bonus bases"
                };
                self.line(
                    Section::Bonus,
                    0,
                    format!("pool of {department}: {} ({source})", num(*pool)),
                );
                self.line(
                    Section::Bonus,
                    0,
                    format!(
                        "weight = base × coefficient({grade}) = {} × {} = {}; department total {}",
                        num(*base),
                        num(*coefficient),
                        num(*weight),
                        num(*weight_sum)
                    ),
                );
                self.line(
                    Section::Bonus,
                    0,
                    format!(
                        "share = pool × weight ÷ department total = {} × {} ÷ {} = {}",
                        num(*pool),
                        num(*weight),
                        num(*weight_sum),
                        num(*exact)
                    ),
                );
                self.line(
                    Section::Bonus,
                    0,
                    format!(
                        "to cents by largest remainder: {} rounded down{}",
                        num(exact
                            .round_dp_with_strategy(money, rust_decimal::RoundingStrategy::ToZero)),
                        if extra.is_zero() {
                            String::new()
                        } else {
                            format!(" + {} for one of the largest remainders", num(*extra))
                        }
                    ),
                );
                self.line(Section::Bonus, 0, format!("bonus: {paid}"));
                return;
            }
            _ => {
                self.line(Section::Bonus, 0, "no bonus rule applies");
                return;
            }
        }
        self.line(
            Section::Bonus,
            0,
            format!("rounded to {money} decimals, {mode}: bonus {paid}"),
        );
    }
}

/// The method's formula with the person's numbers.
fn method_steps(
    kpi: &Kpi,
    actual: Option<Decimal>,
    target: Option<Decimal>,
    line: &KpiLine,
) -> Vec<String> {
    let mut out = Vec::new();
    let score = line.score;
    let x = actual.map_or_else(|| "blank".to_owned(), num);
    let clamp_note = |raw: Decimal, floor: Option<Decimal>, cap: Option<Decimal>| {
        let mut notes = Vec::new();
        if let Some(c) = cap {
            notes.push(format!("cap {}", num(c)));
        }
        if let Some(f) = floor {
            notes.push(format!("floor {}", num(f)));
        }
        let final_score = score.unwrap_or(raw);
        if final_score != raw {
            format!("{} → {} ({})", num(raw), num(final_score), notes.join(", "))
        } else if notes.is_empty() {
            num(raw)
        } else {
            format!("{}  (within {})", num(raw), notes.join(", "))
        }
    };
    match &kpi.method {
        Method::Ratio { gate, cap, floor } => {
            let Some(a) = line.attainment else {
                return out;
            };
            out.push(format!(
                "attainment = actual ÷ target = {x} ÷ {} = {}",
                target.map(num).unwrap_or_default(),
                num(a)
            ));
            match gate {
                Some(g) if a < *g => out.push(format!("below the gate {}: score = 0", num(*g))),
                _ => out.push(format!(
                    "score = attainment × 100 = {}",
                    clamp_note(a * Decimal::ONE_HUNDRED, *floor, *cap)
                )),
            }
        }
        Method::InverseRatio {
            cap,
            floor,
            zero_actual,
        } => match (line.attainment, score) {
            (Some(a), _) => {
                out.push(format!(
                    "lower is better: attainment = target ÷ actual = {} ÷ {x} = {}",
                    target.map(num).unwrap_or_default(),
                    num(a)
                ));
                out.push(format!(
                    "score = attainment × 100 = {}",
                    clamp_note(a * Decimal::ONE_HUNDRED, *floor, *cap)
                ));
            }
            (None, Some(s)) => {
                let rule = match zero_actual {
                    ZeroActual::Cap => "the cap",
                    ZeroActual::Full => "100",
                    ZeroActual::NotApplicable => "does not apply",
                };
                out.push(format!(
                    "actual of 0: scores {rule} (zero_actual): {}",
                    num(s)
                ));
            }
            (None, None) => {}
        },
        Method::Linear {
            zero,
            full,
            floor,
            cap,
        } => {
            if let Some(a) = actual {
                let raw = (a - zero) / (full - zero) * Decimal::ONE_HUNDRED;
                out.push(format!(
                    "score = (actual − {}) ÷ ({} − {}) × 100 = ({x} − {}) ÷ {} × 100 = {}",
                    num(*zero),
                    num(*full),
                    num(*zero),
                    num(*zero),
                    num(full - zero),
                    clamp_note(raw, *floor, *cap)
                ));
            }
        }
        Method::Bands {
            bands,
            mode,
            direction,
            below,
        } => {
            let rule: Vec<String> = bands
                .iter()
                .map(|b| format!("{} → {}", num(b.at), num(b.points)))
                .collect();
            let how = match (mode, direction) {
                (BandMode::Steps, Direction::Ascending) => "steps, at or above",
                (BandMode::Steps, Direction::Descending) => "steps, at or below",
                (BandMode::Interpolate, Direction::Ascending) => "interpolated, higher is better",
                (BandMode::Interpolate, Direction::Descending) => "interpolated, lower is better",
            };
            out.push(format!(
                "bands ({how}): {}; not reached: {}",
                rule.join(", "),
                num(below.unwrap_or_default())
            ));
            let value = line.attainment.or(actual);
            if line.attainment.is_some() {
                out.push(format!(
                    "value = actual ÷ target = {}",
                    value.map(num).unwrap_or_default()
                ));
            }
            if let (Some(v), Some(s)) = (value, score) {
                let reached = |at: Decimal| match direction {
                    Direction::Ascending => v >= at,
                    Direction::Descending => v <= at,
                };
                match bands.iter().rposition(|b| reached(b.at)) {
                    Some(i) if *mode == BandMode::Interpolate && i + 1 < bands.len() => {
                        let (lo, hi) = (bands[i], bands[i + 1]);
                        out.push(format!(
                            "score = {} + ({} − {}) ÷ ({} − {}) × ({} − {}) = {}",
                            num(lo.points),
                            num(v),
                            num(lo.at),
                            num(hi.at),
                            num(lo.at),
                            num(hi.points),
                            num(lo.points),
                            num(s)
                        ));
                    }
                    Some(i) => {
                        out.push(format!("reaches {}: score = {}", num(bands[i].at), num(s)))
                    }
                    None => out.push(format!("no band reached: score = {}", num(s))),
                }
            }
        }
        Method::Deduct {
            start,
            per_unit,
            floor,
            cap,
        } => {
            if let Some(a) = actual {
                out.push(format!(
                    "score = {} − {} × {x} = {}",
                    num(*start),
                    num(*per_unit),
                    clamp_note(start - per_unit * a, *floor, *cap)
                ));
            }
        }
        Method::Add {
            start,
            per_unit,
            floor,
            cap,
        } => {
            if let Some(a) = actual {
                out.push(format!(
                    "score = {} + {} × {x} = {}",
                    num(*start),
                    num(*per_unit),
                    clamp_note(start + per_unit * a, *floor, *cap)
                ));
            }
        }
        Method::Rating { max, min } => {
            let scale = min.map_or_else(
                || format!("up to {}", num(*max)),
                |m| format!("{} to {}", num(m), num(*max)),
            );
            out.push(format!(
                "rating on a scale {scale}: score = {x} ÷ {} × 100 = {}",
                num(*max),
                score.map(num).unwrap_or_default()
            ));
        }
        Method::PassFail {
            pass_min, pass_max, ..
        } => {
            let rule = match (pass_min, pass_max) {
                (Some(lo), Some(hi)) => format!("{} ≤ actual ≤ {}", num(*lo), num(*hi)),
                (Some(lo), None) => format!("actual ≥ {}", num(*lo)),
                (None, Some(hi)) => format!("actual ≤ {}", num(*hi)),
                (None, None) => String::new(),
            };
            out.push(format!("passes when {rule}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_in_every_spelling() {
        assert_eq!(
            parse_period("2026-10"),
            Some(Period::Month {
                year: 2026,
                month: 10
            })
        );
        assert_eq!(
            parse_period("2026年10月"),
            Some(Period::Month {
                year: 2026,
                month: 10
            })
        );
        assert_eq!(
            parse_period("ytd-2026"),
            Some(Period::YearToDate { year: 2026 })
        );
        assert_eq!(
            parse_period("2026-YTD"),
            Some(Period::YearToDate { year: 2026 })
        );
        assert_eq!(parse_period("soon"), None);
    }

    #[test]
    fn numbers_show_up_to_six_decimals() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(num(d("112.500")), "112.5");
        assert_eq!(num(d("91.428571428571")), "91.428571…");
        assert_eq!(num(d("5000.00")), "5000");
    }
}
