//! `explain`: the whole calculation for one person in one period, as lines
//! a salesperson can follow with a calculator.
//!
//! [`explain`] reads the scored [`Evaluation`] (it never recomputes a
//! score): each KPI's inputs with the cells they came from, the method's
//! formula with the person's numbers, the weight and its share after
//! dropping the KPIs that do not apply, the total before and after rounding,
//! the grade rule, the ranks and the bonus formula. The trail is data
//! ([`Explanation`]) so the review sheets can show the same lines; the CLI
//! prints it. The lines are in English or Chinese ([`Lang`]): the same
//! numbers in the same order, only the words differ.

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

/// `format!` in the trail's language: the same arguments feed an English
/// and a Chinese template, so both show the same numbers.
macro_rules! tr {
    ($lang:expr, $en:literal, $zh:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            Lang::En => format!($en $(, $arg)*),
            Lang::Zh => format!($zh $(, $arg)*),
        }
    };
}

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

/// `bonus base: Bonus Base = 5000  [cell]`.
fn bonus_base(lang: Lang, cell: &str) -> String {
    tr!(lang, "bonus base: {cell}", "奖金基数：{cell}")
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

/// The method as written in the plan; in Chinese its name with the plan's
/// word after it.
fn method_name(method: &Method, lang: Lang) -> String {
    let zh = match method {
        Method::Ratio { .. } => "达成率",
        Method::InverseRatio { .. } => "反向达成率",
        Method::Linear { .. } => "线性计分",
        Method::Bands { .. } => "分档计分",
        Method::Deduct { .. } => "扣分制",
        Method::Add { .. } => "加分制",
        Method::Rating { .. } => "评分制",
        Method::PassFail { .. } => "达标判定",
    };
    match lang {
        Lang::En => method.name().to_owned(),
        Lang::Zh => format!("{zh}（{}）", method.name()),
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
        match self.lang {
            Lang::En => format!("{} = {shown}  {cell}", c.display),
            Lang::Zh => format!("{shown}  {cell}"),
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
            let text = tr!(
                self.lang,
                "{}. {} ({}) — method {}",
                "{}. {}（{}）— 计分方法：{}",
                i + 1,
                self.lang.label(&kpi.label),
                kpi.id,
                method_name(&kpi.method, self.lang)
            );
            self.line(Section::Kpi, 0, text);
            let actual = case.values.get(kpi.actual).copied().flatten();
            let text = self.input(p, case, kpi.actual, actual);
            let text = tr!(self.lang, "actual: {}", "实际：{}", text);
            self.line(Section::Kpi, 1, text);
            let target = kpi.target_of(&case.values);
            if let Some(col) = kpi.target {
                let text = self.input(p, case, col, target);
                let text = tr!(self.lang, "target: {}", "目标：{}", text);
                self.line(Section::Kpi, 1, text);
            } else if let Some(v) = kpi.target_value {
                let text = tr!(
                    self.lang,
                    "target: {} (set in the plan)",
                    "目标：{}（方案中设定）",
                    num(v)
                );
                self.line(Section::Kpi, 1, text);
            }
            for text in method_steps(kpi, actual, target, line, self.lang) {
                self.line(Section::Kpi, 1, text);
            }
            self.kpi_points(kpi, line, applies);
        }
        if applies != role_total {
            let text = tr!(
                self.lang,
                "does not apply: weights of the KPIs without a target are dropped; the other weights ({}) are rescaled to 100",
                "不适用：无目标指标的权重不计入；其余权重（合计{}）按比例折算为100",
                num(applies)
            );
            self.line(Section::Total, 0, text);
        }
        let sum: Decimal = card
            .kpis
            .iter()
            .filter(|k| k.passed.is_none())
            .filter_map(|k| k.score.map(|s| s * k.weight))
            .sum();
        let text = tr!(
            self.lang,
            "total = Σ score × weight ÷ Σ weight = {} ÷ {} = {}",
            "总分 = Σ 得分 × 权重 ÷ Σ 权重 = {} ÷ {} = {}",
            num(sum),
            num(applies),
            num(card.raw_total)
        );
        self.line(Section::Total, 0, text);
        self.total_rounding(card);
    }

    fn kpi_points(&mut self, kpi: &Kpi, line: &KpiLine, applies: Decimal) {
        match (line.passed, line.score) {
            (Some(passed), _) => {
                let lang = self.lang;
                let effect = match kpi.gate {
                    Some(g) if !passed => match (g.on_fail, g.cap_grade) {
                        (OnFail::ZeroTotal, _) => lang
                            .t(("failed: the total becomes 0", "未达标，总分计为0"))
                            .to_owned(),
                        (OnFail::CapGrade, Some(c)) => tr!(
                            lang,
                            "failed: the grade is at best {}",
                            "未达标，等级最高为{}",
                            self.src.plan.grades[c].grade
                        ),
                        (OnFail::CapGrade, None) => lang.t(("failed", "未达标")).to_owned(),
                    },
                    _ => lang.t(("passed", "达标")).to_owned(),
                };
                let text = tr!(
                    lang,
                    "gate (no weight): {}",
                    "门槛指标（不计权重）：{}",
                    effect
                );
                self.line(Section::Kpi, 1, text);
            }
            (None, Some(score)) => {
                let text = tr!(
                    self.lang,
                    "points: {} × {} ÷ {} = {}  (weight {}, share {} %)",
                    "加权得分：{} × {} ÷ {} = {}（权重{}，占比{}%）",
                    num(score),
                    num(line.weight),
                    num(applies),
                    num(line.points.unwrap_or_default()),
                    num(line.weight),
                    num(line.share)
                );
                self.line(Section::Kpi, 1, text);
            }
            (None, None) => {
                let text = tr!(
                    self.lang,
                    "does not apply (target 0 or blank): weight {} dropped",
                    "不适用（目标为0或空白）：权重{}不计入",
                    num(line.weight)
                );
                self.line(Section::Kpi, 1, text);
            }
        }
    }

    fn total_rounding(&mut self, card: &Scorecard) {
        let r = &self.src.plan.rounding;
        let rounded = crate::score::round(card.raw_total, r.total_decimals, r.mode);
        let text = tr!(
            self.lang,
            "rounded to {} decimals, {}: {}",
            "保留{}位小数，{}：{}",
            r.total_decimals,
            mode_name(r.mode, self.lang),
            rounded
        );
        self.line(Section::Total, 0, text);
        if let Some(k) = card.total_zeroed_by {
            let kpi = &self.src.plan.kpis[k];
            let text = tr!(
                self.lang,
                "gate '{}' failed: total = {}",
                "门槛指标“{}”未达标：总分 = {}",
                self.gate_name(kpi),
                card.total
            );
            self.line(Section::Total, 0, text);
        }
        let text = tr!(self.lang, "final total: {}", "最终总分：{}", card.total);
        self.line(Section::Total, 0, text);
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
            .map(|(period, total)| {
                tr!(
                    self.lang,
                    "{}: {}",
                    "{}：{}",
                    period_text(*period, self.lang),
                    total
                )
            })
            .collect();
        let text = tr!(
            self.lang,
            "monthly totals: {}",
            "各月总分：{}",
            listed.join(self.lang.t(("; ", "；")))
        );
        self.line(Section::Total, 0, text);
        let text = tr!(
            self.lang,
            "year to date = mean of the monthly totals = {} ÷ {} = {}",
            "年度累计 = 各月总分的平均值 = {} ÷ {} = {}",
            num(sum),
            months.len(),
            num(card.raw_total)
        );
        self.line(Section::Total, 0, text);
        self.total_rounding(card);
    }

    fn grade(&mut self, card: &Scorecard) {
        let grades = &self.src.plan.grades;
        let lang = self.lang;
        let list = lang.t((", ", "、"));
        match self.src.plan.grading.method {
            GradingMethod::Thresholds => {
                let rule: Vec<String> = grades
                    .iter()
                    .map(|g| match g.min {
                        Some(m) => format!("{} ≥ {}", g.grade, num(m)),
                        None => tr!(lang, "{} below", "其余为{}", g.grade),
                    })
                    .collect();
                let text = tr!(
                    lang,
                    "thresholds on the total: {}",
                    "按总分分数线定级：{}",
                    rule.join(list)
                );
                self.line(Section::Grade, 0, text);
            }
            GradingMethod::ForcedDistribution => {
                let quotas: Vec<String> = grades
                    .iter()
                    .map(|g| {
                        let share = num(g.share.unwrap_or_default());
                        tr!(lang, "{} {} %", "{} {}%", g.grade, share)
                    })
                    .collect();
                let (scope, size) = match self.src.plan.grading.scope {
                    Scope::Company => (("the company", "全公司"), card.ranks.company),
                    Scope::Department => (("the department", "本部门"), card.ranks.department),
                };
                let scope = lang.t(scope);
                let shares: Vec<Decimal> =
                    grades.iter().map(|g| g.share.unwrap_or_default()).collect();
                let counts = crate::score::grade::quota_counts(&shares, size.1 as usize);
                let counts: Vec<String> = grades
                    .iter()
                    .zip(counts)
                    .map(|(g, c)| format!("{} {c}", g.grade))
                    .collect();
                let text = tr!(
                    lang,
                    "forced distribution within {scope} ({} people): quotas {}; counts {} (top and bottom round_half_up(n × share), the middle the rest)",
                    "{scope}内强制分布（{}人）：比例 {}；人数 {}（最高和最低等级人数 = n × 比例，四舍五入；中间等级为其余人数）",
                    size.1,
                    quotas.join(list),
                    counts.join(list)
                );
                self.line(Section::Grade, 0, text);
                let text = tr!(
                    lang,
                    "place {} of {} down the ranking; a tie with the person above takes that person's grade",
                    "按排名依次定级：第{}名（共{}人）；与上一名同分者取其等级",
                    size.0,
                    size.1
                );
                self.line(Section::Grade, 0, text);
            }
        }
        if let (Some(before), Some(k)) = (card.uncapped_grade, card.grade_capped_by) {
            let text = tr!(
                lang,
                "{} by the rule, capped at {} because gate '{}' failed",
                "按规则为{0}；因门槛指标“{2}”未达标，等级最高为{1}",
                grades[before].grade,
                grades[card.grade].grade,
                self.gate_name(&self.src.plan.kpis[k])
            );
            self.line(Section::Grade, 0, text);
        }
        let g = &grades[card.grade];
        let text = tr!(
            lang,
            "grade: {} ({})",
            "等级：{}（{}）",
            g.grade,
            lang.label(&g.label)
        );
        self.line(Section::Grade, 0, text);
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

    fn bonus(&mut self, p: &Person, case: Option<&Case>, card: &Scorecard) {
        let money = self.src.plan.rounding.money_decimals;
        let lang = self.lang;
        let mode = mode_name(self.src.plan.rounding.mode, lang);
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
                self.line(Section::Bonus, 0, bonus_base(lang, &cell));
                let text = tr!(
                    lang,
                    "bonus = base × coefficient({grade}) = {} × {} = {}",
                    "奖金 = 基数 × 系数({grade}) = {} × {} = {}",
                    num(*base),
                    num(*coefficient),
                    num(base * coefficient)
                );
                self.line(Section::Bonus, 0, text);
            }
            (
                Some(BonusDetail::ScoreLinear { base, total, cap }),
                Bonus::ScoreLinear { base: col, .. },
            ) => {
                let cell = base_cell(self, *col);
                self.line(Section::Bonus, 0, bonus_base(lang, &cell));
                let counted = cap.map_or(*total, |c| (*total).min(c)).max(Decimal::ZERO);
                if counted != *total {
                    let text = tr!(
                        lang,
                        "the total counts up to {}",
                        "总分按{}计",
                        num(counted)
                    );
                    self.line(Section::Bonus, 0, text);
                }
                let text = tr!(
                    lang,
                    "bonus = base × total ÷ 100 = {} × {} ÷ 100 = {}",
                    "奖金 = 基数 × 总分 ÷ 100 = {} × {} ÷ 100 = {}",
                    num(*base),
                    num(counted),
                    num(card.bonus_unrounded.unwrap_or_default())
                );
                self.line(Section::Bonus, 0, text);
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
                self.line(Section::Bonus, 0, tr!(lang, "sales: {a}", "销售额：{a}"));
                self.line(Section::Bonus, 0, tr!(lang, "target: {t}", "目标：{t}"));
                if target.is_none_or(|t| t.is_zero()) {
                    let text = lang.t(("no sales target: no commission", "无销售目标：不计提成"));
                    self.line(Section::Bonus, 0, text);
                }
                for s in slices {
                    let range = match s.to {
                        Some(to) => format!("{} – {}", num(s.from), num(to)),
                        None => tr!(lang, "above {}", "{}以上", num(s.from)),
                    };
                    let text = tr!(
                        lang,
                        "slice {range}: {} × {} = {}",
                        "分段 {range}：{} × {} = {}",
                        num(s.amount),
                        num(s.rate),
                        num(s.pay)
                    );
                    self.line(Section::Bonus, 1, text);
                }
                let text = tr!(
                    lang,
                    "commission = Σ slices = {}",
                    "提成 = Σ 各分段 = {}",
                    num(*uncapped)
                );
                self.line(Section::Bonus, 0, text);
                if let Some(c) = cap
                    && uncapped > c
                {
                    let text = tr!(lang, "capped at {}", "封顶{}", num(*c));
                    self.line(Section::Bonus, 0, text);
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
                self.line(Section::Bonus, 0, bonus_base(lang, &cell));
                let source = lang.t(if *fixed {
                    ("set in the plan", "方案中设定")
                } else {
                    (
                        "the sum of the department's bonus bases",
                        "部门奖金基数之和",
                    )
                });
                let text = tr!(
                    lang,
                    "pool of {department}: {} ({source})",
                    "奖金池（{department}）：{}（{source}）",
                    num(*pool)
                );
                self.line(Section::Bonus, 0, text);
                let text = tr!(
                    lang,
                    "weight = base × coefficient({grade}) = {} × {} = {}; department total {}",
                    "分配权重 = 基数 × 系数({grade}) = {} × {} = {}；部门合计{}",
                    num(*base),
                    num(*coefficient),
                    num(*weight),
                    num(*weight_sum)
                );
                self.line(Section::Bonus, 0, text);
                let text = tr!(
                    lang,
                    "share = pool × weight ÷ department total = {} × {} ÷ {} = {}",
                    "应分金额 = 奖金池 × 分配权重 ÷ 部门合计 = {} × {} ÷ {} = {}",
                    num(*pool),
                    num(*weight),
                    num(*weight_sum),
                    num(*exact)
                );
                self.line(Section::Bonus, 0, text);
                let down = num(
                    exact.round_dp_with_strategy(money, rust_decimal::RoundingStrategy::ToZero)
                );
                let extra = if extra.is_zero() {
                    String::new()
                } else {
                    tr!(
                        lang,
                        " + {} for one of the largest remainders",
                        "，余数最大者之一另加{}",
                        num(*extra)
                    )
                };
                let text = tr!(
                    lang,
                    "to cents by largest remainder: {down} rounded down{extra}",
                    "按最大余数法分配到分：向下取整为{down}{extra}"
                );
                self.line(Section::Bonus, 0, text);
                self.line(
                    Section::Bonus,
                    0,
                    tr!(lang, "bonus: {paid}", "奖金：{paid}"),
                );
                return;
            }
            _ => {
                let text = lang.t(("no bonus rule applies", "无适用的奖金规则"));
                self.line(Section::Bonus, 0, text);
                return;
            }
        }
        let text = tr!(
            lang,
            "rounded to {money} decimals, {mode}: bonus {paid}",
            "保留{money}位小数，{mode}：奖金为{paid}"
        );
        self.line(Section::Bonus, 0, text);
    }
}

/// The method's formula with the person's numbers.
fn method_steps(
    kpi: &Kpi,
    actual: Option<Decimal>,
    target: Option<Decimal>,
    line: &KpiLine,
    lang: Lang,
) -> Vec<String> {
    let mut out = Vec::new();
    let score = line.score;
    let x = actual.map_or_else(|| blank(lang).to_owned(), num);
    let clamp_note = |raw: Decimal, floor: Option<Decimal>, cap: Option<Decimal>| {
        let mut notes = Vec::new();
        if let Some(c) = cap {
            notes.push(tr!(lang, "cap {}", "上限{}", num(c)));
        }
        if let Some(f) = floor {
            notes.push(tr!(lang, "floor {}", "下限{}", num(f)));
        }
        let notes = notes.join(lang.t((", ", "、")));
        let final_score = score.unwrap_or(raw);
        if final_score != raw {
            tr!(
                lang,
                "{} → {} ({notes})",
                "{} → {}（{notes}）",
                num(raw),
                num(final_score)
            )
        } else if notes.is_empty() {
            num(raw)
        } else {
            tr!(
                lang,
                "{}  (within {notes})",
                "{}（未触及{notes}）",
                num(raw)
            )
        }
    };
    match &kpi.method {
        Method::Ratio { gate, cap, floor } => {
            let Some(a) = line.attainment else {
                return out;
            };
            out.push(tr!(
                lang,
                "attainment = actual ÷ target = {x} ÷ {} = {}",
                "达成率 = 实际 ÷ 目标 = {x} ÷ {} = {}",
                target.map(num).unwrap_or_default(),
                num(a)
            ));
            match gate {
                Some(g) if a < *g => out.push(tr!(
                    lang,
                    "below the gate {}: score = 0",
                    "低于门槛{}：得分 = 0",
                    num(*g)
                )),
                _ => out.push(tr!(
                    lang,
                    "score = attainment × 100 = {}",
                    "得分 = 达成率 × 100 = {}",
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
                out.push(tr!(
                    lang,
                    "lower is better: attainment = target ÷ actual = {} ÷ {x} = {}",
                    "越低越好：达成率 = 目标 ÷ 实际 = {} ÷ {x} = {}",
                    target.map(num).unwrap_or_default(),
                    num(a)
                ));
                out.push(tr!(
                    lang,
                    "score = attainment × 100 = {}",
                    "得分 = 达成率 × 100 = {}",
                    clamp_note(a * Decimal::ONE_HUNDRED, *floor, *cap)
                ));
            }
            (None, Some(s)) => {
                let rule = lang.t(match zero_actual {
                    ZeroActual::Cap => ("the cap", "按上限计分"),
                    ZeroActual::Full => ("100", "计100分"),
                    ZeroActual::NotApplicable => ("does not apply", "不适用"),
                });
                out.push(tr!(
                    lang,
                    "actual of 0: scores {rule} (zero_actual): {}",
                    "实际为0（zero_actual）：{rule}，得分 = {}",
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
                out.push(tr!(
                    lang,
                    "score = (actual − {}) ÷ ({} − {}) × 100 = ({x} − {}) ÷ {} × 100 = {}",
                    "得分 = (实际 − {}) ÷ ({} − {}) × 100 = ({x} − {}) ÷ {} × 100 = {}",
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
            let how = lang.t(match (mode, direction) {
                (BandMode::Steps, Direction::Ascending) => {
                    ("steps, at or above", "阶梯计分，达到档位即得")
                }
                (BandMode::Steps, Direction::Descending) => {
                    ("steps, at or below", "阶梯计分，不高于档位即得")
                }
                (BandMode::Interpolate, Direction::Ascending) => {
                    ("interpolated, higher is better", "档间插值，越高越好")
                }
                (BandMode::Interpolate, Direction::Descending) => {
                    ("interpolated, lower is better", "档间插值，越低越好")
                }
            });
            out.push(tr!(
                lang,
                "bands ({how}): {}; not reached: {}",
                "分档（{how}）：{}；未达最低档：{}",
                rule.join(lang.t((", ", "，"))),
                num(below.unwrap_or_default())
            ));
            let value = line.attainment.or(actual);
            if line.attainment.is_some() {
                out.push(tr!(
                    lang,
                    "value = actual ÷ target = {}",
                    "取值 = 实际 ÷ 目标 = {}",
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
                        out.push(tr!(
                            lang,
                            "score = {} + ({} − {}) ÷ ({} − {}) × ({} − {}) = {}",
                            "得分 = {} + ({} − {}) ÷ ({} − {}) × ({} − {}) = {}",
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
                    Some(i) => out.push(tr!(
                        lang,
                        "reaches {}: score = {}",
                        "达到{}档：得分 = {}",
                        num(bands[i].at),
                        num(s)
                    )),
                    None => out.push(tr!(
                        lang,
                        "no band reached: score = {}",
                        "未达任何档位：得分 = {}",
                        num(s)
                    )),
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
                out.push(tr!(
                    lang,
                    "score = {} − {} × {x} = {}",
                    "得分 = {} − {} × {x} = {}",
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
                out.push(tr!(
                    lang,
                    "score = {} + {} × {x} = {}",
                    "得分 = {} + {} × {x} = {}",
                    num(*start),
                    num(*per_unit),
                    clamp_note(start + per_unit * a, *floor, *cap)
                ));
            }
        }
        Method::Rating { max, min } => {
            let scale = min.map_or_else(
                || tr!(lang, "up to {}", "满分{}", num(*max)),
                |m| tr!(lang, "{} to {}", "{}–{}分", num(m), num(*max)),
            );
            out.push(tr!(
                lang,
                "rating on a scale {scale}: score = {x} ÷ {} × 100 = {}",
                "评分（{scale}）：得分 = {x} ÷ {} × 100 = {}",
                num(*max),
                score.map(num).unwrap_or_default()
            ));
        }
        Method::PassFail {
            pass_min, pass_max, ..
        } => {
            let rule = match (pass_min, pass_max) {
                (Some(lo), Some(hi)) => {
                    tr!(
                        lang,
                        "{} ≤ actual ≤ {}",
                        "{} ≤ 实际 ≤ {}",
                        num(*lo),
                        num(*hi)
                    )
                }
                (Some(lo), None) => tr!(lang, "actual ≥ {}", "实际 ≥ {}", num(*lo)),
                (None, Some(hi)) => tr!(lang, "actual ≤ {}", "实际 ≤ {}", num(*hi)),
                (None, None) => String::new(),
            };
            out.push(tr!(lang, "passes when {rule}", "达标条件：{rule}"));
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

    /// Every run of digits and points, in order.
    fn numbers(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_ascii_digit() && c != '.')
            .map(|run| run.trim_matches('.'))
            .filter(|run| !run.is_empty())
            .map(str::to_owned)
            .collect()
    }

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
    fn method_steps_in_chinese_keep_the_numbers() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let plan = Plan::standard().unwrap();
        for kpi in &plan.kpis {
            let line = KpiLine {
                score: Some(d("120")),
                attainment: Some(d("1.3")),
                weight: d("40"),
                share: d("40"),
                points: Some(d("48")),
                passed: None,
            };
            let steps = |lang| method_steps(kpi, Some(d("130")), Some(d("100")), &line, lang);
            let (en, zh) = (steps(Lang::En), steps(Lang::Zh));
            assert!(!en.is_empty(), "{}", kpi.id);
            assert_eq!(en.len(), zh.len(), "{}", kpi.id);
            for (en, zh) in en.iter().zip(&zh) {
                assert_eq!(numbers(en), numbers(zh), "{en}\n{zh}");
                assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
            }
        }
        let none = KpiLine {
            score: None,
            attainment: None,
            weight: d("40"),
            share: d("40"),
            points: None,
            passed: None,
        };
        let blank = method_steps(&plan.kpis[0], None, None, &none, Lang::Zh);
        assert!(blank.is_empty(), "{blank:?}");
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
