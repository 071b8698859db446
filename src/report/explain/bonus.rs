//! The bonus part of the trail: the rule's formula with the recorded
//! figures (base, coefficient, counted total, commission slices, the pool's
//! share and its round-down to the cent).

use super::{Section, Trail, mode_name, num};
use crate::input::{Case, Person};
use crate::lang::{Lang, tr};
use crate::plan::{Bonus, ProrateBy};
use crate::score::prorate::Prorated;
use crate::score::{BonusDetail, Scorecard};

/// `bonus base: Bonus Base = 5000  [cell]`.
fn bonus_base(lang: Lang, cell: &str) -> String {
    tr!(lang, "bonus base: {cell}", "奖金基数：{cell}")
}

/// `calendar days` / `working days (Monday to Friday)`.
fn days_word(by: ProrateBy, lang: Lang) -> &'static str {
    lang.t(match by {
        ProrateBy::WorkingDays => ("working days (Monday to Friday)", "个工作日（周一至周五）"),
        _ => ("calendar days", "个日历日"),
    })
}

/// `hired 2026-10-20, left 2026-11-03`.
fn employment_dates(pr: &Prorated, lang: Lang) -> String {
    let show = |(y, m, d): (u16, u8, u8)| format!("{y:04}-{m:02}-{d:02}");
    let mut parts = Vec::new();
    if let Some(h) = pr.hire {
        parts.push(tr!(lang, "hired {}", "入职 {}", show(h)));
    }
    if let Some(l) = pr.leave {
        parts.push(tr!(lang, "left {}", "离职 {}", show(l)));
    }
    parts.join(lang.t((", ", "，")))
}

impl Trail<'_, '_> {
    /// The month's proration under the person's line: days employed, the
    /// ramp and each target as read and as scored.
    pub(super) fn employment(&mut self, card: &Scorecard) {
        let lang = self.lang;
        let Some(pr) = card.proration.as_ref() else {
            return;
        };
        if pr.days < pr.of {
            let text = tr!(
                lang,
                "employed {} of {} {} ({}): fraction {}/{}",
                "在职 {} / {} {}（{}）：比例 {}/{}",
                pr.days,
                pr.of,
                days_word(pr.by, lang),
                employment_dates(pr, lang),
                pr.days,
                pr.of
            );
            self.line(Section::Person, 0, text);
        }
        if let Some((month, r)) = pr.ramp {
            let text = tr!(
                lang,
                "new-hire ramp: month {month} since hiring, targets at {}",
                "新员工爬坡期：入职第 {month} 个月，目标按 {} 计",
                num(r)
            );
            self.line(Section::Person, 0, text);
        }
        for (col, read, used) in &card.prorated_targets {
            let name = &self.src.plan.columns[*col].display;
            let how = match (pr.targets, pr.ramp) {
                (true, Some((_, r))) => {
                    format!("{} × {} ÷ {} × {}", num(*read), pr.days, pr.of, num(r))
                }
                (true, None) => format!("{} × {} ÷ {}", num(*read), pr.days, pr.of),
                (false, Some((_, r))) => format!("{} × {}", num(*read), num(r)),
                (false, None) => num(*read),
            };
            let text = tr!(
                lang,
                "target {name} scored as {how} = {}",
                "目标“{name}”按 {how} = {} 计分",
                num(*used)
            );
            self.line(Section::Person, 0, text);
        }
    }

    pub(super) fn bonus(&mut self, p: &Person, case: Option<&Case>, card: &Scorecard) {
        let lang = self.lang;
        let cell = |t: &Self, col: usize| {
            case.map(|c| t.input(p, c, col, c.values.get(col).copied().flatten()))
                .unwrap_or_default()
        };
        let Some(detail) = &card.bonus_detail else {
            return self.no_bonus_rule();
        };
        match (detail, &self.src.plan.bonus) {
            (BonusDetail::Coefficient { .. }, Bonus::GradeCoefficient { base, .. })
            | (BonusDetail::ScoreLinear { .. }, Bonus::ScoreLinear { base, .. }) => {
                let cell = cell(self, *base);
                self.line(Section::Bonus, 0, bonus_base(lang, &cell));
                self.per_person(detail, card);
            }
            (
                BonusDetail::Commission { .. },
                Bonus::TieredCommission {
                    actual: a_col,
                    target: t_col,
                    ..
                },
            ) => {
                let a = cell(self, *a_col);
                let t = cell(self, *t_col);
                self.line(Section::Bonus, 0, tr!(lang, "sales: {a}", "销售额：{a}"));
                self.line(Section::Bonus, 0, tr!(lang, "target: {t}", "目标：{t}"));
                self.commission(detail);
            }
            (BonusDetail::Pool { .. }, Bonus::Pool { base, .. }) => {
                let cell = cell(self, *base);
                self.line(Section::Bonus, 0, bonus_base(lang, &cell));
                return self.pool(detail, card);
            }
            _ => return self.no_bonus_rule(),
        }
        self.prorated_bonus(card);
        let money = self.src.plan.rounding.money_decimals;
        let mode = mode_name(self.src.plan.rounding.mode, lang);
        let paid = card.bonus.map(|b| b.to_string()).unwrap_or_default();
        let text = tr!(
            lang,
            "rounded to {money} decimals, {mode}: bonus {paid}",
            "保留{money}位小数，{mode}：奖金为{paid}"
        );
        self.line(Section::Bonus, 0, text);
    }

    fn no_bonus_rule(&mut self) {
        let text = self.lang.t(("no bonus rule applies", "无适用的奖金规则"));
        self.line(Section::Bonus, 0, text);
    }

    /// base × coefficient, or base × total ÷ 100.
    fn per_person(&mut self, detail: &BonusDetail, card: &Scorecard) {
        let lang = self.lang;
        let grade = &self.src.plan.grades[card.grade].grade;
        match detail {
            BonusDetail::Coefficient { base, coefficient } => {
                let text = tr!(
                    lang,
                    "bonus = base × coefficient({grade}) = {} × {} = {}",
                    "奖金 = 基数 × 系数({grade}) = {} × {} = {}",
                    num(*base),
                    num(*coefficient),
                    num(card
                        .bonus_before_proration
                        .or(card.bonus_unrounded)
                        .unwrap_or_default())
                );
                self.line(Section::Bonus, 0, text);
            }
            BonusDetail::ScoreLinear {
                base,
                total,
                counted,
                ..
            } => {
                if counted != total {
                    let text = tr!(
                        lang,
                        "the total counts up to {}",
                        "总分按{}计",
                        num(*counted)
                    );
                    self.line(Section::Bonus, 0, text);
                }
                let text = tr!(
                    lang,
                    "bonus = base × total ÷ 100 = {} × {} ÷ 100 = {}",
                    "奖金 = 基数 × 总分 ÷ 100 = {} × {} ÷ 100 = {}",
                    num(*base),
                    num(*counted),
                    num(card
                        .bonus_before_proration
                        .or(card.bonus_unrounded)
                        .unwrap_or_default())
                );
                self.line(Section::Bonus, 0, text);
            }
            _ => {}
        }
    }

    /// The commission's slices, their sum and the cap.
    fn commission(&mut self, detail: &BonusDetail) {
        let lang = self.lang;
        let BonusDetail::Commission {
            target,
            slices,
            uncapped,
            cap,
            ..
        } = detail
        else {
            return;
        };
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

    /// The department pool, the person's weight and share, and its
    /// rounding to the cent by largest remainder.
    fn pool(&mut self, detail: &BonusDetail, card: &Scorecard) {
        let lang = self.lang;
        let grade = &self.src.plan.grades[card.grade].grade;
        let paid = card.bonus.map(|b| b.to_string()).unwrap_or_default();
        let BonusDetail::Pool {
            department,
            pool,
            fixed,
            base,
            coefficient,
            weight,
            weight_sum,
            exact,
            rounded_down,
            extra,
        } = detail
        else {
            return;
        };
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
        let days = card
            .proration
            .as_ref()
            .filter(|p| p.scales_bonus())
            .map(|p| format!(" × {} ÷ {}", p.days, p.of))
            .unwrap_or_default();
        let text = tr!(
            lang,
            "weight = base × coefficient({grade}){days} = {} × {}{days} = {}; department total {}",
            "分配权重 = 基数 × 系数({grade}){days} = {} × {}{days} = {}；部门合计{}",
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
        let down = num(*rounded_down);
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
    }

    /// `prorated: employed 12 of 31 calendar days (hired 2026-10-20): 1000 × 12 ÷ 31 = 387.09…`
    fn prorated_bonus(&mut self, card: &Scorecard) {
        let (Some(pr), Some(before), Some(after)) = (
            card.proration.as_ref().filter(|p| p.scales_bonus()),
            card.bonus_before_proration,
            card.bonus_unrounded,
        ) else {
            return;
        };
        let text = tr!(
            self.lang,
            "prorated: employed {} of {} {} ({}): {} × {} ÷ {} = {}",
            "按在职天数折算：在职 {} / {} {}（{}）：{} × {} ÷ {} = {}",
            pr.days,
            pr.of,
            days_word(pr.by, self.lang),
            employment_dates(pr, self.lang),
            num(before),
            pr.days,
            pr.of,
            num(after)
        );
        self.line(Section::Bonus, 0, text);
    }
}
